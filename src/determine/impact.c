/* impact.c — what a reform would change over a batch of requests: how many outcomes change,
 * by transition ("licence_required -> exempt"), by destination and by item category, and how
 * many licence applications the second pack avoids (a licence required under the first, none
 * needed under the second). */
#include "determine/determine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tally {
    char key[96];
    size_t total, changed, avoided;
} tally_t;

typedef struct tallies {
    tally_t *v;
    size_t n, cap;
} tallies_t;

struct aib_determine_impact {
    size_t total, changed, avoided, added;
    tallies_t transitions, countries, categories;
};

aib_determine_impact_t *aib_determine_impact_new(void)
{
    return calloc(1, sizeof(aib_determine_impact_t));
}

void aib_determine_impact_free(aib_determine_impact_t *im)
{
    if (!im)
        return;
    free(im->transitions.v);
    free(im->countries.v);
    free(im->categories.v);
    free(im);
}

static tally_t *tally(tallies_t *t, const char *key)
{
    size_t i;
    for (i = 0; i < t->n; i++)
        if (!strcmp(t->v[i].key, key))
            return &t->v[i];
    if (t->n == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 16;
        tally_t *p = realloc(t->v, nc * sizeof *p);
        if (!p)
            return NULL;
        t->v = p;
        t->cap = nc;
    }
    memset(&t->v[t->n], 0, sizeof t->v[t->n]);
    snprintf(t->v[t->n].key, sizeof t->v[t->n].key, "%s", key);
    return &t->v[t->n++];
}

static int count(tallies_t *t, const char *key, bool changed, bool avoided)
{
    tally_t *x = tally(t, key);
    if (!x)
        return AIB_ENOMEM;
    x->total++;
    x->changed += changed;
    x->avoided += avoided;
    return 0;
}

int aib_determine_impact_add(aib_determine_impact_t *im, const aib_determine_request_t *req,
                             const aib_determine_result_t *a, const aib_determine_result_t *b)
{
    bool changed = strcmp(a->outcome, b->outcome) != 0;
    bool lic_a = !strcmp(a->outcome, "licence_required"), lic_b = !strcmp(b->outcome, "licence_required");
    bool avoided = lic_a && !lic_b && strcmp(b->outcome, "prohibited") != 0;
    char key[96], cat[64];
    int rc;

    im->total++;
    im->changed += changed;
    im->avoided += avoided;
    im->added += !lic_a && lic_b;
    snprintf(key, sizeof key, "%s -> %s", a->outcome, b->outcome);
    rc = count(&im->transitions, key, changed, avoided);
    if (!rc)
        rc = count(&im->countries, req->to->alpha3, changed, avoided);
    if (!rc) {
        /* category: USML category, ECCN category digit, EAR99 or information */
        const char *ref = a->item_ref ? a->item_ref : "";
        if (!strncmp(ref, "usml:", 5))
            snprintf(cat, sizeof cat, "USML %s", ref + 5);
        else if (!strncmp(ref, "eccn:", 5))
            snprintf(cat, sizeof cat, "CCL category %c", ref[5]);
        else if (!strcmp(ref, "information"))
            snprintf(cat, sizeof cat, "disclosure %s", req->classification);
        else
            snprintf(cat, sizeof cat, "%s", ref);
        rc = count(&im->categories, cat, changed, avoided);
    }
    return rc;
}

static int cmp_tally(const void *x, const void *y)
{
    const tally_t *a = x, *b = y;
    if (a->changed != b->changed)
        return a->changed < b->changed ? 1 : -1;
    if (a->total != b->total)
        return a->total < b->total ? 1 : -1;
    return strcmp(a->key, b->key);
}

static int tallies_json(aib_buf_t *out, const char *name, tallies_t *t)
{
    size_t i;
    int rc = aib_buf_printf(out, ",\"%s\":[", name);
    qsort(t->v, t->n, sizeof *t->v, cmp_tally);
    for (i = 0; !rc && i < t->n; i++) {
        rc = aib_buf_puts(out, i ? ",{\"key\":" : "{\"key\":");
        if (!rc)
            rc = aib_buf_json_str(out, t->v[i].key, strlen(t->v[i].key));
        if (!rc)
            rc = aib_buf_printf(out, ",\"total\":%zu,\"changed\":%zu,\"licences_avoided\":%zu}",
                                t->v[i].total, t->v[i].changed, t->v[i].avoided);
    }
    return rc ? rc : aib_buf_putc(out, ']');
}

int aib_determine_impact_json(const aib_determine_impact_t *im, const char *a, const char *b,
                              aib_buf_t *out)
{
    aib_determine_impact_t *m = (aib_determine_impact_t *)im; /* sorting only */
    int rc = aib_buf_puts(out, "{\"compare\":[");
    if (!rc)
        rc = aib_buf_json_str(out, a, strlen(a));
    if (!rc)
        rc = aib_buf_putc(out, ',');
    if (!rc)
        rc = aib_buf_json_str(out, b, strlen(b));
    if (!rc)
        rc = aib_buf_printf(out, "],\"total\":%zu,\"changed\":%zu,\"unchanged\":%zu,"
                                 "\"licences_avoided\":%zu,\"licences_added\":%zu",
                            im->total, im->changed, im->total - im->changed, im->avoided, im->added);
    if (!rc)
        rc = tallies_json(out, "by_transition", &m->transitions);
    if (!rc)
        rc = tallies_json(out, "by_country", &m->countries);
    if (!rc)
        rc = tallies_json(out, "by_category", &m->categories);
    return rc ? rc : aib_buf_putc(out, '}');
}

static int tallies_text(aib_buf_t *out, const char *title, tallies_t *t, bool changed_only)
{
    size_t i;
    int rc = aib_buf_printf(out, "\n%s:\n", title);
    qsort(t->v, t->n, sizeof *t->v, cmp_tally);
    for (i = 0; !rc && i < t->n; i++) {
        if (changed_only && !t->v[i].changed)
            continue;
        rc = aib_buf_printf(out, "  %-40s %6zu requests  %6zu changed  %6zu licences avoided\n",
                            t->v[i].key, t->v[i].total, t->v[i].changed, t->v[i].avoided);
    }
    return rc;
}

int aib_determine_impact_text(const aib_determine_impact_t *im, const char *a, const char *b,
                              aib_buf_t *out)
{
    aib_determine_impact_t *m = (aib_determine_impact_t *)im;
    int rc = aib_buf_printf(out, "impact of %s -> %s over %zu requests: %zu outcomes change, "
                                 "%zu unchanged; licences avoided %zu, licences added %zu\n",
                            a, b, im->total, im->changed, im->total - im->changed, im->avoided,
                            im->added);
    if (!rc)
        rc = tallies_text(out, "by outcome", &m->transitions, false);
    if (!rc)
        rc = tallies_text(out, "by destination (changed only)", &m->countries, true);
    if (!rc)
        rc = tallies_text(out, "by category (changed only)", &m->categories, true);
    return rc;
}
