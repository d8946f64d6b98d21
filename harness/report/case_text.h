// The plain-text dossier of one case: what a transcript file holds and what JUnit shows as a
// failing test's output. Text is written as recorded (the transcript is already escaped).
#pragma once

#include <string>

#include "harness/scenario/verdict.h"

namespace conformance::report {

// Header (id, title, rule, source, file, seed, verdict, reason, transcript file), the
// explanation, the steps with verdicts, locations and messages, the transcript and the server
// log tail. Empty sections are left out.
std::string RenderCaseText(const scenario::CaseResult& result);

}  // namespace conformance::report
