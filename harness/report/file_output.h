// Writing report files so that a reader never sees half of one.
#pragma once

#include <string>
#include <string_view>

#include "harness/common/result.h"

namespace conformance::report {

// Writes `content` to `path`, creating missing parent directories. The bytes go to a temporary
// file next to `path` first and are renamed into place, so a CI job that collects the report
// after an interrupted run finds the previous file or the new one, never a truncated one.
Status WriteFileAtomically(const std::string& path, std::string_view content);

}  // namespace conformance::report
