/* det_request.c — parses and checks one determination request (JSON). Every field is checked by
 * name: unknown fields are errors, and each bad value is reported as "field: problem" with
 * what was expected, so a person can fix the request without reading code. Countries, USML
 * references, ECCNs, classification levels and markings are resolved against the registry. */
#include "determine/determine_int.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const KINDS[] = { "export", "reexport", "retransfer", "temporary_export",
                                     "temporary_import", "deemed_export", "disclosure" };
static const char *const END_USER_KINDS[] = { "government", "company", "person" };
static const char *const END_USES[] = { "unspecified", "military", "civil", "official_use",
                                        "defense_service", "manufacturing", "research",
                                        "return_to_us" };
static const char *const REGIMES[] = { "current", "proposed", "both" };

#define N_OF(a) (sizeof(a) / sizeof *(a))

static int bad(aib_diag_t *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(aib_diag_t *d, const char *fmt, ...)
{
    va_list ap;
    if (d) {
        aib_diag_clear(d);
        snprintf(d->file, sizeof d->file, "request");
        va_start(ap, fmt);
        vsnprintf(d->msg, sizeof d->msg, fmt, ap);
        va_end(ap);
    }
    return AIB_EINVAL;
}

/* Joins words for "expected one of ..." messages. */
static const char *join(const char *const *w, size_t n, char *buf, size_t cap)
{
    size_t i, o = 0;
    buf[0] = '\0';
    for (i = 0; i < n && o < cap; i++) {
        int k = snprintf(buf + o, cap - o, "%s%s", i ? ", " : "", w[i]);
        if (k < 0)
            break;
        o += (size_t)k;
    }
    return buf;
}

static int one_of(const char *field, const char *v, const char *const *w, size_t n,
                  const char **out, aib_diag_t *d)
{
    char list[512];
    size_t i;
    for (i = 0; i < n; i++)
        if (!strcmp(v, w[i])) {
            *out = w[i];
            return 0;
        }
    return bad(d, "%s: `%.100s` is not one of %s", field, v, join(w, n, list, sizeof list));
}

/* Rejects keys of obj not in allowed (NULL-terminated). */
static int only_keys(const json_t *obj, const char *where, const char *const *allowed, aib_diag_t *d)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        size_t i;
        bool ok = false;
        (void)v;
        for (i = 0; allowed[i]; i++)
            ok |= !strcmp(key, allowed[i]);
        if (!ok) {
            char list[512];
            size_t n = 0;
            while (allowed[n])
                n++;
            return bad(d, "%s%sunknown field `%.100s` (allowed: %s)", where, where[0] ? ": " : "",
                       key, join(allowed, n, list, sizeof list));
        }
    }
    return 0;
}

static int get_str(const json_t *obj, const char *key, const char *field, bool required,
                   aib_arena_t *a, const char **out, aib_diag_t *d)
{
    const json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (required)
            return bad(d, "%s: missing (required)", field);
        return 0;
    }
    if (!json_is_string(v))
        return bad(d, "%s: expected a string", field);
    if (json_string_length(v) > 1000)
        return bad(d, "%s: longer than 1000 bytes", field);
    if (strlen(json_string_value(v)) != json_string_length(v))
        return bad(d, "%s: contains a NUL byte", field);
    *out = aib_arena_strndup(a, json_string_value(v), json_string_length(v));
    return *out ? 0 : AIB_ENOMEM;
}

static int get_bool(const json_t *obj, const char *key, const char *field, bool *out, bool *given,
                    aib_diag_t *d)
{
    const json_t *v = json_object_get(obj, key);
    if (given)
        *given = false;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_boolean(v))
        return bad(d, "%s: expected true or false", field);
    *out = json_is_true(v);
    if (given)
        *given = true;
    return 0;
}

static int country(const aib_alliance_t *al, const char *field, const char *v,
                   const aib_alliance_country_t **out, aib_diag_t *d)
{
    const aib_alliance_country_t *c;
    size_t i, n = strlen(v);
    bool alpha = n == 3;
    for (i = 0; i < n; i++)
        alpha = alpha && ((v[i] >= 'A' && v[i] <= 'Z') || (v[i] >= 'a' && v[i] <= 'z'));
    if (!alpha)
        return bad(d, "%s: `%.100s` is not an ISO 3166-1 alpha-3 code (three letters, e.g. \"GBR\")",
                   field, v);
    c = aib_alliance_country(al, v);
    if (!c || strcasecmp(c->alpha3, v) != 0)
        return bad(d, "%s: unknown country `%s` (not an ISO 3166-1 alpha-3 code in the registry)",
                   field, v);
    *out = c;
    return 0;
}

static int parse_item(const aib_alliance_t *al, const json_t *it, aib_arena_t *a,
                      aib_determine_request_t *r, aib_diag_t *d)
{
    static const char *const KEYS[] = { "usml", "eccn", "classification", "markings",
                                        "significant_military_equipment", "value_usd", NULL };
    const json_t *v;
    const char *cls = NULL;
    int rc;

    if (!json_is_object(it))
        return bad(d, "item: expected an object");
    rc = only_keys(it, "item", KEYS, d);
    if (!rc)
        rc = get_str(it, "usml", "item.usml", false, a, &r->usml, d);
    if (!rc)
        rc = get_str(it, "eccn", "item.eccn", false, a, &r->eccn, d);
    if (!rc)
        rc = get_str(it, "classification", "item.classification", false, a, &cls, d);
    if (!rc)
        rc = get_str(it, "markings", "item.markings", false, a, &r->markings, d);
    if (!rc)
        rc = get_bool(it, "significant_military_equipment", "item.significant_military_equipment",
                      &r->sme, &r->sme_given, d);
    if (rc)
        return rc;
    v = json_object_get(it, "value_usd");
    if (v && !json_is_null(v)) {
        if (!json_is_integer(v) || json_integer_value(v) < 0 ||
            json_integer_value(v) > 1000000000000000LL)
            return bad(d, "item.value_usd: expected a whole number of US dollars from 0 to 10^15");
        r->value_usd = json_integer_value(v);
    }
    if (r->usml) {
        const aib_alliance_usml_para_t *para = NULL;
        if (!aib_alliance_usml(al, r->usml, &para))
            return bad(d, "item.usml: `%.100s` is not a USML reference (category I-XXI with "
                          "optional paragraphs, e.g. \"XI(a)(3)\")", r->usml);
        if (para && para->sme && !r->sme_given)
            r->sme = true;
    }
    if (r->eccn && strcasecmp(r->eccn, "EAR99") != 0) {
        const aib_alliance_ear_para_t *para = NULL;
        bool known = true;
        const aib_alliance_eccn_t *x = aib_alliance_eccn(al, r->eccn, &para, &known);
        if (!x)
            return bad(d, "item.eccn: `%.100s` is not an ECCN of the Commerce Control List "
                          "(e.g. \"3A001.a.1\") nor \"EAR99\"", r->eccn);
        if (!known)
            return bad(d, "item.eccn: ECCN %s has no paragraph `%.100s` in the Commerce Control List",
                       x->eccn, r->eccn + strlen(x->eccn));
    } else if (r->eccn) {
        r->eccn = "EAR99";
    }
    if (cls) {
        const aib_alliance_class_level_t *lv = aib_alliance_class_level(al, cls);
        if (!lv) {
            char list[256];
            const char *names[16];
            size_t i, n = aib_alliance_class_level_count(al);
            for (i = 0; i < n && i < 16; i++)
                names[i] = aib_alliance_class_level_at(al, i)->name;
            return bad(d, "item.classification: `%.100s` is not a classification level (%s)", cls,
                       join(names, i, list, sizeof list));
        }
        r->classification = lv->name;
        r->classification_given = true;
        r->level = lv->rank;
        r->classified = lv->classified;
    }
    return 0;
}

static int parse_end_user(const aib_alliance_t *al, const json_t *eu, aib_arena_t *a,
                          aib_determine_request_t *r, aib_diag_t *d)
{
    static const char *const KEYS[] = { "kind", "country", "nationalities", "registered",
                                        "authorized_user", NULL };
    const char *s = NULL;
    const json_t *nat;
    int rc;

    if (!json_is_object(eu))
        return bad(d, "transfer.end_user: expected an object");
    rc = only_keys(eu, "transfer.end_user", KEYS, d);
    if (!rc)
        rc = get_str(eu, "kind", "transfer.end_user.kind", false, a, &s, d);
    if (!rc && s)
        rc = one_of("transfer.end_user.kind", s, END_USER_KINDS, N_OF(END_USER_KINDS),
                    &r->end_user_kind, d);
    if (!rc)
        rc = get_str(eu, "country", "transfer.end_user.country", false, a, &s, d);
    if (!rc && s)
        rc = country(al, "transfer.end_user.country", s, &r->end_user_country, d);
    if (!rc)
        rc = get_bool(eu, "registered", "transfer.end_user.registered", &r->registered, NULL, d);
    if (!rc)
        rc = get_bool(eu, "authorized_user", "transfer.end_user.authorized_user",
                      &r->authorized_user, NULL, d);
    if (rc)
        return rc;
    nat = json_object_get(eu, "nationalities");
    if (nat && !json_is_null(nat)) {
        size_t i, n;
        if (!json_is_array(nat))
            return bad(d, "transfer.end_user.nationalities: expected an array of alpha-3 codes");
        n = json_array_size(nat);
        if (n > 16)
            return bad(d, "transfer.end_user.nationalities: more than 16 entries");
        r->nationalities = aib_arena_calloc(a, n ? n : 1, sizeof *r->nationalities);
        if (!r->nationalities)
            return AIB_ENOMEM;
        for (i = 0; i < n; i++) {
            const json_t *x = json_array_get(nat, i);
            char field[64];
            snprintf(field, sizeof field, "transfer.end_user.nationalities[%zu]", i);
            if (!json_is_string(x))
                return bad(d, "%s: expected a string", field);
            rc = country(al, field, json_string_value(x), &r->nationalities[r->n_nationalities], d);
            if (rc)
                return rc;
            r->n_nationalities++;
        }
    }
    return 0;
}

static int parse_transfer(const aib_alliance_t *al, const json_t *tr, aib_arena_t *a,
                          aib_determine_request_t *r, aib_diag_t *d)
{
    static const char *const KEYS[] = { "kind", "from", "to", "end_user", "end_use", NULL };
    const char *s = NULL;
    const json_t *eu;
    int rc;

    if (!json_is_object(tr))
        return bad(d, "transfer: expected an object");
    rc = only_keys(tr, "transfer", KEYS, d);
    if (!rc)
        rc = get_str(tr, "kind", "transfer.kind", true, a, &s, d);
    if (!rc)
        rc = one_of("transfer.kind", s, KINDS, N_OF(KINDS), &r->kind, d);
    if (!rc)
        rc = get_str(tr, "from", "transfer.from", false, a, &s, d);
    if (!rc)
        rc = country(al, "transfer.from", s ? s : "USA", &r->from, d);
    if (!rc)
        rc = get_str(tr, "to", "transfer.to", true, a, &s, d);
    if (!rc)
        rc = country(al, "transfer.to", s, &r->to, d);
    if (!rc)
        rc = get_str(tr, "end_use", "transfer.end_use", false, a, &s, d);
    if (!rc && s)
        rc = one_of("transfer.end_use", s, END_USES, N_OF(END_USES), &r->end_use, d);
    if (rc)
        return rc;
    eu = json_object_get(tr, "end_user");
    if (eu && !json_is_null(eu))
        rc = parse_end_user(al, eu, a, r, d);
    return rc;
}

int aib_determine_request_parse(const aib_determine_engine_t *e, const char *json, size_t len,
                                aib_arena_t *arena, aib_determine_request_t **out, aib_diag_t *diag)
{
    static const char *const KEYS[] = { "id", "date", "regime", "item", "transfer", NULL };
    const aib_alliance_t *al = e->al;
    aib_determine_request_t *r;
    json_error_t jerr;
    json_t *root;
    const json_t *v;
    const char *s = NULL;
    int rc;

    *out = NULL;
    root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        aib_diag_set(diag, "request", jerr.line, jerr.column, "invalid JSON: %s", jerr.text);
        return AIB_EINVAL;
    }
    r = aib_arena_calloc(arena, 1, sizeof *r);
    if (!r) {
        rc = AIB_ENOMEM;
        goto done;
    }
    r->id = "";
    r->classification = "UNCLASSIFIED";
    r->end_use = "unspecified";
    if (!json_is_object(root)) {
        rc = bad(diag, "request: expected a JSON object");
        goto done;
    }
    rc = only_keys(root, "", KEYS, diag);
    if (!rc) {
        v = json_object_get(root, "id");
        if (v && json_is_integer(v)) {
            char tmp[32];
            snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(v));
            r->id = aib_arena_strndup(arena, tmp, strlen(tmp));
        } else {
            rc = get_str(root, "id", "id", false, arena, &s, diag);
            if (!rc && s)
                r->id = s;
        }
    }
    if (!rc)
        rc = get_str(root, "date", "date", true, arena, &r->date_text, diag);
    if (!rc && aib_alliance_date_parse(r->date_text, &r->date) != 0)
        rc = bad(diag, "date: `%.40s` is not a calendar date YYYY-MM-DD", r->date_text);
    if (!rc)
        rc = get_str(root, "regime", "regime", false, arena, &s, diag);
    if (!rc) {
        const char *reg = "current";
        if (s)
            rc = one_of("regime", s, REGIMES, N_OF(REGIMES), &reg, diag);
        r->regime = !strcmp(reg, "both") ? AIB_DET_BOTH
                    : !strcmp(reg, "proposed") ? AIB_DET_PROPOSED : AIB_DET_CURRENT;
    }
    if (rc)
        goto done;
    v = json_object_get(root, "item");
    if (!v) {
        rc = bad(diag, "item: missing (required)");
        goto done;
    }
    rc = parse_item(al, v, arena, r, diag);
    if (rc)
        goto done;
    v = json_object_get(root, "transfer");
    if (!v) {
        rc = bad(diag, "transfer: missing (required)");
        goto done;
    }
    rc = parse_transfer(al, v, arena, r, diag);
    if (rc)
        goto done;
    /* Cross-field rules: what is being judged must match the kind of transfer. */
    if (!strcmp(r->kind, "disclosure")) {
        if (r->usml || r->eccn) {
            rc = bad(diag, "item: a disclosure is judged by classification and markings only; "
                           "remove `%s` or use a transfer kind such as \"export\"",
                     r->usml ? "usml" : "eccn");
            goto done;
        }
    } else if (!r->usml && !r->eccn) {
        rc = bad(diag, "item: `usml` or `eccn` (or \"EAR99\") is required for transfer.kind `%s`",
                 r->kind);
        goto done;
    }
    if (!r->end_user_kind)
        r->end_user_kind = !strcmp(r->kind, "disclosure") ? "government" : "company";
    if (!r->end_user_country)
        r->end_user_country = r->to;
    if (r->markings)
        rc = aib__determine_markings(al, r, arena, diag);
done:
    json_decref(root);
    if (rc == 0)
        *out = r;
    return rc;
}
