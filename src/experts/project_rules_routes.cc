#include "experts/project_rules_routes.h"

#include "base/json.h"

namespace fw::experts {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;
using security::IdKind;

namespace {

json::object TermsJson(const TermsView& v) {
  return {{"version", v.terms.version},
          {"text", v.terms.text},
          {"created_at", FormatTime(v.terms.created_at)},
          {"accepted_at", v.accepted_at ? json::value(FormatTime(*v.accepted_at)) : json::value()}};
}

json::object ExclusionJson(const Exclusion& x) {
  return {{"pseudonym", x.pseudonym}, {"created_at", FormatTime(x.created_at)}};
}

}  // namespace

void RegisterProjectRuleRoutes(http::Router& router, ProjectRules& rules,
                               const security::IdCodec& ids) {
  router.Add({"GET", "/api/v1/work/projects/{project_id}/terms", Access::kExpert,
              [&rules, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto pid, ids.Find(IdKind::kProject, req.Param("project_id")));
                FW_TRY(TermsView v, rules.Terms(req.caller, pid));
                return http::Json(TermsJson(v));
              },
              "a project's current terms and whether the expert accepted them"});

  router.Add({"POST", "/api/v1/work/projects/{project_id}/terms", Access::kExpert,
              [&rules, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto pid, ids.Find(IdKind::kProject, req.Param("project_id")));
                // A project the expert may not see is a 404 whatever the body says.
                FW_TRY_STATUS(rules.Terms(req.caller, pid));
                FW_TRY(json::object body, http::JsonBody(req));
                FW_TRY_STATUS(RejectUnknownKeys(body, {"version"}));
                FW_TRY(std::int64_t version, RequiredInt(body, "version"));
                if (version < 1 || version > 1'000'000) {
                  return InvalidArgument("version must be a terms version",
                                         {{"version", "out_of_range", "the version you read"}});
                }
                FW_TRY(TermsView v, rules.AcceptTerms(req.caller, pid, static_cast<int>(version)));
                return http::Json(TermsJson(v));
              },
              "accept the version of the project's terms the expert read"});

  router.Add({"GET", "/api/v1/projects/{project_id}/exclusions", Access::kLab,
              [&rules, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto pid, ids.Find(IdKind::kProject, req.Param("project_id")));
                FW_TRY(auto list, rules.Exclusions(req.caller, pid));
                json::array out;
                for (const Exclusion& x : list) out.push_back(ExclusionJson(x));
                return http::Json(json::object{{"exclusions", std::move(out)}});
              },
              "the experts the lab excluded from its project"});

  router.Add({"PUT", "/api/v1/projects/{project_id}/exclusions/{pseudonym}", Access::kLab,
              [&rules, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto pid, ids.Find(IdKind::kProject, req.Param("project_id")));
                FW_TRY(Exclusion x, rules.Exclude(req.caller, pid, req.Param("pseudonym")));
                return http::Json(ExclusionJson(x));
              },
              "exclude an expert (by the lab's pseudonym) from the project"});

  router.Add({"DELETE", "/api/v1/projects/{project_id}/exclusions/{pseudonym}", Access::kLab,
              [&rules, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto pid, ids.Find(IdKind::kProject, req.Param("project_id")));
                FW_TRY_STATUS(rules.Readmit(req.caller, pid, req.Param("pseudonym")));
                return http::NoContent();
              },
              "let an excluded expert work on the project again"});
}

}  // namespace fw::experts
