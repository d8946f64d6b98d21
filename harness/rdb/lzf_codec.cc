#include "harness/rdb/lzf_codec.h"

#include <fmt/format.h>
#include <lzf.h>

#include <limits>

namespace conformance::rdb {

Result<std::string> LzfDecompress(std::string_view compressed, size_t expected_len) {
  constexpr size_t kMax = std::numeric_limits<unsigned int>::max();
  if (compressed.size() > kMax || expected_len > kMax) {
    return Error{fmt::format("LZF lengths too large (compressed {}, uncompressed {})",
                             compressed.size(), expected_len)};
  }
  if (expected_len == 0 || compressed.empty()) {
    return Error{fmt::format("LZF with zero length (compressed {}, uncompressed {})",
                             compressed.size(), expected_len)};
  }
  std::string out(expected_len, '\0');
  // One spare byte lets a stream that decodes longer than announced be told apart from one
  // that fits exactly; liblzf never writes past out_len.
  out.push_back('\0');
  const unsigned int got =
      lzf_decompress(compressed.data(), static_cast<unsigned int>(compressed.size()), out.data(),
                     static_cast<unsigned int>(out.size()));
  if (got == 0) {
    return Error{fmt::format("corrupt LZF data ({} compressed bytes, {} expected uncompressed)",
                             compressed.size(), expected_len)};
  }
  if (got != expected_len) {
    return Error{fmt::format("LZF data decompresses to {}{} bytes, expected {}",
                             got > expected_len ? "more than " : "",
                             got > expected_len ? expected_len : got, expected_len)};
  }
  out.resize(expected_len);
  return out;
}

std::optional<std::string> LzfCompress(std::string_view raw) {
  if (raw.size() <= 4 || raw.size() > std::numeric_limits<unsigned int>::max()) {
    return std::nullopt;
  }
  std::string out(raw.size() - 4, '\0');
  const unsigned int n = lzf_compress(raw.data(), static_cast<unsigned int>(raw.size()), out.data(),
                                      static_cast<unsigned int>(out.size()));
  if (n == 0) return std::nullopt;
  out.resize(n);
  return out;
}

}  // namespace conformance::rdb
