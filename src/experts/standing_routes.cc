#include "experts/standing_routes.h"

#include <algorithm>

#include "base/json.h"
#include "experts/network_routes.h"

namespace fw::experts {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;
using security::IdKind;

namespace {

template <typename T>
json::value OrNull(const std::optional<T>& v) {
  if (!v) return nullptr;
  return json::value(*v);
}

// The figures a lab and the expert both see.
void AddFigures(json::object& o, const ExpertStanding& s) {
  o["judgments"] = s.judgments;
  o["gold_total"] = s.gold_total;
  o["gold_correct"] = s.gold_correct;
  o["gold_accuracy"] = OrNull(s.GoldAccuracy());
  o["skill"] = OrNull(s.skill);
  o["paused"] = s.paused;
  o["reviews"] = s.reviews;
  o["reviews_accepted"] = s.reviews_accepted;
}

json::object LevelJson(const std::optional<int>& level) {
  return {{"level", OrNull(level)},
          {"level_name", level ? json::value(LevelName(*level)) : json::value(nullptr)}};
}

Result<Response> WorkforceResponse(const Workforce& w, std::int64_t org_id,
                                   ExpertService& experts) {
  std::vector<std::pair<std::string, json::object>> rows;
  for (const WorkforceMember& m : w.experts) {
    FW_TRY(std::string pseudonym, experts.Pseudonym(org_id, m.expert_id));
    json::value qualification = nullptr;
    if (m.qualification) {
      const Qualification& q = *m.qualification;
      qualification = json::object{{"domain", q.domain},
                                   {"level", q.level},
                                   {"level_name", LevelName(q.level)},
                                   {"grounds", q.grounds.kind}};
    }
    json::array credentials;
    for (const CredentialSummary& c : m.credentials) {
      credentials.push_back(CredentialSummaryJson(c));
    }
    json::object o{{"pseudonym", pseudonym},
                   {"qualification", std::move(qualification)},
                   {"credentials", std::move(credentials)}};
    AddFigures(o, m.standing);
    rows.emplace_back(std::move(pseudonym), std::move(o));
  }
  // By pseudonym: an order that says nothing about when the experts joined.
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  json::array out;
  for (auto& [pseudonym, o] : rows) out.push_back(std::move(o));
  json::array mix;
  for (const LevelCount& c : w.mix) {
    json::object o = LevelJson(c.level);
    o["experts"] = c.experts;
    mix.push_back(std::move(o));
  }
  return http::Json(
      json::object{{"domain", w.domain.empty() ? json::value(nullptr) : json::value(w.domain)},
                   {"experts", std::move(out)},
                   {"mix", std::move(mix)}});
}

}  // namespace

json::object StandingJson(const ExpertStanding& s, const security::IdCodec& ids,
                          bool for_operator) {
  json::object o{{"project_id", ids.Encode(IdKind::kProject, s.project_id)},
                 {"project_name", s.project_name}};
  AddFigures(o, s);
  o["reason"] = s.reason;
  o["since"] = FormatTime(s.since);
  o["changed_at"] = FormatTime(s.changed_at);
  if (for_operator) {
    o["expert"] = json::object{{"id", ids.Encode(IdKind::kUser, s.expert_id)},
                               {"email", s.expert_email},
                               {"name", s.expert_name}};
    o["org"] = json::object{{"id", ids.Encode(IdKind::kOrg, s.org_id)}, {"name", s.org_name}};
  }
  return o;
}

void RegisterStandingRoutes(http::Router& router, StandingService& standings,
                            ExpertService& experts, const security::IdCodec& ids) {
  router.Add({"GET", "/api/v1/me/standings", Access::kExpert,
              [&standings, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto mine, standings.Mine(req.caller));
                json::array out;
                for (const ExpertStanding& s : mine) out.push_back(StandingJson(s, ids, false));
                return http::Json(json::object{{"standings", std::move(out)}});
              },
              "the caller's standing on each project worked: judgments, gold accuracy, skill, "
              "and whether (and why) they are paused there"});

  router.Add({"GET", "/api/v1/standings", Access::kOperator,
              [&standings, &ids](Request& req) -> Result<Response> {
                const std::string_view paused = req.Query("paused").value_or("false");
                if (paused != "true" && paused != "false") {
                  return InvalidArgument("paused: true or false",
                                         {{"paused", "not_an_option", "true or false"}});
                }
                FW_TRY(auto list, standings.List(paused == "true"));
                json::array out;
                for (const ExpertStanding& s : list) out.push_back(StandingJson(s, ids, true));
                return http::Json(json::object{{"standings", std::move(out)}});
              },
              "experts' standings on every lab's projects, the last paused or reinstated first "
              "(?paused=true: the paused ones)"});

  router.Add({"POST", "/api/v1/experts/{user_id}/standings/{project_id}/reinstate",
              Access::kOperator,
              [&standings, &ids](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t user, ids.Find(IdKind::kUser, req.Param("user_id")));
                FW_TRY(std::int64_t project, ids.Find(IdKind::kProject, req.Param("project_id")));
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY_STATUS(RejectUnknownKeys(body, {"reason"}));
                FW_TRY(auto reason, OptionalString(body, "reason"));
                FW_TRY(ExpertStanding s,
                       standings.Reinstate(req.caller, user, project, reason.value_or("")));
                return http::Json(StandingJson(s, ids, true));
              },
              "reinstate an expert paused on a project, with a reason; starts a new window"});

  router.Add({"GET", "/api/v1/projects/{project_id}/workforce", Access::kLab,
              [&standings, &experts, &ids](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t project, ids.Find(IdKind::kProject, req.Param("project_id")));
                FW_TRY(Workforce w, standings.WorkforceOf(req.caller, project));
                return WorkforceResponse(w, req.caller.org_id, experts);
              },
              "the experts who work or worked on the project, by pseudonym, with their "
              "qualification, verified credentials and standing, and the qualification mix"});
}

}  // namespace fw::experts
