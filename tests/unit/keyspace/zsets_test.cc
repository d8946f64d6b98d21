// Sorted set commands, the multi-key stores and GEOADD.
#include <limits>

#include "tests/unit/keyspace/test_util.h"

namespace conformance::keyspace {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Not;
using ::testing::Pair;

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(ZSets, Table) {
  const std::vector<testing::Argv> abc = {{"ZADD", "z", "1", "a", "2", "b", "3", "c"}};
  auto with = [&](std::vector<testing::Argv> more) {
    std::vector<testing::Argv> all = abc;
    all.insert(all.end(), more.begin(), more.end());
    return all;
  };
  testing::RunCases({
      {"zadd orders by score then member",
       {{"ZADD", "z", "2", "b", "1", "c", "2", "a"}},
       HasKey(0, "z", ZSetValue(ElementsAre(Pair("c", 1), Pair("a", 2), Pair("b", 2))))},
      {"zadd updates", with({{"ZADD", "z", "10", "a"}}),
       HasKey(0, "z", ZSetValue(ElementsAre(Pair("b", 2), Pair("c", 3), Pair("a", 10))))},
      {"zadd nx", with({{"ZADD", "z", "NX", "10", "a", "4", "d"}}),
       HasKey(0, "z",
              ZSetValue(ElementsAre(Pair("a", 1), Pair("b", 2), Pair("c", 3), Pair("d", 4))))},
      {"zadd xx", with({{"ZADD", "z", "XX", "10", "a", "4", "d"}}),
       HasKey(0, "z", ZSetValue(ElementsAre(Pair("b", 2), Pair("c", 3), Pair("a", 10))))},
      {"zadd xx missing key", {{"ZADD", "z", "XX", "1", "a"}}, Not(HasKey(0, "z"))},
      {"zadd gt", with({{"ZADD", "z", "GT", "CH", "0", "a", "5", "b", "7", "d"}}),
       HasKey(0, "z",
              ZSetValue(ElementsAre(Pair("a", 1), Pair("c", 3), Pair("b", 5), Pair("d", 7))))},
      {"zadd lt", with({{"ZADD", "z", "LT", "0", "a", "5", "b"}}),
       HasKey(0, "z", ZSetValue(ElementsAre(Pair("a", 0), Pair("b", 2), Pair("c", 3))))},
      {"zadd incr", with({{"ZADD", "z", "INCR", "2.5", "a"}}),
       HasKey(0, "z", ZSetValue(ElementsAre(Pair("b", 2), Pair("c", 3), Pair("a", 3.5))))},
      {"zadd incr gt refused", with({{"ZADD", "z", "INCR", "GT", "-1", "c"}}),
       HasKey(0, "z", ZSetValue(ElementsAre(Pair("a", 1), Pair("b", 2), Pair("c", 3))))},
      {"zadd inf scores",
       {{"ZADD", "z", "-inf", "lo", "+inf", "hi"}},
       HasKey(0, "z", ZSetValue(ElementsAre(Pair("lo", -kInf), Pair("hi", kInf))))},
      {"zincrby", with({{"ZINCRBY", "z", "-5", "c"}, {"ZINCRBY", "z", "1", "new"}}),
       HasKey(0, "z",
              ZSetValue(ElementsAre(Pair("c", -2), Pair("a", 1), Pair("new", 1), Pair("b", 2))))},
      {"zrem", with({{"ZREM", "z", "a", "zz"}}),
       HasKey(0, "z", ZSetValue(ElementsAre(Pair("b", 2), Pair("c", 3))))},
      {"zrem all deletes", with({{"ZREM", "z", "a", "b", "c"}}), Not(HasKey(0, "z"))},
      {"zremrangebyscore", with({{"ZREMRANGEBYSCORE", "z", "(1", "2"}}),
       HasKey(0, "z", ZSetValue(ElementsAre(Pair("a", 1), Pair("c", 3))))},
      {"zremrangebyscore inf", with({{"ZREMRANGEBYSCORE", "z", "-inf", "+inf"}}),
       Not(HasKey(0, "z"))},
      {"zremrangebyrank", with({{"ZREMRANGEBYRANK", "z", "0", "-2"}}),
       HasKey(0, "z", ZSetValue(ElementsAre(Pair("c", 3))))},
      {"zremrangebylex",
       {{"ZADD", "z", "0", "a", "0", "b", "0", "c", "0", "d"}, {"ZREMRANGEBYLEX", "z", "[b", "(d"}},
       HasKey(0, "z", ZSetValue(ElementsAre(Pair("a", 0), Pair("d", 0))))},
      {"zremrangebylex open ends",
       {{"ZADD", "z", "0", "a", "0", "b"}, {"ZREMRANGEBYLEX", "z", "-", "+"}},
       Not(HasKey(0, "z"))},
      {"zpopmin", with({{"ZPOPMIN", "z"}}),
       HasKey(0, "z", ZSetValue(ElementsAre(Pair("b", 2), Pair("c", 3))))},
      {"zpopmax count", with({{"ZPOPMAX", "z", "2"}}),
       HasKey(0, "z", ZSetValue(ElementsAre(Pair("a", 1))))},
      {"bzpopmin second key", with({{"BZPOPMIN", "nope", "z", "0.5"}}),
       HasKey(0, "z", ZSetValue(ElementsAre(Pair("b", 2), Pair("c", 3))))},
      {"zmpop max count", with({{"ZMPOP", "2", "nope", "z", "MAX", "COUNT", "5"}}),
       Not(HasKey(0, "z"))},
      {"bzmpop min", with({{"BZMPOP", "0", "1", "z", "MIN"}}),
       HasKey(0, "z", ZSetValue(ElementsAre(Pair("b", 2), Pair("c", 3))))},
      {"zrangestore by rank", with({{"ZRANGESTORE", "d", "z", "1", "-1"}}),
       HasKey(0, "d", ZSetValue(ElementsAre(Pair("b", 2), Pair("c", 3))))},
      {"zrangestore rev rank", with({{"ZRANGESTORE", "d", "z", "0", "0", "REV"}}),
       HasKey(0, "d", ZSetValue(ElementsAre(Pair("c", 3))))},
      {"zrangestore byscore limit",
       with({{"ZRANGESTORE", "d", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "1"}}),
       HasKey(0, "d", ZSetValue(ElementsAre(Pair("b", 2))))},
      {"zrangestore byscore rev",
       with({{"ZRANGESTORE", "d", "z", "(3", "1", "BYSCORE", "REV", "LIMIT", "0", "1"}}),
       HasKey(0, "d", ZSetValue(ElementsAre(Pair("b", 2))))},
      {"zrangestore bylex",
       {{"ZADD", "z", "0", "a", "0", "b", "0", "c"}, {"ZRANGESTORE", "d", "z", "(a", "+", "BYLEX"}},
       HasKey(0, "d", ZSetValue(ElementsAre(Pair("b", 0), Pair("c", 0))))},
      {"zrangestore empty deletes dest",
       with({{"SET", "d", "x"}, {"ZRANGESTORE", "d", "z", "5", "9"}}), Not(HasKey(0, "d"))},
      {"zrangestore missing source",
       {{"SET", "d", "x"}, {"ZRANGESTORE", "d", "nope", "0", "-1"}},
       Not(HasKey(0, "d"))},
  });
}

TEST(ZSets, Stores) {
  const std::vector<testing::Argv> setup = {{"ZADD", "x", "1", "a", "2", "b"},
                                            {"ZADD", "y", "10", "b", "20", "c"},
                                            {"SADD", "s", "a", "c"}};
  auto with = [&](testing::Argv command) {
    std::vector<testing::Argv> all = setup;
    all.push_back(std::move(command));
    return all;
  };
  testing::RunCases({
      {"zunionstore sum", with({"ZUNIONSTORE", "d", "2", "x", "y"}),
       HasKey(0, "d", ZSetValue(ElementsAre(Pair("a", 1), Pair("b", 12), Pair("c", 20))))},
      {"zunionstore weights max",
       with({"ZUNIONSTORE", "d", "2", "x", "y", "WEIGHTS", "10", "1", "AGGREGATE", "MAX"}),
       HasKey(0, "d", ZSetValue(ElementsAre(Pair("a", 10), Pair("b", 20), Pair("c", 20))))},
      {"zunionstore with a set", with({"ZUNIONSTORE", "d", "2", "x", "s"}),
       HasKey(0, "d", ZSetValue(ElementsAre(Pair("c", 1), Pair("a", 2), Pair("b", 2))))},
      {"zinterstore", with({"ZINTERSTORE", "d", "2", "x", "y"}),
       HasKey(0, "d", ZSetValue(ElementsAre(Pair("b", 12))))},
      {"zinterstore min", with({"ZINTERSTORE", "d", "2", "x", "y", "AGGREGATE", "MIN"}),
       HasKey(0, "d", ZSetValue(ElementsAre(Pair("b", 2))))},
      {"zinterstore missing source", with({"ZINTERSTORE", "x", "2", "x", "nope"}),
       Not(HasKey(0, "x"))},
      {"zdiffstore", with({"ZDIFFSTORE", "d", "2", "x", "y"}),
       HasKey(0, "d", ZSetValue(ElementsAre(Pair("a", 1))))},
      {"zunionstore inf times zero is zero",
       {{"ZADD", "x", "inf", "a"}, {"ZUNIONSTORE", "d", "1", "x", "WEIGHTS", "0"}},
       HasKey(0, "d", ZSetValue(ElementsAre(Pair("a", 0))))},
      {"zunionstore inf minus inf is zero",
       {{"ZADD", "x", "inf", "a"}, {"ZADD", "y", "-inf", "a"}, {"ZUNIONSTORE", "d", "2", "x", "y"}},
       HasKey(0, "d", ZSetValue(ElementsAre(Pair("a", 0))))},
  });
}

TEST(ZSets, Errors) {
  const std::vector<testing::Argv> setup = {{"SET", "str", "x"},
                                            {"ZADD", "z", "1", "a", "inf", "i"}};
  testing::RunErrorCases({
      {"zadd on string", setup, {"ZADD", "str", "1", "a"}, "WRONGTYPE"},
      {"zadd bad score", setup, {"ZADD", "z", "one", "a"}, "not a valid float"},
      {"zadd nan", setup, {"ZADD", "z", "nan", "a"}, "not a valid float"},
      {"zadd odd", setup, {"ZADD", "z", "1", "a", "2"}, "syntax error"},
      {"zadd nx xx", setup, {"ZADD", "z", "NX", "XX", "1", "a"}, "not compatible"},
      {"zadd gt lt", setup, {"ZADD", "z", "GT", "LT", "1", "a"}, "not compatible"},
      {"zadd incr two pairs",
       setup,
       {"ZADD", "z", "INCR", "1", "a", "2", "b"},
       "single increment-element pair"},
      {"zincrby to nan", setup, {"ZINCRBY", "z", "-inf", "i"}, "not a number"},
      {"zremrangebyscore bad",
       setup,
       {"ZREMRANGEBYSCORE", "z", "x", "1"},
       "min or max is not a float"},
      {"zremrangebylex bad",
       setup,
       {"ZREMRANGEBYLEX", "z", "a", "+"},
       "not valid string range item"},
      {"zpopmin negative", setup, {"ZPOPMIN", "z", "-1"}, "must be positive"},
      {"zpopmin string", setup, {"ZPOPMIN", "str"}, "WRONGTYPE"},
      {"zmpop bad where", setup, {"ZMPOP", "1", "z", "LEFT"}, "syntax error"},
      {"zunionstore numkeys zero", setup, {"ZUNIONSTORE", "d", "0", "z"}, "at least 1 input key"},
      {"zunionstore numkeys too big", setup, {"ZUNIONSTORE", "d", "3", "z"}, "syntax error"},
      {"zunionstore string source", setup, {"ZUNIONSTORE", "d", "2", "z", "str"}, "WRONGTYPE"},
      {"zunionstore bad weight",
       setup,
       {"ZUNIONSTORE", "d", "1", "z", "WEIGHTS", "x"},
       "weight value is not a float"},
      {"zunionstore bad aggregate",
       setup,
       {"ZUNIONSTORE", "d", "1", "z", "AGGREGATE", "AVG"},
       "syntax error"},
      {"zdiffstore weights", setup, {"ZDIFFSTORE", "d", "1", "z", "WEIGHTS", "1"}, "syntax error"},
      {"zrangestore limit by rank",
       setup,
       {"ZRANGESTORE", "d", "z", "0", "1", "LIMIT", "0", "1"},
       "LIMIT is only supported"},
      {"zrangestore withscores",
       setup,
       {"ZRANGESTORE", "d", "z", "0", "1", "WITHSCORES"},
       "syntax error"},
      {"geoadd bad pair",
       {},
       {"GEOADD", "g", "200", "10", "m"},
       "invalid longitude,latitude pair 200.000000,10.000000"},
      {"geoadd odd", {}, {"GEOADD", "g", "10", "10", "m", "20"}, "syntax error"},
      {"geoadd nx xx", {}, {"GEOADD", "g", "NX", "XX", "10", "10", "m"}, "not compatible"},
  });
}

TEST(ZSets, LexRangesOverMixedScoresAreUnmodelled) {
  int64_t now = testing::kNow;
  Keyspace model = testing::MakeModel(&now);
  ASSERT_THAT(model.Apply({"ZADD", "z", "1", "a", "2", "b"}), IsApplied());
  EXPECT_THAT(model.Apply({"ZREMRANGEBYLEX", "z", "-", "+"}), IsUnmodelled());
  EXPECT_THAT(model.Apply({"ZRANGESTORE", "d", "z", "-", "+", "BYLEX"}), IsUnmodelled());
  EXPECT_THAT(model, AllOf(HasKey(0, "z"), Not(HasKey(0, "d"))));
}

TEST(Geo, ScoresAreRedisGeohashes) {
  int64_t now = testing::kNow;
  Keyspace model = testing::MakeModel(&now);
  // Redis' GEOADD documentation example: ZSCORE Sicily Palermo is 3479099956230698.
  ASSERT_THAT(model.Apply({"GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269",
                           "37.502669", "Catania"}),
              IsApplied());
  EXPECT_THAT(model, HasKey(0, "Sicily",
                            ZSetValue(ElementsAre(Pair("Palermo", 3479099956230698.0),
                                                  Pair("Catania", 3479447370796909.0)))));
  ASSERT_THAT(model.Apply({"GEOADD", "Sicily", "XX", "0", "0", "Nowhere"}), IsApplied());
  EXPECT_THAT(*model.Find(0, "Sicily"), ZSetValue(::testing::SizeIs(2)));
}

}  // namespace
}  // namespace conformance::keyspace
