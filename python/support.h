// What every binding file shares: engine errors as Python exceptions, blocking calls that
// release the GIL, and conversions between engine values and Python habits (bytes for
// payloads, seconds for timeouts, dicts for INFO).
#pragma once

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <asio/io_context.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "harness/common/result.h"
#include "harness/data/value.h"
#include "harness/net/connection.h"
#include "harness/net/run_sync.h"
#include "harness/repl/rdb_transfer.h"
#include "harness/resp/value.h"
#include "harness/server/info.h"

namespace conformance::python {

namespace py = pybind11;

// An engine Error on its way to Python: the translator registered by RegisterErrors() turns it
// into ConformanceError (or ReplyError) with the engine's text and a `kind` attribute.
class EngineError : public std::runtime_error {
 public:
  explicit EngineError(Error error, bool reply = false)
      : std::runtime_error(error.message), error_(std::move(error)), reply_(reply) {}
  const Error& error() const { return error_; }
  bool reply() const { return reply_; }

 private:
  Error error_;
  bool reply_;
};

// Defines ConformanceError and ReplyError in `m` and registers the translator.
void RegisterErrors(py::module_& m);

[[noreturn]] inline void Raise(Error error) { throw EngineError(std::move(error)); }
inline void Check(const Status& status) {
  if (!status.ok()) Raise(status.error());
}
template <typename T>
T Unwrap(Result<T> result) {
  if (!result.ok()) Raise(result.error());
  return std::move(result).value();
}

// Runs an engine coroutine to completion on `io` with the GIL released, so other Python
// threads run while the harness waits on the network. The coroutine's deadlines bound it.
template <typename T>
T Blocking(asio::io_context& io, net::Awaitable<T> operation) {
  py::gil_scoped_release release;
  return net::RunSync(io, std::move(operation));
}

// Fails with a ConformanceError instead of corrupting state when two Python threads use one
// object at once (its blocking calls run with the GIL released).
class BusyGuard {
 public:
  BusyGuard(std::atomic<bool>& busy, const char* what) : busy_(busy) {
    if (busy_.exchange(true)) {
      Raise(Error{std::string(what) + " is already in use by another thread"});
    }
  }
  ~BusyGuard() { busy_ = false; }
  BusyGuard(const BusyGuard&) = delete;
  BusyGuard& operator=(const BusyGuard&) = delete;

 private:
  std::atomic<bool>& busy_;
};

// Python seconds (float) to the engine's milliseconds.
net::Duration Milliseconds(double seconds);
std::optional<net::Duration> Milliseconds(std::optional<double> seconds);

py::bytes Bytes(std::string_view bytes);
// Text from the engine or a server as str; bytes that are not UTF-8 survive as surrogates.
py::str Str(std::string_view text);
// bytes, bytearray, str (UTF-8) or a number, as the bytes a command argument carries.
std::string ArgBytes(py::handle item);
// A command: one iterable of arguments, or the arguments themselves.
std::vector<std::string> Argv(const py::args& args);
std::vector<std::string> ArgvOf(py::handle iterable);
// "name value" pairs from a dict or an iterable of pairs.
std::vector<std::pair<std::string, std::string>> Pairs(py::handle mapping);

// A reply the Python way: bulk -> bytes, simple -> str, integer -> int, null -> None,
// array/set/push -> list, map -> dict, double -> float, boolean -> bool, error -> a ReplyError
// instance (returned, not raised).
py::object ToPython(const resp::Value& value);
// A keyspace value: string -> bytes, list -> list, set -> set, zset -> {member: score} in
// score order, hash -> {field: value}, stream -> dict, module -> {"module_id", "raw"}.
py::object ToPython(const data::Value& value);
// INFO as redis-py shapes it: {field: int or str}, slaveN and dbN lines as dicts.
py::dict InfoToDict(const server::Info& info);

// An engine enum from the name its own ToString() gives ("reset", "on-getack", ...), so the
// names Python accepts are the ones transcripts and reports print.
template <typename E, size_t N>
E EnumFromName(const std::string& name, const std::array<E, N>& values, const char* what) {
  std::string known;
  for (E value : values) {
    if (name == ToString(value)) return value;
    known += std::string(known.empty() ? "" : ", ") + ToString(value);
  }
  Raise(Error{std::string(what) + " is one of " + known + ", not \"" + name + "\""});
}

// RDB transfer framings by the names scenario files use: "disk" ($<len>), "diskless" ($EOF).
inline const char* FramingName(repl::RdbTransfer::Framing framing) {
  switch (framing) {
    case repl::RdbTransfer::Framing::kLength: return "disk";
    case repl::RdbTransfer::Framing::kEofMark: return "diskless";
    case repl::RdbTransfer::Framing::kUnknown: break;
  }
  return "unknown";
}
inline repl::RdbTransfer::Framing FramingFromName(const std::string& name) {
  if (name == "disk") return repl::RdbTransfer::Framing::kLength;
  if (name == "diskless") return repl::RdbTransfer::Framing::kEofMark;
  Raise(Error{"framing is \"disk\" or \"diskless\", not \"" + name + "\""});
}

}  // namespace conformance::python
