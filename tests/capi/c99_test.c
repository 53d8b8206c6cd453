/* Compiled as strict C99 with -Wpedantic -Werror: the header is plain C, and a C program
 * links and runs against the shared library alone. It builds a small township in an
 * in-memory workspace, rolls the household counts up, validates against the 150-household
 * sizing preset and exports the result, as an integrator's program would, then keeps a few
 * records of residents in it, the weekly reports its grids owe, an inspection of one of
 * them and a fire hazard it found. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gridgov.h"

#define CHECK(call)                                                                \
    do {                                                                           \
        int status_ = (call);                                                      \
        if (status_ != GRIDGOV_OK) {                                               \
            fprintf(stderr, "%s:%d: %s: %s (%s)\n", __FILE__, __LINE__, #call,     \
                    gridgov_status_string(status_), gridgov_last_error_message()); \
            return 1;                                                              \
        }                                                                          \
    } while (0)

struct grid {
    const char* code;
    const char* parent;
    const char* name;
    const char* level;
    double households;
};

static const struct grid township[] = {
    {"371327101", "", "岸堤镇", "township", NAN},
    {"371327101001", "371327101", "东岭村", "village", NAN},
    {"371327101001001", "371327101001", "东岭一网格", "grid", 152},
    {"371327101001002", "371327101001", "东岭二网格", "grid", 148},
    {"371327101002", "371327101", "西河村", "village", NAN},
    {"371327101002001", "371327101002", "西河一网格", "grid", 139},
    {"371327101002002", "371327101002", "西河二网格", "grid", 236},
};
#define TOWNSHIP_SIZE (sizeof township / sizeof township[0])

static int run(gridgov_workspace* ws) {
    gridgov_node_spec specs[TOWNSHIP_SIZE];
    gridgov_node_id ids[TOWNSHIP_SIZE];
    double households[TOWNSHIP_SIZE];
    gridgov_node_id* villages = NULL;
    gridgov_validation_options options;
    gridgov_findings* findings = NULL;
    size_t count = 0;
    size_t i;
    char* json = NULL;
    gridgov_node_id missing = 0;

    for (i = 0; i < TOWNSHIP_SIZE; ++i) {
        CHECK(gridgov_node_spec_init(&specs[i], GRIDGOV_NODE_SPEC_VERSION));
        specs[i].code = township[i].code;
        specs[i].parent_code = township[i].parent;
        specs[i].name = township[i].name;
        specs[i].level = township[i].level;
        specs[i].area_type = GRIDGOV_AREA_RURAL;
        specs[i].households = township[i].households;
    }
    CHECK(gridgov_hierarchy_add_nodes(ids, ws, specs, TOWNSHIP_SIZE, "2024-01-01"));

    CHECK(gridgov_hierarchy_roll_up(households, TOWNSHIP_SIZE, ws, "households", GRIDGOV_STAT_SUM));
    CHECK(gridgov_hierarchy_nodes_at_level(&villages, &count, ws, "village"));
    for (i = 0; i < count; ++i) {
        const char* name = NULL;
        CHECK(gridgov_hierarchy_name(&name, ws, villages[i]));
        printf("%s: %.0f households\n", name, households[villages[i]]);
    }
    gridgov_free(villages);
    printf("%s: %.0f households\n", township[0].name, households[ids[0]]);
    if (households[ids[0]] != 675) {
        fprintf(stderr, "expected 675 households in the township\n");
        return 1;
    }

    CHECK(gridgov_validation_options_init(&options, GRIDGOV_VALIDATION_OPTIONS_VERSION));
    options.sizing = "rural_township_150";
    CHECK(gridgov_hierarchy_validate(&findings, ws, &options));
    CHECK(gridgov_findings_count(&count, findings));
    for (i = 0; i < count; ++i) {
        const char* where = NULL;
        const char* message = NULL;
        CHECK(gridgov_findings_where(&where, findings, i));
        CHECK(gridgov_findings_message(&message, findings, i));
        printf("finding at %s: %s\n", where, message);
    }
    gridgov_findings_destroy(findings);
    if (count != 1) {
        fprintf(stderr, "expected one sizing finding, got %lu\n", (unsigned long)count);
        return 1;
    }

    CHECK(gridgov_hierarchy_export_text(&json, ws, GRIDGOV_FORMAT_JSON));
    if (strstr(json, "371327101002002") == NULL) {
        fprintf(stderr, "the export lacks a grid\n");
        gridgov_free(json);
        return 1;
    }
    printf("exported %lu bytes of JSON\n", (unsigned long)strlen(json));
    gridgov_free(json);

    if (gridgov_hierarchy_find(&missing, ws, "371327101009") != GRIDGOV_ENOTFOUND ||
        strstr(gridgov_last_error_message(), "371327101009") == NULL) {
        fprintf(stderr, "an unknown code must be GRIDGOV_ENOTFOUND naming it\n");
        return 1;
    }
    return 0;
}

/* Assessment: a preset scheme, two scores ranked, a draw recorded and verified, the
 * scores stored in the workspace and read back as JSON. */
static int run_assessment(gridgov_workspace* ws) {
    gridgov_assessment_scheme* scheme = NULL;
    gridgov_indicator_values* values = NULL;
    gridgov_score* scores[2] = {NULL, NULL};
    const gridgov_score* stored[2];
    char* json = NULL;
    char* record = NULL;
    int defined = 0;
    int ok = 0;
    double total = 0;
    int32_t rank = 0;
    size_t peers = 0;

    CHECK(gridgov_assessment_scheme_preset(&scheme, NULL, "urban_supervisor"));
    CHECK(gridgov_indicator_values_create(&values));
    CHECK(gridgov_indicator_values_set(values, "valid_report_rate", 90));
    CHECK(gridgov_indicator_values_add_source(values, "valid_report_rate", "C-1"));
    CHECK(gridgov_indicator_values_set(values, "missed_rate", 10));
    CHECK(gridgov_indicator_values_set(values, "on_time_verify_rate", 80));
    CHECK(gridgov_indicator_values_set(values, "on_time_check_rate", 70));
    CHECK(gridgov_assessment_score(&scores[0], scheme, "S1", "worker", NULL, "2026-03", values));
    CHECK(gridgov_indicator_values_set_undefined(values, "on_time_check_rate", "nothing to check"));
    CHECK(gridgov_assessment_score(&scores[1], scheme, "S2", "worker", NULL, "2026-03", values));
    gridgov_indicator_values_destroy(values);
    CHECK(gridgov_assessment_rank(scores, 2));
    /* S1: 0.4*90 + 0.2*90 + 0.2*80 + 0.2*70 = 84; S2 leaves the check rate out and scales
     * the rest up: (36 + 18 + 16) / 0.8 = 87.5, so S2 ranks first. */
    CHECK(gridgov_score_total(&defined, &total, scores[0]));
    CHECK(gridgov_score_rank(&rank, &peers, scores[0]));
    if (!defined || fabs(total - 84.0) > 1e-9 || rank != 2 || peers != 2) {
        fprintf(stderr, "S1: total %f rank %d of %lu\n", total, (int)rank, (unsigned long)peers);
        return 1;
    }
    CHECK(gridgov_score_total(&defined, &total, scores[1]));
    if (!defined || fabs(total - 87.5) > 1e-9) {
        fprintf(stderr, "S2: total %f\n", total);
        return 1;
    }
    stored[0] = scores[0];
    stored[1] = scores[1];
    CHECK(gridgov_assessment_store_scores(ws, stored, 2));
    gridgov_score_destroy(scores[0]);
    gridgov_score_destroy(scores[1]);
    CHECK(gridgov_assessment_scores_json(&json, ws, "urban_supervisor", "S2", NULL, NULL));
    if (strstr(json, "\"rank\":1") == NULL) {
        fprintf(stderr, "stored S2 is not ranked first: %s\n", json);
        gridgov_free(json);
        return 1;
    }
    gridgov_free(json);

    CHECK(gridgov_assessment_draw(
        &record, "{\"seed\": 7, \"count\": 2, \"candidates\": [\"a\", \"b\", \"c\"]}"));
    CHECK(gridgov_assessment_verify_draw(&ok, record));
    if (ok != 1) {
        gridgov_free(record);
        return 1;
    }
    CHECK(gridgov_assessment_record_draw(ws, "2026-03", record));
    gridgov_free(record);
    if (gridgov_assessment_record_draw(ws, "2026-03", "{}") != GRIDGOV_EINVAL) {
        fprintf(stderr, "a record without algorithm must be GRIDGOV_EINVAL\n");
        return 1;
    }
    gridgov_assessment_scheme_destroy(scheme);
    printf("assessment: S1 84, S2 87.5, one draw recorded\n");
    return 0;
}

/* Records: two residents added as JSON text, one with an ID number whose check character
 * is wrong (kept as written and reported as a finding), read back masked by the system
 * (a read names its reader) and counted per node code. */
static int run_records(gridgov_workspace* ws) {
    static const char* const residents =
        "[{\"key\": \"R1\", \"kind\": \"resident\", \"node\": \"371327101001001\","
        " \"fields\": {\"name\": \"李四\", \"registration\": \"户籍人口\","
        " \"id_number\": \"110101199003070000\"}},"
        " {\"key\": \"R2\", \"kind\": \"resident\", \"node\": \"371327101002001\","
        " \"fields\": {\"name\": \"王五\", \"registration\": \"流动人口\"}}]";
    gridgov_record_reader* reader = NULL;
    char* findings = NULL;
    char* record = NULL;
    char* totals = NULL;
    size_t count = 0;
    int ok;

    CHECK(gridgov_record_reader_system(&reader, "c99 check", 0));
    if (gridgov_records_add_json(&findings, ws, residents, "2024-01-01") != GRIDGOV_OK) {
        fprintf(stderr, "records: %s\n", gridgov_last_error_message());
        gridgov_record_reader_destroy(reader);
        return 1;
    }
    ok = gridgov_records_count(&count, ws, "resident") == GRIDGOV_OK &&
         gridgov_records_get_json(&record, ws, reader, "R1", NULL) == GRIDGOV_OK &&
         gridgov_records_roll_up_json(&totals, ws, "resident", NULL, NULL) == GRIDGOV_OK;
    ok = ok && count == 2 && strstr(findings, "\"rule\":\"records.id_number\"") != NULL &&
         strstr(record, "\"1101**********0000\"") != NULL &&
         strstr(totals, "\"371327101\":2") != NULL && strstr(totals, "\"371327101001\":1") != NULL;
    if (!ok) {
        fprintf(stderr, "records: %s | %s | %s | %s\n", findings, record ? record : "",
                totals ? totals : "", gridgov_last_error_message());
    }
    gridgov_free(findings);
    gridgov_free(record);
    gridgov_free(totals);
    gridgov_record_reader_destroy(reader);
    if (!ok)
        return 1;
    if (gridgov_records_move(ws, "R2", "371327101009001", "2024-02-01") != GRIDGOV_ENOTFOUND ||
        strstr(gridgov_last_error_message(), "371327101009001") == NULL) {
        fprintf(stderr, "an unknown node code must be GRIDGOV_ENOTFOUND naming it\n");
        return 1;
    }
    printf("records: 2 residents, 1 finding\n");
    return 0;
}

/* Instants as other programs write them: JavaScript's toISOString(), Java's Instant, an
 * offset without a colon; a malformed one is GRIDGOV_EINVAL naming the parameter. */
static int run_instants(void) {
    static const char* const forms[] = {"2026-03-02T09:00", "2026-03-02T01:00:00.000Z",
                                        "2026-03-02T01:00:00.123456789Z", "2026-03-02T09:00+0800",
                                        "2026-03-01T20:00:00-05:00"};
    const int64_t nine = 1772413200; /* 2026-03-02T09:00+08:00 */
    const char* bad = "iso: \"2026-03-02T25:00\" is not an ISO 8601 instant";
    int64_t t = 0;
    size_t i;
    for (i = 0; i < sizeof forms / sizeof forms[0]; ++i) {
        CHECK(gridgov_instant_parse(&t, forms[i]));
        if (t != nine) {
            fprintf(stderr, "%s read as %lld\n", forms[i], (long long)t);
            return 1;
        }
    }
    if (gridgov_instant_parse(&t, "2026-03-02T25:00") != GRIDGOV_EINVAL ||
        strncmp(gridgov_last_error_message(), bad, strlen(bad)) != 0) {
        fprintf(stderr, "a bad instant: %s\n", gridgov_last_error_message());
        return 1;
    }
    printf("instants: %d forms read\n", (int)(sizeof forms / sizeof forms[0]));
    return 0;
}

/* A period's cases as columns, as docs/c-api.md shows it: none in a workspace without
 * cases, and a field that was not read is refused by name. */
static int run_case_columns(gridgov_workspace* ws) {
    gridgov_case_filter march;
    const int32_t fields[] = {GRIDGOV_FIELD_NUMBER, GRIDGOV_FIELD_CLOSED_AT};
    gridgov_case_columns* cols = NULL;
    const int64_t* closed = NULL;
    size_t n = 1;
    CHECK(gridgov_case_filter_init(&march, GRIDGOV_CASE_FILTER_VERSION));
    CHECK(gridgov_instant_parse(&march.reported_from, "2024-03-01T00:00"));
    CHECK(gridgov_instant_parse(&march.reported_until, "2024-04-01T00:00"));
    CHECK(gridgov_cases_columns(&cols, ws, &march, fields, 2));
    CHECK(gridgov_case_columns_count(&n, cols));
    CHECK(gridgov_case_columns_integers(&closed, cols, GRIDGOV_FIELD_CLOSED_AT));
    if (n != 0 || closed != NULL ||
        gridgov_case_columns_integers(&closed, cols, GRIDGOV_FIELD_ID) != GRIDGOV_EINVAL) {
        fprintf(stderr, "case columns: %u rows, %s\n", (unsigned)n, gridgov_last_error_message());
        gridgov_case_columns_destroy(cols);
        return 1;
    }
    gridgov_case_columns_destroy(cols);
    printf("case columns: %u rows in March\n", (unsigned)n);
    return 0;
}

/* Duties on a schedule: the township's roles, one 信息员 on post A, the seed defaults, a
 * weekly report recorded as JSON text and February 2026 read back as occurrences, findings
 * (the grids nobody holds) and indicator values. */
static int run_duties(gridgov_workspace* ws) {
    static const char* const reports =
        "[{\"id\": \"F1\", \"duty\": \"grid_weekly_report\", \"place\": \"371327101001001\","
        " \"person\": \"P1\", \"at\": \"2026-02-06T16:00\", \"evidence\": [\"W06.pdf\"]}]";
    gridgov_person_spec person;
    gridgov_findings* findings = NULL;
    gridgov_indicator_values* values = NULL;
    char* keys = NULL;
    char* occurrences = NULL;
    char* indicators = NULL;
    uint64_t post = 0;
    size_t added = 0;
    size_t count = 0;
    int64_t as_of = 0;
    int ok;

    CHECK(gridgov_duties_preset_keys(&keys));
    ok = strstr(keys, "seed_defaults\n") != NULL;
    gridgov_free(keys);
    if (!ok)
        return 1;
    CHECK(gridgov_directory_use_preset(ws, "township_000"));
    CHECK(gridgov_person_spec_init(&person, GRIDGOV_PERSON_SPEC_VERSION));
    person.id = "P1";
    person.name = "赵大山";
    CHECK(gridgov_directory_add_person(ws, &person));
    CHECK(gridgov_directory_add_assignment(&post, ws, "P1", "grid_information_officer",
                                           "371327101001001", GRIDGOV_POST_A, "2025-01-01", NULL));
    CHECK(gridgov_duties_use_preset(ws, "seed_defaults"));
    CHECK(gridgov_duties_add_fulfilments_json(&added, ws, reports, "reports.json"));
    CHECK(gridgov_instant_parse(&as_of, "2026-03-02T09:00"));
    CHECK(gridgov_duties_occurrences_json(&occurrences, ws, "2026-02", as_of, "P1"));
    CHECK(gridgov_duties_findings(&findings, ws, "2026-02", as_of, NULL));
    CHECK(gridgov_findings_count(&count, findings));
    gridgov_findings_destroy(findings);
    CHECK(gridgov_indicator_values_create(&values));
    ok = gridgov_indicator_values_add_duties(values, ws, "2026-02", as_of, "371327101001001") ==
             GRIDGOV_OK &&
         gridgov_indicator_values_json(&indicators, values) == GRIDGOV_OK;
    gridgov_indicator_values_destroy(values);
    ok = ok && added == 1 && count > 0 &&
         strstr(occurrences, "\"label\":\"2026-W06\",\"place\":\"371327101001001\"") != NULL &&
         strstr(occurrences, "\"status\":\"done_on_time\"") != NULL &&
         strstr(indicators, "\"duty_done_on_time\":{\"value\":1.0") != NULL;
    if (!ok) {
        fprintf(stderr, "duties: %s | %s | %s\n", occurrences, indicators ? indicators : "",
                gridgov_last_error_message());
    }
    gridgov_free(occurrences);
    gridgov_free(indicators);
    if (!ok)
        return 1;
    printf("duties: 1 report on time, %lu findings\n", (unsigned long)count);
    return 0;
}

/* Oversight: a draw of one grid recorded for April and inspected by P1 with one finding,
 * the draw's task read back as done, a major fire hazard the inspection found reported
 * on the hazard_rectification workflow with its entry (grade, deadline, progress), the
 * hazards read at the end of April (overdue), the month's indicator values of the grid,
 * and the board of promises (none yet) as a page. */
static int run_oversight(gridgov_workspace* ws) {
    static const char* const visit =
        "[{\"id\": \"I1\", \"draw\": \"2026-04\", \"subject\": \"371327101001001\","
        " \"at\": \"2026-04-08T10:00\", \"inspectors\": [\"P1\"],"
        " \"findings\": [{\"item\": \"门前三包: 乱摆乱卖\", \"deduction\": 2}]}]";
    static const char* const entry =
        "[{\"id\": \"E1\", \"case\": \"2026-F1\", \"at\": \"2026-04-08T11:00\","
        " \"person\": \"P1\", \"found_by\": \"I1\", \"grade\": \"major\","
        " \"deadline\": \"2026-04-20\", \"progress\": 20}]";
    gridgov_indicator_values* values = NULL;
    gridgov_report hazard;
    gridgov_case_id hazard_id = GRIDGOV_NO_CASE;
    char* record = NULL;
    char* tasks = NULL;
    char* entries = NULL;
    char* hazards = NULL;
    char* indicators = NULL;
    char* page = NULL;
    size_t added = 0;
    size_t entries_added = 0;
    int64_t end_of_april = 0;
    int ok;

    CHECK(gridgov_assessment_draw(
        &record, "{\"seed\": 1, \"count\": 1, \"candidates\": [\"371327101001001\"]}"));
    ok = gridgov_assessment_record_draw(ws, "2026-04", record) == GRIDGOV_OK;
    gridgov_free(record);
    if (!ok) {
        fprintf(stderr, "oversight: %s\n", gridgov_last_error_message());
        return 1;
    }
    CHECK(gridgov_oversight_add_inspections_json(&added, ws, visit, "visit.json"));
    CHECK(gridgov_oversight_tasks_json(&tasks, ws, "2026-04"));
    CHECK(gridgov_report_init(&hazard, GRIDGOV_REPORT_VERSION));
    hazard.workflow = "hazard_rectification";
    hazard.category = "G0201";
    hazard.node_code = "371327101001001";
    hazard.actor = "P1";
    hazard.number = "2026-F1";
    CHECK(gridgov_instant_parse(&hazard.at, "2026-04-08T10:30"));
    CHECK(gridgov_cases_report(&hazard_id, ws, &hazard));
    CHECK(gridgov_oversight_add_hazard_entries_json(&entries_added, ws, entry, "entry.json"));
    CHECK(gridgov_oversight_hazard_entries_json(&entries, ws));
    CHECK(gridgov_instant_parse(&end_of_april, "2026-04-30T23:00"));
    CHECK(gridgov_oversight_hazards_json(&hazards, ws, end_of_april));
    CHECK(gridgov_indicator_values_create(&values));
    ok = gridgov_indicator_values_add_oversight(values, ws, "371327101001001", "2026-04") ==
             GRIDGOV_OK &&
         gridgov_indicator_values_json(&indicators, values) == GRIDGOV_OK &&
         gridgov_oversight_board_html(&page, ws, "2026-04", NULL, GRIDGOV_NO_INSTANT) == GRIDGOV_OK;
    gridgov_indicator_values_destroy(values);
    ok = ok && added == 1 && strstr(tasks, "\"done\":true") != NULL && entries_added == 1 &&
         strstr(entries, "\"grade\":\"major\"") != NULL &&
         strstr(hazards, "\"status\":\"overdue\"") != NULL &&
         strstr(hazards, "\"progress\":20") != NULL &&
         strstr(indicators, "\"inspection_deduction\":{\"value\":2.0") != NULL &&
         strstr(indicators, "\"hazards_major\":{\"value\":1.0") != NULL &&
         strstr(indicators, "\"hazards_overdue\":{\"value\":1.0") != NULL &&
         strstr(page, "<html") != NULL;
    if (!ok) {
        fprintf(stderr, "oversight: %s | %s | %s | %s | %s\n", tasks, entries, hazards,
                indicators ? indicators : "", gridgov_last_error_message());
    }
    gridgov_free(tasks);
    gridgov_free(entries);
    gridgov_free(hazards);
    gridgov_free(indicators);
    gridgov_free(page);
    if (!ok)
        return 1;
    if (gridgov_oversight_tasks_json(&tasks, ws, "2026-05") != GRIDGOV_ENOTFOUND ||
        strstr(gridgov_last_error_message(), "2026-05") == NULL) {
        fprintf(stderr, "a draw never recorded must be GRIDGOV_ENOTFOUND naming it\n");
        return 1;
    }
    printf("oversight: 1 inspection, 2 points deducted, 1 major hazard overdue\n");
    return 0;
}

int main(void) {
    gridgov_workspace* ws = NULL;
    int result;

    if (strcmp(gridgov_version(), GRIDGOV_VERSION_STRING) != 0) {
        fprintf(stderr, "header %s but library %s\n", GRIDGOV_VERSION_STRING, gridgov_version());
        return 1;
    }
    if (gridgov_abi_version() != GRIDGOV_C_ABI_CURRENT) {
        fprintf(stderr, "ABI mismatch\n");
        return 1;
    }
    if (strcmp(gridgov_last_error_message(), "") != 0)
        return 1;
    gridgov_free(NULL);
    gridgov_workspace_close(NULL);
    printf("c99: gridgov %s, C ABI %d, workspace schema %d\n", gridgov_version(),
           gridgov_abi_version(), gridgov_workspace_schema_version());
    if (run_instants() != 0)
        return 1;

    CHECK(gridgov_workspace_open(&ws, ":memory:", GRIDGOV_OPEN_CREATE));
    result = run(ws);
    if (result == 0)
        result = run_assessment(ws);
    if (result == 0)
        result = run_case_columns(ws);
    if (result == 0)
        result = run_records(ws);
    if (result == 0)
        result = run_duties(ws);
    if (result == 0)
        result = run_oversight(ws);
    gridgov_workspace_close(ws);
    return result;
}
