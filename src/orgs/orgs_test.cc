// OrgService contract: labs, users, passwords and API tokens, on SQLite and PostgreSQL.

#include "orgs/orgs.h"

#include <gtest/gtest.h>

#include "orgs/testing.h"
#include "security/crypto.h"

namespace fw::orgs {
namespace {

using testing::IsError;
using testing::kPassword;

class OrgServiceTest : public testing::ServicesTest {
 protected:
  std::string PseudonymKeyOf(std::int64_t org_id) {
    auto r = db_->Read<std::string>([&](soci::session& s) -> Result<std::string> {
      std::string key;
      long long id = org_id;
      s << "SELECT pseudonym_key FROM orgs WHERE id = :id", soci::into(key), soci::use(id);
      return key;
    });
    return r.value_or("");
  }
};

// ---- labs

TEST_P(OrgServiceTest, CreateLabStoresARandomHexPseudonymKeyPerLab) {
  auto a = orgs_->CreateLab("Alpha Lab", "alpha");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_GT(a->id, 0);
  EXPECT_EQ(a->name, "Alpha Lab");
  EXPECT_EQ(a->slug, "alpha");
  EXPECT_EQ(a->created_at, clock_.Now());
  Lab b = MakeLab("beta-2");
  std::string ka = PseudonymKeyOf(a->id), kb = PseudonymKeyOf(b.id);
  EXPECT_EQ(ka.size(), 64u);
  std::string raw;
  EXPECT_TRUE(security::FromHex(ka, &raw));
  EXPECT_EQ(raw.size(), 32u);
  EXPECT_NE(ka, kb);
}

TEST_P(OrgServiceTest, CreateLabRejectsBadSlugsNamingTheField) {
  for (const char* slug : {"a", "Upper", "has space", "under_score", "", "x/y",
                           "a-very-long-slug-that-goes-on-and-on-forever"}) {
    EXPECT_TRUE(IsError(orgs_->CreateLab("Lab", slug), ErrorCode::kInvalidArgument, "slug"))
        << slug;
  }
  EXPECT_TRUE(orgs_->CreateLab("Lab", "ok-42"));
}

TEST_P(OrgServiceTest, CreateLabRejectsAnEmptyOrLongName) {
  EXPECT_TRUE(IsError(orgs_->CreateLab("  ", "lab"), ErrorCode::kInvalidArgument, "name"));
  EXPECT_TRUE(
      IsError(orgs_->CreateLab(std::string(201, 'x'), "lab"), ErrorCode::kInvalidArgument, "name"));
}

TEST_P(OrgServiceTest, CreateLabWithATakenSlugIsAConflict) {
  MakeLab("taken");
  EXPECT_TRUE(
      IsError(orgs_->CreateLab("Other", "taken"), ErrorCode::kConflict, "slug", "slug_taken"));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM orgs"), 1);
}

TEST_P(OrgServiceTest, LabsAreListedAndFoundByIdAndSlug) {
  Lab a = MakeLab("aa"), b = MakeLab("bb");
  auto all = orgs_->ListLabs();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, a.id);
  EXPECT_EQ((*all)[1].id, b.id);
  auto got = orgs_->GetLab(b.id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->slug, "bb");
  auto found = orgs_->FindLabBySlug("aa");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, a.id);
}

TEST_P(OrgServiceTest, UnknownLabsAreNotFound) {
  EXPECT_TRUE(IsError(orgs_->GetLab(12345), ErrorCode::kNotFound));
  EXPECT_TRUE(IsError(orgs_->FindLabBySlug("nope"), ErrorCode::kNotFound));
}

// ---- users

TEST_P(OrgServiceTest, CreateUserLowerCasesTheEmailAndHashesThePassword) {
  Lab lab = MakeLab("lab");
  auto u = orgs_->CreateUser({"  Ada@Example.ORG ", "Ada", kPassword, Role::kLabOwner, lab.id});
  ASSERT_TRUE(u) << u.error().message;
  EXPECT_EQ(u->email, "ada@example.org");
  EXPECT_EQ(u->role, Role::kLabOwner);
  EXPECT_EQ(u->org_id, lab.id);
  EXPECT_FALSE(u->disabled);
  long long uid = u->id;
  auto stored = db_->Read<std::string>([&](soci::session& s) -> Result<std::string> {
    std::string h;
    s << "SELECT password_hash FROM users WHERE id = :id", soci::into(h), soci::use(uid);
    return h;
  });
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->find(kPassword), std::string::npos);
  EXPECT_NE(stored->find("argon2id"), std::string::npos);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM users WHERE org_id IS NULL"), 0);
}

TEST_P(OrgServiceTest, OperatorsAndExpertsAreStoredWithoutALab) {
  User op = MakeUser("op@example.org", Role::kOperator);
  User ex = MakeUser("ex@example.org", Role::kExpert);
  EXPECT_EQ(op.org_id, 0);
  EXPECT_EQ(ex.org_id, 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM users WHERE org_id IS NULL"), 2);
}

TEST_P(OrgServiceTest, CreateUserRejectsMalformedEmails) {
  for (const char* email : {"", "plain", "@example.org", "a@b", "a@@b.org", "a b@c.org", "a@.org",
                            "a@org.", "a@b..org", "<a>@b.org"}) {
    EXPECT_TRUE(IsError(orgs_->CreateUser({email, "N", kPassword, Role::kExpert, 0}),
                        ErrorCode::kInvalidArgument, "email"))
        << email;
  }
}

TEST_P(OrgServiceTest, CreateUserRejectsShortAndOverlongPasswords) {
  EXPECT_TRUE(IsError(orgs_->CreateUser({"a@b.org", "N", "123456789", Role::kExpert, 0}),
                      ErrorCode::kInvalidArgument, "password"));
  EXPECT_TRUE(IsError(orgs_->CreateUser({"a@b.org", "N", std::string(1025, 'p'), Role::kExpert, 0}),
                      ErrorCode::kInvalidArgument, "password"));
  EXPECT_TRUE(orgs_->CreateUser({"a@b.org", "N", "qv7-mrx-2k", Role::kExpert, 0}));
}

TEST_P(OrgServiceTest, CreateUserRejectsAnEmptyName) {
  EXPECT_TRUE(IsError(orgs_->CreateUser({"a@b.org", " ", kPassword, Role::kExpert, 0}),
                      ErrorCode::kInvalidArgument, "name"));
}

TEST_P(OrgServiceTest, OwnersAndMembersNeedALab) {
  EXPECT_TRUE(IsError(orgs_->CreateUser({"o@b.org", "O", kPassword, Role::kLabOwner, 0}),
                      ErrorCode::kInvalidArgument, "lab_id"));
  EXPECT_TRUE(IsError(orgs_->CreateUser({"m@b.org", "M", kPassword, Role::kLabMember, 0}),
                      ErrorCode::kInvalidArgument, "lab_id"));
}

TEST_P(OrgServiceTest, OperatorsAndExpertsMustHaveNoLab) {
  Lab lab = MakeLab("lab");
  EXPECT_TRUE(IsError(orgs_->CreateUser({"o@b.org", "O", kPassword, Role::kOperator, lab.id}),
                      ErrorCode::kInvalidArgument, "lab_id"));
  EXPECT_TRUE(IsError(orgs_->CreateUser({"e@b.org", "E", kPassword, Role::kExpert, lab.id}),
                      ErrorCode::kInvalidArgument, "lab_id"));
}

TEST_P(OrgServiceTest, CreateUserInAnUnknownLabIsNotFound) {
  EXPECT_TRUE(IsError(orgs_->CreateUser({"m@b.org", "M", kPassword, Role::kLabMember, 999}),
                      ErrorCode::kNotFound));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM users"), 0);
}

TEST_P(OrgServiceTest, CreateUserWithATakenEmailIsAConflictWhateverTheCase) {
  MakeUser("dup@example.org", Role::kExpert);
  EXPECT_TRUE(
      IsError(orgs_->CreateUser({"DUP@example.org", "Other", kPassword, Role::kOperator, 0}),
              ErrorCode::kConflict, "email", "email_taken"));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM users"), 1);
}

TEST_P(OrgServiceTest, UsersAreListedFoundAndFilteredByLab) {
  Lab a = MakeLab("aa"), b = MakeLab("bb");
  User op = MakeUser("op@x.org", Role::kOperator);
  User a1 = MakeUser("a1@x.org", Role::kLabOwner, a.id);
  User b1 = MakeUser("b1@x.org", Role::kLabMember, b.id);
  User a2 = MakeUser("a2@x.org", Role::kLabMember, a.id);
  auto all = orgs_->ListUsers();
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 4u);
  auto members = orgs_->ListMembers(a.id);
  ASSERT_TRUE(members);
  ASSERT_EQ(members->size(), 2u);
  EXPECT_EQ((*members)[0].id, a1.id);
  EXPECT_EQ((*members)[1].id, a2.id);
  auto none = orgs_->ListMembers(4242);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  auto found = orgs_->FindUserByEmail("B1@X.org");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, b1.id);
  EXPECT_EQ(found->org_id, b.id);
  auto got = orgs_->GetUser(op.id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->email, "op@x.org");
  EXPECT_EQ(got->role, Role::kOperator);
}

TEST_P(OrgServiceTest, UnknownUsersAreNotFound) {
  EXPECT_TRUE(IsError(orgs_->FindUserByEmail("nobody@x.org"), ErrorCode::kNotFound));
  EXPECT_TRUE(IsError(orgs_->GetUser(777), ErrorCode::kNotFound));
}

// ---- passwords

TEST_P(OrgServiceTest, ResetPasswordRevokesSessionsButNotApiTokens) {
  User u = MakeUser("u@x.org", Role::kExpert);
  std::string session = Login("u@x.org");
  auto api = orgs_->CreateToken(CallerOf(u), "script");
  ASSERT_TRUE(api);
  ASSERT_TRUE(orgs_->ResetPassword("U@x.org", "a brand new password"));
  EXPECT_TRUE(IsError(auth_->Authenticate(session), ErrorCode::kUnauthenticated));
  EXPECT_TRUE(auth_->Authenticate(api->secret));
  EXPECT_TRUE(IsError(auth_->Login("u@x.org", kPassword), ErrorCode::kUnauthenticated));
  EXPECT_TRUE(auth_->Login("u@x.org", "a brand new password"));
}

TEST_P(OrgServiceTest, ResetPasswordOfAnUnknownEmailIsNotFound) {
  EXPECT_TRUE(IsError(orgs_->ResetPassword("ghost@x.org", "long enough pw"), ErrorCode::kNotFound));
}

TEST_P(OrgServiceTest, ResetPasswordRejectsAShortPassword) {
  MakeUser("u@x.org", Role::kExpert);
  EXPECT_TRUE(
      IsError(orgs_->ResetPassword("u@x.org", "short"), ErrorCode::kInvalidArgument, "password"));
}

TEST_P(OrgServiceTest, ChangePasswordEndsOtherSessionsButNotTheCurrentOneOrApiTokens) {
  User u = MakeUser("u@x.org", Role::kExpert);
  std::string session = Login("u@x.org"), other = Login("u@x.org");
  auto api = orgs_->CreateToken(CallerOf(u), "script");
  ASSERT_TRUE(api);
  ASSERT_TRUE(orgs_->ChangePassword(CallerOf(u), kPassword, "another good password", session));
  EXPECT_TRUE(auth_->Authenticate(session));
  EXPECT_TRUE(IsError(auth_->Authenticate(other), ErrorCode::kUnauthenticated));
  EXPECT_TRUE(auth_->Authenticate(api->secret));
  EXPECT_TRUE(IsError(auth_->Login("u@x.org", kPassword), ErrorCode::kUnauthenticated));
  EXPECT_TRUE(auth_->Login("u@x.org", "another good password"));
}

TEST_P(OrgServiceTest, ChangePasswordWithAWrongCurrentPasswordNamesIt) {
  User u = MakeUser("u@x.org", Role::kExpert);
  EXPECT_TRUE(
      IsError(orgs_->ChangePassword(CallerOf(u), "not my password", "another good password"),
              ErrorCode::kInvalidArgument, "current_password", "wrong_password"));
  EXPECT_TRUE(auth_->Login("u@x.org", kPassword));
}

TEST_P(OrgServiceTest, ChangePasswordRejectsAShortNewPassword) {
  User u = MakeUser("u@x.org", Role::kExpert);
  EXPECT_TRUE(IsError(orgs_->ChangePassword(CallerOf(u), kPassword, "short"),
                      ErrorCode::kInvalidArgument, "new_password"));
}

TEST_P(OrgServiceTest, ChangePasswordOfAVanishedUserIsNotFound) {
  Caller ghost;
  ghost.user_id = 999;
  EXPECT_TRUE(IsError(orgs_->ChangePassword(ghost, kPassword, "another good password"),
                      ErrorCode::kNotFound));
}

// ---- API tokens

TEST_P(OrgServiceTest, ApiTokensAuthenticateAndAreStoredOnlyAsHashes) {
  Lab lab = MakeLab("lab");
  User u = MakeUser("m@x.org", Role::kLabMember, lab.id);
  auto t = orgs_->CreateToken(CallerOf(u), " ci ");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->secret.substr(0, 4), "fwt_");
  EXPECT_EQ(t->token.name, "ci");
  EXPECT_FALSE(t->token.expires_at.has_value());
  auto caller = auth_->Authenticate(t->secret);
  ASSERT_TRUE(caller);
  EXPECT_EQ(caller->user_id, u.id);
  EXPECT_EQ(caller->org_id, lab.id);
  EXPECT_EQ(caller->role, Role::kLabMember);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM tokens WHERE token_hash = '" + t->secret + "'"), 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM tokens WHERE token_hash = '" +
                     security::TokenHash(t->secret) + "' AND kind = 'api'"),
            1);
}

TEST_P(OrgServiceTest, ApiTokensExpireAfterTheirTtl) {
  User u = MakeUser("u@x.org", Role::kExpert);
  auto t = orgs_->CreateToken(CallerOf(u), "short-lived", 60);
  ASSERT_TRUE(t);
  ASSERT_TRUE(t->token.expires_at);
  EXPECT_EQ(*t->token.expires_at, clock_.Now() + 60);
  clock_.Advance(59);
  EXPECT_TRUE(auth_->Authenticate(t->secret));
  clock_.Advance(1);
  EXPECT_TRUE(IsError(auth_->Authenticate(t->secret), ErrorCode::kUnauthenticated));
}

TEST_P(OrgServiceTest, CreateTokenRejectsBadTtlsAndNames) {
  User u = MakeUser("u@x.org", Role::kExpert);
  for (std::int64_t ttl : {std::int64_t{0}, std::int64_t{-5}, kMaxTokenTtlSeconds + 1}) {
    EXPECT_TRUE(IsError(orgs_->CreateToken(CallerOf(u), "t", ttl), ErrorCode::kInvalidArgument,
                        "expires_in_seconds"))
        << ttl;
  }
  EXPECT_TRUE(IsError(orgs_->CreateToken(CallerOf(u), ""), ErrorCode::kInvalidArgument, "name"));
  EXPECT_TRUE(IsError(orgs_->CreateToken(CallerOf(u), std::string(101, 'n')),
                      ErrorCode::kInvalidArgument, "name"));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM tokens"), 0);
}

TEST_P(OrgServiceTest, ListTokensShowsTheCallersLiveApiTokensOnly) {
  User u = MakeUser("u@x.org", Role::kExpert);
  User other = MakeUser("o@x.org", Role::kExpert);
  Login("u@x.org");  // a session is not an API token
  auto first = orgs_->CreateToken(CallerOf(u), "first");
  clock_.Advance(1);
  auto second = orgs_->CreateToken(CallerOf(u), "second", 3600);
  auto revoked = orgs_->CreateToken(CallerOf(u), "revoked");
  ASSERT_TRUE(first && second && revoked);
  ASSERT_TRUE(orgs_->CreateToken(CallerOf(other), "theirs"));
  ASSERT_TRUE(orgs_->RevokeToken(CallerOf(u), revoked->token.id));
  auto list = orgs_->ListTokens(CallerOf(u));
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "second");  // newest first
  EXPECT_EQ((*list)[0].expires_at, second->token.expires_at);
  EXPECT_EQ((*list)[1].name, "first");
  EXPECT_EQ((*list)[1].created_at, first->token.created_at);
}

TEST_P(OrgServiceTest, RevokedTokensAreRefusedAndRevokingAgainSucceeds) {
  User u = MakeUser("u@x.org", Role::kExpert);
  auto t = orgs_->CreateToken(CallerOf(u), "t");
  ASSERT_TRUE(t);
  ASSERT_TRUE(orgs_->RevokeToken(CallerOf(u), t->token.id));
  EXPECT_TRUE(IsError(auth_->Authenticate(t->secret), ErrorCode::kUnauthenticated));
  EXPECT_TRUE(orgs_->RevokeToken(CallerOf(u), t->token.id));
}

TEST_P(OrgServiceTest, RevokingSomeoneElsesOrAnUnknownTokenIsNotFound) {
  User u = MakeUser("u@x.org", Role::kExpert);
  User other = MakeUser("o@x.org", Role::kExpert);
  auto theirs = orgs_->CreateToken(CallerOf(other), "theirs");
  ASSERT_TRUE(theirs);
  EXPECT_TRUE(IsError(orgs_->RevokeToken(CallerOf(u), theirs->token.id), ErrorCode::kNotFound));
  EXPECT_TRUE(auth_->Authenticate(theirs->secret));
  EXPECT_TRUE(IsError(orgs_->RevokeToken(CallerOf(u), 98765), ErrorCode::kNotFound));
  // A session is not an API token either.
  Login("u@x.org");
  long long session_id = QueryInt("SELECT id FROM tokens WHERE kind = 'session'");
  EXPECT_TRUE(IsError(orgs_->RevokeToken(CallerOf(u), session_id), ErrorCode::kNotFound));
}

TEST_P(OrgServiceTest, CreateTokenForUserMakesANonExpiringToken) {
  Lab lab = MakeLab("lab");
  User u = MakeUser("own@x.org", Role::kLabOwner, lab.id);
  auto t = orgs_->CreateTokenForUser("OWN@x.org", "cli");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_FALSE(t->token.expires_at);
  auto caller = auth_->Authenticate(t->secret);
  ASSERT_TRUE(caller);
  EXPECT_EQ(caller->user_id, u.id);
  EXPECT_EQ(caller->org_id, lab.id);
}

TEST_P(OrgServiceTest, CreateTokenForUserReportsUnknownUsersAndBadNames) {
  MakeUser("u@x.org", Role::kExpert);
  EXPECT_TRUE(IsError(orgs_->CreateTokenForUser("ghost@x.org", "cli"), ErrorCode::kNotFound));
  EXPECT_TRUE(
      IsError(orgs_->CreateTokenForUser("u@x.org", ""), ErrorCode::kInvalidArgument, "name"));
}

FW_INSTANTIATE_BACKENDS(OrgServiceTest);

TEST(NormalizeEmail, TrimsAndLowerCases) {
  auto e = NormalizeEmail("  Grace.Hopper+Navy@Example.COM\t");
  ASSERT_TRUE(e);
  EXPECT_EQ(*e, "grace.hopper+navy@example.com");
  EXPECT_TRUE(IsError(NormalizeEmail(std::string(250, 'a') + "@b.org"), ErrorCode::kInvalidArgument,
                      "email"));
}

TEST(IsValidSlug, AcceptsLowerCaseDigitsAndDashes) {
  EXPECT_TRUE(IsValidSlug("ab"));
  EXPECT_TRUE(IsValidSlug("lab-2026"));
  EXPECT_TRUE(IsValidSlug(std::string(40, 'a')));
  EXPECT_FALSE(IsValidSlug(std::string(41, 'a')));
  EXPECT_FALSE(IsValidSlug("a"));
  EXPECT_FALSE(IsValidSlug("Lab"));
}

}  // namespace
}  // namespace fw::orgs
