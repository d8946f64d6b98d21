// One exchange between a fake master and the server under test as its replica, as the fuzzer
// runs it and as a reproducer's master.exchange step replays it: REPLICAOF to the fake (its
// answer read once the handshake is under way), the fake's handshake replies, the bytes after
// the handshake, then watching until the replica accepts (link up), refuses (closes the link)
// or stalls. The replica's reaction is not judged here; the oracles do that.
#pragma once

#include <cstdint>
#include <string_view>

#include "fakes/fake_master.h"
#include "harness/common/transcript.h"
#include "harness/net/timeout.h"
#include "harness/server/admin.h"

namespace conformance::fuzz {

// How the replica took the exchange, before any oracle looked.
enum class Reaction : uint8_t {
  kRefusedInHandshake,  // it closed the link before asking for a sync
  kRefused,             // it closed the link after the reply, the snapshot or the stream
  kAccepted,            // its link is up with the snapshot loaded
  kUndecided,           // neither within the settle time (e.g. waiting for more bytes)
};
const char* ToString(Reaction reaction);

struct ExchangeTimeouts {
  net::Duration connect{3000};    // for the replica to connect
  net::Duration handshake{1000};  // for it to get through the handshake once connected
  net::Duration settle{300};      // for it to accept or refuse what it was sent
};

struct ExchangeResult {
  Reaction reaction = Reaction::kUndecided;
  // The admin link is out of step (REPLICAOF's answer did not come): open a new one.
  bool admin_lost = false;
};

// `fake` listens and carries the handshake replies to use; `slaveof` names the command for
// servers without REPLICAOF.
net::Awaitable<ExchangeResult> DriveExchange(fakes::FakeMaster& fake, server::Admin& admin,
                                             bool slaveof, std::string_view bytes,
                                             const ExchangeTimeouts& timeouts, Transcript& transcript);

}  // namespace conformance::fuzz
