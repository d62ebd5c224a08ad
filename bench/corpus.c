/* corpus.c — corpus-replay benchmark of the Cedar engine: loads every test of the Cedar
 * conformance suite once (policies, schema, entities, requests), then times only
 * aib_cedar_authorize over all requests, REPS times (wall clock and process CPU time).
 * bench/run compares the figure with the reference implementation replaying the same tests
 * (bench/corpus_wasm.js --only LIST_OUT).
 * usage: corpus CONFORMANCE_DIR [REPS [LIST_OUT]]   prints one JSON object on stdout. */
#include "aib/cedar.h"
#include "cedar/json_int.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    aib_cedar_policyset_t *ps;
    aib_cedar_schema_t *schema;
    aib_cedar_entities_t *ents;
    aib_arena_t *req_arena; /* owns the parsed requests */
    aib_cedar_request_t **reqs;
    size_t n_reqs;
} bench_test_t;

typedef struct {
    char **v;
    size_t n, cap;
} strvec_t;

static int strvec_push(strvec_t *sv, const char *s)
{
    if (sv->n == sv->cap) {
        size_t cap = sv->cap ? sv->cap * 2 : 256;
        char **nv = realloc(sv->v, cap * sizeof *nv);
        if (!nv)
            return -1;
        sv->v = nv;
        sv->cap = cap;
    }
    sv->v[sv->n] = strdup(s);
    return sv->v[sv->n++] ? 0 : -1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Test files: *.json except *.entities.json, below dir (recursively). */
static void list_tests(const char *dir, strvec_t *out)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        size_t n = strlen(e->d_name);
        if (n > 5 && !strcmp(e->d_name + n - 5, ".json")) {
            if (!(n > 14 && !strcmp(e->d_name + n - 14, ".entities.json")))
                strvec_push(out, p);
        } else if (!strchr(e->d_name, '.')) {
            list_tests(p, out);
        }
    }
    closedir(d);
}

static char *read_rel(const char *root, const char *rel, size_t *len)
{
    char p[4096];
    char *buf = NULL;
    aib_diag_t dg;
    snprintf(p, sizeof p, "%s/%s", root, rel);
    if (aib_read_file(p, &buf, len, &dg) != 0)
        return NULL;
    return buf;
}

/* Reverses aib__json_load's key re-encoding in dumped text (U+FDD0 '0' -> \u0000,
 * U+FDD0 '1' -> U+FDD0). Returns a new malloc'd string (the input is freed), NULL on ENOMEM. */
static char *undo_nul_encoding(char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n * 2 + 1), *w = out;
    if (out) {
        for (const char *r = s; *r;) {
            if ((unsigned char)r[0] == 0xEF && (unsigned char)r[1] == 0xB7 &&
                (unsigned char)r[2] == 0x90 && (r[3] == '0' || r[3] == '1')) {
                if (r[3] == '0') {
                    memcpy(w, "\\u0000", 6);
                    w += 6;
                } else {
                    memcpy(w, r, 3);
                    w += 3;
                }
                r += 4;
            } else {
                *w++ = *r++;
            }
        }
        *w = '\0';
    }
    free(s);
    return out;
}

/* Loads one test; 0 on success, -1 when any part does not load (the test is skipped). */
static int load_test(const char *root, const char *file, bench_test_t *t, size_t *n_bad_req)
{
    int rc = -1;
    char *pol = NULL, *sch = NULL, *ent = NULL, *txt_all = NULL;
    size_t pl = 0, sl = 0, el = 0, tl = 0;
    aib_diag_t dg;
    int lrc = 0;
    json_t *j = NULL;
    memset(t, 0, sizeof *t);
    /* The engine's loader, because test files may hold NUL inside object keys, which plain
     * jansson refuses; its re-encoding is undone per request below. */
    if (aib_read_file(file, &txt_all, &tl, &dg) != 0 ||
        !(j = aib__json_load(txt_all, tl, file, &dg, &lrc))) {
        if (getenv("AIB_BENCH_VERBOSE")) {
            char m[1200];
            aib_diag_format(&dg, m, sizeof m);
            fprintf(stderr, "corpus: skipping %s: %s\n", file, m);
        }
        goto done;
    }
    const char *pp = json_string_value(json_object_get(j, "policies"));
    const char *sp = json_string_value(json_object_get(j, "schema"));
    const char *ep = json_string_value(json_object_get(j, "entities"));
    json_t *reqs = json_object_get(j, "requests");
    if (!pp || !ep || !json_is_array(reqs))
        goto done;
    if (!(pol = read_rel(root, pp, &pl)) || !(ent = read_rel(root, ep, &el)))
        goto done;
    if (sp && !(sch = read_rel(root, sp, &sl)))
        goto done;
    if (aib_cedar_policyset_parse(pol, pl, pp, &t->ps, &dg) != 0 ||
        (sch && aib_cedar_schema_parse(sch, sl, false, sp, &t->schema, &dg) != 0) ||
        aib_cedar_entities_parse(ent, el, ep, t->schema, &t->ents, &dg) != 0) {
        if (getenv("AIB_BENCH_VERBOSE")) {
            char m[1200];
            aib_diag_format(&dg, m, sizeof m);
            fprintf(stderr, "corpus: skipping %s: %s\n", file, m);
        }
        goto done;
    }
    t->req_arena = aib_arena_new(0);
    t->reqs = calloc(json_array_size(reqs) + 1, sizeof *t->reqs);
    if (!t->req_arena || !t->reqs)
        goto done;
    size_t i;
    json_t *r;
    json_array_foreach(reqs, i, r) {
        char *txt = json_dumps(r, JSON_COMPACT);
        if (txt)
            txt = undo_nul_encoding(txt);
        json_t *vr = json_object_get(r, "validateRequest");
        bool validate = !vr || json_is_true(vr);
        if (txt && aib_cedar_request_parse(txt, strlen(txt), t->schema, validate, t->req_arena,
                                           &t->reqs[t->n_reqs], &dg) == 0)
            t->n_reqs++;
        else
            (*n_bad_req)++;
        free(txt);
    }
    rc = 0;
done:
    json_decref(j);
    free(txt_all);
    free(pol);
    free(sch);
    free(ent);
    return rc;
}

static void free_test(bench_test_t *t)
{
    aib_cedar_policyset_free(t->ps);
    aib_cedar_schema_free(t->schema);
    aib_cedar_entities_free(t->ents);
    aib_arena_free(t->req_arena);
    free(t->reqs);
}

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
static double now_s(void) { return clock_s(CLOCK_MONOTONIC); }
static double cpu_s(void) { return clock_s(CLOCK_PROCESS_CPUTIME_ID); }

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: corpus CONFORMANCE_DIR [REPS]\n", stderr);
        return 2;
    }
    const char *root = argv[1];
    int reps = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 3;
    if (reps < 1)
        reps = 1;
    strvec_t files = { 0 };
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/tests", root);
    list_tests(sub, &files);
    snprintf(sub, sizeof sub, "%s/corpus-tests", root);
    list_tests(sub, &files);
    if (files.n)
        qsort(files.v, files.n, sizeof *files.v, cmp_str);

    bench_test_t *tests = calloc(files.n + 1, sizeof *tests);
    FILE *list = argc > 3 ? fopen(argv[3], "w") : NULL;
    size_t root_len = strlen(root);
    size_t n_tests = 0, n_skipped = 0, n_bad_req = 0, n_req = 0;
    if (!tests)
        return 1;
    double t_load = now_s();
    for (size_t i = 0; i < files.n; i++) {
        if (load_test(root, files.v[i], &tests[n_tests], &n_bad_req) == 0) {
            n_req += tests[n_tests].n_reqs;
            n_tests++;
            if (list)
                fprintf(list, "%s\n", files.v[i] + root_len + 1);
        } else {
            free_test(&tests[n_tests]);
            n_skipped++;
        }
    }
    t_load = now_s() - t_load;
    if (list)
        fclose(list);
    double *cpu = calloc((size_t)reps, sizeof *cpu);
    if (!cpu)
        return 1;

    aib_arena_t *arena = aib_arena_new(0);
    size_t allow = 0;
    printf("{\"tests\":%zu,\"skipped_tests\":%zu,\"requests\":%zu,\"skipped_requests\":%zu,"
           "\"load_s\":%.3f,\"rps\":[",
           n_tests, n_skipped, n_req, n_bad_req, t_load);
    for (int rep = 0; rep < reps; rep++) {
        size_t a = 0;
        double t0 = now_s(), c0 = cpu_s();
        for (size_t i = 0; i < n_tests; i++) {
            for (size_t k = 0; k < tests[i].n_reqs; k++) {
                aib_cedar_response_t resp;
                aib_arena_reset(arena);
                if (aib_cedar_authorize(tests[i].ps, tests[i].ents, tests[i].reqs[k], arena, &resp) == 0 &&
                    resp.decision == AIB_CEDAR_ALLOW)
                    a++;
            }
        }
        double dt = now_s() - t0;
        double dc = cpu_s() - c0;
        cpu[rep] = dc > 0 ? (double)n_req / dc : 0.0;
        allow = a;
        printf("%s%.0f", rep ? "," : "", dt > 0 ? (double)n_req / dt : 0.0);
    }
    printf("],\"cpu_rps\":[");
    for (int rep = 0; rep < reps; rep++)
        printf("%s%.0f", rep ? "," : "", cpu[rep]);
    printf("],\"allow\":%zu}\n", allow);
    free(cpu);

    aib_arena_free(arena);
    for (size_t i = 0; i < n_tests; i++)
        free_test(&tests[i]);
    free(tests);
    for (size_t i = 0; i < files.n; i++)
        free(files.v[i]);
    free(files.v);
    return 0;
}
