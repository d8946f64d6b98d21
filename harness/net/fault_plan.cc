#include "harness/net/fault_plan.h"

#include <fmt/format.h>

namespace conformance::net {

const char* ToString(CutAction action) {
  switch (action) {
    case CutAction::kClose: return "close";
    case CutAction::kReset: return "reset";
    case CutAction::kHalfClose: return "half-close";
  }
  return "unknown";
}

std::string FaultPlan::ToString() const {
  std::string out;
  auto add = [&out](const std::string& part) {
    if (!out.empty()) out += ", ";
    out += part;
  };
  if (cut_after_sent) add(fmt::format("cut after {} bytes sent", *cut_after_sent));
  if (cut_after_received) add(fmt::format("cut after {} bytes received", *cut_after_received));
  if (cut_after_sent || cut_after_received) add(fmt::format("by {}", net::ToString(cut_action)));
  if (max_chunk) add(fmt::format("writes split in chunks of 1..{} bytes", max_chunk));
  if (delay_per_chunk.count()) add(fmt::format("{} ms delay per chunk", delay_per_chunk.count()));
  if (throttle_bytes_per_second) add(fmt::format("throttled to {} B/s", throttle_bytes_per_second));
  if (!out.empty()) add(fmt::format("seed {}", seed));
  return out.empty() ? "no faults" : out;
}

}  // namespace conformance::net
