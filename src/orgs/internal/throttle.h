#pragma once
// Login throttling: the rules (pure functions of a failure record and the time, so tests need
// no sleeps) and the rows that hold the records (table login_failures, shared by every node).
// A subject is an account (the normalized e-mail, whether or not a user has it, so the answer
// does not reveal which e-mails exist) or a client address. Rows are written only when a
// login fails; a success deletes the account's row.

#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"

namespace fw::orgs::internal {

// `free_failures` failures cost nothing; each one after them blocks the subject for
// first_delay_seconds, doubling per failure up to max_delay_seconds. The count starts over
// once a subject has had no failure for window_seconds and is not blocked.
struct ThrottleRule {
  std::int64_t free_failures;
  std::int64_t window_seconds;
  std::int64_t first_delay_seconds;
  std::int64_t max_delay_seconds;
};

// Per account: 5 free failures within 15 minutes, then 1, 2, 4, ... s, at most 60 s, so an
// attacker can keep a victim out for a minute at a time at worst.
inline constexpr ThrottleRule kAccountRule{5, 15 * 60, 1, 60};
// Per client address: 20 free failures, then doubling up to 5 minutes.
inline constexpr ThrottleRule kAddressRule{20, 15 * 60, 1, 300};

struct FailureRecord {
  std::int64_t failures = 0;
  UnixSeconds last_failure_at = 0;
  UnixSeconds blocked_until = 0;
};

// Whether the record still counts at `now` (within the window or still blocked).
bool IsLive(const FailureRecord& r, const ThrottleRule& rule, UnixSeconds now);
// The record after one more failure at `now` (`prev`: the stored one, live or not).
FailureRecord AfterFailure(const std::optional<FailureRecord>& prev, const ThrottleRule& rule,
                           UnixSeconds now);
// Seconds until the subject may try again; 0 when it may now.
std::int64_t WaitSeconds(const FailureRecord& r, UnixSeconds now);
// When the row may be deleted.
UnixSeconds ExpiresAt(const FailureRecord& r, const ThrottleRule& rule);

// The stored keys of an account (a normalized e-mail) and of a client address.
std::string AccountSubject(std::string_view email_key);
std::string AddressSubject(std::string_view address);

// What the throttle says about one login attempt.
struct ThrottleCheck {
  bool account_row = false;      // the account has a live row (a success must delete it)
  std::int64_t wait_seconds = 0;  // > 0: refuse the attempt, before any hashing
};

// Reads both subjects' rows with one indexed query. `address_subject` may be empty (no
// address known): only the account is checked.
ThrottleCheck CheckThrottle(soci::session& s, const std::string& account_subject,
                            const std::string& address_subject, UnixSeconds now);

// Counts one failure against both subjects (the address only when non-empty) and deletes
// rows that have expired. Run inside a write transaction; concurrent failures of one subject
// are serialized by the row lock the first statement takes.
void RecordFailure(soci::session& s, const std::string& account_subject,
                   const std::string& address_subject, UnixSeconds now);

// Deletes the account's row (after a successful login).
void ClearFailures(soci::session& s, const std::string& account_subject);

}  // namespace fw::orgs::internal
