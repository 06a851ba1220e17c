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
  u.org_id = c.org_ind == soci::i_null ? 0 : c.org_id;
  u.created_at = c.created_at;
  u.disabled = c.disabled != 0;
  return u;
}

Result<std::optional<User>> UserById(soci::session& s, long long id) {
  FW_TRY(auto users, SelectUsers(s, "WHERE id = :id", id));
  if (users.empty()) return std::optional<User>();
  return std::optional<User>(std::move(users.front()));
}

Result<std::optional<User>> UserByEmail(soci::session& s, const std::string& email) {
  FW_TRY(auto users, SelectUsers(s, "WHERE email = :email", email));
  if (users.empty()) return std::optional<User>();
  return std::optional<User>(std::move(users.front()));
}

std::optional<std::string> PasswordHashOf(soci::session& s, long long user_id) {
  std::string hash;
  soci::indicator ind = soci::i_ok;
  s << "SELECT password_hash FROM users WHERE id = :id", soci::into(hash, ind), soci::use(user_id);
  if (!s.got_data() || ind == soci::i_null) return std::nullopt;
  return hash;
}

long long InsertToken(soci::session& s, const std::string& token_hash, long long user_id,
                      long long org_id, std::string_view kind, std::string_view name,
                      long long created_at, std::optional<long long> expires_at,
                      std::string_view user_agent, std::string_view address) {
  soci::indicator org_ind = org_id == 0 ? soci::i_null : soci::i_ok;
  long long expires = expires_at.value_or(0);
  soci::indicator exp_ind = expires_at ? soci::i_ok : soci::i_null;
  std::string kind_s(kind), name_s(name), ua_s(user_agent), addr_s(address);
  soci::indicator ua_ind = ua_s.empty() ? soci::i_null : soci::i_ok;
  soci::indicator addr_ind = addr_s.empty() ? soci::i_null : soci::i_ok;
  long long id = 0;
  s << "INSERT INTO tokens (token_hash, user_id, org_id, kind, name, created_at, expires_at, "
       "user_agent, address) VALUES (:h, :u, :o, :k, :n, :c, :e, :ua, :ad) RETURNING id",
      soci::use(token_hash), soci::use(user_id), soci::use(org_id, org_ind), soci::use(kind_s),
      soci::use(name_s), soci::use(created_at), soci::use(expires, exp_ind),
      soci::use(ua_s, ua_ind), soci::use(addr_s, addr_ind), soci::into(id);
  return id;
}

long long RevokeSessionsOf(soci::session& s, long long user_id, const std::string& keep_hash,
                           long long now) {
  soci::statement st =
      (s.prepare << "UPDATE tokens SET revoked_at = :now WHERE user_id = :u AND kind = 'session' "
                    "AND revoked_at IS NULL AND token_hash <> :keep AND expires_at > :live",
       soci::use(now), soci::use(user_id), soci::use(keep_hash), soci::use(now));
  st.execute(true);
  return st.get_affected_rows();
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
