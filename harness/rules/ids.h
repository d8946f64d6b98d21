// Rule ids as constants, for code that names the rule it enforces (a violation a fake records,
// a check that fails). Each resolves in the catalogue (catalogue.cc) and in RULES.md.
#pragma once

#include <string_view>

namespace conformance::rules {

// The replica's handshake (the server under test is the replica).
inline constexpr std::string_view kHandshakeOpensWithPing = "H1";
inline constexpr std::string_view kHandshakeAnnounces = "H2";
inline constexpr std::string_view kAuthErrorIsFatal = "H3";
inline constexpr std::string_view kPsyncAsksNextByte = "H5";
inline constexpr std::string_view kPsyncReplyHandling = "H6";
inline constexpr std::string_view kKeepaliveNewlines = "H7";
inline constexpr std::string_view kContinueWithNewReplid = "H8";
inline constexpr std::string_view kDualChannelReplica = "H9";
// The master's answers (the server under test is the master).
inline constexpr std::string_view kMasterRequiresAuth = "M1";
inline constexpr std::string_view kPsyncWindow = "M3";
inline constexpr std::string_view kContinueReply = "M4";
inline constexpr std::string_view kFullResyncReply = "M5";
inline constexpr std::string_view kTransferFraming = "M7";
inline constexpr std::string_view kAckGetsNoReply = "M9";
inline constexpr std::string_view kDiskPayloadLength = "M10";
inline constexpr std::string_view kEofStreamAfterFirstAck = "M11";
inline constexpr std::string_view kReplicaDroppedMidTransfer = "M14";
inline constexpr std::string_view kReplicaSendsOnlyAcks = "M15";
inline constexpr std::string_view kMasterSurvivesReplicaInput = "M16";
inline constexpr std::string_view kDualChannelSync = "M17";
inline constexpr std::string_view kDualChannelOnlyWhenOffered = "M18";
// Offsets and the stream.
inline constexpr std::string_view kMasterOffsetCountsStream = "O1";
inline constexpr std::string_view kSelectOnDatabaseChange = "O2";
inline constexpr std::string_view kReplicaOffsetCountsApplied = "O5";
inline constexpr std::string_view kAckReportsApplied = "O6";
inline constexpr std::string_view kLinkLossDropsPartialCommand = "O7";
inline constexpr std::string_view kFullSyncAdoptsReplyHistory = "O9";
inline constexpr std::string_view kNoInlineFromMaster = "O11";
inline constexpr std::string_view kPropagationReproducesState = "P1";
// The snapshot on the replica's side.
inline constexpr std::string_view kPayloadPreamble = "R1";
inline constexpr std::string_view kFailedTransferKeepsData = "R2";
inline constexpr std::string_view kEofMarkVerified = "R3";
inline constexpr std::string_view kRdbChecksumVerified = "R4";
inline constexpr std::string_view kRdbVersionRange = "R6";
inline constexpr std::string_view kRdbTypesLoad = "R7";
inline constexpr std::string_view kSurvivesMalformedInput = "R8";
inline constexpr std::string_view kAbandonedTransferLeavesNoFile = "R9";
// Expiry.
inline constexpr std::string_view kExpiryPropagatesAbsolute = "E1";
inline constexpr std::string_view kExpiredKeysDeletedByMaster = "E2";

}  // namespace conformance::rules
