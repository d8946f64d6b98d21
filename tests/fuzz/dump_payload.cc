// Fuzzes DUMP payload decoding (harness/rdb/dump.h).
//   flag 1: the payload's last 8 bytes become its valid CRC64, so the value is decoded
//   flag 2: tiny limits, so that every limit is crossed
// A decoded value must pack and unpack unchanged, and DUMP at the payload's own version must
// either refuse it or give a payload that decodes to it again.
#include <cstddef>
#include <cstdint>
#include <string>

#include "harness/rdb/dump.h"
#include "tests/fuzz/fuzz_input.h"
#include "tests/fuzz/rdb_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace conformance;
  const fuzz::FuzzInput input(data, size);
  const std::string payload =
      input.flag(1) ? fuzz::WithValidCrc(input.payload()) : std::string(input.payload());
  const auto decoded =
      rdb::DecodeDumpPayload(payload, input.flag(2) ? fuzz::kTinyRdbLimits : rdb::ReaderLimits{});
  if (!decoded.ok()) return 0;
  const data::Value& value = decoded->value;
  fuzz::CheckPacks(value);
  const int version = static_cast<uint8_t>(payload[payload.size() - 10]) |
                      static_cast<uint8_t>(payload[payload.size() - 9]) << 8;
  const auto encoded = rdb::EncodeDumpPayload(value, version);
  if (!encoded.ok()) return 0;
  const auto again = rdb::DecodeDumpPayload(*encoded);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again->value == value);
  return 0;
}
