#include "harness/fuzz/request_mutators.h"

#include <algorithm>
#include <cstdlib>
#include <string>

#include "harness/fuzz/mutators.h"
#include "harness/resp/encoder.h"

namespace conformance::fuzz {

namespace {

void Encode(Request& request) {
  request.bytes.clear();
  resp::AppendCommand(&request.bytes, request.argv);
}

// A request of this kind, or any request when there is none.
Request* AnyOf(Requests& requests, RequestKind kind, Rng& rng) {
  std::vector<Request*> matching;
  for (Request& request : requests.items) {
    if (request.kind == kind) matching.push_back(&request);
  }
  if (matching.empty()) return nullptr;
  return matching[rng() % matching.size()];
}
Request* AnyRequest(Requests& requests, Rng& rng) {
  if (requests.items.empty()) return nullptr;
  return &requests.items[rng() % requests.items.size()];
}

// Where the sync request is (the end when there is none).
size_t SyncIndex(const Requests& requests) {
  for (size_t i = 0; i < requests.items.size(); ++i) {
    if (requests.items[i].kind == RequestKind::kSync) return i;
  }
  return requests.items.size();
}

// --- Arguments ---

void ListeningPort(Requests& requests, Rng& rng) {
  static const std::vector<std::string> kPorts = {"0", "-1", "65535", "65536", "abc", "", "6379x",
                                                  "99999999999999999999"};
  Request* request = AnyOf(requests, RequestKind::kListeningPort, rng);
  if (request == nullptr || request->argv.size() < 3) return;
  request->argv[2] = rng() % 2 == 0 ? Pick(rng, kPorts) : Pick(rng, InterestingNumbers());
  Encode(*request);
}
void Capa(Requests& requests, Rng& rng) {
  static const std::vector<std::vector<std::string>> kForms = {
      {"REPLCONF", "capa"}, {"REPLCONF", "capa", ""}, {"REPLCONF", "capa", "nosuchcapa"},
      {"REPLCONF", "capa", "eof", "capa"}, {"REPLCONF", "capa", "psync2", "capa", "psync2", "capa", "eof"},
      {"REPLCONF", "CAPA", "EOF"}, {"REPLCONF", "capa", "eof", "psync2"}};
  Request* request = AnyOf(requests, RequestKind::kCapa, rng);
  if (request == nullptr) return;
  request->argv = Pick(rng, kForms);
  Encode(*request);
}
// A REPLCONF option a replica of some release sends (or none sends), before the sync.
void ReplconfOption(Requests& requests, Rng& rng) {
  static const std::vector<std::vector<std::string>> kOptions = {
      {"REPLCONF", "ip-address", ""}, {"REPLCONF", "ip-address", std::string(1000, 'a')},
      {"REPLCONF", "ip-address", "::1"}, {"REPLCONF", "rdb-only", "1"}, {"REPLCONF", "rdb-only", "x"},
      {"REPLCONF", "rdb-filter-only", ""}, {"REPLCONF", "rdb-filter-only", "functions"},
      {"REPLCONF", "getack", "*"}, {"REPLCONF", "ack", "{offset}"}, {"REPLCONF", "fack", "1"},
      {"REPLCONF", "rdb-channel", "1"}, {"REPLCONF", "version", "99.99.99"},
      {"REPLCONF", "nosuchoption", "1"}, {"REPLCONF"}, {"REPLCONF", "listening-port"},
      {"REPLCONF", "a", "b", "c"}};
  Request added;
  added.kind = RequestKind::kOther;
  added.argv = Pick(rng, kOptions);
  Encode(added);
  const size_t at = Below(rng, SyncIndex(requests) + 1);
  requests.items.insert(requests.items.begin() + static_cast<std::ptrdiff_t>(at), std::move(added));
}
void PsyncReplid(Requests& requests, Rng& rng) {
  static const std::vector<std::string> kIds = {
      "?", "", "x", std::string(39, 'a'), std::string(41, 'a'), std::string(40, 'z'),
      std::string(40, '0'), std::string(300, 'a'), "{replid}", "{replid2}", "-1"};
  Request* request = AnyOf(requests, RequestKind::kSync, rng);
  if (request == nullptr || request->argv.size() < 3) return;
  request->argv[1] = Pick(rng, kIds);
  Encode(*request);
}
void PsyncOffset(Requests& requests, Rng& rng) {
  static const std::vector<std::string> kOffsets = {
      "{next}", "{offset}", "{next+1}", "{next+1000000}", "{backlog-first}", "{backlog-first-1}",
      "{second}", "{second+1}", "{offset-1}", "-1", "-2"};
  Request* request = AnyOf(requests, RequestKind::kSync, rng);
  if (request == nullptr || request->argv.size() < 3) return;
  // Half the time the master's own replid: offsets only matter to a master for its history.
  if (rng() % 2 == 0) request->argv[1] = rng() % 4 == 0 ? "{replid2}" : "{replid}";
  request->argv[2] = rng() % 2 == 0 ? Pick(rng, kOffsets) : Pick(rng, InterestingNumbers());
  Encode(*request);
}
void PsyncArguments(Requests& requests, Rng& rng) {
  static const std::vector<std::vector<std::string>> kForms = {
      {"PSYNC"}, {"PSYNC", "?"}, {"PSYNC", "{replid}", "{next}", "extra"}, {"psync", "?", "-1"},
      {"SYNC", "?", "-1"}, {"SYNC"}, {"PSYNC", "?", "-1", "?", "-1"}};
  Request* request = AnyOf(requests, RequestKind::kSync, rng);
  if (request == nullptr) return;
  request->argv = Pick(rng, kForms);
  Encode(*request);
}
void AckOffset(Requests& requests, Rng& rng) {
  static const std::vector<std::string> kOffsets = {"{offset+1}", "{offset+1000000}", "{offset-1}", "0",
                                                    "-1", "abc", "", "{next}"};
  Request* request = AnyOf(requests, RequestKind::kAck, rng);
  if (request == nullptr || request->argv.size() < 3) return;
  request->argv[2] = rng() % 2 == 0 ? Pick(rng, kOffsets) : Pick(rng, InterestingNumbers());
  Encode(*request);
}
void AckArguments(Requests& requests, Rng& rng) {
  static const std::vector<std::vector<std::string>> kForms = {
      {"REPLCONF", "ACK"}, {"REPLCONF", "ACK", "{offset}", "FACK", "{offset}"},
      {"REPLCONF", "ACK", "{offset}", "FACK", "-1"}, {"REPLCONF", "ACK", "{offset}", "FACK"},
      {"REPLCONF", "ACK", "{offset}", "extra", "args", "here"}, {"REPLCONF", "GETACK", "*"}};
  Request* request = AnyOf(requests, RequestKind::kAck, rng);
  if (request == nullptr) return;
  request->argv = Pick(rng, kForms);
  Encode(*request);
}
// A command a replica never sends on its link, after the sync (a master must not answer it
// as though from a client, rule M15; nor crash).
void StrayCommand(Requests& requests, Rng& rng) {
  static const std::vector<std::vector<std::string>> kCommands = {
      {"PING"}, {"SYNC"}, {"PSYNC", "?", "-1"}, {"MULTI"}, {"EXEC"}, {"SELECT", "99999"},
      {"REPLICAOF", "NO", "ONE"}, {"CLIENT", "KILL", "TYPE", "replica"}, {"MONITOR"},
      {"SUBSCRIBE", "x"}, {"WAIT", "1", "10"}, {"DEBUG", "SLEEP", "0"}, {"NOSUCHCOMMAND"}};
  Request added;
  added.kind = RequestKind::kOther;
  added.argv = Pick(rng, kCommands);
  Encode(added);
  const size_t first = std::min(SyncIndex(requests) + 1, requests.items.size());
  const size_t at = first + Below(rng, requests.items.size() - first + 1);
  requests.items.insert(requests.items.begin() + static_cast<std::ptrdiff_t>(at), std::move(added));
}

// --- Grammar: one request's bytes ---

template <void (*Mutation)(std::string&, Rng&)>
void OnRequest(Requests& requests, Rng& rng) {
  if (Request* request = AnyRequest(requests, rng)) Mutation(request->bytes, rng);
}
void Inline(std::string& bytes, Rng& rng) {
  (void)rng;
  // The command's words on one line, as telnet would send it.
  std::string line;
  size_t at = 0;
  while ((at = bytes.find('$', at)) != std::string::npos) {
    const size_t header_end = bytes.find("\r\n", at);
    if (header_end == std::string::npos) break;
    const size_t length = std::strtoul(bytes.c_str() + at + 1, nullptr, 10);
    line += (line.empty() ? "" : " ") + bytes.substr(header_end + 2, length);
    at = header_end + 2 + length;
  }
  bytes = line + "\r\n";
}
void Nesting(std::string& bytes, Rng& rng) {
  std::string frames;
  const size_t depth = 1 + Below(rng, 10000);
  for (size_t i = 0; i < depth; ++i) frames += "*1\r\n";
  bytes = frames + bytes;
}
void Length(std::string& bytes, Rng& rng) {
  static const std::vector<std::string> kFrames = {
      "*2147483647\r\n", "*-5\r\n", "*0\r\n", "*1\r\n$2147483647\r\n", "*1\r\n$-7\r\n",
      "*1\r\n$536870913\r\n", "*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$5\r\n1\r\n", "*1\r\n:5\r\n",
      "*99999999999999999999\r\n", "*1\r\n$1048576\r\n"};
  bytes = Pick(rng, kFrames) + bytes;
}

// --- The sequence ---

void Drop(Requests& requests, Rng& rng) {
  if (requests.items.empty()) return;
  requests.items.erase(requests.items.begin() + static_cast<std::ptrdiff_t>(Below(rng, requests.items.size())));
}
void Repeat(Requests& requests, Rng& rng) {
  if (requests.items.empty()) return;
  const size_t at = Below(rng, requests.items.size());
  Request copy = requests.items[at];
  requests.items.insert(requests.items.begin() + static_cast<std::ptrdiff_t>(at), std::move(copy));
}
void Swap(Requests& requests, Rng& rng) {
  if (requests.items.size() < 2) return;
  const size_t at = Below(rng, requests.items.size() - 1);
  std::swap(requests.items[at], requests.items[at + 1]);
}

}  // namespace

const std::vector<RequestMutator>& RequestMutators() {
  static const std::vector<RequestMutator> kMutators = {
      {"replconf.port", true, "the announced listening port: out of range, not a number", ListeningPort},
      {"replconf.capa", true, "the capabilities: none, unknown, repeated", Capa},
      {"replconf.option", true, "a REPLCONF option some release sends (or none does) before the sync", ReplconfOption},
      {"psync.replid", true, "PSYNC's replid: short, long, not hex, the master's previous one", PsyncReplid},
      {"psync.offset", true, "PSYNC's offset: at and past the backlog's ends, huge, negative", PsyncOffset},
      {"psync.args", true, "PSYNC with too few or too many arguments, or SYNC with some", PsyncArguments},
      {"ack.offset", true, "an ACK's offset: ahead of the master, behind, not a number", AckOffset},
      {"ack.args", true, "an ACK without its offset, with FACK, with extra arguments", AckArguments},
      {"link.stray-command", true, "a command a replica never sends, after the sync", StrayCommand},
      {"request.type-byte", false, "a request's first byte: another RESP type", OnRequest<TypeByte>},
      {"request.crlf", false, "a line ending of a request", OnRequest<Crlf>},
      {"request.number", false, "a length or number in a request: huge, negative, not a number", OnRequest<Number>},
      {"request.huge", false, "64 KiB or 4 MiB inserted into a request", OnRequest<Huge>},
      {"request.bytes", false, "a byte of a request", OnRequest<InterestingByte>},
      {"request.truncate", false, "a request cut short", OnRequest<Truncate>},
      {"request.inline", false, "a request sent as an inline command line", OnRequest<Inline>},
      {"request.nesting", false, "arrays nested up to 10000 deep before a request", OnRequest<Nesting>},
      {"request.length", false, "a frame with a huge, negative or wrong length before a request", OnRequest<Length>},
      {"order.drop", false, "a request left out", Drop},
      {"order.repeat", false, "a request sent twice", Repeat},
      {"order.swap", false, "two requests in the other order", Swap},
  };
  return kMutators;
}

const RequestMutator* FindRequestMutator(std::string_view name) {
  for (const RequestMutator& mutator : RequestMutators()) {
    if (mutator.name == name) return &mutator;
  }
  return nullptr;
}

Result<std::vector<std::string>> SelectRequestMutators(const std::vector<std::string>& globs) {
  std::vector<std::string_view> names;
  for (const RequestMutator& mutator : RequestMutators()) names.push_back(mutator.name);
  return SelectByGlobs(globs, names, "master direction");
}

}  // namespace conformance::fuzz
