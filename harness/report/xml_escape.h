// XML 1.0 text, attribute and CDATA renderings that are well-formed whatever the input bytes.
//
// XML 1.0 cannot carry most control characters at all, not even as character references, so
// they are rendered visibly as \xNN (the notation of EscapeBytes); bytes that are not valid UTF-8
// and the non-characters U+FFFE/U+FFFF become U+FFFD.
#pragma once

#include <string>
#include <string_view>

namespace conformance::report {

// Character data between tags: escapes & < > and keeps \r as &#13; so parsers do not fold it.
std::string XmlText(std::string_view text);

// An attribute value for use between double quotes. Tabs and line breaks become character
// references, so attribute-value normalization does not turn them into spaces.
std::string XmlAttribute(std::string_view text);

// A complete CDATA section "<![CDATA[...]]>". A "]]>" inside the text is split across two
// sections so it cannot end the section early. (Parsers still fold \r\n to \n inside CDATA.)
std::string XmlCData(std::string_view text);

}  // namespace conformance::report
