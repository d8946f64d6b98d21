#include "harness/server/traits.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace conformance::server {

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::optional<Version> Version::Parse(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) continue;
    Version version;
    int* parts[] = {&version.major, &version.minor, &version.patch};
    size_t pos = i;
    int count = 0;
    while (count < 3 && pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      const auto [end, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), *parts[count]);
      if (ec != std::errc()) break;
      pos = static_cast<size_t>(end - text.data());
      ++count;
      if (pos < text.size() && text[pos] == '.') ++pos;
      else break;
    }
    // A lone number ("v8") is no release; "2.6" is.
    if (count >= 2) return version;
    i = pos;
  }
  return std::nullopt;
}

std::string Version::ToString() const { return fmt::format("{}.{}.{}", major, minor, patch); }

bool ServerTraits::Has(std::string_view capability) const {
  return capabilities.count(std::string(capability)) > 0;
}

bool ServerTraits::HasCommand(std::string_view name) const {
  return !commands || commands->count(Lower(name)) > 0;
}

bool ServerTraits::TakesDirective(std::string_view name) const {
  // Directives every Redis release since 2.6 takes in its config file.
  static const std::set<std::string> kUniversal = {"bind", "port", "dir", "daemonize",
                                                   "appendonly", "save", "requirepass",
                                                   "masterauth", "dbfilename"};
  if (!config_file) return false;
  const std::string lower = Lower(name);
  if (config_directives) return config_directives->count(lower) > 0;
  return kUniversal.count(lower) > 0;
}

bool ServerTraits::HasForm(std::string_view form) const {
  return !forms_probed || command_forms.count(std::string(form)) > 0;
}

bool ServerTraits::Accepts(const std::vector<std::string>& argv) const {
  if (argv.empty() || !HasCommand(argv[0])) return false;
  for (const std::string& form : FormsOf(argv)) {
    if (!HasForm(form)) return false;
  }
  return true;
}

std::string ServerTraits::Describe() const {
  if (product == "unknown") return "the server (product unknown)";
  if (!version) return product;
  return fmt::format("{} {}", product, version->ToString());
}

const std::vector<std::pair<std::string, std::string>>& KnownCapabilities() {
  static const std::vector<std::pair<std::string, std::string>> kCapabilities = {
      {"sync", "the legacy SYNC command"},
      {"psync", "PSYNC with +FULLRESYNC/+CONTINUE (Redis >= 2.8)"},
      {"psync2", "+CONTINUE <replid> and replid2 continuation (Redis >= 4.0)"},
      {"partial-resync", "a backlog: a master continues a PSYNC within it, a replica asks to "
                         "continue after a reconnect (Redis >= 2.8)"},
      {"sync-fallback", "a replica whose PSYNC is refused retries with SYNC (Redis >= 2.8)"},
      {"eof", "diskless transfers framed $EOF:<mark> (capa eof)"},
      {"role", "the ROLE command"},
      {"wait", "the WAIT command"},
      {"getack", "REPLCONF GETACK from the master is answered with REPLCONF ACK (Redis >= 3.0)"},
      {"select", "more than one database, reached with SELECT"},
      {"auth", "requirepass and AUTH (a password the harness can set)"},
      {"masterauth", "a replica authenticates to its master (masterauth)"},
      {"info-replication", "INFO replication reports offsets and replica states"},
      {"sync-stats", "INFO stats counts full and partial syncs (sync_full, sync_partial_ok)"},
      {"config-set", "CONFIG SET of replication parameters at run time"},
      {"replicaof", "REPLICAOF (or SLAVEOF) at run time"},
      {"replicaof-at-start", "becomes a replica only when started so (config line or flag, see "
                             "LaunchSpec::replica_of); replica cases then start it pointed at the "
                             "fake master"},
      {"restart", "the harness may restart the server in place, keeping its dir"},
      {"debug", "DEBUG commands (DIGEST, SLEEP, ...) are enabled"},
      {"dump", "DUMP payloads the harness's RDB reader decodes"},
      {"functions", "FUNCTION LOAD and functions in the RDB (Redis >= 7.0)"},
      {"streams", "the stream type (XADD, consumer groups; Redis >= 5.0)"},
      {"stream-entries-read", "consumer groups track entries_read (XGROUP ... ENTRIESREAD; Redis >= 7.0)"},
      {"replconf-version", "REPLCONF version (Valkey 8)"},
      {"dual-channel", "dual-channel replication (Valkey 8)"},
      {"replping", "REPLPING and REPLCONF uuid (KeyDB)"},
      {"multi-flow", "DFLY SYNC with one flow per shard (Dragonfly)"},
  };
  return kCapabilities;
}

bool IsKnownCapability(std::string_view name) {
  const auto& known = KnownCapabilities();
  return std::any_of(known.begin(), known.end(), [&](const auto& c) { return c.first == name; });
}

const std::vector<CommandForm>& KnownCommandForms() {
  static const std::vector<CommandForm> kForms = {
      {"set-keepttl", {}, {"SET", "__conformance:form", "v", "KEEPTTL"}, "SET ... KEEPTTL (6.0)"},
      {"set-exat", {}, {"SET", "__conformance:form", "v", "PXAT", "4102444800000"},
       "SET ... EXAT/PXAT (6.2)"},
      {"set-get", {}, {"SET", "__conformance:form", "v", "GET"}, "SET ... GET (6.2)"},
      {"expire-condition", {"SET", "__conformance:form", "v"},
       {"EXPIRE", "__conformance:form", "1000", "XX"}, "EXPIRE ... NX/XX/GT/LT (7.0)"},
      {"zadd-gt-lt", {}, {"ZADD", "__conformance:formz", "GT", "1", "m"}, "ZADD GT/LT (6.2)"},
      {"zadd-flags", {}, {"ZADD", "__conformance:formz", "CH", "1", "m"},
       "ZADD NX/XX/CH (3.0.2)"},
      {"hset-multi", {}, {"HSET", "__conformance:formh", "a", "1", "b", "2"},
       "HSET with several fields (4.0)"},
      {"variadic-push", {}, {"RPUSH", "__conformance:forml", "a", "b"},
       "RPUSH/LPUSH/SADD/ZADD/HDEL with several elements (2.4)"},
      {"xgroup-entriesread", {},
       {"XGROUP", "CREATE", "__conformance:forms", "g", "$", "MKSTREAM", "ENTRIESREAD", "0"},
       "XGROUP ... ENTRIESREAD (7.0)"},
      {"xgroup-createconsumer",
       {"XGROUP", "CREATE", "__conformance:formc", "g", "$", "MKSTREAM"},
       {"XGROUP", "CREATECONSUMER", "__conformance:formc", "g", "c"},
       "XGROUP CREATECONSUMER (6.2)"},
      {"pop-count", {"RPUSH", "__conformance:formp", "a", "b"}, {"RPOP", "__conformance:formp", "1"},
       "LPOP/RPOP key count (6.2)"},
      {"maxlen-exact", {}, {"XADD", "__conformance:formx", "MAXLEN", "=", "10", "*", "f", "v"},
       "XADD/XTRIM ... MAXLEN = n (6.2)"},
  };
  return kForms;
}

std::vector<std::string> FormsOf(const std::vector<std::string>& argv) {
  std::vector<std::string> forms;
  if (argv.empty()) return forms;
  const std::string name = Lower(argv[0]);
  auto has_word = [&](size_t from, std::initializer_list<std::string_view> words) {
    for (size_t i = from; i < argv.size(); ++i) {
      const std::string word = Lower(argv[i]);
      for (std::string_view w : words) {
        if (word == Lower(w)) return true;
      }
    }
    return false;
  };
  if (name == "set") {
    if (has_word(3, {"KEEPTTL"})) forms.push_back("set-keepttl");
    if (has_word(3, {"EXAT", "PXAT"})) forms.push_back("set-exat");
    if (has_word(3, {"GET"})) forms.push_back("set-get");
  } else if (name == "expire" || name == "pexpire" || name == "expireat" || name == "pexpireat") {
    if (argv.size() > 3) forms.push_back("expire-condition");
  } else if (name == "zadd") {
    // Flags stand between the key and the first score.
    size_t i = 2;
    for (; i < argv.size(); ++i) {
      const std::string word = Lower(argv[i]);
      if (word == "gt" || word == "lt") {
        forms.push_back("zadd-gt-lt");
      } else if (word == "nx" || word == "xx" || word == "ch" || word == "incr") {
        if (std::find(forms.begin(), forms.end(), "zadd-flags") == forms.end()) {
          forms.push_back("zadd-flags");
        }
      } else {
        break;
      }
    }
    if (argv.size() - i > 2) forms.push_back("variadic-push");
  } else if (name == "hset") {
    if (argv.size() > 4) forms.push_back("hset-multi");
  } else if (name == "rpush" || name == "lpush" || name == "sadd" || name == "srem" ||
             name == "zrem" || name == "hdel") {
    if (argv.size() > 3) forms.push_back("variadic-push");
  } else if (name == "lpop" || name == "rpop") {
    if (argv.size() > 2) forms.push_back("pop-count");
  } else if (name == "xadd" || name == "xtrim") {
    for (size_t i = 2; i + 1 < argv.size(); ++i) {
      if (Lower(argv[i]) == "maxlen" && argv[i + 1] == "=") forms.push_back("maxlen-exact");
    }
  } else if (name == "xgroup") {
    if (has_word(2, {"ENTRIESREAD"})) forms.push_back("xgroup-entriesread");
    if (argv.size() > 1 && Lower(argv[1]) == "createconsumer") {
      forms.push_back("xgroup-createconsumer");
    }
  }
  return forms;
}

}  // namespace conformance::server
