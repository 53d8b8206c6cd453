// validate(): findings for the live hierarchy (rule table in hierarchy.cpp). Data
// problems are reported, never thrown and never repaired.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "hierarchy/hierarchy_impl.hpp"

namespace gridgov {

namespace {

std::string number(double v) {
    char buf[64];
    if (std::abs(v) < 1e15 && v == std::floor(v)) {
        std::snprintf(buf, sizeof buf, "%.0f", v);
    } else {
        std::snprintf(buf, sizeof buf, "%g", v);
    }
    return buf;
}

bool all_digits(const std::string& s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

const char* segment_name(std::size_t prefix_length) {
    switch (prefix_length) {
        case 6:
            return "county";
        case 9:
            return "county + street";
        default:
            return "county + street + community";
    }
}

/// The most specific rule for a node: a rule naming the area class beats one naming
/// only the area type, which beats a rule for any area; ties go to the earlier rule.
const SizingRule* sizing_rule_for(const std::vector<SizingRule>& rules,
                                  const std::vector<int>& rule_levels, int level, AreaType type,
                                  const std::string& area_class) {
    const SizingRule* best = nullptr;
    int best_score = -1;
    for (std::size_t r = 0; r < rules.size(); ++r) {
        const SizingRule& rule = rules[r];
        if (rule_levels[r] != level ||
            (rule.area_type != AreaType::unspecified && rule.area_type != type) ||
            (!rule.area_class.empty() && rule.area_class != area_class)) {
            continue;
        }
        const int score =
            (rule.area_class.empty() ? 0 : 2) + (rule.area_type == AreaType::unspecified ? 0 : 1);
        if (score > best_score) {
            best = &rule;
            best_score = score;
        }
    }
    return best;
}

std::string rule_scope(const SizingRule& rule) {
    std::string scope;
    if (rule.area_type != AreaType::unspecified) {
        scope += std::string(area_type_name(rule.area_type)) + " ";
    }
    scope += rule.level + " nodes";
    if (!rule.area_class.empty()) {
        scope += " of class " + rule.area_class;
    }
    return scope;
}

}  // namespace

std::vector<Finding> Hierarchy::validate(const ValidationPolicy& policy) const {
    const Impl& m = *impl_;
    std::vector<Finding> out;
    auto report = [&](const char* rule, Severity severity, const std::string& where,
                      std::string message) {
        out.push_back(Finding{rule, severity, where, std::move(message)});
    };

    const int grid = m.levels.index_of(policy.grid_level);
    const int village = m.levels.index_of(policy.village_level);
    if (grid < 0) {
        report("hierarchy.policy_level", Severity::warning, policy.grid_level,
               "grid_level '" + policy.grid_level +
                   "' is not a level of this hierarchy; the grid rules did not run");
    }
    if (village < 0) {
        report("hierarchy.policy_level", Severity::warning, policy.village_level,
               "village_level '" + policy.village_level +
                   "' is not a level of this hierarchy; the village rules did not run");
    }
    std::vector<int> rule_levels;
    for (const SizingRule& rule : policy.sizing.rules) {
        rule_levels.push_back(m.levels.index_of(rule.level));
        if (rule_levels.back() < 0) {
            report("hierarchy.policy_level", Severity::warning, rule.level,
                   "sizing policy '" + policy.sizing.name + "' has a rule for level '" +
                       rule.level + "', which this hierarchy does not have");
        }
    }

    const std::size_t live = m.pre.size();
    // Grids beneath each position (backward pass) and "a village lies above" (forward pass).
    std::vector<std::uint32_t> grids_below(live, 0);
    std::vector<std::uint8_t> village_above(live, 0);
    for (std::size_t i = 0; i < live; ++i) {
        const std::uint32_t p = m.parent_pos[i];
        village_above[i] =
            p != detail::npos32 && (village_above[p] || m.level[m.pre[p]] == village);
    }
    for (std::size_t i = live; i-- > 0;) {
        grids_below[i] += m.level[m.pre[i]] == grid ? 1 : 0;
        if (m.parent_pos[i] != detail::npos32) {
            grids_below[m.parent_pos[i]] += grids_below[i];
        }
    }

    const std::vector<double>& households = m.columns[detail::households_column];
    for (std::size_t i = 0; i < live; ++i) {
        const NodeId id = m.pre[i];
        const std::string& code = m.code[id];
        const int level = m.level[id];
        const std::string& level_key = m.levels[static_cast<std::size_t>(level)].key;
        const NodeId p = m.parent[id];
        const int length = m.levels.code_length(static_cast<std::size_t>(level));

        if (policy.check_code_prefix && p != no_node && length > 0 &&
            m.levels.code_length(static_cast<std::size_t>(m.level[p])) > 0) {
            const std::string& pc = m.code[p];
            if (code.size() <= pc.size() || code.compare(0, pc.size(), pc) != 0) {
                report("hierarchy.code_prefix", Severity::error, code,
                       "code " + code + " does not extend the code of its parent " + m.who(p));
            }
        }
        if (policy.check_code_length && length > 0 &&
            code.size() != static_cast<std::size_t>(length)) {
            report("hierarchy.code_length", Severity::error, code,
                   "code " + code + " has " + std::to_string(code.size()) + " characters; " +
                       level_key + " codes have " + std::to_string(length));
        }
        if (policy.check_unit_grid_id && level == grid) {
            if (code.size() != 15 || !all_digits(code)) {
                report("hierarchy.unit_grid_id", Severity::error, code,
                       "grid code " + code +
                           " is not a 15-digit unit grid id (6 county + 3 street + 3 community "
                           "+ 3 sequence digits)");
            } else if (code.compare(12, 3, "000") == 0) {
                report("hierarchy.unit_grid_id", Severity::error, code,
                       "grid code " + code + " has sequence 000; grid sequences start at 001");
            } else {
                for (NodeId a = p; a != no_node; a = m.parent[a]) {
                    const std::string& ac = m.code[a];
                    const bool segment = ac.size() == 6 || ac.size() == 9 || ac.size() == 12;
                    if (segment && all_digits(ac) && code.compare(0, ac.size(), ac) != 0) {
                        report("hierarchy.unit_grid_id", Severity::error, code,
                               "grid code " + code + ": the " + segment_name(ac.size()) +
                                   " digits " + code.substr(0, ac.size()) +
                                   " disagree with ancestor " + m.who(a));
                        break;
                    }
                }
            }
        }
        for (std::size_t c = 0; c < std::size(detail::builtin_columns); ++c) {
            const double v = m.columns[c][id];
            if (v < 0) {
                report("hierarchy.negative_value", Severity::error, code,
                       std::string(detail::builtin_columns[c]) + " of " + m.who(id) + " is " +
                           number(v));
            }
        }
        const double hh = households[id];
        if (policy.require_households && level == grid && std::isnan(hh)) {
            report("hierarchy.missing_households", Severity::error, code,
                   "grid " + m.who(id) + " has no household count");
        }
        if (!std::isnan(hh) && m.kind[id] == GridKind::comprehensive) {
            const SizingRule* rule = sizing_rule_for(policy.sizing.rules, rule_levels, level,
                                                     m.area_type[id], m.area_class[id]);
            if (rule != nullptr && (hh < rule->min_households || hh > rule->max_households)) {
                report("hierarchy.sizing", Severity::warning, code,
                       level_key + " " + m.who(id) + " has " + number(hh) +
                           " households, outside " + number(rule->min_households) + "-" +
                           number(rule->max_households) + " for " + rule_scope(*rule) +
                           " (policy '" + policy.sizing.name + "'; " + rule->source + ")");
            }
        }
        if (level == village && grid >= 0 && grids_below[i] == 0) {
            report("hierarchy.empty_village", Severity::warning, code,
                   level_key + " " + m.who(id) + " has no " + policy.grid_level + " beneath it");
        }
        if (level == grid && village >= 0 && !village_above[i]) {
            report("hierarchy.grid_outside_village", Severity::warning, code,
                   "grid " + m.who(id) + " does not lie beneath any " + policy.village_level);
        }
    }
    return out;
}

}  // namespace gridgov
