// Names of the case engine's enumerations and the value semantics of its records.
#include <algorithm>
#include <iterator>

#include "cases/engine_impl.hpp"
#include "io/enum_names.hpp"

namespace gridgov {
namespace {

using detail::EnumName;

// Names first, then the aliases reports come with.
constexpr EnumName<CaseSource> source_names[] = {
    {CaseSource::grid_worker, "grid_worker"},
    {CaseSource::supervisor, "supervisor"},
    {CaseSource::hotline_12345, "hotline_12345"},
    {CaseSource::hotline_12319, "hotline_12319"},
    {CaseSource::app, "app"},
    {CaseSource::video, "video"},
    {CaseSource::referral, "referral"},
    {CaseSource::grid_worker, ""},
    {CaseSource::hotline_12345, "12345"},
    {CaseSource::hotline_12319, "12319"},
    {CaseSource::app, "wechat"},
    {CaseSource::grid_worker, "网格员"},
    {CaseSource::supervisor, "监督员"},
    {CaseSource::hotline_12345, "12345热线"},
    {CaseSource::hotline_12319, "12319热线"},
    {CaseSource::app, "微信"},
    {CaseSource::video, "视频"},
    {CaseSource::referral, "转办"},
};

constexpr EnumName<CaseGroup> group_names[] = {
    {CaseGroup::state, "state"},
    {CaseGroup::kind, "kind"},
    {CaseGroup::category, "category"},
    {CaseGroup::source, "source"},
    {CaseGroup::department, "department"},
    {CaseGroup::light, "light"},
    {CaseGroup::node, "node"},
    {CaseGroup::workflow, "workflow"},
    {CaseGroup::tier, "tier"},
    {CaseGroup::overdue, "overdue"},
};

constexpr EnumName<CaseField> field_names[] = {
    {CaseField::id, "id"},
    {CaseField::number, "number"},
    {CaseField::workflow, "workflow"},
    {CaseField::category, "category"},
    {CaseField::node, "node"},
    {CaseField::source, "source"},
    {CaseField::state, "state"},
    {CaseField::kind, "kind"},
    {CaseField::department, "department"},
    {CaseField::tier, "tier"},
    {CaseField::breached, "breached"},
    {CaseField::reported_at, "reported_at"},
    {CaseField::updated_at, "updated_at"},
    {CaseField::closed_at, "closed_at"},
    {CaseField::deadline, "deadline"},
};
static_assert(std::size(field_names) == case_field_count);

constexpr EnumName<ClockRun> clock_run_names[] = {
    {ClockRun::counting, "counting"},
    {ClockRun::idle, "idle"},
    {ClockRun::suspended, "suspended"},
    {ClockRun::stopped, "stopped"},
};

constexpr EnumName<LogProblem> log_problem_names[] = {
    {LogProblem::none, "none"},
    {LogProblem::content_changed, "content_changed"},
    {LogProblem::chain_broken, "chain_broken"},
    {LogProblem::missing, "missing"},
    {LogProblem::case_sequence, "case_sequence"},
    {LogProblem::unknown_case, "unknown_case"},
    {LogProblem::head_mismatch, "head_mismatch"},
    {LogProblem::checkpoint_mismatch, "checkpoint_mismatch"},
};

}  // namespace

const char* case_source_name(CaseSource source) noexcept {
    return detail::enum_name(source_names, source);
}

CaseSource parse_case_source(std::string_view text) {
    return detail::parse_enum(source_names, text, "case source");
}

const char* case_group_name(CaseGroup group) noexcept {
    return detail::enum_name(group_names, group);
}

CaseGroup parse_case_group(std::string_view text) {
    return detail::parse_enum(group_names, text, "case group");
}

const char* case_field_name(CaseField field) noexcept {
    return detail::enum_name(field_names, field);
}

CaseField parse_case_field(std::string_view text) {
    return detail::parse_enum(field_names, text, "case field");
}

bool is_citizen_source(CaseSource source) noexcept {
    return source == CaseSource::hotline_12345 || source == CaseSource::hotline_12319 ||
           source == CaseSource::app;
}

const char* clock_run_name(ClockRun run) noexcept {
    return detail::enum_name(clock_run_names, run);
}

const char* log_problem_name(LogProblem problem) noexcept {
    return detail::enum_name(log_problem_names, problem);
}

std::string hash_hex(const std::array<std::uint8_t, 32>& hash) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(64, '0');
    for (std::size_t i = 0; i < hash.size(); ++i) {
        out[2 * i] = digits[hash[i] >> 4];
        out[2 * i + 1] = digits[hash[i] & 15];
    }
    return out;
}

bool operator==(const CaseClock& a, const CaseClock& b) {
    return a.stage == b.stage && a.run == b.run && a.working_time == b.working_time &&
           a.start == b.start && a.limit == b.limit && a.limit_seconds == b.limit_seconds &&
           a.budget == b.budget && a.extensions == b.extensions && a.used == b.used &&
           a.since == b.since && a.deadline == b.deadline && a.breached == b.breached &&
           a.assumed == b.assumed;
}

namespace {

bool same_rating(const std::optional<Rating>& a, const std::optional<Rating>& b) {
    if (a.has_value() != b.has_value())
        return false;
    return !a || (a->level == b->level && a->score == b->score);
}

}  // namespace

bool operator==(const CaseRecord& a, const CaseRecord& b) {
    return a.id == b.id && a.number == b.number && a.workflow == b.workflow &&
           a.workflow_version == b.workflow_version && a.category == b.category &&
           a.node == b.node && a.area_class == b.area_class && a.source == b.source &&
           a.reporter == b.reporter && a.state == b.state && a.kind == b.kind &&
           a.department == b.department && a.route_node == b.route_node && a.tier == b.tier &&
           a.handling_node == b.handling_node && a.counters == b.counters && a.flags == b.flags &&
           a.breached == b.breached && a.breaches == b.breaches &&
           same_rating(a.rating, b.rating) && a.reported_at == b.reported_at &&
           a.updated_at == b.updated_at && a.closed_at == b.closed_at &&
           a.last_event == b.last_event && a.events == b.events && a.clocks == b.clocks;
}

bool CaseRecord::has_flag(std::string_view flag) const {
    return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

std::int64_t CaseRecord::counter(std::string_view name) const {
    return counter_value(counters, name);
}

bool operator==(const CaseEvent& a, const CaseEvent& b) {
    return a.sequence == b.sequence && a.case_id == b.case_id && a.case_number == b.case_number &&
           a.case_sequence == b.case_sequence && a.kind == b.kind && a.command == b.command &&
           a.type == b.type && a.transition == b.transition && a.from_state == b.from_state &&
           a.to_state == b.to_state && a.actor == b.actor && a.system == b.system && a.at == b.at &&
           a.payload == b.payload && a.previous_hash == b.previous_hash && a.hash == b.hash;
}

}  // namespace gridgov
