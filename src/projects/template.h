#pragma once
// A project's template: what an expert sees (fields, taken from each item's JSON) and what the
// expert answers (questions), plus how answers map onto dataset exports. A template is data,
// not code (compare Argilla's fields and questions); its JSON form is
//
//   {
//     "fields":    [ {"name": "prompt", "type": "markdown", "title": "Prompt", "required": true} ],
//     "questions": [ {"name": "response", "type": "text", "required": true, "max_length": 20000} ],
//     "export":    { "sft": {"prompt_field": "prompt", "response_question": "response"} }
//   }
//
// Field types: text, markdown (markdown with LaTeX math), code (optional "language"), chat (an
// array of {"role": "system"|"user"|"assistant", "content": string}), image_url (http(s) URL).
//
// Question types: the template keys each takes, then the answer each expects.
//   label:       "options" (non-empty array of distinct, non-empty strings).
//                Answer: one of the options (a string).
//   multi_label: "options"; optional "min_selected", "max_selected".
//                Answer: an array of distinct options, of a size within the bounds.
//   rating:      integer "min" < "max".
//                Answer: an integer in [min, max].
//   ranking:     "options" (at least 2).
//                Answer: an array that is a permutation of all options, best first.
//   preference:  optional "allow_tie" (default true), "strength_max" (default 3; 0: no strength).
//                Answer: {"choice": "A"|"B"|"tie", "strength": 1..strength_max}; strength is
//                required when strength_max > 0 and the choice is not a tie, absent otherwise.
//   rubric:      "criteria": non-empty array of {"name", "title", "kind": "pass_fail"|"points",
//                "max_points" (points only, >= 1)}.
//                Answer: an object with one entry per criterion (a bool for pass_fail, an
//                integer 0..max_points for points) and an optional "comment" string.
//   text:        optional "min_length", "max_length" (counted in code points).
//                Answer: a string (markdown with LaTeX math, stored as given).
//   number:      optional "min", "max", "integer" (default false).
//                Answer: a number within the bounds, integral when "integer" is true.
// Every field and question has "name" ([a-z][a-z0-9_]{0,63}), optional "title" and "required"
// (default true); questions also take an optional "description". Field names are unique among
// fields, question names among questions; a key that does not apply to the type is rejected.
//
// Thread safety: values and pure functions; a const Template may be shared between threads.
// Every function here is deterministic, so a retry returns the same result.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/json.hpp>

#include "base/error.h"

namespace fw::projects {

enum class FieldType { kText, kMarkdown, kCode, kChat, kImageUrl };

// The JSON name of a field type ("text", "markdown", "code", "chat", "image_url").
std::string_view FieldTypeName(FieldType type);

// What the expert sees: one member of an item's data.
struct Field {
  std::string name;
  FieldType type = FieldType::kText;
  std::string title;     // empty when the template gives none
  bool required = true;  // an item must carry a non-empty value
  std::string language;  // kCode only: highlighting hint ("python"); empty when unspecified
  friend bool operator==(const Field&, const Field&) = default;
};

// Enumerators are in the order of QuestionSpec's alternatives.
enum class QuestionType {
  kLabel,
  kMultiLabel,
  kRating,
  kRanking,
  kPreference,
  kRubric,
  kText,
  kNumber
};

// The JSON name of a question type ("label", "multi_label", ..., "number").
std::string_view QuestionTypeName(QuestionType type);

struct LabelSpec {
  std::vector<std::string> options;
  friend bool operator==(const LabelSpec&, const LabelSpec&) = default;
};

struct MultiLabelSpec {
  std::vector<std::string> options;
  std::optional<std::int64_t> min_selected;  // 0 <= min_selected <= options.size()
  std::optional<std::int64_t> max_selected;  // 1 <= max_selected <= options.size()
  friend bool operator==(const MultiLabelSpec&, const MultiLabelSpec&) = default;
};

struct RatingSpec {
  std::int64_t min = 1;  // min < max
  std::int64_t max = 5;
  friend bool operator==(const RatingSpec&, const RatingSpec&) = default;
};

struct RankingSpec {
  std::vector<std::string> options;  // at least two
  friend bool operator==(const RankingSpec&, const RankingSpec&) = default;
};

struct PreferenceSpec {
  bool allow_tie = true;
  std::int64_t strength_max = 3;  // >= 0; 0 means the answer carries no strength
  friend bool operator==(const PreferenceSpec&, const PreferenceSpec&) = default;
};

enum class CriterionKind { kPassFail, kPoints };

struct RubricCriterion {
  std::string name;  // an identifier other than "comment", unique within the rubric
  std::string title;
  CriterionKind kind = CriterionKind::kPassFail;
  std::int64_t max_points = 0;  // kPoints: >= 1; kPassFail: 0
  friend bool operator==(const RubricCriterion&, const RubricCriterion&) = default;
};

struct RubricSpec {
  std::vector<RubricCriterion> criteria;  // non-empty
  friend bool operator==(const RubricSpec&, const RubricSpec&) = default;
};

struct TextSpec {
  std::optional<std::int64_t> min_length;  // code points, >= 0
  std::optional<std::int64_t> max_length;  // code points, >= 1 and >= min_length
  friend bool operator==(const TextSpec&, const TextSpec&) = default;
};

struct NumberSpec {
  std::optional<double> min;  // min <= max when both are given
  std::optional<double> max;
  bool integer = false;  // answers must be integral
  friend bool operator==(const NumberSpec&, const NumberSpec&) = default;
};

using QuestionSpec = std::variant<LabelSpec, MultiLabelSpec, RatingSpec, RankingSpec,
                                  PreferenceSpec, RubricSpec, TextSpec, NumberSpec>;

// What the expert answers. `spec` holds the type-specific settings; its alternative is the type.
struct Question {
  std::string name;
  std::string title;        // empty when the template gives none
  std::string description;  // empty when the template gives none
  bool required = true;
  QuestionSpec spec;

  QuestionType type() const { return static_cast<QuestionType>(spec.index()); }
  friend bool operator==(const Question&, const Question&) = default;
};

// How answers become an SFT example: the prompt comes either from the item's data (a field of
// type text, markdown, code or chat; a chat field exports as the conversation before the
// response) or from the expert's answer (a text question, as in adversarial question writing).
struct SftExport {
  enum class PromptFrom { kField, kQuestion };
  PromptFrom prompt_from = PromptFrom::kField;
  std::string prompt;                       // a field name (kField) or a text question (kQuestion)
  std::string response_question;            // a text question
  std::optional<std::string> system_field;  // a text or markdown field
  friend bool operator==(const SftExport&, const SftExport&) = default;
};

// How answers become a preference pair: prompt and the two responses come from the item's data,
// the verdict from a preference question.
struct PreferenceExport {
  std::string prompt_field;  // text, markdown, code or chat
  std::string a_field;       // text, markdown or code; differs from b_field
  std::string b_field;
  std::string question;  // a preference question
  friend bool operator==(const PreferenceExport&, const PreferenceExport&) = default;
};

struct ExportMapping {
  std::optional<SftExport> sft;
  std::optional<PreferenceExport> preference;
  friend bool operator==(const ExportMapping&, const ExportMapping&) = default;
};

// A validated template. Only ParseTemplate (and PresetTemplate, which uses it) constructs one,
// so every Template satisfies the rules above: unique names, well-formed specs, export mappings
// that name existing fields and questions of suitable types. A value: copy freely.
class Template {
 public:
  const std::vector<Field>& fields() const { return fields_; }
  const std::vector<Question>& questions() const { return questions_; }  // never empty
  const ExportMapping& export_mapping() const { return export_; }

  // Returns the field or question with that name, or nullptr when there is none. The pointer
  // is valid as long as this Template is.
  const Field* FindField(std::string_view name) const;
  const Question* FindQuestion(std::string_view name) const;

  friend bool operator==(const Template&, const Template&) = default;

 private:
  Template() = default;
  friend Result<Template> ParseTemplate(const boost::json::value& json);

  std::vector<Field> fields_;
  std::vector<Question> questions_;
  ExportMapping export_;
};

// Validates and parses a template's JSON (see the top of this file). "fields" may be absent
// (no fields); "questions" must be a non-empty array; "export" is optional, and a null mapping
// is the same as an absent one. Unknown keys are rejected, so typos do not pass silently.
// Errors: kInvalidArgument listing every problem, one FieldError each, with `field` a path such
// as "template.questions[2].options" or "template.export.sft.response_question" and `code` one
// of "type", "required", "unknown_key", "invalid_name", "duplicate", "reserved",
// "unknown_type", "unknown_kind", "empty", "too_few", "out_of_range", "invalid_range",
// "conflict", "unknown_field", "unknown_question", "unsuitable_type".
[[nodiscard]] Result<Template> ParseTemplate(const boost::json::value& json);

// The template's JSON form; ParseTemplate(ToJson(t)) == t. Empty titles and descriptions and
// unset optional settings are omitted; "required" is always written.
boost::json::value ToJson(const Template& tmpl);

// Checks an expert's answer: an object keyed by question name. A question is unanswered when
// its key is absent or null, or, for a text question, when the answer is the empty string; an
// unanswered required question fails with "required", an unanswered optional one passes.
// Errors: kUnprocessable listing every failing question, one FieldError each (the first
// problem found in that question's answer), with `field` "answer.<question>" and `code` one of
//   "required"           a required question is unanswered
//   "type"               wrong JSON type (also: a non-integral number where an integer is due)
//   "not_an_option"      label/multi_label/ranking value outside the options; a preference
//                        choice other than "A", "B" or an allowed "tie"
//   "duplicate"          multi_label/ranking value repeated
//   "not_a_permutation"  ranking does not list every option
//   "too_few"/"too_many" multi_label selection outside min_selected/max_selected
//   "out_of_range"       rating, number, preference strength or rubric points outside bounds
//   "too_short"/"too_long" text length (code points) outside min_length/max_length
//   "missing_choice"     preference answer without "choice"
//   "missing_strength"   preference answer without a strength that is due
//   "unexpected_strength" preference strength on a tie or when strength_max is 0
//   "missing_criterion"  rubric answer without an entry for a criterion
//   "unknown_criterion"  rubric answer with a key that is neither a criterion nor "comment"
//   "unknown_key"        preference answer with a key other than "choice" and "strength"
//   "unknown_question"   the answer has a key that is no question of the template
// and, when the answer is not an object, one FieldError {"answer", "type"}. Nothing is partial:
// the caller stores the answer only when this returns success.
[[nodiscard]] Status ValidateAnswer(const Template& tmpl, const boost::json::value& answer);

// Whether an answer matches a gold answer. When both are objects (an answer keyed by question
// name), every question the gold names must be answered with exactly the gold's value, and
// questions the gold leaves out are not compared; otherwise the two values must be equal.
// Values compare as JSON (boost::json equality): arrays in order, so a multi_label or ranking
// gold needs the same order; objects by members, in any order; integers equal integers of the
// same value. Pure and deterministic.
bool GoldMatches(const boost::json::value& gold, const boost::json::value& answer);

// Checks an item's data: an object carrying every required field with a value of the field's
// type (text, markdown, code: a non-empty string for a required field; chat: an array of
// {"role", "content"} messages, non-empty for a required field; image_url: an http:// or
// https:// URL). Optional fields may be absent or null. Keys that name no field are allowed and
// kept as metadata.
// Errors: kUnprocessable listing every failing field, with `field` "data.<name>" and `code`
// "required", "type", "invalid_role" (chat message role not system/user/assistant) or
// "invalid_url"; when `data` is not an object, one FieldError {"data", "type"}.
[[nodiscard]] Status ValidateItemData(const Template& tmpl, const boost::json::value& data);

// The names of the built-in templates, in display order: "sft" (SFT demonstration),
// "preference" (pairwise preference), "rubric" (rubric grading), "adversarial" (stump the
// model: the expert writes a question, reference answer and worked solution), "classification"
// (verification: correct/incorrect/unsure with an optional confidence rating).
const std::vector<std::string_view>& PresetNames();

// Returns the built-in template `preset` (one of PresetNames()).
// Errors: kInvalidArgument (no such preset; detail {"preset", "unknown_preset"}).
[[nodiscard]] Result<Template> PresetTemplate(std::string_view preset);

}  // namespace fw::projects
