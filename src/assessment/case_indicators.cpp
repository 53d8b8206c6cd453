// Indicators from cases: every case is classified once for the period into a set of bits
// (one per base count) and three numbers (handling hours, overtime multiple, rating); a
// subject's values are sums over its cases. Definitions: docs/assessment.md, "Indicators
// from cases".
//
// The classification reads the engine's case columns directly (the structure of arrays
// behind CaseEngine::get(), through the read-only view of cases/columns.hpp), so that ten
// million cases classify in a fraction of a second without building a CaseRecord each.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "assessment/case_indicators_impl.hpp"
#include "assessment/names_impl.hpp"
#include "cases/columns.hpp"
#include "gridgov/indicators.hpp"

namespace gridgov {

namespace detail {

namespace {

// ---- the keys --------------------------------------------------------------------------

enum class DefKind : std::uint8_t { count, rate, mean };

struct Def {
    const char* key;
    const char* label;
    const char* unit;
    DefKind kind;
    int bit;  // count: its bit; rate: numerator bit; mean: the bit of the cases averaged
    int den;  // rate: denominator bit
    const char* den_label;
    int mean;  // mean: index into Counts::sum
    const char* definition;
};

// clang-format off
const Def defs[] = {
    {"received", "受理数", "count", DefKind::count, b_received, -1, "", -1,
     "cases reported in the period (every source)"},
    {"filed", "立案数", "count", DefKind::count, b_filed, -1, "", -1,
     "cases reported in the period that were filed and are not voided (open or closed now; "
     "self-handled cases count)"},
    {"dispatched", "派遣数", "count", DefKind::count, b_dispatched, -1, "", -1,
     "cases reported in the period that were dispatched (routed to a department or a "
     "territorial node)"},
    {"to_dispatch", "应派遣数", "count", DefKind::count, b_to_dispatch, -1, "", -1,
     "filed cases of the period that were not self-handled"},
    {"dispatched_on_time", "按时派遣数", "count", DefKind::count, b_dispatched_on_time, -1, "",
     -1, "dispatched cases whose dispatch-stage clock never ran out"},
    {"dispatched_accurately", "准确派遣数", "count", DefKind::count, b_dispatched_accurately, -1,
     "", -1, "dispatched cases never returned (回退) by the department"},
    {"voided", "作废数", "count", DefKind::count, b_voided, -1, "", -1,
     "cases reported in the period that are voided (不予立案 or 作废)"},
    {"public_reports", "监督举报数", "count", DefKind::count, b_public_reports, -1, "", -1,
     "filed cases of the period from a citizen source (12345, 12319, app): public reports "
     "verified as real"},
    {"missed", "漏报数", "count", DefKind::count, b_missed, -1, "", -1,
     "public reports in the subject's area: problems the public found before the patrols "
     "(a person: over the grids given with the subject)"},
    {"staff_reports", "监督员上报数", "count", DefKind::count, b_staff_reports, -1, "", -1,
     "cases reported in the period by grid workers and supervisors"},
    {"valid_reports", "有效上报数", "count", DefKind::count, b_valid_reports, -1, "", -1,
     "staff reports that were filed"},
    {"to_verify", "应核实数", "count", DefKind::count, b_to_verify, -1, "", -1,
     "cases of the period from a citizen source (each needs verifying)"},
    {"verified_on_time", "按时核实数", "count", DefKind::count, b_verified_on_time, -1, "", -1,
     "citizen cases that left intake (filed or voided) before the intake clock ran out"},
    {"to_check", "应核查数", "count", DefKind::count, b_to_check, -1, "", -1,
     "cases whose check-stage clock started in the period (handling fed back)"},
    {"checked_on_time", "按时核查数", "count", DefKind::count, b_checked_on_time, -1, "", -1,
     "of those, checks done before the check clock ran out"},
    {"due", "应结案数", "count", DefKind::count, b_due, -1, "", -1,
     "filed cases (open or closed now) closed in the period, or whose handling deadline "
     "falls in the period and which were not closed before it"},
    {"due_ex_deferred", "应结案数（扣除缓办）", "count", DefKind::count, b_due_ex_deferred, -1,
     "", -1, "due cases that are not deferred"},
    {"closed", "结案数", "count", DefKind::count, b_closed, -1, "", -1,
     "cases closed in the period"},
    {"closed_on_time", "按期结案数", "count", DefKind::count, b_closed_on_time, -1, "", -1,
     "closed cases whose handling clock never ran out (without one: no clock of the case "
     "ran out)"},
    {"rework", "返工数", "count", DefKind::count, b_rework, -1, "", -1,
     "due cases that failed a check at least once"},
    {"extended", "延期数", "count", DefKind::count, b_extended, -1, "", -1,
     "due cases granted at least one extension"},
    {"deferred", "缓办数", "count", DefKind::count, b_deferred, -1, "", -1,
     "due cases whose handling clock is suspended (挂账) when computed"},
    {"supervised", "督办数", "count", DefKind::count, b_supervised, -1, "", -1,
     "due cases with the supervision flag"},
    {"to_handle", "应处置数", "count", DefKind::count, b_to_handle, -1, "", -1,
     "due cases that were dispatched"},
    {"handled", "处置数", "count", DefKind::count, b_handled, -1, "", -1,
     "of those, cases whose handling stage is over (fed back or closed)"},
    {"handled_on_time", "按时处置数", "count", DefKind::count, b_handled_on_time, -1, "", -1,
     "handled cases whose handling clock never ran out"},
    {"emergency_due", "紧急问题应结案数", "count", DefKind::count, b_emergency_due, -1, "", -1,
     "due cases of a category counted in natural time (urgent)"},
    {"emergency_closed", "紧急问题结案数", "count", DefKind::count, b_emergency_closed, -1, "",
     -1, "closed cases of an urgent category"},
    {"emergency_closed_on_time", "紧急问题按期结案数", "count", DefKind::count,
     b_emergency_closed_on_time, -1, "", -1, "closed on time, of an urgent category"},
    {"sent_back", "核查不通过退回", "count", DefKind::count, b_sent_back, -1, "", -1,
     "due cases, not referrals, sent back at least once by a failed check"},
    {"failed_check_3x", "三次及以上核查不通过", "count", DefKind::count, b_failed_check_3x, -1,
     "", -1, "due cases, not referrals, that failed the check three times or more"},
    {"faked", "虚假处置", "count", DefKind::count, b_faked, -1, "", -1,
     "due cases, not referrals, carrying the flag the workflow's measures name faked"},
    {"refused", "推诿扯皮", "count", DefKind::count, b_refused, -1, "", -1,
     "due cases, not referrals, carrying the flag the workflow's measures name refused"},
    {"referral_sent_back", "交办件核查不通过退回", "count", DefKind::count, b_referral_sent_back,
     -1, "", -1, "as sent_back, for referred cases (领导交办、媒体曝光、部门转办)"},
    {"referral_failed_check_3x", "交办件三次及以上核查不通过", "count", DefKind::count,
     b_referral_failed_check_3x, -1, "", -1, "as failed_check_3x, for referred cases"},
    {"referral_faked", "交办件虚假处置", "count", DefKind::count, b_referral_faked, -1, "", -1,
     "as faked, for referred cases"},
    {"referral_refused", "交办件推诿扯皮", "count", DefKind::count, b_referral_refused, -1, "",
     -1, "as refused, for referred cases"},
    {"overtime_cases", "超时案件数", "count", DefKind::count, b_overtime, -1, "", -1,
     "due cases whose handling clock ran out"},
    {"rated", "评价数", "count", DefKind::count, b_rated, -1, "", -1,
     "closed cases with a rating"},

    {"filing_rate", "立案率", "%", DefKind::rate, b_filed, b_received, "受理数", -1,
     "filed / received"},
    {"dispatch_rate", "派遣率", "%", DefKind::rate, b_dispatched, b_filed, "立案数", -1,
     "dispatched / filed"},
    {"closure_rate", "结案率", "%", DefKind::rate, b_closed, b_due, "应结案数", -1,
     "closed / due"},
    {"on_time_rate", "按期结案率", "%", DefKind::rate, b_closed_on_time, b_due, "应结案数", -1,
     "closed_on_time / due"},
    {"rework_rate", "返工率", "%", DefKind::rate, b_rework, b_due, "应结案数", -1,
     "rework / due"},
    {"extension_rate", "延期率", "%", DefKind::rate, b_extended, b_due, "应结案数", -1,
     "extended / due"},
    {"closure_rate_ex_deferred", "结案率（扣除缓办）", "%", DefKind::rate, b_closed,
     b_due_ex_deferred, "应结案数−缓办数", -1, "closed / (due − deferred) (Jinhua)"},
    {"on_time_rate_ex_deferred", "按期结案率（扣除缓办）", "%", DefKind::rate, b_closed_on_time,
     b_due_ex_deferred, "应结案数−缓办数", -1, "closed_on_time / (due − deferred) (Jinhua)"},
    {"on_time_closure_rate", "按时结案率", "%", DefKind::rate, b_closed_on_time, b_closed,
     "结案数", -1, "closed_on_time / closed"},
    {"public_report_rate", "监督举报率", "%", DefKind::rate, b_public_reports, b_filed, "立案数",
     -1, "public_reports / filed (lower is better)"},
    {"missed_rate", "漏报率", "%", DefKind::rate, b_missed, b_area_filed, "立案数", -1,
     "missed / filed in the same area (lower is better)"},
    {"valid_report_rate", "有效上报率", "%", DefKind::rate, b_valid_reports, b_staff_reports,
     "监督员上报数", -1, "valid_reports / staff_reports"},
    {"on_time_verify_rate", "按时核实率", "%", DefKind::rate, b_verified_on_time, b_to_verify,
     "应核实数", -1, "verified_on_time / to_verify"},
    {"on_time_check_rate", "按时核查率", "%", DefKind::rate, b_checked_on_time, b_to_check,
     "应核查数", -1, "checked_on_time / to_check"},
    {"on_time_dispatch_rate", "按时派遣率", "%", DefKind::rate, b_dispatched_on_time,
     b_to_dispatch, "应派遣数", -1, "dispatched_on_time / to_dispatch"},
    {"accurate_dispatch_rate", "准确派遣率", "%", DefKind::rate, b_dispatched_accurately,
     b_to_dispatch, "应派遣数", -1, "dispatched_accurately / to_dispatch"},
    {"on_time_handling_rate", "按时处置率", "%", DefKind::rate, b_handled_on_time, b_to_handle,
     "应处置数", -1, "handled_on_time / to_handle"},
    {"handled_rework_rate", "返工率（按处置数）", "%", DefKind::rate, b_rework, b_handled,
     "处置数", -1, "rework / handled (the department variant)"},
    {"emergency_closure_rate", "紧急问题结案率", "%", DefKind::rate, b_emergency_closed,
     b_emergency_due, "紧急问题应结案数", -1, "emergency_closed / emergency_due"},
    {"emergency_on_time_rate", "紧急问题按期结案率", "%", DefKind::rate,
     b_emergency_closed_on_time, b_emergency_due, "紧急问题应结案数", -1,
     "emergency_closed_on_time / emergency_due"},

    {"mean_handling_hours", "平均处置时长", "hours", DefKind::mean, b_handling_timed, -1,
     "结案数", sum_hours,
     "mean clock time (working hours for working-time limits) the handling clock used, over "
     "closed cases that had one"},
    {"overtime_multiple", "超时倍数", "ratio", DefKind::mean, b_overtime, -1, "超时案件数",
     sum_overtime,
     "mean of used / budget (limit plus extensions) of the handling clocks of overtime cases, "
     "read at the end of the period for clocks still counting"},
    {"mean_rating", "平均评价", "points", DefKind::mean, b_rated, -1, "评价数", sum_rating,
     "mean rating (1–5; a level without a score: 满意 5, 基本满意 3, 不满意 1) of the rated "
     "cases"},
};
// clang-format on

const Def* find_def(std::string_view key) {
    // By key, built once: a whole province looks its keys up for every node.
    static const std::unordered_map<std::string_view, const Def*> index = [] {
        std::unordered_map<std::string_view, const Def*> out;
        for (const Def& d : defs)
            out.emplace(d.key, &d);
        return out;
    }();
    const auto it = index.find(key);
    return it == index.end() ? nullptr : it->second;
}

// The index of a stage, counter or flag a measure names; none16, -1, 0 for "" or a name the
// spec lacks (validation refuses a spec whose declared measures name one).
std::uint16_t stage_index(const WorkflowSpec& spec, const std::string& stage) {
    const auto s = stage.empty() ? std::nullopt : spec.find_stage(stage);
    return s ? static_cast<std::uint16_t>(*s) : none16;
}

int counter_index(const WorkflowSpec& spec, const std::string& counter) {
    const auto it = std::find(spec.counters.begin(), spec.counters.end(), counter);
    return counter.empty() || it == spec.counters.end()
               ? -1
               : static_cast<int>(it - spec.counters.begin());
}

std::uint32_t flag_bit(const WorkflowSpec& spec, const std::string& flag) {
    for (std::size_t f = 0; !flag.empty() && f < spec.flags.size() && f < 32; ++f) {
        if (spec.flags[f] == flag)
            return 1u << f;
    }
    return 0;
}

}  // namespace

// ---- classification ----------------------------------------------------------------------

Classifier::Classifier(const CaseEngine& engine, const AssessmentPeriod& period)
    : cols_(columns_of(engine)) {
    const Period dates = period.dates();
    start_ = Instant::from_local(dates.from).seconds;
    end_ = Instant::from_local(dates.to).seconds;
    for (std::size_t i = 0; i < cols_.workflow_count(); ++i) {
        // What each workflow version measures with, by role (its declared measures, else
        // the conventional names): never by a name written here.
        const WorkflowSpec& spec = cols_.workflow(i);
        const WorkflowMeasures m = spec.effective_measures();
        SpecInfo s;
        s.intake = stage_index(spec, m.intake);
        s.dispatch = stage_index(spec, m.dispatch);
        s.handle = stage_index(spec, m.handling);
        s.check = stage_index(spec, m.check);
        s.rework = counter_index(spec, m.rework);
        s.extensions = counter_index(spec, m.extensions);
        s.returns = counter_index(spec, m.returns);
        s.self_handled = flag_bit(spec, m.self_handled);
        s.supervised = flag_bit(spec, m.supervised);
        s.faked = flag_bit(spec, m.faked);
        s.refused = flag_bit(spec, m.refused);
        s.kinds = static_cast<std::uint32_t>(kinds_.size());
        for (const StateSpec& st : spec.states)
            kinds_.push_back(st.kind);
        specs_.push_back(s);
    }
    for (const Category& c : cols_.categories().categories)
        urgent_.push_back(c.clock_mode == ClockMode::natural ? 1 : 0);
}

std::size_t Classifier::size() const {
    return cols_.size();
}

bool Classifier::classify(CaseId id, Fact& out) const {
    const CaseColumns& t = cols_;
    const std::int64_t reported = t.reported_at[id];
    const std::int64_t closed_at = t.closed_at[id];
    // Nothing of a case reported after the period or finished before it counts.
    if (reported >= end_ || closed_at < start_)
        return false;
    const SpecInfo& si = specs_[t.spec[id]];
    const StateKind kind = kinds_[si.kinds + t.state[id]];
    const auto source = static_cast<CaseSource>(t.source[id]);
    const bool citizen = is_citizen_source(source);
    const std::uint32_t flags = t.flags[id];
    const std::int32_t* counters = t.counter_values(id);
    // A closed case's clocks are kept packed: unpacked here, into a buffer kept per thread.
    thread_local std::vector<ClockSlot> scratch;
    const ClockSlot* slots = t.slots(id, scratch);
    const auto slot = [&](std::uint16_t stage) -> const ClockSlot* {
        if (stage == none16 || slots[stage].run == clock_absent)
            return nullptr;
        return &slots[stage];
    };
    const auto breached = [](const ClockSlot* c) {
        return c != nullptr && (c->bits & clock_breached) != 0;
    };
    const auto counter = [&](int index) -> std::int64_t { return index < 0 ? 0 : counters[index]; };

    std::uint64_t bits = 0;
    const auto set = [&bits](int bit, bool on) {
        if (on)
            bits |= std::uint64_t{1} << bit;
    };
    const bool standing = kind == StateKind::open || kind == StateKind::closed;
    const bool received = reported >= start_;
    const bool filed = received && standing;
    const bool dispatched = received && t.route_node[id] != no_node;
    set(b_received, received);
    set(b_filed, filed);
    set(b_area_filed, filed);
    set(b_dispatched, dispatched);
    set(b_to_dispatch, filed && (flags & si.self_handled) == 0);
    set(b_dispatched_on_time, dispatched && !breached(slot(si.dispatch)));
    set(b_dispatched_accurately, dispatched && counter(si.returns) == 0);
    set(b_voided, received && kind == StateKind::voided);
    set(b_public_reports, filed && citizen);
    set(b_missed, filed && citizen);
    const bool staff = source == CaseSource::grid_worker || source == CaseSource::supervisor;
    set(b_staff_reports, received && staff);
    set(b_valid_reports, filed && staff);
    set(b_to_verify, received && citizen);
    set(b_verified_on_time,
        received && citizen && kind != StateKind::pending && !breached(slot(si.intake)));
    if (const ClockSlot* check = slot(si.check)) {
        const bool started = check->start >= start_ && check->start < end_;
        set(b_to_check, started);
        set(b_checked_on_time, started &&
                                   check->run != static_cast<std::uint8_t>(ClockRun::counting) &&
                                   !breached(check));
    }

    const ClockSlot* handle = slot(si.handle);
    const bool closed_in = kind == StateKind::closed && closed_at < end_;  // >= start_ above
    const bool deadline_in =
        handle != nullptr && handle->deadline >= start_ && handle->deadline < end_;
    const bool due = standing && (closed_in || deadline_in);
    const bool handle_breached = breached(handle);
    const bool on_time = closed_in && (handle != nullptr ? !handle_breached : t.breached[id] == 0);
    const bool deferred =
        due && handle != nullptr && handle->run == static_cast<std::uint8_t>(ClockRun::suspended);
    const bool urgent = urgent_[t.category[id]] != 0;
    const bool referral = source == CaseSource::referral;
    const std::int64_t rework = counter(si.rework);
    set(b_due, due);
    set(b_due_ex_deferred, due && !deferred);
    set(b_closed, closed_in);
    set(b_closed_on_time, on_time);
    set(b_rework, due && rework > 0);
    set(b_extended, due && counter(si.extensions) > 0);
    set(b_deferred, deferred);
    set(b_supervised, due && (flags & si.supervised) != 0);
    const bool to_handle = due && t.route_node[id] != no_node;
    const bool handled = to_handle && handle != nullptr &&
                         (handle->run == static_cast<std::uint8_t>(ClockRun::idle) ||
                          handle->run == static_cast<std::uint8_t>(ClockRun::stopped));
    set(b_to_handle, to_handle);
    set(b_handled, handled);
    set(b_handled_on_time, handled && !handle_breached);
    set(b_emergency_due, due && urgent);
    set(b_emergency_closed, closed_in && urgent);
    set(b_emergency_closed_on_time, on_time && urgent);
    set(referral ? b_referral_sent_back : b_sent_back, due && rework > 0);
    set(referral ? b_referral_failed_check_3x : b_failed_check_3x, due && rework >= 3);
    set(referral ? b_referral_faked : b_faked, due && (flags & si.faked) != 0);
    set(referral ? b_referral_refused : b_refused, due && (flags & si.refused) != 0);

    out.hours = 0;
    out.overtime = 0;
    out.rating = 0;
    if (due && handle_breached && handle->budget > 0) {
        std::int64_t used = handle->used;
        if (handle->run == static_cast<std::uint8_t>(ClockRun::counting) && handle->since < end_) {
            if ((handle->bits & clock_working) != 0) {
                try {
                    used += cols_.calendar().working_time_between(Instant{handle->since},
                                                                  Instant{end_});
                } catch (const Error&) {
                    // A year without calendar data: the clock as it was last recorded.
                }
            } else {
                used += end_ - handle->since;
            }
        }
        set(b_overtime, true);
        out.overtime = std::llround(static_cast<double>(used) /
                                    static_cast<double>(handle->budget) * overtime_scale);
    }
    if (closed_in && handle != nullptr) {
        set(b_handling_timed, true);
        out.hours = handle->used;
    }
    if (closed_in && t.rating[id] != 0) {
        set(b_rated, true);
        if (t.rating_score[id] != 0) {
            out.rating = t.rating_score[id];
        } else {
            switch (static_cast<Satisfaction>(t.rating[id] - 1)) {
                case Satisfaction::satisfied:
                    out.rating = 5;
                    break;
                case Satisfaction::basically_satisfied:
                    out.rating = 3;
                    break;
                case Satisfaction::unsatisfied:
                    out.rating = 1;
                    break;
            }
        }
    }
    out.bits = bits;
    return bits != 0;
}

void Classifier::prefetch(CaseId id) const {
    const CaseColumns& t = cols_;
    if (id >= t.size())
        return;
    __builtin_prefetch(&t.reported_at[id]);
    __builtin_prefetch(&t.closed_at[id]);
    __builtin_prefetch(&t.spec[id]);
    __builtin_prefetch(&t.state[id]);
    __builtin_prefetch(&t.source[id]);
    __builtin_prefetch(&t.flags[id]);
    __builtin_prefetch(&t.counter_base[id]);
    __builtin_prefetch(&t.clock_base[id]);
    __builtin_prefetch(&t.route_node[id]);
    __builtin_prefetch(&t.category[id]);
    __builtin_prefetch(&t.department[id]);
    __builtin_prefetch(&t.node[id]);
    __builtin_prefetch(&t.rating[id]);
    __builtin_prefetch(&t.breached[id]);
}

void Classifier::prefetch_clocks(CaseId id) const {
    const CaseColumns& t = cols_;
    if (id >= t.size())
        return;
    const char* c = static_cast<const char*>(t.clocks_address(id));
    for (std::size_t off = 0; off < 4 * sizeof(ClockSlot); off += 64)
        __builtin_prefetch(c + off);
    __builtin_prefetch(t.counter_values(id));
}

bool Classifier::may_count(CaseId id) const {
    return cols_.reported_at[id] < end_ && cols_.closed_at[id] >= start_;
}

NodeId Classifier::node(CaseId id) const {
    return cols_.node[id];
}
std::uint32_t Classifier::department(CaseId id) const {
    return cols_.department[id];
}
std::uint32_t Classifier::reporter(CaseId id) const {
    return cols_.reporter[id];
}
std::string_view Classifier::number(CaseId id) const {
    return cols_.number(id);
}
std::optional<std::uint32_t> Classifier::person(std::string_view id) const {
    return cols_.person(id);
}
std::optional<std::uint32_t> Classifier::department_index(std::string_view code) const {
    return cols_.department_index(code);
}
std::vector<std::string> Classifier::department_codes() const {
    std::vector<std::string> out;
    for (const Department& d : cols_.departments().departments)
        out.push_back(d.code);
    return out;
}
const Hierarchy& Classifier::hierarchy() const {
    return cols_.hierarchy();
}

// ---- values ------------------------------------------------------------------------------

void Counts::add(const Fact& f) {
    std::uint64_t bits = f.bits;
    while (bits != 0) {
        const int b = __builtin_ctzll(bits);
        ++n[static_cast<std::size_t>(b)];
        bits &= bits - 1;
    }
    if ((f.bits & (std::uint64_t{1} << b_handling_timed)) != 0)
        sum[sum_hours] += f.hours;
    if ((f.bits & (std::uint64_t{1} << b_overtime)) != 0)
        sum[sum_overtime] += f.overtime;
    if ((f.bits & (std::uint64_t{1} << b_rated)) != 0)
        sum[sum_rating] += f.rating;
}

std::vector<const void*> select_defs(const std::vector<std::string>& keys) {
    std::vector<const void*> out;
    if (keys.empty()) {
        for (const Def& d : defs)
            out.push_back(&d);
        return out;
    }
    for (const std::string& k : keys) {
        if (const Def* d = find_def(k))
            out.push_back(d);
    }
    return out;
}

bool known_key(std::string_view key) {
    return find_def(key) != nullptr;
}

int source_bit(std::string_view key) {
    const Def* d = find_def(key);
    return d == nullptr ? -1 : d->bit;
}

IndicatorValues make_values(const Counts& c, const std::vector<const void*>& selected,
                            const SourceFn* sources) {
    IndicatorValues out;
    std::map<int, std::vector<std::string>> cache;
    const auto ids = [&](int bit) -> std::vector<std::string> {
        if (sources == nullptr)
            return {};
        auto it = cache.find(bit);
        if (it == cache.end())
            it = cache.emplace(bit, (*sources)(bit)).first;
        return it->second;
    };
    for (const void* p : selected) {
        const Def& d = *static_cast<const Def*>(p);
        const auto count = static_cast<double>(c.n[static_cast<std::size_t>(d.bit)]);
        switch (d.kind) {
            case DefKind::count:
                out.emplace(d.key, IndicatorValue::of(count, ids(d.bit)));
                break;
            case DefKind::rate: {
                const IndicatorValue num = IndicatorValue::of(count, ids(d.bit));
                const IndicatorValue den =
                    IndicatorValue::of(static_cast<double>(c.n[static_cast<std::size_t>(d.den)]));
                out.emplace(d.key, rate_percent(num, den, d.den_label));
                break;
            }
            case DefKind::mean:
                if (count == 0) {
                    out.emplace(d.key,
                                IndicatorValue::undefined(std::string(d.den_label) + " is 0"));
                } else {
                    double sum = static_cast<double>(c.sum[static_cast<std::size_t>(d.mean)]);
                    if (d.mean == sum_hours)
                        sum /= 3600.0;
                    else if (d.mean == sum_overtime)
                        sum /= overtime_scale;
                    out.emplace(d.key, IndicatorValue::of(sum / count, ids(d.bit)));
                }
                break;
        }
    }
    return out;
}

}  // namespace detail

// ---- public ------------------------------------------------------------------------------

const std::vector<CaseIndicatorDefinition>& case_indicator_definitions() {
    static const std::vector<CaseIndicatorDefinition> list = [] {
        std::vector<CaseIndicatorDefinition> out;
        for (const detail::Def& d : detail::defs) {
            CaseIndicatorDefinition c;
            c.key = d.key;
            c.label = d.label;
            c.unit = d.unit;
            c.definition = d.definition;
            if (d.kind == detail::DefKind::rate) {
                for (const detail::Def& e : detail::defs) {
                    if (e.kind == detail::DefKind::count && e.bit == d.den)
                        c.denominator = e.key;
                }
                if (d.den == detail::b_area_filed)
                    c.denominator = "filed";
            }
            out.push_back(std::move(c));
        }
        return out;
    }();
    return list;
}

const char* indicator_subject_kind_name(IndicatorSubjectKind kind) noexcept {
    return detail::enum_name(detail::indicator_subject_kind_names, kind, "?");
}

IndicatorSubjectKind parse_indicator_subject_kind(std::string_view text) {
    return detail::parse_enum(detail::indicator_subject_kind_names, text, "indicator subject kind");
}

IndicatorSubject IndicatorSubject::node(std::string code) {
    return IndicatorSubject{IndicatorSubjectKind::node, std::move(code), {}};
}
IndicatorSubject IndicatorSubject::department(std::string code) {
    return IndicatorSubject{IndicatorSubjectKind::department, std::move(code), {}};
}
IndicatorSubject IndicatorSubject::person(std::string id, std::vector<std::string> grids) {
    return IndicatorSubject{IndicatorSubjectKind::person, std::move(id), std::move(grids)};
}
IndicatorSubject IndicatorSubject::unit(std::string place) {
    return IndicatorSubject{IndicatorSubjectKind::unit, std::move(place), {}};
}

namespace {

/// The units of one overlay a case counts for, by the base node it is located at: the
/// innermost units covering the node (Networks::covering) and every unit above them.
/// Nodes with the same units share one set; set 0 is empty.
struct UnitCover {
    const Overlay* overlay = nullptr;
    std::vector<std::uint32_t> set_of;  // by base node id
    std::vector<std::vector<NodeId>> sets;

    bool contains(std::uint32_t set, NodeId unit) const {
        const std::vector<NodeId>& s = sets[set];
        return std::binary_search(s.begin(), s.end(), unit);
    }
};

UnitCover unit_cover(const Hierarchy& base, const Overlay& overlay) {
    UnitCover c;
    c.overlay = &overlay;
    c.set_of.assign(base.id_count(), 0);
    c.sets.emplace_back();
    const Hierarchy& units = overlay.units();
    std::map<std::vector<NodeId>, std::uint32_t> interned;
    // Pre-order: a node without units of its own inherits its parent's set.
    for (const NodeId n : base.preorder()) {
        std::vector<NodeId> own;
        for (const NodeId u : overlay.units_of(n)) {
            if (units.is_live(u))
                own.push_back(u);
        }
        if (own.empty()) {
            const NodeId parent = base.parent(n);
            c.set_of[n] = parent == no_node ? 0 : c.set_of[parent];
            continue;
        }
        std::vector<NodeId> set;
        for (const NodeId u : own) {
            const bool encloses_another = std::any_of(own.begin(), own.end(), [&](NodeId v) {
                return v != u && units.is_ancestor(u, v);
            });
            if (encloses_another)
                continue;
            for (const NodeId up : units.path_to_root(u))
                set.push_back(up);
        }
        std::sort(set.begin(), set.end());
        set.erase(std::unique(set.begin(), set.end()), set.end());
        const auto [it, added] =
            interned.emplace(std::move(set), static_cast<std::uint32_t>(c.sets.size()));
        if (added)
            c.sets.push_back(it->first);
        c.set_of[n] = it->second;
    }
    return c;
}

/// The unit a place names, with its overlay; throws as CaseIndicatorTable::unit() says.
std::pair<const Overlay*, NodeId> unit_of_place(const Networks& networks, std::string_view code) {
    const Place place = networks.place(code);
    if (place.overlay.empty()) {
        throw Error(ErrorCode::invalid_argument,
                    "\"" + std::string(code) +
                        "\" is a node of the base hierarchy, not an overlay unit: ask for a node");
    }
    return {networks.find_overlay(place.overlay), place.node};
}

}  // namespace

namespace {

using detail::Fact;

// Which bits a person's part in a case brings.
constexpr std::uint64_t bit(int b) {
    return std::uint64_t{1} << b;
}
constexpr std::uint64_t reporter_bits = bit(detail::b_received) | bit(detail::b_filed) |
                                        bit(detail::b_voided) | bit(detail::b_public_reports) |
                                        bit(detail::b_staff_reports) | bit(detail::b_valid_reports);
constexpr std::uint64_t verifier_bits = bit(detail::b_to_verify) | bit(detail::b_verified_on_time);
constexpr std::uint64_t dispatcher_bits = bit(detail::b_dispatched) | bit(detail::b_to_dispatch) |
                                          bit(detail::b_dispatched_on_time) |
                                          bit(detail::b_dispatched_accurately);
constexpr std::uint64_t checker_bits = bit(detail::b_to_check) | bit(detail::b_checked_on_time);
constexpr std::uint64_t area_bits = bit(detail::b_missed) | bit(detail::b_area_filed);
constexpr std::uint64_t handler_bits =
    ~(reporter_bits | verifier_bits | dispatcher_bits | checker_bits | area_bits) &
    ((std::uint64_t{1} << detail::bit_count) - 1);

std::uint64_t person_bits(const CaseEngine& engine, CaseId id, std::string_view person) {
    std::uint64_t mask = 0;
    for (const CaseEvent& ev : engine.events(id)) {
        if (ev.kind != EventKind::command || ev.actor != person)
            continue;
        switch (ev.command) {
            case Command::file:
            case Command::void_case:
                mask |= verifier_bits;
                break;
            case Command::dispatch:
                mask |= dispatcher_bits;
                break;
            case Command::accept:
            case Command::feedback:
            case Command::self_handle:
            case Command::request_extension:
            case Command::suspend:
            case Command::resume:
            case Command::return_case:
                mask |= handler_bits;
                break;
            case Command::check_pass:
            case Command::check_fail:
                mask |= checker_bits;
                break;
            default:
                break;
        }
    }
    return mask;
}

}  // namespace

IndicatorValues case_indicators(const CaseEngine& engine, const IndicatorSubject& subject,
                                const AssessmentPeriod& period) {
    const detail::Classifier cls(engine, period);
    const Hierarchy& h = cls.hierarchy();
    std::vector<std::pair<CaseId, Fact>> mine;
    Fact f;
    const auto n = static_cast<CaseId>(cls.size());
    switch (subject.kind) {
        case IndicatorSubjectKind::node: {
            const NodeId node = h.at(subject.code);
            const PreorderRange r = h.subtree(node);
            for (CaseId id = 0; id < n; ++id) {
                const NodeId at = cls.node(id);
                if (!h.is_live(at))
                    continue;
                const std::uint32_t pos = h.preorder_position(at);
                if (pos < r.begin || pos >= r.end || !cls.classify(id, f))
                    continue;
                mine.emplace_back(id, f);
            }
            break;
        }
        case IndicatorSubjectKind::department: {
            const auto d = cls.department_index(subject.code);
            if (!d) {
                throw Error(ErrorCode::not_found,
                            "department " + subject.code + " is not in the engine's departments");
            }
            for (CaseId id = 0; id < n; ++id) {
                if (cls.department(id) == *d && cls.classify(id, f))
                    mine.emplace_back(id, f);
            }
            break;
        }
        case IndicatorSubjectKind::unit: {
            const Networks networks = engine.networks();
            const auto [overlay, unit] = unit_of_place(networks, subject.code);
            const UnitCover cover = unit_cover(h, *overlay);
            for (CaseId id = 0; id < n; ++id) {
                const NodeId at = cls.node(id);
                if (!h.is_live(at) || !cover.contains(cover.set_of[at], unit) ||
                    !cls.classify(id, f))
                    continue;
                mine.emplace_back(id, f);
            }
            break;
        }
        case IndicatorSubjectKind::person: {
            std::vector<PreorderRange> areas;
            for (const std::string& g : subject.grids)
                areas.push_back(h.subtree(h.at(g)));
            const auto person = cls.person(subject.code);
            for (CaseId id = 0; id < n; ++id) {
                if (!cls.classify(id, f))
                    continue;
                std::uint64_t mask = 0;
                if (person && cls.reporter(id) == *person)
                    mask |= reporter_bits;
                const NodeId at = cls.node(id);
                if (!areas.empty() && h.is_live(at)) {
                    const std::uint32_t pos = h.preorder_position(at);
                    for (const PreorderRange& r : areas) {
                        if (pos >= r.begin && pos < r.end)
                            mask |= area_bits;
                    }
                }
                if (person && (f.bits & ~(reporter_bits | area_bits)) != 0)
                    mask |= person_bits(engine, id, subject.code);
                f.bits &= mask;
                if (f.bits != 0)
                    mine.emplace_back(id, f);
            }
            break;
        }
    }
    detail::Counts counts;
    for (const auto& [id, fact] : mine)
        counts.add(fact);
    const detail::SourceFn sources = [&](int b) {
        std::vector<std::string> out;
        for (const auto& [id, fact] : mine) {
            if ((fact.bits & (std::uint64_t{1} << b)) != 0)
                out.emplace_back(cls.number(id));
        }
        return out;
    };
    return detail::make_values(counts, detail::select_defs({}), &sources);
}

// ---- the table ---------------------------------------------------------------------------

namespace {

// The counts of one pre-order position (or department) in three cache lines: the pass over
// the cases adds each counted case to the row of its node, rows scattered over many MB.
struct alignas(64) CountRow {
    std::array<std::uint32_t, detail::bit_count> n{};
    std::array<std::int64_t, detail::sum_count> sum{};
};
static_assert(sizeof(CountRow) == 192, "a row is three cache lines");

void add_fact(CountRow& row, const detail::Fact& f) {
    std::uint64_t b = f.bits;
    while (b != 0) {
        ++row.n[static_cast<std::size_t>(__builtin_ctzll(b))];
        b &= b - 1;
    }
    // Each number is non-zero only with its bit (as Counts::add reads them).
    row.sum[detail::sum_hours] += f.hours;
    row.sum[detail::sum_overtime] += f.overtime;
    row.sum[detail::sum_rating] += f.rating;
}

}  // namespace

struct CaseIndicatorTable::Impl {
    /// The counts of the units of one overlay.
    struct Units {
        UnitCover cover;
        std::vector<detail::Counts> counts;  // by unit id
    };

    AssessmentPeriod period;
    const Hierarchy* hierarchy = nullptr;
    std::optional<Networks> networks;
    std::map<std::string, Units, std::less<>> units;  // by overlay key
    std::unique_ptr<detail::Classifier> cls;
    std::size_t positions = 0;
    // Counted cases in engine order; their pre-order position (positions for a case on a
    // retired node), department index and bits are classified again on the first request
    // for sources, so that the pass over every case stores four bytes per counted case.
    std::vector<CaseId> ids;
    std::vector<std::uint32_t> position;  // by node id
    mutable std::vector<std::uint32_t> pos;
    mutable std::vector<std::uint32_t> dept;
    mutable std::vector<std::uint64_t> bits;
    // Prefix sums over pre-order positions: row p holds the totals of positions [0, p).
    std::vector<CountRow> prefix;  // positions + 1
    std::vector<std::string> dept_codes;
    std::vector<detail::Counts> dept_counts;
    // Built on the first request for sources: counted cases by position.
    mutable std::once_flag sorted_once;
    mutable std::vector<std::uint32_t> sorted;  // indices into ids, by position then id
    mutable std::vector<std::uint32_t> offset;  // positions + 2 entries

    detail::Counts node_counts(NodeId node) const {
        if (!hierarchy->is_live(node))
            throw Error(ErrorCode::not_found, "node id " + std::to_string(node) + " is not live");
        const PreorderRange r = hierarchy->subtree(node);
        detail::Counts c;
        const CountRow& hi = prefix[r.end];
        const CountRow& lo = prefix[r.begin];
        for (std::size_t b = 0; b < detail::bit_count; ++b)
            c.n[b] = hi.n[b] - lo.n[b];
        for (std::size_t k = 0; k < detail::sum_count; ++k)
            c.sum[k] = hi.sum[k] - lo.sum[k];
        return c;
    }

    void sort_once() const {
        std::call_once(sorted_once, [this] {
            pos.resize(ids.size());
            dept.resize(ids.size());
            bits.resize(ids.size());
            detail::Fact f;
            for (std::size_t i = 0; i < ids.size(); ++i) {
                cls->classify(ids[i], f);
                const NodeId node = cls->node(ids[i]);
                pos[i] =
                    node < position.size() ? position[node] : static_cast<std::uint32_t>(positions);
                dept[i] = cls->department(ids[i]);
                bits[i] = f.bits;
            }
            offset.assign(positions + 2, 0);
            for (const std::uint32_t p : pos)
                ++offset[std::size_t{p} + 1];
            for (std::size_t p = 0; p + 1 < offset.size(); ++p)
                offset[p + 1] += offset[p];
            sorted.resize(ids.size());
            std::vector<std::uint32_t> fill(offset.begin(), offset.end() - 1);
            for (std::uint32_t i = 0; i < ids.size(); ++i)
                sorted[fill[pos[i]]++] = i;
        });
    }

    std::vector<CaseId> node_ids(NodeId node, int bit) const {
        sort_once();
        const PreorderRange r = hierarchy->subtree(node);
        std::vector<CaseId> out;
        const std::uint64_t mask = std::uint64_t{1} << bit;
        for (std::uint32_t k = offset[r.begin]; k < offset[r.end]; ++k) {
            const std::uint32_t i = sorted[k];
            if ((bits[i] & mask) != 0)
                out.push_back(ids[i]);
        }
        std::sort(out.begin(), out.end());
        return out;
    }

    std::vector<CaseId> dept_ids(std::uint32_t d, int bit) const {
        sort_once();
        std::vector<CaseId> out;
        const std::uint64_t mask = std::uint64_t{1} << bit;
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (dept[i] == d && (bits[i] & mask) != 0)
                out.push_back(ids[i]);
        }
        return out;
    }

    std::pair<const Units*, NodeId> unit_at(std::string_view code) const {
        const auto [overlay, unit] = unit_of_place(*networks, code);
        return {&units.at(overlay->key()), unit};
    }

    std::vector<CaseId> unit_ids(const Units& u, NodeId unit, int bit) const {
        sort_once();
        std::vector<CaseId> out;
        const std::uint64_t mask = std::uint64_t{1} << bit;
        const std::vector<NodeId>& preorder = hierarchy->preorder();
        for (std::size_t p = 0; p < positions; ++p) {
            if (!u.cover.contains(u.cover.set_of[preorder[p]], unit))
                continue;
            for (std::uint32_t k = offset[p]; k < offset[p + 1]; ++k) {
                const std::uint32_t i = sorted[k];
                if ((bits[i] & mask) != 0)
                    out.push_back(ids[i]);
            }
        }
        std::sort(out.begin(), out.end());
        return out;
    }

    std::uint32_t dept_at(std::string_view code) const {
        for (std::size_t d = 0; d < dept_codes.size(); ++d) {
            if (dept_codes[d] == code)
                return static_cast<std::uint32_t>(d);
        }
        throw Error(ErrorCode::not_found,
                    "department " + std::string(code) + " is not in the engine's departments");
    }

    IndicatorValues values(const detail::Counts& c, const std::vector<std::string>& keys,
                           const std::function<std::vector<CaseId>(int)>* id_fn) const {
        const auto selected = detail::select_defs(keys);
        if (id_fn == nullptr)
            return detail::make_values(c, selected, nullptr);
        const detail::SourceFn fn = [&](int b) {
            std::vector<std::string> out;
            for (const CaseId id : (*id_fn)(b))
                out.emplace_back(cls->number(id));
            return out;
        };
        return detail::make_values(c, selected, &fn);
    }
};

CaseIndicatorTable::CaseIndicatorTable() : impl_(std::make_unique<Impl>()) {}
CaseIndicatorTable::CaseIndicatorTable(CaseIndicatorTable&&) noexcept = default;
CaseIndicatorTable& CaseIndicatorTable::operator=(CaseIndicatorTable&&) noexcept = default;
CaseIndicatorTable::~CaseIndicatorTable() = default;

const AssessmentPeriod& CaseIndicatorTable::period() const {
    return impl_->period;
}
std::size_t CaseIndicatorTable::cases() const {
    return impl_->ids.size();
}

IndicatorValues CaseIndicatorTable::node(NodeId node, const std::vector<std::string>& keys,
                                         bool sources) const {
    const detail::Counts c = impl_->node_counts(node);
    if (!sources)
        return impl_->values(c, keys, nullptr);
    const std::function<std::vector<CaseId>(int)> fn = [&](int b) {
        return impl_->node_ids(node, b);
    };
    return impl_->values(c, keys, &fn);
}

IndicatorValues CaseIndicatorTable::department(std::string_view code,
                                               const std::vector<std::string>& keys,
                                               bool sources) const {
    const std::uint32_t d = impl_->dept_at(code);
    const detail::Counts& c = impl_->dept_counts[d];
    if (!sources)
        return impl_->values(c, keys, nullptr);
    const std::function<std::vector<CaseId>(int)> fn = [&](int b) { return impl_->dept_ids(d, b); };
    return impl_->values(c, keys, &fn);
}

std::vector<std::string> CaseIndicatorTable::departments() const {
    return impl_->dept_codes;
}

namespace {
int checked_bit(std::string_view key) {
    const int b = detail::source_bit(key);
    if (b < 0)
        throw Error(ErrorCode::not_found, "\"" + std::string(key) + "\" is not a case indicator");
    return b;
}
}  // namespace

std::vector<CaseId> CaseIndicatorTable::node_sources(NodeId node, std::string_view key) const {
    const int b = checked_bit(key);
    if (!impl_->hierarchy->is_live(node))
        throw Error(ErrorCode::not_found, "node id " + std::to_string(node) + " is not live");
    return impl_->node_ids(node, b);
}

std::vector<CaseId> CaseIndicatorTable::department_sources(std::string_view code,
                                                           std::string_view key) const {
    const int b = checked_bit(key);
    return impl_->dept_ids(impl_->dept_at(code), b);
}

IndicatorValues CaseIndicatorTable::unit(std::string_view place,
                                         const std::vector<std::string>& keys, bool sources) const {
    const auto [u, unit] = impl_->unit_at(place);
    const detail::Counts& c = u->counts[unit];
    if (!sources)
        return impl_->values(c, keys, nullptr);
    const std::function<std::vector<CaseId>(int)> fn = [&, u = u, unit = unit](int b) {
        return impl_->unit_ids(*u, unit, b);
    };
    return impl_->values(c, keys, &fn);
}

std::vector<CaseId> CaseIndicatorTable::unit_sources(std::string_view place,
                                                     std::string_view key) const {
    const int b = checked_bit(key);
    const auto [u, unit] = impl_->unit_at(place);
    return impl_->unit_ids(*u, unit, b);
}

CaseIndicatorTable case_indicators_by_node(const CaseEngine& engine, const Hierarchy& hierarchy,
                                           const AssessmentPeriod& period) {
    CaseIndicatorTable table;
    CaseIndicatorTable::Impl& t = *table.impl_;
    t.period = period;
    t.hierarchy = &hierarchy;
    t.cls = std::make_unique<detail::Classifier>(engine, period);
    const detail::Classifier& cls = *t.cls;
    const std::vector<NodeId>& preorder = hierarchy.preorder();
    t.positions = preorder.size();
    // Position by node id, so that the loop below asks the hierarchy nothing.
    std::vector<std::uint32_t>& position = t.position;
    position.assign(hierarchy.id_count(), static_cast<std::uint32_t>(t.positions));
    for (std::size_t p = 0; p < preorder.size(); ++p)
        position[preorder[p]] = static_cast<std::uint32_t>(p);
    t.dept_codes = cls.department_codes();
    t.dept_counts.assign(t.dept_codes.size(), detail::Counts{});

    // Row p + 1 counts the cases at position p; prefix sums follow.
    t.prefix.assign(t.positions + 1, CountRow{});
    std::vector<CountRow> dept_rows(t.dept_codes.size());
    const auto n = static_cast<CaseId>(cls.size());
    // Room for every case: the pages of what is not used are never touched.
    t.ids.reserve(n);
    // The row of a case that may count is fetched some cases ahead, as are its clocks:
    // the rows are scattered over many MB, and most cases of a long engine count for
    // nothing in one month (their clocks are not read).
    constexpr CaseId clocks_ahead = 16;
    constexpr CaseId row_ahead = 24;
    detail::Fact f;
    for (CaseId id = 0; id < n; ++id) {
        if ((id & 7) == 0)
            cls.prefetch(id + 64);
        if (id + clocks_ahead < n && cls.may_count(id + clocks_ahead))
            cls.prefetch_clocks(id + clocks_ahead);
        if (id + row_ahead < n && cls.may_count(id + row_ahead)) {
            const NodeId node = cls.node(id + row_ahead);
            if (node < position.size() && position[node] < t.positions) {
                const char* row = reinterpret_cast<const char*>(&t.prefix[position[node] + 1]);
                for (std::size_t line = 0; line < sizeof(CountRow); line += 64)
                    __builtin_prefetch(row + line, 1);
            }
        }
        if (!cls.classify(id, f))
            continue;
        const NodeId node = cls.node(id);
        const std::uint32_t p =
            node < position.size() ? position[node] : static_cast<std::uint32_t>(t.positions);
        const std::uint32_t d = cls.department(id);
        t.ids.push_back(id);
        if (d < dept_rows.size())
            add_fact(dept_rows[d], f);
        if (p >= t.positions)
            continue;  // a retired node: in no subtree
        add_fact(t.prefix[std::size_t{p} + 1], f);
    }
    for (std::size_t p = 1; p <= t.positions; ++p) {
        CountRow& row = t.prefix[p];
        const CountRow& before = t.prefix[p - 1];
        for (std::size_t b = 0; b < detail::bit_count; ++b)
            row.n[b] += before.n[b];
        for (std::size_t k = 0; k < detail::sum_count; ++k)
            row.sum[k] += before.sum[k];
    }
    for (std::size_t d = 0; d < dept_rows.size(); ++d) {
        t.dept_counts[d].n = dept_rows[d].n;
        t.dept_counts[d].sum = dept_rows[d].sum;
    }
    // Overlay units: the cases of each node (the difference of neighbouring prefix rows)
    // summed per set of covering units, then each set's sums added to its units.
    t.networks.emplace(engine.networks());
    for (const Overlay& overlay : t.networks->overlays()) {
        CaseIndicatorTable::Impl::Units& u = t.units[overlay.key()];
        u.cover = unit_cover(hierarchy, overlay);
        std::vector<CountRow> by_set(u.cover.sets.size());
        for (std::size_t p = 0; p < t.positions; ++p) {
            const std::uint32_t set = u.cover.set_of[preorder[p]];
            if (set == 0)
                continue;
            CountRow& row = by_set[set];
            const CountRow& hi = t.prefix[p + 1];
            const CountRow& lo = t.prefix[p];
            for (std::size_t b = 0; b < detail::bit_count; ++b)
                row.n[b] += hi.n[b] - lo.n[b];
            for (std::size_t k = 0; k < detail::sum_count; ++k)
                row.sum[k] += hi.sum[k] - lo.sum[k];
        }
        u.counts.assign(overlay.units().id_count(), detail::Counts{});
        for (std::size_t s = 1; s < by_set.size(); ++s) {
            for (const NodeId unit : u.cover.sets[s]) {
                detail::Counts& c = u.counts[unit];
                for (std::size_t b = 0; b < detail::bit_count; ++b)
                    c.n[b] += by_set[s].n[b];
                for (std::size_t k = 0; k < detail::sum_count; ++k)
                    c.sum[k] += by_set[s].sum[k];
            }
        }
    }
    return table;
}

}  // namespace gridgov
