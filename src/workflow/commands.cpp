// The fixed command set: names, payload needs, ratings and payload checks.
#include <iterator>

#include "gridgov/workflow.hpp"
#include "io/enum_names.hpp"

namespace gridgov {
namespace {

using detail::EnumName;

// In the order of Command's values.
constexpr EnumName<Command> command_names[] = {
    {Command::report, "report"},
    {Command::file, "file"},
    {Command::void_case, "void"},
    {Command::dispatch, "dispatch"},
    {Command::accept, "accept"},
    {Command::return_case, "return"},
    {Command::request_extension, "request_extension"},
    {Command::approve_extension, "approve_extension"},
    {Command::deny_extension, "deny_extension"},
    {Command::suspend, "suspend"},
    {Command::resume, "resume"},
    {Command::feedback, "feedback"},
    {Command::check_pass, "check_pass"},
    {Command::check_fail, "check_fail"},
    {Command::close, "close"},
    {Command::rate, "rate"},
    {Command::escalate, "escalate"},
    {Command::supervise, "supervise"},
    {Command::archive, "archive"},
    {Command::self_handle, "self_handle"},
    {Command::callback, "callback"},
};
static_assert(std::size(command_names) == command_count);

std::string quoted(std::string_view s) {
    return "\"" + std::string(s) + "\"";
}

constexpr EnumName<Satisfaction> satisfaction_names[] = {
    {Satisfaction::satisfied, "satisfied"},
    {Satisfaction::basically_satisfied, "basically_satisfied"},
    {Satisfaction::unsatisfied, "unsatisfied"},
    {Satisfaction::satisfied, "满意"},
    {Satisfaction::basically_satisfied, "基本满意"},
    {Satisfaction::unsatisfied, "不满意"},
};

}  // namespace

const char* command_name(Command command) noexcept {
    return detail::enum_name(command_names, command);
}

Command parse_command(std::string_view text) {
    return detail::parse_enum(command_names, text, "command");
}

const std::vector<Command>& all_commands() {
    static const std::vector<Command> all = [] {
        std::vector<Command> v;
        for (std::size_t i = 0; i < command_count; ++i)
            v.push_back(static_cast<Command>(i));
        return v;
    }();
    return all;
}

const char* satisfaction_name(Satisfaction s) noexcept {
    return detail::enum_name(satisfaction_names, s);
}

Satisfaction parse_satisfaction(std::string_view text) {
    return detail::parse_enum(satisfaction_names, text, "satisfaction level");
}

Rating Rating::from_score(int score) {
    if (score < 1 || score > 5) {
        throw Error(ErrorCode::invalid_argument,
                    "rating score " + std::to_string(score) + " is outside 1..5");
    }
    const Satisfaction level = score >= 4   ? Satisfaction::satisfied
                               : score == 3 ? Satisfaction::basically_satisfied
                                            : Satisfaction::unsatisfied;
    return Rating{level, score};
}

CommandNeeds command_needs(Command command) noexcept {
    CommandNeeds needs;
    switch (command) {
        case Command::report:
            needs.category = true;
            needs.node = true;
            break;
        case Command::request_extension:
        case Command::approve_extension:
            needs.amount = true;
            break;
        case Command::rate:
        case Command::callback:
            needs.rating = true;
            break;
        default:
            break;
    }
    return needs;
}

std::int64_t counter_value(const CounterValues& counters, std::string_view name) {
    for (const auto& [key, value] : counters) {
        if (key == name)
            return value;
    }
    return 0;
}

void check_command(const CaseCommand& command, const TransitionSpec& transition) {
    const std::string name = command_name(command.command);
    const auto missing = [&](const char* field, const std::string& why) {
        throw Error(ErrorCode::invalid_argument, name + ": field '" + field + "' is required" +
                                                     (why.empty() ? "" : " (" + why + ")"));
    };
    if (command.command != transition.command) {
        throw Error(ErrorCode::invalid_argument, name + ": the transition is for command " +
                                                     quoted(command_name(transition.command)));
    }
    if (command.actor.empty() && !command.system) {
        missing("actor", "a person id, or system");
    }
    const CommandNeeds needs = command_needs(command.command);
    if (needs.category && command.category.empty())
        missing("category", "");
    if (needs.node && command.node == no_node)
        missing("node", "");
    if (needs.amount) {
        if (!command.amount)
            missing("amount", "the time asked for or granted");
        try {
            command.amount->validate();
        } catch (const Error& e) {
            throw Error(ErrorCode::invalid_argument, name + ": field 'amount': " + e.what());
        }
    }
    if (needs.rating && !command.rating)
        missing("rating", "");
    if (command.rating && command.rating->score != 0) {
        Rating expected;
        try {
            expected = Rating::from_score(command.rating->score);
        } catch (const Error& e) {
            throw Error(ErrorCode::invalid_argument, name + ": field 'rating': " + e.what());
        }
        if (expected.level != command.rating->level) {
            throw Error(ErrorCode::invalid_argument,
                        name + ": field 'rating': score " + std::to_string(expected.score) +
                            " means " + satisfaction_name(expected.level) + ", not " +
                            satisfaction_name(command.rating->level));
        }
    }
    if (transition.reason_required && command.reason.empty()) {
        missing("reason", "this workflow requires a reason for " + name);
    }
    if (transition.evidence_required && command.evidence.empty()) {
        missing("evidence", "this workflow requires evidence for " + name);
    }
}

}  // namespace gridgov
