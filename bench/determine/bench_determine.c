/* bench_determine.c — determinations per second. Loads the engine once (time reported), reads
 * requests (JSON lines), then measures: "single" = parse + determine + JSON with the full
 * trace, one request at a time; "batch" = parse + determine + JSON without trace, as
 * `aib determine --batch` does; "both" = both packs per request. Each loop runs for at least
 * the given seconds over the request list; the arena is reset between requests.
 * usage: bench_determine REQUESTS.jsonl [SECONDS] */
#include "aib/determine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct line { char *s; size_t n; } line_t;

static double loop(aib_determine_engine_t *e, line_t *req, size_t n, int mode, double secs,
                   size_t *done)
{
    aib_arena_t *a = aib_arena_new(1 << 20);
    aib_buf_t b;
    double t0 = now(), t;
    size_t k = 0;

    aib_buf_init(&b);
    do {
        size_t i;
        for (i = 0; i < n; i++) {
            aib_determine_request_t *r;
            aib_determine_result_t x, y;
            aib_diag_t d;
            aib_arena_reset(a);
            aib_buf_clear(&b);
            if (aib_determine_request_parse(e, req[i].s, req[i].n, a, &r, &d) != 0)
                continue;
            if (aib_determine_run(e, r, "current", a, &x, &d) != 0)
                continue;
            if (mode == 2 && aib_determine_run(e, r, "proposed", a, &y, &d) != 0)
                continue;
            aib_determine_result_json(r, &x, mode == 2 ? &y : NULL, mode == 0, &b);
            k++;
        }
        t = now() - t0;
    } while (t < secs);
    aib_buf_free(&b);
    aib_arena_free(a);
    *done = k;
    return (double)k / t;
}

int main(int argc, char **argv)
{
    aib_determine_engine_t *e = NULL;
    line_t *req = NULL;
    size_t n = 0, cap = 0, done;
    double secs = argc > 2 ? atof(argv[2]) : 2.0, t0, rate;
    char *buf = NULL;
    size_t bcap = 0;
    ssize_t len;
    aib_diag_t d;
    FILE *f;

    if (argc < 2) {
        fprintf(stderr, "usage: bench_determine REQUESTS.jsonl [SECONDS]\n");
        return 2;
    }
    t0 = now();
    aib_diag_clear(&d);
    if (aib_determine_engine_open(NULL, &e, &d) != 0) {
        fprintf(stderr, "bench_determine: %s: %s\n", d.file, d.msg);
        return 1;
    }
    printf("engine load (registry, EAR tables, 2 packs): %.1f ms\n", (now() - t0) * 1e3);
    f = fopen(argv[1], "r");
    if (!f) {
        fprintf(stderr, "bench_determine: cannot open %s\n", argv[1]);
        return 1;
    }
    while ((len = getline(&buf, &bcap, f)) > 1) {
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            req = realloc(req, cap * sizeof *req);
            if (!req)
                return 1;
        }
        req[n].s = strdup(buf);
        req[n].n = (size_t)len;
        n++;
    }
    fclose(f);
    free(buf);
    t0 = now();
    loop(e, req, n, 1, 0.0, &done); /* first pass builds the epoch stores */
    printf("requests: %zu (first pass incl. epoch stores: %.1f ms)\n", n, (now() - t0) * 1e3);
    rate = loop(e, req, n, 0, secs, &done);
    printf("single (parse + determine + JSON with trace): %.0f determinations/s\n", rate);
    rate = loop(e, req, n, 1, secs, &done);
    printf("batch  (parse + determine + JSON, no trace):  %.0f determinations/s\n", rate);
    rate = loop(e, req, n, 2, secs, &done);
    printf("both   (current and proposed per request):    %.0f requests/s\n", rate);
    while (n)
        free(req[--n].s);
    free(req);
    aib_determine_engine_free(e);
    return 0;
}
