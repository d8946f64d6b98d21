// The `conformance._conformance` extension: the engine's own objects, bound (no second
// implementation). The package's __init__.py re-exports them; pytest_plugin.py builds on them.
#include <pybind11/pybind11.h>

#include "python/bindings.h"
#include "python/support.h"

PYBIND11_MODULE(_conformance, m) {
  namespace python = conformance::python;
  m.doc() = "Replication conformance harness: fakes, server launcher, RDB, keyspace model, runner.";
  python::RegisterErrors(m);
  python::BindValues(m);
  python::BindRdb(m);
  python::BindServer(m);
  python::BindReplica(m);
  python::BindMaster(m);
  python::BindScenario(m);
}
