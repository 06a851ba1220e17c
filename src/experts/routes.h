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
                    orgs::OrgService& orgs, const security::IdCodec& ids, const Clock& clock);

// {"domain","parent","level","level_name","reviewer","granted_at","expires_at","expired",
// "grounds":{"kind","score"?,"reason"?}}, with "expired" as of `now`.
boost::json::object QualificationJson(const Qualification& q, UnixSeconds now);

// {"name","title","parent"} (parent null for a domain).
boost::json::object DomainJson(const Domain& d);

}  // namespace fw::experts
