// Fuzzes the scenario file loader (harness/scenario/loader.h) with the input as a file's text.
// Whatever the text, the loader returns scenarios or an error that names the file; it never
// throws or crashes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "harness/scenario/loader.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace conformance::scenario;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto loaded = LoadScenarioText("fuzz.yaml", text);
  if (!loaded.ok()) {
    FUZZ_CHECK(loaded.message().starts_with("fuzz.yaml"));
    return 0;
  }
  for (const Scenario& scenario : *loaded) {
    FUZZ_CHECK(!scenario.id.empty());
    FUZZ_CHECK(!scenario.steps.empty());
  }
  return 0;
}
