#include "review/review.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

#include "base/json.h"
#include "db/query.h"
#include "tenancy/tenancy.h"

namespace fw::review {

namespace json = boost::json;

std::string_view OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kAccepted:
      return "accepted";
    case Outcome::kAutoAccepted:
      return "auto_accepted";
    case Outcome::kRejectedQuality:
      return "rejected_quality";
    case Outcome::kRejectedSpam:
      return "rejected_spam";
  }
  return "accepted";
}

// ---- the policy ----

json::object PolicyJson(const Policy& p) {
  return {
      {"mode", p.mode},
      {"sample",
       {{"new", p.rate_new}, {"low_accuracy", p.rate_low_accuracy}, {"trusted", p.rate_trusted}}},
      {"new_judgments", p.new_judgments},
      {"low_gold_accuracy", p.low_gold_accuracy},
      {"approval_window_days", p.approval_window_days},
      {"speed_flag_ratio", p.speed_flag_ratio},
      {"time_cap_seconds", p.time_cap_seconds ? json::value(*p.time_cap_seconds) : json::value()},
      {"second_review_rate", p.second_review_rate},
      {"form", p.form ? json::value(FormJson(*p.form)) : json::value()}};
}

json::object FormJson(const projects::Template& form) {
  return {{"questions", projects::ToJson(form).as_object().at("questions")}};
}

namespace {

// Reads a share in [0, 1] from `v` into `out`, or adds the detail naming `field`.
void Share(const json::value& v, std::string_view field, double* out,
           std::vector<FieldError>& bad) {
  auto n = AsNumber(v);
  if (!n) {
    bad.push_back({std::string(field), "type", "a number from 0 to 1"});
  } else if (!(*n >= 0 && *n <= 1)) {
    bad.push_back({std::string(field), "out_of_range", "from 0 to 1"});
  } else {
    *out = *n;
  }
}

void Integer(const json::value& v, std::string_view field, std::int64_t lo, std::int64_t hi,
             std::int64_t* out, std::vector<FieldError>& bad) {
  auto n = v.is_double() ? std::optional<std::int64_t>() : AsInteger(v);
  if (!n) {
    bad.push_back({std::string(field), "type", "an integer"});
  } else if (*n < lo || *n > hi) {
    bad.push_back({std::string(field), "out_of_range", fmt::format("from {} to {}", lo, hi)});
  } else {
    *out = *n;
  }
}

// Reads a review form into `form` (null: none), or adds the details naming its parts under
// "form".
void Form(const json::value& v, std::shared_ptr<const projects::Template>* form,
          std::vector<FieldError>& bad) {
  if (v.is_null()) {
    form->reset();
    return;
  }
  if (!v.is_object()) {
    bad.push_back({"form", "type", "an object with questions, or null"});
    return;
  }
  json::object in;
  for (const auto& kv : v.as_object()) {
    if (kv.key() != "questions") {
      bad.push_back({"form." + std::string(kv.key()), "unknown_key", "a form has questions only"});
      return;
    }
    in["questions"] = kv.value();
  }
  if (in.contains("questions") && in["questions"].is_array() &&
      in["questions"].as_array().size() > kMaxFormQuestions) {
    bad.push_back({"form.questions", "too_many", fmt::format("at most {}", kMaxFormQuestions)});
    return;
  }
  auto parsed = projects::ParseTemplate(in);
  if (!parsed) {
    for (FieldError f : parsed.error().details) {
      if (f.field.rfind("template", 0) == 0) f.field = "form" + f.field.substr(8);
      bad.push_back(std::move(f));
    }
    return;
  }
  *form = std::make_shared<const projects::Template>(std::move(*parsed));
}

}  // namespace

Result<Policy> ApplyPolicy(Policy p, const json::object& body) {
  std::vector<FieldError> bad;
  for (const auto& kv : body) {
    const std::string_view key = kv.key();
    const json::value& v = kv.value();
    if (key == "mode") {
      if (!v.is_string()) {
        bad.push_back({"mode", "type", "sample, free_text or all"});
      } else if (v.as_string() != "sample" && v.as_string() != "free_text" &&
                 v.as_string() != "all") {
        bad.push_back({"mode", "not_an_option", "sample, free_text or all"});
      } else {
        p.mode = std::string(v.as_string());
      }
    } else if (key == "sample") {
      if (!v.is_object()) {
        bad.push_back({"sample", "type", "an object of rates: new, low_accuracy, trusted"});
        continue;
      }
      for (const auto& r : v.as_object()) {
        const std::string field = "sample." + std::string(r.key());
        if (r.key() == "new") {
          Share(r.value(), field, &p.rate_new, bad);
        } else if (r.key() == "low_accuracy") {
          Share(r.value(), field, &p.rate_low_accuracy, bad);
        } else if (r.key() == "trusted") {
          Share(r.value(), field, &p.rate_trusted, bad);
        } else {
          bad.push_back({field, "unknown_key", "new, low_accuracy or trusted"});
        }
      }
    } else if (key == "new_judgments") {
      std::int64_t n = p.new_judgments;
      Integer(v, key, 0, 100000, &n, bad);
      p.new_judgments = static_cast<int>(n);
    } else if (key == "low_gold_accuracy") {
      Share(v, key, &p.low_gold_accuracy, bad);
    } else if (key == "approval_window_days") {
      std::int64_t n = p.approval_window_days;
      Integer(v, key, 0, kMaxWindowDays, &n, bad);
      p.approval_window_days = static_cast<int>(n);
    } else if (key == "speed_flag_ratio") {
      Share(v, key, &p.speed_flag_ratio, bad);
    } else if (key == "time_cap_seconds") {
      if (v.is_null()) {
        p.time_cap_seconds.reset();
      } else {
        std::int64_t n = 0;
        Integer(v, key, 1, 7 * 24 * 3600, &n, bad);
        if (n > 0) p.time_cap_seconds = n;
      }
    } else if (key == "second_review_rate") {
      Share(v, key, &p.second_review_rate, bad);
    } else if (key == "form") {
      Form(v, &p.form, bad);
    } else {
      bad.push_back({std::string(key), "unknown_key", "not a member of the review policy"});
    }
  }
  if (!bad.empty()) return Unprocessable("the review policy has bad members", std::move(bad));
  return p;
}

namespace {

// ---- helpers over the store ----

// A uniform draw in [0, 1) fixed by the submission and the seed (splitmix64), so a retried
// transaction samples the same way and tests can rely on rates 0 and 1.
double Draw(std::int64_t submission_id, std::uint64_t seed) {
  std::uint64_t z = static_cast<std::uint64_t>(submission_id) + seed + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

#define FW_POLICY_COLUMNS                                                               \
  "mode, rate_new, rate_low_accuracy, rate_trusted, new_judgments, low_gold_accuracy, " \
  "approval_window_days, speed_flag_ratio, time_cap_seconds, second_review_rate "

// The policy `q` (a statement selecting FW_POLICY_COLUMNS) reads; the defaults without a row.
Policy ReadPolicy(db::Query& q) {
  Policy p, stored;
  std::optional<long long> cap;
  if (q.One(stored.mode, stored.rate_new, stored.rate_low_accuracy, stored.rate_trusted,
            stored.new_judgments, stored.low_gold_accuracy, stored.approval_window_days,
            stored.speed_flag_ratio, cap, stored.second_review_rate)) {
    p = stored;
    if (cap) p.time_cap_seconds = *cap;
  }
  return p;
}

// The policy that governs a project's new submissions, read by project id inside `s`.
Policy PolicyOf(soci::session& s, long long project_id) {
  return ReadPolicy(
      db::Query(s, "SELECT " FW_POLICY_COLUMNS "FROM review_policies WHERE project_id = :p")
          .Bind(project_id));
}

// A stored review form (the policy's `form` column); nullptr when there is none.
Result<std::shared_ptr<const projects::Template>> FormFrom(const std::optional<std::string>& text) {
  if (!text) return std::shared_ptr<const projects::Template>();
  FW_TRY(json::value v, ParseJson(*text, "form"));
  FW_TRY(projects::Template form, projects::ParseTemplate(v));
  return std::make_shared<const projects::Template>(std::move(form));
}

// The form of a project's policy as stored, read by project id inside `s`.
Result<std::shared_ptr<const projects::Template>> FormOf(soci::session& s, long long project_id) {
  std::optional<std::string> text;
  db::Query(s, "SELECT form FROM review_policies WHERE project_id = :p").Bind(project_id).One(text);
  return FormFrom(text);
}

bool HasTextQuestion(const projects::Template& t) {
  return std::any_of(t.questions().begin(), t.questions().end(), [](const projects::Question& q) {
    return q.type() == projects::QuestionType::kText;
  });
}

// The median active time of the project's last `window` submissions before `before`, and how
// many there were.
SpeedBase ReadSpeedBase(soci::session& s, std::int64_t project_id, std::int64_t before, int window,
                        std::int64_t now) {
  auto rows = db::Query(s,
                        "SELECT active_seconds FROM submissions WHERE project_id = :p AND id < :id "
                        "ORDER BY id DESC LIMIT :n")
                  .Bind(project_id)
                  .Bind(before)
                  .Bind(window)
                  .All<long long>();
  SpeedBase base{now, 0, static_cast<int>(rows.size())};
  if (rows.empty()) return base;
  std::vector<long long> v;
  v.reserve(rows.size());
  for (const auto& [a] : rows) v.push_back(a);
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  base.median = static_cast<double>(v[v.size() / 2]);
  return base;
}

// Whether the reviewer's qualifications let them review a project of `domain` at `min_level`.
bool Reviews(const std::vector<experts::Qualification>& quals, std::string_view domain,
             int min_level, UnixSeconds now) {
  std::vector<experts::Qualification> reviewing;
  for (const experts::Qualification& q : quals) {
    if (q.reviewer && q.Current(now)) reviewing.push_back(q);
  }
  if (reviewing.empty()) return false;
  return experts::Qualifies(reviewing, domain, min_level, now);
}

std::int64_t Payable(std::int64_t active, std::optional<long long> cap, bool approved) {
  if (cap && active > *cap && !approved) return *cap;
  return active;
}

Result<json::value> OpenJson(const tenancy::Tenancy& t, long long org, const std::string& stored,
                             std::string_view what) {
  FW_TRY(std::string plain, t.Open(org, stored));
  return ParseJson(plain, what);
}

// The template a reviewer's scores are checked with: the project's rubric and rating
// questions, each optional. nullptr when the template has none.
Result<std::shared_ptr<const projects::Template>> ScoresTemplate(const projects::Template& t) {
  json::value full = projects::ToJson(t);
  json::array questions;
  for (const json::value& q : full.as_object().at("questions").as_array()) {
    const json::string& type = q.as_object().at("type").as_string();
    if (type != "rubric" && type != "rating") continue;
    json::object copy = q.as_object();
    copy["required"] = false;
    questions.push_back(std::move(copy));
  }
  if (questions.empty()) return std::shared_ptr<const projects::Template>();
  FW_TRY(projects::Template scores,
         projects::ParseTemplate(json::object{{"questions", std::move(questions)}}));
  return std::make_shared<const projects::Template>(std::move(scores));
}

Status CheckDecision(const Decision& d) {
  std::vector<FieldError> bad;
  if (d.outcome != "accept" && d.outcome != "reject" && d.outcome != "rework") {
    bad.push_back(
        {"outcome", d.outcome.empty() ? "required" : "not_an_option", "accept, reject or rework"});
  }
  if (d.outcome == "reject" && d.reason != "quality" && d.reason != "spam") {
    bad.push_back({"reason", d.reason.empty() ? "required" : "not_an_option", "quality or spam"});
  }
  if (d.outcome != "reject" && !d.reason.empty()) {
    bad.push_back({"reason", "unexpected", "only a rejection has a reason"});
  }
  const bool blank = d.comment.find_first_not_of(" \t\r\n") == std::string::npos;
  if ((d.outcome == "rework" || d.outcome == "reject") && blank) {
    bad.push_back({"comment", "required", "say what to change, or why it is rejected"});
  }
  if (d.comment.size() > kMaxCommentBytes) {
    bad.push_back({"comment", "too_long", fmt::format("at most {} bytes", kMaxCommentBytes)});
  }
  if (d.approve_over_cap && d.outcome != "accept") {
    bad.push_back({"approve_over_cap", "unexpected", "only an acceptance approves time"});
  }
  if (!bad.empty()) return Unprocessable("the decision has bad members", std::move(bad));
  return {};
}

}  // namespace

Result<std::shared_ptr<const projects::Template>> EffectiveForm(
    const std::shared_ptr<const projects::Template>& policy_form, const projects::Template& tmpl) {
  if (policy_form) return policy_form;
  return ScoresTemplate(tmpl);
}

namespace {

// One question's (criterion's) tally while SummarizeScores reads the scores.
struct Tally {
  ScoreSummary out;
  double sum = 0;
};

std::optional<double> Number(const json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.as_int64());
  if (v.is_uint64()) return static_cast<double>(v.as_uint64());
  if (v.is_double()) return v.as_double();
  return std::nullopt;
}

void CountOption(Tally& t, const json::value& v) {
  if (!v.is_string()) return;
  for (auto& [option, n] : t.out.counts) {
    if (option == v.as_string()) {
      ++n;
      return;
    }
  }
}

// Adds one value to the tally of its kind; a value that does not fit is left out.
void Add(Tally& t, const json::value& v) {
  const std::string& kind = t.out.kind;
  if (kind == "pass_fail") {
    if (!v.is_bool()) return;
    t.sum += v.as_bool() ? 1 : 0;
  } else if (kind == "rating" || kind == "number" || kind == "points") {
    auto n = Number(v);
    if (!n || (t.out.min && *n < *t.out.min) || (t.out.max && *n > *t.out.max)) return;
    t.sum += *n;
  } else if (kind == "label") {
    CountOption(t, v);
  } else if (kind == "multi_label") {
    if (!v.is_array()) return;
    for (const json::value& x : v.as_array()) CountOption(t, x);
  }
  ++t.out.answered;
}

std::vector<Tally> Tallies(const projects::Template& form) {
  std::vector<Tally> out;
  for (const projects::Question& q : form.questions()) {
    ScoreSummary base;
    base.question = q.name;
    base.title = q.title.empty() ? q.name : q.title;
    base.kind = std::string(projects::QuestionTypeName(q.type()));
    if (const auto* r = std::get_if<projects::RubricSpec>(&q.spec)) {
      for (const projects::RubricCriterion& c : r->criteria) {
        Tally t{base};
        t.out.criterion = c.name;
        t.out.title = c.title.empty() ? c.name : c.title;
        if (c.kind == projects::CriterionKind::kPoints) {
          t.out.kind = "points";
          t.out.min = 0;
          t.out.max = static_cast<double>(c.max_points);
        } else {
          t.out.kind = "pass_fail";
        }
        out.push_back(std::move(t));
      }
      continue;
    }
    if (const auto* r = std::get_if<projects::RatingSpec>(&q.spec)) {
      base.min = static_cast<double>(r->min);
      base.max = static_cast<double>(r->max);
    } else if (const auto* l = std::get_if<projects::LabelSpec>(&q.spec)) {
      for (const std::string& o : l->options) base.counts.emplace_back(o, 0);
    } else if (const auto* m = std::get_if<projects::MultiLabelSpec>(&q.spec)) {
      for (const std::string& o : m->options) base.counts.emplace_back(o, 0);
    }
    out.push_back(Tally{std::move(base)});
  }
  return out;
}

}  // namespace

std::vector<ScoreSummary> SummarizeScores(const projects::Template& form,
                                          const std::vector<json::value>& scores) {
  std::vector<Tally> tallies = Tallies(form);
  for (const json::value& one : scores) {
    if (!one.is_object()) continue;
    for (Tally& t : tallies) {
      const json::value* v = one.as_object().if_contains(t.out.question);
      if (v && !t.out.criterion.empty()) {
        v = v->is_object() ? v->as_object().if_contains(t.out.criterion) : nullptr;
      }
      if (v && !v->is_null()) Add(t, *v);
    }
  }
  std::vector<ScoreSummary> out;
  for (Tally& t : tallies) {
    const std::string& kind = t.out.kind;
    if (t.out.answered > 0 &&
        (kind == "pass_fail" || kind == "rating" || kind == "number" || kind == "points")) {
      t.out.mean = t.sum / static_cast<double>(t.out.answered);
    }
    out.push_back(std::move(t.out));
  }
  return out;
}

// ---- the service ----

ReviewService::ReviewService(db::Database& db, const Clock& clock,
                             projects::ProjectService& projects, experts::ExpertService& experts,
                             ReviewOptions options)
    : db_(db), clock_(clock), projects_(projects), experts_(experts), options_(options) {}

ReviewService::~ReviewService() { Stop(); }

Result<Policy> ReviewService::GetPolicy(const Caller& lab, std::int64_t project_id) {
  return db_.Read<Policy>([&](soci::session& s) -> Result<Policy> {
    tenancy::LabScope scope = projects_.tenancy().Scope(s, lab.org_id);
    long long id = 0;
    if (!scope.Query("SELECT id FROM projects WHERE org_id = :org AND id = :p")
             .Bind(project_id)
             .One(id)) {
      return NotFound("no such project");
    }
    db::Query q = scope.Query("SELECT " FW_POLICY_COLUMNS
                              "FROM review_policies WHERE org_id = :org AND project_id = :p");
    Policy p = ReadPolicy(q.Bind(project_id));
    FW_TRY(p.form, FormOf(s, project_id));
    return p;
  });
}

Result<Policy> ReviewService::PutPolicy(const Caller& lab, std::int64_t project_id,
                                        const json::object& body) {
  const long long now = clock_.Now();
  return db_.Write<Policy>([&](soci::session& s) -> Result<Policy> {
    tenancy::LabScope scope = projects_.tenancy().Scope(s, lab.org_id);
    long long id = 0;
    if (!scope.Query("SELECT id FROM projects WHERE org_id = :org AND id = :p")
             .Bind(project_id)
             .One(id)) {
      return NotFound("no such project");
    }
    Policy current = PolicyOf(s, project_id);
    FW_TRY(current.form, FormOf(s, project_id));
    FW_TRY(Policy p, ApplyPolicy(std::move(current), body));
    std::optional<long long> cap;
    if (p.time_cap_seconds) cap = *p.time_cap_seconds;
    std::optional<std::string> form;
    if (p.form) form = ToJson(FormJson(*p.form));
    std::optional<long long> by;
    if (lab.user_id) by = lab.user_id;
    scope
        .Query(
            "INSERT INTO review_policies (project_id, org_id, mode, rate_new, rate_low_accuracy, "
            "rate_trusted, new_judgments, low_gold_accuracy, approval_window_days, "
            "speed_flag_ratio, time_cap_seconds, second_review_rate, form, updated_by, "
            "updated_at) VALUES (:p, :org, :m, :rn, :rl, :rt, :nj, :lga, :w, :sf, :cap, :sr, "
            ":form, :by, :at) "
            "ON CONFLICT (project_id) DO UPDATE SET mode = excluded.mode, rate_new = "
            "excluded.rate_new, rate_low_accuracy = excluded.rate_low_accuracy, rate_trusted = "
            "excluded.rate_trusted, new_judgments = excluded.new_judgments, low_gold_accuracy = "
            "excluded.low_gold_accuracy, approval_window_days = excluded.approval_window_days, "
            "speed_flag_ratio = excluded.speed_flag_ratio, time_cap_seconds = "
            "excluded.time_cap_seconds, second_review_rate = excluded.second_review_rate, "
            "form = excluded.form, updated_by = excluded.updated_by, updated_at = "
            "excluded.updated_at")
        .Bind(project_id)
        .Bind(p.mode)
        .Bind(p.rate_new)
        .Bind(p.rate_low_accuracy)
        .Bind(p.rate_trusted)
        .Bind(p.new_judgments)
        .Bind(p.low_gold_accuracy)
        .Bind(p.approval_window_days)
        .Bind(p.speed_flag_ratio)
        .Bind(cap)
        .Bind(p.second_review_rate)
        .Bind(form)
        .Bind(by)
        .Bind(now)
        .Run();
    return p;
  });
}

bool ReviewService::TooFast(soci::session& s, const Policy& p, const work::Submission& sub) {
  if (p.speed_flag_ratio <= 0) return false;
  const std::int64_t now = clock_.Now();
  // The median moves slowly once a project has enough submissions, so it is read again at most
  // every kSpeedBaseSeconds rather than for every submission.
  auto cached = speed_.With([&](std::map<std::int64_t, SpeedBase>& m) -> std::optional<SpeedBase> {
    auto it = m.find(sub.project_id);
    if (it == m.end() || it->second.count < options_.speed_min ||
        now - it->second.at >= kSpeedBaseSeconds) {
      return std::nullopt;
    }
    return it->second;
  });
  if (!cached) {
    cached = ReadSpeedBase(s, sub.project_id, sub.id, options_.speed_window, now);
    speed_.With([&](std::map<std::int64_t, SpeedBase>& m) { m[sub.project_id] = *cached; });
  }
  if (cached->count < options_.speed_min) return false;
  return static_cast<double>(sub.active_seconds) < p.speed_flag_ratio * cached->median;
}

Status ReviewService::OnSubmissionStored(soci::session& s, const work::SubmissionStored& e) {
  const work::Submission& sub = e.submission;
  const Policy p = PolicyOf(s, sub.project_id);
  std::string hold;
  if (e.gold_correct && !*e.gold_correct) {
    hold = "gold_failed";
  } else if (p.time_cap_seconds && sub.active_seconds > *p.time_cap_seconds) {
    hold = "over_cap";
  } else if (TooFast(s, p, sub)) {
    hold = "speed";
  } else if (p.mode == "all") {
    hold = "all";
  } else {
    bool text = false;
    if (p.mode == "free_text") {
      FW_TRY(auto tmpl, projects_.TemplateVersion(sub.project_id, sub.template_version));
      text = HasTextQuestion(*tmpl);
    }
    if (text) {
      hold = "free_text";
    } else {
      long long judgments = 0, gold_total = 0, gold_correct = 0;
      db::Query(s,
                "SELECT judgments, gold_total, gold_correct FROM expert_standings WHERE "
                "project_id = :p AND expert_id = :e")
          .Bind(sub.project_id)
          .Bind(e.expert_id)
          .One(judgments, gold_total, gold_correct);
      double rate = p.rate_trusted;
      // The standing has counted this submission already (its subscriber runs first), so the
      // judgments before it are one fewer.
      if (judgments - 1 < p.new_judgments) {
        rate = p.rate_new;
      } else if (gold_total > 0 && static_cast<double>(gold_correct) <
                                       p.low_gold_accuracy * static_cast<double>(gold_total)) {
        rate = p.rate_low_accuracy;
      }
      if (Draw(sub.id, options_.seed) < rate) hold = "sampled";
    }
  }
  const bool second = !hold.empty() && Draw(sub.id, options_.seed + 1) < p.second_review_rate;
  std::optional<std::string> hold_col;
  std::optional<long long> due;
  if (hold.empty()) {
    due = sub.submitted_at + static_cast<long long>(p.approval_window_days) * 86400;
  } else {
    hold_col = hold;
  }
  std::optional<long long> cap;
  if (p.time_cap_seconds) cap = *p.time_cap_seconds;
  db::Query(s,
            "INSERT INTO acceptances (submission_id, org_id, project_id, assignment_id, item_id, "
            "expert_id, status, hold, second_wanted, active_seconds, time_cap_seconds, "
            "submitted_at, due_at) VALUES (:s, :o, :p, :a, :i, :e, :st, :h, :sw, :act, :cap, :at, "
            ":due)")
      .Bind(sub.id)
      .Bind(e.org_id)
      .Bind(sub.project_id)
      .Bind(sub.assignment_id)
      .Bind(sub.item_id)
      .Bind(e.expert_id)
      .Bind(hold.empty() ? "pending" : "in_review")
      .Bind(hold_col)
      .Bind(second ? 1 : 0)
      .Bind(sub.active_seconds)
      .Bind(cap)
      .Bind(sub.submitted_at)
      .Bind(due)
      .Run();
  return {};
}

// ---- reviewers ----

Result<bool> ReviewService::MayReview(soci::session& s, std::int64_t reviewer_id,
                                      std::int64_t project_id) {
  std::string domain;
  int min_level = 0;
  if (!db::Query(s, "SELECT domain, min_level FROM projects WHERE id = :p")
           .Bind(project_id)
           .One(domain, min_level)) {
    return NotFound("no such project");
  }
  FW_TRY(auto quals, experts_.Qualifications(reviewer_id, &s));
  return Reviews(quals, domain, min_level, clock_.Now());
}

Result<std::vector<ReviewProject>> ReviewService::Projects(const Caller& reviewer) {
  const long long now = clock_.Now(), me = reviewer.user_id;
  return db_.Read<std::vector<ReviewProject>>(
      [&](soci::session& s) -> Result<std::vector<ReviewProject>> {
        FW_TRY(auto quals, experts_.Qualifications(me, &s));
        std::vector<ReviewProject> out;
        ReviewProject r;
        db::Query(s,
                  "SELECT a.project_id, p.name, p.domain, p.min_level, COUNT(*) FROM acceptances a "
                  "JOIN projects p ON p.id = a.project_id WHERE a.status = 'in_review' AND "
                  "a.expert_id <> :me AND (a.claim_expires_at IS NULL OR a.claim_expires_at <= "
                  ":n) AND p.status <> 'archived' GROUP BY a.project_id, p.name, p.domain, "
                  "p.min_level ORDER BY p.name, a.project_id")
            .Bind(me)
            .Bind(now)
            .Each(
                [&] {
                  if (Reviews(quals, r.domain, r.min_level, now)) out.push_back(r);
                  return true;
                },
                r.id, r.name, r.domain, r.min_level, r.waiting);
        return out;
      });
}

namespace {

// Claims a round of review in the project for `me` inside `s`: the first candidate whose
// acceptance row the claim takes (another reviewer may take one between the read and the
// write on PostgreSQL). Returns the review id, or nullopt when none waits; `took_expired` says
// whether the claim replaced another reviewer's claim that ran out.
std::optional<long long> ClaimIn(soci::session& s, long long me, long long project_id,
                                 long long now, bool& took_expired) {
  took_expired = false;
  const long long expires = now + kClaimSeconds;
  for (int second = 0; second < 2; ++second) {
    std::vector<std::tuple<long long, int, long long, std::optional<long long>>> rows;
    if (second == 0) {
      rows = db::Query(
                 s,
                 "SELECT a.submission_id, a.round, a.org_id, a.claim_review_id FROM acceptances a "
                 "WHERE a.project_id = :p AND a.status = 'in_review' AND a.expert_id <> :me AND "
                 "(a.claim_expires_at IS NULL OR a.claim_expires_at <= :n) AND "
                 "(a.preferred_reviewer IS NULL OR a.preferred_reviewer = :me2 OR "
                 "a.preferred_until <= :n2) AND NOT EXISTS (SELECT 1 FROM reviews r WHERE "
                 "r.submission_id = a.submission_id AND r.round = a.round AND r.reviewer_id = "
                 ":me3 AND r.state <> 'expired') ORDER BY CASE WHEN a.preferred_reviewer = :me4 "
                 "THEN 0 ELSE 1 END, a.submitted_at, a.submission_id LIMIT 20")
                 .Bind(project_id)
                 .Bind(me)
                 .Bind(now)
                 .Bind(me)
                 .Bind(now)
                 .Bind(me)
                 .Bind(me)
                 .All<long long, int, long long, std::optional<long long>>();
    } else {
      rows = db::Query(
                 s,
                 "SELECT a.submission_id, a.round, a.org_id, a.claim_review_id FROM acceptances a "
                 "WHERE a.project_id = :p AND a.second_wanted = 1 AND a.status IN ('accepted', "
                 "'rejected') AND a.decided_by IS NOT NULL AND a.decided_by <> :me AND "
                 "a.expert_id <> :me2 AND (a.claim_expires_at IS NULL OR a.claim_expires_at <= "
                 ":n) AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.submission_id = "
                 "a.submission_id AND r.round = a.round AND r.reviewer_id = :me3 AND r.state <> "
                 "'expired') ORDER BY a.decided_at, a.submission_id LIMIT 20")
                 .Bind(project_id)
                 .Bind(me)
                 .Bind(me)
                 .Bind(now)
                 .Bind(me)
                 .All<long long, int, long long, std::optional<long long>>();
    }
    for (const auto& [sid, round, org, old_claim] : rows) {
      const long long taken =
          db::Query(s,
                    second == 0
                        ? "UPDATE acceptances SET claim_expires_at = :x WHERE submission_id = :s "
                          "AND round = :r AND status = 'in_review' AND (claim_expires_at IS NULL "
                          "OR claim_expires_at <= :n)"
                        : "UPDATE acceptances SET claim_expires_at = :x WHERE submission_id = :s "
                          "AND round = :r AND second_wanted = 1 AND (claim_expires_at IS NULL OR "
                          "claim_expires_at <= :n)")
              .Bind(expires)
              .Bind(sid)
              .Bind(round)
              .Bind(now)
              .Run();
      if (taken != 1) continue;
      if (old_claim) {
        took_expired = db::Query(s,
                                 "UPDATE reviews SET state = 'expired' WHERE id = :id AND state = "
                                 "'claimed'")
                           .Bind(*old_claim)
                           .Run() == 1;
      }
      long long review_id = 0;
      if (db::Query(s,
                    "SELECT id FROM reviews WHERE submission_id = :s AND round = :r AND "
                    "reviewer_id = :me")
              .Bind(sid)
              .Bind(round)
              .Bind(me)
              .One(review_id)) {
        db::Query(s,
                  "UPDATE reviews SET state = 'claimed', second_opinion = :sec, claimed_at = :n, "
                  "claim_expires_at = :x WHERE id = :id")
            .Bind(second)
            .Bind(now)
            .Bind(expires)
            .Bind(review_id)
            .Run();
      } else {
        db::Query(
            s,
            "INSERT INTO reviews (submission_id, org_id, project_id, reviewer_id, round, "
            "second_opinion, state, claimed_at, claim_expires_at) VALUES (:s, :o, :p, :me, :r, "
            ":sec, 'claimed', :n, :x) RETURNING id")
            .Bind(sid)
            .Bind(org)
            .Bind(project_id)
            .Bind(me)
            .Bind(round)
            .Bind(second)
            .Bind(now)
            .Bind(expires)
            .One(review_id);
      }
      db::Query(s, "UPDATE acceptances SET claim_review_id = :rid WHERE submission_id = :s")
          .Bind(review_id)
          .Bind(sid)
          .Run();
      return review_id;
    }
  }
  return std::nullopt;
}

}  // namespace

Result<Task> ReviewService::LoadTask(soci::session& s, std::int64_t review_id) {
  Task t;
  t.review_id = review_id;
  int second = 0;
  long long org = 0;
  std::optional<std::string> hold;
  std::optional<long long> cap;
  std::string answer, payload;
  std::optional<std::string> form;
  if (!db::Query(s,
                 "SELECT r.submission_id, r.round, r.second_opinion, r.claim_expires_at, a.hold, "
                 "a.active_seconds, a.time_cap_seconds, a.org_id, a.project_id, p.name, "
                 "sub.item_id, sub.template_version, sub.answer, i.payload, pol.form FROM reviews "
                 "r JOIN acceptances a ON a.submission_id = r.submission_id JOIN submissions sub "
                 "ON sub.id = r.submission_id JOIN projects p ON p.id = a.project_id JOIN items i "
                 "ON i.id = sub.item_id LEFT JOIN review_policies pol ON pol.project_id = "
                 "a.project_id WHERE r.id = :id")
           .Bind(review_id)
           .One(t.submission_id, t.round, second, t.claim_expires_at, hold, t.active_seconds, cap,
                org, t.project_id, t.project_name, t.item_id, t.template_version, answer, payload,
                form)) {
    return NotFound("no such review");
  }
  const tenancy::Tenancy& tn = projects_.tenancy();
  t.hold = second ? "second_opinion" : hold.value_or("");
  t.time_cap_seconds = cap;
  FW_TRY(t.answer, OpenJson(tn, org, answer, "answer"));
  FW_TRY(t.data, OpenJson(tn, org, payload, "payload"));
  FW_TRY(t.tmpl, projects_.TemplateVersion(t.project_id, t.template_version));
  FW_TRY(t.guidelines, projects_.Guidelines(t.project_id, t.template_version));
  FW_TRY(auto policy_form, FormFrom(form));
  FW_TRY(t.form, EffectiveForm(policy_form, *t.tmpl));
  std::map<int, json::value> answers;
  for (auto& [round, stored] :
       db::Query(s, "SELECT round, answer FROM submission_revisions WHERE submission_id = :s")
           .Bind(t.submission_id)
           .All<int, std::string>()) {
    FW_TRY(answers[round], OpenJson(tn, org, stored, "answer"));
  }
  for (auto& [round, outcome, comment, decided_at] :
       db::Query(s,
                 "SELECT round, outcome, comment, decided_at FROM reviews WHERE submission_id = "
                 ":s AND second_opinion = 0 AND state = 'decided' AND round < :r ORDER BY round")
           .Bind(t.submission_id)
           .Bind(t.round)
           .All<int, std::string, std::string, long long>()) {
    Round r;
    r.round = round;
    r.outcome = outcome;
    r.comment = comment;
    r.decided_at = decided_at;
    auto it = answers.upper_bound(round);
    r.answer = it == answers.begin() ? t.answer : std::prev(it)->second;
    t.history.push_back(std::move(r));
  }
  return t;
}

Result<std::optional<Task>> ReviewService::Next(const Caller& reviewer,
                                                std::optional<std::int64_t> project_id) {
  const long long me = reviewer.user_id, now = clock_.Now();
  // The reviewer's open claim first, so a reloaded queue resumes instead of hoarding.
  FW_TRY(auto open, db_.Read<std::optional<long long>>(
                        [&](soci::session& s) -> Result<std::optional<long long>> {
                          if (project_id) {
                            FW_TRY(bool may, MayReview(s, me, *project_id));
                            if (!may) {
                              return Fail(ErrorCode::kPermissionDenied,
                                          "reviewing this project needs reviewer rights in its "
                                          "domain at its level or higher",
                                          {}, "not_qualified");
                            }
                          }
                          long long id = 0, p = 0;
                          bool found = false;
                          db::Query(s,
                                    "SELECT r.id, r.project_id FROM reviews r JOIN acceptances a "
                                    "ON a.claim_review_id = r.id WHERE r.reviewer_id = :me AND "
                                    "r.state = 'claimed' AND r.claim_expires_at > :n ORDER BY r.id")
                              .Bind(me)
                              .Bind(now)
                              .Each(
                                  [&] {
                                    found = !project_id || *project_id == p;
                                    return !found;
                                  },
                                  id, p);
                          if (found) return std::optional<long long>(id);
                          return std::optional<long long>();
                        }));
  if (!open) {
    std::vector<std::int64_t> candidates;
    if (project_id) {
      candidates.push_back(*project_id);
    } else {
      FW_TRY(auto projects, Projects(reviewer));
      for (const ReviewProject& p : projects) candidates.push_back(p.id);
      // Second opinions wait in projects with nothing in review too.
      FW_TRY(auto more, db_.Read<std::vector<std::int64_t>>(
                            [&](soci::session& s) -> Result<std::vector<std::int64_t>> {
                              std::vector<std::int64_t> out;
                              for (auto& [p] : db::Query(s,
                                                         "SELECT DISTINCT project_id FROM "
                                                         "acceptances WHERE second_wanted = 1 AND "
                                                         "status IN ('accepted', 'rejected') AND "
                                                         "decided_by <> :me")
                                                   .Bind(me)
                                                   .All<long long>()) {
                                FW_TRY(bool may, MayReview(s, me, p));
                                if (may) out.push_back(p);
                              }
                              return out;
                            }));
      for (std::int64_t p : more) {
        if (std::find(candidates.begin(), candidates.end(), p) == candidates.end()) {
          candidates.push_back(p);
        }
      }
    }
    bool took_expired = false;
    for (std::int64_t p : candidates) {
      auto job = [&](soci::session& s) -> Result<std::optional<long long>> {
        return ClaimIn(s, me, p, now, took_expired);
      };
      auto claimed = db_.Write<std::optional<long long>>(job);
      // Two claims of one reviewer racing on PostgreSQL: the unique round refuses one.
      if (!claimed && claimed.error().code == ErrorCode::kConflict &&
          claimed.error().reason.empty()) {
        claimed = db_.Write<std::optional<long long>>(job);
      }
      FW_TRY(open, std::move(claimed));
      if (open) {
        if (took_expired) ++counters_.claims_expired;
        break;
      }
    }
  }
  if (!open) return std::optional<Task>();
  FW_TRY(Task t, db_.Read<Task>([&](soci::session& s) { return LoadTask(s, *open); }));
  return std::optional<Task>(std::move(t));
}

Result<std::vector<Task>> ReviewService::Claims(const Caller& reviewer) {
  const long long me = reviewer.user_id, now = clock_.Now();
  return db_.ReadSnapshot<std::vector<Task>>([&](soci::session& s) -> Result<std::vector<Task>> {
    std::vector<Task> out;
    for (auto& [id] : db::Query(s,
                                "SELECT r.id FROM reviews r JOIN acceptances a ON "
                                "a.claim_review_id = r.id WHERE r.reviewer_id = :me AND r.state = "
                                "'claimed' AND r.claim_expires_at > :n ORDER BY r.id")
                          .Bind(me)
                          .Bind(now)
                          .All<long long>()) {
      FW_TRY(Task t, LoadTask(s, id));
      out.push_back(std::move(t));
    }
    return out;
  });
}

namespace {

// A review with its submission's acceptance, as a decision or release finds it.
struct ReviewState {
  long long submission_id = 0, org_id = 0, project_id = 0, assignment_id = 0, expert_id = 0,
            claim_expires_at = 0, active_seconds = 0, lease_seconds = 0;
  int round = 1, second = 0, final_round = 0;
  std::string state, status;
  std::optional<std::string> outcome, reason;
  std::string comment;
  std::optional<long long> claim_review_id, cap;
};

bool LoadState(soci::session& s, long long review_id, long long me, ReviewState& r) {
  return db::Query(
             s,
             "SELECT r.submission_id, r.org_id, r.project_id, a.assignment_id, a.expert_id, "
             "r.claim_expires_at, a.active_seconds, p.lease_seconds, r.round, r.second_opinion, "
             "a.final_round, r.state, a.status, r.outcome, r.reason, r.comment, "
             "a.claim_review_id, a.time_cap_seconds FROM reviews r JOIN acceptances a ON "
             "a.submission_id = r.submission_id JOIN projects p ON p.id = r.project_id "
             "WHERE r.id = :id AND r.reviewer_id = :me")
      .Bind(review_id)
      .Bind(me)
      .One(r.submission_id, r.org_id, r.project_id, r.assignment_id, r.expert_id,
           r.claim_expires_at, r.active_seconds, r.lease_seconds, r.round, r.second, r.final_round,
           r.state, r.status, r.outcome, r.reason, r.comment, r.claim_review_id, r.cap);
}

bool SameDecision(const ReviewState& r, const Decision& d) {
  return r.outcome.value_or("") == d.outcome && r.reason.value_or("") == d.reason &&
         r.comment == d.comment;
}

// The reviewer's scores as stored (JSON text; none when empty), checked against the effective
// form of the submission's project and template version: its required questions are due when
// the decision is final (accept, reject), not for rework.
// Errors: kNotFound (not the reviewer's review), kUnprocessable (a detail per member).
Result<std::optional<std::string>> CheckScores(db::Database& db, projects::ProjectService& projects,
                                               long long review_id, long long me,
                                               const Decision& d) {
  struct Source {
    long long project = 0;
    int version = 1;
    std::optional<std::string> form;
  };
  FW_TRY(Source src, db.Read<Source>([&](soci::session& s) -> Result<Source> {
    Source out;
    if (!db::Query(s,
                   "SELECT sub.project_id, sub.template_version, pol.form FROM reviews r JOIN "
                   "submissions sub ON sub.id = r.submission_id LEFT JOIN review_policies pol ON "
                   "pol.project_id = sub.project_id WHERE r.id = :id AND r.reviewer_id = :me")
             .Bind(review_id)
             .Bind(me)
             .One(out.project, out.version, out.form)) {
      return NotFound("no such review");
    }
    return out;
  }));
  FW_TRY(auto tmpl, projects.TemplateVersion(src.project, src.version));
  FW_TRY(auto policy_form, FormFrom(src.form));
  FW_TRY(auto form, EffectiveForm(policy_form, *tmpl));
  const bool empty = d.scores.is_null() || (d.scores.is_object() && d.scores.as_object().empty());
  if (!form) {
    if (empty) return std::optional<std::string>();
    return Unprocessable("this project has no review form to score",
                         {{"scores", "unexpected", "the project has nothing to score"}});
  }
  const bool final = d.outcome != "rework";
  if (auto st = projects::ValidateAnswer(*form, empty ? json::value(json::object()) : d.scores);
      !st) {
    Error e = st.error();
    std::vector<FieldError> kept;
    for (FieldError& f : e.details) {
      if (!final && f.code == "required") continue;
      if (f.field.rfind("answer", 0) == 0) f.field = "scores" + f.field.substr(6);
      kept.push_back(std::move(f));
    }
    if (!kept.empty()) {
      e.message = "the scores do not fit the project's review form";
      e.details = std::move(kept);
      return Fail(std::move(e));
    }
  }
  if (empty) return std::optional<std::string>();
  return std::optional<std::string>(ToJson(d.scores));
}

Error AlreadyDecided() {
  return Error(ErrorCode::kConflict, "this submission was decided already", {}, "already_decided");
}
Error ClaimExpired() {
  return Error(ErrorCode::kConflict,
               "the claim on this review ran out or was given back; claim it again with next", {},
               "claim_expired");
}

}  // namespace

Result<DecisionResult> ReviewService::Decide(const Caller& reviewer, std::int64_t review_id,
                                             const Decision& d) {
  FW_TRY_STATUS(CheckDecision(d));
  const long long me = reviewer.user_id;
  FW_TRY(std::optional<std::string> scores_text,
         CheckScores(db_, projects_, review_id, me, d));
  const long long now = clock_.Now();
  std::optional<Outcome> decided;  // a final decision this call stored
  bool reworked = false;           // a rework this call stored
  auto job = [&](soci::session& s) -> Result<DecisionResult> {
    decided.reset();
    reworked = false;
    ReviewState r;
    if (!LoadState(s, review_id, me, r)) return NotFound("no such review");
    DecisionResult out{r.submission_id, r.status, d.outcome};
    if (r.state == "decided") {
      if (SameDecision(r, d)) return out;
      return Fail(AlreadyDecided());
    }
    if (r.state != "claimed") return Fail(ClaimExpired());
    if (!r.claim_review_id || *r.claim_review_id != review_id || r.claim_expires_at <= now) {
      if (!r.second && r.status != "in_review") return Fail(AlreadyDecided());
      return Fail(ClaimExpired());
    }
    std::optional<std::string> sealed;
    if (scores_text) sealed = projects_.tenancy().Seal(r.org_id, *scores_text);
    auto record = [&] {
      db::Query(s,
                "UPDATE reviews SET state = 'decided', outcome = :o, reason = :r, comment = :c, "
                "scores = :sc, approve_over_cap = :ap, decided_at = :n WHERE id = :id")
          .Bind(d.outcome)
          .Bind(d.reason.empty() ? std::optional<std::string>() : d.reason)
          .Bind(d.comment)
          .Bind(sealed)
          .Bind(d.approve_over_cap ? 1 : 0)
          .Bind(now)
          .Bind(review_id)
          .Run();
    };
    if (r.second) {
      if (db::Query(s,
                    "UPDATE acceptances SET second_wanted = 0, claim_review_id = NULL, "
                    "claim_expires_at = NULL WHERE submission_id = :s AND claim_review_id = :rid")
              .Bind(r.submission_id)
              .Bind(review_id)
              .Run() != 1) {
        return Fail(ClaimExpired());
      }
      record();
      return out;
    }
    if (d.outcome == "rework" && r.final_round) {
      return Fail(ErrorCode::kConflict,
                  "the rework time of this submission ran out; accept or reject it", {},
                  "rework_not_allowed");
    }
    long long changed = 0;
    if (d.outcome == "rework") {
      out.status = "rework";
      changed = db::Query(s,
                          "UPDATE acceptances SET status = 'rework', comment = :c, "
                          "rework_started_at = :n, rework_due_at = :due, preferred_reviewer = "
                          ":me, preferred_until = NULL, claim_review_id = NULL, claim_expires_at "
                          "= NULL WHERE submission_id = :s AND status = 'in_review' AND "
                          "claim_review_id = :rid")
                    .Bind(d.comment)
                    .Bind(now)
                    .Bind(now + r.lease_seconds)
                    .Bind(me)
                    .Bind(r.submission_id)
                    .Bind(review_id)
                    .Run();
    } else {
      const bool accept = d.outcome == "accept";
      const Outcome o = accept               ? Outcome::kAccepted
                        : d.reason == "spam" ? Outcome::kRejectedSpam
                                             : Outcome::kRejectedQuality;
      out.status = accept ? "accepted" : "rejected";
      changed = db::Query(s,
                          "UPDATE acceptances SET status = :st, outcome = :o, reason = :r, "
                          "comment = :c, approve_over_cap = :ap, decided_by = :me, decided_at = "
                          ":n, claim_review_id = NULL, claim_expires_at = NULL, "
                          "preferred_reviewer = NULL WHERE submission_id = :s AND status = "
                          "'in_review' AND claim_review_id = :rid")
                    .Bind(out.status)
                    .Bind(std::string(OutcomeName(o)))
                    .Bind(accept ? std::optional<std::string>() : d.reason)
                    .Bind(d.comment)
                    .Bind(d.approve_over_cap ? 1 : 0)
                    .Bind(me)
                    .Bind(now)
                    .Bind(r.submission_id)
                    .Bind(review_id)
                    .Run();
      if (changed == 1) {
        record();
        Decided e{r.submission_id,
                  r.assignment_id,
                  r.org_id,
                  r.project_id,
                  r.expert_id,
                  o,
                  me,
                  r.active_seconds,
                  Payable(r.active_seconds, r.cap, d.approve_over_cap),
                  now};
        FW_TRY_STATUS(decided_.PublishInTransaction(s, e));
        decided = o;
        return out;
      }
    }
    if (changed != 1) {
      // Another transaction decided first (PostgreSQL): this one's statement now sees it.
      ReviewState again;
      if (LoadState(s, review_id, me, again) && again.state == "decided" &&
          SameDecision(again, d)) {
        return DecisionResult{again.submission_id, again.status, d.outcome};
      }
      return Fail(AlreadyDecided());
    }
    record();
    reworked = true;
    return out;
  };
  auto result = db_.Write<DecisionResult>(job);
  if (!result && result.error().code == ErrorCode::kConflict && result.error().reason.empty()) {
    result = db_.Write<DecisionResult>(job);
  }
  if (result) {
    if (reworked) ++counters_.rework;
    if (decided) {
      switch (*decided) {
        case Outcome::kAccepted:
          ++counters_.accepted;
          break;
        case Outcome::kRejectedQuality:
          ++counters_.rejected_quality;
          break;
        case Outcome::kRejectedSpam:
          ++counters_.rejected_spam;
          break;
        case Outcome::kAutoAccepted:
          ++counters_.auto_accepted;
          break;
      }
    }
  }
  return result;
}

Status ReviewService::Release(const Caller& reviewer, std::int64_t review_id) {
  const long long me = reviewer.user_id;
  FW_TRY_STATUS(db_.Write<bool>([&](soci::session& s) -> Result<bool> {
    ReviewState r;
    if (!LoadState(s, review_id, me, r)) return NotFound("no such review");
    if (r.state == "decided") return Fail(AlreadyDecided());
    if (r.state != "claimed") return true;
    db::Query(s, "UPDATE reviews SET state = 'released' WHERE id = :id").Bind(review_id).Run();
    db::Query(s,
              "UPDATE acceptances SET claim_review_id = NULL, claim_expires_at = NULL, "
              "preferred_reviewer = NULL WHERE submission_id = :s AND claim_review_id = :rid")
        .Bind(r.submission_id)
        .Bind(review_id)
        .Run();
    return true;
  }));
  return {};
}

// ---- experts ----

Result<AnswerPage> ReviewService::MyAnswers(const Caller& expert,
                                            const std::optional<std::string>& status, int limit,
                                            std::int64_t before) {
  const long long me = expert.user_id;
  const long long upper = before > 0 ? before : std::numeric_limits<long long>::max();
  return db_.Read<AnswerPage>([&](soci::session& s) -> Result<AnswerPage> {
    AnswerPage page;
    AnswerStatus a;
    std::optional<std::string> outcome, reason;
    std::optional<long long> due, rework_due, decided;
    auto row = [&] {
      a.outcome = outcome.value_or("");
      a.reason = reason.value_or("");
      a.due_at = a.status == "rework"    ? rework_due.value_or(0)
                 : a.status == "pending" ? due.value_or(0)
                                         : 0;
      a.decided_at = decided.value_or(0);
      page.answers.push_back(a);
      return static_cast<int>(page.answers.size()) <= limit;
    };
#define FW_ANSWER_SELECT                                                                        \
  "SELECT a.submission_id, a.assignment_id, a.project_id, p.name, a.status, a.outcome, "        \
  "a.reason, a.comment, a.submitted_at, a.due_at, a.rework_due_at, a.decided_at, a.round FROM " \
  "acceptances a JOIN projects p ON p.id = a.project_id WHERE a.expert_id = :e AND "            \
  "a.submission_id < :b "
    if (status) {
      db::Query(s, FW_ANSWER_SELECT "AND a.status = :st ORDER BY a.submission_id DESC LIMIT :l")
          .Bind(me)
          .Bind(upper)
          .Bind(*status)
          .Bind(limit + 1)
          .Each(row, a.submission_id, a.assignment_id, a.project_id, a.project_name, a.status,
                outcome, reason, a.comment, a.submitted_at, due, rework_due, decided, a.round);
    } else {
      db::Query(s, FW_ANSWER_SELECT "ORDER BY a.submission_id DESC LIMIT :l")
          .Bind(me)
          .Bind(upper)
          .Bind(limit + 1)
          .Each(row, a.submission_id, a.assignment_id, a.project_id, a.project_name, a.status,
                outcome, reason, a.comment, a.submitted_at, due, rework_due, decided, a.round);
    }
#undef FW_ANSWER_SELECT
    if (static_cast<int>(page.answers.size()) > limit) {
      page.answers.resize(static_cast<std::size_t>(limit));
      page.next_before = page.answers.back().submission_id;
    }
    return page;
  });
}

Result<std::vector<ReworkTask>> ReviewService::Rework(const Caller& expert) {
  const long long me = expert.user_id, now = clock_.Now();
  return db_.Read<std::vector<ReworkTask>>(
      [&](soci::session& s) -> Result<std::vector<ReworkTask>> {
        std::vector<ReworkTask> out;
        const tenancy::Tenancy& tn = projects_.tenancy();
        for (auto& [sid, pid, name, item, payload, version, answer, comment, round, due, org] :
             db::Query(s,
                       "SELECT a.submission_id, a.project_id, p.name, sub.item_id, i.payload, "
                       "sub.template_version, sub.answer, a.comment, a.round, a.rework_due_at, "
                       "a.org_id FROM acceptances a JOIN projects p ON p.id = a.project_id JOIN "
                       "submissions sub ON sub.id = a.submission_id JOIN items i ON i.id = "
                       "sub.item_id WHERE a.expert_id = :e AND a.status = 'rework' AND "
                       "a.rework_due_at >= :n ORDER BY a.rework_due_at")
                 .Bind(me)
                 .Bind(now)
                 .All<long long, long long, std::string, long long, std::string, int, std::string,
                      std::string, int, long long, long long>()) {
          ReworkTask t;
          t.submission_id = sid;
          t.project_id = pid;
          t.project_name = name;
          t.item_id = item;
          FW_TRY(t.data, OpenJson(tn, org, payload, "payload"));
          t.template_version = version;
          FW_TRY(t.tmpl, projects_.TemplateVersion(pid, version));
          FW_TRY(t.guidelines, projects_.Guidelines(pid, version));
          FW_TRY(t.answer, OpenJson(tn, org, answer, "answer"));
          t.comment = comment;
          t.round = round;
          t.due_at = due;
          out.push_back(std::move(t));
        }
        return out;
      });
}

namespace {

// An expert's submission under review, as a revision finds it.
struct ReworkState {
  long long org_id = 0, project_id = 0, started = 0, due = 0, active = 0;
  int round = 1, version = 1, final_round = 0;
  std::string status;
};

// Why a revision of a submission that is not in rework is refused: the rework it had ran out
// (the last round is the one its time ran out in), or it was never sent back.
Error NotInRework(const ReworkState& w) {
  if (w.final_round) {
    return Error(ErrorCode::kConflict,
                 "the time for this rework ran out; the answer went back to review as it was", {},
                 "rework_expired");
  }
  return Error(ErrorCode::kConflict, "this submission is not sent back for rework", {},
               "not_in_rework");
}

bool LoadRework(soci::session& s, long long sid, long long me, ReworkState& w) {
  std::optional<long long> started, due;
  bool found =
      db::Query(s,
                "SELECT a.org_id, a.project_id, a.rework_started_at, a.rework_due_at, "
                "a.active_seconds, a.round, sub.template_version, a.status, a.final_round FROM "
                "acceptances a JOIN submissions sub ON sub.id = a.submission_id WHERE "
                "a.submission_id = :s AND a.expert_id = :e")
          .Bind(sid)
          .Bind(me)
          .One(w.org_id, w.project_id, started, due, w.active, w.round, w.version, w.status,
               w.final_round);
  w.started = started.value_or(0);
  w.due = due.value_or(0);
  return found;
}

// The revision stored under `key` (its round and answer), if any.
std::optional<std::pair<int, std::string>> RevisionByKey(soci::session& s, long long sid,
                                                         const std::string& key) {
  int round = 0;
  std::string answer;
  if (!db::Query(s,
                 "SELECT round, answer FROM submission_revisions WHERE submission_id = :s AND "
                 "idempotency_key = :k")
           .Bind(sid)
           .Bind(key)
           .One(round, answer)) {
    return std::nullopt;
  }
  return std::make_pair(round, answer);
}

// Sends rework past its due time back to review inside `s`, as the last round.
long long ExpireRework(soci::session& s, std::optional<long long> sid, long long now) {
  if (sid) {
    return db::Query(s,
                     "UPDATE acceptances SET status = 'in_review', round = round + 1, "
                     "final_round = 1, rework_started_at = NULL, rework_due_at = NULL, "
                     "preferred_until = :pu WHERE submission_id = :s AND status = 'rework' AND "
                     "rework_due_at < :n")
        .Bind(now + kClaimSeconds)
        .Bind(*sid)
        .Bind(now)
        .Run();
  }
  return db::Query(s,
                   "UPDATE acceptances SET status = 'in_review', round = round + 1, final_round "
                   "= 1, rework_started_at = NULL, rework_due_at = NULL, preferred_until = :pu "
                   "WHERE status = 'rework' AND rework_due_at < :n")
      .Bind(now + kClaimSeconds)
      .Bind(now)
      .Run();
}

}  // namespace

Result<RevisionResult> ReviewService::Revise(const Caller& expert, std::int64_t submission_id,
                                             const json::value& answer, std::string key,
                                             std::optional<std::int64_t> active_seconds) {
  if (key.empty() || key.size() > 128) {
    return InvalidArgument(
        "idempotency_key is required (1..128 characters)",
        {{"idempotency_key", key.empty() ? "required" : "too_long", "1..128 characters"}});
  }
  if (active_seconds && *active_seconds < 0) {
    return InvalidArgument("active_seconds must not be negative",
                           {{"active_seconds", "out_of_range", "must be >= 0"}});
  }
  const long long me = expert.user_id, sid = submission_id;
  const tenancy::Tenancy& tn = projects_.tenancy();
  auto replay = [&](const ReworkState& w,
                    const std::pair<int, std::string>& prior) -> Result<RevisionResult> {
    FW_TRY(json::value stored, OpenJson(tn, w.org_id, prior.second, "answer"));
    if (stored != answer) {
      return Conflict(
          "this idempotency key was used for a different revision; the first one is "
          "stored",
          "idempotency_key_conflict");
    }
    return RevisionResult{sid, prior.first, w.status};
  };
  struct Plan {
    ReworkState w;
    std::optional<std::pair<int, std::string>> prior;
  };
  FW_TRY(Plan plan, db_.Read<Plan>([&](soci::session& s) -> Result<Plan> {
    Plan p;
    if (!LoadRework(s, sid, me, p.w)) return NotFound("no such submission");
    p.prior = RevisionByKey(s, sid, key);
    return p;
  }));
  if (plan.prior) return replay(plan.w, *plan.prior);
  if (plan.w.status != "rework") return Fail(NotInRework(plan.w));
  FW_TRY(auto tmpl, projects_.TemplateVersion(plan.w.project_id, plan.w.version));
  if (auto st = projects::ValidateAnswer(*tmpl, answer); !st) {
    Error e = st.error();
    e.message = "the answer breaks the project's template";
    e.reason = "invalid_answer";
    return Fail(std::move(e));
  }
  const long long now = clock_.Now();
  struct Stored {
    std::optional<Error> ended;
    std::optional<std::pair<int, std::string>> prior;
    ReworkState w;
    int round = 0;
  };
  auto job = [&](soci::session& s) -> Result<Stored> {
    Stored o;
    if (!LoadRework(s, sid, me, o.w)) return NotFound("no such submission");
    if ((o.prior = RevisionByKey(s, sid, key))) return o;
    if (o.w.status != "rework") return Fail(NotInRework(o.w));
    if (o.w.due < now) {
      ExpireRework(s, sid, now);
      o.ended = Error(ErrorCode::kConflict,
                      "the time for this rework ran out; the answer went back to review as it was",
                      {}, "rework_expired");
      return o;
    }
    long long revisions = 0;
    db::Query(s, "SELECT COUNT(*) FROM submission_revisions WHERE submission_id = :s")
        .Bind(sid)
        .One(revisions);
    if (revisions == 0) {
      std::string original;
      long long original_active = 0, submitted_at = 0;
      db::Query(s, "SELECT answer, active_seconds, submitted_at FROM submissions WHERE id = :s")
          .Bind(sid)
          .One(original, original_active, submitted_at);
      db::Query(s,
                "INSERT INTO submission_revisions (submission_id, round, org_id, answer, "
                "active_seconds, idempotency_key, created_at) VALUES (:s, :r, :o, :a, :act, "
                "NULL, :n)")
          .Bind(sid)
          .Bind(o.w.round)
          .Bind(o.w.org_id)
          .Bind(original)
          .Bind(original_active)
          .Bind(submitted_at)
          .Run();
    }
    const long long active = std::clamp<long long>(active_seconds.value_or(0), 0,
                                                   std::max<long long>(0, now - o.w.started));
    o.round = o.w.round + 1;
    const std::string sealed = tn.Seal(o.w.org_id, ToJson(answer));
    db::Query(s,
              "INSERT INTO submission_revisions (submission_id, round, org_id, answer, "
              "active_seconds, idempotency_key, created_at) VALUES (:s, :r, :o, :a, :act, :k, :n)")
        .Bind(sid)
        .Bind(o.round)
        .Bind(o.w.org_id)
        .Bind(sealed)
        .Bind(active)
        .Bind(key)
        .Bind(now)
        .Run();
    db::Query(s, "UPDATE submissions SET answer = :a WHERE id = :s").Bind(sealed).Bind(sid).Run();
    if (db::Query(s,
                  "UPDATE acceptances SET status = 'in_review', round = :r, active_seconds = "
                  "active_seconds + :act, rework_started_at = NULL, rework_due_at = NULL, "
                  "preferred_until = :pu WHERE submission_id = :s AND status = 'rework'")
            .Bind(o.round)
            .Bind(active)
            .Bind(now + kClaimSeconds)
            .Bind(sid)
            .Run() != 1) {
      return Conflict("this submission is not sent back for rework", "not_in_rework");
    }
    return o;
  };
  auto out = db_.Write<Stored>(job);
  if (!out && out.error().code == ErrorCode::kConflict && out.error().reason.empty()) {
    out = db_.Write<Stored>(job);  // two identical revisions raced; the unique key kept one
  }
  if (!out) return Fail(std::move(out).error());
  if (out->ended) return Fail(std::move(*out->ended));
  if (out->prior) return replay(out->w, *out->prior);
  answer_revised_.PublishAfterCommit(AnswerRevised{sid, out->w.org_id, out->w.project_id,
                                                   out->round});
  return RevisionResult{sid, out->round, "in_review"};
}

// ---- labs ----

namespace {

// The scores of the project's decided reviews, summarized by its effective form (the current
// template's), into `out`.
Status ReadScores(projects::ProjectService& projects, tenancy::LabScope& scope,
                  std::int64_t project_id, Summary& out) {
  int version = 1;
  std::optional<std::string> form_text;
  scope
      .Query("SELECT p.template_version, pol.form FROM projects p LEFT JOIN review_policies pol ON "
             "pol.project_id = p.id WHERE p.org_id = :org AND p.id = :p")
      .Bind(project_id)
      .One(version, form_text);
  FW_TRY(auto tmpl, projects.TemplateVersion(project_id, version));
  FW_TRY(auto policy_form, FormFrom(form_text));
  FW_TRY(auto form, EffectiveForm(policy_form, *tmpl));
  std::vector<json::value> scores;
  for (auto& [stored] : scope
                                       .Query("SELECT scores FROM reviews WHERE org_id = :org "
                                              "AND project_id = :p AND state = 'decided' AND "
                                              "scores IS NOT NULL")
                                       .Bind(project_id)
                                       .All<std::string>()) {
    FW_TRY(std::string plain, scope.Open(stored));
    FW_TRY(json::value v, ParseJson(plain, "scores"));
    scores.push_back(std::move(v));
  }
  out.scored = static_cast<std::int64_t>(scores.size());
  if (form) out.scores = SummarizeScores(*form, scores);
  return {};
}

}  // namespace

Result<Summary> ReviewService::SummaryOf(const Caller& lab, std::int64_t project_id) {
  return db_.ReadSnapshot<Summary>([&](soci::session& s) -> Result<Summary> {
    tenancy::LabScope scope = projects_.tenancy().Scope(s, lab.org_id);
    long long id = 0;
    if (!scope.Query("SELECT id FROM projects WHERE org_id = :org AND id = :p")
             .Bind(project_id)
             .One(id)) {
      return NotFound("no such project");
    }
    Summary out;
    FW_TRY_STATUS(ReadScores(projects_, scope, project_id, out));
    for (auto& [status, n] :
         scope
             .Query("SELECT status, COUNT(*) FROM acceptances WHERE org_id = :org AND project_id "
                    "= :p GROUP BY status")
             .Bind(project_id)
             .All<std::string, long long>()) {
      if (status == "pending") out.pending = n;
      if (status == "in_review") out.in_review = n;
      if (status == "rework") out.rework = n;
      if (status == "accepted") out.accepted = n;
      if (status == "rejected") out.rejected = n;
    }
    for (auto& [expert, accepted, rejected] :
         scope
             .Query("SELECT expert_id, SUM(CASE WHEN status = 'accepted' THEN 1 ELSE 0 END), "
                    "SUM(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END) FROM acceptances WHERE "
                    "org_id = :org AND project_id = :p GROUP BY expert_id ORDER BY expert_id")
             .Bind(project_id)
             .All<long long, long long, long long>()) {
      out.experts.push_back({expert, accepted, rejected});
    }
    for (auto& [first, second] :
         scope
             .Query("SELECT r1.outcome, r2.outcome FROM reviews r1 JOIN reviews r2 ON "
                    "r2.submission_id = r1.submission_id AND r2.round = r1.round AND "
                    "r2.second_opinion = "
                    "1 AND r2.state = 'decided' WHERE r1.org_id = :org AND r1.project_id = :p AND "
                    "r1.second_opinion = 0 AND r1.state = 'decided'")
             .Bind(project_id)
             .All<std::string, std::string>()) {
      ++out.pairs;
      if (first == second) ++out.agreeing;
    }
    return out;
  });
}

// ---- the automatic acceptance ----

Result<int> ReviewService::AcceptDue(std::int64_t now) {
  const int batch = std::max(1, options_.batch);
  // One write job accepts up to `batch`; a job that fails (a subscriber's error) is retried a
  // row per job, so one bad row does not hold the others back.
  auto accept = [&](soci::session& s, std::optional<long long> only) -> Result<int> {
    using Row = std::tuple<long long, long long, long long, long long, long long, long long,
                           std::optional<long long>>;
    std::vector<Row> rows;
    if (only) {
      rows = db::Query(s,
                       "SELECT submission_id, assignment_id, org_id, project_id, expert_id, "
                       "active_seconds, time_cap_seconds FROM acceptances WHERE submission_id = "
                       ":s AND status = 'pending' AND due_at <= :n")
                 .Bind(*only)
                 .Bind(now)
                 .All<long long, long long, long long, long long, long long, long long,
                      std::optional<long long>>();
    } else {
      rows = db::Query(s,
                       "SELECT submission_id, assignment_id, org_id, project_id, expert_id, "
                       "active_seconds, time_cap_seconds FROM acceptances WHERE status = "
                       "'pending' AND due_at <= :n ORDER BY due_at LIMIT :l")
                 .Bind(now)
                 .Bind(batch)
                 .All<long long, long long, long long, long long, long long, long long,
                      std::optional<long long>>();
    }
    int n = 0;
    for (const auto& [sid, aid, org, pid, expert, active, cap] : rows) {
      if (db::Query(s,
                    "UPDATE acceptances SET status = 'accepted', outcome = 'auto_accepted', "
                    "decided_at = :n WHERE submission_id = :s AND status = 'pending'")
              .Bind(now)
              .Bind(sid)
              .Run() != 1) {
        continue;
      }
      Decided e{sid, aid,    org,
                pid, expert, Outcome::kAutoAccepted,
                0,   active, Payable(active, cap, false),
                now};
      FW_TRY_STATUS(decided_.PublishInTransaction(s, e));
      ++n;
    }
    return n;
  };
  int total = 0;
  for (;;) {
    auto done = db_.Write<int>([&](soci::session& s) { return accept(s, std::nullopt); });
    if (done) {
      total += *done;
      counters_.auto_accepted += *done;
      if (*done < batch) break;
      continue;
    }
    spdlog::warn("automatic acceptance: a batch failed ({}); accepting one at a time",
                 done.error().message);
    FW_TRY(
        auto due,
        db_.Read<std::vector<long long>>([&](soci::session& s) -> Result<std::vector<long long>> {
          std::vector<long long> ids;
          for (auto& [sid] : db::Query(s,
                                       "SELECT submission_id FROM acceptances WHERE status = "
                                       "'pending' AND due_at <= :n ORDER BY due_at LIMIT :l")
                                 .Bind(now)
                                 .Bind(batch)
                                 .All<long long>()) {
            ids.push_back(sid);
          }
          return ids;
        }));
    int failed = 0;
    for (long long sid : due) {
      auto one = db_.Write<int>([&](soci::session& s) { return accept(s, sid); });
      if (one) {
        total += *one;
        counters_.auto_accepted += *one;
      } else {
        ++failed;
        spdlog::warn("automatic acceptance of submission {} failed: {}", sid, one.error().message);
      }
    }
    // What failed stays pending for the next pass; stop here so this one ends.
    if (failed > 0 || static_cast<int>(due.size()) < batch) break;
  }
  return total;
}

Result<int> ReviewService::RunPass() {
  const long long now = clock_.Now();
  FW_TRY_STATUS(db_.Write<long long>(
      [&](soci::session& s) -> Result<long long> { return ExpireRework(s, std::nullopt, now); }));
  return AcceptDue(now);
}

void ReviewService::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Loop(); });
}

void ReviewService::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ReviewService::Loop() {
  std::unique_lock lock(mu_);
  const auto interval = std::chrono::seconds(std::max<std::int64_t>(1, options_.interval_seconds));
  while (!stopping_) {
    cv_.wait_for(lock, interval);
    if (stopping_) break;
    lock.unlock();
    if (auto done = RunPass(); !done) {
      spdlog::warn("the automatic acceptance pass failed: {}", done.error().message);
    }
    lock.lock();
  }
}

}  // namespace fw::review
