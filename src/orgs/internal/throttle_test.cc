// The login throttle's rules, as pure functions of a record and the time.

#include "orgs/internal/throttle.h"

#include <gtest/gtest.h>

#include <vector>

namespace fw::orgs::internal {
namespace {

constexpr UnixSeconds kT0 = 1'700'000'000;

// The waits after each of `n` failures, each made as soon as the previous wait is over.
std::vector<std::int64_t> Waits(const ThrottleRule& rule, int n) {
  std::optional<FailureRecord> r;
  UnixSeconds now = kT0;
  std::vector<std::int64_t> out;
  for (int i = 0; i < n; ++i) {
    r = AfterFailure(r, rule, now);
    out.push_back(WaitSeconds(*r, now));
    now += WaitSeconds(*r, now);
  }
  return out;
}

TEST(LoginThrottle, AnAccountGetsFiveFreeFailuresThenDoublingWaitsCappedAtAMinute) {
  EXPECT_EQ(Waits(kAccountRule, 13),
            (std::vector<std::int64_t>{0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60}));
}

TEST(LoginThrottle, AnAddressGetsTwentyFreeFailuresThenWaitsCappedAtFiveMinutes) {
  auto waits = Waits(kAddressRule, 31);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(waits[i], 0) << i;
  EXPECT_EQ(waits[20], 1);
  EXPECT_EQ(waits[21], 2);
  EXPECT_EQ(waits[28], 256);
  EXPECT_EQ(waits[29], 300);
  EXPECT_EQ(waits[30], 300);
}

TEST(LoginThrottle, TheCountStartsOverAfterAQuietWindow) {
  std::optional<FailureRecord> r;
  for (int i = 0; i < 5; ++i) r = AfterFailure(r, kAccountRule, kT0);
  EXPECT_TRUE(IsLive(*r, kAccountRule, kT0 + kAccountRule.window_seconds - 1));
  EXPECT_FALSE(IsLive(*r, kAccountRule, kT0 + kAccountRule.window_seconds));
  r = AfterFailure(r, kAccountRule, kT0 + kAccountRule.window_seconds);
  EXPECT_EQ(r->failures, 1);
  EXPECT_EQ(WaitSeconds(*r, kT0 + kAccountRule.window_seconds), 0);
}

TEST(LoginThrottle, ARecordExpiresWhenItsWindowAndItsBlockAreBothOver) {
  FailureRecord r{9, kT0, kT0 + 5000};
  EXPECT_EQ(ExpiresAt(r, kAccountRule), kT0 + 5000);
  EXPECT_TRUE(IsLive(r, kAccountRule, kT0 + 4999));
  r.blocked_until = kT0 + 10;
  EXPECT_EQ(ExpiresAt(r, kAccountRule), kT0 + kAccountRule.window_seconds);
}

TEST(LoginThrottle, SubjectsAreHashedAndKeptApartByKind) {
  EXPECT_NE(AccountSubject("a@x.org"), AddressSubject("a@x.org"));
  EXPECT_EQ(AccountSubject("a@x.org"), AccountSubject("a@x.org"));
  EXPECT_EQ(AccountSubject("a@x.org").find("a@x.org"), std::string::npos);
}

}  // namespace
}  // namespace fw::orgs::internal
