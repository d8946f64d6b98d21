// RDB files and DUMP payloads from Python, through the engine's reader (into a keyspace model,
// with repl::ModelLoader, as a fake replica loads a snapshot) and writer (repl::BuildRdb, as the
// fake master builds one).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "harness/rdb/dump.h"
#include "harness/rdb/reader.h"
#include "harness/repl/master_rdb.h"
#include "harness/repl/model_loader.h"
#include "python/bindings.h"
#include "python/support.h"

namespace conformance::python {

namespace {

struct LoadedRdb {
  keyspace::Keyspace keyspace;
  int version = 0;
  uint64_t keys = 0;
  std::optional<std::string> repl_id;
  std::optional<int64_t> repl_offset;
  std::optional<int> repl_stream_db;
};

LoadedRdb ReadRdb(py::handle source, int databases) {
  keyspace::KeyspaceOptions options;
  options.databases = databases;
  LoadedRdb loaded{.keyspace = keyspace::Keyspace(options), .version = 0, .keys = 0, .repl_id = std::nullopt,
                   .repl_offset = std::nullopt, .repl_stream_db = std::nullopt};
  repl::ModelLoader loader(&loaded.keyspace);
  Status status = OkStatus();
  if (py::isinstance<py::bytes>(source) || PyByteArray_Check(source.ptr())) {
    const std::string bytes = ArgBytes(source);
    py::gil_scoped_release release;
    rdb::Reader reader(&loader);
    status = reader.Feed(bytes);
    if (status.ok()) status = reader.Finish();
  } else {
    const std::string path = py::module_::import("os").attr("fspath")(source).cast<std::string>();
    py::gil_scoped_release release;
    status = rdb::ReadFile(path, &loader);
  }
  Check(status);
  loaded.version = loader.version();
  loaded.keys = loader.keys();
  loaded.repl_id = loader.repl_id();
  loaded.repl_offset = loader.repl_offset();
  loaded.repl_stream_db = loader.repl_stream_db();
  return loaded;
}

rdb::Encoding EncodingOf(const std::string& name) {
  if (name == "compact") return rdb::Encoding::kCompact;
  if (name == "plain") return rdb::Encoding::kPlain;
  Raise(Error{"encoding is \"compact\" or \"plain\", not \"" + name + "\""});
}

py::bytes WriteRdb(const keyspace::Keyspace& model, int version, const std::string& encoding,
                   bool compress_strings, bool checksum, const std::string& redis_ver,
                   std::optional<int64_t> ctime, std::optional<std::string> repl_id,
                   std::optional<int64_t> repl_offset, std::optional<int> repl_stream_db,
                   py::object aux) {
  repl::RdbBuildOptions options;
  options.writer.version = version;
  options.writer.encoding = EncodingOf(encoding);
  options.writer.compress_strings = compress_strings;
  options.writer.write_checksum = checksum;
  options.redis_ver = redis_ver;
  options.ctime = ctime;
  options.repl_id = std::move(repl_id);
  options.repl_offset = repl_offset;
  options.repl_stream_db = repl_stream_db;
  options.extra_aux = Pairs(aux);
  return Bytes(Unwrap(repl::BuildRdb(model, options)));
}

}  // namespace

void BindRdb(py::module_& m) {
  py::class_<LoadedRdb>(m, "LoadedRdb", "An RDB read into a keyspace model.")
      .def_readonly("keyspace", &LoadedRdb::keyspace)
      .def_readonly("version", &LoadedRdb::version)
      .def_readonly("keys", &LoadedRdb::keys)
      .def_readonly("repl_id", &LoadedRdb::repl_id)
      .def_readonly("repl_offset", &LoadedRdb::repl_offset)
      .def_readonly("repl_stream_db", &LoadedRdb::repl_stream_db);

  m.def("read_rdb", &ReadRdb, py::arg("source"), py::arg("databases") = 16,
        "Reads an RDB (bytes, or a path) into a keyspace model; CRC64 verified. Errors name the "
        "byte offset.");
  m.def("write_rdb", &WriteRdb, py::arg("keyspace"), py::arg("version") = 10,
        py::arg("encoding") = "compact", py::arg("compress_strings") = false, py::arg("checksum") = true,
        py::arg("redis_ver") = "7.0.0", py::arg("ctime") = std::nullopt, py::arg("repl_id") = std::nullopt,
        py::arg("repl_offset") = std::nullopt, py::arg("repl_stream_db") = std::nullopt,
        py::arg("aux") = py::none(),
        "The RDB a master would send for this model (keys sorted, so the bytes are reproducible "
        "for a fixed ctime).");
  m.def("decode_dump", [](py::handle payload) { return Unwrap(rdb::DecodeDumpPayload(ArgBytes(payload))); },
        py::arg("payload"), "A DUMP payload as an Entry (version and CRC64 checked).");
  m.def("encode_dump", [](const data::Entry& entry, int version) {
          return Bytes(Unwrap(rdb::EncodeDumpPayload(entry.value, version)));
        }, py::arg("entry"), py::arg("version") = rdb::kDefaultDumpVersion,
        "An Entry's value as DUMP would encode it.");
}

}  // namespace conformance::python
