// One exchange between a fake replica and the server under test as its master, as the fuzzer
// runs it and as a reproducer's replica.exchange step replays it: a new link to the master,
// the requests up to the sync (PSYNC or SYNC) sent together, the master's answers read until
// it answers the sync and sends its snapshot, closes the link or the settle time passes, then
// an optional write on the admin link (so a stream flows) and the rest of the requests, and
// the link closed. The master's reaction is not judged here; the oracles do that.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness/common/transcript.h"
#include "harness/fuzz/exchange_driver.h"
#include "harness/fuzz/requests.h"
#include "harness/net/timeout.h"
#include "harness/server/admin.h"

namespace conformance::fuzz {

struct RequestTimeouts {
  net::Duration connect{3000};  // for the link to the master
  net::Duration settle{300};    // for the master to answer the sync and send its snapshot
  net::Duration quiet{20};      // silence that ends the reading after the last requests
};

struct RequestsResult {
  Reaction reaction = Reaction::kUndecided;
  std::string sync_answer;  // the master's answer to the sync request ("" when none came)
  std::string sync_sent;    // the sync request as sent (placeholders filled), "" when none
  std::optional<MasterPosition> before, after;  // the master's position around the exchange
};

// The master's position from its INFO; an error when its INFO says nothing of offsets.
net::Awaitable<Result<MasterPosition>> ReadMasterPosition(server::Admin& admin);

// `requests` are the bytes of each request with placeholders; `write_after_sync` (when not
// empty) is a command run on the admin link once the sync was answered.
net::Awaitable<RequestsResult> DriveRequests(const std::string& host, uint16_t port, server::Admin& admin,
                                             const std::vector<std::string>& requests,
                                             const std::vector<std::string>& write_after_sync,
                                             const RequestTimeouts& timeouts, Transcript& transcript);

// Whether a master that answered "+CONTINUE" to `result.sync_sent` broke rule M3: the
// request named a replid that was not the master's, or an offset outside its backlog, at
// both ends of the exchange. nullopt when it did not, or when the request cannot be read.
std::optional<std::string> ContinuedOutsideWindow(const RequestsResult& result);

}  // namespace conformance::fuzz
