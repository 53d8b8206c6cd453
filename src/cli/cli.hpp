// The gridgov command-line tool: shared declarations of src/cli (docs/cli.md).
#ifndef GRIDGOV_CLI_CLI_HPP
#define GRIDGOV_CLI_CLI_HPP

#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "gridgov/core.hpp"

namespace gridgov {
class Workspace;
}

namespace gridgov::cli {

/// Exit codes of the tool: the one place they are defined (docs/cli.md lists them).
enum Exit : int {
    exit_ok = 0,        ///< done
    exit_findings = 1,  ///< validation found errors, or the log failed verification
    exit_usage = 2,     ///< bad command line (unknown option, missing argument)
    exit_input = 3,     ///< an input file or value was refused (malformed, unknown, duplicate)
    exit_storage = 4,   ///< the workspace file could not be read or written
    exit_refused = 5,   ///< the engine refused the command (state, permission)
    exit_internal = 6,  ///< a bug in gridgov
};

/// The exit code of a gridgov::Error.
int exit_code_for(ErrorCode code) noexcept;

/// Options every subcommand sees.
struct Global {
    std::string workspace;  ///< -w / --workspace / GRIDGOV_WORKSPACE
    bool json = false;      ///< --json: machine-readable output on stdout
    bool reveal = false;    ///< --reveal: personal data in clear
};

struct InitOptions {
    bool force = false;
};

struct ImportOptions {
    std::vector<std::string> files;
    std::string kind;       ///< "" = by file name and content
    std::string effective;  ///< hierarchy: the date the nodes take effect
    bool open311 = false;   ///< the files are Open311 service requests
    // Open311 only:
    std::string actor;
    std::string source = "app";
    std::string workflow;
    std::string node_field = "address_id";
    std::vector<std::string> service_map;  ///< "service_code=category"
    std::string at;                        ///< instant of requests without requested_datetime
    bool keep_ids = false;
};

struct RunOptions {
    std::vector<std::string> files;  ///< matter-plan CSV files
    std::size_t batch = 2000;        ///< steps per transaction (0 = one for everything)
    std::int64_t tick_interval = 0;  ///< seconds between ticks; 0 = at every new instant
    std::string tick_until;          ///< tick up to this instant after the last step
};

struct DrawOptions {
    std::string label;  ///< the draw's label, e.g. the period "2026-03"
    bool list = false;  ///< list the recorded draws instead
    std::size_t count = 0;
    std::uint64_t seed = 0;
    bool seed_given = false;
    std::string level = "grid";      ///< candidates: live nodes of this level
    std::string subtree;             ///< ... under this node
    std::string strata_level;        ///< one pick per ancestor of this level first
    std::vector<std::string> avoid;  ///< labels of earlier draws whose picks are left out
};

struct AssessOptionsCli {
    std::string scheme;  ///< preset key or a scheme JSON file
    std::string period;  ///< "2026-03", "2026-Q1", ...
    std::string level;   ///< every node of this level
    bool departments = false;
    bool workers = false;               ///< every grid worker at --level (default grid)
    std::vector<std::string> roles;     ///< workers: only these roles
    std::string units;                  ///< every unit of this overlay (--level: their level)
    std::vector<std::string> subjects;  ///< node codes or overlay unit places ("fire:M1")
    std::string default_area_class;
    bool no_store = false;
    bool record_checks = false;  ///< add the 四实 collection-quality indicators (info_*)
    std::string duties_at;       ///< the instant duty_* indicators are read at; "" = period end
    std::string format;          ///< table (default), json, csv
    std::string output;
};

struct PageOptions {
    std::string output;  ///< the HTML file; "" or "-" = standard output
    std::string at;      ///< the board read at; "" = now
    std::string scope;   ///< area node code; "" = the county
    std::string level = "village";
    std::string title;
    bool no_verify = false;  ///< skip the log check
};

struct BoardOptions {
    std::string at;       ///< the board read at; "" = now
    std::string level;    ///< "" = grid, or with an overlay every unit
    std::string scope;    ///< area node code, or with an overlay a unit; "" = every row
    std::string overlay;  ///< overlay key: the rows are its units; "" = the base hierarchy
};

struct ValidateOptions {
    std::string date;                     ///< "" = today (CST)
    std::string sizing;                   ///< sizing preset name; "" = none
    bool cardinality = true;              ///< check role cardinalities
    std::uint32_t max_primary_grids = 1;  ///< post A on at most this many grids (0 = any)
};

struct CaseReportOptions {
    std::string category, node, actor, at, source, workflow, reporter, number, note;
    bool system = false;
};

struct TransitionOptions {
    std::string number, command, actor, at, reason, note, department, category, amount, rating;
    std::vector<std::string> evidence;
    bool system = false;
};

struct ShowOptions {
    std::string number;
    std::string at;  ///< when to read the clocks; "" = now
};

struct ListOptions {
    std::string subtree, state, kind, category, light, department, source, workflow, at;
    std::string from, until;  ///< reported in [from, until)
    std::string count_by, level;
    std::vector<std::string> columns;  ///< CaseColumns fields to print instead of the rows
    bool overdue = false;
    bool breached = false;
    std::size_t limit = 0;
};

struct TickOptions {
    std::string now;
};

struct FollowOptions {
    std::int64_t from = -1;      ///< also the events after this sequence; -1 = only new ones
    std::size_t count = 0;       ///< stop after this many events; 0 = never
    double timeout = 0;          ///< stop after this many seconds; 0 = never
    std::int64_t interval = 50;  ///< milliseconds between two looks at the file
};

struct CopyOptions {
    std::string from;  ///< a workspace file or PostgreSQL URI
    std::string to;    ///< a new file or an empty PostgreSQL schema
};

struct VerifyOptions {
    std::string anchor;             ///< "SEQ:HASH"
    bool cases = false;             ///< also replay every case
    bool since_checkpoint = false;  ///< only what follows the last checkpoint
    bool sign = false;              ///< --sign-off was given (an empty name is refused)
    std::string sign_off;           ///< record a checkpoint signed off by this name
    std::string at;                 ///< when it is signed off ("" = the system clock)
    bool full = false;              ///< sign off after checking the whole log
};

struct ExportOptions {
    std::string what;    ///< hierarchy, grids, services, requests, directory, chart
    std::string output;  ///< file; "" or "-" = stdout
    std::string format;  ///< json, csv, geojson, html; "" = by extension
    std::string at;      ///< grids/requests: clocks read at; chart: date
    std::string level = "grid";
    std::string jurisdiction;
};

// ---- audit (audit.cpp) -------------------------------------------------------------------

/// The options of gridgov audit's subcommands (each reads the ones it names).
struct AuditOptions {
    std::string key;           ///< head: the private key file
    std::string public_key;    ///< key: where the public key goes; check, verify: its file
    std::string log;           ///< head: the log's name
    std::string at;            ///< head: when it is signed ("" = the system clock)
    std::string number;        ///< prove: the case
    std::string head;          ///< prove: the head file; verify: the published head
    std::string older, newer;  ///< consistency, verify: head files
    std::vector<std::string> published;  ///< check: head files kept outside the workspace
    std::string proof;                   ///< verify: the proof or head file
    std::string output;                  ///< file; "" or "-" = standard output
};

int run_audit_key(const Global& g, const AuditOptions& o);
int run_audit_head(const Global& g, const AuditOptions& o);
int run_audit_heads(const Global& g);
int run_audit_prove(const Global& g, const AuditOptions& o);
int run_audit_consistency(const Global& g, const AuditOptions& o);
int run_audit_check(const Global& g, const AuditOptions& o);
int run_audit_verify(const Global& g, const AuditOptions& o);

// ---- records (records.cpp) -------------------------------------------------------------

struct RecordsKindsOptions {
    std::string preset;  ///< a preset's kinds instead of the workspace's ("" = the workspace)
};

struct RecordsSchemaOptions {
    std::string set;     ///< a schema JSON file replacing the workspace's
    std::string extend;  ///< a schema JSON file of kinds and fields to add
};

struct RecordsImportOptions {
    std::string file;
    std::string kind;       ///< "" = by the file's name (CSV) or content (JSON)
    std::string effective;  ///< "" = the library's default (always)
};

/// Who reads record contents, and why: the options of every subcommand that reads them
/// (export, get, history, find, list), made into a RecordReader (docs/cli.md).
struct RecordsReaderOptions {
    std::string person;    ///< --as: a person of the directory ("" with --system)
    bool system = false;   ///< --system: the system's own read
    std::string purpose;   ///< --why: why the records are read (kept in the access log)
    std::string posts_on;  ///< --posts-on: the day whose posts grant access; "" = today (CST)
};

struct RecordsExportOptions {
    RecordsReaderOptions reader;
    std::string kind;    ///< "" = every kind (JSON only)
    std::string format;  ///< csv or json; "" = by the output's extension, else json
    std::string output;  ///< file; "" or "-" = standard output
};

struct RecordsGetOptions {
    RecordsReaderOptions reader;
    std::string key;
    std::string on;  ///< as it stood at the end of this date; "" = now
};

struct RecordsHistoryOptions {
    RecordsReaderOptions reader;
    std::string key;
};

struct RecordsFindOptions {
    RecordsReaderOptions reader;
    std::string field, value;
};

struct RecordsListOptions {
    RecordsReaderOptions reader;
    std::string kind;
    std::string within;              ///< node code: records in its subtree
    std::vector<std::string> where;  ///< "FIELD=VALUE"
    std::string overlay;             ///< "OVERLAY:UNIT"
};

struct RecordsAddOptions {
    std::string kind, key, node;
    std::vector<std::string> fields;    ///< "NAME=VALUE"
    std::vector<std::string> overlays;  ///< "OVERLAY:UNIT"
    std::string effective;              ///< "" = the library's default (always)
};

struct RecordsMoveOptions {
    std::string key, node, effective;
};

struct RecordsRemoveOptions {
    std::string key, effective;
};

struct RecordsRollupOptions {
    std::string kind, field, value;
    std::string level;  ///< only the nodes of this level; "" = every live node
};

struct RecordsValidateOptions {
    std::string on;      ///< "" = today (CST)
    std::string policy;  ///< a JSON file, or "market_supervision_002"; "" = none
};

// ---- directory questions (directory.cpp) ------------------------------------------------

struct DirectoryWhoOptions {
    std::string place;  ///< a node code or an overlay unit ("market:D01")
    std::string code;   ///< a duty or role code
    std::string on;     ///< "" = today (CST)
};

struct DirectoryRosterOptions {
    std::string place;
    std::string on;
};

int run_directory_who(const Global& g, const DirectoryWhoOptions& o);
int run_directory_roster(const Global& g, const DirectoryRosterOptions& o);

struct RecordsAccessLogOptions {
    std::int64_t after = 0;  ///< only the entries after this sequence number
    std::size_t limit = 0;   ///< at most this many entries (0 = all)
    std::string format;      ///< table, csv or json; "" = by the output's extension, else table
    std::string output;      ///< file; "" or "-" = standard output
};

/// 四实 collection quality: an inspector's draw of records to visit.
struct RecordsCheckDrawOptions {
    std::string kind;        ///< the kind drawn (e.g. house)
    std::string within;      ///< node code: records in its subtree; "" = everywhere
    std::size_t count = 0;   ///< how many records to draw
    std::uint64_t seed = 0;  ///< the seed (published: anyone re-runs the draw)
    std::string output;      ///< file; "" or "-" = standard output
};

/// A field check's round to record: a JSON file (check_round_from_json()).
struct RecordsCheckRecordOptions {
    std::string file;
};

struct RecordsCheckRatesOptions {
    std::string from, to;  ///< rounds dated in [from, to]; "" = unbounded
    std::string format;    ///< table, csv or json; "" = by the output's extension, else table
    std::string output;    ///< file; "" or "-" = standard output
};

int run_records_kinds(const Global& g, const RecordsKindsOptions& o);
int run_records_schema(const Global& g, const RecordsSchemaOptions& o);
int run_records_import(const Global& g, const RecordsImportOptions& o);
int run_records_export(const Global& g, const RecordsExportOptions& o);
int run_records_get(const Global& g, const RecordsGetOptions& o);
int run_records_history(const Global& g, const RecordsHistoryOptions& o);
int run_records_find(const Global& g, const RecordsFindOptions& o);
int run_records_list(const Global& g, const RecordsListOptions& o);
int run_records_add(const Global& g, const RecordsAddOptions& o);
int run_records_move(const Global& g, const RecordsMoveOptions& o);
int run_records_remove(const Global& g, const RecordsRemoveOptions& o);
int run_records_rollup(const Global& g, const RecordsRollupOptions& o);
int run_records_validate(const Global& g, const RecordsValidateOptions& o);
int run_records_access_log(const Global& g, const RecordsAccessLogOptions& o);
int run_records_verify_access_log(const Global& g);
int run_records_check_draw(const Global& g, const RecordsCheckDrawOptions& o);
int run_records_check_record(const Global& g, const RecordsCheckRecordOptions& o);
int run_records_checks(const Global& g);
int run_records_check_rates(const Global& g, const RecordsCheckRatesOptions& o);

// ---- duties on a schedule (duties.cpp) --------------------------------------------------

struct DutyCatalogueOptions {
    std::string set;  ///< a catalogue JSON file or a preset key replacing the catalogue
};

struct DutyFulfilOptions {
    std::string id;  ///< "" = duty@place@person@at
    std::string duty, place, person;
    std::string at;          ///< "" = now
    std::string occurrence;  ///< "" = the occurrence of the period containing --at
    std::vector<std::string> evidence;
    std::string note;
};

/// Fulfilments from a JSON file: an array of {id, duty, place, person, at, occurrence,
/// evidence, note}.
struct DutyImportOptions {
    std::string file;
};

/// The occurrences of a period read at an instant, of a subject when one is given.
struct DutyReadOptions {
    std::string period;   ///< "2026-02", "2026-Q1", ...
    std::string at;       ///< the instant read at; "" = now
    std::string subject;  ///< a person id, node code or unit place; "" = every occurrence
};

struct DutyOccurrencesOptions {
    DutyReadOptions read;
    std::string format;  ///< table, csv or json; "" = by the output's extension, else table
    std::string output;  ///< file; "" or "-" = standard output
};

int run_duty_presets(const Global& g);
int run_duty_catalogue(const Global& g, const DutyCatalogueOptions& o);
int run_duty_fulfil(const Global& g, const DutyFulfilOptions& o);
int run_duty_import(const Global& g, const DutyImportOptions& o);
int run_duty_fulfilments(const Global& g);
int run_duty_occurrences(const Global& g, const DutyOccurrencesOptions& o);
int run_duty_findings(const Global& g, const DutyReadOptions& o);

// ---- oversight: inspections, promises and hazards (oversight.cpp) ----------------------

/// A JSON file of inspections, promises, ratings or hazard entries (an array), recorded all
/// or nothing.
struct OversightFileOptions {
    std::string file;
};

struct InspectionTasksOptions {
    std::string label;  ///< the recorded draw's label
};

/// The indicator values of a subject over a period.
struct OversightValuesOptions {
    std::string subject;  ///< a node code, unit place, department, person or record key
    std::string period;   ///< "2026-03", "2026-Q1", ...
};

struct PromiseListOptions {
    std::string at;  ///< the instant the progress is read at; "" = now
};

struct PromiseBoardOptions {
    std::string month;  ///< "2026-03"
    std::string place;  ///< node code; "" = everywhere
    std::string at;     ///< the progress read at when earlier than the month's end; "" = its end
    std::string html;   ///< the HTML page's file ("-" = standard output); "" = table or JSON
};

struct HazardListOptions {
    std::string at;  ///< the instant the hazards are read at; "" = now
};

int run_inspection_record(const Global& g, const OversightFileOptions& o);
int run_inspection_list(const Global& g);
int run_inspection_tasks(const Global& g, const InspectionTasksOptions& o);
int run_inspection_values(const Global& g, const OversightValuesOptions& o);
int run_promise_record(const Global& g, const OversightFileOptions& o);
int run_promise_rate(const Global& g, const OversightFileOptions& o);
int run_promise_list(const Global& g, const PromiseListOptions& o);
int run_promise_board(const Global& g, const PromiseBoardOptions& o);
int run_promise_values(const Global& g, const OversightValuesOptions& o);
int run_hazard_record(const Global& g, const OversightFileOptions& o);
int run_hazard_entries(const Global& g);
int run_hazard_list(const Global& g, const HazardListOptions& o);
int run_hazard_values(const Global& g, const OversightValuesOptions& o);

// ---- the other subcommands (commands.cpp) ----------------------------------------------

int run_init(const Global& g, const InitOptions& o);
int run_import(const Global& g, const ImportOptions& o);
int run_run(const Global& g, const RunOptions& o);
int run_draw(const Global& g, const DrawOptions& o);
int run_assess(const Global& g, const AssessOptionsCli& o);
int run_report_page(const Global& g, const PageOptions& o);
int run_board(const Global& g, const BoardOptions& o);
int run_validate(const Global& g, const ValidateOptions& o);
int run_case_report(const Global& g, const CaseReportOptions& o);
int run_case_transition(const Global& g, const TransitionOptions& o);
int run_case_show(const Global& g, const ShowOptions& o);
int run_case_list(const Global& g, const ListOptions& o);
int run_tick(const Global& g, const TickOptions& o);
int run_verify_log(const Global& g, const VerifyOptions& o);
int run_log_checkpoints(const Global& g);
int run_copy(const Global& g, const CopyOptions& o);
int run_follow(const Global& g, const FollowOptions& o);
int run_export(const Global& g, const ExportOptions& o);

// ---- shared helpers (output.cpp) ------------------------------------------------------

/// Throws Error(invalid_argument) when no workspace is given.
void need_workspace(const Global& g);
/// The workspace named by -w, which must exist (Error(not_found) saying how to create it);
/// read-only unless `write`.
Workspace open_existing(const Global& g, bool write);
/// Prints a JSON document (indented) on standard output.
void print_json(const nlohmann::ordered_json& j);
/// A finding as {rule, severity, where, message}.
nlohmann::ordered_json finding_json(const Finding& f);
/// Progress "\r<label> done/total" on standard error when it is a terminal, else none.
std::function<bool(std::size_t done, std::size_t total)> progress_for(const std::string& label);

/// Terminal columns of UTF-8 text (CJK characters count two).
std::size_t display_width(const std::string& text);
/// Prints rows as an aligned table with a header line.
void print_table(const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows);
/// Whether standard error is a terminal (progress is shown only then).
bool stderr_is_tty();
/// Writes `text` to `file` through a temporary file in the same folder and a rename, or
/// to standard output for "" and "-". Throws Error(storage) naming the file.
void write_output(const std::string& file, const std::string& text);
/// The format of a table-or-document answer (records access-log and check-rates, duty
/// occurrences): --format, else the output file's extension, else json with --json, else
/// table. Error(invalid_argument) for another format, or a table to a file.
std::string document_format(const Global& g, const std::string& given, const std::string& output);
/// The instant or date given to `option`; Error(invalid_argument) naming the option.
Instant option_instant(const char* option, const std::string& text);
Date option_date(const char* option, const std::string& text);
/// Now, or the instant given to `option` ("" = the system clock).
Instant instant_or_now(const std::string& text, const char* option = "--at");
/// The date given to `option`, or today in CST.
Date date_or_today(const std::string& text, const char* option = "--date");

}  // namespace gridgov::cli

#endif  // GRIDGOV_CLI_CLI_HPP
