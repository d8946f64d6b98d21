#include "harness/server/admin.h"

#include <fmt/format.h>
#include <strings.h>

#include "harness/server/error_reply.h"

namespace conformance::server {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

bool IsSecretParameter(std::string_view name) {
  return EqualsIgnoreCase(name, "requirepass") || EqualsIgnoreCase(name, "masterauth");
}

// The command as shown in an error message, with secret arguments left out.
std::string Describe(const std::vector<std::string>& argv) {
  std::string out;
  for (size_t i = 0; i < argv.size() && i < 3; ++i) {
    if (i > 0) out += ' ';
    out += argv[i];
  }
  return out;
}

ErrorKind KindOf(const std::vector<std::string>& argv, const resp::Value& reply) {
  const bool is_config = !argv.empty() && EqualsIgnoreCase(argv[0], "CONFIG");
  if (is_config ? IsUnsupportedConfig(reply.str) : IsUnknownCommand(reply.str)) {
    return ErrorKind::kUnsupported;
  }
  return ErrorKind::kGeneric;
}

}  // namespace

Admin::Admin(std::unique_ptr<net::RespClient> client, net::Duration timeout)
    : client_(std::move(client)), timeout_(timeout) {}

net::Awaitable<Result<std::unique_ptr<Admin>>> Admin::Connect(std::string host, uint16_t port,
                                                              Transcript* transcript,
                                                              net::Duration timeout,
                                                              std::string channel) {
  auto client = co_await net::RespClient::Connect(std::move(host), port, timeout,
                                                  std::move(channel), transcript);
  if (!client.ok()) co_return client.error();
  co_return std::make_unique<Admin>(std::move(client).value(), timeout);
}

net::Awaitable<Result<resp::Value>> Admin::Call(std::vector<std::string> argv) {
  co_return co_await client_->Call(std::move(argv), timeout_);
}

net::Awaitable<Result<resp::Value>> Admin::CallExpectingSuccess(std::vector<std::string> argv) {
  auto reply = co_await client_->Call(argv, timeout_);
  if (!reply.ok()) co_return reply.error();
  if (reply->IsError()) {
    co_return Error{fmt::format("{}: -{}", Describe(argv), reply->str), KindOf(argv, *reply)};
  }
  co_return reply;
}

net::Awaitable<Result<server::Info>> Admin::Info(std::string section) {
  std::vector<std::string> argv = {"INFO"};
  if (!section.empty()) argv.push_back(std::move(section));
  auto reply = co_await CallExpectingSuccess(argv);
  if (!reply.ok()) co_return reply.error();
  if (!reply->IsString()) {
    co_return Error{fmt::format("INFO: expected a bulk string, received {}", reply->ToString()),
                    ErrorKind::kProtocol};
  }
  std::string_view text = reply->str;
  if (reply->type == resp::Type::kVerbatim && text.size() >= 4) text.remove_prefix(4);  // "txt:"
  co_return server::Info::Parse(text);
}

net::Awaitable<Result<server::Role>> Admin::Role() {
  // Named vectors, not braced lists inside co_await: GCC 12 rejects those in coroutines
  // ("array used as initializer").
  std::vector<std::string> argv = {"ROLE"};
  auto reply = co_await client_->Call(std::move(argv), timeout_);
  if (!reply.ok()) co_return reply.error();
  co_return ParseRole(*reply);
}

net::Awaitable<Status> Admin::ConfigSet(std::string name, std::string value) {
  if (IsSecretParameter(name)) AddSecret(value);
  std::vector<std::string> argv = {"CONFIG", "SET", std::move(name), std::move(value)};
  auto reply = co_await CallExpectingSuccess(std::move(argv));
  if (!reply.ok()) co_return reply.error();
  co_return OkStatus();
}

net::Awaitable<Result<std::string>> Admin::ConfigGet(std::string name) {
  std::vector<std::string> argv = {"CONFIG", "GET", name};
  auto reply = co_await CallExpectingSuccess(std::move(argv));
  if (!reply.ok()) co_return reply.error();
  // RESP2: [name, value]; RESP3: a map with the same layout in `elements`. A pattern could
  // match several parameters; take the one named exactly.
  const auto& items = reply->elements;
  for (size_t i = 0; i + 1 < items.size(); i += 2) {
    if (EqualsIgnoreCase(items[i].str, name)) co_return items[i + 1].str;
  }
  if (items.empty() && (reply->type == resp::Type::kArray || reply->type == resp::Type::kMap)) {
    co_return Error{fmt::format("CONFIG GET {}: unknown parameter (empty reply)", name),
                    ErrorKind::kUnsupported};
  }
  co_return Error{fmt::format("CONFIG GET {}: unexpected reply {}", name, reply->ToString()),
                  ErrorKind::kProtocol};
}

net::Awaitable<Status> Admin::ReplicaOfArgs(std::string first, std::string second) {
  std::vector<std::string> argv = {"REPLICAOF", first, second};
  auto reply = co_await CallExpectingSuccess(argv);
  if (!reply.ok() && reply.error().kind == ErrorKind::kUnsupported) {
    argv[0] = "SLAVEOF";
    reply = co_await CallExpectingSuccess(argv);
    if (!reply.ok() && reply.error().kind == ErrorKind::kUnsupported) {
      co_return Error{"the server has neither REPLICAOF nor SLAVEOF", ErrorKind::kUnsupported};
    }
  }
  if (!reply.ok()) co_return reply.error();
  co_return OkStatus();
}

net::Awaitable<Status> Admin::ReplicaOf(std::string host, uint16_t port) {
  co_return co_await ReplicaOfArgs(std::move(host), std::to_string(port));
}

net::Awaitable<Status> Admin::ReplicaOfNoOne() { co_return co_await ReplicaOfArgs("NO", "ONE"); }

net::Awaitable<Status> Admin::Auth(std::optional<std::string> user, std::string password) {
  AddSecret(password);
  std::vector<std::string> argv = {"AUTH"};
  if (user) argv.push_back(*user);
  argv.push_back(std::move(password));
  auto reply = co_await client_->Call(argv, timeout_);
  if (!reply.ok()) co_return reply.error();
  if (reply->IsError()) {
    co_return Error{fmt::format("AUTH{} failed: -{}", user ? " " + *user : "", reply->str),
                    IsUnknownCommand(reply->str) ? ErrorKind::kUnsupported : ErrorKind::kGeneric};
  }
  co_return OkStatus();
}

void Admin::AddSecret(const std::string& secret) {
  if (Transcript* transcript = client_->connection().transcript()) transcript->AddSecret(secret);
}

}  // namespace conformance::server
