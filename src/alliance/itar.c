/* itar.c — ITAR reference tables from data/itar: USML categories and paragraphs (22 CFR 121.1),
 * exemptions with their exclusion lists (§126.5 Canada with Supplement No. 1, §126.7 AUKUS with
 * Supplement No. 2), licence and agreement types, and §123.15 notification thresholds. */
#include "alliance/alliance_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const ROMAN[] = { "",     "I",    "II",    "III",  "IV",  "V",    "VI",  "VII",
                                     "VIII", "IX",   "X",     "XI",   "XII", "XIII", "XIV", "XV",
                                     "XVI",  "XVII", "XVIII", "XIX",  "XX",  "XXI" };
#define N_CATS 21

/* Parses a USML reference into its category number and canonical paragraph part
 * ("Cat. XI(a)(3)" -> 11, "(a)(3)"). Returns false when ref is not a USML reference. */
static bool parse_usml(const char *ref, int *cat, char *para, size_t cap)
{
    const char *p = ref;
    char rom[8];
    size_t n = 0, o = 0;
    int i;

    while (*p == ' ')
        p++;
    if (!strncasecmp(p, "USML", 4))
        p += 4;
    while (*p == ' ')
        p++;
    if (!strncasecmp(p, "Category", 8))
        p += 8;
    else if (!strncasecmp(p, "Cat.", 4))
        p += 4;
    else if (!strncasecmp(p, "Cat", 3))
        p += 3;
    while (*p == ' ')
        p++;
    if (isdigit((unsigned char)*p)) {
        int v = 0;
        while (isdigit((unsigned char)*p) && v < 100)
            v = v * 10 + (*p++ - '0');
        *cat = v;
    } else {
        while (n + 1 < sizeof(rom) && (toupper((unsigned char)*p) == 'I' ||
                                       toupper((unsigned char)*p) == 'V' ||
                                       toupper((unsigned char)*p) == 'X'))
            rom[n++] = (char)toupper((unsigned char)*p++);
        rom[n] = '\0';
        *cat = 0;
        for (i = 1; i <= N_CATS; i++)
            if (!strcmp(rom, ROMAN[i]))
                *cat = i;
    }
    if (*cat < 1 || *cat > N_CATS)
        return false;
    /* Paragraphs: "(a)(3)(i)", blanks ignored, letters lower-cased. */
    for (; *p && o + 1 < cap; p++) {
        if (*p == ' ')
            continue;
        if (!isalnum((unsigned char)*p) && *p != '(' && *p != ')')
            return false;
        para[o++] = (char)tolower((unsigned char)*p);
    }
    para[o] = '\0';
    return !*p && (o == 0 || para[0] == '(');
}

/* Whether paragraph reference pre is a prefix of ref on a ")" boundary (or empty). */
static bool para_prefix(const char *pre, const char *ref)
{
    size_t n = strlen(pre);
    return n == 0 || (!strncmp(pre, ref, n) && (ref[n] == '\0' || ref[n] == '('));
}

static int load_cat(aib__alliance_ctx_t *c, json_t *e, const char *path,
                    const aib_alliance_cite_t *parent)
{
    static const char *const keys[] = { "number", "roman", "title", "paragraphs", AIB__CITE_KEYS,
                                        NULL };
    static const char *const pkeys[] = { "id", "text", "sme", NULL };
    aib_alliance_usml_cat_t *cat;
    double num;
    json_t *arr;
    size_t i;
    int rc;

    if (!(cat = aib_arena_calloc(c->a->arena, 1, sizeof(*cat))))
        return AIB_ENOMEM;
    if ((rc = aib__alliance_keys(c, e, path, keys)) ||
        (rc = aib__alliance_cite(c, e, path, parent, &cat->cite)) ||
        (rc = aib__alliance_num(c, e, path, "number", true, &num, NULL)) ||
        (rc = aib__alliance_str(c, e, path, "roman", true, &cat->roman)) ||
        (rc = aib__alliance_str(c, e, path, "title", true, &cat->title)))
        return rc;
    if (num < 1 || num > N_CATS || num != (int)num)
        return aib__alliance_err(c, path, "number", "expected 1..21");
    cat->number = (int)num;
    if (strcmp(cat->roman, ROMAN[cat->number]))
        return aib__alliance_err(c, path, "roman", "category %d is %s", cat->number,
                                 ROMAN[cat->number]);
    for (i = 0; i < c->a->usml.n; i++)
        if (((aib_alliance_usml_cat_t *)c->a->usml.v[i])->number == cat->number)
            return aib__alliance_err(c, path, "number", "category %s defined twice", cat->roman);
    arr = json_object_get(e, "paragraphs");
    if (arr && !json_is_array(arr))
        return aib__alliance_err(c, path, "paragraphs", "expected an array");
    if (json_array_size(arr)) {
        aib_alliance_usml_para_t *ps =
            aib_arena_calloc(c->a->arena, json_array_size(arr), sizeof(*ps));
        if (!ps)
            return AIB_ENOMEM;
        for (i = 0; i < json_array_size(arr); i++) {
            json_t *pe = json_array_get(arr, i);
            char pp[160], canon[64];
            int pc;
            snprintf(pp, sizeof(pp), "%s.paragraphs[%zu]", path, i);
            if ((rc = aib__alliance_keys(c, pe, pp, pkeys)) ||
                (rc = aib__alliance_str(c, pe, pp, "id", true, &ps[i].id)) ||
                (rc = aib__alliance_str(c, pe, pp, "text", true, &ps[i].text)) ||
                (rc = aib__alliance_bool(c, pe, pp, "sme", &ps[i].sme)))
                return rc;
            {
                char full[96];
                snprintf(full, sizeof(full), "%s%s", cat->roman, ps[i].id);
                if (!parse_usml(full, &pc, canon, sizeof(canon)) || pc != cat->number || !canon[0])
                    return aib__alliance_err(c, pp, "id", "expected a paragraph like \"(a)(3)\"");
                ps[i].id = aib__alliance_strdup(c->a, canon);
            }
        }
        cat->paras = ps;
        cat->n_paras = i;
    }
    return aib__alliance_vec_push(&c->a->usml, cat);
}

/* Loads one element of a table file: e at path, with parent the file's default citation. */
typedef int (*load_item_fn)(aib__alliance_ctx_t *c, json_t *e, const char *path,
                            const aib_alliance_cite_t *parent);

/* Loads a table file: root has the keys top (with kind and a default citation) and the array
 * key, each element of which goes to load with the path "key[i]". */
static int load_table(aib__alliance_ctx_t *c, json_t *root, const char *const *top, const char *key,
                      load_item_fn load)
{
    aib_alliance_cite_t cite;
    json_t *arr;
    size_t i;
    int rc;

    if ((rc = aib__alliance_keys(c, root, "", top)) ||
        (rc = aib__alliance_cite(c, root, "", NULL, &cite)) ||
        (rc = aib__alliance_arr(c, root, "", key, &arr)))
        return rc;
    for (i = 0; i < json_array_size(arr); i++) {
        char path[64];
        snprintf(path, sizeof(path), "%s[%zu]", key, i);
        if ((rc = load(c, json_array_get(arr, i), path, &cite)))
            return rc;
    }
    return AIB_OK;
}

static int cat_cmp(const void *x, const void *y)
{
    const aib_alliance_usml_cat_t *p = *(aib_alliance_usml_cat_t *const *)x;
    const aib_alliance_usml_cat_t *q = *(aib_alliance_usml_cat_t *const *)y;
    return p->number - q->number;
}

int aib__alliance_load_usml(aib__alliance_ctx_t *c, json_t *root)
{
    static const char *const top[] = { "kind", "categories", AIB__CITE_KEYS, NULL };
    int rc = load_table(c, root, top, "categories", load_cat);

    if (!rc && c->a->usml.n)
        qsort(c->a->usml.v, c->a->usml.n, sizeof(void *), cat_cmp);
    return rc;
}

static int load_exemption(aib__alliance_ctx_t *c, json_t *e, const char *path,
                          const aib_alliance_cite_t *parent)
{
    static const char *const keys[] = { "id", "name", "group", "conditions", "exclusions",
                                        AIB__CITE_KEYS, NULL };
    static const char *const xkeys[] = { "id", "usml", "text", "scope", AIB__CITE_KEYS, NULL };
    static const char *const scopes[] = { "articles", "technical_data", "services", "all", NULL };
    aib_alliance_itar_exemption_t *x;
    json_t *arr;
    size_t i, j;
    int rc;

    if (!(x = aib_arena_calloc(c->a->arena, 1, sizeof(*x))))
        return AIB_ENOMEM;
    if ((rc = aib__alliance_keys(c, e, path, keys)) ||
        (rc = aib__alliance_cite(c, e, path, parent, &x->cite)) ||
        (rc = aib__alliance_str(c, e, path, "id", true, &x->id)) ||
        (rc = aib__alliance_str(c, e, path, "name", true, &x->name)) ||
        (rc = aib__alliance_str(c, e, path, "group", true, &x->group)) ||
        (rc = aib__alliance_str(c, e, path, "conditions", true, &x->conditions)) ||
        (rc = aib__alliance_arr(c, e, path, "exclusions", &arr)))
        return rc;
    if (aib_alliance_itar_exemption(c->a, x->id))
        return aib__alliance_err(c, path, "id", "exemption %s defined twice", x->id);
    if (json_array_size(arr)) {
        aib_alliance_itar_exclusion_t *xs =
            aib_arena_calloc(c->a->arena, json_array_size(arr), sizeof(*xs));
        if (!xs)
            return AIB_ENOMEM;
        for (i = 0; i < json_array_size(arr); i++) {
            json_t *xe = json_array_get(arr, i);
            char xp[160], canon[64];
            int cat;
            snprintf(xp, sizeof(xp), "%s.exclusions[%zu]", path, i);
            xs[i].list = x->id;
            if ((rc = aib__alliance_keys(c, xe, xp, xkeys)) ||
                (rc = aib__alliance_cite(c, xe, xp, &x->cite, &xs[i].cite)) ||
                (rc = aib__alliance_str(c, xe, xp, "id", true, &xs[i].id)) ||
                (rc = aib__alliance_str(c, xe, xp, "usml", true, &xs[i].usml)) ||
                (rc = aib__alliance_str(c, xe, xp, "text", true, &xs[i].text)) ||
                (rc = aib__alliance_str(c, xe, xp, "scope", true, &xs[i].scope)))
                return rc;
            for (j = 0; scopes[j] && strcmp(scopes[j], xs[i].scope); j++)
                ;
            if (!scopes[j])
                return aib__alliance_err(c, xp, "scope", "unknown scope `%s`", xs[i].scope);
            if (strcmp(xs[i].usml, "*")) {
                char full[96];
                if (!parse_usml(xs[i].usml, &cat, canon, sizeof(canon)))
                    return aib__alliance_err(c, xp, "usml", "`%s` is not a USML reference",
                                             xs[i].usml);
                snprintf(full, sizeof(full), "%s%s", ROMAN[cat], canon);
                xs[i].usml = aib__alliance_strdup(c->a, full);
            }
        }
        x->exclusions = xs;
        x->n_exclusions = i;
    }
    return aib__alliance_vec_push(&c->a->exemptions, x);
}

int aib__alliance_load_exemptions(aib__alliance_ctx_t *c, json_t *root)
{
    static const char *const top[] = { "kind", "exemptions", AIB__CITE_KEYS, NULL };
    return load_table(c, root, top, "exemptions", load_exemption);
}

static int load_licence(aib__alliance_ctx_t *c, json_t *e, const char *path,
                        const aib_alliance_cite_t *parent)
{
    static const char *const keys[] = { "id", "name", "purpose", "transfer", "classified",
                                        AIB__CITE_KEYS, NULL };
    aib_alliance_itar_licence_t *l;
    int rc;

    if (!(l = aib_arena_calloc(c->a->arena, 1, sizeof(*l))))
        return AIB_ENOMEM;
    if ((rc = aib__alliance_keys(c, e, path, keys)) ||
        (rc = aib__alliance_cite(c, e, path, parent, &l->cite)) ||
        (rc = aib__alliance_str(c, e, path, "id", true, &l->id)) ||
        (rc = aib__alliance_str(c, e, path, "name", true, &l->name)) ||
        (rc = aib__alliance_str(c, e, path, "purpose", true, &l->purpose)) ||
        (rc = aib__alliance_str(c, e, path, "transfer", true, &l->transfer)) ||
        (rc = aib__alliance_bool(c, e, path, "classified", &l->classified)))
        return rc;
    if (aib_alliance_itar_licence(c->a, l->id))
        return aib__alliance_err(c, path, "id", "licence type %s defined twice", l->id);
    return aib__alliance_vec_push(&c->a->licences, l);
}

int aib__alliance_load_licences(aib__alliance_ctx_t *c, json_t *root)
{
    static const char *const top[] = { "kind", "licences", AIB__CITE_KEYS, NULL };
    return load_table(c, root, top, "licences", load_licence);
}

static int load_threshold(aib__alliance_ctx_t *c, json_t *e, const char *path,
                          const aib_alliance_cite_t *parent)
{
    static const char *const keys[] = { "id", "group", "what", "usd", AIB__CITE_KEYS, NULL };
    aib_alliance_itar_threshold_t *t;
    int rc;

    if (!(t = aib_arena_calloc(c->a->arena, 1, sizeof(*t))))
        return AIB_ENOMEM;
    if ((rc = aib__alliance_keys(c, e, path, keys)) ||
        (rc = aib__alliance_cite(c, e, path, parent, &t->cite)) ||
        (rc = aib__alliance_str(c, e, path, "id", true, &t->id)) ||
        (rc = aib__alliance_str(c, e, path, "group", true, &t->group)) ||
        (rc = aib__alliance_str(c, e, path, "what", true, &t->what)) ||
        (rc = aib__alliance_num(c, e, path, "usd", true, &t->usd, NULL)))
        return rc;
    if (t->usd < 0)
        return aib__alliance_err(c, path, "usd", "must not be negative");
    return aib__alliance_vec_push(&c->a->thresholds, t);
}

int aib__alliance_load_thresholds(aib__alliance_ctx_t *c, json_t *root)
{
    static const char *const top[] = { "kind", "thresholds", AIB__CITE_KEYS, NULL };
    return load_table(c, root, top, "thresholds", load_threshold);
}

/* Cross references, checked once all files are in: exemption and threshold groups exist. */
int aib__alliance_itar_finish(aib_alliance_t *a, aib_diag_t *diag)
{
    size_t i;

    for (i = 0; i < a->exemptions.n; i++) {
        const aib_alliance_itar_exemption_t *x = a->exemptions.v[i];
        if (!aib_alliance_group(a, x->group)) {
            aib_diag_set(diag, "", 0, 0, "exemption %s names unknown group `%s`", x->id, x->group);
            return AIB_EINVAL;
        }
    }
    for (i = 0; i < a->thresholds.n; i++) {
        const aib_alliance_itar_threshold_t *t = a->thresholds.v[i];
        if (strcmp(t->group, "*") && !aib_alliance_group(a, t->group)) {
            aib_diag_set(diag, "", 0, 0, "threshold %s names unknown group `%s`", t->id, t->group);
            return AIB_EINVAL;
        }
    }
    return AIB_OK;
}

/* ---- Queries ------------------------------------------------------------------------------- */

const aib_alliance_usml_cat_t *aib_alliance_usml(const aib_alliance_t *a, const char *ref,
                                                 const aib_alliance_usml_para_t **para)
{
    char canon[64];
    int cat;
    size_t i, best = 0;
    const aib_alliance_usml_cat_t *c = NULL;

    if (para)
        *para = NULL;
    if (!a || !ref || !parse_usml(ref, &cat, canon, sizeof(canon)))
        return NULL;
    for (i = 0; i < a->usml.n; i++)
        if (((aib_alliance_usml_cat_t *)a->usml.v[i])->number == cat)
            c = a->usml.v[i];
    if (!c || !para || !canon[0])
        return c;
    for (i = 0; i < c->n_paras; i++) {
        size_t n = strlen(c->paras[i].id);
        if (n > best && para_prefix(c->paras[i].id, canon)) {
            best = n;
            *para = &c->paras[i];
        }
    }
    return c;
}

size_t aib_alliance_usml_count(const aib_alliance_t *a)
{
    return a ? a->usml.n : 0;
}

const aib_alliance_usml_cat_t *aib_alliance_usml_at(const aib_alliance_t *a, size_t i)
{
    return a && i < a->usml.n ? a->usml.v[i] : NULL;
}

const aib_alliance_itar_exemption_t *aib_alliance_itar_exemption(const aib_alliance_t *a,
                                                                 const char *id)
{
    size_t i;
    for (i = 0; a && id && i < a->exemptions.n; i++) {
        const aib_alliance_itar_exemption_t *x = a->exemptions.v[i];
        if (!strcasecmp(x->id, id) || (!strncmp(id, "§", 2) && !strcasecmp(x->id, id + 2)))
            return x;
    }
    return NULL;
}

size_t aib_alliance_itar_exemption_count(const aib_alliance_t *a)
{
    return a ? a->exemptions.n : 0;
}

const aib_alliance_itar_exemption_t *aib_alliance_itar_exemption_at(const aib_alliance_t *a,
                                                                    size_t i)
{
    return a && i < a->exemptions.n ? a->exemptions.v[i] : NULL;
}

int aib_alliance_itar_excluded(const aib_alliance_t *a, const char *id, const char *ref,
                               const aib_alliance_itar_exclusion_t **out, size_t cap, size_t *n)
{
    const aib_alliance_itar_exemption_t *x = aib_alliance_itar_exemption(a, id);
    char canon[64];
    int cat;
    size_t i, k = 0;

    *n = 0;
    if (!x)
        return AIB_ENOTFOUND;
    if (!ref || !parse_usml(ref, &cat, canon, sizeof(canon)))
        return AIB_EINVAL;
    for (i = 0; i < x->n_exclusions; i++) {
        const aib_alliance_itar_exclusion_t *e = &x->exclusions[i];
        bool hit = !strcmp(e->usml, "*");
        if (!hit) {
            char ecanon[64];
            int ecat;
            if (parse_usml(e->usml, &ecat, ecanon, sizeof(ecanon)) && ecat == cat)
                /* the exclusion covers the item, or the item reference is broader and may
                 * fall inside the excluded paragraph */
                hit = para_prefix(ecanon, canon) || para_prefix(canon, ecanon);
        }
        if (!hit)
            continue;
        if (k < cap)
            out[k] = e;
        k++;
    }
    *n = k;
    return k > cap ? AIB_ELIMIT : AIB_OK;
}

const aib_alliance_itar_licence_t *aib_alliance_itar_licence(const aib_alliance_t *a,
                                                             const char *id)
{
    size_t i;
    for (i = 0; a && id && i < a->licences.n; i++) {
        const aib_alliance_itar_licence_t *l = a->licences.v[i];
        if (!strcasecmp(l->id, id))
            return l;
    }
    return NULL;
}

size_t aib_alliance_itar_licence_count(const aib_alliance_t *a)
{
    return a ? a->licences.n : 0;
}

const aib_alliance_itar_licence_t *aib_alliance_itar_licence_at(const aib_alliance_t *a, size_t i)
{
    return a && i < a->licences.n ? a->licences.v[i] : NULL;
}

size_t aib_alliance_itar_threshold_count(const aib_alliance_t *a)
{
    return a ? a->thresholds.n : 0;
}

const aib_alliance_itar_threshold_t *aib_alliance_itar_threshold_at(const aib_alliance_t *a,
                                                                    size_t i)
{
    return a && i < a->thresholds.n ? a->thresholds.v[i] : NULL;
}

const aib_alliance_itar_threshold_t *aib_alliance_itar_threshold(const aib_alliance_t *a,
                                                                 const char *country,
                                                                 const char *what,
                                                                 aib_alliance_date_t date)
{
    const aib_alliance_itar_threshold_t *other = NULL;
    size_t i;

    if (!a || !what)
        return NULL;
    for (i = 0; i < a->thresholds.n; i++) {
        const aib_alliance_itar_threshold_t *t = a->thresholds.v[i];
        if (strcmp(t->what, what))
            continue;
        if (!strcmp(t->group, "*")) {
            if (!other)
                other = t;
        } else if (aib_alliance_is_member(a, t->group, country, date, NULL)) {
            return t;
        }
    }
    return other;
}
