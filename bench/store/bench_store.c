/* bench_store.c — durable case writes per second against raw SQLite inserts with the same
 * durability (WAL, synchronous=FULL, one transaction per write), in one run on the same disk.
 * Measures: raw single-row inserts; aib_store_case_create (case row, history, tags, audit entry);
 * aib_cases_create (the full path: body check, Cedar routing, store write). Prints one line per
 * measurement and the ratios. Usage: bench_store DIR N (run from the repository root). */
#include "aib/cases.h"
#include "aib/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double raw_inserts(const char *path, int n)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    double t0;
    int i;
    char id[32];
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return -1;
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                     "CREATE TABLE t (id TEXT PRIMARY KEY, type TEXT, title TEXT, stage TEXT,"
                     " nation TEXT, fields TEXT, at INTEGER)", NULL, NULL, NULL);
    sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?, 'export_licence', 'Sonar array', 'submitted',"
                           " 'GBR', '{\"destination\":\"AUS\"}', ?)", -1, &st, NULL);
    t0 = now_s();
    for (i = 0; i < n; i++) {
        snprintf(id, sizeof(id), "C-%020d", i);
        sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, i);
        if (sqlite3_step(st) != SQLITE_DONE)
            return -1;
        sqlite3_reset(st);
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    }
    t0 = now_s() - t0;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n / t0;
}

static double store_creates(const char *path, int n)
{
    aib_store_t *s;
    aib_diag_t d;
    aib_actor_t who = { "bench", "GBR", "officer" };
    double t0;
    int i;
    char id[32];
    if (aib_store_open_sqlite(path, &s, &d) || aib_store_migrate(s, NULL, NULL, &d))
        return -1;
    t0 = now_s();
    for (i = 0; i < n; i++) {
        aib_case_t c;
        aib_case_stage_t h = { "submitted", "DDTC intake", i, 0, "bench", "" };
        memset(&c, 0, sizeof(c));
        snprintf(id, sizeof(id), "C-%020d", i);
        c.id = id; c.type = "export_licence"; c.subtype = "DSP-5"; c.title = "Sonar array";
        c.stage = "submitted"; c.owner = "DDTC intake"; c.nation = "GBR";
        c.fields = "{\"destination\":\"AUS\"}"; c.created_by = "bench";
        c.created_at = c.updated_at = c.stage_since = i;
        c.history = &h; c.n_history = 1;
        if (aib_store_case_create(s, &who, &c, &d)) {
            fprintf(stderr, "store: %s\n", d.msg);
            return -1;
        }
    }
    t0 = now_s() - t0;
    aib_store_close(s);
    return n / t0;
}

static double full_creates(const char *path, int n)
{
    static const char body[] = "{\"type\":\"export_licence\",\"subtype\":\"DSP-5\",\"title\":\"Sonar array\","
                               "\"released_to\":[\"USA\"],\"fields\":{\"destination\":\"AUS\",\"value_usd\":1000}}";
    aib_store_t *s;
    aib_cases_t *cs;
    aib_arena_t *a = aib_arena_new(0);
    aib_diag_t d;
    aib_actor_t who = { "bench", "GBR", "officer" };
    aib_case_t c;
    double t0;
    int i;
    if (aib_store_open_sqlite(path, &s, &d) || aib_store_migrate(s, NULL, NULL, &d) ||
        aib_cases_load("data/cases", "policies/routing", &cs, &d))
        return -1;
    t0 = now_s();
    for (i = 0; i < n; i++) {
        aib_arena_reset(a);
        if (aib_cases_create(cs, s, &who, body, sizeof(body) - 1, a, &c, &d)) {
            fprintf(stderr, "cases: %s\n", d.msg);
            return -1;
        }
    }
    t0 = now_s() - t0;
    aib_cases_free(cs);
    aib_store_close(s);
    aib_arena_free(a);
    return n / t0;
}

int main(int argc, char **argv)
{
    char p[3][512];
    double raw, st, full;
    int64_t nn = 2000;
    int n;
    if (argc > 2 && aib_parse_i64(argv[2], strlen(argv[2]), &nn) != 0)
        nn = 0;
    n = (int)nn;
    if (argc < 2 || nn <= 0 || nn > 10000000) {
        fprintf(stderr, "usage: bench_store DIR [N]\n");
        return 2;
    }
    snprintf(p[0], sizeof(p[0]), "%s/raw.db", argv[1]);
    snprintf(p[1], sizeof(p[1]), "%s/store.db", argv[1]);
    snprintf(p[2], sizeof(p[2]), "%s/cases.db", argv[1]);
    raw = raw_inserts(p[0], n);
    st = store_creates(p[1], n);
    full = full_creates(p[2], n);
    if (raw <= 0 || st <= 0 || full <= 0) {
        fprintf(stderr, "bench_store: a measurement failed\n");
        return 1;
    }
    printf("writes: %d each, SQLite WAL synchronous=FULL, one transaction per write\n", n);
    printf("raw sqlite insert          %10.0f writes/s\n", raw);
    printf("aib_store_case_create      %10.0f writes/s  (%.2f x raw; row + history + audit)\n", st, st / raw);
    printf("aib_cases_create           %10.0f writes/s  (%.2f x raw; + body check + Cedar routing)\n", full, full / raw);
    printf("target >= 0.50 x raw: %s\n", full / raw >= 0.5 ? "met" : "NOT met");
    return 0;
}
