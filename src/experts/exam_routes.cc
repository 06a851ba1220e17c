#include "experts/exam_routes.h"

#include <fmt/format.h>

#include <charconv>
#include <map>

#include "base/json.h"

namespace fw::experts {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;
using security::IdKind;

namespace {

// Who may call an exam route. The router admits any authenticated caller (kAuthenticated), so
// that a lab's credentials get the same 404 as a path that does not exist; the rest of the
// role check is here.
enum class Who { kOperator, kExpert, kReviewer, kOperatorOrExpert };

Status Gate(const Caller& c, Who who) {
  if (c.IsLab()) return NotFound("no such exam");
  const bool ok = [&] {
    switch (who) {
      case Who::kOperator:
        return c.IsOperator();
      case Who::kExpert:
        return c.IsExpert();
      case Who::kReviewer:
        return c.IsExpert() && c.reviewer;
      case Who::kOperatorOrExpert:
        return c.IsOperator() || c.IsExpert();
    }
    return false;
  }();
  if (ok) return {};
  std::string_view needed = who == Who::kOperator   ? "operator"
                            : who == Who::kExpert   ? "expert"
                            : who == Who::kReviewer ? "reviewer"
                                                    : "operator or expert";
  return PermissionDenied(fmt::format("this needs the {} role", needed));
}

json::value TimeOrNull(const std::optional<UnixSeconds>& t) {
  if (!t) return nullptr;
  return json::value(FormatTime(*t));
}

template <typename T>
json::value OrNull(const std::optional<T>& v) {
  if (!v) return nullptr;
  return json::value(*v);
}

json::object ExamJson(const Exam& e, const security::IdCodec& ids, bool for_operator) {
  json::object o{{"id", ids.Encode(IdKind::kExam, e.id)},
                 {"domain", e.domain},
                 {"level", e.level},
                 {"level_name", LevelName(e.level)},
                 {"title", e.title},
                 {"description", e.description},
                 {"time_limit_seconds", e.time_limit_seconds},
                 {"pass_mark", e.pass_mark},
                 {"cooldown_seconds", e.cooldown_seconds},
                 {"draw_count", e.draw_count},
                 {"valid_days", OrNull(e.valid_days)}};
  if (for_operator) {
    o["status"] = e.active ? "active" : "draft";
    o["active_questions"] = e.active_questions;
    o["created_at"] = FormatTime(e.created_at);
    o["updated_at"] = FormatTime(e.updated_at);
  }
  return o;
}

json::object QuestionJson(const ExamQuestion& q, const security::IdCodec& ids) {
  return {{"id", ids.Encode(IdKind::kExamQuestion, q.id)},
          {"prompt", q.prompt},
          {"points", q.points},
          {"question", q.question},
          {"gold", q.gold ? *q.gold : json::value(nullptr)},
          {"graded_by", q.gold ? "gold" : "reviewer"},
          {"retired_at", TimeOrNull(q.retired_at)},
          {"created_at", FormatTime(q.created_at)}};
}

json::object StatusJson(const ExamStatus& st, const security::IdCodec& ids) {
  json::value attempt = nullptr;
  if (st.attempt_id) attempt = json::value(ids.Encode(IdKind::kExamAttempt, *st.attempt_id));
  return {{"status", ExamStandingName(st.standing)},
          {"can_start", st.can_start},
          {"deadline", TimeOrNull(st.deadline)},
          {"retake_at", TimeOrNull(st.retake_at)},
          {"score", OrNull(st.score)},
          {"expires_at", TimeOrNull(st.expires_at)},
          {"attempt_id", std::move(attempt)}};
}

json::object AttemptJson(const Attempt& a, const security::IdCodec& ids, UnixSeconds now,
                         bool with_questions, std::int64_t grace_seconds) {
  json::value passed = nullptr;
  if (a.state == AttemptState::kPassed) passed = true;
  if (a.state == AttemptState::kFailed || a.state == AttemptState::kExpired) passed = false;
  const bool running = a.state == AttemptState::kInProgress;
  json::object o{{"id", ids.Encode(IdKind::kExamAttempt, a.id)},
                 {"exam_id", ids.Encode(IdKind::kExam, a.exam_id)},
                 {"domain", a.domain},
                 {"level", a.level},
                 {"state", AttemptStateName(a.state)},
                 {"started_at", FormatTime(a.started_at)},
                 {"deadline", FormatTime(a.deadline)},
                 {"grace_seconds", grace_seconds},
                 {"server_time", FormatTime(now)},
                 {"seconds_left", running ? std::max<std::int64_t>(0, a.deadline - now) : 0},
                 {"submitted_at", TimeOrNull(a.submitted_at)},
                 {"finished_at", TimeOrNull(a.finished_at)},
                 {"pass_mark", a.pass_mark},
                 {"max_points", a.max_points},
                 {"points", OrNull(a.points)},
                 {"score", OrNull(a.score)},
                 {"passed", std::move(passed)},
                 {"qualification_granted", a.qualification_granted},
                 {"qualification_expires_at", TimeOrNull(a.qualification_expires_at)}};
  if (!with_questions) return o;
  o["saved_answers"] = running ? json::value(a.saved_answers) : json::value(nullptr);
  json::array qs;
  for (const AttemptQuestion& q : a.questions) {
    json::value graded_by = nullptr;
    if (q.points) graded_by = q.auto_graded ? "gold" : (q.answer ? "reviewer" : "unanswered");
    qs.push_back(json::object{{"id", ids.Encode(IdKind::kExamQuestion, q.question_id)},
                              {"prompt", q.prompt},
                              {"question", q.question},
                              {"max_points", q.max_points},
                              {"answer", q.answer ? *q.answer : json::value(nullptr)},
                              {"points", OrNull(q.points)},
                              {"graded_by", std::move(graded_by)},
                              {"comment", q.comment}});
  }
  o["questions"] = std::move(qs);
  return o;
}

json::object GradingJson(const Grading& g, const security::IdCodec& ids) {
  return {{"id", ids.Encode(IdKind::kExamGrading, g.id)},
          {"exam", json::object{{"id", ids.Encode(IdKind::kExam, g.exam_id)},
                                {"title", g.exam_title},
                                {"domain", g.domain},
                                {"level", g.level}}},
          {"prompt", g.prompt},
          {"question", g.question},
          {"max_points", g.max_points},
          {"answer", g.answer ? *g.answer : json::value(nullptr)},
          {"points", OrNull(g.points)},
          {"comment", g.comment},
          {"graded_at", TimeOrNull(g.graded_at)},
          {"submitted_at", FormatTime(g.submitted_at)}};
}

// The "answers" member of a submit or save: an object keyed by question ids.
Result<json::object> AnswersMember(const json::object& body) {
  FW_TRY_STATUS(RejectUnknownKeys(body, {"answers"}));
  FW_TRY(const json::object* answers, OptionalObject(body, "answers"));
  if (answers == nullptr) return Fail(FieldRequiredError("answers"));
  return *answers;
}

void RegisterBankRoutes(http::Router& router, ExamService& exams, const security::IdCodec& ids) {
  router.Add({"POST", "/api/v1/exams", Access::kAuthenticated,
              [&exams, &ids](Request& req) -> Result<Response> {
                FW_TRY_STATUS(Gate(req.caller, Who::kOperator));
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY(ExamSettings st, ParseExamSettings(body, /*create=*/true,
                                                          exams.options().min_time_limit_seconds));
                FW_TRY(Exam e, exams.CreateExam(st, req.caller.user_id));
                return http::Json(ExamJson(e, ids, true), 201);
              },
              "create an exam bank (operators; a draft until activated)"});

  router.Add({"GET", "/api/v1/exams", Access::kAuthenticated,
              [&exams, &ids](Request& req) -> Result<Response> {
                FW_TRY_STATUS(Gate(req.caller, Who::kOperatorOrExpert));
                json::array out;
                if (req.caller.IsOperator()) {
                  FW_TRY(auto all, exams.ListExams());
                  for (const Exam& e : all) out.push_back(ExamJson(e, ids, true));
                } else {
                  FW_TRY(auto mine, exams.ExamsFor(req.caller.user_id));
                  for (const auto& x : mine) {
                    json::object o = ExamJson(x.exam, ids, false);
                    o["mine"] = StatusJson(x.status, ids);
                    out.push_back(std::move(o));
                  }
                }
                return http::Json(json::object{{"exams", std::move(out)}});
              },
              "exam banks (operators: all; experts: the active ones with their standing)"});

  router.Add({"GET", "/api/v1/exams/{exam_id}", Access::kAuthenticated,
              [&exams, &ids](Request& req) -> Result<Response> {
                FW_TRY_STATUS(Gate(req.caller, Who::kOperatorOrExpert));
                FW_TRY(std::int64_t id, ids.Find(IdKind::kExam, req.Param("exam_id")));
                if (req.caller.IsOperator()) {
                  FW_TRY(auto exam, exams.GetExam(id));
                  json::object o = ExamJson(exam.first, ids, true);
                  json::array qs;
                  for (const ExamQuestion& q : exam.second) qs.push_back(QuestionJson(q, ids));
                  o["questions"] = std::move(qs);
                  return http::Json(o);
                }
                FW_TRY(auto mine, exams.ExamsFor(req.caller.user_id));
                for (const auto& x : mine) {
                  if (x.exam.id != id) continue;
                  json::object o = ExamJson(x.exam, ids, false);
                  o["mine"] = StatusJson(x.status, ids);
                  return http::Json(o);
                }
                return NotFound("no such exam");
              },
              "one exam (operators: with every question and its gold; experts: an active "
              "exam with their standing)"});

  router.Add({"PATCH", "/api/v1/exams/{exam_id}", Access::kAuthenticated,
              [&exams, &ids](Request& req) -> Result<Response> {
                FW_TRY_STATUS(Gate(req.caller, Who::kOperator));
                FW_TRY(std::int64_t id, ids.Find(IdKind::kExam, req.Param("exam_id")));
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY(ExamSettings st, ParseExamSettings(body, /*create=*/false,
                                                          exams.options().min_time_limit_seconds));
                FW_TRY(Exam e, exams.UpdateExam(id, st));
                return http::Json(ExamJson(e, ids, true));
              },
              "change an exam's settings or status (operators)"});

  router.Add({"POST", "/api/v1/exams/{exam_id}/questions", Access::kAuthenticated,
              [&exams, &ids](Request& req) -> Result<Response> {
                FW_TRY_STATUS(Gate(req.caller, Who::kOperator));
                FW_TRY(std::int64_t id, ids.Find(IdKind::kExam, req.Param("exam_id")));
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY(ExamQuestion q, ParseExamQuestion(body));
                FW_TRY(ExamQuestion added, exams.AddQuestion(id, std::move(q)));
                return http::Json(QuestionJson(added, ids), 201);
              },
              "add a question to an exam bank (operators)"});

  router.Add({"POST", "/api/v1/exams/{exam_id}/questions/{question_id}/retire",
              Access::kAuthenticated,
              [&exams, &ids](Request& req) -> Result<Response> {
                FW_TRY_STATUS(Gate(req.caller, Who::kOperator));
                FW_TRY(std::int64_t id, ids.Find(IdKind::kExam, req.Param("exam_id")));
                FW_TRY(std::int64_t qid, ids.Find(IdKind::kExamQuestion, req.Param("question_id")));
                FW_TRY(ExamQuestion q, exams.RetireQuestion(id, qid));
                return http::Json(QuestionJson(q, ids));
              },
              "retire a question: later attempts do not draw it (operators)"});
}

void RegisterAttemptRoutes(http::Router& router, ExamService& exams, const Clock& clock,
                           const security::IdCodec& ids) {
  router.Add({"POST", "/api/v1/exams/{exam_id}/attempts", Access::kAuthenticated,
              [&exams, &clock, &ids](Request& req) -> Result<Response> {
                FW_TRY_STATUS(Gate(req.caller, Who::kExpert));
                FW_TRY(std::int64_t id, ids.Find(IdKind::kExam, req.Param("exam_id")));
                FW_TRY(Attempt a, exams.Start(req.caller.user_id, id));
                json::object o =
                    AttemptJson(a, ids, clock.Now(), true, exams.options().grace_seconds);
                o["resumed"] = a.resumed;
                return http::Json(o, a.resumed ? 200 : 201);
              },
              "start an attempt at an exam, or get the one running (experts)"});

  router.Add({"GET", "/api/v1/exam-attempts", Access::kAuthenticated,
              [&exams, &clock, &ids](Request& req) -> Result<Response> {
                FW_TRY_STATUS(Gate(req.caller, Who::kExpert));
                FW_TRY(auto all, exams.ListAttempts(req.caller.user_id));
                json::array out;
                const UnixSeconds now = clock.Now();
                for (const Attempt& a : all)
                  out.push_back(AttemptJson(a, ids, now, false, exams.options().grace_seconds));
                return http::Json(json::object{{"attempts", std::move(out)}});
              },
              "the caller's exam attempts, newest first (experts)"});

  router.Add({"GET", "/api/v1/exam-attempts/{attempt_id}", Access::kAuthenticated,
              [&exams, &clock, &ids](Request& req) -> Result<Response> {
                FW_TRY_STATUS(Gate(req.caller, Who::kExpert));
                FW_TRY(std::int64_t id, ids.Find(IdKind::kExamAttempt, req.Param("attempt_id")));
                FW_TRY(Attempt a, exams.GetAttempt(req.caller.user_id, id));
                return http::Json(
                    AttemptJson(a, ids, clock.Now(), true, exams.options().grace_seconds));
              },
              "one of the caller's attempts: questions (never gold), answers, result"});

  router.Add({"PUT", "/api/v1/exam-attempts/{attempt_id}/answers", Access::kAuthenticated,
              [&exams, &clock, &ids](Request& req) -> Result<Response> {
                FW_TRY_STATUS(Gate(req.caller, Who::kExpert));
                FW_TRY(std::int64_t id, ids.Find(IdKind::kExamAttempt, req.Param("attempt_id")));
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY(json::object answers, AnswersMember(body));
                FW_TRY(Attempt a, exams.SaveAnswers(req.caller.user_id, id, answers));
                return http::Json(
                    AttemptJson(a, ids, clock.Now(), true, exams.options().grace_seconds));
              },
              "save the answers given so far in a running attempt (experts)"});

  router.Add(
      {"POST", "/api/v1/exam-attempts/{attempt_id}/submit", Access::kAuthenticated,
       [&exams, &clock, &ids](Request& req) -> Result<Response> {
         FW_TRY_STATUS(Gate(req.caller, Who::kExpert));
         FW_TRY(std::int64_t id, ids.Find(IdKind::kExamAttempt, req.Param("attempt_id")));
         FW_TRY(auto body, http::JsonBody(req));
         FW_TRY(json::object answers, AnswersMember(body));
         std::vector<std::pair<std::int64_t, json::value>> by_id;
         // A key that is no question id goes to the service under a negative id, which no
         // question has, so the deadline is checked before the answers are.
         std::map<std::int64_t, std::string> undecodable;
         for (const auto& kv : answers) {
           auto qid = ids.Decode(IdKind::kExamQuestion, kv.key());
           if (!qid) {
             const std::int64_t stand_in = -1 - static_cast<std::int64_t>(undecodable.size());
             undecodable[stand_in] = std::string(kv.key());
             qid = stand_in;
           }
           by_id.emplace_back(*qid, kv.value());
         }
         auto a = exams.Submit(req.caller.user_id, id, by_id);
         if (!a) {
           // The service names questions by internal id; the client knows the keys it sent.
           Error e = a.error();
           for (FieldError& d : e.details) {
             constexpr std::string_view kPrefix = "answers.";
             if (d.field.rfind(kPrefix, 0) != 0) continue;
             std::int64_t internal = 0;
             const std::string digits = d.field.substr(kPrefix.size());
             auto [end, ec] =
                 std::from_chars(digits.data(), digits.data() + digits.size(), internal);
             if (ec != std::errc() || end != digits.data() + digits.size()) continue;
             auto it = undecodable.find(internal);
             d.field = fmt::format("answers.{}", it != undecodable.end()
                                                     ? it->second
                                                     : ids.Encode(IdKind::kExamQuestion, internal));
           }
           return Fail(std::move(e));
         }
         return http::Json(AttemptJson(*a, ids, clock.Now(), true, exams.options().grace_seconds));
       },
       "submit every answer of a running attempt (experts)"});
}

void RegisterGradingRoutes(http::Router& router, ExamService& exams, const security::IdCodec& ids) {
  router.Add({"GET", "/api/v1/exam-gradings", Access::kAuthenticated,
              [&exams, &ids](Request& req) -> Result<Response> {
                FW_TRY_STATUS(Gate(req.caller, Who::kReviewer));
                FW_TRY(auto all, exams.Gradings(req.caller.user_id));
                json::array out;
                for (const Grading& g : all) out.push_back(GradingJson(g, ids));
                return http::Json(json::object{{"gradings", std::move(out)}});
              },
              "exam answers awaiting a grade that the caller may give (reviewers)"});

  router.Add({"POST", "/api/v1/exam-gradings/{grading_id}", Access::kAuthenticated,
              [&exams, &ids](Request& req) -> Result<Response> {
                FW_TRY_STATUS(Gate(req.caller, Who::kReviewer));
                FW_TRY(std::int64_t id, ids.Find(IdKind::kExamGrading, req.Param("grading_id")));
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY_STATUS(RejectUnknownKeys(body, {"points", "comment"}));
                FW_TRY(std::int64_t points, RequiredInt(body, "points"));
                FW_TRY(std::optional<std::string> comment, OptionalString(body, "comment"));
                // Out-of-int values are out of range too; let the service say so.
                int p = points < 0 || points > kMaxQuestionPoints ? -1 : static_cast<int>(points);
                FW_TRY(Grading g, exams.Grade(req.caller.user_id, id, p, comment.value_or("")));
                return http::Json(GradingJson(g, ids));
              },
              "grade an exam answer with points and a comment (reviewers)"});
}

}  // namespace

void RegisterExamRoutes(http::Router& router, ExamService& exams, const Clock& clock,
                        const security::IdCodec& ids) {
  RegisterBankRoutes(router, exams, ids);
  RegisterAttemptRoutes(router, exams, clock, ids);
  RegisterGradingRoutes(router, exams, ids);
}

}  // namespace fw::experts
