// WorkflowSpec: JSON reading and writing, the built-in profiles, lookups and the
// selection of transitions.
#include <algorithm>

#include "gridgov/workflow.hpp"
#include "io/enum_names.hpp"
#include "io/json_fields.hpp"
#include "workflow/embedded.hpp"
#include "workflow/json_io.hpp"
#include "workflow/measures.hpp"

namespace gridgov {
namespace {

using detail::EnumName;
using detail::wf::Json;
using detail::wf::JsonPlace;
using detail::wf::quote;

constexpr EnumName<StateKind> state_kind_names[] = {
    {StateKind::pending, "pending"},
    {StateKind::open, "open"},
    {StateKind::closed, "closed"},
    {StateKind::voided, "voided"},
};

constexpr EnumName<ClockEffect> clock_effect_names[] = {
    {ClockEffect::continue_running, "continue"},
    {ClockEffect::pause, "pause"},
    {ClockEffect::resume, "resume"},
    {ClockEffect::reset, "reset"},
    {ClockEffect::stop, "stop"},
};

}  // namespace

const char* state_kind_name(StateKind kind) noexcept {
    return detail::enum_name(state_kind_names, kind);
}

StateKind parse_state_kind(std::string_view text) {
    return detail::parse_enum(state_kind_names, text, "state kind");
}

const char* clock_effect_name(ClockEffect effect) noexcept {
    return detail::enum_name(clock_effect_names, effect);
}

ClockEffect parse_clock_effect(std::string_view text) {
    return detail::parse_enum(clock_effect_names, text, "clock effect");
}

// ---- reading ---------------------------------------------------------------------------

namespace {

StageSpec read_stage(const Json& j, const JsonPlace& at) {
    detail::json_require_object(j, at.text());
    StageSpec s;
    s.key = detail::json_string(j, "key", at.text(), true);
    s.label_zh = detail::json_string(j, "zh", at.text());
    s.label_en = detail::json_string(j, "en", at.text());
    s.default_limit = detail::wf::get_limit(j, "default_limit", at);
    return s;
}

TierSpec read_tier(const Json& j, const JsonPlace& at) {
    detail::json_require_object(j, at.text());
    TierSpec t;
    t.level = detail::json_string(j, "level", at.text(), true);
    t.label_zh = detail::json_string(j, "zh", at.text());
    t.label_en = detail::json_string(j, "en", at.text());
    return t;
}

StateSpec read_state(const Json& j, const JsonPlace& at) {
    detail::json_require_object(j, at.text());
    StateSpec s;
    s.key = detail::json_string(j, "key", at.text(), true);
    s.label_zh = detail::json_string(j, "zh", at.text());
    s.label_en = detail::json_string(j, "en", at.text());
    s.kind = detail::json_parsed(j, "kind", at.text(), parse_state_kind, StateKind::open);
    s.terminal = detail::json_bool(j, "terminal", at.text());
    s.timer = detail::json_string(j, "timer", at.text());
    if (const auto it = j.find("breach"); it != j.end() && !it->is_null()) {
        const JsonPlace b = at.at("breach");
        detail::json_require_object(*it, b.text());
        s.breach.flag = detail::json_bool(*it, "flag", b.text(), true);
        s.breach.escalate = detail::json_bool(*it, "escalate", b.text());
        s.breach.notify = detail::json_strings(*it, "notify", b.text());
    }
    return s;
}

TransitionSpec read_transition(const Json& j, const JsonPlace& at) {
    detail::json_require_object(j, at.text());
    TransitionSpec t;
    const std::string command = detail::json_string(j, "command", at.text(), true);
    try {
        t.command = parse_command(command);
    } catch (const Error& e) {
        detail::field_error(ErrorCode::invalid_argument, at.text(), "command", e.what());
    }
    t.from = detail::json_strings(j, "from", at.text());
    if (!j.contains("to")) {
        detail::field_error(ErrorCode::invalid_argument, at.text(), "to",
                            "missing (a state key, or \"\" to stay in the current state)");
    }
    t.to = detail::json_string(j, "to", at.text());
    for (std::string& who : detail::json_strings(j, "who", at.text())) {
        if (who == actor_assigned_department) {
            t.assigned_department = true;
        } else if (who == actor_reporter) {
            t.reporter = true;
        } else if (who == actor_system) {
            t.system = true;
        } else {
            t.roles.push_back(std::move(who));
        }
    }
    t.reason_required = detail::json_bool(j, "reason", at.text());
    t.evidence_required = detail::json_bool(j, "evidence", at.text());
    if (const Json* when = detail::json_array(j, "when", at.text())) {
        for (std::size_t i = 0; i < when->size(); ++i) {
            const JsonPlace g = at.at("when").at(i);
            detail::json_require_object((*when)[i], g.text());
            CounterGuard guard;
            guard.counter = detail::json_string((*when)[i], "counter", g.text(), true);
            guard.min = detail::json_int((*when)[i], "min", g.text(), guard.min);
            guard.max = detail::json_int((*when)[i], "max", g.text(), guard.max);
            t.guards.push_back(std::move(guard));
        }
    }
    const std::vector<std::string> ratings = detail::json_strings(j, "ratings", at.text());
    for (const std::string& r : ratings) {
        try {
            t.ratings.push_back(parse_satisfaction(r));
        } catch (const Error& e) {
            detail::field_error(ErrorCode::invalid_argument, at.text(), "ratings", e.what());
        }
    }
    t.clock = detail::json_parsed(j, "clock", at.text(), parse_clock_effect,
                                  ClockEffect::continue_running);
    t.extends_clock = detail::json_bool(j, "extend", at.text());
    t.increments = detail::json_strings(j, "increments", at.text());
    t.sets_flags = detail::json_strings(j, "sets", at.text());
    t.clears_flags = detail::json_strings(j, "clears", at.text());
    const std::int64_t tier = detail::json_int(j, "tier", at.text(), 0);
    if (tier < -1000 || tier > 1000) {
        detail::field_error(ErrorCode::invalid_argument, at.text(), "tier",
                            std::to_string(tier) + " is out of range");
    }
    t.tier_delta = static_cast<int>(tier);
    t.label_zh = detail::json_string(j, "zh", at.text());
    t.label_en = detail::json_string(j, "en", at.text());
    return t;
}

std::optional<WorkflowMeasures> read_measures(const Json& doc, const JsonPlace& root) {
    const auto it = doc.find("measures");
    if (it == doc.end() || it->is_null())
        return std::nullopt;
    const JsonPlace at = root.at("measures");
    detail::json_require_object(*it, at.text());
    for (const auto& item : it->items()) {
        const bool known =
            std::any_of(detail::wf::measure_members.begin(), detail::wf::measure_members.end(),
                        [&](const detail::wf::MeasureMember& m) { return item.key() == m.key; });
        if (!known) {
            std::string names;
            for (const detail::wf::MeasureMember& m : detail::wf::measure_members)
                names += std::string(names.empty() ? "" : ", ") + m.key;
            detail::field_error(ErrorCode::invalid_argument, at.text(), item.key(),
                                "not a measure (" + names + ")");
        }
    }
    WorkflowMeasures measures;
    for (const detail::wf::MeasureMember& m : detail::wf::measure_members)
        measures.*(m.member) = detail::json_string(*it, m.key, at.text());
    return measures;
}

template <class T, class F>
std::vector<T> read_list(const Json& doc, const char* field, const JsonPlace& root, F&& read) {
    std::vector<T> out;
    if (const Json* a = detail::json_array(doc, field, root.text())) {
        for (std::size_t i = 0; i < a->size(); ++i)
            out.push_back(read((*a)[i], root.at(field).at(i)));
    }
    return out;
}

}  // namespace

WorkflowSpec WorkflowSpec::from_json(std::string_view text, std::string_view source_name) {
    const Json doc = detail::wf::parse(text, source_name);
    const JsonPlace root{std::string(source_name), ""};
    detail::json_require_object(doc, root.text());
    WorkflowSpec spec;
    spec.key = detail::json_string(doc, "key", root.text(), true);
    const std::int64_t version = detail::json_int(doc, "version", root.text(), 1);
    if (version < 1 || version > 1000000000) {
        detail::field_error(ErrorCode::invalid_argument, root.text(), "version",
                            std::to_string(version) + " is not a version number (1, 2, ...)");
    }
    spec.version = static_cast<int>(version);
    spec.name_zh = detail::json_string(doc, "zh", root.text());
    spec.name_en = detail::json_string(doc, "en", root.text());
    spec.source = detail::json_string(doc, "source", root.text());
    spec.catalogues = detail::json_strings(doc, "catalogues", root.text());
    if (const auto it = doc.find("lights"); it != doc.end() && !it->is_null()) {
        const JsonPlace l = root.at("lights");
        detail::json_require_object(*it, l.text());
        spec.lights.yellow = detail::json_number(*it, "yellow", l.text(), spec.lights.yellow);
        spec.lights.red = detail::json_number(*it, "red", l.text(), spec.lights.red);
    }
    spec.counters = detail::json_strings(doc, "counters", root.text());
    spec.flags = detail::json_strings(doc, "flags", root.text());
    spec.measures = read_measures(doc, root);
    spec.tiers = read_list<TierSpec>(doc, "tiers", root, read_tier);
    spec.stages = read_list<StageSpec>(doc, "stages", root, read_stage);
    spec.states = read_list<StateSpec>(doc, "states", root, read_state);
    spec.transitions = read_list<TransitionSpec>(doc, "transitions", root, read_transition);
    return spec;
}

// ---- writing ---------------------------------------------------------------------------

std::string WorkflowSpec::to_json() const {
    Json doc = Json::object();
    doc["key"] = key;
    doc["version"] = version;
    doc["zh"] = name_zh;
    doc["en"] = name_en;
    doc["source"] = source;
    doc["catalogues"] = catalogues;
    doc["lights"] = {{"yellow", lights.yellow}, {"red", lights.red}};
    doc["counters"] = counters;
    doc["flags"] = flags;
    if (measures) {
        Json m = Json::object();
        for (const detail::wf::MeasureMember& member : detail::wf::measure_members)
            m[member.key] = (*measures).*(member.member);
        doc["measures"] = std::move(m);
    }
    Json tiers_json = Json::array();
    for (const TierSpec& t : tiers) {
        tiers_json.push_back({{"level", t.level}, {"zh", t.label_zh}, {"en", t.label_en}});
    }
    doc["tiers"] = std::move(tiers_json);
    Json stages_json = Json::array();
    for (const StageSpec& s : stages) {
        Json j = {{"key", s.key}, {"zh", s.label_zh}, {"en", s.label_en}};
        if (s.default_limit)
            j["default_limit"] = detail::wf::limit_json(*s.default_limit);
        stages_json.push_back(std::move(j));
    }
    doc["stages"] = std::move(stages_json);
    Json states_json = Json::array();
    for (const StateSpec& s : states) {
        states_json.push_back({{"key", s.key},
                               {"zh", s.label_zh},
                               {"en", s.label_en},
                               {"kind", state_kind_name(s.kind)},
                               {"terminal", s.terminal},
                               {"timer", s.timer},
                               {"breach",
                                {{"flag", s.breach.flag},
                                 {"escalate", s.breach.escalate},
                                 {"notify", s.breach.notify}}}});
    }
    doc["states"] = std::move(states_json);
    Json transitions_json = Json::array();
    for (const TransitionSpec& t : transitions) {
        std::vector<std::string> who = t.roles;
        if (t.assigned_department)
            who.emplace_back(actor_assigned_department);
        if (t.reporter)
            who.emplace_back(actor_reporter);
        if (t.system)
            who.emplace_back(actor_system);
        Json guards = Json::array();
        for (const CounterGuard& g : t.guards) {
            Json gj = {{"counter", g.counter}, {"min", g.min}};
            if (g.max != std::numeric_limits<std::int64_t>::max())
                gj["max"] = g.max;
            guards.push_back(std::move(gj));
        }
        Json ratings = Json::array();
        for (Satisfaction r : t.ratings)
            ratings.push_back(satisfaction_name(r));
        transitions_json.push_back({{"command", command_name(t.command)},
                                    {"from", t.from},
                                    {"to", t.to},
                                    {"who", who},
                                    {"reason", t.reason_required},
                                    {"evidence", t.evidence_required},
                                    {"when", std::move(guards)},
                                    {"ratings", std::move(ratings)},
                                    {"clock", clock_effect_name(t.clock)},
                                    {"extend", t.extends_clock},
                                    {"increments", t.increments},
                                    {"sets", t.sets_flags},
                                    {"clears", t.clears_flags},
                                    {"tier", t.tier_delta},
                                    {"zh", t.label_zh},
                                    {"en", t.label_en}});
    }
    doc["transitions"] = std::move(transitions_json);
    return doc.dump(2);
}

// ---- presets ---------------------------------------------------------------------------

std::vector<std::string> WorkflowSpec::preset_keys() {
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < detail::workflow_profiles_count; ++i) {
        keys.emplace_back(detail::workflow_profiles[i].key);
    }
    return keys;
}

WorkflowSpec WorkflowSpec::preset(std::string_view key) {
    const char* text =
        detail::embedded_text(detail::workflow_profiles, detail::workflow_profiles_count, key);
    if (text == nullptr) {
        throw Error(ErrorCode::not_found, "no built-in workflow profile " + quote(key));
    }
    return from_json(text, "built-in profile " + std::string(key));
}

// ---- lookups ---------------------------------------------------------------------------

std::string WorkflowSpec::id() const {
    return key + "@" + std::to_string(version);
}

WorkflowMeasures WorkflowSpec::effective_measures() const {
    if (measures)
        return *measures;
    const auto stage = [&](std::string_view k) {
        return find_stage(k) ? std::string(k) : std::string();
    };
    const auto timer_of = [&](std::string_view state) {
        const auto s = find_state(state);
        return s ? stage(states[*s].timer) : std::string();
    };
    const auto named = [](const std::vector<std::string>& declared, const char* name) {
        return std::find(declared.begin(), declared.end(), name) != declared.end()
                   ? std::string(name)
                   : std::string();
    };
    WorkflowMeasures m;
    for (const TransitionSpec& t : transitions) {
        if (t.command == Command::report) {
            m.intake = timer_of(t.to);
            break;
        }
    }
    m.dispatch = timer_of("filed");
    if (m.dispatch.empty())
        m.dispatch = stage("dispatch");
    m.handling = stage("handle");
    if (m.handling.empty())
        m.handling = timer_of("handling");
    m.check = stage("check");
    m.rework = named(counters, "rework");
    m.extensions = named(counters, "extensions");
    m.returns = named(counters, "returns");
    m.self_handled = named(flags, "self_handled");
    m.supervised = named(flags, "supervised");
    m.faked = named(flags, "faked");
    m.refused = named(flags, "refused");
    return m;
}

std::optional<std::size_t> WorkflowSpec::find_state(std::string_view k) const {
    for (std::size_t i = 0; i < states.size(); ++i) {
        if (states[i].key == k)
            return i;
    }
    return std::nullopt;
}

const StateSpec& WorkflowSpec::state(std::string_view k) const {
    if (const auto i = find_state(k))
        return states[*i];
    throw Error(ErrorCode::not_found, "workflow " + id() + " has no state " + quote(k));
}

std::optional<std::size_t> WorkflowSpec::find_stage(std::string_view k) const {
    for (std::size_t i = 0; i < stages.size(); ++i) {
        if (stages[i].key == k)
            return i;
    }
    return std::nullopt;
}

std::optional<std::size_t> WorkflowSpec::find_tier(std::string_view level) const {
    for (std::size_t i = 0; i < tiers.size(); ++i) {
        if (tiers[i].level == level)
            return i;
    }
    return std::nullopt;
}

NodeId WorkflowSpec::handling_node(const Hierarchy& hierarchy, NodeId case_node,
                                   std::size_t tier) const {
    if (tier >= tiers.size()) {
        throw Error(ErrorCode::invalid_state, "workflow " + id() + " has no tier " +
                                                  std::to_string(tier) + " (tiers 0.." +
                                                  std::to_string(tiers.size()) + " exclusive)");
    }
    if (!hierarchy.is_live(case_node)) {
        throw Error(ErrorCode::not_found,
                    "node " + std::to_string(case_node) + " is not a live node of the hierarchy");
    }
    const int level = hierarchy.levels().index_of(tiers[tier].level);
    if (level < 0) {
        throw Error(ErrorCode::not_found, "workflow " + id() + " tier " + std::to_string(tier) +
                                              " names level " + quote(tiers[tier].level) +
                                              ", which the hierarchy does not have");
    }
    for (NodeId n : hierarchy.path_to_root(case_node)) {
        if (hierarchy.level(n) <= level)
            return n;
    }
    return case_node;
}

std::vector<std::string> WorkflowSpec::initial_states() const {
    std::vector<std::string> out;
    for (const TransitionSpec& t : transitions) {
        if (t.command == Command::report && std::find(out.begin(), out.end(), t.to) == out.end()) {
            out.push_back(t.to);
        }
    }
    return out;
}

namespace {

bool guards_hold(const TransitionSpec& t, const TransitionContext& context) {
    for (const CounterGuard& g : t.guards) {
        const std::int64_t v = counter_value(context.counters, g.counter);
        if (v < g.min || v > g.max)
            return false;
    }
    if (!t.ratings.empty()) {
        if (!context.rating)
            return false;
        if (std::find(t.ratings.begin(), t.ratings.end(), context.rating->level) ==
            t.ratings.end()) {
            return false;
        }
    }
    return true;
}

bool leaves(const TransitionSpec& t, std::string_view state) {
    return std::find(t.from.begin(), t.from.end(), state) != t.from.end();
}

}  // namespace

std::vector<const TransitionSpec*> WorkflowSpec::candidates(
    std::string_view state, Command command, const TransitionContext& context) const {
    std::vector<const TransitionSpec*> out;
    for (const TransitionSpec& t : transitions) {
        if (t.command != command)
            continue;
        if (command != Command::report && !leaves(t, state))
            continue;
        if (guards_hold(t, context))
            out.push_back(&t);
    }
    return out;
}

std::vector<Command> WorkflowSpec::commands_from(std::string_view state) const {
    std::vector<bool> seen(command_count, false);
    for (const TransitionSpec& t : transitions) {
        if (leaves(t, state))
            seen[static_cast<std::size_t>(t.command)] = true;
    }
    std::vector<Command> out;
    for (std::size_t i = 0; i < command_count; ++i) {
        if (seen[i])
            out.push_back(static_cast<Command>(i));
    }
    return out;
}

// ---- equality --------------------------------------------------------------------------

bool operator==(const StageSpec& a, const StageSpec& b) {
    return a.key == b.key && a.label_zh == b.label_zh && a.label_en == b.label_en &&
           a.default_limit == b.default_limit;
}

bool operator==(const TierSpec& a, const TierSpec& b) {
    return a.level == b.level && a.label_zh == b.label_zh && a.label_en == b.label_en;
}

bool operator==(const StateSpec& a, const StateSpec& b) {
    return a.key == b.key && a.label_zh == b.label_zh && a.label_en == b.label_en &&
           a.kind == b.kind && a.terminal == b.terminal && a.timer == b.timer &&
           a.breach == b.breach;
}

bool operator==(const TransitionSpec& a, const TransitionSpec& b) {
    return a.command == b.command && a.from == b.from && a.to == b.to && a.roles == b.roles &&
           a.assigned_department == b.assigned_department && a.reporter == b.reporter &&
           a.system == b.system && a.reason_required == b.reason_required &&
           a.evidence_required == b.evidence_required && a.guards == b.guards &&
           a.ratings == b.ratings && a.clock == b.clock && a.extends_clock == b.extends_clock &&
           a.increments == b.increments && a.sets_flags == b.sets_flags &&
           a.clears_flags == b.clears_flags && a.tier_delta == b.tier_delta &&
           a.label_zh == b.label_zh && a.label_en == b.label_en;
}

bool operator==(const WorkflowSpec& a, const WorkflowSpec& b) {
    return a.key == b.key && a.version == b.version && a.name_zh == b.name_zh &&
           a.name_en == b.name_en && a.source == b.source && a.catalogues == b.catalogues &&
           a.lights.yellow == b.lights.yellow && a.lights.red == b.lights.red &&
           a.counters == b.counters && a.flags == b.flags && a.tiers == b.tiers &&
           a.stages == b.stages && a.states == b.states && a.transitions == b.transitions &&
           a.measures == b.measures;
}

}  // namespace gridgov
