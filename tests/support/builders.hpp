// Builders for the small worlds of the C++ and report tests: nodes, people, posts,
// instants and case commands, with the defaults those fixtures share (seed 000's rural
// grids of 150 households, posts held from the township's founding day 2023-08-24).
#ifndef GRIDGOV_TESTS_SUPPORT_BUILDERS_HPP
#define GRIDGOV_TESTS_SUPPORT_BUILDERS_HPP

#include <string>

#include "gridgov/cases.hpp"
#include "gridgov/directory.hpp"
#include "gridgov/hierarchy.hpp"

namespace gridgov_test {

/// A node below `parent` (empty for the root). A grid is rural with 150 households.
inline gridgov::NodeSpec node(const std::string& code, const std::string& parent, const char* level,
                              const std::string& name, const std::string& area_class = "") {
    gridgov::NodeSpec s;
    s.code = code;
    s.parent_code = parent;
    s.level = level;
    s.name = name;
    s.area_class = area_class;
    if (std::string(level) == "grid") {
        s.households = 150;
        s.area_type = gridgov::AreaType::rural;
    }
    return s;
}

/// A person; without a name the id stands for it.
inline gridgov::Person person(const std::string& id, const std::string& name = "") {
    gridgov::Person p;
    p.id = id;
    p.name = name.empty() ? id : name;
    return p;
}

/// `who` holds `role` at `at` from 2023-08-24 on, open-ended.
inline gridgov::Assignment post(const std::string& who, const std::string& role, gridgov::NodeId at,
                                gridgov::Post which = gridgov::Post::a) {
    gridgov::Assignment a;
    a.person = who;
    a.role = role;
    a.node = at;
    a.post = which;
    a.period.from = gridgov::Date::parse("2023-08-24");
    return a;
}

/// A local time, YYYY-MM-DDTHH:MM in China Standard Time.
inline gridgov::Instant at(const std::string& local) {
    return gridgov::Instant::parse(local);
}

/// A bare command: what, who and when; the caller adds the payload its transition needs.
inline gridgov::CaseCommand cmd(gridgov::Command c, const std::string& actor,
                                const std::string& when) {
    gridgov::CaseCommand x;
    x.command = c;
    x.actor = actor;
    x.at = at(when);
    return x;
}

}  // namespace gridgov_test

#endif
