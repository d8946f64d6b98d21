#include "harness/rdb/compact_packer.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

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

void CompactPacker::AddField(std::string_view field, std::string_view value) {
  Element element;
  std::tie(element.offset, element.size) = Keep(field);
  std::tie(element.value_offset, element.value_size) = Keep(value);
  elements_.push_back(element);
  ++count_;
}

void CompactPacker::AddScored(std::string_view member, double score) {
  Element element;
  std::tie(element.offset, element.size) = Keep(member);
  element.score = score;
  elements_.push_back(element);
  ++count_;
}

void CompactPacker::AddElement(std::string_view bytes) {
  ++count_;
  if (type_ == data::ValueType::kList) {
    data::AppendPackedBytes(&list_body_, bytes);
    return;
  }
  Element element;
  std::tie(element.offset, element.size) = Keep(bytes);
  elements_.push_back(element);
}

void CompactPacker::AddElements(const std::vector<CompactItem>& items) {
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
    ++count_;
    Element element;
    std::tie(element.offset, element.size) = Keep(item);
    elements_.push_back(element);
  }
}

void CompactPacker::AddIntegers(const std::vector<int64_t>& integers) {
  for (int64_t integer : integers) {
    CompactItem item;
    item.is_int = true;
    item.integer = integer;
    ++count_;
    Element element;
    std::tie(element.offset, element.size) = Keep(item);
    elements_.push_back(element);
  }
}

Status CompactPacker::AddPairs(const std::vector<CompactItem>& items) {
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
    elements_.push_back(element);
    ++count_;
  }
  return OkStatus();
}

Status CompactPacker::Finish() {
  if (type_ == data::ValueType::kString) return OkStatus();
  out_.clear();
  data::AppendPackedVarint(&out_, count_);
  if (type_ == data::ValueType::kList) {
    out_.append(list_body_);
    return OkStatus();
  }
  std::sort(elements_.begin(), elements_.end(), [this](const Element& a, const Element& b) {
    return Bytes(a.offset, a.size) < Bytes(b.offset, b.size);
  });
  for (size_t i = 0; i < elements_.size(); ++i) {
    const Element& e = elements_[i];
    const std::string_view name = Bytes(e.offset, e.size);
    if (i > 0 && name == Bytes(elements_[i - 1].offset, elements_[i - 1].size)) {
      switch (type_) {
        case data::ValueType::kSet: return Error{"duplicate set member"};
        case data::ValueType::kZSet:
          return Error{fmt::format("duplicate zset member \"{}\"", EscapeBytes(name, 64))};
        default: return Error{"duplicate hash field"};
      }
    }
    data::AppendPackedBytes(&out_, name);
    if (type_ == data::ValueType::kZSet) data::AppendPackedScore(&out_, e.score);
    if (type_ == data::ValueType::kHash) {
      data::AppendPackedBytes(&out_, Bytes(e.value_offset, e.value_size));
    }
  }
  return OkStatus();
}

}  // namespace conformance::rdb
