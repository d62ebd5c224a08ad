/* test_cases.c — the case workflow over a real store (SQLite; PostgreSQL too when AIB_TEST_PG is
 * set) with the shipped data/cases types and policies/routing policies: creation and routing
 * (AUKUS box -> defence review, Excluded Technology List, congressional notification), NATO
 * coverage over an agreement's term, transitions, bad input naming the field with nothing
 * written, and metrics under a pinned clock. */
#include "test.h"
#include "test_store_util.h"

#include "aib/cases.h"

#include <stdio.h>
#include <string.h>

static aib_actor_t gbr = { "olivia", "GBR", "officer" };
static int64_t clock_ms;
static int64_t fixed_clock(void *ctx) { (void)ctx; return clock_ms; }

#define DAY 86400000LL

static int64_t ymd(const char *s)
{
    /* Small local date parser for fixtures: days since epoch via the library's format. */
    int y = 0, m = 0, d = 0;
    int64_t days;
    sscanf(s, "%d-%d-%d", &y, &m, &d);
    y -= m <= 2;
    {
        int64_t era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
        int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
    }
    return days * DAY;
}

/* A membership source standing in for the alliance registry: NATO with dated accessions
 * (Finland 2023-04-04, Sweden 2024-03-07; founders since 1949-08-24). */
static int groups(void *ctx, const char *group, aib_arena_t *arena, aib_membership_t **out, size_t *n)
{
    aib_membership_t *m;
    (void)ctx;
    if (strcmp(group, "NATO") != 0)
        return AIB_ENOTFOUND;
    m = aib_arena_calloc(arena, 4, sizeof(*m));
    m[0] = (aib_membership_t){ "GBR", ymd("1949-08-24"), 0 };
    m[1] = (aib_membership_t){ "FIN", ymd("2023-04-04"), 0 };
    m[2] = (aib_membership_t){ "SWE", ymd("2024-03-07"), 0 };
    *out = m;
    *n = 3;
    return AIB_OK;
}

static aib_cases_t *load(void)
{
    aib_cases_t *cs = NULL;
    aib_diag_t d;
    if (aib_cases_load("data/cases", "policies/routing", &cs, &d) != 0) {
        fprintf(stderr, "load: %s:%d: %s\n", d.file, d.line, d.msg);
        return NULL;
    }
    aib_cases_set_groups(cs, groups, NULL);
    aib_cases_set_clock(cs, fixed_clock, NULL);
    return cs;
}

static int has_tag(const aib_case_t *c, const char *kind, const char *value, const char *policy)
{
    size_t i;
    for (i = 0; i < c->n_tags; i++)
        if (!strcmp(c->tags[i].kind, kind) && !strcmp(c->tags[i].value, value) &&
            (!policy || !strcmp(c->tags[i].policy_id, policy)))
            return 1;
    return 0;
}

#define BODY(s) s, strlen(s)

#define EACH(t, s)                                                                \
    for (int which_ = 0; which_ < tstore_backends(); which_++)                    \
        for (aib_store_t *s = tstore_open(&t, which_), *once_ = (aib_store_t *)1; \
             once_; tstore_done(&t, s), once_ = NULL)                             \
            if (!s) { CHECK(s != NULL); } else

TEST(cases_load_types)
{
    aib_cases_t *cs = load();
    const aib_case_type_def_t *t;
    CHECK(cs != NULL);
    if (!cs)
        return;
    CHECK_INT(aib_cases_type_count(cs), 5);
    t = aib_cases_type_find(cs, "export_licence");
    CHECK(t != NULL);
    CHECK_INT(t->n_subtypes, 4);
    CHECK_STR(t->initial, "submitted");
    t = aib_cases_type_find(cs, "fms_case");
    CHECK_STR(t->initial, "pre-lor");
    CHECK(aib_cases_type_find(cs, "agreement") != NULL);
    CHECK(aib_cases_type_find(cs, "tech_release") != NULL);
    CHECK(aib_cases_type_find(cs, "relocation_petition") != NULL);
    aib_cases_free(cs);
}

TEST(cases_create_routes_aukus_to_defence_review)
{
    tstore_t t;
    aib_cases_t *cs = load();
    CHECK(cs != NULL);
    EACH(t, s) {
        aib_arena_t *a = aib_arena_new(0);
        aib_case_t c;
        aib_buf_t b;
        aib_diag_t d;
        clock_ms = ymd("2025-03-01");
        CHECK_INT(aib_cases_create(cs, s, &gbr, BODY("{\"type\":\"export_licence\",\"subtype\":\"DSP-5\","
                  "\"title\":\"Sonar array\",\"released_to\":[\"USA\",\"AUS\",\"USA\"],"
                  "\"fields\":{\"destination\":\"AUS\",\"boxes\":[\"AUKUS\"],\"value_usd\":1000}}"),
                  a, &c, &d), 0);
        CHECK(strncmp(c.id, "C-", 2) == 0 && strlen(c.id) == 22);
        CHECK_STR(c.nation, "GBR");
        CHECK_INT(c.n_released_to, 2);
        CHECK_STR(c.stage, "defence-review");
        CHECK_STR(c.owner, "DTSA");
        CHECK_INT(c.n_history, 2);
        CHECK_STR(c.history[0].stage, "submitted");
        CHECK_INT(c.history[0].left_at, clock_ms);
        CHECK_STR(c.history[1].by, "policy:route-aukus-defence-review");
        CHECK(has_tag(&c, "route", "defence-review", "route-aukus-defence-review"));
        CHECK(has_tag(&c, "tag", "aukus", "tag-aukus"));
        CHECK(!has_tag(&c, "tag", "congressional-notification", NULL));
        aib_buf_init(&b);
        CHECK_INT(aib_case_to_json(&c, &b), 0);
        CHECK(strstr(b.data, "\"stage\":\"defence-review\"") != NULL);
        CHECK(strstr(b.data, "\"created_at\":\"2025-03-01T00:00:00.000Z\"") != NULL);
        aib_buf_free(&b);
        CHECK(aib_case_visible_to(&c, "AUS"));
        CHECK(aib_case_visible_to(&c, "GBR"));
        CHECK(!aib_case_visible_to(&c, "FRA"));
        /* Without the box the case stays in intake. */
        CHECK_INT(aib_cases_create(cs, s, &gbr, BODY("{\"type\":\"export_licence\",\"subtype\":\"DSP-73\","
                  "\"title\":\"Test kit\",\"fields\":{\"destination\":\"CAN\"}}"), a, &c, &d), 0);
        CHECK_STR(c.stage, "submitted");
        CHECK_INT(c.n_tags, 0);
        aib_arena_free(a);
    }
    aib_cases_free(cs);
}

TEST(cases_tags_etl_and_congress)
{
    tstore_t t;
    aib_cases_t *cs = load();
    CHECK(cs != NULL);
    EACH(t, s) {
        aib_arena_t *a = aib_arena_new(0);
        aib_case_t c;
        aib_diag_t d;
        clock_ms = ymd("2025-03-01");
        /* Major defense equipment of USD 20M to a non-NATO destination: above 14M. */
        CHECK_INT(aib_cases_create(cs, s, &gbr, BODY("{\"type\":\"export_licence\",\"subtype\":\"DSP-5\","
                  "\"title\":\"x\",\"fields\":{\"destination\":\"IND\",\"major_defense_equipment\":true,"
                  "\"value_usd\":20000000,\"usml_items\":[\"IV(a)(1)\"]}}"), a, &c, &d), 0);
        CHECK(has_tag(&c, "tag", "congressional-notification", "tag-congress-mde"));
        CHECK(has_tag(&c, "tag", "excluded-technology", "tag-excluded-technology"));
        /* The same to a NATO member (membership from the group source): below 25M. */
        CHECK_INT(aib_cases_create(cs, s, &gbr, BODY("{\"type\":\"export_licence\",\"subtype\":\"DSP-5\","
                  "\"title\":\"x\",\"fields\":{\"destination\":\"FIN\",\"major_defense_equipment\":true,"
                  "\"value_usd\":20000000}}"), a, &c, &d), 0);
        CHECK(!has_tag(&c, "tag", "congressional-notification", NULL));
        CHECK(!has_tag(&c, "tag", "excluded-technology", NULL));
        /* Japan is in the higher tier by name: 60M articles < 100M. */
        CHECK_INT(aib_cases_create(cs, s, &gbr, BODY("{\"type\":\"fms_case\",\"title\":\"x\","
                  "\"fields\":{\"destination\":\"JPN\",\"value_usd\":60000000}}"), a, &c, &d), 0);
        CHECK(!has_tag(&c, "tag", "congressional-notification", NULL));
        CHECK_STR(c.stage, "pre-lor");
        aib_arena_free(a);
    }
    aib_cases_free(cs);
}

TEST(cases_nato_agreement_coverage_by_date)
{
    tstore_t t;
    aib_cases_t *cs = load();
    CHECK(cs != NULL);
    EACH(t, s) {
        aib_arena_t *a = aib_arena_new(0);
        aib_case_t c;
        aib_diag_t d;
        clock_ms = ymd("2025-03-01");
        CHECK_INT(aib_cases_create(cs, s, &gbr, BODY("{\"type\":\"agreement\",\"subtype\":\"TAA\","
                  "\"title\":\"Radar support\",\"fields\":{\"parties\":[\"NATO\",\"AUS\"],"
                  "\"term_start\":\"2020-01-01\"}}"), a, &c, &d), 0);
        CHECK(has_tag(&c, "tag", "nato-agreement", "tag-nato-agreement"));
        /* Sweden is covered from its accession, not from the start of the term; the term ends
         * ten years after it starts. */
        CHECK(strstr(c.fields, "{\"from\":\"2024-03-07\",\"group\":\"NATO\",\"nation\":\"SWE\","
                               "\"until\":\"2030-01-01\"}") != NULL);
        CHECK(strstr(c.fields, "{\"from\":\"2023-04-04\",\"group\":\"NATO\",\"nation\":\"FIN\"") != NULL);
        CHECK(strstr(c.fields, "{\"from\":\"2020-01-01\",\"group\":\"NATO\",\"nation\":\"GBR\"") != NULL);
        /* A term that ended before Sweden joined does not cover it. */
        CHECK_INT(aib_cases_create(cs, s, &gbr, BODY("{\"type\":\"agreement\",\"subtype\":\"MLA\","
                  "\"title\":\"Old\",\"fields\":{\"parties\":[\"NATO\"],\"term_start\":\"2010-06-01\","
                  "\"term_years\":10}}"), a, &c, &d), 0);
        CHECK(strstr(c.fields, "SWE") == NULL);
        CHECK(strstr(c.fields, "\"until\":\"2020-06-01\"") != NULL);
        /* Unknown group and missing term are errors naming the field. */
        CHECK_INT(aib_cases_create(cs, s, &gbr, BODY("{\"type\":\"agreement\",\"subtype\":\"TAA\","
                  "\"title\":\"x\",\"fields\":{\"parties\":[\"GBR\",\"WARSAW\"],\"term_start\":\"2020-01-01\"}}"),
                  a, &c, &d), AIB_EINVAL);
        CHECK_STR(d.file, "fields.parties[1]");
        CHECK_INT(aib_cases_create(cs, s, &gbr, BODY("{\"type\":\"agreement\",\"subtype\":\"TAA\","
                  "\"title\":\"x\",\"fields\":{\"parties\":[\"NATO\"]}}"), a, &c, &d), AIB_EINVAL);
        CHECK_STR(d.file, "fields.term_start");
        aib_arena_free(a);
    }
    aib_cases_free(cs);
}

TEST(cases_bad_input_names_field_and_writes_nothing)
{
    static const struct { const char *body; const char *field; } bad[] = {
        { "{\"type\":\"export_licence\",\"subtype\":\"DSP-5\",\"title\":\"x\",\"color\":1}", "color" },
        { "{\"type\":\"spaceship\",\"title\":\"x\"}", "type" },
        { "{\"type\":\"export_licence\",\"title\":\"x\",\"fields\":{\"destination\":\"AUS\"}}", "subtype" },
        { "{\"type\":\"export_licence\",\"subtype\":\"DSP-9\",\"title\":\"x\"}", "subtype" },
        { "{\"type\":\"export_licence\",\"subtype\":\"DSP-5\",\"fields\":{\"destination\":\"AUS\"}}", "title" },
        { "{\"type\":\"export_licence\",\"subtype\":\"DSP-5\",\"title\":\"\"}", "title" },
        { "{\"type\":\"export_licence\",\"subtype\":\"DSP-5\",\"title\":\"x\",\"released_to\":[\"USA\",\"uk\"],"
          "\"fields\":{\"destination\":\"AUS\"}}", "released_to[1]" },
        { "{\"type\":\"export_licence\",\"subtype\":\"DSP-5\",\"title\":\"x\",\"fields\":{\"destination\":\"AUS\","
          "\"value_usd\":\"lots\"}}", "fields.value_usd" },
        { "{\"type\":\"export_licence\",\"subtype\":\"DSP-5\",\"title\":\"x\",\"fields\":{}}", "fields.destination" },
        { "{\"type\":\"export_licence\",\"subtype\":\"DSP-5\",\"title\":\"x\",\"fields\":{\"destination\":\"AUS\","
          "\"warp\":1}}", "fields.warp" },
        { "{\"type\":\"agreement\",\"subtype\":\"TAA\",\"title\":\"x\",\"fields\":{\"parties\":[\"GBR\"],"
          "\"term_start\":\"2023-02-30\"}}", "fields.term_start" },
        { "{\"type\":\"export_licence\",\"subtype\":\"DSP-5\",\"title\":\"x\",\"nation\":\"Britain\"}", "nation" },
        { "{\"type\":\"export_licence\",", "" },
        { "[1,2]", "" },
        { "{\"type\":\"export_licence\",\"type\":\"agreement\"}", "" },
    };
    tstore_t t;
    aib_cases_t *cs = load();
    CHECK(cs != NULL);
    EACH(t, s) {
        aib_arena_t *a = aib_arena_new(0);
        aib_case_t c;
        aib_case_list_t l;
        aib_audit_report_t rep;
        aib_diag_t d;
        size_t i;
        for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            aib_diag_clear(&d);
            CHECK_INT(aib_cases_create(cs, s, &gbr, BODY(bad[i].body), a, &c, &d), AIB_EINVAL);
            if (strcmp(d.file, bad[i].field) != 0)
                aib_test_fail(__FILE__, __LINE__, "case %zu: field `%s`, expected `%s` (%s)", i,
                              d.file, bad[i].field, d.msg);
            CHECK(d.msg[0] != '\0');
        }
        CHECK_INT(aib_store_case_list(s, NULL, a, &l, &d), 0);
        CHECK_INT(l.n, 0);
        CHECK_INT(aib_store_audit_verify(s, &rep, &d), 0);
        CHECK_INT(rep.entries, 0);
        aib_arena_free(a);
    }
    aib_cases_free(cs);
}

TEST(cases_transitions_and_updates)
{
    tstore_t t;
    aib_cases_t *cs = load();
    CHECK(cs != NULL);
    EACH(t, s) {
        aib_arena_t *a = aib_arena_new(0);
        aib_case_t c;
        aib_diag_t d;
        char id[32];
        clock_ms = ymd("2025-03-01");
        CHECK_INT(aib_cases_create(cs, s, &gbr, BODY("{\"type\":\"export_licence\",\"subtype\":\"DSP-5\","
                  "\"title\":\"t\",\"fields\":{\"destination\":\"AUS\"}}"), a, &c, &d), 0);
        snprintf(id, sizeof(id), "%s", c.id);
        CHECK_INT(aib_cases_transition(cs, s, &gbr, id, BODY("{\"to\":\"approved\"}"), a, &c, &d), AIB_EINVAL);
        CHECK_STR(d.file, "to");
        CHECK(strstr(d.msg, "ddtc-review") != NULL); /* names the allowed stages */
        CHECK_INT(aib_cases_transition(cs, s, &gbr, id, BODY("{\"to\":\"ddtc-review\",\"extra\":1}"), a, &c, &d),
                  AIB_EINVAL);
        CHECK_STR(d.file, "extra");
        clock_ms += 3 * DAY;
        CHECK_INT(aib_cases_transition(cs, s, &gbr, id, BODY("{\"to\":\"ddtc-review\",\"note\":\"complete\"}"),
                                       a, &c, &d), 0);
        CHECK_STR(c.stage, "ddtc-review");
        CHECK_STR(c.owner, "DDTC licensing");
        CHECK_INT(c.history[0].left_at - c.history[0].entered_at, 3 * DAY);
        /* An update that sets the AUKUS box routes the case in the same transaction. */
        CHECK_INT(aib_cases_update(cs, s, &gbr, id, BODY("{\"fields\":{\"destination\":\"AUS\","
                  "\"boxes\":[\"AUKUS\"]},\"released_to\":[\"USA\"]}"), a, &c, &d), 0);
        CHECK_STR(c.stage, "defence-review");
        CHECK_INT(c.n_released_to, 1);
        CHECK(has_tag(&c, "tag", "aukus", NULL));
        CHECK_INT(aib_cases_comment(cs, s, &gbr, id, BODY("{\"body\":\"Need drawings\"}"), a, &c, &d), 0);
        CHECK_INT(c.n_comments, 1);
        CHECK_INT(aib_cases_comment(cs, s, &gbr, id, BODY("{\"body\":\"\"}"), a, &c, &d), AIB_EINVAL);
        CHECK_STR(d.file, "body");
        CHECK_INT(aib_cases_attach(cs, s, &gbr, id, BODY("{\"name\":\"drawings.pdf\",\"ref\":\"https://x/y\","
                  "\"sha256\":\"" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" "\"}"),
                  a, &c, &d), 0);
        CHECK_INT(c.n_attachments, 1);
        CHECK_INT(aib_cases_attach(cs, s, &gbr, id, BODY("{\"name\":\"x\",\"ref\":\"not a uri\"}"), a, &c, &d),
                  AIB_EINVAL);
        CHECK_STR(d.file, "ref");
        CHECK_INT(aib_cases_attach(cs, s, &gbr, id, BODY("{\"name\":\"x\",\"ref\":\"s3://b/k\",\"sha256\":\"AB\"}"),
                  a, &c, &d), AIB_EINVAL);
        CHECK_STR(d.file, "sha256");
        CHECK_INT(aib_cases_transition(cs, s, &gbr, id, BODY("{\"to\":\"approved\"}"), a, &c, &d), 0);
        CHECK_INT(c.closed, 1);
        CHECK_INT(aib_cases_transition(cs, s, &gbr, id, BODY("{\"to\":\"denied\"}"), a, &c, &d), AIB_EINVAL);
        CHECK(strstr(d.msg, "closed") != NULL);
        CHECK_INT(aib_cases_transition(cs, s, &gbr, "C-nope", BODY("{\"to\":\"x\"}"), a, &c, &d), AIB_ENOTFOUND);
        aib_arena_free(a);
    }
    aib_cases_free(cs);
}

TEST(cases_metrics)
{
    tstore_t t;
    aib_cases_t *cs = load();
    CHECK(cs != NULL);
    EACH(t, s) {
        aib_arena_t *a = aib_arena_new(0);
        aib_case_t c;
        aib_metrics_t m;
        aib_metrics_query_t q;
        aib_case_filter_t f;
        aib_buf_t b;
        aib_diag_t d;
        int i;
        size_t k;
        /* Ten licences leave intake after 1, 2, ..., 10 days; two more stay in intake. */
        for (i = 1; i <= 12; i++) {
            char id[32];
            clock_ms = ymd("2025-01-01");
            CHECK_INT(aib_cases_create(cs, s, &gbr, BODY("{\"type\":\"export_licence\",\"subtype\":\"DSP-5\","
                      "\"title\":\"t\",\"fields\":{\"destination\":\"AUS\"}}"), a, &c, &d), 0);
            snprintf(id, sizeof(id), "%s", c.id);
            if (i <= 10) {
                clock_ms += i * DAY;
                CHECK_INT(aib_cases_transition(cs, s, &gbr, id, BODY("{\"to\":\"ddtc-review\"}"), a, &c, &d), 0);
            }
        }
        memset(&q, 0, sizeof(q));
        q.group_by = AIB_METRICS_BY_TYPE | AIB_METRICS_BY_STAGE;
        CHECK_INT(aib_cases_metrics(cs, s, &q, a, &m, &d), 0);
        CHECK_INT(m.n, 2);
        for (k = 0; k < m.n; k++) {
            const aib_metrics_row_t *r = &m.rows[k];
            CHECK_STR(r->country, "*");
            if (!strcmp(r->stage, "submitted")) {
                CHECK_INT(r->count, 12);
                CHECK_INT(r->backlog, 2);
                CHECK_INT(r->completed, 10);
                CHECK_INT(r->median_ms, 5 * DAY + DAY / 2);
                CHECK_INT(r->p95_ms, 10 * DAY);
                CHECK_INT(r->target_ms, 48LL * 3600 * 1000); /* intake target from data */
                CHECK(r->within_target > 0.19 && r->within_target < 0.21); /* 1 and 2 days */
            } else {
                CHECK_STR(r->stage, "ddtc-review");
                CHECK_INT(r->backlog, 10);
                CHECK_INT(r->median_ms, -1);
            }
        }
        q.group_by = AIB_METRICS_BY_COUNTRY;
        q.target_ms = 5 * DAY;
        memset(&f, 0, sizeof(f));
        f.stage = NULL;
        q.filter = &f;
        CHECK_INT(aib_cases_metrics(cs, s, &q, a, &m, &d), 0);
        CHECK_INT(m.n, 1);
        CHECK_STR(m.rows[0].country, "GBR");
        CHECK_INT(m.rows[0].count, 22);
        CHECK(m.rows[0].within_target > 0.49 && m.rows[0].within_target < 0.51);
        aib_buf_init(&b);
        CHECK_INT(aib_metrics_to_json(&m, &b), 0);
        CHECK(strstr(b.data, "\"group_by\":[\"country\"]") != NULL);
        aib_buf_free(&b);
        f.visible_to = "FRA";
        CHECK_INT(aib_cases_metrics(cs, s, &q, a, &m, &d), 0);
        CHECK_INT(m.n, 0);
        aib_arena_free(a);
    }
    aib_cases_free(cs);
}

/* Writes a file under dir. */
static void put(const char *dir, const char *name, const char *text)
{
    char p[300];
    FILE *f;
    snprintf(p, sizeof(p), "%s/%s", dir, name);
    f = fopen(p, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

TEST(cases_bad_data_and_policies)
{
    char dir[] = "/tmp/aib-cases-XXXXXX", cmd[200];
    aib_cases_t *cs = NULL;
    aib_diag_t d;
    CHECK(mkdtemp(dir) != NULL);
    put(dir, "config.json", "{\"groups\":[]}");
    put(dir, "a.json", "{\"id\":\"a\",\"name\":\"A\",\"source\":\"s\",\"initial\":\"one\",\"stages\":["
                       "{\"id\":\"one\",\"name\":\"One\",\"owner\":\"o\",\"next\":[\"two\"]}]}");
    CHECK_INT(aib_cases_load(dir, "policies/routing", &cs, &d), AIB_ESCHEMA);
    CHECK(strstr(d.msg, "stages[0].next[0]: unknown stage `two`") != NULL);
    CHECK(strstr(d.file, "a.json") != NULL);
    put(dir, "a.json", "{\"id\":\"a\",\n\"name\":}");
    CHECK_INT(aib_cases_load(dir, "policies/routing", &cs, &d), AIB_EPARSE);
    CHECK_INT(d.line, 2);
    /* A routing policy without @id is refused. */
    put(dir, "a.json", "{\"id\":\"a\",\"name\":\"A\",\"source\":\"s\",\"initial\":\"one\",\"stages\":["
                       "{\"id\":\"one\",\"name\":\"One\",\"owner\":\"o\",\"terminal\":true}]}");
    snprintf(cmd, sizeof(cmd), "mkdir -p %s/r && cp policies/routing/routing.cedarschema %s/r/", dir, dir);
    CHECK(system(cmd) == 0);
    {
        char r[100];
        snprintf(r, sizeof(r), "%s/r", dir);
        put(r, "p.cedar", "@tag(\"x\") permit (principal, action, resource);");
        CHECK_INT(aib_cases_load("data/cases", r, &cs, &d), AIB_ESCHEMA);
        CHECK(strstr(d.msg, "@id") != NULL);
        put(r, "p.cedar", "@id(\"p\") @tag(\"x\")\npermit (principal, action, resource)\n"
                          "when { resource.colour == \"red\" };");
        CHECK_INT(aib_cases_load("data/cases", r, &cs, &d), AIB_ESCHEMA);
        CHECK(strstr(d.file, "p.cedar") != NULL);
        CHECK_INT(d.line, 3);
        put(r, "p.cedar", "@id(\"p\") @tag(\"x\") permit (principal, action, resource) when {");
        CHECK_INT(aib_cases_load("data/cases", r, &cs, &d), AIB_EPARSE);
        CHECK(strstr(d.file, "p.cedar") != NULL);
    }
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}
