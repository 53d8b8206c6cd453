// The report page (report.html): one self-contained HTML file a person opens after the
// main job — the traffic-light board of the cases, the rankings of every assessment
// scheme per period with each score's explanation, trends across periods, the workers
// and areas flagged by consecutive-period rules, the inspection draws, the base records
// with their 四实 collection quality, and a summary of the workspace with the state of its
// event log.
//
// The page is built from a plain data struct, ReportData: the caller fills it, or
// collect_report_data() fills it from a workspace (board, summary, log verification,
// stored scores, flags and draws). report_html() renders it; nothing there reads a clock,
// a file or the network. The page carries its CSS, its SVG charts and a little script
// inline, and embeds the numbers as a JSON island (<script type="application/json"
// id="gridgov-data">) that tools and tests can read. Format: docs/report.md.
//
// Privacy: the page shows codes, case numbers, record ids and the display names the
// caller gives (ReportData::names). collect_report_data() names nodes and departments and
// never people. Every text is HTML-escaped, and runs that look like a mobile phone
// number or a valid 居民身份证号 are masked wherever they occur.
#ifndef GRIDGOV_REPORT_HPP
#define GRIDGOV_REPORT_HPP

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gridgov/assessment.hpp"
#include "gridgov/cases.hpp"
#include "gridgov/core.hpp"
#include "gridgov/workspace.hpp"

namespace gridgov {

/// One row of the traffic-light board (红黄绿灯): the cases at a node and below reported
/// up to ReportData::at. Lights and overdue are read at that instant; kinds (open, closed,
/// voided) and the breach flag are the cases' current ones.
struct BoardRow {
    std::string code;                ///< node code
    std::string name;                ///< node name
    std::string parent;              ///< name of the node above ("" for none)
    std::size_t cases = 0;           ///< every case reported at the node or below
    std::size_t open = 0;            ///< pending or open (not closed, not voided)
    std::size_t green = 0;           ///< open cases whose counting clock shows green
    std::size_t yellow = 0;          ///< ... yellow
    std::size_t red = 0;             ///< ... red
    std::size_t overdue = 0;         ///< counting clock past its deadline
    std::size_t closed_on_time = 0;  ///< closed without a breach (按期结案)
    std::size_t closed_late = 0;     ///< closed after a breach (超期结案)
    std::size_t voided = 0;          ///< not filed or voided
};

/// The light board: how the matters of each node at one level stand at an instant —
/// every case reported at the node or below up to the instant, its open ones by the light
/// of their counting clock read at the instant, and the closed ones on time or late. The
/// report page's board, `gridgov export grids` and the C and Python light_board calls are
/// this one computation.
struct LightBoard {
    Instant at;
    /// "" for the base hierarchy; else the overlay whose units are the rows (row codes are
    /// then unit places, "fire:M1").
    std::string overlay;
    std::string level;           ///< level key of the rows, e.g. "grid"
    std::string scope;           ///< code of the area counted ("" = every node of the level)
    std::vector<BoardRow> rows;  ///< one row per live node of the level, in tree order
    /// The whole area, counted on its own: cases above the level count here only. Its
    /// code and name are the scope's ("" without a scope).
    BoardRow total;
};

/// Which board to read.
struct LightBoardOptions {
    std::string level = "grid";  ///< a level key of the workspace's hierarchy
    std::string scope;           ///< a node code; "" = every node of the level
    /// A key of the workspace's overlays: the rows are its live units (a fire grid, a 段区)
    /// and each counts the cases of the base nodes it covers, itself or through the units
    /// beneath it (as IndicatorSubjectKind::unit). `level` is then a level of the overlay
    /// ("" = every unit, in tree order) and `scope` a unit ("M1" or "fire:M1"; "" = every
    /// unit); the total counts the scope unit's cases, or without a scope every case some
    /// unit covers.
    std::string overlay;
};

/// The board at `at`. Cases reported after `at` are not on it. Error(not_found) naming the
/// level, the scope or the overlay when the hierarchy (or the overlay) has no such level,
/// node or unit, or the workspace no such overlay.
LightBoard light_board(const Workspace& workspace, Instant at,
                       const LightBoardOptions& options = {});
/// {"at", "level", "scope", "rows": [{code, name, parent, cases, open, green, yellow, red,
/// overdue, closed_on_time, closed_late, voided}], "total": {...}} (and "overlay" for a
/// board of overlay units); names and parents with personal data masked as on the report
/// page.
std::string light_board_json(const LightBoard& board);
/// A GeoJSON FeatureCollection ("at" and "level" members added) with one Feature per row:
/// its node's geometry (null when it has none) and, as properties, the level and the row's
/// counts as light_board_json() has them, and, where the workspace stores scores for the
/// node, "scores": per scheme the latest period's period, total, grade, rank and peers.
std::string light_board_geojson(const Workspace& workspace, const LightBoard& board);

/// The header of the page.
struct ReportSummary {
    std::string area;       ///< name of the area the report covers, e.g. "苇川县"
    std::string area_code;  ///< its code
    std::string period;     ///< the period covered, as text, e.g. "2026-01 – 2026-12"
    std::size_t cases = 0;
    std::uint64_t events = 0;
    /// The result of CaseEngine::verify_log(); nullopt when the log was not checked.
    std::optional<LogVerification> log;
    EventSeq head_sequence = 0;
    std::string head_hash;  ///< hash_hex() of the last event ("" for an empty log)
};

/// One assessment scheme on the page: its scores (any periods, shown one period at a
/// time; ranks as given — call rank() first) and the flags its rules raised.
struct SchemeSection {
    std::string key;
    std::string label;
    std::vector<ScoreResult> results;
    std::vector<RuleFlag> flags;
    /// Grade label by grade key (e.g. "excellent" → "优秀"); a key without one is shown.
    std::map<std::string, std::string> grades;
};

/// One line of a trend chart: a value (or none) per period of the chart.
struct TrendSeries {
    std::string label;
    std::vector<std::optional<double>> values;  ///< one per TrendChart::periods
};

/// A line chart across periods. Besides the charts given here, the page draws for every
/// scheme the mean total per peer group and one small chart per subject.
struct TrendChart {
    std::string title;
    std::string unit;                  ///< e.g. "%", "分"
    std::vector<std::string> periods;  ///< x-axis labels, oldest first
    std::vector<TrendSeries> series;
};

/// One row of the base-records table (人、地、事、物、情、组织, docs/records.md): the live
/// records at a node and below, counted through the standard preset's kinds and fields
/// (0 where the workspace's schema lacks one), and the latest month's 四实 field check in
/// the subtree.
struct RecordsRow {
    std::string code;
    std::string name;
    std::size_t residents = 0;   ///< resident
    std::size_t floating = 0;    ///< resident with registration 流动人口
    std::size_t households = 0;  ///< household
    std::size_t houses = 0;      ///< house
    std::size_t rented = 0;      ///< house with use 出租
    std::size_t units = 0;       ///< unit
    std::string check_month;     ///< "" when no field check covers the node
    std::size_t sampled = 0;     ///< CheckRates of that month
    std::size_t checked = 0;
    std::size_t not_collected = 0;
    std::size_t not_deregistered = 0;
    std::size_t wrong = 0;
    std::optional<double> collection_rate;  ///< 采集率 in %
    std::optional<double> accuracy_rate;    ///< 准确率 in %
};

/// Everything the page shows.
struct ReportData {
    std::string title;     ///< "" = "网格化服务管理报告"
    Instant generated_at;  ///< when the data was collected (shown as is)
    Instant at;            ///< the instant the board was read at
    ReportSummary summary;
    std::string board_level;      ///< level key of the board's rows, e.g. "village"
    std::vector<BoardRow> board;  ///< one row per node, in the order shown
    /// The whole area: counted on its own (cases above the board's level count here
    /// only). When its code is empty the page sums the rows.
    BoardRow board_total;
    std::vector<SchemeSection> schemes;
    std::vector<TrendChart> trends;
    std::vector<StoredDraw> draws;  ///< label, record, whether it re-ran to its picks
    /// The base records per node of the board's level (in its order) and for the whole
    /// area; empty when the workspace keeps no records.
    std::vector<RecordsRow> records;
    RecordsRow records_total;
    /// One board per overlay (多网合一: fire grids, 段区, ...): every unit, in tree order, with
    /// the cases of the grids it covers (LightBoardOptions::overlay). Empty without overlays.
    std::vector<LightBoard> unit_boards;
    /// Display name by subject code (node code, department code, person id). People
    /// appear by name only when the caller puts them here.
    std::map<std::string, std::string> names;
    /// "" = "gridgov <version()>".
    std::string generator;
};

/// What collect_report_data() reads.
struct ReportOptions {
    std::string title;
    /// Node code of the area; "" = the first node at the "county" level, else the first
    /// root.
    std::string scope;
    /// Level key of the board's rows (nodes of the area at that level, in pre-order).
    std::string board_level = "village";
    bool verify_log = true;  ///< run CaseEngine::verify_log()
    /// Read the workspace's stored scores (filtered), rule flags and draws.
    bool stored_assessment = true;
    ScoreFilter scores;
    /// Add a board of units for each overlay of the workspace (ReportData::unit_boards), and
    /// the units' names for the rankings of stored unit scores.
    bool unit_boards = true;
    /// Add the area's on-time closure rate (按期结案率) per month as a trend chart: the
    /// months of the stored scores, else those from the first case to `at` (at most 36).
    bool closure_trend = true;
    /// Display names added to the nodes' (people: only those given here).
    std::map<std::string, std::string> names;
    /// Schemes whose label and grade labels the page shows (presets are found by key).
    std::vector<AssessmentScheme> schemes;
};

/// Fills a ReportData from a workspace: the board at `at`, the summary (area, cases,
/// events, log verification and head), the base records and field checks per board node,
/// the stored scores of each scheme (label and grade
/// labels from options.schemes, else from the preset of that key, else the key), their
/// flags and the recorded draws, node and department names for the codes the page shows,
/// and the closure-rate trend. `generated_at` is `at`. Error(not_found) for an unknown
/// scope code or board level.
ReportData collect_report_data(const Workspace& workspace, Instant at,
                               const ReportOptions& options = {});

/// The same as one caller sees it (Workspace::acting_as): the area is options.scope, or
/// without one the node of the caller's first post on the base hierarchy, and must be
/// ground the caller covers; the rankings and flags keep the subjects the caller covers
/// (WorkspaceView::covers_subject), the boards of overlay units the units they cover (the
/// total then counts those units). Error(permission_denied) for an area the caller does
/// not cover, Error(invalid_argument) for a caller whose posts are all on overlay units
/// and who names no scope. The system's view is collect_report_data(workspace, ...).
ReportData collect_report_data(const WorkspaceView& view, Instant at, ReportOptions options = {});

/// The page as one self-contained HTML document (UTF-8).
std::string report_html(const ReportData& data);

/// The JSON island alone (the text inside the page's gridgov-data script element, before
/// the escaping of '<', '>' and '&' that the page applies).
std::string report_json(const ReportData& data);

/// report_html() written to `path` through a temporary file in the same folder that is
/// then renamed over it: the file is either the old one or the whole new one.
/// Error(storage) naming the path when it cannot be written.
void write_report_html(const ReportData& data, const std::string& path);

}  // namespace gridgov

#endif  // GRIDGOV_REPORT_HPP
