#pragma once
// Pay: rates, prices, budgets and the postings that work causes in the ledger.
//
// The rules, each enforced here and nowhere else:
// - A lab pays in its currency (org_pay; USD when it has set none) at a markup in basis points
//   (its own, else the instance's default `pay_markup_bp`, else 0).
// - The band of a project is the operator's pay band for the project's domain at the highest
//   level not above the project's minimum level, in the lab's currency; without one, the
//   generalist band ('' domain) the same way; without either, none (0). A project may raise
//   its rate above the band, never lower it.
// - A decision on a submission posts one ledger transaction, reference
//   "decision:<submission id>", inside the decision's own transaction: accepted (by a reviewer
//   or automatically) → the expert earns cost = round(rate × payable_seconds / 3600), the lab
//   is charged the price (the fixed price per accepted task, else cost + round(cost × markup /
//   10000)), the platform's revenue is the difference; rejected for quality → the expert earns
//   the cost and the platform bears it; rejected as spam → nothing is paid. Rounding is half up
//   (base/money.h). A decision posted before (a retry, a concurrent decision) posts nothing.
// - Budgets (in the lab's currency, in price terms): a lease on a project with a budget
//   reserves the task's expected price when it starts, refused with kConflict
//   "budget_exhausted" when spent + reserved + that price would exceed the budget; the
//   reservation ends with the lease when it ends without a submission, else at the decision,
//   where the actual charge replaces it. The expected price of a task is the fixed price, else
//   the price of the mean payable time of the project's accepted tasks (the project's lease
//   time before any).
//
// Thread safety: any thread; each call is one transaction or runs inside the caller's.
// Ownership: borrows the database, clock and tenancy, which must outlive it.

#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/caller.h"
#include "base/clock.h"
#include "base/error.h"
#include "db/database.h"
#include "pay/ledger.h"
#include "tenancy/tenancy.h"

namespace fw::pay {

inline constexpr std::string_view kDefaultCurrency = "USD";
// The largest amount a request may name (10^15 minor units), so sums stay far from overflow.
inline constexpr std::int64_t kMaxAmountMinor = 1'000'000'000'000'000;
inline constexpr std::int64_t kMaxMarkupBp = 100'000;  // 1000 %
inline constexpr std::size_t kMaxReasonBytes = 2000;

struct PayBand {
  std::string domain;  // "" = generalist work
  int level = 0;       // 0..5
  std::string currency;
  std::int64_t hourly_minor = 0;
};

struct OrgPay {
  std::string currency;
  std::optional<std::int64_t> markup_bp;  // none: the instance's default
  std::int64_t effective_markup_bp = 0;
};

// A project's pay terms and figures, in the lab's currency.
struct ProjectPay {
  std::string currency;
  std::optional<std::int64_t> band_hourly_minor;  // none: no band applies
  std::optional<std::int64_t> raised_hourly_minor;
  std::int64_t hourly_minor = 0;  // what experts earn: the raised rate, else the band, else 0
  std::optional<std::int64_t> fixed_price_minor;
  std::int64_t markup_bp = 0;
  std::optional<std::int64_t> budget_minor;
  std::int64_t spent_minor = 0;      // lab charges posted
  std::int64_t committed_minor = 0;  // spent + leased and undecided work at its expected price
  std::int64_t forecast_minor = 0;   // committed + the judgments still wanted at that price
  std::int64_t expected_task_minor = 0;
  // The budget is spent: committed + one more task's expected price would exceed it, so `next`
  // hands out none of the project's work. Always false without a budget.
  bool exhausted = false;
};

// A change of a project's terms: absent members are left as they are; a present nullopt
// clears.
struct ProjectPayUpdate {
  std::optional<std::optional<std::int64_t>> hourly_minor, fixed_price_minor, budget_minor;
};

struct ProjectSpend {
  std::int64_t project_id = 0;
  std::string name;
  ProjectPay pay;
};

struct Costs {
  std::string currency;
  std::int64_t accepted_answers = 0;
  std::int64_t spent_minor = 0;
  std::optional<std::int64_t> cost_per_accepted_minor;
  std::int64_t correct_labels = 0;
  std::optional<std::int64_t> cost_per_correct_label_minor;
  std::int64_t judgments_saved = 0;
  std::int64_t saved_minor = 0;
};

struct Rate {
  std::int64_t project_id = 0;
  std::int64_t hourly_minor = 0;
  std::string currency;
};

// review::Decided as pay reads it.
struct Decision {
  std::int64_t submission_id = 0, assignment_id = 0, org_id = 0, project_id = 0, expert_id = 0;
  std::string outcome;  // accepted, auto_accepted, rejected_quality, rejected_spam
  std::int64_t decided_by = 0;
  std::int64_t active_seconds = 0;
  std::int64_t payable_seconds = 0;
  UnixSeconds decided_at = 0;
};

// work::LeaseStarted / LeaseEnded as pay reads them.
struct Lease {
  std::int64_t assignment_id = 0, project_id = 0, org_id = 0, expert_id = 0;
};

// An operator's bonus or adjustment: to an expert (positive pays them more) or a lab
// (positive charges it more), against the platform's revenue.
struct AdjustmentRequest {
  std::optional<std::int64_t> expert_id, org_id;
  std::int64_t amount_minor = 0;
  std::string currency;
  std::string reason;
  std::string kind;             // "bonus" (experts only) or "adjustment"
  std::string idempotency_key;  // "" : each request posts anew
};

struct TransactionFilter {
  std::optional<std::int64_t> expert_id, org_id, project_id;
  std::optional<std::string> kind;
  std::optional<std::int64_t> before_id;  // transactions with a lower id
  int limit = 100;
};

// A transaction as the operator's ledger shows it: the names of the expert, lab and project it
// concerns and of the operator who made it ("" where the transaction names none), and the
// reversal that undid it, if any.
struct LedgerEntry {
  Transaction transaction;
  std::string expert_name, lab_name, project_name, author_name;
  std::optional<std::int64_t> reversed_by;
};

class PayService {
 public:
  PayService(db::Database& db, const Clock& clock, const tenancy::Tenancy& tenancy);

  // ---- bands and settings (operators) ----
  // Every band, by domain, level, currency. Errors: database failures only.
  [[nodiscard]] Result<std::vector<PayBand>> Bands();
  // Sets a band. Errors: kUnprocessable naming "currency" (unknown_currency), "level"
  // (out_of_range, 0..5), "hourly_minor" (out_of_range: negative or over kMaxAmountMinor),
  // "domain" (too_long over 100 bytes). A retry sets the same band.
  [[nodiscard]] Result<PayBand> PutBand(const Caller& op, PayBand band);
  // Errors: kNotFound (no such band).
  [[nodiscard]] Status DeleteBand(std::string_view domain, int level, std::string_view currency);
  // The instance's default markup (0 unless set).
  [[nodiscard]] Result<std::int64_t> DefaultMarkup();
  // Errors: kUnprocessable "markup_bp" out_of_range (0..kMaxMarkupBp).
  [[nodiscard]] Result<std::int64_t> SetDefaultMarkup(std::int64_t markup_bp);
  // A lab's currency and markup. Errors: kNotFound (no such lab).
  [[nodiscard]] Result<OrgPay> LabPay(std::int64_t org_id);
  // Errors: kNotFound (no such lab); kUnprocessable naming "currency" (unknown_currency) or
  // "markup_bp" (out_of_range); kConflict "currency_in_use" when the lab's ledger already holds
  // transactions in its current currency and `currency` differs.
  [[nodiscard]] Result<OrgPay> SetLabPay(std::int64_t org_id, std::string currency,
                                         std::optional<std::int64_t> markup_bp);

  // ---- projects (their lab) ----
  // Errors: kNotFound (no such project in the caller's lab).
  [[nodiscard]] Result<ProjectPay> ProjectTerms(const Caller& lab, std::int64_t project_id);
  // Errors: kNotFound; kUnprocessable naming "hourly_minor" (below_band, out_of_range),
  // "fixed_price_minor" or "budget_minor" (out_of_range). A retry sets the same terms.
  [[nodiscard]] Result<ProjectPay> SetProjectTerms(const Caller& lab, std::int64_t project_id,
                                                   const ProjectPayUpdate& update);
  // The caller lab's projects with their budgets and figures, by name.
  [[nodiscard]] Result<std::vector<ProjectSpend>> LabSpend(const Caller& lab);
  // Errors: kNotFound.
  [[nodiscard]] Result<Costs> CostsOf(const Caller& lab, std::int64_t project_id);

  // ---- experts ----
  // The hourly rate of each of `project_ids` (the projects the expert may see), in id order;
  // ids of no project are left out. Errors: database failures only.
  [[nodiscard]] Result<std::vector<Rate>> Rates(const std::vector<std::int64_t>& project_ids);

  // ---- events (inside the publisher's transaction `s`) ----
  // Posts the decision (rules above). Errors: as Ledger::Post; none for a decision posted
  // before.
  [[nodiscard]] Status OnDecided(soci::session& s, const Decision& d);
  // Reserves the lease's expected price on a project with a budget. Errors: kConflict
  // "budget_exhausted".
  [[nodiscard]] Status OnLeaseStarted(soci::session& s, const Lease& lease);
  // Releases the lease's reservation, if any.
  [[nodiscard]] Status OnLeaseEnded(soci::session& s, const Lease& lease);

  // ---- the ledger (operators) ----
  // Errors: kUnprocessable naming "expert_id"/"org_id" (exactly one is required: code
  // "required" or "conflict"), "amount_minor" (out_of_range, or zero), "currency"
  // (unknown_currency), "reason" (required, too_long), "kind" (not_an_option; "bonus" only for
  // experts); kNotFound (no such expert or lab). A retry with the same idempotency key returns
  // the first transaction.
  [[nodiscard]] Result<Transaction> Adjust(const Caller& op, const AdjustmentRequest& req);
  // Errors: kUnprocessable "reason" (required, too_long); as Ledger::Reverse.
  [[nodiscard]] Result<Transaction> Reverse(const Caller& op, std::int64_t transaction_id,
                                            std::string_view reason);
  // Transactions, newest first, with their names. Errors: database failures only.
  [[nodiscard]] Result<std::vector<LedgerEntry>> Transactions(const TransactionFilter& filter);
  // Transaction `transaction_id` with its names. Errors: kNotFound.
  [[nodiscard]] Result<LedgerEntry> Entry(std::int64_t transaction_id);

  const Ledger& ledger() const { return ledger_; }
  const Clock& clock() const { return clock_; }
  db::Database& db() { return db_; }

 private:
  db::Database& db_;
  const Clock& clock_;
  const tenancy::Tenancy& tenancy_;
  Ledger ledger_;
};

}  // namespace fw::pay
