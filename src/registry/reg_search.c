/* reg_search.c — ranked full-text search (FTS5, bm25) with filters by type, area, nation and
 * date, and challenge-to-capability matchmaking. The release filter is a join on the allowed
 * release classes inside the same SQL statement, applied before scoring and sorting, so records
 * a requester may not see are never scored, counted or decoded. */
#include "registry_int.h"

#include <stdlib.h>
#include <string.h>

/* Column weights for bm25: a word in the title counts most, then the summary, then the rest. */
#define BM25 "bm25(registry_fts, 8.0, 3.0, 1.0)"

int aib__registry_load_hits(aib_registry_t *r, const int64_t *rids, const double *scores,
                            size_t n, aib_arena_t *arena, aib_registry_hit_t **out,
                            aib_diag_t *diag)
{
    sqlite3_stmt *st = NULL;
    aib_registry_hit_t *h;
    size_t i;
    int rc;

    *out = NULL;
    h = aib_arena_calloc(arena, n ? n : 1, sizeof(*h));
    if (!h)
        return AIB_ENOMEM;
    rc = aib__registry_prepare(r, "SELECT json FROM registry_record WHERE rid = ?1", &st, diag);
    for (i = 0; rc == 0 && i < n; i++) {
        sqlite3_bind_int64(st, 1, rids[i]);
        if (sqlite3_step(st) != SQLITE_ROW) {
            rc = aib__registry_dberr(r, "load record", diag);
            break;
        }
        rc = aib__registry_decode((const char *)sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0),
                                  arena, &h[i].rec, diag);
        h[i].score = scores ? scores[i] : 0.0;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (rc == 0)
        *out = h;
    return rc;
}

static int run(aib_registry_t *r, const aib_registry_query_t *q, bool filtered, const char *match,
               int64_t exclude_rid, size_t limit, size_t offset, aib_arena_t *arena,
               int64_t **rids_out, double **scores_out, size_t *n_out, aib_diag_t *diag)
{
    aib_buf_t sql;
    sqlite3_stmt *st = NULL;
    int64_t *rids = NULL;
    double *scores = NULL;
    size_t i, n = 0;
    int rc = 0, p = 1;

    aib_buf_init(&sql);
    *n_out = 0;
    if (match)
        /* CROSS JOIN keeps FTS5 as the outer loop: its posting lists drive the query. */
        rc = aib_buf_puts(&sql, "SELECT r.rid, -" BM25 " AS s FROM registry_fts CROSS JOIN registry_doc r"
                                " ON r.rid = registry_fts.rowid WHERE registry_fts MATCH ?");
    else
        rc = aib_buf_puts(&sql, "SELECT r.rid, 0.0 AS s FROM registry_doc r WHERE 1");
    if (!rc && filtered)
        rc = aib_buf_puts(&sql, " AND r.cls IN (SELECT cls FROM temp.rg_allowed)");
    if (!rc && q->n_types) {
        rc = aib_buf_puts(&sql, " AND r.type IN (");
        for (i = 0; !rc && i < q->n_types; i++)
            rc = aib_buf_puts(&sql, i ? ",?" : "?");
        if (!rc)
            rc = aib_buf_putc(&sql, ')');
    }
    if (!rc && q->area)
        rc = aib_buf_puts(&sql, " AND r.rid IN (SELECT rid FROM registry_record_area WHERE area = ?)");
    if (!rc && q->nation)
        rc = aib_buf_puts(&sql, " AND r.rid IN (SELECT rid FROM registry_record_nation WHERE nation = ?)");
    if (!rc && q->from)
        rc = aib_buf_puts(&sql, " AND (r.end_ = '' OR r.end_ >= ?)");
    if (!rc && q->to)
        rc = aib_buf_puts(&sql, " AND (r.start = '' OR r.start <= ?)");
    if (!rc && exclude_rid)
        rc = aib_buf_puts(&sql, " AND r.rid <> ?");
    if (!rc)
        rc = aib_buf_puts(&sql, match ? " ORDER BY s DESC, r.rid LIMIT ? OFFSET ?"
                                      : " ORDER BY r.updated_at DESC, r.rid DESC LIMIT ? OFFSET ?");
    if (rc)
        goto done;
    if ((rc = aib__registry_prepare(r, sql.data, &st, diag)))
        goto done;
    if (match)
        sqlite3_bind_text(st, p++, match, -1, SQLITE_STATIC);
    for (i = 0; i < q->n_types; i++)
        sqlite3_bind_int(st, p++, (int)q->types[i]);
    if (q->area)
        sqlite3_bind_text(st, p++, q->area, -1, SQLITE_STATIC);
    if (q->nation)
        sqlite3_bind_text(st, p++, q->nation, -1, SQLITE_STATIC);
    if (q->from)
        sqlite3_bind_text(st, p++, q->from, -1, SQLITE_STATIC);
    if (q->to)
        sqlite3_bind_text(st, p++, q->to, -1, SQLITE_STATIC);
    if (exclude_rid)
        sqlite3_bind_int64(st, p++, exclude_rid);
    sqlite3_bind_int64(st, p++, (sqlite3_int64)limit);
    sqlite3_bind_int64(st, p++, (sqlite3_int64)offset);
    rids = aib_arena_calloc(arena, limit ? limit : 1, sizeof(*rids));
    scores = aib_arena_calloc(arena, limit ? limit : 1, sizeof(*scores));
    if (!rids || !scores) {
        rc = AIB_ENOMEM;
        goto done;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < limit) {
        rids[n] = sqlite3_column_int64(st, 0);
        scores[n] = sqlite3_column_double(st, 1);
        n++;
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        rc = aib__registry_dberr(r, "search", diag);
        goto done;
    }
    rc = 0;
    *rids_out = rids;
    *scores_out = scores;
    *n_out = n;
done:
    sqlite3_finalize(st);
    aib_buf_free(&sql);
    return rc;
}

static int check_query(const aib_registry_t *r, const aib_registry_query_t *q, aib_diag_t *diag)
{
    size_t i;

    for (i = 0; i < q->n_types; i++)
        if ((unsigned)q->types[i] >= AIB_REG_NTYPES) {
            aib_diag_set(diag, "query", 0, 0, "type: unknown record type");
            return AIB_EINVAL;
        }
    if (q->n_types > AIB_REG_NTYPES) {
        aib_diag_set(diag, "query", 0, 0, "type: too many types");
        return AIB_EINVAL;
    }
    if (q->area && !aib_registry_taxonomy_has(r->tax, q->area)) {
        aib_diag_set(diag, "query", 0, 0, "area: unknown taxonomy area `%.64s`", q->area);
        return AIB_EINVAL;
    }
    if (q->nation && (strlen(q->nation) != 3)) {
        aib_diag_set(diag, "query", 0, 0, "nation: expected an alpha-3 code");
        return AIB_EINVAL;
    }
    if ((q->from && strlen(q->from) != 10) || (q->to && strlen(q->to) != 10)) {
        aib_diag_set(diag, "query", 0, 0, "%s: expected a date YYYY-MM-DD",
                     q->from && strlen(q->from) != 10 ? "from" : "to");
        return AIB_EINVAL;
    }
    return 0;
}

static int search(aib_registry_t *r, const aib_registry_requester_t *who, bool filtered,
                  const aib_registry_query_t *q, aib_arena_t *arena, aib_registry_hit_t **out,
                  size_t *n, aib_diag_t *diag)
{
    aib_buf_t match;
    const char **words = NULL;
    size_t n_words = 0, limit = q->limit ? q->limit : 20, got = 0;
    int64_t *rids = NULL;
    double *scores = NULL;
    int rc;

    aib_buf_init(&match);
    *out = NULL;
    *n = 0;
    if (limit > 1000)
        limit = 1000;
    if ((rc = check_query(r, q, diag)))
        goto done;
    if (filtered && (rc = aib__registry_allow(r, who, diag)))
        goto done;
    if (q->text && q->text[0]) {
        if ((rc = aib__registry_query_words(q->text, arena, &words, &n_words)))
            goto done;
        if (n_words == 0)
            goto done; /* nothing searchable in the text: no hits */
        if ((rc = aib__registry_fts_query(words, n_words, q->match_any, &match)))
            goto done;
    }
    if ((rc = run(r, q, filtered, match.len ? match.data : NULL, 0, limit, q->offset, arena, &rids, &scores,
                  &got, diag)))
        goto done;
    if ((rc = aib__registry_load_hits(r, rids, scores, got, arena, out, diag)))
        goto done;
    *n = got;
done:
    aib_buf_free(&match);
    return rc;
}

int aib_registry_search(aib_registry_t *r, const aib_registry_requester_t *who,
                        const aib_registry_query_t *q, aib_arena_t *arena,
                        aib_registry_hit_t **out, size_t *n, aib_diag_t *diag)
{
    return search(r, who, true, q, arena, out, n, diag);
}

int aib__registry_search_unfiltered(aib_registry_t *r, const aib_registry_query_t *q,
                                    aib_arena_t *arena, aib_registry_hit_t **out, size_t *n,
                                    aib_diag_t *diag)
{
    return search(r, NULL, false, q, arena, out, n, diag);
}

/* ---- Matchmaking ------------------------------------------------------------------------------ */

static int rid_of(aib_registry_t *r, const char *id, int64_t *rid, aib_diag_t *diag)
{
    sqlite3_stmt *st = NULL;
    int rc = aib__registry_prepare(r, "SELECT rid FROM registry_record WHERE id = ?1", &st, diag);

    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        *rid = sqlite3_column_int64(st, 0);
    else
        rc = AIB_ENOTFOUND;
    sqlite3_finalize(st);
    return rc;
}

/* 1 when areas a and b are the same or one is the parent of the other ("quantum" / "quantum.pnt"). */
static int area_related(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);

    if (!strcmp(a, b))
        return 1;
    if (la < lb && !strncmp(a, b, la) && b[la] == '.')
        return 1;
    return lb < la && !strncmp(a, b, lb) && a[lb] == '.';
}

static int hit_cmp(const void *x, const void *y)
{
    const aib_registry_hit_t *a = x, *b = y;

    if (a->score != b->score)
        return a->score < b->score ? 1 : -1;
    return strcmp(a->rec.id, b->rec.id);
}

int aib_registry_match(aib_registry_t *r, const aib_registry_requester_t *who, const char *id,
                       size_t limit, aib_arena_t *arena, aib_registry_hit_t **out, size_t *n,
                       aib_diag_t *diag)
{
    static const aib_registry_type_t answer_types[] = { AIB_REG_CAPABILITY, AIB_REG_PROJECT,
                                                        AIB_REG_FACILITY, AIB_REG_COMPANY };
    aib_registry_record_t ch;
    aib_registry_query_t q;
    aib_buf_t text, match;
    const char **terms = NULL;
    size_t n_terms = 0, got = 0, i, j;
    int64_t ch_rid = 0, *rids = NULL;
    double *scores = NULL;
    aib_registry_hit_t *hits = NULL;
    int rc;

    aib_buf_init(&text);
    aib_buf_init(&match);
    *out = NULL;
    *n = 0;
    if (!limit)
        limit = 10;
    if (limit > 200)
        limit = 200;
    /* The challenge itself goes through release like any other read. */
    if ((rc = aib_registry_get(r, who, id, arena, &ch, diag)))
        goto done;
    if (ch.type != AIB_REG_CHALLENGE) {
        aib_diag_set(diag, "registry", 0, 0, "`%.80s` is a %s, not a challenge", id, aib_registry_type_name(ch.type));
        rc = AIB_EINVAL;
        goto done;
    }
    if ((rc = rid_of(r, id, &ch_rid, diag)))
        goto done;
    if ((rc = aib_buf_printf(&text, "%s\n%s", ch.title, ch.summary)))
        goto done;
    if ((rc = aib__registry_terms(text.data, text.len, arena, &terms, &n_terms)))
        goto done;
    if (n_terms == 0)
        goto done;
    if ((rc = aib__registry_fts_query(terms, n_terms > 48 ? 48 : n_terms, true, &match)))
        goto done;
    memset(&q, 0, sizeof(q));
    q.types = answer_types;
    q.n_types = sizeof(answer_types) / sizeof(answer_types[0]);
    if ((rc = run(r, &q, true, match.data, ch_rid, limit * 5, 0, arena, &rids, &scores, &got, diag)))
        goto done;
    if ((rc = aib__registry_load_hits(r, rids, scores, got, arena, &hits, diag)))
        goto done;
    for (i = 0; i < got; i++) {
        aib_registry_hit_t *h = &hits[i];
        const char **hterms, **common;
        size_t n_h, n_common = 0, shared = 0;

        aib_buf_clear(&text);
        if ((rc = aib_buf_printf(&text, "%s\n%s", h->rec.title, h->rec.summary)))
            goto done;
        if ((rc = aib__registry_terms(text.data, text.len, arena, &hterms, &n_h)))
            goto done;
        common = aib_arena_calloc(arena, 16 + ch.n_areas, sizeof(char *));
        if (!common) {
            rc = AIB_ENOMEM;
            goto done;
        }
        aib__registry_jaccard(terms, n_terms, hterms, n_h, common, 16, &n_common);
        for (j = 0; j < ch.n_areas; j++) {
            size_t k;
            for (k = 0; k < h->rec.n_areas; k++)
                if (area_related(ch.areas[j], h->rec.areas[k]))
                    break;
            if (k < h->rec.n_areas) {
                char tmp[80];
                snprintf(tmp, sizeof(tmp), "area:%s", ch.areas[j]);
                if (!(common[n_common++] = aib_arena_strndup(arena, tmp, strlen(tmp)))) {
                    rc = AIB_ENOMEM;
                    goto done;
                }
                shared++;
            }
        }
        /* Text relevance plus a fixed bonus per shared area: a capability in the challenge's
         * technology area outranks one that merely shares vocabulary. */
        h->score += 2.0 * (double)shared;
        h->terms = common;
        h->n_terms = n_common;
    }
    qsort(hits, got, sizeof(*hits), hit_cmp);
    *out = hits;
    *n = got < limit ? got : limit;
done:
    aib_buf_free(&text);
    aib_buf_free(&match);
    return rc;
}
