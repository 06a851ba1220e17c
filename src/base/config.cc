#include "base/config.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>

namespace fw {

const std::vector<std::string_view>& ConfigKeys() {
  static const std::vector<std::string_view> keys = {"listen",
                                                     "data",
                                                     "database",
                                                     "threads",
                                                     "lease_seconds",
                                                     "min_lease_seconds",
                                                     "exam_grace_seconds",
                                                     "min_exam_seconds",
                                                     "review_interval_seconds",
                                                     "session_ttl_seconds",
                                                     "max_body_bytes",
                                                     "max_import_bytes",
                                                     "max_evidence_bytes",
                                                     "log_level",
                                                     "secure_cookies",
                                                     "max_connections",
                                                     "max_connections_per_address",
                                                     "header_timeout_seconds",
                                                     "io_timeout_seconds",
                                                     "keepalive_seconds",
                                                     "max_concurrent_hashes",
                                                     "max_waiting_hashes",
                                                     "mail_command",
                                                     "mail_from",
                                                     "web_dir"};
  return keys;
}

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

Result<std::int64_t> ParseInt(std::string_view key, std::string_view v, std::int64_t min) {
  std::int64_t out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || p != v.data() + v.size() || out < min) {
    return InvalidArgument(fmt::format("{} must be an integer >= {}, got '{}'", key, min, v),
                           {{std::string(key), "invalid", "not an integer in range"}});
  }
  return out;
}

// An int setting of at least `min`; values above `cap` are taken as `cap`.
Result<int> ParseCappedInt(std::string_view key, std::string_view v, std::int64_t min,
                           std::int64_t cap) {
  FW_TRY(auto n, ParseInt(key, v, min));
  return static_cast<int>(std::min(n, cap));
}

}  // namespace

Status SetConfigValue(Config& c, std::string_view key, std::string_view value) {
  value = Trim(value);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  if (key == "listen") {
    FW_TRY_STATUS(ParseListen(value));
    c.listen = value;
  } else if (key == "data") {
    c.data_dir = value;
  } else if (key == "database") {
    c.database = value;
  } else if (key == "threads") {
    FW_TRY(c.threads, ParseCappedInt(key, value, 1, 1024));
  } else if (key == "lease_seconds") {
    FW_TRY(c.lease_seconds, ParseInt(key, value, 1));
  } else if (key == "min_lease_seconds") {
    FW_TRY(c.min_lease_seconds, ParseInt(key, value, 1));
  } else if (key == "exam_grace_seconds") {
    FW_TRY(c.exam_grace_seconds, ParseInt(key, value, 0));
  } else if (key == "min_exam_seconds") {
    FW_TRY(c.min_exam_seconds, ParseInt(key, value, 1));
  } else if (key == "review_interval_seconds") {
    FW_TRY(c.review_interval_seconds, ParseInt(key, value, 1));
  } else if (key == "session_ttl_seconds") {
    FW_TRY(c.session_ttl_seconds, ParseInt(key, value, 60));
  } else if (key == "max_body_bytes") {
    FW_TRY(c.max_body_bytes, ParseInt(key, value, 1024));
  } else if (key == "max_import_bytes") {
    FW_TRY(c.max_import_bytes, ParseInt(key, value, 1024));
  } else if (key == "max_evidence_bytes") {
    FW_TRY(c.max_evidence_bytes, ParseInt(key, value, 1024));
  } else if (key == "log_level") {
    static const char* levels[] = {"trace", "debug", "info", "warn", "error", "off"};
    if (std::find(std::begin(levels), std::end(levels), value) == std::end(levels)) {
      return InvalidArgument(
          fmt::format("log_level must be one of trace, debug, info, warn, error, off; got '{}'",
                      value),
          {{"log_level", "invalid", "unknown level"}});
    }
    c.log_level = value;
  } else if (key == "secure_cookies") {
    if (value == "true" || value == "1")
      c.secure_cookies = true;
    else if (value == "false" || value == "0")
      c.secure_cookies = false;
    else if (value == "auto")
      c.secure_cookies = std::nullopt;
    else
      return InvalidArgument("secure_cookies must be auto, true or false",
                             {{"secure_cookies", "invalid", "not auto or a boolean"}});
  } else if (key == "max_connections") {
    FW_TRY(c.max_connections, ParseCappedInt(key, value, 1, 1 << 24));
  } else if (key == "max_connections_per_address") {
    FW_TRY(c.max_connections_per_address, ParseCappedInt(key, value, 1, 1 << 24));
  } else if (key == "header_timeout_seconds") {
    FW_TRY(c.header_timeout_seconds, ParseCappedInt(key, value, 1, 3600));
  } else if (key == "io_timeout_seconds") {
    FW_TRY(c.io_timeout_seconds, ParseCappedInt(key, value, 1, 3600));
  } else if (key == "keepalive_seconds") {
    FW_TRY(c.keepalive_seconds, ParseCappedInt(key, value, 1, 3600));
  } else if (key == "max_concurrent_hashes") {
    FW_TRY(c.max_concurrent_hashes, ParseCappedInt(key, value, 1, 256));
  } else if (key == "max_waiting_hashes") {
    FW_TRY(c.max_waiting_hashes, ParseCappedInt(key, value, 0, 4096));
  } else if (key == "mail_command") {
    c.mail_command = value;
  } else if (key == "mail_from") {
    c.mail_from = value;
  } else if (key == "web_dir") {
    c.web_dir = value;
  } else {
    return InvalidArgument(fmt::format("unknown configuration key '{}'", key),
                           {{std::string(key), "unknown", "unknown key"}});
  }
  return {};
}

Status ApplyConfigFile(Config& c, const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFound(fmt::format("cannot read config file {}", path));
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    std::string_view s = Trim(line);
    if (s.empty() || s.front() == '#') continue;
    auto eq = s.find('=');
    if (eq == std::string_view::npos) {
      return InvalidArgument(fmt::format("{}:{}: expected 'key = value'", path, n),
                             {{fmt::format("line {}", n), "syntax", "expected key = value"}});
    }
    auto st = SetConfigValue(c, Trim(s.substr(0, eq)), s.substr(eq + 1));
    if (!st) {
      return InvalidArgument(fmt::format("{}:{}: {}", path, n, st.error().message),
                             {{fmt::format("line {}", n), "invalid", st.error().message}});
    }
  }
  return {};
}

Status ApplyEnvironment(Config& c, const std::function<const char*(const char*)>& getenv) {
  for (std::string_view key : ConfigKeys()) {
    std::string var = "FACHWERK_";
    for (char ch : key) var += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (const char* v = getenv(var.c_str())) {
      auto st = SetConfigValue(c, key, v);
      if (!st)
        return InvalidArgument(fmt::format("{}: {}", var, st.error().message), st.error().details);
    }
  }
  return {};
}

Result<std::pair<std::string, std::uint16_t>> ParseListen(std::string_view listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return InvalidArgument(fmt::format("listen must be host:port, got '{}'", listen),
                           {{"listen", "invalid", "expected host:port"}});
  }
  std::string host(listen.substr(0, colon));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  FW_TRY(auto port, ParseInt("listen", listen.substr(colon + 1), 0));
  if (port > 65535)
    return InvalidArgument("listen port must be <= 65535",
                           {{"listen", "invalid", "port out of range"}});
  return std::make_pair(host, static_cast<std::uint16_t>(port));
}

bool SecureCookies(const Config& config) {
  if (config.secure_cookies) return *config.secure_cookies;
  auto listen = ParseListen(config.listen);
  if (!listen) return true;
  const std::string& host = listen->first;
  return !(host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0);
}

}  // namespace fw
