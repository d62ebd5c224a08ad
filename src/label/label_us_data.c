/* label_us_data.c — loads the US marking table (data/label/us-markings.json: levels, CUI, SCI
 * systems, dissemination controls, CUI categories, tetragraphs, rule citations) and the ISO 3166-1
 * country codes (Debian iso-codes) that REL TO trigraphs are checked against. Lookups by
 * canonical spelling, portion abbreviation or alias are case-insensitive. */
#include "label/label_int.h"

#include <jansson.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define ISO_DEFAULT "/usr/share/iso-codes/json/iso_3166-1.json"

typedef struct ld {
    aib_label_us_t *us;
    const char *file;
    aib_diag_t *diag;
} ld_t;

static const char *sdup(ld_t *l, const char *s)
{
    return aib_arena_strndup(l->us->arena, s, strlen(s));
}

static int bad(ld_t *l, const char *field, const char *what)
{
    aib_diag_set(l->diag, l->file, 0, 0, "%s: %s", field, what);
    return AIB_ESCHEMA;
}

/* Required string member (opt: may be absent, then *out = NULL). */
static int str(ld_t *l, json_t *o, const char *key, const char *path, bool opt, const char **out)
{
    json_t *v = json_object_get(o, key);
    char field[300];
    *out = NULL;
    if (!v && opt)
        return 0;
    if (!json_is_string(v)) {
        snprintf(field, sizeof field, "%s.%s", path, key);
        return bad(l, field, "missing or not a string");
    }
    *out = sdup(l, json_string_value(v));
    return *out ? 0 : AIB_ENOMEM;
}

static int strs(ld_t *l, json_t *o, const char *key, const char *path, const char ***out, size_t *n)
{
    json_t *v = json_object_get(o, key), *e;
    char field[300];
    size_t i;
    *out = NULL;
    *n = 0;
    if (!v)
        return 0;
    snprintf(field, sizeof field, "%s.%s", path, key);
    if (!json_is_array(v))
        return bad(l, field, "not an array");
    if (json_array_size(v) && !(*out = aib_arena_calloc(l->us->arena, json_array_size(v), sizeof **out)))
        return AIB_ENOMEM;
    json_array_foreach(v, i, e) {
        if (!json_is_string(e))
            return bad(l, field, "entries must be strings");
        if (!((*out)[(*n)++] = sdup(l, json_string_value(e))))
            return AIB_ENOMEM;
    }
    return 0;
}

static int level(ld_t *l, json_t *o, const char *path, aib__label_us_level_t *lv)
{
    json_t *r = json_object_get(o, "rank");
    int rc;
    if (!json_is_object(o))
        return bad(l, path, "not an object");
    if ((rc = str(l, o, "name", path, false, &lv->name)) || (rc = str(l, o, "portion", path, false, &lv->portion)) ||
        (rc = str(l, o, "citation", path, false, &lv->citation)) ||
        (rc = strs(l, o, "aliases", path, &lv->aliases, &lv->n_aliases)))
        return rc;
    if (!json_is_integer(r))
        return bad(l, path, "rank must be an integer");
    lv->rank = (int)json_integer_value(r);
    lv->classified = json_is_true(json_object_get(o, "classified"));
    return 0;
}

static int ctl(ld_t *l, json_t *o, const char *path, int kind, aib__label_us_ctl_t *c)
{
    const char *f = NULL;
    int rc;
    if (!json_is_object(o))
        return bad(l, path, "not an object");
    c->kind = kind;
    if ((rc = str(l, o, "id", path, false, &c->id)) || (rc = str(l, o, "portion", path, true, &c->portion)) ||
        (rc = str(l, o, "citation", path, false, &c->citation)) || (rc = str(l, o, "foreign", path, true, &f)) ||
        (rc = strs(l, o, "aliases", path, &c->aliases, &c->n_aliases)))
        return rc;
    if (!c->portion)
        c->portion = c->id;
    c->order = (int)json_integer_value(json_object_get(o, "order"));
    c->needs_caveat = json_is_true(json_object_get(o, "needs_caveat"));
    c->cui_only = json_is_true(json_object_get(o, "cui_only"));
    c->unclassified_only = json_is_true(json_object_get(o, "unclassified_only"));
    c->specified = json_is_true(json_object_get(o, "specified"));
    c->unsure = json_is_true(json_object_get(o, "unsure"));
    if (!f || !strcmp(f, "none"))
        c->foreign = AIB__LUS_FOREIGN_NA;
    else if (!strcmp(f, "forbidden"))
        c->foreign = AIB__LUS_FOREIGN_FORBIDDEN;
    else if (!strcmp(f, "listed"))
        c->foreign = AIB__LUS_FOREIGN_LISTED;
    else if (!strcmp(f, "official"))
        c->foreign = AIB__LUS_FOREIGN_OFFICIAL;
    else if (!strcmp(f, "licence"))
        c->foreign = AIB__LUS_FOREIGN_LICENCE;
    else
        return bad(l, path, "foreign must be none, forbidden, listed, official or licence");
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int rule(ld_t *l, json_t *rules, const char *key, const char **out)
{
    json_t *r = json_object_get(rules, key);
    char path[100];
    snprintf(path, sizeof path, "rules.%s", key);
    if (!json_is_object(r))
        return bad(l, path, "missing");
    return str(l, r, "citation", path, false, out);
}

static int load_table(ld_t *l, json_t *root)
{
    aib_label_us_t *us = l->us;
    json_t *arr, *e, *rules;
    size_t i, n_ctl;
    char path[100];
    int rc;

    if (!json_is_object(root) || !json_is_string(json_object_get(root, "kind")) ||
        strcmp(json_string_value(json_object_get(root, "kind")), "aib-label-us-markings") != 0)
        return bad(l, "kind", "expected \"aib-label-us-markings\"");
    rules = json_object_get(root, "rules");
    if ((rc = rule(l, rules, "structure", &us->rules_citation)) || (rc = rule(l, rules, "rel_to_order", &us->rel_order_citation)) ||
        (rc = rule(l, rules, "noforn_conflict", &us->noforn_conflict_citation)) ||
        (rc = rule(l, rules, "cui_order", &us->cui_order_citation)) ||
        (rc = rule(l, rules, "dissem_order", &us->dissem_order_citation)) ||
        (rc = rule(l, rules, "cui_with_classified", &us->cui_classified_citation)) ||
        (rc = rule(l, rules, "foreign_default", &us->foreign_default_citation)) ||
        (rc = rule(l, rules, "access_level", &us->access_level_citation)))
        return rc;
    arr = json_object_get(root, "levels");
    if (!json_is_array(arr) || !json_array_size(arr))
        return bad(l, "levels", "missing or empty");
    if (!(us->levels = aib_arena_calloc(us->arena, json_array_size(arr), sizeof *us->levels)))
        return AIB_ENOMEM;
    json_array_foreach(arr, i, e) {
        snprintf(path, sizeof path, "levels[%zu]", i);
        if ((rc = level(l, e, path, &us->levels[us->n_levels++])))
            return rc;
    }
    if ((rc = level(l, json_object_get(root, "cui"), "cui", &us->cui)))
        return rc;
    n_ctl = json_array_size(json_object_get(root, "sci")) + json_array_size(json_object_get(root, "dissemination")) +
            json_array_size(json_object_get(root, "cui_categories"));
    if (n_ctl && !(us->ctls = aib_arena_calloc(us->arena, n_ctl, sizeof *us->ctls)))
        return AIB_ENOMEM;
    {
        static const struct { const char *key; int kind; } groups[] = {
            { "sci", AIB__LUS_SCI }, { "dissemination", AIB__LUS_DISSEM }, { "cui_categories", AIB__LUS_CUI_CAT } };
        size_t g;
        for (g = 0; g < 3; g++) {
            arr = json_object_get(root, groups[g].key);
            if (arr && !json_is_array(arr))
                return bad(l, groups[g].key, "not an array");
            json_array_foreach(arr, i, e) {
                snprintf(path, sizeof path, "%s[%zu]", groups[g].key, i);
                if ((rc = ctl(l, e, path, groups[g].kind, &us->ctls[us->n_ctls++])))
                    return rc;
            }
        }
    }
    arr = json_object_get(root, "tetragraphs");
    if (arr && !json_is_array(arr))
        return bad(l, "tetragraphs", "not an array");
    if (json_array_size(arr) && !(us->tetras = aib_arena_calloc(us->arena, json_array_size(arr), sizeof *us->tetras)))
        return AIB_ENOMEM;
    json_array_foreach(arr, i, e) {
        aib__label_us_tetra_t *t = &us->tetras[us->n_tetras++];
        size_t j;
        snprintf(path, sizeof path, "tetragraphs[%zu]", i);
        if ((rc = str(l, e, "code", path, false, &t->code)) || (rc = str(l, e, "name", path, false, &t->name)) ||
            (rc = str(l, e, "citation", path, false, &t->citation)) || (rc = str(l, e, "as_of", path, false, &t->as_of)) ||
            (rc = strs(l, e, "members", path, &t->members, &t->n_members)))
            return rc;
        if (strlen(t->code) != 4)
            return bad(l, path, "a tetragraph has four letters");
        for (j = 0; j < t->n_members; j++)
            if (strlen(t->members[j]) != 3)
                return bad(l, path, "members are ISO 3166-1 alpha-3 codes");
        qsort(t->members, t->n_members, sizeof *t->members, cmp_str);
        t->unsure = json_is_true(json_object_get(e, "unsure"));
    }
    return 0;
}

static int load_iso(ld_t *l, json_t *root)
{
    aib_label_us_t *us = l->us;
    json_t *arr = json_object_get(root, "3166-1"), *e;
    size_t i;

    if (!json_is_array(arr))
        return bad(l, "3166-1", "missing ISO 3166-1 array");
    us->countries = aib_arena_calloc(us->arena, json_array_size(arr) + 1, sizeof *us->countries);
    us->alpha2 = aib_arena_calloc(us->arena, json_array_size(arr) + 1, sizeof *us->alpha2);
    us->alpha2_to3 = aib_arena_calloc(us->arena, json_array_size(arr) + 1, sizeof *us->alpha2_to3);
    if (!us->countries || !us->alpha2 || !us->alpha2_to3)
        return AIB_ENOMEM;
    json_array_foreach(arr, i, e) {
        const char *a3 = json_string_value(json_object_get(e, "alpha_3"));
        const char *a2 = json_string_value(json_object_get(e, "alpha_2"));
        if (!a3 || strlen(a3) != 3)
            continue;
        us->countries[us->n_countries++] = sdup(l, a3);
        if (a2 && strlen(a2) == 2) {
            us->alpha2[us->n_alpha2] = sdup(l, a2);
            us->alpha2_to3[us->n_alpha2++] = us->countries[us->n_countries - 1];
        }
    }
    return 0;
}

/* Without ISO data the known countries are the tetragraph members and the table's extra list. */
static int countries_from_table(ld_t *l, json_t *root)
{
    aib_label_us_t *us = l->us;
    json_t *extra = json_object_get(root, "extra_trigraphs"), *e;
    size_t i, j, n = json_array_size(extra);
    for (i = 0; i < us->n_tetras; i++)
        n += us->tetras[i].n_members;
    if (!(us->countries = aib_arena_calloc(us->arena, n + 1, sizeof *us->countries)))
        return AIB_ENOMEM;
    for (i = 0; i < us->n_tetras; i++)
        for (j = 0; j < us->tetras[i].n_members; j++)
            us->countries[us->n_countries++] = us->tetras[i].members[j];
    json_array_foreach(extra, i, e)
        if (json_is_string(e) && strlen(json_string_value(e)) == 3)
            us->countries[us->n_countries++] = sdup(l, json_string_value(e));
    return 0;
}

static void sort_countries(aib_label_us_t *us)
{
    size_t i, k = 0;
    qsort(us->countries, us->n_countries, sizeof *us->countries, cmp_str);
    for (i = 0; i < us->n_countries; i++)
        if (k == 0 || strcmp(us->countries[k - 1], us->countries[i]) != 0)
            us->countries[k++] = us->countries[i];
    us->n_countries = k;
}

int aib_label_us_load_mem(const char *name, const char *json, size_t len, const char *iso_json, size_t iso_len,
                          aib_label_us_t **out, aib_diag_t *diag)
{
    json_error_t je;
    json_t *root = NULL, *iso = NULL;
    ld_t l;
    int rc = 0;

    *out = NULL;
    l.file = name ? name : "us-markings.json";
    l.diag = diag;
    if (!(l.us = calloc(1, sizeof *l.us)) || !(l.us->arena = aib_arena_new(0))) {
        rc = AIB_ENOMEM;
        goto done;
    }
    root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        aib_diag_set(diag, l.file, je.line, je.column, "%s", je.text);
        rc = AIB_EPARSE;
        goto done;
    }
    if ((rc = load_table(&l, root)) != 0)
        goto done;
    if (iso_json) {
        iso = json_loadb(iso_json, iso_len, 0, &je);
        if (!iso) {
            aib_diag_set(diag, "iso_3166-1.json", je.line, je.column, "%s", je.text);
            rc = AIB_EPARSE;
            goto done;
        }
        l.file = "iso_3166-1.json";
        rc = load_iso(&l, iso);
    } else {
        rc = countries_from_table(&l, root);
    }
    if (rc != 0)
        goto done;
    sort_countries(l.us);
    *out = l.us;
    l.us = NULL;
done:
    json_decref(root);
    json_decref(iso);
    aib_label_us_free(l.us);
    return rc;
}

static bool is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static void find_table(char *out, size_t cap)
{
    const char *env = getenv("AIB_DATA_DIR");
    char exe[PATH_MAX], probe[PATH_MAX + 64];
    ssize_t n;

    if (env && *env) {
        snprintf(out, cap, "%s/label/us-markings.json", env);
        return;
    }
    if (is_file("data/label/us-markings.json")) {
        snprintf(out, cap, "data/label/us-markings.json");
        return;
    }
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        const char *ups[] = { "/../../data", "/../data", "/data" };
        size_t i;
        char *dir;
        exe[n] = '\0';
        dir = dirname(exe);
        for (i = 0; i < sizeof ups / sizeof ups[0]; i++) {
            snprintf(probe, sizeof probe, "%s%s/label/us-markings.json", dir, ups[i]);
            if (is_file(probe)) {
                snprintf(out, cap, "%s", probe);
                return;
            }
        }
    }
    snprintf(out, cap, "data/label/us-markings.json");
}

int aib_label_us_load(const char *path, const char *iso_path, aib_label_us_t **out, aib_diag_t *diag)
{
    char table[PATH_MAX + 64];
    char *t = NULL, *iso = NULL;
    size_t tl = 0, il = 0;
    int rc;

    *out = NULL;
    if (path)
        snprintf(table, sizeof table, "%s", path);
    else
        find_table(table, sizeof table);
    if ((rc = aib_read_file(table, &t, &tl, diag)) != 0)
        goto done;
    if ((rc = aib_read_file(iso_path ? iso_path : ISO_DEFAULT, &iso, &il, diag)) != 0)
        goto done;
    rc = aib_label_us_load_mem(table, t, tl, iso, il, out, diag);
done:
    free(t);
    free(iso);
    return rc;
}

void aib_label_us_free(aib_label_us_t *us)
{
    if (!us)
        return;
    aib_arena_free(us->arena);
    free(us);
}

/* ---- lookups ------------------------------------------------------------------------------------ */

static bool names_match(const char *tok, const char *name, const char *portion, const char *const *aliases, size_t n)
{
    size_t i;
    if (!strcasecmp(tok, name) || (portion && !strcasecmp(tok, portion)))
        return true;
    for (i = 0; i < n; i++)
        if (!strcasecmp(tok, aliases[i]))
            return true;
    return false;
}

const aib__label_us_level_t *aib__label_us_level(const aib_label_us_t *us, const char *tok)
{
    size_t i;
    for (i = 0; i < us->n_levels; i++)
        if (names_match(tok, us->levels[i].name, us->levels[i].portion, us->levels[i].aliases, us->levels[i].n_aliases))
            return &us->levels[i];
    if (names_match(tok, us->cui.name, us->cui.portion, us->cui.aliases, us->cui.n_aliases))
        return &us->cui;
    return NULL;
}

const aib__label_us_ctl_t *aib__label_us_ctl(const aib_label_us_t *us, const char *tok, int kind)
{
    size_t i;
    for (i = 0; i < us->n_ctls; i++)
        if (us->ctls[i].kind == kind &&
            names_match(tok, us->ctls[i].id, us->ctls[i].portion, us->ctls[i].aliases, us->ctls[i].n_aliases))
            return &us->ctls[i];
    return NULL;
}

const aib__label_us_tetra_t *aib__label_us_tetra(const aib_label_us_t *us, const char *code)
{
    size_t i;
    for (i = 0; i < us->n_tetras; i++)
        if (!strcasecmp(us->tetras[i].code, code))
            return &us->tetras[i];
    return NULL;
}

const char *aib__label_us_country(const aib_label_us_t *us, const char *code)
{
    size_t lo = 0, hi = us->n_countries, i;
    char up[4];
    if (!code)
        return NULL;
    if (strlen(code) == 2) {
        for (i = 0; i < us->n_alpha2; i++)
            if (!strcasecmp(us->alpha2[i], code))
                return us->alpha2_to3[i];
        return NULL;
    }
    if (strlen(code) != 3)
        return NULL;
    for (i = 0; i < 3; i++)
        up[i] = (char)(code[i] >= 'a' && code[i] <= 'z' ? code[i] - 32 : code[i]);
    up[3] = '\0';
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(us->countries[mid], up);
        if (c == 0)
            return us->countries[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const char *const *aib_label_us_tetragraph(const aib_label_us_t *us, const char *code, size_t *n)
{
    const aib__label_us_tetra_t *t = aib__label_us_tetra(us, code);
    if (!t)
        return NULL;
    if (n)
        *n = t->n_members;
    return t->members;
}
