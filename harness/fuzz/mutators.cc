#include "harness/fuzz/mutators.h"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "harness/fuzz/byte_mutations.h"
#include "harness/rdb/crc64.h"
#include "harness/resp/encoder.h"

namespace conformance::fuzz {

namespace {

using Kind = repl::RdbRecord::Kind;

constexpr int kFirstChecksumRdbVersion = 5;
constexpr size_t kChecksumSize = 8;
constexpr size_t kHeaderSize = 9;  // "REDIS0010"

// --- The PSYNC reply ---

void SyncReplid(std::string& line, Rng& rng) {
  static const std::vector<std::string> kIds = {
      "", "x", std::string(39, 'a'), std::string(41, 'a'), std::string(40, 'z'),
      std::string(40, '\xff'), std::string(300, 'a'), "?", "-1"};
  const size_t first = line.find(' ');
  if (first == std::string::npos) return;
  const size_t second = line.find(' ', first + 1);
  const size_t end = second == std::string::npos ? line.find('\r', first) : second;
  line.replace(first + 1, (end == std::string::npos ? line.size() : end) - first - 1,
               Pick(rng, kIds));
}
void SyncContinue(std::string& line, Rng& rng) {
  static const std::vector<std::string> kLines = {
      "+CONTINUE\r\n", "+CONTINUE " + std::string(40, 'b') + "\r\n", "+CONTINUE x\r\n",
      "+FULLRESYNC\r\n", "+FULLRESYNC " + std::string(40, 'c') + "\r\n", "-NOMASTERLINK\r\n",
      "-LOADING\r\n", "-ERR\r\n", "+\r\n", "\r\n"};
  line = Pick(rng, kLines);
}

// --- The preamble ---

void PreambleMark(std::string& preamble, Rng& rng) {
  static const std::vector<std::string> kForms = {
      "$EOF:\r\n", "$EOF:" + std::string(39, 'a') + "\r\n", "$EOF:" + std::string(41, 'a') + "\r\n",
      "$EOF" + std::string(40, 'a') + "\r\n", "$eof:" + std::string(40, 'a') + "\r\n", "$\r\n",
      "$-1\r\n", "$0\r\n"};
  preamble = Pick(rng, kForms);
}

// --- The RDB, by its records ---

// The records of one kind (all when none of it exist).
std::vector<repl::RdbRecord> Records(const Exchange& exchange, Kind kind) {
  std::vector<repl::RdbRecord> out;
  for (const repl::RdbRecord& record : exchange.rdb_records) {
    if (record.kind == kind && record.end <= exchange.rdb.size()) out.push_back(record);
  }
  return out;
}

// Where a key record's type byte is (after an expiry, LRU or LFU opcode).
size_t TypeByteAt(const std::string& rdb, const repl::RdbRecord& key) {
  size_t at = key.begin;
  while (at < key.end) {
    const auto byte = static_cast<unsigned char>(rdb[at]);
    if (byte == 0xFC) {
      at += 9;
    } else if (byte == 0xFD) {
      at += 5;
    } else if (byte == 0xF8) {
      at += 2;
    } else {
      break;
    }
  }
  return std::min(at, key.end == 0 ? 0 : key.end - 1);
}

// Interesting RDB length encodings: 6-bit, 14-bit, 32-bit and 64-bit forms at their limits,
// and the special (integer, LZF) and undefined encodings.
const std::vector<std::string> kRdbLengths = {
    std::string("\x00", 1), "\x3f", std::string("\x40\x00", 2), "\x7f\xff",
    std::string("\x80\xff\xff\xff\xff", 5), std::string("\x80\x7f\xff\xff\xff", 5),
    std::string("\x80\x00\x01\x00\x00", 5), "\x81\xff\xff\xff\xff\xff\xff\xff\xff",
    std::string("\x81\x00\x00\x00\x00\x00\x00\x00\x10", 9), "\xc0", "\xc1", "\xc2", "\xc3", "\xc4",
    "\xff", "\x82"};

void RdbVersion(Exchange& exchange, Rng& rng) {
  if (exchange.rdb.size() < kHeaderSize) return;
  const int version = exchange.options.rdb_version;
  const std::vector<std::string> kVersions = {
      "0000", "0001", "0099", "9999", "abcd", "-001", "  10",
      fmt::format("{:04d}", version + 1), fmt::format("{:04d}", std::max(0, version - 1))};
  exchange.rdb.replace(5, 4, Pick(rng, kVersions));
}
void RdbType(Exchange& exchange, Rng& rng) {
  const auto keys = Records(exchange, Kind::kKey);
  if (keys.empty()) return;
  const size_t at = TypeByteAt(exchange.rdb, Pick(rng, keys));
  // A known type of another shape, an unknown one, or an opcode where a type belongs.
  const unsigned value = rng() % 3 == 0 ? static_cast<unsigned>(rng() % 26)
                         : rng() % 2 == 0 ? 26 + static_cast<unsigned>(rng() % 219)
                                          : 0xF5 + static_cast<unsigned>(rng() % 11);
  exchange.rdb[at] = static_cast<char>(value);
}
void RdbLength(Exchange& exchange, Rng& rng) {
  const auto keys = Records(exchange, Kind::kKey);
  if (keys.empty()) return;
  const repl::RdbRecord key = Pick(rng, keys);
  const size_t type_at = TypeByteAt(exchange.rdb, key);
  // The key name's length follows the type byte; a value's first length follows the name.
  size_t at = type_at + 1;
  if (rng() % 2 == 0 && at < key.end) {
    const auto first = static_cast<unsigned char>(exchange.rdb[at]);
    if ((first >> 6) == 0) at += 1 + first;  // a short name: skip it to the value
  }
  if (at >= exchange.rdb.size()) return;
  const std::string& length = Pick(rng, kRdbLengths);
  const auto first = static_cast<unsigned char>(exchange.rdb[at]);
  // Replace the whole length field where its size is known from its first byte.
  const size_t old_size = (first >> 6) == 0 ? 1 : (first >> 6) == 1 ? 2 : first == 0x80 ? 5
                          : first == 0x81 ? 9 : 1;
  exchange.rdb.replace(at, std::min(old_size, exchange.rdb.size() - at), length);
}
void RdbValueByte(Exchange& exchange, Rng& rng) {
  const auto keys = Records(exchange, Kind::kKey);
  if (keys.empty()) return;
  const repl::RdbRecord key = Pick(rng, keys);
  const size_t type_at = TypeByteAt(exchange.rdb, key);
  if (type_at + 2 >= key.end) return;
  const size_t at = type_at + 2 + Below(rng, key.end - type_at - 2);
  exchange.rdb[at] = rng() % 2 == 0 ? Pick(rng, InterestingBytes()) : static_cast<char>(rng());
}
void RdbOpcode(Exchange& exchange, Rng& rng) {
  static const std::vector<std::string> kRecords = {
      std::string("\xfe\x80\xff\xff\xff\xff", 6),                   // SELECTDB 4294967295
      std::string("\xfe\x3f", 2),                                   // SELECTDB 63
      std::string("\xfb\x81\xff\xff\xff\xff\xff\xff\xff\xff\x00", 11),  // RESIZEDB huge
      std::string("\xfc\xff\xff\xff\xff\xff\xff\xff\xff", 9),         // EXPIRETIME_MS -1
      std::string("\xfd\x00\x00\x00\x00", 5),                       // EXPIRETIME 0
      std::string("\xf8\xff", 2),                                   // FREQ 255
      std::string("\xf9\x81\xff\xff\xff\xff\xff\xff\xff\xff", 10),    // IDLE huge
      std::string("\xf7\x81\xff\xff\xff\xff\xff\xff\xff\xff", 10),    // MODULE_AUX unknown id
      std::string("\xf5\x80\x00\x10\x00\x00", 6),                   // FUNCTION2 1 MiB long
      std::string("\xfa\x00\x00", 3),                               // AUX "" ""
      std::string("\xff", 1),                                       // EOF too early
  };
  std::vector<size_t> boundaries;
  for (const repl::RdbRecord& record : exchange.rdb_records) {
    if (record.begin <= exchange.rdb.size()) boundaries.push_back(record.begin);
  }
  if (boundaries.empty()) return;
  exchange.rdb.insert(Pick(rng, boundaries), Pick(rng, kRecords));
}
void RdbAux(Exchange& exchange, Rng& rng) {
  const auto aux = Records(exchange, Kind::kAux);
  if (aux.empty()) return;
  static const std::vector<std::string> kValues = {
      std::string("\x00", 1), "\x02-1", "\x14" "99999999999999999999", "\x03" "abc", "\xc3",
      std::string("\x80\x7f\xff\xff\xff", 5)};
  // Replace the value: everything after the name (a short name: its length and bytes).
  const repl::RdbRecord record = Pick(rng, aux);
  const size_t name_at = record.begin + 1;
  if (name_at >= record.end) return;
  const auto name_length = static_cast<unsigned char>(exchange.rdb[name_at]);
  const size_t value_at = name_at + 1 + name_length;
  if ((name_length >> 6) != 0 || value_at > record.end) return;
  exchange.rdb.replace(value_at, record.end - value_at, Pick(rng, kValues));
}
void RdbChecksum(Exchange& exchange, Rng& rng) {
  if (exchange.options.rdb_version < kFirstChecksumRdbVersion || exchange.rdb.size() < kChecksumSize) {
    return;
  }
  const size_t at = exchange.rdb.size() - kChecksumSize;
  switch (rng() % 3) {
    case 0: exchange.rdb.replace(at, kChecksumSize, std::string(kChecksumSize, '\0')); break;
    case 1: exchange.rdb[at + Below(rng, kChecksumSize)] ^= 0x01; break;
    default: exchange.rdb.erase(at + Below(rng, kChecksumSize)); break;
  }
}
void RdbDuplicateKey(Exchange& exchange, Rng& rng) {
  const auto keys = Records(exchange, Kind::kKey);
  if (keys.empty()) return;
  const repl::RdbRecord key = Pick(rng, keys);
  exchange.rdb.insert(key.end, exchange.rdb.substr(key.begin, key.end - key.begin));
}
void RdbTruncateRecord(Exchange& exchange, Rng& rng) {
  if (exchange.rdb_records.empty()) return;
  const repl::RdbRecord record = Pick(rng, exchange.rdb_records);
  if (record.begin >= exchange.rdb.size()) return;
  // Earlier mutations may have moved the end: cut no later than the bytes there are.
  const size_t end = std::min(record.end, exchange.rdb.size());
  exchange.rdb.erase(record.begin + Below(rng, end - record.begin + 1));
}

// --- The stream, by its commands ---

size_t CommandBoundary(const Exchange& exchange, Rng& rng) {
  std::vector<size_t> boundaries = exchange.stream_command_starts;
  boundaries.push_back(exchange.stream.size());
  const size_t at = Pick(rng, boundaries);
  return std::min(at, exchange.stream.size());
}
void StreamInline(Exchange& exchange, Rng& rng) {
  static const std::vector<std::string> kLines = {"garbage\r\n", "SET inline 1\r\n", "\r\n\r\n",
                                                  "+OK\r\n", "-ERR x\r\n", ":1\r\n", "PING\n"};
  exchange.stream.insert(CommandBoundary(exchange, rng), Pick(rng, kLines));
}
void StreamCommand(Exchange& exchange, Rng& rng) {
  static const std::vector<std::vector<std::string>> kCommands = {
      {"SELECT", "16"}, {"SELECT", "-1"}, {"SELECT", "99999999999"}, {"SELECT", "x"}, {"SELECT"},
      {"SET"}, {"SET", "k"}, {"NOSUCHCOMMAND", "a"}, {"EXEC"}, {"MULTI"}, {"DISCARD"},
      {"EXPIRE", "str:0", "99999999999999999999"}, {"PEXPIREAT", "str:0", "-9223372036854775808"},
      {"SETRANGE", "str:0", "536870911", "x"}, {"LPUSH", "str:0", "x"}, {"INCRBYFLOAT", "k", "nan"},
      {"REPLCONF", "GETACK"}, {"REPLCONF", "GETACK", "*", "*"}, {"PING", "x", "y"},
      {"FLUSHALL", "ASYNC"}, {"DEL"}, {"RESTORE", "k", "0", "garbage"}};
  std::string bytes;
  resp::AppendCommand(&bytes, Pick(rng, kCommands));
  exchange.stream.insert(CommandBoundary(exchange, rng), bytes);
}
void StreamLength(Exchange& exchange, Rng& rng) {
  static const std::vector<std::string> kFrames = {
      "*2147483647\r\n", "*-5\r\n", "*0\r\n", "*1\r\n$2147483647\r\n", "*1\r\n$-7\r\n",
      "*1\r\n$536870913\r\n", "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nab\r\n", "*1\r\n:5\r\n",
      "*1\r\n*1\r\n$4\r\nPING\r\n", "*99999999999999999999\r\n"};
  exchange.stream.insert(CommandBoundary(exchange, rng), Pick(rng, kFrames));
}
void StreamNesting(Exchange& exchange, Rng& rng) {
  std::string frames;
  const size_t depth = 1 + Below(rng, 10000);
  for (size_t i = 0; i < depth; ++i) frames += "*1\r\n";
  frames += "$4\r\nPING\r\n";
  exchange.stream.insert(CommandBoundary(exchange, rng), frames);
}
void StreamNumber(Exchange& exchange, Rng& rng) {
  // A $ or * length inside one command.
  std::vector<size_t> headers;
  for (size_t i = 0; i < exchange.stream.size(); ++i) {
    if ((exchange.stream[i] == '$' || exchange.stream[i] == '*') &&
        (i == 0 || exchange.stream[i - 1] == '\n')) {
      headers.push_back(i);
    }
  }
  if (headers.empty()) return;
  const size_t at = Pick(rng, headers);
  const size_t end = exchange.stream.find("\r\n", at);
  if (end == std::string::npos) return;
  exchange.stream.replace(at + 1, end - at - 1, Pick(rng, InterestingNumbers()));
}

// --- Handshake replies: a line mutator applied to one step's reply ---

template <void (*LineMutation)(std::string&, Rng&)>
void OnHandshakeReply(Exchange& exchange, Rng& rng) {
  const std::string& step = Pick(rng, FuzzedHandshakeSteps());
  LineMutation(exchange.handshake_replies[step], rng);
}
// A bytes or line mutation applied to one segment of the exchange.
template <std::string Exchange::*kSegment, void (*Mutation)(std::string&, Rng&)>
void On(Exchange& exchange, Rng& rng) {
  Mutation(exchange.*kSegment, rng);
}
template <void (*Mutation)(std::string&, Rng&)>
constexpr auto OnSyncReply = On<&Exchange::sync_reply, Mutation>;
template <void (*Mutation)(std::string&, Rng&)>
constexpr auto OnPreamble = On<&Exchange::preamble, Mutation>;
template <void (*Mutation)(std::string&, Rng&)>
constexpr auto OnRdb = On<&Exchange::rdb, Mutation>;
template <void (*Mutation)(std::string&, Rng&)>
constexpr auto OnTrailer = On<&Exchange::trailer, Mutation>;
template <void (*Mutation)(std::string&, Rng&)>
constexpr auto OnStream = On<&Exchange::stream, Mutation>;

}  // namespace

const std::vector<Mutator>& Mutators() {
  using S = Segment;
  static const std::vector<Mutator> kMutators = {
      {"handshake.type-byte", S::kHandshake, "a reply's RESP type byte", OnHandshakeReply<TypeByte>},
      {"handshake.crlf", S::kHandshake, "a reply's line ending", OnHandshakeReply<Crlf>},
      {"handshake.huge", S::kHandshake, "a reply of 64 KiB or 4 MiB", OnHandshakeReply<Huge>},
      {"handshake.bytes", S::kHandshake, "a byte of a reply", OnHandshakeReply<InterestingByte>},
      {"sync-reply.type-byte", S::kSyncReply, "the reply's RESP type byte", OnSyncReply<TypeByte>},
      {"sync-reply.crlf", S::kSyncReply, "the reply's line ending", OnSyncReply<Crlf>},
      {"sync-reply.number", S::kSyncReply, "the offset: huge, negative, not a number", OnSyncReply<Number>},
      {"sync-reply.token", S::kSyncReply, "a word dropped, repeated or added", OnSyncReply<Token>},
      {"sync-reply.replid", S::kSyncReply, "the replid: short, long, not hex", OnSyncReply<SyncReplid>},
      {"sync-reply.other", S::kSyncReply, "+CONTINUE, an error or an empty line instead", OnSyncReply<SyncContinue>},
      {"sync-reply.huge", S::kSyncReply, "a reply of 64 KiB or 4 MiB", OnSyncReply<Huge>},
      {"preamble.number", S::kPreamble, "the payload length: huge, negative, off", OnPreamble<Number>},
      {"preamble.crlf", S::kPreamble, "the preamble's line ending", OnPreamble<Crlf>},
      {"preamble.type-byte", S::kPreamble, "the preamble's '$'", OnPreamble<TypeByte>},
      {"preamble.mark", S::kPreamble, "the EOF mark's form and length", OnPreamble<PreambleMark>},
      {"rdb.version", S::kRdb, "the header's version digits", RdbVersion},
      {"rdb.type", S::kRdb, "a key's type byte: another type, unknown, an opcode", RdbType},
      {"rdb.length", S::kRdb, "a key's or value's length field at its limits", RdbLength},
      {"rdb.value-byte", S::kRdb, "a byte inside a value (listpack, intset, LZF internals)", RdbValueByte},
      {"rdb.opcode", S::kRdb, "an opcode record inserted between records", RdbOpcode},
      {"rdb.aux", S::kRdb, "an aux field's value", RdbAux},
      {"rdb.checksum", S::kRdb, "the CRC64: zeroed, flipped, cut", RdbChecksum},
      {"rdb.duplicate-key", S::kRdb, "a key record twice", RdbDuplicateKey},
      {"rdb.truncate-record", S::kRdb, "the RDB cut inside a record", RdbTruncateRecord},
      {"rdb.flip-bit", S::kRdb, "one bit anywhere", OnRdb<FlipBit>},
      {"rdb.insert", S::kRdb, "random bytes inserted", OnRdb<InsertRandom>},
      {"rdb.delete", S::kRdb, "bytes deleted", OnRdb<DeleteRange>},
      {"rdb.duplicate", S::kRdb, "bytes repeated", OnRdb<DuplicateRange>},
      {"trailer.flip-bit", S::kTrailer, "one bit of the EOF mark", OnTrailer<FlipBit>},
      {"trailer.truncate", S::kTrailer, "the EOF mark cut short", OnTrailer<Truncate>},
      {"trailer.insert", S::kTrailer, "bytes inserted into the EOF mark", OnTrailer<InsertRandom>},
      {"stream.inline", S::kStream, "inline text between commands", StreamInline},
      {"stream.command", S::kStream, "a command a master never sends, or with bad arguments", StreamCommand},
      {"stream.length", S::kStream, "a frame with a huge, negative or wrong length", StreamLength},
      {"stream.nesting", S::kStream, "arrays nested up to 10000 deep", StreamNesting},
      {"stream.number", S::kStream, "a $ or * length changed", StreamNumber},
      {"stream.truncate", S::kStream, "the stream cut inside a command", OnStream<Truncate>},
      {"stream.bytes", S::kStream, "a byte of the stream", OnStream<InterestingByte>},
  };
  return kMutators;
}

const Mutator* FindMutator(std::string_view name) {
  for (const Mutator& mutator : Mutators()) {
    if (mutator.name == name) return &mutator;
  }
  return nullptr;
}

Result<std::vector<std::string>> SelectByGlobs(const std::vector<std::string>& globs,
                                               const std::vector<std::string_view>& names,
                                               std::string_view direction) {
  std::vector<std::string> selected;
  for (const std::string& glob : globs) {
    bool matched = false;
    for (const std::string_view candidate : names) {
      const std::string name(candidate);
      if (fnmatch(glob.c_str(), name.c_str(), 0) != 0) continue;
      matched = true;
      if (std::find(selected.begin(), selected.end(), name) == selected.end()) selected.push_back(name);
    }
    if (!matched) {
      return Error{fmt::format("no mutator{} matches \"{}\"", direction.empty() ? "" : " of the " + std::string(direction),
                               glob),
                   ErrorKind::kHarness};
    }
  }
  return selected;
}

Result<std::vector<std::string>> SelectMutators(const std::vector<std::string>& globs) {
  std::vector<std::string_view> names;
  for (const Mutator& mutator : Mutators()) names.push_back(mutator.name);
  return SelectByGlobs(globs, names, "");
}

void FixRdbChecksum(Exchange& exchange) {
  if (exchange.options.rdb_version < kFirstChecksumRdbVersion) return;
  std::string& rdb = exchange.rdb;
  if (rdb.size() < kHeaderSize + kChecksumSize) return;
  uint64_t crc = rdb::Crc64(0, std::string_view(rdb).substr(0, rdb.size() - kChecksumSize));
  for (size_t i = 0; i < kChecksumSize; ++i) {
    rdb[rdb.size() - kChecksumSize + i] = static_cast<char>(crc & 0xFF);
    crc >>= 8;
  }
}

bool RdbChecksumMismatch(const Exchange& exchange) {
  if (exchange.options.rdb_version < kFirstChecksumRdbVersion) return false;
  const std::string& rdb = exchange.rdb;
  if (rdb.size() < kHeaderSize + kChecksumSize) return false;
  uint64_t stored = 0;
  for (size_t i = 0; i < kChecksumSize; ++i) {
    stored |= static_cast<uint64_t>(static_cast<unsigned char>(rdb[rdb.size() - kChecksumSize + i]))
              << (8 * i);
  }
  if (stored == 0) return false;  // the writer disabled checksums
  return stored != rdb::Crc64(0, std::string_view(rdb).substr(0, rdb.size() - kChecksumSize));
}

}  // namespace conformance::fuzz
