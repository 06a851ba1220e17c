#pragma once
// Review: what happens to a submission after it is stored. Every submission gets an
// acceptance: `pending` until the project's approval window ends (then it is accepted
// automatically), or `in_review` with the hold that put it there (the project's policy
// samples it or reviews everything or every free-text answer; a failed gold check, work much
// faster than the project's median, or time over the project's cap). A qualified reviewer
// claims it, then accepts it, rejects it (quality or spam) or sends it back for rework; the
// expert revises within the project's lease time and the revision goes to the same reviewer
// first. The final decision is published as `Decided`, in its transaction, exactly once per
// submission.
//
// The rules, each enforced here and nowhere else:
// - Reviewers hold a current qualification with reviewer rights that counts for the
//   project's domain at its minimum level or higher (a project without a domain: any
//   reviewer); they never review their own submission and see a round of a submission once.
// - A claim holds a submission for kClaimSeconds; past it the submission goes back to the
//   queue. One open claim per submission.
// - A decision is taken once: a retried identical decision returns the stored one, a
//   different or concurrent one finds it decided (kConflict "already_decided").
// - Rework past its due time goes back to `in_review` with the answer it has, for a final
//   accept or reject (no further rework).
// - A second opinion (the policy's second_review_rate) is another reviewer's decision on an
//   already decided round; it decides nothing and feeds reviewer agreement.
//
// Thread safety: any thread; each call is one transaction or runs inside the caller's. The
// background pass runs on its own thread between Start() and Stop(). Owns a cache of each
// project's median active time (the speed flag; Guarded, an optimization only). Ownership:
// borrows the database, clock and services, which must outlive it.

#include <atomic>
#include <boost/json.hpp>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "base/caller.h"
#include "base/clock.h"
#include "base/error.h"
#include "base/guarded.h"
#include "db/database.h"
#include "db/events.h"
#include "experts/experts.h"
#include "projects/projects.h"
#include "work/work.h"

namespace fw::review {

enum class Outcome { kAccepted, kAutoAccepted, kRejectedQuality, kRejectedSpam };
// "accepted", "auto_accepted", "rejected_quality", "rejected_spam"
std::string_view OutcomeName(Outcome);

// The final decision on a submission, published in the decision's transaction exactly once per
// submission (a retried or concurrent decision publishes nothing): by a reviewer, or by the
// automatic acceptance after the approval window.
struct Decided {
  std::int64_t submission_id, assignment_id, org_id, project_id, expert_id;
  Outcome outcome;
  std::int64_t decided_by;       // user id; 0 for the automatic acceptance
  std::int64_t active_seconds;   // the submission's, plus its rework rounds'
  std::int64_t payable_seconds;  // active_seconds capped by the project's time cap unless a
                                 // reviewer approved the excess
  std::int64_t decided_at;
};

// A rework revision replaced a submission's answer (its current answer is the revision),
// published after the revision committed, once per stored revision (a replay publishes
// nothing). Readers that keep what they derived from answers (quality reports) read the
// project again.
struct AnswerRevised {
  std::int64_t submission_id, org_id, project_id;
  int round;
};

// Counters for /metrics, counted after the commit of what they count.
struct ReviewCounters {
  // Reviewers' final decisions by outcome (second opinions decide nothing and are not counted).
  std::atomic<long long> accepted{0};
  std::atomic<long long> rejected_quality{0};
  std::atomic<long long> rejected_spam{0};
  std::atomic<long long> rework{0};  // submissions a reviewer sent back for rework
  std::atomic<long long> auto_accepted{0};   // by the pass after the approval window
  std::atomic<long long> claims_expired{0};  // claims that ran out and were claimed again
};

inline constexpr std::int64_t kClaimSeconds = 30 * 60;
inline constexpr std::size_t kMaxCommentBytes = 10000;
inline constexpr int kMaxWindowDays = 60;

// What a project reviews. Defaults apply while the project has stored none.
struct Policy {
  std::string mode = "sample";     // "sample", "free_text" or "all"
  double rate_new = 0.5;           // experts with fewer than new_judgments judgments there
  double rate_low_accuracy = 0.5;  // gold accuracy below low_gold_accuracy
  double rate_trusted = 0.1;       // everyone else
  int new_judgments = 20;
  double low_gold_accuracy = 0.8;
  int approval_window_days = 7;    // 0..60
  double speed_flag_ratio = 0.25;  // 0 turns the speed flag off
  std::optional<std::int64_t> time_cap_seconds;
  double second_review_rate = 0;
  // The review form: what a reviewer scores (questions in the template's types; required ones
  // must be answered to accept or reject). nullptr: the template's rubric and rating questions,
  // each optional.
  std::shared_ptr<const projects::Template> form;
};

inline constexpr std::size_t kMaxFormQuestions = 30;

// The policy's JSON form, and a PUT body applied over `current` (absent members keep theirs).
// Errors: kUnprocessable, one detail per bad member with `field` the member ("mode",
// "sample.new", "time_cap_seconds", ...) and code "type", "not_an_option", "out_of_range" or
// "unknown_key"; a bad form names its part as a template's questions would be named, under
// "form" ("form.questions[1].max", code as ParseTemplate's), or "form.questions" "too_many".
boost::json::object PolicyJson(const Policy& p);
[[nodiscard]] Result<Policy> ApplyPolicy(Policy current, const boost::json::object& body);

// A review form's JSON: {"questions": [...]}, as a template writes its questions.
boost::json::object FormJson(const projects::Template& form);

// The form a reviewer scores a submission with: the policy's form, else the rubric and rating
// questions of the template it was answered with (each optional); nullptr when neither has a
// question.
[[nodiscard]] Result<std::shared_ptr<const projects::Template>> EffectiveForm(
    const std::shared_ptr<const projects::Template>& policy_form, const projects::Template& tmpl);

// One round of a reviewed submission as a reviewer sees it later.
struct Round {
  int round = 1;
  std::string outcome;  // "accept", "reject" or "rework"
  std::string comment;
  boost::json::value answer;  // the answer of that round
  std::int64_t decided_at = 0;
};

// A claimed review: the submission with what a reviewer needs to decide it.
struct Task {
  std::int64_t review_id = 0;
  std::int64_t submission_id = 0;
  std::int64_t project_id = 0;
  std::string project_name;
  int round = 1;
  std::string hold;  // why it is reviewed; "second_opinion" for a second reviewer's look
  std::int64_t item_id = 0;
  boost::json::value data;
  std::shared_ptr<const projects::Template> tmpl;
  int template_version = 1;
  std::shared_ptr<const std::string> guidelines;
  boost::json::value answer;
  std::int64_t active_seconds = 0;
  std::optional<std::int64_t> time_cap_seconds;
  std::shared_ptr<const projects::Template> form;  // what the reviewer scores (EffectiveForm)
  std::vector<Round> history;  // earlier rounds, oldest first
  std::int64_t claim_expires_at = 0;
};

struct ReviewProject {
  std::int64_t id = 0;
  std::string name, domain;
  int min_level = 0;
  std::int64_t waiting = 0;  // submissions the reviewer could claim now
};

// A reviewer's decision as the request states it.
struct Decision {
  std::string outcome;  // "accept", "reject" or "rework"
  std::string reason;   // "quality" or "spam" for a rejection; "" otherwise
  std::string comment;
  boost::json::value scores;  // null when none
  bool approve_over_cap = false;
};

struct DecisionResult {
  std::int64_t submission_id = 0;
  std::string status;   // the acceptance's status after the decision
  std::string outcome;  // the decision's outcome ("accept", "reject", "rework")
};

// One of an expert's submissions as the expert sees its review.
struct AnswerStatus {
  std::int64_t submission_id = 0, assignment_id = 0, project_id = 0;
  std::string project_name;
  std::string status;                    // pending, in_review, rework, accepted, rejected
  std::string outcome, reason, comment;  // "" when none
  std::int64_t submitted_at = 0;
  std::int64_t due_at = 0;  // pending: when it is accepted; rework: when the revision is due
  std::int64_t decided_at = 0;
  int round = 1;
};

struct AnswerPage {
  std::vector<AnswerStatus> answers;
  std::int64_t next_before = 0;  // 0: the last page
};

// A submission sent back to its expert.
struct ReworkTask {
  std::int64_t submission_id = 0, project_id = 0, item_id = 0;
  std::string project_name;
  boost::json::value data;
  std::shared_ptr<const projects::Template> tmpl;
  int template_version = 1;
  std::shared_ptr<const std::string> guidelines;
  boost::json::value answer;
  std::string comment;
  int round = 1;
  std::int64_t due_at = 0;
};

struct RevisionResult {
  std::int64_t submission_id = 0;
  int round = 1;
  std::string status;
};

struct ExpertSummary {
  std::int64_t expert_id = 0;
  std::int64_t accepted = 0, rejected = 0;
};

// What reviewers scored on one question of the review form (one criterion of a rubric):
// over the reviews that answered it, the mean (rating, number, points), the share passed
// (pass_fail) or the count per option (label, multi_label).
struct ScoreSummary {
  std::string question, criterion;  // criterion: "" unless a rubric's
  std::string title;
  std::string kind;  // "rating", "number", "points", "pass_fail", "label", "multi_label", "text",
                     // "ranking", "preference"
  std::int64_t answered = 0;
  std::optional<double> mean;       // rating, number, points; the share for pass_fail
  std::optional<double> min, max;   // rating's bounds; points: 0 and max_points
  std::vector<std::pair<std::string, std::int64_t>> counts;  // label, multi_label: per option
};

struct Summary {
  std::int64_t pending = 0, in_review = 0, rework = 0, accepted = 0, rejected = 0;
  std::vector<ExpertSummary> experts;  // by expert id
  std::int64_t pairs = 0, agreeing = 0;
  std::int64_t scored = 0;            // decided reviews with scores
  std::vector<ScoreSummary> scores;   // per question (criterion) of the effective form, in order
};

// What reviewers scored on each question (criterion) of `form`, in the form's order, over
// `scores` (each one reviewer's scores object). A value that does not fit its question (a form
// changed since) is left out. Pure.
std::vector<ScoreSummary> SummarizeScores(const projects::Template& form,
                                          const std::vector<boost::json::value>& scores);

// A project's median active time over its recent submissions, as the speed flag compares with it.
struct SpeedBase {
  std::int64_t at = 0;  // when it was read
  double median = 0;
  int count = 0;  // the submissions it rests on
};
inline constexpr std::int64_t kSpeedBaseSeconds = 60;

struct ReviewOptions {
  std::int64_t interval_seconds = 30;  // how often the background pass runs
  int batch = 500;                     // acceptances per write job of the pass
  std::uint64_t seed = 0x5eed;         // of the sampling hash
  int speed_window = 100;              // recent submissions the median is taken over
  int speed_min = 20;                  // submissions before the speed flag applies
};

class ReviewService {
 public:
  ReviewService(db::Database& db, const Clock& clock, projects::ProjectService& projects,
                experts::ExpertService& experts, ReviewOptions options = {});
  ~ReviewService();

  // The project's policy (the defaults when it stored none). Errors: kNotFound (no such
  // project in the caller's lab).
  [[nodiscard]] Result<Policy> GetPolicy(const Caller& lab, std::int64_t project_id);
  // Applies `body` (ApplyPolicy) over the project's policy and stores it; it governs
  // submissions stored from then on. Returns the policy. Errors: kNotFound, ApplyPolicy's.
  // A retry stores the same policy again.
  [[nodiscard]] Result<Policy> PutPolicy(const Caller& lab, std::int64_t project_id,
                                         const boost::json::object& body);

  // The in-transaction subscriber of work's "submission stored": creates the submission's
  // acceptance inside `s`. Errors: database failures (thrown, as any statement on `s`).
  [[nodiscard]] Status OnSubmissionStored(soci::session& s, const work::SubmissionStored& e);

  // The projects with submissions the reviewer may review, and how many wait. Errors:
  // database failures only.
  [[nodiscard]] Result<std::vector<ReviewProject>> Projects(const Caller& reviewer);

  // Claims the next submission to review (in `project_id` when given): the reviewer's open
  // claim there first, then rework revisions sent back to them, then the oldest waiting
  // submission, then second opinions. nullopt when none waits. Errors: kNotFound (no such
  // project), kPermissionDenied reason "not_qualified" (no reviewer rights for the project).
  [[nodiscard]] Result<std::optional<Task>> Next(const Caller& reviewer,
                                                 std::optional<std::int64_t> project_id);
  // The reviewer's open claims, oldest first.
  [[nodiscard]] Result<std::vector<Task>> Claims(const Caller& reviewer);

  // Decides the claimed round. Errors: kNotFound (not the reviewer's review); kUnprocessable
  // naming "outcome", "reason", "comment" or "scores" (a detail per scores member, as the
  // template's answer check, against the effective form; the form's required questions are
  // due when accepting or rejecting, not when sending back for rework); kConflict reason "claim_expired" (the claim ran out or was
  // released; nothing stored), "already_decided" (another decision came first, or this
  // review was decided otherwise), "rework_not_allowed" (the last round after a missed
  // rework). A retry of the same decision returns the stored result and publishes nothing.
  [[nodiscard]] Result<DecisionResult> Decide(const Caller& reviewer, std::int64_t review_id,
                                              const Decision& d);
  // Gives a claim back: the submission returns to the queue; the reviewer does not see this
  // round again. Errors: kNotFound; kConflict "already_decided". A retry does nothing.
  [[nodiscard]] Status Release(const Caller& reviewer, std::int64_t review_id);

  // The expert's submissions with their review state, newest first: at most `limit` with a
  // submission id below `before` (0: from the newest), of `status` when given.
  [[nodiscard]] Result<AnswerPage> MyAnswers(const Caller& expert,
                                             const std::optional<std::string>& status, int limit,
                                             std::int64_t before);
  // The expert's submissions sent back for rework, the soonest due first.
  [[nodiscard]] Result<std::vector<ReworkTask>> Rework(const Caller& expert);
  // Stores a revision of a submission in rework as its next round (the submission's answer
  // becomes the revision; earlier rounds are kept) and sends it back to review.
  // `active_seconds` (none: 0) counts at most the time since the rework began. Errors:
  // kInvalidArgument naming "idempotency_key" (missing or over 128); kNotFound (not the
  // expert's submission); kUnprocessable (the answer breaks the template, a detail per
  // question); kConflict "rework_expired" (past its due time: it went back to review with the
  // answer it had), "not_in_rework", "idempotency_key_conflict" (the key stored another
  // answer). A retry with the same key and answer returns the first result.
  [[nodiscard]] Result<RevisionResult> Revise(const Caller& expert, std::int64_t submission_id,
                                              const boost::json::value& answer, std::string key,
                                              std::optional<std::int64_t> active_seconds);

  // The project's review figures for its lab: counts, acceptance per expert, agreement, and
  // what reviewers scored on each question of the project's effective form (the current
  // template's). Errors: kNotFound.
  [[nodiscard]] Result<Summary> SummaryOf(const Caller& lab, std::int64_t project_id);

  // One background pass: rework past its due time goes back to review; pending acceptances
  // past their due time are accepted (Decided published in each write job, `batch` per job).
  // Returns how many it accepted. Errors: database failures (the next pass tries again).
  [[nodiscard]] Result<int> RunPass();

  // Starts the background pass every interval_seconds; Stop() is idempotent and joins it.
  void Start();
  void Stop();

  // "Decided": the final decision on each submission. Subscribe while wiring.
  db::Topic<Decided>& decided() { return decided_; }
  // "Answer revised": each stored rework revision, after its commit (after-commit
  // subscribers only). Subscribe while wiring.
  db::Topic<AnswerRevised>& answer_revised() { return answer_revised_; }

  const ReviewCounters& counters() const { return counters_; }

 private:
  struct Row;
  Result<Task> LoadTask(soci::session& s, std::int64_t review_id);
  Result<bool> MayReview(soci::session& s, std::int64_t reviewer_id, std::int64_t project_id);
  // Whether the submission's active time is below the policy's share of the project's median
  // over its recent submissions (once there are speed_min of them).
  bool TooFast(soci::session& s, const Policy& p, const work::Submission& sub);
  Result<int> AcceptDue(std::int64_t now);
  void Loop();

  db::Database& db_;
  const Clock& clock_;
  projects::ProjectService& projects_;
  experts::ExpertService& experts_;
  ReviewOptions options_;
  db::Topic<Decided> decided_;
  db::Topic<AnswerRevised> answer_revised_;
  ReviewCounters counters_;
  Guarded<std::map<std::int64_t, SpeedBase>> speed_;  // by project: a cache, read again when old
  std::mutex mu_;                                     // guards stopping_
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace fw::review
