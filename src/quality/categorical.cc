#include "quality/categorical.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>

namespace fw::quality {
namespace {

// Lower bound for probabilities that go through log(): maximum-likelihood EM (prior 0) would
// otherwise take log(0) for a confusion cell nobody used. Same value as crowd-kit's _EPS.
constexpr double kFloor = 1e-10;

// exp() for the inner loops, which call it millions of times per iteration: 2^(j/128) from a
// table times a degree-5 polynomial on |r| <= ln2/256. Inlined, the hot loops schedule it with
// their own work (glibc's exp is a library call): the DS E-step on 1M answers went from 0.28 s
// to 0.18 s. Relative error below 5e-16 (two ulp); pure arithmetic, so deterministic.
// Outside [-700, 700] (and for NaN) it defers to std::exp.
constexpr double kExp2Table[128] = {
    0x1.0000000000000p+0, 0x1.0163da9fb3335p+0, 0x1.02c9a3e778061p+0, 0x1.04315e86e7f85p+0,
    0x1.059b0d3158574p+0, 0x1.0706b29ddf6dep+0, 0x1.0874518759bc8p+0, 0x1.09e3ecac6f383p+0,
    0x1.0b5586cf9890fp+0, 0x1.0cc922b7247f7p+0, 0x1.0e3ec32d3d1a2p+0, 0x1.0fb66affed31bp+0,
    0x1.11301d0125b51p+0, 0x1.12abdc06c31ccp+0, 0x1.1429aaea92de0p+0, 0x1.15a98c8a58e51p+0,
    0x1.172b83c7d517bp+0, 0x1.18af9388c8deap+0, 0x1.1a35beb6fcb75p+0, 0x1.1bbe084045cd4p+0,
    0x1.1d4873168b9aap+0, 0x1.1ed5022fcd91dp+0, 0x1.2063b88628cd6p+0, 0x1.21f49917ddc96p+0,
    0x1.2387a6e756238p+0, 0x1.251ce4fb2a63fp+0, 0x1.26b4565e27cddp+0, 0x1.284dfe1f56381p+0,
    0x1.29e9df51fdee1p+0, 0x1.2b87fd0dad990p+0, 0x1.2d285a6e4030bp+0, 0x1.2ecafa93e2f56p+0,
    0x1.306fe0a31b715p+0, 0x1.32170fc4cd831p+0, 0x1.33c08b26416ffp+0, 0x1.356c55f929ff1p+0,
    0x1.371a7373aa9cbp+0, 0x1.38cae6d05d866p+0, 0x1.3a7db34e59ff7p+0, 0x1.3c32dc313a8e5p+0,
    0x1.3dea64c123422p+0, 0x1.3fa4504ac801cp+0, 0x1.4160a21f72e2ap+0, 0x1.431f5d950a897p+0,
    0x1.44e086061892dp+0, 0x1.46a41ed1d0057p+0, 0x1.486a2b5c13cd0p+0, 0x1.4a32af0d7d3dep+0,
    0x1.4bfdad5362a27p+0, 0x1.4dcb299fddd0dp+0, 0x1.4f9b2769d2ca7p+0, 0x1.516daa2cf6642p+0,
    0x1.5342b569d4f82p+0, 0x1.551a4ca5d920fp+0, 0x1.56f4736b527dap+0, 0x1.58d12d497c7fdp+0,
    0x1.5ab07dd485429p+0, 0x1.5c9268a5946b7p+0, 0x1.5e76f15ad2148p+0, 0x1.605e1b976dc09p+0,
    0x1.6247eb03a5585p+0, 0x1.6434634ccc320p+0, 0x1.6623882552225p+0, 0x1.68155d44ca973p+0,
    0x1.6a09e667f3bcdp+0, 0x1.6c012750bdabfp+0, 0x1.6dfb23c651a2fp+0, 0x1.6ff7df9519484p+0,
    0x1.71f75e8ec5f74p+0, 0x1.73f9a48a58174p+0, 0x1.75feb564267c9p+0, 0x1.780694fde5d3fp+0,
    0x1.7a11473eb0187p+0, 0x1.7c1ed0130c132p+0, 0x1.7e2f336cf4e62p+0, 0x1.80427543e1a12p+0,
    0x1.82589994cce13p+0, 0x1.8471a4623c7adp+0, 0x1.868d99b4492edp+0, 0x1.88ac7d98a6699p+0,
    0x1.8ace5422aa0dbp+0, 0x1.8cf3216b5448cp+0, 0x1.8f1ae99157736p+0, 0x1.9145b0b91ffc6p+0,
    0x1.93737b0cdc5e5p+0, 0x1.95a44cbc8520fp+0, 0x1.97d829fde4e50p+0, 0x1.9a0f170ca07bap+0,
    0x1.9c49182a3f090p+0, 0x1.9e86319e32323p+0, 0x1.a0c667b5de565p+0, 0x1.a309bec4a2d33p+0,
    0x1.a5503b23e255dp+0, 0x1.a799e1330b358p+0, 0x1.a9e6b5579fdbfp+0, 0x1.ac36bbfd3f37ap+0,
    0x1.ae89f995ad3adp+0, 0x1.b0e07298db666p+0, 0x1.b33a2b84f15fbp+0, 0x1.b59728de5593ap+0,
    0x1.b7f76f2fb5e47p+0, 0x1.ba5b030a1064ap+0, 0x1.bcc1e904bc1d2p+0, 0x1.bf2c25bd71e09p+0,
    0x1.c199bdd85529cp+0, 0x1.c40ab5fffd07ap+0, 0x1.c67f12e57d14bp+0, 0x1.c8f6d9406e7b5p+0,
    0x1.cb720dcef9069p+0, 0x1.cdf0b555dc3fap+0, 0x1.d072d4a07897cp+0, 0x1.d2f87080d89f2p+0,
    0x1.d5818dcfba487p+0, 0x1.d80e316c98398p+0, 0x1.da9e603db3285p+0, 0x1.dd321f301b460p+0,
    0x1.dfc97337b9b5fp+0, 0x1.e264614f5a129p+0, 0x1.e502ee78b3ff6p+0, 0x1.e7a51fbc74c83p+0,
    0x1.ea4afa2a490dap+0, 0x1.ecf482d8e67f1p+0, 0x1.efa1bee615a27p+0, 0x1.f252b376bba97p+0,
    0x1.f50765b6e4540p+0, 0x1.f7bfdad9cbe14p+0, 0x1.fa7c1819e90d8p+0, 0x1.fd3c22b8f71f1p+0,
};

inline double FastExp(double x) {
  if (!(x > -700.0 && x < 700.0)) return std::exp(x);
  constexpr double kInvLn2By128 = 0x1.71547652b82fep+7;
  constexpr double kLn2By128Hi = 0x1.62e42fee00000p-8;  // fdlibm's ln2_hi / 128: k * hi is exact
  constexpr double kLn2By128Lo = 1.90821492927058770002e-10 / 128;
  constexpr double kRound = 0x1.8p52;  // adding it rounds to an integer in round-to-nearest
  const double kd = x * kInvLn2By128 + kRound;
  std::uint64_t kbits;
  std::memcpy(&kbits, &kd, 8);
  const auto k = static_cast<std::int32_t>(static_cast<std::uint32_t>(kbits));
  const double kf = kd - kRound;
  const double r = (x - kf * kLn2By128Hi) - kf * kLn2By128Lo;
  const double p = 1.0 + r * (1.0 + r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120)))));
  const std::uint64_t scale_bits = static_cast<std::uint64_t>((k >> 7) + 1023) << 52;
  double scale;
  std::memcpy(&scale, &scale_bits, 8);
  return kExp2Table[k & 127] * p * scale;
}

// Answers grouped by task (CSR): task t's answers are [offsets[t], offsets[t + 1]), in input
// order within a task, so every loop below visits them in one fixed order.
struct Problem {
  std::size_t num_tasks = 0;
  std::size_t num_workers = 0;
  std::size_t num_labels = 0;
  std::vector<std::uint32_t> offsets;
  std::vector<std::uint32_t> worker;
  std::vector<std::uint32_t> label;
  std::size_t num_answers() const { return worker.size(); }
};

Problem MakeProblem(std::size_t num_tasks, std::size_t num_workers, std::size_t num_labels,
                    std::span<const Answer> answers) {
  Problem p;
  p.num_tasks = num_tasks;
  p.num_workers = num_workers;
  p.num_labels = num_labels;
  p.offsets.assign(num_tasks + 1, 0);
  for (const Answer& a : answers) ++p.offsets[a.task + 1];
  for (std::size_t t = 0; t < num_tasks; ++t) p.offsets[t + 1] += p.offsets[t];
  std::vector<std::uint32_t> next(p.offsets.begin(), p.offsets.end() - 1);
  p.worker.resize(answers.size());
  p.label.resize(answers.size());
  for (const Answer& a : answers) {
    const std::uint32_t pos = next[a.task]++;
    p.worker[pos] = a.worker;
    p.label[pos] = a.label;
  }
  return p;
}

Status ValidateOptions(const InferenceOptions& o) {
  if (o.max_iterations < 1) {
    return InvalidArgument("max_iterations must be at least 1",
                           {FieldError{"max_iterations", "out_of_range", "must be >= 1"}});
  }
  if (!(o.tolerance > 0) || !std::isfinite(o.tolerance)) {
    return InvalidArgument("tolerance must be a positive number",
                           {FieldError{"tolerance", "out_of_range", "must be > 0"}});
  }
  if (o.prior && (!(*o.prior >= 0) || !std::isfinite(*o.prior))) {
    return InvalidArgument("prior must be a finite number >= 0",
                           {FieldError{"prior", "out_of_range", "must be >= 0"}});
  }
  return {};
}

InferenceResult NewResult(const Problem& p) {
  InferenceResult r;
  r.label.assign(p.num_tasks, 0);
  r.confidence.assign(p.num_tasks, 0.0);
  r.posterior.assign(p.num_tasks * p.num_labels, 0.0);
  r.worker_skill.assign(p.num_workers, 0.0);
  return r;
}

// Picks each task's label from its posterior row; ties go to the lowest label index.
void ChooseLabels(InferenceResult& r, std::size_t num_labels) {
  for (std::size_t t = 0; t < r.label.size(); ++t) {
    const double* row = &r.posterior[t * num_labels];
    std::size_t best = 0;
    for (std::size_t c = 1; c < num_labels; ++c) {
      if (row[c] > row[best]) best = c;
    }
    r.label[t] = static_cast<std::uint32_t>(best);
    r.confidence[t] = row[best];
  }
}

// (Weighted) vote shares per task; a task without votes gets a uniform row.
void VoteShares(const Problem& p, const std::vector<double>* weights,
                std::vector<double>& posterior) {
  const std::size_t k_labels = p.num_labels;
  for (std::size_t t = 0; t < p.num_tasks; ++t) {
    double* row = &posterior[t * k_labels];
    std::fill(row, row + k_labels, 0.0);
    for (std::uint32_t a = p.offsets[t]; a < p.offsets[t + 1]; ++a) {
      row[p.label[a]] += weights == nullptr ? 1.0 : (*weights)[p.worker[a]];
    }
    double sum = 0;
    for (std::size_t c = 0; c < k_labels; ++c) sum += row[c];
    if (sum > 0) {
      for (std::size_t c = 0; c < k_labels; ++c) row[c] /= sum;
    } else {
      std::fill(row, row + k_labels, 1.0 / static_cast<double>(k_labels));
    }
  }
}

// Per worker: the fraction of their answers equal to `label` of the task (0 without answers).
std::vector<double> Agreement(const Problem& p, const std::vector<std::uint32_t>& label) {
  std::vector<double> agree(p.num_workers, 0.0);
  std::vector<double> total(p.num_workers, 0.0);
  for (std::size_t t = 0; t < p.num_tasks; ++t) {
    for (std::uint32_t a = p.offsets[t]; a < p.offsets[t + 1]; ++a) {
      total[p.worker[a]] += 1;
      if (p.label[a] == label[t]) agree[p.worker[a]] += 1;
    }
  }
  for (std::size_t w = 0; w < p.num_workers; ++w) {
    if (total[w] > 0) agree[w] /= total[w];
  }
  return agree;
}

InferenceResult MajorityVote(const Problem& p) {
  InferenceResult r = NewResult(p);
  VoteShares(p, nullptr, r.posterior);
  ChooseLabels(r, p.num_labels);
  r.worker_skill = Agreement(p, r.label);
  return r;
}

InferenceResult Wawa(const Problem& p) {
  const InferenceResult mv = MajorityVote(p);
  InferenceResult r = NewResult(p);
  VoteShares(p, &mv.worker_skill, r.posterior);
  ChooseLabels(r, p.num_labels);
  r.worker_skill = mv.worker_skill;
  return r;
}

// The prior on a confusion row (DS) or an accuracy (ODS): `strength` pseudo-answers per true
// label, of which kPriorCorrectShare name the correct label and the rest are spread like the
// crowd's pooled answers for that true label (empirical Bayes: the pool is re-estimated from
// every worker's expected counts in each M-step). strength 0 is maximum likelihood.
constexpr double kPriorCorrectShare = 0.1;
constexpr double kDefaultPriorStrength = 10.0;

double PriorStrength(const InferenceOptions& o) {
  return o.prior ? *o.prior : kDefaultPriorStrength;
}

// log(max(share, kFloor)) of the class masses, for the class prior.
void ClassLogPrior(const std::vector<double>& mass, std::vector<double>& log_prior) {
  double total = 0;
  for (double m : mass) total += m;
  double norm = 0;
  for (double m : mass) norm += std::max(m, kFloor * total);
  for (std::size_t c = 0; c < mass.size(); ++c) {
    log_prior[c] = std::log(std::max(mass[c], kFloor * total) / norm);
  }
}

// Softmax of `score` into `out` (K entries); returns the largest |new - old| of `out`.
// KC is K when known at compile time (the loops unroll), 0 otherwise.
template <std::size_t KC>
inline double Normalise(const double* score, double* out, std::size_t k_labels, double* tmp) {
  const std::size_t k = KC > 0 ? KC : k_labels;
  double mx = score[0];
  for (std::size_t c = 1; c < k; ++c) mx = std::max(mx, score[c]);
  double sum = 0;
  for (std::size_t c = 0; c < k; ++c) {
    tmp[c] = FastExp(score[c] - mx);
    sum += tmp[c];
  }
  const double inv = 1.0 / sum;
  double diff = 0;
  for (std::size_t c = 0; c < k; ++c) {
    const double v = tmp[c] * inv;
    diff = std::max(diff, std::abs(v - out[c]));
    out[c] = v;
  }
  return diff;
}

// Calls f(std::integral_constant<std::size_t, K>) for the common label counts, so hot loops
// see K as a constant, and f(std::integral_constant<std::size_t, 0>) otherwise.
template <typename F>
decltype(auto) WithLabelCount(std::size_t k, F&& f) {
  switch (k) {
    case 2:
      return f(std::integral_constant<std::size_t, 2>{});
    case 3:
      return f(std::integral_constant<std::size_t, 3>{});
    case 4:
      return f(std::integral_constant<std::size_t, 4>{});
    case 5:
      return f(std::integral_constant<std::size_t, 5>{});
    default:
      return f(std::integral_constant<std::size_t, 0>{});
  }
}

// A model for `num_workers` workers with the class prior exp(log_prior) and every confusion
// cell still to be filled in.
WorkerModel NewModel(const std::vector<double>& log_prior, std::size_t num_workers) {
  const std::size_t k = log_prior.size();
  WorkerModel m;
  m.num_labels = k;
  m.class_prior.resize(k);
  for (std::size_t c = 0; c < k; ++c) m.class_prior[c] = std::exp(log_prior[c]);
  m.confusion.resize(num_workers * k * k);
  return m;
}

// The full Dawid–Skene model. Tables are laid out "given label major": entry
// [(w * K + given) * K + true], so one answer touches K consecutive doubles.
class DawidSkeneFit {
 public:
  DawidSkeneFit(const Problem& p, double strength)
      : p_(p),
        k_(p.num_labels),
        strength_(strength),
        rows_(p.num_answers()),
        counts_(p.num_workers * k_ * k_, 0.0),
        log_theta_(p.num_workers * k_ * k_, 0.0),
        prior_counts_(k_ * k_, 0.0),
        class_mass_(k_, 0.0),
        log_prior_(k_, 0.0) {
    for (std::size_t a = 0; a < rows_.size(); ++a) {
      rows_[a] = p.worker[a] * static_cast<std::uint32_t>(k_) + p.label[a];
    }
  }

  // Sufficient statistics of `posterior` for the M-step.
  void Accumulate(const std::vector<double>& posterior) {
    std::fill(counts_.begin(), counts_.end(), 0.0);
    std::fill(class_mass_.begin(), class_mass_.end(), 0.0);
    for (std::size_t t = 0; t < p_.num_tasks; ++t) {
      if (p_.offsets[t] == p_.offsets[t + 1]) continue;
      const double* post = &posterior[t * k_];
      for (std::uint32_t a = p_.offsets[t]; a < p_.offsets[t + 1]; ++a) {
        double* cell = &counts_[static_cast<std::size_t>(rows_[a]) * k_];
        for (std::size_t c = 0; c < k_; ++c) cell[c] += post[c];
      }
      for (std::size_t c = 0; c < k_; ++c) class_mass_[c] += post[c];
    }
  }

  void MStep() {
    ClassLogPrior(class_mass_, log_prior_);
    UpdatePriorCounts();
    std::vector<double> row_sum(k_);
    for (std::size_t w = 0; w < p_.num_workers; ++w) {
      const std::size_t base = w * k_ * k_;
      std::fill(row_sum.begin(), row_sum.end(), 0.0);
      for (std::size_t i = 0; i < k_ * k_; ++i) row_sum[i % k_] += Cell(base + i, i);
      for (std::size_t i = 0; i < k_ * k_; ++i) {
        log_theta_[base + i] = std::log(Cell(base + i, i) / row_sum[i % k_]);
      }
    }
  }

  // E-step into `posterior`, accumulating the next M-step's statistics on the way (one pass
  // over the answers per iteration). Returns the largest change of any posterior entry.
  double EStep(std::vector<double>& posterior) {
    return WithLabelCount(k_, [&](auto kc) { return EStepFor<decltype(kc)::value>(posterior); });
  }

  template <std::size_t KC>
  double EStepFor(std::vector<double>& posterior) {
    const std::size_t k = KC > 0 ? KC : k_;
    std::fill(counts_.begin(), counts_.end(), 0.0);
    std::fill(class_mass_.begin(), class_mass_.end(), 0.0);
    // Fixed-size buffers when K is known, so the scores can live in registers.
    std::array<double, (KC > 0 ? 2 * KC : 1)> fixed{};
    std::vector<double> dynamic(KC > 0 ? 0 : 2 * k);
    double* score = KC > 0 ? fixed.data() : dynamic.data();
    double* tmp = score + k;
    const std::uint32_t* offsets = p_.offsets.data();
    const std::uint32_t* rows = rows_.data();
    const double* log_theta = log_theta_.data();
    double* counts = counts_.data();
    double diff = 0;
    for (std::size_t t = 0; t < p_.num_tasks; ++t) {
      const std::uint32_t begin = offsets[t];
      const std::uint32_t end = offsets[t + 1];
      if (begin == end) continue;
      for (std::size_t c = 0; c < k; ++c) score[c] = log_prior_[c];
      for (std::uint32_t a = begin; a < end; ++a) {
        const double* lt = log_theta + static_cast<std::size_t>(rows[a]) * k;
        for (std::size_t c = 0; c < k; ++c) score[c] += lt[c];
      }
      double* post = &posterior[t * k];
      diff = std::max(diff, Normalise<KC>(score, post, k, tmp));
      for (std::uint32_t a = begin; a < end; ++a) {
        double* cell = counts + static_cast<std::size_t>(rows[a]) * k;
        for (std::size_t c = 0; c < k; ++c) cell[c] += post[c];
      }
      for (std::size_t c = 0; c < k; ++c) class_mass_[c] += post[c];
    }
    return diff;
  }

  // Probability tables for the result: P(given | true) per worker, pooled, and the class prior.
  WorkerModel Model() const {
    WorkerModel m = NewModel(log_prior_, p_.num_workers);
    for (std::size_t w = 0; w < p_.num_workers; ++w) {
      for (std::size_t truth = 0; truth < k_; ++truth) {
        for (std::size_t given = 0; given < k_; ++given) {
          m.confusion[(w * k_ + truth) * k_ + given] =
              std::exp(log_theta_[(w * k_ + given) * k_ + truth]);
        }
      }
    }
    // Pooled: every worker's statistics with one prior, as if one worker gave all answers.
    std::vector<double> pooled;
    PoolCounts(pooled);
    m.pooled_confusion.assign(k_ * k_, 0.0);
    for (std::size_t truth = 0; truth < k_; ++truth) {
      double sum = 0;
      for (std::size_t given = 0; given < k_; ++given) {
        const std::size_t i = given * k_ + truth;
        sum += std::max(pooled[i] + prior_counts_[i], kFloor);
      }
      for (std::size_t given = 0; given < k_; ++given) {
        const std::size_t i = given * k_ + truth;
        m.pooled_confusion[truth * k_ + given] =
            std::max(pooled[i] + prior_counts_[i], kFloor) / sum;
      }
    }
    return m;
  }

  // P(correct) = sum over true labels of prior × diagonal.
  double Skill(std::size_t w) const {
    double s = 0;
    for (std::size_t c = 0; c < k_; ++c) {
      s += std::exp(log_prior_[c] + log_theta_[(w * k_ + c) * k_ + c]);
    }
    return s;
  }

  const std::vector<double>& log_prior() const { return log_prior_; }

 private:
  // prior_counts_[given * K + true]: the pseudo-answers added to every worker's row `true`.
  void UpdatePriorCounts() {
    if (strength_ == 0) {
      std::fill(prior_counts_.begin(), prior_counts_.end(), 0.0);
      return;
    }
    PoolCounts(prior_counts_);
    const double pooled_strength = strength_ * (1 - kPriorCorrectShare);
    for (std::size_t truth = 0; truth < k_; ++truth) {
      double sum = 0;
      for (std::size_t given = 0; given < k_; ++given) sum += prior_counts_[given * k_ + truth];
      for (std::size_t given = 0; given < k_; ++given) {
        double& cell = prior_counts_[given * k_ + truth];
        const double shape = sum > 0 ? cell / sum : 1.0 / static_cast<double>(k_);
        cell = pooled_strength * shape + (given == truth ? strength_ * kPriorCorrectShare : 0.0);
      }
    }
  }

  // Every worker's expected counts summed into one K × K block, in `pooled`.
  void PoolCounts(std::vector<double>& pooled) const {
    pooled.assign(k_ * k_, 0.0);
    for (std::size_t w = 0; w < p_.num_workers; ++w) {
      for (std::size_t i = 0; i < k_ * k_; ++i) pooled[i] += counts_[w * k_ * k_ + i];
    }
  }

  // Expected count plus prior for table entry `i` (whose position in a K × K block is `cell`).
  double Cell(std::size_t i, std::size_t cell) const {
    return std::max(counts_[i] + prior_counts_[cell], kFloor);
  }

  const Problem& p_;
  const std::size_t k_;
  const double strength_;
  std::vector<std::uint32_t> rows_;  // per answer: worker * K + given label
  std::vector<double> counts_;
  std::vector<double> log_theta_;
  std::vector<double> prior_counts_;  // K × K, same layout as one worker's block
  std::vector<double> class_mass_;
  std::vector<double> log_prior_;
};

// Tasks without answers get the class prior as their posterior.
void FillUnansweredTasks(const Problem& p, const std::vector<double>& log_prior,
                         std::vector<double>& posterior) {
  for (std::size_t t = 0; t < p.num_tasks; ++t) {
    if (p.offsets[t] != p.offsets[t + 1]) continue;
    for (std::size_t c = 0; c < p.num_labels; ++c) {
      posterior[t * p.num_labels + c] = std::exp(log_prior[c]);
    }
  }
}

// EM from the majority-vote shares: M-step on them, then E and M until the posteriors move
// less than the tolerance. Shared by DS and ODS (`Fit` is DawidSkeneFit or OneCoinFit).
template <typename Fit>
void RunEm(const Problem& p, const InferenceOptions& o, Fit& fit, InferenceResult& r) {
  VoteShares(p, nullptr, r.posterior);
  fit.Accumulate(r.posterior);
  fit.MStep();
  r.converged = false;
  for (int it = 1; it <= o.max_iterations; ++it) {
    const double diff = fit.EStep(r.posterior);
    fit.MStep();
    r.iterations = it;
    if (diff < o.tolerance) {
      r.converged = true;
      break;
    }
  }
  FillUnansweredTasks(p, fit.log_prior(), r.posterior);
  ChooseLabels(r, p.num_labels);
}

InferenceResult DawidSkene(const Problem& p, const InferenceOptions& o) {
  InferenceResult r = NewResult(p);
  DawidSkeneFit fit(p, PriorStrength(o));
  RunEm(p, o, fit, r);
  for (std::size_t w = 0; w < p.num_workers; ++w) r.worker_skill[w] = fit.Skill(w);
  r.model = fit.Model();
  return r;
}

// One-coin Dawid–Skene: worker w answers correctly with probability s_w and otherwise picks
// one of the K - 1 wrong labels uniformly. The class prior stays uniform: with one number per
// worker, a learned prior is the only parameter that can absorb a crowd's bias toward one
// label, and EM then drifts toward "every task has the majority class" (docs/quality.md).
class OneCoinFit {
 public:
  OneCoinFit(const Problem& p, double strength)
      : p_(p),
        k_(p.num_labels),
        strength_(strength),
        correct_(p.num_workers, 0.0),
        answers_(p.num_workers, 0.0),
        skill_(p.num_workers, 0.0),
        bonus_(p.num_workers, 0.0),
        log_prior_(k_, -std::log(static_cast<double>(k_))) {
    for (std::uint32_t w : p.worker) answers_[w] += 1;
  }

  void Accumulate(const std::vector<double>& posterior) {
    std::fill(correct_.begin(), correct_.end(), 0.0);
    for (std::size_t t = 0; t < p_.num_tasks; ++t) {
      if (p_.offsets[t] == p_.offsets[t + 1]) continue;
      const double* post = &posterior[t * k_];
      for (std::uint32_t a = p_.offsets[t]; a < p_.offsets[t + 1]; ++a) {
        correct_[p_.worker[a]] += post[p_.label[a]];
      }
    }
  }

  void MStep() {
    UpdatePrior();
    const double wrong_labels = static_cast<double>(k_ - 1);
    for (std::size_t w = 0; w < p_.num_workers; ++w) {
      const double total = answers_[w] + prior_correct_ + prior_wrong_;
      double s = total > 0 ? (correct_[w] + prior_correct_) / total : 1.0 / static_cast<double>(k_);
      s = std::clamp(s, kFloor, 1 - kFloor);
      skill_[w] = s;
      // Adding log((1 - s) / (K - 1)) to every label changes nothing after normalisation, so
      // an answer only adds the log ratio to the label it names.
      bonus_[w] = std::log(s) - std::log((1 - s) / wrong_labels);
    }
  }

  double EStep(std::vector<double>& posterior) {
    std::fill(correct_.begin(), correct_.end(), 0.0);
    std::vector<double> score(k_), tmp(k_);
    double diff = 0;
    for (std::size_t t = 0; t < p_.num_tasks; ++t) {
      const std::uint32_t begin = p_.offsets[t];
      const std::uint32_t end = p_.offsets[t + 1];
      if (begin == end) continue;
      std::copy(log_prior_.begin(), log_prior_.end(), score.begin());
      for (std::uint32_t a = begin; a < end; ++a) score[p_.label[a]] += bonus_[p_.worker[a]];
      double* post = &posterior[t * k_];
      diff = std::max(diff, Normalise<0>(score.data(), post, k_, tmp.data()));
      for (std::uint32_t a = begin; a < end; ++a) correct_[p_.worker[a]] += post[p_.label[a]];
    }
    return diff;
  }

  WorkerModel Model() const {
    WorkerModel m = NewModel(log_prior_, p_.num_workers);
    for (std::size_t w = 0; w < p_.num_workers; ++w) {
      FillOneCoin(skill_[w], &m.confusion[w * k_ * k_]);
    }
    double correct = prior_correct_;
    double total = prior_correct_ + prior_wrong_;
    for (std::size_t w = 0; w < p_.num_workers; ++w) {
      correct += correct_[w];
      total += answers_[w];
    }
    m.pooled_confusion.resize(k_ * k_);
    FillOneCoin(std::clamp(total > 0 ? correct / total : 0.5, kFloor, 1 - kFloor),
                m.pooled_confusion.data());
    return m;
  }

  const std::vector<double>& skill() const { return skill_; }
  const std::vector<double>& log_prior() const { return log_prior_; }

 private:
  // The same prior as DS's, for one accuracy: pseudo-answers split between the crowd's pooled
  // accuracy and a correct answer.
  void UpdatePrior() {
    prior_correct_ = 0;
    prior_wrong_ = 0;
    if (strength_ == 0) return;
    double correct = 0;
    double total = 0;
    for (std::size_t w = 0; w < p_.num_workers; ++w) {
      correct += correct_[w];
      total += answers_[w];
    }
    const double pooled = total > 0 ? correct / total : 1.0 / static_cast<double>(k_);
    const double pooled_strength = strength_ * (1 - kPriorCorrectShare);
    prior_correct_ = pooled_strength * pooled + strength_ * kPriorCorrectShare;
    prior_wrong_ = pooled_strength * (1 - pooled);
  }

  void FillOneCoin(double s, double* matrix) const {
    const double wrong = (1 - s) / static_cast<double>(k_ - 1);
    for (std::size_t truth = 0; truth < k_; ++truth) {
      for (std::size_t given = 0; given < k_; ++given) {
        matrix[truth * k_ + given] = truth == given ? s : wrong;
      }
    }
  }

  const Problem& p_;
  const std::size_t k_;
  const double strength_;
  double prior_correct_ = 0;
  double prior_wrong_ = 0;
  std::vector<double> correct_;  // per worker: posterior mass on the label they gave
  std::vector<double> answers_;  // per worker: number of answers
  std::vector<double> skill_;
  std::vector<double> bonus_;
  std::vector<double> log_prior_;
};

InferenceResult OneCoinDawidSkene(const Problem& p, const InferenceOptions& o) {
  InferenceResult r = NewResult(p);
  OneCoinFit fit(p, PriorStrength(o));
  RunEm(p, o, fit, r);
  r.worker_skill = fit.skill();
  r.model = fit.Model();
  return r;
}

// DS and ODS keep (and return) a K × K matrix per worker; beyond this many cells (2 GiB of
// doubles per table) the request is refused rather than allocated.
constexpr double kMaxConfusionCells = 268435456.0;  // 2^28

// Whether DS and ODS can fit `p` (see kMaxConfusionCells).
bool FitsConfusionTables(const Problem& p) {
  return static_cast<double>(p.num_workers) * static_cast<double>(p.num_labels) *
             static_cast<double>(p.num_labels) <=
         kMaxConfusionCells;
}

inline double Sigmoid(double x) {
  const double e = FastExp(-std::abs(x));
  return x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

// GLAD (Whitehill et al. 2009): P(worker w answers task t correctly) = sigmoid(alpha_w *
// beta_t), beta_t = exp(b_t) > 0, wrong answers spread evenly over the K - 1 other labels.
// Priors as crowd-kit's GLAD: alpha_w ~ N(1, 1), b_t ~ N(1, 1); the class prior is uniform
// and fixed. The M-step is one block-coordinate ascent step (generalised EM): every alpha_w
// (independent given beta) takes a safeguarded Newton step (UpdateAlpha), then every b_t
// (independent given alpha) a Newton step with backtracking (UpdateB). Both provably raise
// the expected log-posterior, so the EM objective never decreases.
// Per answer and iteration: two or three exp() and no log(); see docs/quality.md.
class GladFit {
 public:
  explicit GladFit(const Problem& p)
      : p_(p),
        k_(p.num_labels),
        log_wrong_(std::log(static_cast<double>(p.num_labels - 1))),
        alpha_(p.num_workers, kPriorMean),
        b_(p.num_tasks, kPriorMean),
        grad_(p.num_workers),
        curvature_(p.num_workers),
        bound_(p.num_workers),
        trial_(p.num_workers),
        far_curvature_(p.num_workers),
        toward_zero_(p.num_workers) {}

  // Posteriors from the current parameters; returns the largest change.
  double EStep(std::vector<double>& posterior) const {
    return WithLabelCount(k_, [&](auto kc) { return EStepFor<decltype(kc)::value>(posterior); });
  }

  template <std::size_t KC>
  double EStepFor(std::vector<double>& posterior) const {
    const std::size_t k = KC > 0 ? KC : k_;
    std::array<double, (KC > 0 ? 2 * KC : 1)> fixed{};
    std::vector<double> dynamic(KC > 0 ? 0 : 2 * k);
    double* score = KC > 0 ? fixed.data() : dynamic.data();
    double* tmp = score + k;
    const double log_uniform = -std::log(static_cast<double>(k));
    double diff = 0;
    for (std::size_t t = 0; t < p_.num_tasks; ++t) {
      const double beta = FastExp(b_[t]);
      for (std::size_t c = 0; c < k; ++c) score[c] = log_uniform;
      // log P(given | true) is log sigmoid(x) when given == true and log(1 - sigmoid(x)) -
      // log(K - 1) otherwise; the difference is x + log(K - 1), so only the given label moves.
      for (std::uint32_t a = p_.offsets[t]; a < p_.offsets[t + 1]; ++a) {
        score[p_.label[a]] += alpha_[p_.worker[a]] * beta + log_wrong_;
      }
      diff = std::max(diff, Normalise<KC>(score, &posterior[t * k], k, tmp));
    }
    return diff;
  }

  void MStep(const std::vector<double>& posterior) {
    UpdateAlpha(posterior);
    UpdateB(posterior);
  }

  const std::vector<double>& alpha() const { return alpha_; }
  const std::vector<double>& b() const { return b_; }

 private:
  static constexpr double kPriorMean = 1.0;
  static constexpr double kMaxBStep = 1.0;
  static constexpr int kMaxHalvings = 10;
  static constexpr double kNegligibleGain = 1e-13;

  double Posterior(const std::vector<double>& posterior, std::size_t t, std::uint32_t a) const {
    return posterior[t * k_ + p_.label[a]];
  }

  // Each alpha_w maximises f(a) = sum over its answers of q x - softplus(x), x = a beta_t,
  // minus (a - 1)^2 / 2: strictly concave, with curvature sum sigmoid'(x) beta^2 + 1, which
  // only grows as |a| shrinks. So a Newton step that moves away from zero cannot overshoot,
  // and one toward zero is safe with the curvature at its far end (checked in a second pass);
  // a step across zero uses the global bound sigmoid' <= 1/4 (Böhning & Lindsay 1988). Every
  // step raises f, and no log() is needed.
  void UpdateAlpha(const std::vector<double>& posterior) {
    std::fill(grad_.begin(), grad_.end(), 0.0);
    std::fill(curvature_.begin(), curvature_.end(), 0.0);
    std::fill(bound_.begin(), bound_.end(), 0.0);
    for (std::size_t t = 0; t < p_.num_tasks; ++t) {
      const double beta = FastExp(b_[t]);
      for (std::uint32_t a = p_.offsets[t]; a < p_.offsets[t + 1]; ++a) {
        const std::uint32_t w = p_.worker[a];
        const double s = Sigmoid(alpha_[w] * beta);
        grad_[w] += (Posterior(posterior, t, a) - s) * beta;
        curvature_[w] += s * (1 - s) * beta * beta;
        bound_[w] += beta * beta;
      }
    }
    bool any_toward_zero = false;
    for (std::size_t w = 0; w < p_.num_workers; ++w) {
      grad_[w] -= alpha_[w] - kPriorMean;
      const double target = alpha_[w] + grad_[w] / (curvature_[w] + 1.0);
      trial_[w] = target;
      toward_zero_[w] = std::abs(target) < std::abs(alpha_[w]) && target * alpha_[w] > 0;
      any_toward_zero = any_toward_zero || toward_zero_[w];
      far_curvature_[w] = 0;
    }
    if (any_toward_zero) {
      for (std::size_t t = 0; t < p_.num_tasks; ++t) {
        const double beta = FastExp(b_[t]);
        for (std::uint32_t a = p_.offsets[t]; a < p_.offsets[t + 1]; ++a) {
          const std::uint32_t w = p_.worker[a];
          if (!toward_zero_[w]) continue;
          const double s = Sigmoid(trial_[w] * beta);
          far_curvature_[w] += s * (1 - s) * beta * beta;
        }
      }
    }
    for (std::size_t w = 0; w < p_.num_workers; ++w) {
      if (toward_zero_[w]) {
        alpha_[w] += grad_[w] / (far_curvature_[w] + 1.0);
      } else if (trial_[w] * alpha_[w] >= 0) {
        alpha_[w] = trial_[w];
      } else {
        alpha_[w] += grad_[w] / (0.25 * bound_[w] + 1.0);
      }
    }
  }

  // f(b_t + step) - f(b_t), where f is task t's q x - softplus(x) over its answers plus the
  // log prior of b_t. With softplus(x) = max(x, 0) + log(1 + exp(-|x|)), the log terms of all
  // answers combine into one log of a product of ratios in [1/2, 2] (flushed every 512
  // factors, so it cannot overflow): one exp per answer and one log per task. `e_before`
  // holds exp(-|x|) of the task's answers at the current b_t.
  double TaskGain(std::size_t t, double step, const std::vector<double>& posterior,
                  const double* e_before) const {
    const double b0 = b_[t];
    const double b1 = b0 + step;
    const double beta0 = FastExp(b0);
    const double beta1 = FastExp(b1);
    double gain =
        -0.5 * ((b1 - kPriorMean) * (b1 - kPriorMean) - (b0 - kPriorMean) * (b0 - kPriorMean));
    double ratio = 1.0;
    double log_ratio = 0.0;
    int factors = 0;
    for (std::uint32_t a = p_.offsets[t]; a < p_.offsets[t + 1]; ++a) {
      const double alpha = alpha_[p_.worker[a]];
      const double x0 = alpha * beta0;
      const double x1 = alpha * beta1;
      gain += Posterior(posterior, t, a) * (x1 - x0) - (std::max(x1, 0.0) - std::max(x0, 0.0));
      ratio *= (1.0 + FastExp(-std::abs(x1))) / (1.0 + e_before[a - p_.offsets[t]]);
      if (++factors == 512) {
        log_ratio += std::log(ratio);
        ratio = 1.0;
        factors = 0;
      }
    }
    return gain - (log_ratio + std::log(ratio));
  }

  void UpdateB(const std::vector<double>& posterior) {
    for (std::size_t t = 0; t < p_.num_tasks; ++t) {
      const double beta = FastExp(b_[t]);
      double g = -(b_[t] - kPriorMean);
      double h = 1.0;  // minus the second derivative
      scratch_.resize(p_.offsets[t + 1] - p_.offsets[t]);
      for (std::uint32_t a = p_.offsets[t]; a < p_.offsets[t + 1]; ++a) {
        const double q = Posterior(posterior, t, a);
        const double x = alpha_[p_.worker[a]] * beta;
        const double e = FastExp(-std::abs(x));
        const double s = x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
        scratch_[a - p_.offsets[t]] = e;
        // d/db of q x - softplus(x) with x = alpha exp(b) is (q - sigmoid) x.
        g += (q - s) * x;
        h += s * (1 - s) * x * x - (q - s) * x;
      }
      // Newton where the objective is locally concave, a gradient step elsewhere; halved
      // until the objective does not fall. A step whose predicted gain is at rounding level is
      // not taken: the check could not tell a rise from a fall, and b_t has converged anyway.
      double step = std::clamp(h > 0 ? g / h : g, -kMaxBStep, kMaxBStep);
      if (0.5 * g * step < kNegligibleGain) continue;
      for (int halving = 0; halving < kMaxHalvings && step != 0; ++halving) {
        if (TaskGain(t, step, posterior, scratch_.data()) >= 0) {
          b_[t] += step;
          break;
        }
        step *= 0.5;
      }
    }
  }

  const Problem& p_;
  const std::size_t k_;
  const double log_wrong_;
  std::vector<double> alpha_;
  std::vector<double> b_;
  // Per-worker scratch for UpdateAlpha, kept to avoid reallocating every iteration.
  std::vector<double> grad_;
  std::vector<double> curvature_;
  std::vector<double> bound_;
  std::vector<double> trial_;
  std::vector<double> far_curvature_;
  std::vector<std::uint8_t> toward_zero_;
  std::vector<double> scratch_;  // UpdateB: exp(-|x|) of one task's answers
};

InferenceResult Glad(const Problem& p, const InferenceOptions& o) {
  InferenceResult r = NewResult(p);
  GladFit fit(p);
  // GLAD's posterior has several local maxima, and EM climbs to the one nearest its start.
  // It starts from the Dawid–Skene posteriors (same options): DS estimates the class prior
  // and each worker's full confusion, a model that contains GLAD's one-accuracy workers, so
  // its estimate is the better-informed start (docs/quality.md, "GLAD"). Where DS would be
  // refused (too many confusion cells), from the prior means: a vote with equal weights.
  if (o.glad_start == InferenceOptions::GladStart::kDawidSkene && FitsConfusionTables(p)) {
    r.posterior = DawidSkene(p, o).posterior;
  } else {
    fit.EStep(r.posterior);
  }
  r.converged = false;
  for (int it = 1; it <= o.max_iterations; ++it) {
    fit.MStep(r.posterior);
    const double diff = fit.EStep(r.posterior);
    r.iterations = it;
    if (diff < o.tolerance) {
      r.converged = true;
      break;
    }
  }
  ChooseLabels(r, p.num_labels);
  // Skill: the mean probability of a correct answer over the worker's own tasks.
  std::vector<double> answered(p.num_workers, 0.0);
  for (std::size_t t = 0; t < p.num_tasks; ++t) {
    const double beta = std::exp(fit.b()[t]);
    for (std::uint32_t a = p.offsets[t]; a < p.offsets[t + 1]; ++a) {
      const std::uint32_t w = p.worker[a];
      r.worker_skill[w] += Sigmoid(fit.alpha()[w] * beta);
      answered[w] += 1;
    }
  }
  for (std::size_t w = 0; w < p.num_workers; ++w) {
    r.worker_skill[w] =
        answered[w] > 0 ? r.worker_skill[w] / answered[w] : Sigmoid(fit.alpha()[w] * std::exp(1.0));
  }
  return r;
}

// With one label there is nothing to infer: every task gets it with certainty.
InferenceResult SingleLabel(const Problem& p, Method method) {
  InferenceResult r = NewResult(p);
  std::fill(r.posterior.begin(), r.posterior.end(), 1.0);
  std::fill(r.confidence.begin(), r.confidence.end(), 1.0);
  std::fill(r.worker_skill.begin(), r.worker_skill.end(), 1.0);
  if (method == Method::kDawidSkene || method == Method::kOneCoinDawidSkene) {
    WorkerModel m;
    m.num_labels = 1;
    m.class_prior = {1.0};
    m.confusion.assign(p.num_workers, 1.0);
    m.pooled_confusion = {1.0};
    r.model = std::move(m);
  }
  return r;
}

tl::unexpected<Error> NoAnswers() {
  return InvalidArgument("no answers to aggregate",
                         {FieldError{"answers", "required", "no answers"}});
}

tl::unexpected<Error> AnswerOutOfRange(std::size_t i) {
  const std::string field = "answers[" + std::to_string(i) + "]";
  return InvalidArgument(field + ": task, worker or label index out of range",
                         {FieldError{field, "out_of_range", "index out of range"}});
}

Result<InferenceResult> Run(const Problem& p, Method method, const InferenceOptions& o) {
  if (p.num_labels == 1) return SingleLabel(p, method);
  if ((method == Method::kDawidSkene || method == Method::kOneCoinDawidSkene) &&
      !FitsConfusionTables(p)) {
    return InvalidArgument(
        std::string(MethodName(method)) + " needs a confusion matrix per worker: " +
            std::to_string(p.num_workers) + " workers × " + std::to_string(p.num_labels) +
            "² labels is too many (at most 2^28 cells); use mv, wawa or glad",
        {FieldError{"method", "too_large", "workers × labels² over 2^28"}});
  }
  switch (method) {
    case Method::kMajorityVote:
      return MajorityVote(p);
    case Method::kWawa:
      return Wawa(p);
    case Method::kDawidSkene:
      return DawidSkene(p, o);
    case Method::kOneCoinDawidSkene:
      return OneCoinDawidSkene(p, o);
    case Method::kGlad:
      return Glad(p, o);
  }
  return Internal("unknown method");
}

}  // namespace

Result<Method> ParseMethod(std::string_view name, std::string_view field) {
  if (name == "mv") return Method::kMajorityVote;
  if (name == "wawa") return Method::kWawa;
  if (name == "ds") return Method::kDawidSkene;
  if (name == "ods") return Method::kOneCoinDawidSkene;
  if (name == "glad") return Method::kGlad;
  return InvalidArgument(
      std::string(field) + ": unknown method \"" + std::string(name) +
          "\" (expected mv, wawa, ds, ods or glad)",
      {FieldError{std::string(field), "unknown", "expected mv, wawa, ds, ods or glad"}});
}

std::string_view MethodName(Method method) {
  switch (method) {
    case Method::kMajorityVote:
      return "mv";
    case Method::kWawa:
      return "wawa";
    case Method::kDawidSkene:
      return "ds";
    case Method::kOneCoinDawidSkene:
      return "ods";
    case Method::kGlad:
      return "glad";
  }
  return "unknown";
}

Result<InferenceResult> Infer(const AnswerSet& answers, Method method,
                              const InferenceOptions& options) {
  FW_TRY_STATUS(ValidateOptions(options));
  if (answers.answers.empty()) return NoAnswers();
  if (answers.answers.size() >= std::numeric_limits<std::uint32_t>::max()) {
    return InvalidArgument("too many answers (at most 2^32 - 2)",
                           {FieldError{"answers", "out_of_range", "too many answers"}});
  }
  for (std::size_t i = 0; i < answers.answers.size(); ++i) {
    const Answer& a = answers.answers[i];
    if (a.task >= answers.num_tasks() || a.worker >= answers.num_workers() ||
        a.label >= answers.num_labels()) {
      return AnswerOutOfRange(i);
    }
  }
  const Problem p = MakeProblem(answers.num_tasks(), answers.num_workers(), answers.num_labels(),
                                answers.answers);
  return Run(p, method, options);
}

std::vector<double> TaskPosterior(const WorkerModel& model, std::span<const Answer> task_answers) {
  const std::size_t k_labels = model.num_labels;
  std::vector<double> p(k_labels, k_labels == 0 ? 0.0 : 1.0 / static_cast<double>(k_labels));
  if (k_labels == 0 || model.class_prior.size() != k_labels) return p;
  std::copy(model.class_prior.begin(), model.class_prior.end(), p.begin());
  const std::size_t matrix = k_labels * k_labels;
  const std::size_t workers = model.confusion.size() / matrix;
  const bool pooled_ok = model.pooled_confusion.size() == matrix;
  for (const Answer& a : task_answers) {
    if (a.label >= k_labels) continue;  // a label the model has never seen carries no evidence
    const double* conf = nullptr;
    if (a.worker < workers) {
      conf = &model.confusion[a.worker * matrix];
    } else if (pooled_ok) {
      conf = model.pooled_confusion.data();
    } else {
      continue;
    }
    // Products normalised after every answer: no logs, and no underflow however many answers.
    double sum = 0;
    for (std::size_t c = 0; c < k_labels; ++c) {
      p[c] *= conf[c * k_labels + a.label];
      sum += p[c];
    }
    if (!(sum > 0) || !std::isfinite(sum)) {
      std::fill(p.begin(), p.end(), 1.0 / static_cast<double>(k_labels));
      return p;
    }
    for (std::size_t c = 0; c < k_labels; ++c) p[c] /= sum;
  }
  double sum = 0;
  for (double v : p) sum += v;
  if (sum > 0 && std::isfinite(sum)) {
    for (double& v : p) v /= sum;
  }
  return p;
}

Result<MultiLabelResult> InferMultiLabel(std::size_t num_tasks, std::size_t num_workers,
                                         std::size_t num_labels,
                                         std::span<const MultiLabelAnswer> answers, Method method,
                                         const InferenceOptions& options) {
  FW_TRY_STATUS(ValidateOptions(options));
  if (answers.empty()) return NoAnswers();
  if (num_labels == 0) {
    return InvalidArgument("num_labels must be at least 1",
                           {FieldError{"num_labels", "out_of_range", "must be >= 1"}});
  }
  for (std::size_t i = 0; i < answers.size(); ++i) {
    const MultiLabelAnswer& a = answers[i];
    bool ok = a.task < num_tasks && a.worker < num_workers;
    for (std::uint32_t l : a.labels) ok = ok && l < num_labels;
    if (!ok) return AnswerOutOfRange(i);
  }
  std::vector<Answer> binary(answers.size());
  for (std::size_t i = 0; i < answers.size(); ++i) {
    binary[i].task = answers[i].task;
    binary[i].worker = answers[i].worker;
  }
  // Labels 0 (absent) and 1 (present); the task grouping is the same for every label.
  Problem p = MakeProblem(num_tasks, num_workers, 2, binary);
  std::vector<std::uint32_t> position(answers.size());
  {
    std::vector<std::uint32_t> next(p.offsets.begin(), p.offsets.end() - 1);
    for (std::size_t i = 0; i < answers.size(); ++i) position[i] = next[answers[i].task]++;
  }
  MultiLabelResult out;
  out.probability.assign(num_tasks * num_labels, 0.0);
  out.chosen.assign(num_tasks * num_labels, 0);
  for (std::size_t l = 0; l < num_labels; ++l) {
    for (std::size_t i = 0; i < answers.size(); ++i) {
      const auto& picked = answers[i].labels;
      const bool present =
          std::find(picked.begin(), picked.end(), static_cast<std::uint32_t>(l)) != picked.end();
      p.label[position[i]] = present ? 1 : 0;
    }
    FW_TRY(InferenceResult r, Run(p, method, options));
    for (std::size_t t = 0; t < num_tasks; ++t) {
      const double prob = r.posterior[t * 2 + 1];
      out.probability[t * num_labels + l] = prob;
      out.chosen[t * num_labels + l] = prob >= 0.5 ? 1 : 0;
    }
  }
  return out;
}

}  // namespace fw::quality
