#include "projects/template.h"

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/json.h"

namespace fw {
// Readable failure output for FieldError lists; internal linkage, found by argument lookup.
static void PrintTo(const FieldError& e, std::ostream* os) {
  *os << "{" << e.field << ", " << e.code << "}";
}
}  // namespace fw

namespace fw::projects {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

json::value J(std::string_view text) {
  auto v = ParseJson(text);
  EXPECT_TRUE(v.has_value()) << text;
  return v.value_or(json::value());
}

Template MustParse(std::string_view text) {
  auto t = ParseTemplate(J(text));
  if (!t) {
    std::string all;
    for (const auto& d : t.error().details) all += d.field + ": " + d.code + "\n";
    ADD_FAILURE() << "template rejected:\n" << all;
  }
  return std::move(t).value();
}

// A detail matcher: {field, code}.
auto Detail(std::string field, std::string code) {
  return ::testing::AllOf(::testing::Field(&FieldError::field, field),
                          ::testing::Field(&FieldError::code, code));
}

std::vector<FieldError> TemplateErrors(std::string_view text) {
  auto t = ParseTemplate(J(text));
  EXPECT_FALSE(t.has_value()) << text;
  if (t) return {};
  EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument);
  return t.error().details;
}

std::vector<FieldError> AnswerErrors(const Template& t, std::string_view answer) {
  auto s = ValidateAnswer(t, J(answer));
  EXPECT_FALSE(s.has_value()) << answer;
  if (s) return {};
  EXPECT_EQ(s.error().code, ErrorCode::kUnprocessable);
  return s.error().details;
}

std::vector<FieldError> DataErrors(const Template& t, std::string_view data) {
  auto s = ValidateItemData(t, J(data));
  EXPECT_FALSE(s.has_value()) << data;
  if (s) return {};
  EXPECT_EQ(s.error().code, ErrorCode::kUnprocessable);
  return s.error().details;
}

void ExpectValidAnswer(const Template& t, std::string_view answer) {
  auto s = ValidateAnswer(t, J(answer));
  if (!s) {
    std::string all;
    for (const auto& d : s.error().details) all += d.field + ": " + d.code + "\n";
    ADD_FAILURE() << answer << " rejected:\n" << all;
  }
}

// One question of every type, all required.
constexpr std::string_view kAllTypes = R"({
  "fields": [{"name": "prompt", "type": "markdown"}],
  "questions": [
    {"name": "label", "type": "label", "options": ["yes", "no"]},
    {"name": "tags", "type": "multi_label", "options": ["a", "b", "c"],
     "min_selected": 1, "max_selected": 2},
    {"name": "score", "type": "rating", "min": 1, "max": 5},
    {"name": "order", "type": "ranking", "options": ["x", "y", "z"]},
    {"name": "pref", "type": "preference"},
    {"name": "grade", "type": "rubric", "criteria": [
      {"name": "correct", "title": "Correct", "kind": "pass_fail"},
      {"name": "style", "kind": "points", "max_points": 3}]},
    {"name": "essay", "type": "text", "min_length": 2, "max_length": 5},
    {"name": "count", "type": "number", "min": 0, "max": 10, "integer": true}
  ]
})";

constexpr std::string_view kAllValid = R"({
  "label": "yes", "tags": ["a", "c"], "score": 4, "order": ["z", "x", "y"],
  "pref": {"choice": "A", "strength": 2}, "grade": {"correct": true, "style": 3},
  "essay": "abc", "count": 7
})";

// Replaces one question's answer in kAllValid and returns the errors.
std::vector<FieldError> ErrorsWith(std::string_view question, std::string_view answer_json) {
  Template t = MustParse(kAllTypes);
  json::value answer = J(kAllValid);
  answer.as_object()[question] = J(answer_json);
  auto s = ValidateAnswer(t, answer);
  EXPECT_FALSE(s.has_value()) << question << " = " << answer_json;
  if (s) return {};
  EXPECT_EQ(s.error().code, ErrorCode::kUnprocessable);
  return s.error().details;
}

TEST(Template, AcceptsOneQuestionOfEveryType) {
  Template t = MustParse(kAllTypes);
  ASSERT_EQ(t.questions().size(), 8u);
  EXPECT_EQ(t.questions()[0].type(), QuestionType::kLabel);
  EXPECT_EQ(t.questions()[4].type(), QuestionType::kPreference);
  const auto& pref = std::get<PreferenceSpec>(t.FindQuestion("pref")->spec);
  EXPECT_TRUE(pref.allow_tie);
  EXPECT_EQ(pref.strength_max, 3);
  EXPECT_EQ(t.FindQuestion("missing"), nullptr);
  ASSERT_NE(t.FindField("prompt"), nullptr);
  EXPECT_EQ(t.FindField("prompt")->type, FieldType::kMarkdown);
  EXPECT_TRUE(t.FindField("prompt")->required);
  ExpectValidAnswer(t, kAllValid);
}

// ---- Answers, type by type -------------------------------------------------------------------

TEST(Template, LabelAnswerMustBeOneOfTheOptions) {
  EXPECT_THAT(ErrorsWith("label", R"("maybe")"),
              ElementsAre(Detail("answer.label", "not_an_option")));
  EXPECT_THAT(ErrorsWith("label", R"(["yes"])"), ElementsAre(Detail("answer.label", "type")));
  EXPECT_THAT(ErrorsWith("label", "1"), ElementsAre(Detail("answer.label", "type")));
}

TEST(Template, MultiLabelAnswerIsDistinctOptionsWithinSelectionBounds) {
  EXPECT_THAT(ErrorsWith("tags", R"(["a", "d"])"),
              ElementsAre(Detail("answer.tags", "not_an_option")));
  EXPECT_THAT(ErrorsWith("tags", R"(["a", "a"])"), ElementsAre(Detail("answer.tags", "duplicate")));
  EXPECT_THAT(ErrorsWith("tags", R"([])"), ElementsAre(Detail("answer.tags", "too_few")));
  EXPECT_THAT(ErrorsWith("tags", R"(["a", "b", "c"])"),
              ElementsAre(Detail("answer.tags", "too_many")));
  EXPECT_THAT(ErrorsWith("tags", R"("a")"), ElementsAre(Detail("answer.tags", "type")));
  EXPECT_THAT(ErrorsWith("tags", R"([1])"), ElementsAre(Detail("answer.tags", "type")));
}

TEST(Template, MultiLabelWithoutBoundsAcceptsAnEmptySelection) {
  Template t = MustParse(R"({"questions": [
    {"name": "tags", "type": "multi_label", "options": ["a", "b"]}]})");
  ExpectValidAnswer(t, R"({"tags": []})");
  ExpectValidAnswer(t, R"({"tags": ["b", "a"]})");
}

TEST(Template, RatingAnswerIsAnIntegerInRange) {
  Template t = MustParse(kAllTypes);
  json::value answer = J(kAllValid);
  for (int score : {1, 5}) {
    answer.as_object()["score"] = score;
    EXPECT_TRUE(ValidateAnswer(t, answer).has_value()) << score;
  }
  EXPECT_THAT(ErrorsWith("score", "0"), ElementsAre(Detail("answer.score", "out_of_range")));
  EXPECT_THAT(ErrorsWith("score", "6"), ElementsAre(Detail("answer.score", "out_of_range")));
  EXPECT_THAT(ErrorsWith("score", "2.5"), ElementsAre(Detail("answer.score", "type")));
  EXPECT_THAT(ErrorsWith("score", R"("3")"), ElementsAre(Detail("answer.score", "type")));
}

TEST(Template, RankingAnswerIsAPermutationOfAllOptions) {
  EXPECT_THAT(ErrorsWith("order", R"(["x", "y"])"),
              ElementsAre(Detail("answer.order", "not_a_permutation")));
  EXPECT_THAT(ErrorsWith("order", R"(["x", "y", "y"])"),
              ElementsAre(Detail("answer.order", "duplicate")));
  EXPECT_THAT(ErrorsWith("order", R"(["x", "y", "w"])"),
              ElementsAre(Detail("answer.order", "not_an_option")));
  EXPECT_THAT(ErrorsWith("order", R"({"x": 1})"), ElementsAre(Detail("answer.order", "type")));
}

TEST(Template, PreferenceAnswerNeedsChoiceAndStrengthUnlessTie) {
  Template t = MustParse(kAllTypes);
  json::value answer = J(kAllValid);
  answer.as_object()["pref"] = J(R"({"choice": "tie"})");
  EXPECT_TRUE(ValidateAnswer(t, answer).has_value());
  answer.as_object()["pref"] = J(R"({"choice": "B", "strength": 3})");
  EXPECT_TRUE(ValidateAnswer(t, answer).has_value());

  EXPECT_THAT(ErrorsWith("pref", R"({"choice": "C", "strength": 1})"),
              ElementsAre(Detail("answer.pref", "not_an_option")));
  EXPECT_THAT(ErrorsWith("pref", R"({"strength": 1})"),
              ElementsAre(Detail("answer.pref", "missing_choice")));
  EXPECT_THAT(ErrorsWith("pref", R"({"choice": "A"})"),
              ElementsAre(Detail("answer.pref", "missing_strength")));
  EXPECT_THAT(ErrorsWith("pref", R"({"choice": "A", "strength": 4})"),
              ElementsAre(Detail("answer.pref", "out_of_range")));
  EXPECT_THAT(ErrorsWith("pref", R"({"choice": "A", "strength": 0})"),
              ElementsAre(Detail("answer.pref", "out_of_range")));
  EXPECT_THAT(ErrorsWith("pref", R"({"choice": "tie", "strength": 2})"),
              ElementsAre(Detail("answer.pref", "unexpected_strength")));
  EXPECT_THAT(ErrorsWith("pref", R"({"choice": "A", "strength": 1, "why": "x"})"),
              ElementsAre(Detail("answer.pref", "unknown_key")));
  EXPECT_THAT(ErrorsWith("pref", R"("A")"), ElementsAre(Detail("answer.pref", "type")));
}

TEST(Template, PreferenceWithoutTieOrStrengthRejectsThem) {
  Template t = MustParse(R"({"questions": [
    {"name": "pref", "type": "preference", "allow_tie": false, "strength_max": 0}]})");
  ExpectValidAnswer(t, R"({"pref": {"choice": "B"}})");
  EXPECT_THAT(AnswerErrors(t, R"({"pref": {"choice": "tie"}})"),
              ElementsAre(Detail("answer.pref", "not_an_option")));
  EXPECT_THAT(AnswerErrors(t, R"({"pref": {"choice": "A", "strength": 1}})"),
              ElementsAre(Detail("answer.pref", "unexpected_strength")));
}

TEST(Template, RubricAnswerGradesEveryCriterionWithinItsKind) {
  Template t = MustParse(kAllTypes);
  json::value answer = J(kAllValid);
  answer.as_object()["grade"] = J(R"({"correct": false, "style": 0, "comment": "terse"})");
  EXPECT_TRUE(ValidateAnswer(t, answer).has_value());

  EXPECT_THAT(ErrorsWith("grade", R"({"correct": true})"),
              ElementsAre(Detail("answer.grade", "missing_criterion")));
  EXPECT_THAT(ErrorsWith("grade", R"({"correct": 1, "style": 1})"),
              ElementsAre(Detail("answer.grade", "type")));
  EXPECT_THAT(ErrorsWith("grade", R"({"correct": true, "style": 4})"),
              ElementsAre(Detail("answer.grade", "out_of_range")));
  EXPECT_THAT(ErrorsWith("grade", R"({"correct": true, "style": -1})"),
              ElementsAre(Detail("answer.grade", "out_of_range")));
  EXPECT_THAT(ErrorsWith("grade", R"({"correct": true, "style": 1.5})"),
              ElementsAre(Detail("answer.grade", "type")));
  EXPECT_THAT(ErrorsWith("grade", R"({"correct": true, "style": 1, "extra": true})"),
              ElementsAre(Detail("answer.grade", "unknown_criterion")));
  EXPECT_THAT(ErrorsWith("grade", R"({"correct": true, "style": 1, "comment": 5})"),
              ElementsAre(Detail("answer.grade", "type")));
  EXPECT_THAT(ErrorsWith("grade", R"([true, 1])"), ElementsAre(Detail("answer.grade", "type")));
}

TEST(Template, TextLengthCountsCodePointsNotBytes) {
  Template t = MustParse(kAllTypes);
  json::value answer = J(kAllValid);
  // Five code points, fifteen bytes: within max_length 5.
  answer.as_object()["essay"] = "\xE2\x88\x91\xE2\x88\x91\xE2\x88\x91\xE2\x88\x91\xE2\x88\x91";
  EXPECT_TRUE(ValidateAnswer(t, answer).has_value());
  // Six code points.
  EXPECT_THAT(ErrorsWith("essay", "\"\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\""),
              ElementsAre(Detail("answer.essay", "too_long")));
  EXPECT_THAT(ErrorsWith("essay", R"("a")"), ElementsAre(Detail("answer.essay", "too_short")));
  EXPECT_THAT(ErrorsWith("essay", "12"), ElementsAre(Detail("answer.essay", "type")));
}

TEST(Template, EmptyTextCountsAsUnanswered) {
  EXPECT_THAT(ErrorsWith("essay", R"("")"), ElementsAre(Detail("answer.essay", "required")));
  Template t = MustParse(R"({"questions": [
    {"name": "note", "type": "text", "required": false, "min_length": 3}]})");
  ExpectValidAnswer(t, R"({"note": ""})");
  ExpectValidAnswer(t, R"({})");
  EXPECT_THAT(AnswerErrors(t, R"({"note": "ab"})"),
              ElementsAre(Detail("answer.note", "too_short")));
}

TEST(Template, NumberAnswerRespectsBoundsAndIntegrality) {
  EXPECT_THAT(ErrorsWith("count", "11"), ElementsAre(Detail("answer.count", "out_of_range")));
  EXPECT_THAT(ErrorsWith("count", "-1"), ElementsAre(Detail("answer.count", "out_of_range")));
  EXPECT_THAT(ErrorsWith("count", "2.5"), ElementsAre(Detail("answer.count", "type")));
  EXPECT_THAT(ErrorsWith("count", R"("2")"), ElementsAre(Detail("answer.count", "type")));
  EXPECT_THAT(ErrorsWith("count", "true"), ElementsAre(Detail("answer.count", "type")));
  Template t = MustParse(R"({"questions": [{"name": "x", "type": "number", "min": -0.5}]})");
  ExpectValidAnswer(t, R"({"x": 2.75})");
  ExpectValidAnswer(t, R"({"x": 1e9})");
  EXPECT_THAT(AnswerErrors(t, R"({"x": -1})"), ElementsAre(Detail("answer.x", "out_of_range")));
}

// ---- Answers, as a whole ---------------------------------------------------------------------

TEST(Template, AnswerListsEveryFailingQuestionNotJustTheFirst) {
  Template t = MustParse(kAllTypes);
  auto errors = AnswerErrors(t, R"({
    "label": "maybe", "tags": ["a"], "score": 9, "order": ["x"],
    "pref": {"choice": "A", "strength": 2}, "grade": {"style": 1},
    "count": 3.5, "bogus": 1
  })");
  EXPECT_THAT(
      errors,
      ElementsAre(Detail("answer.label", "not_an_option"), Detail("answer.score", "out_of_range"),
                  Detail("answer.order", "not_a_permutation"),
                  Detail("answer.grade", "missing_criterion"), Detail("answer.essay", "required"),
                  Detail("answer.count", "type"), Detail("answer.bogus", "unknown_question")));
}

TEST(Template, MissingRequiredQuestionsAreEachReported) {
  Template t = MustParse(kAllTypes);
  auto errors = AnswerErrors(t, "{}");
  ASSERT_EQ(errors.size(), 8u);
  for (const auto& e : errors) EXPECT_EQ(e.code, "required") << e.field;
  EXPECT_EQ(errors[0].field, "answer.label");
  EXPECT_EQ(errors[7].field, "answer.count");
}

TEST(Template, NullAnswersAnOptionalQuestionButNotARequiredOne) {
  Template t = MustParse(R"({"questions": [
    {"name": "must", "type": "rating", "min": 1, "max": 3},
    {"name": "may", "type": "rating", "min": 1, "max": 3, "required": false}]})");
  ExpectValidAnswer(t, R"({"must": 2, "may": null})");
  EXPECT_THAT(AnswerErrors(t, R"({"must": null, "may": 2})"),
              ElementsAre(Detail("answer.must", "required")));
}

TEST(Template, AnswerThatIsNotAnObjectIsRejected) {
  Template t = MustParse(kAllTypes);
  EXPECT_THAT(AnswerErrors(t, R"(["yes"])"), ElementsAre(Detail("answer", "type")));
}

// ---- Item data -------------------------------------------------------------------------------

constexpr std::string_view kAllFields = R"({
  "fields": [
    {"name": "t", "type": "text"},
    {"name": "m", "type": "markdown"},
    {"name": "c", "type": "code", "language": "python"},
    {"name": "chat", "type": "chat"},
    {"name": "img", "type": "image_url"},
    {"name": "opt", "type": "text", "required": false}
  ],
  "questions": [{"name": "ok", "type": "label", "options": ["y", "n"]}]
})";

TEST(Template, ItemDataWithEveryFieldTypeIsAcceptedWithExtraKeys) {
  Template t = MustParse(kAllFields);
  EXPECT_EQ(t.FindField("c")->language, "python");
  auto s = ValidateItemData(t, J(R"j({
    "t": "plain", "m": "$x^2$", "c": "print(1)",
    "chat": [{"role": "system", "content": "be brief"}, {"role": "user", "content": "hi"},
             {"role": "assistant", "content": "hello"}],
    "img": "https://example.org/a.png", "source": "batch-7"
  })j"));
  EXPECT_TRUE(s.has_value());
}

TEST(Template, ItemDataListsEveryBadField) {
  Template t = MustParse(kAllFields);
  auto errors = DataErrors(t, R"j({
    "t": 3, "c": "",
    "chat": [{"role": "robot", "content": "x"}],
    "img": "javascript:alert(1)", "opt": ["x"]
  })j");
  EXPECT_THAT(errors, ElementsAre(Detail("data.t", "type"), Detail("data.m", "required"),
                                  Detail("data.c", "required"), Detail("data.chat", "invalid_role"),
                                  Detail("data.img", "invalid_url"), Detail("data.opt", "type")));
}

TEST(Template, ChatAndImageUrlShapesAreChecked) {
  Template t = MustParse(kAllFields);
  const std::string base = R"("t": "a", "m": "b", "c": "d", )";
  auto errors_for = [&](std::string_view tail) {
    return DataErrors(t, "{" + base + std::string(tail) + "}");
  };
  EXPECT_THAT(errors_for(R"("chat": [], "img": "http://x.org")"),
              ElementsAre(Detail("data.chat", "required")));
  EXPECT_THAT(errors_for(R"("chat": [{"role": "user"}], "img": "http://x.org")"),
              ElementsAre(Detail("data.chat", "type")));
  EXPECT_THAT(errors_for(R"("chat": "hi", "img": "http://x.org")"),
              ElementsAre(Detail("data.chat", "type")));
  EXPECT_THAT(errors_for(R"("chat": [{"role": "user", "content": "q"}], "img": "https://")"),
              ElementsAre(Detail("data.img", "invalid_url")));
  EXPECT_THAT(errors_for(R"("chat": [{"role": "user", "content": "q"}], "img": "http://a b")"),
              ElementsAre(Detail("data.img", "invalid_url")));
}

TEST(Template, ItemDataThatIsNotAnObjectIsRejected) {
  Template t = MustParse(kAllFields);
  EXPECT_THAT(DataErrors(t, R"("text")"), ElementsAre(Detail("data", "type")));
}

// ---- Template validation ---------------------------------------------------------------------

TEST(Template, NonObjectTemplateIsRejected) {
  EXPECT_THAT(TemplateErrors("[]"), ElementsAre(Detail("template", "type")));
}

TEST(Template, QuestionsAreRequiredAndNonEmpty) {
  EXPECT_THAT(TemplateErrors(R"({"fields": []})"),
              ElementsAre(Detail("template.questions", "required")));
  EXPECT_THAT(TemplateErrors(R"({"questions": []})"),
              ElementsAre(Detail("template.questions", "empty")));
}

TEST(Template, DuplicateNamesAreRejectedWithinFieldsAndWithinQuestions) {
  auto errors = TemplateErrors(R"({
    "fields": [{"name": "p", "type": "text"}, {"name": "p", "type": "markdown"}],
    "questions": [
      {"name": "q", "type": "text"},
      {"name": "q", "type": "rating", "min": 1, "max": 2},
      {"name": "p", "type": "text"}
    ]
  })");
  EXPECT_THAT(errors, ElementsAre(Detail("template.fields[1].name", "duplicate"),
                                  Detail("template.questions[1].name", "duplicate")));
}

TEST(Template, NamesMustBeIdentifiers) {
  auto errors = TemplateErrors(R"({
    "fields": [{"name": "Prompt", "type": "text"}],
    "questions": [{"name": "1st", "type": "text"}, {"type": "text"},
                  {"name": "a_very_long_name_that_goes_on_and_on_and_on_past_sixty_four_chars_x",
                   "type": "text"}]
  })");
  EXPECT_THAT(errors, ElementsAre(Detail("template.fields[0].name", "invalid_name"),
                                  Detail("template.questions[0].name", "invalid_name"),
                                  Detail("template.questions[1].name", "required"),
                                  Detail("template.questions[2].name", "invalid_name")));
}

TEST(Template, OptionsMustBeNonEmptyDistinctStrings) {
  auto errors = TemplateErrors(R"({"questions": [
    {"name": "a", "type": "label", "options": []},
    {"name": "b", "type": "label"},
    {"name": "c", "type": "multi_label", "options": ["x", "x", 3, ""]},
    {"name": "d", "type": "ranking", "options": ["only"]},
    {"name": "e", "type": "label", "options": "x,y"}
  ]})");
  EXPECT_THAT(errors, ElementsAre(Detail("template.questions[0].options", "empty"),
                                  Detail("template.questions[1].options", "required"),
                                  Detail("template.questions[2].options[1]", "duplicate"),
                                  Detail("template.questions[2].options[2]", "type"),
                                  Detail("template.questions[2].options[3]", "empty"),
                                  Detail("template.questions[3].options", "too_few"),
                                  Detail("template.questions[4].options", "type")));
}

TEST(Template, RatingRangeMustBeIncreasingIntegers) {
  auto errors = TemplateErrors(R"({"questions": [
    {"name": "a", "type": "rating", "min": 5, "max": 1},
    {"name": "b", "type": "rating", "min": 3, "max": 3},
    {"name": "c", "type": "rating", "min": 1},
    {"name": "d", "type": "rating", "min": 1, "max": 4.5}
  ]})");
  EXPECT_THAT(errors, ElementsAre(Detail("template.questions[0].max", "invalid_range"),
                                  Detail("template.questions[1].max", "invalid_range"),
                                  Detail("template.questions[2].max", "required"),
                                  Detail("template.questions[3].max", "type")));
}

TEST(Template, TypeSpecificSettingsAreChecked) {
  auto errors = TemplateErrors(R"({"questions": [
    {"name": "a", "type": "multi_label", "options": ["x", "y"], "min_selected": 2,
     "max_selected": 1},
    {"name": "b", "type": "multi_label", "options": ["x"], "max_selected": 2},
    {"name": "c", "type": "preference", "strength_max": -1, "allow_tie": "yes"},
    {"name": "d", "type": "text", "min_length": 10, "max_length": 5},
    {"name": "e", "type": "number", "min": 3, "max": 1, "integer": 1},
    {"name": "f", "type": "essay"}
  ]})");
  EXPECT_THAT(errors, ElementsAre(Detail("template.questions[0].max_selected", "invalid_range"),
                                  Detail("template.questions[1].max_selected", "out_of_range"),
                                  Detail("template.questions[2].allow_tie", "type"),
                                  Detail("template.questions[2].strength_max", "out_of_range"),
                                  Detail("template.questions[3].max_length", "invalid_range"),
                                  Detail("template.questions[4].integer", "type"),
                                  Detail("template.questions[4].max", "invalid_range"),
                                  Detail("template.questions[5].type", "unknown_type")));
}

TEST(Template, RubricCriteriaAreChecked) {
  auto errors = TemplateErrors(R"({"questions": [
    {"name": "a", "type": "rubric", "criteria": []},
    {"name": "b", "type": "rubric", "criteria": [
      {"name": "x", "kind": "points", "max_points": 0},
      {"name": "x", "kind": "pass_fail"},
      {"name": "comment", "kind": "pass_fail"},
      {"name": "y", "kind": "stars"},
      {"name": "z", "kind": "pass_fail", "max_points": 2},
      {"name": "w", "kind": "points"}
    ]}
  ]})");
  EXPECT_THAT(errors,
              ElementsAre(Detail("template.questions[0].criteria", "empty"),
                          Detail("template.questions[1].criteria[0].max_points", "out_of_range"),
                          Detail("template.questions[1].criteria[1].name", "duplicate"),
                          Detail("template.questions[1].criteria[2].name", "reserved"),
                          Detail("template.questions[1].criteria[3].kind", "unknown_kind"),
                          Detail("template.questions[1].criteria[4].max_points", "unknown_key"),
                          Detail("template.questions[1].criteria[5].max_points", "required")));
}

TEST(Template, UnknownAndMisappliedKeysAreRejected) {
  auto errors = TemplateErrors(R"({
    "fields": [{"name": "p", "type": "text", "language": "c"}],
    "questions": [
      {"name": "a", "type": "text", "requierd": false},
      {"name": "b", "type": "rating", "min": 1, "max": 3, "options": ["x"]}
    ],
    "layout": "grid"
  })");
  EXPECT_THAT(errors, UnorderedElementsAre(Detail("template.layout", "unknown_key"),
                                           Detail("template.fields[0].language", "unknown_key"),
                                           Detail("template.questions[0].requierd", "unknown_key"),
                                           Detail("template.questions[1].options", "unknown_key")));
}

TEST(Template, FieldTypesAreChecked) {
  auto errors = TemplateErrors(R"({
    "fields": [{"name": "p", "type": "html"}, {"name": "q"}, "r"],
    "questions": [{"name": "a", "type": "text"}]
  })");
  EXPECT_THAT(errors, ElementsAre(Detail("template.fields[0].type", "unknown_type"),
                                  Detail("template.fields[1].type", "required"),
                                  Detail("template.fields[2]", "type")));
}

// ---- Export mappings -------------------------------------------------------------------------

TEST(Template, ExportMappingMustReferenceExistingNames) {
  auto errors = TemplateErrors(R"({
    "fields": [{"name": "prompt", "type": "markdown"}],
    "questions": [{"name": "response", "type": "text"}],
    "export": {
      "sft": {"prompt_field": "promt", "response_question": "answer", "system_field": "sys"},
      "preference": {"prompt_field": "prompt", "a_field": "a", "b_field": "b",
                     "question": "pref"}
    }
  })");
  EXPECT_THAT(errors,
              ElementsAre(Detail("template.export.sft.prompt_field", "unknown_field"),
                          Detail("template.export.sft.response_question", "unknown_question"),
                          Detail("template.export.sft.system_field", "unknown_field"),
                          Detail("template.export.preference.a_field", "unknown_field"),
                          Detail("template.export.preference.b_field", "unknown_field"),
                          Detail("template.export.preference.question", "unknown_question")));
}

TEST(Template, ExportMappingMustReferenceSuitableTypes) {
  auto errors = TemplateErrors(R"({
    "fields": [{"name": "prompt", "type": "markdown"}, {"name": "img", "type": "image_url"},
               {"name": "a", "type": "markdown"}],
    "questions": [{"name": "score", "type": "rating", "min": 1, "max": 5},
                  {"name": "pref", "type": "text"}],
    "export": {
      "sft": {"prompt_field": "img", "response_question": "score"},
      "preference": {"prompt_field": "prompt", "a_field": "a", "b_field": "a",
                     "question": "pref"}
    }
  })");
  EXPECT_THAT(errors,
              ElementsAre(Detail("template.export.sft.prompt_field", "unsuitable_type"),
                          Detail("template.export.sft.response_question", "unsuitable_type"),
                          Detail("template.export.preference.b_field", "duplicate"),
                          Detail("template.export.preference.question", "unsuitable_type")));
}

TEST(Template, SftPromptComesFromExactlyOneSource) {
  constexpr std::string_view kHead = R"({
    "fields": [{"name": "prompt", "type": "markdown"}],
    "questions": [{"name": "q", "type": "text"}, {"name": "r", "type": "text"}],
    "export": {"sft": )";
  auto with_sft = [&](std::string_view sft) {
    return std::string(kHead) + std::string(sft) + "}}";
  };
  EXPECT_THAT(
      TemplateErrors(with_sft(
          R"({"prompt_field": "prompt", "prompt_question": "q", "response_question": "r"})")),
      ElementsAre(Detail("template.export.sft", "conflict")));
  EXPECT_THAT(TemplateErrors(with_sft(R"({"response_question": "r"})")),
              ElementsAre(Detail("template.export.sft.prompt_field", "required")));
  EXPECT_THAT(TemplateErrors(with_sft(R"({"prompt_question": "q"})")),
              ElementsAre(Detail("template.export.sft.response_question", "required")));

  Template from_question =
      MustParse(with_sft(R"({"prompt_question": "q", "response_question": "r"})"));
  ASSERT_TRUE(from_question.export_mapping().sft.has_value());
  EXPECT_EQ(from_question.export_mapping().sft->prompt_from, SftExport::PromptFrom::kQuestion);
  EXPECT_EQ(from_question.export_mapping().sft->prompt, "q");

  Template from_field = MustParse(
      with_sft(R"({"prompt_field": "prompt", "response_question": "r", "system_field": null})"));
  EXPECT_EQ(from_field.export_mapping().sft->prompt_from, SftExport::PromptFrom::kField);
  EXPECT_FALSE(from_field.export_mapping().sft->system_field.has_value());
  EXPECT_FALSE(from_field.export_mapping().preference.has_value());
}

TEST(Template, AllProblemsOfATemplateAreReportedTogether) {
  auto errors = TemplateErrors(R"({
    "fields": [{"name": "p", "type": "text"}, {"name": "p", "type": "text"}],
    "questions": [{"name": "l", "type": "label", "options": []},
                  {"name": "r", "type": "rating", "min": 2, "max": 1}],
    "export": {"sft": {"prompt_field": "p", "response_question": "nope"}}
  })");
  EXPECT_EQ(errors.size(), 4u);
}

// ---- Round trip ------------------------------------------------------------------------------

TEST(Template, ToJsonRoundTripsThroughParseTemplate) {
  Template t = MustParse(R"({
    "fields": [{"name": "prompt", "type": "markdown", "title": "Prompt"},
               {"name": "snippet", "type": "code", "language": "cpp", "required": false},
               {"name": "a", "type": "text"}, {"name": "b", "type": "text"},
               {"name": "conv", "type": "chat"}, {"name": "pic", "type": "image_url"}],
    "questions": [
      {"name": "label", "type": "label", "title": "L", "description": "pick",
       "options": ["yes", "no"]},
      {"name": "tags", "type": "multi_label", "options": ["a", "b"], "min_selected": 0,
       "max_selected": 2, "required": false},
      {"name": "score", "type": "rating", "min": -2, "max": 2},
      {"name": "order", "type": "ranking", "options": ["x", "y"]},
      {"name": "pref", "type": "preference", "allow_tie": false, "strength_max": 5},
      {"name": "grade", "type": "rubric", "criteria": [
        {"name": "ok", "title": "OK", "kind": "pass_fail"},
        {"name": "pts", "kind": "points", "max_points": 4}]},
      {"name": "essay", "type": "text", "max_length": 100},
      {"name": "x", "type": "number", "min": -1.5, "max": 3, "integer": false}
    ],
    "export": {
      "sft": {"prompt_field": "conv", "response_question": "essay", "system_field": "a"},
      "preference": {"prompt_field": "prompt", "a_field": "a", "b_field": "b",
                     "question": "pref"}
    }
  })");
  json::value out = ToJson(t);
  auto again = ParseTemplate(out);
  ASSERT_TRUE(again.has_value()) << fw::ToJson(out);
  EXPECT_EQ(*again, t);
  EXPECT_EQ(ToJson(*again), out);
  // Integral bounds stay integers in the output.
  EXPECT_TRUE(out.at("questions").at(7).at("max").is_int64());
}

TEST(Template, EqualityNoticesADifference) {
  Template a = MustParse(R"({"questions": [{"name": "s", "type": "rating", "min": 1, "max": 5}]})");
  Template b = MustParse(R"({"questions": [{"name": "s", "type": "rating", "min": 1, "max": 4}]})");
  EXPECT_NE(a, b);
}

// ---- Presets ---------------------------------------------------------------------------------

TEST(Template, PresetNamesAreTheFiveDocumentedPresets) {
  EXPECT_THAT(PresetNames(),
              ElementsAre("sft", "preference", "rubric", "adversarial", "classification"));
}

TEST(Template, EveryPresetParsesAndRoundTrips) {
  for (std::string_view name : PresetNames()) {
    auto t = PresetTemplate(name);
    ASSERT_TRUE(t.has_value()) << name;
    auto again = ParseTemplate(ToJson(*t));
    ASSERT_TRUE(again.has_value()) << name;
    EXPECT_EQ(*again, *t) << name;
  }
}

TEST(Template, UnknownPresetIsAnInvalidArgument) {
  auto t = PresetTemplate("poetry");
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(t.error().details, ElementsAre(Detail("preset", "unknown_preset")));
}

TEST(Template, SftPresetAcceptsADemonstration) {
  Template t = PresetTemplate("sft").value();
  EXPECT_TRUE(ValidateItemData(t, J(R"({"prompt": "Prove that $\\sqrt{2}$ is irrational."})")));
  ExpectValidAnswer(t, R"({"response": "Suppose $\\sqrt{2} = p/q$ in lowest terms..."})");
  EXPECT_THAT(AnswerErrors(t, R"({"response": ""})"),
              ElementsAre(Detail("answer.response", "required")));
  const auto& sft = t.export_mapping().sft;
  ASSERT_TRUE(sft.has_value());
  EXPECT_EQ(sft->prompt_from, SftExport::PromptFrom::kField);
  EXPECT_EQ(sft->prompt, "prompt");
  EXPECT_EQ(sft->response_question, "response");
  EXPECT_EQ(sft->system_field, "system");
  EXPECT_FALSE(t.FindField("system")->required);
}

TEST(Template, PreferencePresetAcceptsAVerdict) {
  Template t = PresetTemplate("preference").value();
  EXPECT_TRUE(ValidateItemData(
      t, J(R"({"prompt": "Explain $e^{i\\pi}$", "response_a": "...", "response_b": "..."})")));
  EXPECT_THAT(DataErrors(t, R"({"prompt": "p", "response_a": "a"})"),
              ElementsAre(Detail("data.response_b", "required")));
  ExpectValidAnswer(t, R"({"preference": {"choice": "B", "strength": 2},
                           "rationale": "B keeps the branch cut straight."})");
  ExpectValidAnswer(t, R"({"preference": {"choice": "tie"}})");
  const auto& pref = t.export_mapping().preference;
  ASSERT_TRUE(pref.has_value());
  EXPECT_EQ(pref->question, "preference");
  EXPECT_EQ(pref->a_field, "response_a");
  EXPECT_EQ(pref->b_field, "response_b");
}

TEST(Template, RubricPresetAcceptsAGrade) {
  Template t = PresetTemplate("rubric").value();
  EXPECT_TRUE(ValidateItemData(t, J(R"({"prompt": "p", "response": "r"})")));
  ExpectValidAnswer(t, R"({"rubric": {"correctness": true, "reasoning": 2, "clarity": 1,
                                      "comment": "Skips a step."}})");
  EXPECT_THAT(AnswerErrors(t, R"({"rubric": {"correctness": true, "reasoning": 4, "clarity": 1}})"),
              ElementsAre(Detail("answer.rubric", "out_of_range")));
}

TEST(Template, AdversarialPresetExportsQuestionAndReferenceAnswer) {
  Template t = PresetTemplate("adversarial").value();
  EXPECT_TRUE(ValidateItemData(t, J("{}")));
  ExpectValidAnswer(t, R"({
    "question": "How many real roots has $x^5 - 5x + 3$?",
    "reference_answer": "3",
    "solution": "By Descartes' rule and the derivative $5x^4 - 5$..."
  })");
  EXPECT_THAT(AnswerErrors(t, R"({"question": "q"})"),
              ElementsAre(Detail("answer.reference_answer", "required"),
                          Detail("answer.solution", "required")));
  const auto& sft = t.export_mapping().sft;
  ASSERT_TRUE(sft.has_value());
  EXPECT_EQ(sft->prompt_from, SftExport::PromptFrom::kQuestion);
  EXPECT_EQ(sft->prompt, "question");
  EXPECT_EQ(sft->response_question, "reference_answer");
}

TEST(Template, ClassificationPresetAcceptsALabelWithOptionalConfidence) {
  Template t = PresetTemplate("classification").value();
  EXPECT_TRUE(ValidateItemData(t, J(R"({"text": "2 + 2 = 4"})")));
  ExpectValidAnswer(t, R"({"label": "correct", "confidence": 5})");
  ExpectValidAnswer(t, R"({"label": "unsure"})");
  EXPECT_THAT(AnswerErrors(t, R"({"label": "wrong", "confidence": 6})"),
              ElementsAre(Detail("answer.label", "not_an_option"),
                          Detail("answer.confidence", "out_of_range")));
  EXPECT_EQ(std::get<LabelSpec>(t.FindQuestion("label")->spec).options,
            (std::vector<std::string>{"correct", "incorrect", "unsure"}));
}

TEST(GoldMatches, ComparesTheQuestionsTheGoldNamesAsJson) {
  auto v = [](std::string_view text) { return boost::json::parse(text); };
  EXPECT_TRUE(GoldMatches(v(R"({"label": "correct"})"),
                          v(R"({"label": "correct", "confidence": 4})")))
      << "questions the gold leaves out are not compared";
  EXPECT_FALSE(GoldMatches(v(R"({"label": "correct"})"), v(R"({"label": "incorrect"})")));
  EXPECT_FALSE(GoldMatches(v(R"({"label": "correct"})"), v(R"({"confidence": 4})")));
  EXPECT_TRUE(GoldMatches(v(R"({"n": 4})"), v(R"({"n": 4})")));
  EXPECT_FALSE(GoldMatches(v(R"({"tags": ["a", "b"]})"), v(R"({"tags": ["b", "a"]})")))
      << "arrays compare in order";
  EXPECT_TRUE(GoldMatches(v(R"({"r": {"x": true, "y": 2}})"), v(R"({"r": {"y": 2, "x": true}})")))
      << "objects compare by members";
  EXPECT_TRUE(GoldMatches(v("3"), v("3")));
  EXPECT_FALSE(GoldMatches(v("3"), v(R"("3")")));
}

}  // namespace
}  // namespace fw::projects
