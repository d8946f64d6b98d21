#include "harness/report/matrix_report.h"

#include <gmock/gmock.h>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "harness/report/json_report.h"
#include "harness/report/xml_escape.h"
#include "tests/unit/report/json_value.h"
#include "tests/unit/report/test_support.h"

namespace conformance::report {
namespace {

using scenario::CaseResult;
using scenario::Verdict;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::JsonValue;
using ::testing::Not;
using ::testing::StartsWith;

// Parses the page with expat (the page is also well-formed XML, so a strict parser checks the
// escaping) and prints the two tables as JSON: the matrix's header and rows with each cell's
// class, title, text and link, and the summary's rows as text.
constexpr std::string_view kPythonHtmlToJson = R"(
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
text = lambda e: "".join(e.itertext())
tables = {t.get("class"): t for t in root.iter("table")}
def cell(td):
    a = td.find("a")
    return {"class": td.get("class"), "title": td.get("title"), "text": text(td),
            "href": None if a is None else a.get("href")}
rows = [{"id": text(tr[0]), "cells": [cell(td) for td in tr[1:]]}
        for tr in tables["matrix"].find("tbody")]
print(json.dumps({"header": [text(th) for th in tables["matrix"].find("thead").find("tr")],
                  "rows": rows,
                  "summary": [[text(td) for td in tr] for tr in tables["summary"].find("tbody")]}))
)";

CaseResult Case(std::string id, Verdict verdict, std::string reason = "") {
  CaseResult result;
  result.id = std::move(id);
  result.verdict = verdict;
  result.reason = std::move(reason);
  return result;
}

MatrixColumn Column(std::string label, std::string binary, std::vector<CaseResult> results,
                    int exit_code) {
  const scenario::RunSummary summary = testing::SummaryOf(results, 1.5);
  RunInfo info;
  info.harness_version = "0.1.0";
  info.seed = 42;
  info.server = binary + " (profile p)";
  info.started_at = "2024-05-01T12:00:00Z";
  return {.label = std::move(label), .binary = std::move(binary), .results = std::move(results),
          .summary = summary, .info = std::move(info), .exit_code = exit_code};
}

// Two servers; each ran a case the other did not.
std::vector<MatrixColumn> TwoColumns() {
  return {Column("redis-server", "/usr/bin/redis-server",
                 {Case("sanity", Verdict::kPass),
                  Case("master.psync.continue", Verdict::kFail, "expected +CONTINUE")},
                 1),
          Column("valkey-server", "./src/valkey-server",
                 {Case("sanity", Verdict::kPass),
                  Case("replica.rdb.eof-mark", Verdict::kSkip, "no REPLICAOF")},
                 0)};
}

MatrixInfo Info() {
  return {.harness_version = "0.1.0", .seed = 42, .started_at = "2024-05-01T12:00:00Z",
          .exit_code = 1};
}

// The page as Python's XML parser sees it; nullopt (test skipped) without python3.
std::optional<JsonValue> ParsedPage(const std::string& html) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "matrix.html").string();
  std::ofstream(path, std::ios::binary) << html;
  const std::optional<testing::PythonRun> run = testing::RunPython(kPythonHtmlToJson, path);
  if (!run) return std::nullopt;
  EXPECT_EQ(run->exit_status, 0) << run->output;
  std::string error;
  std::optional<JsonValue> page = testing::ParseJson(run->output, &error);
  EXPECT_TRUE(page) << error << "\n" << run->output;
  return page;
}

TEST(MatrixLabels, AreFileNamesMadeUnique) {
  EXPECT_THAT(MatrixLabels({"/usr/bin/redis-server", "./src/redis-server", "redis-server",
                            "/opt/valkey-server"}),
              ElementsAre("redis-server", "redis-server-2", "redis-server-3", "valkey-server"));
}

TEST(MatrixCaseIds, KeepTheOrderOfFirstAppearance) {
  EXPECT_THAT(MatrixCaseIds(TwoColumns()),
              ElementsAre("sanity", "master.psync.continue", "replica.rdb.eof-mark"));
}

TEST(MatrixTable, ShowsEachVerdictAndADashForACaseNotRun) {
  EXPECT_EQ(RenderMatrixTable(TwoColumns()),
            "case                   redis-server  valkey-server\n"
            "sanity                 PASS          PASS\n"
            "master.psync.continue  FAIL          -\n"
            "replica.rdb.eof-mark   -             SKIP\n"
            "exit code              1             0\n"
            "  redis-server = /usr/bin/redis-server\n"
            "  valkey-server = ./src/valkey-server\n");
}

TEST(MatrixJson, HasServersCasesWithNullForACaseNotRunAndEachFullRun) {
  const std::vector<MatrixColumn> columns = TwoColumns();
  const std::string json = RenderMatrixJson(columns, Info());
  EXPECT_THAT(json, StartsWith(
                        "{\"harness\": {\"version\": \"0.1.0\", \"seed\": 42, "
                        "\"started_at\": \"2024-05-01T12:00:00Z\"},\n \"servers\": [\n  "
                        "{\"label\": \"redis-server\", \"binary\": \"/usr/bin/redis-server\", "
                        "\"server\": \"/usr/bin/redis-server (profile p)\", \"exit_code\": 1, "
                        "\"summary\": {\"pass\": 1, \"fail\": 1, \"xfail\": 0, \"xpass\": 0, "
                        "\"skip\": 0, \"error\": 0, \"total\": 2}},\n"));
  // Each run is embedded byte for byte as its own --json report.
  for (const MatrixColumn& column : columns) {
    const std::string run = RenderJson(column.results, column.summary, column.info);
    EXPECT_THAT(json, HasSubstr(fmt::format("\n  \"{}\": {}", column.label, run)));
  }

  std::string error;
  const std::optional<JsonValue> root = testing::ParseJson(json, &error);
  ASSERT_TRUE(root) << error;
  EXPECT_THAT(root->Keys(), ElementsAre("harness", "servers", "cases", "exit_code", "runs"));
  EXPECT_EQ((*root)["exit_code"].number(), 1);
  const JsonValue& servers = (*root)["servers"];
  ASSERT_EQ(servers.array().size(), 2u);
  EXPECT_EQ(servers[1]["label"].str(), "valkey-server");
  EXPECT_EQ(servers[1]["binary"].str(), "./src/valkey-server");
  EXPECT_EQ(servers[1]["exit_code"].number(), 0);
  EXPECT_EQ(servers[1]["summary"]["skip"].number(), 1);

  const JsonValue& cases = (*root)["cases"];
  ASSERT_EQ(cases.array().size(), 3u);
  EXPECT_EQ(cases[0]["id"].str(), "sanity");
  EXPECT_EQ(cases[0]["verdicts"]["redis-server"].str(), "pass");
  EXPECT_EQ(cases[1]["id"].str(), "master.psync.continue");
  EXPECT_EQ(cases[1]["verdicts"]["redis-server"].str(), "fail");
  EXPECT_TRUE(cases[1]["verdicts"]["valkey-server"].is_null());
  EXPECT_TRUE(cases[2]["verdicts"]["redis-server"].is_null());
  EXPECT_EQ(cases[2]["verdicts"]["valkey-server"].str(), "skip");
  EXPECT_THAT((*root)["runs"].Keys(), ElementsAre("redis-server", "valkey-server"));
  EXPECT_EQ((*root)["runs"]["valkey-server"]["cases"][1]["reason"].str(), "no REPLICAOF");
}

TEST(MatrixHtml, IsOneSelfContainedPageWithHeaderAndSummary) {
  const std::string html = RenderMatrixHtml(TwoColumns(), Info(), "reports");
  EXPECT_THAT(html, StartsWith("<!DOCTYPE html>\n<html"));
  EXPECT_THAT(html, HasSubstr("<style>"));
  EXPECT_THAT(html, HasSubstr("position: sticky"));
  for (const char* external : {"<script", "<link", "src=", "url(", "http:", "https:", "@import"}) {
    EXPECT_THAT(html, Not(HasSubstr(external)));
  }
  EXPECT_THAT(html, HasSubstr("harness 0.1.0 &#183; seed 42 &#183; 2024-05-01T12:00:00Z"));

  const std::optional<JsonValue> page = ParsedPage(html);
  if (!page) GTEST_SKIP() << "no /usr/bin/python3 to parse the HTML with";
  std::vector<std::vector<std::string>> summary;
  for (const JsonValue& row : (*page)["summary"].array()) {
    summary.emplace_back();
    for (const JsonValue& cell : row.array()) summary.back().push_back(cell.str());
  }
  // label, binary, description, PASS FAIL XFAIL XPASS SKIP ERROR, total, exit code
  EXPECT_THAT(summary, ElementsAre(ElementsAre("redis-server", "/usr/bin/redis-server",
                                               "/usr/bin/redis-server (profile p)", "1", "1", "0",
                                               "0", "0", "0", "2", "1"),
                                   ElementsAre("valkey-server", "./src/valkey-server",
                                               "./src/valkey-server (profile p)", "1", "0", "0",
                                               "0", "1", "0", "2", "0")));
  const JsonValue& header = (*page)["header"];
  ASSERT_EQ(header.array().size(), 3u);
  EXPECT_EQ(header[0].str(), "case");
  EXPECT_EQ(header[2].str(), "valkey-server");
}

TEST(MatrixHtml, ColoursEachCellByItsVerdict) {
  std::vector<CaseResult> cases = testing::SampleCases();  // one per verdict, kAllVerdicts order
  std::vector<MatrixColumn> columns = {Column("a", "/bin/a", cases, 1),
                                       Column("b", "/bin/b", {cases[0]}, 0)};
  const std::string html = RenderMatrixHtml(columns, Info(), "");
  for (const Verdict verdict : scenario::kAllVerdicts) {
    EXPECT_THAT(html, HasSubstr(fmt::format("<td class=\"v v-{}\"", scenario::ToString(verdict))));
  }
  EXPECT_THAT(html, HasSubstr("<td class=\"v v-none\""));

  const std::optional<JsonValue> page = ParsedPage(html);
  if (!page) GTEST_SKIP() << "no /usr/bin/python3 to parse the HTML with";
  const JsonValue& rows = (*page)["rows"];
  ASSERT_EQ(rows.array().size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    const JsonValue& a = rows[i]["cells"][0];
    EXPECT_EQ(a["class"].str(), fmt::format("v v-{}", scenario::ToString(cases[i].verdict)));
    EXPECT_EQ(a["text"].str(), scenario::ToLabel(cases[i].verdict));
    const JsonValue& b = rows[i]["cells"][1];
    EXPECT_EQ(b["class"].str(), i == 0 ? "v v-pass" : "v v-none") << i;
    EXPECT_EQ(b["text"].str(), i == 0 ? "PASS" : "-") << i;
  }
  EXPECT_TRUE(rows[0]["cells"][0]["title"].is_null());  // PASS has no reason
}

TEST(MatrixHtml, EscapesIdsReasonsAndServerText) {
  std::vector<CaseResult> cases = testing::SampleCases();
  MatrixColumn column = Column("<a&b>\"", "/bin/x", cases, 1);
  column.info.server = testing::Hostile();
  const std::string html = RenderMatrixHtml({column}, Info(), "");
  EXPECT_THAT(html, Not(HasSubstr("<tag>")));
  EXPECT_THAT(html, Not(HasSubstr("\"<&>")));
  EXPECT_THAT(html, Not(HasSubstr("<a&b>")));
  EXPECT_THAT(html, HasSubstr("<td class=\"id\">weird.\"&lt;&amp;&gt;]]&gt;\\x01"));
  EXPECT_THAT(html, HasSubstr("title=\"" + XmlAttribute(cases[1].reason) + "\""));
  EXPECT_THAT(html, HasSubstr("title=\"q&quot;uote&apos; &lt;tag&gt; &amp; amp;"));
  EXPECT_THAT(html, HasSubstr("<th title=\"" + XmlAttribute(testing::Hostile()) +
                              "\">&lt;a&amp;b&gt;\"</th>"));

  const std::optional<JsonValue> page = ParsedPage(html);
  if (!page) GTEST_SKIP() << "no /usr/bin/python3 to parse the HTML with";
  const JsonValue& rows = (*page)["rows"];
  ASSERT_EQ(rows.array().size(), cases.size());
  EXPECT_EQ(rows[5]["id"].str(), "weird.\"<&>]]>\\x01\xef\xbf\xbd id");
  EXPECT_EQ(rows[1]["cells"][0]["title"].str(), testing::HostileAfterXml());
  EXPECT_EQ(rows[5]["cells"][0]["title"].str(),
            "server did not start: " + testing::HostileAfterXml());
  EXPECT_EQ((*page)["header"][1].str(), "<a&b>\"");
  EXPECT_EQ((*page)["summary"][0][2].str(), testing::HostileAfterXml());
}

TEST(MatrixHtml, LinksACellToItsTranscriptRelativeToThePage) {
  testing::TempDir dir;
  const std::string transcripts = (dir.path() / "reports" / "transcripts" / "a").string();
  std::vector<CaseResult> cases = {Case("x.linked", Verdict::kFail, "why"),
                                   Case("x.unlinked", Verdict::kPass),
                                   Case("x.odd", Verdict::kPass)};
  cases[0].transcript_path = transcripts + "/x.linked.txt";
  cases[2].transcript_path = transcripts + "/odd #1?.txt";
  const std::vector<MatrixColumn> columns = {Column("a", "/bin/a", cases, 1)};

  const std::string beside = RenderMatrixHtml(columns, Info(), (dir.path() / "reports").string());
  EXPECT_THAT(beside, HasSubstr("<a href=\"transcripts/a/x.linked.txt\">FAIL</a>"));
  EXPECT_THAT(beside, HasSubstr("<a href=\"transcripts/a/odd%20%231%3F.txt\">PASS</a>"));
  EXPECT_THAT(beside, HasSubstr("<td class=\"v v-pass\">PASS</td>"));  // x.unlinked

  const std::string elsewhere = RenderMatrixHtml(columns, Info(), (dir.path() / "html").string());
  EXPECT_THAT(elsewhere, HasSubstr("<a href=\"../reports/transcripts/a/x.linked.txt\">FAIL</a>"));

  // Relative paths are taken from the working directory, also when the page's directory does
  // not exist yet (it is created when the page is written) but the transcript's path does ("."
  // stands in for the transcript directory that exists in a real run).
  const std::string missing = "conformance-matrix-test-missing-dir";
  std::vector<CaseResult> relative = {Case("x.relative", Verdict::kPass)};
  relative[0].transcript_path = "./" + missing + "/transcripts/x.relative.txt";
  EXPECT_THAT(RenderMatrixHtml({Column("a", "/bin/a", relative, 0)}, Info(), missing + "/html"),
              HasSubstr("<a href=\"../transcripts/x.relative.txt\">PASS</a>"));

  const std::optional<JsonValue> page = ParsedPage(elsewhere);
  if (!page) GTEST_SKIP() << "no /usr/bin/python3 to parse the HTML with";
  const JsonValue& rows = (*page)["rows"];
  EXPECT_EQ(rows[0]["cells"][0]["href"].str(), "../reports/transcripts/a/x.linked.txt");
  EXPECT_EQ(rows[0]["cells"][0]["title"].str(), "why");
  EXPECT_TRUE(rows[1]["cells"][0]["href"].is_null());
}

}  // namespace
}  // namespace conformance::report
