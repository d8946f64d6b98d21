// Deadlines for asio operations: every wait in the engine goes through these helpers.
// The I/O side uses as_tuple tokens, so it never throws; `||` then ends with whichever of the
// operation and the timer completes first and cancels the other.
#pragma once

#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include <chrono>

namespace conformance::net {

inline constexpr auto kNoThrow = asio::experimental::as_tuple(asio::use_awaitable);

// Suspends for `duration` (a pacing delay, never a synchronisation).
inline asio::awaitable<void> Pause(std::chrono::steady_clock::duration duration) {
  asio::steady_timer timer(co_await asio::this_coro::executor, duration);
  co_await timer.async_wait(kNoThrow);
}

}  // namespace conformance::net
