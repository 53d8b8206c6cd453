// The cases of the synthetic province for the benchmarks that need a realistic mix: the
// grids' area classes, the actors of each grid's six-step loop, and fill_cases(), which
// reports cases spread evenly over a span of days and draws what happens to each.
#ifndef GRIDGOV_BENCH_PROVINCE_CASES_HPP
#define GRIDGOV_BENCH_PROVINCE_CASES_HPP

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gridgov/cases.hpp"
#include "gridgov/hierarchy.hpp"
#include "gridgov/indicators.hpp"
#include "province_staff.hpp"
#include "synthetic_province.hpp"

namespace gridgov::bench {

// Grids get an area class (urban counties 一类, the rest 二类): urban_region picks its
// step table by it.
inline std::vector<NodeSpec> province_specs() {
    std::vector<NodeSpec> specs = synthetic_province();
    for (NodeSpec& s : specs) {
        if (s.level == "grid")
            s.area_class = s.area_type == AreaType::urban ? "一类" : "二类";
    }
    return specs;
}

// The province's staff (province_staff.hpp) and, by grid, the actors of its cases.
struct Staff : Staffing {
    std::vector<NodeId> grids;
    std::vector<std::string> officer, leader, centre, member, department;
};

inline Staff case_staff(const Hierarchy& h) {
    Staff s;
    static_cast<Staffing&>(s) = staffing(h);
    const LevelScheme& levels = h.levels();
    const int grid_level = levels.index_of("grid");
    const auto up = [&](NodeId n, const char* level) {
        const int l = levels.index_of(level);
        while (h.level(n) > l)
            n = h.parent(n);
        return h.code(n);
    };
    for (NodeId n : h.preorder()) {
        if (h.level(n) != grid_level)
            continue;
        s.grids.push_back(n);
        s.officer.push_back("G" + h.code(n));
        s.leader.push_back("V" + up(n, "village"));
        s.centre.push_back("T" + up(n, "township"));
        s.member.push_back("D" + up(n, "county"));
        s.department.push_back("D-HW-" + up(n, "county"));
    }
    return s;
}

/// Reports `count` cases spread evenly over `days` days from `first` (the time of day of
/// `first`); what happens to each is drawn: 70 % the main line (a tenth of them fed back a
/// day late), 10 % left in handling, 5 % voided, 5 % reworked once, 5 % suspended, 5 %
/// self-handled; 10 % of the reports are 12345 calls. With `per_batch`, every that many
/// cases are one batch (a workspace commits each).
inline void fill_cases(CaseEngine& engine, const Staff& staff, std::size_t count, Instant first,
                       std::int64_t days, std::size_t per_batch = 0) {
    std::mt19937_64 rng(20240301u);
    CaseCommand k;
    NewCase r;
    r.command.command = Command::report;
    r.command.category = "E0102";
    r.workflow = "township_six_step";
    const auto fire = [&](CaseId id, Command c, const std::string& actor, std::int64_t t) {
        k = CaseCommand{};
        k.command = c;
        k.actor = actor;
        k.at = Instant{t};
        if (c == Command::feedback || c == Command::self_handle)
            k.evidence = {"p.jpg"};
        if (c == Command::void_case || c == Command::suspend || c == Command::check_fail)
            k.reason = "r";
        engine.fire(id, k);
    };
    for (std::size_t i = 0; i < count; ++i) {
        if (per_batch != 0 && i % per_batch == 0) {
            if (engine.in_batch())
                engine.commit_batch();
            engine.begin_batch();
        }
        const std::size_t g = rng() % staff.grids.size();
        const std::int64_t t = first.seconds + static_cast<std::int64_t>(rng() % days) * 86400;
        const unsigned what = static_cast<unsigned>(rng() % 100);
        r.command.actor = staff.officer[g];
        r.command.node = staff.grids[g];
        r.command.at = Instant{t};
        r.command.source = rng() % 10 == 0 ? "12345" : "grid_worker";
        const CaseId id = engine.report(r);
        const std::string& centre = staff.centre[g];
        const std::string& member = staff.member[g];
        const std::string& leader = staff.leader[g];
        if (what < 5) {
            fire(id, Command::void_case, centre, t + 600);
            continue;
        }
        if (what < 10) {
            fire(id, Command::self_handle, staff.officer[g], t + 600);
            fire(id, Command::check_pass, leader, t + 3600);
            fire(id, Command::close, centre, t + 7200);
            continue;
        }
        fire(id, Command::file, centre, t + 300);
        k = CaseCommand{};
        k.command = Command::dispatch;
        k.actor = centre;
        k.at = Instant{t + 600};
        k.department = staff.department[g];
        engine.fire(id, k);
        fire(id, Command::accept, member, t + 900);
        if (what < 20)
            continue;  // left in handling
        if (what < 25) {
            fire(id, Command::suspend, centre, t + 1800);
            continue;
        }
        const bool late = what >= 30 && what < 37;
        fire(id, Command::feedback, member, t + (late ? 86400 : 3600));
        if (what < 30) {
            fire(id, Command::check_fail, leader, t + 5400);
            fire(id, Command::feedback, member, t + 7200);
        }
        const std::int64_t after = t + (late ? 86400 : 0);
        fire(id, Command::check_pass, leader, after + 9000);
        fire(id, Command::close, centre, after + 10800);
    }
    if (engine.in_batch())
        engine.commit_batch();
}

/// urban_region for `period`, every node of the province scored, ranked and flagged
/// (grids without an area class count as 二类; no case numbers kept as sources).
inline AssessmentRun assess_every_node(const CaseEngine& engine, const Hierarchy& h,
                                       const AssessmentPeriod& period) {
    static const AssessmentScheme scheme = AssessmentScheme::preset("urban_region");
    AssessOptions options;
    options.sources = false;
    options.default_area_class = "二类";
    return assess(engine, h, scheme, period, SubjectSelection::every_node(""), options);
}

}  // namespace gridgov::bench

#endif
