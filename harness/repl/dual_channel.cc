#include "harness/repl/dual_channel.h"

#include <fmt/format.h>

#include <charconv>

#include "harness/common/escape.h"
#include "harness/repl/sync_reply.h"

namespace conformance::repl {

namespace {

constexpr std::string_view kPrefix = "$ENDOFF:";

Error Malformed(std::string_view line, std::string_view why) {
  return {fmt::format("malformed $ENDOFF line \"{}\": {}", EscapeBytes(line), why), ErrorKind::kProtocol};
}

// The next space-separated word of `rest`, consumed.
std::string_view NextWord(std::string_view& rest) {
  const size_t space = rest.find(' ');
  const std::string_view word = rest.substr(0, space);
  rest.remove_prefix(space == std::string_view::npos ? rest.size() : space + 1);
  return word;
}

template <typename T>
bool ParseNumber(std::string_view text, T* out) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return !text.empty() && error == std::errc() && end == text.data() + text.size();
}

}  // namespace

Result<EndOffset> ParseEndOffset(std::string_view line) {
  if (!line.starts_with(kPrefix)) return Malformed(line, "expected it to start with $ENDOFF:");
  std::string_view rest = line.substr(kPrefix.size());
  EndOffset end_offset;
  if (!ParseNumber(NextWord(rest), &end_offset.offset)) return Malformed(line, "the offset is no integer");
  const std::string_view replid = NextWord(rest);
  if (replid.size() != kReplidLength) return Malformed(line, "the replid is not 40 characters");
  end_offset.replid = std::string(replid);
  if (!ParseNumber(NextWord(rest), &end_offset.dbid) || end_offset.dbid < 0) {
    return Malformed(line, "the database id is no non-negative integer");
  }
  if (!ParseNumber(NextWord(rest), &end_offset.client_id)) return Malformed(line, "the client id is no integer");
  if (!rest.empty()) return Malformed(line, "unexpected words after the client id");
  return end_offset;
}

std::string EndOffsetLine(const EndOffset& end_offset) {
  return fmt::format("{}{} {} {} {}\r\n", kPrefix, end_offset.offset, end_offset.replid, end_offset.dbid,
                     end_offset.client_id);
}

std::vector<std::string> RdbChannelReplconf(uint16_t listening_port) {
  return {"REPLCONF", "capa", "eof", "rdb-only", "1", "rdb-channel", "1", "listening-port",
          std::to_string(listening_port)};
}

std::vector<std::string> SetRdbClientId(uint64_t client_id) {
  return {"REPLCONF", "set-rdb-client-id", std::to_string(client_id)};
}

}  // namespace conformance::repl
