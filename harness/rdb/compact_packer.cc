#include "harness/rdb/compact_packer.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <functional>

#include "harness/common/escape.h"
#include "harness/data/packed.h"
#include "harness/rdb/cursor.h"

namespace conformance::rdb {

void CompactPacker::Start(data::ValueType type) {
  type_ = type;
  count_ = 0;
  list_body_.clear();
  arena_.clear();
  elements_.clear();
  slots_.clear();
  out_.clear();
}

void CompactPacker::SetString(std::string_view bytes) {
  out_.assign(bytes);
  count_ = bytes.size();
}

std::pair<uint32_t, uint32_t> CompactPacker::Keep(const CompactItem& item) {
  const size_t offset = arena_.size();
  item.AppendTo(&arena_);
  return {static_cast<uint32_t>(offset), static_cast<uint32_t>(arena_.size() - offset)};
}

std::pair<uint32_t, uint32_t> CompactPacker::Keep(std::string_view bytes) {
  const size_t offset = arena_.size();
  arena_.append(bytes);
  return {static_cast<uint32_t>(offset), static_cast<uint32_t>(bytes.size())};
}

bool CompactPacker::Place(uint32_t index) {
  const Element& element = elements_[index];
  const std::string_view name = Bytes(element.offset, element.size);
  const size_t mask = slots_.size() - 1;
  for (size_t slot = std::hash<std::string_view>{}(name) & mask;; slot = (slot + 1) & mask) {
    if (slots_[slot] == 0) {
      slots_[slot] = index + 1;
      return true;
    }
    const Element& other = elements_[slots_[slot] - 1];
    if (Bytes(other.offset, other.size) == name) return false;
  }
}

Status CompactPacker::Add(const Element& element) {
  elements_.push_back(element);
  // At most half full: grow (a power of two) and place everything again.
  if (elements_.size() * 2 > slots_.size()) {
    slots_.assign(std::max<size_t>(16, slots_.size() * 2), 0);
    for (uint32_t i = 0; i + 1 < elements_.size(); ++i) Place(i);
  }
  if (Place(static_cast<uint32_t>(elements_.size() - 1))) {
    ++count_;
    return OkStatus();
  }
  const std::string_view name = Bytes(element.offset, element.size);
  Error repeat;
  switch (type_) {
    case data::ValueType::kSet: repeat = Error{"duplicate set member"}; break;
    case data::ValueType::kZSet:
      repeat = Error{fmt::format("duplicate zset member \"{}\"", EscapeBytes(name, 64))};
      break;
    default: repeat = Error{"duplicate hash field"}; break;
  }
  elements_.pop_back();
  arena_.resize(element.offset);
  return repeat;
}

Status CompactPacker::AddField(std::string_view field, std::string_view value) {
  Element element;
  std::tie(element.offset, element.size) = Keep(field);
  std::tie(element.value_offset, element.value_size) = Keep(value);
  return Add(element);
}

Status CompactPacker::AddScored(std::string_view member, double score) {
  Element element;
  std::tie(element.offset, element.size) = Keep(member);
  element.score = score;
  return Add(element);
}

Status CompactPacker::AddElement(std::string_view bytes) {
  if (type_ == data::ValueType::kList) {
    ++count_;
    data::AppendPackedBytes(&list_body_, bytes);
    return OkStatus();
  }
  Element element;
  std::tie(element.offset, element.size) = Keep(bytes);
  return Add(element);
}

Status CompactPacker::AddElements(const std::vector<CompactItem>& items) {
  for (const CompactItem& item : items) {
    if (type_ == data::ValueType::kList) {
      ++count_;
      if (item.is_int) {
        char text[24];
        auto end = std::to_chars(text, text + sizeof(text), item.integer).ptr;
        data::AppendPackedBytes(&list_body_, std::string_view(text, end - text));
      } else {
        data::AppendPackedBytes(&list_body_, item.str);
      }
      continue;
    }
    Element element;
    std::tie(element.offset, element.size) = Keep(item);
    CONFORMANCE_RETURN_IF_ERROR(Add(element));
  }
  return OkStatus();
}

Status CompactPacker::AddIntegers(const std::vector<int64_t>& integers) {
  for (int64_t integer : integers) {
    CompactItem item;
    item.is_int = true;
    item.integer = integer;
    Element element;
    std::tie(element.offset, element.size) = Keep(item);
    CONFORMANCE_RETURN_IF_ERROR(Add(element));
  }
  return OkStatus();
}

Status CompactPacker::AddPairs(const std::vector<CompactItem>& items) {
  // Pair by pair, the score before the repeat, as the per-key path checks them.
  for (size_t i = 0; i + 1 < items.size(); i += 2) {
    Element element;
    std::tie(element.offset, element.size) = Keep(items[i]);
    if (type_ == data::ValueType::kZSet) {
      const CompactItem& score = items[i + 1];
      if (score.is_int) {
        element.score = static_cast<double>(score.integer);
      } else if (!ParseScore(score.str, &element.score)) {
        return Error{fmt::format("bad zset score \"{}\"", EscapeBytes(score.str, 64))};
      }
    } else {
      std::tie(element.value_offset, element.value_size) = Keep(items[i + 1]);
    }
    CONFORMANCE_RETURN_IF_ERROR(Add(element));
  }
  return OkStatus();
}

void CompactPacker::Finish() {
  if (type_ == data::ValueType::kString) return;
  out_.clear();
  data::AppendPackedVarint(&out_, count_);
  if (type_ == data::ValueType::kList) {
    out_.append(list_body_);
    return;
  }
  std::sort(elements_.begin(), elements_.end(), [this](const Element& a, const Element& b) {
    return Bytes(a.offset, a.size) < Bytes(b.offset, b.size);
  });
  for (const Element& e : elements_) {
    data::AppendPackedBytes(&out_, Bytes(e.offset, e.size));
    if (type_ == data::ValueType::kZSet) data::AppendPackedScore(&out_, e.score);
    if (type_ == data::ValueType::kHash) {
      data::AppendPackedBytes(&out_, Bytes(e.value_offset, e.value_size));
    }
  }
}

}  // namespace conformance::rdb
