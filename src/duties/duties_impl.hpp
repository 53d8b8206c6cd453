// Private helpers of the duties module (src/duties).
#ifndef GRIDGOV_SRC_DUTIES_DUTIES_IMPL_HPP
#define GRIDGOV_SRC_DUTIES_DUTIES_IMPL_HPP

#include <string_view>
#include <vector>

#include "gridgov/directory.hpp"

namespace gridgov::detail {

/// The roles a schedule's owner names: the role of that code, else every role carrying a
/// duty of that code, or with "function:<name>" every role of that function (empty when
/// none). Error(invalid_argument) for an unknown function name.
std::vector<const RoleType*> owner_roles(const Catalogue& roles, std::string_view owner);

}  // namespace gridgov::detail

#endif
