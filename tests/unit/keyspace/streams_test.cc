// Stream commands: XADD (ids, trimming, NOMKSTREAM), XTRIM, XDEL, XSETID and consumer groups
// in the forms a master propagates (XCLAIM ... FORCE JUSTID LASTID, XGROUP SETID ENTRIESREAD).
#include "tests/unit/keyspace/test_util.h"

namespace conformance::keyspace {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::kNow;
using ::testing::Not;

const data::Stream& StreamAt(const Keyspace& model, const std::string& key) {
  return std::get<data::Stream>(model.Find(0, key)->value);
}

TEST(Streams, Table) {
  const std::vector<testing::Argv> three = {{"XADD", "s", "1-1", "f", "v"},
                                            {"XADD", "s", "2-0", "f", "v"},
                                            {"XADD", "s", "3-0", "f", "v"}};
  auto with = [&](std::vector<testing::Argv> more) {
    std::vector<testing::Argv> all = three;
    all.insert(all.end(), more.begin(), more.end());
    return all;
  };
  testing::RunCases({
      {"explicit ids", three, HasKey(0, "s", StreamIds(ElementsAre("1-1", "2-0", "3-0")))},
      {"auto id uses the clock",
       {{"XADD", "s", "*", "f", "v"}, {"XADD", "s", "*", "f", "v"}},
       HasKey(0, "s",
              StreamIds(ElementsAre(std::to_string(kNow) + "-0", std::to_string(kNow) + "-1")))},
      {"ms-* ids", with({{"XADD", "s", "3-*", "f", "v"}, {"XADD", "s", "7-*", "f", "v"}}),
       HasKey(0, "s", StreamIds(ElementsAre("1-1", "2-0", "3-0", "3-1", "7-0")))},
      {"incomplete id means seq 0",
       {{"XADD", "s", "5", "f", "v"}},
       HasKey(0, "s", StreamIds(ElementsAre("5-0")))},
      {"nomkstream", {{"XADD", "s", "NOMKSTREAM", "*", "f", "v"}}, Not(HasKey(0, "s"))},
      {"maxlen trims the head", with({{"XADD", "s", "MAXLEN", "2", "4-0", "f", "v"}}),
       HasKey(0, "s", StreamIds(ElementsAre("3-0", "4-0")))},
      {"maxlen = (propagated form)", with({{"XADD", "s", "MAXLEN", "=", "1", "4-0", "f", "v"}}),
       HasKey(0, "s", StreamIds(ElementsAre("4-0")))},
      {"maxlen 0 empties but keeps the key", with({{"XADD", "s", "MAXLEN", "0", "4-0", "f", "v"}}),
       HasKey(0, "s", StreamIds(IsEmpty()))},
      {"minid", with({{"XADD", "s", "MINID", "2-0", "4-0", "f", "v"}}),
       HasKey(0, "s", StreamIds(ElementsAre("2-0", "3-0", "4-0")))},
      {"approximate trim that trims nothing",
       with({{"XADD", "s", "MAXLEN", "~", "100", "4-0", "f", "v"}}),
       HasKey(0, "s", StreamIds(ElementsAre("1-1", "2-0", "3-0", "4-0")))},
      {"xtrim maxlen", with({{"XTRIM", "s", "MAXLEN", "1"}}),
       HasKey(0, "s", StreamIds(ElementsAre("3-0")))},
      {"xtrim minid", with({{"XTRIM", "s", "MINID", "=", "3"}}),
       HasKey(0, "s", StreamIds(ElementsAre("3-0")))},
      {"xtrim missing key", {{"XTRIM", "s", "MAXLEN", "1"}}, KeyCount(0)},
      {"xdel", with({{"XDEL", "s", "2-0", "9-9"}}),
       HasKey(0, "s", StreamIds(ElementsAre("1-1", "3-0")))},
  });
}

TEST(Streams, Metadata) {
  int64_t now = kNow;
  Keyspace model = testing::MakeModel(&now);
  for (const char* id : {"1-0", "2-0", "3-0", "4-0"}) {
    ASSERT_THAT(model.Apply({"XADD", "s", id, "f", "v"}), IsApplied());
  }
  ASSERT_THAT(model.Apply({"XDEL", "s", "3-0", "1-0"}), IsApplied());
  ASSERT_THAT(model.Apply({"XTRIM", "s", "MAXLEN", "1"}), IsApplied());
  const data::Stream& s = StreamAt(model, "s");
  EXPECT_EQ(s.last_id, (data::StreamId{4, 0}));
  EXPECT_EQ(s.first_id, (data::StreamId{4, 0}));
  EXPECT_EQ(s.max_deleted_id, (data::StreamId{3, 0})) << "trimming does not move it";
  EXPECT_EQ(s.entries_added, 4u);
  ASSERT_THAT(model.Apply({"XSETID", "s", "10-5", "ENTRIESADDED", "12", "MAXDELETEDID", "9-0"}),
              IsApplied());
  EXPECT_EQ(StreamAt(model, "s").last_id, (data::StreamId{10, 5}));
  EXPECT_EQ(StreamAt(model, "s").entries_added, 12u);
  EXPECT_EQ(StreamAt(model, "s").max_deleted_id, (data::StreamId{9, 0}));
  EXPECT_THAT(model.Apply({"XADD", "s", "10-5", "f", "v"}),
              IsApplyError(HasSubstr("equal or smaller")));
  ASSERT_THAT(model.Apply({"XADD", "s", "10-*", "f", "v"}), IsApplied());
  EXPECT_THAT(model, HasKey(0, "s", StreamIds(ElementsAre("4-0", "10-6"))));
}

TEST(Streams, Errors) {
  const std::vector<testing::Argv> setup = {{"SET", "str", "x"}, {"XADD", "s", "5-0", "f", "v"}};
  testing::RunErrorCases({
      {"xadd on string", setup, {"XADD", "str", "*", "f", "v"}, "WRONGTYPE"},
      {"xadd smaller id", setup, {"XADD", "s", "4-0", "f", "v"}, "equal or smaller"},
      {"xadd 0-0", {}, {"XADD", "s", "0-0", "f", "v"}, "greater than 0-0"},
      {"xadd bad id", setup, {"XADD", "s", "abc", "f", "v"}, "Invalid stream ID"},
      {"xadd odd fields", setup, {"XADD", "s", "*", "f"}, "wrong number of arguments for 'xadd'"},
      {"xadd maxlen and minid",
       setup,
       {"XADD", "s", "MAXLEN", "1", "MINID", "1", "*", "f", "v"},
       "not compatible"},
      {"xadd negative maxlen", setup, {"XADD", "s", "MAXLEN", "-1", "*", "f", "v"}, "must be >= 0"},
      {"xadd limit without ~",
       setup,
       {"XADD", "s", "MAXLEN", "1", "LIMIT", "5", "*", "f", "v"},
       "special ~ option"},
      {"xtrim without strategy", setup, {"XTRIM", "s", "LIMIT", "0"}, "trimming strategy"},
      {"xdel bad id", setup, {"XDEL", "s", "x"}, "Invalid stream ID"},
      {"xsetid smaller than top",
       setup,
       {"XSETID", "s", "4-0"},
       "smaller than the target stream top item"},
      {"xsetid missing key", {}, {"XSETID", "s", "4-0"}, "no such key"},
      {"xsetid entries added too small",
       setup,
       {"XSETID", "s", "6-0", "ENTRIESADDED", "0"},
       "smaller than the target stream length"},
      {"xgroup on missing key",
       {},
       {"XGROUP", "CREATE", "s", "g", "$"},
       "requires the key to exist"},
      {"xgroup setid on missing group", setup, {"XGROUP", "SETID", "s", "g", "$"}, "NOGROUP"},
      {"xgroup bad subcommand", setup, {"XGROUP", "FROB", "s", "g"}, "unknown subcommand"},
      {"xclaim without group", setup, {"XCLAIM", "s", "g", "c", "0", "5-0"}, "NOGROUP"},
  });
}

TEST(Streams, ApproximateTrimThatWouldTrimIsUnmodelled) {
  int64_t now = kNow;
  Keyspace model = testing::MakeModel(&now);
  ASSERT_THAT(model.Apply({"XADD", "s", "1-0", "f", "v"}), IsApplied());
  ASSERT_THAT(model.Apply({"XADD", "s", "2-0", "f", "v"}), IsApplied());
  const Digest before = model.ComputeDigest();
  EXPECT_THAT(model.Apply({"XADD", "s", "MAXLEN", "~", "1", "3-0", "f", "v"}), IsUnmodelled());
  EXPECT_THAT(model.Apply({"XTRIM", "s", "MINID", "~", "2-0"}), IsUnmodelled());
  EXPECT_EQ(before, model.ComputeDigest());
}

TEST(StreamGroups, PropagatedXReadGroup) {
  int64_t now = kNow;
  Keyspace model = testing::MakeModel(&now, Role::kReplica);
  for (const char* id : {"1-0", "2-0", "3-0"}) {
    ASSERT_THAT(model.Apply({"XADD", "s", id, "f", "v"}), IsApplied());
  }
  ASSERT_THAT(model.Apply({"XGROUP", "CREATE", "s", "g", "0", "ENTRIESREAD", "0"}), IsApplied());
  // What XREADGROUP GROUP g alice COUNT 2 STREAMS s > becomes in the stream:
  ASSERT_THAT(model.Apply({"XCLAIM", "s", "g", "alice", "0", "1-0", "TIME", "1699999999900",
                           "RETRYCOUNT", "1", "FORCE", "JUSTID", "LASTID", "1-0"}),
              IsApplied());
  ASSERT_THAT(model.Apply({"XCLAIM", "s", "g", "alice", "0", "2-0", "TIME", "1699999999900",
                           "RETRYCOUNT", "1", "FORCE", "JUSTID", "LASTID", "2-0"}),
              IsApplied());
  ASSERT_THAT(model.Apply({"XGROUP", "SETID", "s", "g", "2-0", "ENTRIESREAD", "2"}), IsApplied());
  const data::StreamGroup& g = StreamAt(model, "s").groups.at(0);
  EXPECT_EQ(g.name, "g");
  EXPECT_EQ(g.last_delivered, (data::StreamId{2, 0}));
  EXPECT_EQ(g.entries_read, 2);
  ASSERT_EQ(g.pending.size(), 2u);
  EXPECT_EQ(g.pending[0], (data::StreamPendingEntry{{1, 0}, "alice", 1'699'999'999'900, 1}));
  ASSERT_EQ(g.consumers.size(), 1u);
  EXPECT_EQ(g.consumers[0].name, "alice");

  // XACK, a claim moving an entry to bob, and a claim of a deleted entry dropping it.
  ASSERT_THAT(model.Apply({"XACK", "s", "g", "1-0", "9-9"}), IsApplied());
  ASSERT_THAT(model.Apply({"XCLAIM", "s", "g", "bob", "0", "2-0", "RETRYCOUNT", "5"}), IsApplied());
  {
    const data::StreamGroup& after = StreamAt(model, "s").groups.at(0);
    ASSERT_EQ(after.pending.size(), 1u);
    EXPECT_EQ(after.pending[0].consumer, "bob");
    EXPECT_EQ(after.pending[0].delivery_count, 5u);
    EXPECT_EQ(after.pending[0].delivery_time_ms, kNow);
    EXPECT_EQ(after.consumers.size(), 2u);
  }
  ASSERT_THAT(model.Apply({"XDEL", "s", "2-0"}), IsApplied());
  ASSERT_THAT(model.Apply({"XCLAIM", "s", "g", "bob", "0", "2-0", "FORCE", "JUSTID"}), IsApplied());
  EXPECT_THAT(StreamAt(model, "s").groups.at(0).pending, IsEmpty());

  // Consumers and groups.
  ASSERT_THAT(model.Apply({"XGROUP", "CREATECONSUMER", "s", "g", "carol"}), IsApplied());
  ASSERT_THAT(model.Apply({"XGROUP", "DELCONSUMER", "s", "g", "alice"}), IsApplied());
  {
    const data::StreamGroup& after = StreamAt(model, "s").groups.at(0);
    ASSERT_EQ(after.consumers.size(), 2u);
    EXPECT_EQ(after.consumers[0].name, "bob");
    EXPECT_EQ(after.consumers[1].name, "carol");
  }
  EXPECT_THAT(model.Apply({"XGROUP", "CREATE", "s", "g", "$"}),
              IsApplyError(HasSubstr("BUSYGROUP")));
  ASSERT_THAT(model.Apply({"XGROUP", "CREATE", "s", "a", "$"}), IsApplied());
  EXPECT_EQ(StreamAt(model, "s").groups.at(0).name, "a") << "groups stay sorted by name";
  EXPECT_EQ(StreamAt(model, "s").groups.at(0).last_delivered, (data::StreamId{3, 0}));
  ASSERT_THAT(model.Apply({"XGROUP", "DESTROY", "s", "g"}), IsApplied());
  EXPECT_EQ(StreamAt(model, "s").groups.size(), 1u);
  ASSERT_THAT(model.Apply({"XGROUP", "CREATE", "new", "g", "$", "MKSTREAM"}), IsApplied());
  EXPECT_THAT(model, HasKey(0, "new", StreamIds(IsEmpty())));
}

TEST(StreamGroups, XClaimMinIdleAndXAutoClaim) {
  int64_t now = kNow;
  Keyspace model = testing::MakeModel(&now);
  for (const char* id : {"1-0", "2-0", "3-0"}) {
    ASSERT_THAT(model.Apply({"XADD", "s", id, "f", "v"}), IsApplied());
  }
  ASSERT_THAT(model.Apply({"XGROUP", "CREATE", "s", "g", "0"}), IsApplied());
  for (const char* id : {"1-0", "2-0", "3-0"}) {
    ASSERT_THAT(
        model.Apply({"XCLAIM", "s", "g", "alice", "0", id, "FORCE", "JUSTID", "RETRYCOUNT", "1"}),
        IsApplied());
  }
  now += 1'000;
  // Too recent for min-idle 5000: nothing moves.
  ASSERT_THAT(model.Apply({"XCLAIM", "s", "g", "bob", "5000", "1-0"}), IsApplied());
  EXPECT_EQ(StreamAt(model, "s").groups[0].pending[0].consumer, "alice");
  ASSERT_THAT(model.Apply({"XCLAIM", "s", "g", "bob", "500", "1-0", "IDLE", "10"}), IsApplied());
  EXPECT_EQ(StreamAt(model, "s").groups[0].pending[0].consumer, "bob");
  EXPECT_EQ(StreamAt(model, "s").groups[0].pending[0].delivery_time_ms, now - 10);
  EXPECT_EQ(StreamAt(model, "s").groups[0].pending[0].delivery_count, 2u);
  ASSERT_THAT(model.Apply({"XDEL", "s", "3-0"}), IsApplied());
  ASSERT_THAT(model.Apply({"XAUTOCLAIM", "s", "g", "carol", "100", "(1-0", "COUNT", "5"}),
              IsApplied());
  const data::StreamGroup& g = StreamAt(model, "s").groups[0];
  ASSERT_EQ(g.pending.size(), 2u) << "the deleted entry's pending entry is dropped";
  EXPECT_EQ(g.pending[0].consumer, "bob");
  EXPECT_EQ(g.pending[1].consumer, "carol");
  EXPECT_EQ(g.pending[1].delivery_time_ms, now);
}

}  // namespace
}  // namespace conformance::keyspace
