// Values: RESP replies as the wire typed them (RespValue), keyspace entries, and the keyspace
// model itself with its digest and diff.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "harness/keyspace/keyspace.h"
#include "harness/rdb/dump.h"
#include "python/bindings.h"
#include "python/support.h"

namespace conformance::python {

namespace {

keyspace::KeyspaceOptions ModelOptions(int databases, const std::string& role) {
  keyspace::KeyspaceOptions options;
  options.databases = databases;
  if (role == "replica") options.role = keyspace::Role::kReplica;
  else if (role != "master") Raise(Error{"role is \"master\" or \"replica\", not \"" + role + "\""});
  options.dump_decoder = [](std::string_view payload) { return rdb::DecodeDumpPayload(payload); };
  return options;
}

py::object FieldExpiries(const data::Entry& entry) {
  py::dict out;
  if (const auto* hash = std::get_if<data::Hash>(&entry.value)) {
    for (const auto& [field, item] : *hash) {
      if (item.expire_at_ms != data::HashField::kNoExpiry) out[Bytes(field)] = item.expire_at_ms;
    }
  }
  return out;
}

}  // namespace

void BindValues(py::module_& m) {
  py::class_<resp::Value>(m, "RespValue", "A decoded RESP2/RESP3 value, its wire type kept.")
      .def_property_readonly("type", [](const resp::Value& v) { return resp::ToString(v.type); })
      .def_property_readonly("is_null", [](const resp::Value& v) { return v.is_null || v.type == resp::Type::kNull; })
      .def_property_readonly("is_error", &resp::Value::IsError)
      .def_property_readonly("text", [](const resp::Value& v) { return Bytes(v.str); })
      .def_readonly("integer", &resp::Value::integer)
      .def_readonly("elements", &resp::Value::elements)
      .def_property_readonly("argv", [](const resp::Value& v) {
        py::list out;
        for (const std::string& arg : v.AsArgv()) out.append(Bytes(arg));
        return out;
      })
      .def("to_python", [](const resp::Value& v) { return ToPython(v); })
      .def("__eq__", [](const resp::Value& a, const resp::Value& b) { return a == b; })
      .def("__repr__", [](const resp::Value& v) { return "<RespValue " + v.ToString() + ">"; })
      .def("__str__", [](const resp::Value& v) { return v.ToString(); });

  py::class_<data::Entry>(m, "Entry", "One key's typed value with its absolute expiry.")
      .def_property_readonly("type", [](const data::Entry& e) { return data::TypeName(data::TypeOf(e.value)); })
      .def_property_readonly("value", [](const data::Entry& e) { return ToPython(e.value); })
      .def_property_readonly("expire_at_ms", [](const data::Entry& e) -> std::optional<int64_t> {
        if (e.expire_at_ms == data::Entry::kNoExpiry) return std::nullopt;
        return e.expire_at_ms;
      })
      .def_property_readonly("field_expiries", &FieldExpiries, "Hash fields with a TTL: {field: unix ms}.")
      .def("__repr__", [](const data::Entry& e) { return "<Entry " + keyspace::Describe(e) + ">"; });

  py::class_<keyspace::ApplyResult>(m, "ApplyResult")
      .def_property_readonly("status", [](const keyspace::ApplyResult& r) { return keyspace::ToString(r.status); })
      .def_readonly("message", &keyspace::ApplyResult::message)
      .def_property_readonly("ok", &keyspace::ApplyResult::ok)
      .def("__bool__", &keyspace::ApplyResult::ok)
      .def("__repr__", [](const keyspace::ApplyResult& r) {
        return std::string("<ApplyResult ") + keyspace::ToString(r.status) +
               (r.message.empty() ? "" : ": " + r.message) + ">";
      });

  py::class_<keyspace::Digest>(m, "Digest", "The canonical, order-independent keyspace digest.")
      .def_property_readonly("hex", &keyspace::Digest::ToHex)
      .def_property_readonly("per_db", [](const keyspace::Digest& d) {
        std::vector<std::string> out;
        for (const auto& hash : d.per_db) out.push_back(hash.ToHex());
        return out;
      })
      .def("__eq__", [](const keyspace::Digest& a, const keyspace::Digest& b) { return a == b; })
      .def("__repr__", [](const keyspace::Digest& d) { return "<Digest " + d.ToHex() + ">"; })
      .def("__str__", &keyspace::Digest::ToHex);

  py::class_<keyspace::KeyDifference>(m, "KeyDifference")
      .def_readonly("db", &keyspace::KeyDifference::db)
      .def_property_readonly("key", [](const keyspace::KeyDifference& d) { return Bytes(d.key); })
      .def_property_readonly("kind", [](const keyspace::KeyDifference& d) { return keyspace::ToString(d.kind); })
      .def_readonly("expected", &keyspace::KeyDifference::expected)
      .def_readonly("actual", &keyspace::KeyDifference::actual)
      .def_readonly("detail", &keyspace::KeyDifference::detail)
      .def("__str__", &keyspace::KeyDifference::ToString)
      .def("__repr__", [](const keyspace::KeyDifference& d) { return "<KeyDifference " + d.ToString() + ">"; });

  py::class_<keyspace::Keyspace>(m, "Keyspace",
                                 "The keyspace model, the oracle: apply() every command a master "
                                 "streams, then compare digest() or diff() with a real server's.")
      .def(py::init([](int databases, const std::string& role) {
             return keyspace::Keyspace(ModelOptions(databases, role));
           }),
           py::arg("databases") = 16, py::arg("role") = "master")
      .def("apply", [](keyspace::Keyspace& k, const py::args& args) { return k.Apply(Argv(args)); },
           "Applies one command (arguments, or one list of them) as a replication stream would.")
      .def("find", [](const keyspace::Keyspace& k, py::handle key, int db) -> std::optional<data::Entry> {
             const auto view = k.db(db).Lookup(ArgBytes(key));
             if (!view) return std::nullopt;
             return view->Copy();
           }, py::arg("key"), py::arg("db") = 0)
      .def("get", [](const keyspace::Keyspace& k, py::handle key, int db) -> py::object {
             const auto view = k.db(db).Lookup(ArgBytes(key));
             return view ? ToPython(view->Copy().value) : py::none();
           }, py::arg("key"), py::arg("db") = 0, "The value the Python way, or None.")
      .def("keys", [](const keyspace::Keyspace& k, int db) {
             py::list out;
             k.db(db).ForEach([&out](const keyspace::Database::View& view) {
               out.append(Bytes(view.key()));
             });
             out.attr("sort")();
             return out;
           }, py::arg("db") = 0, "The keys of one database, sorted.")
      .def("select", &keyspace::Keyspace::Select, py::arg("db"))
      .def_property_readonly("selected_db", &keyspace::Keyspace::selected_db)
      .def_property_readonly("in_multi", &keyspace::Keyspace::in_multi)
      .def_property_readonly("databases", &keyspace::Keyspace::databases)
      .def_property_readonly("functions", &keyspace::Keyspace::functions)
      .def("clear", &keyspace::Keyspace::Clear)
      .def("digest", &keyspace::Keyspace::ComputeDigest)
      .def("copy", [](const keyspace::Keyspace& k) { return keyspace::Keyspace(k); })
      .def("__len__", &keyspace::Keyspace::size)
      .def_static("diff", &keyspace::Keyspace::Diff, py::arg("expected"), py::arg("actual"),
                  py::arg("max_differences") = 10, py::arg("ttl_tolerance_ms") = 0,
                  "The first differing keys, ordered by (db, key).")
      .def("__repr__", [](const keyspace::Keyspace& k) {
        return "<Keyspace " + std::to_string(k.size()) + " keys, digest " + k.ComputeDigest().ToHex() + ">";
      });

  m.def("supported_commands", [] {
    py::list out;
    for (const keyspace::CommandInfo& info : keyspace::SupportedCommands()) {
      py::dict row;
      row["name"] = std::string(info.name);
      row["family"] = std::string(info.family);
      row["arity"] = info.arity;
      row["modelled"] = info.modelled;
      row["notes"] = std::string(info.notes);
      out.append(row);
    }
    return out;
  }, "The keyspace model's command table.");
}

}  // namespace conformance::python
