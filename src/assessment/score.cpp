// Scores, explanations, rankings, aggregations and consecutive-period rules.
#include <muParser.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "assessment/names_impl.hpp"
#include "assessment/scheme_impl.hpp"

namespace gridgov {

const char* component_status_name(ComponentStatus status) noexcept {
    return detail::enum_name(detail::component_status_names, status, "?");
}

namespace {

std::string number_text(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

double linear_points(const LinearScale& s, double x) {
    double t = (x - s.x_from) / (s.x_to - s.x_from);
    t = std::clamp(t, 0.0, 1.0);
    return s.points_from + t * (s.points_to - s.points_from);
}

std::optional<double> formula_points(const AssessmentScheme::Impl& impl, std::size_t index,
                                     const IndicatorValues& inputs, std::string& note) {
    const ComponentSpec& c = impl.components[index];
    const auto& vars = impl.formula_vars[index];
    std::vector<double> storage(vars.size());
    // A parser per evaluation keeps score() safe to call from several threads.
    mu::Parser parser;
    try {
        for (std::size_t i = 0; i < vars.size(); ++i) {
            storage[i] = *inputs.at(vars[i]).value;
            parser.DefineVar(vars[i], &storage[i]);
        }
        parser.SetExpr(c.formula);
        double v = parser.Eval();
        if (!std::isfinite(v)) {
            note = "formula '" + c.formula +
                   "' has no finite value for these inputs (a division by zero)";
            return std::nullopt;
        }
        note = "formula " + c.formula;
        return v;
    } catch (const mu::Parser::exception_type& e) {
        throw Error(ErrorCode::invalid_argument, "scheme '" + impl.key + "' component '" + c.key +
                                                     "': formula failed: " + e.GetMsg());
    }
}

void apply_grade(const AssessmentScheme& scheme, ScoreResult& r) {
    if (!r.total)
        return;
    for (const auto& g : scheme.grades()) {
        if (*r.total >= g.min) {
            r.grade = g.key;
            r.failing = g.failing;
            return;
        }
    }
}

}  // namespace

namespace {

// The step table of a subject's area class, else the last table without one (by index).
std::size_t step_table_index(const AssessmentScheme& scheme, const ComponentSpec& c,
                             const std::string& area_class) {
    std::size_t fallback = c.steps.size();
    for (std::size_t t = 0; t < c.steps.size(); ++t) {
        if (c.steps[t].area_class == area_class)
            return t;
        if (c.steps[t].area_class.empty())
            fallback = t;
    }
    if (fallback == c.steps.size())
        throw Error(ErrorCode::not_found, "scheme '" + scheme.key() + "' component '" + c.key +
                                              "' has no step table for area class '" + area_class +
                                              "' and no default table");
    return fallback;
}

// score() over `values`; when they are not const (the caller hands them over), a value
// read for the last time is moved into the component's inputs instead of copied.
template <class Values>
ScoreResult score_values(const AssessmentScheme& scheme, AssessmentSubject subject,
                         const AssessmentPeriod& period, Values& values) {
    constexpr bool owned = !std::is_const_v<Values>;
    const auto& impl = detail::AssessmentSchemeAccess::impl(scheme);
    ScoreResult r;
    r.scheme = impl.key;
    r.subject = std::move(subject);
    r.period = period;

    const auto not_provided = [&](const std::string& key) {
        if (std::find(r.missing.begin(), r.missing.end(), key) == r.missing.end())
            r.missing.push_back(key);
        return IndicatorValue::undefined("not provided");
    };
    auto get = [&](const std::string& key) {
        auto it = values.find(key);
        if (it != values.end())
            return it->second;
        return not_provided(key);
    };

    bool failed = false;
    double all_weight = 0;
    double defined_weight = 0;
    r.components.reserve(impl.components.size());
    for (std::size_t i = 0; i < impl.components.size(); ++i) {
        const ComponentSpec& c = impl.components[i];
        ComponentResult cr;
        cr.key = c.key;
        cr.label = c.label;
        cr.weight = c.weight;
        std::string undefined_note;
        for (const auto& read : impl.reads[i]) {
            const auto it = values.find(read.key);
            if (it == values.end()) {
                IndicatorValue v = not_provided(read.key);
                if (undefined_note.empty())
                    undefined_note = "indicator '" + read.key + "' is undefined: " + v.reason;
                cr.inputs.emplace(read.key, std::move(v));
                continue;
            }
            if (!it->second.defined() && undefined_note.empty())
                undefined_note = "indicator '" + read.key + "' is undefined: " + it->second.reason;
            if constexpr (owned) {
                if (read.last) {
                    cr.inputs.insert(values.extract(it));
                    continue;
                }
            }
            cr.inputs.emplace(read.key, it->second);
        }
        std::optional<double> base;
        if (undefined_note.empty()) {
            switch (c.scale) {
                case ScaleKind::linear: {
                    double x = *cr.inputs.at(c.indicator).value;
                    base = linear_points(c.linear, x);
                    cr.note = impl.scale_notes[i];
                    break;
                }
                case ScaleKind::steps: {
                    double x = *cr.inputs.at(c.indicator).value;
                    const std::size_t t = step_table_index(scheme, c, r.subject.area_class);
                    const StepTable& table = c.steps[t];
                    for (std::size_t row = 0; row < table.rows.size(); ++row) {
                        const auto& up_to = table.rows[row].up_to;
                        if (!up_to || x <= *up_to) {
                            base = table.rows[row].points;
                            cr.note = impl.step_notes[i][t][row];
                            break;
                        }
                    }
                    break;
                }
                case ScaleKind::formula:
                    base = formula_points(impl, i, cr.inputs, cr.note);
                    if (!base)
                        undefined_note = cr.note;
                    break;
                case ScaleKind::constant:
                    base = c.constant;
                    cr.note = impl.scale_notes[i];
                    break;
            }
        }
        if (undefined_note.empty()) {
            double pts = *base;
            for (const auto& a : c.deductions) {
                double n = *cr.inputs.at(a.indicator).value;
                cr.adjustments.push_back({a.indicator, a.label, n, -n * a.points_each});
                pts -= n * a.points_each;
            }
            for (const auto& a : c.bonuses) {
                double n = *cr.inputs.at(a.indicator).value;
                cr.adjustments.push_back({a.indicator, a.label, n, n * a.points_each});
                pts += n * a.points_each;
            }
            cr.base = base;
            cr.points = std::clamp(pts, c.floor, std::max(c.floor, c.cap.value_or(c.max_points)));
            cr.status = ComponentStatus::scored;
        } else {
            cr.note = std::move(undefined_note);
            switch (c.when_undefined.value_or(impl.when_undefined)) {
                case UndefinedPolicy::exclude:
                    cr.status = ComponentStatus::excluded;
                    break;
                case UndefinedPolicy::points:
                    cr.status = ComponentStatus::undefined_points;
                    cr.points = c.undefined_points;
                    break;
                case UndefinedPolicy::fail:
                    cr.status = ComponentStatus::undefined;
                    failed = true;
                    if (r.note.empty())
                        r.note = "component '" + c.key + "': " + cr.note;
                    break;
            }
        }
        all_weight += c.weight * c.max_points;
        if (cr.points)
            defined_weight += c.weight * c.max_points;
        r.components.push_back(std::move(cr));
    }

    if (!failed && defined_weight == 0) {
        failed = true;
        r.note = "every component is excluded for undefined indicators";
    }
    // Excluded components hand their weight to the others in proportion, so that the
    // total stays on the scheme's scale.
    double factor = failed ? 1.0 : all_weight / defined_weight;
    double total = 0;
    for (auto& cr : r.components) {
        if (cr.status == ComponentStatus::excluded || cr.status == ComponentStatus::undefined) {
            cr.weight = 0;
            continue;
        }
        cr.weight *= factor;
        cr.weighted = cr.weight * *cr.points;
        total += *cr.weighted;
    }

    auto adjust = [&](const ItemAdjustment& a, double sign) {
        IndicatorValue v = get(a.indicator);
        if (!v.defined()) {
            if (impl.when_undefined == UndefinedPolicy::fail) {
                failed = true;
                if (r.note.empty())
                    r.note = "adjustment '" + a.indicator + "' is undefined: " + v.reason;
            }
            return;
        }
        r.adjustments.push_back({a.indicator, a.label, *v.value, sign * *v.value * a.points_each});
        total += sign * *v.value * a.points_each;
    };
    for (const auto& a : impl.total_deductions)
        adjust(a, -1);
    for (const auto& a : impl.total_bonuses)
        adjust(a, 1);

    if (!failed) {
        r.total = std::max(0.0, total);
        apply_grade(scheme, r);
    }
    return r;
}

}  // namespace

ScoreResult score(const AssessmentScheme& scheme, const ScoreInput& input) {
    return score_values(scheme, input.subject, input.period, input.values);
}

namespace detail {

ScoreResult score_owned(const AssessmentScheme& scheme, AssessmentSubject subject,
                        const AssessmentPeriod& period, IndicatorValues& values) {
    return score_values(scheme, std::move(subject), period, values);
}

void prepare(AssessmentScheme::Impl& s) {
    const std::size_t n = s.components.size();
    s.reads.assign(n, {});
    s.scale_notes.assign(n, std::string());
    s.step_notes.assign(n, {});
    for (std::size_t i = 0; i < n; ++i) {
        for (std::string& k : component_reads(s, i))
            s.reads[i].push_back({std::move(k), false});
        const ComponentSpec& c = s.components[i];
        if (c.scale == ScaleKind::linear) {
            s.scale_notes[i] = "linear " + number_text(c.linear.x_from) + " -> " +
                               number_text(c.linear.points_from) + ", " +
                               number_text(c.linear.x_to) + " -> " +
                               number_text(c.linear.points_to);
        } else if (c.scale == ScaleKind::constant) {
            s.scale_notes[i] = "constant";
        }
        for (const StepTable& table : c.steps) {
            std::vector<std::string> notes;
            for (const auto& row : table.rows) {
                notes.push_back(
                    "step table '" + table.area_class + "' row " +
                    (row.up_to ? "up to " + number_text(*row.up_to) : std::string("above")));
            }
            s.step_notes[i].push_back(std::move(notes));
        }
    }
    const auto read_later = [&](std::size_t after, const std::string& key) {
        for (std::size_t j = after + 1; j < n; ++j) {
            for (const auto& r : s.reads[j]) {
                if (r.key == key)
                    return true;
            }
        }
        for (const auto* list : {&s.total_deductions, &s.total_bonuses}) {
            for (const auto& a : *list) {
                if (a.indicator == key)
                    return true;
            }
        }
        return false;
    };
    for (std::size_t i = 0; i < n; ++i) {
        for (auto& r : s.reads[i])
            r.last = !read_later(i, r.key);
    }
}

}  // namespace detail

Explanation explain(const ScoreResult& result) {
    Explanation root;
    root.key = result.scheme;
    root.label = result.subject.code + " " + result.period.label();
    root.value = result.total;
    root.note = result.total ? "grade " + result.grade : result.note;
    for (const auto& c : result.components) {
        Explanation e;
        e.key = c.key;
        e.label = c.label;
        e.value = c.points;
        e.note =
            std::string(component_status_name(c.status)) + "; weight " + number_text(c.weight) +
            (c.weighted ? "; weighted " + number_text(*c.weighted) : std::string()) + "; " + c.note;
        for (const auto& [key, v] : c.inputs) {
            Explanation ind;
            ind.key = key;
            ind.value = v.value;
            ind.note = v.reason;
            for (const auto& id : v.sources)
                ind.children.push_back(Explanation{id, {}, std::nullopt, {}, {}});
            e.children.push_back(std::move(ind));
        }
        for (const auto& a : c.adjustments)
            e.children.push_back(Explanation{a.indicator,
                                             a.label,
                                             a.points,
                                             "adjustment for " + number_text(a.count) + " item(s)",
                                             {}});
        root.children.push_back(std::move(e));
    }
    for (const auto& a : result.adjustments)
        root.children.push_back(Explanation{a.indicator,
                                            a.label,
                                            a.points,
                                            "adjustment for " + number_text(a.count) + " item(s)",
                                            {}});
    return root;
}

void rank(std::vector<ScoreResult>& results) {
    // The sort keys are computed once per result instead of in every comparison. Totals and
    // weighted points are compared at six decimals so that rounding noise of the weighting
    // does not decide a rank.
    constexpr long long undefined = std::numeric_limits<long long>::min();
    const auto key = [](const std::optional<double>& v) {
        return v ? std::llround(*v * 1e6) : undefined;
    };
    std::unordered_map<std::string, std::uint32_t> group_of;
    std::vector<std::vector<std::uint32_t>> groups;
    std::vector<long long> totals(results.size());
    std::vector<std::uint32_t> comp_begin(results.size() + 1, 0);
    std::vector<long long> comps;
    // The first sixteen bytes of each code, big-endian and zero-padded: two codes whose
    // keys differ compare as their keys do, so that most ties are broken without reading
    // the results (equal keys fall back to the codes themselves).
    std::vector<std::array<std::uint64_t, 2>> code_keys(results.size());
    std::string g;
    for (std::size_t i = 0; i < results.size(); ++i) {
        const ScoreResult& r = results[i];
        const std::string& code = r.subject.code;
        for (std::size_t k = 0; k < 16; ++k) {
            const std::uint64_t byte = k < code.size() ? static_cast<unsigned char>(code[k]) : 0;
            code_keys[i][k / 8] |= byte << (8 * (7 - k % 8));
        }
        // The peer group (level, area class), the level's length first so that no two
        // pairs make the same key.
        g.assign(std::to_string(r.subject.level.size()));
        g.push_back(':');
        g.append(r.subject.level);
        g.append(r.subject.area_class);
        const auto [it, fresh] = group_of.emplace(g, static_cast<std::uint32_t>(groups.size()));
        if (fresh)
            groups.emplace_back();
        groups[it->second].push_back(static_cast<std::uint32_t>(i));
        totals[i] = key(r.total);
        for (const ComponentResult& c : r.components)
            comps.push_back(key(c.weighted));
        comp_begin[i + 1] = static_cast<std::uint32_t>(comps.size());
    }
    for (const std::vector<std::uint32_t>& members : groups) {
        std::vector<std::uint32_t> ranked;
        for (const std::uint32_t i : members) {
            results[i].peers = members.size();
            results[i].rank = 0;
            if (results[i].total)
                ranked.push_back(i);
        }
        std::sort(ranked.begin(), ranked.end(), [&](std::uint32_t a, std::uint32_t b) {
            if (totals[a] != totals[b])
                return totals[a] > totals[b];
            // A component one of them lacks (results of other schemes, aggregates) counts
            // as undefined, so that the order stays the same whichever two are compared.
            const std::uint32_t na = comp_begin[a + 1] - comp_begin[a];
            const std::uint32_t nb = comp_begin[b + 1] - comp_begin[b];
            for (std::uint32_t c = 0; c < std::max(na, nb); ++c) {
                const long long x = c < na ? comps[comp_begin[a] + c] : undefined;
                const long long y = c < nb ? comps[comp_begin[b] + c] : undefined;
                if (x != y)
                    return x > y;
            }
            if (code_keys[a] != code_keys[b])
                return code_keys[a] < code_keys[b];
            if (results[a].subject.code != results[b].subject.code)
                return results[a].subject.code < results[b].subject.code;
            return a < b;  // the same subject twice (periods mixed in): input order
        });
        for (std::size_t r = 0; r < ranked.size(); ++r)
            results[ranked[r]].rank = static_cast<int>(r + 1);
    }
}

ScoreResult aggregate(const AssessmentScheme& scheme, std::string_view key,
                      const AssessmentSubject& subject, const AssessmentPeriod& target,
                      const std::vector<ScoreResult>& history) {
    const AggregationSpec* spec = nullptr;
    for (const auto& a : scheme.aggregations())
        if (a.key == key)
            spec = &a;
    if (!spec)
        throw Error(ErrorCode::not_found,
                    "scheme '" + scheme.key() + "' has no aggregation '" + std::string(key) + "'");
    if (target.kind != spec->into)
        throw Error(ErrorCode::invalid_argument,
                    "aggregation '" + spec->key + "' makes a " + period_kind_name(spec->into) +
                        ", not the " + period_kind_name(target.kind) + " " + target.label());
    ScoreResult r;
    r.scheme = scheme.key();
    r.subject = subject;
    r.period = target;

    auto find = [&](const AssessmentPeriod& p) -> const ScoreResult* {
        for (const auto& h : history)
            if (h.subject.code == subject.code && h.period == p)
                return &h;
        return nullptr;
    };
    std::vector<std::pair<AssessmentPeriod, double>> parts;
    if (spec->method == "weighted") {
        for (const auto& part : spec->parts) {
            AssessmentPeriod p = AssessmentPeriod::containing(part.kind, target.dates().from);
            for (int i = 1; i < part.index; ++i)
                p = p.next();
            parts.emplace_back(p, part.weight);
        }
    } else {
        std::vector<AssessmentPeriod> subs;
        for (AssessmentPeriod p = AssessmentPeriod::containing(spec->of, target.dates().from);
             p.within(target); p = p.next())
            subs.push_back(p);
        for (const auto& p : subs)
            parts.emplace_back(p, 1.0 / static_cast<double>(subs.size()));
    }

    double all = 0;
    double defined = 0;
    for (const auto& [p, w] : parts) {
        ComponentResult c;
        c.key = p.label();
        c.label = p.label();
        c.weight = w;
        const ScoreResult* h = find(p);
        if (h && h->total) {
            c.points = h->total;
            defined += w;
        } else {
            c.status = scheme.when_undefined() == UndefinedPolicy::fail ? ComponentStatus::undefined
                                                                        : ComponentStatus::excluded;
            c.note =
                h ? "the total of " + p.label() + " is undefined" : "no result for " + p.label();
            if (!h)
                r.missing.push_back(p.label());
            if (c.status == ComponentStatus::undefined && r.note.empty())
                r.note = c.note;
        }
        all += w;
        r.components.push_back(std::move(c));
    }
    bool failed = !r.note.empty();
    if (!failed && defined == 0) {
        failed = true;
        r.note = "no part has a defined total";
    }
    if (failed)
        return r;
    double total = 0;
    for (auto& c : r.components) {
        if (!c.points) {
            c.weight = 0;
            continue;
        }
        c.weight *= all / defined;
        c.weighted = c.weight * *c.points;
        total += *c.weighted;
    }
    r.total = total;
    apply_grade(scheme, r);
    return r;
}

std::vector<RuleFlag> evaluate_rules(const AssessmentScheme& scheme,
                                     const std::vector<ScoreResult>& history) {
    std::vector<RuleFlag> flags;
    for (const auto& rule : scheme.rules()) {
        std::map<std::string, std::vector<const ScoreResult*>> by_subject;
        for (const auto& h : history)
            if (h.period.kind == rule.period)
                by_subject[h.subject.code].push_back(&h);
        for (auto& [code, list] : by_subject) {
            std::sort(list.begin(), list.end(), [](const ScoreResult* a, const ScoreResult* b) {
                return a->period < b->period;
            });
            std::vector<AssessmentPeriod> streak;
            for (const ScoreResult* h : list) {
                bool failing = h->total && (rule.below ? *h->total < *rule.below : h->failing);
                if (!failing) {
                    streak.clear();
                    continue;
                }
                if (!streak.empty() && streak.back().next() != h->period)
                    streak.clear();
                streak.push_back(h->period);
                if (static_cast<int>(streak.size()) >= rule.count) {
                    RuleFlag f;
                    f.rule = rule.key;
                    f.label = rule.label;
                    f.subject = code;
                    f.period = h->period;
                    f.streak = static_cast<int>(streak.size());
                    for (const auto& p : streak)
                        f.periods.push_back(p.label());
                    flags.push_back(std::move(f));
                }
            }
        }
    }
    return flags;
}

}  // namespace gridgov
