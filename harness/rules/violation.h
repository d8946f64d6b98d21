// A protocol rule a fake peer saw the server under test break, with what it saw.
#pragma once

#include <string>
#include <string_view>

namespace conformance::rules {

struct Violation {
  std::string_view rule;  // a catalogued id (ids.h)
  std::string what;       // what was seen, with offsets

  std::string ToString() const { return std::string("rule ") + std::string(rule) + ": " + what; }
};

}  // namespace conformance::rules
