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

json::array QualificationsJson(const std::vector<Qualification>& quals, UnixSeconds now) {
  json::array out;
  for (const Qualification& q : quals) out.push_back(QualificationJson(q, now));
  return out;
}

}  // namespace

json::object QualificationJson(const Qualification& q, UnixSeconds now) {
  json::object grounds{{"kind", q.grounds.kind}};
  if (q.grounds.score) grounds["score"] = *q.grounds.score;
  if (!q.grounds.reason.empty()) grounds["reason"] = q.grounds.reason;
  return {{"domain", q.domain},
          {"parent", q.parent.empty() ? json::value(nullptr) : json::value(q.parent)},
          {"level", q.level},
          {"level_name", LevelName(q.level)},
          {"reviewer", q.reviewer},
          {"granted_at", FormatTime(q.granted_at)},
          {"expires_at", q.grounds.expires_at ? json::value(FormatTime(*q.grounds.expires_at))
                                              : json::value(nullptr)},
          {"expired", !q.Current(now)},
          {"grounds", std::move(grounds)}};
}

json::object DomainJson(const Domain& d) {
  return {{"name", d.name},
          {"title", d.title},
          {"parent", d.parent.empty() ? json::value(nullptr) : json::value(d.parent)}};
}

void RegisterRoutes(http::Router& router, ExpertService& experts, DomainService& domains,
                    orgs::OrgService& orgs, const security::IdCodec& ids, const Clock& clock) {
  router.Add({"GET", "/api/v1/me", Access::kAuthenticated,
              [&experts, &orgs, &ids, &clock](Request& req) -> Result<Response> {
                FW_TRY(orgs::User user, orgs.GetUser(req.caller.user_id));
                json::value lab = nullptr;
                if (user.org_id != 0) {
                  FW_TRY(orgs::Lab l, orgs.GetLab(user.org_id));
                  lab = json::object{{"id", ids.Encode(IdKind::kOrg, l.id)}, {"name", l.name}};
                }
                json::array quals;
                if (user.role == Role::kExpert) {
                  FW_TRY(auto q, experts.Qualifications(user.id));
                  quals = QualificationsJson(q, clock.Now());
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
                FW_TRY_STATUS(RejectUnknownKeys(body, {"name", "title", "parent"}));
                FW_TRY(std::string name, RequiredString(body, "name"));
                FW_TRY(std::string title, RequiredString(body, "title"));
                FW_TRY(std::optional<std::string> parent, OptionalString(body, "parent"));
                FW_TRY(Domain d, domains.Add(name, title, parent.value_or("")));
                return http::Json(DomainJson(d), 201);
              },
              "add an expert domain, or a sub-field of one"});

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
              [&experts, &ids, &clock](Request&) -> Result<Response> {
                FW_TRY(auto all, experts.ListExperts());
                const UnixSeconds now = clock.Now();
                json::array out;
                out.reserve(all.size());
                for (const Expert& e : all) {
                  json::object o = orgs::UserJson(e.user, ids);
                  o["qualifications"] = QualificationsJson(e.qualifications, now);
                  out.push_back(std::move(o));
                }
                return http::Json(json::object{{"experts", std::move(out)}});
              },
              "experts with their qualifications"});

  router.Add({"PUT", "/api/v1/experts/{user_id}/qualifications/{domain}", Access::kOperator,
              [&experts, &ids, &clock](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t user_id, ids.Find(IdKind::kUser, req.Param("user_id")));
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY_STATUS(RejectUnknownKeys(body, {"level", "reviewer", "reason", "expires_at"}));
                FW_TRY(std::int64_t level, RequiredInt(body, "level"));
                FW_TRY(std::optional<bool> reviewer, OptionalBool(body, "reviewer"));
                FW_TRY(std::string reason, RequiredString(body, "reason"));
                if (reason.find_first_not_of(" \t\r\n") == std::string::npos || reason.size() > 1000) {
                  return InvalidArgument(
                      "an operator's grant needs a reason",
                      {{"reason", reason.size() > 1000 ? "too_long" : "required",
                        "why the expert is trusted, e.g. \"interviewed; PhD thesis on QFT\" (at most "
                        "1000 bytes)"}});
                }
                FW_TRY(std::optional<UnixSeconds> expires_at, OptionalTime(body, "expires_at"));
                if (expires_at && *expires_at <= clock.Now()) {
                  return InvalidArgument("the expiry is in the past",
                                         {{"expires_at", "past", "a time ahead of now"}});
                }
                // Out-of-int values are out of 1..5 too; let the service say so.
                int level_i = level < kMinLevel || level > kMaxLevel ? 0 : static_cast<int>(level);
                Grounds grounds;
                grounds.reason = std::move(reason);
                grounds.expires_at = expires_at;
                grounds.granted_by = req.caller.user_id;
                FW_TRY(Qualification q,
                       experts.GrantQualification(user_id, req.Param("domain"), level_i,
                                                  reviewer.value_or(false), grounds));
                return http::Json(QualificationJson(q, clock.Now()));
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
