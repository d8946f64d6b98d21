// One function per engine layer, each adding its classes to the module (module.cc calls them
// in dependency order, so a signature may name a class bound earlier).
#pragma once

#include <pybind11/pybind11.h>

namespace conformance::python {

void BindValues(pybind11::module_& m);    // RespValue, Entry, Keyspace, Digest, diff (values.cc)
void BindRdb(pybind11::module_& m);       // read_rdb, write_rdb, DUMP payloads (rdb.cc)
void BindServer(pybind11::module_& m);    // Server, Client, parse_info (server.cc)
void BindReplica(pybind11::module_& m);   // FakeReplica (fake_replica.cc)
void BindMaster(pybind11::module_& m);    // FakeMaster, MasterBugs (fake_master.cc)
void BindScenario(pybind11::module_& m);  // load_scenarios, Runner, CaseResult, profiles (scenario.cc)

}  // namespace conformance::python
