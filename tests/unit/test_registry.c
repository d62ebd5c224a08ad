/* test_registry.c — the innovation registry: record and taxonomy parsers on good and bad input,
 * text primitives, and the release invariant: for many requesters, no route (search, get, dupes,
 * match, export) returns a record the disclosure rules do not release to that requester, and
 * browsing returns all the records they do release (checked against the determinations engine
 * directly, not through the registry's cache). */
#include "test.h"

#include "aib/determine.h"
#include "aib/registry.h"
#include "registry/registry_int.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *good =
    "{\"id\":\"GBR-P-1\",\"type\":\"project\",\"nation\":\"GBR\",\"label\":\"UNCLASSIFIED\","
    "\"title\":\"Quantum gravimeter\",\"summary\":\"Sensing gravity anomalies\",\"areas\":[\"quantum.sensing\"],"
    "\"nations\":[\"GBR\",\"AUS\"],\"start\":\"2024-01-01\",\"end\":\"2025-01-01\"}";

static aib_registry_taxonomy_t *tax(void)
{
    aib_registry_taxonomy_t *t = NULL;
    aib_diag_t d;

    aib_diag_clear(&d);
    aib_registry_taxonomy_load("data/registry/taxonomy.json", &t, &d);
    return t;
}

TEST(registry_record_parse_good)
{
    aib_registry_taxonomy_t *t = tax();
    aib_arena_t *a = aib_arena_new(0);
    aib_registry_record_t r, r2;
    aib_buf_t b;
    aib_diag_t d;

    aib_buf_init(&b);
    CHECK(t != NULL);
    CHECK_INT(aib_registry_record_parse(t, good, strlen(good), a, &r, &d), 0);
    CHECK_STR(r.id, "GBR-P-1");
    CHECK_INT(r.type, AIB_REG_PROJECT);
    CHECK_INT(r.n_areas, 1);
    CHECK_INT(r.n_nations, 2);
    CHECK_STR(r.details, "{}");
    /* the canonical form parses back to itself */
    CHECK_INT(aib_registry_record_json(&r, &b), 0);
    CHECK_INT(aib_registry_record_parse(t, b.data, b.len, a, &r2, &d), 0);
    CHECK_STR(r2.title, r.title);
    CHECK_STR(r2.end, "2025-01-01");
    aib_buf_free(&b);
    aib_arena_free(a);
    aib_registry_taxonomy_free(t);
}

static void expect_bad(const aib_registry_taxonomy_t *t, const char *json, const char *field)
{
    aib_arena_t *a = aib_arena_new(0);
    aib_registry_record_t r;
    aib_diag_t d;
    int rc;

    aib_diag_clear(&d);
    rc = aib_registry_record_parse(t, json, strlen(json), a, &r, &d);
    CHECK(rc != 0);
    if (rc && strncmp(d.msg, field, strlen(field)))
        aib_test_fail(__FILE__, __LINE__, "for %s: message `%s` does not start with `%s`", json, d.msg, field);
    aib_arena_free(a);
}

TEST(registry_record_parse_bad)
{
    aib_registry_taxonomy_t *t = tax();

    expect_bad(t, "", "");
    expect_bad(t, "[1]", "expected a JSON object");
    expect_bad(t, "{\"id\":\"X-1\",\"bogus\":1}", "bogus: unknown field");
    expect_bad(t, "{\"type\":\"project\"}", "id: missing");
    expect_bad(t, "{\"id\":\"a b\",\"type\":\"project\"}", "id:");
    expect_bad(t, "{\"id\":\"GBR-1\",\"type\":\"gadget\"}", "type:");
    expect_bad(t, "{\"id\":\"GBR-1\",\"type\":\"project\",\"nation\":\"gb\"}", "nation:");
    expect_bad(t, "{\"id\":\"GBR-1\",\"type\":\"project\",\"nation\":\"GBR\",\"label\":\"U\",\"title\":\"\","
                  "\"summary\":\"s\",\"areas\":[\"quantum\"]}", "title:");
    expect_bad(t, "{\"id\":\"GBR-1\",\"type\":\"project\",\"nation\":\"GBR\",\"label\":\"U\",\"title\":\"t\","
                  "\"summary\":\"s\",\"areas\":[\"warp-drive\"]}", "areas[0]: unknown area");
    expect_bad(t, "{\"id\":\"GBR-1\",\"type\":\"project\",\"nation\":\"GBR\",\"label\":\"U\",\"title\":\"t\","
                  "\"summary\":\"s\",\"areas\":[]}", "areas:");
    expect_bad(t, "{\"id\":\"GBR-1\",\"type\":\"project\",\"nation\":\"GBR\",\"label\":\"U\",\"title\":\"t\","
                  "\"summary\":\"s\",\"areas\":[\"quantum\"],\"start\":\"2024-02-30\"}", "start:");
    expect_bad(t, "{\"id\":\"GBR-1\",\"type\":\"project\",\"nation\":\"GBR\",\"label\":\"U\",\"title\":\"t\","
                  "\"summary\":\"s\",\"areas\":[\"quantum\"],\"start\":\"2025-01-01\",\"end\":\"2024-01-01\"}", "end:");
    expect_bad(t, "{\"id\":\"GBR-1\",\"type\":\"challenge\",\"nation\":\"GBR\",\"label\":\"U\",\"title\":\"t\","
                  "\"summary\":\"s\",\"areas\":[\"quantum\"],\"details\":{\"deadline\":\"2025-01-01\"}}",
               "details.sponsor:");
    expect_bad(t, "{\"id\":\"GBR-1\",\"type\":\"facility\",\"nation\":\"GBR\",\"label\":\"U\",\"title\":\"t\","
                  "\"summary\":\"s\",\"areas\":[\"arctic\"],\"details\":{\"capabilities\":[\"arctic\"],"
                  "\"ledger\":[{\"partner\":\"USA\",\"access_granted\":-1,\"results_shared\":0}]}}",
               "details.ledger:");
    expect_bad(t, "{\"id\":\"GBR-1\",\"type\":\"dataset\",\"nation\":\"GBR\",\"label\":\"U\",\"title\":\"t\","
                  "\"summary\":\"s\",\"areas\":[\"arctic\"]}", "details.eligibility:");
    expect_bad(t, "{\"id\":\"GBR-1\",\"type\":\"project\",\"nation\":\"GBR\",\"label\":\"U\",\"title\":\"t\","
                  "\"summary\":\"s\",\"areas\":[\"quantum\",\"quantum\"]}", "areas[1]:");
    expect_bad(t, "{\"id\":\"GBR-1\",\"id\":\"GBR-2\"}", "");
    aib_registry_taxonomy_free(t);
}

TEST(registry_taxonomy_bad)
{
    aib_registry_taxonomy_t *t = NULL;
    aib_diag_t d;
    const char *dup = "{\"areas\":[{\"id\":\"a\",\"name\":\"A\",\"sources\":[\"s\"]},"
                      "{\"id\":\"a\",\"name\":\"B\",\"sources\":[\"s\"]}]}";
    const char *nosrc = "{\"areas\":[{\"id\":\"a\",\"name\":\"A\"}]}";
    const char *orphan = "{\"areas\":[{\"id\":\"a.b\",\"name\":\"A\",\"parent\":\"a\",\"sources\":[\"s\"]}]}";

    CHECK(aib_registry_taxonomy_load_mem("t", dup, strlen(dup), &t, &d) != 0);
    CHECK(strstr(d.msg, "duplicate") != NULL);
    CHECK(aib_registry_taxonomy_load_mem("t", nosrc, strlen(nosrc), &t, &d) != 0);
    CHECK(strstr(d.msg, "sources") != NULL);
    CHECK(aib_registry_taxonomy_load_mem("t", orphan, strlen(orphan), &t, &d) != 0);
    CHECK(strstr(d.msg, "parent") != NULL);
    CHECK(aib_registry_taxonomy_load_mem("t", "{", 1, &t, &d) != 0);
    t = tax();
    CHECK(aib_registry_taxonomy_count(t) >= 8);
    CHECK(aib_registry_taxonomy_has(t, "hypersonics"));
    CHECK(aib_registry_taxonomy_has(t, "quantum.pnt"));
    CHECK(!aib_registry_taxonomy_has(t, "warp-drive"));
    aib_registry_taxonomy_free(t);
}

/* ---- A populated registry ------------------------------------------------------------------- */

typedef struct fixture {
    char dir[64], path[128];
    aib_determine_engine_t *eng;
    aib_registry_t *reg;
} fixture_t;

static int fixture_open(fixture_t *f, const char *node)
{
    aib_registry_opts_t o;
    aib_determine_opts_t dopts;
    aib_diag_t d;
    char *text = NULL;
    size_t len = 0;
    const char *p, *end;
    aib_arena_t *a = aib_arena_new(0);
    aib_actor_t who = { "tester", node, "admin" };

    memset(f, 0, sizeof(*f));
    snprintf(f->dir, sizeof(f->dir), "/tmp/aib-reg-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof(f->path), "%s/aib.db", f->dir);
    memset(&dopts, 0, sizeof(dopts));
    if (aib_determine_engine_open(&dopts, &f->eng, &d)) {
        aib_test_fail(__FILE__, __LINE__, "engine: %s", d.msg);
        return -1;
    }
    memset(&o, 0, sizeof(o));
    o.db_path = f->path;
    o.node_nation = node;
    o.engine = f->eng;
    if (aib_registry_open(&o, &f->reg, &d)) {
        aib_test_fail(__FILE__, __LINE__, "open: %s", d.msg);
        return -1;
    }
    if (aib_read_file("data/registry/sample/records.jsonl", &text, &len, &d))
        return -1;
    for (p = text; p < text + len; p = end + 1) {
        aib_registry_record_t r;
        end = memchr(p, '\n', (size_t)(text + len - p));
        if (!end)
            end = text + len;
        if (end == p)
            continue;
        if (aib_registry_record_parse(aib_registry_taxonomy(f->reg), p, (size_t)(end - p), a, &r, &d)
            || aib_registry_add(f->reg, &who, &r, &d))
            aib_test_fail(__FILE__, __LINE__, "sample record: %s", d.msg);
    }
    free(text);
    aib_arena_free(a);
    return 0;
}

static void fixture_close(fixture_t *f)
{
    char cmd[200];

    aib_registry_close(f->reg);
    aib_determine_engine_free(f->eng);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", f->dir);
}

/* Independent oracle: the determinations engine asked directly, plus clearance dominance. */
static int oracle(aib_determine_engine_t *e, const aib_registry_requester_t *w, const aib_registry_record_t *r)
{
    aib_arena_t *a = aib_arena_new(0);
    aib_determine_request_t *req = NULL, *lvl = NULL;
    aib_determine_result_t res;
    aib_buf_t b;
    aib_diag_t d;
    char date[11];
    int ok = 0;

    aib_buf_init(&b);
    aib_alliance_date_format(aib_alliance_date_today(), date, sizeof(date));
    aib_buf_printf(&b, "{\"date\":\"%s\",\"item\":{\"classification\":\"%s\"},\"transfer\":{\"kind\":\"disclosure\","
                       "\"from\":\"USA\",\"to\":\"USA\"}}", date, w->clearance ? w->clearance : "UNCLASSIFIED");
    if (aib_determine_request_parse(e, b.data, b.len, a, &lvl, &d))
        goto done;
    aib_buf_clear(&b);
    aib_buf_printf(&b, "{\"date\":\"%s\",\"item\":{\"markings\":", date);
    aib_buf_json_str(&b, r->label, strlen(r->label));
    aib_buf_printf(&b, "},\"transfer\":{\"kind\":\"disclosure\",\"from\":\"%s\",\"to\":\"%s\",\"end_user\":{\"kind\":\"%s\"}}}",
                   r->nation, w->nation, w->role ? w->role : "government");
    if (aib_determine_request_parse(e, b.data, b.len, a, &req, &d))
        goto done;
    if (req->level > lvl->level)
        goto done;
    if (!strcmp(r->nation, w->nation)) {
        ok = 1;
        goto done;
    }
    if (aib_determine_run(e, req, w->regime ? w->regime : "current", a, &res, &d))
        goto done;
    ok = !strcmp(res.outcome, "releasable");
done:
    aib_buf_free(&b);
    aib_arena_free(a);
    return ok;
}

static const char *const nations[] = { "USA", "GBR", "AUS", "CAN", "JPN", "FRA", "NOR", "DEU", "CHN" };
static const char *const roles[] = { "government", "company", "person" };
static const char *const levels[] = { "UNCLASSIFIED", "CUI", "SECRET", "TOP SECRET" };
static const char *const regimes[] = { "current", "proposed" };

TEST(registry_release_no_route_leaks)
{
    fixture_t f;
    size_t ni, ri, li, gi, i, j;
    size_t checked = 0, visible_total = 0, hidden_total = 0;

    if (fixture_open(&f, "USA"))
        return;
    for (ni = 0; ni < sizeof(nations) / sizeof(*nations); ni++)
        for (ri = 0; ri < 3; ri++)
            for (li = 0; li < 4; li++)
                for (gi = 0; gi < 2; gi++) {
                    aib_registry_requester_t w = { nations[ni], roles[ri], levels[li], regimes[gi] };
                    aib_arena_t *a = aib_arena_new(0);
                    aib_registry_query_t q;
                    aib_registry_hit_t *hits = NULL, *all = NULL;
                    aib_registry_dupe_t *pairs = NULL;
                    size_t n = 0, n_all = 0, n_pairs = 0, n_expected = 0;
                    aib_diag_t d;
                    const char *texts[] = { "quantum", "undersea vehicles", "hypersonic", "radar", "arctic" };
                    aib_registry_query_t bq;
                    aib_registry_hit_t *every = NULL;
                    size_t n_every = 0;

                    /* the whole corpus, unfiltered, to enumerate ids */
                    memset(&bq, 0, sizeof(bq));
                    bq.limit = 1000;
                    memset(&q, 0, sizeof(q));
                    q.limit = 1000;
                    CHECK_INT(aib_registry_search(f.reg, &w, &q, a, &all, &n_all, &d), 0);
                    for (i = 0; i < n_all; i++) {
                        CHECK(oracle(f.eng, &w, &all[i].rec));
                        checked++;
                    }
                    /* completeness: every record the oracle allows is in the browse result */
                    {
                        aib_registry_requester_t own_us = { "USA", "government", "TOP SECRET", "current" };
                        CHECK_INT(aib_registry_search(f.reg, &own_us, &bq, a, &every, &n_every, &d), 0);
                    }
                    for (i = 0; i < n_every; i++) {
                        int allowed = oracle(f.eng, &w, &every[i].rec), found = 0;
                        for (j = 0; j < n_all; j++)
                            if (!strcmp(all[j].rec.id, every[i].rec.id))
                                found = 1;
                        if (allowed != found)
                            aib_test_fail(__FILE__, __LINE__, "%s/%s/%s/%s: %s allowed=%d returned=%d", w.nation,
                                          w.role, w.clearance, w.regime, every[i].rec.id, allowed, found);
                        n_expected += allowed;
                        /* get answers the same for every record */
                        {
                            aib_registry_record_t r;
                            int rc = aib_registry_get(f.reg, &w, every[i].rec.id, a, &r, &d);
                            CHECK_INT(rc == 0, allowed);
                            if (!allowed)
                                CHECK_INT(rc, AIB_ENOTFOUND);
                        }
                    }
                    visible_total += n_expected;
                    hidden_total += n_every - n_expected;
                    for (i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
                        q.text = texts[i];
                        q.match_any = i % 2;
                        CHECK_INT(aib_registry_search(f.reg, &w, &q, a, &hits, &n, &d), 0);
                        for (j = 0; j < n; j++)
                            CHECK(oracle(f.eng, &w, &hits[j].rec));
                    }
                    CHECK_INT(aib_registry_dupes(f.reg, &w, NULL, 0.3, 0, a, &pairs, &n_pairs, &d), 0);
                    for (i = 0; i < n_pairs; i++) {
                        CHECK(oracle(f.eng, &w, &pairs[i].a));
                        CHECK(oracle(f.eng, &w, &pairs[i].b));
                        CHECK(strcmp(pairs[i].a.nation, pairs[i].b.nation) != 0);
                    }
                    {
                        const char *ch[] = { "USA-X-0001", "GBR-X-0101" };
                        for (i = 0; i < 2; i++) {
                            int rc = aib_registry_match(f.reg, &w, ch[i], 50, a, &hits, &n, &d);
                            if (rc == 0)
                                for (j = 0; j < n; j++)
                                    CHECK(oracle(f.eng, &w, &hits[j].rec));
                            else
                                CHECK_INT(rc, AIB_ENOTFOUND);
                        }
                    }
                    aib_arena_free(a);
                }
    /* the corpus must exercise both sides */
    CHECK(visible_total > 0);
    CHECK(hidden_total > 0);
    CHECK(checked > 100);
    fixture_close(&f);
}

/* A nation allowed almost nothing sees exactly the unclassified, uncontrolled records. */
TEST(registry_release_examples)
{
    fixture_t f;
    aib_arena_t *a = aib_arena_new(0);
    aib_registry_record_t r;
    aib_registry_dupe_t *pairs = NULL;
    size_t n = 0;
    aib_diag_t d;
    aib_registry_requester_t jpn = { "JPN", "government", "TOP SECRET", "current" };
    aib_registry_requester_t gbr = { "GBR", "government", "SECRET", "current" };
    aib_registry_requester_t gbr_u = { "GBR", "government", "UNCLASSIFIED", "current" };
    aib_registry_requester_t usa = { "USA", "government", "TOP SECRET", "current" };

    if (fixture_open(&f, "USA"))
        return;
    CHECK_INT(aib_registry_get(f.reg, &gbr, "USA-P-0002", a, &r, &d), 0);   /* SECRET//REL TO USA, AUS, GBR */
    CHECK_INT(aib_registry_get(f.reg, &gbr_u, "USA-P-0002", a, &r, &d), AIB_ENOTFOUND); /* clearance */
    CHECK_INT(aib_registry_get(f.reg, &jpn, "USA-P-0002", a, &r, &d), AIB_ENOTFOUND);
    CHECK_INT(aib_registry_get(f.reg, &gbr, "USA-P-0003", a, &r, &d), AIB_ENOTFOUND);   /* NOFORN */
    CHECK_INT(aib_registry_get(f.reg, &usa, "USA-P-0003", a, &r, &d), 0);
    CHECK_INT(aib_registry_get(f.reg, &gbr, "USA-P-0004", a, &r, &d), AIB_ENOTFOUND);   /* SP-EXPT */
    CHECK_INT(aib_registry_get(f.reg, &gbr, "NO-SUCH", a, &r, &d), AIB_ENOTFOUND);
    /* the planted near-duplicate pair is found for the US and GBR, not for JPN */
    CHECK_INT(aib_registry_dupes(f.reg, &usa, NULL, 0.5, 0, a, &pairs, &n, &d), 0);
    CHECK(n >= 1);
    if (n >= 1) {
        CHECK(pairs[0].score >= 0.5);
        CHECK(pairs[0].n_terms > 3);
        CHECK((!strcmp(pairs[0].a.id, "USA-P-0001") && !strcmp(pairs[0].b.id, "GBR-P-0101"))
              || (!strcmp(pairs[0].b.id, "USA-P-0001") && !strcmp(pairs[0].a.id, "GBR-P-0101")));
    }
    CHECK_INT(aib_registry_dupes(f.reg, &jpn, NULL, 0.5, 0, a, &pairs, &n, &d), 0);
    CHECK_INT(n, 0);
    CHECK_INT(aib_registry_dupes(f.reg, &jpn, "USA-P-0001", 0.5, 0, a, &pairs, &n, &d), AIB_ENOTFOUND);
    CHECK_INT(aib_registry_dupes(f.reg, &usa, "GBR-P-0101", 0.5, 0, a, &pairs, &n, &d), 0);
    CHECK_INT(n, 1);
    /* bad requesters are refused, naming the field */
    {
        aib_registry_requester_t bad = { "XXX", NULL, NULL, NULL };
        CHECK_INT(aib_registry_get(f.reg, &bad, "USA-F-0001", a, &r, &d), AIB_EINVAL);
        CHECK(strstr(d.msg, "nation") != NULL);
        bad.nation = "GBR";
        bad.role = "spy";
        CHECK_INT(aib_registry_get(f.reg, &bad, "USA-F-0001", a, &r, &d), AIB_EINVAL);
        CHECK(strstr(d.msg, "role") != NULL);
        bad.role = NULL;
        bad.clearance = "ULTRA";
        CHECK_INT(aib_registry_get(f.reg, &bad, "USA-F-0001", a, &r, &d), AIB_EINVAL);
        CHECK(strstr(d.msg, "clearance") != NULL);
    }
    aib_arena_free(a);
    fixture_close(&f);
}

TEST(registry_search_filters_and_match)
{
    fixture_t f;
    aib_arena_t *a = aib_arena_new(0);
    aib_registry_query_t q;
    aib_registry_hit_t *h = NULL;
    aib_registry_type_t t = AIB_REG_FACILITY;
    size_t n = 0, i;
    aib_diag_t d;
    aib_registry_requester_t usa = { "USA", "government", "TOP SECRET", "current" };

    if (fixture_open(&f, "USA"))
        return;
    memset(&q, 0, sizeof(q));
    q.types = &t;
    q.n_types = 1;
    CHECK_INT(aib_registry_search(f.reg, &usa, &q, a, &h, &n, &d), 0);
    CHECK_INT(n, 2);
    for (i = 0; i < n; i++)
        CHECK_INT(h[i].rec.type, AIB_REG_FACILITY);
    memset(&q, 0, sizeof(q));
    q.area = "quantum"; /* parent area finds quantum.pnt and quantum.sensing records */
    CHECK_INT(aib_registry_search(f.reg, &usa, &q, a, &h, &n, &d), 0);
    CHECK(n >= 5);
    memset(&q, 0, sizeof(q));
    q.nation = "NOR";
    CHECK_INT(aib_registry_search(f.reg, &usa, &q, a, &h, &n, &d), 0);
    CHECK_INT(n, 2);
    memset(&q, 0, sizeof(q));
    q.text = "submarines navigation";
    q.from = "2026-07-01"; /* GBR-P-0101 ended in March 2026 */
    CHECK_INT(aib_registry_search(f.reg, &usa, &q, a, &h, &n, &d), 0);
    CHECK_INT(n, 1);
    if (n)
        CHECK_STR(h[0].rec.id, "USA-P-0001");
    memset(&q, 0, sizeof(q));
    q.text = "\"quantum\" OR NEAR( * ^"; /* FTS5 syntax in user text is just words */
    CHECK_INT(aib_registry_search(f.reg, &usa, &q, a, &h, &n, &d), 0);
    q.text = "zzzz-no-such-word";
    CHECK_INT(aib_registry_search(f.reg, &usa, &q, a, &h, &n, &d), 0);
    CHECK_INT(n, 0);
    memset(&q, 0, sizeof(q));
    q.area = "warp-drive";
    CHECK_INT(aib_registry_search(f.reg, &usa, &q, a, &h, &n, &d), AIB_EINVAL);
    /* matchmaking: the GPS-free navigation challenge finds the navigation projects and capabilities */
    CHECK_INT(aib_registry_match(f.reg, &usa, "USA-X-0001", 3, a, &h, &n, &d), 0);
    CHECK_INT(n, 3);
    for (i = 0; i < n; i++)
        CHECK(h[i].rec.type != AIB_REG_CHALLENGE);
    if (n)
        CHECK(!strcmp(h[0].rec.id, "USA-P-0001") || !strcmp(h[0].rec.id, "GBR-P-0101"));
    CHECK_INT(aib_registry_match(f.reg, &usa, "USA-P-0001", 3, a, &h, &n, &d), AIB_EINVAL); /* not a challenge */
    aib_arena_free(a);
    fixture_close(&f);
}

TEST(registry_text)
{
    aib_arena_t *a = aib_arena_new(0);
    const char **t1, **t2, *common[8];
    size_t n1, n2, nc;
    uint32_t s1[AIB__REG_MINHASH], s2[AIB__REG_MINHASH];
    const char *x = "The quantum sensors and the Quantum sensor; navigation of vehicles";
    const char *y = "navigation for vehicles using quantum sensors";
    double j;
    int k, same = 0;

    CHECK_INT(aib__registry_terms(x, strlen(x), a, &t1, &n1), 0);
    CHECK_INT(n1, 4); /* quantum, sensor, navigation, vehicle */
    CHECK_INT(aib__registry_terms(y, strlen(y), a, &t2, &n2), 0);
    j = aib__registry_jaccard(t1, n1, t2, n2, common, 8, &nc);
    CHECK(j > 0.99);
    CHECK_INT(nc, 4);
    aib__registry_minhash(t1, n1, s1);
    aib__registry_minhash(t2, n2, s2);
    for (k = 0; k < AIB__REG_MINHASH; k++)
        same += s1[k] == s2[k];
    CHECK_INT(same, AIB__REG_MINHASH);
    aib_arena_free(a);
}
