// Exams: the pure rules of exams.h, and ExamService on SQLite and PostgreSQL.

#include "experts/exams.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <set>

#include "base/json.h"
#include "orgs/testing.h"

namespace fw::experts {
namespace {

using orgs::testing::IsError;
namespace json = boost::json;

constexpr std::int64_t kDay = 86400;

json::object Obj(std::string_view text) { return json::parse(text).as_object(); }

// ---- the draw ----

TEST(DrawQuestions, DrawsTheCountInRandomOrderFromThePool) {
  std::mt19937_64 rng(1);
  std::vector<std::int64_t> pool = {1, 2, 3, 4, 5, 6, 7, 8};
  std::set<std::vector<std::int64_t>> seen;
  for (int i = 0; i < 50; ++i) {
    auto d = DrawQuestions(pool, 3, {}, rng);
    ASSERT_EQ(d.size(), 3u);
    EXPECT_EQ(std::set<std::int64_t>(d.begin(), d.end()).size(), 3u) << "no question twice";
    for (auto q : d) EXPECT_TRUE(q >= 1 && q <= 8);
    seen.insert(d);
  }
  EXPECT_GT(seen.size(), 30u) << "draws vary";
  EXPECT_EQ(DrawQuestions({4, 5}, 3, {}, rng).size(), 2u) << "a small bank is drawn whole";
  EXPECT_TRUE(DrawQuestions({}, 3, {}, rng).empty());
}

TEST(DrawQuestions, ANewAttemptDiffersFromThePreviousWheneverTheBankAllows) {
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    std::mt19937_64 rng(seed);
    // Three of four: the set differs.
    std::vector<std::int64_t> prev = {3, 1, 2};
    auto d = DrawQuestions({1, 2, 3, 4}, 3, prev, rng);
    EXPECT_NE(std::set<std::int64_t>(d.begin(), d.end()), std::set<std::int64_t>({1, 2, 3}))
        << "seed " << seed;
    // One of two: the set differs.
    auto one = DrawQuestions({1, 2}, 1, {2}, rng);
    EXPECT_EQ(one, (std::vector<std::int64_t>{1})) << "seed " << seed;
    // All of three: the order differs.
    auto all = DrawQuestions({1, 2, 3}, 3, prev, rng);
    EXPECT_EQ(std::set<std::int64_t>(all.begin(), all.end()).size(), 3u);
    EXPECT_NE(all, prev) << "seed " << seed;
  }
}

// ---- score, standing, grants ----

TEST(ScoreOf, IsPointsOverMaximumTimesHundredRoundedDown) {
  EXPECT_EQ(ScoreOf(2, 3), 66);
  EXPECT_EQ(ScoreOf(699, 1000), 69);
  EXPECT_EQ(ScoreOf(7, 10), 70);
  EXPECT_EQ(ScoreOf(3, 3), 100);
  EXPECT_EQ(ScoreOf(0, 3), 0);
  EXPECT_EQ(ScoreOf(0, 0), 0);
}

Exam SomeExam() {
  Exam e;
  e.id = 1;
  e.cooldown_seconds = 3600;
  e.time_limit_seconds = 600;
  return e;
}

TEST(StatusOf, FollowsTheLastAttempt) {
  const Exam exam = SomeExam();
  const UnixSeconds t0 = 1'000'000;
  ExamStatus none = StatusOf(exam, std::nullopt, t0);
  EXPECT_EQ(none.standing, ExamStanding::kAvailable);
  EXPECT_TRUE(none.can_start);

  LastAttempt running{7, AttemptState::kInProgress, t0 + 600, {}, {}, {}, {}};
  ExamStatus st = StatusOf(exam, running, t0 + 10);
  EXPECT_EQ(st.standing, ExamStanding::kInProgress);
  EXPECT_EQ(st.deadline, t0 + 600);
  EXPECT_TRUE(st.can_start) << "starting again resumes it";
  EXPECT_EQ(st.attempt_id, 7);

  // Past the deadline and grace it is over, and the cool-down runs from the deadline.
  st = StatusOf(exam, running, t0 + 600 + kExamGraceSeconds + 1);
  EXPECT_EQ(st.standing, ExamStanding::kCooldown);
  EXPECT_EQ(st.retake_at, t0 + 600 + 3600);
  EXPECT_FALSE(st.can_start);
  EXPECT_EQ(StatusOf(exam, running, t0 + 600 + kExamGraceSeconds).standing,
            ExamStanding::kInProgress)
      << "the grace still counts";

  LastAttempt grading{7, AttemptState::kGrading, t0 + 600, t0 + 100, {}, {}, {}};
  st = StatusOf(exam, grading, t0 + 99999);
  EXPECT_EQ(st.standing, ExamStanding::kGrading);
  EXPECT_FALSE(st.can_start);

  LastAttempt failed{7, AttemptState::kFailed, t0 + 600, t0 + 100, t0 + 100, 40, {}};
  st = StatusOf(exam, failed, t0 + 200);
  EXPECT_EQ(st.standing, ExamStanding::kCooldown);
  EXPECT_EQ(st.retake_at, t0 + 100 + 3600) << "from the submit";
  EXPECT_EQ(st.score, 40);
  st = StatusOf(exam, failed, t0 + 100 + 3600);
  EXPECT_EQ(st.standing, ExamStanding::kFailed);
  EXPECT_TRUE(st.can_start);

  LastAttempt passed{7, AttemptState::kPassed, t0 + 600, t0 + 100, t0 + 500, 90, 30};
  st = StatusOf(exam, passed, t0 + 200);
  EXPECT_EQ(st.standing, ExamStanding::kPassed);
  EXPECT_EQ(st.score, 90);
  EXPECT_EQ(st.expires_at, t0 + 500 + 30 * kDay);
  EXPECT_FALSE(st.can_start) << "a retake waits for the cool-down too";
}

Qualification Held(std::string domain, int level, bool reviewer, std::optional<int> score = {},
                   std::optional<UnixSeconds> expires = {}, std::string parent = "") {
  Qualification q;
  q.domain = std::move(domain);
  q.level = level;
  q.reviewer = reviewer;
  q.grounds.score = score;
  q.grounds.expires_at = expires;
  q.parent = std::move(parent);
  return q;
}

TEST(ShouldGrant, NeverLowersAHigherQualification) {
  const UnixSeconds now = 1000;
  EXPECT_TRUE(ShouldGrant(std::nullopt, 3, 80, {}, now));
  EXPECT_FALSE(ShouldGrant(Held("mathematics", 4, false), 3, 100, {}, now));
  EXPECT_TRUE(ShouldGrant(Held("mathematics", 4, false, {}, now - 1), 3, 100, {}, now))
      << "an expired higher one no longer holds";
  EXPECT_TRUE(ShouldGrant(Held("mathematics", 2, true), 3, 70, now + 10, now));
  // The same level: replaced when worse in score or expiry, kept when as good in both.
  EXPECT_TRUE(ShouldGrant(Held("mathematics", 3, false), 3, 70, {}, now)) << "no exam score";
  EXPECT_TRUE(ShouldGrant(Held("mathematics", 3, false, 70), 3, 80, {}, now));
  EXPECT_FALSE(ShouldGrant(Held("mathematics", 3, false, 90), 3, 80, {}, now));
  EXPECT_TRUE(ShouldGrant(Held("mathematics", 3, false, 90, now + 5), 3, 80, now + 50, now));
  EXPECT_FALSE(ShouldGrant(Held("mathematics", 3, false, 90), 3, 90, now + 50, now));
}

TEST(MayGrade, NeedsReviewerRightsInTheDomainAtTheLevelOrHigher) {
  const UnixSeconds now = 1000;
  EXPECT_TRUE(MayGrade({Held("mathematics", 3, true)}, "mathematics", 3, now));
  EXPECT_TRUE(MayGrade({Held("mathematics", 5, true)}, "mathematics", 3, now));
  EXPECT_FALSE(MayGrade({Held("mathematics", 2, true)}, "mathematics", 3, now));
  EXPECT_FALSE(MayGrade({Held("mathematics", 5, false)}, "mathematics", 3, now))
      << "no reviewer rights";
  EXPECT_FALSE(MayGrade({Held("physics", 5, true)}, "mathematics", 3, now));
  EXPECT_FALSE(MayGrade({Held("mathematics", 5, true, {}, now)}, "mathematics", 3, now))
      << "expired";
  EXPECT_TRUE(
      MayGrade({Held("number_theory", 4, true, {}, {}, "mathematics")}, "mathematics", 3, now))
      << "a sub-field counts for its domain";
  EXPECT_FALSE(
      MayGrade({Held("mathematics", 5, false), Held("physics", 5, true)}, "mathematics", 3, now))
      << "reviewer rights elsewhere do not count";
}

// ---- parsing ----

TEST(ParseExamSettings, NamesEveryProblem) {
  auto bad = ParseExamSettings(Obj(R"({"level": 9, "pass_mark": 101, "status": "live",
                                       "draw_count": 0, "colour": 1})"),
                               true);
  ASSERT_TRUE(IsError(bad, ErrorCode::kInvalidArgument));
  std::set<std::pair<std::string, std::string>> got;
  for (const auto& d : bad.error().details) got.insert({d.field, d.code});
  for (auto want :
       std::vector<std::pair<std::string, std::string>>{{"colour", "unknown_key"},
                                                        {"domain", "required"},
                                                        {"title", "required"},
                                                        {"level", "out_of_range"},
                                                        {"pass_mark", "out_of_range"},
                                                        {"draw_count", "out_of_range"},
                                                        {"time_limit_seconds", "required"},
                                                        {"cooldown_seconds", "required"},
                                                        {"status", "not_an_option"}}) {
    EXPECT_TRUE(got.count(want)) << want.first << " " << want.second;
  }
  auto ok = ParseExamSettings(Obj(R"({"pass_mark": 50, "valid_days": null})"), false);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->pass_mark, 50);
  ASSERT_TRUE(ok->valid_days.has_value());
  EXPECT_FALSE(ok->valid_days->has_value()) << "null clears the validity";
  EXPECT_FALSE(ok->title.has_value());
}

TEST(ParseExamQuestion, ChecksTheQuestionWithTheTemplateAndTheGoldAgainstIt) {
  auto q = ParseExamQuestion(Obj(R"({"prompt": "Is $\\sqrt 2$ rational?", "points": 2,
      "question": {"type": "label", "options": ["yes", "no"]}, "gold": "no"})"));
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->points, 2);
  EXPECT_EQ(*q->gold, json::value("no"));
  EXPECT_EQ(q->question.at("type"), "label");

  auto free = ParseExamQuestion(Obj(R"({"prompt": "Prove it.",
      "question": {"type": "text", "max_length": 5000}})"));
  ASSERT_TRUE(free);
  EXPECT_FALSE(free->gold.has_value()) << "graded by a reviewer";
  EXPECT_EQ(free->points, 1);

  EXPECT_TRUE(IsError(ParseExamQuestion(Obj(R"({"prompt": "x",
      "question": {"type": "label", "options": ["a", "b"]}, "gold": "c"})")),
                      ErrorCode::kInvalidArgument, "gold"));
  EXPECT_TRUE(IsError(ParseExamQuestion(Obj(R"({"prompt": "x",
      "question": {"type": "label", "options": []}})")),
                      ErrorCode::kInvalidArgument, "question.options"));
  EXPECT_TRUE(IsError(ParseExamQuestion(Obj(R"({"prompt": "x",
      "question": {"type": "essay"}})")),
                      ErrorCode::kInvalidArgument, "question.type"));
  EXPECT_TRUE(IsError(ParseExamQuestion(Obj(R"({"prompt": " ",
      "question": {"type": "text"}})")),
                      ErrorCode::kInvalidArgument, "prompt"));
  EXPECT_TRUE(IsError(ParseExamQuestion(Obj(R"({"prompt": "x", "points": 0,
      "question": {"type": "text"}})")),
                      ErrorCode::kInvalidArgument, "points"));
  EXPECT_TRUE(IsError(ParseExamQuestion(Obj(R"({"prompt": "x",
      "question": {"type": "rating", "min": 1, "max": 5}, "gold": 9})")),
                      ErrorCode::kInvalidArgument, "gold"));
}

// ---- the service ----

class ExamServiceTest : public orgs::testing::ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    if (NotReady()) return;
    experts_ = std::make_unique<ExpertService>(*db_, clock_, ids_);
    ExamServiceOptions o;
    o.seed = 42;
    exams_ = std::make_unique<ExamService>(*db_, clock_, *experts_, o);
    op_ = MakeUser("op@example.org", Role::kOperator).id;
    candidate_ = MakeUser("cand@example.org", Role::kExpert).id;
  }

  ExamSettings Settings(std::string domain = "mathematics", int level = 3, int draw = 2) {
    ExamSettings st;
    st.domain = domain;
    st.level = level;
    st.title = "Mathematics, master's level";
    st.description = "";
    st.time_limit_seconds = 600;
    st.pass_mark = 70;
    st.cooldown_seconds = 3600;
    st.draw_count = draw;
    st.valid_days = std::optional<int>(365);
    return st;
  }

  std::int64_t AddLabel(std::int64_t exam, std::string gold, int points = 1) {
    auto q = ParseExamQuestion(json::object{
        {"prompt", "Pick " + gold},
        {"points", points},
        {"question", json::object{{"type", "label"}, {"options", json::array{"a", "b", "c"}}}},
        {"gold", gold}});
    EXPECT_TRUE(q);
    auto added = exams_->AddQuestion(exam, *q);
    EXPECT_TRUE(added) << added.error().message;
    return added->id;
  }

  std::int64_t AddText(std::int64_t exam, int points = 2) {
    auto q =
        ParseExamQuestion(json::object{{"prompt", "Prove that there are infinitely many primes."},
                                       {"points", points},
                                       {"question", json::object{{"type", "text"}}}});
    EXPECT_TRUE(q);
    auto added = exams_->AddQuestion(exam, *q);
    EXPECT_TRUE(added) << added.error().message;
    return added->id;
  }

  // An active exam of `labels` label questions whose gold is "a", drawing `draw`.
  std::int64_t ActiveExam(int labels, int draw, int pass_mark = 70) {
    ExamSettings st = Settings("mathematics", 3, draw);
    st.pass_mark = pass_mark;
    auto e = exams_->CreateExam(st, op_);
    EXPECT_TRUE(e) << e.error().message;
    for (int i = 0; i < labels; ++i) AddLabel(e->id, "a");
    ExamSettings on;
    on.active = true;
    EXPECT_TRUE(exams_->UpdateExam(e->id, on));
    return e->id;
  }

  // Every drawn question answered `value`.
  static std::vector<std::pair<std::int64_t, json::value>> AnswerAll(const Attempt& a,
                                                                     json::value value) {
    std::vector<std::pair<std::int64_t, json::value>> out;
    for (const auto& q : a.questions) out.emplace_back(q.question_id, value);
    return out;
  }

  std::int64_t Expert(const std::string& email,
                      std::vector<std::tuple<std::string, int, bool>> quals = {}) {
    std::int64_t id = MakeUser(email, Role::kExpert).id;
    for (auto& [d, l, r] : quals) {
      Grounds g;
      g.reason = "test";
      EXPECT_TRUE(experts_->GrantQualification(id, d, l, r, g));
    }
    return id;
  }

  std::optional<Qualification> QualIn(std::int64_t user, std::string_view domain) {
    auto qs = experts_->Qualifications(user);
    EXPECT_TRUE(qs);
    for (auto& q : *qs) {
      if (q.domain == domain) return q;
    }
    return std::nullopt;
  }

  std::unique_ptr<ExpertService> experts_;
  std::unique_ptr<ExamService> exams_;
  std::int64_t op_ = 0, candidate_ = 0;
};

TEST_P(ExamServiceTest, ABankIsADraftUntilItHasEnoughQuestionsAndIsOnePerDomainAndLevel) {
  ExamSettings active = Settings();
  active.active = true;
  EXPECT_TRUE(IsError(exams_->CreateExam(active, op_), ErrorCode::kConflict, "draw_count",
                      "too_few_questions"));
  EXPECT_TRUE(
      IsError(exams_->CreateExam(Settings("alchemy"), op_), ErrorCode::kInvalidArgument, "domain"));
  auto e = exams_->CreateExam(Settings(), op_);
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_FALSE(e->active);
  EXPECT_TRUE(
      IsError(exams_->CreateExam(Settings(), op_), ErrorCode::kConflict, "level", "exam_exists"));
  ExamSettings on;
  on.active = true;
  AddLabel(e->id, "a");
  EXPECT_TRUE(IsError(exams_->UpdateExam(e->id, on), ErrorCode::kConflict, "draw_count",
                      "too_few_questions"));
  auto experts_view = exams_->ExamsFor(candidate_);
  ASSERT_TRUE(experts_view);
  EXPECT_TRUE(experts_view->empty()) << "experts do not see drafts";
  std::int64_t second = AddLabel(e->id, "b");
  auto activated = exams_->UpdateExam(e->id, on);
  ASSERT_TRUE(activated) << activated.error().message;
  EXPECT_TRUE(activated->active);
  EXPECT_EQ(activated->active_questions, 2);
  EXPECT_TRUE(IsError(exams_->RetireQuestion(e->id, second), ErrorCode::kConflict, "draw_count",
                      "too_few_questions"));
  auto full = exams_->GetExam(e->id);
  ASSERT_TRUE(full);
  ASSERT_EQ(full->second.size(), 2u);
  EXPECT_EQ(*full->second[1].gold, json::value("b")) << "operators see the gold";
  EXPECT_TRUE(IsError(exams_->GetExam(e->id + 100), ErrorCode::kNotFound));
}

TEST_P(ExamServiceTest, AGoldPassGrantsTheQualificationWithExamGrounds) {
  std::int64_t exam = ActiveExam(3, 2);
  auto a = exams_->Start(candidate_, exam);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_FALSE(a->resumed);
  EXPECT_EQ(a->questions.size(), 2u);
  EXPECT_EQ(a->deadline, clock_.Now() + 600);
  clock_.Advance(120);
  auto done = exams_->Submit(candidate_, a->id, AnswerAll(*a, "a"));
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->state, AttemptState::kPassed);
  EXPECT_EQ(done->score, 100);
  EXPECT_EQ(done->points, 2);
  EXPECT_TRUE(done->qualification_granted);
  for (const auto& q : done->questions) EXPECT_EQ(q.points, 1);
  auto q = QualIn(candidate_, "mathematics");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->level, 3);
  EXPECT_FALSE(q->reviewer);
  EXPECT_EQ(q->grounds.kind, "exam");
  EXPECT_EQ(q->grounds.id, a->id);
  EXPECT_EQ(q->grounds.score, 100);
  EXPECT_EQ(q->grounds.expires_at, clock_.Now() + 365 * kDay);
  EXPECT_EQ(q->grounds.granted_by, 0);
  auto listed = exams_->ExamsFor(candidate_);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].status.standing, ExamStanding::kPassed);
  EXPECT_EQ((*listed)[0].status.expires_at, clock_.Now() + 365 * kDay);
}

TEST_P(ExamServiceTest, AFailRefusesARetakeInsideTheCooldownAndTheRetakeDrawsOtherQuestions) {
  std::int64_t exam = ActiveExam(3, 2);
  auto a = exams_->Start(candidate_, exam);
  ASSERT_TRUE(a);
  clock_.Advance(60);
  const UnixSeconds submitted = clock_.Now();
  auto done = exams_->Submit(candidate_, a->id, AnswerAll(*a, "b"));
  ASSERT_TRUE(done);
  EXPECT_EQ(done->state, AttemptState::kFailed);
  EXPECT_EQ(done->score, 0);
  EXPECT_FALSE(QualIn(candidate_, "mathematics"));
  clock_.Advance(3599);
  auto refused = exams_->Start(candidate_, exam);
  ASSERT_TRUE(IsError(refused, ErrorCode::kConflict, "retake_at", "cooldown"));
  EXPECT_EQ(refused.error().details[0].message, FormatTime(submitted + 3600));
  EXPECT_NE(refused.error().message.find(FormatTime(submitted + 3600)), std::string::npos);
  clock_.Advance(1);
  auto b = exams_->Start(candidate_, exam);
  ASSERT_TRUE(b) << b.error().message;
  std::set<std::int64_t> first, second;
  for (auto& q : a->questions) first.insert(q.question_id);
  for (auto& q : b->questions) second.insert(q.question_id);
  EXPECT_NE(first, second) << "three questions, two drawn: the retake's set differs";
}

TEST_P(ExamServiceTest, StartingAgainReturnsTheRunningAttempt) {
  std::int64_t exam = ActiveExam(2, 2);
  auto a = exams_->Start(candidate_, exam);
  ASSERT_TRUE(a);
  clock_.Advance(30);
  auto again = exams_->Start(candidate_, exam);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->resumed);
  EXPECT_EQ(again->id, a->id);
  EXPECT_EQ(again->deadline, a->deadline) << "the clock is not reset";
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM exam_attempts"), 1);
}

TEST_P(ExamServiceTest, ASubmitAfterTheDeadlineAndGraceIsTimeUpAndWritesNothingElse) {
  std::int64_t exam = ActiveExam(2, 2);
  auto a = exams_->Start(candidate_, exam);
  ASSERT_TRUE(a);
  clock_.Advance(600 + kExamGraceSeconds + 1);
  auto late = exams_->Submit(candidate_, a->id, AnswerAll(*a, "a"));
  EXPECT_TRUE(IsError(late, ErrorCode::kConflict, "deadline", "time_up"));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM exam_attempts WHERE state = 'expired'"), 1);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM exam_answers WHERE answer IS NOT NULL OR points IS "
                     "NOT NULL"),
            0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM qualifications"), 0);
  EXPECT_TRUE(IsError(exams_->Submit(candidate_, a->id, AnswerAll(*a, "a")), ErrorCode::kConflict,
                      "deadline", "time_up"))
      << "a retry answers the same";
  auto read = exams_->GetAttempt(candidate_, a->id);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->state, AttemptState::kExpired);
  // The cool-down runs from the deadline.
  EXPECT_TRUE(
      IsError(exams_->Start(candidate_, exam), ErrorCode::kConflict, "retake_at", "cooldown"));
}

TEST_P(ExamServiceTest, ASubmitInsideTheGraceIsAccepted) {
  std::int64_t exam = ActiveExam(2, 2);
  auto a = exams_->Start(candidate_, exam);
  ASSERT_TRUE(a);
  clock_.Advance(600 + kExamGraceSeconds);
  auto done = exams_->Submit(candidate_, a->id, AnswerAll(*a, "a"));
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->state, AttemptState::kPassed);
}

TEST_P(ExamServiceTest, AnswersAreCheckedPerQuestionAndABadSubmitWritesNothing) {
  std::int64_t exam = ActiveExam(2, 2);
  auto a = exams_->Start(candidate_, exam);
  ASSERT_TRUE(a);
  auto answers = AnswerAll(*a, "a");
  answers[1].second = "z";
  answers.emplace_back(999999, "a");
  auto bad = exams_->Submit(candidate_, a->id, answers);
  ASSERT_TRUE(IsError(bad, ErrorCode::kUnprocessable));
  std::set<std::pair<std::string, std::string>> got;
  for (const auto& d : bad.error().details) got.insert({d.field, d.code});
  EXPECT_TRUE(got.count({"answers.999999", "unknown_question"}));
  EXPECT_TRUE(
      got.count({"answers." + std::to_string(a->questions[1].question_id), "not_an_option"}));
  EXPECT_EQ(got.size(), 2u);
  auto read = exams_->GetAttempt(candidate_, a->id);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->state, AttemptState::kInProgress);
  EXPECT_TRUE(IsError(exams_->Submit(Expert("other@example.org"), a->id, AnswerAll(*a, "a")),
                      ErrorCode::kNotFound))
      << "another expert's attempt";
}

TEST_P(ExamServiceTest, ARetriedSubmitReturnsTheResultAndOtherAnswersAreAConflict) {
  std::int64_t exam = ActiveExam(2, 2);
  auto a = exams_->Start(candidate_, exam);
  ASSERT_TRUE(a);
  auto first = exams_->Submit(candidate_, a->id, AnswerAll(*a, "a"));
  ASSERT_TRUE(first);
  auto retry = exams_->Submit(candidate_, a->id, AnswerAll(*a, "a"));
  ASSERT_TRUE(retry) << retry.error().message;
  EXPECT_EQ(retry->score, first->score);
  EXPECT_EQ(retry->state, AttemptState::kPassed);
  EXPECT_TRUE(IsError(exams_->Submit(candidate_, a->id, AnswerAll(*a, "b")), ErrorCode::kConflict,
                      "", "already_submitted"));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM exam_attempts"), 1);
}

TEST_P(ExamServiceTest, SavedAnswersAreKeptUntilTheSubmit) {
  std::int64_t exam = ActiveExam(2, 2);
  auto a = exams_->Start(candidate_, exam);
  ASSERT_TRUE(a);
  auto saved = exams_->SaveAnswers(candidate_, a->id, Obj(R"({"exq_x": "a"})"));
  ASSERT_TRUE(saved) << saved.error().message;
  auto read = exams_->GetAttempt(candidate_, a->id);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->saved_answers, Obj(R"({"exq_x": "a"})"));
  ASSERT_TRUE(exams_->Submit(candidate_, a->id, AnswerAll(*a, "a")));
  EXPECT_TRUE(IsError(exams_->SaveAnswers(candidate_, a->id, Obj("{}")), ErrorCode::kConflict, "",
                      "attempt_finished"));
}

TEST_P(ExamServiceTest, ThePassMarkIsComparedWithTheScoreRoundedDown) {
  for (int pass_mark : {66, 67}) {
    auto st = Settings("mathematics", pass_mark == 66 ? 3 : 4, 3);
    st.pass_mark = pass_mark;
    auto e = exams_->CreateExam(st, op_);
    ASSERT_TRUE(e);
    for (int i = 0; i < 3; ++i) AddLabel(e->id, "a");
    ExamSettings on;
    on.active = true;
    ASSERT_TRUE(exams_->UpdateExam(e->id, on));
    std::int64_t who = Expert(fmt::format("mark{}@example.org", pass_mark));
    auto a = exams_->Start(who, e->id);
    ASSERT_TRUE(a);
    auto answers = AnswerAll(*a, "a");
    answers[2].second = "b";
    auto done = exams_->Submit(who, a->id, answers);
    ASSERT_TRUE(done);
    EXPECT_EQ(done->score, 66) << "2 of 3 is 66.67, rounded down";
    EXPECT_EQ(done->state, pass_mark == 66 ? AttemptState::kPassed : AttemptState::kFailed);
  }
}

TEST_P(ExamServiceTest, FreeTextIsGradedByAnEligibleReviewerAndNeverByTheCandidate) {
  auto e = exams_->CreateExam(Settings("mathematics", 3, 2), op_);
  ASSERT_TRUE(e);
  AddLabel(e->id, "a", 2);
  AddText(e->id, 2);
  ExamSettings on;
  on.active = true;
  ASSERT_TRUE(exams_->UpdateExam(e->id, on));
  // The candidate is a reviewer in mathematics at level 2: not enough to pass level 3, enough to
  // be tempted to grade their own answer.
  std::int64_t cand = Expert("tempted@example.org", {{"mathematics", 2, true}});
  std::int64_t good = Expert("good@example.org", {{"mathematics", 4, true}});
  std::int64_t sub = Expert("sub@example.org", {{"number_theory", 3, true}});
  std::int64_t no_rights = Expert("norights@example.org", {{"mathematics", 5, false}});
  std::int64_t too_low = Expert("low@example.org", {{"mathematics", 2, true}});
  std::int64_t elsewhere = Expert("elsewhere@example.org", {{"physics", 5, true}});

  auto a = exams_->Start(cand, e->id);
  ASSERT_TRUE(a);
  std::vector<std::pair<std::int64_t, json::value>> answers;
  for (const auto& q : a->questions) {
    answers.emplace_back(q.question_id, q.question.at("type") == "text"
                                            ? json::value("Euclid: take the product plus one.")
                                            : json::value("a"));
  }
  auto submitted = exams_->Submit(cand, a->id, answers);
  ASSERT_TRUE(submitted) << submitted.error().message;
  EXPECT_EQ(submitted->state, AttemptState::kGrading);
  EXPECT_FALSE(submitted->score.has_value());

  auto listed = [&](std::int64_t who) {
    auto g = exams_->Gradings(who);
    EXPECT_TRUE(g);
    return g ? g->size() : 0;
  };
  EXPECT_EQ(listed(good), 1u);
  EXPECT_EQ(listed(sub), 1u) << "a sub-field counts for its domain";
  EXPECT_EQ(listed(no_rights), 0u);
  EXPECT_EQ(listed(too_low), 0u);
  EXPECT_EQ(listed(elsewhere), 0u);
  EXPECT_EQ(listed(cand), 0u) << "never one's own";
  auto gradings = exams_->Gradings(good);
  ASSERT_TRUE(gradings);
  const Grading& g = gradings->front();
  EXPECT_EQ(*g.answer, json::value("Euclid: take the product plus one."));
  EXPECT_EQ(g.max_points, 2);

  EXPECT_TRUE(
      IsError(exams_->Grade(cand, g.id, 2, ""), ErrorCode::kPermissionDenied, "", "own_attempt"));
  EXPECT_TRUE(IsError(exams_->Grade(no_rights, g.id, 2, ""), ErrorCode::kPermissionDenied, "",
                      "not_qualified"));
  EXPECT_TRUE(IsError(exams_->Grade(too_low, g.id, 2, ""), ErrorCode::kPermissionDenied, "",
                      "not_qualified"));
  EXPECT_TRUE(IsError(exams_->Grade(good, g.id, 3, ""), ErrorCode::kInvalidArgument, "points"));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM exam_answers WHERE graded_by IS NOT NULL"), 0);

  auto graded = exams_->Grade(good, g.id, 1, "Right idea; the case n = 1 is missing.");
  ASSERT_TRUE(graded) << graded.error().message;
  EXPECT_EQ(graded->points, 1);
  auto result = exams_->GetAttempt(cand, a->id);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->state, AttemptState::kPassed) << "3 of 4 is 75";
  EXPECT_EQ(result->score, 75);
  bool commented = false;
  for (const auto& q : result->questions) {
    if (q.comment == "Right idea; the case n = 1 is missing.") commented = true;
  }
  EXPECT_TRUE(commented) << "the candidate sees the reviewer's comment";
  auto q = QualIn(cand, "mathematics");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->level, 3);
  EXPECT_TRUE(q->reviewer) << "an existing reviewer flag is kept";
  EXPECT_EQ(q->grounds.kind, "exam");

  auto retry = exams_->Grade(good, g.id, 1, "Right idea; the case n = 1 is missing.");
  ASSERT_TRUE(retry) << "a retry returns the grading";
  EXPECT_TRUE(IsError(exams_->Grade(good, g.id, 2, "changed my mind"), ErrorCode::kConflict, "",
                      "already_graded"));
  EXPECT_TRUE(IsError(exams_->Grade(sub, g.id, 1, "Right idea; the case n = 1 is missing."),
                      ErrorCode::kConflict, "", "already_graded"));
  EXPECT_EQ(listed(good), 0u);
}

TEST_P(ExamServiceTest, APassNeverLowersAHigherQualification) {
  std::int64_t exam = ActiveExam(2, 2);
  std::int64_t senior = Expert("senior@example.org", {{"mathematics", 5, true}});
  auto a = exams_->Start(senior, exam);
  ASSERT_TRUE(a);
  auto done = exams_->Submit(senior, a->id, AnswerAll(*a, "a"));
  ASSERT_TRUE(done);
  EXPECT_EQ(done->state, AttemptState::kPassed);
  EXPECT_FALSE(done->qualification_granted);
  auto q = QualIn(senior, "mathematics");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->level, 5);
  EXPECT_TRUE(q->reviewer);
  EXPECT_EQ(q->grounds.kind, "operator");
}

TEST_P(ExamServiceTest, RetiredQuestionsAreNotDrawnAndARunningAttemptKeepsItsTerms) {
  auto e = exams_->CreateExam(Settings("mathematics", 3, 1), op_);
  ASSERT_TRUE(e);
  std::int64_t keep = AddLabel(e->id, "a");
  std::int64_t gone = AddLabel(e->id, "a");
  ExamSettings on;
  on.active = true;
  ASSERT_TRUE(exams_->UpdateExam(e->id, on));
  auto retired = exams_->RetireQuestion(e->id, gone);
  ASSERT_TRUE(retired);
  EXPECT_TRUE(retired->retired_at.has_value());
  ASSERT_TRUE(exams_->RetireQuestion(e->id, gone)) << "a retry";
  auto a = exams_->Start(candidate_, e->id);
  ASSERT_TRUE(a);
  ASSERT_EQ(a->questions.size(), 1u);
  EXPECT_EQ(a->questions[0].question_id, keep);
  ExamSettings harder;
  harder.pass_mark = 100;
  harder.time_limit_seconds = 60;
  ASSERT_TRUE(exams_->UpdateExam(e->id, harder));
  auto read = exams_->GetAttempt(candidate_, a->id);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->pass_mark, 70);
  EXPECT_EQ(read->deadline, a->deadline);
}

FW_INSTANTIATE_BACKENDS(ExamServiceTest);

}  // namespace
}  // namespace fw::experts
