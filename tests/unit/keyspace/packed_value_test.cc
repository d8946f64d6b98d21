#include "harness/keyspace/packed_value.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

namespace conformance::keyspace {
namespace {

data::ZSet MakeZSet(std::vector<std::pair<std::string, double>> items) {
  data::ZSet zset;
  for (const auto& [member, score] : items) zset.Insert(member, score);
  return zset;
}

std::string Packed(const data::Value& value) {
  std::string out;
  EXPECT_TRUE(Pack(value, &out));
  return out;
}

struct RoundTripCase {
  std::string name;
  data::Value value;
  uint64_t size;
};

TEST(PackedValue, RoundTripsEveryPackableType) {
  const std::string big(70000, 'x');
  const std::vector<RoundTripCase> cases = {
      {"EmptyString", data::String(), 0},
      {"BinaryString", data::String("a\0b\r\n", 5), 5},
      {"BigString", data::String(big), big.size()},
      {"List", data::List{"a", "", "a", big}, 4},
      {"Set", data::Set{"x", "y", "", big}, 4},
      {"ZSet", MakeZSet({{"a", 1.5}, {"b", -0.0}, {"c", std::numeric_limits<double>::infinity()}}),
       3},
      {"Hash", data::Hash{{"f", {"v"}}, {"", {""}}, {"g", {big}}}, 3},
  };
  for (const RoundTripCase& c : cases) {
    const std::string bytes = Packed(c.value);
    const data::ValueType type = data::TypeOf(c.value);
    EXPECT_EQ(Unpack(type, bytes), c.value) << c.name;
    EXPECT_EQ(PackedSize(type, bytes), c.size) << c.name;
  }
}

TEST(PackedValue, EqualUnorderedValuesPackToEqualBytes) {
  data::Set a;
  data::Set b;
  b.reserve(1000);  // another bucket count, so another iteration order
  for (int i = 0; i < 200; ++i) a.insert(std::to_string(i));
  for (int i = 199; i >= 0; --i) b.insert(std::to_string(i));
  EXPECT_EQ(Packed(a), Packed(b));
  EXPECT_EQ(Packed(MakeZSet({{"a", 1}, {"b", 2}})), Packed(MakeZSet({{"b", 2}, {"a", 1}})));
  EXPECT_NE(Packed(MakeZSet({{"a", 1}, {"b", 2}})), Packed(MakeZSet({{"a", 1}, {"b", 3}})));
}

TEST(PackedValue, TypesWithoutPackedFormAreRefused) {
  std::string out = "untouched";
  EXPECT_FALSE(Pack(data::Stream{}, &out));
  EXPECT_FALSE(Pack(data::ModuleValue{7, "raw"}, &out));
  data::Hash with_field_ttl{{"f", {"v", 1234}}};
  EXPECT_FALSE(Pack(with_field_ttl, &out));
  EXPECT_EQ(out, "untouched");
}

TEST(PackedReader, TruncatedBytesReadAsEmptyNotPastTheEnd) {
  PackedReader reader(std::string_view("\x05\x09" "ab", 4));
  EXPECT_EQ(reader.ReadCount(), 5u);
  EXPECT_EQ(reader.ReadBytes(), "ab");
  EXPECT_EQ(reader.ReadBytes(), "");
  EXPECT_EQ(reader.ReadScore(), 0.0);
}

}  // namespace
}  // namespace conformance::keyspace
