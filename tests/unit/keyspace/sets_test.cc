// Set commands.
#include "tests/unit/keyspace/test_util.h"

namespace conformance::keyspace {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using testing::kNow;
using ::testing::Not;

TEST(Sets, Table) {
  const std::vector<testing::Argv> ab_bc = {{"SADD", "x", "a", "b"}, {"SADD", "y", "b", "c"}};
  auto with = [&](std::vector<testing::Argv> more) {
    std::vector<testing::Argv> all = ab_bc;
    all.insert(all.end(), more.begin(), more.end());
    return all;
  };
  testing::RunCases({
      {"sadd", {{"SADD", "s", "b", "a", "b"}}, HasKey(0, "s", SetValue(ElementsAre("a", "b")))},
      {"srem",
       {{"SADD", "s", "a", "b"}, {"SREM", "s", "a", "z"}},
       HasKey(0, "s", SetValue(ElementsAre("b")))},
      {"srem last deletes", {{"SADD", "s", "a"}, {"SREM", "s", "a"}}, Not(HasKey(0, "s"))},
      {"smove", with({{"SMOVE", "x", "y", "a"}}),
       AllOf(HasKey(0, "x", SetValue(ElementsAre("b"))),
             HasKey(0, "y", SetValue(ElementsAre("a", "b", "c"))))},
      {"smove to new key empties source",
       {{"SADD", "s", "a"}, {"SMOVE", "s", "d", "a"}},
       AllOf(Not(HasKey(0, "s")), HasKey(0, "d", SetValue(ElementsAre("a"))))},
      {"smove missing member", with({{"SMOVE", "x", "y", "zz"}}),
       HasKey(0, "x", SetValue(ElementsAre("a", "b")))},
      {"spop count covering all",
       {{"SADD", "s", "a", "b"}, {"SPOP", "s", "5"}},
       Not(HasKey(0, "s"))},
      {"spop single member", {{"SADD", "s", "a"}, {"SPOP", "s"}}, Not(HasKey(0, "s"))},
      {"spop count zero", {{"SADD", "s", "a", "b"}, {"SPOP", "s", "0"}}, HasKey(0, "s")},
      {"spop propagated as srem",
       {{"SADD", "s", "a", "b"}, {"SREM", "s", "b"}},
       HasKey(0, "s", SetValue(ElementsAre("a")))},
      {"sinterstore", with({{"SINTERSTORE", "d", "x", "y"}}),
       HasKey(0, "d", SetValue(ElementsAre("b")))},
      {"sinterstore with missing deletes dest",
       with({{"SET", "d", "old"}, {"SINTERSTORE", "d", "x", "nope"}}), Not(HasKey(0, "d"))},
      {"sunionstore", with({{"SUNIONSTORE", "d", "x", "y", "nope"}}),
       HasKey(0, "d", SetValue(ElementsAre("a", "b", "c")))},
      {"sdiffstore", with({{"SDIFFSTORE", "d", "x", "y"}}),
       HasKey(0, "d", SetValue(ElementsAre("a")))},
      {"sdiffstore empty result", with({{"SDIFFSTORE", "x", "x", "x"}}), Not(HasKey(0, "x"))},
      {"store drops dest ttl",
       with({{"SADD", "d", "q"}, {"PEXPIRE", "d", "9"}, {"SUNIONSTORE", "d", "x"}}),
       HasKey(0, "d", AllOf(SetValue(ElementsAre("a", "b")), HasNoExpiry()))},
  });
}

TEST(Sets, Errors) {
  const std::vector<testing::Argv> setup = {{"SET", "str", "x"}, {"SADD", "s", "a", "b"}};
  testing::RunErrorCases({
      {"sadd on string", setup, {"SADD", "str", "a"}, "WRONGTYPE"},
      {"srem on string", setup, {"SREM", "str", "a"}, "WRONGTYPE"},
      {"smove into string", setup, {"SMOVE", "s", "str", "a"}, "WRONGTYPE"},
      {"spop negative", setup, {"SPOP", "s", "-1"}, "must be positive"},
      {"spop extra arg", setup, {"SPOP", "s", "1", "2"}, "syntax error"},
      {"sinterstore string source", setup, {"SINTERSTORE", "d", "s", "str"}, "WRONGTYPE"},
      {"sunionstore string source", setup, {"SUNIONSTORE", "d", "str"}, "WRONGTYPE"},
  });
}

TEST(Sets, SMoveFromMissingSourceIgnoresDestinationType) {
  int64_t now = kNow;
  Keyspace model = testing::MakeModel(&now);
  ASSERT_THAT(model.Apply({"SET", "str", "x"}), IsApplied());
  EXPECT_THAT(model.Apply({"SMOVE", "missing", "str", "a"}), IsApplied());
}

}  // namespace
}  // namespace conformance::keyspace
