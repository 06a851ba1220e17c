#include "quality/replay.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>
#include <string>
#include <utility>

namespace fw::quality {
namespace {

constexpr std::uint32_t kDropped = 0xffffffffu;

// Uniform in [0, bound) without modulo bias: rejects the 2^64 mod bound lowest outputs
// (arc4random_uniform's method), so the result depends only on mt19937_64's fixed sequence.
std::uint64_t Bounded(std::mt19937_64& rng, std::uint64_t bound) {
  const std::uint64_t reject_below = (0 - bound) % bound;
  for (;;) {
    const std::uint64_t x = rng();
    if (x >= reject_below) return x % bound;
  }
}

// The answers with keep[i] set, as a set of their own, in input order. Tasks and workers
// without a kept answer are dropped (Infer's contract has every task answered, and a worker
// without answers would only carry the prior); labels keep their indices so posteriors line
// up with the full set. task_of / worker_of map original indices to new ones or kDropped.
AnswerSet SubsetAnswers(const AnswerSet& answers, std::span<const std::uint8_t> keep,
                        std::vector<std::uint32_t>& task_of,
                        std::vector<std::uint32_t>& worker_of) {
  FW_CHECK(keep.size() == answers.answers.size());
  AnswerSet out;
  out.labels = answers.labels;
  task_of.assign(answers.num_tasks(), kDropped);
  worker_of.assign(answers.num_workers(), kDropped);
  std::size_t kept = 0;
  for (std::uint8_t k : keep) kept += k != 0;
  out.answers.reserve(kept);
  for (std::size_t i = 0; i < keep.size(); ++i) {
    if (!keep[i]) continue;
    const Answer& a = answers.answers[i];
    if (task_of[a.task] == kDropped) {
      task_of[a.task] = static_cast<std::uint32_t>(out.tasks.size());
      out.tasks.push_back(answers.tasks[a.task]);
    }
    if (worker_of[a.worker] == kDropped) {
      worker_of[a.worker] = static_cast<std::uint32_t>(out.workers.size());
      out.workers.push_back(answers.workers[a.worker]);
    }
    out.answers.push_back({task_of[a.task], worker_of[a.worker], a.label});
  }
  return out;
}

struct Scored {
  std::vector<std::uint32_t> label;  // per task of the full set
  double accuracy = 0;
};

// Aggregates the kept answers with `method` and scores the labels against `truth`.
Result<Scored> AggregateKept(const AnswerSet& answers, std::span<const std::uint8_t> keep,
                             const Truth& truth, const ReplayOptions& options) {
  std::vector<std::uint32_t> task_of, worker_of;
  AnswerSet kept = SubsetAnswers(answers, keep, task_of, worker_of);
  FW_TRY(InferenceResult r, Infer(kept, options.method, options.inference));
  Scored s;
  s.label.resize(answers.num_tasks());
  for (std::size_t t = 0; t < answers.num_tasks(); ++t) {
    // Every policy accepts each task's first arrival, so no task is ever left out.
    FW_CHECK(task_of[t] != kDropped);
    s.label[t] = r.label[task_of[t]];
  }
  s.accuracy = Accuracy(s.label, truth);
  return s;
}

// The model the stopping rule consults, with the worker renumbering of the set it was fitted on.
struct FittedModel {
  WorkerModel model;
  std::vector<std::uint32_t> worker_of;  // original worker -> model worker, or kDropped
  std::uint32_t unknown_worker = 0;      // an index beyond the model: pooled confusion
  // Per model worker: whether the gate turns them away (empty without a gate).
  std::vector<std::uint8_t> gated;
};

Result<FittedModel> FitModel(const AnswerSet& answers, std::span<const std::uint8_t> keep,
                             const ReplayOptions& options) {
  std::vector<std::uint32_t> task_of;
  FittedModel f;
  AnswerSet kept = SubsetAnswers(answers, keep, task_of, f.worker_of);
  InferenceOptions fit = options.inference;
  if (options.model_iterations > 0) fit.max_iterations = options.model_iterations;
  FW_TRY(InferenceResult r, Infer(kept, Method::kDawidSkene, fit));
  FW_CHECK(r.model.has_value());  // Infer's contract: ds always returns its model
  f.model = std::move(*r.model);
  f.unknown_worker = static_cast<std::uint32_t>(kept.num_workers());
  if (options.gate.min_information > 0) {
    std::vector<std::size_t> judgments(kept.num_workers(), 0);
    for (const Answer& a : kept.answers) ++judgments[a.worker];
    f.gated = GatedWorkers(f.model, judgments, options.gate);
  }
  return f;
}

// Sums, over every way `remaining` answers can fall on the K labels, the probability of the
// count vectors that change the leader (ChangeProbability).
class ChangeSum {
 public:
  ChangeSum(std::span<const double> posterior, std::span<const double> confusion,
            std::size_t remaining)
      : k_(posterior.size()),
        remaining_(remaining),
        posterior_(posterior),
        log_posterior_(k_),
        log_confusion_(k_ * k_),
        log_factorial_(remaining + 1, 0),
        log_likelihood_(k_),
        counts_(k_, 0) {
    for (std::size_t j = 0; j < k_; ++j) {
      log_posterior_[j] = std::log(posterior[j]);
      if (posterior[j] > posterior[leader_]) leader_ = j;
    }
    for (std::size_t i = 0; i < k_ * k_; ++i) log_confusion_[i] = std::log(confusion[i]);
    for (std::size_t i = 1; i <= remaining; ++i) {
      log_factorial_[i] = log_factorial_[i - 1] + std::log(static_cast<double>(i));
    }
  }

  double Sum() {
    Visit(0, remaining_);
    return std::min(1.0, total_);
  }

 private:
  // log P(counts | truth) without the multinomial coefficient, skipping labels not drawn (a
  // zero confusion entry times a zero count is no evidence, not NaN).
  double LogLikelihood(std::size_t truth) const {
    double s = 0;
    for (std::size_t m = 0; m < k_; ++m) {
      if (counts_[m] != 0) s += static_cast<double>(counts_[m]) * log_confusion_[truth * k_ + m];
    }
    return s;
  }

  void Visit(std::size_t label, std::size_t left) {
    if (label + 1 < k_) {
      for (std::size_t c = 0; c <= left; ++c) {
        counts_[label] = c;
        Visit(label + 1, left - c);
      }
      return;
    }
    counts_[label] = left;
    for (std::size_t j = 0; j < k_; ++j) log_likelihood_[j] = LogLikelihood(j);
    const double leader_score = log_posterior_[leader_] + log_likelihood_[leader_];
    bool changes = false;
    for (std::size_t j = 0; j < k_ && !changes; ++j) {
      changes = j != leader_ && log_posterior_[j] + log_likelihood_[j] >= leader_score;
    }
    if (!changes) return;
    double coefficient = log_factorial_[remaining_];
    for (std::size_t c : counts_) coefficient -= log_factorial_[c];
    for (std::size_t truth = 0; truth < k_; ++truth) {
      if (posterior_[truth] > 0) {
        total_ += posterior_[truth] * std::exp(coefficient + log_likelihood_[truth]);
      }
    }
  }

  std::size_t k_, remaining_;
  std::size_t leader_ = 0;
  std::span<const double> posterior_;
  std::vector<double> log_posterior_, log_confusion_, log_factorial_;
  std::vector<double> log_likelihood_;  // per label, of the count vector being visited
  std::vector<std::size_t> counts_;
  double total_ = 0;
};

}  // namespace

bool StoppingRule::ShouldStop(std::span<const double> posterior, std::size_t judgments) const {
  if (max_judgments != 0 && judgments >= max_judgments) return true;
  if (judgments < min_judgments || posterior.empty() || threshold >= 1) return false;
  return *std::max_element(posterior.begin(), posterior.end()) >= threshold;
}

bool StoppingRule::ShouldStop(std::span<const double> posterior, std::size_t judgments,
                              const StopContext& context) const {
  if (ShouldStop(posterior, judgments)) return true;
  if (change <= 0 || judgments < min_judgments || posterior.empty() ||
      context.typical_confusion.size() != posterior.size() * posterior.size()) {
    return false;
  }
  return ChangeProbability(posterior, context.typical_confusion, context.remaining) < change;
}

double ChangeProbability(std::span<const double> posterior, std::span<const double> confusion,
                         std::size_t remaining) {
  const std::size_t k = posterior.size();
  FW_CHECK(confusion.size() == k * k);
  if (remaining == 0 || k < 2) return 0;
  // The count vectors number C(remaining + k - 1, k - 1).
  double outcomes = 1;
  for (std::size_t i = 1; i < k; ++i) {
    outcomes = outcomes * static_cast<double>(remaining + i) / static_cast<double>(i);
    if (outcomes > static_cast<double>(kMaxChangeOutcomes)) return 1;
  }
  return ChangeSum(posterior, confusion, remaining).Sum();
}

std::vector<double> WorkerInformation(const WorkerModel& model) {
  const std::size_t k = model.num_labels;
  FW_CHECK(k > 0 && model.class_prior.size() == k && model.confusion.size() % (k * k) == 0);
  const std::size_t workers = model.confusion.size() / (k * k);
  double entropy = 0;
  for (double p : model.class_prior) {
    if (p > 0) entropy -= p * std::log(p);
  }
  std::vector<double> info(workers, 0);
  if (entropy <= 0) return info;
  for (std::size_t w = 0; w < workers; ++w) {
    const double* rows = &model.confusion[w * k * k];
    double mi = 0;
    for (std::size_t l = 0; l < k; ++l) {
      double answer = 0;  // P(answer l)
      for (std::size_t t = 0; t < k; ++t) answer += model.class_prior[t] * rows[t * k + l];
      for (std::size_t t = 0; t < k; ++t) {
        const double joint = model.class_prior[t] * rows[t * k + l];
        if (joint > 0) mi += joint * std::log(joint / (model.class_prior[t] * answer));
      }
    }
    info[w] = std::clamp(mi / entropy, 0.0, 1.0);
  }
  return info;
}

std::vector<std::uint8_t> GatedWorkers(const WorkerModel& model,
                                       std::span<const std::size_t> judgments,
                                       const ExpertGate& gate) {
  std::vector<std::uint8_t> gated(judgments.size(), 0);
  if (gate.min_information <= 0) return gated;
  const std::vector<double> info = WorkerInformation(model);
  FW_CHECK(info.size() == judgments.size());
  std::size_t all = 0, turned_away = 0;
  for (std::size_t w = 0; w < judgments.size(); ++w) {
    all += judgments[w];
    if (judgments[w] >= gate.min_judgments && info[w] < gate.min_information) {
      gated[w] = 1;
      turned_away += judgments[w];
    }
  }
  if (2 * turned_away > all) std::fill(gated.begin(), gated.end(), 0);
  return gated;
}

Status ValidateStoppingRule(const StoppingRule& rule) {
  if (!(rule.threshold > 0 && rule.threshold <= 1)) {
    return InvalidArgument(fmt::format("threshold must be in (0, 1], not {}", rule.threshold),
                           {{"threshold", "out_of_range", "must be in (0, 1]"}});
  }
  if (rule.min_judgments < 1) {
    return InvalidArgument("min must be at least 1", {{"min", "out_of_range", "must be >= 1"}});
  }
  if (rule.max_judgments != 0 && rule.max_judgments < rule.min_judgments) {
    return InvalidArgument(fmt::format("max ({}) must be 0 (no cap) or at least min ({})",
                                       rule.max_judgments, rule.min_judgments),
                           {{"max", "out_of_range", "must be 0 or >= min"}});
  }
  if (!(rule.change >= 0 && rule.change < 1)) {
    return InvalidArgument(fmt::format("change must be in [0, 1), not {}", rule.change),
                           {{"change", "out_of_range", "must be in [0, 1)"}});
  }
  return {};
}

Status ValidateExpertGate(const ExpertGate& gate) {
  if (!(gate.min_information >= 0 && gate.min_information < 1)) {
    return InvalidArgument(fmt::format("gate must be in [0, 1), not {}", gate.min_information),
                           {{"gate", "out_of_range", "must be in [0, 1)"}});
  }
  if (gate.min_judgments < 1) {
    return InvalidArgument("gate-min must be at least 1",
                           {{"gate_min", "out_of_range", "must be >= 1"}});
  }
  return {};
}

Result<Policy> ParsePolicy(std::string_view name, std::string_view field) {
  if (name == "fixed") return Policy::kFixed;
  if (name == "adaptive") return Policy::kAdaptive;
  return InvalidArgument(fmt::format("unknown {} '{}' (expected fixed or adaptive)", field, name),
                         {{std::string(field), "invalid", "expected fixed or adaptive"}});
}

std::string_view PolicyName(Policy policy) {
  switch (policy) {
    case Policy::kFixed:
      return "fixed";
    case Policy::kAdaptive:
      return "adaptive";
  }
  return "?";
}

std::vector<std::uint32_t> ShuffledOrder(std::size_t n, std::uint64_t seed) {
  FW_CHECK(n <= 0xffffffffu);
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
  std::mt19937_64 rng(seed);
  for (std::size_t i = n; i > 1; --i) {
    std::swap(order[i - 1], order[Bounded(rng, i)]);
  }
  return order;
}

Result<ReplayReport> Replay(const AnswerSet& answers, const Truth& truth,
                            const ReplayOptions& options) {
  const std::size_t n = answers.answers.size();
  const std::size_t num_tasks = answers.num_tasks();
  if (n == 0) return InvalidArgument("replay needs answers");
  if (truth.label.size() != num_tasks) {
    return InvalidArgument(
        fmt::format("truth has {} entries for {} tasks", truth.label.size(), num_tasks));
  }
  std::size_t truth_tasks = 0;
  for (std::uint32_t l : truth.label) truth_tasks += l != kNoTruth;
  if (truth_tasks == 0) return InvalidArgument("no task with answers has a truth");
  FW_TRY_STATUS(ValidateStoppingRule(options.rule));
  if (options.model_iterations < 0) {
    return InvalidArgument("model iterations must be >= 0",
                           {{"model_iterations", "out_of_range", "must be >= 0"}});
  }
  FW_TRY_STATUS(ValidateExpertGate(options.gate));
  if (!(options.refit_growth > 0)) {
    return InvalidArgument("refit growth must be positive",
                           {{"refit_growth", "out_of_range", "must be > 0"}});
  }

  ReplayReport report;
  report.answers = n;

  // Baseline: every answer, in input order.
  const std::vector<std::uint8_t> all(n, 1);
  FW_TRY(Scored full, AggregateKept(answers, all, truth, options));
  report.baseline.judgments = n;
  report.baseline.accuracy = full.accuracy;
  report.baseline.truth_tasks = truth_tasks;
  report.baseline.label = std::move(full.label);
  report.baseline.judgments_per_task.assign(num_tasks, 0);
  for (const Answer& a : answers.answers) ++report.baseline.judgments_per_task[a.task];

  // Each task's accepted answers, contiguous per task (capacity = the task's answer count).
  const std::vector<std::uint32_t>& total = report.baseline.judgments_per_task;
  std::vector<std::size_t> start(num_tasks + 1, 0);
  for (std::size_t t = 0; t < num_tasks; ++t) start[t + 1] = start[t] + total[t];
  std::vector<Answer> accepted_by_task(n);

  ReplayRun& run = report.run;
  run.judgments_per_task.assign(num_tasks, 0);
  std::vector<std::uint8_t> keep(n, 0);
  std::vector<std::uint8_t> stopped(num_tasks, 0);
  std::vector<std::uint8_t> stopped_by_posterior(num_tasks, 0);
  std::vector<Answer> scratch;

  const bool adaptive = options.policy == Policy::kAdaptive;
  const StoppingRule& rule = options.rule;
  std::optional<FittedModel> model;
  const std::size_t first_fit =
      std::min(n, options.first_fit != 0 ? options.first_fit : std::max(num_tasks, n / 100));
  std::size_t next_fit = first_fit;

  for (std::uint32_t index : ShuffledOrder(n, options.seed)) {
    const Answer& a = answers.answers[index];
    const std::uint32_t t = a.task;
    if (stopped[t]) continue;
    std::uint32_t& count = run.judgments_per_task[t];
    if (adaptive && model && !model->gated.empty() && count > 0) {
      const std::uint32_t w = model->worker_of[a.worker];
      if (w != kDropped && model->gated[w]) {
        ++run.gated;
        continue;
      }
    }
    std::vector<double> posterior;
    if (adaptive && model && count >= rule.min_judgments) {
      scratch.clear();
      for (std::size_t i = start[t]; i < start[t] + count; ++i) {
        Answer m = accepted_by_task[i];
        m.worker = model->worker_of[m.worker] == kDropped ? model->unknown_worker
                                                          : model->worker_of[m.worker];
        scratch.push_back(m);
      }
      posterior = TaskPosterior(model->model, scratch);
    }
    const std::size_t can_take =
        rule.max_judgments != 0 ? std::min<std::size_t>(total[t], rule.max_judgments) : total[t];
    // Before the first fit there is no typical expert, which turns the change test off.
    const StoppingRule::StopContext context{
        model ? std::span<const double>(model->model.pooled_confusion) : std::span<const double>(),
        can_take > count ? can_take - count : 0};
    if (rule.ShouldStop(posterior, count, context)) {
      stopped[t] = 1;
      stopped_by_posterior[t] =
          !posterior.empty() && (rule.max_judgments == 0 || count < rule.max_judgments);
      continue;
    }
    keep[index] = 1;
    accepted_by_task[start[t] + count] = a;
    ++count;
    ++run.judgments;
    if (adaptive && run.judgments >= next_fit) {
      FW_TRY(FittedModel fitted, FitModel(answers, keep, options));
      model = std::move(fitted);
      ++run.fits;
      next_fit = std::max(run.judgments + 1,
                          static_cast<std::size_t>(std::ceil(static_cast<double>(run.judgments) *
                                                             (1 + options.refit_growth))));
    }
  }
  for (std::uint8_t s : stopped_by_posterior) run.stopped_early += s;

  FW_TRY(Scored final_labels, AggregateKept(answers, keep, truth, options));
  run.accuracy = final_labels.accuracy;
  run.truth_tasks = truth_tasks;
  run.label = std::move(final_labels.label);
  report.savings = 1 - static_cast<double>(run.judgments) / static_cast<double>(n);
  return report;
}

}  // namespace fw::quality
