#pragma once
// Instance configuration. Sources, lowest precedence first: built-in defaults, a config file
// (`key = value` lines, `#` comments), FACHWERK_<KEY> environment variables (KEY upper-case,
// e.g. FACHWERK_LISTEN), then command-line flags.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace fw {

struct Config {
  std::string listen = "127.0.0.1:8080";  // host:port; port 0 picks a free port
  std::string data_dir = "./fachwerk-data";
  std::string database;                 // empty: SQLite in data_dir; or postgresql://...
  int threads = 32;                     // request threads (handlers may block on the DB)
  std::int64_t lease_seconds = 1800;    // default task lease when a project sets none
  std::int64_t min_lease_seconds = 60;  // smallest lease a project may set (lower only in tests)
  std::int64_t exam_grace_seconds = 30;  // an exam submit's slack after the deadline
  std::int64_t min_exam_seconds = 60;    // shortest exam time limit (lower only in tests)
  std::int64_t review_interval_seconds = 30;  // how often pending work is accepted automatically
  std::int64_t session_ttl_seconds = 7 * 24 * 3600;
  std::int64_t max_body_bytes = 64 * 1024 * 1024;            // JSON request bodies
  std::int64_t max_import_bytes = 4LL * 1024 * 1024 * 1024;  // JSONL item imports
  std::int64_t max_evidence_bytes = 10LL * 1024 * 1024;      // one credential's evidence file
  std::string log_level = "info";
  // The Secure flag on the session cookie: nullopt ("auto") sets it unless the server
  // listens on a loopback address, where browsers accept plain HTTP.
  std::optional<bool> secure_cookies;
  int max_connections = 10000;            // lowered to what the descriptor limit allows
  int max_connections_per_address = 128;  // connections one client address may hold
  int header_timeout_seconds = 20;        // to receive a request header
  int io_timeout_seconds = 30;            // longest wait for progress of a body or response
  int keepalive_seconds = 75;             // idle wait for the next request on a connection
  int max_concurrent_hashes = 2;          // argon2id password hashes at once (64 MiB each)
  int max_waiting_hashes = 8;             // requests that may wait for one; more get 503
  std::string mail_command;               // reads an RFC 5322 message on stdin; empty: outbox
  std::string mail_from = "fachwerk@localhost";  // From of invitation e-mails
  // The built web app (web/dist) served from the same origin; empty: the one this binary was
  // built with, or `web` beside the binary, whichever exists.
  std::string web_dir;
};

// Whether the session cookie gets the Secure flag under `config` (see secure_cookies).
bool SecureCookies(const Config& config);

// The keys a config file and FACHWERK_* variables accept, in documentation order.
const std::vector<std::string_view>& ConfigKeys();

// Sets one key from its string form. Errors: kInvalidArgument naming the key (unknown key,
// or a value that does not parse).
[[nodiscard]] Status SetConfigValue(Config& config, std::string_view key, std::string_view value);

// Applies a config file. Errors: kInvalidArgument naming the file and line; kNotFound when
// the file cannot be read.
[[nodiscard]] Status ApplyConfigFile(Config& config, const std::string& path);

// Applies FACHWERK_* variables found by `getenv` (injected for tests).
[[nodiscard]] Status ApplyEnvironment(Config& config,
                                      const std::function<const char*(const char*)>& getenv);

// Splits "host:port". Errors: kInvalidArgument.
[[nodiscard]] Result<std::pair<std::string, std::uint16_t>> ParseListen(std::string_view listen);

}  // namespace fw
