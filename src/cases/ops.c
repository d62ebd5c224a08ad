/* ops.c — the case operations: create, transition, update, comment, attach, get. Each checks
 * its body against the case type from data/cases, runs the routing policies, and hands the
 * store one write (one transaction with its audit entry); on any error nothing is written. */
#include "cases_int.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *body_str(json_t *body, const char *key, int *bad)
{
    json_t *v = json_object_get(body, key);
    if (!v)
        return NULL;
    if (!json_is_string(v)) {
        *bad = 1;
        return NULL;
    }
    return json_string_value(v);
}

/* A string member: absent (NULL, ok when optional), else 1..max bytes. */
static int opt_str(json_t *body, const char *key, size_t max, int required, const char **out,
                   aib_diag_t *diag)
{
    int bad = 0;
    *out = body_str(body, key, &bad);
    if (bad || (*out && (strlen(*out) == 0 || strlen(*out) > max)) || (required && !*out)) {
        if (!bad && !*out)
            aib_diag_set(diag, key, 0, 0, "%s: required", key);
        else
            aib_diag_set(diag, key, 0, 0, "%s: expected a non-empty string of at most %zu bytes", key, max);
        return AIB_EINVAL;
    }
    return AIB_OK;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* released_to: array of nation codes -> sorted unique list in arena. */
static int parse_released(json_t *v, aib_arena_t *arena, const char ***out, size_t *n,
                          aib_diag_t *diag)
{
    size_t i, k = 0;
    const char **l;
    if (!json_is_array(v) || json_array_size(v) > 300) {
        aib_diag_set(diag, "released_to", 0, 0, "released_to: expected an array of nation codes");
        return AIB_EINVAL;
    }
    l = aib_arena_calloc(arena, json_array_size(v) + 1, sizeof(char *));
    if (!l)
        return AIB_ENOMEM;
    for (i = 0; i < json_array_size(v); i++) {
        const char *s = json_string_value(json_array_get(v, i));
        if (!aib__cases_is_nation(s)) {
            char path[40];
            snprintf(path, sizeof(path), "released_to[%zu]", i);
            aib_diag_set(diag, path, 0, 0, "%s: expected an ISO 3166-1 alpha-3 nation code", path);
            return AIB_EINVAL;
        }
        l[k++] = s;
    }
    qsort(l, k, sizeof(char *), str_cmp);
    for (i = 0, *n = 0; i < k; i++)
        if (*n == 0 || strcmp(l[*n - 1], l[i]) != 0)
            l[(*n)++] = l[i];
    *out = l;
    return AIB_OK;
}

static int check_actor(const aib_actor_t *who, aib_diag_t *diag)
{
    if (!who || !who->person || !*who->person) {
        aib_diag_set(diag, "actor", 0, 0, "actor: a person is required");
        return AIB_EINVAL;
    }
    return AIB_OK;
}

static int new_id(aib_arena_t *arena, const char **out)
{
    unsigned char raw[10];
    char hex[21], *id;
    if (sodium_init() < 0)
        return AIB_EINTERNAL;
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
    id = aib_arena_alloc(arena, 24);
    if (!id)
        return AIB_ENOMEM;
    snprintf(id, 24, "C-%s", hex);
    *out = id;
    return AIB_OK;
}

static const aib_case_type_def_t *type_or_fail(aib_cases_t *cs, const char *type, aib_diag_t *diag)
{
    const aib_case_type_def_t *t = aib_cases_type_find(cs, type);
    if (!t) {
        char known[512] = "";
        size_t i, n = 0;
        for (i = 0; i < cs->n_types && n < sizeof(known) - 1; i++)
            n += (size_t)snprintf(known + n, sizeof(known) - n, "%s%s", i ? ", " : "", cs->types[i].id);
        aib_diag_set(diag, "type", 0, 0, "type: unknown case type `%s` (known: %s)", type, known);
    }
    return t;
}

int aib_cases_create(aib_cases_t *cs, aib_store_t *st, const aib_actor_t *who, const char *json,
                     size_t len, aib_arena_t *arena, aib_case_t *out, aib_diag_t *diag)
{
    static const char *const allowed[] = { "type", "subtype", "title", "nation", "released_to",
                                           "owner", "fields", NULL };
    json_t *body = NULL, *fields = NULL;
    const aib_case_type_def_t *t;
    const aib_case_stage_def_t *init, *rs;
    const char *type, *subtype, *title, *nation, *owner, *id = NULL;
    aib__route_out_t ro;
    aib_case_t c;
    aib_case_stage_t hist[2];
    int64_t now = aib__cases_now(cs);
    size_t i;
    int rc;

    memset(out, 0, sizeof(*out));
    memset(&c, 0, sizeof(c));
    if ((rc = check_actor(who, diag)) || (rc = aib__cases_parse_body(json, len, allowed, &body, diag)))
        goto done;
    if ((rc = opt_str(body, "type", 64, 1, &type, diag)) ||
        (rc = opt_str(body, "subtype", 64, 0, &subtype, diag)) ||
        (rc = opt_str(body, "title", 512, 1, &title, diag)) ||
        (rc = opt_str(body, "nation", 3, 0, &nation, diag)) ||
        (rc = opt_str(body, "owner", 256, 0, &owner, diag)))
        goto done;
    t = type_or_fail(cs, type, diag);
    if (!t) {
        rc = AIB_EINVAL;
        goto done;
    }
    if (t->n_subtypes) {
        for (i = 0; subtype && i < t->n_subtypes && strcmp(t->subtypes[i], subtype); i++)
            ;
        if (!subtype || i == t->n_subtypes) {
            char known[256] = "";
            size_t n = 0, k;
            for (k = 0; k < t->n_subtypes && n < sizeof(known) - 1; k++)
                n += (size_t)snprintf(known + n, sizeof(known) - n, "%s%s", k ? ", " : "", t->subtypes[k]);
            aib_diag_set(diag, "subtype", 0, 0, "subtype: %s for case type `%s` (one of: %s)",
                         subtype ? "unknown" : "required", t->id, known);
            rc = AIB_EINVAL;
            goto done;
        }
    } else if (subtype) {
        aib_diag_set(diag, "subtype", 0, 0, "subtype: case type `%s` has no subtypes", t->id);
        rc = AIB_EINVAL;
        goto done;
    }
    if (!nation)
        nation = who->nation;
    if (!aib__cases_is_nation(nation)) {
        aib_diag_set(diag, "nation", 0, 0, "nation: expected an ISO 3166-1 alpha-3 nation code"
                                           " (the owning nation; defaults to the caller's)");
        rc = AIB_EINVAL;
        goto done;
    }
    if (json_object_get(body, "released_to")) {
        const char **rel = NULL;
        rc = parse_released(json_object_get(body, "released_to"), arena, &rel, &c.n_released_to, diag);
        if (rc)
            goto done;
        c.released_to = rel;
    }
    fields = json_object_get(body, "fields");
    fields = fields ? json_incref(fields) : json_object();
    if (!fields) {
        rc = AIB_ENOMEM;
        goto done;
    }
    rc = aib__cases_check_fields(cs, t, fields, arena, &c.fields, diag);
    if (rc)
        goto done;
    rc = new_id(arena, &id);
    if (rc)
        goto done;
    init = aib__cases_stage(t, t->initial);
    c.id = id;
    c.type = t->id;
    c.subtype = subtype ? subtype : "";
    c.title = title;
    c.stage = init->id;
    c.owner = owner ? owner : init->owner;
    c.nation = nation;
    c.created_by = who->person;
    c.created_at = c.updated_at = c.stage_since = now;
    c.version = 1;
    c.closed = init->terminal;
    memset(hist, 0, sizeof(hist));
    hist[0] = (aib_case_stage_t){ init->id, c.owner, now, 0, who->person, "" };
    c.history = hist;
    c.n_history = 1;
    rc = aib__cases_route(cs, t, &c, "create", now, arena, &ro, diag);
    if (rc)
        goto done;
    c.tags = ro.tags;
    c.n_tags = ro.n_tags;
    if (ro.route_stage && (rs = aib__cases_stage(t, ro.route_stage))) {
        char *by = aib_arena_alloc(arena, strlen(ro.route_policy) + 8);
        if (!by) {
            rc = AIB_ENOMEM;
            goto done;
        }
        snprintf(by, strlen(ro.route_policy) + 8, "policy:%s", ro.route_policy);
        hist[0].left_at = now;
        hist[1] = (aib_case_stage_t){ rs->id, rs->owner, now, 0, by, "routed on creation" };
        c.n_history = 2;
        c.stage = rs->id;
        c.owner = rs->owner;
        c.closed = rs->terminal;
    }
    rc = aib_store_case_create(st, who, &c, diag);
    if (!rc)
        rc = aib_store_case_get(st, id, arena, out, diag);
done:
    json_decref(fields);
    json_decref(body);
    return rc;
}

/* Tags in ro that the case does not carry yet (same kind, value and policy). */
static size_t new_tags(const aib_case_t *c, aib__route_out_t *ro, int tags_only)
{
    size_t i, k, n = 0;
    for (i = 0; i < ro->n_tags; i++) {
        const aib_case_tag_t *t = &ro->tags[i];
        if (tags_only && strcmp(t->kind, "tag") != 0)
            continue;
        for (k = 0; k < c->n_tags; k++)
            if (!strcmp(c->tags[k].kind, t->kind) && !strcmp(c->tags[k].value, t->value) &&
                !strcmp(c->tags[k].policy_id, t->policy_id))
                break;
        if (k == c->n_tags)
            ro->tags[n++] = *t;
    }
    return n;
}

static int load_case(aib_cases_t *cs, aib_store_t *st, const char *id, aib_arena_t *arena,
                     aib_case_t *c, const aib_case_type_def_t **t, aib_diag_t *diag)
{
    int rc = aib_store_case_get(st, id, arena, c, diag);
    if (rc)
        return rc;
    *t = aib_cases_type_find(cs, c->type);
    if (!*t || !aib__cases_stage(*t, c->stage)) {
        aib_diag_set(diag, "type", 0, 0, "case `%s` has type `%s` / stage `%s`, which the loaded"
                     " case types do not define", id, c->type, c->stage);
        return AIB_EINVAL;
    }
    return AIB_OK;
}

int aib_cases_transition(aib_cases_t *cs, aib_store_t *st, const aib_actor_t *who,
                         const char *id, const char *json, size_t len, aib_arena_t *arena,
                         aib_case_t *out, aib_diag_t *diag)
{
    static const char *const allowed[] = { "to", "note", "owner", NULL };
    json_t *body = NULL;
    const aib_case_type_def_t *t;
    const aib_case_stage_def_t *cur, *to_def;
    const char *to, *note, *owner;
    aib__route_out_t ro;
    aib_case_t c, moved;
    int64_t now = aib__cases_now(cs);
    size_t n;
    int rc;

    memset(out, 0, sizeof(*out));
    if ((rc = check_actor(who, diag)) || (rc = aib__cases_parse_body(json, len, allowed, &body, diag)))
        goto done;
    if ((rc = opt_str(body, "to", 64, 1, &to, diag)) ||
        (rc = opt_str(body, "note", 4096, 0, &note, diag)) ||
        (rc = opt_str(body, "owner", 256, 0, &owner, diag)))
        goto done;
    if ((rc = load_case(cs, st, id, arena, &c, &t, diag)))
        goto done;
    cur = aib__cases_stage(t, c.stage);
    to_def = aib__cases_stage(t, to);
    if (cur->terminal || !to_def || !aib__cases_can_move(cur, to)) {
        char allowed_to[512] = "";
        size_t k, m = 0;
        for (k = 0; k < cur->n_next && m < sizeof(allowed_to) - 1; k++)
            m += (size_t)snprintf(allowed_to + m, sizeof(allowed_to) - m, "%s%s", k ? ", " : "",
                                  cur->next[k]);
        if (cur->terminal)
            aib_diag_set(diag, "to", 0, 0, "to: case is closed in terminal stage `%s`", cur->id);
        else
            aib_diag_set(diag, "to", 0, 0, "to: cannot move from `%s` to `%s` (allowed: %s)", cur->id,
                         to, allowed_to);
        rc = AIB_EINVAL;
        goto done;
    }
    moved = c;
    moved.stage = to_def->id;
    moved.owner = owner ? owner : to_def->owner;
    rc = aib__cases_route(cs, t, &moved, "transition", now, arena, &ro, diag);
    if (rc)
        goto done;
    n = new_tags(&c, &ro, 1);
    rc = aib_store_case_transition(st, who, id, c.stage, to_def->id, moved.owner, to_def->terminal,
                                   who->person, note ? note : "", now, ro.tags, n, diag);
    if (!rc)
        rc = aib_store_case_get(st, id, arena, out, diag);
done:
    json_decref(body);
    return rc;
}

int aib_cases_update(aib_cases_t *cs, aib_store_t *st, const aib_actor_t *who, const char *id,
                     const char *json, size_t len, aib_arena_t *arena, aib_case_t *out,
                     aib_diag_t *diag)
{
    static const char *const allowed[] = { "title", "fields", "released_to", NULL };
    json_t *body = NULL, *fields = NULL;
    const aib_case_type_def_t *t;
    const char *title, *fields_json = NULL, **rel = NULL;
    size_t n_rel = 0, n;
    aib__route_out_t ro;
    aib_case_t c, changed;
    int64_t now = aib__cases_now(cs);
    int rc, in_tx = 0;

    memset(out, 0, sizeof(*out));
    if ((rc = check_actor(who, diag)) || (rc = aib__cases_parse_body(json, len, allowed, &body, diag)))
        goto done;
    if ((rc = opt_str(body, "title", 512, 0, &title, diag)))
        goto done;
    if ((rc = load_case(cs, st, id, arena, &c, &t, diag)))
        goto done;
    changed = c;
    if ((fields = json_object_get(body, "fields"))) {
        json_incref(fields);
        if ((rc = aib__cases_check_fields(cs, t, fields, arena, &fields_json, diag)))
            goto done;
        changed.fields = fields_json;
    }
    if (json_object_get(body, "released_to")) {
        if ((rc = parse_released(json_object_get(body, "released_to"), arena, &rel, &n_rel, diag)))
            goto done;
        changed.released_to = rel;
        changed.n_released_to = n_rel;
    }
    if (title)
        changed.title = title;
    rc = aib__cases_route(cs, t, &changed, "update", now, arena, &ro, diag);
    if (rc)
        goto done;
    n = new_tags(&c, &ro, 0);
    /* A new route moves the case in the same transaction as the update. */
    rc = aib_store_begin(st, diag);
    if (rc)
        goto done;
    in_tx = 1;
    rc = aib_store_case_update(st, who, id, title, fields_json, rel ? rel : NULL, n_rel, ro.tags, n,
                               now, diag);
    if (!rc && ro.route_stage) {
        size_t k;
        const aib_case_stage_def_t *rs = aib__cases_stage(t, ro.route_stage);
        for (k = 0; k < n && strcmp(ro.tags[k].kind, "route"); k++)
            ;
        if (k < n && rs) {
            char by[300];
            snprintf(by, sizeof(by), "policy:%s", ro.route_policy);
            rc = aib_store_case_transition(st, who, id, c.stage, rs->id, rs->owner, rs->terminal, by,
                                           "routed on update", now, NULL, 0, diag);
        }
    }
    if (!rc) {
        rc = aib_store_commit(st, diag);
        in_tx = 0;
    }
    if (!rc)
        rc = aib_store_case_get(st, id, arena, out, diag);
done:
    if (in_tx)
        aib_store_rollback(st);
    json_decref(fields);
    json_decref(body);
    return rc;
}

int aib_cases_comment(aib_cases_t *cs, aib_store_t *st, const aib_actor_t *who, const char *id,
                      const char *json, size_t len, aib_arena_t *arena, aib_case_t *out,
                      aib_diag_t *diag)
{
    static const char *const allowed[] = { "body", NULL };
    json_t *body = NULL;
    const char *text;
    int rc;

    memset(out, 0, sizeof(*out));
    if ((rc = check_actor(who, diag)) || (rc = aib__cases_parse_body(json, len, allowed, &body, diag)))
        goto done;
    if ((rc = opt_str(body, "body", 65536, 1, &text, diag)))
        goto done;
    rc = aib_store_case_comment(st, who, id, text, aib__cases_now(cs), NULL, diag);
    if (!rc)
        rc = aib_store_case_get(st, id, arena, out, diag);
done:
    json_decref(body);
    return rc;
}

static int is_uri(const char *s)
{
    const char *p = s;
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
        return 0;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
           *p == '+' || *p == '-' || *p == '.')
        p++;
    if (*p != ':' || !p[1])
        return 0;
    for (; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return 0;
    return 1;
}

int aib_cases_attach(aib_cases_t *cs, aib_store_t *st, const aib_actor_t *who, const char *id,
                     const char *json, size_t len, aib_arena_t *arena, aib_case_t *out,
                     aib_diag_t *diag)
{
    static const char *const allowed[] = { "name", "ref", "sha256", "media_type", NULL };
    json_t *body = NULL;
    aib_case_attachment_t a;
    size_t i;
    int rc;

    memset(out, 0, sizeof(*out));
    memset(&a, 0, sizeof(a));
    if ((rc = check_actor(who, diag)) || (rc = aib__cases_parse_body(json, len, allowed, &body, diag)))
        goto done;
    if ((rc = opt_str(body, "name", 512, 1, &a.name, diag)) ||
        (rc = opt_str(body, "ref", 2048, 1, &a.ref, diag)) ||
        (rc = opt_str(body, "sha256", 64, 0, &a.sha256, diag)) ||
        (rc = opt_str(body, "media_type", 128, 0, &a.media_type, diag)))
        goto done;
    if (!is_uri(a.ref)) {
        aib_diag_set(diag, "ref", 0, 0, "ref: expected a URI such as https://host/path or s3://bucket/key");
        rc = AIB_EINVAL;
        goto done;
    }
    if (a.sha256) {
        for (i = 0; a.sha256[i] && ((a.sha256[i] >= '0' && a.sha256[i] <= '9') ||
                                    (a.sha256[i] >= 'a' && a.sha256[i] <= 'f'));
             i++)
            ;
        if (i != 64 || a.sha256[i]) {
            aib_diag_set(diag, "sha256", 0, 0, "sha256: expected 64 lowercase hex digits");
            rc = AIB_EINVAL;
            goto done;
        }
    }
    rc = aib_store_case_attach(st, who, id, &a, aib__cases_now(cs), NULL, diag);
    if (!rc)
        rc = aib_store_case_get(st, id, arena, out, diag);
done:
    json_decref(body);
    return rc;
}

int aib_cases_get(aib_cases_t *cs, aib_store_t *st, const char *id, aib_arena_t *arena,
                  aib_case_t *out, aib_diag_t *diag)
{
    (void)cs;
    return aib_store_case_get(st, id, arena, out, diag);
}

int aib_case_visible_to(const aib_case_t *c, const char *nation)
{
    size_t i;
    if (!c || !nation)
        return 0;
    if (c->nation && !strcmp(c->nation, nation))
        return 1;
    for (i = 0; i < c->n_released_to; i++)
        if (!strcmp(c->released_to[i], nation))
            return 1;
    return 0;
}
