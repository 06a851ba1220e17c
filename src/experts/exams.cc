#include "experts/exams.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "base/json.h"
#include "db/query.h"

namespace fw::experts {

namespace {

constexpr std::int64_t kSecondsPerDay = 86400;
constexpr std::size_t kMaxTitleBytes = 200;
constexpr std::size_t kMaxDescriptionBytes = 64 * 1024;
// The key of the one question in an exam question's template.
constexpr std::string_view kAnswerKey = "answer";

// Collects problems so a request learns all of them at once.
struct Problems {
  std::vector<FieldError> list;
  void Add(std::string field, std::string code, std::string message) {
    list.push_back({std::move(field), std::move(code), std::move(message)});
  }
  void Add(const Error& e) {
    if (e.details.empty()) {
      list.push_back({"body", ErrorCodeName(e.code).data(), e.message});
    } else {
      list.insert(list.end(), e.details.begin(), e.details.end());
    }
  }
};

// Reads an optional integer member into `out`, checking [lo, hi]; `present` tells whether the
// key was there (null counts as present when `nullable`).
template <typename T>
void IntSetting(const json::object& body, std::string_view key, std::int64_t lo, std::int64_t hi,
                bool required, std::optional<T>& out, Problems& p) {
  auto v = OptionalInt(body, key);
  if (!v) return p.Add(v.error());
  if (!*v) {
    if (required) p.Add(std::string(key), "required", fmt::format("{} is required", key));
    return;
  }
  if (**v < lo || **v > hi) {
    return p.Add(std::string(key), "out_of_range",
                 fmt::format("{} must be between {} and {}", key, lo, hi));
  }
  out = static_cast<T>(**v);
}

std::string_view StateSql(AttemptState s) { return AttemptStateName(s); }

bool ParseState(std::string_view text, AttemptState* out) {
  for (AttemptState s : {AttemptState::kInProgress, AttemptState::kGrading, AttemptState::kPassed,
                         AttemptState::kFailed, AttemptState::kExpired}) {
    if (AttemptStateName(s) == text) {
      *out = s;
      return true;
    }
  }
  return false;
}

// Replaces the template's paths ("template.questions[0].options") by the exam question's
// ("question.options").
FieldError QuestionPath(FieldError e) {
  static constexpr std::string_view kPrefix = "template.questions[0]";
  if (e.field.rfind(kPrefix, 0) == 0) {
    e.field = "question" + e.field.substr(kPrefix.size());
  } else {
    e.field = "question";
  }
  return e;
}

// The answer's problems reported under `field` ("gold", "answers.exq_...").
std::vector<FieldError> AnswerPath(const Error& e, const std::string& field) {
  std::vector<FieldError> out;
  for (FieldError d : e.details) {
    d.field = field;
    out.push_back(std::move(d));
  }
  if (out.empty()) out.push_back({field, "invalid", e.message});
  return out;
}

Result<json::object> ParseObjectText(const std::string& text, std::string_view what) {
  FW_TRY(json::value v, ParseJson(text, what));
  if (!v.is_object()) return Internal(fmt::format("a stored {} is not an object", what));
  return std::move(v.as_object());
}

// ---- rows ----

#define FW_EXAM_COLUMNS                                                                    \
  "e.id, e.domain, e.level, e.title, e.description, e.time_limit_seconds, e.pass_mark, "   \
  "e.cooldown_seconds, e.draw_count, e.valid_days, e.status, e.created_at, e.updated_at, " \
  "(SELECT COUNT(*) FROM exam_questions q WHERE q.exam_id = e.id AND q.retired_at IS NULL)"

struct ExamRow {
  long long id = 0, time_limit = 0, cooldown = 0, created_at = 0, updated_at = 0, active_q = 0;
  std::string domain, title, description, status;
  int level = 0, pass_mark = 0, draw_count = 0;
  std::optional<int> valid_days;
  Exam Get() const {
    Exam e;
    e.id = id;
    e.domain = domain;
    e.level = level;
    e.title = title;
    e.description = description;
    e.time_limit_seconds = time_limit;
    e.pass_mark = pass_mark;
    e.cooldown_seconds = cooldown;
    e.draw_count = draw_count;
    e.valid_days = valid_days;
    e.active = status == "active";
    e.active_questions = static_cast<int>(active_q);
    e.created_at = created_at;
    e.updated_at = updated_at;
    return e;
  }
};
#define FW_EXAM_OUTS(r)                                                                   \
  r.id, r.domain, r.level, r.title, r.description, r.time_limit, r.pass_mark, r.cooldown, \
      r.draw_count, r.valid_days, r.status, r.created_at, r.updated_at, r.active_q

std::optional<Exam> LoadExam(soci::session& s, long long exam_id) {
  ExamRow r;
  if (!db::Query(s, "SELECT " FW_EXAM_COLUMNS " FROM exams e WHERE e.id = :id")
           .Bind(exam_id)
           .One(FW_EXAM_OUTS(r))) {
    return std::nullopt;
  }
  return r.Get();
}

Error NoSuchExam() { return Error(ErrorCode::kNotFound, "no such exam"); }

#define FW_QUESTION_COLUMNS \
  "q.id, q.exam_id, q.question, q.prompt, q.points, q.gold, q.retired_at, q.created_at"

struct QuestionRow {
  long long id = 0, exam_id = 0, created_at = 0;
  std::string question, prompt;
  int points = 0;
  std::optional<std::string> gold;
  std::optional<long long> retired_at;
  Result<ExamQuestion> Get() const {
    ExamQuestion q;
    q.id = id;
    q.exam_id = exam_id;
    FW_TRY(q.question, ParseObjectText(question, "question"));
    q.prompt = prompt;
    q.points = points;
    if (gold) {
      FW_TRY(json::value g, ParseJson(*gold, "gold"));
      q.gold = std::move(g);
    }
    q.retired_at = retired_at;
    q.created_at = created_at;
    return q;
  }
};
#define FW_QUESTION_OUTS(r) \
  r.id, r.exam_id, r.question, r.prompt, r.points, r.gold, r.retired_at, r.created_at

#define FW_ATTEMPT_COLUMNS                                                                   \
  "t.id, t.exam_id, t.expert_id, t.state, t.domain, t.level, t.pass_mark, t.valid_days, "    \
  "t.started_at, t.deadline, t.saved_answers, t.submitted_at, t.finished_at, t.max_points, " \
  "t.points, t.score, t.qualification_granted"

struct AttemptRow {
  long long id = 0, exam_id = 0, expert_id = 0, started_at = 0, deadline = 0;
  std::string state, domain;
  int level = 0, pass_mark = 0, max_points = 0, granted = 0;
  std::optional<int> valid_days, points, score;
  std::optional<std::string> saved;
  std::optional<long long> submitted_at, finished_at;

  Result<Attempt> Get(UnixSeconds now, std::int64_t grace) const {
    Attempt a;
    a.id = id;
    a.exam_id = exam_id;
    a.expert_id = expert_id;
    if (!ParseState(state, &a.state)) return Internal("a stored attempt has an unknown state");
    a.domain = domain;
    a.level = level;
    a.pass_mark = pass_mark;
    a.started_at = started_at;
    a.deadline = deadline;
    a.submitted_at = submitted_at;
    a.finished_at = finished_at;
    a.max_points = max_points;
    a.points = points;
    a.score = score;
    a.qualification_granted = granted != 0;
    if (a.state == AttemptState::kPassed && valid_days && finished_at) {
      a.qualification_expires_at = *finished_at + *valid_days * kSecondsPerDay;
    }
    if (saved) {
      FW_TRY(a.saved_answers, ParseObjectText(*saved, "saved answers"));
    }
    // Past its deadline and grace an attempt is over, whether or not a write recorded it yet.
    if (a.state == AttemptState::kInProgress && now > deadline + grace) {
      a.state = AttemptState::kExpired;
      a.finished_at = deadline;
    }
    return a;
  }
  LastAttempt Last() const {
    LastAttempt l;
    l.id = id;
    ParseState(state, &l.state);
    l.deadline = deadline;
    l.submitted_at = submitted_at;
    l.finished_at = finished_at;
    l.score = score;
    l.valid_days = valid_days;
    return l;
  }
};
#define FW_ATTEMPT_OUTS(r)                                                                      \
  r.id, r.exam_id, r.expert_id, r.state, r.domain, r.level, r.pass_mark, r.valid_days,          \
      r.started_at, r.deadline, r.saved, r.submitted_at, r.finished_at, r.max_points, r.points, \
      r.score, r.granted

// The attempt's row; expert_id 0 reads anyone's.
std::optional<AttemptRow> LoadAttemptRow(soci::session& s, long long attempt_id,
                                         long long expert_id) {
  AttemptRow r;
  if (!db::Query(s, "SELECT " FW_ATTEMPT_COLUMNS " FROM exam_attempts t WHERE t.id = :id")
           .Bind(attempt_id)
           .One(FW_ATTEMPT_OUTS(r))) {
    return std::nullopt;
  }
  if (expert_id != 0 && r.expert_id != expert_id) return std::nullopt;
  return r;
}

// The drawn questions of an attempt in order, with answers and grades (never the gold).
Result<std::vector<AttemptQuestion>> LoadAttemptQuestions(soci::session& s, long long attempt_id) {
  std::vector<AttemptQuestion> out;
  long long grading_id = 0, question_id = 0;
  std::string question, prompt, comment;
  int max_points = 0, auto_graded = 0;
  std::optional<std::string> answer;
  std::optional<int> points;
  std::optional<Error> failed;
  db::Query(s,
            "SELECT a.id, a.question_id, q.question, q.prompt, a.max_points, a.answer, "
            "a.auto_graded, a.points, a.comment FROM exam_answers a "
            "JOIN exam_questions q ON q.id = a.question_id WHERE a.attempt_id = :t "
            "ORDER BY a.position")
      .Bind(attempt_id)
      .Each(
          [&] {
            AttemptQuestion aq;
            aq.grading_id = grading_id;
            aq.question_id = question_id;
            auto qj = ParseObjectText(question, "question");
            if (!qj) {
              failed = qj.error();
              return false;
            }
            aq.question = std::move(*qj);
            aq.prompt = prompt;
            aq.max_points = max_points;
            if (answer) {
              auto v = ParseJson(*answer, "answer");
              if (!v) {
                failed = v.error();
                return false;
              }
              aq.answer = std::move(*v);
            }
            aq.points = points;
            aq.auto_graded = auto_graded != 0;
            aq.comment = comment;
            out.push_back(std::move(aq));
            return true;
          },
          grading_id, question_id, question, prompt, max_points, answer, auto_graded, points,
          comment);
  if (failed) return Fail(*failed);
  return out;
}

Result<Attempt> LoadAttempt(soci::session& s, long long attempt_id, long long expert_id,
                            UnixSeconds now, std::int64_t grace) {
  auto row = LoadAttemptRow(s, attempt_id, expert_id);
  if (!row) return NotFound("no such exam attempt");
  FW_TRY(Attempt a, row->Get(now, grace));
  FW_TRY(a.questions, LoadAttemptQuestions(s, attempt_id));
  return a;
}

// Records an attempt that ran out of time as expired. Returns whether it did.
bool MarkExpired(soci::session& s, long long attempt_id, long long deadline) {
  return db::Query(s,
                   "UPDATE exam_attempts SET state = 'expired', finished_at = :f "
                   "WHERE id = :id AND state = 'in_progress'")
             .Bind(deadline)
             .Bind(attempt_id)
             .Run() == 1;
}

Error TimeUp(UnixSeconds deadline, std::int64_t grace) {
  return Error(ErrorCode::kConflict,
               fmt::format("the time ran out at {} (submits are accepted up to {} s later)",
                           FormatTime(deadline), grace),
               {{"deadline", "time_up", FormatTime(deadline)}}, "time_up");
}

}  // namespace

// ---- pure parts ----

std::string_view AttemptStateName(AttemptState state) {
  switch (state) {
    case AttemptState::kInProgress:
      return "in_progress";
    case AttemptState::kGrading:
      return "grading";
    case AttemptState::kPassed:
      return "passed";
    case AttemptState::kFailed:
      return "failed";
    case AttemptState::kExpired:
      return "expired";
  }
  return "";
}

std::string_view ExamStandingName(ExamStanding standing) {
  switch (standing) {
    case ExamStanding::kAvailable:
      return "available";
    case ExamStanding::kInProgress:
      return "in_progress";
    case ExamStanding::kGrading:
      return "grading";
    case ExamStanding::kCooldown:
      return "cooldown";
    case ExamStanding::kPassed:
      return "passed";
    case ExamStanding::kFailed:
      return "failed";
  }
  return "";
}

Result<ExamSettings> ParseExamSettings(const json::object& body, bool create,
                                       std::int64_t min_time_limit_seconds) {
  Problems p;
  if (auto st = RejectUnknownKeys(
          body, {"domain", "level", "title", "description", "time_limit_seconds", "pass_mark",
                 "cooldown_seconds", "draw_count", "valid_days", "status"});
      !st) {
    p.Add(st.error());
  }
  ExamSettings out;
  auto str = [&](std::string_view key, bool required, std::size_t max_bytes, bool non_empty,
                 std::optional<std::string>& dest) {
    auto v = OptionalString(body, key);
    if (!v) return p.Add(v.error());
    if (!*v) {
      if (required) p.Add(std::string(key), "required", fmt::format("{} is required", key));
      return;
    }
    if (non_empty && (*v)->find_first_not_of(" \t\r\n") == std::string::npos) {
      return p.Add(std::string(key), "empty", fmt::format("{} must not be blank", key));
    }
    if ((*v)->size() > max_bytes) {
      return p.Add(std::string(key), "too_long",
                   fmt::format("{} must be at most {} bytes", key, max_bytes));
    }
    dest = std::move(**v);
  };
  str("domain", create, 48, true, out.domain);
  str("title", create, kMaxTitleBytes, true, out.title);
  str("description", false, kMaxDescriptionBytes, false, out.description);
  IntSetting(body, "level", kMinLevel, kMaxLevel, create, out.level, p);
  IntSetting(body, "time_limit_seconds", min_time_limit_seconds, 86400, create,
             out.time_limit_seconds, p);
  IntSetting(body, "pass_mark", 0, 100, create, out.pass_mark, p);
  IntSetting(body, "cooldown_seconds", 0, 365 * kSecondsPerDay, create, out.cooldown_seconds, p);
  IntSetting(body, "draw_count", 1, 200, create, out.draw_count, p);
  if (auto it = body.find("valid_days"); it != body.end()) {
    if (it->value().is_null()) {
      out.valid_days = std::optional<int>();
    } else {
      std::optional<int> days;
      IntSetting(body, "valid_days", 1, 3650, false, days, p);
      if (days) out.valid_days = days;
    }
  }
  if (auto status = OptionalString(body, "status"); !status) {
    p.Add(status.error());
  } else if (*status) {
    if (**status == "active" || **status == "draft") {
      out.active = **status == "active";
    } else {
      p.Add("status", "not_an_option", "status must be \"active\" or \"draft\"");
    }
  }
  if (create) {
    if (!out.description) out.description = "";
    if (!out.valid_days) out.valid_days = std::optional<int>();
    if (!out.active) out.active = false;
  }
  if (!p.list.empty()) return InvalidArgument("the exam has problems", std::move(p.list));
  return out;
}

Result<projects::Template> QuestionTemplate(const json::object& question) {
  json::object q = question;
  q["name"] = kAnswerKey;
  q["required"] = false;
  auto tmpl = projects::ParseTemplate(json::object{{"questions", json::array{q}}});
  if (!tmpl) {
    std::vector<FieldError> d;
    for (const FieldError& e : tmpl.error().details) d.push_back(QuestionPath(e));
    return InvalidArgument("the question has problems", std::move(d));
  }
  return tmpl;
}

Result<ExamQuestion> ParseExamQuestion(const json::object& body) {
  Problems p;
  if (auto st = RejectUnknownKeys(body, {"prompt", "points", "question", "gold"}); !st) {
    p.Add(st.error());
  }
  ExamQuestion out;
  if (auto prompt = RequiredString(body, "prompt"); !prompt) {
    p.Add(prompt.error());
  } else if (prompt->find_first_not_of(" \t\r\n") == std::string::npos) {
    p.Add("prompt", "empty", "the prompt must not be blank");
  } else if (prompt->size() > kMaxPromptBytes) {
    p.Add("prompt", "too_long", fmt::format("at most {} bytes", kMaxPromptBytes));
  } else {
    out.prompt = std::move(*prompt);
  }
  std::optional<int> points;
  IntSetting(body, "points", 1, kMaxQuestionPoints, false, points, p);
  out.points = points.value_or(1);
  auto question = OptionalObject(body, "question");
  if (!question) {
    p.Add(question.error());
  } else if (*question == nullptr) {
    p.Add("question", "required", "the question (a template question) is required");
  } else {
    const json::object& q = **question;
    for (std::string_view key : {"name", "required"}) {
      if (q.contains(key)) {
        p.Add(fmt::format("question.{}", key), "unknown_key",
              "an exam question has no name and is never required");
      }
    }
    json::object spec = q;
    spec.erase("name");
    spec.erase("required");
    auto tmpl = QuestionTemplate(spec);
    if (!tmpl) {
      p.Add(tmpl.error());
    } else {
      out.question = spec;
      if (auto it = body.find("gold"); it != body.end() && !it->value().is_null()) {
        json::object answer{{kAnswerKey, it->value()}};
        const bool unanswered = it->value().is_string() && it->value().as_string().empty();
        if (unanswered) {
          p.Add("gold", "empty", "a gold answer must not be empty");
        } else if (auto st = projects::ValidateAnswer(*tmpl, answer); !st) {
          for (FieldError& e : AnswerPath(st.error(), "gold")) p.list.push_back(std::move(e));
        } else {
          out.gold = it->value();
        }
      }
    }
  }
  if (!p.list.empty()) return InvalidArgument("the question has problems", std::move(p.list));
  return out;
}

UnixSeconds RetakeAt(const LastAttempt& last, std::int64_t cooldown_seconds) {
  return last.submitted_at.value_or(last.deadline) + cooldown_seconds;
}

ExamStatus StatusOf(const Exam& exam, const std::optional<LastAttempt>& last, UnixSeconds now,
                    std::int64_t grace_seconds) {
  ExamStatus st;
  if (!last) return st;
  st.attempt_id = last->id;
  AttemptState state = last->state;
  if (state == AttemptState::kInProgress && now > last->deadline + grace_seconds) {
    state = AttemptState::kExpired;
  }
  switch (state) {
    case AttemptState::kInProgress:
      st.standing = ExamStanding::kInProgress;
      st.deadline = last->deadline;
      return st;
    case AttemptState::kGrading:
      st.standing = ExamStanding::kGrading;
      st.can_start = false;
      return st;
    case AttemptState::kPassed:
    case AttemptState::kFailed:
    case AttemptState::kExpired:
      break;
  }
  st.retake_at = RetakeAt(*last, exam.cooldown_seconds);
  st.score = last->score;
  const bool cooling = now < *st.retake_at;
  st.can_start = !cooling;
  if (state == AttemptState::kPassed) {
    st.standing = ExamStanding::kPassed;
    if (last->valid_days && last->finished_at) {
      st.expires_at = *last->finished_at + *last->valid_days * kSecondsPerDay;
    }
  } else {
    st.standing = cooling ? ExamStanding::kCooldown : ExamStanding::kFailed;
  }
  return st;
}

std::vector<std::int64_t> DrawQuestions(std::vector<std::int64_t> pool, int count,
                                        const std::vector<std::int64_t>& previous,
                                        std::mt19937_64& rng) {
  std::shuffle(pool.begin(), pool.end(), rng);
  const std::size_t k = std::min<std::size_t>(pool.size(), static_cast<std::size_t>(count));
  std::vector<std::int64_t> drawn(pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(k));
  if (previous.empty() || k == 0) return drawn;
  std::set<std::int64_t> prev(previous.begin(), previous.end());
  std::set<std::int64_t> now(drawn.begin(), drawn.end());
  if (pool.size() > k) {
    if (now == prev) {
      // Swap a random drawn question for a random undrawn one, in its place.
      std::uniform_int_distribution<std::size_t> out_pick(0, k - 1);
      std::uniform_int_distribution<std::size_t> in_pick(k, pool.size() - 1);
      drawn[out_pick(rng)] = pool[in_pick(rng)];
    }
  } else if (k >= 2 && drawn == previous) {
    // The bank allows one set only, so the order is what differs.
    std::uniform_int_distribution<std::size_t> pick(1, k - 1);
    std::swap(drawn[0], drawn[pick(rng)]);
  }
  return drawn;
}

int ScoreOf(int points, int max_points) {
  if (max_points <= 0) return 0;
  return static_cast<int>((100LL * points) / max_points);
}

bool ShouldGrant(const std::optional<Qualification>& held, int level, int score,
                 std::optional<UnixSeconds> expires_at, UnixSeconds now) {
  if (!held || !held->Current(now)) return true;
  if (held->level != level) return held->level < level;
  const bool lower_score = !held->grounds.score || *held->grounds.score < score;
  const bool sooner =
      held->grounds.expires_at && (!expires_at || *held->grounds.expires_at < *expires_at);
  return lower_score || sooner;
}

bool MayGrade(const std::vector<Qualification>& quals, std::string_view domain, int level,
              UnixSeconds now) {
  std::vector<Qualification> reviewing;
  for (const Qualification& q : quals) {
    if (q.reviewer) reviewing.push_back(q);
  }
  return Qualifies(reviewing, domain, level, now);
}

// ---- the service ----

namespace {

// Grades what can be graded and, when nothing waits for a reviewer, makes the result final
// and grants the qualification of a pass — all inside `s`.
Status Finalize(soci::session& s, ExpertService& experts, long long attempt_id, UnixSeconds now) {
  auto row = LoadAttemptRow(s, attempt_id, 0);
  FW_CHECK(row.has_value());
  long long pending = 0, points = 0;
  db::Query(s,
            "SELECT COUNT(*) - COUNT(points), COALESCE(SUM(points), 0) FROM exam_answers "
            "WHERE attempt_id = :t")
      .Bind(attempt_id)
      .One(pending, points);
  if (pending > 0) {
    db::Query(s, "UPDATE exam_attempts SET state = 'grading' WHERE id = :id")
        .Bind(attempt_id)
        .Run();
    return {};
  }
  const int score = ScoreOf(static_cast<int>(points), row->max_points);
  const bool passed = score >= row->pass_mark;
  db::Query(s,
            "UPDATE exam_attempts SET state = :s, points = :p, score = :sc, finished_at = :f "
            "WHERE id = :id")
      .Bind(std::string(StateSql(passed ? AttemptState::kPassed : AttemptState::kFailed)))
      .Bind(points)
      .Bind(score)
      .Bind(static_cast<long long>(now))
      .Bind(attempt_id)
      .Run();
  if (!passed) return {};
  std::optional<UnixSeconds> expires_at;
  if (row->valid_days) expires_at = now + *row->valid_days * kSecondsPerDay;
  FW_TRY(std::vector<Qualification> held, experts.Qualifications(row->expert_id, &s));
  std::optional<Qualification> same;
  for (const Qualification& q : held) {
    if (q.domain == row->domain) same = q;
  }
  if (!ShouldGrant(same, row->level, score, expires_at, now)) return {};
  Grounds grounds;
  grounds.kind = "exam";
  grounds.id = attempt_id;
  grounds.score = score;
  grounds.expires_at = expires_at;
  grounds.granted_by = 0;
  FW_TRY(Qualification granted,
         experts.GrantQualification(s, row->expert_id, row->domain, row->level,
                                    same && same->reviewer, grounds));
  (void)granted;
  db::Query(s, "UPDATE exam_attempts SET qualification_granted = 1 WHERE id = :id")
      .Bind(attempt_id)
      .Run();
  return {};
}

// The write job's outcome: a refusal that must still commit what the job wrote (an attempt
// recorded as expired), or success.
using Committed = std::optional<Error>;

}  // namespace

ExamService::ExamService(db::Database& db, const Clock& clock, ExpertService& experts,
                         ExamServiceOptions options)
    : db_(db),
      clock_(clock),
      experts_(experts),
      options_(options),
      rng_(std::mt19937_64(options.seed ? options.seed : std::random_device{}())) {}

namespace {

Status CheckExamDomain(soci::session& s, const ExamSettings& st) {
  if (st.domain && !DomainExists(s, *st.domain)) {
    return InvalidArgument(fmt::format("'{}' is not a known domain", *st.domain),
                           {{"domain", "unknown", "see GET /api/v1/domains"}});
  }
  return {};
}

Error ExamExists(std::string_view domain, int level) {
  return Error(ErrorCode::kConflict,
               fmt::format("there is an exam for {} at level {} already", domain, level),
               {{"level", "exam_exists", "one exam per domain and level"}}, "exam_exists");
}

Error TooFewQuestions(int have, int need) {
  return Error(ErrorCode::kConflict,
               fmt::format("an active exam draws {} questions but has {} active", need, have),
               {{"draw_count", "too_few_questions", "add questions or draw fewer"}},
               "too_few_questions");
}

bool OtherExamAt(soci::session& s, const std::string& domain, int level, long long except) {
  long long id = 0;
  return db::Query(s, "SELECT id FROM exams WHERE domain = :d AND level = :l AND id <> :x")
      .Bind(domain)
      .Bind(level)
      .Bind(except)
      .One(id);
}

}  // namespace

Result<Exam> ExamService::CreateExam(const ExamSettings& st, std::int64_t by_user_id) {
  FW_CHECK(st.domain && st.level && st.title && st.time_limit_seconds && st.pass_mark &&
           st.cooldown_seconds && st.draw_count);
  if (st.active.value_or(false)) return Fail(TooFewQuestions(0, *st.draw_count));
  const long long now = clock_.Now();
  return db_.Write<Exam>([&](soci::session& s) -> Result<Exam> {
    FW_TRY_STATUS(CheckExamDomain(s, st));
    if (OtherExamAt(s, *st.domain, *st.level, 0)) return Fail(ExamExists(*st.domain, *st.level));
    std::optional<long long> by;
    if (by_user_id != 0) by = by_user_id;
    long long id = 0;
    db::Query(s,
              "INSERT INTO exams (domain, level, title, description, time_limit_seconds, "
              "pass_mark, cooldown_seconds, draw_count, valid_days, status, created_by, "
              "created_at, updated_at) VALUES (:d, :l, :t, :de, :tl, :pm, :cd, :dc, :vd, "
              "'draft', :by, :c, :u) RETURNING id")
        .Bind(*st.domain)
        .Bind(*st.level)
        .Bind(*st.title)
        .Bind(st.description.value_or(""))
        .Bind(static_cast<long long>(*st.time_limit_seconds))
        .Bind(*st.pass_mark)
        .Bind(static_cast<long long>(*st.cooldown_seconds))
        .Bind(*st.draw_count)
        .Bind(st.valid_days.value_or(std::optional<int>()))
        .Bind(by)
        .Bind(now)
        .Bind(now)
        .One(id);
    auto e = LoadExam(s, id);
    FW_CHECK(e.has_value());
    return *e;
  });
}

Result<Exam> ExamService::UpdateExam(std::int64_t exam_id, const ExamSettings& st) {
  const long long now = clock_.Now(), id = exam_id;
  return db_.Write<Exam>([&](soci::session& s) -> Result<Exam> {
    auto current = LoadExam(s, id);
    if (!current) return Fail(NoSuchExam());
    Exam e = *current;
    FW_TRY_STATUS(CheckExamDomain(s, st));
    if (st.domain) e.domain = *st.domain;
    if (st.level) e.level = *st.level;
    if (st.title) e.title = *st.title;
    if (st.description) e.description = *st.description;
    if (st.time_limit_seconds) e.time_limit_seconds = *st.time_limit_seconds;
    if (st.pass_mark) e.pass_mark = *st.pass_mark;
    if (st.cooldown_seconds) e.cooldown_seconds = *st.cooldown_seconds;
    if (st.draw_count) e.draw_count = *st.draw_count;
    if (st.valid_days) e.valid_days = *st.valid_days;
    if (st.active) e.active = *st.active;
    if ((st.domain || st.level) && OtherExamAt(s, e.domain, e.level, id)) {
      return Fail(ExamExists(e.domain, e.level));
    }
    if (e.active && e.active_questions < e.draw_count) {
      return Fail(TooFewQuestions(e.active_questions, e.draw_count));
    }
    db::Query(s,
              "UPDATE exams SET domain = :d, level = :l, title = :t, description = :de, "
              "time_limit_seconds = :tl, pass_mark = :pm, cooldown_seconds = :cd, "
              "draw_count = :dc, valid_days = :vd, status = :st, updated_at = :u WHERE id = :id")
        .Bind(e.domain)
        .Bind(e.level)
        .Bind(e.title)
        .Bind(e.description)
        .Bind(static_cast<long long>(e.time_limit_seconds))
        .Bind(e.pass_mark)
        .Bind(static_cast<long long>(e.cooldown_seconds))
        .Bind(e.draw_count)
        .Bind(e.valid_days)
        .Bind(std::string(e.active ? "active" : "draft"))
        .Bind(now)
        .Bind(id)
        .Run();
    auto out = LoadExam(s, id);
    FW_CHECK(out.has_value());
    return *out;
  });
}

Result<std::vector<Exam>> ExamService::ListExams() {
  return db_.Read<std::vector<Exam>>([](soci::session& s) -> Result<std::vector<Exam>> {
    std::vector<Exam> out;
    ExamRow r;
    db::Query(s, "SELECT " FW_EXAM_COLUMNS " FROM exams e ORDER BY e.domain, e.level")
        .Each(
            [&] {
              out.push_back(r.Get());
              return true;
            },
            FW_EXAM_OUTS(r));
    return out;
  });
}

Result<std::pair<Exam, std::vector<ExamQuestion>>> ExamService::GetExam(std::int64_t exam_id) {
  using Out = std::pair<Exam, std::vector<ExamQuestion>>;
  const long long id = exam_id;
  return db_.ReadSnapshot<Out>([&](soci::session& s) -> Result<Out> {
    auto e = LoadExam(s, id);
    if (!e) return Fail(NoSuchExam());
    Out out{*e, {}};
    QuestionRow r;
    std::optional<Error> failed;
    db::Query(s, "SELECT " FW_QUESTION_COLUMNS
                 " FROM exam_questions q WHERE q.exam_id = :e ORDER BY q.id")
        .Bind(id)
        .Each(
            [&] {
              auto q = r.Get();
              if (!q) {
                failed = q.error();
                return false;
              }
              out.second.push_back(std::move(*q));
              return true;
            },
            FW_QUESTION_OUTS(r));
    if (failed) return Fail(*failed);
    return out;
  });
}

Result<ExamQuestion> ExamService::AddQuestion(std::int64_t exam_id, ExamQuestion q) {
  const long long now = clock_.Now(), eid = exam_id;
  std::optional<std::string> gold;
  if (q.gold) gold = ToJson(*q.gold);
  const std::string question = ToJson(q.question);
  return db_.Write<ExamQuestion>([&](soci::session& s) -> Result<ExamQuestion> {
    if (!LoadExam(s, eid)) return Fail(NoSuchExam());
    long long id = 0;
    db::Query(s,
              "INSERT INTO exam_questions (exam_id, question, prompt, points, gold, created_at) "
              "VALUES (:e, :q, :p, :pt, :g, :c) RETURNING id")
        .Bind(eid)
        .Bind(question)
        .Bind(q.prompt)
        .Bind(q.points)
        .Bind(gold)
        .Bind(now)
        .One(id);
    db::Query(s, "UPDATE exams SET updated_at = :u WHERE id = :id").Bind(now).Bind(eid).Run();
    ExamQuestion out = q;
    out.id = id;
    out.exam_id = eid;
    out.created_at = now;
    return out;
  });
}

Result<ExamQuestion> ExamService::RetireQuestion(std::int64_t exam_id, std::int64_t question_id) {
  const long long now = clock_.Now(), eid = exam_id, qid = question_id;
  return db_.Write<ExamQuestion>([&](soci::session& s) -> Result<ExamQuestion> {
    QuestionRow r;
    if (!db::Query(s, "SELECT " FW_QUESTION_COLUMNS
                      " FROM exam_questions q WHERE q.id = :id AND q.exam_id = :e")
             .Bind(qid)
             .Bind(eid)
             .One(FW_QUESTION_OUTS(r))) {
      return NotFound("no such question in this exam");
    }
    if (r.retired_at) return r.Get();
    auto e = LoadExam(s, eid);
    FW_CHECK(e.has_value());
    if (e->active && e->active_questions - 1 < e->draw_count) {
      return Fail(TooFewQuestions(e->active_questions - 1, e->draw_count));
    }
    db::Query(s, "UPDATE exam_questions SET retired_at = :r WHERE id = :id")
        .Bind(now)
        .Bind(qid)
        .Run();
    db::Query(s, "UPDATE exams SET updated_at = :u WHERE id = :id").Bind(now).Bind(eid).Run();
    r.retired_at = now;
    return r.Get();
  });
}

Result<std::vector<ExamService::ExamForExpert>> ExamService::ExamsFor(std::int64_t expert_id) {
  const std::int64_t grace = options_.grace_seconds;
  const long long uid = expert_id;
  const UnixSeconds now = clock_.Now();
  return db_.ReadSnapshot<std::vector<ExamForExpert>>(
      [&](soci::session& s) -> Result<std::vector<ExamForExpert>> {
        std::map<long long, LastAttempt> last;
        AttemptRow a;
        db::Query(s, "SELECT " FW_ATTEMPT_COLUMNS
                     " FROM exam_attempts t WHERE t.expert_id = :u ORDER BY t.id")
            .Bind(uid)
            .Each(
                [&] {
                  last[a.exam_id] = a.Last();
                  return true;
                },
                FW_ATTEMPT_OUTS(a));
        std::vector<ExamForExpert> out;
        ExamRow r;
        db::Query(s, "SELECT " FW_EXAM_COLUMNS
                     " FROM exams e WHERE e.status = 'active' ORDER BY e.domain, e.level")
            .Each(
                [&] {
                  Exam e = r.Get();
                  auto it = last.find(e.id);
                  std::optional<LastAttempt> l;
                  if (it != last.end()) l = it->second;
                  ExamStatus st = StatusOf(e, l, now, grace);
                  out.push_back({std::move(e), st});
                  return true;
                },
                FW_EXAM_OUTS(r));
        return out;
      });
}

Result<Attempt> ExamService::Start(std::int64_t expert_id, std::int64_t exam_id) {
  const std::int64_t grace = options_.grace_seconds;
  const long long uid = expert_id, eid = exam_id;
  // The job returns the new attempt's id, or the running attempt's id negated (resumed).
  auto job = [&]() -> Result<long long> {
    const UnixSeconds now = clock_.Now();
    return db_.Write<long long>([&](soci::session& s) -> Result<long long> {
      auto exam = LoadExam(s, eid);
      if (!exam || !exam->active) return Fail(NoSuchExam());
      AttemptRow last;
      const bool has_last =
          db::Query(s, "SELECT " FW_ATTEMPT_COLUMNS
                       " FROM exam_attempts t WHERE t.expert_id = :u AND t.exam_id = :e "
                       "ORDER BY t.id DESC LIMIT 1")
              .Bind(uid)
              .Bind(eid)
              .One(FW_ATTEMPT_OUTS(last));
      std::vector<std::int64_t> previous;
      if (has_last) {
        if (last.state == "in_progress") {
          if (now <= last.deadline + grace) return -last.id;  // resumed
          MarkExpired(s, last.id, last.deadline);
          last.state = "expired";
          last.finished_at = last.deadline;
        }
        if (last.state == "grading") {
          return Conflict("the last attempt at this exam awaits grading", "grading");
        }
        const UnixSeconds retake_at = RetakeAt(last.Last(), exam->cooldown_seconds);
        if (now < retake_at) {
          return Fail(Error(ErrorCode::kConflict,
                            fmt::format("a retake is allowed from {}", FormatTime(retake_at)),
                            {{"retake_at", "cooldown", FormatTime(retake_at)}}, "cooldown"));
        }
        long long qid = 0;
        db::Query(s, "SELECT question_id FROM exam_answers WHERE attempt_id = :t ORDER BY position")
            .Bind(last.id)
            .Each(
                [&] {
                  previous.push_back(qid);
                  return true;
                },
                qid);
      }
      std::vector<std::int64_t> pool;
      std::map<std::int64_t, int> points_of;
      long long qid = 0;
      int points = 0;
      db::Query(s,
                "SELECT id, points FROM exam_questions WHERE exam_id = :e AND retired_at IS NULL "
                "ORDER BY id")
          .Bind(eid)
          .Each(
              [&] {
                pool.push_back(qid);
                points_of[qid] = points;
                return true;
              },
              qid, points);
      if (pool.empty()) return Fail(TooFewQuestions(0, exam->draw_count));
      std::vector<std::int64_t> drawn = rng_.With([&](std::mt19937_64& rng) {
        return DrawQuestions(pool, exam->draw_count, previous, rng);
      });
      int max_points = 0;
      for (std::int64_t q : drawn) max_points += points_of[q];
      long long id = 0;
      db::Query(s,
                "INSERT INTO exam_attempts (exam_id, expert_id, state, domain, level, pass_mark, "
                "valid_days, started_at, deadline, max_points) VALUES (:e, :u, 'in_progress', "
                ":d, :l, :pm, :vd, :s, :dl, :mp) RETURNING id")
          .Bind(eid)
          .Bind(uid)
          .Bind(exam->domain)
          .Bind(exam->level)
          .Bind(exam->pass_mark)
          .Bind(exam->valid_days)
          .Bind(static_cast<long long>(now))
          .Bind(static_cast<long long>(now + exam->time_limit_seconds))
          .Bind(max_points)
          .One(id);
      int position = 0;
      for (std::int64_t q : drawn) {
        db::Query(s,
                  "INSERT INTO exam_answers (attempt_id, question_id, position, max_points) "
                  "VALUES (:t, :q, :p, :m)")
            .Bind(id)
            .Bind(static_cast<long long>(q))
            .Bind(position++)
            .Bind(points_of[q])
            .Run();
      }
      return id;
    });
  };
  auto id = job();
  // Two starts at once: the second breaks the one-running-attempt index and finds it on retry.
  if (!id && id.error().code == ErrorCode::kConflict && id.error().reason.empty()) id = job();
  if (!id) return Fail(id.error());
  FW_TRY(Attempt a, GetAttempt(expert_id, *id < 0 ? -*id : *id));
  a.resumed = *id < 0;
  return a;
}

Result<Attempt> ExamService::GetAttempt(std::int64_t expert_id, std::int64_t attempt_id) {
  const long long uid = expert_id, tid = attempt_id;
  const UnixSeconds now = clock_.Now();
  return db_.ReadSnapshot<Attempt>([&](soci::session& s) -> Result<Attempt> {
    return LoadAttempt(s, tid, uid, now, options_.grace_seconds);
  });
}

Result<std::vector<Attempt>> ExamService::ListAttempts(std::int64_t expert_id) {
  const long long uid = expert_id;
  const UnixSeconds now = clock_.Now();
  return db_.Read<std::vector<Attempt>>([&](soci::session& s) -> Result<std::vector<Attempt>> {
    std::vector<Attempt> out;
    AttemptRow r;
    std::optional<Error> failed;
    db::Query(s, "SELECT " FW_ATTEMPT_COLUMNS
                 " FROM exam_attempts t WHERE t.expert_id = :u ORDER BY t.id DESC")
        .Bind(uid)
        .Each(
            [&] {
              auto a = r.Get(now, options_.grace_seconds);
              if (!a) {
                failed = a.error();
                return false;
              }
              out.push_back(std::move(*a));
              return true;
            },
            FW_ATTEMPT_OUTS(r));
    if (failed) return Fail(*failed);
    return out;
  });
}

namespace {

// Errors: kInvalidArgument naming "answers" when `text` (the answers as JSON) is over the limit.
Status CheckAnswersSize(const std::string& text) {
  if (text.size() <= kMaxExamAnswerBytes) return {};
  return InvalidArgument(
      "the answers are too long",
      {{"answers", "too_long", fmt::format("at most {} bytes as JSON", kMaxExamAnswerBytes)}});
}

}  // namespace

Result<Attempt> ExamService::SaveAnswers(std::int64_t expert_id, std::int64_t attempt_id,
                                         const json::object& answers) {
  const std::int64_t grace = options_.grace_seconds;
  const long long uid = expert_id, tid = attempt_id;
  const std::string text = ToJson(answers);
  FW_TRY_STATUS(CheckAnswersSize(text));
  const UnixSeconds now = clock_.Now();
  FW_TRY(Committed refused, db_.Write<Committed>([&](soci::session& s) -> Result<Committed> {
    auto row = LoadAttemptRow(s, tid, uid);
    if (!row) return NotFound("no such exam attempt");
    if (row->state == "expired") return Committed(TimeUp(row->deadline, grace));
    if (row->state != "in_progress") {
      return Conflict("the attempt was submitted already", "attempt_finished");
    }
    if (now > row->deadline + grace) {
      MarkExpired(s, tid, row->deadline);
      return Committed(TimeUp(row->deadline, grace));
    }
    db::Query(s, "UPDATE exam_attempts SET saved_answers = :a WHERE id = :id")
        .Bind(text)
        .Bind(tid)
        .Run();
    return Committed();
  }));
  if (refused) return Fail(*refused);
  return GetAttempt(expert_id, attempt_id);
}

Result<Attempt> ExamService::Submit(
    std::int64_t expert_id, std::int64_t attempt_id,
    const std::vector<std::pair<std::int64_t, json::value>>& answers) {
  const std::int64_t grace = options_.grace_seconds;
  const long long uid = expert_id, tid = attempt_id;
  // The submitted answers, keyed by question id, as stored and as a retry is compared.
  json::object by_id;
  for (const auto& [qid, v] : answers) by_id[std::to_string(qid)] = v;
  const std::string text = ToJson(by_id);
  FW_TRY_STATUS(CheckAnswersSize(text));
  const UnixSeconds now = clock_.Now();
  FW_TRY(Committed refused, db_.Write<Committed>([&](soci::session& s) -> Result<Committed> {
    auto row = LoadAttemptRow(s, tid, uid);
    if (!row) return NotFound("no such exam attempt");
    if (row->state == "expired") return Committed(TimeUp(row->deadline, grace));
    if (row->state != "in_progress") {
      std::optional<std::string> before;
      db::Query(s, "SELECT submitted_answers FROM exam_attempts WHERE id = :id")
          .Bind(tid)
          .One(before);
      if (before) {
        FW_TRY(json::value b, ParseJson(*before, "submitted answers"));
        if (b == json::value(by_id)) return Committed();  // a retry: the attempt as it stands
      }
      return Conflict("the attempt was submitted already with other answers", "already_submitted");
    }
    if (now > row->deadline + grace) {
      MarkExpired(s, tid, row->deadline);
      return Committed(TimeUp(row->deadline, grace));
    }
    // The drawn questions, with what grading needs.
    struct Drawn {
      long long answer_id = 0;
      std::string question;
      std::optional<std::string> gold;
      int max_points = 0;
    };
    std::map<long long, Drawn> drawn;
    {
      Drawn d;
      long long qid = 0;
      db::Query(s,
                "SELECT a.question_id, a.id, q.question, q.gold, a.max_points FROM exam_answers a "
                "JOIN exam_questions q ON q.id = a.question_id WHERE a.attempt_id = :t")
          .Bind(tid)
          .Each(
              [&] {
                drawn[qid] = d;
                return true;
              },
              qid, d.answer_id, d.question, d.gold, d.max_points);
    }
    std::map<long long, const json::value*> given;
    for (const auto& [qid, v] : answers) given[qid] = &v;
    // Check every answer before writing any.
    std::vector<FieldError> problems;
    struct Graded {
      long long answer_id;
      std::optional<std::string> answer;
      std::optional<int> points;
      bool auto_graded;
    };
    std::vector<Graded> graded;
    for (const auto& [qid, v] : answers) {
      if (!drawn.count(qid)) {
        problems.push_back(
            {fmt::format("answers.{}", qid), "unknown_question", "not a question of this attempt"});
      }
    }
    for (const auto& [qid, d] : drawn) {
      FW_TRY(json::object spec, ParseObjectText(d.question, "question"));
      FW_TRY(projects::Template tmpl, QuestionTemplate(spec));
      auto it = given.find(qid);
      const json::value* v = it == given.end() ? nullptr : it->second;
      const bool unanswered =
          v == nullptr || v->is_null() || (v->is_string() && v->as_string().empty());
      if (unanswered) {
        graded.push_back({d.answer_id, std::nullopt, 0, d.gold.has_value()});
        continue;
      }
      json::object answer{{kAnswerKey, *v}};
      if (auto st = projects::ValidateAnswer(tmpl, answer); !st) {
        for (FieldError& e : AnswerPath(st.error(), fmt::format("answers.{}", qid))) {
          problems.push_back(std::move(e));
        }
        continue;
      }
      if (d.gold) {
        FW_TRY(json::value gold, ParseJson(*d.gold, "gold"));
        const bool right = projects::GoldMatches(json::object{{kAnswerKey, gold}}, answer);
        graded.push_back({d.answer_id, ToJson(*v), right ? d.max_points : 0, true});
      } else {
        graded.push_back({d.answer_id, ToJson(*v), std::nullopt, false});
      }
    }
    if (!problems.empty()) {
      return Unprocessable("some answers do not fit their questions", std::move(problems));
    }
    for (const Graded& g : graded) {
      db::Query(s,
                "UPDATE exam_answers SET answer = :a, points = :p, auto_graded = :ag, "
                "graded_at = :g WHERE id = :id")
          .Bind(g.answer)
          .Bind(g.points)
          .Bind(g.auto_graded ? 1 : 0)
          .Bind(g.points ? std::optional<long long>(now) : std::nullopt)
          .Bind(g.answer_id)
          .Run();
    }
    if (db::Query(s,
                  "UPDATE exam_attempts SET state = 'grading', submitted_answers = :a, "
                  "submitted_at = :s, saved_answers = NULL WHERE id = :id AND state = "
                  "'in_progress'")
            .Bind(text)
            .Bind(static_cast<long long>(now))
            .Bind(tid)
            .Run() != 1) {
      return Conflict("the attempt changed meanwhile; read it again");
    }
    FW_TRY_STATUS(Finalize(s, experts_, tid, now));
    return Committed();
  }));
  if (refused) return Fail(*refused);
  return GetAttempt(expert_id, attempt_id);
}

namespace {

#define FW_GRADING_COLUMNS                                                                 \
  "a.id, e.id, e.title, t.domain, t.level, q.question, q.prompt, a.max_points, a.answer, " \
  "a.points, a.comment, a.graded_at, t.submitted_at, t.expert_id, a.graded_by, t.state"

struct GradingRow {
  long long id = 0, exam_id = 0, expert_id = 0;
  std::string title, domain, question, prompt, comment, state;
  int level = 0, max_points = 0;
  std::optional<std::string> answer;
  std::optional<int> points;
  std::optional<long long> graded_at, submitted_at, graded_by;
  Result<Grading> Get() const {
    Grading g;
    g.id = id;
    g.exam_id = exam_id;
    g.exam_title = title;
    g.domain = domain;
    g.level = level;
    FW_TRY(g.question, ParseObjectText(question, "question"));
    g.prompt = prompt;
    g.max_points = max_points;
    if (answer) {
      FW_TRY(json::value v, ParseJson(*answer, "answer"));
      g.answer = std::move(v);
    }
    g.points = points;
    g.comment = comment;
    g.graded_at = graded_at;
    g.submitted_at = submitted_at.value_or(0);
    return g;
  }
};
#define FW_GRADING_OUTS(r)                                                                   \
  r.id, r.exam_id, r.title, r.domain, r.level, r.question, r.prompt, r.max_points, r.answer, \
      r.points, r.comment, r.graded_at, r.submitted_at, r.expert_id, r.graded_by, r.state

#define FW_GRADING_FROM                                               \
  " FROM exam_answers a JOIN exam_attempts t ON t.id = a.attempt_id " \
  "JOIN exams e ON e.id = t.exam_id JOIN exam_questions q ON q.id = a.question_id "

}  // namespace

Result<std::vector<Grading>> ExamService::Gradings(std::int64_t reviewer_id, int limit) {
  const long long uid = reviewer_id;
  const UnixSeconds now = clock_.Now();
  return db_.ReadSnapshot<std::vector<Grading>>(
      [&](soci::session& s) -> Result<std::vector<Grading>> {
        FW_TRY(std::vector<Qualification> quals, experts_.Qualifications(uid, &s));
        std::vector<Grading> out;
        GradingRow r;
        std::optional<Error> failed;
        db::Query(s, "SELECT " FW_GRADING_COLUMNS FW_GRADING_FROM
                     "WHERE t.state = 'grading' AND a.points IS NULL AND t.expert_id <> :u "
                     "ORDER BY t.submitted_at, a.id")
            .Bind(uid)
            .Each(
                [&] {
                  if (!MayGrade(quals, r.domain, r.level, now)) return true;
                  auto g = r.Get();
                  if (!g) {
                    failed = g.error();
                    return false;
                  }
                  out.push_back(std::move(*g));
                  return static_cast<int>(out.size()) < limit;
                },
                FW_GRADING_OUTS(r));
        if (failed) return Fail(*failed);
        return out;
      });
}

Result<Grading> ExamService::Grade(std::int64_t reviewer_id, std::int64_t grading_id, int points,
                                   const std::string& comment) {
  const long long uid = reviewer_id, gid = grading_id;
  const UnixSeconds now = clock_.Now();
  return db_.Write<Grading>([&](soci::session& s) -> Result<Grading> {
    GradingRow r;
    auto load = [&] {
      return db::Query(s, "SELECT " FW_GRADING_COLUMNS FW_GRADING_FROM "WHERE a.id = :id")
          .Bind(gid)
          .One(FW_GRADING_OUTS(r));
    };
    if (!load() || r.state == "in_progress" || r.state == "expired" || !r.submitted_at) {
      return NotFound("no such grading");
    }
    if (r.expert_id == uid) {
      return Fail(ErrorCode::kPermissionDenied, "nobody grades their own exam", {}, "own_attempt");
    }
    FW_TRY(std::vector<Qualification> quals, experts_.Qualifications(uid, &s));
    if (!MayGrade(quals, r.domain, r.level, now)) {
      return Fail(ErrorCode::kPermissionDenied,
                  fmt::format("grading this needs reviewer rights in {} at level {} or higher",
                              r.domain, r.level),
                  {}, "not_qualified");
    }
    if (points < 0 || points > r.max_points) {
      return InvalidArgument(fmt::format("points must be between 0 and {}", r.max_points),
                             {{"points", "out_of_range", fmt::format("0 to {}", r.max_points)}});
    }
    if (comment.size() > kMaxCommentBytes) {
      return InvalidArgument(
          "the comment is too long",
          {{"comment", "too_long", fmt::format("at most {} bytes", kMaxCommentBytes)}});
    }
    if (r.points) {
      if (r.graded_by && *r.graded_by == uid && *r.points == points && r.comment == comment) {
        return r.Get();
      }
      return Conflict("this question is graded already", "already_graded");
    }
    // Taking the attempt's row first makes concurrent grades of one attempt serialize, so the
    // last of them sees every other grade and makes the result final.
    db::Query(s,
              "UPDATE exam_attempts SET state = state WHERE id = "
              "(SELECT attempt_id FROM exam_answers WHERE id = :id)")
        .Bind(gid)
        .Run();
    if (db::Query(s,
                  "UPDATE exam_answers SET points = :p, comment = :c, graded_by = :by, "
                  "graded_at = :g WHERE id = :id AND points IS NULL")
            .Bind(points)
            .Bind(comment)
            .Bind(uid)
            .Bind(static_cast<long long>(now))
            .Bind(gid)
            .Run() != 1) {
      return Conflict("this question is graded already", "already_graded");
    }
    long long attempt_id = 0;
    db::Query(s, "SELECT attempt_id FROM exam_answers WHERE id = :id").Bind(gid).One(attempt_id);
    FW_TRY_STATUS(Finalize(s, experts_, attempt_id, now));
    FW_CHECK(load());
    return r.Get();
  });
}

}  // namespace fw::experts
