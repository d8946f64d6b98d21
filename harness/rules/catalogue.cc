#include "harness/rules/catalogue.h"

#include <algorithm>
#include <cctype>

namespace conformance::rules {

namespace {

using D = Dimension;

// Redis names below are those of 7.x (older releases use the same functions unless noted);
// Valkey 8 renamed master/slave to primary/replica; KeyDB 6.3 keeps Redis 6's names in .cpp
// files. A Dragonfly master has no PSYNC or SYNC, so master-side rules do not apply to it.
std::vector<Rule> BuildCatalogue() {
  return {
      // --- The replica's handshake ---------------------------------------------------------
      {kHandshakeOpensWithPing, "handshake", "A replica opens the link with PING",
       "The first command a replica sends on a new link to its master is PING, and it waits for "
       "the reply before anything else. A +PONG (any status reply) or an authentication error "
       "(-NOAUTH, -NOPERM) lets the handshake go on; any other reply ends the attempt.",
       "Redis 2.6 and later, Valkey, KeyDB, Dragonfly as a replica of a Redis-protocol master.",
       {{"Redis", "replication.c syncWithMaster (REPL_STATE_CONNECTING, RECEIVE_PING_REPLY)"},
        {"Valkey", "replication.c syncWithPrimary"},
        {"KeyDB", "replication.cpp syncWithMaster"},
        {"Dragonfly", "replica.cc Replica::Greet"}},
       {D::kValue}},
      {kHandshakeAnnounces, "handshake", "AUTH, then REPLCONF, then PSYNC",
       "After the PING reply the replica sends AUTH [masteruser] <masterauth> when a password is "
       "configured, then REPLCONF listening-port <port>, and REPLCONF capa eof capa psync2 (from "
       "the releases that know them), and only then PSYNC (SYNC on releases without PSYNC). "
       "Errors to REPLCONF are not fatal.",
       "Redis 2.8 and later (2.6 sends SYNC after PING and AUTH), Valkey (adds REPLCONF version), "
       "KeyDB (adds REPLCONF uuid and capa activeExpire).",
       {{"Redis", "replication.c syncWithMaster (REPL_STATE_SEND_HANDSHAKE)"},
        {"Valkey", "replication.c syncWithPrimary"},
        {"KeyDB", "replication.cpp syncWithMaster"},
        {"Dragonfly", "replica.cc Replica::Greet"}},
       {D::kValue}},
      {kAuthErrorIsFatal, "auth", "An AUTH error ends the attempt before PSYNC",
       "When the master refuses the replica's AUTH, the replica sends no PSYNC or SYNC on that "
       "link: it closes it, keeps its link down and retries later on a new connection.",
       "Every release with masterauth (Redis 2.6 and later, Valkey, KeyDB).",
       {{"Redis", "replication.c syncWithMaster (RECEIVE_AUTH_REPLY), replicationCron"},
        {"Valkey", "replication.c syncWithPrimary"},
        {"KeyDB", "replication.cpp syncWithMaster"},
        {"Dragonfly", "protocol_client.cc ProtocolClient::ConnectAndAuth"}},
       {D::kValue, D::kTiming}},
      {kPsyncAsksNextByte, "psync", "PSYNC asks for exactly the next byte",
       "A replica with no history sends PSYNC ? -1. One that has followed a master sends PSYNC "
       "<that master's replid> <applied offset + 1>: the first byte it has not applied, never a "
       "byte of a command it received only in part, and never the history of a snapshot whose "
       "transfer failed.",
       "Redis 2.8 and later, Valkey, KeyDB; Dragonfly sends only PSYNC ? -1 to a Redis master.",
       {{"Redis", "replication.c slaveTryPartialResynchronization, replicationCacheMaster"},
        {"Valkey", "replication.c replicaTryPartialResynchronization, replicationCachePrimary"},
        {"KeyDB", "replication.cpp slaveTryPartialResynchronization"},
        {"Dragonfly", "replica.cc Replica::InitiatePSync"}},
       {D::kValue, D::kBoundary}},
      {kPsyncReplyHandling, "psync", "Each PSYNC reply leads to its own next step",
       "+FULLRESYNC <replid> <offset> starts a full sync; +CONTINUE [<replid>] a partial one; "
       "-LOADING and -NOMASTERLINK mean try again later on a new link (no SYNC on this one); any "
       "other reply, such as -ERR unknown command, makes the replica fall back to SYNC on the "
       "same link and load the $<len> payload that follows.",
       "Redis 2.8 and later, Valkey, KeyDB.",
       {{"Redis", "replication.c slaveTryPartialResynchronization, syncWithMaster"},
        {"Valkey", "replication.c replicaTryPartialResynchronization, syncWithPrimary"},
        {"KeyDB", "replication.cpp slaveTryPartialResynchronization"},
        {"Dragonfly", "replica.cc Replica::InitiatePSync"}},
       {D::kValue}},
      {kKeepaliveNewlines, "handshake", "Newlines before the payload keep the link alive",
       "While the master prepares the snapshot it may send bare newlines, before +FULLRESYNC "
       "and between +FULLRESYNC and $<len>. The replica counts each as I/O: it does not time "
       "out while they keep coming, however long the wait, and they are not part of the offset.",
       "Redis 2.8 and later, Valkey, KeyDB.",
       {{"Redis", "replication.c slaveTryPartialResynchronization (empty line), "
                  "readSyncBulkPayload, replicationCron"},
        {"Valkey", "replication.c replicaTryPartialResynchronization, readSyncBulkPayload"},
        {"KeyDB", "replication.cpp readSyncBulkPayload"},
        {"Dragonfly", "-"}},
       {D::kValue, D::kTiming}},
      {kContinueWithNewReplid, "psync", "+CONTINUE with a new replid shifts the history",
       "On +CONTINUE <newid> with an id other than its cached master's, the replica keeps the "
       "old id as master_replid2, valid up to second_repl_offset = its offset + 1, adopts the "
       "new id, continues the stream, and asks PSYNC <newid> <offset + 1> next time.",
       "Redis 4.0 and later (PSYNC2), Valkey, KeyDB.",
       {{"Redis", "replication.c slaveTryPartialResynchronization (+CONTINUE <id>)"},
        {"Valkey", "replication.c replicaTryPartialResynchronization"},
        {"KeyDB", "replication.cpp slaveTryPartialResynchronization"},
        {"Dragonfly", "-"}},
       {D::kValue}},
      {kDualChannelReplica, "transfer", "A dual-channel replica takes the snapshot on a second link and the stream on the first",
       "A replica with dual-channel sync on announces capa dual-channel. Answered "
       "+DUALCHANNELSYNC, it opens a second link to the master (no PING; AUTH when it has a "
       "password; REPLCONF capa eof rdb-only 1 rdb-channel 1 listening-port <port>; SYNC), reads "
       "$ENDOFF:<offset> <replid> <dbid> <client-id>, names that client on the main link (REPLCONF "
       "set-rdb-client-id) and asks PSYNC <replid> <offset + 1>. It loads the snapshot, applies "
       "what the main link streamed meanwhile, ends with the master's keyspace and offset, and "
       "acknowledges on the main link. A session whose RDB channel or main link breaks is "
       "abandoned whole: the replica starts over and never serves a half-loaded snapshot. "
       "Answered +FULLRESYNC instead, it syncs on the one link as any replica.",
       "Valkey 8.0 and later, with dual-channel-replication-enabled.",
       {{"Redis", "-"},
        {"Valkey", "replication.c fullSyncWithPrimary, setupMainConnForPsync, bufferReplData, "
                   "streamReplDataBufToDb"},
        {"KeyDB", "-"},
        {"Dragonfly", "-"}},
       {D::kValue}},

      // --- The master's answers ------------------------------------------------------------
      {kMasterRequiresAuth, "auth", "A master with a password syncs only authenticated replicas",
       "With requirepass set, PING and PSYNC from an unauthenticated link get -NOAUTH and no "
       "sync starts; AUTH with a wrong password gets an error; after a correct AUTH the same "
       "replica syncs normally.",
       "Every release.",
       {{"Redis", "server.c processCommand (authRequired), acl.c authCommand"},
        {"Valkey", "server.c processCommand, acl.c authCommand"},
        {"KeyDB", "server.cpp processCommand"},
        {"Dragonfly", "-"}},
       {D::kValue}},
      {kPsyncWindow, "psync", "PSYNC continues exactly within the backlog",
       "The master accepts PSYNC <replid> <offset> when the replid is its own (or its previous "
       "one up to second_repl_offset) and the offset lies between the first byte its backlog "
       "holds and master_repl_offset + 1, both included (the latter means nothing is missing). "
       "Any other request gets +FULLRESYNC, and counts in sync_partial_err unless the replid "
       "was ?.",
       "Redis 2.8 and later, Valkey, KeyDB.",
       {{"Redis", "replication.c masterTryPartialResynchronization"},
        {"Valkey", "replication.c primaryTryPartialResynchronization"},
        {"KeyDB", "replication.cpp masterTryPartialResynchronization"},
        {"Dragonfly", "-"}},
       {D::kValue, D::kBoundary}},
      {kContinueReply, "psync", "+CONTINUE names the replid to psync2 replicas and resumes at the byte asked",
       "An accepted PSYNC is answered +CONTINUE <replid> when the replica announced capa psync2 "
       "and a bare +CONTINUE otherwise; the stream then resumes at exactly the byte asked for, "
       "and SELECT is not repeated (the replica kept its database).",
       "Redis 2.8 and later (the replid from 4.0), Valkey, KeyDB.",
       {{"Redis", "replication.c masterTryPartialResynchronization, addReplyReplicationBacklog"},
        {"Valkey", "replication.c primaryTryPartialResynchronization, addReplyReplicationBacklog"},
        {"KeyDB", "replication.cpp masterTryPartialResynchronization"},
        {"Dragonfly", "-"}},
       {D::kValue}},
      {kFullResyncReply, "psync", "+FULLRESYNC names the snapshot's history",
       "A full sync is announced with +FULLRESYNC <40-character replid> <offset>, where the "
       "offset is master_repl_offset when the snapshot was taken; the stream that follows the "
       "snapshot starts at the next byte.",
       "Redis 2.8 and later, Valkey, KeyDB.",
       {{"Redis", "replication.c replicationSetupSlaveForFullResync, syncCommand"},
        {"Valkey", "replication.c replicationSetupReplicaForFullResync, syncCommand"},
        {"KeyDB", "replication.cpp replicationSetupSlaveForFullResync"},
        {"Dragonfly", "-"}},
       {D::kValue}},
      {kTransferFraming, "transfer", "The snapshot is framed as the replica can read it",
       "A diskless master sends $EOF:<40-byte mark> ... <mark> only to replicas that announced "
       "capa eof; a replica without it, and every SYNC client, gets $<len> from a disk "
       "snapshot. A SYNC client gets no +FULLRESYNC line.",
       "Redis 2.8.18 and later (diskless), Valkey, KeyDB.",
       {{"Redis", "replication.c startBgsaveForReplication, syncCommand"},
        {"Valkey", "replication.c startBgsaveForReplication, syncCommand"},
        {"KeyDB", "replication.cpp startBgsaveForReplication"},
        {"Dragonfly", "-"}},
       {D::kValue}},
      {kAckGetsNoReply, "ack", "REPLCONF ACK is never answered and becomes the replica's offset",
       "The master takes REPLCONF ACK <offset> from a replica without replying (the link carries "
       "only commands towards the replica) and shows the highest offset acknowledged as that "
       "replica's offset in INFO replication.",
       "Redis 2.8 and later, Valkey, KeyDB.",
       {{"Redis", "replication.c replconfCommand (ack)"},
        {"Valkey", "replication.c replconfCommand"},
        {"KeyDB", "replication.cpp replconfCommand"},
        {"Dragonfly", "-"}},
       {D::kValue}},
      {kDiskPayloadLength, "transfer", "$<len> is followed by exactly len bytes",
       "A disk snapshot is sent as $<len>\\r\\n and exactly len bytes of RDB, with no trailing "
       "CRLF; the first stream byte follows the last RDB byte directly.",
       "Every release.",
       {{"Redis", "replication.c sendBulkToSlave, updateSlavesWaitingBgsave"},
        {"Valkey", "replication.c sendBulkToReplica, updateReplicasWaitingBgsave"},
        {"KeyDB", "replication.cpp sendBulkToSlave"},
        {"Dragonfly", "-"}},
       {D::kValue, D::kBoundary}},
      {kEofStreamAfterFirstAck, "transfer", "After a $EOF transfer the stream waits for the first ACK",
       "After a diskless snapshot ends with its mark, the master sends no stream byte until the "
       "replica's first REPLCONF ACK, so the replica can find the mark as the last 40 bytes; "
       "writes made meanwhile are buffered and follow the ACK.",
       "Redis 2.8.18 and later, Valkey, KeyDB.",
       {{"Redis", "replication.c updateSlavesWaitingBgsave, replconfCommand (ack), "
                  "replicaStartCommandStream"},
        {"Valkey", "replication.c replicaStartCommandStream, replconfCommand"},
        {"KeyDB", "replication.cpp updateSlavesWaitingBgsave"},
        {"Dragonfly", "-"}},
       {D::kValue, D::kTiming}},
      {kReplicaDroppedMidTransfer, "transfer", "A replica lost mid-transfer is freed; the master goes on",
       "When a replica's link breaks during the snapshot (disk or diskless), the master frees "
       "that replica and keeps serving; the next full sync succeeds.",
       "Every release.",
       {{"Redis", "networking.c freeClient, replication.c rdbPipeReadHandler"},
        {"Valkey", "networking.c freeClient, replication.c rdbPipeReadHandler"},
        {"KeyDB", "networking.cpp freeClient"},
        {"Dragonfly", "-"}},
       {D::kValue}},

      {kReplicaSendsOnlyAcks, "ack", "Once synced, a replica sends only ACKs and newlines",
       "On the link to its master a replica sends, after PSYNC or SYNC, nothing but REPLCONF "
       "ACK <offset> and bare newlines (while it loads); a master disconnects a replica that "
       "makes it reply.",
       "Every release (newlines from Redis 2.8).",
       {{"Redis", "replication.c replicationSendAck, replicationSendNewlineToMaster; "
                  "networking.c _addReplyToBufferOrList"},
        {"Valkey", "replication.c replicationSendAck, replicationSendNewlineToPrimary"},
        {"KeyDB", "replication.cpp replicationSendAck"},
        {"Dragonfly", "replica.cc Replica::ConsumeRedisStream"}},
       {D::kValue}},
      {kMasterSurvivesReplicaInput, "handshake", "A master survives whatever a replica sends",
       "Whatever a replica sends on its link (malformed RESP, REPLCONF options with values out of "
       "range or of no known kind, PSYNC with any replid, offset or number of arguments, ACKs "
       "with offsets ahead, behind or not numbers, commands a replica never sends), the master "
       "answers with an error, ignores it or drops that link, and never crashes, stops "
       "answering its other clients, or grows its memory without bound.",
       "Every release and implementation.",
       {{"Redis", "replication.c replconfCommand, syncCommand, masterTryPartialResynchronization; "
                  "networking.c processMultibulkBuffer, processInlineBuffer"},
        {"Valkey", "replication.c replconfCommand, syncCommand, primaryTryPartialResynchronization; "
                   "networking.c processMultibulkBuffer"},
        {"KeyDB", "replication.cpp replconfCommand, syncCommand; networking.cpp processMultibulkBuffer"},
        {"Dragonfly", "dflycmd.cc DflyCmd::Run; server_family.cc ServerFamily::ReplConf"}},
       {D::kValue}},

      {kDualChannelSync, "transfer", "A dual-channel full sync: the snapshot on its own link, the stream continued at its end",
       "A master that offers dual-channel sync answers PSYNC from a replica that announced capa "
       "dual-channel, when it cannot continue, with +DUALCHANNELSYNC. On the replica's second "
       "link (REPLCONF capa eof rdb-only 1 rdb-channel 1 listening-port <port>, then SYNC) it "
       "says $ENDOFF:<offset> <replid> <dbid> <client-id>, offset not ahead of its own, and "
       "sends a snapshot framed by $EOF that holds its history up to that offset. The main "
       "link that names that client (REPLCONF set-rdb-client-id) and asks PSYNC <replid> "
       "<offset + 1> is continued with every write from that byte on, made while the snapshot "
       "is in flight included; the replica ends with the master's keyspace and offset.",
       "Valkey 8.0 and later, with dual-channel-replication-enabled and a diskless sync.",
       {{"Redis", "-"},
        {"Valkey", "replication.c syncCommand, sendCurrentOffsetToReplica, replconfCommand "
                   "(rdb-channel, set-rdb-client-id), primaryTryPartialResynchronization"},
        {"KeyDB", "-"},
        {"Dragonfly", "-"}},
       {D::kValue}},
      {kDualChannelOnlyWhenOffered, "transfer", "Without dual-channel on offer, capa dual-channel changes nothing",
       "A master that does not offer dual-channel sync (the setting off, or a sync from disk) "
       "ignores a replica's capa dual-channel and answers its PSYNC as any master would: "
       "+FULLRESYNC and the snapshot on the same link.",
       "Valkey 8.0 and later (older releases and other servers ignore unknown capabilities).",
       {{"Redis", "replication.c replconfCommand (unknown capabilities are ignored)"},
        {"Valkey", "replication.c replconfCommand (capa dual-channel needs dual_channel_replication "
                   "and repl_diskless_sync)"},
        {"KeyDB", "replication.cpp replconfCommand"},
        {"Dragonfly", "-"}},
       {D::kValue}},

      // --- Offsets and the stream ----------------------------------------------------------
      {kMasterOffsetCountsStream, "stream", "master_repl_offset counts every stream byte",
       "The master's offset grows by exactly the bytes it appends to the replication stream: "
       "the RESP of every propagated command, SELECT, its PINGs, REPLCONF GETACK and the "
       "MULTI/EXEC around transactions.",
       "Redis 2.8 and later, Valkey, KeyDB.",
       {{"Redis", "replication.c feedReplicationBuffer, replicationFeedSlaves"},
        {"Valkey", "replication.c feedReplicationBuffer, replicationFeedReplicas"},
        {"KeyDB", "replication.cpp replicationFeedSlaves"},
        {"Dragonfly", "-"}},
       {D::kValue}},
      {kSelectOnDatabaseChange, "stream", "SELECT precedes a write in another database",
       "The master emits SELECT <db> before the next propagated write whenever that write's "
       "database differs from the last one streamed, and after setting up a full sync; the "
       "replica applies each write in the database the stream selected.",
       "Every release.",
       {{"Redis", "replication.c replicationFeedSlaves (slaveseldb)"},
        {"Valkey", "replication.c replicationFeedReplicas"},
        {"KeyDB", "replication.cpp replicationFeedSlaves"},
        {"Dragonfly", "replica.cc Replica::ConsumeRedisStream"}},
       {D::kValue}},
      {kReplicaOffsetCountsApplied, "stream", "A replica's offset counts the bytes it applied",
       "A replica's offset is the +FULLRESYNC offset plus every stream byte of every command it "
       "has executed in full (its master's PINGs, SELECTs and MULTI/EXEC included); a command "
       "received only in part does not count.",
       "Redis 4.0 and later (2.8 and 3.x counted bytes as read), Valkey, KeyDB.",
       {{"Redis", "networking.c commandProcessed, readQueryFromClient"},
        {"Valkey", "networking.c commandProcessed"},
        {"KeyDB", "networking.cpp commandProcessed"},
        {"Dragonfly", "-"}},
       {D::kValue, D::kBoundary}},
      {kAckReportsApplied, "ack", "A replica answers GETACK at once with its applied offset",
       "A replica answers REPLCONF GETACK * with REPLCONF ACK <applied offset> right away (the "
       "offset before or after the GETACK itself), and sends the same ACK once a second on its "
       "own.",
       "Redis 2.8 and later, Valkey, KeyDB.",
       {{"Redis", "replication.c replconfCommand (getack), replicationSendAck, replicationCron"},
        {"Valkey", "replication.c replconfCommand, replicationSendAck"},
        {"KeyDB", "replication.cpp replconfCommand, replicationSendAck"},
        {"Dragonfly", "-"}},
       {D::kValue, D::kTiming}},
      {kLinkLossDropsPartialCommand, "stream", "A lost link drops the partial command",
       "When the link to its master breaks in the middle of a command, the replica discards "
       "the partial command (and any open MULTI) and keeps its master's history, so it can "
       "PSYNC for the rest.",
       "Redis 2.8 and later, Valkey, KeyDB.",
       {{"Redis", "replication.c replicationCacheMaster"},
        {"Valkey", "replication.c replicationCachePrimary"},
        {"KeyDB", "replication.cpp replicationCacheMaster"},
        {"Dragonfly", "-"}},
       {D::kValue}},
      {kFullSyncAdoptsReplyHistory, "stream", "A full sync takes its history from +FULLRESYNC",
       "After a full sync the replica's replid and offset are those of +FULLRESYNC (not of the "
       "RDB's aux fields), its old history is gone, and it continues the stream in the "
       "database named by the RDB's repl-stream-db.",
       "Redis 2.8 and later (repl-stream-db from 4.0), Valkey, KeyDB.",
       {{"Redis", "replication.c readSyncBulkPayload, replicationCreateMasterClient"},
        {"Valkey", "replication.c readSyncBulkPayload"},
        {"KeyDB", "replication.cpp readSyncBulkPayload"},
        {"Dragonfly", "replica.cc Replica::InitiatePSync"}},
       {D::kValue}},
      {kNoInlineFromMaster, "stream", "The stream is RESP commands only",
       "A master never sends inline (non-RESP) text in the stream. A replica that receives "
       "some treats the stream as corrupt: it closes the link and forgets its master's history, "
       "so the next sync is a full one.",
       "Every release.",
       {{"Redis", "networking.c processInlineBuffer, replication.c replicationDiscardCachedMaster"},
        {"Valkey", "networking.c processInlineBuffer"},
        {"KeyDB", "networking.cpp processInlineBuffer"},
        {"Dragonfly", "-"}},
       {D::kValue}},
      {kPropagationReproducesState, "types", "What a master propagates reproduces its state",
       "Every write reaches the replicas in a form that leaves them with the master's exact "
       "state: nondeterministic commands rewritten (XREADGROUP and XCLAIM as XCLAIM ... LASTID "
       "with XGROUP SETID ... ENTRIESREAD, INCRBYFLOAT as SET KEEPTTL), inside MULTI/EXEC and "
       "across databases.",
       "Every release, for the commands and types it has (ENTRIESREAD from 7.0; Redis before "
       "7.2.4 propagates it only for NOACK reads).",
       {{"Redis", "t_stream.c streamPropagateXCLAIM, streamPropagateGroupID; t_string.c "
                  "incrbyfloatCommand"},
        {"Valkey", "t_stream.c streamPropagateXCLAIM, streamPropagateGroupID"},
        {"KeyDB", "t_stream.cpp streamPropagateXCLAIM"},
        {"Dragonfly", "-"}},
       {D::kValue}},

      // --- The snapshot on the replica's side -----------------------------------------------
      {kPayloadPreamble, "transfer", "The replica reads $<len> and $EOF:<mark> payloads",
       "A replica loads a snapshot sent as $<len> (to disk, then loaded) or as $EOF:<mark> "
       "(read until the mark), holds exactly what it carries, and then applies the stream.",
       "Every release ($EOF from Redis 2.8.18 with capa eof).",
       {{"Redis", "replication.c readSyncBulkPayload"},
        {"Valkey", "replication.c readSyncBulkPayload"},
        {"KeyDB", "replication.cpp readSyncBulkPayload"},
        {"Dragonfly", "replica.cc Replica::InitiatePSync"}},
       {D::kValue}},
      {kFailedTransferKeepsData, "transfer", "A failed transfer keeps the old dataset",
       "When the link breaks during the snapshot transfer, the replica aborts the load, serves "
       "the dataset it had (never a half-loaded one) and retries on a new link.",
       "Every release (diskless load from Redis 6.0).",
       {{"Redis", "replication.c readSyncBulkPayload, cancelReplicationHandshake"},
        {"Valkey", "replication.c readSyncBulkPayload, cancelReplicationHandshake"},
        {"KeyDB", "replication.cpp readSyncBulkPayload"},
        {"Dragonfly", "-"}},
       {D::kValue}},
      {kAbandonedTransferLeavesNoFile, "transfer", "An abandoned transfer leaves no temporary file",
       "A replica that loads a snapshot through a temporary file (temp-<time>.<pid>.rdb) removes "
       "that file when it abandons the transfer (the link or the RDB channel broke, the "
       "session was cancelled), so nothing is left on disk and the next attempt, even within "
       "the same second, can create its own.",
       "Every release that loads from disk.",
       {{"Redis", "replication.c replicationAbortSyncTransfer (bg_unlink, unlink before 6.2)"},
        {"Valkey", "replication.c replicationAbortSyncTransfer, replicationAbortDualChannelSyncTransfer"},
        {"KeyDB", "replication.cpp replicationAbortSyncTransfer"},
        {"Dragonfly", "-"}},
       {D::kValue}},
      {kEofMarkVerified, "transfer", "A $EOF payload must end with its mark",
       "A replica that loads a $EOF:<mark> payload from the socket verifies that it ends with "
       "the same 40 bytes; if not, it rejects the load, drops the link and keeps its old "
       "dataset.",
       "Redis 6.0 and later with diskless load, Valkey, KeyDB.",
       {{"Redis", "replication.c readSyncBulkPayload (usemark)"},
        {"Valkey", "replication.c readSyncBulkPayload"},
        {"KeyDB", "replication.cpp readSyncBulkPayload"},
        {"Dragonfly", "-"}},
       {D::kValue}},
      {kRdbChecksumVerified, "transfer", "A snapshot whose checksum fails is never loaded",
       "A replica checks the snapshot's CRC64 against the 8 bytes after its EOF opcode (a stored "
       "0 means the writer disabled checksums) and never brings its link up on a snapshot that "
       "fails the check. Redis-family replicas log \"Wrong RDB checksum\" and treat the snapshot "
       "as corrupt (they exit rather than serve it).",
       "RDB 5 and later (Redis 2.6 and later, Valkey, KeyDB) with rdbchecksum yes, the default.",
       {{"Redis", "rdb.c rdbLoadRioWithLoadingCtx (checksum), rdbReportCorruptRDB"},
        {"Valkey", "rdb.c rdbLoadRioWithLoadingCtx"},
        {"KeyDB", "rdb.cpp rdbLoadRio"},
        {"Dragonfly", "-"}},
       {D::kValue}},
      {kRdbVersionRange, "transfer", "RDB versions up to the replica's own load; newer are refused",
       "A replica loads a snapshot of every RDB version up to the one it writes itself, and "
       "refuses a newer one before reading any key (\"Can't handle RDB format version\"), "
       "dropping the link and staying up.",
       "Every release, each with its own RDB version.",
       {{"Redis", "rdb.c rdbLoadRioWithLoadingCtx (rdbver > RDB_VERSION)"},
        {"Valkey", "rdb.c rdbLoadRioWithLoadingCtx"},
        {"KeyDB", "rdb.cpp rdbLoadRio"},
        {"Dragonfly", "rdb_load.cc RdbLoader::Load"}},
       {D::kValue, D::kBoundary}},
      {kRdbTypesLoad, "types", "Every type and encoding of a snapshot loads exactly",
       "Strings (int, raw, LZF), lists, hashes, sets, sorted sets and streams (groups, PELs, "
       "consumers), in every encoding the RDB version allows and with absolute expiries, load "
       "into exactly the keyspace the snapshot describes, on either side of the link.",
       "Every release, for the types and encodings its RDB version has.",
       {{"Redis", "rdb.c rdbLoadObject, rdbSaveObject"},
        {"Valkey", "rdb.c rdbLoadObject, rdbSaveObject"},
        {"KeyDB", "rdb.cpp rdbLoadObject"},
        {"Dragonfly", "rdb_load.cc RdbLoader::Load"}},
       {D::kValue}},

      {kSurvivesMalformedInput, "transfer", "A replica survives whatever its master sends",
       "Whatever its master sends (a malformed handshake reply or PSYNC answer, a bad payload "
       "preamble, a corrupt snapshot, a garbled stream), a replica refuses what it cannot parse "
       "(it drops the link or, as Redis does for a corrupt snapshot, logs why and stops: an "
       "exit, or an assertion that aborts it on purpose) and never crashes (a signal it did not "
       "raise itself, such as a segmentation fault or a heap check), stops answering its "
       "clients, or grows its memory without bound.",
       "Every release and implementation.",
       {{"Redis", "replication.c syncWithMaster, readSyncBulkPayload; networking.c "
                  "processMultibulkBuffer; rdb.c rdbLoadObject"},
        {"Valkey", "replication.c syncWithPrimary, readSyncBulkPayload; networking.c "
                   "processMultibulkBuffer"},
        {"KeyDB", "replication.cpp syncWithMaster, readSyncBulkPayload; networking.cpp "
                  "processMultibulkBuffer"},
        {"Dragonfly", "replica.cc Replica::InitiatePSync, Replica::ConsumeRedisStream"}},
       {D::kValue}},

      // --- Expiry --------------------------------------------------------------------------
      {kExpiryPropagatesAbsolute, "expiry", "Expiries travel as absolute times",
       "The snapshot holds each key's expiry as an absolute time, and the master propagates "
       "relative TTLs (EXPIRE, PEXPIRE, SET EX, GETEX EX) as absolute ones (PEXPIREAT, SET "
       "PXAT), so a replica ends with the master's expiries however late the command reaches "
       "it.",
       "Redis 7.0 and later, Valkey; older releases and KeyDB 6.3 (a Redis 6.2 fork) "
       "propagate relative TTLs.",
       {{"Redis", "expire.c expireGenericCommand; t_string.c setGenericCommand, getexCommand"},
        {"Valkey", "expire.c expireGenericCommand"},
        {"KeyDB", "expire.cpp expireGenericCommand"},
        {"Dragonfly", "-"}},
       {D::kValue, D::kTiming}},
      {kExpiredKeysDeletedByMaster, "expiry", "A key the master expires is deleted by a propagated DEL",
       "When the master finds a key expired, on access or in its active expiry cycle, it "
       "deletes it and propagates a DEL (or UNLINK), so replicas, which never delete keys on "
       "their own clock, drop it too.",
       "Every release.",
       {{"Redis", "db.c deleteExpiredKeyAndPropagate, propagateDeletion; expire.c "
                  "activeExpireCycle"},
        {"Valkey", "db.c deleteExpiredKeyAndPropagate"},
        {"KeyDB", "db.cpp propagateExpire"},
        {"Dragonfly", "-"}},
       {D::kValue}},
  };
}

}  // namespace

const char* ToString(Dimension dimension) {
  switch (dimension) {
    case Dimension::kValue: return "value";
    case Dimension::kBoundary: return "boundary";
    case Dimension::kTiming: return "timing";
  }
  return "?";
}

std::optional<Dimension> ParseDimension(std::string_view text) {
  for (Dimension d : {Dimension::kValue, Dimension::kBoundary, Dimension::kTiming}) {
    if (text == ToString(d)) return d;
  }
  return std::nullopt;
}

bool Rule::Has(Dimension dimension) const {
  return std::find(dimensions.begin(), dimensions.end(), dimension) != dimensions.end();
}

std::string Rule::Anchor() const {
  std::string anchor(id);
  for (char& c : anchor) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return anchor;
}

const std::vector<Rule>& Catalogue() {
  static const std::vector<Rule> kCatalogue = BuildCatalogue();
  return kCatalogue;
}

const Rule* FindRule(std::string_view id) {
  for (const Rule& rule : Catalogue()) {
    if (rule.id == id) return &rule;
  }
  return nullptr;
}

std::string LinkTo(const Rule& rule) { return "harness/rules/RULES.md#" + rule.Anchor(); }

}  // namespace conformance::rules
