#pragma once
// Labs (orgs), users and their roles, and long-lived API tokens. Sessions (login, logout,
// authentication of every request) live in auth.h; the HTTP routes in routes.h.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/caller.h"
#include "base/clock.h"
#include "base/error.h"
#include "db/database.h"
#include "orgs/hash_gate.h"
#include "orgs/mailer.h"
#include "security/ids.h"
#include "tenancy/tenancy.h"

namespace fw::orgs {

struct OrgOptions {
  std::int64_t session_ttl_seconds = 7 * 24 * 3600;
  // Cheap argon2id limits (tests and demo seeding only; never in production).
  bool fast_password_hashing = false;
  // Password hashes computed at once, and callers that may wait for one (HashGate).
  int max_concurrent_hashes = 2;
  int max_waiting_hashes = 8;
  // How long an invitation to a lab can be accepted.
  std::int64_t invitation_ttl_seconds = 7 * 24 * 3600;
  // How invitations are delivered: a command that reads an RFC 5322 message on stdin, else
  // files in outbox_dir; with neither, inviting fails (kUnavailable).
  std::string mail_command;
  std::string outbox_dir;
  std::string mail_from = "fachwerk@localhost";
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
// Invitation secrets, sent only to the invitee.
inline constexpr std::string_view kInvitationPrefix = "fwi_";
// Longest user agent kept with a session.
inline constexpr std::size_t kMaxUserAgentLength = 200;

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

// A live login session as listed to its owner; the secret is never stored.
struct SessionInfo {
  std::int64_t id = 0;
  UnixSeconds created_at = 0;
  UnixSeconds expires_at = 0;
  std::optional<std::string> user_agent;
  std::optional<std::string> address;
  bool current = false;  // the session the listing request came with
};

enum class InvitationState { kPending, kAccepted, kWithdrawn, kExpired };
std::string_view InvitationStateName(InvitationState s);

// An invitation to join a lab, as its lab sees it (never the secret).
struct Invitation {
  std::int64_t id = 0;
  std::int64_t org_id = 0;
  std::string email;
  Role role = Role::kLabMember;
  UnixSeconds created_at = 0;
  UnixSeconds expires_at = 0;
  InvitationState state = InvitationState::kPending;
};

// Manages labs, users and API tokens. Passwords are stored as argon2id hashes, tokens as
// security::TokenHash; neither is ever returned. Password hashing runs before a write job
// is queued, so it never holds up the database writer.
// Thread safety: any thread; each call runs a few short transactions and holds none across
// password hashing or mail delivery.
// Ownership: borrows the database, clock, id codec and tenancy, which must outlive it.
// Every password hash and verification runs under hash_gate(), which AuthService shares.
class OrgService {
 public:
  OrgService(db::Database& db, const Clock& clock, const security::IdCodec& ids,
             const tenancy::Tenancy& tenancy, OrgOptions options);

  // The gate every password hash of this service (and of the AuthService given it) passes.
  HashGate& hash_gate() { return gate_; }

  // Replaces how invitations are delivered (tests). Call before serving.
  void SetMailer(std::unique_ptr<Mailer> mailer) { mailer_ = std::move(mailer); }

  // Called with the user's id after a deactivation has committed (the work room ends the
  // user's leases). Call before serving; the listener runs on the request's thread.
  void SetDeactivationListener(std::function<void(std::int64_t user_id)> listener) {
    on_deactivated_ = std::move(listener);
  }

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
  // lab does not exist); kConflict reason "email_taken"; kUnavailable reason "overloaded"
  // (too many password hashes at once; nothing stored). A retry after success fails with
  // kConflict "email_taken".
  [[nodiscard]] Result<User> CreateUser(const NewUser& user);
  // As CreateUser, and runs `also` with the new user inside the transaction that inserts it
  // (another room's record of how the account came to be, such as an accepted expert
  // invitation); an error from `also` rolls the user back and is returned as it is.
  using UserHook = std::function<Status(soci::session& s, const User& created)>;
  [[nodiscard]] Result<User> CreateUser(const NewUser& user, const UserHook& also);
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

  // Sets a new password (an operator's reset) and revokes all of the user's sessions in the
  // same transaction; API tokens stay valid. Errors: kInvalidArgument naming "password"
  // (length); kNotFound (no user with that e-mail / id); kUnavailable reason "overloaded".
  // A retry sets the same password again.
  [[nodiscard]] Status ResetPassword(std::string_view email, std::string_view new_password);
  [[nodiscard]] Status ResetPasswordOf(std::int64_t user_id, std::string_view new_password);
  // Changes the caller's own password after checking the current one, and revokes every
  // other session of the caller in the same transaction: all but the one whose secret is
  // `keep_credential` (the request's own; an API token or empty keeps none). API tokens stay
  // valid. Errors: kInvalidArgument naming "new_password" (length) or "current_password"
  // (code "incorrect", reason "wrong_password"); kNotFound (the caller's user is gone);
  // kUnavailable reason "overloaded".
  [[nodiscard]] Status ChangePassword(const Caller& caller, std::string_view current_password,
                                      std::string_view new_password,
                                      std::string_view keep_credential = {});

  // ---- sessions

  // The caller's live sessions (not revoked, not expired), newest first; `current` marks the
  // one whose secret is `credential`. Errors: only database failures.
  [[nodiscard]] Result<std::vector<SessionInfo>> ListSessions(const Caller& caller,
                                                              std::string_view credential);
  // Revokes one of the caller's sessions. Errors: kNotFound (no such session of the caller).
  // A retry succeeds and changes nothing.
  [[nodiscard]] Status RevokeSession(const Caller& caller, std::int64_t session_id);
  // Revokes all of the caller's live sessions but the one whose secret is `keep_credential`
  // (empty: all). Returns how many were revoked. Errors: only database failures.
  [[nodiscard]] Result<std::int64_t> RevokeSessions(const Caller& caller,
                                                    std::string_view keep_credential);

  // ---- mail

  // Hands a message to the instance's mailer (invitations of other rooms). Errors:
  // kUnavailable (no mailer configured, or the message could not be handed on; nothing was
  // sent, and a retry sends it again).
  [[nodiscard]] Status SendMail(const MailMessage& message);

  // ---- lab invitations

  // Invites `email` into the caller's lab as `role` (owner or member) and sends the secret
  // ("fwi_...", stored only hashed) to that address; the answer is the same whether or not
  // the address has an account. An earlier pending invitation of the same address to the
  // same lab is withdrawn. Errors: kInvalidArgument naming "email" or "role" (not owner or
  // member); kUnavailable (the message could not be handed on; nothing is kept). A retry
  // sends a fresh invitation.
  [[nodiscard]] Result<Invitation> Invite(const Caller& caller, std::string_view email, Role role);
  // The caller's lab's pending invitations, newest first. Errors: only database failures.
  [[nodiscard]] Result<std::vector<Invitation>> ListInvitations(const Caller& caller);
  // Withdraws a pending (or expired) invitation of the caller's lab. Errors: kNotFound (no
  // such invitation in the caller's lab); kConflict reason "invitation_accepted". A retry
  // succeeds and changes nothing.
  [[nodiscard]] Status WithdrawInvitation(const Caller& caller, std::int64_t invitation_id);
  // Creates the invitee's account in the lab with the invited role and marks the invitation
  // accepted. Errors: kNotFound reason "invitation_invalid" (unknown, expired, withdrawn or
  // already used secret); kInvalidArgument naming "name" or "password"; kConflict reason
  // "email_taken" (the address has an account); kUnavailable reason "overloaded". A retry
  // after success fails with kNotFound.
  [[nodiscard]] Result<User> AcceptInvitation(std::string_view secret, std::string_view name,
                                              std::string_view password);

  // ---- deactivation

  // Disables the user and revokes all of their sessions and API tokens in one transaction,
  // then calls the deactivation listener. Errors: kNotFound (no such user);
  // kInvalidArgument reason "self" (an operator cannot deactivate themselves). A retry
  // succeeds and calls the listener again.
  [[nodiscard]] Result<User> Deactivate(const Caller& caller, std::int64_t user_id);
  // Lets a deactivated user log in again; revoked credentials stay revoked. Errors:
  // kNotFound. A retry succeeds.
  [[nodiscard]] Result<User> Reactivate(std::int64_t user_id);

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
  // Revokes all of the caller's API tokens; returns how many. Errors: only database failures.
  [[nodiscard]] Result<std::int64_t> RevokeTokens(const Caller& caller);
  // Creates a never-expiring API token for the user with that e-mail (for the CLI).
  // Errors: kNotFound (no such user); kInvalidArgument naming "name".
  [[nodiscard]] Result<CreatedToken> CreateTokenForUser(std::string_view email,
                                                        std::string_view name);

 private:
  Result<CreatedToken> InsertApiToken(std::int64_t user_id, std::int64_t org_id,
                                      std::string_view name,
                                      std::optional<std::int64_t> ttl_seconds);
  // Hashes under the gate. Errors: kUnavailable reason "overloaded", kInternal.
  Result<std::string> GatedHash(std::string_view password);
  // Sets the user's password and revokes their sessions except `keep_hash`'s (empty: all).
  Status StorePassword(std::int64_t user_id, const std::string& hash, const std::string& keep_hash);

  db::Database& db_;
  const Clock& clock_;
  const security::IdCodec& ids_;
  const tenancy::Tenancy& tenancy_;
  OrgOptions options_;
  HashGate gate_;
  std::unique_ptr<Mailer> mailer_;  // null: invitations cannot be sent
  std::function<void(std::int64_t)> on_deactivated_;
};

// Trims and lower-cases `email`; kInvalidArgument naming "email" when it is not of the shape
// local@domain.tld (no spaces, at most 254 characters).
[[nodiscard]] Result<std::string> NormalizeEmail(std::string_view email);

// Whether `slug` matches [a-z0-9-]{2,40}.
bool IsValidSlug(std::string_view slug);

}  // namespace fw::orgs
