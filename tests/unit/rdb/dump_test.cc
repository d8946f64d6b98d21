// DUMP payloads: encode/decode round trips for every sample value and version, exact bytes
// against the real server, and negative cases.
#include "harness/rdb/dump.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/rdb/compact_item.h"
#include "harness/rdb/crc64.h"
#include "harness/rdb/opcodes.h"
#include "test_util.h"

namespace conformance::rdb::testing {
namespace {

using ::testing::HasSubstr;

TEST(Dump, RoundTripsEverySampleValueAtEveryVersion) {
  for (int version : {6, 7, 8, 9, 10, 11, 12, kValkeyVersion}) {
    for (const SampleValue& s : SampleValues()) {
      if (s.min_version > version) continue;
      auto payload = EncodeDumpPayload(s.value, version);
      ASSERT_TRUE(payload.ok()) << s.name << " v" << version << ": " << payload.message();
      auto back = DecodeDumpPayload(*payload);
      ASSERT_TRUE(back.ok()) << s.name << " v" << version << ": " << back.message();
      EXPECT_EQ(back->expire_at_ms, data::Entry::kNoExpiry);
      if (!std::holds_alternative<data::Stream>(s.value) || version >= 11) {
        EXPECT_TRUE(ValuesEqual(s.value, back->value)) << s.name << " v" << version;
      }
    }
  }
}

TEST(Dump, FooterLayout) {
  auto payload = EncodeDumpPayload(data::String("-1234"), 10);
  ASSERT_TRUE(payload.ok());
  // type 0, int16 -1234, version 10 LE, CRC64 LE over everything before it.
  const std::string body("\x00\xc1\x2e\xfb\x0a\x00", 6);
  ASSERT_EQ(payload->substr(0, 6), body);
  const uint64_t crc = Crc64(0, body);
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(static_cast<uint8_t>((*payload)[6 + i]), (crc >> (8 * i)) & 0xff);
  }
}

// KeyDB 6.3 appends an aux field (mvcc-tstamp) between the value and the footer; these are
// its bytes for SET k v and RPUSH l a b.
TEST(Dump, AcceptsKeyDBAuxFieldsAfterTheValue) {
  const std::string aux = "\xfa\x0bmvcc-tstamp\x14" "18446744073709551615";
  const std::string string_payload = std::string("\x00\x01v", 3) + aux +
                                     std::string("\x09\x00\x6a\x1a\x2f\x4f\xc8\xf6\x2c\xb9", 10);
  auto string_entry = DecodeDumpPayload(string_payload);
  ASSERT_TRUE(string_entry.ok()) << string_entry.message();
  EXPECT_EQ(std::get<data::String>(string_entry->value), "v");

  // A value whose own bytes end where a truncated aux field would start still fails cleanly.
  std::string truncated = std::string("\x00\x01v\xfa\x0bmvcc", 9);
  truncated += "\x09";
  truncated += '\0';
  AppendLE(&truncated, Crc64(0, truncated), 8);
  EXPECT_FALSE(DecodeDumpPayload(truncated).ok());
}

TEST(Dump, Negative) {
  auto good = EncodeDumpPayload(data::List{"a", "b"}, 10);
  ASSERT_TRUE(good.ok());
  {
    std::string bad = *good;
    bad[3] ^= 1;
    EXPECT_THAT(DecodeDumpPayload(bad).message(), HasSubstr("CRC64 mismatch"));
  }
  EXPECT_THAT(DecodeDumpPayload("short").message(), HasSubstr("shorter than"));
  {
    auto v13 = EncodeDumpPayload(data::String("x"), 13);  // the encoder does not judge
    ASSERT_TRUE(v13.ok());
    EXPECT_THAT(DecodeDumpPayload(*v13).message(), HasSubstr("unsupported RDB version 13"));
  }
  {
    // A body cut short, with a valid CRC over the shortened payload.
    std::string body = good->substr(0, good->size() - 10);
    body.pop_back();
    body += std::string("\x0a\x00", 2);
    const uint64_t crc = Crc64(0, body);
    for (int i = 0; i < 8; ++i) body.push_back(static_cast<char>((crc >> (8 * i)) & 0xff));
    EXPECT_THAT(DecodeDumpPayload(body).message(), HasSubstr("truncated DUMP payload"));
  }
  {
    // Extra bytes after the value.
    std::string body = good->substr(0, good->size() - 10) + "zz" + std::string("\x0a\x00", 2);
    const uint64_t crc = Crc64(0, body);
    for (int i = 0; i < 8; ++i) body.push_back(static_cast<char>((crc >> (8 * i)) & 0xff));
    EXPECT_THAT(DecodeDumpPayload(body).message(), HasSubstr("2 unexpected bytes"));
  }
  {
    std::string body = std::string("\x63", 1) + std::string("\x0a\x00", 2);
    const uint64_t crc = Crc64(0, body);
    for (int i = 0; i < 8; ++i) body.push_back(static_cast<char>((crc >> (8 * i)) & 0xff));
    EXPECT_THAT(DecodeDumpPayload(body).message(), HasSubstr("unknown value type 99"));
  }
  data::Hash ttl = MakeHash({{"f", "v"}});
  ttl["f"].expire_at_ms = 1800000000000;
  EXPECT_THAT(EncodeDumpPayload(ttl, 10).message(), HasSubstr("need RDB 12"));
}

}  // namespace
}  // namespace conformance::rdb::testing
