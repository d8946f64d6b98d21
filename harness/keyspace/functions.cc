// FUNCTION LOAD/DELETE/FLUSH (functions.c): the model keeps each library's source under its
// name, apart from the keyspace. The code is not compiled, so a library a server would reject
// (a Lua syntax error, no registered function) is accepted here.
#include <fmt/format.h>

#include <cctype>

#include "harness/keyspace/commands.h"
#include "harness/keyspace/parse.h"

namespace conformance::keyspace {

namespace {

// functionExtractLibMetaData: "#!<engine> name=<library> ..." on the first line.
Result<std::string> LibraryName(const std::string& code) {
  if (code.size() < 2 || code[0] != '#' || code[1] != '!') {
    return Error{"ERR Missing library metadata"};
  }
  const size_t newline = code.find('\n');
  if (newline == std::string::npos) return Error{"ERR Invalid library metadata"};
  const std::string_view shebang = std::string_view(code).substr(2, newline - 2);
  std::string name;
  bool first = true;
  size_t pos = 0;
  while (pos <= shebang.size()) {
    size_t space = shebang.find(' ', pos);
    if (space == std::string_view::npos) space = shebang.size();
    const std::string_view part = shebang.substr(pos, space - pos);
    pos = space + 1;
    if (part.empty()) continue;
    if (first) {
      first = false;
      if (!EqualsIgnoreCase(part, "lua")) {
        return Error{fmt::format("ERR Engine '{}' not found", part)};
      }
      continue;
    }
    if (part.substr(0, 5) != "name=") {
      return Error{fmt::format("ERR Invalid metadata value given: {}", part)};
    }
    name = std::string(part.substr(5));
  }
  if (first) return Error{"ERR Engine '' not found"};
  if (name.empty()) return Error{"ERR Library name was not given"};
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') {
      return Error{
          "ERR Library names can only contain letters, numbers, or underscores(_) and must be "
          "at least one character long"};
    }
  }
  return name;
}

}  // namespace

ApplyResult FunctionCommand(CommandContext& ctx, const Argv& argv) {
  const std::string& sub = argv[1];
  auto& libraries = ctx.functions();
  if (EqualsIgnoreCase(sub, "LOAD")) {
    bool replace = false;
    size_t pos = 2;
    for (; pos + 1 < argv.size(); ++pos) {
      if (!EqualsIgnoreCase(argv[pos], "REPLACE")) {
        return Failed(fmt::format("ERR Unknown option given: {}", argv[pos]));
      }
      replace = true;
    }
    if (pos >= argv.size()) return Failed("ERR Function code is missing");
    KS_ASSIGN_OR_FAIL(const std::string name, LibraryName(argv[pos]));
    if (!replace && libraries.count(name) > 0) {
      return Failed(fmt::format("ERR Library '{}' already exists", name));
    }
    libraries[name] = argv[pos];
    return Applied();
  }
  if (EqualsIgnoreCase(sub, "DELETE")) {
    if (argv.size() != 3)
      return Failed("ERR wrong number of arguments for 'function|delete' command");
    if (libraries.erase(argv[2]) == 0) return Failed("ERR Library not found");
    return Applied();
  }
  if (EqualsIgnoreCase(sub, "FLUSH")) {
    if (ApplyResult mode = CheckFlushMode(argv, 2); !mode.ok()) return mode;
    libraries.clear();
    return Applied();
  }
  return Unmodelled(
      fmt::format("FUNCTION {}: not modelled (only LOAD, DELETE and FLUSH are)", ToUpper(sub)));
}

}  // namespace conformance::keyspace
