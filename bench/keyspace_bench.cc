// The keyspace oracle against real peers, each figure a ratio measured in the same run
// (issue 4, "Benchmarks"). It starts its own redis-server master on a loopback port in a temp
// dir (server::ServerProcess: always stopped, also on SIGINT), fills it with the generator's
// mixed dataset (60% strings, 10% each hashes, lists, sets and sorted sets, 5% with a TTL), and
// measures, each --repeat times (medians printed):
//   (a) full-sync ingest: the fake replica (PSYNC, RDB parsed into the model) vs a real
//       redis-server replica syncing the same master (REPLICAOF until master_link_status:up and
//       loading:0) vs `redis-cli --rdb` (the payload to a file, no parsing);
//   (b) parsing that RDB file: our reader (parse only, and parse + model) vs redis-check-rdb;
//   (c) the equivalence check of the model against the server, both ways (SCAN+DUMP+PEXPIRETIME,
//       and the replication snapshot), read and diff, vs DEBUG DIGEST on the server;
//   (d) memory: the model's heap per key (and the peak RSS growth while ingesting) vs the
//       server's used_memory per key for the same data.
//
// Usage: bench_keyspace [--keys N] [--repeat N] [--seed N] [--server PATH] [--cli PATH]
//                       [--check-rdb PATH] [--keep-rdb PATH]
// bench/run_keyspace_bench.sh builds nothing; it runs this with the machine's load average.
#include <fmt/format.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "bench/bench_fill.h"
#include "bench/bench_util.h"
#include "fakes/fake_replica.h"
#include "harness/net/run_sync.h"
#include "harness/net/timeout.h"
#include "harness/oracle/server_keyspace.h"
#include "harness/oracle/snapshot_capture.h"
#include "harness/rdb/reader.h"
#include "harness/repl/model_loader.h"
#include "harness/server/admin.h"
#include "harness/server/launcher.h"
#include "harness/server/readiness.h"

namespace conformance::bench {
namespace {

constexpr net::Duration kLongTimeout{600000};  // a million keys on a busy 2-core machine
constexpr std::chrono::milliseconds kProcessTimeout{600000};
constexpr net::Duration kPollInterval{5};

struct Options {
  size_t keys = 1000000;
  int repeat = 3;
  uint64_t seed = 1;
  std::string server = "/usr/bin/redis-server";
  std::string cli = "redis-cli";
  std::string check_rdb = "redis-check-rdb";
  std::string keep_rdb;  // copy the RDB file here before it is removed (for profiling)
};

std::optional<Options> ParseArgs(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) return std::nullopt;
    const std::string value = argv[++i];
    if (arg == "--keys") {
      options.keys = std::stoull(value);
    } else if (arg == "--repeat") {
      options.repeat = std::max(1, std::stoi(value));
    } else if (arg == "--seed") {
      options.seed = std::stoull(value);
    } else if (arg == "--server") {
      options.server = value;
    } else if (arg == "--cli") {
      options.cli = value;
    } else if (arg == "--check-rdb") {
      options.check_rdb = value;
    } else if (arg == "--keep-rdb") {
      options.keep_rdb = value;
    } else {
      return std::nullopt;
    }
  }
  return options;
}

// A measurement that cannot go on. Thrown, so that unwinding stops every server the bench
// started (their destructors), and caught in Main.
struct Abort {
  std::string message;
};

[[noreturn]] void Die(const std::string& what, const std::string& why) {
  throw Abort{what + ": " + why};
}

template <typename T>
T Check(Result<T> result, const std::string& what) {
  if (!result.ok()) Die(what, result.message());
  return std::move(result).value();
}

void Check(const Status& status, const std::string& what) {
  if (!status.ok()) Die(what, status.message());
}

// Counts keys; nothing else: what parsing alone costs. It takes values the way the model does
// (packed where the encoding allows, data::Value otherwise), so every element is decoded.
class CountingHandler : public rdb::Handler {
 public:
  Status OnKey(std::string, data::Entry, const rdb::KeyMeta&) override {
    ++keys_;
    return OkStatus();
  }
  bool TakesPacked() const override { return true; }
  Status OnPackedKey(std::string, data::ValueType, std::string_view, int64_t,
                     const rdb::KeyMeta&) override {
    ++keys_;
    return OkStatus();
  }
  uint64_t keys() const { return keys_; }

 private:
  uint64_t keys_ = 0;
};

struct Ingest {
  double seconds = 0;
  uint64_t model_heap = 0;  // allocator bytes the model holds
  uint64_t peak_rss = 0;    // RSS growth at the peak of the ingest
  uint64_t payload = 0;
};

class Bench {
 public:
  explicit Bench(Options options) : options_(std::move(options)) {}
  // The servers stop in their destructors; the RDB file goes here, also after an Abort.
  ~Bench() {
    std::error_code ignored;
    if (!options_.keep_rdb.empty()) {
      std::filesystem::copy_file(rdb_path_, options_.keep_rdb,
                                 std::filesystem::copy_options::overwrite_existing, ignored);
    }
    std::filesystem::remove(rdb_path_, ignored);
  }
  Bench(const Bench&) = delete;
  Bench& operator=(const Bench&) = delete;

  server::ProcessRegistry& registry() { return registry_; }

  void StartMaster() {
    master_ = StartServer({{"repl-diskless-sync", "yes"}, {"repl-diskless-sync-delay", "0"}});
    admin_ = Connect(*master_);
  }

  void Fill() {
    used_before_ = UsedMemory();
    workload::DatasetOptions dataset;
    dataset.seed = options_.seed;
    dataset.keys = options_.keys;
    dataset.expire = true;
    dataset.expire_percent = 5;
    dataset.profile = workload::Profile::kMixed;
    auto connection = Check(net::RunSync(io_, net::Connection::Connect(master_->host(), master_->port(),
                                                              kLongTimeout, "fill", &transcript_)),
                            "connecting to fill");
    const FillSummary fill =
        Check(net::RunSync(io_, FillServer(*connection, dataset, kLongTimeout)), "fill");
    used_after_ = UsedMemory();
    fmt::print(
        "dataset: {} keys ({} commands, {:.1f} MB of RESP) written in {:.2f} s "
        "(+{:.2f} s encoding); server used_memory {:.1f} MB\n",
        options_.keys, fill.commands, fill.bytes / 1e6, fill.write_seconds, fill.encode_seconds,
        used_after_ / 1e6);
  }

  // (a) The fake replica: PSYNC ? -1 until the RDB is parsed into its model.
  Ingest FakeReplicaIngest(int run) {
    replica_.reset();
    TrimHeap();
    const uint64_t heap_before = HeapInUse();
    const uint64_t rss_before = RssBytes();
    ResetPeakRss();
    fakes::FakeReplicaOptions options;
    options.host = master_->host();
    options.port = master_->port();
    options.timeout = kLongTimeout;
    options.listening_port = static_cast<uint16_t>(16390 + run);
    replica_ = std::make_unique<fakes::FakeReplica>(options, &transcript_);
    Check(net::RunSync(io_, replica_->Connect()), "fake replica connect");
    Check(net::RunSync(io_, replica_->Handshake()), "fake replica handshake");
    const auto start = Clock::now();
    Check(net::RunSync(io_, replica_->Psync("?", -1)), "fake replica PSYNC");
    const fakes::RdbSummary summary = Check(net::RunSync(io_, replica_->ReceiveRdb()), "fake replica RDB");
    Ingest ingest;
    ingest.seconds = SecondsSince(start);
    replica_->Disconnect();
    TrimHeap();
    ingest.model_heap = HeapInUse() - heap_before;
    ingest.peak_rss = PeakRssBytes() - rss_before;
    ingest.payload = summary.payload_bytes;
    if (replica_->model().size() != options_.keys) {
      Die("fake replica",
          fmt::format("model has {} keys, expected {}", replica_->model().size(), options_.keys));
    }
    return ingest;
  }

  // (a) A real replica: REPLICAOF until the link is up and the data loaded.
  double RealReplicaIngest() {
    auto replica = StartServer({});
    auto admin = Connect(*replica);
    const auto start = Clock::now();
    Check(net::RunSync(io_, admin->ReplicaOf(master_->host(), master_->port())), "REPLICAOF");
    Check(net::RunSync(io_, WaitLoaded(*admin, kLongTimeout)), "real replica sync");
    return SecondsSince(start);
  }

  // (a) redis-cli --rdb: the payload to a file.
  double RedisCliRdb() {
    std::filesystem::remove(rdb_path_);
    const ProcessOutcome outcome =
        Check(RunProcess({options_.cli, "-h", master_->host(), "-p",
                          std::to_string(master_->port()), "--rdb", rdb_path_},
                         kProcessTimeout),
              "redis-cli --rdb");
    if (outcome.exit_code != 0) Die("redis-cli --rdb", outcome.output);
    return outcome.seconds;
  }

  // (b) Our reader on the file: parse only, and parse into a model.
  std::pair<double, double> ParseFile() {
    CountingHandler counter;
    auto start = Clock::now();
    Check(rdb::ReadFile(rdb_path_, &counter), "reading the RDB file");
    const double parse = SecondsSince(start);
    if (counter.keys() != options_.keys) Die("reading the RDB file", "wrong key count");
    keyspace::Keyspace model;
    repl::ModelLoader loader(&model);
    start = Clock::now();
    Check(rdb::ReadFile(rdb_path_, &loader), "loading the RDB file");
    return {parse, SecondsSince(start)};
  }

  double RedisCheckRdb() {
    const ProcessOutcome outcome =
        Check(RunProcess({options_.check_rdb, rdb_path_}, kProcessTimeout), "redis-check-rdb");
    if (outcome.exit_code != 0) Die("redis-check-rdb", outcome.output);
    return outcome.seconds;
  }

  struct Equivalence {
    double read = 0;
    double diff = 0;
    size_t differences = 0;
  };

  // (c) The model against the server: read the server one way, then diff.
  Equivalence Compare(bool snapshot) {
    keyspace::Keyspace actual;
    Equivalence result;
    auto start = Clock::now();
    if (snapshot) {
      oracle::CaptureOptions options;
      options.timeout = kLongTimeout;
      Check(net::RunSync(io_, oracle::CaptureKeyspace(master_->host(), master_->port(), &actual, options,
                                             &transcript_)),
            "snapshot capture");
    } else {
      oracle::ReadOptions options;
      options.timeout = kLongTimeout;
      Check(net::RunSync(io_, oracle::ReadServerKeyspace(admin_->client(), &actual, options)), "SCAN read");
    }
    result.read = SecondsSince(start);
    start = Clock::now();
    result.differences = keyspace::Keyspace::Diff(replica_->model(), actual, 10, 2000).size();
    result.diff = SecondsSince(start);
    return result;
  }

  double DebugDigest() {
    const auto start = Clock::now();
    std::vector<std::string> digest = {"DEBUG", "DIGEST"};
    const resp::Value reply = Check(net::RunSync(io_, admin_->Call(std::move(digest))), "DEBUG DIGEST");
    if (reply.IsError()) Die("DEBUG DIGEST", reply.ToString());
    return SecondsSince(start);
  }

  double ModelDigest() {
    const auto start = Clock::now();
    const keyspace::Digest digest = replica_->model().ComputeDigest();
    (void)digest;
    return SecondsSince(start);
  }

  uint64_t used_per_key() const { return (used_after_ - used_before_) / options_.keys; }
  uint64_t rdb_size() const { return std::filesystem::file_size(rdb_path_); }

 private:
  std::unique_ptr<server::ServerProcess> StartServer(
      std::vector<std::pair<std::string, std::string>> config) {
    server::LaunchSpec spec;
    spec.binary = options_.server;
    spec.config = std::move(config);
    auto server = Check(server::ServerProcess::Spawn(spec, &registry_), "starting redis-server");
    Check(net::RunSync(io_, server::WaitUntilReady(*server, net::Duration{20000}, &transcript_)),
          "redis-server readiness");
    return server;
  }

  std::unique_ptr<server::Admin> Connect(server::ServerProcess& server) {
    return Check(net::RunSync(io_, server::Admin::Connect(server.host(), server.port(), &transcript_,
                                                 kLongTimeout, "bench")),
                 "admin connection");
  }

  uint64_t UsedMemory() {
    const server::Info info = Check(net::RunSync(io_, admin_->Info("memory")), "INFO memory");
    return static_cast<uint64_t>(info.GetInt("used_memory").value_or(0));
  }

  // Polls INFO until the replica's link is up and nothing is loading, within `timeout`.
  static net::Awaitable<Status> WaitLoaded(server::Admin& admin, net::Duration timeout) {
    const auto deadline = Clock::now() + timeout;
    while (true) {
      auto info = co_await admin.Info();
      if (!info.ok()) co_return info.error();
      if (info->Get("master_link_status") == "up" && info->Get("loading") == "0") {
        co_return OkStatus();
      }
      if (Clock::now() >= deadline) {
        co_return Error{"the replica did not finish its sync in time", ErrorKind::kTimeout};
      }
      co_await net::Pause(kPollInterval);  // a poll interval; the deadline bounds the wait
    }
  }

  Options options_;
  asio::io_context io_;
  Transcript transcript_;
  server::ProcessRegistry registry_;
  std::unique_ptr<server::ServerProcess> master_;
  std::unique_ptr<server::Admin> admin_;
  std::unique_ptr<fakes::FakeReplica> replica_;
  uint64_t used_before_ = 0;
  uint64_t used_after_ = 0;
  std::string rdb_path_ = fmt::format("/tmp/bench-keyspace-{}.rdb", getpid());
};

std::string Ratio(double ours, double theirs) {
  return theirs > 0 ? fmt::format("{:.2f}", ours / theirs) : std::string("n/a");
}

int Measure(const Options& options_in);

int Main(int argc, char** argv) {
  auto options = ParseArgs(argc, argv);
  if (!options) {
    std::cerr << "usage: bench_keyspace [--keys N] [--repeat N] [--seed N] [--server PATH] "
                 "[--cli PATH] [--check-rdb PATH] [--keep-rdb PATH]\n";
    return 64;
  }
  try {
    return Measure(*options);
  } catch (const Abort& abort) {
    std::cerr << "bench_keyspace: " << abort.message << "\n";
    return 3;
  }
}

int Measure(const Options& options_in) {
  const std::optional<Options> options = options_in;
  Bench bench(*options);
  server::InstallSignalCleanup(&bench.registry());
  fmt::print(
      "keyspace bench: {} keys, mixed (60% strings, 10% each hash/list/set/zset, 5% TTL), "
      "{} runs each (medians); load average {}\n",
      options->keys, options->repeat, LoadAverage());
  bench.StartMaster();
  bench.Fill();

  std::vector<double> fake, real, cli, parse, load, check, scan_read, scan_diff, snap_read,
      snap_diff, digest, model_digest;
  Ingest last;
  size_t differences = 0;
  for (int run = 0; run < options->repeat; ++run) {
    last = bench.FakeReplicaIngest(run);
    fake.push_back(last.seconds);
    real.push_back(bench.RealReplicaIngest());
    cli.push_back(bench.RedisCliRdb());
  }
  const uint64_t rdb_bytes = bench.rdb_size();
  for (int run = 0; run < options->repeat; ++run) {
    auto [p, l] = bench.ParseFile();
    parse.push_back(p);
    load.push_back(l);
    check.push_back(bench.RedisCheckRdb());
  }
  for (int run = 0; run < options->repeat; ++run) {
    const auto scan = bench.Compare(false);
    scan_read.push_back(scan.read);
    scan_diff.push_back(scan.diff);
    const auto snap = bench.Compare(true);
    snap_read.push_back(snap.read);
    snap_diff.push_back(snap.diff);
    differences += scan.differences + snap.differences;
    digest.push_back(bench.DebugDigest());
    model_digest.push_back(bench.ModelDigest());
  }

  const double f = Median(fake), r = Median(real), c = Median(cli);
  fmt::print("RDB: {:.1f} MB (redis-cli --rdb), fake replica payload {:.1f} MB\n", rdb_bytes / 1e6,
             last.payload / 1e6);
  fmt::print(
      "(a) full-sync ingest: fake replica (parse + model) {:.2f} s | real replica until "
      "loaded {:.2f} s -> ratio {} (aim <= 0.5) | redis-cli --rdb {:.2f} s -> ratio {} "
      "(aim <= 1.5)\n",
      f, r, Ratio(f, r), c, Ratio(f, c));
  const double p = Median(parse), l = Median(load), k = Median(check);
  fmt::print(
      "(b) parse the RDB file: ours {:.2f} s (parse only; {:.2f} s into a model) | "
      "redis-check-rdb {:.2f} s -> ratio {} (aim <= 0.33; into a model {})\n",
      p, l, k, Ratio(p, k), Ratio(l, k));
  const double sr = Median(scan_read), sd = Median(scan_diff), nr = Median(snap_read),
               nd = Median(snap_diff), d = Median(digest);
  fmt::print(
      "(c) equivalence, model vs server: scan {:.2f} s (read {:.2f} + diff {:.2f}) -> "
      "ratio {} | snapshot {:.2f} s (read {:.2f} + diff {:.2f}) -> ratio {} | DEBUG "
      "DIGEST {:.2f} s (aim <= 0.5); model digest {:.2f} s; {} differences\n",
      sr + sd, sr, sd, Ratio(sr + sd, d), nr + nd, nr, nd, Ratio(nr + nd, d), d,
      Median(model_digest), differences);
  const double model_per_key = static_cast<double>(last.model_heap) / options->keys;
  const double peak_per_key = static_cast<double>(last.peak_rss) / options->keys;
  fmt::print(
      "(d) memory per key: model {:.0f} B (heap in use; peak RSS growth while ingesting "
      "{:.0f} B) | server used_memory {} B -> ratio {} (aim <= 1)\n",
      model_per_key, peak_per_key, bench.used_per_key(),
      Ratio(model_per_key, static_cast<double>(bench.used_per_key())));
  fmt::print("load average at the end: {}\n", LoadAverage());
  return differences == 0 ? 0 : 1;
}

}  // namespace
}  // namespace conformance::bench

int main(int argc, char** argv) { return conformance::bench::Main(argc, argv); }
