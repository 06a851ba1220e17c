#include "http/router.h"

#include <gtest/gtest.h>

namespace fw::http {
namespace {

class FakeAuth : public Authenticator {
 public:
  Result<Caller> Authenticate(std::string_view token) override {
    Caller c;
    if (token == "op") { c.user_id = 1; c.role = Role::kOperator; return c; }
    if (token == "lab") { c.user_id = 2; c.role = Role::kLabMember; c.org_id = 7; return c; }
    if (token == "ex") { c.user_id = 3; c.role = Role::kExpert; return c; }
    return Fail(ErrorCode::kUnauthenticated, "bad token");
  }
};

Request Make(std::string method, std::string path, std::string token = {}) {
  Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.request_id = "rid";
  if (!token.empty()) r.headers.emplace_back("authorization", "Bearer " + token);
  return r;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add({"GET", "/api/v1/projects/{id}", Access::kLab,
                 [](Request& r) -> Result<Response> { return Json({{"id", r.Param("id")}, {"org", r.caller.org_id}}); },
                 "get project"});
    router_.Add({"GET", "/boom", Access::kPublic,
                 [](Request&) -> Result<Response> { throw std::runtime_error("boom"); }, "throws"});
    router_.Add({"POST", "/api/v1/work/next", Access::kExpert,
                 [](Request&) -> Result<Response> { return Fail(ErrorCode::kNotFound, "no work"); }, "next"});
  }
  FakeAuth auth_;
  Router router_{&auth_};
};

TEST_F(RouterTest, MatchesParamsAndPassesTheCaller) {
  auto req = Make("GET", "/api/v1/projects/prj_abc", "lab");
  auto res = router_.Handle(req);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, R"({"id":"prj_abc","org":7})");
}

TEST_F(RouterTest, MissingOrBadCredentialsAre401) {
  auto none = Make("GET", "/api/v1/projects/x");
  EXPECT_EQ(router_.Handle(none).status, 401);
  auto bad = Make("GET", "/api/v1/projects/x", "nope");
  EXPECT_EQ(router_.Handle(bad).status, 401);
}

TEST_F(RouterTest, WrongRoleIs403) {
  auto req = Make("GET", "/api/v1/projects/x", "ex");
  auto res = router_.Handle(req);
  EXPECT_EQ(res.status, 403);
  EXPECT_NE(res.body.find("permission_denied"), std::string::npos);
  auto op = Make("POST", "/api/v1/work/next", "op");
  EXPECT_EQ(router_.Handle(op).status, 403);
}

TEST_F(RouterTest, UnknownPathIs404AndWrongMethodIs405) {
  auto a = Make("GET", "/api/v1/nothing", "lab");
  EXPECT_EQ(router_.Handle(a).status, 404);
  auto b = Make("DELETE", "/api/v1/projects/x", "lab");
  EXPECT_EQ(router_.Handle(b).status, 405);
}

TEST_F(RouterTest, HandlerErrorsMapToStatusAndExceptionsTo500) {
  auto a = Make("POST", "/api/v1/work/next", "ex");
  auto res = router_.Handle(a);
  EXPECT_EQ(res.status, 404);
  EXPECT_NE(res.body.find("\"request_id\":\"rid\""), std::string::npos);
  auto b = Make("GET", "/boom");
  EXPECT_EQ(router_.Handle(b).status, 500);
}

TEST(Credential, BearerWinsOverCookie) {
  Request r;
  r.headers = {{"cookie", "a=b; fw_session=cookie-token; c=d"}};
  EXPECT_EQ(CredentialOf(r), "cookie-token");
  r.headers.emplace_back("authorization", "Bearer bearer-token");
  EXPECT_EQ(CredentialOf(r), "bearer-token");
}

TEST(StatusFor, EveryCodeHasItsStatus) {
  EXPECT_EQ(StatusFor(ErrorCode::kInvalidArgument), 400);
  EXPECT_EQ(StatusFor(ErrorCode::kUnauthenticated), 401);
  EXPECT_EQ(StatusFor(ErrorCode::kPermissionDenied), 403);
  EXPECT_EQ(StatusFor(ErrorCode::kNotFound), 404);
  EXPECT_EQ(StatusFor(ErrorCode::kConflict), 409);
  EXPECT_EQ(StatusFor(ErrorCode::kUnprocessable), 422);
  EXPECT_EQ(StatusFor(ErrorCode::kResourceExhausted), 429);
  EXPECT_EQ(StatusFor(ErrorCode::kUnavailable), 503);
  EXPECT_EQ(StatusFor(ErrorCode::kInternal), 500);
}

Request CookiePost(std::vector<std::pair<std::string, std::string>> headers) {
  Request r = Make("POST", "/api/v1/work/next");
  r.headers.emplace_back("cookie", "fw_session=ex");
  r.headers.emplace_back("host", "app.example:8080");
  for (auto& h : headers) r.headers.push_back(std::move(h));
  return r;
}

TEST_F(RouterTest, CookieRequestsFromAnotherSiteAreRefused) {
  auto evil = CookiePost({{"origin", "https://evil.example"}});
  auto res = router_.Handle(evil);
  EXPECT_EQ(res.status, 403);
  EXPECT_NE(res.body.find("cross_site_request"), std::string::npos);
  auto cross = CookiePost({{"sec-fetch-site", "cross-site"}});
  EXPECT_EQ(router_.Handle(cross).status, 403);
  auto silent = CookiePost({});
  res = router_.Handle(silent);
  EXPECT_EQ(res.status, 403);
  EXPECT_NE(res.body.find("origin_required"), std::string::npos);
}

TEST_F(RouterTest, SameOriginCookieRequestsNeedJson) {
  auto same = CookiePost({{"origin", "http://APP.example:8080"}});
  EXPECT_EQ(router_.Handle(same).status, 404);  // admitted: the handler's own answer
  auto form = CookiePost({{"origin", "http://app.example:8080"}, {"content-type", "text/plain"}});
  form.body = "{}";
  auto res = router_.Handle(form);
  EXPECT_EQ(res.status, 400);
  EXPECT_NE(res.body.find("unsupported_content_type"), std::string::npos);
  auto json = CookiePost({{"sec-fetch-site", "same-origin"}, {"content-type", "application/json; charset=utf-8"}});
  json.body = "{}";
  EXPECT_EQ(router_.Handle(json).status, 404);
}

TEST_F(RouterTest, BearerClientsAreNotAskedForAnOrigin) {
  auto req = Make("POST", "/api/v1/work/next", "ex");
  req.headers.emplace_back("origin", "https://elsewhere.example");
  req.headers.emplace_back("content-type", "text/plain");
  req.body = "{}";
  EXPECT_EQ(router_.Handle(req).status, 404);
}

}  // namespace
}  // namespace fw::http
