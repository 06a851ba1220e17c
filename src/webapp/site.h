#pragma once
// The web app's built files (web/dist: index.html and hashed assets) held in memory and served
// from the same origin as the API, through the router's fallback:
//
//   FW_TRY(webapp::Site site, webapp::Site::Load(dir));
//   router.SetFallback([&site](const http::Request& r) { return site.Serve(r); });
//
// Files under /assets/ carry a content hash in their name and are cached as immutable; every
// other file (index.html above all) is revalidated on each load (no-cache, with an ETag). A
// path with no file and no extension is a client-side route and gets index.html; paths the
// API owns (/api/..., /healthz, /metrics) never do. A file with a precompressed `.gz` sibling
// is sent gzipped to clients that accept it. Thread safety: immutable after Load; Serve may
// run on any number of threads.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/error.h"
#include "http/http.h"

namespace fw::webapp {

class Site {
 public:
  // Reads every regular file under `dir`. Errors: kNotFound (no index.html in `dir`),
  // kUnavailable (a file could not be read).
  [[nodiscard]] static Result<Site> Load(const std::string& dir);

  // The directory to serve when none is configured: the one this binary was built with
  // (web/dist of its source tree), else `web` beside the running binary; "" when neither has
  // an index.html.
  static std::string DefaultDir();

  // The answer to a GET or HEAD of `req.path` (If-None-Match and Accept-Encoding honoured),
  // or nullopt when the path is not the app's (the caller answers 404).
  std::optional<http::Response> Serve(const http::Request& req) const;

  // index.html as Serve would send it, for a route that answers browsers with the app.
  http::Response Index(const http::Request& req) const;

  std::size_t files() const { return files_.size(); }
  std::size_t bytes() const { return bytes_; }

 private:
  struct File {
    std::string content_type;
    std::string body;
    std::optional<std::string> gzip;  // the precompressed body, when web/dist has one
    std::string etag;                 // quoted, from the content
    bool immutable = false;           // under /assets/: the name carries the content hash
  };
  http::Response Send(const File& file, const http::Request& req) const;

  std::unordered_map<std::string, File> files_;  // by URL path ("/index.html")
  std::size_t bytes_ = 0;
};

// The media type for a file name, by extension (text types with charset=utf-8).
std::string_view ContentTypeFor(std::string_view name);

}  // namespace fw::webapp
