#include "harness/server/launch_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace conformance::server {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

LaunchVars Vars() {
  return LaunchVars{"/usr/bin/redis-server", 7001, "/tmp/conformance-abc",
                    "/tmp/conformance-abc/server.conf", "127.0.0.1", std::nullopt};
}

TEST(ExpandPlaceholders, EveryPlaceholder) {
  LaunchVars vars = Vars();
  vars.master = {{"127.0.0.2", 6379}};
  EXPECT_EQ(*ExpandPlaceholders("{binary}", vars), "/usr/bin/redis-server");
  EXPECT_EQ(*ExpandPlaceholders("--port={port}", vars), "--port=7001");
  EXPECT_EQ(*ExpandPlaceholders("{dir}/x", vars), "/tmp/conformance-abc/x");
  EXPECT_EQ(*ExpandPlaceholders("{config}", vars), "/tmp/conformance-abc/server.conf");
  EXPECT_EQ(*ExpandPlaceholders("{host}:{port}", vars), "127.0.0.1:7001");
  EXPECT_EQ(*ExpandPlaceholders("{master_host}:{master_port}", vars), "127.0.0.2:6379");
}

TEST(ExpandPlaceholders, LeavesOtherBracesAlone) {
  EXPECT_EQ(*ExpandPlaceholders("{\"a\": {port}}", Vars()), "{\"a\": 7001}");
  EXPECT_EQ(*ExpandPlaceholders("{A}{}{port", Vars()), "{A}{}{port");
}

TEST(ExpandPlaceholders, UnknownPlaceholderIsAnError) {
  auto expanded = ExpandPlaceholders("--dir={dri}", Vars());
  ASSERT_FALSE(expanded.ok());
  EXPECT_THAT(expanded.message(), HasSubstr("unknown placeholder {dri}"));
}

TEST(ExpandPlaceholders, MasterPlaceholderNeedsReplicaOf) {
  auto expanded = ExpandPlaceholders("{master_port}", Vars());
  ASSERT_FALSE(expanded.ok());
  EXPECT_THAT(expanded.message(), HasSubstr("needs replica_of"));
}

TEST(BuildCommand, DefaultTemplate) {
  auto argv = BuildCommand(LaunchSpec{}, Vars());
  ASSERT_TRUE(argv.ok()) << argv.message();
  EXPECT_THAT(*argv, ElementsAre("/usr/bin/redis-server", "/tmp/conformance-abc/server.conf"));
}

TEST(BuildCommand, FlagsAndReplicaOfArgs) {
  LaunchSpec spec;
  spec.command = {"{binary}", "--port", "{port}", "--dir", "{dir}"};
  spec.replica_of = {{"127.0.0.1", 6379}};
  spec.replica_of_args = {"--replicaof", "{master_host}:{master_port}"};
  LaunchVars vars = Vars();
  vars.master = spec.replica_of;
  auto argv = BuildCommand(spec, vars);
  ASSERT_TRUE(argv.ok()) << argv.message();
  EXPECT_THAT(*argv, ElementsAre("/usr/bin/redis-server", "--port", "7001", "--dir",
                                 "/tmp/conformance-abc", "--replicaof", "127.0.0.1:6379"));
  // With replica_of_args, no replicaof line goes into the config.
  EXPECT_THAT(BuildConfig(spec, vars), Not(Contains(Pair("replicaof", testing::_))));
}

TEST(BuildCommand, EmptyTemplateIsAnError) {
  LaunchSpec spec;
  spec.command.clear();
  EXPECT_FALSE(BuildCommand(spec, Vars()).ok());
}

TEST(BuildConfig, Defaults) {
  EXPECT_EQ(RenderConfig(BuildConfig(LaunchSpec{}, Vars())),
            "bind 127.0.0.1\n"
            "port 7001\n"
            "dir /tmp/conformance-abc\n"
            "save \"\"\n"
            "appendonly no\n"
            "daemonize no\n"
            "repl-diskless-sync-delay 0\n"
            "enable-debug-command yes\n");
}

TEST(BuildConfig, DiscoveredDirectivesLeaveOutDefaultsTheServerWouldRefuse) {
  LaunchSpec spec;
  spec.directives = std::set<std::string>{"repl-diskless-sync-delay"};
  spec.config = {{"repl-backlog-size", "16kb"}};  // overrides are always written
  EXPECT_EQ(RenderConfig(BuildConfig(spec, Vars())),
            "bind 127.0.0.1\n"
            "port 7001\n"
            "dir /tmp/conformance-abc\n"
            "save \"\"\n"
            "appendonly no\n"
            "daemonize no\n"
            "repl-diskless-sync-delay 0\n"
            "repl-backlog-size 16kb\n");
}

TEST(BuildConfig, OldServersStartAsReplicasWithSlaveof) {
  LaunchSpec spec;
  spec.replica_of = {{"127.0.0.1", 6379}};
  spec.replicaof_directive = "slaveof";
  LaunchVars vars = Vars();
  vars.master = spec.replica_of;
  EXPECT_THAT(BuildConfig(spec, vars), Contains(Pair("slaveof", "127.0.0.1 6379")));
}

TEST(BuildConfig, OverridesReplaceDefaultsOfTheSameNameAndAppendTheRest) {
  LaunchSpec spec;
  spec.config = {{"save", "900 1"}, {"SAVE", "300 10"}, {"repl-backlog-size", "16kb"}};
  spec.replica_of = {{"127.0.0.1", 6379}};
  LaunchVars vars = Vars();
  vars.master = spec.replica_of;
  const ConfigLines lines = BuildConfig(spec, vars);
  EXPECT_THAT(lines, Not(Contains(Pair("save", "\"\""))));
  ASSERT_GE(lines.size(), 4u);
  EXPECT_THAT(std::vector(lines.end() - 4, lines.end()),
              ElementsAre(Pair("save", "900 1"), Pair("SAVE", "300 10"),
                          Pair("repl-backlog-size", "16kb"), Pair("replicaof", "127.0.0.1 6379")));
}

TEST(BuildConfig, WithoutDefaults) {
  LaunchSpec spec;
  spec.use_default_config = false;
  spec.config = {{"port", "1"}};
  EXPECT_THAT(BuildConfig(spec, Vars()), ElementsAre(Pair("port", "1")));
}

TEST(BuildConfig, QuotesADirWithSpaces) {
  LaunchVars vars = Vars();
  vars.dir = "/tmp/my dir";
  EXPECT_THAT(BuildConfig(LaunchSpec{}, vars), Contains(Pair("dir", "\"/tmp/my dir\"")));
}

TEST(QuoteConfigValue, EscapesLikeSdssplitargs) {
  EXPECT_EQ(QuoteConfigValue("plain"), "plain");
  EXPECT_EQ(QuoteConfigValue(""), "\"\"");
  EXPECT_EQ(QuoteConfigValue("a b"), "\"a b\"");
  EXPECT_EQ(QuoteConfigValue("a\"b\\c"), "\"a\\\"b\\\\c\"");
}

TEST(FormatCommandLine, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(FormatCommandLine({"/usr/bin/redis-server", "--port", "7001", "a b", "it's", ""}),
            "/usr/bin/redis-server --port 7001 'a b' 'it'\\''s' ''");
}

TEST(Secrets, FromConfigAndSpec) {
  LaunchSpec spec;
  spec.config = {{"requirepass", "\"hunter2\""}, {"masterauth", "swordfish"}, {"port", "1"}};
  spec.secrets = {"flagpass", ""};
  EXPECT_THAT(SecretsOf(spec), ElementsAre("flagpass", "hunter2", "swordfish"));
  EXPECT_EQ(RedactSecrets(">>> 'requirepass \"hunter2\"' hunter2hunter2", SecretsOf(spec)),
            ">>> 'requirepass \"<redacted>\"' <redacted><redacted>");
}

}  // namespace
}  // namespace conformance::server
