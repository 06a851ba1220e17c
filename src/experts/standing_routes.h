#pragma once
// The HTTP routes of experts' standing on projects (docs/api.md, "Standing"): the expert's own
// standings, the operator's list and reinstatement, and a lab's view of a project's workforce
// (experts by pseudonym, with their qualification, credential summaries and standing).

#include <boost/json.hpp>

#include "experts/experts.h"
#include "experts/standings.h"
#include "http/router.h"
#include "security/ids.h"

namespace fw::experts {

// Registers GET /api/v1/me/standings (experts), GET /api/v1/standings and POST
// /api/v1/experts/{user_id}/standings/{project_id}/reinstate (operators), GET
// /api/v1/projects/{project_id}/workforce (the project's lab). The services and codec are
// borrowed and must outlive the router.
void RegisterStandingRoutes(http::Router& router, StandingService& standings,
                            ExpertService& experts, const security::IdCodec& ids);

// A standing as the API shows it; `for_operator` adds the expert and the lab.
boost::json::object StandingJson(const ExpertStanding& s, const security::IdCodec& ids,
                                 bool for_operator);

}  // namespace fw::experts
