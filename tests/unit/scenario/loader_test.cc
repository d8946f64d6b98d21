#include "harness/scenario/loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace conformance::scenario {
namespace {

using testing::HasSubstr;
using testing::StartsWith;

class LoaderTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("conformance-loader-" + std::to_string(::getpid()) + "-" +
            testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }

  std::filesystem::path dir_;
};

constexpr const char* kHeader =
    "id: master.example\ntitle: t\nrule: r\nsource: s\nrules: {M3: [value]}\n";

TEST_F(LoaderTest, LoadsStepsWithLocations) {
  const std::string path = Write("a.yaml", std::string(kHeader) +
                                               "steps:\n"
                                               "  - replica.connect: {}\n"
                                               "  - replica.psync: {expect: fullresync}\n");
  auto loaded = LoadScenarioFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  ASSERT_EQ(loaded->size(), 1u);
  const Scenario& scenario = loaded->front();
  EXPECT_EQ(scenario.id, "master.example");
  ASSERT_EQ(scenario.steps.size(), 2u);
  EXPECT_EQ(scenario.steps[1].kind, "replica.psync");
  EXPECT_EQ(scenario.steps[1].location.ToString(), path + ":8:5");
}

TEST_F(LoaderTest, CasesExpandWithSubstitution) {
  const std::string path = Write("b.yaml", std::string(kHeader) +
                                               "cases:\n  disk: {d: \"no\"}\n  diskless: {d: \"yes\"}\n"
                                               "server:\n  config: {repl-diskless-sync: \"${d}\"}\n"
                                               "steps:\n  - replica.connect: {}\n");
  auto loaded = LoadScenarioFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  ASSERT_EQ(loaded->size(), 2u);
  EXPECT_EQ((*loaded)[0].id, "master.example.disk");
  EXPECT_EQ((*loaded)[0].server_config[0].second, "no");
  EXPECT_EQ((*loaded)[1].id, "master.example.diskless");
  EXPECT_EQ((*loaded)[1].server_config[0].second, "yes");
}

TEST_F(LoaderTest, LoadsText) {
  auto loaded = LoadScenarioText("a.yaml", std::string(kHeader) + "steps:\n  - check.alive: {}\n");
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ(loaded->front().file, "a.yaml");
  EXPECT_EQ(loaded->front().steps[0].location.ToString(), "a.yaml:7:5");
}

struct BadFile {
  const char* name;
  std::string text;
  std::string location;  // "line:column"
  std::string message;
};

class BadFileTest : public LoaderTest, public testing::WithParamInterface<BadFile> {};

TEST_P(BadFileTest, ErrorNamesFileLineColumn) {
  const BadFile& bad = GetParam();
  const std::string path = Write("bad.yaml", bad.text);
  auto loaded = LoadScenarioFile(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_THAT(loaded.message(), StartsWith(path + ":" + bad.location + ":"));
  EXPECT_THAT(loaded.message(), HasSubstr(bad.message));
}

// The text of a file loads as the file does, errors included.
TEST_P(BadFileTest, TextGivesTheFileError) {
  const BadFile& bad = GetParam();
  const std::string path = Write("bad.yaml", bad.text);
  auto from_text = LoadScenarioText(path, bad.text);
  ASSERT_FALSE(from_text.ok());
  EXPECT_EQ(from_text.message(), LoadScenarioFile(path).message());
}

INSTANTIATE_TEST_SUITE_P(
    Loader, BadFileTest,
    testing::Values(
        BadFile{"UnknownStep", std::string(kHeader) + "steps:\n  - replica.conect: {}\n", "7:5",
                "unknown step 'replica.conect'"},
        BadFile{"UnknownArgument",
                std::string(kHeader) + "steps:\n  - replica.psync: {expekt: continue}\n", "7:21",
                "has no argument 'expekt'"},
        BadFile{"WrongArgumentType",
                std::string(kHeader) + "steps:\n  - load: {keys: many}\n", "7:18",
                "must be an integer"},
        BadFile{"YamlSyntax", std::string(kHeader) + "steps:\n  - load: {keys: 1\n", "8:1",
                "YAML syntax error"},
        BadFile{"MissingRule", "id: a.b\ntitle: t\nsource: s\nsteps:\n  - check.alive: {}\n",
                "1:1", "missing required key 'rule'"},
        BadFile{"UnknownTopLevelKey", std::string(kHeader) + "stepz: []\n", "6:1",
                "unknown key 'stepz'"},
        BadFile{"BadExpectation",
                std::string(kHeader) + "steps:\n  - replica.expect: {reply: PONG}\n", "7:29",
                "bad reply pattern"},
        BadFile{"BadFault",
                std::string(kHeader) + "steps:\n  - replica.connect: {fault: {cut: 3}}\n", "7:31",
                "unknown fault 'cut'"},
        BadFile{"BadId", "id: Master\ntitle: t\nrule: r\nsource: s\nsteps:\n  - check.alive: {}\n",
                "1:5", "lowercase"},
        BadFile{"MissingRules", "id: a.b\ntitle: t\nrule: r\nsource: s\nsteps:\n  - check.alive: {}\n",
                "1:1", "missing required key 'rules'"},
        BadFile{"UnknownRuleId",
                "id: a.b\ntitle: t\nrule: r\nsource: s\nrules: {Z9: [value]}\nsteps:\n  - check.alive: {}\n",
                "5:9", "unknown rule 'Z9'"},
        BadFile{"DimensionTheRuleLacks",
                "id: a.b\ntitle: t\nrule: r\nsource: s\nrules: {M5: [timing]}\nsteps:\n  - check.alive: {}\n",
                "5:14", "rule M5 has no timing dimension"},
        BadFile{"UnknownAllowedViolation",
                std::string(kHeader) + "allow-violations: [Z8]\nsteps:\n  - check.alive: {}\n",
                "6:20", "unknown rule 'Z8'"}),
    [](const testing::TestParamInfo<BadFile>& info) { return info.param.name; });

TEST_F(LoaderTest, DuplicateIdsAcrossFilesAreRejected) {
  Write("one.yaml", std::string(kHeader) + "steps:\n  - check.alive: {}\n");
  Write("two.yaml", std::string(kHeader) + "steps:\n  - check.alive: {}\n");
  auto loaded = LoadScenarios({dir_.string()});
  ASSERT_FALSE(loaded.ok());
  EXPECT_THAT(loaded.message(), HasSubstr("duplicate scenario id 'master.example'"));
}

TEST(ShippedScenarios, AllLoad) {
  auto loaded = LoadScenarios({std::string(CONFORMANCE_SOURCE_DIR) + "/scenarios"});
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  EXPECT_GE(loaded->size(), 12u);
}

}  // namespace
}  // namespace conformance::scenario
