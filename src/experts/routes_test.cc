// The experts routes through http::Router with a real AuthService, on SQLite and PostgreSQL.

#include "experts/routes.h"

#include <gtest/gtest.h>

#include "base/json.h"
#include "orgs/routes.h"
#include "orgs/testing.h"

namespace fw::experts {
namespace {

namespace json = boost::json;
using security::IdKind;

class ExpertRoutesTest : public orgs::testing::ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    if (NotReady()) return;
    experts_ = std::make_unique<ExpertService>(*db_, clock_, ids_);
    domains_ = std::make_unique<DomainService>(*db_);
    router_ = std::make_unique<http::Router>(auth_.get());
    orgs::RegisterRoutes(*router_, *orgs_, *auth_, ids_);
    RegisterRoutes(*router_, *experts_, *domains_, *orgs_, ids_, clock_);
    lab_ = MakeLab("acme");
    op_ = MakeUser("op@x.org", Role::kOperator);
    member_ = MakeUser("member@x.org", Role::kLabMember, lab_.id);
    expert_ = MakeUser("expert@x.org", Role::kExpert);
    op_token_ = Login("op@x.org");
  }

  http::Response Call(std::string method, std::string path, const std::string& token,
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

  std::string QualPath(std::int64_t user_id, const std::string& domain) {
    return "/api/v1/experts/" + ids_.Encode(IdKind::kUser, user_id) + "/qualifications/" + domain;
  }

  std::unique_ptr<ExpertService> experts_;
  std::unique_ptr<DomainService> domains_;
  std::unique_ptr<http::Router> router_;
  orgs::Lab lab_;
  orgs::User op_, member_, expert_;
  std::string op_token_;
};

TEST_P(ExpertRoutesTest, MeShowsAnExpertWithQualificationsAndNoLab) {
  ASSERT_TRUE(experts_->GrantQualification(expert_.id, "mathematics", 3, true));
  auto res = Call("GET", "/api/v1/me", Login("expert@x.org"));
  ASSERT_EQ(res.status, 200) << res.body;
  json::value v = Body(res);
  EXPECT_EQ(v.at("id").as_string(), ids_.Encode(IdKind::kUser, expert_.id));
  EXPECT_EQ(v.at("email").as_string(), "expert@x.org");
  EXPECT_EQ(v.at("name").as_string(), expert_.name);
  EXPECT_EQ(v.at("role").as_string(), "expert");
  EXPECT_TRUE(v.at("lab").is_null());
  const auto& quals = v.at("qualifications").as_array();
  ASSERT_EQ(quals.size(), 1u);
  EXPECT_EQ(quals[0].at("domain").as_string(), "mathematics");
  EXPECT_EQ(quals[0].at("level").as_int64(), 3);
  EXPECT_EQ(quals[0].at("reviewer").as_bool(), true);
  EXPECT_EQ(quals[0].at("granted_at").as_string(), FormatTime(clock_.Now()));
}

TEST_P(ExpertRoutesTest, MeShowsALabMembersLab) {
  auto res = Call("GET", "/api/v1/me", Login("member@x.org"));
  ASSERT_EQ(res.status, 200) << res.body;
  json::value v = Body(res);
  EXPECT_EQ(v.at("role").as_string(), "member");
  EXPECT_EQ(v.at("lab").at("id").as_string(), ids_.Encode(IdKind::kOrg, lab_.id));
  EXPECT_EQ(v.at("lab").at("name").as_string(), lab_.name);
  EXPECT_TRUE(v.at("qualifications").as_array().empty());
  EXPECT_EQ(Call("GET", "/api/v1/me", "").status, 401);
}

TEST_P(ExpertRoutesTest, DomainsListsTheDomainsAndLevels) {
  auto res = Call("GET", "/api/v1/domains", Login("member@x.org"));
  ASSERT_EQ(res.status, 200);
  json::value v = Body(res);
  const auto& domains = v.at("domains").as_array();
  ASSERT_EQ(domains.size(), 23u);
  EXPECT_EQ(domains[8].at("name").as_string(), "computer_science");
  EXPECT_EQ(domains[8].at("title").as_string(), "Computer science");
  EXPECT_TRUE(domains[8].at("parent").is_null());
  EXPECT_EQ(domains[9].at("parent").as_string(), "physics");
  const auto& levels = v.at("levels").as_array();
  ASSERT_EQ(levels.size(), 5u);
  EXPECT_EQ(levels[1].at("level").as_int64(), 2);
  EXPECT_EQ(levels[1].at("name").as_string(), "bachelor");
}

TEST_P(ExpertRoutesTest, OperatorAddsAndRetitlesDomainsThatEveryoneThenSees) {
  auto added = Call("POST", "/api/v1/domains", op_token_,
                    R"({"name":"linguistics","title":"Linguistics"})");
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(Body(added),
            (json::value{{"name", "linguistics"}, {"title", "Linguistics"}, {"parent", nullptr}}));
  auto renamed = Call("PATCH", "/api/v1/domains/linguistics", op_token_,
                      R"({"title":"Linguistics and philology"})");
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  auto list = Body(Call("GET", "/api/v1/domains", Login("expert@x.org")));
  const auto& domains = list.at("domains").as_array();
  ASSERT_EQ(domains.size(), 24u);
  EXPECT_EQ(domains[23], (json::value{{"name", "linguistics"},
                                      {"title", "Linguistics and philology"},
                                      {"parent", nullptr}}));
  auto put = Call("PUT", QualPath(expert_.id, "linguistics"), op_token_, R"({"level":3,"reason":"r"})");
  EXPECT_EQ(put.status, 200) << put.body;
}

TEST_P(ExpertRoutesTest, BadDomainRequestsAnswerWithTheFieldAtFault) {
  auto taken = Call("POST", "/api/v1/domains", op_token_, R"({"name":"physics","title":"Physik"})");
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(Body(taken).at("error").at("reason").as_string(), "domain_exists");
  EXPECT_EQ(ErrorField(taken), "name");
  auto upper = Call("POST", "/api/v1/domains", op_token_, R"({"name":"Optics","title":"Optics"})");
  EXPECT_EQ(upper.status, 400);
  EXPECT_EQ(ErrorField(upper), "name");
  auto untitled = Call("POST", "/api/v1/domains", op_token_, R"({"name":"optics"})");
  EXPECT_EQ(untitled.status, 400);
  EXPECT_EQ(ErrorField(untitled), "title");
  auto extra = Call("POST", "/api/v1/domains", op_token_,
                    R"({"name":"optics","title":"Optics","colour":"red"})");
  EXPECT_EQ(extra.status, 400);
  EXPECT_EQ(ErrorField(extra), "colour");
  auto orphan = Call("POST", "/api/v1/domains", op_token_,
                     R"({"name":"optics","title":"Optics","parent":"astrology"})");
  EXPECT_EQ(orphan.status, 400);
  EXPECT_EQ(ErrorField(orphan), "parent");
  auto sub = Call("POST", "/api/v1/domains", op_token_,
                  R"({"name":"optics","title":"Optics","parent":"physics"})");
  ASSERT_EQ(sub.status, 201) << sub.body;
  EXPECT_EQ(Body(sub).at("parent").as_string(), "physics");
  auto blank = Call("PATCH", "/api/v1/domains/physics", op_token_, R"({"title":"  "})");
  EXPECT_EQ(blank.status, 400);
  EXPECT_EQ(ErrorField(blank), "title");
  EXPECT_EQ(Call("PATCH", "/api/v1/domains/astrology", op_token_, R"({"title":"A"})").status, 404);
  std::string member = Login("member@x.org"), expert = Login("expert@x.org");
  EXPECT_EQ(Call("POST", "/api/v1/domains", member, R"({"name":"optics","title":"O"})").status, 403);
  EXPECT_EQ(Call("PATCH", "/api/v1/domains/law", expert, R"({"title":"L"})").status, 403);
  EXPECT_EQ(Body(Call("GET", "/api/v1/domains", member)).at("domains").as_array().size(), 24u);
}

TEST_P(ExpertRoutesTest, OperatorGrantsListsAndRevokesQualifications) {
  auto put = Call("PUT", QualPath(expert_.id, "law"), op_token_, 
                  R"({"level":4,"reviewer":true,"reason":"bar admission checked by phone"})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(Body(put).at("domain").as_string(), "law");
  EXPECT_EQ(Body(put).at("level").as_int64(), 4);
  EXPECT_EQ(Body(put).at("level_name").as_string(), "PhD");
  EXPECT_TRUE(Body(put).at("reviewer").as_bool());
  EXPECT_EQ(Body(put).at("grounds").at("kind").as_string(), "operator");
  EXPECT_EQ(Body(put).at("grounds").at("reason").as_string(), "bar admission checked by phone");
  EXPECT_TRUE(Body(put).at("expires_at").is_null());
  EXPECT_FALSE(Body(put).at("expired").as_bool());
  auto unreasoned = Call("PUT", QualPath(expert_.id, "finance"), op_token_, R"({"level":1})");
  EXPECT_EQ(unreasoned.status, 400);
  EXPECT_EQ(ErrorField(unreasoned), "reason");
  auto blank = Call("PUT", QualPath(expert_.id, "finance"), op_token_,
                    R"({"level":1,"reason":"  "})");
  EXPECT_EQ(ErrorField(blank), "reason");
  auto past = Call("PUT", QualPath(expert_.id, "finance"), op_token_,
                   R"({"level":1,"reason":"r","expires_at":"2001-01-01"})");
  EXPECT_EQ(ErrorField(past), "expires_at");
  auto garbled = Call("PUT", QualPath(expert_.id, "finance"), op_token_,
                      R"({"level":1,"reason":"r","expires_at":"soon"})");
  EXPECT_EQ(ErrorField(garbled), "expires_at");
  EXPECT_TRUE(experts_->Qualifications(expert_.id)->size() == 1);
  auto plain = Call("PUT", QualPath(expert_.id, "finance"), op_token_,
                    R"({"level":1,"reason":"CFA charterholder","expires_at":"2099-01-01"})");
  ASSERT_EQ(plain.status, 200) << plain.body;
  EXPECT_FALSE(Body(plain).at("reviewer").as_bool());
  EXPECT_EQ(Body(plain).at("expires_at").as_string(), "2099-01-01T00:00:00Z");

  auto list = Call("GET", "/api/v1/experts", op_token_);
  ASSERT_EQ(list.status, 200);
  json::value body = Body(list);
  const auto& experts = body.at("experts").as_array();
  ASSERT_EQ(experts.size(), 1u);
  EXPECT_EQ(experts[0].at("id").as_string(), ids_.Encode(IdKind::kUser, expert_.id));
  EXPECT_EQ(experts[0].at("email").as_string(), "expert@x.org");
  EXPECT_EQ(experts[0].at("qualifications").as_array().size(), 2u);

  EXPECT_EQ(Call("DELETE", QualPath(expert_.id, "law"), op_token_).status, 204);
  EXPECT_EQ(Call("DELETE", QualPath(expert_.id, "law"), op_token_).status, 404);
  auto after = experts_->Qualifications(expert_.id);
  ASSERT_TRUE(after);
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].domain, "finance");
}

TEST_P(ExpertRoutesTest, BadQualificationBodiesAre400NamingTheField) {
  auto high = Call("PUT", QualPath(expert_.id, "law"), op_token_, R"({"level":6,"reason":"r"})");
  EXPECT_EQ(high.status, 400);
  EXPECT_EQ(ErrorField(high), "level");
  auto huge = Call("PUT", QualPath(expert_.id, "law"), op_token_, R"({"level":4294967299,"reason":"r"})");
  EXPECT_EQ(huge.status, 400);
  EXPECT_EQ(ErrorField(huge), "level");
  auto missing = Call("PUT", QualPath(expert_.id, "law"), op_token_, R"({"reviewer":true})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(ErrorField(missing), "level");
  auto bad_reviewer =
      Call("PUT", QualPath(expert_.id, "law"), op_token_, R"({"level":2,"reviewer":"yes"})");
  EXPECT_EQ(bad_reviewer.status, 400);
  EXPECT_EQ(ErrorField(bad_reviewer), "reviewer");
  auto domain = Call("PUT", QualPath(expert_.id, "astrology"), op_token_, R"({"level":2,"reason":"r"})");
  EXPECT_EQ(domain.status, 400);
  EXPECT_EQ(ErrorField(domain), "domain");
  auto del_domain = Call("DELETE", QualPath(expert_.id, "astrology"), op_token_);
  EXPECT_EQ(del_domain.status, 400);
  EXPECT_EQ(ErrorField(del_domain), "domain");
}

TEST_P(ExpertRoutesTest, UnknownOrNonExpertUsersAre404) {
  EXPECT_EQ(
      Call("PUT", "/api/v1/experts/usr_garbage/qualifications/law", op_token_, R"({"level":2,"reason":"r"})")
          .status,
      404);
  EXPECT_EQ(Call("PUT", QualPath(member_.id, "law"), op_token_, R"({"level":2,"reason":"r"})").status, 404);
  // A lab id is not a user id, even with the same number inside.
  std::string lab_path =
      "/api/v1/experts/" + ids_.Encode(IdKind::kOrg, expert_.id) + "/qualifications/law";
  EXPECT_EQ(Call("PUT", lab_path, op_token_, R"({"level":2,"reason":"r"})").status, 404);
  EXPECT_EQ(Call("DELETE", "/api/v1/experts/usr_garbage/qualifications/law", op_token_).status,
            404);
}

TEST_P(ExpertRoutesTest, OnlyOperatorsManageExperts) {
  std::string member = Login("member@x.org"), expert = Login("expert@x.org");
  EXPECT_EQ(Call("GET", "/api/v1/experts", member).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/experts", expert).status, 403);
  EXPECT_EQ(Call("PUT", QualPath(expert_.id, "law"), expert, R"({"level":5})").status, 403);
  EXPECT_EQ(Call("DELETE", QualPath(expert_.id, "law"), member).status, 403);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM qualifications"), 0);
}

TEST_P(ExpertRoutesTest, RegistersExactlyTheDocumentedRoutes) {
  http::Router only(auth_.get());
  RegisterRoutes(only, *experts_, *domains_, *orgs_, ids_, clock_);
  std::vector<std::string> got;
  for (const http::Route& r : only.routes()) got.push_back(r.method + " " + r.pattern);
  std::vector<std::string> want = {"GET /api/v1/me", "GET /api/v1/domains", "POST /api/v1/domains",
                                   "PATCH /api/v1/domains/{domain}", "GET /api/v1/experts",
                                   "PUT /api/v1/experts/{user_id}/qualifications/{domain}",
                                   "DELETE /api/v1/experts/{user_id}/qualifications/{domain}"};
  EXPECT_EQ(got, want);
}

FW_INSTANTIATE_BACKENDS(ExpertRoutesTest);

}  // namespace
}  // namespace fw::experts
