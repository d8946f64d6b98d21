// Any argv is a result, never a crash or an exception: every command in the table is fed
// argument lists drawn from awkward values, over keys of every type, in both roles. Run under
// ASan/UBSan (-DCONFORMANCE_SANITIZE=ON) this is the model's fuzz test.
#include <random>

#include "tests/unit/keyspace/test_util.h"

namespace conformance::keyspace {
namespace {

const std::vector<std::string>& Atoms() {
  static const std::vector<std::string> kAtoms = {
      "str",
      "list",
      "set",
      "zset",
      "hash",
      "stream",
      "missing",
      "",
      "0",
      "1",
      "-1",
      "2",
      "3",
      "10",
      "100",
      "-100",
      "9223372036854775807",
      "-9223372036854775808",
      "18446744073709551615",
      "99999999999999999999",
      "1.5",
      "-0",
      "inf",
      "-inf",
      "+inf",
      "nan",
      "(1",
      "[a",
      "-",
      "+",
      "(",
      "[",
      "*",
      "$",
      ">",
      "~",
      "=",
      "#3",
      "#-1",
      "1-1",
      "0-0",
      "5-*",
      "18446744073709551615-18446744073709551615",
      "NX",
      "XX",
      "GT",
      "LT",
      "CH",
      "INCR",
      "EX",
      "PX",
      "EXAT",
      "PXAT",
      "KEEPTTL",
      "GET",
      "PERSIST",
      "FIELDS",
      "FNX",
      "FXX",
      "COUNT",
      "LIMIT",
      "REV",
      "BYSCORE",
      "BYLEX",
      "WEIGHTS",
      "AGGREGATE",
      "SUM",
      "MIN",
      "MAX",
      "LEFT",
      "RIGHT",
      "BEFORE",
      "AFTER",
      "MAXLEN",
      "MINID",
      "NOMKSTREAM",
      "CREATE",
      "SETID",
      "DESTROY",
      "CREATECONSUMER",
      "DELCONSUMER",
      "MKSTREAM",
      "ENTRIESREAD",
      "FORCE",
      "JUSTID",
      "IDLE",
      "TIME",
      "RETRYCOUNT",
      "LASTID",
      "OVERFLOW",
      "WRAP",
      "SAT",
      "FAIL",
      "i8",
      "u8",
      "i64",
      "u63",
      "u64",
      "AND",
      "OR",
      "NOT",
      "ONE",
      "DB",
      "REPLACE",
      "ABSTTL",
      "ASYNC",
      "SYNC",
      "LOAD",
      "DELETE",
      "FLUSH",
      "#!lua name=x\n",
      "IFEQ",
      std::string("a\0b", 3),
      "\xff\xfe",
  };
  return kAtoms;
}

void Populate(Keyspace& model) {
  for (const testing::Argv& argv : std::vector<testing::Argv>{
           {"SET", "str", "12"},
           {"RPUSH", "list", "a", "b", "c"},
           {"SADD", "set", "a", "b"},
           {"ZADD", "zset", "1", "a", "2", "b"},
           {"HSET", "hash", "a", "1", "b", "x"},
           {"XADD", "stream", "1-1", "a", "1"},
           {"XGROUP", "CREATE", "stream", "g", "0"},
       }) {
    ASSERT_THAT(model.Apply(argv), IsApplied());
  }
}

TEST(Robustness, AnyArgvIsAResult) {
  const auto& atoms = Atoms();
  for (Role role : {Role::kMaster, Role::kReplica}) {
    std::mt19937 rng(role == Role::kMaster ? 7 : 11);
    int64_t now = testing::kNow;
    KeyspaceOptions options;
    options.now_ms = [&now] { return now; };
    options.role = role;
    options.dump_decoder = [](std::string_view) -> Result<data::Entry> { return Error{"no"}; };
    for (const CommandInfo& info : SupportedCommands()) {
      Keyspace model(options);
      Populate(model);
      for (int round = 0; round < 300; ++round) {
        testing::Argv argv = {std::string(info.name)};
        const size_t extra = rng() % 9;
        for (size_t i = 0; i < extra; ++i) argv.push_back(atoms[rng() % atoms.size()]);
        ApplyResult result;
        ASSERT_NO_THROW(result = model.Apply(argv)) << ::testing::PrintToString(argv);
        if (result.status == ApplyStatus::kError) {
          EXPECT_FALSE(result.message.empty());
        }
        if (model.in_multi() && round % 5 == 0) static_cast<void>(model.Apply({"EXEC"}));
        if (model.size() == 0) Populate(model);
        now += 7;
      }
      static_cast<void>(model.ComputeDigest());
    }
  }
}

}  // namespace
}  // namespace conformance::keyspace
