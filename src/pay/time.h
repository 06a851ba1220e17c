#pragma once
// Active time as the expert is paid for it: the seconds credited to each assignment per UTC
// day (the work room's "active time counted", recorded inside its transaction), the expert's
// timesheet, and disputes of an assignment's time.
//
// The rules, each enforced here and nowhere else:
// - An entry is one assignment's credited seconds on one UTC day; seconds credited across
//   midnight are split between the two days. What was credited is never edited.
// - An expert disputes the time of one of their finished assignments (submitted, skipped,
//   expired or ended early) with a comment and the seconds they claim in all: more than was
//   credited, and no more than the assignment's wall time (lease to end). One open dispute per
//   assignment; a resolved one may be followed by a new one.
// - An operator resolves an open dispute once: rejected with a comment, or accepted with the
//   seconds allowed (more than credited, at most what was claimed; by default the claim). An
//   accepted dispute pays the difference through the award poster (the ledger, in the same
//   transaction): when it fails, nothing of the resolution is stored.
//
// Thread safety: any thread; each call is one transaction, or runs inside the caller's.
// Ownership: borrows the database and the clock, which must outlive it.

#include <soci/soci.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/caller.h"
#include "base/clock.h"
#include "base/error.h"
#include "db/database.h"
#include "pay/pay.h"
#include "work/work.h"

namespace fw::pay {

inline constexpr std::int64_t kSecondsPerDay = 86400;
// The most days one timesheet request covers.
inline constexpr int kMaxTimesheetDays = 92;
inline constexpr std::size_t kMaxDisputeCommentBytes = 2000;
// The most disputes one list returns.
inline constexpr int kMaxDisputesListed = 500;

// The first second of the UTC day `t` falls in.
constexpr std::int64_t DayOf(std::int64_t t) {
  return (t >= 0 ? t : t - (kSecondsPerDay - 1)) / kSecondsPerDay * kSecondsPerDay;
}

// One assignment's credited seconds on one UTC day.
struct TimeEntry {
  std::int64_t assignment_id = 0;
  std::int64_t project_id = 0;
  std::string project_name;
  std::int64_t day = 0;  // the day's first second (UTC)
  std::int64_t seconds = 0;
  std::string state;           // the assignment's: active, submitted, skipped, expired, revoked
  std::string dispute_status;  // the latest dispute's status, "" when none
};

// An expert's timesheet: the days from `from` to `to` (both included, each a day's first
// second), and the entries of those days.
struct Timesheet {
  std::int64_t from = 0;
  std::int64_t to = 0;
  std::vector<TimeEntry> entries;
};

enum class DisputeStatus { kOpen, kAccepted, kRejected };
std::string_view DisputeStatusName(DisputeStatus s);
// False when `name` names no status.
bool ParseDisputeStatus(std::string_view name, DisputeStatus* out);

struct Dispute {
  std::int64_t id = 0;
  std::int64_t org_id = 0;
  std::int64_t project_id = 0;
  std::int64_t assignment_id = 0;
  std::int64_t expert_id = 0;
  std::string project_name;
  std::string org_name;      // filled for operators' lists
  std::string expert_email;  // filled for operators' lists
  std::string expert_name;   // filled for operators' lists
  std::int64_t credited_seconds = 0;  // what the assignment was credited when disputed
  std::int64_t claimed_seconds = 0;   // what the expert claims in all
  std::string comment;
  DisputeStatus status = DisputeStatus::kOpen;
  std::optional<std::int64_t> allowed_seconds;  // accepted only
  std::string resolution;                       // the operator's comment
  std::int64_t resolved_by = 0;                 // 0 while open
  std::int64_t resolved_at = 0;                 // 0 while open
  std::optional<std::int64_t> transaction_id;   // the ledger transaction that paid it
  std::int64_t created_at = 0;
};

// What an accepted dispute pays: `extra_seconds` (allowed minus credited) of the dispute's
// assignment, decided by `resolver` at `at`.
struct DisputeAward {
  const Dispute* dispute = nullptr;
  std::int64_t extra_seconds = 0;
  std::int64_t resolver = 0;
  std::int64_t at = 0;
};

// Posts an award inside the resolution's transaction; returns the ledger transaction's id
// (nullopt when it paid nothing, such as no rate for the project). Its error fails the
// resolution.
using AwardPoster =
    std::function<Result<std::optional<std::int64_t>>(soci::session& s, const DisputeAward&)>;

// What pays an accepted dispute through the ledger: the allowed seconds beyond those credited
// at the project's hourly rate (PayService::Rates; half up, base/money.h), credited to the
// expert and borne by the platform (the lab's charges are not changed), as an "adjustment"
// with reference "dispute:<id>", the resolver as author and the dispute's comment and
// resolution as its reason. Nothing is paid at a rate of 0. `pay` must outlive the poster.
AwardPoster PayFromLedger(PayService& pay);

class TimeService {
 public:
  TimeService(db::Database& db, const Clock& clock);

  // Sets what pays an accepted dispute. Set while wiring, before the service is used; without
  // one, an accepted dispute is recorded and pays nothing.
  void SetAwardPoster(AwardPoster poster) { award_ = std::move(poster); }

  // For the work room's "active time counted", inside its transaction: adds the seconds to
  // the assignment's entries of the UTC days they fall in. Errors: database failures only.
  [[nodiscard]] Status Record(soci::session& s, const work::ActiveTimeCounted& e);

  // The expert's entries of the UTC days from `from` to `to` (both included; any second of
  // the day; by default the 14 days up to today), newest day first, then by project and
  // assignment. Errors: kInvalidArgument naming "to" (before `from`) or "from" (more than
  // kMaxTimesheetDays days).
  [[nodiscard]] Result<Timesheet> TimesheetOf(const Caller& expert,
                                              std::optional<std::int64_t> from,
                                              std::optional<std::int64_t> to);

  // Opens a dispute of the time of the expert's assignment (see the rules above).
  // Errors: kNotFound naming "assignment_id" (not the caller's), kConflict reason
  // "assignment_active" (still running) or "dispute_open" (one is open), kInvalidArgument
  // naming "comment" (code "required", "too_long") or "seconds" (code "not_more": not more
  // than credited; "over_wall_time": more than the assignment lasted).
  [[nodiscard]] Result<Dispute> Open(const Caller& expert, std::int64_t assignment_id,
                                     std::int64_t claimed_seconds, std::string comment);

  // The expert's disputes, newest first.
  [[nodiscard]] Result<std::vector<Dispute>> Mine(const Caller& expert);

  // Every lab's disputes for operators, with the expert and the lab; `status` filters (none:
  // all); open ones oldest first (the order to work through them), others newest first.
  [[nodiscard]] Result<std::vector<Dispute>> List(std::optional<DisputeStatus> status);

  // Resolves an open dispute (see the rules above). Errors: kNotFound (no such dispute),
  // kConflict reason "already_resolved", kInvalidArgument naming "comment" ("required" to
  // reject, "too_long") or "seconds" ("out_of_range": not above credited or above claimed),
  // the award poster's error.
  [[nodiscard]] Result<Dispute> Resolve(const Caller& op, std::int64_t dispute_id, bool accept,
                                        std::optional<std::int64_t> allowed_seconds,
                                        std::string comment);

 private:
  Result<Dispute> Load(std::int64_t dispute_id);

  db::Database& db_;
  const Clock& clock_;
  AwardPoster award_;
};

}  // namespace fw::pay
