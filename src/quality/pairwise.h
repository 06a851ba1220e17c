#pragma once
// Pairwise preferences (Bradley–Terry) and ratings. Pure; thread safety: free functions.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace fw::quality {

// One comparison: on `task`, `worker` compared response `a` with response `b`.
enum class Outcome { kA, kB, kTie };
struct Comparison {
  std::uint32_t task = 0;
  std::uint32_t worker = 0;
  std::uint32_t a = 0;  // response (or model) index
  std::uint32_t b = 0;
  Outcome outcome = Outcome::kTie;
};

struct ComparisonSet {
  std::vector<std::string> tasks;
  std::vector<std::string> workers;
  std::vector<std::string> responses;  // response or model ids
  std::vector<Comparison> comparisons;
};

// Parses CSV with header `worker,task,left,right,label` where label is "left", "right" or
// "tie" (also "a"/"b"), or JSONL with the same members. Errors: kInvalidArgument naming the line.
//
// Details of the contract: JSONL when the first non-blank character is '{'; otherwise CSV whose
// header names the five columns in any order (other columns ignored; names are matched without
// regard to case). A UTF-8 BOM, CRLF line endings, blank lines and double-quoted fields with ""
// escapes (which may span lines) are accepted. Labels are matched without regard to case; "left"
// and "a" give Outcome::kA, "right" and "b" kB. JSONL members are strings or integers (label a
// string). Tasks, workers and responses are interned in order of first appearance.
// Errors are kInvalidArgument. Text with nothing but blanks (and a BOM) gives "comparisons are
// empty" with detail field "text", code "empty"; every other message starts "line N: " and its
// detail has field "line N" and a code: "missing_column", "too_few_fields", "required"
// (an empty or absent member), "type", "invalid_json", "bad_label", "same_response" (left ==
// right), "unterminated_quote", "bad_quote" (text after a closing quote).
[[nodiscard]] Result<ComparisonSet> ParseComparisons(std::string_view text);

struct BradleyTerryOptions {
  int max_iterations = 1000;
  double tolerance = 1e-8;
  double confidence_level = 0.95;
  // Pseudo-comparisons against a virtual average response, so that a response that never lost
  // (or never won) keeps a finite score.
  double prior_strength = 1.0;
};

inline constexpr std::uint32_t kNoWinner = 0xffffffffu;

struct BradleyTerryResult {
  std::vector<double> score;   // per response: log-strength, centred to mean 0
  std::vector<double> ci_low;  // per response, at options.confidence_level
  std::vector<double> ci_high;
  std::vector<std::size_t> comparisons;  // per response
  // Per task: the preferred response and the probability that it is preferred (aggregated over
  // that task's comparisons, ties counted as half a win each).
  std::vector<std::uint32_t> task_winner;
  std::vector<double> task_confidence;
  int iterations = 0;
  bool converged = true;
};

// Bradley–Terry by the MM algorithm (Hunter 2004), ties as half a win for each side; standard
// errors from the observed Fisher information. Errors: kInvalidArgument when there are no
// comparisons or a comparison has a == b.
//
// Details of the contract: the prior is `prior_strength` comparisons of each response against a
// virtual response of strength 1 (score 0 before centring), half won and half lost; the result
// is the posterior mode, so scores are finite and shrunk towards the average (at the mode the
// virtual response wins half of its expected games against each connected group of responses,
// which is what makes it "average"). Each MM step is followed by the exact optimum of each
// group's common shift, which the weak prior alone would pin only slowly. Iteration stops
// when no log-strength moves by more than `tolerance` (converged) or after max_iterations
// (converged = false, the last iterate is returned). The interval is score ± z·se where se is
// the standard error of the centred score (prior included in the information). task_winner is
// the response with the highest win rate on that task (ties broken by the higher score, then
// the lower index) and task_confidence that win rate; a task without comparisons has
// kNoWinner and 0. Cost: O(k^3) for the largest connected group of k responses (the matrix
// inversion for the intervals), fine for hundreds of models.
// Further errors (kInvalidArgument): an index out of range of the set's tables
// ("comparisons[i]"), or options out of range: max_iterations < 1, tolerance <= 0,
// confidence_level outside (0, 1), prior_strength not positive and finite.
[[nodiscard]] Result<BradleyTerryResult> BradleyTerry(const ComparisonSet& set,
                                                      const BradleyTerryOptions& options = {});

// Ratings: numeric scores (a rubric's 1..5) per task.
struct Rating {
  std::uint32_t task = 0;
  std::uint32_t worker = 0;
  double value = 0;
};
struct RatingResult {
  std::vector<double> mean;            // per task
  std::vector<double> median;          // per task
  std::vector<double> corrected_mean;  // per task, after removing each worker's bias
  std::vector<double> worker_bias;     // per worker: mean offset from the task means
};
// Bias-corrected mean: alternately estimate task means and worker offsets (additive model
// value = task + bias + noise, biases centred to mean 0), a fixed number of rounds. Each
// worker's offset is shrunk toward 0 as if it also had 3 ratings with no offset (a ridge
// prior), so a worker with few ratings is corrected little.
// Errors: kInvalidArgument when there are no ratings or an index is out of range.
//
// Details of the contract: at most 100 rounds, stopping early once no estimate moves by more
// than 1e-12 (deterministic either way). Biases are centred over the workers that rated
// something, so corrected means are what the average worker would have given; a worker without
// ratings has bias 0. A task without ratings has NaN mean, median and corrected_mean. The
// median of an even count is the mean of the middle two. A non-finite value is also
// kInvalidArgument; details name "ratings[i]".
[[nodiscard]] Result<RatingResult> AggregateRatings(std::size_t num_tasks, std::size_t num_workers,
                                                    const std::vector<Rating>& ratings);

}  // namespace fw::quality
