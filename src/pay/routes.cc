#include "pay/routes.h"

#include <fmt/format.h>

#include "base/json.h"
#include "base/money.h"

namespace fw::pay {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;
using security::IdKind;

namespace {

template <typename T>
json::value OrNull(const std::optional<T>& v) {
  if (!v) return nullptr;
  return json::value(*v);
}

json::value TimeOrNull(const std::optional<UnixSeconds>& t) {
  if (!t) return nullptr;
  return json::value(FormatTime(*t));
}

// The generalist band's domain in a path.
constexpr std::string_view kGeneralistSegment = "-";

// A nullable amount member: absent (nullopt), null (a present nullopt) or an integer.
Result<std::optional<std::optional<std::int64_t>>> NullableInt(const json::object& body,
                                                               std::string_view key) {
  const json::value* v = body.if_contains(key);
  if (!v) return std::optional<std::optional<std::int64_t>>();
  if (v->is_null())
    return std::optional<std::optional<std::int64_t>>(std::optional<std::int64_t>());
  auto i = AsInteger(*v);
  if (!i) return Fail(FieldTypeError(key, "an integer or null"));
  return std::optional<std::optional<std::int64_t>>(*i);
}

Response Csv(std::string body, const std::string& filename) {
  Response r;
  r.content_type = "text/csv; charset=utf-8";
  r.body = std::move(body);
  r.headers.emplace_back("content-disposition", "attachment; filename=\"" + filename + "\"");
  return r;
}

std::string Amount(std::int64_t minor, const std::string& currency) {
  auto c = FindCurrency(currency);
  return c ? FormatAmount(minor, *c) : std::to_string(minor);
}

// A path id that may end in ".csv": the id and whether CSV was asked for.
std::pair<std::string, bool> CsvSuffix(const std::string& param) {
  constexpr std::string_view kSuffix = ".csv";
  if (param.size() > kSuffix.size() &&
      param.compare(param.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0) {
    return {param.substr(0, param.size() - kSuffix.size()), true};
  }
  return {param, false};
}

// {"<key>": [each item as `to_json` writes it]}: the answer of every list route here.
template <typename T, typename ToJson>
Response ListJson(std::string_view key, const std::vector<T>& items, ToJson to_json) {
  json::array out;
  out.reserve(items.size());
  for (const T& item : items) out.push_back(to_json(item));
  return http::Json(json::object{{key, std::move(out)}});
}

// A billing document's routes: the list at `path`, and one by id at `path`/{`param`} (the id
// may end in ".csv" for the CSV file). `get_all(caller)` and `get_one(caller, id)` read them;
// `to_json(doc)` and `to_csv(doc)` write one.
template <typename GetAll, typename GetOne, typename ToJson, typename ToCsv>
void AddDocumentRoutes(http::Router& router, const std::string& path, std::string_view key,
                       const std::string& param, IdKind kind, Access access,
                       const security::IdCodec& ids, GetAll get_all, GetOne get_one, ToJson to_json,
                       ToCsv to_csv, const std::string& list_summary,
                       const std::string& one_summary) {
  router.Add({"GET", path, access,
              [get_all, to_json, key = std::string(key)](Request& req) -> Result<Response> {
                FW_TRY(auto list, get_all(req.caller));
                return ListJson(key, list, to_json);
              },
              list_summary});
  router.Add({"GET", path + "/{" + param + "}", access,
              [get_one, to_json, to_csv, param, kind, &ids](Request& req) -> Result<Response> {
                auto [text, csv] = CsvSuffix(req.Param(param));
                FW_TRY(std::int64_t id, ids.Find(kind, text));
                FW_TRY(auto doc, get_one(req.caller, id));
                if (csv) return Csv(to_csv(doc), text + ".csv");
                return http::Json(to_json(doc));
              },
              one_summary});
}

json::object PayBandJson(const PayBand& b) {
  return {{"domain", b.domain},
          {"level", b.level},
          {"currency", b.currency},
          {"hourly_minor", b.hourly_minor}};
}

json::object ProjectPayJson(const ProjectPay& p) {
  return {{"currency", p.currency},
          {"band_hourly_minor", OrNull(p.band_hourly_minor)},
          {"hourly_minor", p.hourly_minor},
          {"raised_hourly_minor", OrNull(p.raised_hourly_minor)},
          {"fixed_price_minor", OrNull(p.fixed_price_minor)},
          {"markup_bp", p.markup_bp},
          {"budget_minor", OrNull(p.budget_minor)},
          {"spent_minor", p.spent_minor},
          {"committed_minor", p.committed_minor},
          {"forecast_minor", p.forecast_minor},
          {"expected_task_minor", p.expected_task_minor},
          {"exhausted", p.exhausted}};
}

json::object OrgPayJson(std::int64_t org_id, const OrgPay& p, const security::IdCodec& ids) {
  return {{"lab_id", ids.Encode(IdKind::kOrg, org_id)},
          {"currency", p.currency},
          {"markup_bp", OrNull(p.markup_bp)},
          {"effective_markup_bp", p.effective_markup_bp}};
}

json::value Opaque(const security::IdCodec& ids, IdKind kind,
                   const std::optional<std::int64_t>& v) {
  if (!v) return nullptr;
  return json::value(ids.Encode(kind, *v));
}

// {"id","name"} of what a transaction names, or null when it names none.
json::value Named(const security::IdCodec& ids, IdKind kind, const std::optional<std::int64_t>& id,
                  const std::string& name) {
  if (!id) return nullptr;
  return json::object{{"id", ids.Encode(kind, *id)}, {"name", name}};
}

json::object TransactionJson(const LedgerEntry& e, const security::IdCodec& ids) {
  const Transaction& t = e.transaction;
  json::array postings;
  for (const Transaction::Line& line : t.postings) {
    json::value owner = nullptr;
    if (line.kind == AccountKind::kExpertPayable) owner = ids.Encode(IdKind::kUser, line.owner_id);
    if (line.kind == AccountKind::kLabReceivable) owner = ids.Encode(IdKind::kOrg, line.owner_id);
    postings.push_back(json::object{{"account", AccountKindName(line.kind)},
                                    {"owner_id", std::move(owner)},
                                    {"amount_minor", line.amount_minor}});
  }
  return {{"id", ids.Encode(IdKind::kTransaction, t.id)},
          {"kind", t.kind},
          {"currency", t.currency},
          {"outcome", t.outcome},
          {"reason", t.reason},
          {"author_id", Opaque(ids, IdKind::kUser, t.author_id)},
          {"author", Named(ids, IdKind::kUser, t.author_id, e.author_name)},
          {"reverses", Opaque(ids, IdKind::kTransaction, t.reverses)},
          {"reversed_by", Opaque(ids, IdKind::kTransaction, e.reversed_by)},
          {"lab_id", Opaque(ids, IdKind::kOrg, t.org_id)},
          {"lab", Named(ids, IdKind::kOrg, t.org_id, e.lab_name)},
          {"project_id", Opaque(ids, IdKind::kProject, t.project_id)},
          {"project", Named(ids, IdKind::kProject, t.project_id, e.project_name)},
          {"expert_id", Opaque(ids, IdKind::kUser, t.expert_id)},
          {"expert", Named(ids, IdKind::kUser, t.expert_id, e.expert_name)},
          {"submission_id", Opaque(ids, IdKind::kSubmission, t.submission_id)},
          {"seconds", OrNull(t.seconds)},
          {"created_at", FormatTime(t.created_at)},
          {"postings", std::move(postings)}};
}

json::object InvoiceJson(const Invoice& v, const security::IdCodec& ids) {
  json::array lines;
  for (const InvoiceLine& l : v.lines) {
    json::value project = nullptr;
    if (l.project_id) {
      project = json::object{{"id", ids.Encode(IdKind::kProject, *l.project_id)},
                             {"name", l.project_name}};
    }
    lines.push_back(json::object{
        {"project", std::move(project)}, {"tasks", l.tasks}, {"amount_minor", l.amount_minor}});
  }
  return {{"id", ids.Encode(IdKind::kInvoice, v.id)},
          {"lab", json::object{{"id", ids.Encode(IdKind::kOrg, v.org_id)}, {"name", v.org_name}}},
          {"currency", v.currency},
          {"from", FormatTime(v.from)},
          {"to", FormatTime(v.to)},
          {"total_minor", v.total_minor},
          {"issued_at", FormatTime(v.issued_at)},
          {"paid_at", TimeOrNull(v.paid_at)},
          {"lines", std::move(lines)}};
}

std::string InvoiceCsv(const Invoice& v, const security::IdCodec& ids) {
  std::string out =
      CsvRecord({"project_id", "project", "tasks", "amount_minor", "amount", "currency"});
  const std::vector<bool> numeric = {false, false, true, true, true, false};
  for (const InvoiceLine& l : v.lines) {
    out +=
        CsvRecord({l.project_id ? ids.Encode(IdKind::kProject, *l.project_id) : "",
                   l.project_id ? l.project_name : "adjustments", std::to_string(l.tasks),
                   std::to_string(l.amount_minor), Amount(l.amount_minor, v.currency), v.currency},
                  numeric);
  }
  out += CsvRecord({"", "total", "", std::to_string(v.total_minor),
                    Amount(v.total_minor, v.currency), v.currency},
                   numeric);
  return out;
}

json::object PayoutJson(const Payout& p, const security::IdCodec& ids) {
  json::array lines;
  for (const PayoutLine& l : p.lines) {
    lines.push_back(json::object{
        {"expert",
         json::object{
             {"id", ids.Encode(IdKind::kUser, l.expert_id)}, {"name", l.name}, {"email", l.email}}},
        {"amount_minor", l.amount_minor},
        {"transaction_id", Opaque(ids, IdKind::kTransaction, l.transaction_id)}});
  }
  return {{"id", ids.Encode(IdKind::kPayout, p.id)},
          {"currency", p.currency},
          {"status", p.status},
          {"total_minor", p.total_minor},
          {"created_at", FormatTime(p.created_at)},
          {"paid_at", TimeOrNull(p.paid_at)},
          {"lines", std::move(lines)}};
}

std::string PayoutCsv(const Payout& p, const security::IdCodec& ids) {
  std::string out = CsvRecord({"expert_id", "name", "email", "amount_minor", "amount", "currency"});
  const std::vector<bool> numeric = {false, false, false, true, true, false};
  for (const PayoutLine& l : p.lines) {
    out +=
        CsvRecord({ids.Encode(IdKind::kUser, l.expert_id), l.name, l.email,
                   std::to_string(l.amount_minor), Amount(l.amount_minor, p.currency), p.currency},
                  numeric);
  }
  return out;
}

json::object StatementJson(const Statement& st, const security::IdCodec& ids) {
  json::array lines;
  for (const StatementLine& l : st.lines) {
    json::value project = nullptr;
    if (l.project_id) {
      project = json::object{{"id", ids.Encode(IdKind::kProject, *l.project_id)},
                             {"name", l.project_name}};
    }
    lines.push_back(
        json::object{{"id", ids.Encode(IdKind::kTransaction, l.transaction_id)},
                     {"at", FormatTime(l.at)},
                     {"kind", l.kind},
                     {"outcome", l.outcome},
                     {"project", std::move(project)},
                     {"submission_id", Opaque(ids, IdKind::kSubmission, l.submission_id)},
                     {"seconds", OrNull(l.seconds)},
                     {"amount_minor", l.amount_minor},
                     {"currency", l.currency},
                     {"reason", l.reason}});
  }
  json::array totals;
  for (const StatementTotal& t : st.totals) {
    totals.push_back(json::object{{"currency", t.currency},
                                  {"opening_minor", t.opening_minor},
                                  {"earned_minor", t.earned_minor},
                                  {"paid_minor", t.paid_minor},
                                  {"balance_minor", t.balance_minor}});
  }
  return {
      {"from", FormatTime(st.from)},
      {"to", FormatTime(st.to)},
      {"currency", st.totals.empty() ? json::value(nullptr) : json::value(st.totals[0].currency)},
      {"lines", std::move(lines)},
      {"totals", std::move(totals)}};
}

std::string StatementCsv(const Statement& st, const security::IdCodec& ids) {
  std::string out = CsvRecord({"at", "kind", "outcome", "project_id", "project", "submission_id",
                               "seconds", "amount_minor", "amount", "currency", "reason"});
  const std::vector<bool> numeric = {false, false, false, false, false, false,
                                     true,  true,  true,  false, false};
  for (const StatementLine& l : st.lines) {
    out +=
        CsvRecord({FormatTime(l.at), l.kind, l.outcome,
                   l.project_id ? ids.Encode(IdKind::kProject, *l.project_id) : "", l.project_name,
                   l.submission_id ? ids.Encode(IdKind::kSubmission, *l.submission_id) : "",
                   l.seconds ? std::to_string(*l.seconds) : "", std::to_string(l.amount_minor),
                   Amount(l.amount_minor, l.currency), l.currency, l.reason},
                  numeric);
  }
  return out;
}

// The end of a period named by `text`: a calendar date ("2026-11-30") includes that whole
// day (UTC), a time is the end itself.
UnixSeconds PeriodEnd(std::string_view text, UnixSeconds parsed) {
  return text.size() == 10 ? parsed + 86400 : parsed;
}

// ?from=&to= (dates, both included, or RFC 3339 times, `to` excluded); by default the 30 days
// to the end of today (UTC).
Result<std::pair<UnixSeconds, UnixSeconds>> Period(const Request& req, UnixSeconds now) {
  const UnixSeconds tomorrow = (now / 86400 + 1) * 86400;
  UnixSeconds from = tomorrow - 30 * 86400, to = tomorrow;
  for (auto [name, target] : {std::pair{"from", &from}, std::pair{"to", &to}}) {
    if (auto v = req.Query(name)) {
      auto t = ParseTime(*v);
      if (!t) {
        return InvalidArgument(std::string(name) + ": a date such as 2026-11-01",
                               {{name, "invalid", "a date such as 2026-11-01"}});
      }
      *target = target == &to ? PeriodEnd(*v, *t) : *t;
    }
  }
  return std::make_pair(from, to);
}

}  // namespace

std::string CsvRecord(const std::vector<std::string>& fields, const std::vector<bool>& numeric) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    std::string f = fields[i];
    const bool is_numeric = i < numeric.size() && numeric[i];
    if (!is_numeric && !f.empty() && (f[0] == '=' || f[0] == '+' || f[0] == '-' || f[0] == '@')) {
      f.insert(f.begin(), '\'');
    }
    if (f.find_first_of(",\"\r\n") != std::string::npos) {
      std::string q = "\"";
      for (char c : f) {
        if (c == '"') q += '"';
        q += c;
      }
      q += '"';
      f = std::move(q);
    }
    out += f;
  }
  out += "\r\n";
  return out;
}

namespace {

// The bands and markups routes.
void RegisterTermRoutes(http::Router& router, PayService& pay, const security::IdCodec& ids) {
  router.Add({"GET", "/api/v1/pay/bands", Access::kOperator,
              [&pay](Request&) -> Result<Response> {
                FW_TRY(auto bands, pay.Bands());
                return ListJson("bands", bands, PayBandJson);
              },
              "pay bands: the hourly rate per domain ('' = generalist work), level and currency"});

  router.Add(
      {"PUT", "/api/v1/pay/bands", Access::kOperator,
       [&pay](Request& req) -> Result<Response> {
         FW_TRY(auto body, http::JsonBody(req));
         FW_TRY_STATUS(RejectUnknownKeys(body, {"domain", "level", "currency", "hourly_minor"}));
         PayBand b;
         FW_TRY(b.domain, RequiredString(body, "domain"));
         FW_TRY(std::int64_t level, RequiredInt(body, "level"));
         if (level < 0 || level > 5) {
           return Unprocessable("level: 0 to 5", {{"level", "out_of_range", "0 to 5"}});
         }
         b.level = static_cast<int>(level);
         FW_TRY(b.currency, RequiredString(body, "currency"));
         FW_TRY(b.hourly_minor, RequiredInt(body, "hourly_minor"));
         FW_TRY(PayBand saved, pay.PutBand(req.caller, b));
         return http::Json(PayBandJson(saved));
       },
       "set a pay band (domain, level, currency, hourly_minor)"});

  router.Add({"DELETE", "/api/v1/pay/bands/{domain}/{level}/{currency}", Access::kOperator,
              [&pay](Request& req) -> Result<Response> {
                std::string domain = req.Param("domain");
                if (domain == kGeneralistSegment) domain.clear();
                int level = -1;
                try {
                  std::size_t used = 0;
                  level = std::stoi(req.Param("level"), &used);
                  if (used != req.Param("level").size()) level = -1;
                } catch (const std::exception&) {
                  level = -1;
                }
                if (level < 0) return NotFound("no such pay band");
                FW_TRY_STATUS(pay.DeleteBand(domain, level, req.Param("currency")));
                return http::NoContent();
              },
              "delete a pay band (domain '-' is generalist work)"});

  router.Add({"GET", "/api/v1/pay/settings", Access::kOperator,
              [&pay](Request&) -> Result<Response> {
                FW_TRY(std::int64_t markup, pay.DefaultMarkup());
                return http::Json(json::object{{"markup_bp", markup}});
              },
              "the instance's default markup in basis points"});

  router.Add({"PUT", "/api/v1/pay/settings", Access::kOperator,
              [&pay](Request& req) -> Result<Response> {
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY_STATUS(RejectUnknownKeys(body, {"markup_bp"}));
                FW_TRY(std::int64_t markup, RequiredInt(body, "markup_bp"));
                FW_TRY(std::int64_t saved, pay.SetDefaultMarkup(markup));
                return http::Json(json::object{{"markup_bp", saved}});
              },
              "set the instance's default markup (basis points)"});

  router.Add({"GET", "/api/v1/labs/{lab_id}/pay", Access::kOperator,
              [&pay, &ids](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t lab, ids.Find(IdKind::kOrg, req.Param("lab_id")));
                FW_TRY(OrgPay p, pay.LabPay(lab));
                return http::Json(OrgPayJson(lab, p, ids));
              },
              "a lab's currency and markup"});

  router.Add({"PUT", "/api/v1/labs/{lab_id}/pay", Access::kOperator,
              [&pay, &ids](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t lab, ids.Find(IdKind::kOrg, req.Param("lab_id")));
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY_STATUS(RejectUnknownKeys(body, {"currency", "markup_bp"}));
                FW_TRY(std::string currency, RequiredString(body, "currency"));
                FW_TRY(auto markup, OptionalInt(body, "markup_bp"));
                FW_TRY(OrgPay p, pay.SetLabPay(lab, currency, markup));
                return http::Json(OrgPayJson(lab, p, ids));
              },
              "set a lab's currency (before its first ledger entry) and markup (null: the "
              "instance's)"});
}

// The projects and spend (the lab) routes.
void RegisterProjectRoutes(http::Router& router, PayService& pay, const security::IdCodec& ids) {
  router.Add({"GET", "/api/v1/projects/{project_id}/pay", Access::kLab,
              [&pay, &ids](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t project, ids.Find(IdKind::kProject, req.Param("project_id")));
                FW_TRY(ProjectPay p, pay.ProjectTerms(req.caller, project));
                return http::Json(ProjectPayJson(p));
              },
              "the project's rate, price, budget, spend, committed cost and forecast"});

  router.Add({"PUT", "/api/v1/projects/{project_id}/pay", Access::kLabOwner,
              [&pay, &ids](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t project, ids.Find(IdKind::kProject, req.Param("project_id")));
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY_STATUS(
                    RejectUnknownKeys(body, {"hourly_minor", "fixed_price_minor", "budget_minor"}));
                ProjectPayUpdate u;
                FW_TRY(u.hourly_minor, NullableInt(body, "hourly_minor"));
                FW_TRY(u.fixed_price_minor, NullableInt(body, "fixed_price_minor"));
                FW_TRY(u.budget_minor, NullableInt(body, "budget_minor"));
                FW_TRY(ProjectPay p, pay.SetProjectTerms(req.caller, project, u));
                return http::Json(ProjectPayJson(p));
              },
              "set the project's raised rate, fixed price per accepted task and budget (null "
              "clears)"});

  router.Add({"GET", "/api/v1/projects/{project_id}/costs", Access::kLab,
              [&pay, &ids](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t project, ids.Find(IdKind::kProject, req.Param("project_id")));
                FW_TRY(Costs c, pay.CostsOf(req.caller, project));
                return http::Json(json::object{
                    {"currency", c.currency},
                    {"accepted_answers", c.accepted_answers},
                    {"spent_minor", c.spent_minor},
                    {"cost_per_accepted_minor", OrNull(c.cost_per_accepted_minor)},
                    {"correct_labels", c.correct_labels},
                    {"cost_per_correct_label_minor", OrNull(c.cost_per_correct_label_minor)},
                    {"adaptive", json::object{{"judgments_saved", c.judgments_saved},
                                              {"saved_minor", c.saved_minor}}}});
              },
              "what a label costs: per accepted answer, per correct label, and what adaptive "
              "redundancy saved"});

  router.Add(
      {"GET", "/api/v1/lab/spend", Access::kLab,
       [&pay, &ids](Request& req) -> Result<Response> {
         FW_TRY(auto spend, pay.LabSpend(req.caller));
         FW_TRY(OrgPay org, pay.LabPay(req.caller.org_id));
         json::array out;
         for (const ProjectSpend& p : spend) {
           out.push_back(json::object{{"id", ids.Encode(IdKind::kProject, p.project_id)},
                                      {"name", p.name},
                                      {"budget_minor", OrNull(p.pay.budget_minor)},
                                      {"spent_minor", p.pay.spent_minor},
                                      {"committed_minor", p.pay.committed_minor},
                                      {"forecast_minor", p.pay.forecast_minor},
                                      {"exhausted", p.pay.exhausted}});
         }
         return http::Json(json::object{{"currency", org.currency}, {"projects", std::move(out)}});
       },
       "the caller's lab: each project's budget, spend, committed cost and forecast"});
}

// The experts routes.
void RegisterExpertRoutes(http::Router& router, PayService& pay, BillingService& billing,
                          const security::IdCodec& ids, const VisibleProjects& visible_projects) {
  router.Add({"GET", "/api/v1/me/rates", Access::kExpert,
              [&pay, &ids, visible_projects](Request& req) -> Result<Response> {
                FW_TRY(auto projects, visible_projects(req.caller.user_id));
                FW_TRY(auto rates, pay.Rates(projects));
                return ListJson("rates", rates, [&ids](const Rate& r) {
                  return json::object{{"project_id", ids.Encode(IdKind::kProject, r.project_id)},
                                      {"hourly_minor", r.hourly_minor},
                                      {"currency", r.currency}};
                });
              },
              "the hourly rate of each project the caller may work on or could unlock"});

  auto earnings = [&billing, &ids](Request& req, bool csv) -> Result<Response> {
    FW_TRY(auto period, Period(req, billing.clock().Now()));
    FW_TRY(Statement st, billing.StatementOf(req.caller.user_id, period.first, period.second));
    if (csv) return Csv(StatementCsv(st, ids), "earnings.csv");
    return http::Json(StatementJson(st, ids));
  };
  router.Add({"GET", "/api/v1/me/earnings", Access::kExpert,
              [earnings](Request& req) { return earnings(req, false); },
              "the caller's earnings statement for ?from=&to= (dates, both included): each "
              "transaction, and per currency the balance before, earned, paid and owed"});
  router.Add({"GET", "/api/v1/me/earnings.csv", Access::kExpert,
              [earnings](Request& req) { return earnings(req, true); },
              "the caller's earnings statement as CSV"});
}

// The ledger (operators) routes.
void RegisterLedgerRoutes(http::Router& router, PayService& pay, const security::IdCodec& ids) {
  router.Add({"POST", "/api/v1/ledger/adjustments", Access::kOperator,
              [&pay, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY_STATUS(
                    RejectUnknownKeys(body, {"expert_id", "org_id", "amount_minor", "currency",
                                             "reason", "kind", "idempotency_key"}));
                AdjustmentRequest a;
                FW_TRY(auto expert, OptionalString(body, "expert_id"));
                FW_TRY(auto org, OptionalString(body, "org_id"));
                if (expert) {
                  FW_TRY(a.expert_id, ids.Find(IdKind::kUser, *expert));
                }
                if (org) {
                  FW_TRY(a.org_id, ids.Find(IdKind::kOrg, *org));
                }
                FW_TRY(a.amount_minor, RequiredInt(body, "amount_minor"));
                FW_TRY(a.currency, RequiredString(body, "currency"));
                FW_TRY(auto reason, OptionalString(body, "reason"));
                a.reason = reason.value_or("");
                FW_TRY(auto kind, OptionalString(body, "kind"));
                a.kind = kind.value_or("adjustment");
                FW_TRY(auto key, OptionalString(body, "idempotency_key"));
                a.idempotency_key = key.value_or("");
                FW_TRY(Transaction t, pay.Adjust(req.caller, a));
                FW_TRY(LedgerEntry e, pay.Entry(t.id));
                return http::Json(TransactionJson(e, ids), 201);
              },
              "post a bonus or an adjustment to an expert or a lab, with a reason"});

  router.Add({"POST", "/api/v1/ledger/transactions/{transaction_id}/reverse", Access::kOperator,
              [&pay, &ids](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t id,
                       ids.Find(IdKind::kTransaction, req.Param("transaction_id")));
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY_STATUS(RejectUnknownKeys(body, {"reason"}));
                FW_TRY(auto reason, OptionalString(body, "reason"));
                FW_TRY(Transaction t, pay.Reverse(req.caller, id, reason.value_or("")));
                FW_TRY(LedgerEntry e, pay.Entry(t.id));
                return http::Json(TransactionJson(e, ids), 201);
              },
              "reverse a ledger transaction (once), with a reason"});

  router.Add({"GET", "/api/v1/ledger/transactions", Access::kOperator,
              [&pay, &ids](Request& req) -> Result<Response> {
                TransactionFilter f;
                if (auto v = req.Query("expert_id")) {
                  FW_TRY(f.expert_id, ids.Find(IdKind::kUser, *v));
                }
                if (auto v = req.Query("lab_id")) {
                  FW_TRY(f.org_id, ids.Find(IdKind::kOrg, *v));
                }
                if (auto v = req.Query("project_id")) {
                  FW_TRY(f.project_id, ids.Find(IdKind::kProject, *v));
                }
                if (auto v = req.Query("kind")) f.kind = std::string(*v);
                if (auto v = req.Query("before")) {
                  FW_TRY(f.before_id, ids.Find(IdKind::kTransaction, *v));
                }
                if (auto v = req.Query("limit")) {
                  try {
                    f.limit = std::stoi(std::string(*v));
                  } catch (const std::exception&) {
                    return InvalidArgument("limit: 1 to 500",
                                           {{"limit", "invalid", "an integer, 1 to 500"}});
                  }
                  if (f.limit < 1 || f.limit > 500) {
                    return InvalidArgument("limit: 1 to 500",
                                           {{"limit", "out_of_range", "an integer, 1 to 500"}});
                  }
                }
                FW_TRY(auto list, pay.Transactions(f));
                json::array out;
                for (const LedgerEntry& e : list) out.push_back(TransactionJson(e, ids));
                json::value next = nullptr;
                if (static_cast<int>(list.size()) == f.limit) {
                  next = ids.Encode(IdKind::kTransaction, list.back().transaction.id);
                }
                return http::Json(json::object{{"transactions", std::move(out)},
                                               {"next_before", std::move(next)}});
              },
              "ledger transactions, newest first (?expert_id=&lab_id=&project_id=&kind=&before=&"
              "limit=)"});
}

// The invoices routes.
void RegisterInvoiceRoutes(http::Router& router, BillingService& billing,
                           const security::IdCodec& ids) {
  router.Add(
      {"POST", "/api/v1/invoices", Access::kOperator,
       [&billing, &ids](Request& req) -> Result<Response> {
         FW_TRY(auto body, http::JsonBody(req));
         FW_TRY_STATUS(RejectUnknownKeys(body, {"org_id", "from", "to"}));
         FW_TRY(std::string org, RequiredString(body, "org_id"));
         FW_TRY(std::int64_t lab, ids.Find(IdKind::kOrg, org));
         FW_TRY(auto from, OptionalTime(body, "from"));
         FW_TRY(auto to, OptionalTime(body, "to"));
         if (!from) return Fail(FieldRequiredError("from"));
         if (!to) return Fail(FieldRequiredError("to"));
         const json::value* to_text = body.if_contains("to");
         const UnixSeconds end =
             to_text && to_text->is_string() ? PeriodEnd(to_text->as_string(), *to) : *to;
         FW_TRY(Invoice v, billing.IssueInvoice(req.caller, lab, *from, end));
         return http::Json(InvoiceJson(v, ids), 201);
       },
       "issue a lab's invoice for a period (dates, both included): every charge in it not invoiced "
       "yet, in lines per project"});

  AddDocumentRoutes(
      router, "/api/v1/invoices", "invoices", "invoice_id", IdKind::kInvoice,
      Access::kLabOrOperator, ids, [&billing](const Caller& c) { return billing.Invoices(c); },
      [&billing](const Caller& c, std::int64_t id) { return billing.GetInvoice(c, id); },
      [&ids](const Invoice& v) { return InvoiceJson(v, ids); },
      [&ids](const Invoice& v) { return InvoiceCsv(v, ids); },
      "invoices: a lab's own, or every lab's for an operator", "one invoice (…/{id}.csv: as CSV)");

  router.Add({"POST", "/api/v1/invoices/{invoice_id}/paid", Access::kOperator,
              [&billing, &ids](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t id, ids.Find(IdKind::kInvoice, req.Param("invoice_id")));
                FW_TRY(Invoice v, billing.MarkInvoicePaid(req.caller, id));
                return http::Json(InvoiceJson(v, ids));
              },
              "mark an invoice paid by its lab: posts the payment (the platform's cash debited, "
              "the lab's receivable credited by the total); a retry returns it"});
}

// The payouts routes.
void RegisterPayoutRoutes(http::Router& router, BillingService& billing,
                          const security::IdCodec& ids) {
  router.Add({"POST", "/api/v1/payouts", Access::kOperator,
              [&billing, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY_STATUS(RejectUnknownKeys(body, {"currency"}));
                FW_TRY(std::string currency, RequiredString(body, "currency"));
                FW_TRY(Payout p, billing.CreatePayout(req.caller, currency));
                return http::Json(PayoutJson(p, ids), 201);
              },
              "make a payout batch of every expert's payable balance in a currency"});

  AddDocumentRoutes(
      router, "/api/v1/payouts", "payouts", "payout_id", IdKind::kPayout, Access::kOperator, ids,
      [&billing](const Caller&) { return billing.Payouts(); },
      [&billing](const Caller&, std::int64_t id) { return billing.GetPayout(id); },
      [&ids](const Payout& p) { return PayoutJson(p, ids); },
      [&ids](const Payout& p) { return PayoutCsv(p, ids); }, "payout batches, newest first",
      "one payout batch (…/{id}.csv: as CSV for the bank)");

  router.Add({"POST", "/api/v1/payouts/{payout_id}/paid", Access::kOperator,
              [&billing, &ids](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t id, ids.Find(IdKind::kPayout, req.Param("payout_id")));
                FW_TRY(Payout p, billing.MarkPaid(req.caller, id));
                return http::Json(PayoutJson(p, ids));
              },
              "mark a payout batch paid: posts each line's payout transaction"});
}

}  // namespace

void RegisterRoutes(http::Router& router, PayService& pay, BillingService& billing,
                    const security::IdCodec& ids, VisibleProjects visible_projects) {
  RegisterTermRoutes(router, pay, ids);
  RegisterProjectRoutes(router, pay, ids);
  RegisterExpertRoutes(router, pay, billing, ids, visible_projects);
  RegisterLedgerRoutes(router, pay, ids);
  RegisterInvoiceRoutes(router, billing, ids);
  RegisterPayoutRoutes(router, billing, ids);
}

}  // namespace fw::pay
