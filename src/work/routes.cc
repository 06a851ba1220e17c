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
  return o;
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
                json::array out;
                for (const WorkProject& p : list) {
                  out.push_back({{"id", ids.Encode(IdKind::kProject, p.id)},
                                 {"name", p.name},
                                 {"domain", p.domain.empty() ? json::value(nullptr) : json::value(p.domain)},
                                 {"min_level", p.min_level},
                                 {"open_items", p.open_items},
                                 {"template_version", p.template_version},
                                 {"guidelines", p.guidelines}});
                }
                return http::Json(json::object{{"projects", std::move(out)}});
              },
              "projects the expert may work on"});

  router.Add({"POST", "/api/v1/work/next", Access::kExpert,
              [&work, &ids](Request& req) -> Result<Response> {
                FW_TRY(json::object body, OptionalBody(req));
                FW_TRY(auto pid_text, OptionalString(body, "project_id"));
                std::optional<std::int64_t> pid;
                if (pid_text) {
                  FW_TRY(pid, ids.Find(IdKind::kProject, *pid_text));
                }
                FW_TRY(auto a, work.Next(req.caller, pid));
                if (!a) return http::Json(json::object{{"assignment", nullptr}});
                return http::Json(json::object{{"assignment", AssignmentJson(*a, ids)}});
              },
              "lease the next task"});

  router.Add({"GET", "/api/v1/assignments", Access::kExpert,
              [&work, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto list, work.ActiveAssignments(req.caller));
                json::array out;
                for (const Assignment& a : list) out.push_back(AssignmentJson(a, ids));
                return http::Json(json::object{{"assignments", std::move(out)}});
              },
              "the expert's active assignments"});

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
                  return InvalidArgument("answer is required", {{"answer", "required", "this field is required"}});
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
