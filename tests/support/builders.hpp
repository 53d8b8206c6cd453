// Builders for the small worlds of the C++ and report tests: nodes, people, posts,
// instants and case commands, with the defaults those fixtures share (seed 000's rural
// grids of 150 households, posts held from the township's founding day 2023-08-24).
#ifndef GRIDGOV_TESTS_SUPPORT_BUILDERS_HPP
#define GRIDGOV_TESTS_SUPPORT_BUILDERS_HPP

#include <optional>
#include <string>
#include <utility>
#include <vector>

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

/// A 段区 of the "market" overlay (market_supervision_levels()) covering one base node.
inline gridgov::OverlayUnitSpec section(const std::string& code, const std::string& name,
                                        const std::string& grid_code) {
    gridgov::OverlayUnitSpec s;
    s.code = code;
    s.name = name;
    s.level = "section";
    s.grid_codes = {grid_code};
    return s;
}

/// `c` with the 段管员 of seed 002 第一篇: a role held on the 段区 ("section") of overlay
/// "market", exactly one post-A holder, carrying market_patrol, which reveals the record
/// fields `reveals`.
inline gridgov::Catalogue with_section_officer(gridgov::Catalogue c,
                                               std::vector<std::string> reveals = {}) {
    c.duties.push_back(
        gridgov::Duty{"market_patrol", "段区巡查", "Section patrol", std::move(reveals)});
    gridgov::RoleType officer;
    officer.code = "section_officer";
    officer.label_zh = "段管员";
    officer.label_en = "Section officer";
    officer.level = "section";
    officer.overlay = "market";
    officer.cardinality = gridgov::Cardinality::exactly_one;
    officer.duties = {"market_patrol"};
    c.roles.push_back(officer);
    return c;
}

/// township_000 with the 段管员 (with_section_officer()).
inline gridgov::Catalogue market_catalogue(std::vector<std::string> reveals = {}) {
    return with_section_officer(gridgov::Catalogue::preset("township_000"), std::move(reveals));
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

/// The code of the gridgov::Error `f` throws; nullopt when it throws none.
template <class F>
std::optional<gridgov::ErrorCode> error_code_of(F&& f) {
    try {
        f();
    } catch (const gridgov::Error& e) {
        return e.code();
    }
    return std::nullopt;
}

}  // namespace gridgov_test

#endif
