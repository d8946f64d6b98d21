#include "harness/report/utf8.h"

namespace conformance::report {
namespace {

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

Utf8Char DecodeUtf8(std::string_view text, size_t pos) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[pos + i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return {.code_point = lead, .length = 1, .valid = true};

  size_t length = 0;
  char32_t code_point = 0;
  char32_t min_value = 0;  // smallest value this length may encode (rejects overlong forms)
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, code_point = lead & 0x1F, min_value = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, code_point = lead & 0x0F, min_value = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, code_point = lead & 0x07, min_value = 0x10000;
  } else {
    return {};  // a stray continuation byte, C0/C1 (always overlong) or F5..FF
  }
  if (pos + length > text.size()) return {};
  for (size_t i = 1; i < length; ++i) {
    if (!IsContinuation(byte(i))) return {};
    code_point = (code_point << 6) | (byte(i) & 0x3F);
  }
  if (code_point < min_value || code_point > 0x10FFFF) return {};
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return {};
  return {.code_point = code_point, .length = length, .valid = true};
}

void AppendUtf8(char32_t code_point, std::string* out) {
  const auto put = [out](char32_t bits) { out->push_back(static_cast<char>(bits)); };
  if (code_point < 0x80) {
    put(code_point);
  } else if (code_point < 0x800) {
    put(0xC0 | (code_point >> 6));
    put(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    put(0xE0 | (code_point >> 12));
    put(0x80 | ((code_point >> 6) & 0x3F));
    put(0x80 | (code_point & 0x3F));
  } else {
    put(0xF0 | (code_point >> 18));
    put(0x80 | ((code_point >> 12) & 0x3F));
    put(0x80 | ((code_point >> 6) & 0x3F));
    put(0x80 | (code_point & 0x3F));
  }
}

}  // namespace conformance::report
