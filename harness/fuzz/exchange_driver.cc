#include "harness/fuzz/exchange_driver.h"

#include <string>

#include "harness/resp/encoder.h"

namespace conformance::fuzz {

namespace {

using Clock = std::chrono::steady_clock;
using net::Awaitable;

// How often the settle loop looks at the replica's INFO while the link is quiet.
constexpr net::Duration kSettlePoll{5};
// Polls of an unchanged replication state after which a replica is taken to be waiting.
constexpr int kStalledPolls = 4;

// INFO replication without the fields that change with the clock alone.
std::string ReplicationState(const server::Info& info) {
  std::string state;
  for (const server::InfoSection& section : info.sections()) {
    for (const auto& [key, value] : section.fields) {
      if (key.find("seconds_ago") != std::string::npos || key.find("last_io") != std::string::npos) {
        continue;
      }
      state += key + "=" + value + ";";
    }
  }
  return state;
}

// Watches a replica that has everything it will get: until its link is up (accepted), it
// closes the link (refused), its replication state stands still while it is not loading
// (waiting for bytes that never come, a line end that is missing) or the settle time ends.
Awaitable<Reaction> Settle(fakes::FakeMaster& fake, server::Admin& admin, net::Duration settle) {
  const auto deadline = Clock::now() + settle;
  std::string last_state;
  int unchanged_polls = 0;
  while (Clock::now() < deadline) {
    std::string chunk;
    Status read = co_await fake.connection()->ReadSome(&chunk, kSettlePoll);
    if (!read.ok() && read.error().kind != ErrorKind::kTimeout) co_return Reaction::kRefused;
    auto info = co_await admin.Info("replication");
    if (!info.ok()) co_return Reaction::kUndecided;  // the oracles look at why
    if (info->Get("master_link_status") == "up" && info->GetInt("master_sync_in_progress").value_or(0) == 0) {
      co_return Reaction::kAccepted;
    }
    std::string state = ReplicationState(*info);
    unchanged_polls = state == last_state ? unchanged_polls + 1 : 0;
    if (unchanged_polls >= kStalledPolls) {
      // Its replication fields also stand still while it loads what it received.
      auto persistence = co_await admin.Info("persistence");
      if (!persistence.ok() || persistence->GetInt("loading").value_or(0) == 0) co_return Reaction::kUndecided;
      unchanged_polls = 0;
    }
    last_state = std::move(state);
  }
  co_return Reaction::kUndecided;
}

}  // namespace

const char* ToString(Reaction reaction) {
  switch (reaction) {
    case Reaction::kRefusedInHandshake: return "refused in the handshake";
    case Reaction::kRefused: return "refused";
    case Reaction::kAccepted: return "accepted";
    case Reaction::kUndecided: return "undecided";
  }
  return "?";
}

Awaitable<ExchangeResult> DriveExchange(fakes::FakeMaster& fake, server::Admin& admin, bool slaveof,
                                        std::string_view bytes, const ExchangeTimeouts& timeouts,
                                        Transcript& transcript) {
  ExchangeResult result;
  // REPLICAOF's answer is read once the handshake is under way: a server may read its new
  // master's PING reply synchronously before it answers REPLICAOF.
  std::string request;
  resp::AppendCommand(&request, {slaveof ? "SLAVEOF" : "REPLICAOF", fake.options().host,
                                 std::to_string(fake.port())});
  if (Status sent = co_await admin.client().connection().Write(request, timeouts.connect); !sent.ok()) {
    transcript.Note("fuzz", "REPLICAOF could not be sent: " + sent.message());
    result.admin_lost = true;
    co_return result;
  }
  bool answered = false;
  auto await_answer = [&]() -> Awaitable<bool> {
    if (answered) co_return !result.admin_lost;
    answered = true;
    auto reply = co_await admin.client().Read(timeouts.connect);
    if (reply.ok() && reply->type != resp::Type::kError) co_return true;
    transcript.Note("fuzz", "REPLICAOF: " + (reply.ok() ? reply->ToString() : reply.message()));
    result.admin_lost = !reply.ok();  // its answer may still come
    co_return false;
  };
  if (Status accepted = co_await fake.Accept(timeouts.connect); !accepted.ok()) {
    transcript.Note("fuzz", "the replica did not connect: " + accepted.message());
    (void)co_await await_answer();
    co_return result;
  }
  // Connected, a replica goes through its handshake in milliseconds; one that stops half-way
  // waits for a line end or bytes that will not come.
  auto sync = co_await fake.AnswerHandshake(timeouts.handshake);
  if (!sync.ok()) {
    const ErrorKind kind = sync.error().kind;
    if (kind == ErrorKind::kClosed || kind == ErrorKind::kReset) result.reaction = Reaction::kRefusedInHandshake;
    (void)co_await await_answer();
    co_return result;
  }
  Status sent = co_await fake.Reply(std::string(bytes));
  if (!co_await await_answer()) co_return result;
  if (!sent.ok()) {
    if (sent.error().kind != ErrorKind::kTimeout) result.reaction = Reaction::kRefused;
    co_return result;
  }
  result.reaction = co_await Settle(fake, admin, timeouts.settle);
  transcript.Note("fuzz", std::string("the replica ") + ToString(result.reaction));
  co_return result;
}

}  // namespace conformance::fuzz
