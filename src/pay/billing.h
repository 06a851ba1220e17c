#pragma once
// Billing: what the ledger says to each party — an expert's earnings statement, a lab's
// invoice, the operator's payout batches — each reconciling exactly with the ledger.
//
// - A statement lists the transactions that moved the expert's payable accounts in [from,
//   to), as the expert sees them (an amount earned is positive, a payout negative), and the
//   decisions on their work that paid nothing (amount 0), with per currency the balance
//   before, earned, paid and the balance owed at `to`.
// - An invoice bills a lab for every charge to its receivable account made in [from, to) and
//   not invoiced before, in lines per project; each transaction is on one invoice at most
//   (a database fact), and the invoice is stored as issued. Marking it paid posts one
//   "invoice_payment" transaction (reference "invoice:<id>": the platform's cash debited, the
//   lab's receivable credited) for exactly the invoice's total; payments are never invoiced.
// - A payout batch lists every expert's payable balance in a currency when it is made; one
//   batch per currency is open at a time. Marking it paid posts one payout transaction per
//   line (the expert's payable debited, the platform's cash credited) for exactly the line's
//   amount.
// `fachwerk ledger check` (Ledger::Check) verifies invoices and payouts against the ledger.
//
// Thread safety: any thread; each call is one transaction. Ownership: borrows the database,
// clock, tenancy and ledger, which must outlive it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/caller.h"
#include "base/clock.h"
#include "base/error.h"
#include "db/database.h"
#include "pay/ledger.h"
#include "tenancy/tenancy.h"

namespace fw::pay {

inline constexpr std::int64_t kMaxStatementDays = 400;

struct StatementLine {
  std::int64_t transaction_id = 0;
  UnixSeconds at = 0;
  std::string kind;     // decision, bonus, adjustment, reversal, payout
  std::string outcome;  // a decision's outcome
  std::optional<std::int64_t> project_id;
  std::string project_name;
  std::optional<std::int64_t> submission_id;
  std::optional<std::int64_t> seconds;
  std::int64_t amount_minor = 0;  // to the expert: earned positive, paid out negative
  std::string currency;
  std::string reason;
};

struct StatementTotal {
  std::string currency;
  std::int64_t opening_minor = 0;  // owed at `from`
  std::int64_t earned_minor = 0;
  std::int64_t paid_minor = 0;
  std::int64_t balance_minor = 0;  // owed at `to`: opening + earned - paid
};

struct Statement {
  UnixSeconds from = 0, to = 0;
  std::vector<StatementLine> lines;  // oldest first
  std::vector<StatementTotal> totals;
};

struct InvoiceLine {
  std::optional<std::int64_t> project_id;  // none: charges not tied to a project
  std::string project_name;
  std::int64_t tasks = 0;  // accepted tasks charged (net of reversals)
  std::int64_t amount_minor = 0;
};

struct Invoice {
  std::int64_t id = 0, org_id = 0;
  std::string org_name, currency;
  UnixSeconds from = 0, to = 0;
  std::int64_t total_minor = 0;
  std::int64_t issued_by = 0;
  UnixSeconds issued_at = 0;
  std::optional<UnixSeconds> paid_at;  // none: not paid yet
  std::optional<std::int64_t> paid_by, payment_transaction_id;
  std::vector<InvoiceLine> lines;
};

struct PayoutLine {
  std::int64_t expert_id = 0;
  std::string name, email;
  std::int64_t amount_minor = 0;
  std::optional<std::int64_t> transaction_id;
};

struct Payout {
  std::int64_t id = 0;
  std::string currency, status;  // open, paid
  std::int64_t total_minor = 0;
  std::int64_t created_by = 0;
  UnixSeconds created_at = 0;
  std::optional<std::int64_t> paid_by;
  std::optional<UnixSeconds> paid_at;
  std::vector<PayoutLine> lines;
};

class BillingService {
 public:
  BillingService(db::Database& db, const Clock& clock, const tenancy::Tenancy& tenancy,
                 const Ledger& ledger);

  // The expert's statement for [from, to). Errors: kInvalidArgument naming "to" (code
  // "before_from" when to <= from, "too_long" past kMaxStatementDays).
  [[nodiscard]] Result<Statement> StatementOf(std::int64_t expert_id, UnixSeconds from,
                                              UnixSeconds to);

  // Issues the lab's invoice for [from, to) (operators). Errors: kInvalidArgument naming "to"
  // ("before_from"); kNotFound (no such lab); kConflict "nothing_to_invoice" (no charges in the
  // period that are not invoiced yet; a retry after success says so too).
  [[nodiscard]] Result<Invoice> IssueInvoice(const Caller& op, std::int64_t org_id,
                                             UnixSeconds from, UnixSeconds to);
  // A lab's own invoices, or every lab's for an operator, newest first.
  [[nodiscard]] Result<std::vector<Invoice>> Invoices(const Caller& caller);
  // Errors: kNotFound (none, or another lab's).
  [[nodiscard]] Result<Invoice> GetInvoice(const Caller& caller, std::int64_t id);
  // Records the lab's payment of invoice `id` (operators): posts its payment transaction and
  // sets paid_at, in one transaction. A retry, or a concurrent call, returns the paid invoice
  // and posts nothing more. Errors: kNotFound (no such invoice); as Ledger::Post.
  [[nodiscard]] Result<Invoice> MarkInvoicePaid(const Caller& op, std::int64_t id);

  // Makes a payout batch of every expert's payable balance in `currency`. Errors:
  // kInvalidArgument naming "currency" (unknown_currency); kConflict "payout_open" (a batch in
  // that currency is not paid yet), "nothing_to_pay".
  [[nodiscard]] Result<Payout> CreatePayout(const Caller& op, const std::string& currency);
  [[nodiscard]] Result<std::vector<Payout>> Payouts();
  // Errors: kNotFound.
  [[nodiscard]] Result<Payout> GetPayout(std::int64_t id);
  // Posts the batch's payout transactions and marks it paid. A retry returns the paid batch.
  // Errors: kNotFound.
  [[nodiscard]] Result<Payout> MarkPaid(const Caller& op, std::int64_t id);

  const Clock& clock() const { return clock_; }

 private:
  db::Database& db_;
  const Clock& clock_;
  const tenancy::Tenancy& tenancy_;
  const Ledger& ledger_;
};

}  // namespace fw::pay
