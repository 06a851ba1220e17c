#include "pay/time_routes.h"

#include <map>
#include <string>
#include <utility>

#include "base/json.h"

namespace fw::pay {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;
using security::IdKind;

namespace {

// "2026-12-06" for the day starting at `day`.
std::string DayText(std::int64_t day) { return FormatTime(day).substr(0, 10); }

// The calendar date in the query parameter `name`, or nullopt when absent.
// Errors: kInvalidArgument naming `name` (code "invalid").
Result<std::optional<std::int64_t>> DayParam(const Request& req, std::string_view name) {
  auto text = req.Query(name);
  if (!text) return std::optional<std::int64_t>();
  auto t = ParseTime(*text);
  if (!t || text->size() != 10) {
    return InvalidArgument(std::string(name) + ": a date such as 2026-12-06",
                           {{std::string(name), "invalid", "a date such as 2026-12-06"}});
  }
  return std::optional<std::int64_t>(*t);
}

json::value OrNull(const std::optional<std::int64_t>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::object DisputeJson(const Dispute& d, const security::IdCodec& ids, bool for_operator) {
  json::object o{
      {"id", ids.Encode(IdKind::kDispute, d.id)},
      {"assignment_id", ids.Encode(IdKind::kAssignment, d.assignment_id)},
      {"project", json::object{{"id", ids.Encode(IdKind::kProject, d.project_id)},
                               {"name", d.project_name}}},
      {"credited_seconds", d.credited_seconds},
      {"claimed_seconds", d.claimed_seconds},
      {"comment", d.comment},
      {"status", DisputeStatusName(d.status)},
      {"allowed_seconds", OrNull(d.allowed_seconds)},
      {"resolution", d.resolution},
      {"resolved_at", d.resolved_at ? json::value(FormatTime(d.resolved_at)) : nullptr},
      {"transaction_id", d.transaction_id
                             ? json::value(ids.Encode(IdKind::kTransaction, *d.transaction_id))
                             : json::value(nullptr)},
      {"created_at", FormatTime(d.created_at)}};
  if (for_operator) {
    o["expert"] = json::object{{"id", ids.Encode(IdKind::kUser, d.expert_id)},
                               {"email", d.expert_email},
                               {"name", d.expert_name}};
    o["org"] = json::object{{"id", ids.Encode(IdKind::kOrg, d.org_id)}, {"name", d.org_name}};
  }
  return o;
}

json::array DisputesJson(const std::vector<Dispute>& list, const security::IdCodec& ids,
                         bool for_operator) {
  json::array out;
  for (const Dispute& d : list) out.push_back(DisputeJson(d, ids, for_operator));
  return out;
}

// The timesheet as days, each with its projects, each with its assignments' entries.
json::object TimesheetJson(const Timesheet& sheet, const security::IdCodec& ids) {
  const std::vector<TimeEntry>& entries = sheet.entries;
  json::array days;
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < entries.size()) {
    const std::int64_t day = entries[i].day;
    json::array projects;
    std::int64_t day_seconds = 0;
    while (i < entries.size() && entries[i].day == day) {
      const TimeEntry& first = entries[i];
      json::array rows;
      std::int64_t seconds = 0;
      while (i < entries.size() && entries[i].day == day &&
             entries[i].project_id == first.project_id) {
        const TimeEntry& e = entries[i++];
        rows.push_back(json::object{
            {"assignment_id", ids.Encode(IdKind::kAssignment, e.assignment_id)},
            {"seconds", e.seconds},
            {"state", e.state},
            {"dispute_status", e.dispute_status.empty() ? json::value(nullptr)
                                                        : json::value(e.dispute_status)}});
        seconds += e.seconds;
      }
      projects.push_back(json::object{
          {"project", json::object{{"id", ids.Encode(IdKind::kProject, first.project_id)},
                                   {"name", first.project_name}}},
          {"seconds", seconds},
          {"entries", std::move(rows)}});
      day_seconds += seconds;
    }
    days.push_back(json::object{
        {"day", DayText(day)}, {"seconds", day_seconds}, {"projects", std::move(projects)}});
    total += day_seconds;
  }
  return {{"from", DayText(sheet.from)},
          {"to", DayText(sheet.to)},
          {"total_seconds", total},
          {"days", std::move(days)}};
}

}  // namespace

void RegisterTimeRoutes(http::Router& router, TimeService& time, const security::IdCodec& ids) {
  router.Add({"GET", "/api/v1/me/timesheet", Access::kExpert,
              [&time, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto to, DayParam(req, "to"));
                FW_TRY(auto from, DayParam(req, "from"));
                FW_TRY(Timesheet sheet, time.TimesheetOf(req.caller, from, to));
                return http::Json(TimesheetJson(sheet, ids));
              },
              "the caller's credited active time per UTC day, project and assignment "
              "(?from=&to=: dates, both included; default the last 14 days)"});

  router.Add({"GET", "/api/v1/me/disputes", Access::kExpert,
              [&time, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto list, time.Mine(req.caller));
                return http::Json(json::object{{"disputes", DisputesJson(list, ids, false)}});
              },
              "the caller's disputes of their time, newest first"});

  router.Add({"POST", "/api/v1/me/disputes", Access::kExpert,
              [&time, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY_STATUS(RejectUnknownKeys(body, {"assignment_id", "seconds", "comment"}));
                FW_TRY(std::string assignment_text, RequiredString(body, "assignment_id"));
                auto assignment = ids.Decode(IdKind::kAssignment, assignment_text);
                if (!assignment) {
                  return Fail(Error(ErrorCode::kNotFound, "no such assignment",
                                    {{"assignment_id", "not_found", "not one of yours"}}));
                }
                FW_TRY(std::int64_t seconds, RequiredInt(body, "seconds"));
                FW_TRY(auto comment, RequiredString(body, "comment"));
                FW_TRY(Dispute d, time.Open(req.caller, *assignment, seconds, std::move(comment)));
                return http::Json(DisputeJson(d, ids, false), 201);
              },
              "dispute the active time credited to one of the caller's finished assignments: "
              "the seconds claimed in all, and why"});

  router.Add({"GET", "/api/v1/disputes", Access::kOperator,
              [&time, &ids](Request& req) -> Result<Response> {
                std::optional<DisputeStatus> status;
                if (auto text = req.Query("status")) {
                  DisputeStatus s;
                  if (!ParseDisputeStatus(*text, &s)) {
                    return InvalidArgument("status: open, accepted or rejected",
                                           {{"status", "not_an_option", "open, accepted or rejected"}});
                  }
                  status = s;
                }
                FW_TRY(auto list, time.List(status));
                return http::Json(json::object{{"disputes", DisputesJson(list, ids, true)}});
              },
              "experts' disputes of their time across every lab (?status=open: the open ones, "
              "oldest first)"});

  router.Add({"POST", "/api/v1/disputes/{dispute_id}/resolve", Access::kOperator,
              [&time, &ids](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t id, ids.Find(IdKind::kDispute, req.Param("dispute_id")));
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY_STATUS(RejectUnknownKeys(body, {"decision", "seconds", "comment"}));
                FW_TRY(std::string decision, RequiredString(body, "decision"));
                if (decision != "accept" && decision != "reject") {
                  return InvalidArgument("decision: accept or reject",
                                         {{"decision", "not_an_option", "accept or reject"}});
                }
                FW_TRY(auto seconds, OptionalInt(body, "seconds"));
                FW_TRY(auto comment, OptionalString(body, "comment"));
                FW_TRY(Dispute d, time.Resolve(req.caller, id, decision == "accept", seconds,
                                               comment.value_or("")));
                return http::Json(DisputeJson(d, ids, true));
              },
              "resolve an open dispute: accept (paying the seconds allowed beyond those "
              "credited) or reject with a comment"});
}

}  // namespace fw::pay
