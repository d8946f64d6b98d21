#include "harness/oracle/server_keyspace.h"

#include <fmt/format.h>

#include <chrono>

#include "harness/common/escape.h"
#include "harness/rdb/reader.h"
#include "harness/resp/encoder.h"

namespace conformance::oracle {

namespace {

using Clock = std::chrono::steady_clock;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Sends all commands in one write and reads every reply.
net::Awaitable<Result<std::vector<resp::Value>>> Pipeline(
    net::RespClient& client, const std::vector<std::vector<std::string>>& commands,
    net::Duration timeout) {
  std::string batch;
  for (const auto& argv : commands) resp::AppendCommand(&batch, argv);
  CONFORMANCE_CO_RETURN_IF_ERROR(co_await client.connection().Write(batch, timeout));
  std::vector<resp::Value> replies;
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    auto reply = co_await client.Read(timeout);
    if (!reply.ok()) co_return reply.error();
    replies.push_back(std::move(reply).value());
  }
  co_return replies;
}

Error Unexpected(const std::string& what, const resp::Value& reply) {
  return Error{fmt::format("{}: unexpected reply {}", what, reply.ToString()), ErrorKind::kProtocol};
}

}  // namespace

net::Awaitable<Status> ReadServerKeyspace(net::RespClient& client, keyspace::Keyspace* out,
                                          ReadOptions options) {
  out->Clear();
  const bool has_pexpiretime = options.use_pexpiretime;
  const std::string ttl_command = has_pexpiretime ? "PEXPIRETIME" : "PTTL";
  const bool was_recording = client.record_frames();
  client.set_record_frames(false);  // thousands of DUMPs would drown the transcript
  for (int db = 0; db < out->databases(); ++db) {
    std::vector<std::string> select = {"SELECT", std::to_string(db)};
    auto selected = co_await client.Call(std::move(select), options.timeout);
    if (!selected.ok()) co_return selected.error();
    if (selected->IsError()) break;  // the server has fewer databases
    std::string cursor = "0";
    do {
      std::vector<std::string> scan_command = {"SCAN", cursor, "COUNT",
                                               std::to_string(options.scan_count)};
      auto scan = co_await client.Call(std::move(scan_command), options.timeout);
      if (!scan.ok()) co_return scan.error();
      if (scan->type != resp::Type::kArray || scan->elements.size() != 2) {
        co_return Unexpected("SCAN", *scan);
      }
      cursor = scan->elements[0].str;
      std::vector<std::string> keys;
      for (const resp::Value& key : scan->elements[1].elements) keys.push_back(key.str);
      if (keys.empty()) continue;
      std::vector<std::vector<std::string>> commands;
      for (const std::string& key : keys) {
        commands.push_back({"DUMP", key});
        commands.push_back({ttl_command, key});
      }
      auto replies = co_await Pipeline(client, commands, options.timeout);
      if (!replies.ok()) co_return replies.error();
      const int64_t now = NowMs();
      for (size_t i = 0; i < keys.size(); ++i) {
        const resp::Value& dump = (*replies)[2 * i];
        const resp::Value& ttl = (*replies)[2 * i + 1];
        if (dump.is_null) continue;  // deleted or expired between SCAN and DUMP
        if (dump.type != resp::Type::kBulkString) {
          co_return Unexpected(fmt::format("DUMP \"{}\"", EscapeBytes(keys[i])), dump);
        }
        auto entry = rdb::DecodeDumpPayload(dump.str);
        if (!entry.ok()) {
          co_return Error{fmt::format("DUMP \"{}\" in db {}: {}", EscapeBytes(keys[i]), db,
                                      entry.message())};
        }
        if (ttl.IsError() && has_pexpiretime) {
          // PEXPIRETIME arrived in 7.0; older servers give relative TTLs only.
          options.use_pexpiretime = false;
          client.set_record_frames(was_recording);
          co_return co_await ReadServerKeyspace(client, out, options);
        }
        if (ttl.type != resp::Type::kInteger) co_return Unexpected("PEXPIRETIME/PTTL", ttl);
        if (ttl.integer >= 0) entry->expire_at_ms = has_pexpiretime ? ttl.integer : now + ttl.integer;
        out->Set(db, keys[i], std::move(entry).value());
      }
    } while (cursor != "0");
  }
  client.set_record_frames(was_recording);
  std::vector<std::string> select_zero = {"SELECT", "0"};
  auto reset = co_await client.Call(std::move(select_zero), options.timeout);
  if (!reset.ok()) co_return reset.error();
  co_return OkStatus();
}

}  // namespace conformance::oracle
