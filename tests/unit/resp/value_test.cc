// Value helpers: rendering, argv extraction, equality.
#include "harness/resp/value.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

namespace conformance::resp {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(Value, ToStringRendersEveryType) {
  EXPECT_EQ(Value::SimpleString("OK").ToString(), "+OK");
  EXPECT_EQ(Value::Error("ERR x").ToString(), "-ERR x");
  EXPECT_EQ(Value::Integer(-3).ToString(), ":-3");
  EXPECT_EQ(Value::Bulk("a\r\n\x01").ToString(), "\"a\\r\\n\\x01\"");
  EXPECT_EQ(Value::NullBulk().ToString(), "$-1");
  EXPECT_EQ(Value::NullArray().ToString(), "*-1");
  EXPECT_EQ(Value::Null().ToString(), "_");
  EXPECT_EQ(Value::Boolean(true).ToString(), "#t");
  EXPECT_EQ(Value::Double(INFINITY).ToString(), ",inf");
  EXPECT_EQ(Value::BigNumber("12").ToString(), "(12");
  EXPECT_EQ(Value::BulkError("E").ToString(), "!\"E\"");
  EXPECT_EQ(Value::Verbatim("txt", "x").ToString(), "=\"txt:x\"");
  EXPECT_EQ(Value::Command({"SET", "k", "v"}).ToString(), "*3 [\"SET\" \"k\" \"v\"]");
  EXPECT_EQ(Value::Map({Value::SimpleString("a"), Value::Integer(1), Value::SimpleString("b"),
                        Value::Integer(2)})
                .ToString(),
            "%2 {+a: :1, +b: :2}");
  EXPECT_EQ(Value::Set({}).ToString(), "~0 []");
  EXPECT_EQ(Value::Push({Value::Integer(1)}).ToString(), ">1 [:1]");
  EXPECT_EQ(Value::Inline({"PING"}).ToString(), "inline [\"PING\"]");
  EXPECT_EQ(Value::Inline({}).ToString(), "inline []");
}

TEST(Value, ToStringIsCut) {
  const Value big = Value::Bulk(std::string(1000, 'x'));
  const std::string s = big.ToString(20);
  EXPECT_LE(s.size(), 23u);
  EXPECT_EQ(s.substr(s.size() - 3), "...");
  std::vector<std::string> argv(1000, "arg");
  EXPECT_LE(Value::Command(argv).ToString(50).size(), 53u);
}

TEST(Value, AsArgv) {
  EXPECT_THAT(Value::Command({"GET", "k"}).AsArgv(), ElementsAre("GET", "k"));
  EXPECT_THAT(Value::Inline({"PING"}).AsArgv(), ElementsAre("PING"));
  EXPECT_THAT(Value::Array({Value::Integer(1)}).AsArgv(), IsEmpty());
  EXPECT_THAT(Value::Array({Value::NullBulk()}).AsArgv(), IsEmpty());
  EXPECT_THAT(Value::NullArray().AsArgv(), IsEmpty());
  EXPECT_THAT(Value::Bulk("GET").AsArgv(), IsEmpty());
}

TEST(Value, Predicates) {
  EXPECT_TRUE(Value::SimpleString("x").IsString());
  EXPECT_TRUE(Value::Bulk("x").IsString());
  EXPECT_TRUE(Value::Verbatim("txt", "x").IsString());
  EXPECT_FALSE(Value::NullBulk().IsString());
  EXPECT_FALSE(Value::Error("x").IsString());
  EXPECT_TRUE(Value::Error("x").IsError());
  EXPECT_TRUE(Value::BulkError("x").IsError());
  EXPECT_FALSE(Value::SimpleString("x").IsError());
}

TEST(Value, EqualityComparesMeaningPerType) {
  EXPECT_EQ(Value::Bulk("a"), Value::Bulk("a"));
  EXPECT_NE(Value::Bulk("a"), Value::SimpleString("a"));
  EXPECT_NE(Value::NullBulk(), Value::Bulk(""));
  EXPECT_NE(Value::NullArray(), Value::Array({}));
  EXPECT_NE(Value::Null(), Value::NullBulk());
  EXPECT_EQ(Value::Double(NAN), Value::Double(NAN));
  Value one = Value::Double(1);
  one.str = "1.0";
  EXPECT_EQ(one, Value::Double(1));
  EXPECT_NE(Value::Double(1), Value::Double(2));
  EXPECT_NE(Value::Integer(1), Value::Integer(2));
  EXPECT_NE(Value::Command({"a"}), Value::Inline({"a"}));
  EXPECT_EQ(Value::Command({"a", "b"}), Value::Command({"a", "b"}));
}

TEST(Value, TypeNames) {
  EXPECT_STREQ(ToString(Type::kSimpleString), "simple string");
  EXPECT_STREQ(ToString(Type::kInline), "inline command");
  EXPECT_STREQ(ToString(Type::kAttribute), "attribute");
}

}  // namespace
}  // namespace conformance::resp
