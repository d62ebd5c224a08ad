/* reg_dupes.c — near-duplicate detection across nations: projects that look like the same work.
 * Candidates come from MinHash signatures (stored with each record) bucketed by banded LSH;
 * each candidate pair is then scored by the exact Jaccard similarity of the two term sets and
 * reported with the overlapping terms. Only records releasable to the requester take part, so a
 * pair never reveals a record the requester could not read. */
#include "registry_int.h"

#include <stdlib.h>
#include <string.h>

#define ROWS (AIB__REG_MINHASH / AIB__REG_BANDS)
#define MAX_BUCKET 256       /* larger LSH buckets are boilerplate, not duplicates */
#define MAX_CANDIDATES 2000000

typedef struct row {
    int64_t rid;
    char nation[4];
    uint32_t sig[AIB__REG_MINHASH];
    const char **terms; /* loaded on demand */
    size_t n_terms;
    int loaded;
} row_t;

typedef struct bkey {
    uint64_t h;
    uint32_t idx;
} bkey_t;

typedef struct pair {
    uint32_t a, b;
    double score;
    const char **common;
    size_t n_common;
} pair_t;

static int bkey_cmp(const void *x, const void *y)
{
    const bkey_t *a = x, *b = y;

    if (a->h != b->h)
        return a->h < b->h ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int pair_cmp(const void *x, const void *y)
{
    const pair_t *a = x, *b = y;

    if (a->score != b->score)
        return a->score < b->score ? 1 : -1;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

static int len_desc(const void *x, const void *y)
{
    const char *a = *(const char *const *)x, *b = *(const char *const *)y;
    size_t la = strlen(a), lb = strlen(b);

    if (la != lb)
        return la < lb ? 1 : -1;
    return strcmp(a, b);
}

static double estimate(const row_t *a, const row_t *b)
{
    int k, same = 0;

    for (k = 0; k < AIB__REG_MINHASH; k++)
        same += a->sig[k] == b->sig[k];
    return (double)same / AIB__REG_MINHASH;
}

static int load_rows(aib_registry_t *r, row_t **out, size_t *n, aib_diag_t *diag)
{
    sqlite3_stmt *st = NULL;
    row_t *rows = NULL;
    size_t cnt = 0, cap = 0;
    int rc = aib__registry_prepare(r,
        "SELECT rid, nation, sig FROM registry_record WHERE cls IN (SELECT cls FROM temp.rg_allowed)", &st, diag);

    if (rc)
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (cnt == cap) {
            size_t nc = cap ? cap * 2 : 1024;
            row_t *nr = realloc(rows, nc * sizeof(*rows));
            if (!nr) {
                rc = AIB_ENOMEM;
                goto done;
            }
            rows = nr;
            cap = nc;
        }
        memset(&rows[cnt], 0, sizeof(rows[cnt]));
        rows[cnt].rid = sqlite3_column_int64(st, 0);
        snprintf(rows[cnt].nation, sizeof(rows[cnt].nation), "%s", (const char *)sqlite3_column_text(st, 1));
        if (sqlite3_column_bytes(st, 2) == (int)sizeof(rows[cnt].sig))
            memcpy(rows[cnt].sig, sqlite3_column_blob(st, 2), sizeof(rows[cnt].sig));
        cnt++;
    }
    if (rc != SQLITE_DONE) {
        rc = rc == AIB_ENOMEM ? rc : aib__registry_dberr(r, "dupes", diag);
        goto done;
    }
    rc = 0;
done:
    sqlite3_finalize(st);
    if (rc) {
        free(rows);
        rows = NULL;
        cnt = 0;
    }
    *out = rows;
    *n = cnt;
    return rc;
}

static int load_terms(aib_registry_t *r, sqlite3_stmt *st, row_t *row, aib_arena_t *arena, aib_diag_t *diag)
{
    aib_buf_t b;
    int rc = 0;

    if (row->loaded)
        return 0;
    aib_buf_init(&b);
    sqlite3_bind_int64(st, 1, row->rid);
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = aib__registry_dberr(r, "dupes text", diag);
        goto done;
    }
    if ((rc = aib_buf_printf(&b, "%s\n%s", (const char *)sqlite3_column_text(st, 0),
                             (const char *)sqlite3_column_text(st, 1))))
        goto done;
    if ((rc = aib__registry_terms(b.data, b.len, arena, &row->terms, &row->n_terms)))
        goto done;
    row->loaded = 1;
done:
    sqlite3_reset(st);
    aib_buf_free(&b);
    return rc;
}

/* Open-addressing set of candidate pairs (a < b packed in 64 bits). */
typedef struct pset {
    uint64_t *slots; /* 0 = empty; stored as key + 1 */
    size_t cap, n;
} pset_t;

static int pset_add(pset_t *s, uint64_t key, int *added)
{
    size_t i;

    *added = 0;
    if ((s->n + 1) * 2 > s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 4096, k;
        uint64_t *ns = calloc(nc, sizeof(*ns));
        if (!ns)
            return AIB_ENOMEM;
        for (k = 0; k < s->cap; k++)
            if (s->slots[k]) {
                size_t j = (size_t)((s->slots[k] * 0x9e3779b97f4a7c15ULL) >> 20) & (nc - 1);
                while (ns[j])
                    j = (j + 1) & (nc - 1);
                ns[j] = s->slots[k];
            }
        free(s->slots);
        s->slots = ns;
        s->cap = nc;
    }
    key += 1;
    i = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 20) & (s->cap - 1);
    while (s->slots[i]) {
        if (s->slots[i] == key)
            return 0;
        i = (i + 1) & (s->cap - 1);
    }
    s->slots[i] = key;
    s->n++;
    *added = 1;
    return 0;
}

int aib_registry_dupes(aib_registry_t *r, const aib_registry_requester_t *who, const char *id,
                       double threshold, size_t limit, aib_arena_t *arena,
                       aib_registry_dupe_t **out, size_t *n, aib_diag_t *diag)
{
    row_t *rows = NULL;
    size_t n_rows = 0, i, j, b, n_pairs = 0, cap_pairs = 0, focus = SIZE_MAX;
    bkey_t *keys = NULL;
    pair_t *pairs = NULL;
    pset_t set = { NULL, 0, 0 };
    sqlite3_stmt *text_st = NULL;
    aib_arena_t *tmp = aib_arena_new(0);
    aib_registry_dupe_t *res = NULL;
    int rc;

    *out = NULL;
    *n = 0;
    if (!tmp)
        return AIB_ENOMEM;
    if (threshold <= 0.0)
        threshold = 0.5;
    if (threshold > 1.0)
        threshold = 1.0;
    if (!limit)
        limit = 100;
    if (limit > 10000)
        limit = 10000;
    if ((rc = aib__registry_allow(r, who, diag)))
        goto done;
    if (id) {
        aib_registry_record_t rec;
        /* the record asked about must itself be releasable */
        if ((rc = aib_registry_get(r, who, id, tmp, &rec, diag)))
            goto done;
    }
    if ((rc = load_rows(r, &rows, &n_rows, diag)))
        goto done;
    if ((rc = aib__registry_prepare(r, "SELECT title, summary FROM registry_record WHERE rid = ?1", &text_st, diag)))
        goto done;
    if (id) {
        int64_t rid = 0;
        sqlite3_stmt *st = NULL;
        if ((rc = aib__registry_prepare(r, "SELECT rid FROM registry_record WHERE id = ?1", &st, diag)))
            goto done;
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            rid = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        for (i = 0; i < n_rows; i++)
            if (rows[i].rid == rid)
                focus = i;
        if (focus == SIZE_MAX) {
            rc = AIB_EINTERNAL;
            goto done;
        }
    }
    /* Candidate generation. With a focus record: compare its signature with every other one (a
     * linear scan of 256-byte signatures). Without: banded LSH over everything. */
    if (focus != SIZE_MAX) {
        for (i = 0; i < n_rows; i++) {
            uint64_t key;
            int added;
            if (i == focus || !strcmp(rows[i].nation, rows[focus].nation))
                continue;
            if (estimate(&rows[i], &rows[focus]) < threshold - 0.2)
                continue;
            key = i < focus ? ((uint64_t)i << 32 | focus) : ((uint64_t)focus << 32 | i);
            if ((rc = pset_add(&set, key, &added)))
                goto done;
        }
    } else if (n_rows > 1) {
        if (!(keys = malloc(n_rows * sizeof(*keys)))) {
            rc = AIB_ENOMEM;
            goto done;
        }
        for (b = 0; b < AIB__REG_BANDS; b++) {
            for (i = 0; i < n_rows; i++) {
                uint64_t h = 1469598103934665603ULL ^ b;
                size_t k;
                for (k = 0; k < ROWS; k++) {
                    h ^= rows[i].sig[b * ROWS + k];
                    h *= 1099511628211ULL;
                }
                keys[i].h = h;
                keys[i].idx = (uint32_t)i;
            }
            qsort(keys, n_rows, sizeof(*keys), bkey_cmp);
            for (i = 0; i < n_rows; i = j) {
                size_t x, y;
                for (j = i + 1; j < n_rows && keys[j].h == keys[i].h; j++)
                    ;
                if (j - i < 2 || j - i > MAX_BUCKET)
                    continue;
                for (x = i; x < j; x++)
                    for (y = x + 1; y < j; y++) {
                        uint32_t a = keys[x].idx, c = keys[y].idx;
                        int added;
                        if (!strcmp(rows[a].nation, rows[c].nation))
                            continue;
                        if (set.n >= MAX_CANDIDATES)
                            continue;
                        if ((rc = pset_add(&set, a < c ? ((uint64_t)a << 32 | c) : ((uint64_t)c << 32 | a), &added)))
                            goto done;
                    }
            }
        }
    }
    /* Verification: exact Jaccard of the term sets. */
    for (i = 0; i < set.cap; i++) {
        uint64_t key;
        uint32_t a, c;
        double s;
        const char **common;
        size_t n_common = 0;

        if (!set.slots[i])
            continue;
        key = set.slots[i] - 1;
        a = (uint32_t)(key >> 32);
        c = (uint32_t)key;
        if (estimate(&rows[a], &rows[c]) < threshold - 0.2)
            continue;
        if ((rc = load_terms(r, text_st, &rows[a], tmp, diag)) || (rc = load_terms(r, text_st, &rows[c], tmp, diag)))
            goto done;
        s = aib__registry_jaccard(rows[a].terms, rows[a].n_terms, rows[c].terms, rows[c].n_terms, NULL, 0, NULL);
        if (s < threshold)
            continue;
        common = aib_arena_calloc(arena, 16, sizeof(char *));
        if (!common) {
            rc = AIB_ENOMEM;
            goto done;
        }
        {
            /* all common terms, then the 16 longest (most specific) of them */
            size_t cap_all = rows[a].n_terms < rows[c].n_terms ? rows[a].n_terms : rows[c].n_terms;
            const char **all = aib_arena_calloc(tmp, cap_all ? cap_all : 1, sizeof(char *));
            size_t n_all = 0, k;
            if (!all) {
                rc = AIB_ENOMEM;
                goto done;
            }
            aib__registry_jaccard(rows[a].terms, rows[a].n_terms, rows[c].terms, rows[c].n_terms, all, cap_all,
                                  &n_all);
            qsort(all, n_all, sizeof(char *), len_desc);
            for (k = 0; k < n_all && k < 16; k++)
                if (!(common[n_common++] = aib_arena_strndup(arena, all[k], strlen(all[k])))) {
                    rc = AIB_ENOMEM;
                    goto done;
                }
        }
        if (n_pairs == cap_pairs) {
            size_t nc = cap_pairs ? cap_pairs * 2 : 64;
            pair_t *np = realloc(pairs, nc * sizeof(*pairs));
            if (!np) {
                rc = AIB_ENOMEM;
                goto done;
            }
            pairs = np;
            cap_pairs = nc;
        }
        pairs[n_pairs].a = rows[a].rid < rows[c].rid ? a : c;
        pairs[n_pairs].b = rows[a].rid < rows[c].rid ? c : a;
        pairs[n_pairs].score = s;
        pairs[n_pairs].common = common;
        pairs[n_pairs].n_common = n_common;
        n_pairs++;
    }
    if (pairs)
        qsort(pairs, n_pairs, sizeof(*pairs), pair_cmp);
    if (n_pairs > limit)
        n_pairs = limit;
    res = aib_arena_calloc(arena, n_pairs ? n_pairs : 1, sizeof(*res));
    if (!res) {
        rc = AIB_ENOMEM;
        goto done;
    }
    for (i = 0; i < n_pairs; i++) {
        int64_t rids[2];
        aib_registry_hit_t *h;
        rids[0] = rows[pairs[i].a].rid;
        rids[1] = rows[pairs[i].b].rid;
        if ((rc = aib__registry_load_hits(r, rids, NULL, 2, arena, &h, diag)))
            goto done;
        res[i].a = h[0].rec;
        res[i].b = h[1].rec;
        res[i].score = pairs[i].score;
        res[i].terms = pairs[i].common;
        res[i].n_terms = pairs[i].n_common;
    }
    *out = res;
    *n = n_pairs;
    rc = 0;
done:
    sqlite3_finalize(text_st);
    free(rows);
    free(keys);
    free(pairs);
    free(set.slots);
    aib_arena_free(tmp);
    return rc;
}
