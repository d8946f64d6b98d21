#include "harness/common/result.h"

namespace conformance {

const char* ToString(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kGeneric: return "error";
    case ErrorKind::kTimeout: return "timeout";
    case ErrorKind::kClosed: return "closed";
    case ErrorKind::kReset: return "reset";
    case ErrorKind::kProtocol: return "protocol error";
    case ErrorKind::kUnsupported: return "unsupported";
    case ErrorKind::kFault: return "fault";
    case ErrorKind::kHarness: return "harness";
  }
  return "unknown";
}

}  // namespace conformance
