#include "fakes/dual_channel_master.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <random>

#include "harness/repl/master_rdb.h"
#include "harness/rules/ids.h"

namespace conformance::fakes {

namespace {

Error Broke(std::string what) {
  return Error{fmt::format("{} (rule {})", what, rules::kDualChannelReplica), ErrorKind::kProtocol};
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Whether a REPLCONF's option pairs hold `option` with `value`.
bool HasOption(const std::vector<std::string>& argv, const std::string& option, const std::string& value) {
  for (size_t i = 1; i + 1 < argv.size(); i += 2) {
    if (Lower(argv[i]) == option && Lower(argv[i + 1]) == value) return true;
  }
  return false;
}

}  // namespace

Awaitable<Result<DualChannelServe>> ServeDualChannelSnapshot(FakeMaster& master,
                                                             const DualChannelSnapshotOptions& options) {
  const auto& request = master.last_sync_request();
  if (!request || request->is_sync) co_return Error{"a dual-channel sync answers a PSYNC on the main link", ErrorKind::kHarness};
  if (!master.announce().HasCapability(std::string(repl::kDualChannelCapability))) {
    co_return Broke("the replica did not announce capa dual-channel");
  }
  CONFORMANCE_CO_RETURN_IF_ERROR(co_await master.Reply("+DUALCHANNELSYNC\r\n"));

  DualChannelServe serve;
  auto link = co_await CommandLink::Accept(*master.listener(), options.timeout, master.options().channel + ":rdb",
                                           master.transcript(), {},
                                           options.timeout);
  if (!link.ok()) co_return Broke("answered +DUALCHANNELSYNC, the replica opened no RDB channel: " + link.message());
  serve.rdb_channel = std::move(link).value();
  CommandLink& rdb = *serve.rdb_channel;
  const net::Wait wait = rdb.StartWait(options.timeout);
  auto command = co_await rdb.ReadCommand(wait);
  if (!command.ok()) co_return command.error();
  if (command->kind == repl::ReplicaCommandKind::kAuth) {
    const bool right = master.options().password && !command->argv.empty() &&
                       command->argv.back() == *master.options().password;
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await rdb.Write(right ? "+OK\r\n" : "-WRONGPASS\r\n", right ? "+OK" : "-WRONGPASS"));
    if (!right) co_return Broke("the RDB channel's AUTH does not carry the master's password");
    command = co_await rdb.ReadCommand(wait);
    if (!command.ok()) co_return command.error();
  } else if (master.options().password) {
    co_return Broke("Expected: AUTH first on the RDB channel (the master has a password), received: " +
                    command->Describe());
  }
  const std::vector<std::string>& replconf = command->argv;
  if (replconf.empty() || Lower(replconf[0]) != "replconf" || !HasOption(replconf, "rdb-channel", "1") ||
      !HasOption(replconf, "rdb-only", "1") || !HasOption(replconf, "capa", "eof")) {
    co_return Broke("Expected: REPLCONF capa eof rdb-only 1 rdb-channel 1 ... on the RDB channel, received: " +
                    command->Describe());
  }
  CONFORMANCE_CO_RETURN_IF_ERROR(co_await rdb.Write("+OK\r\n", "+OK"));
  command = co_await rdb.ReadCommand(wait);
  if (!command.ok()) co_return command.error();
  if (command->argv.empty() || Lower(command->argv[0]) != "sync") {
    co_return Broke("Expected: SYNC on the RDB channel, received: " + command->Describe());
  }

  serve.end_offset = repl::EndOffset{static_cast<int64_t>(master.offset()), master.replid(), 0, options.client_id};
  repl::RdbBuildOptions build;
  build.writer.version = options.rdb_version;
  build.repl_stream_db = 0;
  build.repl_id = master.replid();
  build.repl_offset = static_cast<int64_t>(master.offset());
  auto payload = repl::BuildRdb(master.model(), build);
  if (!payload.ok()) co_return payload.error();
  std::mt19937_64 rng(master.options().seed + options.client_id);
  const std::string mark = repl::RandomEofMark(rng);
  std::string bytes = repl::EndOffsetLine(serve.end_offset) + repl::EofPreamble(mark) + *payload + mark;
  const size_t head = repl::EndOffsetLine(serve.end_offset).size() + repl::EofPreamble(mark).size();
  if (options.cut_at) {
    rdb.CutAfterMoreSent(head + static_cast<uint64_t>(*options.cut_at * double(payload->size())), net::CutAction::kReset);
  }
  if (options.stall_at) bytes.resize(head + static_cast<size_t>(*options.stall_at * double(payload->size())));
  master.SnapshotSentElsewhere();
  master.model().Select(0);
  Status written = co_await rdb.Write(bytes, fmt::format("$ENDOFF {} and the snapshot by $EOF: {} bytes, {} keys",
                                                         serve.end_offset.offset, payload->size(), master.model().size()));
  if (!written.ok()) {
    if (options.cut_at && written.error().kind == ErrorKind::kFault) {
      serve.cut = true;
      co_return serve;
    }
    co_return written.error();
  }
  co_return serve;
}

Awaitable<Result<repl::PsyncDecision>> ContinueDualChannel(FakeMaster& master, const DualChannelServe& serve,
                                                           Duration timeout) {
  auto named = co_await master.ExpectCommand("REPLCONF set-rdb-client-id", timeout);
  if (!named.ok()) co_return Broke(named.message());
  if (named->size() != 3 || (*named)[2] != std::to_string(serve.end_offset.client_id)) {
    co_return Broke(fmt::format("REPLCONF set-rdb-client-id: Expected: the RDB channel's client {}, received: {}",
                                serve.end_offset.client_id, named->size() == 3 ? (*named)[2] : "no id"));
  }
  CONFORMANCE_CO_RETURN_IF_ERROR(co_await master.Reply("+OK\r\n"));
  auto psync = co_await master.ExpectCommand("PSYNC", timeout);
  if (!psync.ok()) co_return Broke(psync.message());
  const auto& request = master.last_sync_request();
  if (!request || request->replid != serve.end_offset.replid ||
      request->offset != serve.end_offset.offset + 1) {
    co_return Broke(fmt::format("PSYNC after $ENDOFF: Expected: PSYNC {} {}, received: PSYNC {} {}",
                                serve.end_offset.replid, serve.end_offset.offset + 1,
                                request ? request->replid : "?", request ? request->offset : -1));
  }
  co_return co_await master.AnswerSync(*request);
}

}  // namespace conformance::fakes
