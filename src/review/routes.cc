#include "review/routes.h"

#include <algorithm>
#include <cstdlib>

#include "base/json.h"
#include "projects/template.h"

namespace fw::review {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;
using security::IdKind;

namespace {

json::value TimeOrNull(std::int64_t t) { return t ? json::value(FormatTime(t)) : json::value(); }
json::value TextOrNull(const std::string& s) { return s.empty() ? json::value() : json::value(s); }

json::object ProjectRef(const security::IdCodec& ids, std::int64_t id, const std::string& name) {
  return {{"id", ids.Encode(IdKind::kProject, id)}, {"name", name}};
}

json::object TaskJson(const Task& t, const security::IdCodec& ids) {
  json::array history;
  for (const Round& r : t.history) {
    history.push_back({{"round", r.round},
                       {"outcome", r.outcome},
                       {"comment", r.comment},
                       {"answer", r.answer},
                       {"decided_at", TimeOrNull(r.decided_at)}});
  }
  return {
      {"id", ids.Encode(IdKind::kReview, t.review_id)},
      {"submission_id", ids.Encode(IdKind::kSubmission, t.submission_id)},
      {"project", ProjectRef(ids, t.project_id, t.project_name)},
      {"round", t.round},
      {"hold", t.hold},
      {"item", {{"id", ids.Encode(IdKind::kItem, t.item_id)}, {"data", t.data}}},
      {"template", projects::ToJson(*t.tmpl)},
      {"template_version", t.template_version},
      {"guidelines", t.guidelines ? *t.guidelines : ""},
      {"answer", t.answer},
      {"active_seconds", t.active_seconds},
      {"time_cap_seconds", t.time_cap_seconds ? json::value(*t.time_cap_seconds) : json::value()},
      {"form", t.form ? json::value(FormJson(*t.form)) : json::value()},
      {"history", std::move(history)},
      {"claim_expires_at", FormatTime(t.claim_expires_at)}};
}

// An optional JSON object body: empty means {}.
Result<json::object> OptionalBody(const Request& req) {
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) return json::object();
  return http::JsonBody(req);
}

Result<Decision> DecisionFrom(const json::object& body) {
  FW_TRY_STATUS(
      RejectUnknownKeys(body, {"outcome", "reason", "comment", "scores", "approve_over_cap"}));
  Decision d;
  FW_TRY(auto outcome, OptionalString(body, "outcome"));
  FW_TRY(auto reason, OptionalString(body, "reason"));
  FW_TRY(auto comment, OptionalString(body, "comment"));
  FW_TRY(auto over, OptionalBool(body, "approve_over_cap"));
  FW_TRY(const json::object* scores, OptionalObject(body, "scores"));
  d.outcome = outcome.value_or("");
  d.reason = reason.value_or("");
  d.comment = comment.value_or("");
  d.approve_over_cap = over.value_or(false);
  if (scores) d.scores = *scores;
  return d;
}

json::value NumberOrNull(const std::optional<double>& v) { return v ? json::value(*v) : json::value(); }

json::array ScoresJson(const std::vector<ScoreSummary>& scores) {
  json::array out;
  for (const ScoreSummary& x : scores) {
    json::object o{{"question", x.question},
                   {"criterion", TextOrNull(x.criterion)},
                   {"title", x.title},
                   {"kind", x.kind},
                   {"answered", x.answered},
                   {"mean", NumberOrNull(x.mean)},
                   {"min", NumberOrNull(x.min)},
                   {"max", NumberOrNull(x.max)}};
    if (x.kind == "label" || x.kind == "multi_label") {
      json::array counts;
      for (const auto& [option, n] : x.counts) counts.push_back({{"option", option}, {"count", n}});
      o["counts"] = std::move(counts);
    }
    out.push_back(std::move(o));
  }
  return out;
}

constexpr std::string_view kStatuses[] = {"pending", "in_review", "rework", "accepted", "rejected"};

void RegisterLabRoutes(http::Router& router, ReviewService& review, experts::ExpertService& experts,
                       const security::IdCodec& ids) {
  router.Add({"GET", "/api/v1/projects/{project_id}/review-policy", Access::kLab,
              [&review, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto pid, ids.Find(IdKind::kProject, req.Param("project_id")));
                FW_TRY(Policy p, review.GetPolicy(req.caller, pid));
                return http::Json(PolicyJson(p));
              },
              "the project's review policy: what is reviewed, the approval window, the speed "
              "flag, the time cap and second reviews"});

  router.Add({"PUT", "/api/v1/projects/{project_id}/review-policy", Access::kLab,
              [&review, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto pid, ids.Find(IdKind::kProject, req.Param("project_id")));
                FW_TRY(json::object body, http::JsonBody(req));
                FW_TRY(Policy p, review.PutPolicy(req.caller, pid, body));
                return http::Json(PolicyJson(p));
              },
              "set members of the project's review policy (absent members keep theirs)"});

  router.Add({"GET", "/api/v1/projects/{project_id}/review/summary", Access::kLab,
              [&review, &experts, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto pid, ids.Find(IdKind::kProject, req.Param("project_id")));
                FW_TRY(Summary s, review.SummaryOf(req.caller, pid));
                std::vector<std::pair<std::string, json::object>> rows;
                for (const ExpertSummary& e : s.experts) {
                  FW_TRY(std::string pseudonym, experts.Pseudonym(req.caller.org_id, e.expert_id));
                  const std::int64_t decided = e.accepted + e.rejected;
                  json::value rate;
                  if (decided > 0)
                    rate = static_cast<double>(e.accepted) / static_cast<double>(decided);
                  rows.emplace_back(pseudonym, json::object{{"pseudonym", pseudonym},
                                                            {"decided", decided},
                                                            {"accepted", e.accepted},
                                                            {"rejected", e.rejected},
                                                            {"acceptance_rate", rate}});
                }
                // By pseudonym: an order that says nothing about when the experts joined.
                std::sort(rows.begin(), rows.end(),
                          [](const auto& a, const auto& b) { return a.first < b.first; });
                json::array out;
                for (auto& [name, o] : rows) out.push_back(std::move(o));
                json::value agreement_rate;
                if (s.pairs > 0) {
                  agreement_rate = static_cast<double>(s.agreeing) / static_cast<double>(s.pairs);
                }
                return http::Json(json::object{
                    {"counts",
                     {{"pending", s.pending},
                      {"in_review", s.in_review},
                      {"rework", s.rework},
                      {"accepted", s.accepted},
                      {"rejected", s.rejected}}},
                    {"experts", std::move(out)},
                    {"agreement",
                     {{"pairs", s.pairs}, {"agreeing", s.agreeing}, {"rate", agreement_rate}}},
                    {"scored", s.scored},
                    {"scores", ScoresJson(s.scores)}});
              },
              "the project's review figures: counts by status, acceptance rate per expert (by "
              "pseudonym), reviewer agreement over answers two reviewers decided, and what "
              "reviewers scored per question of the review form"});
}

void RegisterReviewerRoutes(http::Router& router, ReviewService& review,
                            const security::IdCodec& ids) {
  router.Add({"GET", "/api/v1/review/projects", Access::kReviewer,
              [&review, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto list, review.Projects(req.caller));
                json::array out;
                for (const ReviewProject& p : list) {
                  out.push_back({{"id", ids.Encode(IdKind::kProject, p.id)},
                                 {"name", p.name},
                                 {"domain", TextOrNull(p.domain)},
                                 {"min_level", p.min_level},
                                 {"waiting", p.waiting}});
                }
                return http::Json(json::object{{"projects", std::move(out)}});
              },
              "projects with submissions waiting for the reviewer, and how many"});

  router.Add({"POST", "/api/v1/review/next", Access::kReviewer,
              [&review, &ids](Request& req) -> Result<Response> {
                FW_TRY(json::object body, OptionalBody(req));
                FW_TRY_STATUS(RejectUnknownKeys(body, {"project_id"}));
                FW_TRY(auto pid_text, OptionalString(body, "project_id"));
                std::optional<std::int64_t> pid;
                if (pid_text) {
                  FW_TRY(pid, ids.Find(IdKind::kProject, *pid_text));
                }
                FW_TRY(auto task, review.Next(req.caller, pid));
                if (!task) return http::NoContent();
                return http::Json(TaskJson(*task, ids));
              },
              "claim the next submission to review (204 when none waits)"});

  router.Add({"GET", "/api/v1/review/claims", Access::kReviewer,
              [&review, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto claims, review.Claims(req.caller));
                json::array out;
                for (const Task& t : claims) out.push_back(TaskJson(t, ids));
                return http::Json(json::object{{"claims", std::move(out)}});
              },
              "the reviewer's open claims (to resume after a reload)"});

  router.Add({"POST", "/api/v1/review/{review_id}/decision", Access::kReviewer,
              [&review, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto rid, ids.Find(IdKind::kReview, req.Param("review_id")));
                FW_TRY(json::object body, http::JsonBody(req));
                FW_TRY(Decision d, DecisionFrom(body));
                FW_TRY(DecisionResult r, review.Decide(req.caller, rid, d));
                return http::Json(json::object{
                    {"submission_id", ids.Encode(IdKind::kSubmission, r.submission_id)},
                    {"status", r.status},
                    {"outcome", r.outcome}});
              },
              "accept, reject (quality or spam) or send back for rework; the same decision "
              "again returns the stored one"});

  router.Add({"POST", "/api/v1/review/{review_id}/release", Access::kReviewer,
              [&review, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto rid, ids.Find(IdKind::kReview, req.Param("review_id")));
                FW_TRY_STATUS(review.Release(req.caller, rid));
                return http::NoContent();
              },
              "give a claim back to the queue"});
}

void RegisterExpertRoutes(http::Router& router, ReviewService& review,
                          const security::IdCodec& ids) {
  router.Add(
      {"GET", "/api/v1/me/answers", Access::kExpert,
       [&review, &ids](Request& req) -> Result<Response> {
         std::optional<std::string> status;
         if (auto raw = req.Query("status")) {
           if (std::find(std::begin(kStatuses), std::end(kStatuses), *raw) == std::end(kStatuses)) {
             return InvalidArgument(
                 "status must be pending, in_review, rework, accepted or rejected",
                 {{"status", "not_an_option", "pending, in_review, rework, accepted or rejected"}});
           }
           status = std::string(*raw);
         }
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
           auto id = ids.Decode(IdKind::kSubmission, *raw);
           if (!id) {
             return InvalidArgument("before must be a submission id",
                                    {{"before", "invalid", "an id from next_before"}});
           }
           before = *id;
         }
         FW_TRY(AnswerPage page, review.MyAnswers(req.caller, status, limit, before));
         json::array out;
         for (const AnswerStatus& a : page.answers) {
           out.push_back({{"submission_id", ids.Encode(IdKind::kSubmission, a.submission_id)},
                          {"assignment_id", ids.Encode(IdKind::kAssignment, a.assignment_id)},
                          {"project", ProjectRef(ids, a.project_id, a.project_name)},
                          {"status", a.status},
                          {"outcome", TextOrNull(a.outcome)},
                          {"reason", TextOrNull(a.reason)},
                          {"comment", TextOrNull(a.comment)},
                          {"submitted_at", FormatTime(a.submitted_at)},
                          {"due_at", TimeOrNull(a.due_at)},
                          {"decided_at", TimeOrNull(a.decided_at)},
                          {"round", a.round}});
         }
         json::value next;
         if (page.next_before) next = ids.Encode(IdKind::kSubmission, page.next_before);
         return http::Json(
             json::object{{"answers", std::move(out)}, {"next_before", std::move(next)}});
       },
       "the expert's submissions with their review status, outcome and feedback, newest "
       "first"});

  router.Add({"GET", "/api/v1/work/rework", Access::kExpert,
              [&review, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto list, review.Rework(req.caller));
                json::array out;
                for (const ReworkTask& t : list) {
                  out.push_back(
                      {{"submission_id", ids.Encode(IdKind::kSubmission, t.submission_id)},
                       {"project", ProjectRef(ids, t.project_id, t.project_name)},
                       {"item", {{"id", ids.Encode(IdKind::kItem, t.item_id)}, {"data", t.data}}},
                       {"template", projects::ToJson(*t.tmpl)},
                       {"template_version", t.template_version},
                       {"guidelines", t.guidelines ? *t.guidelines : ""},
                       {"answer", t.answer},
                       {"comment", t.comment},
                       {"round", t.round},
                       {"due_at", FormatTime(t.due_at)}});
                }
                return http::Json(json::object{{"rework", std::move(out)}});
              },
              "the expert's submissions sent back for rework, with the reviewer's comment"});

  router.Add(
      {"POST", "/api/v1/work/rework/{submission_id}", Access::kExpert,
       [&review, &ids](Request& req) -> Result<Response> {
         FW_TRY(auto sid, ids.Find(IdKind::kSubmission, req.Param("submission_id")));
         FW_TRY(json::object body, http::JsonBody(req));
         FW_TRY_STATUS(RejectUnknownKeys(body, {"answer", "idempotency_key", "active_seconds"}));
         auto it = body.find("answer");
         if (it == body.end() || it->value().is_null()) {
           return InvalidArgument("answer is required",
                                  {{"answer", "required", "this field is required"}});
         }
         FW_TRY(auto key, OptionalString(body, "idempotency_key"));
         if (!key) {
           if (auto h = req.Header("idempotency-key")) key = std::string(*h);
         }
         FW_TRY(auto active, OptionalInt(body, "active_seconds"));
         FW_TRY(RevisionResult r,
                review.Revise(req.caller, sid, it->value(), key.value_or(""), active));
         return http::Json(
             json::object{{"submission_id", ids.Encode(IdKind::kSubmission, r.submission_id)},
                          {"round", r.round},
                          {"status", r.status}});
       },
       "submit the revision of an answer sent back for rework (idempotent by key)"});
}

}  // namespace

void RegisterRoutes(http::Router& router, ReviewService& review, experts::ExpertService& experts,
                    const security::IdCodec& ids) {
  RegisterLabRoutes(router, review, experts, ids);
  RegisterReviewerRoutes(router, review, ids);
  RegisterExpertRoutes(router, review, ids);
}

}  // namespace fw::review
