// Discovery's parsers on replies captured from real releases (tests/data/discovery/<release>/:
// raw wire bytes of INFO server, COMMAND, CONFIG GET *, DUMP of a string, and --version).
#include "harness/server/discovery.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "harness/resp/decoder.h"
#include "harness/server/release_knowledge.h"

namespace conformance::server {
namespace {

using ::testing::Contains;
using ::testing::Not;

std::string ReadFixture(const std::string& release, const std::string& file) {
  std::ifstream in(std::string(CONFORMANCE_SOURCE_DIR) + "/tests/data/discovery/" + release + "/" + file,
                   std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

resp::Value Reply(const std::string& release, const std::string& file) {
  resp::Decoder decoder;
  decoder.Feed(ReadFixture(release, file));
  resp::Value value;
  EXPECT_EQ(decoder.Next(&value), resp::DecodeStatus::kValue) << release << "/" << file;
  return value;
}

struct Release {
  const char* dir;
  const char* product;
  Version version;
  int rdb_version;
  bool has_command;    // COMMAND (Redis >= 2.8.13)
  bool has_function;   // FUNCTION (Redis >= 7.0)
  bool has_replicaof;  // REPLICAOF, not only SLAVEOF (Redis >= 5.0)
  bool banner_names_product;  // Valkey 7.2's --version says only "Server v=..."
};

class CapturedRelease : public ::testing::TestWithParam<Release> {};

TEST_P(CapturedRelease, ProductAndVersionFromInfoAndBanner) {
  const Release& r = GetParam();
  // KeyDB tells itself apart in its own INFO section, which `INFO server` leaves out.
  const char* info = std::string(r.product) == "keydb" ? "info.resp" : "info-server.resp";
  const ProductRelease from_info = ProductFromInfo(Info::Parse(Reply(r.dir, info).str));
  EXPECT_EQ(from_info.product, r.product);
  ASSERT_TRUE(from_info.version);
  EXPECT_EQ(*from_info.version, r.version);
  const ProductRelease from_banner = ProductFromVersionText(ReadFixture(r.dir, "version.txt"));
  if (!r.banner_names_product) {
    EXPECT_EQ(from_banner.product, "unknown");
    return;
  }
  EXPECT_EQ(from_banner.product, r.product);
  ASSERT_TRUE(from_banner.version);
  EXPECT_EQ(*from_banner.version, r.version);
}

TEST_P(CapturedRelease, CommandsFromCommandReply) {
  const Release& r = GetParam();
  auto names = CommandNamesFromReply(Reply(r.dir, "command.resp"));
  if (!r.has_command) {
    EXPECT_FALSE(names) << "an error reply is no command list";
    return;
  }
  ASSERT_TRUE(names);
  EXPECT_THAT(*names, Contains("get"));
  EXPECT_EQ(names->count("psync") > 0, r.version >= (Version{2, 8, 0}));
  EXPECT_EQ(names->count("function") > 0, r.has_function);
  EXPECT_EQ(names->count("replicaof") > 0, r.has_replicaof);
}

TEST_P(CapturedRelease, DirectivesFromConfigGet) {
  const Release& r = GetParam();
  auto names = DirectivesFromConfigGet(Reply(r.dir, "config-get.resp"));
  ASSERT_TRUE(names);
  EXPECT_THAT(*names, Contains("port"));
  // Diskless replication came with 2.8.18.
  EXPECT_EQ(names->count("repl-diskless-sync") > 0, r.version >= (Version{2, 8, 18}));
}

TEST_P(CapturedRelease, RdbVersionFromDumpFooterAndKnowledgeAgree) {
  const Release& r = GetParam();
  const resp::Value dump = Reply(r.dir, "dump-string.resp");
  auto version = RdbVersionFromDump(dump.str);
  ASSERT_TRUE(version.ok()) << version.message();
  EXPECT_EQ(*version, r.rdb_version);
  if (std::string(r.product) == "redis") {
    EXPECT_EQ(RedisRdbVersion(r.version), r.rdb_version);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Releases, CapturedRelease,
    ::testing::Values(
        Release{"redis-2.6", "redis", {2, 6, 17}, 6, false, false, false, true},
        Release{"redis-2.8", "redis", {2, 8, 24}, 6, true, false, false, true},
        Release{"redis-3.2", "redis", {3, 2, 13}, 7, true, false, false, true},
        Release{"redis-4.0", "redis", {4, 0, 14}, 8, true, false, false, true},
        Release{"redis-5.0", "redis", {5, 0, 14}, 9, true, false, true, true},
        Release{"redis-6.0", "redis", {6, 0, 20}, 9, true, false, true, true},
        Release{"redis-6.2", "redis", {6, 2, 16}, 9, true, false, true, true},
        Release{"redis-7.2", "redis", {7, 2, 6}, 11, true, true, true, true},
        Release{"redis-7.4", "redis", {7, 4, 1}, 12, true, true, true, true},
        Release{"valkey-7.2", "valkey", {7, 2, 7}, 11, true, true, true, false},
        Release{"valkey-8.0", "valkey", {8, 0, 1}, 11, true, true, true, true},
        Release{"keydb-6.3", "keydb", {6, 3, 4}, 9, true, false, true, true}),
    [](const auto& info) {
      std::string name = info.param.dir;
      for (char& c : name) c = (c == '-' || c == '.') ? '_' : c;
      return name;
    });

TEST(Version, ParsesTheFirstDottedNumber) {
  EXPECT_EQ(Version::Parse("7.0.15"), (Version{7, 0, 15}));
  EXPECT_EQ(Version::Parse("df-v1.40.1"), (Version{1, 40, 1}));
  EXPECT_EQ(Version::Parse("v=2.6.17 sha=0"), (Version{2, 6, 17}));
  EXPECT_EQ(Version::Parse("x64 v8 then 6.3"), (Version{6, 3, 0}));
  EXPECT_EQ(Version::Parse("none"), std::nullopt);
  EXPECT_LT((Version{7, 2, 3}), (Version{7, 2, 4}));
}

TEST(ProductFromVersionText, KnowsEachBanner) {
  EXPECT_EQ(ProductFromVersionText("KeyDB server v=6.3.4 sha=0 malloc=libc").product, "keydb");
  EXPECT_EQ(ProductFromVersionText("Valkey server v=8.0.1 sha=0").product, "valkey");
  EXPECT_EQ(ProductFromVersionText("dragonfly v1.40.1-abc").product, "dragonfly");
  EXPECT_EQ(ProductFromVersionText("usage: minimal --port N").product, "unknown");
}

TEST(ProductFromInfo, ForksBeforeRedis) {
  EXPECT_EQ(ProductFromInfo(Info::Parse("redis_version:7.2.4\r\nserver_name:valkey\r\nvalkey_version:8.0.1\r\n")).product,
            "valkey");
  EXPECT_EQ(ProductFromInfo(Info::Parse("redis_version:7.4.0\r\ndragonfly_version:df-v1.2.0\r\n")).product,
            "dragonfly");
  EXPECT_EQ(ProductFromInfo(Info::Parse("# Replication\r\nrole:master\r\n")).product, "unknown");
}

TEST(RdbVersionFromDump, NamesWhatIsWrong) {
  EXPECT_FALSE(RdbVersionFromDump("short").ok());
  EXPECT_THAT(RdbVersionFromDump(std::string("\x00\x01v\x00\x00", 5) + std::string(8, '\0')).message(),
              ::testing::HasSubstr("RDB version 0"));
}

TEST(ApplyReplicaHandshake, DialectAndCapabilitiesFromWhatTheReplicaSent) {
  ServerTraits keydb;
  ApplyReplicaHandshake({"REPLPING", "REPLCONF listening-port <port>",
                         "REPLCONF capa eof capa psync2 capa activeExpire", "REPLCONF uuid <uuid>", "PSYNC"},
                        &keydb);
  EXPECT_EQ(keydb.dialect, "keydb");
  EXPECT_TRUE(keydb.Has("eof"));
  EXPECT_TRUE(keydb.Has("psync2"));
  EXPECT_TRUE(keydb.Has("replping"));

  ServerTraits minimal;
  ApplyReplicaHandshake({"PING", "REPLCONF listening-port <port>", "PSYNC"}, &minimal);
  EXPECT_EQ(minimal.dialect, "redis");
  EXPECT_FALSE(minimal.Has("eof"));
}

TEST(DeriveCapabilities, FromCommandsFormsAndDirectives) {
  ServerTraits traits;
  traits.commands = std::set<std::string>{"psync", "sync", "select", "auth", "dump", "xadd", "xgroup"};
  traits.config_directives = std::set<std::string>{"requirepass"};
  traits.forms_probed = true;
  traits.rdb_version = 9;
  traits.databases = 16;
  DeriveCapabilities(std::nullopt, &traits);
  EXPECT_TRUE(traits.Has("psync"));
  EXPECT_TRUE(traits.Has("select"));
  EXPECT_TRUE(traits.Has("auth"));
  EXPECT_TRUE(traits.Has("dump"));
  EXPECT_TRUE(traits.Has("streams"));
  EXPECT_FALSE(traits.Has("stream-entries-read"));  // the form was not seen
  EXPECT_FALSE(traits.Has("role"));
  EXPECT_FALSE(traits.Has("replicaof"));
  EXPECT_FALSE(traits.Has("info-replication"));
}

TEST(Accepts, CommandsAndTheirOptionalForms) {
  ServerTraits redis62;
  redis62.commands = std::set<std::string>{"set", "expire", "zadd", "hset", "select"};
  redis62.command_forms = {"set-keepttl", "zadd-flags", "hset-multi", "variadic-push"};
  redis62.forms_probed = true;
  EXPECT_TRUE(redis62.Accepts({"SET", "k", "v", "KEEPTTL"}));
  EXPECT_FALSE(redis62.Accepts({"SET", "k", "v", "GET"}));
  EXPECT_TRUE(redis62.Accepts({"EXPIRE", "k", "10"}));
  EXPECT_FALSE(redis62.Accepts({"EXPIRE", "k", "10", "XX"}));
  EXPECT_FALSE(redis62.Accepts({"ZADD", "z", "GT", "1", "m"}));
  EXPECT_TRUE(redis62.Accepts({"ZADD", "z", "CH", "1", "m", "2", "n"}));
  EXPECT_FALSE(redis62.Accepts({"GETEX", "k"}));

  ServerTraits unknown;  // nothing probed: everything goes
  EXPECT_TRUE(unknown.Accepts({"SET", "k", "v", "GET"}));
}

TEST(ReleaseKnowledge, FillsRdbVersionAndOldCapabilities) {
  ServerTraits redis26;
  redis26.product = "redis";
  redis26.version = Version{2, 6, 17};
  ApplyReleaseKnowledge(&redis26);
  EXPECT_EQ(redis26.rdb_version, 6);
  EXPECT_FALSE(redis26.Has("getack"));
  EXPECT_FALSE(redis26.Has("psync2"));

  ServerTraits valkey;
  valkey.product = "valkey";
  valkey.version = Version{8, 0, 1};
  valkey.rdb_version = 11;  // probed: knowledge does not overwrite it
  ApplyReleaseKnowledge(&valkey);
  EXPECT_EQ(valkey.dialect, "valkey");
  EXPECT_EQ(valkey.rdb_version, 11);
  EXPECT_TRUE(valkey.Has("psync2"));
}

}  // namespace
}  // namespace conformance::server
