#include "harness/repl/master_rdb.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <type_traits>

#include "harness/repl/backlog.h"

namespace conformance::repl {

namespace {

// Records the bytes each write adds to the RDB, when a layout is wanted.
class LayoutRecorder {
 public:
  LayoutRecorder(const rdb::Writer& writer, std::vector<RdbRecord>* layout)
      : writer_(writer), layout_(layout) {}
  template <typename Write>
  auto operator()(RdbRecord::Kind kind, Write&& write) {
    const size_t begin = writer_.bytes().size();
    auto done = [&] {
      if (layout_ != nullptr) layout_->push_back({kind, begin, writer_.bytes().size()});
    };
    if constexpr (std::is_void_v<decltype(write())>) {
      write();
      done();
    } else {
      auto result = write();
      done();
      return result;
    }
  }

 private:
  const rdb::Writer& writer_;
  std::vector<RdbRecord>* layout_;
};

}  // namespace

Result<std::string> BuildRdb(const keyspace::Keyspace& model, const RdbBuildOptions& options,
                             std::vector<RdbRecord>* layout) {
  using Kind = RdbRecord::Kind;
  rdb::Writer writer(options.writer);
  LayoutRecorder record(writer, layout);
  const int version = options.writer.version;
  record(Kind::kHeader, [&] { writer.WriteHeader(); });
  if (version >= kFirstAuxRdbVersion) {
    if (options.server_aux) {
      const int64_t ctime =
          options.ctime.value_or(std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
      record(Kind::kAux, [&] { writer.WriteAux("redis-ver", options.redis_ver); });
      record(Kind::kAux, [&] { writer.WriteAux("redis-bits", int64_t{64}); });
      record(Kind::kAux, [&] { writer.WriteAux("ctime", ctime); });
      record(Kind::kAux, [&] { writer.WriteAux("used-mem", int64_t{0}); });
    }
    if (options.repl_stream_db) {
      record(Kind::kAux, [&] { writer.WriteAux("repl-stream-db", int64_t{*options.repl_stream_db}); });
    }
    if (options.repl_id) record(Kind::kAux, [&] { writer.WriteAux("repl-id", *options.repl_id); });
    if (options.repl_offset) {
      record(Kind::kAux, [&] { writer.WriteAux("repl-offset", *options.repl_offset); });
    }
    for (const auto& [key, value] : options.extra_aux) {
      record(Kind::kAux, [&] { writer.WriteAux(key, value); });
    }
  }
  if (options.functions && !model.functions().empty()) {
    if (version < kFirstFunctionRdbVersion) {
      return Error{fmt::format("the model holds {} function libraries; RDB {} cannot carry them",
                               model.functions().size(), version)};
    }
    for (const auto& [name, code] : model.functions()) {
      record(Kind::kFunction, [&] { writer.WriteFunction(code); });
    }
  }
  for (int db = 0; db < model.databases(); ++db) {
    const keyspace::Database& database = model.db(db);
    if (database.empty()) continue;
    const std::vector<keyspace::Database::View> views = database.SortedViews();
    uint64_t expires = 0;
    for (const keyspace::Database::View& view : views) {
      if (view.expire_at_ms() != data::Entry::kNoExpiry) ++expires;
    }
    record(Kind::kSelectDb, [&] { writer.WriteSelectDb(static_cast<uint64_t>(db)); });
    if (version >= kFirstAuxRdbVersion) {
      record(Kind::kResizeDb, [&] { writer.WriteResizeDb(database.size(), expires); });
    }
    for (const keyspace::Database::View& view : views) {
      const data::Entry* unpacked = view.unpacked();
      Status status = record(Kind::kKey, [&] {
        return unpacked != nullptr ? writer.WriteKey(view.key(), *unpacked)
                                   : writer.WriteKey(view.key(), view.Copy());
      });
      if (!status.ok()) {
        return Error{fmt::format("db {} key \"{}\": {}", db, view.key(), status.message())};
      }
    }
  }
  record(Kind::kEnd, [&] { writer.WriteEnd(); });
  return writer.TakeBytes();
}

std::string LengthPreamble(uint64_t length) { return fmt::format("${}\r\n", length); }

std::string EofPreamble(std::string_view mark) { return fmt::format("$EOF:{}\r\n", mark); }

std::string RandomEofMark(std::mt19937_64& rng) { return RandomReplid(rng); }

}  // namespace conformance::repl
