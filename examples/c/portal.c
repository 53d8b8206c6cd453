/* A portal-style integration of gridgov in C99, through the C ABI alone (gridgov.h and
 * libgridgov.so): the kind of program a township's grid portal or dispatch system runs
 * when it embeds gridgov.
 *
 *   gridgov_portal [data-folder] [workspace]
 *
 * It creates a workspace (in a fresh temporary folder, removed at the end, unless a
 * workspace path is given: that file is recreated and kept), imports the sample county's
 * hierarchy and directory from the data folder (examples/data), sets up the township's
 * six-step workflow with the sample county's departments, and then:
 *
 *   - a grid information officer (网格信息员) of 青石村第一网格 reports exposed rubbish
 *     (E0102 暴露垃圾);
 *   - the township's social-management service centre (社会管理服务中心) files it and
 *     dispatches it, routing choosing the township's sanitation office (环卫所);
 *   - the office accepts it and reports back with a photo; the village grid leader
 *     (二级网格长) checks it; the centre closes it and the engine archives it;
 *   - a second matter, reported in 青石村第二网格, is left waiting in the office;
 *
 * reading the handling deadline and its traffic light on the way, with an observer
 * (a function pointer and user data) that prints every transition as it is committed.
 * It exits 0 when everything went as described, 1 with gridgov's message otherwise. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp(), rmdir() */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gridgov.h"

#ifndef GRIDGOV_EXAMPLES_DATA
#define GRIDGOV_EXAMPLES_DATA "examples/data"
#endif

/* The sample county's people who hold the posts the six-step loop names (see
 * examples/data/assignments.csv and departments.json). */
#define TOWNSHIP "371338102"       /* 青石镇 */
#define VILLAGE "371338102201"     /* 青石村 */
#define GRID_ONE "371338102201001" /* 青石村第一网格 */
#define GRID_TWO "371338102201002" /* 青石村第二网格 */
#define OFFICER "P0004"            /* 康磊建, 网格信息员 (post A) of the first grid */
#define OFFICER_TWO "P0005"        /* 郭建海, 网格信息员 (post A) of the second grid */
#define LEADER "P0002"             /* 乔燕静, 二级网格长 of 青石村 */
#define CENTRE "P0201"             /* 吴军军, 青石镇社会管理服务中心主任 */
#define SANITATION "P0202"         /* 戴强浩, 青石镇环卫所所长 */

/* ---- plumbing ------------------------------------------------------------------------ */

static int fail(const char* what, int status) {
    fprintf(stderr, "portal: %s failed: %s (%s)\n", what, gridgov_last_error_message(),
            gridgov_status_string(status));
    return status;
}

/* Runs a gridgov call and jumps to `done` with its status when it fails. */
#define CHECK(what, call)           \
    do {                            \
        status = (call);            \
        if (status != GRIDGOV_OK) { \
            fail(what, status);     \
            goto done;              \
        }                           \
    } while (0)

/* Reads a whole file into a NUL-terminated buffer (free()). NULL when it cannot. */
static char* read_file(const char* path) {
    FILE* f = fopen(path, "rb");
    char* text = NULL;
    long size;
    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        text = malloc((size_t)size + 1);
        if (text != NULL && fread(text, 1, (size_t)size, f) == (size_t)size) {
            text[size] = '\0';
        } else {
            free(text);
            text = NULL;
        }
    }
    fclose(f);
    return text;
}

static void join(char* out, size_t capacity, const char* folder, const char* name) {
    snprintf(out, capacity, "%s/%s", folder, name);
}

/* "2026-03-02 09:45" from an instant (China Standard Time). */
static void clock_text(char out[17], int64_t instant) {
    char* iso = NULL;
    if (instant == GRIDGOV_NO_INSTANT || gridgov_instant_format(&iso, instant) != GRIDGOV_OK) {
        strcpy(out, "-");
        return;
    }
    memcpy(out, iso, 16); /* "2026-03-02T09:45:00+08:00" */
    out[10] = ' ';
    out[16] = '\0';
    gridgov_free(iso);
}

static int64_t at(const char* iso) {
    int64_t t = GRIDGOV_NO_INSTANT;
    if (gridgov_instant_parse(&t, iso) != GRIDGOV_OK) {
        fprintf(stderr, "portal: bad instant %s\n", iso);
        exit(1);
    }
    return t;
}

static const char* light_name(int light) {
    switch (light) {
        case GRIDGOV_LIGHT_GREEN:
            return "green";
        case GRIDGOV_LIGHT_YELLOW:
            return "yellow";
        case GRIDGOV_LIGHT_RED:
            return "red";
        default:
            return "?";
    }
}

/* ---- the observer -------------------------------------------------------------------- */

/* What the observer keeps between calls: the portal's user data. */
typedef struct trace {
    FILE* out;
    unsigned events;
    char path[512]; /* the states the first case went through: "reported > filed > ..." */
    char first_case[32];
} trace;

/* Called once per committed event. The event and its strings are borrowed for the call. */
static int on_transition(const gridgov_case_event* event, void* user_data) {
    trace* t = user_data;
    char when[17];
    size_t used;
    clock_text(when, event->at);
    t->events++;
    fprintf(t->out, "  [observer] #%llu %s %-9s %-10s -> %-10s by %s at %s\n",
            (unsigned long long)event->sequence, event->case_number, event->type,
            event->from_state[0] != '\0' ? event->from_state : "(new)", event->to_state,
            event->system ? "(system)" : event->actor, when);
    if (t->first_case[0] == '\0') {
        snprintf(t->first_case, sizeof t->first_case, "%s", event->case_number);
    }
    if (strcmp(t->first_case, event->case_number) == 0) {
        used = strlen(t->path);
        snprintf(t->path + used, sizeof t->path - used, "%s%s", used > 0 ? " > " : "",
                 event->to_state);
    }
    return 0;
}

/* ---- the portal's actions ------------------------------------------------------------ */

static int fire(gridgov_workspace* ws, gridgov_case_id id, int command, const char* actor,
                const char* when, const char* evidence) {
    gridgov_command c;
    const char* photos[1];
    int status = gridgov_command_init(&c, GRIDGOV_COMMAND_SPEC_VERSION);
    if (status != GRIDGOV_OK) {
        return status;
    }
    c.command = command;
    c.actor = actor;
    c.system = actor == NULL;
    c.at = at(when);
    if (evidence != NULL) {
        photos[0] = evidence;
        c.evidence = photos;
        c.evidence_count = 1;
    }
    return gridgov_cases_fire(NULL, ws, id, &c);
}

/* Prints the current stage's clock of a case read at `when`. */
static int show_clock(const gridgov_workspace* ws, gridgov_case_id id, const char* when) {
    gridgov_clock_status s;
    int has_clock = 0;
    char deadline[17];
    int status = gridgov_cases_clock_status(&s, &has_clock, ws, id, at(when));
    if (status != GRIDGOV_OK) {
        return status;
    }
    if (!has_clock) {
        printf("  clock at %s: none\n", when);
        return GRIDGOV_OK;
    }
    clock_text(deadline, s.deadline);
    printf("  clock at %s: deadline %s, light %s, %lld of %lld working minutes used\n", when,
           deadline, light_name(s.light), (long long)(s.elapsed / 60), (long long)(s.limit / 60));
    return GRIDGOV_OK;
}

/* The commands an actor may give on a case: the buttons of the case's page. */
static int show_menu(const gridgov_workspace* ws, gridgov_case_id id, const char* actor,
                     const char* when) {
    int32_t* commands = NULL;
    size_t count = 0, i;
    const char* name = NULL;
    int status = gridgov_cases_available(&commands, &count, ws, id, actor, at(when), 0);
    if (status != GRIDGOV_OK) {
        return status;
    }
    printf("  menu of %s:", actor);
    for (i = 0; i < count; ++i) {
        if (gridgov_command_name(&name, commands[i]) == GRIDGOV_OK) {
            printf(" %s", name);
        }
    }
    printf("\n");
    gridgov_free(commands);
    return GRIDGOV_OK;
}

/* The sample catalogue has the county's posts but not the case workflow's post of the
 * township centre; the portal adds it (as the workflow_roles fragment defines it) right
 * after the opening bracket of "roles". Returns a malloc()ed document, or NULL. */
static char* with_centre_role(const char* catalogue) {
    static const char role[] =
        "\n    {\"code\": \"service_centre_staff\", \"zh\": \"社会管理服务中心工作人员\", "
        "\"en\": \"Township service centre staff\", \"level\": \"township\", "
        "\"cardinality\": \"any\", \"function\": \"other\", \"duties\": []},";
    const char* roles = strstr(catalogue, "\"roles\"");
    const char* bracket = roles != NULL ? strchr(roles, '[') : NULL;
    size_t head, size;
    char* out;
    if (bracket == NULL) {
        return NULL;
    }
    head = (size_t)(bracket - catalogue) + 1;
    size = strlen(catalogue) + sizeof role;
    out = malloc(size);
    if (out != NULL) {
        memcpy(out, catalogue, head);
        strcpy(out + head, role);
        strcat(out, catalogue + head);
    }
    return out;
}

int main(int argc, char** argv) {
    const char* data = argc > 1 ? argv[1] : GRIDGOV_EXAMPLES_DATA;
    const char* keep = argc > 2 ? argv[2] : NULL;
    char folder[256] = "";
    char path[512], file[600];
    gridgov_workspace* ws = NULL;
    gridgov_findings* findings = NULL;
    gridgov_category_catalogue* categories = NULL;
    gridgov_department_catalogue* departments = NULL;
    gridgov_case_record* record = NULL;
    gridgov_route route = {0, 0, 0, NULL, NULL, NULL};
    gridgov_log_verification verified = {0, 0, 0, 0, 0, NULL, NULL};
    gridgov_report report;
    trace seen;
    char* text = NULL;
    char* catalogue = NULL;
    char* message = NULL;
    const char* string = NULL;
    const char* name = NULL;
    size_t nodes = 0, count = 0, warnings = 0;
    uint64_t token = 0, last = 0, post = 0;
    uint32_t event_count = 0;
    gridgov_directory_import_report people;
    gridgov_case_id matter = GRIDGOV_NO_CASE, second = GRIDGOV_NO_CASE;
    gridgov_node_id grid = GRIDGOV_NO_NODE;
    int status = GRIDGOV_OK, refusal = GRIDGOV_OK, kind = 0;
    static const char* const tables[] = {"people.csv", "units.csv", "assignments.csv",
                                         "absences.csv"};
    size_t i;

    memset(&seen, 0, sizeof seen);
    seen.out = stdout;
    memset(&people, 0, sizeof people);

    printf("gridgov %s (C ABI %d), portal example\n", gridgov_version(), gridgov_abi_version());

    /* 1. The workspace: a fresh file. */
    if (keep != NULL) {
        snprintf(path, sizeof path, "%s", keep);
        remove(path);
        snprintf(file, sizeof file, "%s-wal", path);
        remove(file);
        snprintf(file, sizeof file, "%s-shm", path);
        remove(file);
    } else {
        const char* tmp = getenv("TMPDIR");
        snprintf(folder, sizeof folder, "%s/gridgov-portal-XXXXXX",
                 tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
        if (mkdtemp(folder) == NULL) {
            perror("portal: mkdtemp");
            return 1;
        }
        join(path, sizeof path, folder, "portal.gridgov");
    }
    CHECK("opening the workspace", gridgov_workspace_open(&ws, path, GRIDGOV_OPEN_CREATE));

    /* 2. The county: its hierarchy, the catalogue of posts and the directory. */
    join(file, sizeof file, data, "county.json");
    CHECK("importing the hierarchy",
          gridgov_hierarchy_import_file(&nodes, &findings, ws, file, GRIDGOV_FORMAT_AUTO, NULL));
    CHECK("counting findings", gridgov_findings_count(&count, findings));
    printf("hierarchy: %lu nodes imported from county.json, %lu findings\n", (unsigned long)nodes,
           (unsigned long)count);
    gridgov_findings_destroy(findings);
    findings = NULL;

    join(file, sizeof file, data, "catalogue.json");
    text = read_file(file);
    catalogue = text != NULL ? with_centre_role(text) : NULL;
    if (catalogue == NULL) {
        fprintf(stderr, "portal: cannot read the roles of %s\n", file);
        status = GRIDGOV_ENOTFOUND;
        goto done;
    }
    CHECK("setting the catalogue",
          gridgov_directory_set_catalogue_json(ws, catalogue, "catalogue.json"));
    for (i = 0; i < sizeof tables / sizeof tables[0]; ++i) {
        gridgov_directory_import_report added;
        join(file, sizeof file, data, tables[i]);
        CHECK(tables[i], gridgov_directory_import_file(&added, ws, file, GRIDGOV_TABLE_AUTO));
        people.people += added.people;
        people.units += added.units;
        people.assignments += added.assignments;
        people.absences += added.absences;
    }
    printf("directory: %lu people, %lu units, %lu assignments, %lu absences\n",
           (unsigned long)people.people, (unsigned long)people.units,
           (unsigned long)people.assignments, (unsigned long)people.absences);
    /* The centre's head takes the workflow post at the township. */
    CHECK("assigning the centre's post",
          gridgov_directory_add_assignment(&post, ws, CENTRE, "service_centre_staff", TOWNSHIP,
                                           GRIDGOV_POST_A, "2026-01-01", NULL));
    printf("post %llu: %s holds service_centre_staff at %s from 2026-01-01\n",
           (unsigned long long)post, CENTRE, TOWNSHIP);

    /* 3. The township's case configuration: the six-step loop for grid workers' reports,
     * the combined category catalogue, the county's departments. */
    CHECK("setting the default workflow",
          gridgov_cases_set_default_workflow(ws, GRIDGOV_SOURCE_GRID_WORKER, "township_six_step"));
    CHECK("reading the categories", gridgov_category_catalogue_preset(&categories, "combined"));
    CHECK("setting the categories", gridgov_cases_set_categories(ws, categories));
    CHECK("counting the categories", gridgov_category_catalogue_count(&count, categories));
    CHECK("naming E0102", gridgov_category_catalogue_name(&name, categories, "E0102"));
    printf("categories: %lu (combined preset); E0102 is %s\n", (unsigned long)count, name);

    free(text);
    join(file, sizeof file, data, "departments.json");
    text = read_file(file);
    if (text == NULL) {
        fprintf(stderr, "portal: cannot read %s\n", file);
        status = GRIDGOV_ENOTFOUND;
        goto done;
    }
    CHECK("reading the departments",
          gridgov_department_catalogue_from_json(&departments, text, "departments.json"));
    CHECK("checking the departments",
          gridgov_department_catalogue_validate(&findings, departments, ws, 1));
    CHECK("counting findings", gridgov_findings_count(&warnings, findings));
    CHECK("setting the departments", gridgov_cases_set_departments(ws, departments));
    CHECK("counting the departments", gridgov_department_catalogue_count(&count, departments));
    CHECK("reading the default workflow",
          gridgov_cases_default_workflow(&string, ws, GRIDGOV_SOURCE_GRID_WORKER));
    printf("departments: %lu, %lu findings; grid workers' reports run %s\n", (unsigned long)count,
           (unsigned long)warnings, string);

    /* 4. The observer: every committed event, printed and traced. */
    CHECK("registering the observer", gridgov_cases_observe(&token, ws, on_transition, &seen));

    /* 5. A matter reported at a village grid. */
    printf("\nreport: %s reports exposed rubbish at %s\n", OFFICER, GRID_ONE);
    CHECK("finding the grid", gridgov_hierarchy_find(&grid, ws, GRID_ONE));
    CHECK("naming the grid", gridgov_hierarchy_name(&name, ws, grid));
    CHECK("setting up the report", gridgov_report_init(&report, GRIDGOV_REPORT_VERSION));
    report.category = "E0102";
    report.node_code = GRID_ONE;
    report.actor = OFFICER;
    report.at = at("2026-03-02T09:00");
    report.note = "村口垃圾堆放";
    CHECK("reporting", gridgov_cases_report(&matter, ws, &report));
    CHECK("reading the case", gridgov_cases_get(&record, ws, matter));
    CHECK("reading its number", gridgov_case_record_number(&string, record));
    printf("case %s opened at %s %s\n", string, GRID_ONE, name);
    gridgov_case_record_destroy(record);
    record = NULL;

    /* The portal asks before it offers a button: the officer may not dispatch. */
    {
        gridgov_command c;
        CHECK("setting up a command", gridgov_command_init(&c, GRIDGOV_COMMAND_SPEC_VERSION));
        c.command = GRIDGOV_COMMAND_FILE;
        c.actor = OFFICER;
        c.at = at("2026-03-02T09:05");
        CHECK("checking a command", gridgov_cases_check(&refusal, &message, ws, matter, &c));
        printf("check: %s may not file: %s [%s]\n", OFFICER, message,
               gridgov_status_string(refusal));
        gridgov_free(message);
        message = NULL;
    }
    CHECK("reading the menu", show_menu(ws, matter, CENTRE, "2026-03-02T09:05"));

    /* 6. Dispatch: filed and dispatched by the centre; routing picks the department. */
    CHECK("routing", gridgov_cases_route(&route, ws, "E0102", grid));
    printf("route: %s\n", route.department);
    CHECK("filing", fire(ws, matter, GRIDGOV_COMMAND_FILE, CENTRE, "2026-03-02T09:10", NULL));
    CHECK("dispatching",
          fire(ws, matter, GRIDGOV_COMMAND_DISPATCH, CENTRE, "2026-03-02T09:30", NULL));

    /* 7. Handling: the sanitation office accepts. The handling clock (E0102: 4 working
     * hours) started at the dispatch; the portal reads it as the day goes on. */
    CHECK("accepting",
          fire(ws, matter, GRIDGOV_COMMAND_ACCEPT, SANITATION, "2026-03-02T09:45", NULL));
    CHECK("reading the clock", show_clock(ws, matter, "2026-03-02T11:00"));
    CHECK("reading the clock", show_clock(ws, matter, "2026-03-02T15:00"));
    CHECK("reading the clock", show_clock(ws, matter, "2026-03-02T16:00"));
    CHECK("feeding back", fire(ws, matter, GRIDGOV_COMMAND_FEEDBACK, SANITATION, "2026-03-02T15:10",
                               "photo://qingshi/2026-03-02/e0102-1.jpg"));

    /* 8. Check, close, archive. */
    CHECK("checking",
          fire(ws, matter, GRIDGOV_COMMAND_CHECK_PASS, LEADER, "2026-03-02T16:00", NULL));
    CHECK("closing", fire(ws, matter, GRIDGOV_COMMAND_CLOSE, CENTRE, "2026-03-02T16:30", NULL));
    CHECK("archiving", fire(ws, matter, GRIDGOV_COMMAND_ARCHIVE, NULL, "2026-03-02T17:00", NULL));

    /* 9. A second matter, left with the department. */
    report.node_code = GRID_TWO;
    report.actor = OFFICER_TWO;
    report.at = at("2026-03-03T10:00");
    report.note = "路边垃圾桶满溢";
    CHECK("reporting the second matter", gridgov_cases_report(&second, ws, &report));
    CHECK("filing", fire(ws, second, GRIDGOV_COMMAND_FILE, CENTRE, "2026-03-03T10:20", NULL));
    CHECK("dispatching",
          fire(ws, second, GRIDGOV_COMMAND_DISPATCH, CENTRE, "2026-03-03T10:30", NULL));
    CHECK("accepting",
          fire(ws, second, GRIDGOV_COMMAND_ACCEPT, SANITATION, "2026-03-03T10:40", NULL));

    /* 10. What the portal shows. */
    CHECK("removing the observer", gridgov_cases_unobserve(ws, token));
    CHECK("reading the case", gridgov_cases_get(&record, ws, matter));
    CHECK("reading its number", gridgov_case_record_number(&string, record));
    CHECK("reading its state", gridgov_case_record_state(&name, &kind, record));
    CHECK("reading its events", gridgov_case_record_events(&last, &event_count, record));
    printf("\ncase %s: state %s (%s), department ", string, name,
           kind == GRIDGOV_STATE_KIND_CLOSED ? "closed" : "not closed");
    CHECK("reading its department", gridgov_case_record_department(&string, record));
    printf("%s, %u events\n", string, (unsigned)event_count);
    CHECK("reading the clock of the second matter", show_clock(ws, second, "2026-03-03T15:00"));
    CHECK("verifying the log", gridgov_cases_verify_log(&verified, ws, NULL));
    printf("log: %s, %llu events checked\n", verified.ok ? "intact" : verified.message,
           (unsigned long long)verified.events_checked);
    printf("trace of %s: %s\n", seen.first_case, seen.path);
    printf("observer: %u events\n", seen.events);
    if (!verified.ok || seen.events != event_count + 4) {
        fprintf(stderr, "portal: the log or the observer missed events\n");
        status = GRIDGOV_ERROR;
    }

done:
    gridgov_free(verified.case_number);
    gridgov_free(verified.message);
    gridgov_free(route.department);
    gridgov_free(route.reasoning);
    gridgov_free(route.unit);
    gridgov_case_record_destroy(record);
    gridgov_department_catalogue_destroy(departments);
    gridgov_category_catalogue_destroy(categories);
    gridgov_findings_destroy(findings);
    gridgov_workspace_close(ws);
    free(catalogue);
    free(text);
    if (folder[0] != '\0') {
        remove(path);
        snprintf(file, sizeof file, "%s-wal", path);
        remove(file);
        snprintf(file, sizeof file, "%s-shm", path);
        remove(file);
        rmdir(folder);
    } else if (status == GRIDGOV_OK) {
        printf("workspace kept: %s\n", path);
    }
    return status == GRIDGOV_OK ? 0 : 1;
}
