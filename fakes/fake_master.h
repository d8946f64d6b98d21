// The fake master: the master side of the replication protocol, driven step by step against a
// real replica (the server under test). A test binds it to a loopback port, points the server
// at it (REPLICAOF 127.0.0.1 <port>) and scripts every step: accept, answer the handshake,
// +FULLRESYNC and the RDB (from a keyspace model), propagate commands, read ACKs, cut the link,
// answer the PSYNC that follows with +CONTINUE.
//
// Every wait has a deadline and returns the evidence on failure (expected vs received, the
// frames seen). Strict by default: a command out of the handshake order, or anything but
// REPLCONF ACK and keepalive newlines once the stream runs, fails the step.
//
// Two oracles are kept as a real master would: model() is what the replica must hold (every
// propagated command is applied to it) and offset() counts every stream byte (SELECT, PING,
// GETACK, MULTI/EXEC included; keepalive newlines and MasterBugs garbage excluded). The backlog
// holds the recent stream, so a later PSYNC can be answered with +CONTINUE.
//
// Stream bytes go to the link only while it streams: after the RDB ($len), after the
// replica's first REPLCONF ACK ($EOF, M11), or after +CONTINUE. Otherwise (no link, RDB still
// in flight) they wait in the backlog and are sent when streaming starts, as Redis buffers them.
#pragma once

#include <asio/any_io_executor.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "fakes/command_link.h"
#include "fakes/master_bugs.h"
#include "harness/common/transcript.h"
#include "harness/keyspace/keyspace.h"
#include "harness/net/connection.h"
#include "harness/rdb/writer.h"
#include "harness/repl/backlog.h"
#include "harness/repl/master_command.h"
#include "harness/repl/master_handshake.h"
#include "harness/repl/master_stream.h"
#include "harness/repl/rdb_transfer.h"
#include "harness/resp/decoder.h"
#include "harness/rules/violation.h"

namespace conformance::fakes {

using net::Awaitable;
using net::Duration;

struct FakeMasterOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;  // 0: a free port
  std::string channel = "master";
  // requirepass: the replica must AUTH with it (masterauth); never logged.
  std::optional<std::string> password;
  std::string user = "default";    // the ACL user of the password (masteruser)
  bool require_ping_first = true;  // the handshake must open with PING (H1)
  repl::HandshakeDialect dialect;  // the replica's dialect (KeyDB: REPLPING, REPLCONF uuid)
  // The replication history the fake starts with; an empty replid draws one from the seed.
  std::string replid;
  uint64_t offset = 0;
  size_t backlog_capacity = repl::kDefaultBacklogCapacity;  // 0: no backlog, PSYNC never continues
  uint64_t seed = 1;                                        // replid and EOF marks
  keyspace::KeyspaceOptions model;
  MasterBugs bugs;
  net::FaultPlan faults;                    // applied to every accepted connection
  Duration timeout = net::kDefaultTimeout;  // default deadline of each wait
};

// Cuts the link part way through an RDB transfer (a fault, not a bug: the net fault plan).
struct RdbSendCut {
  double fraction = 0.5;  // of the payload, after the preamble
  net::CutAction action = net::CutAction::kReset;
};

struct RdbSendOptions {
  repl::RdbTransfer::Framing framing = repl::RdbTransfer::Framing::kLength;
  int rdb_version = 10;  // Redis 7.0
  rdb::Encoding encoding = rdb::Encoding::kCompact;
  bool compress_strings = false;
  // repl-stream-db, repl-id and repl-offset aux fields, as Redis >= 4 writes them.
  bool repl_aux = true;
  std::optional<int> repl_stream_db;    // default: the database of the next command
  std::optional<std::string> repl_id;   // default: replid()
  std::optional<int64_t> repl_offset;   // default: the snapshot's offset (+FULLRESYNC's)
  std::optional<std::string> eof_mark;  // default: drawn from the seed
  std::optional<RdbSendCut> cut;
};

struct FakeMasterStats {
  int connections = 0;
  int full_syncs = 0;
  int partial_syncs = 0;
  uint64_t keepalives_received = 0;  // bare newlines from the replica (while it loads)
  uint64_t keepalives_sent = 0;
  uint64_t commands_propagated = 0;       // stream commands, SELECT/PING/GETACK included
  std::vector<std::string> model_errors;  // EXECs the model ran with a failing command
  std::vector<std::string> unmodelled;    // commands sent with PropagateUnmodelled
  std::vector<rules::Violation> violations;  // protocol rules the replica broke
};

class FakeMaster {
 public:
  FakeMaster(FakeMasterOptions options, Transcript* transcript);
  ~FakeMaster();
  FakeMaster(const FakeMaster&) = delete;
  FakeMaster& operator=(const FakeMaster&) = delete;

  // Binds the loopback listener; port() is valid afterwards.
  Status Listen(asio::any_io_executor executor);
  uint16_t port() const;

  // --- The link ---
  // Accepts the replica's next connection (closing the current one, if any).
  Awaitable<Status> Accept(std::optional<Duration> timeout = std::nullopt);
  // Closes the link; the model, offset and backlog stay (the replica will PSYNC).
  void Disconnect();
  bool connected() const;
  // Arms the fault plan: the link is cut once `bytes` more bytes have been written.
  void CutAfterMoreSent(uint64_t bytes, net::CutAction action = net::CutAction::kReset);
  // Waits until the replica closes the link; fails if it sends a command instead.
  Awaitable<Status> ExpectClose(std::optional<Duration> timeout = std::nullopt);

  // --- Reading what the replica sends ---
  // The next command (keepalive newlines and REPLCONF ACKs are skipped and recorded, unless
  // `name` asks for them). `name` ("" for any) is matched case-insensitively against the first
  // words: "PSYNC", "REPLCONF capa". Fails with "Expected: X, received: Y" and the frames seen.
  Awaitable<Result<std::vector<std::string>>> ExpectCommand(
      std::string name, std::optional<Duration> timeout = std::nullopt);
  // Writes raw bytes (a reply, garbage) as they are.
  Awaitable<Status> Reply(std::string raw);
  // Answers PING, AUTH and REPLCONF with Redis's replies (MasterBugs overrides them), strict on
  // order (master_handshake.h), until a PSYNC or SYNC arrives; returns it, unanswered.
  Awaitable<Result<repl::SyncRequest>> AnswerHandshake(
      std::optional<Duration> timeout = std::nullopt);
  // Reads REPLCONF ACKs until one reports at least `at_least`; returns its offset. Anything
  // else but keepalive newlines fails (rule M15).
  Awaitable<Result<uint64_t>> WaitForAck(uint64_t at_least,
                                         std::optional<Duration> timeout = std::nullopt);

  // --- Answering PSYNC / SYNC ---
  // "+FULLRESYNC <replid> <offset>"; defaults are the fake's own. Other values start a new
  // history (the backlog is reset to them). The next keyed command gets a SELECT (O2).
  Awaitable<Status> SendFullResync(std::optional<std::string> replid = std::nullopt,
                                   std::optional<uint64_t> offset = std::nullopt);
  // The snapshot of model(), framed by $<len> or $EOF:<mark>. After $EOF nothing more is
  // written until the replica's first REPLCONF ACK (M11). Without a preceding +FULLRESYNC on
  // this link (SYNC), the snapshot is taken at offset().
  Awaitable<Status> SendRdb(RdbSendOptions options = {});
  // The same with another model, which replaces model() as the oracle.
  Awaitable<Status> SendRdb(keyspace::Keyspace model, RdbSendOptions options = {});
  // "+CONTINUE <replid>" (bare "+CONTINUE" if the replica lacks capa psync2) and the backlog
  // from the offset the last PSYNC asked for. With new_replid, the fake first shifts its
  // history to it (replid2 = the old id), as a promoted replica would.
  Awaitable<Status> SendContinue(std::optional<std::string> new_replid = std::nullopt);
  // Decides as Redis does (repl::Decide) and acts: +CONTINUE, or +FULLRESYNC (none for SYNC)
  // and the RDB.
  Awaitable<Result<repl::PsyncDecision>> AnswerSync(repl::SyncRequest request,
                                                    RdbSendOptions options = {});
  // `count` bare newlines, `interval` apart: keepalives before the stream starts (rule H7), not
  // counted in offset().
  Awaitable<Status> SendKeepalives(int count, Duration interval = Duration{0});

  // --- The stream ---
  // Applies argv to the model and streams it, after a SELECT when its database is not the
  // stream's. "SELECT n" only chooses the database of the next commands (Redis never
  // propagates a client's SELECT). Fails without sending when the model refuses the command
  // (an error or an unmodelled command), except for an EXEC whose queue holds a failing
  // command (sent, like the replica would run it; recorded in stats().model_errors).
  Awaitable<Status> Propagate(std::vector<std::string> argv);
  // Streams argv without the model (the oracle no longer covers it; recorded in stats()).
  Awaitable<Status> PropagateUnmodelled(std::vector<std::string> argv);
  // MULTI, the commands, EXEC.
  Awaitable<Status> Transaction(std::vector<std::vector<std::string>> commands);
  // The master's PING (lowercase "ping", counted).
  Awaitable<Status> SendPing();
  // REPLCONF GETACK * (counted).
  Awaitable<Status> SendGetAck();
  // Raw bytes appended to the stream: counted in offset() and kept in the backlog, not applied.
  Awaitable<Status> SendStreamBytes(std::string bytes, std::string description);

  // --- State ---
  uint64_t offset() const { return backlog_.offset(); }
  const std::string& replid() const { return backlog_.replid(); }
  const std::string& replid2() const { return backlog_.replid2(); }
  const repl::Backlog& backlog() const { return backlog_; }
  repl::Backlog& backlog() { return backlog_; }
  keyspace::Keyspace& model() { return model_; }
  const keyspace::Keyspace& model() const { return model_; }
  // The database the next propagated command runs in.
  int db() const { return db_; }
  // Every REPLCONF ACK received, in order, over all links.
  const std::vector<repl::ReplicaAck>& acks() const { return acks_; }
  // The commands received on the current (or last) link.
  const std::vector<repl::ReplicaCommand>& received() const;
  // What the replica announced in this link's handshake.
  const repl::ReplicaAnnounce& announce() const { return handshake_.announce(); }
  const std::optional<repl::SyncRequest>& last_sync_request() const { return last_sync_; }
  const FakeMasterStats& stats() const { return stats_; }
  // A rule the replica broke that a step, not the fake itself, noticed.
  void RecordViolation(rules::Violation violation) {
    stats_.violations.push_back(std::move(violation));
  }
  MasterBugs& bugs() { return options_.bugs; }
  const FakeMasterOptions& options() const { return options_; }
  net::Connection* connection() { return link_ ? &link_->connection() : nullptr; }
  CommandLink* link() { return link_.get(); }
  Transcript* transcript() const { return transcript_; }
  // The listener, for a peer that takes more links from the same port (an RDB channel).
  net::Listener* listener() { return listener_.get(); }
  // A snapshot of model() at offset() went out on another link (Valkey's RDB channel): the
  // next streamed command selects its database again, as after any snapshot.
  void SnapshotSentElsewhere() { selector_.ForceSelect(); }

 private:
  enum class LinkState : uint8_t {
    kHandshake,    // connected, no sync answered yet
    kTransfer,     // +FULLRESYNC sent, the RDB not (completely) sent
    kAwaitingAck,  // $EOF RDB sent: nothing until the first REPLCONF ACK (M11)
    kStreaming,
  };

  // A wait on the link from now (a timeout then names the whole wait).
  net::Wait StartWait(std::optional<Duration> timeout) const;
  Awaitable<Result<repl::ReplicaCommand>> ReadCommand(const net::Wait& wait);
  Awaitable<Status> Write(std::string_view bytes, std::string description);
  // Records an ACK; the first one after $EOF starts the stream.
  Awaitable<Status> OnAck(const repl::ReplicaCommand& command);
  // Appends stream bytes to the backlog, then sends what the link may receive.
  Awaitable<Status> AppendStream(std::string bytes, std::string description);
  // Writes the backlog bytes the link has not seen, when it streams.
  Awaitable<Status> Flush();
  std::string FramesSeen() const { return link_ ? link_->FramesSeen() : "none"; }
  Duration Timeout(std::optional<Duration> timeout) const {
    return timeout.value_or(options_.timeout);
  }

  FakeMasterOptions options_;
  Transcript* transcript_;
  std::mt19937_64 rng_;
  std::unique_ptr<net::Listener> listener_;
  std::unique_ptr<CommandLink> link_;  // the current link, or the last one (closed)
  repl::MasterHandshake handshake_;
  LinkState state_ = LinkState::kHandshake;

  repl::Backlog backlog_;
  repl::StreamSelector selector_;
  keyspace::Keyspace model_;
  int db_ = 0;
  uint64_t snapshot_offset_ = 0;  // the offset of the last full sync's snapshot
  uint64_t sent_up_to_ = 0;       // the last stream offset written to the link
  std::string held_mark_;         // MasterBugs::glue_stream_to_mark: the mark not yet written
  bool garbage_sent_ = false;     // MasterBugs::inline_garbage_after_command is sent once

  std::optional<repl::SyncRequest> last_sync_;
  std::vector<repl::ReplicaAck> acks_;
  FakeMasterStats stats_;
};

}  // namespace conformance::fakes
