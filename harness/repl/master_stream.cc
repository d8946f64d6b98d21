#include "harness/repl/master_stream.h"

#include "harness/repl/stream_reader.h"

namespace conformance::repl {

bool NeedsDatabase(const std::vector<std::string>& argv) {
  return Classify(argv) == StreamCommand::Kind::kWrite;
}

std::vector<std::vector<std::string>> StreamSelector::Plan(int db,
                                                           const std::vector<std::string>& argv) {
  std::vector<std::vector<std::string>> commands;
  if (NeedsDatabase(argv) && db != stream_db_) {
    commands.push_back({"SELECT", std::to_string(db)});
    stream_db_ = db;
  }
  commands.push_back(argv);
  return commands;
}

}  // namespace conformance::repl
