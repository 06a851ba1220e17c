// Billing on SQLite and PostgreSQL: statements, invoices and payouts reconcile with the ledger
// to the cent, and `ledger check` finds them so.

#include "pay/billing.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "db/query.h"
#include "orgs/testing.h"
#include "pay/pay.h"
#include "pay/testing.h"

namespace fw::pay {
namespace {

using orgs::testing::IsError;

class BillingTest : public testing::PayServicesTest {};

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

TEST_P(BillingTest, AnInvoicePaidPostsItsTotalOnceAndThePaymentIsNeverInvoiced) {
  if (NotReady()) return;
  Band("physics", 3, 3600);
  const UnixSeconds day1 = clock_.Now();
  ASSERT_TRUE(Post(Decide(project_, lab_.id, "accepted", 1000)));
  auto inv = billing_->IssueInvoice(op_, lab_.id, day1, day1 + 86400);
  ASSERT_TRUE(inv) << inv.error().message;
  EXPECT_FALSE(inv->paid_at);
  EXPECT_EQ(Balance(AccountKind::kLabReceivable, lab_.id), 1000);
  clock_.Advance(60);
  auto paid = billing_->MarkInvoicePaid(op_, inv->id);
  ASSERT_TRUE(paid) << paid.error().message;
  EXPECT_EQ(paid->paid_at, clock_.Now());
  EXPECT_EQ(paid->paid_by, op_.user_id);
  ASSERT_TRUE(paid->payment_transaction_id);
  clock_.Advance(60);
  auto again = billing_->MarkInvoicePaid(op_, inv->id);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->paid_at, paid->paid_at) << "a retry returns the first payment";
  EXPECT_EQ(again->payment_transaction_id, paid->payment_transaction_id);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'invoice_payment' "
                     "AND reference = 'invoice:" +
                     std::to_string(inv->id) + "'"),
            1);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'invoice_payment'"), 1);
  EXPECT_EQ(Balance(AccountKind::kLabReceivable, lab_.id), 0);
  EXPECT_EQ(Balance(AccountKind::kPlatformCash, 0), 1000);
  EXPECT_EQ(billing_->GetInvoice(owner_, inv->id)->paid_at, paid->paid_at);
  EXPECT_TRUE(IsError(billing_->IssueInvoice(op_, lab_.id, day1, clock_.Now() + 86400),
                      ErrorCode::kConflict, {}, "nothing_to_invoice"))
      << "the payment is not a charge";
  EXPECT_TRUE(IsError(billing_->MarkInvoicePaid(op_, 999999), ErrorCode::kNotFound));
  auto check = Ledger::Check(*db_);
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->mismatches.empty()) << check->mismatches.front();
  EXPECT_EQ(check->paid_invoices, 1);
  // A payment that no longer matches its invoice is found.
  Exec("UPDATE ledger_postings SET amount_minor = amount_minor + 1 WHERE transaction_id = " +
       std::to_string(*paid->payment_transaction_id) + " AND amount_minor > 0");
  Exec("UPDATE ledger_postings SET amount_minor = amount_minor - 1 WHERE transaction_id = " +
       std::to_string(*paid->payment_transaction_id) + " AND amount_minor < 0");
  check = Ledger::Check(*db_);
  ASSERT_TRUE(check);
  EXPECT_TRUE(std::any_of(check->mismatches.begin(), check->mismatches.end(),
                          [](const std::string& m) { return m.find("payment") != m.npos; }));
}

TEST_P(BillingTest, AnInvoiceMarkedPaidTwiceAtOncePostsOnce) {
  if (NotReady()) return;
  Band("physics", 3, 3600);
  const UnixSeconds day1 = clock_.Now();
  ASSERT_TRUE(Post(Decide(project_, lab_.id, "accepted", 500)));
  auto inv = billing_->IssueInvoice(op_, lab_.id, day1, day1 + 86400);
  ASSERT_TRUE(inv) << inv.error().message;
  std::vector<Result<Invoice>> results(4, Result<Invoice>(Invoice{}));
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = billing_->MarkInvoicePaid(op_, inv->id); });
  }
  for (std::thread& t : threads) t.join();
  for (const auto& r : results) {
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_TRUE(r->paid_at);
  }
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'invoice_payment'"), 1);
  EXPECT_EQ(Balance(AccountKind::kPlatformCash, 0), 500);
  auto check = Ledger::Check(*db_);
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->mismatches.empty()) << check->mismatches.front();
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
