#include "webapp/site.h"

#include <fmt/format.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fw::webapp {

namespace {

namespace fs = std::filesystem;

std::string Etag(std::string_view body) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a 64
  for (unsigned char c : body) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return fmt::format("\"{:016x}-{:x}\"", h, body.size());
}

bool ReadFile(const fs::path& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = std::move(s).str();
  return static_cast<bool>(in) || in.eof();
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Whether an Accept-Encoding value accepts gzip: it names gzip (or *) without q=0.
bool AcceptsGzip(std::string_view accept) {
  while (!accept.empty()) {
    std::size_t comma = accept.find(',');
    std::string_view item = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    std::size_t semi = item.find(';');
    std::string_view coding = Trim(item.substr(0, semi));
    if (coding != "gzip" && coding != "x-gzip" && coding != "*") continue;
    if (semi == std::string_view::npos) return true;
    std::string_view q = Trim(item.substr(semi + 1));
    if (!q.starts_with("q=")) return true;
    q.remove_prefix(2);
    // q=0, 0.0, 0.00 refuse; anything else accepts.
    return q.find_first_not_of("0.") != std::string_view::npos;
  }
  return false;
}

// Paths the API owns: never answered with the app.
bool ApiPath(std::string_view path) {
  return path == "/api" || path.starts_with("/api/") || path == "/healthz" || path == "/metrics";
}

bool HasExtension(std::string_view path) {
  std::size_t slash = path.rfind('/');
  std::string_view last = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return last.find('.') != std::string_view::npos;
}

}  // namespace

std::string_view ContentTypeFor(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".webp", "image/webp"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
  }};
  for (const auto& [ext, type] : kTypes) {
    if (name.ends_with(ext)) return type;
  }
  return "application/octet-stream";
}

Result<Site> Site::Load(const std::string& dir) {
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(dir, ec);
  if (ec || !fs::is_regular_file(root / "index.html", ec)) {
    return NotFound(
        fmt::format("no web app in {} (index.html is missing; build it with make web)", dir));
  }
  Site site;
  std::unordered_map<std::string, std::string> gzipped;  // URL path of the original -> body
  for (auto it = fs::recursive_directory_iterator(root, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::string url = "/" + fs::relative(it->path(), root, ec).generic_string();
    std::string body;
    if (!ReadFile(it->path(), &body)) {
      return Fail(ErrorCode::kUnavailable, fmt::format("cannot read {}", it->path().string()));
    }
    site.bytes_ += body.size();
    if (url.ends_with(".gz")) {
      gzipped.emplace(url.substr(0, url.size() - 3), std::move(body));
      continue;
    }
    File f;
    f.content_type = std::string(ContentTypeFor(url));
    f.etag = Etag(body);
    f.immutable = url.starts_with("/assets/");
    f.body = std::move(body);
    site.files_.emplace(std::move(url), std::move(f));
  }
  if (ec)
    return Fail(ErrorCode::kUnavailable, fmt::format("cannot list {}: {}", dir, ec.message()));
  for (auto& [url, body] : gzipped) {
    if (auto it = site.files_.find(url); it != site.files_.end()) it->second.gzip = std::move(body);
  }
  return site;
}

std::string Site::DefaultDir() {
  std::error_code ec;
  const fs::path built = FW_BUILT_WEB_DIR;
  if (fs::is_regular_file(built / "index.html", ec)) return built.string();
  const fs::path beside = fs::read_symlink("/proc/self/exe", ec).parent_path() / "web";
  if (!ec && fs::is_regular_file(beside / "index.html", ec)) return beside.string();
  return "";
}

std::optional<http::Response> Site::Serve(const http::Request& req) const {
  if (ApiPath(req.path)) return std::nullopt;
  if (auto it = files_.find(req.path); it != files_.end()) return Send(it->second, req);
  // A missing file (a stale asset name) is a 404; a path without an extension is one of the
  // app's own routes, which the app resolves in the browser.
  if (HasExtension(req.path)) return std::nullopt;
  return Index(req);
}

http::Response Site::Index(const http::Request& req) const {
  return Send(files_.at("/index.html"), req);
}

http::Response Site::Send(const File& file, const http::Request& req) const {
  auto accept = req.Header("accept-encoding");
  const bool gzip = file.gzip && accept && AcceptsGzip(*accept);
  // Each encoding is a representation of its own, with an ETag of its own.
  std::string etag = gzip ? file.etag.substr(0, file.etag.size() - 1) + "-gz\"" : file.etag;
  http::Response r;
  r.content_type = file.content_type;
  r.headers.emplace_back("Cache-Control",
                         file.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (file.gzip) r.headers.emplace_back("Vary", "Accept-Encoding");
  if (auto match = req.Header("if-none-match"); match && *match == etag) {
    r.headers.emplace_back("ETag", std::move(etag));
    r.status = 304;
    return r;
  }
  r.headers.emplace_back("ETag", std::move(etag));
  if (gzip) {
    r.headers.emplace_back("Content-Encoding", "gzip");
    r.body = *file.gzip;
  } else {
    r.body = file.body;
  }
  return r;
}

}  // namespace fw::webapp
