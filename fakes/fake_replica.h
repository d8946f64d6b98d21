// The fake replica: the replica side of the replication protocol, driven step by step against
// a real master. Each step is a coroutine with a deadline that returns a Status whose message
// carries the evidence (expected vs received, offsets). Strict by default: an unexpected reply
// fails the step; tolerance is an explicit option.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/common/transcript.h"
#include "harness/keyspace/keyspace.h"
#include "harness/net/connection.h"
#include "harness/repl/rdb_transfer.h"
#include "harness/repl/stream_reader.h"
#include "harness/repl/sync_reply.h"
#include "harness/resp/value.h"
#include "harness/rules/violation.h"

namespace conformance::fakes {

using net::Awaitable;
using net::Duration;

// When the fake replica sends REPLCONF ACK on its own.
enum class AckPolicy : uint8_t {
  kNever,     // only when a step says so
  kOnGetAck,  // answer REPLCONF GETACK (with the offset before the GETACK, as Redis does)
  kPeriodic,  // answer GETACK, and ACK every ack_period while reading the stream
  kLagging,   // like kPeriodic, but report ack_lag_bytes less than processed
};

const char* ToString(AckPolicy policy);

struct FakeReplicaOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  std::string channel = "replica";
  std::optional<std::string> user;      // AUTH user password (ACL) when set
  std::optional<std::string> password;  // AUTH password when set; never logged
  std::optional<uint16_t> listening_port = 16380;  // REPLCONF listening-port
  std::optional<std::string> ip_address;           // REPLCONF ip-address
  std::vector<std::string> capabilities = {"eof", "psync2"};  // REPLCONF capa ...
  bool pipeline_handshake = true;  // send AUTH and REPLCONFs in one write, as Redis does
  // PING replies accepted besides +PONG (Redis tolerates -NOAUTH, -NOPERM and friends).
  std::vector<std::string> tolerated_ping_errors = {"-NOAUTH", "-NOPERM", "-ERR operation not permitted"};
  AckPolicy ack_policy = AckPolicy::kPeriodic;  // like Redis's replicationCron
  Duration ack_period{1000};
  uint64_t ack_lag_bytes = 0;
  // After a diskless ($EOF) load, ACK at once: the master sends nothing until the first ACK.
  bool ack_after_eof_load = true;
  net::FaultPlan faults;
  Duration timeout = net::kDefaultTimeout;  // default deadline of each wait
};

// Counters a scenario checks.
struct FakeReplicaStats {
  int full_syncs = 0;
  int partial_syncs = 0;
  uint64_t commands = 0;
  uint64_t selects = 0;
  uint64_t pings = 0;
  uint64_t getacks = 0;
  uint64_t keepalives_before_rdb = 0;
  uint64_t stream_keepalives = 0;
  uint64_t acks_sent = 0;
  uint64_t last_ack_offset = 0;
  std::vector<std::string> unmodelled;       // commands the model could not apply
  std::vector<std::string> model_errors;     // commands the model rejected (WRONGTYPE ...)
  std::vector<rules::Violation> violations;  // protocol rules the master broke
};

// How an RDB transfer should be cut, to test a master's handling of a replica that drops.
struct RdbCut {
  // Cut after this fraction of the payload ($<len>: of the announced size; $EOF: of
  // expected_keys, counted as keys are parsed).
  double fraction = 0.5;
  uint64_t expected_keys = 0;
  net::CutAction action = net::CutAction::kReset;
};

struct RdbSummary {
  repl::RdbTransfer::Framing framing = repl::RdbTransfer::Framing::kUnknown;
  uint64_t payload_bytes = 0;
  uint64_t keys = 0;
  int version = 0;
  bool cut = false;  // the transfer was cut on purpose
};

class FakeReplica {
 public:
  FakeReplica(FakeReplicaOptions options, Transcript* transcript);
  ~FakeReplica();

  Awaitable<Status> Connect();
  void Disconnect();
  bool connected() const;

  // Sends a command as a RESP array.
  Awaitable<Status> Send(const std::vector<std::string>& argv);
  // Sends raw bytes (inline commands, garbage).
  Awaitable<Status> SendRaw(std::string bytes);
  // Reads one reply.
  Awaitable<Result<resp::Value>> ReadReply(std::optional<Duration> timeout = std::nullopt);
  // Reads one line that is no RESP value ("$ENDOFF:..."), without CRLF; empty lines (a master's
  // keepalives) are skipped.
  Awaitable<Result<std::string>> ReadLine(std::string_view waiting_for, std::optional<Duration> timeout = std::nullopt);
  // The master must send nothing for `quiet`; the error carries what it sent (or that it closed).
  Awaitable<Status> ExpectSilence(Duration quiet);
  // Waits until the master closes the link.
  Awaitable<Status> ExpectClose(std::optional<Duration> timeout = std::nullopt);

  // PING, AUTH, REPLCONF listening-port / ip-address / capa: each reply must be +PONG/+OK.
  Awaitable<Status> Handshake();
  // Sends PSYNC <replid> <offset> and reads the reply line (keepalive newlines skipped).
  Awaitable<Result<repl::SyncReply>> Psync(std::string replid, int64_t offset);
  // PSYNC with the current replid and offset + 1: the next byte wanted.
  Awaitable<Result<repl::SyncReply>> PsyncResume();
  // Legacy SYNC: no reply line; the transfer follows. The master announces no offset, so the
  // caller passes master_repl_offset as read just before (no writes may happen in between).
  Awaitable<Status> Sync(uint64_t start_offset);
  // Receives the RDB into a fresh model, or cuts it on purpose.
  Awaitable<Result<RdbSummary>> ReceiveRdb(std::optional<RdbCut> cut = std::nullopt);
  // Reads and applies the stream until offset() reaches `target`.
  Awaitable<Status> ReadStreamUntil(uint64_t target, std::optional<Duration> timeout = std::nullopt);
  // Reads and applies whatever arrives until nothing has arrived for `quiet`.
  Awaitable<Status> ReadStreamUntilQuiet(Duration quiet, std::optional<Duration> timeout = std::nullopt);
  // REPLCONF ACK <offset> (default: the processed offset).
  Awaitable<Status> SendAck(std::optional<uint64_t> offset = std::nullopt);
  // Takes a history this replica did not receive itself: a snapshot that ends at `offset` of
  // `replid` and comes on another link (Valkey's RDB channel). PsyncResume then asks for
  // offset + 1; the model is emptied, for the caller to fill once that snapshot has loaded.
  void AdoptHistory(std::string replid, uint64_t offset);

  const std::string& replid() const { return replid_; }
  // A +FULLRESYNC (or SYNC) announced a snapshot that ReceiveRdb has not read yet.
  bool snapshot_due() const { return snapshot_due_; }
  // Replication offset of the last processed byte.
  uint64_t offset() const;
  keyspace::Keyspace& model() { return model_; }
  const FakeReplicaStats& stats() const { return stats_; }
  const FakeReplicaOptions& options() const { return options_; }
  FakeReplicaOptions& mutable_options() { return options_; }
  net::Connection* connection() { return connection_.get(); }

 private:
  // A wait on the link from now (a timeout then names the whole wait).
  net::Wait StartWait(Duration timeout) const;
  Awaitable<Status> ReadMore(const net::Wait& wait, const char* waiting_for);
  Awaitable<Result<std::string>> ReadLine(const net::Wait& wait, const char* waiting_for,
                                          size_t* keepalives);
  Awaitable<Status> ApplyStream();
  void RecordContinueForm(const repl::SyncReply& reply);
  // Reads more stream bytes within `wait`, ACKing meanwhile under a periodic policy.
  Awaitable<Status> ReadStreamMore(const net::Wait& wait);
  Awaitable<Status> SendAckAt(uint64_t offset);
  // An ACK the policy sends on its own (a lagging policy reports less than processed).
  Awaitable<Status> SendAutomaticAck(uint64_t offset);
  void RecordSent(const std::string& bytes, const std::string& description);
  Duration Timeout(std::optional<Duration> timeout) const { return timeout.value_or(options_.timeout); }

  FakeReplicaOptions options_;
  Transcript* transcript_;
  std::unique_ptr<net::Connection> connection_;
  std::string pending_;  // received, not yet consumed
  keyspace::Keyspace model_;
  std::string replid_;
  std::unique_ptr<repl::StreamReader> stream_;
  uint64_t stream_start_offset_ = 0;
  std::chrono::steady_clock::time_point last_ack_;
  bool awaiting_first_ack_ = false;  // after a $EOF load, until our first ACK
  bool snapshot_due_ = false;        // after +FULLRESYNC or SYNC, until ReceiveRdb
  bool in_multi_ = false;            // inside MULTI: the applied offset waits for EXEC
  uint64_t applied_offset_ = 0;
  FakeReplicaStats stats_;
};

}  // namespace conformance::fakes
