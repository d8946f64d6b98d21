// The shared matchers accept what they should, reject what they should, and explain why.
#include "harness/resp/matchers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace conformance::resp {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

TEST(Matchers, Strings) {
  EXPECT_THAT(Value::SimpleString("OK"), IsSimpleString("OK"));
  EXPECT_THAT(Value::Bulk("OK"), Not(IsSimpleString("OK")));
  EXPECT_THAT(Value::Bulk("x"), IsBulk("x"));
  EXPECT_THAT(Value::Bulk("xyz"), IsBulk(HasSubstr("y")));
  EXPECT_THAT(Value::NullBulk(), Not(IsBulk("")));
  EXPECT_THAT(Value::NullBulk(), IsNullBulk());
  EXPECT_THAT(Value::NullArray(), IsNullArray());
}

TEST(Matchers, Errors) {
  EXPECT_THAT(Value::Error("NOAUTH Authentication required."), ErrPrefix("NOAUTH"));
  EXPECT_THAT(Value::Error("NOAUTH Authentication required."), IsError(HasSubstr("required")));
  EXPECT_THAT(Value::BulkError("NOPERM x"), ErrPrefix("NOPERM"));
  EXPECT_THAT(Value::SimpleString("NOAUTH"), Not(ErrPrefix("NOAUTH")));
  EXPECT_THAT(Value::Error("ERR x"), Not(ErrPrefix("NOAUTH")));
}

TEST(Matchers, NumbersAndArrays) {
  EXPECT_THAT(Value::Integer(3), IsInteger(3));
  EXPECT_THAT(Value::Integer(3), IsInteger(::testing::Gt(2)));
  EXPECT_THAT(Value::Bulk("3"), Not(IsInteger(3)));
  const Value array = Value::Array({Value::Integer(1), Value::Bulk("a"), Value::NullBulk()});
  EXPECT_THAT(array, ArrLen(3));
  EXPECT_THAT(array, Not(ArrLen(2)));
  EXPECT_THAT(Value::NullArray(), Not(ArrLen(0)));
  EXPECT_THAT(array, IsArray(ElementsAre(IsInteger(1), IsBulk("a"), IsNullBulk())));
  EXPECT_THAT(Value::Boolean(true), HasType(Type::kBoolean));
}

TEST(Matchers, Commands) {
  EXPECT_THAT(Value::Command({"SET", "k", "v"}), IsCommand(ElementsAre("SET", "k", "v")));
  EXPECT_THAT(Value::Inline({"PING"}), IsCommand(ElementsAre("PING")));
  EXPECT_THAT(Value::Inline({}), IsInline(IsEmpty()));
  EXPECT_THAT(Value::Array({Value::Integer(1)}), Not(IsCommand(::testing::_)));
  EXPECT_THAT(Value::SimpleString("PING"), Not(IsCommand(::testing::_)));
  EXPECT_THAT(Value::Command({"PING"}), Not(IsInline(::testing::_)));
}

TEST(Matchers, ExplainsMismatch) {
  ::testing::StringMatchResultListener listener;
  EXPECT_FALSE(::testing::ExplainMatchResult(IsSimpleString("OK"), Value::Error("ERR"), &listener));
  EXPECT_THAT(listener.str(), HasSubstr("which is a error"));
  EXPECT_THAT(::testing::DescribeMatcher<Value>(ErrPrefix("NOAUTH")), HasSubstr("NOAUTH"));
}

TEST(Matchers, PrintToRendersValue) {
  EXPECT_EQ(::testing::PrintToString(Value::Command({"SET", "k", "v"})),
            "*3 [\"SET\" \"k\" \"v\"]");
}

}  // namespace
}  // namespace conformance::resp
