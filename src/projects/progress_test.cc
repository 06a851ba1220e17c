#include "projects/progress.h"

#include <gtest/gtest.h>

namespace fw::projects {
namespace {

constexpr UnixSeconds kNow = 1'700'000'000;
constexpr std::int64_t kHour = 3600;

// A project of 100 items with redundancy 3: `complete` of them done, the rest with none yet.
ProgressInputs Project(std::int64_t complete, std::int64_t submissions) {
  ProgressInputs in;
  in.items = 100;
  in.complete = complete;
  in.remaining_judgments = (100 - complete) * 3;
  in.submissions = submissions;
  return in;
}

TEST(ProgressFigures, BeforeAnyJudgmentThereIsNoPaceAndNoEstimate) {
  ProgressInputs in = Project(0, 0);
  in.in_progress = 4;
  Progress p = ComputeProgress(in, kNow);
  EXPECT_EQ(p.items, 100);
  EXPECT_EQ(p.complete, 0);
  EXPECT_EQ(p.in_progress, 4);
  EXPECT_EQ(p.remaining, 100);
  EXPECT_EQ(p.remaining_judgments, 300);
  EXPECT_EQ(p.submissions_last_hour, 0);
  EXPECT_EQ(p.submissions_last_day, 0);
  EXPECT_FALSE(p.throughput_per_hour);
  EXPECT_FALSE(p.estimated_completion);
  EXPECT_EQ(p.as_of, kNow);
}

TEST(ProgressFigures, PaceSinceTheFirstJudgmentWhenThatIsUnderADay) {
  ProgressInputs in = Project(10, 30);  // 10 items done with 3 judgments each
  in.first_submission_at = kNow - 2 * kHour;
  in.submissions_hour_ago = 12;
  Progress p = ComputeProgress(in, kNow);
  EXPECT_EQ(p.submissions_last_hour, 18);
  EXPECT_EQ(p.submissions_last_day, 30);
  ASSERT_TRUE(p.throughput_per_hour);
  EXPECT_DOUBLE_EQ(*p.throughput_per_hour, 15.0);
  // 270 judgments still wanted at 15 an hour: 18 hours.
  ASSERT_TRUE(p.estimated_completion);
  EXPECT_EQ(*p.estimated_completion, kNow + 18 * kHour);
}

TEST(ProgressFigures, PaceOverTheLastDayOnceTheProjectIsOlder) {
  ProgressInputs in = Project(40, 500);
  in.first_submission_at = kNow - 30 * 24 * kHour;
  in.submissions_day_ago = 452;  // 48 in the last day
  in.submissions_hour_ago = 498;
  Progress p = ComputeProgress(in, kNow);
  EXPECT_EQ(p.submissions_last_day, 48);
  EXPECT_EQ(p.submissions_last_hour, 2);
  EXPECT_DOUBLE_EQ(*p.throughput_per_hour, 2.0);
  EXPECT_EQ(*p.estimated_completion, kNow + 90 * kHour);  // 180 judgments at 2 an hour
}

TEST(ProgressFigures, AFirstBurstIsSpreadOverAtLeastAMinute) {
  ProgressInputs in = Project(0, 3);
  in.first_submission_at = kNow - 5;
  Progress p = ComputeProgress(in, kNow);
  // 3 a minute, not 3 in 5 s; 300 judgments at 180 an hour.
  EXPECT_DOUBLE_EQ(*p.throughput_per_hour, 180.0);
  EXPECT_EQ(*p.estimated_completion, kNow + 300 * 20);
}

TEST(ProgressFigures, ThePaceIsRoundedAndTheEstimateIsNot) {
  ProgressInputs in = Project(0, 10);
  in.remaining_judgments = 10;
  in.first_submission_at = kNow - 3 * kHour;
  Progress p = ComputeProgress(in, kNow);
  EXPECT_DOUBLE_EQ(*p.throughput_per_hour, 3.33);
  EXPECT_EQ(*p.estimated_completion, kNow + 3 * kHour);  // 10 at 10/3 an hour
}

TEST(ProgressFigures, NoEstimateWithoutRecentJudgmentsOrWithNothingLeft) {
  ProgressInputs idle = Project(50, 150);
  idle.first_submission_at = kNow - 10 * 24 * kHour;
  idle.submissions_day_ago = 150;
  idle.submissions_hour_ago = 150;
  Progress p = ComputeProgress(idle, kNow);
  ASSERT_TRUE(p.throughput_per_hour);
  EXPECT_DOUBLE_EQ(*p.throughput_per_hour, 0.0);
  EXPECT_FALSE(p.estimated_completion);

  ProgressInputs done = Project(100, 300);
  done.first_submission_at = kNow - kHour;
  p = ComputeProgress(done, kNow);
  EXPECT_EQ(p.remaining, 0);
  EXPECT_DOUBLE_EQ(*p.throughput_per_hour, 300.0);
  EXPECT_FALSE(p.estimated_completion);
}

TEST(ProgressFigures, AnEstimatePastTheYear9999IsLeftOut) {
  ProgressInputs in = Project(0, 1);
  in.items = 1'000'000'000;
  in.remaining_judgments = 50'000'000'000;
  in.first_submission_at = kNow - 10 * 24 * kHour;  // one judgment in ten days
  in.submissions_day_ago = 0;
  Progress p = ComputeProgress(in, kNow);
  EXPECT_GT(*p.throughput_per_hour, 0.0);
  EXPECT_FALSE(p.estimated_completion);
}

TEST(ProgressFigures, RecordsAheadOfTheCountersNeverMakeAWindowNegative) {
  ProgressInputs in = Project(0, 5);
  in.first_submission_at = kNow - kHour;
  in.submissions_hour_ago = 7;  // a recount lowered the total after the record
  Progress p = ComputeProgress(in, kNow);
  EXPECT_EQ(p.submissions_last_hour, 0);
  EXPECT_EQ(p.submissions_last_day, 5);
}

}  // namespace
}  // namespace fw::projects
