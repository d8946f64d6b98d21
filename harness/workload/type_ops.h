// The writes of the tracked workloads, one family per function, chosen from the current state
// of the key they write (kinds.h names the kinds). Each returns an Op that succeeds on that
// state, or an empty Op when it found nothing to do.
#pragma once

#include <string>
#include <vector>

#include "harness/data/value.h"
#include "harness/keyspace/keyspace.h"
#include "harness/workload/kinds.h"
#include "harness/workload/op.h"
#include "harness/workload/picker.h"

namespace conformance::workload {

// What an op generator sees.
struct OpContext {
  Picker& pick;
  FakeTime& time;
  const KindInfo& kind;
  std::string key;
  const data::Entry* entry;          // the key's current value, null when it does not exist
  std::string sibling;               // another key of the same kind (RENAME, SMOVE, *STORE targets)
  const data::Entry* sibling_entry;  // its value, null when it does not exist
  int db = 0;                        // the database the op runs in
  std::vector<int> databases;        // the workload's databases (MOVE, COPY DB)
  bool expire = false;               // expiries allowed
  bool pin_entries_read = true;      // see StreamReadGroup (stream_ops.h)
};

// The key from scratch (DEL first when it exists), as the dataset writes it.
Op RecreateOp(const OpContext& c);
// DEL/UNLINK, RENAME, COPY, MOVE: kind-preserving, so names keep their type.
Op KeyOp(const OpContext& c);
// EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT (with NX/XX/GT/LT), PERSIST, GETEX and SET KEEPTTL.
Op ExpiryOp(const OpContext& c);
Op StringOp(const OpContext& c);
Op ListOp(const OpContext& c);
Op HashOp(const OpContext& c);
Op SetOp(const OpContext& c);
Op ZSetOp(const OpContext& c);
Op StreamOp(const OpContext& c);

}  // namespace conformance::workload
