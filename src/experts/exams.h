#pragma once
// Qualification exams: a bank of questions per domain and level, experts' timed attempts at
// it, grading (against gold at the submit, or by a reviewer), and the qualification a pass
// grants.
//
// The rules, each enforced here and nowhere else:
// - A bank is a draft until the operator activates it; experts see active banks only. An
//   active bank needs at least `draw_count` active (unretired) questions.
// - An attempt draws `draw_count` of the bank's active questions at random, in random order.
//   When the bank has more questions than it draws, the set drawn differs from the expert's
//   previous attempt's; when it has exactly as many, the order differs (two or more).
// - One attempt per exam runs at a time: starting again returns it. A start is refused while
//   an attempt awaits grading (kConflict "grading") and inside the retake cool-down
//   (kConflict "cooldown", naming when a retake is allowed): `cooldown_seconds` from the
//   previous attempt's end (its submit, or its deadline when it expired).
// - The server's clock is the only clock. An attempt's deadline is its start plus the time
//   limit; a submit is accepted up to a grace after it (the network's slack; kExamGraceSeconds
//   unless the instance sets another). Later, the attempt is recorded as expired (failed, with
//   no answers) and the submit is refused with kConflict "time_up"; nothing else is written.
// - At the submit, a question with gold earns its points when the answer matches the gold
//   (projects::GoldMatches), else 0; an unanswered question earns 0; an answered question
//   without gold awaits a reviewer.
// - A reviewer grades a question of someone else's attempt when they hold a current
//   qualification with reviewer rights that counts for the exam's domain (the domain or a
//   sub-field of it, see Qualifies) at the exam's level or higher.
// - Once every question is graded: score = floor(100 × points / max points) (rounded down,
//   so 69.9 is 69); passed when score >= the pass mark.
// - A pass grants the qualification (grounds "exam": the attempt, the score, the expiry
//   `valid_days` after the result) in the same transaction, unless the expert already holds
//   one in that domain that is at least as good (ShouldGrant); the expert's reviewer flag is
//   kept.
//
// Thread safety: any thread; each call is one transaction (a read or a write job).
// Ownership: borrows the database, clock and expert service, which must outlive it.

#include <boost/json.hpp>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/error.h"
#include "base/guarded.h"
#include "db/database.h"
#include "experts/experts.h"
#include "projects/template.h"

namespace fw::experts {

// Seconds after an attempt's deadline in which a submit is still accepted (the default).
inline constexpr std::int64_t kExamGraceSeconds = 30;
// The shortest time limit an exam may set (the default).
inline constexpr std::int64_t kMinExamSeconds = 60;
inline constexpr int kMaxQuestionPoints = 100;
inline constexpr std::size_t kMaxPromptBytes = 64 * 1024;
inline constexpr std::size_t kMaxExamAnswerBytes = 256 * 1024;  // all answers as JSON
inline constexpr std::size_t kMaxCommentBytes = 16 * 1024;

// The operator's settings of a bank; every member set on create, the given ones on update.
struct ExamSettings {
  std::optional<std::string> domain;
  std::optional<int> level;                        // 1..5
  std::optional<std::string> title;                // 1..200 bytes
  std::optional<std::string> description;          // markdown, up to 64 KiB
  std::optional<std::int64_t> time_limit_seconds;  // min_time_limit_seconds (60) .. 86400
  std::optional<int> pass_mark;                    // 0..100
  std::optional<std::int64_t> cooldown_seconds;    // 0 .. 365 days
  std::optional<int> draw_count;                   // 1..200
  std::optional<std::optional<int>> valid_days;    // 1..3650, or null: a pass never expires
  std::optional<bool> active;                      // "status": "active" or "draft"
};

// Parses an exam's JSON ("domain", "level", "title", "description", "time_limit_seconds",
// "pass_mark", "cooldown_seconds", "draw_count", "valid_days", "status"). With `create`, every
// key but "description", "valid_days" and "status" is required (defaults: "", null, "draft").
// Errors: kInvalidArgument listing every problem, `field` the key, code "required", "type",
// "out_of_range", "too_long", "empty", "unknown_key" or "not_an_option" (status).
// `min_time_limit_seconds` is the shortest time limit allowed.
[[nodiscard]] Result<ExamSettings> ParseExamSettings(
    const boost::json::object& body, bool create,
    std::int64_t min_time_limit_seconds = kMinExamSeconds);

struct Exam {
  std::int64_t id = 0;
  std::string domain;
  int level = 0;
  std::string title;
  std::string description;
  std::int64_t time_limit_seconds = 0;
  int pass_mark = 0;
  std::int64_t cooldown_seconds = 0;
  int draw_count = 0;
  std::optional<int> valid_days;
  bool active = false;
  int active_questions = 0;  // unretired questions in the bank
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
};

// A question of a bank, as the operator wrote it.
struct ExamQuestion {
  std::int64_t id = 0;
  std::int64_t exam_id = 0;
  boost::json::object question;  // the template question, without "name" and "required"
  std::string prompt;            // markdown with LaTeX math, shown to the candidate
  int points = 1;
  std::optional<boost::json::value> gold;  // none: a reviewer grades it
  std::optional<UnixSeconds> retired_at;
  UnixSeconds created_at = 0;
};

// Parses a new question: {"prompt", "points" (1..100, default 1), "question" (a template
// question: "type" and its settings, optional "title" and "description"; not "name" or
// "required"), "gold" (optional; an answer to the question)}. The question is checked by the
// template's own rules (projects::ParseTemplate) and the gold by its answer rules
// (projects::ValidateAnswer). Returns the question with id 0.
// Errors: kInvalidArgument listing every problem, `field` "prompt", "points", "question.<key>"
// (the template's codes) or "gold" (the answer's codes: "not_an_option", "out_of_range", ...).
[[nodiscard]] Result<ExamQuestion> ParseExamQuestion(const boost::json::object& body);

// The one-question template an exam question is checked with: its single question is named
// "answer", optional (an unanswered exam question earns 0). Errors: as ParseTemplate's, with
// fields "question.<key>".
[[nodiscard]] Result<projects::Template> QuestionTemplate(const boost::json::object& question);

enum class AttemptState { kInProgress, kGrading, kPassed, kFailed, kExpired };
// "in_progress", "grading", "passed", "failed", "expired".
std::string_view AttemptStateName(AttemptState state);

// One drawn question of an attempt, as the candidate sees it: never the gold.
struct AttemptQuestion {
  std::int64_t question_id = 0;
  std::int64_t grading_id = 0;  // the exam_answers row: what a reviewer grades
  boost::json::object question;
  std::string prompt;
  int max_points = 0;
  std::optional<boost::json::value> answer;  // after the submit
  std::optional<int> points;                 // once graded
  bool auto_graded = false;
  std::string comment;  // the reviewer's
};

struct Attempt {
  std::int64_t id = 0;
  std::int64_t exam_id = 0;
  std::int64_t expert_id = 0;
  AttemptState state = AttemptState::kInProgress;
  std::string domain;
  int level = 0;
  int pass_mark = 0;
  UnixSeconds started_at = 0;
  UnixSeconds deadline = 0;
  std::optional<UnixSeconds> submitted_at;
  std::optional<UnixSeconds> finished_at;
  int max_points = 0;
  std::optional<int> points;  // once every question is graded
  std::optional<int> score;   // 0..100, once every question is graded
  bool qualification_granted = false;
  std::optional<UnixSeconds> qualification_expires_at;  // of the pass, when it grants one
  boost::json::object saved_answers;       // saved while in progress, keyed by question id
  std::vector<AttemptQuestion> questions;  // in the order shown
  bool resumed = false;                    // Start returned an attempt that was already running
};

// Where an expert stands with an exam, for the expert's list.
enum class ExamStanding { kAvailable, kInProgress, kGrading, kCooldown, kPassed, kFailed };
// "available", "in_progress", "grading", "cooldown", "passed", "failed".
std::string_view ExamStandingName(ExamStanding standing);

// The expert's last attempt at an exam, as far as the standing needs it.
struct LastAttempt {
  std::int64_t id = 0;
  AttemptState state = AttemptState::kInProgress;
  UnixSeconds deadline = 0;
  std::optional<UnixSeconds> submitted_at;
  std::optional<UnixSeconds> finished_at;
  std::optional<int> score;
  std::optional<int> valid_days;
};

struct ExamStatus {
  ExamStanding standing = ExamStanding::kAvailable;
  bool can_start = true;                   // a start would begin (or resume) an attempt now
  std::optional<UnixSeconds> deadline;     // kInProgress
  std::optional<UnixSeconds> retake_at;    // after a finished attempt: when a retake is allowed
  std::optional<int> score;                // kPassed, kFailed
  std::optional<UnixSeconds> expires_at;   // kPassed: when the pass stops counting
  std::optional<std::int64_t> attempt_id;  // the last attempt
};

// The standing of an expert with `exam` given the last attempt (none: never tried) at `now`.
// An attempt in progress past its deadline and `grace_seconds` counts as expired (it is recorded
// so at the next write). Pure.
ExamStatus StatusOf(const Exam& exam, const std::optional<LastAttempt>& last, UnixSeconds now,
                    std::int64_t grace_seconds = kExamGraceSeconds);

// When the cool-down after `last` ends: its end (submit, else deadline) + cooldown_seconds.
UnixSeconds RetakeAt(const LastAttempt& last, std::int64_t cooldown_seconds);

// Draws `count` of `pool` (question ids) in random order. When pool has more than `count`
// ids, the set drawn differs from the set of `previous` (one id is swapped for an undrawn
// one if the draw happened to repeat it); when it has exactly `count` (2 or more), the order
// differs from `previous`'s. Draws all of `pool` when it has fewer than `count`. Pure given
// `rng`.
std::vector<std::int64_t> DrawQuestions(std::vector<std::int64_t> pool, int count,
                                        const std::vector<std::int64_t>& previous,
                                        std::mt19937_64& rng);

// floor(100 × points / max_points); 0 when max_points is 0.
int ScoreOf(int points, int max_points);

// Whether a pass at `level` with `score`, expiring at `expires_at` (none: never), should
// replace `held`, the expert's qualification in the same domain (none: no qualification).
// It replaces when there is none or it no longer holds at `now`, or it is of a lower level,
// or at the same level when it is worse in score (an exam score below this one, or no exam
// score) or in expiry (sooner than this one's); a higher level is never lowered.
bool ShouldGrant(const std::optional<Qualification>& held, int level, int score,
                 std::optional<UnixSeconds> expires_at, UnixSeconds now);

// A reviewer's view of a question awaiting (or done by) their grading; the candidate stays
// anonymous.
struct Grading {
  std::int64_t id = 0;
  std::int64_t exam_id = 0;
  std::string exam_title;
  std::string domain;
  int level = 0;
  boost::json::object question;
  std::string prompt;
  int max_points = 0;
  std::optional<boost::json::value> answer;
  std::optional<int> points;  // once graded
  std::string comment;
  std::optional<UnixSeconds> graded_at;
  UnixSeconds submitted_at = 0;
};

// Whether an expert holding `quals` may grade questions of an exam in `domain` at `level` at
// `now`: a current qualification with reviewer rights that counts for the domain at `level` or
// higher. (Never for their own attempt: the service checks that.)
bool MayGrade(const std::vector<Qualification>& quals, std::string_view domain, int level,
              UnixSeconds now);

struct ExamServiceOptions {
  std::uint64_t seed = 0;  // the draw's random seed; 0: from std::random_device
  std::int64_t grace_seconds = kExamGraceSeconds;         // a submit's slack after the deadline
  std::int64_t min_time_limit_seconds = kMinExamSeconds;  // lowered only in tests
};

// Exam banks, attempts and grading under the rules at the top of this file. Thread safety: any
// thread; each call is one transaction (Start retries once when a concurrent start of the same
// exam won). The draw's generator is guarded by its own mutex, held only for the draw.
// Ownership: borrows the database, clock and expert service, which must outlive it.
class ExamService {
 public:
  ExamService(db::Database& db, const Clock& clock, ExpertService& experts,
              ExamServiceOptions options = {});

  const ExamServiceOptions& options() const { return options_; }

  // --- Banks (operators) ---

  // Creates a bank (a draft unless `settings.active`). Errors: kInvalidArgument naming
  // "domain" (unknown) or any missing setting; kConflict reason "exam_exists" (a bank for that
  // domain and level exists: a retry answers this too); kConflict reason "too_few_questions"
  // for an active bank (a new bank has none).
  [[nodiscard]] Result<Exam> CreateExam(const ExamSettings& settings, std::int64_t by_user_id);

  // Changes the given settings. Running attempts keep the deadline, pass mark and validity
  // they started with. Errors: kNotFound; kInvalidArgument naming "domain"; kConflict
  // "exam_exists" (the new domain and level are another bank's); kConflict
  // "too_few_questions" (activating with fewer active questions than draw_count). A retry
  // sets the same values again.
  [[nodiscard]] Result<Exam> UpdateExam(std::int64_t exam_id, const ExamSettings& settings);

  // Every bank, by domain and level. Errors: database failures only.
  [[nodiscard]] Result<std::vector<Exam>> ListExams();

  // One bank with all its questions (retired ones too, gold included), oldest first.
  // Errors: kNotFound.
  [[nodiscard]] Result<std::pair<Exam, std::vector<ExamQuestion>>> GetExam(std::int64_t exam_id);

  // Adds a question (see ParseExamQuestion). Errors: kNotFound (no such exam). Each call adds
  // one: a retry adds a second copy.
  [[nodiscard]] Result<ExamQuestion> AddQuestion(std::int64_t exam_id, ExamQuestion question);

  // Retires a question: later attempts do not draw it; attempts that drew it keep it.
  // Errors: kNotFound (no such question in that exam); kConflict "too_few_questions" (an
  // active bank would draw more than it has; deactivate it first). A retry returns the
  // question as retired at first.
  [[nodiscard]] Result<ExamQuestion> RetireQuestion(std::int64_t exam_id, std::int64_t question_id);

  // --- Attempts (experts) ---

  // The active exams with the expert's standing in each, by domain and level.
  struct ExamForExpert {
    Exam exam;
    ExamStatus status;
  };
  [[nodiscard]] Result<std::vector<ExamForExpert>> ExamsFor(std::int64_t expert_id);

  // Starts an attempt, or returns the one running (resumed = true). Errors: kNotFound (no
  // such active exam); kConflict reason "grading" (the last attempt awaits a reviewer),
  // "cooldown" (detail "retake_at" with the time; the message names it) or
  // "too_few_questions" (the bank has no active question). An attempt in progress past its
  // deadline and grace is recorded as expired first, and its cool-down applies.
  [[nodiscard]] Result<Attempt> Start(std::int64_t expert_id, std::int64_t exam_id);

  // The expert's attempt: questions without gold; answers, points and comments once
  // submitted. Errors: kNotFound (no such attempt of this expert).
  [[nodiscard]] Result<Attempt> GetAttempt(std::int64_t expert_id, std::int64_t attempt_id);

  // The expert's attempts, newest first, without their questions.
  [[nodiscard]] Result<std::vector<Attempt>> ListAttempts(std::int64_t expert_id);

  // Keeps answers given so far (keyed by question id as the API names it; not checked beyond
  // being an object of bounded size), replacing any saved before, so a reload finds them.
  // Errors: kNotFound; kConflict "attempt_finished" (submitted or expired), "time_up" (past
  // the deadline and grace: recorded as expired); kInvalidArgument "answers" too_long.
  [[nodiscard]] Result<Attempt> SaveAnswers(std::int64_t expert_id, std::int64_t attempt_id,
                                            const boost::json::object& answers);

  // Submits every answer at once: `answers` maps the drawn questions' ids to answers (a
  // question left out is unanswered and earns 0). Each answer is checked against its question;
  // auto-graded questions are graded now and, when none waits for a reviewer, the result is
  // final (and a pass grants the qualification) in the same transaction.
  // Errors: kNotFound; kUnprocessable with one detail per failing question (field
  // "answers.<question id>", the template's answer codes, or "unknown_question");
  // kInvalidArgument "answers" too_long; kConflict "time_up" (past the deadline and grace: the
  // attempt is recorded as expired, nothing else is written; a retry answers the same);
  // kConflict "already_submitted" (a retry with other answers). A retry with the same
  // answers returns the attempt as it stands.
  // `answers` is keyed by the questions' internal ids.
  [[nodiscard]] Result<Attempt> Submit(
      std::int64_t expert_id, std::int64_t attempt_id,
      const std::vector<std::pair<std::int64_t, boost::json::value>>& answers);

  // --- Grading (reviewers) ---

  // The questions awaiting grading that this reviewer may grade (see MayGrade; never their
  // own), oldest submit first, at most `limit`.
  [[nodiscard]] Result<std::vector<Grading>> Gradings(std::int64_t reviewer_id, int limit = 50);

  // Grades one question: `points` 0..its max, with a comment. When it was the last question of
  // the attempt, the result is final (and a pass grants the qualification) in the same
  // transaction. Errors: kNotFound (no such grading, or one not submitted yet);
  // kPermissionDenied reason "own_attempt" or "not_qualified";
  // kInvalidArgument naming "points" (out_of_range) or "comment" (too_long); kConflict
  // "already_graded" (graded before, by someone else or with other points or comment). A retry with
  // the same points and comment by the same reviewer returns the grading unchanged.
  [[nodiscard]] Result<Grading> Grade(std::int64_t reviewer_id, std::int64_t grading_id, int points,
                                      const std::string& comment);

 private:
  db::Database& db_;
  const Clock& clock_;
  ExpertService& experts_;
  ExamServiceOptions options_;
  Guarded<std::mt19937_64> rng_;
};

}  // namespace fw::experts
