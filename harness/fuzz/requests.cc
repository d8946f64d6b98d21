#include "harness/fuzz/requests.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>

#include "harness/resp/encoder.h"

namespace conformance::fuzz {

namespace {

// A port a replica could announce, a function of the seed (never one the master listens on
// matters: the master only reports it).
std::string ListeningPort(uint64_t seed) { return std::to_string(20000 + seed % 40000); }

Request Make(RequestKind kind, std::vector<std::string> argv) {
  Request request;
  request.kind = kind;
  request.argv = std::move(argv);
  resp::AppendCommand(&request.bytes, request.argv);
  return request;
}

// The value of "{name}" or "{name+N}" / "{name-N}", nullopt when `text` is no placeholder.
std::optional<std::string> Placeholder(std::string_view text, const MasterPosition& position) {
  if (text.size() < 3 || text.front() != '{' || text.back() != '}') return std::nullopt;
  std::string_view body = text.substr(1, text.size() - 2);
  int64_t delta = 0;
  // A delta is a sign and digits at the end ("backlog-first" has a dash of its own).
  const size_t sign = body.find_last_of("+-");
  if (sign != std::string_view::npos && sign > 0) {
    const std::string_view digits = body.substr(sign + 1);
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), delta);
    if (!digits.empty() && error == std::errc() && end == digits.data() + digits.size()) {
      if (body[sign] == '-') delta = -delta;
      body = body.substr(0, sign);
    } else {
      delta = 0;
    }
  }
  if (body == "replid" && delta == 0) return position.replid;
  if (body == "replid2" && delta == 0) return position.replid2.empty() ? std::string(40, '0') : position.replid2;
  std::optional<int64_t> number;
  if (body == "offset") number = position.offset;
  if (body == "next") number = position.offset + 1;
  if (body == "backlog-first") number = position.backlog_first;
  if (body == "second") number = position.second_offset;
  if (!number) return std::nullopt;
  return std::to_string(*number + delta);
}

}  // namespace

Requests BuildRequests(const RequestOptions& options) {
  Requests requests;
  requests.options = options;
  requests.items.push_back(Make(RequestKind::kPing, {"PING"}));
  requests.items.push_back(
      Make(RequestKind::kListeningPort, {"REPLCONF", "listening-port", ListeningPort(options.seed)}));
  if (options.psync) {
    requests.items.push_back(Make(RequestKind::kCapa, {"REPLCONF", "capa", "eof", "capa", "psync2"}));
    requests.items.push_back(options.partial ? Make(RequestKind::kSync, {"PSYNC", "{replid}", "{next}"})
                                             : Make(RequestKind::kSync, {"PSYNC", "?", "-1"}));
  } else {
    requests.items.push_back(Make(RequestKind::kSync, {"SYNC"}));
  }
  for (int i = 0; i < options.acks; ++i) {
    requests.items.push_back(Make(RequestKind::kAck, {"REPLCONF", "ACK", "{offset}"}));
  }
  return requests;
}

std::string FillPlaceholders(std::string_view bytes, const MasterPosition& position) {
  std::string out;
  size_t at = 0;
  while (at < bytes.size()) {
    const size_t open = bytes.find('{', at);
    if (open == std::string_view::npos) break;
    const size_t close = bytes.find('}', open);
    if (close == std::string_view::npos) break;
    const std::string_view token = bytes.substr(open, close - open + 1);
    const std::optional<std::string> value = Placeholder(token, position);
    if (!value) {
      out.append(bytes.substr(at, open + 1 - at));
      at = open + 1;
      continue;
    }
    // "$<token size>\r\n<token>": the bulk's length follows the value.
    const std::string header = fmt::format("${}\r\n", token.size());
    std::string_view before = bytes.substr(at, open - at);
    if (before.size() >= header.size() && before.substr(before.size() - header.size()) == header) {
      before.remove_suffix(header.size());
      out.append(before);
      out += fmt::format("${}\r\n", value->size());
    } else {
      out.append(before);
    }
    out += *value;
    at = close + 1;
  }
  out.append(bytes.substr(std::min(at, bytes.size())));
  return out;
}

}  // namespace conformance::fuzz
