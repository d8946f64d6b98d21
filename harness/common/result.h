// Errors as values. Malformed input is test data for this harness, not an exceptional event,
// so the engine reports it through Result<T> instead of throwing.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace conformance {

// What kind of failure an Error is, for callers that react differently (a timeout is reported
// apart from a closed connection; a missing lever makes a check SKIP instead of FAIL).
enum class ErrorKind : uint8_t {
  kGeneric,
  kTimeout,      // a deadline passed
  kClosed,       // the peer closed the connection (EOF)
  kReset,        // the connection was reset or refused
  kProtocol,     // the peer sent bytes that break the protocol
  kUnsupported,  // the server lacks a command or lever the step needs
  kFault,        // the harness's own fault plan cut the connection
  kHarness,      // a scenario mistake or a harness fault: the case is an ERROR, not the server's
};

const char* ToString(ErrorKind kind);

// A failure with a human-readable explanation (escaped bytes, offsets, expected vs received).
struct Error {
  std::string message;
  ErrorKind kind = ErrorKind::kGeneric;
};

// Marks success of an operation that produces no value: Result<Ok>, spelled Status.
struct Ok {};

template <typename T>
class [[nodiscard]] Result {
 public:
  // Empty results exist only because asio's futures need them; they hold an error.
  Result() : state_(std::in_place_index<1>, Error{"no result"}) {}
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<1>(state_); }
  const std::string& message() const { return error().message; }

 private:
  std::variant<T, Error> state_;
};

using Status = Result<Ok>;

inline Status OkStatus() { return Ok{}; }

}  // namespace conformance

// Returns early from the enclosing function with the error of a failed Result/Status.
#define CONFORMANCE_RETURN_IF_ERROR(expr)                  \
  do {                                                     \
    if (auto conformance_status_ = (expr); !conformance_status_.ok()) \
      return conformance_status_.error();                  \
  } while (0)

// The same inside a coroutine.
#define CONFORMANCE_CO_RETURN_IF_ERROR(expr)               \
  do {                                                     \
    if (auto conformance_status_ = (expr); !conformance_status_.ok()) \
      co_return conformance_status_.error();               \
  } while (0)
