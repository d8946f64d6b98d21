#include "harness/report/junit_report.h"

#include <gmock/gmock.h>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tests/unit/report/json_value.h"
#include "tests/unit/report/test_support.h"

namespace conformance::report {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::JsonArray;
using testing::JsonValue;
using ::testing::Not;
using ::testing::StartsWith;

// Parses the report with expat (strict XML 1.0: rejects characters XML cannot carry) and prints
// the element tree as JSON for the test to inspect.
constexpr std::string_view kPythonXmlToJson = R"(
import json, sys, xml.dom.minidom, xml.etree.ElementTree as ET
xml.dom.minidom.parse(sys.argv[1])
def convert(e):
    return {"tag": e.tag, "attrib": e.attrib, "text": e.text or "",
            "children": [convert(c) for c in e]}
print(json.dumps(convert(ET.parse(sys.argv[1]).getroot())))
)";

RunInfo SampleInfo() {
  return {.harness_version = "0.1.0",
          .seed = 42,
          .server = testing::Hostile(),
          .started_at = "2024-05-01T12:00:00",
          .traits = ""};
}

const JsonValue& Child(const JsonValue& element, std::string_view tag) {
  for (const JsonValue& child : element["children"].array()) {
    if (child["tag"].str() == tag) return child;
  }
  ADD_FAILURE() << "no <" << tag << "> in <" << element["tag"].str() << ">";
  return element;
}

std::vector<std::string> ChildTags(const JsonValue& element) {
  std::vector<std::string> tags;
  for (const JsonValue& child : element["children"].array()) tags.push_back(child["tag"].str());
  return tags;
}

const std::string& Attr(const JsonValue& element, std::string_view name) {
  return element["attrib"][name].str();
}

class JUnitReportTest : public ::testing::Test {
 protected:
  // The report as Python's XML parser sees it; nullopt (test skipped) without python3.
  std::optional<JsonValue> ParsedReport() {
    const std::string path = (dir_.path() / "junit.xml").string();
    EXPECT_TRUE(WriteJUnit(path, cases_, summary_, SampleInfo()).ok());
    const std::optional<testing::PythonRun> run = testing::RunPython(kPythonXmlToJson, path);
    if (!run) return std::nullopt;
    EXPECT_EQ(run->exit_status, 0) << run->output;
    std::string error;
    std::optional<JsonValue> tree = testing::ParseJson(run->output, &error);
    EXPECT_TRUE(tree) << error;
    return tree;
  }

  testing::TempDir dir_;
  std::vector<scenario::CaseResult> cases_ = testing::SampleCases();
  scenario::RunSummary summary_ = testing::SummaryOf(cases_, 12.25);
};

TEST(JUnitClassName, IsTheIdUpToItsLastDot) {
  EXPECT_EQ(JUnitClassName("master.psync.continue"), "master.psync");
  EXPECT_EQ(JUnitClassName("psync.fallback[rdb=9.0]"), "psync.fallback[rdb=9");
  EXPECT_EQ(JUnitClassName("sanity"), "conformance");
  EXPECT_EQ(JUnitClassName(".hidden"), "conformance");
}

TEST_F(JUnitReportTest, RendersOneSuiteWithCountsAndProperties) {
  const std::string xml = RenderJUnit(cases_, summary_, SampleInfo());
  EXPECT_THAT(xml, StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));

  const std::optional<JsonValue> root = ParsedReport();
  if (!root) GTEST_SKIP() << "no /usr/bin/python3 to parse the XML with";
  EXPECT_EQ((*root)["tag"].str(), "testsuites");
  ASSERT_THAT(ChildTags(*root), ElementsAre("testsuite"));
  const JsonValue& suite = Child(*root, "testsuite");
  EXPECT_EQ(Attr(suite, "name"), "conformance");
  EXPECT_EQ(Attr(suite, "tests"), "6");
  EXPECT_EQ(Attr(suite, "failures"), "2");  // FAIL and XPASS
  EXPECT_EQ(Attr(suite, "errors"), "1");
  EXPECT_EQ(Attr(suite, "skipped"), "1");
  EXPECT_EQ(Attr(suite, "time"), "12.250");
  EXPECT_EQ(Attr(suite, "timestamp"), "2024-05-01T12:00:00");

  const JsonValue& properties = Child(suite, "properties");
  ASSERT_EQ(properties["children"].array().size(), 3u);
  EXPECT_EQ(Attr(properties["children"][1], "value"), "42");
  EXPECT_EQ(Attr(properties["children"][2], "name"), "server");
  EXPECT_EQ(Attr(properties["children"][2], "value"), testing::HostileAfterXml());
}

TEST_F(JUnitReportTest, EachVerdictMapsOntoJUnitElements) {
  const std::optional<JsonValue> root = ParsedReport();
  if (!root) GTEST_SKIP() << "no /usr/bin/python3 to parse the XML with";
  const JsonArray& children = Child(*root, "testsuite")["children"].array();
  ASSERT_EQ(children.size(), 1 + cases_.size());  // <properties> first
  const auto testcase = [&children](size_t i) -> const JsonValue& { return children[1 + i]; };

  for (size_t i = 0; i < cases_.size(); ++i) {
    EXPECT_EQ(testcase(i)["tag"].str(), "testcase");
    EXPECT_EQ(Attr(testcase(i), "time"), fmt::format("{:.3f}", cases_[i].seconds));
  }

  const JsonValue& pass = testcase(0);
  EXPECT_EQ(Attr(pass, "classname"), "master.psync");
  EXPECT_EQ(Attr(pass, "name"), "master.psync.continue");
  EXPECT_THAT(ChildTags(pass), ElementsAre());

  const JsonValue& fail = testcase(1);
  ASSERT_THAT(ChildTags(fail), ElementsAre("failure", "system-out"));
  EXPECT_EQ(Attr(Child(fail, "failure"), "type"), "fail");
  EXPECT_EQ(Attr(Child(fail, "failure"), "message"), testing::HostileAfterXml());
  EXPECT_EQ(
      Child(fail, "failure")["text"].str(),
      "step replica.receive-rdb at b.yaml:9:3\n  Expected: +OK\n  " + testing::HostileAfterXml());
  const std::string& fail_out = Child(fail, "system-out")["text"].str();
  EXPECT_THAT(fail_out, HasSubstr("== transcript ==\n    0.001 replica  -> @0   PSYNC ? -1\n" +
                                  testing::HostileAfterXmlCData()));
  EXPECT_THAT(fail_out, HasSubstr("== server log (tail) ==\n1:M 01 Jan 00:00:00.000 * Ready\n" +
                                  testing::HostileAfterXmlCData()));
  EXPECT_THAT(fail_out, HasSubstr("FAIL  replica.receive-rdb at b.yaml:9:3"));
  EXPECT_THAT(fail_out, HasSubstr("out/replica.rdb.eof-mark.txt"));

  const JsonValue& xfail = testcase(2);
  EXPECT_EQ(Attr(xfail, "classname"), "psync");
  ASSERT_THAT(ChildTags(xfail), ElementsAre("system-out"));
  EXPECT_EQ(Child(xfail, "system-out")["text"].str(),
            "XFAIL: failed as the profile expects: known bug: " + testing::HostileAfterXmlCData() +
                "\n\nexpected +CONTINUE, received +FULLRESYNC");

  const JsonValue& xpass = testcase(3);
  EXPECT_EQ(Attr(xpass, "classname"), "conformance");
  ASSERT_THAT(ChildTags(xpass), ElementsAre("failure", "system-out"));
  EXPECT_EQ(Attr(Child(xpass, "failure"), "type"), "xpass");
  EXPECT_THAT(Attr(Child(xpass, "failure"), "message"),
              AllOf(StartsWith("XPASS"), HasSubstr("profile lists sanity as failing")));

  const JsonValue& skip = testcase(4);
  ASSERT_THAT(ChildTags(skip), ElementsAre("skipped"));
  EXPECT_EQ(Attr(Child(skip, "skipped"), "message"),
            "attached with --target: cannot restart the server");

  const JsonValue& error = testcase(5);
  EXPECT_EQ(Attr(error, "name"), "weird.\"<&>]]>\\x01\xef\xbf\xbd id");
  EXPECT_EQ(Attr(error, "classname"), "weird");
  ASSERT_THAT(ChildTags(error), ElementsAre("error", "system-out"));
  EXPECT_EQ(Attr(Child(error, "error"), "message"),
            "server did not start: " + testing::HostileAfterXml());
  EXPECT_THAT(Child(error, "system-out")["text"].str(),
              HasSubstr("== server log (tail) ==\n" + testing::HostileAfterXmlCData()));
}

TEST_F(JUnitReportTest, FailureMessageFallsBackToTheExplanation) {
  scenario::CaseResult result;
  result.id = "a.b";
  result.verdict = scenario::Verdict::kFail;
  result.explanation = "first line\nsecond line";
  EXPECT_THAT(RenderJUnit({result}, testing::SummaryOf({result}, 1), {}),
              HasSubstr("message=\"first line\""));
  result.explanation.clear();
  EXPECT_THAT(RenderJUnit({result}, testing::SummaryOf({result}, 1), {}),
              HasSubstr("message=\"failed\""));
}

TEST_F(JUnitReportTest, EmptyRunIsWellFormed) {
  const std::string xml = RenderJUnit({}, {}, {});
  EXPECT_THAT(xml, HasSubstr("tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\""));
  EXPECT_THAT(xml, Not(HasSubstr("timestamp")));
  const std::string path = (dir_.path() / "empty.xml").string();
  ASSERT_TRUE(WriteJUnit(path, {}, {}, {}).ok());
  const std::optional<testing::PythonRun> run = testing::RunPython(kPythonXmlToJson, path);
  if (!run) GTEST_SKIP() << "no /usr/bin/python3 to parse the XML with";
  EXPECT_EQ(run->exit_status, 0) << run->output;
}

}  // namespace
}  // namespace conformance::report
