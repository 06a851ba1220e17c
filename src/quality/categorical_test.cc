#include "quality/categorical.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace fw::quality {
namespace {

constexpr Method kAllMethods[] = {Method::kMajorityVote, Method::kWawa, Method::kDawidSkene,
                                  Method::kOneCoinDawidSkene, Method::kGlad};

struct Row {
  std::string worker, task, label;
};
AnswerSet Build(const std::vector<Row>& rows) {
  AnswerSetBuilder b;
  for (const Row& r : rows) b.Add(r.worker, r.task, r.label);
  return b.Finish();
}

InferenceResult Fit(const AnswerSet& s, Method m, const InferenceOptions& o = {}) {
  auto r = Infer(s, m, o);
  EXPECT_TRUE(r) << MethodName(m) << ": " << r.error().message;
  return r ? *r : InferenceResult{};
}

std::size_t TaskIndex(const AnswerSet& s, std::string_view name) {
  for (std::size_t t = 0; t < s.tasks.size(); ++t) {
    if (s.tasks[t] == name) return t;
  }
  ADD_FAILURE() << "no task " << name;
  return 0;
}
std::size_t WorkerIndex(const AnswerSet& s, std::string_view name) {
  for (std::size_t w = 0; w < s.workers.size(); ++w) {
    if (s.workers[w] == name) return w;
  }
  ADD_FAILURE() << "no worker " << name;
  return 0;
}

// Every number finite, posterior rows summing to 1, confidence = posterior of the label.
void ExpectWellFormed(const InferenceResult& r, std::size_t num_labels) {
  ASSERT_EQ(r.posterior.size(), r.label.size() * num_labels);
  for (std::size_t t = 0; t < r.label.size(); ++t) {
    double sum = 0;
    for (std::size_t c = 0; c < num_labels; ++c) {
      const double p = r.posterior[t * num_labels + c];
      ASSERT_TRUE(std::isfinite(p)) << "task " << t;
      EXPECT_GE(p, 0.0);
      sum += p;
    }
    EXPECT_NEAR(sum, 1.0, 1e-9) << "task " << t;
    EXPECT_EQ(r.confidence[t], r.posterior[t * num_labels + r.label[t]]);
  }
  for (double s : r.worker_skill) {
    ASSERT_TRUE(std::isfinite(s));
    EXPECT_GE(s, 0.0);
    EXPECT_LE(s, 1.0);
  }
}

// splitmix64, so the synthetic sets are the same everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  double Uniform() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return static_cast<double>((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
  }
  std::uint32_t Draw(const std::vector<double>& p) {
    double u = Uniform();
    for (std::uint32_t i = 0; i + 1 < p.size(); ++i) {
      if (u < p[i]) return i;
      u -= p[i];
    }
    return static_cast<std::uint32_t>(p.size() - 1);
  }

 private:
  std::uint64_t state_;
};

// Every task answered by every worker; confusion[w][truth][given]. Labels are "0".."K-1", so
// label index == label value; tasks are "t<i>", workers "w<i>" in index order.
struct Synthetic {
  AnswerSet set;
  std::vector<std::uint32_t> truth;
};
Synthetic MakeSynthetic(const std::vector<std::vector<std::vector<double>>>& confusion,
                        std::size_t tasks, const std::vector<double>& class_prior,
                        std::uint64_t seed) {
  Rng rng(seed);
  AnswerSetBuilder b;
  const std::size_t k = class_prior.size();
  for (std::size_t c = 0; c < k; ++c) b.AddLabel(std::to_string(c));
  Synthetic s;
  for (std::size_t t = 0; t < tasks; ++t) {
    const std::uint32_t truth = rng.Draw(class_prior);
    s.truth.push_back(truth);
    for (std::size_t w = 0; w < confusion.size(); ++w) {
      b.Add("w" + std::to_string(w), "t" + std::to_string(t),
            std::to_string(rng.Draw(confusion[w][truth])));
    }
  }
  s.set = b.Finish();
  return s;
}

std::vector<std::vector<double>> OneCoin(double accuracy, std::size_t k) {
  std::vector<std::vector<double>> m(k, std::vector<double>(k, (1 - accuracy) / (k - 1)));
  for (std::size_t c = 0; c < k; ++c) m[c][c] = accuracy;
  return m;
}

double FractionCorrect(const InferenceResult& r, const std::vector<std::uint32_t>& truth) {
  std::size_t ok = 0;
  for (std::size_t t = 0; t < truth.size(); ++t) ok += r.label[t] == truth[t];
  return static_cast<double>(ok) / static_cast<double>(truth.size());
}

TEST(ParseMethod, KnowsEveryNameAndRoundTrips) {
  for (Method m : kAllMethods) {
    auto parsed = ParseMethod(MethodName(m));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, m);
  }
  EXPECT_EQ(MethodName(Method::kDawidSkene), "ds");
}

TEST(ParseMethod, UnknownNameIsInvalidAndNamesTheField) {
  auto m = ParseMethod("em", "--method");
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(m.error().details.size(), 1u);
  EXPECT_EQ(m.error().details[0].field, "--method");
  EXPECT_NE(m.error().message.find("em"), std::string::npos);
}

TEST(Infer, UnanimousAnswersWinUnderEveryMethod) {
  const AnswerSet s = Build({{"a", "t1", "1"},
                             {"b", "t1", "1"},
                             {"c", "t1", "1"},
                             {"a", "t2", "0"},
                             {"b", "t2", "0"},
                             {"c", "t2", "1"}});
  for (Method m : kAllMethods) {
    const InferenceResult r = Fit(s, m);
    ExpectWellFormed(r, 2);
    EXPECT_EQ(s.labels[r.label[TaskIndex(s, "t1")]], "1") << MethodName(m);
    EXPECT_GT(r.confidence[TaskIndex(s, "t1")], 0.5) << MethodName(m);
  }
}

TEST(MajorityVote, SharesAreVoteFractionsAndTiesGoToTheLowestLabel) {
  const AnswerSet s = Build(
      {{"a", "t1", "b"}, {"b", "t1", "a"}, {"a", "t2", "c"}, {"b", "t2", "c"}, {"c", "t2", "a"}});
  const InferenceResult r = Fit(s, Method::kMajorityVote);
  ASSERT_EQ(s.labels, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(r.label[0], 0u);  // a:1 b:1 -> a
  EXPECT_EQ(r.posterior, (std::vector<double>{0.5, 0.5, 0, 1.0 / 3, 0, 2.0 / 3}));
  EXPECT_EQ(r.label[1], 2u);
  EXPECT_EQ(r.confidence[1], 2.0 / 3);
  EXPECT_EQ(r.iterations, 0);
  // Skill: agreement with the vote. a said "b" on t1 (which went to "a"): 1/2; b: 2/2; c: 0/1.
  EXPECT_EQ(r.worker_skill, (std::vector<double>{0.5, 1.0, 0.0}));
  EXPECT_FALSE(r.model.has_value());
}

TEST(MajorityVote, TiesFollowNumericLabelOrder) {
  const AnswerSet s = Build({{"a", "t", "10"}, {"b", "t", "9"}});
  EXPECT_EQ(s.labels[Fit(s, Method::kMajorityVote).label[0]], "9");
}

// crowd-kit's MajorityVote/Wawa example: p1 agrees with the vote twice, p2 and p3 once.
TEST(Wawa, WeightsVotesByAgreementWithTheMajority) {
  const AnswerSet s = Build({{"p1", "t1", "0"},
                             {"p2", "t1", "0"},
                             {"p3", "t1", "1"},
                             {"p1", "t2", "1"},
                             {"p2", "t2", "0"},
                             {"p3", "t2", "1"}});
  const InferenceResult r = Fit(s, Method::kWawa);
  EXPECT_EQ(r.worker_skill, (std::vector<double>{1.0, 0.5, 0.5}));
  EXPECT_EQ(r.posterior, (std::vector<double>{0.75, 0.25, 0.25, 0.75}));
  EXPECT_EQ(r.label, (std::vector<std::uint32_t>{0, 1}));
}

TEST(Wawa, BreaksAMajorityTieTowardTheReliableWorker) {
  // t3 ties 1:1 between "good" (agrees with the vote elsewhere) and "bad" (never does).
  const AnswerSet s = Build({{"good", "t1", "1"},
                             {"x", "t1", "1"},
                             {"bad", "t1", "0"},
                             {"good", "t2", "1"},
                             {"y", "t2", "1"},
                             {"bad", "t2", "0"},
                             {"bad", "t3", "0"},
                             {"good", "t3", "1"}});
  EXPECT_EQ(Fit(s, Method::kMajorityVote).label[2], 0u);  // lowest label
  EXPECT_EQ(Fit(s, Method::kWawa).label[2], 1u);
}

TEST(Infer, ASpammerGetsTheLowestSkillUnderEveryMethod) {
  std::vector<std::vector<std::vector<double>>> confusion(4, OneCoin(0.85, 4));
  confusion.push_back(std::vector<std::vector<double>>(4, {0.25, 0.25, 0.25, 0.25}));
  const Synthetic syn = MakeSynthetic(confusion, 400, {0.25, 0.25, 0.25, 0.25}, 7);
  for (Method m : kAllMethods) {
    const InferenceResult r = Fit(syn.set, m);
    ExpectWellFormed(r, 4);
    const double spammer = r.worker_skill[4];
    for (std::size_t w = 0; w < 4; ++w) {
      EXPECT_GT(r.worker_skill[w], spammer + 0.3) << MethodName(m) << " worker " << w;
    }
    EXPECT_LT(spammer, 0.45) << MethodName(m);
    EXPECT_GT(FractionCorrect(r, syn.truth), 0.93) << MethodName(m);
  }
}

TEST(DawidSkene, RecoversSyntheticConfusionMatrices) {
  // Three informative workers with class-dependent errors and one that always says "2".
  const std::vector<std::vector<std::vector<double>>> confusion = {
      {{0.9, 0.1, 0.0}, {0.2, 0.7, 0.1}, {0.0, 0.1, 0.9}},
      {{0.7, 0.3, 0.0}, {0.0, 0.9, 0.1}, {0.1, 0.1, 0.8}},
      {{0.8, 0.0, 0.2}, {0.1, 0.8, 0.1}, {0.3, 0.0, 0.7}},
      {{0.0, 0.0, 1.0}, {0.0, 0.0, 1.0}, {0.0, 0.0, 1.0}},
  };
  const Synthetic syn = MakeSynthetic(confusion, 4000, {0.5, 0.3, 0.2}, 11);
  const InferenceResult r = Fit(syn.set, Method::kDawidSkene);
  ASSERT_TRUE(r.model.has_value());
  const WorkerModel& m = *r.model;
  ASSERT_EQ(m.num_labels, 3u);
  for (std::size_t w = 0; w < confusion.size(); ++w) {
    for (std::size_t truth = 0; truth < 3; ++truth) {
      for (std::size_t given = 0; given < 3; ++given) {
        EXPECT_NEAR(m.confusion[(w * 3 + truth) * 3 + given], confusion[w][truth][given], 0.04)
            << "worker " << w << " truth " << truth << " given " << given;
      }
    }
  }
  EXPECT_NEAR(m.class_prior[0], 0.5, 0.03);
  EXPECT_NEAR(m.class_prior[2], 0.2, 0.03);
  EXPECT_TRUE(r.converged);
  EXPECT_GT(r.iterations, 1);
  EXPECT_GT(FractionCorrect(r, syn.truth),
            FractionCorrect(Fit(syn.set, Method::kMajorityVote), syn.truth));
}

TEST(DawidSkene, MaximumLikelihoodWithPriorZeroAlsoRecoversTheMatrix) {
  const std::vector<std::vector<std::vector<double>>> confusion(3, OneCoin(0.8, 2));
  const Synthetic syn = MakeSynthetic(confusion, 3000, {0.6, 0.4}, 3);
  InferenceOptions o;
  o.prior = 0.0;
  const InferenceResult r = Fit(syn.set, Method::kDawidSkene, o);
  ExpectWellFormed(r, 2);
  EXPECT_NEAR(r.model->confusion[0], 0.8, 0.04);
  EXPECT_NEAR(r.worker_skill[1], 0.8, 0.04);
}

TEST(Infer, AWorkerWithOneAnswerDoesNotBreakAnything) {
  const AnswerSet s = Build({{"a", "t1", "0"},
                             {"b", "t1", "0"},
                             {"a", "t2", "1"},
                             {"b", "t2", "1"},
                             {"a", "t3", "1"},
                             {"b", "t3", "0"},
                             {"once", "t3", "2"}});
  for (Method m : kAllMethods) {
    for (double prior : {0.0, 10.0}) {
      InferenceOptions o;
      o.prior = prior;
      const InferenceResult r = Fit(s, m, o);
      ExpectWellFormed(r, 3);
      EXPECT_EQ(r.label[0], 0u) << MethodName(m);
    }
  }
}

TEST(Infer, TwoRunsAreEqualBitForBit) {
  std::vector<std::vector<std::vector<double>>> confusion(6, OneCoin(0.7, 3));
  confusion[5] = OneCoin(0.4, 3);
  const Synthetic syn = MakeSynthetic(confusion, 300, {0.5, 0.3, 0.2}, 5);
  for (Method m : kAllMethods) {
    const InferenceResult a = Fit(syn.set, m);
    const InferenceResult b = Fit(syn.set, m);
    EXPECT_EQ(a.posterior, b.posterior) << MethodName(m);
    EXPECT_EQ(a.worker_skill, b.worker_skill) << MethodName(m);
    EXPECT_EQ(a.label, b.label) << MethodName(m);
    EXPECT_EQ(a.iterations, b.iterations) << MethodName(m);
    EXPECT_EQ(a.model.has_value(), b.model.has_value());
    if (a.model && b.model) {
      EXPECT_EQ(a.model->confusion, b.model->confusion);
      EXPECT_EQ(a.model->pooled_confusion, b.model->pooled_confusion);
    }
  }
}

TEST(Infer, StopsAtTheIterationCapAndSaysSo) {
  std::vector<std::vector<std::vector<double>>> confusion(4, OneCoin(0.7, 3));
  const Synthetic syn = MakeSynthetic(confusion, 200, {0.4, 0.4, 0.2}, 9);
  for (Method m : {Method::kDawidSkene, Method::kOneCoinDawidSkene, Method::kGlad}) {
    InferenceOptions o;
    o.max_iterations = 1;
    const InferenceResult capped = Fit(syn.set, m, o);
    EXPECT_EQ(capped.iterations, 1) << MethodName(m);
    EXPECT_FALSE(capped.converged) << MethodName(m);
    const InferenceResult full = Fit(syn.set, m);
    EXPECT_TRUE(full.converged) << MethodName(m);
    EXPECT_GT(full.iterations, 1) << MethodName(m);
    EXPECT_LE(full.iterations, 100) << MethodName(m);
  }
}

TEST(OneCoinDawidSkene, EstimatesEachWorkersAccuracy) {
  const std::vector<std::vector<std::vector<double>>> confusion = {
      OneCoin(0.9, 3), OneCoin(0.8, 3), OneCoin(0.6, 3), OneCoin(0.75, 3)};
  const Synthetic syn = MakeSynthetic(confusion, 3000, {1.0 / 3, 1.0 / 3, 1.0 / 3}, 13);
  const InferenceResult r = Fit(syn.set, Method::kOneCoinDawidSkene);
  EXPECT_NEAR(r.worker_skill[0], 0.9, 0.03);
  EXPECT_NEAR(r.worker_skill[2], 0.6, 0.03);
  ASSERT_TRUE(r.model);
  // One-coin matrices: the diagonal is the skill, errors spread evenly.
  EXPECT_DOUBLE_EQ(r.model->confusion[0], r.worker_skill[0]);
  EXPECT_DOUBLE_EQ(r.model->confusion[1], (1 - r.worker_skill[0]) / 2);
  for (double p : r.model->class_prior) EXPECT_NEAR(p, 1.0 / 3, 1e-15);
}

TEST(Glad, EasyTasksGetHigherConfidenceThanContestedOnes) {
  // Five reliable workers; on "hard" they split 3:2, on "easy" they agree.
  std::vector<Row> rows;
  for (int t = 0; t < 20; ++t) {
    for (int w = 0; w < 5; ++w) {
      rows.push_back({"w" + std::to_string(w), "easy" + std::to_string(t), t % 2 ? "1" : "0"});
    }
  }
  for (int w = 0; w < 5; ++w) rows.push_back({"w" + std::to_string(w), "hard", w < 3 ? "1" : "0"});
  const AnswerSet s = Build(rows);
  const InferenceResult r = Fit(s, Method::kGlad);
  ExpectWellFormed(r, 2);
  EXPECT_EQ(s.labels[r.label[TaskIndex(s, "hard")]], "1");
  EXPECT_LT(r.confidence[TaskIndex(s, "hard")], r.confidence[TaskIndex(s, "easy0")]);
  EXPECT_GT(r.worker_skill[WorkerIndex(s, "w0")], 0.8);
}

TEST(Glad, StartsFromDawidSkeneUnlessAskedForTheVote) {
  EXPECT_EQ(InferenceOptions{}.glad_start, InferenceOptions::GladStart::kDawidSkene);
  // w0 and w1 agree everywhere; w2 agrees on half the tasks. The two starts differ (2 : 1 vote
  // shares against DS posteriors), so after one EM iteration a contested task's confidence
  // differs; run to convergence both agree on every label.
  std::vector<Row> rows;
  for (int t = 0; t < 40; ++t) {
    const std::string task = "t" + std::to_string(t), label = t % 2 ? "1" : "0";
    rows.push_back({"w0", task, label});
    rows.push_back({"w1", task, label});
    rows.push_back({"w2", task, t % 4 < 2 ? label : (t % 2 ? "0" : "1")});
  }
  const AnswerSet s = Build(rows);
  InferenceOptions one;
  one.max_iterations = 1;
  InferenceOptions vote_one = one;
  vote_one.glad_start = InferenceOptions::GladStart::kVote;
  auto from_ds = Infer(s, Method::kGlad, one);
  auto from_vote = Infer(s, Method::kGlad, vote_one);
  ASSERT_TRUE(from_ds && from_vote);
  const std::size_t contested = TaskIndex(s, "t2");
  EXPECT_GT(std::abs(from_ds->confidence[contested] - from_vote->confidence[contested]), 1e-3);
  EXPECT_EQ(s.labels[from_ds->label[contested]], "0");
  EXPECT_EQ(s.labels[from_vote->label[contested]], "0");
  InferenceOptions vote;
  vote.glad_start = InferenceOptions::GladStart::kVote;
  auto ds_converged = Infer(s, Method::kGlad);
  auto vote_converged = Infer(s, Method::kGlad, vote);
  ASSERT_TRUE(ds_converged && vote_converged);
  EXPECT_EQ(ds_converged->label, vote_converged->label);
}

TEST(Infer, OneLabelIsCertain) {
  const AnswerSet s = Build({{"a", "t1", "x"}, {"b", "t2", "x"}});
  for (Method m : kAllMethods) {
    const InferenceResult r = Fit(s, m);
    EXPECT_EQ(r.posterior, (std::vector<double>{1.0, 1.0})) << MethodName(m);
    EXPECT_EQ(r.confidence, (std::vector<double>{1.0, 1.0})) << MethodName(m);
  }
}

TEST(Infer, ATaskWithoutAnswersInAHandBuiltSetGetsAFiniteRow) {
  AnswerSet s = Build({{"a", "t1", "0"}, {"b", "t1", "1"}, {"a", "t2", "1"}});
  s.tasks.push_back("unanswered");
  for (Method m : kAllMethods) ExpectWellFormed(Fit(s, m), 2);
}

TEST(Infer, RejectsAnEmptySet) {
  for (Method m : kAllMethods) {
    auto r = Infer(AnswerSet{}, m);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(Infer, RejectsAnIndexOutOfRange) {
  AnswerSet s = Build({{"a", "t1", "0"}, {"b", "t1", "1"}});
  s.answers.push_back({0, 0, 2});  // label 2 of 2
  auto r = Infer(s, Method::kMajorityVote);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().details.at(0).field, "answers[2]");
  s.answers.back() = {5, 0, 0};  // task 5 of 1
  EXPECT_FALSE(Infer(s, Method::kDawidSkene));
  s.answers.back() = {0, 9, 0};  // worker 9 of 2
  EXPECT_FALSE(Infer(s, Method::kGlad));
}

TEST(Infer, RejectsOptionsOutOfRange) {
  const AnswerSet s = Build({{"a", "t1", "0"}, {"b", "t1", "1"}});
  auto expect_invalid = [&](const InferenceOptions& o, std::string_view field) {
    auto r = Infer(s, Method::kDawidSkene, o);
    ASSERT_FALSE(r) << field;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().details.at(0).field, field);
  };
  InferenceOptions o;
  o.max_iterations = 0;
  expect_invalid(o, "max_iterations");
  o = {};
  o.tolerance = 0;
  expect_invalid(o, "tolerance");
  o.tolerance = -1e-3;
  expect_invalid(o, "tolerance");
  o = {};
  o.prior = -1;
  expect_invalid(o, "prior");
  o.prior = std::nan("");
  expect_invalid(o, "prior");
}

TEST(Infer, RefusesConfusionTablesTooLargeToAllocate) {
  AnswerSet s;
  s.tasks = {"t"};
  s.workers = {"w"};
  s.labels.resize(20000);  // 1 worker × 20000² cells > 2^28
  s.answers = {{0, 0, 0}, {0, 0, 19999}};
  for (Method m : {Method::kDawidSkene, Method::kOneCoinDawidSkene}) {
    auto r = Infer(s, m);
    ASSERT_FALSE(r) << MethodName(m);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().details.at(0).code, "too_large");
  }
  EXPECT_TRUE(Infer(s, Method::kMajorityVote));
}

TEST(TaskPosterior, MatchesTheFittedPosteriorOfATask) {
  std::vector<std::vector<std::vector<double>>> confusion(5, OneCoin(0.75, 3));
  const Synthetic syn = MakeSynthetic(confusion, 500, {0.5, 0.3, 0.2}, 17);
  for (Method m : {Method::kDawidSkene, Method::kOneCoinDawidSkene}) {
    InferenceOptions o;
    o.tolerance = 1e-10;
    o.max_iterations = 1000;
    const InferenceResult r = Fit(syn.set, m, o);
    ASSERT_TRUE(r.model) << MethodName(m);
    for (std::uint32_t t : {0u, 1u, 250u}) {
      std::vector<Answer> answers;
      for (const Answer& a : syn.set.answers) {
        if (a.task == t) answers.push_back(a);
      }
      const std::vector<double> p = TaskPosterior(*r.model, answers);
      ASSERT_EQ(p.size(), 3u);
      for (std::size_t c = 0; c < 3; ++c) {
        EXPECT_NEAR(p[c], r.posterior[t * 3 + c], 1e-6) << MethodName(m) << " task " << t;
      }
    }
  }
}

TEST(TaskPosterior, UsesThePooledMatrixForANewWorkerAndSkipsUnknownLabels) {
  WorkerModel m;
  m.num_labels = 2;
  m.class_prior = {0.5, 0.5};
  m.confusion = {0.9, 0.1, 0.2, 0.8};  // one worker
  m.pooled_confusion = {0.6, 0.4, 0.4, 0.6};
  EXPECT_EQ(TaskPosterior(m, {}), (std::vector<double>{0.5, 0.5}));
  const std::vector<double> known = TaskPosterior(m, std::vector<Answer>{{0, 0, 0}});
  EXPECT_NEAR(known[0], 0.9 / (0.9 + 0.2), 1e-15);
  const std::vector<double> stranger = TaskPosterior(m, std::vector<Answer>{{0, 7, 1}});
  EXPECT_NEAR(stranger[1], 0.6, 1e-15);
  const std::vector<double> unknown_label =
      TaskPosterior(m, std::vector<Answer>{{0, 0, 0}, {0, 0, 5}});
  EXPECT_EQ(unknown_label, known);
}

TEST(TaskPosterior, ManyAnswersDoNotUnderflow) {
  WorkerModel m;
  m.num_labels = 2;
  m.class_prior = {0.5, 0.5};
  m.confusion = {0.6, 0.4, 0.4, 0.6};
  m.pooled_confusion = m.confusion;
  std::vector<Answer> answers(5000, Answer{0, 0, 1});
  answers[0].label = 0;
  const std::vector<double> p = TaskPosterior(m, answers);
  EXPECT_TRUE(std::isfinite(p[0]));
  EXPECT_NEAR(p[1], 1.0, 1e-12);
}

TEST(InferMultiLabel, AggregatesEachLabelAsPresentOrAbsent) {
  const std::vector<MultiLabelAnswer> answers = {
      {0, 0, {0, 1}}, {0, 1, {0}}, {0, 2, {2, 0}},  // task 0
      {1, 0, {}},     {1, 1, {1}}, {1, 2, {1}},     // task 1
  };
  auto r = InferMultiLabel(2, 3, 3, answers, Method::kMajorityVote);
  ASSERT_TRUE(r) << r.error().message;
  const std::vector<double> expected = {1.0, 1.0 / 3, 1.0 / 3, 0.0, 2.0 / 3, 0.0};
  ASSERT_EQ(r->probability.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(r->probability[i], expected[i], 1e-15);
  EXPECT_EQ(r->chosen, (std::vector<std::uint8_t>{1, 0, 0, 0, 1, 0}));
  for (Method m : kAllMethods) {
    auto other = InferMultiLabel(2, 3, 3, answers, m);
    ASSERT_TRUE(other) << MethodName(m);
    EXPECT_EQ(other->chosen[0], 1) << MethodName(m);
  }
}

TEST(InferMultiLabel, RejectsBadInput) {
  const std::vector<MultiLabelAnswer> ok = {{0, 0, {0}}};
  EXPECT_FALSE(InferMultiLabel(1, 1, 1, {}, Method::kMajorityVote));
  EXPECT_FALSE(InferMultiLabel(1, 1, 0, ok, Method::kMajorityVote));
  const std::vector<MultiLabelAnswer> bad_label = {{0, 0, {3}}};
  auto r = InferMultiLabel(1, 1, 2, bad_label, Method::kMajorityVote);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  const std::vector<MultiLabelAnswer> bad_worker = {{0, 4, {0}}};
  EXPECT_FALSE(InferMultiLabel(1, 1, 2, bad_worker, Method::kMajorityVote));
  InferenceOptions o;
  o.tolerance = 0;
  EXPECT_FALSE(InferMultiLabel(1, 1, 1, ok, Method::kDawidSkene, o));
}

}  // namespace
}  // namespace fw::quality
