#include "harness/server/log_findings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace conformance::server {
namespace {

using ::testing::ElementsAre;

TEST(LogFindings, WarningsAndErrorsInTheServersOwnWords) {
  const std::string log =
      "2944:S 02 Dec 05:27:27.100 * Connecting to MASTER 127.0.0.1:39201\r\n"
      "2944:S 02 Dec 05:27:27.733 # == CRITICAL == This slave is sending an error to its master\r\n"
      "2944:S 02 Dec 05:27:28.000 * MASTER <-> REPLICA sync: receiving 3120 bytes from master\r\n"
      "I20261202 05:27:29 replica.cc:120] Can't handle RDB format version 12\n"
      "* Ready to accept connections\n";
  EXPECT_THAT(LogFindings(log, 10),
              ElementsAre("2944:S 02 Dec 05:27:27.733 # == CRITICAL == This slave is sending an error to its master",
                          "I20261202 05:27:29 replica.cc:120] Can't handle RDB format version 12"));
}

TEST(LogFindings, KeepsTheFirstAndTheLastOnes) {
  std::string log;
  for (int i = 0; i < 5; ++i) log += "x # warning " + std::to_string(i) + "\n";
  EXPECT_THAT(LogFindings(log, 2), ElementsAre("x # warning 0", "x # warning 4"));
  EXPECT_TRUE(LogFindings("* all fine\n", 2).empty());
}

}  // namespace
}  // namespace conformance::server
