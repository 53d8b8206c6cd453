// Compiled workflows (transition tables per state and command) and the engine's
// configuration with its built-in defaults.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "cases/engine_impl.hpp"
#include "core/json_text.hpp"

namespace gridgov::detail {
namespace {

std::uint16_t index16(std::size_t i, std::string_view what) {
    if (i >= none16)
        throw Error(ErrorCode::invalid_argument, "too many " + std::string(what) + " (" +
                                                     std::to_string(i) + ") for the case engine");
    return static_cast<std::uint16_t>(i);
}

}  // namespace

CompiledSpec::CompiledSpec(WorkflowSpec s) : spec(std::move(s)) {
    if (spec.flags.size() > 32) {
        throw Error(ErrorCode::invalid_argument, "workflow " + spec.id() + " declares " +
                                                     std::to_string(spec.flags.size()) +
                                                     " flags; the case engine keeps at most 32");
    }
    if (spec.tiers.size() > 255) {
        throw Error(ErrorCode::invalid_argument,
                    "workflow " + spec.id() + " declares more than 255 tiers");
    }
    for (std::size_t i = 0; i < spec.states.size(); ++i)
        state_index.emplace(spec.states[i].key, index16(i, "states"));
    for (std::size_t i = 0; i < spec.stages.size(); ++i)
        stage_index.emplace(spec.stages[i].key, index16(i, "stages"));
    for (std::size_t i = 0; i < spec.counters.size(); ++i)
        counter_index.emplace(spec.counters[i], index16(i, "counters"));
    const auto flag_bit = [&](const std::string& f) -> std::uint32_t {
        const auto it = std::find(spec.flags.begin(), spec.flags.end(), f);
        if (it == spec.flags.end())
            throw Error(ErrorCode::invalid_argument,
                        "workflow " + spec.id() + " uses undeclared flag \"" + f + "\"");
        return 1u << static_cast<unsigned>(it - spec.flags.begin());
    };
    const auto counter = [&](const std::string& c) -> std::uint16_t {
        const auto it = counter_index.find(c);
        if (it == counter_index.end())
            throw Error(ErrorCode::invalid_argument,
                        "workflow " + spec.id() + " uses undeclared counter \"" + c + "\"");
        return it->second;
    };
    const auto state = [&](const std::string& k) -> std::uint16_t {
        const auto it = state_index.find(k);
        if (it == state_index.end())
            throw Error(ErrorCode::invalid_argument,
                        "workflow " + spec.id() + " names unknown state \"" + k + "\"");
        return it->second;
    };

    states.reserve(spec.states.size());
    for (const StateSpec& st : spec.states) {
        CompiledState c;
        c.kind = st.kind;
        c.terminal = st.terminal;
        if (!st.timer.empty()) {
            const auto it = stage_index.find(st.timer);
            if (it == stage_index.end())
                throw Error(ErrorCode::invalid_argument, "workflow " + spec.id() + " state \"" +
                                                             st.key + "\" names unknown stage \"" +
                                                             st.timer + "\"");
            c.timer = it->second;
        }
        states.push_back(c);
    }

    transitions.reserve(spec.transitions.size());
    for (const TransitionSpec& t : spec.transitions) {
        CompiledTransition c;
        c.to = t.to.empty() ? none16 : state(t.to);
        c.clock = t.clock;
        c.extends = t.extends_clock;
        c.reason = t.reason_required;
        c.evidence = t.evidence_required;
        c.assigned_department = t.assigned_department;
        c.reporter = t.reporter;
        c.system = t.system;
        c.tier_delta = t.tier_delta;
        for (Satisfaction r : t.ratings)
            c.ratings |= static_cast<std::uint8_t>(1u << static_cast<unsigned>(r));
        for (const std::string& f : t.sets_flags)
            c.sets |= flag_bit(f);
        for (const std::string& f : t.clears_flags)
            c.clears |= flag_bit(f);
        for (const std::string& k : t.increments)
            c.increments.push_back(counter(k));
        for (const CounterGuard& g : t.guards)
            c.guards.push_back({counter(g.counter), g.min, g.max});
        for (const std::string& from : t.from)
            state(from);
        transitions.push_back(std::move(c));
    }

    const std::size_t cells = spec.states.size() * command_count;
    std::vector<std::vector<std::uint16_t>> by_cell(cells);
    for (std::size_t i = 0; i < spec.transitions.size(); ++i) {
        const TransitionSpec& t = spec.transitions[i];
        const std::uint16_t ti = index16(i, "transitions");
        if (t.command == Command::report) {
            reports.push_back(ti);
            continue;
        }
        for (const std::string& from : t.from) {
            const std::size_t cell = static_cast<std::size_t>(state(from)) * command_count +
                                     static_cast<std::size_t>(t.command);
            std::vector<std::uint16_t>& v = by_cell[cell];
            if (std::find(v.begin(), v.end(), ti) == v.end())
                v.push_back(ti);
        }
    }
    table_begin.assign(cells + 1, 0);
    for (std::size_t k = 0; k < cells; ++k) {
        table_begin[k] = static_cast<std::uint32_t>(table.size());
        table.insert(table.end(), by_cell[k].begin(), by_cell[k].end());
    }
    table_begin[cells] = static_cast<std::uint32_t>(table.size());
}

std::optional<std::uint16_t> CompiledSpec::find_state(std::string_view key) const {
    const auto it = state_index.find(std::string(key));
    if (it == state_index.end())
        return std::nullopt;
    return it->second;
}

std::optional<std::uint16_t> CompiledSpec::find_stage(std::string_view key) const {
    const auto it = stage_index.find(std::string(key));
    if (it == stage_index.end())
        return std::nullopt;
    return it->second;
}

EngineConfig EngineConfig::builtin() {
    EngineConfig c;
    c.registry = WorkflowRegistry::builtin();
    for (const std::string& key : WorkflowSpec::preset_keys())
        c.specs.emplace_back(c.registry.get(key, 1));
    c.categories = CategoryCatalogue::preset("combined");
    c.index_categories();
    c.index_departments();
    for (std::size_t s = 0; s < c.defaults.size(); ++s) {
        c.defaults[s] = is_citizen_source(static_cast<CaseSource>(s)) ? "hotline_callback"
                                                                      : "township_six_step";
    }
    return c;
}

void EngineConfig::index_categories() {
    category_index.clear();
    if (categories.categories.size() >= none16) {
        throw Error(ErrorCode::invalid_argument,
                    "category catalogue " + categories.key + " has " +
                        std::to_string(categories.categories.size()) +
                        " categories; the case engine keeps fewer than 65535");
    }
    for (std::size_t i = 0; i < categories.categories.size(); ++i)
        category_index.emplace(categories.categories[i].code, static_cast<std::uint16_t>(i));
}

void EngineConfig::index_departments() {
    department_index.clear();
    for (std::size_t i = 0; i < departments.departments.size(); ++i)
        department_index.emplace(departments.departments[i].code, static_cast<std::uint32_t>(i));
}

void EngineConfig::rebuild_calendar() {
    WorkingCalendar next;
    for (const CalendarInput& in : calendar_inputs) {
        if (in.kind == "schedule") {
            next.set_schedule(WorkingSchedule::from_json(in.document));
        } else if (in.kind == "year") {
            next.add_year_json(in.document, in.source);
        } else {
            next.add_overrides_json(in.document, in.source);
        }
    }
    calendar = std::move(next);
}

std::optional<std::uint16_t> EngineConfig::find_spec(std::string_view key, int version) const {
    for (std::size_t i = 0; i < specs.size(); ++i) {
        if (specs[i].spec.key == key && specs[i].spec.version == version)
            return static_cast<std::uint16_t>(i);
    }
    return std::nullopt;
}

std::optional<std::uint16_t> EngineConfig::latest_spec(std::string_view key) const {
    std::optional<std::uint16_t> best;
    for (std::size_t i = 0; i < specs.size(); ++i) {
        if (specs[i].spec.key == key &&
            (!best || specs[i].spec.version > specs[*best].spec.version))
            best = static_cast<std::uint16_t>(i);
    }
    return best;
}

std::string EngineConfig::defaults_json() const {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    for (std::size_t s = 0; s < defaults.size(); ++s)
        j[case_source_name(static_cast<CaseSource>(s))] = defaults[s];
    return j.dump();
}

void EngineConfig::set_defaults_json(std::string_view text) {
    const auto j = detail::parse_json_document<nlohmann::json>(text, "the default workflows");
    for (auto it = j.begin(); it != j.end(); ++it)
        defaults[static_cast<std::size_t>(parse_case_source(it.key()))] =
            it.value().get<std::string>();
}

}  // namespace gridgov::detail
