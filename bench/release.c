/* release.c — in-process benchmark of the Cedar engine on the synthetic release workload
 * (bench/gen_release.js): loads schema, policies and entities once, parses every request of
 * requests.jsonl, then times aib_cedar_authorize: throughput over the whole batch and per-request
 * latency (p50/p99), REPS times. bench/run prints it next to the reference's figures.
 * usage: release DIR [REPS] [DECISIONS_FILE N]   prints one JSON object on stdout. */
#include "aib/cedar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
static double now_s(void) { return clock_s(CLOCK_MONOTONIC); }
static double cpu_s(void) { return clock_s(CLOCK_PROCESS_CPUTIME_ID); }

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static char *load(const char *dir, const char *name, size_t *len)
{
    char p[4096];
    char *buf = NULL;
    aib_diag_t dg;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    if (aib_read_file(p, &buf, len, &dg) != 0) {
        fprintf(stderr, "release: cannot read %s\n", p);
        return NULL;
    }
    return buf;
}

static void fail_diag(const char *what, const aib_diag_t *dg)
{
    char m[1200];
    aib_diag_format(dg, m, sizeof m);
    fprintf(stderr, "release: %s: %s\n", what, m);
}

int main(int argc, char **argv)
{
    int rc = 1;
    if (argc < 2) {
        fputs("usage: release DIR [REPS] [DECISIONS_FILE N]\n", stderr);
        return 2;
    }
    const char *dir = argv[1];
    int reps = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 3;
    const char *dec_file = argc > 4 ? argv[3] : NULL;
    size_t dec_n = argc > 4 ? (size_t)strtoul(argv[4], NULL, 10) : 0;
    if (reps < 1)
        reps = 1;
    size_t sl = 0, pl = 0, el = 0, rl = 0;
    char *sch = load(dir, "schema.cedarschema", &sl), *pol = load(dir, "policies.cedar", &pl);
    char *ent = load(dir, "entities.json", &el), *rq = load(dir, "requests.jsonl", &rl);
    aib_cedar_schema_t *schema = NULL;
    aib_cedar_policyset_t *ps = NULL;
    aib_cedar_entities_t *ents = NULL;
    aib_arena_t *req_arena = aib_arena_new(1u << 20), *arena = aib_arena_new(0);
    aib_cedar_request_t **reqs = NULL;
    double *lat = NULL;
    size_t n = 0, cap = 0;
    aib_diag_t dg;
    if (!sch || !pol || !ent || !rq || !req_arena || !arena)
        goto done;

    double t0 = now_s();
    if (aib_cedar_schema_parse(sch, sl, false, "schema.cedarschema", &schema, &dg) != 0) {
        fail_diag("schema", &dg);
        goto done;
    }
    if (aib_cedar_policyset_parse(pol, pl, "policies.cedar", &ps, &dg) != 0) {
        fail_diag("policies", &dg);
        goto done;
    }
    if (aib_cedar_entities_parse(ent, el, "entities.json", schema, &ents, &dg) != 0) {
        fail_diag("entities", &dg);
        goto done;
    }
    double t_load = now_s() - t0;

    t0 = now_s();
    for (char *p = rq, *end = rq + rl; p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (len > 0) {
            if (n == cap) {
                cap = cap ? cap * 2 : 4096;
                aib_cedar_request_t **nr = realloc(reqs, cap * sizeof *nr);
                if (!nr)
                    goto done;
                reqs = nr;
            }
            if (aib_cedar_request_parse(p, len, schema, true, req_arena, &reqs[n], &dg) != 0) {
                fail_diag("request", &dg);
                goto done;
            }
            n++;
        }
        p += len + 1;
    }
    double t_parse = now_s() - t0;
    lat = malloc((n + 1) * sizeof *lat);
    if (!lat || n == 0)
        goto done;

    size_t allow = 0;
    double *rps = calloc((size_t)reps, sizeof *rps), *p50 = calloc((size_t)reps, sizeof *p50),
           *p99 = calloc((size_t)reps, sizeof *p99), *cpu = calloc((size_t)reps, sizeof *cpu);
    if (!rps || !p50 || !p99 || !cpu) {
        free(cpu);
        free(rps);
        free(p50);
        free(p99);
        goto done;
    }
    for (int r = 0; r < reps; r++) {
        /* throughput: the batch with one clock around it */
        size_t a = 0;
        t0 = now_s();
        double c0 = cpu_s();
        for (size_t i = 0; i < n; i++) {
            aib_cedar_response_t resp;
            aib_arena_reset(arena);
            if (aib_cedar_authorize(ps, ents, reqs[i], arena, &resp) == 0 && resp.decision == AIB_CEDAR_ALLOW)
                a++;
        }
        rps[r] = (double)n / (now_s() - t0);
        cpu[r] = (double)n / (cpu_s() - c0);
        allow = a;
        /* latency: a clock read around every request */
        for (size_t i = 0; i < n; i++) {
            aib_cedar_response_t resp;
            aib_arena_reset(arena);
            double s = now_s();
            (void)aib_cedar_authorize(ps, ents, reqs[i], arena, &resp);
            lat[i] = now_s() - s;
        }
        qsort(lat, n, sizeof *lat, cmp_dbl);
        p50[r] = lat[n / 2] * 1e9;
        p99[r] = lat[(size_t)((double)n * 0.99)] * 1e9;
    }
    if (dec_file) {
        FILE *f = fopen(dec_file, "w");
        for (size_t i = 0; f && i < n && i < dec_n; i++) {
            aib_cedar_response_t resp;
            aib_arena_reset(arena);
            int e = aib_cedar_authorize(ps, ents, reqs[i], arena, &resp);
            fputs(e ? "failure\n" : resp.decision == AIB_CEDAR_ALLOW ? "allow\n" : "deny\n", f);
        }
        if (f)
            fclose(f);
    }
    printf("{\"policies\":%zu,\"entities\":%zu,\"requests\":%zu,\"load_s\":%.3f,\"request_parse_rps\":%.0f,",
           aib_cedar_policyset_size(ps), aib_cedar_entities_count(ents), n, t_load, (double)n / t_parse);
    printf("\"rps\":[");
    for (int r = 0; r < reps; r++)
        printf("%s%.0f", r ? "," : "", rps[r]);
    printf("],\"p50_ns\":[");
    for (int r = 0; r < reps; r++)
        printf("%s%.0f", r ? "," : "", p50[r]);
    printf("],\"p99_ns\":[");
    for (int r = 0; r < reps; r++)
        printf("%s%.0f", r ? "," : "", p99[r]);
    printf("],\"cpu_rps\":[");
    for (int r = 0; r < reps; r++)
        printf("%s%.0f", r ? "," : "", cpu[r]);
    printf("],\"allow\":%zu}\n", allow);
    free(cpu);
    free(rps);
    free(p50);
    free(p99);
    rc = 0;
done:
    free(lat);
    free(reqs);
    aib_arena_free(req_arena);
    aib_arena_free(arena);
    aib_cedar_entities_free(ents);
    aib_cedar_policyset_free(ps);
    aib_cedar_schema_free(schema);
    free(sch);
    free(pol);
    free(ent);
    free(rq);
    return rc;
}
