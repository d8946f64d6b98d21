// Pieces shared by the hash commands that name fields with "FIELDS numfields field ..." and
// set field expiries (Redis 7.4+). Internal to the keyspace layer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "harness/common/result.h"
#include "harness/keyspace/context.h"

namespace conformance::keyspace {

// Redis limits field expiries to 2^46-1 ms (HFE_MAX_ABS_TIME_MSEC).
inline constexpr int64_t kMaxFieldExpireMs = (int64_t{1} << 46) - 1;

// Checks "FIELDS numfields field..." starting at argv[fields_index] and returns the index of the
// first field. numfields must be in [1, LONG_MAX] (else numfields_error) and match the number
// of remaining arguments.
Result<size_t> ParseFieldsClause(const Argv& argv, size_t fields_index,
                                 std::string_view numfields_error);

// An absolute field expiry in ms from a relative or absolute argument (t_hash.c
// parseExpireTime): must be >= 0 and stay within kMaxFieldExpireMs.
Result<int64_t> ParseFieldExpireTime(const std::string& text, bool seconds, int64_t basetime,
                                     std::string_view command);

enum class FieldCondition : uint8_t { kNone, kNx, kXx, kGt, kLt };

enum class FieldExpiryResult : int8_t {
  kNoField = -2,
  kConditionNotMet = 0,
  kSet = 1,
  kDeleted = 2,  // the time was in the past and the model is a master
};

// hashTypeSetEx: sets field's expiry to when_ms under condition. A field without TTL counts as
// an infinite TTL (so GT and XX fail, LT succeeds).
FieldExpiryResult SetFieldExpiry(CommandContext& ctx, data::Hash& hash, const std::string& field,
                                 int64_t when_ms, FieldCondition condition);

}  // namespace conformance::keyspace
