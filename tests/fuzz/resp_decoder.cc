// Fuzzes the RESP decoder (harness/resp/decoder.h) with the payload fed in chunks.
//   flag 0: commands mode (what a server reads), else replies mode (what a client reads)
//   flag 1: a second decoder reads the same bytes with NextArgv and must agree with Next
//   flag 2: tiny limits, so that every limit is crossed
// Every value must re-encode to bytes that decode back to an equal value of that wire size,
// consumption must account for every byte, and a sticky error must stay sticky.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "harness/common/escape.h"
#include "harness/resp/decoder.h"
#include "harness/resp/encoder.h"
#include "harness/resp/value.h"
#include "tests/fuzz/fuzz_input.h"

namespace conformance::resp {
namespace {

constexpr DecoderLimits kTinyLimits{
    .max_depth = 4, .max_elements = 8, .max_bulk_length = 64, .max_inline_length = 64};

// Re-encodes a decoded value and decodes it again (no line limit: quoting can lengthen an
// inline command beyond the original's).
void CheckReencodes(const Value& value, DecoderMode mode) {
  const std::string bytes = Encode(value);
  Decoder again(mode, DecoderLimits{.max_inline_length = std::numeric_limits<size_t>::max() / 2});
  again.Feed(bytes);
  Value back;
  const auto detail = [&] {
    return "value " + value.ToString() + " encodes as \"" + EscapeBytes(bytes) + "\"" +
           (again.failed() ? ", which fails: " + again.error().message : "");
  };
  FUZZ_CHECK_MSG(again.Next(&back) == DecodeStatus::kValue, detail());
  FUZZ_CHECK_MSG(back == value, detail() + ", read back as " + back.ToString());
  FUZZ_CHECK_MSG(again.last_size() == bytes.size(), detail());
  FUZZ_CHECK_MSG(again.Next(&back) == DecodeStatus::kNeedMore, detail());
}

void CheckValue(const Value& value, DecoderMode mode) {
  if (mode == DecoderMode::kCommands) {
    FUZZ_CHECK(value.type == Type::kArray || value.type == Type::kInline);
  }
  (void)value.ToString();
  CheckReencodes(value, mode);
}

class Run {
 public:
  Run(DecoderMode mode, DecoderLimits limits, bool with_argv)
      : mode_(mode), values_(mode, limits) {
    if (with_argv) argv_.emplace(mode, limits);
  }

  void Feed(std::string_view chunk) {
    fed_ += chunk.size();
    values_.Feed(chunk);
    if (argv_) argv_->Feed(chunk);
    for (;;) {
      Value value;
      const DecodeStatus status = values_.Next(&value);
      if (status == DecodeStatus::kValue) {
        CheckValue(value, mode_);
        sizes_ += values_.last_size();
        FUZZ_CHECK(values_.last_size() > 0);
      }
      if (argv_ && !argv_->failed()) CompareArgv(status, value);
      if (status != DecodeStatus::kValue) break;
    }
    FUZZ_CHECK(sizes_ == values_.consumed());
    FUZZ_CHECK(values_.consumed() + values_.buffered() == fed_);
    if (values_.failed()) {
      Value value;
      FUZZ_CHECK(values_.Next(&value) == DecodeStatus::kError);
    }
  }

  // The bytes not consumed come back whole.
  void Finish(std::string_view payload) {
    const uint64_t consumed = values_.consumed();
    FUZZ_CHECK(values_.TakeBuffered() == payload.substr(consumed));
    FUZZ_CHECK(values_.buffered() == 0);
  }

 private:
  // NextArgv reads what Next reads, as long as the input is a command; in commands mode it
  // fails exactly where Next fails.
  void CompareArgv(DecodeStatus status, const Value& value) {
    const DecodeStatus argv_status = argv_->NextArgv(&argv_words_);
    if (mode_ == DecoderMode::kCommands) {
      FUZZ_CHECK(argv_status == status);
      if (status == DecodeStatus::kError) {
        FUZZ_CHECK(argv_->error().code == values_.error().code);
        FUZZ_CHECK(argv_->error().offset == values_.error().offset);
      }
    }
    if (argv_status == DecodeStatus::kValue) {
      FUZZ_CHECK(status == DecodeStatus::kValue);
      FUZZ_CHECK(value.AsArgv() == argv_words_);
      FUZZ_CHECK(argv_->last_size() == values_.last_size());
    } else if (argv_status == DecodeStatus::kNeedMore) {
      FUZZ_CHECK(status == DecodeStatus::kNeedMore);
    }
  }

  DecoderMode mode_;
  Decoder values_;
  std::optional<Decoder> argv_;
  std::vector<std::string> argv_words_;
  uint64_t fed_ = 0;
  uint64_t sizes_ = 0;
};

}  // namespace
}  // namespace conformance::resp

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace conformance::resp;
  const conformance::fuzz::FuzzInput input(data, size);
  Run run(input.flag(0) ? DecoderMode::kCommands : DecoderMode::kReplies,
          input.flag(2) ? kTinyLimits : DecoderLimits{}, input.flag(1));
  input.ForEachChunk([&](std::string_view chunk) { run.Feed(chunk); });
  run.Finish(input.payload());
  return 0;
}
