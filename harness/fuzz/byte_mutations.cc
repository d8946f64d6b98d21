#include "harness/fuzz/byte_mutations.h"

#include <algorithm>
#include <cctype>

namespace conformance::fuzz {

size_t Below(Rng& rng, size_t bound) { return bound == 0 ? 0 : rng() % bound; }

// --- Bytes, whatever they mean ---

const std::vector<char>& InterestingBytes() {
  static const std::vector<char> kBytes = {'\x00', '\x01', '\x7f', '\x80', '\xff', '\r',
                                             '\n',   '$',    '*',    '-',    '+',    '\xfe'};
  return kBytes;
}

void FlipBit(std::string& bytes, Rng& rng) {
  if (bytes.empty()) return;
  bytes[Below(rng, bytes.size())] ^= static_cast<char>(1u << (rng() % 8));
}
void InterestingByte(std::string& bytes, Rng& rng) {
  if (bytes.empty()) return;
  bytes[Below(rng, bytes.size())] = Pick(rng, InterestingBytes());
}
void Truncate(std::string& bytes, Rng& rng) { bytes.resize(Below(rng, bytes.size())); }
void InsertRandom(std::string& bytes, Rng& rng) {
  std::string inserted(1 + Below(rng, 16), '\0');
  for (char& c : inserted) c = static_cast<char>(rng());
  bytes.insert(Below(rng, bytes.size() + 1), inserted);
}
void DeleteRange(std::string& bytes, Rng& rng) {
  if (bytes.empty()) return;
  const size_t at = Below(rng, bytes.size());
  bytes.erase(at, 1 + Below(rng, std::min<size_t>(16, bytes.size() - at)));
}
void DuplicateRange(std::string& bytes, Rng& rng) {
  if (bytes.empty()) return;
  const size_t at = Below(rng, bytes.size());
  const size_t count = 1 + Below(rng, std::min<size_t>(32, bytes.size() - at));
  bytes.insert(at, bytes.substr(at, count));
}

// --- RESP lines: "+FULLRESYNC id 0\r\n", "$123\r\n", "+OK\r\n" ---

const std::vector<std::string>& InterestingNumbers() {
  static const std::vector<std::string> kNumbers = {
    "-1", "0", "1", "-2", "2147483647", "2147483648", "-2147483648", "4294967295",
    "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
    "18446744073709551615", "18446744073709551616", "99999999999999999999999999", "+5", "0x10",
    " 7", "1e3", ""};
  return kNumbers;
}

void TypeByte(std::string& line, Rng& rng) {
  static const std::vector<char> kTypes = {'+', '-', ':', '$', '*', '_', ',', '#', '!',
                                           '=', '(', '%', '~', '>', '|', '?', '\0', ' '};
  if (line.empty()) line.push_back(' ');
  line[0] = Pick(rng, kTypes);
}
void Crlf(std::string& line, Rng& rng) {
  const size_t end = line.rfind("\r\n");
  switch (rng() % 5) {
    case 0: if (end != std::string::npos) line.erase(end, 1); break;      // LF only
    case 1: if (end != std::string::npos) line.erase(end + 1, 1); break;  // CR only
    case 2: if (end != std::string::npos) line.erase(end, 2); break;      // no end at all
    case 3: line.insert(Below(rng, line.size() + 1), "\r\n"); break;      // a line too early
    default: line.insert(Below(rng, line.size() + 1), "\n"); break;       // a bare LF
  }
}
// Replaces one run of digits (with its sign) by an interesting number.
void Number(std::string& line, Rng& rng) {
  std::vector<std::pair<size_t, size_t>> runs;
  for (size_t i = 0; i < line.size();) {
    if (!std::isdigit(static_cast<unsigned char>(line[i]))) {
      ++i;
      continue;
    }
    size_t begin = i > 0 && line[i - 1] == '-' ? i - 1 : i;
    while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i]))) ++i;
    runs.emplace_back(begin, i - begin);
  }
  if (runs.empty()) return;
  const auto [at, size] = Pick(rng, runs);
  line.replace(at, size, Pick(rng, InterestingNumbers()));
}
// Drops, repeats or swaps a space-separated word.
void Token(std::string& line, Rng& rng) {
  std::vector<size_t> spaces;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == ' ') spaces.push_back(i);
  }
  if (spaces.empty()) {
    line.insert(line.empty() ? 0 : line.size() - std::min<size_t>(2, line.size()), " extra");
    return;
  }
  const size_t space = Pick(rng, spaces);
  size_t word_end = line.find_first_of(" \r\n", space + 1);
  if (word_end == std::string::npos) word_end = line.size();
  const std::string word = line.substr(space, word_end - space);
  switch (rng() % 3) {
    case 0: line.erase(space, word.size()); break;
    case 1: line.insert(word_end, word); break;
    default: line.insert(word_end, " " + std::string(1 + Below(rng, 64), 'x')); break;
  }
}
// The line's text made huge: a reader that buffers lines without a bound grows with it.
void Huge(std::string& line, Rng& rng) {
  const size_t size = rng() % 2 == 0 ? 64 * 1024 : 4 * 1024 * 1024;
  line.insert(std::min<size_t>(1, line.size()), std::string(size, 'A'));
}

}  // namespace conformance::fuzz
