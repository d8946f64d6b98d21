#include "bench/resp_stream.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

#include "harness/resp/encoder.h"

namespace conformance::bench {
namespace {

constexpr size_t kPipelineDepth = 1000;
constexpr auto kCaptureTimeout = std::chrono::seconds(120);
constexpr auto kStartTimeout = std::chrono::seconds(10);
constexpr const char* kEndMarkerKey = "__resp_bench_end__";
constexpr size_t kPingEvery = 50000;  // commands between PINGs in the generated stream

}  // namespace

// --- the workload ----------------------------------------------------------------------------

std::string WorkloadGenerator::Key(const char* prefix) {
  return fmt::format("{}:{}", prefix, Pick(100000));
}

std::string WorkloadGenerator::Text(size_t length) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string s(length, 'x');
  for (char& c : s) c = kAlphabet[Pick(sizeof(kAlphabet) - 1)];
  return s;
}

void WorkloadGenerator::WriteCommand(std::vector<std::string>* argv) {
  const uint32_t roll = Pick(100);
  if (roll < 40) {
    // Mostly small values, some large ones (1-16 KiB), as caches and sessions write.
    const size_t length = Pick(50) == 0 ? 1024 + Pick(15 * 1024) : 8 + Pick(120);
    *argv = {"SET", Key("str"), Text(length)};
  } else if (roll < 55) {
    *argv = {"HSET", Key("hash")};
    for (uint32_t i = 0, n = 1 + Pick(4); i < n; ++i) {
      argv->push_back(fmt::format("field{}", Pick(20)));
      argv->push_back(Text(4 + Pick(40)));
    }
  } else if (roll < 65) {
    *argv = {"LPUSH", Key("list")};
    for (uint32_t i = 0, n = 1 + Pick(5); i < n; ++i) argv->push_back(Text(4 + Pick(30)));
  } else if (roll < 75) {
    *argv = {"ZADD", Key("zset")};
    for (uint32_t i = 0, n = 1 + Pick(3); i < n; ++i) {
      argv->push_back(std::to_string(Pick(1000000)));
      argv->push_back(fmt::format("member{}", Pick(1000)));
    }
  } else if (roll < 83) {
    *argv = {"SADD", Key("set")};
    for (uint32_t i = 0, n = 1 + Pick(4); i < n; ++i) {
      argv->push_back(fmt::format("m{}", Pick(5000)));
    }
  } else if (roll < 91) {
    *argv = {"INCR", Key("counter")};
  } else if (roll < 96) {
    *argv = {"EXPIRE", Key("str"), std::to_string(3600 + Pick(3600))};
  } else {
    *argv = {"DEL", Key("str")};
  }
}

void WorkloadGenerator::Next(std::vector<std::string>* argv) {
  if (!pending_.empty()) {
    *argv = std::move(pending_.front());
    pending_.pop_front();
    return;
  }
  const uint32_t roll = Pick(100);
  if (roll < 3) {
    *argv = {"MULTI"};
    for (uint32_t i = 0, n = 2 + Pick(3); i < n; ++i) {
      pending_.emplace_back();
      WriteCommand(&pending_.back());
    }
    pending_.push_back({"EXEC"});
  } else if (roll < 5) {
    *argv = {"SELECT", std::to_string(Pick(4))};
  } else {
    WriteCommand(argv);
  }
}

namespace {

// --- the capture ---------------------------------------------------------------------------

// A port nobody listens on right now (the server binds it a moment later).
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  int port = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

int ConnectLoopback(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  timeval timeout{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  return fd;
}

bool SendAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// A redis-server child in its own temp dir; stopped and cleaned up on destruction.
class ServerProcess {
 public:
  ~ServerProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  Status Start(const std::string& binary) {
    char dir_template[] = "/tmp/resp-bench-XXXXXX";
    if (mkdtemp(dir_template) == nullptr) return Error{"mkdtemp failed"};
    dir_ = dir_template;
    port_ = FreePort();
    if (port_ <= 0) return Error{"no free port"};
    const std::vector<std::string> args = {binary,
                                           "--port",
                                           std::to_string(port_),
                                           "--bind",
                                           "127.0.0.1",
                                           "--dir",
                                           dir_,
                                           "--save",
                                           "",
                                           "--appendonly",
                                           "no",
                                           "--repl-diskless-sync",
                                           "no",
                                           "--logfile",
                                           dir_ + "/redis.log",
                                           "--client-output-buffer-limit",
                                           "replica 0 0 0"};
    pid_ = fork();
    if (pid_ < 0) return Error{"fork failed"};
    if (pid_ == 0) {
      std::vector<char*> argv;
      for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
    while (std::chrono::steady_clock::now() < deadline) {
      const int fd = ConnectLoopback(port_);
      if (fd >= 0) {
        char buf[16] = {};
        const bool pong = SendAll(fd, "PING\r\n") && recv(fd, buf, 7, MSG_WAITALL) == 7 &&
                          std::string_view(buf, 7) == "+PONG\r\n";
        close(fd);
        if (pong) return OkStatus();
      }
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return Error{fmt::format("{} exited during start-up", binary)};
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return Error{fmt::format("{} not ready within {}s", binary, kStartTimeout.count())};
  }

  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = -1;
  std::string dir_;
};

// Sends inline SYNC and reads past the keepalives, the `$len` preamble and the RDB; returns the
// stream bytes that arrived after the RDB.
Result<std::string> SyncPastRdb(int fd) {
  if (!SendAll(fd, "SYNC\r\n")) return Error{"send SYNC failed"};
  std::string buf;
  char chunk[1 << 16];
  size_t rdb_end = std::string::npos;
  while (rdb_end == std::string::npos) {
    const ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
    if (n <= 0) return Error{"connection closed or timed out during SYNC"};
    buf.append(chunk, static_cast<size_t>(n));
    const size_t start = buf.find_first_not_of('\n');
    if (start == std::string::npos) continue;
    if (buf[start] != '$') return Error{fmt::format("unexpected SYNC reply: {}", buf)};
    const size_t eol = buf.find("\r\n", start);
    if (eol == std::string::npos) continue;
    const size_t rdb_size = std::stoull(buf.substr(start + 1, eol - start - 1));
    if (buf.size() >= eol + 2 + rdb_size) rdb_end = eol + 2 + rdb_size;
  }
  return buf.substr(rdb_end);
}

}  // namespace

Result<ReplicationStream> CaptureFromRedis(const std::string& server_binary, uint64_t seed,
                                           size_t target_bytes) {
  if (access(server_binary.c_str(), X_OK) != 0) return Error{server_binary + " not found"};
  ServerProcess server;
  CONFORMANCE_RETURN_IF_ERROR(server.Start(server_binary));

  const int replica_fd = ConnectLoopback(server.port());
  if (replica_fd < 0) return Error{"replica connect failed"};
  Result<std::string> first = SyncPastRdb(replica_fd);
  if (!first.ok()) {
    close(replica_fd);
    return first.error();
  }

  // Drain the replica link while the workload runs, so the master never blocks on it.
  const std::string marker = resp::EncodeCommand({"SET", kEndMarkerKey, "1"});
  std::string stream = std::move(first.value());
  std::atomic<bool> reader_ok{false};
  std::thread reader([&] {
    std::vector<char> chunk(1 << 16);
    const auto deadline = std::chrono::steady_clock::now() + kCaptureTimeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (stream.size() >= marker.size() &&
          stream.compare(stream.size() - marker.size(), marker.size(), marker) == 0) {
        reader_ok = true;
        return;
      }
      const ssize_t n = recv(replica_fd, chunk.data(), chunk.size(), 0);
      if (n <= 0) return;
      stream.append(chunk.data(), static_cast<size_t>(n));
    }
  });

  redisContext* client = redisConnect("127.0.0.1", server.port());
  std::string failure;
  uint64_t commands = 0;
  if (client == nullptr || client->err) {
    failure = "workload client connect failed";
  } else {
    WorkloadGenerator workload(seed);
    std::vector<std::string> argv;
    std::vector<const char*> ptrs;
    std::vector<size_t> lens;
    size_t sent_bytes = 0;
    bool last_batch = false;
    while (failure.empty() && !last_batch) {
      size_t batch = 0;
      for (; batch < kPipelineDepth; ++batch) {
        if (sent_bytes >= target_bytes) {
          argv = {"SET", kEndMarkerKey, "1"};
          last_batch = true;
        } else {
          workload.Next(&argv);
        }
        ptrs.clear();
        lens.clear();
        for (const std::string& a : argv) {
          ptrs.push_back(a.data());
          lens.push_back(a.size());
          sent_bytes += a.size() + 8;
        }
        redisAppendCommandArgv(client, static_cast<int>(argv.size()), ptrs.data(), lens.data());
        ++commands;
        if (last_batch) {
          ++batch;
          break;
        }
      }
      for (size_t i = 0; i < batch; ++i) {
        void* reply = nullptr;
        if (redisGetReply(client, &reply) != REDIS_OK) {
          failure = fmt::format("workload reply failed: {}", client->errstr);
          break;
        }
        freeReplyObject(reply);
      }
    }
  }
  if (client != nullptr) redisFree(client);
  if (!failure.empty()) shutdown(replica_fd, SHUT_RDWR);  // ends the reader's recv
  reader.join();
  close(replica_fd);
  if (!failure.empty()) return Error{failure};
  if (!reader_ok) return Error{"the end marker never reached the replica"};
  return ReplicationStream{std::move(stream), "redis-server capture", commands};
}

ReplicationStream GenerateStream(uint64_t seed, size_t target_bytes) {
  ReplicationStream out;
  out.source = "generated";
  out.bytes.reserve(target_bytes + (64 << 10));
  WorkloadGenerator workload(seed);
  std::vector<std::string> argv;
  std::string current_db = "0";
  std::string wanted_db = "0";
  resp::AppendCommand(&out.bytes, {"SELECT", "0"});
  while (out.bytes.size() < target_bytes) {
    workload.Next(&argv);
    if (argv[0] == "SELECT") {  // a master propagates SELECT only before a write elsewhere
      wanted_db = argv[1];
      continue;
    }
    if (wanted_db != current_db) {
      resp::AppendCommand(&out.bytes, {"SELECT", wanted_db});
      current_db = wanted_db;
    }
    resp::AppendCommand(&out.bytes, argv);
    if (++out.commands % kPingEvery == 0) resp::AppendCommand(&out.bytes, {"PING"});
  }
  return out;
}

}  // namespace conformance::bench
