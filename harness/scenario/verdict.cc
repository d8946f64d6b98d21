#include "harness/scenario/verdict.h"

namespace conformance::scenario {

const char* ToString(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass: return "pass";
    case Verdict::kFail: return "fail";
    case Verdict::kXFail: return "xfail";
    case Verdict::kXPass: return "xpass";
    case Verdict::kSkip: return "skip";
    case Verdict::kError: return "error";
  }
  return "unknown";
}

const char* ToLabel(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass: return "PASS";
    case Verdict::kFail: return "FAIL";
    case Verdict::kXFail: return "XFAIL";
    case Verdict::kXPass: return "XPASS";
    case Verdict::kSkip: return "SKIP";
    case Verdict::kError: return "ERROR";
  }
  return "UNKNOWN";
}

int RunSummary::total() const {
  int sum = 0;
  for (int c : counts) sum += c;
  return sum;
}

int RunSummary::ExitCode() const {
  if (count(Verdict::kFail) > 0 || count(Verdict::kXPass) > 0) return kExitFailure;
  if (count(Verdict::kError) > 0) return kExitInfrastructure;
  if (count(Verdict::kPass) + count(Verdict::kXFail) == 0) return kExitInconclusive;
  return kExitOk;
}

Verdict VerdictForStepError(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kUnsupported: return Verdict::kSkip;
    case ErrorKind::kHarness: return Verdict::kError;
    default: return Verdict::kFail;
  }
}

}  // namespace conformance::scenario
