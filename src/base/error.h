#pragma once
// The error vocabulary used by every room. An Error's code is chosen by what the caller can
// do next; the HTTP edge maps each code to one status (http::StatusFor in http/http.cc, a switch without
// `default`, so a new code cannot be forgotten).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

namespace fw {

enum class ErrorCode {
  kInvalidArgument,     // 400: the request is malformed; fix it and send again
  kUnauthenticated,     // 401: no or bad credentials; log in
  kPermissionDenied,    // 403: authenticated but the role does not allow it
  kNotFound,            // 404: no such thing visible to the caller
  kConflict,            // 409: state conflict (duplicate, lease expired); re-read and decide
  kUnprocessable,       // 422: well-formed but breaks a rule (answer vs template); details say where
  kResourceExhausted,   // 429: too many requests or a quota; wait
  kUnavailable,         // 503: temporarily unable (database busy, shutting down); retry
  kInternal,            // 500: a bug or an unexpected failure; logged with the request id
};

// Stable machine-readable name of a code ("invalid_argument", ...).
std::string_view ErrorCodeName(ErrorCode code);

// One failing part of a request: `field` is a JSON path or a parameter name
// ("answer.rating", "line 17"), `code` a machine-readable reason ("required", "out_of_range").
struct FieldError {
  std::string field;
  std::string code;
  std::string message;
  friend bool operator==(const FieldError&, const FieldError&) = default;
};

// An expected failure. `message` is safe to show to the client; `reason` is an optional
// machine-readable refinement of `code` ("lease_expired", "duplicate_email"), sent as
// error.reason.
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::vector<FieldError> details;
  std::string reason;

  Error() = default;
  Error(ErrorCode c, std::string msg, std::vector<FieldError> d = {}, std::string r = {})
      : code(c), message(std::move(msg)), details(std::move(d)), reason(std::move(r)) {}

  Error&& WithReason(std::string r) && {
    reason = std::move(r);
    return std::move(*this);
  }
};

template <typename T>
using Result = tl::expected<T, Error>;
using Status = tl::expected<void, Error>;

inline tl::unexpected<Error> Fail(ErrorCode code, std::string message,
                                  std::vector<FieldError> details = {}, std::string reason = {}) {
  return tl::unexpected<Error>(Error(code, std::move(message), std::move(details), std::move(reason)));
}
inline tl::unexpected<Error> Fail(Error e) { return tl::unexpected<Error>(std::move(e)); }

inline tl::unexpected<Error> InvalidArgument(std::string message, std::vector<FieldError> d = {}) {
  return Fail(ErrorCode::kInvalidArgument, std::move(message), std::move(d));
}
inline tl::unexpected<Error> NotFound(std::string message) {
  return Fail(ErrorCode::kNotFound, std::move(message));
}
inline tl::unexpected<Error> PermissionDenied(std::string message) {
  return Fail(ErrorCode::kPermissionDenied, std::move(message));
}
inline tl::unexpected<Error> Conflict(std::string message, std::string reason = {}) {
  return Fail(ErrorCode::kConflict, std::move(message), {}, std::move(reason));
}
inline tl::unexpected<Error> Unprocessable(std::string message, std::vector<FieldError> d) {
  return Fail(ErrorCode::kUnprocessable, std::move(message), std::move(d));
}
inline tl::unexpected<Error> Internal(std::string message) {
  return Fail(ErrorCode::kInternal, std::move(message));
}

// Checks a belief the code relies on; a false belief is a bug: logs `what` and aborts.
[[noreturn]] void CheckFailed(const char* expr, const char* file, int line);
#define FW_CHECK(cond) \
  do { if (!(cond)) ::fw::CheckFailed(#cond, __FILE__, __LINE__); } while (0)

}  // namespace fw

// Propagates an error: `FW_TRY(auto x, Expr())` or `FW_TRY_STATUS(Expr())`.
#define FW_CONCAT_INNER(a, b) a##b
#define FW_CONCAT(a, b) FW_CONCAT_INNER(a, b)
#define FW_TRY_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                 \
  if (!tmp) return ::tl::unexpected<::fw::Error>(std::move(tmp).error()); \
  decl = std::move(*tmp)
#define FW_TRY(decl, expr) FW_TRY_IMPL(FW_CONCAT(fw_try_, __LINE__), decl, expr)
#define FW_TRY_STATUS(expr)                                             \
  do {                                                                  \
    auto fw_try_s = (expr);                                             \
    if (!fw_try_s) return ::tl::unexpected<::fw::Error>(std::move(fw_try_s).error()); \
  } while (0)
