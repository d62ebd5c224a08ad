/* countries.c — the country table: ISO 3166-1 from Debian's iso-codes JSON, codes and names
 * added by data/alliance/countries.json (Kosovo, EAR spellings), and the one index that maps any
 * code, name or alias to a country. EAR tables resolve their destination names through it. */
#include "alliance/alliance_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Pending alias of a country, turned into the country's alias list by countries_finish. */
typedef struct alias_rec {
    aib_alliance_country_t *co;
    const char *alias;
} alias_rec_t;

/* Latin-1 supplement letters (U+00C0..U+00FF, UTF-8 C3 80..C3 BF) folded to ASCII; '.' drops. */
static const char LATIN1[] = "aaaaaaaceeeeiiii" "dnooooo.ouuuuyts" "aaaaaaaceeeeiiii" "dnooooo.ouuuuyty";

static int word_cmp(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

void aib__alliance_name_key(const char *name, char *out, size_t cap)
{
    char buf[256], *words[32];
    size_t bl = 0, nw = 0, i, o = 0;
    const unsigned char *p = (const unsigned char *)name;

    /* Pass 1: fold to lower-case ASCII letters and digits, separators as single spaces. */
    while (*p && bl + 2 < sizeof(buf)) {
        unsigned char ch = *p;
        if (ch == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF) {
            char f = LATIN1[p[1] - 0x80];
            if (f != '.')
                buf[bl++] = f;
            p += 2;
            continue;
        }
        if (ch == 0xE2 && p[1] == 0x80 && (p[2] == 0x98 || p[2] == 0x99)) { /* curly quotes */
            p += 3;
            continue;
        }
        if (ch == '\'' ) {
            p++;
            continue;
        }
        if (ch == '&') {
            if (bl + 6 >= sizeof(buf))
                break;
            memcpy(buf + bl, " and ", 5);
            bl += 5;
            p++;
            continue;
        }
        if (isalnum(ch))
            buf[bl++] = (char)tolower(ch);
        else if (ch >= 0x80)
            buf[bl++] = (char)ch; /* other scripts kept byte for byte */
        else
            buf[bl++] = ' ';
        p++;
    }
    buf[bl] = '\0';
    /* Pass 2: split, drop filler words, normalise "saint", sort. */
    {
        char *save = NULL, *tok = strtok_r(buf, " ", &save);
        while (tok && nw < sizeof(words) / sizeof(words[0])) {
            if (strcmp(tok, "the") && strcmp(tok, "of")) {
                if (!strcmp(tok, "saint"))
                    tok = "st";
                words[nw++] = tok;
            }
            tok = strtok_r(NULL, " ", &save);
        }
    }
    qsort(words, nw, sizeof(words[0]), word_cmp);
    if (!cap)
        return;
    for (i = 0; i < nw; i++) {
        size_t wl = strlen(words[i]);
        if (o + wl + (i ? 1 : 0) + 1 > cap)
            break;
        if (i)
            out[o++] = ' ';
        memcpy(out + o, words[i], wl);
        o += wl;
    }
    out[o] = '\0';
}

static const char *code_key(aib_alliance_t *a, const char *code)
{
    char buf[16];
    size_t i, n = strlen(code);

    if (n == 0 || n > 8)
        return NULL;
    buf[0] = '#';
    for (i = 0; i < n; i++)
        buf[i + 1] = (char)toupper((unsigned char)code[i]);
    buf[n + 1] = '\0';
    return aib__alliance_strdup(a, buf);
}

static int add_name(aib_alliance_t *a, aib_alliance_country_t *co, const char *name, int prio,
                    const char *origin)
{
    char key[256];
    const char *k;

    if (!name)
        return AIB_OK;
    aib__alliance_name_key(name, key, sizeof(key));
    if (!key[0])
        return AIB_OK;
    if (!(k = aib__alliance_strdup(a, key)))
        return AIB_ENOMEM;
    a->countries_dirty = true;
    return aib__alliance_index_add(&a->country_ix, k, co, prio, origin);
}

static int add_country(aib__alliance_ctx_t *c, const char *path, const char *a2, const char *a3,
                       const char *num, const char *name, const char *official,
                       const char *common)
{
    aib_alliance_t *a = c->a;
    aib_alliance_country_t *co;
    int rc;
    size_t i;

    for (i = 0; i < 2; i++) {
        const char *code = i ? a3 : a2;
        size_t want = i ? 3 : 2, j;
        if (!code || strlen(code) != want)
            return aib__alliance_err(c, path, i ? "alpha_3" : "alpha_2", "expected %zu letters", want);
        for (j = 0; j < want; j++)
            if (!isupper((unsigned char)code[j]))
                return aib__alliance_err(c, path, i ? "alpha_3" : "alpha_2",
                                         "expected upper-case letters");
    }
    co = aib_arena_calloc(a->arena, 1, sizeof(*co));
    if (!co)
        return AIB_ENOMEM;
    co->alpha2 = a2;
    co->alpha3 = a3;
    co->numeric = num;
    co->name = name;
    co->official_name = official;
    co->common_name = common;
    if ((rc = aib__alliance_vec_push(&a->countries, co)))
        return rc;
    a->countries_dirty = true;
    if ((rc = aib__alliance_index_add(&a->country_ix, code_key(a, a2), co, AIB__PRIO_CODE, c->file)) ||
        (rc = aib__alliance_index_add(&a->country_ix, code_key(a, a3), co, AIB__PRIO_CODE, c->file)))
        return rc;
    if (num && (rc = aib__alliance_index_add(&a->country_ix, code_key(a, num), co, AIB__PRIO_CODE,
                                             c->file)))
        return rc;
    if ((rc = add_name(a, co, name, AIB__PRIO_ISO, c->file)) ||
        (rc = add_name(a, co, official, AIB__PRIO_ISO, c->file)) ||
        (rc = add_name(a, co, common, AIB__PRIO_ISO, c->file)))
        return rc;
    return AIB_OK;
}

int aib__alliance_load_iso(aib__alliance_ctx_t *c, json_t *root)
{
    static const char *const keys[] = { "alpha_2", "alpha_3", "numeric", "name", "official_name",
                                        "common_name", "flag", NULL };
    json_t *arr = json_object_get(root, "3166-1");
    size_t i;
    int rc;

    if (!json_is_array(arr))
        return aib__alliance_err(c, "", "3166-1", "expected the ISO 3166-1 array");
    for (i = 0; i < json_array_size(arr); i++) {
        json_t *e = json_array_get(arr, i);
        char path[64];
        const char *a2, *a3, *num, *name, *off, *com;
        snprintf(path, sizeof(path), "3166-1[%zu]", i);
        if ((rc = aib__alliance_keys(c, e, path, keys)) ||
            (rc = aib__alliance_str(c, e, path, "alpha_2", true, &a2)) ||
            (rc = aib__alliance_str(c, e, path, "alpha_3", true, &a3)) ||
            (rc = aib__alliance_str(c, e, path, "numeric", true, &num)) ||
            (rc = aib__alliance_str(c, e, path, "name", true, &name)) ||
            (rc = aib__alliance_str(c, e, path, "official_name", false, &off)) ||
            (rc = aib__alliance_str(c, e, path, "common_name", false, &com)))
            return rc;
        if (strlen(num) != 3 || !isdigit((unsigned char)num[0]) || !isdigit((unsigned char)num[1]) ||
            !isdigit((unsigned char)num[2]))
            return aib__alliance_err(c, path, "numeric", "expected three digits");
        if ((rc = add_country(c, path, a2, a3, num, name, off, com)))
            return rc;
    }
    return AIB_OK;
}

int aib__alliance_country_alias(aib_alliance_t *a, aib_alliance_country_t *co, const char *alias,
                                int prio, const char *origin, aib_diag_t *diag)
{
    alias_rec_t *r;
    int rc;

    if ((rc = add_name(a, co, alias, prio, origin)))
        return rc;
    r = aib_arena_alloc(a->arena, sizeof(*r));
    if (!r)
        return AIB_ENOMEM;
    r->co = co;
    r->alias = alias;
    if ((rc = aib__alliance_vec_push(&a->country_aliases, r)))
        return rc;
    return aib__alliance_index_finish(&a->country_ix, "country name or code", diag);
}

/* countries.json: extra countries (codes outside ISO 3166) and aliases. */
int aib__alliance_load_countries(aib__alliance_ctx_t *c, json_t *root)
{
    static const char *const top[] = { "kind", "extra", "aliases", AIB__CITE_KEYS, NULL };
    static const char *const ek[] = { "alpha2", "alpha3", "numeric", "name", "official_name",
                                      AIB__CITE_KEYS, NULL };
    static const char *const ak[] = { "alias", "country", AIB__CITE_KEYS, NULL };
    aib_alliance_cite_t top_cite, cite;
    json_t *arr;
    size_t i;
    int rc;

    if ((rc = aib__alliance_keys(c, root, "", top)) ||
        (rc = aib__alliance_cite(c, root, "", NULL, &top_cite)))
        return rc;
    arr = json_object_get(root, "extra");
    if (arr && !json_is_array(arr))
        return aib__alliance_err(c, "", "extra", "expected an array");
    for (i = 0; arr && i < json_array_size(arr); i++) {
        json_t *e = json_array_get(arr, i);
        char path[64];
        const char *a2, *a3, *num, *name, *off;
        snprintf(path, sizeof(path), "extra[%zu]", i);
        if ((rc = aib__alliance_keys(c, e, path, ek)) ||
            (rc = aib__alliance_cite(c, e, path, &top_cite, &cite)) ||
            (rc = aib__alliance_str(c, e, path, "alpha2", true, &a2)) ||
            (rc = aib__alliance_str(c, e, path, "alpha3", true, &a3)) ||
            (rc = aib__alliance_str(c, e, path, "numeric", false, &num)) ||
            (rc = aib__alliance_str(c, e, path, "name", true, &name)) ||
            (rc = aib__alliance_str(c, e, path, "official_name", false, &off)) ||
            (rc = add_country(c, path, a2, a3, num, name, off, NULL)))
            return rc;
    }
    if ((rc = aib__alliance_countries_finish(c->a, c->diag)))
        return rc;
    arr = json_object_get(root, "aliases");
    if (arr && !json_is_array(arr))
        return aib__alliance_err(c, "", "aliases", "expected an array");
    for (i = 0; arr && i < json_array_size(arr); i++) {
        json_t *e = json_array_get(arr, i);
        char path[64];
        const char *alias, *cc;
        aib_alliance_country_t *co;
        snprintf(path, sizeof(path), "aliases[%zu]", i);
        if ((rc = aib__alliance_keys(c, e, path, ak)) ||
            (rc = aib__alliance_cite(c, e, path, &top_cite, &cite)) ||
            (rc = aib__alliance_str(c, e, path, "alias", true, &alias)) ||
            (rc = aib__alliance_str(c, e, path, "country", true, &cc)))
            return rc;
        if (!(co = aib__alliance_country_find(c->a, cc)))
            return aib__alliance_err(c, path, "country", "unknown country `%s`", cc);
        if ((rc = aib__alliance_country_alias(c->a, co, alias, AIB__PRIO_DATA, c->file,
                                                   c->diag)))
            return rc;
    }
    return aib__alliance_countries_finish(c->a, c->diag);
}

static int country_cmp(const void *x, const void *y)
{
    const aib_alliance_country_t *p = *(aib_alliance_country_t *const *)x;
    const aib_alliance_country_t *q = *(aib_alliance_country_t *const *)y;
    return strcmp(p->alpha3, q->alpha3);
}

int aib__alliance_countries_finish(aib_alliance_t *a, aib_diag_t *diag)
{
    size_t i;
    int rc;

    if (!a->countries_dirty)
        return AIB_OK;
    if ((rc = aib__alliance_index_finish(&a->country_ix, "country name or code", diag)))
        return rc;
    if (a->countries.n)
        qsort(a->countries.v, a->countries.n, sizeof(void *), country_cmp);
    for (i = 0; i + 1 < a->countries.n; i++) {
        const aib_alliance_country_t *p = a->countries.v[i], *q = a->countries.v[i + 1];
        if (!strcmp(p->alpha3, q->alpha3)) {
            aib_diag_set(diag, "", 0, 0, "country code %s defined twice", p->alpha3);
            return AIB_EINVAL;
        }
    }
    /* Rebuild each country's alias list from the pending records (arena; cheap and rare). */
    for (i = 0; i < a->countries.n; i++) {
        aib_alliance_country_t *co = a->countries.v[i];
        co->n_aliases = 0;
        co->aliases = NULL;
    }
    for (i = 0; i < a->country_aliases.n; i++) {
        alias_rec_t *r = a->country_aliases.v[i];
        r->co->n_aliases++;
    }
    for (i = 0; i < a->countries.n; i++) {
        aib_alliance_country_t *co = a->countries.v[i];
        if (co->n_aliases) {
            co->aliases = aib_arena_calloc(a->arena, co->n_aliases, sizeof(char *));
            if (!co->aliases)
                return AIB_ENOMEM;
            co->n_aliases = 0;
        }
    }
    for (i = 0; i < a->country_aliases.n; i++) {
        alias_rec_t *r = a->country_aliases.v[i];
        size_t j;
        bool dup = false;
        for (j = 0; j < r->co->n_aliases; j++)
            if (!strcmp(r->co->aliases[j], r->alias))
                dup = true;
        if (!dup)
            ((const char **)r->co->aliases)[r->co->n_aliases++] = r->alias;
    }
    a->countries_dirty = false;
    return AIB_OK;
}

aib_alliance_country_t *aib__alliance_country_find(const aib_alliance_t *a, const char *key)
{
    char buf[256];
    size_t n, i;
    void *v;

    if (!key)
        return NULL;
    while (*key == ' ')
        key++;
    n = strlen(key);
    while (n && key[n - 1] == ' ')
        n--;
    if (n == 0 || n >= sizeof(buf) - 1)
        return NULL;
    if (n <= 3) {
        bool alnum = true;
        buf[0] = '#';
        for (i = 0; i < n; i++) {
            if (!isalnum((unsigned char)key[i]))
                alnum = false;
            buf[i + 1] = (char)toupper((unsigned char)key[i]);
        }
        buf[n + 1] = '\0';
        if (alnum && (v = aib__alliance_index_get(&a->country_ix, buf)))
            return v;
    }
    memcpy(buf, key, n);
    buf[n] = '\0';
    {
        char k[256];
        aib__alliance_name_key(buf, k, sizeof(k));
        return aib__alliance_index_get(&a->country_ix, k);
    }
}

const aib_alliance_country_t *aib_alliance_country(const aib_alliance_t *a, const char *key)
{
    return a ? aib__alliance_country_find(a, key) : NULL;
}

size_t aib_alliance_country_count(const aib_alliance_t *a)
{
    return a ? a->countries.n : 0;
}

const aib_alliance_country_t *aib_alliance_country_at(const aib_alliance_t *a, size_t i)
{
    return a && i < a->countries.n ? a->countries.v[i] : NULL;
}
