#include "harness/workload/pacer.h"

#include <gtest/gtest.h>

namespace conformance::workload {
namespace {

using std::chrono::milliseconds;

TEST(Pacer, UnpacedWritesEverythingAtOnce) {
  const auto start = Pacer::Clock::now();
  Pacer pacer(0, start);
  EXPECT_FALSE(pacer.paced());
  EXPECT_GT(pacer.batch(), 1000000u);
  EXPECT_EQ(pacer.DelayBefore(1000000, start), Pacer::Clock::duration::zero());
}

TEST(Pacer, SpreadsCommandsOverTime) {
  const auto start = Pacer::Clock::now();
  Pacer pacer(200, start);  // 200/s: batches of 10, one every 50 ms
  EXPECT_TRUE(pacer.paced());
  EXPECT_EQ(pacer.batch(), 10u);
  EXPECT_EQ(pacer.DelayBefore(0, start), Pacer::Clock::duration::zero());
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(pacer.DelayBefore(10, start)).count(), 50);
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(pacer.DelayBefore(200, start)).count(), 1000);
  // Behind schedule: no wait.
  EXPECT_EQ(pacer.DelayBefore(10, start + milliseconds(80)), Pacer::Clock::duration::zero());
}

TEST(Pacer, SlowRatesStillWriteOneAtATime) {
  Pacer pacer(3, Pacer::Clock::now());
  EXPECT_EQ(pacer.batch(), 1u);
}

}  // namespace
}  // namespace conformance::workload
