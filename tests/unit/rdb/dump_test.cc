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
      // The sample streams carry what only RDB 11 has (max deleted ID, active times): an
      // older version refuses them (dump_property_test.cc checks every refusal is needed).
      if (std::holds_alternative<data::Stream>(s.value) && version < 11 && !payload.ok()) {
        continue;
      }
      ASSERT_TRUE(payload.ok()) << s.name << " v" << version << ": " << payload.message();
      auto back = DecodeDumpPayload(*payload);
      ASSERT_TRUE(back.ok()) << s.name << " v" << version << ": " << back.message();
      EXPECT_EQ(back->expire_at_ms, data::Entry::kNoExpiry);
      EXPECT_TRUE(ValuesEqual(s.value, back->value)) << s.name << " v" << version;
    }
  }
}

// A payload of `version` around `body` (type byte and value).
std::string Payload(std::string body, int version) {
  AppendLE(&body, static_cast<uint64_t>(version), 2);
  AppendLE(&body, Crc64(0, body), 8);
  return body;
}

TEST(Dump, DragonflyJsonReadAsAModuleValueIsRefusedNotMisencoded) {
  // Dragonfly before RDB 10 gives type 20 to JSON; it reads as a module value of id 0.
  const std::string json = R"({"a":[1,2,{"b":"c"}]})";
  auto entry = DecodeDumpPayload(Payload("" + Str(json), 9));
  ASSERT_TRUE(entry.ok()) << entry.message();
  ASSERT_EQ(std::get<data::ModuleValue>(entry->value), (data::ModuleValue{0, json}));
  for (int version : {8, 9, 10, 11, 12}) {
    auto payload = EncodeDumpPayload(entry->value, version);
    ASSERT_FALSE(payload.ok()) << "v" << version << ": the decoder says "
                               << DecodeDumpPayload(*payload).message();
    EXPECT_THAT(payload.message(), HasSubstr("cannot carry this module value"));
  }
}

data::Stream StreamWithDeletions() {
  data::Stream s;
  s.entries[{5, 0}] = {{"f", "v"}};
  s.last_id = {5, 0};
  s.first_id = {5, 0};
  s.max_deleted_id = {4, 0};
  s.entries_added = 3;
  return s;
}

TEST(Dump, StreamMetadataRdb9CannotCarryIsAnError) {
  const data::Stream s = StreamWithDeletions();
  auto at9 = EncodeDumpPayload(s, 9);
  ASSERT_FALSE(at9.ok());
  EXPECT_THAT(at9.message(),
              HasSubstr("RDB 9 cannot carry this stream value: its max deleted ID 4-0 reads back "
                        "as 0-0"));
  data::Stream added_only = s;
  added_only.max_deleted_id = {0, 0};
  EXPECT_THAT(EncodeDumpPayload(added_only, 9).message(),
              HasSubstr("its entries added 3 reads back as 1"));
  auto at10 = EncodeDumpPayload(s, 10);
  ASSERT_TRUE(at10.ok()) << at10.message();
  EXPECT_TRUE(ValuesEqual(s, DecodeDumpPayload(*at10)->value));
  // What RDB 9 derives on load (first entry, entries added = length) it can carry.
  data::Stream plain = added_only;
  plain.entries_added = 1;
  auto plain9 = EncodeDumpPayload(plain, 9);
  ASSERT_TRUE(plain9.ok()) << plain9.message();
  EXPECT_TRUE(ValuesEqual(plain, DecodeDumpPayload(*plain9)->value));
}

TEST(Dump, ConsumerActiveTimesNeedRdb11AndNeverActiveRoundTrips) {
  data::Stream s = StreamWithDeletions();
  data::StreamGroup group;
  group.name = "g";
  group.last_delivered = {5, 0};
  group.entries_read = 3;
  group.consumers = {{"active", 1700000001000, 1700000000500}, {"idle", 1700000002000, -1}};
  s.groups = {group};
  EXPECT_THAT(EncodeDumpPayload(s, 10).message(),
              HasSubstr("its group \"g\" consumer \"active\" active time 1700000000500 reads "
                        "back as -1"));
  for (int version : {11, 12}) {
    auto payload = EncodeDumpPayload(s, version);
    ASSERT_TRUE(payload.ok()) << payload.message();
    EXPECT_TRUE(ValuesEqual(s, DecodeDumpPayload(*payload)->value)) << "v" << version;
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
