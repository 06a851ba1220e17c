#pragma once
// HTTP vocabulary shared by the server, the router and every room's routes: requests,
// responses (whole or streamed), the error edge and the access levels a route demands.
// This room knows no capability; rooms register their routes with the Router.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "base/caller.h"
#include "base/error.h"

namespace fw::http {

// Pulls a request body that is too large to hold in memory (item imports). Implemented by
// the server over the connection. Thread safety: the handler's thread only.
class BodyReader {
 public:
  virtual ~BodyReader() = default;
  // Reads up to `n` bytes into `buf`; returns 0 at the end of the body.
  // Errors: kInvalidArgument (malformed or truncated body), kResourceExhausted (over the
  // configured limit).
  [[nodiscard]] virtual Result<std::size_t> Read(char* buf, std::size_t n) = 0;
};

struct Request {
  std::string method;                             // "GET", "POST", ...
  std::string path;                               // without the query string
  std::map<std::string, std::string> query;       // decoded query parameters
  std::map<std::string, std::string> params;      // path parameters ({id} -> value)
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;                               // empty for streaming routes
  BodyReader* body_reader = nullptr;              // non-null only for streaming routes
  std::string request_id;
  std::string remote_address;
  Caller caller;                                  // set by the router after authentication

  // The first header of that (lower-case) name, or nullopt.
  std::optional<std::string_view> Header(std::string_view lower_name) const;
  // A query parameter, or nullopt.
  std::optional<std::string_view> Query(std::string_view name) const;
  // A path parameter; the router guarantees every parameter of the route's pattern is set.
  const std::string& Param(std::string_view name) const;
};

// Produces the next part of a streamed response body into `out` (cleared by the caller);
// returns false when the body is complete. An error after the first part has been sent
// aborts the connection (the client sees a truncated chunked body, never a false success).
using StreamProducer = std::function<Result<bool>(std::string& out)>;

// Every response gets the server's security headers; a handler's own
// `Content-Security-Policy` (a served file's `sandbox`) replaces the default one.
struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  StreamProducer stream;  // when set, `body` is ignored and the body is sent chunked
};

// 200 (or `status`) with a JSON body.
Response Json(const boost::json::value& v, int status = 200);
// 204 with no body.
Response NoContent();
// The error response: {"error": {"code", "message", "reason"?, "details": [...],
// "request_id"}} with the status of `e.code`.
Response ErrorResponse(const Error& e, std::string_view request_id);
// The HTTP status for an error code (a switch without default).
int StatusFor(ErrorCode code);

// Parses the request body as a JSON object. Errors: kInvalidArgument naming "body".
[[nodiscard]] Result<boost::json::object> JsonBody(const Request& req);

// Who may call a route; checked by the router, in one place, before the handler runs.
enum class Access {
  kPublic,         // no credentials needed
  kAuthenticated,  // any logged-in user
  kOperator,       // operators only
  kLab,            // a lab's owner or member (data filtered to the caller's lab by the store)
  kLabOwner,       // a lab's owner
  kLabOrOperator,  // a lab's owner or member, or an operator
  kExpert,         // experts (including reviewers)
  kReviewer,       // experts with reviewer rights
};
std::string_view AccessName(Access a);

// Whether `caller` satisfies `access` (role only; tenancy is the store's job).
bool Allows(Access access, const Caller& caller);

using Handler = std::function<Result<Response>(Request&)>;

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/projects/{id}/items"
  Access access = Access::kAuthenticated;
  Handler handler;
  std::string summary;        // one line for the route table and docs
  bool streaming_body = false;  // the body is pulled through Request::body_reader
  // For a streaming route: the largest body it takes (a larger declared one is refused with
  // 413 before any of it is received); 0: the server's limit for streamed bodies.
  std::int64_t max_body_bytes = 0;
};

}  // namespace fw::http
