// Active time: timesheet entries per UTC day, and disputes, on SQLite and PostgreSQL.

#include "pay/time.h"

#include <gtest/gtest.h>

#include "db/query.h"
#include "orgs/testing.h"

namespace fw::pay {
namespace {

using orgs::testing::IsError;

TEST(DayOf, IsTheFirstSecondOfTheUtcDay) {
  EXPECT_EQ(DayOf(0), 0);
  EXPECT_EQ(DayOf(86399), 0);
  EXPECT_EQ(DayOf(86400), 86400);
  EXPECT_EQ(DayOf(-1), -86400);
}

class TimeServiceTest : public orgs::testing::ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    if (NotReady()) return;
    time_ = std::make_unique<TimeService>(*db_, clock_);
    op_ = CallerOf(MakeUser("op@example.org", Role::kOperator));
    org_ = MakeLab("aurora").id;
    expert_ = CallerOf(MakeUser("ada@example.org", Role::kExpert));
    other_ = CallerOf(MakeUser("bob@example.org", Role::kExpert));
    project_ = Insert(
        "INSERT INTO projects (org_id, name, template, lease_seconds, created_at, updated_at) "
        "VALUES (" + std::to_string(org_) + ", 'Proofs', '{}', 3600, 1, 1) RETURNING id");
  }

  long long Insert(const std::string& sql) {
    auto id = db_->Write<long long>([&](soci::session& s) -> Result<long long> {
      long long id = 0;
      s << sql, soci::into(id);
      return id;
    });
    EXPECT_TRUE(id) << id.error().message;
    return id.value_or(0);
  }

  // An assignment of `expert` leased at `leased`, in `state`, finished at `finished` (0: not),
  // credited `active` seconds.
  long long Assignment(const Caller& expert, const std::string& state, long long leased,
                       long long finished, long long active) {
    long long item = Insert("INSERT INTO items (org_id, project_id, payload, created_at) VALUES (" +
                            std::to_string(org_) + ", " + std::to_string(project_) +
                            ", '{}', 1) RETURNING id");
    return Insert(
        "INSERT INTO assignments (org_id, project_id, item_id, expert_id, state, leased_at, "
        "lease_expires_at, last_heartbeat_at, active_seconds, finished_at) VALUES (" +
        std::to_string(org_) + ", " + std::to_string(project_) + ", " +
        std::to_string(item) + ", " + std::to_string(expert.user_id) + ", '" + state + "', " +
        std::to_string(leased) + ", " + std::to_string(leased + 3600) + ", " +
        std::to_string(leased) + ", " + std::to_string(active) + ", " +
        (finished ? std::to_string(finished) : std::string("NULL")) + ") RETURNING id");
  }

  void Count(const Caller& expert, long long assignment, long long seconds, long long at) {
    work::ActiveTimeCounted e;
    e.assignment_id = assignment;
    e.project_id = project_;
    e.org_id = org_;
    e.expert_id = expert.user_id;
    e.seconds = seconds;
    e.at = at;
    ASSERT_TRUE(db_->Write<bool>([&](soci::session& s) -> Result<bool> {
      FW_TRY_STATUS(time_->Record(s, e));
      return true;
    }));
  }

  std::unique_ptr<TimeService> time_;
  Caller op_, expert_, other_;
  long long org_ = 0;
  long long project_ = 0;
};

constexpr long long kDay = 1'765'000'000 / kSecondsPerDay * kSecondsPerDay;  // a midnight

TEST_P(TimeServiceTest, EntriesAddUpPerAssignmentAndDayAndSplitAtMidnight) {
  long long a = Assignment(expert_, "submitted", kDay - 600, kDay + 600, 0);
  long long b = Assignment(expert_, "active", kDay + 100, 0, 0);
  Count(expert_, a, 120, kDay - 300);
  Count(expert_, a, 100, kDay + 40);  // 60 s before midnight, 40 after
  Count(expert_, b, 30, kDay + 200);
  auto sheet = time_->TimesheetOf(expert_, kDay - kSecondsPerDay, kDay + 5);
  ASSERT_TRUE(sheet) << sheet.error().message;
  EXPECT_EQ(sheet->from, kDay - kSecondsPerDay);
  EXPECT_EQ(sheet->to, kDay);
  ASSERT_EQ(sheet->entries.size(), 3u);
  EXPECT_EQ(sheet->entries[0].day, kDay);
  EXPECT_EQ(sheet->entries[0].assignment_id, a);
  EXPECT_EQ(sheet->entries[0].seconds, 40);
  EXPECT_EQ(sheet->entries[0].project_name, "Proofs");
  EXPECT_EQ(sheet->entries[1].assignment_id, b);
  EXPECT_EQ(sheet->entries[1].seconds, 30);
  EXPECT_EQ(sheet->entries[1].state, "active");
  EXPECT_EQ(sheet->entries[2].day, kDay - kSecondsPerDay);
  EXPECT_EQ(sheet->entries[2].seconds, 180);
  EXPECT_EQ(sheet->entries[2].state, "submitted");

  auto others = time_->TimesheetOf(other_, kDay - kSecondsPerDay, kDay);
  ASSERT_TRUE(others);
  EXPECT_TRUE(others->entries.empty()) << "an expert sees only their own time";
}

TEST_P(TimeServiceTest, ATimesheetPeriodIsOrderedAndBounded) {
  EXPECT_TRUE(IsError(time_->TimesheetOf(expert_, kDay, kDay - 1), ErrorCode::kInvalidArgument,
                      "to"));
  EXPECT_TRUE(IsError(time_->TimesheetOf(expert_, kDay - kMaxTimesheetDays * kSecondsPerDay, kDay),
                      ErrorCode::kInvalidArgument, "from"));
  EXPECT_TRUE(time_->TimesheetOf(expert_, kDay - (kMaxTimesheetDays - 1) * kSecondsPerDay, kDay));
  clock_.Set(kDay + 500);
  auto sheet = time_->TimesheetOf(expert_, std::nullopt, std::nullopt);
  ASSERT_TRUE(sheet);
  EXPECT_EQ(sheet->to, kDay);
  EXPECT_EQ(sheet->from, kDay - 13 * kSecondsPerDay) << "the last 14 days by default";
}

TEST_P(TimeServiceTest, ADisputeClaimsMoreThanCreditedAndNoMoreThanTheAssignmentLasted) {
  clock_.Set(kDay + 5000);
  long long done = Assignment(expert_, "submitted", kDay, kDay + 1000, 300);
  long long running = Assignment(expert_, "active", kDay, 0, 100);
  EXPECT_TRUE(IsError(time_->Open(expert_, done, 300, "I worked longer"),
                      ErrorCode::kInvalidArgument, "seconds"));
  EXPECT_TRUE(IsError(time_->Open(expert_, done, 1001, "I worked longer"),
                      ErrorCode::kInvalidArgument, "seconds"));
  EXPECT_TRUE(IsError(time_->Open(expert_, done, 900, "  "), ErrorCode::kInvalidArgument,
                      "comment"));
  EXPECT_TRUE(IsError(time_->Open(expert_, done, 900, std::string(kMaxDisputeCommentBytes + 1, 'x')),
                      ErrorCode::kInvalidArgument, "comment"));
  auto active = time_->Open(expert_, running, 200, "the clock stopped");
  ASSERT_FALSE(active);
  EXPECT_EQ(active.error().reason, "assignment_active");
  EXPECT_TRUE(IsError(time_->Open(other_, done, 900, "mine"), ErrorCode::kNotFound,
                      "assignment_id"))
      << "another expert's assignment is not found";

  Count(expert_, done, 300, kDay + 900);
  auto d = time_->Open(expert_, done, 900, "the tab lost focus while I read the paper");
  ASSERT_TRUE(d) << d.error().message;
  auto sheet = time_->TimesheetOf(expert_, kDay, kDay);
  ASSERT_TRUE(sheet);
  ASSERT_EQ(sheet->entries.size(), 1u);
  EXPECT_EQ(sheet->entries[0].dispute_status, "open") << "the timesheet shows the dispute";
  EXPECT_EQ(d->credited_seconds, 300);
  EXPECT_EQ(d->claimed_seconds, 900);
  EXPECT_EQ(d->status, DisputeStatus::kOpen);
  EXPECT_EQ(d->project_name, "Proofs");
  auto again = time_->Open(expert_, done, 800, "again");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().reason, "dispute_open");

  auto mine = time_->Mine(expert_);
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].id, d->id);
  EXPECT_TRUE(time_->Mine(other_)->empty());
}

TEST_P(TimeServiceTest, AnOperatorResolvesOnceAndAnAcceptedDisputeIsPaidInTheSameTransaction) {
  clock_.Set(kDay + 5000);
  long long a = Assignment(expert_, "submitted", kDay, kDay + 1000, 300);
  long long b = Assignment(expert_, "expired", kDay, kDay + 3600, 60);
  auto first = time_->Open(expert_, a, 900, "reading the attached proof");
  auto second = time_->Open(expert_, b, 1200, "the lease ran out while I wrote");
  ASSERT_TRUE(first && second);

  std::vector<std::int64_t> paid;
  bool fail = true;
  time_->SetAwardPoster([&](soci::session& s, const DisputeAward& award)
                            -> Result<std::optional<std::int64_t>> {
    if (fail) return Fail(ErrorCode::kUnavailable, "the ledger is down");
    paid.push_back(award.extra_seconds);
    EXPECT_EQ(award.dispute->assignment_id, a);
    EXPECT_EQ(award.resolver, op_.user_id);
    long long n = 0;
    db::Query(s, "SELECT COUNT(*) FROM time_disputes WHERE status = 'open'").One(n);
    EXPECT_EQ(n, 2) << "the award is posted before the resolution is written";
    return std::optional<std::int64_t>(77);
  });

  EXPECT_TRUE(IsError(time_->Resolve(op_, first->id, true, 300, ""),
                      ErrorCode::kInvalidArgument, "seconds"));
  EXPECT_TRUE(IsError(time_->Resolve(op_, first->id, true, 901, ""),
                      ErrorCode::kInvalidArgument, "seconds"));
  EXPECT_TRUE(IsError(time_->Resolve(op_, second->id, false, std::nullopt, ""),
                      ErrorCode::kInvalidArgument, "comment"))
      << "a rejection says why";

  auto failed = time_->Resolve(op_, first->id, true, 600, "fair");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(time_->Mine(expert_)->back().status, DisputeStatus::kOpen)
      << "a failed award stores nothing of the resolution";

  fail = false;
  auto accepted = time_->Resolve(op_, first->id, true, 600, "fair");
  ASSERT_TRUE(accepted) << accepted.error().message;
  EXPECT_EQ(accepted->status, DisputeStatus::kAccepted);
  EXPECT_EQ(accepted->allowed_seconds, 600);
  EXPECT_EQ(accepted->transaction_id, 77);
  EXPECT_EQ(accepted->resolved_by, op_.user_id);
  EXPECT_EQ(paid, std::vector<std::int64_t>{300});
  auto twice = time_->Resolve(op_, first->id, true, 600, "fair");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().reason, "already_resolved");
  EXPECT_EQ(paid.size(), 1u) << "paid once";

  auto rejected = time_->Resolve(op_, second->id, false, std::nullopt, "the lease had expired");
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->status, DisputeStatus::kRejected);
  EXPECT_FALSE(rejected->allowed_seconds);
  EXPECT_EQ(paid.size(), 1u);

  auto open = time_->List(DisputeStatus::kOpen);
  ASSERT_TRUE(open);
  EXPECT_TRUE(open->empty());
  auto all = time_->List(std::nullopt);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].expert_email, "ada@example.org");
  EXPECT_EQ((*all)[0].org_name, "Lab aurora");

  auto sheet = time_->TimesheetOf(expert_, kDay, kDay);
  ASSERT_TRUE(sheet);
  // No entries were counted in this test; a new dispute after a resolved one is allowed.
  EXPECT_TRUE(time_->Open(expert_, b, 1300, "one more look"));
}

TEST_P(TimeServiceTest, TheLedgerPaysAnAcceptedDisputeAtTheProjectsRate) {
  PayService pay(*db_, clock_, tenancy_);
  ASSERT_TRUE(pay.PutBand(op_, PayBand{"", 0, "USD", 12000}));  // 120.00 an hour
  time_->SetAwardPoster(PayFromLedger(pay));
  clock_.Set(kDay + 5000);
  long long a = Assignment(expert_, "submitted", kDay, kDay + 1000, 300);
  auto d = time_->Open(expert_, a, 900, "reading the attached proof");
  ASSERT_TRUE(d);
  auto r = time_->Resolve(op_, d->id, true, 631, "fair");  // 331 s more: 11.033… → 11.03
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(r->transaction_id);
  auto t = db_->Read<Transaction>(
      [&](soci::session& s) { return Ledger::Get(s, *r->transaction_id); });
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->kind, "adjustment");
  EXPECT_EQ(t->currency, "USD");
  EXPECT_EQ(t->author_id, op_.user_id);
  EXPECT_EQ(t->seconds, 331);
  std::int64_t sum = 0, expert = 0;
  for (const auto& line : t->postings) {
    sum += line.amount_minor;
    if (line.kind == AccountKind::kExpertPayable) expert += line.amount_minor;
  }
  EXPECT_EQ(sum, 0);
  EXPECT_EQ(expert, -1103) << "credited to the expert, half up";
}

FW_INSTANTIATE_BACKENDS(TimeServiceTest);

}  // namespace
}  // namespace fw::pay
