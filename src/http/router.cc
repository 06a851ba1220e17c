#include "http/router.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace fw::http {

namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

bool MatchPattern(std::string_view pattern, std::string_view path,
                  std::map<std::string, std::string>* params) {
  auto ps = Split(pattern), xs = Split(path);
  if (ps.size() != xs.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < ps.size(); ++i) {
    if (ps[i].size() > 2 && ps[i].front() == '{' && ps[i].back() == '}') {
      if (xs[i].empty()) return false;
      found.emplace(std::string(ps[i].substr(1, ps[i].size() - 2)), std::string(xs[i]));
    } else if (ps[i] != xs[i]) {
      return false;
    }
  }
  if (params) *params = std::move(found);
  return true;
}

}  // namespace

std::string CredentialOf(const Request& req) {
  if (auto auth = req.Header("authorization")) {
    std::string_view a = *auth;
    if (a.size() > 7 && (a.substr(0, 7) == "Bearer " || a.substr(0, 7) == "bearer ")) {
      return std::string(a.substr(7));
    }
    return {};
  }
  if (auto cookie = req.Header("cookie")) {
    std::string_view c = *cookie;
    std::size_t pos = 0;
    while (pos < c.size()) {
      std::size_t end = c.find(';', pos);
      if (end == std::string_view::npos) end = c.size();
      std::string_view part = c.substr(pos, end - pos);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      if (part.size() > kSessionCookie.size() &&
          part.substr(0, kSessionCookie.size()) == kSessionCookie &&
          part[kSessionCookie.size()] == '=') {
        return std::string(part.substr(kSessionCookie.size() + 1));
      }
      pos = end + 1;
    }
  }
  return {};
}

void Router::Add(Route route) {
  for (const Route& r : routes_) {
    FW_CHECK(!(r.method == route.method && r.pattern == route.pattern));
  }
  routes_.push_back(std::move(route));
}

const Route* Router::Match(std::string_view method, std::string_view path,
                           std::map<std::string, std::string>* params,
                           bool* method_mismatch) const {
  *method_mismatch = false;
  for (const Route& r : routes_) {
    if (!MatchPattern(r.pattern, path, nullptr)) continue;
    if (r.method == method || (method == "HEAD" && r.method == "GET")) {
      MatchPattern(r.pattern, path, params);
      return &r;
    }
    *method_mismatch = true;
  }
  return nullptr;
}

namespace {

bool IsSafeMethod(std::string_view m) { return m == "GET" || m == "HEAD" || m == "OPTIONS"; }

// The host[:port] of an origin ("https://a.example:8443" -> "a.example:8443"), or empty
// for "null" and anything that is not scheme://authority.
std::string_view OriginAuthority(std::string_view origin) {
  auto sep = origin.find("://");
  if (sep == std::string_view::npos) return {};
  std::string_view rest = origin.substr(sep + 3);
  auto slash = rest.find('/');
  if (slash != std::string_view::npos) rest = rest.substr(0, slash);
  return rest;
}

bool SameAuthority(std::string_view a, std::string_view b) {
  if (a.empty() || a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool IsJsonContentType(std::string_view ct) {
  auto semi = ct.find(';');
  if (semi != std::string_view::npos) ct = ct.substr(0, semi);
  while (!ct.empty() && ct.back() == ' ') ct.remove_suffix(1);
  return SameAuthority(ct, "application/json");
}

// The 500 for the exception being handled, logged with the request id and `what` ("unhandled
// exception"). Call only from a catch block.
Response InternalError(const Request& req, std::string_view what) {
  try {
    throw;
  } catch (const std::exception& e) {
    spdlog::error("[{}] {} {}: {}: {}", req.request_id, req.method, req.path, what, e.what());
  } catch (...) {
    spdlog::error("[{}] {} {}: {}", req.request_id, req.method, req.path, what);
  }
  return ErrorResponse(Error(ErrorCode::kInternal, "internal error"), req.request_id);
}

Response Refuse(ErrorCode code, std::string message, std::string_view reason,
                std::vector<FieldError> details, const Request& req) {
  return ErrorResponse(Error(code, std::move(message), std::move(details), std::string(reason)),
                       req.request_id);
}

// The refusal of a request a browser could have been tricked into sending (see Admit), or
// nullopt. `credentialed`: the request carries a credential the route will use.
std::optional<Response> RefuseCrossSite(const Route& route, const Request& req, bool credentialed) {
  if (IsSafeMethod(req.method) || req.Header("authorization")) return std::nullopt;
  auto origin = req.Header("origin");
  auto fetch_site = req.Header("sec-fetch-site");
  bool cross =
      (origin && !SameAuthority(OriginAuthority(*origin), req.Header("host").value_or(""))) ||
      (fetch_site && *fetch_site != "same-origin" && *fetch_site != "none");
  if (cross) {
    return Refuse(
        ErrorCode::kPermissionDenied,
        "cross-site requests are refused; call the API from the same origin or with a bearer token",
        "cross_site_request", {{"origin", "cross_site", "the request comes from another site"}},
        req);
  }
  if (!credentialed) return std::nullopt;  // only the session cookie is left to check
  if (!origin && !fetch_site) {
    return Refuse(
        ErrorCode::kPermissionDenied,
        "a request authenticated by the session cookie must send Origin or Sec-Fetch-Site",
        "origin_required",
        {{"origin", "required", "send Origin (browsers do) or use a bearer token"}}, req);
  }
  bool has_body = !req.body.empty() || req.Header("content-length").value_or("0") != "0" ||
                  req.Header("transfer-encoding").has_value();
  if (!route.streaming_body && has_body &&
      !IsJsonContentType(req.Header("content-type").value_or(""))) {
    return Refuse(ErrorCode::kInvalidArgument, "send the body as application/json",
                  "unsupported_content_type",
                  {{"content-type", "unsupported", "expected application/json"}}, req);
  }
  return std::nullopt;
}

}  // namespace

std::optional<Response> Router::Admit(const Route& route, Request& req) const {
  try {
    req.caller.request_id = req.request_id;
    const std::string token = route.access == Access::kPublic ? std::string() : CredentialOf(req);
    if (auto refused = RefuseCrossSite(route, req, !token.empty())) return refused;
    if (route.access == Access::kPublic) return std::nullopt;
    if (token.empty()) {
      return ErrorResponse(Error(ErrorCode::kUnauthenticated, "log in or send a bearer token"),
                           req.request_id);
    }
    auto caller = authenticator_->Authenticate(token);
    if (!caller) return ErrorResponse(caller.error(), req.request_id);
    req.caller = std::move(*caller);
    req.caller.request_id = req.request_id;
    if (!Allows(route.access, req.caller)) {
      return ErrorResponse(Error(ErrorCode::kPermissionDenied,
                                 fmt::format("this needs the {} role", AccessName(route.access))),
                           req.request_id);
    }
    return std::nullopt;
  } catch (...) {
    return InternalError(req, "exception while authenticating");
  }
}

Response Router::Run(const Route& route, Request& req) const {
  try {
    auto res = route.handler(req);
    if (!res) {
      if (res.error().code == ErrorCode::kInternal) {
        spdlog::error("[{}] {} {}: {}", req.request_id, req.method, req.path, res.error().message);
      }
      return ErrorResponse(res.error(), req.request_id);
    }
    return std::move(*res);
  } catch (...) {
    return InternalError(req, "unhandled exception");
  }
}

Response Router::Dispatch(const Route& route, Request& req) const {
  if (auto refused = Admit(route, req)) return std::move(*refused);
  return Run(route, req);
}

Response Router::Handle(Request& req) const {
  bool mismatch = false;
  const Route* route = Match(req.method, req.path, &req.params, &mismatch);
  if (!route) {
    if (mismatch) {
      Response r =
          ErrorResponse(Error(ErrorCode::kInvalidArgument, "method not allowed for this path", {},
                              "method_not_allowed"),
                        req.request_id);
      r.status = 405;
      return r;
    }
    if (fallback_ && (req.method == "GET" || req.method == "HEAD")) {
      if (std::optional<Response> served = fallback_(req)) return std::move(*served);
    }
    return ErrorResponse(Error(ErrorCode::kNotFound, "no such route", {}, "no_such_route"),
                         req.request_id);
  }
  return Dispatch(*route, req);
}

}  // namespace fw::http
