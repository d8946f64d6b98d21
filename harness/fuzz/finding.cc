#include "harness/fuzz/finding.h"

#include <cctype>

namespace conformance::fuzz {

namespace {

// Longest log text a signature keeps.
constexpr size_t kSignatureLogChars = 120;

}  // namespace

const char* ToString(Oracle oracle) {
  switch (oracle) {
    case Oracle::kCrash: return "crash";
    case Oracle::kHang: return "hang";
    case Oracle::kCorruptLoad: return "corrupt-load";
    case Oracle::kMemory: return "memory";
    case Oracle::kExit: return "exit";
    case Oracle::kPanic: return "panic";
    case Oracle::kProtocol: return "protocol";
  }
  return "?";
}

bool IsFailure(Oracle oracle, bool strict) {
  return strict || (oracle != Oracle::kExit && oracle != Oracle::kPanic);
}

bool SaysItStoppedItself(const std::vector<std::string>& log_lines) {
  for (const std::string& line : log_lines) {
    std::string lower;
    for (const char c : line) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    for (const char* word : {"assert", "panic", "guru meditation"}) {
      if (lower.find(word) != std::string::npos) return true;
    }
  }
  return false;
}

std::string NormalizeLogLine(const std::string& line) {
  // Redis-family lines read "pid:role dd Mon yyyy hh:mm:ss.mmm # text": keep the text.
  std::string text = line;
  for (const char* level : {" # ", " * ", " - ", " . "}) {
    const size_t at = text.find(level);
    if (at != std::string::npos && at < 48) {
      text = text.substr(at + 3);
      break;
    }
  }
  std::string out;
  for (size_t i = 0; i < text.size() && out.size() < kSignatureLogChars; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    // Hexadecimal runs (checksums, addresses) read as numbers too.
    size_t hex_run = 0;
    while (i + hex_run < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + hex_run]))) ++hex_run;
    if (hex_run >= 6 && (i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1])))) {
      out.push_back('N');
      i += hex_run - 1;
      continue;
    }
    if (std::isdigit(c) || (c == 'x' && !out.empty() && out.back() == '0')) {
      if (out.empty() || out.back() != 'N') out.push_back('N');
      while (i + 1 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1]))) ++i;
      continue;
    }
    out.push_back(static_cast<char>(c));
  }
  return out;
}

std::string Finding::Symptom() const {
  std::string out = ToString(oracle);
  out += ": " + what;
  if (!log_lines.empty()) out += " | " + NormalizeLogLine(log_lines.front());
  return out;
}

std::string Finding::Class() const {
  switch (oracle) {
    case Oracle::kCrash:
    case Oracle::kExit:
    case Oracle::kPanic: return std::string(ToString(oracle)) + ": " + what;
    case Oracle::kCorruptLoad:
    case Oracle::kProtocol: return std::string(ToString(oracle)) + ": " + rule;
    case Oracle::kHang:
    case Oracle::kMemory: break;
  }
  return ToString(oracle);
}

}  // namespace conformance::fuzz
