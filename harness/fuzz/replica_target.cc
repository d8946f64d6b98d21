#include "harness/fuzz/replica_target.h"

#include <fmt/format.h>

#include <asio/this_coro.hpp>

#include "fakes/fake_master.h"
#include "harness/net/run_sync.h"
#include "harness/rdb/reader.h"
#include "harness/repl/handshake_dialect.h"
#include "harness/repl/master_rdb.h"
#include "harness/resp/encoder.h"
#include "harness/rules/ids.h"

namespace conformance::fuzz {

namespace {

using Clock = std::chrono::steady_clock;
using net::Awaitable;

// Accepts every record: the fuzzer only asks the reader whether the checksum holds.
class AcceptAll : public rdb::Handler {
 public:
  Status OnKey(std::string, data::Entry, const rdb::KeyMeta&) override { return OkStatus(); }
};

// Our reader's verdict on the checksum of the RDB as sent: the mismatch it names, if any.
std::optional<std::string> ChecksumMismatch(const std::string& rdb) {
  AcceptAll handler;
  rdb::Reader reader(&handler);
  Status status = reader.Feed(rdb);
  if (status.ok()) status = reader.Finish();
  if (!status.ok() && status.message().find("CRC64 mismatch") != std::string::npos) {
    return status.message();
  }
  return std::nullopt;
}

}  // namespace

InputDomain ReplicaTarget::domain() const {
  InputDomain domain;
  domain.role = TargetRole::kReplica;
  domain.rdb_version = options_.traits.rdb_version > 0 ? options_.traits.rdb_version : 6;
  domain.psync = options_.traits.HasCommand("psync");
  domain.eof_framing = options_.traits.Has("eof");
  return domain;
}

Status ReplicaTarget::Start() {
  CONFORMANCE_RETURN_IF_ERROR(server_.Start());
  auto checksum = net::RunSync(server_.io(), server_.admin()->ConfigGet("rdbchecksum"));
  // A server that does not say it verifies checksums is not judged on them.
  verifies_checksum_ = checksum.ok() && *checksum == "yes";
  return OkStatus();
}

Result<Outcome> ReplicaTarget::Run(const FuzzInput& input) {
  auto exchange = Render(input);
  if (!exchange.ok()) return exchange.error();
  if (!server_.started()) return Error{"the fuzz target was not started", ErrorKind::kHarness};
  const auto started = Clock::now();
  Transcript transcript;
  transcript.Note("fuzz", fmt::format("seed {} iteration {}: {}{}", input.seed, input.iteration,
                                      input.MutatorSummary(), input.fix_checksum ? " (checksum fixed)" : ""));
  const uint64_t log_offset = server_.LogSize();
  const ExchangeResult exchanged = net::RunSync(server_.io(), SendExchange(*exchange, transcript));
  Outcome outcome;
  outcome.reaction = exchanged.reaction;
  if (exchanged.admin_lost) server_.DropAdmin();
  server_.Reconnect();
  outcome.finding = net::RunSync(server_.io(), Judge(*exchange, outcome.reaction, log_offset));
  transcript.Note("fuzz", fmt::format("the replica {}{}", ToString(outcome.reaction),
                                      outcome.finding ? "; " + outcome.finding->Symptom() : ""));
  outcome.transcript = transcript.Render();
  const bool healthy = !outcome.finding || outcome.finding->oracle == Oracle::kCorruptLoad;
  if (!healthy || !server_.alive()) CONFORMANCE_RETURN_IF_ERROR(server_.RestartFresh());
  outcome.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return outcome;
}

Awaitable<ExchangeResult> ReplicaTarget::SendExchange(const Exchange& exchange, Transcript& transcript) {
  fakes::FakeMasterOptions fake_options;
  fake_options.seed = exchange.options.seed;
  fake_options.timeout = options_.timeouts.connect;
  fake_options.require_ping_first = false;  // the fuzzer judges robustness, not the handshake
  fake_options.dialect = repl::HandshakeDialectFor(options_.traits.dialect);
  fake_options.bugs.handshake_reply_overrides = exchange.handshake_replies;
  fakes::FakeMaster fake(std::move(fake_options), &transcript);
  if (Status listening = fake.Listen(co_await asio::this_coro::executor); !listening.ok() || !server_.admin()) {
    co_return ExchangeResult{};
  }
  co_return co_await DriveExchange(fake, *server_.admin(), !options_.traits.HasCommand("replicaof"),
                                   exchange.AfterHandshake(), options_.timeouts, transcript);
}

Awaitable<std::optional<Finding>> ReplicaTarget::Judge(const Exchange& exchange, Reaction reaction,
                                                       uint64_t log_offset) {
  if (auto death = co_await server_.JudgeLife(log_offset, rules::kSurvivesMalformedInput)) co_return death;
  if (reaction != Reaction::kAccepted) co_return std::nullopt;
  // A link that comes up says the replica loaded this snapshot only when it was announced as
  // a correct master would: the PSYNC reply and the preamble as sent in the valid exchange
  // (after "+CONTINUE" the same bytes are read as the stream, not as a snapshot).
  auto valid = BuildExchange(exchange.options);
  if (!valid.ok() || valid->sync_reply != exchange.sync_reply) co_return std::nullopt;
  const bool eof_framed = exchange.preamble == repl::EofPreamble(exchange.eof_mark);
  if (!eof_framed && exchange.preamble != repl::LengthPreamble(exchange.rdb.size())) co_return std::nullopt;
  if (verifies_checksum_) {
    if (auto mismatch = ChecksumMismatch(exchange.rdb)) {
      co_return Finding{Oracle::kCorruptLoad, std::string(rules::kRdbChecksumVerified),
                        "brought its link up on a snapshot whose checksum does not match (" +
                            *mismatch + ")",
                        server_.LogLinesSince(log_offset)};
    }
  }
  if (eof_framed && exchange.trailer.find(exchange.eof_mark) == std::string::npos) {
    co_return Finding{Oracle::kCorruptLoad, std::string(rules::kEofMarkVerified),
                      "brought its link up although the payload did not end with the announced "
                      "EOF mark",
                      server_.LogLinesSince(log_offset)};
  }
  co_return std::nullopt;
}

}  // namespace conformance::fuzz
