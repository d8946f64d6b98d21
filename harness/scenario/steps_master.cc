// Steps that drive the fake master against the server under test (a replica): the fake's
// listener and link, the handshake and PSYNC answers, the RDB, the stream, misbehaviours, and
// the checks on the real replica (its ACKs and INFO offsets, link state, replids, keyspace).
//
// A wait on the replica is always a read with the step's deadline, and its failure says what
// was expected and what arrived ("Expected: X, received: Y", with the frames seen); conditions
// on INFO or the keyspace are polled with the same deadline.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <asio/this_coro.hpp>
#include <random>
#include <sstream>

#include "harness/common/text.h"
#include "harness/fuzz/exchange_driver.h"
#include "harness/net/timeout.h"
#include "harness/oracle/server_keyspace.h"
#include "harness/rdb/reader.h"
#include "harness/repl/master_rdb.h"
#include "harness/repl/model_loader.h"
#include "harness/resp/encoder.h"
#include "harness/rules/ids.h"
#include "harness/server/discovery.h"
#include "harness/scenario/step_helpers.h"
#include "harness/scenario/workload_args.h"
#include "harness/workload/generator.h"
#include "harness/workload/pacer.h"

namespace conformance::scenario {

// --- Which fake master ---

// The key of the fake master a step names: its `name`, else the only one, else "master".
std::string MasterName(const CaseContext& ctx, const Args& args) {
  if (auto name = args.String("name")) return *name;
  if (ctx.masters.size() == 1) return ctx.masters.begin()->first;
  return "master";
}

Result<fakes::FakeMaster*> MasterFor(CaseContext& ctx, const Args& args) {
  const std::string name = MasterName(ctx, args);
  fakes::FakeMaster* master = ctx.Master(name);
  if (master == nullptr) {
    return Error{fmt::format("{}: no fake master '{}' listens; add a master.listen step first",
                             args.step().location.ToString(), name), ErrorKind::kHarness};
  }
  return master;
}

namespace {

using Clock = std::chrono::steady_clock;
using Framing = repl::RdbTransfer::Framing;
using fakes::FakeMaster;

constexpr size_t kMaxDifferencesShown = 10;
// Interval between two reads of the server's keyspace while check.replica-keyspace waits.
constexpr net::Duration kKeyspacePollInterval{100};

net::Duration Remaining(Clock::time_point deadline) {
  return std::max(net::Duration{0},
                  std::chrono::duration_cast<net::Duration>(deadline - Clock::now()));
}

bool IsLinkEnd(ErrorKind kind) { return kind == ErrorKind::kClosed || kind == ErrorKind::kReset; }

std::string Where(const Args& args) { return args.step().location.ToString(); }

MasterNotes& NotesFor(CaseContext& ctx, const Args& args) {
  return ctx.master_notes[MasterName(ctx, args)];
}

// --- Misbehaviours ---

Result<bool> BugBool(const std::string& name, const std::string& value, const Args& args) {
  auto parsed = ParseBool(value);
  if (!parsed) {
    return Error{fmt::format("{}: bug {} takes true or false, not '{}'", Where(args), name, value), ErrorKind::kHarness};
  }
  return *parsed;
}

Result<std::optional<int64_t>> BugInt(const std::string& name, const std::string& value,
                                      const Args& args) {
  if (value.empty() || value == "none") return std::optional<int64_t>{};
  auto parsed = ParseInt(value);
  if (!parsed) {
    return Error{fmt::format("{}: bug {} takes an integer, not '{}'", Where(args), name, value), ErrorKind::kHarness};
  }
  return std::optional<int64_t>{*parsed};
}

std::optional<std::string> BugText(const std::string& value) {
  if (value.empty()) return std::nullopt;
  return Unescape(value);
}

// Sets one fakes::MasterBugs field, named as in master_bugs.h with dashes: "wrong-eof-mark".
Status SetBug(fakes::MasterBugs& bugs, const std::string& name, const std::string& value,
              const Args& args) {
  auto set_bool = [&](bool* field) -> Status {
    auto parsed = BugBool(name, value, args);
    if (!parsed.ok()) return parsed.error();
    *field = *parsed;
    return OkStatus();
  };
  auto set_offset = [&](std::optional<uint64_t>* field) -> Status {
    auto parsed = BugInt(name, value, args);
    if (!parsed.ok()) return parsed.error();
    if (*parsed && **parsed < 0) {
      return Error{fmt::format("{}: bug {} takes a byte index >= 0", Where(args), name), ErrorKind::kHarness};
    }
    *field = *parsed ? std::optional<uint64_t>(static_cast<uint64_t>(**parsed)) : std::nullopt;
    return OkStatus();
  };
  if (name == "skip-fullresync-line") return set_bool(&bugs.skip_fullresync_line);
  if (name == "fullresync-override") {
    bugs.fullresync_override = BugText(value);
    return OkStatus();
  }
  if (name == "rdb-payload-override") {
    bugs.rdb_payload_override = BugText(value);
    return OkStatus();
  }
  if (name == "flip-rdb-byte-at") {  // negative: from the end
    auto parsed = BugInt(name, value, args);
    if (!parsed.ok()) return parsed.error();
    bugs.flip_rdb_byte_at = *parsed;
    return OkStatus();
  }
  if (name == "truncate-rdb-at") return set_offset(&bugs.truncate_rdb_at);
  if (name == "rdb-length-delta") {
    auto parsed = BugInt(name, value, args);
    if (!parsed.ok()) return parsed.error();
    bugs.rdb_length_delta = parsed->value_or(0);
    return OkStatus();
  }
  if (name == "wrong-eof-mark") return set_bool(&bugs.wrong_eof_mark);
  if (name == "glue-stream-to-mark") return set_bool(&bugs.glue_stream_to_mark);
  if (name == "continue-override") {
    bugs.continue_override = BugText(value);
    return OkStatus();
  }
  if (name == "skip-select-after-full-sync") return set_bool(&bugs.skip_select_after_full_sync);
  if (name == "inline-garbage-after-command") {
    bugs.inline_garbage_after_command = BugText(value);
    return OkStatus();
  }
  return Error{fmt::format(
      "{}: unknown bug '{}' (known: skip-fullresync-line, fullresync-override, "
      "rdb-payload-override, flip-rdb-byte-at, truncate-rdb-at, rdb-length-delta, wrong-eof-mark, "
      "glue-stream-to-mark, continue-override, skip-select-after-full-sync, "
      "inline-garbage-after-command)",
      Where(args), name), ErrorKind::kHarness};
}

// `replies` ({PING: "-ERR x", "REPLCONF capa": "+OK"}) and `bugs` of master.listen / master.bugs.
Status ApplyBugArgs(fakes::MasterBugs& bugs, const Args& args) {
  for (const auto& [step, reply] : args.StringMap("replies")) {
    std::string raw = Unescape(reply);
    if (!raw.empty() && !raw.ends_with("\n")) raw += "\r\n";
    bugs.handshake_reply_overrides[step] = raw;
  }
  for (const auto& [name, value] : args.StringMap("bugs")) {
    CONFORMANCE_RETURN_IF_ERROR(SetBug(bugs, name, value, args));
  }
  return OkStatus();
}

// The masterauth values of the scenario's server config: secrets of the transcript.
void RegisterMasterauth(CaseContext& ctx) {
  for (const auto& [name, value] : ctx.scenario->server_config) {
    if (name != "masterauth" || value.empty()) continue;
    std::string secret = value;
    if (secret.size() >= 2 && secret.front() == '"' && secret.back() == '"') {
      secret = secret.substr(1, secret.size() - 2);
    }
    ctx.transcript.AddSecret(secret);
  }
}

// --- The link ---

// Reads what the replica sends until it closes the link: REPLCONF ACKs (checked and recorded)
// and keepalive newlines are allowed before the close, nothing else.
Awaitable<Status> DrainUntilClosed(FakeMaster& fake, net::Duration timeout, std::string why) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    auto ack = co_await fake.ExpectCommand("REPLCONF ACK", Remaining(deadline));
    if (ack.ok()) continue;
    if (IsLinkEnd(ack.error().kind)) co_return OkStatus();
    if (ack.error().kind == ErrorKind::kTimeout) {
      co_return Fail(
          fmt::format("Expected: the replica closes the link ({}), received: nothing "
                      "for {} ms; it kept the link open",
                      why, timeout.count()));
    }
    co_return Fail(fmt::format("Expected: the replica closes the link ({}), received: {}", why,
                               ack.message()));
  }
}

// What the replica applied when the link ends now: everything sent, except an unfinished
// MULTI (O5).
uint64_t AppliedNow(FakeMaster& fake, const MasterNotes& notes) {
  return fake.model().in_multi() ? notes.multi_start : fake.offset();
}

// Propagates one command, remembering where a MULTI started.
Awaitable<Status> PropagateTracked(FakeMaster& fake, MasterNotes& notes,
                                   std::vector<std::string> argv) {
  const bool is_multi = !argv.empty() && EqualsIgnoreCase(argv[0], "multi");
  if (is_multi && !fake.model().in_multi()) notes.multi_start = fake.offset();
  co_return co_await fake.Propagate(std::move(argv));
}

// --- Steps: set-up ---

Awaitable<StepStatus> Listen(CaseContext& ctx, const Args& args) {
  const std::string name = MasterName(ctx, args);
  if (ctx.masters.count(name) != 0) {
    co_return Error{fmt::format("{}: fake master '{}' already listens", Where(args), name), ErrorKind::kHarness};
  }
  RegisterMasterauth(ctx);
  fakes::FakeMasterOptions options;
  options.channel = name;
  options.timeout = ctx.step_timeout;
  options.password = args.String("password");
  if (auto user = args.String("user")) options.user = *user;
  options.require_ping_first = args.Bool("require-ping-first").value_or(true);
  options.dialect = repl::HandshakeDialectFor(ctx.traits->dialect);
  if (auto replid = args.String("replid")) options.replid = *replid;
  options.offset = static_cast<uint64_t>(args.Int("offset").value_or(0));
  if (auto backlog = args.Int("backlog")) options.backlog_capacity = static_cast<size_t>(*backlog);
  options.seed = static_cast<uint64_t>(args.Int("seed").value_or(static_cast<int64_t>(ctx.seed)));
  CONFORMANCE_CO_RETURN_IF_ERROR(ApplyBugArgs(options.bugs, args));
  auto master = std::make_unique<FakeMaster>(std::move(options), &ctx.transcript);
  asio::any_io_executor executor = co_await asio::this_coro::executor;
  CONFORMANCE_CO_RETURN_IF_ERROR(master->Listen(executor));
  ctx.masters[name] = std::move(master);
  ctx.master_notes[name] = MasterNotes{};
  co_return OkStatus();
}

Awaitable<StepStatus> Bugs(CaseContext& ctx, const Args& args) {
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  fakes::MasterBugs& bugs = (*master)->bugs();
  if (args.Bool("clear").value_or(false)) bugs = fakes::MasterBugs{};
  CONFORMANCE_CO_RETURN_IF_ERROR(ApplyBugArgs(bugs, args));
  ctx.transcript.Note(MasterName(ctx, args), "misbehaviours changed at " + Where(args));
  co_return OkStatus();
}

Awaitable<StepStatus> ReplicaOf(CaseContext& ctx, const Args& args) {
  if (args.Bool("no-one").value_or(false)) co_return co_await ctx.admin->ReplicaOfNoOne();
  if (ctx.started_as_replica) {
    ctx.transcript.Note("server", "already a replica of the fake master since its start");
    co_return OkStatus();
  }
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  if (!ctx.traits->replicaof_blocks) {
    co_return co_await ctx.admin->ReplicaOf((*master)->options().host, (*master)->port());
  }
  // This server answers REPLICAOF only once the handshake with the new master is done, and the
  // fake master's next steps are that handshake: send it on a connection of its own and go on.
  // The answer is not awaited; the connection lives until the case ends.
  auto admin = co_await server::Admin::Connect(ctx.host, ctx.port, &ctx.transcript, ctx.step_timeout,
                                               "replicaof");
  if (!admin.ok()) co_return admin.error();
  if (ctx.password) CONFORMANCE_CO_RETURN_IF_ERROR(co_await (*admin)->Auth(std::nullopt, *ctx.password));
  std::string request;
  resp::AppendCommand(&request, {ctx.traits->HasCommand("replicaof") ? "REPLICAOF" : "SLAVEOF",
                                 (*master)->options().host, std::to_string((*master)->port())});
  CONFORMANCE_CO_RETURN_IF_ERROR(co_await (*admin)->client().connection().Write(request, ctx.step_timeout));
  ctx.transcript.Note("server", "REPLICAOF sent without waiting for its answer (it blocks on this server)");
  ctx.pending_admin.push_back(std::move(admin).value());
  co_return OkStatus();
}

// The server's DEBUG DIGEST, or nullopt where DEBUG is refused (enable-debug-command no,
// servers without it): the digest is only ever a fast path.
Awaitable<Result<std::optional<std::string>>> DebugDigest(CaseContext& ctx) {
  std::vector<std::string> argv = {"DEBUG", "DIGEST"};
  auto reply = co_await ctx.admin->Call(std::move(argv));
  if (!reply.ok()) co_return reply.error();
  if (!reply->IsString()) {
    ctx.transcript.Note("check", fmt::format("DEBUG DIGEST unavailable ({}): no digest fast path",
                                             reply->ToString()));
    co_return std::optional<std::string>();
  }
  co_return std::optional<std::string>(reply->str);
}

Awaitable<StepStatus> Snapshot(CaseContext& ctx, const Args& args) {
  auto method = KeyspaceReadFor(args, ctx.keyspace_read);
  if (!method.ok()) co_return method.error();
  keyspace::Keyspace keys;
  Status read = co_await ReadServerKeyspaceBy(ctx, *method, &keys, ctx.step_timeout);
  if (!read.ok()) co_return read;
  ctx.transcript.Note("check", fmt::format("server keyspace remembered: {} keys, digest {}",
                                           keys.size(), keys.ComputeDigest().ToHex()));
  ctx.server_snapshot = std::move(keys);
  auto digest = co_await DebugDigest(ctx);
  if (!digest.ok()) co_return digest.error();
  ctx.server_snapshot_digest = *digest;
  co_return OkStatus();
}

// --- Steps: the link and the handshake ---

Awaitable<StepStatus> Accept(CaseContext& ctx, const Args& args) {
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  Status accepted = co_await (*master)->Accept(ctx.step_timeout);
  if (!accepted.ok()) {
    co_return Fail(
        fmt::format("Expected: the replica connects to the fake master on port {}, "
                    "received: no connection ({})",
                    (*master)->port(), accepted.message()));
  }
  co_return OkStatus();
}

// Whether argv starts with the words of `pattern` (case-insensitive).
bool StartsWithWords(const std::vector<std::string>& argv, const std::string& pattern) {
  size_t i = 0;
  size_t start = 0;
  while (start < pattern.size()) {
    size_t end = pattern.find(' ', start);
    if (end == std::string::npos) end = pattern.size();
    const std::string word = pattern.substr(start, end - start);
    start = end + 1;
    if (word.empty()) continue;
    if (i >= argv.size() || !EqualsIgnoreCase(argv[i], word)) return false;
    ++i;
  }
  return true;
}

std::string Received(const FakeMaster& fake) {
  std::string out;
  for (const repl::ReplicaCommand& command : fake.received()) {
    if (command.kind == repl::ReplicaCommandKind::kAck) continue;
    out += fmt::format("{}{}", out.empty() ? "" : " | ", command.Describe());
  }
  return out.empty() ? "nothing" : out;
}

// `sequence`: each entry must have arrived, in this order (others may come in between, e.g.
// REPLCONF version from valkey). "{port}" stands for the server's port.
// Whether the server's dialect includes a handshake step: the probe handshake (discovery)
// showed a command starting with the pattern's first two words. Unknown dialects include all.
bool InDialect(const server::ServerTraits& traits, const std::string& pattern) {
  if (traits.replica_handshake.empty()) return true;
  std::vector<std::string> words;
  std::istringstream split(pattern);
  for (std::string word; words.size() < 2 && split >> word;) words.push_back(word);
  for (const std::string& line : traits.replica_handshake) {
    std::vector<std::string> argv;
    std::istringstream line_words(line);
    for (std::string word; line_words >> word;) argv.push_back(word);
    if (StartsWithWords(argv, fmt::format("{}", fmt::join(words, " ")))) return true;
  }
  return false;
}

Status CheckSequence(CaseContext& ctx, const FakeMaster& fake, const Args& args) {
  auto sequence = args.StringList("sequence");
  if (!sequence) return OkStatus();
  const auto& received = fake.received();
  size_t at = 0;
  for (std::string pattern : *sequence) {
    if (auto pos = pattern.find("{port}"); pos != std::string::npos) {
      pattern.replace(pos, 6, std::to_string(ctx.port));
    }
    if (!InDialect(*ctx.traits, pattern)) {
      ctx.transcript.Note(fake.options().channel,
                          fmt::format("handshake: {} is optional and {} never sends it", pattern,
                                      ctx.traits->Describe()));
      continue;
    }
    while (at < received.size() && !StartsWithWords(received[at].argv, pattern)) ++at;
    if (at == received.size()) {
      return Fail(fmt::format("handshake: Expected: {} (in this order), received: {}",
                              fmt::join(*sequence, ", "), Received(fake)));
    }
    ++at;
  }
  return OkStatus();
}

// The capabilities the replica announces. One the server never announces (discovery's probe
// handshake did not show it) is optional in the protocol: noted, and a later step that needs it
// is not applicable. One it announced there but not here is a failure.
Status CheckCapabilities(CaseContext& ctx, const FakeMaster& fake, const Args& args) {
  for (const std::string& capability :
       args.StringList("capa").value_or(std::vector<std::string>{})) {
    if (fake.announce().HasCapability(capability)) continue;
    if (!ctx.traits->Has(capability)) {
      // Optional in the protocol; a later step that needs it says so.
      ctx.transcript.Note(fake.options().channel,
                          fmt::format("handshake: no capa {}; {} never announces it", capability,
                                      ctx.traits->Describe()));
      continue;
    }
    return Fail(fmt::format("handshake: Expected: REPLCONF capa {}, received: {}", capability,
                            Received(fake)));
  }
  return OkStatus();
}

// The replica was refused at AUTH: it must close the link, never reaching PSYNC or SYNC (H3).
Awaitable<StepStatus> HandshakeRefused(CaseContext& ctx, FakeMaster& fake) {
  auto request = co_await fake.AnswerHandshake(ctx.step_timeout);
  bool sent_auth = false;
  for (const repl::ReplicaCommand& command : fake.received()) {
    if (command.kind == repl::ReplicaCommandKind::kAuth) sent_auth = true;
    if (command.kind == repl::ReplicaCommandKind::kPsync ||
        command.kind == repl::ReplicaCommandKind::kSync) {
      co_return Fail(
          fmt::format("Expected: the replica gives up after AUTH is refused (an AUTH "
                      "error is fatal), received: {} (frames seen: {})",
                      command.Describe(), Received(fake)));
    }
  }
  if (request.ok()) {
    co_return Fail(
        "Expected: the replica gives up after AUTH is refused, received: a sync "
        "request: " +
        Received(fake));
  }
  if (!sent_auth) {
    co_return Fail(
        fmt::format("Expected: AUTH (the fake master requires a password), received: "
                    "{} ({})",
                    Received(fake), request.message()));
  }
  if (!IsLinkEnd(request.error().kind)) {
    co_return Fail(
        fmt::format("Expected: the replica closes the link after AUTH is refused, "
                    "received: {}",
                    request.message()));
  }
  ctx.transcript.Note(fake.options().channel, "AUTH refused: the replica closed the link");
  fake.Disconnect();
  co_return OkStatus();
}

Awaitable<StepStatus> Handshake(CaseContext& ctx, const Args& args) {
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  FakeMaster& fake = **master;
  const std::string expect = args.String("expect").value_or("sync");
  if (expect == "auth-refused") co_return co_await HandshakeRefused(ctx, fake);
  if (expect != "sync") {
    co_return Error{
        fmt::format("{}: expect must be sync or auth-refused, not '{}'", Where(args), expect), ErrorKind::kHarness};
  }
  auto request = co_await fake.AnswerHandshake(ctx.step_timeout);
  if (!request.ok()) co_return Fail(request.message());
  CONFORMANCE_CO_RETURN_IF_ERROR(CheckSequence(ctx, fake, args));
  CONFORMANCE_CO_RETURN_IF_ERROR(CheckCapabilities(ctx, fake, args));
  co_return OkStatus();
}

Awaitable<StepStatus> ExpectPsync(CaseContext& ctx, const Args& args) {
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  FakeMaster& fake = **master;
  const MasterNotes& notes = NotesFor(ctx, args);
  const auto& request = fake.last_sync_request();
  if (!request) co_return Error{Where(args) + ": no PSYNC or SYNC arrived on this link yet", ErrorKind::kHarness};
  const std::string received = request->is_sync
                                   ? std::string("SYNC")
                                   : fmt::format("PSYNC {} {}", request->replid, request->offset);
  const std::string command = args.String("command").value_or("psync");
  if ((command == "sync") != request->is_sync) {
    co_return Fail(
        fmt::format("Expected: {}, received: {}", command == "sync" ? "SYNC" : "PSYNC", received));
  }
  if (request->is_sync) co_return OkStatus();

  std::string replid = args.String("replid").value_or("any");
  if (replid == "resume") replid = fake.replid();
  const bool replid_ok = replid == "any" || EqualsIgnoreCase(replid, request->replid);

  std::string offset_text = args.String("offset").value_or("any");
  std::optional<int64_t> offset;
  if (offset_text == "resume") {
    offset = static_cast<int64_t>(notes.applied_at_link_end.value_or(fake.offset()) + 1);
  } else if (offset_text != "any") {
    offset = ParseInt(offset_text);
    if (!offset) {
      co_return Error{fmt::format("{}: offset must be any, resume or an integer, not '{}'",
                                  Where(args), offset_text), ErrorKind::kHarness};
    }
  }
  const bool offset_ok = !offset || *offset == request->offset;
  if (!replid_ok || !offset_ok) {
    const std::string text = fmt::format("Expected: PSYNC {} {}, received: {}", replid,
                                         offset ? std::to_string(*offset) : std::string("any"),
                                         received);
    fake.RecordViolation({rules::kPsyncAsksNextByte, text});
    co_return Fail(text);
  }
  co_return OkStatus();
}

Awaitable<StepStatus> ReplyRaw(CaseContext& ctx, const Args& args) {
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  std::string bytes;
  if (auto line = args.String("line")) {
    bytes = Unescape(*line) + "\r\n";
  } else if (auto raw = args.String("raw")) {
    bytes = Unescape(*raw);
  } else {
    co_return Error{Where(args) + ": master.reply needs line or raw", ErrorKind::kHarness};
  }
  co_return co_await (*master)->Reply(std::move(bytes));
}

Awaitable<StepStatus> ExpectCommand(CaseContext& ctx, const Args& args) {
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  auto exact = args.StringList("command");
  std::string prefix = args.String("prefix").value_or("");
  if (exact && !exact->empty()) prefix = (*exact)[0];
  if (prefix.empty())
    co_return Error{Where(args) + ": master.expect-command needs command or prefix", ErrorKind::kHarness};
  auto argv = co_await (*master)->ExpectCommand(prefix, ctx.step_timeout);
  if (!argv.ok()) co_return Fail(argv.message());
  if (exact && !exact->empty()) {
    bool same = argv->size() == exact->size();
    for (size_t i = 0; same && i < argv->size(); ++i) {
      same = i == 0 ? EqualsIgnoreCase((*argv)[i], (*exact)[i]) : (*argv)[i] == (*exact)[i];
    }
    if (!same) {
      co_return Fail(fmt::format("Expected: {}, received: {}",
                                 resp::Value::Command(*exact).ToString(),
                                 resp::Value::Command(*argv).ToString()));
    }
  }
  co_return OkStatus();
}

// --- Steps: answering PSYNC / SYNC ---

// The RDB version defaults to the one the server under test writes itself: the newest it is
// sure to load (rdb.c refuses a newer one).
Result<fakes::RdbSendOptions> RdbOptions(const CaseContext& ctx, const Args& args) {
  fakes::RdbSendOptions options;
  if (ctx.traits->rdb_version > 0) options.rdb_version = ctx.traits->rdb_version;
  const std::string framing = args.String("framing").value_or("disk");
  if (framing == "disk") {
    options.framing = Framing::kLength;
  } else if (framing == "diskless") {
    options.framing = Framing::kEofMark;
  } else {
    return Error{
        fmt::format("{}: framing must be disk or diskless, not '{}'", Where(args), framing), ErrorKind::kHarness};
  }
  options.rdb_version = static_cast<int>(args.Int("version").value_or(options.rdb_version));
  const std::string encoding = args.String("encoding").value_or("compact");
  if (encoding == "compact") {
    options.encoding = rdb::Encoding::kCompact;
  } else if (encoding == "plain") {
    options.encoding = rdb::Encoding::kPlain;
  } else {
    return Error{
        fmt::format("{}: encoding must be compact or plain, not '{}'", Where(args), encoding), ErrorKind::kHarness};
  }
  options.compress_strings = args.Bool("compress").value_or(false);
  options.repl_aux = args.Bool("aux").value_or(true);
  if (auto db = args.Int("repl-stream-db")) options.repl_stream_db = static_cast<int>(*db);
  if (auto fraction = args.Number("cut-at")) {
    if (*fraction <= 0 || *fraction >= 1) {
      return Error{fmt::format("{}: cut-at is a fraction of the payload in (0, 1)", Where(args)), ErrorKind::kHarness};
    }
    options.cut = fakes::RdbSendCut{.fraction = *fraction, .action = net::CutAction::kReset};
  }
  return options;
}

// A fresh replication id for master.fullresync / master.continue (seeded by the case).
std::string NewReplid(CaseContext& ctx, const FakeMaster& fake) {
  std::mt19937_64 rng(ctx.seed ^ std::hash<std::string>{}(fake.replid()));
  return repl::RandomReplid(rng);
}

Awaitable<StepStatus> FullResync(CaseContext& ctx, const Args& args) {
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  FakeMaster& fake = **master;
  MasterNotes& notes = NotesFor(ctx, args);
  std::optional<std::string> replid;
  const std::string wanted = args.String("replid").value_or("own");
  if (wanted == "new") {
    replid = NewReplid(ctx, fake);
  } else if (wanted != "own") {
    replid = wanted;
  }
  std::optional<uint64_t> offset;
  if (auto value = args.Int("offset")) offset = static_cast<uint64_t>(*value);
  notes.previous_replid = fake.replid();
  notes.applied_at_link_end.reset();
  co_return co_await fake.SendFullResync(replid, offset);
}

Awaitable<StepStatus> SendRdb(CaseContext& ctx, const Args& args) {
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  auto options = RdbOptions(ctx, args);
  if (!options.ok()) co_return options.error();
  // A master frames a transfer with $EOF: only for a replica that announced capa eof.
  if (options->framing == Framing::kEofMark && !(*master)->announce().HasCapability("eof")) {
    co_return Unsupported(fmt::format("a diskless ($EOF:) transfer needs a replica announcing capa "
                                      "eof, which {} does not",
                                      ctx.traits->Describe()));
  }
  NotesFor(ctx, args).applied_at_link_end.reset();
  co_return co_await (*master)->SendRdb(*options);
}

Awaitable<StepStatus> AnswerSync(CaseContext& ctx, const Args& args) {
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  FakeMaster& fake = **master;
  const auto& request = fake.last_sync_request();
  if (!request) co_return Error{Where(args) + ": no PSYNC or SYNC arrived on this link yet", ErrorKind::kHarness};
  auto options = RdbOptions(ctx, args);
  if (!options.ok()) co_return options.error();
  NotesFor(ctx, args).applied_at_link_end.reset();
  auto decision = co_await fake.AnswerSync(*request, *options);
  if (!decision.ok()) co_return decision.error();
  const std::string expect = args.String("expect").value_or("any");
  const std::string kind = repl::ToString(decision->kind);
  const bool matches =
      expect == "any" ||
      (expect == "continue" && decision->kind == repl::PsyncDecision::Kind::kContinue) ||
      (expect == "fullresync" && decision->kind == repl::PsyncDecision::Kind::kFullResync);
  if (!matches) {
    co_return Fail(
        fmt::format("PSYNC {} {}: Expected: the master's rule decides {}, received: {} "
                    "({})",
                    request->replid, request->offset, expect, kind, decision->message));
  }
  co_return OkStatus();
}

Awaitable<StepStatus> Continue(CaseContext& ctx, const Args& args) {
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  FakeMaster& fake = **master;
  MasterNotes& notes = NotesFor(ctx, args);
  std::optional<std::string> new_replid;
  if (args.Bool("new-replid").value_or(false)) {
    new_replid = NewReplid(ctx, fake);
    notes.previous_replid = fake.replid();
  }
  notes.applied_at_link_end.reset();
  co_return co_await fake.SendContinue(new_replid);
}

// Newlines `interval-ms` apart; between two, the link is read: the replica must neither send
// anything nor close it (a replica that times out although the master keeps it alive fails).
Awaitable<StepStatus> Keepalives(CaseContext& ctx, const Args& args) {
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  FakeMaster& fake = **master;
  const int count = static_cast<int>(args.Int("count").value_or(1));
  const net::Duration interval(args.Int("interval-ms").value_or(0));
  const auto started = Clock::now();
  for (int i = 0; i < count; ++i) {
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await fake.SendKeepalives(1));
    if (interval.count() == 0) continue;
    auto command = co_await fake.ExpectCommand("", interval);
    if (command.ok()) {
      co_return Fail(
          fmt::format("Expected: nothing while the master sends keepalives, received: "
                      "{}",
                      resp::Value::Command(*command).ToString()));
    }
    if (command.error().kind != ErrorKind::kTimeout) {
      co_return Fail(fmt::format(
          "Expected: the replica keeps the link open while the master sends a newline every {} "
          "ms, received: the link ended after {} keepalives ({} ms): {}",
          interval.count(), i + 1,
          std::chrono::duration_cast<net::Duration>(Clock::now() - started).count(),
          command.message()));
    }
  }
  co_return OkStatus();
}

// --- Steps: the stream ---

Awaitable<StepStatus> Load(CaseContext& ctx, const Args& args) {
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  keyspace::Keyspace& model = (*master)->model();
  // The fake streams what a master propagates: the replicated form.
  std::vector<std::string> limits;
  auto parsed = DatasetOptionsFrom(args, ctx.seed, workload::Form::kReplicated, *ctx.traits, &limits);
  for (const std::string& limit : limits) ctx.transcript.Note("workload", limit);
  if (!parsed.ok()) co_return parsed.error();
  const workload::DatasetOptions& options = *parsed;
  if (args.Bool("replace").value_or(false)) model.Clear();
  const int selected = model.selected_db();
  for (const workload::Command& command : workload::GenerateDataset(options)) {
    const keyspace::ApplyResult result = model.Apply(command);
    if (!result.ok()) {
      model.Select(selected);
      co_return Error{fmt::format("{}: the model refuses {} ({})", Where(args),
                                  resp::Value::Command(command).ToString(), result.message), ErrorKind::kHarness};
    }
  }
  model.Select(selected);
  ctx.transcript.Note(MasterName(ctx, args),
                      fmt::format("{} dataset of {} keys (seed {}) in the model: the next RDB "
                                  "holds it; {} keys in all",
                                  workload::ToString(options.profile), options.keys, options.seed,
                                  model.size()));
  co_return OkStatus();
}

Awaitable<StepStatus> Workload(CaseContext& ctx, const Args& args) {
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  MasterNotes& notes = NotesFor(ctx, args);
  std::vector<std::string> limits;
  auto parsed = WorkloadOptionsFrom(args, ctx.seed, workload::Form::kReplicated, *ctx.traits, &limits);
  for (const std::string& limit : limits) ctx.transcript.Note("workload", limit);
  if (!parsed.ok()) co_return parsed.error();
  const workload::WorkloadOptions& options = *parsed;
  const double rate = args.Number("rate").value_or(0);
  const uint64_t before = (*master)->offset();
  // The tracked profiles start from the fake's model: only writes that succeed on it.
  std::vector<workload::Command> commands = workload::GenerateWorkload(options, (*master)->model());
  const workload::Pacer pacer(rate, workload::Pacer::Clock::now());
  for (size_t i = 0; i < commands.size(); ++i) {
    if (pacer.paced() && i % pacer.batch() == 0) {
      co_await net::Pause(pacer.DelayBefore(i, workload::Pacer::Clock::now()));
    }
    Status status = co_await PropagateTracked(**master, notes, std::move(commands[i]));
    if (!status.ok()) co_return status;
  }
  ctx.transcript.Note(MasterName(ctx, args),
                      fmt::format("{} workload of {} commands (seed {}{}): offset {} -> {}",
                                  workload::ToString(options.profile), options.commands,
                                  options.seed, rate > 0 ? fmt::format(", {}/s", rate) : "",
                                  before, (*master)->offset()));
  co_return OkStatus();
}

// Arms a half-close `fraction` into the command's bytes, propagates it, and waits for the
// replica to notice. The replica keeps what it applied: the stream up to the last complete
// command before the cut (a SELECT in front counts, an open MULTI does not; O5, O7).
Awaitable<StepStatus> PropagateWithCut(CaseContext& ctx, const Args& args, FakeMaster& fake,
                                       MasterNotes& notes, std::vector<std::string> argv,
                                       double fraction) {
  if (!fake.connected()) co_return Error{Where(args) + ": cut-at needs a link to cut", ErrorKind::kHarness};
  if (fraction <= 0 || fraction >= 1) {
    co_return Error{Where(args) + ": cut-at is a fraction of the command's bytes in (0, 1)", ErrorKind::kHarness};
  }
  std::string encoded;
  resp::AppendCommand(&encoded, argv);
  const uint64_t cut = std::clamp<uint64_t>(
      static_cast<uint64_t>(fraction * double(encoded.size())), 1, encoded.size() - 1);
  const bool in_multi = fake.model().in_multi();
  const uint64_t before = fake.offset();
  fake.CutAfterMoreSent(cut, net::CutAction::kHalfClose);
  Status status = co_await PropagateTracked(fake, notes, std::move(argv));
  if (status.ok()) {
    if (fake.connected()) fake.connection()->faults().cut_after_sent.reset();
    co_return Error{Where(args) + ": the planned cut did not fire (is the link streaming?)", ErrorKind::kHarness};
  }
  if (status.error().kind != ErrorKind::kFault) co_return status;
  const uint64_t select_bytes = fake.offset() - before - encoded.size();
  uint64_t applied = before + (select_bytes > 0 && cut >= select_bytes ? select_bytes : 0);
  if (in_multi) applied = notes.multi_start;
  notes.applied_at_link_end = applied;
  ctx.transcript.Note(fake.options().channel,
                      fmt::format("link cut {} bytes into the command at offset {}: the replica "
                                  "keeps offset {}",
                                  cut, before + 1, applied));
  Status closed = co_await DrainUntilClosed(fake, ctx.step_timeout, "the master ended the link");
  fake.Disconnect();
  co_return closed;
}

Awaitable<StepStatus> Propagate(CaseContext& ctx, const Args& args) {
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  std::vector<std::string> argv = args.StringList("command").value_or(std::vector<std::string>{});
  if (argv.empty()) co_return Error{Where(args) + ": master.propagate needs a command", ErrorKind::kHarness};
  if (argv.size() == 2 && EqualsIgnoreCase(argv[0], "SELECT")) {
    if (const auto db = ParseInt(argv[1]); db && *db >= ctx.traits->databases) {
      co_return Unsupported(fmt::format("needs database {}, and {} has {}", *db,
                                        ctx.traits->Describe(), ctx.traits->databases));
    }
  }
  MasterNotes& notes = NotesFor(ctx, args);
  if (auto fraction = args.Number("cut-at")) {
    co_return co_await PropagateWithCut(ctx, args, **master, notes, std::move(argv), *fraction);
  }
  co_return co_await PropagateTracked(**master, notes, std::move(argv));
}

Awaitable<StepStatus> Ping(CaseContext& ctx, const Args& args) {
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  co_return co_await (*master)->SendPing();
}

// REPLCONF GETACK *; with `ack`, the replica's answer is read and must sit exactly at a
// command boundary: the offset before the GETACK (O6: it answers while running it) or after.
Awaitable<StepStatus> GetAck(CaseContext& ctx, const Args& args) {
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  FakeMaster& fake = **master;
  const std::string mode = args.String("ack").value_or("none");
  if (mode != "none" && mode != "either" && mode != "before" && mode != "after") {
    co_return Error{
        fmt::format("{}: ack must be none, either, before or after, not '{}'", Where(args), mode), ErrorKind::kHarness};
  }
  const std::optional<int64_t> within_ms = args.Int("within-ms");
  const uint64_t before = fake.offset();
  const auto sent = Clock::now();
  CONFORMANCE_CO_RETURN_IF_ERROR(co_await fake.SendGetAck());
  const uint64_t after = fake.offset();
  if (mode == "none") co_return OkStatus();
  // With within-ms the wait ends there: an answer that comes later is no answer to the GETACK.
  const net::Duration wait = within_ms ? std::min(ctx.step_timeout, net::Duration(*within_ms))
                                       : ctx.step_timeout;
  auto ack = co_await fake.WaitForAck(before, wait);
  const auto elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - sent);
  if (!ack.ok() && within_ms) {
    co_return Fail(fmt::format("GETACK at offset {}: Expected: REPLCONF ACK within {} ms, "
                               "received: {}",
                               before + 1, *within_ms, ack.message()));
  }
  if (!ack.ok()) {
    co_return Fail(fmt::format("GETACK at offset {}: Expected: REPLCONF ACK {}, received: {}",
                               before + 1, mode == "after" ? after : before, ack.message()));
  }
  const bool ok = (*ack == before && mode != "after") || (*ack == after && mode != "before");
  if (!ok) {
    const std::string expected =
        mode == "either" ? fmt::format("{} (before the GETACK) or {} (after it)", before, after)
                         : std::to_string(mode == "before" ? before : after);
    co_return Fail(fmt::format("GETACK: Expected: REPLCONF ACK {}, received: REPLCONF ACK {}",
                               expected, *ack));
  }
  ctx.transcript.Note("check", fmt::format("GETACK answered with ACK {} ({} the GETACK) after {} ms",
                                           *ack, *ack == before ? "before" : "after",
                                           elapsed_ms.count()));
  co_return OkStatus();
}

Awaitable<StepStatus> WaitAck(CaseContext& ctx, const Args& args) {
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  FakeMaster& fake = **master;
  const std::string wanted = args.String("offset").value_or("current");
  std::optional<int64_t> target =
      wanted == "current" ? std::optional<int64_t>(fake.offset()) : ParseInt(wanted);
  if (!target || *target < 0) {
    co_return Error{
        fmt::format("{}: offset must be current or an integer, not '{}'", Where(args), wanted), ErrorKind::kHarness};
  }
  auto ack = co_await fake.WaitForAck(static_cast<uint64_t>(*target), ctx.step_timeout);
  if (!ack.ok()) {
    co_return Fail(fmt::format("Expected: REPLCONF ACK {}, received: {}", *target, ack.message()));
  }
  if (*ack != static_cast<uint64_t>(*target)) {
    co_return Fail(
        fmt::format("Expected: REPLCONF ACK {}, received: REPLCONF ACK {}", *target, *ack));
  }
  co_return OkStatus();
}

// Half-closes the link and waits until the replica closes its side, so that it has read (and
// applied) every byte sent; then closes. The replica keeps the stream up to the fake's offset.
Awaitable<StepStatus> Disconnect(CaseContext& ctx, const Args& args) {
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  FakeMaster& fake = **master;
  if (!fake.connected()) co_return Error{Where(args) + ": the fake master has no link to close", ErrorKind::kHarness};
  MasterNotes& notes = NotesFor(ctx, args);
  notes.applied_at_link_end = AppliedNow(fake, notes);
  ctx.transcript.Note(fake.options().channel,
                      fmt::format("fake master half-closes the link at offset {}", fake.offset()));
  fake.connection()->ShutdownWrite();
  Status closed = co_await DrainUntilClosed(fake, ctx.step_timeout, "the master ended the link");
  fake.Disconnect();
  co_return closed;
}

// One whole exchange as the fuzzer ran it (fuzz/exchange_driver.h): a new fake master with
// the given handshake replies (the last one closed first), REPLICAOF to it, the handshake, the
// raw bytes after it, and the replica's reaction noted. Only the harness can fail it; the
// checks after it judge the replica.
Awaitable<StepStatus> FuzzExchange(CaseContext& ctx, const Args& args) {
  constexpr const char* kName = "exchange";
  ctx.masters.erase(kName);
  fakes::FakeMasterOptions options;
  options.channel = kName;
  options.timeout = ctx.step_timeout;
  options.require_ping_first = false;
  options.dialect = repl::HandshakeDialectFor(ctx.traits->dialect);
  options.seed = ctx.seed;
  CONFORMANCE_CO_RETURN_IF_ERROR(ApplyBugArgs(options.bugs, args));
  auto master = std::make_unique<FakeMaster>(std::move(options), &ctx.transcript);
  asio::any_io_executor executor = co_await asio::this_coro::executor;
  CONFORMANCE_CO_RETURN_IF_ERROR(master->Listen(executor));
  fuzz::ExchangeTimeouts timeouts;
  timeouts.settle = net::Duration(args.Int("settle-ms").value_or(timeouts.settle.count()));
  const fuzz::ExchangeResult result =
      co_await fuzz::DriveExchange(*master, *ctx.admin, !ctx.traits->HasCommand("replicaof"),
                                   Unescape(args.String("raw").value_or("")), timeouts, ctx.transcript);
  if (result.admin_lost) {
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await ReopenAdmin(ctx));
  }
  ctx.masters[kName] = std::move(master);
  ctx.master_notes[kName] = MasterNotes{};
  co_return OkStatus();
}

// Room for a replica to accept or refuse what it was sent: reads (and drops) what it sends
// until it closes the link or `ms` pass, neither of which fails the step.
Awaitable<StepStatus> Settle(CaseContext& ctx, const Args& args) {
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  FakeMaster& fake = **master;
  const auto deadline = Clock::now() + net::Duration(args.Int("ms").value_or(300));
  while (fake.connected() && Clock::now() < deadline) {
    std::string chunk;
    const auto left = std::chrono::duration_cast<net::Duration>(deadline - Clock::now());
    Status read = co_await fake.connection()->ReadSome(&chunk, std::max(left, net::Duration(1)));
    if (read.ok()) continue;
    if (read.error().kind == ErrorKind::kTimeout) break;
    ctx.transcript.Note(fake.options().channel, "the replica closed the link: " + read.message());
    fake.Disconnect();
  }
  co_return OkStatus();
}

Awaitable<StepStatus> ExpectClose(CaseContext& ctx, const Args& args) {
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  FakeMaster& fake = **master;
  if (!fake.connected()) co_return Error{Where(args) + ": the fake master has no link", ErrorKind::kHarness};
  Status closed = co_await DrainUntilClosed(fake, ctx.step_timeout,
                                            args.String("why").value_or("the rule of this step"));
  if (!closed.ok()) co_return closed;
  ctx.transcript.Note(fake.options().channel, "the replica closed the link");
  fake.Disconnect();
  co_return OkStatus();
}

// --- Checks on the real replica ---

// Polls INFO replication until `done(info)` or the deadline; returns whether it held and the
// last INFO read.
template <typename Done>
Awaitable<Result<std::pair<bool, server::Info>>> PollInfo(CaseContext& ctx,
                                                          Clock::time_point deadline, Done done) {
  while (true) {
    auto info = co_await FetchInfo(ctx, "replication");
    if (!info.ok()) co_return info.error();
    if (done(*info)) co_return std::make_pair(true, std::move(info).value());
    if (Clock::now() >= deadline) co_return std::make_pair(false, std::move(info).value());
    co_await net::Pause(kPollInterval);
  }
}

std::string Field(const server::Info& info, std::string_view key) {
  return info.Get(key).value_or("(absent)");
}

Awaitable<StepStatus> ReplicaOffsets(CaseContext& ctx, const Args& args) {
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  FakeMaster& fake = **master;
  const uint64_t expected = fake.offset();
  const auto deadline = Clock::now() + ctx.step_timeout;
  if (args.Bool("ack").value_or(true)) {
    auto ack = co_await fake.WaitForAck(expected, ctx.step_timeout);
    if (!ack.ok()) {
      co_return Fail(
          fmt::format("offsets: Expected: REPLCONF ACK {} (every stream byte the fake "
                      "master sent), received: {}",
                      expected, ack.message()));
    }
  }
  // INFO's offsets where the server reports them; the ACK above is the replica's own word.
  const bool info_offsets = ctx.traits->Has("info-replication");
  if (!info_offsets) {
    ctx.transcript.Note("check", fmt::format("INFO slave_repl_offset left out: {} does not report it",
                                             ctx.traits->Describe()));
  }
  if (args.Bool("info").value_or(info_offsets)) {
    const std::string want = std::to_string(expected);
    auto polled = co_await PollInfo(ctx, deadline, [&](const server::Info& info) {
      const auto read = info.Get("slave_read_repl_offset");
      return info.Get("slave_repl_offset") == want && (!read || *read == want);
    });
    if (!polled.ok()) co_return polled.error();
    const server::Info& info = polled->second;
    if (!info.Get("slave_repl_offset"))
      co_return Unsupported("INFO replication has no slave_repl_offset");
    if (!polled->first) {
      co_return Fail(fmt::format(
          "offsets: Expected: INFO slave_repl_offset {} (and "
          "slave_read_repl_offset), received: slave_repl_offset {}, "
          "slave_read_repl_offset {}",
          expected, Field(info, "slave_repl_offset"), Field(info, "slave_read_repl_offset")));
    }
  }
  ctx.transcript.Note("check", fmt::format("replica offsets agree at {}", expected));
  co_return OkStatus();
}

// check.replica-link read from ROLE, for servers whose INFO does not report the link: ROLE's
// state is "connected" once the link is up, "sync" while the snapshot loads.
Awaitable<StepStatus> ReplicaLinkByRole(CaseContext& ctx, const std::optional<std::string>& status,
                                        const std::optional<int64_t>& in_progress) {
  const auto deadline = Clock::now() + ctx.step_timeout;
  std::string seen;
  while (true) {
    auto role = co_await ctx.admin->Role();
    if (!role.ok()) co_return role.error();
    seen = role->ToString();
    const bool replica = role->kind == server::Role::Kind::kReplica;
    const bool up = replica && role->state == "connected";
    const bool syncing = replica && role->state == "sync";
    if (replica && (!status || (*status == "up") == up) &&
        (!in_progress || (*in_progress != 0) == syncing)) {
      co_return OkStatus();
    }
    if (Clock::now() >= deadline) break;
    co_await net::Pause(kPollInterval);
  }
  co_return Fail(fmt::format("link: Expected: ROLE of a replica, link {}{}, received: {}",
                             status.value_or("any"),
                             in_progress ? fmt::format(", sync in progress {}", *in_progress) : "",
                             seen));
}

Awaitable<StepStatus> ReplicaLink(CaseContext& ctx, const Args& args) {
  const std::optional<std::string> status = args.String("status");
  const std::optional<int64_t> in_progress = args.Int("sync-in-progress");
  if (!ctx.traits->Has("info-replication")) {
    if (!ctx.traits->Has("role")) {
      co_return Unsupported(fmt::format("{} reports its link neither in INFO nor in ROLE",
                                        ctx.traits->Describe()));
    }
    co_return co_await ReplicaLinkByRole(ctx, status, in_progress);
  }
  auto polled =
      co_await PollInfo(ctx, Clock::now() + ctx.step_timeout, [&](const server::Info& info) {
        if (info.Get("role") != "slave") return false;
        if (status && info.Get("master_link_status") != *status) return false;
        if (in_progress && info.GetInt("master_sync_in_progress") != *in_progress) return false;
        return true;
      });
  if (!polled.ok()) co_return polled.error();
  if (!polled->first) {
    const server::Info& info = polled->second;
    co_return Fail(fmt::format(
        "link: Expected: role slave, master_link_status {}, master_sync_in_progress {}, "
        "received: role {}, master_link_status {}, master_sync_in_progress {}",
        status.value_or("any"), in_progress ? std::to_string(*in_progress) : std::string("any"),
        Field(info, "role"), Field(info, "master_link_status"),
        Field(info, "master_sync_in_progress")));
  }
  co_return OkStatus();
}

Awaitable<StepStatus> ReplicaReplid(CaseContext& ctx, const Args& args) {
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  FakeMaster& fake = **master;
  const MasterNotes& notes = NotesFor(ctx, args);
  auto resolve = [&](std::string value) {
    if (value == "fake") return fake.replid();
    if (value == "fake2") return fake.replid2();
    if (value == "old") return notes.previous_replid;
    if (value == "none") return std::string(repl::kNoReplid);
    return value;
  };
  std::map<std::string, std::string> expected;
  if (auto id = args.String("master_replid")) expected["master_replid"] = resolve(*id);
  if (auto id = args.String("master_replid2")) expected["master_replid2"] = resolve(*id);
  if (auto offset = args.String("second_repl_offset")) {
    expected["second_repl_offset"] =
        *offset == "fake" ? std::to_string(fake.backlog().second_replid_offset()) : *offset;
  }
  auto polled =
      co_await PollInfo(ctx, Clock::now() + ctx.step_timeout, [&](const server::Info& info) {
        for (const auto& [field, value] : expected) {
          if (info.Get(field) != value) return false;
        }
        return true;
      });
  if (!polled.ok()) co_return polled.error();
  if (!polled->first) {
    std::string want;
    std::string got;
    for (const auto& [field, value] : expected) {
      want += fmt::format("{}{} {}", want.empty() ? "" : ", ", field, value);
      got += fmt::format("{}{} {}", got.empty() ? "" : ", ", field, Field(polled->second, field));
    }
    co_return Fail(fmt::format("replid: Expected: {}, received: {}", want, got));
  }
  co_return OkStatus();
}

Awaitable<StepStatus> ReplicaKeyspace(CaseContext& ctx, const Args& args) {
  const std::string against = args.String("against").value_or("model");
  const keyspace::Keyspace* expected = nullptr;
  keyspace::Keyspace projected;  // the model as the server's own RDB version holds it
  std::string what;
  if (against == "snapshot") {
    if (!ctx.server_snapshot) co_return Error{Where(args) + ": no server.snapshot was taken", ErrorKind::kHarness};
    expected = &*ctx.server_snapshot;
    what = "the server's keyspace before (server.snapshot)";
    if (ctx.server_snapshot_digest) {
      auto digest = co_await DebugDigest(ctx);
      if (!digest.ok()) co_return digest.error();
      if (*digest == ctx.server_snapshot_digest) {
        ctx.transcript.Note("check", fmt::format("replica keyspace equals {}: DEBUG DIGEST {} "
                                                 "unchanged (fast path, not read again)",
                                                 what, **digest));
        co_return OkStatus();
      }
      ctx.transcript.Note("check", fmt::format("DEBUG DIGEST {} differs from {} at "
                                               "server.snapshot: reading the keyspace",
                                               digest->value_or("(none)"),
                                               *ctx.server_snapshot_digest));
    }
  } else if (against == "model") {
    auto master = MasterFor(ctx, args);
    if (!master.ok()) co_return master.error();
    const fakes::FakeMasterStats& stats = (*master)->stats();
    if (!stats.model_errors.empty()) {
      co_return Error{
          fmt::format("the fake master streamed {} commands that fail when applied, "
                      "first: {}",
                      stats.model_errors.size(), stats.model_errors.front()),
          ErrorKind::kHarness};
    }
    if (!stats.unmodelled.empty()) {
      co_return Unsupported(
          fmt::format("keyspace check inconclusive: {} streamed commands are "
                      "not modelled by the harness, first: {}",
                      stats.unmodelled.size(), stats.unmodelled.front()));
    }
    auto held = AsServerHolds(ctx, (*master)->model(), &projected);
    if (!held.ok()) co_return held.error();
    expected = *held;
    what = "the fake master's model";
  } else {
    co_return Error{
        fmt::format("{}: against must be model or snapshot, not '{}'", Where(args), against), ErrorKind::kHarness};
  }
  const int64_t tolerance = args.Int("ttl-tolerance-ms").value_or(2000);
  const bool wait = args.Bool("wait").value_or(false);
  auto method = KeyspaceReadFor(args, ctx.keyspace_read);
  if (!method.ok()) co_return method.error();
  const auto deadline = Clock::now() + ctx.step_timeout;
  while (true) {
    keyspace::Keyspace actual;
    Status read = co_await ReadServerKeyspaceBy(ctx, *method, &actual, Remaining(deadline));
    if (!read.ok()) co_return read;
    const auto differences =
        keyspace::Keyspace::Diff(*expected, actual, kMaxDifferencesShown, tolerance);
    if (differences.empty()) {
      ctx.transcript.Note("check",
                          fmt::format("replica keyspace equals {}: {} keys, digest {}", what,
                                      actual.size(), actual.ComputeDigest().ToHex()));
      co_return OkStatus();
    }
    if (!wait || Clock::now() + kKeyspacePollInterval >= deadline) {
      std::string text =
          fmt::format("keyspace: {} ({} keys) differs from the replica ({} keys):", what,
                      expected->size(), actual.size());
      for (const auto& difference : differences) text += "\n  " + difference.ToString();
      co_return Fail(text);
    }
    co_await net::Pause(kKeyspacePollInterval);
  }
}

// --- RDB versions ---

// SET, DUMP and DEL of a probe key: the DUMP footer (u16 LE before the CRC64) is the RDB
// version the server writes, and so the newest it loads (rdb.c: rdbver > RDB_VERSION is refused).
Awaitable<StepStatus> ServerRdbVersion(CaseContext& ctx, const Args& args) {
  const std::string probe = "__conformance:rdb-version-probe";
  std::vector<std::string> set = {"SET", probe, "probe"};
  std::vector<std::string> dump = {"DUMP", probe};
  std::vector<std::string> del = {"DEL", probe};
  auto written = co_await ctx.admin->Call(std::move(set));
  if (!written.ok()) co_return written.error();
  if (written->IsError()) {
    co_return Error{fmt::format("{}: SET of the probe key was refused ({}); take "
                                "server.rdb-version before server.replicaof",
                                Where(args), written->ToString()), ErrorKind::kHarness};
  }
  auto payload = co_await ctx.admin->Call(std::move(dump));
  auto deleted = co_await ctx.admin->Call(std::move(del));
  if (!payload.ok()) co_return payload.error();
  if (!deleted.ok()) co_return deleted.error();
  if (payload->IsError()) co_return Unsupported("DUMP is not available: " + payload->ToString());
  auto version = server::RdbVersionFromDump(payload->str);
  if (!version.ok()) co_return Fail(version.message() + ": " + payload->ToString());
  ctx.server_rdb_version = *version;
  ctx.transcript.Note("check",
                      fmt::format("the server writes RDB version {} (DUMP footer)", *version));
  co_return OkStatus();
}

// The replica refused the snapshot: it closed the link, logged why, is up, and its link down.
Awaitable<StepStatus> ExpectRdbRefused(CaseContext& ctx, FakeMaster& fake, int version,
                                       const std::string& why) {
  if (fake.connected()) {
    Status closed = co_await DrainUntilClosed(fake, ctx.step_timeout, why);
    if (!closed.ok()) co_return closed;
    fake.Disconnect();
  }
  const std::string logged = fmt::format("Can't handle RDB format version {}", version);
  if (ctx.server) {
    const auto deadline = Clock::now() + ctx.step_timeout;
    while (ctx.server->LogTail(400).find(logged) == std::string::npos) {
      if (Clock::now() >= deadline) {
        co_return Fail(fmt::format("{}: Expected: the log says \"{}\", received: (log tail)\n{}",
                                   why, logged, ctx.server->LogTail(15)));
      }
      co_await net::Pause(kPollInterval);
    }
    if (!ctx.server->IsAlive()) {
      co_return Fail(fmt::format("{}: Expected: the server stays up, received: {}", why,
                                 ctx.server->DescribeExit()));
    }
  }
  std::vector<std::string> ping = {"PING"};
  auto pong = co_await ctx.admin->Call(std::move(ping));
  if (!pong.ok() || pong->IsError()) {
    co_return Fail(fmt::format("{}: Expected: +PONG, received: {}", why,
                               pong.ok() ? pong->ToString() : pong.message()));
  }
  auto info = co_await FetchInfo(ctx, "replication");
  if (!info.ok()) co_return info.error();
  if (info->Get("master_link_status") != "down") {
    co_return Fail(fmt::format("{}: Expected: master_link_status down, received: {}", why,
                               Field(*info, "master_link_status")));
  }
  ctx.transcript.Note("check", fmt::format("{}: refused cleanly (link closed, \"{}\" logged{}, "
                                           "server up, link down)",
                                           why, logged, ctx.server ? "" : " (log not checked: "
                                                                          "attached server)"));
  co_return OkStatus();
}

Awaitable<StepStatus> SendRdbVersion(CaseContext& ctx, const Args& args) {
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  FakeMaster& fake = **master;
  auto version = args.Int("version");
  if (!version) co_return Error{Where(args) + ": master.send-rdb-version needs a version", ErrorKind::kHarness};
  auto options = RdbOptions(ctx, args);
  if (!options.ok()) co_return options.error();
  const std::string expect = args.String("expect").value_or("auto");
  bool loads = expect == "loaded";
  std::string why;
  if (expect == "auto") {
    if (!ctx.server_rdb_version && ctx.traits->rdb_version > 0) {
      ctx.server_rdb_version = ctx.traits->rdb_version;  // discovery read the same footer
    }
    if (!ctx.server_rdb_version) {
      co_return Error{Where(args) + ": expect auto needs a server.rdb-version step before", ErrorKind::kHarness};
    }
    loads = *version <= *ctx.server_rdb_version;
    why = fmt::format("RDB v{} {} the server's own v{}", *version,
                      loads ? "is not newer than" : "is newer than", *ctx.server_rdb_version);
  } else if (expect == "loaded" || expect == "refused") {
    why = fmt::format("RDB v{} (expected {})", *version, expect);
  } else {
    co_return Error{
        fmt::format("{}: expect must be auto, loaded or refused, not '{}'", Where(args), expect), ErrorKind::kHarness};
  }
  auto expected = AsCarriedBy(fake.model(), static_cast<int>(*version));
  if (!expected.ok()) co_return Error{fmt::format("{}: {}", Where(args), expected.message()), ErrorKind::kHarness};
  NotesFor(ctx, args).applied_at_link_end.reset();
  Status sent = co_await fake.SendRdb(*options);
  if (!loads) {
    // A replica that parses the socket stops at the header and closes the link mid-transfer.
    if (!sent.ok() && !IsLinkEnd(sent.error().kind)) co_return sent;
    if (!sent.ok()) fake.Disconnect();
    co_return co_await ExpectRdbRefused(ctx, fake, static_cast<int>(*version), why);
  }
  if (!sent.ok()) {
    co_return Fail(fmt::format("{} must load: sending it failed: {}", why, sent.message()));
  }
  auto loaded = [](const server::Info& info) {
    return info.Get("master_link_status") == "up" && info.GetInt("master_sync_in_progress") == 0;
  };
  auto polled = co_await PollInfo(ctx, Clock::now() + ctx.step_timeout, loaded);
  if (!polled.ok()) co_return polled.error();
  if (!polled->first) {
    co_return Fail(fmt::format("{} must load: Expected: master_link_status up, received: {} "
                               "(master_sync_in_progress {})",
                               why, Field(polled->second, "master_link_status"),
                               Field(polled->second, "master_sync_in_progress")));
  }
  keyspace::Keyspace actual;
  Status read = co_await ReadServerKeyspaceBy(ctx, KeyspaceRead::kScan, &actual, ctx.step_timeout);
  if (!read.ok()) co_return read;
  const int64_t tolerance = args.Int("ttl-tolerance-ms").value_or(2000);
  const auto differences =
      keyspace::Keyspace::Diff(*expected, actual, kMaxDifferencesShown, tolerance);
  if (!differences.empty()) {
    std::string text = fmt::format("{} must load: the snapshot ({} keys) differs from the "
                                   "replica ({} keys):",
                                   why, expected->size(), actual.size());
    for (const auto& difference : differences) text += "\n  " + difference.ToString();
    co_return Fail(text);
  }
  ctx.transcript.Note("check", fmt::format("{}: loaded, {} keys equal to the snapshot", why,
                                           actual.size()));
  co_return OkStatus();
}

}  // namespace

const std::vector<StepBinding>& MasterSteps() {
  static const std::vector<StepBinding> kSteps = {
      {"master.listen", Listen},
      {"master.bugs", Bugs},
      {"server.replicaof", ReplicaOf},
      {"master.settle", Settle},
      {"master.exchange", FuzzExchange},
      {"server.snapshot", Snapshot},
      {"master.accept", Accept},
      {"master.handshake", Handshake},
      {"master.expect-psync", ExpectPsync},
      {"master.reply", ReplyRaw},
      {"master.expect-command", ExpectCommand},
      {"master.fullresync", FullResync},
      {"master.send-rdb", SendRdb},
      {"master.answer-sync", AnswerSync},
      {"master.continue", Continue},
      {"master.keepalives", Keepalives},
      {"master.load", Load},
      {"master.workload", Workload},
      {"master.propagate", Propagate},
      {"master.ping", Ping},
      {"master.getack", GetAck},
      {"master.wait-ack", WaitAck},
      {"master.disconnect", Disconnect},
      {"master.expect-close", ExpectClose},
      {"check.replica-offsets", ReplicaOffsets},
      {"check.replica-link", ReplicaLink},
      {"check.replica-replid", ReplicaReplid},
      {"check.replica-keyspace", ReplicaKeyspace},
      {"server.rdb-version", ServerRdbVersion},
      {"master.send-rdb-version", SendRdbVersion},
  };
  return kSteps;
}

}  // namespace conformance::scenario
