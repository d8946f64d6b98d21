#include "harness/repl/sync_reply.h"

#include <fmt/format.h>

#include <charconv>

#include "harness/common/escape.h"

namespace conformance::repl {

namespace {

bool IsHexId(std::string_view id) {
  if (id.size() != kReplidLength) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Error Malformed(std::string_view line, std::string_view why) {
  return {fmt::format("malformed PSYNC reply \"{}\": {}", EscapeBytes(line), why),
          ErrorKind::kProtocol};
}

}  // namespace

const char* ToString(SyncReply::Kind kind) {
  switch (kind) {
    case SyncReply::Kind::kFullResync: return "FULLRESYNC";
    case SyncReply::Kind::kContinue: return "CONTINUE";
    case SyncReply::Kind::kRetryLater: return "retry later";
    case SyncReply::Kind::kError: return "error";
    case SyncReply::Kind::kDualChannel: return "DUALCHANNELSYNC";
  }
  return "unknown";
}

Result<SyncReply> ParseSyncReply(std::string_view line) {
  SyncReply reply;
  reply.line = std::string(line);
  if (line.starts_with("+FULLRESYNC")) {
    reply.kind = SyncReply::Kind::kFullResync;
    std::string_view rest = line.substr(11);
    if (!rest.starts_with(' ')) return Malformed(line, "expected ' <replid> <offset>'");
    rest.remove_prefix(1);
    const size_t space = rest.find(' ');
    if (space == std::string_view::npos) return Malformed(line, "missing offset");
    const std::string_view id = rest.substr(0, space);
    if (!IsHexId(id)) return Malformed(line, "replid is not 40 lowercase hex characters");
    const std::string_view offset = rest.substr(space + 1);
    auto [end, ec] = std::from_chars(offset.data(), offset.data() + offset.size(), reply.offset);
    if (ec != std::errc() || end != offset.data() + offset.size()) {
      return Malformed(line, "offset is not an integer");
    }
    reply.replid = std::string(id);
    return reply;
  }
  if (line.starts_with("+CONTINUE")) {
    reply.kind = SyncReply::Kind::kContinue;
    std::string_view rest = line.substr(9);
    if (rest.empty()) return reply;
    if (!rest.starts_with(' ')) return Malformed(line, "expected '+CONTINUE [<replid>]'");
    rest.remove_prefix(1);
    if (!IsHexId(rest)) return Malformed(line, "new replid is not 40 lowercase hex characters");
    reply.replid = std::string(rest);
    return reply;
  }
  if (line == "+DUALCHANNELSYNC") {
    reply.kind = SyncReply::Kind::kDualChannel;
    return reply;
  }
  if (line.starts_with("-NOMASTERLINK") || line.starts_with("-LOADING")) {
    reply.kind = SyncReply::Kind::kRetryLater;
    return reply;
  }
  if (line.starts_with("-")) {
    reply.kind = SyncReply::Kind::kError;
    return reply;
  }
  return Malformed(line, "expected +FULLRESYNC, +CONTINUE, +DUALCHANNELSYNC or an error");
}

}  // namespace conformance::repl
