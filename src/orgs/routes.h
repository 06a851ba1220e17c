#pragma once
// The HTTP routes of labs, users, sessions and API tokens (docs/api.md, "Auth, labs, users,
// tokens"), and the JSON shapes of a User and a Lab that other rooms reuse.

#include <boost/json.hpp>

#include "http/router.h"
#include "orgs/auth.h"
#include "orgs/orgs.h"
#include "security/ids.h"

namespace fw::orgs {

struct RouteOptions {
  bool secure_cookies = false;  // add `Secure` to the session cookie (served behind TLS)
};

// Registers POST /api/v1/auth/login, POST /api/v1/auth/logout, POST /api/v1/me/password,
// GET/DELETE /api/v1/me/sessions, DELETE /api/v1/me/sessions/{session_id},
// POST /api/v1/invitations/accept, GET/POST /api/v1/labs, GET /api/v1/labs/{lab_id},
// GET/POST /api/v1/users, POST /api/v1/users/{user_id}/password|deactivate|reactivate,
// GET/POST /api/v1/lab/members, GET /api/v1/lab/invitations,
// DELETE /api/v1/lab/invitations/{invitation_id}, GET/POST/DELETE /api/v1/tokens,
// DELETE /api/v1/tokens/{token_id}.
// The services and codec are borrowed and must outlive the router.
void RegisterRoutes(http::Router& router, OrgService& orgs, AuthService& auth,
                    const security::IdCodec& ids, RouteOptions options = {});

// {"id","email","name","role","lab_id","created_at","disabled"}; lab_id is null for users of
// no lab.
boost::json::object UserJson(const User& user, const security::IdCodec& ids);
// {"id","name","slug","created_at"}.
boost::json::object LabJson(const Lab& lab, const security::IdCodec& ids);

// Where a request comes from (client address, user agent), kept with a session it opens.
LoginContext LoginContextOf(const http::Request& req);
// The answer of a route that opens a session (login, accepting an invitation, signing up):
// {"token","expires_at","user"} with `status`, and the session cookie (`Secure` when `secure`)
// that lives `ttl_seconds`.
http::Response SessionOpened(const Session& session, const security::IdCodec& ids,
                             std::int64_t ttl_seconds, bool secure, int status);

}  // namespace fw::orgs
