/* scr_cand_index.c — the candidate index over every listed name: each name folded and tokenised once,
 * postings for whole tokens ("t:"), phonetic keys ("p:") and character trigrams ("g:", for
 * typos) in one hash table with CSR posting arrays, and IDF weights per token. A query touches
 * only the postings of its own tokens, never the whole list. */
#include "screen/screen_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint32_t key, rec;
} pair_t;

typedef struct {
    aib__scr_index_t *ix;
    pair_t *pairs;
    size_t n_pairs, cap_pairs;
    size_t cap_keys;
    uint32_t *last_rec; /* last record added per key, to keep postings distinct */
} build_t;

static uint64_t hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    size_t i;
    for (i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

long aib__scr_index_find(const aib__scr_index_t *ix, const char *key, size_t len)
{
    size_t mask = ix->n_slots - 1, i;
    if (!ix->n_slots)
        return -1;
    for (i = hash(key, len) & mask;; i = (i + 1) & mask) {
        uint32_t k = ix->slots[i];
        const char *ks;
        if (!k)
            return -1;
        ks = ix->keys[k - 1];
        if (ks[0] == key[0] && strncmp(ks, key, len) == 0 && ks[len] == '\0')
            return (long)(k - 1);
    }
}

static int grow_slots(aib__scr_index_t *ix)
{
    size_t ns = ix->n_slots ? ix->n_slots * 2 : 1 << 10, i;
    uint32_t *slots = calloc(ns, sizeof(*slots));
    if (!slots)
        return AIB_ENOMEM;
    for (i = 0; i < ix->n_keys; i++) {
        size_t j = hash(ix->keys[i], strlen(ix->keys[i])) & (ns - 1);
        while (slots[j])
            j = (j + 1) & (ns - 1);
        slots[j] = (uint32_t)(i + 1);
    }
    free(ix->slots);
    ix->slots = slots;
    ix->n_slots = ns;
    return 0;
}

static int add_key(build_t *b, const char *key, size_t len, uint32_t rec)
{
    aib__scr_index_t *ix = b->ix;
    long k = aib__scr_index_find(ix, key, len);
    if (k < 0) {
        size_t j;
        if ((ix->n_keys + 1) * 2 > ix->n_slots && grow_slots(ix) != 0)
            return AIB_ENOMEM;
        if (ix->n_keys == b->cap_keys) {
            size_t nc = b->cap_keys ? b->cap_keys * 2 : 1 << 8;
            const char **nk = realloc(ix->keys, nc * sizeof(*nk));
            uint32_t *nl = nk ? realloc(b->last_rec, nc * sizeof(*nl)) : NULL;
            if (nk)
                ix->keys = nk;
            if (!nk || !nl)
                return AIB_ENOMEM;
            b->last_rec = nl;
            b->cap_keys = nc;
        }
        k = (long)ix->n_keys;
        ix->keys[k] = aib_arena_strndup(ix->arena, key, len);
        if (!ix->keys[k])
            return AIB_ENOMEM;
        b->last_rec[k] = UINT32_MAX;
        ix->n_keys++;
        for (j = hash(key, len) & (ix->n_slots - 1); ix->slots[j]; j = (j + 1) & (ix->n_slots - 1))
            ;
        ix->slots[j] = (uint32_t)(k + 1);
    }
    if (b->last_rec[k] == rec)
        return 0;
    b->last_rec[k] = rec;
    if (b->n_pairs == b->cap_pairs) {
        size_t nc = b->cap_pairs ? b->cap_pairs * 2 : 1 << 10;
        pair_t *np = realloc(b->pairs, nc * sizeof(*np));
        if (!np)
            return AIB_ENOMEM;
        b->pairs = np;
        b->cap_pairs = nc;
    }
    b->pairs[b->n_pairs].key = (uint32_t)k;
    b->pairs[b->n_pairs].rec = rec;
    b->n_pairs++;
    return 0;
}

/* Keys a token contributes: t:token, p:phonetic, g:trigrams of "$token". */
static int add_tok_keys(build_t *b, const aib__scr_tok_t *t, uint32_t rec)
{
    char key[80];
    size_t i;
    int rc;

    if (t->flags & (AIB__SCR_TOK_LEGAL | AIB__SCR_TOK_PARTICLE))
        return 0;
    key[0] = 't';
    key[1] = ':';
    memcpy(key + 2, t->s, t->len);
    if ((rc = add_key(b, key, 2 + (size_t)t->len, rec)) != 0)
        return rc;
    if (t->key[0] && t->key[1]) {
        key[0] = 'p';
        i = strlen(t->key);
        memcpy(key + 2, t->key, i);
        if ((rc = add_key(b, key, 2 + i, rec)) != 0)
            return rc;
    }
    if (t->len >= 3) {
        char pad[64];
        pad[0] = '$';
        memcpy(pad + 1, t->s, t->len);
        key[0] = 'g';
        for (i = 0; i + 3 <= (size_t)t->len + 1; i++) {
            memcpy(key + 2, pad + i, 3);
            if ((rc = add_key(b, key, 5, rec)) != 0)
                return rc;
        }
    }
    return 0;
}

float aib__scr_index_weight(const aib__scr_index_t *ix, const aib__scr_tok_t *t)
{
    char key[80];
    long k;
    double n = (double)ix->n_recs, df, f;
    (void)f;

    if (t->flags & (AIB__SCR_TOK_LEGAL | AIB__SCR_TOK_PARTICLE | AIB__SCR_TOK_INITIAL))
        return t->w;
    key[0] = 't';
    key[1] = ':';
    memcpy(key + 2, t->s, t->len);
    k = aib__scr_index_find(ix, key, 2 + (size_t)t->len);
    if (k < 0 || n < 50)
        return t->w;
    df = (double)ix->key_df[k];
    f = aib__scr_idf_factor(df, n);
    return (float)(t->w * f);
}

double aib__scr_idf_factor(double df, double n)
{
    double f = 1.2 * log((n + 1) / (df + 1)) / log(n + 1);
    if (f > 1)
        f = 1;
    if (f < 0.3)
        f = 0.3;
    return f;
}

void aib__scr_prior_weights(aib__scr_tok_t *t, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        unsigned df;
        if (t[i].flags & (AIB__SCR_TOK_LEGAL | AIB__SCR_TOK_PARTICLE | AIB__SCR_TOK_INITIAL))
            continue;
        df = aib__scr_prior_df(t[i].s, t[i].len);
        if (df)
            t[i].w = (float)(t[i].w * aib__scr_idf_factor((double)df, (double)aib__scr_prior_names));
    }
}

int aib__scr_index_build(aib_screen_lists_t *ls, aib__scr_index_t **out)
{
    build_t b;
    aib__scr_index_t *ix = calloc(1, sizeof(*ix));
    aib_buf_t fold;
    size_t cap_recs = 0, cap_toks = 0, i, k;
    uint32_t *fill = NULL;
    int rc = 0;

    *out = NULL;
    memset(&b, 0, sizeof(b));
    aib_buf_init(&fold);
    if (!ix || !(ix->arena = aib_arena_new(0))) {
        free(ix);
        return AIB_ENOMEM;
    }
    b.ix = ix;
    if ((rc = grow_slots(ix)) != 0)
        goto done;
    for (i = 0; i < ls->n_entries; i++) {
        const aib_screen_entry_t *e = &ls->entries[i];
        for (k = 0; k < e->n_names; k++) {
            aib__scr_tok_t toks[AIB__SCR_MAX_TOKS];
            aib__scr_rec_t *r;
            size_t nt, j;
            const char *folded;
            if ((rc = aib_screen_normalize(e->names[k], strlen(e->names[k]), e->schema, &fold)) != 0)
                goto done;
            if (fold.len == 0)
                continue;
            folded = aib_arena_strndup(ix->arena, fold.data, fold.len);
            if (!folded) {
                rc = AIB_ENOMEM;
                goto done;
            }
            nt = aib__scr_tokenize(folded, toks, AIB__SCR_MAX_TOKS);
            if (nt == 0)
                continue;
            if (ix->n_recs == cap_recs) {
                size_t nc = cap_recs ? cap_recs * 2 : 4096;
                aib__scr_rec_t *nr = realloc(ix->recs, nc * sizeof(*nr));
                if (!nr) {
                    rc = AIB_ENOMEM;
                    goto done;
                }
                ix->recs = nr;
                cap_recs = nc;
            }
            if (ix->n_toks + nt > cap_toks) {
                size_t nc = cap_toks ? cap_toks * 2 : 16384;
                aib__scr_tok_t *ntk;
                while (nc < ix->n_toks + nt)
                    nc *= 2;
                ntk = realloc(ix->toks, nc * sizeof(*ntk));
                if (!ntk) {
                    rc = AIB_ENOMEM;
                    goto done;
                }
                ix->toks = ntk;
                cap_toks = nc;
            }
            r = &ix->recs[ix->n_recs];
            r->entry = (uint32_t)i;
            r->name = (uint32_t)k;
            r->folded = folded;
            r->tok0 = (uint32_t)ix->n_toks;
            r->ntok = (uint16_t)nt;
            memcpy(ix->toks + ix->n_toks, toks, nt * sizeof(*toks));
            ix->n_toks += nt;
            for (j = 0; j < nt; j++)
                if ((rc = add_tok_keys(&b, &toks[j], (uint32_t)ix->n_recs)) != 0)
                    goto done;
            ix->n_recs++;
        }
    }
    /* CSR postings by counting sort on the key */
    ix->post_off = calloc(ix->n_keys + 1, sizeof(uint32_t));
    ix->key_df = calloc(ix->n_keys ? ix->n_keys : 1, sizeof(uint32_t));
    ix->postings = malloc((b.n_pairs ? b.n_pairs : 1) * sizeof(uint32_t));
    fill = calloc(ix->n_keys ? ix->n_keys : 1, sizeof(uint32_t));
    if (!ix->post_off || !ix->key_df || !ix->postings || !fill) {
        rc = AIB_ENOMEM;
        goto done;
    }
    for (i = 0; i < b.n_pairs; i++)
        ix->key_df[b.pairs[i].key]++;
    for (i = 0; i < ix->n_keys; i++)
        ix->post_off[i + 1] = ix->post_off[i] + ix->key_df[i];
    for (i = 0; i < b.n_pairs; i++) {
        uint32_t key = b.pairs[i].key;
        ix->postings[ix->post_off[key] + fill[key]++] = b.pairs[i].rec;
    }
    for (i = 0; i < ix->n_toks; i++)
        ix->toks[i].w = aib__scr_index_weight(ix, &ix->toks[i]);
    ix->bytes = aib_arena_used(ix->arena) + cap_recs * sizeof(aib__scr_rec_t) + cap_toks * sizeof(aib__scr_tok_t)
                + b.cap_keys * sizeof(char *) + ix->n_slots * 4 + (ix->n_keys + 1) * 8 + b.n_pairs * 4;
done:
    free(fill);
    free(b.pairs);
    free(b.last_rec);
    aib_buf_free(&fold);
    if (rc != 0) {
        aib__scr_index_free(ix);
        return rc;
    }
    *out = ix;
    return 0;
}

void aib__scr_index_free(aib__scr_index_t *ix)
{
    if (!ix)
        return;
    free(ix->recs);
    free(ix->toks);
    free(ix->keys);
    free(ix->key_df);
    free(ix->post_off);
    free(ix->postings);
    free(ix->slots);
    aib_arena_free(ix->arena);
    free(ix);
}
