#include "harness/repl/master_handshake.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "harness/common/text.h"
#include "harness/rules/ids.h"

namespace conformance::repl {

namespace {

using Kind = ReplicaCommandKind;

constexpr int kNoRank = -1;
constexpr int kRepeatableRank = 6;  // other REPLCONF options

// Position of a step in the handshake order; kNoRank for commands outside it.
int RankOf(Kind kind) {
  switch (kind) {
    case Kind::kPing: return 0;
    case Kind::kAuth: return 1;
    case Kind::kListeningPort: return 2;
    case Kind::kIpAddress: return 3;
    case Kind::kCapa: return 4;
    case Kind::kVersion: return 5;
    case Kind::kReplconfOther: return kRepeatableRank;
    case Kind::kPsync: return 7;
    case Kind::kSync: return 8;
    default: return kNoRank;
  }
}

constexpr std::array<Kind, 9> kOrder = {Kind::kPing,          Kind::kAuth,  Kind::kListeningPort,
                                        Kind::kIpAddress,     Kind::kCapa,  Kind::kVersion,
                                        Kind::kReplconfOther, Kind::kPsync, Kind::kSync};


std::string Line(std::string_view text) { return std::string(text) + "\r\n"; }

constexpr std::string_view kNoAuth = "-NOAUTH Authentication required.";
constexpr std::string_view kWrongPass =
    "-WRONGPASS invalid username-password pair or user is disabled.";

}  // namespace

bool ReplicaAnnounce::HasCapability(std::string_view capability) const {
  return std::any_of(capabilities.begin(), capabilities.end(),
                     [&](const std::string& c) { return EqualsIgnoreCase(c, capability); });
}

MasterHandshake::MasterHandshake(MasterHandshakeOptions options)
    : options_(std::move(options)), authenticated_(!options_.password.has_value()) {}

std::string MasterHandshake::Expected() const {
  std::vector<std::string> names;
  for (Kind kind : kOrder) {
    const int rank = RankOf(kind);
    if (rank > rank_ || (rank == kRepeatableRank && rank_ == kRepeatableRank)) {
      names.emplace_back(ToString(kind));
    }
    // Nothing may come before the opening PING.
    if (rank_ == kNoRank && options_.require_ping_first) break;
  }
  if (names.empty()) return "nothing (the handshake is over)";
  if (names.size() == 1) return names.front();
  return fmt::format("one of {}", fmt::join(names, ", "));
}

std::string MasterHandshake::AuthReply(const ReplicaCommand& command) {
  const std::string user = command.auth_user.value_or("default");
  if (!options_.password) {
    // The default user is "nopass": the two-argument form is a configuration mistake.
    if (!command.auth_user) {
      return Line(
          "-ERR AUTH <password> called without any password configured for the "
          "default user. Are you sure your configuration is correct?");
    }
    if (user == "default") return Line("+OK");
    return Line(kWrongPass);
  }
  if (user == options_.user && command.auth_password == options_.password) {
    authenticated_ = true;
    return Line("+OK");
  }
  return Line(kWrongPass);
}

// The Redis step a dialect's command stands for: a PING alias is a PING; a REPLCONF option of
// the dialect is a known one.
ReplicaCommand AsRedisStep(const ReplicaCommand& command, const HandshakeDialect& dialect) {
  if (command.kind == Kind::kReplconfOther && !command.other_options.empty()) {
    for (const auto& [option, reply] : dialect.replconf_replies) {
      if (!EqualsIgnoreCase(command.other_options[0].first, option)) continue;
      ReplicaCommand known = command;
      known.error_reply.reset();
      return known;
    }
  }
  if (command.kind != Kind::kOther || command.argv.empty()) return command;
  for (const std::string& alias : dialect.ping_aliases) {
    if (!EqualsIgnoreCase(command.argv[0], alias)) continue;
    ReplicaCommand ping = command;
    ping.kind = Kind::kPing;
    ping.error_reply.reset();
    return ping;
  }
  return command;
}

HandshakeStep MasterHandshake::OnCommand(const ReplicaCommand& received) {
  const ReplicaCommand command = AsRedisStep(received, options_.dialect);
  HandshakeStep step;
  if (command.kind == Kind::kKeepalive) return step;

  const int rank = RankOf(command.kind);
  const bool repeated = (rank == kRepeatableRank && rank_ == kRepeatableRank) ||
                        (command.kind == Kind::kCapa && rank == rank_ && options_.dialect.repeated_capa);
  const bool in_order = rank != kNoRank && (rank > rank_ || repeated) &&
                        (rank_ != kNoRank || !options_.require_ping_first || command.kind == Kind::kPing);
  if (done_ || !in_order) {
    step.violation = fmt::format("Expected: {}, received: {}", done_ ? "nothing" : Expected(),
                                 command.Describe());
    step.violated_rule = rank_ == kNoRank && options_.require_ping_first
                             ? rules::kHandshakeOpensWithPing
                             : rules::kHandshakeAnnounces;
  }
  if (rank != kNoRank && rank > rank_) rank_ = rank;

  // Redis checks arity before authentication, and the command's own arguments after.
  const bool arity_error =
      command.error_reply && command.error_reply->starts_with("-ERR wrong number of arguments");
  if (command.kind == Kind::kAck || command.kind == Kind::kGetAck) return step;
  if (arity_error) {
    step.reply = Line(*command.error_reply);
    return step;
  }
  if (command.kind == Kind::kAuth) {
    step.reply = command.error_reply ? Line(*command.error_reply) : AuthReply(command);
    return step;
  }
  if (!authenticated_) {
    step.reply = Line(kNoAuth);
    return step;
  }
  if (command.error_reply) {
    step.reply = Line(*command.error_reply);
    return step;
  }
  switch (command.kind) {
    case Kind::kPing:
      step.reply = command.argv.size() == 2
                       ? fmt::format("${}\r\n{}\r\n", command.argv[1].size(), command.argv[1])
                       : Line("+PONG");
      break;
    case Kind::kListeningPort:
    case Kind::kIpAddress:
    case Kind::kCapa:
    case Kind::kVersion:
    case Kind::kReplconfOther:
      if (command.listening_port) announce_.listening_port = command.listening_port;
      if (command.ip_address) announce_.ip_address = command.ip_address;
      if (command.version) announce_.version = command.version;
      announce_.capabilities.insert(announce_.capabilities.end(), command.capabilities.begin(),
                                    command.capabilities.end());
      step.reply = Line("+OK");
      for (const auto& [option, reply] : options_.dialect.replconf_replies) {
        if (!command.other_options.empty() && EqualsIgnoreCase(command.other_options[0].first, option)) {
          step.reply = Line(reply);
        }
      }
      break;
    case Kind::kPsync:
    case Kind::kSync:
      step.sync_requested = true;
      done_ = true;
      break;
    default: step.reply = Line(fmt::format("-ERR unknown command '{}'", command.argv[0])); break;
  }
  return step;
}

}  // namespace conformance::repl
