// The assessment runner: subjects → indicator values → scores → ranks → rule flags.
#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "assessment/case_indicators_impl.hpp"
#include "assessment/scheme_impl.hpp"
#include "gridgov/indicators.hpp"

namespace gridgov {

SubjectSelection SubjectSelection::of(std::vector<IndicatorSubject> subjects) {
    SubjectSelection s;
    s.kind = Kind::list;
    s.subjects = std::move(subjects);
    return s;
}

SubjectSelection SubjectSelection::every_node(std::string level) {
    SubjectSelection s;
    s.kind = Kind::level;
    s.level = std::move(level);
    return s;
}

SubjectSelection SubjectSelection::every_department() {
    SubjectSelection s;
    s.kind = Kind::departments;
    return s;
}

SubjectSelection SubjectSelection::every_grid_worker(std::string level,
                                                     std::vector<std::string> roles) {
    SubjectSelection s;
    s.kind = Kind::grid_workers;
    s.level = std::move(level);
    s.roles = std::move(roles);
    return s;
}

SubjectSelection SubjectSelection::every_unit(std::string overlay, std::string level) {
    SubjectSelection s;
    s.kind = Kind::units;
    s.overlay = std::move(overlay);
    s.level = std::move(level);
    return s;
}

namespace {

struct Planned {
    IndicatorSubject subject;
    AssessmentSubject as;
    NodeId node = no_node;
};

int level_index(const Hierarchy& h, const std::string& level) {
    const int l = h.levels().index_of(level);
    if (l < 0)
        throw Error(ErrorCode::invalid_argument, "level \"" + level + "\" is not in the hierarchy");
    return l;
}

}  // namespace

AssessmentRun assess(const CaseEngine& engine, const Hierarchy& hierarchy,
                     const AssessmentScheme& scheme, const AssessmentPeriod& period,
                     const SubjectSelection& selection, const AssessOptions& options) {
    using Kind = SubjectSelection::Kind;
    std::vector<Planned> plan;
    const auto node_subject = [&](NodeId n) {
        Planned p;
        p.subject = IndicatorSubject::node(hierarchy.code(n));
        p.node = n;
        p.as.code = hierarchy.code(n);
        p.as.level = hierarchy.levels()[static_cast<std::size_t>(hierarchy.level(n))].key;
        p.as.area_class = hierarchy.area_class(n);
        return p;
    };
    const auto other_subject = [&](const IndicatorSubject& s) {
        Planned p;
        p.subject = s;
        p.as.code = s.code;
        p.as.level = s.kind == IndicatorSubjectKind::department ? "department" : "worker";
        return p;
    };
    const Networks networks(hierarchy, engine.networks().overlays());
    const auto unit_subject = [&](const Overlay& overlay, NodeId unit) {
        const Hierarchy& units = overlay.units();
        Planned p;
        p.subject = IndicatorSubject::unit(networks.code(Place{overlay.key(), unit}));
        p.as.code = p.subject.code;
        p.as.level =
            overlay.key() + ":" + units.levels()[static_cast<std::size_t>(units.level(unit))].key;
        p.as.area_class = units.area_class(unit);
        return p;
    };
    // grid workers: person → grid codes
    std::map<std::string, std::vector<std::string>> worker_grids;
    switch (selection.kind) {
        case Kind::list:
            for (const IndicatorSubject& s : selection.subjects) {
                if (s.kind == IndicatorSubjectKind::node) {
                    plan.push_back(node_subject(hierarchy.at(s.code)));
                } else if (s.kind == IndicatorSubjectKind::unit) {
                    const Place place = networks.place(s.code);
                    if (place.overlay.empty()) {
                        throw Error(ErrorCode::invalid_argument,
                                    "assess: unit subject \"" + s.code +
                                        "\" is a node of the base hierarchy");
                    }
                    plan.push_back(unit_subject(*networks.find_overlay(place.overlay), place.node));
                } else {
                    plan.push_back(other_subject(s));
                }
            }
            break;
        case Kind::units: {
            const Overlay* overlay = networks.find_overlay(selection.overlay);
            if (overlay == nullptr) {
                throw Error(ErrorCode::not_found,
                            "assess: the engine has no overlay \"" + selection.overlay + "\"");
            }
            const Hierarchy& units = overlay->units();
            if (selection.level.empty()) {
                for (const NodeId u : units.preorder())
                    plan.push_back(unit_subject(*overlay, u));
                break;
            }
            const int l = units.levels().index_of(selection.level);
            if (l < 0) {
                throw Error(ErrorCode::invalid_argument, "assess: level \"" + selection.level +
                                                             "\" is not a level of overlay " +
                                                             selection.overlay);
            }
            for (const NodeId u : units.nodes_at_level(l))
                plan.push_back(unit_subject(*overlay, u));
            break;
        }
        case Kind::level:
            if (selection.level.empty()) {
                for (const NodeId n : hierarchy.preorder())
                    plan.push_back(node_subject(n));
                break;
            }
            for (const NodeId n : hierarchy.nodes_at_level(level_index(hierarchy, selection.level)))
                plan.push_back(node_subject(n));
            break;
        case Kind::departments:
            for (const Department& d : engine.departments().departments)
                plan.push_back(other_subject(IndicatorSubject::department(d.code)));
            break;
        case Kind::grid_workers: {
            if (options.activity == nullptr || options.calendar == nullptr ||
                options.directory == nullptr) {
                throw Error(ErrorCode::invalid_argument,
                            "assess: a grid_workers selection needs options.activity, "
                            "options.calendar and options.directory");
            }
            const int l =
                level_index(hierarchy, selection.level.empty() ? "grid" : selection.level);
            const Period dates = period.dates();
            const std::set<std::string> roles(selection.roles.begin(), selection.roles.end());
            for (const Assignment& a : options.directory->assignments()) {
                if (a.post != Post::a || !a.period.overlaps(dates) || !hierarchy.is_live(a.node) ||
                    hierarchy.level(a.node) != l)
                    continue;
                if (!roles.empty() && roles.count(a.role) == 0)
                    continue;
                auto& grids = worker_grids[a.person];
                const std::string& code = hierarchy.code(a.node);
                if (std::find(grids.begin(), grids.end(), code) == grids.end())
                    grids.push_back(code);
            }
            for (const auto& [person, grids] : worker_grids)
                plan.push_back(other_subject(IndicatorSubject::person(person, grids)));
            break;
        }
    }
    for (Planned& p : plan) {
        if (p.as.area_class.empty())
            p.as.area_class = options.default_area_class;
    }

    std::vector<std::string> keys;
    for (const IndicatorSpec& spec : scheme.indicators()) {
        if (detail::known_key(spec.key))
            keys.push_back(spec.key);
    }

    // Nodes and departments from one table (when any is asked for).
    const bool any_table = std::any_of(plan.begin(), plan.end(), [](const Planned& p) {
        return p.subject.kind != IndicatorSubjectKind::person;
    });
    std::optional<CaseIndicatorTable> table;
    if (any_table)
        table.emplace(case_indicators_by_node(engine, hierarchy, period));

    // Grid workers: reports_adopted (their reports that were filed), in one pass.
    std::map<std::string, std::vector<std::string>> adopted;
    if (selection.kind == Kind::grid_workers) {
        const detail::Classifier cls(engine, period);
        std::map<std::uint32_t, std::string> interned;
        for (const auto& [person, grids] : worker_grids) {
            if (const auto id = cls.person(person))
                interned.emplace(*id, person);
            adopted[person];
        }
        detail::Fact f;
        const auto n = static_cast<CaseId>(cls.size());
        for (CaseId id = 0; id < n; ++id) {
            const auto it = interned.find(cls.reporter(id));
            if (it == interned.end() || !cls.classify(id, f) ||
                (f.bits & (std::uint64_t{1} << detail::b_filed)) == 0)
                continue;
            adopted[it->second].emplace_back(cls.number(id));
        }
    }

    AssessmentRun run;
    run.scores.reserve(plan.size());
    IndicatorValues values;
    for (Planned& p : plan) {
        switch (p.subject.kind) {
            case IndicatorSubjectKind::node:
                values = table->node(p.node, keys, options.sources);
                break;
            case IndicatorSubjectKind::department:
                values = table->department(p.subject.code, keys, options.sources);
                break;
            case IndicatorSubjectKind::unit:
                values = table->unit(p.subject.code, keys, options.sources);
                break;
            case IndicatorSubjectKind::person:
                if (selection.kind == Kind::grid_workers) {
                    values = options.activity->grid_worker_indicators(
                        p.subject.code, p.subject.grids, period, *options.calendar, options.patrol);
                    std::vector<std::string>& ids = adopted[p.subject.code];
                    const auto count = static_cast<double>(ids.size());
                    values["reports_adopted"] = IndicatorValue::of(
                        count, options.sources ? ids : std::vector<std::string>{});
                } else {
                    values = case_indicators(engine, p.subject, period);
                }
                break;
        }
        if (options.more)
            options.more(p.as, values);
        if (const auto it = options.extra.find(p.as.code); it != options.extra.end()) {
            for (const auto& [key, value] : it->second)
                values[key] = value;
        }
        // The values are this subject's alone: score_owned() moves them into the result.
        run.scores.push_back(detail::score_owned(scheme, std::move(p.as), period, values));
    }
    rank(run.scores);

    // One result per subject and no history: no streak can pass 1.
    const bool any_single =
        std::any_of(scheme.rules().begin(), scheme.rules().end(),
                    [](const ConsecutiveRule& rule) { return rule.count <= 1; });
    if (scheme.rules().empty() || (options.history.empty() && !any_single))
        return run;
    // The rules read subject, period, total and grade: slim copies of this period's scores.
    std::vector<ScoreResult> history = options.history;
    history.reserve(history.size() + run.scores.size());
    for (const ScoreResult& r : run.scores) {
        ScoreResult slim;
        slim.scheme = r.scheme;
        slim.subject = r.subject;
        slim.period = r.period;
        slim.total = r.total;
        slim.grade = r.grade;
        slim.failing = r.failing;
        history.push_back(std::move(slim));
    }
    for (RuleFlag& flag : evaluate_rules(scheme, history)) {
        if (flag.period == period)
            run.flags.push_back(std::move(flag));
    }
    return run;
}

}  // namespace gridgov
