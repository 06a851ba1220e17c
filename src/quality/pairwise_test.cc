#include "quality/pairwise.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace fw::quality {
namespace {

// ------------------------------------------------------------------------------ helpers

// Uniform in [0, 1) from the standard-specified mt19937_64, so the data does not depend on
// the standard library's distribution implementations.
double Uniform(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// `count` comparisons between random pairs of responses with log-strengths `theta`, decided by
// the Bradley–Terry model.
ComparisonSet Synthetic(const std::vector<double>& theta, std::size_t count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  ComparisonSet set;
  const auto n = static_cast<std::uint32_t>(theta.size());
  for (std::uint32_t i = 0; i < n; ++i) set.responses.push_back("r" + std::to_string(i));
  for (int i = 0; i < 20; ++i) set.tasks.push_back("t" + std::to_string(i));
  for (int i = 0; i < 7; ++i) set.workers.push_back("w" + std::to_string(i));
  for (std::size_t i = 0; i < count; ++i) {
    Comparison c;
    c.task = static_cast<std::uint32_t>(i % 20);
    c.worker = static_cast<std::uint32_t>(i % 7);
    c.a = static_cast<std::uint32_t>(rng() % n);
    c.b = static_cast<std::uint32_t>((c.a + 1 + rng() % (n - 1)) % n);
    const double p_a = 1 / (1 + std::exp(theta[c.b] - theta[c.a]));
    c.outcome = Uniform(rng) < p_a ? Outcome::kA : Outcome::kB;
    set.comparisons.push_back(c);
  }
  return set;
}

// A set over responses r0..r{n-1}, tasks t0..t{tasks-1} and one worker.
ComparisonSet Manual(std::size_t responses, std::size_t tasks,
                     const std::vector<Comparison>& comparisons) {
  ComparisonSet set;
  for (std::size_t i = 0; i < responses; ++i) set.responses.push_back("r" + std::to_string(i));
  for (std::size_t i = 0; i < tasks; ++i) set.tasks.push_back("t" + std::to_string(i));
  set.workers.push_back("w0");
  set.comparisons = comparisons;
  return set;
}

Comparison C(std::uint32_t task, std::uint32_t a, std::uint32_t b, Outcome outcome) {
  Comparison c;
  c.task = task;
  c.a = a;
  c.b = b;
  c.outcome = outcome;
  return c;
}

// `r` failed with kInvalidArgument and exactly one detail, naming `field` with `code`.
template <typename T>
void ExpectInvalidArgument(const Result<T>& r, const std::string& field, const std::string& code) {
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(r.error().details.size(), 1u);
  EXPECT_EQ(r.error().details[0].field, field);
  EXPECT_EQ(r.error().details[0].code, code);
}

// As above, and the message starts with `message`.
void ExpectInvalidArgument(const Result<ComparisonSet>& r, const std::string& message,
                           const std::string& field, const std::string& code) {
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.substr(0, message.size()), message) << r.error().message;
  ExpectInvalidArgument(r, field, code);
}

// --------------------------------------------------------------------------- ParseComparisons

TEST(ParseComparisons, ReadsCsv) {
  auto set = ParseComparisons(
                 "worker,task,left,right,label\n"
                 "w1,t1,r1,r2,left\n"
                 "w2,t1,r1,r2,right\n"
                 "w1,t2,r3,r1,tie\n")
                 .value();
  EXPECT_EQ(set.workers, (std::vector<std::string>{"w1", "w2"}));
  EXPECT_EQ(set.tasks, (std::vector<std::string>{"t1", "t2"}));
  EXPECT_EQ(set.responses, (std::vector<std::string>{"r1", "r2", "r3"}));
  ASSERT_EQ(set.comparisons.size(), 3u);
  const Comparison& last = set.comparisons[2];
  EXPECT_EQ(last.worker, 0u);
  EXPECT_EQ(last.task, 1u);
  EXPECT_EQ(last.a, 2u);
  EXPECT_EQ(last.b, 0u);
  EXPECT_EQ(last.outcome, Outcome::kTie);
  EXPECT_EQ(set.comparisons[0].outcome, Outcome::kA);
  EXPECT_EQ(set.comparisons[1].outcome, Outcome::kB);
}

TEST(ParseComparisons, AcceptsColumnsInAnyOrderExtraColumnsAndAbLabels) {
  auto set = ParseComparisons(
                 "Label,note,Right,Left,Task,Worker\n"
                 "A,x,r2,r1,t1,w1\n"
                 "b,y,r2,r1,t1,w1\n"
                 "TIE,z,r2,r1,t1,w1\n")
                 .value();
  ASSERT_EQ(set.comparisons.size(), 3u);
  EXPECT_EQ(set.responses, (std::vector<std::string>{"r1", "r2"}));
  EXPECT_EQ(set.comparisons[0].a, 0u);
  EXPECT_EQ(set.comparisons[0].b, 1u);
  EXPECT_EQ(set.comparisons[0].outcome, Outcome::kA);
  EXPECT_EQ(set.comparisons[1].outcome, Outcome::kB);
  EXPECT_EQ(set.comparisons[2].outcome, Outcome::kTie);
}

TEST(ParseComparisons, AcceptsBomCrlfBlankLinesAndQuotedFields) {
  auto set = ParseComparisons(
                 "\xEF\xBB\xBFworker,task,left,right,label\r\n"
                 "\"w,1\",\"t \"\"one\"\"\",r1,r2,left\r\n"
                 "\r\n"
                 "w2,\"two\nlines\",\"r1\" ,r2,right\r\n")
                 .value();
  EXPECT_EQ(set.workers, (std::vector<std::string>{"w,1", "w2"}));
  EXPECT_EQ(set.tasks, (std::vector<std::string>{"t \"one\"", "two\nlines"}));
  EXPECT_EQ(set.responses, (std::vector<std::string>{"r1", "r2"}));
  ASSERT_EQ(set.comparisons.size(), 2u);
  EXPECT_EQ(set.comparisons[1].outcome, Outcome::kB);
}

TEST(ParseComparisons, HeaderOnlyGivesAnEmptySet) {
  auto set = ParseComparisons("worker,task,left,right,label\n").value();
  EXPECT_TRUE(set.comparisons.empty());
}

TEST(ParseComparisons, BadLabelNamesTheLine) {
  auto r = ParseComparisons(
      "worker,task,left,right,label\n"
      "w1,t1,r1,r2,left\n"
      "w1,t2,r1,r2,left\n"
      "\n"
      "w1,t3,r1,r2,left\n"
      "w1,t4,r1,r2,left\n"
      "w1,t5,r1,r2,better\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().message, "line 7: label must be left, right or tie");
  ASSERT_EQ(r.error().details.size(), 1u);
  EXPECT_EQ(r.error().details[0].field, "line 7");
  EXPECT_EQ(r.error().details[0].code, "bad_label");
}

TEST(ParseComparisons, LinesInsideQuotedFieldsAreCounted) {
  ExpectInvalidArgument(ParseComparisons("worker,task,left,right,label\r\n"
                                         "w1,\"a\r\nb\r\nc\",r1,r2,left\r\n"
                                         "w1,t,r1,r2,up\r\n"),
                        "line 5: ", "line 5", "bad_label");
}

TEST(ParseComparisons, EmptyTextIsInvalidArgument) {
  for (const char* text : {"", " \r\n\n", "\xEF\xBB\xBF"}) {
    ExpectInvalidArgument(ParseComparisons(text), "comparisons are empty", "text", "empty");
  }
}

TEST(ParseComparisons, MissingColumnIsInvalidArgument) {
  ExpectInvalidArgument(ParseComparisons("\nworker,task,left,label\nw,t,a,left\n"),
                        "line 2: header has no column \"right\"", "line 2", "missing_column");
}

TEST(ParseComparisons, TooFewFieldsIsInvalidArgument) {
  ExpectInvalidArgument(ParseComparisons("worker,task,left,right,label\nw1,t1,r1,r2\n"),
                        "line 2: ", "line 2", "too_few_fields");
}

TEST(ParseComparisons, EmptyFieldIsInvalidArgument) {
  ExpectInvalidArgument(ParseComparisons("worker,task,left,right,label\nw1,,r1,r2,left\n"),
                        "line 2: task is empty", "line 2", "required");
}

TEST(ParseComparisons, SameResponseOnBothSidesIsInvalidArgument) {
  ExpectInvalidArgument(ParseComparisons("worker,task,left,right,label\nw1,t1,r1,r1,tie\n"),
                        "line 2: left and right must differ", "line 2", "same_response");
}

TEST(ParseComparisons, UnterminatedQuoteIsInvalidArgument) {
  ExpectInvalidArgument(
      ParseComparisons("worker,task,left,right,label\nw1,t1,r1,r2,left\nw1,\"t1,r1,r2,left\n"),
      "line 3: ", "line 3", "unterminated_quote");
}

TEST(ParseComparisons, TextAfterClosingQuoteIsInvalidArgument) {
  ExpectInvalidArgument(ParseComparisons("worker,task,left,right,label\nw1,\"t\"x,r1,r2,left\n"),
                        "line 2: ", "line 2", "bad_quote");
}

TEST(ParseComparisons, ReadsJsonl) {
  auto set =
      ParseComparisons(
          "{\"worker\":\"w1\",\"task\":17,\"left\":\"r1\",\"right\":\"r2\",\"label\":\"a\"}\r\n"
          "\n"
          "{\"worker\":\"w2\",\"task\":17,\"left\":\"r2\",\"right\":\"r1\",\"label\":\"tie\","
          "\"note\":[1]}\n")
          .value();
  EXPECT_EQ(set.tasks, (std::vector<std::string>{"17"}));
  EXPECT_EQ(set.workers, (std::vector<std::string>{"w1", "w2"}));
  ASSERT_EQ(set.comparisons.size(), 2u);
  EXPECT_EQ(set.comparisons[0].outcome, Outcome::kA);
  EXPECT_EQ(set.comparisons[1].a, 1u);
  EXPECT_EQ(set.comparisons[1].outcome, Outcome::kTie);
}

TEST(ParseComparisons, JsonlErrorsNameTheLine) {
  const std::string good =
      "{\"worker\":\"w\",\"task\":\"t\",\"left\":\"a\",\"right\":\"b\",\"label\":\"left\"}\n";
  ExpectInvalidArgument(ParseComparisons(good + "{\"worker\":\n"), "line 2: not valid JSON",
                        "line 2", "invalid_json");
  ExpectInvalidArgument(ParseComparisons(good + "\n[1, 2]\n"), "line 3: must be a JSON object",
                        "line 3", "type");
  ExpectInvalidArgument(
      ParseComparisons(good + "{\"worker\":\"w\",\"left\":\"a\",\"right\":\"b\",\"label\":\"a\"}"),
      "line 2: task is required", "line 2", "required");
  ExpectInvalidArgument(ParseComparisons(good + "{\"worker\":1.5,\"task\":\"t\",\"left\":\"a\","
                                                "\"right\":\"b\",\"label\":\"a\"}"),
                        "line 2: worker must be a string or an integer", "line 2", "type");
  ExpectInvalidArgument(ParseComparisons(good + "{\"worker\":\"w\",\"task\":\"t\",\"left\":\"a\","
                                                "\"right\":\"b\",\"label\":1}"),
                        "line 2: label must be a string", "line 2", "type");
  ExpectInvalidArgument(ParseComparisons(good + "{\"worker\":\"w\",\"task\":\"t\",\"left\":\"a\","
                                                "\"right\":\"b\",\"label\":\"both\"}"),
                        "line 2: label must be left, right or tie", "line 2", "bad_label");
  ExpectInvalidArgument(ParseComparisons(good + "{\"worker\":\"w\",\"task\":\"t\",\"left\":\"a\","
                                                "\"right\":\"a\",\"label\":\"a\"}"),
                        "line 2: left and right must differ", "line 2", "same_response");
  ExpectInvalidArgument(ParseComparisons(good + "{\"worker\":\"\",\"task\":\"t\",\"left\":\"a\","
                                                "\"right\":\"b\",\"label\":\"a\"}"),
                        "line 2: worker is empty", "line 2", "required");
}

// ------------------------------------------------------------------------------ Bradley–Terry

TEST(BradleyTerry, RecoversTheOrderOfKnownStrengths) {
  const std::vector<double> theta = {-1.5, 0.9, -0.3, 1.5, 0.3, -0.9};
  auto r = BradleyTerry(Synthetic(theta, 3000, 42)).value();
  EXPECT_TRUE(r.converged);
  for (std::size_t i = 0; i < theta.size(); ++i) {
    for (std::size_t j = 0; j < theta.size(); ++j) {
      if (theta[i] < theta[j]) {
        EXPECT_LT(r.score[i], r.score[j]) << i << " vs " << j;
      }
    }
    EXPECT_NEAR(r.score[i], theta[i], 0.25);
    EXPECT_LT(r.ci_low[i], r.score[i]);
    EXPECT_GT(r.ci_high[i], r.score[i]);
  }
  double sum = 0;
  for (double s : r.score) sum += s;
  EXPECT_NEAR(sum, 0, 1e-12);
}

TEST(BradleyTerry, ConfidenceIntervalContainsTheTruthInASimpleCase) {
  const std::vector<double> theta = {-0.5, 0.5};
  auto r = BradleyTerry(Synthetic(theta, 400, 7)).value();
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_LE(r.ci_low[i], theta[i]);
    EXPECT_GE(r.ci_high[i], theta[i]);
  }
  // Two responses: the centred scores are ±d/2, so are their intervals.
  EXPECT_NEAR(r.score[0], -r.score[1], 1e-12);
  EXPECT_NEAR(r.ci_high[0] - r.ci_low[0], r.ci_high[1] - r.ci_low[1], 1e-12);
}

TEST(BradleyTerry, ConfidenceIntervalsCoverAtTheNominalRate) {
  // 100 seeded replications x 5 responses: at 95 % about 475 of 500 intervals hold the truth.
  // Standard errors off by a factor of sqrt(2) either way would give about 415 or 497.
  const std::vector<double> theta = {-1, -0.5, 0, 0.5, 1};
  int covered = 0;
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    auto r = BradleyTerry(Synthetic(theta, 500, seed)).value();
    for (std::size_t i = 0; i < theta.size(); ++i) {
      if (r.ci_low[i] <= theta[i] && theta[i] <= r.ci_high[i]) ++covered;
    }
  }
  EXPECT_GE(covered, 458);
  EXPECT_LE(covered, 490);
}

TEST(BradleyTerry, HigherConfidenceLevelWidensTheInterval) {
  const ComparisonSet set = Synthetic({-0.5, 0.5}, 200, 3);
  BradleyTerryOptions wide;
  wide.confidence_level = 0.99;
  auto r95 = BradleyTerry(set).value();
  auto r99 = BradleyTerry(set, wide).value();
  // z(0.995) / z(0.975) = 2.5758 / 1.9600.
  EXPECT_NEAR((r99.ci_high[0] - r99.ci_low[0]) / (r95.ci_high[0] - r95.ci_low[0]),
              2.5758293035489 / 1.9599639845401, 1e-9);
}

TEST(BradleyTerry, SwappingSidesChangesNothing) {
  const ComparisonSet set = Synthetic({-1, 0, 1, 2}, 300, 5);
  ComparisonSet swapped = set;
  for (Comparison& c : swapped.comparisons) {
    std::swap(c.a, c.b);
    if (c.outcome != Outcome::kTie)
      c.outcome = c.outcome == Outcome::kA ? Outcome::kB : Outcome::kA;
  }
  auto r = BradleyTerry(set).value();
  auto s = BradleyTerry(swapped).value();
  EXPECT_EQ(r.score, s.score);
  EXPECT_EQ(r.ci_low, s.ci_low);
  EXPECT_EQ(r.ci_high, s.ci_high);
}

TEST(BradleyTerry, MirroredRecordsGiveMirroredScores) {
  // r0 beat r1 three times out of four.
  auto r = BradleyTerry(Manual(2, 1,
                               {C(0, 0, 1, Outcome::kA), C(0, 1, 0, Outcome::kB),
                                C(0, 0, 1, Outcome::kA), C(0, 0, 1, Outcome::kB)}))
               .value();
  EXPECT_GT(r.score[0], 0);
  EXPECT_NEAR(r.score[0], -r.score[1], 1e-12);
  EXPECT_EQ(r.comparisons, (std::vector<std::size_t>{4, 4}));
}

TEST(BradleyTerry, TiesCountAsHalfAWinEach) {
  const auto ties = Manual(3, 1,
                           {C(0, 0, 1, Outcome::kTie), C(0, 0, 1, Outcome::kTie),
                            C(0, 1, 2, Outcome::kTie), C(0, 1, 2, Outcome::kTie)});
  const auto split = Manual(3, 1,
                            {C(0, 0, 1, Outcome::kA), C(0, 0, 1, Outcome::kB),
                             C(0, 1, 2, Outcome::kA), C(0, 2, 1, Outcome::kA)});
  auto t = BradleyTerry(ties).value();
  auto s = BradleyTerry(split).value();
  EXPECT_EQ(t.score, (std::vector<double>{0, 0, 0}));
  EXPECT_EQ(t.score, s.score);
  EXPECT_EQ(t.ci_low, s.ci_low);
}

TEST(BradleyTerry, UnbeatenResponseHasAFiniteScore) {
  std::vector<Comparison> cs(10, C(0, 0, 1, Outcome::kA));
  auto r = BradleyTerry(Manual(2, 1, cs)).value();
  EXPECT_TRUE(r.converged);
  EXPECT_TRUE(std::isfinite(r.score[0]));
  EXPECT_TRUE(std::isfinite(r.ci_high[0]));
  EXPECT_NEAR(r.score[0], 1.6708386641095427, 1e-7);  // independent Newton solve
  // A stronger prior pulls it towards the average.
  BradleyTerryOptions strong;
  strong.prior_strength = 10;
  EXPECT_LT(BradleyTerry(Manual(2, 1, cs), strong).value().score[0], r.score[0]);
}

TEST(BradleyTerry, UncomparedResponseSitsAtThePrior) {
  // r2 appears in no comparison: only the prior speaks for it.
  auto r = BradleyTerry(Manual(3, 1, {C(0, 0, 1, Outcome::kA), C(0, 0, 1, Outcome::kB)})).value();
  EXPECT_NEAR(r.score[2], 0, 1e-7);
  EXPECT_EQ(r.comparisons[2], 0u);
  EXPECT_GT(r.ci_high[2] - r.ci_low[2], r.ci_high[0] - r.ci_low[0]);
}

TEST(BradleyTerry, AggregatesThePreferencePerTask) {
  // Task 0: r0 vs r1 left, left, right, tie -> r0 with 2.5 / 4. Task 1: r1 vs r2, one tie ->
  // 0.5 each, broken by the overall score (r1 > r2 since r2 lost elsewhere). Task 2: r2 lost
  // to r0. Task 3 has no comparisons.
  auto r = BradleyTerry(Manual(3, 4,
                               {C(0, 0, 1, Outcome::kA), C(0, 0, 1, Outcome::kA),
                                C(0, 0, 1, Outcome::kB), C(0, 1, 0, Outcome::kTie),
                                C(1, 2, 1, Outcome::kTie), C(2, 2, 0, Outcome::kB)}))
               .value();
  EXPECT_EQ(r.task_winner, (std::vector<std::uint32_t>{0, 1, 0, kNoWinner}));
  EXPECT_EQ(r.task_confidence, (std::vector<double>{0.625, 0.5, 1.0, 0.0}));
}

TEST(BradleyTerry, MatchesThePosteriorModeAndItsStandardErrors) {
  // Reference values from an independent Newton solve of the same posterior (virtual response
  // at 0, prior strength 1) with the covariance of the centred scores, done in Python.
  auto r = BradleyTerry(Manual(3, 1,
                               {C(0, 0, 1, Outcome::kA), C(0, 0, 1, Outcome::kA),
                                C(0, 0, 1, Outcome::kB), C(0, 1, 0, Outcome::kTie),
                                C(0, 2, 1, Outcome::kTie), C(0, 2, 0, Outcome::kB)}))
               .value();
  const double score[3] = {0.5787734520186992, -0.04780405548423717, -0.5309693965344622};
  const double se[3] = {0.6535034522568616, 0.6313658773870493, 0.8763659602575821};
  const double z = 1.959963984540054;
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(r.score[i], score[i], 1e-7) << i;
    EXPECT_NEAR((r.ci_high[i] - r.ci_low[i]) / (2 * z), se[i], 1e-7) << i;
  }
  EXPECT_LT(r.iterations, 100);
}

TEST(BradleyTerry, IsDeterministic) {
  const ComparisonSet set = Synthetic({-1, 0, 1}, 500, 11);
  auto r = BradleyTerry(set).value();
  auto s = BradleyTerry(set).value();
  EXPECT_EQ(r.score, s.score);
  EXPECT_EQ(r.ci_low, s.ci_low);
  EXPECT_EQ(r.iterations, s.iterations);
}

TEST(BradleyTerry, ReportsNonConvergence) {
  BradleyTerryOptions once;
  once.max_iterations = 1;
  auto r = BradleyTerry(Synthetic({-1, 0, 1}, 500, 11), once).value();
  EXPECT_FALSE(r.converged);
  EXPECT_EQ(r.iterations, 1);
}

TEST(BradleyTerry, NoComparisonsIsInvalidArgument) {
  ExpectInvalidArgument(BradleyTerry(Manual(2, 1, {})), "comparisons", "empty");
  ExpectInvalidArgument(BradleyTerry(ParseComparisons("worker,task,left,right,label\n").value()),
                        "comparisons", "empty");
}

TEST(BradleyTerry, SelfComparisonIsInvalidArgument) {
  ExpectInvalidArgument(
      BradleyTerry(Manual(2, 1, {C(0, 0, 1, Outcome::kA), C(0, 1, 1, Outcome::kA)})),
      "comparisons[1]", "same_response");
}

TEST(BradleyTerry, IndexOutOfRangeIsInvalidArgument) {
  ExpectInvalidArgument(BradleyTerry(Manual(2, 1, {C(0, 0, 2, Outcome::kA)})), "comparisons[0]",
                        "out_of_range");
  ExpectInvalidArgument(BradleyTerry(Manual(2, 1, {C(1, 0, 1, Outcome::kA)})), "comparisons[0]",
                        "out_of_range");
  Comparison c = C(0, 0, 1, Outcome::kA);
  c.worker = 1;
  ExpectInvalidArgument(BradleyTerry(Manual(2, 1, {c})), "comparisons[0]", "out_of_range");
}

TEST(BradleyTerry, OptionsOutOfRangeAreInvalidArgument) {
  const ComparisonSet set = Manual(2, 1, {C(0, 0, 1, Outcome::kA)});
  BradleyTerryOptions o;
  o.max_iterations = 0;
  ExpectInvalidArgument(BradleyTerry(set, o), "max_iterations", "out_of_range");
  o = {};
  o.tolerance = 0;
  ExpectInvalidArgument(BradleyTerry(set, o), "tolerance", "out_of_range");
  for (double level : {0.0, 1.0, std::nan("")}) {
    o = {};
    o.confidence_level = level;
    ExpectInvalidArgument(BradleyTerry(set, o), "confidence_level", "out_of_range");
  }
  for (double prior : {0.0, -1.0, std::numeric_limits<double>::infinity()}) {
    o = {};
    o.prior_strength = prior;
    ExpectInvalidArgument(BradleyTerry(set, o), "prior_strength", "out_of_range");
  }
}

// ------------------------------------------------------------------------------------ Ratings

TEST(AggregateRatings, MeanAndMedian) {
  auto r = AggregateRatings(2, 3, {{0, 0, 1}, {0, 1, 2}, {0, 2, 5}, {1, 0, 4}, {1, 1, 2}}).value();
  EXPECT_DOUBLE_EQ(r.mean[0], 8.0 / 3);
  EXPECT_EQ(r.median[0], 2);
  EXPECT_EQ(r.mean[1], 3);
  EXPECT_EQ(r.median[1], 3);
}

TEST(AggregateRatings, BiasedWorkerIsCorrected) {
  // Worker 3 rates everything 2 points high; each task is rated by two neighbouring workers
  // on a ring, so plain means are off by 1 exactly on the tasks worker 3 rated. With 200
  // ratings per worker the ridge prior (3 pseudo-ratings) shrinks offsets by only 3/203.
  const double bias[4] = {0, 0, 0, 2};
  const std::uint32_t tasks = 400;
  std::vector<double> truth;
  std::vector<Rating> ratings;
  for (std::uint32_t t = 0; t < tasks; ++t) {
    truth.push_back(1 + t % 5);
    for (std::uint32_t w : {t % 4, (t + 1) % 4}) ratings.push_back({t, w, truth[t] + bias[w]});
  }
  auto r = AggregateRatings(tasks, 4, ratings).value();
  // Biases are centred: the average worker is 0.5 high, so corrected means are truth + 0.5.
  for (std::uint32_t t = 0; t < tasks; ++t) {
    EXPECT_NEAR(r.corrected_mean[t], truth[t] + 0.5, 0.05) << t;
    const bool rated_by_3 = t % 4 == 3 || (t + 1) % 4 == 3;
    EXPECT_DOUBLE_EQ(r.mean[t], truth[t] + (rated_by_3 ? 1 : 0));
  }
  EXPECT_NEAR(r.worker_bias[3], 1.5, 0.05);
  EXPECT_NEAR(r.worker_bias[0], -0.5, 0.05);
  EXPECT_NEAR(r.worker_bias[0] + r.worker_bias[1] + r.worker_bias[2] + r.worker_bias[3], 0, 1e-12);
}

TEST(AggregateRatings, AWorkerWithFewRatingsIsCorrectedLittle) {
  // Two tasks, two workers, one rating each per task: 5 and 3. Without the prior the model
  // could put the whole gap into the workers' offsets; with it the task stays near 4, inside
  // the range its raters gave.
  auto r = AggregateRatings(1, 2, {{0, 0, 5}, {0, 1, 3}}).value();
  EXPECT_NEAR(r.corrected_mean[0], 4, 1e-9);
  EXPECT_LT(std::abs(r.worker_bias[0]), 1);
}

TEST(AggregateRatings, UnratedTaskIsNaNAndIdleWorkerHasNoBias) {
  auto r = AggregateRatings(2, 2, {{0, 0, 3}}).value();
  EXPECT_TRUE(std::isnan(r.mean[1]));
  EXPECT_TRUE(std::isnan(r.median[1]));
  EXPECT_TRUE(std::isnan(r.corrected_mean[1]));
  EXPECT_EQ(r.corrected_mean[0], 3);
  EXPECT_EQ(r.worker_bias[1], 0);
}

TEST(AggregateRatings, NoRatingsIsInvalidArgument) {
  ExpectInvalidArgument(AggregateRatings(2, 2, {}), "ratings", "empty");
}

TEST(AggregateRatings, IndexOutOfRangeIsInvalidArgument) {
  ExpectInvalidArgument(AggregateRatings(2, 2, {{0, 0, 1}, {2, 0, 1}}), "ratings[1]",
                        "out_of_range");
  ExpectInvalidArgument(AggregateRatings(2, 2, {{0, 2, 1}}), "ratings[0]", "out_of_range");
}

TEST(AggregateRatings, NonFiniteValueIsInvalidArgument) {
  ExpectInvalidArgument(AggregateRatings(1, 1, {{0, 0, std::numeric_limits<double>::infinity()}}),
                        "ratings[0]", "not_finite");
}

}  // namespace
}  // namespace fw::quality
