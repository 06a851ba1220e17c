#pragma once
// Truth inference for categorical answers: from many experts' labels per task, the most
// likely true label with its posterior probability, and a reliability estimate per expert.
// Pure and deterministic: the same AnswerSet and options give the same result bit for bit
// (no threads, no unordered iteration, seeded randomness only). Thread safety: free
// functions over const inputs.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "quality/answers.h"

namespace fw::quality {

// Each method's initialisation, stopping rule, prior and tie-break: docs/quality.md.
enum class Method {
  kMajorityVote,       // "mv"
  kWawa,               // "wawa": majority vote weighted by agreement with the majority
  kDawidSkene,         // "ds": full confusion matrix per worker, EM (MAP with a Dirichlet prior)
  kOneCoinDawidSkene,  // "ods": one accuracy per worker, errors spread evenly, uniform classes
  kGlad,               // "glad": worker ability × task difficulty (Whitehill et al. 2009)
};

// Parses "mv", "wawa", "ds", "ods", "glad". Errors: kInvalidArgument naming `field`.
[[nodiscard]] Result<Method> ParseMethod(std::string_view name, std::string_view field = "method");
std::string_view MethodName(Method method);

struct InferenceOptions {
  // EM stops when the largest change of any task posterior is below `tolerance`, or after
  // `max_iterations` (docs/quality.md says why this stopping rule).
  int max_iterations = 100;
  double tolerance = 1e-5;
  // Dirichlet pseudo-counts added to each confusion-matrix row (DS) / accuracy (ODS): this
  // many pseudo-answers per row, 10% on the correct label and 90% spread like the crowd's
  // pooled answers for that true label. 0 gives maximum-likelihood EM. Ignored by mv and wawa;
  // glad's own priors are fixed (alpha ~ N(1, 1), log beta ~ N(1, 1)), and this one applies
  // to the DS fit it starts from.
  std::optional<double> prior;  // nullopt: the method's documented default (10)
  std::uint64_t seed = 0;       // for any randomised step (none of the defaults use it)
  // Where GLAD's EM starts: from the Dawid–Skene posteriors under these options (default;
  // docs/quality.md, "GLAD", says why and what it changes), or from a vote with equal weights
  // (GLAD's prior means; crowd-kit's start). Ignored by the other methods.
  enum class GladStart { kDawidSkene, kVote };
  GladStart glad_start = GladStart::kDawidSkene;
};

// Per-worker Dawid–Skene model, kept so a posterior for one task can be computed without
// re-running EM (adaptive redundancy, incremental reports).
struct WorkerModel {
  std::size_t num_labels = 0;
  std::vector<double> class_prior;  // num_labels
  // confusion[(w * K + true) * K + given] = P(worker w answers `given` | truth `true`).
  std::vector<double> confusion;
  // Used for a worker index beyond the model (a new expert): pooled over all workers.
  std::vector<double> pooled_confusion;  // K × K
};

struct InferenceResult {
  std::vector<std::uint32_t> label;  // per task: chosen label index
  std::vector<double> confidence;    // per task: posterior of the chosen label, in [0, 1]
  std::vector<double> posterior;     // per task × label, row-major; rows sum to 1
  // Per worker: estimated probability of a correct answer — mv and wawa: agreement with the
  // majority vote; ds: sum over c of class_prior[c] × confusion[c][c]; ods: the accuracy;
  // glad: mean of sigmoid(alpha × beta) over the worker's answers.
  std::vector<double> worker_skill;
  int iterations = 0;  // EM iterations run (0 for non-iterative methods)
  bool converged = true;
  std::optional<WorkerModel> model;  // set by ds and ods
};

// Runs `method` over `answers`. Tasks without answers do not occur in a parsed AnswerSet, so
// every task gets a label (in a hand-built set such a task gets the class prior). Errors:
// kInvalidArgument when `answers` has no answers, an answer's task, worker or label index is
// out of range, options are out of range (max_iterations < 1, tolerance <= 0, prior < 0 or
// not finite), or (ds, ods) workers × labels² exceeds 2^28 (field "method", code "too_large").
[[nodiscard]] Result<InferenceResult> Infer(const AnswerSet& answers, Method method,
                                            const InferenceOptions& options = {});

// Posterior over labels for one task given its (worker, label) answers and a fitted model.
// Workers beyond the model use its pooled confusion; an answer whose label is beyond the model
// carries no evidence and is skipped. Returns num_labels probabilities (one allocation).
std::vector<double> TaskPosterior(const WorkerModel& model, std::span<const Answer> task_answers);

// Multi-label questions: each answer is a set of labels. Aggregated one label at a time as a
// binary question (present / absent) with `method`; an answer from a worker who answered the
// task counts as "absent" for every label it did not pick.
struct MultiLabelAnswer {
  std::uint32_t task = 0;
  std::uint32_t worker = 0;
  std::vector<std::uint32_t> labels;  // label indices, any order
};
struct MultiLabelResult {
  // per task × label, row-major: posterior probability that the label applies.
  std::vector<double> probability;
  std::vector<std::uint8_t> chosen;  // per task × label: probability >= 0.5
};
// Errors: kInvalidArgument when there are no answers, num_labels is 0, an index is out of
// range, or options are out of range (as Infer).
[[nodiscard]] Result<MultiLabelResult> InferMultiLabel(
    std::size_t num_tasks, std::size_t num_workers, std::size_t num_labels,
    std::span<const MultiLabelAnswer> answers, Method method, const InferenceOptions& options = {});

}  // namespace fw::quality
