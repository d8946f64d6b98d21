#include "harness/rdb/writer.h"

#include <fmt/format.h>

#include "harness/rdb/compact_item.h"
#include "harness/rdb/crc64.h"
#include "harness/rdb/opcodes.h"
#include "harness/rdb/value_encoder.h"

namespace conformance::rdb {
namespace {

void PutOpcode(std::string* out, Opcode op) { out->push_back(static_cast<char>(op)); }

}  // namespace

const char* ToString(Encoding encoding) {
  switch (encoding) {
    case Encoding::kCompact: return "compact";
    case Encoding::kPlain: return "plain";
  }
  return "unknown";
}

Writer::Writer(WriterOptions options) : options_(options) {}

void Writer::WriteHeader() {
  if (options_.version >= kValkeyVersion) {
    bytes_ += fmt::format("VALKEY{:03d}", options_.version);
  } else {
    bytes_ += fmt::format("REDIS{:04d}", options_.version);
  }
}

void Writer::WriteAux(std::string_view key, std::string_view value) {
  PutOpcode(&bytes_, Opcode::kAux);
  AppendString(&bytes_, key, false);
  AppendString(&bytes_, value, false);
}

void Writer::WriteAux(std::string_view key, int64_t value) { WriteAux(key, Int64ToString(value)); }

void Writer::WriteSelectDb(uint64_t db) {
  PutOpcode(&bytes_, Opcode::kSelectDb);
  AppendLength(&bytes_, db);
}

void Writer::WriteResizeDb(uint64_t size, uint64_t expires) {
  PutOpcode(&bytes_, Opcode::kResizeDb);
  AppendLength(&bytes_, size);
  AppendLength(&bytes_, expires);
}

void Writer::WriteIdle(uint64_t seconds) {
  PutOpcode(&bytes_, Opcode::kIdle);
  AppendLength(&bytes_, seconds);
}

void Writer::WriteFreq(uint8_t freq) {
  PutOpcode(&bytes_, Opcode::kFreq);
  bytes_.push_back(static_cast<char>(freq));
}

Status Writer::WriteKey(std::string_view key, const data::Entry& entry) {
  uint8_t type = 0;
  std::string body;
  CONFORMANCE_RETURN_IF_ERROR(EncodeValue(entry.value, options_, &type, &body));
  if (entry.expire_at_ms != data::Entry::kNoExpiry) {
    if (options_.version >= 3) {
      PutOpcode(&bytes_, Opcode::kExpireTimeMs);
      AppendLE(&bytes_, static_cast<uint64_t>(entry.expire_at_ms), 8);
    } else {
      const int64_t seconds = entry.expire_at_ms / 1000;
      if (seconds < INT32_MIN || seconds > INT32_MAX) {
        return Error{fmt::format("expiry {} ms does not fit RDB {}'s 32-bit seconds",
                                 entry.expire_at_ms, options_.version)};
      }
      PutOpcode(&bytes_, Opcode::kExpireTime);
      AppendLE(&bytes_, static_cast<uint64_t>(seconds), 4);
    }
  }
  bytes_.push_back(static_cast<char>(type));
  AppendString(&bytes_, key, options_.compress_strings);
  bytes_.append(body);
  return OkStatus();
}

void Writer::WriteFunction(std::string_view code) {
  PutOpcode(&bytes_, Opcode::kFunction2);
  AppendString(&bytes_, code, options_.compress_strings);
}

void Writer::WriteModuleAux(uint64_t module_id, std::string_view raw) {
  PutOpcode(&bytes_, Opcode::kModuleAux);
  AppendLength(&bytes_, module_id);
  bytes_.append(raw);
  AppendLength(&bytes_, static_cast<uint64_t>(ModuleOpcode::kEof));
}

void Writer::WriteEnd() {
  PutOpcode(&bytes_, Opcode::kEof);
  if (options_.version < 5) return;
  const uint64_t crc = options_.write_checksum ? Crc64(0, bytes_) : 0;
  AppendLE(&bytes_, crc, 8);
}

}  // namespace conformance::rdb
