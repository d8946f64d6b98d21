#include "harness/scenario/profile.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace conformance::scenario {
namespace {

using testing::ElementsAre;
using testing::HasSubstr;
using testing::Pair;
using testing::StartsWith;

class ProfileTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("conformance-profile-" + std::to_string(::getpid()) + "-" +
            testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& text) {
    const std::string path = (dir_ / "profile.yaml").string();
    std::ofstream(path) << text;
    return path;
  }

  std::filesystem::path dir_;
};

TEST_F(ProfileTest, LoadsEveryField) {
  auto profile = LoadProfile(Write(
      "name: example-1.0\n"
      "dialect: valkey\n"
      "capabilities: [psync, eof]\n"
      "server:\n"
      "  command: \"{binary} --port {port}\"\n"
      "  default-config: false\n"
      "  config: {appendonly: \"no\"}\n"
      "disabled:\n"
      "  \"master.sync.*\": SYNC was removed\n"
      "expected_failures:\n"
      "  master.psync.continue: {reason: issue 12, error: \"+CONTINUE\"}\n"
      "  sanity.ping: {reason: flaky}\n"));
  ASSERT_TRUE(profile.ok()) << profile.message();
  EXPECT_EQ(profile->name, "example-1.0");
  EXPECT_EQ(profile->dialect, "valkey");
  EXPECT_THAT(profile->capabilities, ElementsAre("psync", "eof"));
  EXPECT_THAT(profile->server_command, ElementsAre("{binary}", "--port", "{port}"));
  EXPECT_FALSE(profile->default_config);
  EXPECT_THAT(profile->server_config, ElementsAre(Pair("appendonly", "no")));
  EXPECT_THAT(profile->disabled, ElementsAre(Pair("master.sync.*", "SYNC was removed")));
  ASSERT_EQ(profile->expected_failures.size(), 2u);
  EXPECT_EQ(profile->expected_failures[0].glob, "master.psync.continue");
  EXPECT_EQ(profile->expected_failures[0].reason, "issue 12");
  EXPECT_EQ(profile->expected_failures[0].error_substring, "+CONTINUE");
  EXPECT_EQ(profile->expected_failures[1].error_substring, "");
}

TEST_F(ProfileTest, LoadsText) {
  auto profile = LoadProfileText("p.yaml", "name: example-1.0\ncapabilities: [psync]\n");
  ASSERT_TRUE(profile.ok()) << profile.message();
  EXPECT_EQ(profile->file, "p.yaml");
  EXPECT_EQ(profile->name, "example-1.0");
  EXPECT_THAT(profile->capabilities, ElementsAre("psync"));
}

TEST_F(ProfileTest, ApplyFillsRunOptions) {
  auto profile = LoadProfile(Write(
      "name: p\ndialect: redis\ncapabilities: [psync]\n"
      "server: {command: [\"{binary}\", \"{config}\"], config: {save: \"\\\"\\\"\"}}\n"
      "disabled: {a.*: off}\nexpected_failures: {b.c: {reason: r}}\n"));
  ASSERT_TRUE(profile.ok()) << profile.message();
  RunOptions options;
  options.launch.config = {{"save", "60 1"}};
  ApplyProfile(*profile, &options);
  EXPECT_THAT(options.disabled, ElementsAre(Pair("a.*", "off")));
  ASSERT_EQ(options.expected_failures.size(), 1u);
  EXPECT_EQ(options.expected_failures[0].glob, "b.c");
  // The profile's config comes first, so the command line's (already there) wins.
  EXPECT_THAT(options.launch.config, ElementsAre(Pair("save", "\"\""), Pair("save", "60 1")));
}

TEST_F(ProfileTest, KeyspaceReadDefaultsToScan) {
  auto profile = LoadProfile(Write("name: p\ndialect: redis\n"));
  ASSERT_TRUE(profile.ok()) << profile.message();
  EXPECT_EQ(profile->keyspace_read, KeyspaceRead::kScan);
}

TEST_F(ProfileTest, KeyspaceReadSnapshotWithSyncListedAfterIt) {
  // The capability check waits for every key: the order of keys in the file does not matter.
  auto profile = LoadProfile(
      Write("name: p\ndialect: redis\nkeyspace_read: snapshot\ncapabilities: [psync, sync]\n"));
  ASSERT_TRUE(profile.ok()) << profile.message();
  EXPECT_EQ(profile->keyspace_read, KeyspaceRead::kSnapshot);

  RunOptions options;
  ApplyProfile(*profile, &options);
  EXPECT_EQ(options.keyspace_read, KeyspaceRead::kSnapshot);
}

TEST_F(ProfileTest, ApplyKeepsScanByDefault) {
  auto profile = LoadProfile(Write("name: p\ndialect: redis\nkeyspace_read: scan\n"));
  ASSERT_TRUE(profile.ok()) << profile.message();
  RunOptions options;
  options.keyspace_read = KeyspaceRead::kSnapshot;
  ApplyProfile(*profile, &options);
  EXPECT_EQ(options.keyspace_read, KeyspaceRead::kScan);
}

TEST(ShippedProfiles, AllLoad) {
  for (const char* name : {"redis-7.0", "valkey-8", "keydb-6.3", "dragonfly"}) {
    auto profile = LoadProfile(std::string(CONFORMANCE_SOURCE_DIR) + "/ci/profiles/" + name + ".yaml");
    ASSERT_TRUE(profile.ok()) << profile.message();
    EXPECT_EQ(profile->name, name);
  }
}

struct BadProfile {
  const char* name;
  std::string text;
  std::string location;  // "line:column"
  std::string message;
};

class BadProfileTest : public ProfileTest, public testing::WithParamInterface<BadProfile> {};

TEST_P(BadProfileTest, ErrorNamesFileLineColumn) {
  const BadProfile& bad = GetParam();
  const std::string path = Write(bad.text);
  auto profile = LoadProfile(path);
  ASSERT_FALSE(profile.ok());
  EXPECT_THAT(profile.message(), StartsWith(path + ":" + bad.location + ":"));
  EXPECT_THAT(profile.message(), HasSubstr(bad.message));
}

// The text of a file loads as the file does, errors included.
TEST_P(BadProfileTest, TextGivesTheFileError) {
  const BadProfile& bad = GetParam();
  const std::string path = Write(bad.text);
  auto from_text = LoadProfileText(path, bad.text);
  ASSERT_FALSE(from_text.ok());
  EXPECT_EQ(from_text.message(), LoadProfile(path).message());
}

INSTANTIATE_TEST_SUITE_P(
    Profile, BadProfileTest,
    testing::Values(
        BadProfile{"MissingName", "dialect: redis\n", "1:1", "missing required key 'name'"},
        BadProfile{"UnknownDialect", "name: p\ndialect: redys\n", "2:10", "unknown dialect 'redys'"},
        BadProfile{"UnknownKey", "name: p\ndialect: redis\nexpected_failure: {}\n", "3:1",
                   "unknown key 'expected_failure'"},
        BadProfile{"UnknownCapability", "name: p\ndialect: redis\ncapabilities: [psync, psnyc2]\n",
                   "3:23", "unknown capability 'psnyc2'"},
        BadProfile{"CapabilitiesNotAList", "name: p\ndialect: redis\ncapabilities: psync\n", "3:15",
                   "is a list"},
        BadProfile{"DisabledWithoutReason", "name: p\ndialect: redis\ndisabled:\n  a.b:\n", "4:3",
                   "'a.b' needs a reason"},
        BadProfile{"ExpectedFailureNotAMap",
                   "name: p\ndialect: redis\nexpected_failures:\n  a.b: because\n", "4:8",
                   "{reason: why, error: substring}"},
        BadProfile{"ExpectedFailureWithoutReason",
                   "name: p\ndialect: redis\nexpected_failures:\n  a.b: {error: x}\n", "4:8",
                   "'a.b' needs a reason"},
        BadProfile{"ExpectedFailureUnknownKey",
                   "name: p\ndialect: redis\nexpected_failures:\n  a.b: {reason: r, eror: x}\n",
                   "4:20", "unknown expected-failure key 'eror'"},
        BadProfile{"BadDefaultConfig", "name: p\ndialect: redis\nserver: {default-config: maybe}\n",
                   "3:26", "'default-config' must be true or false"},
        BadProfile{"UnknownKeyspaceRead", "name: p\ndialect: redis\nkeyspace_read: dump\n",
                   "3:16", "'keyspace_read' must be scan or snapshot, not 'dump'"},
        BadProfile{"KeyspaceReadNotAScalar", "name: p\ndialect: redis\nkeyspace_read: [scan]\n",
                   "3:16", "'keyspace_read' must be scan or snapshot"},
        BadProfile{"SnapshotWithoutSync",
                   "name: p\ndialect: redis\ncapabilities: [psync]\nkeyspace_read: snapshot\n",
                   "4:16", "needs the 'sync' capability"},
        BadProfile{"YamlSyntax", "name: p\ndialect: [redis\n", "3:1", "YAML syntax error"}),
    [](const testing::TestParamInfo<BadProfile>& info) { return info.param.name; });

}  // namespace
}  // namespace conformance::scenario
