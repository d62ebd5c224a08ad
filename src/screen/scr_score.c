/* scr_score.c — pairwise name similarity: token alignment (Jaro-Winkler, edit distance, phonetic
 * keys, initials; weighted by token rarity) plus a whole-name comparison with spaces removed,
 * combined into calibrated log-odds. Used by list queries and by `aib screen pairs`. */
#include "screen/screen_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Calibration of the name part of the score: a logistic model over the smaller and the larger
 * weighted coverage of the two names and the conflict flag (each name keeps a strong word that
 * resembles nothing in the other), fitted on the even-numbered pairs of
 * data/screen/eval-pairs.csv with the odd ones held out (bench/screen/eval.js --fit;
 * docs/screening.md). The joined similarity is reported but not scored: once split and joined
 * tokens align, it added nothing. */
#define CAL_B0 (-0.539)
#define CAL_MIN 2.618
#define CAL_MAX 1.154
#define CAL_JOIN 0.0
#define CAL_CONFLICT (-1.950)
/* Below this Jaro-Winkler similarity two tokens are unrelated. */
#define JW_MIN 0.8

double aib__scr_sigmoid(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

static size_t vowels(const aib__scr_tok_t *t)
{
    size_t i, n = 0;
    for (i = 0; i < t->len; i++)
        n += t->s[i] == 'a' || t->s[i] == 'e' || t->s[i] == 'i' || t->s[i] == 'o' || t->s[i] == 'u';
    return n;
}

static double tok_sim(const aib__scr_tok_t *a, const aib__scr_tok_t *b)
{
    bool la = a->flags & AIB__SCR_TOK_LEGAL, lb = b->flags & AIB__SCR_TOK_LEGAL;
    double s;
    size_t mn;

    if (la || lb) {
        if (a->len == b->len && memcmp(a->s, b->s, a->len) == 0)
            return 1.0;
        return la && lb ? 0.5 : 0.0;
    }
    if (a->len == b->len && memcmp(a->s, b->s, a->len) == 0)
        return 1.0;
    if (a->len == 1 || b->len == 1)
        return a->s[0] == b->s[0] ? 0.6 : 0.0;
    mn = a->len < b->len ? a->len : b->len;
    {
        /* Jaro-Winkler cannot reach 0.8 when the lengths differ too much: skip the work */
        size_t mx = a->len < b->len ? b->len : a->len;
        double bound = ((double)mn / (double)a->len + (double)mn / (double)b->len + 1.0) / 3.0;
        bound += 0.4 * (1.0 - bound);
        s = bound < 0.8 ? 0.0 : aib_screen_jaro_winkler(a->s, a->len, b->s, b->len);
        if (s < JW_MIN)
            s = 0.0;
        if (mn <= 3) {
            /* Jaro-Winkler says little about two- and three-letter words: "un" is not "jung" */
            s = mx - mn <= 1 && aib_screen_levenshtein(a->s, a->len, b->s, b->len) == 1 ? 0.85 : 0.0;
        } else if (s < 0.9 && mx - mn <= 1 && aib_screen_levenshtein(a->s, a->len, b->s, b->len) == 1) {
            s = 0.9;
        }
        /* equal phonetic keys: for words of similar length, or when one is written without vowels
         * (Arabic and Hebrew transliterations); "putin" is not "potanin" */
        if (a->key[0] && a->key[1] && s < 0.88 && strcmp(a->key, b->key) == 0
            && (4 * mn >= 3 * mx || vowels(a) <= 1 || vowels(b) <= 1))
            s = 0.88;
    }
    return s;
}

#define NONE 0xFF

/* One alignment option: query token i (and i2, when two query tokens were written as one
 * listed token) against listed token j (and j2). */
typedef struct {
    double sim;
    uint8_t i, i2, j, j2;
} cand_t;

/* An unaligned strong word that resembles nothing on the other side (a garbled transliteration
 * still resembles its original, a different given name does not). */
static bool leftover(const aib__scr_tok_t *t, const aib__scr_tok_t *other, size_t n)
{
    size_t k;
    if (t->flags & (AIB__SCR_TOK_LEGAL | AIB__SCR_TOK_PARTICLE | AIB__SCR_TOK_INITIAL))
        return false;
    for (k = 0; k < n; k++)
        if (aib_screen_jaro_winkler(t->s, t->len, other[k].s, other[k].len) >= 0.8)
            return false;
    return true;
}

/* Similarity of token a with the concatenation of b1 and b2 ("aljarba" ~ "al jarba",
 * "jinping" ~ "jin ping"); 0 unless it is close. */
static double merged_sim(const aib__scr_tok_t *a, const aib__scr_tok_t *b1, const aib__scr_tok_t *b2)
{
    char buf[128];
    aib__scr_tok_t m;
    double s;
    size_t ml = (size_t)b1->len + b2->len;
    if (ml > (size_t)a->len + 3 || ml + 3 < a->len)
        return 0; /* too different in length to be the same word */
    if ((size_t)b1->len + b2->len >= sizeof(buf) || (b1->flags & AIB__SCR_TOK_LEGAL) || (b2->flags & AIB__SCR_TOK_LEGAL)
        || (a->flags & AIB__SCR_TOK_LEGAL))
        return 0;
    memcpy(buf, b1->s, b1->len);
    memcpy(buf + b1->len, b2->s, b2->len);
    buf[b1->len + b2->len] = '\0';
    memset(&m, 0, sizeof(m));
    m.s = buf;
    m.len = (uint16_t)(b1->len + b2->len);
    aib_screen_phonetic(m.s, m.len, m.key, sizeof(m.key));
    s = tok_sim(a, &m);
    return s >= 0.88 ? s : 0;
}

static int cand_cmp(const void *x, const void *y)
{
    const cand_t *a = x, *b = y;
    if (a->sim != b->sim)
        return a->sim < b->sim ? 1 : -1;
    if (a->i != b->i)
        return a->i < b->i ? -1 : 1;
    if (a->j != b->j)
        return a->j < b->j ? -1 : 1;
    if (a->i2 != b->i2)
        return a->i2 < b->i2 ? -1 : 1;
    return a->j2 < b->j2 ? -1 : a->j2 > b->j2;
}

static int str_cmp(const void *x, const void *y)
{
    const aib__scr_tok_t *a = *(const aib__scr_tok_t *const *)x, *b = *(const aib__scr_tok_t *const *)y;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->s, b->s, n);
    return c ? c : (int)a->len - (int)b->len;
}

/* Concatenates tokens (optionally sorted) without separators, bounded to cap-1 bytes. */
static size_t join(const aib__scr_tok_t *t, size_t n, bool sorted, char *buf, size_t cap)
{
    const aib__scr_tok_t *ptr[AIB__SCR_MAX_TOKS];
    size_t i, len = 0;

    for (i = 0; i < n; i++)
        ptr[i] = &t[i];
    if (sorted)
        qsort(ptr, n, sizeof(ptr[0]), str_cmp);
    for (i = 0; i < n; i++) {
        size_t k = ptr[i]->len;
        if (ptr[i]->flags & AIB__SCR_TOK_LEGAL)
            continue; /* legal forms move around ("X LLC" / "OOO X"); compared by alignment */
        if (len + k >= cap)
            k = cap - 1 - len;
        memcpy(buf + len, ptr[i]->s, k);
        len += k;
    }
    buf[len] = '\0';
    return len;
}

static double join_sim(const aib__scr_tok_t *q, size_t nq, const aib__scr_tok_t *c, size_t nc, bool sorted)
{
    char a[129], b[129];
    size_t la = join(q, nq, sorted, a, sizeof(a)), lb = join(c, nc, sorted, b, sizeof(b));
    size_t mx = la > lb ? la : lb;
    if (mx == 0)
        return 0.0;
    return 1.0 - (double)aib_screen_levenshtein(a, la, b, lb) / (double)mx;
}

void aib__scr_name_score(const aib__scr_tok_t *q, size_t nq, const aib__scr_tok_t *c, size_t nc, aib__scr_nfeat_t *f)
{
    cand_t cands[3 * AIB__SCR_MAX_TOKS * AIB__SCR_MAX_TOKS];
    bool used_q[AIB__SCR_MAX_TOKS] = {false}, used_c[AIB__SCR_MAX_TOKS] = {false};
    double sim_q[AIB__SCR_MAX_TOKS] = {0}, sim_c[AIB__SCR_MAX_TOKS] = {0};
    double tq = 0, tc = 0, mq = 0, mc = 0, js, mn, mx;
    size_t i, j, n = 0;

    {
        bool want = f->want_joined;
        memset(f, 0, sizeof(*f));
        f->want_joined = want;
    }
    if (nq > AIB__SCR_MAX_TOKS)
        nq = AIB__SCR_MAX_TOKS;
    if (nc > AIB__SCR_MAX_TOKS)
        nc = AIB__SCR_MAX_TOKS;
    if (nq == 0 || nc == 0) {
        f->logit = -20.0;
        return;
    }
    for (i = 0; i < nq; i++)
        for (j = 0; j < nc; j++) {
            double s = tok_sim(&q[i], &c[j]);
            if (s > 0) {
                cands[n].sim = s;
                cands[n].i = (uint8_t)i;
                cands[n].j = (uint8_t)j;
                cands[n].i2 = cands[n].j2 = NONE;
                n++;
            }
            /* one token on one side written as two on the other */
            if (j + 1 < nc && (s = merged_sim(&q[i], &c[j], &c[j + 1])) > 0) {
                cands[n] = (cand_t){s, (uint8_t)i, NONE, (uint8_t)j, (uint8_t)(j + 1)};
                n++;
            }
            if (i + 1 < nq && (s = merged_sim(&c[j], &q[i], &q[i + 1])) > 0) {
                cands[n] = (cand_t){s, (uint8_t)i, (uint8_t)(i + 1), (uint8_t)j, NONE};
                n++;
            }
        }
    qsort(cands, n, sizeof(cands[0]), cand_cmp);
    for (i = 0; i < nq; i++)
        tq += q[i].w;
    for (j = 0; j < nc; j++)
        tc += c[j].w;
    for (i = 0; i < n; i++) {
        cand_t *k = &cands[i];
        aib_screen_align_t *a;
        if (used_q[k->i] || used_c[k->j] || (k->i2 != NONE && used_q[k->i2]) || (k->j2 != NONE && used_c[k->j2]))
            continue;
        used_q[k->i] = used_c[k->j] = true;
        sim_q[k->i] = sim_c[k->j] = k->sim;
        if (k->i2 != NONE)
            sim_q[k->i2] = k->sim;
        if (k->j2 != NONE)
            sim_c[k->j2] = k->sim;
        mq += k->sim * q[k->i].w;
        mc += k->sim * c[k->j].w;
        if (k->i2 != NONE) {
            used_q[k->i2] = true;
            mq += k->sim * q[k->i2].w;
        }
        if (k->j2 != NONE) {
            used_c[k->j2] = true;
            mc += k->sim * c[k->j2].w;
        }
        /* qtok/ctok carry the aib__scr_tok_t pointers; callers turn them into strings */
        a = &f->align[f->n_align++];
        a->qtok = (const char *)&q[k->i];
        a->ctok = (const char *)&c[k->j];
        a->sim = k->sim;
        a->weight = (q[k->i].w + c[k->j].w) / 2.0;
        if (k->i2 != NONE || k->j2 != NONE) {
            a = &f->align[f->n_align++];
            a->qtok = (const char *)&q[k->i2 != NONE ? k->i2 : k->i];
            a->ctok = (const char *)&c[k->j2 != NONE ? k->j2 : k->j];
            a->sim = k->sim;
            a->weight = k->i2 != NONE ? q[k->i2].w : c[k->j2].w;
        }
    }
    for (i = 0; i < nq; i++)
        if (!used_q[i]) {
            aib_screen_align_t *a = &f->align[f->n_align++];
            a->qtok = (const char *)&q[i];
            a->ctok = NULL;
            a->sim = 0;
            a->weight = q[i].w;
        }
    for (j = 0; j < nc; j++)
        if (!used_c[j]) {
            aib_screen_align_t *a = &f->align[f->n_align++];
            a->qtok = NULL;
            a->ctok = (const char *)&c[j];
            a->sim = 0;
            a->weight = c[j].w;
        }
    {
        /* a word left over on each side ("Ivan Petrov" / "Alexander Petrov") */
        bool lq = false, lc = false;
        /* a word aligned only with an initial ("putin" ~ "p") still counts as left over */
        for (i = 0; i < nq && !lq; i++)
            lq = sim_q[i] < 0.75 && leftover(&q[i], c, nc);
        for (j = 0; j < nc && lq && !lc; j++)
            lc = sim_c[j] < 0.75 && leftover(&c[j], q, nq);
        f->conflict = lq && lc;
    }
    f->cov_q = tq > 0 ? mq / tq : 0;
    f->cov_c = tc > 0 ? mc / tc : 0;
    js = 0;
    if (f->want_joined) {
        double js2;
        js = join_sim(q, nq, c, nc, false);
        js2 = join_sim(q, nq, c, nc, true);
        if (js2 > js)
            js = js2;
    }
    f->joined = js;
    mn = f->cov_q < f->cov_c ? f->cov_q : f->cov_c;
    mx = f->cov_q < f->cov_c ? f->cov_c : f->cov_q;
    f->name = 0.6 * mn + 0.4 * mx;
    f->logit = CAL_B0 + CAL_MIN * mn + CAL_MAX * mx + CAL_JOIN * js + (f->conflict ? CAL_CONFLICT : 0.0);
}

/* Contributions of the name features, for explanations. */
void aib__scr_name_contrib(const aib__scr_nfeat_t *f, double out[5])
{
    double mn = f->cov_q < f->cov_c ? f->cov_q : f->cov_c;
    double mx = f->cov_q < f->cov_c ? f->cov_c : f->cov_q;
    out[0] = CAL_B0;
    out[1] = CAL_MIN * mn;
    out[2] = CAL_MAX * mx;
    out[3] = CAL_JOIN * f->joined;
    out[4] = f->conflict ? CAL_CONFLICT : 0.0;
}

static int put_tok(aib_buf_t *b, const char *tokp)
{
    const aib__scr_tok_t *t = (const aib__scr_tok_t *)tokp;
    if (!t)
        return aib_buf_puts(b, "null");
    return aib_buf_json_str(b, t->s, t->len);
}

int aib__scr_explain_name(const aib__scr_nfeat_t *f, aib_buf_t *b)
{
    double ct[5];
    size_t i;
    int rc = 0;

    aib__scr_name_contrib(f, ct);
    rc |= aib_buf_printf(b, "\"coverage_query\":%.4f,\"coverage_listed\":%.4f,\"joined\":%.4f,"
                            "\"conflict\":%s,\"name_score\":%.4f,\"alignment\":[",
                         f->cov_q, f->cov_c, f->joined, f->conflict ? "true" : "false", f->name);
    for (i = 0; i < f->n_align; i++) {
        rc |= aib_buf_puts(b, i ? ",{\"q\":" : "{\"q\":");
        rc |= put_tok(b, f->align[i].qtok);
        rc |= aib_buf_puts(b, ",\"c\":");
        rc |= put_tok(b, f->align[i].ctok);
        rc |= aib_buf_printf(b, ",\"sim\":%.3f,\"weight\":%.3f}", f->align[i].sim, f->align[i].weight);
    }
    rc |= aib_buf_printf(b, "],\"name_logit\":{\"bias\":%.3f,\"coverage_min\":%.3f,"
                            "\"coverage_max\":%.3f,\"conflict\":%.3f}",
                         ct[0], ct[1], ct[2], ct[4]);
    return rc ? AIB_ENOMEM : 0;
}

int aib_screen_pair(const char *name1, const char *name2, aib_screen_schema_t schema, double *score,
                    aib_buf_t *explain)
{
    aib_buf_t a, b;
    aib__scr_tok_t ta[AIB__SCR_MAX_TOKS], tb[AIB__SCR_MAX_TOKS];
    aib__scr_nfeat_t *f = NULL;
    size_t na, nb;
    int rc;

    *score = 0;
    aib_buf_init(&a);
    aib_buf_init(&b);
    rc = aib_screen_normalize(name1, strlen(name1), schema, &a);
    if (rc == 0)
        rc = aib_screen_normalize(name2, strlen(name2), schema, &b);
    if (rc != 0)
        goto done;
    f = malloc(sizeof(*f));
    if (!f) {
        rc = AIB_ENOMEM;
        goto done;
    }
    f->want_joined = explain != NULL;
    na = aib__scr_tokenize(a.data ? a.data : "", ta, AIB__SCR_MAX_TOKS);
    nb = aib__scr_tokenize(b.data ? b.data : "", tb, AIB__SCR_MAX_TOKS);
    aib__scr_prior_weights(ta, na);
    aib__scr_prior_weights(tb, nb);
    aib__scr_name_score(ta, na, tb, nb, f);
    *score = aib__scr_sigmoid(f->logit);
    if (explain) {
        rc |= aib_buf_puts(explain, "{\"name1\":");
        rc |= aib_buf_json_str(explain, a.data ? a.data : "", a.len);
        rc |= aib_buf_puts(explain, ",\"name2\":");
        rc |= aib_buf_json_str(explain, b.data ? b.data : "", b.len);
        rc |= aib_buf_printf(explain, ",\"score\":%.4f,", *score);
        rc |= aib__scr_explain_name(f, explain);
        rc |= aib_buf_putc(explain, '}');
        if (rc)
            rc = AIB_ENOMEM;
    }
done:
    free(f);
    aib_buf_free(&a);
    aib_buf_free(&b);
    return rc;
}
