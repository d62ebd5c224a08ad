/* bench.c — screening benchmark: loads every list (timing load and index build, reporting
 * memory), then screens a workload of names one at a time (latency p50/p99) and reports the
 * throughput in names per second. Names come from a CSV column (the evaluation pairs' name1).
 * Usage: bench LISTS NAMES.csv [MAX_NAMES] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "aib/screen.h"
#include "screen/screen_int.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int dcmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    aib_screen_lists_t *ls = NULL;
    aib_diag_t d;
    aib__scr_csv_t c;
    char *data = NULL, **names = NULL;
    size_t len, n = 0, cap = 0, i, max = argc > 3 ? (size_t)strtoul(argv[3], NULL, 10) : 3000, hits = 0;
    double t0, t1, t2, c0, c1, c2, cq0, cq1, *lat = NULL, total = 0;
    long col = -1;
    struct rusage ru;
    int r;

    if (argc < 3) {
        fprintf(stderr, "usage: %s LISTS NAMES.csv [MAX_NAMES]\n", argv[0]);
        return 2;
    }
    aib_diag_clear(&d);
    t0 = now_s();
    c0 = cpu_s();
    if (aib_screen_lists_new(&ls) != 0 || aib_screen_lists_load_path(ls, argv[1], &d) != 0) {
        fprintf(stderr, "bench: %s:%d: %s\n", d.file, d.line, d.msg);
        return 1;
    }
    t1 = now_s();
    c1 = cpu_s();
    if (aib_screen_lists_build_index(ls) != 0)
        return 1;
    t2 = now_s();
    c2 = cpu_s();
    if (aib_read_file(argv[2], &data, &len, &d) != 0) {
        fprintf(stderr, "bench: %s: %s\n", argv[2], d.msg);
        return 1;
    }
    aib__scr_csv_init(&c, data, len, ',');
    while ((r = aib__scr_csv_next(&c, argv[2], &d)) > 0) {
        if (col < 0) {
            for (i = 0; i < c.n; i++)
                if (!strcmp(aib__scr_csv_field(&c, i), "name1") || !strcmp(aib__scr_csv_field(&c, i), "name"))
                    col = (long)i;
            if (col < 0) {
                fprintf(stderr, "bench: %s: no name1/name column\n", argv[2]);
                return 1;
            }
            continue;
        }
        if ((size_t)col >= c.n || n >= max)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            names = realloc(names, cap * sizeof(*names));
            if (!names)
                return 1;
        }
        names[n++] = strdup(aib__scr_csv_field(&c, (size_t)col));
    }
    aib__scr_csv_free(&c);
    lat = calloc(n ? n : 1, sizeof(*lat));
    cq0 = cpu_s();
    for (i = 0; i < n; i++) {
        aib_screen_query_t q;
        aib_screen_result_t *res = NULL;
        double s = now_s();
        memset(&q, 0, sizeof(q));
        q.name = names[i];
        if (aib_screen_query(ls, &q, &res, &d) == 0) {
            hits += res->n_hits > 0;
            aib_screen_result_free(res);
        }
        lat[i] = now_s() - s;
        total += lat[i];
        if (getenv("SCREEN_BENCH_SLOW") && lat[i] > 0.01)
            fprintf(stderr, "slow: %.1f ms  %s\n", lat[i] * 1e3, names[i]);
    }
    cq1 = cpu_s();
    qsort(lat, n, sizeof(*lat), dcmp);
    getrusage(RUSAGE_SELF, &ru);
    printf("screen index: %zu lists, %zu entries; load %.0f ms (CPU %.0f ms), index build %.0f ms (CPU %.0f ms); "
           "lists+index %.1f MiB, max RSS %.1f MiB\n",
           aib_screen_lists_count(ls), aib_screen_lists_entries(ls), (t1 - t0) * 1e3, (c1 - c0) * 1e3,
           (t2 - t1) * 1e3, (c2 - c1) * 1e3,
           (double)aib_screen_lists_memory(ls) / (1 << 20), (double)ru.ru_maxrss / 1024.0);
    if (n)
        printf("screen query latency over all lists (%zu names): p50 %.3f ms, p99 %.3f ms, max %.3f ms; "
               "throughput %.0f names/s (%.0f names per CPU second); %zu with a match\n",
               n, lat[n / 2] * 1e3, lat[(size_t)((double)n * 0.99)] * 1e3, lat[n - 1] * 1e3,
               total > 0 ? (double)n / total : 0.0, cq1 > cq0 ? (double)n / (cq1 - cq0) : 0.0, hits);
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(lat);
    free(data);
    aib_screen_lists_free(ls);
    aib_screen_shutdown();
    return 0;
}
