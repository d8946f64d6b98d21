#include "harness/server/role.h"

#include <fmt/format.h>

#include "harness/server/error_reply.h"
#include "harness/server/info.h"

namespace conformance::server {
namespace {

Error Malformed(const resp::Value& reply, std::string_view why) {
  return Error{fmt::format("malformed ROLE reply ({}): {}", why, reply.ToString()),
               ErrorKind::kProtocol};
}

std::optional<int64_t> AsInt(const resp::Value& value) {
  if (value.type == resp::Type::kInteger) return value.integer;
  if (value.IsString()) return ParseInt(value.str);
  return std::nullopt;
}

std::optional<std::string> AsString(const resp::Value& value) {
  if (value.IsString()) return value.str;
  return std::nullopt;
}

Result<Role> ParseMaster(const resp::Value& reply) {
  const auto& items = reply.elements;
  Role role;
  role.kind = Role::Kind::kMaster;
  const auto offset = AsInt(items[1]);
  if (!offset) return Malformed(reply, "the master offset is not a number");
  role.offset = *offset;
  if (items.size() < 3) return role;
  if (items[2].type != resp::Type::kArray || items[2].is_null) {
    return Malformed(reply, "the replica list is not an array");
  }
  for (const resp::Value& entry : items[2].elements) {
    if (entry.type != resp::Type::kArray || entry.elements.size() < 3) {
      return Malformed(reply, "a replica entry is not [ip, port, offset]");
    }
    const auto ip = AsString(entry.elements[0]);
    const auto port = AsInt(entry.elements[1]);
    const auto replica_offset = AsInt(entry.elements[2]);
    if (!ip || !port || !replica_offset) {
      return Malformed(reply, "a replica entry is not [ip, port, offset]");
    }
    role.replicas.push_back(Role::Replica{*ip, *port, *replica_offset});
  }
  return role;
}

Result<Role> ParseReplica(const resp::Value& reply) {
  const auto& items = reply.elements;
  if (items.size() < 5) return Malformed(reply, "a replica's ROLE has 5 elements");
  Role role;
  role.kind = Role::Kind::kReplica;
  const auto host = AsString(items[1]);
  const auto port = AsInt(items[2]);
  const auto state = AsString(items[3]);
  const auto offset = AsInt(items[4]);
  if (!host || !port || !state || !offset) {
    return Malformed(reply, "expected [slave, host, port, state, offset]");
  }
  role.master_host = *host;
  role.master_port = *port;
  role.state = *state;
  role.offset = *offset;
  return role;
}

}  // namespace

std::string Role::ToString() const {
  if (kind == Kind::kReplica) {
    return fmt::format("replica of {}:{} state={} offset={}", master_host, master_port, state,
                       offset);
  }
  std::string list;
  for (const Replica& replica : replicas) {
    if (!list.empty()) list += ' ';
    list += fmt::format("{}:{}@{}", replica.ip, replica.port, replica.offset);
  }
  return fmt::format("master offset={} replicas=[{}]", offset, list);
}

Result<Role> ParseRole(const resp::Value& reply) {
  if (reply.IsError()) {
    return Error{fmt::format("ROLE failed: {}", reply.ToString()),
                 IsUnknownCommand(reply.str) ? ErrorKind::kUnsupported : ErrorKind::kProtocol};
  }
  if (reply.type != resp::Type::kArray || reply.is_null || reply.elements.size() < 2) {
    return Malformed(reply, "expected an array of at least 2 elements");
  }
  const auto kind = AsString(reply.elements[0]);
  if (kind == "master") return ParseMaster(reply);
  if (kind == "slave" || kind == "replica") return ParseReplica(reply);
  return Malformed(reply, "the first element is neither master nor slave");
}

}  // namespace conformance::server
