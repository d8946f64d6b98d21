// Stream writes computed from a stream's current state (explicit ids, groups, PELs), in both
// forms: XREADGROUP and XCLAIM become what Redis 7 propagates for them (t_stream.c
// streamPropagateXCLAIM, streamPropagateGroupID). Each returns an empty Op when the state does
// not allow the write (nothing to read, acknowledge or claim), never a command that would fail.
#pragma once

#include <string>

#include "harness/data/value.h"
#include "harness/workload/op.h"
#include "harness/workload/picker.h"

namespace conformance::workload {

// XADD <key> <next id> f v ... (sometimes MAXLEN = n when `trim`); `stream` null: a new key.
Op StreamAdd(Picker& pick, const std::string& key, const data::Stream* stream, bool trim);
// XDEL of one existing entry.
Op StreamDelete(Picker& pick, const std::string& key, const data::Stream& stream);
// XTRIM MAXLEN = n, keeping most entries.
Op StreamTrim(Picker& pick, const std::string& key, const data::Stream& stream);
// XGROUP CREATE with a new group name, at 0, $ or an entry's id.
Op StreamCreateGroup(Picker& pick, const std::string& key, const data::Stream& stream);
// XREADGROUP GROUP g c COUNT n STREAMS key > for a group with undelivered entries; replicated:
// one XCLAIM ... FORCE JUSTID LASTID per entry, then XGROUP SETID ... ENTRIESREAD (as Redis
// >= 7.2.4 propagates it, redis#12898). With `pin_entries_read` the client form follows the
// XREADGROUP with that XGROUP SETID too, so that a master without the fix (7.0 propagates no
// entries_read) and its replicas still agree on the group's entries_read.
Op StreamReadGroup(Picker& pick, FakeTime& time, const std::string& key, const data::Stream& stream,
                   bool pin_entries_read);
// XACK of some pending entries.
Op StreamAck(Picker& pick, const std::string& key, const data::Stream& stream);
// XCLAIM of a pending entry (still in the stream) by another consumer; replicated with its
// TIME and RETRYCOUNT.
Op StreamClaim(Picker& pick, FakeTime& time, const std::string& key, const data::Stream& stream);
// XGROUP CREATECONSUMER or DELCONSUMER.
Op StreamConsumer(Picker& pick, const std::string& key, const data::Stream& stream);
// XGROUP DESTROY of one group.
Op StreamDestroyGroup(Picker& pick, const std::string& key, const data::Stream& stream);

}  // namespace conformance::workload
