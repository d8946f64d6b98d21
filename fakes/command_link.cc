#include "fakes/command_link.h"

#include <fmt/format.h>

#include "harness/common/escape.h"

namespace conformance::fakes {

namespace {

// Commands listed in a failure message.
constexpr size_t kFramesInErrors = 8;

}  // namespace

CommandLink::CommandLink(std::unique_ptr<net::Connection> connection, std::string channel,
                         Transcript* transcript, net::Duration timeout)
    : connection_(std::move(connection)), channel_(std::move(channel)), transcript_(transcript), timeout_(timeout) {}

CommandLink::~CommandLink() { Close(); }

net::Awaitable<Result<std::unique_ptr<CommandLink>>> CommandLink::Accept(net::Listener& listener, net::Duration wait,
                                                                         std::string channel, Transcript* transcript,
                                                                         net::FaultPlan faults, net::Duration timeout) {
  auto connection = co_await listener.Accept(wait, channel, transcript, std::move(faults));
  if (!connection.ok()) co_return connection.error();
  co_return std::make_unique<CommandLink>(std::move(connection).value(), std::move(channel), transcript, timeout);
}

net::Wait CommandLink::StartWait(net::Duration timeout) const {
  return net::Wait(timeout, connection_ ? connection_->bytes_received() : 0);
}

net::Awaitable<Result<repl::ReplicaCommand>> CommandLink::ReadCommand(const net::Wait& wait) {
  if (!connected()) co_return Error{"the link to the replica is closed", ErrorKind::kClosed};
  while (true) {
    std::vector<std::string> argv;
    switch (decoder_.NextArgv(&argv)) {
      case resp::DecodeStatus::kValue: {
        const uint64_t at = decoder_.consumed() - decoder_.last_size();
        repl::ReplicaCommand command = repl::ClassifyReplicaCommand(std::move(argv));
        transcript_->Frame(channel_, Direction::kReceived, at, decoder_.last_size(), command.Describe());
        if (command.kind == repl::ReplicaCommandKind::kKeepalive) {
          ++keepalives_received_;
        } else {
          received_.push_back(command);
        }
        co_return command;
      }
      case resp::DecodeStatus::kError:
        co_return Error{fmt::format("the replica sent bytes that are no command: {}", decoder_.error().message),
                        ErrorKind::kProtocol};
      case resp::DecodeStatus::kNeedMore: break;
    }
    std::string chunk;
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await connection_->ReadSome(&chunk, wait));
    decoder_.Feed(chunk);
  }
}

net::Awaitable<Status> CommandLink::Write(std::string_view bytes, std::string description) {
  if (!connected()) co_return Error{"the link to the replica is closed", ErrorKind::kClosed};
  transcript_->Frame(channel_, Direction::kSent, connection_->bytes_sent(), bytes.size(), description);
  co_return co_await connection_->Write(bytes, timeout_);
}

net::Awaitable<Status> CommandLink::WriteUnrecorded(std::string_view bytes) {
  if (!connected()) co_return Error{"the link to the replica is closed", ErrorKind::kClosed};
  co_return co_await connection_->Write(bytes, timeout_);
}

void CommandLink::CutAfterMoreSent(uint64_t bytes, net::CutAction action) {
  if (!connected()) return;
  connection_->faults().cut_after_sent = connection_->bytes_sent() + bytes;
  connection_->faults().cut_action = action;
  transcript_->Note(channel_, fmt::format("will {} the link after {} more bytes sent", net::ToString(action), bytes));
}

net::Awaitable<Status> CommandLink::ExpectClose(net::Duration timeout) {
  if (!connected()) co_return OkStatus();
  if (decoder_.buffered() > 0) {
    co_return Error{fmt::format("expected the replica to close the link, but it sent {} more bytes (frames "
                                "seen: {})",
                                decoder_.buffered(), FramesSeen()),
                    ErrorKind::kProtocol};
  }
  std::string unexpected;
  Status status = co_await connection_->WaitForClose(timeout, &unexpected);
  if (!status.ok()) {
    if (!unexpected.empty()) {
      co_return Error{fmt::format("expected the replica to close the link, but it sent \"{}\"", EscapeBytes(unexpected)),
                      ErrorKind::kProtocol};
    }
    co_return Error{"expected the replica to close the link: " + status.message(), status.error().kind};
  }
  transcript_->Note(channel_, "the replica closed the link");
  Close();
  co_return OkStatus();
}

void CommandLink::Close() {
  if (connection_) connection_->Close();
}

std::string CommandLink::FramesSeen() const {
  if (received_.empty()) return "none";
  std::string out;
  const size_t first = received_.size() > kFramesInErrors ? received_.size() - kFramesInErrors : 0;
  if (first > 0) out += fmt::format("... {} earlier, ", first);
  for (size_t i = first; i < received_.size(); ++i) {
    if (i > first) out += " | ";
    out += received_[i].Describe();
  }
  return out;
}

}  // namespace conformance::fakes
