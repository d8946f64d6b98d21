#include "harness/repl/master_command.h"

#include <fmt/format.h>

#include "harness/common/text.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string_view>

#include "harness/common/escape.h"

namespace conformance::repl {

namespace {

// NET_HOST_STR_LEN: an ip-address must be shorter.
constexpr size_t kMaxIpAddressLength = 256;


// Redis's string2ll: optional '-', no '+', no spaces, no leading zeros.
std::optional<int64_t> ParseInteger(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  const std::string_view digits = text.front() == '-' ? text.substr(1) : text;
  if (digits.empty() || (digits.size() > 1 && digits.front() == '0')) return std::nullopt;
  if (text == "-0") return std::nullopt;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string ArityError(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return fmt::format("-ERR wrong number of arguments for '{}' command", lower);
}

// Options a fake master accepts without acting on them: redis-cli --rdb, valkey dual channel.
bool IsKnownOtherOption(std::string_view option) {
  return EqualsIgnoreCase(option, "rdb-only") || EqualsIgnoreCase(option, "rdb-filter-only") ||
         EqualsIgnoreCase(option, "rdb-channel") || EqualsIgnoreCase(option, "set-rdb-client-id");
}

constexpr std::string_view kNotAnInteger = "-ERR value is not an integer or out of range";

void ClassifyReplconf(ReplicaCommand* command) {
  using Kind = ReplicaCommandKind;
  const std::vector<std::string>& argv = command->argv;
  command->kind = Kind::kReplconfOther;
  if (argv.size() % 2 == 0) {
    command->error_reply = "-ERR syntax error";
    return;
  }
  for (size_t j = 1; j + 1 < argv.size(); j += 2) {
    const std::string& option = argv[j];
    const std::string& value = argv[j + 1];
    Kind kind = Kind::kReplconfOther;
    if (EqualsIgnoreCase(option, "listening-port")) {
      kind = Kind::kListeningPort;
      const auto port = ParseInteger(value);
      if (!port) {
        command->error_reply = std::string(kNotAnInteger);
      } else {
        command->listening_port = *port;
      }
    } else if (EqualsIgnoreCase(option, "ip-address")) {
      kind = Kind::kIpAddress;
      if (value.size() >= kMaxIpAddressLength) {
        command->error_reply = fmt::format(
            "-ERR REPLCONF ip-address provided by replica instance is too long: {} bytes",
            value.size());
      } else {
        command->ip_address = value;
      }
    } else if (EqualsIgnoreCase(option, "capa")) {
      kind = Kind::kCapa;
      command->capabilities.push_back(value);
    } else if (EqualsIgnoreCase(option, "version")) {
      kind = Kind::kVersion;
      command->version = value;
    } else if (EqualsIgnoreCase(option, "ack")) {
      kind = Kind::kAck;
      // Redis reads "ACK <off>" and returns at once: a FACK pair may follow, nothing else.
      const auto offset = ParseInteger(value);
      if (!offset || *offset < 0) {
        command->malformed =
            fmt::format("ACK offset \"{}\" is not a non-negative integer", EscapeBytes(value, 64));
      } else {
        ReplicaAck ack{static_cast<uint64_t>(*offset), std::nullopt};
        if (j + 3 < argv.size() && EqualsIgnoreCase(argv[j + 2], "fack")) {
          const auto fack = ParseInteger(argv[j + 3]);
          if (fack && *fack >= 0) {
            ack.fack = static_cast<uint64_t>(*fack);
          } else {
            command->malformed = fmt::format("FACK offset \"{}\" is not a non-negative integer",
                                             EscapeBytes(argv[j + 3], 64));
          }
        }
        command->ack = ack;
      }
    } else if (EqualsIgnoreCase(option, "getack")) {
      kind = Kind::kGetAck;
    } else {
      command->other_options.emplace_back(option, value);
      if (!IsKnownOtherOption(option)) {
        command->error_reply = "-ERR Unrecognized REPLCONF option: " + option;
      }
    }
    if (j == 1) command->kind = kind;
    // ACK and GETACK end the command in Redis: later pairs are never looked at.
    if (kind == Kind::kAck || kind == Kind::kGetAck) return;
    if (command->error_reply) return;
  }
}

void ClassifySync(ReplicaCommand* command) {
  const std::vector<std::string>& argv = command->argv;
  if (EqualsIgnoreCase(argv[0], "sync")) {
    command->kind = ReplicaCommandKind::kSync;
    if (argv.size() != 1) {
      command->error_reply = ArityError(argv[0]);
      return;
    }
    command->sync = SyncRequest{"?", -1, false, true};
    return;
  }
  command->kind = ReplicaCommandKind::kPsync;
  if (argv.size() < 3) {
    command->error_reply = ArityError(argv[0]);
    return;
  }
  const auto offset = ParseInteger(argv[2]);
  if (!offset) {
    command->error_reply = std::string(kNotAnInteger);
    return;
  }
  SyncRequest request;
  request.replid = argv[1];
  request.offset = *offset;
  request.failover = argv.size() > 3 && EqualsIgnoreCase(argv[3], "failover");
  command->sync = std::move(request);
}

}  // namespace

const char* ToString(ReplicaCommandKind kind) {
  switch (kind) {
    case ReplicaCommandKind::kKeepalive: return "keepalive";
    case ReplicaCommandKind::kPing: return "PING";
    case ReplicaCommandKind::kAuth: return "AUTH";
    case ReplicaCommandKind::kListeningPort: return "REPLCONF listening-port";
    case ReplicaCommandKind::kIpAddress: return "REPLCONF ip-address";
    case ReplicaCommandKind::kCapa: return "REPLCONF capa";
    case ReplicaCommandKind::kVersion: return "REPLCONF version";
    case ReplicaCommandKind::kAck: return "REPLCONF ACK";
    case ReplicaCommandKind::kGetAck: return "REPLCONF GETACK";
    case ReplicaCommandKind::kReplconfOther: return "REPLCONF (other)";
    case ReplicaCommandKind::kPsync: return "PSYNC";
    case ReplicaCommandKind::kSync: return "SYNC";
    case ReplicaCommandKind::kOther: return "other";
  }
  return "unknown";
}

std::string ReplicaCommand::Describe() const {
  if (argv.empty()) return "(newline)";
  std::string out;
  const bool is_auth = kind == ReplicaCommandKind::kAuth;
  for (size_t i = 0; i < argv.size(); ++i) {
    if (i > 0) out += ' ';
    out += is_auth && i > 0 ? std::string("<redacted>") : EscapeBytes(argv[i], 64);
    if (out.size() > 200) {
      out += " ...";
      break;
    }
  }
  return out;
}

ReplicaCommand ClassifyReplicaCommand(std::vector<std::string> argv) {
  ReplicaCommand command;
  command.argv = std::move(argv);
  if (command.argv.empty()) {
    command.kind = ReplicaCommandKind::kKeepalive;
    return command;
  }
  const std::string& name = command.argv[0];
  if (EqualsIgnoreCase(name, "ping")) {
    command.kind = ReplicaCommandKind::kPing;
    if (command.argv.size() > 2) command.error_reply = ArityError(name);
  } else if (EqualsIgnoreCase(name, "auth")) {
    command.kind = ReplicaCommandKind::kAuth;
    if (command.argv.size() < 2) {
      command.error_reply = ArityError(name);
    } else if (command.argv.size() > 3) {
      command.error_reply = "-ERR syntax error";
    } else {
      if (command.argv.size() == 3) command.auth_user = command.argv[1];
      command.auth_password = command.argv.back();
    }
  } else if (EqualsIgnoreCase(name, "replconf")) {
    ClassifyReplconf(&command);
  } else if (EqualsIgnoreCase(name, "psync") || EqualsIgnoreCase(name, "sync")) {
    ClassifySync(&command);
  } else {
    command.kind = ReplicaCommandKind::kOther;
  }
  return command;
}

}  // namespace conformance::repl
