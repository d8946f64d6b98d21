// Scenarios from Python: load files, run cases with the engine's Runner (profiles included),
// read verdicts, write the same JSON / JUnit / transcript files the CLI writes.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <sstream>

#include "harness/report/json_report.h"
#include "harness/report/junit_report.h"
#include "harness/report/run_info.h"
#include "harness/report/transcript_files.h"
#include "harness/scenario/loader.h"
#include "harness/scenario/profile.h"
#include "harness/scenario/run_setup.h"
#include "harness/scenario/runner.h"
#include "harness/server/find_binary.h"
#include "harness/server/process_registry.h"
#include "python/bindings.h"
#include "python/support.h"

namespace conformance::python {

namespace {

using scenario::CaseResult;
using scenario::Verdict;

using report::kHarnessVersion;
using report::NowIso8601;

std::vector<std::string> Paths(py::handle paths) {
  py::object fspath = py::module_::import("os").attr("fspath");
  if (py::isinstance<py::str>(paths) || py::hasattr(paths, "__fspath__")) {
    return {fspath(paths).cast<std::string>()};
  }
  std::vector<std::string> out;
  for (py::handle path : py::iter(paths)) out.push_back(fspath(path).cast<std::string>());
  return out;
}

scenario::RunSummary Summarize(const std::vector<CaseResult>& results) {
  scenario::RunSummary summary;
  for (const CaseResult& result : results) {
    summary.Add(result.verdict);
    summary.seconds += result.seconds;
  }
  return summary;
}

// The engine's Runner with options from keyword arguments, the way the CLI fills them from
// flags: the profile first, explicit server settings over it.
class PyRunner {
 public:
  PyRunner(const std::string& server, std::optional<py::object> server_command, py::object server_config,
           std::optional<std::string> target, std::optional<std::string> password, uint64_t seed, int jobs,
           double step_timeout, std::vector<std::string> only, std::vector<std::string> skip,
           std::optional<py::object> profile, std::optional<py::object> transcripts, bool keep_dirs) {
    options_.seed = seed;
    options_.jobs = std::max(1, jobs);
    options_.step_timeout = Milliseconds(step_timeout);
    options_.only = std::move(only);
    options_.skip = std::move(skip);
    options_.registry = &registry_;
    options_.keep_server_dirs = keep_dirs;
    if (target) {
      const size_t colon = target->rfind(':');
      auto port = colon == std::string::npos ? std::nullopt : server::ParseInt(target->substr(colon + 1));
      if (!port || *port <= 0 || *port > 65535 || colon == 0) Raise(Error{"target takes HOST:PORT"});
      options_.attach = std::make_pair(target->substr(0, colon), static_cast<uint16_t>(*port));
      options_.attach_password = std::move(password);
      description_ = "attached to " + *target;
    } else {
      options_.launch.binary = Unwrap(server::FindBinary(server));
      description_ = options_.launch.binary;
    }
    if (server_command && !server_command->is_none()) {
      if (py::isinstance<py::str>(*server_command)) {
        std::istringstream words(server_command->cast<std::string>());
        for (std::string word; words >> word;) command_.push_back(word);
      } else {
        command_ = ArgvOf(*server_command);
      }
    }
    config_ = Pairs(server_config);
    if (profile && !profile->is_none()) {
      profile_ = py::isinstance<scenario::Profile>(*profile)
                     ? profile->cast<scenario::Profile>()
                     : Unwrap(scenario::LoadProfile(Paths(*profile).front()));
    }
    if (transcripts && !transcripts->is_none()) transcript_dir_ = Paths(*transcripts).front();
  }

  std::vector<CaseResult> Run(const std::vector<scenario::Scenario>& scenarios) {
    scenario::Runner runner(OptionsFor(scenarios), Callbacks());
    py::gil_scoped_release release;
    return runner.Run(scenarios);
  }

  CaseResult RunCase(const scenario::Scenario& scenario) {
    scenario::Runner runner(OptionsFor({scenario}), Callbacks());
    py::gil_scoped_release release;
    return runner.RunCase(scenario);
  }

  const std::string& description() const { return description_; }
  uint64_t seed() const { return options_.seed; }
  const std::optional<scenario::Profile>& profile() const { return profile_; }

 private:
  // The run's options; the server is discovered once per runner, on its first run.
  scenario::RunOptions OptionsFor(const std::vector<scenario::Scenario>&) {
    scenario::RunOptions options = options_;
    if (profile_) scenario::ApplyProfile(*profile_, &options);
    if (!command_.empty()) options.launch.command = command_;
    options.launch.config.insert(options.launch.config.end(), config_.begin(), config_.end());
    if (!discovered_) {
      py::gil_scoped_release release;
      if (Status status = scenario::DiscoverTraits(&options, profile_ ? &*profile_ : nullptr);
          !status.ok()) {
        options.setup_error = "discovering what the server is failed: " + status.message();
      }
      discovered_ = options;
    }
    options.traits = discovered_->traits;
    options.launch.directives = discovered_->launch.directives;
    options.launch.replicaof_directive = discovered_->launch.replicaof_directive;
    options.start_as_replica = discovered_->start_as_replica;
    options.setup_error = discovered_->setup_error;
    return options;
  }

  // As the CLI does: the transcript file, and its path at the end of the explanation.
  scenario::RunCallbacks Callbacks() const {
    scenario::RunCallbacks callbacks;
    if (transcript_dir_.empty()) return callbacks;
    callbacks.on_case_end = [dir = transcript_dir_](CaseResult& result) {
      if (Status status = report::AttachTranscript(dir, result); !status.ok()) {
        result.explanation += "  (transcript not written: " + status.message() + ")\n";
      }
    };
    return callbacks;
  }

  server::ProcessRegistry registry_;
  scenario::RunOptions options_;
  std::vector<std::string> command_;
  std::vector<std::pair<std::string, std::string>> config_;
  std::optional<scenario::Profile> profile_;
  std::string transcript_dir_;
  std::string description_;
  std::optional<scenario::RunOptions> discovered_;
};

void WriteReports(const std::vector<CaseResult>& results, std::optional<py::object> json,
                  std::optional<py::object> junit, uint64_t seed, const std::string& server) {
  const scenario::RunSummary summary = Summarize(results);
  const report::RunInfo info{.harness_version = kHarnessVersion, .seed = seed, .server = server,
                             .started_at = NowIso8601(), .traits = ""};
  if (json && !json->is_none()) Check(report::WriteJson(Paths(*json).front(), results, summary, info));
  if (junit && !junit->is_none()) Check(report::WriteJUnit(Paths(*junit).front(), results, summary, info));
}

void BindResults(py::module_& m) {
  py::enum_<Verdict>(m, "Verdict")
      .value("PASS", Verdict::kPass)
      .value("FAIL", Verdict::kFail)
      .value("XFAIL", Verdict::kXFail)
      .value("XPASS", Verdict::kXPass)
      .value("SKIP", Verdict::kSkip)
      .value("ERROR", Verdict::kError)
      .def_property_readonly("label", [](Verdict v) { return scenario::ToLabel(v); });

  py::class_<scenario::StepOutcome>(m, "StepOutcome")
      .def_readonly("name", &scenario::StepOutcome::name)
      .def_readonly("location", &scenario::StepOutcome::location)
      .def_readonly("verdict", &scenario::StepOutcome::verdict)
      .def_readonly("message", &scenario::StepOutcome::message)
      .def_readonly("seconds", &scenario::StepOutcome::seconds);

  py::class_<CaseResult>(m, "CaseResult", "A case's verdict with its evidence, as every report renders it.")
      .def_readonly("id", &CaseResult::id)
      .def_readonly("title", &CaseResult::title)
      .def_readonly("rule", &CaseResult::rule)
      .def_readonly("rules", &CaseResult::rules,
                    "Catalogued rule ids (harness/rules/RULES.md); a rule seen broken first.")
      .def_readonly("source", &CaseResult::source)
      .def_readonly("file", &CaseResult::file)
      .def_readonly("seed", &CaseResult::seed)
      .def_readonly("verdict", &CaseResult::verdict)
      .def_readonly("reason", &CaseResult::reason)
      .def_readonly("explanation", &CaseResult::explanation,
                    "The one-screen explanation the CLI prints for FAIL, XPASS and ERROR.")
      .def_readonly("steps", &CaseResult::steps)
      .def_readonly("seconds", &CaseResult::seconds)
      .def_readonly("transcript", &CaseResult::transcript)
      .def_readonly("server_log_tail", &CaseResult::server_log_tail)
      .def_readonly("transcript_path", &CaseResult::transcript_path)
      .def_property_readonly("ok", [](const CaseResult& r) {
        return r.verdict == Verdict::kPass || r.verdict == Verdict::kXFail || r.verdict == Verdict::kSkip;
      }, "PASS, XFAIL or SKIP: nothing for a gate to fail on.")
      .def("__repr__", [](const CaseResult& r) {
        return std::string("<CaseResult ") + scenario::ToLabel(r.verdict) + " " + r.id + ">";
      });

  py::class_<scenario::RunSummary>(m, "RunSummary")
      .def_property_readonly("counts", [](const scenario::RunSummary& s) {
        py::dict out;
        for (Verdict v : scenario::kAllVerdicts) out[py::str(scenario::ToString(v))] = s.count(v);
        return out;
      })
      .def_property_readonly("total", &scenario::RunSummary::total)
      .def_readonly("seconds", &scenario::RunSummary::seconds)
      .def_property_readonly("exit_code", &scenario::RunSummary::ExitCode,
                             "0 all good, 1 failure or XPASS, 2 inconclusive, 3 infrastructure error.");
}

void BindScenarios(py::module_& m) {
  py::class_<scenario::Step>(m, "Step")
      .def_readonly("kind", &scenario::Step::kind)
      .def_property_readonly("location", [](const scenario::Step& s) { return s.location.ToString(); })
      .def_property_readonly("args", [](const scenario::Step& s) { return YAML::Dump(s.args); },
                             "The step's arguments, as YAML.");

  py::class_<scenario::Scenario>(m, "Scenario", "One case of a scenario file.")
      .def_readonly("id", &scenario::Scenario::id)
      .def_readonly("title", &scenario::Scenario::title)
      .def_readonly("rule", &scenario::Scenario::rule)
      .def_property_readonly(
          "rules",
          [](const scenario::Scenario& s) {
            std::vector<std::string> ids;
            for (const scenario::RuleCitation& citation : s.rules) ids.push_back(citation.id);
            return ids;
          },
          "The catalogued rule ids the case checks.")
      .def_readonly("source", &scenario::Scenario::source)
      .def_readonly("file", &scenario::Scenario::file)
      .def_property_readonly("role", [](const scenario::Scenario& s) { return scenario::ToString(s.role); })
      .def_readonly("bindings", &scenario::Scenario::bindings)
      .def_readonly("server_config", &scenario::Scenario::server_config)
      .def_readonly("requires", &scenario::Scenario::requires_levers)
      .def_readonly("steps", &scenario::Scenario::steps)
      .def_readonly("is_sanity", &scenario::Scenario::is_sanity)
      .def_property_readonly("timeout", [](const scenario::Scenario& s) { return s.timeout.count() / 1000.0; })
      .def("__repr__", [](const scenario::Scenario& s) { return "<Scenario " + s.id + ">"; });

  m.def("load_scenarios", [](py::handle paths) {
          return Unwrap(scenario::LoadScenarios(Paths(paths)));
        }, py::arg("paths"),
        "Loads scenario files and directories (recursively), sorted by id. A bad file raises "
        "ConformanceError naming file:line:column.");

  py::class_<scenario::ExpectedFailure>(m, "ExpectedFailure")
      .def_readonly("glob", &scenario::ExpectedFailure::glob)
      .def_readonly("error", &scenario::ExpectedFailure::error_substring)
      .def_readonly("reason", &scenario::ExpectedFailure::reason);

  py::class_<scenario::Profile>(m, "Profile", "A server profile (ci/profiles/*.yaml).")
      .def_readonly("file", &scenario::Profile::file)
      .def_readonly("name", &scenario::Profile::name)
      .def_readonly("dialect", &scenario::Profile::dialect)
      .def_readonly("capabilities", &scenario::Profile::capabilities)
      .def_property_readonly(
          "keyspace_read",
          [](const scenario::Profile& p) {
            return std::string(scenario::ToString(p.keyspace_read));
          },
          "scan or snapshot: how keyspace checks without a method read the server")
      .def_readonly("server_command", &scenario::Profile::server_command)
      .def_readonly("default_config", &scenario::Profile::default_config)
      .def_readonly("server_config", &scenario::Profile::server_config)
      .def_readonly("disabled", &scenario::Profile::disabled)
      .def_readonly("expected_failures", &scenario::Profile::expected_failures)
      .def("__repr__", [](const scenario::Profile& p) { return "<Profile " + p.name + " (" + p.dialect + ")>"; });

  m.def("load_profile", [](py::handle path) { return Unwrap(scenario::LoadProfile(Paths(path).front())); },
        py::arg("path"), "Loads a profile; errors name file:line:column.");
  m.def("glob_matches", &scenario::GlobMatches, py::arg("glob"), py::arg("id"));
}

}  // namespace

void BindScenario(py::module_& m) {
  BindResults(m);
  BindScenarios(m);

  py::class_<PyRunner>(m, "Runner",
                       "The engine's scenario runner. Each case gets its own server (or the "
                       "target), fakes and transcript; run() runs sanity first and last.")
      .def(py::init<const std::string&, std::optional<py::object>, py::object, std::optional<std::string>,
                    std::optional<std::string>, uint64_t, int, double, std::vector<std::string>,
                    std::vector<std::string>, std::optional<py::object>, std::optional<py::object>, bool>(),
           py::arg("server") = "redis-server", py::arg("server_command") = std::nullopt,
           py::arg("server_config") = py::none(), py::arg("target") = std::nullopt,
           py::arg("password") = std::nullopt, py::arg("seed") = 1, py::arg("jobs") = 1,
           py::arg("step_timeout") = 10.0, py::arg("only") = std::vector<std::string>{},
           py::arg("skip") = std::vector<std::string>{}, py::arg("profile") = std::nullopt,
           py::arg("transcripts") = std::nullopt, py::arg("keep_dirs") = false)
      .def("run", &PyRunner::Run, py::arg("scenarios"), "Runs the selected cases; GIL released.")
      .def("run_case", &PyRunner::RunCase, py::arg("scenario"), "Runs one case to its verdict; never raises.")
      .def_property_readonly("server", &PyRunner::description)
      .def_property_readonly("seed", &PyRunner::seed)
      .def_property_readonly("profile", &PyRunner::profile);

  m.def("summarize", &Summarize, py::arg("results"));
  m.def("write_reports", &WriteReports, py::arg("results"), py::arg("json") = std::nullopt,
        py::arg("junit") = std::nullopt, py::arg("seed") = 1, py::arg("server") = "",
        "Writes the CLI's JSON and/or JUnit XML report for these results.");
  m.def("harness_version", [] { return std::string(kHarnessVersion); });
}

}  // namespace conformance::python
