#include "harness/oracle/server_keyspace.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
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

// Every key of the selected database: KEYS * where the server has no SCAN.
net::Awaitable<Result<std::vector<std::string>>> AllKeys(net::RespClient& client,
                                                        const ReadOptions& options) {
  std::vector<std::string> keys;
  if (!options.scan) {
    std::vector<std::string> command = {"KEYS", "*"};
    auto reply = co_await client.Call(std::move(command), options.timeout);
    if (!reply.ok()) co_return reply.error();
    if (reply->type != resp::Type::kArray) co_return Unexpected("KEYS *", *reply);
    for (const resp::Value& key : reply->elements) keys.push_back(key.str);
    co_return keys;
  }
  std::string cursor = "0";
  do {
    std::vector<std::string> command = {"SCAN", cursor, "COUNT", std::to_string(options.scan_count)};
    auto reply = co_await client.Call(std::move(command), options.timeout);
    if (!reply.ok()) co_return reply.error();
    if (reply->type != resp::Type::kArray || reply->elements.size() != 2) {
      co_return Unexpected("SCAN", *reply);
    }
    for (const resp::Value& key : reply->elements[1].elements) keys.push_back(key.str);
    cursor = reply->elements[0].str;
  } while (cursor != "0");
  co_return keys;
}

// One key's value from the typed read of its type; nullopt when it is gone.
Result<std::optional<data::Value>> TypedValue(const std::string& type, const resp::Value& reply) {
  if (reply.is_null) return std::optional<data::Value>();
  if (type == "string") {
    if (!reply.IsString()) return Unexpected("GET", reply);
    return std::optional<data::Value>(data::String(reply.str));
  }
  if (reply.type != resp::Type::kArray) return Unexpected("the read of a " + type, reply);
  if (reply.elements.empty()) return std::optional<data::Value>();
  if (type == "list") {
    data::List list;
    for (const resp::Value& item : reply.elements) list.push_back(item.str);
    return std::optional<data::Value>(std::move(list));
  }
  if (type == "set") {
    data::Set set;
    for (const resp::Value& item : reply.elements) set.insert(item.str);
    return std::optional<data::Value>(std::move(set));
  }
  if (reply.elements.size() % 2 != 0) return Unexpected("the read of a " + type, reply);
  if (type == "zset") {
    data::ZSet zset;
    for (size_t i = 0; i < reply.elements.size(); i += 2) {
      zset.Insert(reply.elements[i].str, std::strtod(reply.elements[i + 1].str.c_str(), nullptr));
    }
    return std::optional<data::Value>(std::move(zset));
  }
  data::Hash hash;
  for (size_t i = 0; i < reply.elements.size(); i += 2) {
    hash[reply.elements[i].str].value = reply.elements[i + 1].str;
  }
  return std::optional<data::Value>(std::move(hash));
}

// Reads one database with typed reads, for servers without DUMP.
net::Awaitable<Status> ReadDatabaseTyped(net::RespClient& client, int db, const std::string& ttl,
                                         const ReadOptions& options, keyspace::Keyspace* out) {
  auto keys = co_await AllKeys(client, options);
  if (!keys.ok()) co_return keys.error();
  for (const std::string& key : *keys) {
    std::vector<std::string> type_command = {"TYPE", key};
    auto type = co_await client.Call(std::move(type_command), options.timeout);
    if (!type.ok()) co_return type.error();
    const std::string name = type->str;
    std::vector<std::string> read;
    if (name == "none") continue;
    if (name == "string") read = {"GET", key};
    else if (name == "list") read = {"LRANGE", key, "0", "-1"};
    else if (name == "set") read = {"SMEMBERS", key};
    else if (name == "zset") read = {"ZRANGE", key, "0", "-1", "WITHSCORES"};
    else if (name == "hash") read = {"HGETALL", key};
    else {
      co_return Error{fmt::format("key \"{}\" in db {} is a {}, which only DUMP can read",
                                  EscapeBytes(key), db, name),
                      ErrorKind::kUnsupported};
    }
    auto reply = co_await client.Call(std::move(read), options.timeout);
    if (!reply.ok()) co_return reply.error();
    auto value = TypedValue(name, *reply);
    if (!value.ok()) co_return value.error();
    if (!*value) continue;
    std::vector<std::string> ttl_command = {ttl, key};
    auto expiry = co_await client.Call(std::move(ttl_command), options.timeout);
    if (!expiry.ok()) co_return expiry.error();
    if (expiry->type != resp::Type::kInteger) co_return Unexpected(ttl, *expiry);
    data::Entry entry{std::move(**value), data::Entry::kNoExpiry};
    if (expiry->integer >= 0) {
      entry.expire_at_ms = ttl == "PEXPIRETIME" ? expiry->integer : NowMs() + expiry->integer;
    }
    out->Set(db, key, std::move(entry));
  }
  co_return OkStatus();
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
  auto read_database = [&](int db) -> net::Awaitable<Status> {
    if (options.dump && options.scan) co_return co_await ReadDatabase(client, db, ttl, options, out);
    co_return co_await ReadDatabaseTyped(client, db, ttl, options, out);
  };
  if (!options.select) {
    status = co_await read_database(0);
    client.set_record_frames(was_recording);
    co_return status;
  }
  for (int db = 0; db < out->databases() && status.ok(); ++db) {
    std::vector<std::string> select = {"SELECT", std::to_string(db)};
    auto selected = co_await client.Call(std::move(select), options.timeout);
    if (!selected.ok()) {
      status = selected.error();
      break;
    }
    if (selected->IsError()) break;  // the server has fewer databases
    status = co_await read_database(db);
  }
  client.set_record_frames(was_recording);
  if (!status.ok()) co_return status;
  std::vector<std::string> select_zero = {"SELECT", "0"};
  auto reset = co_await client.Call(std::move(select_zero), options.timeout);
  if (!reset.ok()) co_return reset.error();
  co_return OkStatus();
}

}  // namespace conformance::oracle
