#include "harness/rdb/dump.h"

#include <fmt/format.h>

#include "harness/rdb/compact_item.h"
#include "harness/rdb/crc64.h"
#include "harness/rdb/cursor.h"
#include "harness/rdb/opcodes.h"
#include "harness/rdb/value_decoder.h"
#include "harness/rdb/value_encoder.h"
#include "harness/rdb/writer.h"

namespace conformance::rdb {
namespace {

constexpr size_t kFooterSize = 10;  // u16 version + u64 CRC64

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
  const Flavor flavor = version >= kValkeyVersion ? Flavor::kValkey : Flavor::kRedis;
  Cursor c(payload.substr(0, body_end), 0, &limits);
  const uint8_t type = p[0];
  c.Rewind(1);
  if (!ValueDecoder::IsValueType(type, flavor, version)) {
    return Error{fmt::format("RDB offset 0: unknown value type {} in DUMP payload", type),
                 ErrorKind::kProtocol};
  }
  ValueDecoder decoder(&limits);
  decoder.Start(type, flavor, version, {}, /*dump=*/true);
  const ValueDecoder::Step step = decoder.Run(c);
  if (step == ValueDecoder::Step::kError) return c.error();
  if (step == ValueDecoder::Step::kNeedMore) {
    return Error{fmt::format("RDB offset {}: truncated DUMP payload: the value needs {} bytes, "
                             "the body has {}",
                             c.offset(), c.needed_end(), body_end),
                 ErrorKind::kProtocol};
  }
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
  return data::Entry{decoder.TakeValue(), data::Entry::kNoExpiry};
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
  AppendLE(&out, static_cast<uint64_t>(rdb_version), 2);
  AppendLE(&out, Crc64(0, out), 8);
  return out;
}

}  // namespace conformance::rdb
