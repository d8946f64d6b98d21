#include "harness/server/discovery.h"

#include <asio/io_context.hpp>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>

#include "harness/net/run_sync.h"
#include "harness/resp/decoder.h"
#include "harness/resp/encoder.h"
#include "harness/server/error_reply.h"
#include "harness/server/launcher.h"
#include "harness/server/readiness.h"
#include "harness/server/release_knowledge.h"

extern char** environ;

namespace conformance::server {

namespace {

using Clock = std::chrono::steady_clock;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool Contains(std::string_view text, std::string_view word) {
  return Lower(text).find(Lower(word)) != std::string::npos;
}

// Commands probed one by one where the server has no COMMAND: each is sent without arguments,
// so a known one answers "wrong number of arguments" and an unknown one "unknown command".
// Only commands that take at least one argument are listed: nothing here executes (MULTI and
// SYNC, which take none, are probed apart).
const std::vector<std::string>& ProbedCommands() {
  static const std::vector<std::string> kCommands = {
      "select", "auth", "config", "replicaof", "slaveof", "psync", "wait", "dump", "restore",
      "debug", "function", "xadd", "xgroup", "xclaim", "xreadgroup", "rpush", "lpush", "sadd",
      "zadd", "hset", "hmset", "setrange", "getex", "getdel", "copy", "lmove", "zrangestore",
      "unlink", "geoadd", "pexpireat", "pexpiretime", "pttl", "type", "scan", "incrbyfloat",
      "move", "rename", "expire", "pexpire", "persist", "set", "get", "del", "incrby", "append",
      "setbit", "zpopmin", "zdiffstore", "hincrbyfloat", "xtrim", "xdel", "xack", "smove",
      "linsert", "lset", "ltrim", "lrem", "zunionstore", "sunionstore"};
  return kCommands;
}

// Commands that run with no arguments and change nothing, probed by running them.
const std::vector<std::string>& HarmlessNullaryCommands() {
  static const std::vector<std::string> kCommands = {"role", "ping", "info", "dbsize", "command"};
  return kCommands;
}

ProductRelease FromBanner(std::string_view text, std::string_view product_word,
                          const char* product) {
  if (!Contains(text, product_word)) return {};
  ProductRelease out;
  out.product = product;
  const size_t at = Lower(text).find("v=");
  out.version = Version::Parse(at == std::string::npos ? text : text.substr(at));
  return out;
}

}  // namespace

ProductRelease ProductFromInfo(const Info& info) {
  ProductRelease out;
  if (auto v = info.Get("dragonfly_version")) {
    out.product = "dragonfly";
    out.version = Version::Parse(*v);
  } else if (auto valkey = info.Get("valkey_version")) {
    out.product = "valkey";
    out.version = Version::Parse(*valkey);
  } else if (auto name = info.Get("server_name"); name && Contains(*name, "valkey")) {
    out.product = "valkey";
    if (auto v = info.Get("redis_version")) out.version = Version::Parse(*v);
  } else if (auto exe = info.Get("executable"); exe && Contains(*exe, "keydb")) {
    out.product = "keydb";
    if (auto v = info.Get("redis_version")) out.version = Version::Parse(*v);
  } else if (info.Section("keydb") != nullptr || info.Has("storage_provider")) {
    out.product = "keydb";  // a section and a field only KeyDB writes
    if (auto v = info.Get("redis_version")) out.version = Version::Parse(*v);
  } else if (auto v = info.Get("redis_version")) {
    out.product = "redis";
    out.version = Version::Parse(*v);
  }
  return out;
}

ProductRelease ProductFromVersionText(std::string_view text) {
  // Valkey 7.2 says only "Server v=7.2.7"; INFO tells it apart.
  for (auto [word, product] : {std::pair{"keydb", "keydb"}, std::pair{"valkey", "valkey"},
                               std::pair{"dragonfly", "dragonfly"}, std::pair{"redis server", "redis"}}) {
    ProductRelease found = FromBanner(text, word, product);
    if (found.product != "unknown") return found;
  }
  return {};
}

std::optional<std::set<std::string>> CommandNamesFromReply(const resp::Value& reply) {
  if (reply.IsError() || reply.type != resp::Type::kArray) return std::nullopt;
  std::set<std::string> names;
  for (const resp::Value& entry : reply.elements) {
    if (entry.elements.empty() || !entry.elements[0].IsString()) return std::nullopt;
    names.insert(Lower(entry.elements[0].str));
  }
  return names;
}

std::optional<std::set<std::string>> DirectivesFromConfigGet(const resp::Value& reply) {
  const bool pairs = reply.type == resp::Type::kArray || reply.type == resp::Type::kMap;
  if (reply.IsError() || !pairs || reply.elements.size() % 2 != 0) return std::nullopt;
  std::set<std::string> names;
  for (size_t i = 0; i < reply.elements.size(); i += 2) {
    if (!reply.elements[i].IsString()) return std::nullopt;
    names.insert(Lower(reply.elements[i].str));
  }
  return names;
}

Result<int> RdbVersionFromDump(std::string_view payload) {
  constexpr size_t kFooter = 10;  // u16 RDB version, u64 CRC64
  if (payload.size() < kFooter + 1) {
    return Error{fmt::format("a DUMP payload of {} bytes has no footer", payload.size())};
  }
  const auto* p = reinterpret_cast<const unsigned char*>(payload.data() + payload.size() - kFooter);
  const int version = p[0] | (p[1] << 8);
  if (version < 1 || version > 255) {
    return Error{fmt::format("the DUMP footer names RDB version {}", version)};
  }
  return version;
}

void ApplyReplicaHandshake(const std::vector<std::string>& handshake, ServerTraits* traits) {
  traits->replica_handshake = handshake;
  for (const std::string& line : handshake) {
    const std::string lower = Lower(line);
    if (lower.rfind("replconf", 0) == 0 && lower.find("capa") != std::string::npos) {
      if (lower.find(" eof") != std::string::npos) traits->capabilities.insert("eof");
      if (lower.find(" psync2") != std::string::npos) traits->capabilities.insert("psync2");
      if (lower.find(" dragonfly") != std::string::npos) {
        traits->capabilities.insert("multi-flow");
        traits->dialect = "dragonfly";
      }
    }
    if (lower.rfind("replping", 0) == 0 || lower.rfind("replconf uuid", 0) == 0) {
      traits->capabilities.insert("replping");
      traits->dialect = "keydb";
    }
    if (lower.rfind("replconf version", 0) == 0) traits->capabilities.insert("replconf-version");
    if (lower.rfind("auth", 0) == 0) traits->capabilities.insert("masterauth");
    // A replica that syncs with SYNC serves SYNC as a master too (Redis 2.6 has no COMMAND).
    if (lower == "sync") traits->capabilities.insert("sync");
  }
}

void DeriveCapabilities(const std::optional<Info>& replication_info, ServerTraits* traits) {
  auto add_if = [&](bool condition, const char* capability) {
    if (condition) traits->capabilities.insert(capability);
  };
  add_if(traits->HasCommand("sync"), "sync");
  add_if(traits->HasCommand("psync"), "psync");
  add_if(traits->HasCommand("role"), "role");
  add_if(traits->HasCommand("wait"), "wait");
  add_if(traits->HasCommand("config"), "config-set");
  add_if(traits->HasCommand("replicaof") || traits->HasCommand("slaveof"), "replicaof");
  add_if(traits->HasCommand("debug"), "debug");
  add_if(traits->HasCommand("dump") && traits->rdb_version > 0, "dump");
  add_if(traits->HasCommand("function"), "functions");
  add_if(traits->HasCommand("xadd") && traits->HasCommand("xgroup"), "streams");
  add_if(traits->Has("streams") && traits->HasForm("xgroup-entriesread"), "stream-entries-read");
  add_if(traits->HasCommand("select") && traits->databases > 1, "select");
  add_if(traits->HasCommand("auth") && traits->TakesDirective("requirepass"), "auth");
  add_if(traits->TakesDirective("dual-channel-replication-enabled"), "dual-channel");
  add_if(replication_info && replication_info->Has("master_repl_offset"), "info-replication");
  traits->capabilities.insert("restart");  // the harness starts the server itself
}

namespace {

// SET + DUMP of a scratch key: the RDB version the server writes.
net::Awaitable<void> ProbeRdbVersion(Admin& admin, ServerTraits* traits) {
  if (!traits->HasCommand("dump")) co_return;
  std::vector<std::string> set = {"SET", "__conformance:probe", "v"};
  (void)co_await admin.Call(std::move(set));
  std::vector<std::string> dump_command = {"DUMP", "__conformance:probe"};
  auto dump = co_await admin.Call(std::move(dump_command));
  if (!dump.ok() || !dump->IsString()) {
    traits->notes.push_back("probe: DUMP gave no payload");
    co_return;
  }
  auto version = RdbVersionFromDump(dump->str);
  if (version.ok()) {
    traits->rdb_version = *version;
    traits->notes.push_back(fmt::format("probe: DUMP footer says RDB {}", *version));
  } else {
    traits->notes.push_back("probe: " + version.message());
  }
}

net::Awaitable<void> ProbeCommands(Admin& admin, ServerTraits* traits) {
  std::vector<std::string> command = {"COMMAND"};
  auto reply = co_await admin.Call(std::move(command));
  if (reply.ok()) {
    if (auto names = CommandNamesFromReply(*reply)) {
      traits->commands = std::move(names);
      traits->notes.push_back(fmt::format("probe: COMMAND lists {} commands", traits->commands->size()));
      co_return;
    }
  }
  // No COMMAND: ask each command the harness may use.
  std::set<std::string> names;
  for (const std::string& name : HarmlessNullaryCommands()) {
    std::vector<std::string> bare = {name};
    auto r = co_await admin.Call(std::move(bare));
    if (r.ok() && !(r->IsError() && IsUnknownCommand(r->str))) names.insert(name);
  }
  for (const std::string& name : ProbedCommands()) {
    std::vector<std::string> bare = {name};
    auto r = co_await admin.Call(std::move(bare));
    if (r.ok() && !(r->IsError() && IsUnknownCommand(r->str))) names.insert(name);
  }
  // MULTI takes no argument: it is probed by opening a transaction and discarding it.
  std::vector<std::string> multi = {"MULTI"};
  if (auto r = co_await admin.Call(std::move(multi)); r.ok() && !r->IsError()) {
    names.insert("multi");
    names.insert("exec");
    std::vector<std::string> discard = {"DISCARD"};
    (void)co_await admin.Call(std::move(discard));
  }
  // SYNC takes no argument and would start a transfer; a server with PSYNC keeps SYNC.
  if (names.count("psync")) names.insert("sync");
  traits->notes.push_back(fmt::format("probe: no COMMAND; {} of {} probed commands answered",
                                      names.size(),
                                      ProbedCommands().size() + HarmlessNullaryCommands().size()));
  traits->commands = std::move(names);
}

net::Awaitable<void> ProbeConfig(Admin& admin, ServerTraits* traits) {
  if (!traits->HasCommand("config")) {
    traits->notes.push_back("probe: no CONFIG; the launcher writes only universal directives");
    co_return;
  }
  std::vector<std::string> config_get = {"CONFIG", "GET", "*"};
  auto reply = co_await admin.Call(std::move(config_get));
  if (reply.ok()) {
    if (auto names = DirectivesFromConfigGet(*reply)) {
      traits->config_directives = std::move(names);
      // Aliases CONFIG GET * does not list in every release.
      if (traits->config_directives->count("slaveof")) traits->config_directives->insert("replicaof");
      if (traits->HasCommand("replicaof")) traits->config_directives->insert("replicaof");
      traits->config_directives->insert("slaveof");
      traits->notes.push_back(
          fmt::format("probe: CONFIG GET * lists {} directives", traits->config_directives->size()));
    }
  }
  std::vector<std::string> get_databases = {"CONFIG", "GET", "databases"};
  auto databases = co_await admin.Call(std::move(get_databases));
  if (databases.ok() && databases->elements.size() == 2 && databases->elements[1].IsString()) {
    if (auto n = ParseInt(databases->elements[1].str)) traits->databases = static_cast<int>(*n);
  }
}

net::Awaitable<void> ProbeDatabases(Admin& admin, ServerTraits* traits) {
  if (!traits->HasCommand("select")) {
    traits->databases = 1;
    co_return;
  }
  if (traits->config_directives) co_return;  // CONFIG GET databases answered
  // Without CONFIG: the highest database SELECT reaches, of those the scenarios use.
  int reached = 1;
  for (int db : {1, 3, 9, 15}) {
    std::vector<std::string> select = {"SELECT", std::to_string(db)};
    auto r = co_await admin.Call(std::move(select));
    if (!r.ok() || r->IsError()) break;
    reached = db + 1;
  }
  std::vector<std::string> select_zero = {"SELECT", "0"};
  (void)co_await admin.Call(std::move(select_zero));
  traits->databases = reached;
}

net::Awaitable<void> ProbeForms(Admin& admin, ServerTraits* traits) {
  for (const CommandForm& form : KnownCommandForms()) {
    if (!traits->HasCommand(form.example[0])) continue;
    if (!form.setup.empty()) (void)co_await admin.Call(form.setup);
    auto r = co_await admin.Call(form.example);
    if (r.ok() && !r->IsError()) traits->command_forms.insert(form.name);
  }
  traits->forms_probed = true;
}

// Makes the server a replica of a listener of ours, records its handshake up to PSYNC/SYNC,
// and sees whether REPLICAOF answered before the handshake (it blocks on Dragonfly).
net::Awaitable<void> ProbeReplicaHandshake(Admin& admin, const std::string& host,
                                           ServerTraits* traits, Transcript* transcript,
                                           net::Duration timeout) {
  if (!traits->Has("replicaof")) co_return;
  auto listener = net::Listener::Bind(co_await asio::this_coro::executor, host, 0);
  if (!listener.ok()) co_return;
  const std::string verb = traits->HasCommand("replicaof") ? "REPLICAOF" : "SLAVEOF";
  std::string request;
  resp::AppendCommand(&request, {verb, host, std::to_string((*listener)->port())});
  if (!(co_await admin.client().connection().Write(request, timeout)).ok()) co_return;
  // A server that answers at once does so well within this; one that blocks waits for us.
  auto early = co_await admin.client().Read(net::Duration(1000));
  bool answered = early.ok();
  std::vector<std::string> handshake;
  auto link = co_await (*listener)->Accept(timeout, "probe-master", transcript);
  if (link.ok()) {
    // Older replicas send inline lines ("PING\r\n"), newer ones RESP arrays.
    net::Connection& replica = **link;
    resp::Decoder decoder(resp::DecoderMode::kCommands);
    std::string buffer;
    bool over = false;
    for (int i = 0; i < 12 && !over; ++i) {
      std::vector<std::string> argv;
      resp::DecodeStatus status = decoder.NextArgv(&argv);
      while (status == resp::DecodeStatus::kNeedMore) {
        buffer.clear();
        if (!(co_await replica.ReadSome(&buffer, timeout)).ok()) break;
        decoder.Feed(buffer);
        status = decoder.NextArgv(&argv);
      }
      if (status != resp::DecodeStatus::kValue) break;
      if (argv.empty()) continue;  // a keepalive newline
      std::string line;
      for (const std::string& word : argv) line += (line.empty() ? "" : " ") + word;
      const std::string name = Lower(argv[0]);
      if (name == "psync" || name == "sync") {
        handshake.push_back(argv[0]);
        break;
      }
      // AUTH carries a password; listening-port a port that changes every run.
      if (name == "auth") line = "AUTH <password>";
      if (name == "replconf" && argv.size() > 1 && Lower(argv[1]) == "listening-port") {
        line = "REPLCONF listening-port <port>";
      }
      if (name == "replconf" && argv.size() > 1 && Lower(argv[1]) == "uuid") line = "REPLCONF uuid <uuid>";
      handshake.push_back(line);
      // KeyDB's REPLCONF uuid wants the master's own uuid back.
      const bool uuid = name == "replconf" && argv.size() > 1 && Lower(argv[1]) == "uuid";
      const char* reply = name == "ping" || name == "replping" ? "+PONG\r\n"
                          : uuid ? "+00000000-0000-4000-8000-000000000000\r\n"
                                 : "+OK\r\n";
      over = !(co_await replica.Write(reply, timeout)).ok();
    }
    replica.Close();
  } else {
    traits->notes.push_back("probe: no replication link: " + link.message());
  }
  if (!answered) {
    auto late = co_await admin.client().Read(timeout);
    traits->replicaof_blocks = late.ok();
    answered = late.ok();
  }
  if (!answered) traits->notes.push_back("probe: REPLICAOF never answered");
  std::vector<std::string> no_one = {verb, "NO", "ONE"};
  (void)co_await admin.Call(std::move(no_one));
  if (handshake.empty()) {
    traits->notes.push_back("probe: the server never opened a replication link to the probe");
    co_return;
  }
  traits->notes.push_back(fmt::format("probe: as a replica it sent {}{}",
                                      fmt::join(handshake, ", "),
                                      traits->replicaof_blocks ? " (REPLICAOF blocked until then)" : ""));
  ApplyReplicaHandshake(handshake, traits);
}

}  // namespace

net::Awaitable<Status> ProbeRunningServer(Admin& admin, const std::string& host,
                                          ServerTraits* traits, Transcript* transcript,
                                          net::Duration timeout, bool as_replica) {
  admin.set_timeout(timeout);
  auto info = co_await admin.Info("");
  if (!info.ok()) {
    if (info.error().kind == ErrorKind::kTimeout || info.error().kind == ErrorKind::kClosed ||
        info.error().kind == ErrorKind::kReset) {
      co_return info.error();
    }
    traits->notes.push_back("probe: INFO failed: " + info.message());
  } else {
    ProductRelease found = ProductFromInfo(*info);
    if (found.product != "unknown") {
      traits->product = found.product;
      traits->version = found.version;
    }
  }
  co_await ProbeCommands(admin, traits);
  co_await ProbeConfig(admin, traits);
  co_await ProbeDatabases(admin, traits);
  co_await ProbeRdbVersion(admin, traits);
  co_await ProbeForms(admin, traits);
  std::vector<std::string> cleanup = {"DEL", "__conformance:probe", "__conformance:form", "__conformance:formz",
                             "__conformance:formh", "__conformance:forml", "__conformance:forms",
                             "__conformance:formc", "__conformance:formp", "__conformance:formx"};
  (void)co_await admin.Call(std::move(cleanup));
  std::optional<Info> replication;
  if (auto r = co_await admin.Info("replication"); r.ok()) replication = std::move(r).value();
  DeriveCapabilities(replication, traits);
  if (auto stats = co_await admin.Info("stats"); stats.ok() && stats->Has("sync_full")) {
    traits->capabilities.insert("sync-stats");
  }
  if (as_replica) co_await ProbeReplicaHandshake(admin, host, traits, transcript, timeout);
  co_return OkStatus();
}

std::string RunVersionFlag(const std::string& binary, std::chrono::milliseconds timeout) {
  int fds[2];
  if (pipe(fds) != 0) return "";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  std::string arg0 = binary;
  std::string flag = "--version";
  char* argv[] = {arg0.data(), flag.data(), nullptr};
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  std::string out;
  if (spawned == 0) {
    const auto deadline = Clock::now() + timeout;
    char buffer[4096];
    while (out.size() < 65536) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) break;
      pollfd pfd{fds[0], POLLIN, 0};
      if (poll(&pfd, 1, static_cast<int>(left.count())) <= 0) break;
      const ssize_t n = read(fds[0], buffer, sizeof buffer);
      if (n <= 0) break;
      out.append(buffer, static_cast<size_t>(n));
    }
    kill(pid, SIGKILL);  // a binary that ignores --version and starts a server stops here
    waitpid(pid, nullptr, 0);
  }
  close(fds[0]);
  return out.substr(0, out.find('\n'));
}

Result<ServerTraits> DiscoverServer(const LaunchSpec& spec, const DiscoveryOptions& options) {
  ServerTraits traits;
  const std::string banner = RunVersionFlag(spec.binary, std::chrono::milliseconds(3000));
  if (ProductRelease found = ProductFromVersionText(banner); found.product != "unknown") {
    traits.product = found.product;
    traits.version = found.version;
    traits.notes.push_back("--version: " + banner);
  }
  traits.config_file = std::any_of(spec.command.begin(), spec.command.end(), [](const std::string& word) {
    return word.find("{config}") != std::string::npos;
  });
  if (!traits.config_file) traits.notes.push_back("launch: started by flags, no config file");
  LaunchSpec probe = spec;
  probe.replica_of.reset();
  probe.directives = std::set<std::string>{};  // only universal ones and the spec's overrides
  auto spawned = ServerProcess::Spawn(probe, options.registry);
  if (!spawned.ok()) return Error{"the probe server did not start: " + spawned.message()};
  std::unique_ptr<ServerProcess> server = std::move(spawned).value();
  asio::io_context io;
  const std::optional<std::string> password = [&]() -> std::optional<std::string> {
    for (const auto& [name, value] : spec.config) {
      if (Lower(name) == "requirepass") return value;
    }
    return std::nullopt;
  }();
  Status probed = net::RunSync(io, [&]() -> net::Awaitable<Status> {
    CONFORMANCE_CO_RETURN_IF_ERROR(
        co_await WaitUntilReady(*server, spec.start_timeout, options.transcript, password));
    auto admin = co_await Admin::Connect(server->host(), server->port(), options.transcript,
                                         options.timeout, "probe");
    if (!admin.ok()) co_return admin.error();
    if (password) CONFORMANCE_CO_RETURN_IF_ERROR(co_await (*admin)->Auth(std::nullopt, *password));
    co_return co_await ProbeRunningServer(**admin, server->host(), &traits, options.transcript,
                                          options.timeout, /*as_replica=*/true);
  }());
  const std::string log_tail = server->LogTail(10);
  (void)server->Stop();
  if (!probed.ok()) {
    return Error{fmt::format("probing the server failed: {}\n{}", probed.message(), log_tail)};
  }
  ApplyReleaseKnowledge(&traits);
  return traits;
}

Result<ServerTraits> DiscoverAttached(const std::string& host, uint16_t port,
                                      const std::optional<std::string>& password,
                                      const DiscoveryOptions& options) {
  ServerTraits traits;
  asio::io_context io;
  Status probed = net::RunSync(io, [&]() -> net::Awaitable<Status> {
    auto admin = co_await Admin::Connect(host, port, options.transcript, options.timeout, "probe");
    if (!admin.ok()) co_return admin.error();
    if (password) CONFORMANCE_CO_RETURN_IF_ERROR(co_await (*admin)->Auth(std::nullopt, *password));
    co_return co_await ProbeRunningServer(**admin, host, &traits, options.transcript,
                                          options.timeout, /*as_replica=*/false);
  }());
  if (!probed.ok()) return Error{"probing the attached server failed: " + probed.message()};
  traits.capabilities.erase("restart");  // not the harness's to restart
  ApplyReleaseKnowledge(&traits);
  return traits;
}

}  // namespace conformance::server
