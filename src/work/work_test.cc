#include "work/work.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <thread>

#include "db/migrations.h"
#include "db/testing.h"
#include "projects/pool.h"

namespace fw::work {
namespace {

namespace json = boost::json;

class WorkTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string why;
    tdb_ = db::testing::TestDatabase::Make(GetParam(), &why);
    if (!tdb_) GTEST_SKIP() << why;
    projects::ProjectOptions po;
    po.spool_dir = (std::filesystem::temp_directory_path() / "fw_spool_work_test").string();
    projects_ = std::make_unique<projects::ProjectService>(tdb_->db(), clock_, tenancy_, po);
    WorkOptions wo;
    wo.seed = 42;
    experts_ = std::make_unique<experts::ExpertService>(tdb_->db(), clock_, ids_);
    eligibility_ = std::make_unique<experts::Eligibility>(tdb_->db(), *experts_);
    work_ = std::make_unique<WorkService>(tdb_->db(), clock_, *projects_, *eligibility_, wo);
    lab_.role = Role::kLabMember;
    auto ids = tdb_->db().Write<std::pair<long long, long long>>(
        [](soci::session& s) -> Result<std::pair<long long, long long>> {
          long long org = 0, uid = 0;
          s << "INSERT INTO orgs (name, slug, pseudonym_key, created_at) VALUES ('a', 'a', 'k', 1) "
               "RETURNING id",
              soci::into(org);
          s << "INSERT INTO users (email, name, role, org_id, created_at) VALUES ('o@a', 'o', "
               "'owner', :o, 1) "
               "RETURNING id",
              soci::use(org), soci::into(uid);
          return std::make_pair(org, uid);
        });
    ASSERT_TRUE(ids);
    lab_.org_id = ids->first;
    lab_.user_id = ids->second;
  }

  Caller Expert(const std::string& name,
                std::vector<std::pair<std::string, int>> quals = {{"physics", 3}}) {
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
    SetQualifications(c.user_id, quals);
    return c;
  }

  // Stores exactly `quals` as the expert's qualifications, as (domain, level) pairs, without
  // ending any lease (what a node that missed a revocation sees).
  void SetQualifications(std::int64_t user_id,
                         const std::vector<std::pair<std::string, int>>& quals) {
    ASSERT_TRUE(tdb_->db().Write<bool>([&](soci::session& s) -> Result<bool> {
      long long uid = user_id;
      s << "DELETE FROM qualifications WHERE user_id = :u", soci::use(uid);
      for (const auto& [domain, level] : quals) {
        s << "INSERT INTO qualifications (user_id, domain, level, granted_at) VALUES (:u, :d, :l, 1)",
            soci::use(uid), soci::use(domain), soci::use(level);
      }
      return true;
    }));
  }

  projects::Project MakeProject(int k, int items, double gold_rate = 0, int gold_items = 0,
                                std::string domain = "physics", int min_level = 0) {
    projects::NewProject np;
    np.name = "p";
    np.preset = "classification";
    np.redundancy = k;
    np.gold_rate = gold_rate;
    np.domain = std::move(domain);
    np.min_level = min_level;
    np.lease_seconds = 600;
    auto p = projects_->Create(lab_, np);
    EXPECT_TRUE(p) << p.error().message;
    std::string body;
    for (int i = 0; i < items; ++i) body += "{\"text\":\"item " + std::to_string(i) + "\"}\n";
    for (int i = 0; i < gold_items; ++i) {
      body += "{\"data\":{\"text\":\"gold " + std::to_string(i) +
              "\"},\"gold\":{\"label\":\"correct\"}}\n";
    }
    auto pos = std::make_shared<std::size_t>(0);
    auto text = std::make_shared<std::string>(body);
    auto r = projects_->Import(lab_, p->id,
                               [pos, text](char* buf, std::size_t n) -> Result<std::size_t> {
                                 std::size_t k2 = std::min(n, text->size() - *pos);
                                 std::memcpy(buf, text->data() + *pos, k2);
                                 *pos += k2;
                                 return k2;
                               });
    EXPECT_TRUE(r) << r.error().message;
    return *p;
  }

  static json::value Answer(const char* label = "correct") {
    return json::object{{"label", label}};
  }

  // What a revocation's transaction does through the experts room's listener.
  Result<int> Revoke(const Caller& expert, std::vector<std::pair<std::string, int>> held) {
    SetQualifications(expert.user_id, held);
    return tdb_->db().Write<int>([&](soci::session& s) -> Result<int> {
      FW_TRY(auto standing, eligibility_->StandingOf(expert.user_id, &s));
      return work_->EndIneligibleLeases(s, standing);
    });
  }

  Assignment Take(const Caller& expert, std::int64_t project_id) {
    auto next = work_->Next(expert, project_id);
    EXPECT_TRUE(next) << next.error().message;
    EXPECT_TRUE(next && next->has_value()) << "expected a task";
    return next && *next ? **next : Assignment{};
  }

  std::string StateOf(std::int64_t assignment_id) {
    auto st = tdb_->db().Read<std::string>([&](soci::session& s) -> Result<std::string> {
      std::string state;
      long long id = assignment_id;
      s << "SELECT state FROM assignments WHERE id = :id", soci::into(state), soci::use(id);
      return state;
    });
    return st ? *st : "?";
  }

  int Taken(std::int64_t project_id, std::int64_t item_id) {
    auto item = projects_->GetItem(lab_, project_id, item_id);
    EXPECT_TRUE(item) << item.error().message;
    return item ? item->taken : -1;
  }

  long long SubmissionCount() { return tdb_->Rows("submissions"); }
  long long DraftRows() { return tdb_->Rows("assignment_drafts"); }

  // Leases the expert the next item of the project and saves a draft for it.
  Assignment TakeWithDraft(const Caller& expert, std::int64_t project_id) {
    Assignment x = Take(expert, project_id);
    auto saved = work_->SaveDraft(expert, x.id, json::object{{"label", "correct"}});
    EXPECT_TRUE(saved) << saved.error().message;
    return x;
  }

  // The draft of the expert's active assignment `assignment_id` as the listing serves it, with
  // when it was saved; nullopt when the assignment is not listed as active.
  std::optional<std::pair<json::value, std::int64_t>> ServedDraft(const Caller& expert,
                                                                  std::int64_t assignment_id) {
    auto active = work_->ActiveAssignments(expert);
    EXPECT_TRUE(active) << active.error().message;
    if (!active) return std::nullopt;
    for (const Assignment& a : *active) {
      if (a.id == assignment_id) return std::make_pair(a.draft, a.draft_saved_at);
    }
    return std::nullopt;
  }

  projects::Progress ProgressOf(std::int64_t project_id) {
    auto p = projects_->ProjectProgress(lab_, project_id);
    EXPECT_TRUE(p) << p.error().message;
    return p.value_or(projects::Progress{});
  }

  // Every way an expert may act on an ended lease answers 409 `reason` and stores nothing.
  void ExpectRefused(const Caller& expert, std::int64_t assignment_id, const std::string& reason) {
    long long before = SubmissionCount();
    auto hb = work_->Heartbeat(expert, assignment_id, 5);
    ASSERT_FALSE(hb);
    EXPECT_EQ(hb.error().code, ErrorCode::kConflict);
    EXPECT_EQ(hb.error().reason, reason) << hb.error().message;
    auto sub = work_->Submit(expert, assignment_id, Answer(), "late-" + std::to_string(assignment_id));
    ASSERT_FALSE(sub);
    EXPECT_EQ(sub.error().code, ErrorCode::kConflict);
    EXPECT_EQ(sub.error().reason, reason) << sub.error().message;
    auto skip = work_->Skip(expert, assignment_id, "");
    ASSERT_FALSE(skip);
    EXPECT_EQ(skip.error().reason, reason) << skip.error().message;
    EXPECT_EQ(SubmissionCount(), before);
  }

  FakeClock clock_;
  security::PlainCodec codec_;
  tenancy::Tenancy tenancy_{codec_};
  security::IdCodec ids_{"0123456789abcdef0123456789abcdef"};
  std::unique_ptr<db::testing::TestDatabase> tdb_;
  std::unique_ptr<projects::ProjectService> projects_;
  std::unique_ptr<experts::ExpertService> experts_;
  std::unique_ptr<experts::Eligibility> eligibility_;
  std::unique_ptr<WorkService> work_;
  Caller lab_;
};

TEST_P(WorkTest, EachItemGoesToKDistinctExpertsAndNeverTwiceToOne) {
  auto p = MakeProject(2, 3);
  Caller a = Expert("a"), b = Expert("b"), c = Expert("c");
  std::map<std::int64_t, std::set<std::int64_t>> holders;
  for (Caller* e : {&a, &b, &c}) {
    for (;;) {
      auto next = work_->Next(*e, std::nullopt);
      ASSERT_TRUE(next) << next.error().message;
      if (!*next) break;
      EXPECT_TRUE(holders[(*next)->item_id].insert(e->user_id).second)
          << "same item twice to one expert";
      ASSERT_TRUE(work_->Submit(*e, (*next)->id, Answer(), "k" + std::to_string((*next)->id)));
    }
  }
  ASSERT_EQ(holders.size(), 3u);
  for (auto& [item, experts] : holders) EXPECT_EQ(experts.size(), 2u);
  auto counts = projects_->Counts(lab_, p.id);
  EXPECT_EQ(counts->complete_items, 3);
  EXPECT_EQ(counts->submissions, 6);
}

TEST_P(WorkTest, ProjectListCountsOpenItemsAtMostTenSecondsOld) {
  auto p = MakeProject(1, 3);
  Caller a = Expert("a");
  auto open_items = [&]() -> std::int64_t {
    auto list = work_->Projects(a);
    EXPECT_TRUE(list) << list.error().message;
    for (const WorkProject& w : *list) {
      if (w.id == p.id) return w.open_items;
    }
    ADD_FAILURE() << "project not listed";
    return -1;
  };
  EXPECT_EQ(open_items(), 3);
  auto next = work_->Next(a, p.id);
  ASSERT_TRUE(next && *next);
  EXPECT_EQ(open_items(), 3);  // the count from a moment ago
  clock_.Advance(10);
  EXPECT_EQ(open_items(), 2);
}

TEST_P(WorkTest, HigherPriorityFirstThenImportOrder) {
  projects::NewProject np;
  np.name = "p";
  np.preset = "classification";
  auto p = projects_->Create(lab_, np);
  std::string body =
      "{\"data\":{\"text\":\"low\"}}\n{\"data\":{\"text\":\"high\"},\"priority\":9}\n{\"data\":{"
      "\"text\":\"low2\"}}\n";
  auto pos = std::make_shared<std::size_t>(0);
  ASSERT_TRUE(projects_->Import(lab_, p->id, [&](char* buf, std::size_t n) -> Result<std::size_t> {
    std::size_t k = std::min(n, body.size() - *pos);
    std::memcpy(buf, body.data() + *pos, k);
    *pos += k;
    return k;
  }));
  Caller e = Expert("e", {});
  std::vector<std::string> order;
  for (int i = 0; i < 3; ++i) {
    auto next = work_->Next(e, p->id);
    ASSERT_TRUE(next && *next);
    order.push_back(std::string((*next)->data.as_object().at("text").as_string()));
  }
  EXPECT_EQ(order, (std::vector<std::string>{"high", "low", "low2"}));
}

TEST_P(WorkTest, UnqualifiedExpertGetsNoWorkAndIsRefusedByName) {
  auto p = MakeProject(1, 2, 0, 0, "law");
  Caller physicist = Expert("phys", {{"physics", 5}});
  auto next = work_->Next(physicist, std::nullopt);
  ASSERT_TRUE(next);
  EXPECT_FALSE(next->has_value());
  auto named = work_->Next(physicist, p.id);
  ASSERT_FALSE(named);
  EXPECT_EQ(named.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(named.error().reason, "not_qualified");
  Caller junior = Expert("junior", {{"law", 1}});
  projects::ProjectPatch patch;
  EXPECT_TRUE(work_->Next(junior, p.id).value().has_value());
}

TEST_P(WorkTest, GoldIsMixedInAtTheProjectRate) {
  MakeProject(1, 5, 1.0, 2);
  Caller e = Expert("e");
  int gold_seen = 0;
  for (int i = 0; i < 2; ++i) {
    auto next = work_->Next(e, std::nullopt);
    ASSERT_TRUE(next && *next);
    if (std::string((*next)->data.as_object().at("text").as_string()).rfind("gold", 0) == 0)
      ++gold_seen;
  }
  EXPECT_EQ(gold_seen, 2);
  // Gold is exhausted for this expert; regular items follow.
  auto next = work_->Next(e, std::nullopt);
  ASSERT_TRUE(next && *next);
  EXPECT_EQ(std::string((*next)->data.as_object().at("text").as_string()).rfind("item", 0), 0u);
}

TEST_P(WorkTest, GoldSubmissionRecordsCorrectness) {
  MakeProject(1, 0, 1.0, 1);
  Caller e = Expert("e");
  auto next = work_->Next(e, std::nullopt);
  ASSERT_TRUE(next && *next);
  ASSERT_TRUE(work_->Submit(e, (*next)->id, Answer("incorrect"), "k1"));
  auto correct = tdb_->db().Read<int>([](soci::session& s) -> Result<int> {
    int c = -1;
    s << "SELECT gold_correct FROM submissions", soci::into(c);
    return c;
  });
  EXPECT_EQ(*correct, 0);
}

TEST_P(WorkTest, ExpiredLeaseReturnsTheItemAndRefusesTheLateSubmit) {
  MakeProject(1, 1);
  Caller a = Expert("a"), b = Expert("b");
  auto first = work_->Next(a, std::nullopt);
  ASSERT_TRUE(first && *first);
  EXPECT_FALSE(work_->Next(b, std::nullopt).value().has_value());
  clock_.Advance(601);
  auto second = work_->Next(b, std::nullopt);
  ASSERT_TRUE(second && *second);
  EXPECT_EQ((*second)->item_id, (*first)->item_id);
  auto late = work_->Submit(a, (*first)->id, Answer(), "late");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::kConflict);
  EXPECT_EQ(late.error().reason, "lease_expired");
  // And A never gets that item again.
  EXPECT_FALSE(work_->Next(a, std::nullopt).value().has_value());
}

TEST_P(WorkTest, LateHeartbeatExpiresTheLeaseEvenBeforeAnyoneAsks) {
  MakeProject(1, 1);
  Caller a = Expert("a"), b = Expert("b");
  auto first = work_->Next(a, std::nullopt);
  clock_.Advance(601);
  auto hb = work_->Heartbeat(a, (*first)->id, std::nullopt);
  ASSERT_FALSE(hb);
  EXPECT_EQ(hb.error().reason, "lease_expired");
  EXPECT_TRUE(work_->Next(b, std::nullopt).value().has_value());
}

TEST_P(WorkTest, HeartbeatExtendsTheLeaseAndCapsActiveTime) {
  MakeProject(1, 1);
  Caller a = Expert("a");
  auto first = work_->Next(a, std::nullopt);
  clock_.Advance(500);
  auto hb = work_->Heartbeat(a, (*first)->id, 30);
  ASSERT_TRUE(hb);
  EXPECT_EQ(hb->active_seconds, 30);
  EXPECT_EQ(hb->lease_expires_at, clock_.Now() + 600);
  clock_.Advance(10);
  hb = work_->Heartbeat(a, (*first)->id, 999);  // more than elapsed: capped at 10
  EXPECT_EQ(hb->active_seconds, 40);
  clock_.Advance(500);                                   // within the extended lease
  hb = work_->Heartbeat(a, (*first)->id, std::nullopt);  // elapsed 500, capped at 120
  ASSERT_TRUE(hb);
  EXPECT_EQ(hb->active_seconds, 160);
  clock_.Advance(5);
  auto sub = work_->Submit(a, (*first)->id, Answer(), "k");
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->active_seconds, 165);
}

TEST_P(WorkTest, ActiveTimeFromTwoTabsIsCountedOnce) {
  MakeProject(1, 2);
  Caller a = Expert("a");
  std::vector<ActiveTimeCounted> counted;
  work_->active_time_counted().SubscribeInTransaction(
      "test", [&](soci::session&, const ActiveTimeCounted& e) -> Status {
        counted.push_back(e);
        return {};
      });
  auto x = work_->Next(a, std::nullopt).value().value();
  auto y = work_->Next(a, std::nullopt).value().value();
  clock_.Advance(30);
  EXPECT_EQ(work_->Heartbeat(a, x.id, 30)->active_seconds, 30);
  // The second tab reports the same 30 seconds: they were counted already.
  EXPECT_EQ(work_->Heartbeat(a, y.id, 30)->active_seconds, 0);
  clock_.Advance(15);
  EXPECT_EQ(work_->Heartbeat(a, y.id, 15)->active_seconds, 15);
  clock_.Advance(15);
  // The first tab reports 30 seconds since its last heartbeat; only the last 15 are new.
  EXPECT_EQ(work_->Heartbeat(a, x.id, 30)->active_seconds, 45);
  clock_.Advance(5);
  auto sub = work_->Submit(a, y.id, Answer(), "k");
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->active_seconds, 20) << "15 by heartbeat, 5 since the last credit";
  long long total = 0;
  for (const auto& e : counted) {
    EXPECT_GT(e.seconds, 0);
    EXPECT_EQ(e.expert_id, a.user_id);
    total += e.seconds;
  }
  EXPECT_EQ(total, 65) << "never more than the 65 seconds of wall time";
  EXPECT_EQ(counted.size(), 4u);
}

TEST_P(WorkTest, ActiveTimeOfDifferentExpertsIsCountedApart) {
  MakeProject(2, 1);
  Caller a = Expert("a"), b = Expert("b");
  auto x = work_->Next(a, std::nullopt).value().value();
  auto y = work_->Next(b, std::nullopt).value().value();
  clock_.Advance(40);
  EXPECT_EQ(work_->Heartbeat(a, x.id, 40)->active_seconds, 40);
  EXPECT_EQ(work_->Heartbeat(b, y.id, 40)->active_seconds, 40);
}

TEST_P(WorkTest, LeaseEventsArePublishedInTheirTransactions) {
  MakeProject(1, 3);
  Caller a = Expert("a");
  std::vector<LeaseStarted> started;
  std::vector<LeaseEnded> ended;
  work_->lease_started().SubscribeInTransaction(
      "test", [&](soci::session&, const LeaseStarted& e) -> Status {
        started.push_back(e);
        return {};
      });
  work_->lease_ended().SubscribeInTransaction("test",
                                              [&](soci::session&, const LeaseEnded& e) -> Status {
                                                ended.push_back(e);
                                                return {};
                                              });
  auto x = work_->Next(a, std::nullopt).value().value();
  auto y = work_->Next(a, std::nullopt).value().value();
  auto z = work_->Next(a, std::nullopt).value().value();
  ASSERT_EQ(started.size(), 3u);
  EXPECT_EQ(started[0].assignment_id, x.id);
  EXPECT_EQ(started[0].item_id, x.item_id);
  EXPECT_EQ(started[0].expert_id, a.user_id);
  EXPECT_EQ(started[0].org_id, lab_.org_id);
  EXPECT_TRUE(work_->Skip(a, x.id, "unclear"));
  EXPECT_TRUE(work_->Submit(a, y.id, Answer(), "k"));
  clock_.Advance(601);
  Caller b = Expert("b");
  EXPECT_TRUE(work_->Next(b, std::nullopt));  // reclaims z
  ASSERT_EQ(ended.size(), 2u) << "a submission ends its lease with its own event";
  EXPECT_EQ(ended[0].assignment_id, x.id);
  EXPECT_EQ(ended[0].state, AssignmentState::kSkipped);
  EXPECT_EQ(ended[1].assignment_id, z.id);
  EXPECT_EQ(ended[1].state, AssignmentState::kExpired);
  EXPECT_EQ(ended[1].project_id, z.project_id);
}

TEST_P(WorkTest, ARefusedLeaseIsNotMadeAndNextMovesOn) {
  auto full = MakeProject(1, 2);
  auto open = MakeProject(1, 2);
  Caller a = Expert("a");
  work_->lease_started().SubscribeInTransaction(
      "budget", [&](soci::session&, const LeaseStarted& e) -> Status {
        if (e.project_id != full.id) return {};
        return Fail(Error(ErrorCode::kConflict, "the project's budget is spent", {},
                          "budget_exhausted"));
      });
  auto named = work_->Next(a, full.id);
  ASSERT_FALSE(named);
  EXPECT_EQ(named.error().reason, "budget_exhausted");
  auto any = work_->Next(a, std::nullopt);
  ASSERT_TRUE(any && *any);
  EXPECT_EQ((*any)->project_id, open.id);
  auto active = work_->ActiveAssignments(a);
  ASSERT_TRUE(active);
  EXPECT_EQ(active->size(), 1u) << "the refused lease left nothing behind";
}

TEST_P(WorkTest, RetriedSubmitReturnsTheFirstResultAndWritesOnce) {
  MakeProject(1, 1);
  Caller a = Expert("a");
  auto first = work_->Next(a, std::nullopt);
  auto s1 = work_->Submit(a, (*first)->id, Answer(), "same-key");
  ASSERT_TRUE(s1);
  EXPECT_FALSE(s1->replayed);
  auto s2 = work_->Submit(a, (*first)->id, Answer(), "same-key");
  ASSERT_TRUE(s2);
  EXPECT_TRUE(s2->replayed);
  EXPECT_EQ(s2->id, s1->id);
  EXPECT_EQ(s2->answer, Answer());
  // The same key with another answer is not a retry: refused, and the first answer stands.
  auto changed = work_->Submit(a, (*first)->id, Answer("incorrect"), "same-key");
  ASSERT_FALSE(changed);
  EXPECT_EQ(changed.error().code, ErrorCode::kConflict);
  EXPECT_EQ(changed.error().reason, "idempotency_key_conflict");
  auto other_key = work_->Submit(a, (*first)->id, Answer(), "other-key");
  ASSERT_FALSE(other_key);
  EXPECT_EQ(other_key.error().reason, "already_submitted");
  auto n = tdb_->db().Read<long long>([](soci::session& s) -> Result<long long> {
    long long c = 0;
    s << "SELECT COUNT(*) FROM submissions", soci::into(c);
    return c;
  });
  EXPECT_EQ(*n, 1);
}

TEST_P(WorkTest, SubscribersSeeEachStoredSubmissionOnceAndNeverAReplay) {
  MakeProject(1, 1, 1.0, 1);  // gold only, so the event carries the gold check
  Caller a = Expert("a");
  std::vector<SubmissionStored> in_tx, after;
  work_->submission_stored().SubscribeInTransaction(
      "test", [&](soci::session& s, const SubmissionStored& e) -> Status {
        long long n = 0;
        s << "SELECT COUNT(*) FROM submissions", soci::into(n);
        EXPECT_EQ(n, 1) << "runs after the insert, inside its transaction";
        in_tx.push_back(e);
        return {};
      });
  work_->submission_stored().SubscribeAfterCommit(
      "test", [&](const SubmissionStored& e) { after.push_back(e); });
  auto task = work_->Next(a, std::nullopt);
  ASSERT_TRUE(task && *task);
  auto sub = work_->Submit(a, (*task)->id, Answer(), "k");
  ASSERT_TRUE(sub) << sub.error().message;
  ASSERT_TRUE(work_->Submit(a, (*task)->id, Answer(), "k"));  // a retry publishes nothing
  ASSERT_EQ(in_tx.size(), 1u);
  ASSERT_EQ(after.size(), 1u);
  const SubmissionStored& e = after[0];
  EXPECT_EQ(e.submission.id, sub->id);
  EXPECT_EQ(e.submission.answer, Answer());
  EXPECT_EQ(e.expert_id, a.user_id);
  EXPECT_EQ(e.org_id, lab_.org_id);
  EXPECT_TRUE(e.is_gold);
  EXPECT_EQ(e.gold_correct, std::optional<bool>(true));
  EXPECT_EQ(in_tx[0].submission.id, sub->id);
}

TEST_P(WorkTest, AFailingInTransactionSubscriberStoresNothingAndTheLeaseStands) {
  MakeProject(1, 1);
  Caller a = Expert("a");
  bool fail = true;
  int after = 0;
  work_->submission_stored().SubscribeInTransaction(
      "ledger", [&](soci::session& s, const SubmissionStored& e) -> Status {
        long long id = e.submission.id;
        s << "UPDATE submissions SET active_seconds = 7 WHERE id = :i", soci::use(id);
        if (fail) return Fail(ErrorCode::kUnavailable, "ledger unavailable");
        return {};
      });
  work_->submission_stored().SubscribeAfterCommit("count",
                                                  [&](const SubmissionStored&) { ++after; });
  auto task = work_->Next(a, std::nullopt);
  ASSERT_TRUE(task && *task);
  auto refused = work_->Submit(a, (*task)->id, Answer(), "k");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(SubmissionCount(), 0);
  EXPECT_EQ(StateOf((*task)->id), "active");
  EXPECT_EQ(after, 0);
  fail = false;
  auto stored = work_->Submit(a, (*task)->id, Answer(), "k");
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(SubmissionCount(), 1);
  EXPECT_EQ(after, 1);
  auto seconds = tdb_->db().Read<long long>([](soci::session& s) -> Result<long long> {
    long long v = 0;
    s << "SELECT active_seconds FROM submissions", soci::into(v);
    return v;
  });
  EXPECT_EQ(*seconds, 7) << "the subscriber's write committed with the submission";
}

TEST_P(WorkTest, AThrowingAfterCommitSubscriberDoesNotUndoTheSubmission) {
  MakeProject(1, 1);
  Caller a = Expert("a");
  work_->submission_stored().SubscribeAfterCommit(
      "webhook", [](const SubmissionStored&) { throw std::runtime_error("unreachable"); });
  auto task = work_->Next(a, std::nullopt);
  ASSERT_TRUE(task && *task);
  EXPECT_TRUE(work_->Submit(a, (*task)->id, Answer(), "k"));
  EXPECT_EQ(SubmissionCount(), 1);
}

TEST_P(WorkTest, KeyReusedWithADifferentAnswerIsAConflictAndTheFirstStays) {
  MakeProject(1, 2);
  Caller a = Expert("a");
  auto first = work_->Next(a, std::nullopt);
  auto s1 = work_->Submit(a, (*first)->id, Answer(), "same-key");
  ASSERT_TRUE(s1);
  auto other = work_->Submit(a, (*first)->id, Answer("incorrect"), "same-key");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kConflict);
  EXPECT_EQ(other.error().reason, "idempotency_key_conflict");
  // JSON-equal is the same answer: member order and 1 vs 1.0 do not matter.
  json::object ordered{{"label", "correct"}, {"confidence", 1}};
  json::object reordered{{"confidence", 1.0}, {"label", "correct"}};
  auto second = work_->Next(a, std::nullopt);
  ASSERT_TRUE(second && *second);
  auto s3 = work_->Submit(a, (*second)->id, ordered, "k2");
  ASSERT_TRUE(s3) << s3.error().message;
  auto s4 = work_->Submit(a, (*second)->id, reordered, "k2");
  ASSERT_TRUE(s4) << s4.error().message;
  EXPECT_TRUE(s4->replayed);
  EXPECT_EQ(s4->id, s3->id);
  auto n = tdb_->db().Read<long long>([](soci::session& s) -> Result<long long> {
    long long c = 0;
    s << "SELECT COUNT(*) FROM submissions", soci::into(c);
    return c;
  });
  EXPECT_EQ(*n, 2);
  auto stored = work_->Submit(a, (*first)->id, Answer(), "same-key");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->answer, Answer());
}

TEST_P(WorkTest, AssignmentsCarryTheGuidelinesOfTheVersionTheyWereLeasedWith) {
  auto p = MakeProject(1, 2);
  projects::ProjectPatch first;
  first.guidelines = "Version 2: judge $E = mc^2$ claims strictly.";
  ASSERT_TRUE(projects_->Update(lab_, p.id, first));
  Caller a = Expert("a");
  auto leased = work_->Next(a, std::nullopt);
  ASSERT_TRUE(leased && *leased);
  EXPECT_EQ((*leased)->template_version, 2);
  ASSERT_TRUE((*leased)->guidelines);
  EXPECT_EQ(*(*leased)->guidelines, *first.guidelines);

  projects::ProjectPatch second;
  second.guidelines = "Version 3.";
  ASSERT_TRUE(projects_->Update(lab_, p.id, second));
  auto active = work_->ActiveAssignments(a);
  ASSERT_TRUE(active);
  ASSERT_EQ(active->size(), 1u);
  EXPECT_EQ(*(*active)[0].guidelines, *first.guidelines);  // leased under version 2
  auto listed = work_->Projects(a);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].template_version, 3);
  EXPECT_EQ((*listed)[0].guidelines, "Version 3.");
  auto next = work_->Next(a, std::nullopt);
  ASSERT_TRUE(next && *next);
  EXPECT_EQ(*(*next)->guidelines, "Version 3.");
}

TEST_P(WorkTest, KeyReusedForAnotherAssignmentIsAConflict) {
  MakeProject(1, 2);
  Caller a = Expert("a");
  auto x = work_->Next(a, std::nullopt);
  ASSERT_TRUE(work_->Submit(a, (*x)->id, Answer(), "k"));
  auto y = work_->Next(a, std::nullopt);
  auto r = work_->Submit(a, (*y)->id, Answer(), "k");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, "idempotency_key_reused");
}

TEST_P(WorkTest, BadAnswerIs422AndStoresNothing) {
  MakeProject(1, 1);
  Caller a = Expert("a");
  auto x = work_->Next(a, std::nullopt);
  auto r = work_->Submit(a, (*x)->id, json::object{{"label", "maybe"}, {"confidence", 9}}, "k");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnprocessable);
  ASSERT_EQ(r.error().details.size(), 2u);
  EXPECT_TRUE(work_->Submit(a, (*x)->id, Answer(), "k"));
  EXPECT_EQ(work_->Submit(a, (*x)->id, Answer(), "").error().code, ErrorCode::kInvalidArgument);
}

TEST_P(WorkTest, AnotherExpertsAssignmentIsNotFound) {
  MakeProject(1, 1);
  Caller a = Expert("a"), b = Expert("b");
  auto x = work_->Next(a, std::nullopt);
  EXPECT_EQ(work_->Submit(b, (*x)->id, Answer(), "k").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(work_->Heartbeat(b, (*x)->id, std::nullopt).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(work_->Skip(b, (*x)->id, "").error().code, ErrorCode::kNotFound);
}

TEST_P(WorkTest, SkipReturnsTheItemToOthersButNotToTheSkipper) {
  MakeProject(1, 1);
  Caller a = Expert("a"), b = Expert("b");
  auto x = work_->Next(a, std::nullopt);
  ASSERT_TRUE(work_->Skip(a, (*x)->id, "outside my field"));
  EXPECT_FALSE(work_->Next(a, std::nullopt).value().has_value());
  EXPECT_TRUE(work_->Next(b, std::nullopt).value().has_value());
  EXPECT_EQ(work_->Submit(a, (*x)->id, Answer(), "k").error().reason, "skipped");
}

TEST_P(WorkTest, PausedProjectGivesNoWork) {
  auto p = MakeProject(1, 1);
  projects::ProjectPatch patch;
  patch.status = projects::ProjectStatus::kPaused;
  ASSERT_TRUE(projects_->Update(lab_, p.id, patch));
  Caller a = Expert("a");
  EXPECT_FALSE(work_->Next(a, std::nullopt).value().has_value());
  EXPECT_EQ(work_->Next(a, p.id).error().reason, "project_inactive");
}

TEST_P(WorkTest, RevokedQualificationEndsOnlyTheLeasesItCovered) {
  auto phys = MakeProject(1, 1, 0, 0, "physics");
  auto law = MakeProject(1, 1, 0, 0, "law");
  Caller a = Expert("a", {{"physics", 3}, {"law", 3}}), b = Expert("b", {{"physics", 3}});
  Assignment on_phys = Take(a, phys.id), on_law = Take(a, law.id);
  ASSERT_EQ(Taken(phys.id, on_phys.item_id), 1);

  auto ended = Revoke(a, {{"law", 3}});
  ASSERT_TRUE(ended) << ended.error().message;
  EXPECT_EQ(*ended, 1);
  EXPECT_EQ(StateOf(on_phys.id), "revoked");
  EXPECT_EQ(Taken(phys.id, on_phys.item_id), 0);
  EXPECT_EQ(work_->counters().leases_revoked.load(), 1);
  ExpectRefused(a, on_phys.id, "lease_revoked");
  auto again = Revoke(a, {{"law", 3}});
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0) << "a retry ends nothing more";

  // The item goes to another expert; the lease still covered runs on.
  EXPECT_EQ(Take(b, phys.id).item_id, on_phys.item_id);
  EXPECT_TRUE(work_->Heartbeat(a, on_law.id, 5));
  EXPECT_TRUE(work_->Submit(a, on_law.id, Answer(), "law"));
}

TEST_P(WorkTest, LoweredLevelEndsTheLeasesAboveIt) {
  auto senior = MakeProject(1, 1, 0, 0, "physics", 4);
  auto junior = MakeProject(1, 1, 0, 0, "physics", 2);
  Caller a = Expert("a", {{"physics", 4}});
  Assignment hi = Take(a, senior.id), lo = Take(a, junior.id);
  auto ended = Revoke(a, {{"physics", 2}});
  ASSERT_TRUE(ended) << ended.error().message;
  EXPECT_EQ(*ended, 1);
  auto hb = work_->Heartbeat(a, hi.id, std::nullopt);
  ASSERT_FALSE(hb);
  EXPECT_EQ(hb.error().reason, "lease_revoked");
  EXPECT_NE(hb.error().message.find("qualification"), std::string::npos) << hb.error().message;
  EXPECT_TRUE(work_->Submit(a, lo.id, Answer(), "lo"));
  // Not offered the senior project's work any more, by name or not.
  EXPECT_EQ(work_->Next(a, senior.id).error().reason, "not_qualified");
}

TEST_P(WorkTest, LeaseThatMissedTheRevocationEndsAtItsNextCall) {
  // As when `Next` leased under qualifications read just before a revocation committed.
  auto p = MakeProject(1, 2);
  Caller a = Expert("a"), b = Expert("b");
  Assignment x = Take(a, p.id), y = Take(a, p.id);
  SetQualifications(a.user_id, {});  // revoked, with no lease ended
  auto hb = work_->Heartbeat(a, x.id, 5);
  ASSERT_FALSE(hb);
  EXPECT_EQ(hb.error().reason, "lease_revoked");
  EXPECT_EQ(StateOf(x.id), "revoked");
  EXPECT_EQ(Taken(p.id, x.item_id), 0);
  auto sub = work_->Submit(a, y.id, Answer(), "y");
  ASSERT_FALSE(sub);
  EXPECT_EQ(sub.error().reason, "lease_revoked");
  EXPECT_EQ(StateOf(y.id), "revoked");
  EXPECT_EQ(SubmissionCount(), 0);
  EXPECT_EQ(work_->counters().leases_revoked.load(), 2);
  ExpectRefused(a, y.id, "lease_revoked");
  // Both items are back for others.
  std::set<std::int64_t> got = {Take(b, p.id).item_id, Take(b, p.id).item_id};
  EXPECT_EQ(got, (std::set<std::int64_t>{x.item_id, y.item_id}));
}

TEST_P(WorkTest, RevokedLeaseOfAnExpiredTimeIsRecordedAsExpired) {
  auto p = MakeProject(1, 1);
  Caller a = Expert("a");
  Assignment x = Take(a, p.id);
  clock_.Advance(601);
  ASSERT_EQ(*Revoke(a, {}), 1);
  EXPECT_EQ(StateOf(x.id), "expired");
  EXPECT_EQ(Taken(p.id, x.item_id), 0);
  ExpectRefused(a, x.id, "lease_expired");
}

TEST_P(WorkTest, EndLeasesOfEndsEveryLeaseOfTheUserAndNoOneElses) {
  auto p = MakeProject(2, 2);
  auto q = MakeProject(1, 1, 0, 0, "");
  Caller a = Expert("a"), b = Expert("b"), c = Expert("c");
  Assignment a1 = Take(a, p.id), a2 = Take(a, p.id), a3 = Take(a, q.id), b1 = Take(b, p.id);
  ASSERT_TRUE(work_->Submit(a, a2.id, Answer(), "done"));  // finished work stays finished
  auto ended = work_->EndLeasesOf(a.user_id);
  ASSERT_TRUE(ended) << ended.error().message;
  EXPECT_EQ(*ended, 2);
  EXPECT_EQ(StateOf(a1.id), "revoked");
  EXPECT_EQ(StateOf(a2.id), "submitted");
  EXPECT_EQ(StateOf(a3.id), "revoked");
  EXPECT_EQ(Taken(q.id, a3.item_id), 0);
  EXPECT_EQ(*work_->EndLeasesOf(a.user_id), 0);
  EXPECT_TRUE(work_->ActiveAssignments(a)->empty());
  EXPECT_TRUE(work_->Heartbeat(b, b1.id, 5)) << "another expert's lease runs on";
  EXPECT_EQ(Take(c, q.id).item_id, a3.item_id);
}

TEST_P(WorkTest, PausedProjectLetsRunningLeasesFinishAndHandsOutNoNewOnes) {
  auto p = MakeProject(1, 3);
  Caller a = Expert("a");
  Assignment x = Take(a, p.id), y = Take(a, p.id);
  projects::ProjectPatch pause;
  pause.status = projects::ProjectStatus::kPaused;
  ASSERT_TRUE(projects_->Update(lab_, p.id, pause));
  EXPECT_TRUE(work_->Heartbeat(a, x.id, 5));
  EXPECT_TRUE(work_->Submit(a, x.id, Answer(), "x"));
  EXPECT_TRUE(work_->Skip(a, y.id, "later"));
  EXPECT_EQ(work_->Next(a, p.id).error().reason, "project_inactive");
  EXPECT_FALSE(work_->Next(a, std::nullopt).value().has_value());
  EXPECT_TRUE(work_->Projects(a)->empty());
  EXPECT_EQ(work_->counters().leases_revoked.load(), 0);
}

TEST_P(WorkTest, ArchivingAProjectEndsItsLeasesInTheSameTransaction) {
  projects_->SetArchiveListener([this](soci::session& s, std::int64_t project_id) -> Status {
    FW_TRY_STATUS(work_->EndProjectLeases(s, project_id));
    return {};
  });
  auto p = MakeProject(1, 1);
  auto other = MakeProject(1, 1);
  Caller a = Expert("a"), b = Expert("b");
  Assignment x = Take(a, p.id), kept = Take(a, other.id);
  projects::ProjectPatch archive;
  archive.status = projects::ProjectStatus::kArchived;
  ASSERT_TRUE(projects_->Update(lab_, p.id, archive));
  EXPECT_EQ(StateOf(x.id), "revoked");
  EXPECT_EQ(Taken(p.id, x.item_id), 0);
  auto hb = work_->Heartbeat(a, x.id, 5);
  ASSERT_FALSE(hb);
  EXPECT_NE(hb.error().message.find("archived"), std::string::npos) << hb.error().message;
  ExpectRefused(a, x.id, "lease_revoked");
  EXPECT_EQ(work_->Next(b, p.id).error().reason, "project_inactive");
  EXPECT_TRUE(work_->Submit(a, kept.id, Answer(), "kept"));
  // Made active again, the item is routed afresh, never back to the expert who had it.
  projects::ProjectPatch reopen;
  reopen.status = projects::ProjectStatus::kActive;
  ASSERT_TRUE(projects_->Update(lab_, p.id, reopen));
  EXPECT_FALSE(work_->Next(a, p.id).value().has_value());
  EXPECT_EQ(Take(b, p.id).item_id, x.item_id);
}

TEST_P(WorkTest, LeaseOnAnArchivedProjectEndsAtItsNextCallWithoutTheListener) {
  auto p = MakeProject(1, 1);
  Caller a = Expert("a");
  Assignment x = Take(a, p.id);
  projects::ProjectPatch archive;
  archive.status = projects::ProjectStatus::kArchived;
  ASSERT_TRUE(projects_->Update(lab_, p.id, archive));  // no listener set
  EXPECT_EQ(StateOf(x.id), "active");
  auto sub = work_->Submit(a, x.id, Answer(), "x");
  ASSERT_FALSE(sub);
  EXPECT_EQ(sub.error().reason, "lease_revoked");
  EXPECT_EQ(StateOf(x.id), "revoked");
  EXPECT_EQ(SubmissionCount(), 0);
}

TEST_P(WorkTest, AFailingArchiveListenerLeavesProjectAndLeasesAsTheyWere) {
  projects_->SetArchiveListener([this](soci::session& s, std::int64_t project_id) -> Status {
    FW_TRY_STATUS(work_->EndProjectLeases(s, project_id));
    return Fail(ErrorCode::kUnavailable, "try again");
  });
  auto p = MakeProject(1, 1);
  Caller a = Expert("a");
  Assignment x = Take(a, p.id);
  projects::ProjectPatch archive;
  archive.status = projects::ProjectStatus::kArchived;
  auto r = projects_->Update(lab_, p.id, archive);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(projects_->Get(lab_, p.id)->status, projects::ProjectStatus::kActive);
  EXPECT_EQ(StateOf(x.id), "active");
  EXPECT_EQ(Taken(p.id, x.item_id), 1);
  EXPECT_TRUE(work_->Submit(a, x.id, Answer(), "x"));
}

TEST_P(WorkTest, ConcurrentExpertsNeverExceedK) {
  constexpr int kItems = 40, kK = 3, kExperts = 16;
  MakeProject(kK, kItems);
  std::vector<Caller> experts;
  for (int i = 0; i < kExperts; ++i) experts.push_back(Expert("e" + std::to_string(i)));
  std::mutex mu;
  std::map<std::int64_t, std::multiset<std::int64_t>> holders;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kExperts * 2; ++t) {
    threads.emplace_back([&, t] {
      const Caller& e = experts[static_cast<std::size_t>(t % kExperts)];
      for (int round = 0; round < 100; ++round) {
        auto next = work_->Next(e, std::nullopt);
        if (!next) {
          errors++;
          ADD_FAILURE() << next.error().message;
          continue;
        }
        if (!*next) return;
        {
          std::lock_guard lock(mu);
          holders[(*next)->item_id].insert(e.user_id);
        }
        auto s = work_->Submit(e, (*next)->id, Answer(), "t" + std::to_string((*next)->id));
        if (!s) {
          errors++;
          ADD_FAILURE() << s.error().message << " " << s.error().reason;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  ASSERT_EQ(holders.size(), static_cast<std::size_t>(kItems));
  for (auto& [item, hs] : holders) {
    EXPECT_EQ(hs.size(), static_cast<std::size_t>(kK));
    EXPECT_EQ(std::set<std::int64_t>(hs.begin(), hs.end()).size(), hs.size());
  }
}

// Drafts of an answer.

TEST_P(WorkTest, DraftIsSavedReplacedAndServedWithTheActiveAssignment) {
  auto p = MakeProject(1, 1);
  Caller a = Expert("a");
  Assignment x = Take(a, p.id);
  EXPECT_TRUE(x.draft.is_null());
  EXPECT_EQ(ServedDraft(a, x.id), std::make_pair(json::value(), std::int64_t{0}));

  const std::int64_t first_at = clock_.Now();
  // A partial answer that the template would refuse is a fine draft.
  auto saved = work_->SaveDraft(a, x.id, json::object{{"label", "corr"}});
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(*saved, first_at);
  EXPECT_EQ(ServedDraft(a, x.id),
            std::make_pair(json::value(json::object{{"label", "corr"}}), first_at));

  clock_.Advance(30);
  json::value second = json::object{{"label", "correct"}, {"notes", "half a sentence"}};
  ASSERT_TRUE(work_->SaveDraft(a, x.id, second));
  EXPECT_EQ(ServedDraft(a, x.id), std::make_pair(second, first_at + 30));
  EXPECT_EQ(DraftRows(), 1);

  // Saving neither extends the lease nor counts active time.
  auto active = work_->ActiveAssignments(a);
  ASSERT_TRUE(active && active->size() == 1u);
  EXPECT_EQ((*active)[0].lease_expires_at, x.lease_expires_at);
  EXPECT_EQ((*active)[0].active_seconds, 0);
  clock_.Advance(571);  // 601 s after the lease began: it ran out despite the saves
  EXPECT_FALSE(ServedDraft(a, x.id));
}

TEST_P(WorkTest, DraftIsGoneOnceTheAssignmentIsSubmittedOrSkipped) {
  auto p = MakeProject(1, 2);
  Caller a = Expert("a");
  Assignment x = TakeWithDraft(a, p.id), y = TakeWithDraft(a, p.id);
  EXPECT_EQ(DraftRows(), 2);
  ASSERT_TRUE(work_->Submit(a, x.id, Answer(), "k"));
  EXPECT_EQ(DraftRows(), 1);
  ASSERT_TRUE(work_->Skip(a, y.id, "outside my field"));
  EXPECT_EQ(DraftRows(), 0);
  for (AssignmentState state : {AssignmentState::kSubmitted, AssignmentState::kSkipped}) {
    auto page = work_->FinishedAssignments(a, state, 10, 0);
    ASSERT_TRUE(page && page->assignments.size() == 1u);
    EXPECT_TRUE(page->assignments[0].draft.is_null());
    EXPECT_EQ(page->assignments[0].draft_saved_at, 0);
  }
  // A draft for a finished assignment is refused with the reason a heartbeat gets.
  EXPECT_EQ(work_->SaveDraft(a, x.id, json::object{}).error().reason, "already_submitted");
  EXPECT_EQ(work_->SaveDraft(a, y.id, json::object{}).error().reason, "skipped");
  EXPECT_EQ(DraftRows(), 0);
}

TEST_P(WorkTest, DraftOnALapsedLeaseIs409EndsTheLeaseAndStoresNothing) {
  auto p = MakeProject(1, 2);
  Caller a = Expert("a");
  Assignment x = TakeWithDraft(a, p.id);
  clock_.Advance(601);
  auto late = work_->SaveDraft(a, x.id, json::object{{"label", "incorrect"}});
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::kConflict);
  EXPECT_EQ(late.error().reason, "lease_expired");
  EXPECT_EQ(StateOf(x.id), "expired");
  EXPECT_EQ(Taken(p.id, x.item_id), 0);
  EXPECT_EQ(DraftRows(), 0);  // the expiry took the earlier draft with it

  Assignment y = TakeWithDraft(a, p.id);
  ASSERT_TRUE(Revoke(a, {}));
  EXPECT_EQ(DraftRows(), 0);
  EXPECT_EQ(work_->SaveDraft(a, y.id, json::object{}).error().reason, "lease_revoked");
  EXPECT_EQ(DraftRows(), 0);
}

TEST_P(WorkTest, AnotherExpertsDraftIsNotFoundAndUntouched) {
  auto p = MakeProject(1, 1);
  Caller a = Expert("a"), b = Expert("b");
  Assignment x = Take(a, p.id);
  json::value mine = json::object{{"label", "correct"}};
  ASSERT_TRUE(work_->SaveDraft(a, x.id, mine));
  EXPECT_EQ(work_->SaveDraft(b, x.id, json::object{{"label", "incorrect"}}).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(work_->DiscardDraft(b, x.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(work_->SaveDraft(b, x.id + 1000, json::object{}).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(ServedDraft(a, x.id));
  EXPECT_EQ(ServedDraft(a, x.id)->first, mine);
}

TEST_P(WorkTest, DraftMustBeAnObjectOfAtMost256KiB) {
  auto p = MakeProject(1, 1);
  Caller a = Expert("a");
  Assignment x = Take(a, p.id);
  auto field_error = [&](const json::value& draft) -> std::string {
    auto r = work_->SaveDraft(a, x.id, draft);
    if (r) return "saved";
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().details.size(), 1u);
    if (r.error().details.size() != 1u) return "?";
    EXPECT_EQ(r.error().details[0].field, "answer");
    return r.error().details[0].code;
  };
  EXPECT_EQ(field_error("correct"), "type");
  EXPECT_EQ(field_error(json::array{1, 2}), "type");
  EXPECT_EQ(field_error(json::value()), "type");
  EXPECT_EQ(DraftRows(), 0);
  // {"text":"..."}: 11 bytes around the text.
  const std::string at_limit(kMaxDraftBytes - 11, 'x');
  EXPECT_EQ(field_error(json::object{{"text", at_limit + "x"}}), "too_long");
  EXPECT_EQ(DraftRows(), 0);
  EXPECT_EQ(field_error(json::object{{"text", at_limit}}), "saved");
  EXPECT_EQ(DraftRows(), 1);
}

TEST_P(WorkTest, DiscardedDraftIsNoLongerServedAndDiscardingAgainIsFine) {
  auto p = MakeProject(1, 2);
  Caller a = Expert("a");
  Assignment x = TakeWithDraft(a, p.id);
  ASSERT_TRUE(work_->DiscardDraft(a, x.id));
  EXPECT_EQ(ServedDraft(a, x.id), std::make_pair(json::value(), std::int64_t{0}));
  EXPECT_TRUE(work_->DiscardDraft(a, x.id));
  ASSERT_TRUE(work_->Submit(a, x.id, Answer(), "k"));
  EXPECT_TRUE(work_->DiscardDraft(a, x.id));  // a finished assignment has nothing left to discard
  EXPECT_EQ(DraftRows(), 0);
}

// Progress of a project, as the work loop moves it.

TEST_P(WorkTest, ProgressFollowsLeasesAndJudgments) {
  auto p = MakeProject(2, 2, 0, 1);
  Caller a = Expert("a"), b = Expert("b");
  Assignment a1 = Take(a, p.id), b1 = Take(b, p.id);
  ASSERT_EQ(a1.item_id, b1.item_id);  // the first item goes to both
  projects::Progress g = ProgressOf(p.id);
  EXPECT_EQ(g.items, 2);  // the gold item is not counted
  EXPECT_EQ(g.in_progress, 2);
  EXPECT_EQ(g.remaining_judgments, 4);

  ASSERT_TRUE(work_->Submit(a, a1.id, Answer(), "a1"));
  g = ProgressOf(p.id);
  EXPECT_EQ(std::make_tuple(g.in_progress, g.submissions, g.complete, g.remaining_judgments),
            std::make_tuple(1, 1, 0, 3));
  ASSERT_TRUE(work_->Submit(b, b1.id, Answer(), "b1"));
  g = ProgressOf(p.id);
  EXPECT_EQ(std::make_tuple(g.in_progress, g.submissions, g.complete, g.remaining_judgments),
            std::make_tuple(0, 2, 1, 2));
  EXPECT_EQ(g.remaining, 1);

  Assignment a2 = Take(a, p.id), b2 = Take(b, p.id);
  EXPECT_EQ(ProgressOf(p.id).in_progress, 2);
  ASSERT_TRUE(work_->Skip(b, b2.id, ""));
  EXPECT_EQ(ProgressOf(p.id).in_progress, 1);
  clock_.Advance(601);  // a's lease runs out before anyone reclaims it
  g = ProgressOf(p.id);
  EXPECT_EQ(g.in_progress, 0);
  EXPECT_EQ(g.remaining_judgments, 2);
  (void)a2;
}

TEST_P(WorkTest, TheProgressMigrationCountsWhatTheWorkLoopCounted) {
  auto p = MakeProject(2, 4, 0, 1);
  auto q = MakeProject(3, 2);
  Caller a = Expert("a"), b = Expert("b"), c = Expert("c");
  auto submit_one = [&](const Caller& e, std::int64_t project_id) {
    Assignment x = Take(e, project_id);
    ASSERT_TRUE(work_->Submit(e, x.id, Answer(), "k" + std::to_string(x.id)));
  };
  for (const Caller* e : {&a, &b, &c}) submit_one(*e, p.id);
  submit_one(a, q.id);
  ASSERT_TRUE(work_->Skip(b, Take(b, q.id).id, ""));
  ASSERT_TRUE(projects_->RecordProgress());
  clock_.Advance(7200);
  for (const Caller* e : {&a, &b}) submit_one(*e, p.id);
  submit_one(c, q.id);
  // q's second item, judged once and settled; its first has two judgments of three.
  auto settled = work_->Next(b, q.id);
  ASSERT_TRUE(settled && *settled);
  ASSERT_TRUE(work_->Submit(b, (*settled)->id, Answer(), "settled"));
  ASSERT_TRUE(tdb_->db().Write<bool>([&](soci::session& s) -> Result<bool> {
    projects::SettleItem(s, (*settled)->item_id);
    return true;
  }));
  ASSERT_TRUE(projects_->RecordProgress());
  clock_.Advance(1800);  // the last hour holds the second round only

  auto live = projects_->ListProgress(lab_);
  ASSERT_TRUE(live);
  ASSERT_TRUE(tdb_->db().Write<bool>([&](soci::session& s) -> Result<bool> {
    s << "DELETE FROM project_progress";
    s << "DELETE FROM progress_snapshots";
    for (const db::Migration& m : db::Migrations()) {
      if (m.name != "0010_progress") continue;
      for (const std::string& stmt : db::RenderMigration(m.sql, tdb_->db().dialect())) {
        if (stmt.find("CREATE TABLE") == std::string::npos) s << stmt;
      }
    }
    return true;
  }));
  auto migrated = projects_->ListProgress(lab_);
  ASSERT_TRUE(migrated);
  for (std::int64_t id : {p.id, q.id}) {
    const projects::Progress &l = live->at(id), &m = migrated->at(id);
    SCOPED_TRACE(id == p.id ? "p" : "q");
    EXPECT_EQ(std::make_tuple(m.items, m.complete, m.remaining_judgments, m.submissions),
              std::make_tuple(l.items, l.complete, l.remaining_judgments, l.submissions));
    EXPECT_EQ(m.submissions_last_hour, l.submissions_last_hour);
    EXPECT_EQ(m.submissions_last_day, l.submissions_last_day);
    EXPECT_EQ(m.throughput_per_hour, l.throughput_per_hour);
  }
  const projects::Progress& lq = live->at(q.id);
  EXPECT_EQ(std::make_tuple(lq.items, lq.complete, lq.remaining_judgments, lq.submissions),
            std::make_tuple(2, 1, 1, 3));
  EXPECT_EQ(lq.submissions_last_hour, 2);
  EXPECT_EQ(lq.submissions_last_day, 3);
}

INSTANTIATE_TEST_SUITE_P(Backends, WorkTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace fw::work
