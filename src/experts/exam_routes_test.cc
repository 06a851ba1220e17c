// The exam routes through http::Router with a real AuthService, on SQLite and PostgreSQL: who
// may call what, and how the service's answers read over HTTP.

#include "experts/exam_routes.h"

#include <gtest/gtest.h>

#include <set>

#include "base/json.h"
#include "orgs/testing.h"

namespace fw::experts {
namespace {

namespace json = boost::json;
using security::IdKind;

class ExamRoutesTest : public orgs::testing::ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    if (NotReady()) return;
    experts_ = std::make_unique<ExpertService>(*db_, clock_, ids_);
    exams_ = std::make_unique<ExamService>(*db_, clock_, *experts_);
    router_ = std::make_unique<http::Router>(auth_.get());
    RegisterExamRoutes(*router_, *exams_, clock_, ids_);
    lab_ = MakeLab("acme");
    MakeUser("op@x.org", Role::kOperator);
    MakeUser("owner@x.org", Role::kLabOwner, lab_.id);
    expert_ = MakeUser("expert@x.org", Role::kExpert);
    op_ = Login("op@x.org");
    owner_ = Login("owner@x.org");
    expert_token_ = Login("expert@x.org");
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

  // An active exam with one label question (gold "yes"); returns its public id.
  std::string ActiveExam() {
    auto e = Call("POST", "/api/v1/exams", op_,
                  R"({"domain": "physics", "level": 2, "title": "Physics 2",
                      "time_limit_seconds": 600, "pass_mark": 50, "cooldown_seconds": 60,
                      "draw_count": 1})");
    EXPECT_EQ(e.status, 201) << e.body;
    std::string id(Body(e).at("id").as_string());
    auto q = Call("POST", "/api/v1/exams/" + id + "/questions", op_,
                  R"({"prompt": "Is light a wave?",
                      "question": {"type": "label", "options": ["yes", "no"]}, "gold": "yes"})");
    EXPECT_EQ(q.status, 201) << q.body;
    auto on = Call("PATCH", "/api/v1/exams/" + id, op_, R"({"status": "active"})");
    EXPECT_EQ(on.status, 200) << on.body;
    return id;
  }

  std::unique_ptr<ExpertService> experts_;
  std::unique_ptr<ExamService> exams_;
  std::unique_ptr<http::Router> router_;
  orgs::Lab lab_;
  orgs::User expert_;
  std::string op_, owner_, expert_token_;
};

TEST_P(ExamRoutesTest, LabsGetNotFoundOnEveryExamRoute) {
  std::string exam = ActiveExam();
  auto started = Call("POST", "/api/v1/exams/" + exam + "/attempts", expert_token_, "{}");
  ASSERT_EQ(started.status, 201) << started.body;
  std::string attempt(Body(started).at("id").as_string());
  int checked = 0;
  for (const http::Route& route : router_->routes()) {
    std::string path = route.pattern;
    auto fill = [&](const std::string& name, const std::string& value) {
      auto at = path.find("{" + name + "}");
      if (at != std::string::npos) path.replace(at, name.size() + 2, value);
    };
    fill("exam_id", exam);
    fill("question_id", ids_.Encode(IdKind::kExamQuestion, 1));
    fill("attempt_id", attempt);
    fill("grading_id", ids_.Encode(IdKind::kExamGrading, 1));
    auto r = Call(route.method, path, owner_, "{}");
    EXPECT_EQ(r.status, 404) << route.method << " " << route.pattern << ": " << r.body;
    ++checked;
  }
  EXPECT_EQ(checked, 13);
}

TEST_P(ExamRoutesTest, OperatorsAndExpertsCallOnlyTheirOwnRoutes) {
  std::string exam = ActiveExam();
  EXPECT_EQ(Call("POST", "/api/v1/exams", expert_token_, "{}").status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/exams/" + exam, expert_token_).status, 200);
  EXPECT_EQ(Call("POST", "/api/v1/exams/" + exam + "/attempts", op_, "{}").status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/exam-gradings", expert_token_).status, 403)
      << "an expert without reviewer rights";
  EXPECT_EQ(Call("GET", "/api/v1/exams", "").status, 401);
  json::value listed = Body(Call("GET", "/api/v1/exams", expert_token_));
  EXPECT_EQ(listed.at("exams").as_array()[0].at("mine").at("status"), "available");
  json::value full = Body(Call("GET", "/api/v1/exams/" + exam, op_));
  EXPECT_EQ(full.at("questions").as_array()[0].at("gold"), "yes");
}

TEST_P(ExamRoutesTest, AStartIsCreatedThenResumedAndASubmitNamesQuestionsByPublicId) {
  std::string exam = ActiveExam();
  auto first = Call("POST", "/api/v1/exams/" + exam + "/attempts", expert_token_, "{}");
  ASSERT_EQ(first.status, 201) << first.body;
  auto again = Call("POST", "/api/v1/exams/" + exam + "/attempts", expert_token_, "{}");
  ASSERT_EQ(again.status, 200) << again.body;
  json::value a = Body(again);
  EXPECT_EQ(a.at("resumed"), true);
  EXPECT_EQ(a.at("seconds_left"), 600);
  EXPECT_EQ(again.body.find("\"gold\""), std::string::npos) << "no gold for the candidate";
  std::string attempt(a.at("id").as_string());
  std::string question(a.at("questions").as_array()[0].at("id").as_string());

  auto bad = Call("POST", "/api/v1/exam-attempts/" + attempt + "/submit", expert_token_,
                  R"({"answers": {")" + question + R"(": "maybe", "exq_bogus": "yes"}})");
  ASSERT_EQ(bad.status, 422) << bad.body;
  std::set<std::string> fields;
  const json::value bad_body = Body(bad);
  for (const auto& d : bad_body.at("error").at("details").as_array()) {
    fields.insert(std::string(d.at("field").as_string()));
  }
  EXPECT_EQ(fields, (std::set<std::string>{"answers." + question, "answers.exq_bogus"}));

  auto done = Call("POST", "/api/v1/exam-attempts/" + attempt + "/submit", expert_token_,
                   R"({"answers": {")" + question + R"(": "yes"}})");
  ASSERT_EQ(done.status, 200) << done.body;
  json::value result = Body(done);
  EXPECT_EQ(result.at("state"), "passed");
  EXPECT_EQ(result.at("passed"), true);
  EXPECT_EQ(result.at("questions").as_array()[0].at("graded_by"), "gold");
  auto missing = Call("POST", "/api/v1/exam-attempts/" + attempt + "/submit", expert_token_,
                      R"({"answer": {}})");
  EXPECT_EQ(missing.status, 400) << missing.body;
}

FW_INSTANTIATE_BACKENDS(ExamRoutesTest);

}  // namespace
}  // namespace fw::experts
