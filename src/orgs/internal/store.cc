#include "orgs/internal/store.h"

#include <cctype>

#include "security/crypto.h"
#include "security/password_policy.h"

namespace fw::orgs::internal {

std::string EmailLookupKey(std::string_view email) {
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.front())))
    email.remove_prefix(1);
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.back())))
    email.remove_suffix(1);
  std::string out(email);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Result<User> ToUser(const UserColumns& c) {
  User u;
  u.id = c.id;
  u.email = c.email;
  u.name = c.name;
  if (!ParseRole(c.role, &u.role)) return Internal("a stored user has an unknown role");
  u.org_id = c.org_id.value_or(0);
  u.created_at = c.created_at;
  u.disabled = c.disabled != 0;
  return u;
}

Result<std::vector<User>> ReadUsers(db::Query q) {
  UserColumns c;
  std::vector<User> out;
  Status status;
  q.Each(
      [&] {
        Result<User> u = ToUser(c);
        if (!u) {
          status = Fail(std::move(u.error()));
          return false;
        }
        out.push_back(std::move(*u));
        return true;
      },
      c.id, c.email, c.name, c.role, c.org_id, c.created_at, c.disabled);
  FW_TRY_STATUS(status);
  return out;
}

Result<std::optional<User>> UserById(soci::session& s, long long id) {
  FW_TRY(auto users, ReadUsers(db::Query(s, FW_USER_SELECT "WHERE id = :id").Bind(id)));
  if (users.empty()) return std::optional<User>();
  return std::optional<User>(std::move(users.front()));
}

Result<std::optional<User>> UserByEmail(soci::session& s, const std::string& email) {
  FW_TRY(auto users, ReadUsers(db::Query(s, FW_USER_SELECT "WHERE email = :email").Bind(email)));
  if (users.empty()) return std::optional<User>();
  return std::optional<User>(std::move(users.front()));
}

std::optional<std::string> PasswordHashOf(soci::session& s, long long user_id) {
  std::optional<std::string> hash;
  db::Query(s, "SELECT password_hash FROM users WHERE id = :id").Bind(user_id).One(hash);
  return hash;
}

long long InsertToken(soci::session& s, const std::string& token_hash, long long user_id,
                      long long org_id, std::string_view kind, std::string_view name,
                      long long created_at, std::optional<long long> expires_at,
                      std::string_view user_agent, std::string_view address) {
  auto unless_empty = [](std::string_view v) {
    return v.empty() ? std::nullopt : std::optional<std::string>(v);
  };
  long long id = 0;
  db::Query(s,
            "INSERT INTO tokens (token_hash, user_id, org_id, kind, name, created_at, expires_at, "
            "user_agent, address) VALUES (:h, :u, :o, :k, :n, :c, :e, :ua, :ad) RETURNING id")
      .Bind(token_hash)
      .Bind(user_id)
      .Bind(org_id == 0 ? std::nullopt : std::optional<long long>(org_id))
      .Bind(std::string(kind))
      .Bind(std::string(name))
      .Bind(created_at)
      .Bind(expires_at)
      .Bind(unless_empty(user_agent))
      .Bind(unless_empty(address))
      .One(id);
  return id;
}

long long RevokeSessionsOf(soci::session& s, long long user_id, const std::string& keep_hash,
                           long long now) {
  return db::Query(s,
                   "UPDATE tokens SET revoked_at = :now WHERE user_id = :u AND kind = 'session' "
                   "AND revoked_at IS NULL AND token_hash <> :keep AND expires_at > :live")
      .Bind(now)
      .Bind(user_id)
      .Bind(keep_hash)
      .Bind(now)
      .Run();
}

Result<std::string> HashPassword(std::string_view password, const OrgOptions& o) {
  return security::HashPassword(password, o.fast_password_hashing);
}

// The orgs room's public bounds describe the policy to callers; they must be the policy's.
static_assert(kMinPasswordLength == security::kMinPasswordCodePoints);
static_assert(kMaxPasswordLength == security::kMaxPasswordBytes);

Status CheckPassword(std::string_view password, std::string_view field, std::string_view email,
                     std::string_view name) {
  const std::string_view context[] = {email, name};
  return security::CheckNewPassword(password, field, context);
}

}  // namespace fw::orgs::internal
