// Shared fixtures for the keyspace model tests: a settable clock and table-driven runners.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "harness/keyspace/keyspace.h"
#include "harness/keyspace/matchers.h"

namespace conformance::keyspace::testing {

using Argv = std::vector<std::string>;

inline constexpr int64_t kNow = 1'700'000'000'000;  // the tests' "now", in unix ms

// A model whose clock reads *now.
inline Keyspace MakeModel(const int64_t* now, Role role = Role::kMaster) {
  KeyspaceOptions options;
  options.now_ms = [now] { return *now; };
  options.role = role;
  return Keyspace(options);
}

// A command sequence that must all apply, then a check of the resulting keyspace.
struct Case {
  std::string name;
  std::vector<Argv> commands;
  ::testing::Matcher<const Keyspace&> expect;
};

// After setup (all applied), command must fail with an error containing error_substring and
// leave the keyspace exactly as it was.
struct ErrorCase {
  std::string name;
  std::vector<Argv> setup;
  Argv command;
  std::string error_substring;
};

inline void RunCases(const std::vector<Case>& cases, Role role = Role::kMaster) {
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    int64_t now = kNow;
    Keyspace model = MakeModel(&now, role);
    for (const Argv& argv : c.commands) {
      ASSERT_THAT(model.Apply(argv), IsApplied()) << ::testing::PrintToString(argv);
    }
    EXPECT_THAT(model, c.expect);
  }
}

inline void RunErrorCases(const std::vector<ErrorCase>& cases) {
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.name);
    int64_t now = kNow;
    Keyspace model = MakeModel(&now);
    for (const Argv& argv : c.setup) {
      ASSERT_THAT(model.Apply(argv), IsApplied()) << ::testing::PrintToString(argv);
    }
    const Digest before = model.ComputeDigest();
    EXPECT_THAT(model.Apply(c.command), IsApplyError(::testing::HasSubstr(c.error_substring)));
    EXPECT_EQ(before, model.ComputeDigest()) << "the failed command changed the keyspace";
  }
}

}  // namespace conformance::keyspace::testing
