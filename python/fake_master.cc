// The fake master from Python: accept a real replica's connection, answer its handshake, send
// +FULLRESYNC and the RDB from the model, propagate, wait for ACKs, cut the link. Blocking
// calls take a timeout (seconds), run on the object's own io_context, release the GIL.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "fakes/fake_master.h"
#include "python/bindings.h"
#include "python/support.h"

namespace conformance::python {

namespace {

constexpr std::array kCutActions = {net::CutAction::kClose, net::CutAction::kReset,
                                    net::CutAction::kHalfClose};

class Master {
 public:
  explicit Master(fakes::FakeMasterOptions options) : master_(std::move(options), &transcript_) {
    Check(master_.Listen(io_.get_executor()));
  }

  template <typename T>
  T Run(net::Awaitable<T> step) {
    BusyGuard busy(busy_, "this FakeMaster");
    return Blocking(io_, std::move(step));
  }

  fakes::FakeMaster& fake() { return master_; }
  Transcript& transcript() { return transcript_; }

 private:
  asio::io_context io_;  // outlives master_: its sockets deregister from it
  Transcript transcript_;
  fakes::FakeMaster master_;
  std::atomic<bool> busy_{false};
};

fakes::RdbSendOptions SendOptions(const std::string& framing, int rdb_version, const std::string& encoding,
                                  bool compress_strings, bool repl_aux, std::optional<int> repl_stream_db,
                                  std::optional<std::string> repl_id, std::optional<int64_t> repl_offset,
                                  std::optional<std::string> eof_mark, std::optional<double> cut_at,
                                  const std::string& cut_action) {
  fakes::RdbSendOptions options;
  options.framing = FramingFromName(framing);
  options.rdb_version = rdb_version;
  options.encoding = EnumFromName(encoding, std::array{rdb::Encoding::kCompact, rdb::Encoding::kPlain}, "encoding");
  options.compress_strings = compress_strings;
  options.repl_aux = repl_aux;
  options.repl_stream_db = repl_stream_db;
  options.repl_id = std::move(repl_id);
  options.repl_offset = repl_offset;
  options.eof_mark = std::move(eof_mark);
  if (cut_at) {
    options.cut = fakes::RdbSendCut{.fraction = *cut_at,
                                    .action = EnumFromName(cut_action, kCutActions, "cut_action")};
  }
  return options;
}

// The keyword arguments every RDB-sending method takes, in SendOptions' order.
#define CONFORMANCE_RDB_ARGS                                                                      \
  py::arg("framing") = "disk", py::arg("rdb_version") = 10, py::arg("encoding") = "compact",    \
  py::arg("compress_strings") = false, py::arg("repl_aux") = true,                                \
  py::arg("repl_stream_db") = std::nullopt, py::arg("repl_id") = std::nullopt,                    \
  py::arg("repl_offset") = std::nullopt, py::arg("eof_mark") = std::nullopt,                      \
  py::arg("cut_at") = std::nullopt, py::arg("cut_action") = "reset"

py::list ArgvList(const std::vector<std::string>& argv) {
  py::list out;
  for (const std::string& arg : argv) out.append(Bytes(arg));
  return out;
}

void BindBugs(py::module_& m) {
  using B = fakes::MasterBugs;
  py::class_<B>(m, "MasterBugs", "Deliberate misbehaviours of the fake master, one field each (see master_bugs.h).")
      .def(py::init<>())
      .def_readwrite("handshake_reply_overrides", &B::handshake_reply_overrides)
      .def_readwrite("skip_fullresync_line", &B::skip_fullresync_line)
      .def_readwrite("fullresync_override", &B::fullresync_override)
      .def_property("rdb_payload_override",
                    [](const B& b) -> py::object { return b.rdb_payload_override ? py::object(Bytes(*b.rdb_payload_override)) : py::none(); },
                    [](B& b, py::handle v) { b.rdb_payload_override = v.is_none() ? std::nullopt : std::optional(ArgBytes(v)); })
      .def_readwrite("flip_rdb_byte_at", &B::flip_rdb_byte_at)
      .def_readwrite("truncate_rdb_at", &B::truncate_rdb_at)
      .def_readwrite("rdb_length_delta", &B::rdb_length_delta)
      .def_readwrite("wrong_eof_mark", &B::wrong_eof_mark)
      .def_readwrite("glue_stream_to_mark", &B::glue_stream_to_mark)
      .def_readwrite("continue_override", &B::continue_override)
      .def_readwrite("skip_select_after_full_sync", &B::skip_select_after_full_sync)
      .def_readwrite("inline_garbage_after_command", &B::inline_garbage_after_command);
}

void BindProtocolValues(py::module_& m) {
  py::class_<repl::SyncRequest>(m, "SyncRequest", "A replica's PSYNC <replid> <offset> [FAILOVER], or SYNC.")
      .def(py::init([](const std::string& replid, int64_t offset, bool failover, bool is_sync) {
             return repl::SyncRequest{.replid = replid, .offset = offset, .failover = failover, .is_sync = is_sync};
           }),
           py::arg("replid") = "?", py::arg("offset") = -1, py::arg("failover") = false, py::arg("is_sync") = false)
      .def_readonly("replid", &repl::SyncRequest::replid)
      .def_readonly("offset", &repl::SyncRequest::offset)
      .def_readonly("failover", &repl::SyncRequest::failover)
      .def_readonly("is_sync", &repl::SyncRequest::is_sync)
      .def("__repr__", [](const repl::SyncRequest& r) {
        return r.is_sync ? std::string("<SyncRequest SYNC>")
                         : "<SyncRequest PSYNC " + r.replid + " " + std::to_string(r.offset) + ">";
      });

  py::class_<repl::PsyncDecision>(m, "PsyncDecision")
      .def_property_readonly("kind", [](const repl::PsyncDecision& d) { return repl::ToString(d.kind); })
      .def_property_readonly("reason", [](const repl::PsyncDecision& d) { return repl::ToString(d.reason); })
      .def_readonly("start", &repl::PsyncDecision::from)
      .def_property_readonly("partial_error", &repl::PsyncDecision::partial_error)
      .def_readonly("message", &repl::PsyncDecision::message)
      .def("__repr__", [](const repl::PsyncDecision& d) { return "<PsyncDecision " + d.message + ">"; });

  py::class_<repl::ReplicaAnnounce>(m, "ReplicaAnnounce", "What a replica announced with REPLCONF.")
      .def_readonly("listening_port", &repl::ReplicaAnnounce::listening_port)
      .def_readonly("ip_address", &repl::ReplicaAnnounce::ip_address)
      .def_readonly("capabilities", &repl::ReplicaAnnounce::capabilities)
      .def_readonly("version", &repl::ReplicaAnnounce::version);

  py::class_<fakes::FakeMasterStats>(m, "FakeMasterStats")
      .def_readonly("connections", &fakes::FakeMasterStats::connections)
      .def_readonly("full_syncs", &fakes::FakeMasterStats::full_syncs)
      .def_readonly("partial_syncs", &fakes::FakeMasterStats::partial_syncs)
      .def_readonly("keepalives_received", &fakes::FakeMasterStats::keepalives_received)
      .def_readonly("keepalives_sent", &fakes::FakeMasterStats::keepalives_sent)
      .def_readonly("commands_propagated", &fakes::FakeMasterStats::commands_propagated)
      .def_readonly("model_errors", &fakes::FakeMasterStats::model_errors)
      .def_readonly("unmodelled", &fakes::FakeMasterStats::unmodelled);
}

}  // namespace

void BindMaster(py::module_& m) {
  BindBugs(m);
  BindProtocolValues(m);

  using M = Master;
  py::class_<Master>(m, "FakeMaster",
                     "The master side of the replication protocol, listening on a loopback port "
                     "for a real replica (point it there with REPLICAOF). model is what the "
                     "replica must hold; offset counts every stream byte. Every wait takes a "
                     "timeout in seconds (default: the constructor's) and raises "
                     "ConformanceError with the evidence. Not for use by two threads at once.")
      .def(py::init([](uint16_t port, const std::string& host, std::optional<std::string> password,
                       const std::string& user, bool require_ping_first, const std::string& replid,
                       uint64_t offset, size_t backlog_capacity, uint64_t seed, int databases,
                       std::optional<fakes::MasterBugs> bugs, std::optional<net::FaultPlan> faults,
                       double timeout) {
             fakes::FakeMasterOptions options;
             options.host = host;
             options.port = port;
             options.password = std::move(password);
             options.user = user;
             options.require_ping_first = require_ping_first;
             options.replid = replid;
             options.offset = offset;
             options.backlog_capacity = backlog_capacity;
             options.seed = seed;
             options.model.databases = databases;
             if (bugs) options.bugs = *bugs;
             if (faults) options.faults = *faults;
             options.timeout = Milliseconds(timeout);
             return std::make_unique<Master>(std::move(options));
           }),
           py::arg("port") = 0, py::arg("host") = "127.0.0.1", py::arg("password") = std::nullopt,
           py::arg("user") = "default", py::arg("require_ping_first") = true, py::arg("replid") = "",
           py::arg("offset") = 0, py::arg("backlog_capacity") = repl::kDefaultBacklogCapacity,
           py::arg("seed") = 1, py::arg("databases") = 16, py::arg("bugs") = std::nullopt,
           py::arg("faults") = std::nullopt, py::arg("timeout") = 10.0)
      .def_property_readonly("port", [](M& m) { return m.fake().port(); })
      .def_property_readonly("host", [](M& m) { return m.fake().options().host; })
      .def("accept", [](M& m, std::optional<double> t) { Check(m.Run(m.fake().Accept(Milliseconds(t)))); },
           py::arg("timeout") = std::nullopt, "Accepts the replica's next connection.")
      .def("disconnect", [](M& m) { m.fake().Disconnect(); })
      .def_property_readonly("connected", [](M& m) { return m.fake().connected(); })
      .def("cut_after_more_sent", [](M& m, uint64_t bytes, const std::string& action) {
             m.fake().CutAfterMoreSent(bytes, EnumFromName(action, kCutActions, "action"));
           }, py::arg("bytes"), py::arg("action") = "reset")
      .def("expect_close", [](M& m, std::optional<double> t) { Check(m.Run(m.fake().ExpectClose(Milliseconds(t)))); },
           py::arg("timeout") = std::nullopt)
      .def("expect_command", [](M& m, const std::string& name, std::optional<double> t) {
             return ArgvList(Unwrap(m.Run(m.fake().ExpectCommand(name, Milliseconds(t)))));
           }, py::arg("name") = "", py::arg("timeout") = std::nullopt,
           "The next command (argv as bytes); `name` (\"PSYNC\", \"REPLCONF capa\") must match its first words.")
      .def("reply", [](M& m, py::handle raw) { Check(m.Run(m.fake().Reply(ArgBytes(raw)))); }, py::arg("raw"))
      .def("answer_handshake", [](M& m, std::optional<double> t) {
             return Unwrap(m.Run(m.fake().AnswerHandshake(Milliseconds(t))));
           }, py::arg("timeout") = std::nullopt,
           "Answers PING, AUTH and REPLCONF as Redis does until PSYNC/SYNC arrives; returns it unanswered.")
      .def("wait_for_ack", [](M& m, uint64_t at_least, std::optional<double> t) {
             return Unwrap(m.Run(m.fake().WaitForAck(at_least, Milliseconds(t))));
           }, py::arg("at_least") = 0, py::arg("timeout") = std::nullopt)
      .def("send_full_resync", [](M& m, std::optional<std::string> replid, std::optional<uint64_t> offset) {
             Check(m.Run(m.fake().SendFullResync(std::move(replid), offset)));
           }, py::arg("replid") = std::nullopt, py::arg("offset") = std::nullopt)
      .def("send_rdb", [](M& m, std::optional<keyspace::Keyspace> model, const std::string& framing, int version,
                          const std::string& encoding, bool compress, bool repl_aux, std::optional<int> stream_db,
                          std::optional<std::string> repl_id, std::optional<int64_t> repl_offset,
                          std::optional<std::string> eof_mark, std::optional<double> cut_at,
                          const std::string& cut_action) {
             fakes::RdbSendOptions options = SendOptions(framing, version, encoding, compress, repl_aux, stream_db,
                                                         std::move(repl_id), repl_offset, std::move(eof_mark),
                                                         cut_at, cut_action);
             if (model) Check(m.Run(m.fake().SendRdb(std::move(*model), options)));
             else Check(m.Run(m.fake().SendRdb(options)));
           }, py::arg("model") = std::nullopt, CONFORMANCE_RDB_ARGS,
           "The snapshot of model (or of `model`, which then replaces it as the oracle).")
      .def("send_continue", [](M& m, std::optional<std::string> new_replid) {
             Check(m.Run(m.fake().SendContinue(std::move(new_replid))));
           }, py::arg("new_replid") = std::nullopt)
      .def("answer_sync", [](M& m, repl::SyncRequest request, const std::string& framing, int version,
                             const std::string& encoding, bool compress, bool repl_aux, std::optional<int> stream_db,
                             std::optional<std::string> repl_id, std::optional<int64_t> repl_offset,
                             std::optional<std::string> eof_mark, std::optional<double> cut_at,
                             const std::string& cut_action) {
             fakes::RdbSendOptions options = SendOptions(framing, version, encoding, compress, repl_aux, stream_db,
                                                         std::move(repl_id), repl_offset, std::move(eof_mark),
                                                         cut_at, cut_action);
             return Unwrap(m.Run(m.fake().AnswerSync(std::move(request), options)));
           }, py::arg("request"), CONFORMANCE_RDB_ARGS,
           "Decides as Redis does: +CONTINUE, or +FULLRESYNC and the RDB.")
      .def("send_keepalives", [](M& m, int count, double interval) {
             Check(m.Run(m.fake().SendKeepalives(count, Milliseconds(interval))));
           }, py::arg("count") = 1, py::arg("interval") = 0.0)
      .def("propagate", [](M& m, const py::args& args) { Check(m.Run(m.fake().Propagate(Argv(args)))); },
           "Applies a command to model and streams it (after a SELECT when needed).")
      .def("propagate_unmodelled", [](M& m, const py::args& args) {
             Check(m.Run(m.fake().PropagateUnmodelled(Argv(args))));
           })
      .def("transaction", [](M& m, py::iterable commands) {
             std::vector<std::vector<std::string>> queue;
             for (py::handle command : commands) queue.push_back(ArgvOf(command));
             Check(m.Run(m.fake().Transaction(std::move(queue))));
           }, py::arg("commands"))
      .def("send_ping", [](M& m) { Check(m.Run(m.fake().SendPing())); })
      .def("send_getack", [](M& m) { Check(m.Run(m.fake().SendGetAck())); })
      .def("send_stream_bytes", [](M& m, py::handle bytes, const std::string& description) {
             Check(m.Run(m.fake().SendStreamBytes(ArgBytes(bytes), description)));
           }, py::arg("data"), py::arg("description") = "raw bytes")
      .def_property_readonly("offset", [](M& m) { return m.fake().offset(); })
      .def_property_readonly("replid", [](M& m) { return m.fake().replid(); })
      .def_property_readonly("replid2", [](M& m) { return m.fake().replid2(); })
      .def_property_readonly("db", [](M& m) { return m.fake().db(); })
      .def_property_readonly("model", [](M& m) -> keyspace::Keyspace& { return m.fake().model(); },
                             py::return_value_policy::reference_internal)
      .def_property_readonly("acks", [](M& m) {
             std::vector<uint64_t> out;
             for (const repl::ReplicaAck& ack : m.fake().acks()) out.push_back(ack.offset);
             return out;
           }, "Every REPLCONF ACK offset received, in order.")
      .def_property_readonly("received", [](M& m) {
             py::list out;
             for (const repl::ReplicaCommand& command : m.fake().received()) out.append(ArgvList(command.argv));
             return out;
           }, "The commands received on the current link.")
      .def_property_readonly("announce", [](M& m) { return m.fake().announce(); })
      .def_property_readonly("last_sync_request", [](M& m) { return m.fake().last_sync_request(); })
      .def_property_readonly("stats", [](M& m) { return m.fake().stats(); })
      .def_property_readonly("bugs", [](M& m) -> fakes::MasterBugs& { return m.fake().bugs(); },
                             py::return_value_policy::reference_internal)
      .def_property_readonly("transcript", [](M& m) { return m.transcript().Render(); })
      .def("__enter__", [](M& m) -> M& { return m; }, py::return_value_policy::reference)
      .def("__exit__", [](M& m, py::args) { m.fake().Disconnect(); });
}

}  // namespace conformance::python
