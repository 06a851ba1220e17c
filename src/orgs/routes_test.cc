// The orgs routes through http::Router with a real AuthService, on SQLite and PostgreSQL.

#include "orgs/routes.h"

#include <gtest/gtest.h>

#include "base/json.h"
#include "orgs/testing.h"

namespace fw::orgs {
namespace {

namespace json = boost::json;
using testing::kPassword;

class OrgRoutesTest : public testing::ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    if (NotReady()) return;
    router_ = std::make_unique<http::Router>(auth_.get());
    RegisterRoutes(*router_, *orgs_, *auth_, ids_, RouteOptions{secure_});
    lab_ = MakeLab("acme");
    op_ = MakeUser("op@x.org", Role::kOperator);
    owner_ = MakeUser("owner@x.org", Role::kLabOwner, lab_.id);
    member_ = MakeUser("member@x.org", Role::kLabMember, lab_.id);
    expert_ = MakeUser("expert@x.org", Role::kExpert);
  }

  http::Response Call(std::string method, std::string path, std::string token = {},
                      std::string body = {}) {
    http::Request r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.request_id = "rid";
    r.body = std::move(body);
    if (!token.empty()) r.headers.emplace_back("authorization", "Bearer " + token);
    return router_->Handle(r);
  }

  static json::value Body(const http::Response& res) {
    auto v = ParseJson(res.body);
    EXPECT_TRUE(v) << res.body;
    return v.value_or(json::value());
  }

  static std::string ErrorField(const http::Response& res) {
    json::value v = Body(res);
    const auto& details = v.at("error").at("details").as_array();
    return details.empty() ? "" : std::string(details[0].at("field").as_string());
  }

  static std::string SetCookie(const http::Response& res) {
    for (const auto& [k, v] : res.headers) {
      if (k == "Set-Cookie") return v;
    }
    return "";
  }

  bool secure_ = false;
  std::unique_ptr<http::Router> router_;
  Lab lab_;
  User op_, owner_, member_, expert_;
};

TEST_P(OrgRoutesTest, LoginReturnsTokenAndUserAndSetsTheSessionCookie) {
  auto res = Call("POST", "/api/v1/auth/login", {},
                  R"({"email":"Owner@x.org","password":"correct horse battery"})");
  ASSERT_EQ(res.status, 200) << res.body;
  json::value v = Body(res);
  std::string token(v.at("token").as_string());
  EXPECT_EQ(token.substr(0, 4), "fws_");
  EXPECT_EQ(v.at("expires_at").as_string(), FormatTime(clock_.Now() + 3600));
  const auto& user = v.at("user").as_object();
  EXPECT_EQ(user.at("id").as_string(), ids_.Encode(security::IdKind::kUser, owner_.id));
  EXPECT_EQ(user.at("email").as_string(), "owner@x.org");
  EXPECT_EQ(user.at("role").as_string(), "owner");
  EXPECT_EQ(user.at("lab_id").as_string(), ids_.Encode(security::IdKind::kOrg, lab_.id));
  EXPECT_EQ(user.at("created_at").as_string(), FormatTime(owner_.created_at));
  EXPECT_FALSE(user.contains("password_hash"));
  EXPECT_EQ(SetCookie(res),
            "fw_session=" + token + "; HttpOnly; SameSite=Strict; Path=/; Max-Age=3600");

  // The cookie alone authenticates the browser.
  http::Request r;
  r.method = "GET";
  r.path = "/api/v1/lab/members";
  r.request_id = "rid";
  r.headers.emplace_back("cookie", "fw_session=" + token);
  auto members = router_->Handle(r);
  ASSERT_EQ(members.status, 200) << members.body;
  EXPECT_EQ(Body(members).at("members").as_array().size(), 2u);
}

class SecureCookieRoutesTest : public OrgRoutesTest {
 protected:
  void SetUp() override {
    secure_ = true;
    OrgRoutesTest::SetUp();
  }
};

TEST_P(SecureCookieRoutesTest, LoginCookieIsSecureWhenConfigured) {
  auto res = Call("POST", "/api/v1/auth/login", {},
                  R"({"email":"op@x.org","password":"correct horse battery"})");
  ASSERT_EQ(res.status, 200);
  EXPECT_NE(SetCookie(res).find("; Secure"), std::string::npos);
}

TEST_P(OrgRoutesTest, LoginWithAWrongPasswordIs401) {
  auto res =
      Call("POST", "/api/v1/auth/login", {}, R"({"email":"op@x.org","password":"wrong one!"})");
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(SetCookie(res), "");
  auto unknown =
      Call("POST", "/api/v1/auth/login", {}, R"({"email":"who@x.org","password":"wrong one!"})");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(Body(unknown).at("error").at("message"), Body(res).at("error").at("message"));
}

TEST_P(OrgRoutesTest, BadBodiesAre400NamingTheField) {
  auto missing = Call("POST", "/api/v1/auth/login", {}, R"({"email":"op@x.org"})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(ErrorField(missing), "password");
  auto wrong_type = Call("POST", "/api/v1/auth/login", {}, R"({"email":5,"password":"x"})");
  EXPECT_EQ(wrong_type.status, 400);
  EXPECT_EQ(ErrorField(wrong_type), "email");
  auto not_json = Call("POST", "/api/v1/auth/login", {}, "{nope");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(ErrorField(not_json), "body");
  std::string op = Login("op@x.org");
  auto bad_role =
      Call("POST", "/api/v1/users", op,
           R"({"email":"n@x.org","name":"N","password":"long enough pw","role":"king"})");
  EXPECT_EQ(bad_role.status, 400);
  EXPECT_EQ(ErrorField(bad_role), "role");
  auto short_pw = Call("POST", "/api/v1/users", op,
                       R"({"email":"n@x.org","name":"N","password":"short","role":"expert"})");
  EXPECT_EQ(short_pw.status, 400);
  EXPECT_EQ(ErrorField(short_pw), "password");
  auto bad_ttl = Call("POST", "/api/v1/tokens", op, R"({"name":"t","expires_in_seconds":"soon"})");
  EXPECT_EQ(bad_ttl.status, 400);
  EXPECT_EQ(ErrorField(bad_ttl), "expires_in_seconds");
}

TEST_P(OrgRoutesTest, OperatorCreatesUsersAndADuplicateEmailIs409) {
  std::string op = Login("op@x.org");
  std::string lab_id = ids_.Encode(security::IdKind::kOrg, lab_.id);
  auto res = Call(
      "POST", "/api/v1/users", op,
      R"({"email":"New@x.org","name":"New","password":"long enough pw","role":"member","lab_id":")" +
          lab_id + R"("})");
  ASSERT_EQ(res.status, 201) << res.body;
  json::value v = Body(res);
  EXPECT_EQ(v.at("email").as_string(), "new@x.org");
  EXPECT_EQ(v.at("role").as_string(), "member");
  EXPECT_EQ(v.at("lab_id").as_string(), lab_id);
  EXPECT_EQ(v.at("id").as_string().subview().substr(0, 4), "usr_");

  auto dup =
      Call("POST", "/api/v1/users", op,
           R"({"email":"new@X.org","name":"Again","password":"long enough pw","role":"expert"})");
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(Body(dup).at("error").at("reason").as_string(), "email_taken");

  auto expert =
      Call("POST", "/api/v1/users", op,
           R"({"email":"e2@x.org","name":"E","password":"long enough pw","role":"expert"})");
  ASSERT_EQ(expert.status, 201);
  EXPECT_TRUE(Body(expert).at("lab_id").is_null());

  auto list = Call("GET", "/api/v1/users", op);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(Body(list).at("users").as_array().size(), 6u);
}

TEST_P(OrgRoutesTest, AnUndecodableLabIdIs404) {
  std::string op = Login("op@x.org");
  auto res = Call(
      "POST", "/api/v1/users", op,
      R"({"email":"n@x.org","name":"N","password":"long enough pw","role":"owner","lab_id":"lab_bogus"})");
  EXPECT_EQ(res.status, 404);
  // An id of another kind does not decode as a lab either.
  auto other_kind =
      Call("GET", "/api/v1/labs/" + ids_.Encode(security::IdKind::kUser, lab_.id), op);
  EXPECT_EQ(other_kind.status, 404);
}

TEST_P(OrgRoutesTest, MembersCannotCreateUsersOrMembers) {
  std::string member = Login("member@x.org");
  auto users =
      Call("POST", "/api/v1/users", member,
           R"({"email":"n@x.org","name":"N","password":"long enough pw","role":"expert"})");
  EXPECT_EQ(users.status, 403);
  auto members =
      Call("POST", "/api/v1/lab/members", member,
           R"({"email":"n@x.org","name":"N","password":"long enough pw","role":"member"})");
  EXPECT_EQ(members.status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/users", member).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/labs", member).status, 403);
  std::string expert = Login("expert@x.org");
  EXPECT_EQ(Call("GET", "/api/v1/lab/members", expert).status, 403);
}

TEST_P(OrgRoutesTest, OwnersInviteOwnersAndMembersToTheirOwnLabOnly) {
  std::string owner = Login("owner@x.org");
  auto res = Call("POST", "/api/v1/lab/members", owner,
                  R"({"email":"colleague@x.org","role":"member"})");
  ASSERT_EQ(res.status, 202) << res.body;
  json::value body = Body(res);
  const auto& inv = body.at("invitation").as_object();
  EXPECT_EQ(inv.at("id").as_string().subview().substr(0, 4), "inv_");
  EXPECT_EQ(inv.at("email").as_string(), "colleague@x.org");
  EXPECT_EQ(inv.at("role").as_string(), "member");
  EXPECT_EQ(inv.at("state").as_string(), "pending");
  EXPECT_EQ(inv.at("expires_at").as_string(), FormatTime(clock_.Now() + 7 * 24 * 3600));
  EXPECT_EQ(res.body.find("fwi_"), std::string::npos);
  ASSERT_EQ(mail_.size(), 1u);
  EXPECT_EQ(mail_[0].to, "colleague@x.org");
  auto as_expert =
      Call("POST", "/api/v1/lab/members", owner, R"({"email":"e@x.org","role":"expert"})");
  EXPECT_EQ(as_expert.status, 400);
  EXPECT_EQ(ErrorField(as_expert), "role");
  auto list = Call("GET", "/api/v1/lab/members", owner);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(Body(list).at("members").as_array().size(), 2u);
}

TEST_P(OrgRoutesTest, OperatorManagesLabs) {
  std::string op = Login("op@x.org");
  auto created = Call("POST", "/api/v1/labs", op, R"({"name":"Beta","slug":"beta"})");
  ASSERT_EQ(created.status, 201) << created.body;
  json::value lab = Body(created);
  EXPECT_EQ(lab.at("slug").as_string(), "beta");
  std::string id(lab.at("id").as_string());
  EXPECT_EQ(id.substr(0, 4), "lab_");
  auto dup = Call("POST", "/api/v1/labs", op, R"({"name":"Beta 2","slug":"beta"})");
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(Body(dup).at("error").at("reason").as_string(), "slug_taken");
  auto bad = Call("POST", "/api/v1/labs", op, R"({"name":"Beta 3","slug":"Not OK"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(ErrorField(bad), "slug");
  auto one = Call("GET", "/api/v1/labs/" + id, op);
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(Body(one).at("name").as_string(), "Beta");
  EXPECT_EQ(Call("GET", "/api/v1/labs/lab_nope", op).status, 404);
  auto all = Call("GET", "/api/v1/labs", op);
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(Body(all).at("labs").as_array().size(), 2u);
}

TEST_P(OrgRoutesTest, ApiTokensAreCreatedListedAndRevoked) {
  std::string session = Login("expert@x.org");
  auto created =
      Call("POST", "/api/v1/tokens", session, R"({"name":"laptop","expires_in_seconds":600})");
  ASSERT_EQ(created.status, 201) << created.body;
  json::value t = Body(created);
  std::string secret(t.at("token").as_string());
  std::string id(t.at("id").as_string());
  EXPECT_EQ(secret.substr(0, 4), "fwt_");
  EXPECT_EQ(id.substr(0, 4), "tok_");
  EXPECT_EQ(t.at("expires_at").as_string(), FormatTime(clock_.Now() + 600));
  EXPECT_EQ(t.at("created_at").as_string(), FormatTime(clock_.Now()));

  auto list = Call("GET", "/api/v1/tokens", secret);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find(secret), std::string::npos);
  ASSERT_EQ(Body(list).at("tokens").as_array().size(), 1u);
  EXPECT_EQ(Body(list).at("tokens").as_array()[0].at("id").as_string(), id);
  EXPECT_FALSE(Body(list).at("tokens").as_array()[0].as_object().contains("token"));

  std::string other = Login("op@x.org");
  EXPECT_EQ(Call("DELETE", "/api/v1/tokens/" + id, other).status, 404);
  EXPECT_EQ(Call("DELETE", "/api/v1/tokens/tok_garbage", session).status, 404);
  EXPECT_EQ(Call("DELETE", "/api/v1/tokens/" + id, session).status, 204);
  EXPECT_EQ(Call("GET", "/api/v1/tokens", secret).status, 401);
}

TEST_P(OrgRoutesTest, LogoutRevokesTheSessionAndClearsTheCookie) {
  std::string token = Login("member@x.org");
  auto res = Call("POST", "/api/v1/auth/logout", token);
  ASSERT_EQ(res.status, 204) << res.body;
  EXPECT_EQ(SetCookie(res), "fw_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
  EXPECT_EQ(Call("GET", "/api/v1/lab/members", token).status, 401);
  EXPECT_EQ(Call("POST", "/api/v1/auth/logout", token).status, 401);
}

TEST_P(OrgRoutesTest, ChangePasswordNeedsTheCurrentOne) {
  std::string token = Login("member@x.org");
  auto wrong = Call("POST", "/api/v1/me/password", token,
                    R"({"current_password":"not it at all","new_password":"fresh password 1"})");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(ErrorField(wrong), "current_password");
  auto ok =
      Call("POST", "/api/v1/me/password", token,
           R"({"current_password":"correct horse battery","new_password":"fresh password 1"})");
  EXPECT_EQ(ok.status, 204) << ok.body;
  EXPECT_EQ(Call("GET", "/api/v1/lab/members", token).status, 200);
  EXPECT_TRUE(auth_->Login("member@x.org", "fresh password 1"));
}

TEST_P(OrgRoutesTest, RequestsWithoutCredentialsAre401) {
  EXPECT_EQ(Call("GET", "/api/v1/labs").status, 401);
  EXPECT_EQ(Call("GET", "/api/v1/tokens").status, 401);
  EXPECT_EQ(Call("POST", "/api/v1/me/password", "fws_unknown", "{}").status, 401);
}

TEST_P(OrgRoutesTest, RegistersExactlyTheDocumentedRoutes) {
  std::vector<std::string> got;
  for (const http::Route& r : router_->routes()) got.push_back(r.method + " " + r.pattern);
  std::vector<std::string> want = {"POST /api/v1/auth/login",
                                   "POST /api/v1/auth/logout",
                                   "POST /api/v1/me/password",
                                   "GET /api/v1/labs",
                                   "POST /api/v1/labs",
                                   "GET /api/v1/labs/{lab_id}",
                                   "GET /api/v1/users",
                                   "POST /api/v1/users",
                                   "GET /api/v1/lab/members",
                                   "POST /api/v1/lab/members",
                                   "GET /api/v1/tokens",
                                   "POST /api/v1/tokens",
                                   "DELETE /api/v1/tokens/{token_id}",
                                   "DELETE /api/v1/tokens",
                                   "GET /api/v1/me/sessions",
                                   "DELETE /api/v1/me/sessions",
                                   "DELETE /api/v1/me/sessions/{session_id}",
                                   "POST /api/v1/invitations/accept",
                                   "POST /api/v1/users/{user_id}/password",
                                   "POST /api/v1/users/{user_id}/deactivate",
                                   "POST /api/v1/users/{user_id}/reactivate",
                                   "GET /api/v1/lab/invitations",
                                   "DELETE /api/v1/lab/invitations/{invitation_id}"};
  std::sort(got.begin(), got.end());
  std::sort(want.begin(), want.end());
  EXPECT_EQ(got, want);
}

FW_INSTANTIATE_BACKENDS(OrgRoutesTest);
FW_INSTANTIATE_BACKENDS(SecureCookieRoutesTest);

}  // namespace
}  // namespace fw::orgs
