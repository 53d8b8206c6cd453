// HTML escaping for the pages the library writes (the responsibility chart, the public
// notice, the report page).
#ifndef GRIDGOV_SRC_CORE_HTML_HPP
#define GRIDGOV_SRC_CORE_HTML_HPP

#include <string>
#include <string_view>

namespace gridgov::detail {

/// `s` with &, <, >, " and ' replaced by their character references: safe as element text
/// and inside quoted attribute values.
std::string html_escape(std::string_view s);

}  // namespace gridgov::detail

#endif
