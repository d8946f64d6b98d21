#include "harness/rdb/reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "harness/common/escape.h"
#include "harness/rdb/crc64.h"
#include "harness/rdb/cursor.h"
#include "harness/rdb/value_decoder.h"

namespace conformance::rdb {
namespace {

constexpr size_t kMagicSize = 9;
constexpr size_t kReadChunk = size_t{1} << 20;

bool AllDigits(std::string_view s) {
  for (char ch : s) {
    if (ch < '0' || ch > '9') return false;
  }
  return !s.empty();
}

}  // namespace

Reader::Reader(Handler* handler, ReaderLimits limits)
    : handler_(handler), limits_(limits), decoder_(std::make_unique<ValueDecoder>(&limits_)) {}

Reader::~Reader() = default;

Error Reader::Fail(Error error) {
  if (!error_) error_ = std::move(error);
  return *error_;
}

std::string Reader::Context() const {
  switch (state_) {
    case State::kMagic: return "in the header";
    case State::kRecord: return "at the start of a record";
    case State::kValue:
      return fmt::format("inside the value of key \"{}\" (key at offset {})", EscapeBytes(key_, 64),
                         key_offset_);
    case State::kModuleAux: return "inside module aux data";
    case State::kChecksum: return "inside the checksum after the EOF opcode";
    case State::kDone: return "after the end";
  }
  return "";
}

// The handler's verdict on a callback, kept so ReadRecord can return bool like every unit.
#define RDB_CALL(expr)                      \
  do {                                      \
    Status rdb_st_ = (expr);                \
    if (!rdb_st_.ok()) {                    \
      handler_status_ = std::move(rdb_st_); \
      return false;                         \
    }                                       \
  } while (0)

bool Reader::ReadMagic(Cursor& c) {
  std::string_view magic;
  if (!c.Take(kMagicSize, &magic)) return false;
  std::string_view digits;
  if (magic.substr(0, 5) == "REDIS") {
    digits = magic.substr(5);
  } else if (magic.substr(0, 6) == "VALKEY") {
    digits = magic.substr(6);
    flavor_ = Flavor::kValkey;
  } else {
    return c.Fail(0, fmt::format("bad magic \"{}\" (expected \"REDIS\" or \"VALKEY\" and the "
                                 "version, e.g. \"REDIS0011\")",
                                 EscapeBytes(magic)));
  }
  if (!AllDigits(digits)) {
    return c.Fail(0, fmt::format("bad version digits in magic \"{}\"", EscapeBytes(magic)));
  }
  int version = 0;
  for (char ch : digits) version = version * 10 + (ch - '0');
  if (version >= kValkeyVersion) flavor_ = Flavor::kValkey;
  const bool ok = (version >= 1 && version <= kMaxRedisVersion) || version == kValkeyVersion;
  if (!ok) {
    return c.Fail(0, fmt::format("unsupported RDB version {} (this reader supports 1..{} and "
                                 "Valkey {})",
                                 version, kMaxRedisVersion, kValkeyVersion));
  }
  version_ = version;
  RDB_CALL(handler_->OnHeader(version));
  return true;
}

bool Reader::ReadRecord(Cursor& c) {
  const uint64_t at = c.offset();
  uint8_t b;
  if (!c.Byte(&b)) return false;
  if (!IsOpcode(b, flavor_)) {
    if (!ValueDecoder::IsValueType(b, flavor_, version_)) {
      // Everything that is no opcode is a type followed by a key; name the key if it reads.
      // A copy of the cursor probes for it, so a failed probe leaves no error behind.
      Cursor probe = c;
      std::string key;
      if (!probe.String(&key, "key")) {
        if (probe.short_input()) return c.Short(probe.needed_end() - c.offset());
        return c.Fail(at, fmt::format("unknown opcode or value type {}", b));
      }
      return c.Fail(at,
                    fmt::format("unknown value type {} for key \"{}\"", b, EscapeBytes(key, 64)));
    }
    std::string key;
    const uint64_t key_at = c.offset();
    if (!c.String(&key, "key")) return false;
    key_ = std::move(key);
    key_offset_ = key_at;
    meta_.type_byte = b;
    decoder_->Start(b, flavor_, version_, key_, /*dump=*/false, handler_->TakesPacked());
    state_ = State::kValue;
    return true;
  }
  switch (static_cast<Opcode>(b)) {
    case Opcode::kAux: {
      std::string key, value;
      if (!c.String(&key, "aux key") || !c.String(&value, "aux value")) return false;
      RDB_CALL(handler_->OnAux(key, value));
      return true;
    }
    case Opcode::kResizeDb: {
      uint64_t db_size, expires_size;
      if (!c.Number(&db_size, "resizedb size") || !c.Number(&expires_size, "resizedb expires")) {
        return false;
      }
      RDB_CALL(handler_->OnResizeDb(db_size, expires_size));
      return true;
    }
    case Opcode::kExpireTimeMs: {
      uint64_t ms;
      if (!c.FixedLE(8, &ms)) return false;
      expire_at_ms_ = static_cast<int64_t>(ms);
      return true;
    }
    case Opcode::kExpireTime: {
      uint64_t s;
      if (!c.FixedLE(4, &s)) return false;
      expire_at_ms_ = int64_t{static_cast<int32_t>(static_cast<uint32_t>(s))} * 1000;
      return true;
    }
    case Opcode::kSelectDb: {
      uint64_t db;
      if (!c.Number(&db, "db number")) return false;
      RDB_CALL(handler_->OnSelectDb(db));
      return true;
    }
    case Opcode::kEof: state_ = version_ >= 5 ? State::kChecksum : State::kDone; return true;
    case Opcode::kIdle: {
      uint64_t idle;
      if (!c.Number(&idle, "LRU idle time")) return false;
      meta_.lru_idle_seconds = static_cast<int64_t>(idle);
      return true;
    }
    case Opcode::kFreq: {
      uint8_t freq;
      if (!c.Byte(&freq)) return false;
      meta_.lfu_freq = freq;
      return true;
    }
    case Opcode::kModuleAux: {
      uint64_t id;
      if (!c.Number(&id, "module id")) return false;
      module_aux_id_ = id;
      decoder_->StartModuleAux();
      state_ = State::kModuleAux;
      return true;
    }
    case Opcode::kFunction2: {
      std::string code;
      if (!c.String(&code, "function code")) return false;
      RDB_CALL(handler_->OnFunction(code));
      return true;
    }
    case Opcode::kFunctionPreGa: {
      std::string name, engine, desc, code;
      uint64_t has_desc;
      if (!c.String(&name, "function name") || !c.String(&engine, "function engine") ||
          !c.Number(&has_desc, "function description flag") ||
          (has_desc != 0 && !c.String(&desc, "function description")) ||
          !c.String(&code, "function code")) {
        return false;
      }
      // What Redis does with the RC format: put engine and name into a shebang line.
      RDB_CALL(handler_->OnFunction(fmt::format("#!{} name={}\n{}", engine, name, code)));
      return true;
    }
    case Opcode::kSlotInfo: {
      uint64_t slot, size, expires;
      if (!c.Number(&slot, "slot id") || !c.Number(&size, "slot size") ||
          !c.Number(&expires, "slot expires size")) {
        return false;
      }
      RDB_CALL(handler_->OnSlotInfo(slot, size, expires));
      return true;
    }
    case Opcode::kSlotImport: {
      std::string job;
      uint64_t n;
      if (!c.String(&job, "slot import job") || !c.Count(&n, "slot range count")) return false;
      std::vector<std::pair<uint64_t, uint64_t>> ranges;
      for (uint64_t i = 0; i < n; ++i) {
        uint64_t from, to;
        if (!c.Number(&from, "slot range start") || !c.Number(&to, "slot range end")) return false;
        ranges.emplace_back(from, to);
      }
      RDB_CALL(handler_->OnSlotImport(job, ranges));
      return true;
    }
    case Opcode::kDflyFullSyncEnd: {
      std::string_view pad;
      if (!c.Take(8, &pad)) return false;
      RDB_CALL(handler_->OnDragonflyFullSyncEnd());
      return true;
    }
    case Opcode::kDflyJournalBlob: {
      uint64_t count;
      std::string blob;
      if (!c.Number(&count, "journal record count") || !c.String(&blob, "journal blob")) {
        return false;
      }
      RDB_CALL(handler_->OnDragonflyJournalBlob(count, blob));
      return true;
    }
    case Opcode::kDflyJournalOffset: {
      uint64_t offset;
      if (!c.FixedLE(8, &offset)) return false;
      RDB_CALL(handler_->OnDragonflyJournalOffset(offset));
      return true;
    }
    case Opcode::kDflyMask: {
      uint64_t mask, mc_flags = 0;
      if (!c.FixedLE(4, &mask)) return false;
      if ((mask & 2) != 0 && !c.FixedLE(4, &mc_flags)) return false;
      meta_.dragonfly_mask = static_cast<uint32_t>(mask);
      meta_.memcached_flags = static_cast<uint32_t>(mc_flags);
      return true;
    }
    case Opcode::kDflyCompressedZstdStart:
    case Opcode::kDflyCompressedLz4Start:
    case Opcode::kDflyCompressedBlobEnd:
    case Opcode::kDflyVectorIndex:
    case Opcode::kDflyShardDocIndex:
    case Opcode::kDflyTaggedChunk:
      return c.Fail(at, fmt::format("unsupported Dragonfly opcode {} ({}); run the master with "
                                    "--compression_mode=0 --serialization_tagged_chunks=false",
                                    b, ToString(static_cast<Opcode>(b))));
  }
  return c.Fail(at, fmt::format("unknown opcode {}", b));
}

bool Reader::ReadChecksum(Cursor& c) {
  const uint64_t at = c.offset();
  uint64_t stored;
  if (!c.FixedLE(8, &stored)) return false;
  if (stored != 0 && stored != crc_) {
    return c.Fail(
        at, fmt::format("CRC64 mismatch: file says 0x{:016x}, computed 0x{:016x}", stored, crc_));
  }
  RDB_CALL(handler_->OnEnd(stored != 0));
  state_ = State::kDone;
  return true;
}

#undef RDB_CALL

Status Reader::DeliverKey() {
  Status st = decoder_->packed()
                  ? handler_->OnPackedKey(std::move(key_), decoder_->packed_type(),
                                          decoder_->packed_bytes(), expire_at_ms_, meta_)
                  : handler_->OnKey(std::move(key_),
                                    data::Entry{decoder_->TakeValue(), expire_at_ms_}, meta_);
  key_.clear();
  expire_at_ms_ = data::Entry::kNoExpiry;
  meta_ = KeyMeta{};
  return st;
}

Result<size_t> Reader::Parse(std::string_view window) {
  Cursor c(window, base_, &limits_);
  size_t crc_from = 0;
  auto flush_crc = [&](size_t upto) {
    if (crc_active_ && upto > crc_from)
      crc_ = Crc64(crc_, window.substr(crc_from, upto - crc_from));
    crc_from = upto;
  };
  auto stalled = [&](size_t unit_start) -> Result<size_t> {
    c.Rewind(unit_start);
    need_end_ = c.needed_end();
    const uint64_t unit_at = base_ + unit_start;
    if (need_end_ - unit_at > limits_.max_record_size) {
      return Fail(
          Error{fmt::format("RDB offset {}: a single record needs {} bytes, more than "
                            "max_record_size {} ({})",
                            unit_at, need_end_ - unit_at, limits_.max_record_size, Context()),
                ErrorKind::kProtocol});
    }
    flush_crc(unit_start);
    return unit_start;
  };
  while (true) {
    const size_t unit_start = c.pos();
    bool ok = true;
    switch (state_) {
      case State::kMagic:
        ok = ReadMagic(c);
        if (ok && state_ == State::kMagic) state_ = State::kRecord;
        break;
      case State::kRecord: {
        ok = ReadRecord(c);
        if (ok && (state_ == State::kChecksum || state_ == State::kDone)) {
          // The EOF opcode: the checksum covers everything up to and including it.
          flush_crc(c.pos());
          crc_active_ = false;
          if (state_ == State::kDone) {
            Status st = handler_->OnEnd(false);
            if (!st.ok()) handler_status_ = std::move(st);
          }
        }
        break;
      }
      case State::kValue:
      case State::kModuleAux: {
        const ValueDecoder::Step step = decoder_->Run(c);
        if (step == ValueDecoder::Step::kNeedMore) {
          ok = false;
          break;
        }
        if (step == ValueDecoder::Step::kError) {
          ok = false;
          break;
        }
        const bool is_key = state_ == State::kValue;
        state_ = State::kRecord;
        Status st = is_key ? DeliverKey()
                           : handler_->OnModuleAux(module_aux_id_, decoder_->TakeModuleRaw());
        if (!st.ok()) handler_status_ = std::move(st);
        break;
      }
      case State::kChecksum: ok = ReadChecksum(c); break;
      case State::kDone:
        if (c.remaining() > 0) {
          return Fail(Error{fmt::format("RDB offset {}: {} bytes of trailing garbage after the "
                                        "end of the RDB",
                                        c.offset(), c.remaining()),
                            ErrorKind::kProtocol});
        }
        return c.pos();
    }
    if (!handler_status_.ok()) return Fail(handler_status_.error());
    if (!ok) {
      if (c.has_error()) return Fail(c.error());
      // A short read: rewind to the unit's start (the value decoder already did) and wait.
      if (state_ == State::kValue || state_ == State::kModuleAux) return stalled(c.pos());
      return stalled(unit_start);
    }
    c.ClearShortInput();
    need_end_ = 0;
  }
}

Status Reader::Feed(std::string_view bytes) {
  if (error_) return *error_;
  while (!bytes.empty()) {
    if (state_ == State::kDone) {
      return Fail(Error{fmt::format("RDB offset {}: {} bytes of trailing garbage after the end "
                                    "of the RDB",
                                    base_ + buffer_.size(), bytes.size()),
                        ErrorKind::kProtocol});
    }
    if (buffer_.empty()) {
      // Parse straight from the caller's bytes; copy only the unfinished tail.
      if (need_end_ > base_ + bytes.size()) {
        buffer_.assign(bytes);
        return OkStatus();
      }
      auto consumed = Parse(bytes);
      if (!consumed.ok()) return consumed.error();
      base_ += *consumed;
      buffer_.assign(bytes.substr(*consumed));
      return OkStatus();
    }
    // A unit is pending in buffer_: append only the bytes it still needs, so that once it is
    // complete the rest of `bytes` is parsed in place instead of being copied.
    const uint64_t have = base_ + buffer_.size();
    const size_t take =
        need_end_ > have ? static_cast<size_t>(std::min<uint64_t>(bytes.size(), need_end_ - have))
                         : bytes.size();
    buffer_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    if (base_ + buffer_.size() < need_end_) return OkStatus();
    auto consumed = Parse(buffer_);
    if (!consumed.ok()) return consumed.error();
    base_ += *consumed;
    buffer_.erase(0, *consumed);
  }
  return OkStatus();
}

Status Reader::Finish() {
  if (error_) return *error_;
  if (state_ == State::kDone) return OkStatus();
  const uint64_t end = base_ + buffer_.size();
  std::string expected = state_ == State::kMagic      ? "the 9-byte magic"
                         : state_ == State::kChecksum ? "the 8-byte checksum"
                                                      : "the EOF opcode";
  return Fail(Error{fmt::format("RDB offset {}: input ended (truncated RDB) {}, before {}; {} "
                                "unparsed bytes from offset {}",
                                end, Context(), expected, buffer_.size(), base_),
                    ErrorKind::kProtocol});
}

Status ReadFile(const std::string& path, Handler* handler, ReaderLimits limits) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return Error{fmt::format("cannot open RDB file \"{}\"", path)};
  Reader reader(handler, limits);
  std::string chunk(kReadChunk, '\0');
  while (true) {
    const size_t n = std::fread(chunk.data(), 1, chunk.size(), f.get());
    if (n > 0) CONFORMANCE_RETURN_IF_ERROR(reader.Feed(std::string_view(chunk.data(), n)));
    if (n < chunk.size()) {
      if (std::ferror(f.get())) return Error{fmt::format("error reading \"{}\"", path)};
      break;
    }
  }
  return reader.Finish();
}

std::string ModuleTypeName(uint64_t module_id) {
  static constexpr char kCharset[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const uint64_t encver = module_id & 1023;
  uint64_t id = module_id >> 10;
  char name[9];
  for (int i = 8; i >= 0; --i) {
    name[i] = kCharset[id & 63];
    id >>= 6;
  }
  return fmt::format("{}/{}", std::string_view(name, 9), encver);
}

}  // namespace conformance::rdb
