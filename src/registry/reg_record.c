/* reg_record.c — registry records as JSON: the strict parser every entry point uses (CLI files, API
 * bodies, import bundles, stored rows) and the canonical emitter whose output is what is stored,
 * hashed and signed. Type-specific details are checked for shape here; their meaning is in
 * docs/registry.md. */
#include "registry_int.h"

#include <jansson.h>
#include <string.h>

static const char *const type_names[AIB_REG_NTYPES] = {
    "project", "capability", "challenge", "scouting", "facility", "dataset", "investor", "company"
};

const char *aib_registry_type_name(aib_registry_type_t t)
{
    return (unsigned)t < AIB_REG_NTYPES ? type_names[t] : "unknown";
}

int aib_registry_type_parse(const char *s, aib_registry_type_t *out)
{
    int i;

    for (i = 0; s && i < AIB_REG_NTYPES; i++)
        if (!strcmp(s, type_names[i])) {
            *out = (aib_registry_type_t)i;
            return 0;
        }
    return AIB_EINVAL;
}

static int bad(aib_diag_t *diag, const char *fmt, const char *field, const char *what)
{
    aib_diag_set(diag, "record", 0, 0, fmt, field, what);
    return AIB_EINVAL;
}

static int alpha3(const char *s)
{
    return s && strlen(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
           && s[2] >= 'A' && s[2] <= 'Z';
}

static int date_ok(const char *s)
{
    int64_t y, m, d;
    static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    if (aib_parse_i64(s, 4, &y) || aib_parse_i64(s + 5, 2, &m) || aib_parse_i64(s + 8, 2, &d))
        return 0;
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 0;
    return 1;
}

static int id_ok(const char *s)
{
    size_t i, n = strlen(s);

    if (n < 3 || n > 64)
        return 0;
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.'
              || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

/* A required or optional string field with a length cap; "" when absent and optional. */
static int get_str(json_t *o, const char *field, bool required, size_t max, aib_arena_t *arena,
                   const char **out, aib_diag_t *diag)
{
    json_t *v = json_object_get(o, field);
    const char *s;
    size_t len;

    if (!v) {
        if (required)
            return bad(diag, "%s: %s", field, "missing (required)");
        *out = "";
        return 0;
    }
    if (!json_is_string(v))
        return bad(diag, "%s: %s", field, "expected a string");
    s = json_string_value(v);
    len = json_string_length(v);
    if (memchr(s, '\0', len))
        return bad(diag, "%s: %s", field, "must not contain NUL");
    if (len > max)
        return bad(diag, "%s: %s", field, "too long");
    if (required && len == 0)
        return bad(diag, "%s: %s", field, "must not be empty");
    *out = aib_arena_strndup(arena, s, len);
    return *out ? 0 : AIB_ENOMEM;
}

static int get_list(json_t *o, const char *field, size_t max, int (*ok)(const char *),
                    const char *shape, aib_arena_t *arena, const char ***out, size_t *n,
                    aib_diag_t *diag)
{
    json_t *v = json_object_get(o, field);
    size_t i, k, cnt;
    const char **a;

    *out = NULL;
    *n = 0;
    if (!v)
        return 0;
    if (!json_is_array(v))
        return bad(diag, "%s: %s", field, "expected an array of strings");
    cnt = json_array_size(v);
    if (cnt > max)
        return bad(diag, "%s: %s", field, "too many entries");
    a = aib_arena_calloc(arena, cnt ? cnt : 1, sizeof(char *));
    if (!a)
        return AIB_ENOMEM;
    for (i = 0; i < cnt; i++) {
        json_t *e = json_array_get(v, i);
        const char *s;

        if (!json_is_string(e) || !ok(json_string_value(e))
            || strlen(json_string_value(e)) != json_string_length(e)) {
            aib_diag_set(diag, "record", 0, 0, "%s[%zu]: expected %s", field, i, shape);
            return AIB_EINVAL;
        }
        s = json_string_value(e);
        for (k = 0; k < *n; k++)
            if (!strcmp(a[k], s))
                break;
        if (k < *n) {
            aib_diag_set(diag, "record", 0, 0, "%s[%zu]: `%s` given twice", field, i, s);
            return AIB_EINVAL;
        }
        if (!(a[(*n)++] = aib_arena_strndup(arena, s, strlen(s))))
            return AIB_ENOMEM;
    }
    *out = a;
    return 0;
}

static int area_shape(const char *s)
{
    size_t i, n = strlen(s);

    if (n == 0 || n > 64)
        return 0;
    for (i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '.'))
            return 0;
    return 1;
}

static int dfail(aib_diag_t *diag, const char *path, const char *what)
{
    aib_diag_set(diag, "record", 0, 0, "details.%s: %s", path, what);
    return AIB_EINVAL;
}

static int check_str_array(json_t *v, const char *path, bool required, aib_diag_t *diag)
{
    size_t i;

    if (!v)
        return required ? dfail(diag, path, "missing (required for this type)") : 0;
    if (!json_is_array(v) || (required && json_array_size(v) == 0))
        return dfail(diag, path, "expected a non-empty array of strings");
    for (i = 0; i < json_array_size(v); i++)
        if (!json_is_string(json_array_get(v, i)))
            return dfail(diag, path, "expected strings only");
    return 0;
}

/* Shape of the type-specific details (docs/registry.md). */
static int check_details(aib_registry_type_t t, json_t *d, aib_diag_t *diag)
{
    json_t *v;
    size_t i;

    switch (t) {
    case AIB_REG_CHALLENGE:
        v = json_object_get(d, "sponsor");
        if (!json_is_string(v) || !json_string_length(v))
            return dfail(diag, "sponsor", "required: the sponsoring organisation");
        v = json_object_get(d, "deadline");
        if (!json_is_string(v) || !date_ok(json_string_value(v)))
            return dfail(diag, "deadline", "required: a date YYYY-MM-DD");
        return 0;
    case AIB_REG_FACILITY:
        if (check_str_array(json_object_get(d, "capabilities"), "capabilities", true, diag))
            return AIB_EINVAL;
        v = json_object_get(d, "availability");
        if (v && !json_is_string(v))
            return dfail(diag, "availability", "expected a string");
        v = json_object_get(d, "access_requests");
        if (v) {
            if (!json_is_array(v))
                return dfail(diag, "access_requests", "expected an array of objects");
            for (i = 0; i < json_array_size(v); i++) {
                json_t *e = json_array_get(v, i), *nat = json_object_get(e, "nation"),
                       *st = json_object_get(e, "status");
                if (!json_is_object(e) || !json_is_string(nat) || !alpha3(json_string_value(nat))
                    || !json_is_string(st))
                    return dfail(diag, "access_requests", "each entry needs nation (alpha-3) and status");
            }
        }
        v = json_object_get(d, "ledger");
        if (v) {
            if (!json_is_array(v))
                return dfail(diag, "ledger", "expected an array of objects");
            for (i = 0; i < json_array_size(v); i++) {
                json_t *e = json_array_get(v, i), *p = json_object_get(e, "partner"),
                       *g = json_object_get(e, "access_granted"), *s = json_object_get(e, "results_shared");
                if (!json_is_object(e) || !json_is_string(p) || !alpha3(json_string_value(p))
                    || !json_is_integer(g) || json_integer_value(g) < 0 || !json_is_integer(s)
                    || json_integer_value(s) < 0)
                    return dfail(diag, "ledger",
                                 "each entry needs partner (alpha-3), access_granted and results_shared (integers >= 0)");
            }
        }
        return 0;
    case AIB_REG_DATASET:
        return check_str_array(json_object_get(d, "eligibility"), "eligibility", true, diag);
    case AIB_REG_INVESTOR:
    case AIB_REG_COMPANY:
        v = json_object_get(d, "screening");
        if (v) {
            json_t *id = json_object_get(v, "result_id"), *dec = json_object_get(v, "decision");
            if (!json_is_object(v) || !json_is_string(id) || !json_is_string(dec))
                return dfail(diag, "screening", "expected {result_id, decision, ...} from `aib screen`");
        }
        return 0;
    default:
        return 0;
    }
}

static const char *const known_fields[] = { "id", "type", "nation", "label", "title", "summary",
                                            "areas", "nations", "performer", "contact", "start",
                                            "end", "details", "updated_at", "origin", NULL };

int aib_registry_record_parse(const aib_registry_taxonomy_t *tax, const char *json, size_t len,
                              aib_arena_t *arena, aib_registry_record_t *out, aib_diag_t *diag)
{
    json_error_t jerr;
    json_t *root = NULL, *v;
    const char *key, *type = NULL;
    size_t i;
    int rc;

    memset(out, 0, sizeof(*out));
    root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        aib_diag_set(diag, "record", jerr.line, jerr.column, "%s", jerr.text);
        rc = AIB_EPARSE;
        goto done;
    }
    if (!json_is_object(root)) {
        aib_diag_set(diag, "record", 0, 0, "expected a JSON object");
        rc = AIB_EINVAL;
        goto done;
    }
    json_object_foreach(root, key, v) {
        for (i = 0; known_fields[i]; i++)
            if (!strcmp(key, known_fields[i]))
                break;
        if (!known_fields[i]) {
            aib_diag_set(diag, "record", 0, 0, "%.100s: unknown field", key);
            rc = AIB_EINVAL;
            goto done;
        }
    }
    if ((rc = get_str(root, "id", true, 64, arena, &out->id, diag)))
        goto done;
    if (!id_ok(out->id)) {
        rc = bad(diag, "%s: %s", "id", "expected 3-64 characters of [A-Za-z0-9._-]");
        goto done;
    }
    if ((rc = get_str(root, "type", true, 32, arena, &type, diag)))
        goto done;
    if (aib_registry_type_parse(type, &out->type)) {
        rc = bad(diag, "%s: %s", "type",
                 "expected project, capability, challenge, scouting, facility, dataset, investor or company");
        goto done;
    }
    if ((rc = get_str(root, "nation", true, 3, arena, &out->nation, diag)))
        goto done;
    if (!alpha3(out->nation)) {
        rc = bad(diag, "%s: %s", "nation", "expected an ISO 3166-1 alpha-3 code in upper case");
        goto done;
    }
    if ((rc = get_str(root, "label", true, 512, arena, &out->label, diag))
        || (rc = get_str(root, "title", true, 300, arena, &out->title, diag))
        || (rc = get_str(root, "summary", true, 4000, arena, &out->summary, diag))
        || (rc = get_str(root, "performer", false, 300, arena, &out->performer, diag))
        || (rc = get_str(root, "contact", false, 300, arena, &out->contact, diag))
        || (rc = get_str(root, "start", false, 10, arena, &out->start, diag))
        || (rc = get_str(root, "end", false, 10, arena, &out->end, diag))
        || (rc = get_str(root, "origin", false, 3, arena, &out->origin, diag)))
        goto done;
    if ((out->start[0] && !date_ok(out->start)) || (out->end[0] && !date_ok(out->end))) {
        rc = bad(diag, "%s: %s", out->start[0] && !date_ok(out->start) ? "start" : "end",
                 "expected a date YYYY-MM-DD");
        goto done;
    }
    if (out->start[0] && out->end[0] && strcmp(out->start, out->end) > 0) {
        rc = bad(diag, "%s: %s", "end", "before start");
        goto done;
    }
    if (out->origin[0] && !alpha3(out->origin)) {
        rc = bad(diag, "%s: %s", "origin", "expected an alpha-3 code");
        goto done;
    }
    if ((rc = get_list(root, "areas", 16, area_shape, "a taxonomy area id", arena, &out->areas,
                       &out->n_areas, diag)))
        goto done;
    if (out->n_areas == 0) {
        rc = bad(diag, "%s: %s", "areas", "at least one taxonomy area is required");
        goto done;
    }
    for (i = 0; tax && i < out->n_areas; i++)
        if (!aib_registry_taxonomy_has(tax, out->areas[i])) {
            aib_diag_set(diag, "record", 0, 0, "areas[%zu]: unknown area `%s` (see aib registry taxonomy)",
                         i, out->areas[i]);
            rc = AIB_EINVAL;
            goto done;
        }
    if ((rc = get_list(root, "nations", 64, alpha3, "an alpha-3 code", arena, &out->nations,
                       &out->n_nations, diag)))
        goto done;
    v = json_object_get(root, "details");
    if (v && !json_is_object(v)) {
        rc = bad(diag, "%s: %s", "details", "expected an object");
        goto done;
    }
    {
        json_t *d = v ? json_incref(v) : json_object();
        char *txt;

        if (!d) {
            rc = AIB_ENOMEM;
            goto done;
        }
        rc = check_details(out->type, d, diag);
        txt = rc ? NULL : json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
        json_decref(d);
        if (rc)
            goto done;
        if (!txt) {
            rc = AIB_ENOMEM;
            goto done;
        }
        if (strlen(txt) > 16384) {
            free(txt);
            rc = bad(diag, "%s: %s", "details", "too large (at most 16 KiB)");
            goto done;
        }
        out->details = aib_arena_strndup(arena, txt, strlen(txt));
        free(txt);
        if (!out->details) {
            rc = AIB_ENOMEM;
            goto done;
        }
    }
    v = json_object_get(root, "updated_at");
    if (v) {
        if (!json_is_integer(v) || json_integer_value(v) < 0) {
            rc = bad(diag, "%s: %s", "updated_at", "expected milliseconds since the epoch (integer >= 0)");
            goto done;
        }
        out->updated_at = json_integer_value(v);
    }
    rc = 0;
done:
    json_decref(root);
    return rc;
}

static int put_list(aib_buf_t *b, const char *key, const char *const *a, size_t n)
{
    size_t i;
    int rc = aib_buf_printf(b, ",\"%s\":[", key);

    for (i = 0; !rc && i < n; i++) {
        if (i)
            rc = aib_buf_putc(b, ',');
        if (!rc)
            rc = aib_buf_json_str(b, a[i], strlen(a[i]));
    }
    return rc ? rc : aib_buf_putc(b, ']');
}

static int put_str(aib_buf_t *b, const char *key, const char *v)
{
    int rc = aib_buf_printf(b, ",\"%s\":", key);

    return rc ? rc : aib_buf_json_str(b, v ? v : "", v ? strlen(v) : 0);
}

int aib_registry_record_json(const aib_registry_record_t *r, aib_buf_t *out)
{
    int rc = aib_buf_puts(out, "{\"id\":");

    if (!rc) rc = aib_buf_json_str(out, r->id, strlen(r->id));
    if (!rc) rc = put_str(out, "type", aib_registry_type_name(r->type));
    if (!rc) rc = put_str(out, "nation", r->nation);
    if (!rc) rc = put_str(out, "label", r->label);
    if (!rc) rc = put_str(out, "title", r->title);
    if (!rc) rc = put_str(out, "summary", r->summary);
    if (!rc) rc = put_list(out, "areas", r->areas, r->n_areas);
    if (!rc) rc = put_list(out, "nations", r->nations, r->n_nations);
    if (!rc) rc = put_str(out, "performer", r->performer);
    if (!rc) rc = put_str(out, "contact", r->contact);
    if (!rc) rc = put_str(out, "start", r->start);
    if (!rc) rc = put_str(out, "end", r->end);
    if (!rc) rc = aib_buf_printf(out, ",\"details\":%s", r->details && r->details[0] ? r->details : "{}");
    if (!rc) rc = aib_buf_printf(out, ",\"updated_at\":%lld", (long long)r->updated_at);
    if (!rc) rc = put_str(out, "origin", r->origin);
    if (!rc) rc = aib_buf_putc(out, '}');
    return rc;
}
