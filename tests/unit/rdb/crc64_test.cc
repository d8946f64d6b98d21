#include "harness/rdb/crc64.h"

#include <gtest/gtest.h>

#include <string>

namespace conformance::rdb {
namespace {

// The vector Redis's own crc64 test checks (src/crc64.c).
TEST(Crc64, KnownVector) { EXPECT_EQ(Crc64(0, "123456789"), 0xe9c6d914c4b8d9caULL); }

TEST(Crc64, EmptyInputKeepsTheCrc) {
  EXPECT_EQ(Crc64(0, ""), 0u);
  EXPECT_EQ(Crc64(0x1234, ""), 0x1234u);
}

TEST(Crc64, IncrementalEqualsOneShotAtEverySplit) {
  std::string data;
  for (int i = 0; i < 100; ++i) data.push_back(static_cast<char>(i * 37 + 11));
  const uint64_t whole = Crc64(0, data);
  for (size_t split = 0; split <= data.size(); ++split) {
    const std::string_view v(data);
    EXPECT_EQ(Crc64(Crc64(0, v.substr(0, split)), v.substr(split)), whole) << split;
  }
}

// Cross-check the slicing-by-8 loop against the bitwise definition.
TEST(Crc64, MatchesBitwiseDefinition) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data.push_back(static_cast<char>((i * 7919) >> 3));
  uint64_t crc = 0;
  for (unsigned char b : data) {
    crc ^= b;
    for (int k = 0; k < 8; ++k) crc = (crc & 1) ? (crc >> 1) ^ 0x95ac9329ac4bc9b5ULL : crc >> 1;
  }
  EXPECT_EQ(Crc64(0, data), crc);
}

}  // namespace
}  // namespace conformance::rdb
