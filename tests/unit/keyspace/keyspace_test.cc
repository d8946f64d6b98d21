// The Keyspace shell: dispatch, arity, SELECT routing, MULTI/EXEC, unmodelled commands, the
// command table.
#include <algorithm>

#include "tests/unit/keyspace/test_util.h"

namespace conformance::keyspace {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using testing::kNow;
using testing::MakeModel;
using ::testing::Not;

TEST(Keyspace, CommandNamesAreCaseInsensitive) {
  int64_t now = kNow;
  Keyspace model = MakeModel(&now);
  EXPECT_THAT(model.Apply({"set", "a", "1"}), IsApplied());
  EXPECT_THAT(model.Apply({"SeT", "b", "2"}), IsApplied());
  EXPECT_THAT(model.Apply({"incr", "a"}), IsApplied());
  EXPECT_THAT(model, AllOf(HasKey(0, "a", StringValue("2")), HasKey(0, "b", StringValue("2"))));
}

TEST(Keyspace, ArityErrorsChangeNothing) {
  testing::RunErrorCases({
      {"set without value", {}, {"SET", "k"}, "wrong number of arguments for 'set' command"},
      {"get-like incr", {}, {"INCR", "a", "b"}, "wrong number of arguments for 'incr'"},
      {"mset odd", {}, {"MSET", "a", "1", "b"}, "wrong number of arguments for 'mset'"},
      {"hset odd", {}, {"HSET", "h", "f", "v", "g"}, "wrong number of arguments for 'hset'"},
      {"lpop extra", {{"RPUSH", "l", "a"}}, {"LPOP", "l", "1", "2"}, "wrong number of arguments"},
      {"empty argv", {}, {}, "empty command"},
  });
}

TEST(Keyspace, SelectRoutesWrites) {
  int64_t now = kNow;
  Keyspace model = MakeModel(&now);
  ASSERT_THAT(model.Apply({"SET", "k", "db0"}), IsApplied());
  ASSERT_THAT(model.Apply({"SELECT", "9"}), IsApplied());
  ASSERT_THAT(model.Apply({"SET", "k", "db9"}), IsApplied());
  ASSERT_THAT(model.Apply({"RPUSH", "list", "x"}), IsApplied());
  EXPECT_EQ(model.selected_db(), 9);
  EXPECT_THAT(model, HasKey(0, "k", StringValue("db0")));
  EXPECT_THAT(model, HasKey(9, "k", StringValue("db9")));
  EXPECT_THAT(model, AllOf(HasKey(9, "list"), Not(HasKey(0, "list"))));
  EXPECT_EQ(model.db(9).size(), 2u);
  EXPECT_EQ(model.size(), 3u);
}

TEST(Keyspace, SelectErrors) {
  testing::RunErrorCases({
      {"out of range", {}, {"SELECT", "16"}, "DB index is out of range"},
      {"negative", {}, {"SELECT", "-1"}, "DB index is out of range"},
      {"not a number", {}, {"SELECT", "x"}, "not an integer"},
  });
}

TEST(Keyspace, PingAndReplconfAreNoOps) {
  int64_t now = kNow;
  Keyspace model = MakeModel(&now);
  EXPECT_THAT(model.Apply({"PING"}), IsApplied());
  EXPECT_THAT(model.Apply({"ping"}), IsApplied());
  EXPECT_THAT(model.Apply({"REPLCONF", "GETACK", "*"}), IsApplied());
  EXPECT_THAT(model.Apply({"PUBLISH", "ch", "msg"}), IsApplied());
  EXPECT_EQ(model.size(), 0u);
}

TEST(Keyspace, UnmodelledCommandsAreReportedAndChangeNothing) {
  int64_t now = kNow;
  Keyspace model = MakeModel(&now);
  ASSERT_THAT(model.Apply({"SET", "k", "v"}), IsApplied());
  const Digest before = model.ComputeDigest();
  const ApplyResult eval = model.Apply({"EVAL", "return 1", "0"});
  EXPECT_THAT(eval, IsUnmodelled());
  EXPECT_THAT(eval.message, AllOf(HasSubstr("EVAL"), HasSubstr("effects")));
  EXPECT_THAT(model.Apply({"PFADD", "hll", "a"}), IsUnmodelled());
  const ApplyResult unknown = model.Apply({"frobnicate", "k"});
  EXPECT_THAT(unknown, IsUnmodelled());
  EXPECT_THAT(unknown.message, HasSubstr("FROBNICATE"));
  // Known, but this form would need a random choice.
  ASSERT_THAT(model.Apply({"SADD", "s", "a", "b", "c"}), IsApplied());
  const Digest with_set = model.ComputeDigest();
  EXPECT_THAT(model.Apply({"SPOP", "s"}), IsUnmodelled());
  EXPECT_EQ(with_set, model.ComputeDigest());
  EXPECT_NE(before, with_set);
}

TEST(Keyspace, MultiExecAppliesAtExec) {
  int64_t now = kNow;
  Keyspace model = MakeModel(&now);
  ASSERT_THAT(model.Apply({"MULTI"}), IsApplied());
  EXPECT_TRUE(model.in_multi());
  const ApplyResult queued = model.Apply({"SET", "a", "1"});
  EXPECT_THAT(queued, IsApplied());
  EXPECT_EQ(queued.message, "QUEUED");
  ASSERT_THAT(model.Apply({"SELECT", "2"}), IsApplied());
  ASSERT_THAT(model.Apply({"SET", "b", "2"}), IsApplied());
  EXPECT_EQ(model.size(), 0u) << "nothing applies before EXEC";
  EXPECT_EQ(model.selected_db(), 0);
  ASSERT_THAT(model.Apply({"EXEC"}), IsApplied());
  EXPECT_FALSE(model.in_multi());
  EXPECT_THAT(model, AllOf(HasKey(0, "a"), HasKey(2, "b")));
  EXPECT_EQ(model.selected_db(), 2);
}

TEST(Keyspace, DiscardDropsTheQueue) {
  int64_t now = kNow;
  Keyspace model = MakeModel(&now);
  ASSERT_THAT(model.Apply({"MULTI"}), IsApplied());
  ASSERT_THAT(model.Apply({"SET", "a", "1"}), IsApplied());
  ASSERT_THAT(model.Apply({"DISCARD"}), IsApplied());
  EXPECT_THAT(model.Apply({"EXEC"}), IsApplyError(HasSubstr("EXEC without MULTI")));
  EXPECT_EQ(model.size(), 0u);
}

TEST(Keyspace, RunTimeErrorInExecDoesNotUndoTheOthers) {
  int64_t now = kNow;
  Keyspace model = MakeModel(&now);
  ASSERT_THAT(model.Apply({"SET", "s", "text"}), IsApplied());
  ASSERT_THAT(model.Apply({"MULTI"}), IsApplied());
  ASSERT_THAT(model.Apply({"SET", "a", "1"}), IsApplied());
  ASSERT_THAT(model.Apply({"INCR", "s"}), IsApplied());  // queued: fails only at EXEC
  ASSERT_THAT(model.Apply({"SET", "b", "2"}), IsApplied());
  const ApplyResult exec = model.Apply({"EXEC"});
  EXPECT_THAT(exec,
              IsApplyError(AllOf(HasSubstr("#2"), HasSubstr("INCR"), HasSubstr("not an integer"))));
  EXPECT_THAT(model, AllOf(HasKey(0, "a", StringValue("1")), HasKey(0, "b", StringValue("2")),
                           HasKey(0, "s", StringValue("text"))));
}

TEST(Keyspace, QueuingErrorAbortsTheTransaction) {
  int64_t now = kNow;
  Keyspace model = MakeModel(&now);
  ASSERT_THAT(model.Apply({"MULTI"}), IsApplied());
  ASSERT_THAT(model.Apply({"SET", "a", "1"}), IsApplied());
  EXPECT_THAT(model.Apply({"SET", "b"}), IsApplyError(HasSubstr("wrong number of arguments")));
  EXPECT_THAT(model.Apply({"EXEC"}), IsApplyError(HasSubstr("EXECABORT")));
  EXPECT_EQ(model.size(), 0u);
  EXPECT_FALSE(model.in_multi());
}

TEST(Keyspace, UnmodelledCommandInMultiAppliesNothing) {
  int64_t now = kNow;
  Keyspace model = MakeModel(&now);
  ASSERT_THAT(model.Apply({"MULTI"}), IsApplied());
  ASSERT_THAT(model.Apply({"SET", "a", "1"}), IsApplied());
  EXPECT_THAT(model.Apply({"EVALSHA", "abc", "0"}), IsUnmodelled());
  const ApplyResult exec = model.Apply({"EXEC"});
  EXPECT_THAT(exec, IsUnmodelled());
  EXPECT_THAT(exec.message, HasSubstr("EVALSHA"));
  EXPECT_EQ(model.size(), 0u);
}

TEST(Keyspace, NestedMultiAndStrayExec) {
  int64_t now = kNow;
  Keyspace model = MakeModel(&now);
  EXPECT_THAT(model.Apply({"EXEC"}), IsApplyError(HasSubstr("EXEC without MULTI")));
  EXPECT_THAT(model.Apply({"DISCARD"}), IsApplyError(HasSubstr("DISCARD without MULTI")));
  ASSERT_THAT(model.Apply({"MULTI"}), IsApplied());
  EXPECT_THAT(model.Apply({"MULTI"}), IsApplyError(HasSubstr("nested")));
  ASSERT_THAT(model.Apply({"SET", "a", "1"}), IsApplied());
  EXPECT_THAT(model.Apply({"EXEC"}), IsApplied()) << "a nested MULTI does not abort";
  EXPECT_THAT(model, HasKey(0, "a"));
}

TEST(Keyspace, SetFindClear) {
  int64_t now = kNow;
  Keyspace model = MakeModel(&now);
  model.Set(3, "k", data::Entry{data::List{"a", "b"}, 42});
  model.Set(99, "ignored", data::Entry{data::String("x")});
  ASSERT_NE(model.Find(3, "k"), nullptr);
  EXPECT_THAT(*model.Find(3, "k"),
              AllOf(ListValue(::testing::ElementsAre("a", "b")), ExpiresAt(42)));
  EXPECT_EQ(model.Find(99, "ignored"), nullptr);
  EXPECT_TRUE(model.db(99).empty());
  ASSERT_THAT(model.Apply({"SELECT", "3"}), IsApplied());
  ASSERT_THAT(model.Apply({"FUNCTION", "LOAD", "#!lua name=lib\nreturn 1"}), IsApplied());
  model.Clear();
  EXPECT_EQ(model.size(), 0u);
  EXPECT_EQ(model.selected_db(), 0);
  EXPECT_TRUE(model.functions().empty());
}

TEST(Keyspace, DatabasesOption) {
  KeyspaceOptions options;
  options.databases = 4;
  Keyspace model(options);
  EXPECT_EQ(model.databases(), 4);
  EXPECT_THAT(model.Apply({"SELECT", "4"}), IsApplyError(HasSubstr("out of range")));
  EXPECT_THAT(model.Apply({"SELECT", "3"}), IsApplied());
}

TEST(CommandTable, IsModelledAndSupportedCommands) {
  EXPECT_TRUE(IsModelled("set"));
  EXPECT_TRUE(IsModelled("XCLAIM"));
  EXPECT_TRUE(IsModelled("multi"));
  EXPECT_FALSE(IsModelled("EVAL"));
  EXPECT_FALSE(IsModelled("PFADD"));
  EXPECT_FALSE(IsModelled("GET"));
  EXPECT_FALSE(IsModelled(""));
  const std::vector<CommandInfo> table = SupportedCommands();
  ASSERT_FALSE(table.empty());
  EXPECT_TRUE(std::is_sorted(table.begin(), table.end(),
                             [](const auto& a, const auto& b) { return a.name < b.name; }));
  for (const CommandInfo& info : table) {
    SCOPED_TRACE(std::string(info.name));
    EXPECT_FALSE(info.family.empty());
    EXPECT_NE(info.arity, 0);
    if (!info.modelled) {
      EXPECT_FALSE(info.notes.empty()) << "unmodelled commands say why";
    }
  }
}

TEST(FunctionCommand, LoadDeleteFlush) {
  int64_t now = kNow;
  Keyspace model = MakeModel(&now);
  const std::string code = "#!lua name=mylib\nredis.register_function('f', function() end)";
  ASSERT_THAT(model.Apply({"FUNCTION", "LOAD", code}), IsApplied());
  EXPECT_EQ(model.functions().at("mylib"), code);
  EXPECT_THAT(model.Apply({"FUNCTION", "LOAD", code}), IsApplyError(HasSubstr("already exists")));
  EXPECT_THAT(model.Apply({"FUNCTION", "LOAD", "REPLACE", code + "--"}), IsApplied());
  EXPECT_EQ(model.functions().at("mylib"), code + "--");
  EXPECT_THAT(model.Apply({"FUNCTION", "LOAD", "no shebang"}),
              IsApplyError(HasSubstr("Missing library metadata")));
  EXPECT_THAT(model.Apply({"FUNCTION", "LOAD", "#!js name=x\n"}),
              IsApplyError(HasSubstr("Engine")));
  EXPECT_THAT(model.Apply({"FUNCTION", "DELETE", "nope"}), IsApplyError(HasSubstr("not found")));
  EXPECT_THAT(model.Apply({"FUNCTION", "DELETE", "mylib"}), IsApplied());
  ASSERT_THAT(model.Apply({"FUNCTION", "LOAD", code}), IsApplied());
  EXPECT_THAT(model.Apply({"FUNCTION", "FLUSH", "ASYNC"}), IsApplied());
  EXPECT_TRUE(model.functions().empty());
  EXPECT_THAT(model.Apply({"FUNCTION", "RESTORE", "payload"}), IsUnmodelled());
  EXPECT_EQ(model.size(), 0u) << "libraries live apart from keys";
}

}  // namespace
}  // namespace conformance::keyspace
