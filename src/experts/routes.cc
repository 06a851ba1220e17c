#include "experts/routes.h"

#include "base/clock.h"
#include "base/json.h"
#include "orgs/routes.h"

namespace fw::experts {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;
using security::IdKind;

namespace {

json::array QualificationsJson(const std::vector<Qualification>& quals) {
  json::array out;
  for (const Qualification& q : quals) out.push_back(QualificationJson(q));
  return out;
}

}  // namespace

json::object QualificationJson(const Qualification& q) {
  return {{"domain", q.domain},
          {"level", q.level},
          {"reviewer", q.reviewer},
          {"granted_at", FormatTime(q.granted_at)}};
}

json::object DomainJson(const Domain& d) { return {{"name", d.name}, {"title", d.title}}; }

void RegisterRoutes(http::Router& router, ExpertService& experts, DomainService& domains,
                    orgs::OrgService& orgs, const security::IdCodec& ids) {
  router.Add({"GET", "/api/v1/me", Access::kAuthenticated,
              [&experts, &orgs, &ids](Request& req) -> Result<Response> {
                FW_TRY(orgs::User user, orgs.GetUser(req.caller.user_id));
                json::value lab = nullptr;
                if (user.org_id != 0) {
                  FW_TRY(orgs::Lab l, orgs.GetLab(user.org_id));
                  lab = json::object{{"id", ids.Encode(IdKind::kOrg, l.id)}, {"name", l.name}};
                }
                json::array quals;
                if (user.role == Role::kExpert) {
                  FW_TRY(auto q, experts.Qualifications(user.id));
                  quals = QualificationsJson(q);
                }
                return http::Json({{"id", ids.Encode(IdKind::kUser, user.id)},
                                   {"email", user.email},
                                   {"name", user.name},
                                   {"role", RoleName(user.role)},
                                   {"lab", std::move(lab)},
                                   {"qualifications", std::move(quals)}});
              },
              "the caller: profile, lab and qualifications"});

  router.Add({"GET", "/api/v1/domains", Access::kAuthenticated,
              [&domains](Request&) -> Result<Response> {
                FW_TRY(auto all, domains.List());
                json::array out, levels;
                for (const Domain& d : all) out.push_back(DomainJson(d));
                for (int l = kMinLevel; l <= kMaxLevel; ++l) {
                  levels.push_back(json::object{{"level", l}, {"name", LevelName(l)}});
                }
                return http::Json({{"domains", std::move(out)}, {"levels", std::move(levels)}});
              },
              "the expert domains and levels"});

  router.Add({"POST", "/api/v1/domains", Access::kOperator,
              [&domains](Request& req) -> Result<Response> {
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY_STATUS(RejectUnknownKeys(body, {"name", "title"}));
                FW_TRY(std::string name, RequiredString(body, "name"));
                FW_TRY(std::string title, RequiredString(body, "title"));
                FW_TRY(Domain d, domains.Add(name, title));
                return http::Json(DomainJson(d), 201);
              },
              "add an expert domain"});

  router.Add({"PATCH", "/api/v1/domains/{domain}", Access::kOperator,
              [&domains](Request& req) -> Result<Response> {
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY_STATUS(RejectUnknownKeys(body, {"title"}));
                FW_TRY(std::string title, RequiredString(body, "title"));
                FW_TRY(Domain d, domains.SetTitle(req.Param("domain"), title));
                return http::Json(DomainJson(d));
              },
              "change a domain's title"});

  router.Add({"GET", "/api/v1/experts", Access::kOperator,
              [&experts, &ids](Request&) -> Result<Response> {
                FW_TRY(auto all, experts.ListExperts());
                json::array out;
                out.reserve(all.size());
                for (const Expert& e : all) {
                  json::object o = orgs::UserJson(e.user, ids);
                  o["qualifications"] = QualificationsJson(e.qualifications);
                  out.push_back(std::move(o));
                }
                return http::Json(json::object{{"experts", std::move(out)}});
              },
              "experts with their qualifications"});

  router.Add({"PUT", "/api/v1/experts/{user_id}/qualifications/{domain}", Access::kOperator,
              [&experts, &ids](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t user_id, ids.Find(IdKind::kUser, req.Param("user_id")));
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY(std::int64_t level, RequiredInt(body, "level"));
                FW_TRY(std::optional<bool> reviewer, OptionalBool(body, "reviewer"));
                // Out-of-int values are out of 1..5 too; let the service say so.
                int level_i = level < kMinLevel || level > kMaxLevel ? 0 : static_cast<int>(level);
                FW_TRY(Qualification q,
                       experts.GrantQualification(user_id, req.Param("domain"), level_i,
                                                  reviewer.value_or(false)));
                return http::Json(QualificationJson(q));
              },
              "grant or change an expert's qualification in a domain"});

  router.Add({"DELETE", "/api/v1/experts/{user_id}/qualifications/{domain}", Access::kOperator,
              [&experts, &ids](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t user_id, ids.Find(IdKind::kUser, req.Param("user_id")));
                FW_TRY_STATUS(experts.RevokeQualification(user_id, req.Param("domain")));
                return http::NoContent();
              },
              "revoke an expert's qualification in a domain"});
}

}  // namespace fw::experts
