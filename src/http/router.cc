#include "http/router.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace fw::http {

namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') { ++i; continue; }
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
      if (part.size() > kSessionCookie.size() && part.substr(0, kSessionCookie.size()) == kSessionCookie &&
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
                           std::map<std::string, std::string>* params, bool* method_mismatch) const {
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

Response Router::Dispatch(const Route& route, Request& req) const {
  try {
    if (route.access != Access::kPublic) {
      std::string token = CredentialOf(req);
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
    } else {
      req.caller.request_id = req.request_id;
    }
    auto res = route.handler(req);
    if (!res) {
      if (res.error().code == ErrorCode::kInternal) {
        spdlog::error("[{}] {} {}: {}", req.request_id, req.method, req.path, res.error().message);
      }
      return ErrorResponse(res.error(), req.request_id);
    }
    return std::move(*res);
  } catch (const std::exception& e) {
    spdlog::error("[{}] {} {}: unhandled exception: {}", req.request_id, req.method, req.path, e.what());
  } catch (...) {
    spdlog::error("[{}] {} {}: unhandled exception", req.request_id, req.method, req.path);
  }
  return ErrorResponse(Error(ErrorCode::kInternal, "internal error"), req.request_id);
}

Response Router::Handle(Request& req) const {
  bool mismatch = false;
  const Route* route = Match(req.method, req.path, &req.params, &mismatch);
  if (!route) {
    if (mismatch) {
      Response r = ErrorResponse(Error(ErrorCode::kInvalidArgument, "method not allowed for this path",
                                       {}, "method_not_allowed"),
                                 req.request_id);
      r.status = 405;
      return r;
    }
    return ErrorResponse(Error(ErrorCode::kNotFound, "no such route", {}, "no_such_route"), req.request_id);
  }
  return Dispatch(*route, req);
}

}  // namespace fw::http
