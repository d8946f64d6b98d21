#include "harness/server/error_reply.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace conformance::server {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool Contains(std::string_view text, std::string_view needle) {
  return Lower(text).find(needle) != std::string::npos;
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

bool IsUnknownCommand(std::string_view error) {
  return Contains(error, "unknown command") || Contains(error, "unknown subcommand") ||
         Contains(error, "unrecognized command");
}

bool IsUnsupportedConfig(std::string_view error) {
  return Contains(error, "unsupported config parameter") ||
         Contains(error, "unknown option or number of arguments for config") ||
         Contains(error, "immutable config") || Contains(error, "protected config") ||
         Contains(error, "unsupported parameter") || IsUnknownCommand(error);
}

bool IsNoAuth(std::string_view error) {
  return StartsWith(error, "NOAUTH") || Contains(error, "operation not permitted");
}

bool IsLoading(std::string_view error) { return StartsWith(error, "LOADING"); }

}  // namespace conformance::server
