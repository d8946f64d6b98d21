// The server under test from Python: Server (start/stop as a context manager, port, log tail)
// and Client (the harness's admin client: INFO as a dict, CONFIG, REPLICAOF, the keyspace
// read back into a model).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <sstream>

#include "harness/common/transcript.h"
#include "harness/oracle/server_keyspace.h"
#include "harness/server/admin.h"
#include "harness/server/launcher.h"
#include "harness/server/readiness.h"
#include "python/bindings.h"
#include "python/support.h"

namespace conformance::python {

namespace {

// The admin client with the io_context that drives it.
class Client {
 public:
  static std::unique_ptr<Client> Connect(const std::string& host, uint16_t port, double timeout,
                                         std::optional<std::string> password) {
    auto client = std::make_unique<Client>();
    if (password) client->transcript_.AddSecret(*password);
    client->admin_ = Unwrap(Blocking(client->io_, server::Admin::Connect(host, port, &client->transcript_,
                                                                         Milliseconds(timeout))));
    if (password) Check(Blocking(client->io_, client->admin_->Auth(std::nullopt, *password)));
    return client;
  }

  py::object Call(const py::args& args) {
    BusyGuard busy(busy_, "this Client");
    resp::Value reply = Unwrap(Blocking(io_, admin_->Call(Argv(args))));
    if (reply.IsError()) throw EngineError(Error{reply.str}, /*reply=*/true);
    return ToPython(reply);
  }
  resp::Value CallRaw(const py::args& args) {
    BusyGuard busy(busy_, "this Client");
    return Unwrap(Blocking(io_, admin_->Call(Argv(args))));
  }
  py::dict Info(const std::string& section) {
    BusyGuard busy(busy_, "this Client");
    return InfoToDict(Unwrap(Blocking(io_, admin_->Info(section))));
  }
  std::string Role() {
    BusyGuard busy(busy_, "this Client");
    return Unwrap(Blocking(io_, admin_->Role())).ToString();
  }
  void ConfigSet(const std::string& name, py::handle value) {
    BusyGuard busy(busy_, "this Client");
    Check(Blocking(io_, admin_->ConfigSet(name, ArgBytes(value))));
  }
  std::string ConfigGet(const std::string& name) {
    BusyGuard busy(busy_, "this Client");
    return Unwrap(Blocking(io_, admin_->ConfigGet(name)));
  }
  void ReplicaOf(const std::string& host, uint16_t port) {
    BusyGuard busy(busy_, "this Client");
    Check(Blocking(io_, admin_->ReplicaOf(host, port)));
  }
  void ReplicaOfNoOne() {
    BusyGuard busy(busy_, "this Client");
    Check(Blocking(io_, admin_->ReplicaOfNoOne()));
  }
  keyspace::Keyspace ReadKeyspace(double timeout) {
    BusyGuard busy(busy_, "this Client");
    keyspace::Keyspace model;
    oracle::ReadOptions options;
    options.timeout = Milliseconds(timeout);
    Check(Blocking(io_, oracle::ReadServerKeyspace(admin_->client(), &model, options)));
    return model;
  }
  std::string TranscriptText() const { return transcript_.Render(); }

 private:
  asio::io_context io_;
  Transcript transcript_;
  std::unique_ptr<server::Admin> admin_;
  std::atomic<bool> busy_{false};
};

// Spawn and Stop block on the process (start-up, SIGTERM grace), not on asio.
template <typename F>
auto WithoutGil(F f) {
  py::gil_scoped_release release;
  return f();
}

// A started server: LaunchSpec in, ServerProcess plus readiness out.
class Server {
 public:
  explicit Server(server::LaunchSpec spec, std::optional<std::string> password)
      : spec_(std::move(spec)), password_(std::move(password)) {
    for (const auto& [name, value] : spec_.config) {
      if (!password_ && name == "requirepass") password_ = value;
    }
  }

  void Start(std::optional<double> timeout) {
    if (process_ && process_->IsAlive()) return;
    auto spawned = WithoutGil([&] { return server::ServerProcess::Spawn(spec_, nullptr); });
    process_ = Unwrap(std::move(spawned));
    if (keep_dir_) process_->KeepDir();
    WaitReady(timeout);
  }
  void Stop() {
    client_.reset();
    if (process_) Check(WithoutGil([&] { return process_->Stop(); }));
  }
  void Restart(std::optional<double> timeout) {
    client_.reset();
    server::ServerProcess& process = Process();
    Check(WithoutGil([&] { return process.Restart(); }));
    WaitReady(timeout);
  }

  server::ServerProcess& Process() {
    if (!process_) Raise(Error{"the server has not been started (call start() or use `with`)"});
    return *process_;
  }
  Client& AdminClient() {
    if (!client_) client_ = Client::Connect(spec_.host, Process().port(), 10.0, password_);
    return *client_;
  }
  std::unique_ptr<Client> NewClient(double timeout) {
    return Client::Connect(spec_.host, Process().port(), timeout, password_);
  }
  const server::LaunchSpec& spec() const { return spec_; }
  const std::optional<std::string>& password() const { return password_; }
  void KeepDir() {
    keep_dir_ = true;
    if (process_) process_->KeepDir();
  }

 private:
  void WaitReady(std::optional<double> timeout) {
    const net::Duration deadline = Milliseconds(timeout).value_or(spec_.start_timeout);
    Check(Blocking(io_, server::WaitUntilReady(*process_, deadline, nullptr, password_)));
  }

  server::LaunchSpec spec_;
  std::optional<std::string> password_;
  std::unique_ptr<server::ServerProcess> process_;
  std::unique_ptr<Client> client_;
  asio::io_context io_;
  bool keep_dir_ = false;
};

server::LaunchSpec MakeSpec(const std::string& binary, std::optional<py::object> command,
                            py::object config, bool default_config, const std::string& host,
                            double start_timeout, double stop_timeout) {
  server::LaunchSpec spec;
  spec.binary = binary;
  if (command && !command->is_none()) {
    if (py::isinstance<py::str>(*command)) {
      spec.command.clear();
      std::istringstream words(command->cast<std::string>());
      for (std::string word; words >> word;) spec.command.push_back(word);
    } else {
      spec.command = ArgvOf(*command);
    }
  }
  spec.config = Pairs(config);
  spec.use_default_config = default_config;
  spec.host = host;
  spec.start_timeout = Milliseconds(start_timeout);
  spec.stop_timeout = Milliseconds(stop_timeout);
  return spec;
}

}  // namespace

void BindServer(py::module_& m) {
  py::class_<Client>(m, "Client",
                     "The harness's admin client to a server (INFO, CONFIG, REPLICAOF, keyspace "
                     "reads). Blocking calls release the GIL; one thread at a time per client.")
      .def_static("connect", &Client::Connect, py::arg("host"), py::arg("port"), py::arg("timeout") = 10.0,
                  py::arg("password") = std::nullopt)
      .def("call", &Client::Call, "A command; the reply the Python way (an error reply raises ReplyError).")
      .def("call_raw", &Client::CallRaw, "A command; the reply as a RespValue (error replies included).")
      .def("info", &Client::Info, py::arg("section") = "", "INFO as a dict (slaveN and dbN lines as dicts).")
      .def("role", &Client::Role, "ROLE, as the engine renders it.")
      .def("config_set", &Client::ConfigSet, py::arg("name"), py::arg("value"))
      .def("config_get", &Client::ConfigGet, py::arg("name"))
      .def("replicaof", &Client::ReplicaOf, py::arg("host"), py::arg("port"))
      .def("replicaof_no_one", &Client::ReplicaOfNoOne)
      .def("read_keyspace", &Client::ReadKeyspace, py::arg("timeout") = 30.0,
           "The server's keyspace as a model (SCAN, DUMP decoded by the harness, PEXPIRETIME).")
      .def_property_readonly("transcript", &Client::TranscriptText);

  py::class_<Server>(m, "Server",
                     "A server under test started on a free loopback port in a temp dir, stopped "
                     "always (stop(), `with`, or when collected).")
      .def(py::init([](const std::string& binary, std::optional<py::object> command, py::object config,
                       bool default_config, const std::string& host, double start_timeout,
                       double stop_timeout, std::optional<std::string> password) {
             return std::make_unique<Server>(MakeSpec(binary, std::move(command), std::move(config),
                                                      default_config, host, start_timeout, stop_timeout),
                                             std::move(password));
           }),
           py::arg("binary") = "redis-server", py::arg("command") = std::nullopt,
           py::arg("config") = py::none(), py::arg("default_config") = true, py::arg("host") = "127.0.0.1",
           py::arg("start_timeout") = 10.0, py::arg("stop_timeout") = 5.0, py::arg("password") = std::nullopt)
      .def("start", &Server::Start, py::arg("timeout") = std::nullopt,
           "Spawns the server and waits until it answers PING.")
      .def("stop", &Server::Stop)
      .def("restart", &Server::Restart, py::arg("timeout") = std::nullopt)
      .def("__enter__", [](Server& s) -> Server& { s.Start(std::nullopt); return s; },
           py::return_value_policy::reference)
      .def("__exit__", [](Server& s, py::args) { s.Stop(); })
      .def_property_readonly("host", [](Server& s) { return s.spec().host; })
      .def_property_readonly("port", [](Server& s) { return s.Process().port(); })
      .def_property_readonly("pid", [](Server& s) { return s.Process().pid(); })
      .def_property_readonly("dir", [](Server& s) { return s.Process().dir(); })
      .def_property_readonly("log_path", [](Server& s) { return s.Process().log_path(); })
      .def_property_readonly("command_line", [](Server& s) { return s.Process().command_line(); })
      .def_property_readonly("password", [](Server& s) { return s.password(); })
      .def_property_readonly("alive", [](Server& s) { return s.Process().IsAlive(); })
      .def("describe_exit", [](Server& s) { return s.Process().DescribeExit(); })
      .def("log_tail", [](Server& s, size_t lines) { return s.Process().LogTail(lines); }, py::arg("lines") = 30)
      .def("signal", [](Server& s, int sig) { s.Process().Signal(sig); }, py::arg("signal"))
      .def("keep_dir", &Server::KeepDir, "Keep the temp dir (log, config, RDB) after stop.")
      .def("client", &Server::NewClient, py::arg("timeout") = 10.0, "A new admin client to this server.")
      .def("call", [](Server& s, const py::args& args) { return s.AdminClient().Call(args); })
      .def("info", [](Server& s, const std::string& section) { return s.AdminClient().Info(section); },
           py::arg("section") = "")
      .def("config_set", [](Server& s, const std::string& name, py::handle value) {
             s.AdminClient().ConfigSet(name, value);
           }, py::arg("name"), py::arg("value"))
      .def("replicaof", [](Server& s, const std::string& host, uint16_t port) {
             s.AdminClient().ReplicaOf(host, port);
           }, py::arg("host"), py::arg("port"))
      .def("replicaof_no_one", [](Server& s) { s.AdminClient().ReplicaOfNoOne(); })
      .def("read_keyspace", [](Server& s, double timeout) { return s.AdminClient().ReadKeyspace(timeout); },
           py::arg("timeout") = 30.0);

  m.def("parse_info", [](const std::string& text) { return InfoToDict(server::Info::Parse(text)); },
        py::arg("text"), "INFO text as a dict, the way Client.info() returns it.");
}

}  // namespace conformance::python
