/* test_screen_match.c — unit tests of list screening (candidates, evidence, identifiers, result
 * ids and JSON), the OFAC 50% ownership rule (aggregation, tiers, control, unknown shares,
 * cycles, dates, malformed graphs) and the decisions log. */
#include "test.h"

#include <stdlib.h>
#include <unistd.h>

#include "aib/screen.h"
#include "screen/screen_int.h"

static const char LIST[] =
    "{\"id\":\"1\",\"name\":\"ZAHHAR, Mahmoud Khaled\",\"schema\":\"Person\",\"aliases\":[\"AL-ZAHAR, Mahmoud\"],"
    "\"countries\":[\"PS\"],\"dob\":\"1945\",\"ids\":[\"A1234567\"]}\n"
    "{\"id\":\"2\",\"name\":\"Banco Nacional de Cuba\",\"schema\":\"Company\",\"countries\":[\"CU\"]}\n"
    "{\"id\":\"3\",\"name\":\"Romashka LLC\",\"schema\":\"Company\",\"countries\":[\"RU\"]}\n"
    "{\"id\":\"4\",\"name\":\"Mahmoud Abbas Trading\",\"schema\":\"Company\"}\n"
    "{\"id\":\"5\",\"name\":\"Ivan Petrovich Sidorov\",\"schema\":\"Person\",\"ids\":[\"P9988776\"]}\n";

static aib_screen_lists_t *mklist(void)
{
    aib_screen_lists_t *ls = NULL;
    aib_diag_t d;
    const char *name = "test.jsonl", *data = LIST;
    size_t len = strlen(LIST);
    if (aib_screen_lists_new(&ls) != 0 || aib_screen_lists_load_mem(ls, 1, &name, &data, &len, &d) != 0)
        return NULL;
    return ls;
}

static aib_screen_result_t *run(aib_screen_lists_t *ls, const char *name, aib_screen_schema_t schema,
                                const char *country, const char *dob, const char *id)
{
    aib_screen_query_t q;
    aib_screen_result_t *r = NULL;
    aib_diag_t d;
    memset(&q, 0, sizeof(q));
    q.name = name;
    q.schema = schema;
    q.country = country;
    q.dob = dob;
    q.id_number = id;
    q.all_candidates = true;
    if (aib_screen_query(ls, &q, &r, &d) != 0)
        return NULL;
    return r;
}

TEST(screen_query_finds_variants)
{
    aib_screen_lists_t *ls = mklist();
    aib_screen_result_t *r;
    CHECK(ls != NULL);
    if (!ls)
        return;
    r = run(ls, "Mahmoud al-Zahar", AIB_SCREEN_PERSON, NULL, NULL, NULL);
    CHECK(r && r->n_hits >= 1 && !strcmp(r->hits[0].entry->id, "test:1") && r->hits[0].match);
    CHECK(r && r->hits[0].name_idx == 1); /* matched the alias */
    CHECK(r && r->n_candidates < aib_screen_lists_entries(ls) + 2);
    aib_screen_result_free(r);
    r = run(ls, "Банко Насионал де Куба", AIB_SCREEN_COMPANY, NULL, NULL, NULL);
    CHECK(r && r->n_hits >= 1 && !strcmp(r->hits[0].entry->id, "test:2") && r->hits[0].match);
    aib_screen_result_free(r);
    r = run(ls, "OOO Romashka", AIB_SCREEN_COMPANY, NULL, NULL, NULL);
    CHECK(r && r->n_hits >= 1 && !strcmp(r->hits[0].entry->id, "test:3") && r->hits[0].match);
    aib_screen_result_free(r);
    r = run(ls, "Ivan Sidorvo", AIB_SCREEN_PERSON, NULL, NULL, NULL); /* typo */
    CHECK(r && r->n_hits >= 1 && !strcmp(r->hits[0].entry->id, "test:5"));
    aib_screen_result_free(r);
    r = run(ls, "Completely Unrelated Name", AIB_SCREEN_ANY, NULL, NULL, NULL);
    CHECK(r && (r->n_hits == 0 || !r->hits[0].match));
    aib_screen_result_free(r);
    aib_screen_lists_free(ls);
}

TEST(screen_query_evidence_moves_the_score)
{
    aib_screen_lists_t *ls = mklist();
    aib_screen_result_t *base, *good, *bad, *kind;
    if (!ls)
        return;
    base = run(ls, "Mahmoud Zahar", AIB_SCREEN_ANY, NULL, NULL, NULL);
    good = run(ls, "Mahmoud Zahar", AIB_SCREEN_ANY, "PS", "1945", NULL);
    bad = run(ls, "Mahmoud Zahar", AIB_SCREEN_ANY, "FR", "1980-01-01", NULL);
    kind = run(ls, "Mahmoud Zahar", AIB_SCREEN_COMPANY, NULL, NULL, NULL);
    CHECK(base && good && bad && kind);
    if (base && good && bad && kind) {
        CHECK(good->hits[0].score > base->hits[0].score);
        CHECK(bad->hits[0].score < base->hits[0].score);
        CHECK(kind->hits[0].score < base->hits[0].score);
        CHECK(good->hits[0].n_features > base->hits[0].n_features);
        CHECK(strcmp(base->result_id, good->result_id) != 0);
    }
    aib_screen_result_free(base);
    aib_screen_result_free(good);
    aib_screen_result_free(bad);
    aib_screen_result_free(kind);
    aib_screen_lists_free(ls);
}

TEST(screen_query_identifier_decides)
{
    aib_screen_lists_t *ls = mklist();
    aib_screen_result_t *r;
    if (!ls)
        return;
    /* a different name, but the passport number is listed */
    r = run(ls, "John Smith", AIB_SCREEN_PERSON, NULL, NULL, "p-998 8776");
    CHECK(r && r->n_hits >= 1);
    if (r && r->n_hits) {
        CHECK_STR(r->hits[0].entry->id, "test:5");
        CHECK(r->hits[0].score == 1.0 && r->hits[0].match);
    }
    aib_screen_result_free(r);
    aib_screen_lists_free(ls);
}

TEST(screen_query_result_json_and_stable_id)
{
    aib_screen_lists_t *ls = mklist();
    aib_screen_query_t q;
    aib_screen_result_t *r1 = NULL, *r2 = NULL;
    aib_diag_t d;
    aib_buf_t b;
    if (!ls)
        return;
    memset(&q, 0, sizeof(q));
    q.name = "Banco Nacional de Cuba";
    CHECK_INT(aib_screen_query(ls, &q, &r1, &d), 0);
    CHECK_INT(aib_screen_query(ls, &q, &r2, &d), 0);
    if (r1 && r2) {
        CHECK_STR(r1->result_id, r2->result_id);
        CHECK_INT(strlen(r1->result_id), 16);
        aib_buf_init(&b);
        CHECK_INT(aib_screen_result_json(ls, &q, r1, &b), 0);
        CHECK(strstr(b.data, "\"sha256\":\"") != NULL);
        CHECK(strstr(b.data, "\"matcher\":\"" AIB_SCREEN_MATCHER_VERSION "\"") != NULL);
        CHECK(strstr(b.data, "\"threshold\":0.5000") != NULL);
        CHECK(strstr(b.data, "\"alignment\":[") != NULL);
        CHECK(strstr(b.data, "\"features\":[") != NULL);
        aib_buf_free(&b);
    }
    aib_screen_result_free(r1);
    aib_screen_result_free(r2);
    q.name = "";
    CHECK_INT(aib_screen_query(ls, &q, &r1, &d), AIB_EINVAL);
    q.name = "x";
    q.country = "Atlantis";
    CHECK_INT(aib_screen_query(ls, &q, &r1, &d), AIB_EINVAL);
    aib_screen_lists_free(ls);
}

static aib_screen_own_status_t own(const char *json, const char *entity, const char *as_of, aib_buf_t *out, int *rc)
{
    aib_screen_own_status_t st = AIB_SCREEN_OWN_NOT_BLOCKED;
    aib_diag_t d;
    aib_buf_clear(out);
    aib_diag_clear(&d);
    *rc = aib_screen_ownership(json, strlen(json), entity, as_of, &st, out, &d);
    return st;
}

TEST(screen_ownership_fifty_percent_rule)
{
    static const char G[] =
        "{\"entities\":[{\"id\":\"A\",\"listed\":true},{\"id\":\"B\",\"listed\":true},{\"id\":\"X\"},"
        "{\"id\":\"Y\"},{\"id\":\"Z\"},{\"id\":\"W\"},{\"id\":\"C\"},{\"id\":\"V\"}],"
        "\"edges\":["
        "{\"owner\":\"A\",\"asset\":\"X\",\"percent\":25},{\"owner\":\"B\",\"asset\":\"X\",\"percent\":25},"
        "{\"owner\":\"X\",\"asset\":\"Y\",\"percent\":50},"
        "{\"owner\":\"A\",\"asset\":\"Z\",\"percent\":49.9},"
        "{\"owner\":\"C\",\"asset\":\"W\",\"percent\":100},{\"owner\":\"A\",\"asset\":\"C\",\"percent\":40},"
        "{\"owner\":\"A\",\"asset\":\"V\",\"type\":\"control\"}]}";
    aib_buf_t b;
    int rc;
    aib_buf_init(&b);
    /* 25% + 25% held by two blocked persons aggregate to 50% */
    CHECK_INT(own(G, "X", NULL, &b, &rc), AIB_SCREEN_OWN_BLOCKED_50);
    CHECK_INT(rc, 0);
    CHECK(strstr(b.data, "\"blocked_percent\":50") != NULL);
    /* X is blocked, so its 50% blocks Y at the next tier; the chain shows X held by A and B */
    CHECK_INT(own(G, "Y", NULL, &b, &rc), AIB_SCREEN_OWN_BLOCKED_50);
    CHECK(strstr(b.data, "\"owner\":\"X\"") && strstr(b.data, "\"held_by\":[{\"owner\":\"A\""));
    CHECK_INT(own(G, "Z", NULL, &b, &rc), AIB_SCREEN_OWN_NOT_BLOCKED);
    /* C is 40% owned (not blocked), so C's 100% of W does not count */
    CHECK_INT(own(G, "W", NULL, &b, &rc), AIB_SCREEN_OWN_NOT_BLOCKED);
    /* control alone does not block, but is reported */
    CHECK_INT(own(G, "V", NULL, &b, &rc), AIB_SCREEN_OWN_NOT_BLOCKED);
    CHECK(strstr(b.data, "\"controller\":\"A\"") != NULL);
    CHECK_INT(own(G, "A", NULL, &b, &rc), AIB_SCREEN_OWN_LISTED);
    aib_buf_free(&b);
}

TEST(screen_ownership_unknown_cycles_dates)
{
    static const char G[] =
        "{\"entities\":[{\"id\":\"A\",\"listed\":true},{\"id\":\"P\"},{\"id\":\"Q\"},{\"id\":\"R\"},{\"id\":\"S\"}],"
        "\"edges\":["
        "{\"owner\":\"A\",\"asset\":\"P\",\"percent\":30},{\"owner\":\"A\",\"asset\":\"P\",\"percent\":null},"
        "{\"owner\":\"Q\",\"asset\":\"R\",\"percent\":60},{\"owner\":\"R\",\"asset\":\"Q\",\"percent\":60},"
        "{\"owner\":\"A\",\"asset\":\"Q\",\"percent\":40},"
        "{\"owner\":\"A\",\"asset\":\"S\",\"percent\":80,\"from\":\"2020-01-01\",\"to\":\"2022-12-31\"}]}";
    aib_buf_t b;
    int rc;
    aib_buf_init(&b);
    /* 30% known plus an unknown holding: could reach 50%, so review */
    CHECK_INT(own(G, "P", NULL, &b, &rc), AIB_SCREEN_OWN_REVIEW);
    CHECK(strstr(b.data, "\"unknown_holdings\":[\"A\"]") != NULL);
    /* Q and R own each other: not blocked (A has 40%), and the cycle is reported, no loop */
    CHECK_INT(own(G, "Q", NULL, &b, &rc), AIB_SCREEN_OWN_NOT_BLOCKED);
    CHECK_INT(rc, 0);
    CHECK(strstr(b.data, "\"cycles\":[[") != NULL);
    /* dated holdings */
    CHECK_INT(own(G, "S", "2021-06-01", &b, &rc), AIB_SCREEN_OWN_BLOCKED_50);
    CHECK_INT(own(G, "S", "2024-01-01", &b, &rc), AIB_SCREEN_OWN_NOT_BLOCKED);
    CHECK_INT(own(G, "S", NULL, &b, &rc), AIB_SCREEN_OWN_NOT_BLOCKED);
    aib_buf_free(&b);
}

TEST(screen_ownership_errors)
{
    aib_buf_t b;
    aib_diag_t d;
    aib_screen_own_status_t st;
    aib_buf_init(&b);
    aib_diag_clear(&d);
    CHECK_INT(aib_screen_ownership("{", 1, "A", NULL, &st, &b, &d), AIB_EPARSE);
    CHECK(d.line == 1);
    {
        static const char g[] = "{\"entities\":[{\"id\":\"A\"}],\"edges\":[{\"owner\":\"A\",\"asset\":\"B\"}]}";
        CHECK_INT(aib_screen_ownership(g, strlen(g), "A", NULL, &st, &b, &d), AIB_ESCHEMA);
        CHECK(strstr(d.msg, "edges[0].asset") != NULL);
    }
    {
        static const char g[] = "{\"entities\":[{\"id\":\"A\"},{\"id\":\"B\"}],\"edges\":[{\"owner\":\"A\",\"asset\":\"B\","
                                "\"percent\":140}]}";
        CHECK_INT(aib_screen_ownership(g, strlen(g), "B", NULL, &st, &b, &d), AIB_ESCHEMA);
        CHECK(strstr(d.msg, "edges[0].percent") != NULL);
    }
    {
        static const char g[] = "{\"entities\":[{\"id\":\"A\"},{\"id\":\"B\"},{\"id\":\"C\"}],\"edges\":["
                                "{\"owner\":\"A\",\"asset\":\"C\",\"percent\":70},{\"owner\":\"B\",\"asset\":\"C\",\"percent\":70}]}";
        CHECK_INT(aib_screen_ownership(g, strlen(g), "C", NULL, &st, &b, &d), AIB_ESCHEMA);
        CHECK(strstr(d.msg, "more than 100%") != NULL);
        CHECK_INT(aib_screen_ownership(g, strlen(g), "Nope", "2024-01-01", &st, &b, &d), AIB_ESCHEMA);
    }
    {
        static const char g[] = "{\"entities\":[{\"id\":\"A\"}]}";
        CHECK_INT(aib_screen_ownership(g, strlen(g), "Nope", NULL, &st, &b, &d), AIB_ENOTFOUND);
        CHECK_INT(aib_screen_ownership(g, strlen(g), "A", "yesterday", &st, &b, &d), AIB_EINVAL);
    }
    aib_buf_free(&b);
}

TEST(screen_decisions_log)
{
    char path[] = "/tmp/aib-decisions.XXXXXX";
    int fd = mkstemp(path);
    aib_diag_t d;
    char *text = NULL;
    size_t len;
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    close(fd);
    CHECK_INT(aib_screen_decide(path, "0123456789abcdef", "cleared", "ofac-sdn:1", "different DOB \"1980\"", &d), 0);
    CHECK_INT(aib_screen_decide(path, "0123456789abcdef", "escalated", NULL, "", &d), 0);
    CHECK_INT(aib_screen_decide(path, "xyz", "cleared", NULL, "n", &d), AIB_EINVAL);
    CHECK_INT(aib_screen_decide(path, "0123456789abcdef", "maybe", NULL, "n", &d), AIB_EINVAL);
    CHECK_INT(aib_read_file(path, &text, &len, &d), 0);
    if (text) {
        CHECK(strstr(text, "\"decision\":\"cleared\",\"entry\":\"ofac-sdn:1\",\"note\":\"different DOB \\\"1980\\\"\"}\n"));
        CHECK(strstr(text, "\"decision\":\"escalated\",\"entry\":null"));
        CHECK(strchr(text, '\n') != strrchr(text, '\n'));
    }
    free(text);
    unlink(path);
}
