#pragma once
// Categorical answer sets in dense form: workers, tasks and labels are interned to indices
// 0..n-1 so the inference methods work on flat arrays. Parsing works on text already in
// memory (the caller reads the file); nothing here does I/O. Thread safety: values; a const
// AnswerSet may be shared between threads.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace fw::quality {

// One judgment: `worker` gave `label` to `task`. Indices into AnswerSet's name tables.
struct Answer {
  std::uint32_t task = 0;
  std::uint32_t worker = 0;
  std::uint32_t label = 0;
  friend bool operator==(const Answer&, const Answer&) = default;
};

// A set of categorical answers. Duplicate (task, worker) rows are kept: each row counts as
// one answer (crowd-kit's convention). Labels are ordered: when every label name is an
// integer they sort numerically ("2" < "10"), otherwise byte-wise; label index 0 is the
// lowest label, which is what "ties go to the lowest label" refers to everywhere.
struct AnswerSet {
  std::vector<std::string> tasks;    // task index -> external id, in order of first appearance
  std::vector<std::string> workers;  // worker index -> external id, in order of first appearance
  std::vector<std::string> labels;   // label index -> label name, in label order (see above)
  std::vector<Answer> answers;       // in input order

  std::size_t num_tasks() const { return tasks.size(); }
  std::size_t num_workers() const { return workers.size(); }
  std::size_t num_labels() const { return labels.size(); }
};

// Builds an AnswerSet by interning names. Labels are re-ordered by Finish() so the final
// label order is the documented one whatever order they arrived in.
class AnswerSetBuilder {
 public:
  AnswerSetBuilder();
  ~AnswerSetBuilder();
  AnswerSetBuilder(AnswerSetBuilder&&) noexcept;
  AnswerSetBuilder& operator=(AnswerSetBuilder&&) noexcept;

  // Declares a label that may not occur in any answer (from a template's options or a truth
  // file), so it gets an index.
  void AddLabel(std::string_view label);
  void Add(std::string_view worker, std::string_view task, std::string_view label);
  // Returns the set; the builder is empty afterwards.
  AnswerSet Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Parses CSV text whose header names the columns `worker`, `task` and `label` (any order,
// other columns ignored; a UTF-8 BOM and CRLF line endings are accepted; fields may be
// double-quoted with "" escapes). Blank lines are skipped.
// Errors: kInvalidArgument when the text is empty, a column is missing from the header (or
// named twice), or a line has too few fields, an empty worker/task/label, an unterminated
// quoted field or text after a closing quote — the message names the line ("line 17: missing
// label"; a record that spans lines is named by its first line), and details carry field
// "line 17" with code "required" (missing or empty) or "malformed". Only the first error is
// reported.
[[nodiscard]] Result<AnswerSet> ParseAnswersCsv(std::string_view text);

// Parses JSONL: one object per line with string (or integer) members `worker`, `task` and
// `label` (an integer keeps its spelling as the name; other members are skipped). Errors as
// ParseAnswersCsv, plus code "malformed" for a line that is not a JSON object and "type" for a
// member that is neither a string nor an integer.
[[nodiscard]] Result<AnswerSet> ParseAnswersJsonl(std::string_view text);

// Parses CSV or JSONL: JSONL when the first non-blank character is '{'.
[[nodiscard]] Result<AnswerSet> ParseAnswers(std::string_view text);

// Ground truth for some tasks of a set: truth[task] is a label index, or kNoTruth.
inline constexpr std::uint32_t kNoTruth = 0xffffffffu;
struct Truth {
  std::vector<std::uint32_t> label;  // per task of the AnswerSet
  std::size_t rows = 0;              // rows in the file, including tasks without answers
  std::size_t matched = 0;           // tasks that have both a truth and answers
};

// Parses a truth CSV with header `task,label` (or JSONL with members task and label) against
// `answers`. Truth rows for tasks without answers are counted but otherwise ignored. A truth
// label that no answer used is appended to `answers.labels` (so it can never be "correct" by
// accident) — hence the non-const reference; existing label indices do not change, so such a
// label sits after the ordered ones. Errors as ParseAnswersCsv, plus code "conflict" when a
// task gets two different truth labels (repeating the same one is fine).
[[nodiscard]] Result<Truth> ParseTruth(std::string_view text, AnswerSet& answers);

// Fraction of tasks with a truth whose `predicted` label equals it (predicted is per task).
// Returns 0 when no task has a truth.
double Accuracy(const std::vector<std::uint32_t>& predicted, const Truth& truth);

}  // namespace fw::quality
