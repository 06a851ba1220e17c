// HashGate: at most N permits out, at most M callers waiting, everyone else refused at once.

#include "orgs/hash_gate.h"

#include <gtest/gtest.h>

#include <optional>
#include <thread>

namespace fw::orgs {
namespace {

bool IsOverloaded(const Result<HashGate::Permit>& r) {
  return !r && r.error().code == ErrorCode::kUnavailable && r.error().reason == "overloaded";
}

TEST(HashGate, AdmitsMaxRunningAtOnceAndRefusesTheRestWithoutAQueue) {
  HashGate gate({2, 0, std::chrono::milliseconds(1000)});
  auto a = gate.Enter();
  auto b = gate.Enter();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(gate.running(), 2);
  EXPECT_TRUE(IsOverloaded(gate.Enter()));
  { auto released = std::move(a); }
  EXPECT_EQ(gate.running(), 1);
  auto c = gate.Enter();
  EXPECT_TRUE(c);
  EXPECT_EQ(gate.running(), 2);
}

TEST(HashGate, AWaiterGetsThePermitOnceOneIsReleasedAndTheQueueIsBounded) {
  HashGate gate({1, 1, std::chrono::hours(1)});
  std::optional<Result<HashGate::Permit>> held(gate.Enter());
  ASSERT_TRUE(*held);
  bool waiter_got = false;
  std::thread waiter([&] { waiter_got = gate.Enter().has_value(); });
  while (gate.waiting() < 1) std::this_thread::yield();
  // The queue is full: a third caller is refused at once.
  EXPECT_TRUE(IsOverloaded(gate.Enter()));
  held.reset();
  waiter.join();
  EXPECT_TRUE(waiter_got);
  EXPECT_EQ(gate.running(), 0);
  EXPECT_EQ(gate.waiting(), 0);
}

TEST(HashGate, AWaiterGivesUpAfterMaxWait) {
  HashGate gate({1, 4, std::chrono::milliseconds(1)});
  auto held = gate.Enter();
  ASSERT_TRUE(held);
  EXPECT_TRUE(IsOverloaded(gate.Enter()));
  EXPECT_EQ(gate.waiting(), 0);
}

}  // namespace
}  // namespace fw::orgs
