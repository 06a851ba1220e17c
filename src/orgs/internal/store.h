#pragma once
// Row access shared by OrgService and AuthService: the SQL that reads users, labs and
// password hashes. Every function runs inside a transaction its caller opened; SOCI
// exceptions propagate to db::Database, which turns them into errors.

#include <soci/soci.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "db/query.h"
#include "orgs/orgs.h"

namespace fw::orgs::internal {

// The columns of a users row, in the order FW_USER_SELECT names them.
struct UserColumns {
  long long id = 0;
  std::string email;
  std::string name;
  std::string role;
  std::optional<long long> org_id;
  long long created_at = 0;
  int disabled = 0;
};

// The head of a statement reading users; a WHERE/ORDER BY clause follows, and ReadUsers runs
// it.
#define FW_USER_SELECT "SELECT id, email, name, role, org_id, created_at, disabled FROM users "

// The form e-mails are stored and looked up in: trimmed and lower-cased. Lookups do not
// validate; a malformed e-mail simply finds nobody.
std::string EmailLookupKey(std::string_view email);

// Converts bound columns to a User. Errors: kInternal (a role the code does not know).
[[nodiscard]] Result<User> ToUser(const UserColumns& c);

// Runs `q` (FW_USER_SELECT and a clause, bound) and returns its users. Errors: kInternal (a
// stored role the code does not know).
[[nodiscard]] Result<std::vector<User>> ReadUsers(db::Query q);

// One user by id or e-mail (already normalized); nullopt when absent.
[[nodiscard]] Result<std::optional<User>> UserById(soci::session& s, long long id);
[[nodiscard]] Result<std::optional<User>> UserByEmail(soci::session& s, const std::string& email);

// The stored password hash of a user; nullopt when the user has none (cannot log in).
std::optional<std::string> PasswordHashOf(soci::session& s, long long user_id);

// Inserts a token row (only its hash is stored) and returns its id. `user_agent` and
// `address` (sessions; empty: unknown) are stored as NULL when empty.
long long InsertToken(soci::session& s, const std::string& token_hash, long long user_id,
                      long long org_id, std::string_view kind, std::string_view name,
                      long long created_at, std::optional<long long> expires_at,
                      std::string_view user_agent = {}, std::string_view address = {});

// Revokes the user's live sessions except the one whose hash is `keep_hash` (empty: all);
// returns how many.
long long RevokeSessionsOf(soci::session& s, long long user_id, const std::string& keep_hash,
                           long long now);

// Hashes a password with the configured argon2id limits. Errors: kInternal (out of memory).
[[nodiscard]] Result<std::string> HashPassword(std::string_view password, const OrgOptions& o);

// Checks a password a user is choosing against security::CheckNewPassword (length in code
// points, UTF-8, no control characters, not common, not the user's `email`, its local part or
// `name`; empty ones are not checked). Errors: kInvalidArgument naming `field`, with one
// detail whose code says which rule failed (see security/password_policy.h).
[[nodiscard]] Status CheckPassword(std::string_view password, std::string_view field,
                                   std::string_view email = {}, std::string_view name = {});

}  // namespace fw::orgs::internal
