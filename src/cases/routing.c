/* routing.c — tagging and routing of cases by the Cedar policies in policies/routing/. Every
 * routing policy is a permit carrying @id and either @tag("name") or @route("stage"); a case is
 * presented as one Case entity (core attributes, every declared field, and derived group facts)
 * with action "route", and each satisfied policy — Cedar's determining reasons — becomes a tag or
 * route that records the policy's @id. Erroring policies become "routing-error" tags: visible,
 * never silently dropped, never blocking the write. */
#include "cases_int.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Loading ------------------------------------------------------------------------------- */

typedef struct src_file { char name[4096]; int first_line; } src_file_t;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the union of the types' fields; a name used with two kinds is a data error. */
static int collect_fields(aib_cases_t *cs, aib_diag_t *diag)
{
    size_t i, j, k, total = 0;
    for (i = 0; i < cs->n_types; i++)
        total += cs->types[i].n_fields;
    cs->all_fields = aib_arena_calloc(cs->arena, total + 1, sizeof(*cs->all_fields));
    if (!cs->all_fields)
        return AIB_ENOMEM;
    for (i = 0; i < cs->n_types; i++)
        for (j = 0; j < cs->types[i].n_fields; j++) {
            const aib_case_field_def_t *f = &cs->types[i].fields[j];
            for (k = 0; k < cs->n_all_fields; k++)
                if (!strcmp(cs->all_fields[k].name, f->name))
                    break;
            if (k < cs->n_all_fields) {
                if (strcmp(cs->all_fields[k].kind, f->kind) != 0) {
                    aib_diag_set(diag, cs->types[i].id, 0, 0,
                                 "fields: `%s` is a %s here but a %s in another case type", f->name,
                                 f->kind, cs->all_fields[k].kind);
                    return AIB_ESCHEMA;
                }
                continue;
            }
            cs->all_fields[cs->n_all_fields] = *f;
            cs->all_fields[cs->n_all_fields++].required = 0;
        }
    return AIB_OK;
}

/* Builds the Case entity attributes for c into b (a JSON object). */
static int case_attrs(aib_cases_t *cs, const aib_case_t *c, int64_t now, aib_arena_t *arena,
                      aib_buf_t *b, aib_diag_t *diag);

static int check_shape(aib_cases_t *cs, const char *schema_path, aib_diag_t *diag)
{
    aib_arena_t *a = aib_arena_new(0);
    aib_buf_t b;
    aib_cedar_entities_t *ents = NULL;
    aib_diag_t inner;
    aib_case_t c;
    int rc;

    aib_buf_init(&b);
    if (!a)
        return AIB_ENOMEM;
    memset(&c, 0, sizeof(c));
    c.id = "C-shape"; c.type = cs->types[0].id; c.subtype = ""; c.title = "t"; c.stage = "s";
    c.owner = "o"; c.nation = "USA"; c.fields = "{}";
    rc = aib_buf_puts(&b, "[{\"uid\":{\"type\":\"Case\",\"id\":\"C-shape\"},\"attrs\":") ? AIB_ENOMEM : AIB_OK;
    if (!rc)
        rc = case_attrs(cs, &c, 0, a, &b, diag);
    if (!rc)
        rc = aib_buf_puts(&b, ",\"parents\":[]}]") ? AIB_ENOMEM : AIB_OK;
    if (rc)
        goto done;
    aib_diag_clear(&inner);
    if (aib_cedar_entities_parse(b.data, b.len, "Case", cs->schema, &ents, &inner) != 0) {
        aib_diag_set(diag, schema_path, 0, 0,
                     "entity Case does not match the case fields of data/cases: %s", inner.msg);
        rc = AIB_ESCHEMA;
    }
done:
    aib_cedar_entities_free(ents);
    aib_buf_free(&b);
    aib_arena_free(a);
    return rc;
}

int aib__cases_load_routing(aib_cases_t *cs, const char *dir, aib_diag_t *diag)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL, path[4096], *text = NULL;
    size_t n = 0, cap = 0, i, len;
    src_file_t *files = NULL;
    aib_buf_t all;
    aib_arena_t *va = NULL;
    aib_cedar_validation_t val;
    int rc = AIB_OK, line = 1;

    aib_buf_init(&all);
    if (!d) {
        aib_diag_set(diag, dir, 0, 0, "cannot open routing policy directory");
        return AIB_EIO;
    }
    while ((e = readdir(d))) {
        len = strlen(e->d_name);
        if (len < 7 || strcmp(e->d_name + len - 6, ".cedar") != 0)
            continue;
        if (n == cap) {
            char **nn = realloc(names, (cap = cap ? cap * 2 : 8) * sizeof(char *));
            if (!nn) {
                rc = AIB_ENOMEM;
                goto done;
            }
            names = nn;
        }
        if (!(names[n++] = strdup(e->d_name))) {
            rc = AIB_ENOMEM;
            goto done;
        }
    }
    qsort(names, n, sizeof(char *), cmp_str);
    files = calloc(n + 1, sizeof(*files));
    if (!files) {
        rc = AIB_ENOMEM;
        goto done;
    }
    /* Each file is parsed alone first so errors carry its own name and line, then all files
     * are joined into one policy set. */
    for (i = 0; i < n; i++) {
        aib_cedar_policyset_t *one = NULL;
        const char *p;
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        rc = aib_read_file(path, &text, &len, diag);
        if (!rc)
            rc = aib_cedar_policyset_parse(text, len, path, &one, diag);
        aib_cedar_policyset_free(one);
        if (rc)
            goto done;
        snprintf(files[i].name, sizeof(files[i].name), "%s", path);
        files[i].first_line = line;
        for (p = text; p < text + len; p++)
            line += *p == '\n';
        if (aib_buf_append(&all, text, len) || aib_buf_putc(&all, '\n')) {
            rc = AIB_ENOMEM;
            goto done;
        }
        line++;
        free(text);
        text = NULL;
    }
    rc = aib_cedar_policyset_parse(all.data ? all.data : "", all.len, dir, &cs->policies, diag);
    if (rc)
        goto done;
    snprintf(path, sizeof(path), "%s/routing.cedarschema", dir);
    rc = aib_read_file(path, &text, &len, diag);
    if (!rc)
        rc = aib_cedar_schema_parse(text, len, false, path, &cs->schema, diag);
    if (rc)
        goto done;
    /* Every policy: a permit with @id and exactly one of @tag / @route. */
    for (i = 0; i < aib_cedar_policyset_size(cs->policies); i++) {
        const char *pid = aib_cedar_policyset_id(cs->policies, i);
        const char *tag = aib_cedar_policy_annotation(cs->policies, pid, "tag");
        const char *route = aib_cedar_policy_annotation(cs->policies, pid, "route");
        const char *id = aib_cedar_policy_annotation(cs->policies, pid, "id");
        if (aib_cedar_policy_is_permit(cs->policies, pid) != 1 || !id || !*id ||
            (!tag) == (!route) || (tag && !*tag) || (route && !*route)) {
            aib_diag_set(diag, dir, 0, 0,
                         "routing policy %s (@id %s): must be a permit with @id and exactly one of"
                         " @tag(\"...\") or @route(\"stage\")", pid, id ? id : "missing");
            rc = AIB_ESCHEMA;
            goto done;
        }
    }
    va = aib_arena_new(0);
    if (!va) {
        rc = AIB_ENOMEM;
        goto done;
    }
    rc = aib_cedar_validate(cs->policies, cs->schema, va, &val);
    if (rc)
        goto done;
    if (val.n_errors) {
        const aib_cedar_validation_error_t *ve = &val.errors[0];
        size_t f = 0;
        while (f + 1 < n && files[f + 1].first_line <= ve->line)
            f++;
        aib_diag_set(diag, n ? files[f].name : dir, n ? ve->line - files[f].first_line + 1 : ve->line,
                     ve->col, "routing policy does not validate against routing.cedarschema: %s",
                     ve->message);
        rc = AIB_ESCHEMA;
        goto done;
    }
    rc = collect_fields(cs, diag);
    if (!rc)
        rc = check_shape(cs, path, diag);
done:
    if (d)
        closedir(d);
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(files);
    free(text);
    aib_buf_free(&all);
    aib_arena_free(va);
    return rc;
}

/* ---- Evaluation ---------------------------------------------------------------------------- */

static int put_key(aib_buf_t *b, const char *k, int *first)
{
    int rc = (!*first && aib_buf_putc(b, ',')) || aib_buf_json_str(b, k, strlen(k)) ||
             aib_buf_putc(b, ':');
    *first = 0;
    return rc ? AIB_ENOMEM : AIB_OK;
}

static int put_str(aib_buf_t *b, const char *k, const char *v, int *first)
{
    if (put_key(b, k, first))
        return AIB_ENOMEM;
    return aib_buf_json_str(b, v ? v : "", v ? strlen(v) : 0);
}

/* Appends a set of strings from the given names (deduplicated by Cedar). */
static int put_set(aib_buf_t *b, const char *k, const char *const *v, size_t n, int *first)
{
    size_t i;
    int rc = put_key(b, k, first) || aib_buf_putc(b, '[');
    for (i = 0; i < n && !rc; i++)
        rc = (i && aib_buf_putc(b, ',')) || aib_buf_json_str(b, v[i], strlen(v[i]));
    return rc || aib_buf_putc(b, ']') ? AIB_ENOMEM : AIB_OK;
}

static int is_member_at(const aib_membership_t *m, size_t n, const char *nation, int64_t at)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (!strcmp(m[i].nation, nation) && m[i].from <= at && (m[i].to == 0 || at < m[i].to))
            return 1;
    return 0;
}

static int case_attrs(aib_cases_t *cs, const aib_case_t *c, int64_t now, aib_arena_t *arena,
                      aib_buf_t *b, aib_diag_t *diag)
{
    json_t *fields = NULL, *v, *cov;
    json_error_t jerr;
    const char **list = NULL;
    size_t i, k, n = 0, cap;
    int rc = AIB_OK, first = 1;

    fields = json_loads(c->fields && *c->fields ? c->fields : "{}", 0, &jerr);
    if (!json_is_object(fields)) {
        aib_diag_set(diag, "fields", jerr.line, jerr.column, "fields: stored fields are not a JSON object");
        rc = AIB_EINTERNAL;
        goto done;
    }
    if (aib_buf_putc(b, '{') || put_str(b, "type", c->type, &first) ||
        put_str(b, "subtype", c->subtype, &first) || put_str(b, "title", c->title, &first) ||
        put_str(b, "stage", c->stage, &first) || put_str(b, "owner", c->owner, &first) ||
        put_str(b, "nation", c->nation, &first) ||
        put_set(b, "released_to", c->released_to, c->n_released_to, &first)) {
        rc = AIB_ENOMEM;
        goto done;
    }
    for (i = 0; i < cs->n_all_fields && !rc; i++) {
        const aib_case_field_def_t *f = &cs->all_fields[i];
        v = json_object_get(fields, f->name);
        rc = put_key(b, f->name, &first);
        if (rc)
            break;
        if (!strcmp(f->kind, "integer"))
            rc = aib_buf_printf(b, "%lld", v ? (long long)json_integer_value(v) : 0LL);
        else if (!strcmp(f->kind, "boolean"))
            rc = aib_buf_puts(b, v && json_is_true(v) ? "true" : "false");
        else if (!strcmp(f->kind, "strings") || !strcmp(f->kind, "nations")) {
            rc = aib_buf_putc(b, '[');
            for (k = 0; v && k < json_array_size(v) && !rc; k++) {
                const char *s = json_string_value(json_array_get(v, k));
                rc = (k && aib_buf_putc(b, ',')) || aib_buf_json_str(b, s ? s : "", s ? strlen(s) : 0);
            }
            rc = rc || aib_buf_putc(b, ']');
        } else {
            const char *s = json_string_value(v);
            rc = aib_buf_json_str(b, s ? s : "", s ? strlen(s) : 0);
        }
        rc = rc ? AIB_ENOMEM : AIB_OK;
    }
    if (rc)
        goto done;
    /* Derived facts. destination_groups: the groups (config.json) the destination belongs to
     * now; party_groups: parties that are groups; covered_nations: nations the agreement covers
     * on some date of its term (from fields.coverage) plus parties named directly. */
    cap = cs->n_groups + 1;
    v = json_object_get(fields, "parties");
    cov = json_object_get(fields, "coverage");
    cap += json_array_size(v) + json_array_size(cov);
    list = aib_arena_calloc(arena, cap, sizeof(char *));
    if (!list) {
        rc = AIB_ENOMEM;
        goto done;
    }
    {
        const char *dest = json_string_value(json_object_get(fields, "destination"));
        for (i = 0; dest && cs->groups_fn && i < cs->n_groups; i++) {
            aib_membership_t *m = NULL;
            size_t nm = 0;
            int grc = cs->groups_fn(cs->groups_ctx, cs->groups[i], arena, &m, &nm);
            if (grc == AIB_ENOTFOUND)
                continue;
            if (grc) {
                aib_diag_set(diag, "groups", 0, 0, "membership of group `%s` unavailable: %s",
                             cs->groups[i], aib_strerror(grc));
                rc = grc;
                goto done;
            }
            if (is_member_at(m, nm, dest, now))
                list[n++] = cs->groups[i];
        }
    }
    if ((rc = put_set(b, "destination_groups", list, n, &first)))
        goto done;
    n = 0;
    for (k = 0; k < json_array_size(v); k++) {
        const char *p = json_string_value(json_array_get(v, k));
        if (p && !aib__cases_is_nation(p))
            list[n++] = p;
    }
    if ((rc = put_set(b, "party_groups", list, n, &first)))
        goto done;
    n = 0;
    for (k = 0; k < json_array_size(v); k++) {
        const char *p = json_string_value(json_array_get(v, k));
        if (p && aib__cases_is_nation(p))
            list[n++] = p;
    }
    for (k = 0; k < json_array_size(cov); k++) {
        const char *p = json_string_value(json_object_get(json_array_get(cov, k), "nation"));
        if (p)
            list[n++] = p;
    }
    if ((rc = put_set(b, "covered_nations", list, n, &first)))
        goto done;
    rc = aib_buf_putc(b, '}') ? AIB_ENOMEM : AIB_OK;
done:
    json_decref(fields);
    return rc;
}

int aib__cases_route(aib_cases_t *cs, const aib_case_type_def_t *t, const aib_case_t *c,
                     const char *event, int64_t now, aib_arena_t *arena, aib__route_out_t *out,
                     aib_diag_t *diag)
{
    aib_buf_t b;
    aib_cedar_entities_t *ents = NULL;
    aib_cedar_request_t *req = NULL;
    aib_cedar_response_t resp;
    const aib_case_stage_def_t *cur = aib__cases_stage(t, c->stage);
    size_t i;
    int rc;

    memset(out, 0, sizeof(*out));
    aib_buf_init(&b);
    rc = (aib_buf_puts(&b, "[{\"uid\":{\"type\":\"Case\",\"id\":") ||
          aib_buf_json_str(&b, c->id, strlen(c->id)) || aib_buf_puts(&b, "},\"attrs\":"))
             ? AIB_ENOMEM : AIB_OK;
    if (!rc)
        rc = case_attrs(cs, c, now, arena, &b, diag);
    if (!rc)
        rc = aib_buf_puts(&b, ",\"parents\":[]},{\"uid\":{\"type\":\"Engine\",\"id\":\"aib\"},"
                              "\"attrs\":{},\"parents\":[]}]") ? AIB_ENOMEM : AIB_OK;
    if (rc)
        goto done;
    rc = aib_cedar_entities_parse(b.data, b.len, "Case", cs->schema, &ents, diag);
    if (rc)
        goto done;
    aib_buf_clear(&b);
    rc = (aib_buf_puts(&b, "{\"principal\":{\"type\":\"Engine\",\"id\":\"aib\"},"
                           "\"action\":{\"type\":\"Action\",\"id\":\"route\"},"
                           "\"resource\":{\"type\":\"Case\",\"id\":") ||
          aib_buf_json_str(&b, c->id, strlen(c->id)) || aib_buf_puts(&b, "},\"context\":{\"event\":") ||
          aib_buf_json_str(&b, event, strlen(event)) || aib_buf_puts(&b, "}}"))
             ? AIB_ENOMEM : AIB_OK;
    if (!rc)
        rc = aib_cedar_request_parse(b.data, b.len, cs->schema, true, arena, &req, diag);
    if (!rc)
        rc = aib_cedar_authorize(cs->policies, ents, req, arena, &resp);
    if (rc)
        goto done;
    out->tags = aib_arena_calloc(arena, resp.n_reason + resp.n_errors + 1, sizeof(*out->tags));
    if (!out->tags) {
        rc = AIB_ENOMEM;
        goto done;
    }
    for (i = 0; i < resp.n_reason; i++) {
        const char *pid = resp.reason[i];
        const char *tag = aib_cedar_policy_annotation(cs->policies, pid, "tag");
        const char *route = aib_cedar_policy_annotation(cs->policies, pid, "route");
        const char *id = aib_cedar_policy_annotation(cs->policies, pid, "id");
        aib_case_tag_t *tg = &out->tags[out->n_tags];
        tg->policy_id = id ? id : pid;
        tg->at = now;
        if (tag) {
            tg->kind = "tag";
            tg->value = tag;
            out->n_tags++;
            continue;
        }
        /* A route counts only where the type has that stage and the case can move there now. */
        if (!route || !cur || !aib__cases_stage(t, route) || !aib__cases_can_move(cur, route))
            continue;
        tg->kind = "route";
        tg->value = route;
        out->n_tags++;
        if (!out->route_stage) {
            out->route_stage = route;
            out->route_policy = tg->policy_id;
        }
    }
    for (i = 0; i < resp.n_errors; i++) {
        aib_case_tag_t *tg = &out->tags[out->n_tags++];
        const char *id = aib_cedar_policy_annotation(cs->policies, resp.errors[i].policy_id, "id");
        tg->kind = "tag";
        tg->value = "routing-error";
        tg->policy_id = id ? id : resp.errors[i].policy_id;
        tg->at = now;
    }
done:
    aib_cedar_entities_free(ents);
    aib_buf_free(&b);
    return rc;
}
