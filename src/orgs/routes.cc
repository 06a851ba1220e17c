#include "orgs/routes.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "base/clock.h"
#include "base/json.h"

namespace fw::orgs {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;
using security::IdKind;

namespace {

json::value TimeOrNull(const std::optional<UnixSeconds>& t) {
  if (!t) return nullptr;
  return json::value(FormatTime(*t));
}

std::string SessionCookie(std::string_view value, std::int64_t max_age, bool secure) {
  return fmt::format("{}={}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{}", http::kSessionCookie,
                     value, max_age, secure ? "; Secure" : "");
}

Result<Role> RoleField(const json::object& body) {
  FW_TRY(std::string role_name, RequiredString(body, "role"));
  Role role;
  if (!ParseRole(role_name, &role)) {
    return InvalidArgument("role must be operator, owner, member or expert",
                           {{"role", "invalid", "expected operator, owner, member or expert"}});
  }
  return role;
}

json::array UsersJson(const std::vector<User>& users, const security::IdCodec& ids) {
  json::array out;
  out.reserve(users.size());
  for (const User& u : users) out.push_back(UserJson(u, ids));
  return out;
}

json::value StringOrNull(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  return json::value(*s);
}

json::object SessionJson(const SessionInfo& s, const security::IdCodec& ids) {
  return {{"id", ids.Encode(IdKind::kSession, s.id)},
          {"created_at", FormatTime(s.created_at)},
          {"expires_at", FormatTime(s.expires_at)},
          {"user_agent", StringOrNull(s.user_agent)},
          {"address", StringOrNull(s.address)},
          {"current", s.current}};
}

json::object InvitationJson(const Invitation& inv, const security::IdCodec& ids) {
  return {{"id", ids.Encode(IdKind::kInvitation, inv.id)},
          {"email", inv.email},
          {"role", RoleName(inv.role)},
          {"created_at", FormatTime(inv.created_at)},
          {"expires_at", FormatTime(inv.expires_at)},
          {"state", InvitationStateName(inv.state)}};
}

LoginContext ContextOf(const Request& req) {
  LoginContext c;
  c.address = req.remote_address;
  if (auto ua = req.Header("user-agent")) c.user_agent = std::string(*ua);
  return c;
}

// The error answer with exactly one Retry-After header, saying `seconds`.
Response WithRetryAfter(Response res, std::int64_t seconds) {
  auto is_retry_after = [](const std::pair<std::string, std::string>& h) {
    return std::equal(h.first.begin(), h.first.end(), std::string_view("retry-after").begin(),
                      std::string_view("retry-after").end(), [](char a, char b) {
                        return std::tolower(static_cast<unsigned char>(a)) == b;
                      });
  };
  std::erase_if(res.headers, is_retry_after);
  res.headers.emplace_back("Retry-After", std::to_string(std::max<std::int64_t>(1, seconds)));
  return res;
}

// A session's answer: {"token","expires_at","user"} with the cookie set.
Response SessionResponse(const Session& session, const security::IdCodec& ids,
                         std::int64_t ttl_seconds, bool secure, int status) {
  Response res = http::Json(json::object{{"token", session.token},
                                         {"expires_at", FormatTime(session.expires_at)},
                                         {"user", UserJson(session.user, ids)}},
                            status);
  res.headers.emplace_back("Set-Cookie", SessionCookie(session.token, ttl_seconds, secure));
  return res;
}

json::object TokenJson(const ApiToken& t, const security::IdCodec& ids) {
  return {{"id", ids.Encode(IdKind::kToken, t.id)},
          {"name", t.name},
          {"created_at", FormatTime(t.created_at)},
          {"expires_at", TimeOrNull(t.expires_at)}};
}

}  // namespace

json::object UserJson(const User& u, const security::IdCodec& ids) {
  json::value lab_id = nullptr;
  if (u.org_id != 0) lab_id = ids.Encode(IdKind::kOrg, u.org_id);
  return {{"id", ids.Encode(IdKind::kUser, u.id)},
          {"email", u.email},
          {"name", u.name},
          {"role", RoleName(u.role)},
          {"lab_id", std::move(lab_id)},
          {"created_at", FormatTime(u.created_at)},
          {"disabled", u.disabled}};
}

json::object LabJson(const Lab& lab, const security::IdCodec& ids) {
  return {{"id", ids.Encode(IdKind::kOrg, lab.id)},
          {"name", lab.name},
          {"slug", lab.slug},
          {"created_at", FormatTime(lab.created_at)}};
}

LoginContext LoginContextOf(const http::Request& req) { return ContextOf(req); }

http::Response SessionOpened(const Session& session, const security::IdCodec& ids,
                             std::int64_t ttl_seconds, bool secure, int status) {
  return SessionResponse(session, ids, ttl_seconds, secure, status);
}

namespace {
// The fields both user-creating routes read: email, name, password, role.
Result<NewUser> NewUserFromBody(const json::object& body) {
  NewUser nu;
  FW_TRY(nu.email, RequiredString(body, "email"));
  FW_TRY(nu.name, RequiredString(body, "name"));
  FW_TRY(nu.password, RequiredString(body, "password"));
  FW_TRY(nu.role, RoleField(body));
  return nu;
}

// ---- sessions

void AddSessionRoutes(http::Router& router, OrgService& orgs, AuthService& auth,
                      const security::IdCodec& ids, bool secure) {
  router.Add({"POST", "/api/v1/auth/login", Access::kPublic,
              [&auth, &ids, secure](Request& req) -> Result<Response> {
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY(std::string email, RequiredString(body, "email"));
                FW_TRY(std::string password, RequiredString(body, "password"));
                LoginRefusal refusal;
                auto session = auth.Login(email, password, ContextOf(req), &refusal);
                if (!session && session.error().code == ErrorCode::kResourceExhausted) {
                  return WithRetryAfter(http::ErrorResponse(session.error(), req.request_id),
                                        refusal.retry_after_seconds);
                }
                if (!session) return Fail(std::move(session).error());
                return SessionResponse(*session, ids, auth.session_ttl_seconds(), secure, 200);
              },
              "log in with e-mail and password; returns a session token and sets the cookie"});

  router.Add({"POST", "/api/v1/auth/logout", Access::kAuthenticated,
              [&auth, secure](Request& req) -> Result<Response> {
                FW_TRY_STATUS(auth.Logout(http::CredentialOf(req)));
                Response res = http::NoContent();
                res.headers.emplace_back("Set-Cookie", SessionCookie("", 0, secure));
                return res;
              },
              "revoke the credential of the request (session or API token); clear the cookie"});

  router.Add({"POST", "/api/v1/me/password", Access::kAuthenticated,
              [&orgs](Request& req) -> Result<Response> {
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY(std::string current, RequiredString(body, "current_password"));
                FW_TRY(std::string next, RequiredString(body, "new_password"));
                FW_TRY_STATUS(
                    orgs.ChangePassword(req.caller, current, next, http::CredentialOf(req)));
                return http::NoContent();
              },
              "change the caller's password; ends the caller's other sessions"});

  router.Add({"GET", "/api/v1/me/sessions", Access::kAuthenticated,
              [&orgs, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto sessions, orgs.ListSessions(req.caller, http::CredentialOf(req)));
                json::array out;
                for (const SessionInfo& s : sessions) out.push_back(SessionJson(s, ids));
                return http::Json(json::object{{"sessions", std::move(out)}});
              },
              "the caller's live login sessions"});

  router.Add({"DELETE", "/api/v1/me/sessions", Access::kAuthenticated,
              [&orgs](Request& req) -> Result<Response> {
                bool all = false;
                if (auto v = req.Query("all")) {
                  if (*v == "true") {
                    all = true;
                  } else if (*v != "false") {
                    return InvalidArgument("all must be true or false",
                                           {{"all", "invalid", "expected true or false"}});
                  }
                }
                FW_TRY(std::int64_t revoked,
                       orgs.RevokeSessions(req.caller,
                                           all ? std::string() : http::CredentialOf(req)));
                return http::Json(json::object{{"revoked", revoked}});
              },
              "end the caller's other sessions (all of them with ?all=true)"});

  router.Add({"DELETE", "/api/v1/me/sessions/{session_id}", Access::kAuthenticated,
              [&orgs, &ids](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t id, ids.Find(IdKind::kSession, req.Param("session_id")));
                FW_TRY_STATUS(orgs.RevokeSession(req.caller, id));
                return http::NoContent();
              },
              "end one of the caller's sessions"});

  router.Add({"POST", "/api/v1/invitations/accept", Access::kPublic,
              [&orgs, &auth, &ids, secure](Request& req) -> Result<Response> {
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY(std::string token, RequiredString(body, "token"));
                FW_TRY(std::string name, RequiredString(body, "name"));
                FW_TRY(std::string password, RequiredString(body, "password"));
                FW_TRY(User user, orgs.AcceptInvitation(token, name, password));
                FW_TRY(Session session, auth.OpenSession(user, ContextOf(req)));
                return SessionResponse(session, ids, auth.session_ttl_seconds(), secure, 201);
              },
              "accept an invitation: creates the account in the lab and logs it in"});
}

// ---- labs

void AddLabRoutes(http::Router& router, OrgService& orgs, const security::IdCodec& ids) {
  router.Add({"GET", "/api/v1/labs", Access::kOperator,
              [&orgs, &ids](Request&) -> Result<Response> {
                FW_TRY(auto labs, orgs.ListLabs());
                json::array out;
                for (const Lab& l : labs) out.push_back(LabJson(l, ids));
                return http::Json(json::object{{"labs", std::move(out)}});
              },
              "all labs"});

  router.Add({"POST", "/api/v1/labs", Access::kOperator,
              [&orgs, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY(std::string name, RequiredString(body, "name"));
                FW_TRY(std::string slug, RequiredString(body, "slug"));
                FW_TRY(Lab lab, orgs.CreateLab(name, slug));
                return http::Json(LabJson(lab, ids), 201);
              },
              "create a lab"});

  router.Add({"GET", "/api/v1/labs/{lab_id}", Access::kOperator,
              [&orgs, &ids](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t id, ids.Find(IdKind::kOrg, req.Param("lab_id")));
                FW_TRY(Lab lab, orgs.GetLab(id));
                return http::Json(LabJson(lab, ids));
              },
              "one lab"});
}

// ---- users

void AddUserRoutes(http::Router& router, OrgService& orgs, const security::IdCodec& ids) {
  router.Add({"GET", "/api/v1/users", Access::kOperator,
              [&orgs, &ids](Request&) -> Result<Response> {
                FW_TRY(auto users, orgs.ListUsers());
                return http::Json(json::object{{"users", UsersJson(users, ids)}});
              },
              "all users"});

  router.Add({"POST", "/api/v1/users", Access::kOperator,
              [&orgs, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY(NewUser nu, NewUserFromBody(body));
                FW_TRY(std::optional<std::string> lab_id, OptionalString(body, "lab_id"));
                if (lab_id) {
                  FW_TRY(nu.org_id, ids.Find(IdKind::kOrg, *lab_id));
                }
                FW_TRY(User user, orgs.CreateUser(nu));
                return http::Json(UserJson(user, ids), 201);
              },
              "create a user of any role"});

  router.Add({"POST", "/api/v1/users/{user_id}/password", Access::kOperator,
              [&orgs, &ids](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t id, ids.Find(IdKind::kUser, req.Param("user_id")));
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY(std::string password, RequiredString(body, "password"));
                FW_TRY_STATUS(orgs.ResetPasswordOf(id, password));
                return http::NoContent();
              },
              "set a user's password; ends all of the user's sessions"});

  router.Add({"POST", "/api/v1/users/{user_id}/deactivate", Access::kOperator,
              [&orgs, &ids](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t id, ids.Find(IdKind::kUser, req.Param("user_id")));
                FW_TRY(User user, orgs.Deactivate(req.caller, id));
                return http::Json(UserJson(user, ids));
              },
              "disable a user and revoke all of their sessions and API tokens"});

  router.Add({"POST", "/api/v1/users/{user_id}/reactivate", Access::kOperator,
              [&orgs, &ids](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t id, ids.Find(IdKind::kUser, req.Param("user_id")));
                FW_TRY(User user, orgs.Reactivate(id));
                return http::Json(UserJson(user, ids));
              },
              "let a disabled user log in again"});

  router.Add({"GET", "/api/v1/lab/members", Access::kLab,
              [&orgs, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto users, orgs.ListMembers(req.caller.org_id));
                return http::Json(json::object{{"members", UsersJson(users, ids)}});
              },
              "the users of the caller's lab"});

  router.Add({"POST", "/api/v1/lab/members", Access::kLabOwner,
              [&orgs, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY(std::string email, RequiredString(body, "email"));
                FW_TRY(Role role, RoleField(body));
                FW_TRY(Invitation inv, orgs.Invite(req.caller, email, role));
                return http::Json(json::object{{"invitation", InvitationJson(inv, ids)}}, 202);
              },
              "invite an owner or member to the caller's lab (the secret goes to the invitee)"});

  router.Add({"GET", "/api/v1/lab/invitations", Access::kLab,
              [&orgs, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto invitations, orgs.ListInvitations(req.caller));
                json::array out;
                for (const Invitation& inv : invitations) out.push_back(InvitationJson(inv, ids));
                return http::Json(json::object{{"invitations", std::move(out)}});
              },
              "the caller's lab's pending invitations"});

  router.Add({"DELETE", "/api/v1/lab/invitations/{invitation_id}", Access::kLabOwner,
              [&orgs, &ids](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t id, ids.Find(IdKind::kInvitation, req.Param("invitation_id")));
                FW_TRY_STATUS(orgs.WithdrawInvitation(req.caller, id));
                return http::NoContent();
              },
              "withdraw a pending invitation of the caller's lab"});
}

// ---- API tokens

void AddTokenRoutes(http::Router& router, OrgService& orgs, const security::IdCodec& ids) {
  router.Add({"GET", "/api/v1/tokens", Access::kAuthenticated,
              [&orgs, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto tokens, orgs.ListTokens(req.caller));
                json::array out;
                for (const ApiToken& t : tokens) out.push_back(TokenJson(t, ids));
                return http::Json(json::object{{"tokens", std::move(out)}});
              },
              "the caller's API tokens (never the secrets)"});

  router.Add({"POST", "/api/v1/tokens", Access::kAuthenticated,
              [&orgs, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY(std::string name, RequiredString(body, "name"));
                FW_TRY(std::optional<std::int64_t> ttl, OptionalInt(body, "expires_in_seconds"));
                FW_TRY(CreatedToken created, orgs.CreateToken(req.caller, name, ttl));
                json::object out = TokenJson(created.token, ids);
                out["token"] = created.secret;
                return http::Json(out, 201);
              },
              "create an API token; the secret is shown only in this answer"});

  router.Add({"DELETE", "/api/v1/tokens/{token_id}", Access::kAuthenticated,
              [&orgs, &ids](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t id, ids.Find(IdKind::kToken, req.Param("token_id")));
                FW_TRY_STATUS(orgs.RevokeToken(req.caller, id));
                return http::NoContent();
              },
              "revoke one of the caller's API tokens"});

  router.Add({"DELETE", "/api/v1/tokens", Access::kAuthenticated,
              [&orgs](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t revoked, orgs.RevokeTokens(req.caller));
                return http::Json(json::object{{"revoked", revoked}});
              },
              "revoke all of the caller's API tokens"});
}

}  // namespace

void RegisterRoutes(http::Router& router, OrgService& orgs, AuthService& auth,
                    const security::IdCodec& ids, RouteOptions options) {
  const bool secure = options.secure_cookies;
  AddSessionRoutes(router, orgs, auth, ids, secure);
  AddLabRoutes(router, orgs, ids);
  AddUserRoutes(router, orgs, ids);
  AddTokenRoutes(router, orgs, ids);
}

}  // namespace fw::orgs
