#pragma once
// The route table and the one place where every request is authenticated and checked for
// role before its handler runs. Thread safety: build the table (Add) before serving; after
// that Dispatch may run on any number of threads.

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/http.h"

namespace fw::http {

// Turns a credential (bearer token or session cookie value) into a Caller. Implemented by
// orgs::AuthService. Thread safety: any thread.
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // Errors: kUnauthenticated (unknown, expired or revoked credential).
  [[nodiscard]] virtual Result<Caller> Authenticate(std::string_view token) = 0;
};

// Name of the session cookie the browser app uses.
inline constexpr std::string_view kSessionCookie = "fw_session";

class Router {
 public:
  explicit Router(Authenticator* authenticator) : authenticator_(authenticator) {}

  // Adds a route. Patterns are literal segments and {name} parameters. A second route with
  // the same method and pattern is a bug (checked).
  void Add(Route route);

  const std::vector<Route>& routes() const { return routes_; }

  // Answers GET and HEAD requests for paths no route has (the web app's files and its
  // client-side routes), without authentication: it serves only public files. nullopt lets
  // the 404 stand. Set before serving.
  using Fallback = std::function<std::optional<Response>(const Request&)>;
  void SetFallback(Fallback fallback) { fallback_ = std::move(fallback); }

  // Finds the route for `method` and `path`; fills `params`. Returns nullptr when none
  // matches; sets *method_mismatch when the path exists under another method.
  const Route* Match(std::string_view method, std::string_view path,
                     std::map<std::string, std::string>* params, bool* method_mismatch) const;

  // Authenticates the request, checks the route's access and, for requests a browser could
  // forge, that they come from the same origin (below). Returns the refusal to send, or
  // nullopt when the handler may run; sets req.caller. Needs only the request's header, so a
  // streamed body is accepted only after its sender is. Never throws.
  //
  // Cross-site requests: an unsafe method (anything but GET, HEAD, OPTIONS) without an
  // Authorization header is refused with 403 reason "cross_site_request" when its `Origin`
  // names another host or `Sec-Fetch-Site` is cross-site or same-site; when it is
  // authenticated by the session cookie it must also carry one of the two headers (reason
  // "origin_required") and, unless the route streams its body, send a non-empty body as
  // `application/json` (400 reason "unsupported_content_type"). Bearer clients are unaffected.
  std::optional<Response> Admit(const Route& route, Request& req) const;

  // Runs the handler of an admitted request. Never throws: an exception from a handler is
  // logged with the request id and answered with 500.
  Response Run(const Route& route, Request& req) const;

  // Admit, then Run.
  Response Dispatch(const Route& route, Request& req) const;

  // Matches and dispatches; for a path no route has, the fallback (GET, HEAD) or 404; 405 when
  // the path exists under another method.
  Response Handle(Request& req) const;

 private:
  Authenticator* authenticator_;  // not owned; outlives the router
  std::vector<Route> routes_;
  Fallback fallback_;
};

// The credential of a request: the bearer token, else the session cookie; empty when none.
std::string CredentialOf(const Request& req);

}  // namespace fw::http
