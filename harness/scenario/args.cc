#include "harness/scenario/args.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>

#include "harness/common/escape.h"

namespace conformance::scenario {

std::optional<int64_t> ParseInt(const std::string& text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::optional<double> ParseNumber(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return value;
}

std::optional<bool> ParseBool(const std::string& text) {
  if (text == "true" || text == "yes" || text == "on") return true;
  if (text == "false" || text == "no" || text == "off") return false;
  return std::nullopt;
}

std::string Unescape(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out.push_back(text[i]);
      continue;
    }
    const char c = text[++i];
    switch (c) {
      case 'r': out.push_back('\r'); break;
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case '0': out.push_back('\0'); break;
      case 'x':
        if (i + 2 < text.size()) {
          const std::string hex = text.substr(i + 1, 2);
          char* end = nullptr;
          const long byte = std::strtol(hex.c_str(), &end, 16);
          if (hex.size() == 2 && end == hex.c_str() + 2) {
            out.push_back(static_cast<char>(byte));
            i += 2;
            break;
          }
        }
        out += "\\x";
        break;
      default: out.push_back(c);
    }
  }
  return out;
}

bool Expectation::Matches(const resp::Value& value) const {
  switch (kind) {
    case Kind::kSimple: return value.type == resp::Type::kSimpleString && value.str == text;
    case Kind::kError: return value.IsError() && value.str.starts_with(text);
    case Kind::kInteger: return value.type == resp::Type::kInteger && value.integer == integer;
    case Kind::kBulk:
      return value.type == resp::Type::kBulkString && !value.is_null && value.str == text;
    case Kind::kNull:
      return value.type == resp::Type::kNull || value.is_null;
    case Kind::kAnyOf:
      for (const Expectation& alternative : alternatives) {
        if (alternative.Matches(value)) return true;
      }
      return false;
  }
  return false;
}

std::string Expectation::ToString() const {
  switch (kind) {
    case Kind::kSimple: return "+" + EscapeBytes(text);
    case Kind::kError: return "-" + EscapeBytes(text) + "...";
    case Kind::kInteger: return fmt::format(":{}", integer);
    case Kind::kBulk: return fmt::format("$\"{}\"", EscapeBytes(text));
    case Kind::kNull: return "null";
    case Kind::kAnyOf: {
      std::string out = "any of [";
      for (size_t i = 0; i < alternatives.size(); ++i) {
        out += (i ? ", " : "") + alternatives[i].ToString();
      }
      return out + "]";
    }
  }
  return "?";
}

namespace {

Error ExpectationError(const std::string& file, const YAML::Node& node, const std::string& why) {
  return Error{fmt::format("{}: bad reply pattern: {}", LocationOf(file, node).ToString(), why)};
}

}  // namespace

Result<Expectation> ParseExpectation(const std::string& file, const YAML::Node& node,
                                     const Bindings& bindings) {
  Expectation expectation;
  if (node.IsScalar()) {
    const std::string text = Unescape(Substitute(node.Scalar(), bindings));
    if (text.empty()) return ExpectationError(file, node, "empty pattern");
    switch (text[0]) {
      case '+': expectation.kind = Expectation::Kind::kSimple; break;
      case '-': expectation.kind = Expectation::Kind::kError; break;
      case ':': {
        auto value = ParseInt(text.substr(1));
        if (!value) return ExpectationError(file, node, "':' must be followed by an integer");
        expectation.kind = Expectation::Kind::kInteger;
        expectation.integer = *value;
        return expectation;
      }
      default:
        return ExpectationError(file, node,
                                "a scalar pattern starts with + (simple string), - (error) or : "
                                "(integer); use {bulk: ...} for bulk strings");
    }
    expectation.text = text.substr(1);
    return expectation;
  }
  if (!node.IsMap() || node.size() != 1) {
    return ExpectationError(file, node, "expected a scalar or a map with one key");
  }
  const auto item = *node.begin();
  const std::string key = item.first.Scalar();
  const YAML::Node& value = item.second;
  if (key == "any-of") {
    if (!value.IsSequence() || value.size() == 0) {
      return ExpectationError(file, value, "any-of takes a non-empty list of patterns");
    }
    expectation.kind = Expectation::Kind::kAnyOf;
    for (const YAML::Node& alternative : value) {
      auto parsed = ParseExpectation(file, alternative, bindings);
      if (!parsed.ok()) return parsed.error();
      expectation.alternatives.push_back(std::move(parsed).value());
    }
    return expectation;
  }
  if (!value.IsScalar()) return ExpectationError(file, value, "'" + key + "' takes a scalar");
  const std::string text = Unescape(Substitute(value.Scalar(), bindings));
  if (key == "simple") {
    expectation.kind = Expectation::Kind::kSimple;
  } else if (key == "error") {
    expectation.kind = Expectation::Kind::kError;
  } else if (key == "bulk") {
    expectation.kind = Expectation::Kind::kBulk;
  } else if (key == "null") {
    expectation.kind = Expectation::Kind::kNull;
  } else if (key == "integer") {
    auto parsed = ParseInt(text);
    if (!parsed) return ExpectationError(file, value, "integer takes an integer");
    expectation.kind = Expectation::Kind::kInteger;
    expectation.integer = *parsed;
  } else {
    return ExpectationError(file, item.first,
                            "unknown pattern '" + key +
                                "' (known: simple, error, integer, bulk, null, any-of)");
  }
  expectation.text = text;
  return expectation;
}

Status ValidateExpectation(const std::string& file, const YAML::Node& node) {
  auto parsed = ParseExpectation(file, node, Bindings{});
  if (!parsed.ok()) return parsed.error();
  return OkStatus();
}

Status ValidateFault(const std::string& file, const YAML::Node& node, const Bindings& bindings) {
  if (!node.IsMap()) {
    return Error{fmt::format("{}: a fault plan is a map", LocationOf(file, node).ToString())};
  }
  for (const auto& item : node) {
    const std::string key = item.first.Scalar();
    const std::string value = item.second.IsScalar() ? Substitute(item.second.Scalar(), bindings) : "";
    if (key == "action") {
      if (value != "close" && value != "reset" && value != "half-close") {
        return Error{fmt::format("{}: fault action must be close, reset or half-close",
                                 LocationOf(file, item.second).ToString())};
      }
      continue;
    }
    if (key != "cut-after-sent" && key != "cut-after-received" && key != "max-chunk" &&
        key != "delay-ms" && key != "throttle" && key != "seed") {
      return Error{fmt::format("{}: unknown fault '{}' (known: cut-after-sent, "
                               "cut-after-received, action, max-chunk, delay-ms, throttle, seed)",
                               LocationOf(file, item.first).ToString(), key)};
    }
    auto number = ParseInt(value);
    if (!number || *number < 0) {
      return Error{fmt::format("{}: fault '{}' takes a non-negative integer",
                               LocationOf(file, item.second).ToString(), key)};
    }
  }
  return OkStatus();
}

net::FaultPlan ParseFault(const YAML::Node& node, const Bindings& bindings, uint64_t default_seed) {
  net::FaultPlan plan;
  plan.seed = default_seed;
  if (!node || !node.IsMap()) return plan;
  for (const auto& item : node) {
    const std::string key = item.first.Scalar();
    const std::string value = Substitute(item.second.Scalar(), bindings);
    if (key == "action") {
      plan.cut_action = value == "reset"        ? net::CutAction::kReset
                        : value == "half-close" ? net::CutAction::kHalfClose
                                                : net::CutAction::kClose;
      continue;
    }
    const auto number = static_cast<uint64_t>(ParseInt(value).value_or(0));
    if (key == "cut-after-sent") plan.cut_after_sent = number;
    if (key == "cut-after-received") plan.cut_after_received = number;
    if (key == "max-chunk") plan.max_chunk = number;
    if (key == "delay-ms") plan.delay_per_chunk = std::chrono::milliseconds(number);
    if (key == "throttle") plan.throttle_bytes_per_second = number;
    if (key == "seed") plan.seed = number;
  }
  return plan;
}

bool Args::Has(const char* name) const { return step_.args && step_.args.IsMap() && step_.args[name]; }

YAML::Node Args::Node(const char* name) const {
  if (!Has(name)) return YAML::Node();
  return step_.args[name];
}

std::optional<std::string> Args::Scalar(const char* name) const {
  if (!Has(name)) return std::nullopt;
  const YAML::Node node = step_.args[name];
  if (!node.IsScalar()) return std::nullopt;
  return Substitute(node.Scalar(), bindings_);
}

std::optional<std::string> Args::String(const char* name) const { return Scalar(name); }

std::optional<int64_t> Args::Int(const char* name) const {
  auto text = Scalar(name);
  return text ? ParseInt(*text) : std::nullopt;
}

std::optional<double> Args::Number(const char* name) const {
  auto text = Scalar(name);
  return text ? ParseNumber(*text) : std::nullopt;
}

std::optional<bool> Args::Bool(const char* name) const {
  auto text = Scalar(name);
  return text ? ParseBool(*text) : std::nullopt;
}

std::optional<std::vector<std::string>> Args::StringList(const char* name) const {
  if (!Has(name)) return std::nullopt;
  std::vector<std::string> out;
  for (const YAML::Node& item : step_.args[name]) {
    out.push_back(Unescape(Substitute(item.Scalar(), bindings_)));
  }
  return out;
}

std::optional<std::vector<int64_t>> Args::IntList(const char* name) const {
  if (!Has(name)) return std::nullopt;
  std::vector<int64_t> out;
  for (const YAML::Node& item : step_.args[name]) {
    out.push_back(ParseInt(Substitute(item.Scalar(), bindings_)).value_or(0));
  }
  return out;
}

std::vector<int> Args::Databases() const {
  std::vector<int> databases;
  for (int64_t db : IntList("databases").value_or(std::vector<int64_t>{0})) {
    databases.push_back(static_cast<int>(db));
  }
  if (databases.empty()) databases.push_back(0);
  return databases;
}

std::vector<std::pair<std::string, std::string>> Args::StringMap(const char* name) const {
  std::vector<std::pair<std::string, std::string>> out;
  if (!Has(name)) return out;
  for (const auto& item : step_.args[name]) {
    out.emplace_back(item.first.Scalar(), Substitute(item.second.Scalar(), bindings_));
  }
  return out;
}

}  // namespace conformance::scenario
