#include "harness/scenario/steps.h"

#include <fmt/format.h>

#include "harness/oracle/server_keyspace.h"
#include "harness/oracle/snapshot_capture.h"
#include "harness/repl/master_rdb.h"
#include "harness/repl/model_loader.h"
#include "harness/rdb/reader.h"
#include "harness/resp/encoder.h"
#include "harness/scenario/step_helpers.h"

namespace conformance::scenario {

fakes::FakeReplica* CaseContext::Replica(const std::string& name) {
  if (name.empty()) {
    if (replicas.size() == 1) return replicas.begin()->second.get();
    auto it = replicas.find("replica");
    return it == replicas.end() ? nullptr : it->second.get();
  }
  auto it = replicas.find(name);
  return it == replicas.end() ? nullptr : it->second.get();
}

fakes::FakeMaster* CaseContext::Master(const std::string& name) {
  if (name.empty()) {
    if (masters.size() == 1) return masters.begin()->second.get();
    auto it = masters.find("master");
    return it == masters.end() ? nullptr : it->second.get();
  }
  auto it = masters.find(name);
  return it == masters.end() ? nullptr : it->second.get();
}

Awaitable<Result<server::Info>> FetchInfo(CaseContext& ctx, const std::string& section) {
  co_return co_await ctx.admin->Info(section);
}

Awaitable<Status> WritePipelined(CaseContext& ctx,
                                 const std::vector<std::vector<std::string>>& commands,
                                 const std::string& what) {
  net::RespClient& client = ctx.admin->client();
  constexpr size_t kBatch = 1000;
  const bool was_recording = client.record_frames();
  client.set_record_frames(false);
  Status status = OkStatus();
  for (size_t start = 0; start < commands.size() && status.ok(); start += kBatch) {
    const size_t end = std::min(commands.size(), start + kBatch);
    std::string batch;
    for (size_t i = start; i < end; ++i) resp::AppendCommand(&batch, commands[i]);
    status = co_await client.connection().Write(batch, ctx.step_timeout);
    for (size_t i = start; i < end && status.ok(); ++i) {
      auto reply = co_await client.Read(ctx.step_timeout);
      if (!reply.ok()) {
        status = reply.error();
      } else if (reply->IsError()) {
        status = Fail(fmt::format("{}: {} was refused: {}", what,
                                  resp::Value::Command(commands[i]).ToString(), reply->ToString()));
      }
    }
  }
  client.set_record_frames(was_recording);
  if (status.ok()) {
    ctx.transcript.Note("admin", fmt::format("{}: {} commands written", what, commands.size()));
  }
  co_return status;
}

Awaitable<Status> ReadServerKeyspaceBy(CaseContext& ctx, KeyspaceRead method,
                                       keyspace::Keyspace* out, net::Duration timeout) {
  if (method == KeyspaceRead::kScan) {
    const server::ServerTraits& traits = *ctx.traits;
    co_return co_await oracle::ReadServerKeyspace(
        ctx.admin->client(), out,
        {.timeout = timeout,
         .select = traits.HasCommand("select"),
         .scan = traits.HasCommand("scan"),
         .dump = traits.Has("dump")});
  }
  auto before = co_await ReadSyncStats(ctx);
  if (!before.ok()) co_return before.error();
  oracle::CaptureOptions options;
  options.password = ctx.password;
  options.timeout = timeout;
  auto captured =
      co_await oracle::CaptureKeyspace(ctx.host, ctx.port, out, options, &ctx.transcript);
  if (!captured.ok()) co_return captured.error();
  auto after = co_await ReadSyncStats(ctx);
  if (!after.ok()) co_return after.error();
  const int64_t moved = (*after)["sync_full"] - (*before)["sync_full"];
  ctx.stats_baseline["sync_full"] += moved;
  ctx.transcript.Note("check", fmt::format("the snapshot moved sync_full by {} (added to the "
                                           "stats baseline)", moved));
  co_return OkStatus();
}

// The keyspace a replica must hold after loading `model` written as RDB `version`: what that
// version carries, read back with the harness's reader (which fills in what an old version
// lacks as Redis does: second-precision expiries before 3, a stream's entries_added and its
// groups' entries_read before 10...).
Result<keyspace::Keyspace> AsCarriedBy(const keyspace::Keyspace& model, int version) {
  repl::RdbBuildOptions build;
  build.writer.version = version;
  auto bytes = repl::BuildRdb(model, build);
  if (!bytes.ok()) return bytes.error();
  keyspace::Keyspace carried;
  repl::ModelLoader loader(&carried);
  rdb::Reader reader(&loader);
  CONFORMANCE_RETURN_IF_ERROR(reader.Feed(*bytes));
  CONFORMANCE_RETURN_IF_ERROR(reader.Finish());
  return carried;
}

Result<const keyspace::Keyspace*> AsServerHolds(const CaseContext& ctx,
                                                const keyspace::Keyspace& model,
                                                keyspace::Keyspace* storage) {
  // RDB 10 added what older releases do not keep (stream entries_added, max_deleted_id, a
  // group's entries_read); a server that writes an older version holds the model without them.
  const int version = ctx.traits->rdb_version;
  if (version <= 0 || version >= 10) return &model;
  auto carried = AsCarriedBy(model, version);
  if (!carried.ok()) return carried.error();
  *storage = std::move(carried).value();
  return storage;
}

Awaitable<Result<int64_t>> ReadMasterOffset(CaseContext& ctx) {
  if (ctx.traits->Has("info-replication")) {
    auto info = co_await FetchInfo(ctx, "replication");
    if (!info.ok()) co_return info.error();
    if (auto offset = info->GetInt("master_repl_offset")) co_return *offset;
    co_return Fail("INFO replication has no master_repl_offset, which discovery saw");
  }
  if (!ctx.traits->Has("role")) {
    co_return Unsupported(fmt::format("{} reports its replication offset neither in INFO nor in "
                                      "ROLE",
                                      ctx.traits->Describe()));
  }
  auto role = co_await ctx.admin->Role();
  if (!role.ok()) co_return role.error();
  if (role->kind != server::Role::Kind::kMaster) {
    co_return Fail("ROLE: Expected: master, received: " + role->ToString());
  }
  co_return role->offset;
}

Result<fakes::FakeReplica*> ReplicaFor(CaseContext& ctx, const Args& args) {
  const std::string name = args.String("name").value_or("");
  fakes::FakeReplica* replica = ctx.Replica(name);
  if (replica == nullptr) {
    return Error{fmt::format("{}: no fake replica{} is connected; add a replica.connect step first",
                             args.step().location.ToString(), name.empty() ? "" : " '" + name + "'"), ErrorKind::kHarness};
  }
  return replica;
}

Awaitable<Result<std::map<std::string, int64_t>>> ReadSyncStats(CaseContext& ctx) {
  auto info = co_await FetchInfo(ctx, "stats");
  if (!info.ok()) co_return info.error();
  std::map<std::string, int64_t> stats;
  for (const char* key : {"sync_full", "sync_partial_ok", "sync_partial_err"}) {
    if (auto value = info->GetInt(key)) stats[key] = *value;
  }
  co_return stats;
}

Awaitable<StepStatus> ReopenAdmin(CaseContext& ctx) {
  if (ctx.server && !ctx.server->IsAlive()) {
    co_return Fail("the server process is gone: " + ctx.server->DescribeExit());
  }
  auto admin = co_await server::Admin::Connect(ctx.host, ctx.port, &ctx.transcript, ctx.step_timeout);
  if (!admin.ok()) co_return Fail("the server does not take a new admin connection: " + admin.message());
  ctx.admin = std::move(admin).value();
  if (ctx.password) CONFORMANCE_CO_RETURN_IF_ERROR(co_await ctx.admin->Auth(std::nullopt, *ctx.password));
  co_return OkStatus();
}

Awaitable<StepStatus> ExecuteStep(CaseContext& ctx, const Step& step) {
  const Args args(step, ctx.scenario->bindings);
  for (const auto* family : {&ServerSteps(), &ReplicaSteps(), &CheckSteps(), &MasterSteps(), &DualChannelSteps()}) {
    for (const StepBinding& binding : *family) {
      if (step.kind == binding.kind) co_return co_await binding.run(ctx, args);
    }
  }
  co_return Error{fmt::format("{}: step '{}' has no executor", step.location.ToString(), step.kind), ErrorKind::kHarness};
}

}  // namespace conformance::scenario
