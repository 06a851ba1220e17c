#pragma once
// Standing: how an expert is doing on one project — the submissions they made there, their
// gold checks and the quality engine's skill estimate — and whether it paused them there.
//
// The rules, each enforced here and nowhere else:
// - Every stored submission counts one judgment; a gold item with a gold answer also counts
//   one gold check, correct or not. Counting runs inside the submission's own transaction.
// - A project may set a minimum gold accuracy, a minimum skill (both in [0,1]) and the
//   judgments needed before either applies (`standing_min_judgments`). The window of a
//   standing starts at `since`: gold checks and the skill estimate count from there, and a
//   reinstatement starts a new window.
// - Gold: once the window holds at least `standing_min_judgments` gold checks and the share
//   correct is below the project's minimum, the expert is paused on the project.
// - Skill: once the expert made at least `standing_min_judgments` submissions in the window
//   and the estimate of the last report pass is below the project's minimum, the expert is
//   paused on the project. (The estimate rests on all of the expert's answers on the project;
//   the window gives a reinstated expert that many new judgments before it counts again.)
// - A pause records its reason for the expert, in words, and a `standing_changes` row with no
//   user (the automatic pause). A paused expert stays paused until an operator reinstates
//   them with a reason, which starts a new window (gold checks and skill cleared) and records
//   a `standing_changes` row naming the operator.
// - Whether a paused expert may take work is the eligibility rule's to say
//   (experts/eligibility.h reads `expert_standings.paused`); this service only records it.
//
// Thread safety: any thread; each call is one transaction, or runs inside the caller's.
// Ownership: borrows the database, the expert service and the tenancy, which must outlive it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/caller.h"
#include "base/clock.h"
#include "base/error.h"
#include "db/database.h"
#include "experts/credentials.h"
#include "experts/experts.h"
#include "tenancy/tenancy.h"

namespace fw::experts {

inline constexpr std::size_t kMaxStandingReasonBytes = 2000;
// The most standings the operator's list returns.
inline constexpr int kMaxStandingsListed = 500;

// One expert's standing on one project.
struct ExpertStanding {
  std::int64_t project_id = 0;
  std::int64_t expert_id = 0;
  std::int64_t org_id = 0;
  std::string project_name;
  std::string org_name;           // filled for operators' lists
  std::string expert_email;       // filled for operators' lists
  std::string expert_name;        // filled for operators' lists
  std::int64_t judgments = 0;     // every submission on the project, since it began
  std::int64_t gold_total = 0;    // gold checks in the window
  std::int64_t gold_correct = 0;  // of which correct
  std::optional<double> skill;    // the last estimate in the window; none yet
  bool paused = false;
  std::string reason;          // why it is paused, for the expert; "" when it is not
  UnixSeconds since = 0;       // the window's start
  UnixSeconds changed_at = 0;  // when it was last paused or reinstated, or began
  std::int64_t reviews = 0;           // submissions a reviewer decided, since it began
  std::int64_t reviews_accepted = 0;  // of which accepted

  // gold_correct / gold_total; none without gold checks.
  std::optional<double> GoldAccuracy() const;
};

// A project's standing thresholds (projects.min_gold_accuracy, min_skill,
// standing_min_judgments).
struct StandingThresholds {
  std::optional<double> min_gold_accuracy;
  std::optional<double> min_skill;
  int min_judgments = 10;
};

// Why `s` (with the project's `t`) pauses the expert on gold accuracy, as the sentence shown
// to the expert; nullopt when it does not. Pure.
std::optional<std::string> GoldPauseReason(const ExpertStanding& s, const StandingThresholds& t);

// Why a skill estimate of `skill` pauses an expert with `window_judgments` submissions in the
// window; nullopt when it does not. Pure.
std::optional<std::string> SkillPauseReason(double skill, std::int64_t window_judgments,
                                            const StandingThresholds& t);

// A skill estimate of the quality engine for one expert on a project.
struct SkillEstimate {
  std::int64_t expert_id = 0;
  double skill = 0;    // in [0,1]
  double answers = 0;  // the answers the estimate rests on
};

// One expert of a project's workforce.
struct WorkforceMember {
  std::int64_t expert_id = 0;
  std::optional<Qualification> qualification;  // the best that counts for the project's domain
  std::vector<CredentialSummary> credentials;  // verified and unexpired
  ExpertStanding standing;                     // zero counts when they have none yet
};

// How many experts of a workforce hold a level (none: no qualification for the domain).
struct LevelCount {
  std::optional<int> level;
  int experts = 0;
};

struct Workforce {
  std::string domain;  // the project's; "" when any expert may work on it
  std::vector<WorkforceMember> experts;
  std::vector<LevelCount> mix;  // the highest level first, the unqualified last
};

class StandingService {
 public:
  // Judges time by the expert service's clock.
  StandingService(db::Database& db, ExpertService& experts, const tenancy::Tenancy& tenancy);

  // Counts one stored submission of `expert_id` on `project_id` (of lab `org_id`) inside the
  // caller's transaction `s`, and a gold check when `gold_correct` is set; then pauses the
  // expert when the gold rule says so. The first count on a project starts the standing with
  // what the store already holds of the expert's submissions there (the current one included).
  // Errors: database failures only, thrown as SOCI's exceptions like any statement on `s`
  // (the caller's transaction then fails). Each call counts once: the caller calls it once
  // per stored submission (an idempotent replay stores nothing, so it is not counted).
  void RecordSubmission(soci::session& s, std::int64_t org_id, std::int64_t project_id,
                        std::int64_t expert_id, std::optional<bool> gold_correct);

  // Counts a reviewer's final decision on one of the expert's submissions on the project (of
  // lab `org_id`) inside the caller's transaction `s`: one review, and one accepted when
  // `accepted`. Starts the standing as RecordSubmission would when there is none. Errors:
  // database failures only, thrown as SOCI's exceptions. The caller calls it once per decision.
  void RecordReview(soci::session& s, std::int64_t org_id, std::int64_t project_id,
                    std::int64_t expert_id, bool accepted);

  // Records the skill estimates of one report pass over `project_id` in one transaction and
  // pauses the experts the skill rule says so. An estimate resting on no answers is ignored;
  // one of an expert without a standing starts it as RecordSubmission would. Returns how many
  // experts it paused. Errors: database failures only (nothing recorded; the next pass
  // records its own estimates).
  [[nodiscard]] Result<int> RecordSkills(std::int64_t project_id,
                                         const std::vector<SkillEstimate>& estimates);

  // An operator reinstates a paused expert on a project: not paused, a new window from now
  // (gold checks and skill cleared), and a `standing_changes` row with the reason and the
  // operator. Returns the standing. Errors: kUnprocessable naming "reason" (code "required"
  // when blank, "too_long" over kMaxStandingReasonBytes); kNotFound (no standing of that expert
  // on that project); kConflict reason "not_paused". A retry after success is kConflict
  // "not_paused".
  [[nodiscard]] Result<ExpertStanding> Reinstate(const Caller& op, std::int64_t expert_id,
                                                 std::int64_t project_id, std::string_view reason);

  // The caller's standings (an expert's own), paused ones first, then by project name.
  // Errors: database failures only.
  [[nodiscard]] Result<std::vector<ExpertStanding>> Mine(const Caller& expert);

  // Every standing (operators), with the lab and the expert, the last changed first; only the
  // paused ones when `paused_only`. Errors: database failures only.
  [[nodiscard]] Result<std::vector<ExpertStanding>> List(bool paused_only);

  // One expert's standing on one project. Errors: kNotFound.
  [[nodiscard]] Result<ExpertStanding> Get(std::int64_t expert_id, std::int64_t project_id);

  // The project's workforce for its lab: everyone with a standing there (who submitted work)
  // or an active lease, each with their standing, their best qualification that counts for the
  // project's domain and the summaries of their verified credentials, by expert id; and the
  // qualification mix. One read snapshot. Errors: kNotFound (no such project in the caller's
  // lab).
  [[nodiscard]] Result<Workforce> WorkforceOf(const Caller& lab, std::int64_t project_id);

  const Clock& clock() const { return clock_; }

 private:
  db::Database& db_;
  ExpertService& experts_;
  const Clock& clock_;
  const tenancy::Tenancy& tenancy_;
};

}  // namespace fw::experts
