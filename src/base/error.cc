#include "base/error.h"

#include <cstdio>
#include <cstdlib>

namespace fw {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kUnauthenticated: return "unauthenticated";
    case ErrorCode::kPermissionDenied: return "permission_denied";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kUnprocessable: return "unprocessable";
    case ErrorCode::kResourceExhausted: return "resource_exhausted";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

void CheckFailed(const char* expr, const char* file, int line) {
  std::fprintf(stderr, "fachwerk: check failed: %s at %s:%d\n", expr, file, line);
  std::abort();
}

}  // namespace fw
