// Fuzzes the streaming RDB reader (harness/rdb/reader.h) with the payload fed in chunks to a
// handler that accepts every record.
//   flag 0: the handler takes packed values (OnPackedKey), which must be canonical
//   flag 1: the payload's last 8 bytes become its valid CRC64, so the end is reachable
//   flag 2: tiny limits, so that every limit is crossed
// Values must pack and unpack unchanged; an error must stay sticky.
#include <cstddef>
#include <cstdint>
#include <string>

#include "harness/rdb/reader.h"
#include "tests/fuzz/fuzz_input.h"
#include "tests/fuzz/rdb_checks.h"

namespace conformance::fuzz {
namespace {

class AcceptAll : public rdb::Handler {
 public:
  explicit AcceptAll(bool takes_packed) : takes_packed_(takes_packed) {}

  // rdb::Handler
  Status OnKey(std::string key, data::Entry entry, const rdb::KeyMeta& meta) override {
    (void)key;
    (void)meta;
    CheckPacks(entry.value);
    return OkStatus();
  }
  bool TakesPacked() const override { return takes_packed_; }
  Status OnPackedKey(std::string key, data::ValueType type, std::string_view packed,
                     int64_t expire_at_ms, const rdb::KeyMeta& meta) override {
    (void)key;
    (void)expire_at_ms;
    (void)meta;
    CheckPacked(type, packed);
    return OkStatus();
  }

 private:
  bool takes_packed_;
};

}  // namespace
}  // namespace conformance::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace conformance;
  const fuzz::FuzzInput input(data, size);
  const std::string crc_fixed = input.flag(1) ? fuzz::WithValidCrc(input.payload()) : "";
  fuzz::AcceptAll handler(input.flag(0));
  rdb::Reader reader(&handler, input.flag(2) ? fuzz::kTinyRdbLimits : rdb::ReaderLimits{});
  bool failed = false;
  const auto feed = [&](std::string_view chunk) {
    const Status status = reader.Feed(chunk);
    FUZZ_CHECK(!failed || !status.ok());  // errors are sticky
    failed = !status.ok();
  };
  if (input.flag(1)) {
    // The same split points over the fixed-up payload.
    size_t at = 0;
    input.ForEachChunk([&](std::string_view chunk) {
      feed(std::string_view(crc_fixed).substr(at, chunk.size()));
      at += chunk.size();
    });
  } else {
    input.ForEachChunk(feed);
  }
  const Status finished = reader.Finish();
  FUZZ_CHECK(!failed || !finished.ok());
  FUZZ_CHECK(!finished.ok() || reader.done());
  return 0;
}
