// The keyspace model's command table (keyspace::SupportedCommands()) as Markdown: what
// `conformance commands` prints and harness/keyspace/COMMANDS.md holds, so the documentation is
// generated from the table the model dispatches on and cannot drift from it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/keyspace/keyspace.h"

namespace conformance::cli {

// Where the generated file lives and how to regenerate it, from the repository root.
inline constexpr std::string_view kCommandDocPath = "harness/keyspace/COMMANDS.md";
inline constexpr std::string_view kCommandDocRegenerate =
    "build/harness/cli/conformance commands > harness/keyspace/COMMANDS.md";

// A generated-file header, what "modelled" means, a summary per family, then one table per
// family (families alphabetical, commands in the given order).
std::string CommandTableMarkdown(const std::vector<keyspace::CommandInfo>& commands);

// "3" for an exact arity, "at least 2" for a negative (Redis) one; the command name counts.
std::string ArityText(int arity);

// Text made safe for a Markdown table cell: '|' escaped, newlines as spaces.
std::string TableCell(std::string_view text);

}  // namespace conformance::cli
