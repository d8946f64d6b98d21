#include "python/support.h"

#include <cmath>

namespace conformance::python {

namespace {

// Created once by RegisterErrors(); never freed, since the module is never unloaded.
PyObject* conformance_error = nullptr;
PyObject* reply_error = nullptr;

py::object NewError(PyObject* type, const std::string& message, const char* kind) {
  py::object error = py::reinterpret_borrow<py::object>(type)(Str(message));
  error.attr("kind") = kind;
  return error;
}

py::object IntOrText(const std::string& text) {
  if (auto number = server::ParseInt(text)) return py::int_(*number);
  return py::str(text);
}

py::dict KeyValues(const server::Fields& fields) {
  py::dict out;
  for (const auto& [key, value] : fields) out[py::str(key)] = IntOrText(value);
  return out;
}

py::dict StreamToPython(const data::Stream& stream) {
  py::list entries;
  for (const auto& [id, fields] : stream.entries) {
    py::list pairs;
    for (const auto& [field, value] : fields) pairs.append(py::make_tuple(Bytes(field), Bytes(value)));
    entries.append(py::make_tuple(id.ToString(), pairs));
  }
  py::list groups;
  for (const data::StreamGroup& group : stream.groups) {
    py::list pending;
    for (const auto& entry : group.pending) {
      pending.append(py::make_tuple(entry.id.ToString(), Bytes(entry.consumer), entry.delivery_time_ms,
                                    entry.delivery_count));
    }
    py::list consumers;
    for (const auto& consumer : group.consumers) {
      consumers.append(py::make_tuple(Bytes(consumer.name), consumer.seen_time_ms, consumer.active_time_ms));
    }
    py::dict g;
    g["name"] = Bytes(group.name);
    g["last_delivered"] = group.last_delivered.ToString();
    g["entries_read"] = group.entries_read;
    g["pending"] = pending;
    g["consumers"] = consumers;
    groups.append(g);
  }
  py::dict out;
  out["entries"] = entries;
  out["last_id"] = stream.last_id.ToString();
  out["first_id"] = stream.first_id.ToString();
  out["max_deleted_id"] = stream.max_deleted_id.ToString();
  out["entries_added"] = stream.entries_added;
  out["groups"] = groups;
  return out;
}

}  // namespace

void RegisterErrors(py::module_& m) {
  conformance_error = PyErr_NewExceptionWithDoc(
      "conformance._conformance.ConformanceError",
      "An engine error: the same text the CLI prints; `kind` says what failed (timeout, closed, "
      "reset, protocol error, unsupported, fault, error).",
      PyExc_Exception, nullptr);
  reply_error = PyErr_NewExceptionWithDoc("conformance._conformance.ReplyError",
                                          "An error reply from the server (kind \"reply\").",
                                          conformance_error, nullptr);
  m.add_object("ConformanceError", py::handle(conformance_error));
  m.add_object("ReplyError", py::handle(reply_error));
  py::register_exception_translator([](std::exception_ptr thrown) {
    try {
      if (thrown) std::rethrow_exception(thrown);
    } catch (const EngineError& e) {
      PyObject* type = e.reply() ? reply_error : conformance_error;
      py::object error = NewError(type, e.error().message, e.reply() ? "reply" : ToString(e.error().kind));
      PyErr_SetObject(type, error.ptr());
    }
  });
}

net::Duration Milliseconds(double seconds) {
  if (!(seconds >= 0) || !std::isfinite(seconds)) Raise(Error{"a timeout is a finite number of seconds >= 0"});
  return net::Duration(static_cast<int64_t>(std::llround(seconds * 1000)));
}

std::optional<net::Duration> Milliseconds(std::optional<double> seconds) {
  if (!seconds) return std::nullopt;
  return Milliseconds(*seconds);
}

py::bytes Bytes(std::string_view bytes) { return py::bytes(bytes.data(), bytes.size()); }

py::str Str(std::string_view text) {
  PyObject* decoded = PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), "surrogateescape");
  if (!decoded) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(decoded);
}

std::string ArgBytes(py::handle item) {
  if (py::isinstance<py::bytes>(item)) return item.cast<std::string>();
  if (py::isinstance<py::str>(item)) return item.cast<std::string>();
  if (PyByteArray_Check(item.ptr())) {
    return std::string(PyByteArray_AsString(item.ptr()), PyByteArray_Size(item.ptr()));
  }
  if (py::isinstance<py::bool_>(item)) Raise(Error{"a command argument cannot be a bool"});
  if (py::isinstance<py::int_>(item) || py::isinstance<py::float_>(item)) {
    return py::str(item).cast<std::string>();
  }
  Raise(Error{"a command argument is bytes, str or a number, not " +
              py::str(py::type::handle_of(item).attr("__name__")).cast<std::string>()});
}

std::vector<std::string> ArgvOf(py::handle iterable) {
  std::vector<std::string> argv;
  for (py::handle item : py::iter(iterable)) argv.push_back(ArgBytes(item));
  return argv;
}

std::vector<std::string> Argv(const py::args& args) {
  // f(["SET", "k", "v"]) and f("SET", "k", "v") both work.
  if (args.size() == 1 && !py::isinstance<py::str>(args[0]) && !py::isinstance<py::bytes>(args[0]) &&
      py::hasattr(args[0], "__iter__")) {
    return ArgvOf(args[0]);
  }
  return ArgvOf(args);
}

std::vector<std::pair<std::string, std::string>> Pairs(py::handle mapping) {
  std::vector<std::pair<std::string, std::string>> out;
  if (mapping.is_none()) return out;
  py::object items = py::isinstance<py::dict>(mapping) ? mapping.attr("items")() : py::reinterpret_borrow<py::object>(mapping);
  for (py::handle item : py::iter(items)) {
    py::tuple pair = py::tuple(py::reinterpret_borrow<py::object>(item));
    if (pair.size() != 2) Raise(Error{"expected (name, value) pairs"});
    out.emplace_back(ArgBytes(pair[0]), ArgBytes(pair[1]));
  }
  return out;
}

py::object ToPython(const resp::Value& value) {
  using resp::Type;
  if (value.is_null || value.type == Type::kNull) return py::none();
  switch (value.type) {
    case Type::kSimpleString: return Str(value.str);
    case Type::kBulkString:
    case Type::kVerbatim: return Bytes(value.str);
    case Type::kError:
    case Type::kBulkError: return NewError(reply_error, value.str, "reply");
    case Type::kInteger: return py::int_(value.integer);
    case Type::kBoolean: return py::bool_(value.boolean);
    case Type::kDouble: return py::float_(value.number);
    case Type::kBigNumber: return py::int_(py::str(value.str));
    case Type::kMap:
    case Type::kAttribute: {
      py::dict out;
      for (size_t i = 0; i + 1 < value.elements.size(); i += 2) {
        out[ToPython(value.elements[i])] = ToPython(value.elements[i + 1]);
      }
      return out;
    }
    case Type::kArray:
    case Type::kSet:
    case Type::kPush:
    case Type::kInline: {
      py::list out;
      for (const resp::Value& element : value.elements) out.append(ToPython(element));
      return out;
    }
    case Type::kNull: break;
  }
  return py::none();
}

py::object ToPython(const data::Value& value) {
  return std::visit(
      [](const auto& v) -> py::object {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, data::String>) {
          return Bytes(v);
        } else if constexpr (std::is_same_v<T, data::List>) {
          py::list out;
          for (const std::string& item : v) out.append(Bytes(item));
          return out;
        } else if constexpr (std::is_same_v<T, data::Set>) {
          py::set out;
          for (const std::string& item : v) out.add(Bytes(item));
          return out;
        } else if constexpr (std::is_same_v<T, data::ZSet>) {
          py::dict out;
          for (const auto& [score, member] : v.ordered()) out[Bytes(member)] = score;
          return out;
        } else if constexpr (std::is_same_v<T, data::Hash>) {
          py::dict out;
          for (const auto& [field, item] : v) out[Bytes(field)] = Bytes(item.value);
          return out;
        } else if constexpr (std::is_same_v<T, data::Stream>) {
          return StreamToPython(v);
        } else {
          py::dict out;
          out["module_id"] = v.module_id;
          out["raw"] = Bytes(v.raw);
          return out;
        }
      },
      value);
}

py::dict InfoToDict(const server::Info& info) {
  py::dict out;
  for (const server::InfoSection& section : info.sections()) {
    for (const auto& [key, value] : section.fields) {
      const bool nested = (key.starts_with("slave") && key.size() > 5 && std::isdigit(key[5])) ||
                          (key.starts_with("db") && key.size() > 2 && std::isdigit(key[2]));
      if (nested && value.find('=') != std::string::npos) {
        out[py::str(key)] = KeyValues(server::ParseKeyValueList(value));
      } else {
        out[py::str(key)] = IntOrText(value);
      }
    }
  }
  return out;
}

}  // namespace conformance::python
