#include "harness/keyspace/keyspace.h"

#include <fmt/format.h>

#include "harness/keyspace/commands.h"
#include "harness/keyspace/context.h"
#include "harness/keyspace/parse.h"

namespace conformance::keyspace {

namespace {

bool ArityMatches(int arity, size_t argc) {
  const auto n = static_cast<int64_t>(argc);
  return arity >= 0 ? n == arity : n >= -static_cast<int64_t>(arity);
}

std::string ArityError(std::string_view name) {
  return fmt::format("ERR wrong number of arguments for '{}' command", ToLower(name));
}

std::string UnmodelledMessage(const CommandSpec* spec, std::string_view name) {
  if (spec == nullptr) return fmt::format("{}: unknown command", ToUpper(name));
  return fmt::format("{}: {}", spec->info.name, spec->info.notes);
}

const Database& EmptyDatabase() {
  static const Database kEmpty;
  return kEmpty;
}

}  // namespace

const char* ToString(ApplyStatus status) {
  switch (status) {
    case ApplyStatus::kApplied:
      return "applied";
    case ApplyStatus::kUnmodelled:
      return "unmodelled";
    case ApplyStatus::kError:
      return "error";
  }
  return "unknown";
}

Keyspace::Keyspace(KeyspaceOptions options) : options_(std::move(options)) {
  if (options_.databases < 1) options_.databases = 1;
  dbs_.resize(static_cast<size_t>(options_.databases));
}

ApplyResult Keyspace::Apply(const std::vector<std::string>& argv) {
  if (argv.empty()) return Failed("ERR empty command");
  const std::string_view name = argv[0];
  if (in_multi_) {
    if (EqualsIgnoreCase(name, "EXEC")) return Exec();
    if (EqualsIgnoreCase(name, "DISCARD")) {
      in_multi_ = false;
      queued_.clear();
      multi_error_.clear();
      multi_unmodelled_.clear();
      return Applied();
    }
    if (EqualsIgnoreCase(name, "MULTI")) return Failed("ERR MULTI calls can not be nested");
    const CommandSpec* spec = FindCommand(name);
    if (spec == nullptr || spec->handler == nullptr) {
      ApplyResult result = Unmodelled(UnmodelledMessage(spec, name));
      if (multi_unmodelled_.empty()) multi_unmodelled_ = result.message;
      return result;
    }
    if (!ArityMatches(spec->info.arity, argv.size())) {
      if (multi_error_.empty()) multi_error_ = ArityError(name);
      return Failed(ArityError(name));
    }
    queued_.push_back(argv);
    return {ApplyStatus::kApplied, "QUEUED"};
  }
  if (EqualsIgnoreCase(name, "MULTI")) {
    if (argv.size() != 1) return Failed(ArityError(name));
    in_multi_ = true;
    return Applied();
  }
  if (EqualsIgnoreCase(name, "EXEC")) return Failed("ERR EXEC without MULTI");
  if (EqualsIgnoreCase(name, "DISCARD")) return Failed("ERR DISCARD without MULTI");
  return Execute(argv);
}

ApplyResult Keyspace::Execute(const std::vector<std::string>& argv) {
  const CommandSpec* spec = FindCommand(argv[0]);
  if (spec == nullptr || spec->handler == nullptr) {
    return Unmodelled(UnmodelledMessage(spec, argv[0]));
  }
  if (!ArityMatches(spec->info.arity, argv.size())) return Failed(ArityError(argv[0]));
  CommandContext ctx(*this);
  return spec->handler(ctx, argv);
}

ApplyResult Keyspace::Exec() {
  in_multi_ = false;
  std::vector<std::vector<std::string>> queued = std::move(queued_);
  queued_.clear();
  std::string unmodelled = std::move(multi_unmodelled_);
  std::string queue_error = std::move(multi_error_);
  multi_unmodelled_.clear();
  multi_error_.clear();
  if (!unmodelled.empty()) {
    return Unmodelled(
        fmt::format("EXEC: the transaction holds an unmodelled command ({})", unmodelled));
  }
  if (!queue_error.empty()) {
    return Failed(fmt::format("EXECABORT Transaction discarded because of previous errors ({})",
                              queue_error));
  }
  // Like Redis, a command failing at run time does not stop or undo the others.
  std::string errors;
  std::string unmodelled_at_run_time;
  for (size_t i = 0; i < queued.size(); ++i) {
    ApplyResult result = Execute(queued[i]);
    if (result.status == ApplyStatus::kError) {
      if (!errors.empty()) errors += "; ";
      errors += fmt::format("command #{} ({}): {}", i + 1, ToUpper(queued[i][0]), result.message);
    } else if (result.status == ApplyStatus::kUnmodelled && unmodelled_at_run_time.empty()) {
      unmodelled_at_run_time = result.message;
    }
  }
  if (!unmodelled_at_run_time.empty()) {
    return Unmodelled(fmt::format("EXEC: {}", unmodelled_at_run_time));
  }
  if (!errors.empty()) return Failed(fmt::format("EXEC: {}", errors));
  return Applied();
}

void Keyspace::Select(int db) {
  if (db >= 0 && db < databases()) selected_ = db;
}

void Keyspace::Set(int db, std::string_view key, data::Entry entry) {
  if (db < 0 || db >= databases()) return;
  dbs_[static_cast<size_t>(db)].Set(key, std::move(entry));
}

void Keyspace::SetPacked(int db, std::string_view key, data::ValueType type,
                         std::string_view packed, int64_t expire_at_ms) {
  if (db < 0 || db >= databases()) return;
  dbs_[static_cast<size_t>(db)].SetPacked(key, type, packed, expire_at_ms);
}

void Keyspace::Reserve(int db, size_t keys) {
  if (db < 0 || db >= databases()) return;
  Database& database = dbs_[static_cast<size_t>(db)];
  database.Reserve(database.size() + keys);
}

const data::Entry* Keyspace::Find(int db, std::string_view key) const {
  if (db < 0 || db >= databases()) return nullptr;
  return dbs_[static_cast<size_t>(db)].Find(key);
}

const Database& Keyspace::db(int index) const {
  if (index < 0 || index >= databases()) return EmptyDatabase();
  return dbs_[static_cast<size_t>(index)];
}

size_t Keyspace::size() const {
  size_t total = 0;
  for (const Database& database : dbs_) total += database.size();
  return total;
}

void Keyspace::Clear() {
  for (Database& database : dbs_) database.Clear();
  functions_.clear();
  selected_ = 0;
  in_multi_ = false;
  queued_.clear();
  multi_error_.clear();
  multi_unmodelled_.clear();
}

}  // namespace conformance::keyspace
