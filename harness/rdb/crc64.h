// CRC-64 as Redis computes it over RDB files and DUMP payloads: the Jones polynomial
// (0xad93d23594c935a9), reflected input and output, initial value 0, no final xor.
// crc64 of "123456789" is 0xe9c6d914c4b8d9ca.
#pragma once

#include <cstdint>
#include <string_view>

namespace conformance::rdb {

// Continues a CRC-64 over more bytes; start with crc = 0.
uint64_t Crc64(uint64_t crc, std::string_view bytes);

}  // namespace conformance::rdb
