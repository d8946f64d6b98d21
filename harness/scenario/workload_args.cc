#include "harness/scenario/workload_args.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace conformance::scenario {

namespace {

// `profile` and `types`.
Status ProfileArgs(const Args& args, workload::Profile* profile, workload::TypeFilter* types) {
  const std::string name = args.String("profile").value_or("basic");
  auto parsed = workload::ParseProfile(name);
  if (!parsed) {
    return Error{fmt::format("{}: profile must be basic, all-types, mixed or expiry, not '{}'",
                             args.step().location.ToString(), name), ErrorKind::kHarness};
  }
  *profile = *parsed;
  std::string error;
  auto filter = workload::ParseTypes(args.String("types").value_or(""), &error);
  if (!filter) return Error{fmt::format("{}: types: {}", args.step().location.ToString(), error), ErrorKind::kHarness};
  *types = *filter;
  return OkStatus();
}

// The step's databases that the server has; [0] when none is left.
std::vector<int> DatabasesFor(const Args& args, const server::ServerTraits& traits,
                              std::vector<std::string>* notes) {
  std::vector<int> kept;
  std::vector<int> dropped;
  for (int db : args.Databases()) (db < traits.databases ? kept : dropped).push_back(db);
  if (kept.empty()) kept.push_back(0);
  if (!dropped.empty()) {
    notes->push_back(fmt::format("databases {} left out: {} has {}", fmt::join(dropped, ", "),
                                 traits.Describe(), traits.databases));
  }
  return kept;
}

// The generators write only what the server takes.
workload::Accepts AcceptsFor(const server::ServerTraits& traits) {
  return [&traits](const workload::Command& command) { return traits.Accepts(command); };
}

}  // namespace

Result<workload::DatasetOptions> DatasetOptionsFrom(const Args& args, uint64_t case_seed,
                                                    workload::Form form,
                                                    const server::ServerTraits& traits,
                                                    std::vector<std::string>* notes) {
  workload::DatasetOptions options;
  options.seed = static_cast<uint64_t>(args.Int("seed").value_or(static_cast<int64_t>(case_seed)));
  options.keys = static_cast<size_t>(args.Int("keys").value_or(100));
  options.databases = DatabasesFor(args, traits, notes);
  options.accepts = AcceptsFor(traits);
  options.expire = args.Bool("expire").value_or(false);
  options.big_values = args.Bool("big-values").value_or(false);
  CONFORMANCE_RETURN_IF_ERROR(ProfileArgs(args, &options.profile, &options.types));
  options.form = form;
  options.pin_entries_read = args.Bool("pin-entries-read").value_or(true);
  return options;
}

Result<workload::WorkloadOptions> WorkloadOptionsFrom(const Args& args, uint64_t case_seed,
                                                      workload::Form form,
                                                      const server::ServerTraits& traits,
                                                      std::vector<std::string>* notes) {
  workload::WorkloadOptions options;
  options.seed =
      static_cast<uint64_t>(args.Int("seed").value_or(static_cast<int64_t>(case_seed + 1)));
  options.commands = static_cast<size_t>(args.Int("commands").value_or(100));
  options.databases = DatabasesFor(args, traits, notes);
  options.accepts = AcceptsFor(traits);
  options.multi = args.Bool("multi").value_or(false);
  options.expire = args.Bool("expire").value_or(false);
  CONFORMANCE_RETURN_IF_ERROR(ProfileArgs(args, &options.profile, &options.types));
  options.form = form;
  options.pin_entries_read = args.Bool("pin-entries-read").value_or(true);
  return options;
}

}  // namespace conformance::scenario
