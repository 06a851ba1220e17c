#include "http/http.h"

#include "base/json.h"
#include "base/error.h"

namespace fw::http {

std::optional<std::string_view> Request::Header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return std::string_view(v);
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::Query(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return std::string_view(it->second);
}

const std::string& Request::Param(std::string_view name) const {
  auto it = params.find(std::string(name));
  FW_CHECK(it != params.end());
  return it->second;
}

Response Json(const boost::json::value& v, int status) {
  Response r;
  r.status = status;
  r.body = ToJson(v);
  return r;
}

Response NoContent() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

int StatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kUnprocessable: return 422;
    case ErrorCode::kResourceExhausted: return 429;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

Response ErrorResponse(const Error& e, std::string_view request_id) {
  boost::json::object err;
  err["code"] = ErrorCodeName(e.code);
  err["message"] = e.message;
  if (!e.reason.empty()) err["reason"] = e.reason;
  boost::json::array details;
  for (const FieldError& d : e.details) {
    details.push_back({{"field", d.field}, {"code", d.code}, {"message", d.message}});
  }
  err["details"] = std::move(details);
  err["request_id"] = request_id;
  Response r = Json(boost::json::object{{"error", std::move(err)}}, StatusFor(e.code));
  if (e.code == ErrorCode::kUnavailable || e.code == ErrorCode::kResourceExhausted) {
    r.headers.emplace_back("Retry-After", "1");
  }
  return r;
}

Result<boost::json::object> JsonBody(const Request& req) {
  if (req.body.empty()) {
    return InvalidArgument("the request body must be a JSON object", {{"body", "required", "empty body"}});
  }
  return ParseJsonObject(req.body, "body");
}

std::string_view AccessName(Access a) {
  switch (a) {
    case Access::kPublic: return "public";
    case Access::kAuthenticated: return "authenticated";
    case Access::kOperator: return "operator";
    case Access::kLab: return "lab";
    case Access::kLabOwner: return "lab_owner";
    case Access::kLabOrOperator: return "lab_or_operator";
    case Access::kExpert: return "expert";
    case Access::kReviewer: return "reviewer";
  }
  return "authenticated";
}

bool Allows(Access access, const Caller& c) {
  switch (access) {
    case Access::kPublic: return true;
    case Access::kAuthenticated: return c.user_id != 0;
    case Access::kOperator: return c.IsOperator();
    case Access::kLab: return c.IsLab() && c.org_id != 0;
    case Access::kLabOwner: return c.role == Role::kLabOwner && c.org_id != 0;
    case Access::kLabOrOperator: return (c.IsLab() && c.org_id != 0) || c.IsOperator();
    case Access::kExpert: return c.IsExpert();
    case Access::kReviewer: return c.IsExpert() && c.reviewer;
  }
  return false;
}

}  // namespace fw::http
