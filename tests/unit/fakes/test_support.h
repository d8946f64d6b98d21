// Helpers for the fake master tests: running coroutines to completion (one, or two side by
// side, e.g. the fake master and the fake replica of one exchange) and the typed values tests
// put in a model. Results travel through std::optional, so any result type works.
#pragma once

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>

#include <exception>
#include <optional>
#include <string>
#include <utility>

#include "harness/data/value.h"

namespace conformance::fakes::testing {

namespace internal {

// Spawns `operation` on `io`; *result is set when it ends (*failure on an exception).
template <typename T>
void Spawn(asio::io_context& io, asio::awaitable<T> operation, std::optional<T>* result,
           std::exception_ptr* failure, bool* done) {
  asio::co_spawn(
      io,
      [](asio::awaitable<T> op, std::optional<T>* out) -> asio::awaitable<void> {
        out->emplace(co_await std::move(op));
      }(std::move(operation), result),
      [failure, done](std::exception_ptr e) {
        *failure = e;
        *done = true;
      });
}

// Runs `io` until `done()`; the coroutines' own deadlines bound how long this takes.
template <typename Done>
void RunUntil(asio::io_context& io, Done done) {
  io.restart();
  while (!done()) {
    if (io.run_one() == 0) io.restart();
  }
}

}  // namespace internal

// Runs `operation` on `io` to completion.
template <typename T>
T Run(asio::io_context& io, asio::awaitable<T> operation) {
  std::optional<T> result;
  std::exception_ptr failure;
  bool done = false;
  internal::Spawn(io, std::move(operation), &result, &failure, &done);
  internal::RunUntil(io, [&] { return done; });
  if (failure) std::rethrow_exception(failure);
  return std::move(*result);
}

// Runs `a` and `b` concurrently on `io` until both finish.
template <typename A, typename B>
std::pair<A, B> RunBoth(asio::io_context& io, asio::awaitable<A> a, asio::awaitable<B> b) {
  std::optional<A> first;
  std::optional<B> second;
  std::exception_ptr first_failure;
  std::exception_ptr second_failure;
  bool first_done = false;
  bool second_done = false;
  internal::Spawn(io, std::move(a), &first, &first_failure, &first_done);
  internal::Spawn(io, std::move(b), &second, &second_failure, &second_done);
  internal::RunUntil(io, [&] { return first_done && second_done; });
  if (first_failure) std::rethrow_exception(first_failure);
  if (second_failure) std::rethrow_exception(second_failure);
  return {std::move(*first), std::move(*second)};
}

inline data::Entry StringEntry(std::string value, int64_t expire_at_ms = data::Entry::kNoExpiry) {
  return data::Entry{data::Value(std::move(value)), expire_at_ms};
}

}  // namespace conformance::fakes::testing
