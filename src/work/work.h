#pragma once
// The work loop: routing an item to an eligible expert under a lease, heartbeats that extend
// the lease and count active time, drafts of an answer saved while the lease runs, skips, and
// idempotent durable submissions, which it publishes ("submission stored") to whoever
// subscribed. A draft lives only as long as its lease: whatever ends the assignment deletes it
// in the same transaction.
//
// All routing state lives in the database (the item pool, projects/pool.h; assignments; the
// unique (item_id, expert_id) pair), so several server nodes can share it; every decision
// is made inside one write transaction. Expired leases are reclaimed inside the next `Next`
// transaction (the item goes back to the pool; the expert never gets it again). Who may work
// on what is the experts room's to say (experts::Eligibility); this room only asks.
//
// A lease also ends early when its grounds go (docs/api.md, "When a lease ends early"): the
// expert no longer meets a requirement whose loss ends leases (experts::LeaseLapsed: a revoked
// or lowered qualification, an archived project), or the account is deactivated. The
// assignment is then marked `revoked`, its item goes back to the pool exactly as on expiry,
// and a later heartbeat, skip or submit answers kConflict "lease_revoked" and stores nothing.
// The rooms that change those grounds call EndIneligibleLeases and EndProjectLeases inside the
// transaction that changes them, and EndLeasesOf right after a deactivation commits (wired by
// the app); heartbeat, skip and submit re-check the grounds in theirs, so a lease that slipped
// past (a `Next` racing a revocation) ends at its next call. A paused project or a quality
// gate is not a lost ground: running leases finish.
//
// Thread safety: any thread. Owns only counters and a random source for the gold mix.

#include <atomic>
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "base/caller.h"
#include "base/clock.h"
#include "base/error.h"
#include "db/database.h"
#include "db/events.h"
#include "experts/eligibility.h"
#include "projects/projects.h"

namespace fw::work {

// kRevoked: ended early because its grounds went (see above); the item went back to the pool.
enum class AssignmentState { kActive, kSubmitted, kSkipped, kExpired, kRevoked };
std::string_view AssignmentStateName(AssignmentState s);
// The state named `name` ("active", "submitted", ...); false when none is.
bool ParseAssignmentState(std::string_view name, AssignmentState* out);

struct Assignment {
  std::int64_t id = 0;
  std::int64_t project_id = 0;
  std::int64_t item_id = 0;
  boost::json::value data;  // the item's fields
  int template_version = 1;
  std::shared_ptr<const projects::Template> tmpl;
  std::shared_ptr<const std::string> guidelines;  // of template_version
  std::int64_t leased_at = 0;
  std::int64_t lease_expires_at = 0;
  std::int64_t active_seconds = 0;
  AssignmentState state = AssignmentState::kActive;
  // Finished assignments only: when it ended, why it was skipped, what was submitted.
  std::int64_t finished_at = 0;
  std::string skip_reason;
  boost::json::value answer;  // null unless submitted
  // Active assignments only: the expert's saved draft (null when none) and when it was saved
  // (0 when none).
  boost::json::value draft;
  std::int64_t draft_saved_at = 0;
};

// The most a draft may take, as JSON text.
inline constexpr std::size_t kMaxDraftBytes = 256 * 1024;

// One page of an expert's finished assignments, newest first; next_before is the `before` of
// the next page (0: this was the last).
struct AssignmentPage {
  std::vector<Assignment> assignments;
  std::int64_t next_before = 0;
};

struct Submission {
  std::int64_t id = 0;
  std::int64_t assignment_id = 0;
  std::int64_t item_id = 0;
  std::int64_t project_id = 0;
  boost::json::value answer;
  int template_version = 1;
  std::int64_t active_seconds = 0;
  std::int64_t submitted_at = 0;
  bool replayed = false;  // true when this is the stored result of an earlier identical request
};

// The event a newly stored submission publishes (never a replayed retry): the submission as
// stored, with what its subscribers need to act on it without reading it again.
struct SubmissionStored {
  Submission submission;
  std::int64_t org_id = 0;
  std::int64_t expert_id = 0;
  bool is_gold = false;
  std::optional<bool> gold_correct;  // for a gold item with a gold answer
};

struct SubmissionRow;  // a stored submission row (work.cc)

// "Lease started": published inside Next's write transaction once the assignment row is in
// (in-transaction subscribers only). A subscriber that refuses with kConflict reason
// "budget_exhausted" (a budget the lease would overrun) makes Next leave that project: the
// assignment is not made, and Next tries the expert's next project, or answers that error
// when the expert asked for this one.
struct LeaseStarted {
  std::int64_t assignment_id = 0;
  std::int64_t project_id = 0;
  std::int64_t org_id = 0;
  std::int64_t item_id = 0;
  std::int64_t expert_id = 0;
  bool is_gold = false;
  std::int64_t at = 0;
};

// "Lease ended": published inside the transaction that ends an active lease without a
// submission — a skip, an expiry or an early end (state kSkipped, kExpired or kRevoked). A
// submission ends its lease with SubmissionStored instead.
struct LeaseEnded {
  std::int64_t assignment_id = 0;
  std::int64_t project_id = 0;
  std::int64_t org_id = 0;
  std::int64_t expert_id = 0;
  AssignmentState state = AssignmentState::kExpired;
  std::int64_t at = 0;
};

// "Active time counted": published inside the transaction of a heartbeat or a submit that
// credited active time to an assignment (seconds > 0), after the deduplication across the
// expert's tabs and devices (see WorkService::Heartbeat): `seconds` credited, ending at `at`.
struct ActiveTimeCounted {
  std::int64_t assignment_id = 0;
  std::int64_t project_id = 0;
  std::int64_t org_id = 0;
  std::int64_t expert_id = 0;
  std::int64_t seconds = 0;
  std::int64_t at = 0;
};

struct HeartbeatResult {
  std::int64_t lease_expires_at = 0;
  std::int64_t active_seconds = 0;
};

struct WorkProject {
  std::int64_t id = 0;
  std::string name;
  std::string domain;
  int min_level = 0;
  std::int64_t open_items = 0;
  int template_version = 1;  // the current one
  std::string guidelines;    // the current version's
  int terms_version = 0;     // 0: the project has no terms
};

// A project the expert could unlock, with what it still asks of them (experts::Unmet, each
// Unlockable), in the order eligibility checks them.
struct LockedProject {
  WorkProject project;
  std::vector<experts::Unmet> unmet;
};

struct WorkOptions {
  std::int64_t heartbeat_cap_seconds = 120;  // most active time one heartbeat may add
  std::uint64_t seed = 0;                    // 0: seeded from the system
  int reclaim_batch = 200;                   // expired leases reclaimed per Next
};

// Counters for /metrics.
struct WorkCounters {
  std::atomic<long long> tasks_served{0};
  std::atomic<long long> no_task{0};
  std::atomic<long long> submissions{0};
  std::atomic<long long> submissions_replayed{0};
  std::atomic<long long> leases_expired{0};
  std::atomic<long long> leases_revoked{0};
  std::atomic<long long> skips{0};
};

class WorkService {
 public:
  // Borrows everything; all must outlive the service.
  WorkService(db::Database& db, const Clock& clock, projects::ProjectService& projects,
              experts::Eligibility& eligibility, WorkOptions options);

  // Leases the next item to the expert: from `project_id` when given, else from any project
  // the expert is eligible for (experts::Eligibility). Returns nullopt when there is no work,
  // which includes a project whose adaptive redundancy gate turned the expert away.
  // Errors: kNotFound (no such project), and the unmet requirement's error (Unmet::ToError):
  // kPermissionDenied reason "not_qualified" (the expert lacks the project's domain or level;
  // the message names them), kConflict reason "project_inactive" (paused or archived
  // project); kUnavailable (retry).
  [[nodiscard]] Result<std::optional<Assignment>> Next(const Caller& expert,
                                                       std::optional<std::int64_t> project_id);

  // Extends the lease and adds active time: `reported_active_seconds` since the last
  // heartbeat, capped by the wall-clock time since then, by heartbeat_cap_seconds, and by the
  // wall-clock time since the expert was last credited on any assignment — so time is never
  // counted twice across tabs or devices, and an expert's credited time never exceeds wall
  // time. Works on a paused project: running leases finish.
  // Errors: kNotFound (not the caller's assignment), kConflict reason "lease_expired" (the
  // item went back to the pool), "lease_revoked" (the lease ended early: the expert no longer
  // qualifies for the project or it was archived; found so now, the lease is ended in this
  // call and the item goes back to the pool), "already_submitted" or "skipped".
  [[nodiscard]] Result<HeartbeatResult> Heartbeat(
      const Caller& expert, std::int64_t assignment_id,
      std::optional<std::int64_t> reported_active_seconds);

  // Gives the item back; the expert will not get it again. Errors: as Heartbeat, and
  // kInvalidArgument when `reason` is longer than 2000 characters.
  [[nodiscard]] Status Skip(const Caller& expert, std::int64_t assignment_id, std::string reason);

  // Validates the answer against the template version the assignment was leased with and
  // stores it, durably, before returning; publishes "submission stored" inside the write
  // transaction and after its commit. A retry with the same idempotency key and a JSON-equal
  // answer (member order and number notation aside) returns the first stored submission
  // (replayed = true) and writes nothing, even after the lease ended. Works on a paused project.
  // Errors: kInvalidArgument (key missing or longer than 128), kUnprocessable (answer breaks
  // the template; one detail per failing question), kNotFound, kConflict reason
  // "lease_expired", "lease_revoked" (as Heartbeat; nothing is stored), "already_submitted",
  // "skipped", "idempotency_key_reused" (the key was used for another assignment) or
  // "idempotency_key_conflict" (the key was used for a different answer; the first stays);
  // an in-transaction subscriber's error (nothing is stored).
  [[nodiscard]] Result<Submission> Submit(const Caller& expert, std::int64_t assignment_id,
                                          const boost::json::value& answer,
                                          std::string idempotency_key);

  // Saves `answer`, a partial answer not checked against the template, as the draft of the
  // expert's active assignment, replacing the one saved before (the last save wins). Returns
  // when it was saved. It neither extends the lease nor adds active time (heartbeats do).
  // Errors: kInvalidArgument naming "answer" (code "type": not a JSON object; "too_long":
  // over kMaxDraftBytes as JSON), kNotFound (not the caller's assignment), kConflict with the
  // reasons of Heartbeat (a lapsed lease is ended in this call, as there); on an error nothing
  // is stored. A retry saves the same draft again.
  [[nodiscard]] Result<std::int64_t> SaveDraft(const Caller& expert, std::int64_t assignment_id,
                                               const boost::json::value& answer);

  // Discards the draft of the expert's assignment, in whatever state it is (a finished
  // assignment has none left). A retry discards nothing. Errors: kNotFound (not the caller's
  // assignment).
  [[nodiscard]] Status DiscardDraft(const Caller& expert, std::int64_t assignment_id);

  // The expert's active assignments, each with its draft.
  [[nodiscard]] Result<std::vector<Assignment>> ActiveAssignments(const Caller& expert);
  // The expert's assignments that ended in `state` (not kActive), newest first: at most
  // `limit` with an id below `before` (0: from the newest), each with its item, template and,
  // when submitted, the answer. Errors: database failures only.
  [[nodiscard]] Result<AssignmentPage> FinishedAssignments(const Caller& expert,
                                                           AssignmentState state, int limit,
                                                           std::int64_t before);

  // The projects the expert is eligible for, with their open item
  // counts. A count may be up to kOpenCountSeconds old: counting a project's open items scans
  // its open-item index (about 125 ms on a million items), too much for every visit of the
  // expert's project list.
  [[nodiscard]] Result<std::vector<WorkProject>> Projects(const Caller& expert);

  // The active projects the expert could unlock (experts::Eligibility::LockedProjects), with
  // open item counts as Projects gives them. Errors: database failures only.
  [[nodiscard]] Result<std::vector<LockedProject>> Locked(const Caller& expert);

  // Ends, inside the caller's transaction `s`, every active lease of the expert whose grounds
  // `standing` (the expert's standing as it now is) no longer gives (experts::LeaseLapsed):
  // marked `revoked`, the item back in the pool. Other leases run on. For the experts room,
  // which calls it in the transaction that revokes or lowers a qualification. Returns how many
  // leases ended; a retry ends none. Errors: database failures only (the caller's transaction
  // then fails).
  [[nodiscard]] Result<int> EndIneligibleLeases(soci::session& s,
                                                const experts::Standing& standing);

  // Ends every active lease of the user, as a deactivated account's: marked `revoked`, the
  // items back in the pool. The first form runs its own transaction; the second runs inside
  // the caller's `s` (the transaction that deactivates the account). Returns how many ended;
  // a retry ends none. Errors: kUnavailable (retry), database failures.
  [[nodiscard]] Result<int> EndLeasesOf(std::int64_t user_id);
  [[nodiscard]] Result<int> EndLeasesOf(soci::session& s, std::int64_t user_id);

  // Ends every active lease on the project, inside the caller's transaction `s` (the one that
  // archives it): marked `revoked`, the items back in the pool. Returns how many ended.
  // Errors: database failures only.
  [[nodiscard]] Result<int> EndProjectLeases(soci::session& s, std::int64_t project_id);

  const WorkCounters& counters() const { return counters_; }

  // "Submission stored": published for each newly stored submission, in its transaction and
  // after its commit (db::Topic). Subscribe while wiring, before the service is used.
  db::Topic<SubmissionStored>& submission_stored() { return submission_stored_; }
  // "Lease started", "lease ended" and "active time counted" (in-transaction subscribers).
  db::Topic<LeaseStarted>& lease_started() { return lease_started_; }
  db::Topic<LeaseEnded>& lease_ended() { return lease_ended_; }
  db::Topic<ActiveTimeCounted>& active_time_counted() { return active_time_counted_; }

 private:
  // A candidate project as the expert's list shows it, read inside `s`.
  WorkProject Describe(soci::session& s, const projects::Requirements& c, std::int64_t expert_id,
                       std::int64_t now);
  struct SubmitPlan;
  struct SubmitOutcome;
  // The steps of Submit: read what the answer is checked against (or the prior submission
  // under the key), answer a retry, and store a new submission inside the write transaction.
  Result<SubmitPlan> PlanSubmit(long long expert_id, std::int64_t assignment_id,
                                const std::string& key);
  Result<Submission> Replay(const SubmissionRow& prior, std::int64_t assignment_id,
                            const boost::json::value& answer);
  Result<SubmitOutcome> StoreSubmission(soci::session& s, long long expert_id,
                                        std::int64_t assignment_id,
                                        const boost::json::value& answer, const std::string& key,
                                        const experts::Standing& standing, long long now);

  // The projects `Next` may lease from, in order: the one asked for, or every eligible one.
  Result<std::vector<projects::Requirements>> Candidates(const Caller& expert,
                                                         std::optional<std::int64_t> project_id);

  db::Database& db_;
  const Clock& clock_;
  projects::ProjectService& projects_;
  experts::Eligibility& eligibility_;
  WorkOptions options_;
  static constexpr std::int64_t kOpenCountSeconds = 10;
  std::mutex open_counts_mu_;  // guards open_counts_
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>>
      open_counts_;    // project -> (at, count)
  std::mutex rng_mu_;  // guards rng_
  std::mt19937_64 rng_;
  WorkCounters counters_;
  db::Topic<SubmissionStored> submission_stored_;
  db::Topic<LeaseStarted> lease_started_;
  db::Topic<LeaseEnded> lease_ended_;
  db::Topic<ActiveTimeCounted> active_time_counted_;
};

}  // namespace fw::work
