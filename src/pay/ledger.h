#pragma once
// The ledger: double-entry and append-only, in integer minor units of one currency per
// transaction (base/money.h).
//
// The rules, each enforced here and nowhere else:
// - Accounts: `expert_payable` per expert and currency (what the platform owes the expert),
//   `lab_receivable` per lab and currency (what the lab owes), `platform_revenue` and
//   `platform_cash` per currency. Debits are positive, credits negative, so an expert's
//   earnings are credits (a negative balance is money owed to them).
// - A transaction has a unique `reference` naming its cause ("decision:<submission id>",
//   "adjustment:<key>", "payout:<batch>:<expert>", "invoice:<invoice id>"): posting the same
//   reference again posts nothing and returns the first transaction, so a retried or concurrent
//   cause is paid once.
// - Its postings sum to zero, checked before anything is written; an account's balance is the
//   sum of its postings, kept on the account row in the same transaction.
// - Postings in one currency are serialized (PostgreSQL: a transaction-scoped lock per
//   currency, taken before any account row), so concurrent transactions that post several
//   times never deadlock on account rows.
// - Nothing is edited or deleted: a correction is a reversing transaction (the original's
//   postings negated) that names the one it reverses, and a transaction is reversed at most
//   once.
//
// Thread safety: any thread; each call runs inside the caller's transaction `s`. Ownership:
// borrows the clock, which must outlive it.

#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/error.h"
#include "db/database.h"

namespace fw::pay {

enum class AccountKind { kExpertPayable, kLabReceivable, kPlatformRevenue, kPlatformCash };
// "expert_payable", "lab_receivable", "platform_revenue", "platform_cash".
std::string_view AccountKindName(AccountKind kind);

// An account by what it is for: the owner is the expert (expert_payable), the lab
// (lab_receivable), or 0 (the platform's).
struct AccountRef {
  AccountKind kind = AccountKind::kPlatformRevenue;
  std::int64_t owner_id = 0;
};

struct Posting {
  AccountRef account;
  std::int64_t amount_minor = 0;  // debit positive, credit negative
};

// Kinds of transaction.
inline constexpr std::string_view kDecision = "decision";
inline constexpr std::string_view kBonus = "bonus";
inline constexpr std::string_view kAdjustment = "adjustment";
inline constexpr std::string_view kReversal = "reversal";
inline constexpr std::string_view kPayout = "payout";
inline constexpr std::string_view kInvoicePayment = "invoice_payment";

struct NewTransaction {
  std::string kind;
  std::string reference;                  // unique per cause
  std::string currency;                   // ISO 4217, known to base/money.h
  std::string outcome;                    // a decision's outcome ("accepted", ...); "" otherwise
  std::string reason;                     // why (bonuses, adjustments, reversals)
  std::optional<std::int64_t> author_id;  // who made it; none for automatic postings
  std::optional<std::int64_t> reverses;   // the transaction this one reverses
  std::optional<std::int64_t> org_id, project_id, expert_id, submission_id, seconds;
  std::vector<Posting> postings;  // zero amounts are dropped
};

// A stored transaction with its postings.
struct Transaction {
  std::int64_t id = 0;
  std::string kind, reference, currency, outcome, reason;
  std::optional<std::int64_t> author_id, reverses, org_id, project_id, expert_id, submission_id,
      seconds;
  UnixSeconds created_at = 0;
  struct Line {
    AccountKind kind;
    std::int64_t owner_id = 0;
    std::int64_t amount_minor = 0;
  };
  std::vector<Line> postings;
};

struct PostResult {
  std::int64_t transaction_id = 0;
  bool created = false;  // false: the reference was posted before; nothing was written
};

// What `fachwerk ledger check` found.
struct CheckReport {
  std::int64_t transactions = 0;  // checked
  std::int64_t accounts = 0;
  std::int64_t invoices = 0;
  std::int64_t paid_invoices = 0;
  std::int64_t payouts = 0;
  std::vector<std::string> mismatches;  // one sentence each; empty when all reconcile
};

class Ledger {
 public:
  explicit Ledger(const Clock& clock) : clock_(clock) {}

  // Posts `t` inside the caller's write transaction `s`: creates the accounts it names, writes
  // the transaction and its postings and moves the balances. A reference posted before returns
  // that transaction with created = false and writes nothing.
  // Errors: kUnprocessable "unbalanced" (the postings do not sum to zero), "unknown_currency",
  // "amount_overflow" (a balance or sum would leave 64 bits); database failures are thrown as
  // SOCI's exceptions (the caller's transaction fails).
  [[nodiscard]] Result<PostResult> Post(soci::session& s, const NewTransaction& t) const;

  // Reverses transaction `id` inside `s`: a "reversal" transaction with the postings negated,
  // `reason` and `author_id`, reference "reversal:<id>". Returns it.
  // Errors: kNotFound (no such transaction); kConflict "already_reversed" (a retry included),
  // "is_reversal" (a reversal is not reversed; post an adjustment).
  [[nodiscard]] Result<Transaction> Reverse(soci::session& s, std::int64_t id,
                                            std::int64_t author_id, std::string_view reason) const;

  // The transaction `id` with its postings, read on `s`. Errors: kNotFound.
  [[nodiscard]] static Result<Transaction> Get(soci::session& s, std::int64_t id);

  // The balance of an account (0 when it does not exist yet), read on `s`.
  static std::int64_t Balance(soci::session& s, const AccountRef& account,
                              std::string_view currency);

  // Verifies the whole ledger in one read snapshot: every transaction's postings sum to zero
  // and are in its currency, every account's balance equals the sum of its postings, every
  // invoice's lines sum to its total and to the lab charges it names, every paid invoice's
  // payment transaction credits the lab's receivable and debits the platform's cash by exactly
  // its total, every paid payout line equals its payout transaction. Errors: database failures only
  // (a mismatch is a finding).
  [[nodiscard]] static Result<CheckReport> Check(db::Database& db);

  const Clock& clock() const { return clock_; }

 private:
  const Clock& clock_;
};

}  // namespace fw::pay
