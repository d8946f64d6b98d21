// Inline command lines ("SET k v\r\n"): splitting into words and quoting words back.
// Splitting follows the rules Redis applies to inline commands (sdssplitargs): words are
// separated by whitespace; "double quotes" take \n \r \t \b \a \\ \" and \xHH escapes;
// 'single quotes' take only \'; a closing quote must be followed by whitespace or the end.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace conformance::resp {

// Splits one line (without its newline) into *words, reusing the strings already there;
// returns the word count, or -1 for unbalanced quotes with *error_at set to the offending
// position in `line`.
long SplitInlineArgs(std::string_view line, std::vector<std::string>* words, size_t* error_at);

// Appends `word` so that SplitInlineArgs reads it back unchanged: bare when it is printable
// without whitespace or quotes and `quote` is false, otherwise double-quoted with escapes.
void AppendInlineWord(std::string* out, std::string_view word, bool quote = false);

}  // namespace conformance::resp
