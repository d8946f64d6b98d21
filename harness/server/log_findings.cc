#include "harness/server/log_findings.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace conformance::server {

namespace {

bool Explains(const std::string& line) {
  // Redis: "pid:R dd Mon yyyy hh:mm:ss.mmm # message" (# is the warning level).
  if (line.find(" # ") != std::string::npos) return true;
  std::string lower(line);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* word : {"error", "refus", "can't", "cannot", "failed", "corrupt", "desync",
                           "critical", "fatal", "panic", "assert"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> LogFindings(const std::string& log, size_t max_lines) {
  std::vector<std::string> found;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (Explains(line)) found.push_back(line);
  }
  // Too many: the first ones say what started it (a crash report's head), the last ones how
  // it ended.
  if (found.size() > max_lines) {
    const size_t head = max_lines / 2;
    found.erase(found.begin() + static_cast<long>(head),
                found.end() - static_cast<long>(max_lines - head));
  }
  return found;
}

}  // namespace conformance::server
