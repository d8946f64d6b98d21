#include "harness/fuzz/campaign.h"

#include <fmt/format.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "harness/fuzz/master_target.h"
#include "harness/fuzz/minimize.h"
#include "harness/fuzz/replica_target.h"
#include "harness/fuzz/reproducer.h"
#include "harness/scenario/loader.h"
#include "harness/scenario/verdict.h"

namespace conformance::fuzz {

namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kProgressInterval = std::chrono::milliseconds(500);
// Inputs before a failure that are tried when it does not recur alone.
constexpr size_t kHistory = 4;

Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) return Error{"cannot write " + path, ErrorKind::kHarness};
  return OkStatus();
}

std::unique_ptr<Target> MakeTarget(const CampaignOptions& options) {
  if (options.role == TargetRole::kMaster) return std::make_unique<MasterTarget>(options.target);
  return std::make_unique<ReplicaTarget>(options.target);
}

class Campaign {
 public:
  explicit Campaign(const CampaignOptions& options) : options_(options), start_(Clock::now()) {}

  void Worker() {
    const std::unique_ptr<Target> made = MakeTarget(options_);
    Target& target = *made;
    if (Status started = target.Start(); !started.ok()) {
      AddError(started.message());
      return;
    }
    InputDomain domain = target.domain();
    domain.mutators = options_.mutators;
    const Probe probe = [&target](const std::vector<FuzzInput>& prefix, const FuzzInput& in) -> Result<Outcome> {
      CONFORMANCE_RETURN_IF_ERROR(target.Reset());
      for (const FuzzInput& before : prefix) {
        auto outcome = target.Run(before);
        if (!outcome.ok()) return outcome.error();
      }
      return target.Run(in);
    };
    // The inputs the server took since it last started: what a failure may depend on.
    std::vector<FuzzInput> history;
    uint64_t iteration = 0;
    while (NextIteration(&iteration)) {
      const FuzzInput input = DrawInput(options_.seed, iteration, domain);
      const int restarts = target.restarts();
      auto outcome = target.Run(input);
      if (!outcome.ok()) {
        AddError(fmt::format("iteration {}: {}", iteration, outcome.message()));
        return;  // the target could not go on (its server did not restart)
      }
      const std::vector<FuzzInput> before = history;
      if (target.restarts() != restarts) {
        history.clear();
      } else {
        history.push_back(input);
        if (history.size() > kHistory) history.erase(history.begin());
      }
      if (!Count(input, *outcome)) continue;
      auto minimized = Minimize(before, input, *outcome->finding, probe, options_.max_minimize_runs);
      history.clear();  // minimizing restarted the server
      if (!minimized.ok()) {
        AddError(fmt::format("minimizing iteration {}: {}", iteration, minimized.message()));
        return;
      }
      Keep(input, *outcome, std::move(minimized).value());
    }
    std::lock_guard lock(mutex_);
    stats_.restarts += target.restarts();
    stats_.restart_seconds += target.restart_seconds();
  }

  // Calls `progress` until every worker has ended.
  void Watch(int workers, const std::function<void(const CampaignStats&, double)>& progress) {
    std::unique_lock lock(mutex_);
    while (finished_ < workers) {
      done_.wait_for(lock, kProgressInterval);
      if (progress) progress(stats_, Seconds());
    }
  }
  void WorkerEnded() {
    std::lock_guard lock(mutex_);
    ++finished_;
    done_.notify_all();
  }

  void AddError(std::string error) {
    std::lock_guard lock(mutex_);
    errors_.push_back(std::move(error));
  }

  CampaignResult Finish() {
    CampaignResult result;
    result.seconds = Seconds();
    result.stats = stats_;
    result.failures = std::move(failures_);
    result.exits = std::move(exits_);
    result.errors = std::move(errors_);
    return result;
  }

 private:
  double Seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

  bool NextIteration(uint64_t* iteration) {
    if (Clock::now() - start_ >= options_.duration) return false;
    const uint64_t next = next_iteration_++;
    if (options_.iterations && next >= *options_.iterations) return false;
    *iteration = next;
    return true;
  }

  // Counts an outcome; true when it is a failure worth minimizing (a symptom not seen with
  // these mutators, and fewer than max_per_symptom kept for it).
  bool Count(const FuzzInput& input, const Outcome& outcome) {
    std::lock_guard lock(mutex_);
    ++stats_.iterations;
    ++stats_.reactions[ToString(outcome.reaction)];
    stats_.reaction_seconds[ToString(outcome.reaction)] += outcome.seconds;
    if (!outcome.finding) return false;
    const Finding& finding = *outcome.finding;
    if (!IsFailure(finding.oracle, options_.strict)) {
      for (ToleratedExit& exit : exits_) {
        if (exit.finding.Symptom() == finding.Symptom()) {
          ++exit.hits;
          return false;
        }
      }
      exits_.push_back({finding, input, 1});
      stats_.exits = exits_.size();
      return false;
    }
    int kept = 0;
    FoundFailure* last = nullptr;
    for (FoundFailure& failure : failures_) {
      if (failure.finding.Symptom() != finding.Symptom()) continue;
      if (failure.original.MutatorSummary() == input.MutatorSummary()) {
        ++failure.hits;
        return false;
      }
      ++kept;
      last = &failure;
    }
    if (last != nullptr && kept >= options_.max_per_symptom) {
      ++last->hits;
      return false;
    }
    return true;
  }

  void Keep(const FuzzInput& original, const Outcome& outcome, Minimized minimized) {
    FoundFailure failure;
    failure.finding = minimized.reproduced ? *minimized.outcome.finding : *outcome.finding;
    failure.input = minimized.input;
    failure.prefix = minimized.prefix;
    failure.original = original;
    failure.reproduced = minimized.reproduced;
    failure.minimize_runs = minimized.runs;
    failure.id = ReproducerId(failure.finding, failure.input);
    const std::string& transcript = minimized.reproduced ? minimized.outcome.transcript : outcome.transcript;
    {
      std::lock_guard lock(mutex_);
      for (FoundFailure& known : failures_) {
        if (known.id == failure.id) {
          ++known.hits;
          return;
        }
      }
    }
    std::error_code error;
    std::filesystem::create_directories(options_.out_dir, error);
    const auto& target = options_.target;
    auto yaml = ReproducerYaml(failure.id, failure.prefix, failure.input, failure.finding,
                               static_cast<int>(target.timeouts.settle.count()),
                               static_cast<int>(target.ping_timeout.count()), target.max_rss_mb);
    if (yaml.ok()) {
      failure.scenario_path = (std::filesystem::path(options_.out_dir) / (failure.id + ".yaml")).string();
      failure.transcript_path =
          (std::filesystem::path(options_.out_dir) / (failure.id + ".transcript.txt")).string();
      Status written = WriteFile(failure.scenario_path, *yaml);
      if (written.ok()) {
        std::string log;
        for (const std::string& line : failure.finding.log_lines) log += "  " + line + "\n";
        written = WriteFile(failure.transcript_path,
                            transcript + "\nserver log (warnings of this iteration):\n" + log);
      }
      if (!written.ok()) AddError(written.message());
    } else {
      AddError(fmt::format("writing {}: {}", failure.id, yaml.message()));
    }
    std::lock_guard lock(mutex_);
    failures_.push_back(std::move(failure));
    stats_.failures = failures_.size();
  }

  const CampaignOptions& options_;
  const Clock::time_point start_;
  std::atomic<uint64_t> next_iteration_{0};
  std::mutex mutex_;
  std::condition_variable done_;
  int finished_ = 0;
  CampaignStats stats_;
  std::vector<FoundFailure> failures_;
  std::vector<ToleratedExit> exits_;
  std::vector<std::string> errors_;
};

// Runs each failure's scenario file through the scenario runner, as `conformance run` would.
void Replay(const CampaignOptions& options, std::vector<FoundFailure>& failures) {
  for (FoundFailure& failure : failures) {
    if (failure.scenario_path.empty()) continue;
    auto loaded = scenario::LoadScenarios({failure.scenario_path});
    if (!loaded.ok() || loaded->size() != 1) {
      failure.replay_verdict = "ERROR";
      failure.replay_reason = loaded.ok() ? "the file holds no single case" : loaded.message();
      continue;
    }
    scenario::RunOptions run = options.run;
    run.jobs = 1;
    scenario::Runner runner(run, {});
    const scenario::CaseResult result = runner.RunCase(loaded->front());
    failure.replay_verdict = scenario::ToString(result.verdict);
    failure.replay_reason = result.reason;
  }
}

}  // namespace

CampaignResult RunCampaign(const CampaignOptions& options,
                           const std::function<void(const CampaignStats&, double)>& progress) {
  Campaign campaign(options);
  const int jobs = std::max(1, options.jobs);
  std::vector<std::thread> workers;
  for (int i = 0; i < jobs; ++i) {
    workers.emplace_back([&campaign] {
      // A harness bug ends this worker with an error in the report, never the process.
      try {
        campaign.Worker();
      } catch (const std::exception& e) {
        campaign.AddError(std::string("a fuzz worker stopped on a harness error: ") + e.what());
      }
      campaign.WorkerEnded();
    });
  }
  campaign.Watch(jobs, progress);
  for (std::thread& worker : workers) worker.join();
  CampaignResult result = campaign.Finish();
  if (options.replay) Replay(options, result.failures);
  return result;
}

}  // namespace conformance::fuzz
