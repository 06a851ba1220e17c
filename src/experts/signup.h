#pragma once
// Experts signing up themselves. The instance's mode (instance_settings `expert_signup`)
// says who may: nobody (`closed`, the default), holders of an operator's invitation
// (`invitation`), or anyone (`open`, where an invitation is still honoured). Invitations go by
// e-mail through the instance's mailer (OrgService::SendMail); only the secret's hash is kept.
// Accounts are made by OrgService::CreateUser (its e-mail, name and password rules, argon2id
// under the shared HashGate), with the invitation marked used in the same transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/caller.h"
#include "base/clock.h"
#include "base/error.h"
#include "db/database.h"
#include "orgs/orgs.h"

namespace fw::experts {

enum class SignupMode { kClosed, kInvitation, kOpen };
std::string_view SignupModeName(SignupMode mode);
// Parses "closed", "invitation", "open"; nullopt otherwise.
std::optional<SignupMode> ParseSignupMode(std::string_view name);

// Expert invitation secrets, sent only to the invitee.
inline constexpr std::string_view kExpertInvitationPrefix = "fwx_";

// An invitation to sign up as an expert, as operators see it (never the secret).
struct ExpertInvitation {
  std::int64_t id = 0;
  std::string email;
  std::int64_t invited_by = 0;  // 0: unknown (the inviting user is gone)
  UnixSeconds created_at = 0;
  UnixSeconds expires_at = 0;
  std::optional<UnixSeconds> accepted_at;
  std::int64_t user_id = 0;  // the account it made; 0 while unused
  // "pending", "accepted" or "expired" at the time it was read.
  std::string state;
};

struct SignupRequest {
  std::string email;       // may be empty with an invitation (the invited address is used)
  std::string name;
  std::string password;
  std::string invitation;  // the secret ("fwx_..."); empty: none
};

struct SignupOptions {
  std::int64_t invitation_ttl_seconds = 14 * 24 * 3600;
};

// Thread safety: any thread; each call runs a few short transactions and holds none across
// password hashing or mail delivery. Ownership: borrows the database, clock and OrgService,
// which must outlive it.
class SignupService {
 public:
  SignupService(db::Database& db, const Clock& clock, orgs::OrgService& orgs,
                SignupOptions options = {});

  // The instance's sign-up mode (closed when never set). Errors: only database failures.
  [[nodiscard]] Result<SignupMode> Mode();
  // Sets the mode. Errors: only database failures. A retry sets it again.
  [[nodiscard]] Status SetMode(SignupMode mode);

  // Invites `email` to sign up and sends the secret there; an earlier pending invitation of
  // the same address is deleted. Errors: kInvalidArgument naming "email"; kConflict reason
  // "email_taken" (the address has an account) or "signup_closed" (the mode is closed, so the
  // invitation could not be used); kUnavailable reason "mail_failed" or no mailer (nothing is
  // kept). A retry sends a fresh invitation.
  [[nodiscard]] Result<ExpertInvitation> Invite(const Caller& op, std::string_view email);
  // Unused invitations (pending and expired), newest first. Errors: only database failures.
  [[nodiscard]] Result<std::vector<ExpertInvitation>> ListInvitations();
  // Deletes an unused invitation. Errors: kNotFound; kConflict reason "invitation_accepted".
  // A retry after success is kNotFound.
  [[nodiscard]] Status WithdrawInvitation(std::int64_t invitation_id);

  // Creates an expert account as the mode allows. With an invitation its address is the
  // account's (a different `email` is refused) and it is marked used in the same
  // transaction. Errors: kPermissionDenied reason "signup_closed" (closed mode) or
  // "invitation_required" (invitation mode without one); kNotFound reason
  // "invitation_invalid" (unknown, expired or used secret); kInvalidArgument naming "email"
  // (malformed; code "mismatch": not the invited address), "name" or "password" (the
  // password policy); kConflict reason "email_taken"; kUnavailable reason "overloaded" (too
  // many password hashes at once; nothing stored). A retry after success fails with
  // "email_taken" (or "invitation_invalid").
  [[nodiscard]] Result<orgs::User> SignUp(const SignupRequest& request);

 private:
  db::Database& db_;
  const Clock& clock_;
  orgs::OrgService& orgs_;
  SignupOptions options_;
};

}  // namespace fw::experts
