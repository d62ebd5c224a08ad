/* bench_registry.c — innovation registry benchmark: generates a corpus of N records (default
 * 100,000) across 12 nations with a label mix where most records are not releasable to a typical
 * partner, plants near-duplicate pairs across nations, then measures
 *   - search latency p50/p99 for requesters who see most / few records, and the same queries
 *     without the release filter (the filter's overhead),
 *   - near-duplicate precision and recall on the planted pairs.
 * Usage: bench_registry DIR [N] [PAIRS]. Prints one line per figure. */
#include "aib/registry.h"
#include "registry/registry_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static const char *const nations[] = { "USA", "GBR", "AUS", "CAN", "NZL", "JPN", "FRA", "DEU", "NOR", "KOR",
                                       "ITA", "POL" };
/* label mix (cumulative percent): most are not releasable to a typical partner */
static const struct { const char *label; int pct; } labels[] = {
    { "UNCLASSIFIED", 12 },
    { "CUI//REL TO USA, FVEY", 30 },
    { "CUI//NOFORN", 42 },
    { "SECRET//REL TO USA, AUS, GBR", 56 },
    { "SECRET//NOFORN", 72 },
    { "CONFIDENTIAL//REL TO USA, NATO", 86 },
    { "CUI//SP-EXPT//NOFORN", 100 },
};
static const char *const areas[] = { "undersea", "undersea.uuv", "quantum", "quantum.pnt", "quantum.sensing",
                                     "ai-autonomy", "cyber", "hypersonics", "electronic-warfare", "space",
                                     "energy", "materials", "microelectronics", "directed-energy", "arctic",
                                     "communications", "sensing", "logistics" };
#define N_AREAS (sizeof(areas) / sizeof(areas[0]))
static const char *const types[] = { "project", "capability", "scouting", "project", "capability", "project" };

/* A vocabulary of generated pseudo-words: 4,000 terms, Zipf-like use, so term statistics look like
 * text (a few common words, a long tail). */
#define VOCAB 4000
static char vocab[VOCAB][12];

static void make_vocab(void)
{
    static const char *const syl[] = { "ka", "ro", "mi", "ten", "sor", "lu", "qua", "ni", "vel", "tro",
                                       "dyn", "pho", "gra", "ser", "mat", "ion", "cal", "ex", "bi", "om" };
    size_t i;

    for (i = 0; i < VOCAB; i++) {
        size_t k = i;
        int len = 0, j;
        for (j = 0; j < 3; j++) {
            const char *s = syl[k % 20];
            k /= 20;
            len += snprintf(vocab[i] + len, sizeof(vocab[i]) - (size_t)len, "%s", s);
        }
        vocab[i][len] = '\0';
    }
}

static const char *word(size_t area)
{
    /* half the words come from the area's own 150-word slice, half from the Zipf-ish common pool */
    if (rnd() % 2)
        return vocab[1000 + area * 150 + rnd() % 150];
    {
        double u = (rnd() % 1000000) / 1e6;
        size_t idx = (size_t)(pow(u, 1.3) * 1000.0);
        return vocab[idx % 1000];
    }
}

typedef struct gen {
    char title[256];
    char summary[2048];
    size_t area;
} gen_t;

static void gen_text(gen_t *g)
{
    int i, n = 25 + (int)(rnd() % 15), len = 0;

    g->area = rnd() % N_AREAS;
    len = 0;
    for (i = 0; i < 6; i++)
        len += snprintf(g->title + len, sizeof(g->title) - (size_t)len, "%s%s", i ? " " : "", word(g->area));
    len = 0;
    for (i = 0; i < n; i++)
        len += snprintf(g->summary + len, sizeof(g->summary) - (size_t)len, "%s%s", i ? " " : "", word(g->area));
}

/* Near-duplicate: the same work described by another nation; `edit` of the words replaced. */
static void mutate(const gen_t *src, gen_t *dst, double edit)
{
    char buf[2048], *tok, *save = NULL;
    int len = 0;

    *dst = *src;
    memcpy(buf, src->summary, sizeof(buf));
    dst->summary[0] = '\0';
    for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        const char *w = (rnd() % 1000) < edit * 1000 ? word(src->area) : tok;
        len += snprintf(dst->summary + len, sizeof(dst->summary) - (size_t)len, "%s%s", len ? " " : "", w);
    }
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void pct(const char *name, double *v, size_t n)
{
    qsort(v, n, sizeof(double), cmp_d);
    printf("%-48s p50 %8.0f us   p99 %8.0f us   (%zu queries)\n", name, v[n / 2], v[(size_t)(n * 0.99)], n);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof(double), cmp_d);
    return v[n / 2];
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    size_t n = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 100000;
    size_t pairs = argc > 3 ? (size_t)strtoul(argv[3], NULL, 10) : 500;
    char path[512], id[32], idb[32];
    aib_registry_opts_t o;
    aib_registry_t *reg = NULL;
    aib_diag_t d;
    aib_arena_t *a = aib_arena_new(0);
    aib_actor_t who = { "bench", "USA", "admin" };
    size_t i, planted = 0;
    double t0;
    char (*pair_a)[32] = calloc(pairs ? pairs : 1, 32), (*pair_b)[32] = calloc(pairs ? pairs : 1, 32);
    const char *areas1[1];
    aib_registry_record_t r;
    gen_t g, g2;

    make_vocab();
    snprintf(path, sizeof(path), "%s/registry-bench.db", dir);
    remove(path);
    memset(&o, 0, sizeof(o));
    o.db_path = path;
    o.node_nation = "USA";
    if (aib_registry_open(&o, &reg, &d)) {
        fprintf(stderr, "open: %s\n", d.msg);
        return 1;
    }
    t0 = now_us();
    aib_registry_begin(reg, &d);
    for (i = 0; i < n; i++) {
        int p = (int)(rnd() % 100), k = 0;
        size_t nat = rnd() % 12;
        while (labels[k].pct <= p)
            k++;
        aib_arena_reset(a);
        memset(&r, 0, sizeof(r));
        gen_text(&g);
        snprintf(id, sizeof(id), "%s-R-%07zu", nations[nat], i);
        areas1[0] = areas[g.area];
        r.id = id;
        aib_registry_type_parse(types[rnd() % 6], &r.type);
        r.nation = nations[nat];
        r.label = labels[k].label;
        r.title = g.title;
        r.summary = g.summary;
        r.areas = areas1;
        r.n_areas = 1;
        r.performer = "";
        r.contact = "";
        r.start = "2024-01-01";
        r.end = "2027-12-31";
        r.details = "{}";
        r.origin = "";
        if (aib_registry_add(reg, &who, &r, &d)) {
            fprintf(stderr, "add %s: %s\n", id, d.msg);
            return 1;
        }
        /* plant a duplicate in another nation for the first `pairs` uncontrolled-enough records */
        if (planted < pairs && (k == 0 || k == 1) && (rnd() % 4 == 0)) {
            size_t nat2 = (nat + 1 + rnd() % 11) % 12;
            double edit = 0.05 + (rnd() % 300) / 1000.0; /* 5% .. 35% of words replaced */
            mutate(&g, &g2, edit);
            snprintf(idb, sizeof(idb), "%s-D-%07zu", nations[nat2], planted);
            r.id = idb;
            r.nation = nations[nat2];
            r.label = "UNCLASSIFIED";
            r.title = g2.title;
            r.summary = g2.summary;
            if (aib_registry_add(reg, &who, &r, &d)) {
                fprintf(stderr, "add %s: %s\n", idb, d.msg);
                return 1;
            }
            memcpy(pair_a[planted], id, 32);
            memcpy(pair_b[planted], idb, 32);
            planted++;
        }
    }
    if (aib_registry_commit(reg, &d)) {
        fprintf(stderr, "commit: %s\n", d.msg);
        return 1;
    }
    printf("corpus: %zu records + %zu planted duplicates, 12 nations, loaded in %.1f s\n", n, planted,
           (now_us() - t0) / 1e6);

    /* ---- search latency ---- */
    {
        enum { Q = 400 };
        static double lat[Q], lat2[Q], lat3[Q], over[Q];
        aib_registry_requester_t usa = { "USA", "government", "TOP SECRET", "current" };
        aib_registry_requester_t jpn = { "JPN", "government", "SECRET", "current" };
        char qtext[Q][64];
        size_t q, vis_u = 0, vis_j = 0;
        aib_registry_query_t qq;
        aib_registry_hit_t *h;
        size_t nh;

        for (q = 0; q < Q; q++) {
            size_t ar = rnd() % N_AREAS;
            if (q % 4)
                snprintf(qtext[q], sizeof(qtext[q]), "%s", word(ar));
            else
                snprintf(qtext[q], sizeof(qtext[q]), "%s %s", word(ar), word(ar));
        }
        memset(&qq, 0, sizeof(qq));
        /* warm the caches (and the release decisions) once per requester */
        qq.text = qtext[0];
        aib_registry_search(reg, &usa, &qq, a, &h, &nh, &d);
        aib_registry_search(reg, &jpn, &qq, a, &h, &nh, &d);
        for (q = 0; q < Q; q++) {
            double s;
            aib_arena_reset(a);
            qq.text = qtext[q];
            qq.limit = 20;
            s = now_us();
            if (aib__registry_search_unfiltered(reg, &qq, a, &h, &nh, &d))
                return 1;
            lat3[q] = now_us() - s;
            s = now_us();
            if (aib_registry_search(reg, &usa, &qq, a, &h, &nh, &d))
                return 1;
            lat[q] = now_us() - s;
            vis_u += nh;
            s = now_us();
            if (aib_registry_search(reg, &jpn, &qq, a, &h, &nh, &d))
                return 1;
            lat2[q] = now_us() - s;
            vis_j += nh;
            over[q] = lat2[q] - lat3[q];
        }
        {
            double m1, m2, m3;
            /* copies for the medians used in the overhead figure */
            static double c1[Q], c2[Q], c3[Q];
            memcpy(c1, lat, sizeof(c1));
            memcpy(c2, lat2, sizeof(c2));
            memcpy(c3, lat3, sizeof(c3));
            pct("search, no release filter (baseline)", lat3, Q);
            pct("search as USA government TOP SECRET", lat, Q);
            pct("search as JPN government SECRET", lat2, Q);
            m1 = median(c1, Q);
            m2 = median(c2, Q);
            m3 = median(c3, Q);
            printf("release-filter overhead (p50): USA %+.0f us (%.2fx), JPN %+.0f us (%.2fx)\n", m1 - m3, m1 / m3,
                   m2 - m3, m2 / m3);
            printf("mean hits per query (limit 20): USA %.1f, JPN %.1f\n", (double)vis_u / Q, (double)vis_j / Q);
            (void)over;
        }
        /* share of the corpus each requester may see */
        {
            aib_registry_query_t all;
            memset(&all, 0, sizeof(all));
            (void)all;
        }
    }

    /* ---- near-duplicate precision / recall ---- */
    {
        aib_registry_requester_t usa = { "USA", "government", "TOP SECRET", "current" };
        aib_registry_dupe_t *pr = NULL;
        size_t np = 0, tp = 0, k;
        double thr[] = { 0.4, 0.5 };
        size_t ti;

        for (ti = 0; ti < 2; ti++) {
            double s = now_us();
            aib_arena_reset(a);
            if (aib_registry_dupes(reg, &usa, NULL, thr[ti], 10000, a, &pr, &np, &d)) {
                fprintf(stderr, "dupes: %s\n", d.msg);
                return 1;
            }
            tp = 0;
            for (k = 0; k < np; k++) {
                size_t j;
                for (j = 0; j < planted; j++)
                    if ((!strcmp(pr[k].a.id, pair_a[j]) && !strcmp(pr[k].b.id, pair_b[j]))
                        || (!strcmp(pr[k].b.id, pair_a[j]) && !strcmp(pr[k].a.id, pair_b[j]))) {
                        tp++;
                        break;
                    }
            }
            printf("near-duplicates at threshold %.1f: %zu reported, %zu planted found: precision %.3f, recall %.3f"
                   " (%.1f s over the records visible to USA)\n",
                   thr[ti], np, tp, np ? (double)tp / np : 0.0, planted ? (double)tp / planted : 0.0,
                   (now_us() - s) / 1e6);
        }
    }
    aib_registry_close(reg);
    aib_arena_free(a);
    free(pair_a);
    free(pair_b);
    if (!getenv("REG_BENCH_KEEP"))
        remove(path);
    return 0;
}
