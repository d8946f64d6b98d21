// What the RDB fuzz targets check of a decoded value, and the input tweaks they share.
#pragma once

#include <string>
#include <string_view>

#include "harness/data/packed.h"
#include "harness/data/value.h"
#include "harness/rdb/crc64.h"
#include "harness/rdb/limits.h"
#include "tests/fuzz/fuzz_input.h"

namespace conformance::fuzz {

// Small enough that a fuzz input crosses each of them.
inline constexpr rdb::ReaderLimits kTinyRdbLimits{.max_string_length = 256,
                                                   .max_elements = 64,
                                                   .max_record_size = 1024,
                                                   .max_module_value_size = 1024};

// The payload with its last 8 bytes replaced by the little-endian CRC64 of the bytes before
// them, so that inputs reach what follows a checksum check.
inline std::string WithValidCrc(std::string_view payload) {
  std::string out(payload);
  if (out.size() < 8) return out;
  uint64_t crc = rdb::Crc64(0, std::string_view(out).substr(0, out.size() - 8));
  for (size_t i = out.size() - 8; i < out.size(); ++i, crc >>= 8) {
    out[i] = static_cast<char>(crc & 0xff);
  }
  return out;
}

// A value with a packed form packs to bytes that unpack to it again.
inline void CheckPacks(const data::Value& value) {
  std::string packed;
  if (!data::Pack(value, &packed)) return;
  const data::ValueType type = data::TypeOf(value);
  FUZZ_CHECK(data::Unpack(type, packed) == value);
}

// Packed bytes the reader built are canonical: what Pack makes of the value they stand for.
inline void CheckPacked(data::ValueType type, std::string_view packed) {
  const data::Value value = data::Unpack(type, packed);
  std::string again;
  FUZZ_CHECK(data::Pack(value, &again));
  FUZZ_CHECK(again == packed);
  (void)data::PackedSize(type, packed);
}

}  // namespace conformance::fuzz
