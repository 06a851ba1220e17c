#include "orgs/auth.h"

#include <fmt/format.h>

#include <optional>

#include "db/query.h"
#include "orgs/internal/store.h"
#include "orgs/internal/throttle.h"
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

struct LoginLookup {
  internal::ThrottleCheck throttle;
  std::optional<LoginCandidate> candidate;
};

std::string TruncatedUserAgent(std::string_view ua) {
  ua = ua.substr(0, kMaxUserAgentLength);
  // Never cut a UTF-8 sequence in half.
  while (!ua.empty() && (static_cast<unsigned char>(ua.back()) & 0xC0) == 0x80) ua.remove_suffix(1);
  if (!ua.empty() && static_cast<unsigned char>(ua.back()) >= 0xC0) ua.remove_suffix(1);
  return std::string(ua);
}

}  // namespace

AuthService::AuthService(db::Database& db, const Clock& clock, OrgOptions options, HashGate& gate)
    : db_(db), clock_(clock), options_(options), gate_(gate) {}

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

Result<Session> AuthService::Login(std::string_view email, std::string_view password,
                                   const LoginContext& context, LoginRefusal* refusal) {
  std::string key = internal::EmailLookupKey(email);
  std::string account = internal::AccountSubject(key);
  std::string address =
      context.address.empty() ? std::string() : internal::AddressSubject(context.address);
  long long now = clock_.Now();
  FW_TRY(LoginLookup found, db_.Read<LoginLookup>([&](soci::session& s) -> Result<LoginLookup> {
    LoginLookup out;
    out.throttle = internal::CheckThrottle(s, account, address, now);
    if (out.throttle.wait_seconds > 0) return out;
    FW_TRY(auto u, internal::UserByEmail(s, key));
    if (u) {
      auto hash = internal::PasswordHashOf(s, u->id);
      out.candidate = LoginCandidate{std::move(*u), std::move(hash)};
    }
    return out;
  }));
  if (found.throttle.wait_seconds > 0) {
    if (refusal != nullptr) refusal->retry_after_seconds = found.throttle.wait_seconds;
    return Fail(
        ErrorCode::kResourceExhausted,
        fmt::format("too many failed logins; try again in {} s", found.throttle.wait_seconds), {},
        "too_many_attempts");
  }
  bool ok = false;
  bool has_hash = found.candidate && found.candidate->password_hash;
  {
    FW_TRY(HashGate::Permit permit, gate_.Enter());
    // Verify even when there is nothing to verify against, so every failure costs the same.
    ok = security::VerifyPassword(has_hash ? *found.candidate->password_hash : DummyHash(),
                                  password.substr(0, kMaxPasswordLength + 1));
  }
  if (!has_hash || !ok || found.candidate->user.disabled) {
    FW_TRY_STATUS(db_.Write<bool>([&](soci::session& s) -> Result<bool> {
      internal::RecordFailure(s, account, address, now);
      return true;
    }));
    return Fail(BadCredentials());
  }
  return OpenSessionClearing(found.candidate->user, context,
                             found.throttle.account_row ? account : std::string());
}

Result<Session> AuthService::OpenSession(const User& user, const LoginContext& context) {
  return OpenSessionClearing(user, context, {});
}

Result<Session> AuthService::OpenSessionClearing(const User& user, const LoginContext& context,
                                                 const std::string& clear_subject) {
  Session session;
  session.user = user;
  session.token = security::NewToken(kSessionTokenPrefix);
  std::string hash = security::TokenHash(session.token);
  std::string user_agent = TruncatedUserAgent(context.user_agent);
  long long now = clock_.Now();
  long long expires = now + options_.session_ttl_seconds;
  session.expires_at = expires;
  FW_TRY_STATUS(db_.Write<bool>([&](soci::session& s) -> Result<bool> {
    if (!clear_subject.empty()) internal::ClearFailures(s, clear_subject);
    internal::InsertToken(s, hash, session.user.id, session.user.org_id, "session", "", now,
                          expires, user_agent, context.address);
    return true;
  }));
  return session;
}

Status AuthService::Logout(std::string_view token) {
  std::string hash = security::TokenHash(token);
  long long now = clock_.Now();
  FW_TRY_STATUS(db_.Write<bool>([&](soci::session& s) -> Result<bool> {
    db::Query(s, "UPDATE tokens SET revoked_at = :now WHERE token_hash = :h AND revoked_at IS NULL")
        .Bind(now)
        .Bind(hash)
        .Run();
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
    bool found =
        db::Query(s,
                  "SELECT u.id, u.role, u.org_id, "
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
