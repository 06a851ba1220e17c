#pragma once
// The HTTP routes of the expert network's people side (docs/api.md, "Expert profiles,
// sign-up and credentials"): the expert's own profile, expert sign-up and invitations,
// credentials with their evidence files, the operator's vetting queue and the operator's
// view of one expert.

#include <boost/json.hpp>

#include "base/clock.h"
#include "experts/credentials.h"
#include "experts/experts.h"
#include "experts/profiles.h"
#include "experts/signup.h"
#include "http/router.h"
#include "orgs/auth.h"
#include "orgs/orgs.h"
#include "security/ids.h"

namespace fw::experts {

// The services the routes use; borrowed, and they must outlive the router.
struct NetworkServices {
  ProfileService& profiles;
  SignupService& signup;
  CredentialService& credentials;
  ExpertService& experts;
  orgs::OrgService& orgs;
  orgs::AuthService& auth;
};

struct NetworkRouteOptions {
  bool secure_cookies = false;  // the session cookie a sign-up sets gets `Secure`
};

// Registers GET/PUT /api/v1/me/profile; GET/POST /api/v1/signup; GET/PUT
// /api/v1/settings/expert-signup; GET/POST /api/v1/expert-invitations, DELETE
// /api/v1/expert-invitations/{expert_invitation_id}; GET/POST /api/v1/me/credentials,
// DELETE /api/v1/me/credentials/{credential_id}, PUT
// /api/v1/me/credentials/{credential_id}/evidence (streamed; limited to the evidence store's
// max_bytes); GET /api/v1/credentials/{credential_id} and …/evidence (owner or operator,
// 404 to anyone else); GET /api/v1/vetting/credentials, POST
// /api/v1/vetting/credentials/{credential_id}/verify|reject; GET
// /api/v1/experts/{user_id}/dossier.
void RegisterNetworkRoutes(http::Router& router, const NetworkServices& services,
                           const security::IdCodec& ids, const Clock& clock,
                           NetworkRouteOptions options = {});

// A profile as the API shows it.
boost::json::object ProfileJson(const Profile& p, const security::IdCodec& ids);
// A credential as its owner and operators see it, with its status as of `now`.
boost::json::object CredentialJson(const Credential& c, const security::IdCodec& ids,
                                   UnixSeconds now);
// {"kind","domain","level","level_name","verified","text"}: what a lab may see.
boost::json::object CredentialSummaryJson(const CredentialSummary& s);

}  // namespace fw::experts
