#include "harness/fuzz/requests.h"

#include <gtest/gtest.h>

#include <set>

#include "harness/fuzz/input.h"
#include "harness/fuzz/request_driver.h"
#include "harness/fuzz/request_mutators.h"

namespace conformance::fuzz {
namespace {

MasterPosition Position() {
  MasterPosition position;
  position.replid = std::string(40, 'a');
  position.replid2 = std::string(40, 'b');
  position.offset = 1000;
  position.second_offset = 500;
  position.backlog_first = 1;
  return position;
}

TEST(RequestsTest, TheValidRequestsAreAReplicasHandshake) {
  RequestOptions options;
  options.acks = 1;
  const Requests requests = BuildRequests(options);
  ASSERT_EQ(requests.items.size(), 5u);
  EXPECT_EQ(requests.items[0].bytes, "*1\r\n$4\r\nPING\r\n");
  EXPECT_EQ(requests.items[3].argv, (std::vector<std::string>{"PSYNC", "?", "-1"}));
  EXPECT_EQ(requests.items[4].kind, RequestKind::kAck);

  options.partial = true;
  EXPECT_EQ(BuildRequests(options).items[3].argv, (std::vector<std::string>{"PSYNC", "{replid}", "{next}"}));
  options.psync = false;
  const Requests sync = BuildRequests(options);
  EXPECT_EQ(sync.items[2].argv, std::vector<std::string>{"SYNC"});  // no capa before SYNC
}

TEST(RequestsTest, PlaceholdersAreFilledAndBulkLengthsFollow) {
  const MasterPosition position = Position();
  EXPECT_EQ(FillPlaceholders("*3\r\n$5\r\nPSYNC\r\n$8\r\n{replid}\r\n$6\r\n{next}\r\n", position),
            "*3\r\n$5\r\nPSYNC\r\n$40\r\n" + std::string(40, 'a') + "\r\n$4\r\n1001\r\n");
  EXPECT_EQ(FillPlaceholders("{offset-1} {backlog-first+2} {second} {replid2}", position),
            "999 3 500 " + std::string(40, 'b'));
  // A length a mutation changed stays as it was; unknown braces are left alone.
  EXPECT_EQ(FillPlaceholders("$9\r\n{offset}\r\n", position), "$9\r\n1000\r\n");
  EXPECT_EQ(FillPlaceholders("{nothing} {offset", position), "{nothing} {offset");
  MasterPosition without = position;
  without.replid2.clear();
  EXPECT_EQ(FillPlaceholders("{replid2}", without), std::string(40, '0'));
}

TEST(RequestMutatorsTest, NamesAreUniqueAndEveryMutatorIsTotalAndDeterministic) {
  std::set<std::string_view> names;
  for (const RequestMutator& mutator : RequestMutators()) {
    EXPECT_TRUE(names.insert(mutator.name).second) << mutator.name;
    EXPECT_EQ(FindRequestMutator(mutator.name), &mutator);
    for (bool psync : {true, false}) {
      for (int acks : {0, 3}) {
        for (uint64_t seed = 0; seed < 40; ++seed) {
          FuzzInput input;
          input.role = TargetRole::kMaster;
          input.requests.psync = psync;
          input.requests.acks = acks;
          input.mutations = {{std::string(mutator.name), seed}, {std::string(mutator.name), seed + 1}};
          auto first = RenderRequests(input);
          auto second = RenderRequests(input);
          ASSERT_TRUE(first.ok()) << mutator.name << ": " << first.message();
          ASSERT_EQ(first->items.size(), second->items.size()) << mutator.name;
          for (size_t i = 0; i < first->items.size(); ++i) {
            EXPECT_EQ(first->items[i].bytes, second->items[i].bytes) << mutator.name;
          }
        }
      }
    }
  }
  EXPECT_EQ(FindRequestMutator("rdb.length"), nullptr);
}

TEST(RequestMutatorsTest, ArgumentMutationsApplyBeforeGrammarOnes) {
  FuzzInput input;
  input.role = TargetRole::kMaster;
  input.requests.acks = 0;
  // The grammar mutation is listed first but must not be undone by the re-encoding.
  input.mutations = {{"request.truncate", 7}, {"psync.offset", 3}};
  auto rendered = RenderRequests(input);
  ASSERT_TRUE(rendered.ok());
  FuzzInput arguments_only = input;
  arguments_only.mutations = {{"psync.offset", 3}};
  auto reference = RenderRequests(arguments_only);
  ASSERT_TRUE(reference.ok());
  size_t differing = 0;
  for (size_t i = 0; i < rendered->items.size(); ++i) differing += rendered->items[i].bytes != reference->items[i].bytes;
  EXPECT_EQ(differing, 1u);
}

TEST(RequestMutatorsTest, SelectionIsByGlobAndNamesAGlobThatMatchesNothing) {
  auto selected = SelectRequestMutators({"psync.*"});
  ASSERT_TRUE(selected.ok());
  EXPECT_EQ(*selected, (std::vector<std::string>{"psync.replid", "psync.offset", "psync.args"}));
  EXPECT_FALSE(SelectRequestMutators({"rdb.*"}).ok());
}

TEST(RequestInputTest, AMasterDomainDrawsRequestMutatorsOnly) {
  InputDomain domain;
  domain.role = TargetRole::kMaster;
  domain.psync = false;
  for (uint64_t iteration = 0; iteration < 500; ++iteration) {
    const FuzzInput input = DrawInput(2, iteration, domain);
    EXPECT_EQ(input.role, TargetRole::kMaster);
    EXPECT_FALSE(input.requests.psync);
    ASSERT_FALSE(input.mutations.empty());
    for (const Mutation& mutation : input.mutations) {
      ASSERT_NE(FindRequestMutator(mutation.mutator), nullptr) << mutation.mutator;
      EXPECT_NE(mutation.mutator.substr(0, 6), "psync.");  // no PSYNC to get wrong
    }
    EXPECT_TRUE(RenderRequests(input).ok());
  }
  FuzzInput unknown;
  unknown.role = TargetRole::kMaster;
  unknown.mutations = {{"rdb.length", 1}};
  EXPECT_FALSE(RenderRequests(unknown).ok());
}

RequestsResult Continued(const std::string& replid, const std::string& offset) {
  RequestsResult result;
  result.sync_answer = "+CONTINUE " + std::string(40, 'a');
  result.sync_sent = "*3\r\n$5\r\nPSYNC\r\n$" + std::to_string(replid.size()) + "\r\n" + replid + "\r\n$" +
                     std::to_string(offset.size()) + "\r\n" + offset + "\r\n";
  result.before = Position();
  result.after = Position();
  result.after->offset = 1010;  // a write between the two reads
  return result;
}

TEST(ContinuedOutsideWindowTest, OnlyAContinueOutsideTheBacklogOrHistoryIsAViolation) {
  const std::string own(40, 'a');
  const std::string previous(40, 'b');
  EXPECT_FALSE(ContinuedOutsideWindow(Continued(own, "1")));     // the backlog's first byte
  EXPECT_FALSE(ContinuedOutsideWindow(Continued(own, "1001")));  // nothing missing
  EXPECT_FALSE(ContinuedOutsideWindow(Continued(own, "1011")));  // allowed after the write
  EXPECT_TRUE(ContinuedOutsideWindow(Continued(own, "1012")));
  EXPECT_TRUE(ContinuedOutsideWindow(Continued(own, "0")));
  EXPECT_FALSE(ContinuedOutsideWindow(Continued(previous, "500")));
  EXPECT_TRUE(ContinuedOutsideWindow(Continued(previous, "501")));
  EXPECT_TRUE(ContinuedOutsideWindow(Continued("?", "-1")));
  EXPECT_TRUE(ContinuedOutsideWindow(Continued(std::string(40, 'c'), "5")));
  // What cannot be read as an offset is not judged; neither is a full resync.
  EXPECT_FALSE(ContinuedOutsideWindow(Continued("?", "abc")));
  RequestsResult full = Continued("?", "-1");
  full.sync_answer = "+FULLRESYNC " + own + " 1000";
  EXPECT_FALSE(ContinuedOutsideWindow(full));
  RequestsResult no_backlog = Continued(own, "1001");
  no_backlog.before->backlog = no_backlog.after->backlog = false;
  EXPECT_TRUE(ContinuedOutsideWindow(no_backlog));
}

}  // namespace
}  // namespace conformance::fuzz
