// Wire constants of the RDB format: top-level opcodes, value type ids, string encodings and
// the sub-encodings inside values. Byte values follow src/rdb.h of Redis (2.8 .. 8.x),
// Valkey (8, 9) and src/server/rdb_extensions.h of Dragonfly. Where two servers gave the same
// byte different meanings, the reader decides by the file's flavor (see Flavor).
#pragma once

#include <cstdint>

namespace conformance::rdb {

// Top-level opcodes: bytes that may stand where a value type would.
enum class Opcode : uint8_t {
  kSlotImport = 243,     // Valkey 9: slot import state (RDB 80). Redis 8 RDB 13 reuses it.
  kSlotInfo = 244,       // Redis 7.4+ / Valkey 8+: per-slot sizes (cluster mode)
  kFunction2 = 245,      // a function library's code (Redis 7.0 GA)
  kFunctionPreGa = 246,  // Redis 7.0 rc1/rc2 function library (name, engine, desc, code)
  kModuleAux = 247,      // module auxiliary data
  kIdle = 248,           // LRU idle time of the next key (seconds)
  kFreq = 249,           // LFU frequency of the next key (one byte)
  kAux = 250,            // aux field: two strings
  kResizeDb = 251,       // hash table sizes hint
  kExpireTimeMs = 252,   // expiry of the next key, int64 LE unix ms
  kExpireTime = 253,     // expiry of the next key, int32 LE unix seconds (RDB < 3)
  kSelectDb = 254,       // database number of the following keys
  kEof = 255,            // end of the RDB, followed by the CRC64 (RDB >= 5)
  // Dragonfly extensions (range 200..240).
  kDflyFullSyncEnd = 200,          // 8 zero bytes of padding follow
  kDflyCompressedZstdStart = 201,  // zstd frame with a run of records (unsupported)
  kDflyCompressedLz4Start = 202,   // LZ4 frame with a run of records (unsupported)
  kDflyCompressedBlobEnd = 203,    // never on the wire
  kDflyJournalBlob = 210,          // packed count + RDB string of journal records
  kDflyJournalOffset = 211,        // uint64 LE: the shard's next LSN
  kDflyMask = 220,                 // uint32 LE key flags [+ uint32 LE memcached flags]
  kDflyVectorIndex = 222,          // HNSW graph (unsupported)
  kDflyShardDocIndex = 223,        // search doc-id map (unsupported)
  kDflyTaggedChunk = 224,          // u32 stream id + u32 len + payload (unsupported)
};

// Value type ids (the byte before a key).
enum class TypeId : uint8_t {
  kString = 0,
  kList = 1,  // linked list of strings
  kSet = 2,
  kZSet = 3,  // scores as length-prefixed decimal strings
  kHash = 4,
  kZSet2 = 5,        // scores as binary doubles (RDB >= 8)
  kModulePreGa = 6,  // Redis 4.0 RC module value: no EOF marker, cannot be skipped
  kModule2 = 7,      // module id + opcode stream + EOF marker
  kHashZipmap = 9,
  kListZiplist = 10,
  kSetIntset = 11,
  kZSetZiplist = 12,
  kHashZiplist = 13,
  kListQuicklist = 14,    // quicklist of ziplists (RDB 7..9)
  kStreamListpacks = 15,  // RDB 9
  kHashListpack = 16,
  kZSetListpack = 17,
  kListQuicklist2 = 18,       // quicklist of plain/packed(listpack) nodes (RDB >= 10)
  kStreamListpacks2 = 19,     // + first id, max deleted id, entries added, entries read
  kSetListpack = 20,          // Redis 7.2; Dragonfly RDB < 10 uses 20 for JSON
  kStreamListpacks3 = 21,     // + consumer active time
  kHashMetadataPreGa = 22,    // Redis 7.4 RC hash with field TTLs; Valkey 9 HASH_2
  kHashListpackExPreGa = 23,  // Redis 7.4 RC listpack hash with field TTLs
  kHashMetadata = 24,         // Redis 7.4 GA: min expiry + (ttl, field, value)
  kHashListpackEx = 25,       // Redis 7.4 GA: min expiry + listpack of (field, value, ttl)
  // Dragonfly types (range 30..39).
  kDflyJson = 30,
  kDflyHashWithExpiry = 31,
  kDflySetWithExpiry = 32,
  kDflySbf = 33,
  kDflySbf2 = 34,
  kDflyCms = 35,
  kDflyTopK = 36,
  kDflyCuckoo = 37,
};
// Valkey 9 (RDB 80) gives 22 this meaning: (field, value, expiry ms) triples.
inline constexpr uint8_t kValkeyHash2 = 22;

// Special string encodings (the low 6 bits after a 11xxxxxx length byte).
enum class StringEncoding : uint8_t { kInt8 = 0, kInt16 = 1, kInt32 = 2, kLzf = 3 };

// Length encodings: the top two bits of the first byte, plus the two 10xxxxxx forms.
inline constexpr uint8_t kLen6Bit = 0;
inline constexpr uint8_t kLen14Bit = 1;
inline constexpr uint8_t kLen32Bit = 0x80;
inline constexpr uint8_t kLen64Bit = 0x81;
inline constexpr uint8_t kLenEncVal = 3;

// Module value opcodes (each a length-encoded number).
enum class ModuleOpcode : uint8_t {
  kEof = 0,
  kSInt = 1,
  kUInt = 2,
  kFloat = 3,   // 4 bytes
  kDouble = 4,  // 8 bytes
  kString = 5,
};

// Quicklist 2 node containers.
enum class QuicklistContainer : uint8_t { kPlain = 1, kPacked = 2 };

// Stream listpack entry flags.
inline constexpr int64_t kStreamItemDeleted = 1;
inline constexpr int64_t kStreamItemSameFields = 2;

// Length-prefixed double (type 3 scores): these length bytes stand for special values.
inline constexpr uint8_t kDoubleNan = 253;
inline constexpr uint8_t kDoublePosInf = 254;
inline constexpr uint8_t kDoubleNegInf = 255;

// Whose dialect a file speaks; decides the bytes the servers disagree on.
enum class Flavor : uint8_t {
  kRedis,   // "REDIS" magic and RDB version 1..12 (also Dragonfly, which writes "REDIS0009")
  kValkey,  // "VALKEY" magic or RDB version >= 80
};

// Highest RDB version of each flavor this codec reads.
inline constexpr int kMaxRedisVersion = 12;
inline constexpr int kValkeyVersion = 80;

// "aux", "selectdb", ...; "unknown" for bytes that are no opcode.
const char* ToString(Opcode opcode);
// "string", "list-quicklist2", ...; "unknown" for bytes that are no type id.
const char* ToString(TypeId type);
const char* ToString(ModuleOpcode opcode);
const char* ToString(QuicklistContainer container);
const char* ToString(Flavor flavor);

// True if the byte is a top-level opcode of the given flavor (not a value type).
bool IsOpcode(uint8_t byte, Flavor flavor);

}  // namespace conformance::rdb
