#include "harness/repl/dragonfly_handshake.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "harness/repl/handshake_dialect.h"
#include "harness/repl/sync_reply.h"

namespace conformance::repl::dragonfly {

namespace {

constexpr size_t kEofTokenLength = 40;

Error Malformed(std::string_view what, std::string_view why) {
  return Error{fmt::format("{}: {}", what, why), ErrorKind::kProtocol};
}

bool IsString(const resp::Value& value) { return value.IsString(); }

template <typename T>
bool ParseNumber(std::string_view text, T* out) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return !text.empty() && error == std::errc() && end == text.data() + text.size();
}

std::string Upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

bool IsSyncId(std::string_view id) {
  uint64_t session = 0;
  return id.starts_with("SYNC") && ParseNumber(id.substr(4), &session);
}

}  // namespace

std::string SyncId(uint64_t session) { return fmt::format("SYNC{}", session); }

Result<CapaReply> ParseCapaReply(const resp::Value& reply) {
  constexpr std::string_view kWhat = "the reply to REPLCONF capa dragonfly";
  if (reply.type != resp::Type::kArray) return Malformed(kWhat, "not an array: " + reply.ToString());
  const std::vector<resp::Value>& items = reply.elements;
  if (items.size() == 1 && IsString(items[0]) && items[0].str == "OK") {
    return Malformed(kWhat, "[OK]: a Redis-protocol master, not a Dragonfly one");
  }
  if (items.size() < 3) return Malformed(kWhat, fmt::format("{} elements, at least 3 expected", items.size()));
  if (!IsString(items[0]) || !IsString(items[1])) return Malformed(kWhat, "the replid and sync id must be strings");
  if (items[2].type != resp::Type::kInteger) return Malformed(kWhat, "the flow count must be an integer (:)");
  CapaReply parsed;
  parsed.replid = items[0].str;
  if (parsed.replid.size() != kReplidLength) return Malformed(kWhat, "the replid is not 40 bytes");
  parsed.sync_id = items[1].str;
  if (items[2].integer < 1 || static_cast<uint64_t>(items[2].integer) > kMaxFlows) {
    return Malformed(kWhat, fmt::format("{} flows, not within 1..{}", items[2].integer, kMaxFlows));
  }
  parsed.flows = static_cast<uint64_t>(items[2].integer);
  if (items.size() > 3) {
    if (items[3].type != resp::Type::kInteger) return Malformed(kWhat, "the version must be an integer (:)");
    parsed.version = items[3].integer;
  }
  if (items.size() > 4) {
    if (!IsString(items[4])) return Malformed(kWhat, "the lineage id must be a string");
    parsed.lineage = items[4].str;
  }
  return parsed;
}

std::string EncodeCapaReply(const CapaReply& reply) {
  const size_t count = 3 + (reply.version ? 1 : 0) + (reply.version && reply.lineage ? 1 : 0);
  std::string out = fmt::format("*{}\r\n+{}\r\n+{}\r\n:{}\r\n", count, reply.replid, reply.sync_id, reply.flows);
  if (reply.version) out += fmt::format(":{}\r\n", *reply.version);
  if (reply.version && reply.lineage) out += fmt::format("+{}\r\n", *reply.lineage);
  return out;
}

std::vector<std::string> FlowCommand(const FlowRequest& request) {
  std::vector<std::string> argv = {"DFLY", "FLOW", request.master_id, request.sync_id, std::to_string(request.flow)};
  if (request.last_master_id) {
    argv.push_back(*request.last_master_id);
    std::string joined;
    for (const uint64_t lsn : request.lsns) joined += (joined.empty() ? "" : "-") + std::to_string(lsn);
    argv.push_back(joined);
  } else if (request.lsn) {
    argv.push_back(std::to_string(*request.lsn));
  }
  return argv;
}

Result<FlowRequest> ParseFlowCommand(const std::vector<std::string>& argv) {
  constexpr std::string_view kWhat = "DFLY FLOW";
  if (argv.size() < 2 || Upper(argv[0]) != "DFLY" || Upper(argv[1]) != "FLOW") return Malformed(kWhat, "not DFLY FLOW");
  const size_t arguments = argv.size() - 2;
  if (arguments < 3 || arguments > 5) return Malformed(kWhat, fmt::format("{} arguments, 3 to 5 expected", arguments));
  FlowRequest request;
  request.master_id = argv[2];
  request.sync_id = argv[3];
  if (!IsSyncId(request.sync_id)) return Malformed(kWhat, "bad sync id " + request.sync_id);
  if (!ParseNumber(argv[4], &request.flow)) return Malformed(kWhat, "the flow id is not an integer");
  if (arguments == 4) {
    uint64_t lsn = 0;
    if (!ParseNumber(argv[5], &lsn)) return Malformed(kWhat, "the LSN is not an integer");
    request.lsn = lsn;
  }
  if (arguments == 5) {
    request.last_master_id = argv[5];
    std::string_view rest = argv[6];
    while (true) {
      const size_t dash = rest.find('-');
      uint64_t lsn = 0;
      if (!ParseNumber(rest.substr(0, dash), &lsn)) return Malformed(kWhat, "the LSN vector is not N integers joined by -");
      request.lsns.push_back(lsn);
      if (dash == std::string_view::npos) break;
      rest.remove_prefix(dash + 1);
    }
  }
  return request;
}

Result<FlowReply> ParseFlowReply(const resp::Value& reply) {
  constexpr std::string_view kWhat = "the reply to DFLY FLOW";
  if (reply.type != resp::Type::kArray || reply.elements.size() != 2 || !IsString(reply.elements[0]) ||
      !IsString(reply.elements[1])) {
    return Malformed(kWhat, "expected [FULL|PARTIAL, <EOF token>], received " + reply.ToString());
  }
  FlowReply parsed;
  const std::string& kind = reply.elements[0].str;
  if (kind != "FULL" && kind != "PARTIAL") return Malformed(kWhat, "neither FULL nor PARTIAL: " + kind);
  parsed.full = kind == "FULL";
  parsed.eof_token = reply.elements[1].str;
  if (parsed.eof_token.size() != kEofTokenLength) return Malformed(kWhat, "the EOF token is not 40 bytes");
  return parsed;
}

std::string EncodeFlowReply(const FlowReply& reply) {
  return fmt::format("*2\r\n+{}\r\n+{}\r\n", reply.full ? "FULL" : "PARTIAL", reply.eof_token);
}

}  // namespace conformance::repl::dragonfly

namespace conformance::repl {

HandshakeDialect DragonflyHandshakeDialect() {
  HandshakeDialect dialect;
  dialect.name = "dragonfly";
  dialect.repeated_capa = true;  // Replica::Greet sends capa dragonfly apart (replica.cc)
  return dialect;
}

}  // namespace conformance::repl
