// What a master puts in the replication stream around the commands it propagates, without
// I/O (replication.c replicationFeedSlaves; rules O1, O2): a SELECT
// whenever the stream's database differs from the command's, forced again after every full
// sync but not after +CONTINUE; PING and REPLCONF GETACK never trigger one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace conformance::repl {

// The master's periodic PING: lowercase, 14 bytes, counted in the offset (rule O1).
inline constexpr std::string_view kStreamPing = "*1\r\n$4\r\nping\r\n";
// REPLCONF GETACK *, as WAIT makes a master send it: 37 bytes, counted in the offset (rule O1).
inline constexpr std::string_view kStreamGetAck =
    "*3\r\n$8\r\nREPLCONF\r\n$6\r\nGETACK\r\n$1\r\n*\r\n";

// Whether a command is fed with a database (and so may need a SELECT first). PING, REPLCONF
// and, as Redis >= 7.0 propagates them, MULTI and EXEC are not: the SELECT goes inside.
bool NeedsDatabase(const std::vector<std::string>& argv);

class StreamSelector {
 public:
  static constexpr int kUnknownDb = -1;

  // The commands to feed for `argv` run in `db`: a SELECT first when needed, then argv.
  std::vector<std::vector<std::string>> Plan(int db, const std::vector<std::string>& argv);
  // After a full sync: the next keyed command gets a SELECT whatever the RDB announced.
  void ForceSelect() { stream_db_ = kUnknownDb; }
  // The database the replica's master client is in, e.g. from the RDB's repl-stream-db.
  void set_stream_db(int db) { stream_db_ = db; }
  int stream_db() const { return stream_db_; }

 private:
  int stream_db_ = kUnknownDb;
};

}  // namespace conformance::repl
