#pragma once
// Inter-annotator agreement: Krippendorff's alpha (nominal, ordinal, interval, ratio; missing
// data allowed), Fleiss' kappa and Cohen's kappa. Pure; thread safety: free functions.

#include <optional>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "quality/answers.h"

namespace fw::quality {

enum class AlphaLevel { kNominal, kOrdinal, kInterval, kRatio };

// Reliability data in Krippendorff's layout: a coders × units matrix with missing values.
// values[c * units + u] is coder c's value for unit u, or nullopt.
struct ReliabilityData {
  std::size_t coders = 0;
  std::size_t units = 0;
  std::vector<std::optional<double>> values;
};

// Krippendorff's alpha. Units with fewer than two values are not pairable and are ignored.
// Ordinal uses the rank order of the distinct values (with the ordinal metric's marginal
// sums); interval uses (a-b)^2; ratio ((a-b)/(a+b))^2.
// Errors: kInvalidArgument when values.size() != coders*units, a value is not finite, no unit
// has two values, or (ratio) a pairable value is negative; kUnprocessable ("no_variation")
// when all pairable values are equal (alpha is undefined).
// Cost: linear in the values for nominal, ordinal and interval; ratio adds the square of the
// number of distinct values.
[[nodiscard]] Result<double> KrippendorffAlpha(const ReliabilityData& data, AlphaLevel level);

// Alpha over an AnswerSet: units are tasks, values are answers (several answers of one worker
// to one task all count). For ordinal the value is the label index (label order); for interval
// and ratio the label name must be a number (kInvalidArgument naming the label otherwise;
// only labels some answer uses are checked). Other errors as above.
[[nodiscard]] Result<double> KrippendorffAlpha(const AnswerSet& answers, AlphaLevel level);

// Fleiss' kappa over tasks that have exactly `raters` answers each; when raters is 0 it is the
// most common answer count among tasks with answers (a tie goes to the larger count). Tasks
// with another count, none included, are skipped (reported in `skipped`).
// Errors: kInvalidArgument when fewer than one task qualifies or raters < 2;
// kUnprocessable ("no_variation") when expected agreement is 1.
struct FleissResult {
  double kappa = 0;
  std::size_t tasks = 0;    // tasks used
  std::size_t skipped = 0;  // tasks with another number of answers
  std::size_t raters = 0;
};
[[nodiscard]] Result<FleissResult> FleissKappa(const AnswerSet& answers, std::size_t raters = 0);

// Cohen's kappa between two workers over the tasks both answered (a worker's first answer per
// task). When the set has exactly two workers they are compared; otherwise the result is the
// mean over every pair of workers with at least `min_overlap` common tasks (0 is taken as 1);
// a pair whose expected agreement is 1 has no kappa and is left out of the mean.
// Errors: kInvalidArgument when no pair shares min_overlap tasks; kUnprocessable
// ("no_variation") when a two-worker set has expected agreement 1, or more generally when
// every pair that shares min_overlap tasks has.
struct CohenResult {
  double kappa = 0;
  std::size_t pairs = 0;  // worker pairs averaged
  std::size_t tasks = 0;  // common tasks, summed over pairs
};
[[nodiscard]] Result<CohenResult> CohenKappa(const AnswerSet& answers, std::size_t min_overlap = 1);

// Two-rater kappa over parallel label sequences (same length, labels are indices < num_labels).
// Errors: kInvalidArgument when the lengths differ, the sequences are empty or a label is
// >= num_labels (details name "a[i]" or "b[i]"); kUnprocessable ("no_variation") when both
// raters gave one and the same label throughout (expected agreement 1).
[[nodiscard]] Result<double> CohenKappa(const std::vector<std::uint32_t>& a,
                                        const std::vector<std::uint32_t>& b,
                                        std::size_t num_labels);

}  // namespace fw::quality
