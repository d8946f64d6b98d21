#include "harness/data/packed.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

namespace conformance::data {
namespace {

ZSet MakeZSet(std::vector<std::pair<std::string, double>> items) {
  ZSet zset;
  for (const auto& [member, score] : items) zset.Insert(member, score);
  return zset;
}

std::string Packed(const Value& value) {
  std::string out;
  EXPECT_TRUE(Pack(value, &out));
  return out;
}

struct RoundTripCase {
  std::string name;
  Value value;
  uint64_t size;
};

TEST(PackedValue, RoundTripsEveryPackableType) {
  const std::string big(70000, 'x');
  const std::vector<RoundTripCase> cases = {
      {"EmptyString", String(), 0},
      {"BinaryString", String("a\0b\r\n", 5), 5},
      {"BigString", String(big), big.size()},
      {"List", List{"a", "", "a", big}, 4},
      {"Set", Set{"x", "y", "", big}, 4},
      {"ZSet", MakeZSet({{"a", 1.5}, {"b", -0.0}, {"c", std::numeric_limits<double>::infinity()}}),
       3},
      {"Hash", Hash{{"f", {"v"}}, {"", {""}}, {"g", {big}}}, 3},
  };
  for (const RoundTripCase& c : cases) {
    const std::string bytes = Packed(c.value);
    const ValueType type = TypeOf(c.value);
    EXPECT_EQ(Unpack(type, bytes), c.value) << c.name;
    EXPECT_EQ(PackedSize(type, bytes), c.size) << c.name;
  }
}

TEST(PackedValue, EqualUnorderedValuesPackToEqualBytes) {
  Set a;
  Set b;
  b.reserve(1000);  // another bucket count, so another iteration order
  for (int i = 0; i < 200; ++i) a.insert(std::to_string(i));
  for (int i = 199; i >= 0; --i) b.insert(std::to_string(i));
  EXPECT_EQ(Packed(a), Packed(b));
  EXPECT_EQ(Packed(MakeZSet({{"a", 1}, {"b", 2}})), Packed(MakeZSet({{"b", 2}, {"a", 1}})));
  EXPECT_NE(Packed(MakeZSet({{"a", 1}, {"b", 2}})), Packed(MakeZSet({{"a", 1}, {"b", 3}})));
}

TEST(PackedValue, TypesWithoutPackedFormAreRefused) {
  std::string out = "untouched";
  EXPECT_FALSE(Pack(Stream{}, &out));
  EXPECT_FALSE(Pack(ModuleValue{7, "raw"}, &out));
  Hash with_field_ttl{{"f", {"v", 1234}}};
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
}  // namespace conformance::data
