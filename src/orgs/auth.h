#pragma once
// Sessions: logging in and out, and turning a credential (session or API token) into the
// Caller of a request. The router calls Authenticate before every non-public handler.

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "base/caller.h"
#include "base/clock.h"
#include "base/error.h"
#include "db/database.h"
#include "http/router.h"
#include "orgs/orgs.h"

namespace fw::orgs {

// A new session: the secret token ("fws_..."), shown only here, and who it belongs to.
struct Session {
  std::string token;
  UnixSeconds expires_at = 0;
  User user;
};

// Logs users in and out and authenticates requests. Tokens are stored only as
// security::TokenHash(token); a session expires `session_ttl_seconds` after login.
// Login spends one argon2id verification whether or not the e-mail exists, so its answer and
// its timing do not reveal which e-mails have accounts.
// Thread safety: any thread. Ownership: borrows the database and clock, which must outlive it.
class AuthService final : public http::Authenticator {
 public:
  AuthService(db::Database& db, const Clock& clock, OrgOptions options);

  // Checks the password and opens a session. Errors: kUnauthenticated, the same for an
  // unknown e-mail, a wrong password and a disabled user. A retry opens another session.
  [[nodiscard]] Result<Session> Login(std::string_view email, std::string_view password);

  // Revokes the session `token`. An API token, an unknown or an already revoked token is
  // left as it is, so a retry succeeds. Errors: only database failures.
  [[nodiscard]] Status Logout(std::string_view token);

  // The caller a session or API token stands for; `reviewer` is set when the user holds
  // reviewer rights in any domain. One indexed query.
  // Errors: kUnauthenticated (unknown, expired or revoked token, or a disabled user).
  [[nodiscard]] Result<Caller> Authenticate(std::string_view token) override;

  std::int64_t session_ttl_seconds() const { return options_.session_ttl_seconds; }

 private:
  // A hash of a random password, verified against when the e-mail is unknown.
  const std::string& DummyHash();

  db::Database& db_;
  const Clock& clock_;
  OrgOptions options_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;  // written once under dummy_once_, then read-only
};

}  // namespace fw::orgs
