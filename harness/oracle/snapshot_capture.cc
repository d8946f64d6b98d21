#include "harness/oracle/snapshot_capture.h"

#include <fmt/format.h>

#include <memory>
#include <vector>

#include "harness/common/escape.h"
#include "harness/rdb/reader.h"
#include "harness/repl/model_loader.h"
#include "harness/resp/encoder.h"

namespace conformance::oracle {

namespace {

constexpr const char* kChannel = "capture";

// The capture's link: writes commands, reads reply lines; `pending` keeps what came after.
// The whole capture is one wait.
class Link {
 public:
  Link(std::unique_ptr<net::Connection> connection, Transcript* transcript, net::Wait wait)
      : connection_(std::move(connection)), transcript_(transcript), wait_(wait) {}

  net::Awaitable<Status> Send(const std::vector<std::string>& argv, std::string shown) {
    const std::string bytes = resp::EncodeCommand(argv);
    if (transcript_) {
      transcript_->Frame(kChannel, Direction::kSent, connection_->bytes_sent(), bytes.size(),
                         shown);
    }
    co_return co_await connection_->Write(bytes, wait_.remaining());
  }

  // One reply line without CRLF ("+OK", "-ERR ...").
  net::Awaitable<Result<std::string>> ReadLine(const char* waiting_for) {
    while (true) {
      const size_t end = pending_.find("\r\n");
      if (end != std::string::npos) {
        std::string line = pending_.substr(0, end);
        pending_.erase(0, end + 2);
        if (transcript_) {
          transcript_->Frame(kChannel, Direction::kReceived, received_, end + 2, EscapeBytes(line));
        }
        received_ += end + 2;
        co_return line;
      }
      Status more = co_await ReadMore(waiting_for);
      if (!more.ok()) co_return more.error();
    }
  }

  net::Awaitable<Status> ReadMore(const char* waiting_for) {
    Status read = co_await connection_->ReadSome(&pending_, wait_);
    if (!read.ok()) {
      co_return Error{fmt::format("capture: waiting for {}: {}", waiting_for, read.message()),
                      read.error().kind};
    }
    co_return OkStatus();
  }

  std::string& pending() { return pending_; }
  void Close() { connection_->Close(); }

 private:
  std::unique_ptr<net::Connection> connection_;
  Transcript* transcript_;
  net::Wait wait_;
  std::string pending_;
  uint64_t received_ = 0;
};

// Sends a command whose reply must be +OK.
net::Awaitable<Status> ExpectOk(Link& link, const std::vector<std::string>& argv,
                                std::string shown) {
  CONFORMANCE_CO_RETURN_IF_ERROR(co_await link.Send(argv, shown));
  auto line = co_await link.ReadLine(shown.c_str());
  if (!line.ok()) co_return line.error();
  if (*line != "+OK") {
    co_return Error{
        fmt::format("capture: {}: Expected: +OK, received: \"{}\"", shown, EscapeBytes(*line)),
        ErrorKind::kProtocol};
  }
  co_return OkStatus();
}

// Receives the snapshot that follows SYNC into `out`.
net::Awaitable<Result<CaptureSummary>> Receive(Link& link, keyspace::Keyspace* out,
                                               CaptureSummary summary, Transcript* transcript) {
  repl::ModelLoader loader(out);
  rdb::Reader reader(&loader);
  repl::RdbTransfer transfer;
  auto sink = [&](std::string_view payload) -> Status { return reader.Feed(payload); };
  std::string& pending = link.pending();
  while (!transfer.done()) {
    // An error reply instead of a snapshot (-NOMASTERLINK on a replica without its master...).
    if (!transfer.in_payload() && pending.starts_with("-")) {
      auto line = co_await link.ReadLine("the error reply");
      if (!line.ok()) co_return line.error();
      // -NOMASTERLINK and -LOADING say something about the server's state; a plain error
      // says it serves no snapshot to a client here (a replica without chained replication).
      const bool state = line->starts_with("-NOMASTERLINK") || line->starts_with("-LOADING");
      co_return Error{fmt::format("capture: SYNC was refused: \"{}\"", EscapeBytes(*line)),
                      state ? ErrorKind::kProtocol : ErrorKind::kUnsupported};
    }
    auto used = transfer.Feed(pending, sink);
    if (!used.ok()) co_return Error{"capture: " + used.message(), used.error().kind};
    pending.erase(0, *used);
    if (transfer.done()) break;
    Status more = co_await link.ReadMore("the snapshot");
    if (!more.ok()) {
      co_return Error{
          fmt::format("{} after {} payload bytes", more.message(), transfer.payload_bytes()),
          more.error().kind};
    }
  }
  Status finished = reader.Finish();
  if (!finished.ok()) co_return Error{"capture: " + finished.message(), finished.error().kind};
  summary.framing = transfer.framing();
  summary.payload_bytes = transfer.payload_bytes();
  summary.keys = loader.keys();
  summary.rdb_version = loader.version();
  summary.keepalives = transfer.keepalives();
  if (transcript) transcript->Note(kChannel, summary.ToString());
  co_return summary;
}

// CONFIG GET of one parameter: its value, or nullopt if the server does not say (no CONFIG,
// unknown parameter, not allowed).
net::Awaitable<Result<std::optional<std::string>>> ConfigGet(Link& link, const std::string& name) {
  const std::vector<std::string> get = {"CONFIG", "GET", name};
  CONFORMANCE_CO_RETURN_IF_ERROR(co_await link.Send(get, "CONFIG GET " + name));
  // The reply is an array: *2 $<n> name $<n> value, *0, or an error line.
  auto header = co_await link.ReadLine("the reply to CONFIG GET");
  if (!header.ok()) co_return header.error();
  if (*header != "*2") co_return std::optional<std::string>{};
  std::vector<std::string> lines;
  for (int i = 0; i < 4; ++i) {
    auto line = co_await link.ReadLine("the reply to CONFIG GET");
    if (!line.ok()) co_return line.error();
    lines.push_back(std::move(line).value());
  }
  co_return std::optional<std::string>{lines[3]};
}

// Whether the master streams a diskless snapshot at once: repl-diskless-sync yes and
// repl-diskless-sync-delay 0.
net::Awaitable<Result<bool>> StreamsAtOnce(Link& link) {
  auto diskless = co_await ConfigGet(link, "repl-diskless-sync");
  if (!diskless.ok()) co_return diskless.error();
  if (*diskless != std::optional<std::string>("yes")) co_return false;
  auto delay = co_await ConfigGet(link, "repl-diskless-sync-delay");
  if (!delay.ok()) co_return delay.error();
  co_return *delay == std::optional<std::string>("0");
}

}  // namespace

std::string CaptureSummary::ToString() const {
  return fmt::format("snapshot captured{}: RDB v{} by {}, {} bytes, {} keys",
                     rdb_only ? " (rdb-only)" : "", rdb_version, repl::ToString(framing),
                     payload_bytes, keys);
}

net::Awaitable<Result<CaptureSummary>> CaptureKeyspace(std::string host, uint16_t port,
                                                       keyspace::Keyspace* out,
                                                       CaptureOptions options,
                                                       Transcript* transcript) {
  out->Clear();
  const net::Wait wait(options.timeout, /*received_before=*/0);
  auto connection =
      co_await net::Connection::Connect(host, port, options.timeout, kChannel, transcript);
  if (!connection.ok()) co_return connection.error();
  Link link(std::move(connection).value(), transcript, wait);
  CaptureSummary summary;
  if (options.password) {
    std::vector<std::string> auth = {"AUTH"};
    if (options.user) auth.push_back(*options.user);
    auth.push_back(*options.password);
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await ExpectOk(link, auth, "AUTH (password hidden)"));
  }
  if (options.listening_port) {
    const std::vector<std::string> replconf = {"REPLCONF", "listening-port",
                                               std::to_string(*options.listening_port)};
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await ExpectOk(
        link, replconf, fmt::format("REPLCONF listening-port {}", *options.listening_port)));
  }
  bool announce_eof = options.eof == EofMode::kAlways;
  if (options.eof == EofMode::kAuto) {
    auto streams = co_await StreamsAtOnce(link);
    if (!streams.ok()) co_return streams.error();
    announce_eof = *streams;
  }
  if (announce_eof) {
    const std::vector<std::string> capa = {"REPLCONF", "capa", "eof", "capa", "psync2"};
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await ExpectOk(link, capa, "REPLCONF capa eof capa psync2"));
  }
  if (options.rdb_only) {
    const std::vector<std::string> rdb_only = {"REPLCONF", "rdb-only", "1"};
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await link.Send(rdb_only, "REPLCONF rdb-only 1"));
    auto reply = co_await link.ReadLine("the reply to REPLCONF rdb-only");
    if (!reply.ok()) co_return reply.error();
    summary.rdb_only = *reply == "+OK";
    if (!summary.rdb_only && transcript) {
      transcript->Note(kChannel, "REPLCONF rdb-only refused: plain SYNC, closed after the payload");
    }
  }
  const std::vector<std::string> sync = {"SYNC"};
  CONFORMANCE_CO_RETURN_IF_ERROR(co_await link.Send(sync, "SYNC"));
  auto received = co_await Receive(link, out, summary, transcript);
  link.Close();
  co_return received;
}

}  // namespace conformance::oracle
