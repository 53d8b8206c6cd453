// The people of the synthetic province for the case and assessment benchmarks, staffed
// for the six-step loop: an information officer per grid ("G" + code), a grid leader per
// village ("V" + code), a service-centre member per township ("T" + code), and a
// sanitation office per county (department "D-HW-" + code, member "D" + code).
#ifndef GRIDGOV_BENCH_PROVINCE_STAFF_HPP
#define GRIDGOV_BENCH_PROVINCE_STAFF_HPP

#include <string>
#include <vector>

#include "gridgov/cases.hpp"
#include "gridgov/directory.hpp"
#include "gridgov/hierarchy.hpp"

namespace gridgov::bench {

/// The township roles of seed 000 and the roles the built-in workflows name.
inline Catalogue province_catalogue() {
    return merge_catalogues(Catalogue::preset("township_000"), workflow_roles_catalogue());
}

struct Staffing {
    std::vector<Person> people;
    std::vector<Assignment> posts;
    DepartmentCatalogue departments;
};

inline Staffing staffing(const Hierarchy& h) {
    Staffing s;
    s.departments.key = "province";
    const auto person = [&](const std::string& id) {
        Person p;
        p.id = id;
        p.name = id;
        s.people.push_back(p);
    };
    const auto post = [&](const std::string& id, const std::string& role, NodeId node) {
        person(id);
        Assignment a;
        a.person = id;
        a.role = role;
        a.node = node;
        a.period.from = Date::parse("2023-01-01");
        s.posts.push_back(a);
    };
    const LevelScheme& levels = h.levels();
    for (NodeId n : h.preorder()) {
        const std::string& level = levels[static_cast<std::size_t>(h.level(n))].key;
        const std::string& code = h.code(n);
        if (level == "grid") {
            post("G" + code, "grid_information_officer", n);
        } else if (level == "village") {
            post("V" + code, "village_grid_leader", n);
        } else if (level == "township") {
            post("T" + code, "service_centre_staff", n);
        } else if (level == "county") {
            Department d;
            d.code = "D-HW-" + code;
            d.kind = "sanitation";
            d.name_zh = "环卫所";
            d.node = code;
            d.members = {"D" + code};
            s.departments.departments.push_back(d);
            person("D" + code);
        }
    }
    return s;
}

}  // namespace gridgov::bench

#endif
