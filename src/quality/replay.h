#pragma once
// Adaptive redundancy: when an item has enough judgments, and a replay that measures what a
// stopping rule saves on a recorded dataset.
//
// StoppingRule is the decision the work loop makes before it hands an item out again: given
// the item's posterior over labels (quality::TaskPosterior under a fitted Dawid–Skene model)
// and how many judgments it has, stop or continue; the thresholds were measured with the model
// fitted as ReplayOptions::model_iterations describes, so a caller should fit it the same way.
// Replay() plays a real answer set back in a seeded random arrival order, applies a policy to
// every arrival, and scores the final aggregation of the accepted judgments against ground
// truth next to the full-redundancy baseline (docs/quality.md, "Adaptive redundancy").
//
// Pure and deterministic: the same inputs and seed give the same report bit for bit (the
// arrival order comes from std::mt19937_64, whose output the standard fixes, with an integer
// mapping of our own; no std distributions). Thread safety: values and free functions over
// const inputs.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "quality/answers.h"
#include "quality/categorical.h"

namespace fw::quality {

// When an item stops taking judgments: once it has at least `min_judgments` and the posterior
// of its leading label is at least `threshold`, or once it has `max_judgments`. The defaults
// are the measured ones (docs/quality.md, "Adaptive redundancy", says why 0.995 and 2).
struct StoppingRule {
  // In (0, 1]. 1 never stops on the posterior: a posterior that rounds to 1.0 is not certainty.
  double threshold = 0.995;
  std::size_t min_judgments = 2;  // >= 1
  std::size_t max_judgments = 0;  // 0: no cap; otherwise >= min_judgments
  // Also stop (once min_judgments are in) when the judgments the item could still take are
  // unlikely to change its leading label: ChangeProbability(...) < change. In [0, 1); 0: off.
  // Needs a StopContext; without one only the threshold applies.
  double change = 0;

  // True when an item with `judgments` accepted judgments and this `posterior` (one
  // probability per label, as TaskPosterior returns; may be empty when no model has been
  // fitted yet, which never stops on the posterior) should take no more.
  bool ShouldStop(std::span<const double> posterior, std::size_t judgments) const;

  // What the `change` test needs: the confusion matrix of a typical expert (K × K, row = true
  // label, as WorkerModel::pooled_confusion; any other size turns the test off) and how many
  // more judgments the item could take.
  struct StopContext {
    std::span<const double> typical_confusion;
    std::size_t remaining = 0;
  };
  bool ShouldStop(std::span<const double> posterior, std::size_t judgments,
                  const StopContext& context) const;
};

// Checks a rule's ranges. Errors: kInvalidArgument naming the field ("threshold", "min",
// "max", "change") when threshold is not in (0, 1], min is 0, max is nonzero and below min, or
// change is not in [0, 1).
[[nodiscard]] Status ValidateStoppingRule(const StoppingRule& rule);

// The probability that `remaining` more judgments, each drawn from `confusion` (K × K, row =
// true label) given a true label drawn from `posterior`, leave the item with a different
// leading label: one whose posterior is at least the current leader's (ties count as a
// change). Exact: sums over every count vector of the remaining answers. 0 when remaining is
// 0. When that sum would visit more than kMaxChangeOutcomes count vectors (many labels and
// many remaining judgments) it returns 1, which never stops an item early.
double ChangeProbability(std::span<const double> posterior, std::span<const double> confusion,
                         std::size_t remaining);
inline constexpr std::size_t kMaxChangeOutcomes = 100000;

// How much a worker's answer tells about the truth: the mutual information between the true
// label (drawn from the model's class prior) and the worker's answer, divided by the entropy of
// the class prior. 0 for a worker whose answer does not depend on the truth (a spammer, or one
// who always gives the same label), 1 for a perfect one. One value per worker of the model; all
// 0 when the class prior is a single label.
std::vector<double> WorkerInformation(const WorkerModel& model);

// Who keeps getting an item's judgments: once the model has seen at least `min_judgments` of a
// worker's, a worker whose WorkerInformation is below `min_information` is not asked again
// (the replay rejects their arrivals on items that already have a judgment). 0: off.
struct ExpertGate {
  double min_information = 0;      // in [0, 1)
  std::size_t min_judgments = 20;  // >= 1
};

// Checks a gate's ranges. Errors: kInvalidArgument naming the field ("gate" when
// min_information is not in [0, 1), "gate_min" when min_judgments is 0).
[[nodiscard]] Status ValidateExpertGate(const ExpertGate& gate);

// The workers `gate` turns away, one flag per worker of `model`: WorkerInformation below
// min_information after at least min_judgments judgments (`judgments`: per worker, as many as
// the model has workers). None when those workers gave more than half of all the judgments: a
// gate that would turn away most of the crowd says the model cannot tell answers apart (in a
// project whose items nearly all have the same answer every answer looks uninformative), not
// that the crowd is. All zero when the gate is off.
std::vector<std::uint8_t> GatedWorkers(const WorkerModel& model,
                                       std::span<const std::size_t> judgments,
                                       const ExpertGate& gate);

// EM iterations of the Dawid–Skene model whose posterior the stopping rule reads: one, from the
// majority-vote start (docs/quality.md, "Adaptive redundancy", says why not full EM). The
// replay and the platform's quality reports fit it the same way, so the thresholds measured
// here are the ones projects get.
inline constexpr int kStoppingModelIterations = 1;

enum class Policy {
  kFixed,     // "fixed": each item takes the first max_judgments arrivals (all when 0)
  kAdaptive,  // "adaptive": StoppingRule with the posterior of the model fitted so far
};
// Parses "fixed" or "adaptive". Errors: kInvalidArgument naming `field`.
[[nodiscard]] Result<Policy> ParsePolicy(std::string_view name, std::string_view field = "policy");
std::string_view PolicyName(Policy policy);

struct ReplayOptions {
  Policy policy = Policy::kAdaptive;
  StoppingRule rule;
  // Aggregates the accepted judgments at the end (and all answers for the baseline).
  Method method = Method::kDawidSkene;
  InferenceOptions inference;
  std::uint64_t seed = 0;  // arrival order
  // The stopping posterior comes from a Dawid–Skene model (the only kind TaskPosterior takes)
  // fitted on the judgments accepted so far with `inference`'s prior and tolerance but at most
  // `model_iterations` EM iterations (0: inference.max_iterations). One iteration from the
  // majority-vote start makes each worker's confusion matrix their agreement with the soft
  // majority; full EM on the sparse early data can settle in a degenerate optimum where every
  // item looks certain, with or without the pooled prior (docs/quality.md, "Adaptive
  // redundancy", says where it was measured and which alternatives were rejected).
  int model_iterations = kStoppingModelIterations;
  // The model is refitted whenever the accepted judgments have grown by this fraction since
  // the last fit, and first once `first_fit` are in (0: max(tasks, 1% of the answers): about
  // one judgment per task). Before the first fit nothing stops on the posterior. Smaller
  // values refit more often.
  double refit_growth = 0.1;
  std::size_t first_fit = 0;
  // Adaptive only: experts not worth asking (ExpertGate). The `change` test of the rule counts
  // each task's remaining arrivals as its remaining judgments and the model's pooled confusion
  // as the typical expert.
  ExpertGate gate;
};

// One policy's outcome.
struct ReplayRun {
  std::size_t judgments = 0;         // judgments accepted (all answers for the baseline)
  double accuracy = 0;               // final labels vs truth, over truth_tasks
  std::size_t truth_tasks = 0;       // tasks that have a truth (and answers)
  std::vector<std::uint32_t> label;  // per task: final label
  std::vector<std::uint32_t> judgments_per_task;  // per task
  std::size_t stopped_early = 0;  // tasks stopped by the posterior before running out
  std::size_t gated = 0;          // arrivals rejected because their worker was gated
  std::size_t fits = 0;           // Dawid–Skene fits during the replay (0 for fixed)
};

struct ReplayReport {
  std::size_t answers = 0;  // arrivals replayed (every answer of the set)
  ReplayRun baseline;       // full redundancy: every answer, aggregated with options.method
  ReplayRun run;            // options.policy
  // 1 - run.judgments / baseline.judgments: the fraction of judgments the policy saved.
  double savings = 0;
};

// Replays `answers` in a random order drawn from options.seed: each arrival is offered to its
// task, which accepts it unless the policy says the task is done (fixed: it has max_judgments;
// adaptive: options.rule.ShouldStop on the task's posterior, computed from its accepted
// judgments under the latest model). Then aggregates the accepted judgments with
// options.method and scores them against `truth` (from ParseTruth over the same set), next to
// the baseline that keeps every answer. Accepted judgments are aggregated in input order, so
// a fixed policy without a cap gives exactly the baseline.
// Errors: kInvalidArgument when `answers` is empty, truth.label does not have one entry per
// task, no task has a truth, the rule is out of range (ValidateStoppingRule), refit_growth is
// not positive, model_iterations is negative, the gate is out of range (ValidateExpertGate), or
// options.inference is (as Infer).
[[nodiscard]] Result<ReplayReport> Replay(const AnswerSet& answers, const Truth& truth,
                                          const ReplayOptions& options);

// A permutation of 0..n-1 drawn from `seed` (Fisher–Yates over std::mt19937_64 with an
// unbiased bounded-integer mapping): the arrival order Replay uses.
std::vector<std::uint32_t> ShuffledOrder(std::size_t n, std::uint64_t seed);

}  // namespace fw::quality
