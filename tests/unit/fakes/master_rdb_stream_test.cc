// The snapshot a fake master sends (read back with the RDB reader and the model loader a fake
// replica uses) and the SELECT placement of the stream (O2).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/keyspace/keyspace.h"
#include "harness/rdb/reader.h"
#include "harness/repl/master_rdb.h"
#include "harness/repl/master_stream.h"
#include "harness/repl/model_loader.h"
#include "tests/unit/fakes/test_support.h"

namespace conformance::repl {
namespace {

using fakes::testing::StringEntry;
using ::testing::ElementsAre;

keyspace::Keyspace SmallModel() {
  keyspace::Keyspace model;
  model.Set(0, "a", StringEntry("1"));
  model.Set(0, "b", StringEntry("two"));
  model.Set(5, "c", StringEntry("3", 4102444800000));
  return model;
}

// Loads `rdb` into a fresh model, as a fake replica does.
struct Loaded {
  keyspace::Keyspace model;
  ModelLoader loader{&model};
};

void Load(const std::string& rdb, Loaded* loaded) {
  rdb::Reader reader(&loaded->loader);
  Status fed = reader.Feed(rdb);
  ASSERT_TRUE(fed.ok()) << fed.message();
  Status finished = reader.Finish();
  ASSERT_TRUE(finished.ok()) << finished.message();
}

TEST(BuildRdb, RoundTripsTheModelAndTheReplicationAux) {
  const keyspace::Keyspace model = SmallModel();
  RdbBuildOptions options;
  options.repl_stream_db = 5;
  options.repl_id = std::string(40, 'a');
  options.repl_offset = 1234;
  auto rdb = BuildRdb(model, options);
  ASSERT_TRUE(rdb.ok()) << rdb.message();
  EXPECT_TRUE(rdb->starts_with("REDIS0010"));

  Loaded loaded;
  Load(*rdb, &loaded);
  EXPECT_EQ(loaded.loader.keys(), 3u);
  EXPECT_EQ(loaded.loader.repl_stream_db(), 5);
  EXPECT_EQ(loaded.loader.repl_id(), std::string(40, 'a'));
  EXPECT_EQ(loaded.loader.repl_offset(), 1234);
  EXPECT_EQ(loaded.model.ComputeDigest(), model.ComputeDigest());
}

TEST(BuildRdb, IsReproducible) {
  RdbBuildOptions options;
  options.ctime = 1700000000;
  EXPECT_EQ(*BuildRdb(SmallModel(), options), *BuildRdb(SmallModel(), options));
}

TEST(BuildRdb, OldVersionsHaveNoAuxFields) {
  RdbBuildOptions options;
  options.writer.version = 6;
  options.repl_stream_db = 5;
  auto rdb = BuildRdb(SmallModel(), options);
  ASSERT_TRUE(rdb.ok()) << rdb.message();
  Loaded loaded;
  Load(*rdb, &loaded);
  EXPECT_EQ(loaded.loader.repl_stream_db(), std::nullopt);
  EXPECT_EQ(loaded.loader.keys(), 3u);
}

TEST(BuildRdb, EmptyModel) {
  keyspace::Keyspace empty;
  auto rdb = BuildRdb(empty, {});
  ASSERT_TRUE(rdb.ok());
  Loaded loaded;
  Load(*rdb, &loaded);
  EXPECT_EQ(loaded.loader.keys(), 0u);
}

TEST(Framing, Preambles) {
  EXPECT_EQ(LengthPreamble(190), "$190\r\n");
  EXPECT_EQ(EofPreamble(std::string(40, 'f')), "$EOF:" + std::string(40, 'f') + "\r\n");
  std::mt19937_64 rng(3);
  EXPECT_EQ(RandomEofMark(rng).size(), 40u);
}

TEST(StreamSelector, SelectsBeforeTheFirstKeyedCommandAndOnChange) {
  StreamSelector selector;
  using Plan = std::vector<std::vector<std::string>>;
  EXPECT_EQ(selector.Plan(0, {"SET", "k", "v"}), (Plan{{"SELECT", "0"}, {"SET", "k", "v"}}));
  EXPECT_EQ(selector.Plan(0, {"DEL", "k"}), (Plan{{"DEL", "k"}}));
  EXPECT_EQ(selector.Plan(9, {"INCR", "n"}), (Plan{{"SELECT", "9"}, {"INCR", "n"}}));
  EXPECT_EQ(selector.stream_db(), 9);
}

TEST(StreamSelector, PingGetAckMultiExecNeverSelect) {
  StreamSelector selector;
  using Plan = std::vector<std::vector<std::string>>;
  EXPECT_EQ(selector.Plan(3, {"ping"}), (Plan{{"ping"}}));
  EXPECT_EQ(selector.Plan(3, {"REPLCONF", "GETACK", "*"}), (Plan{{"REPLCONF", "GETACK", "*"}}));
  EXPECT_EQ(selector.Plan(3, {"MULTI"}), (Plan{{"MULTI"}}));
  // The SELECT goes inside the transaction, before the first keyed command.
  EXPECT_EQ(selector.Plan(3, {"SET", "k", "v"}), (Plan{{"SELECT", "3"}, {"SET", "k", "v"}}));
  EXPECT_EQ(selector.Plan(3, {"EXEC"}), (Plan{{"EXEC"}}));
}

TEST(StreamSelector, ForceSelectAfterAFullSync) {
  StreamSelector selector;
  selector.set_stream_db(2);
  EXPECT_EQ(selector.Plan(2, {"SET", "k", "v"}).size(), 1u);
  selector.ForceSelect();
  EXPECT_EQ(selector.Plan(2, {"SET", "k", "v"}).size(), 2u);
}

TEST(StreamConstants, SizesCountedInTheOffset) {
  EXPECT_EQ(kStreamPing.size(), 14u);    // rule O1
  EXPECT_EQ(kStreamGetAck.size(), 37u);  // rule O1
}

}  // namespace
}  // namespace conformance::repl
