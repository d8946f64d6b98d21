// Fuzzes the server profile loader (harness/scenario/profile.h) with the input as a file's
// text, and applies what loads to default run options. Whatever the text, the loader returns a
// profile or an error that names the file; it never throws or crashes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "harness/scenario/profile.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace conformance::scenario;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto profile = LoadProfileText("fuzz.yaml", text);
  if (!profile.ok()) {
    FUZZ_CHECK(profile.message().starts_with("fuzz.yaml"));
    return 0;
  }
  FUZZ_CHECK(!profile->name.empty());
  RunOptions options;
  ApplyProfile(*profile, &options);
  return 0;
}
