// Runs a coroutine to completion from synchronous code (tests, Python bindings). Background
// coroutines on the same context (keepalives, periodic ACKs) progress while it runs; the
// coroutine's own deadlines bound how long this takes.
#pragma once

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/use_future.hpp>

#include <chrono>
#include <future>

namespace conformance::net {

template <typename T>
T RunSync(asio::io_context& io, asio::awaitable<T> operation) {
  std::future<T> result = asio::co_spawn(io, std::move(operation), asio::use_future);
  io.restart();
  while (result.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
    if (io.run_one() == 0) io.restart();
  }
  return result.get();
}

}  // namespace conformance::net
