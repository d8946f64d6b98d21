// Bitmap commands (bitops.c): SETBIT, BITFIELD, BITOP. Bit 0 is the most significant bit of
// byte 0. Strings grow with zero bytes; offsets are limited to 512 MB like Redis.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "harness/keyspace/commands.h"
#include "harness/keyspace/parse.h"

namespace conformance::keyspace {

namespace {

constexpr uint64_t kMaxBitOffset = 512ULL * 1024 * 1024 * 8;
constexpr std::string_view kBadBitOffset = "ERR bit offset is not an integer or out of range";

// getBitOffsetFromArgument; hash_allowed accepts "#N" (N * bits) as BITFIELD does.
Result<uint64_t> ParseBitOffset(const std::string& text, bool hash_allowed, int bits) {
  std::string_view digits = text;
  bool multiply = false;
  if (hash_allowed && !digits.empty() && digits[0] == '#') {
    multiply = true;
    digits.remove_prefix(1);
  }
  int64_t offset = 0;
  if (!StringToInt64(digits, &offset)) return Error{std::string(kBadBitOffset)};
  if (multiply) {
    // Redis multiplies in 64 bits and then range-checks; a wrapped product is rejected too.
    if (offset > std::numeric_limits<int64_t>::max() / bits ||
        offset < std::numeric_limits<int64_t>::min() / bits) {
      return Error{std::string(kBadBitOffset)};
    }
    offset *= bits;
  }
  if (offset < 0 || static_cast<uint64_t>(offset) >= kMaxBitOffset) {
    return Error{std::string(kBadBitOffset)};
  }
  return static_cast<uint64_t>(offset);
}

// Unsigned value of bits [offset, offset + bits) read MSB first; missing bytes read as 0.
uint64_t GetBits(const std::string& s, uint64_t offset, int bits) {
  uint64_t value = 0;
  for (int i = 0; i < bits; ++i) {
    const uint64_t bit = offset + static_cast<uint64_t>(i);
    const uint64_t byte = bit >> 3;
    uint64_t b = 0;
    if (byte < s.size()) b = (static_cast<unsigned char>(s[byte]) >> (7 - (bit & 7))) & 1U;
    value = (value << 1) | b;
  }
  return value;
}

// The string must already cover the range.
void SetBits(std::string& s, uint64_t offset, int bits, uint64_t value) {
  for (int i = 0; i < bits; ++i) {
    const uint64_t bit = offset + static_cast<uint64_t>(i);
    const uint64_t b = (value >> (bits - 1 - i)) & 1U;
    auto& byte = reinterpret_cast<unsigned char&>(s[bit >> 3]);
    const auto mask = static_cast<unsigned char>(1U << (7 - (bit & 7)));
    byte = static_cast<unsigned char>(b ? (byte | mask) : (byte & ~mask));
  }
}

int64_t SignExtend(uint64_t value, int bits) {
  if (bits < 64 && (value & (uint64_t{1} << (bits - 1)))) value |= ~uint64_t{0} << bits;
  return static_cast<int64_t>(value);
}

enum class Overflow : uint8_t { kWrap, kSat, kFail };

// checkSignedBitfieldOverflow: 0 when value + incr fits in bits, else +1/-1 with *limit set to
// the wrapped or saturated result. Arithmetic is two's complement, as Redis relies on.
int SignedOverflow(int64_t value, int64_t incr, int bits, Overflow policy, int64_t* limit) {
  const int64_t max =
      bits == 64 ? std::numeric_limits<int64_t>::max() : (int64_t{1} << (bits - 1)) - 1;
  const int64_t min = -max - 1;
  const auto wrap_sub = [](int64_t a, int64_t b) {
    return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
  };
  const int64_t max_incr = wrap_sub(max, value);
  const int64_t min_incr = wrap_sub(min, value);
  const auto wrapped = [&] {
    uint64_t c = static_cast<uint64_t>(value) + static_cast<uint64_t>(incr);
    if (bits < 64) {
      const uint64_t mask = ~uint64_t{0} << bits;
      if (c & (uint64_t{1} << (bits - 1))) {
        c |= mask;
      } else {
        c &= ~mask;
      }
    }
    return static_cast<int64_t>(c);
  };
  if (value > max || (bits != 64 && incr > max_incr) ||
      (value >= 0 && incr > 0 && incr > max_incr)) {
    if (policy == Overflow::kWrap) *limit = wrapped();
    if (policy == Overflow::kSat) *limit = max;
    return 1;
  }
  if (value < min || (bits != 64 && incr < min_incr) ||
      (value < 0 && incr < 0 && incr < min_incr)) {
    if (policy == Overflow::kWrap) *limit = wrapped();
    if (policy == Overflow::kSat) *limit = min;
    return -1;
  }
  return 0;
}

// checkUnsignedBitfieldOverflow.
int UnsignedOverflow(uint64_t value, int64_t incr, int bits, Overflow policy, uint64_t* limit) {
  const uint64_t max =
      bits == 64 ? std::numeric_limits<uint64_t>::max() : (uint64_t{1} << bits) - 1;
  const auto max_incr = static_cast<int64_t>(max - value);
  const auto min_incr = static_cast<int64_t>(uint64_t{0} - value);
  const auto wrapped = [&] {
    return (value + static_cast<uint64_t>(incr)) & ~(~uint64_t{0} << bits);
  };
  if (value > max || (incr > 0 && incr > max_incr)) {
    if (policy == Overflow::kWrap) *limit = wrapped();
    if (policy == Overflow::kSat) *limit = max;
    return 1;
  }
  if (incr < 0 && incr < min_incr) {
    if (policy == Overflow::kWrap) *limit = wrapped();
    if (policy == Overflow::kSat) *limit = 0;
    return -1;
  }
  return 0;
}

struct BitFieldOp {
  enum class Kind : uint8_t { kGet, kSet, kIncrBy } kind;
  bool is_signed;
  int bits;
  uint64_t offset;
  int64_t value;  // SET value or INCRBY increment
  Overflow overflow;
};

// "i8", "u16"...: i1..i64, u1..u63.
bool ParseBitFieldType(const std::string& text, bool* is_signed, int* bits) {
  if (text.size() < 2 || (text[0] != 'i' && text[0] != 'I' && text[0] != 'u' && text[0] != 'U')) {
    return false;
  }
  *is_signed = text[0] == 'i' || text[0] == 'I';
  int64_t n = 0;
  if (!StringToInt64(std::string_view(text).substr(1), &n)) return false;
  if (n < 1 || (*is_signed && n > 64) || (!*is_signed && n > 63)) return false;
  *bits = static_cast<int>(n);
  return true;
}

enum class BitOp : uint8_t { kAnd, kOr, kXor, kNot, kDiff, kDiff1, kAndOr, kOne };

}  // namespace

// SETBIT key offset value
ApplyResult SetBitCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const uint64_t offset, ParseBitOffset(argv[2], false, 1));
  int64_t on = 0;
  if (!StringToInt64(argv[3], &on) || (on & ~int64_t{1}) != 0) {
    return Failed("ERR bit is not an integer or out of range");
  }
  KS_ASSIGN_OR_FAIL(data::String * value, ctx.GetOrCreate<data::String>(argv[1]));
  const size_t byte = static_cast<size_t>(offset >> 3);
  if (value->size() < byte + 1) value->resize(byte + 1, '\0');
  SetBits(*value, offset, 1, static_cast<uint64_t>(on));
  return Applied();
}

// BITFIELD key [GET type offset] [SET type offset value] [INCRBY type offset increment]
//          [OVERFLOW WRAP|SAT|FAIL] ...
ApplyResult BitFieldCommand(CommandContext& ctx, const Argv& argv) {
  std::vector<BitFieldOp> ops;
  Overflow overflow = Overflow::kWrap;
  bool writes = false;
  uint64_t highest_bit = 0;
  for (size_t j = 2; j < argv.size(); ++j) {
    const size_t remaining = argv.size() - j - 1;
    const std::string& sub = argv[j];
    BitFieldOp op{};
    if (EqualsIgnoreCase(sub, "GET") && remaining >= 2) {
      op.kind = BitFieldOp::Kind::kGet;
    } else if (EqualsIgnoreCase(sub, "SET") && remaining >= 3) {
      op.kind = BitFieldOp::Kind::kSet;
    } else if (EqualsIgnoreCase(sub, "INCRBY") && remaining >= 3) {
      op.kind = BitFieldOp::Kind::kIncrBy;
    } else if (EqualsIgnoreCase(sub, "OVERFLOW") && remaining >= 1) {
      const std::string& policy = argv[++j];
      if (EqualsIgnoreCase(policy, "WRAP")) {
        overflow = Overflow::kWrap;
      } else if (EqualsIgnoreCase(policy, "SAT")) {
        overflow = Overflow::kSat;
      } else if (EqualsIgnoreCase(policy, "FAIL")) {
        overflow = Overflow::kFail;
      } else {
        return Failed("ERR Invalid OVERFLOW type specified");
      }
      continue;
    } else {
      return Failed(std::string(kSyntaxError));
    }
    if (!ParseBitFieldType(argv[j + 1], &op.is_signed, &op.bits)) {
      return Failed(
          "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not "
          "supported but i64 is.");
    }
    KS_ASSIGN_OR_FAIL(op.offset, ParseBitOffset(argv[j + 2], true, op.bits));
    if (op.kind != BitFieldOp::Kind::kGet) {
      KS_ASSIGN_OR_FAIL(op.value, ParseInt64(argv[j + 3]));
      writes = true;
      highest_bit = std::max(highest_bit, op.offset + static_cast<uint64_t>(op.bits) - 1);
      j += 3;
    } else {
      j += 2;
    }
    op.overflow = overflow;
    ops.push_back(op);
  }
  if (!writes) {
    // Read-only: only the type is checked.
    if (ctx.WrongType<data::String>(argv[1])) return Failed(std::string(kWrongType));
    return Applied();
  }
  KS_ASSIGN_OR_FAIL(data::String * s, ctx.GetOrCreate<data::String>(argv[1]));
  const size_t bytes = static_cast<size_t>(highest_bit >> 3) + 1;
  if (s->size() < bytes) s->resize(bytes, '\0');
  for (const BitFieldOp& op : ops) {
    if (op.kind == BitFieldOp::Kind::kGet) continue;
    const uint64_t old_bits = GetBits(*s, op.offset, op.bits);
    bool write = true;
    uint64_t new_bits = 0;
    if (op.is_signed) {
      const int64_t old_value = SignExtend(old_bits, op.bits);
      int64_t wrapped = 0;
      int overflowed = 0;
      int64_t new_value = 0;
      if (op.kind == BitFieldOp::Kind::kIncrBy) {
        overflowed = SignedOverflow(old_value, op.value, op.bits, op.overflow, &wrapped);
        new_value = overflowed ? wrapped
                               : static_cast<int64_t>(static_cast<uint64_t>(old_value) +
                                                      static_cast<uint64_t>(op.value));
      } else {
        new_value = op.value;
        overflowed = SignedOverflow(new_value, 0, op.bits, op.overflow, &wrapped);
        if (overflowed) new_value = wrapped;
      }
      write = !(overflowed && op.overflow == Overflow::kFail);
      new_bits = static_cast<uint64_t>(new_value);
    } else {
      uint64_t wrapped = 0;
      int overflowed = 0;
      uint64_t new_value = 0;
      if (op.kind == BitFieldOp::Kind::kIncrBy) {
        overflowed = UnsignedOverflow(old_bits, op.value, op.bits, op.overflow, &wrapped);
        new_value = overflowed ? wrapped : old_bits + static_cast<uint64_t>(op.value);
      } else {
        new_value = static_cast<uint64_t>(op.value);
        overflowed = UnsignedOverflow(new_value, 0, op.bits, op.overflow, &wrapped);
        if (overflowed) new_value = wrapped;
      }
      write = !(overflowed && op.overflow == Overflow::kFail);
      new_bits = new_value;
    }
    if (write) {
      if (op.bits < 64) new_bits &= ~(~uint64_t{0} << op.bits);
      SetBits(*s, op.offset, op.bits, new_bits);
    }
  }
  return Applied();
}

// BITOP operation destkey key [key ...]
ApplyResult BitOpCommand(CommandContext& ctx, const Argv& argv) {
  const std::string& name = argv[1];
  BitOp op;
  if (EqualsIgnoreCase(name, "AND")) {
    op = BitOp::kAnd;
  } else if (EqualsIgnoreCase(name, "OR")) {
    op = BitOp::kOr;
  } else if (EqualsIgnoreCase(name, "XOR")) {
    op = BitOp::kXor;
  } else if (EqualsIgnoreCase(name, "NOT")) {
    op = BitOp::kNot;
  } else if (EqualsIgnoreCase(name, "DIFF")) {
    op = BitOp::kDiff;
  } else if (EqualsIgnoreCase(name, "DIFF1")) {
    op = BitOp::kDiff1;
  } else if (EqualsIgnoreCase(name, "ANDOR")) {
    op = BitOp::kAndOr;
  } else if (EqualsIgnoreCase(name, "ONE")) {
    op = BitOp::kOne;
  } else {
    return Failed(std::string(kSyntaxError));
  }
  const size_t sources = argv.size() - 3;
  if (op == BitOp::kNot && sources != 1) {
    return Failed("ERR BITOP NOT must be called with a single source key.");
  }
  if ((op == BitOp::kDiff || op == BitOp::kDiff1 || op == BitOp::kAndOr) && sources < 2) {
    return Failed(
        fmt::format("ERR BITOP {} must be called with at least two source keys.", ToUpper(name)));
  }
  std::vector<const std::string*> inputs;
  static const std::string kEmpty;
  size_t length = 0;
  for (size_t j = 3; j < argv.size(); ++j) {
    KS_ASSIGN_OR_FAIL(const data::String* value, ctx.Get<data::String>(argv[j]));
    inputs.push_back(value != nullptr ? value : &kEmpty);
    length = std::max(length, inputs.back()->size());
  }
  const auto byte_at = [&](size_t input, size_t i) -> uint8_t {
    const std::string& s = *inputs[input];
    return i < s.size() ? static_cast<uint8_t>(s[i]) : 0;
  };
  std::string result(length, '\0');
  for (size_t i = 0; i < length; ++i) {
    uint8_t out = byte_at(0, i);
    uint8_t others = 0;  // OR of the inputs after the first
    uint8_t seen_once = out;
    uint8_t seen_twice = 0;
    for (size_t k = 1; k < inputs.size(); ++k) {
      const uint8_t b = byte_at(k, i);
      others |= b;
      seen_twice |= seen_once & b;
      seen_once |= b;
      switch (op) {
        case BitOp::kAnd:
          out &= b;
          break;
        case BitOp::kOr:
          out |= b;
          break;
        case BitOp::kXor:
          out ^= b;
          break;
        default:
          break;
      }
    }
    switch (op) {
      case BitOp::kNot:
        out = static_cast<uint8_t>(~out);
        break;
      case BitOp::kDiff:
        out = static_cast<uint8_t>(out & ~others);
        break;
      case BitOp::kDiff1:
        out = static_cast<uint8_t>(~out & others);
        break;
      case BitOp::kAndOr:
        out = static_cast<uint8_t>(out & others);
        break;
      case BitOp::kOne:
        out = static_cast<uint8_t>(seen_once & ~seen_twice);
        break;
      default:
        break;
    }
    result[i] = static_cast<char>(out);
  }
  if (result.empty()) {
    ctx.Erase(argv[2]);
  } else {
    ctx.Store(argv[2], std::move(result));
  }
  return Applied();
}

}  // namespace conformance::keyspace
