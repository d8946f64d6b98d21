// Typed access to a step's arguments, after ${} substitution, plus the parsers the schema uses
// to validate them at load time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/common/result.h"
#include "harness/net/fault_plan.h"
#include "harness/resp/value.h"
#include "harness/scenario/scenario.h"

namespace conformance::scenario {

std::optional<int64_t> ParseInt(const std::string& text);
std::optional<double> ParseNumber(const std::string& text);
std::optional<bool> ParseBool(const std::string& text);
// Turns "\r", "\n", "\t", "\\" and "\xNN" escapes into bytes.
std::string Unescape(const std::string& text);

// A pattern a reply must match. Scalar forms: "+PONG" (that simple string), "-NOAUTH" (an
// error starting with that text), ":1" (that integer). Map forms: {simple: X}, {error: PREFIX},
// {integer: N}, {bulk: X}, {null: true}, {any-of: [pattern, ...]} (siblings: alternatives).
struct Expectation {
  enum class Kind : uint8_t { kSimple, kError, kInteger, kBulk, kNull, kAnyOf };
  Kind kind = Kind::kSimple;
  std::string text;
  int64_t integer = 0;
  std::vector<Expectation> alternatives;

  bool Matches(const resp::Value& value) const;
  std::string ToString() const;
};

Status ValidateExpectation(const std::string& file, const YAML::Node& node);
Result<Expectation> ParseExpectation(const std::string& file, const YAML::Node& node,
                                     const Bindings& bindings);

// A fault plan: {cut-after-sent: N, cut-after-received: N, action: close|reset|half-close,
// max-chunk: N, delay-ms: N, throttle: bytes-per-second, seed: N}.
Status ValidateFault(const std::string& file, const YAML::Node& node, const Bindings& bindings);
net::FaultPlan ParseFault(const YAML::Node& node, const Bindings& bindings, uint64_t default_seed);

class Args {
 public:
  Args(const Step& step, const Bindings& bindings) : step_(step), bindings_(bindings) {}

  bool Has(const char* name) const;
  std::optional<std::string> String(const char* name) const;
  std::optional<int64_t> Int(const char* name) const;
  std::optional<double> Number(const char* name) const;
  std::optional<bool> Bool(const char* name) const;
  std::optional<std::vector<std::string>> StringList(const char* name) const;
  std::optional<std::vector<int64_t>> IntList(const char* name) const;
  std::vector<std::pair<std::string, std::string>> StringMap(const char* name) const;
  YAML::Node Node(const char* name) const;
  // The `databases` list of a load or workload step; [0] when absent or empty.
  std::vector<int> Databases() const;
  const Bindings& bindings() const { return bindings_; }
  const Step& step() const { return step_; }

 private:
  std::optional<std::string> Scalar(const char* name) const;

  const Step& step_;
  const Bindings& bindings_;
};

}  // namespace conformance::scenario
