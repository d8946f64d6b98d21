#include "harness/scenario/runner.h"

#include <sys/wait.h>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/io_context.hpp>
#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "harness/net/run_sync.h"
#include "harness/net/timeout.h"
#include "harness/rules/catalogue.h"
#include "harness/scenario/applicability.h"
#include "harness/scenario/context.h"
#include "harness/scenario/schema.h"
#include "harness/scenario/steps.h"
#include "harness/server/log_findings.h"
#include "harness/server/readiness.h"

namespace conformance::scenario {

namespace {

using Clock = std::chrono::steady_clock;
using namespace asio::experimental::awaitable_operators;

constexpr size_t kTranscriptTailEvents = 14;
constexpr size_t kLogTailLines = 100;  // read for findings too; reports keep them all
constexpr size_t kLogFindingLines = 6;
// How long a failed case waits for a dying server to be seen dead (only while it is dying:
// a live server is polled until the deadline, which bounds the cost of a plain failure).
constexpr std::chrono::milliseconds kCrashAttributionWait{2000};
constexpr net::Duration kHardDeadlineMargin{5000};

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string Indent(const std::string& text, const std::string& prefix) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out += prefix + text.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out;
}

std::optional<std::string> ConfigValue(const std::vector<std::pair<std::string, std::string>>& config,
                                       const std::string& name) {
  std::optional<std::string> value;
  for (const auto& [key, v] : config) {
    if (key == name) value = v;
  }
  if (value && value->size() >= 2 && value->front() == '"' && value->back() == '"') {
    value = value->substr(1, value->size() - 2);
  }
  return value;
}

// Runs one step with its own deadline and a hard deadline behind it, so that even a step that
// forgot a deadline cannot hang the case.
net::Awaitable<StepStatus> RunStepWithDeadline(CaseContext& ctx, const Step& step,
                                               net::Duration hard_deadline) {
  asio::steady_timer timer(co_await asio::this_coro::executor, hard_deadline);
  auto result = co_await (ExecuteStep(ctx, step) || timer.async_wait(net::kNoThrow));
  if (result.index() == 1) {
    co_return Error{fmt::format("the step did not finish within its hard deadline of {} ms",
                                hard_deadline.count()),
                    ErrorKind::kTimeout};
  }
  co_return std::get<0>(std::move(result));
}

// The first capability a check step reads with that the server lacks.
std::optional<std::string> MissingCheckNeed(const server::ServerTraits& traits,
                                            const std::string& kind) {
  for (const std::string& need : CheckNeeds(kind)) {
    if (!traits.Has(need)) return need;
  }
  return std::nullopt;
}

// Connects the admin client (and authenticates), then runs the steps in order.
// A step ahead of `server.replicaof` that writes to the server needs it to be a master first,
// which a server that can only start as a replica never is.
std::optional<std::string> WriteBeforeReplicaOf(const Scenario& scenario) {
  for (const Step& step : scenario.steps) {
    if (step.kind == "server.replicaof") break;
    if (step.kind == "load" || step.kind == "workload" || step.kind == "admin" ||
        step.kind == "config") {
      return step.kind + " at " + step.location.ToString();
    }
  }
  return std::nullopt;
}

// The steps that run before the server starts when it must start as a replica: the
// `master.listen` steps ahead of the first `server.replicaof`.
std::vector<size_t> StepsBeforeStart(const Scenario& scenario) {
  std::vector<size_t> steps;
  for (size_t i = 0; i < scenario.steps.size(); ++i) {
    if (scenario.steps[i].kind == "server.replicaof") break;
    if (scenario.steps[i].kind == "master.listen") steps.push_back(i);
  }
  return steps;
}

net::Awaitable<Status> RunStepsBeforeStart(CaseContext& ctx, const std::vector<size_t>& steps,
                                           CaseResult& result) {
  for (size_t i : steps) {
    const Step& step = ctx.scenario->steps[i];
    StepOutcome outcome;
    outcome.name = step.kind;
    outcome.location = step.location.ToString();
    ctx.transcript.Note("step", fmt::format("{} {} at {} (before the server starts)", i + 1,
                                            step.kind, outcome.location));
    const auto started = Clock::now();
    Status status = co_await RunStepWithDeadline(ctx, step, ctx.step_timeout + kHardDeadlineMargin);
    outcome.seconds = SecondsSince(started);
    outcome.verdict = status.ok() ? Verdict::kPass : VerdictForStepError(status.error().kind);
    if (!status.ok()) outcome.message = status.message();
    result.steps.push_back(outcome);
    if (!status.ok()) co_return status;
  }
  co_return OkStatus();
}

// Strict by default: a protocol rule a fake peer saw broken fails a case that otherwise
// passed, unless the scenario allows that rule by name (allow-violations). A case that failed
// on its own keeps its verdict, and the rules seen broken are added to its evidence.
void AccountForBrokenRules(const CaseContext& ctx, CaseResult& result) {
  if (result.verdict != Verdict::kPass && result.verdict != Verdict::kFail) return;
  const std::vector<std::string>& allowed = ctx.scenario->allowed_violations;
  std::vector<std::string> broken_ids;
  std::string text;
  auto note = [&](const std::string& peer, const rules::Violation& violation) {
    if (std::find(allowed.begin(), allowed.end(), violation.rule) != allowed.end()) return;
    text += fmt::format("{}{} saw {}", text.empty() ? "" : "\n", peer, violation.ToString());
    const std::string id(violation.rule);
    if (std::find(broken_ids.begin(), broken_ids.end(), id) == broken_ids.end()) {
      broken_ids.push_back(id);
    }
  };
  for (const auto& [name, replica] : ctx.replicas) {
    for (const rules::Violation& violation : replica->stats().violations) {
      note(fmt::format("the fake replica '{}'", name), violation);
    }
  }
  for (const auto& [name, master] : ctx.masters) {
    for (const rules::Violation& violation : master->stats().violations) {
      note(fmt::format("the fake master '{}'", name), violation);
    }
  }
  if (broken_ids.empty()) return;
  StepOutcome outcome;
  outcome.name = "end of case: protocol rules";
  outcome.location = ctx.scenario->file;
  outcome.verdict = Verdict::kFail;
  outcome.message = text;
  result.steps.push_back(outcome);
  if (result.verdict == Verdict::kPass) {
    result.verdict = Verdict::kFail;
    result.reason = text.substr(0, text.find('\n'));
  }
  // The rules broken come first in the report.
  for (const std::string& id : result.rules) {
    if (std::find(broken_ids.begin(), broken_ids.end(), id) == broken_ids.end()) broken_ids.push_back(id);
  }
  result.rules = broken_ids;
}

net::Awaitable<void> RunSteps(CaseContext& ctx, CaseResult& result, Clock::time_point case_deadline,
                              std::vector<size_t> already_run) {
  auto admin = co_await server::Admin::Connect(ctx.host, ctx.port, &ctx.transcript, ctx.step_timeout);
  if (!admin.ok()) {
    result.verdict = Verdict::kError;
    result.reason = "cannot connect to the server under test: " + admin.message();
    co_return;
  }
  ctx.admin = std::move(admin).value();
  if (ctx.password) {
    Status auth = co_await ctx.admin->Auth(std::nullopt, *ctx.password);
    if (!auth.ok()) {
      result.verdict = Verdict::kError;
      result.reason = "the harness cannot authenticate: " + auth.message();
      co_return;
    }
  }
  // The baseline of check.stats. A server that cannot answer INFO here is not ready for the
  // case: say so rather than blame the first step.
  auto stats = co_await ReadSyncStats(ctx);
  if (!stats.ok()) {
    result.verdict = VerdictForStepError(stats.error().kind);
    result.reason = "reading INFO stats before the first step failed: " + stats.message();
    co_return;
  }
  ctx.stats_baseline = *stats;

  const net::Duration default_step_timeout = ctx.step_timeout;
  for (size_t i = 0; i < ctx.scenario->steps.size(); ++i) {
    if (std::find(already_run.begin(), already_run.end(), i) != already_run.end()) continue;
    const Step& step = ctx.scenario->steps[i];
    StepOutcome outcome;
    outcome.name = step.kind;
    outcome.location = step.location.ToString();
    const auto started = Clock::now();
    if (started >= case_deadline) {
      result.verdict = Verdict::kFail;
      result.reason = fmt::format("the case ran out of its {} ms deadline before step {} ({})",
                                  ctx.scenario->timeout.count(), i + 1, step.kind);
      co_return;
    }
    if (auto missing = MissingCheckNeed(*ctx.traits, step.kind)) {
      outcome.verdict = Verdict::kSkip;
      outcome.message = fmt::format("left out: needs '{}', which {} lacks", *missing,
                                    ctx.traits->Describe());
      ctx.transcript.Note("step", fmt::format("{} {}: {}", i + 1, step.kind, outcome.message));
      result.steps.push_back(outcome);
      continue;
    }
    const Args args(step, ctx.scenario->bindings);
    ctx.step_timeout =
        net::Duration(args.Int("timeout-ms").value_or(default_step_timeout.count()));
    const auto left = std::chrono::duration_cast<net::Duration>(case_deadline - started);
    ctx.transcript.Note("step", fmt::format("{} {} at {}", i + 1, step.kind, outcome.location));
    StepStatus status = co_await RunStepWithDeadline(
        ctx, step, std::min(left, ctx.step_timeout + kHardDeadlineMargin));
    outcome.seconds = SecondsSince(started);
    outcome.verdict = status.ok() ? Verdict::kPass : VerdictForStepError(status.error().kind);
    if (!status.ok()) outcome.message = status.message();
    if (outcome.verdict == Verdict::kSkip) {
      // The steps after it build on what it did: the case stops here, not applicable.
      ctx.transcript.Note("step", "skipped: " + status.message());
      result.steps.push_back(outcome);
      result.verdict = Verdict::kSkip;
      result.reason = fmt::format("{}: {}", step.kind, status.message());
      co_return;
    } else if (outcome.verdict != Verdict::kPass) {
      ctx.transcript.Note("step", fmt::format("{}: {}", outcome.verdict == Verdict::kError
                                                            ? "scenario or harness fault"
                                                            : "failed",
                                              status.message()));
    }
    result.steps.push_back(outcome);
    if (outcome.verdict == Verdict::kFail || outcome.verdict == Verdict::kError) {
      result.verdict = outcome.verdict;
      result.reason = fmt::format("step {} {}{}: {}", i + 1, step.kind,
                                  outcome.verdict == Verdict::kError ? " (scenario or harness fault)" : "",
                                  status.message().substr(0, status.message().find('\n')));
      co_return;
    }
  }
}

}  // namespace

bool GlobMatches(const std::string& glob, const std::string& id) {
  return fnmatch(glob.c_str(), id.c_str(), 0) == 0;
}

std::vector<const Scenario*> SelectCases(const std::vector<Scenario>& scenarios,
                                         const RunOptions& options) {
  std::vector<const Scenario*> selected;
  for (const Scenario& scenario : scenarios) {
    bool wanted = options.only.empty();
    for (const std::string& glob : options.only) wanted = wanted || GlobMatches(glob, scenario.id);
    for (const std::string& glob : options.skip) wanted = wanted && !GlobMatches(glob, scenario.id);
    if (wanted) selected.push_back(&scenario);
  }
  return selected;
}

Runner::Runner(RunOptions options, RunCallbacks callbacks)
    : options_(std::move(options)), callbacks_(std::move(callbacks)) {}

std::vector<CaseResult> Runner::Run(const std::vector<Scenario>& scenarios) {
  const std::vector<const Scenario*> selected = SelectCases(scenarios, options_);
  std::vector<const Scenario*> sanity;
  std::vector<const Scenario*> others;
  for (const Scenario* scenario : selected) (scenario->is_sanity ? sanity : others).push_back(scenario);

  std::vector<CaseResult> results;
  for (const Scenario* scenario : sanity) results.push_back(RunCase(*scenario));

  std::vector<CaseResult> parallel(others.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < others.size(); i = next++) parallel[i] = RunCase(*others[i]);
  };
  std::vector<std::thread> threads;
  const int jobs = std::max(1, std::min<int>(options_.jobs, static_cast<int>(others.size())));
  for (int i = 1; i < jobs; ++i) threads.emplace_back(worker);
  worker();
  for (std::thread& thread : threads) thread.join();
  for (CaseResult& result : parallel) results.push_back(std::move(result));

  for (const Scenario* scenario : sanity) results.push_back(RunCase(*scenario, "@last"));
  return results;
}

CaseResult Runner::RunCase(const Scenario& scenario, const std::string& id_suffix) {
  const auto started = Clock::now();
  if (callbacks_.on_case_start) callbacks_.on_case_start(scenario.id + id_suffix);
  CaseResult result;
  try {
    result = Execute(scenario);
  } catch (const std::exception& e) {
    result.verdict = Verdict::kError;
    result.reason = std::string("harness error: ") + e.what();
  }
  result.id = scenario.id + id_suffix;
  result.title = scenario.title;
  result.rule = scenario.rule;
  result.source = scenario.source;
  result.file = scenario.file;
  result.seconds = SecondsSince(started);
  ApplyExpectations(result);

  if (result.verdict == Verdict::kFail || result.verdict == Verdict::kXPass ||
      result.verdict == Verdict::kError) {
    std::string text = fmt::format("{} {} ({})\n", ToLabel(result.verdict), result.id, result.file);
    for (const StepOutcome& step : result.steps) {
      if (step.verdict == Verdict::kFail || step.verdict == Verdict::kError) {
        text += fmt::format("  step {} at {}\n", step.name, step.location);
        text += Indent(step.message, "    ");
      }
    }
    if (result.steps.empty() || (result.steps.back().verdict != Verdict::kFail &&
                                 result.steps.back().verdict != Verdict::kError)) {
      text += Indent(result.reason, "  ");
    }
    // The server's own words for what went wrong, where its log has any.
    if (const auto findings = server::LogFindings(result.server_log_tail, kLogFindingLines);
        !findings.empty()) {
      text += "  the server's log says:\n";
      for (const std::string& line : findings) text += "    " + line + "\n";
    }
    text += fmt::format("  rule: {}\n  source: {}\n", result.rule, result.source);
    for (const std::string& id : result.rules) {
      if (const rules::Rule* rule = rules::FindRule(id)) {
        text += fmt::format("  rule {}: {} ({})\n", rule->id, rule->title, rules::LinkTo(*rule));
      }
    }
    if (!result.transcript.empty()) {
      text += "  transcript tail:\n";
      const size_t lines = std::count(result.transcript.begin(), result.transcript.end(), '\n');
      size_t skip = lines > kTranscriptTailEvents ? lines - kTranscriptTailEvents : 0;
      size_t pos = 0;
      while (skip-- > 0) pos = result.transcript.find('\n', pos) + 1;
      text += Indent(result.transcript.substr(pos), "    ");
    }
    text += fmt::format("  reproduce with: --seed {} --only '{}'\n", result.seed, scenario.id);
    result.explanation = text;
  }
  if (callbacks_.on_case_end) callbacks_.on_case_end(result);
  return result;
}

CaseResult Runner::Execute(const Scenario& scenario) {
  CaseResult result;
  result.seed = options_.seed;
  for (const RuleCitation& citation : scenario.rules) result.rules.push_back(citation.id);
  for (const auto& [glob, reason] : options_.disabled) {
    if (GlobMatches(glob, scenario.id)) {
      result.verdict = Verdict::kSkip;
      result.reason = "disabled by the profile: " + reason;
      return result;
    }
  }

  if (options_.setup_error) {
    result.verdict = Verdict::kError;
    result.reason = *options_.setup_error;
    return result;
  }
  if (auto missing = WhyNotApplicable(scenario, options_.traits, options_.start_as_replica)) {
    result.verdict = Verdict::kSkip;
    result.reason = *missing;
    return result;
  }

  server::LaunchSpec spec;
  bool server_to_start = false;
  // Declared before the context: the fakes' sockets in it must go before their io_context does,
  // on every path out of this function.
  asio::io_context io;
  CaseContext ctx;
  ctx.traits = &options_.traits;
  ctx.scenario = &scenario;
  ctx.seed = options_.seed;
  ctx.step_timeout = options_.step_timeout;
  ctx.keyspace_read = options_.keyspace_read;
  std::unique_ptr<server::ServerProcess> server;

  if (options_.attach) {
    if (!scenario.server_config.empty() || !scenario.requires_levers.empty()) {
      result.verdict = Verdict::kSkip;
      result.reason = "needs its own server configuration, which an attached server cannot take";
      return result;
    }
    ctx.host = options_.attach->first;
    ctx.port = options_.attach->second;
    ctx.password = options_.attach_password;
  } else {
    spec = options_.launch;
    std::vector<std::string> left_out;
    for (auto& option : ConfigFor(scenario, options_.traits, &left_out)) spec.config.push_back(option);
    for (const std::string& note : left_out) ctx.transcript.Note("server", note);
    ctx.password = ConfigValue(spec.config, "requirepass");
    ctx.host = spec.host;
    server_to_start = true;
  }
  if (ctx.password) ctx.transcript.AddSecret(*ctx.password);

  const auto case_deadline = Clock::now() + scenario.timeout;
  std::vector<size_t> run_before_start;
  if (server_to_start && options_.start_as_replica && scenario.role == Role::kReplica) {
    if (auto write = WriteBeforeReplicaOf(scenario)) {
      result.verdict = Verdict::kSkip;
      result.reason = "writes to the server before making it a replica (" + *write +
                      "), but this server can only start as a replica";
      return result;
    }
    run_before_start = StepsBeforeStart(scenario);
    if (Status ready = net::RunSync(io, RunStepsBeforeStart(ctx, run_before_start, result));
        !ready.ok()) {
      result.verdict = Verdict::kError;
      result.reason = "a fake master could not be prepared before the server starts: " + ready.message();
      return result;
    }
    if (!ctx.masters.empty()) {
      const fakes::FakeMaster& master = *ctx.masters.begin()->second;
      spec.replica_of = std::make_pair(master.options().host, master.port());
      ctx.started_as_replica = true;
      ctx.transcript.Note("server", fmt::format("started as a replica of {}:{} (no runtime REPLICAOF)",
                                                master.options().host, master.port()));
    }
  }
  if (server_to_start) {
    auto spawned = server::ServerProcess::Spawn(spec, options_.registry);
    if (!spawned.ok()) {
      result.verdict = Verdict::kError;
      result.reason = "the server under test did not start: " + spawned.message();
      return result;
    }
    server = std::move(spawned).value();
    if (options_.keep_server_dirs) server->KeepDir();
    ctx.server = server.get();
    ctx.port = server->port();
  }
  if (server) {
    Status ready = net::RunSync(io, server::WaitUntilReady(*server, options_.launch.start_timeout,
                                                           &ctx.transcript, ctx.password));
    if (!ready.ok()) {
      result.verdict = Verdict::kError;
      result.reason = "the server under test did not become ready: " + ready.message();
      result.server_log_tail = ctx.transcript.Redact(server->LogTail(kLogTailLines));
      return result;
    }
  }
  net::RunSync(io, RunSteps(ctx, result, case_deadline, run_before_start));
  AccountForBrokenRules(ctx, result);

  // Tear down: fakes first, then the server; a server that died during the case is a failure.
  ctx.ReleasePeers();
  ctx.admin.reset();
  ctx.pending_admin.clear();
  if (server) {
    // A crash shows first as a reset or closed connection; the process may take a moment to be
    // seen dead, and the verdict should say it died rather than only that the link broke.
    if (result.verdict == Verdict::kFail) {
      const auto deadline = Clock::now() + kCrashAttributionWait;
      while (server->IsAlive() && Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polling a deadline
      }
    }
    const std::optional<int> status = server->IsAlive() ? std::nullopt : server->exit_status();
    const bool exited_on_its_own = status && WIFEXITED(*status);
    if (!scenario.may_exit.empty() && exited_on_its_own && result.verdict != Verdict::kFail) {
      ctx.transcript.Note("server", fmt::format("the server exited ({}), which this case allows: {}",
                                                server->DescribeExit(), scenario.may_exit));
    } else if (!server->IsAlive() && result.verdict != Verdict::kError) {
      const std::string exit = server->DescribeExit();
      if (result.verdict != Verdict::kFail) {
        result.verdict = Verdict::kFail;
        result.reason = "the server under test exited during the case: " + exit;
      } else {
        result.reason += " (the server under test exited: " + exit + ")";
      }
    }
    result.server_log_tail = ctx.transcript.Redact(server->LogTail(kLogTailLines));
    (void)server->Stop();
  }
  result.transcript = ctx.transcript.Render();
  return result;
}

void Runner::ApplyExpectations(CaseResult& result) const {
  for (const ExpectedFailure& expected : options_.expected_failures) {
    if (!GlobMatches(expected.glob, result.id)) continue;
    if (result.verdict == Verdict::kFail) {
      const std::string evidence = result.reason + "\n" + result.explanation;
      bool matches = expected.error_substring.empty() ||
                     evidence.find(expected.error_substring) != std::string::npos;
      for (const StepOutcome& step : result.steps) {
        matches = matches || step.message.find(expected.error_substring) != std::string::npos;
      }
      if (matches) {
        result.verdict = Verdict::kXFail;
        result.reason = "expected failure (" + expected.reason + "): " + result.reason;
      }
    } else if (result.verdict == Verdict::kPass) {
      result.verdict = Verdict::kXPass;
      result.reason = "passed, but the profile expects it to fail (" + expected.reason +
                      "): update the profile";
    }
    return;
  }
}

}  // namespace conformance::scenario
