#pragma once
// Labs (orgs), users and their roles, and long-lived API tokens. Sessions (login, logout,
// authentication of every request) live in auth.h; the HTTP routes in routes.h.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/caller.h"
#include "base/clock.h"
#include "base/error.h"
#include "db/database.h"
#include "security/ids.h"

namespace fw::orgs {

struct OrgOptions {
  std::int64_t session_ttl_seconds = 7 * 24 * 3600;
  // Cheap argon2id limits (tests and demo seeding only; never in production).
  bool fast_password_hashing = false;
};

// Shortest password accepted (characters, counted as bytes).
inline constexpr std::size_t kMinPasswordLength = 10;
// Longest password accepted; bounds the work one login can cost.
inline constexpr std::size_t kMaxPasswordLength = 1024;
// Longest lifetime of an API token.
inline constexpr std::int64_t kMaxTokenTtlSeconds = 10LL * 366 * 24 * 3600;

// Token prefixes: sessions come from a login, API tokens from CreateToken.
inline constexpr std::string_view kSessionTokenPrefix = "fws_";
inline constexpr std::string_view kApiTokenPrefix = "fwt_";

struct Lab {
  std::int64_t id = 0;
  std::string name;
  std::string slug;
  UnixSeconds created_at = 0;
};

struct User {
  std::int64_t id = 0;
  std::string email;  // lower-case
  std::string name;
  Role role = Role::kExpert;
  std::int64_t org_id = 0;  // the lab of owners and members; 0 for operators and experts
  UnixSeconds created_at = 0;
  bool disabled = false;
};

struct NewUser {
  std::string email;
  std::string name;
  std::string password;
  Role role = Role::kExpert;
  std::int64_t org_id = 0;  // required for owners and members, must be 0 otherwise
};

// A long-lived API token as listed to its owner; the secret is never stored.
struct ApiToken {
  std::int64_t id = 0;
  std::string name;
  UnixSeconds created_at = 0;
  std::optional<UnixSeconds> expires_at;  // nullopt: never expires
};

// A freshly created API token with its secret, shown to the user exactly once.
struct CreatedToken {
  ApiToken token;
  std::string secret;  // "fwt_..."
};

// Manages labs, users and API tokens. Passwords are stored as argon2id hashes, tokens as
// security::TokenHash; neither is ever returned. Password hashing runs before a write job
// is queued, so it never holds up the database writer.
// Thread safety: any thread; each call is at most one read and one write transaction.
// Ownership: borrows the database, clock and id codec, which must outlive it.
class OrgService {
 public:
  OrgService(db::Database& db, const Clock& clock, const security::IdCodec& ids,
             OrgOptions options);

  // ---- labs

  // Creates a lab with a fresh random pseudonym key (32 bytes, hex in orgs.pseudonym_key).
  // Errors: kInvalidArgument naming "name" (empty or over 200 characters) or "slug" (not
  // [a-z0-9-]{2,40}); kConflict reason "slug_taken". A retry after success fails with
  // kConflict "slug_taken".
  [[nodiscard]] Result<Lab> CreateLab(std::string_view name, std::string_view slug);
  // All labs in creation order. Errors: only database failures (kUnavailable, kInternal).
  [[nodiscard]] Result<std::vector<Lab>> ListLabs();
  // Errors: kNotFound (no such lab).
  [[nodiscard]] Result<Lab> GetLab(std::int64_t id);
  // Errors: kNotFound (no lab with that slug).
  [[nodiscard]] Result<Lab> FindLabBySlug(std::string_view slug);

  // ---- users

  // Creates a user; the e-mail is trimmed and lower-cased. Errors: kInvalidArgument naming
  // "email" (not an e-mail address), "name" (empty or over 200 characters), "password"
  // (fewer than 10 or more than 1024 characters) or "lab_id" (code "required": an owner or
  // member without a lab; code "not_allowed": an operator or expert with one); kNotFound (the
  // lab does not exist); kConflict reason "email_taken". A retry after success fails with
  // kConflict "email_taken".
  [[nodiscard]] Result<User> CreateUser(const NewUser& user);
  // All users in creation order. Errors: only database failures.
  [[nodiscard]] Result<std::vector<User>> ListUsers();
  // The users of one lab in creation order (empty for an unknown lab). Errors: only
  // database failures.
  [[nodiscard]] Result<std::vector<User>> ListMembers(std::int64_t org_id);
  // Errors: kNotFound (no user with that e-mail, compared case-insensitively).
  [[nodiscard]] Result<User> FindUserByEmail(std::string_view email);
  // Errors: kNotFound (no such user).
  [[nodiscard]] Result<User> GetUser(std::int64_t id);

  // ---- passwords

  // Sets a new password (for the CLI) and revokes all of the user's sessions; API tokens
  // stay valid. Errors: kInvalidArgument naming "password" (length); kNotFound (no user with
  // that e-mail). A retry sets the same password again.
  [[nodiscard]] Status ResetPassword(std::string_view email, std::string_view new_password);
  // Changes the caller's own password after checking the current one; sessions stay valid.
  // Errors: kInvalidArgument naming "new_password" (length) or "current_password" (code
  // "incorrect", reason "wrong_password"); kNotFound (the caller's user is gone).
  [[nodiscard]] Status ChangePassword(const Caller& caller, std::string_view current_password,
                                      std::string_view new_password);

  // ---- API tokens

  // Creates an API token ("fwt_...") for the caller, valid for `ttl_seconds` or forever.
  // Errors: kInvalidArgument naming "name" (empty or over 100 characters) or
  // "expires_in_seconds" (not in 1..10 years). A retry creates a second token.
  [[nodiscard]] Result<CreatedToken> CreateToken(const Caller& caller, std::string_view name,
                                                 std::optional<std::int64_t> ttl_seconds = {});
  // The caller's API tokens that are not revoked (expired ones included), newest first.
  // Sessions are not listed. Errors: only database failures.
  [[nodiscard]] Result<std::vector<ApiToken>> ListTokens(const Caller& caller);
  // Revokes one of the caller's API tokens. Errors: kNotFound (no such API token of the
  // caller). A retry succeeds and changes nothing.
  [[nodiscard]] Status RevokeToken(const Caller& caller, std::int64_t token_id);
  // Creates a never-expiring API token for the user with that e-mail (for the CLI).
  // Errors: kNotFound (no such user); kInvalidArgument naming "name".
  [[nodiscard]] Result<CreatedToken> CreateTokenForUser(std::string_view email,
                                                        std::string_view name);

 private:
  Result<CreatedToken> InsertApiToken(std::int64_t user_id, std::int64_t org_id,
                                      std::string_view name,
                                      std::optional<std::int64_t> ttl_seconds);

  db::Database& db_;
  const Clock& clock_;
  const security::IdCodec& ids_;
  OrgOptions options_;
};

// Trims and lower-cases `email`; kInvalidArgument naming "email" when it is not of the shape
// local@domain.tld (no spaces, at most 254 characters).
[[nodiscard]] Result<std::string> NormalizeEmail(std::string_view email);

// Whether `slug` matches [a-z0-9-]{2,40}.
bool IsValidSlug(std::string_view slug);

}  // namespace fw::orgs
