#include "harness/fuzz/reproducer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "harness/scenario/args.h"
#include "harness/scenario/loader.h"

namespace conformance::fuzz {
namespace {

TEST(ReproducerTest, QuotedBytesUnescapeToThemselves) {
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  all += "'\\x41''\\";
  const std::string quoted = QuotedBytes(all);
  ASSERT_GE(quoted.size(), 2u);
  // The YAML single-quoted scalar: '' stands for '.
  std::string scalar;
  for (size_t i = 1; i + 1 < quoted.size(); ++i) {
    scalar.push_back(quoted[i]);
    if (quoted[i] == '\'') ++i;
  }
  EXPECT_EQ(scenario::Unescape(scalar), all);
}

TEST(ReproducerTest, TheScenarioLoadsAndCarriesTheExactBytes) {
  FuzzInput input;
  input.seed = 3;
  input.iteration = 41;
  input.exchange.keys = 2;
  input.mutations = {{"handshake.crlf", 9}, {"rdb.length", 4}, {"stream.inline", 2}};
  auto exchange = Render(input);
  ASSERT_TRUE(exchange.ok());
  const Finding finding{Oracle::kCrash, "R8", "killed by signal 11 (SIGSEGV)",
                        {"12:S 01 Jan 2026 00:00:00.000 # Redis crashed by signal: 11"}};
  const std::string id = ReproducerId(finding, input);
  EXPECT_EQ(id.rfind("fuzz.replica.crash.", 0), 0u);
  FuzzInput before;
  before.iteration = 40;
  before.mutations = {{"rdb.checksum", 1}};
  auto written = ReproducerYaml(id, {before}, input, finding, 300, 2000, 1024);
  ASSERT_TRUE(written.ok()) << written.message();
  const std::string& yaml = *written;
  const auto path = std::filesystem::temp_directory_path() / (id + ".yaml");
  {
    std::ofstream out(path);
    out << yaml;
  }
  auto loaded = scenario::LoadScenarioFile(path.string());
  std::filesystem::remove(path);
  ASSERT_TRUE(loaded.ok()) << loaded.message() << "\n" << yaml;
  ASSERT_EQ(loaded->size(), 1u);
  const scenario::Scenario& s = loaded->front();
  EXPECT_EQ(s.id, id);
  std::vector<const scenario::Step*> exchanges;
  for (const scenario::Step& step : s.steps) {
    if (step.kind == "master.exchange") exchanges.push_back(&step);
  }
  ASSERT_EQ(exchanges.size(), 2u);  // the input it needs first, then the failing one
  auto first = Render(before);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(scenario::Unescape(exchanges[0]->args["raw"].Scalar()), first->AfterHandshake());
  EXPECT_EQ(scenario::Unescape(exchanges[1]->args["raw"].Scalar()), exchange->AfterHandshake());
  ASSERT_TRUE(exchanges[1]->args["replies"]);  // handshake.crlf changed a reply
  for (const auto& reply : exchanges[1]->args["replies"]) {
    const std::string name = reply.first.Scalar();
    EXPECT_EQ(scenario::Unescape(reply.second.Scalar()), exchange->handshake_replies.at(name)) << name;
  }
}

TEST(ReproducerTest, AMastersScenarioCarriesEachRequestWithItsPlaceholders) {
  FuzzInput input;
  input.role = TargetRole::kMaster;
  input.seed = 5;
  input.iteration = 7;
  input.requests.partial = true;
  input.requests.acks = 1;
  input.mutations = {{"psync.offset", 2}, {"request.crlf", 3}};
  auto requests = RenderRequests(input);
  ASSERT_TRUE(requests.ok());
  const Finding finding{Oracle::kCrash, "M16", "killed by signal 11 (SIGSEGV)", {}};
  const std::string id = ReproducerId(finding, input);
  EXPECT_EQ(id.rfind("fuzz.master.crash.", 0), 0u);
  auto written = ReproducerYaml(id, {}, input, finding, 300, 2000, 1024);
  ASSERT_TRUE(written.ok()) << written.message();
  auto loaded = scenario::LoadScenarioText(id + ".yaml", *written);
  ASSERT_TRUE(loaded.ok()) << loaded.message() << "\n" << *written;
  ASSERT_EQ(loaded->size(), 1u);
  const scenario::Scenario& s = loaded->front();
  EXPECT_EQ(s.role, scenario::Role::kMaster);
  ASSERT_EQ(s.steps.front().kind, "replica.exchange");
  const YAML::Node sent = s.steps.front().args["requests"];
  ASSERT_EQ(sent.size(), requests->items.size());
  for (size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(scenario::Unescape(sent[i].Scalar()), requests->items[i].bytes) << i;
  }
  EXPECT_NE(written->find("{replid}"), std::string::npos);  // filled at replay, not now
}

}  // namespace
}  // namespace conformance::fuzz
