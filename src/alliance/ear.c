/* ear.c — the Export Administration Regulations tables, read as published in the shared EAR
 * snapshot (ear-data.tar.gz or its folder): Commerce Country Chart (Supp. 1 to Part 738), Country
 * Groups (Supp. 1 to Part 740), Commerce Control List (Supp. 1 to Part 774) and the Part 740
 * licence exception catalogue. Destination names are resolved to ISO countries through the
 * country index; a name that resolves to nothing is a load error, never silently dropped. */
#include "alliance/alliance_int.h"

#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* Reads key as optional string; errors on other types (the EAR files are generated, so keys we
 * do not use are tolerated, but the ones we use must have their documented type). */
static int opt_str(aib__alliance_ctx_t *c, json_t *o, const char *path, const char *key,
                   const char **out)
{
    return aib__alliance_str(c, o, path, key, false, out);
}

static void set_issue_date(aib__alliance_ctx_t *c, json_t *root)
{
    json_t *d = json_object_get(root, "ecfrIssueDate");
    aib_alliance_date_t dd;
    if (json_is_string(d) && aib_alliance_date_parse(json_string_value(d), &dd) == 0 &&
        !c->a->ear_issue_date)
        c->a->ear_issue_date = aib__alliance_strdup(c->a, json_string_value(d));
}

/* Citation of an EAR table: its own citation, source URL and eCFR issue date. */
static int ear_cite(aib__alliance_ctx_t *c, json_t *root, aib_alliance_cite_t *cite)
{
    json_t *src = json_object_get(root, "source");
    int rc;

    memset(cite, 0, sizeof(*cite));
    if ((rc = aib__alliance_str(c, root, "", "citation", true, &cite->citation)) ||
        (rc = aib__alliance_str(c, root, "", "ecfrIssueDate", true, &cite->as_of)))
        return rc;
    {
        aib_alliance_date_t d;
        if (aib_alliance_date_parse(cite->as_of, &d) != 0)
            return aib__alliance_err(c, "", "ecfrIssueDate", "expected a date YYYY-MM-DD");
    }
    if (json_is_object(src) && (rc = opt_str(c, src, "source", "url", &cite->source)))
        return rc;
    set_issue_date(c, root);
    return AIB_OK;
}

/* ---- Country Chart ------------------------------------------------------------------------- */

static int column_index(const aib_alliance_t *a, const char *name)
{
    char want[16], have[16];
    size_t i, o = 0;

    for (; *name && o + 1 < sizeof(want); name++)
        if (*name != ' ')
            want[o++] = (char)toupper((unsigned char)*name);
    want[o] = '\0';
    for (i = 0; i < a->n_columns; i++) {
        const char *s = a->columns[i];
        o = 0;
        for (; *s && o + 1 < sizeof(have); s++)
            if (*s != ' ')
                have[o++] = (char)toupper((unsigned char)*s);
        have[o] = '\0';
        if (!strcmp(want, have))
            return (int)i;
    }
    return -1;
}

static int read_ints(aib__alliance_ctx_t *c, json_t *o, const char *path, const char *key,
                     const int **out, size_t *n)
{
    json_t *arr = json_object_get(o, key);
    int *v;
    size_t i;

    *out = NULL;
    *n = 0;
    if (!arr)
        return AIB_OK;
    if (!json_is_array(arr))
        return aib__alliance_err(c, path, key, "expected an array of numbers");
    if (!json_array_size(arr))
        return AIB_OK;
    if (!(v = aib_arena_calloc(c->a->arena, json_array_size(arr), sizeof(int))))
        return AIB_ENOMEM;
    for (i = 0; i < json_array_size(arr); i++) {
        json_t *x = json_array_get(arr, i);
        if (!json_is_integer(x) || json_integer_value(x) < 0 || json_integer_value(x) > 1000)
            return aib__alliance_err(c, path, key, "item %zu: expected a footnote number", i);
        v[i] = (int)json_integer_value(x);
    }
    *out = v;
    *n = i;
    return AIB_OK;
}

static int add_row(aib__alliance_ctx_t *c, const char *name, json_t *e, bool embargoed)
{
    aib_alliance_chart_row_t *r;
    aib_alliance_country_t *co;
    char path[160];
    int rc;

    snprintf(path, sizeof(path), "%s.%s", embargoed ? "embargoed" : "countries", name);
    if (!json_is_object(e))
        return aib__alliance_err(c, path, NULL, "expected an object");
    if (!(co = aib__alliance_country_find(c->a, name)))
        return aib__alliance_err(c, path, NULL, "destination `%s` matches no country (add an alias "
                                 "in data/alliance/countries.json)", name);
    if (!(r = aib_arena_calloc(c->a->arena, 1, sizeof(*r))))
        return AIB_ENOMEM;
    r->name = aib__alliance_strdup(c->a, name);
    r->alpha3 = co->alpha3;
    r->embargoed = embargoed;
    if ((rc = read_ints(c, e, path, "footnotes", &r->footnotes, &r->n_footnotes)))
        return rc;
    if (embargoed) {
        if ((rc = aib__alliance_str(c, e, path, "pointer", true, &r->pointer)))
            return rc;
    } else {
        json_t *marks = json_object_get(e, "marks");
        size_t i;
        if (!json_is_array(marks))
            return aib__alliance_err(c, path, "marks", "expected an array of column names");
        for (i = 0; i < json_array_size(marks); i++) {
            json_t *m = json_array_get(marks, i);
            int ci = json_is_string(m) ? column_index(c->a, json_string_value(m)) : -1;
            if (ci < 0)
                return aib__alliance_err(c, path, "marks", "item %zu: unknown column", i);
            r->marks |= 1u << ci;
        }
    }
    if (!co->ear_row || co->ear_row_basis) { /* an own row beats an inherited one */
        co->ear_row = r->name;
        co->ear_row_basis = NULL;
    }
    return aib__alliance_vec_push(&c->a->chart_rows, r);
}

int aib__alliance_load_chart(aib__alliance_ctx_t *c, json_t *root)
{
    json_t *cols, *obj, *v;
    const char *k;
    aib_alliance_cite_t cite;
    size_t i;
    int rc;

    if ((rc = ear_cite(c, root, &cite)) || (rc = aib__alliance_arr(c, root, "", "columns", &cols)))
        return rc;
    if (c->a->n_columns)
        return aib__alliance_err(c, "", NULL, "a Country Chart is already loaded");
    if (json_array_size(cols) == 0 || json_array_size(cols) > 32)
        return aib__alliance_err(c, "", "columns", "expected 1 to 32 columns");
    c->a->columns = aib_arena_calloc(c->a->arena, json_array_size(cols), sizeof(char *));
    if (!c->a->columns)
        return AIB_ENOMEM;
    for (i = 0; i < json_array_size(cols); i++) {
        json_t *s = json_array_get(cols, i);
        if (!json_is_string(s) || !json_string_length(s) || json_string_length(s) > 8)
            return aib__alliance_err(c, "", "columns", "item %zu: expected a short column name", i);
        if (column_index(c->a, json_string_value(s)) >= 0)
            return aib__alliance_err(c, "", "columns", "item %zu: duplicate column", i);
        c->a->columns[i] = aib__alliance_strdup(c->a, json_string_value(s));
        c->a->n_columns = i + 1;
    }
    if ((rc = aib__alliance_countries_finish(c->a, c->diag)))
        return rc;
    /* Aliases first, so rows spelled as the EAR spells them resolve. */
    obj = json_object_get(root, "aliases");
    if (obj && !json_is_object(obj))
        return aib__alliance_err(c, "", "aliases", "expected an object");
    json_object_foreach(obj, k, v) {
        aib_alliance_country_t *co, *have;
        char path[160];
        snprintf(path, sizeof(path), "aliases.%s", k);
        if (!json_is_string(v))
            return aib__alliance_err(c, path, NULL, "expected a row name");
        if (!(co = aib__alliance_country_find(c->a, json_string_value(v))))
            return aib__alliance_err(c, path, NULL, "row `%s` matches no country",
                                     json_string_value(v));
        have = aib__alliance_country_find(c->a, k);
        if (have && have != co)
            continue; /* an ISO name or code wins (e.g. "hong kong" stays Hong Kong) */
        if ((rc = aib__alliance_country_alias(c->a, co, aib__alliance_strdup(c->a, k),
                                              AIB__PRIO_EAR, c->file, c->diag)))
            return rc;
    }
    if ((rc = aib__alliance_countries_finish(c->a, c->diag)))
        return rc;
    obj = json_object_get(root, "countries");
    if (!json_is_object(obj))
        return aib__alliance_err(c, "", "countries", "expected an object of rows");
    json_object_foreach(obj, k, v)
        if ((rc = add_row(c, k, v, false)))
            return rc;
    obj = json_object_get(root, "embargoed");
    if (obj && !json_is_object(obj))
        return aib__alliance_err(c, "", "embargoed", "expected an object of rows");
    json_object_foreach(obj, k, v)
        if ((rc = add_row(c, k, v, true)))
            return rc;
    obj = json_object_get(root, "footnotes");
    if (obj && !json_is_object(obj))
        return aib__alliance_err(c, "", "footnotes", "expected an object");
    json_object_foreach(obj, k, v) {
        aib__alliance_footnote_t *f;
        int64_t num;
        if (aib_parse_i64(k, strlen(k), &num) != 0 || num < 0 || num > 1000 || !json_is_string(v))
            return aib__alliance_err(c, "footnotes", k, "expected number -> text");
        if (!(f = aib_arena_calloc(c->a->arena, 1, sizeof(*f))))
            return AIB_ENOMEM;
        f->number = (int)num;
        f->text = aib__alliance_strdup(c->a, json_string_value(v));
        if ((rc = aib__alliance_vec_push(&c->a->footnotes, f)))
            return rc;
    }
    obj = json_object_get(root, "territoryInheritance");
    if (obj && !json_is_object(obj))
        return aib__alliance_err(c, "", "territoryInheritance", "expected an object");
    json_object_foreach(obj, k, v) {
        char path[160];
        aib__alliance_inherit_t *in;
        aib_alliance_country_t *co;
        snprintf(path, sizeof(path), "territoryInheritance.%s", k);
        if (!(in = aib_arena_calloc(c->a->arena, 1, sizeof(*in))))
            return AIB_ENOMEM;
        if ((rc = aib__alliance_obj(c, v, path)) ||
            (rc = aib__alliance_str(c, v, path, "row", true, &in->row)) ||
            (rc = aib__alliance_str(c, v, path, "basis", true, &in->basis)))
            return rc;
        in->name = aib__alliance_strdup(c->a, k);
        if (!(co = aib__alliance_country_find(c->a, k)))
            return aib__alliance_err(c, path, NULL, "matches no country");
        if (!co->ear_row) {
            co->ear_row = in->row;
            co->ear_row_basis = in->basis;
        }
        if ((rc = aib__alliance_vec_push(&c->a->inherits, in)))
            return rc;
    }
    (void)cite;
    return AIB_OK;
}

/* ---- Country Groups ------------------------------------------------------------------------ */

static int str_cmp(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

int aib__alliance_load_ear_groups(aib__alliance_ctx_t *c, json_t *root)
{
    json_t *groups, *labels, *aliases, *v;
    const char *k;
    aib_alliance_cite_t cite;
    int rc;

    if ((rc = ear_cite(c, root, &cite)))
        return rc;
    cite.note = "Snapshot of the eCFR on the issue date; membership is not dated.";
    if ((rc = aib__alliance_countries_finish(c->a, c->diag)))
        return rc;
    aliases = json_object_get(root, "aliases");
    if (aliases && !json_is_object(aliases))
        return aib__alliance_err(c, "", "aliases", "expected an object");
    json_object_foreach(aliases, k, v) {
        aib_alliance_country_t *co, *have;
        char path[160];
        snprintf(path, sizeof(path), "aliases.%s", k);
        if (!json_is_string(v) || !(co = aib__alliance_country_find(c->a, json_string_value(v))))
            return aib__alliance_err(c, path, NULL, "expected the name of a known country");
        have = aib__alliance_country_find(c->a, k);
        if (have && have != co)
            continue;
        if ((rc = aib__alliance_country_alias(c->a, co, aib__alliance_strdup(c->a, k),
                                              AIB__PRIO_EAR, c->file, c->diag)))
            return rc;
    }
    if ((rc = aib__alliance_countries_finish(c->a, c->diag)))
        return rc;
    labels = json_object_get(root, "labels");
    if (labels && !json_is_object(labels))
        return aib__alliance_err(c, "", "labels", "expected an object");
    groups = json_object_get(root, "groups");
    if (!json_is_object(groups))
        return aib__alliance_err(c, "", "groups", "expected an object of group -> names");
    json_object_foreach(groups, k, v) {
        aib_alliance_group_t *g;
        aib_alliance_membership_t *ms;
        const char **codes, **al;
        json_t *label = json_object_get(labels, k);
        char path[64], buf[160];
        size_t i, n = 0;

        snprintf(path, sizeof(path), "groups.%s", k);
        if (!json_is_array(v))
            return aib__alliance_err(c, path, NULL, "expected an array of names");
        if (strlen(k) > 8)
            return aib__alliance_err(c, path, NULL, "group name too long");
        if (!(g = aib_arena_calloc(c->a->arena, 1, sizeof(*g))) ||
            !(codes = aib_arena_calloc(c->a->arena, json_array_size(v) + 1, sizeof(char *))) ||
            !(al = aib_arena_calloc(c->a->arena, 2, sizeof(char *))))
            return AIB_ENOMEM;
        for (i = 0; i < json_array_size(v); i++) {
            json_t *s = json_array_get(v, i);
            aib_alliance_country_t *co;
            if (!json_is_string(s))
                return aib__alliance_err(c, path, NULL, "item %zu: expected a name", i);
            if (!(co = aib__alliance_country_find(c->a, json_string_value(s))))
                return aib__alliance_err(c, path, NULL, "item %zu: `%s` matches no country", i,
                                         json_string_value(s));
            codes[n++] = co->alpha3;
        }
        qsort(codes, n, sizeof(*codes), str_cmp);
        if (!(ms = aib_arena_calloc(c->a->arena, n + 1, sizeof(*ms))))
            return AIB_ENOMEM;
        g->n_members = 0;
        for (i = 0; i < n; i++) {
            if (i && !strcmp(codes[i], codes[i - 1]))
                continue; /* two spellings of one destination */
            ms[g->n_members].country = codes[i];
            ms[g->n_members].cite = cite;
            g->n_members++;
        }
        g->members = ms;
        snprintf(buf, sizeof(buf), "EAR:%s", k);
        g->id = aib__alliance_strdup(c->a, buf);
        snprintf(buf, sizeof(buf), "Country Group %s%s%s", k, json_is_string(label) ? ": " : "",
                 json_is_string(label) ? json_string_value(label) : "");
        g->name = aib__alliance_strdup(c->a, buf);
        g->kind = "ear_country_group";
        g->snapshot = true;
        al[0] = aib__alliance_strdup(c->a, k);
        snprintf(buf, sizeof(buf), "Country Group %s", k);
        al[1] = aib__alliance_strdup(c->a, buf);
        g->aliases = al;
        g->n_aliases = 2;
        g->cite = cite;
        if ((rc = aib__alliance_add_group(c, path, g)))
            return rc;
    }
    return AIB_OK;
}

/* ---- Commerce Control List ----------------------------------------------------------------- */

/* "NS Column 2." -> "NS 2" (the first column named in the text), else NULL. */
static const char *chart_column(aib_alliance_t *a, const char *text)
{
    const char *p;

    for (p = text; p && (p = strstr(p, " Column ")) != NULL; p++) {
        if (p - text >= 2 && isupper((unsigned char)p[-1]) && isupper((unsigned char)p[-2]) &&
            (p - text == 2 || !isalpha((unsigned char)p[-3])) && isdigit((unsigned char)p[8])) {
            char buf[8];
            snprintf(buf, sizeof(buf), "%c%c %c", p[-2], p[-1], p[8]);
            return aib__alliance_strdup(a, buf);
        }
    }
    return NULL;
}

static const char *leading_reason(aib_alliance_t *a, const char *text)
{
    size_t n = 0;

    while (text[n] && isupper((unsigned char)text[n]))
        n++;
    if (n < 2 || n > 3 || (text[n] && text[n] != ' '))
        return NULL;
    return aib_arena_strndup(a->arena, text, n);
}

static int load_eccn(aib__alliance_ctx_t *c, json_t *e, const char *path)
{
    aib_alliance_eccn_t *x;
    json_t *arr, *obj, *v;
    const char *k;
    size_t i, n;
    int rc;

    if (!(x = aib_arena_calloc(c->a->arena, 1, sizeof(*x))))
        return AIB_ENOMEM;
    if ((rc = aib__alliance_obj(c, e, path)) ||
        (rc = aib__alliance_str(c, e, path, "eccn", true, &x->eccn)) ||
        (rc = opt_str(c, e, path, "category", &x->category)) ||
        (rc = opt_str(c, e, path, "productGroup", &x->product_group)) ||
        (rc = opt_str(c, e, path, "heading", &x->heading)) ||
        (rc = opt_str(c, e, path, "reasonForControl", &x->reasons)) ||
        (rc = opt_str(c, e, path, "staSpecialConditions", &x->sta_conditions)) ||
        (rc = opt_str(c, e, path, "relatedControls", &x->related_controls)))
        return rc;
    if (strlen(x->eccn) != 5 || !isdigit((unsigned char)x->eccn[0]) ||
        !strchr("ABCDE", x->eccn[1]) || !isdigit((unsigned char)x->eccn[2]) ||
        !isdigit((unsigned char)x->eccn[3]) || !isdigit((unsigned char)x->eccn[4]))
        return aib__alliance_err(c, path, "eccn", "`%s` is not an ECCN", x->eccn);
    arr = json_object_get(e, "countryChart");
    if (arr && !json_is_array(arr))
        return aib__alliance_err(c, path, "countryChart", "expected an array");
    if ((n = json_array_size(arr))) {
        aib_alliance_ear_control_t *ctl = aib_arena_calloc(c->a->arena, n, sizeof(*ctl));
        if (!ctl)
            return AIB_ENOMEM;
        for (i = 0; i < n; i++) {
            char cp[160];
            json_t *r = json_array_get(arr, i);
            snprintf(cp, sizeof(cp), "%s.countryChart[%zu]", path, i);
            if ((rc = aib__alliance_obj(c, r, cp)) ||
                (rc = opt_str(c, r, cp, "control", &ctl[i].applies)) ||
                (rc = opt_str(c, r, cp, "countryChart", &ctl[i].chart)))
                return rc;
            if (!ctl[i].applies)
                ctl[i].applies = "";
            if (!ctl[i].chart)
                ctl[i].chart = "";
            ctl[i].reason = leading_reason(c->a, ctl[i].applies);
            ctl[i].column = chart_column(c->a, ctl[i].chart);
        }
        x->controls = ctl;
        x->n_controls = n;
    }
    obj = json_object_get(e, "licenceExceptionFlags");
    if (obj && !json_is_object(obj))
        return aib__alliance_err(c, path, "licenceExceptionFlags", "expected an object");
    if ((n = json_object_size(obj))) {
        aib_alliance_ear_flag_t *fl = aib_arena_calloc(c->a->arena, n, sizeof(*fl));
        if (!fl)
            return AIB_ENOMEM;
        i = 0;
        json_object_foreach(obj, k, v) {
            if (!json_is_string(v))
                return aib__alliance_err(c, path, "licenceExceptionFlags", "%s: expected text", k);
            fl[i].symbol = aib__alliance_strdup(c->a, k);
            fl[i].text = aib__alliance_strdup(c->a, json_string_value(v));
            i++;
        }
        x->exceptions = fl;
        x->n_exceptions = n;
    }
    arr = json_object_get(e, "items");
    if (arr && !json_is_array(arr))
        return aib__alliance_err(c, path, "items", "expected an array");
    n = 0;
    for (i = 0; i < json_array_size(arr); i++)
        if (json_is_string(json_object_get(json_array_get(arr, i), "paragraph")))
            n++;
    if (n) {
        aib_alliance_ear_para_t *ps = aib_arena_calloc(c->a->arena, n, sizeof(*ps));
        size_t o = 0;
        if (!ps)
            return AIB_ENOMEM;
        for (i = 0; i < json_array_size(arr); i++) {
            json_t *it = json_array_get(arr, i), *d;
            char ip[160];
            if (!json_is_string(json_object_get(it, "paragraph")))
                continue;
            snprintf(ip, sizeof(ip), "%s.items[%zu]", path, i);
            if ((rc = aib__alliance_str(c, it, ip, "paragraph", true, &ps[o].id)) ||
                (rc = opt_str(c, it, ip, "text", &ps[o].text)))
                return rc;
            d = json_object_get(it, "depth");
            ps[o].depth = json_is_integer(d) ? (int)json_integer_value(d) : 0;
            o++;
        }
        x->paragraphs = ps;
        x->n_paragraphs = o;
    }
    return aib__alliance_vec_push(&c->a->eccns, x);
}

static int eccn_cmp(const void *p, const void *q)
{
    const aib_alliance_eccn_t *x = *(aib_alliance_eccn_t *const *)p;
    const aib_alliance_eccn_t *y = *(aib_alliance_eccn_t *const *)q;
    return strcmp(x->eccn, y->eccn);
}

int aib__alliance_load_ccl(aib__alliance_ctx_t *c, json_t *root)
{
    aib_alliance_cite_t cite;
    json_t *arr;
    size_t i;
    int rc;

    if ((rc = ear_cite(c, root, &cite)) || (rc = aib__alliance_arr(c, root, "", "entries", &arr)))
        return rc;
    for (i = 0; i < json_array_size(arr); i++) {
        char path[64];
        snprintf(path, sizeof(path), "entries[%zu]", i);
        if ((rc = load_eccn(c, json_array_get(arr, i), path)))
            return rc;
    }
    if (c->a->eccns.n)
        qsort(c->a->eccns.v, c->a->eccns.n, sizeof(void *), eccn_cmp);
    for (i = 0; i + 1 < c->a->eccns.n; i++)
        if (!eccn_cmp(&c->a->eccns.v[i], &c->a->eccns.v[i + 1]))
            return aib__alliance_err(c, "entries", NULL, "ECCN %s appears twice",
                                     ((aib_alliance_eccn_t *)c->a->eccns.v[i])->eccn);
    return AIB_OK;
}

int aib__alliance_load_ear_exceptions(aib__alliance_ctx_t *c, json_t *root)
{
    aib_alliance_cite_t cite;
    json_t *arr;
    size_t i;
    int rc;

    if ((rc = ear_cite(c, root, &cite)) || (rc = aib__alliance_arr(c, root, "", "exceptions", &arr)))
        return rc;
    for (i = 0; i < json_array_size(arr); i++) {
        json_t *e = json_array_get(arr, i);
        aib_alliance_ear_exception_t *x;
        char path[64];
        snprintf(path, sizeof(path), "exceptions[%zu]", i);
        if (!(x = aib_arena_calloc(c->a->arena, 1, sizeof(*x))))
            return AIB_ENOMEM;
        if ((rc = aib__alliance_obj(c, e, path)) ||
            (rc = aib__alliance_str(c, e, path, "section", true, &x->section)) ||
            (rc = aib__alliance_str(c, e, path, "sectionNumber", true, &x->section_number)) ||
            (rc = aib__alliance_str(c, e, path, "title", true, &x->title)) ||
            (rc = aib__alliance_strs(c, e, path, "symbols", &x->symbols, &x->n_symbols)))
            return rc;
        if (!x->n_symbols)
            return aib__alliance_err(c, path, "symbols", "at least one symbol is needed");
        if ((rc = aib__alliance_vec_push(&c->a->exceptions, x)))
            return rc;
    }
    return AIB_OK;
}

/* ---- Reading the archive or folder -------------------------------------------------------- */

static const char *const EAR_FILES[] = { "country-chart.json", "country-groups.json", "ccl.json",
                                         "license-exception-catalog.json" };
#define N_EAR_FILES (sizeof(EAR_FILES) / sizeof(EAR_FILES[0]))

int aib__alliance_read_ear(aib_alliance_t *a, const char *path, aib_diag_t *diag)
{
    char *bufs[N_EAR_FILES] = { 0 };
    size_t lens[N_EAR_FILES] = { 0 }, i;
    struct archive *ar = NULL;
    struct stat st;
    char name[1200];
    int rc = AIB_OK;

    if (stat(path, &st) != 0) {
        aib_diag_set(diag, path, 0, 0, "EAR data not found (set AIB_SHARED_DATA or --ear)");
        return AIB_EIO;
    }
    if (S_ISDIR(st.st_mode)) {
        for (i = 0; i < N_EAR_FILES; i++) {
            snprintf(name, sizeof(name), "%s/%s", path, EAR_FILES[i]);
            if ((rc = aib_read_file(name, &bufs[i], &lens[i], diag)))
                goto done;
        }
    } else {
        struct archive_entry *ent;
        ar = archive_read_new();
        if (!ar) {
            rc = AIB_ENOMEM;
            goto done;
        }
        archive_read_support_filter_all(ar);
        archive_read_support_format_all(ar);
        if (archive_read_open_filename(ar, path, 65536) != ARCHIVE_OK) {
            aib_diag_set(diag, path, 0, 0, "cannot open archive: %s", archive_error_string(ar));
            rc = AIB_EIO;
            goto done;
        }
        while (archive_read_next_header(ar, &ent) == ARCHIVE_OK) {
            const char *p = archive_entry_pathname(ent), *base;
            la_int64_t size = archive_entry_size(ent);
            if (!p || archive_entry_filetype(ent) != AE_IFREG)
                continue;
            base = strrchr(p, '/') ? strrchr(p, '/') + 1 : p;
            for (i = 0; i < N_EAR_FILES; i++) {
                la_ssize_t got;
                size_t off = 0;
                if (strcmp(base, EAR_FILES[i]) || bufs[i])
                    continue;
                if (size < 0 || size > (la_int64_t)256 << 20) {
                    aib_diag_set(diag, path, 0, 0, "%s: unexpected size", p);
                    rc = AIB_ELIMIT;
                    goto done;
                }
                if (!(bufs[i] = malloc((size_t)size + 1))) {
                    rc = AIB_ENOMEM;
                    goto done;
                }
                while (off < (size_t)size &&
                       (got = archive_read_data(ar, bufs[i] + off, (size_t)size - off)) > 0)
                    off += (size_t)got;
                if (off != (size_t)size) {
                    aib_diag_set(diag, path, 0, 0, "%s: truncated in the archive", p);
                    rc = AIB_EIO;
                    goto done;
                }
                bufs[i][off] = '\0';
                lens[i] = off;
            }
        }
        for (i = 0; i < N_EAR_FILES; i++)
            if (!bufs[i]) {
                aib_diag_set(diag, path, 0, 0, "archive has no %s", EAR_FILES[i]);
                rc = AIB_ENOTFOUND;
                goto done;
            }
    }
    for (i = 0; i < N_EAR_FILES; i++) {
        snprintf(name, sizeof(name), "%s:%s", path, EAR_FILES[i]);
        if ((rc = aib__alliance_load_ear_file(a, name, EAR_FILES[i], bufs[i], lens[i], diag)))
            goto done;
    }
done:
    if (ar)
        archive_read_free(ar);
    for (i = 0; i < N_EAR_FILES; i++)
        free(bufs[i]);
    return rc;
}

/* ---- Queries ------------------------------------------------------------------------------- */

const aib_alliance_eccn_t *aib_alliance_eccn(const aib_alliance_t *a, const char *ref,
                                             const aib_alliance_ear_para_t **para,
                                             bool *para_known)
{
    char id[6];
    const char *p;
    size_t lo = 0, hi, i;
    const aib_alliance_eccn_t *x = NULL;

    if (para)
        *para = NULL;
    if (para_known)
        *para_known = true;
    if (!a || !ref)
        return NULL;
    while (*ref == ' ')
        ref++;
    if (strlen(ref) < 5 || !isdigit((unsigned char)ref[0]) || !isalpha((unsigned char)ref[1]) ||
        !isdigit((unsigned char)ref[2]) || !isdigit((unsigned char)ref[3]) ||
        !isdigit((unsigned char)ref[4]))
        return NULL;
    if (ref[5] && ref[5] != '.' && ref[5] != ' ')
        return NULL;
    memcpy(id, ref, 5);
    id[1] = (char)toupper((unsigned char)id[1]);
    id[5] = '\0';
    hi = a->eccns.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const aib_alliance_eccn_t *e = a->eccns.v[mid];
        int c = strcmp(e->eccn, id);
        if (c == 0) {
            x = e;
            break;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!x)
        return NULL;
    p = ref + 5;
    if (*p != '.' || !p[1])
        return x;
    p++;
    if (!x->n_paragraphs)
        return x; /* no paragraph data for this category: reference accepted unchecked */
    for (i = 0; i < x->n_paragraphs; i++)
        if (!strcasecmp(x->paragraphs[i].id, p)) {
            if (para)
                *para = &x->paragraphs[i];
            return x;
        }
    if (para_known)
        *para_known = false;
    return x;
}

size_t aib_alliance_eccn_count(const aib_alliance_t *a)
{
    return a ? a->eccns.n : 0;
}

const aib_alliance_eccn_t *aib_alliance_eccn_at(const aib_alliance_t *a, size_t i)
{
    return a && i < a->eccns.n ? a->eccns.v[i] : NULL;
}

const char *const *aib_alliance_chart_columns(const aib_alliance_t *a, size_t *n)
{
    *n = a ? a->n_columns : 0;
    return a ? a->columns : NULL;
}

int aib_alliance_chart_cell(const aib_alliance_t *a, const char *column, const char *country,
                            aib_alliance_chart_cell_t *out, aib_diag_t *diag)
{
    const aib_alliance_country_t *co;
    const aib_alliance_chart_row_t *row;
    char key[8];
    int ci;

    memset(out, 0, sizeof(*out));
    if (!column || (ci = column_index(a, column)) < 0) {
        aib_diag_set(diag, "", 0, 0, "unknown Country Chart column `%s`", column ? column : "");
        return AIB_ENOTFOUND;
    }
    if (!(co = aib_alliance_country(a, country))) {
        aib_diag_set(diag, "", 0, 0, "unknown country `%s`", country ? country : "");
        return AIB_ENOTFOUND;
    }
    snprintf(key, sizeof(key), "#%s", co->alpha3);
    row = aib__alliance_index_get(&a->row_ix, key);
    if (!row) {
        out->mark = AIB_ALLIANCE_CHART_NO_ROW;
        return AIB_OK;
    }
    out->row = row;
    out->inherited_basis = strcmp(row->alpha3, co->alpha3) ? co->ear_row_basis : NULL;
    if (row->embargoed)
        out->mark = AIB_ALLIANCE_CHART_EMBARGOED;
    else
        out->mark = (row->marks >> ci) & 1u ? AIB_ALLIANCE_CHART_X : AIB_ALLIANCE_CHART_BLANK;
    return AIB_OK;
}

const char *aib_alliance_chart_footnote(const aib_alliance_t *a, int number)
{
    size_t i;
    for (i = 0; a && i < a->footnotes.n; i++) {
        const aib__alliance_footnote_t *f = a->footnotes.v[i];
        if (f->number == number)
            return f->text;
    }
    return NULL;
}

size_t aib_alliance_chart_row_count(const aib_alliance_t *a)
{
    return a ? a->chart_rows.n : 0;
}

const aib_alliance_chart_row_t *aib_alliance_chart_row_at(const aib_alliance_t *a, size_t i)
{
    return a && i < a->chart_rows.n ? a->chart_rows.v[i] : NULL;
}

const aib_alliance_ear_exception_t *aib_alliance_ear_exception(const aib_alliance_t *a,
                                                               const char *symbol)
{
    size_t i, j;
    for (i = 0; a && symbol && i < a->exceptions.n; i++) {
        const aib_alliance_ear_exception_t *x = a->exceptions.v[i];
        for (j = 0; j < x->n_symbols; j++)
            if (!strcasecmp(x->symbols[j], symbol))
                return x;
    }
    return NULL;
}

size_t aib_alliance_ear_exception_count(const aib_alliance_t *a)
{
    return a ? a->exceptions.n : 0;
}

const aib_alliance_ear_exception_t *aib_alliance_ear_exception_at(const aib_alliance_t *a, size_t i)
{
    return a && i < a->exceptions.n ? a->exceptions.v[i] : NULL;
}
