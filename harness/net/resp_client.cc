#include "harness/net/resp_client.h"

#include <fmt/format.h>

#include "harness/resp/encoder.h"

namespace conformance::net {

RespClient::RespClient(std::unique_ptr<Connection> connection)
    : connection_(std::move(connection)), decoder_(resp::DecoderMode::kReplies) {}

Awaitable<Result<std::unique_ptr<RespClient>>> RespClient::Connect(std::string host, uint16_t port,
                                                                   Duration timeout,
                                                                   std::string channel,
                                                                   Transcript* transcript) {
  auto connection =
      co_await Connection::Connect(std::move(host), port, timeout, std::move(channel), transcript);
  if (!connection.ok()) co_return connection.error();
  co_return std::make_unique<RespClient>(std::move(connection).value());
}

Awaitable<Result<resp::Value>> RespClient::Call(std::vector<std::string> argv, Duration timeout) {
  const std::string request = resp::EncodeCommand(argv);
  if (Transcript* transcript = record_frames_ ? connection_->transcript() : nullptr) {
    transcript->Frame(connection_->channel(), Direction::kSent, connection_->bytes_sent(),
                      request.size(), resp::Value::Command(argv).ToString());
  }
  CONFORMANCE_CO_RETURN_IF_ERROR(co_await connection_->Write(request, timeout));
  co_return co_await Read(timeout);
}

Awaitable<Result<resp::Value>> RespClient::Read(Duration timeout) {
  const Wait wait = connection_->StartWait(timeout);
  while (true) {
    resp::Value value;
    const uint64_t offset = decoder_.consumed();
    switch (decoder_.Next(&value)) {
      case resp::DecodeStatus::kValue:
        if (Transcript* transcript = record_frames_ ? connection_->transcript() : nullptr) {
          transcript->Frame(connection_->channel(), Direction::kReceived, offset,
                            decoder_.last_size(), value.ToString());
        }
        co_return value;
      case resp::DecodeStatus::kError:
        co_return Error{fmt::format("{}: {}", connection_->channel(), decoder_.error().message),
                        ErrorKind::kProtocol};
      case resp::DecodeStatus::kNeedMore:
        break;
    }
    buffer_.clear();
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await connection_->ReadSome(&buffer_, wait));
    decoder_.Feed(buffer_);
  }
}

}  // namespace conformance::net
