// WorkflowSpec::validate(): structure, roles and time limits. Rule ids are documented in
// docs/workflow.md; `where` is "<key>@<version>:<JSON pointer to the field>".
#include <algorithm>
#include <deque>
#include <set>

#include "gridgov/workflow.hpp"
#include "workflow/measures.hpp"

namespace gridgov {
namespace {

std::string quote(std::string_view s) {
    return "\"" + std::string(s) + "\"";
}

// Collects the findings about one spec, `where` prefixed with the spec's id.
class Checker {
  public:
    explicit Checker(const WorkflowSpec& s) : spec(s), id(s.id()) {}

    void add(const char* rule, Severity severity, const std::string& pointer,
             const std::string& message) {
        findings_.push_back(Finding{rule, severity, id + ":" + pointer, message});
    }
    void error(const char* rule, const std::string& pointer, const std::string& message) {
        add(rule, Severity::error, pointer, message);
    }
    void warning(const char* rule, const std::string& pointer, const std::string& message) {
        add(rule, Severity::warning, pointer, message);
    }

    std::vector<Finding> take() { return std::move(findings_); }

    const WorkflowSpec& spec;
    const std::string id;

  private:
    std::vector<Finding> findings_;
};

std::string at(const char* section, std::size_t i, const char* field) {
    return std::string("/") + section + "/" + std::to_string(i) + "/" + field;
}

std::string at(const char* section, std::size_t i, const char* field, std::size_t j) {
    return at(section, i, field) + "/" + std::to_string(j);
}

bool contains(const std::vector<std::string>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

std::string describe(const TransitionSpec& t, std::size_t i) {
    return "transition " + std::to_string(i) + " (" + command_name(t.command) + ")";
}

void check_duplicates(Checker& c, const char* section, const std::vector<std::string>& keys,
                      const char* field) {
    std::set<std::string, std::less<>> seen;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (keys[i].empty()) {
            c.error("workflow.empty_key", at(section, i, field),
                    std::string(section) + "[" + std::to_string(i) + "] has an empty " + field);
        } else if (!seen.insert(keys[i]).second) {
            c.error("workflow.duplicate_key", at(section, i, field),
                    std::string(section) + " key " + quote(keys[i]) + " appears twice");
        }
    }
}

void check_names(Checker& c, const char* section, const std::vector<std::string>& names) {
    std::set<std::string, std::less<>> seen;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const std::string pointer = "/" + std::string(section) + "/" + std::to_string(i);
        if (names[i].empty()) {
            c.error("workflow.empty_key", pointer, std::string(section) + " name is empty");
        } else if (!seen.insert(names[i]).second) {
            c.error("workflow.duplicate_key", pointer,
                    std::string(section) + " name " + quote(names[i]) + " appears twice");
        }
    }
}

bool same_actors(const TransitionSpec& a, const TransitionSpec& b) {
    return a.roles == b.roles && a.assigned_department == b.assigned_department &&
           a.reporter == b.reporter && a.system == b.system;
}

void check_structure(Checker& c) {
    const WorkflowSpec& s = c.spec;
    if (s.key.empty())
        c.error("workflow.empty_key", "/key", "the spec has no key");
    if (s.version < 1) {
        c.error("workflow.bad_version", "/version",
                "version " + std::to_string(s.version) + " is not 1, 2, ...");
    }
    try {
        s.lights.validate();
    } catch (const Error& e) {
        c.error("workflow.lights", "/lights", e.what());
    }
    const std::vector<std::string> known = Catalogue::preset_keys();
    for (std::size_t i = 0; i < s.catalogues.size(); ++i) {
        if (s.catalogues[i] != "workflow_roles" && !contains(known, s.catalogues[i])) {
            c.warning("workflow.unknown_catalogue", "/catalogues/" + std::to_string(i),
                      "no built-in role catalogue " + quote(s.catalogues[i]) +
                          "; validate against the locality's own catalogue");
        }
    }

    std::vector<std::string> keys;
    for (const StateSpec& st : s.states)
        keys.push_back(st.key);
    check_duplicates(c, "states", keys, "key");
    keys.clear();
    for (const StageSpec& st : s.stages)
        keys.push_back(st.key);
    check_duplicates(c, "stages", keys, "key");
    keys.clear();
    for (const TierSpec& t : s.tiers)
        keys.push_back(t.level);
    check_duplicates(c, "tiers", keys, "level");
    check_names(c, "counters", s.counters);
    check_names(c, "flags", s.flags);
    if (s.tiers.empty()) {
        c.error("workflow.no_tiers", "/tiers",
                "no escalation tiers: at least the tier where cases start is needed");
    }

    for (std::size_t i = 0; i < s.stages.size(); ++i) {
        if (s.stages[i].default_limit) {
            try {
                s.stages[i].default_limit->validate();
            } catch (const Error& e) {
                c.error("workflow.bad_limit", at("stages", i, "default_limit"), e.what());
            }
        }
    }

    bool any_terminal = false;
    for (std::size_t i = 0; i < s.states.size(); ++i) {
        const StateSpec& st = s.states[i];
        any_terminal = any_terminal || st.terminal;
        if (st.label_zh.empty()) {
            c.warning("workflow.empty_label", at("states", i, "zh"),
                      "state " + quote(st.key) + " has no Chinese label");
        }
        if (!st.timer.empty() && !s.find_stage(st.timer)) {
            c.error("workflow.unknown_stage", at("states", i, "timer"),
                    "state " + quote(st.key) + " names timer stage " + quote(st.timer) +
                        ", which the spec's stages do not declare");
        }
    }
    if (!any_terminal && !s.states.empty()) {
        c.error("workflow.no_terminal", "/states", "no state is terminal: a case can never finish");
    }

    bool any_report = false;
    for (std::size_t i = 0; i < s.transitions.size(); ++i) {
        const TransitionSpec& t = s.transitions[i];
        const std::string what = describe(t, i);
        if (t.command == Command::report) {
            any_report = true;
            if (!t.from.empty()) {
                c.error("workflow.report_with_from", at("transitions", i, "from"),
                        what + ": report creates a case and leaves no state; 'from' must be empty");
            }
            if (t.to.empty()) {
                c.error("workflow.unknown_state", at("transitions", i, "to"),
                        what + ": report must name the state the new case starts in");
            }
        } else if (t.from.empty()) {
            c.error("workflow.missing_from", at("transitions", i, "from"),
                    what + " leaves no state");
        }
        for (std::size_t j = 0; j < t.from.size(); ++j) {
            const auto k = s.find_state(t.from[j]);
            if (!k) {
                c.error("workflow.unknown_state", at("transitions", i, "from", j),
                        what + " leaves unknown state " + quote(t.from[j]));
            } else if (s.states[*k].terminal) {
                c.error("workflow.terminal_exit", at("transitions", i, "from", j),
                        what + " leaves terminal state " + quote(t.from[j]));
            }
        }
        if (!t.to.empty() && !s.find_state(t.to)) {
            c.error("workflow.unknown_state", at("transitions", i, "to"),
                    what + " goes to unknown state " + quote(t.to));
        }
        if (t.roles.empty() && !t.assigned_department && !t.reporter && !t.system) {
            c.error("workflow.no_actor", at("transitions", i, "who"),
                    what + ": nobody may fire it");
        }
        for (std::size_t j = 0; j < t.increments.size(); ++j) {
            if (!contains(s.counters, t.increments[j])) {
                c.error("workflow.unknown_counter", at("transitions", i, "increments", j),
                        what + " increments undeclared counter " + quote(t.increments[j]));
            }
        }
        for (std::size_t j = 0; j < t.guards.size(); ++j) {
            const CounterGuard& g = t.guards[j];
            if (!contains(s.counters, g.counter)) {
                c.error("workflow.unknown_counter", at("transitions", i, "when", j) + "/counter",
                        what + " tests undeclared counter " + quote(g.counter));
            }
            if (g.min > g.max) {
                c.error("workflow.guard_range", at("transitions", i, "when", j) + "/min",
                        what + ": counter " + quote(g.counter) + " range " + std::to_string(g.min) +
                            ".." + std::to_string(g.max) + " is empty");
            }
        }
        for (const auto& [list, field] :
             {std::pair{&t.sets_flags, "sets"}, std::pair{&t.clears_flags, "clears"}}) {
            for (std::size_t j = 0; j < list->size(); ++j) {
                if (!contains(s.flags, (*list)[j])) {
                    c.error("workflow.unknown_flag", at("transitions", i, field, j),
                            what + " uses undeclared flag " + quote((*list)[j]));
                }
            }
        }
        if (t.tier_delta < -1 || t.tier_delta > 1) {
            c.error("workflow.tier_delta", at("transitions", i, "tier"),
                    what + " changes the tier by " + std::to_string(t.tier_delta) +
                        "; a transition moves a case at most one tier");
        }
        if (t.extends_clock && !command_needs(t.command).amount) {
            c.error("workflow.extend_without_amount", at("transitions", i, "extend"),
                    what + " extends the clock but the command carries no amount");
        }
        if (!t.ratings.empty() && !command_needs(t.command).rating) {
            c.error("workflow.rating_guard", at("transitions", i, "ratings"),
                    what + " tests a rating but the command carries none");
        }
        const StateSpec* target = nullptr;
        if (!t.to.empty()) {
            if (const auto k = s.find_state(t.to))
                target = &s.states[*k];
        }
        if (target != nullptr && t.clock == ClockEffect::stop && !target->timer.empty()) {
            c.warning("workflow.clock_effect", at("transitions", i, "clock"),
                      what + " stops every clock but enters timed state " + quote(target->key));
        }
        if (target != nullptr && t.clock == ClockEffect::pause && !target->timer.empty() &&
            std::any_of(t.from.begin(), t.from.end(), [&](const std::string& f) {
                const auto k = s.find_state(f);
                return k && s.states[*k].timer != target->timer;
            })) {
            c.warning("workflow.clock_effect", at("transitions", i, "clock"),
                      what + " pauses the clock but enters state " + quote(target->key) +
                          " with another timer stage");
        }
        for (std::size_t e = 0; e < i; ++e) {
            const TransitionSpec& earlier = s.transitions[e];
            if (earlier.command != t.command || earlier.guards != t.guards ||
                earlier.ratings != t.ratings || !same_actors(earlier, t)) {
                continue;
            }
            const bool covered =
                t.command == Command::report
                    ? true
                    : std::all_of(t.from.begin(), t.from.end(),
                                  [&](const std::string& f) { return contains(earlier.from, f); });
            if (covered && (!t.from.empty() || t.command == Command::report)) {
                c.warning("workflow.shadowed_transition", at("transitions", i, "command"),
                          what + " can never fire: transition " + std::to_string(e) +
                              " matches first with the same actors and guards");
                break;
            }
        }
    }
    if (!any_report) {
        c.error("workflow.no_initial", "/transitions",
                "no report transition: cases have no state to start in");
    }

    bool escalates = false;
    for (const TransitionSpec& t : s.transitions)
        escalates = escalates || t.tier_delta > 0;
    for (const StateSpec& st : s.states)
        escalates = escalates || st.breach.escalate;
    if (escalates && s.tiers.size() < 2) {
        c.warning("workflow.single_tier", "/tiers",
                  "the spec escalates but has fewer than two tiers to escalate between");
    }

    // Reachability and dead ends over the transition graph.
    std::vector<bool> reached(s.states.size(), false);
    std::deque<std::size_t> queue;
    for (const TransitionSpec& t : s.transitions) {
        if (t.command != Command::report)
            continue;
        if (const auto k = s.find_state(t.to); k && !reached[*k]) {
            reached[*k] = true;
            queue.push_back(*k);
        }
    }
    while (!queue.empty()) {
        const std::size_t k = queue.front();
        queue.pop_front();
        for (const TransitionSpec& t : s.transitions) {
            if (t.to.empty() || !contains(t.from, s.states[k].key))
                continue;
            if (const auto n = s.find_state(t.to); n && !reached[*n]) {
                reached[*n] = true;
                queue.push_back(*n);
            }
        }
    }
    std::vector<bool> paused_into(s.states.size(), false);
    for (const TransitionSpec& t : s.transitions) {
        if (t.clock != ClockEffect::pause)
            continue;
        for (const std::string& f : t.from) {
            const auto k = t.to.empty() ? s.find_state(f) : s.find_state(t.to);
            if (k)
                paused_into[*k] = true;
        }
    }
    for (std::size_t i = 0; i < s.states.size(); ++i) {
        const StateSpec& st = s.states[i];
        if (any_report && !reached[i]) {
            c.error("workflow.unreachable_state", at("states", i, "key"),
                    "state " + quote(st.key) + " cannot be reached from where cases start");
        }
        if (!st.terminal) {
            const bool exits = std::any_of(
                s.transitions.begin(), s.transitions.end(), [&](const TransitionSpec& t) {
                    return !t.to.empty() && t.to != st.key && contains(t.from, st.key);
                });
            if (!exits) {
                c.error("workflow.dead_end", at("states", i, "key"),
                        "state " + quote(st.key) +
                            " is not terminal but no transition leads out of it");
            }
            if (st.timer.empty() && (st.kind == StateKind::pending || st.kind == StateKind::open) &&
                !paused_into[i]) {
                c.warning("workflow.missing_timer", at("states", i, "timer"),
                          "open state " + quote(st.key) +
                              " runs no clock: a case can wait in it without limit");
            }
        }
    }
}

// The declared measures name stages, counters and flags the spec declares; a stage no state
// times gives its indicators nothing to read.
void check_measures(Checker& c) {
    const WorkflowSpec& s = c.spec;
    if (!s.measures)
        return;
    for (const detail::wf::MeasureMember& m : detail::wf::measure_members) {
        const std::string& name = (*s.measures).*(m.member);
        if (name.empty())
            continue;
        const std::string pointer = std::string("/measures/") + m.key;
        const std::string what = std::string("measures member ") + quote(m.key) + " names " +
                                 detail::wf::measure_kind_name(m.kind) + " " + quote(name);
        switch (m.kind) {
            case detail::wf::MeasureKind::stage:
                if (!s.find_stage(name)) {
                    c.error("workflow.unknown_stage", pointer,
                            what + ", which the spec's stages do not declare");
                } else if (std::none_of(s.states.begin(), s.states.end(),
                                        [&](const StateSpec& st) { return st.timer == name; })) {
                    c.warning("workflow.untimed_measure", pointer,
                              what + ", which no state times: no case ever runs its clock");
                }
                break;
            case detail::wf::MeasureKind::counter:
                if (!contains(s.counters, name)) {
                    c.error("workflow.unknown_counter", pointer,
                            what + ", which the spec's counters do not declare");
                }
                break;
            case detail::wf::MeasureKind::flag:
                if (!contains(s.flags, name)) {
                    c.error("workflow.unknown_flag", pointer,
                            what + ", which the spec's flags do not declare");
                }
                break;
        }
    }
}

void check_roles(Checker& c, const Catalogue& roles) {
    const WorkflowSpec& s = c.spec;
    const std::string cat =
        roles.key.empty() ? "the role catalogue" : "catalogue " + quote(roles.key);
    for (std::size_t i = 0; i < s.transitions.size(); ++i) {
        const TransitionSpec& t = s.transitions[i];
        for (std::size_t j = 0; j < t.roles.size(); ++j) {
            if (!roles.find_role(t.roles[j])) {
                c.error(
                    "workflow.unknown_role", at("transitions", i, "who", j),
                    describe(t, i) + " names role " + quote(t.roles[j]) + ", unknown to " + cat);
            }
        }
    }
    for (std::size_t i = 0; i < s.states.size(); ++i) {
        const std::vector<std::string>& notify = s.states[i].breach.notify;
        for (std::size_t j = 0; j < notify.size(); ++j) {
            if (!roles.find_role(notify[j])) {
                c.error("workflow.unknown_role",
                        at("states", i, "breach") + "/notify/" + std::to_string(j),
                        "state " + quote(s.states[i].key) + " notifies role " + quote(notify[j]) +
                            ", unknown to " + cat);
            }
        }
    }
}

void check_limits(Checker& c, const CategoryCatalogue& categories) {
    const WorkflowSpec& s = c.spec;
    for (std::size_t i = 0; i < s.stages.size(); ++i) {
        const StageSpec& stage = s.stages[i];
        const bool used = std::any_of(s.states.begin(), s.states.end(),
                                      [&](const StateSpec& st) { return st.timer == stage.key; });
        if (!used || stage.default_limit)
            continue;
        std::vector<std::string> lacking;
        for (const Category& cat : categories.categories) {
            const bool has = std::any_of(cat.limits.begin(), cat.limits.end(),
                                         [&](const StageLimit& l) { return l.stage == stage.key; });
            if (!has)
                lacking.push_back(cat.code);
        }
        if (!categories.categories.empty() && lacking.size() == categories.categories.size()) {
            c.error("workflow.stage_without_limit", at("stages", i, "default_limit"),
                    "stage " + quote(stage.key) +
                        " times states but has no default limit and "
                        "no category of " +
                        quote(categories.key) + " gives it one");
        } else {
            for (const std::string& code : lacking) {
                c.warning("workflow.category_without_limit", at("stages", i, "default_limit"),
                          "category " + code + " gives stage " + quote(stage.key) +
                              " no limit and the stage has no default: such cases run it untimed");
            }
        }
    }
}

}  // namespace

std::vector<Finding> WorkflowSpec::validate(const Catalogue* roles,
                                            const CategoryCatalogue* categories) const {
    Checker c(*this);
    check_structure(c);
    check_measures(c);
    if (roles != nullptr)
        check_roles(c, *roles);
    if (categories != nullptr)
        check_limits(c, *categories);
    return c.take();
}

}  // namespace gridgov
