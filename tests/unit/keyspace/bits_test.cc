// SETBIT, BITFIELD, BITOP.
#include "tests/unit/keyspace/test_util.h"

namespace conformance::keyspace {
namespace {

using ::testing::Not;

std::string Bytes(std::initializer_list<unsigned char> bytes) {
  return std::string(bytes.begin(), bytes.end());
}

TEST(Bits, Table) {
  testing::RunCases({
      {"setbit grows msb first",
       {{"SETBIT", "b", "1", "1"}, {"SETBIT", "b", "15", "1"}},
       HasKey(0, "b", StringValue(Bytes({0x40, 0x01})))},
      {"setbit clears",
       {{"SET", "b", "\xff"}, {"SETBIT", "b", "0", "0"}},
       HasKey(0, "b", StringValue(Bytes({0x7f})))},
      {"bitfield set u8",
       {{"BITFIELD", "b", "SET", "u8", "8", "255"}},
       HasKey(0, "b", StringValue(Bytes({0, 0xff})))},
      {"bitfield hash offset",
       {{"BITFIELD", "b", "SET", "u4", "#1", "15"}},
       HasKey(0, "b", StringValue(Bytes({0x0f})))},
      {"bitfield incrby wraps",
       {{"BITFIELD", "b", "SET", "u8", "0", "250", "INCRBY", "u8", "0", "10"}},
       HasKey(0, "b", StringValue(Bytes({4})))},
      {"bitfield incrby saturates",
       {{"BITFIELD", "b", "SET", "i8", "0", "120", "OVERFLOW", "SAT", "INCRBY", "i8", "0", "100"}},
       HasKey(0, "b", StringValue(Bytes({0x7f})))},
      {"bitfield overflow fail leaves the value",
       {{"BITFIELD", "b", "SET", "u8", "0", "250"},
        {"BITFIELD", "b", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "10"}},
       HasKey(0, "b", StringValue(Bytes({250})))},
      {"bitfield signed wrap",
       {{"BITFIELD", "b", "SET", "i8", "0", "127", "INCRBY", "i8", "0", "1"}},
       HasKey(0, "b", StringValue(Bytes({0x80})))},
      {"bitfield set out of range value wraps",
       {{"BITFIELD", "b", "SET", "i8", "0", "200"}},
       HasKey(0, "b", StringValue(Bytes({200})))},
      {"bitfield unaligned",
       {{"BITFIELD", "b", "SET", "u4", "6", "15"}},
       HasKey(0, "b", StringValue(Bytes({0x03, 0xc0})))},
      {"bitfield i64",
       {{"BITFIELD", "b", "SET", "i64", "0", "-1"}},
       HasKey(0, "b", StringValue(std::string(8, '\xff')))},
      {"bitfield get only creates nothing",
       {{"BITFIELD", "b", "GET", "u8", "0"}},
       Not(HasKey(0, "b"))},
      {"bitfield fail still grows",
       {{"BITFIELD", "b", "OVERFLOW", "FAIL", "INCRBY", "u2", "8", "9"}},
       HasKey(0, "b", StringValue(Bytes({0, 0})))},
      {"bitop and",
       {{"SET", "a", "\xf0\xff"}, {"SET", "b", "\x3c"}, {"BITOP", "AND", "d", "a", "b"}},
       HasKey(0, "d", StringValue(Bytes({0x30, 0x00})))},
      {"bitop or with missing",
       {{"SET", "a", "\x01"}, {"BITOP", "OR", "d", "a", "nope"}},
       HasKey(0, "d", StringValue(Bytes({1})))},
      {"bitop xor",
       {{"SET", "a", "\x0f"}, {"SET", "b", "\xff"}, {"BITOP", "XOR", "d", "a", "b"}},
       HasKey(0, "d", StringValue(Bytes({0xf0})))},
      {"bitop not",
       {{"SET", "a", "\x0f"}, {"BITOP", "NOT", "d", "a"}},
       HasKey(0, "d", StringValue(Bytes({0xf0})))},
      {"bitop diff",
       {{"SET", "x", "\xff"},
        {"SET", "y", "\x0f"},
        {"SET", "z", "\x30"},
        {"BITOP", "DIFF", "d", "x", "y", "z"}},
       HasKey(0, "d", StringValue(Bytes({0xc0})))},
      {"bitop diff1",
       {{"SET", "x", "\x0f"}, {"SET", "y", "\xff"}, {"BITOP", "DIFF1", "d", "x", "y"}},
       HasKey(0, "d", StringValue(Bytes({0xf0})))},
      {"bitop andor",
       {{"SET", "x", "\x0f"},
        {"SET", "y", "\x03"},
        {"SET", "z", "\x30"},
        {"BITOP", "ANDOR", "d", "x", "y", "z"}},
       HasKey(0, "d", StringValue(Bytes({0x03})))},
      {"bitop one",
       {{"SET", "x", "\x07"},
        {"SET", "y", "\x0e"},
        {"SET", "z", "\x08"},
        {"BITOP", "ONE", "d", "x", "y", "z"}},
       HasKey(0, "d", StringValue(Bytes({0x01})))},
      {"bitop empty result deletes",
       {{"SET", "d", "x"}, {"BITOP", "AND", "d", "nope", "nada"}},
       Not(HasKey(0, "d"))},
  });
}

TEST(Bits, Errors) {
  const std::vector<testing::Argv> setup = {{"RPUSH", "l", "a"}, {"SET", "s", "x"}};
  testing::RunErrorCases({
      {"setbit bad offset", setup, {"SETBIT", "s", "-1", "1"}, "bit offset is not an integer"},
      {"setbit huge offset",
       setup,
       {"SETBIT", "s", "4294967296", "1"},
       "bit offset is not an integer"},
      {"setbit bad value", setup, {"SETBIT", "s", "0", "2"}, "bit is not an integer"},
      {"setbit on list", setup, {"SETBIT", "l", "0", "1"}, "WRONGTYPE"},
      {"bitfield bad type",
       setup,
       {"BITFIELD", "s", "SET", "u64", "0", "1"},
       "Invalid bitfield type"},
      {"bitfield bad overflow",
       setup,
       {"BITFIELD", "s", "OVERFLOW", "MAYBE"},
       "Invalid OVERFLOW type"},
      {"bitfield bad subcommand", setup, {"BITFIELD", "s", "PUT", "u8", "0", "1"}, "syntax error"},
      {"bitfield bad value", setup, {"BITFIELD", "s", "SET", "u8", "0", "x"}, "not an integer"},
      {"bitfield on list", setup, {"BITFIELD", "l", "GET", "u8", "0"}, "WRONGTYPE"},
      {"bitop not two keys", setup, {"BITOP", "NOT", "d", "s", "s"}, "single source key"},
      {"bitop diff one key", setup, {"BITOP", "DIFF", "d", "s"}, "at least two source keys"},
      {"bitop unknown", setup, {"BITOP", "NAND", "d", "s"}, "syntax error"},
      {"bitop list source", setup, {"BITOP", "OR", "d", "s", "l"}, "WRONGTYPE"},
  });
}

}  // namespace
}  // namespace conformance::keyspace
