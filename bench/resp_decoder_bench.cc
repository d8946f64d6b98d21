// Decodes the same replication stream three ways and reports bytes/s:
//   BM_OursNextArgv  Decoder::NextArgv (the fake replica's fast path, no Value tree)
//   BM_OursNext      Decoder::Next (a full Value tree per command)
//   BM_Hiredis       hiredis's redisReader (a redisReply tree per command)
// The stream is fed in 16 KiB reads, as a replica reads its master's socket. By default it is
// captured from a real redis-server (see resp_stream.h); environment knobs:
//   RESP_BENCH_SERVER  server binary (default /usr/bin/redis-server; "none" to generate)
//   RESP_BENCH_MB      stream size in MiB (default 64)
//   RESP_BENCH_STREAM  decode this file instead (e.g. one saved with RESP_BENCH_SAVE)
//   RESP_BENCH_SAVE    write the stream used to this file
#include <benchmark/benchmark.h>
#include <hiredis/hiredis.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bench/resp_stream.h"
#include "harness/resp/decoder.h"

namespace conformance::bench {
namespace {

constexpr size_t kReadSize = 16 << 10;  // Redis's PROTO_IOBUF_LEN
constexpr uint64_t kSeed = 20240601;
constexpr size_t kDefaultStreamMiB = 64;

void Finish(benchmark::State& state, const ReplicationStream& stream, uint64_t commands) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * stream.bytes.size()));
  state.counters["commands"] = static_cast<double>(commands);
  state.SetLabel(stream.source);
}

void BM_OursNextArgv(benchmark::State& state, const ReplicationStream& stream) {
  const std::string_view bytes = stream.bytes;
  uint64_t commands = 0;
  for (auto _ : state) {
    resp::Decoder decoder(resp::DecoderMode::kCommands);
    std::vector<std::string> argv;
    commands = 0;
    for (size_t at = 0; at < bytes.size(); at += kReadSize) {
      decoder.Feed(bytes.substr(at, kReadSize));
      while (decoder.NextArgv(&argv) == resp::DecodeStatus::kValue) ++commands;
    }
    if (decoder.failed() || decoder.buffered() != 0) {
      state.SkipWithError(decoder.failed() ? decoder.error().message.c_str() : "bytes left over");
      return;
    }
    benchmark::DoNotOptimize(argv.data());
  }
  Finish(state, stream, commands);
}

void BM_OursNext(benchmark::State& state, const ReplicationStream& stream) {
  const std::string_view bytes = stream.bytes;
  uint64_t commands = 0;
  for (auto _ : state) {
    resp::Decoder decoder(resp::DecoderMode::kCommands);
    resp::Value value;
    commands = 0;
    for (size_t at = 0; at < bytes.size(); at += kReadSize) {
      decoder.Feed(bytes.substr(at, kReadSize));
      while (decoder.Next(&value) == resp::DecodeStatus::kValue) ++commands;
    }
    if (decoder.failed() || decoder.buffered() != 0) {
      state.SkipWithError(decoder.failed() ? decoder.error().message.c_str() : "bytes left over");
      return;
    }
    benchmark::DoNotOptimize(value.elements.data());
  }
  Finish(state, stream, commands);
}

void BM_Hiredis(benchmark::State& state, const ReplicationStream& stream) {
  const std::string_view bytes = stream.bytes;
  uint64_t commands = 0;
  for (auto _ : state) {
    redisReader* reader = redisReaderCreate();
    commands = 0;
    bool ok = true;
    for (size_t at = 0; ok && at < bytes.size(); at += kReadSize) {
      const std::string_view chunk = bytes.substr(at, kReadSize);
      redisReaderFeed(reader, chunk.data(), chunk.size());
      for (;;) {
        void* reply = nullptr;
        if (redisReaderGetReply(reader, &reply) != REDIS_OK) {
          ok = false;
          break;
        }
        if (reply == nullptr) break;
        ++commands;
        freeReplyObject(reply);
      }
    }
    const std::string error = ok ? "" : reader->errstr;
    redisReaderFree(reader);
    if (!ok) {
      state.SkipWithError(error.c_str());
      return;
    }
  }
  Finish(state, stream, commands);
}

std::string Env(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

ReplicationStream LoadStream() {
  if (const std::string path = Env("RESP_BENCH_STREAM", ""); !path.empty()) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream contents;
    contents << in.rdbuf();
    return ReplicationStream{contents.str(), "file " + path, 0};
  }
  const size_t target = std::stoull(Env("RESP_BENCH_MB", "64")) << 20;
  const std::string server = Env("RESP_BENCH_SERVER", "/usr/bin/redis-server");
  if (server != "none") {
    Result<ReplicationStream> captured = CaptureFromRedis(server, kSeed, target);
    if (captured.ok()) return std::move(captured.value());
    std::fprintf(stderr, "capture from %s failed (%s); using a generated stream\n", server.c_str(),
                 captured.message().c_str());
  }
  return GenerateStream(kSeed, target);
}

}  // namespace
}  // namespace conformance::bench

int main(int argc, char** argv) {
  using conformance::bench::ReplicationStream;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const ReplicationStream stream = conformance::bench::LoadStream();
  if (const std::string save = conformance::bench::Env("RESP_BENCH_SAVE", ""); !save.empty()) {
    std::ofstream(save, std::ios::binary) << stream.bytes;
  }
  std::fprintf(stderr, "stream: %s, %zu bytes\n", stream.source.c_str(), stream.bytes.size());
  benchmark::AddCustomContext("stream_source", stream.source);
  benchmark::AddCustomContext("stream_bytes", std::to_string(stream.bytes.size()));
  benchmark::RegisterBenchmark("BM_OursNextArgv", conformance::bench::BM_OursNextArgv, stream)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_OursNext", conformance::bench::BM_OursNext, stream)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_Hiredis", conformance::bench::BM_Hiredis, stream)
      ->Unit(benchmark::kMillisecond);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
