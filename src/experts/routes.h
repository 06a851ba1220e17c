#pragma once
// The HTTP routes of the caller's profile, domains and qualifications (docs/api.md, "GET
// /api/v1/me" and "Experts and qualifications").

#include <boost/json.hpp>

#include "experts/experts.h"
#include "http/router.h"
#include "orgs/orgs.h"
#include "security/ids.h"

namespace fw::experts {

// Registers GET /api/v1/me, GET and POST /api/v1/domains, PATCH /api/v1/domains/{domain},
// GET /api/v1/experts and PUT/DELETE /api/v1/experts/{user_id}/qualifications/{domain}. The
// services and codec are borrowed and must outlive the router.
void RegisterRoutes(http::Router& router, ExpertService& experts, DomainService& domains,
                    orgs::OrgService& orgs, const security::IdCodec& ids);

// {"domain","level","reviewer","granted_at"}.
boost::json::object QualificationJson(const Qualification& q);

}  // namespace fw::experts
