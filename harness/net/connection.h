// A TCP connection on asio C++20 coroutines. Every wait takes a timeout and fails with
// ErrorKind::kTimeout, kClosed, kReset or kFault, so callers report each apart; nothing blocks
// forever. The fault plan is applied here, on the wire, and nowhere else.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <string_view>

#include "harness/common/result.h"
#include "harness/common/transcript.h"
#include "harness/net/fault_plan.h"
#include "harness/net/wait.h"

namespace conformance::net {

template <typename T>
using Awaitable = asio::awaitable<T>;
using Duration = std::chrono::milliseconds;

inline constexpr Duration kDefaultTimeout{10000};

class Connection {
 public:
  // `channel` names the connection in the transcript ("replica", "admin", ...).
  Connection(asio::ip::tcp::socket socket, std::string channel, Transcript* transcript,
             FaultPlan faults = {});
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Connects to host:port (loopback in practice) within the timeout.
  static Awaitable<Result<std::unique_ptr<Connection>>> Connect(
      std::string host, uint16_t port, Duration timeout, std::string channel,
      Transcript* transcript, FaultPlan faults = {});

  // Starts a wait of `timeout` that may take many reads.
  Wait StartWait(Duration timeout) const { return Wait(timeout, bytes_received_); }
  // Appends at least one byte to *buffer, or fails (timeout, closed, reset, fault). A timeout
  // names the whole wait and the bytes received during it.
  Awaitable<Status> ReadSome(std::string* buffer, const Wait& wait);
  // A wait of one read.
  Awaitable<Status> ReadSome(std::string* buffer, Duration timeout);
  // Writes every byte, applying the fault plan (chunks, delay, throttle, cut).
  Awaitable<Status> Write(std::string_view bytes, Duration timeout);
  // Waits until the peer closes; fails with kTimeout if it does not, or kProtocol if it sends
  // data (the data is appended to *unexpected).
  Awaitable<Status> WaitForClose(Duration timeout, std::string* unexpected);

  void Close();
  void Reset();
  void ShutdownWrite();
  bool is_open() const { return open_; }

  // Arms a cut relative to what was read so far (e.g. "half of the RDB payload from here").
  void CutAfterMoreReceived(uint64_t bytes, CutAction action);
  FaultPlan& faults() { return faults_; }

  uint64_t bytes_sent() const { return bytes_sent_; }
  uint64_t bytes_received() const { return bytes_received_; }
  const std::string& channel() const { return channel_; }
  Transcript* transcript() const { return transcript_; }
  asio::any_io_executor executor() { return socket_.get_executor(); }
  uint16_t local_port() const;
  uint16_t remote_port() const;

 private:
  Status FireCut(const char* why);
  Awaitable<Status> WriteChunk(std::string_view chunk, std::chrono::steady_clock::time_point deadline);

  asio::ip::tcp::socket socket_;
  std::string channel_;
  Transcript* transcript_;
  FaultPlan faults_;
  std::mt19937_64 rng_;
  bool open_ = true;
  uint64_t bytes_sent_ = 0;
  uint64_t bytes_received_ = 0;
};

// A loopback listener for fake servers.
class Listener {
 public:
  // Binds host:port (port 0 picks a free one).
  static Result<std::unique_ptr<Listener>> Bind(asio::any_io_executor executor,
                                                const std::string& host = "127.0.0.1",
                                                uint16_t port = 0);
  explicit Listener(asio::ip::tcp::acceptor acceptor);

  // Accepts one connection within the timeout.
  Awaitable<Result<std::unique_ptr<Connection>>> Accept(Duration timeout, std::string channel,
                                                        Transcript* transcript,
                                                        FaultPlan faults = {});
  uint16_t port() const { return port_; }
  void Close();

 private:
  asio::ip::tcp::acceptor acceptor_;
  uint16_t port_;
};

}  // namespace conformance::net
