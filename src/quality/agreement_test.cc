#include "quality/agreement.h"

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace fw::quality {
namespace {

constexpr std::optional<double> kMissing = std::nullopt;

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four observers
// A-D, twelve units, values 1..5, '.' missing.
ReliabilityData PublishedExample() {
  ReliabilityData d;
  d.coders = 4;
  d.units = 12;
  const std::optional<double> m = kMissing;
  d.values = {
      1, 2, 3, 3, 2, 1, 4, 1, 2, m, m, m,  // A
      1, 2, 3, 3, 2, 2, 4, 1, 2, 5, m, 3,  // B
      m, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, m,  // C
      1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, m,  // D
  };
  return d;
}

// Builds an AnswerSet by hand (answers.cc's builder is not needed): tasks, workers and labels
// are the given names; each answer is (task, worker, label) indices.
AnswerSet MakeSet(std::size_t tasks, std::size_t workers, std::vector<std::string> labels,
                  const std::vector<Answer>& answers) {
  AnswerSet set;
  for (std::size_t t = 0; t < tasks; ++t) set.tasks.push_back("t" + std::to_string(t));
  for (std::size_t w = 0; w < workers; ++w) set.workers.push_back("w" + std::to_string(w));
  set.labels = std::move(labels);
  set.answers = answers;
  return set;
}

// The published example as answers: workers are observers, labels "1".."5".
AnswerSet PublishedExampleAsAnswers() {
  const ReliabilityData d = PublishedExample();
  std::vector<Answer> answers;
  for (std::uint32_t c = 0; c < d.coders; ++c) {
    for (std::uint32_t u = 0; u < d.units; ++u) {
      const auto& v = d.values[c * d.units + u];
      if (v) answers.push_back({u, c, static_cast<std::uint32_t>(*v - 1)});
    }
  }
  return MakeSet(d.units, d.coders, {"1", "2", "3", "4", "5"}, answers);
}

double Round3(double x) { return std::round(x * 1000) / 1000; }

// `r` failed with kInvalidArgument, and its first detail has code `detail_code`.
template <typename T>
void ExpectInvalidArgument(const Result<T>& r, const std::string& detail_code) {
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().details.at(0).code, detail_code);
}

// `r` failed with kUnprocessable, reason "no_variation".
template <typename T>
void ExpectNoVariation(const Result<T>& r) {
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(r.error().reason, "no_variation");
}

// Parallel label sequences from a 2x2 table (a yes/no, b yes/no counts).
void Table(std::size_t yy, std::size_t yn, std::size_t ny, std::size_t nn,
           std::vector<std::uint32_t>& a, std::vector<std::uint32_t>& b) {
  auto add = [&](std::size_t count, std::uint32_t x, std::uint32_t y) {
    for (std::size_t i = 0; i < count; ++i) {
      a.push_back(x);
      b.push_back(y);
    }
  };
  add(yy, 1, 1);
  add(yn, 1, 0);
  add(ny, 0, 1);
  add(nn, 0, 0);
}

// ------------------------------------------------------------------------- Krippendorff's alpha

TEST(KrippendorffAlpha, MatchesPublishedNominalExample) {
  EXPECT_EQ(Round3(KrippendorffAlpha(PublishedExample(), AlphaLevel::kNominal).value()), 0.743);
}

TEST(KrippendorffAlpha, MatchesPublishedOrdinalExample) {
  EXPECT_EQ(Round3(KrippendorffAlpha(PublishedExample(), AlphaLevel::kOrdinal).value()), 0.815);
}

TEST(KrippendorffAlpha, MatchesPublishedIntervalExample) {
  EXPECT_EQ(Round3(KrippendorffAlpha(PublishedExample(), AlphaLevel::kInterval).value()), 0.849);
}

TEST(KrippendorffAlpha, MatchesPublishedRatioExample) {
  EXPECT_EQ(Round3(KrippendorffAlpha(PublishedExample(), AlphaLevel::kRatio).value()), 0.797);
}

TEST(KrippendorffAlpha, NominalIsExactRational) {
  // By hand: n = 40 pairable values, off-diagonal coincidences sum to 8, and the marginals
  // give n^2 - sum n_c^2 = 1216, so alpha = 1 - 39 * 8 / 1216 = 113/152.
  EXPECT_NEAR(KrippendorffAlpha(PublishedExample(), AlphaLevel::kNominal).value(), 113.0 / 152,
              1e-12);
}

TEST(KrippendorffAlpha, AnswerSetMatchesPublishedExample) {
  const AnswerSet set = PublishedExampleAsAnswers();
  EXPECT_EQ(Round3(KrippendorffAlpha(set, AlphaLevel::kNominal).value()), 0.743);
  EXPECT_EQ(Round3(KrippendorffAlpha(set, AlphaLevel::kOrdinal).value()), 0.815);
  EXPECT_EQ(Round3(KrippendorffAlpha(set, AlphaLevel::kInterval).value()), 0.849);
  EXPECT_EQ(Round3(KrippendorffAlpha(set, AlphaLevel::kRatio).value()), 0.797);
}

TEST(KrippendorffAlpha, OrdinalDependsOnlyOnRankOrder) {
  // Replacing 1..5 with 10, 20, 300, 4000, 50000 keeps the order: ordinal alpha is unchanged,
  // interval alpha is not.
  ReliabilityData d = PublishedExample();
  const double mapped[] = {10, 20, 300, 4000, 50000};
  for (auto& v : d.values) {
    if (v) v = mapped[static_cast<int>(*v) - 1];
  }
  const ReliabilityData original = PublishedExample();
  EXPECT_NEAR(KrippendorffAlpha(d, AlphaLevel::kOrdinal).value(),
              KrippendorffAlpha(original, AlphaLevel::kOrdinal).value(), 1e-12);
  EXPECT_GT(std::abs(KrippendorffAlpha(d, AlphaLevel::kInterval).value() -
                     KrippendorffAlpha(original, AlphaLevel::kInterval).value()),
            0.01);
}

TEST(KrippendorffAlpha, PerfectAgreementIsOne) {
  ReliabilityData d{2, 3, {1, 2, 3, 1, 2, 3}};
  for (AlphaLevel level :
       {AlphaLevel::kNominal, AlphaLevel::kOrdinal, AlphaLevel::kInterval, AlphaLevel::kRatio}) {
    EXPECT_EQ(KrippendorffAlpha(d, level).value(), 1.0);
  }
}

TEST(KrippendorffAlpha, UnitsWithOneValueAreIgnored) {
  ReliabilityData d = PublishedExample();
  const double before = KrippendorffAlpha(d, AlphaLevel::kInterval).value();
  // A thirteenth unit seen by observer A only, with a value nobody else used.
  ReliabilityData more;
  more.coders = 4;
  more.units = 13;
  for (std::size_t c = 0; c < 4; ++c) {
    for (std::size_t u = 0; u < 12; ++u) more.values.push_back(d.values[c * 12 + u]);
    more.values.push_back(c == 0 ? std::optional<double>(99) : kMissing);
  }
  EXPECT_EQ(KrippendorffAlpha(more, AlphaLevel::kInterval).value(), before);
}

TEST(KrippendorffAlpha, RepeatedAnswersOfOneWorkerAllCount) {
  // Worker 0 answers task 0 twice; that is the same as a third coder for the task.
  const AnswerSet set =
      MakeSet(2, 2, {"a", "b"}, {{0, 0, 0}, {0, 0, 1}, {0, 1, 0}, {1, 0, 1}, {1, 1, 1}});
  ReliabilityData d{3, 2, {0, 1, 1, kMissing, 0, 1}};
  EXPECT_NEAR(KrippendorffAlpha(set, AlphaLevel::kNominal).value(),
              KrippendorffAlpha(d, AlphaLevel::kNominal).value(), 1e-15);
}

TEST(KrippendorffAlpha, WorksOnParsedAnswers) {
  // Labels "2", "10", "30" order numerically, so ordinal alpha sees 2 < 10 < 30 and interval
  // alpha the label values themselves.
  auto set = ParseAnswersCsv(
                 "worker,task,label\n"
                 "w1,t1,2\nw2,t1,2\n"
                 "w1,t2,10\nw2,t2,30\n"
                 "w1,t3,30\nw2,t3,30\nw3,t3,10\n")
                 .value();
  const std::optional<double> m = kMissing;
  ReliabilityData d{3, 3, {2, 10, 30, 2, 30, 30, m, m, 10}};
  EXPECT_NEAR(KrippendorffAlpha(set, AlphaLevel::kInterval).value(),
              KrippendorffAlpha(d, AlphaLevel::kInterval).value(), 1e-12);
  EXPECT_NEAR(KrippendorffAlpha(set, AlphaLevel::kOrdinal).value(),
              KrippendorffAlpha(d, AlphaLevel::kOrdinal).value(), 1e-12);
}

TEST(KrippendorffAlpha, WrongSizeIsInvalidArgument) {
  ReliabilityData d{2, 3, {1, 2, 3}};
  auto r = KrippendorffAlpha(d, AlphaLevel::kNominal);
  ExpectInvalidArgument(r, "size_mismatch");
}

TEST(KrippendorffAlpha, NoPairableUnitIsInvalidArgument) {
  ReliabilityData d{2, 2, {1, kMissing, kMissing, 2}};
  auto r = KrippendorffAlpha(d, AlphaLevel::kNominal);
  ExpectInvalidArgument(r, "not_pairable");
}

TEST(KrippendorffAlpha, EmptyAnswerSetIsInvalidArgument) {
  auto r = KrippendorffAlpha(MakeSet(0, 0, {}, {}), AlphaLevel::kNominal);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

TEST(KrippendorffAlpha, NoVariationIsUnprocessable) {
  // Unit 2's lone 7 is not pairable, so every pairable value is 3.
  ReliabilityData d{2, 3, {3, 3, 7, 3, 3, kMissing}};
  for (AlphaLevel level :
       {AlphaLevel::kNominal, AlphaLevel::kOrdinal, AlphaLevel::kInterval, AlphaLevel::kRatio}) {
    auto r = KrippendorffAlpha(d, level);
    ExpectNoVariation(r);
  }
}

TEST(KrippendorffAlpha, NonFiniteValueIsInvalidArgument) {
  ReliabilityData d{2, 2, {1, 2, std::nan(""), 2}};
  auto r = KrippendorffAlpha(d, AlphaLevel::kInterval);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().details.at(0).field, "values[2]");
}

TEST(KrippendorffAlpha, NegativeRatioValueIsInvalidArgument) {
  ReliabilityData d{2, 2, {1, -2, 1, -2}};
  EXPECT_TRUE(KrippendorffAlpha(d, AlphaLevel::kInterval));
  auto r = KrippendorffAlpha(d, AlphaLevel::kRatio);
  ExpectInvalidArgument(r, "out_of_range");
}

TEST(KrippendorffAlpha, NonNumericLabelIsInvalidArgumentForIntervalAndRatio) {
  const AnswerSet set =
      MakeSet(2, 2, {"1", "2", "high"}, {{0, 0, 0}, {0, 1, 2}, {1, 0, 1}, {1, 1, 1}});
  EXPECT_TRUE(KrippendorffAlpha(set, AlphaLevel::kNominal));
  EXPECT_TRUE(KrippendorffAlpha(set, AlphaLevel::kOrdinal));
  for (AlphaLevel level : {AlphaLevel::kInterval, AlphaLevel::kRatio}) {
    auto r = KrippendorffAlpha(set, level);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find("\"high\""), std::string::npos);
    EXPECT_EQ(r.error().details.at(0).code, "not_a_number");
  }
}

TEST(KrippendorffAlpha, UnusedNonNumericLabelIsAllowed) {
  const AnswerSet set =
      MakeSet(2, 2, {"1", "2", "n/a"}, {{0, 0, 0}, {0, 1, 1}, {1, 0, 1}, {1, 1, 1}});
  EXPECT_TRUE(KrippendorffAlpha(set, AlphaLevel::kInterval));
}

// ---------------------------------------------------------------------------- Fleiss' kappa

// Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories.
AnswerSet WikipediaFleissExample() {
  const int table[10][5] = {{0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0},
                            {2, 2, 8, 1, 1},  {7, 7, 0, 0, 0}, {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2},
                            {6, 5, 2, 1, 0},  {0, 2, 2, 3, 7}};
  std::vector<Answer> answers;
  for (std::uint32_t t = 0; t < 10; ++t) {
    std::uint32_t worker = 0;
    for (std::uint32_t l = 0; l < 5; ++l) {
      for (int i = 0; i < table[t][l]; ++i) answers.push_back({t, worker++, l});
    }
  }
  return MakeSet(10, 14, {"1", "2", "3", "4", "5"}, answers);
}

TEST(FleissKappa, MatchesWikipediaExample) {
  auto r = FleissKappa(WikipediaFleissExample()).value();
  EXPECT_EQ(Round3(r.kappa), 0.210);
  EXPECT_EQ(r.tasks, 10u);
  EXPECT_EQ(r.skipped, 0u);
  EXPECT_EQ(r.raters, 14u);
}

TEST(FleissKappa, SkipsTasksWithAnotherAnswerCount) {
  AnswerSet set = WikipediaFleissExample();
  // Two more tasks: one with a single answer, one with none.
  set.tasks.push_back("extra1");
  set.tasks.push_back("extra2");
  set.answers.push_back({10, 0, 0});
  auto r = FleissKappa(set).value();
  EXPECT_EQ(Round3(r.kappa), 0.210);
  EXPECT_EQ(r.tasks, 10u);
  EXPECT_EQ(r.skipped, 2u);
}

TEST(FleissKappa, ExplicitRatersSelectsTasks) {
  // Tasks 0-1 have three answers, task 2 has two.
  const AnswerSet set = MakeSet(
      3, 3, {"a", "b"},
      {{0, 0, 0}, {0, 1, 0}, {0, 2, 0}, {1, 0, 1}, {1, 1, 1}, {1, 2, 1}, {2, 0, 0}, {2, 1, 1}});
  auto three = FleissKappa(set, 3).value();
  EXPECT_EQ(three.kappa, 1.0);
  EXPECT_EQ(three.tasks, 2u);
  EXPECT_EQ(three.skipped, 1u);
  // With two raters only task 2 qualifies, and its raters disagree: P = 0, P_e = 1/2.
  auto two = FleissKappa(set, 2).value();
  EXPECT_EQ(two.kappa, -1.0);
  EXPECT_EQ(two.tasks, 1u);
}

TEST(FleissKappa, ModeTieGoesToTheLargerCount) {
  const AnswerSet set =
      MakeSet(2, 3, {"a", "b"}, {{0, 0, 0}, {0, 1, 1}, {1, 0, 0}, {1, 1, 0}, {1, 2, 1}});
  EXPECT_EQ(FleissKappa(set).value().raters, 3u);
}

TEST(FleissKappa, OneRaterIsInvalidArgument) {
  const AnswerSet set = MakeSet(2, 1, {"a", "b"}, {{0, 0, 0}, {1, 0, 1}});
  for (std::size_t raters : {0u, 1u}) {
    auto r = FleissKappa(set, raters);
    ExpectInvalidArgument(r, "out_of_range");
  }
}

TEST(FleissKappa, NoQualifyingTaskIsInvalidArgument) {
  auto r = FleissKappa(WikipediaFleissExample(), 5);
  ExpectInvalidArgument(r, "no_tasks");
}

TEST(FleissKappa, EmptySetIsInvalidArgument) {
  auto r = FleissKappa(MakeSet(0, 0, {}, {}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

TEST(FleissKappa, OneLabelIsNoVariation) {
  const AnswerSet set = MakeSet(2, 2, {"a", "b"}, {{0, 0, 1}, {0, 1, 1}, {1, 0, 1}, {1, 1, 1}});
  auto r = FleissKappa(set);
  ExpectNoVariation(r);
}

// ----------------------------------------------------------------------------- Cohen's kappa

TEST(CohenKappa, MatchesWikipediaProposalsExample) {
  // 50 grant proposals: both yes 20, A yes B no 5, A no B yes 10, both no 15.
  std::vector<std::uint32_t> a, b;
  Table(20, 5, 10, 15, a, b);
  EXPECT_NEAR(CohenKappa(a, b, 2).value(), 0.4, 1e-12);
}

TEST(CohenKappa, AnswerSetWithTwoWorkersMatchesSequences) {
  std::vector<std::uint32_t> a, b;
  Table(20, 5, 10, 15, a, b);
  std::vector<Answer> answers;
  for (std::uint32_t t = 0; t < a.size(); ++t) {
    answers.push_back({t, 0, a[t]});
    answers.push_back({t, 1, b[t]});
  }
  auto r = CohenKappa(MakeSet(a.size(), 2, {"no", "yes"}, answers)).value();
  EXPECT_NEAR(r.kappa, 0.4, 1e-12);
  EXPECT_EQ(r.pairs, 1u);
  EXPECT_EQ(r.tasks, 50u);
}

TEST(CohenKappa, PerfectAgreementIsOne) {
  std::vector<std::uint32_t> a = {0, 1, 2, 2, 1};
  EXPECT_EQ(CohenKappa(a, a, 3).value(), 1.0);
}

TEST(CohenKappa, ChanceAgreementIsZero) {
  std::vector<std::uint32_t> a, b;
  Table(1, 1, 1, 1, a, b);
  EXPECT_EQ(CohenKappa(a, b, 2).value(), 0.0);
}

TEST(CohenKappa, TasksAnsweredByOneWorkerAreIgnored) {
  std::vector<Answer> answers = {{0, 0, 0}, {0, 1, 0}, {1, 0, 1}, {1, 1, 1},
                                 {2, 0, 1}, {2, 1, 0}, {3, 0, 0}, {3, 1, 0}};
  const double base = CohenKappa(MakeSet(4, 2, {"a", "b"}, answers)).value().kappa;
  // Tasks 4 and 5: only one worker each (the other's value is missing).
  answers.push_back({4, 0, 1});
  answers.push_back({5, 1, 1});
  auto r = CohenKappa(MakeSet(6, 2, {"a", "b"}, answers)).value();
  EXPECT_EQ(r.kappa, base);
  EXPECT_EQ(r.tasks, 4u);
}

TEST(CohenKappa, OnlyTheFirstAnswerPerTaskCounts) {
  std::vector<Answer> answers = {{0, 0, 0}, {0, 1, 0}, {1, 0, 1}, {1, 1, 1}};
  EXPECT_EQ(CohenKappa(MakeSet(2, 2, {"a", "b"}, answers)).value().kappa, 1.0);
  answers.push_back({0, 0, 1});  // a later second answer by worker 0 to task 0
  EXPECT_EQ(CohenKappa(MakeSet(2, 2, {"a", "b"}, answers)).value().kappa, 1.0);
}

// Three workers: w0 = 0 0 1 1 0 1, w1 = 0 1 1 1 0 0, w2 = 0 0 1 0 . . (hand-computed pair
// kappas 1/3, 1/2, 1/5).
AnswerSet ThreeWorkers() {
  const int w[3][6] = {{0, 0, 1, 1, 0, 1}, {0, 1, 1, 1, 0, 0}, {0, 0, 1, 0, -1, -1}};
  std::vector<Answer> answers;
  for (std::uint32_t t = 0; t < 6; ++t) {
    for (std::uint32_t k = 0; k < 3; ++k) {
      if (w[k][t] >= 0) answers.push_back({t, k, static_cast<std::uint32_t>(w[k][t])});
    }
  }
  return MakeSet(6, 3, {"a", "b"}, answers);
}

TEST(CohenKappa, ManyWorkersAverageThePairs) {
  auto r = CohenKappa(ThreeWorkers()).value();
  EXPECT_NEAR(r.kappa, (1.0 / 3 + 1.0 / 2 + 1.0 / 5) / 3, 1e-12);
  EXPECT_EQ(r.pairs, 3u);
  EXPECT_EQ(r.tasks, 6u + 4u + 4u);
}

TEST(CohenKappa, MinOverlapFiltersPairs) {
  auto r = CohenKappa(ThreeWorkers(), 5).value();
  EXPECT_NEAR(r.kappa, 1.0 / 3, 1e-12);
  EXPECT_EQ(r.pairs, 1u);
}

TEST(CohenKappa, PairsWithoutVariationAreLeftOut) {
  AnswerSet set = ThreeWorkers();
  // Workers 3 and 4 answer task 0 only, where everybody said "a": every pair with them has one
  // common label and no kappa, so the mean is that of the first three workers.
  set.workers.push_back("w3");
  set.workers.push_back("w4");
  set.answers.push_back({0, 3, 0});
  set.answers.push_back({0, 4, 0});
  auto r = CohenKappa(set).value();
  EXPECT_NEAR(r.kappa, (1.0 / 3 + 1.0 / 2 + 1.0 / 5) / 3, 1e-12);
}

TEST(CohenKappa, NoVariationIsUnprocessable) {
  std::vector<std::uint32_t> a = {1, 1, 1};
  auto r = CohenKappa(a, a, 2);
  ExpectNoVariation(r);

  const AnswerSet set = MakeSet(2, 2, {"a", "b"}, {{0, 0, 1}, {0, 1, 1}, {1, 0, 1}, {1, 1, 1}});
  auto s = CohenKappa(set);
  ExpectNoVariation(s);
}

TEST(CohenKappa, OneRaterWithoutVariationIsStillDefined) {
  // b always says 1, a does not: p_e = 1/2, kappa = 0.
  std::vector<std::uint32_t> a = {0, 1}, b = {1, 1};
  EXPECT_EQ(CohenKappa(a, b, 2).value(), 0.0);
}

TEST(CohenKappa, NoPairWithEnoughOverlapIsInvalidArgument) {
  auto r = CohenKappa(ThreeWorkers(), 7);
  ExpectInvalidArgument(r, "no_pairs");

  // Two workers who never answered the same task.
  auto s = CohenKappa(MakeSet(2, 2, {"a", "b"}, {{0, 0, 0}, {1, 1, 1}}));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
}

TEST(CohenKappa, LengthMismatchIsInvalidArgument) {
  auto r = CohenKappa({0, 1}, {0}, 2);
  ExpectInvalidArgument(r, "size_mismatch");
}

TEST(CohenKappa, EmptySequencesAreInvalidArgument) {
  auto r = CohenKappa({}, {}, 2);
  ExpectInvalidArgument(r, "empty");
}

TEST(CohenKappa, LabelOutOfRangeIsInvalidArgument) {
  auto r = CohenKappa({0, 1}, {0, 2}, 2);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().details.at(0).field, "b[1]");
  EXPECT_EQ(r.error().details.at(0).code, "out_of_range");
}

}  // namespace
}  // namespace fw::quality
