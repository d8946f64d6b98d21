#include "bench/bench_fill.h"

#include <fmt/format.h>

#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "harness/common/escape.h"
#include "harness/resp/encoder.h"

namespace conformance::bench {

namespace {

constexpr uint64_t kBatchCommands = 20000;

struct Batch {
  std::string bytes;
  uint64_t commands = 0;
};

// Reads until `expected` reply lines arrived (every reply of the dataset is one line: +OK, :n).
net::Awaitable<Status> ReadReplies(net::Connection& connection, uint64_t expected,
                                   net::Duration timeout) {
  std::string buffer;
  uint64_t seen = 0;
  size_t line_start = 0;
  while (seen < expected) {
    const size_t scanned = buffer.size();
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await connection.ReadSome(&buffer, timeout));
    for (size_t i = scanned; i < buffer.size(); ++i) {
      if (buffer[i] != '\n') continue;
      if (buffer[line_start] == '-') {
        co_return Error{"the server refused a write: " +
                        EscapeBytes(std::string_view(buffer).substr(line_start, i - line_start))};
      }
      ++seen;
      line_start = i + 1;
    }
    buffer.erase(0, line_start);
    line_start = 0;
  }
  co_return OkStatus();
}

}  // namespace

net::Awaitable<Result<FillSummary>> FillServer(net::Connection& connection,
                                               const workload::DatasetOptions& options,
                                               net::Duration timeout) {
  FillSummary summary;
  auto start = Clock::now();
  std::vector<Batch> batches(1);
  workload::ForEachDatasetCommand(options, [&](workload::Command&& command) {
    if (batches.back().commands == kBatchCommands) batches.emplace_back();
    resp::AppendCommand(&batches.back().bytes, command);
    ++batches.back().commands;
  });
  summary.encode_seconds = SecondsSince(start);
  start = Clock::now();
  for (Batch& batch : batches) {
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await connection.Write(batch.bytes, timeout));
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await ReadReplies(connection, batch.commands, timeout));
    summary.commands += batch.commands;
    summary.bytes += batch.bytes.size();
    std::string().swap(batch.bytes);
  }
  summary.write_seconds = SecondsSince(start);
  co_return summary;
}

}  // namespace conformance::bench
