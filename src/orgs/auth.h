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

// Where a login comes from: kept with the session, and the client address is throttled.
struct LoginContext {
  std::string address;     // empty: unknown (only the account is throttled)
  std::string user_agent;  // kept truncated to kMaxUserAgentLength bytes
};

// Why a login was refused for a while: kResourceExhausted (throttled) carries the seconds
// to wait.
struct LoginRefusal {
  std::int64_t retry_after_seconds = 0;
};

// Logs users in and out and authenticates requests. Tokens are stored only as
// security::TokenHash(token); a session expires `session_ttl_seconds` after login.
// Login spends one argon2id verification whether or not the e-mail exists, so its answer and
// its timing do not reveal which e-mails have accounts. Failed logins are throttled per
// account (the normalized e-mail, existing or not) and per client address
// (internal/throttle.h): a throttled attempt is refused before any hashing, and every
// verification runs under the shared HashGate.
// Thread safety: any thread. Ownership: borrows the database, clock and gate, which must
// outlive it.
class AuthService final : public http::Authenticator {
 public:
  AuthService(db::Database& db, const Clock& clock, OrgOptions options, HashGate& gate);

  // Checks the password and opens a session; a success clears the account's failures.
  // Errors: kUnauthenticated, the same for an unknown e-mail, a wrong password and a disabled
  // user; kResourceExhausted reason "too_many_attempts" (the account or address failed too
  // often: `refusal` gets the seconds to wait; nothing was checked); kUnavailable reason
  // "overloaded" (too many password checks at once; nothing was checked). A retry opens
  // another session.
  [[nodiscard]] Result<Session> Login(std::string_view email, std::string_view password,
                                      const LoginContext& context = {},
                                      LoginRefusal* refusal = nullptr);

  // Opens a session for a user whose identity was proven another way (accepting an
  // invitation with its secret). Errors: only database failures.
  [[nodiscard]] Result<Session> OpenSession(const User& user, const LoginContext& context = {});

  // Revokes the credential `token`, a session or an API token. An unknown or already revoked
  // token is left as it is, so a retry succeeds. Errors: only database failures.
  [[nodiscard]] Status Logout(std::string_view token);

  // The caller a session or API token stands for; `reviewer` is set when the user holds
  // reviewer rights in any domain. One indexed query.
  // Errors: kUnauthenticated (unknown, expired or revoked token, or a disabled user).
  [[nodiscard]] Result<Caller> Authenticate(std::string_view token) override;

  std::int64_t session_ttl_seconds() const { return options_.session_ttl_seconds; }

 private:
  // Opens a session, deleting the throttle row `clear_subject` (when non-empty) in the same
  // transaction.
  Result<Session> OpenSessionClearing(const User& user, const LoginContext& context,
                                      const std::string& clear_subject);
  // A hash of a random password, verified against when the e-mail is unknown.
  const std::string& DummyHash();

  db::Database& db_;
  const Clock& clock_;
  OrgOptions options_;
  HashGate& gate_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;  // written once under dummy_once_, then read-only
};

}  // namespace fw::orgs
