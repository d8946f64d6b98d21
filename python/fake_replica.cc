// The fake replica from Python: each protocol step a blocking call with a timeout (seconds),
// run on an io_context the object owns, with the GIL released.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "fakes/fake_replica.h"
#include "python/bindings.h"
#include "python/support.h"

namespace conformance::python {

namespace {

using fakes::AckPolicy;

constexpr std::array kAckPolicies = {AckPolicy::kNever, AckPolicy::kOnGetAck, AckPolicy::kPeriodic,
                                     AckPolicy::kLagging};
constexpr std::array kCutActions = {net::CutAction::kClose, net::CutAction::kReset,
                                    net::CutAction::kHalfClose};

class Replica {
 public:
  explicit Replica(fakes::FakeReplicaOptions options)
      : replica_(std::move(options), &transcript_) {}

  template <typename T>
  T Run(net::Awaitable<T> step) {
    return Blocking(io_, std::move(step));
  }
  // Steps without a timeout parameter of their own use the options' default deadline.
  template <typename F>
  auto WithTimeout(std::optional<double> timeout, F step) {
    BusyGuard busy(busy_, "this FakeReplica");
    const net::Duration saved = replica_.options().timeout;
    if (timeout) replica_.mutable_options().timeout = Milliseconds(*timeout);
    struct Restore {
      fakes::FakeReplica& replica;
      net::Duration saved;
      ~Restore() { replica.mutable_options().timeout = saved; }
    } restore{replica_, saved};
    return step();
  }

  fakes::FakeReplica& fake() { return replica_; }
  Transcript& transcript() { return transcript_; }

 private:
  asio::io_context io_;  // outlives replica_: its sockets deregister from it
  Transcript transcript_;
  fakes::FakeReplica replica_;
  std::atomic<bool> busy_{false};
};

fakes::FakeReplicaOptions Options(const std::string& host, uint16_t port, std::optional<std::string> password,
                                  std::optional<std::string> user, std::optional<uint16_t> listening_port,
                                  std::optional<std::string> ip_address, std::vector<std::string> capabilities,
                                  bool pipeline_handshake, const std::string& ack_policy, double ack_period,
                                  uint64_t ack_lag_bytes, std::optional<net::FaultPlan> faults, double timeout) {
  fakes::FakeReplicaOptions options;
  options.host = host;
  options.port = port;
  options.password = std::move(password);
  options.user = std::move(user);
  options.listening_port = listening_port;
  options.ip_address = std::move(ip_address);
  options.capabilities = std::move(capabilities);
  options.pipeline_handshake = pipeline_handshake;
  options.ack_policy = EnumFromName(ack_policy, kAckPolicies, "ack_policy");
  options.ack_period = Milliseconds(ack_period);
  options.ack_lag_bytes = ack_lag_bytes;
  if (faults) options.faults = *faults;
  options.timeout = Milliseconds(timeout);
  return options;
}

}  // namespace

void BindReplica(py::module_& m) {
  py::class_<net::FaultPlan>(m, "FaultPlan", "Faults applied on the wire (seeded, reproducible).")
      .def(py::init([](std::optional<uint64_t> cut_after_sent, std::optional<uint64_t> cut_after_received,
                       const std::string& cut_action, size_t max_chunk, double delay_per_chunk,
                       uint64_t throttle_bytes_per_second, uint64_t seed) {
             net::FaultPlan plan;
             plan.cut_after_sent = cut_after_sent;
             plan.cut_after_received = cut_after_received;
             plan.cut_action = EnumFromName(cut_action, kCutActions, "cut_action");
             plan.max_chunk = max_chunk;
             plan.delay_per_chunk = Milliseconds(delay_per_chunk);
             plan.throttle_bytes_per_second = throttle_bytes_per_second;
             plan.seed = seed;
             return plan;
           }),
           py::arg("cut_after_sent") = std::nullopt, py::arg("cut_after_received") = std::nullopt,
           py::arg("cut_action") = "close", py::arg("max_chunk") = 0, py::arg("delay_per_chunk") = 0.0,
           py::arg("throttle_bytes_per_second") = 0, py::arg("seed") = 0)
      .def("__repr__", [](const net::FaultPlan& p) { return "<FaultPlan " + p.ToString() + ">"; });

  py::class_<repl::SyncReply>(m, "SyncReply", "The master's answer to PSYNC.")
      .def_property_readonly("kind", [](const repl::SyncReply& r) { return repl::ToString(r.kind); })
      .def_readonly("replid", &repl::SyncReply::replid)
      .def_readonly("offset", &repl::SyncReply::offset)
      .def_readonly("line", &repl::SyncReply::line)
      .def("__repr__", [](const repl::SyncReply& r) { return "<SyncReply " + r.line + ">"; });

  py::class_<fakes::RdbSummary>(m, "RdbSummary")
      .def_property_readonly("framing", [](const fakes::RdbSummary& s) { return FramingName(s.framing); })
      .def_readonly("payload_bytes", &fakes::RdbSummary::payload_bytes)
      .def_readonly("keys", &fakes::RdbSummary::keys)
      .def_readonly("version", &fakes::RdbSummary::version)
      .def_readonly("cut", &fakes::RdbSummary::cut);

  py::class_<fakes::FakeReplicaStats>(m, "FakeReplicaStats")
      .def_readonly("full_syncs", &fakes::FakeReplicaStats::full_syncs)
      .def_readonly("partial_syncs", &fakes::FakeReplicaStats::partial_syncs)
      .def_readonly("commands", &fakes::FakeReplicaStats::commands)
      .def_readonly("selects", &fakes::FakeReplicaStats::selects)
      .def_readonly("pings", &fakes::FakeReplicaStats::pings)
      .def_readonly("getacks", &fakes::FakeReplicaStats::getacks)
      .def_readonly("keepalives_before_rdb", &fakes::FakeReplicaStats::keepalives_before_rdb)
      .def_readonly("stream_keepalives", &fakes::FakeReplicaStats::stream_keepalives)
      .def_readonly("acks_sent", &fakes::FakeReplicaStats::acks_sent)
      .def_readonly("last_ack_offset", &fakes::FakeReplicaStats::last_ack_offset)
      .def_readonly("unmodelled", &fakes::FakeReplicaStats::unmodelled)
      .def_readonly("model_errors", &fakes::FakeReplicaStats::model_errors)
      .def_property_readonly("violations", [](const fakes::FakeReplicaStats& stats) {
        // "rule M11: what was seen", one string each.
        std::vector<std::string> texts;
        for (const rules::Violation& violation : stats.violations) texts.push_back(violation.ToString());
        return texts;
      });

  using R = Replica;
  py::class_<Replica>(m, "FakeReplica",
                      "The replica side of the replication protocol, driven step by step against "
                      "a real master. Every step blocks (GIL released) until done or its timeout "
                      "(seconds; default: the constructor's) passes, and raises ConformanceError "
                      "with the evidence on failure. Not for use by two threads at once.")
      .def(py::init([](uint16_t port, const std::string& host, std::optional<std::string> password,
                       std::optional<std::string> user, std::optional<uint16_t> listening_port,
                       std::optional<std::string> ip_address, std::vector<std::string> capabilities,
                       bool pipeline_handshake, const std::string& ack_policy, double ack_period,
                       uint64_t ack_lag_bytes, std::optional<net::FaultPlan> faults, double timeout) {
             return std::make_unique<Replica>(Options(host, port, std::move(password), std::move(user),
                                                      listening_port, std::move(ip_address),
                                                      std::move(capabilities), pipeline_handshake, ack_policy,
                                                      ack_period, ack_lag_bytes, std::move(faults), timeout));
           }),
           py::arg("port"), py::arg("host") = "127.0.0.1", py::arg("password") = std::nullopt,
           py::arg("user") = std::nullopt, py::arg("listening_port") = 16380, py::arg("ip_address") = std::nullopt,
           py::arg("capabilities") = std::vector<std::string>{"eof", "psync2"}, py::arg("pipeline_handshake") = true,
           py::arg("ack_policy") = "periodic", py::arg("ack_period") = 1.0, py::arg("ack_lag_bytes") = 0,
           py::arg("faults") = std::nullopt, py::arg("timeout") = 10.0)
      .def("connect", [](R& r, std::optional<double> t) {
             Check(r.WithTimeout(t, [&] { return r.Run(r.fake().Connect()); }));
           }, py::arg("timeout") = std::nullopt)
      .def("handshake", [](R& r, std::optional<double> t) {
             Check(r.WithTimeout(t, [&] { return r.Run(r.fake().Handshake()); }));
           }, py::arg("timeout") = std::nullopt, "PING, AUTH, REPLCONF listening-port / ip-address / capa.")
      .def("psync", [](R& r, const std::string& replid, int64_t offset, std::optional<double> t) {
             return Unwrap(r.WithTimeout(t, [&] { return r.Run(r.fake().Psync(replid, offset)); }));
           }, py::arg("replid") = "?", py::arg("offset") = -1, py::arg("timeout") = std::nullopt)
      .def("psync_resume", [](R& r, std::optional<double> t) {
             return Unwrap(r.WithTimeout(t, [&] { return r.Run(r.fake().PsyncResume()); }));
           }, py::arg("timeout") = std::nullopt, "PSYNC <replid> <offset + 1>: the next byte wanted.")
      .def("sync", [](R& r, uint64_t start_offset, std::optional<double> t) {
             Check(r.WithTimeout(t, [&] { return r.Run(r.fake().Sync(start_offset)); }));
           }, py::arg("start_offset"), py::arg("timeout") = std::nullopt)
      .def("receive_rdb", [](R& r, std::optional<double> cut_at, uint64_t expected_keys,
                             const std::string& cut_action, std::optional<double> t) {
             std::optional<fakes::RdbCut> cut;
             if (cut_at) {
               cut = fakes::RdbCut{.fraction = *cut_at, .expected_keys = expected_keys,
                                   .action = EnumFromName(cut_action, kCutActions, "cut_action")};
             }
             return Unwrap(r.WithTimeout(t, [&] { return r.Run(r.fake().ReceiveRdb(cut)); }));
           }, py::arg("cut_at") = std::nullopt, py::arg("expected_keys") = 0, py::arg("cut_action") = "reset",
           py::arg("timeout") = std::nullopt, "Receives the snapshot into model(), or cuts it at a fraction.")
      .def("read_stream_until", [](R& r, uint64_t target, std::optional<double> t) {
             Check(r.WithTimeout(std::nullopt, [&] { return r.Run(r.fake().ReadStreamUntil(target, Milliseconds(t))); }));
           }, py::arg("offset"), py::arg("timeout") = std::nullopt)
      .def("read_stream_until_quiet", [](R& r, double quiet, std::optional<double> t) {
             Check(r.WithTimeout(std::nullopt, [&] {
               return r.Run(r.fake().ReadStreamUntilQuiet(Milliseconds(quiet), Milliseconds(t)));
             }));
           }, py::arg("quiet") = 0.2, py::arg("timeout") = std::nullopt)
      .def("send_ack", [](R& r, std::optional<uint64_t> offset, std::optional<double> t) {
             Check(r.WithTimeout(t, [&] { return r.Run(r.fake().SendAck(offset)); }));
           }, py::arg("offset") = std::nullopt, py::arg("timeout") = std::nullopt)
      .def("send", [](R& r, const py::args& args) {
             const std::vector<std::string> argv = Argv(args);
             Check(r.WithTimeout(std::nullopt, [&] { return r.Run(r.fake().Send(argv)); }));
           }, "Sends a command as a RESP array.")
      .def("send_raw", [](R& r, py::handle bytes) {
             std::string raw = ArgBytes(bytes);
             Check(r.WithTimeout(std::nullopt, [&] { return r.Run(r.fake().SendRaw(std::move(raw))); }));
           }, py::arg("data"))
      .def("read_reply", [](R& r, std::optional<double> t) {
             return Unwrap(r.WithTimeout(std::nullopt, [&] { return r.Run(r.fake().ReadReply(Milliseconds(t))); }));
           }, py::arg("timeout") = std::nullopt, "One reply, as a RespValue.")
      .def("expect_close", [](R& r, std::optional<double> t) {
             Check(r.WithTimeout(std::nullopt, [&] { return r.Run(r.fake().ExpectClose(Milliseconds(t))); }));
           }, py::arg("timeout") = std::nullopt)
      .def("disconnect", [](R& r) { r.fake().Disconnect(); })
      .def_property_readonly("connected", [](R& r) { return r.fake().connected(); })
      .def_property_readonly("offset", [](R& r) { return r.fake().offset(); },
                             "Replication offset of the last processed byte.")
      .def_property_readonly("replid", [](R& r) { return r.fake().replid(); })
      .def_property_readonly("model", [](R& r) -> keyspace::Keyspace& { return r.fake().model(); },
                             py::return_value_policy::reference_internal,
                             "What the master sent: the RDB, then every streamed command.")
      .def_property_readonly("stats", [](R& r) { return r.fake().stats(); })
      .def_property_readonly("transcript", [](R& r) { return r.transcript().Render(); })
      .def("__enter__", [](R& r) -> R& { return r; }, py::return_value_policy::reference)
      .def("__exit__", [](R& r, py::args) { r.fake().Disconnect(); });
}

}  // namespace conformance::python
