#include "harness/fuzz/exchange.h"

#include <fmt/format.h>

#include <random>

#include "harness/keyspace/keyspace.h"
#include "harness/repl/backlog.h"
#include "harness/resp/encoder.h"

namespace conformance::fuzz {

namespace {

// A fixed ctime keeps the RDB's bytes a function of the options alone.
constexpr int64_t kRdbCtime = 1700000000;
// 2100-01-01: an expiry that never passes during a run.
constexpr const char* kFarExpiryMs = "4102444800000";
// The first RDB version with streams.
constexpr int kFirstStreamRdbVersion = 9;

std::string Word(std::mt19937_64& rng, size_t length) {
  static constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  for (size_t i = 0; i < length; ++i) out.push_back(kAlphabet[rng() % kAlphabet.size()]);
  return out;
}

// The commands that create key `index`: one type after another, so a few keys cover every
// encoding the version has (int and LZF strings, lists, intsets, sets, zsets, hashes, streams).
std::vector<std::vector<std::string>> KeyCommands(int index, int rdb_version, std::mt19937_64& rng) {
  const std::string n = std::to_string(index);
  switch (index % 9) {
    case 0: return {{"SET", "str:" + n, Word(rng, 12)}};
    case 1: return {{"SET", "int:" + n, std::to_string(rng() % 100000)}};
    case 2: return {{"SET", "lzf:" + n, std::string(40, 'a') + Word(rng, 8)},
                    {"PEXPIREAT", "lzf:" + n, kFarExpiryMs}};
    case 3: return {{"RPUSH", "list:" + n, Word(rng, 5), Word(rng, 6), "7", Word(rng, 30)}};
    case 4: return {{"SADD", "intset:" + n, "1", "2", std::to_string(rng() % 1000 + 3)}};
    case 5: return {{"SADD", "set:" + n, Word(rng, 4), Word(rng, 5), Word(rng, 6)}};
    case 6: return {{"ZADD", "zset:" + n, "1.5", Word(rng, 4), "-2", Word(rng, 5)}};
    case 7: return {{"HSET", "hash:" + n, "f1", Word(rng, 6), "f2", "12"}};
    default:
      if (rdb_version < kFirstStreamRdbVersion) return {{"SET", "str:" + n, Word(rng, 3)}};
      return {{"XADD", "stream:" + n, "1-1", "f", Word(rng, 4)},
              {"XADD", "stream:" + n, "2-5", "g", "1"}};
  }
}

}  // namespace

const char* ToString(Segment segment) {
  switch (segment) {
    case Segment::kHandshake: return "handshake";
    case Segment::kSyncReply: return "sync-reply";
    case Segment::kPreamble: return "preamble";
    case Segment::kRdb: return "rdb";
    case Segment::kTrailer: return "trailer";
    case Segment::kStream: return "stream";
  }
  return "?";
}

void Exchange::Frame() {
  if (options.eof_framing) {
    preamble = repl::EofPreamble(eof_mark);
    trailer = eof_mark;
  } else {
    preamble = repl::LengthPreamble(rdb.size());
    trailer.clear();
  }
}

Result<Exchange> BuildExchange(const ExchangeOptions& options) {
  std::mt19937_64 rng(options.seed);
  Exchange exchange;
  exchange.options = options;
  exchange.handshake_replies = {
      {"PING", "+PONG\r\n"}, {"REPLCONF listening-port", "+OK\r\n"}, {"REPLCONF capa", "+OK\r\n"}};
  const std::string replid = repl::RandomReplid(rng);
  exchange.eof_mark = repl::RandomEofMark(rng);
  if (options.psync) exchange.sync_reply = fmt::format("+FULLRESYNC {} 0\r\n", replid);

  keyspace::Keyspace model;
  for (int i = 0; i < options.keys; ++i) {
    for (const auto& argv : KeyCommands(i, options.rdb_version, rng)) {
      const keyspace::ApplyResult applied = model.Apply(argv);
      if (!applied.ok()) return Error{fmt::format("fuzz model: {}: {}", argv[0], applied.message)};
    }
  }
  repl::RdbBuildOptions build;
  build.writer.version = options.rdb_version;
  build.writer.compress_strings = true;
  build.ctime = kRdbCtime;
  build.repl_stream_db = 0;
  build.repl_id = replid;
  build.repl_offset = 0;
  auto rdb = repl::BuildRdb(model, build, &exchange.rdb_records);
  if (!rdb.ok()) return Error{"fuzz model: " + rdb.message()};
  exchange.rdb = std::move(rdb).value();
  exchange.Frame();

  // The stream opens with SELECT, as a master's does after a full sync.
  std::vector<std::vector<std::string>> commands = {{"SELECT", "0"}};
  for (int i = 0; i < options.stream_commands; ++i) {
    const std::string n = std::to_string(i);
    switch (i % 3) {
      case 0: commands.push_back({"SET", "new:" + n, Word(rng, 8)}); break;
      case 1: commands.push_back({"RPUSH", "list:new", Word(rng, 3)}); break;
      default: commands.push_back({"INCRBY", "counter", std::to_string(rng() % 100)}); break;
    }
  }
  for (const auto& argv : commands) {
    exchange.stream_command_starts.push_back(exchange.stream.size());
    resp::AppendCommand(&exchange.stream, argv);
  }
  return exchange;
}

}  // namespace conformance::fuzz
