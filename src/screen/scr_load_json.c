/* scr_load_json.c — JSON list formats: the US Consolidated Screening List (csl-consolidated.json:
 * either the compact {"tables", "entries": [{n, a, t, c, e, s}]} form or trade.gov's
 * {"results": [{name, alt_names, type, addresses, ids, dates_of_birth}]}), and aib's own JSON-lines
 * format for custom lists (docs/screening.md): one object per line with id, name, aliases,
 * schema, countries, dob, ids, programs, remarks. */
#include "screen/screen_int.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static int add_str(aib_screen_lists_t *ls, aib__scr_eb_t *b, json_t *v,
                   int (*fn)(aib_screen_lists_t *, aib__scr_eb_t *, const char *, size_t))
{
    if (json_is_string(v))
        return fn(ls, b, json_string_value(v), json_string_length(v));
    return 0;
}

/* Adds a string or each string of an array; other types are an error (returns 1). */
static int add_strs(aib_screen_lists_t *ls, aib__scr_eb_t *b, json_t *v,
                    int (*fn)(aib_screen_lists_t *, aib__scr_eb_t *, const char *, size_t))
{
    size_t i;
    json_t *x;
    int rc;
    if (!v || json_is_null(v))
        return 0;
    if (json_is_string(v))
        return add_str(ls, b, v, fn);
    if (!json_is_array(v))
        return 1;
    json_array_foreach(v, i, x) {
        if (!json_is_string(x))
            return 1;
        if ((rc = add_str(ls, b, x, fn)) != 0)
            return rc;
    }
    return 0;
}

static aib_screen_schema_t schema_of(json_t *t)
{
    aib_screen_schema_t s = AIB_SCREEN_ANY;
    if (json_is_string(t) && aib_screen_schema_parse(json_string_value(t), &s))
        return s;
    return AIB_SCREEN_ANY;
}

int aib__scr_load_csl(aib_screen_lists_t *ls, const aib__scr_file_t *f, aib_diag_t *diag)
{
    json_error_t err;
    json_t *root = json_loadb(f->data, f->len, JSON_REJECT_DUPLICATES, &err), *arr, *x, *sources;
    aib__scr_eb_t b;
    char hex[65], idbuf[64], where[64];
    bool compact;
    size_t i;
    int rc = 0, li;

    aib__scr_eb_init(&b);
    if (!root) {
        aib_diag_set(diag, f->name, err.line, err.column, "malformed JSON: %s", err.text);
        rc = AIB_EPARSE;
        goto done;
    }
    arr = json_object_get(root, "entries");
    compact = arr != NULL;
    if (!arr)
        arr = json_object_get(root, "results");
    if (!json_is_array(arr)) {
        aib_diag_set(diag, f->name, 1, 1, "expected an object with an \"entries\" or \"results\" array");
        rc = AIB_EPARSE;
        goto done;
    }
    sources = json_object_get(json_object_get(root, "tables"), "sources");
    aib_screen_sha256_hex(f->data, f->len, hex);
    li = aib__scr_list_begin(ls, "us-csl", f->name, hex);
    if (li < 0) {
        aib_diag_set(diag, f->name, 0, 0, "list `us-csl` is loaded twice");
        rc = li;
        goto done;
    }
    json_array_foreach(arr, i, x) {
        json_t *name, *id, *src;
        int bad = 0;
        snprintf(where, sizeof(where), "%s[%zu]", compact ? "entries" : "results", i);
        if (!json_is_object(x)) {
            aib_diag_set(diag, f->name, 0, 0, "%s: expected an object", where);
            rc = AIB_EPARSE;
            goto done;
        }
        name = json_object_get(x, compact ? "n" : "name");
        if (!json_is_string(name)) {
            aib_diag_set(diag, f->name, 0, 0, "%s.%s: expected a string", where, compact ? "n" : "name");
            rc = AIB_EPARSE;
            goto done;
        }
        b.schema = schema_of(json_object_get(x, compact ? "t" : "type"));
        src = json_object_get(x, compact ? "s" : "source");
        if (json_is_integer(src) && json_array_get(sources, (size_t)json_integer_value(src)))
            src = json_array_get(sources, (size_t)json_integer_value(src));
        if (json_is_string(src))
            b.programs = aib__scr_str(ls, json_string_value(src), json_string_length(src));
        /* entity numbers repeat across the source lists: the id is "<list code>-<number>", the
         * code taken from the source's "(SDN)"-style abbreviation, else the entry's position */
        id = json_object_get(x, compact ? "e" : "entity_number");
        if (!json_is_string(id))
            id = json_object_get(x, "id");
        {
            const char *sv = json_is_string(src) ? json_string_value(src) : "", *lp = strchr(sv, '('),
                       *rp = lp ? strchr(lp, ')') : NULL;
            int cl = lp && rp && rp - lp - 1 < 16 ? (int)(rp - lp - 1) : 0;
            if (json_is_string(id) && cl > 0)
                snprintf(idbuf, sizeof(idbuf), "%.*s-%.40s", cl, lp + 1, json_string_value(id));
            else if (json_is_string(id))
                snprintf(idbuf, sizeof(idbuf), "%.40s", json_string_value(id));
            else
                snprintf(idbuf, sizeof(idbuf), "%zu", i);
            b.src_id = aib__scr_str(ls, idbuf, strlen(idbuf));
        }
        rc = aib__scr_eb_name(ls, &b, json_string_value(name), json_string_length(name));
        if (rc == 0)
            bad |= rc = add_strs(ls, &b, json_object_get(x, compact ? "a" : "alt_names"), aib__scr_eb_name);
        if (rc == 0 && compact)
            bad |= rc = add_strs(ls, &b, json_object_get(x, "c"), aib__scr_eb_country);
        if (rc == 0 && !compact) {
            json_t *addrs = json_object_get(x, "addresses"), *a;
            size_t k;
            json_array_foreach(addrs, k, a) {
                if (rc == 0)
                    rc = add_str(ls, &b, json_object_get(a, "country"), aib__scr_eb_country);
            }
            if (rc == 0)
                bad |= rc = add_strs(ls, &b, json_object_get(x, "dates_of_birth"), aib__scr_eb_dob);
            json_array_foreach(json_object_get(x, "ids"), k, a) {
                if (rc == 0)
                    rc = add_str(ls, &b, json_object_get(a, "number"), aib__scr_eb_idnum);
            }
        }
        if (bad == 1) {
            aib_diag_set(diag, f->name, 0, 0, "%s: aliases and countries must be strings or arrays of strings",
                         where);
            rc = AIB_EPARSE;
            goto done;
        }
        if (rc == 0)
            rc = aib__scr_eb_commit(ls, (size_t)li, &b);
        if (rc != 0)
            goto done;
    }
done:
    aib__scr_eb_free(&b);
    json_decref(root);
    return rc;
}

int aib__scr_load_jsonl(aib_screen_lists_t *ls, const aib__scr_file_t *f, aib_diag_t *diag)
{
    aib__scr_eb_t b;
    char hex[65], listname[128];
    const char *p = f->data, *end = f->data + f->len, *base = f->name;
    size_t bl = strlen(base);
    int line = 0, rc = 0, li;
    json_t *o = NULL;

    aib__scr_eb_init(&b);
    if (bl > 6)
        bl -= 6; /* ".jsonl" */
    if (bl >= sizeof(listname))
        bl = sizeof(listname) - 1;
    memcpy(listname, base, bl);
    listname[bl] = '\0';
    aib_screen_sha256_hex(f->data, f->len, hex);
    li = aib__scr_list_begin(ls, listname, f->name, hex);
    if (li < 0) {
        aib_diag_set(diag, f->name, 0, 0, "list `%s` is loaded twice", listname);
        rc = li;
        goto done;
    }
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end, *s = p;
        json_error_t err;
        json_t *name, *id, *sch;
        int bad = 0;
        line++;
        p = nl ? nl + 1 : end;
        while (s < le && (*s == ' ' || *s == '\t' || *s == '\r'))
            s++;
        if (s == le || *s == '#')
            continue;
        o = json_loadb(s, (size_t)(le - s), JSON_REJECT_DUPLICATES, &err);
        if (!o) {
            aib_diag_set(diag, f->name, line, err.column, "malformed JSON: %s", err.text);
            rc = AIB_EPARSE;
            goto done;
        }
        name = json_object_get(o, "name");
        if (!json_is_object(o) || !json_is_string(name) || json_string_length(name) == 0) {
            aib_diag_set(diag, f->name, line, 1, "each line needs an object with a non-empty \"name\" string");
            rc = AIB_EPARSE;
            goto done;
        }
        id = json_object_get(o, "id");
        if (json_is_string(id)) {
            b.src_id = aib__scr_str(ls, json_string_value(id), json_string_length(id));
        } else {
            char idbuf[32];
            snprintf(idbuf, sizeof(idbuf), "line%d", line);
            b.src_id = aib__scr_str(ls, idbuf, strlen(idbuf));
        }
        sch = json_object_get(o, "schema");
        if (sch && (!json_is_string(sch) || !aib_screen_schema_parse(json_string_value(sch), &b.schema))) {
            aib_diag_set(diag, f->name, line, 1, "\"schema\" must be Person, Company, Vessel, Aircraft or Any");
            rc = AIB_EPARSE;
            goto done;
        }
        if (json_is_string(json_object_get(o, "programs")))
            b.programs = aib__scr_str(ls, json_string_value(json_object_get(o, "programs")),
                                  json_string_length(json_object_get(o, "programs")));
        rc = aib__scr_eb_name(ls, &b, json_string_value(name), json_string_length(name));
        if (rc == 0 && (bad = add_strs(ls, &b, json_object_get(o, "aliases"), aib__scr_eb_name)) == 1)
            goto bad;
        if (rc == 0 && (bad = add_strs(ls, &b, json_object_get(o, "countries"), aib__scr_eb_country)) == 1)
            goto bad;
        if (rc == 0 && (bad = add_strs(ls, &b, json_object_get(o, "dob"), aib__scr_eb_dob)) == 1)
            goto bad;
        if (rc == 0 && (bad = add_strs(ls, &b, json_object_get(o, "ids"), aib__scr_eb_idnum)) == 1)
            goto bad;
        if (rc == 0 && bad == 0 && json_is_string(json_object_get(o, "remarks")))
            rc = aib_buf_puts(&b.remarks, json_string_value(json_object_get(o, "remarks")));
        if (rc == 0 && bad == 0)
            rc = aib__scr_eb_commit(ls, (size_t)li, &b);
        if (rc != 0 || bad != 0) {
            rc = rc ? rc : AIB_ENOMEM;
            goto done;
        }
        json_decref(o);
        o = NULL;
        continue;
    bad:
        aib_diag_set(diag, f->name, line, 1, "aliases, countries, dob and ids must be strings or arrays of strings");
        rc = AIB_EPARSE;
        goto done;
    }
done:
    json_decref(o);
    aib__scr_eb_free(&b);
    return rc;
}
