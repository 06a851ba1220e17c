// AuthService contract: login, logout and authentication of sessions, on SQLite and PostgreSQL.

#include "orgs/auth.h"

#include <gtest/gtest.h>

#include "orgs/testing.h"
#include "security/crypto.h"

namespace fw::orgs {
namespace {

using testing::IsError;
using testing::kPassword;

class AuthServiceTest : public testing::ServicesTest {};

TEST_P(AuthServiceTest, LoginAuthenticateLogoutRoundTrip) {
  Lab lab = MakeLab("lab");
  User u = MakeUser("Member@X.org", Role::kLabMember, lab.id);
  auto s = auth_->Login("member@x.org", kPassword);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->token.substr(0, 4), "fws_");
  EXPECT_EQ(s->expires_at, clock_.Now() + options_.session_ttl_seconds);
  EXPECT_EQ(s->user.id, u.id);
  EXPECT_EQ(s->user.email, "member@x.org");

  auto c = auth_->Authenticate(s->token);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->user_id, u.id);
  EXPECT_EQ(c->role, Role::kLabMember);
  EXPECT_EQ(c->org_id, lab.id);
  EXPECT_FALSE(c->reviewer);

  ASSERT_TRUE(auth_->Logout(s->token));
  EXPECT_TRUE(IsError(auth_->Authenticate(s->token), ErrorCode::kUnauthenticated));
  EXPECT_TRUE(auth_->Logout(s->token));  // a retry changes nothing
}

TEST_P(AuthServiceTest, LoginIgnoresTheCaseOfTheEmail) {
  MakeUser("mixed@x.org", Role::kExpert);
  EXPECT_TRUE(auth_->Login("  MIXED@x.ORG ", kPassword));
}

TEST_P(AuthServiceTest, UnknownEmailAndWrongPasswordGetTheSameAnswer) {
  MakeUser("u@x.org", Role::kExpert);
  auto wrong = auth_->Login("u@x.org", "not the password");
  auto unknown = auth_->Login("nobody@x.org", kPassword);
  ASSERT_TRUE(IsError(wrong, ErrorCode::kUnauthenticated));
  ASSERT_TRUE(IsError(unknown, ErrorCode::kUnauthenticated));
  EXPECT_EQ(wrong.error().message, unknown.error().message);
  EXPECT_EQ(wrong.error().reason, unknown.error().reason);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM tokens"), 0);
}

TEST_P(AuthServiceTest, DisabledUsersCannotLogInAndTheirTokensAreRefused) {
  MakeUser("u@x.org", Role::kExpert);
  std::string token = Login("u@x.org");
  Exec("UPDATE users SET disabled = 1");
  EXPECT_TRUE(IsError(auth_->Authenticate(token), ErrorCode::kUnauthenticated));
  auto s = auth_->Login("u@x.org", kPassword);
  ASSERT_TRUE(IsError(s, ErrorCode::kUnauthenticated));
  EXPECT_EQ(s.error().message, auth_->Login("nobody@x.org", kPassword).error().message);
}

TEST_P(AuthServiceTest, UsersWithoutAPasswordCannotLogIn) {
  MakeUser("u@x.org", Role::kExpert);
  Exec("UPDATE users SET password_hash = NULL");
  EXPECT_TRUE(IsError(auth_->Login("u@x.org", kPassword), ErrorCode::kUnauthenticated));
}

TEST_P(AuthServiceTest, SessionsExpireAfterTheTtl) {
  MakeUser("u@x.org", Role::kExpert);
  std::string token = Login("u@x.org");
  clock_.Advance(options_.session_ttl_seconds - 1);
  EXPECT_TRUE(auth_->Authenticate(token));
  clock_.Advance(1);
  EXPECT_TRUE(IsError(auth_->Authenticate(token), ErrorCode::kUnauthenticated));
}

TEST_P(AuthServiceTest, RevokedSessionsAreRefused) {
  MakeUser("u@x.org", Role::kExpert);
  std::string token = Login("u@x.org");
  std::string other = Login("u@x.org");
  Exec("UPDATE tokens SET revoked_at = 1 WHERE token_hash = '" + security::TokenHash(token) + "'");
  EXPECT_TRUE(IsError(auth_->Authenticate(token), ErrorCode::kUnauthenticated));
  EXPECT_TRUE(auth_->Authenticate(other));
}

TEST_P(AuthServiceTest, UnknownAndEmptyTokensAreRefused) {
  EXPECT_TRUE(IsError(auth_->Authenticate(""), ErrorCode::kUnauthenticated));
  EXPECT_TRUE(IsError(auth_->Authenticate("fws_doesnotexist"), ErrorCode::kUnauthenticated));
  EXPECT_TRUE(IsError(auth_->Authenticate("garbage with ' quote"), ErrorCode::kUnauthenticated));
}

TEST_P(AuthServiceTest, TokensAreStoredOnlyAsHashes) {
  User u = MakeUser("u@x.org", Role::kExpert);
  std::string session = Login("u@x.org");
  auto api = orgs_->CreateToken(CallerOf(u), "api");
  ASSERT_TRUE(api);
  auto stored =
      db_->Read<std::vector<std::string>>([](soci::session& s) -> Result<std::vector<std::string>> {
        std::vector<std::string> out;
        std::string h, kind, name;
        soci::statement st = (s.prepare << "SELECT token_hash, kind, name FROM tokens",
                              soci::into(h), soci::into(kind), soci::into(name));
        st.execute();
        while (st.fetch()) out.push_back(h + "|" + kind + "|" + name);
        return out;
      });
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->size(), 2u);
  for (const std::string& row : *stored) {
    EXPECT_EQ(row.find(session), std::string::npos) << row;
    EXPECT_EQ(row.find(session.substr(4)), std::string::npos) << row;
    EXPECT_EQ(row.find(api->secret.substr(4)), std::string::npos) << row;
  }
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM tokens WHERE kind = 'session' AND token_hash = '" +
                     security::TokenHash(session) + "'"),
            1);
}

TEST_P(AuthServiceTest, ReviewerFlagComesFromQualifications) {
  User u = MakeUser("rev@x.org", Role::kExpert);
  std::string token = Login("rev@x.org");
  std::string id = std::to_string(u.id);
  Exec("INSERT INTO qualifications (user_id, domain, level, reviewer, granted_at) VALUES (" + id +
       ", 'physics', 3, 0, 1)");
  auto c = auth_->Authenticate(token);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->IsExpert());
  EXPECT_FALSE(c->reviewer);
  Exec("INSERT INTO qualifications (user_id, domain, level, reviewer, granted_at) VALUES (" + id +
       ", 'law', 4, 1, 1)");
  c = auth_->Authenticate(token);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->reviewer);
}

TEST_P(AuthServiceTest, LogoutRevokesTheGivenCredentialOnly) {
  User u = MakeUser("u@x.org", Role::kOperator);
  std::string a = Login("u@x.org"), b = Login("u@x.org");
  auto api = orgs_->CreateToken(CallerOf(u), "api");
  auto other_api = orgs_->CreateToken(CallerOf(u), "other");
  ASSERT_TRUE(api && other_api);
  ASSERT_TRUE(auth_->Logout(api->secret));
  EXPECT_TRUE(IsError(auth_->Authenticate(api->secret), ErrorCode::kUnauthenticated));
  EXPECT_TRUE(auth_->Authenticate(other_api->secret));
  ASSERT_TRUE(auth_->Logout(api->secret));  // a retry succeeds
  ASSERT_TRUE(auth_->Logout(a));
  EXPECT_TRUE(IsError(auth_->Authenticate(a), ErrorCode::kUnauthenticated));
  auto c = auth_->Authenticate(b);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->IsOperator());
  EXPECT_EQ(c->org_id, 0);
}

FW_INSTANTIATE_BACKENDS(AuthServiceTest);

}  // namespace
}  // namespace fw::orgs
