#include "harness/scenario/keyspace_read.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace conformance::scenario {
namespace {

using testing::HasSubstr;

Step CheckStep(const std::string& args) {
  return Step{.kind = "check.keyspace", .args = YAML::Load(args),
              .location = {.file = "s.yaml", .line = 7, .column = 5}};
}

TEST(KeyspaceRead, NamesRoundTrip) {
  for (KeyspaceRead read : {KeyspaceRead::kScan, KeyspaceRead::kSnapshot}) {
    EXPECT_EQ(ParseKeyspaceRead(ToString(read)), read);
  }
  EXPECT_EQ(ParseKeyspaceRead("SCAN"), std::nullopt);
  EXPECT_EQ(ParseKeyspaceRead(""), std::nullopt);
}

// The default/override rule as a table: a step's own method wins, else the profile's default.
struct Rule {
  const char* step_args;
  KeyspaceRead profile_default;
  KeyspaceRead used;
};

TEST(KeyspaceRead, StepMethodWinsOverProfileDefault) {
  const Rule rules[] = {
      {"{}", KeyspaceRead::kScan, KeyspaceRead::kScan},
      {"{}", KeyspaceRead::kSnapshot, KeyspaceRead::kSnapshot},
      {"{ttl-tolerance-ms: 10}", KeyspaceRead::kSnapshot, KeyspaceRead::kSnapshot},
      {"{method: scan}", KeyspaceRead::kSnapshot, KeyspaceRead::kScan},
      {"{method: snapshot}", KeyspaceRead::kScan, KeyspaceRead::kSnapshot},
      {"{method: snapshot}", KeyspaceRead::kSnapshot, KeyspaceRead::kSnapshot},
  };
  const Bindings no_bindings;
  for (const Rule& rule : rules) {
    const Step step = CheckStep(rule.step_args);
    auto used = KeyspaceReadFor(Args(step, no_bindings), rule.profile_default);
    ASSERT_TRUE(used.ok()) << used.message();
    EXPECT_EQ(*used, rule.used) << rule.step_args << " with default " << ToString(rule.profile_default);
  }
}

TEST(KeyspaceRead, MethodIsSubstitutedFromTheCase) {
  const Step step = CheckStep("{method: \"${read}\"}");
  const Bindings bindings = {{"read", "snapshot"}};
  auto used = KeyspaceReadFor(Args(step, bindings), KeyspaceRead::kScan);
  ASSERT_TRUE(used.ok()) << used.message();
  EXPECT_EQ(*used, KeyspaceRead::kSnapshot);
}

TEST(KeyspaceRead, UnknownMethodNamesTheStep) {
  const Step step = CheckStep("{method: dump}");
  const Bindings no_bindings;
  auto used = KeyspaceReadFor(Args(step, no_bindings), KeyspaceRead::kScan);
  ASSERT_FALSE(used.ok());
  EXPECT_EQ(used.message(), "s.yaml:7:5: method must be scan or snapshot, not 'dump'");
}

}  // namespace
}  // namespace conformance::scenario
