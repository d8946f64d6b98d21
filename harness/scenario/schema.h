// The vocabulary of scenario steps: each step kind, its arguments and their types. The loader
// checks every step against it, so a typo fails at load time with file:line:column instead of
// at run time, and executors read arguments that are known to be well-formed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/common/result.h"
#include "harness/scenario/scenario.h"

namespace conformance::scenario {

enum class ArgType : uint8_t {
  kString,
  kInt,
  kBool,
  kNumber,
  kStringList,
  kIntList,
  kStringMap,    // name: scalar
  kExpectation,  // a reply pattern, see expectation.h
  kFault,        // a fault plan, see fault_args.h
};

struct ArgSpec {
  std::string_view name;
  ArgType type;
  std::string_view help;
};

struct StepSpec {
  std::string_view kind;
  std::string_view help;
  std::vector<ArgSpec> args;
};

// Every step kind the runner knows, with its documented arguments.
const std::vector<StepSpec>& StepSpecs();
const StepSpec* FindStepSpec(std::string_view kind);

// The capabilities (server::KnownCapabilities) a step kind needs of the server under test to
// mean anything there, e.g. master.fullresync answers a PSYNC. A case needs those of its steps
// as well as the ones its `server.requires` names.
std::vector<std::string> StepNeeds(std::string_view kind);

// The capabilities a check step reads the server with (INFO fields, replication ids). Where
// one is missing the check is left out, noted in the step and the transcript, and the case
// is judged by its other checks.
std::vector<std::string> CheckNeeds(std::string_view kind);

// Checks a step's arguments: known names, well-typed values (after ${} substitution).
Status ValidateStep(const Step& step, const Bindings& bindings);

}  // namespace conformance::scenario
