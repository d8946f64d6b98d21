// Named limits of the RDB reader. Lengths in the input never size an allocation before the
// bytes they announce have arrived, and these limits bound what a hostile input can make the
// reader buffer or build. (RDB values do not nest, so there is no depth limit.)
#pragma once

#include <cstdint>

namespace conformance::rdb {

// Redis's default proto-max-bulk-len: no real string (or listpack blob) is longer.
inline constexpr uint64_t kDefaultMaxStringLength = uint64_t{512} << 20;
// Elements one value may declare or contain (list items, set members, stream entries, PEL
// entries, listpack elements...). Counts are never used to preallocate.
inline constexpr uint64_t kDefaultMaxElements = uint64_t{1} << 32;
// Bytes the reader may need to hold at once for one indivisible unit (a string with its
// header, a listpack blob, an opcode with its operands).
inline constexpr uint64_t kDefaultMaxRecordSize = kDefaultMaxStringLength + (uint64_t{64} << 10);
// Raw bytes kept for one module value or module aux payload (content is not interpreted).
inline constexpr uint64_t kDefaultMaxModuleValueSize = uint64_t{64} << 20;

struct ReaderLimits {
  uint64_t max_string_length = kDefaultMaxStringLength;
  uint64_t max_elements = kDefaultMaxElements;
  uint64_t max_record_size = kDefaultMaxRecordSize;
  uint64_t max_module_value_size = kDefaultMaxModuleValueSize;
};

}  // namespace conformance::rdb
