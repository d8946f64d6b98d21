// Runs a coroutine to completion from synchronous code (tests, benchmarks, Python bindings).
// Background coroutines on the same context (keepalives, periodic ACKs) progress while it
// runs; the coroutine's own deadlines bound how long this takes. The result need not be
// default-constructible (Result<T> is not).
#pragma once

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>

#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace conformance::net {

template <typename T>
T RunSync(asio::io_context& io, asio::awaitable<T> operation) {
  // void has no value to keep: std::optional<bool> stands in for it.
  using Kept = std::conditional_t<std::is_void_v<T>, bool, T>;
  std::optional<Kept> result;
  std::exception_ptr failure;
  bool done = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        if constexpr (std::is_void_v<T>) {
          co_await std::move(operation);
          result.emplace(true);
        } else {
          result.emplace(co_await std::move(operation));
        }
      },
      [&](std::exception_ptr e) {
        failure = e;
        done = true;
      });
  io.restart();
  while (!done) {
    if (io.run_one() == 0) io.restart();
  }
  if (failure) std::rethrow_exception(failure);
  if constexpr (!std::is_void_v<T>) return std::move(*result);
}

}  // namespace conformance::net
