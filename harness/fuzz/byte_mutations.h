// Mutations of bytes and of RESP lines that know nothing of what the bytes mean: the pieces
// both directions' mutators are made of. Each is a pure function of (bytes, rng).
#pragma once

#include <cstddef>
#include <random>
#include <string>
#include <vector>

namespace conformance::fuzz {

using Rng = std::mt19937_64;

template <typename T>
const T& Pick(Rng& rng, const std::vector<T>& items) {
  return items[rng() % items.size()];
}
// A number in [0, bound), 0 when bound is 0.
size_t Below(Rng& rng, size_t bound);

// Bytes that mean something to a RESP or RDB parser (NUL, CR, LF, type bytes, 0x80, 0xff).
const std::vector<char>& InterestingBytes();
// Numbers at the limits of 32- and 64-bit integers, signed and not, and not quite numbers.
const std::vector<std::string>& InterestingNumbers();

// --- Bytes, whatever they mean ---
void FlipBit(std::string& bytes, Rng& rng);
void InterestingByte(std::string& bytes, Rng& rng);
void Truncate(std::string& bytes, Rng& rng);
void InsertRandom(std::string& bytes, Rng& rng);
void DeleteRange(std::string& bytes, Rng& rng);
void DuplicateRange(std::string& bytes, Rng& rng);

// --- RESP lines: "+FULLRESYNC id 0\r\n", "$123\r\n", "+OK\r\n" ---
void TypeByte(std::string& line, Rng& rng);  // the first byte: another RESP type, or none
void Crlf(std::string& line, Rng& rng);      // LF or CR alone, no end, a line end too early
void Number(std::string& line, Rng& rng);    // one run of digits: an interesting number
void Token(std::string& line, Rng& rng);     // a space-separated word dropped, repeated, added
void Huge(std::string& line, Rng& rng);      // 64 KiB or 4 MiB inserted

}  // namespace conformance::fuzz
