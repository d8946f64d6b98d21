#include "harness/fuzz/reproducer.h"

#include <fmt/format.h>

#include "harness/rules/ids.h"

namespace conformance::fuzz {

namespace {

uint32_t Fnv1a(std::string_view text) {
  uint32_t hash = 2166136261u;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619u;
  }
  return hash;
}

// Text for a folded YAML block: one line, no control characters.
std::string PlainText(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    out.push_back(byte < 0x20 || byte >= 0x7f ? '?' : c);
  }
  return out;
}

}  // namespace

std::string ReproducerId(const Finding& finding, const FuzzInput& input) {
  return fmt::format("fuzz.{}.{}.{:08x}", ToString(input.role), ToString(finding.oracle),
                     Fnv1a(finding.Class() + "|" + input.MutatorSummary()));
}

std::string QuotedBytes(std::string_view bytes) {
  std::string out = "'";
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\'') {
      out += "''";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (byte < 0x20 || byte >= 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out.push_back(c);
    }
  }
  return out + "'";
}

namespace {

const char* Peer(const FuzzInput& input) { return input.role == TargetRole::kMaster ? "replica" : "master"; }

std::string Describe(const FuzzInput& input) {
  std::string mutations;
  for (const Mutation& mutation : input.mutations) {
    mutations += fmt::format("{}{} (seed {})", mutations.empty() ? "" : ", ", mutation.mutator,
                             mutation.seed);
  }
  if (input.role == TargetRole::kMaster) {
    const RequestOptions& requests = input.requests;
    return fmt::format("a valid replica handshake ({}, {} ACKs) changed by: {}",
                       !requests.psync ? "SYNC" : requests.partial ? "PSYNC at the master's position" : "PSYNC ? -1",
                       requests.acks, mutations.empty() ? "nothing" : mutations);
  }
  return fmt::format("a valid full sync ({} keys, RDB {}, {} framing, {} stream commands) changed "
                     "by: {}{}",
                     input.exchange.keys, input.exchange.rdb_version,
                     input.exchange.eof_framing ? "$EOF" : "$<len>", input.exchange.stream_commands,
                     mutations.empty() ? "nothing" : mutations,
                     input.fix_checksum ? ", with the RDB checksum recomputed" : "");
}

// One master.exchange step for `input`, with the replies that differ from the valid ones.
Result<std::string> ExchangeStep(const FuzzInput& input, int settle_ms) {
  auto exchange = Render(input);
  if (!exchange.ok()) return exchange.error();
  auto valid = BuildExchange(input.exchange);
  if (!valid.ok()) return valid.error();
  std::string step = fmt::format("  # iteration {}: {}\n  - master.exchange:\n", input.iteration,
                                 input.MutatorSummary());
  std::string replies;
  for (const auto& [name, reply] : exchange->handshake_replies) {
    if (valid->handshake_replies.at(name) == reply) continue;
    replies += fmt::format("{}\"{}\": {}", replies.empty() ? "" : ", ", name, QuotedBytes(reply));
  }
  if (!replies.empty()) step += "      replies: {" + replies + "}\n";
  step += "      raw: " + QuotedBytes(exchange->AfterHandshake()) + "\n";
  step += fmt::format("      settle-ms: {}\n", settle_ms);
  return step;
}

// One replica.exchange step for `input`: its requests, placeholders unfilled.
Result<std::string> RequestsStep(const FuzzInput& input, int settle_ms) {
  auto requests = RenderRequests(input);
  if (!requests.ok()) return requests.error();
  std::string step = fmt::format("  # iteration {}: {}\n  - replica.exchange:\n      requests:\n", input.iteration,
                                 input.MutatorSummary());
  for (const Request& request : requests->items) step += "        - " + QuotedBytes(request.bytes) + "\n";
  step += fmt::format("      settle-ms: {}\n", settle_ms);
  return step;
}

Result<std::string> Step(const FuzzInput& input, int settle_ms) {
  return input.role == TargetRole::kMaster ? RequestsStep(input, settle_ms) : ExchangeStep(input, settle_ms);
}

}  // namespace

Result<std::string> ReproducerYaml(const std::string& id, const std::vector<FuzzInput>& prefix,
                                   const FuzzInput& input, const Finding& finding, int settle_ms,
                                   int ping_timeout_ms, uint64_t max_rss_mb) {
  std::string yaml;
  yaml += fmt::format("# Written by conformance fuzz: seed {}, iteration {}.\n", input.seed, input.iteration);
  yaml += "id: " + id + "\n";
  yaml += fmt::format("title: \"Fuzz: {} after {}\"\n", ToString(finding.oracle), input.MutatorSummary());
  yaml += "rule: >\n";
  yaml += "  " + PlainText(finding.what) + ".\n";
  for (const FuzzInput& before : prefix) {
    yaml += fmt::format("  First (iteration {}) the fake {} sent {}.\n", before.iteration, Peer(before), Describe(before));
  }
  yaml += fmt::format("  {} the fake {} sent {}.\n", prefix.empty() ? "The" : "Then", Peer(input), Describe(input));
  for (const std::string& line : finding.log_lines) yaml += "  Server log: " + PlainText(line) + "\n";
  yaml += fmt::format("source: conformance fuzz --seed {} (iteration {})\n", input.seed, input.iteration);
  const bool master = input.role == TargetRole::kMaster;
  const std::string_view survives = master ? rules::kMasterSurvivesReplicaInput : rules::kSurvivesMalformedInput;
  yaml += fmt::format("rules: {{{}: [value]}}\n", finding.rule.empty() ? survives : finding.rule);
  yaml += fmt::format("role: {}\n", ToString(input.role));
  if (!master) yaml += "server:\n  requires: [replicaof]\n";
  if (master && input.requests.psync) yaml += "server:\n  requires: [psync]\n";
  yaml += "steps:\n";
  for (const FuzzInput& before : prefix) {
    auto step = Step(before, settle_ms);
    if (!step.ok()) return step.error();
    yaml += *step;
  }
  auto step = Step(input, settle_ms);
  if (!step.ok()) return step.error();
  yaml += *step;
  yaml += fmt::format("  - check.alive: {{ping-timeout-ms: {}, max-rss-mb: {}}}\n", ping_timeout_ms, max_rss_mb);
  if (finding.oracle == Oracle::kCorruptLoad) yaml += "  - check.replica-link: {status: down}\n";
  return yaml;
}

}  // namespace conformance::fuzz
