#include "projects/template.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "base/json.h"

namespace fw::projects {

namespace {

constexpr std::string_view kCommentKey = "comment";
constexpr std::size_t kMaxNameLength = 64;

std::int64_t CountCodePoints(std::string_view utf8) {
  // Every code point has exactly one byte that is not a continuation byte (10xxxxxx).
  std::int64_t n = 0;
  for (char c : utf8) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

bool IsIdentifier(std::string_view s) {
  if (s.empty() || s.size() > kMaxNameLength) return false;
  if (s[0] < 'a' || s[0] > 'z') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Absent and null mean the same thing everywhere in a template, an answer and an item.
const json::value* Member(const json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->value().is_null()) return nullptr;
  return &it->value();
}

std::string Join(std::string_view path, std::string_view key) {
  return fmt::format("{}.{}", path, key);
}
std::string At(std::string_view path, std::size_t index) {
  return fmt::format("{}[{}]", path, index);
}

// Collects every problem of a template instead of stopping at the first, so an author fixes
// them in one round.
class Problems {
 public:
  void Add(std::string field, std::string_view code, std::string message) {
    list_.push_back(FieldError{std::move(field), std::string(code), std::move(message)});
  }
  std::size_t size() const { return list_.size(); }
  bool empty() const { return list_.empty(); }
  std::vector<FieldError> Take() { return std::move(list_); }

 private:
  std::vector<FieldError> list_;
};

void CheckKeys(const json::object& obj, std::initializer_list<std::string_view> allowed,
               std::string_view path, Problems& problems) {
  for (const auto& kv : obj) {
    if (std::find(allowed.begin(), allowed.end(), kv.key()) == allowed.end()) {
      problems.Add(Join(path, kv.key()), "unknown_key",
                   fmt::format("\"{}\" is not a known key here", std::string_view(kv.key())));
    }
  }
}

std::optional<std::string> ReadString(const json::object& obj, std::string_view key,
                                      std::string_view path, bool required, Problems& problems) {
  const json::value* v = Member(obj, key);
  if (!v) {
    if (required) problems.Add(Join(path, key), "required", fmt::format("{} is required", key));
    return std::nullopt;
  }
  if (!v->is_string()) {
    problems.Add(Join(path, key), "type", fmt::format("{} must be a string", key));
    return std::nullopt;
  }
  return std::string(v->as_string());
}

std::optional<std::int64_t> ReadInt(const json::object& obj, std::string_view key,
                                    std::string_view path, bool required, Problems& problems) {
  const json::value* v = Member(obj, key);
  if (!v) {
    if (required) problems.Add(Join(path, key), "required", fmt::format("{} is required", key));
    return std::nullopt;
  }
  auto i = AsInteger(*v);
  if (!i) problems.Add(Join(path, key), "type", fmt::format("{} must be an integer", key));
  return i;
}

std::optional<double> ReadNumber(const json::object& obj, std::string_view key,
                                 std::string_view path, Problems& problems) {
  const json::value* v = Member(obj, key);
  if (!v) return std::nullopt;
  auto d = AsNumber(*v);
  if (!d) problems.Add(Join(path, key), "type", fmt::format("{} must be a number", key));
  return d;
}

bool ReadBool(const json::object& obj, std::string_view key, std::string_view path,
              bool default_value, Problems& problems) {
  const json::value* v = Member(obj, key);
  if (!v) return default_value;
  if (!v->is_bool()) {
    problems.Add(Join(path, key), "type", fmt::format("{} must be true or false", key));
    return default_value;
  }
  return v->as_bool();
}

std::optional<std::string> ReadName(const json::object& obj, std::string_view path,
                                    Problems& problems) {
  auto name = ReadString(obj, "name", path, /*required=*/true, problems);
  if (name && !IsIdentifier(*name)) {
    problems.Add(Join(path, "name"), "invalid_name", "name must match [a-z][a-z0-9_]{0,63}");
    return std::nullopt;
  }
  return name;
}

// ---- Fields ---------------------------------------------------------------------------------

constexpr std::pair<FieldType, std::string_view> kFieldTypes[] = {
    {FieldType::kText, "text"}, {FieldType::kMarkdown, "markdown"},  {FieldType::kCode, "code"},
    {FieldType::kChat, "chat"}, {FieldType::kImageUrl, "image_url"},
};

std::optional<FieldType> ParseFieldType(std::string_view s) {
  for (const auto& [type, name] : kFieldTypes) {
    if (name == s) return type;
  }
  return std::nullopt;
}

// Returns the field when its name and type are usable (for duplicate and export checks), even
// if other parts of it are wrong; those are recorded in `problems`.
std::optional<Field> ParseField(const json::value& v, const std::string& path, Problems& problems) {
  if (!v.is_object()) {
    problems.Add(path, "type", "a field must be an object");
    return std::nullopt;
  }
  const json::object& obj = v.as_object();
  auto name = ReadName(obj, path, problems);
  auto type_name = ReadString(obj, "type", path, /*required=*/true, problems);
  std::optional<FieldType> type;
  if (type_name) {
    type = ParseFieldType(*type_name);
    if (!type) {
      problems.Add(Join(path, "type"), "unknown_type",
                   "type must be one of text, markdown, code, chat, image_url");
    }
  }
  if (type == FieldType::kCode) {
    CheckKeys(obj, {"name", "type", "title", "required", "language"}, path, problems);
  } else if (type) {
    CheckKeys(obj, {"name", "type", "title", "required"}, path, problems);
  }
  Field field;
  field.title = ReadString(obj, "title", path, false, problems).value_or("");
  field.required = ReadBool(obj, "required", path, true, problems);
  if (type == FieldType::kCode) {
    field.language = ReadString(obj, "language", path, false, problems).value_or("");
  }
  if (!name || !type) return std::nullopt;
  field.name = std::move(*name);
  field.type = *type;
  return field;
}

// ---- Questions ------------------------------------------------------------------------------

constexpr std::pair<QuestionType, std::string_view> kQuestionTypes[] = {
    {QuestionType::kLabel, "label"},
    {QuestionType::kMultiLabel, "multi_label"},
    {QuestionType::kRating, "rating"},
    {QuestionType::kRanking, "ranking"},
    {QuestionType::kPreference, "preference"},
    {QuestionType::kRubric, "rubric"},
    {QuestionType::kText, "text"},
    {QuestionType::kNumber, "number"},
};

std::optional<QuestionType> ParseQuestionType(std::string_view s) {
  for (const auto& [type, name] : kQuestionTypes) {
    if (name == s) return type;
  }
  return std::nullopt;
}

std::vector<std::string> ReadOptions(const json::object& obj, const std::string& path,
                                     std::size_t min_count, Problems& problems) {
  std::vector<std::string> options;
  const std::string opath = Join(path, "options");
  const json::value* v = Member(obj, "options");
  if (!v) {
    problems.Add(opath, "required", "options is required");
    return options;
  }
  if (!v->is_array()) {
    problems.Add(opath, "type", "options must be an array of strings");
    return options;
  }
  const json::array& arr = v->as_array();
  if (arr.empty()) {
    problems.Add(opath, "empty", "options must not be empty");
    return options;
  }
  if (arr.size() < min_count) {
    problems.Add(opath, "too_few", fmt::format("at least {} options are required", min_count));
  }
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_string()) {
      problems.Add(At(opath, i), "type", "an option must be a string");
      continue;
    }
    std::string_view s = arr[i].as_string();
    if (s.empty()) {
      problems.Add(At(opath, i), "empty", "an option must not be empty");
    } else if (!seen.insert(s).second) {
      problems.Add(At(opath, i), "duplicate", "options must be distinct");
    } else {
      options.emplace_back(s);
    }
  }
  return options;
}

MultiLabelSpec ParseMultiLabel(const json::object& obj, const std::string& path,
                               Problems& problems) {
  MultiLabelSpec spec;
  spec.options = ReadOptions(obj, path, 1, problems);
  const auto n = static_cast<std::int64_t>(spec.options.size());
  spec.min_selected = ReadInt(obj, "min_selected", path, false, problems);
  spec.max_selected = ReadInt(obj, "max_selected", path, false, problems);
  if (spec.min_selected && (*spec.min_selected < 0 || *spec.min_selected > n)) {
    problems.Add(Join(path, "min_selected"), "out_of_range",
                 "min_selected must be between 0 and the number of options");
  }
  if (spec.max_selected && (*spec.max_selected < 1 || *spec.max_selected > n)) {
    problems.Add(Join(path, "max_selected"), "out_of_range",
                 "max_selected must be between 1 and the number of options");
  }
  if (spec.min_selected && spec.max_selected && *spec.min_selected > *spec.max_selected) {
    problems.Add(Join(path, "max_selected"), "invalid_range",
                 "max_selected must not be less than min_selected");
  }
  return spec;
}

RatingSpec ParseRating(const json::object& obj, const std::string& path, Problems& problems) {
  RatingSpec spec;
  auto min = ReadInt(obj, "min", path, true, problems);
  auto max = ReadInt(obj, "max", path, true, problems);
  if (min && max && *min >= *max) {
    problems.Add(Join(path, "max"), "invalid_range", "max must be greater than min");
  }
  spec.min = min.value_or(spec.min);
  spec.max = max.value_or(spec.max);
  return spec;
}

PreferenceSpec ParsePreference(const json::object& obj, const std::string& path,
                               Problems& problems) {
  PreferenceSpec spec;
  spec.allow_tie = ReadBool(obj, "allow_tie", path, spec.allow_tie, problems);
  if (auto s = ReadInt(obj, "strength_max", path, false, problems)) {
    if (*s < 0) {
      problems.Add(Join(path, "strength_max"), "out_of_range", "strength_max must be >= 0");
    } else {
      spec.strength_max = *s;
    }
  }
  return spec;
}

RubricSpec ParseRubric(const json::object& obj, const std::string& path, Problems& problems) {
  RubricSpec spec;
  const std::string cpath = Join(path, "criteria");
  const json::value* v = Member(obj, "criteria");
  if (!v) {
    problems.Add(cpath, "required", "criteria is required");
    return spec;
  }
  if (!v->is_array()) {
    problems.Add(cpath, "type", "criteria must be an array of objects");
    return spec;
  }
  const json::array& arr = v->as_array();
  if (arr.empty()) problems.Add(cpath, "empty", "criteria must not be empty");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string ipath = At(cpath, i);
    if (!arr[i].is_object()) {
      problems.Add(ipath, "type", "a criterion must be an object");
      continue;
    }
    const json::object& c = arr[i].as_object();
    RubricCriterion criterion;
    auto name = ReadName(c, ipath, problems);
    if (name && *name == kCommentKey) {
      problems.Add(Join(ipath, "name"), "reserved",
                   "\"comment\" is reserved for the rubric's free-text comment");
    } else if (name && !seen.insert(*name).second) {
      problems.Add(Join(ipath, "name"), "duplicate", "criterion names must be distinct");
    }
    criterion.name = name.value_or("");
    criterion.title = ReadString(c, "title", ipath, false, problems).value_or("");
    auto kind = ReadString(c, "kind", ipath, true, problems);
    if (kind == "pass_fail") {
      criterion.kind = CriterionKind::kPassFail;
      CheckKeys(c, {"name", "title", "kind"}, ipath, problems);
    } else if (kind == "points") {
      criterion.kind = CriterionKind::kPoints;
      CheckKeys(c, {"name", "title", "kind", "max_points"}, ipath, problems);
      auto max_points = ReadInt(c, "max_points", ipath, true, problems);
      if (max_points && *max_points < 1) {
        problems.Add(Join(ipath, "max_points"), "out_of_range", "max_points must be >= 1");
      }
      criterion.max_points = max_points.value_or(1);
    } else if (kind) {
      problems.Add(Join(ipath, "kind"), "unknown_kind", "kind must be pass_fail or points");
    }
    spec.criteria.push_back(std::move(criterion));
  }
  return spec;
}

TextSpec ParseText(const json::object& obj, const std::string& path, Problems& problems) {
  TextSpec spec;
  spec.min_length = ReadInt(obj, "min_length", path, false, problems);
  spec.max_length = ReadInt(obj, "max_length", path, false, problems);
  if (spec.min_length && *spec.min_length < 0) {
    problems.Add(Join(path, "min_length"), "out_of_range", "min_length must be >= 0");
  }
  if (spec.max_length && *spec.max_length < 1) {
    problems.Add(Join(path, "max_length"), "out_of_range", "max_length must be >= 1");
  }
  if (spec.min_length && spec.max_length && *spec.min_length > *spec.max_length) {
    problems.Add(Join(path, "max_length"), "invalid_range",
                 "max_length must not be less than min_length");
  }
  return spec;
}

NumberSpec ParseNumber(const json::object& obj, const std::string& path, Problems& problems) {
  NumberSpec spec;
  spec.min = ReadNumber(obj, "min", path, problems);
  spec.max = ReadNumber(obj, "max", path, problems);
  spec.integer = ReadBool(obj, "integer", path, false, problems);
  if (spec.min && spec.max && *spec.min > *spec.max) {
    problems.Add(Join(path, "max"), "invalid_range", "max must not be less than min");
  }
  return spec;
}

// Returns the question when its name and type are usable; see ParseField.
std::optional<Question> ParseQuestion(const json::value& v, const std::string& path,
                                      Problems& problems) {
  if (!v.is_object()) {
    problems.Add(path, "type", "a question must be an object");
    return std::nullopt;
  }
  const json::object& obj = v.as_object();
  auto name = ReadName(obj, path, problems);
  auto type_name = ReadString(obj, "type", path, /*required=*/true, problems);
  Question q;
  q.title = ReadString(obj, "title", path, false, problems).value_or("");
  q.description = ReadString(obj, "description", path, false, problems).value_or("");
  q.required = ReadBool(obj, "required", path, true, problems);
  if (!type_name) return std::nullopt;
  auto type = ParseQuestionType(*type_name);
  if (!type) {
    problems.Add(Join(path, "type"), "unknown_type",
                 "type must be one of label, multi_label, rating, ranking, preference, rubric, "
                 "text, number");
    return std::nullopt;
  }
  // Base keys, repeated per type so each list reads as the whole set that type accepts.
  switch (*type) {
    case QuestionType::kLabel:
      CheckKeys(obj, {"name", "type", "title", "description", "required", "options"}, path,
                problems);
      q.spec = LabelSpec{ReadOptions(obj, path, 1, problems)};
      break;
    case QuestionType::kMultiLabel:
      CheckKeys(obj,
                {"name", "type", "title", "description", "required", "options", "min_selected",
                 "max_selected"},
                path, problems);
      q.spec = ParseMultiLabel(obj, path, problems);
      break;
    case QuestionType::kRating:
      CheckKeys(obj, {"name", "type", "title", "description", "required", "min", "max"}, path,
                problems);
      q.spec = ParseRating(obj, path, problems);
      break;
    case QuestionType::kRanking:
      CheckKeys(obj, {"name", "type", "title", "description", "required", "options"}, path,
                problems);
      q.spec = RankingSpec{ReadOptions(obj, path, 2, problems)};
      break;
    case QuestionType::kPreference:
      CheckKeys(obj,
                {"name", "type", "title", "description", "required", "allow_tie", "strength_max"},
                path, problems);
      q.spec = ParsePreference(obj, path, problems);
      break;
    case QuestionType::kRubric:
      CheckKeys(obj, {"name", "type", "title", "description", "required", "criteria"}, path,
                problems);
      q.spec = ParseRubric(obj, path, problems);
      break;
    case QuestionType::kText:
      CheckKeys(obj,
                {"name", "type", "title", "description", "required", "min_length", "max_length"},
                path, problems);
      q.spec = ParseText(obj, path, problems);
      break;
    case QuestionType::kNumber:
      CheckKeys(obj, {"name", "type", "title", "description", "required", "min", "max", "integer"},
                path, problems);
      q.spec = ParseNumber(obj, path, problems);
      break;
  }
  FW_CHECK(q.type() == *type);
  if (!name) return std::nullopt;
  q.name = std::move(*name);
  return q;
}

// ---- Export mapping -------------------------------------------------------------------------

struct Names {
  const std::vector<Field>& fields;
  const std::vector<Question>& questions;

  const Field* FindField(std::string_view name) const {
    for (const Field& f : fields) {
      if (f.name == name) return &f;
    }
    return nullptr;
  }
  const Question* FindQuestion(std::string_view name) const {
    for (const Question& q : questions) {
      if (q.name == name) return &q;
    }
    return nullptr;
  }
};

void CheckFieldRef(const Names& names, const std::string& name, const std::string& path,
                   std::initializer_list<FieldType> suitable, Problems& problems) {
  const Field* f = names.FindField(name);
  if (!f) {
    problems.Add(path, "unknown_field", fmt::format("the template has no field \"{}\"", name));
  } else if (std::find(suitable.begin(), suitable.end(), f->type) == suitable.end()) {
    problems.Add(
        path, "unsuitable_type",
        fmt::format("field \"{}\" of type {} cannot be used here", name, FieldTypeName(f->type)));
  }
}

void CheckQuestionRef(const Names& names, const std::string& name, const std::string& path,
                      QuestionType suitable, Problems& problems) {
  const Question* q = names.FindQuestion(name);
  if (!q) {
    problems.Add(path, "unknown_question",
                 fmt::format("the template has no question \"{}\"", name));
  } else if (q->type() != suitable) {
    problems.Add(
        path, "unsuitable_type",
        fmt::format("question \"{}\" must be of type {}", name, QuestionTypeName(suitable)));
  }
}

constexpr std::initializer_list<FieldType> kPromptFieldTypes = {
    FieldType::kText, FieldType::kMarkdown, FieldType::kCode, FieldType::kChat};
constexpr std::initializer_list<FieldType> kResponseFieldTypes = {
    FieldType::kText, FieldType::kMarkdown, FieldType::kCode};

std::optional<SftExport> ParseSftExport(const json::object& obj, const std::string& path,
                                        const Names& names, Problems& problems) {
  CheckKeys(obj, {"prompt_field", "prompt_question", "response_question", "system_field"}, path,
            problems);
  const std::size_t before = problems.size();
  SftExport sft;
  auto prompt_field = ReadString(obj, "prompt_field", path, false, problems);
  auto prompt_question = ReadString(obj, "prompt_question", path, false, problems);
  auto response = ReadString(obj, "response_question", path, true, problems);
  sft.system_field = ReadString(obj, "system_field", path, false, problems);
  if (prompt_field && prompt_question) {
    problems.Add(path, "conflict", "give either prompt_field or prompt_question, not both");
  } else if (prompt_field) {
    CheckFieldRef(names, *prompt_field, Join(path, "prompt_field"), kPromptFieldTypes, problems);
    sft.prompt_from = SftExport::PromptFrom::kField;
    sft.prompt = *prompt_field;
  } else if (prompt_question) {
    CheckQuestionRef(names, *prompt_question, Join(path, "prompt_question"), QuestionType::kText,
                     problems);
    sft.prompt_from = SftExport::PromptFrom::kQuestion;
    sft.prompt = *prompt_question;
  } else if (!Member(obj, "prompt_field") && !Member(obj, "prompt_question")) {
    problems.Add(Join(path, "prompt_field"), "required",
                 "prompt_field or prompt_question is required");
  }
  if (response) {
    CheckQuestionRef(names, *response, Join(path, "response_question"), QuestionType::kText,
                     problems);
    sft.response_question = *response;
  }
  if (sft.system_field) {
    CheckFieldRef(names, *sft.system_field, Join(path, "system_field"),
                  {FieldType::kText, FieldType::kMarkdown}, problems);
  }
  if (problems.size() != before) return std::nullopt;
  return sft;
}

std::optional<PreferenceExport> ParsePreferenceExport(const json::object& obj,
                                                      const std::string& path, const Names& names,
                                                      Problems& problems) {
  CheckKeys(obj, {"prompt_field", "a_field", "b_field", "question"}, path, problems);
  const std::size_t before = problems.size();
  auto prompt = ReadString(obj, "prompt_field", path, true, problems);
  auto a = ReadString(obj, "a_field", path, true, problems);
  auto b = ReadString(obj, "b_field", path, true, problems);
  auto question = ReadString(obj, "question", path, true, problems);
  if (prompt)
    CheckFieldRef(names, *prompt, Join(path, "prompt_field"), kPromptFieldTypes, problems);
  if (a) CheckFieldRef(names, *a, Join(path, "a_field"), kResponseFieldTypes, problems);
  if (b) CheckFieldRef(names, *b, Join(path, "b_field"), kResponseFieldTypes, problems);
  if (a && b && *a == *b) {
    problems.Add(Join(path, "b_field"), "duplicate", "a_field and b_field must differ");
  }
  if (question) {
    CheckQuestionRef(names, *question, Join(path, "question"), QuestionType::kPreference, problems);
  }
  if (problems.size() != before) return std::nullopt;
  return PreferenceExport{*prompt, *a, *b, *question};
}

ExportMapping ParseExport(const json::object& tmpl, const Names& names, Problems& problems) {
  ExportMapping mapping;
  const json::value* v = Member(tmpl, "export");
  if (!v) return mapping;
  const std::string path = "template.export";
  if (!v->is_object()) {
    problems.Add(path, "type", "export must be an object");
    return mapping;
  }
  const json::object& obj = v->as_object();
  CheckKeys(obj, {"sft", "preference"}, path, problems);
  if (const json::value* sft = Member(obj, "sft")) {
    if (!sft->is_object()) {
      problems.Add(Join(path, "sft"), "type", "export.sft must be an object");
    } else {
      mapping.sft = ParseSftExport(sft->as_object(), Join(path, "sft"), names, problems);
    }
  }
  if (const json::value* pref = Member(obj, "preference")) {
    if (!pref->is_object()) {
      problems.Add(Join(path, "preference"), "type", "export.preference must be an object");
    } else {
      mapping.preference =
          ParsePreferenceExport(pref->as_object(), Join(path, "preference"), names, problems);
    }
  }
  return mapping;
}

// ---- Answers --------------------------------------------------------------------------------

struct Problem {
  std::string code;
  std::string message;
};
using Check = std::optional<Problem>;

Check Bad(std::string_view code, std::string message) {
  return Problem{std::string(code), std::move(message)};
}

bool Contains(const std::vector<std::string>& options, std::string_view s) {
  return std::find(options.begin(), options.end(), s) != options.end();
}

// Checks an array of options shared by multi_label and ranking: strings, known, distinct.
Check CheckOptionArray(const std::vector<std::string>& options, const json::value& v) {
  if (!v.is_array()) return Bad("type", "expected an array of options");
  std::set<std::string_view> seen;
  const json::array& arr = v.as_array();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_string()) return Bad("type", fmt::format("item {} must be a string", i));
    std::string_view s = arr[i].as_string();
    if (!Contains(options, s)) {
      return Bad("not_an_option", fmt::format("item {} is not one of the options", i));
    }
    if (!seen.insert(s).second) {
      return Bad("duplicate", fmt::format("item {} repeats an earlier option", i));
    }
  }
  return std::nullopt;
}

Check CheckAnswer(const LabelSpec& spec, const json::value& v) {
  if (!v.is_string()) return Bad("type", "expected one of the options as a string");
  if (!Contains(spec.options, v.as_string())) {
    return Bad("not_an_option", "the answer is not one of the options");
  }
  return std::nullopt;
}

Check CheckAnswer(const MultiLabelSpec& spec, const json::value& v) {
  if (Check c = CheckOptionArray(spec.options, v)) return c;
  const auto n = static_cast<std::int64_t>(v.as_array().size());
  if (spec.min_selected && n < *spec.min_selected) {
    return Bad("too_few", fmt::format("select at least {}", *spec.min_selected));
  }
  if (spec.max_selected && n > *spec.max_selected) {
    return Bad("too_many", fmt::format("select at most {}", *spec.max_selected));
  }
  return std::nullopt;
}

Check CheckAnswer(const RatingSpec& spec, const json::value& v) {
  auto i = AsInteger(v);
  if (!i) return Bad("type", "expected an integer rating");
  if (*i < spec.min || *i > spec.max) {
    return Bad("out_of_range",
               fmt::format("the rating must be between {} and {}", spec.min, spec.max));
  }
  return std::nullopt;
}

Check CheckAnswer(const RankingSpec& spec, const json::value& v) {
  if (Check c = CheckOptionArray(spec.options, v)) return c;
  if (v.as_array().size() != spec.options.size()) {
    return Bad("not_a_permutation", fmt::format("rank all {} options", spec.options.size()));
  }
  return std::nullopt;
}

Check CheckAnswer(const PreferenceSpec& spec, const json::value& v) {
  if (!v.is_object()) return Bad("type", "expected an object with choice and strength");
  const json::object& obj = v.as_object();
  for (const auto& kv : obj) {
    if (kv.key() != "choice" && kv.key() != "strength") {
      return Bad("unknown_key", "a preference answer has only choice and strength");
    }
  }
  const json::value* choice = Member(obj, "choice");
  if (!choice) return Bad("missing_choice", "choice is required");
  if (!choice->is_string()) return Bad("type", "choice must be a string");
  const std::string_view c = choice->as_string();
  const bool tie = c == "tie";
  if (!(c == "A" || c == "B" || (tie && spec.allow_tie))) {
    return Bad("not_an_option",
               spec.allow_tie ? "choice must be A, B or tie" : "choice must be A or B");
  }
  const json::value* strength = Member(obj, "strength");
  if (tie || spec.strength_max == 0) {
    if (strength) {
      return Bad("unexpected_strength",
                 tie ? "a tie has no strength" : "this question takes no strength");
    }
    return std::nullopt;
  }
  if (!strength) return Bad("missing_strength", "strength is required");
  auto s = AsInteger(*strength);
  if (!s) return Bad("type", "strength must be an integer");
  if (*s < 1 || *s > spec.strength_max) {
    return Bad("out_of_range", fmt::format("strength must be between 1 and {}", spec.strength_max));
  }
  return std::nullopt;
}

Check CheckAnswer(const RubricSpec& spec, const json::value& v) {
  if (!v.is_object()) return Bad("type", "expected an object with one entry per criterion");
  const json::object& obj = v.as_object();
  for (const RubricCriterion& c : spec.criteria) {
    const json::value* entry = Member(obj, c.name);
    if (!entry) {
      return Bad("missing_criterion", fmt::format("criterion {} is not graded", c.name));
    }
    switch (c.kind) {
      case CriterionKind::kPassFail:
        if (!entry->is_bool()) {
          return Bad("type", fmt::format("criterion {} must be true or false", c.name));
        }
        break;
      case CriterionKind::kPoints: {
        auto points = AsInteger(*entry);
        if (!points) return Bad("type", fmt::format("criterion {} must be an integer", c.name));
        if (*points < 0 || *points > c.max_points) {
          return Bad("out_of_range",
                     fmt::format("criterion {} must be between 0 and {}", c.name, c.max_points));
        }
        break;
      }
    }
  }
  for (const auto& kv : obj) {
    if (kv.key() == kCommentKey) {
      if (!kv.value().is_null() && !kv.value().is_string()) {
        return Bad("type", "comment must be a string");
      }
    } else if (std::none_of(spec.criteria.begin(), spec.criteria.end(),
                            [&](const RubricCriterion& c) { return c.name == kv.key(); })) {
      return Bad("unknown_criterion", "the answer grades a criterion the rubric does not have");
    }
  }
  return std::nullopt;
}

Check CheckAnswer(const TextSpec& spec, const json::value& v) {
  if (!v.is_string()) return Bad("type", "expected a string");
  const std::int64_t n = CountCodePoints(v.as_string());
  if (spec.min_length && n < *spec.min_length) {
    return Bad("too_short", fmt::format("write at least {} characters", *spec.min_length));
  }
  if (spec.max_length && n > *spec.max_length) {
    return Bad("too_long", fmt::format("write at most {} characters", *spec.max_length));
  }
  return std::nullopt;
}

Check CheckAnswer(const NumberSpec& spec, const json::value& v) {
  auto d = AsNumber(v);
  if (!d) return Bad("type", "expected a number");
  if (spec.integer && !AsInteger(v)) return Bad("type", "expected an integer");
  if ((spec.min && *d < *spec.min) || (spec.max && *d > *spec.max)) {
    return Bad("out_of_range", "the number is outside the allowed range");
  }
  return std::nullopt;
}

bool Unanswered(const Question& q, const json::value* v) {
  if (!v) return true;
  return q.type() == QuestionType::kText && v->is_string() && v->as_string().empty();
}

// ---- Item data ------------------------------------------------------------------------------

bool IsHttpUrl(std::string_view s) {
  auto starts_with_ci = [&](std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
      char c = s[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != prefix[i]) return false;
    }
    return true;
  };
  std::size_t host_start = 0;
  if (starts_with_ci("https://")) {
    host_start = 8;
  } else if (starts_with_ci("http://")) {
    host_start = 7;
  } else {
    return false;
  }
  if (host_start >= s.size()) return false;
  const char first = s[host_start];
  if (first == '/' || first == '?' || first == '#' || first == ':') return false;
  // Whitespace and control characters have no place in a URL and would break the markup the
  // front end builds around it.
  return std::none_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f;
  });
}

Check CheckChat(const json::value& v, bool required) {
  if (!v.is_array()) return Bad("type", "expected an array of {role, content} messages");
  const json::array& arr = v.as_array();
  if (arr.empty() && required) return Bad("required", "the conversation must not be empty");
  for (std::size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_object()) return Bad("type", fmt::format("message {} must be an object", i));
    const json::object& m = arr[i].as_object();
    const json::value* role = Member(m, "role");
    const json::value* content = Member(m, "content");
    if (!role || !role->is_string()) {
      return Bad("type", fmt::format("message {} needs a string role", i));
    }
    const std::string_view r = role->as_string();
    if (r != "system" && r != "user" && r != "assistant") {
      return Bad("invalid_role",
                 fmt::format("message {} role must be system, user or assistant", i));
    }
    if (!content || !content->is_string()) {
      return Bad("type", fmt::format("message {} needs a string content", i));
    }
  }
  return std::nullopt;
}

Check CheckFieldValue(const Field& f, const json::value& v) {
  switch (f.type) {
    case FieldType::kText:
    case FieldType::kMarkdown:
    case FieldType::kCode:
      if (!v.is_string()) return Bad("type", "expected a string");
      if (f.required && v.as_string().empty()) return Bad("required", "must not be empty");
      return std::nullopt;
    case FieldType::kChat:
      return CheckChat(v, f.required);
    case FieldType::kImageUrl:
      if (!v.is_string()) return Bad("type", "expected a URL string");
      if (!IsHttpUrl(v.as_string())) return Bad("invalid_url", "expected an http(s) URL");
      return std::nullopt;
  }
  FW_CHECK(false && "unhandled field type");
  return std::nullopt;
}

// ---- JSON output ----------------------------------------------------------------------------

json::value NumberToJson(double d) {
  // Integral bounds print as integers ("min": 0, not 0e0), which is what authors write.
  if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.0e15) {
    return static_cast<std::int64_t>(d);
  }
  return d;
}

json::array OptionsToJson(const std::vector<std::string>& options) {
  json::array arr;
  for (const auto& o : options) arr.emplace_back(o);
  return arr;
}

void SpecToJson(const LabelSpec& s, json::object& out) {
  out["options"] = OptionsToJson(s.options);
}
void SpecToJson(const MultiLabelSpec& s, json::object& out) {
  out["options"] = OptionsToJson(s.options);
  if (s.min_selected) out["min_selected"] = *s.min_selected;
  if (s.max_selected) out["max_selected"] = *s.max_selected;
}
void SpecToJson(const RatingSpec& s, json::object& out) {
  out["min"] = s.min;
  out["max"] = s.max;
}
void SpecToJson(const RankingSpec& s, json::object& out) {
  out["options"] = OptionsToJson(s.options);
}
void SpecToJson(const PreferenceSpec& s, json::object& out) {
  out["allow_tie"] = s.allow_tie;
  out["strength_max"] = s.strength_max;
}
void SpecToJson(const RubricSpec& s, json::object& out) {
  json::array criteria;
  for (const RubricCriterion& c : s.criteria) {
    json::object o;
    o["name"] = c.name;
    if (!c.title.empty()) o["title"] = c.title;
    switch (c.kind) {
      case CriterionKind::kPassFail:
        o["kind"] = "pass_fail";
        break;
      case CriterionKind::kPoints:
        o["kind"] = "points";
        o["max_points"] = c.max_points;
        break;
    }
    criteria.emplace_back(std::move(o));
  }
  out["criteria"] = std::move(criteria);
}
void SpecToJson(const TextSpec& s, json::object& out) {
  if (s.min_length) out["min_length"] = *s.min_length;
  if (s.max_length) out["max_length"] = *s.max_length;
}
void SpecToJson(const NumberSpec& s, json::object& out) {
  if (s.min) out["min"] = NumberToJson(*s.min);
  if (s.max) out["max"] = NumberToJson(*s.max);
  out["integer"] = s.integer;
}

// ---- Presets --------------------------------------------------------------------------------

constexpr std::string_view kSftPreset = R"({
  "fields": [
    {"name": "prompt", "type": "markdown", "title": "Prompt"},
    {"name": "system", "type": "text", "title": "System prompt", "required": false}
  ],
  "questions": [
    {"name": "response", "type": "text", "title": "Your response",
     "description": "Write the ideal assistant response. Markdown and LaTeX math are supported.",
     "min_length": 1, "max_length": 20000}
  ],
  "export": {"sft": {"prompt_field": "prompt", "response_question": "response",
                     "system_field": "system"}}
})";

constexpr std::string_view kPreferencePreset = R"({
  "fields": [
    {"name": "prompt", "type": "markdown", "title": "Prompt"},
    {"name": "response_a", "type": "markdown", "title": "Response A"},
    {"name": "response_b", "type": "markdown", "title": "Response B"}
  ],
  "questions": [
    {"name": "preference", "type": "preference", "title": "Which response is better?",
     "description": "Pick A, B or tie; say how strongly (1 slightly, 3 much better).",
     "allow_tie": true, "strength_max": 3},
    {"name": "rationale", "type": "text", "title": "Why?", "required": false,
     "max_length": 5000}
  ],
  "export": {"preference": {"prompt_field": "prompt", "a_field": "response_a",
                            "b_field": "response_b", "question": "preference"}}
})";

constexpr std::string_view kRubricPreset = R"({
  "fields": [
    {"name": "prompt", "type": "markdown", "title": "Prompt"},
    {"name": "response", "type": "markdown", "title": "Response"}
  ],
  "questions": [
    {"name": "rubric", "type": "rubric", "title": "Grade the response",
     "criteria": [
       {"name": "correctness", "title": "The final answer is correct", "kind": "pass_fail"},
       {"name": "reasoning", "title": "Reasoning is sound and complete", "kind": "points",
        "max_points": 3},
       {"name": "clarity", "title": "Clear and well presented", "kind": "points",
        "max_points": 2}
     ]},
    {"name": "comment", "type": "text", "title": "Comment", "required": false,
     "max_length": 5000}
  ]
})";

constexpr std::string_view kAdversarialPreset = R"({
  "fields": [
    {"name": "topic", "type": "markdown", "title": "Instructions", "required": false}
  ],
  "questions": [
    {"name": "question", "type": "text", "title": "Your question",
     "description": "A question a strong model gets wrong. Markdown and LaTeX math are supported.",
     "min_length": 1, "max_length": 20000},
    {"name": "reference_answer", "type": "text", "title": "Reference answer",
     "min_length": 1, "max_length": 5000},
    {"name": "solution", "type": "text", "title": "Worked solution",
     "min_length": 1, "max_length": 50000}
  ],
  "export": {"sft": {"prompt_question": "question", "response_question": "reference_answer"}}
})";

constexpr std::string_view kClassificationPreset = R"({
  "fields": [
    {"name": "text", "type": "markdown", "title": "Text"}
  ],
  "questions": [
    {"name": "label", "type": "label", "title": "Is it correct?",
     "options": ["correct", "incorrect", "unsure"]},
    {"name": "confidence", "type": "rating", "title": "Confidence", "required": false,
     "min": 1, "max": 5}
  ]
})";

constexpr std::pair<std::string_view, std::string_view> kPresets[] = {
    {"sft", kSftPreset},
    {"preference", kPreferencePreset},
    {"rubric", kRubricPreset},
    {"adversarial", kAdversarialPreset},
    {"classification", kClassificationPreset},
};

}  // namespace

std::string_view FieldTypeName(FieldType type) {
  for (const auto& [t, name] : kFieldTypes) {
    if (t == type) return name;
  }
  FW_CHECK(false && "unhandled field type");
  return {};
}

std::string_view QuestionTypeName(QuestionType type) {
  for (const auto& [t, name] : kQuestionTypes) {
    if (t == type) return name;
  }
  FW_CHECK(false && "unhandled question type");
  return {};
}

const Field* Template::FindField(std::string_view name) const {
  return Names{fields_, questions_}.FindField(name);
}

const Question* Template::FindQuestion(std::string_view name) const {
  return Names{fields_, questions_}.FindQuestion(name);
}

Result<Template> ParseTemplate(const json::value& value) {
  if (!value.is_object()) {
    return InvalidArgument("the template must be a JSON object",
                           {{"template", "type", "expected an object"}});
  }
  const json::object& obj = value.as_object();
  Problems problems;
  CheckKeys(obj, {"fields", "questions", "export"}, "template", problems);
  Template tmpl;

  if (const json::value* fields = Member(obj, "fields")) {
    if (!fields->is_array()) {
      problems.Add("template.fields", "type", "fields must be an array");
    } else {
      std::set<std::string> seen;
      const json::array& arr = fields->as_array();
      for (std::size_t i = 0; i < arr.size(); ++i) {
        const std::string path = At("template.fields", i);
        auto field = ParseField(arr[i], path, problems);
        if (!field) continue;
        if (!seen.insert(field->name).second) {
          problems.Add(Join(path, "name"), "duplicate",
                       fmt::format("another field is already named \"{}\"", field->name));
          continue;
        }
        tmpl.fields_.push_back(std::move(*field));
      }
    }
  }

  if (const json::value* questions = Member(obj, "questions"); !questions) {
    problems.Add("template.questions", "required", "questions is required");
  } else if (!questions->is_array()) {
    problems.Add("template.questions", "type", "questions must be an array");
  } else if (questions->as_array().empty()) {
    problems.Add("template.questions", "empty", "a template needs at least one question");
  } else {
    std::set<std::string> seen;
    const json::array& arr = questions->as_array();
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const std::string path = At("template.questions", i);
      auto question = ParseQuestion(arr[i], path, problems);
      if (!question) continue;
      if (!seen.insert(question->name).second) {
        problems.Add(Join(path, "name"), "duplicate",
                     fmt::format("another question is already named \"{}\"", question->name));
        continue;
      }
      tmpl.questions_.push_back(std::move(*question));
    }
  }

  tmpl.export_ = ParseExport(obj, Names{tmpl.fields_, tmpl.questions_}, problems);

  if (!problems.empty()) {
    const std::size_t n = problems.size();
    return InvalidArgument(fmt::format("the template has {} problem{}", n, n == 1 ? "" : "s"),
                           problems.Take());
  }
  return tmpl;
}

json::value ToJson(const Template& tmpl) {
  json::array fields;
  for (const Field& f : tmpl.fields()) {
    json::object o;
    o["name"] = f.name;
    o["type"] = FieldTypeName(f.type);
    if (!f.title.empty()) o["title"] = f.title;
    o["required"] = f.required;
    if (f.type == FieldType::kCode && !f.language.empty()) o["language"] = f.language;
    fields.emplace_back(std::move(o));
  }
  json::array questions;
  for (const Question& q : tmpl.questions()) {
    json::object o;
    o["name"] = q.name;
    o["type"] = QuestionTypeName(q.type());
    if (!q.title.empty()) o["title"] = q.title;
    if (!q.description.empty()) o["description"] = q.description;
    o["required"] = q.required;
    std::visit([&](const auto& spec) { SpecToJson(spec, o); }, q.spec);
    questions.emplace_back(std::move(o));
  }
  json::object out;
  out["fields"] = std::move(fields);
  out["questions"] = std::move(questions);

  const ExportMapping& mapping = tmpl.export_mapping();
  json::object exports;
  if (mapping.sft) {
    json::object sft;
    switch (mapping.sft->prompt_from) {
      case SftExport::PromptFrom::kField:
        sft["prompt_field"] = mapping.sft->prompt;
        break;
      case SftExport::PromptFrom::kQuestion:
        sft["prompt_question"] = mapping.sft->prompt;
        break;
    }
    sft["response_question"] = mapping.sft->response_question;
    if (mapping.sft->system_field) sft["system_field"] = *mapping.sft->system_field;
    exports["sft"] = std::move(sft);
  }
  if (mapping.preference) {
    exports["preference"] = {{"prompt_field", mapping.preference->prompt_field},
                             {"a_field", mapping.preference->a_field},
                             {"b_field", mapping.preference->b_field},
                             {"question", mapping.preference->question}};
  }
  if (!exports.empty()) out["export"] = std::move(exports);
  return out;
}

Status ValidateAnswer(const Template& tmpl, const json::value& answer) {
  if (!answer.is_object()) {
    return Unprocessable("the answer must be a JSON object keyed by question",
                         {{"answer", "type", "expected an object"}});
  }
  const json::object& obj = answer.as_object();
  std::vector<FieldError> errors;
  for (const Question& q : tmpl.questions()) {
    const json::value* v = Member(obj, q.name);
    Check problem;
    if (Unanswered(q, v)) {
      if (q.required) problem = Bad("required", "this question requires an answer");
    } else {
      problem = std::visit([&](const auto& spec) { return CheckAnswer(spec, *v); }, q.spec);
    }
    if (problem) {
      errors.push_back(
          {Join("answer", q.name), std::move(problem->code), std::move(problem->message)});
    }
  }
  for (const auto& kv : obj) {
    if (!tmpl.FindQuestion(kv.key())) {
      errors.push_back({Join("answer", kv.key()), "unknown_question",
                        "the template has no question by this name"});
    }
  }
  if (!errors.empty()) {
    const std::size_t n = errors.size();
    return Unprocessable(
        fmt::format("{} question{} not answered correctly", n, n == 1 ? " is" : "s are"),
        std::move(errors));
  }
  return {};
}

Status ValidateItemData(const Template& tmpl, const json::value& data) {
  if (!data.is_object()) {
    return Unprocessable("item data must be a JSON object",
                         {{"data", "type", "expected an object"}});
  }
  const json::object& obj = data.as_object();
  std::vector<FieldError> errors;
  for (const Field& f : tmpl.fields()) {
    const json::value* v = Member(obj, f.name);
    Check problem;
    if (!v) {
      if (f.required) problem = Bad("required", "this field is required");
    } else {
      problem = CheckFieldValue(f, *v);
    }
    if (problem) {
      errors.push_back(
          {Join("data", f.name), std::move(problem->code), std::move(problem->message)});
    }
  }
  if (!errors.empty()) {
    const std::size_t n = errors.size();
    return Unprocessable(
        fmt::format("item data does not match the template ({} field{})", n, n == 1 ? "" : "s"),
        std::move(errors));
  }
  return {};
}

const std::vector<std::string_view>& PresetNames() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    for (const auto& [name, text] : kPresets) v.push_back(name);
    return v;
  }();
  return names;
}

Result<Template> PresetTemplate(std::string_view preset) {
  for (const auto& [name, text] : kPresets) {
    if (name != preset) continue;
    auto parsed = ParseJson(text, "preset");
    FW_CHECK(parsed.has_value());
    auto tmpl = ParseTemplate(*parsed);
    FW_CHECK(tmpl.has_value());
    return tmpl;
  }
  return InvalidArgument(fmt::format("no preset named \"{}\"", preset),
                         {{"preset", "unknown_preset",
                           fmt::format("choose one of: {}", fmt::join(PresetNames(), ", "))}});
}

bool GoldMatches(const json::value& gold, const json::value& answer) {
  if (!gold.is_object() || !answer.is_object()) return gold == answer;
  for (const auto& kv : gold.as_object()) {
    auto it = answer.as_object().find(kv.key());
    if (it == answer.as_object().end() || it->value() != kv.value()) return false;
  }
  return true;
}

}  // namespace fw::projects
