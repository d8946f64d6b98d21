// Reproducibility and validity of every profile: the same seed gives the same commands, the
// basic profile still gives exactly what it gave before profiles existed, and the keyspace
// model applies every generated command (replicated form: all of them; client form: all but
// XREADGROUP, whose effects a master propagates as XCLAIM/XGROUP SETID).
#include "harness/workload/generator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "tests/unit/workload/test_util.h"

namespace conformance::workload {
namespace {

using testing::ApplyAll;
using ::testing::Each;
using ::testing::ElementsAre;
using testing::Fingerprint;
using ::testing::IsEmpty;
using ::testing::StartsWith;

DatasetOptions Dataset(Profile profile, uint64_t seed, size_t keys) {
  DatasetOptions options;
  options.seed = seed;
  options.keys = keys;
  options.databases = {0, 3};
  options.expire = true;
  options.profile = profile;
  return options;
}

WorkloadOptions Workload(Profile profile, uint64_t seed, size_t commands) {
  WorkloadOptions options;
  options.seed = seed;
  options.commands = commands;
  options.databases = {0, 3};
  options.multi = true;
  options.expire = true;
  options.profile = profile;
  return options;
}

// Fingerprints of the generators as they were before profiles (git history, commit 0988569).
TEST(BasicProfile, DatasetIsPinned) {
  DatasetOptions options;
  options.seed = 7;
  options.keys = 300;
  options.databases = {0, 3};
  options.expire = true;
  options.big_values = true;
  const auto commands = GenerateDataset(options);
  EXPECT_EQ(commands.size(), 633u);
  EXPECT_EQ(Fingerprint(commands), 0x3a2b37c9ec9bcefcull);
  EXPECT_EQ(Fingerprint(GenerateDataset(DatasetOptions{})), 0x741afe52452bb7f0ull);
}

TEST(BasicProfile, WorkloadIsPinned) {
  WorkloadOptions options;
  options.seed = 8;
  options.commands = 400;
  options.databases = {0, 2};
  options.multi = true;
  options.expire = true;
  const auto commands = GenerateWorkload(options);
  EXPECT_EQ(commands.size(), 624u);
  EXPECT_EQ(Fingerprint(commands), 0x81e00e9db95fb13bull);
  EXPECT_EQ(Fingerprint(GenerateWorkload(WorkloadOptions{})), 0x2eb64b12a4023ba7ull);
  // The basic profile ignores an initial keyspace.
  EXPECT_EQ(Fingerprint(GenerateWorkload(options, keyspace::Keyspace{})), 0x81e00e9db95fb13bull);
}

TEST(ForEachDatasetCommand, HandsOverTheSameCommands) {
  for (Profile profile : {Profile::kBasic, Profile::kAllTypes, Profile::kMixed}) {
    const DatasetOptions options = Dataset(profile, 5, 200);
    std::vector<Command> streamed;
    ForEachDatasetCommand(options, [&](Command&& c) { streamed.push_back(std::move(c)); });
    EXPECT_EQ(streamed, GenerateDataset(options)) << ToString(profile);
  }
}

TEST(Reproducibility, SameSeedSameCommandsOtherSeedOthers) {
  for (Profile profile : {Profile::kBasic, Profile::kAllTypes, Profile::kMixed}) {
    for (Form form : {Form::kClient, Form::kReplicated}) {
      DatasetOptions a = Dataset(profile, 11, 300);
      a.form = form;
      DatasetOptions b = a;
      b.seed = 12;
      EXPECT_EQ(GenerateDataset(a), GenerateDataset(a)) << ToString(profile);
      EXPECT_NE(GenerateDataset(a), GenerateDataset(b)) << ToString(profile);
    }
  }
  for (Profile profile : {Profile::kBasic, Profile::kAllTypes, Profile::kExpiry}) {
    keyspace::Keyspace initial;
    DatasetOptions dataset = Dataset(Profile::kAllTypes, 3, 200);
    dataset.form = Form::kReplicated;
    ASSERT_THAT(ApplyAll(initial, GenerateDataset(dataset)).errors, IsEmpty());
    WorkloadOptions a = Workload(profile, 21, 500);
    WorkloadOptions b = a;
    b.seed = 22;
    EXPECT_EQ(GenerateWorkload(a, initial), GenerateWorkload(a, initial)) << ToString(profile);
    EXPECT_NE(GenerateWorkload(a, initial), GenerateWorkload(b, initial)) << ToString(profile);
  }
}

TEST(Profiles, ParseAndPrint) {
  for (Profile profile : {Profile::kBasic, Profile::kAllTypes, Profile::kMixed, Profile::kExpiry}) {
    EXPECT_EQ(ParseProfile(ToString(profile)), profile);
  }
  EXPECT_EQ(ParseProfile("everything"), std::nullopt);
}

TEST(Types, ParseCommaSeparatedWords) {
  std::string error;
  auto filter = ParseTypes("string, list,hash", &error);
  ASSERT_TRUE(filter.has_value()) << error;
  EXPECT_TRUE(filter->Allows("string"));
  EXPECT_TRUE(filter->Allows("list"));
  EXPECT_TRUE(filter->Allows("hash"));
  EXPECT_FALSE(filter->Allows("stream"));
  EXPECT_FALSE(filter->Allows("set"));
  EXPECT_TRUE(ParseTypes("", &error)->Allows("stream"));
  EXPECT_FALSE(ParseTypes("string,blob", &error).has_value());
  EXPECT_THAT(error, StartsWith("unknown type 'blob'"));
}

TEST(Types, FilterLimitsTheDatasetsKeys) {
  DatasetOptions options = Dataset(Profile::kAllTypes, 4, 200);
  options.form = Form::kReplicated;
  std::string error;
  options.types = *ParseTypes("string,hash", &error);
  keyspace::Keyspace model;
  ASSERT_THAT(ApplyAll(model, GenerateDataset(options)).errors, IsEmpty());
  std::set<std::string> types;
  for (int db : {0, 3}) {
    for (const auto& [key, entry] : model.db(db).Entries()) {
      types.insert(data::TypeName(data::TypeOf(entry.value)));
    }
  }
  EXPECT_THAT(types, ElementsAre("hash", "string"));
}

TEST(Validity, ReplicatedFormAppliesEverywhere) {
  for (Profile profile : {Profile::kBasic, Profile::kAllTypes, Profile::kMixed}) {
    for (uint64_t seed : {1, 2, 3}) {
      DatasetOptions dataset = Dataset(profile, seed, 400);
      dataset.form = Form::kReplicated;
      keyspace::Keyspace model;
      const auto loaded = ApplyAll(model, GenerateDataset(dataset));
      EXPECT_THAT(loaded.errors, IsEmpty()) << ToString(profile) << " seed " << seed;
      EXPECT_THAT(loaded.unmodelled, IsEmpty()) << ToString(profile) << " seed " << seed;
      for (Profile workload_profile : {Profile::kAllTypes, Profile::kExpiry}) {
        WorkloadOptions workload = Workload(workload_profile, seed + 100, 1500);
        workload.form = Form::kReplicated;
        const auto commands = GenerateWorkload(workload, model);
        const auto applied = ApplyAll(model, commands);
        EXPECT_THAT(applied.errors, IsEmpty()) << ToString(workload_profile) << " seed " << seed;
        EXPECT_THAT(applied.unmodelled, IsEmpty())
            << ToString(workload_profile) << " seed " << seed;
        EXPECT_GT(applied.applied, 1000u);
      }
    }
  }
}

TEST(Validity, ClientFormAppliesButForXreadgroup) {
  for (uint64_t seed : {4, 5}) {
    DatasetOptions dataset = Dataset(Profile::kAllTypes, seed, 400);
    keyspace::Keyspace model;
    const auto commands = GenerateDataset(dataset);
    const auto loaded = ApplyAll(model, commands, {"XREADGROUP"});
    EXPECT_THAT(loaded.errors, IsEmpty());
    EXPECT_THAT(loaded.unmodelled, Each(std::string("XREADGROUP")));
    EXPECT_THAT(loaded.unmodelled, ::testing::Not(IsEmpty()));
    // The workload, from a keyspace that got the replicated dataset (what the server holds).
    DatasetOptions replicated = dataset;
    replicated.form = Form::kReplicated;
    keyspace::Keyspace server;
    ASSERT_THAT(ApplyAll(server, GenerateDataset(replicated)).errors, IsEmpty());
    WorkloadOptions workload = Workload(Profile::kAllTypes, seed, 1500);
    const auto applied = ApplyAll(server, GenerateWorkload(workload, server), {"XREADGROUP"});
    EXPECT_THAT(applied.errors, IsEmpty());
    EXPECT_THAT(applied.unmodelled, Each(std::string("XREADGROUP")));
  }
}

TEST(Validity, MixedDatasetHasTheBenchmarksProportions) {
  DatasetOptions options = Dataset(Profile::kMixed, 9, 10000);
  options.databases = {0};
  options.expire_percent = 5;
  keyspace::Keyspace model;
  ASSERT_THAT(ApplyAll(model, GenerateDataset(options)).errors, IsEmpty());
  std::map<std::string, size_t> types;
  size_t with_ttl = 0;
  for (const auto& [key, entry] : model.db(0).Entries()) {
    ++types[data::TypeName(data::TypeOf(entry.value))];
    if (entry.expire_at_ms != data::Entry::kNoExpiry) ++with_ttl;
  }
  EXPECT_EQ(types["string"], 6000u);
  for (const char* type : {"hash", "list", "set", "zset"}) EXPECT_EQ(types[type], 1000u) << type;
  EXPECT_NEAR(static_cast<double>(with_ttl), 500, 100);
}

}  // namespace
}  // namespace conformance::workload
