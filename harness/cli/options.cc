#include "harness/cli/options.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <sstream>

namespace conformance::cli {

namespace {

template <typename T>
std::optional<T> ParseNumber(const std::string& text) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

std::string Usage() {
  return R"(usage: conformance <command> [options]

commands:
  run PATH...       run the scenario files and directories against a server
  list PATH...      list the cases the files define (ids, titles, rules)
  explain ID PATH...  show what a case checks, its rule, source and steps
  commands          print the keyspace model's command table as Markdown (what is modelled,
                    and why the rest is not); harness/keyspace/COMMANDS.md is this output
  rules PATH...     print the rule catalogue with the cases that cover each rule in each
                    dimension (value, boundary, timing); with --server or --target, only the
                    cases that apply to that server; with --matrix, one column per server;
                    --markdown prints harness/rules/RULES.md
  probe             start the server once and print what discovery learns of it (product,
                    release, commands, RDB version, directives, dialect, capabilities); takes
                    --server, --server-command, --server-config, --profile or --target
  fuzz              point a fuzzing fake master at the server (a replica): each iteration
                    sends a valid full sync changed by seeded mutators and watches for a crash,
                    a hang, memory growth or a corrupt load; each failure is minimized and
                    written as a scenario file that `run` replays. With --role master, a
                    fuzzing fake replica sends the server (a master) mutated handshakes,
                    PSYNCs and ACKs instead
  help              this text

run options:
  --server BINARY           server binary to start per case (default: redis-server)
  --matrix BIN1,BIN2,...    run every case against each binary; print one table (cases by
                            servers), also written to --json and --html; reports get a
                            per-server suffix
  --profile FILE            server profile (ci/profiles/*.yaml): dialect, capabilities,
                            disabled cases, expected failures (XFAIL; XPASS fails the run)
  --server-command TEMPLATE argv template, placeholders {binary} {port} {dir} {config} {host}
                            (default: "{binary} {config}")
  --server-config NAME=VALUE  extra config for every started server (repeatable)
  --target HOST:PORT        attach to a running server instead of starting one; cases that
                            need their own configuration are skipped with a reason
  --password PASSWORD       password of the --target server ($CONFORMANCE_PASSWORD also works)
  --only GLOB               run only cases whose id matches (repeatable)
  --skip GLOB               skip cases whose id matches (repeatable)
  --seed N                  seed of datasets, workloads and faults (default 1)
  -j N                      run N cases in parallel (default 1)
  --step-timeout-ms N       default deadline of each step (default 10000)
  --json FILE               write a JSON report
  --html FILE               write a static HTML page: cases by servers (one column without
                            --matrix), cells coloured by verdict and linked to transcripts
  --junit FILE              write a JUnit XML report
  --transcripts DIR         write one transcript file per case
  --keep-dirs               keep the started servers' directories
  --repeat N                run the selected cases N times with the same seed and report
                            every case whose verdict differs from the first run
  --repeat-until-failure    with --repeat N (default 100), stop at the first run whose
                            verdicts differ from the first, printing its iteration and seed
  -v, --verbose             print every case's steps

fuzz options (and --server, --server-command, --server-config, --profile, --seed, -j,
--json):
  --seconds N               time budget (default 60)
  --iterations N            input budget (stops at whichever budget ends first)
  --corpus DIR              where failures are written as DIR/<id>.yaml and a transcript
                            (default fuzz-findings)
  --settle-ms N             how long the server has to accept or refuse an input (default 300)
  --max-rss-mb N            the server's memory bound (default 1024)
  --role replica|master     the server's role: a replica of a fuzzing fake master (default),
                            or a master of a fuzzing fake replica
  --mutators GLOB,...       draw only from these mutators, e.g. "rdb.*,stream.inline" (as a
                            master: "psync.*,request.crlf")
  --strict                  count a server that stops itself on bad input (an exit or a
                            panic, with its reason logged) as a failure, not only crashes

exit codes: 0 all good, 1 a conformance failure or XPASS, 2 inconclusive, 3 infrastructure
error (the server did not start), 64 bad usage.
)";
}

Result<CliOptions> ParseOptions(const std::vector<std::string>& args) {
  CliOptions options;
  if (args.empty()) return Error{"missing command"};
  const std::string& command = args[0];
  if (command == "run") options.command = Command::kRun;
  else if (command == "list") options.command = Command::kList;
  else if (command == "explain") options.command = Command::kExplain;
  else if (command == "commands") options.command = Command::kCommands;
  else if (command == "probe") options.command = Command::kProbe;
  else if (command == "rules") options.command = Command::kRules;
  else if (command == "fuzz") options.command = Command::kFuzz;
  else if (command == "help" || command == "--help" || command == "-h") options.command = Command::kHelp;
  else return Error{fmt::format("unknown command '{}'", command)};
  if (const char* password = std::getenv("CONFORMANCE_PASSWORD")) options.password = password;

  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto value = [&](const char* flag) -> Result<std::string> {
      if (i + 1 >= args.size()) return Error{fmt::format("{} needs a value", flag)};
      return args[++i];
    };
    auto take = [&](const char* flag, std::string* out) -> Status {
      auto v = value(flag);
      if (!v.ok()) return v.error();
      *out = *v;
      return OkStatus();
    };
    std::string text;
    if (arg == "--server") {
      CONFORMANCE_RETURN_IF_ERROR(take("--server", &options.server));
      options.server_given = true;
    } else if (arg == "--matrix") {
      CONFORMANCE_RETURN_IF_ERROR(take("--matrix", &text));
      options.matrix.clear();
      std::istringstream items(text);
      for (std::string binary; std::getline(items, binary, ',');) {
        if (!binary.empty()) options.matrix.push_back(binary);
      }
      if (options.matrix.empty()) return Error{"--matrix takes BINARY,BINARY,..."};
    } else if (arg == "--profile") {
      CONFORMANCE_RETURN_IF_ERROR(take("--profile", &options.profile_path));
    } else if (arg == "--server-command") {
      CONFORMANCE_RETURN_IF_ERROR(take("--server-command", &text));
      std::istringstream words(text);
      options.server_command.clear();
      for (std::string word; words >> word;) options.server_command.push_back(word);
      if (options.server_command.empty()) return Error{"--server-command is empty"};
    } else if (arg == "--server-config") {
      CONFORMANCE_RETURN_IF_ERROR(take("--server-config", &text));
      const size_t eq = text.find('=');
      if (eq == std::string::npos || eq == 0) return Error{"--server-config takes NAME=VALUE"};
      options.server_config.emplace_back(text.substr(0, eq), text.substr(eq + 1));
    } else if (arg == "--target") {
      CONFORMANCE_RETURN_IF_ERROR(take("--target", &text));
      const size_t colon = text.rfind(':');
      auto port = colon == std::string::npos ? std::nullopt : ParseNumber<uint16_t>(text.substr(colon + 1));
      if (!port || colon == 0) return Error{"--target takes HOST:PORT"};
      options.target = std::make_pair(text.substr(0, colon), *port);
    } else if (arg == "--password") {
      CONFORMANCE_RETURN_IF_ERROR(take("--password", &text));
      options.password = text;
    } else if (arg == "--only") {
      CONFORMANCE_RETURN_IF_ERROR(take("--only", &text));
      options.only.push_back(text);
    } else if (arg == "--skip") {
      CONFORMANCE_RETURN_IF_ERROR(take("--skip", &text));
      options.skip.push_back(text);
    } else if (arg == "--seed") {
      CONFORMANCE_RETURN_IF_ERROR(take("--seed", &text));
      auto seed = ParseNumber<uint64_t>(text);
      if (!seed) return Error{"--seed takes a non-negative integer"};
      options.seed = *seed;
    } else if (arg == "-j" || arg == "--jobs") {
      CONFORMANCE_RETURN_IF_ERROR(take("-j", &text));
      auto jobs = ParseNumber<int>(text);
      if (!jobs || *jobs < 1 || *jobs > 256) return Error{"-j takes an integer from 1 to 256"};
      options.jobs = *jobs;
    } else if (arg.starts_with("-j") && arg.size() > 2) {
      auto jobs = ParseNumber<int>(arg.substr(2));
      if (!jobs || *jobs < 1 || *jobs > 256) return Error{"-j takes an integer from 1 to 256"};
      options.jobs = *jobs;
    } else if (arg == "--step-timeout-ms") {
      CONFORMANCE_RETURN_IF_ERROR(take("--step-timeout-ms", &text));
      auto ms = ParseNumber<int64_t>(text);
      if (!ms || *ms <= 0) return Error{"--step-timeout-ms takes a positive integer"};
      options.step_timeout_ms = *ms;
    } else if (arg == "--json") {
      CONFORMANCE_RETURN_IF_ERROR(take("--json", &options.json_path));
    } else if (arg == "--html") {
      CONFORMANCE_RETURN_IF_ERROR(take("--html", &options.html_path));
    } else if (arg == "--junit") {
      CONFORMANCE_RETURN_IF_ERROR(take("--junit", &options.junit_path));
    } else if (arg == "--transcripts") {
      CONFORMANCE_RETURN_IF_ERROR(take("--transcripts", &options.transcript_dir));
    } else if (arg == "--repeat") {
      CONFORMANCE_RETURN_IF_ERROR(take("--repeat", &text));
      auto repeat = ParseNumber<int>(text);
      if (!repeat || *repeat < 1) return Error{"--repeat takes a positive integer"};
      options.repeat = *repeat;
    } else if (arg == "--repeat-until-failure") {
      options.repeat_until_failure = true;
    } else if (arg == "--seconds") {
      CONFORMANCE_RETURN_IF_ERROR(take("--seconds", &text));
      auto seconds = ParseNumber<int64_t>(text);
      if (!seconds || *seconds <= 0) return Error{"--seconds takes a positive integer"};
      options.fuzz_seconds = *seconds;
    } else if (arg == "--iterations") {
      CONFORMANCE_RETURN_IF_ERROR(take("--iterations", &text));
      auto iterations = ParseNumber<uint64_t>(text);
      if (!iterations || *iterations == 0) return Error{"--iterations takes a positive integer"};
      options.fuzz_iterations = *iterations;
    } else if (arg == "--corpus") {
      CONFORMANCE_RETURN_IF_ERROR(take("--corpus", &options.fuzz_corpus));
    } else if (arg == "--settle-ms") {
      CONFORMANCE_RETURN_IF_ERROR(take("--settle-ms", &text));
      auto ms = ParseNumber<int64_t>(text);
      if (!ms || *ms <= 0) return Error{"--settle-ms takes a positive integer"};
      options.fuzz_settle_ms = *ms;
    } else if (arg == "--max-rss-mb") {
      CONFORMANCE_RETURN_IF_ERROR(take("--max-rss-mb", &text));
      auto mb = ParseNumber<uint64_t>(text);
      if (!mb || *mb == 0) return Error{"--max-rss-mb takes a positive integer"};
      options.fuzz_max_rss_mb = *mb;
    } else if (arg == "--mutators") {
      CONFORMANCE_RETURN_IF_ERROR(take("--mutators", &text));
      std::istringstream items(text);
      for (std::string glob; std::getline(items, glob, ',');) {
        if (!glob.empty()) options.fuzz_mutators.push_back(glob);
      }
      if (options.fuzz_mutators.empty()) return Error{"--mutators takes GLOB,GLOB,..."};
    } else if (arg == "--strict") {
      options.fuzz_strict = true;
    } else if (arg == "--role") {
      CONFORMANCE_RETURN_IF_ERROR(take("--role", &text));
      if (text != "replica" && text != "master") return Error{"--role takes replica or master"};
      options.fuzz_role_master = text == "master";
    } else if (arg == "--markdown") {
      options.markdown = true;
    } else if (arg == "--keep-dirs") {
      options.keep_dirs = true;
    } else if (arg == "-v" || arg == "--verbose") {
      options.verbose = true;
    } else if (arg.starts_with("-")) {
      return Error{fmt::format("unknown option '{}'", arg)};
    } else if (options.command == Command::kExplain && options.explain_id.empty()) {
      options.explain_id = arg;
    } else {
      options.paths.push_back(arg);
    }
  }
  if (options.command == Command::kCommands) {
    // It prints a fixed table: an option or path given to it is a mistake worth reporting.
    if (args.size() > 1) return Error{fmt::format("commands takes no arguments, not '{}'", args[1])};
    return options;
  }
  if (options.command == Command::kProbe) {
    if (!options.paths.empty()) return Error{fmt::format("probe takes no paths, not '{}'", options.paths[0])};
    return options;
  }
  if (options.command == Command::kFuzz) {
    if (!options.paths.empty()) return Error{fmt::format("fuzz takes no paths, not '{}'", options.paths[0])};
    if (options.target) return Error{"fuzz restarts the server it fuzzes; it cannot attach with --target"};
    if (!options.matrix.empty()) return Error{"fuzz runs one server; it cannot be combined with --matrix"};
    return options;
  }
  if (options.command != Command::kHelp && options.paths.empty()) {
    return Error{"give at least one scenario file or directory"};
  }
  if (options.repeat_until_failure && options.repeat == 1) options.repeat = 100;
  if (options.repeat > 1 && !options.matrix.empty()) {
    return Error{"--repeat runs one server; it cannot be combined with --matrix"};
  }
  if (!options.matrix.empty() && options.target) {
    return Error{"--matrix starts each server itself; it cannot be combined with --target"};
  }
  if (options.command == Command::kExplain && options.explain_id.empty()) {
    return Error{"explain needs a case id"};
  }
  return options;
}

}  // namespace conformance::cli
