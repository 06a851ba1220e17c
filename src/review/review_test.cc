// Review over a real store (SQLite always, PostgreSQL when FACHWERK_TEST_POSTGRES is set):
// experts submit through the work loop, the review room holds or schedules each submission,
// reviewers decide, and every final decision is published once.

#include "review/review.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <set>
#include <thread>

#include "base/json.h"
#include "db/testing.h"
#include "experts/standings.h"
#include "work/work.h"

namespace fw::review {
namespace {

namespace json = boost::json;

class ReviewTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string why;
    tdb_ = db::testing::TestDatabase::Make(GetParam(), &why);
    if (!tdb_) GTEST_SKIP() << why;
    projects::ProjectOptions po;
    po.spool_dir = (std::filesystem::temp_directory_path() / "fw_spool_review_test").string();
    po.min_lease_seconds = 1;
    projects_ = std::make_unique<projects::ProjectService>(tdb_->db(), clock_, tenancy_, po);
    work::WorkOptions wo;
    wo.seed = 7;
    wo.heartbeat_cap_seconds = 100000;
    experts_ = std::make_unique<experts::ExpertService>(tdb_->db(), clock_, ids_);
    eligibility_ = std::make_unique<experts::Eligibility>(tdb_->db(), *experts_);
    work_ = std::make_unique<work::WorkService>(tdb_->db(), clock_, *projects_, *eligibility_, wo);
    review_ = std::make_unique<ReviewService>(tdb_->db(), clock_, *projects_, *experts_);
    // As the app wires them: the standing counts a submission before its review is planned.
    standings_ = std::make_unique<experts::StandingService>(tdb_->db(), *experts_, tenancy_);
    experts::StandingService* st = standings_.get();
    work_->submission_stored().SubscribeInTransaction(
        "standing", [st](soci::session& s, const work::SubmissionStored& e) -> fw::Status {
          st->RecordSubmission(s, e.org_id, e.submission.project_id, e.expert_id,
                               e.is_gold ? e.gold_correct : std::nullopt);
          return {};
        });
    ReviewService* r = review_.get();
    work_->submission_stored().SubscribeInTransaction(
        "review", [r](soci::session& s, const work::SubmissionStored& e) {
          return r->OnSubmissionStored(s, e);
        });
    review_->decided().SubscribeInTransaction("test",
                                              [this](soci::session&, const Decided& e) -> Status {
                                                std::lock_guard lock(mu_);
                                                decided_.push_back(e);
                                                return {};
                                              });
    lab_ = MakeLab("a");
    other_lab_ = MakeLab("b");
  }

  Caller MakeLab(const std::string& slug) {
    auto ids = tdb_->db().Write<std::pair<long long, long long>>(
        [&](soci::session& s) -> Result<std::pair<long long, long long>> {
          long long org = 0, uid = 0;
          std::string email = "o@" + slug;
          s << "INSERT INTO orgs (name, slug, pseudonym_key, created_at) VALUES (:n, :s, 'k', 1) "
               "RETURNING id",
              soci::use(slug), soci::use(slug), soci::into(org);
          s << "INSERT INTO users (email, name, role, org_id, created_at) VALUES (:e, 'o', "
               "'owner', :o, 1) RETURNING id",
              soci::use(email), soci::use(org), soci::into(uid);
          return std::make_pair(org, uid);
        });
    EXPECT_TRUE(ids);
    Caller c;
    c.role = Role::kLabOwner;
    c.org_id = ids->first;
    c.user_id = ids->second;
    return c;
  }

  // An expert; a reviewer in physics at level 4 when `reviewer`.
  Caller Expert(const std::string& name, bool reviewer = false) {
    auto id = tdb_->db().Write<long long>([&](soci::session& s) -> Result<long long> {
      long long uid = 0;
      std::string email = name + "@x";
      s << "INSERT INTO users (email, name, role, created_at) VALUES (:e, :n, 'expert', 1) "
           "RETURNING id",
          soci::use(email), soci::use(name), soci::into(uid);
      return uid;
    });
    Caller c;
    c.role = Role::kExpert;
    c.user_id = *id;
    if (reviewer) {
      auto q = experts_->GrantQualification(*id, "physics", 4, true);
      EXPECT_TRUE(q) << q.error().message;
      c.reviewer = true;
    }
    return c;
  }

  projects::Project MakeProject(int items, double gold_rate = 0, std::string domain = "",
                                int min_level = 0) {
    projects::NewProject np;
    np.name = "p";
    np.preset = "classification";
    np.redundancy = 3;
    np.gold_rate = gold_rate;
    np.lease_seconds = 600;
    np.domain = std::move(domain);
    np.min_level = min_level;
    auto p = projects_->Create(lab_, np);
    EXPECT_TRUE(p) << p.error().message;
    std::string body;
    for (int i = 0; i < items; ++i) body += "{\"text\":\"item " + std::to_string(i) + "\"}\n";
    body += "{\"data\":{\"text\":\"gold\"},\"gold\":{\"label\":\"correct\"}}\n";
    Import(p->id, body);
    return *p;
  }

  // An SFT project (a prompt to answer in writing) with one item per prompt.
  projects::Project MakeSftProject(const std::vector<std::string>& prompts) {
    projects::NewProject np;
    np.name = "demonstrations";
    np.preset = "sft";
    np.lease_seconds = 600;
    auto p = projects_->Create(lab_, np);
    EXPECT_TRUE(p) << p.error().message;
    std::string body;
    for (const std::string& prompt : prompts) body += ToJson(json::object{{"prompt", prompt}}) + "\n";
    Import(p->id, body);
    return *p;
  }

  void Import(std::int64_t project, const std::string& body) {
    auto pos = std::make_shared<std::size_t>(0);
    auto text = std::make_shared<std::string>(body);
    auto r = projects_->Import(lab_, project,
                               [pos, text](char* buf, std::size_t n) -> Result<std::size_t> {
                                 std::size_t m = std::min(n, text->size() - *pos);
                                 std::memcpy(buf, text->data() + *pos, m);
                                 *pos += m;
                                 return m;
                               });
    EXPECT_TRUE(r) << r.error().message;
  }

  void SetPolicy(std::int64_t project, const std::string& body) {
    auto parsed = ParseJsonObject(body);
    ASSERT_TRUE(parsed);
    auto p = review_->PutPolicy(lab_, project, *parsed);
    ASSERT_TRUE(p) << p.error().message;
  }

  // Takes the next task of `project` and answers it; returns the submission.
  work::Submission Submit(const Caller& expert, std::int64_t project, std::string label = "correct",
                          std::int64_t work_seconds = 0) {
    auto next = work_->Next(expert, project);
    EXPECT_TRUE(next && *next);
    if (work_seconds) {
      clock_.Advance(work_seconds);
      auto hb = work_->Heartbeat(expert, (*next)->id, work_seconds);
      EXPECT_TRUE(hb) << hb.error().message;
    }
    auto sub = work_->Submit(expert, (*next)->id, json::object{{"label", label}},
                             "k" + std::to_string((*next)->id));
    EXPECT_TRUE(sub) << sub.error().message;
    return *sub;
  }

  std::string StatusOf(std::int64_t submission_id) {
    auto st = tdb_->db().Read<std::string>([&](soci::session& s) -> Result<std::string> {
      std::string v;
      db::Query(s, "SELECT status FROM acceptances WHERE submission_id = :s")
          .Bind(submission_id)
          .One(v);
      return v;
    });
    return st.value_or("?");
  }

  std::vector<Decided> DecidedEvents() {
    std::lock_guard lock(mu_);
    return decided_;
  }

  Decision Accept() {
    Decision d;
    d.outcome = "accept";
    return d;
  }
  Decision Rework(std::string comment) {
    Decision d;
    d.outcome = "rework";
    d.comment = std::move(comment);
    return d;
  }

  FakeClock clock_;
  security::PlainCodec codec_;
  tenancy::Tenancy tenancy_{codec_};
  std::unique_ptr<db::testing::TestDatabase> tdb_;
  std::unique_ptr<projects::ProjectService> projects_;
  security::IdCodec ids_{"0123456789abcdef0123456789abcdef"};
  std::unique_ptr<experts::ExpertService> experts_;
  std::unique_ptr<experts::Eligibility> eligibility_;
  std::unique_ptr<work::WorkService> work_;
  std::unique_ptr<ReviewService> review_;
  std::unique_ptr<experts::StandingService> standings_;
  Caller lab_, other_lab_;
  std::mutex mu_;
  std::vector<Decided> decided_;
};

TEST_P(ReviewTest, PolicyHasDefaultsValidatesEachMemberAndStaysInItsLab) {
  auto p = MakeProject(2);
  auto got = review_->GetPolicy(lab_, p.id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->mode, "sample");
  EXPECT_EQ(got->approval_window_days, 7);
  EXPECT_FALSE(got->time_cap_seconds);

  auto bad = ParseJsonObject(
      R"({"mode":"some","sample":{"new":2,"odd":1},"approval_window_days":61,"speed_flag_ratio":"x","extra":1})");
  ASSERT_TRUE(bad);
  auto refused = review_->PutPolicy(lab_, p.id, *bad);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnprocessable);
  std::set<std::string> fields;
  for (const FieldError& f : refused.error().details) fields.insert(f.field);
  EXPECT_EQ(fields, (std::set<std::string>{"mode", "sample.new", "sample.odd",
                                           "approval_window_days", "speed_flag_ratio", "extra"}));

  SetPolicy(p.id, R"({"mode":"all","time_cap_seconds":600,"sample":{"trusted":0}})");
  got = review_->GetPolicy(lab_, p.id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->mode, "all");
  EXPECT_EQ(got->time_cap_seconds, std::optional<std::int64_t>(600));
  EXPECT_EQ(got->rate_trusted, 0);
  EXPECT_EQ(got->rate_new, 0.5);

  EXPECT_EQ(review_->GetPolicy(other_lab_, p.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(review_->PutPolicy(other_lab_, p.id, json::object{}).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(review_->SummaryOf(other_lab_, p.id).error().code, ErrorCode::kNotFound);
}

TEST_P(ReviewTest, UnsampledWorkIsAcceptedOnceAfterTheWindow) {
  auto p = MakeProject(3);
  SetPolicy(p.id, R"({"sample":{"new":0,"low_accuracy":0,"trusted":0},"approval_window_days":2})");
  Caller e = Expert("e");
  auto sub = Submit(e, p.id);
  EXPECT_EQ(StatusOf(sub.id), "pending");

  auto none = review_->RunPass();
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, 0);
  clock_.Advance(2 * 86400);
  auto done = review_->RunPass();
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(*done, 1);
  EXPECT_EQ(StatusOf(sub.id), "accepted");
  EXPECT_EQ(*review_->RunPass(), 0);
  EXPECT_EQ(review_->counters().auto_accepted.load(), 1);
  EXPECT_EQ(review_->counters().accepted.load(), 0);

  auto events = DecidedEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].submission_id, sub.id);
  EXPECT_EQ(events[0].outcome, Outcome::kAutoAccepted);
  EXPECT_EQ(events[0].decided_by, 0);
  EXPECT_EQ(events[0].expert_id, e.user_id);
  EXPECT_EQ(events[0].org_id, lab_.org_id);

  auto mine = review_->MyAnswers(e, std::nullopt, 10, 0);
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->answers.size(), 1u);
  EXPECT_EQ(mine->answers[0].status, "accepted");
  EXPECT_EQ(mine->answers[0].outcome, "auto_accepted");
}

TEST_P(ReviewTest, AReviewerNeverGetsTheirOwnSubmission) {
  auto p = MakeProject(3);
  SetPolicy(p.id, R"({"mode":"all"})");
  Caller author = Expert("author", true), other = Expert("other", true);
  auto sub = Submit(author, p.id);
  EXPECT_EQ(StatusOf(sub.id), "in_review");

  auto own = review_->Next(author, p.id);
  ASSERT_TRUE(own) << own.error().message;
  EXPECT_FALSE(*own);
  auto projects = review_->Projects(author);
  ASSERT_TRUE(projects);
  EXPECT_TRUE(projects->empty());

  auto task = review_->Next(other, std::nullopt);
  ASSERT_TRUE(task && *task);
  EXPECT_EQ((*task)->submission_id, sub.id);
  EXPECT_EQ((*task)->hold, "all");
  EXPECT_EQ((*task)->answer, (json::object{{"label", "correct"}}));
  // Asking again resumes the same claim rather than taking another.
  auto again = review_->Next(other, std::nullopt);
  ASSERT_TRUE(again && *again);
  EXPECT_EQ((*again)->review_id, (*task)->review_id);
  auto claims = review_->Claims(other);
  ASSERT_TRUE(claims);
  ASSERT_EQ(claims->size(), 1u);
}

TEST_P(ReviewTest, ReviewersNeedRightsForTheProjectsDomainAndLevel) {
  auto p = MakeProject(2, 0, "physics", 3);
  SetPolicy(p.id, R"({"mode":"all"})");
  Caller e = Expert("e");
  ASSERT_TRUE(experts_->GrantQualification(e.user_id, "physics", 3, false));
  auto sub = Submit(e, p.id);
  Caller plain = Expert("plain");
  ASSERT_TRUE(experts_->GrantQualification(plain.user_id, "physics", 5, false));
  plain.reviewer = true;
  auto refused = review_->Next(plain, p.id);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().reason, "not_qualified");
  auto none = review_->Next(plain, std::nullopt);
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  Caller reviewer = Expert("r", true);
  auto task = review_->Next(reviewer, std::nullopt);
  ASSERT_TRUE(task && *task);
  EXPECT_EQ((*task)->submission_id, sub.id);
}

TEST_P(ReviewTest, ReworkGoesBackToTheExpertAndTheRevisionToTheSameReviewer) {
  auto p = MakeProject(3);
  SetPolicy(p.id, R"({"mode":"all"})");
  Caller e = Expert("e"), r1 = Expert("r1", true), r2 = Expert("r2", true);
  std::vector<AnswerRevised> revisions;
  review_->answer_revised().SubscribeAfterCommit(
      "test", [&](const AnswerRevised& a) { revisions.push_back(a); });
  auto sub = Submit(e, p.id, "incorrect", 40);
  auto task = review_->Next(r1, p.id);
  ASSERT_TRUE(task && *task);

  auto no_comment = review_->Decide(r1, (*task)->review_id, Rework(" "));
  ASSERT_FALSE(no_comment);
  EXPECT_EQ(no_comment.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(no_comment.error().details[0].field, "comment");

  auto sent = review_->Decide(r1, (*task)->review_id, Rework("check the sign"));
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->status, "rework");
  EXPECT_EQ(StatusOf(sub.id), "rework");
  EXPECT_EQ(review_->counters().rework.load(), 1);
  EXPECT_TRUE(review_->Decide(r1, (*task)->review_id, Rework("check the sign")));
  EXPECT_EQ(review_->counters().rework.load(), 1) << "a retried decision counts once";

  auto list = review_->Rework(e);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].comment, "check the sign");
  EXPECT_EQ((*list)[0].answer, (json::object{{"label", "incorrect"}}));

  // Not while it waits for the expert; another expert's submission is not found.
  auto waiting = review_->Next(r2, p.id);
  ASSERT_TRUE(waiting);
  EXPECT_FALSE(*waiting);
  EXPECT_EQ(review_->Revise(r2, sub.id, json::object{{"label", "correct"}}, "x", 0).error().code,
            ErrorCode::kNotFound);
  auto bad = review_->Revise(e, sub.id, json::object{{"label", "maybe"}}, "rev1", 5);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kUnprocessable);

  clock_.Advance(30);
  auto revised = review_->Revise(e, sub.id, json::object{{"label", "correct"}}, "rev1", 25);
  ASSERT_TRUE(revised) << revised.error().message;
  EXPECT_EQ(revised->round, 2);
  EXPECT_EQ(revised->status, "in_review");
  auto replay = review_->Revise(e, sub.id, json::object{{"label", "correct"}}, "rev1", 25);
  ASSERT_TRUE(replay) << replay.error().message;
  EXPECT_EQ(replay->round, 2);
  EXPECT_EQ(
      review_->Revise(e, sub.id, json::object{{"label", "unsure"}}, "rev1", 25).error().reason,
      "idempotency_key_conflict");
  EXPECT_EQ(tdb_->Rows("submission_revisions"), 2);
  // Published once, after the commit, for the stored revision; replays publish nothing.
  ASSERT_EQ(revisions.size(), 1u);
  EXPECT_EQ(revisions[0].submission_id, sub.id);
  EXPECT_EQ(revisions[0].project_id, p.id);
  EXPECT_EQ(revisions[0].org_id, lab_.org_id);
  EXPECT_EQ(revisions[0].round, 2);

  // The other reviewer waits while the first one's claim period runs.
  auto other = review_->Next(r2, p.id);
  ASSERT_TRUE(other);
  EXPECT_FALSE(*other);
  auto back = review_->Next(r1, p.id);
  ASSERT_TRUE(back && *back) << (back ? "none" : back.error().message);
  EXPECT_EQ((*back)->round, 2);
  EXPECT_EQ((*back)->answer, (json::object{{"label", "correct"}}));
  ASSERT_EQ((*back)->history.size(), 1u);
  EXPECT_EQ((*back)->history[0].outcome, "rework");
  EXPECT_EQ((*back)->history[0].answer, (json::object{{"label", "incorrect"}}));

  auto accepted = review_->Decide(r1, (*back)->review_id, Accept());
  ASSERT_TRUE(accepted) << accepted.error().message;
  EXPECT_EQ(accepted->status, "accepted");
  auto events = DecidedEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].outcome, Outcome::kAccepted);
  EXPECT_EQ(events[0].decided_by, r1.user_id);
  EXPECT_EQ(events[0].active_seconds, 40 + 25);
  EXPECT_EQ(events[0].payable_seconds, 40 + 25);
  EXPECT_EQ(review_->counters().accepted.load(), 1);
  EXPECT_EQ(review_->counters().rework.load(), 1);
}

TEST_P(ReviewTest, MissedReworkReturnsForAFinalDecision) {
  auto p = MakeProject(3);
  SetPolicy(p.id, R"({"mode":"all"})");
  Caller e = Expert("e"), r = Expert("r", true);
  auto sub = Submit(e, p.id);
  auto task = review_->Next(r, p.id);
  ASSERT_TRUE(task && *task);
  ASSERT_TRUE(review_->Decide(r, (*task)->review_id, Rework("more detail")));
  clock_.Advance(601);
  auto late = review_->Revise(e, sub.id, json::object{{"label", "correct"}}, "late", 0);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().reason, "rework_expired");
  EXPECT_EQ(StatusOf(sub.id), "in_review");
  EXPECT_EQ(
      review_->Revise(e, sub.id, json::object{{"label", "correct"}}, "later", 0).error().reason,
      "rework_expired");
  auto last = review_->Next(r, p.id);
  ASSERT_TRUE(last && *last);
  EXPECT_EQ(review_->Decide(r, (*last)->review_id, Rework("again")).error().reason,
            "rework_not_allowed");
  Decision reject;
  reject.outcome = "reject";
  reject.reason = "quality";
  reject.comment = "no revision came";
  auto rejected = review_->Decide(r, (*last)->review_id, reject);
  ASSERT_TRUE(rejected) << rejected.error().message;
  EXPECT_EQ(rejected->status, "rejected");
  ASSERT_EQ(DecidedEvents().size(), 1u);
  EXPECT_EQ(DecidedEvents()[0].outcome, Outcome::kRejectedQuality);
}

TEST_P(ReviewTest, TheSameDecisionTwiceOrAtOnceDecidesOnce) {
  auto p = MakeProject(3);
  SetPolicy(p.id, R"({"mode":"all"})");
  Caller e = Expert("e"), r = Expert("r", true);
  auto sub = Submit(e, p.id);
  auto task = review_->Next(r, p.id);
  ASSERT_TRUE(task && *task);
  const std::int64_t id = (*task)->review_id;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto d = review_->Decide(r, id, Accept());
      if (d && d->status == "accepted") ok++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 4);
  EXPECT_EQ(DecidedEvents().size(), 1u);
  Decision spam;
  spam.outcome = "reject";
  spam.reason = "spam";
  spam.comment = "copied";
  EXPECT_EQ(review_->Decide(r, id, spam).error().reason, "already_decided");
  EXPECT_EQ(StatusOf(sub.id), "accepted");
  EXPECT_EQ(DecidedEvents().size(), 1u);
}

TEST_P(ReviewTest, AnExpiredClaimGoesBackToTheQueue) {
  auto p = MakeProject(3);
  SetPolicy(p.id, R"({"mode":"all"})");
  Caller e = Expert("e"), r1 = Expert("r1", true), r2 = Expert("r2", true);
  Submit(e, p.id);
  auto first = review_->Next(r1, p.id);
  ASSERT_TRUE(first && *first);
  auto none = review_->Next(r2, p.id);
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  clock_.Advance(kClaimSeconds + 1);
  EXPECT_EQ(review_->counters().claims_expired.load(), 0);
  auto second = review_->Next(r2, p.id);
  ASSERT_TRUE(second && *second);
  EXPECT_EQ(review_->counters().claims_expired.load(), 1);
  EXPECT_EQ(review_->Decide(r1, (*first)->review_id, Accept()).error().reason, "claim_expired");
  ASSERT_TRUE(review_->Release(r2, (*second)->review_id));
  EXPECT_EQ(review_->Decide(r2, (*second)->review_id, Accept()).error().reason, "claim_expired");
  // r1 may take it again: their claim expired, they never decided it.
  auto again = review_->Next(r1, p.id);
  ASSERT_TRUE(again && *again);
  EXPECT_EQ(review_->counters().claims_expired.load(), 1) << "a released claim did not expire";
  EXPECT_TRUE(review_->Decide(r1, (*again)->review_id, Accept()));
  EXPECT_EQ(review_->counters().accepted.load(), 1);
}

TEST_P(ReviewTest, GoldFailuresAndTimeOverTheCapAreHeldAndTheCapLimitsPay) {
  auto p = MakeProject(0, 1.0);
  SetPolicy(p.id, R"({"sample":{"new":0,"low_accuracy":0,"trusted":0},"time_cap_seconds":100})");
  Caller e = Expert("e"), r = Expert("r", true);
  auto gold = Submit(e, p.id, "incorrect");
  EXPECT_EQ(StatusOf(gold.id), "in_review");
  auto p2 = MakeProject(2);
  SetPolicy(p2.id, R"({"sample":{"new":0,"low_accuracy":0,"trusted":0},"time_cap_seconds":100})");
  auto slow = Submit(e, p2.id, "correct", 150);
  EXPECT_EQ(StatusOf(slow.id), "in_review");
  auto fine = Submit(e, p2.id, "correct", 50);
  EXPECT_EQ(StatusOf(fine.id), "pending");

  auto t1 = review_->Next(r, p.id);
  ASSERT_TRUE(t1 && *t1);
  EXPECT_EQ((*t1)->hold, "gold_failed");
  auto t2 = review_->Next(r, p2.id);
  ASSERT_TRUE(t2 && *t2);
  EXPECT_EQ((*t2)->hold, "over_cap");
  EXPECT_EQ((*t2)->time_cap_seconds, std::optional<std::int64_t>(100));
  ASSERT_TRUE(review_->Decide(r, (*t2)->review_id, Accept()));
  auto events = DecidedEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].active_seconds, 150);
  EXPECT_EQ(events[0].payable_seconds, 100);
  // Held work never auto-accepts.
  clock_.Advance(8 * 86400);
  EXPECT_EQ(*review_->RunPass(), 1);
  EXPECT_EQ(StatusOf(gold.id), "in_review");
}

TEST_P(ReviewTest, ScoresAreCheckedAgainstTheTemplatesRatingAndRubricQuestions) {
  auto p = MakeProject(2);
  SetPolicy(p.id, R"({"mode":"all"})");
  Caller e = Expert("e"), r = Expert("r", true);
  Submit(e, p.id);
  auto task = review_->Next(r, p.id);
  ASSERT_TRUE(task && *task);
  Decision d = Accept();
  d.scores = json::object{{"confidence", 99}};
  auto bad = review_->Decide(r, (*task)->review_id, d);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(bad.error().details[0].field, "scores.confidence");
  d.scores = json::object{{"label", "correct"}};
  EXPECT_EQ(review_->Decide(r, (*task)->review_id, d).error().details[0].field, "scores.label");
  d.scores = json::object{{"confidence", 4}};
  EXPECT_TRUE(review_->Decide(r, (*task)->review_id, d));
}

// An SFT project (text answers only) scores nothing until its lab sets a review form; then a
// reviewer scores each demonstration per criterion, the required ones before a final decision.
TEST_P(ReviewTest, ALabsReviewFormIsWhatReviewersScoreAndTheSummaryAverages) {
  auto sft = MakeSftProject({"Derive it.", "Prove it."});
  auto policy = review_->GetPolicy(lab_, sft.id);
  ASSERT_TRUE(policy);
  EXPECT_FALSE(policy->form);

  auto bad = ParseJsonObject(
      R"({"form":{"questions":[{"name":"c","type":"rubric","criteria":[]},{"name":"s","type":"rating","min":5,"max":1}],"extra":1}})");
  ASSERT_TRUE(bad);
  auto refused = review_->PutPolicy(lab_, sft.id, *bad);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().details.at(0).field, "form.extra");
  bad = ParseJsonObject(
      R"({"form":{"questions":[{"name":"c","type":"rubric","criteria":[]},{"name":"s","type":"rating","min":5,"max":1}]}})");
  refused = review_->PutPolicy(lab_, sft.id, *bad);
  ASSERT_FALSE(refused);
  std::set<std::string> fields;
  for (const FieldError& f : refused.error().details) fields.insert(f.field.substr(0, 17));
  EXPECT_EQ(fields, (std::set<std::string>{"form.questions[0]", "form.questions[1]"}));
  json::array many;
  for (std::size_t i = 0; i <= kMaxFormQuestions; ++i) {
    many.push_back({{"name", "q" + std::to_string(i)}, {"type", "text"}});
  }
  refused = review_->PutPolicy(
      lab_, sft.id, json::object{{"form", json::object{{"questions", std::move(many)}}}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().details.at(0).code, "too_many");

  SetPolicy(sft.id, R"({"mode":"all","form":{"questions":[
      {"name":"quality","type":"rubric","title":"Quality","criteria":[
        {"name":"correct","title":"Correct","kind":"pass_fail"},
        {"name":"clarity","title":"Clarity","kind":"points","max_points":3}]},
      {"name":"overall","type":"rating","min":1,"max":5,"required":false}]}})");
  // A PUT without the form keeps it.
  SetPolicy(sft.id, R"({"approval_window_days":3})");
  policy = review_->GetPolicy(lab_, sft.id);
  ASSERT_TRUE(policy && policy->form);
  EXPECT_EQ(policy->form->questions().size(), 2u);
  EXPECT_EQ(FormJson(*policy->form).at("questions").as_array().size(), 2u);

  Caller e = Expert("e"), r = Expert("r", true);
  for (const char* key : {"d1", "d2"}) {
    auto next = work_->Next(e, sft.id);
    ASSERT_TRUE(next && *next);
    ASSERT_TRUE(work_->Submit(e, (*next)->id, json::object{{"response", "Step one."}}, key));
  }
  auto first = review_->Next(r, sft.id);
  ASSERT_TRUE(first && *first);
  ASSERT_TRUE((*first)->form);
  EXPECT_EQ(*(*first)->form, *policy->form);

  // Accepting needs the required rubric; rework does not.
  auto missing = review_->Decide(r, (*first)->review_id, Accept());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kUnprocessable);
  ASSERT_EQ(missing.error().details.size(), 1u);
  EXPECT_EQ(missing.error().details[0].field, "scores.quality");
  EXPECT_EQ(missing.error().details[0].code, "required");
  Decision out_of_range = Accept();
  out_of_range.scores = json::object{{"quality", {{"correct", true}, {"clarity", 4}}}};
  EXPECT_EQ(review_->Decide(r, (*first)->review_id, out_of_range).error().details.at(0).field,
            "scores.quality");
  ASSERT_TRUE(review_->Decide(r, (*first)->review_id, Rework("Show the second step.")));

  auto second = review_->Next(r, sft.id);
  ASSERT_TRUE(second && *second);
  Decision scored = Accept();
  scored.scores =
      json::object{{"quality", {{"correct", true}, {"clarity", 2}}}, {"overall", 4}};
  ASSERT_TRUE(review_->Decide(r, (*second)->review_id, scored));

  auto summary = review_->SummaryOf(lab_, sft.id);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->scored, 1);
  ASSERT_EQ(summary->scores.size(), 3u);
  EXPECT_EQ(summary->scores[0].criterion, "correct");
  EXPECT_EQ(summary->scores[0].kind, "pass_fail");
  EXPECT_EQ(summary->scores[0].mean, std::optional<double>(1.0));
  EXPECT_EQ(summary->scores[1].title, "Clarity");
  EXPECT_EQ(summary->scores[1].mean, std::optional<double>(2.0));
  EXPECT_EQ(summary->scores[1].max, std::optional<double>(3.0));
  EXPECT_EQ(summary->scores[2].question, "overall");
  EXPECT_EQ(summary->scores[2].answered, 1);

  // Back to the template's own questions: an SFT template has none to score.
  SetPolicy(sft.id, R"({"form":null})");
  policy = review_->GetPolicy(lab_, sft.id);
  ASSERT_TRUE(policy);
  EXPECT_FALSE(policy->form);
  summary = review_->SummaryOf(lab_, sft.id);
  ASSERT_TRUE(summary);
  EXPECT_TRUE(summary->scores.empty());
}

TEST(SummarizeScores, AveragesWhatFitsAndCountsOptions) {
  auto form = projects::ParseTemplate(json::parse(R"({"questions":[
      {"name":"r","type":"rating","min":1,"max":5},
      {"name":"l","type":"label","options":["good","bad"]},
      {"name":"m","type":"multi_label","options":["x","y"]},
      {"name":"t","type":"text"}]})"));
  ASSERT_TRUE(form) << form.error().message;
  std::vector<json::value> scores = {
      json::parse(R"({"r":5,"l":"good","m":["x","y"],"t":"fine"})"),
      json::parse(R"({"r":2,"l":"bad","m":["x"]})"),
      json::parse(R"({"r":9,"l":"other"})"),  // out of range, not an option: left out
      json::parse(R"([1,2])"),                // not an object: left out
  };
  auto out = SummarizeScores(*form, scores);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].answered, 2);
  EXPECT_EQ(out[0].mean, std::optional<double>(3.5));
  EXPECT_EQ(out[1].answered, 3);
  EXPECT_EQ(out[1].counts,
            (std::vector<std::pair<std::string, std::int64_t>>{{"good", 1}, {"bad", 1}}));
  EXPECT_EQ(out[2].counts,
            (std::vector<std::pair<std::string, std::int64_t>>{{"x", 2}, {"y", 1}}));
  EXPECT_EQ(out[3].kind, "text");
  EXPECT_EQ(out[3].answered, 1);
  EXPECT_FALSE(out[3].mean);
}

TEST_P(ReviewTest, SummaryCountsAcceptanceAndSecondOpinionAgreement) {
  auto p = MakeProject(4);
  SetPolicy(p.id, R"({"mode":"all","second_review_rate":1})");
  Caller e = Expert("e"), r1 = Expert("r1", true), r2 = Expert("r2", true);
  auto a = Submit(e, p.id);
  auto b = Submit(e, p.id);
  Decision reject;
  reject.outcome = "reject";
  reject.reason = "quality";
  reject.comment = "wrong";
  for (int i = 0; i < 2; ++i) {
    auto t = review_->Next(r1, p.id);
    ASSERT_TRUE(t && *t);
    ASSERT_TRUE(review_->Decide(r1, (*t)->review_id, Accept()));
  }
  auto s1 = review_->Next(r2, p.id);
  ASSERT_TRUE(s1 && *s1);
  EXPECT_EQ((*s1)->hold, "second_opinion");
  ASSERT_TRUE(review_->Decide(r2, (*s1)->review_id, Accept()));
  auto s2 = review_->Next(r2, p.id);
  ASSERT_TRUE(s2 && *s2);
  ASSERT_TRUE(review_->Decide(r2, (*s2)->review_id, reject));
  auto none = review_->Next(r2, p.id);
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  EXPECT_EQ(DecidedEvents().size(), 2u);

  auto s = review_->SummaryOf(lab_, p.id);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->accepted, 2);
  EXPECT_EQ(s->pairs, 2);
  EXPECT_EQ(s->agreeing, 1);
  ASSERT_EQ(s->experts.size(), 1u);
  EXPECT_EQ(s->experts[0].accepted, 2);
  EXPECT_EQ(StatusOf(a.id), "accepted");
  EXPECT_EQ(StatusOf(b.id), "accepted");
}

TEST_P(ReviewTest, WorkMuchFasterThanTheProjectsMedianIsHeld) {
  auto p = MakeProject(30);
  SetPolicy(p.id, R"({"sample":{"new":0,"low_accuracy":0,"trusted":0},"speed_flag_ratio":0.25})");
  std::vector<Caller> experts;
  for (int i = 0; i < 10; ++i) experts.push_back(Expert("e" + std::to_string(i)));
  // Nineteen submissions of 100 s: too few for a median yet, so a fast one passes.
  for (int i = 0; i < 19; ++i)
    Submit(experts[static_cast<std::size_t>(i % 10)], p.id, "correct", 100);
  auto early = Submit(experts[9], p.id, "correct", 10);
  EXPECT_EQ(StatusOf(early.id), "pending");
  auto fast = Submit(experts[8], p.id, "correct", 20);
  EXPECT_EQ(StatusOf(fast.id), "in_review");
  auto steady = Submit(experts[7], p.id, "correct", 30);
  EXPECT_EQ(StatusOf(steady.id), "pending");
  Caller r = Expert("r", true);
  auto task = review_->Next(r, p.id);
  ASSERT_TRUE(task && *task);
  EXPECT_EQ((*task)->hold, "speed");
}

TEST_P(ReviewTest, FreeTextModeReviewsEveryAnswerOfATemplateWithATextQuestion) {
  auto sft = MakeSftProject({"Derive it."});
  auto labels = MakeProject(2);
  const std::string policy =
      R"({"mode":"free_text","sample":{"new":0,"low_accuracy":0,"trusted":0}})";
  SetPolicy(sft.id, policy);
  SetPolicy(labels.id, policy);
  Caller e = Expert("e");
  auto next = work_->Next(e, sft.id);
  ASSERT_TRUE(next && *next);
  auto demo =
      work_->Submit(e, (*next)->id, json::object{{"response", "Step one, step two."}}, "d1");
  ASSERT_TRUE(demo) << demo.error().message;
  EXPECT_EQ(StatusOf(demo->id), "in_review");
  auto label = Submit(e, labels.id);
  EXPECT_EQ(StatusOf(label.id), "pending");
}

TEST_P(ReviewTest, SamplingFollowsTheExpertsStandingOnTheProject) {
  auto p = MakeProject(6);
  SetPolicy(p.id, R"({"sample":{"new":1,"low_accuracy":1,"trusted":0},"new_judgments":3})");
  Caller e = Expert("e");
  std::vector<std::string> statuses;
  for (int i = 0; i < 5; ++i) statuses.push_back(StatusOf(Submit(e, p.id).id));
  // New while fewer than three judgments came before; trusted (never sampled) after.
  EXPECT_EQ(statuses, (std::vector<std::string>{"in_review", "in_review", "in_review", "pending",
                                                "pending"}));
}

TEST_P(ReviewTest, TwoReviewersAskingAtOnceNeverClaimTheSameSubmission) {
  auto p = MakeProject(3);
  SetPolicy(p.id, R"({"mode":"all"})");
  Caller e = Expert("e");
  Submit(e, p.id);
  std::vector<Caller> reviewers;
  for (int i = 0; i < 4; ++i) reviewers.push_back(Expert("r" + std::to_string(i), true));
  std::atomic<int> claimed{0}, failed{0};
  std::vector<std::thread> threads;
  for (const Caller& r : reviewers) {
    threads.emplace_back([&, r] {
      auto t = review_->Next(r, p.id);
      if (!t) {
        failed++;
      } else if (*t) {
        claimed++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(claimed.load(), 1);
  EXPECT_EQ(tdb_->Rows("reviews"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReviewTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace fw::review
