// PayService on SQLite and PostgreSQL: bands and terms, the postings of decisions (rounding,
// prices, fixed prices, rejections), a decision paid once however it is retried, budgets.

#include "pay/pay.h"

#include <gtest/gtest.h>

#include <thread>

#include "db/query.h"
#include "orgs/testing.h"
#include "pay/testing.h"

namespace fw::pay {
namespace {

using orgs::testing::IsError;

class PayTest : public testing::PayServicesTest {};

TEST_P(PayTest, TheBandIsTheDomainsAtTheHighestLevelNotAboveTheProjects) {
  if (NotReady()) return;
  auto terms = pay_->ProjectTerms(owner_, project_);
  ASSERT_TRUE(terms) << terms.error().message;
  EXPECT_EQ(terms->currency, "USD");
  EXPECT_FALSE(terms->band_hourly_minor);
  EXPECT_EQ(terms->hourly_minor, 0);
  Band("", 0, 3000);
  EXPECT_EQ(pay_->ProjectTerms(owner_, project_)->hourly_minor, 3000) << "the generalist band";
  Band("physics", 2, 10000);
  Band("physics", 4, 12500);
  EXPECT_EQ(pay_->ProjectTerms(owner_, project_)->hourly_minor, 10000);
  Band("physics", 3, 11000);
  EXPECT_EQ(pay_->ProjectTerms(owner_, project_)->band_hourly_minor, 11000);
  Band("physics", 3, 11000, "EUR");
  EXPECT_EQ(pay_->ProjectTerms(owner_, project_)->hourly_minor, 11000);
  ASSERT_TRUE(pay_->SetLabPay(lab_.id, "EUR", 1500));
  Band("physics", 3, 9000, "EUR");
  auto eur = pay_->ProjectTerms(owner_, project_);
  EXPECT_EQ(eur->currency, "EUR");
  EXPECT_EQ(eur->hourly_minor, 9000);
  EXPECT_EQ(eur->markup_bp, 1500);
  EXPECT_EQ(pay_->Bands()->size(), 5u);
  EXPECT_TRUE(pay_->DeleteBand("physics", 3, "EUR"));
  EXPECT_TRUE(IsError(pay_->DeleteBand("physics", 3, "EUR"), ErrorCode::kNotFound));
}

TEST_P(PayTest, RefusesBadBandsAndTermsNamingTheField) {
  if (NotReady()) return;
  EXPECT_TRUE(
      IsError(pay_->PutBand(op_, {"x", 1, "usd", 1}), ErrorCode::kUnprocessable, "currency"));
  EXPECT_TRUE(IsError(pay_->PutBand(op_, {"x", 6, "USD", 1}), ErrorCode::kUnprocessable, "level"));
  EXPECT_TRUE(
      IsError(pay_->PutBand(op_, {"x", 1, "USD", -1}), ErrorCode::kUnprocessable, "hourly_minor"));
  EXPECT_TRUE(IsError(pay_->SetDefaultMarkup(-1), ErrorCode::kUnprocessable, "markup_bp"));
  EXPECT_TRUE(IsError(pay_->SetLabPay(lab_.id, "ZZZ", std::nullopt), ErrorCode::kUnprocessable,
                      "currency"));
  EXPECT_TRUE(IsError(pay_->SetLabPay(999999, "USD", std::nullopt), ErrorCode::kNotFound));
  Band("physics", 3, 10000);
  ProjectPayUpdate u;
  u.hourly_minor = std::optional<std::int64_t>(9999);
  EXPECT_TRUE(IsError(pay_->SetProjectTerms(owner_, project_, u), ErrorCode::kUnprocessable,
                      "hourly_minor", ""));
  u.hourly_minor = std::optional<std::int64_t>(12000);
  u.budget_minor = std::optional<std::int64_t>(-5);
  EXPECT_TRUE(IsError(pay_->SetProjectTerms(owner_, project_, u), ErrorCode::kUnprocessable,
                      "budget_minor"));
  u.budget_minor = std::optional<std::int64_t>(100000);
  u.fixed_price_minor = std::optional<std::int64_t>(2500);
  auto t = pay_->SetProjectTerms(owner_, project_, u);
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->hourly_minor, 12000);
  EXPECT_EQ(t->fixed_price_minor, 2500);
  EXPECT_EQ(t->budget_minor, 100000);
  EXPECT_EQ(t->expected_task_minor, 2500);
  ProjectPayUpdate clear;
  clear.fixed_price_minor = std::optional<std::int64_t>();
  t = pay_->SetProjectTerms(owner_, project_, clear);
  ASSERT_TRUE(t);
  EXPECT_FALSE(t->fixed_price_minor);
  EXPECT_EQ(t->budget_minor, 100000) << "absent members are left as they are";
}

TEST_P(PayTest, AnotherLabsProjectIsNotFound) {
  if (NotReady()) return;
  EXPECT_TRUE(IsError(pay_->ProjectTerms(other_owner_, project_), ErrorCode::kNotFound));
  EXPECT_TRUE(IsError(pay_->SetProjectTerms(other_owner_, project_, {}), ErrorCode::kNotFound));
  EXPECT_TRUE(IsError(pay_->CostsOf(other_owner_, project_), ErrorCode::kNotFound));
  auto spend = pay_->LabSpend(other_owner_);
  ASSERT_TRUE(spend);
  EXPECT_TRUE(spend->empty());
}

TEST_P(PayTest, AnAcceptedAnswerPaysRateTimesTimeAndChargesCostPlusMarkup) {
  if (NotReady()) return;
  Band("physics", 3, 10000);  // 100.00 an hour
  ASSERT_TRUE(pay_->SetDefaultMarkup(2500));
  // 1000 s at 100.00/h: 27.777… → 27.78; markup 25 %: 6.945 → 6.95 (half up); price 34.73.
  ASSERT_TRUE(Post(Decide(project_, lab_.id, "accepted", 1000)));
  EXPECT_EQ(Balance(AccountKind::kExpertPayable, expert_), -2778);
  EXPECT_EQ(Balance(AccountKind::kLabReceivable, lab_.id), 3473);
  EXPECT_EQ(Balance(AccountKind::kPlatformRevenue, 0), -695);
  auto terms = pay_->ProjectTerms(owner_, project_);
  EXPECT_EQ(terms->spent_minor, 3473);
  auto costs = pay_->CostsOf(owner_, project_);
  ASSERT_TRUE(costs) << costs.error().message;
  EXPECT_EQ(costs->accepted_answers, 1);
  EXPECT_EQ(costs->cost_per_accepted_minor, 3473);
}

TEST_P(PayTest, AFixedPriceChargesTheLabThatPriceAndPaysTheExpertTheirTime) {
  if (NotReady()) return;
  Band("physics", 3, 10000);
  ProjectPayUpdate u;
  u.fixed_price_minor = std::optional<std::int64_t>(2000);
  ASSERT_TRUE(pay_->SetProjectTerms(owner_, project_, u));
  ASSERT_TRUE(Post(Decide(project_, lab_.id, "auto_accepted", 3600)));
  EXPECT_EQ(Balance(AccountKind::kExpertPayable, expert_), -10000);
  EXPECT_EQ(Balance(AccountKind::kLabReceivable, lab_.id), 2000);
  EXPECT_EQ(Balance(AccountKind::kPlatformRevenue, 0), 8000) << "the platform bears the loss";
}

TEST_P(PayTest, ARejectionForQualityPaysTheExpertAtThePlatformsCostAndSpamPaysNothing) {
  if (NotReady()) return;
  Band("physics", 3, 7200);  // 2 cents a second
  ASSERT_TRUE(Post(Decide(project_, lab_.id, "rejected_quality", 100)));
  EXPECT_EQ(Balance(AccountKind::kExpertPayable, expert_), -200);
  EXPECT_EQ(Balance(AccountKind::kLabReceivable, lab_.id), 0);
  EXPECT_EQ(Balance(AccountKind::kPlatformRevenue, 0), 200);
  ASSERT_TRUE(Post(Decide(project_, lab_.id, "rejected_spam", 100)));
  EXPECT_EQ(Balance(AccountKind::kExpertPayable, expert_), -200);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM ledger_transactions"), 2);
  EXPECT_EQ(pay_->ProjectTerms(owner_, project_)->spent_minor, 0);
  auto check = Ledger::Check(*db_);
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->mismatches.empty());
}

TEST_P(PayTest, TheSameWorkAcceptedTwiceAtOnceAndByRetriesIsPaidOnce) {
  if (NotReady()) return;
  Band("physics", 3, 10000);
  const Decision d = Decide(project_, lab_.id, "accepted", 360);
  std::vector<std::thread> threads;
  std::atomic<int> failed{0};
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      if (!Post(d)) ++failed;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  ASSERT_TRUE(Post(d));
  EXPECT_EQ(Balance(AccountKind::kExpertPayable, expert_), -1000);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM ledger_transactions"), 1);
  auto terms = pay_->ProjectTerms(owner_, project_);
  EXPECT_EQ(terms->spent_minor, 1000);
  EXPECT_EQ(QueryInt("SELECT decided_tasks FROM project_pay"), 1);
}

TEST_P(PayTest, ALeaseReservesItsExpectedPriceAgainstTheBudgetUntilTheDecision) {
  if (NotReady()) return;
  Band("physics", 3, 3600);  // 1 cent a second; the lease time (3600 s) prices a task at 36.00
  ProjectPayUpdate u;
  u.budget_minor = std::optional<std::int64_t>(10000);
  ASSERT_TRUE(pay_->SetProjectTerms(owner_, project_, u));
  auto lease = [&](std::int64_t assignment) {
    return db_->Write<bool>([&](soci::session& s) -> Result<bool> {
      FW_TRY_STATUS(pay_->OnLeaseStarted(s, {assignment, project_, lab_.id, expert_}));
      return true;
    });
  };
  auto a1 = MakeWork(project_, lab_.id, false).first;
  auto a2 = MakeWork(project_, lab_.id, false).first;
  auto a3 = MakeWork(project_, lab_.id, false).first;
  auto a4 = MakeWork(project_, lab_.id, false).first;
  ASSERT_TRUE(lease(a1));
  ASSERT_TRUE(lease(a2));
  EXPECT_TRUE(IsError(lease(a3), ErrorCode::kConflict, {}, "budget_exhausted"))
      << "72.00 reserved; another 36.00 would exceed 100.00";
  auto terms = pay_->ProjectTerms(owner_, project_);
  EXPECT_EQ(terms->committed_minor, 7200);
  EXPECT_EQ(terms->expected_task_minor, 3600);
  EXPECT_TRUE(terms->exhausted) << "72.00 + 36.00 > 100.00";
  auto spend = pay_->LabSpend(owner_);
  ASSERT_TRUE(spend) << spend.error().message;
  ASSERT_EQ(spend->size(), 1u);
  EXPECT_TRUE(spend->front().pay.exhausted);
  // The lease ends without a submission: its reservation goes.
  ASSERT_TRUE(db_->Write<bool>([&](soci::session& s) -> Result<bool> {
    FW_TRY_STATUS(pay_->OnLeaseEnded(s, {a2, project_, lab_.id, expert_}));
    return true;
  }));
  EXPECT_EQ(pay_->ProjectTerms(owner_, project_)->committed_minor, 3600);
  EXPECT_FALSE(pay_->ProjectTerms(owner_, project_)->exhausted);
  ASSERT_TRUE(lease(a3));
  EXPECT_TRUE(IsError(lease(a4), ErrorCode::kConflict, {}, "budget_exhausted"));
  // The decision replaces the reservation with the actual charge.
  Decision d = Decide(project_, lab_.id, "accepted", 600);
  d.assignment_id = a1;
  ASSERT_TRUE(Post(d));
  terms = pay_->ProjectTerms(owner_, project_);
  EXPECT_EQ(terms->spent_minor, 600);
  EXPECT_EQ(terms->committed_minor, 600 + 3600);
  EXPECT_EQ(terms->expected_task_minor, 600) << "the mean of the accepted tasks";
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM budget_reservations"), 1);
  u.budget_minor = std::optional<std::int64_t>();
  ASSERT_TRUE(pay_->SetProjectTerms(owner_, project_, u));
  EXPECT_FALSE(pay_->ProjectTerms(owner_, project_)->exhausted) << "no budget, nothing to spend";
}

TEST_P(PayTest, ConcurrentLeasesNeverOverrunTheBudget) {
  if (NotReady()) return;
  Band("physics", 3, 3600);
  ProjectPayUpdate u;
  u.budget_minor = std::optional<std::int64_t>(5 * 3600);
  ASSERT_TRUE(pay_->SetProjectTerms(owner_, project_, u));
  std::vector<std::int64_t> assignments;
  for (int i = 0; i < 12; ++i) assignments.push_back(MakeWork(project_, lab_.id, false).first);
  std::atomic<int> leased{0}, exhausted{0};
  std::vector<std::thread> threads;
  for (std::int64_t a : assignments) {
    threads.emplace_back([&, a] {
      auto r = db_->Write<bool>([&](soci::session& s) -> Result<bool> {
        FW_TRY_STATUS(pay_->OnLeaseStarted(s, {a, project_, lab_.id, expert_}));
        return true;
      });
      if (r) {
        ++leased;
      } else if (r.error().reason == "budget_exhausted") {
        ++exhausted;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(leased.load(), 5);
  EXPECT_EQ(exhausted.load(), 7);
  EXPECT_EQ(QueryInt("SELECT reserved_minor FROM project_pay"), 5 * 3600);
}

TEST_P(PayTest, AdjustmentsAndBonusesCarryTheirReasonAndAuthor) {
  if (NotReady()) return;
  AdjustmentRequest bonus;
  bonus.expert_id = expert_;
  bonus.amount_minor = 5000;
  bonus.currency = "USD";
  bonus.reason = "excellent derivations";
  bonus.kind = "bonus";
  bonus.idempotency_key = "b1";
  auto t = pay_->Adjust(op_, bonus);
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->kind, "bonus");
  EXPECT_EQ(t->reason, "excellent derivations");
  EXPECT_EQ(t->author_id, op_.user_id);
  auto again = pay_->Adjust(op_, bonus);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, t->id);
  EXPECT_EQ(Balance(AccountKind::kExpertPayable, expert_), -5000);
  AdjustmentRequest credit = bonus;
  credit.expert_id.reset();
  credit.org_id = lab_.id;
  credit.kind = "adjustment";
  credit.amount_minor = -700;
  credit.idempotency_key = "";
  ASSERT_TRUE(pay_->Adjust(op_, credit));
  EXPECT_EQ(Balance(AccountKind::kLabReceivable, lab_.id), -700);
  AdjustmentRequest bad = credit;
  bad.reason = " ";
  EXPECT_TRUE(IsError(pay_->Adjust(op_, bad), ErrorCode::kUnprocessable, "reason"));
  bad = credit;
  bad.kind = "bonus";
  EXPECT_TRUE(IsError(pay_->Adjust(op_, bad), ErrorCode::kUnprocessable, "kind"));
  bad = credit;
  bad.expert_id = expert_;
  EXPECT_TRUE(IsError(pay_->Adjust(op_, bad), ErrorCode::kUnprocessable, "expert_id"));
  bad = credit;
  bad.amount_minor = 0;
  EXPECT_TRUE(IsError(pay_->Adjust(op_, bad), ErrorCode::kUnprocessable, "amount_minor"));
  bad = credit;
  bad.currency = "EUR";  // the lab pays in USD
  EXPECT_TRUE(IsError(pay_->Adjust(op_, bad), ErrorCode::kUnprocessable, "currency"));
  bad = bonus;
  bad.expert_id = owner_.user_id;
  bad.idempotency_key = "b2";
  EXPECT_TRUE(IsError(pay_->Adjust(op_, bad), ErrorCode::kNotFound));
  // A reversal corrects, and a reversed lab charge is spent no more.
  Band("physics", 3, 3600);
  ASSERT_TRUE(Post(Decide(project_, lab_.id, "accepted", 100)));
  TransactionFilter decisions;
  decisions.kind = "decision";
  const auto decision = pay_->Transactions(decisions);
  ASSERT_EQ(decision->size(), 1u);
  const std::int64_t decided = decision->front().transaction.id;
  EXPECT_FALSE(decision->front().reversed_by);
  EXPECT_TRUE(IsError(pay_->Reverse(op_, decided, ""), ErrorCode::kUnprocessable, "reason"));
  auto r = pay_->Reverse(op_, decided, "accepted by mistake");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(pay_->ProjectTerms(owner_, project_)->spent_minor, 0);
  EXPECT_EQ(pay_->Entry(decided)->reversed_by, r->id);
  auto check = Ledger::Check(*db_);
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->mismatches.empty());
}

TEST_P(PayTest, TheLedgerNamesWhomATransactionConcernsAndWhoMadeIt) {
  if (NotReady()) return;
  Band("physics", 3, 3600);
  ASSERT_TRUE(Post(Decide(project_, lab_.id, "accepted", 100)));
  AdjustmentRequest credit;
  credit.org_id = lab_.id;
  credit.amount_minor = -700;
  credit.currency = "USD";
  credit.reason = "goodwill";
  credit.kind = "adjustment";
  ASSERT_TRUE(pay_->Adjust(op_, credit));
  auto list = pay_->Transactions({});
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 2u);
  const LedgerEntry& adjustment = list->at(0);
  EXPECT_EQ(adjustment.transaction.kind, "adjustment");
  EXPECT_EQ(adjustment.lab_name, "Lab acme");
  EXPECT_EQ(adjustment.expert_name, "");
  EXPECT_EQ(adjustment.project_name, "");
  EXPECT_EQ(adjustment.author_name, "User op@example.org");
  const LedgerEntry& decision = list->at(1);
  EXPECT_EQ(decision.transaction.kind, "decision");
  EXPECT_EQ(decision.project_name, "Project physics");
  EXPECT_EQ(decision.expert_name, "User expert@example.org");
  EXPECT_EQ(decision.lab_name, "Lab acme");
  EXPECT_EQ(decision.author_name, "User op@example.org") << "the reviewer who decided";
  EXPECT_TRUE(IsError(pay_->Entry(999999), ErrorCode::kNotFound));
}

FW_INSTANTIATE_BACKENDS(PayTest);

}  // namespace
}  // namespace fw::pay
