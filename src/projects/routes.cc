#include "projects/routes.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/json.h"

namespace fw::projects {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;
using security::IdKind;

Result<ItemPageRequest> ParseItemPage(const http::Request& req, const security::IdCodec& ids) {
  ItemPageRequest pr;
  if (auto l = req.Query("limit")) {
    try {
      pr.limit = std::stoi(std::string(*l));
    } catch (...) {
      return InvalidArgument("limit must be an integer",
                             {{"limit", "type", "expected an integer"}});
    }
  }
  if (auto a = req.Query("after"); a && !a->empty()) {
    auto id = ids.Decode(IdKind::kItem, *a);
    if (!id)
      return InvalidArgument("after must be an item id", {{"after", "invalid", "not an item id"}});
    pr.after = *id;
  }
  return pr;
}

namespace {

// The "adaptive" member of a project body: absent -> nullopt, null -> off, or
// {"threshold": t, "min": m, "change": c, "gate": g} (min defaults to 2, change and gate to 0).
Result<std::optional<Adaptive>> AdaptiveField(const json::object& body) {
  auto it = body.find("adaptive");
  if (it == body.end()) return std::optional<Adaptive>();
  if (it->value().is_null()) return std::optional<Adaptive>(Adaptive{});
  if (!it->value().is_object()) return Fail(FieldTypeError("adaptive", "an object or null"));
  const json::object& o = it->value().as_object();
  for (const auto& kv : o) {
    if (kv.key() != "threshold" && kv.key() != "min" && kv.key() != "change" &&
        kv.key() != "gate") {
      return InvalidArgument(fmt::format("unknown key adaptive.{}", std::string_view(kv.key())),
                             {{fmt::format("adaptive.{}", std::string_view(kv.key())), "unknown",
                               "threshold, min, change and gate only"}});
    }
  }
  Adaptive a;
  auto t = o.find("threshold");
  if (t == o.end()) return Fail(FieldRequiredError("adaptive.threshold"));
  auto tv = AsNumber(t->value());
  if (!tv) return Fail(FieldTypeError("adaptive.threshold", "a number"));
  a.threshold = *tv;
  if (auto m = o.find("min"); m != o.end()) {
    auto mv = AsInteger(m->value());
    if (!mv) return Fail(FieldTypeError("adaptive.min", "an integer"));
    if (*mv < 1 || *mv > 50) {
      return InvalidArgument("adaptive.min must be 1..50",
                             {{"adaptive.min", "out_of_range", "must be 1..50"}});
    }
    a.min = static_cast<int>(*mv);
  }
  for (auto [key, field] : {std::pair{"change", &a.change}, std::pair{"gate", &a.gate}}) {
    auto f = o.find(key);
    if (f == o.end()) continue;
    auto v = AsNumber(f->value());
    if (!v) return Fail(FieldTypeError(fmt::format("adaptive.{}", key), "a number"));
    *field = *v;
  }
  if (!a.enabled()) {
    return InvalidArgument("adaptive.threshold must be in (0.5, 1]; send null to turn it off",
                           {{"adaptive.threshold", "out_of_range", "must be in (0.5, 1]"}});
  }
  return std::optional<Adaptive>(a);
}

// Names the fields of an error from a nested object's accessors by their full path.
Error Nested(Error e, std::string_view prefix) {
  for (FieldError& d : e.details) d.field = fmt::format("{}.{}", prefix, d.field);
  return e;
}

// The "requirements" member of a project body (projects/expert_requirements.h): each member
// given replaces the current one; "terms": a text, or "" / null for none; "standing":
// {min_gold_accuracy, min_skill: a number or null, min_judgments}.
Result<RequirementsPatch> RequirementsField(const json::object& body) {
  RequirementsPatch patch;
  FW_TRY(const json::object* o, OptionalObject(body, "requirements"));
  if (!o) return patch;
  auto nested = [](Error e) { return Fail(Nested(std::move(e), "requirements")); };
  if (auto st = RejectUnknownKeys(*o, {"min_exam_score", "credential_kinds", "languages",
                                       "competitors", "terms", "standing"});
      !st) {
    return nested(st.error());
  }
  auto score = OptionalInt(*o, "min_exam_score");
  if (!score) return nested(score.error());
  if (*score) patch.min_exam_score = static_cast<int>(std::clamp<std::int64_t>(**score, -1, 101));
  for (auto [key, out] :
       {std::pair{"credential_kinds", &patch.credential_kinds},
        std::pair{"languages", &patch.languages}, std::pair{"competitors", &patch.competitors}}) {
    auto list = OptionalStringArray(*o, key, 1000);
    if (!list) return nested(list.error());
    *out = std::move(*list);
  }
  if (auto it = o->find("terms"); it != o->end()) {
    if (it->value().is_null()) {
      patch.terms = "";
    } else if (it->value().is_string()) {
      patch.terms = std::string(it->value().as_string());
    } else {
      return nested(FieldTypeError("terms", "a string or null"));
    }
  }
  auto standing = OptionalObject(*o, "standing");
  if (!standing) return nested(standing.error());
  if (const json::object* t = *standing) {
    auto inner = [](Error e) { return Fail(Nested(std::move(e), "requirements.standing")); };
    if (auto st = RejectUnknownKeys(*t, {"min_gold_accuracy", "min_skill", "min_judgments"}); !st) {
      return inner(st.error());
    }
    for (auto [key, out] : {std::pair{"min_gold_accuracy", &patch.min_gold_accuracy},
                            std::pair{"min_skill", &patch.min_skill}}) {
      if (t->find(key) == t->end()) continue;
      auto v = OptionalNumber(*t, key);
      if (!v) return inner(v.error());
      *out = *v;
    }
    auto j = OptionalInt(*t, "min_judgments");
    if (!j) return inner(j.error());
    if (*j) patch.min_judgments = static_cast<int>(std::clamp<std::int64_t>(**j, 0, 100001));
  }
  return patch;
}

json::object RequirementsJson(const ExpertRequirements& r) {
  auto list = [](const std::vector<std::string>& v) {
    json::array a;
    for (const std::string& s : v) a.emplace_back(s);
    return a;
  };
  auto share = [](const std::optional<double>& v) { return v ? json::value(*v) : json::value(); };
  json::value terms;
  if (r.terms_version > 0) {
    terms = {{"version", r.terms_version},
             {"text", r.terms},
             {"created_at", FormatTime(r.terms_created_at)}};
  }
  return {{"min_exam_score", r.min_exam_score},
          {"credential_kinds", list(r.credential_kinds)},
          {"languages", list(r.languages)},
          {"competitors", list(r.competitors)},
          {"terms", std::move(terms)},
          {"standing",
           {{"min_gold_accuracy", share(r.standing.min_gold_accuracy)},
            {"min_skill", share(r.standing.min_skill)},
            {"min_judgments", r.standing.min_judgments}}}};
}

// The "domain" member of a create body: required, so that no project is opened to every
// expert by a forgotten field; null opens it to every expert (the service's "").
Result<std::string> DomainField(const json::object& body) {
  auto it = body.find("domain");
  if (it == body.end()) {
    return InvalidArgument(
        "domain is required: a domain's name, or null to open the project to every expert",
        {{"domain", "required", "a domain from GET /api/v1/domains, or null for every expert"}});
  }
  if (it->value().is_null()) return std::string();
  if (!it->value().is_string()) return Fail(FieldTypeError("domain", "a string or null"));
  if (it->value().as_string().empty()) {
    return InvalidArgument(
        "\"\" is not a domain; null opens the project to every expert",
        {{"domain", "unknown", "a domain from GET /api/v1/domains, or null for every expert"}});
  }
  return std::string(it->value().as_string());
}

}  // namespace

json::object ProgressJson(const Progress& g) {
  auto time_or_null = [](std::optional<UnixSeconds> t) {
    return t ? json::value(FormatTime(*t)) : json::value();
  };
  return {{"items", g.items},
          {"complete", g.complete},
          {"in_progress", g.in_progress},
          {"remaining", g.remaining},
          {"remaining_judgments", g.remaining_judgments},
          {"submissions", g.submissions},
          {"submissions_last_hour", g.submissions_last_hour},
          {"submissions_last_day", g.submissions_last_day},
          {"throughput_per_hour",
           g.throughput_per_hour ? json::value(*g.throughput_per_hour) : json::value()},
          {"estimated_completion", time_or_null(g.estimated_completion)},
          {"as_of", FormatTime(g.as_of)}};
}

json::object ProjectJson(const Project& p, const security::IdCodec& ids,
                         const ProjectCounts* counts, const Progress* progress) {
  json::object o;
  o["id"] = ids.Encode(IdKind::kProject, p.id);
  o["name"] = p.name;
  o["description"] = p.description;
  o["preset"] = p.preset;
  o["template"] = ToJson(*p.tmpl);
  o["template_version"] = p.template_version;
  o["guidelines"] = p.guidelines;
  o["domain"] = p.domain.empty() ? json::value(nullptr) : json::value(p.domain);
  o["min_level"] = p.min_level;
  o["redundancy"] = p.redundancy;
  o["gold_rate"] = p.gold_rate;
  o["lease_seconds"] = p.lease_seconds;
  if (p.adaptive.enabled()) {
    o["adaptive"] = {{"threshold", p.adaptive.threshold},
                     {"min", p.adaptive.min},
                     {"change", p.adaptive.change},
                     {"gate", p.adaptive.gate}};
  } else {
    o["adaptive"] = nullptr;
  }
  o["requirements"] = RequirementsJson(p.requirements);
  o["status"] = ProjectStatusName(p.status);
  o["created_at"] = FormatTime(p.created_at);
  o["updated_at"] = FormatTime(p.updated_at);
  if (counts) {
    o["counts"] = {{"items", counts->items},
                   {"gold_items", counts->gold_items},
                   {"complete_items", counts->complete_items},
                   {"submissions", counts->submissions}};
  }
  if (progress) o["progress"] = ProgressJson(*progress);
  return o;
}

json::object ItemJson(const Item& item, const security::IdCodec& ids) {
  json::object o;
  o["id"] = ids.Encode(IdKind::kItem, item.id);
  o["external_id"] =
      item.external_id.empty() ? json::value(nullptr) : json::value(item.external_id);
  o["data"] = item.data;
  o["priority"] = item.priority;
  o["gold"] = item.gold ? *item.gold : json::value(nullptr);
  o["taken"] = item.taken;
  o["submitted"] = item.submitted;
  o["created_at"] = FormatTime(item.created_at);
  return o;
}

namespace {

Result<ProjectStatus> ParseStatusField(const std::string& s) {
  if (s == "active") return ProjectStatus::kActive;
  if (s == "paused") return ProjectStatus::kPaused;
  if (s == "archived") return ProjectStatus::kArchived;
  return InvalidArgument("status must be active, paused or archived",
                         {{"status", "invalid", "one of active, paused, archived"}});
}

Result<int> SmallInt(const json::object& body, std::string_view key, int fallback) {
  FW_TRY(auto v, OptionalInt(body, key));
  if (!v) return fallback;
  if (*v < -1000000 || *v > 1000000) {
    return InvalidArgument(fmt::format("{} is out of range", key),
                           {{std::string(key), "out_of_range", "out of range"}});
  }
  return static_cast<int>(*v);
}

// The template presets, and projects: list, create, read, change.
void AddProjectRoutes(http::Router& router, ProjectService& projects,
                      const security::IdCodec& ids) {
  router.Add({"GET", "/api/v1/presets", Access::kAuthenticated,
              [](Request&) -> Result<Response> {
                json::array out;
                static const std::map<std::string_view, std::string_view> titles = {
                    {"sft", "SFT demonstration"},
                    {"preference", "Pairwise preference"},
                    {"rubric", "Rubric grading"},
                    {"adversarial", "Adversarial question (stump the model)"},
                    {"classification", "Verification / classification"}};
                for (std::string_view name : PresetNames()) {
                  FW_TRY(Template t, PresetTemplate(name));
                  auto it = titles.find(name);
                  out.push_back({{"name", name},
                                 {"title", it == titles.end() ? name : it->second},
                                 {"template", ToJson(t)}});
                }
                return http::Json(json::object{{"presets", std::move(out)}});
              },
              "template presets"});

  router.Add({"GET", "/api/v1/projects", Access::kLab,
              [&projects, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto list, projects.List(req.caller));
                FW_TRY(auto progress, projects.ListProgress(req.caller));
                json::array out;
                for (const Project& p : list) {
                  // Read after the list, of projects that are never deleted: each is there.
                  auto it = progress.find(p.id);
                  FW_CHECK(it != progress.end());
                  out.push_back(ProjectJson(p, ids, nullptr, &it->second));
                }
                return http::Json(json::object{{"projects", std::move(out)}});
              },
              "list the lab's projects"});

  router.Add({"POST", "/api/v1/projects", Access::kLab,
              [&projects, &ids](Request& req) -> Result<Response> {
                FW_TRY(json::object body, http::JsonBody(req));
                FW_TRY_STATUS(RejectUnknownKeys(
                    body, {"name", "description", "preset", "template", "guidelines", "domain",
                           "min_level", "redundancy", "gold_rate", "lease_seconds", "adaptive",
                           "requirements"}));
                NewProject np;
                FW_TRY(np.name, RequiredString(body, "name"));
                FW_TRY(auto desc, OptionalString(body, "description"));
                np.description = desc.value_or("");
                FW_TRY(auto preset, OptionalString(body, "preset"));
                np.preset = preset.value_or("");
                if (auto it = body.find("template"); it != body.end() && !it->value().is_null()) {
                  np.tmpl = it->value();
                }
                FW_TRY(auto guidelines, OptionalString(body, "guidelines"));
                np.guidelines = guidelines.value_or("");
                FW_TRY(np.domain, DomainField(body));
                FW_TRY(np.min_level, SmallInt(body, "min_level", 0));
                FW_TRY(np.redundancy, SmallInt(body, "redundancy", 1));
                FW_TRY(auto gold, OptionalNumber(body, "gold_rate"));
                np.gold_rate = gold.value_or(0);
                FW_TRY(np.lease_seconds, OptionalInt(body, "lease_seconds"));
                FW_TRY(auto adaptive, AdaptiveField(body));
                np.adaptive = adaptive.value_or(Adaptive{});
                FW_TRY(np.requirements, RequirementsField(body));
                FW_TRY(Project p, projects.Create(req.caller, std::move(np)));
                ProjectCounts empty;
                const Progress none = ComputeProgress({}, p.created_at);
                return http::Json(ProjectJson(p, ids, &empty, &none), 201);
              },
              "create a project"});

  router.Add({"GET", "/api/v1/projects/{project_id}", Access::kLab,
              [&projects, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto pid, ids.Find(IdKind::kProject, req.Param("project_id")));
                FW_TRY(Project p, projects.Get(req.caller, pid));
                FW_TRY(ProjectCounts c, projects.Counts(req.caller, pid));
                FW_TRY(Progress g, projects.ProjectProgress(req.caller, pid));
                return http::Json(ProjectJson(p, ids, &c, &g));
              },
              "one project with counts and progress"});

  router.Add({"PATCH", "/api/v1/projects/{project_id}", Access::kLab,
              [&projects, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto pid, ids.Find(IdKind::kProject, req.Param("project_id")));
                FW_TRY(json::object body, http::JsonBody(req));
                FW_TRY_STATUS(RejectUnknownKeys(
                    body, {"name", "description", "redundancy", "gold_rate", "lease_seconds",
                           "status", "template", "guidelines", "adaptive", "requirements"}));
                ProjectPatch patch;
                FW_TRY(patch.name, OptionalString(body, "name"));
                FW_TRY(patch.description, OptionalString(body, "description"));
                FW_TRY(auto k, OptionalInt(body, "redundancy"));
                if (k) {
                  if (*k < 1 || *k > 50)
                    return InvalidArgument("redundancy must be 1..50",
                                           {{"redundancy", "out_of_range", "must be 1..50"}});
                  patch.redundancy = static_cast<int>(*k);
                }
                FW_TRY(patch.gold_rate, OptionalNumber(body, "gold_rate"));
                FW_TRY(patch.lease_seconds, OptionalInt(body, "lease_seconds"));
                FW_TRY(auto status, OptionalString(body, "status"));
                if (status) {
                  FW_TRY(patch.status, ParseStatusField(*status));
                }
                if (auto it = body.find("template"); it != body.end() && !it->value().is_null()) {
                  patch.tmpl = it->value();
                }
                FW_TRY(patch.guidelines, OptionalString(body, "guidelines"));
                FW_TRY(patch.adaptive, AdaptiveField(body));
                FW_TRY(patch.requirements, RequirementsField(body));
                FW_TRY(Project p, projects.Update(req.caller, pid, std::move(patch)));
                FW_TRY(ProjectCounts c, projects.Counts(req.caller, pid));
                FW_TRY(Progress g, projects.ProjectProgress(req.caller, pid));
                return http::Json(ProjectJson(p, ids, &c, &g));
              },
              "change a project's settings or template"});
}

// A project's items: import, list, read.
void AddItemRoutes(http::Router& router, ProjectService& projects, const security::IdCodec& ids) {
  http::Route import{"POST", "/api/v1/projects/{project_id}/items", Access::kLab,
                     [&projects, &ids](Request& req) -> Result<Response> {
                       FW_TRY(auto pid, ids.Find(IdKind::kProject, req.Param("project_id")));
                       FW_CHECK(req.body_reader != nullptr);
                       http::BodyReader* reader = req.body_reader;
                       FW_TRY(ImportSummary sum,
                              projects.Import(req.caller, pid, [reader](char* buf, std::size_t n) {
                                return reader->Read(buf, n);
                              }));
                       return http::Json({{"import_id", ids.Encode(IdKind::kImport, sum.import_id)},
                                          {"items", sum.items},
                                          {"gold_items", sum.gold_items},
                                          {"existing", sum.existing}},
                                         201);
                     },
                     "import items (JSONL body, streamed)"};
  import.streaming_body = true;
  router.Add(std::move(import));

  router.Add({"GET", "/api/v1/projects/{project_id}/items", Access::kLab,
              [&projects, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto pid, ids.Find(IdKind::kProject, req.Param("project_id")));
                FW_TRY(ItemPageRequest pr, ParseItemPage(req, ids));
                FW_TRY(ItemPage page, projects.ListItems(req.caller, pid, pr.limit, pr.after));
                json::array items;
                for (const Item& it : page.items) items.push_back(ItemJson(it, ids));
                return http::Json(
                    {{"items", std::move(items)},
                     {"next_after", page.next_after
                                        ? json::value(ids.Encode(IdKind::kItem, page.next_after))
                                        : json::value(nullptr)}});
              },
              "page through items"});

  router.Add({"GET", "/api/v1/projects/{project_id}/items/{item_id}", Access::kLab,
              [&projects, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto pid, ids.Find(IdKind::kProject, req.Param("project_id")));
                FW_TRY(auto iid, ids.Find(IdKind::kItem, req.Param("item_id")));
                FW_TRY(Item it, projects.GetItem(req.caller, pid, iid));
                return http::Json(ItemJson(it, ids));
              },
              "one item"});
}

}  // namespace

void RegisterRoutes(http::Router& router, ProjectService& projects, const security::IdCodec& ids) {
  AddProjectRoutes(router, projects, ids);
  AddItemRoutes(router, projects, ids);
}

}  // namespace fw::projects
