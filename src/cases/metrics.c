/* metrics.c — the common operating picture: from every stage visit of the matching cases, per
 * group of type / stage / country (owning nation) / owner: visits, backlog (open visits in
 * non-terminal stages), completed visits, median and 95th-percentile time in stage, and the
 * share completed within the target (the query's, else the stage's from data/cases, else 48 h). */
#include "cases_int.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_TARGET_MS (48LL * 3600 * 1000)

/* One visit reduced to its group key (ungrouped dimensions are "*") and what metrics need. */
typedef struct item {
    const char *k[4]; /* type, stage, country, owner */
    int64_t dur;      /* time in stage when completed, else -1 */
    int open_backlog; /* open in a non-terminal stage */
    int64_t target;   /* the stage's target from data (0 = none) */
} item_t;

static int cmp_item(const void *a, const void *b)
{
    const item_t *x = a, *y = b;
    int d, c;
    for (d = 0; d < 4; d++)
        if ((c = strcmp(x->k[d], y->k[d])) != 0)
            return c;
    return 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

int aib_cases_metrics(aib_cases_t *cs, aib_store_t *st, const aib_metrics_query_t *q,
                      aib_arena_t *arena, aib_metrics_t *out, aib_diag_t *diag)
{
    aib_stage_visit_t *v = NULL;
    item_t *it = NULL;
    size_t n = 0, i, j, k, groups = 0;
    int64_t *dur = NULL;
    unsigned by = q && q->group_by ? (q->group_by & AIB_METRICS_BY_ALL) : AIB_METRICS_BY_ALL;
    int rc;

    memset(out, 0, sizeof(*out));
    out->generated_at = aib__cases_now(cs);
    out->group_by = by;
    if (q && q->target_ms < 0) {
        aib_diag_set(diag, "target", 0, 0, "target: must be positive");
        return AIB_EINVAL;
    }
    rc = aib_store_stage_visits(st, q ? q->filter : NULL, arena, &v, &n, diag);
    if (rc)
        return rc;
    it = aib_arena_calloc(arena, n + 1, sizeof(*it));
    dur = malloc((n + 1) * sizeof(int64_t));
    if (!it || !dur) {
        free(dur);
        return AIB_ENOMEM;
    }
    for (i = 0; i < n; i++) {
        const aib_case_type_def_t *t = aib_cases_type_find(cs, v[i].type);
        const aib_case_stage_def_t *sd = t ? aib__cases_stage(t, v[i].stage) : NULL;
        it[i].k[0] = (by & AIB_METRICS_BY_TYPE) ? v[i].type : "*";
        it[i].k[1] = (by & AIB_METRICS_BY_STAGE) ? v[i].stage : "*";
        it[i].k[2] = (by & AIB_METRICS_BY_COUNTRY) ? v[i].nation : "*";
        it[i].k[3] = (by & AIB_METRICS_BY_OWNER) ? v[i].owner : "*";
        it[i].dur = v[i].left_at ? (v[i].left_at > v[i].entered_at ? v[i].left_at - v[i].entered_at : 0) : -1;
        it[i].open_backlog = !v[i].left_at && !(sd && sd->terminal);
        it[i].target = sd ? sd->target_ms : 0;
    }
    qsort(it, n, sizeof(*it), cmp_item);
    for (i = 0; i < n; i = j) {
        for (j = i + 1; j < n && cmp_item(&it[i], &it[j]) == 0; j++)
            ;
        groups++;
    }
    out->rows = aib_arena_calloc(arena, groups + 1, sizeof(*out->rows));
    if (!out->rows) {
        free(dur);
        return AIB_ENOMEM;
    }
    for (i = 0; i < n; i = j) {
        aib_metrics_row_t *r = &out->rows[out->n++];
        size_t nd = 0, within = 0;
        for (j = i; j < n && cmp_item(&it[i], &it[j]) == 0; j++) {
            r->count++;
            if (it[j].dur >= 0)
                dur[nd++] = it[j].dur;
            else if (it[j].open_backlog)
                r->backlog++;
        }
        r->type = it[i].k[0];
        r->stage = it[i].k[1];
        r->country = it[i].k[2];
        r->owner = it[i].k[3];
        /* The stage's own target applies only when the group is one stage of one type. */
        r->target_ms = q && q->target_ms ? q->target_ms
                       : ((by & AIB_METRICS_BY_TYPE) && (by & AIB_METRICS_BY_STAGE) && it[i].target)
                           ? it[i].target
                           : DEFAULT_TARGET_MS;
        r->completed = (int64_t)nd;
        if (nd == 0) {
            r->median_ms = r->p95_ms = -1;
            r->within_target = -1;
            continue;
        }
        qsort(dur, nd, sizeof(int64_t), cmp_i64);
        r->median_ms = nd % 2 ? dur[nd / 2] : (dur[nd / 2 - 1] + dur[nd / 2]) / 2;
        k = (nd * 95 + 99) / 100; /* nearest rank: ceil(0.95 n) */
        r->p95_ms = dur[k - 1];
        for (k = 0; k < nd; k++)
            within += dur[k] <= r->target_ms;
        r->within_target = (double)within / (double)nd;
    }
    free(dur);
    return AIB_OK;
}

int aib_metrics_to_json(const aib_metrics_t *m, aib_buf_t *out)
{
    static const char *const names[] = { "type", "stage", "country", "owner" };
    char t[40];
    size_t i;
    int rc, first = 1, d;

    aib__cases_fmt_time(m->generated_at, t, sizeof(t));
    rc = aib_buf_printf(out, "{\"generated_at\":\"%s\",\"group_by\":[", t);
    for (d = 0; d < 4 && !rc; d++)
        if (m->group_by & (1u << d)) {
            rc = aib_buf_printf(out, "%s\"%s\"", first ? "" : ",", names[d]);
            first = 0;
        }
    rc = rc || aib_buf_puts(out, "],\"rows\":[");
    for (i = 0; i < m->n && !rc; i++) {
        const aib_metrics_row_t *r = &m->rows[i];
        rc = (i && aib_buf_putc(out, ',')) || aib_buf_puts(out, "{\"type\":") ||
             aib_buf_json_str(out, r->type, strlen(r->type)) || aib_buf_puts(out, ",\"stage\":") ||
             aib_buf_json_str(out, r->stage, strlen(r->stage)) || aib_buf_puts(out, ",\"country\":") ||
             aib_buf_json_str(out, r->country, strlen(r->country)) || aib_buf_puts(out, ",\"owner\":") ||
             aib_buf_json_str(out, r->owner, strlen(r->owner)) ||
             aib_buf_printf(out, ",\"count\":%lld,\"backlog\":%lld,\"completed\":%lld,\"target_ms\":%lld",
                            (long long)r->count, (long long)r->backlog, (long long)r->completed,
                            (long long)r->target_ms);
        if (!rc && r->completed)
            rc = aib_buf_printf(out, ",\"median_ms\":%lld,\"p95_ms\":%lld,\"within_target\":%.4f}",
                                (long long)r->median_ms, (long long)r->p95_ms, r->within_target);
        else if (!rc)
            rc = aib_buf_puts(out, ",\"median_ms\":null,\"p95_ms\":null,\"within_target\":null}");
    }
    rc = rc || aib_buf_puts(out, "]}");
    return rc ? AIB_ENOMEM : AIB_OK;
}
