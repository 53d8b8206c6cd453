// The fuzz targets (targets.hpp). Inputs of the targets that read several formats start
// with one line naming what the rest is: the parser ("workflow", "score", ...) for the
// documents target, the file name for the import targets (the import tells the kind and
// the format from it, as `gridgov import` does), the record kind and format for records.
#include "targets.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

#include "gridgov/assessment.hpp"
#include "gridgov/audit.hpp"
#include "gridgov/calendar.hpp"
#include "gridgov/core.hpp"
#include "gridgov/directory.hpp"
#include "gridgov/duties.hpp"
#include "gridgov/import.hpp"
#include "gridgov/oversight.hpp"
#include "gridgov/plans.hpp"
#include "gridgov/records.hpp"
#include "gridgov/workflow.hpp"
#include "gridgov/workspace.hpp"

#ifndef GRIDGOV_FUZZ_DATA_DIR
#error "GRIDGOV_FUZZ_DATA_DIR names the example data the import targets start from"
#endif

namespace fs = std::filesystem;
using namespace gridgov;

namespace gridgov_fuzz {
namespace {

[[noreturn]] void finding(const std::string& what) {
    std::fprintf(stderr, "gridgov fuzz finding: %s\n", what.c_str());
    std::fflush(stderr);
    std::abort();
}

void require(bool ok, const std::string& what) {
    if (!ok)
        finding(what);
}

/// Calls `parse`; a gridgov::Error is an answer, anything else escapes as a finding.
template <typename F>
bool refused(F&& parse) {
    try {
        parse();
        return false;
    } catch (const Error&) {
        return true;
    }
}

/// Splits "first line\nrest".
std::pair<std::string, std::string> split_first_line(std::string_view input) {
    const std::size_t nl = input.find('\n');
    if (nl == std::string_view::npos)
        return {std::string(input), {}};
    return {std::string(input.substr(0, nl)), std::string(input.substr(nl + 1))};
}

// ---- parsers of one value ----------------------------------------------------------

void instants(std::string_view input) {
    const std::string text(input);
    refused([&] {
        const Instant t = Instant::parse(text);
        require(Instant::parse(t.to_string()) == t, "Instant round trip of " + text);
    });
    refused([&] {
        const Date d = Date::parse(text);
        require(Date::parse(d.to_string()) == d, "Date round trip of " + text);
    });
}

void periods(std::string_view input) {
    const std::string text(input);
    refused([&] {
        const AssessmentPeriod p = AssessmentPeriod::parse(text);
        require(AssessmentPeriod::parse(p.label()) == p, "period round trip of " + text);
    });
    refused([&] { parse_period_kind(text); });
}

// ---- documents -----------------------------------------------------------------------

/// A scheme, then a score of it with every indicator at 50 (formulas are evaluated).
void scheme_and_score(const std::string& json) {
    refused([&] {
        const AssessmentScheme scheme = AssessmentScheme::from_json(json);
        ScoreInput in;
        in.subject = {"371338101001", "village", ""};
        in.period = AssessmentPeriod::of(PeriodKind::month, 2024, 3);
        for (const IndicatorSpec& i : scheme.indicators())
            in.values[i.key] = IndicatorValue::of(50);
        refused([&] { score(scheme, in); });
    });
}

void schemes(std::string_view input) {
    scheme_and_score(std::string(input));
}

/// A muParser formula as the one component of a scheme over two indicators.
void formulas(std::string_view input) {
    std::string quoted;
    for (char c : input) {
        if (c == '"' || c == '\\')
            quoted += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(c));
            quoted += buf;
        } else {
            quoted += c;
        }
    }
    scheme_and_score(R"({"key": "f", "label": "f", "period": "month",
      "indicators": [{"key": "a", "label": "a"}, {"key": "b", "label": "b"}],
      "components": [{"key": "c", "label": "c", "weight": 1, "indicator": "a",
        "formula": ")" +
                     quoted + R"("}]})");
}

void workflows(std::string_view input) {
    refused([&] { WorkflowSpec::from_json(input); });
}

void holidays(std::string_view input) {
    refused([&] { WorkingCalendar::from_json(input); });
    WorkingCalendar c = WorkingCalendar::without_data();
    const bool overrides_refused = refused([&] { c.add_overrides_json(input); });
    if (!overrides_refused)
        refused([&] { c.add_year_json(input); });
}

/// "<parser>\n<document>".
void documents(std::string_view input) {
    static const std::map<std::string, std::function<void(const std::string&)>, std::less<>>
        parsers = {
            {"catalogue", [](const std::string& t) { Catalogue::from_json(t); }},
            {"categories", [](const std::string& t) { CategoryCatalogue::from_json(t); }},
            {"departments", [](const std::string& t) { DepartmentCatalogue::from_json(t); }},
            {"routing", [](const std::string& t) { RoutingTable::from_json(t); }},
            {"duties", [](const std::string& t) { DutyCatalogue::from_json(t); }},
            {"record_schema", [](const std::string& t) { RecordSchema::from_json(t); }},
            {"record_extension",
             [](const std::string& t) {
                 RecordSchema::extension_from_json(t, RecordSchema::preset("default"));
             }},
            {"record_policy", [](const std::string& t) { RecordValidationPolicy::from_json(t); }},
            {"schedule", [](const std::string& t) { WorkingSchedule::from_json(t); }},
            {"time_limit", [](const std::string& t) { TimeLimit::from_json(t); }},
            {"import_options", [](const std::string& t) { FileImportOptions::from_json(t); }},
            {"check_round", [](const std::string& t) { check_round_from_json(t); }},
            {"score", [](const std::string& t) { score_from_json(t); }},
            {"draw", [](const std::string& t) { draw_from_json(t); }},
            {"draw_spec", [](const std::string& t) { draw_spec_from_json(t); }},
            {"fulfilments", [](const std::string& t) { fulfilments_from_json(t); }},
            {"inspections", [](const std::string& t) { inspections_from_json(t); }},
            {"promises", [](const std::string& t) { promises_from_json(t); }},
            {"ratings", [](const std::string& t) { promise_ratings_from_json(t); }},
            {"hazards", [](const std::string& t) { hazard_entries_from_json(t); }},
        };
    const auto split = split_first_line(input);
    const std::string& text = split.second;
    const auto it = parsers.find(split.first);
    if (it == parsers.end())
        return;  // not a parser's name: nothing to read
    refused([&] { it->second(text); });
}

// ---- signed heads and proofs (the verifier reads what an auditor is handed) ----------

/// The key the seed proofs of tests/fuzz/corpus/audit are signed with (a test key: it
/// signs nothing else).
constexpr const char* audit_private_pem = R"(-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEICsYWRmYd2EpwiPjw4qHill6i50nOG4YOhEp7p2DD5Pi
-----END PRIVATE KEY-----
)";

void audit(std::string_view input) {
    static const std::string public_pem = SigningKey::from_pem(audit_private_pem).public_pem();
    refused([&] {
        const TreeHead head = TreeHead::from_text(input);
        verify_tree_head(head, public_pem);
        require(TreeHead::from_text(head.to_text()).to_text() == head.to_text(),
                "tree head round trip");
    });
    // A proof that cannot be read is a result with a problem, never an exception.
    const AuditResult a = verify_case_proof(input, public_pem);
    const AuditResult b = verify_consistency_proof(input, public_pem);
    (void)a;
    (void)b;
}

// ---- imports into a workspace ----------------------------------------------------------

/// What a refused import must leave as it was.
struct Fingerprint {
    std::vector<std::size_t> counts;
    EventSeq last_event = 0;
    friend bool operator==(const Fingerprint&, const Fingerprint&) = default;
};

Fingerprint fingerprint(const Workspace& ws) {
    Fingerprint f;
    const Hierarchy& h = ws.hierarchy().view();
    const Directory& d = ws.directory().view();
    const ActivityLog& a = ws.assessment().activities();
    f.counts = {h.size(),
                h.history().size(),
                d.person_count(),
                d.assignments().size(),
                d.units().size(),
                d.absences().size(),
                a.households().size(),
                a.visits().size(),
                a.patrols().size(),
                a.collection_checks().size(),
                a.attendance().size(),
                a.tasks().size(),
                a.ratings().size(),
                ws.records().size(),
                ws.cases().size()};
    f.last_event = ws.cases().last_sequence();
    return f;
}

/// A workspace file made once per process (empty, or the example county with its
/// directory and departments) and put back after every import that changed it.
class Fixture {
  public:
    explicit Fixture(bool with_county) {
        char tmpl[] = "/tmp/gridgov-fuzz-XXXXXX";
        if (mkdtemp(tmpl) == nullptr)
            finding("cannot make a temporary folder");
        dir_ = tmpl;
        pristine_ = dir_ / "pristine.gridgov";
        work_ = dir_ / "work.gridgov";
        {
            Workspace ws = Workspace::open(pristine_.string());
            if (with_county) {
                const fs::path data = GRIDGOV_FUZZ_DATA_DIR;
                for (const char* file : {"county.json", "catalogue.json", "people.csv", "units.csv",
                                         "assignments.csv", "departments.json"})
                    import_file(ws, (data / file).string());
            }
        }
        reset();
    }
    Fixture(const Fixture&) = delete;
    Fixture& operator=(const Fixture&) = delete;
    ~Fixture() {
        ws_.reset();
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    Workspace& ws() { return *ws_; }

    /// Puts the pristine file back and opens it.
    void reset() {
        ws_.reset();
        std::error_code ec;
        for (const char* suffix : {"", "-wal", "-shm", "-journal"})
            fs::remove(work_.string() + suffix, ec);
        fs::copy_file(pristine_, work_);
        ws_.emplace(Workspace::open(work_.string()));
    }

  private:
    fs::path dir_, pristine_, work_;
    std::optional<Workspace> ws_;
};

/// Imports `text` named `source_name`; a refused import must change nothing, an accepted
/// one is undone by putting the file back.
void import_checked(Fixture& fx, const std::string& what, const std::function<void()>& import) {
    const Fingerprint before = fingerprint(fx.ws());
    bool accepted = false;
    try {
        import();
        accepted = true;
    } catch (const Error&) {
        require(fingerprint(fx.ws()) == before, what + ": a refused import changed the workspace");
    }
    if (accepted)
        fx.reset();
}

/// "<file name>\n<content>" imported with the kind told from the name and content; only
/// the kinds in `kinds` are tried (the rest of the names are another target's).
void import_kinds(Fixture& fx, std::string_view input, const std::set<ImportKind>& kinds) {
    const auto split = split_first_line(input);
    const std::string& name = split.first;
    const std::string& text = split.second;
    if (name.empty() || name.find('/') != std::string::npos)
        return;
    const ImportKind kind = detect_import_kind(name, text);
    if (kinds.count(kind) == 0)
        return;
    FileImportOptions options;
    options.kind = kind;
    options.open311.actor = "P0002";
    import_checked(fx, name, [&] { import_text(fx.ws(), text, name, options); });
}

Fixture& empty_workspace() {
    static Fixture fx(false);
    return fx;
}

Fixture& county_workspace() {
    static Fixture fx(true);
    return fx;
}

void hierarchy(std::string_view input) {
    import_kinds(empty_workspace(), input, {ImportKind::hierarchy, ImportKind::geojson});
}

void directory(std::string_view input) {
    import_kinds(
        county_workspace(), input,
        {ImportKind::catalogue, ImportKind::directory, ImportKind::people, ImportKind::units,
         ImportKind::assignments, ImportKind::absences, ImportKind::departments,
         ImportKind::categories, ImportKind::routing, ImportKind::workflow});
}

void activities(std::string_view input) {
    import_kinds(
        county_workspace(), input,
        {ImportKind::households, ImportKind::visits, ImportKind::patrols, ImportKind::collection,
         ImportKind::attendance, ImportKind::tasks, ImportKind::ratings, ImportKind::scores});
}

void open311(std::string_view input) {
    import_kinds(county_workspace(), input, {ImportKind::open311});
}

void plans(std::string_view input) {
    import_kinds(county_workspace(), input, {ImportKind::plans});
}

/// "<kind> <csv|json>\n<content>" into the records of the county.
void records(std::string_view input) {
    const auto split = split_first_line(input);
    const std::string& head = split.first;
    const std::string& text = split.second;
    const std::size_t space = head.find(' ');
    const std::string kind = head.substr(0, space);
    const std::string format = space == std::string::npos ? "json" : head.substr(space + 1);
    const DocumentFormat f = format == "csv" ? DocumentFormat::csv : DocumentFormat::json;
    Fixture& fx = county_workspace();
    import_checked(fx, "records",
                   [&] { fx.ws().records().import_text(text, f, kind, "<fuzz>." + format); });
}

}  // namespace

void prepare(std::string_view name) {
    if (name == "hierarchy")
        empty_workspace();
    else if (name == "directory" || name == "activities" || name == "open311" || name == "plans" ||
             name == "records")
        county_workspace();
}

void run_target(std::string_view name, std::string_view input) {
    static const std::map<std::string, void (*)(std::string_view), std::less<>> targets = {
        {"instant", instants},    {"period", periods},        {"scheme", schemes},
        {"formula", formulas},    {"workflow", workflows},    {"holidays", holidays},
        {"documents", documents}, {"audit", audit},           {"hierarchy", hierarchy},
        {"directory", directory}, {"activities", activities}, {"open311", open311},
        {"plans", plans},         {"records", records},
    };
    const auto it = targets.find(name);
    if (it == targets.end())
        finding("no fuzz target named " + std::string(name));
    it->second(input);
}

}  // namespace gridgov_fuzz
