/* scr_match.c — screening one query against the loaded lists: candidates from the index (token,
 * phonetic and trigram postings, best first), full name scoring of each candidate, supporting
 * evidence (schema, country, date of birth, identifiers — an exact identifier decides), the
 * calibrated score and an explanation per hit; plus the result's JSON form. */
#include "screen/screen_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CANDIDATES 120

/* Evidence weights, in log-odds added to the name part (docs/screening.md, "Evidence"). */
#define EV_SCHEMA_CONFLICT (-2.5)
#define EV_SCHEMA_WEAK (-1.0)
#define EV_COUNTRY_MATCH 0.8
#define EV_COUNTRY_MISMATCH (-0.8)
#define EV_DOB_EXACT 1.5
#define EV_DOB_YEAR 1.0
#define EV_DOB_NEAR 0.3
#define EV_DOB_MISMATCH (-1.5)
#define EV_ID_OTHER (-0.5)

typedef struct {
    uint32_t rec;
    float acc;
} cand_t;

static int cand_cmp(const void *a, const void *b)
{
    const cand_t *x = a, *y = b;
    if (x->acc != y->acc)
        return x->acc < y->acc ? 1 : -1;
    return x->rec < y->rec ? -1 : x->rec > y->rec;
}

static int hit_cmp(const void *a, const void *b)
{
    const aib_screen_hit_t *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    if (x->name_score != y->name_score)
        return x->name_score < y->name_score ? 1 : -1;
    return strcmp(x->entry->id, y->entry->id);
}

static void postings_add(const aib__scr_index_t *ix, const char *key, size_t len, float add, float *acc,
                         uint32_t *touched, size_t *n_touched, size_t max_df)
{
    long k = aib__scr_index_find(ix, key, len);
    uint32_t i;
    if (k < 0 || ix->key_df[k] > max_df)
        return;
    for (i = ix->post_off[k]; i < ix->post_off[k + 1]; i++) {
        uint32_t r = ix->postings[i];
        if (acc[r] == 0)
            touched[(*n_touched)++] = r;
        acc[r] += add;
    }
}

static int year_of(const char *d)
{
    int64_t y;
    if (!d || strlen(d) < 4 || aib_parse_i64(d, 4, &y) != 0)
        return 0;
    return (int)y;
}

static void fold_id(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; s && *s && n + 1 < cap; s++)
        if (isalnum((unsigned char)*s))
            out[n++] = (char)toupper((unsigned char)*s);
    out[n] = '\0';
}

static const char *fmt(aib_arena_t *a, const char *f, const char *x, const char *y)
{
    char buf[256];
    snprintf(buf, sizeof(buf), f, x ? x : "", y ? y : "");
    return aib_arena_strndup(a, buf, strlen(buf));
}

/* Adds evidence features to h; returns the log-odds sum, or INFINITY when an identifier decides. */
static double evidence(aib_arena_t *a, const aib_screen_query_t *q, const char *qcountry, const char *qid,
                       aib_screen_hit_t *h)
{
    const aib_screen_entry_t *e = h->entry;
    double sum = 0;
    size_t i;

#define FEAT(nm, det, c)                                                                             \
    do {                                                                                             \
        aib_screen_feature_t *f_ = &h->features[h->n_features++];                                   \
        f_->name = nm;                                                                               \
        f_->detail = det;                                                                            \
        f_->contribution = c;                                                                        \
        if (isfinite(c))                                                                             \
            sum += c;                                                                                \
    } while (0)

    if (qid[0] && e->n_ids) {
        for (i = 0; i < e->n_ids; i++)
            if (!strcmp(e->ids[i], qid)) {
                FEAT("id", fmt(a, "identifier %s listed", qid, NULL), INFINITY);
                return INFINITY;
            }
        FEAT("id", fmt(a, "identifier %s not among the listed ones", qid, NULL), EV_ID_OTHER);
    }
    if (q->schema != AIB_SCREEN_ANY && e->schema != AIB_SCREEN_ANY && q->schema != e->schema) {
        bool hard = q->schema == AIB_SCREEN_PERSON || e->schema == AIB_SCREEN_PERSON;
        FEAT("schema", fmt(a, "query %s, listed %s", aib_screen_schema_name(q->schema),
                           aib_screen_schema_name(e->schema)),
             hard ? EV_SCHEMA_CONFLICT : EV_SCHEMA_WEAK);
    }
    if (qcountry[0] && e->n_countries) {
        bool m = false;
        for (i = 0; i < e->n_countries; i++)
            m |= !strcmp(e->countries[i], qcountry);
        FEAT("country", fmt(a, m ? "%s listed" : "%s not among the listed countries", qcountry, NULL),
             m ? EV_COUNTRY_MATCH : EV_COUNTRY_MISMATCH);
    }
    if (q->dob && year_of(q->dob) && e->n_dobs) {
        double best = EV_DOB_MISMATCH;
        const char *which = e->dobs[0];
        int qy = year_of(q->dob);
        for (i = 0; i < e->n_dobs; i++) {
            int ey = year_of(e->dobs[i]);
            double v = EV_DOB_MISMATCH;
            if (strlen(q->dob) >= 10 && !strcmp(q->dob, e->dobs[i]))
                v = EV_DOB_EXACT;
            else if (ey == qy)
                v = EV_DOB_YEAR;
            else if (ey && abs(ey - qy) <= 1)
                v = EV_DOB_NEAR;
            if (v > best) {
                best = v;
                which = e->dobs[i];
            }
        }
        FEAT("dob", fmt(a, "query %s, listed %s", q->dob, which), best);
    }
#undef FEAT
    return sum;
}

static int score_rec(aib_screen_lists_t *ls, aib_screen_result_t *r, const aib__scr_tok_t *qt, size_t nq,
                     const aib__scr_rec_t *rec, const aib_screen_query_t *q, const char *qc, const char *qid,
                     aib__scr_nfeat_t *nf, aib_screen_hit_t *h)
{
    const aib__scr_index_t *ix = ls->index;
    double ct[5], ev;
    size_t i;

    nf->want_joined = false;
    aib__scr_name_score(qt, nq, ix->toks + rec->tok0, rec->ntok, nf);
    memset(h, 0, sizeof(*h));
    h->entry = &ls->entries[rec->entry];
    h->name_idx = rec->name;
    h->matched = rec->folded;
    h->name_score = nf->name;
    h->features = aib_arena_calloc(r->arena, 9, sizeof(*h->features));
    h->align = aib_arena_calloc(r->arena, nf->n_align ? nf->n_align : 1, sizeof(*h->align));
    if (!h->features || !h->align)
        return AIB_ENOMEM;
    aib__scr_name_contrib(nf, ct);
    h->features[h->n_features++] = (aib_screen_feature_t){"name_bias", "calibration intercept", ct[0]};
    h->features[h->n_features++] = (aib_screen_feature_t){"name_coverage_min", "weighted share of the less covered name", ct[1]};
    h->features[h->n_features++] = (aib_screen_feature_t){"name_coverage_max", "weighted share of the better covered name", ct[2]};
    if (nf->conflict)
        h->features[h->n_features++] = (aib_screen_feature_t){"name_conflict", "each name has a word the other lacks", ct[4]};
    for (i = 0; i < nf->n_align; i++) {
        const aib__scr_tok_t *a = (const aib__scr_tok_t *)nf->align[i].qtok, *c = (const aib__scr_tok_t *)nf->align[i].ctok;
        h->align[i].qtok = a ? aib_arena_strndup(r->arena, a->s, a->len) : NULL;
        h->align[i].ctok = c ? aib_arena_strndup(r->arena, c->s, c->len) : NULL;
        h->align[i].sim = nf->align[i].sim;
        h->align[i].weight = nf->align[i].weight;
    }
    h->n_align = nf->n_align;
    ev = evidence(r->arena, q, qc, qid, h);
    h->score = isinf(ev) ? 1.0 : aib__scr_sigmoid(nf->logit + ev);
    h->match = h->score >= r->threshold;
    return 0;
}

static void result_id(const aib_screen_lists_t *ls, const aib_screen_query_t *q, double thr, char out[17])
{
    aib__scr_sha256_t s;
    char hex[65], tb[32];
    size_t i;
    const char *parts[6] = {AIB_SCREEN_MATCHER_VERSION, q->name, aib_screen_schema_name(q->schema),
                            q->country, q->dob, q->id_number};
    aib__scr_sha256_init(&s);
    for (i = 0; i < 6; i++) {
        if (parts[i])
            aib__scr_sha256_update(&s, parts[i], strlen(parts[i]));
        aib__scr_sha256_update(&s, "|", 1);
    }
    snprintf(tb, sizeof(tb), "%.4f", thr);
    aib__scr_sha256_update(&s, tb, strlen(tb));
    for (i = 0; i < ls->n_lists; i++)
        aib__scr_sha256_update(&s, ls->lists[i].sha256, 64);
    aib__scr_sha256_hex(&s, hex);
    memcpy(out, hex, 16);
    out[16] = '\0';
}

int aib_screen_query(aib_screen_lists_t *ls, const aib_screen_query_t *q, aib_screen_result_t **out,
                     aib_diag_t *diag)
{
    aib_screen_result_t *r = NULL;
    aib__scr_index_t *ix;
    aib__scr_tok_t qt[AIB__SCR_MAX_TOKS];
    aib_buf_t fold;
    float *acc = NULL;
    uint32_t *touched = NULL;
    cand_t *cands = NULL;
    aib__scr_nfeat_t *nf = NULL;
    aib_screen_hit_t *hits = NULL;
    size_t nq, i, n_touched = 0, n_cands = 0, n_hits = 0, limit = q->limit ? q->limit : 10;
    char qc[3] = "", qid[64];
    double total_w = 0;
    int rc;

    *out = NULL;
    aib_buf_init(&fold);
    if (!q->name || !*q->name) {
        aib_diag_set(diag, NULL, 0, 0, "empty name");
        return AIB_EINVAL;
    }
    if (q->country && *q->country && !aib_screen_country_code(q->country, strlen(q->country), qc)) {
        aib_diag_set(diag, NULL, 0, 0, "unknown country `%s` (use an ISO 3166 code such as IR)", q->country);
        return AIB_EINVAL;
    }
    fold_id(q->id_number, qid, sizeof(qid));
    if ((rc = aib_screen_lists_build_index(ls)) != 0)
        return rc;
    ix = ls->index;
    r = calloc(1, sizeof(*r));
    if (!r || !(r->arena = aib_arena_new(0))) {
        free(r);
        return AIB_ENOMEM;
    }
    r->threshold = q->threshold > 0 ? q->threshold : AIB_SCREEN_DEFAULT_THRESHOLD;
    result_id(ls, q, r->threshold, r->result_id);
    if ((rc = aib_screen_normalize(q->name, strlen(q->name), q->schema, &fold)) != 0)
        goto done;
    r->query_folded = aib_arena_strndup(r->arena, fold.data ? fold.data : "", fold.len);
    if (!r->query_folded) {
        rc = AIB_ENOMEM;
        goto done;
    }
    nq = aib__scr_tokenize(r->query_folded, qt, AIB__SCR_MAX_TOKS);
    for (i = 0; i < nq; i++) {
        qt[i].w = aib__scr_index_weight(ix, &qt[i]);
        total_w += qt[i].w;
    }
    acc = calloc(ix->n_recs ? ix->n_recs : 1, sizeof(*acc));
    touched = malloc((ix->n_recs ? ix->n_recs : 1) * sizeof(*touched));
    nf = malloc(sizeof(*nf));
    if (!acc || !touched || !nf) {
        rc = AIB_ENOMEM;
        goto done;
    }
    {
        bool strong = false;
        size_t max_df = ix->n_recs / 8 + 100;
        for (i = 0; i < nq; i++)
            strong |= !(qt[i].flags & (AIB__SCR_TOK_LEGAL | AIB__SCR_TOK_PARTICLE));
        for (i = 0; i < nq; i++) {
            const aib__scr_tok_t *t = &qt[i];
            char key[80];
            if (strong && (t->flags & (AIB__SCR_TOK_LEGAL | AIB__SCR_TOK_PARTICLE)))
                continue;
            key[0] = 't';
            key[1] = ':';
            memcpy(key + 2, t->s, t->len);
            postings_add(ix, key, 2 + (size_t)t->len, t->w, acc, touched, &n_touched, ix->n_recs);
            if (t->key[0] && t->key[1]) {
                size_t kl = strlen(t->key);
                key[0] = 'p';
                memcpy(key + 2, t->key, kl);
                postings_add(ix, key, 2 + kl, 0.8f * t->w, acc, touched, &n_touched, max_df);
            }
            if (t->len >= 3) {
                char pad[64];
                size_t k, ntri = t->len - 1u;
                pad[0] = '$';
                memcpy(pad + 1, t->s, t->len);
                key[0] = 'g';
                for (k = 0; k < ntri; k++) {
                    memcpy(key + 2, pad + k, 3);
                    postings_add(ix, key, 5, 0.6f * t->w / (float)ntri, acc, touched, &n_touched, max_df);
                }
            }
        }
    }
    cands = malloc((n_touched ? n_touched : 1) * sizeof(*cands));
    if (!cands) {
        rc = AIB_ENOMEM;
        goto done;
    }
    for (i = 0; i < n_touched; i++) {
        uint32_t rr = touched[i];
        if (acc[rr] >= 0.2f * (float)total_w) {
            cands[n_cands].rec = rr;
            cands[n_cands].acc = acc[rr];
            n_cands++;
        }
    }
    qsort(cands, n_cands, sizeof(*cands), cand_cmp);
    if (n_cands > MAX_CANDIDATES)
        n_cands = MAX_CANDIDATES;
    r->n_candidates = n_cands;
    hits = aib_arena_calloc(r->arena, n_cands ? n_cands : 1, sizeof(*hits));
    if (!hits) {
        rc = AIB_ENOMEM;
        goto done;
    }
    for (i = 0; i < n_cands; i++) {
        aib_screen_hit_t h;
        size_t j;
        if ((rc = score_rec(ls, r, qt, nq, &ix->recs[cands[i].rec], q, qc, qid, nf, &h)) != 0)
            goto done;
        /* keep the best name per entry */
        for (j = 0; j < n_hits; j++)
            if (hits[j].entry == h.entry)
                break;
        if (j < n_hits) {
            if (h.score > hits[j].score || (h.score == hits[j].score && h.name_score > hits[j].name_score))
                hits[j] = h;
        } else {
            hits[n_hits++] = h;
        }
    }
    /* an identifier match decides even when the name did not propose the entry */
    if (qid[0]) {
        size_t e;
        for (e = 0; e < ls->n_entries; e++) {
            const aib_screen_entry_t *en = &ls->entries[e];
            size_t k, j;
            bool idm = false;
            for (k = 0; k < en->n_ids && !idm; k++)
                idm = !strcmp(en->ids[k], qid);
            if (!idm)
                continue;
            for (j = 0; j < n_hits; j++)
                if (hits[j].entry == en)
                    break;
            if (j < n_hits)
                continue;
            for (k = 0; k < ix->n_recs; k++)
                if (ix->recs[k].entry == e && ix->recs[k].name == 0)
                    break;
            if (k == ix->n_recs)
                continue;
            {
                aib_screen_hit_t *nh = aib_arena_calloc(r->arena, n_hits + 1, sizeof(*nh));
                if (!nh) {
                    rc = AIB_ENOMEM;
                    goto done;
                }
                memcpy(nh, hits, n_hits * sizeof(*nh));
                hits = nh;
                if ((rc = score_rec(ls, r, qt, nq, &ix->recs[k], q, qc, qid, nf, &hits[n_hits])) != 0)
                    goto done;
                n_hits++;
            }
        }
    }
    qsort(hits, n_hits, sizeof(*hits), hit_cmp);
    if (!q->all_candidates) {
        size_t m = 0;
        for (i = 0; i < n_hits; i++)
            if (hits[i].match)
                hits[m++] = hits[i];
        n_hits = m;
    }
    if (n_hits > limit)
        n_hits = limit;
    r->hits = hits;
    r->n_hits = n_hits;
done:
    free(acc);
    free(touched);
    free(cands);
    free(nf);
    aib_buf_free(&fold);
    if (rc != 0) {
        aib_screen_result_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

void aib_screen_result_free(aib_screen_result_t *r)
{
    if (!r)
        return;
    aib_arena_free(r->arena);
    free(r);
}

static int json_strs(aib_buf_t *b, const char *key, const char *const *v, size_t n)
{
    size_t i;
    int rc = aib_buf_printf(b, ",\"%s\":[", key);
    for (i = 0; i < n; i++) {
        if (i)
            rc |= aib_buf_putc(b, ',');
        rc |= aib_buf_json_str(b, v[i], strlen(v[i]));
    }
    rc |= aib_buf_putc(b, ']');
    return rc;
}

static int json_opt(aib_buf_t *b, const char *key, const char *v)
{
    int rc = aib_buf_printf(b, ",\"%s\":", key);
    if (v)
        rc |= aib_buf_json_str(b, v, strlen(v));
    else
        rc |= aib_buf_puts(b, "null");
    return rc;
}

int aib_screen_result_json(const aib_screen_lists_t *ls, const aib_screen_query_t *q,
                           const aib_screen_result_t *r, aib_buf_t *b)
{
    size_t i, k;
    int rc = 0;

    rc |= aib_buf_puts(b, "{\"result_id\":");
    rc |= aib_buf_json_str(b, r->result_id, 16);
    rc |= aib_buf_printf(b, ",\"matcher\":\"%s\",\"threshold\":%.4f,\"query\":{\"name\":",
                         AIB_SCREEN_MATCHER_VERSION, r->threshold);
    rc |= aib_buf_json_str(b, q->name, strlen(q->name));
    rc |= aib_buf_printf(b, ",\"schema\":\"%s\"", aib_screen_schema_name(q->schema));
    rc |= json_opt(b, "country", q->country);
    rc |= json_opt(b, "dob", q->dob);
    rc |= json_opt(b, "id", q->id_number);
    rc |= json_opt(b, "folded", r->query_folded);
    rc |= aib_buf_puts(b, "},\"lists\":[");
    for (i = 0; i < ls->n_lists; i++) {
        const aib_screen_list_info_t *li = &ls->lists[i];
        rc |= aib_buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
        rc |= aib_buf_json_str(b, li->name, strlen(li->name));
        rc |= aib_buf_puts(b, ",\"source\":");
        rc |= aib_buf_json_str(b, li->source, strlen(li->source));
        rc |= aib_buf_printf(b, ",\"sha256\":\"%s\",\"entries\":%zu}", li->sha256, li->n_entries);
    }
    rc |= aib_buf_printf(b, "],\"candidates\":%zu,\"hits\":[", r->n_candidates);
    for (i = 0; i < r->n_hits; i++) {
        const aib_screen_hit_t *h = &r->hits[i];
        const aib_screen_entry_t *e = h->entry;
        rc |= aib_buf_puts(b, i ? ",{\"entry\":" : "{\"entry\":");
        rc |= aib_buf_json_str(b, e->id, strlen(e->id));
        rc |= aib_buf_puts(b, ",\"list\":");
        rc |= aib_buf_json_str(b, e->list, strlen(e->list));
        rc |= aib_buf_printf(b, ",\"schema\":\"%s\",\"name\":", aib_screen_schema_name(e->schema));
        rc |= aib_buf_json_str(b, e->names[0], strlen(e->names[0]));
        rc |= aib_buf_puts(b, ",\"matched_name\":");
        rc |= aib_buf_json_str(b, e->names[h->name_idx], strlen(e->names[h->name_idx]));
        rc |= aib_buf_printf(b, ",\"score\":%.4f,\"name_score\":%.4f,\"match\":%s", h->score, h->name_score,
                             h->match ? "true" : "false");
        rc |= json_opt(b, "programs", e->programs);
        rc |= json_strs(b, "countries", e->countries, e->n_countries);
        rc |= json_strs(b, "dobs", e->dobs, e->n_dobs);
        rc |= aib_buf_puts(b, ",\"explanation\":{\"matched_folded\":");
        rc |= aib_buf_json_str(b, h->matched, strlen(h->matched));
        rc |= aib_buf_puts(b, ",\"alignment\":[");
        for (k = 0; k < h->n_align; k++) {
            const aib_screen_align_t *a = &h->align[k];
            rc |= aib_buf_puts(b, k ? ",{\"query\":" : "{\"query\":");
            rc |= a->qtok ? aib_buf_json_str(b, a->qtok, strlen(a->qtok)) : aib_buf_puts(b, "null");
            rc |= aib_buf_puts(b, ",\"listed\":");
            rc |= a->ctok ? aib_buf_json_str(b, a->ctok, strlen(a->ctok)) : aib_buf_puts(b, "null");
            rc |= aib_buf_printf(b, ",\"sim\":%.3f,\"weight\":%.3f}", a->sim, a->weight);
        }
        rc |= aib_buf_puts(b, "],\"features\":[");
        for (k = 0; k < h->n_features; k++) {
            const aib_screen_feature_t *f = &h->features[k];
            rc |= aib_buf_puts(b, k ? ",{\"feature\":" : "{\"feature\":");
            rc |= aib_buf_json_str(b, f->name, strlen(f->name));
            rc |= aib_buf_puts(b, ",\"detail\":");
            rc |= aib_buf_json_str(b, f->detail ? f->detail : "", f->detail ? strlen(f->detail) : 0);
            if (isinf(f->contribution))
                rc |= aib_buf_puts(b, ",\"contribution\":\"decisive\"}");
            else
                rc |= aib_buf_printf(b, ",\"contribution\":%.3f}", f->contribution);
        }
        rc |= aib_buf_puts(b, "]}}");
    }
    rc |= aib_buf_puts(b, "]}");
    return rc ? AIB_ENOMEM : 0;
}
