#include "pay/pay.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/money.h"
#include "db/query.h"
#include "security/crypto.h"

namespace fw::pay {

namespace {

using ll = long long;

std::optional<std::int64_t> Opt(const std::optional<ll>& v) {
  if (!v) return std::nullopt;
  return static_cast<std::int64_t>(*v);
}
std::optional<ll> OptLL(const std::optional<std::int64_t>& v) {
  if (!v) return std::nullopt;
  return static_cast<ll>(*v);
}

tl::unexpected<Error> FieldError422(std::string_view field, std::string_view code,
                                    std::string message) {
  return Unprocessable(std::string(field) + ": " + message,
                       {{std::string(field), std::string(code), message}});
}

Status CheckAmount(std::string_view field, std::int64_t v) {
  if (v < 0 || v > kMaxAmountMinor) {
    return FieldError422(field, "out_of_range",
                         fmt::format("an amount in minor units, 0 to {}", kMaxAmountMinor));
  }
  return {};
}

Status CheckReason(std::string_view reason) {
  if (reason.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return FieldError422("reason", "required", "say why");
  }
  if (reason.size() > kMaxReasonBytes) {
    return FieldError422("reason", "too_long", fmt::format("at most {} bytes", kMaxReasonBytes));
  }
  return {};
}

std::int64_t ReadDefaultMarkup(soci::session& s) {
  std::string v;
  if (!db::Query(s, "SELECT value FROM instance_settings WHERE name = 'pay_markup_bp'").One(v)) {
    return 0;
  }
  try {
    return std::stoll(v);
  } catch (const std::exception&) {
    return 0;
  }
}

// Everything that prices a project's work, read on `s` across labs.
struct Terms {
  std::int64_t project_id = 0, org_id = 0;
  std::string domain;
  int min_level = 0;
  std::int64_t lease_seconds = 0;
  std::string currency;
  std::int64_t markup_bp = 0;
  std::optional<std::int64_t> band, raised, fixed, budget;
  std::int64_t spent = 0, reserved = 0, decided = 0, accepted = 0, accepted_seconds = 0;

  std::int64_t Hourly() const { return raised ? *raised : band.value_or(0); }
};

std::optional<std::int64_t> BandFor(soci::session& s, const std::string& domain, int level,
                                    const std::string& currency) {
  ll hourly = 0;
  for (const std::string& d : {domain, std::string()}) {
    if (db::Query(s,
                  "SELECT hourly_minor FROM pay_bands WHERE domain = :d AND currency = :c AND "
                  "level <= :l ORDER BY level DESC LIMIT 1")
            .Bind(d)
            .Bind(currency)
            .Bind(level)
            .One(hourly)) {
      return hourly;
    }
    if (domain.empty()) break;
  }
  return std::nullopt;
}

std::optional<Terms> ReadTerms(soci::session& s, std::int64_t project_id) {
  Terms t;
  t.project_id = project_id;
  ll org = 0, lease = 0;
  std::optional<std::string> currency;
  std::optional<ll> markup, raised, fixed, budget, spent, reserved, decided, accepted, seconds;
  if (!db::Query(s,
                 "SELECT p.org_id, p.domain, p.min_level, p.lease_seconds, o.currency, "
                 "o.markup_bp, pp.hourly_minor, pp.fixed_price_minor, pp.budget_minor, "
                 "pp.spent_minor, pp.reserved_minor, pp.decided_tasks, pp.accepted_tasks, "
                 "pp.accepted_seconds FROM projects p LEFT JOIN org_pay o ON o.org_id = p.org_id "
                 "LEFT JOIN project_pay pp ON pp.project_id = p.id WHERE p.id = :p")
           .Bind(static_cast<ll>(project_id))
           .One(org, t.domain, t.min_level, lease, currency, markup, raised, fixed, budget, spent,
                reserved, decided, accepted, seconds)) {
    return std::nullopt;
  }
  t.org_id = org;
  t.lease_seconds = lease;
  t.currency = currency.value_or(std::string(kDefaultCurrency));
  t.markup_bp = markup ? *markup : ReadDefaultMarkup(s);
  t.raised = Opt(raised);
  t.fixed = Opt(fixed);
  t.budget = Opt(budget);
  t.spent = spent.value_or(0);
  t.reserved = reserved.value_or(0);
  t.decided = decided.value_or(0);
  t.accepted = accepted.value_or(0);
  t.accepted_seconds = seconds.value_or(0);
  t.band = BandFor(s, t.domain, t.min_level, t.currency);
  return t;
}

Result<std::int64_t> ExpectedPrice(const Terms& t) {
  if (t.fixed) return *t.fixed;
  const std::int64_t seconds =
      t.accepted > 0 ? *MulDivRoundHalfUp(t.accepted_seconds, 1, t.accepted) : t.lease_seconds;
  FW_TRY(std::int64_t cost, CostOfSeconds(t.Hourly(), seconds));
  return PriceWithMarkup(cost, t.markup_bp);
}

// The project's pay figures for its lab.
Result<ProjectPay> Figures(soci::session& s, const Terms& t) {
  ProjectPay p;
  p.currency = t.currency;
  p.band_hourly_minor = t.band;
  p.raised_hourly_minor = t.raised;
  p.hourly_minor = t.Hourly();
  p.fixed_price_minor = t.fixed;
  p.markup_bp = t.markup_bp;
  p.budget_minor = t.budget;
  p.spent_minor = t.spent;
  FW_TRY(p.expected_task_minor, ExpectedPrice(t));
  ll active = 0, submissions = 0, remaining = 0;
  db::Query(s, "SELECT COUNT(*) FROM assignments WHERE project_id = :p AND state = 'active'")
      .Bind(static_cast<ll>(t.project_id))
      .One(active);
  std::optional<ll> rem;
  db::Query(s, "SELECT SUM(remaining_judgments) FROM project_progress WHERE project_id = :p")
      .Bind(static_cast<ll>(t.project_id))
      .One(rem);
  remaining = rem.value_or(0);
  std::int64_t pending_value = 0;
  if (t.budget) {
    pending_value = t.reserved;
  } else {
    db::Query(s, "SELECT COUNT(*) FROM submissions WHERE project_id = :p")
        .Bind(static_cast<ll>(t.project_id))
        .One(submissions);
    const std::int64_t pending = active + std::max<std::int64_t>(0, submissions - t.decided);
    auto v = CheckedMul(pending, p.expected_task_minor);
    if (!v)
      return Fail(ErrorCode::kUnprocessable, "the amount is too large", {}, "amount_overflow");
    pending_value = *v;
  }
  auto committed = CheckedAdd(t.spent, pending_value);
  auto still = CheckedMul(std::max<std::int64_t>(0, remaining - active), p.expected_task_minor);
  std::optional<std::int64_t> forecast;
  if (committed && still) forecast = CheckedAdd(*committed, *still);
  if (!forecast)
    return Fail(ErrorCode::kUnprocessable, "the amount is too large", {}, "amount_overflow");
  p.committed_minor = *committed;
  p.forecast_minor = *forecast;
  // The condition OnLeaseStarted refuses a lease on (committed is spent + reserved here).
  if (t.budget) {
    auto next = CheckedAdd(p.committed_minor, p.expected_task_minor);
    p.exhausted = !next || *next > *t.budget;
  }
  return p;
}

// Whether the project is the lab's (the tenancy door for every lab route here).
bool OwnsProject(const tenancy::LabScope& lab, std::int64_t project_id) {
  ll id = 0;
  return lab.Query("SELECT id FROM projects WHERE org_id = :org AND id = :p")
      .Bind(static_cast<ll>(project_id))
      .One(id);
}

void EnsureProjectRow(soci::session& s, std::int64_t project_id, std::int64_t org_id,
                      UnixSeconds now) {
  db::Query(s,
            "INSERT INTO project_pay (project_id, org_id, updated_at) VALUES (:p, :o, :t) ON "
            "CONFLICT (project_id) DO NOTHING")
      .Bind(static_cast<ll>(project_id))
      .Bind(static_cast<ll>(org_id))
      .Bind(static_cast<ll>(now))
      .Run();
}

// Ends the assignment's reservation, if it has one.
void Release(soci::session& s, std::int64_t assignment_id) {
  ll project = 0, amount = 0;
  if (!db::Query(s,
                 "DELETE FROM budget_reservations WHERE assignment_id = :a RETURNING project_id, "
                 "amount_minor")
           .Bind(static_cast<ll>(assignment_id))
           .One(project, amount)) {
    return;
  }
  db::Query(s, "UPDATE project_pay SET reserved_minor = reserved_minor - :x WHERE project_id = :p")
      .Bind(amount)
      .Bind(project)
      .Run();
}

// Transaction `id` with the names the operator reads it by, read on `s`. Errors: kNotFound.
Result<LedgerEntry> EntryOn(soci::session& s, std::int64_t id) {
  LedgerEntry e;
  FW_TRY(e.transaction, Ledger::Get(s, id));
  std::optional<std::string> expert, lab, project, author;
  std::optional<ll> reversal;
  db::Query(s,
            "SELECT ex.name, o.name, p.name, au.name, r.id FROM ledger_transactions t "
            "LEFT JOIN users ex ON ex.id = t.expert_id LEFT JOIN orgs o ON o.id = t.org_id "
            "LEFT JOIN projects p ON p.id = t.project_id LEFT JOIN users au ON au.id = "
            "t.author_id LEFT JOIN ledger_transactions r ON r.reverses = t.id WHERE t.id = :t")
      .Bind(static_cast<ll>(id))
      .One(expert, lab, project, author, reversal);
  e.expert_name = expert.value_or("");
  e.lab_name = lab.value_or("");
  e.project_name = project.value_or("");
  e.author_name = author.value_or("");
  e.reversed_by = Opt(reversal);
  return e;
}

}  // namespace

PayService::PayService(db::Database& db, const Clock& clock, const tenancy::Tenancy& tenancy)
    : db_(db), clock_(clock), tenancy_(tenancy), ledger_(clock) {}

// ---- bands and settings ----

Result<std::vector<PayBand>> PayService::Bands() {
  return db_.Read<std::vector<PayBand>>([](soci::session& s) -> Result<std::vector<PayBand>> {
    std::vector<PayBand> out;
    PayBand b;
    ll hourly = 0;
    db::Query(s,
              "SELECT domain, level, currency, hourly_minor FROM pay_bands ORDER BY domain, "
              "level, currency")
        .Each(
            [&] {
              b.hourly_minor = hourly;
              out.push_back(b);
              return true;
            },
            b.domain, b.level, b.currency, hourly);
    return out;
  });
}

Result<PayBand> PayService::PutBand(const Caller& op, PayBand band) {
  if (!FindCurrency(band.currency)) {
    return FieldError422("currency", "unknown_currency", "an ISO 4217 code such as USD");
  }
  if (band.level < 0 || band.level > 5) return FieldError422("level", "out_of_range", "0 to 5");
  if (band.domain.size() > 100) return FieldError422("domain", "too_long", "at most 100 bytes");
  FW_TRY_STATUS(CheckAmount("hourly_minor", band.hourly_minor));
  const UnixSeconds now = clock_.Now();
  return db_.Write<PayBand>([&](soci::session& s) -> Result<PayBand> {
    db::Query(s,
              "INSERT INTO pay_bands (domain, level, currency, hourly_minor, updated_by, "
              "updated_at) VALUES (:d, :l, :c, :h, :u, :t) ON CONFLICT (domain, level, currency) "
              "DO UPDATE SET hourly_minor = :h2, updated_by = :u2, updated_at = :t2")
        .Bind(band.domain)
        .Bind(band.level)
        .Bind(band.currency)
        .Bind(static_cast<ll>(band.hourly_minor))
        .Bind(static_cast<ll>(op.user_id))
        .Bind(static_cast<ll>(now))
        .Bind(static_cast<ll>(band.hourly_minor))
        .Bind(static_cast<ll>(op.user_id))
        .Bind(static_cast<ll>(now))
        .Run();
    return band;
  });
}

Status PayService::DeleteBand(std::string_view domain, int level, std::string_view currency) {
  FW_TRY(bool deleted, db_.Write<bool>([&](soci::session& s) -> Result<bool> {
    return db::Query(s, "DELETE FROM pay_bands WHERE domain = :d AND level = :l AND currency = :c")
               .Bind(std::string(domain))
               .Bind(level)
               .Bind(std::string(currency))
               .Run() > 0;
  }));
  if (!deleted) return NotFound("no such pay band");
  return {};
}

Result<std::int64_t> PayService::DefaultMarkup() {
  return db_.Read<std::int64_t>(
      [](soci::session& s) -> Result<std::int64_t> { return ReadDefaultMarkup(s); });
}

Result<std::int64_t> PayService::SetDefaultMarkup(std::int64_t markup_bp) {
  if (markup_bp < 0 || markup_bp > kMaxMarkupBp) {
    return FieldError422("markup_bp", "out_of_range",
                         fmt::format("basis points, 0 to {}", kMaxMarkupBp));
  }
  return db_.Write<std::int64_t>([&](soci::session& s) -> Result<std::int64_t> {
    db::Query(s,
              "INSERT INTO instance_settings (name, value) VALUES ('pay_markup_bp', :v) ON "
              "CONFLICT (name) DO UPDATE SET value = :v2")
        .Bind(std::to_string(markup_bp))
        .Bind(std::to_string(markup_bp))
        .Run();
    return markup_bp;
  });
}

namespace {
Result<OrgPay> ReadOrgPay(soci::session& s, std::int64_t org_id) {
  ll id = 0;
  if (!db::Query(s, "SELECT id FROM orgs WHERE id = :o").Bind(static_cast<ll>(org_id)).One(id)) {
    return NotFound("no such lab");
  }
  OrgPay p;
  std::optional<ll> markup;
  if (!db::Query(s, "SELECT currency, markup_bp FROM org_pay WHERE org_id = :o")
           .Bind(static_cast<ll>(org_id))
           .One(p.currency, markup)) {
    p.currency = std::string(kDefaultCurrency);
  }
  p.markup_bp = Opt(markup);
  p.effective_markup_bp = markup ? *markup : ReadDefaultMarkup(s);
  return p;
}
}  // namespace

Result<OrgPay> PayService::LabPay(std::int64_t org_id) {
  return db_.Read<OrgPay>([&](soci::session& s) { return ReadOrgPay(s, org_id); });
}

Result<OrgPay> PayService::SetLabPay(std::int64_t org_id, std::string currency,
                                     std::optional<std::int64_t> markup_bp) {
  if (!FindCurrency(currency)) {
    return FieldError422("currency", "unknown_currency", "an ISO 4217 code such as USD");
  }
  if (markup_bp && (*markup_bp < 0 || *markup_bp > kMaxMarkupBp)) {
    return FieldError422("markup_bp", "out_of_range",
                         fmt::format("basis points, 0 to {}", kMaxMarkupBp));
  }
  const UnixSeconds now = clock_.Now();
  return db_.Write<OrgPay>([&](soci::session& s) -> Result<OrgPay> {
    FW_TRY(OrgPay current, ReadOrgPay(s, org_id));
    if (current.currency != currency) {
      ll n = 0;
      db::Query(s, "SELECT COUNT(*) FROM ledger_transactions WHERE org_id = :o")
          .Bind(static_cast<ll>(org_id))
          .One(n);
      ll reserved = 0;
      db::Query(s, "SELECT COUNT(*) FROM budget_reservations WHERE org_id = :o")
          .Bind(static_cast<ll>(org_id))
          .One(reserved);
      if (n > 0 || reserved > 0) {
        return Fail(
            ErrorCode::kConflict,
            "the lab has ledger entries in " + current.currency + "; its currency cannot change",
            {{"currency", "currency_in_use", "the lab already has ledger entries"}},
            "currency_in_use");
      }
    }
    db::Query(s,
              "INSERT INTO org_pay (org_id, currency, markup_bp, updated_at) VALUES (:o, :c, :m, "
              ":t) ON CONFLICT (org_id) DO UPDATE SET currency = :c2, markup_bp = :m2, "
              "updated_at = :t2")
        .Bind(static_cast<ll>(org_id))
        .Bind(currency)
        .Bind(OptLL(markup_bp))
        .Bind(static_cast<ll>(now))
        .Bind(currency)
        .Bind(OptLL(markup_bp))
        .Bind(static_cast<ll>(now))
        .Run();
    return ReadOrgPay(s, org_id);
  });
}

// ---- projects ----

Result<ProjectPay> PayService::ProjectTerms(const Caller& lab, std::int64_t project_id) {
  return db_.ReadSnapshot<ProjectPay>([&](soci::session& s) -> Result<ProjectPay> {
    if (!OwnsProject(tenancy_.Scope(s, lab.org_id), project_id)) {
      return NotFound("no such project");
    }
    auto t = ReadTerms(s, project_id);
    FW_CHECK(t.has_value());
    return Figures(s, *t);
  });
}

Result<ProjectPay> PayService::SetProjectTerms(const Caller& lab, std::int64_t project_id,
                                               const ProjectPayUpdate& u) {
  for (const auto& [field, v] : {std::pair{"hourly_minor", u.hourly_minor},
                                 std::pair{"fixed_price_minor", u.fixed_price_minor},
                                 std::pair{"budget_minor", u.budget_minor}}) {
    if (v && *v) FW_TRY_STATUS(CheckAmount(field, **v));
  }
  const UnixSeconds now = clock_.Now();
  return db_.Write<ProjectPay>([&](soci::session& s) -> Result<ProjectPay> {
    tenancy::LabScope scope = tenancy_.Scope(s, lab.org_id);
    if (!OwnsProject(scope, project_id)) return NotFound("no such project");
    auto t = ReadTerms(s, project_id);
    FW_CHECK(t.has_value());
    if (u.hourly_minor) t->raised = *u.hourly_minor;
    if (u.fixed_price_minor) t->fixed = *u.fixed_price_minor;
    if (u.budget_minor) t->budget = *u.budget_minor;
    if (t->raised && t->band && *t->raised < *t->band) {
      return FieldError422(
          "hourly_minor", "below_band",
          fmt::format("at least the band's {} ({})",
                      FormatAmount(*t->band, *FindCurrency(t->currency)), t->currency));
    }
    EnsureProjectRow(s, project_id, lab.org_id, now);
    scope
        .Query(
            "UPDATE project_pay SET hourly_minor = :h, fixed_price_minor = :f, budget_minor = :b, "
            "updated_at = :t WHERE org_id = :org AND project_id = :p")
        .Bind(OptLL(t->raised))
        .Bind(OptLL(t->fixed))
        .Bind(OptLL(t->budget))
        .Bind(static_cast<ll>(now))
        .Bind(static_cast<ll>(project_id))
        .Run();
    return Figures(s, *t);
  });
}

Result<std::vector<ProjectSpend>> PayService::LabSpend(const Caller& lab) {
  return db_.ReadSnapshot<std::vector<ProjectSpend>>(
      [&](soci::session& s) -> Result<std::vector<ProjectSpend>> {
        std::vector<std::pair<ll, std::string>> projects;
        ll id = 0;
        std::string name;
        tenancy_.Scope(s, lab.org_id)
            .Query("SELECT id, name FROM projects WHERE org_id = :org ORDER BY name, id")
            .Each(
                [&] {
                  projects.emplace_back(id, name);
                  return true;
                },
                id, name);
        std::vector<ProjectSpend> out;
        for (const auto& [pid, pname] : projects) {
          auto t = ReadTerms(s, pid);
          FW_CHECK(t.has_value());
          FW_TRY(ProjectPay p, Figures(s, *t));
          out.push_back({pid, pname, std::move(p)});
        }
        return out;
      });
}

Result<Costs> PayService::CostsOf(const Caller& lab, std::int64_t project_id) {
  return db_.ReadSnapshot<Costs>([&](soci::session& s) -> Result<Costs> {
    tenancy::LabScope scope = tenancy_.Scope(s, lab.org_id);
    if (!OwnsProject(scope, project_id)) return NotFound("no such project");
    auto t = ReadTerms(s, project_id);
    FW_CHECK(t.has_value());
    Costs c;
    c.currency = t->currency;
    c.accepted_answers = t->accepted;
    c.spent_minor = t->spent;
    if (c.accepted_answers > 0) {
      c.cost_per_accepted_minor = MulDivRoundHalfUp(c.spent_minor, 1, c.accepted_answers);
    }
    // Correct labels: the gold checks' accuracy applied to the accepted answers where the
    // project has gold; else the expected number of correct aggregated items (the sum of
    // each item's least confident aggregated answer).
    ll gold_total = 0, gold_correct = 0;
    scope
        .Query(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN gold_correct = 1 THEN 1 ELSE 0 END), 0) "
            "FROM submissions WHERE org_id = :org AND project_id = :p AND is_gold = 1 AND "
            "gold_correct IS NOT NULL")
        .Bind(static_cast<ll>(project_id))
        .One(gold_total, gold_correct);
    if (gold_total > 0) {
      c.correct_labels = *MulDivRoundHalfUp(c.accepted_answers, gold_correct, gold_total);
    } else {
      std::optional<double> expected;
      scope
          .Query(
              "SELECT SUM(c) FROM (SELECT item_id, MIN(confidence) AS c FROM item_aggregates "
              "WHERE org_id = :org AND project_id = :p GROUP BY item_id) x")
          .Bind(static_cast<ll>(project_id))
          .One(expected);
      // A count of labels, not money: the nearest whole label.
      c.correct_labels = static_cast<std::int64_t>(expected.value_or(0) + 0.5);
    }
    if (c.correct_labels > 0) {
      c.cost_per_correct_label_minor = MulDivRoundHalfUp(c.spent_minor, 1, c.correct_labels);
    }
    std::optional<ll> saved;
    scope
        .Query(
            "SELECT SUM(p.redundancy - i.submitted) FROM items i JOIN projects p ON p.id = "
            "i.project_id WHERE i.org_id = :org AND i.project_id = :p AND i.settled = 1 AND "
            "i.is_gold = 0 AND i.submitted < p.redundancy")
        .Bind(static_cast<ll>(project_id))
        .One(saved);
    c.judgments_saved = saved.value_or(0);
    FW_TRY(std::int64_t expected_price, ExpectedPrice(*t));
    auto v = CheckedMul(c.judgments_saved, expected_price);
    if (!v)
      return Fail(ErrorCode::kUnprocessable, "the amount is too large", {}, "amount_overflow");
    c.saved_minor = *v;
    return c;
  });
}

// ---- experts ----

Result<std::vector<Rate>> PayService::Rates(const std::vector<std::int64_t>& project_ids) {
  return db_.ReadSnapshot<std::vector<Rate>>([&](soci::session& s) -> Result<std::vector<Rate>> {
    std::vector<std::int64_t> ids = project_ids;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::vector<Rate> out;
    for (std::int64_t id : ids) {
      auto t = ReadTerms(s, id);
      if (!t) continue;
      out.push_back({id, t->Hourly(), t->currency});
    }
    return out;
  });
}

// ---- events ----

Status PayService::OnDecided(soci::session& s, const Decision& d) {
  auto t = ReadTerms(s, d.project_id);
  if (!t) return Internal("a decision on a project that does not exist");
  const bool accepted = d.outcome == "accepted" || d.outcome == "auto_accepted";
  const bool quality = d.outcome == "rejected_quality";
  if (!accepted && !quality && d.outcome != "rejected_spam") {
    return Internal("unknown decision outcome " + d.outcome);
  }
  const std::int64_t seconds = std::max<std::int64_t>(0, d.payable_seconds);
  NewTransaction tx;
  tx.kind = std::string(kDecision);
  tx.reference = fmt::format("decision:{}", d.submission_id);
  tx.currency = t->currency;
  tx.outcome = d.outcome;
  if (d.decided_by != 0) tx.author_id = d.decided_by;
  tx.org_id = d.org_id;
  tx.project_id = d.project_id;
  tx.expert_id = d.expert_id;
  tx.submission_id = d.submission_id;
  tx.seconds = seconds;
  std::int64_t price = 0;
  if (accepted || quality) {
    FW_TRY(std::int64_t cost, CostOfSeconds(t->Hourly(), seconds));
    if (accepted) {
      if (t->fixed) {
        price = *t->fixed;
      } else {
        FW_TRY(price, PriceWithMarkup(cost, t->markup_bp));
      }
    }
    tx.postings = {{{AccountKind::kExpertPayable, d.expert_id}, -cost},
                   {{AccountKind::kLabReceivable, d.org_id}, price},
                   {{AccountKind::kPlatformRevenue, 0}, cost - price}};
  } else {
    tx.seconds = 0;
  }
  FW_TRY(PostResult posted, ledger_.Post(s, tx));
  if (!posted.created) return {};
  Release(s, d.assignment_id);
  EnsureProjectRow(s, d.project_id, d.org_id, clock_.Now());
  db::Query(s,
            "UPDATE project_pay SET spent_minor = spent_minor + :x, decided_tasks = decided_tasks "
            "+ 1, accepted_tasks = accepted_tasks + :a, accepted_seconds = accepted_seconds + :s "
            "WHERE project_id = :p")
      .Bind(static_cast<ll>(price))
      .Bind(accepted ? 1 : 0)
      .Bind(static_cast<ll>(accepted ? seconds : 0))
      .Bind(static_cast<ll>(d.project_id))
      .Run();
  return {};
}

Status PayService::OnLeaseStarted(soci::session& s, const Lease& lease) {
  std::optional<ll> budget;
  if (!db::Query(s, "SELECT budget_minor FROM project_pay WHERE project_id = :p")
           .Bind(static_cast<ll>(lease.project_id))
           .One(budget) ||
      !budget) {
    return {};
  }
  auto t = ReadTerms(s, lease.project_id);
  if (!t) return {};
  FW_TRY(std::int64_t expected, ExpectedPrice(*t));
  // One statement checks and reserves, so concurrent leases (PostgreSQL: the row's lock, and
  // the condition re-read under it) never overrun the budget together.
  if (db::Query(s,
                "UPDATE project_pay SET reserved_minor = reserved_minor + :x WHERE project_id = "
                ":p AND budget_minor IS NOT NULL AND spent_minor + reserved_minor + :y <= "
                "budget_minor")
          .Bind(static_cast<ll>(expected))
          .Bind(static_cast<ll>(lease.project_id))
          .Bind(static_cast<ll>(expected))
          .Run() == 0) {
    return Conflict(
        "the project's budget would be exceeded: it hands out no more work until "
        "its lab raises the budget",
        "budget_exhausted");
  }
  db::Query(s,
            "INSERT INTO budget_reservations (assignment_id, project_id, org_id, amount_minor, "
            "created_at) VALUES (:a, :p, :o, :x, :t)")
      .Bind(static_cast<ll>(lease.assignment_id))
      .Bind(static_cast<ll>(lease.project_id))
      .Bind(static_cast<ll>(lease.org_id))
      .Bind(static_cast<ll>(expected))
      .Bind(static_cast<ll>(clock_.Now()))
      .Run();
  return {};
}

Status PayService::OnLeaseEnded(soci::session& s, const Lease& lease) {
  Release(s, lease.assignment_id);
  return {};
}

// ---- the ledger ----

Result<Transaction> PayService::Adjust(const Caller& op, const AdjustmentRequest& req) {
  if (req.expert_id.has_value() == req.org_id.has_value()) {
    const char* code = req.expert_id ? "conflict" : "required";
    return Unprocessable("name exactly one of expert_id and org_id",
                         {{"expert_id", code, "exactly one of expert_id and org_id"}});
  }
  if (req.kind != kBonus && req.kind != kAdjustment) {
    return FieldError422("kind", "not_an_option", "bonus or adjustment");
  }
  if (req.kind == kBonus && !req.expert_id) {
    return FieldError422("kind", "not_an_option", "a bonus is paid to an expert");
  }
  if (req.amount_minor == 0 || req.amount_minor > kMaxAmountMinor ||
      req.amount_minor < -kMaxAmountMinor || (req.kind == kBonus && req.amount_minor < 0)) {
    return FieldError422("amount_minor", "out_of_range",
                         req.kind == kBonus ? "a positive amount in minor units"
                                            : "a non-zero amount in minor units");
  }
  if (!FindCurrency(req.currency)) {
    return FieldError422("currency", "unknown_currency", "an ISO 4217 code such as USD");
  }
  FW_TRY_STATUS(CheckReason(req.reason));
  if (req.idempotency_key.size() > 200) {
    return FieldError422("idempotency_key", "too_long", "at most 200 bytes");
  }
  std::string key = req.idempotency_key;
  if (key.empty()) {
    unsigned char raw[16];
    security::RandomBytes(raw, sizeof raw);
    key = security::Hex(raw, sizeof raw);
  }
  return db_.Write<Transaction>([&](soci::session& s) -> Result<Transaction> {
    NewTransaction t;
    t.kind = req.kind;
    t.reference = fmt::format("{}:{}", req.kind, key);
    t.currency = req.currency;
    t.reason = req.reason;
    t.author_id = op.user_id;
    if (req.expert_id) {
      std::string role;
      if (!db::Query(s, "SELECT role FROM users WHERE id = :u")
               .Bind(static_cast<ll>(*req.expert_id))
               .One(role) ||
          role != "expert") {
        return NotFound("no such expert");
      }
      t.expert_id = req.expert_id;
      t.postings = {{{AccountKind::kExpertPayable, *req.expert_id}, -req.amount_minor},
                    {{AccountKind::kPlatformRevenue, 0}, req.amount_minor}};
    } else {
      // A lab is charged and invoiced in its own currency only.
      FW_TRY(OrgPay lab, ReadOrgPay(s, *req.org_id));
      if (lab.currency != req.currency) {
        return FieldError422("currency", "not_the_labs_currency", "the lab pays in " + lab.currency);
      }
      t.org_id = req.org_id;
      t.postings = {{{AccountKind::kLabReceivable, *req.org_id}, req.amount_minor},
                    {{AccountKind::kPlatformRevenue, 0}, -req.amount_minor}};
    }
    FW_TRY(PostResult posted, ledger_.Post(s, t));
    return Ledger::Get(s, posted.transaction_id);
  });
}

Result<Transaction> PayService::Reverse(const Caller& op, std::int64_t transaction_id,
                                        std::string_view reason) {
  FW_TRY_STATUS(CheckReason(reason));
  return db_.Write<Transaction>([&](soci::session& s) -> Result<Transaction> {
    FW_TRY(Transaction r, ledger_.Reverse(s, transaction_id, op.user_id, reason));
    // A reversed lab charge on a project is spent no more.
    if (r.project_id && r.org_id) {
      std::int64_t charge = 0;
      for (const Transaction::Line& line : r.postings) {
        if (line.kind == AccountKind::kLabReceivable) charge += line.amount_minor;
      }
      if (charge != 0) {
        db::Query(s, "UPDATE project_pay SET spent_minor = spent_minor + :x WHERE project_id = :p")
            .Bind(static_cast<ll>(charge))
            .Bind(static_cast<ll>(*r.project_id))
            .Run();
      }
    }
    return r;
  });
}

Result<std::vector<LedgerEntry>> PayService::Transactions(const TransactionFilter& f) {
  return db_.Read<std::vector<LedgerEntry>>(
      [&](soci::session& s) -> Result<std::vector<LedgerEntry>> {
        std::string sql = "SELECT id FROM ledger_transactions WHERE 1 = 1";
        if (f.expert_id) sql += " AND expert_id = :e";
        if (f.org_id) sql += " AND org_id = :o";
        if (f.project_id) sql += " AND project_id = :p";
        if (f.kind) sql += " AND kind = :k";
        if (f.before_id) sql += " AND id < :b";
        sql += " ORDER BY id DESC LIMIT :n";
        db::Query q(s, sql);
        if (f.expert_id) q.Bind(static_cast<ll>(*f.expert_id));
        if (f.org_id) q.Bind(static_cast<ll>(*f.org_id));
        if (f.project_id) q.Bind(static_cast<ll>(*f.project_id));
        if (f.kind) q.Bind(*f.kind);
        if (f.before_id) q.Bind(static_cast<ll>(*f.before_id));
        q.Bind(std::clamp(f.limit, 1, 500));
        std::vector<ll> ids;
        ll id = 0;
        q.Each(
            [&] {
              ids.push_back(id);
              return true;
            },
            id);
        std::vector<LedgerEntry> out;
        for (ll tid : ids) {
          FW_TRY(LedgerEntry e, EntryOn(s, tid));
          out.push_back(std::move(e));
        }
        return out;
      });
}

Result<LedgerEntry> PayService::Entry(std::int64_t transaction_id) {
  return db_.Read<LedgerEntry>(
      [&](soci::session& s) -> Result<LedgerEntry> { return EntryOn(s, transaction_id); });
}

}  // namespace fw::pay
