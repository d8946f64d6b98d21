// A replication rule the harness checks: a stable id, the rule in the project's own words, where
// each server implements it, and which dimensions of it the suite must catch a server breaking.
// The catalogue (catalogue.h) is the one place rule ids are defined; scenarios cite them under
// `rules:`, fake peers name them in the violations they record, and reports link to RULES.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace conformance::rules {

// How a rule can be broken, and so how a case must look to catch it.
enum class Dimension : uint8_t {
  kValue,     // a wrong offset, replid, reply, byte count or keyspace
  kBoundary,  // the first and last valid values and one past each (offsets, versions, lengths)
  kTiming,    // order and promptness: what must happen before what, and how soon
};
const char* ToString(Dimension dimension);
std::optional<Dimension> ParseDimension(std::string_view text);

// Where one server implements the rule: "replication.c syncWithMaster".
struct SourceRef {
  std::string_view server;  // Redis, Valkey, KeyDB, Dragonfly
  std::string_view where;   // file and functions; "-" when the rule does not apply to it
};

struct Rule {
  std::string_view id;     // stable: H1, M3, ... (letter: the topic's side of the link)
  std::string_view topic;  // handshake, psync, transfer, stream, ack, expiry, auth, types
  std::string_view title;  // one line
  std::string_view text;   // the rule, whole
  std::string_view applies_to;  // releases and dialects it holds for
  std::vector<SourceRef> sources;
  std::vector<Dimension> dimensions;  // those the suite must cover

  bool Has(Dimension dimension) const;
  // The anchor of the rule in RULES.md ("m3").
  std::string Anchor() const;
};

}  // namespace conformance::rules
