// Valkey's dual-channel replication, without I/O. A replica that announces "capa dual-channel"
// and cannot continue is answered "+DUALCHANNELSYNC" on its main link (sync_reply.h). It then
// opens a second link, the RDB channel: no PING, AUTH when needed, one REPLCONF with
// "capa eof rdb-only 1 rdb-channel 1 listening-port <port>", then an inline SYNC. Just before it
// forks, the master writes on that link "$ENDOFF:<offset> <replid> <dbid> <client-id>" and then
// the snapshot framed by $EOF. The main link names the RDB channel's client ("REPLCONF
// set-rdb-client-id <id>") and asks "PSYNC <replid> <offset + 1>", which the master continues
// while the snapshot is in flight; the replica buffers that stream until the snapshot is
// loaded, replays it, and its first ACK puts it online.
//
// A master offers it only with dual-channel-replication-enabled and a diskless sync
// (replication.c replconfCommand); otherwise it ignores the capability and answers
// +FULLRESYNC on the one link.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/common/result.h"

namespace conformance::repl {

inline constexpr std::string_view kDualChannelCapability = "dual-channel";

// What the master says on the RDB channel before the snapshot.
struct EndOffset {
  int64_t offset = 0;      // the master's offset when it forked: the snapshot's last byte
  std::string replid;      // the history the snapshot belongs to
  int dbid = 0;            // the database the stream continues in
  uint64_t client_id = 0;  // the RDB channel's client, named by the main link
};

// Parses "$ENDOFF:<offset> <replid> <dbid> <client-id>" (without CRLF), as strictly as the
// replica reads it (a 40-character replid, numbers that are numbers, nothing after).
Result<EndOffset> ParseEndOffset(std::string_view line);
// The line a master writes, CRLF included.
std::string EndOffsetLine(const EndOffset& end_offset);

// The RDB channel's REPLCONF (one command) announcing `listening_port`.
std::vector<std::string> RdbChannelReplconf(uint16_t listening_port);
// The main link's REPLCONF naming the RDB channel's client.
std::vector<std::string> SetRdbClientId(uint64_t client_id);

}  // namespace conformance::repl
