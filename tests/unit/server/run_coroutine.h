// Runs a coroutine to completion from a test. Unlike net::RunSync (asio::use_future), it does
// not need a default-constructible result, which Result<T> is not.
#pragma once

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>

#include <exception>
#include <optional>
#include <utility>

namespace conformance::server::testing {

template <typename T>
T RunCoroutine(asio::io_context& io, asio::awaitable<T> operation) {
  std::optional<T> result;
  std::exception_ptr failure;
  bool done = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> { result.emplace(co_await std::move(operation)); },
      [&](std::exception_ptr e) {
        failure = e;
        done = true;
      });
  io.restart();
  while (!done) {
    if (io.run_one() == 0) io.restart();
  }
  if (failure) std::rethrow_exception(failure);
  return std::move(*result);
}

}  // namespace conformance::server::testing
