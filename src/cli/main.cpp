// gridgov: the command-line tool over one workspace file (docs/cli.md).
#include <CLI/CLI.hpp>
#include <exception>
#include <functional>
#include <iostream>
#include <new>
#include <string>
#include <string_view>

#include "cli.hpp"
#include "core/text.hpp"

namespace {

using namespace gridgov::cli;

void add_at(CLI::App* cmd, std::string& at, const char* what) {
    cmd->add_option("--at", at, what)->type_name("TIME");
}

/// The reader options of a records subcommand that reads record contents (docs/cli.md):
/// --as PERSON or --system (need_reader() checks one is given), --why TEXT, --posts-on DATE.
void add_reader(CLI::App* cmd, RecordsReaderOptions& r) {
    CLI::Option* as =
        cmd->add_option("--as", r.person,
                        "read as this person of the directory: the records under their posts")
            ->type_name("PERSON");
    CLI::Option* system =
        cmd->add_flag("--system", r.system, "the system's own read: every record");
    as->excludes(system);
    cmd->add_option("--why", r.purpose, "why the records are read (kept in the access log)")
        ->required()
        ->type_name("TEXT");
    cmd->add_option("--posts-on", r.posts_on,
                    "with --as: the day whose posts grant access (default today)")
        ->type_name("DATE")
        ->excludes(system);
}

/// Exactly one of --as and --system (CLI11 refuses both; neither is refused here): a usage
/// error saying what to give.
void need_reader(const CLI::App* cmd, const RecordsReaderOptions& r) {
    if (r.person.empty() && !r.system)
        throw CLI::RequiredError("records " + cmd->get_name() +
                                     " reads record contents: name the reader with --as PERSON "
                                     "(a person of the directory) or --system (the system's own "
                                     "read)",
                                 CLI::ExitCodes::RequiredError);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"gridgov: grid-based community governance over one workspace file (docs/cli.md)",
                 "gridgov"};
    app.set_version_flag("--version", gridgov::version());
    app.require_subcommand(1);
    app.footer(
        "Exit codes: 0 done, 1 findings (validate or records validate errors, a broken log, "
        "refused plan steps, a draw that does not re-run), 2 usage, 3 input refused, 4 storage, "
        "5 command refused (a case's state or permission, a removed record, a schema that stored "
        "records still use, a duty catalogue lacking a schedule that fulfilments name), 6 "
        "internal error.");
    app.fallthrough();

    Global g;
    app.add_option("-w,--workspace", g.workspace, "the workspace file")
        ->envname("GRIDGOV_WORKSPACE")
        ->type_name("FILE");
    app.add_flag("--json", g.json, "machine-readable JSON on standard output");
    app.add_flag("--reveal", g.reveal, "personal data (ID numbers, phones) in clear");

    std::function<int()> action;

    // init
    InitOptions init;
    CLI::App* c_init = app.add_subcommand("init", "create a new workspace file");
    c_init->add_flag("--force", init.force, "replace an existing file");
    c_init->group("workspace");
    c_init->callback([&] { action = [&] { return run_init(g, init); }; });

    // copy
    CopyOptions cpy;
    CLI::App* c_cpy = app.add_subcommand(
        "copy", "copy a whole workspace into a new file or an empty PostgreSQL schema");
    c_cpy->add_option("from", cpy.from, "the workspace: a file or a postgresql:// URI")->required();
    c_cpy->add_option("to", cpy.to, "a new file, or a postgresql:// URI of an empty schema")
        ->required();
    c_cpy->group("workspace");
    c_cpy->callback([&] { action = [&] { return run_copy(g, cpy); }; });

    // import
    ImportOptions imp;
    CLI::App* c_imp = app.add_subcommand(
        "import",
        "import files: hierarchy, directory, catalogue, departments, categories, "
        "routing, workflow, Open311 requests, activity records, matter plans, scores");
    c_imp->add_option("files", imp.files, "files to import, each in its own transaction")
        ->required()
        ->type_name("FILE");
    c_imp->add_option("--kind", imp.kind,
                      "hierarchy, geojson, catalogue, directory, people, units, assignments, "
                      "absences, departments, categories, routing, workflow, open311, plans, "
                      "households, visits, patrols, collection, attendance, tasks, ratings "
                      "(default: by file name and content)");
    c_imp->add_option("--effective", imp.effective, "hierarchy: the date the nodes take effect")
        ->type_name("DATE");
    c_imp->add_flag("--open311", imp.open311, "the files are Open311 service requests");
    c_imp->add_option("--actor", imp.actor, "open311: the reporting person (default: system)");
    c_imp->add_option("--source", imp.source, "open311: the case source (default app)");
    c_imp->add_option("--workflow", imp.workflow, "open311: workflow key (default by source)");
    c_imp->add_option("--node-field", imp.node_field,
                      "open311: the request field holding a node code (default address_id; "
                      "'' = locate by lat/long)");
    c_imp->add_option("--map", imp.service_map, "open311: service_code=category, repeatable")
        ->type_name("CODE=CATEGORY");
    add_at(c_imp, imp.at, "open311: instant of requests without requested_datetime");
    c_imp->add_flag("--keep-ids", imp.keep_ids, "open311: service_request_id as case number");
    c_imp->group("workspace");
    c_imp->callback([&] { action = [&] { return run_import(g, imp); }; });

    // run
    RunOptions runo;
    CLI::App* c_run = app.add_subcommand(
        "run", "run matter plans (reported matters and their steps) through the case engine");
    c_run->add_option("files", runo.files, "matter-plan CSV files (docs/cases.md)")
        ->required()
        ->type_name("FILE");
    c_run->add_option("--batch", runo.batch, "steps per transaction (default 2000, 0 = one)");
    c_run->add_option("--tick-interval", runo.tick_interval,
                      "seconds between ticks (default 0: before every new instant)");
    c_run->add_option("--tick-until", runo.tick_until, "after the last step, tick up to TIME")
        ->type_name("TIME");
    c_run->group("cases");
    c_run->callback([&] { action = [&] { return run_run(g, runo); }; });

    // draw
    DrawOptions drw;
    CLI::App* c_drw = app.add_subcommand(
        "draw", "record an auditable inspection draw of nodes, or list the recorded draws");
    c_drw->add_option("label", drw.label, "the draw's label, e.g. the period 2026-03");
    c_drw->add_flag("--list", drw.list, "list the recorded draws and whether each re-runs");
    c_drw->add_option("--count", drw.count, "how many nodes to draw");
    c_drw->add_option("--seed", drw.seed, "the seed (publish it: anyone can re-run the draw)")
        ->each([&](const std::string&) { drw.seed_given = true; });
    c_drw->add_option("--level", drw.level, "candidates: live nodes of this level (grid)");
    c_drw->add_option("--subtree", drw.subtree, "candidates: only under this node");
    c_drw->add_option("--strata-level", drw.strata_level,
                      "one pick per node of this level first (e.g. village)");
    c_drw->add_option("--avoid", drw.avoid, "leave out the picks of this earlier draw");
    c_drw->group("assessment");
    c_drw->callback([&] { action = [&] { return run_draw(g, drw); }; });

    // assess
    AssessOptionsCli ass;
    CLI::App* c_ass = app.add_subcommand(
        "assess", "score subjects for a period with an assessment scheme and store the scores");
    c_ass
        ->add_option("scheme", ass.scheme,
                     "preset key (grid_worker, urban_region, ...) or a "
                     "scheme JSON file")
        ->required();
    c_ass->add_option("--period", ass.period, "the period: 2026-03, 2026-Q1, 2026-H1, 2026")
        ->required();
    c_ass->add_option("--level", ass.level,
                      "every node of this level (with --workers: the "
                      "level of their posts, default grid; with --units: the unit level)");
    c_ass->add_flag("--departments", ass.departments, "every department");
    c_ass->add_flag("--workers", ass.workers, "every grid worker (needs activity records)");
    c_ass->add_option("--role", ass.roles, "--workers: only holders of this role, repeatable");
    c_ass
        ->add_option("--units", ass.units, "every unit of this overlay (its key), e.g. fire_safety")
        ->type_name("OVERLAY");
    c_ass->add_option("--subject", ass.subjects,
                      "a node code or an overlay unit as fire_safety:XF-01, repeatable");
    c_ass->add_option("--default-area-class", ass.default_area_class,
                      "area class of nodes that have none");
    c_ass->add_flag("--no-store", ass.no_store, "print the scores without storing them");
    c_ass->add_flag("--record-checks", ass.record_checks,
                    "add each node's 四实 collection-quality indicators (info_*) of the period");
    c_ass
        ->add_option("--duties-at", ass.duties_at,
                     "read the duty_* indicators at this instant (default the end of the period)")
        ->type_name("TIME");
    c_ass->add_option("--format", ass.format, "table (default), json, csv");
    c_ass->add_option("-o,--output", ass.output, "file (default standard output)");
    c_ass->group("assessment");
    c_ass->callback([&] { action = [&] { return run_assess(g, ass); }; });

    // report
    PageOptions page;
    CLI::App* c_page = app.add_subcommand(
        "report", "the report page: light board, rankings, trends, flags, draws (HTML)");
    c_page->add_option("-o,--output", page.output, "the HTML file (default standard output)");
    add_at(c_page, page.at, "read the board at (default now)");
    c_page->add_option("--scope", page.scope, "node code of the area (default the county)");
    c_page->add_option("--level", page.level, "level of the board's rows (default village)");
    c_page->add_option("--title", page.title, "the page's title");
    c_page->add_flag("--no-verify", page.no_verify, "do not check the event log");
    c_page->group("report");
    c_page->callback([&] { action = [&] { return run_report_page(g, page); }; });

    // board
    BoardOptions brd;
    CLI::App* c_brd = app.add_subcommand(
        "board",
        "the light board: cases of each node of a level (or unit of an overlay) by light, at an "
        "instant");
    add_at(c_brd, brd.at, "read the board at (default now)");
    c_brd->add_option("--level", brd.level,
                      "level of the rows (default grid; with --overlay a level of the "
                      "overlay, default every unit)");
    c_brd->add_option("--scope", brd.scope,
                      "node code of the area, or with --overlay a unit (default every row)");
    c_brd
        ->add_option("--overlay", brd.overlay,
                     "the rows are this overlay's units (its key), each counting the cases of "
                     "the grids it covers")
        ->type_name("KEY");
    c_brd->group("report");
    c_brd->callback([&] { action = [&] { return run_board(g, brd); }; });

    // validate
    ValidateOptions val;
    CLI::App* c_val = app.add_subcommand(
        "validate", "hierarchy, overlay, directory and case-configuration findings");
    c_val->add_option("--date", val.date, "staffing checked on this date (default today)")
        ->type_name("DATE");
    c_val->add_option("--sizing", val.sizing,
                      "sizing preset: rural_township_150, urban_rural_mixed, "
                      "national_guideline (default none)");
    c_val->add_flag("!--no-cardinality", val.cardinality,
                    "skip the role-cardinality checks (one post-A holder per role and node)");
    c_val->add_option("--max-primary-grids", val.max_primary_grids,
                      "post A on at most this many grids per person (default 1, 0 = any)");
    c_val->group("workspace");
    c_val->callback([&] { action = [&] { return run_validate(g, val); }; });

    // case ...
    CLI::App* c_case = app.add_subcommand("case", "report, move, show and list cases");
    c_case->group("cases");
    c_case->require_subcommand(1);
    c_case->fallthrough();

    CaseReportOptions rep;
    CLI::App* c_rep = c_case->add_subcommand("report", "report a new case");
    c_rep->add_option("--category", rep.category, "category code")->required();
    c_rep->add_option("--node", rep.node, "node code")->required();
    c_rep->add_option("--actor", rep.actor, "the reporting person id");
    c_rep->add_flag("--system", rep.system, "reported by the system");
    add_at(c_rep, rep.at, "when (default now)");
    c_rep->add_option("--source", rep.source, "grid_worker, supervisor, hotline_12345, ...");
    c_rep->add_option("--workflow", rep.workflow, "workflow key (default by source)");
    c_rep->add_option("--reporter", rep.reporter, "the person who may rate");
    c_rep->add_option("--number", rep.number, "the case number (default generated)");
    c_rep->add_option("--note", rep.note, "free text kept with the event");
    c_rep->callback([&] { action = [&] { return run_case_report(g, rep); }; });

    TransitionOptions tr;
    CLI::App* c_tr =
        c_case->add_subcommand("transition", "fire a command on a case (file, dispatch, ...)");
    c_tr->add_option("number", tr.number, "case number")->required();
    c_tr->add_option("command", tr.command, "command name (file, dispatch, close, ...)")
        ->required();
    c_tr->add_option("--actor", tr.actor, "the person id");
    c_tr->add_flag("--system", tr.system, "fired by the system");
    add_at(c_tr, tr.at, "when (default now)");
    c_tr->add_option("--reason", tr.reason, "reason");
    c_tr->add_option("--evidence", tr.evidence, "evidence reference, repeatable");
    c_tr->add_option("--note", tr.note, "free text kept with the event");
    c_tr->add_option("--department", tr.department, "dispatch: department code");
    c_tr->add_option("--category", tr.category, "file: a new category code");
    c_tr->add_option("--amount", tr.amount, "extensions: e.g. '2 working_days'");
    c_tr->add_option("--rating", tr.rating, "rate, callback: 1-5 or satisfied, ...");
    c_tr->callback([&] { action = [&] { return run_case_transition(g, tr); }; });

    ShowOptions show;
    CLI::App* c_show = c_case->add_subcommand("show", "one case with its clocks and history");
    c_show->add_option("number", show.number, "case number")->required();
    add_at(c_show, show.at, "read the clocks at (default now)");
    c_show->callback([&] { action = [&] { return run_case_show(g, show); }; });

    ListOptions list;
    CLI::App* c_list = c_case->add_subcommand("list", "cases matching filters, or counts");
    c_list->add_option("--subtree", list.subtree, "node code: cases at it or below");
    c_list->add_option("--state", list.state, "state key");
    c_list->add_option("--kind", list.kind, "pending, open, closed, voided");
    c_list->add_option("--category", list.category, "category code prefix");
    c_list->add_option("--light", list.light, "green, yellow, red (counting clock at --at)");
    c_list->add_flag("--overdue", list.overdue, "past the deadline at --at");
    c_list->add_flag("--breached", list.breached, "cases with a breached clock");
    c_list->add_option("--department", list.department, "department code");
    c_list->add_option("--source", list.source, "case source");
    c_list->add_option("--workflow", list.workflow, "workflow key");
    add_at(c_list, list.at, "lights read at (default now)");
    c_list->add_option("--from", list.from, "reported at or after (ISO 8601, China time)");
    c_list->add_option("--until", list.until, "reported before (ISO 8601, China time)");
    c_list
        ->add_option("--columns", list.columns,
                     "print these fields of each case instead: id, number, workflow, category, "
                     "node, source, state, kind, department, tier, breached, reported_at, "
                     "updated_at, closed_at, deadline")
        ->delimiter(',');
    c_list->add_option("--count-by", list.count_by,
                       "state, kind, category, source, department, light, node, workflow, "
                       "tier, overdue");
    c_list->add_option("--level", list.level, "with --count-by node: the level");
    c_list->add_option("--limit", list.limit, "at most this many rows");
    c_list->callback([&] { action = [&] { return run_case_list(g, list); }; });

    // tick
    TickOptions tick;
    CLI::App* c_tick = app.add_subcommand("tick", "turn lights and record breaches up to --now");
    c_tick->add_option("--now", tick.now, "the instant (default the system clock)")
        ->type_name("TIME");
    c_tick->group("cases");
    c_tick->callback([&] { action = [&] { return run_tick(g, tick); }; });

    // follow
    FollowOptions fol;
    CLI::App* c_fol = app.add_subcommand(
        "follow", "print case events as any process commits them, one line each");
    c_fol->add_option("--from", fol.from,
                      "also print the stored events after this sequence (0: all of them)");
    c_fol->add_option("--count", fol.count, "stop after this many events");
    c_fol->add_option("--timeout", fol.timeout, "stop after this many seconds");
    c_fol->add_option("--interval", fol.interval, "milliseconds between looks (default 50)")
        ->check(CLI::Range(1, 60000));
    c_fol->group("cases");
    c_fol->callback([&] { action = [&] { return run_follow(g, fol); }; });

    // verify-log
    VerifyOptions ver;
    CLI::App* c_ver = app.add_subcommand("verify-log", "check the hash-chained event log");
    c_ver->add_option("--anchor", ver.anchor, "SEQ:HASH recorded earlier (gridgov verify-log)");
    c_ver->add_flag("--cases", ver.cases, "also replay every case against its stored state");
    CLI::Option* o_since = c_ver->add_flag(
        "--since-checkpoint", ver.since_checkpoint,
        "check only what follows the last signed-off checkpoint (gridgov log-checkpoints)");
    CLI::Option* o_sign = c_ver->add_option(
        "--sign-off", ver.sign_off,
        "record a checkpoint signed off by NAME when the log checks out (since the last "
        "checkpoint, or the whole log with --full)");
    o_sign->type_name("NAME");
    add_at(c_ver, ver.at, "when it is signed off (default the system clock)");
    c_ver->add_flag("--full", ver.full, "with --sign-off: check the whole log first");
    o_since->excludes(o_sign);
    c_ver->get_option("--anchor")->excludes(o_since)->excludes(o_sign);
    c_ver->get_option("--at")->needs(o_sign);
    c_ver->get_option("--full")->needs(o_sign);
    c_ver->group("cases");
    c_ver->callback([&, o_sign] {
        ver.sign = o_sign->count() > 0;
        action = [&] { return run_verify_log(g, ver); };
    });

    CLI::App* c_cps =
        app.add_subcommand("log-checkpoints", "list the signed-off checkpoints of the event log");
    c_cps->group("cases");
    c_cps->callback([&] { action = [&] { return run_log_checkpoints(g); }; });

    // audit ...
    CLI::App* c_aud = app.add_subcommand(
        "audit", "signed tree heads over the event log, proofs, and their verification");
    c_aud->group("cases");
    c_aud->require_subcommand(1);
    c_aud->fallthrough();
    AuditOptions aud;
    CLI::App* c_akey = c_aud->add_subcommand("key", "make an Ed25519 signing key");
    c_akey->add_option("-o,--output", aud.output, "the private key's file (mode 0600)")->required();
    c_akey->add_option("--public", aud.public_key,
                       "the public key's file (default standard output)");
    c_akey->callback([&] { action = [&] { return run_audit_key(g, aud); }; });
    CLI::App* c_ahead = c_aud->add_subcommand(
        "head", "sign a head over the log with the deployment's key and record it");
    c_ahead->add_option("--key", aud.key, "the private key's PEM file")->required();
    c_ahead->add_option("--log", aud.log, "the log's name, printed in the head")->required();
    add_at(c_ahead, aud.at, "when it is signed (default the system clock)");
    c_ahead->add_option("-o,--output", aud.output, "also write the head's text to this file");
    c_ahead->callback([&] { action = [&] { return run_audit_head(g, aud); }; });
    CLI::App* c_aheads = c_aud->add_subcommand("heads", "list the recorded heads");
    c_aheads->callback([&] { action = [&] { return run_audit_heads(g); }; });
    CLI::App* c_aprove = c_aud->add_subcommand(
        "prove", "the proof that a case's events are in the log of a published head");
    c_aprove->add_option("number", aud.number, "the case number")->required();
    c_aprove->add_option("--head", aud.head, "the head's text file")->required();
    c_aprove->add_option("-o,--output", aud.output, "file (default standard output)");
    c_aprove->callback([&] { action = [&] { return run_audit_prove(g, aud); }; });
    CLI::App* c_acons = c_aud->add_subcommand(
        "consistency", "the proof that a later head's log extends an earlier one's");
    c_acons->add_option("--older", aud.older, "the earlier head's text file")->required();
    c_acons->add_option("--newer", aud.newer, "the later head's text file")->required();
    c_acons->add_option("-o,--output", aud.output, "file (default standard output)");
    c_acons->callback([&] { action = [&] { return run_audit_consistency(g, aud); }; });
    CLI::App* c_acheck = c_aud->add_subcommand(
        "check", "the auditor's whole check of the workspace's log against the heads");
    c_acheck->add_option("--public-key", aud.public_key, "the public key's PEM file")->required();
    c_acheck->add_option("--published", aud.published,
                         "a head's text file kept outside the workspace (repeatable)");
    c_acheck->callback([&] { action = [&] { return run_audit_check(g, aud); }; });
    CLI::App* c_averify = c_aud->add_subcommand(
        "verify", "check a head, a case proof or a consistency proof without the workspace");
    c_averify->add_option("proof", aud.proof, "the proof's or head's file")->required();
    c_averify->add_option("--public-key", aud.public_key, "the public key's PEM file")->required();
    c_averify->add_option("--head", aud.head, "case proof: the published head it must use");
    c_averify->add_option("--older", aud.older, "consistency proof: the published older head");
    c_averify->add_option("--newer", aud.newer, "consistency proof: the published newer head");
    c_averify->callback([&] { action = [&] { return run_audit_verify(g, aud); }; });

    // export
    ExportOptions exp;
    CLI::App* c_exp = app.add_subcommand(
        "export",
        "hierarchy, grids (GeoJSON with lights), services and requests (Open311), "
        "directory, chart");
    c_exp->add_option("what", exp.what, "hierarchy, grids, services, requests, directory, chart")
        ->required()
        ->check(
            CLI::IsMember({"hierarchy", "grids", "services", "requests", "directory", "chart"}));
    c_exp->add_option("-o,--output", exp.output, "file (default standard output)");
    c_exp->add_option("--format", exp.format, "json, csv, geojson, html (default by extension)");
    add_at(c_exp, exp.at, "grids, requests: clocks read at; chart: the date");
    c_exp->add_option("--level", exp.level, "grids: the level of the features (default grid)");
    c_exp->add_option("--jurisdiction", exp.jurisdiction, "requests: jurisdiction_id");
    c_exp->group("workspace");
    c_exp->callback([&] { action = [&] { return run_export(g, exp); }; });

    // directory ...
    CLI::App* c_dir = app.add_subcommand(
        "directory", "who is responsible, and who holds posts, at a node or an overlay unit");
    c_dir->group("workspace");
    c_dir->require_subcommand(1);
    c_dir->fallthrough();
    DirectoryWhoOptions dwho;
    CLI::App* c_dwho = c_dir->add_subcommand(
        "who", "who is responsible for a duty or role at a node (or overlay unit), and why");
    c_dwho->add_option("place", dwho.place, "a node code, or an overlay unit as market:D01")
        ->required();
    c_dwho->add_option("code", dwho.code, "a duty or role code")->required();
    c_dwho->add_option("--on", dwho.on, "the date (default today)")->type_name("DATE");
    c_dwho->callback([&] { action = [&] { return run_directory_who(g, dwho); }; });
    DirectoryRosterOptions droster;
    CLI::App* c_droster =
        c_dir->add_subcommand("roster", "the posts held at a node (or overlay unit) on a date");
    c_droster->add_option("place", droster.place, "a node code, or an overlay unit as market:D01")
        ->required();
    c_droster->add_option("--on", droster.on, "the date (default today)")->type_name("DATE");
    c_droster->callback([&] { action = [&] { return run_directory_roster(g, droster); }; });

    // records ...
    CLI::App* c_rec = app.add_subcommand(
        "records",
        "residents, households, houses, units, organisations, components (人地事物情组织)");
    c_rec->group("records");
    c_rec->require_subcommand(1);
    c_rec->fallthrough();

    RecordsKindsOptions rkinds;
    CLI::App* c_rkinds = c_rec->add_subcommand("kinds", "the kinds of records and their fields");
    c_rkinds->add_option("--preset", rkinds.preset,
                         "a preset's kinds (standard) instead of the workspace's");
    c_rkinds->callback([&] { action = [&] { return run_records_kinds(g, rkinds); }; });

    RecordsSchemaOptions rschema;
    CLI::App* c_rschema =
        c_rec->add_subcommand("schema", "replace or extend the workspace's kinds (a JSON file)");
    CLI::Option* o_rset =
        c_rschema->add_option("--set", rschema.set, "replace the schema")->type_name("FILE");
    CLI::Option* o_rext =
        c_rschema->add_option("--extend", rschema.extend, "add the file's kinds and fields")
            ->type_name("FILE");
    o_rset->excludes(o_rext);
    c_rschema->require_option(1);
    c_rschema->callback([&] { action = [&] { return run_records_schema(g, rschema); }; });

    RecordsImportOptions rimp;
    CLI::App* c_rimp = c_rec->add_subcommand(
        "import", "add and update records from a CSV file (one kind) or a JSON document");
    c_rimp->add_option("file", rimp.file, "the file, imported all or nothing")
        ->required()
        ->type_name("FILE");
    c_rimp->add_option("--kind", rimp.kind, "CSV: the kind (default by the file's name)");
    c_rimp
        ->add_option("--effective", rimp.effective,
                     "the date the changes take effect (default: always)")
        ->type_name("DATE");
    c_rimp->callback([&] { action = [&] { return run_records_import(g, rimp); }; });

    RecordsExportOptions rexp;
    CLI::App* c_rexp = c_rec->add_subcommand(
        "export",
        "the live records the reader may read as CSV (one kind) or JSON, masked "
        "unless --reveal");
    c_rexp->add_option("--kind", rexp.kind, "the kind (CSV: required; JSON: default every kind)");
    c_rexp->add_option("--format", rexp.format, "csv or json (default by extension, else json)");
    c_rexp->add_option("-o,--output", rexp.output, "file (default standard output)");
    add_reader(c_rexp, rexp.reader);
    c_rexp->callback([&] {
        need_reader(c_rexp, rexp.reader);
        action = [&] { return run_records_export(g, rexp); };
    });

    RecordsGetOptions rget;
    CLI::App* c_rget = c_rec->add_subcommand("get", "one record, now or on a date");
    c_rget->add_option("key", rget.key, "the record's key")->required();
    c_rget->add_option("--on", rget.on, "as it stood at the end of DATE")->type_name("DATE");
    add_reader(c_rget, rget.reader);
    c_rget->callback([&] {
        need_reader(c_rget, rget.reader);
        action = [&] { return run_records_get(g, rget); };
    });

    RecordsHistoryOptions rhist;
    CLI::App* c_rhist = c_rec->add_subcommand("history", "every version of a record");
    c_rhist->add_option("key", rhist.key, "the record's key")->required();
    add_reader(c_rhist, rhist.reader);
    c_rhist->callback([&] {
        need_reader(c_rhist, rhist.reader);
        action = [&] { return run_records_history(g, rhist); };
    });

    RecordsFindOptions rfind;
    CLI::App* c_rfind =
        c_rec->add_subcommand("find", "live records whose lookup or reference field holds a value");
    c_rfind->add_option("field", rfind.field, "id_number, house_code, credit_code, household, ...")
        ->required();
    c_rfind->add_option("value", rfind.value, "the value (in clear)")->required();
    add_reader(c_rfind, rfind.reader);
    c_rfind->callback([&] {
        need_reader(c_rfind, rfind.reader);
        action = [&] { return run_records_find(g, rfind); };
    });

    RecordsListOptions rlist;
    CLI::App* c_rlist = c_rec->add_subcommand("list", "live records matching every filter");
    c_rlist->add_option("--kind", rlist.kind, "the kind");
    c_rlist->add_option("--within", rlist.within, "node code: records in its subtree")
        ->type_name("NODE_CODE");
    c_rlist->add_option("--where", rlist.where, "an enum, lookup or reference field's value")
        ->type_name("FIELD=VALUE");
    c_rlist->add_option("--overlay", rlist.overlay, "records placed on this overlay unit")
        ->type_name("OVERLAY:UNIT");
    add_reader(c_rlist, rlist.reader);
    c_rlist->callback([&] {
        need_reader(c_rlist, rlist.reader);
        action = [&] { return run_records_list(g, rlist); };
    });

    RecordsAddOptions radd;
    CLI::App* c_radd = c_rec->add_subcommand("add", "add a record");
    c_radd->add_option("--kind", radd.kind, "the kind")->required();
    c_radd->add_option("--key", radd.key, "the record's stable key")->required();
    c_radd->add_option("--node", radd.node, "the node it lives at (a grid)")
        ->required()
        ->type_name("NODE_CODE");
    c_radd->add_option("--field", radd.fields, "a field's value, repeatable")
        ->type_name("NAME=VALUE");
    c_radd->add_option("--overlay", radd.overlays, "an overlay unit it is placed on, repeatable")
        ->type_name("OVERLAY:UNIT");
    c_radd->add_option("--effective", radd.effective, "the date it takes effect (default: always)")
        ->type_name("DATE");
    c_radd->callback([&] { action = [&] { return run_records_add(g, radd); }; });

    RecordsMoveOptions rmove;
    CLI::App* c_rmove = c_rec->add_subcommand("move", "move a record to another node");
    c_rmove->add_option("key", rmove.key, "the record's key")->required();
    c_rmove->add_option("node", rmove.node, "the node code it moves to")
        ->required()
        ->type_name("NODE_CODE");
    c_rmove->add_option("--effective", rmove.effective, "the date of the move")
        ->required()
        ->type_name("DATE");
    c_rmove->callback([&] { action = [&] { return run_records_move(g, rmove); }; });

    RecordsRemoveOptions rrem;
    CLI::App* c_rrem = c_rec->add_subcommand("remove", "remove a record (it stays in its history)");
    c_rrem->add_option("key", rrem.key, "the record's key")->required();
    c_rrem->add_option("--effective", rrem.effective, "the date of the removal")
        ->required()
        ->type_name("DATE");
    c_rrem->callback([&] { action = [&] { return run_records_remove(g, rrem); }; });

    RecordsRollupOptions rroll;
    CLI::App* c_rroll = c_rec->add_subcommand(
        "rollup", "per node: records of a kind, holders of an enum value, or a field's sum");
    c_rroll->add_option("kind", rroll.kind, "the kind")->required();
    c_rroll->add_option("--field", rroll.field, "an enum field (with --value) or a number field");
    c_rroll->add_option("--value", rroll.value, "the enum field's value to count");
    c_rroll->add_option("--level", rroll.level, "only the nodes of this level (e.g. village)");
    c_rroll->get_option("--value")->needs(c_rroll->get_option("--field"));
    c_rroll->callback([&] { action = [&] { return run_records_rollup(g, rroll); }; });

    RecordsValidateOptions rval;
    CLI::App* c_rval = c_rec->add_subcommand("validate", "the records' findings on a date");
    c_rval->add_option("--on", rval.on, "the date (default today)")->type_name("DATE");
    c_rval->add_option("--policy", rval.policy,
                       "officer loads to check: a JSON file {\"officer_loads\": [...]} or "
                       "market_supervision_002 (1,000 units per market officer)");
    c_rval->callback([&] { action = [&] { return run_records_validate(g, rval); }; });

    RecordsAccessLogOptions rlog;
    CLI::App* c_rlog = c_rec->add_subcommand(
        "access-log", "the reads that showed sensitive fields in clear: who, whose, why, when");
    c_rlog->add_option("--after", rlog.after, "only the entries after this sequence number")
        ->type_name("SEQ")
        ->check(CLI::NonNegativeNumber);
    c_rlog->add_option("--limit", rlog.limit, "at most this many entries (default all)")
        ->type_name("N");
    c_rlog->add_option("--format", rlog.format,
                       "table (default), csv or json (default by extension)");
    c_rlog->add_option("-o,--output", rlog.output, "file (default standard output)");
    c_rlog->callback([&] { action = [&] { return run_records_access_log(g, rlog); }; });

    CLI::App* c_rvlog = c_rec->add_subcommand(
        "verify-access-log", "check the access log's hash chain (exit 1 when broken)");
    c_rvlog->callback([&] { action = [&] { return run_records_verify_access_log(g); }; });

    RecordsCheckDrawOptions rcdraw;
    CLI::App* c_rcdraw = c_rec->add_subcommand(
        "check-draw",
        "四实 field check: draw records to visit (audited draw, one per node first) as JSON");
    c_rcdraw->add_option("--kind", rcdraw.kind, "the kind drawn (e.g. house)")->required();
    c_rcdraw->add_option("--within", rcdraw.within, "node code: records in its subtree")
        ->type_name("NODE_CODE");
    c_rcdraw->add_option("--count", rcdraw.count, "how many records to draw")
        ->required()
        ->type_name("N");
    c_rcdraw->add_option("--seed", rcdraw.seed, "the seed (publish it: anyone can re-run the draw)")
        ->required()
        ->type_name("S");
    c_rcdraw->add_option("-o,--output", rcdraw.output, "file (default standard output)");
    c_rcdraw->callback([&] { action = [&] { return run_records_check_draw(g, rcdraw); }; });

    RecordsCheckRecordOptions rcrec;
    CLI::App* c_rcrec = c_rec->add_subcommand(
        "check-record", "record a field check's round: its draw and what was found (a JSON file)");
    c_rcrec->add_option("file", rcrec.file, "the round {label, date, inspector, draw, findings}")
        ->required()
        ->type_name("FILE");
    c_rcrec->callback([&] { action = [&] { return run_records_check_record(g, rcrec); }; });

    CLI::App* c_rchecks = c_rec->add_subcommand("checks", "the recorded field-check rounds");
    c_rchecks->callback([&] { action = [&] { return run_records_checks(g); }; });

    RecordsCheckRatesOptions rcrates;
    CLI::App* c_rcrates = c_rec->add_subcommand(
        "check-rates",
        "collection quality per month and node: sampled, found, collection and accuracy rates");
    c_rcrates->add_option("--from", rcrates.from, "rounds dated on or after DATE")
        ->type_name("DATE");
    c_rcrates->add_option("--to", rcrates.to, "rounds dated on or before DATE")->type_name("DATE");
    c_rcrates->add_option("--format", rcrates.format,
                          "table (default), csv or json (default by extension)");
    c_rcrates->add_option("-o,--output", rcrates.output, "file (default standard output)");
    c_rcrates->callback([&] { action = [&] { return run_records_check_rates(g, rcrates); }; });

    // duty ...
    CLI::App* c_duty = app.add_subcommand(
        "duty", "duties on a schedule (定期职责): the catalogue, fulfilments, occurrences");
    c_duty->group("duties");
    c_duty->require_subcommand(1);
    c_duty->fallthrough();

    CLI::App* c_dpresets = c_duty->add_subcommand("presets", "the built-in duty catalogues");
    c_dpresets->callback([&] { action = [&] { return run_duty_presets(g); }; });

    DutyCatalogueOptions dcat;
    CLI::App* c_dcat =
        c_duty->add_subcommand("catalogue", "print the duty catalogue, or set it with --set");
    c_dcat
        ->add_option("--set", dcat.set,
                     "replace the catalogue with a JSON file or a preset (seed_defaults, "
                     "market_supervision_002)")
        ->type_name("FILE|PRESET");
    c_dcat->callback([&] { action = [&] { return run_duty_catalogue(g, dcat); }; });

    DutyFulfilOptions dful;
    CLI::App* c_dful = c_duty->add_subcommand("fulfil", "record one fulfilment of a duty");
    c_dful->add_option("--duty", dful.duty, "the schedule's key")->required()->type_name("KEY");
    c_dful->add_option("--place", dful.place, "a node code or an overlay unit as market:D01")
        ->required()
        ->type_name("CODE");
    c_dful->add_option("--person", dful.person, "who fulfilled it (a person of the directory)")
        ->required()
        ->type_name("ID");
    add_at(c_dful, dful.at, "when it was done (default now)");
    c_dful->add_option("--id", dful.id, "the fulfilment's id (default DUTY@PLACE@PERSON@AT)");
    c_dful
        ->add_option("--occurrence", dful.occurrence,
                     "the occurrence it fulfils, e.g. 2026-W07 (default: the one of --at)")
        ->type_name("LABEL");
    c_dful->add_option("--evidence", dful.evidence, "a photo, minutes or file, repeatable")
        ->type_name("REF");
    c_dful->add_option("--note", dful.note, "a note")->type_name("TEXT");
    c_dful->callback([&] { action = [&] { return run_duty_fulfil(g, dful); }; });

    DutyImportOptions dimp;
    CLI::App* c_dimp = c_duty->add_subcommand(
        "import", "record fulfilments from a JSON file (an array), all or nothing");
    c_dimp->add_option("file", dimp.file, "the JSON file")->required()->type_name("FILE");
    c_dimp->callback([&] { action = [&] { return run_duty_import(g, dimp); }; });

    CLI::App* c_dfuls = c_duty->add_subcommand("fulfilments", "the fulfilments recorded");
    c_dfuls->callback([&] { action = [&] { return run_duty_fulfilments(g); }; });

    const auto add_duty_read = [&](CLI::App* cmd, DutyReadOptions& r) {
        cmd->add_option("--period", r.period, "the period: 2026-02, 2026-Q1, 2026-H1, 2026")
            ->required();
        add_at(cmd, r.at, "read at this instant (default now)");
        cmd->add_option("--subject", r.subject,
                        "only those of a person, of a node and below, or of an overlay unit")
            ->type_name("CODE");
    };
    DutyOccurrencesOptions docc;
    CLI::App* c_docc = c_duty->add_subcommand(
        "occurrences", "the occurrences due in a period: done on time, late, open or missed");
    add_duty_read(c_docc, docc.read);
    c_docc->add_option("--format", docc.format,
                       "table (default), csv or json (default by extension)");
    c_docc->add_option("-o,--output", docc.output, "file (default standard output)");
    c_docc->callback([&] { action = [&] { return run_duty_occurrences(g, docc); }; });

    DutyReadOptions dfind;
    CLI::App* c_dfind = c_duty->add_subcommand(
        "findings", "the missed occurrences and those nobody holds (duty.missed, duty.unheld)");
    add_duty_read(c_dfind, dfind);
    c_dfind->callback([&] { action = [&] { return run_duty_findings(g, dfind); }; });

    // inspection ...
    CLI::App* c_insp = app.add_subcommand(
        "inspection", "inspections (督导考核): record them, the tasks of a draw, the indicators");
    c_insp->group("oversight");
    c_insp->require_subcommand(1);
    c_insp->fallthrough();

    OversightFileOptions irec;
    CLI::App* c_irec = c_insp->add_subcommand(
        "record", "record inspections from a JSON file (an array), all or nothing");
    c_irec->add_option("file", irec.file, "the JSON file")->required()->type_name("FILE");
    c_irec->callback([&] { action = [&] { return run_inspection_record(g, irec); }; });

    CLI::App* c_ilist = c_insp->add_subcommand("list", "the inspections recorded");
    c_ilist->callback([&] { action = [&] { return run_inspection_list(g); }; });

    InspectionTasksOptions itask;
    CLI::App* c_itask = c_insp->add_subcommand(
        "tasks", "the tasks of a recorded draw: one per pick, done or not, and what was found");
    c_itask->add_option("label", itask.label, "the draw's label, e.g. 2026-03")->required();
    c_itask->callback([&] { action = [&] { return run_inspection_tasks(g, itask); }; });

    OversightValuesOptions ival;
    CLI::App* c_ival = c_insp->add_subcommand(
        "values", "the inspection indicators (inspection_*) of a subject over a period");
    c_ival
        ->add_option("subject", ival.subject,
                     "a node code (with its subtree), an overlay unit as sanbao:Z01, a "
                     "department, a person or a record key")
        ->required()
        ->type_name("CODE");
    c_ival->add_option("period", ival.period, "the period: 2026-03, 2026-Q1, 2026-H1, 2026")
        ->required();
    c_ival->callback([&] { action = [&] { return run_inspection_values(g, ival); }; });

    // promise ...
    CLI::App* c_prom = app.add_subcommand(
        "promise", "promises of matters and their ratings (一事一诺一评价), the monthly board");
    c_prom->group("oversight");
    c_prom->require_subcommand(1);
    c_prom->fallthrough();

    OversightFileOptions prec;
    CLI::App* c_prec = c_prom->add_subcommand(
        "record", "record promises from a JSON file (an array), all or nothing");
    c_prec->add_option("file", prec.file, "the JSON file")->required()->type_name("FILE");
    c_prec->callback([&] { action = [&] { return run_promise_record(g, prec); }; });

    OversightFileOptions prate;
    CLI::App* c_prate = c_prom->add_subcommand(
        "rate", "record ratings of promises from a JSON file (an array), all or nothing");
    c_prate->add_option("file", prate.file, "the JSON file")->required()->type_name("FILE");
    c_prate->callback([&] { action = [&] { return run_promise_rate(g, prate); }; });

    PromiseListOptions plist;
    CLI::App* c_plist = c_prom->add_subcommand(
        "list", "every promise with its matter's progress and its scores, read at an instant");
    add_at(c_plist, plist.at, "read at this instant (default now)");
    c_plist->callback([&] { action = [&] { return run_promise_list(g, plist); }; });

    PromiseBoardOptions pboard;
    CLI::App* c_pboard = c_prom->add_subcommand(
        "board", "the monthly public list of matters (网格服务办事进度表): table, JSON or HTML");
    c_pboard->add_option("month", pboard.month, "the month, e.g. 2026-03")->required();
    c_pboard->add_option("--place", pboard.place, "node code: its subtree (default everywhere)")
        ->type_name("CODE");
    add_at(c_pboard, pboard.at, "read at this instant when earlier (default the month's end)");
    c_pboard
        ->add_option("--html", pboard.html, "write the HTML page to FILE ('-': standard output)")
        ->type_name("FILE");
    c_pboard->callback([&] { action = [&] { return run_promise_board(g, pboard); }; });

    OversightValuesOptions pval;
    CLI::App* c_pval = c_prom->add_subcommand(
        "values", "the promise indicators (promise_*) of a grid or a team over a period");
    c_pval
        ->add_option("subject", pval.subject,
                     "a node code (the promises placed in its subtree) or a team's record key")
        ->required()
        ->type_name("CODE");
    c_pval->add_option("period", pval.period, "the period: 2026-03, 2026-Q1, 2026-H1, 2026")
        ->required();
    c_pval->callback([&] { action = [&] { return run_promise_values(g, pval); }; });

    // hazard ...
    CLI::App* c_haz = app.add_subcommand(
        "hazard", "hazards (隐患) on their cases: entries recorded, the hazards read, indicators");
    c_haz->group("oversight");
    c_haz->require_subcommand(1);
    c_haz->fallthrough();

    OversightFileOptions hrec;
    CLI::App* c_hrec = c_haz->add_subcommand(
        "record", "record hazard entries from a JSON file (an array), all or nothing");
    c_hrec->add_option("file", hrec.file, "the JSON file")->required()->type_name("FILE");
    c_hrec->callback([&] { action = [&] { return run_hazard_record(g, hrec); }; });

    CLI::App* c_hent = c_haz->add_subcommand("entries", "the hazard entries recorded");
    c_hent->callback([&] { action = [&] { return run_hazard_entries(g); }; });

    HazardListOptions hlist;
    CLI::App* c_hlist = c_haz->add_subcommand(
        "list", "every hazard with its grade, deadline, progress and status, read at an instant");
    add_at(c_hlist, hlist.at, "read at this instant (default now)");
    c_hlist->callback([&] { action = [&] { return run_hazard_list(g, hlist); }; });

    OversightValuesOptions hval;
    CLI::App* c_hval = c_haz->add_subcommand(
        "values", "the hazard indicators (hazard_*) of a subject over a period");
    c_hval
        ->add_option("subject", hval.subject,
                     "a node code (with its subtree), an overlay unit as fire:M1 (the grids it "
                     "covers) or a record key")
        ->required()
        ->type_name("CODE");
    c_hval->add_option("period", hval.period, "the period: 2026-03, 2026-Q1, 2026-H1, 2026")
        ->required();
    c_hval->callback([&] { action = [&] { return run_hazard_values(g, hval); }; });

    // Every argument is text that may end up stored: it must be UTF-8 (the library checks
    // each field's control characters where the value is used).
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (const auto problem = gridgov::detail::utf8_error_offset(arg)) {
            const std::string_view option = argv[i - 1];
            std::cerr << "gridgov: argument " << i
                      << (i > 1 && option.size() > 1 && option[0] == '-'
                              ? " (the value of " + std::string(option) + ")"
                              : std::string())
                      << ": "
                      << gridgov::detail::text_problem(arg, gridgov::detail::TextKind::free)
                             .value_or("not UTF-8 text")
                      << '\n';
            return exit_input;
        }
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? exit_ok : exit_usage;
    }
    if (!action)
        return exit_usage;
    // copy names both workspaces itself; a preset's kinds, the duty presets, a new signing
    // key and the standalone verifier need none.
    if (g.workspace.empty() && !c_cpy->parsed() &&
        !(c_rkinds->parsed() && !rkinds.preset.empty()) && !c_dpresets->parsed() &&
        !c_akey->parsed() && !c_averify->parsed()) {
        std::cerr << "gridgov: no workspace: pass -w FILE or set GRIDGOV_WORKSPACE\n";
        return exit_usage;
    }
    try {
        return action();
    } catch (const gridgov::Error& e) {
        std::cerr << "gridgov: " << e.what() << '\n';
        return exit_code_for(e.code());
    } catch (const std::bad_alloc&) {
        std::cerr << "gridgov: out of memory\n";
        return exit_internal;
    } catch (const std::exception& e) {
        std::cerr << "gridgov: " << e.what() << '\n';
        return exit_internal;
    }
}
