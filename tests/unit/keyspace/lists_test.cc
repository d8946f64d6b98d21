// List commands, including blocking forms (which never block here) and LMPOP.
#include "tests/unit/keyspace/test_util.h"

namespace conformance::keyspace {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using testing::kNow;
using ::testing::Not;

TEST(Lists, Table) {
  testing::RunCases({
      {"lpush order",
       {{"LPUSH", "l", "a", "b", "c"}},
       HasKey(0, "l", ListValue(ElementsAre("c", "b", "a")))},
      {"rpush order",
       {{"RPUSH", "l", "a", "b"}, {"RPUSH", "l", "c"}},
       HasKey(0, "l", ListValue(ElementsAre("a", "b", "c")))},
      {"pushx on missing", {{"LPUSHX", "l", "a"}, {"RPUSHX", "l", "b"}}, Not(HasKey(0, "l"))},
      {"pushx on existing",
       {{"RPUSH", "l", "a"}, {"LPUSHX", "l", "z"}, {"RPUSHX", "l", "b"}},
       HasKey(0, "l", ListValue(ElementsAre("z", "a", "b")))},
      {"lpop",
       {{"RPUSH", "l", "a", "b", "c"}, {"LPOP", "l"}},
       HasKey(0, "l", ListValue(ElementsAre("b", "c")))},
      {"rpop count",
       {{"RPUSH", "l", "a", "b", "c"}, {"RPOP", "l", "2"}},
       HasKey(0, "l", ListValue(ElementsAre("a")))},
      {"lpop count zero", {{"RPUSH", "l", "a"}, {"LPOP", "l", "0"}}, HasKey(0, "l")},
      {"lpop everything deletes",
       {{"RPUSH", "l", "a", "b"}, {"LPOP", "l", "10"}},
       Not(HasKey(0, "l"))},
      {"pop keeps ttl",
       {{"RPUSH", "l", "a", "b"}, {"PEXPIRE", "l", "50"}, {"LPOP", "l"}},
       HasKey(0, "l", ExpiresAt(kNow + 50))},
      {"linsert before",
       {{"RPUSH", "l", "a", "c"}, {"LINSERT", "l", "BEFORE", "c", "b"}},
       HasKey(0, "l", ListValue(ElementsAre("a", "b", "c")))},
      {"linsert after",
       {{"RPUSH", "l", "a", "c"}, {"LINSERT", "l", "after", "a", "b"}},
       HasKey(0, "l", ListValue(ElementsAre("a", "b", "c")))},
      {"linsert missing pivot",
       {{"RPUSH", "l", "a"}, {"LINSERT", "l", "AFTER", "x", "b"}},
       HasKey(0, "l", ListValue(ElementsAre("a")))},
      {"lset negative",
       {{"RPUSH", "l", "a", "b", "c"}, {"LSET", "l", "-1", "z"}},
       HasKey(0, "l", ListValue(ElementsAre("a", "b", "z")))},
      {"lrem head",
       {{"RPUSH", "l", "x", "a", "x", "b", "x"}, {"LREM", "l", "2", "x"}},
       HasKey(0, "l", ListValue(ElementsAre("a", "b", "x")))},
      {"lrem tail",
       {{"RPUSH", "l", "x", "a", "x", "b", "x"}, {"LREM", "l", "-2", "x"}},
       HasKey(0, "l", ListValue(ElementsAre("x", "a", "b")))},
      {"lrem all",
       {{"RPUSH", "l", "x", "a", "x"}, {"LREM", "l", "0", "x"}},
       HasKey(0, "l", ListValue(ElementsAre("a")))},
      {"lrem to empty", {{"RPUSH", "l", "x"}, {"LREM", "l", "0", "x"}}, Not(HasKey(0, "l"))},
      {"ltrim",
       {{"RPUSH", "l", "a", "b", "c", "d"}, {"LTRIM", "l", "1", "-2"}},
       HasKey(0, "l", ListValue(ElementsAre("b", "c")))},
      {"ltrim out of range deletes",
       {{"RPUSH", "l", "a", "b"}, {"LTRIM", "l", "5", "10"}},
       Not(HasKey(0, "l"))},
      {"ltrim end past length",
       {{"RPUSH", "l", "a", "b"}, {"LTRIM", "l", "-100", "100"}},
       HasKey(0, "l", ListValue(ElementsAre("a", "b")))},
      {"lmove",
       {{"RPUSH", "s", "a", "b"}, {"RPUSH", "d", "x"}, {"LMOVE", "s", "d", "LEFT", "RIGHT"}},
       AllOf(HasKey(0, "s", ListValue(ElementsAre("b"))),
             HasKey(0, "d", ListValue(ElementsAre("x", "a"))))},
      {"lmove rotates the same list",
       {{"RPUSH", "l", "a", "b", "c"}, {"LMOVE", "l", "l", "RIGHT", "LEFT"}},
       HasKey(0, "l", ListValue(ElementsAre("c", "a", "b")))},
      {"rpoplpush empties the source",
       {{"RPUSH", "s", "a"}, {"RPOPLPUSH", "s", "d"}},
       AllOf(Not(HasKey(0, "s")), HasKey(0, "d", ListValue(ElementsAre("a"))))},
      {"rpoplpush missing source", {{"RPOPLPUSH", "s", "d"}}, Not(HasKey(0, "d"))},
      {"blmove acts as lmove",
       {{"RPUSH", "s", "a", "b"}, {"BLMOVE", "s", "d", "RIGHT", "LEFT", "0"}},
       HasKey(0, "d", ListValue(ElementsAre("b")))},
      {"brpoplpush",
       {{"RPUSH", "s", "a", "b"}, {"BRPOPLPUSH", "s", "d", "1.5"}},
       HasKey(0, "d", ListValue(ElementsAre("b")))},
      {"blpop first non-empty",
       {{"RPUSH", "b", "1", "2"}, {"BLPOP", "a", "b", "0"}},
       HasKey(0, "b", ListValue(ElementsAre("2")))},
      {"brpop on nothing", {{"BRPOP", "a", "b", "0"}}, KeyCount(0)},
      {"lmpop",
       {{"RPUSH", "b", "1", "2", "3"}, {"LMPOP", "2", "a", "b", "RIGHT", "COUNT", "2"}},
       HasKey(0, "b", ListValue(ElementsAre("1")))},
      {"blmpop",
       {{"RPUSH", "a", "1", "2"}, {"BLMPOP", "0", "1", "a", "LEFT"}},
       HasKey(0, "a", ListValue(ElementsAre("2")))},
  });
}

TEST(Lists, Errors) {
  const std::vector<testing::Argv> string_key = {{"SET", "s", "x"}, {"RPUSH", "l", "a", "b"}};
  testing::RunErrorCases({
      {"lpush on string", string_key, {"LPUSH", "s", "a"}, "WRONGTYPE"},
      {"lpop on string", string_key, {"LPOP", "s"}, "WRONGTYPE"},
      {"lpop negative count", string_key, {"LPOP", "l", "-1"}, "must be positive"},
      {"linsert syntax", string_key, {"LINSERT", "l", "MIDDLE", "a", "x"}, "syntax error"},
      {"lset no such key", {}, {"LSET", "nope", "0", "x"}, "no such key"},
      {"lset out of range", string_key, {"LSET", "l", "2", "x"}, "index out of range"},
      {"lset bad index", string_key, {"LSET", "l", "one", "x"}, "not an integer"},
      {"lrem bad count", string_key, {"LREM", "l", "x", "a"}, "not an integer"},
      {"ltrim bad start", string_key, {"LTRIM", "l", "a", "1"}, "not an integer"},
      {"lmove bad where", string_key, {"LMOVE", "l", "d", "UP", "LEFT"}, "syntax error"},
      {"lmove into string", string_key, {"LMOVE", "l", "s", "LEFT", "LEFT"}, "WRONGTYPE"},
      {"blpop bad timeout", string_key, {"BLPOP", "l", "soon"}, "timeout is not a float"},
      {"blpop negative timeout", string_key, {"BLPOP", "l", "-1"}, "timeout is negative"},
      {"blpop hits a string first", string_key, {"BLPOP", "s", "l", "0"}, "WRONGTYPE"},
      {"lmpop numkeys zero",
       string_key,
       {"LMPOP", "0", "l", "LEFT"},
       "numkeys should be greater than 0"},
      {"lmpop too few keys", string_key, {"LMPOP", "3", "l", "LEFT"}, "syntax error"},
      {"lmpop count zero",
       string_key,
       {"LMPOP", "1", "l", "LEFT", "COUNT", "0"},
       "count should be greater than 0"},
      {"lmpop bad where", string_key, {"LMPOP", "1", "l", "UP"}, "syntax error"},
  });
}

TEST(Lists, BlockingPopOnWrongTypeAfterNonEmptyListSucceeds) {
  int64_t now = kNow;
  Keyspace model = testing::MakeModel(&now);
  ASSERT_THAT(model.Apply({"SET", "s", "x"}), IsApplied());
  ASSERT_THAT(model.Apply({"RPUSH", "l", "a"}), IsApplied());
  EXPECT_THAT(model.Apply({"BLPOP", "l", "s", "0"}), IsApplied());
  EXPECT_THAT(model, Not(HasKey(0, "l")));
  EXPECT_THAT(model.Apply({"LPOP", "missing"}), IsApplied());
  EXPECT_EQ(model.db(0).size(), 1u);
}

}  // namespace
}  // namespace conformance::keyspace
