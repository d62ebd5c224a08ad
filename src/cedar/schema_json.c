/* schema_json.c — reader for Cedar's JSON schema form ({"NS": {"entityTypes", "actions",
 * "commonTypes", "annotations"}}) into the unresolved form of schema_int.h, with jansson.
 * Unknown fields are rejected as the reference does; messages name the place by its path
 * (namespace, declaration, attribute) since JSON values carry no positions once parsed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "cedar/schema_int.h"

typedef struct jp {
    aib__rschema_t *rs;
    aib_arena_t *a;
    aib_diag_t *diag;
} jp_t;

/* Formats "where: message" into the diagnostic; where is a path like
 * `namespace "N", entity type "A", attribute "x"`. */
static int jfail(jp_t *p, int rc, const char *where, const char *fmt, const char *arg)
{
    char msg[512];
    snprintf(msg, sizeof msg, fmt, arg ? arg : "");
    if (where && *where)
        aib_diag_set(p->diag, p->rs->file, 0, 0, "%s: %s", where, msg);
    else
        aib_diag_set(p->diag, p->rs->file, 0, 0, "%s", msg);
    return rc;
}

/* Appends `, kind "name"` to a place path (truncated safely). */
static void sub_where(char *dst, size_t cap, const char *where, const char *kind, const char *name,
                      size_t nlen)
{
    int n = (int)(nlen > 80 ? 80 : nlen);
    snprintf(dst, cap, "%s%s%s \"%.*s\"", where, *where ? ", " : "", kind, n, name);
}

/* jansson refuses NUL in object keys, yet attribute and action names may hold it. Before
 * parsing, each `\u0000` escape is rewritten to U+10FFFF (a noncharacter) when the text holds
 * none; unmark() turns it back into NUL in every copied name and string. */
static const char MARK[4] = { (char)0xF4, (char)0x8F, (char)0xBF, (char)0xBF };

static void unmark(aib_str_t *s)
{
    char *w = (char *)s->ptr;
    size_t k = 0;
    for (size_t i = 0; i < s->len; i++) {
        if (i + 4 <= s->len && memcmp(s->ptr + i, MARK, 4) == 0) {
            w[k++] = '\0';
            i += 3;
        } else {
            w[k++] = s->ptr[i];
        }
    }
    w[k] = '\0';
    s->len = k;
}

/* Rewrites NUL escapes as described above into a malloc'd copy (*out NULL when no rewrite is
 * needed or possible). */
static int premark(const char *text, size_t len, char **out, size_t *out_len)
{
    *out = NULL;
    bool any = false;
    for (size_t i = 0; i < len; i++) {
        if (i + 4 <= len && memcmp(text + i, MARK, 4) == 0)
            return 0;
        if (i + 5 >= len)
            continue;
        if (text[i] == '\\' && text[i + 1] == 'u' && memcmp(text + i + 2, "0000", 4) == 0)
            any = true;
        if (text[i] == '\\' && (text[i + 1] == 'u' || text[i + 1] == 'U') &&
            (text[i + 2] == 'd' || text[i + 2] == 'D') && (text[i + 3] == 'b' || text[i + 3] == 'B'))
            return 0; /* surrogate escapes: leave the text alone */
    }
    if (!any)
        return 0;
    if (len > (SIZE_MAX - 1) / 2)
        return AIB_ENOMEM;
    char *o = malloc(len * 2 + 1);
    if (!o)
        return AIB_ENOMEM;
    size_t k = 0;
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_str && c == '\\' && i + 1 < len) {
            if (text[i + 1] == 'u' && i + 5 < len && memcmp(text + i + 2, "0000", 4) == 0) {
                memcpy(o + k, "\\udbff\\udfff", 12);
                k += 12;
                i += 5;
            } else {
                o[k++] = c;
                o[k++] = text[++i];
            }
            continue;
        }
        if (c == '"')
            in_str = !in_str;
        o[k++] = c;
    }
    o[k] = '\0';
    *out = o;
    *out_len = k;
    return 0;
}

static int copy_str(jp_t *p, const json_t *j, aib_str_t *out)
{
    *out = aib_arena_str(p->a, json_string_value(j), json_string_length(j));
    if (!out->ptr)
        return AIB_ENOMEM;
    unmark(out);
    return 0;
}

/* Checks that every key of object o is one of allowed (NULL-terminated). */
static int check_keys(jp_t *p, const json_t *o, const char *const *allowed, const char *where)
{
    const char *k;
    size_t kl;
    json_t *v;
    json_object_keylen_foreach((json_t *)o, k, kl, v) {
        bool ok = false;
        for (size_t i = 0; allowed[i]; i++)
            if (strcmp(k, allowed[i]) == 0 && strlen(k) == kl)
                ok = true;
        if (!ok)
            return jfail(p, AIB_EPARSE, where, "unknown field `%s`", k);
    }
    return 0;
}

static int annotations(jp_t *p, const json_t *j, const char *where, size_t *n_out, aib__annotation_t **out)
{
    *n_out = 0;
    *out = NULL;
    if (!j)
        return 0;
    if (!json_is_object(j))
        return jfail(p, AIB_EPARSE, where, "`annotations` must be an object%s", "");
    size_t n = json_object_size(j);
    aib__annotation_t *arr = aib_arena_calloc(p->a, n ? n : 1, sizeof *arr);
    if (!arr)
        return AIB_ENOMEM;
    size_t i = 0;
    const char *k;
    json_t *v;
    size_t kl;
    json_object_keylen_foreach((json_t *)j, k, kl, v) {
        /* keys are any identifier, reserved words included */
        bool ok = k[0] != '\0' && !(k[0] >= '0' && k[0] <= '9') && strlen(k) == kl;
        for (const char *c = k; *c; c++)
            if (!(*c == '_' || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
                ok = false;
        if (!ok)
            return jfail(p, AIB_EPARSE, where, "invalid annotation key `%s`", k);
        if (!json_is_string(v))
            return jfail(p, AIB_EPARSE, where, "annotation `%s` must have a string value", k);
        arr[i].key = aib_arena_str(p->a, k, strlen(k));
        int rc = copy_str(p, v, &arr[i].value);
        if (rc || !arr[i].key.ptr)
            return AIB_ENOMEM;
        i++;
    }
    *n_out = n;
    *out = arr;
    return 0;
}

static int name_list(jp_t *p, const json_t *j, const char *field, const char *where, size_t *n_out,
                     aib_str_t **out)
{
    if (!json_is_array(j))
        return jfail(p, AIB_EPARSE, where, "`%s` must be an array of type names", field);
    size_t n = json_array_size(j);
    aib_str_t *arr = aib_arena_calloc(p->a, n ? n : 1, sizeof *arr);
    if (!arr)
        return AIB_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(j, i);
        if (!json_is_string(e))
            return jfail(p, AIB_EPARSE, where, "`%s` must be an array of type names", field);
        if (copy_str(p, e, &arr[i]))
            return AIB_ENOMEM;
        if (!aib__schema_valid_path(arr[i]))
            return jfail(p, AIB_EPARSE, where, "invalid type name `%s`", json_string_value(e));
    }
    *n_out = n;
    *out = arr;
    return 0;
}

static int jtype(jp_t *p, const json_t *j, const char *where, int depth, bool is_attr, aib__rattr_t *attr,
                 aib__rtype_t **out);

static int record_attrs(jp_t *p, const json_t *o, const char *where, int depth, aib__rtype_t *t)
{
    const json_t *attrs = json_object_get(o, "attributes");
    if (!attrs)
        return jfail(p, AIB_EPARSE, where, "missing field `attributes`%s", "");
    if (!json_is_object(attrs))
        return jfail(p, AIB_EPARSE, where, "`attributes` must be an object%s", "");
    const json_t *add = json_object_get(o, "additionalAttributes");
    if (add && !json_is_boolean(add))
        return jfail(p, AIB_EPARSE, where, "`additionalAttributes` must be a boolean%s", "");
    if (add && json_is_true(add))
        return jfail(p, AIB_ESCHEMA, where,
                     "records and entities with `additionalAttributes` are not supported%s", "");
    size_t n = json_object_size(attrs);
    t->attrs = aib_arena_calloc(p->a, n ? n : 1, sizeof *t->attrs);
    if (!t->attrs)
        return AIB_ENOMEM;
    const char *k;
    size_t kl;
    json_t *v;
    json_object_keylen_foreach((json_t *)attrs, k, kl, v) {
        char w[400];
        sub_where(w, sizeof w, where, "attribute", k, kl);
        aib__rattr_t *at = &t->attrs[t->n_attrs];
        at->name = aib_arena_str(p->a, k, kl);
        if (!at->name.ptr)
            return AIB_ENOMEM;
        unmark(&at->name);
        int rc = jtype(p, v, w, depth + 1, true, at, &at->type);
        if (rc)
            return rc;
        t->n_attrs++;
    }
    return 0;
}

/* A JSON type. With is_attr the object may also carry "required" and "annotations" (stored
 * into attr). */
static int jtype(jp_t *p, const json_t *j, const char *where, int depth, bool is_attr, aib__rattr_t *attr,
                 aib__rtype_t **out)
{
    static const char *const k_attr[] = { "type", "element", "attributes", "additionalAttributes", "name",
                                          "required", "annotations", NULL };
    static const char *const k_plain[] = { "type", "element", "attributes", "additionalAttributes", "name",
                                           "annotations", NULL };
    if (depth > AIB_CEDAR_MAX_DEPTH)
        return jfail(p, AIB_ELIMIT, where, "types nested too deeply%s", "");
    if (!json_is_object(j))
        return jfail(p, AIB_EPARSE, where, "a type must be a JSON object%s", "");
    int rc = check_keys(p, j, is_attr ? k_attr : k_plain, where);
    if (rc)
        return rc;
    const json_t *ty = json_object_get(j, "type");
    if (!ty || !json_is_string(ty))
        return jfail(p, AIB_EPARSE, where, "missing string field `type`%s", "");
    if (is_attr) {
        const json_t *req = json_object_get(j, "required");
        attr->required = 1;
        if (req) {
            if (!json_is_boolean(req))
                return jfail(p, AIB_EPARSE, where, "`required` must be a boolean%s", "");
            attr->required = json_is_true(req) ? 1 : 0;
        }
        if ((rc = annotations(p, json_object_get(j, "annotations"), where, &attr->n_annotations,
                              &attr->annotations)))
            return rc;
    }
    aib__rtype_t *t = aib_arena_calloc(p->a, 1, sizeof *t);
    if (!t)
        return AIB_ENOMEM;
    *out = t;
    const char *tn = json_string_value(ty);
    size_t tl = json_string_length(ty);
    /* which fields each variant may carry */
    bool want_elem = false, want_attrs = false, want_name = false;
    if (strcmp(tn, "Long") == 0 && tl == 4) {
        t->kind = AIB__RT_LONG;
    } else if (strcmp(tn, "String") == 0 && tl == 6) {
        t->kind = AIB__RT_STRING;
    } else if (strcmp(tn, "Boolean") == 0 && tl == 7) {
        t->kind = AIB__RT_BOOL;
    } else if (strcmp(tn, "Set") == 0 && tl == 3) {
        t->kind = AIB__RT_SET;
        want_elem = true;
    } else if (strcmp(tn, "Record") == 0 && tl == 6) {
        t->kind = AIB__RT_RECORD;
        want_attrs = true;
    } else if ((strcmp(tn, "Entity") == 0 && tl == 6) || (strcmp(tn, "EntityOrCommon") == 0 && tl == 14) ||
               (strcmp(tn, "Extension") == 0 && tl == 9)) {
        want_name = true;
        t->kind = tn[1] == 'x' ? AIB__RT_EXT : AIB__RT_REF;
        t->ref = tl == 6 ? AIB__REF_ENTITY : AIB__REF_EITHER;
    } else {
        t->kind = AIB__RT_REF;
        t->ref = AIB__REF_COMMON;
        if ((rc = copy_str(p, ty, &t->name)))
            return rc;
        if (!aib__schema_valid_path(t->name))
            return jfail(p, AIB_EPARSE, where, "invalid common type name `%s`", tn);
    }
    if (!want_elem && json_object_get(j, "element"))
        return jfail(p, AIB_EPARSE, where, "unknown field `element` for type `%s`", tn);
    if (!want_attrs && (json_object_get(j, "attributes") || json_object_get(j, "additionalAttributes")))
        return jfail(p, AIB_EPARSE, where, "unknown field `attributes` for type `%s`", tn);
    if (!want_name && json_object_get(j, "name"))
        return jfail(p, AIB_EPARSE, where, "unknown field `name` for type `%s`", tn);
    if (want_elem) {
        const json_t *e = json_object_get(j, "element");
        if (!e)
            return jfail(p, AIB_EPARSE, where, "missing field `element`%s", "");
        char w[400];
        snprintf(w, sizeof w, "%s%sset element", where, *where ? ", " : "");
        aib__rattr_t dummy;
        return jtype(p, e, w, depth + 1, false, &dummy, &t->elem);
    }
    if (want_attrs)
        return record_attrs(p, j, where, depth, t);
    if (want_name) {
        const json_t *nm = json_object_get(j, "name");
        if (!nm || !json_is_string(nm))
            return jfail(p, AIB_EPARSE, where, "missing string field `name`%s", "");
        if ((rc = copy_str(p, nm, &t->name)))
            return rc;
        if (t->kind == AIB__RT_REF && !aib__schema_valid_path(t->name))
            return jfail(p, AIB_EPARSE, where, "invalid type name `%s`", json_string_value(nm));
    }
    return 0;
}

static int entity_type(jp_t *p, aib__rns_t *ns, const char *key, const json_t *j, const char *where)
{
    static const char *const k_std[] = { "memberOfTypes", "shape", "tags", "annotations", "enum", NULL };
    static const char *const k_enum[] = { "enum", "annotations", NULL };
    if (!json_is_object(j))
        return jfail(p, AIB_EPARSE, where, "an entity type declaration must be an object%s", "");
    aib__rentity_t e;
    memset(&e, 0, sizeof e);
    e.name = aib_arena_str(p->a, key, strlen(key));
    if (!e.name.ptr)
        return AIB_ENOMEM;
    if (!aib__schema_valid_ident(e.name))
        return jfail(p, AIB_EPARSE, where, "invalid entity type name `%s`", key);
    const json_t *en = json_object_get(j, "enum");
    int rc = check_keys(p, j, en ? k_enum : k_std, where);
    if (rc)
        return rc;
    if ((rc = annotations(p, json_object_get(j, "annotations"), where, &e.n_annotations, &e.annotations)))
        return rc;
    if (en) {
        if (!json_is_array(en) || json_array_size(en) == 0)
            return jfail(p, AIB_EPARSE, where, "`enum` must be a non-empty array of strings%s", "");
        e.is_enum = 1;
        e.n_enum = json_array_size(en);
        e.enum_ids = aib_arena_calloc(p->a, e.n_enum, sizeof *e.enum_ids);
        if (!e.enum_ids)
            return AIB_ENOMEM;
        for (size_t i = 0; i < e.n_enum; i++) {
            const json_t *s = json_array_get(en, i);
            if (!json_is_string(s))
                return jfail(p, AIB_EPARSE, where, "`enum` must be a non-empty array of strings%s", "");
            if (copy_str(p, s, &e.enum_ids[i]))
                return AIB_ENOMEM;
        }
    } else {
        const json_t *m = json_object_get(j, "memberOfTypes");
        if (m && (rc = name_list(p, m, "memberOfTypes", where, &e.n_parents, &e.parents)))
            return rc;
        const json_t *sh = json_object_get(j, "shape");
        aib__rattr_t dummy;
        if (sh) {
            char w[512];
            snprintf(w, sizeof w, "%s, shape", where);
            if ((rc = jtype(p, sh, w, 1, false, &dummy, &e.shape)))
                return rc;
        }
        const json_t *tg = json_object_get(j, "tags");
        if (tg) {
            char w[512];
            snprintf(w, sizeof w, "%s, tags", where);
            if ((rc = jtype(p, tg, w, 1, false, &dummy, &e.tags)))
                return rc;
        }
    }
    if ((rc = aib__schema_grow(p->a, (void **)&ns->entities, &ns->cap_entities, ns->n_entities, sizeof e)))
        return rc;
    ns->entities[ns->n_entities++] = e;
    return 0;
}

static int action(jp_t *p, aib__rns_t *ns, const char *key, size_t klen, const json_t *j, const char *where)
{
    static const char *const k_act[] = { "attributes", "appliesTo", "memberOf", "annotations", NULL };
    static const char *const k_app[] = { "principalTypes", "resourceTypes", "context", NULL };
    static const char *const k_ref[] = { "id", "type", NULL };
    if (!json_is_object(j))
        return jfail(p, AIB_EPARSE, where, "an action declaration must be an object%s", "");
    int rc = check_keys(p, j, k_act, where);
    if (rc)
        return rc;
    aib__raction_t a;
    memset(&a, 0, sizeof a);
    a.name = aib_arena_str(p->a, key, klen);
    if (!a.name.ptr)
        return AIB_ENOMEM;
    unmark(&a.name);
    if (json_object_get(j, "attributes"))
        return jfail(p, AIB_ESCHEMA, where, "action attributes are not supported%s", "");
    if ((rc = annotations(p, json_object_get(j, "annotations"), where, &a.n_annotations, &a.annotations)))
        return rc;
    const json_t *m = json_object_get(j, "memberOf");
    if (m) {
        if (!json_is_array(m))
            return jfail(p, AIB_EPARSE, where, "`memberOf` must be an array%s", "");
        a.n_parents = json_array_size(m);
        a.parents = aib_arena_calloc(p->a, a.n_parents ? a.n_parents : 1, sizeof *a.parents);
        if (!a.parents)
            return AIB_ENOMEM;
        for (size_t i = 0; i < a.n_parents; i++) {
            const json_t *r = json_array_get(m, i);
            if (!json_is_object(r))
                return jfail(p, AIB_EPARSE, where, "`memberOf` entries must be objects {\"id\", \"type\"}%s", "");
            if ((rc = check_keys(p, r, k_ref, where)))
                return rc;
            const json_t *id = json_object_get(r, "id"), *ty = json_object_get(r, "type");
            if (!id || !json_is_string(id))
                return jfail(p, AIB_EPARSE, where, "`memberOf` entry without a string `id`%s", "");
            if (copy_str(p, id, &a.parents[i].id))
                return AIB_ENOMEM;
            if (ty) {
                if (!json_is_string(ty))
                    return jfail(p, AIB_EPARSE, where, "`memberOf` entry `type` must be a string%s", "");
                a.parents[i].has_type = 1;
                if (copy_str(p, ty, &a.parents[i].type))
                    return AIB_ENOMEM;
                if (!aib__schema_valid_path(a.parents[i].type))
                    return jfail(p, AIB_EPARSE, where, "invalid action type name `%s`", json_string_value(ty));
            }
        }
    }
    const json_t *ap = json_object_get(j, "appliesTo");
    if (ap && !json_is_null(ap)) {
        if (!json_is_object(ap))
            return jfail(p, AIB_EPARSE, where, "`appliesTo` must be an object%s", "");
        char w[512];
        snprintf(w, sizeof w, "%s, appliesTo", where);
        if ((rc = check_keys(p, ap, k_app, w)))
            return rc;
        a.has_applies_to = 1;
        const json_t *pt = json_object_get(ap, "principalTypes"), *rt = json_object_get(ap, "resourceTypes");
        if (!pt)
            return jfail(p, AIB_EPARSE, w, "missing field `principalTypes`%s", "");
        if (!rt)
            return jfail(p, AIB_EPARSE, w, "missing field `resourceTypes`%s", "");
        if ((rc = name_list(p, pt, "principalTypes", w, &a.n_principals, &a.principals)) ||
            (rc = name_list(p, rt, "resourceTypes", w, &a.n_resources, &a.resources)))
            return rc;
        const json_t *ctx = json_object_get(ap, "context");
        if (ctx) {
            char wc[600];
            snprintf(wc, sizeof wc, "%s, context", w);
            aib__rattr_t dummy;
            if ((rc = jtype(p, ctx, wc, 1, false, &dummy, &a.context)))
                return rc;
        }
    }
    if ((rc = aib__schema_grow(p->a, (void **)&ns->actions, &ns->cap_actions, ns->n_actions, sizeof a)))
        return rc;
    ns->actions[ns->n_actions++] = a;
    return 0;
}

static int namespace(jp_t *p, const char *key, const json_t *j)
{
    static const char *const k_ns[] = { "commonTypes", "entityTypes", "actions", "annotations", NULL };
    char where[200];
    sub_where(where, sizeof where, "", "namespace", key, strlen(key));
    aib_str_t name = aib_arena_str(p->a, key, strlen(key));
    if (!name.ptr)
        return AIB_ENOMEM;
    if (name.len && !aib__schema_valid_path(name))
        return jfail(p, AIB_EPARSE, where, "invalid namespace name `%s`", key);
    if (!json_is_object(j))
        return jfail(p, AIB_EPARSE, where, "a namespace must be an object%s", "");
    int rc = check_keys(p, j, k_ns, where);
    if (rc)
        return rc;
    const json_t *et = json_object_get(j, "entityTypes"), *ac = json_object_get(j, "actions"),
                 *ct = json_object_get(j, "commonTypes");
    if (!et || !json_is_object(et))
        return jfail(p, AIB_EPARSE, where, "missing object field `entityTypes`%s", "");
    if (!ac || !json_is_object(ac))
        return jfail(p, AIB_EPARSE, where, "missing object field `actions`%s", "");
    if (ct && !json_is_object(ct))
        return jfail(p, AIB_EPARSE, where, "`commonTypes` must be an object%s", "");
    bool created;
    aib__rns_t *ns = aib__schema_ns(p->rs, name, &created);
    if (!ns)
        return AIB_ENOMEM;
    if (!created)
        return jfail(p, AIB_EPARSE, where, "duplicate namespace%s", "");
    if ((rc = annotations(p, json_object_get(j, "annotations"), where, &ns->n_annotations, &ns->annotations)))
        return rc;
    const char *k;
    size_t kl;
    json_t *v;
    if (ct) {
        json_object_keylen_foreach((json_t *)ct, k, kl, v) {
            if (strlen(k) != kl)
                return jfail(p, AIB_EPARSE, where, "invalid common type name `%s`", k);
            char w[400];
            sub_where(w, sizeof w, where, "common type", k, strlen(k));
            aib__rcommon_t c;
            memset(&c, 0, sizeof c);
            c.name = aib_arena_str(p->a, k, strlen(k));
            if (!c.name.ptr)
                return AIB_ENOMEM;
            if (!aib__schema_valid_ident(c.name))
                return jfail(p, AIB_EPARSE, w, "invalid common type name `%s`", k);
            aib__rattr_t dummy;
            if ((rc = jtype(p, v, w, 1, false, &dummy, &c.type)))
                return rc;
            if ((rc = aib__schema_grow(p->a, (void **)&ns->commons, &ns->cap_commons, ns->n_commons, sizeof c)))
                return rc;
            ns->commons[ns->n_commons++] = c;
        }
    }
    json_object_keylen_foreach((json_t *)et, k, kl, v) {
        if (strlen(k) != kl)
            return jfail(p, AIB_EPARSE, where, "invalid entity type name `%s`", k);
        char w[400];
        sub_where(w, sizeof w, where, "entity type", k, strlen(k));
        if ((rc = entity_type(p, ns, k, v, w)))
            return rc;
    }
    json_object_keylen_foreach((json_t *)ac, k, kl, v) {
        char w[400];
        sub_where(w, sizeof w, where, "action", k, kl);
        if ((rc = action(p, ns, k, kl, v, w)))
            return rc;
    }
    return 0;
}

int aib__schema_json_parse(aib__rschema_t *rs, const char *text, size_t len, aib_diag_t *diag)
{
    jp_t p = { rs, rs->arena, diag };
    json_error_t err;
    char *marked = NULL;
    size_t mlen = 0;
    int rc = premark(text, len, &marked, &mlen);
    if (rc)
        return rc;
    json_t *root = json_loadb(marked ? marked : text, marked ? mlen : len,
                              JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
    free(marked);
    if (!root) {
        aib_diag_set(diag, rs->file, err.line > 0 ? err.line : 0, err.column > 0 ? err.column : 0,
                     "invalid JSON: %s", err.text);
        return AIB_EPARSE;
    }
    if (!json_is_object(root)) {
        rc = jfail(&p, AIB_EPARSE, "", "a JSON schema must be an object mapping namespace names to "
                   "namespace definitions%s", "");
        goto done;
    }
    const char *k;
    size_t kl;
    json_t *v;
    json_object_keylen_foreach(root, k, kl, v) {
        if (strlen(k) != kl) {
            rc = jfail(&p, AIB_EPARSE, "", "invalid namespace name `%s`", k);
            goto done;
        }
        if ((rc = namespace(&p, k, v)))
            goto done;
    }
done:
    json_decref(root);
    return rc;
}
