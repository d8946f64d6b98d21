#include "harness/rdb/opcodes.h"

namespace conformance::rdb {

const char* ToString(Opcode opcode) {
  switch (opcode) {
    case Opcode::kSlotImport: return "slot-import";
    case Opcode::kSlotInfo: return "slot-info";
    case Opcode::kFunction2: return "function2";
    case Opcode::kFunctionPreGa: return "function-pre-ga";
    case Opcode::kModuleAux: return "module-aux";
    case Opcode::kIdle: return "idle";
    case Opcode::kFreq: return "freq";
    case Opcode::kAux: return "aux";
    case Opcode::kResizeDb: return "resizedb";
    case Opcode::kExpireTimeMs: return "expiretime-ms";
    case Opcode::kExpireTime: return "expiretime";
    case Opcode::kSelectDb: return "selectdb";
    case Opcode::kEof: return "eof";
    case Opcode::kDflyFullSyncEnd: return "dragonfly-fullsync-end";
    case Opcode::kDflyCompressedZstdStart: return "dragonfly-compressed-zstd-blob";
    case Opcode::kDflyCompressedLz4Start: return "dragonfly-compressed-lz4-blob";
    case Opcode::kDflyCompressedBlobEnd: return "dragonfly-compressed-blob-end";
    case Opcode::kDflyJournalBlob: return "dragonfly-journal-blob";
    case Opcode::kDflyJournalOffset: return "dragonfly-journal-offset";
    case Opcode::kDflyMask: return "dragonfly-mask";
    case Opcode::kDflyVectorIndex: return "dragonfly-vector-index";
    case Opcode::kDflyShardDocIndex: return "dragonfly-shard-doc-index";
    case Opcode::kDflyTaggedChunk: return "dragonfly-tagged-chunk";
  }
  return "unknown";
}

const char* ToString(TypeId type) {
  switch (type) {
    case TypeId::kString: return "string";
    case TypeId::kList: return "list";
    case TypeId::kSet: return "set";
    case TypeId::kZSet: return "zset";
    case TypeId::kHash: return "hash";
    case TypeId::kZSet2: return "zset2";
    case TypeId::kModulePreGa: return "module-pre-ga";
    case TypeId::kModule2: return "module2";
    case TypeId::kHashZipmap: return "hash-zipmap";
    case TypeId::kListZiplist: return "list-ziplist";
    case TypeId::kSetIntset: return "set-intset";
    case TypeId::kZSetZiplist: return "zset-ziplist";
    case TypeId::kHashZiplist: return "hash-ziplist";
    case TypeId::kListQuicklist: return "list-quicklist";
    case TypeId::kStreamListpacks: return "stream-listpacks";
    case TypeId::kHashListpack: return "hash-listpack";
    case TypeId::kZSetListpack: return "zset-listpack";
    case TypeId::kListQuicklist2: return "list-quicklist2";
    case TypeId::kStreamListpacks2: return "stream-listpacks2";
    case TypeId::kSetListpack: return "set-listpack";
    case TypeId::kStreamListpacks3: return "stream-listpacks3";
    case TypeId::kHashMetadataPreGa: return "hash-metadata-pre-ga";
    case TypeId::kHashListpackExPreGa: return "hash-listpack-ex-pre-ga";
    case TypeId::kHashMetadata: return "hash-metadata";
    case TypeId::kHashListpackEx: return "hash-listpack-ex";
    case TypeId::kDflyJson: return "dragonfly-json";
    case TypeId::kDflyHashWithExpiry: return "dragonfly-hash-with-expiry";
    case TypeId::kDflySetWithExpiry: return "dragonfly-set-with-expiry";
    case TypeId::kDflySbf: return "dragonfly-sbf";
    case TypeId::kDflySbf2: return "dragonfly-sbf2";
    case TypeId::kDflyCms: return "dragonfly-cms";
    case TypeId::kDflyTopK: return "dragonfly-topk";
    case TypeId::kDflyCuckoo: return "dragonfly-cuckoo";
  }
  return "unknown";
}

const char* ToString(ModuleOpcode opcode) {
  switch (opcode) {
    case ModuleOpcode::kEof: return "eof";
    case ModuleOpcode::kSInt: return "sint";
    case ModuleOpcode::kUInt: return "uint";
    case ModuleOpcode::kFloat: return "float";
    case ModuleOpcode::kDouble: return "double";
    case ModuleOpcode::kString: return "string";
  }
  return "unknown";
}

const char* ToString(QuicklistContainer container) {
  switch (container) {
    case QuicklistContainer::kPlain: return "plain";
    case QuicklistContainer::kPacked: return "packed";
  }
  return "unknown";
}

const char* ToString(Flavor flavor) {
  switch (flavor) {
    case Flavor::kRedis: return "redis";
    case Flavor::kValkey: return "valkey";
  }
  return "unknown";
}

bool IsOpcode(uint8_t byte, Flavor flavor) {
  if (byte >= static_cast<uint8_t>(Opcode::kSlotInfo)) return true;
  if (byte == static_cast<uint8_t>(Opcode::kSlotImport)) return flavor == Flavor::kValkey;
  switch (static_cast<Opcode>(byte)) {
    case Opcode::kDflyFullSyncEnd:
    case Opcode::kDflyCompressedZstdStart:
    case Opcode::kDflyCompressedLz4Start:
    case Opcode::kDflyCompressedBlobEnd:
    case Opcode::kDflyJournalBlob:
    case Opcode::kDflyJournalOffset:
    case Opcode::kDflyMask:
    case Opcode::kDflyVectorIndex:
    case Opcode::kDflyShardDocIndex:
    case Opcode::kDflyTaggedChunk: return true;
    default: return false;
  }
}

}  // namespace conformance::rdb
