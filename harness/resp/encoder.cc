#include "harness/resp/encoder.h"

#include <charconv>
#include <cmath>

#include "harness/resp/inline_args.h"

namespace conformance::resp {
namespace {

constexpr std::string_view kCRLF = "\r\n";

// Appends `prefix`, the decimal `n` and "\r\n".
void AppendHeader(std::string* out, char prefix, int64_t n) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), n);
  (void)ec;  // 24 bytes hold any int64_t
  out->push_back(prefix);
  out->append(buf, end);
  out->append(kCRLF);
}

size_t DecimalWidth(size_t n) {
  size_t width = 1;
  for (; n >= 10; n /= 10) ++width;
  return width;
}

template <typename Range>
void AppendCommandRange(std::string* out, const Range& argv) {
  size_t total = 1 + DecimalWidth(argv.size()) + 2;
  for (const auto& arg : argv) total += 1 + DecimalWidth(arg.size()) + 2 + arg.size() + 2;
  out->reserve(out->size() + total);
  AppendHeader(out, '*', static_cast<int64_t>(argv.size()));
  for (const auto& arg : argv) {
    AppendHeader(out, '$', static_cast<int64_t>(arg.size()));
    out->append(arg);
    out->append(kCRLF);
  }
}

void AppendDouble(std::string* out, const Value& value) {
  out->push_back(',');
  if (!value.str.empty()) {
    out->append(value.str);
  } else if (std::isnan(value.number)) {
    out->append("nan");
  } else if (std::isinf(value.number)) {
    out->append(value.number > 0 ? "inf" : "-inf");
  } else {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value.number);
    if (ec == std::errc()) out->append(buf, end);
  }
  out->append(kCRLF);
}

void AppendInline(std::string* out, const Value& value) {
  for (size_t i = 0; i < value.elements.size(); ++i) {
    if (i > 0) out->push_back(' ');
    // A line that starts with a bare '*' is read as a multibulk header, not as words.
    const std::string& word = value.elements[i].str;
    AppendInlineWord(out, word, i == 0 && word.starts_with('*'));
  }
  out->append(kCRLF);
}

}  // namespace

void AppendCommand(std::string* out, const std::vector<std::string>& argv) {
  AppendCommandRange(out, argv);
}

void AppendCommand(std::string* out, std::initializer_list<std::string_view> argv) {
  AppendCommandRange(out, argv);
}

std::string EncodeCommand(const std::vector<std::string>& argv) {
  std::string out;
  AppendCommand(&out, argv);
  return out;
}

std::string EncodeCommand(std::initializer_list<std::string_view> argv) {
  std::string out;
  AppendCommand(&out, argv);
  return out;
}

void AppendValue(std::string* out, const Value& value) {
  switch (value.type) {
    case Type::kSimpleString:
    case Type::kError:
    case Type::kBigNumber:
      out->push_back(static_cast<char>(value.type));
      out->append(value.str);
      out->append(kCRLF);
      return;
    case Type::kInteger: AppendHeader(out, ':', value.integer); return;
    case Type::kBulkString:
    case Type::kBulkError:
    case Type::kVerbatim:
      if (value.is_null) {
        out->append("$-1\r\n");
        return;
      }
      AppendHeader(out, static_cast<char>(value.type), static_cast<int64_t>(value.str.size()));
      out->append(value.str);
      out->append(kCRLF);
      return;
    case Type::kNull: out->append("_\r\n"); return;
    case Type::kBoolean: out->append(value.boolean ? "#t\r\n" : "#f\r\n"); return;
    case Type::kDouble: AppendDouble(out, value); return;
    case Type::kInline: AppendInline(out, value); return;
    case Type::kArray:
    case Type::kMap:
    case Type::kSet:
    case Type::kAttribute:
    case Type::kPush: break;
  }
  if (value.is_null) {
    out->append("*-1\r\n");
    return;
  }
  size_t count = 0;
  for (const Value& e : value.elements) count += e.type == Type::kAttribute ? 0 : 1;
  if (value.type == Type::kMap || value.type == Type::kAttribute) count /= 2;
  AppendHeader(out, static_cast<char>(value.type), static_cast<int64_t>(count));
  for (const Value& e : value.elements) AppendValue(out, e);
}

std::string Encode(const Value& value) {
  std::string out;
  AppendValue(&out, value);
  return out;
}

}  // namespace conformance::resp
