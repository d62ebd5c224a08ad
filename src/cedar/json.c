/* json.c — Cedar's JSON value form to engine values. Entity attributes and tags (entities.c),
 * request contexts and uids (request.c) all come through here. Without a type, values follow
 * the plain form with the `__entity` / `__extn` escapes; with a schema type the conversion is
 * type-directed as in the reference (escapes may be implicit), and aib__json_conforms checks
 * the result. Everything produced lives in the caller's arena. */
#include "cedar/json_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH_CAP 512
#define ERR_CAP 384

/* ---- Loading ------------------------------------------------------------------------------ */

/* U+FDD0 (a Unicode noncharacter) in UTF-8; see aib__json_load. */
static const char MARK[3] = { (char)0xEF, (char)0xB7, (char)0x90 };

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Value of the 4 hex digits at s (n bytes available), or -1. */
static long hex4(const char *s, size_t n)
{
    long v = 0;
    size_t i;
    if (n < 4)
        return -1;
    for (i = 0; i < 4; i++) {
        int h = hexval(s[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Re-encodes NUL escapes and U+FDD0 inside strings (see json_int.h). Returns a malloc'd text
 * in *out (NULL when nothing needs re-encoding). */
static int encode_nul(const char *t, size_t n, char **out, size_t *out_len)
{
    size_t i, o = 0;
    bool in_str = false, need = false;
    char *b;

    *out = NULL;
    for (i = 0; i < n; i++) {
        if (i + 5 < n && t[i] == '\\' && t[i + 1] == 'u') {
            long v = hex4(t + i + 2, n - i - 2);
            if (v == 0 || v == 0xFDD0) {
                need = true;
                break;
            }
        }
        if (i + 2 < n && memcmp(t + i, MARK, 3) == 0) {
            need = true;
            break;
        }
    }
    if (!need)
        return 0;
    if (n > (SIZE_MAX - 16) / 2)
        return AIB_ELIMIT;
    b = malloc(n * 2 + 16);
    if (!b)
        return AIB_ENOMEM;
    for (i = 0; i < n;) {
        char ch = t[i];
        if (!in_str) {
            if (ch == '"')
                in_str = true;
            b[o++] = t[i++];
            continue;
        }
        if (ch == '"') {
            in_str = false;
            b[o++] = t[i++];
            continue;
        }
        if (ch == '\\' && i + 1 < n) {
            if (t[i + 1] == 'u') {
                long v = hex4(t + i + 2, n - i - 2);
                if (v == 0 || v == 0xFDD0) {
                    memcpy(b + o, MARK, 3);
                    o += 3;
                    b[o++] = v == 0 ? '0' : '1';
                    i += 6;
                    continue;
                }
            }
            b[o++] = t[i++];
            b[o++] = t[i++];
            continue;
        }
        if (i + 2 < n && memcmp(t + i, MARK, 3) == 0) {
            memcpy(b + o, MARK, 3);
            o += 3;
            b[o++] = '1';
            i += 3;
            continue;
        }
        b[o++] = t[i++];
    }
    *out = b;
    *out_len = o;
    return 0;
}

json_t *aib__json_load(const char *text, size_t len, const char *file, aib_diag_t *diag, int *rc)
{
    json_error_t jerr;
    json_t *root;
    char *enc = NULL;
    size_t enc_len = 0;

    if (len > AIB_CEDAR_MAX_TEXT) {
        aib_diag_set(diag, file, 0, 0, "input is %zu bytes; the limit is %u", len,
                     (unsigned)AIB_CEDAR_MAX_TEXT);
        *rc = AIB_ELIMIT;
        return NULL;
    }
    *rc = encode_nul(text ? text : "", text ? len : 0, &enc, &enc_len);
    if (*rc != 0) {
        aib_diag_set(diag, file, 0, 0, "%s", *rc == AIB_ENOMEM ? "out of memory" : "input too large");
        return NULL;
    }
    if (enc)
        root = json_loadb(enc, enc_len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
    else
        root = json_loadb(text ? text : "", text ? len : 0, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
                          &jerr);
    free(enc);
    if (!root) {
        /* jansson reports line/column of the offending token; column is in characters. */
        aib_diag_set(diag, file, jerr.line > 0 ? jerr.line : 0, jerr.column > 0 ? jerr.column : 0,
                     "invalid JSON: %s", jerr.text);
        *rc = AIB_EPARSE;
        return NULL;
    }
    *rc = 0;
    return root;
}

static const char *find_mark(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i + 2 < n; i++)
        if (s[i] == MARK[0] && memcmp(s + i, MARK, 3) == 0)
            return s + i;
    return NULL;
}

int aib__json_str(aib_arena_t *arena, const char *s, size_t n, aib_str_t *out)
{
    char *d;
    size_t i, o = 0;

    if (!find_mark(s, n)) {
        *out = aib_arena_str(arena, s, n);
        return out->ptr ? 0 : AIB_ENOMEM;
    }
    d = aib_arena_alloc(arena, n + 1);
    if (!d)
        return AIB_ENOMEM;
    for (i = 0; i < n;) {
        if (i + 3 < n && memcmp(s + i, MARK, 3) == 0 && (s[i + 3] == '0' || s[i + 3] == '1')) {
            if (s[i + 3] == '0') {
                d[o++] = '\0';
            } else {
                memcpy(d + o, MARK, 3);
                o += 3;
            }
            i += 4;
            continue;
        }
        d[o++] = s[i++];
    }
    d[o] = '\0';
    out->ptr = d;
    out->len = o;
    return 0;
}

const json_t *aib__json_getn(const json_t *obj, aib_str_t key)
{
    char small[256], *buf;
    const json_t *r;
    size_t i, o = 0;
    bool plain = true;

    for (i = 0; i < key.len && plain; i++)
        if (key.ptr[i] == '\0' || (i + 2 < key.len && memcmp(key.ptr + i, MARK, 3) == 0))
            plain = false;
    if (plain)
        return json_object_getn(obj, key.ptr ? key.ptr : "", key.len);
    buf = key.len * 4 + 1 <= sizeof(small) ? small : malloc(key.len * 4 + 1);
    if (!buf)
        return NULL;
    for (i = 0; i < key.len;) {
        if (key.ptr[i] == '\0') {
            memcpy(buf + o, MARK, 3);
            o += 3;
            buf[o++] = '0';
            i++;
        } else if (i + 2 < key.len && memcmp(key.ptr + i, MARK, 3) == 0) {
            memcpy(buf + o, MARK, 3);
            o += 3;
            buf[o++] = '1';
            i += 3;
        } else {
            buf[o++] = key.ptr[i++];
        }
    }
    r = json_object_getn(obj, buf, o);
    if (buf != small)
        free(buf);
    return r;
}

/* ---- Names ----------------------------------------------------------------------------------- */

static bool ident_ok(const char *s, size_t n)
{
    static const char *const reserved[] = { "true", "false", "if", "then", "else",
                                            "in", "is", "like", "has", "__cedar" };
    size_t i;

    if (n == 0)
        return false;
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_'))
        return false;
    for (i = 1; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return false;
    }
    for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
        if (strlen(reserved[i]) == n && memcmp(reserved[i], s, n) == 0)
            return false;
    return true;
}

bool aib__json_valid_name(const char *s, size_t n)
{
    size_t start = 0, i = 0;

    if (!s || n == 0)
        return false;
    while (i <= n) {
        if (i == n || (s[i] == ':' && i + 1 < n && s[i + 1] == ':')) {
            if (!ident_ok(s + start, i - start))
                return false;
            if (i == n)
                break;
            i += 2;
            start = i;
            if (start == n)
                return false; /* trailing `::` */
            continue;
        }
        i++;
    }
    return true;
}

/* ---- Message helpers ---------------------------------------------------------------------- */

static void subpath(char *dst, size_t cap, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void subpath(char *dst, size_t cap, const char *path, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(dst, cap, "%s", path ? path : "value");
    if (n < 0 || (size_t)n >= cap)
        return;
    va_start(ap, fmt);
    vsnprintf(dst + n, cap - (size_t)n, fmt, ap);
    va_end(ap);
}

void aib__json_uid_str(const aib__uid_t *u, char *dst, size_t cap)
{
    aib_buf_t b;

    if (!cap)
        return;
    dst[0] = '\0';
    if (!u)
        return;
    aib_buf_init(&b);
    if (aib__uid_format(u, &b) == 0 && b.data)
        snprintf(dst, cap, "%s", b.data);
    else
        snprintf(dst, cap, "%.*s::\"%.*s\"", (int)(u->type.len > 200 ? 200 : u->type.len),
                 u->type.ptr, (int)(u->id.len > 200 ? 200 : u->id.len), u->id.ptr);
    aib_buf_free(&b);
}

void aib__json_type_str(const aib__type_t *t, char *dst, size_t cap)
{
    char inner[160];

    if (!cap)
        return;
    if (!t) {
        snprintf(dst, cap, "any");
        return;
    }
    switch (t->kind) {
    case AIB__T_BOOL: snprintf(dst, cap, "bool"); break;
    case AIB__T_LONG: snprintf(dst, cap, "long"); break;
    case AIB__T_STRING: snprintf(dst, cap, "string"); break;
    case AIB__T_ENTITY:
        snprintf(dst, cap, "`%.*s`", (int)(t->name.len > 200 ? 200 : t->name.len), t->name.ptr);
        break;
    case AIB__T_SET:
        aib__json_type_str(t->elem, inner, sizeof(inner));
        snprintf(dst, cap, "set of %s", inner);
        break;
    case AIB__T_RECORD: snprintf(dst, cap, "record"); break;
    case AIB__T_EXT:
        snprintf(dst, cap, "%.*s", (int)(t->name.len > 200 ? 200 : t->name.len), t->name.ptr);
        break;
    default: snprintf(dst, cap, "unknown type"); break;
    }
}

void aib__json_value_kind_str(const aib__value_t *v, char *dst, size_t cap)
{
    if (!cap)
        return;
    if (v->kind == AIB__V_ENTITY)
        snprintf(dst, cap, "entity of type `%.*s`",
                 (int)(v->u.uid->type.len > 200 ? 200 : v->u.uid->type.len), v->u.uid->type.ptr);
    else if (v->kind == AIB__V_IP)
        snprintf(dst, cap, "ipaddr");
    else
        snprintf(dst, cap, "%s", aib__vkind_name(v->kind));
}

/* Short JSON text of j for messages (at most ~120 bytes). */
static void json_snippet(const json_t *j, char *dst, size_t cap)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!cap)
        return;
    if (!s) {
        snprintf(dst, cap, "(value)");
        return;
    }
    if (strlen(s) > 120)
        snprintf(dst, cap, "%.117s...", s);
    else
        snprintf(dst, cap, "%s", s);
    free(s);
}

aib__record_t *aib__json_empty_record(aib_arena_t *arena)
{
    return aib_arena_calloc(arena, 1, sizeof(aib__record_t));
}

/* ---- Entity uids ------------------------------------------------------------------------- */

static bool is_str(const json_t *j) { return j && json_is_string(j); }

/* The reference's TypeAndId: an object with string "type" and "id" (other keys ignored), or
 * the array [type, id] (serde reads a struct from a sequence too). */
static bool type_and_id(const json_t *j, const json_t **ty, const json_t **id)
{
    if (json_is_object(j)) {
        *ty = json_object_get(j, "type");
        *id = json_object_get(j, "id");
        return is_str(*ty) && is_str(*id);
    }
    if (json_is_array(j) && json_array_size(j) == 2) {
        *ty = json_array_get(j, 0);
        *id = json_array_get(j, 1);
        return is_str(*ty) && is_str(*id);
    }
    return false;
}

static int make_uid(const json_t *ty, const json_t *id, aib_arena_t *arena, const char *path,
                    aib__uid_t **out, aib_diag_t *diag)
{
    const char *t = json_string_value(ty);
    size_t tn = json_string_length(ty);
    aib_str_t ts, is;

    if (!aib__json_valid_name(t, tn)) {
        aib_diag_set(diag, NULL, 0, 0, "%s: invalid entity type name \"%.*s\"", path,
                     (int)(tn > 200 ? 200 : tn), t);
        return AIB_EINVAL;
    }
    if (aib__json_str(arena, t, tn, &ts) != 0 ||
        aib__json_str(arena, json_string_value(id), json_string_length(id), &is) != 0)
        return AIB_ENOMEM;
    *out = aib__uid_new(arena, ts, is);
    return *out ? 0 : AIB_ENOMEM;
}

int aib__json_uid(const json_t *j, bool allow_string, aib_arena_t *arena, const char *path,
                  aib__uid_t **out, aib_diag_t *diag)
{
    const json_t *ty = NULL, *id = NULL, *esc;
    char snip[160];

    *out = NULL;
    if (!path)
        path = "entity uid";
    if (allow_string && json_is_string(j)) {
        aib_diag_t d2;
        int rc;
        aib_diag_clear(&d2);
        aib_str_t txt;
        if (aib__json_str(arena, json_string_value(j), json_string_length(j), &txt) != 0)
            return AIB_ENOMEM;
        rc = aib__parse_uid(txt.ptr, txt.len, arena, out, &d2);
        if (rc != 0) {
            if (rc == AIB_ENOMEM)
                return rc;
            aib_diag_set(diag, NULL, 0, 0, "%s: invalid entity uid: %s", path, d2.msg);
            *out = NULL;
            return AIB_EINVAL;
        }
        if (!aib__json_valid_name((*out)->type.ptr, (*out)->type.len)) {
            aib_diag_set(diag, NULL, 0, 0, "%s: invalid entity type name \"%.*s\"", path,
                         (int)((*out)->type.len > 200 ? 200 : (*out)->type.len), (*out)->type.ptr);
            *out = NULL;
            return AIB_EINVAL;
        }
        return 0;
    }
    if (json_is_object(j)) {
        const json_t *ex = json_object_get(j, "__expr");
        if (is_str(ex)) {
            aib_diag_set(diag, NULL, 0, 0, "%s: the `__expr` escape is no longer supported", path);
            return AIB_EINVAL;
        }
        esc = json_object_get(j, "__entity");
        if (esc && type_and_id(esc, &ty, &id))
            return make_uid(ty, id, arena, path, out, diag);
        if (type_and_id(j, &ty, &id))
            return make_uid(ty, id, arena, path, out, diag);
    } else if (json_is_array(j)) {
        if (json_array_size(j) == 1 && is_str(json_array_get(j, 0))) {
            aib_diag_set(diag, NULL, 0, 0, "%s: the `__expr` escape is no longer supported", path);
            return AIB_EINVAL;
        }
        if (type_and_id(j, &ty, &id))
            return make_uid(ty, id, arena, path, out, diag);
    }
    json_snippet(j, snip, sizeof(snip));
    aib_diag_set(diag, NULL, 0, 0,
                 "%s: expected a literal entity reference like {\"type\": \"SomeType\", \"id\": "
                 "\"SomeId\"}, but got `%s`",
                 path, snip);
    return AIB_EINVAL;
}

int aib__json_to_uid(const struct json_t *j, aib_arena_t *arena, const char *path, aib__uid_t **out,
                     aib_diag_t *diag)
{
    return aib__json_uid(j, true, arena, path, out, diag);
}

/* ---- Extension functions ------------------------------------------------------------------- */

static const aib__type_t T_STRING = { .kind = AIB__T_STRING };
static const aib__type_t T_DECIMAL = { .kind = AIB__T_EXT, .name = { "decimal", 7 } };
static const aib__type_t T_IPADDR = { .kind = AIB__T_EXT, .name = { "ipaddr", 6 } };
static const aib__type_t T_DATETIME = { .kind = AIB__T_EXT, .name = { "datetime", 8 } };
static const aib__type_t T_DURATION = { .kind = AIB__T_EXT, .name = { "duration", 8 } };

/* Argument types of extension function fn (for type-directed parsing of escape arguments);
 * returns the count. */
static size_t ext_arg_types(int fn, const aib__type_t *types[2])
{
    switch (fn) {
    case AIB__FN_DECIMAL:
    case AIB__FN_IP:
    case AIB__FN_DATETIME:
    case AIB__FN_DURATION:
        types[0] = &T_STRING;
        return 1;
    case AIB__FN_LESS_THAN:
    case AIB__FN_LESS_THAN_OR_EQUAL:
    case AIB__FN_GREATER_THAN:
    case AIB__FN_GREATER_THAN_OR_EQUAL:
        types[0] = types[1] = &T_DECIMAL;
        return 2;
    case AIB__FN_IS_IPV4:
    case AIB__FN_IS_IPV6:
    case AIB__FN_IS_LOOPBACK:
    case AIB__FN_IS_MULTICAST:
        types[0] = &T_IPADDR;
        return 1;
    case AIB__FN_IS_IN_RANGE:
        types[0] = types[1] = &T_IPADDR;
        return 2;
    case AIB__FN_OFFSET:
        types[0] = &T_DATETIME;
        types[1] = &T_DURATION;
        return 2;
    case AIB__FN_DURATION_SINCE:
        types[0] = types[1] = &T_DATETIME;
        return 2;
    case AIB__FN_TO_DATE:
    case AIB__FN_TO_TIME:
        types[0] = &T_DATETIME;
        return 1;
    case AIB__FN_TO_MILLISECONDS:
    case AIB__FN_TO_SECONDS:
    case AIB__FN_TO_MINUTES:
    case AIB__FN_TO_HOURS:
    case AIB__FN_TO_DAYS:
        types[0] = &T_DURATION;
        return 1;
    default:
        return 0;
    }
}

/* Extension function by its escape name; -1 when there is none. Escapes name functions and
 * methods alike ("ip", "lessThan"); built-in methods are not extension functions. */
static int ext_lookup(const char *name, size_t n)
{
    aib_str_t s;
    int fn;

    s.ptr = name;
    s.len = n;
    fn = aib__fn_lookup(s, false);
    if (fn < (int)AIB__FN_FIRST_EXT)
        fn = aib__fn_lookup(s, true);
    if (fn < (int)AIB__FN_FIRST_EXT || fn >= (int)AIB__FN__COUNT)
        return -1;
    return fn;
}

/* Schema extension type names with their constructor function and value kind. */
static const struct {
    const char *name;
    int fn;
    int kind;
} ext_types[] = {
    { "decimal", AIB__FN_DECIMAL, AIB__V_DECIMAL },
    { "ipaddr", AIB__FN_IP, AIB__V_IP },
    { "datetime", AIB__FN_DATETIME, AIB__V_DATETIME },
    { "duration", AIB__FN_DURATION, AIB__V_DURATION },
};

/* Index into ext_types of a schema extension type name, -1 when unknown. */
static int ext_type(aib_str_t name)
{
    size_t i;
    for (i = 0; i < sizeof(ext_types) / sizeof(ext_types[0]); i++)
        if (aib_str_eq_cstr(name, ext_types[i].name))
            return (int)i;
    return -1;
}

static int ext_ctor_for(aib_str_t type_name)
{
    int i = ext_type(type_name);
    return i < 0 ? -1 : ext_types[i].fn;
}

/* ---- Conversion ----------------------------------------------------------------------------- */

typedef struct jctx {
    aib_arena_t *arena;
    aib_diag_t *diag;
} jctx_t;

static int conv(jctx_t *c, const json_t *j, const aib__type_t *t, const char *path, int depth,
                aib__value_t *out);

static int fail(jctx_t *c, int rc, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(jctx_t *c, int rc, const char *path, const char *fmt, ...)
{
    char msg[ERR_CAP];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    aib_diag_set(c->diag, NULL, 0, 0, "%s: %s", path, msg);
    return rc;
}

/* Calls extension function fn on the converted args. */
static int ext_apply(jctx_t *c, int fn, const aib__value_t *args, size_t n, const char *path,
                     aib__value_t *out)
{
    char err[ERR_CAP];
    int rc;

    err[0] = '\0';
    rc = aib__ext_call(fn, args, n, c->arena, out, err, sizeof(err));
    if (rc == AIB_ENOMEM)
        return rc;
    if (rc != 0)
        return fail(c, AIB_EINVAL, path, "failed to evaluate `%s`: %s", aib__fn_table[fn].name,
                    err[0] ? err : "invalid arguments");
    return 0;
}

/* `__extn` escape {fn, arg} or {fn, args}; typed: arguments are parsed by the function's
 * argument types and the count is checked first, as the reference does for typed values. */
static int conv_extn(jctx_t *c, const json_t *fnj, const json_t *arg, const json_t *args,
                     bool typed, const char *path, int depth, aib__value_t *out)
{
    const char *name = json_string_value(fnj);
    size_t nlen = json_string_length(fnj);
    aib__value_t vals[4];
    const aib__type_t *types[2] = { NULL, NULL };
    size_t n, i, want;
    char sub[PATH_CAP];
    int fn, rc;

    if (!aib__json_valid_name(name, nlen))
        return fail(c, AIB_EINVAL, path, "failed to parse escape `__extn`: invalid function name \"%.*s\"",
                    (int)(nlen > 200 ? 200 : nlen), name);
    fn = ext_lookup(name, nlen);
    if (fn < 0)
        return fail(c, AIB_EINVAL, path, "extension function `%.*s` does not exist",
                    (int)(nlen > 200 ? 200 : nlen), name);
    n = arg ? 1 : json_array_size(args);
    want = ext_arg_types(fn, types);
    if (typed && n != want)
        return fail(c, AIB_EINVAL, path, "`%s` expects %zu argument%s, got %zu",
                    aib__fn_table[fn].name, want, want == 1 ? "" : "s", n);
    if (n > sizeof(vals) / sizeof(vals[0]))
        return fail(c, AIB_EINVAL, path, "`%s` expects %zu argument%s, got %zu",
                    aib__fn_table[fn].name, want, want == 1 ? "" : "s", n);
    for (i = 0; i < n; i++) {
        const json_t *a = arg ? arg : json_array_get(args, i);
        subpath(sub, sizeof(sub), path, ", argument %zu of `%s`", i + 1, aib__fn_table[fn].name);
        rc = conv(c, a, typed && i < want ? types[i] : NULL, sub, depth + 1, &vals[i]);
        if (rc != 0)
            return rc;
    }
    return ext_apply(c, fn, vals, n, path, out);
}

/* Detects the {fn, arg} / {fn, args} shape (the reference's FnAndArgs). */
static bool fn_and_args(const json_t *o, const json_t **fnj, const json_t **arg, const json_t **args)
{
    if (!json_is_object(o))
        return false;
    *fnj = json_object_get(o, "fn");
    if (!is_str(*fnj))
        return false;
    *arg = json_object_get(o, "arg");
    *args = NULL;
    if (*arg)
        return true;
    *args = json_object_get(o, "args");
    return *args && json_is_array(*args);
}

/* A JSON array as a set; elements typed by elem (NULL: untyped). */
static int conv_set(jctx_t *c, const json_t *j, const aib__type_t *elem, const char *path, int depth,
                    aib__value_t *out)
{
    size_t n = json_array_size(j), i;
    aib__value_t *items = NULL;
    aib__set_t *set;
    char sub[PATH_CAP];
    int rc;

    if (n) {
        items = aib_arena_calloc(c->arena, n, sizeof(*items));
        if (!items)
            return AIB_ENOMEM;
    }
    for (i = 0; i < n; i++) {
        subpath(sub, sizeof(sub), path, ", set element %zu", i);
        rc = conv(c, json_array_get(j, i), elem, sub, depth + 1, &items[i]);
        if (rc != 0)
            return rc;
    }
    set = aib__set_make(c->arena, items, n);
    if (!set)
        return AIB_ENOMEM;
    out->kind = AIB__V_SET;
    out->u.set = set;
    return 0;
}

static int conv_untyped_record(jctx_t *c, const json_t *j, const char *path, int depth,
                               aib__value_t *out)
{
    size_t n = json_object_size(j), i = 0, klen;
    aib__field_t *fields = NULL;
    aib__record_t *rec = NULL;
    aib_str_t dup;
    const char *key;
    json_t *val;
    char sub[PATH_CAP];
    int rc;

    if (n) {
        fields = aib_arena_calloc(c->arena, n, sizeof(*fields));
        if (!fields)
            return AIB_ENOMEM;
    }
    json_object_keylen_foreach((json_t *)j, key, klen, val) {
        subpath(sub, sizeof(sub), path, ", record attribute `%.*s`", (int)(klen > 100 ? 100 : klen), key);
        rc = conv(c, val, NULL, sub, depth + 1, &fields[i].val);
        if (rc != 0)
            return rc;
        if (aib__json_str(c->arena, key, klen, &fields[i].key) != 0)
            return AIB_ENOMEM;
        i++;
    }
    rc = aib__record_make(c->arena, fields, i, &rec, &dup);
    if (rc == AIB_EEXIST)
        return fail(c, AIB_EINVAL, path, "duplicate key `%.*s` in record",
                    (int)(dup.len > 100 ? 100 : dup.len), dup.ptr);
    if (rc != 0)
        return rc;
    out->kind = AIB__V_RECORD;
    out->u.rec = rec;
    return 0;
}

/* The reference's plain value form: single-key objects may be escapes, other objects are
 * records; floats and nulls are errors. */
static int conv_untyped(jctx_t *c, const json_t *j, const char *path, int depth, aib__value_t *out)
{
    int rc;

    switch (json_typeof(j)) {
    case JSON_TRUE:
    case JSON_FALSE:
        *out = aib__v_bool(json_is_true(j));
        return 0;
    case JSON_INTEGER:
        *out = aib__v_long((int64_t)json_integer_value(j));
        return 0;
    case JSON_REAL:
        return fail(c, AIB_EINVAL, path,
                    "found the number %.17g; Cedar has no floating-point values (longs are "
                    "64-bit integers; use decimal(\"...\") for fractions)",
                    json_real_value(j));
    case JSON_NULL:
        return fail(c, AIB_EINVAL, path, "found a `null`; JSON nulls are not allowed in Cedar");
    case JSON_STRING:
        out->kind = AIB__V_STRING;
        return aib__json_str(c->arena, json_string_value(j), json_string_length(j), &out->u.s);
    case JSON_ARRAY:
        return conv_set(c, j, NULL, path, depth, out);
    case JSON_OBJECT:
        if (json_object_size(j) == 1) {
            const json_t *v;
            if ((v = json_object_get(j, "__extn")) != NULL) {
                const json_t *fnj, *arg, *args;
                /* the escape needs at least "fn" and "arg"/"args"; otherwise a record */
                if (json_object_size(v) >= 2 && fn_and_args(v, &fnj, &arg, &args))
                    return conv_extn(c, fnj, arg, args, false, path, depth, out);
            } else if ((v = json_object_get(j, "__expr")) != NULL) {
                if (json_is_string(v))
                    return fail(c, AIB_EINVAL, path,
                                "the `__expr` escape is no longer supported; use `__entity` for "
                                "entity references and `__extn` for extension values");
            } else if ((v = json_object_get(j, "__entity")) != NULL) {
                const json_t *ty, *id;
                if (json_is_object(v) && json_object_size(v) >= 2 && type_and_id(v, &ty, &id)) {
                    aib__uid_t *u;
                    rc = make_uid(ty, id, c->arena, path, &u, c->diag);
                    if (rc != 0)
                        return rc;
                    out->kind = AIB__V_ENTITY;
                    out->u.uid = u;
                    return 0;
                }
            }
        }
        return conv_untyped_record(c, j, path, depth, out);
    }
    return fail(c, AIB_EINVAL, path, "unsupported JSON value");
}

static int mismatch(jctx_t *c, const json_t *j, const aib__type_t *t, const char *path, int depth)
{
    aib__value_t v;
    char want[160], got[160];
    int rc;

    /* The reference converts the value first, so its own errors take precedence. */
    rc = conv_untyped(c, j, path, depth, &v);
    if (rc != 0)
        return rc;
    aib__json_type_str(t, want, sizeof(want));
    aib__json_value_kind_str(&v, got, sizeof(got));
    return fail(c, AIB_ESCHEMA, path, "expected %s, found %s", want, got);
}

static int conv_typed_record(jctx_t *c, const json_t *j, const aib__type_t *t, const char *path,
                             int depth, aib__value_t *out)
{
    aib__field_t *fields = NULL;
    aib__record_t *rec = NULL;
    aib_str_t dup;
    size_t i, n = 0, klen;
    const char *key;
    json_t *val;
    char sub[PATH_CAP];
    int rc;

    if (!json_is_object(j))
        return mismatch(c, j, t, path, depth);
    if (t->n_attrs) {
        fields = aib_arena_calloc(c->arena, t->n_attrs, sizeof(*fields));
        if (!fields)
            return AIB_ENOMEM;
    }
    for (i = 0; i < t->n_attrs; i++) {
        const aib__attr_type_t *at = &t->attrs[i];
        const json_t *aj = aib__json_getn(j, at->name);
        if (!aj) {
            if (at->required)
                return fail(c, AIB_ESCHEMA, path,
                            "expected the record to have an attribute `%.*s`, but it does not",
                            (int)(at->name.len > 100 ? 100 : at->name.len), at->name.ptr);
            continue;
        }
        subpath(sub, sizeof(sub), path, ", record attribute `%.*s`",
                (int)(at->name.len > 100 ? 100 : at->name.len), at->name.ptr);
        rc = conv(c, aj, at->type, sub, depth + 1, &fields[n].val);
        if (rc != 0)
            return rc;
        fields[n].key = at->name;
        n++;
    }
    if (!t->open && json_object_size(j) > n) {
        json_object_keylen_foreach((json_t *)j, key, klen, val) {
            aib_str_t k;
            bool known = false;
            (void)val;
            if (aib__json_str(c->arena, key, klen, &k) != 0)
                return AIB_ENOMEM;
            for (i = 0; i < t->n_attrs && !known; i++)
                known = aib_str_eq(t->attrs[i].name, k);
            if (!known)
                return fail(c, AIB_ESCHEMA, path,
                            "record attribute `%.*s` should not exist according to the schema",
                            (int)(klen > 100 ? 100 : klen), key);
        }
    }
    /* In an open record type, attributes the type does not name are dropped, as the reference's
     * type-directed parser does. */
    rc = aib__record_make(c->arena, fields, n, &rec, &dup);
    if (rc == AIB_EEXIST)
        return fail(c, AIB_EINVAL, path, "duplicate key `%.*s` in record",
                    (int)(dup.len > 100 ? 100 : dup.len), dup.ptr);
    if (rc != 0)
        return rc;
    out->kind = AIB__V_RECORD;
    out->u.rec = rec;
    return 0;
}

static int conv_typed_ext(jctx_t *c, const json_t *j, const aib__type_t *t, const char *path,
                          int depth, aib__value_t *out)
{
    const json_t *fnj, *arg, *args, *v;
    aib__value_t a;
    char want[160];
    int fn, rc;

    if (json_is_object(j)) {
        v = json_object_get(j, "__expr");
        if (v && json_is_string(v))
            return fail(c, AIB_EINVAL, path, "the `__expr` escape is no longer supported");
        v = json_object_get(j, "__extn");
        if (v && fn_and_args(v, &fnj, &arg, &args))
            return conv_extn(c, fnj, arg, args, true, path, depth, out);
        if (fn_and_args(j, &fnj, &arg, &args))
            return conv_extn(c, fnj, arg, args, true, path, depth, out);
    }
    /* Implicit constructor: the plain value is the constructor's (string) argument. */
    fn = ext_ctor_for(t->name);
    if (fn < 0) {
        aib__json_type_str(t, want, sizeof(want));
        return fail(c, AIB_ESCHEMA, path, "no constructor for extension type %s", want);
    }
    rc = conv_untyped(c, j, path, depth, &a);
    if (rc != 0)
        return rc;
    return ext_apply(c, fn, &a, 1, path, out);
}

static int conv(jctx_t *c, const json_t *j, const aib__type_t *t, const char *path, int depth,
                aib__value_t *out)
{
    if (depth > AIB_CEDAR_MAX_DEPTH)
        return fail(c, AIB_ELIMIT, path, "value nested deeper than %d levels", AIB_CEDAR_MAX_DEPTH);
    if (json_is_object(j)) {
        /* `unknown` values exist only for partial evaluation, which aib does not do. */
        const json_t *e = json_object_get(j, "__extn"), *fnj;
        if (e && json_is_object(e) && (fnj = json_object_get(e, "fn")) != NULL &&
            json_is_string(fnj) && strcmp(json_string_value(fnj), "unknown") == 0 &&
            is_str(json_object_get(e, "arg")))
            return fail(c, AIB_EINVAL, path, "unknown values (partial evaluation) are not supported");
    }
    if (!t)
        return conv_untyped(c, j, path, depth, out);
    switch (t->kind) {
    case AIB__T_ENTITY: {
        aib__uid_t *u;
        int rc = aib__json_uid(j, false, c->arena, path, &u, c->diag);
        if (rc != 0)
            return rc;
        out->kind = AIB__V_ENTITY;
        out->u.uid = u;
        return 0;
    }
    case AIB__T_EXT:
        return conv_typed_ext(c, j, t, path, depth, out);
    case AIB__T_SET:
        if (!json_is_array(j))
            return mismatch(c, j, t, path, depth);
        return conv_set(c, j, t->elem, path, depth, out);
    case AIB__T_RECORD:
        return conv_typed_record(c, j, t, path, depth, out);
    default:
        /* bool / long / string: the plain form; the type is checked afterwards */
        return conv_untyped(c, j, path, depth, out);
    }
}

int aib__json_to_value(const struct json_t *j, const aib__type_t *type, const aib_cedar_schema_t *schema,
                       aib_arena_t *arena, const char *path, int depth, aib__value_t *out, aib_diag_t *diag)
{
    jctx_t c;
    (void)schema;
    c.arena = arena;
    c.diag = diag;
    if (!j || !out || !arena)
        return AIB_EINVAL;
    return conv(&c, j, type, path ? path : "value", depth, out);
}

/* ---- Schema checks ------------------------------------------------------------------------ */

static int ext_kind_of(aib_str_t name)
{
    int i = ext_type(name);
    return i < 0 ? -1 : ext_types[i].kind;
}

static bool conforms(const aib__value_t *v, const aib__type_t *t, char *why, size_t cap, int depth)
{
    char want[160], got[160];
    bool ok;
    size_t i;

    if (!t)
        return true;
    if (depth > AIB_CEDAR_MAX_DEPTH + 2) {
        snprintf(why, cap, "value nested too deeply");
        return false;
    }
    switch (t->kind) {
    case AIB__T_BOOL: ok = v->kind == AIB__V_BOOL; break;
    case AIB__T_LONG: ok = v->kind == AIB__V_LONG; break;
    case AIB__T_STRING: ok = v->kind == AIB__V_STRING; break;
    case AIB__T_ENTITY: ok = v->kind == AIB__V_ENTITY && aib_str_eq(v->u.uid->type, t->name); break;
    case AIB__T_EXT: ok = (int)v->kind == ext_kind_of(t->name); break;
    case AIB__T_SET:
        if (v->kind != AIB__V_SET) {
            ok = false;
            break;
        }
        for (i = 0; i < v->u.set->n; i++)
            if (!conforms(&v->u.set->items[i], t->elem, why, cap, depth + 1))
                return false;
        return true;
    case AIB__T_RECORD:
        if (v->kind != AIB__V_RECORD) {
            ok = false;
            break;
        }
        for (i = 0; i < t->n_attrs; i++) {
            const aib__value_t *f = aib__record_get(v->u.rec, t->attrs[i].name);
            if (!f) {
                if (t->attrs[i].required) {
                    snprintf(why, cap, "record is missing the required attribute `%.*s`",
                             (int)(t->attrs[i].name.len > 100 ? 100 : t->attrs[i].name.len),
                             t->attrs[i].name.ptr);
                    return false;
                }
                continue;
            }
            if (!conforms(f, t->attrs[i].type, why, cap, depth + 1))
                return false;
        }
        /* Attributes the type does not name only reach here through open record types; the
         * reference's consistency check accepts them. */
        return true;
    default: ok = false; break;
    }
    if (!ok) {
        aib__json_type_str(t, want, sizeof(want));
        aib__json_value_kind_str(v, got, sizeof(got));
        snprintf(why, cap, "expected %s, found %s", want, got);
    }
    return ok;
}

bool aib__json_conforms(const aib__value_t *v, const aib__type_t *t, char *why, size_t cap)
{
    if (cap)
        why[0] = '\0';
    return conforms(v, t, why, cap, 0);
}

int aib__json_check_enum_uid(const aib_cedar_schema_t *s, const aib__uid_t *u, char *why, size_t cap)
{
    const aib__entity_type_t *et;
    char us[256];
    size_t i;

    if (!s || !u)
        return 0;
    et = aib__schema_entity_type(s, u->type);
    if (!et || et->n_enum == 0)
        return 0;
    for (i = 0; i < et->n_enum; i++)
        if (aib_str_eq(et->enum_ids[i], u->id))
            return 0;
    aib__json_uid_str(u, us, sizeof(us));
    snprintf(why, cap, "entity `%s` is of an enumerated entity type, but \"%.*s\" is not declared as a valid eid",
             us, (int)(u->id.len > 100 ? 100 : u->id.len), u->id.ptr);
    return AIB_ESCHEMA;
}

int aib__json_check_enum_value(const aib_cedar_schema_t *s, const aib__value_t *v, char *why,
                               size_t cap)
{
    size_t i;
    int rc;

    if (!s)
        return 0;
    switch (v->kind) {
    case AIB__V_ENTITY:
        return aib__json_check_enum_uid(s, v->u.uid, why, cap);
    case AIB__V_SET:
        for (i = 0; i < v->u.set->n; i++)
            if ((rc = aib__json_check_enum_value(s, &v->u.set->items[i], why, cap)) != 0)
                return rc;
        return 0;
    case AIB__V_RECORD:
        for (i = 0; i < v->u.rec->n; i++)
            if ((rc = aib__json_check_enum_value(s, &v->u.rec->fields[i].val, why, cap)) != 0)
                return rc;
        return 0;
    default:
        return 0;
    }
}
