// Helpers for the decoder tests: feed a wire in chunks and collect what comes out.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/resp/decoder.h"
#include "harness/resp/value.h"

namespace conformance::resp::test {

// Everything a decoder produced for one wire.
struct Decoded {
  std::vector<Value> values;
  std::vector<std::vector<std::string>> argvs;  // when decoded with NextArgv
  std::vector<uint64_t> sizes;                  // last_size() after each value
  DecodeStatus last = DecodeStatus::kNeedMore;  // status that ended the final drain
  std::optional<DecodeError> error;
  uint64_t consumed = 0;
  size_t buffered = 0;
};

// Feeds `chunks` one by one, draining values after each; stops at the first error.
inline Decoded DecodeChunks(const std::vector<std::string_view>& chunks, DecoderMode mode,
                            DecoderLimits limits = {}, bool argv = false) {
  Decoder decoder(mode, limits);
  Decoded out;
  for (std::string_view chunk : chunks) {
    decoder.Feed(chunk);
    for (;;) {
      Value value;
      std::vector<std::string> words;
      out.last = argv ? decoder.NextArgv(&words) : decoder.Next(&value);
      if (out.last != DecodeStatus::kValue) break;
      if (argv) {
        out.argvs.push_back(std::move(words));
      } else {
        out.values.push_back(std::move(value));
      }
      out.sizes.push_back(decoder.last_size());
    }
    if (out.last == DecodeStatus::kError) {
      out.error = decoder.error();
      break;
    }
  }
  out.consumed = decoder.consumed();
  out.buffered = decoder.buffered();
  return out;
}

inline Decoded DecodeWhole(std::string_view wire, DecoderMode mode, DecoderLimits limits = {},
                           bool argv = false) {
  return DecodeChunks({wire}, mode, limits, argv);
}

// One chunk per byte.
inline std::vector<std::string_view> ByteByByte(std::string_view wire) {
  std::vector<std::string_view> chunks;
  for (size_t i = 0; i < wire.size(); ++i) chunks.push_back(wire.substr(i, 1));
  return chunks;
}

// Two chunks, split before byte `at`.
inline std::vector<std::string_view> SplitAt(std::string_view wire, size_t at) {
  return {wire.substr(0, at), wire.substr(at)};
}

}  // namespace conformance::resp::test
