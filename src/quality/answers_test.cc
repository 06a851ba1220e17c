#include "quality/answers.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fw::quality {
namespace {

// The answers as (worker, task, label) names, for readable comparisons.
struct Named {
  std::string worker, task, label;
  friend bool operator==(const Named&, const Named&) = default;
};
std::vector<Named> Names(const AnswerSet& s) {
  std::vector<Named> out;
  for (const Answer& a : s.answers) {
    out.push_back({s.workers[a.worker], s.tasks[a.task], s.labels[a.label]});
  }
  return out;
}

// Parses text that must fail and returns the error.
Error ParseError(std::string_view text) {
  auto r = ParseAnswers(text);
  EXPECT_FALSE(r.has_value()) << "parsed: " << text;
  return r ? Error{} : r.error();
}

void ExpectLineError(const Error& e, int line, std::string_view message_part,
                     std::string_view code) {
  const std::string field = "line " + std::to_string(line);
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(e.message.rfind(field + ": ", 0), 0u) << e.message;
  EXPECT_NE(e.message.find(message_part), std::string::npos) << e.message;
  ASSERT_EQ(e.details.size(), 1u);
  EXPECT_EQ(e.details[0].field, field);
  EXPECT_EQ(e.details[0].code, code);
}

TEST(ParseAnswersCsv, ReadsColumnsInAnyOrderAndIgnoresOthers) {
  auto s = ParseAnswersCsv("label,extra,task,worker\nyes,x,t1,w1\nno,y,t2,w1\n");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(Names(*s), (std::vector<Named>{{"w1", "t1", "yes"}, {"w1", "t2", "no"}}));
}

TEST(ParseAnswersCsv, InternsNamesInOrderOfFirstAppearance) {
  auto s = ParseAnswersCsv("worker,task,label\nw2,t9,a\nw1,t9,b\nw2,t3,a\n");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->workers, (std::vector<std::string>{"w2", "w1"}));
  EXPECT_EQ(s->tasks, (std::vector<std::string>{"t9", "t3"}));
  EXPECT_EQ(s->answers[2], (Answer{1, 0, 0}));
}

TEST(ParseAnswersCsv, AcceptsBomCrlfAndBlankLines) {
  auto s = ParseAnswersCsv("\xEF\xBB\xBFworker,task,label\r\n\r\nw1,t1,1\r\n  \r\nw2,t1,0\r\n\r\n");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(Names(*s), (std::vector<Named>{{"w1", "t1", "1"}, {"w2", "t1", "0"}}));
}

TEST(ParseAnswersCsv, LastLineWithoutNewlineIsRead) {
  auto s = ParseAnswersCsv("worker,task,label\nw1,t1,a");
  ASSERT_TRUE(s);
  EXPECT_EQ(Names(*s), (std::vector<Named>{{"w1", "t1", "a"}}));
}

TEST(ParseAnswersCsv, UnquotesFieldsWithCommasQuotesAndNewlines) {
  auto s = ParseAnswersCsv(
      "\"worker\",task,label\n"
      "\"w,1\",\"t \"\"one\"\"\",\"multi\nline\"\r\n"
      "\"\"\"w,1\",t2,\"plain\"\n");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(Names(*s),
            (std::vector<Named>{{"w,1", "t \"one\"", "multi\nline"}, {"\"w,1", "t2", "plain"}}));
}

TEST(ParseAnswersCsv, QuotedAndBareSpellingsOfANameAreOneName) {
  auto s = ParseAnswersCsv("worker,task,label\nw1,t1,a\n\"w1\",\"t1\",\"a\"\n");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->num_workers(), 1u);
  EXPECT_EQ(s->num_tasks(), 1u);
  EXPECT_EQ(s->num_labels(), 1u);
}

TEST(ParseAnswersCsv, KeepsDuplicateTaskWorkerRowsAsSeparateAnswers) {
  auto s = ParseAnswersCsv("worker,task,label\nw1,t1,a\nw1,t1,b\nw1,t1,a\n");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->answers.size(), 3u);
}

TEST(ParseAnswersCsv, HeaderOnlyGivesAnEmptySet) {
  auto s = ParseAnswersCsv("worker,task,label\n");
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->answers.empty());
}

TEST(ParseAnswersCsv, EmptyTextIsInvalid) {
  for (std::string_view text : {"", "\xEF\xBB\xBF", "\n\r\n  \n"}) {
    auto s = ParseAnswersCsv(text);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(s.error().message.find("empty"), std::string::npos);
  }
}

TEST(ParseAnswersCsv, MissingColumnNamesTheHeaderLine) {
  ExpectLineError(ParseError("worker,task\nw1,t1\n"), 1, "missing column label", "required");
  ExpectLineError(ParseError("\n\nworker,label\nw1,a\n"), 3, "missing column task", "required");
}

TEST(ParseAnswersCsv, ColumnNamedTwiceIsInvalid) {
  ExpectLineError(ParseError("worker,task,label,task\n"), 1, "appears twice", "malformed");
}

TEST(ParseAnswersCsv, TooFewFieldsNamesTheLineAndTheField) {
  ExpectLineError(ParseError("worker,task,label\nw1,t1,a\n\nw2,t2\n"), 4, "missing label",
                  "required");
  ExpectLineError(ParseError("task,label,worker\nt1,a,w1\nt2\n"), 3, "missing label", "required");
}

TEST(ParseAnswersCsv, EmptyFieldNamesTheLine) {
  ExpectLineError(ParseError("worker,task,label\nw1,,a\n"), 2, "empty task", "required");
  ExpectLineError(ParseError("worker,task,label\nw1,t1,\"\"\n"), 2, "empty label", "required");
}

TEST(ParseAnswersCsv, BrokenQuotingNamesTheLine) {
  ExpectLineError(ParseError("worker,task,label\nw1,t1,a\nw1,\"t2,a\n"), 3,
                  "unterminated quoted field", "malformed");
  ExpectLineError(ParseError("worker,task,label\n\"w1\"x,t1,a\n"), 2, "after a closing quote",
                  "malformed");
}

TEST(ParseAnswersCsv, LineNumbersCountNewlinesInsideQuotes) {
  ExpectLineError(ParseError("worker,task,label\nw1,\"t\n1\",a\nw1,t2\n"), 4, "missing label",
                  "required");
}

TEST(AnswerLabels, IntegersSortNumerically) {
  auto s = ParseAnswersCsv("worker,task,label\nw,t,10\nw,t,2\nw,t,-3\nw,t,0\n");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->labels, (std::vector<std::string>{"-3", "0", "2", "10"}));
  // Answers are re-indexed to the sorted order.
  EXPECT_EQ(s->labels[s->answers[0].label], "10");
  EXPECT_EQ(s->labels[s->answers[2].label], "-3");
}

TEST(AnswerLabels, MinusZeroIsAnIntegerThatKeepsItsName) {
  auto s = ParseAnswersCsv("worker,task,label\nw,t,5\nw,t,0\nw,t,-0\nw,t,-1\n");
  ASSERT_TRUE(s);
  // Still numeric ("5" after "-1"); "-0" equals 0 and sorts next to "0", bytewise first.
  EXPECT_EQ(s->labels, (std::vector<std::string>{"-1", "-0", "0", "5"}));
}

TEST(AnswerLabels, AnyNonIntegerMakesTheOrderBytewise) {
  auto s = ParseAnswersCsv("worker,task,label\nw,t,10\nw,t,2\nw,t,b\nw,t,B\n");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->labels, (std::vector<std::string>{"10", "2", "B", "b"}));
}

TEST(AnswerSetBuilder, DeclaredLabelsGetAnIndexAndTheOrder) {
  AnswerSetBuilder b;
  b.AddLabel("3");
  b.Add("w1", "t1", "1");
  b.AddLabel("1");
  const AnswerSet s = b.Finish();
  EXPECT_EQ(s.labels, (std::vector<std::string>{"1", "3"}));
  EXPECT_EQ(s.answers, (std::vector<Answer>{{0, 0, 0}}));
}

TEST(AnswerSetBuilder, IsEmptyAfterFinishAndMovable) {
  AnswerSetBuilder b;
  b.Add("w1", "t1", "x");
  AnswerSetBuilder moved = std::move(b);
  EXPECT_EQ(moved.Finish().answers.size(), 1u);
  const AnswerSet again = moved.Finish();
  EXPECT_TRUE(again.answers.empty());
  EXPECT_TRUE(again.labels.empty());
  moved.Add("w2", "t2", "y");  // reusable
  EXPECT_EQ(Names(moved.Finish()), (std::vector<Named>{{"w2", "t2", "y"}}));
}

TEST(AnswerSetBuilder, CopiesNamesSoTheCallerMayReuseItsBuffers) {
  AnswerSetBuilder b;
  std::string buffer = "worker-with-a-long-name-0";
  b.Add(buffer, "t", "a");
  buffer = "worker-with-a-long-name-1";
  b.Add(buffer, "t", "a");
  const AnswerSet s = b.Finish();
  EXPECT_EQ(s.workers,
            (std::vector<std::string>{"worker-with-a-long-name-0", "worker-with-a-long-name-1"}));
}

TEST(AnswerSetBuilder, InternsManyNames) {
  AnswerSetBuilder b;
  for (int i = 0; i < 5000; ++i) {
    b.Add("w" + std::to_string(i % 7), "task-" + std::to_string(i % 1000), std::to_string(i % 3));
  }
  const AnswerSet s = b.Finish();
  EXPECT_EQ(s.num_tasks(), 1000u);
  EXPECT_EQ(s.num_workers(), 7u);
  EXPECT_EQ(s.tasks[999], "task-999");
  EXPECT_EQ(s.answers[4999], (Answer{999, 1, 1}));  // 4999 % 7 = 1: second worker seen
}

TEST(ParseAnswersJsonl, ReadsStringAndIntegerMembers) {
  auto s = ParseAnswersJsonl(
      "{\"worker\": \"w1\", \"task\": 17, \"label\": \"a\"}\n"
      "\n"
      "  {\"label\":-0,\"extra\":{\"x\":[1,2,{\"y\":null}],\"s\":\"}\"},\"task\":\"17\","
      "\"worker\":\"w2\", \"ok\": true, \"n\": -1.5e3}  \r\n");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(Names(*s), (std::vector<Named>{{"w1", "17", "a"}, {"w2", "17", "-0"}}));
}

TEST(ParseAnswersJsonl, DecodesEscapes) {
  auto s = ParseAnswersJsonl(
      "{\"worker\":\"w\\\"1\\\\\",\"task\":\"caf\\u00e9 \\ud83d\\ude00\",\"label\":\"a\\nb\"}\n");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(Names(*s), (std::vector<Named>{{"w\"1\\", "caf\xC3\xA9 \xF0\x9F\x98\x80", "a\nb"}}));
}

TEST(ParseAnswersJsonl, ErrorsNameTheLine) {
  ExpectLineError(ParseError("{\"worker\":\"w\",\"task\":\"t\",\"label\":\"a\"}\n\n"
                             "{\"worker\":\"w\",\"task\":\"t\"}\n"),
                  3, "missing label", "required");
  ExpectLineError(ParseError("{\"worker\":\"w\",\"task\":\"\",\"label\":\"a\"}\n"), 1, "empty task",
                  "required");
  ExpectLineError(ParseError("{\"worker\":\"w\",\"task\":\"t\",\"label\":1.5}\n"), 1,
                  "label must be a string or an integer", "type");
  ExpectLineError(ParseError("{\"worker\":\"w\",\"task\":\"t\",\"label\":\"a\"}\n{\"worker\":\n"),
                  2, "invalid JSON", "malformed");
  ExpectLineError(ParseError("{\"worker\":\"w\",\"task\":\"t\",\"label\":\"a\"} x\n"), 1,
                  "text after the object", "malformed");
  ExpectLineError(ParseError("{\"worker\":\"w\\q\",\"task\":\"t\",\"label\":\"a\"}\n"), 1,
                  "bad escape", "malformed");
  ExpectLineError(ParseError("{\"worker\":\"\\ud800\",\"task\":\"t\",\"label\":\"a\"}\n"), 1,
                  "surrogate", "malformed");
}

TEST(ParseAnswersJsonl, OnlyBlankLinesAreEmptyInput) {
  auto s = ParseAnswersJsonl("\n \n");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
}

TEST(ParseAnswers, PicksJsonlWhenTheFirstCharacterIsABrace) {
  auto jsonl = ParseAnswers("\xEF\xBB\xBF\n  {\"worker\":\"w\",\"task\":\"t\",\"label\":\"a\"}\n");
  ASSERT_TRUE(jsonl) << jsonl.error().message;
  EXPECT_EQ(jsonl->answers.size(), 1u);
  auto csv = ParseAnswers("worker,task,label\nw,t,a\n");
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->answers.size(), 1u);
}

AnswerSet ThreeTasks() {
  auto s = ParseAnswersCsv("worker,task,label\nw1,t1,1\nw1,t2,2\nw2,t3,1\n");
  EXPECT_TRUE(s);
  return *s;
}

TEST(ParseTruth, MatchesTasksAndCountsRowsWithoutAnswers) {
  AnswerSet s = ThreeTasks();
  auto truth = ParseTruth("task,label\nt2,2\nt9,1\nt1,2\nt1,2\n", s);
  ASSERT_TRUE(truth) << truth.error().message;
  EXPECT_EQ(truth->rows, 4u);
  EXPECT_EQ(truth->matched, 2u);
  EXPECT_EQ(truth->label, (std::vector<std::uint32_t>{1, 1, kNoTruth}));
}

TEST(ParseTruth, AppendsAnUnusedLabelWithoutMovingOthers) {
  AnswerSet s = ThreeTasks();
  auto truth = ParseTruth("task,label\nt1,0\nt3,1\n", s);
  ASSERT_TRUE(truth);
  EXPECT_EQ(s.labels, (std::vector<std::string>{"1", "2", "0"}));
  EXPECT_EQ(truth->label[0], 2u);
  EXPECT_EQ(truth->label[2], 0u);
  EXPECT_DOUBLE_EQ(Accuracy({0, 0, 0}, *truth), 0.5);
}

TEST(ParseTruth, LabelsOfTasksWithoutAnswersAreNotAdded) {
  AnswerSet s = ThreeTasks();
  ASSERT_TRUE(ParseTruth("task,label\nt7,9\n", s));
  EXPECT_EQ(s.labels.size(), 2u);
}

TEST(ParseTruth, ConflictingTruthNamesTheLine) {
  AnswerSet s = ThreeTasks();
  auto truth = ParseTruth("task,label\nt1,1\nt1,2\n", s);
  ASSERT_FALSE(truth);
  ExpectLineError(truth.error(), 3, "task t1", "conflict");
}

TEST(ParseTruth, ReadsJsonlAndReportsErrorsLikeAnswers) {
  AnswerSet s = ThreeTasks();
  auto truth = ParseTruth("{\"task\":\"t3\",\"label\":2}\n", s);
  ASSERT_TRUE(truth) << truth.error().message;
  EXPECT_EQ(truth->label[2], 1u);
  auto missing = ParseTruth("task\nt1\n", s);
  ASSERT_FALSE(missing);
  ExpectLineError(missing.error(), 1, "missing column label", "required");
  auto empty = ParseTruth("", s);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);
}

TEST(Accuracy, ScoresOnlyTasksWithTruthAndIsZeroWithoutAny) {
  Truth truth;
  truth.label = {0, kNoTruth, 1, 1};
  EXPECT_DOUBLE_EQ(Accuracy({0, 1, 1, 0}, truth), 2.0 / 3.0);
  truth.label = {kNoTruth, kNoTruth};
  EXPECT_DOUBLE_EQ(Accuracy({0, 1}, truth), 0.0);
}

}  // namespace
}  // namespace fw::quality
