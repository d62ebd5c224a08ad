/* test_determine.c — unit tests of the determinations module: request parsing and its precise
 * errors, outcome precedence from pack metadata, the trace, epoch stores shared by dates with
 * the same memberships, group membership by date, eligibility criteria and the impact tally.
 * Uses the repository's policies/ and data/ and the shared EAR archive. */
#include "test.h"

#include "determine/determine_int.h"

#include <stdlib.h>

static aib_determine_engine_t *engine(void)
{
    static aib_determine_engine_t *e;
    static int tried;
    aib_diag_t d;
    if (!tried) {
        tried = 1;
        aib_diag_clear(&d);
        if (aib_determine_engine_open(NULL, &e, &d) != 0)
            fprintf(stderr, "  determine engine: %s: %s\n", d.file, d.msg);
    }
    return e;
}

static int det(const char *json, const char *pack, aib_arena_t *a, aib_determine_result_t *out,
               aib_diag_t *d)
{
    aib_determine_request_t *r = NULL;
    int rc = aib_determine_request_parse(engine(), json, strlen(json), a, &r, d);
    return rc ? rc : aib_determine_run(engine(), r, pack, a, out, d);
}

TEST(determine_list_has)
{
    CHECK(aib__determine_list_has("a, b ,c", "b"));
    CHECK(aib__determine_list_has("a, b ,c", "c"));
    CHECK(!aib__determine_list_has("ab, c", "a"));
    CHECK(aib__determine_list_has(NULL, "anything"));
}

TEST(determine_engine_loads_packs)
{
    CHECK(engine() != NULL);
    if (!engine())
        return;
    CHECK(aib_determine_pack_rules(engine(), "current") > 40);
    CHECK(aib_determine_pack_rules(engine(), "proposed") > aib_determine_pack_rules(engine(), "current"));
    CHECK_INT(aib_determine_pack_rules(engine(), "nosuch"), 0);
}

TEST(determine_request_errors)
{
    aib_arena_t *a = aib_arena_new(0);
    aib_determine_request_t *r;
    aib_diag_t d;
    if (!engine()) {
        aib_arena_free(a);
        return;
    }
    {
        const char *j = "{\"date\":\"2025-01-01\",\"x\":1}";
        CHECK_INT(aib_determine_request_parse(engine(), j, strlen(j), a, &r, &d), AIB_EINVAL);
    }
    CHECK(strstr(d.msg, "unknown field `x`") != NULL);
    CHECK_INT(aib_determine_request_parse(engine(), "[1]", 3, a, &r, &d), AIB_EINVAL);
    CHECK(strstr(d.msg, "expected a JSON object") != NULL);
    CHECK_INT(aib_determine_request_parse(engine(), "{", 1, a, &r, &d), AIB_EINVAL);
    CHECK_INT(d.line, 1);
    {
        const char *j = "{\"date\":\"2025-02-29\",\"item\":{\"usml\":\"XI\"},\"transfer\":{\"kind\":\"export\",\"to\":\"DEU\"}}";
        CHECK_INT(aib_determine_request_parse(engine(), j, strlen(j), a, &r, &d), AIB_EINVAL);
        CHECK(strstr(d.msg, "date:") != NULL);
    }
    {
        const char *j = "{\"date\":\"2025-01-02\",\"item\":{\"markings\":\"SECRET//REL TO USA, FVEY\"},"
                        "\"transfer\":{\"kind\":\"disclosure\",\"to\":\"AUS\"}}";
        CHECK_INT(aib_determine_request_parse(engine(), j, strlen(j), a, &r, &d), 0);
        CHECK_STR(r->classification, "SECRET");
        CHECK(r->has_rel_to);
        CHECK_INT(r->n_rel_to, 5);
        CHECK_STR(r->end_user_kind, "government");
    }
    aib_arena_free(a);
}

TEST(determine_precedence_and_trace)
{
    aib_arena_t *a = aib_arena_new(0);
    aib_determine_result_t res;
    aib_diag_t d;
    size_t i;
    bool saw_applied = false, saw_not = false;
    if (!engine()) {
        aib_arena_free(a);
        return;
    }
    /* §126.1 (prohibited) prevails over the DSP-5 rule that also applies. */
    CHECK_INT(det("{\"date\":\"2025-01-02\",\"item\":{\"usml\":\"XI(c)\"},\"transfer\":{\"kind\":\"export\",\"to\":\"CHN\"}}",
                  "current", a, &res, &d), 0);
    CHECK_STR(res.outcome, "prohibited");
    CHECK(res.licence == NULL);
    for (i = 0; i < res.n_trace; i++) {
        if (!strcmp(res.trace[i].rule, "itar-dsp5"))
            CHECK(res.trace[i].applied);
        saw_applied |= res.trace[i].applied;
        saw_not |= !res.trace[i].applied && res.trace[i].why && res.trace[i].why[0];
    }
    CHECK(saw_applied && saw_not);
    /* The exemption prevails over the licence requirement. */
    CHECK_INT(det("{\"date\":\"2025-01-02\",\"item\":{\"usml\":\"XII(c)\"},\"transfer\":{\"kind\":\"export\",\"to\":\"CAN\",\"end_user\":{\"registered\":true}}}",
                  "current", a, &res, &d), 0);
    CHECK_STR(res.outcome, "exempt");
    CHECK(res.n_authorities >= 1);
    /* Disclosure without markings: the pack default, and it says so. */
    CHECK_INT(det("{\"date\":\"2025-01-02\",\"item\":{\"classification\":\"SECRET\"},\"transfer\":{\"kind\":\"disclosure\",\"to\":\"DEU\"}}",
                  "current", a, &res, &d), 0);
    CHECK_STR(res.outcome, "not_releasable");
    CHECK(res.by_default);
    CHECK_INT(det("{\"date\":\"2025-01-02\",\"item\":{\"classification\":\"CUI\"},\"transfer\":{\"kind\":\"disclosure\",\"to\":\"GBR\"}}",
                  "proposed", a, &res, &d), 0);
    CHECK_STR(res.outcome, "releasable");
    aib_arena_free(a);
}

TEST(determine_epochs_and_dates)
{
    const aib_cedar_entities_t *s1 = NULL, *s2 = NULL, *s3 = NULL;
    aib_arena_t *a = aib_arena_new(0);
    aib_determine_result_t res;
    aib_diag_t d;
    if (!engine()) {
        aib_arena_free(a);
        return;
    }
    CHECK_INT(aib__determine_entities(engine(), 20240601, &s1, &d), 0);
    CHECK_INT(aib__determine_entities(engine(), 20240602, &s2, &d), 0);
    CHECK_INT(aib__determine_entities(engine(), 20230601, &s3, &d), 0);
    CHECK(s1 == s2); /* same memberships: one store */
    CHECK(s1 != s3); /* Sweden joined NATO in between */
    CHECK_INT(det("{\"date\":\"2023-06-01\",\"item\":{\"markings\":\"SECRET//REL TO USA, NATO\"},\"transfer\":{\"kind\":\"disclosure\",\"to\":\"SWE\"}}",
                  "current", a, &res, &d), 0);
    CHECK_STR(res.outcome, "not_releasable");
    CHECK_INT(det("{\"date\":\"2024-06-01\",\"item\":{\"markings\":\"SECRET//REL TO USA, NATO\"},\"transfer\":{\"kind\":\"disclosure\",\"to\":\"SWE\"}}",
                  "current", a, &res, &d), 0);
    CHECK_STR(res.outcome, "releasable");
    aib_arena_free(a);
}

TEST(determine_eligibility_criteria)
{
    aib_arena_t *a = aib_arena_new(0);
    aib_determine_eligibility_t el;
    aib_diag_t d;
    size_t i, j;
    bool found = false;
    if (!engine()) {
        aib_arena_free(a);
        return;
    }
    CHECK_INT(aib_determine_eligibility(engine(), "GBR", 20250601, a, &el, &d), 0);
    CHECK_STR(el.country, "GBR");
    CHECK(el.n_tiers >= 5);
    for (i = 0; i < el.n_tiers; i++) {
        CHECK(el.tiers[i].n_criteria > 0);
        if (!strcmp(el.tiers[i].id, "excepted_state")) {
            found = true;
            CHECK(el.tiers[i].met);
            for (j = 0; j < el.tiers[i].n_criteria; j++)
                CHECK(el.tiers[i].criteria[j].met);
        }
    }
    CHECK(found);
    CHECK_INT(aib_determine_eligibility(engine(), "NOWHERE", 20250601, a, &el, &d), AIB_ENOTFOUND);
    aib_arena_free(a);
}

TEST(determine_impact_counts)
{
    aib_arena_t *a = aib_arena_new(0);
    aib_determine_impact_t *im = aib_determine_impact_new();
    aib_determine_request_t *r;
    aib_determine_result_t x, y;
    aib_buf_t b;
    aib_diag_t d;
    const char *j = "{\"date\":\"2025-01-02\",\"item\":{\"usml\":\"VIII(h)\"},\"transfer\":{\"kind\":\"export\",\"to\":\"DEU\",\"end_use\":\"defense_service\"}}";
    aib_buf_init(&b);
    if (engine() && im) {
        CHECK_INT(aib_determine_request_parse(engine(), j, strlen(j), a, &r, &d), 0);
        CHECK_INT(aib_determine_run(engine(), r, "current", a, &x, &d), 0);
        CHECK_INT(aib_determine_run(engine(), r, "proposed", a, &y, &d), 0);
        CHECK_INT(aib_determine_impact_add(im, r, &x, &y), 0);
        CHECK_INT(aib_determine_impact_add(im, r, &x, &x), 0);
        CHECK_INT(aib_determine_impact_json(im, "current", "proposed", &b), 0);
        CHECK(strstr(b.data, "\"total\":2,\"changed\":1") != NULL);
        CHECK(strstr(b.data, "\"licences_avoided\":1") != NULL);
    }
    aib_buf_free(&b);
    aib_determine_impact_free(im);
    aib_arena_free(a);
}
