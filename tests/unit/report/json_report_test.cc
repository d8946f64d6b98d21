#include "harness/report/json_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <iterator>
#include <limits>

#include "tests/unit/report/json_value.h"
#include "tests/unit/report/test_support.h"

namespace conformance::report {
namespace {

using ::testing::ElementsAre;
using testing::JsonValue;

constexpr std::string_view kPythonStrictJson = R"(
import json, sys
def reject(constant):
    raise ValueError("non-standard constant " + constant)
text = open(sys.argv[1], "rb").read().decode("utf-8", errors="strict")
json.loads(text, parse_constant=reject)
print("ok")
)";

RunInfo SampleInfo() {
  return {.harness_version = "0.1.0 \"dev\"",
          .seed = 42,
          .server = testing::Hostile(),
          .started_at = "2024-05-01T12:00:00Z",
          .traits = "product: redis\nversion: 7.0.15\n"};
}

JsonValue Parse(const std::string& text) {
  std::string error;
  std::optional<JsonValue> parsed = testing::ParseJson(text, &error);
  EXPECT_TRUE(parsed) << error << "\n" << text;
  return parsed ? *parsed : JsonValue{};
}

class JsonReportTest : public ::testing::Test {
 protected:
  std::vector<scenario::CaseResult> cases_ = testing::SampleCases();
  scenario::RunSummary summary_ = testing::SummaryOf(cases_, 12.25);
};

TEST_F(JsonReportTest, HasTheDocumentedShape) {
  const JsonValue doc = Parse(RenderJson(cases_, summary_, SampleInfo()));
  ASSERT_TRUE(doc.is_object());
  EXPECT_THAT(doc.Keys(), ElementsAre("harness", "cases", "summary"));
  EXPECT_THAT(doc["harness"].Keys(), ElementsAre("version", "seed", "server", "started_at", "traits"));
  ASSERT_EQ(doc["cases"].array().size(), cases_.size());
  for (const JsonValue& c : doc["cases"].array()) {
    EXPECT_THAT(c.Keys(), ElementsAre("id", "title", "file", "verdict", "reason", "seconds", "seed",
                                      "rule", "rules", "source", "explanation", "transcript",
                                      "steps"));
  }
  EXPECT_THAT(doc["summary"].Keys(), ElementsAre("pass", "fail", "xfail", "xpass", "skip", "error",
                                                 "total", "seconds", "exit_code"));
}

TEST_F(JsonReportTest, CarriesEveryFieldAndVerdict) {
  const JsonValue doc = Parse(RenderJson(cases_, summary_, SampleInfo()));
  EXPECT_EQ(doc["harness"]["version"].str(), "0.1.0 \"dev\"");
  EXPECT_EQ(doc["harness"]["seed"].number_text, "42");
  EXPECT_EQ(doc["harness"]["server"].str(), testing::HostileAfterJson());
  EXPECT_EQ(doc["harness"]["started_at"].str(), "2024-05-01T12:00:00Z");
  EXPECT_EQ(doc["harness"]["traits"].str(), "product: redis\nversion: 7.0.15\n");

  const std::vector<std::string> verdicts = {"pass", "fail", "xfail", "xpass", "skip", "error"};
  for (size_t i = 0; i < cases_.size(); ++i) {
    SCOPED_TRACE(cases_[i].id);
    const JsonValue& c = doc["cases"][i];
    EXPECT_EQ(c["verdict"].str(), verdicts[i]);
    EXPECT_EQ(c["seed"].number_text, std::to_string(cases_[i].seed));
    EXPECT_TRUE(c["title"].is_string());
    if (cases_[i].verdict != scenario::Verdict::kError) {  // its id, so file, is not UTF-8
      EXPECT_EQ(c["file"].str(), cases_[i].file);
    }
    EXPECT_EQ(c["source"].str(), "replication.c syncCommand");
    EXPECT_DOUBLE_EQ(c["seconds"].number(), cases_[i].seconds);
    EXPECT_EQ(c["steps"].array().size(), cases_[i].steps.size());
  }

  const JsonValue& fail = doc["cases"][1];
  EXPECT_EQ(fail["id"].str(), "replica.rdb.eof-mark");
  EXPECT_EQ(fail["title"].str(), testing::HostileAfterJson());
  EXPECT_EQ(fail["rule"].str(), testing::HostileAfterJson());
  EXPECT_EQ(fail["reason"].str(), testing::HostileAfterJson());
  EXPECT_EQ(fail["seed"].number_text, "18446744073709551615");
  EXPECT_EQ(fail["transcript"].str(), "out/replica.rdb.eof-mark.txt");
  EXPECT_EQ(
      fail["explanation"].str(),
      "step replica.receive-rdb at b.yaml:9:3\n  Expected: +OK\n  " + testing::HostileAfterJson());
  const JsonValue& step = fail["steps"][1];
  EXPECT_EQ(step["name"].str(), "replica.receive-rdb");
  EXPECT_EQ(step["location"].str(), "b.yaml:9:3");
  EXPECT_EQ(step["verdict"].str(), "fail");
  EXPECT_EQ(step["message"].str(), testing::HostileAfterJson());
  EXPECT_EQ(step["seconds"].number_text, "1.500");

  EXPECT_TRUE(doc["cases"][0]["transcript"].is_null());
  EXPECT_EQ(doc["cases"][5]["id"].str(), "weird.\"<&>]]>\x01\xef\xbf\xbd id");
}

TEST_F(JsonReportTest, SummaryCountsEachVerdictAndTheExitCode) {
  summary_.Add(scenario::Verdict::kPass);  // the summary is the runner's, not recounted
  const JsonValue summary = Parse(RenderJson(cases_, summary_, SampleInfo()))["summary"];
  EXPECT_EQ(summary["pass"].number(), 2);
  for (const char* verdict : {"fail", "xfail", "xpass", "skip", "error"}) {
    EXPECT_EQ(summary[verdict].number(), 1) << verdict;
  }
  EXPECT_EQ(summary["total"].number(), 7);
  EXPECT_EQ(summary["seconds"].number_text, "12.250");
  EXPECT_EQ(summary["exit_code"].number(), scenario::kExitFailure);
}

TEST_F(JsonReportTest, EmptyRunAndNonFiniteTimesStayValid) {
  scenario::RunSummary summary;
  summary.seconds = std::numeric_limits<double>::quiet_NaN();
  const JsonValue empty = Parse(RenderJson({}, summary, {}));
  EXPECT_TRUE(empty["cases"].array().empty());
  EXPECT_TRUE(empty["summary"]["seconds"].is_null());
  EXPECT_EQ(empty["summary"]["exit_code"].number(), scenario::kExitInconclusive);

  scenario::CaseResult odd;
  odd.seconds = std::numeric_limits<double>::infinity();
  const JsonValue one = Parse(RenderJson({odd}, testing::SummaryOf({odd}, 1), {}));
  EXPECT_TRUE(one["cases"][0]["seconds"].is_null());
  EXPECT_TRUE(one["cases"][0]["steps"].array().empty());
}

TEST_F(JsonReportTest, WritesAFileThatPythonAccepts) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "nested" / "report.json").string();
  ASSERT_TRUE(WriteJson(path, cases_, summary_, SampleInfo()).ok());
  const std::string written = testing::ReadFile(path);
  EXPECT_EQ(written, RenderJson(cases_, summary_, SampleInfo()));
  // The temporary file was renamed away.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path() / "nested"),
                          std::filesystem::directory_iterator()),
            1);

  const std::optional<testing::PythonRun> run = testing::RunPython(kPythonStrictJson, path);
  if (!run) GTEST_SKIP() << "no /usr/bin/python3 to cross-check with";
  EXPECT_EQ(run->exit_status, 0) << run->output;
  EXPECT_EQ(run->output, "ok\n");
}

TEST_F(JsonReportTest, WriteFailsWithAMessageWhenThePathIsUnusable) {
  testing::TempDir dir;
  const std::string blocker = (dir.path() / "file").string();
  ASSERT_TRUE(WriteJson(blocker, {}, {}, {}).ok());
  const Status status = WriteJson(blocker + "/report.json", {}, {}, {});
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), ::testing::HasSubstr(blocker));
}

}  // namespace
}  // namespace conformance::report
