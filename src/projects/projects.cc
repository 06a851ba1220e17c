#include "projects/projects.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "base/json.h"
#include "db/query.h"
#include "projects/pool.h"

namespace fw::projects {

namespace json = boost::json;

std::string_view ProjectStatusName(ProjectStatus s) {
  switch (s) {
    case ProjectStatus::kActive:
      return "active";
    case ProjectStatus::kPaused:
      return "paused";
    case ProjectStatus::kArchived:
      return "archived";
  }
  return "active";
}

ProjectStatus ParseProjectStatus(std::string_view name) {
  if (name == "paused") return ProjectStatus::kPaused;
  if (name == "archived") return ProjectStatus::kArchived;
  return ProjectStatus::kActive;
}

namespace {

// A project row's columns, in ProjectRow's order (a macro, so statements stay literals that the
// lab scope checks when they compile).
#define FW_PROJECT_COLUMNS                                                                     \
  "id, org_id, name, description, preset, template, template_version, domain, min_level, "     \
  "redundancy, gold_rate, lease_seconds, status, created_at, updated_at, adaptive_threshold, " \
  "adaptive_min, adaptive_change, adaptive_gate, guidelines, min_exam_score, "                 \
  "credential_kinds, languages, competitors, terms_version, min_gold_accuracy, min_skill, "    \
  "standing_min_judgments, (SELECT t.text FROM project_terms t WHERE t.project_id = "          \
  "projects.id AND t.version = projects.terms_version), (SELECT t.created_at FROM "            \
  "project_terms t WHERE t.project_id = projects.id AND t.version = projects.terms_version)"

struct ProjectRow {
  long long id = 0, org_id = 0;
  std::string name, description, preset, tmpl;
  int version = 1;
  std::string domain;
  int min_level = 0, redundancy = 1;
  double gold_rate = 0;
  long long lease_seconds = 0;
  std::string status;
  long long created_at = 0, updated_at = 0;
  double adaptive_threshold = 0;
  int adaptive_min = 2;
  double adaptive_change = 0, adaptive_gate = 0;
  std::string guidelines;
  int min_exam_score = 0;
  std::string credential_kinds, languages, competitors;
  int terms_version = 0;
  std::optional<double> min_gold_accuracy, min_skill;
  int standing_min_judgments = 10;
  std::optional<std::string> terms;
  std::optional<long long> terms_created_at;
};

#define FW_PROJECT_OUT(r)                                                                     \
  r.id, r.org_id, r.name, r.description, r.preset, r.tmpl, r.version, r.domain, r.min_level,  \
      r.redundancy, r.gold_rate, r.lease_seconds, r.status, r.created_at, r.updated_at,       \
      r.adaptive_threshold, r.adaptive_min, r.adaptive_change, r.adaptive_gate, r.guidelines, \
      r.min_exam_score, r.credential_kinds, r.languages, r.competitors, r.terms_version,      \
      r.min_gold_accuracy, r.min_skill, r.standing_min_judgments, r.terms, r.terms_created_at

// A name the domain check could know: lowercase letters, digits and _, at most 64 bytes.
bool IsWellFormedDomain(std::string_view domain) {
  if (domain.empty() || domain.size() > 64) return false;
  return std::all_of(domain.begin(), domain.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

Status CheckGuidelines(const std::string& guidelines) {
  if (guidelines.size() <= kMaxGuidelinesBytes) return {};
  return InvalidArgument(
      "the guidelines are too long",
      {{"guidelines", "too_long", fmt::format("at most {} bytes", kMaxGuidelinesBytes)}});
}

}  // namespace

Status ValidateSettings(int redundancy, double gold_rate, std::int64_t lease_seconds, int min_level,
                        std::int64_t min_lease_seconds) {
  std::vector<FieldError> errors;
  if (redundancy < 1 || redundancy > 50)
    errors.push_back({"redundancy", "out_of_range", "must be 1..50"});
  if (!(gold_rate >= 0 && gold_rate <= 1))
    errors.push_back({"gold_rate", "out_of_range", "must be 0..1"});
  if (lease_seconds < min_lease_seconds || lease_seconds > 86400) {
    errors.push_back(
        {"lease_seconds", "out_of_range", fmt::format("must be {}..86400", min_lease_seconds)});
  }
  if (min_level < 0 || min_level > 5)
    errors.push_back({"min_level", "out_of_range", "must be 0..5"});
  if (!errors.empty()) return InvalidArgument("invalid project settings", std::move(errors));
  return {};
}

Status ValidateAdaptive(const Adaptive& adaptive, int redundancy) {
  if (!adaptive.enabled()) return {};
  std::vector<FieldError> errors;
  if (!(adaptive.threshold > 0.5 && adaptive.threshold <= 1)) {
    errors.push_back({"adaptive.threshold", "out_of_range", "must be in (0.5, 1], or 0 for off"});
  }
  if (adaptive.min < 1 || adaptive.min > redundancy) {
    errors.push_back(
        {"adaptive.min", "out_of_range", fmt::format("must be 1..redundancy ({})", redundancy)});
  }
  if (!(adaptive.change >= 0 && adaptive.change < 1)) {
    errors.push_back({"adaptive.change", "out_of_range", "must be in [0, 1)"});
  }
  if (!(adaptive.gate >= 0 && adaptive.gate < 1)) {
    errors.push_back({"adaptive.gate", "out_of_range", "must be in [0, 1)"});
  }
  if (!errors.empty()) return InvalidArgument("invalid adaptive redundancy", std::move(errors));
  return {};
}

const Question* AdaptiveQuestion(const Template& tmpl) {
  for (const Question& q : tmpl.questions()) {
    if (q.type() == QuestionType::kLabel || q.type() == QuestionType::kPreference) return &q;
  }
  return nullptr;
}

namespace {

// Adaptive redundancy watches one question (AdaptiveQuestion), so a template without one
// cannot have it on.
Status RequireAdaptiveQuestion(const Adaptive& adaptive, const Template& tmpl) {
  if (!adaptive.enabled() || AdaptiveQuestion(tmpl)) return {};
  return InvalidArgument(
      "adaptive redundancy needs a label or preference question",
      {{"adaptive", "no_question", "the template has no label or preference question"}});
}

}  // namespace

ProjectService::ProjectService(db::Database& db, const Clock& clock,
                               const tenancy::Tenancy& tenancy, ProjectOptions options)
    : db_(db), clock_(clock), tenancy_(tenancy), options_(std::move(options)) {}

Result<ProjectService::CachedVersion> ProjectService::Version(std::int64_t project_id,
                                                              int version) {
  {
    std::lock_guard lock(cache_mu_);
    auto it = templates_.find({project_id, version});
    if (it != templates_.end()) return it->second;
  }
  std::string text, guidelines;
  FW_TRY_STATUS(db_.Read<bool>([&](soci::session& s) -> Result<bool> {
    long long pid = project_id;
    bool found = db::Query(s,
                           "SELECT template, guidelines FROM template_versions WHERE project_id = "
                           ":p AND version = :v")
                     .Bind(pid)
                     .Bind(version)
                     .One(text, guidelines);
    if (!found) return NotFound("no such template version");
    return true;
  }));
  FW_TRY(json::value v, ParseJson(text, "template"));
  FW_TRY(Template t, ParseTemplate(v));
  CachedVersion cached{std::make_shared<const Template>(std::move(t)),
                       std::make_shared<const std::string>(std::move(guidelines))};
  std::lock_guard lock(cache_mu_);
  templates_.emplace(std::make_pair(project_id, version), cached);
  return cached;
}

Result<std::shared_ptr<const Template>> ProjectService::TemplateVersion(std::int64_t project_id,
                                                                        int version) {
  FW_TRY(CachedVersion v, Version(project_id, version));
  return v.tmpl;
}

Result<std::shared_ptr<const std::string>> ProjectService::Guidelines(std::int64_t project_id,
                                                                      int version) {
  FW_TRY(CachedVersion v, Version(project_id, version));
  return v.guidelines;
}

Status ProjectService::CheckDomain(const std::string& domain, int min_level) {
  if (domain.empty()) {
    if (min_level == 0) return {};
    return InvalidArgument(
        "a minimum level needs a domain",
        {{"min_level", "requires_domain", "a project open to every expert has min_level 0"}});
  }
  bool known = IsWellFormedDomain(domain);
  if (known && domain_check_) {
    FW_TRY(known, domain_check_(domain));
  }
  if (known) return {};
  std::string shown = domain.size() > 64 ? domain.substr(0, 64) + "..." : domain;
  return InvalidArgument(
      fmt::format("'{}' is not a known domain", shown),
      {{"domain", "unknown",
        "GET /api/v1/domains lists the domains; null opens the project to every expert"}});
}

namespace {
Result<Project> ToProject(ProjectRow& r) {
  Project p;
  p.id = r.id;
  p.org_id = r.org_id;
  p.name = std::move(r.name);
  p.description = std::move(r.description);
  p.preset = std::move(r.preset);
  FW_TRY(json::value v, ParseJson(r.tmpl, "template"));
  FW_TRY(Template t, ParseTemplate(v));
  p.tmpl = std::make_shared<const Template>(std::move(t));
  p.template_version = r.version;
  p.guidelines = std::move(r.guidelines);
  p.domain = std::move(r.domain);
  p.min_level = r.min_level;
  p.redundancy = r.redundancy;
  p.gold_rate = r.gold_rate;
  p.lease_seconds = r.lease_seconds;
  p.status = ParseProjectStatus(r.status);
  p.created_at = r.created_at;
  p.updated_at = r.updated_at;
  p.adaptive.threshold = r.adaptive_threshold;
  p.adaptive.min = r.adaptive_min;
  p.adaptive.change = r.adaptive_change;
  p.adaptive.gate = r.adaptive_gate;
  ExpertRequirements& req = p.requirements;
  req.min_exam_score = r.min_exam_score;
  req.credential_kinds = ParseStringArray(r.credential_kinds);
  req.languages = ParseStringArray(r.languages);
  req.competitors = ParseStringArray(r.competitors);
  if (r.terms_version > 0 && r.terms) {
    req.terms_version = r.terms_version;
    req.terms = std::move(*r.terms);
    req.terms_created_at = r.terms_created_at.value_or(0);
  }
  req.standing.min_gold_accuracy = r.min_gold_accuracy;
  req.standing.min_skill = r.min_skill;
  req.standing.min_judgments = r.standing_min_judgments;
  return p;
}
}  // namespace

Result<Project> ProjectService::LoadInTransaction(soci::session& s, std::int64_t project_id) {
  ProjectRow r;
  if (!db::Query(s, "SELECT " FW_PROJECT_COLUMNS " FROM projects WHERE id = :id")
           .Bind(project_id)
           .One(FW_PROJECT_OUT(r))) {
    return NotFound("no such project");
  }
  return ToProject(r);
}

namespace {

// Writes a project's requirements inside the lab's transaction; a changed terms text becomes
// the next version (numbers are never reused, so an acceptance names one text), "" none.
void StoreRequirements(tenancy::LabScope& lab, long long pid, const ExpertRequirements& r,
                       bool terms_changed, long long now) {
  int terms_version = r.terms_version;
  if (terms_changed) {
    terms_version = 0;
    if (!r.terms.empty()) {
      lab.Query(
             "SELECT COALESCE(MAX(version), 0) + 1 FROM project_terms WHERE org_id = :org AND "
             "project_id = :p")
          .Bind(pid)
          .One(terms_version);
      lab.Query(
             "INSERT INTO project_terms (project_id, version, org_id, text, created_at) VALUES "
             "(:p, :v, :org, :t, :c)")
          .Bind(pid)
          .Bind(terms_version)
          .Bind(r.terms)
          .Bind(now)
          .Run();
    }
  }
  lab.Query(
         "UPDATE projects SET min_exam_score = :s, credential_kinds = :k, languages = :l, "
         "competitors = :c, terms_version = :t, min_gold_accuracy = :g, min_skill = :sk, "
         "standing_min_judgments = :j WHERE org_id = :org AND id = :p")
      .Bind(r.min_exam_score)
      .Bind(ToJsonStringArray(r.credential_kinds))
      .Bind(ToJsonStringArray(r.languages))
      .Bind(ToJsonStringArray(r.competitors))
      .Bind(terms_version)
      .Bind(r.standing.min_gold_accuracy)
      .Bind(r.standing.min_skill)
      .Bind(r.standing.min_judgments)
      .Bind(pid)
      .Run();
}

}  // namespace

Result<Project> ProjectService::Create(const Caller& caller, NewProject req) {
  FW_CHECK(caller.IsLab() && caller.org_id != 0);
  std::vector<FieldError> errors;
  if (req.name.empty() || req.name.size() > 200)
    errors.push_back({"name", "required", "1..200 characters"});
  if (req.description.size() > 20000)
    errors.push_back({"description", "too_long", "at most 20000 characters"});
  if (!errors.empty()) return InvalidArgument("invalid project", std::move(errors));
  FW_TRY_STATUS(CheckGuidelines(req.guidelines));
  std::int64_t lease = req.lease_seconds.value_or(options_.default_lease_seconds);
  FW_TRY_STATUS(ValidateSettings(req.redundancy, req.gold_rate, lease, req.min_level,
                                 options_.min_lease_seconds));
  FW_TRY_STATUS(ValidateAdaptive(req.adaptive, req.redundancy));
  FW_TRY_STATUS(CheckDomain(req.domain, req.min_level));
  FW_TRY(ExpertRequirements requirements, ApplyRequirements({}, req.requirements));

  std::optional<Template> tmpl;
  if (req.tmpl) {
    FW_TRY(Template t, ParseTemplate(*req.tmpl));
    tmpl.emplace(std::move(t));
  } else if (!req.preset.empty()) {
    auto preset = PresetTemplate(req.preset);
    if (!preset) {
      return InvalidArgument(
          fmt::format("unknown preset '{}'", req.preset),
          {{"preset", "unknown", "one of sft, preference, rubric, adversarial, classification"}});
    }
    tmpl.emplace(std::move(*preset));
  } else {
    return InvalidArgument("a project needs a preset or a template",
                           {{"template", "required", "give preset or template"}});
  }
  FW_TRY_STATUS(RequireAdaptiveQuestion(req.adaptive, *tmpl));
  std::string tmpl_text = fw::ToJson(ToJson(*tmpl));
  long long now = clock_.Now();
  FW_TRY(long long id, db_.Write<long long>([&](soci::session& s) -> Result<long long> {
    tenancy::LabScope lab = tenancy_.Scope(s, caller.org_id);
    long long id = 0;
    lab.Query(
           "INSERT INTO projects (org_id, name, description, preset, template, template_version, "
           "domain, "
           "min_level, redundancy, gold_rate, lease_seconds, status, created_by, created_at, "
           "updated_at, "
           "adaptive_threshold, adaptive_min, adaptive_change, adaptive_gate, guidelines) "
           "VALUES (:org, :n, :d, :p, :t, 1, :dom, :ml, :r, :g, :l, 'active', :u, :c, :c2, :at, "
           ":am, :ac, "
           ":ag, :gl) RETURNING id")
        .Bind(req.name)
        .Bind(req.description)
        .Bind(req.preset)
        .Bind(tmpl_text)
        .Bind(req.domain)
        .Bind(req.min_level)
        .Bind(req.redundancy)
        .Bind(req.gold_rate)
        .Bind(lease)
        .Bind(caller.user_id)
        .Bind(now)
        .Bind(now)
        .Bind(req.adaptive.threshold)
        .Bind(req.adaptive.min)
        .Bind(req.adaptive.change)
        .Bind(req.adaptive.gate)
        .Bind(req.guidelines)
        .One(id);
    lab.Query(
           "INSERT INTO template_versions (project_id, version, org_id, template, guidelines, "
           "created_at) "
           "VALUES (:p, 1, :org, :t, :gl, :c)")
        .Bind(id)
        .Bind(tmpl_text)
        .Bind(req.guidelines)
        .Bind(now)
        .Run();
    StoreRequirements(lab, id, requirements, !requirements.terms.empty(), now);
    return id;
  }));
  return Get(caller, id);
}

Result<std::vector<Project>> ProjectService::List(const Caller& caller) {
  return db_.Read<std::vector<Project>>([&](soci::session& s) -> Result<std::vector<Project>> {
    std::vector<Project> out;
    ProjectRow r;
    Status status;
    tenancy_.Scope(s, caller.org_id)
        .Query("SELECT " FW_PROJECT_COLUMNS " FROM projects WHERE org_id = :org ORDER BY id DESC")
        .Each(
            [&] {
              auto p = ToProject(r);
              if (!p) status = tl::unexpected(p.error());
              if (p) out.push_back(std::move(*p));
              return p.has_value();
            },
            FW_PROJECT_OUT(r));
    FW_TRY_STATUS(status);
    return out;
  });
}

Result<Project> ProjectService::Get(const Caller& caller, std::int64_t project_id) {
  return db_.Read<Project>([&](soci::session& s) -> Result<Project> {
    ProjectRow r;
    if (!tenancy_.Scope(s, caller.org_id)
             .Query("SELECT " FW_PROJECT_COLUMNS " FROM projects WHERE org_id = :org AND id = :id")
             .Bind(project_id)
             .One(FW_PROJECT_OUT(r))) {
      return NotFound("no such project");
    }
    return ToProject(r);
  });
}

namespace {

// Adds template version n+1 inside a patch's transaction: the patch's template and
// guidelines, each read from the current version when the patch leaves it out (read here, in
// the transaction, so a concurrent patch's change is carried forward rather than undone).
void AddTemplateVersion(const tenancy::LabScope& lab, long long pid, long long now,
                        const std::optional<std::string>& tmpl_text,
                        const std::optional<std::string>& guidelines) {
  int version = 0;
  std::string current_tmpl, current_guidelines;
  lab.Query(
         "SELECT template_version, template, guidelines FROM projects WHERE org_id = :org AND id = "
         ":p")
      .Bind(pid)
      .One(version, current_tmpl, current_guidelines);
  ++version;
  const std::string& t = tmpl_text ? *tmpl_text : current_tmpl;
  const std::string& g = guidelines ? *guidelines : current_guidelines;
  lab.Query(
         "INSERT INTO template_versions (project_id, version, org_id, template, guidelines, "
         "created_at) "
         "VALUES (:p, :v, :org, :t, :g, :c)")
      .Bind(pid)
      .Bind(version)
      .Bind(t)
      .Bind(g)
      .Bind(now)
      .Run();
  lab.Query(
         "UPDATE projects SET template = :t, template_version = :v, guidelines = :g "
         "WHERE org_id = :org AND id = :p")
      .Bind(t)
      .Bind(version)
      .Bind(g)
      .Bind(pid)
      .Run();
}

}  // namespace

Result<Project> ProjectService::Update(const Caller& caller, std::int64_t project_id,
                                       ProjectPatch patch) {
  FW_TRY(Project current, Get(caller, project_id));
  std::vector<FieldError> errors;
  if (patch.name && (patch.name->empty() || patch.name->size() > 200)) {
    errors.push_back({"name", "required", "1..200 characters"});
  }
  if (!errors.empty()) return InvalidArgument("invalid project", std::move(errors));
  if (patch.guidelines) {
    FW_TRY_STATUS(CheckGuidelines(*patch.guidelines));
  }
  FW_TRY_STATUS(ValidateSettings(patch.redundancy.value_or(current.redundancy),
                                 patch.gold_rate.value_or(current.gold_rate),
                                 patch.lease_seconds.value_or(current.lease_seconds),
                                 current.min_level, options_.min_lease_seconds));
  Adaptive adaptive = patch.adaptive.value_or(current.adaptive);
  FW_TRY_STATUS(ValidateAdaptive(adaptive, patch.redundancy.value_or(current.redundancy)));
  std::optional<std::string> tmpl_text;
  const Template* next_tmpl = current.tmpl.get();
  std::optional<Template> patched;
  if (patch.tmpl) {
    FW_TRY(Template t, ParseTemplate(*patch.tmpl));
    tmpl_text = fw::ToJson(ToJson(t));
    patched.emplace(std::move(t));
    next_tmpl = &*patched;
  }
  FW_TRY_STATUS(RequireAdaptiveQuestion(adaptive, *next_tmpl));
  FW_TRY(ExpertRequirements requirements,
         ApplyRequirements(current.requirements, patch.requirements));
  const bool terms_changed = requirements.terms != current.requirements.terms;
  long long now = clock_.Now();
  FW_TRY_STATUS(db_.Write<bool>([&](soci::session& s) -> Result<bool> {
    tenancy::LabScope lab = tenancy_.Scope(s, caller.org_id);
    long long pid = project_id, found = 0;
    if (!lab.Query("SELECT id FROM projects WHERE org_id = :org AND id = :p")
             .Bind(pid)
             .One(found)) {
      return NotFound("no such project");
    }
    std::string name = patch.name.value_or(current.name);
    std::string description = patch.description.value_or(current.description);
    int redundancy = patch.redundancy.value_or(current.redundancy);
    double gold_rate = patch.gold_rate.value_or(current.gold_rate);
    long long lease = patch.lease_seconds.value_or(current.lease_seconds);
    std::string status(ProjectStatusName(patch.status.value_or(current.status)));
    if (tmpl_text || patch.guidelines)
      AddTemplateVersion(lab, pid, now, tmpl_text, patch.guidelines);
    lab.Query(
           "UPDATE projects SET name = :n, description = :d, redundancy = :r, gold_rate = :g, "
           "lease_seconds = :l, status = :s, updated_at = :u, adaptive_threshold = :at, "
           "adaptive_min = :am, "
           "adaptive_change = :ac, adaptive_gate = :ag WHERE org_id = :org AND id = :p")
        .Bind(name)
        .Bind(description)
        .Bind(redundancy)
        .Bind(gold_rate)
        .Bind(lease)
        .Bind(status)
        .Bind(now)
        .Bind(adaptive.threshold)
        .Bind(adaptive.min)
        .Bind(adaptive.change)
        .Bind(adaptive.gate)
        .Bind(pid)
        .Run();
    if (!patch.requirements.empty()) StoreRequirements(lab, pid, requirements, terms_changed, now);
    if (patch.status == ProjectStatus::kArchived && archive_listener_) {
      // Archived work is over: running leases end with the status change, not at their expiry.
      FW_TRY_STATUS(archive_listener_(s, pid));
    }
    if (adaptive.gate <= 0 && current.adaptive.gate > 0) {
      // Without the gate every expert may take the project's items again.
      ReplaceGates(s, pid, {});
    }
    // Without adaptive redundancy no item is settled early; each goes back to needing k.
    const bool adaptive_turned_off = !adaptive.enabled() && current.adaptive.enabled();
    if ((patch.redundancy && *patch.redundancy != current.redundancy) || adaptive_turned_off) {
      RecomputePool(s, pid, redundancy, adaptive_turned_off);
    }
    return true;
  }));
  return Get(caller, project_id);
}

Result<ProjectCounts> ProjectService::Counts(const Caller& caller, std::int64_t project_id) {
  return db_.ReadSnapshot<ProjectCounts>([&](soci::session& s) -> Result<ProjectCounts> {
    tenancy::LabScope lab = tenancy_.Scope(s, caller.org_id);
    long long pid = project_id;
    int k = 0;
    if (!lab.Query("SELECT redundancy FROM projects WHERE org_id = :org AND id = :p")
             .Bind(pid)
             .One(k)) {
      return NotFound("no such project");
    }
    ProjectCounts c;
    long long items = 0, gold = 0, complete = 0, subs = 0;
    lab.Query("SELECT COUNT(*) FROM items WHERE org_id = :org AND project_id = :p AND is_gold = 0")
        .Bind(pid)
        .One(items);
    lab.Query("SELECT COUNT(*) FROM items WHERE org_id = :org AND project_id = :p AND is_gold = 1")
        .Bind(pid)
        .One(gold);
    lab.Query(
           "SELECT COUNT(*) FROM items WHERE org_id = :org AND project_id = :p AND is_gold = 0 "
           "AND submitted >= :k")
        .Bind(pid)
        .Bind(k)
        .One(complete);
    lab.Query("SELECT COUNT(*) FROM submissions WHERE org_id = :org AND project_id = :p")
        .Bind(pid)
        .One(subs);
    c.items = items;
    c.gold_items = gold;
    c.complete_items = complete;
    c.submissions = subs;
    return c;
  });
}

namespace {
struct ItemRow {
  long long id = 0, project_id = 0, created_at = 0;
  std::optional<std::string> external_id, gold;
  std::string payload;
  int priority = 0, taken = 0, submitted = 0;
};
#define FW_ITEM_COLUMNS \
  "id, project_id, external_id, payload, priority, gold_answer, taken, submitted, created_at"
#define FW_ITEM_OUT(r)                                                                    \
  r.id, r.project_id, r.external_id, r.payload, r.priority, r.gold, r.taken, r.submitted, \
      r.created_at

Result<Item> ToItem(const ItemRow& r, const tenancy::LabScope& lab) {
  Item it;
  it.id = r.id;
  it.project_id = r.project_id;
  it.external_id = r.external_id.value_or("");
  FW_TRY(std::string plain, lab.Open(r.payload));
  FW_TRY(it.data, ParseJson(plain, "payload"));
  if (r.gold) {
    FW_TRY(std::string g, lab.Open(*r.gold));
    FW_TRY(json::value gv, ParseJson(g, "gold"));
    it.gold = std::move(gv);
  }
  it.priority = r.priority;
  it.taken = r.taken;
  it.submitted = r.submitted;
  it.created_at = r.created_at;
  return it;
}
}  // namespace

Result<ItemPage> ProjectService::ListItems(const Caller& caller, std::int64_t project_id, int limit,
                                           std::int64_t after) {
  if (limit < 1 || limit > 1000) {
    return InvalidArgument("limit must be 1..1000", {{"limit", "out_of_range", "must be 1..1000"}});
  }
  return db_.Read<ItemPage>([&](soci::session& s) -> Result<ItemPage> {
    tenancy::LabScope lab = tenancy_.Scope(s, caller.org_id);
    long long pid = project_id, found = 0;
    if (!lab.Query("SELECT id FROM projects WHERE org_id = :org AND id = :p")
             .Bind(pid)
             .One(found)) {
      return NotFound("no such project");
    }
    ItemPage page;
    ItemRow r;
    Status status;
    lab.Query("SELECT " FW_ITEM_COLUMNS
              " FROM items WHERE org_id = :org AND project_id = :p AND id > :a "
              "ORDER BY id LIMIT :l")
        .Bind(pid)
        .Bind(after)
        .Bind(limit + 1)
        .Each(
            [&] {
              if (static_cast<int>(page.items.size()) == limit) {
                page.next_after = page.items.back().id;
                return false;
              }
              auto it = ToItem(r, lab);
              if (!it) status = tl::unexpected(it.error());
              if (it) page.items.push_back(std::move(*it));
              return it.has_value();
            },
            FW_ITEM_OUT(r));
    FW_TRY_STATUS(status);
    return page;
  });
}

Result<Item> ProjectService::GetItem(const Caller& caller, std::int64_t project_id,
                                     std::int64_t item_id) {
  return db_.Read<Item>([&](soci::session& s) -> Result<Item> {
    tenancy::LabScope lab = tenancy_.Scope(s, caller.org_id);
    ItemRow r;
    if (!lab.Query("SELECT " FW_ITEM_COLUMNS
                   " FROM items WHERE org_id = :org AND project_id = :p AND id = :i")
             .Bind(project_id)
             .Bind(item_id)
             .One(FW_ITEM_OUT(r))) {
      return NotFound("no such item");
    }
    return ToItem(r, lab);
  });
}

}  // namespace fw::projects
