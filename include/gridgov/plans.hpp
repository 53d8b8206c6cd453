// Matter plans (事项计划): reported matters with the steps each will go through, read from a
// CSV file and run through a case engine in global time order, with ticks between steps
// so that lights turn, breaches are recorded and cases escalate as they would have live.
//
// The plan file (docs/cases.md, "Matter plans"): one row per step, the report row first,
// header
//
//   matter,step,command,at,actor,node,category,source,workflow,reporter,department,
//   amount,rating,reason,evidence,note
//
// `matter` is the case number the matter gets; `step` counts 0 (the report), 1, 2, ...
// within a matter, whose rows come together and in non-decreasing time. An empty actor
// (other than on the report) means "the first of CaseEngine::candidates()" when the
// step runs; "system" means the engine itself.
//
// Running: run_plans() refuses nothing as a whole. A step the engine refuses is reported
// as a Finding (rule "plan.refused", where = "<case number> step <i>") and the rest of
// that matter is skipped; the engine stays consistent (a refused command changes nothing).
//
// Threading: run_plans() needs exclusive access to the engine (it fires and ticks).
#ifndef GRIDGOV_PLANS_HPP
#define GRIDGOV_PLANS_HPP

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridgov/cases.hpp"
#include "gridgov/core.hpp"
#include "gridgov/hierarchy.hpp"
#include "gridgov/workflow.hpp"

namespace gridgov {

/// One step of a matter after its report. An empty actor with `system` false means the
/// first person CaseEngine::candidates() lists for the command at the step's instant.
struct PlannedStep {
    CaseCommand command;
};

/// A matter: its report (NewCase::number is the matter's key and case number) and its
/// later steps, in order.
struct MatterPlan {
    NewCase report;
    std::vector<PlannedStep> steps;
};

/// Parses plan text (the CSV above). `source_name` names the text in errors; node codes
/// are looked up in `hierarchy`. Throws Error naming source, row and field: parse_error
/// for a malformed file or a missing header column, invalid_argument for a bad value (an
/// unknown command, instant, source, amount, rating; a step number out of order; an
/// instant before the matter's previous step; a report row without node or category),
/// not_found for an unknown node code, already_exists for a matter given twice.
std::vector<MatterPlan> parse_matter_plans(std::string_view text, const Hierarchy& hierarchy,
                                           std::string_view source_name = "<plans>");
/// Reads a plan file; Error(not_found) naming the file when it cannot be read.
std::vector<MatterPlan> read_matter_plans(const std::string& path, const Hierarchy& hierarchy);
/// The plans as CSV text in the same format (actor "" stays "", the system as "system").
std::string write_matter_plans(const std::vector<MatterPlan>& plans, const Hierarchy& hierarchy);

struct PlanRunOptions {
    /// Steps (reports included) per transaction; 0 = one transaction for everything.
    std::size_t batch_size = 2000;
    /// Ticks: 0 = tick(t) before the first step at each new instant t; n > 0 = tick(k·n)
    /// for every multiple k·n of n seconds since the epoch reached since the last tick,
    /// before the step at t >= k·n (3600 = hourly). Either way a command records a breach
    /// its case missed before it (CaseEngine::fire), so deadlines are never skipped.
    std::int64_t tick_interval = 0;
    /// After the last step, tick up to this instant (e.g. the end of the year).
    std::optional<Instant> tick_until;
    /// Called after each committed transaction with steps done and total (reports
    /// included); return false to stop (what was committed stays).
    std::function<bool(std::size_t done, std::size_t total)> progress;
};

struct PlanRunReport {
    std::size_t matters = 0;         ///< matters in the plans
    std::size_t cases_reported = 0;  ///< reports accepted
    std::size_t steps_accepted = 0;  ///< later steps accepted
    std::size_t steps_refused = 0;   ///< reports and steps refused (one finding each)
    std::size_t steps_skipped = 0;   ///< steps not tried because an earlier one was refused
    std::size_t ticks = 0;           ///< tick() calls
    std::size_t breaches = 0;        ///< breach events recorded by the ticks
    std::size_t escalations = 0;     ///< breaches that moved a case up a tier
    std::size_t batches_committed = 0;
    bool stopped = false;  ///< progress returned false
    /// One error finding per refused report or step: rule "plan.refused", where =
    /// "<case number> step <i>" (0 = the report), message = the refusal.
    std::vector<Finding> findings;
};

/// Runs every step of every plan in global time order (ties: plan order, then step
/// order), ticking as the options say, and commits in batches. A refused step is
/// reported, not thrown. Storage failures propagate (the batch in progress is rolled
/// back; earlier batches stay). Error(invalid_state) when a batch is already open.
PlanRunReport run_plans(CaseEngine& engine, const std::vector<MatterPlan>& plans,
                        const PlanRunOptions& options = {});

}  // namespace gridgov

#endif  // GRIDGOV_PLANS_HPP
