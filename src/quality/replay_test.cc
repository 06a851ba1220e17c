#include "quality/replay.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace fw::quality {
namespace {

// A crowd with known truth: `tasks` tasks, each answered by `per_task` distinct workers drawn
// from `workers`, each worker right with probability `accuracy` and otherwise uniformly wrong.
// Tasks are added task-major, so task index t is task "t" and truth.label[t] its true label.
struct Crowd {
  AnswerSet set;
  Truth truth;
};
Crowd MakeCrowd(std::size_t tasks, std::size_t per_task, std::size_t workers, std::size_t classes,
                double accuracy, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto uniform = [&rng] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
  AnswerSetBuilder b;
  for (std::size_t k = 0; k < classes; ++k) b.AddLabel(std::to_string(k));
  std::vector<std::uint32_t> truth(tasks);
  for (std::size_t t = 0; t < tasks; ++t) {
    truth[t] = static_cast<std::uint32_t>(rng() % classes);
    std::vector<std::size_t> chosen;
    while (chosen.size() < per_task) {
      const std::size_t w = rng() % workers;
      if (std::find(chosen.begin(), chosen.end(), w) == chosen.end()) chosen.push_back(w);
    }
    for (std::size_t w : chosen) {
      std::size_t label = truth[t];
      if (uniform() >= accuracy) label = (truth[t] + 1 + rng() % (classes - 1)) % classes;
      b.Add("w" + std::to_string(w), std::to_string(t), std::to_string(label));
    }
  }
  Crowd c;
  c.set = b.Finish();
  c.truth.label = truth;
  c.truth.rows = tasks;
  c.truth.matched = tasks;
  return c;
}

TEST(StoppingRule, StopsAtThresholdOnceMinIsReached) {
  const StoppingRule rule{0.95, 2, 0};
  const std::vector<double> sure{0.97, 0.03};
  const std::vector<double> unsure{0.6, 0.4};
  EXPECT_FALSE(rule.ShouldStop(sure, 1));  // below min
  EXPECT_TRUE(rule.ShouldStop(sure, 2));
  EXPECT_FALSE(rule.ShouldStop(unsure, 2));
  EXPECT_FALSE(rule.ShouldStop(unsure, 50));                               // no cap
  EXPECT_TRUE(rule.ShouldStop(std::vector<double>{0.02, 0.03, 0.95}, 3));  // any leading label
}

TEST(StoppingRule, StopsAtMaxWhateverThePosterior) {
  const StoppingRule rule{0.95, 2, 5};
  EXPECT_FALSE(rule.ShouldStop(std::vector<double>{0.5, 0.5}, 4));
  EXPECT_TRUE(rule.ShouldStop(std::vector<double>{0.5, 0.5}, 5));
  EXPECT_TRUE(rule.ShouldStop({}, 5));
}

TEST(StoppingRule, WithoutAPosteriorOrAtThresholdOneNeverStopsEarly) {
  EXPECT_FALSE((StoppingRule{0.95, 2, 0}).ShouldStop({}, 10));
  const StoppingRule certain{1.0, 1, 0};
  EXPECT_FALSE(certain.ShouldStop(std::vector<double>{1.0, 0.0}, 10));
}

TEST(StoppingRule, ValidationNamesTheField) {
  EXPECT_TRUE(ValidateStoppingRule({0.95, 2, 0}));
  EXPECT_TRUE(ValidateStoppingRule({1.0, 1, 1}));
  for (double bad : {0.0, -0.1, 1.01, std::nan("")}) {
    auto st = ValidateStoppingRule({bad, 2, 0});
    ASSERT_FALSE(st) << bad;
    EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(st.error().details.at(0).field, "threshold");
  }
  auto min0 = ValidateStoppingRule({0.95, 0, 0});
  ASSERT_FALSE(min0);
  EXPECT_EQ(min0.error().details.at(0).field, "min");
  auto max_below_min = ValidateStoppingRule({0.95, 3, 2});
  ASSERT_FALSE(max_below_min);
  EXPECT_EQ(max_below_min.error().details.at(0).field, "max");
}

TEST(ChangeProbability, MatchesHandComputedCases) {
  // Two labels, a typical worker right 80 % of the time, posterior 0.9 : 0.1.
  const std::vector<double> confusion{0.8, 0.2, 0.2, 0.8};
  const std::vector<double> posterior{0.9, 0.1};
  EXPECT_EQ(ChangeProbability(posterior, confusion, 0), 0);
  // One answer for label 1 gives odds 0.9 * 0.2 : 0.1 * 0.8, still label 0.
  EXPECT_NEAR(ChangeProbability(posterior, confusion, 1), 0, 1e-15);
  // Two answers for label 1 (0.9 * 0.04 : 0.1 * 0.64) change it; they come with probability
  // 0.9 * 0.2² + 0.1 * 0.8² = 0.1. One each does not.
  EXPECT_NEAR(ChangeProbability(posterior, confusion, 2), 0.1, 1e-12);
  // A tie counts as a change: from 0.5 : 0.5 (leader label 0) one answer for 1 changes it.
  EXPECT_NEAR(ChangeProbability(std::vector<double>{0.5, 0.5}, confusion, 1), 0.5, 1e-12);
  // Three labels: the exact sum agrees with a simulation of the remaining judgments.
  const std::vector<double> c3{0.7, 0.2, 0.1, 0.15, 0.7, 0.15, 0.1, 0.2, 0.7};
  const std::vector<double> p3{0.8, 0.15, 0.05};
  std::mt19937_64 rng(7);
  auto uniform = [&rng] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
  auto draw = [&](const double* row) {
    double u = uniform(), acc = 0;
    for (std::size_t l = 0; l < 2; ++l) {
      acc += row[l];
      if (u < acc) return l;
    }
    return std::size_t{2};
  };
  for (std::size_t r : {1u, 4u, 7u}) {
    const int samples = 200000;
    int changed = 0;
    for (int i = 0; i < samples; ++i) {
      const std::size_t truth = draw(p3.data());
      double score[3];
      for (std::size_t j = 0; j < 3; ++j) score[j] = std::log(p3[j]);
      for (std::size_t n = 0; n < r; ++n) {
        const std::size_t given = draw(&c3[truth * 3]);
        for (std::size_t j = 0; j < 3; ++j) score[j] += std::log(c3[j * 3 + given]);
      }
      changed += score[1] >= score[0] || score[2] >= score[0];
    }
    EXPECT_NEAR(ChangeProbability(p3, c3, r), static_cast<double>(changed) / samples, 0.004) << r;
  }
}

TEST(ChangeProbability, TooManyOutcomesNeverStops) {
  // Ten labels and 30 remaining judgments: C(39, 9) count vectors, beyond the limit.
  const std::vector<double> posterior(10, 0.1);
  std::vector<double> confusion(100, 0.05);
  for (std::size_t k = 0; k < 10; ++k) confusion[k * 10 + k] = 0.55;
  EXPECT_EQ(ChangeProbability(posterior, confusion, 30), 1);
}

TEST(StoppingRule, StopsWhenTheRemainingJudgmentsCannotChangeTheLabel) {
  const std::vector<double> confusion{0.8, 0.2, 0.2, 0.8};
  const std::vector<double> posterior{0.9, 0.1};
  const StoppingRule rule{0.999, 2, 0, 0.05};
  EXPECT_TRUE(rule.ShouldStop(posterior, 2, {confusion, 1}));    // no change possible
  EXPECT_FALSE(rule.ShouldStop(posterior, 2, {confusion, 2}));   // change 0.1 >= 0.05
  EXPECT_FALSE(rule.ShouldStop(posterior, 1, {confusion, 1}));   // below min
  EXPECT_FALSE(rule.ShouldStop(posterior, 2));                   // no context: threshold only
  const StoppingRule off{0.999, 2, 0, 0};
  EXPECT_FALSE(off.ShouldStop(posterior, 2, {confusion, 1}));
  EXPECT_TRUE(off.ShouldStop(std::vector<double>{0.9995, 0.0005}, 2, {confusion, 5}));
  EXPECT_FALSE(rule.ShouldStop({}, 2, {confusion, 1}));  // no model yet
  EXPECT_FALSE(rule.ShouldStop(posterior, 2, {{}, 1}));   // no typical expert: no change test
}

TEST(StoppingRule, ChangeOutOfRangeNamesTheField) {
  EXPECT_TRUE(ValidateStoppingRule({0.95, 2, 0, 0.0}));
  EXPECT_TRUE(ValidateStoppingRule({0.95, 2, 0, 0.5}));
  for (double bad : {-0.1, 1.0, std::nan("")}) {
    auto st = ValidateStoppingRule({0.95, 2, 0, bad});
    ASSERT_FALSE(st) << bad;
    EXPECT_EQ(st.error().details.at(0).field, "change");
  }
}

TEST(WorkerInformation, IsOneForAPerfectWorkerAndZeroForASpammer) {
  WorkerModel m;
  m.num_labels = 2;
  m.class_prior = {0.5, 0.5};
  m.confusion = {1, 0, 0, 1,           // perfect
                 0.7, 0.3, 0.7, 0.3,   // answers regardless of the truth
                 0.9, 0.1, 0.1, 0.9};  // right 90 % of the time
  m.pooled_confusion = {0.8, 0.2, 0.2, 0.8};
  const std::vector<double> info = WorkerInformation(m);
  ASSERT_EQ(info.size(), 3u);
  EXPECT_NEAR(info[0], 1, 1e-12);
  EXPECT_NEAR(info[1], 0, 1e-12);
  // 1 - H(0.1) / ln 2.
  const double h = -(0.1 * std::log(0.1) + 0.9 * std::log(0.9));
  EXPECT_NEAR(info[2], 1 - h / std::log(2.0), 1e-12);
  m.class_prior = {1, 0};  // nothing to learn
  for (double v : WorkerInformation(m)) EXPECT_EQ(v, 0);
}

TEST(GatedWorkers, TurnsAwayUninformativeWorkersButNeverMostOfTheCrowd) {
  WorkerModel m;
  m.num_labels = 2;
  m.class_prior = {0.5, 0.5};
  m.confusion = {0.9, 0.1, 0.1, 0.9,   // good
                 0.7, 0.3, 0.7, 0.3,   // spammer
                 0.7, 0.3, 0.7, 0.3};  // spammer with few judgments
  m.pooled_confusion = {0.8, 0.2, 0.2, 0.8};
  const ExpertGate gate{0.2, 20};
  EXPECT_EQ(GatedWorkers(m, std::vector<std::size_t>{100, 50, 19}, gate),
            (std::vector<std::uint8_t>{0, 1, 0}));
  // Off: nobody.
  EXPECT_EQ(GatedWorkers(m, std::vector<std::size_t>{100, 50, 19}, ExpertGate{}),
            (std::vector<std::uint8_t>{0, 0, 0}));
  // The spammers would take more than half of the judgments with them: nobody.
  EXPECT_EQ(GatedWorkers(m, std::vector<std::size_t>{30, 50, 19}, gate),
            (std::vector<std::uint8_t>{0, 0, 0}));
}

TEST(Policy, ParsesItsNames) {
  EXPECT_EQ(ParsePolicy("fixed").value(), Policy::kFixed);
  EXPECT_EQ(ParsePolicy("adaptive").value(), Policy::kAdaptive);
  EXPECT_EQ(PolicyName(Policy::kAdaptive), "adaptive");
  auto bad = ParsePolicy("greedy", "--policy");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("--policy"), std::string::npos);
}

TEST(ShuffledOrder, IsAPermutationFixedBySeed) {
  auto a = ShuffledOrder(1000, 7);
  auto b = ShuffledOrder(1000, 7);
  auto c = ShuffledOrder(1000, 8);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  auto sorted = a;
  std::sort(sorted.begin(), sorted.end());
  for (std::uint32_t i = 0; i < 1000; ++i) ASSERT_EQ(sorted[i], i);
  EXPECT_TRUE(ShuffledOrder(0, 1).empty());
  EXPECT_EQ(ShuffledOrder(1, 1), std::vector<std::uint32_t>{0});
}

TEST(ShuffledOrder, IsTheSameOnEveryPlatform) {
  // mt19937_64's output is fixed by the standard and the bounded mapping is ours, so this
  // sequence may only change on purpose (it changes every recorded replay figure).
  EXPECT_EQ(ShuffledOrder(10, 42), (std::vector<std::uint32_t>{1, 7, 9, 0, 3, 8, 4, 2, 5, 6}));
}

TEST(Replay, FixedPolicyWithoutCapReproducesFullRedundancy) {
  Crowd c = MakeCrowd(200, 7, 30, 3, 0.75, 1);
  ReplayOptions o;
  o.policy = Policy::kFixed;
  o.seed = 3;
  auto r = Replay(c.set, c.truth, o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->answers, 1400u);
  EXPECT_EQ(r->run.judgments, r->baseline.judgments);
  EXPECT_EQ(r->run.judgments, 1400u);
  EXPECT_EQ(r->run.label, r->baseline.label);
  EXPECT_EQ(r->run.accuracy, r->baseline.accuracy);
  EXPECT_EQ(r->savings, 0);
  EXPECT_EQ(r->run.fits, 0u);
  EXPECT_EQ(r->baseline.truth_tasks, 200u);
  // The baseline is plain Infer over every answer.
  auto direct = Infer(c.set, Method::kDawidSkene);
  ASSERT_TRUE(direct);
  EXPECT_EQ(r->baseline.label, direct->label);
  EXPECT_EQ(r->baseline.accuracy, Accuracy(direct->label, c.truth));
}

TEST(Replay, FixedPolicyWithCapTakesTheFirstArrivals) {
  Crowd c = MakeCrowd(100, 6, 20, 2, 0.8, 2);
  ReplayOptions o;
  o.policy = Policy::kFixed;
  o.rule.max_judgments = 4;
  auto r = Replay(c.set, c.truth, o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->run.judgments, 400u);
  for (std::uint32_t n : r->run.judgments_per_task) EXPECT_EQ(n, 4u);
  EXPECT_NEAR(r->savings, 1.0 / 3, 1e-12);
  EXPECT_EQ(r->run.stopped_early, 0u);
}

TEST(Replay, AdaptiveAtThresholdOneNeverStopsEarly) {
  Crowd c = MakeCrowd(150, 8, 25, 2, 0.9, 3);
  ReplayOptions o;
  o.rule = {1.0, 2, 0};
  auto r = Replay(c.set, c.truth, o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->run.judgments, c.set.answers.size());
  EXPECT_EQ(r->run.stopped_early, 0u);
  EXPECT_GT(r->run.fits, 0u);  // the model was consulted, and never trusted
  EXPECT_EQ(r->run.label, r->baseline.label);
}

TEST(Replay, IsDeterministicForASeed) {
  Crowd c = MakeCrowd(300, 9, 40, 3, 0.8, 4);
  ReplayOptions o;
  o.rule = {0.95, 2, 0};
  o.seed = 11;
  auto a = Replay(c.set, c.truth, o);
  auto b = Replay(c.set, c.truth, o);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->run.judgments_per_task, b->run.judgments_per_task);
  EXPECT_EQ(a->run.label, b->run.label);
  EXPECT_EQ(a->run.accuracy, b->run.accuracy);
  EXPECT_EQ(a->run.fits, b->run.fits);
  o.seed = 12;
  auto other = Replay(c.set, c.truth, o);
  ASSERT_TRUE(other);
  EXPECT_NE(a->run.judgments_per_task, other->run.judgments_per_task);
}

TEST(Replay, AdaptiveSavesJudgmentsOnAnEasySet) {
  // Good workers (90 % right) and ten answers per task: two agreeing answers settle most tasks.
  Crowd c = MakeCrowd(500, 10, 40, 2, 0.9, 5);
  ReplayOptions o;
  o.rule = {0.99, 2, 0};
  o.seed = 1;
  auto r = Replay(c.set, c.truth, o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_GT(r->savings, 0.5);
  EXPECT_GT(r->run.stopped_early, 400u);
  EXPECT_GE(r->run.accuracy, r->baseline.accuracy - 0.02);
  EXPECT_GT(r->baseline.accuracy, 0.99);
  for (std::uint32_t n : r->run.judgments_per_task) EXPECT_GE(n, 2u);
}

TEST(Replay, GateStopsAskingWorkersWhoseAnswersCarryNoInformation) {
  // Ten good workers (90 % right) and five who always answer "0"; everyone answers every task.
  std::mt19937_64 rng(11);
  AnswerSetBuilder b;
  b.AddLabel("0");
  b.AddLabel("1");
  std::vector<std::uint32_t> truth;
  for (std::size_t t = 0; t < 300; ++t) {
    const std::uint32_t label = static_cast<std::uint32_t>(rng() % 2);
    truth.push_back(label);
    for (std::size_t w = 0; w < 15; ++w) {
      std::uint32_t given = 0;
      if (w < 10) given = rng() % 10 == 0 ? 1 - label : label;
      b.Add("w" + std::to_string(w), std::to_string(t), std::to_string(given));
    }
  }
  Crowd c;
  c.set = b.Finish();
  c.truth.label = truth;
  ReplayOptions o;
  o.rule = {1.0, 2, 0};  // the posterior never stops a task: only the gate saves
  o.gate = {0.2, 20};
  o.seed = 3;
  auto gated = Replay(c.set, c.truth, o);
  ASSERT_TRUE(gated) << gated.error().message;
  o.gate = {};
  auto ungated = Replay(c.set, c.truth, o);
  ASSERT_TRUE(ungated) << ungated.error().message;
  EXPECT_EQ(ungated->run.gated, 0u);
  EXPECT_EQ(ungated->savings, 0);
  // Most of the spammers' 1,500 answers are turned away, and nothing else.
  EXPECT_GT(gated->run.gated, 1000u);
  EXPECT_LT(gated->run.gated, 1500u);
  EXPECT_NEAR(gated->savings, static_cast<double>(gated->run.gated) / 4500, 1e-12);
  EXPECT_GE(gated->run.accuracy, gated->baseline.accuracy - 0.01);
}

TEST(Replay, MaxCapsAdaptiveToo) {
  Crowd c = MakeCrowd(100, 10, 30, 2, 0.6, 6);
  ReplayOptions o;
  o.rule = {0.999, 2, 5};
  auto r = Replay(c.set, c.truth, o);
  ASSERT_TRUE(r) << r.error().message;
  for (std::uint32_t n : r->run.judgments_per_task) {
    EXPECT_GE(n, 2u);
    EXPECT_LE(n, 5u);
  }
}

TEST(Replay, RejectsBadInput) {
  Crowd c = MakeCrowd(20, 3, 5, 2, 0.9, 7);
  ReplayOptions o;

  AnswerSet empty;
  Truth none;
  auto no_answers = Replay(empty, none, o);
  ASSERT_FALSE(no_answers);
  EXPECT_EQ(no_answers.error().code, ErrorCode::kInvalidArgument);

  Truth short_truth = c.truth;
  short_truth.label.pop_back();
  auto mismatch = Replay(c.set, short_truth, o);
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().code, ErrorCode::kInvalidArgument);

  Truth no_truth = c.truth;
  std::fill(no_truth.label.begin(), no_truth.label.end(), kNoTruth);
  auto nothing_to_score = Replay(c.set, no_truth, o);
  ASSERT_FALSE(nothing_to_score);
  EXPECT_EQ(nothing_to_score.error().code, ErrorCode::kInvalidArgument);

  ReplayOptions bad_rule = o;
  bad_rule.rule.min_judgments = 0;
  auto rule = Replay(c.set, c.truth, bad_rule);
  ASSERT_FALSE(rule);
  EXPECT_EQ(rule.error().details.at(0).field, "min");

  ReplayOptions bad_gate = o;
  bad_gate.gate.min_information = 1;
  auto gate = Replay(c.set, c.truth, bad_gate);
  ASSERT_FALSE(gate);
  EXPECT_EQ(gate.error().details.at(0).field, "gate");
  bad_gate.gate = {0.1, 0};
  auto gate_min = Replay(c.set, c.truth, bad_gate);
  ASSERT_FALSE(gate_min);
  EXPECT_EQ(gate_min.error().details.at(0).field, "gate_min");

  ReplayOptions bad_growth = o;
  bad_growth.refit_growth = 0;
  auto growth = Replay(c.set, c.truth, bad_growth);
  ASSERT_FALSE(growth);
  EXPECT_EQ(growth.error().code, ErrorCode::kInvalidArgument);

  ReplayOptions bad_iterations = o;
  bad_iterations.model_iterations = -1;
  auto iterations = Replay(c.set, c.truth, bad_iterations);
  ASSERT_FALSE(iterations);
  EXPECT_EQ(iterations.error().details.at(0).field, "model_iterations");

  ReplayOptions bad_inference = o;
  bad_inference.inference.max_iterations = 0;
  auto inference = Replay(c.set, c.truth, bad_inference);
  ASSERT_FALSE(inference);
  EXPECT_EQ(inference.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace fw::quality
