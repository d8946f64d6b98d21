// One connection on which a replica speaks to a fake master (the replication link, or one of a
// multi-connection peer's flows or channels): the socket with its fault plan, the decoder of
// the commands the replica sends, the evidence (the commands received, in order; keepalive
// newlines counted apart), and its channel in the transcript.
//
// A link knows nothing of offsets, histories or models: the peer that owns it (one link for a
// Redis-protocol master, a main link and N flows for a Dragonfly master) keeps those. A closed
// link keeps its evidence until the peer drops it, so a failure can still name what it saw.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/common/result.h"
#include "harness/common/transcript.h"
#include "harness/net/connection.h"
#include "harness/net/timeout.h"
#include "harness/net/wait.h"
#include "harness/repl/master_command.h"
#include "harness/resp/decoder.h"

namespace conformance::fakes {

class CommandLink {
 public:
  // `timeout` is the deadline of a write.
  CommandLink(std::unique_ptr<net::Connection> connection, std::string channel, Transcript* transcript,
              net::Duration timeout);
  ~CommandLink();
  CommandLink(const CommandLink&) = delete;
  CommandLink& operator=(const CommandLink&) = delete;

  // Accepts the next connection on `listener` as a link.
  static net::Awaitable<Result<std::unique_ptr<CommandLink>>> Accept(net::Listener& listener, net::Duration wait,
                                                                     std::string channel, Transcript* transcript,
                                                                     net::FaultPlan faults, net::Duration timeout);

  bool connected() const { return connection_ && connection_->is_open(); }
  net::Connection& connection() { return *connection_; }
  const std::string& channel() const { return channel_; }

  // A wait on the link from now (a timeout then names the whole wait).
  net::Wait StartWait(net::Duration timeout) const;
  // The next command the replica sent, classified; keepalive newlines are returned too (and
  // counted), but not kept among received().
  net::Awaitable<Result<repl::ReplicaCommand>> ReadCommand(const net::Wait& wait);
  // Writes bytes, recorded as one frame with `description`.
  net::Awaitable<Status> Write(std::string_view bytes, std::string description);
  // Writes bytes already recorded (a stream the owner described in its own terms).
  net::Awaitable<Status> WriteUnrecorded(std::string_view bytes);
  // Arms the fault plan: the link is cut once `bytes` more bytes have been written.
  void CutAfterMoreSent(uint64_t bytes, net::CutAction action);
  // Waits until the replica closes the link; fails if it sends anything instead.
  net::Awaitable<Status> ExpectClose(net::Duration timeout);
  // Closes the socket; the evidence stays.
  void Close();

  const std::vector<repl::ReplicaCommand>& received() const { return received_; }
  uint64_t keepalives_received() const { return keepalives_received_; }
  // The last commands received, for a failure message ("none" when there are none).
  std::string FramesSeen() const;

 private:
  std::unique_ptr<net::Connection> connection_;
  std::string channel_;
  Transcript* transcript_;
  net::Duration timeout_;
  resp::Decoder decoder_{resp::DecoderMode::kCommands};
  std::vector<repl::ReplicaCommand> received_;
  uint64_t keepalives_received_ = 0;
};

}  // namespace conformance::fakes
