// Workflows as data, specified on the built-in profiles: the township six-step loop of
// seed 000, the seven-step loop of digital urban management, and the 12345/12319 hotline
// with its callback; categories with their working-hour limits, departments and routing
// on a township of the sample county (苇川县 青石镇).
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "../support/builders.hpp"
#include "gridgov/directory.hpp"
#include "gridgov/hierarchy.hpp"
#include "gridgov/workflow.hpp"

using namespace gridgov;

namespace {

using gridgov_test::person;
using gridgov_test::post;

std::set<std::string> rules_of(const std::vector<Finding>& findings) {
    std::set<std::string> out;
    for (const Finding& f : findings)
        out.insert(f.rule);
    return out;
}

std::string describe(const std::vector<Finding>& findings) {
    std::string out;
    for (const Finding& f : findings) {
        out += f.rule + " " + f.where + ": " + f.message + "\n";
    }
    return out;
}

const Finding* find_rule(const std::vector<Finding>& findings, const std::string& rule) {
    for (const Finding& f : findings) {
        if (f.rule == rule)
            return &f;
    }
    return nullptr;
}

// The smallest valid spec: a report opens a case, one command closes it.
WorkflowSpec tiny_spec() {
    WorkflowSpec s;
    s.key = "tiny";
    s.version = 1;
    s.name_zh = "最小流程";
    s.counters = {"rework"};
    s.flags = {"supervised"};
    s.tiers = {{"grid", "网格", "Grid"}, {"village", "社区", "Community"}};
    s.stages = {{"work", "办理", "Work", TimeLimit::working_hours(4)}};
    StateSpec open;
    open.key = "open";
    open.label_zh = "办理中";
    open.kind = StateKind::pending;
    open.timer = "work";
    StateSpec done;
    done.key = "done";
    done.label_zh = "已办结";
    done.kind = StateKind::closed;
    done.terminal = true;
    s.states = {open, done};
    TransitionSpec report;
    report.command = Command::report;
    report.to = "open";
    report.system = true;
    TransitionSpec close;
    close.command = Command::close;
    close.from = {"open"};
    close.to = "done";
    close.system = true;
    close.clock = ClockEffect::stop;
    s.transitions = {report, close};
    return s;
}

Category category_with(const std::string& code, const std::vector<StageLimit>& limits) {
    Category c;
    c.code = code;
    c.name_zh = "测试类别";
    c.department = "sanitation";
    c.limits = limits;
    return c;
}

struct Expectation {
    std::string state;
    Command command;
    std::string to;  // "" = stays
};

const TransitionSpec& only_candidate(const WorkflowSpec& spec, const std::string& state,
                                     Command command, const TransitionContext& context = {}) {
    const auto c = spec.candidates(state, command, context);
    REQUIRE_MESSAGE(c.size() == 1, spec.key << ": " << command_name(command) << " from " << state
                                            << " has " << c.size() << " candidates");
    return *c.front();
}

NodeSpec node(const std::string& code, const std::string& parent, const char* level,
              const std::string& name) {
    NodeSpec s;
    s.code = code;
    s.parent_code = parent;
    s.level = level;
    s.name = name;
    return s;
}

// 苇川县 › 青石镇 › 青石村 (grids 1, 2) and 东岭村 (grid 1).
struct County {
    Hierarchy h;
    NodeId county{}, town{}, qingshi{}, dongling{}, q1{}, q2{}, d1{};

    County() {
        county = h.add(node("371338", "", "county", "苇川县"));
        town = h.add(node("371338101", "371338", "township", "青石镇"));
        qingshi = h.add(node("371338101001", "371338101", "village", "青石村"));
        dongling = h.add(node("371338101002", "371338101", "village", "东岭村"));
        q1 = h.add(node("371338101001001", "371338101001", "grid", "青石村第一网格"));
        q2 = h.add(node("371338101001002", "371338101001", "grid", "青石村第二网格"));
        d1 = h.add(node("371338101002001", "371338101002", "grid", "东岭村第一网格"));
    }
};

}  // namespace

// ---- commands and ratings ----------------------------------------------------------------

TEST_CASE("workflow.commands.names_round_trip") {
    REQUIRE(all_commands().size() == command_count);
    for (Command c : all_commands())
        CHECK(parse_command(command_name(c)) == c);
    CHECK(std::string(command_name(Command::void_case)) == "void");
    CHECK(std::string(command_name(Command::return_case)) == "return");
    CHECK_THROWS_WITH_AS(
        parse_command("reopen"),
        doctest::Contains("unknown command 'reopen' (expected report, file, void,"), Error);
}

TEST_CASE("workflow.commands.payload_needs") {
    CHECK(command_needs(Command::report).category);
    CHECK(command_needs(Command::report).node);
    CHECK(command_needs(Command::approve_extension).amount);
    CHECK(command_needs(Command::callback).rating);
    CHECK_FALSE(command_needs(Command::supervise).amount);
}

TEST_CASE("workflow.rating.scores_map_onto_three_levels") {
    CHECK(Rating::from_score(5).level == Satisfaction::satisfied);
    CHECK(Rating::from_score(4).level == Satisfaction::satisfied);
    CHECK(Rating::from_score(3).level == Satisfaction::basically_satisfied);
    CHECK(Rating::from_score(2).level == Satisfaction::unsatisfied);
    CHECK(Rating::from_score(1).level == Satisfaction::unsatisfied);
    CHECK_THROWS_WITH_AS(Rating::from_score(6), doctest::Contains("outside 1..5"), Error);
    CHECK(parse_satisfaction("基本满意") == Satisfaction::basically_satisfied);
    CHECK(parse_satisfaction("不满意") == Satisfaction::unsatisfied);
}

TEST_CASE("workflow.check_command.names_the_missing_field") {
    const WorkflowSpec spec = WorkflowSpec::preset("urban_seven_step");
    const TransitionSpec& void_case = only_candidate(spec, "collected", Command::void_case);
    CaseCommand cmd;
    cmd.command = Command::void_case;
    cmd.actor = "P0001";
    CHECK_THROWS_WITH_AS(check_command(cmd, void_case),
                         doctest::Contains("void: field 'reason' is required"), Error);
    cmd.reason = "重复上报";
    CHECK_NOTHROW(check_command(cmd, void_case));

    SUBCASE("evidence for self-handling") {
        const TransitionSpec& self = only_candidate(spec, "collected", Command::self_handle);
        CaseCommand s;
        s.command = Command::self_handle;
        s.actor = "P0002";
        CHECK_THROWS_WITH_AS(check_command(s, self),
                             doctest::Contains("self_handle: field 'evidence' is required"), Error);
        s.evidence = {"photo-0001.jpg"};
        CHECK_NOTHROW(check_command(s, self));
    }
    SUBCASE("the amount of an extension") {
        const TransitionSpec& approve =
            only_candidate(spec, "extension_requested", Command::approve_extension);
        CaseCommand a;
        a.command = Command::approve_extension;
        a.actor = "P0003";
        CHECK_THROWS_WITH_AS(check_command(a, approve),
                             doctest::Contains("approve_extension: field 'amount' is required"),
                             Error);
        a.amount = TimeLimit::working_days(2);
        CHECK_NOTHROW(check_command(a, approve));
    }
    SUBCASE("a rating whose score and level disagree") {
        const WorkflowSpec hotline = WorkflowSpec::preset("hotline_callback");
        const TransitionSpec& rate = only_candidate(hotline, "closed", Command::rate);
        CaseCommand r;
        r.command = Command::rate;
        r.actor = "P0009";
        r.rating = Rating{Satisfaction::satisfied, 2};
        CHECK_THROWS_WITH_AS(check_command(r, rate),
                             doctest::Contains("score 2 means unsatisfied, not satisfied"), Error);
    }
    SUBCASE("an actor") {
        CaseCommand nobody;
        nobody.command = Command::void_case;
        nobody.reason = "重复上报";
        CHECK_THROWS_WITH_AS(check_command(nobody, void_case),
                             doctest::Contains("field 'actor' is required"), Error);
    }
}

// ---- built-in profiles -------------------------------------------------------------------

namespace {

/// The profiles of the case loop (report, dispatch, handle, check, close); the hazard
/// profile has a loop of its own (hazard_rectification below).
std::vector<std::string> case_loop_profiles() {
    return {"township_six_step", "urban_seven_step", "hotline_callback"};
}

}  // namespace

TEST_CASE("workflow.profiles.load_and_validate_clean") {
    const CategoryCatalogue categories = CategoryCatalogue::preset("combined");
    REQUIRE(WorkflowSpec::preset_keys() ==
            std::vector<std::string>{"township_six_step", "urban_seven_step", "hotline_callback",
                                     "hazard_rectification"});
    for (const std::string& key : WorkflowSpec::preset_keys()) {
        CAPTURE(key);
        const WorkflowSpec spec = WorkflowSpec::preset(key);
        CHECK(spec.key == key);
        CHECK(spec.version == 1);
        const Catalogue roles = spec.expected_catalogue();
        const std::vector<Finding> findings = spec.validate(&roles, &categories);
        CHECK_MESSAGE(findings.empty(), describe(findings));
    }
    const WorkflowRegistry registry = WorkflowRegistry::builtin();
    CHECK(registry.keys() == std::vector<std::string>{"hazard_rectification", "hotline_callback",
                                                      "township_six_step", "urban_seven_step"});
    CHECK_THROWS_WITH_AS(WorkflowSpec::preset("six_step"),
                         doctest::Contains("no built-in workflow profile \"six_step\""), Error);
}

TEST_CASE("workflow.profiles.main_line_follows_the_loop_wording") {
    // The states the main line passes through, labelled with the steps of the loop.
    const auto main_line = [](const WorkflowSpec& spec, std::vector<Command> commands) {
        std::vector<std::string> labels;
        std::string state = spec.initial_states().front();
        labels.push_back(spec.state(state).label_zh);
        TransitionContext context;
        context.rating = Rating::of(Satisfaction::satisfied);
        for (Command c : commands) {
            const auto next = spec.candidates(state, c, context);
            REQUIRE_MESSAGE(!next.empty(), command_name(c) << " from " << state);
            if (!next.front()->to.empty())
                state = next.front()->to;
            labels.push_back(spec.state(state).label_zh);
        }
        return labels;
    };
    SUBCASE("seed 000: 采集上报—指挥派遣—处置反馈—任务核查—入库评价—结案归档") {
        const auto labels =
            main_line(WorkflowSpec::preset("township_six_step"),
                      {Command::file, Command::dispatch, Command::accept, Command::feedback,
                       Command::check_pass, Command::close, Command::archive});
        const std::vector<std::string> steps = {"采集上报", "指挥派遣", "处置反馈",
                                                "任务核查", "入库评价", "结案归档"};
        std::size_t at = 0;
        for (const std::string& label : labels) {
            while (at < steps.size() && label.rfind(steps[at], 0) != 0)
                ++at;
            REQUIRE_MESSAGE(at < steps.size(), label << " is out of order");
        }
        CHECK(at == steps.size() - 1);
    }
    SUBCASE(
        "digital urban management: 信息收集 → 立案 → 派遣 → 处理 → 反馈 → 核查结案 → 综合评价") {
        const auto labels =
            main_line(WorkflowSpec::preset("urban_seven_step"),
                      {Command::file, Command::dispatch, Command::accept, Command::feedback,
                       Command::check_pass, Command::close, Command::archive});
        CHECK(labels == std::vector<std::string>{"信息收集", "案卷建立", "任务派遣·待签收",
                                                 "任务处理", "处理反馈·待核查", "核查结案·待结案",
                                                 "核查结案·已结案", "综合评价·已归档"});
    }
    SUBCASE("hotline: a satisfied callback closes the work order") {
        const auto labels =
            main_line(WorkflowSpec::preset("hotline_callback"),
                      {Command::file, Command::dispatch, Command::accept, Command::feedback,
                       Command::check_pass, Command::callback, Command::archive});
        CHECK(labels.back() == "归档");
        CHECK(std::find(labels.begin(), labels.end(), "待回访") != labels.end());
    }
}

TEST_CASE("workflow.profiles.commands_per_state") {
    // Every command accepted in every state, per profile: the side paths of DOMAIN §4
    // (void, return, extension, suspension, rework, supervision, self-handling,
    // escalation, rating) are all expressed as data.
    using C = Command;
    const std::map<std::string, std::map<std::string, std::set<Command>>> expected = {
        {"township_six_step",
         {{"reported", {C::file, C::void_case, C::escalate, C::self_handle}},
          {"filed", {C::void_case, C::dispatch, C::escalate, C::supervise}},
          {"dispatched", {C::accept, C::return_case, C::escalate, C::supervise}},
          {"handling",
           {C::return_case, C::request_extension, C::suspend, C::feedback, C::escalate,
            C::supervise}},
          {"extension_requested", {C::approve_extension, C::deny_extension, C::supervise}},
          {"suspended", {C::resume, C::supervise}},
          {"checking", {C::check_pass, C::check_fail, C::supervise}},
          {"evaluating", {C::close, C::rate}},
          {"closed", {C::archive}},
          {"archived", {}},
          {"voided", {}}}},
        {"urban_seven_step",
         {{"collected", {C::file, C::void_case, C::self_handle}},
          {"filed", {C::void_case, C::dispatch, C::supervise}},
          {"dispatched", {C::accept, C::return_case, C::escalate, C::supervise}},
          {"handling",
           {C::return_case, C::request_extension, C::suspend, C::feedback, C::escalate,
            C::supervise}},
          {"extension_requested", {C::approve_extension, C::deny_extension, C::supervise}},
          {"suspended", {C::resume, C::supervise}},
          {"fed_back", {C::check_pass, C::check_fail, C::supervise}},
          {"checked", {C::close, C::supervise}},
          {"closed", {C::rate, C::archive}},
          {"archived", {}},
          {"voided", {}}}},
        {"hotline_callback",
         {{"registered", {C::file, C::void_case, C::self_handle}},
          {"filed", {C::void_case, C::dispatch, C::supervise}},
          {"dispatched", {C::accept, C::return_case, C::escalate, C::supervise}},
          {"handling",
           {C::return_case, C::request_extension, C::suspend, C::feedback, C::escalate,
            C::supervise}},
          {"extension_requested", {C::approve_extension, C::deny_extension, C::supervise}},
          {"suspended", {C::resume, C::supervise}},
          {"replied", {C::check_pass, C::check_fail, C::supervise}},
          {"callback_pending", {C::callback, C::close, C::supervise}},
          {"closed", {C::rate, C::archive}},
          {"archived", {}},
          {"voided", {}}}},
    };
    for (const auto& profile : expected) {
        const std::string& key = profile.first;
        const WorkflowSpec spec = WorkflowSpec::preset(key);
        REQUIRE(spec.states.size() == profile.second.size());
        for (const auto& entry : profile.second) {
            const std::string& state = entry.first;
            CAPTURE(key);
            CAPTURE(state);
            const std::vector<Command> got = spec.commands_from(state);
            CHECK(std::set<Command>(got.begin(), got.end()) == entry.second);
        }
    }
}

TEST_CASE("workflow.profiles.side_paths") {
    for (const std::string& key : case_loop_profiles()) {
        CAPTURE(key);
        const WorkflowSpec spec = WorkflowSpec::preset(key);
        const std::string start = spec.initial_states().front();
        TransitionContext none;

        SUBCASE("not filed / void with a reason stops the clock in a terminal voided state") {
            const TransitionSpec& t = only_candidate(spec, start, Command::void_case);
            CHECK(t.reason_required);
            CHECK(t.clock == ClockEffect::stop);
            CHECK(spec.state(t.to).kind == StateKind::voided);
            CHECK(spec.state(t.to).terminal);
        }
        SUBCASE("return to the dispatcher needs a reason and is counted") {
            for (const char* from : {"dispatched", "handling"}) {
                const TransitionSpec& t = only_candidate(spec, from, Command::return_case);
                CHECK(t.reason_required);
                CHECK(t.assigned_department);
                CHECK(t.increments == std::vector<std::string>{"returns"});
                CHECK(spec.state(t.to).timer == "dispatch");
                CHECK(!spec.candidates(t.to, Command::dispatch).empty());
            }
        }
        SUBCASE("a second extension needs a higher approver") {
            const TransitionSpec& ask =
                only_candidate(spec, "handling", Command::request_extension);
            CHECK(ask.reason_required);
            TransitionContext first;
            TransitionContext second;
            second.counters = {{"extensions", 1}};
            const TransitionSpec& a1 =
                only_candidate(spec, ask.to, Command::approve_extension, first);
            const TransitionSpec& a2 =
                only_candidate(spec, ask.to, Command::approve_extension, second);
            CHECK(a1.extends_clock);
            CHECK(a2.extends_clock);
            CHECK(a1.increments == std::vector<std::string>{"extensions"});
            CHECK(a1.roles != a2.roles);
            const Catalogue roles = spec.expected_catalogue();
            const std::string higher = a2.roles.front();
            CHECK(std::find(a1.roles.begin(), a1.roles.end(), higher) == a1.roles.end());
            CHECK(roles.find_role(higher));
            CHECK(only_candidate(spec, ask.to, Command::deny_extension).to == "handling");
        }
        SUBCASE("suspension stops the clock and resumption restarts it") {
            const TransitionSpec& s = only_candidate(spec, "handling", Command::suspend);
            CHECK(s.clock == ClockEffect::pause);
            CHECK(s.reason_required);
            CHECK(spec.state(s.to).timer.empty());
            const TransitionSpec& r = only_candidate(spec, s.to, Command::resume);
            CHECK(r.clock == ClockEffect::resume);
            CHECK(r.to == "handling");
        }
        SUBCASE("a failed check sends the case back for rework, counted") {
            const std::string checking = only_candidate(spec, "handling", Command::feedback).to;
            const TransitionSpec& fail = only_candidate(spec, checking, Command::check_fail);
            CHECK(fail.to == "handling");
            CHECK(fail.reason_required);
            CHECK(fail.increments == std::vector<std::string>{"rework"});
        }
        SUBCASE("supervision sets a flag and leaves the state as it is") {
            for (const StateSpec& st : spec.states) {
                if (st.kind != StateKind::open || st.key == "evaluating")
                    continue;
                CAPTURE(st.key);
                const TransitionSpec& t = only_candidate(spec, st.key, Command::supervise);
                CHECK(t.to.empty());
                CHECK(t.sets_flags == std::vector<std::string>{"supervised"});
            }
        }
        SUBCASE("self-handling by the grid worker requires evidence") {
            const TransitionSpec& t = only_candidate(spec, start, Command::self_handle);
            CHECK(t.evidence_required);
            CHECK(t.sets_flags == std::vector<std::string>{"self_handled"});
            CHECK(t.assigned_department == false);
        }
        SUBCASE("escalation moves the case one tier up: grid → community → street → district") {
            const TransitionSpec& t = only_candidate(spec, "handling", Command::escalate);
            CHECK(t.tier_delta == 1);
            CHECK(t.system);
            CHECK(t.to.empty());
            std::vector<std::string> levels;
            for (const TierSpec& tier : spec.tiers)
                levels.push_back(tier.level);
            CHECK(levels == std::vector<std::string>{"grid", "village", "township", "county"});
        }
        SUBCASE("the citizen rates the closed case") {
            bool rated = false;
            for (const StateSpec& st : spec.states) {
                for (const TransitionSpec* t : spec.candidates(st.key, Command::rate, none)) {
                    rated = true;
                    CHECK(t->reporter);
                    CHECK(t->to.empty());
                }
            }
            CHECK(rated);
        }
    }
}

TEST_CASE("workflow.profiles.hazard_rectification") {
    // Seed 002 第四篇: found, graded, ordered, rectified, re-checked; beyond the grid's
    // means (or major) escalated up to the county.
    const WorkflowSpec spec = WorkflowSpec::preset("hazard_rectification");
    CHECK(spec.initial_states() == std::vector<std::string>{"found"});
    CHECK(only_candidate(spec, "found", Command::file).to == "graded");
    CHECK(only_candidate(spec, "graded", Command::dispatch).to == "rectifying");
    const TransitionSpec& done = only_candidate(spec, "rectifying", Command::feedback);
    CHECK(done.evidence_required);
    CHECK(done.to == "checking");
    const TransitionSpec& pass = only_candidate(spec, "checking", Command::check_pass);
    CHECK(spec.state(pass.to).kind == StateKind::closed);
    CHECK(pass.clock == ClockEffect::stop);
    const TransitionSpec& fail = only_candidate(spec, "checking", Command::check_fail);
    CHECK(fail.to == "rectifying");
    CHECK(fail.increments == std::vector<std::string>{"rework"});
    for (const char* from : {"found", "graded", "rectifying"}) {
        const TransitionSpec& up = only_candidate(spec, from, Command::escalate);
        CHECK(up.tier_delta == 1);
        CHECK(up.reason_required);
    }
    CHECK(spec.tiers.back().level == "county");
    const TransitionSpec& no = only_candidate(spec, "found", Command::void_case);
    CHECK(spec.state(no.to).kind == StateKind::voided);
    const WorkflowMeasures m = spec.effective_measures();
    CHECK(m.handling == "handle");
    CHECK(m.check == "check");
    CHECK(m.rework == "rework");
    CHECK(m.dispatch == "order");
}

TEST_CASE("workflow.profiles.hotline_unsatisfied_callback_reopens") {
    const WorkflowSpec spec = WorkflowSpec::preset("hotline_callback");
    TransitionContext unhappy;
    unhappy.rating = Rating::from_score(2);
    const TransitionSpec& reopen =
        only_candidate(spec, "callback_pending", Command::callback, unhappy);
    CHECK(reopen.to == "handling");
    CHECK(reopen.clock == ClockEffect::reset);
    CHECK(reopen.increments == std::vector<std::string>{"reopened"});

    for (Satisfaction level : {Satisfaction::satisfied, Satisfaction::basically_satisfied}) {
        TransitionContext happy;
        happy.rating = Rating::of(level);
        const TransitionSpec& close =
            only_candidate(spec, "callback_pending", Command::callback, happy);
        CHECK(close.to == "closed");
        CHECK(close.clock == ClockEffect::stop);
    }
    // Without a rating, no callback transition applies.
    CHECK(spec.candidates("callback_pending", Command::callback).empty());
}

// ---- validation --------------------------------------------------------------------------

TEST_CASE("workflow.validate.tiny_spec_is_clean") {
    const std::vector<Finding> findings = tiny_spec().validate();
    CHECK_MESSAGE(findings.empty(), describe(findings));
}

TEST_CASE("workflow.validate.each_rule_fires") {
    struct Case {
        const char* rule;
        Severity severity;
        std::function<void(WorkflowSpec&)> breakit;
    };
    const auto state = [](const char* key, bool terminal, const char* timer) {
        StateSpec s;
        s.key = key;
        s.label_zh = key;
        s.terminal = terminal;
        s.timer = timer;
        return s;
    };
    const std::vector<Case> cases = {
        {"workflow.empty_key", Severity::error, [](WorkflowSpec& s) { s.key.clear(); }},
        {"workflow.bad_version", Severity::error, [](WorkflowSpec& s) { s.version = 0; }},
        {"workflow.duplicate_key", Severity::error,
         [](WorkflowSpec& s) { s.states.push_back(s.states[0]); }},
        {"workflow.no_tiers", Severity::error, [](WorkflowSpec& s) { s.tiers.clear(); }},
        {"workflow.lights", Severity::error, [](WorkflowSpec& s) { s.lights.yellow = 1.5; }},
        {"workflow.bad_limit", Severity::error,
         [](WorkflowSpec& s) { s.stages[0].default_limit = TimeLimit::working_hours(-1); }},
        {"workflow.unknown_stage", Severity::error,
         [](WorkflowSpec& s) { s.states[0].timer = "inspect"; }},
        {"workflow.unknown_state", Severity::error,
         [](WorkflowSpec& s) { s.transitions[1].to = "nowhere"; }},
        {"workflow.report_with_from", Severity::error,
         [](WorkflowSpec& s) { s.transitions[0].from = {"open"}; }},
        {"workflow.missing_from", Severity::error,
         [](WorkflowSpec& s) { s.transitions[1].from.clear(); }},
        {"workflow.no_initial", Severity::error,
         [](WorkflowSpec& s) { s.transitions.erase(s.transitions.begin()); }},
        {"workflow.no_terminal", Severity::error,
         [](WorkflowSpec& s) { s.states[1].terminal = false; }},
        {"workflow.terminal_exit", Severity::error,
         [](WorkflowSpec& s) {
             TransitionSpec t = s.transitions[1];
             t.from = {"done"};
             t.to = "open";
             s.transitions.push_back(t);
         }},
        {"workflow.dead_end", Severity::error,
         [&](WorkflowSpec& s) {
             s.states.push_back(state("limbo", false, "work"));
             TransitionSpec t = s.transitions[1];
             t.command = Command::escalate;
             t.to = "limbo";
             t.clock = ClockEffect::continue_running;
             s.transitions.push_back(t);
         }},
        {"workflow.unreachable_state", Severity::error,
         [&](WorkflowSpec& s) { s.states.push_back(state("orphan", true, "")); }},
        {"workflow.no_actor", Severity::error,
         [](WorkflowSpec& s) { s.transitions[1].system = false; }},
        {"workflow.unknown_counter", Severity::error,
         [](WorkflowSpec& s) { s.transitions[1].increments = {"reworks"}; }},
        {"workflow.unknown_flag", Severity::error,
         [](WorkflowSpec& s) { s.transitions[1].sets_flags = {"urgent"}; }},
        {"workflow.guard_range", Severity::error,
         [](WorkflowSpec& s) {
             s.transitions[1].guards = {{"rework", 2, 1}};
         }},
        {"workflow.tier_delta", Severity::error,
         [](WorkflowSpec& s) { s.transitions[1].tier_delta = 2; }},
        {"workflow.extend_without_amount", Severity::error,
         [](WorkflowSpec& s) { s.transitions[1].extends_clock = true; }},
        {"workflow.rating_guard", Severity::error,
         [](WorkflowSpec& s) { s.transitions[1].ratings = {Satisfaction::unsatisfied}; }},
        {"workflow.empty_label", Severity::warning,
         [](WorkflowSpec& s) { s.states[0].label_zh.clear(); }},
        {"workflow.unknown_catalogue", Severity::warning,
         [](WorkflowSpec& s) { s.catalogues = {"township_999"}; }},
        {"workflow.shadowed_transition", Severity::warning,
         [](WorkflowSpec& s) { s.transitions.push_back(s.transitions[1]); }},
        {"workflow.clock_effect", Severity::warning,
         [](WorkflowSpec& s) { s.states[1].timer = "work"; }},
        {"workflow.missing_timer", Severity::warning,
         [](WorkflowSpec& s) { s.states[0].timer.clear(); }},
        {"workflow.single_tier", Severity::warning,
         [](WorkflowSpec& s) {
             s.tiers.pop_back();
             s.states[0].breach.escalate = true;
         }},
    };
    for (const Case& c : cases) {
        CAPTURE(c.rule);
        WorkflowSpec spec = tiny_spec();
        c.breakit(spec);
        const std::vector<Finding> findings = spec.validate();
        const Finding* f = find_rule(findings, c.rule);
        REQUIRE_MESSAGE(f != nullptr, describe(findings));
        CHECK(f->severity == c.severity);
        CHECK(f->where.rfind(spec.id() + ":/", 0) == 0);
    }
}

TEST_CASE("workflow.validate.unknown_role_against_the_catalogue") {
    WorkflowSpec spec = tiny_spec();
    spec.transitions[1].roles = {"village_grid_leader", "duty_officer"};
    spec.states[0].breach.notify = {"grid_information_officer", "street_secretary"};
    const Catalogue township = Catalogue::preset("township_000");
    const std::vector<Finding> findings = spec.validate(&township);
    REQUIRE(findings.size() == 2);
    CHECK(findings[0].rule == "workflow.unknown_role");
    CHECK(findings[0].where == "tiny@1:/transitions/1/who/1");
    CHECK(findings[0].message.find("\"duty_officer\"") != std::string::npos);
    CHECK(findings[1].where == "tiny@1:/states/0/breach/notify/1");
    CHECK(spec.validate().empty());

    SUBCASE("the urban roles are not in the township preset but in the fragment") {
        const WorkflowSpec urban = WorkflowSpec::preset("urban_seven_step");
        CHECK(rules_of(urban.validate(&township)) ==
              std::set<std::string>{"workflow.unknown_role"});
        const Catalogue merged = merge_catalogues(township, workflow_roles_catalogue());
        CHECK(urban.validate(&merged).empty());
    }
}

TEST_CASE("workflow.validate.timer_stages_against_the_categories") {
    WorkflowSpec spec = tiny_spec();
    spec.stages[0].default_limit.reset();
    CategoryCatalogue categories;
    categories.key = "test";
    categories.categories = {category_with("E0102", {})};

    SUBCASE("no category gives the stage a limit") {
        const std::vector<Finding> findings = spec.validate(nullptr, &categories);
        REQUIRE(findings.size() == 1);
        CHECK(findings[0].rule == "workflow.stage_without_limit");
        CHECK(findings[0].severity == Severity::error);
        CHECK(findings[0].where == "tiny@1:/stages/0/default_limit");
    }
    SUBCASE("some categories lack it: a warning per category") {
        categories.categories.push_back(
            category_with("E0104", {{"work", "", TimeLimit::working_hours(5), {}}}));
        const std::vector<Finding> findings = spec.validate(nullptr, &categories);
        REQUIRE(findings.size() == 1);
        CHECK(findings[0].rule == "workflow.category_without_limit");
        CHECK(findings[0].severity == Severity::warning);
        CHECK(findings[0].message.find("E0102") != std::string::npos);
    }
    SUBCASE("a default limit covers every category") {
        spec.stages[0].default_limit = TimeLimit::working_days(1);
        CHECK(spec.validate(nullptr, &categories).empty());
    }
}

// ---- the registry ------------------------------------------------------------------------

TEST_CASE("workflow.registry.refuses_error_findings_naming_spec_path_and_field") {
    WorkflowRegistry registry;
    WorkflowSpec spec = tiny_spec();
    spec.transitions[1].to = "finished";
    CHECK_THROWS_WITH_AS(
        registry.add(spec),
        doctest::Contains("workflow tiny@1 refused at /transitions/1/to (field 'to'): transition 1 "
                          "(close) goes to unknown state \"finished\" [workflow.unknown_state]"),
        Error);
    CHECK(registry.size() == 0);

    SUBCASE("an unknown role names the index inside 'who'") {
        WorkflowSpec with_role = tiny_spec();
        with_role.transitions[1].roles = {"mayor"};
        const Catalogue roles = Catalogue::preset("township_000");
        CHECK_THROWS_WITH_AS(registry.add(with_role, &roles),
                             doctest::Contains("refused at /transitions/1/who/0 (field 'who')"),
                             Error);
    }
    SUBCASE("warnings do not refuse, they are returned") {
        WorkflowSpec warned = tiny_spec();
        warned.states[0].label_zh.clear();
        const std::vector<Finding> findings = registry.add(warned);
        CHECK(rules_of(findings) == std::set<std::string>{"workflow.empty_label"});
        CHECK(registry.contains("tiny", 1));
    }
    SUBCASE("a JSON text that fails to parse names the source") {
        CHECK_THROWS_WITH_AS(registry.add_json("{\"key\": ", "county.workflow.json"),
                             doctest::Contains("county.workflow.json: not valid JSON"), Error);
    }
}

TEST_CASE("workflow.registry.versions_coexist") {
    WorkflowRegistry registry;
    WorkflowSpec v1 = tiny_spec();
    WorkflowSpec v2 = tiny_spec();
    v2.version = 2;
    v2.stages[0].default_limit = TimeLimit::working_hours(2);
    registry.add(v2);
    registry.add(v1);
    CHECK(registry.versions("tiny") == std::vector<int>{1, 2});
    CHECK(registry.get("tiny", 1).stages[0].default_limit == TimeLimit::working_hours(4));
    CHECK(registry.get("tiny", 2).stages[0].default_limit == TimeLimit::working_hours(2));
    CHECK(registry.latest("tiny").version == 2);
    CHECK_THROWS_WITH_AS(registry.add(v1),
                         doctest::Contains("workflow tiny@1 is already registered"), Error);
    try {
        registry.add(v1);
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::already_exists);
    }
    CHECK_THROWS_WITH_AS(registry.get("tiny", 3),
                         doctest::Contains("no workflow \"tiny\" version 3"), Error);
    CHECK_THROWS_WITH_AS(registry.latest("township"), doctest::Contains("no workflow \"township\""),
                         Error);
    CHECK(registry.versions("township").empty());

    SUBCASE("a locality's version 2 of a built-in profile sits beside version 1") {
        WorkflowRegistry builtin = WorkflowRegistry::builtin();
        WorkflowSpec local = WorkflowSpec::preset("township_six_step");
        local.version = 2;
        // The locality resets the handling clock on rework instead of continuing it.
        for (TransitionSpec& t : local.transitions) {
            if (t.command == Command::check_fail)
                t.clock = ClockEffect::reset;
        }
        const Catalogue roles = local.expected_catalogue();
        builtin.add_json(local.to_json(), "青石镇六步闭环 v2", &roles);
        CHECK(builtin.versions("township_six_step") == std::vector<int>{1, 2});
        CHECK(only_candidate(builtin.get("township_six_step", 1), "checking", Command::check_fail)
                  .clock == ClockEffect::continue_running);
        CHECK(only_candidate(builtin.get("township_six_step", 2), "checking", Command::check_fail)
                  .clock == ClockEffect::reset);
    }
}

// ---- roles and who may act ---------------------------------------------------------------

TEST_CASE("workflow.roles.fragment_and_merging") {
    const Catalogue fragment = workflow_roles_catalogue();
    CHECK(fragment.key == "workflow_roles");
    for (const char* code : {"intake_operator", "shift_leader", "dispatcher", "field_supervisor",
                             "centre_leader", "hotline_operator", "service_centre_staff"}) {
        CHECK_MESSAGE(fragment.find_role(code), code);
    }
    const Catalogue township = Catalogue::preset("township_000");
    const Catalogue merged = merge_catalogues(township, fragment);
    CHECK(merged.key == "township_000");
    CHECK(merged.roles.size() == township.roles.size() + fragment.roles.size());
    CHECK(merge_catalogues(merged, fragment).roles.size() == merged.roles.size());

    Catalogue clash = fragment;
    clash.roles[0].level = "grid";
    CHECK_THROWS_WITH_AS(merge_catalogues(fragment, clash),
                         doctest::Contains("role \"field_supervisor\" is held at level \"grid\""),
                         Error);
    WorkflowSpec odd = tiny_spec();
    odd.catalogues = {"township_999"};
    CHECK_THROWS_WITH_AS(odd.expected_catalogue(),
                         doctest::Contains("expects role catalogue \"township_999\""), Error);
}

TEST_CASE("workflow.authorize.roles_at_the_node_or_above") {
    County c;
    Directory dir(merge_catalogues(Catalogue::preset("township_000"), workflow_roles_catalogue()));
    dir.add_people({person("P0001", "王建国"), person("P0002", "李秀英"), person("P0003", "张伟"),
                    person("P0004", "刘洋"), person("P0005", "陈静")});
    dir.add_assignments(c.h, {post("P0001", "grid_information_officer", c.q1),
                              post("P0002", "service_centre_staff", c.town),
                              post("P0003", "village_grid_leader", c.dongling),
                              post("P0004", "village_grid_leader", c.qingshi, Post::a)});
    const WorkflowSpec spec = WorkflowSpec::preset("township_six_step");
    ActorQuery q;
    q.hierarchy = &c.h;
    q.directory = &dir;
    q.case_node = c.q2;
    q.date = Date::parse("2024-03-05");

    SUBCASE("the township centre dispatches every grid's cases") {
        q.person = "P0002";
        const ActorDecision d = authorize(only_candidate(spec, "filed", Command::dispatch), q);
        CHECK(d.allowed);
        CHECK(d.basis == "role service_centre_staff held at 371338101 (post A)");
    }
    SUBCASE("a village leader checks only the cases of the own village") {
        const TransitionSpec& check = only_candidate(spec, "checking", Command::check_pass);
        q.person = "P0004";
        CHECK(authorize(check, q).allowed);
        q.person = "P0003";
        const ActorDecision d = authorize(check, q);
        CHECK_FALSE(d.allowed);
        CHECK(d.basis.find("may not fire check_pass") != std::string::npos);
        CHECK(d.basis.find("371338101001002") != std::string::npos);
    }
    SUBCASE("a grid officer reports in the own grid, not the neighbour's") {
        const TransitionSpec& self = only_candidate(spec, "reported", Command::self_handle);
        q.person = "P0001";
        CHECK_FALSE(authorize(self, q).allowed);
        q.case_node = c.q1;
        CHECK(authorize(self, q).allowed);
    }
    SUBCASE("before the appointment the role is not held") {
        q.person = "P0002";
        q.date = Date::parse("2023-08-23");
        CHECK_FALSE(authorize(only_candidate(spec, "filed", Command::dispatch), q).allowed);
    }
    SUBCASE("members of the assigned department act on its cases") {
        Department dept;
        dept.code = "D-QS-CJ";
        dept.kind = "urban_construction";
        dept.name_zh = "青石镇村镇建设办公室";
        dept.node = "371338101";
        dept.members = {"P0005"};
        const TransitionSpec& accept = only_candidate(spec, "dispatched", Command::accept);
        q.person = "P0005";
        CHECK_FALSE(authorize(accept, q).allowed);
        q.assigned_department = &dept;
        const ActorDecision d = authorize(accept, q);
        CHECK(d.allowed);
        CHECK(d.basis == "member of department D-QS-CJ");
    }
    SUBCASE("the reporter rates, the system resumes") {
        const TransitionSpec& rate = only_candidate(spec, "evaluating", Command::rate);
        q.person = "P0009";
        q.reporter = "P0009";
        CHECK(authorize(rate, q).basis == "reporter");
        ActorQuery sys;
        sys.system = true;
        CHECK(authorize(only_candidate(spec, "suspended", Command::resume), sys).allowed);
        CHECK_FALSE(authorize(only_candidate(spec, "filed", Command::dispatch), sys).allowed);
    }
    SUBCASE("roles without the directory are a usage error") {
        ActorQuery bare;
        bare.person = "P0002";
        CHECK_THROWS_WITH_AS(authorize(only_candidate(spec, "filed", Command::dispatch), bare),
                             doctest::Contains("the hierarchy and the directory are required"),
                             Error);
    }
}

TEST_CASE("workflow.authorize.posts_on_overlay_units_cover_their_grids") {
    // Seed 002 第一篇: a market officer (段管员) of 段区 D01, mapped to 青石村, acts on the
    // cases of its grids; the officer of D02 (东岭村) does not, and neither acts without
    // the overlays.
    County c;
    std::vector<Overlay> overlays;
    overlays.emplace_back("market", "工商段区", market_supervision_levels());
    overlays[0].add_unit(gridgov_test::section("D01", "青石段区", "371338101001"), c.h);
    overlays[0].add_unit(gridgov_test::section("D02", "东岭段区", "371338101002"), c.h);
    const Networks net(c.h, overlays);
    Directory dir(gridgov_test::market_catalogue());
    dir.add_people({person("M1", "黄志强"), person("M2", "梁慧敏")});
    dir.add_assignments(net, {post("M1", "section_officer", net.place("market:D01").node),
                              post("M2", "section_officer", net.place("market:D02").node)});
    TransitionSpec check =
        only_candidate(WorkflowSpec::preset("township_six_step"), "checking", Command::check_pass);
    check.roles = {"section_officer"};
    ActorQuery q;
    q.hierarchy = &c.h;
    q.directory = &dir;
    q.overlays = &overlays;
    q.case_node = c.q2;
    q.date = Date::parse("2024-03-05");
    q.person = "M1";
    const ActorDecision d = authorize(check, q);
    CHECK(d.allowed);
    CHECK(d.basis == "role section_officer held at market:D01 (post A)");
    q.person = "M2";
    CHECK_FALSE(authorize(check, q).allowed);
    q.case_node = c.d1;
    CHECK(authorize(check, q).allowed);
    q.overlays = nullptr;
    CHECK_FALSE(authorize(check, q).allowed);
}

TEST_CASE("workflow.tiers.handling_node_climbs_one_level_per_tier") {
    County c;
    const WorkflowSpec spec = WorkflowSpec::preset("township_six_step");
    CHECK(spec.handling_node(c.h, c.q1, 0) == c.q1);
    CHECK(spec.handling_node(c.h, c.q1, 1) == c.qingshi);
    CHECK(spec.handling_node(c.h, c.q1, 2) == c.town);
    CHECK(spec.handling_node(c.h, c.q1, 3) == c.county);
    // A matter reported at the village itself starts there.
    CHECK(spec.handling_node(c.h, c.dongling, 0) == c.dongling);
    CHECK_THROWS_WITH_AS(spec.handling_node(c.h, c.q1, 4),
                         doctest::Contains("township_six_step@1 has no tier 4"), Error);
    WorkflowSpec odd = spec;
    odd.tiers[1].level = "net_area";
    CHECK_THROWS_WITH_AS(odd.handling_node(c.h, c.q1, 1),
                         doctest::Contains("names level \"net_area\""), Error);
}

// ---- categories --------------------------------------------------------------------------

TEST_CASE("workflow.categories.presets_carry_the_published_limits") {
    const CategoryCatalogue urban = CategoryCatalogue::preset("urban_management");
    CHECK(urban.validate().empty());
    CHECK(urban.at("E0102").name_zh == "暴露垃圾");
    CHECK(urban.at("E0102").limit_for("handle", "一类")->limit == TimeLimit::working_hours(4));
    CHECK(urban.at("E0104").name_zh == "道路不洁");
    CHECK(urban.at("E0104").limit_for("handle", "")->limit == TimeLimit::working_hours(5));
    CHECK(urban.at("C0402").kind == CategoryKind::component);
    CHECK(urban.at("C0402").limit_for("handle", "")->limit == TimeLimit::working_days(5));

    SUBCASE("私搭乱建 is stepwise: stop 4 working hours, penalise 7 working days, remove 20") {
        const StageLimit* l = urban.at("E0101").limit_for("handle", "");
        REQUIRE(l != nullptr);
        CHECK(l->limit == TimeLimit::working_days(20));
        REQUIRE(l->milestones.size() == 3);
        CHECK(l->milestones[0].within == TimeLimit::working_hours(4));
        CHECK(l->milestones[1].within == TimeLimit::working_days(7));
        CHECK(l->milestones[2].within == TimeLimit::working_days(20));
    }
    SUBCASE("urgent events count natural time") {
        const Category& burst = urban.at("E0401");
        CHECK(burst.clock_mode == ClockMode::natural);
        CHECK_FALSE(burst.limit_for("handle", "")->limit.counts_working_time());
    }
    SUBCASE("governance matters: disputes, safety hazards incl. fire, livelihood services") {
        const CategoryCatalogue gov = CategoryCatalogue::preset("governance");
        CHECK(gov.validate().empty());
        std::set<std::string> majors;
        for (const Category& c : gov.categories) {
            CHECK(c.kind == CategoryKind::governance);
            majors.insert(c.major_zh);
        }
        CHECK(majors == std::set<std::string>{"矛盾纠纷", "安全隐患", "民生服务"});
        CHECK(gov.at("G0201").name_zh == "消防安全隐患");
        CHECK(gov.at("G0202").clock_mode == ClockMode::natural);
    }
    SUBCASE("combined holds both") {
        const CategoryCatalogue all = CategoryCatalogue::preset("combined");
        CHECK(all.categories.size() ==
              urban.categories.size() + CategoryCatalogue::preset("governance").categories.size());
        CHECK(all.stages() == std::vector<std::string>{"handle"});
        CHECK_THROWS_WITH_AS(CategoryCatalogue::preset("beijing"),
                             doctest::Contains("no built-in category catalogue \"beijing\""),
                             Error);
    }
}

TEST_CASE("workflow.categories.limits_per_area_class") {
    // A core area (一类) clears exposed refuse faster than the general area (二类); other
    // classes take the row's limit for every class; stages the row does not time fall
    // back to the workflow's default.
    const CategoryCatalogue cat = CategoryCatalogue::from_json(R"({
      "key": "weichuan", "name": "苇川县城市管理事部件",
      "categories": [
        {"code": "E0102", "kind": "事件", "major": "01", "major_zh": "市容环境", "minor": "02",
         "zh": "暴露垃圾", "department": "sanitation",
         "limits": [
           {"stage": "handle", "area_class": "一类", "limit": {"value": 2, "unit": "working_hours"}},
           {"stage": "handle", "area_class": "二类", "limit": {"value": 4, "unit": "working_hours"}},
           {"stage": "handle", "limit": {"value": 1, "unit": "working_days"}}
         ]}
      ]})",
                                                               "weichuan.json");
    const Category& refuse = cat.at("E0102");
    CHECK(refuse.kind == CategoryKind::event);
    CHECK(refuse.limit_for("handle", "一类")->limit == TimeLimit::working_hours(2));
    CHECK(refuse.limit_for("handle", "二类")->limit == TimeLimit::working_hours(4));
    CHECK(refuse.limit_for("handle", "三类")->limit == TimeLimit::working_days(1));
    CHECK(refuse.limit_for("handle", "")->limit == TimeLimit::working_days(1));
    CHECK(refuse.limit_for("check", "一类") == nullptr);

    const WorkflowSpec urban = WorkflowSpec::preset("urban_seven_step");
    const auto handle = resolve_limit(urban, &refuse, "handle", "一类");
    REQUIRE(handle);
    CHECK(handle->limit == TimeLimit::working_hours(2));
    CHECK(handle->basis == "category E0102 area class 一类");
    CHECK(resolve_limit(urban, &refuse, "handle", "三类")->basis ==
          "category E0102 (every area class)");
    const auto check = resolve_limit(urban, &refuse, "check", "一类");
    REQUIRE(check);
    CHECK(check->limit == TimeLimit::working_hours(4));
    CHECK(check->basis == "workflow urban_seven_step@1 stage default");
    CHECK_FALSE(resolve_limit(urban, nullptr, "handle", "一类"));
}

TEST_CASE("workflow.categories.validation") {
    CategoryCatalogue cat;
    cat.key = "broken";
    Category twice = category_with("E0102", {{"handle", "", TimeLimit::working_hours(4), {}},
                                             {"handle", "", TimeLimit::working_hours(2), {}}});
    Category urgent = category_with("E0401", {{"handle", "", TimeLimit::working_hours(2), {}}});
    urgent.clock_mode = ClockMode::natural;
    Category stepwise =
        category_with("E0101", {{"handle",
                                 "",
                                 TimeLimit::working_days(7),
                                 {{"removal", "拆除", "", TimeLimit::working_days(20)}}}});
    Category nameless = category_with("E0103", {});
    nameless.name_zh.clear();
    cat.categories = {twice, urgent, stepwise, nameless, twice};
    const std::vector<Finding> findings = cat.validate();
    CHECK(rules_of(findings) ==
          std::set<std::string>{"category.duplicate_limit", "category.clock_mode",
                                "category.milestone_order", "category.empty_field",
                                "category.duplicate_code"});
    CHECK(find_rule(findings, "category.clock_mode")->where == "E0401");

    CHECK_THROWS_WITH_AS(
        CategoryCatalogue::from_json(
            R"({"categories": [{"code": "E01", "zh": "a"}, {"code": "E01", "zh": "b"}]})",
            "dup.json"),
        doctest::Contains("dup.json /categories/1 field 'code': duplicate"), Error);
    CHECK_THROWS_WITH_AS(
        CategoryCatalogue::from_json(
            R"({"categories": [{"code": "E01", "zh": "a", "limits": [{"stage": "handle", "limit": {"value": 4, "unit": "hours"}}]}]})",
            "unit.json"),
        doctest::Contains("unit.json /categories/0/limits/0 field 'limit'"), Error);
}

// ---- departments and routing ---------------------------------------------------------------

namespace {

const char* const departments_json = R"({
  "key": "weichuan", "name": "苇川县处置部门",
  "departments": [
    {"code": "D-HW-XIAN", "kind": "sanitation", "zh": "县环境卫生服务中心", "node": "371338", "members": ["P0101"]},
    {"code": "D-HW-QS", "kind": "sanitation", "zh": "青石镇环卫所", "node": "371338101", "members": ["P0102"]},
    {"code": "D-ZF-XIAN", "kind": "urban_enforcement", "zh": "县综合行政执法局", "node": "371338", "members": ["P0103"]},
    {"code": "D-ZF-QS", "kind": "urban_enforcement", "zh": "青石镇综合执法中队", "node": "371338101", "members": ["P0104"]},
    {"code": "D-QS-ZZ", "kind": "territorial", "zh": "青石镇综治中心", "node": "371338101", "members": ["P0105"]},
    {"code": "D-QSC", "kind": "territorial", "zh": "青石村委会", "node": "371338101001", "members": []}
  ]})";

const char* const routing_json = R"({
  "territorial_level": "township",
  "rules": [
    {"category_prefix": "E01", "subtree": "371338101001", "department": "D-ZF-QS", "note": "青石村市容环境由镇执法中队统管"},
    {"category_prefix": "E0102", "department": "D-HW-XIAN", "note": "暴露垃圾全县由县环卫中心处置"},
    {"category_prefix": "E0105", "department": "D-ZF-XIAN"},
    {"category_prefix": "E0105", "subtree": "371338101", "department": "D-ZF-QS"},
    {"category_prefix": "E0106", "subtree": "371338101", "department": "D-HW-QS"},
    {"category_prefix": "E0106", "subtree": "371338101", "department": "D-ZF-QS"}
  ]})";

}  // namespace

TEST_CASE("workflow.routing.precedence_and_territorial_default") {
    County c;
    const CategoryCatalogue categories = CategoryCatalogue::preset("combined");
    const DepartmentCatalogue departments =
        DepartmentCatalogue::from_json(departments_json, "departments.json");
    const RoutingTable table = RoutingTable::from_json(routing_json, "routing.json");

    SUBCASE("the longest category prefix beats a deeper subtree") {
        const Route r = table.route(c.h, categories, departments, "E0102", c.q1);
        CHECK(r.basis == RouteBasis::rule);
        CHECK(r.department == "D-HW-XIAN");
        CHECK(r.rule == 1);
        CHECK(r.node == c.county);
    }
    SUBCASE("a rule applies only inside its subtree") {
        const Route in = table.route(c.h, categories, departments, "E0103", c.q1);
        CHECK(in.basis == RouteBasis::rule);
        CHECK(in.department == "D-ZF-QS");
        const Route out = table.route(c.h, categories, departments, "E0103", c.d1);
        CHECK(out.basis == RouteBasis::category);
        CHECK(out.department == "D-HW-QS");  // sanitation: the township's office is nearest
        CHECK(out.node == c.town);
    }
    SUBCASE("with equal prefixes the deeper subtree wins, then the earlier rule") {
        CHECK(table.route(c.h, categories, departments, "E0105", c.d1).department == "D-ZF-QS");
        const Route tie = table.route(c.h, categories, departments, "E0106", c.d1);
        CHECK(tie.department == "D-HW-QS");
        CHECK(tie.rule == 4);
    }
    SUBCASE("the category's department kind, nearest to the case") {
        const Route r = table.route(c.h, categories, departments, "E0101", c.d1);
        CHECK(r.basis == RouteBasis::category);
        CHECK(r.department == "D-ZF-QS");
        CHECK(r.reasoning.back().find("urban_enforcement") != std::string::npos);
        // Above the township only the county's office serves.
        CHECK(table.route(c.h, categories, departments, "E0101", c.county).department ==
              "D-ZF-XIAN");
    }
    SUBCASE("nothing specific: territorial management at the street/township tier") {
        // Disputes go to mediation, which no department here does.
        const Route r = table.route(c.h, categories, departments, "G0101", c.q2);
        CHECK(r.basis == RouteBasis::territorial);
        CHECK(r.node == c.town);
        CHECK(r.department == "D-QS-ZZ");
        REQUIRE(r.reasoning.size() == 3);
        CHECK(r.reasoning[0] == "no explicit rule matches G0101 at 371338101001002");
        CHECK(r.reasoning[1] ==
              "no department of kind \"mediation\" serves 371338101001002 or any node above it");
        CHECK(r.reasoning[2].find("属地管理") != std::string::npos);

        RoutingTable bare;
        bare.territorial_level = "village";
        bare.territorial_kind = "village_committee";
        const Route v = bare.route(c.h, categories, departments, "G0101", c.q2);
        CHECK(v.node == c.qingshi);
        CHECK(v.department.empty());
    }
    SUBCASE("unknown category or node") {
        CHECK_THROWS_WITH_AS(table.route(c.h, categories, departments, "X9999", c.q1),
                             doctest::Contains("no category \"X9999\""), Error);
        CHECK_THROWS_WITH_AS(table.route(c.h, categories, departments, "E0102", 999),
                             doctest::Contains("node 999 is not a live node"), Error);
    }
    SUBCASE("validation of the table and the departments") {
        CHECK(departments.validate(c.h).size() == 1);  // 青石村委会 has no members
        CHECK(departments.validate(c.h)[0].rule == "department.no_members");
        RoutingTable broken = table;
        broken.territorial_level = "prefecture";
        broken.rules.push_back({"E0102", "371338999", "D-NONE", "", ""});
        broken.rules.push_back({"Z", "", "D-HW-QS", "", ""});
        CHECK(rules_of(broken.validate(c.h, categories, departments)) ==
              std::set<std::string>{"routing.unknown_level", "routing.unknown_department",
                                    "routing.unknown_subtree", "routing.prefix_matches_nothing",
                                    "routing.duplicate_rule"});
        CHECK(rules_of(table.validate(c.h, categories, departments)) ==
              std::set<std::string>{"routing.duplicate_rule"});
        DepartmentCatalogue moved = departments;
        moved.departments[0].node = "371399";
        Directory dir;
        CHECK(rules_of(moved.validate(c.h, &dir)) ==
              std::set<std::string>{"department.unknown_node", "department.unknown_member",
                                    "department.no_members"});
    }
}

TEST_CASE("workflow.routing.overlay_rules_send_a_category_into_the_covering_unit") {
    // Fire hazards go to the fire grid covering the case (seed 002 第四篇), matters of the
    // 社区卫生服务团队 to the health grid (seed 001 篇4: the centre sends them on to the
    // team of the grid).
    County c;
    std::vector<Overlay> overlays;
    overlays.emplace_back("fire", "消防网格", fire_safety_levels());
    Overlay& fire = overlays.back();
    OverlayUnitSpec l1{"L1", "", "青石镇消防大网格", "large", {}};
    OverlayUnitSpec m1{"M1", "L1", "青石村消防中网格", "medium", {"371338101001"}};
    OverlayUnitSpec m2{"M2", "L1", "东岭村消防中网格", "medium", {"371338101002001"}};
    fire.add_units({l1, m1, m2}, c.h);
    overlays.emplace_back("health", "健康网格", market_supervision_levels());
    overlays.back().add_unit({"H1", "", "青石一网格健康网格", "section", {"371338101001001"}}, c.h);
    const Networks networks(c.h, overlays);

    const CategoryCatalogue categories = CategoryCatalogue::preset("combined");
    DepartmentCatalogue departments =
        DepartmentCatalogue::from_json(departments_json, "departments.json");
    departments.departments.push_back(
        {"D-XF-L1", "fire_station", "青石镇消防救援站", "", "fire:L1", {"P0201"}});
    departments.departments.push_back(
        {"D-XF-M1", "fire_station", "青石村微型消防站", "", "fire:M1", {"P0202"}});
    departments.departments.push_back(
        {"D-XF-M1B", "fire_patrol", "青石村巡防队", "", "fire:M1", {"P0203"}});
    RoutingTable table = RoutingTable::from_json(R"({"rules": [
        {"category_prefix": "G0201", "overlay": "fire", "note": "消防安全隐患进消防网格"},
        {"category_prefix": "G0303", "overlay": "health"},
        {"category_prefix": "G0302", "overlay": "health", "department": "D-QS-ZZ"}]})",
                                                 "routing.json");
    CHECK(table.rules[0].overlay == "fire");
    CHECK(table.rules[0].department.empty());
    CHECK(RoutingTable::from_json(table.to_json()) == table);

    SUBCASE("the department serving the covering unit") {
        const Route r = table.route(networks, categories, departments, "G0201", c.q2);
        CHECK(r.basis == RouteBasis::rule);
        CHECK(r.rule == 0);
        CHECK(networks.code(r.unit) == "fire:M1");
        CHECK(r.department == "D-XF-M1");  // the first serving M1 (no category kind given)
        CHECK(r.node == no_node);          // it serves a unit, not a base node
        CHECK(r.reasoning.back() ==
              "chosen: rule 0 (longest category prefix, then deepest subtree, then earliest) "
              "routes G0201 at 371338101001002 to unit fire:M1, department D-XF-M1");
    }
    SUBCASE("of the category's kind when one serves the unit") {
        CategoryCatalogue patrol = categories;
        for (Category& cat : patrol.categories) {
            if (cat.code == "G0201")
                cat.department = "fire_patrol";
        }
        CHECK(table.route(networks, patrol, departments, "G0201", c.q1).department == "D-XF-M1B");
    }
    SUBCASE("a unit no department serves: the nearest enclosing unit's") {
        const Route r = table.route(networks, categories, departments, "G0201", c.d1);
        CHECK(networks.code(r.unit) == "fire:M2");
        CHECK(r.department == "D-XF-L1");
    }
    SUBCASE("no department on the unit or above: the posts held on it") {
        const Route r = table.route(networks, categories, departments, "G0303", c.q1);
        CHECK(r.basis == RouteBasis::rule);
        CHECK(networks.code(r.unit) == "health:H1");
        CHECK(r.department.empty());
        CHECK(r.reasoning.back().find("no department serves it: the posts held on it") !=
              std::string::npos);
        // A named department goes with the unit.
        const Route named = table.route(networks, categories, departments, "G0302", c.q1);
        CHECK(named.department == "D-QS-ZZ");
        CHECK(networks.code(named.unit) == "health:H1");
        CHECK(named.node == c.town);
    }
    SUBCASE("where no unit covers the case the rule is skipped") {
        const Route r = table.route(networks, categories, departments, "G0303", c.d1);
        CHECK(r.basis != RouteBasis::rule);
        CHECK(r.unit == Place{});
        CHECK(r.reasoning[0] ==
              "rule 1 (prefix \"G0303\", subtree anywhere, overlay health) matches but no unit "
              "of health covers 371338101002001; skipped");
        // Without the overlays loaded the rule cannot apply either.
        const Route bare = table.route(c.h, categories, departments, "G0201", c.q1);
        CHECK(bare.basis != RouteBasis::rule);
        CHECK(bare.reasoning[0].find("overlay \"fire\", which is not loaded; skipped") !=
              std::string::npos);
    }
    SUBCASE("validation") {
        CHECK(rules_of(table.validate(networks, categories, departments)).empty());
        CHECK(rules_of(table.validate(c.h, categories, departments)) ==
              std::set<std::string>{"routing.unknown_overlay"});
        CHECK(rules_of(departments.validate(networks)) ==
              std::set<std::string>{"department.no_members"});
        CHECK(rules_of(departments.validate(c.h)) ==
              std::set<std::string>{"department.no_members", "department.unknown_node"});
        CHECK_THROWS_WITH_AS(
            RoutingTable::from_json(R"({"rules": [{"category_prefix": "G02"}]})", "r.json"),
            doctest::Contains("'department'"), Error);
    }
}

// ---- JSON --------------------------------------------------------------------------------

TEST_CASE("workflow.json.round_trip") {
    SUBCASE("specs") {
        for (const std::string& key : WorkflowSpec::preset_keys()) {
            CAPTURE(key);
            const WorkflowSpec spec = WorkflowSpec::preset(key);
            const std::string text = spec.to_json();
            const WorkflowSpec back = WorkflowSpec::from_json(text, "round trip");
            CHECK(back == spec);
            CHECK(back.to_json() == text);
        }
        WorkflowSpec tiny = tiny_spec();
        tiny.lights = {0.75, 1.0};
        tiny.transitions[1].guards = {{"rework", 1, 3}};
        CHECK(WorkflowSpec::from_json(tiny.to_json()) == tiny);
    }
    SUBCASE("categories") {
        for (const std::string& key : CategoryCatalogue::preset_keys()) {
            CAPTURE(key);
            const CategoryCatalogue cat = CategoryCatalogue::preset(key);
            CHECK(CategoryCatalogue::from_json(cat.to_json()) == cat);
        }
    }
    SUBCASE("departments and routing") {
        const DepartmentCatalogue d = DepartmentCatalogue::from_json(departments_json);
        CHECK(d.departments.size() == 6);
        CHECK(DepartmentCatalogue::from_json(d.to_json()) == d);
        const RoutingTable r = RoutingTable::from_json(routing_json);
        CHECK(r.rules.size() == 6);
        CHECK(r.territorial_kind == "territorial");
        CHECK(RoutingTable::from_json(r.to_json()) == r);
    }
}

TEST_CASE("workflow.json.errors_name_source_path_and_field") {
    const auto refused = [](const char* text) {
        try {
            WorkflowSpec::from_json(text, "qingshi.json");
        } catch (const Error& e) {
            CHECK(e.code() == ErrorCode::invalid_argument);
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK(
        refused(R"({"key": "q", "transitions": [{"command": "report", "to": "a", "who": ["system"]},
                     {"command": "reopen", "from": ["a"], "to": "a"}]})") ==
        "qingshi.json /transitions/1 field 'command': unknown command 'reopen' (expected report, "
        "file, void, dispatch, accept, return, request_extension, approve_extension, "
        "deny_extension, suspend, resume, feedback, check_pass, check_fail, close, rate, "
        "escalate, supervise, archive, self_handle or callback)");
    CHECK(refused(R"({"key": "q", "states": [{"key": "a", "kind": "finished"}]})") ==
          "qingshi.json /states/0 field 'kind': unknown state kind 'finished' (expected pending, "
          "open, closed or voided)");
    CHECK(refused(R"({"key": "q", "transitions": [{"command": "close", "from": ["a"]}]})") ==
          "qingshi.json /transitions/0 field 'to': missing (a state key, or \"\" to stay in the "
          "current state)");
    CHECK(refused(R"({"key": "q", "stages": [{"key": "s", "default_limit": 4}]})")
              .rfind("qingshi.json /stages/0 field 'default_limit'", 0) == 0);
    CHECK(refused(R"({"key": "q", "transitions": [{"command": "callback", "from": ["a"], "to": "",
                     "ratings": ["happy"]}]})")
              .rfind("qingshi.json /transitions/0 field 'ratings': unknown satisfaction", 0) == 0);
    CHECK(refused(R"({"key": "q", "version": 0})") ==
          "qingshi.json / field 'version': 0 is not a version number (1, 2, ...)");
    CHECK(refused(R"({"key": "q", "transitions": [{"command": "close", "from": ["a"], "to": "b",
                     "when": [{"counter": "rework", "min": "1"}]}]})") ==
          "qingshi.json /transitions/0/when/0 field 'min': '1' is not an integer");
    CHECK_THROWS_WITH_AS(
        DepartmentCatalogue::from_json(R"({"departments": [{"code": "D1"}]})", "dept.json"),
        doctest::Contains("dept.json /departments/0 field 'kind': missing"), Error);
    CHECK_THROWS_WITH_AS(
        RoutingTable::from_json(R"({"rules": [{"category_prefix": "E01"}]})", "routing.json"),
        doctest::Contains("routing.json /rules/0 field 'department': missing"), Error);
}

// ---- measures ------------------------------------------------------------------------------

TEST_CASE("workflow.measures.presets_declare_what_the_conventional_names_find") {
    for (const std::string& key : case_loop_profiles()) {
        CAPTURE(key);
        WorkflowSpec spec = WorkflowSpec::preset(key);
        REQUIRE(spec.measures.has_value());
        const WorkflowMeasures declared = *spec.measures;
        CHECK(spec.effective_measures() == declared);
        CHECK(declared.handling == "handle");
        CHECK(declared.check == "check");
        CHECK(declared.rework == "rework");
        CHECK(declared.faked.empty());
        spec.measures.reset();
        CHECK(spec.effective_measures() == declared);
    }
    CHECK(WorkflowSpec::preset("township_six_step").measures->intake == "dispatch");
    CHECK(WorkflowSpec::preset("urban_seven_step").measures->intake == "filing");
    CHECK(WorkflowSpec::preset("hotline_callback").measures->intake == "intake");
}

TEST_CASE("workflow.measures.read_and_written_by_the_json") {
    WorkflowSpec spec = tiny_spec();
    CHECK_FALSE(spec.measures.has_value());
    CHECK(spec.to_json().find("\"measures\"") == std::string::npos);
    CHECK(WorkflowSpec::from_json(spec.to_json()) == spec);
    // Without a block: only what the conventional names find.
    const WorkflowMeasures conventional = spec.effective_measures();
    CHECK(conventional.intake == "work");
    CHECK(conventional.handling.empty());
    CHECK(conventional.rework == "rework");
    CHECK(conventional.supervised == "supervised");
    CHECK(conventional.returns.empty());

    WorkflowMeasures m;
    m.handling = "work";
    m.rework = "rework";
    m.faked = "supervised";
    spec.measures = m;
    const std::string text = spec.to_json();
    CHECK(text.find("\"handling\": \"work\"") != std::string::npos);
    const WorkflowSpec back = WorkflowSpec::from_json(text);
    CHECK(back == spec);
    REQUIRE(back.measures.has_value());
    CHECK(back.effective_measures() == m);
    CHECK(back.effective_measures().intake.empty());
    WorkflowSpec other = back;
    other.measures->check = "work";
    CHECK(other != back);

    // Absent members are "", null is no block, and a member that is no measure is refused.
    const std::string declared = R"({"key": "m", "measures": {"handling": "work"}})";
    CHECK(WorkflowSpec::from_json(declared).measures->rework.empty());
    CHECK_FALSE(WorkflowSpec::from_json(R"({"key": "m", "measures": null})").measures);
    try {
        WorkflowSpec::from_json(R"({"key": "m", "measures": {"handeling": "work"}})", "m.json");
        FAIL("a member that is no measure was read");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::invalid_argument);
        CHECK(std::string(e.what()).find("m.json /measures field 'handeling'") !=
              std::string::npos);
    }
    CHECK_THROWS_AS(WorkflowSpec::from_json(R"({"key": "m", "measures": ["work"]})"), Error);
    CHECK_THROWS_AS(WorkflowSpec::from_json(R"({"key": "m", "measures": {"check": 1}})"), Error);
}

TEST_CASE("workflow.measures.name_declared_stages_counters_and_flags") {
    WorkflowSpec spec = tiny_spec();
    spec.measures = WorkflowMeasures{};
    spec.measures->handling = "work";
    spec.measures->rework = "rework";
    spec.measures->supervised = "supervised";
    CHECK_MESSAGE(spec.validate().empty(), describe(spec.validate()));

    struct Case {
        const char* rule;
        const char* where;
        const char* member;
        std::function<void(WorkflowMeasures&)> breakit;
    };
    const std::vector<Case> cases = {
        {"workflow.unknown_stage", "tiny@1:/measures/handling", "\"handling\"",
         [](WorkflowMeasures& m) { m.handling = "handle"; }},
        {"workflow.unknown_stage", "tiny@1:/measures/intake", "\"intake\"",
         [](WorkflowMeasures& m) { m.intake = "verify"; }},
        {"workflow.unknown_counter", "tiny@1:/measures/returns", "\"returns\"",
         [](WorkflowMeasures& m) { m.returns = "returned"; }},
        {"workflow.unknown_flag", "tiny@1:/measures/refused", "\"refused\"",
         [](WorkflowMeasures& m) { m.refused = "refused"; }},
    };
    for (const Case& c : cases) {
        CAPTURE(c.where);
        WorkflowSpec broken = spec;
        c.breakit(*broken.measures);
        const std::vector<Finding> findings = broken.validate();
        REQUIRE(findings.size() == 1);
        CHECK(findings[0].rule == c.rule);
        CHECK(findings[0].severity == Severity::error);
        CHECK(findings[0].where == c.where);
        CHECK(findings[0].message.find(std::string("measures member ") + c.member) !=
              std::string::npos);
    }

    SUBCASE("a stage no state times is a warning") {
        spec.stages.push_back({"check", "核查", "Check", TimeLimit::working_hours(2)});
        spec.measures->check = "check";
        const std::vector<Finding> findings = spec.validate();
        REQUIRE(findings.size() == 1);
        CHECK(findings[0].rule == "workflow.untimed_measure");
        CHECK(findings[0].severity == Severity::warning);
        CHECK(findings[0].where == "tiny@1:/measures/check");
    }
}

TEST_CASE("workflow.measures.the_registry_refuses_a_spec_whose_measures_name_an_unknown_stage") {
    WorkflowSpec spec = WorkflowSpec::preset("township_six_step");
    spec.version = 2;
    spec.measures->handling = "handling";  // a state, not a stage
    WorkflowRegistry registry = WorkflowRegistry::builtin();
    try {
        registry.add(spec);
        FAIL("a spec whose measures name an unknown stage was registered");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::invalid_argument);
        const std::string message = e.what();
        CHECK(message.find("township_six_step@2") != std::string::npos);
        CHECK(message.find("/measures/handling (field 'handling')") != std::string::npos);
        CHECK(message.find("measures member \"handling\" names stage \"handling\"") !=
              std::string::npos);
    }
    CHECK_FALSE(registry.contains("township_six_step", 2));
}
