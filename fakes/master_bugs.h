// Deliberate misbehaviours of the fake master, one documented field each (in the spirit of
// BoringSSL's ProtocolBugs). The fake master consults this struct at a few well-defined points
// and nowhere else; a default-constructed MasterBugs is a well-behaved Redis-like master.
//
// Where each field is read:
//   handshake replies ........ handshake_reply_overrides
//   SendFullResync ........... skip_fullresync_line, fullresync_override
//   SendRdb .................. rdb_payload_override, flip_rdb_byte_at, truncate_rdb_at,
//                              rdb_length_delta, wrong_eof_mark, glue_stream_to_mark
//   SendContinue ............. continue_override
//   Propagate / stream writes  skip_select_after_full_sync, inline_garbage_after_command
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace conformance::fakes {

struct MasterBugs {
  // Replies sent during the handshake instead of the default ones, raw bytes (CRLF included),
  // keyed by the step's name as repl::ToString(ReplicaCommandKind) spells it: "PING", "AUTH",
  // "REPLCONF listening-port", "REPLCONF capa", ... An empty string sends nothing at all.
  std::map<std::string, std::string> handshake_reply_overrides;

  // SendFullResync sends no "+FULLRESYNC" line; the fake's state changes as if it had (the RDB
  // preamble then arrives where the replica expects the PSYNC reply).
  bool skip_fullresync_line = false;
  // SendFullResync sends this line (CRLF added) instead of "+FULLRESYNC <replid> <offset>";
  // the fake's own replid and offset do not change (H7: a malformed line).
  std::optional<std::string> fullresync_override;

  // SendRdb sends these bytes as the RDB payload instead of the snapshot of the model (the
  // model, the oracle, no longer matches: for fuzzing and corrupt-RDB cases).
  std::optional<std::string> rdb_payload_override;
  // SendRdb flips every bit of the payload byte at this index (a checksum mismatch); a
  // negative index counts from the end (-1: the last byte, part of the stored checksum).
  std::optional<int64_t> flip_rdb_byte_at;
  // SendRdb sends only this many payload bytes. $<len> still announces the full length, so the
  // replica waits for bytes that never come; $EOF appends the mark right after the cut.
  std::optional<uint64_t> truncate_rdb_at;
  // $<len> framing announces length + delta (negative: fewer bytes than sent, so the rest of
  // the RDB is read as the command stream; positive: the stream's first bytes are read as RDB).
  int64_t rdb_length_delta = 0;
  // $EOF framing ends the payload with a mark that differs from the announced one (the last
  // character changed), so a replica that checks the trailing mark must fail the load.
  bool wrong_eof_mark = false;
  // $EOF framing does not wait for the replica's first REPLCONF ACK: the trailing mark is held
  // back and written in the same write as the first stream bytes (breaks M11; a replica that
  // looks for the mark in the last 40 bytes it read misses it).
  bool glue_stream_to_mark = false;

  // SendContinue sends this line (CRLF added) instead of "+CONTINUE [<replid>]"; the fake's
  // state still continues from the requested offset.
  std::optional<std::string> continue_override;

  // After a full sync the stream continues in the RDB's repl-stream-db without the SELECT
  // Redis always sends first (O2, O9): only correct if the replica honours that aux field.
  bool skip_select_after_full_sync = false;
  // Written once, right after the next command sent in the stream: inline text a master must
  // never send (O11). Not counted in offset() and not kept in the backlog, so a later PSYNC
  // replay does not repeat it.
  std::optional<std::string> inline_garbage_after_command;
};

}  // namespace conformance::fakes
