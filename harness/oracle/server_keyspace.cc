#include "harness/oracle/server_keyspace.h"

#include <fmt/format.h>

#include <chrono>
#include <optional>

#include "harness/common/escape.h"
#include "harness/rdb/reader.h"
#include "harness/resp/encoder.h"

namespace conformance::oracle {

namespace {

// A key no scenario writes: PEXPIRETIME of it is -2 on 7.0+, an error before.
constexpr const char* kProbeKey = "__conformance:pexpiretime-probe";

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Error Unexpected(const std::string& what, const resp::Value& reply) {
  return Error{fmt::format("{}: unexpected reply {}", what, reply.ToString()),
               ErrorKind::kProtocol};
}

// One pipelined request: DUMP and the expiry of each key, then (unless the scan is over) the
// SCAN that names the next keys.
struct Batch {
  std::vector<std::string> keys;
  std::optional<std::string> scan_cursor;
  std::vector<resp::Value> replies;  // 2 per key
};

net::Awaitable<Status> Send(net::RespClient& client, const Batch& batch, const std::string& ttl,
                            size_t scan_count, net::Duration timeout) {
  std::string bytes;
  for (const std::string& key : batch.keys) {
    const std::vector<std::string> dump = {"DUMP", key};
    const std::vector<std::string> expiry = {ttl, key};
    resp::AppendCommand(&bytes, dump);
    resp::AppendCommand(&bytes, expiry);
  }
  if (batch.scan_cursor) {
    const std::vector<std::string> scan = {"SCAN", *batch.scan_cursor, "COUNT",
                                           std::to_string(scan_count)};
    resp::AppendCommand(&bytes, scan);
  }
  co_return co_await client.connection().Write(bytes, timeout);
}

// Reads a SCAN reply into the next batch (its keys, and the cursor to ask for after them).
net::Awaitable<Result<Batch>> ReadScan(net::RespClient& client, net::Duration timeout) {
  auto scan = co_await client.Read(timeout);
  if (!scan.ok()) co_return scan.error();
  if (scan->type != resp::Type::kArray || scan->elements.size() != 2) {
    co_return Unexpected("SCAN", *scan);
  }
  Batch next;
  for (const resp::Value& key : scan->elements[1].elements) next.keys.push_back(key.str);
  if (scan->elements[0].str != "0") next.scan_cursor = scan->elements[0].str;
  co_return next;
}

// Decodes a batch's replies into `out`.
Status Decode(const Batch& batch, int db, bool absolute, keyspace::Keyspace* out) {
  const int64_t now = NowMs();
  for (size_t i = 0; i < batch.keys.size(); ++i) {
    const resp::Value& dump = batch.replies[2 * i];
    const resp::Value& ttl = batch.replies[2 * i + 1];
    if (dump.is_null) continue;  // deleted or expired between SCAN and DUMP
    if (dump.type != resp::Type::kBulkString) {
      return Unexpected(fmt::format("DUMP \"{}\"", EscapeBytes(batch.keys[i])), dump);
    }
    auto entry = rdb::DecodeDumpPayload(dump.str);
    if (!entry.ok()) {
      return Error{
          fmt::format("DUMP \"{}\" in db {}: {}", EscapeBytes(batch.keys[i]), db, entry.message())};
    }
    if (ttl.type != resp::Type::kInteger) return Unexpected("PEXPIRETIME/PTTL", ttl);
    if (ttl.integer >= 0) entry->expire_at_ms = absolute ? ttl.integer : now + ttl.integer;
    out->Set(db, batch.keys[i], std::move(entry).value());
  }
  return OkStatus();
}

// Reads one database, keeping one request in flight while the previous one is decoded: the
// server works on the next batch while the harness decodes this one.
net::Awaitable<Status> ReadDatabase(net::RespClient& client, int db, const std::string& ttl,
                                    const ReadOptions& options, keyspace::Keyspace* out) {
  Batch current;
  current.scan_cursor = "0";
  CONFORMANCE_CO_RETURN_IF_ERROR(
      co_await Send(client, current, ttl, options.scan_count, options.timeout));
  while (true) {
    current.replies.reserve(2 * current.keys.size());
    for (size_t i = 0; i < 2 * current.keys.size(); ++i) {
      auto reply = co_await client.Read(options.timeout);
      if (!reply.ok()) co_return reply.error();
      current.replies.push_back(std::move(reply).value());
    }
    std::optional<Batch> next;
    if (current.scan_cursor) {
      auto scanned = co_await ReadScan(client, options.timeout);
      if (!scanned.ok()) co_return scanned.error();
      next = std::move(scanned).value();
      CONFORMANCE_CO_RETURN_IF_ERROR(
          co_await Send(client, *next, ttl, options.scan_count, options.timeout));
    }
    CONFORMANCE_CO_RETURN_IF_ERROR(Decode(current, db, ttl == "PEXPIRETIME", out));
    if (!next) co_return OkStatus();
    current = std::move(*next);
  }
}

}  // namespace

net::Awaitable<Status> ReadServerKeyspace(net::RespClient& client, keyspace::Keyspace* out,
                                          ReadOptions options) {
  out->Clear();
  const bool was_recording = client.record_frames();
  client.set_record_frames(false);  // thousands of DUMPs would drown the transcript
  std::string ttl = "PTTL";
  if (options.use_pexpiretime) {
    // PEXPIRETIME arrived in 7.0; older servers give relative TTLs only.
    std::vector<std::string> probe = {"PEXPIRETIME", kProbeKey};
    auto reply = co_await client.Call(std::move(probe), options.timeout);
    if (!reply.ok()) co_return reply.error();
    if (reply->type == resp::Type::kInteger) ttl = "PEXPIRETIME";
  }
  Status status = OkStatus();
  for (int db = 0; db < out->databases() && status.ok(); ++db) {
    std::vector<std::string> select = {"SELECT", std::to_string(db)};
    auto selected = co_await client.Call(std::move(select), options.timeout);
    if (!selected.ok()) {
      status = selected.error();
      break;
    }
    if (selected->IsError()) break;  // the server has fewer databases
    status = co_await ReadDatabase(client, db, ttl, options, out);
  }
  client.set_record_frames(was_recording);
  if (!status.ok()) co_return status;
  std::vector<std::string> select_zero = {"SELECT", "0"};
  auto reset = co_await client.Call(std::move(select_zero), options.timeout);
  if (!reset.ok()) co_return reset.error();
  co_return OkStatus();
}

}  // namespace conformance::oracle
