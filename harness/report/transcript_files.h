// Per-case transcript files (--transcript-dir): the full evidence behind a verdict, one plain
// text file per case, named after the case id.
#pragma once

#include <string>
#include <string_view>

#include "harness/common/result.h"
#include "harness/scenario/verdict.h"

namespace conformance::report {

// The file name for a case id: the id with every character outside [A-Za-z0-9._=-] replaced by
// '_' (and a leading '.' too, so the file is never hidden; an empty id becomes "case"), cut to a
// sane length, plus ".txt".
// When the id had to change, an 8-hex-digit hash of the original id is appended so that two ids
// that sanitise alike ("a/b", "a:b") still get different files.
std::string TranscriptFileName(std::string_view id);

// Writes RenderCaseText(result) to <dir>/<TranscriptFileName(result.id)>, creating `dir` if
// needed, and returns the path written. Safe to call from parallel cases with distinct ids.
Result<std::string> WriteTranscript(const std::string& dir, const scenario::CaseResult& result);

// Writes the case's transcript into `dir`, records its path in the result and names it at the
// end of the explanation, as every front end (CLI, Python) shows it.
Status AttachTranscript(const std::string& dir, scenario::CaseResult& result);

}  // namespace conformance::report
