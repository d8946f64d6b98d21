// Generic key commands and database commands: DEL, RENAME, COPY, MOVE, SWAPDB, FLUSH*, RESTORE.
#include "tests/unit/keyspace/test_util.h"

namespace conformance::keyspace {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::kNow;
using ::testing::Not;

TEST(Keys, Table) {
  testing::RunCases({
      {"del and unlink",
       {{"SET", "a", "1"},
        {"SET", "b", "2"},
        {"SET", "c", "3"},
        {"DEL", "a", "zz"},
        {"UNLINK", "b"}},
       AllOf(Not(HasKey(0, "a")), Not(HasKey(0, "b")), HasKey(0, "c"))},
      {"rename keeps ttl",
       {{"SET", "a", "1", "PX", "50"}, {"SET", "b", "x"}, {"RENAME", "a", "b"}},
       AllOf(Not(HasKey(0, "a")), HasKey(0, "b", AllOf(StringValue("1"), ExpiresAt(kNow + 50))))},
      {"rename to itself",
       {{"SET", "a", "1"}, {"RENAME", "a", "a"}},
       HasKey(0, "a", StringValue("1"))},
      {"renamenx refuses",
       {{"SET", "a", "1"}, {"SET", "b", "2"}, {"RENAMENX", "a", "b"}},
       AllOf(HasKey(0, "a"), HasKey(0, "b", StringValue("2")))},
      {"renamenx moves",
       {{"RPUSH", "a", "x"}, {"RENAMENX", "a", "b"}},
       AllOf(Not(HasKey(0, "a")), HasKey(0, "b", ListValue(ElementsAre("x"))))},
      {"copy with ttl",
       {{"SET", "a", "1", "PX", "50"}, {"COPY", "a", "b"}},
       AllOf(HasKey(0, "a"), HasKey(0, "b", AllOf(StringValue("1"), ExpiresAt(kNow + 50))))},
      {"copy refuses existing",
       {{"SET", "a", "1"}, {"SET", "b", "2"}, {"COPY", "a", "b"}},
       HasKey(0, "b", StringValue("2"))},
      {"copy replace to another db",
       {{"SADD", "a", "m"},
        {"SELECT", "3"},
        {"SET", "a", "x"},
        {"SELECT", "0"},
        {"COPY", "a", "a", "DB", "3", "REPLACE"}},
       AllOf(HasKey(0, "a"), HasKey(3, "a", SetValue(ElementsAre("m"))))},
      {"copy missing source", {{"COPY", "a", "b"}}, KeyCount(0)},
      {"move",
       {{"SET", "a", "1", "PX", "5"}, {"MOVE", "a", "2"}},
       AllOf(Not(HasKey(0, "a")), HasKey(2, "a", ExpiresAt(kNow + 5)))},
      {"move refuses existing",
       {{"SET", "a", "1"}, {"SELECT", "2"}, {"SET", "a", "2"}, {"SELECT", "0"}, {"MOVE", "a", "2"}},
       AllOf(HasKey(0, "a", StringValue("1")), HasKey(2, "a", StringValue("2")))},
      {"swapdb",
       {{"SET", "a", "0"}, {"SELECT", "1"}, {"SET", "b", "1"}, {"SWAPDB", "0", "1"}},
       AllOf(HasKey(1, "a"), HasKey(0, "b"), Not(HasKey(0, "a")))},
      {"flushdb",
       {{"SET", "a", "0"}, {"SELECT", "1"}, {"SET", "b", "1"}, {"FLUSHDB", "ASYNC"}},
       AllOf(HasKey(0, "a"), Not(HasKey(1, "b")))},
      {"flushall",
       {{"SET", "a", "0"}, {"SELECT", "1"}, {"SET", "b", "1"}, {"FLUSHALL"}},
       KeyCount(0)},
      {"flushall sync", {{"SET", "a", "0"}, {"flushall", "sync"}}, KeyCount(0)},
  });
}

TEST(Keys, Errors) {
  const std::vector<testing::Argv> setup = {{"SET", "a", "1"}};
  testing::RunErrorCases({
      {"rename missing", setup, {"RENAME", "nope", "b"}, "no such key"},
      {"copy same", setup, {"COPY", "a", "a"}, "source and destination objects are the same"},
      {"copy bad db", setup, {"COPY", "a", "b", "DB", "16"}, "DB index is out of range"},
      {"copy bad option", setup, {"COPY", "a", "b", "FOO"}, "syntax error"},
      {"move same db", setup, {"MOVE", "a", "0"}, "source and destination objects are the same"},
      {"move bad db", setup, {"MOVE", "a", "x"}, "not an integer"},
      {"swapdb bad first", setup, {"SWAPDB", "x", "1"}, "invalid first DB index"},
      {"swapdb bad second", setup, {"SWAPDB", "0", "y"}, "invalid second DB index"},
      {"swapdb out of range", setup, {"SWAPDB", "0", "99"}, "DB index is out of range"},
      {"flushdb bad mode", setup, {"FLUSHDB", "LATER"}, "syntax error"},
      {"flushall extra", setup, {"FLUSHALL", "ASYNC", "x"}, "syntax error"},
  });
}

KeyspaceOptions WithDecoder(const int64_t* now) {
  KeyspaceOptions options;
  options.now_ms = [now] { return *now; };
  // A stand-in for rdb::DecodeDumpPayload: "list:a,b" or "string:x".
  options.dump_decoder = [](std::string_view payload) -> Result<data::Entry> {
    if (payload.rfind("string:", 0) == 0) return data::Entry{data::String(payload.substr(7))};
    if (payload == "list:a,b") return data::Entry{data::List{"a", "b"}};
    return Error{"bad payload"};
  };
  return options;
}

TEST(Restore, UsesTheInjectedDecoder) {
  int64_t now = kNow;
  Keyspace model(WithDecoder(&now));
  ASSERT_THAT(model.Apply({"RESTORE", "l", "0", "list:a,b"}), IsApplied());
  EXPECT_THAT(model, HasKey(0, "l", AllOf(ListValue(ElementsAre("a", "b")), HasNoExpiry())));
  EXPECT_THAT(model.Apply({"RESTORE", "l", "0", "string:x"}), IsApplyError(HasSubstr("BUSYKEY")));
  ASSERT_THAT(model.Apply({"RESTORE", "l", "100", "string:x", "REPLACE"}), IsApplied());
  EXPECT_THAT(model, HasKey(0, "l", AllOf(StringValue("x"), ExpiresAt(kNow + 100))));
  ASSERT_THAT(
      model.Apply({"RESTORE", "abs", "1800000000000", "string:y", "ABSTTL", "IDLETIME", "5"}),
      IsApplied());
  EXPECT_THAT(model, HasKey(0, "abs", ExpiresAt(1'800'000'000'000)));
  // Already expired on a master: the old key goes, nothing is stored.
  ASSERT_THAT(model.Apply({"RESTORE", "l", "5", "string:z", "REPLACE", "ABSTTL"}), IsApplied());
  EXPECT_THAT(model, Not(HasKey(0, "l")));
  const Digest before = model.ComputeDigest();
  EXPECT_THAT(model.Apply({"RESTORE", "k", "0", "garbage"}),
              IsApplyError(HasSubstr("DUMP payload")));
  EXPECT_THAT(model.Apply({"RESTORE", "k", "-1", "string:x"}),
              IsApplyError(HasSubstr("Invalid TTL")));
  EXPECT_THAT(model.Apply({"RESTORE", "k", "0", "string:x", "FREQ", "300"}),
              IsApplyError(HasSubstr("FREQ")));
  EXPECT_THAT(model.Apply({"RESTORE", "k", "0", "string:x", "BOGUS"}),
              IsApplyError(HasSubstr("syntax")));
  EXPECT_EQ(before, model.ComputeDigest());
}

TEST(Restore, UnmodelledWithoutDecoder) {
  int64_t now = kNow;
  Keyspace model = testing::MakeModel(&now);
  EXPECT_THAT(model.Apply({"RESTORE", "k", "0", "payload"}), IsUnmodelled());
  EXPECT_EQ(model.size(), 0u);
}

}  // namespace
}  // namespace conformance::keyspace
