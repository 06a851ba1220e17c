// Quality reports over a real store (SQLite always, PostgreSQL when FACHWERK_TEST_POSTGRES is
// set): experts answer through the work loop, the report aggregates and settles items.

#include "reports/reports.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

#include "db/query.h"
#include "db/testing.h"
#include "work/work.h"

namespace fw::reports {
namespace {

namespace json = boost::json;

class ReportsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string why;
    tdb_ = db::testing::TestDatabase::Make(GetParam(), &why);
    if (!tdb_) GTEST_SKIP() << why;
    projects::ProjectOptions po;
    po.spool_dir = (std::filesystem::temp_directory_path() / "fw_spool_reports_test").string();
    projects_ = std::make_unique<projects::ProjectService>(tdb_->db(), clock_, tenancy_, po);
    work::WorkOptions wo;
    wo.seed = 7;
    experts_ = std::make_unique<experts::ExpertService>(tdb_->db(), clock_, ids_);
    eligibility_ = std::make_unique<experts::Eligibility>(tdb_->db(), *experts_);
    work_ = std::make_unique<work::WorkService>(tdb_->db(), clock_, *projects_, *eligibility_, wo);
    reports_ = std::make_unique<ReportService>(
        tdb_->db(), *projects_,
        [](std::int64_t org, std::int64_t expert) -> Result<std::string> {
          return "exp_" + std::to_string(org) + "_" + std::to_string(expert);
        },
        clock_);
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
               "'owner', :o, 1) "
               "RETURNING id",
              soci::use(email), soci::use(org), soci::into(uid);
          return std::make_pair(org, uid);
        });
    EXPECT_TRUE(ids);
    Caller c;
    c.role = Role::kLabMember;
    c.org_id = ids->first;
    c.user_id = ids->second;
    return c;
  }

  Caller Expert(const std::string& name) {
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
    return c;
  }

  projects::Project MakeProject(int k, int items, projects::Adaptive adaptive = {}) {
    projects::NewProject np;
    np.name = "p";
    np.preset = "classification";
    np.redundancy = k;
    np.adaptive = adaptive;
    np.lease_seconds = 600;
    auto p = projects_->Create(lab_, np);
    EXPECT_TRUE(p) << p.error().message;
    std::string body;
    for (int i = 0; i < items; ++i) body += "{\"text\":\"item " + std::to_string(i) + "\"}\n";
    body += "{\"data\":{\"text\":\"gold\"},\"gold\":{\"label\":\"correct\"}}\n";
    auto pos = std::make_shared<std::size_t>(0);
    auto text = std::make_shared<std::string>(body);
    auto r = projects_->Import(lab_, p->id,
                               [pos, text](char* buf, std::size_t n) -> Result<std::size_t> {
                                 std::size_t m = std::min(n, text->size() - *pos);
                                 std::memcpy(buf, text->data() + *pos, m);
                                 *pos += m;
                                 return m;
                               });
    EXPECT_TRUE(r) << r.error().message;
    return *p;
  }

  // Works until no task is left; `label_of(expert, item)` chooses each answer.
  template <typename Fn>
  int WorkAll(const Caller& expert, Fn label_of, int most = 1000) {
    int done = 0;
    for (; done < most; ++done) {
      auto next = work_->Next(expert, std::nullopt);
      EXPECT_TRUE(next) << next.error().message;
      if (!next || !*next) break;
      json::value answer =
          json::object{{"label", label_of(expert.user_id, (*next)->item_id)}, {"confidence", 4}};
      auto sub = work_->Submit(expert, (*next)->id, answer, "k" + std::to_string((*next)->id));
      EXPECT_TRUE(sub) << sub.error().message;
    }
    return done;
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
  std::unique_ptr<ReportService> reports_;
  Caller lab_, other_lab_;
};

TEST_P(ReportsTest, AggregatesEachItemAndRatesExperts) {
  auto p = MakeProject(3, 6);
  Caller a = Expert("a"), b = Expert("b"), spammer = Expert("s");
  auto truth = [](std::int64_t, std::int64_t item) { return item % 2 ? "correct" : "incorrect"; };
  WorkAll(a, truth);
  WorkAll(b, truth);
  WorkAll(spammer, [](std::int64_t, std::int64_t) { return "unsure"; });

  auto report = reports_->Refresh(lab_, p.id);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->at("submissions").as_int64(), 3 * 7);
  const json::array& questions = report->at("questions").as_array();
  ASSERT_EQ(questions.size(), 2u);
  EXPECT_EQ(questions[0].at("name").as_string(), "label");
  EXPECT_EQ(questions[0].at("items_aggregated").as_int64(), 7);
  EXPECT_EQ(questions[0].at("agreement").at("metric").as_string(), "alpha-nominal");
  EXPECT_TRUE(questions[0].at("agreement").at("value").is_double());
  EXPECT_EQ(questions[1].at("name").as_string(), "confidence");
  EXPECT_EQ(questions[1].at("items_aggregated").as_int64(), 7);

  std::map<std::string, double> skill;
  std::map<std::string, json::value> gold;
  for (const json::value& e : report->at("experts").as_array()) {
    std::string name(e.at("expert").as_string());
    skill[name] = e.at("skill").as_double();
    gold[name] = e.at("gold_accuracy");
  }
  auto name = [&](const Caller& c) {
    return "exp_" + std::to_string(lab_.org_id) + "_" + std::to_string(c.user_id);
  };
  EXPECT_GT(skill[name(a)], skill[name(spammer)]);
  EXPECT_EQ(gold[name(a)].as_double(), 1.0);
  EXPECT_EQ(gold[name(spammer)].as_double(), 0.0);

  auto page = reports_->Items(lab_, p.id, 0, 1000);
  ASSERT_TRUE(page) << page.error().message;
  int labels = 0;
  for (const ItemAggregate& agg : page->aggregates) {
    if (agg.question != "label") continue;
    ++labels;
    EXPECT_EQ(agg.judgments, 3);
    if (agg.item_id != page->aggregates.back().item_id) {
      EXPECT_GE(agg.confidence, 0.5);
    }
  }
  EXPECT_EQ(labels, 7);
  EXPECT_EQ(page->next_after, 0);

  // Paging by items: one item per page, both of its questions together.
  auto first = reports_->Items(lab_, p.id, 0, 1);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->aggregates.size(), 2u);
  EXPECT_EQ(first->aggregates[0].item_id, first->aggregates[1].item_id);
  EXPECT_EQ(first->next_after, first->aggregates[0].item_id);
}

TEST_P(ReportsTest, EachPassPublishesTheExpertsSkillsAfterItsWrites) {
  std::vector<SkillsEstimated> seen;
  reports_->skills_estimated().SubscribeAfterCommit(
      "test", [&](const SkillsEstimated& e) { seen.push_back(e); });
  auto p = MakeProject(3, 4);
  Caller a = Expert("a"), b = Expert("b"), spammer = Expert("s");
  auto truth = [](std::int64_t, std::int64_t item) { return item % 2 ? "correct" : "incorrect"; };
  WorkAll(a, truth);
  WorkAll(b, truth);
  WorkAll(spammer, [](std::int64_t, std::int64_t) { return "unsure"; });
  auto report = reports_->Refresh(lab_, p.id);
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].project_id, p.id);
  EXPECT_EQ(seen[0].org_id, lab_.org_id);
  std::map<std::int64_t, ExpertSkill> by_expert;
  for (const ExpertSkill& s : seen[0].skills) by_expert[s.expert_id] = s;
  ASSERT_EQ(by_expert.size(), 3u);
  EXPECT_GT(by_expert[a.user_id].skill, by_expert[spammer.user_id].skill);
  EXPECT_EQ(by_expert[a.user_id].answers, 5) << "one label answer per submission";
  for (const auto& [id, s] : by_expert) {
    EXPECT_GE(s.skill, 0);
    EXPECT_LE(s.skill, 1);
  }
  // The same figures as the report's.
  for (const json::value& e : report->at("experts").as_array()) {
    bool found = false;
    for (const auto& [id, s] : by_expert) {
      if (e.at("expert").as_string() ==
          "exp_" + std::to_string(lab_.org_id) + "_" + std::to_string(id)) {
        EXPECT_DOUBLE_EQ(e.at("skill").as_double(), s.skill);
        found = true;
      }
    }
    EXPECT_TRUE(found);
  }
  // Every pass publishes, the next one too.
  ASSERT_TRUE(reports_->Refresh(lab_, p.id));
  EXPECT_EQ(seen.size(), 2u);
}

TEST_P(ReportsTest, RubricCriteriaAreAggregatedOneByOne) {
  projects::NewProject np;
  np.name = "grading";
  np.preset = "rubric";
  np.redundancy = 3;
  np.lease_seconds = 600;
  auto p = projects_->Create(lab_, np);
  ASSERT_TRUE(p) << p.error().message;
  std::string body = "{\"prompt\":\"p\",\"response\":\"r\"}\n";
  auto pos = std::make_shared<std::size_t>(0);
  ASSERT_TRUE(projects_->Import(lab_, p->id, [&](char* buf, std::size_t n) -> Result<std::size_t> {
    std::size_t m = std::min(n, body.size() - *pos);
    std::memcpy(buf, body.data() + *pos, m);
    *pos += m;
    return m;
  }));
  const std::pair<bool, int> grades[] = {{true, 3}, {true, 3}, {false, 2}};
  int i = 0;
  for (const auto& [pass, points] : grades) {
    Caller e = Expert("grader" + std::to_string(i++));
    auto next = work_->Next(e, std::nullopt);
    ASSERT_TRUE(next && *next);
    json::value answer = json::object{
        {"rubric", json::object{{"correctness", pass}, {"reasoning", points}, {"clarity", 2}}}};
    ASSERT_TRUE(work_->Submit(e, (*next)->id, answer, "k"));
  }
  auto report = reports_->Refresh(lab_, p->id);
  ASSERT_TRUE(report) << report.error().message;
  std::map<std::string, std::string> type_of;
  for (const json::value& q : report->at("questions").as_array()) {
    type_of[std::string(q.at("name").as_string())] = std::string(q.at("type").as_string());
  }
  EXPECT_EQ(type_of["rubric"], "rubric");
  EXPECT_EQ(type_of["rubric.correctness"], "rubric_pass_fail");
  EXPECT_EQ(type_of["rubric.reasoning"], "rubric_points");
  auto page = reports_->Items(lab_, p->id, 0, 10);
  ASSERT_TRUE(page);
  std::map<std::string, json::value> answer_of;
  for (const ItemAggregate& a : page->aggregates) answer_of[a.question] = a.answer;
  EXPECT_EQ(answer_of["rubric.correctness"], json::value(true));
  EXPECT_EQ(answer_of["rubric.clarity"], json::value(2));
  EXPECT_TRUE(answer_of["rubric.reasoning"].is_int64());
  EXPECT_EQ(answer_of.count("rubric"), 0u);
}

TEST_P(ReportsTest, RefreshReadsOnlyNewSubmissionsAndKeepsTheStoredReport) {
  auto p = MakeProject(2, 4);
  Caller a = Expert("a"), b = Expert("b");
  WorkAll(a, [](std::int64_t, std::int64_t) { return "correct"; });
  auto first = reports_->Refresh(lab_, p.id);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->at("submissions").as_int64(), 5);
  WorkAll(b, [](std::int64_t, std::int64_t) { return "correct"; });
  reports_->MarkDirty(p.id);
  reports_->RefreshDirty();
  auto stored = reports_->Get(lab_, p.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->at("submissions").as_int64(), 10);
  // A fresh service (a restart) rebuilds from the store and agrees.
  ReportService again(
      tdb_->db(), *projects_,
      [](std::int64_t, std::int64_t e) -> Result<std::string> { return std::to_string(e); },
      clock_);
  auto rebuilt = again.Refresh(lab_, p.id);
  ASSERT_TRUE(rebuilt);
  EXPECT_EQ(rebuilt->at("submissions").as_int64(), 10);
}

TEST_P(ReportsTest, ARevisedAnswerChangesTheAggregateAfterTheNextPass) {
  auto p = MakeProject(1, 3);
  Caller a = Expert("a");
  WorkAll(a, [](std::int64_t, std::int64_t) { return "correct"; });
  ASSERT_TRUE(reports_->Refresh(lab_, p.id));
  clock_.Advance(60);  // past PostgreSQL's commit lag, so the cursor has passed every row
  ASSERT_TRUE(reports_->Refresh(lab_, p.id));
  auto label_of = [&](std::int64_t item) -> std::string {
    auto page = reports_->Items(lab_, p.id, 0, 1000);
    EXPECT_TRUE(page) << page.error().message;
    for (const ItemAggregate& agg : page->aggregates) {
      if (agg.item_id == item && agg.question == "label") return std::string(agg.answer.as_string());
    }
    return "";
  };
  // A rework revision replaces the stored answer in place, keeping the submission's id.
  auto revised = tdb_->db().Write<long long>([&](soci::session& s) -> Result<long long> {
    long long sid = 0, item = 0;
    db::Query(s,
              "SELECT id, item_id FROM submissions WHERE project_id = :p AND is_gold = 0 "
              "ORDER BY id LIMIT 1")
        .Bind(p.id)
        .One(sid, item);
    db::Query(s, "UPDATE submissions SET answer = :a WHERE id = :s")
        .Bind(tenancy_.Seal(lab_.org_id, R"({"label":"incorrect","confidence":4})"))
        .Bind(sid)
        .Run();
    return item;
  });
  ASSERT_TRUE(revised) << revised.error().message;
  const std::int64_t item = *revised;
  EXPECT_EQ(label_of(item), "correct");

  // A pass that only reads new submissions does not see it...
  reports_->MarkDirty(p.id);
  reports_->RefreshDirty();
  EXPECT_EQ(label_of(item), "correct");
  // ...the pass after the revision was reported reads the project again.
  reports_->MarkRevised(p.id);
  reports_->RefreshDirty();
  EXPECT_EQ(label_of(item), "incorrect");
  auto report = reports_->Get(lab_, p.id);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->at("submissions").as_int64(), 4);
  // Reported once: later passes read on from where the rebuild stopped.
  clock_.Advance(60);
  reports_->MarkDirty(p.id);
  reports_->RefreshDirty();
  auto later = reports_->Get(lab_, p.id);
  ASSERT_TRUE(later);
  EXPECT_EQ(later->at("submissions").as_int64(), 4);
  EXPECT_EQ(label_of(item), "incorrect");
}

TEST_P(ReportsTest, PassesRunWhileExpertsSubmitAndMissNothing) {
  // The background thread and on-demand refreshes run while submissions commit; the last pass
  // after the work ends has read every one of them exactly once.
  auto p = MakeProject(3, 30);
  std::vector<Caller> experts = {Expert("a"), Expert("b"), Expert("c")};
  std::atomic<bool> done{false};
  std::thread refresher([&] {
    while (!done.load()) {
      reports_->MarkDirty(p.id);
      reports_->RefreshDirty();
      auto r = reports_->Refresh(lab_, p.id);
      EXPECT_TRUE(r) << r.error().message;
    }
  });
  std::vector<std::thread> workers;
  int total = 0;
  std::mutex total_mu;
  for (const Caller& e : experts) {
    workers.emplace_back([&, e] {
      int n = WorkAll(
          e, [](std::int64_t, std::int64_t item) { return item % 3 ? "correct" : "incorrect"; });
      std::lock_guard lock(total_mu);
      total += n;
    });
  }
  for (auto& t : workers) t.join();
  done = true;
  refresher.join();
  // On PostgreSQL an expert may be told "no task" while another transaction holds the last
  // item's row (SKIP LOCKED); a second sweep, alone, takes what is left.
  for (const Caller& e : experts) {
    total += WorkAll(
        e, [](std::int64_t, std::int64_t item) { return item % 3 ? "correct" : "incorrect"; });
  }
  auto report = reports_->Refresh(lab_, p.id);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->at("submissions").as_int64(), total);
  EXPECT_EQ(total, 3 * 31);
  EXPECT_EQ(report->at("questions").as_array()[0].at("judgments").as_int64(), total);
}

TEST_P(ReportsTest, IdleProjectsGiveTheirMemoryBackAndRebuildOnDemand) {
  auto p = MakeProject(2, 3);
  Caller a = Expert("a");
  WorkAll(a, [](std::int64_t, std::int64_t) { return "correct"; });
  ASSERT_TRUE(reports_->Refresh(lab_, p.id));
  EXPECT_EQ(reports_->cached_projects(), 1u);
  reports_->RefreshDirty();
  EXPECT_EQ(reports_->cached_projects(), 1u);  // not idle yet
  clock_.Advance(31 * 60);
  reports_->RefreshDirty();
  EXPECT_EQ(reports_->cached_projects(), 0u);
  auto again = reports_->Refresh(lab_, p.id);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->at("submissions").as_int64(), 4);
}

TEST_P(ReportsTest, AdaptiveRedundancySettlesConfidentItems) {
  projects::Adaptive adaptive;
  adaptive.threshold = 0.6;
  adaptive.min = 2;
  auto p = MakeProject(4, 5, adaptive);
  Caller a = Expert("a"), b = Expert("b"), c = Expert("c");
  WorkAll(a, [](std::int64_t, std::int64_t) { return "correct"; });
  WorkAll(b, [](std::int64_t, std::int64_t) { return "correct"; });
  auto report = reports_->Refresh(lab_, p.id);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->at("settled_items").as_int64(), 5);
  EXPECT_EQ(report->at("adaptive").at("max").as_int64(), 4);
  // Settled items are complete: nothing more is wanted of them.
  auto progress = projects_->ProjectProgress(lab_, p.id);
  ASSERT_TRUE(progress);
  EXPECT_EQ(std::make_tuple(progress->complete, progress->remaining, progress->remaining_judgments),
            std::make_tuple(5, 0, 0));
  EXPECT_FALSE(progress->estimated_completion);
  // The settled items are not offered again; only the gold item (always open) remains.
  EXPECT_EQ(WorkAll(c, [](std::int64_t, std::int64_t) { return "correct"; }), 1);
}

TEST_P(ReportsTest, TheBackgroundPassRecordsProgressTotalsOnceAMinute) {
  auto p = MakeProject(2, 3);
  Caller a = Expert("a");
  auto records = [&] { return tdb_->Rows("progress_snapshots"); };
  auto correct = [](std::int64_t, std::int64_t) { return "correct"; };
  WorkAll(a, correct, 1);
  reports_->RefreshDirty();
  EXPECT_EQ(records(), 1);
  WorkAll(a, correct, 1);
  clock_.Advance(projects::kProgressRecordSeconds - 1);
  reports_->RefreshDirty();
  EXPECT_EQ(records(), 1);  // not due yet
  clock_.Advance(1);
  reports_->RefreshDirty();
  EXPECT_EQ(records(), 2);
  clock_.Advance(3600);
  auto progress = projects_->ProjectProgress(lab_, p.id);
  ASSERT_TRUE(progress);
  EXPECT_EQ(progress->submissions_last_hour, 0);
  EXPECT_EQ(progress->submissions_last_day, 2);
}

TEST_P(ReportsTest, ChangeTestSettlesItemsTheLastJudgmentCannotOverturn) {
  // Threshold 1 never settles on the posterior; only the change test can.
  projects::Adaptive with_change;
  with_change.threshold = 1;
  with_change.min = 2;
  with_change.change = 0.05;
  projects::Adaptive without = with_change;
  without.change = 0;
  auto p = MakeProject(3, 6, with_change);
  auto q = MakeProject(3, 6, without);
  Caller a = Expert("a"), b = Expert("b"), c = Expert("c");
  auto truth = [](std::int64_t, std::int64_t item) { return item % 2 ? "correct" : "incorrect"; };
  WorkAll(a, truth);
  WorkAll(b, truth);
  auto report = reports_->Refresh(lab_, p.id);
  ASSERT_TRUE(report) << report.error().message;
  // Two agreeing judgments out of three: one more answer from a typical expert cannot change it.
  EXPECT_EQ(report->at("settled_items").as_int64(), 6);
  EXPECT_EQ(report->at("adaptive").at("change").as_double(), 0.05);
  auto plain = reports_->Refresh(lab_, q.id);
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(plain->at("settled_items").as_int64(), 0);
  // c gets project q's six items and the two gold items, nothing of p's settled ones.
  EXPECT_EQ(WorkAll(c, truth), 8);
}

TEST_P(ReportsTest, GateTurnsAwayExpertsWhoseAnswersCarryNoInformation) {
  projects::Adaptive adaptive;
  adaptive.threshold = 1;
  adaptive.min = 2;
  adaptive.gate = 0.2;
  auto p = MakeProject(4, 30, adaptive);
  Caller a = Expert("a"), b = Expert("b"), idle = Expert("s"), d = Expert("d");
  auto truth = [](std::int64_t, std::int64_t item) { return item % 2 ? "correct" : "incorrect"; };
  WorkAll(a, truth);
  WorkAll(b, truth);
  // One more than the 30 items it answers alike: the gate needs 20 judgments.
  EXPECT_EQ(WorkAll(idle, [](std::int64_t, std::int64_t) { return "correct"; }, 30), 30);

  auto report = reports_->Refresh(lab_, p.id);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->at("adaptive").at("gated_experts").as_int64(), 1);
  auto name = [&](const Caller& c) {
    return "exp_" + std::to_string(lab_.org_id) + "_" + std::to_string(c.user_id);
  };
  for (const json::value& e : report->at("experts").as_array()) {
    const bool is_idle = e.at("expert").as_string() == name(idle);
    EXPECT_EQ(e.at("gated").as_bool(), is_idle) << e;
    if (is_idle) EXPECT_LT(e.at("information").as_double(), 0.2);
    else EXPECT_GT(e.at("information").as_double(), 0.3);
  }
  // The gated expert gets nothing more of this project, and no longer sees it; others do.
  auto none = work_->Next(idle, p.id);
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_FALSE(none->has_value());
  auto listed = work_->Projects(idle);
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->empty());
  auto some = work_->Next(d, p.id);
  ASSERT_TRUE(some) << some.error().message;
  EXPECT_TRUE(some->has_value());

  // Turning the gate off lets the expert back in.
  projects::ProjectPatch patch;
  adaptive.gate = 0;
  patch.adaptive = adaptive;
  ASSERT_TRUE(projects_->Update(lab_, p.id, patch));
  auto again = work_->Next(idle, p.id);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->has_value());
}

TEST_P(ReportsTest, AdaptiveRedundancyIsCheckedOnCreate) {
  projects::NewProject np;
  np.name = "p";
  np.preset = "sft";
  np.redundancy = 3;
  np.adaptive.threshold = 0.9;
  auto p = projects_->Create(lab_, np);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().details.at(0).field, "adaptive");
  np.preset = "classification";
  np.adaptive.threshold = 0.4;
  p = projects_->Create(lab_, np);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().details.at(0).field, "adaptive.threshold");
  np.adaptive.threshold = 0.9;
  np.adaptive.min = 4;
  p = projects_->Create(lab_, np);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().details.at(0).field, "adaptive.min");
  np.adaptive.min = 2;
  for (double bad : {-0.1, 1.0}) {
    np.adaptive.change = bad;
    p = projects_->Create(lab_, np);
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().details.at(0).field, "adaptive.change");
    np.adaptive.change = 0;
    np.adaptive.gate = bad;
    p = projects_->Create(lab_, np);
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().details.at(0).field, "adaptive.gate");
    np.adaptive.gate = 0;
  }
}

TEST_P(ReportsTest, AnotherLabSeesNoReport) {
  auto p = MakeProject(1, 2);
  auto r = reports_->Get(other_lab_, p.id);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  auto items = reports_->Items(other_lab_, p.id, 0, 10);
  ASSERT_FALSE(items);
  EXPECT_EQ(items.error().code, ErrorCode::kNotFound);
  auto bad = reports_->Items(lab_, p.id, 0, 0);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportsTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace fw::reports
