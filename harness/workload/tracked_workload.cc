#include "harness/workload/tracked_workload.h"

#include <algorithm>
#include <string>

#include "harness/workload/kinds.h"
#include "harness/workload/picker.h"
#include "harness/workload/type_ops.h"

namespace conformance::workload {

namespace {

// Writes the generated commands with their SELECTs and MULTI/EXEC, and keeps the tracker (the
// keyspace the commands are written to) up to date.
class Emitter {
 public:
  Emitter(const WorkloadOptions& options, const keyspace::Keyspace& initial)
      : options_(options), tracker_(initial) {}

  void Select(int db) {
    if (db == current_) return;
    if (db == 0 && !Accepted(options_.accepts, {"SELECT", "0"})) return;  // one database only
    out_.push_back({"SELECT", std::to_string(db)});
    tracker_.Apply(out_.back());
    current_ = db;
  }
  // Opens a transaction now and then (the next 2..5 commands).
  void MaybeBegin(Picker& pick) {
    if (in_multi_ > 0 || !options_.multi || !pick.Chance(12)) return;
    if (!Accepted(options_.accepts, {"MULTI"})) return;
    out_.push_back({"MULTI"});
    in_multi_ = 2 + pick.Below(4);
  }
  // Applies the op's effects to the tracker and writes its commands in the workload's form;
  // an op whose first command the tracker refuses is dropped.
  void Emit(const Op& op) {
    const std::vector<Command>& written = op.For(options_.form);
    if (!std::all_of(written.begin(), written.end(),
                     [&](const Command& c) { return Accepted(options_.accepts, c); })) {
      return;  // the server lacks a command or form of it
    }
    bool first = true;
    for (const Command& command : op.Effects()) {
      const bool applied = tracker_.Apply(command).ok();
      if (first && !applied) return;
      first = false;
    }
    for (const Command& command : op.For(options_.form)) out_.push_back(command);
  }
  void End() {
    if (in_multi_ > 0 && --in_multi_ == 0) out_.push_back({"EXEC"});
  }
  std::vector<Command> Finish() {
    if (in_multi_ > 0) out_.push_back({"EXEC"});
    return std::move(out_);
  }

  bool in_multi() const { return in_multi_ > 0; }
  int current() const { return current_; }
  const keyspace::Keyspace& tracker() const { return tracker_; }

 private:
  const WorkloadOptions& options_;
  keyspace::Keyspace tracker_;
  std::vector<Command> out_;
  int current_ = -1;
  size_t in_multi_ = 0;
};

Op TypeOp(const OpContext& c) {
  const std::string_view type = c.kind.type;
  if (type == "string") return StringOp(c);
  if (type == "list") return ListOp(c);
  if (type == "hash") return HashOp(c);
  if (type == "set") return SetOp(c);
  if (type == "zset") return ZSetOp(c);
  return StreamOp(c);
}

}  // namespace

std::vector<Command> AllTypesWorkload(const WorkloadOptions& options,
                                      const keyspace::Keyspace& initial) {
  const std::vector<KindInfo> kinds = AllowedKinds(options.types);
  if (kinds.empty()) return {};
  Picker pick(options.seed);
  FakeTime time;
  Emitter emitter(options, initial);
  const size_t n = kinds.size();
  // Keys per kind: the first ones of the dataset's (same names), so snapshot keys change too.
  const size_t pool = std::clamp<size_t>(options.commands / (n * 3), 6, 40);
  for (size_t i = 0; i < options.commands; ++i) {
    const size_t kind_index = pick.Below(n);
    const KindInfo& kind = kinds[kind_index];
    const size_t slot = pick.Below(pool);
    const size_t index = kind_index + n * slot;
    const size_t sibling_index = kind_index + n * ((slot + 1 + pick.Below(pool - 1)) % pool);
    const int db = emitter.in_multi() ? emitter.current() : DatabaseOf(index, n, options.databases);
    emitter.Select(db);
    emitter.MaybeBegin(pick);
    const keyspace::Keyspace& tracker = emitter.tracker();
    const std::string key = KeyName(kind, index);
    const std::string sibling = KeyName(kind, sibling_index);
    OpContext c{pick,
                time,
                kind,
                key,
                tracker.Find(db, key),
                sibling,
                tracker.Find(db, sibling),
                db,
                options.databases,
                options.expire,
                options.pin_entries_read};
    const size_t roll = pick.Below(100);
    Op op;
    if (roll < 6) {
      op = RecreateOp(c);
    } else if (roll < 12) {
      op = KeyOp(c);
    } else if (roll < 26 && options.expire) {
      op = ExpiryOp(c);
    }
    if (op.empty()) op = TypeOp(c);
    if (op.empty()) op = RecreateOp(c);
    emitter.Emit(op);
    emitter.End();
  }
  return emitter.Finish();
}

std::vector<Command> ExpiryWorkload(const WorkloadOptions& options,
                                    const keyspace::Keyspace& initial) {
  // Sorted per database: the server's own order varies between runs, the seed's choices not.
  std::vector<std::pair<int, std::vector<std::string>>> keys;
  for (int db : options.databases) {
    std::vector<std::string> names;
    initial.db(db).ForEach([&names](const keyspace::Database::View& view) {
      names.emplace_back(view.key());
    });
    std::sort(names.begin(), names.end());
    if (!names.empty()) keys.emplace_back(db, std::move(names));
  }
  if (keys.empty()) return {};
  static const KindInfo kString{Kind::kStringShort, "s:short", "string"};
  Picker pick(options.seed);
  FakeTime time;
  Emitter emitter(options, initial);
  for (size_t i = 0; i < options.commands; ++i) {
    const auto& [db, names] =
        emitter.in_multi()
            ? *std::find_if(keys.begin(), keys.end(),
                            [&](const auto& k) { return k.first == emitter.current(); })
            : keys[pick.Below(keys.size())];
    emitter.Select(db);
    emitter.MaybeBegin(pick);
    const std::string& key = names[pick.Below(names.size())];
    OpContext c{pick,    time, kString,           key,  emitter.tracker().Find(db, key), key,
                nullptr, db,   options.databases, true, options.pin_entries_read};
    emitter.Emit(ExpiryOp(c));
    emitter.End();
  }
  return emitter.Finish();
}

}  // namespace conformance::workload
