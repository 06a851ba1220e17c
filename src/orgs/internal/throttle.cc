#include "orgs/internal/throttle.h"

#include <algorithm>

#include "db/query.h"
#include "security/crypto.h"

namespace fw::orgs::internal {

bool IsLive(const FailureRecord& r, const ThrottleRule& rule, UnixSeconds now) {
  return now < r.last_failure_at + rule.window_seconds || now < r.blocked_until;
}

FailureRecord AfterFailure(const std::optional<FailureRecord>& prev, const ThrottleRule& rule,
                           UnixSeconds now) {
  FailureRecord next;
  next.failures = prev && IsLive(*prev, rule, now) ? prev->failures + 1 : 1;
  next.last_failure_at = now;
  next.blocked_until = now;
  std::int64_t over = next.failures - rule.free_failures;
  if (over > 0) {
    std::int64_t delay = rule.first_delay_seconds;
    for (std::int64_t i = 1; i < over && delay < rule.max_delay_seconds; ++i) delay *= 2;
    next.blocked_until = now + std::min(delay, rule.max_delay_seconds);
  }
  return next;
}

std::int64_t WaitSeconds(const FailureRecord& r, UnixSeconds now) {
  return std::max<std::int64_t>(0, r.blocked_until - now);
}

UnixSeconds ExpiresAt(const FailureRecord& r, const ThrottleRule& rule) {
  return std::max(r.last_failure_at + rule.window_seconds, r.blocked_until);
}

// Hashed so the table holds neither e-mails nor addresses; the prefix keeps the two kinds of
// subject apart.
std::string AccountSubject(std::string_view email_key) {
  return "a:" + security::TokenHash(email_key);
}

std::string AddressSubject(std::string_view address) { return "n:" + security::TokenHash(address); }

namespace {

std::optional<FailureRecord> ReadOne(soci::session& s, const std::string& subject) {
  FailureRecord r;
  long long failures = 0, last = 0, blocked = 0;
  if (!db::Query(s,
                 "SELECT failures, last_failure_at, blocked_until FROM login_failures WHERE "
                 "subject = :s")
           .Bind(subject)
           .One(failures, last, blocked)) {
    return std::nullopt;
  }
  r.failures = failures;
  r.last_failure_at = last;
  r.blocked_until = blocked;
  return r;
}

void CountFailure(soci::session& s, const std::string& subject, const ThrottleRule& rule,
                  UnixSeconds now) {
  // Take the row's lock first (inserting an empty record when there is none), so a concurrent
  // failure of the same subject waits here and then reads this one's count.
  db::Query(s,
            "INSERT INTO login_failures (subject, failures, last_failure_at, blocked_until, "
            "expires_at) VALUES (:s, 0, 0, 0, 0) ON CONFLICT (subject) DO UPDATE SET failures = "
            "login_failures.failures")
      .Bind(subject)
      .Run();
  FailureRecord next = AfterFailure(ReadOne(s, subject), rule, now);
  long long failures = next.failures, last = next.last_failure_at, blocked = next.blocked_until,
            expires = ExpiresAt(next, rule);
  db::Query(s,
            "UPDATE login_failures SET failures = :f, last_failure_at = :l, blocked_until = :b, "
            "expires_at = :e WHERE subject = :s")
      .Bind(failures)
      .Bind(last)
      .Bind(blocked)
      .Bind(expires)
      .Bind(subject)
      .Run();
}

}  // namespace

ThrottleCheck CheckThrottle(soci::session& s, const std::string& account_subject,
                            const std::string& address_subject, UnixSeconds now) {
  ThrottleCheck out;
  std::string address = address_subject.empty() ? account_subject : address_subject;
  std::string subject;
  long long failures = 0, last = 0, blocked = 0;
  db::Query(s,
            "SELECT subject, failures, last_failure_at, blocked_until FROM login_failures "
            "WHERE subject IN (:a, :n)")
      .Bind(account_subject)
      .Bind(address)
      .Each(
          [&] {
            FailureRecord r{failures, last, blocked};
            bool is_account = subject == account_subject;
            const ThrottleRule& rule = is_account ? kAccountRule : kAddressRule;
            if (!IsLive(r, rule, now)) return true;
            if (is_account) out.account_row = true;
            out.wait_seconds = std::max(out.wait_seconds, WaitSeconds(r, now));
            return true;
          },
          subject, failures, last, blocked);
  return out;
}

void RecordFailure(soci::session& s, const std::string& account_subject,
                   const std::string& address_subject, UnixSeconds now) {
  db::Query(s, "DELETE FROM login_failures WHERE expires_at <= :now").Bind(now).Run();
  CountFailure(s, account_subject, kAccountRule, now);
  if (!address_subject.empty()) CountFailure(s, address_subject, kAddressRule, now);
}

void ClearFailures(soci::session& s, const std::string& account_subject) {
  db::Query(s, "DELETE FROM login_failures WHERE subject = :s").Bind(account_subject).Run();
}

}  // namespace fw::orgs::internal
