// LZF as RDB strings use it (the C3 encoding): a thin, bounds-checked wrapper around liblzf.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "harness/common/result.h"

namespace conformance::rdb {

// Decompresses `compressed` into exactly `expected_len` bytes; an error names what went wrong
// (corrupt input, or output longer/shorter than expected_len).
Result<std::string> LzfDecompress(std::string_view compressed, size_t expected_len);

// Compresses `raw` the way Redis does: only if the result saves at least 4 bytes, else nullopt.
std::optional<std::string> LzfCompress(std::string_view raw);

}  // namespace conformance::rdb
