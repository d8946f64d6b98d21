#include "harness/net/connection.h"

#include <asio/connect.hpp>
#include <asio/write.hpp>
#include <fmt/format.h>

#include <algorithm>

#include "harness/net/timeout.h"

namespace conformance::net {

using namespace asio::experimental::awaitable_operators;
using Clock = std::chrono::steady_clock;

namespace {

constexpr size_t kReadChunk = 64 * 1024;

Error IoError(const asio::error_code& ec, const std::string& channel, const char* what) {
  if (ec == asio::error::eof) {
    return {fmt::format("{}: peer closed the connection while {}", channel, what),
            ErrorKind::kClosed};
  }
  if (ec == asio::error::connection_reset || ec == asio::error::connection_refused ||
      ec == asio::error::broken_pipe || ec == asio::error::connection_aborted) {
    return {fmt::format("{}: connection {} while {}", channel, ec.message(), what),
            ErrorKind::kReset};
  }
  return {fmt::format("{}: {} while {}", channel, ec.message(), what), ErrorKind::kGeneric};
}

Duration Remaining(Clock::time_point deadline) {
  return std::max(Duration{0}, std::chrono::duration_cast<Duration>(deadline - Clock::now()));
}

}  // namespace

Connection::Connection(asio::ip::tcp::socket socket, std::string channel, Transcript* transcript,
                       FaultPlan faults)
    : socket_(std::move(socket)),
      channel_(std::move(channel)),
      transcript_(transcript),
      faults_(faults),
      rng_(faults.seed) {
  asio::error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  if (transcript_ && !faults_.empty()) transcript_->Note(channel_, "fault plan: " + faults_.ToString());
}

Connection::~Connection() { Close(); }

Awaitable<Result<std::unique_ptr<Connection>>> Connection::Connect(std::string host, uint16_t port,
                                                                   Duration timeout,
                                                                   std::string channel,
                                                                   Transcript* transcript,
                                                                   FaultPlan faults) {
  auto executor = co_await asio::this_coro::executor;
  asio::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) co_return Error{fmt::format("{}: bad address '{}': {}", channel, host, ec.message())};
  asio::ip::tcp::socket socket(executor);
  asio::steady_timer timer(executor, timeout);
  const asio::ip::tcp::endpoint endpoint(address, port);
  auto result = co_await (socket.async_connect(endpoint, kNoThrow) ||
                          timer.async_wait(kNoThrow));
  if (result.index() == 1) {
    co_return Error{fmt::format("{}: timed out after {} ms connecting to {}:{}", channel,
                                timeout.count(), host, port),
                    ErrorKind::kTimeout};
  }
  if (auto [connect_ec] = std::get<0>(result); connect_ec) {
    Error error = IoError(connect_ec, channel, "connecting");
    error.message += fmt::format(" ({}:{})", host, port);
    co_return error;
  }
  if (transcript) transcript->Note(channel, fmt::format("connected to {}:{}", host, port));
  co_return std::make_unique<Connection>(std::move(socket), std::move(channel), transcript,
                                         faults);
}

Awaitable<Status> Connection::ReadSome(std::string* buffer, Duration timeout) {
  co_return co_await ReadSome(buffer, StartWait(timeout));
}

Awaitable<Status> Connection::ReadSome(std::string* buffer, const Wait& wait) {
  if (!open_) co_return Error{channel_ + ": read on a closed connection", ErrorKind::kClosed};
  if (faults_.cut_after_received && bytes_received_ >= *faults_.cut_after_received) {
    co_return FireCut("its receive cut was reached");
  }
  const size_t old_size = buffer->size();
  buffer->resize(old_size + kReadChunk);
  asio::steady_timer timer(socket_.get_executor(), wait.deadline());
  auto result = co_await (
      socket_.async_read_some(asio::buffer(buffer->data() + old_size, kReadChunk), kNoThrow) ||
      timer.async_wait(kNoThrow));
  if (result.index() == 1) {
    buffer->resize(old_size);
    const uint64_t arrived = wait.ReceivedSince(bytes_received_);
    const std::string what = arrived == 0
                                 ? std::string("nothing arrived")
                                 : fmt::format("{} bytes arrived in that time", arrived);
    co_return Error{fmt::format("{}: timed out after {} ms waiting for data ({})", channel_,
                                wait.length().count(), what),
                    ErrorKind::kTimeout};
  }
  auto [ec, n] = std::get<0>(result);
  if (ec) {
    buffer->resize(old_size);
    open_ = false;
    co_return IoError(ec, channel_, "reading");
  }
  if (faults_.cut_after_received && bytes_received_ + n > *faults_.cut_after_received) {
    n = *faults_.cut_after_received - bytes_received_;
  }
  buffer->resize(old_size + n);
  bytes_received_ += n;
  if (n == 0) co_return FireCut("its receive cut was reached");
  co_return OkStatus();
}

Awaitable<Status> Connection::Write(std::string_view bytes, Duration timeout) {
  if (!open_) co_return Error{channel_ + ": write on a closed connection", ErrorKind::kClosed};
  const auto deadline = Clock::now() + timeout;
  bool cut = false;
  if (faults_.cut_after_sent && bytes_sent_ + bytes.size() >= *faults_.cut_after_sent) {
    bytes = bytes.substr(0, *faults_.cut_after_sent - bytes_sent_);
    cut = true;
  }
  while (!bytes.empty()) {
    size_t chunk = bytes.size();
    if (faults_.max_chunk > 0) {
      std::uniform_int_distribution<size_t> pick(1, faults_.max_chunk);
      chunk = std::min(chunk, pick(rng_));
    }
    if (faults_.delay_per_chunk.count() > 0) co_await Pause(faults_.delay_per_chunk);
    if (faults_.throttle_bytes_per_second > 0) {
      chunk = std::min<size_t>(chunk, std::max<uint64_t>(1, faults_.throttle_bytes_per_second / 10));
      co_await Pause(std::chrono::microseconds(chunk * 1000000 / faults_.throttle_bytes_per_second));
    }
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await WriteChunk(bytes.substr(0, chunk), deadline));
    bytes.remove_prefix(chunk);
  }
  if (cut) co_return FireCut("its send cut was reached");
  co_return OkStatus();
}

Awaitable<Status> Connection::WriteChunk(std::string_view chunk, Clock::time_point deadline) {
  asio::steady_timer timer(socket_.get_executor(), Remaining(deadline));
  auto result = co_await (asio::async_write(socket_, asio::buffer(chunk), kNoThrow) ||
                          timer.async_wait(kNoThrow));
  if (result.index() == 1) {
    co_return Error{fmt::format("{}: timed out writing (the peer does not read)", channel_),
                    ErrorKind::kTimeout};
  }
  auto [ec, n] = std::get<0>(result);
  bytes_sent_ += n;
  if (ec) {
    open_ = false;
    co_return IoError(ec, channel_, "writing");
  }
  co_return OkStatus();
}

Awaitable<Status> Connection::WaitForClose(Duration timeout, std::string* unexpected) {
  const Wait wait = StartWait(timeout);
  while (true) {
    std::string data;
    Status status = co_await ReadSome(&data, wait);
    if (!status.ok()) {
      if (status.error().kind == ErrorKind::kClosed || status.error().kind == ErrorKind::kReset) {
        co_return OkStatus();
      }
      co_return status;
    }
    if (unexpected) *unexpected += data;
    co_return Error{fmt::format("{}: expected the peer to close, but it sent {} bytes", channel_,
                                data.size()),
                    ErrorKind::kProtocol};
  }
}

Status Connection::FireCut(const char* why) {
  const std::string what =
      fmt::format("{} after {} bytes sent and {} received ({} because {})",
                  ToString(faults_.cut_action), bytes_sent_, bytes_received_, channel_, why);
  if (transcript_) transcript_->Fault(channel_, what);
  switch (faults_.cut_action) {
    case CutAction::kClose: Close(); break;
    case CutAction::kReset: Reset(); break;
    case CutAction::kHalfClose: ShutdownWrite(); break;
  }
  faults_.cut_after_sent.reset();
  if (faults_.cut_action != CutAction::kHalfClose) faults_.cut_after_received.reset();
  return Error{"connection cut by the fault plan: " + what, ErrorKind::kFault};
}

void Connection::CutAfterMoreReceived(uint64_t bytes, CutAction action) {
  faults_.cut_after_received = bytes_received_ + bytes;
  faults_.cut_action = action;
}

void Connection::Close() {
  if (!socket_.is_open()) return;
  asio::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  open_ = false;
}

void Connection::Reset() {
  if (!socket_.is_open()) return;
  asio::error_code ignored;
  socket_.set_option(asio::socket_base::linger(true, 0), ignored);
  socket_.close(ignored);
  open_ = false;
}

void Connection::ShutdownWrite() {
  asio::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
}

uint16_t Connection::local_port() const {
  asio::error_code ec;
  auto endpoint = socket_.local_endpoint(ec);
  return ec ? 0 : endpoint.port();
}

uint16_t Connection::remote_port() const {
  asio::error_code ec;
  auto endpoint = socket_.remote_endpoint(ec);
  return ec ? 0 : endpoint.port();
}

Result<std::unique_ptr<Listener>> Listener::Bind(asio::any_io_executor executor,
                                                 const std::string& host, uint16_t port) {
  asio::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return Error{fmt::format("bad listen address '{}': {}", host, ec.message())};
  asio::ip::tcp::acceptor acceptor(executor);
  const asio::ip::tcp::endpoint endpoint(address, port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Error{fmt::format("cannot listen on {}:{}: {}", host, port, ec.message())};
  return std::make_unique<Listener>(std::move(acceptor));
}

Listener::Listener(asio::ip::tcp::acceptor acceptor)
    : acceptor_(std::move(acceptor)), port_(acceptor_.local_endpoint().port()) {}

Awaitable<Result<std::unique_ptr<Connection>>> Listener::Accept(Duration timeout,
                                                                std::string channel,
                                                                Transcript* transcript,
                                                                FaultPlan faults) {
  asio::ip::tcp::socket socket(acceptor_.get_executor());
  asio::steady_timer timer(acceptor_.get_executor(), timeout);
  auto result = co_await (acceptor_.async_accept(socket, kNoThrow) || timer.async_wait(kNoThrow));
  if (result.index() == 1) {
    co_return Error{fmt::format("{}: timed out after {} ms waiting for a connection on port {}",
                                channel, timeout.count(), port_),
                    ErrorKind::kTimeout};
  }
  if (auto [ec] = std::get<0>(result); ec) {
    co_return Error{fmt::format("{}: accept failed: {}", channel, ec.message())};
  }
  if (transcript) {
    asio::error_code ec;
    transcript->Note(channel, fmt::format("accepted a connection from port {}",
                                          socket.remote_endpoint(ec).port()));
  }
  co_return std::make_unique<Connection>(std::move(socket), std::move(channel), transcript,
                                         faults);
}

void Listener::Close() {
  asio::error_code ignored;
  acceptor_.close(ignored);
}

}  // namespace conformance::net
