#include "pay/billing.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "base/money.h"
#include "db/query.h"

namespace fw::pay {

namespace {

using ll = long long;

std::optional<std::int64_t> Opt(const std::optional<ll>& v) {
  if (!v) return std::nullopt;
  return static_cast<std::int64_t>(*v);
}

#define FW_INVOICE_COLUMNS                                                          \
  "i.id, i.org_id, o.name, i.currency, i.period_from, i.period_to, i.total_minor, " \
  "COALESCE(i.issued_by, 0), i.issued_at, i.paid_at, i.paid_by, "                   \
  "i.payment_transaction_id FROM invoices i JOIN orgs o ON o.id = i.org_id "

struct InvoiceRow {
  ll id = 0, org = 0, from = 0, to = 0, total = 0, by = 0, at = 0;
  std::string org_name, currency;
  std::optional<ll> paid_at, paid_by, payment;
  Invoice ToInvoice() const {
    Invoice v;
    v.id = id;
    v.org_id = org;
    v.org_name = org_name;
    v.currency = currency;
    v.from = from;
    v.to = to;
    v.total_minor = total;
    v.issued_by = by;
    v.issued_at = at;
    v.paid_at = Opt(paid_at);
    v.paid_by = Opt(paid_by);
    v.payment_transaction_id = Opt(payment);
    return v;
  }
};
#define FW_INVOICE_OUT(r)                                                                       \
  r.id, r.org, r.org_name, r.currency, r.from, r.to, r.total, r.by, r.at, r.paid_at, r.paid_by, \
      r.payment

void ReadLines(soci::session& s, Invoice& v) {
  InvoiceLine line;
  std::optional<ll> project;
  std::optional<std::string> name;
  ll tasks = 0, amount = 0;
  db::Query(s,
            "SELECT l.project_id, p.name, l.tasks, l.amount_minor FROM invoice_lines l LEFT JOIN "
            "projects p ON p.id = l.project_id WHERE l.invoice_id = :i ORDER BY l.line")
      .Bind(static_cast<ll>(v.id))
      .Each(
          [&] {
            v.lines.push_back({Opt(project), name.value_or(""), tasks, amount});
            return true;
          },
          project, name, tasks, amount);
}

void ReadPayoutLines(soci::session& s, Payout& p) {
  ll expert = 0, amount = 0;
  std::optional<ll> tx;
  std::string name, email;
  db::Query(s,
            "SELECT l.expert_id, u.name, u.email, l.amount_minor, l.transaction_id FROM "
            "payout_lines l JOIN users u ON u.id = l.expert_id WHERE l.batch_id = :b ORDER BY "
            "u.name, l.expert_id")
      .Bind(static_cast<ll>(p.id))
      .Each(
          [&] {
            p.lines.push_back({expert, name, email, amount, Opt(tx)});
            return true;
          },
          expert, name, email, amount, tx);
}

std::optional<Payout> ReadPayout(soci::session& s, std::int64_t id) {
  Payout p;
  ll pid = 0, total = 0, by = 0, at = 0;
  std::optional<ll> paid_by, paid_at;
  if (!db::Query(s,
                 "SELECT id, currency, status, total_minor, COALESCE(created_by, 0), created_at, "
                 "paid_by, paid_at FROM payout_batches WHERE id = :b")
           .Bind(static_cast<ll>(id))
           .One(pid, p.currency, p.status, total, by, at, paid_by, paid_at)) {
    return std::nullopt;
  }
  p.id = pid;
  p.total_minor = total;
  p.created_by = by;
  p.created_at = at;
  p.paid_by = Opt(paid_by);
  p.paid_at = Opt(paid_at);
  ReadPayoutLines(s, p);
  return p;
}

// Runs `sql`, which selects a statement line's columns (transaction id, time, kind, outcome,
// project id and name, submission id, seconds, the amount posted to the expert's payable
// account, currency, reason) for expert :e in [:f, :t), and passes each line to `on_line`
// with the amount as the expert sees it (earned positive).
template <typename OnLine>
void EachStatementLine(soci::session& s, const char* sql, std::int64_t expert_id, UnixSeconds from,
                       UnixSeconds to, OnLine on_line) {
  StatementLine line;
  ll tid = 0, at = 0, amount = 0;
  std::optional<ll> project, submission, seconds;
  std::optional<std::string> project_name;
  db::Query(s, sql)
      .Bind(static_cast<ll>(expert_id))
      .Bind(static_cast<ll>(from))
      .Bind(static_cast<ll>(to))
      .Each(
          [&] {
            line.transaction_id = tid;
            line.at = at;
            line.project_id = Opt(project);
            line.project_name = project_name.value_or("");
            line.submission_id = Opt(submission);
            line.seconds = Opt(seconds);
            line.amount_minor = -amount;
            on_line(line);
            return true;
          },
          tid, at, line.kind, line.outcome, project, project_name, submission, seconds, amount,
          line.currency, line.reason);
}

}  // namespace

BillingService::BillingService(db::Database& db, const Clock& clock,
                               const tenancy::Tenancy& tenancy, const Ledger& ledger)
    : db_(db), clock_(clock), tenancy_(tenancy), ledger_(ledger) {}

Result<Statement> BillingService::StatementOf(std::int64_t expert_id, UnixSeconds from,
                                              UnixSeconds to) {
  if (to <= from) {
    return InvalidArgument("to: after from", {{"to", "before_from", "a day after `from`"}});
  }
  if (to - from > kMaxStatementDays * 86400) {
    return InvalidArgument("to: the period is too long",
                           {{"to", "too_long", fmt::format("at most {} days", kMaxStatementDays)}});
  }
  return db_.ReadSnapshot<Statement>([&](soci::session& s) -> Result<Statement> {
    Statement st;
    st.from = from;
    st.to = to;
    std::map<std::string, StatementTotal> totals;
    std::string currency;
    std::optional<ll> opening;
    db::Query(s,
              "SELECT a.currency, (SELECT SUM(p.amount_minor) FROM ledger_postings p JOIN "
              "ledger_transactions t ON t.id = p.transaction_id WHERE p.account_id = a.id AND "
              "t.created_at < :f) FROM ledger_accounts a WHERE a.kind = 'expert_payable' AND "
              "a.owner_id = :e ORDER BY a.currency")
        .Bind(static_cast<ll>(from))
        .Bind(static_cast<ll>(expert_id))
        .Each(
            [&] {
              StatementTotal& t = totals[currency];
              t.currency = currency;
              t.opening_minor = -opening.value_or(0);
              return true;
            },
            currency, opening);
    EachStatementLine(
        s,
        "SELECT t.id, t.created_at, t.kind, t.outcome, t.project_id, pr.name, t.submission_id, "
        "t.seconds, p.amount_minor, t.currency, t.reason FROM ledger_postings p JOIN "
        "ledger_accounts a ON a.id = p.account_id JOIN ledger_transactions t ON t.id = "
        "p.transaction_id LEFT JOIN projects pr ON pr.id = t.project_id WHERE a.kind = "
        "'expert_payable' AND a.owner_id = :e AND t.created_at >= :f AND t.created_at < :t "
        "ORDER BY t.created_at, t.id",
        expert_id, from, to, [&](const StatementLine& line) {
          StatementTotal& t = totals[line.currency];
          t.currency = line.currency;
          if (line.kind == kPayout) {
            t.paid_minor -= line.amount_minor;
          } else {
            t.earned_minor += line.amount_minor;
          }
          st.lines.push_back(line);
        });
    // Decisions that paid the expert nothing (spam, or no payable time) still say so.
    EachStatementLine(
        s,
        "SELECT t.id, t.created_at, t.kind, t.outcome, t.project_id, pr.name, t.submission_id, "
        "t.seconds, CAST(0 AS BIGINT), t.currency, t.reason FROM ledger_transactions t LEFT JOIN "
        "projects pr ON pr.id = t.project_id WHERE t.expert_id = :e AND t.created_at >= :f AND "
        "t.created_at < :t AND t.kind = 'decision' AND NOT EXISTS (SELECT 1 FROM "
        "ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE p.transaction_id "
        "= t.id AND a.kind = 'expert_payable')",
        expert_id, from, to, [&](const StatementLine& line) { st.lines.push_back(line); });
    std::stable_sort(st.lines.begin(), st.lines.end(),
                     [](const StatementLine& a, const StatementLine& b) {
                       return a.at != b.at ? a.at < b.at : a.transaction_id < b.transaction_id;
                     });
    for (auto& [code, t] : totals) {
      t.balance_minor = t.opening_minor + t.earned_minor - t.paid_minor;
      st.totals.push_back(t);
    }
    return st;
  });
}

Result<Invoice> BillingService::IssueInvoice(const Caller& op, std::int64_t org_id,
                                             UnixSeconds from, UnixSeconds to) {
  if (to <= from) {
    return InvalidArgument("to: after from", {{"to", "before_from", "a day after `from`"}});
  }
  const UnixSeconds now = clock_.Now();
  return db_.Write<Invoice>([&](soci::session& s) -> Result<Invoice> {
    tenancy::LabScope lab = tenancy_.Scope(s, org_id);
    ll exists = 0;
    if (!lab.Query("SELECT id FROM orgs WHERE id = :org").One(exists)) {
      return NotFound("no such lab");
    }
    // The lab's charges in the period not invoiced yet, by project.
    struct Group {
      std::optional<ll> project;
      ll tasks = 0, amount = 0;
    };
    std::vector<ll> transactions;
    std::string currency;
    ll tx = 0, amount = 0;
    std::optional<ll> project;
    std::string kind, outcome;
    std::map<std::optional<ll>, Group> by_project;
    lab.Query(
           "SELECT t.id, t.currency, t.project_id, t.kind, t.outcome, p.amount_minor FROM "
           "ledger_transactions t JOIN ledger_postings p ON p.transaction_id = t.id JOIN "
           "ledger_accounts a ON a.id = p.account_id WHERE a.kind = 'lab_receivable' AND "
           "a.owner_id = :org AND t.created_at >= :f AND t.created_at < :t AND t.kind <> "
           "'invoice_payment' AND NOT EXISTS (SELECT 1 FROM ledger_transactions o WHERE o.id = "
           "t.reverses AND o.kind = 'invoice_payment') AND NOT EXISTS (SELECT 1 FROM "
           "invoice_transactions it WHERE it.transaction_id = t.id) ORDER BY t.id")
        .Bind(static_cast<ll>(from))
        .Bind(static_cast<ll>(to))
        .Each(
            [&] {
              transactions.push_back(tx);
              Group& g = by_project[project];
              g.project = project;
              g.amount += amount;
              const bool accepted = outcome == "accepted" || outcome == "auto_accepted";
              if (accepted && kind == kDecision) ++g.tasks;
              if (accepted && kind == kReversal) --g.tasks;
              return true;
            },
            tx, currency, project, kind, outcome, amount);
    if (transactions.empty()) {
      return Conflict("the lab has no charges in the period that are not invoiced yet",
                      "nothing_to_invoice");
    }
    ll total = 0;
    for (const auto& [key, g] : by_project) total += g.amount;
    ll id = 0;
    db::Query(s,
              "INSERT INTO invoices (org_id, currency, period_from, period_to, total_minor, "
              "issued_by, issued_at) VALUES (:o, :c, :f, :t, :x, :by, :at) RETURNING id")
        .Bind(static_cast<ll>(org_id))
        .Bind(currency)
        .Bind(static_cast<ll>(from))
        .Bind(static_cast<ll>(to))
        .Bind(total)
        .Bind(static_cast<ll>(op.user_id))
        .Bind(static_cast<ll>(now))
        .One(id);
    int line = 0;
    for (const auto& [key, g] : by_project) {
      db::Query(s,
                "INSERT INTO invoice_lines (invoice_id, line, org_id, project_id, tasks, "
                "amount_minor) VALUES (:i, :l, :o, :p, :n, :x)")
          .Bind(id)
          .Bind(++line)
          .Bind(static_cast<ll>(org_id))
          .Bind(g.project)
          .Bind(g.tasks)
          .Bind(g.amount)
          .Run();
    }
    for (ll t : transactions) {
      db::Query(s, "INSERT INTO invoice_transactions (transaction_id, invoice_id) VALUES (:t, :i)")
          .Bind(t)
          .Bind(id)
          .Run();
    }
    InvoiceRow r;
    db::Query(s, "SELECT " FW_INVOICE_COLUMNS "WHERE i.id = :i").Bind(id).One(FW_INVOICE_OUT(r));
    Invoice v = r.ToInvoice();
    ReadLines(s, v);
    return v;
  });
}

Result<std::vector<Invoice>> BillingService::Invoices(const Caller& caller) {
  return db_.ReadSnapshot<std::vector<Invoice>>(
      [&](soci::session& s) -> Result<std::vector<Invoice>> {
        std::vector<Invoice> out;
        InvoiceRow r;
        auto on_row = [&] {
          out.push_back(r.ToInvoice());
          return true;
        };
        if (caller.IsOperator()) {
          db::Query(s,
                    "SELECT " FW_INVOICE_COLUMNS "ORDER BY i.issued_at DESC, i.id DESC LIMIT 500")
              .Each(on_row, FW_INVOICE_OUT(r));
        } else {
          tenancy_.Scope(s, caller.org_id)
              .Query("SELECT " FW_INVOICE_COLUMNS
                     "WHERE i.org_id = :org ORDER BY i.issued_at DESC, i.id DESC LIMIT 500")
              .Each(on_row, FW_INVOICE_OUT(r));
        }
        for (Invoice& v : out) ReadLines(s, v);
        return out;
      });
}

Result<Invoice> BillingService::GetInvoice(const Caller& caller, std::int64_t id) {
  return db_.ReadSnapshot<Invoice>([&](soci::session& s) -> Result<Invoice> {
    InvoiceRow r;
    bool found = false;
    if (caller.IsOperator()) {
      found = db::Query(s, "SELECT " FW_INVOICE_COLUMNS "WHERE i.id = :i")
                  .Bind(static_cast<ll>(id))
                  .One(FW_INVOICE_OUT(r));
    } else {
      found = tenancy_.Scope(s, caller.org_id)
                  .Query("SELECT " FW_INVOICE_COLUMNS "WHERE i.org_id = :org AND i.id = :i")
                  .Bind(static_cast<ll>(id))
                  .One(FW_INVOICE_OUT(r));
    }
    if (!found) return NotFound("no such invoice");
    Invoice v = r.ToInvoice();
    ReadLines(s, v);
    return v;
  });
}

Result<Invoice> BillingService::MarkInvoicePaid(const Caller& op, std::int64_t id) {
  const UnixSeconds now = clock_.Now();
  return db_.Write<Invoice>([&](soci::session& s) -> Result<Invoice> {
    InvoiceRow r;
    if (!db::Query(s, "SELECT " FW_INVOICE_COLUMNS "WHERE i.id = :i")
             .Bind(static_cast<ll>(id))
             .One(FW_INVOICE_OUT(r))) {
      return NotFound("no such invoice");
    }
    if (!r.paid_at) {
      NewTransaction t;
      t.kind = std::string(kInvoicePayment);
      t.reference = fmt::format("invoice:{}", id);
      t.currency = r.currency;
      t.reason = fmt::format("payment of invoice {}", id);
      t.author_id = op.user_id;
      t.org_id = r.org;
      t.postings = {{{AccountKind::kPlatformCash, 0}, r.total},
                    {{AccountKind::kLabReceivable, r.org}, -r.total}};
      FW_TRY(PostResult posted, ledger_.Post(s, t));
      // The guard on paid_at keeps the first payment's record when two calls race.
      db::Query(s,
                "UPDATE invoices SET paid_at = :at, paid_by = :by, payment_transaction_id = :t "
                "WHERE id = :i AND paid_at IS NULL")
          .Bind(static_cast<ll>(now))
          .Bind(static_cast<ll>(op.user_id))
          .Bind(static_cast<ll>(posted.transaction_id))
          .Bind(static_cast<ll>(id))
          .Run();
      db::Query(s, "SELECT " FW_INVOICE_COLUMNS "WHERE i.id = :i")
          .Bind(static_cast<ll>(id))
          .One(FW_INVOICE_OUT(r));
    }
    Invoice v = r.ToInvoice();
    ReadLines(s, v);
    return v;
  });
}

Result<Payout> BillingService::CreatePayout(const Caller& op, const std::string& currency) {
  if (!FindCurrency(currency)) {
    return InvalidArgument("currency: an ISO 4217 code",
                           {{"currency", "unknown_currency", "an ISO 4217 code such as USD"}});
  }
  const UnixSeconds now = clock_.Now();
  return db_.Write<Payout>([&](soci::session& s) -> Result<Payout> {
    ll open = 0;
    if (db::Query(s, "SELECT id FROM payout_batches WHERE currency = :c AND status = 'open'")
            .Bind(currency)
            .One(open)) {
      return Conflict("a payout batch in " + currency + " is open; mark it paid first",
                      "payout_open");
    }
    std::vector<std::pair<ll, ll>> lines;
    ll expert = 0, balance = 0, total = 0;
    db::Query(s,
              "SELECT owner_id, balance_minor FROM ledger_accounts WHERE kind = 'expert_payable' "
              "AND currency = :c AND balance_minor < 0 ORDER BY owner_id")
        .Bind(currency)
        .Each(
            [&] {
              lines.emplace_back(expert, -balance);
              total += -balance;
              return true;
            },
            expert, balance);
    if (lines.empty())
      return Conflict("no expert is owed anything in " + currency, "nothing_to_pay");
    ll id = 0;
    db::Query(s,
              "INSERT INTO payout_batches (currency, status, total_minor, created_by, created_at) "
              "VALUES (:c, 'open', :x, :by, :at) RETURNING id")
        .Bind(currency)
        .Bind(total)
        .Bind(static_cast<ll>(op.user_id))
        .Bind(static_cast<ll>(now))
        .One(id);
    for (const auto& [e, amount] : lines) {
      db::Query(s,
                "INSERT INTO payout_lines (batch_id, expert_id, amount_minor) VALUES (:b, :e, :x)")
          .Bind(id)
          .Bind(e)
          .Bind(amount)
          .Run();
    }
    return *ReadPayout(s, id);
  });
}

Result<std::vector<Payout>> BillingService::Payouts() {
  return db_.ReadSnapshot<std::vector<Payout>>(
      [&](soci::session& s) -> Result<std::vector<Payout>> {
        std::vector<ll> ids;
        ll id = 0;
        db::Query(s, "SELECT id FROM payout_batches ORDER BY id DESC LIMIT 200")
            .Each(
                [&] {
                  ids.push_back(id);
                  return true;
                },
                id);
        std::vector<Payout> out;
        for (ll b : ids) out.push_back(*ReadPayout(s, b));
        return out;
      });
}

Result<Payout> BillingService::GetPayout(std::int64_t id) {
  return db_.ReadSnapshot<Payout>([&](soci::session& s) -> Result<Payout> {
    auto p = ReadPayout(s, id);
    if (!p) return NotFound("no such payout batch");
    return *p;
  });
}

Result<Payout> BillingService::MarkPaid(const Caller& op, std::int64_t id) {
  const UnixSeconds now = clock_.Now();
  return db_.Write<Payout>([&](soci::session& s) -> Result<Payout> {
    auto p = ReadPayout(s, id);
    if (!p) return NotFound("no such payout batch");
    if (p->status == "paid") return *p;
    for (const PayoutLine& line : p->lines) {
      NewTransaction t;
      t.kind = std::string(kPayout);
      t.reference = fmt::format("payout:{}:{}", id, line.expert_id);
      t.currency = p->currency;
      t.reason = fmt::format("payout batch {}", id);
      t.author_id = op.user_id;
      t.expert_id = line.expert_id;
      t.postings = {{{AccountKind::kExpertPayable, line.expert_id}, line.amount_minor},
                    {{AccountKind::kPlatformCash, 0}, -line.amount_minor}};
      FW_TRY(PostResult posted, ledger_.Post(s, t));
      db::Query(
          s, "UPDATE payout_lines SET transaction_id = :t WHERE batch_id = :b AND expert_id = :e")
          .Bind(static_cast<ll>(posted.transaction_id))
          .Bind(static_cast<ll>(id))
          .Bind(static_cast<ll>(line.expert_id))
          .Run();
    }
    db::Query(s,
              "UPDATE payout_batches SET status = 'paid', paid_by = :by, paid_at = :at WHERE id = "
              ":b AND status = 'open'")
        .Bind(static_cast<ll>(op.user_id))
        .Bind(static_cast<ll>(now))
        .Bind(static_cast<ll>(id))
        .Run();
    return *ReadPayout(s, id);
  });
}

}  // namespace fw::pay
