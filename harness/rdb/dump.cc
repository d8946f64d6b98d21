#include "harness/rdb/dump.h"

#include <fmt/format.h>

#include <limits>
#include <utility>

#include "harness/rdb/compact_item.h"
#include "harness/rdb/crc64.h"
#include "harness/rdb/cursor.h"
#include "harness/rdb/opcodes.h"
#include "harness/rdb/read_back.h"
#include "harness/rdb/value_decoder.h"
#include "harness/rdb/value_encoder.h"
#include "harness/rdb/writer.h"

namespace conformance::rdb {
namespace {

constexpr size_t kFooterSize = 10;  // u16 version + u64 CRC64

// Decodes the value at the start of `body` (a payload without its footer) and says where it
// ends.
Result<std::pair<data::Value, size_t>> DecodeValue(std::string_view body, int version,
                                                   const ReaderLimits& limits) {
  const auto type = static_cast<uint8_t>(body[0]);
  const Flavor flavor = version >= kValkeyVersion ? Flavor::kValkey : Flavor::kRedis;
  if (!ValueDecoder::IsValueType(type, flavor, version)) {
    return Error{fmt::format("RDB offset 0: unknown value type {} in DUMP payload", type),
                 ErrorKind::kProtocol};
  }
  Cursor c(body, 0, &limits);
  c.Rewind(1);
  ValueDecoder decoder(&limits);
  decoder.Start(type, flavor, version, {}, /*dump=*/true);
  const ValueDecoder::Step step = decoder.Run(c);
  if (step == ValueDecoder::Step::kError) return c.error();
  if (step == ValueDecoder::Step::kNeedMore) {
    return Error{fmt::format("RDB offset {}: truncated DUMP payload: the value needs {} bytes, "
                             "the body has {}",
                             c.offset(), c.needed_end(), body.size()),
                 ErrorKind::kProtocol};
  }
  return std::make_pair(decoder.TakeValue(), c.pos());
}

// DUMP promises an error where the version cannot carry the value: the encoding must read
// back, whole and equal. No limits here: the encoder, not a hostile input, made the bytes.
Status CheckReadsBack(const data::Value& value, std::string_view body, int version) {
  constexpr uint64_t kNoLimit = std::numeric_limits<uint64_t>::max();
  const ReaderLimits limits{kNoLimit, kNoLimit, kNoLimit, kNoLimit};
  auto back = DecodeValue(body, version, limits);
  if (!back.ok()) {
    return Error{fmt::format("RDB {} cannot carry this {} value: its encoding does not read "
                             "back ({})",
                             version, data::TypeName(data::TypeOf(value)), back.message())};
  }
  if (back->second != body.size()) {
    return Error{fmt::format("RDB {} cannot carry this {} value: its encoding reads back "
                             "{} of {} bytes",
                             version, data::TypeName(data::TypeOf(value)), back->second,
                             body.size())};
  }
  if (!(back->first == value)) {
    return Error{fmt::format("RDB {} cannot carry this {} value: {}", version,
                             data::TypeName(data::TypeOf(value)),
                             DescribeReadBackLoss(value, back->first))};
  }
  return OkStatus();
}

}  // namespace

Result<data::Entry> DecodeDumpPayload(std::string_view payload, ReaderLimits limits) {
  if (payload.size() < kFooterSize + 1) {
    return Error{fmt::format("DUMP payload of {} bytes is shorter than type byte + 10-byte footer",
                             payload.size()),
                 ErrorKind::kProtocol};
  }
  const auto* p = reinterpret_cast<const unsigned char*>(payload.data());
  const size_t body_end = payload.size() - kFooterSize;
  const int version = static_cast<int>(LoadLE(p + body_end, 2));
  const uint64_t stored_crc = LoadLE(p + body_end + 2, 8);
  const uint64_t crc = Crc64(0, payload.substr(0, payload.size() - 8));
  if (stored_crc != crc) {
    return Error{fmt::format("DUMP payload CRC64 mismatch: payload says 0x{:016x}, computed "
                             "0x{:016x}",
                             stored_crc, crc),
                 ErrorKind::kProtocol};
  }
  if (!((version >= 1 && version <= kMaxRedisVersion) || version == kValkeyVersion)) {
    return Error{fmt::format("DUMP payload has unsupported RDB version {} (supported: 1..{} and "
                             "Valkey {})",
                             version, kMaxRedisVersion, kValkeyVersion),
                 ErrorKind::kProtocol};
  }
  auto decoded = DecodeValue(payload.substr(0, body_end), version, limits);
  if (!decoded.ok()) return decoded.error();
  Cursor c(payload.substr(0, body_end), 0, &limits);
  c.Rewind(decoded->second);
  // KeyDB appends aux fields after the value (mvcc-tstamp): opcode, name, value.
  while (c.pos() < body_end && p[c.pos()] == static_cast<uint8_t>(Opcode::kAux)) {
    uint8_t opcode = 0;
    std::string name;
    std::string value;
    if (!c.Byte(&opcode) || !c.String(&name, "DUMP aux field name") ||
        !c.String(&value, "DUMP aux field value")) {
      if (c.has_error()) return c.error();
      return Error{fmt::format("RDB offset {}: truncated aux field after the value in the DUMP "
                               "payload",
                               c.offset()),
                   ErrorKind::kProtocol};
    }
  }
  if (c.pos() != body_end) {
    return Error{fmt::format("RDB offset {}: {} unexpected bytes after the value in the DUMP "
                             "payload",
                             c.pos(), body_end - c.pos()),
                 ErrorKind::kProtocol};
  }
  return data::Entry{std::move(decoded->first), data::Entry::kNoExpiry};
}

Result<std::string> EncodeDumpPayload(const data::Value& value, int rdb_version) {
  WriterOptions options;
  options.version = rdb_version;
  uint8_t type = 0;
  std::string body;
  CONFORMANCE_RETURN_IF_ERROR(EncodeValue(value, options, &type, &body));
  std::string out;
  out.reserve(1 + body.size() + kFooterSize);
  out.push_back(static_cast<char>(type));
  out.append(body);
  CONFORMANCE_RETURN_IF_ERROR(CheckReadsBack(value, out, rdb_version));
  AppendLE(&out, static_cast<uint64_t>(rdb_version), 2);
  AppendLE(&out, Crc64(0, out), 8);
  return out;
}

}  // namespace conformance::rdb
