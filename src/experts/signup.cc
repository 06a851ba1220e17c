#include "experts/signup.h"

#include <fmt/format.h>

#include "base/json.h"
#include "db/query.h"
#include "security/crypto.h"

namespace fw::experts {

std::string_view SignupModeName(SignupMode mode) {
  switch (mode) {
    case SignupMode::kClosed:
      return "closed";
    case SignupMode::kInvitation:
      return "invitation";
    case SignupMode::kOpen:
      return "open";
  }
  return "closed";
}

std::optional<SignupMode> ParseSignupMode(std::string_view name) {
  if (name == "closed") return SignupMode::kClosed;
  if (name == "invitation") return SignupMode::kInvitation;
  if (name == "open") return SignupMode::kOpen;
  return std::nullopt;
}

namespace {

Error InvitationInvalid() {
  return Error(ErrorCode::kNotFound,
               "the invitation is unknown, expired or already used; ask the operator for a new "
               "one",
               {{"invitation", "invalid", "unknown, expired or used"}}, "invitation_invalid");
}

Error EmailTaken() {
  return Error(ErrorCode::kConflict, "a user with this e-mail exists",
               {{"email", "taken", "the e-mail belongs to another user"}}, "email_taken");
}

#define FW_XINV_SELECT \
  "SELECT id, email, invited_by, created_at, expires_at, accepted_at, user_id FROM " \
  "expert_invitations "

std::vector<ExpertInvitation> ReadInvitations(db::Query q, long long now) {
  ExpertInvitation inv;
  std::optional<long long> by, user, accepted;
  std::vector<ExpertInvitation> out;
  q.Each(
      [&] {
        inv.invited_by = by.value_or(0);
        inv.user_id = user.value_or(0);
        inv.accepted_at = accepted;
        inv.state = accepted ? "accepted" : inv.expires_at <= now ? "expired" : "pending";
        out.push_back(inv);
        return true;
      },
      inv.id, inv.email, by, inv.created_at, inv.expires_at, accepted, user);
  return out;
}

std::string InvitationText(std::string_view secret, UnixSeconds expires_at) {
  return fmt::format(
      "You are invited to join Fachwerk's expert network.\n"
      "\n"
      "Your invitation code, valid until {}:\n"
      "\n"
      "    {}\n"
      "\n"
      "To accept it, choose your name and a password (at least {} characters) and send them\n"
      "with the code to the instance:\n"
      "\n"
      "    POST /api/v1/signup\n"
      "    {{\"invitation\": \"{}\", \"name\": \"...\", \"password\": \"...\"}}\n"
      "\n"
      "The code works once. If you did not expect this message, ignore it.\n",
      FormatTime(expires_at), secret, orgs::kMinPasswordLength, secret);
}

}  // namespace

SignupService::SignupService(db::Database& db, const Clock& clock, orgs::OrgService& orgs,
                             SignupOptions options)
    : db_(db), clock_(clock), orgs_(orgs), options_(options) {}

Result<SignupMode> SignupService::Mode() {
  return db_.Read<SignupMode>([](soci::session& s) -> Result<SignupMode> {
    std::string v;
    if (!db::Query(s, "SELECT value FROM instance_settings WHERE name = 'expert_signup'").One(v)) {
      return SignupMode::kClosed;
    }
    auto mode = ParseSignupMode(v);
    if (!mode) return Internal("the stored expert sign-up mode is unknown");
    return *mode;
  });
}

Status SignupService::SetMode(SignupMode mode) {
  std::string v(SignupModeName(mode));
  FW_TRY_STATUS(db_.Write<bool>([&](soci::session& s) -> Result<bool> {
    db::Query(s,
              "INSERT INTO instance_settings (name, value) VALUES ('expert_signup', :v) ON "
              "CONFLICT (name) DO UPDATE SET value = excluded.value")
        .Bind(v)
        .Run();
    return true;
  }));
  return {};
}

Result<ExpertInvitation> SignupService::Invite(const Caller& op, std::string_view email) {
  FW_TRY(std::string address, orgs::NormalizeEmail(email));
  FW_TRY(SignupMode mode, Mode());
  if (mode == SignupMode::kClosed) {
    return Conflict("expert sign-up is closed; set the mode to invitation or open first",
                    "signup_closed");
  }
  auto existing = orgs_.FindUserByEmail(address);
  if (existing) return Fail(EmailTaken());
  if (existing.error().code != ErrorCode::kNotFound) return Fail(std::move(existing).error());
  std::string secret = security::NewToken(kExpertInvitationPrefix);
  std::string hash = security::TokenHash(secret);
  long long now = clock_.Now(), by = op.user_id;
  long long expires = now + options_.invitation_ttl_seconds;
  FW_TRY(ExpertInvitation inv,
         db_.Write<ExpertInvitation>([&](soci::session& s) -> Result<ExpertInvitation> {
           db::Query(s, "DELETE FROM expert_invitations WHERE email = :e AND accepted_at IS NULL")
               .Bind(address)
               .Run();
           long long id = 0;
           db::Query(s,
                     "INSERT INTO expert_invitations (email, token_hash, invited_by, created_at, "
                     "expires_at) VALUES (:e, :h, :b, :c, :x) RETURNING id")
               .Bind(address)
               .Bind(hash)
               .Bind(by == 0 ? std::nullopt : std::optional<long long>(by))
               .Bind(now)
               .Bind(expires)
               .One(id);
           ExpertInvitation out;
           out.id = id;
           out.email = address;
           out.invited_by = by;
           out.created_at = now;
           out.expires_at = expires;
           out.state = "pending";
           return out;
         }));
  Status sent = orgs_.SendMail({address, "Your invitation to Fachwerk's expert network",
                                InvitationText(secret, expires)});
  if (!sent) {
    // Nobody holds the secret, so the invitation could never be used: do not keep it.
    long long id = inv.id;
    (void)db_.Write<bool>([&](soci::session& s) -> Result<bool> {
      db::Query(s, "DELETE FROM expert_invitations WHERE id = :id").Bind(id).Run();
      return true;
    });
    return Fail(ErrorCode::kUnavailable, "the invitation could not be sent; try again later", {},
                "mail_failed");
  }
  return inv;
}

Result<std::vector<ExpertInvitation>> SignupService::ListInvitations() {
  long long now = clock_.Now();
  return db_.Read<std::vector<ExpertInvitation>>(
      [&](soci::session& s) -> Result<std::vector<ExpertInvitation>> {
        return ReadInvitations(
            db::Query(s, FW_XINV_SELECT "WHERE accepted_at IS NULL ORDER BY id DESC"), now);
      });
}

Status SignupService::WithdrawInvitation(std::int64_t invitation_id) {
  long long id = invitation_id, now = clock_.Now();
  FW_TRY_STATUS(db_.Write<bool>([&](soci::session& s) -> Result<bool> {
    auto found = ReadInvitations(db::Query(s, FW_XINV_SELECT "WHERE id = :id").Bind(id), now);
    if (found.empty()) return NotFound("no such expert invitation");
    if (found.front().accepted_at) {
      return Conflict("the invitation was used; the expert has an account",
                      "invitation_accepted");
    }
    db::Query(s, "DELETE FROM expert_invitations WHERE id = :id AND accepted_at IS NULL")
        .Bind(id)
        .Run();
    return true;
  }));
  return {};
}

Result<orgs::User> SignupService::SignUp(const SignupRequest& request) {
  FW_TRY(SignupMode mode, Mode());
  if (mode == SignupMode::kClosed) {
    return Fail(ErrorCode::kPermissionDenied, "expert sign-up is closed on this instance", {},
                "signup_closed");
  }
  orgs::NewUser nu;
  nu.name = request.name;
  nu.password = request.password;
  nu.role = Role::kExpert;
  nu.email = request.email;
  long long now = clock_.Now();
  std::string hash;
  if (!request.invitation.empty()) {
    if (request.invitation.substr(0, kExpertInvitationPrefix.size()) != kExpertInvitationPrefix) {
      return Fail(InvitationInvalid());
    }
    hash = security::TokenHash(request.invitation);
    FW_TRY(auto found, db_.Read<std::vector<ExpertInvitation>>(
                           [&](soci::session& s) -> Result<std::vector<ExpertInvitation>> {
                             return ReadInvitations(
                                 db::Query(s, FW_XINV_SELECT "WHERE token_hash = :h").Bind(hash),
                                 now);
                           }));
    if (found.empty() || found.front().state != "pending") return Fail(InvitationInvalid());
    if (!request.email.empty()) {
      FW_TRY(std::string given, orgs::NormalizeEmail(request.email));
      if (given != found.front().email) {
        return InvalidArgument("the invitation is for another e-mail address",
                               {{"email", "mismatch", "leave it out, or give the invited address"}});
      }
    }
    nu.email = found.front().email;
  } else if (mode == SignupMode::kInvitation) {
    return Fail(ErrorCode::kPermissionDenied, "signing up needs an invitation on this instance",
                {{"invitation", "required", "ask the operator for an invitation"}},
                "invitation_required");
  } else if (request.email.empty()) {
    return Fail(FieldRequiredError("email"));
  }
  orgs::OrgService::UserHook mark;
  if (!hash.empty()) {
    mark = [&](soci::session& s, const orgs::User& created) -> Status {
      long long uid = created.id;
      long long changed =
          db::Query(s,
                    "UPDATE expert_invitations SET accepted_at = :now, user_id = :u WHERE "
                    "token_hash = :h AND accepted_at IS NULL AND expires_at > :now2")
              .Bind(now)
              .Bind(uid)
              .Bind(hash)
              .Bind(now)
              .Run();
      if (changed != 1) return Fail(InvitationInvalid());
      return {};
    };
  }
  return orgs_.CreateUser(nu, mark);
}

}  // namespace fw::experts
