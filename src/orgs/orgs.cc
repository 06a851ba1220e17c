#include "orgs/orgs.h"

#include <fmt/format.h>

#include <cctype>

#include "base/json.h"
#include "db/query.h"
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

constexpr const char* kInsertUser =
    "INSERT INTO users (email, name, password_hash, role, org_id, disabled, created_at) VALUES "
    "(:e, :n, :h, :r, :o, 0, :c) RETURNING id";

// Revokes one token (a session or an API token the caller was found to own).
void RevokeTokenRow(soci::session& s, long long id, long long now) {
  db::Query(s, "UPDATE tokens SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL")
      .Bind(now)
      .Bind(id)
      .Run();
}

// The head of a statement reading labs; ReadLabs runs it.
#define FW_LAB_SELECT "SELECT id, name, slug, created_at FROM orgs "

std::vector<Lab> ReadLabs(db::Query q) {
  Lab lab;
  std::vector<Lab> out;
  q.Each(
      [&] {
        out.push_back(lab);
        return true;
      },
      lab.id, lab.name, lab.slug, lab.created_at);
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
                       const tenancy::Tenancy& tenancy, OrgOptions options)
    : db_(db),
      clock_(clock),
      ids_(ids),
      tenancy_(tenancy),
      options_(std::move(options)),
      gate_(HashGateOptions{options_.max_concurrent_hashes, options_.max_waiting_hashes}) {
  if (!options_.mail_command.empty()) {
    mailer_ = std::make_unique<CommandMailer>(options_.mail_command, options_.mail_from, clock_);
  } else if (!options_.outbox_dir.empty()) {
    mailer_ = std::make_unique<OutboxMailer>(options_.outbox_dir, options_.mail_from, clock_);
  }
}

Result<std::string> OrgService::GatedHash(std::string_view password) {
  FW_TRY(HashGate::Permit permit, gate_.Enter());
  return internal::HashPassword(password, options_);
}

Status OrgService::StorePassword(std::int64_t user_id, const std::string& hash,
                                 const std::string& keep_hash) {
  long long uid = user_id, now = clock_.Now();
  FW_TRY_STATUS(db_.Write<bool>([&](soci::session& s) -> Result<bool> {
    db::Query(s, "UPDATE users SET password_hash = :h WHERE id = :id").Bind(hash).Bind(uid).Run();
    internal::RevokeSessionsOf(s, uid, keep_hash, now);
    return true;
  }));
  return {};
}

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
    if (!ReadLabs(db::Query(s, FW_LAB_SELECT "WHERE slug = :slug").Bind(slug_s)).empty()) {
      return Fail(SlugTaken());
    }
    return MapUniqueViolation(
        [&]() -> Result<Lab> {
          long long id = 0;
          db::Query(s,
                    "INSERT INTO orgs (name, slug, pseudonym_key, created_at) VALUES (:n, :s, :k, "
                    ":c) RETURNING id")
              .Bind(clean_name)
              .Bind(slug_s)
              .Bind(key_hex)
              .Bind(now)
              .One(id);
          return Lab{id, clean_name, slug_s, now};
        },
        SlugTaken());
  });
}

Result<std::vector<Lab>> OrgService::ListLabs() {
  return db_.Read<std::vector<Lab>>([](soci::session& s) -> Result<std::vector<Lab>> {
    return ReadLabs(db::Query(s, FW_LAB_SELECT "ORDER BY id"));
  });
}

Result<Lab> OrgService::GetLab(std::int64_t id) {
  long long lid = id;
  return db_.Read<Lab>([&](soci::session& s) -> Result<Lab> {
    auto labs = ReadLabs(db::Query(s, FW_LAB_SELECT "WHERE id = :id").Bind(lid));
    if (labs.empty()) return NotFound("no such lab");
    return labs.front();
  });
}

Result<Lab> OrgService::FindLabBySlug(std::string_view slug) {
  std::string slug_s(slug);
  return db_.Read<Lab>([&](soci::session& s) -> Result<Lab> {
    auto labs = ReadLabs(db::Query(s, FW_LAB_SELECT "WHERE slug = :slug").Bind(slug_s));
    if (labs.empty()) return NotFound(fmt::format("no lab with slug '{}'", slug_s));
    return labs.front();
  });
}

// ---- users

Result<User> OrgService::CreateUser(const NewUser& nu) { return CreateUser(nu, nullptr); }

Result<User> OrgService::CreateUser(const NewUser& nu, const UserHook& also) {
  FW_TRY(std::string email, NormalizeEmail(nu.email));
  FW_TRY(std::string name, CheckName(nu.name, "name", kMaxNameLength));
  FW_TRY_STATUS(internal::CheckPassword(nu.password, "password", email, name));
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
  FW_TRY(std::string hash, GatedHash(nu.password));
  std::string role(RoleName(nu.role));
  long long org_id = nu.org_id;
  long long now = clock_.Now();
  return db_.Write<User>([&](soci::session& s) -> Result<User> {
    if (org_id != 0) {
      long long found = 0;
      if (!db::Query(s, "SELECT id FROM orgs WHERE id = :id").Bind(org_id).One(found)) {
        return NotFound("no such lab");
      }
    }
    FW_TRY(auto existing, internal::UserByEmail(s, email));
    if (existing) return Fail(EmailTaken());
    return MapUniqueViolation(
        [&]() -> Result<User> {
          long long id = 0;
          db::Query(s, kInsertUser)
              .Bind(email)
              .Bind(name)
              .Bind(hash)
              .Bind(role)
              .Bind(org_id == 0 ? std::nullopt : std::optional<long long>(org_id))
              .Bind(now)
              .One(id);
          User created{id, email, name, nu.role, org_id, now, false};
          if (also) FW_TRY_STATUS(also(s, created));
          return created;
        },
        EmailTaken());
  });
}

Status OrgService::SendMail(const MailMessage& message) {
  if (!mailer_) {
    return Fail(ErrorCode::kUnavailable,
                "this instance has no way to deliver mail (mail_command or an outbox)");
  }
  return mailer_->Send(message);
}

Result<std::vector<User>> OrgService::ListUsers() {
  return db_.Read<std::vector<User>>([](soci::session& s) -> Result<std::vector<User>> {
    return internal::ReadUsers(db::Query(s, FW_USER_SELECT "ORDER BY id"));
  });
}

Result<std::vector<User>> OrgService::ListMembers(std::int64_t org_id) {
  long long oid = org_id;
  return db_.Read<std::vector<User>>([&](soci::session& s) -> Result<std::vector<User>> {
    return internal::ReadUsers(
        tenancy_.Scope(s, oid).Query(FW_USER_SELECT "WHERE org_id = :org ORDER BY id"));
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
  FW_TRY(User user, FindUserByEmail(email));
  FW_TRY_STATUS(internal::CheckPassword(new_password, "password", user.email, user.name));
  FW_TRY(std::string hash, GatedHash(new_password));
  return StorePassword(user.id, hash, {});
}

Status OrgService::ResetPasswordOf(std::int64_t user_id, std::string_view new_password) {
  FW_TRY(User user, GetUser(user_id));
  FW_TRY_STATUS(internal::CheckPassword(new_password, "password", user.email, user.name));
  FW_TRY(std::string hash, GatedHash(new_password));
  return StorePassword(user.id, hash, {});
}

Status OrgService::ChangePassword(const Caller& caller, std::string_view current_password,
                                  std::string_view new_password, std::string_view keep_credential) {
  long long uid = caller.user_id;
  std::optional<std::string> stored;
  FW_TRY(User user, db_.Read<User>([&](soci::session& s) -> Result<User> {
    FW_TRY(auto u, internal::UserById(s, uid));
    if (!u) return NotFound("no such user");
    stored = internal::PasswordHashOf(s, uid);
    return std::move(*u);
  }));
  FW_TRY_STATUS(internal::CheckPassword(new_password, "new_password", user.email, user.name));
  std::string hash;
  {
    // One permit for both computations: the check and the new hash.
    FW_TRY(HashGate::Permit permit, gate_.Enter());
    if (!stored || !security::VerifyPassword(*stored, current_password)) {
      return Fail(ErrorCode::kInvalidArgument, "the current password is wrong",
                  {{"current_password", "incorrect", "the current password is wrong"}},
                  "wrong_password");
    }
    FW_TRY(hash, internal::HashPassword(new_password, options_));
  }
  std::string keep = keep_credential.empty() ? std::string() : security::TokenHash(keep_credential);
  return StorePassword(uid, hash, keep);
}

// ---- sessions

Result<std::vector<SessionInfo>> OrgService::ListSessions(const Caller& caller,
                                                          std::string_view credential) {
  long long uid = caller.user_id, now = clock_.Now();
  std::string current = credential.empty() ? std::string() : security::TokenHash(credential);
  return db_.Read<std::vector<SessionInfo>>(
      [&](soci::session& s) -> Result<std::vector<SessionInfo>> {
        SessionInfo info;
        std::string hash;
        std::vector<SessionInfo> out;
        db::Query(s,
                  "SELECT id, token_hash, created_at, expires_at, user_agent, address FROM tokens "
                  "WHERE user_id = :u AND kind = 'session' AND revoked_at IS NULL AND "
                  "expires_at > :now ORDER BY id DESC")
            .Bind(uid)
            .Bind(now)
            .Each(
                [&] {
                  info.current = hash == current;
                  out.push_back(info);
                  return true;
                },
                info.id, hash, info.created_at, info.expires_at, info.user_agent, info.address);
        return out;
      });
}

Status OrgService::RevokeSession(const Caller& caller, std::int64_t session_id) {
  long long uid = caller.user_id, sid = session_id, now = clock_.Now();
  FW_TRY_STATUS(db_.Write<bool>([&](soci::session& s) -> Result<bool> {
    long long found = 0;
    if (!db::Query(s, "SELECT id FROM tokens WHERE id = :id AND user_id = :u AND kind = 'session'")
             .Bind(sid)
             .Bind(uid)
             .One(found)) {
      return NotFound("no such session");
    }
    RevokeTokenRow(s, sid, now);
    return true;
  }));
  return {};
}

Result<std::int64_t> OrgService::RevokeSessions(const Caller& caller,
                                                std::string_view keep_credential) {
  long long uid = caller.user_id, now = clock_.Now();
  std::string keep = keep_credential.empty() ? std::string() : security::TokenHash(keep_credential);
  return db_.Write<std::int64_t>([&](soci::session& s) -> Result<std::int64_t> {
    return internal::RevokeSessionsOf(s, uid, keep, now);
  });
}

// ---- deactivation

Result<User> OrgService::Deactivate(const Caller& caller, std::int64_t user_id) {
  if (caller.user_id == user_id) {
    return Fail(ErrorCode::kInvalidArgument, "operators cannot deactivate themselves", {}, "self");
  }
  long long uid = user_id, now = clock_.Now();
  FW_TRY(User user, db_.Write<User>([&](soci::session& s) -> Result<User> {
    FW_TRY(auto u, internal::UserById(s, uid));
    if (!u) return NotFound("no such user");
    db::Query(s, "UPDATE users SET disabled = 1 WHERE id = :id").Bind(uid).Run();
    db::Query(s, "UPDATE tokens SET revoked_at = :now WHERE user_id = :u AND revoked_at IS NULL")
        .Bind(now)
        .Bind(uid)
        .Run();
    u->disabled = true;
    return std::move(*u);
  }));
  if (on_deactivated_) on_deactivated_(user.id);
  return user;
}

Result<User> OrgService::Reactivate(std::int64_t user_id) {
  long long uid = user_id;
  return db_.Write<User>([&](soci::session& s) -> Result<User> {
    FW_TRY(auto u, internal::UserById(s, uid));
    if (!u) return NotFound("no such user");
    db::Query(s, "UPDATE users SET disabled = 0 WHERE id = :id").Bind(uid).Run();
    u->disabled = false;
    return std::move(*u);
  });
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
    ApiToken t;
    std::vector<ApiToken> out;
    db::Query(s,
              "SELECT id, name, created_at, expires_at FROM tokens WHERE user_id = :u AND "
              "kind = 'api' AND revoked_at IS NULL ORDER BY id DESC")
        .Bind(uid)
        .Each(
            [&] {
              out.push_back(t);
              return true;
            },
            t.id, t.name, t.created_at, t.expires_at);
    return out;
  });
}

Status OrgService::RevokeToken(const Caller& caller, std::int64_t token_id) {
  long long uid = caller.user_id, tid = token_id, now = clock_.Now();
  FW_TRY_STATUS(db_.Write<bool>([&](soci::session& s) -> Result<bool> {
    long long found = 0;
    if (!db::Query(s, "SELECT id FROM tokens WHERE id = :id AND user_id = :u AND kind = 'api'")
             .Bind(tid)
             .Bind(uid)
             .One(found)) {
      return NotFound("no such API token");
    }
    RevokeTokenRow(s, tid, now);
    return true;
  }));
  return {};
}

Result<std::int64_t> OrgService::RevokeTokens(const Caller& caller) {
  long long uid = caller.user_id, now = clock_.Now();
  return db_.Write<std::int64_t>([&](soci::session& s) -> Result<std::int64_t> {
    return db::Query(s,
                     "UPDATE tokens SET revoked_at = :now WHERE user_id = :u AND kind = 'api' "
                     "AND revoked_at IS NULL")
        .Bind(now)
        .Bind(uid)
        .Run();
  });
}

Result<CreatedToken> OrgService::CreateTokenForUser(std::string_view email, std::string_view name) {
  FW_TRY(User user, FindUserByEmail(email));
  return InsertApiToken(user.id, user.org_id, name, std::nullopt);
}

}  // namespace fw::orgs

// ---- lab invitations

namespace fw::orgs {

std::string_view InvitationStateName(InvitationState s) {
  switch (s) {
    case InvitationState::kPending:
      return "pending";
    case InvitationState::kAccepted:
      return "accepted";
    case InvitationState::kWithdrawn:
      return "withdrawn";
    case InvitationState::kExpired:
      return "expired";
  }
  return "pending";
}

namespace {

Error InvitationInvalid() {
  return Error(ErrorCode::kNotFound,
               "the invitation is unknown, expired, withdrawn or already used; ask the lab for "
               "a new one",
               {}, "invitation_invalid");
}

// The head of a statement reading invitations; ReadInvitations runs it.
#define FW_INVITATION_SELECT                                                                \
  "SELECT id, org_id, email, role, created_at, expires_at, accepted_at, withdrawn_at FROM " \
  "invitations "

// Runs `q` (FW_INVITATION_SELECT and a clause, bound) and returns the invitations with their
// state at `now`.
Result<std::vector<Invitation>> ReadInvitations(db::Query q, long long now) {
  Invitation inv{};
  std::string role;
  std::optional<long long> accepted, withdrawn;
  std::vector<Invitation> out;
  bool bad_role = false;
  q.Each(
      [&] {
        if (!ParseRole(role, &inv.role)) {
          bad_role = true;
          return false;
        }
        inv.state = accepted                ? InvitationState::kAccepted
                    : withdrawn             ? InvitationState::kWithdrawn
                    : inv.expires_at <= now ? InvitationState::kExpired
                                            : InvitationState::kPending;
        out.push_back(inv);
        return true;
      },
      inv.id, inv.org_id, inv.email, role, inv.created_at, inv.expires_at, accepted, withdrawn);
  if (bad_role) return Internal("a stored invitation has an unknown role");
  return out;
}

// The usable invitation with that secret's hash, or nullopt.
Result<std::optional<Invitation>> UsableInvitation(soci::session& s, const std::string& hash,
                                                   long long now) {
  FW_TRY(
      auto found,
      ReadInvitations(db::Query(s, FW_INVITATION_SELECT "WHERE token_hash = :h").Bind(hash), now));
  if (found.empty() || found.front().state != InvitationState::kPending) {
    return std::optional<Invitation>();
  }
  return std::optional<Invitation>(std::move(found.front()));
}

std::string InvitationText(std::string_view lab_name, Role role, std::string_view secret,
                           UnixSeconds expires_at) {
  return fmt::format(
      "You are invited to join the lab \"{}\" on Fachwerk as {}.\n"
      "\n"
      "Your invitation code, valid until {}:\n"
      "\n"
      "    {}\n"
      "\n"
      "To accept it, choose your name and a password (at least {} characters) and send them\n"
      "with the code to the instance:\n"
      "\n"
      "    POST /api/v1/invitations/accept\n"
      "    {{\"token\": \"{}\", \"name\": \"...\", \"password\": \"...\"}}\n"
      "\n"
      "The code works once. If you did not expect this message, ignore it.\n",
      lab_name, role == Role::kLabOwner ? "an owner" : "a member", FormatTime(expires_at), secret,
      kMinPasswordLength, secret);
}

}  // namespace

Result<Invitation> OrgService::Invite(const Caller& caller, std::string_view email, Role role) {
  FW_TRY(std::string address, NormalizeEmail(email));
  if (role != Role::kLabOwner && role != Role::kLabMember) {
    return InvalidArgument("role must be owner or member",
                           {{"role", "invalid", "expected owner or member"}});
  }
  if (!mailer_) {
    return Fail(ErrorCode::kUnavailable,
                "this instance has no way to deliver invitations (mail_command or an outbox)");
  }
  std::string secret = security::NewToken(kInvitationPrefix);
  std::string hash = security::TokenHash(secret);
  std::string role_s(RoleName(role));
  long long org = caller.org_id, by = caller.user_id, now = clock_.Now();
  long long expires = now + options_.invitation_ttl_seconds;
  std::string lab_name;
  FW_TRY(Invitation inv, db_.Write<Invitation>([&](soci::session& s) -> Result<Invitation> {
    tenancy::LabScope lab = tenancy_.Scope(s, org);
    if (!lab.Query("SELECT name FROM orgs WHERE id = :org").One(lab_name)) {
      return NotFound("no such lab");
    }
    long long id = 0;
    lab.Query(
           "INSERT INTO invitations (org_id, email, role, token_hash, invited_by, created_at, "
           "expires_at) VALUES (:org, :e, :r, :h, :b, :c, :x) RETURNING id")
        .Bind(address)
        .Bind(role_s)
        .Bind(hash)
        .Bind(by == 0 ? std::nullopt : std::optional<long long>(by))
        .Bind(now)
        .Bind(expires)
        .One(id);
    return Invitation{id, org, address, role, now, expires, InvitationState::kPending};
  }));
  Status sent = mailer_->Send({address, "Your invitation to a lab on Fachwerk",
                               InvitationText(lab_name, role, secret, expires)});
  if (!sent) {
    // Nobody holds the secret, so the invitation could never be accepted: do not list it.
    long long id = inv.id;
    (void)db_.Write<bool>([&](soci::session& s) -> Result<bool> {
      tenancy_.Scope(s, org)
          .Query("DELETE FROM invitations WHERE org_id = :org AND id = :id")
          .Bind(id)
          .Run();
      return true;
    });
    return Fail(ErrorCode::kUnavailable, "the invitation could not be sent; try again later", {},
                "mail_failed");
  }
  return inv;
}

Result<std::vector<Invitation>> OrgService::ListInvitations(const Caller& caller) {
  long long org = caller.org_id, now = clock_.Now();
  return db_.Read<std::vector<Invitation>>(
      [&](soci::session& s) -> Result<std::vector<Invitation>> {
        return ReadInvitations(
            tenancy_.Scope(s, org)
                .Query(FW_INVITATION_SELECT
                       "WHERE org_id = :org AND accepted_at IS NULL AND withdrawn_at IS NULL AND "
                       "expires_at > :now ORDER BY id DESC")
                .Bind(now),
            now);
      });
}

Status OrgService::WithdrawInvitation(const Caller& caller, std::int64_t invitation_id) {
  long long org = caller.org_id, iid = invitation_id, now = clock_.Now();
  FW_TRY_STATUS(db_.Write<bool>([&](soci::session& s) -> Result<bool> {
    tenancy::LabScope lab = tenancy_.Scope(s, org);
    FW_TRY(auto found,
           ReadInvitations(
               lab.Query(FW_INVITATION_SELECT "WHERE id = :id AND org_id = :org").Bind(iid), now));
    if (found.empty()) return NotFound("no such invitation");
    if (found.front().state == InvitationState::kAccepted) {
      return Conflict("the invitation was accepted; the user is a member now",
                      "invitation_accepted");
    }
    lab.Query(
           "UPDATE invitations SET withdrawn_at = :now WHERE org_id = :org AND id = :id AND "
           "withdrawn_at IS NULL")
        .Bind(now)
        .Bind(iid)
        .Run();
    return true;
  }));
  return {};
}

Result<User> OrgService::AcceptInvitation(std::string_view secret, std::string_view name,
                                          std::string_view password) {
  if (secret.substr(0, kInvitationPrefix.size()) != kInvitationPrefix) {
    return Fail(InvitationInvalid());
  }
  std::string hash = security::TokenHash(secret);
  long long now = clock_.Now();
  FW_TRY(std::optional<Invitation> inv, db_.Read<std::optional<Invitation>>([&](soci::session& s) {
    return UsableInvitation(s, hash, now);
  }));
  if (!inv) return Fail(InvitationInvalid());
  FW_TRY(std::string clean_name, CheckName(name, "name", kMaxNameLength));
  FW_TRY_STATUS(internal::CheckPassword(password, "password", inv->email, clean_name));
  FW_TRY(bool taken, db_.Read<bool>([&](soci::session& s) -> Result<bool> {
    FW_TRY(auto u, internal::UserByEmail(s, inv->email));
    return u.has_value();
  }));
  if (taken) return Fail(EmailTaken());
  FW_TRY(std::string password_hash, GatedHash(password));
  std::string role(RoleName(inv->role));
  return db_.Write<User>([&](soci::session& s) -> Result<User> {
    FW_TRY(std::optional<Invitation> still, UsableInvitation(s, hash, now));
    if (!still) return Fail(InvitationInvalid());
    FW_TRY(auto existing, internal::UserByEmail(s, still->email));
    if (existing) return Fail(EmailTaken());
    return MapUniqueViolation(
        [&]() -> Result<User> {
          long long id = 0, org = still->org_id, iid = still->id;
          db::Query(s, kInsertUser)
              .Bind(still->email)
              .Bind(clean_name)
              .Bind(password_hash)
              .Bind(role)
              .Bind(org)
              .Bind(now)
              .One(id);
          tenancy_.Scope(s, org)
              .Query(
                  "UPDATE invitations SET accepted_at = :now, user_id = :u WHERE org_id = :org "
                  "AND id = :id")
              .Bind(now)
              .Bind(id)
              .Bind(iid)
              .Run();
          return User{id, still->email, clean_name, still->role, org, now, false};
        },
        EmailTaken());
  });
}

}  // namespace fw::orgs
