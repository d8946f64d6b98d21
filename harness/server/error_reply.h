// Classifies error replies by meaning, not by exact text: the wording differs across versions
// and forks, e.g. "ERR unknown command 'X'" vs
// "ERR unknown command `X`, with args beginning with: ...".
#pragma once

#include <string_view>

namespace conformance::server {

// The server lacks the command or subcommand.
bool IsUnknownCommand(std::string_view error);

// CONFIG SET/GET cannot use this parameter: unknown ("Unsupported CONFIG parameter",
// "Unknown option or number of arguments for CONFIG SET") or not settable at runtime
// ("can't set immutable config", "can't set protected config").
bool IsUnsupportedConfig(std::string_view error);

// -NOAUTH (also the old "ERR operation not permitted").
bool IsNoAuth(std::string_view error);

// -LOADING: the server is loading its dataset and not serving yet.
bool IsLoading(std::string_view error);

}  // namespace conformance::server
