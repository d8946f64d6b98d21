#include "harness/rdb/read_back.h"

#include <fmt/format.h>

#include <variant>

namespace conformance::rdb {
namespace {

std::string Loss(const std::string& what, const std::string& written, const std::string& read) {
  return fmt::format("its {} {} reads back as {}", what, written, read);
}

std::string DescribeGroupLoss(const data::StreamGroup& w, const data::StreamGroup& r) {
  const std::string group = fmt::format("group \"{}\"", w.name);
  if (w.last_delivered != r.last_delivered) {
    return Loss(group + " last ID", w.last_delivered.ToString(), r.last_delivered.ToString());
  }
  if (w.entries_read != r.entries_read) {
    return Loss(group + " entries read", std::to_string(w.entries_read),
                std::to_string(r.entries_read));
  }
  if (w.pending != r.pending) return fmt::format("its {} PEL reads back differently", group);
  if (w.consumers.size() != r.consumers.size()) {
    return Loss(group + " consumer count", std::to_string(w.consumers.size()),
                std::to_string(r.consumers.size()));
  }
  for (size_t i = 0; i < w.consumers.size(); ++i) {
    const data::StreamConsumer& wc = w.consumers[i];
    const data::StreamConsumer& rc = r.consumers[i];
    const std::string consumer = fmt::format("{} consumer \"{}\"", group, wc.name);
    if (wc.seen_time_ms != rc.seen_time_ms) {
      return Loss(consumer + " seen time", std::to_string(wc.seen_time_ms),
                  std::to_string(rc.seen_time_ms));
    }
    if (wc.active_time_ms != rc.active_time_ms) {
      return Loss(consumer + " active time", std::to_string(wc.active_time_ms),
                  std::to_string(rc.active_time_ms));
    }
  }
  return fmt::format("its {} reads back differently", group);
}

std::string DescribeStreamLoss(const data::Stream& w, const data::Stream& r) {
  if (w.entries != r.entries) return "its entries read back differently";
  if (w.last_id != r.last_id) return Loss("last ID", w.last_id.ToString(), r.last_id.ToString());
  if (w.first_id != r.first_id) {
    return Loss("first ID", w.first_id.ToString(), r.first_id.ToString());
  }
  if (w.max_deleted_id != r.max_deleted_id) {
    return Loss("max deleted ID", w.max_deleted_id.ToString(), r.max_deleted_id.ToString());
  }
  if (w.entries_added != r.entries_added) {
    return Loss("entries added", std::to_string(w.entries_added), std::to_string(r.entries_added));
  }
  if (w.groups.size() != r.groups.size()) {
    return Loss("group count", std::to_string(w.groups.size()), std::to_string(r.groups.size()));
  }
  for (size_t i = 0; i < w.groups.size(); ++i) {
    if (w.groups[i] != r.groups[i]) return DescribeGroupLoss(w.groups[i], r.groups[i]);
  }
  return "it reads back differently";
}

}  // namespace

std::string DescribeReadBackLoss(const data::Value& written, const data::Value& read) {
  if (data::TypeOf(written) != data::TypeOf(read)) {
    return fmt::format("it reads back as a {}", data::TypeName(data::TypeOf(read)));
  }
  if (const auto* stream = std::get_if<data::Stream>(&written)) {
    return DescribeStreamLoss(*stream, std::get<data::Stream>(read));
  }
  return "it reads back differently";
}

}  // namespace conformance::rdb
