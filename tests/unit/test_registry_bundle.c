/* test_registry_bundle.c — signed handoff: an export holds exactly the records releasable to the
 * destination; import refuses altered bundles, untrusted keys, bundles for another node and
 * records the importing node may not hold (even when properly signed), and is idempotent. Also
 * the API handlers' status codes. */
#include "test.h"

#include "aib/registry.h"
#include "registry/registry_int.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct node {
    char dir[64], path[128];
    aib_registry_t *reg;
} node_t;

static aib_determine_engine_t *engine(void)
{
    static aib_determine_engine_t *e;
    aib_determine_opts_t o;
    aib_diag_t d;

    if (!e) {
        memset(&o, 0, sizeof(o));
        if (aib_determine_engine_open(&o, &e, &d))
            aib_test_fail(__FILE__, __LINE__, "engine: %s", d.msg);
    }
    return e;
}

static int node_open(node_t *n, const char *nation, int load_sample)
{
    aib_registry_opts_t o;
    aib_diag_t d;
    char *text = NULL;
    size_t len = 0;
    const char *p, *end;
    aib_arena_t *a;
    aib_actor_t who = { "tester", nation, "admin" };

    memset(n, 0, sizeof(*n));
    snprintf(n->dir, sizeof(n->dir), "/tmp/aib-regb-XXXXXX");
    if (!mkdtemp(n->dir) || !engine())
        return -1;
    snprintf(n->path, sizeof(n->path), "%s/aib.db", n->dir);
    memset(&o, 0, sizeof(o));
    o.db_path = n->path;
    o.node_nation = nation;
    o.engine = engine();
    if (aib_registry_open(&o, &n->reg, &d)) {
        aib_test_fail(__FILE__, __LINE__, "open: %s", d.msg);
        return -1;
    }
    if (!load_sample)
        return 0;
    if (aib_read_file("data/registry/sample/records.jsonl", &text, &len, &d))
        return -1;
    a = aib_arena_new(0);
    aib_registry_begin(n->reg, &d);
    for (p = text; p < text + len; p = end + 1) {
        aib_registry_record_t r;
        end = memchr(p, '\n', (size_t)(text + len - p));
        if (!end)
            end = text + len;
        if (end == p)
            continue;
        if (aib_registry_record_parse(aib_registry_taxonomy(n->reg), p, (size_t)(end - p), a, &r, &d)
            || aib_registry_add(n->reg, &who, &r, &d))
            aib_test_fail(__FILE__, __LINE__, "sample: %s", d.msg);
    }
    aib_registry_commit(n->reg, &d);
    aib_arena_free(a);
    free(text);
    return 0;
}

static void node_close(node_t *n)
{
    char cmd[200];

    aib_registry_close(n->reg);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", n->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", n->dir);
}

static size_t count_lines(const aib_buf_t *b)
{
    size_t i, n = 0;

    for (i = 0; i < b->len; i++)
        n += b->data[i] == '\n';
    return n;
}

TEST(registry_bundle_roundtrip_and_tamper)
{
    node_t us, uk;
    uint8_t pk[32], sk[64], pk2[32], sk2[64];
    aib_buf_t b, bad;
    aib_diag_t d;
    size_t count = 0, i;
    aib_registry_import_report_t rep;
    aib_actor_t who = { "tester", "USA", "admin" };
    aib_arena_t *a = aib_arena_new(0);
    aib_registry_requester_t gbr = { "GBR", "government", "TOP SECRET", "current" };

    aib_buf_init(&b);
    aib_buf_init(&bad);
    CHECK(sodium_init() >= 0);
    crypto_sign_keypair(pk, sk);
    crypto_sign_keypair(pk2, sk2);
    if (node_open(&us, "USA", 1) || node_open(&uk, "GBR", 0))
        return;
    CHECK_INT(aib_registry_export(us.reg, &who, "GBR", NULL, sk, &b, &count, &d), 0);
    CHECK_INT(count_lines(&b), count + 2);
    /* exactly what a GBR government holder may see, minus GBR's own records */
    {
        aib_registry_query_t q;
        aib_registry_hit_t *h = NULL;
        size_t n = 0, expect = 0;
        memset(&q, 0, sizeof(q));
        q.limit = 1000;
        CHECK_INT(aib_registry_search(us.reg, &gbr, &q, a, &h, &n, &d), 0);
        for (i = 0; i < n; i++) {
            char needle[80];
            int own = !strcmp(h[i].rec.nation, "GBR");
            snprintf(needle, sizeof(needle), "{\"id\":\"%s\"", h[i].rec.id);
            CHECK_INT(strstr(b.data, needle) != NULL, !own);
            expect += !own;
        }
        CHECK_INT(count, expect);
        CHECK(strstr(b.data, "USA-P-0003") == NULL); /* NOFORN */
        CHECK(strstr(b.data, "USA-P-0004") == NULL); /* SP-EXPT */
        CHECK(strstr(b.data, "USA-P-0002") != NULL); /* REL TO USA, AUS, GBR */
    }
    /* wrong key, wrong node */
    CHECK_INT(aib_registry_import(uk.reg, &who, b.data, b.len, pk2, &rep, &d), AIB_EDENIED);
    /* every single-byte change anywhere is refused (sampled positions) */
    for (i = 0; i < b.len; i += b.len / 97 + 1) {
        aib_buf_clear(&bad);
        aib_buf_append(&bad, b.data, b.len);
        bad.data[i] ^= 0x01;
        if (aib_registry_import(uk.reg, &who, bad.data, bad.len, pk, &rep, &d) == 0)
            aib_test_fail(__FILE__, __LINE__, "altered byte %zu accepted", i);
    }
    /* truncated */
    CHECK(aib_registry_import(uk.reg, &who, b.data, b.len - 5, pk, &rep, &d) != 0);
    CHECK(aib_registry_import(uk.reg, &who, "", 0, pk, &rep, &d) != 0);
    /* nothing was stored by the refusals */
    {
        aib_registry_record_t r;
        CHECK_INT(aib_registry_get(uk.reg, &gbr, "USA-P-0002", a, &r, &d), AIB_ENOTFOUND);
    }
    /* the genuine bundle imports, twice, idempotently */
    CHECK_INT(aib_registry_import(uk.reg, &who, b.data, b.len, pk, &rep, &d), 0);
    CHECK_INT(rep.added, count);
    CHECK_STR(rep.from, "USA");
    CHECK_INT(aib_registry_import(uk.reg, &who, b.data, b.len, pk, &rep, &d), 0);
    CHECK_INT(rep.added, 0);
    CHECK_INT(rep.updated, 0);
    CHECK_INT(rep.unchanged, count);
    {
        aib_registry_record_t r;
        CHECK_INT(aib_registry_get(uk.reg, &gbr, "USA-P-0002", a, &r, &d), 0);
        CHECK_STR(r.origin, "USA");
    }
    /* a bundle for AUS is refused by the GBR node */
    aib_buf_clear(&b);
    CHECK_INT(aib_registry_export(us.reg, &who, "AUS", NULL, sk, &b, &count, &d), 0);
    CHECK_INT(aib_registry_import(uk.reg, &who, b.data, b.len, pk, &rep, &d), AIB_EDENIED);
    aib_buf_free(&b);
    aib_buf_free(&bad);
    aib_arena_free(a);
    node_close(&us);
    node_close(&uk);
}

/* Signs arbitrary lines as a bundle, as a compromised or careless sender could. */
static void sign_bundle(aib_buf_t *b, const char *to, const char *const *recs, size_t n, const uint8_t *sk)
{
    uint8_t sig[64];
    char hex[129], pkhex[65];
    size_t i;

    aib_buf_clear(b);
    aib_buf_printf(b, "{\"format\":\"aib-registry-bundle/1\",\"from\":\"USA\",\"to\":\"%s\",\"regime\":\"current\","
                      "\"created_at\":1,\"count\":%zu}\n", to, n);
    for (i = 0; i < n; i++)
        aib_buf_printf(b, "%s\n", recs[i]);
    crypto_sign_detached(sig, NULL, (const unsigned char *)b->data, b->len, sk);
    aib__registry_hex_encode(sig, 64, hex);
    aib__registry_hex_encode(sk + 32, 32, pkhex);
    aib_buf_printf(b, "{\"signature\":\"%s\",\"public_key\":\"%s\"}\n", hex, pkhex);
}

TEST(registry_bundle_refuses_unreleasable_and_updates)
{
    node_t uk;
    uint8_t pk[32], sk[64];
    aib_buf_t b;
    aib_diag_t d;
    aib_registry_import_report_t rep;
    aib_actor_t who = { "tester", "GBR", "admin" };
    aib_arena_t *a = aib_arena_new(0);
    aib_registry_record_t r;
    aib_registry_requester_t gbr = { "GBR", "government", "TOP SECRET", "current" };
    const char *ok = "{\"id\":\"USA-P-9\",\"type\":\"project\",\"nation\":\"USA\",\"label\":\"UNCLASSIFIED\","
                     "\"title\":\"Open project\",\"summary\":\"v1\",\"areas\":[\"innovation\"],\"updated_at\":100}";
    const char *newer = "{\"id\":\"USA-P-9\",\"type\":\"project\",\"nation\":\"USA\",\"label\":\"UNCLASSIFIED\","
                        "\"title\":\"Open project\",\"summary\":\"v2\",\"areas\":[\"innovation\"],\"updated_at\":200}";
    const char *noforn = "{\"id\":\"USA-P-10\",\"type\":\"project\",\"nation\":\"USA\",\"label\":\"SECRET//NOFORN\","
                         "\"title\":\"Secret\",\"summary\":\"x\",\"areas\":[\"innovation\"],\"updated_at\":100}";
    const char *own = "{\"id\":\"GBR-P-10\",\"type\":\"project\",\"nation\":\"GBR\",\"label\":\"UNCLASSIFIED\","
                      "\"title\":\"Ours\",\"summary\":\"x\",\"areas\":[\"innovation\"],\"updated_at\":100}";
    const char *garbage = "{\"id\":\"USA-P-11\",\"type\":\"project\"}";
    const char *set1[] = { ok, noforn };

    aib_buf_init(&b);
    CHECK(sodium_init() >= 0);
    crypto_sign_keypair(pk, sk);
    if (node_open(&uk, "GBR", 0))
        return;
    /* properly signed, but one record is NOFORN: the whole bundle is refused */
    sign_bundle(&b, "GBR", set1, 2, sk);
    CHECK_INT(aib_registry_import(uk.reg, &who, b.data, b.len, pk, &rep, &d), AIB_EDENIED);
    CHECK(strstr(d.msg, "USA-P-10") != NULL);
    CHECK_INT(aib_registry_get(uk.reg, &gbr, "USA-P-9", a, &r, &d), AIB_ENOTFOUND);
    sign_bundle(&b, "GBR", &own, 1, sk);
    CHECK_INT(aib_registry_import(uk.reg, &who, b.data, b.len, pk, &rep, &d), AIB_EDENIED);
    sign_bundle(&b, "GBR", &garbage, 1, sk);
    CHECK(aib_registry_import(uk.reg, &who, b.data, b.len, pk, &rep, &d) != 0);
    /* count mismatch */
    sign_bundle(&b, "GBR", &ok, 1, sk);
    {
        char *c = strstr(b.data, "\"count\":1");
        aib_buf_t b2;
        aib_buf_init(&b2);
        if (c) {
            *(c + 8) = '2';
            CHECK(aib_registry_import(uk.reg, &who, b.data, b.len, pk, &rep, &d) != 0); /* signature breaks */
        }
        aib_buf_free(&b2);
    }
    sign_bundle(&b, "GBR", &ok, 1, sk);
    CHECK_INT(aib_registry_import(uk.reg, &who, b.data, b.len, pk, &rep, &d), 0);
    CHECK_INT(rep.added, 1);
    sign_bundle(&b, "GBR", &newer, 1, sk);
    CHECK_INT(aib_registry_import(uk.reg, &who, b.data, b.len, pk, &rep, &d), 0);
    CHECK_INT(rep.updated, 1);
    CHECK_INT(aib_registry_get(uk.reg, &gbr, "USA-P-9", a, &r, &d), 0);
    CHECK_STR(r.summary, "v2");
    /* an older version does not roll it back */
    sign_bundle(&b, "GBR", &ok, 1, sk);
    CHECK_INT(aib_registry_import(uk.reg, &who, b.data, b.len, pk, &rep, &d), 0);
    CHECK_INT(rep.unchanged, 1);
    CHECK_INT(aib_registry_get(uk.reg, &gbr, "USA-P-9", a, &r, &d), 0);
    CHECK_STR(r.summary, "v2");
    /* the updated text is what search finds */
    {
        aib_registry_query_t q;
        aib_registry_hit_t *h;
        size_t n = 0;
        memset(&q, 0, sizeof(q));
        q.text = "v2";
        CHECK_INT(aib_registry_search(uk.reg, &gbr, &q, a, &h, &n, &d), 0);
        CHECK_INT(n, 1);
        q.text = "v1";
        CHECK_INT(aib_registry_search(uk.reg, &gbr, &q, a, &h, &n, &d), 0);
        CHECK_INT(n, 0);
    }
    aib_buf_free(&b);
    aib_arena_free(a);
    node_close(&uk);
}

TEST(registry_keys)
{
    char dir[] = "/tmp/aib-regk-XXXXXX", skp[128], pkp[128], cmd[160];
    uint8_t pk[32], sk[64], pk2[32], sk2[64];
    bool has = false;
    aib_diag_t d;

    if (!mkdtemp(dir))
        return;
    snprintf(skp, sizeof(skp), "%s/n.key", dir);
    snprintf(pkp, sizeof(pkp), "%s/n.pub", dir);
    CHECK_INT(aib_registry_keygen(skp, pkp, &d), 0);
    CHECK_INT(aib_registry_keygen(skp, pkp, &d), AIB_EEXIST); /* never overwritten */
    CHECK_INT(aib_registry_key_load(skp, pk, sk, &has, &d), 0);
    CHECK(has);
    CHECK_INT(aib_registry_key_load(pkp, pk2, sk2, &has, &d), 0);
    CHECK(!has);
    CHECK(memcmp(pk, pk2, 32) == 0);
    CHECK(aib_registry_key_load("/nonexistent/k", pk2, sk2, &has, &d) != 0);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    CHECK_INT(system(cmd), 0);
}

TEST(registry_api_handlers)
{
    node_t us;
    aib_arena_t *a = aib_arena_new(0);
    aib_buf_t out;
    int status = 0;
    aib_registry_requester_t jpn = { "JPN", "government", "SECRET", "current" };
    aib_registry_requester_t usa = { "USA", "government", "SECRET", "current" };
    aib_actor_t who = { "api-user", "JPN", "officer" };
    aib_registry_param_t bad[] = { { "bogus", "1" } };
    aib_registry_param_t lim[] = { { "limit", "0" } };
    aib_registry_param_t q[] = { { "q", "hypersonic" } };
    const char *body = "{\"id\":\"USA-P-77\",\"type\":\"project\",\"nation\":\"USA\",\"label\":\"UNCLASSIFIED\","
                       "\"title\":\"t\",\"summary\":\"s\",\"areas\":[\"innovation\"]}";

    aib_buf_init(&out);
    if (node_open(&us, "USA", 1))
        return;
    CHECK_INT(aib_registry_api_search(us.reg, &jpn, bad, 1, a, &out, &status), 0);
    CHECK_INT(status, 400);
    CHECK(strstr(out.data, "query.bogus") != NULL);
    aib_buf_clear(&out);
    CHECK_INT(aib_registry_api_search(us.reg, &jpn, lim, 1, a, &out, &status), 0);
    CHECK_INT(status, 400);
    aib_buf_clear(&out);
    CHECK_INT(aib_registry_api_search(us.reg, &jpn, q, 1, a, &out, &status), 0);
    CHECK_INT(status, 200);
    CHECK(strstr(out.data, "USA-F-0001") != NULL);
    CHECK(strstr(out.data, "USA-P-0002") == NULL);
    CHECK(strstr(out.data, "USA-P-0003") == NULL);
    aib_buf_clear(&out);
    CHECK_INT(aib_registry_api_get(us.reg, &jpn, "USA-P-0002", a, &out, &status), 0);
    CHECK_INT(status, 404);
    aib_buf_clear(&out);
    CHECK_INT(aib_registry_api_get(us.reg, &usa, "USA-P-0002", a, &out, &status), 0);
    CHECK_INT(status, 200);
    aib_buf_clear(&out);
    CHECK_INT(aib_registry_api_match(us.reg, &jpn, "USA-X-0001", NULL, 0, a, &out, &status), 0);
    CHECK_INT(status, 200);
    CHECK(strstr(out.data, "USA-P-0001") == NULL); /* CUI//REL TO USA, FVEY */
    aib_buf_clear(&out);
    CHECK_INT(aib_registry_api_dupes(us.reg, &jpn, NULL, 0, a, &out, &status), 0);
    CHECK_INT(status, 200);
    CHECK(strstr(out.data, "\"count\":0") != NULL);
    aib_buf_clear(&out);
    /* a JPN user cannot publish a USA record */
    CHECK_INT(aib_registry_api_add(us.reg, &jpn, &who, body, strlen(body), a, &out, &status), 0);
    CHECK_INT(status, 400);
    aib_buf_clear(&out);
    CHECK_INT(aib_registry_api_add(us.reg, &usa, &who, body, strlen(body), a, &out, &status), 0);
    CHECK_INT(status, 201);
    aib_buf_clear(&out);
    CHECK_INT(aib_registry_api_add(us.reg, &usa, &who, body, strlen(body), a, &out, &status), 0);
    CHECK_INT(status, 409);
    aib_buf_clear(&out);
    CHECK_INT(aib_registry_api_taxonomy(us.reg, &out, &status), 0);
    CHECK_INT(status, 200);
    CHECK(strstr(out.data, "\"hypersonics\"") != NULL);
    aib_buf_free(&out);
    aib_arena_free(a);
    node_close(&us);
}
