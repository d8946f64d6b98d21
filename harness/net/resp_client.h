// A RESP client for the harness's own requests to a server (INFO, CONFIG SET, DUMP ...).
// It is a plain client connection, never the replication link.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "harness/net/connection.h"
#include "harness/resp/decoder.h"
#include "harness/resp/value.h"

namespace conformance::net {

class RespClient {
 public:
  explicit RespClient(std::unique_ptr<Connection> connection);

  // Connects; the channel name appears in the transcript.
  static Awaitable<Result<std::unique_ptr<RespClient>>> Connect(std::string host, uint16_t port,
                                                                Duration timeout,
                                                                std::string channel,
                                                                Transcript* transcript);
  // Sends one command and reads its reply. An error reply is a value, not a failure.
  Awaitable<Result<resp::Value>> Call(std::vector<std::string> argv,
                                      Duration timeout = kDefaultTimeout);
  // Reads one more value (e.g. after a command that replies twice); fails on timeout.
  Awaitable<Result<resp::Value>> Read(Duration timeout = kDefaultTimeout);

  Connection& connection() { return *connection_; }
  // Whether replies are recorded in the transcript (off for bulk reads such as a keyspace scan).
  bool record_frames() const { return record_frames_; }
  void set_record_frames(bool record) { record_frames_ = record; }

 private:
  std::unique_ptr<Connection> connection_;
  resp::Decoder decoder_;
  std::string buffer_;
  bool record_frames_ = true;
};

}  // namespace conformance::net
