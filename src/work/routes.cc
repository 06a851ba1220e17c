#include "work/routes.h"

#include "base/json.h"
#include "projects/routes.h"

namespace fw::work {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;
using security::IdKind;

namespace {

json::object AssignmentJson(const Assignment& a, const security::IdCodec& ids) {
  json::object o;
  o["id"] = ids.Encode(IdKind::kAssignment, a.id);
  o["project_id"] = ids.Encode(IdKind::kProject, a.project_id);
  o["item"] = {{"id", ids.Encode(IdKind::kItem, a.item_id)}, {"data", a.data}};
  o["template"] = projects::ToJson(*a.tmpl);
  o["template_version"] = a.template_version;
  o["guidelines"] = a.guidelines ? *a.guidelines : "";
  o["leased_at"] = FormatTime(a.leased_at);
  o["lease_expires_at"] = FormatTime(a.lease_expires_at);
  o["active_seconds"] = a.active_seconds;
  o["state"] = AssignmentStateName(a.state);
  if (a.state != AssignmentState::kActive) {
    o["finished_at"] = a.finished_at ? json::value(FormatTime(a.finished_at)) : json::value();
  }
  if (a.state == AssignmentState::kSkipped) o["skip_reason"] = a.skip_reason;
  if (a.state == AssignmentState::kSubmitted) o["answer"] = a.answer;
  o["draft"] = a.draft;
  o["draft_saved_at"] =
      a.draft_saved_at ? json::value(FormatTime(a.draft_saved_at)) : json::value();
  return o;
}

json::object WorkProjectJson(const WorkProject& p, const security::IdCodec& ids) {
  return {{"id", ids.Encode(IdKind::kProject, p.id)},
          {"name", p.name},
          {"domain", p.domain.empty() ? json::value(nullptr) : json::value(p.domain)},
          {"min_level", p.min_level},
          {"open_items", p.open_items},
          {"template_version", p.template_version},
          {"guidelines", p.guidelines},
          {"terms_version", p.terms_version}};
}

constexpr std::string_view kNoProjectsHint =
    "No project is open to you yet. Projects are open to experts qualified in their domain at "
    "their level, and may ask for more (an exam score, verified credentials, languages, "
    "accepted terms); \"locked\" in GET /api/v1/work/projects lists what each still needs.";

// The answer to a request for work that found none: {"assignment": null} with why.
Result<json::object> NoTask(WorkService& work, const Caller& expert, bool one_project) {
  json::object o{{"assignment", nullptr}};
  if (!one_project) {
    FW_TRY(auto projects, work.Projects(expert));
    if (projects.empty()) {
      o["reason"] = "no_projects";
      o["message"] = kNoProjectsHint;
      return o;
    }
  }
  o["reason"] = "no_open_items";
  o["message"] = one_project
                     ? "This project has no item for you right now: every open item is taken by "
                       "another expert or was yours already. Try again later."
                     : "Your projects have no item for you right now: every open item is taken "
                       "by another expert or was yours already. Try again later.";
  return o;
}

// ?state= of the assignments listing: active (the default), submitted, skipped, expired or
// revoked. Errors: kInvalidArgument naming state.
Result<AssignmentState> StateParam(const Request& req) {
  auto name = req.Query("state");
  AssignmentState state = AssignmentState::kActive;
  if (name && !ParseAssignmentState(*name, &state)) {
    return InvalidArgument(
        "state must be active, submitted, skipped, expired or revoked",
        {{"state", "invalid", "active, submitted, skipped, expired or revoked"}});
  }
  return state;
}

// ?limit= (1..200, default 50) and ?before=<assignment id> of a finished listing.
Result<std::pair<int, std::int64_t>> PageParams(const Request& req, const security::IdCodec& ids) {
  int limit = 50;
  if (auto raw = req.Query("limit")) {
    char* end = nullptr;
    std::string text(*raw);
    long v = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || v < 1 || v > 200) {
      return InvalidArgument("limit must be an integer from 1 to 200",
                             {{"limit", "out_of_range", "1 to 200"}});
    }
    limit = static_cast<int>(v);
  }
  std::int64_t before = 0;
  if (auto raw = req.Query("before")) {
    auto id = ids.Decode(IdKind::kAssignment, *raw);
    if (!id) {
      return InvalidArgument("before must be an assignment id",
                             {{"before", "invalid", "an id from next_before"}});
    }
    before = *id;
  }
  return std::make_pair(limit, before);
}

json::object SubmissionJson(const Submission& s, const security::IdCodec& ids) {
  json::object o;
  o["id"] = ids.Encode(IdKind::kSubmission, s.id);
  o["assignment_id"] = ids.Encode(IdKind::kAssignment, s.assignment_id);
  o["item_id"] = ids.Encode(IdKind::kItem, s.item_id);
  o["project_id"] = ids.Encode(IdKind::kProject, s.project_id);
  o["answer"] = s.answer;
  o["template_version"] = s.template_version;
  o["active_seconds"] = s.active_seconds;
  o["submitted_at"] = FormatTime(s.submitted_at);
  return o;
}

// An optional JSON object body: empty means {}.
Result<json::object> OptionalBody(const Request& req) {
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) return json::object();
  return http::JsonBody(req);
}

}  // namespace

void RegisterRoutes(http::Router& router, WorkService& work, const security::IdCodec& ids) {
  router.Add({"GET", "/api/v1/work/projects", Access::kExpert,
              [&work, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto list, work.Projects(req.caller));
                FW_TRY(auto locked, work.Locked(req.caller));
                json::array open;
                for (const WorkProject& p : list) open.push_back(WorkProjectJson(p, ids));
                json::array closed;
                for (const LockedProject& l : locked) {
                  json::object o = WorkProjectJson(l.project, ids);
                  json::array unmet;
                  for (const experts::Unmet& u : l.unmet) {
                    unmet.push_back({{"reason", u.reason}, {"message", u.message}});
                  }
                  o["unmet"] = std::move(unmet);
                  closed.push_back(std::move(o));
                }
                json::object answer{{"projects", std::move(open)}, {"locked", std::move(closed)}};
                if (list.empty()) answer["hint"] = kNoProjectsHint;
                return http::Json(answer);
              },
              "projects the expert may work on, and those they could unlock"});

  router.Add({"POST", "/api/v1/work/next", Access::kExpert,
              [&work, &ids](Request& req) -> Result<Response> {
                FW_TRY(json::object body, OptionalBody(req));
                FW_TRY(auto pid_text, OptionalString(body, "project_id"));
                std::optional<std::int64_t> pid;
                if (pid_text) {
                  FW_TRY(pid, ids.Find(IdKind::kProject, *pid_text));
                }
                FW_TRY(auto a, work.Next(req.caller, pid));
                if (!a) {
                  FW_TRY(json::object none, NoTask(work, req.caller, pid.has_value()));
                  return http::Json(none);
                }
                return http::Json(json::object{{"assignment", AssignmentJson(*a, ids)}});
              },
              "lease the next task"});

  router.Add(
      {"GET", "/api/v1/assignments", Access::kExpert,
       [&work, &ids](Request& req) -> Result<Response> {
         FW_TRY(AssignmentState state, StateParam(req));
         json::array out;
         if (state == AssignmentState::kActive) {
           FW_TRY(auto list, work.ActiveAssignments(req.caller));
           for (const Assignment& a : list) out.push_back(AssignmentJson(a, ids));
           return http::Json(json::object{{"assignments", std::move(out)}});
         }
         FW_TRY(auto page_params, PageParams(req, ids));
         FW_TRY(AssignmentPage page,
                work.FinishedAssignments(req.caller, state, page_params.first, page_params.second));
         for (const Assignment& a : page.assignments) out.push_back(AssignmentJson(a, ids));
         json::value next;
         if (page.next_before) next = ids.Encode(IdKind::kAssignment, page.next_before);
         return http::Json(
             json::object{{"assignments", std::move(out)}, {"next_before", std::move(next)}});
       },
       "the expert's assignments: active ones, or (?state=) finished ones, newest first"});

  router.Add({"POST", "/api/v1/assignments/{assignment_id}/heartbeat", Access::kExpert,
              [&work, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto aid, ids.Find(IdKind::kAssignment, req.Param("assignment_id")));
                FW_TRY(json::object body, OptionalBody(req));
                FW_TRY(auto active, OptionalInt(body, "active_seconds"));
                FW_TRY(HeartbeatResult hb, work.Heartbeat(req.caller, aid, active));
                return http::Json({{"lease_expires_at", FormatTime(hb.lease_expires_at)},
                                   {"active_seconds", hb.active_seconds}});
              },
              "extend the lease and count active time"});

  router.Add({"PUT", "/api/v1/assignments/{assignment_id}/draft", Access::kExpert,
              [&work, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto aid, ids.Find(IdKind::kAssignment, req.Param("assignment_id")));
                FW_TRY(json::object body, http::JsonBody(req));
                auto it = body.find("answer");
                if (it == body.end()) return Fail(FieldRequiredError("answer"));
                FW_TRY(std::int64_t saved_at, work.SaveDraft(req.caller, aid, it->value()));
                return http::Json({{"draft_saved_at", FormatTime(saved_at)}});
              },
              "save the answer typed so far (a draft; the last save wins)"});

  router.Add({"DELETE", "/api/v1/assignments/{assignment_id}/draft", Access::kExpert,
              [&work, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto aid, ids.Find(IdKind::kAssignment, req.Param("assignment_id")));
                FW_TRY_STATUS(work.DiscardDraft(req.caller, aid));
                return http::NoContent();
              },
              "discard the draft"});

  router.Add({"POST", "/api/v1/assignments/{assignment_id}/skip", Access::kExpert,
              [&work, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto aid, ids.Find(IdKind::kAssignment, req.Param("assignment_id")));
                FW_TRY(json::object body, OptionalBody(req));
                FW_TRY(auto reason, OptionalString(body, "reason"));
                FW_TRY_STATUS(work.Skip(req.caller, aid, reason.value_or("")));
                return http::Json(json::object{{"skipped", true}});
              },
              "give the task back"});

  router.Add({"POST", "/api/v1/assignments/{assignment_id}/submit", Access::kExpert,
              [&work, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto aid, ids.Find(IdKind::kAssignment, req.Param("assignment_id")));
                FW_TRY(json::object body, http::JsonBody(req));
                auto it = body.find("answer");
                if (it == body.end() || it->value().is_null()) {
                  return InvalidArgument("answer is required",
                                         {{"answer", "required", "this field is required"}});
                }
                FW_TRY(auto key, OptionalString(body, "idempotency_key"));
                if (!key) {
                  if (auto h = req.Header("idempotency-key")) key = std::string(*h);
                }
                FW_TRY(Submission s, work.Submit(req.caller, aid, it->value(), key.value_or("")));
                return http::Json(SubmissionJson(s, ids), s.replayed ? 200 : 201);
              },
              "submit an answer (idempotent by key)"});
}

}  // namespace fw::work
