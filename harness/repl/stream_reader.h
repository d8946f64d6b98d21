// The command stream a master sends after the snapshot, with byte-exact offsets. Every byte
// counts toward the replication offset: SELECT, PING, REPLCONF GETACK and MULTI/EXEC included.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/common/result.h"
#include "harness/resp/decoder.h"

namespace conformance::repl {

struct StreamCommand {
  enum class Kind : uint8_t {
    kWrite,      // anything that changes the keyspace (or that the model must judge)
    kSelect,
    kPing,
    kGetAck,     // REPLCONF GETACK *
    kReplconf,   // any other REPLCONF
    kMulti,
    kExec,
    kKeepalive,  // an empty line
    kInline,     // non-empty inline text: a master must never send it mid-stream
    kReply,      // inline text that reads as a reply (+OK, -ERR, :1): a master never replies
  };
  Kind kind = Kind::kWrite;
  std::vector<std::string> argv;
  uint64_t offset = 0;  // replication offset before this command's first byte
  uint64_t size = 0;    // bytes on the wire
  std::string ToString() const;  // e.g. "@1234 +31 SELECT 3"
};

const char* ToString(StreamCommand::Kind kind);
StreamCommand::Kind Classify(const std::vector<std::string>& argv);

class StreamReader {
 public:
  // `start_offset` is the offset of the last byte before the stream (the +FULLRESYNC offset).
  explicit StreamReader(uint64_t start_offset);

  void Feed(std::string_view bytes);
  // The next complete command, std::nullopt when more bytes are needed, or a protocol error.
  Result<std::optional<StreamCommand>> Next();
  // Offset after the last command returned.
  uint64_t offset() const { return offset_; }
  size_t buffered() const { return decoder_.buffered(); }

 private:
  resp::Decoder decoder_;
  uint64_t offset_;
};

}  // namespace conformance::repl
