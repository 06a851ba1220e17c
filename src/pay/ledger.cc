#include "pay/ledger.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "base/money.h"
#include "db/query.h"

namespace fw::pay {

namespace {

bool ParseAccountKind(std::string_view name, AccountKind* out) {
  for (AccountKind k : {AccountKind::kExpertPayable, AccountKind::kLabReceivable,
                        AccountKind::kPlatformRevenue, AccountKind::kPlatformCash}) {
    if (AccountKindName(k) == name) {
      *out = k;
      return true;
    }
  }
  return false;
}

// The account's id, made when it does not exist yet.
std::int64_t AccountId(soci::session& s, const AccountRef& a, const std::string& currency,
                       UnixSeconds now) {
  const std::string kind(AccountKindName(a.kind));
  long long id = 0;
  if (db::Query(s,
                "SELECT id FROM ledger_accounts WHERE kind = :k AND currency = :c AND "
                "owner_id = :o")
          .Bind(kind)
          .Bind(currency)
          .Bind(static_cast<long long>(a.owner_id))
          .One(id)) {
    return id;
  }
  std::optional<long long> org, expert;
  if (a.kind == AccountKind::kLabReceivable) org = a.owner_id;
  if (a.kind == AccountKind::kExpertPayable) expert = a.owner_id;
  db::Query(s,
            "INSERT INTO ledger_accounts (kind, currency, owner_id, org_id, expert_id, "
            "balance_minor, created_at) VALUES (:k, :c, :o, :org, :e, 0, :t) ON CONFLICT (kind, "
            "currency, owner_id) DO NOTHING")
      .Bind(kind)
      .Bind(currency)
      .Bind(static_cast<long long>(a.owner_id))
      .Bind(org)
      .Bind(expert)
      .Bind(static_cast<long long>(now))
      .Run();
  db::Query(s, "SELECT id FROM ledger_accounts WHERE kind = :k AND currency = :c AND owner_id = :o")
      .Bind(kind)
      .Bind(currency)
      .Bind(static_cast<long long>(a.owner_id))
      .One(id);
  return id;
}

// On PostgreSQL, takes the ledger's lock for `currency` until the transaction ends. A
// transaction may post many times (the automatic acceptance posts a batch) and each posting
// locks several account rows, so two transactions could otherwise take the same rows in
// opposite orders and deadlock; taken first, this lock orders them. SQLite's one writer
// already does.
void LockCurrency(soci::session& s, const std::string& currency) {
  if (s.get_backend_name() != "postgresql") return;
  long long key = 0x46574c47LL;  // "FWLG", then the code's three letters
  for (std::size_t i = 0; i < 3; ++i) {
    key = key << 8 | (i < currency.size() ? static_cast<unsigned char>(currency[i]) : 0);
  }
  db::Query(s, "SELECT 1 FROM (SELECT pg_advisory_xact_lock(:k)) AS locked").Bind(key).Run();
}

tl::unexpected<Error> Overflow() {
  return Fail(ErrorCode::kUnprocessable, "the amount is too large", {}, "amount_overflow");
}

}  // namespace

std::string_view AccountKindName(AccountKind kind) {
  switch (kind) {
    case AccountKind::kExpertPayable:
      return "expert_payable";
    case AccountKind::kLabReceivable:
      return "lab_receivable";
    case AccountKind::kPlatformRevenue:
      return "platform_revenue";
    case AccountKind::kPlatformCash:
      return "platform_cash";
  }
  FW_CHECK(false);
}

Result<PostResult> Ledger::Post(soci::session& s, const NewTransaction& t) const {
  if (!FindCurrency(t.currency)) {
    return Fail(ErrorCode::kUnprocessable, "unknown currency " + t.currency,
                {{"currency", "unknown_currency", "not an ISO 4217 code"}}, "unknown_currency");
  }
  std::int64_t sum = 0;
  for (const Posting& p : t.postings) {
    auto next = CheckedAdd(sum, p.amount_minor);
    if (!next) return Overflow();
    sum = *next;
  }
  if (sum != 0) {
    return Fail(ErrorCode::kUnprocessable,
                fmt::format("the postings of {} sum to {}, not zero", t.reference, sum), {},
                "unbalanced");
  }
  LockCurrency(s, t.currency);
  const UnixSeconds now = clock_.Now();
  auto opt = [](const std::optional<std::int64_t>& v) -> std::optional<long long> {
    if (!v) return std::nullopt;
    return static_cast<long long>(*v);
  };
  long long id = 0;
  // ON CONFLICT: a second poster of the same reference (a retry, or a concurrent transaction
  // that waited for the first one's commit on PostgreSQL) inserts nothing.
  if (!db::Query(s,
                 "INSERT INTO ledger_transactions (kind, reference, currency, outcome, reason, "
                 "author_id, reverses, org_id, project_id, expert_id, submission_id, seconds, "
                 "created_at) VALUES (:k, :r, :c, :out, :why, :a, :rev, :o, :p, :e, :sub, :sec, "
                 ":t) ON CONFLICT (reference) DO NOTHING RETURNING id")
           .Bind(t.kind)
           .Bind(t.reference)
           .Bind(t.currency)
           .Bind(t.outcome)
           .Bind(t.reason)
           .Bind(opt(t.author_id))
           .Bind(opt(t.reverses))
           .Bind(opt(t.org_id))
           .Bind(opt(t.project_id))
           .Bind(opt(t.expert_id))
           .Bind(opt(t.submission_id))
           .Bind(opt(t.seconds))
           .Bind(static_cast<long long>(now))
           .One(id)) {
    db::Query(s, "SELECT id FROM ledger_transactions WHERE reference = :r")
        .Bind(t.reference)
        .One(id);
    return PostResult{id, false};
  }
  // Accounts in id order, each once, so concurrent transactions lock them in the same order.
  std::map<std::int64_t, std::int64_t> by_account;
  for (const Posting& p : t.postings) {
    if (p.amount_minor == 0) continue;
    const std::int64_t account = AccountId(s, p.account, t.currency, now);
    auto next = CheckedAdd(by_account[account], p.amount_minor);
    if (!next) return Overflow();
    by_account[account] = *next;
  }
  for (const auto& [account, amount] : by_account) {
    if (amount == 0) continue;
    long long balance = 0;
    db::Query(s, "SELECT balance_minor FROM ledger_accounts WHERE id = :id")
        .Bind(static_cast<long long>(account))
        .One(balance);
    if (!CheckedAdd(balance, amount)) return Overflow();
    db::Query(s, "UPDATE ledger_accounts SET balance_minor = balance_minor + :a WHERE id = :id")
        .Bind(static_cast<long long>(amount))
        .Bind(static_cast<long long>(account))
        .Run();
    db::Query(s,
              "INSERT INTO ledger_postings (transaction_id, account_id, amount_minor) VALUES "
              "(:t, :a, :m)")
        .Bind(id)
        .Bind(static_cast<long long>(account))
        .Bind(static_cast<long long>(amount))
        .Run();
  }
  return PostResult{id, true};
}

Result<Transaction> Ledger::Get(soci::session& s, std::int64_t id) {
  Transaction t;
  long long tid = 0, created = 0;
  std::optional<long long> author, reverses, org, project, expert, submission, seconds;
  if (!db::Query(s,
                 "SELECT id, kind, reference, currency, outcome, reason, author_id, reverses, "
                 "org_id, project_id, expert_id, submission_id, seconds, created_at FROM "
                 "ledger_transactions WHERE id = :id")
           .Bind(static_cast<long long>(id))
           .One(tid, t.kind, t.reference, t.currency, t.outcome, t.reason, author, reverses, org,
                project, expert, submission, seconds, created)) {
    return NotFound("no such transaction");
  }
  t.id = tid;
  t.created_at = created;
  auto conv = [](const std::optional<long long>& v) -> std::optional<std::int64_t> {
    if (!v) return std::nullopt;
    return static_cast<std::int64_t>(*v);
  };
  t.author_id = conv(author);
  t.reverses = conv(reverses);
  t.org_id = conv(org);
  t.project_id = conv(project);
  t.expert_id = conv(expert);
  t.submission_id = conv(submission);
  t.seconds = conv(seconds);
  std::string kind;
  long long owner = 0, amount = 0;
  db::Query(s,
            "SELECT a.kind, a.owner_id, p.amount_minor FROM ledger_postings p JOIN "
            "ledger_accounts a ON a.id = p.account_id WHERE p.transaction_id = :t ORDER BY p.id")
      .Bind(static_cast<long long>(id))
      .Each(
          [&] {
            Transaction::Line line;
            FW_CHECK(ParseAccountKind(kind, &line.kind));
            line.owner_id = owner;
            line.amount_minor = amount;
            t.postings.push_back(line);
            return true;
          },
          kind, owner, amount);
  return t;
}

Result<Transaction> Ledger::Reverse(soci::session& s, std::int64_t id, std::int64_t author_id,
                                    std::string_view reason) const {
  FW_TRY(Transaction original, Get(s, id));
  if (original.kind == kReversal) {
    return Conflict("a reversal is not reversed; post an adjustment instead", "is_reversal");
  }
  NewTransaction r;
  r.kind = std::string(kReversal);
  r.reference = fmt::format("reversal:{}", id);
  r.currency = original.currency;
  r.outcome = original.outcome;
  r.reason = std::string(reason);
  r.author_id = author_id;
  r.reverses = id;
  r.org_id = original.org_id;
  r.project_id = original.project_id;
  r.expert_id = original.expert_id;
  r.submission_id = original.submission_id;
  if (original.seconds) r.seconds = -*original.seconds;
  for (const Transaction::Line& line : original.postings) {
    auto negated = CheckedSub(0, line.amount_minor);
    if (!negated) return Overflow();
    r.postings.push_back({{line.kind, line.owner_id}, *negated});
  }
  FW_TRY(PostResult posted, Post(s, r));
  if (!posted.created) return Conflict("the transaction was reversed already", "already_reversed");
  return Get(s, posted.transaction_id);
}

std::int64_t Ledger::Balance(soci::session& s, const AccountRef& account,
                             std::string_view currency) {
  long long balance = 0;
  db::Query(s,
            "SELECT balance_minor FROM ledger_accounts WHERE kind = :k AND currency = :c AND "
            "owner_id = :o")
      .Bind(std::string(AccountKindName(account.kind)))
      .Bind(std::string(currency))
      .Bind(static_cast<long long>(account.owner_id))
      .One(balance);
  return balance;
}

namespace {

// Every transaction sums to zero, every account's balance is the sum of its postings, every
// posting is in its transaction's currency.
void CheckPostings(soci::session& s, CheckReport& r) {
  long long id = 0;
  std::string text;
  // Each transaction's postings, summed in 128 bits: SQL's SUM could overflow.
  {
    __extension__ typedef __int128 Int128;
    std::map<long long, Int128> sums;
    long long t = 0, amount = 0;
    db::Query(s, "SELECT transaction_id, amount_minor FROM ledger_postings")
        .Each(
            [&] {
              sums[t] += amount;
              return true;
            },
            t, amount);
    for (const auto& [tid, total] : sums) {
      if (total != 0) {
        r.mismatches.push_back(fmt::format("transaction {} does not sum to zero", tid));
      }
    }
    std::map<long long, Int128> balances;
    long long account = 0;
    db::Query(s, "SELECT account_id, amount_minor FROM ledger_postings")
        .Each(
            [&] {
              balances[account] += amount;
              return true;
            },
            account, amount);
    long long balance = 0;
    db::Query(s, "SELECT id, balance_minor FROM ledger_accounts ORDER BY id")
        .Each(
            [&] {
              auto it = balances.find(account);
              const Int128 expected = it == balances.end() ? 0 : it->second;
              if (expected != balance) {
                r.mismatches.push_back(
                    fmt::format("account {} has balance {} but its postings sum to {}", account,
                                balance, static_cast<long long>(expected)));
              }
              return true;
            },
            account, balance);
  }
  db::Query(s,
            "SELECT t.id, a.currency FROM ledger_postings p JOIN ledger_transactions t ON t.id "
            "= p.transaction_id JOIN ledger_accounts a ON a.id = p.account_id WHERE a.currency "
            "<> t.currency")
      .Each(
          [&] {
            r.mismatches.push_back(
                fmt::format("transaction {} posts to an account in {}", id, text));
            return true;
          },
          id, text);
}

// Each row (id, total, sum of its parts) of `q` whose two differ is a mismatch, said as
// "<what> <id> totals <total> but <parts> sum to <sum>".
void CheckTotals(db::Query q, std::string_view what, std::string_view parts, CheckReport& r) {
  long long id = 0, total = 0, sum = 0;
  q.Each(
      [&] {
        if (total != sum) {
          r.mismatches.push_back(
              fmt::format("{} {} totals {} but {} sum to {}", what, id, total, parts, sum));
        }
        return true;
      },
      id, total, sum);
}

// Invoices reconcile with their lines and the lab charges they name; a paid one with its
// payment.
void CheckInvoices(soci::session& s, CheckReport& r) {
  long long n = 0, id = 0, sum = 0;
  // Invoices: total = lines = the lab charges of the transactions they name.
  db::Query(s, "SELECT COUNT(*) FROM invoices").One(n);
  r.invoices = n;
  CheckTotals(db::Query(s,
                        "SELECT i.id, i.total_minor, COALESCE((SELECT SUM(l.amount_minor) FROM "
                        "invoice_lines l WHERE l.invoice_id = i.id), 0) FROM invoices i"),
              "invoice", "its lines", r);
  CheckTotals(
      db::Query(s,
                "SELECT i.id, i.total_minor, COALESCE((SELECT SUM(p.amount_minor) FROM "
                "invoice_transactions it JOIN ledger_postings p ON p.transaction_id = "
                "it.transaction_id JOIN ledger_accounts a ON a.id = p.account_id WHERE "
                "it.invoice_id = i.id AND a.kind = 'lab_receivable' AND a.owner_id = i.org_id), "
                "0) FROM invoices i"),
      "invoice", "the lab charges it names", r);
  // Paid invoices: the payment transaction is the invoice's, in its currency, and moves
  // exactly its total from the lab's receivable to the platform's cash.
  db::Query(s, "SELECT COUNT(*) FROM invoices WHERE paid_at IS NOT NULL").One(n);
  r.paid_invoices = n;
  long long receivable = 0, cash = 0;
  std::string reference, kind;
  std::optional<long long> payment;
  db::Query(s,
            "SELECT i.id, i.total_minor, i.payment_transaction_id, COALESCE(t.reference, ''), "
            "COALESCE(t.kind, ''), COALESCE((SELECT SUM(p.amount_minor) FROM ledger_postings p "
            "JOIN ledger_accounts a ON a.id = p.account_id WHERE p.transaction_id = t.id AND "
            "a.kind = 'lab_receivable' AND a.owner_id = i.org_id AND a.currency = i.currency), "
            "0), COALESCE((SELECT SUM(p.amount_minor) FROM ledger_postings p JOIN "
            "ledger_accounts a ON a.id = p.account_id WHERE p.transaction_id = t.id AND a.kind = "
            "'platform_cash' AND a.currency = i.currency), 0) FROM invoices i LEFT JOIN "
            "ledger_transactions t ON t.id = i.payment_transaction_id WHERE i.paid_at IS NOT "
            "NULL")
      .Each(
          [&] {
            if (!payment || reference != fmt::format("invoice:{}", id) ||
                kind != kInvoicePayment) {
              r.mismatches.push_back(fmt::format(
                  "invoice {} is paid but names no payment transaction of its own", id));
            } else if (receivable != -sum || cash != sum) {
              r.mismatches.push_back(fmt::format(
                  "invoice {} totals {} but its payment credits the lab {} and debits cash {}",
                  id, sum, -receivable, cash));
            }
            return true;
          },
          id, sum, payment, reference, kind, receivable, cash);
}

void CheckPayouts(soci::session& s, CheckReport& r) {
  long long n = 0, id = 0, sum = 0, other = 0;
  // Payouts: the total is the lines'; a paid batch's lines each equal their transaction's
  // debit of the expert's payable account.
  db::Query(s, "SELECT COUNT(*) FROM payout_batches").One(n);
  r.payouts = n;
  CheckTotals(db::Query(s,
                        "SELECT b.id, b.total_minor, COALESCE((SELECT SUM(l.amount_minor) FROM "
                        "payout_lines l WHERE l.batch_id = b.id), 0) FROM payout_batches b"),
              "payout", "its lines", r);
  long long expert = 0;
  db::Query(
      s,
      "SELECT l.batch_id, l.expert_id, l.amount_minor, COALESCE((SELECT SUM(p.amount_minor) "
      "FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE "
      "p.transaction_id = l.transaction_id AND a.kind = 'expert_payable' AND a.owner_id = "
      "l.expert_id), 0) FROM payout_lines l JOIN payout_batches b ON b.id = l.batch_id "
      "WHERE b.status = 'paid'")
      .Each(
          [&] {
            if (sum != other) {
              r.mismatches.push_back(
                  fmt::format("payout {} pays expert {} {} but its transaction posts {}", id,
                              expert, sum, other));
            }
            return true;
          },
          id, expert, sum, other);
}

}  // namespace

Result<CheckReport> Ledger::Check(db::Database& db) {
  return db.ReadSnapshot<CheckReport>([](soci::session& s) -> Result<CheckReport> {
    CheckReport r;
    long long n = 0;
    db::Query(s, "SELECT COUNT(*) FROM ledger_transactions").One(n);
    r.transactions = n;
    db::Query(s, "SELECT COUNT(*) FROM ledger_accounts").One(n);
    r.accounts = n;
    CheckPostings(s, r);
    CheckInvoices(s, r);
    CheckPayouts(s, r);
    return r;
  });
}

}  // namespace fw::pay
