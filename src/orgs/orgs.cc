#include "orgs/orgs.h"

#include <fmt/format.h>

#include <cctype>

#include "base/json.h"
#include "orgs/internal/store.h"
#include "security/crypto.h"

namespace fw::orgs {

namespace {

constexpr std::size_t kMaxNameLength = 200;
constexpr std::size_t kMaxTokenNameLength = 100;
constexpr std::int64_t kMaxEncodableId = std::int64_t{1} << 53;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string EmailKey(std::string_view email) { return internal::EmailLookupKey(email); }

Error EmailError() {
  return Error(ErrorCode::kInvalidArgument, "email must be an e-mail address",
               {{"email", "invalid", "expected an address like name@example.org"}});
}

Result<std::string> CheckName(std::string_view name, std::string_view field, std::size_t max) {
  std::string_view t = Trim(name);
  if (t.empty()) return Fail(FieldRequiredError(field));
  if (t.size() > max) {
    return InvalidArgument(
        fmt::format("{} must have at most {} characters", field, max),
        {{std::string(field), "too_long", fmt::format("at most {} characters", max)}});
  }
  return std::string(t);
}

// Runs `f`; a unique-constraint violation (a concurrent insert won the race past our own
// check) becomes `on_unique` instead of a generic conflict.
template <typename F>
auto MapUniqueViolation(F&& f, Error on_unique) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    if (db::IsUniqueViolation(e)) return tl::unexpected<Error>(std::move(on_unique));
    throw;
  }
}

Error SlugTaken() {
  return Error(ErrorCode::kConflict, "a lab with this slug exists",
               {{"slug", "taken", "choose another slug"}}, "slug_taken");
}

Error EmailTaken() {
  return Error(ErrorCode::kConflict, "a user with this e-mail exists",
               {{"email", "taken", "the e-mail belongs to another user"}}, "email_taken");
}

struct LabColumns {
  long long id = 0;
  std::string name, slug;
  long long created_at = 0;
  Lab ToLab() const { return Lab{id, name, slug, created_at}; }
};

template <typename... Params>
std::vector<Lab> SelectLabs(soci::session& s, std::string_view tail, const Params&... params) {
  LabColumns c;
  std::string sql = "SELECT id, name, slug, created_at FROM orgs ";
  sql += tail;
  soci::statement st = ((s.prepare << sql, soci::into(c.id), soci::into(c.name), soci::into(c.slug),
                         soci::into(c.created_at)),
                        ..., soci::use(params));
  st.execute();
  std::vector<Lab> out;
  while (st.fetch()) out.push_back(c.ToLab());
  return out;
}

}  // namespace

Result<std::string> NormalizeEmail(std::string_view email) {
  std::string e = EmailKey(email);
  if (e.empty() || e.size() > 254) return Fail(EmailError());
  std::size_t at = e.find('@');
  if (at == std::string::npos || at == 0 || at > 64 || e.find('@', at + 1) != std::string::npos) {
    return Fail(EmailError());
  }
  for (char c : e) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f ||
        std::string_view("<>()[]\\,;:\"").find(c) != std::string_view::npos) {
      return Fail(EmailError());
    }
  }
  std::string_view domain = std::string_view(e).substr(at + 1);
  std::size_t dot = domain.rfind('.');
  if (domain.empty() || dot == std::string_view::npos || dot == 0 || dot + 1 == domain.size() ||
      domain.front() == '.' || domain.front() == '-' ||
      domain.find("..") != std::string_view::npos) {
    return Fail(EmailError());
  }
  return e;
}

bool IsValidSlug(std::string_view slug) {
  if (slug.size() < 2 || slug.size() > 40) return false;
  for (char c : slug) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

OrgService::OrgService(db::Database& db, const Clock& clock, const security::IdCodec& ids,
                       OrgOptions options)
    : db_(db), clock_(clock), ids_(ids), options_(options) {}

// ---- labs

Result<Lab> OrgService::CreateLab(std::string_view name, std::string_view slug) {
  FW_TRY(std::string clean_name, CheckName(name, "name", kMaxNameLength));
  if (!IsValidSlug(slug)) {
    return InvalidArgument("slug must be 2 to 40 of a-z, 0-9 and -",
                           {{"slug", "invalid", "expected [a-z0-9-]{2,40}"}});
  }
  unsigned char key[32];
  security::RandomBytes(key, sizeof key);
  std::string key_hex = security::Hex(key, sizeof key);
  std::string slug_s(slug);
  long long now = clock_.Now();
  return db_.Write<Lab>([&](soci::session& s) -> Result<Lab> {
    if (!SelectLabs(s, "WHERE slug = :slug", slug_s).empty()) return Fail(SlugTaken());
    return MapUniqueViolation(
        [&]() -> Result<Lab> {
          long long id = 0;
          s << "INSERT INTO orgs (name, slug, pseudonym_key, created_at) VALUES (:n, :s, :k, :c) "
               "RETURNING id",
              soci::use(clean_name), soci::use(slug_s), soci::use(key_hex), soci::use(now),
              soci::into(id);
          return Lab{id, clean_name, slug_s, now};
        },
        SlugTaken());
  });
}

Result<std::vector<Lab>> OrgService::ListLabs() {
  return db_.Read<std::vector<Lab>>(
      [](soci::session& s) -> Result<std::vector<Lab>> { return SelectLabs(s, "ORDER BY id"); });
}

Result<Lab> OrgService::GetLab(std::int64_t id) {
  long long lid = id;
  return db_.Read<Lab>([&](soci::session& s) -> Result<Lab> {
    auto labs = SelectLabs(s, "WHERE id = :id", lid);
    if (labs.empty()) return NotFound("no such lab");
    return labs.front();
  });
}

Result<Lab> OrgService::FindLabBySlug(std::string_view slug) {
  std::string slug_s(slug);
  return db_.Read<Lab>([&](soci::session& s) -> Result<Lab> {
    auto labs = SelectLabs(s, "WHERE slug = :slug", slug_s);
    if (labs.empty()) return NotFound(fmt::format("no lab with slug '{}'", slug_s));
    return labs.front();
  });
}

// ---- users

Result<User> OrgService::CreateUser(const NewUser& nu) {
  FW_TRY(std::string email, NormalizeEmail(nu.email));
  FW_TRY(std::string name, CheckName(nu.name, "name", kMaxNameLength));
  FW_TRY_STATUS(internal::CheckPassword(nu.password, "password"));
  bool lab_role = nu.role == Role::kLabOwner || nu.role == Role::kLabMember;
  if (lab_role && nu.org_id == 0) {
    return InvalidArgument("an owner or member needs a lab",
                           {{"lab_id", "required", "owners and members belong to a lab"}});
  }
  if (!lab_role && nu.org_id != 0) {
    return InvalidArgument("operators and experts belong to no lab",
                           {{"lab_id", "not_allowed", "only owners and members have a lab"}});
  }
  // Fail fast on a taken e-mail before paying for argon2id; the write re-checks.
  FW_TRY(bool taken, db_.Read<bool>([&](soci::session& s) -> Result<bool> {
    FW_TRY(auto u, internal::UserByEmail(s, email));
    return u.has_value();
  }));
  if (taken) return Fail(EmailTaken());
  FW_TRY(std::string hash, internal::HashPassword(nu.password, options_));
  std::string role(RoleName(nu.role));
  long long org_id = nu.org_id;
  soci::indicator org_ind = org_id == 0 ? soci::i_null : soci::i_ok;
  long long now = clock_.Now();
  return db_.Write<User>([&](soci::session& s) -> Result<User> {
    if (org_id != 0) {
      long long found = 0;
      s << "SELECT id FROM orgs WHERE id = :id", soci::into(found), soci::use(org_id);
      if (!s.got_data()) return NotFound("no such lab");
    }
    FW_TRY(auto existing, internal::UserByEmail(s, email));
    if (existing) return Fail(EmailTaken());
    return MapUniqueViolation(
        [&]() -> Result<User> {
          long long id = 0;
          s << "INSERT INTO users (email, name, password_hash, role, org_id, disabled, created_at) "
               "VALUES (:e, :n, :h, :r, :o, 0, :c) RETURNING id",
              soci::use(email), soci::use(name), soci::use(hash), soci::use(role),
              soci::use(org_id, org_ind), soci::use(now), soci::into(id);
          return User{id, email, name, nu.role, org_id, now, false};
        },
        EmailTaken());
  });
}

Result<std::vector<User>> OrgService::ListUsers() {
  return db_.Read<std::vector<User>>([](soci::session& s) -> Result<std::vector<User>> {
    return internal::SelectUsers(s, "ORDER BY id");
  });
}

Result<std::vector<User>> OrgService::ListMembers(std::int64_t org_id) {
  long long oid = org_id;
  return db_.Read<std::vector<User>>([&](soci::session& s) -> Result<std::vector<User>> {
    return internal::SelectUsers(s, "WHERE org_id = :o ORDER BY id", oid);
  });
}

Result<User> OrgService::FindUserByEmail(std::string_view email) {
  std::string key = EmailKey(email);
  return db_.Read<User>([&](soci::session& s) -> Result<User> {
    FW_TRY(auto u, internal::UserByEmail(s, key));
    if (!u) return NotFound("no user with that e-mail");
    return std::move(*u);
  });
}

Result<User> OrgService::GetUser(std::int64_t id) {
  return db_.Read<User>([&](soci::session& s) -> Result<User> {
    FW_TRY(auto u, internal::UserById(s, id));
    if (!u) {
      return NotFound(id > 0 && id < kMaxEncodableId
                          ? fmt::format("no user {}", ids_.Encode(security::IdKind::kUser, id))
                          : std::string("no such user"));
    }
    return std::move(*u);
  });
}

// ---- passwords

Status OrgService::ResetPassword(std::string_view email, std::string_view new_password) {
  FW_TRY_STATUS(internal::CheckPassword(new_password, "password"));
  FW_TRY(User user, FindUserByEmail(email));
  FW_TRY(std::string hash, internal::HashPassword(new_password, options_));
  long long uid = user.id, now = clock_.Now();
  FW_TRY_STATUS(db_.Write<bool>([&](soci::session& s) -> Result<bool> {
    s << "UPDATE users SET password_hash = :h WHERE id = :id", soci::use(hash), soci::use(uid);
    s << "UPDATE tokens SET revoked_at = :now WHERE user_id = :u AND kind = 'session' AND "
         "revoked_at IS NULL",
        soci::use(now), soci::use(uid);
    return true;
  }));
  return {};
}

Status OrgService::ChangePassword(const Caller& caller, std::string_view current_password,
                                  std::string_view new_password) {
  FW_TRY_STATUS(internal::CheckPassword(new_password, "new_password"));
  long long uid = caller.user_id;
  FW_TRY(std::optional<std::string> stored,
         db_.Read<std::optional<std::string>>(
             [&](soci::session& s) -> Result<std::optional<std::string>> {
               FW_TRY(auto u, internal::UserById(s, uid));
               if (!u) return NotFound("no such user");
               return internal::PasswordHashOf(s, uid);
             }));
  if (!stored || !security::VerifyPassword(*stored, current_password)) {
    return Fail(ErrorCode::kInvalidArgument, "the current password is wrong",
                {{"current_password", "incorrect", "the current password is wrong"}},
                "wrong_password");
  }
  FW_TRY(std::string hash, internal::HashPassword(new_password, options_));
  FW_TRY_STATUS(db_.Write<bool>([&](soci::session& s) -> Result<bool> {
    s << "UPDATE users SET password_hash = :h WHERE id = :id", soci::use(hash), soci::use(uid);
    return true;
  }));
  return {};
}

// ---- API tokens

Result<CreatedToken> OrgService::InsertApiToken(std::int64_t user_id, std::int64_t org_id,
                                                std::string_view name,
                                                std::optional<std::int64_t> ttl_seconds) {
  FW_TRY(std::string clean_name, CheckName(name, "name", kMaxTokenNameLength));
  if (ttl_seconds && (*ttl_seconds < 1 || *ttl_seconds > kMaxTokenTtlSeconds)) {
    return InvalidArgument("expires_in_seconds must be between 1 and 10 years",
                           {{"expires_in_seconds", "out_of_range", "1 to 316224000 seconds"}});
  }
  std::string secret = security::NewToken(kApiTokenPrefix);
  std::string hash = security::TokenHash(secret);
  long long now = clock_.Now();
  std::optional<long long> expires;
  if (ttl_seconds) expires = now + *ttl_seconds;
  return db_.Write<CreatedToken>([&](soci::session& s) -> Result<CreatedToken> {
    long long id = internal::InsertToken(s, hash, user_id, org_id, "api", clean_name, now, expires);
    CreatedToken out;
    out.token = ApiToken{id, clean_name, now, expires};
    out.secret = secret;
    return out;
  });
}

Result<CreatedToken> OrgService::CreateToken(const Caller& caller, std::string_view name,
                                             std::optional<std::int64_t> ttl_seconds) {
  return InsertApiToken(caller.user_id, caller.org_id, name, ttl_seconds);
}

Result<std::vector<ApiToken>> OrgService::ListTokens(const Caller& caller) {
  long long uid = caller.user_id;
  return db_.Read<std::vector<ApiToken>>([&](soci::session& s) -> Result<std::vector<ApiToken>> {
    long long id = 0, created = 0, expires = 0;
    std::string name;
    soci::indicator exp_ind = soci::i_ok;
    soci::statement st =
        (s.prepare << "SELECT id, name, created_at, expires_at FROM tokens WHERE user_id = :u AND "
                      "kind = 'api' AND revoked_at IS NULL ORDER BY id DESC",
         soci::into(id), soci::into(name), soci::into(created), soci::into(expires, exp_ind),
         soci::use(uid));
    st.execute();
    std::vector<ApiToken> out;
    while (st.fetch()) {
      ApiToken t{id, name, created, std::nullopt};
      if (exp_ind != soci::i_null) t.expires_at = expires;
      out.push_back(std::move(t));
      exp_ind = soci::i_ok;
    }
    return out;
  });
}

Status OrgService::RevokeToken(const Caller& caller, std::int64_t token_id) {
  long long uid = caller.user_id, tid = token_id, now = clock_.Now();
  FW_TRY_STATUS(db_.Write<bool>([&](soci::session& s) -> Result<bool> {
    long long found = 0;
    s << "SELECT id FROM tokens WHERE id = :id AND user_id = :u AND kind = 'api'",
        soci::into(found), soci::use(tid), soci::use(uid);
    if (!s.got_data()) return NotFound("no such API token");
    s << "UPDATE tokens SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL",
        soci::use(now), soci::use(tid);
    return true;
  }));
  return {};
}

Result<CreatedToken> OrgService::CreateTokenForUser(std::string_view email, std::string_view name) {
  FW_TRY(User user, FindUserByEmail(email));
  return InsertApiToken(user.id, user.org_id, name, std::nullopt);
}

}  // namespace fw::orgs
