#pragma once
// The HTTP routes of two project requirements (docs/api.md, "Project requirements"): the
// expert's terms (GET/POST /api/v1/work/projects/{project_id}/terms) and the lab's exclusions
// (GET /api/v1/projects/{project_id}/exclusions, PUT/DELETE
// /api/v1/projects/{project_id}/exclusions/{pseudonym}).

#include "experts/project_rules.h"
#include "http/router.h"
#include "security/ids.h"

namespace fw::experts {

// `rules` and `ids` are borrowed and must outlive the router.
void RegisterProjectRuleRoutes(http::Router& router, ProjectRules& rules,
                               const security::IdCodec& ids);

}  // namespace fw::experts
