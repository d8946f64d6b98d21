#include "harness/report/matrix_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <string_view>

#include "harness/report/json_escape.h"
#include "harness/report/json_report.h"
#include "harness/report/xml_escape.h"

namespace conformance::report {
namespace {

using scenario::CaseResult;
using scenario::kAllVerdicts;

const CaseResult* FindResult(const MatrixColumn& column, const std::string& id) {
  for (const CaseResult& result : column.results) {
    if (result.id == id) return &result;
  }
  return nullptr;
}

// A file path as a URL path: every byte but [A-Za-z0-9-._~/=] is percent-encoded, so '#', '?',
// '%', spaces and a "c:" that would read as a scheme cannot change what the link means.
std::string UrlPath(std::string_view path) {
  std::string out;
  for (const char c : path) {
    const unsigned char byte = static_cast<unsigned char>(c);
    const bool keep = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                      (byte >= '0' && byte <= '9') ||
                      std::string_view("-._~/=").find(c) != std::string_view::npos;
    out += keep ? std::string(1, c) : fmt::format("%{:02X}", byte);
  }
  return out;
}

// The transcript's path relative to the page's directory (symlinks resolved), so the link
// survives moving the reports. Both are made absolute first: the page's directory may not exist
// yet, and weakly_canonical leaves a relative path that does not exist relative.
std::string TranscriptHref(const std::string& transcript_path, const std::string& html_dir) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::path transcript = fs::absolute(transcript_path, error);
  const fs::path dir = error ? fs::path() : fs::absolute(html_dir.empty() ? "." : html_dir, error);
  const fs::path relative = error ? fs::path() : fs::relative(transcript, dir, error);
  return UrlPath(error || relative.empty() ? transcript_path : relative.generic_string());
}

// Inline, so the page needs nothing else. A cell's class is "v-" plus its verdict's JSON name.
constexpr std::string_view kHtmlStyle = R"(
body { font-family: sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; }
table { border-collapse: collapse; margin-bottom: 1.5em; }
th, td { border: 1px solid #bbb; padding: 0.2em 0.6em; text-align: left; }
th { background: #eee; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
table.matrix thead th { position: sticky; top: 0; z-index: 1; }
table.matrix td.id { font-family: monospace; position: sticky; left: 0; background: #fff; }
td.v { text-align: center; font-weight: bold; white-space: nowrap; }
td.v a { color: inherit; display: block; }
.v-pass { background: #2e7d32; color: #fff; }
.v-fail { background: #c62828; color: #fff; }
.v-error { background: #d35400; color: #fff; }
.v-skip { background: #9e9e9e; color: #fff; }
.v-xfail { background: #a5b536; color: #222; }
.v-xpass { background: #6a1b9a; color: #fff; }
.v-none { background: #fff; color: #999; }
)";

std::string HtmlSummaryRow(const MatrixColumn& column) {
  std::string row = fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td>", XmlText(column.label),
                                XmlText(column.binary), XmlText(column.info.server));
  for (const scenario::Verdict verdict : kAllVerdicts) {
    row += fmt::format("<td class=\"n\">{}</td>", column.summary.count(verdict));
  }
  row += fmt::format("<td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                     column.summary.total(), column.exit_code);
  return row;
}

std::string HtmlCell(const CaseResult* result, const std::string& html_dir) {
  if (result == nullptr) {
    return "<td class=\"v v-none\" title=\"not run against this server\">-</td>";
  }
  const std::string title =
      result->reason.empty() ? "" : fmt::format(" title=\"{}\"", XmlAttribute(result->reason));
  std::string label = scenario::ToLabel(result->verdict);
  if (!result->transcript_path.empty()) {
    label = fmt::format("<a href=\"{}\">{}</a>",
                        XmlAttribute(TranscriptHref(result->transcript_path, html_dir)), label);
  }
  return fmt::format("<td class=\"v v-{}\"{}>{}</td>", scenario::ToString(result->verdict), title,
                     label);
}

}  // namespace

std::vector<std::string> MatrixLabels(const std::vector<std::string>& binaries) {
  std::vector<std::string> labels;
  for (const std::string& binary : binaries) {
    const std::string base = std::filesystem::path(binary).filename().string();
    std::string label = base;
    for (int n = 2; std::find(labels.begin(), labels.end(), label) != labels.end(); ++n) {
      label = fmt::format("{}-{}", base, n);
    }
    labels.push_back(label);
  }
  return labels;
}

std::vector<std::string> MatrixCaseIds(const std::vector<MatrixColumn>& columns) {
  std::vector<std::string> ids;
  for (const MatrixColumn& column : columns) {
    for (const CaseResult& result : column.results) {
      if (std::find(ids.begin(), ids.end(), result.id) == ids.end()) ids.push_back(result.id);
    }
  }
  return ids;
}

std::string RenderMatrixTable(const std::vector<MatrixColumn>& columns) {
  const std::vector<std::string> ids = MatrixCaseIds(columns);
  size_t id_width = 4;
  for (const std::string& id : ids) id_width = std::max(id_width, id.size());
  std::vector<std::string> labels;
  std::vector<size_t> widths;
  for (const MatrixColumn& column : columns) {
    labels.push_back(column.label);
    widths.push_back(std::max<size_t>(column.label.size(), 5));
  }
  std::string text;
  auto row = [&](const std::string& first, const std::vector<std::string>& cells) {
    std::string line = fmt::format("{:<{}}", first, id_width);
    for (size_t i = 0; i < cells.size(); ++i) line += fmt::format("  {:<{}}", cells[i], widths[i]);
    line.erase(line.find_last_not_of(' ') + 1);
    text += line + "\n";
  };
  row("case", labels);
  for (const std::string& id : ids) {
    std::vector<std::string> cells;
    for (const MatrixColumn& column : columns) {
      const CaseResult* result = FindResult(column, id);
      cells.push_back(result ? scenario::ToLabel(result->verdict) : "-");
    }
    row(id, cells);
  }
  std::vector<std::string> exit_codes;
  for (const MatrixColumn& column : columns) exit_codes.push_back(std::to_string(column.exit_code));
  row("exit code", exit_codes);
  for (const MatrixColumn& column : columns) {
    text += fmt::format("  {} = {}\n", column.label, column.binary);
  }
  return text;
}

std::string RenderMatrixJson(const std::vector<MatrixColumn>& columns, const MatrixInfo& info) {
  std::string json =
      fmt::format("{{\"harness\": {{\"version\": {}, \"seed\": {}, \"started_at\": {}}},\n",
                  JsonString(info.harness_version), info.seed, JsonString(info.started_at));
  json += " \"servers\": [";
  for (size_t i = 0; i < columns.size(); ++i) {
    const MatrixColumn& column = columns[i];
    json += fmt::format("{}\n  {{\"label\": {}, \"binary\": {}, \"server\": {}, "
                        "\"exit_code\": {}, \"summary\": {{",
                        i ? "," : "", JsonString(column.label), JsonString(column.binary),
                        JsonString(column.info.server), column.exit_code);
    for (size_t v = 0; v < kAllVerdicts.size(); ++v) {
      json += fmt::format("{}\"{}\": {}", v ? ", " : "", scenario::ToString(kAllVerdicts[v]),
                          column.summary.count(kAllVerdicts[v]));
    }
    json += fmt::format(", \"total\": {}}}}}", column.summary.total());
  }
  json += "],\n \"cases\": [";
  const std::vector<std::string> ids = MatrixCaseIds(columns);
  for (size_t row = 0; row < ids.size(); ++row) {
    json += fmt::format("{}\n  {{\"id\": {}, \"verdicts\": {{", row ? "," : "",
                        JsonString(ids[row]));
    for (size_t i = 0; i < columns.size(); ++i) {
      const CaseResult* result = FindResult(columns[i], ids[row]);
      json += fmt::format("{}{}: {}", i ? ", " : "", JsonString(columns[i].label),
                          result ? JsonString(scenario::ToString(result->verdict)) : "null");
    }
    json += "}}";
  }
  json += fmt::format("],\n \"exit_code\": {},\n \"runs\": {{", info.exit_code);
  for (size_t i = 0; i < columns.size(); ++i) {
    json += fmt::format("{}\n  {}: {}", i ? "," : "", JsonString(columns[i].label),
                        RenderJson(columns[i].results, columns[i].summary, columns[i].info));
  }
  json += "}}\n";
  return json;
}

// Also well-formed XML (void elements self-closed, only numeric character references), so a
// strict parser can check the escaping.
std::string RenderMatrixHtml(const std::vector<MatrixColumn>& columns, const MatrixInfo& info,
                             const std::string& html_dir) {
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n";
  html += "<title>conformance matrix</title>\n<style>";
  html += kHtmlStyle;
  html += "</style>\n</head>\n<body>\n<h1>Replication conformance</h1>\n";
  html += fmt::format("<p>harness {} &#183; seed {} &#183; {} &#183; exit code {}</p>\n",
                      XmlText(info.harness_version), info.seed, XmlText(info.started_at),
                      info.exit_code);

  html += "<table class=\"summary\">\n<thead><tr>";
  html += "<th>server</th><th>binary</th><th>description</th>";
  for (const scenario::Verdict verdict : kAllVerdicts) {
    html += fmt::format("<th>{}</th>", scenario::ToLabel(verdict));
  }
  html += "<th>total</th><th>exit code</th></tr></thead>\n<tbody>\n";
  for (const MatrixColumn& column : columns) html += HtmlSummaryRow(column);
  html += "</tbody>\n</table>\n";

  html += "<table class=\"matrix\">\n<thead><tr><th>case</th>";
  for (const MatrixColumn& column : columns) {
    html += fmt::format("<th title=\"{}\">{}</th>", XmlAttribute(column.info.server),
                        XmlText(column.label));
  }
  html += "</tr></thead>\n<tbody>\n";
  for (const std::string& id : MatrixCaseIds(columns)) {
    html += fmt::format("<tr><td class=\"id\">{}</td>", XmlText(id));
    for (const MatrixColumn& column : columns) html += HtmlCell(FindResult(column, id), html_dir);
    html += "</tr>\n";
  }
  html += "</tbody>\n</table>\n</body>\n</html>\n";
  return html;
}

}  // namespace conformance::report
