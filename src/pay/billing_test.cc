// Billing on SQLite and PostgreSQL: statements, invoices and payouts reconcile with the ledger
// to the cent, and `ledger check` finds them so.

#include "pay/billing.h"

#include <gtest/gtest.h>

#include "db/query.h"
#include "orgs/testing.h"
#include "pay/pay.h"

namespace fw::pay {
namespace {

using orgs::testing::IsError;

class BillingTest : public orgs::testing::ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    if (NotReady()) return;
    pay_ = std::make_unique<PayService>(*db_, clock_, tenancy_);
    billing_ = std::make_unique<BillingService>(*db_, clock_, tenancy_, pay_->ledger());
    lab_ = MakeLab("acme");
    other_lab_ = MakeLab("other");
    owner_ = CallerOf(MakeUser("owner@acme.org", Role::kLabOwner, lab_.id));
    other_owner_ = CallerOf(MakeUser("owner@other.org", Role::kLabOwner, other_lab_.id));
    op_ = CallerOf(MakeUser("op@example.org", Role::kOperator));
    expert_ = MakeUser("expert@example.org", Role::kExpert).id;
    project_ = MakeProject(lab_.id, "physics", 3);
  }

  std::int64_t MakeProject(std::int64_t org, const std::string& domain, int level) {
    auto id = db_->Write<std::int64_t>([&](soci::session& s) -> Result<std::int64_t> {
      long long id = 0;
      db::Query(s,
                "INSERT INTO projects (org_id, name, template, domain, min_level, lease_seconds, "
                "created_at, updated_at) VALUES (:o, :n, '{}', :d, :l, 3600, 0, 0) RETURNING id")
          .Bind(static_cast<long long>(org))
          .Bind("Project " + domain)
          .Bind(domain)
          .Bind(level)
          .One(id);
      return static_cast<std::int64_t>(id);
    });
    EXPECT_TRUE(id);
    return id.value_or(0);
  }

  // An item, an assignment and (when `submit`) a submission on `project`; returns the
  // assignment and submission ids.
  std::pair<std::int64_t, std::int64_t> MakeWork(std::int64_t project, std::int64_t org,
                                                 bool submit = true) {
    auto r = db_->Write<std::pair<std::int64_t, std::int64_t>>(
        [&](soci::session& s) -> Result<std::pair<std::int64_t, std::int64_t>> {
          long long item = 0, assignment = 0, submission = 0;
          db::Query(s,
                    "INSERT INTO items (org_id, project_id, payload, created_at) VALUES (:o, :p, "
                    "'{}', 0) RETURNING id")
              .Bind(static_cast<long long>(org))
              .Bind(static_cast<long long>(project))
              .One(item);
          db::Query(s,
                    "INSERT INTO assignments (org_id, project_id, item_id, expert_id, state, "
                    "leased_at, lease_expires_at, last_heartbeat_at) VALUES (:o, :p, :i, :e, :st, "
                    "0, 0, 0) RETURNING id")
              .Bind(static_cast<long long>(org))
              .Bind(static_cast<long long>(project))
              .Bind(item)
              .Bind(static_cast<long long>(expert_))
              .Bind(submit ? "submitted" : "active")
              .One(assignment);
          if (submit) {
            db::Query(s,
                      "INSERT INTO submissions (org_id, project_id, item_id, assignment_id, "
                      "expert_id, idempotency_key, answer, template_version, active_seconds, "
                      "leased_at, submitted_at) VALUES (:o, :p, :i, :a, :e, :k, '{}', 1, 0, 0, "
                      "0) RETURNING id")
                .Bind(static_cast<long long>(org))
                .Bind(static_cast<long long>(project))
                .Bind(item)
                .Bind(assignment)
                .Bind(static_cast<long long>(expert_))
                .Bind("k" + std::to_string(assignment))
                .One(submission);
          }
          return std::make_pair(static_cast<std::int64_t>(assignment),
                                static_cast<std::int64_t>(submission));
        });
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(std::make_pair<std::int64_t, std::int64_t>(0, 0));
  }

  Decision Decide(std::int64_t project, std::int64_t org, std::string outcome,
                  std::int64_t seconds) {
    auto [assignment, submission] = MakeWork(project, org);
    Decision d;
    d.submission_id = submission;
    d.assignment_id = assignment;
    d.org_id = org;
    d.project_id = project;
    d.expert_id = expert_;
    d.outcome = std::move(outcome);
    d.decided_by = op_.user_id;
    d.active_seconds = seconds;
    d.payable_seconds = seconds;
    d.decided_at = clock_.Now();
    return d;
  }

  Status Post(const Decision& d) {
    auto r = db_->Write<bool>([&](soci::session& s) -> Result<bool> {
      FW_TRY_STATUS(pay_->OnDecided(s, d));
      return true;
    });
    if (!r) return tl::unexpected<Error>(r.error());
    return {};
  }

  std::int64_t Balance(AccountKind kind, std::int64_t owner, const std::string& currency = "USD") {
    return db_
        ->Read<std::int64_t>([&](soci::session& s) -> Result<std::int64_t> {
          return Ledger::Balance(s, {kind, owner}, currency);
        })
        .value_or(-999);
  }

  void Band(const std::string& domain, int level, std::int64_t hourly,
            const std::string& currency = "USD") {
    ASSERT_TRUE(pay_->PutBand(op_, {domain, level, currency, hourly}));
  }

  std::unique_ptr<PayService> pay_;
  std::unique_ptr<BillingService> billing_;
  orgs::Lab lab_, other_lab_;
  Caller owner_, other_owner_, op_;
  std::int64_t expert_ = 0, project_ = 0;
};

TEST_P(BillingTest, StatementsInvoicesAndPayoutsReconcileWithTheLedger) {
  if (NotReady()) return;
  Band("physics", 3, 10000);
  ASSERT_TRUE(pay_->SetDefaultMarkup(2000));
  const UnixSeconds day1 = clock_.Now();
  ASSERT_TRUE(Post(Decide(project_, lab_.id, "accepted", 1000)));         // 27.78, lab 33.34
  ASSERT_TRUE(Post(Decide(project_, lab_.id, "auto_accepted", 360)));     // 10.00, lab 12.00
  ASSERT_TRUE(Post(Decide(project_, lab_.id, "rejected_quality", 180)));  // 5.00, lab 0
  AdjustmentRequest bonus;
  bonus.expert_id = expert_;
  bonus.amount_minor = 222;
  bonus.currency = "USD";
  bonus.reason = "thorough";
  bonus.kind = "bonus";
  ASSERT_TRUE(pay_->Adjust(op_, bonus));
  AdjustmentRequest credit;
  credit.org_id = lab_.id;
  credit.amount_minor = -134;
  credit.currency = "USD";
  credit.reason = "goodwill";
  credit.kind = "adjustment";
  ASSERT_TRUE(pay_->Adjust(op_, credit));
  clock_.Advance(86400);

  auto st = billing_->StatementOf(expert_, day1, day1 + 86400);
  ASSERT_TRUE(st) << st.error().message;
  ASSERT_EQ(st->lines.size(), 4u);
  EXPECT_EQ(st->lines[0].amount_minor, 2778);
  EXPECT_EQ(st->lines[0].seconds, 1000);
  EXPECT_EQ(st->lines[0].project_name, "Project physics");
  EXPECT_EQ(st->lines[3].kind, "bonus");
  EXPECT_EQ(st->lines[3].reason, "thorough");
  ASSERT_EQ(st->totals.size(), 1u);
  EXPECT_EQ(st->totals[0].earned_minor, 2778 + 1000 + 500 + 222);
  EXPECT_EQ(st->totals[0].balance_minor, 4500);
  EXPECT_TRUE(
      IsError(billing_->StatementOf(expert_, day1, day1), ErrorCode::kInvalidArgument, "to"));

  auto inv = billing_->IssueInvoice(op_, lab_.id, day1, day1 + 86400);
  ASSERT_TRUE(inv) << inv.error().message;
  EXPECT_EQ(inv->total_minor, 3334 + 1200 - 134);
  ASSERT_EQ(inv->lines.size(), 2u);
  EXPECT_FALSE(inv->lines[0].project_id) << "the adjustment, tied to no project";
  EXPECT_EQ(inv->lines[0].amount_minor, -134);
  EXPECT_EQ(inv->lines[1].project_id, project_);
  EXPECT_EQ(inv->lines[1].tasks, 2);
  EXPECT_EQ(inv->lines[1].amount_minor, 4534);
  EXPECT_TRUE(IsError(billing_->IssueInvoice(op_, lab_.id, day1, day1 + 86400),
                      ErrorCode::kConflict, {}, "nothing_to_invoice"));
  EXPECT_TRUE(IsError(billing_->GetInvoice(other_owner_, inv->id), ErrorCode::kNotFound));
  EXPECT_TRUE(billing_->GetInvoice(owner_, inv->id));
  EXPECT_EQ(billing_->Invoices(other_owner_)->size(), 0u);
  EXPECT_EQ(billing_->Invoices(owner_)->size(), 1u);
  EXPECT_EQ(billing_->Invoices(op_)->size(), 1u);

  auto batch = billing_->CreatePayout(op_, "USD");
  ASSERT_TRUE(batch) << batch.error().message;
  EXPECT_EQ(batch->status, "open");
  EXPECT_EQ(batch->total_minor, 4500);
  ASSERT_EQ(batch->lines.size(), 1u);
  EXPECT_TRUE(IsError(billing_->CreatePayout(op_, "USD"), ErrorCode::kConflict, {}, "payout_open"));
  // Earned after the batch was made stays owed for the next one.
  ASSERT_TRUE(Post(Decide(project_, lab_.id, "accepted", 36)));
  auto paid = billing_->MarkPaid(op_, batch->id);
  ASSERT_TRUE(paid) << paid.error().message;
  EXPECT_EQ(paid->status, "paid");
  EXPECT_TRUE(paid->lines[0].transaction_id);
  auto again = billing_->MarkPaid(op_, batch->id);
  ASSERT_TRUE(again);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'payout'"), 1);
  EXPECT_EQ(Balance(AccountKind::kExpertPayable, expert_), -100);
  EXPECT_EQ(Balance(AccountKind::kPlatformCash, 0), -4500);
  st = billing_->StatementOf(expert_, day1, clock_.Now() + 1);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->totals[0].paid_minor, 4500);
  EXPECT_EQ(st->totals[0].balance_minor, 100);
  EXPECT_EQ(st->lines.back().amount_minor, -4500);
  auto later = billing_->StatementOf(expert_, clock_.Now() + 1, clock_.Now() + 86400);
  ASSERT_TRUE(later);
  EXPECT_EQ(later->totals[0].opening_minor, 100);

  auto check = Ledger::Check(*db_);
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->mismatches.empty()) << check->mismatches.front();
  EXPECT_EQ(check->invoices, 1);
  EXPECT_EQ(check->payouts, 1);
  // A tampered invoice line is found.
  Exec("UPDATE invoice_lines SET amount_minor = amount_minor + 1 WHERE line = 2");
  check = Ledger::Check(*db_);
  ASSERT_TRUE(check);
  EXPECT_EQ(check->mismatches.size(), 1u);
}

TEST_P(BillingTest, NothingToPayAndUnknownThingsAreSaid) {
  if (NotReady()) return;
  EXPECT_TRUE(
      IsError(billing_->CreatePayout(op_, "USD"), ErrorCode::kConflict, {}, "nothing_to_pay"));
  EXPECT_TRUE(IsError(billing_->CreatePayout(op_, "usd"), ErrorCode::kInvalidArgument, "currency"));
  EXPECT_TRUE(IsError(billing_->MarkPaid(op_, 42), ErrorCode::kNotFound));
  EXPECT_TRUE(IsError(billing_->GetPayout(42), ErrorCode::kNotFound));
  EXPECT_TRUE(IsError(billing_->IssueInvoice(op_, 999999, 0, 10), ErrorCode::kNotFound));
  EXPECT_TRUE(IsError(billing_->IssueInvoice(op_, lab_.id, 0, 10), ErrorCode::kConflict, {},
                      "nothing_to_invoice"));
}

FW_INSTANTIATE_BACKENDS(BillingTest);

}  // namespace
}  // namespace fw::pay
