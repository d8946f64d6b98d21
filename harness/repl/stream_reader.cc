#include "harness/repl/stream_reader.h"

#include <fmt/format.h>

#include "harness/common/text.h"

#include <algorithm>

#include "harness/common/escape.h"

namespace conformance::repl {

const char* ToString(StreamCommand::Kind kind) {
  switch (kind) {
    case StreamCommand::Kind::kWrite: return "write";
    case StreamCommand::Kind::kSelect: return "select";
    case StreamCommand::Kind::kPing: return "ping";
    case StreamCommand::Kind::kGetAck: return "getack";
    case StreamCommand::Kind::kReplconf: return "replconf";
    case StreamCommand::Kind::kMulti: return "multi";
    case StreamCommand::Kind::kExec: return "exec";
    case StreamCommand::Kind::kKeepalive: return "keepalive";
    case StreamCommand::Kind::kInline: return "inline";
    case StreamCommand::Kind::kReply: return "reply";
  }
  return "unknown";
}

StreamCommand::Kind Classify(const std::vector<std::string>& argv) {
  using Kind = StreamCommand::Kind;
  if (argv.empty()) return Kind::kKeepalive;
  const std::string& name = argv[0];
  if (EqualsIgnoreCase(name, "select")) return Kind::kSelect;
  if (EqualsIgnoreCase(name, "ping")) return Kind::kPing;
  if (EqualsIgnoreCase(name, "multi")) return Kind::kMulti;
  if (EqualsIgnoreCase(name, "exec")) return Kind::kExec;
  if (EqualsIgnoreCase(name, "replconf")) {
    return argv.size() >= 2 && EqualsIgnoreCase(argv[1], "getack") ? Kind::kGetAck
                                                                   : Kind::kReplconf;
  }
  return Kind::kWrite;
}

std::string StreamCommand::ToString() const {
  std::string words;
  for (const std::string& arg : argv) {
    if (!words.empty()) words += ' ';
    words += EscapeBytes(arg, 64);
    if (words.size() > 200) {
      words += " ...";
      break;
    }
  }
  return fmt::format("@{} +{} {}{}", offset, size, kind == Kind::kKeepalive ? "(newline)" : "",
                     words);
}

StreamReader::StreamReader(uint64_t start_offset)
    : decoder_(resp::DecoderMode::kCommands), offset_(start_offset) {}

void StreamReader::Feed(std::string_view bytes) { decoder_.Feed(bytes); }

Result<std::optional<StreamCommand>> StreamReader::Next() {
  resp::Value value;
  switch (decoder_.Next(&value)) {
    case resp::DecodeStatus::kNeedMore:
      return std::optional<StreamCommand>();
    case resp::DecodeStatus::kError:
      return Error{fmt::format("replication stream at offset {}: {}", offset_,
                               decoder_.error().message),
                   ErrorKind::kProtocol};
    case resp::DecodeStatus::kValue:
      break;
  }
  StreamCommand command;
  command.offset = offset_;
  command.size = decoder_.last_size();
  offset_ += command.size;
  if (value.type == resp::Type::kArray) {
    for (resp::Value& element : value.elements) {
      if (element.type != resp::Type::kBulkString || element.is_null) {
        return Error{fmt::format("replication stream at offset {}: command argument is {}, "
                                 "expected a bulk string",
                                 command.offset, element.ToString()),
                     ErrorKind::kProtocol};
      }
      command.argv.push_back(std::move(element.str));
    }
    command.kind = Classify(command.argv);
    if (command.argv.empty()) command.kind = StreamCommand::Kind::kInline;
  } else if (value.type == resp::Type::kInline) {
    command.argv = value.AsArgv();
    // Like a Redis replica, the reader takes any line that is no multibulk as inline text; one
    // that starts as a reply does ("+OK") is told apart, as a master must never reply.
    const bool reply = !command.argv.empty() && !command.argv.front().empty() &&
                       std::string_view("+-:").find(command.argv.front().front()) != std::string_view::npos;
    command.kind = command.argv.empty() ? StreamCommand::Kind::kKeepalive
                   : reply              ? StreamCommand::Kind::kReply
                                        : StreamCommand::Kind::kInline;
  } else {
    return Error{fmt::format("replication stream at offset {}: expected a command, got {}",
                             command.offset, value.ToString()),
                 ErrorKind::kProtocol};
  }
  return std::optional<StreamCommand>(std::move(command));
}

}  // namespace conformance::repl
