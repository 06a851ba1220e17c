#include "orgs/auth.h"

#include <optional>

#include "db/query.h"
#include "orgs/internal/store.h"
#include "security/crypto.h"

namespace fw::orgs {

namespace {

Error BadCredentials() { return Error(ErrorCode::kUnauthenticated, "wrong e-mail or password"); }

Error BadToken() {
  return Error(ErrorCode::kUnauthenticated,
               "the token is unknown, expired or revoked; log in again");
}

struct LoginCandidate {
  User user;
  std::optional<std::string> password_hash;
};

}  // namespace

AuthService::AuthService(db::Database& db, const Clock& clock, OrgOptions options)
    : db_(db), clock_(clock), options_(options) {}

const std::string& AuthService::DummyHash() {
  std::call_once(dummy_once_, [this] {
    unsigned char raw[16];
    security::RandomBytes(raw, sizeof raw);
    auto h = internal::HashPassword(security::Hex(raw, sizeof raw), options_);
    // Hashing fails only without memory; then the process cannot serve logins anyway.
    FW_CHECK(h.has_value());
    dummy_hash_ = std::move(*h);
  });
  return dummy_hash_;
}

Result<Session> AuthService::Login(std::string_view email, std::string_view password) {
  std::string key = internal::EmailLookupKey(email);
  FW_TRY(std::optional<LoginCandidate> found,
         db_.Read<std::optional<LoginCandidate>>(
             [&](soci::session& s) -> Result<std::optional<LoginCandidate>> {
               FW_TRY(auto u, internal::UserByEmail(s, key));
               if (!u) return std::optional<LoginCandidate>();
               auto hash = internal::PasswordHashOf(s, u->id);
               return std::optional<LoginCandidate>(LoginCandidate{std::move(*u), std::move(hash)});
             }));
  // Verify even when there is nothing to verify against, so every failure costs the same.
  bool has_hash = found && found->password_hash;
  bool ok = security::VerifyPassword(has_hash ? *found->password_hash : DummyHash(),
                                     password.substr(0, kMaxPasswordLength + 1));
  if (!has_hash || !ok || found->user.disabled) return Fail(BadCredentials());

  Session session;
  session.user = std::move(found->user);
  session.token = security::NewToken(kSessionTokenPrefix);
  std::string hash = security::TokenHash(session.token);
  long long now = clock_.Now();
  long long expires = now + options_.session_ttl_seconds;
  session.expires_at = expires;
  FW_TRY_STATUS(db_.Write<bool>([&](soci::session& s) -> Result<bool> {
    internal::InsertToken(s, hash, session.user.id, session.user.org_id, "session", "", now,
                          expires);
    return true;
  }));
  return session;
}

Status AuthService::Logout(std::string_view token) {
  std::string hash = security::TokenHash(token);
  long long now = clock_.Now();
  FW_TRY_STATUS(db_.Write<bool>([&](soci::session& s) -> Result<bool> {
    s << "UPDATE tokens SET revoked_at = :now WHERE token_hash = :h AND kind = 'session' AND "
         "revoked_at IS NULL",
        soci::use(now), soci::use(hash);
    return true;
  }));
  return {};
}

Result<Caller> AuthService::Authenticate(std::string_view token) {
  if (token.empty()) return Fail(BadToken());
  std::string hash = security::TokenHash(token);
  long long now = clock_.Now();
  return db_.Read<Caller>([&](soci::session& s) -> Result<Caller> {
    long long user_id = 0;
    std::optional<long long> org_id;
    std::string role;
    int reviewer = 0;
    bool found = db::Query(s, "SELECT u.id, u.role, u.org_id, "
                              "CASE WHEN EXISTS (SELECT 1 FROM qualifications q WHERE q.user_id = u.id AND "
                              "q.reviewer = 1) THEN 1 ELSE 0 END "
                              "FROM tokens t JOIN users u ON u.id = t.user_id "
                              "WHERE t.token_hash = :h AND t.revoked_at IS NULL AND "
                              "(t.expires_at IS NULL OR t.expires_at > :now) AND u.disabled = 0")
                     .Bind(hash)
                     .Bind(now)
                     .One(user_id, role, org_id, reviewer);
    if (!found) return Fail(BadToken());
    Caller c;
    c.user_id = user_id;
    if (!ParseRole(role, &c.role)) return Internal("a stored user has an unknown role");
    c.org_id = org_id.value_or(0);
    c.reviewer = reviewer != 0;
    return c;
  });
}

}  // namespace fw::orgs
