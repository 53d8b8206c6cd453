// Duties on a schedule (定期职责): the recurring obligations of a role at a kind of node,
// kept as data — the grid's weekly report to the community and the community's monthly
// report to the street (seed 001 篇1), the 段管员's Friday report and the Monday meeting
// (seed 002 第一篇), the public sanitation day on the 15th of every month (seed 003), the
// monthly, quarterly and half-yearly fire checks (seed 002 第四篇), four concentrated
// visiting rounds a year (seed 001 篇1), a monthly quota per person (seed 001 篇7).
//
// A DutySchedule says who owes the duty (a role, every role carrying a duty, or every role
// of a function), at which nodes (a level of the base hierarchy or of an overlay), how
// often (daily, weekly, monthly, quarterly, half-yearly, yearly), on which day and by which
// time it falls due, what happens when that day is not a working day, and how many
// fulfilments one occurrence needs. duty_occurrences() lays the schedules of a period out
// on the working calendar and the directory's posts, and matches the fulfilments recorded
// (who, when, evidence) against them: each occurrence is done on time, done late, still
// open or missed. duty_values() turns occurrences into indicator values (due, done on
// time, missed, the on-time rate, the shortfall of a quota) that assessment schemes read;
// duty_findings() gives the missed and unheld occurrences as findings.
//
// Threading: the types are values; the functions only read their arguments.
#ifndef GRIDGOV_DUTIES_HPP
#define GRIDGOV_DUTIES_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridgov/assessment.hpp"
#include "gridgov/calendar.hpp"
#include "gridgov/core.hpp"
#include "gridgov/directory.hpp"
#include "gridgov/hierarchy.hpp"

namespace gridgov {

/// How often a duty falls due.
enum class Recurrence : std::uint8_t {
    daily = 0,        ///< every working day
    weekly = 1,       ///< every ISO week (Monday to Sunday)
    monthly = 2,      ///< every calendar month
    quarterly = 3,    ///< every quarter
    half_yearly = 4,  ///< every half year
    yearly = 5,       ///< every year
};
/// "daily", "weekly", "monthly", "quarterly", "half_yearly", "yearly".
const char* recurrence_name(Recurrence r) noexcept;
/// The names above, also 每日, 每周, 每月, 每季度, 每半年, 每年; Error(invalid_argument).
Recurrence parse_recurrence(std::string_view text);

/// Where a due day that is not a working day moves.
enum class DueShift : std::uint8_t {
    earlier = 0,  ///< to the working day before (a Friday report before a holiday Friday)
    later = 1,    ///< to the working day after
    none = 2,     ///< nowhere: the day stands (the sanitation day is held on the 15th)
};
/// "earlier", "later", "none".
const char* due_shift_name(DueShift s) noexcept;
DueShift parse_due_shift(std::string_view text);

/// Who one occurrence is owed by.
enum class DutyScope : std::uint8_t {
    node = 0,    ///< the node: one occurrence per node, fulfilled by anyone posted there
    person = 1,  ///< each post-A holder at the node: one occurrence per person and node
};
/// "node", "person".
const char* duty_scope_name(DutyScope s) noexcept;
DutyScope parse_duty_scope(std::string_view text);

/// One recurring obligation.
struct DutySchedule {
    std::string key;  ///< ASCII identifier, unique in its catalogue: "grid_weekly_report"
    std::string label_zh;
    std::string label_en;
    /// Who owes it: a role code, a duty code (every role carrying the duty) or a role
    /// function "function:grid_leader" (every role of that function), held on post A.
    std::string owner;
    /// The level of the nodes it is owed at: a level key of the owner's roles' network
    /// (the base hierarchy, or the overlay the roles are held on); "" = every level at
    /// which a role of the owner is held.
    std::string level;
    Recurrence every = Recurrence::monthly;
    /// weekly: the ISO weekday it falls due, 1 (Monday) – 7 (Sunday); 0 = the last
    /// working day of the week. Ignored otherwise.
    unsigned weekday = 0;
    /// monthly and longer: the day of the period's last month it falls due (1–31; a day
    /// past the month's end is its last day); 0 = the last day. Ignored for daily and weekly.
    unsigned day = 0;
    /// The minute of the due day by which it is due (JSON "time": "12:00"); 1440 = the end
    /// of the day (the default, "24:00").
    int minute = 24 * 60;
    DueShift shift = DueShift::earlier;
    DutyScope per = DutyScope::node;
    /// Fulfilments one occurrence needs (a monthly quota of visits: 20).
    unsigned quota = 1;
    std::string source;  ///< where the rule comes from ("seed 001 篇1")

    friend bool operator==(const DutySchedule& a, const DutySchedule& b);
};

/// The schedules of one locality. Data, not code: load your own JSON (format in
/// docs/duties.md) or start from a preset.
class DutyCatalogue {
  public:
    std::string key;
    std::string name;
    std::string source;
    std::vector<DutySchedule> schedules;

    /// Parses {"key", "name", "source", "schedules": [{"key", "zh", "en", "owner", "level",
    /// "every", "weekday", "day", "time", "shift", "per", "quota", "source"}]}; errors
    /// name `source_name`, the JSON path and the field; a duplicate key throws
    /// Error(already_exists) naming it.
    static DutyCatalogue from_json(std::string_view text, std::string_view source_name = "<json>");
    std::string to_json() const;

    /// "seed_defaults": the schedules of the seeds, owed by role functions at the levels of
    /// the township presets (grid, village, township); "market_supervision_002": the
    /// 段管员's Friday report (role section_officer).
    static std::vector<std::string> preset_keys();
    /// Error(not_found) naming the key.
    static DutyCatalogue preset(std::string_view key);

    const DutySchedule* find(std::string_view key) const;
    /// Error(not_found) naming the key.
    const DutySchedule& at(std::string_view key) const;

    /// Findings against a role catalogue and the networks its roles are held on:
    /// duty.duplicate_key, duty.bad_key (not an ASCII identifier), duty.unknown_owner (no
    /// role, duty or function of that name in `roles`), duty.unknown_level (not a level
    /// at which a role of the owner is held), duty.bad_weekday (over 7), duty.bad_day (over
    /// 31), duty.bad_time (outside 00:00–24:00), duty.zero_quota (all errors); where = the
    /// schedule's key. Never throws for data problems.
    std::vector<Finding> validate(const Catalogue& roles, const Networks& networks) const;

    friend bool operator==(const DutyCatalogue& a, const DutyCatalogue& b);
};

/// A fulfilment of a duty: who did it, when, where, with what evidence.
struct DutyFulfilment {
    std::string id;      ///< unique among the fulfilments
    std::string duty;    ///< schedule key
    std::string place;   ///< the node or unit it is for: "371338101001001", "market:D01"
    std::string person;  ///< who fulfilled it (directory person id)
    Instant at;          ///< when
    /// The occurrence it fulfils, by label ("2026-W10", "2026-03-15", "2026-03",
    /// "2026-Q1", "2026-H1", "2026"); "" = the occurrence of the period containing `at`
    /// (a report made after its week names that week).
    std::string occurrence;
    std::vector<std::string> evidence;  ///< photo, minutes, file references
    std::string note;
};

/// Reads a JSON array of fulfilments [{"id", "duty", "place", "person", "at" (ISO 8601; China
/// Standard Time without an offset), "occurrence", "evidence": [...], "note"}]
/// ("occurrence", "evidence" and "note" may be left out). Unknown members and control
/// characters (a note may hold line breaks) are refused: Error(invalid_argument) naming
/// `source_name`, the element ("fulfilments[1]") and the field; Error(parse_error) for
/// malformed JSON.
std::vector<DutyFulfilment> fulfilments_from_json(std::string_view text,
                                                  std::string_view source_name = "<json>");
/// The same layout, written ("at" with its +08:00 offset).
std::string fulfilments_to_json(const std::vector<DutyFulfilment>& fulfilments);

/// The label of the occurrence period of `every` containing `d`: "2026-W10" (ISO week),
/// "2026-03-15" (a day), "2026-03", "2026-Q1", "2026-H1", "2026".
std::string occurrence_label(Recurrence every, Date d);
/// The first day of the occurrence period a label names, when the label is one
/// occurrence_label() writes for `every`; nullopt otherwise ("2026-W54", "2026-3").
std::optional<Date> parse_occurrence_label(Recurrence every, std::string_view label);

/// How an occurrence stands at the instant it is read.
enum class OccurrenceStatus : std::uint8_t {
    done_on_time = 0,  ///< the quota was reached by the due instant
    done_late = 1,     ///< the quota was reached after the due instant
    open = 2,          ///< not done, not yet due
    missed = 3,        ///< not done when due (read at or after the due instant)
};
/// "done_on_time", "done_late", "open", "missed".
const char* occurrence_status_name(OccurrenceStatus s) noexcept;

/// One occurrence of a duty at a node (and, per person, for one holder).
struct DutyOccurrence {
    std::string duty;
    std::string label;  ///< occurrence_label()
    std::string place;  ///< node code or unit place
    /// Per person: the holder. Per node: the person responsible on the due day (post A,
    /// else a present post B); "" when nobody holds the post (duty.unheld).
    std::string person;
    Date due_date;
    Instant due;
    unsigned quota = 1;
    /// The due date rests on a year without published holiday data (the weekday rule was
    /// assumed there, as case clocks do): load the year's notice and read it again.
    bool assumed = false;
    unsigned fulfilled = 0;  ///< fulfilments recorded up to the instant read
    unsigned on_time = 0;    ///< of them, made by the due instant
    OccurrenceStatus status = OccurrenceStatus::open;
    std::vector<std::string> fulfilments;  ///< their ids, in time order
};

/// Every occurrence of the catalogue's schedules due in `period` (its due date inside the
/// period's dates), at every live node (or unit) of a level at which a role of the owner
/// is held (the schedule's level, or every such level), with the fulfilments matched and
/// the status read at `as_of`. Per node, one occurrence owed by the present post-A holder
/// of an owner role at the node on the due date, else a present post-B holder, else an
/// absent post-A holder, else nobody (person ""); per person, one for each post-A holder,
/// or one owed by nobody when the node has none. Order: by schedule (catalogue order), due date,
/// then the network's pre-order. A fulfilment counts for its duty, occurrence label and place (per
/// person also its person); fulfilments of other places or labels are ignored. Days of a year
/// without published holiday data follow the weekday rule and mark the occurrence `assumed`; a
/// due day moves at most 60 days.
std::vector<DutyOccurrence> duty_occurrences(const DutyCatalogue& catalogue,
                                             const std::vector<DutyFulfilment>& fulfilments,
                                             const Directory& directory, const Networks& networks,
                                             const WorkingCalendar& calendar,
                                             const AssessmentPeriod& period, Instant as_of);

/// The occurrences that belong to a subject: a person id (the occurrences owed by the
/// person), a node code (those at the node or below it), or a unit place "fire:M1"
/// (those at the unit or below it in its overlay). Error(not_found) for a code that is
/// none of these.
std::vector<DutyOccurrence> duty_occurrences_of(const std::vector<DutyOccurrence>& occurrences,
                                                std::string_view subject, const Networks& networks,
                                                const Directory& directory);

/// Indicator values of a set of occurrences: duty_due, duty_done, duty_done_on_time,
/// duty_done_late, duty_missed, duty_open (counts), duty_on_time_rate (done on time per
/// occurrence no longer open, in %; undefined with the reason when every one is open),
/// duty_shortfall (fulfilments missing from the quotas of the occurrences no longer
/// open: a pay deduction per missing visit reads it). Each count's sources are the
/// occurrences as "duty@label@place".
IndicatorValues duty_values(const std::vector<DutyOccurrence>& occurrences);

/// Occurrences as a JSON array [{"duty", "label", "place", "person", "due_date", "due",
/// "quota", "fulfilled", "on_time", "status", "assumed", "fulfilments"}].
std::string occurrences_to_json(const std::vector<DutyOccurrence>& occurrences);

/// The missed occurrences (duty.missed, warning) and those nobody holds (duty.unheld,
/// warning), where = the place, the message naming the duty, the label, the due instant,
/// the person and the count fulfilled.
std::vector<Finding> duty_findings(const std::vector<DutyOccurrence>& occurrences);

}  // namespace gridgov

#endif  // GRIDGOV_DUTIES_HPP
