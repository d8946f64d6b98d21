// How the byte-stream fuzz targets read libFuzzer's input: a header that picks the target's
// options and a feed plan, then the payload the parser under test gets.
//
//   byte 0      bits 0-3: flags, each target says what they select;
//               bits 4-7: n, how many chunk-size bytes follow (0: the payload in one piece)
//   bytes 1..n  chunk sizes: byte b feeds b + 1 bytes; the sizes repeat until the payload ends
//   the rest    the payload
//
// A mutation of the header moves the split points, so a parser's resumption after every split
// is explored along with its input. Seeds in corpus/ start with such a header.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace conformance::fuzz {

class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size)
      : bytes_(reinterpret_cast<const char*>(data), size) {
    if (bytes_.empty()) return;
    header_ = static_cast<uint8_t>(bytes_[0]);
    const size_t sizes = std::min<size_t>(header_ >> 4, bytes_.size() - 1);
    plan_ = bytes_.substr(1, sizes);
    payload_ = bytes_.substr(1 + sizes);
  }

  // Flag `bit` (0..3) of the header.
  bool flag(int bit) const { return (header_ >> bit) & 1; }
  std::string_view payload() const { return payload_; }

  // Calls feed(chunk) for consecutive chunks that cover the payload, sized by the plan.
  template <typename Feed>
  void ForEachChunk(Feed feed) const {
    if (plan_.empty()) {
      feed(payload_);
      return;
    }
    size_t at = 0;
    for (size_t i = 0; at < payload_.size(); i = (i + 1) % plan_.size()) {
      const size_t size = static_cast<uint8_t>(plan_[i]) + size_t{1};
      feed(payload_.substr(at, size));
      at += size;
    }
  }

 private:
  std::string_view bytes_;
  uint8_t header_ = 0;
  std::string_view plan_;
  std::string_view payload_;
};

// A property of the parser that the input broke: reports it and aborts, which libFuzzer
// records as a crash with the input that caused it.
[[noreturn]] inline void PropertyFailed(const char* file, int line, const char* what,
                                       std::string_view detail = {}) {
  std::fprintf(stderr, "%s:%d: fuzz property failed: %s\n", file, line, what);
  if (!detail.empty()) {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(detail.size()), detail.data());
  }
  std::abort();
}

}  // namespace conformance::fuzz

#define FUZZ_CHECK(condition)                                                              \
  do {                                                                                     \
    if (!(condition)) ::conformance::fuzz::PropertyFailed(__FILE__, __LINE__, #condition); \
  } while (0)

// The same, with text (built only on failure) that shows what broke the property.
#define FUZZ_CHECK_MSG(condition, detail)                                                    \
  do {                                                                                       \
    if (!(condition))                                                                        \
      ::conformance::fuzz::PropertyFailed(__FILE__, __LINE__, #condition, (detail));        \
  } while (0)
