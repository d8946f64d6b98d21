// Seeded generators of writes for the server under test: a dataset (keys of every basic type)
// and a workload (a mix of writes, optionally with MULTI/EXEC and expiries). The same seed
// always yields the same commands, so a failing case is reproducible from its printed seed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace conformance::workload {

using Command = std::vector<std::string>;

struct DatasetOptions {
  uint64_t seed = 1;
  size_t keys = 100;
  std::vector<int> databases = {0};
  bool expire = false;      // give about 10% of keys a TTL of minutes (never expires in a case)
  bool big_values = false;  // include values of several KB (plain encodings)
};

struct WorkloadOptions {
  uint64_t seed = 2;
  size_t commands = 100;
  std::vector<int> databases = {0};
  bool multi = false;   // wrap about one command in eight, with its neighbours, in MULTI/EXEC
  bool expire = false;  // include SET PX/EXPIRE/PERSIST with long TTLs
};

// Commands that create a dataset, each preceded by SELECT when the database changes.
std::vector<Command> GenerateDataset(const DatasetOptions& options);
// Commands of a mixed write workload, with SELECTs.
std::vector<Command> GenerateWorkload(const WorkloadOptions& options);

}  // namespace conformance::workload
