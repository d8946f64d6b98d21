#include "fakes/dual_channel_replica.h"

#include <fmt/format.h>

namespace conformance::fakes {

namespace {

Error Broke(std::string what) { return Error{std::move(what), ErrorKind::kProtocol}; }

// The reply to a command that must be +OK.
Awaitable<Status> ExpectOk(FakeReplica& link, std::string what) {
  auto reply = co_await link.ReadReply();
  if (!reply.ok()) co_return Error{what + ": " + reply.message(), reply.error().kind};
  if (reply->type != resp::Type::kSimpleString || reply->str != "OK") {
    co_return Broke(fmt::format("{}: Expected: +OK, received: {}", what, reply->ToString()));
  }
  co_return OkStatus();
}

}  // namespace

FakeReplicaOptions RdbChannelOptions(const FakeReplicaOptions& main) {
  FakeReplicaOptions options = main;
  options.channel = main.channel + ":rdb";
  options.capabilities.clear();
  options.ack_policy = AckPolicy::kNever;
  options.ack_after_eof_load = false;
  return options;
}

Awaitable<Result<DualChannelSession>> StartDualChannelSync(FakeReplica& main, FakeReplica& rdb_channel) {
  DualChannelSession session;
  auto reply = co_await main.Psync("?", -1);
  if (!reply.ok()) co_return reply.error();
  session.sync_reply = reply->line;
  if (reply->kind == repl::SyncReply::Kind::kFullResync) co_return session;  // one link after all
  if (reply->kind != repl::SyncReply::Kind::kDualChannel) {
    co_return Broke("PSYNC ? -1: Expected: +DUALCHANNELSYNC or +FULLRESYNC, received: " + reply->line);
  }
  session.dual = true;

  CONFORMANCE_CO_RETURN_IF_ERROR(co_await rdb_channel.Connect());
  const FakeReplicaOptions& options = rdb_channel.options();
  if (options.password) {
    std::vector<std::string> auth = {"AUTH"};
    if (options.user) auth.push_back(*options.user);
    auth.push_back(*options.password);
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await rdb_channel.Send(auth));
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await ExpectOk(rdb_channel, "the RDB channel's AUTH"));
  }
  const std::vector<std::string> replconf = repl::RdbChannelReplconf(options.listening_port.value_or(0));
  CONFORMANCE_CO_RETURN_IF_ERROR(co_await rdb_channel.Send(replconf));
  CONFORMANCE_CO_RETURN_IF_ERROR(co_await ExpectOk(rdb_channel, "the RDB channel's REPLCONF"));
  CONFORMANCE_CO_RETURN_IF_ERROR(co_await rdb_channel.SendRaw("SYNC\r\n"));
  auto line = co_await rdb_channel.ReadLine("$ENDOFF on the RDB channel");
  if (!line.ok()) co_return line.error();
  auto end_offset = repl::ParseEndOffset(*line);
  if (!end_offset.ok()) co_return end_offset.error();
  session.end_offset = *end_offset;

  CONFORMANCE_CO_RETURN_IF_ERROR(co_await main.Send(repl::SetRdbClientId(end_offset->client_id)));
  CONFORMANCE_CO_RETURN_IF_ERROR(co_await ExpectOk(main, "REPLCONF set-rdb-client-id"));
  main.AdoptHistory(end_offset->replid, static_cast<uint64_t>(end_offset->offset));
  auto resumed = co_await main.PsyncResume();
  if (!resumed.ok()) co_return resumed.error();
  if (resumed->kind != repl::SyncReply::Kind::kContinue) {
    co_return Broke(fmt::format("PSYNC {} {} on the main link after $ENDOFF: Expected: +CONTINUE, received: {}",
                                end_offset->replid, end_offset->offset + 1, resumed->line));
  }
  co_return session;
}

Awaitable<Result<RdbSummary>> LoadDualChannelSnapshot(FakeReplica& main, FakeReplica& rdb_channel,
                                                      const DualChannelSession& session, std::optional<RdbCut> cut) {
  if (!session.dual) co_return co_await main.ReceiveRdb(cut);
  auto summary = co_await rdb_channel.ReceiveRdb(cut);
  if (!summary.ok() || summary->cut) co_return summary;
  rdb_channel.Disconnect();  // a replica closes the RDB channel once the snapshot is in
  main.model() = rdb_channel.model();
  main.model().Select(session.end_offset.dbid);
  co_return summary;
}

}  // namespace conformance::fakes
