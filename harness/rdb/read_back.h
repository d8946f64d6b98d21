// Internal to the RDB codec: names what an encoded value lost when read back, so that
// EncodeDumpPayload can say which field a version cannot carry (a stream's max deleted ID
// before RDB 10, ...) instead of only that the value differs.
#pragma once

#include <string>

#include "harness/data/value.h"

namespace conformance::rdb {

// The first difference of `read` from `written`, as "its max deleted ID 5-1 reads back as
// 0-0"; a generic sentence where no field is named.
std::string DescribeReadBackLoss(const data::Value& written, const data::Value& read);

}  // namespace conformance::rdb
