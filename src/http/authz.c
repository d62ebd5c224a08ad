/* authz.c — Cedar authorization of API calls. Loads the API policy pack (policies/api/: every
 * *.cedar plus api.cedarschema, validated strictly at load) and answers "may this principal do
 * this action on this case or service?" by building the two entities and the request as JSON and
 * asking the engine. The rules themselves live in the policy files, not here. */
#include "http_int.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILES 64

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);

    return n > m && !strcmp(s + n - m, suf);
}

static size_t count_lines(const char *s, size_t n)
{
    size_t i, k = 0;

    for (i = 0; i < n; i++)
        if (s[i] == '\n')
            k++;
    return k;
}

int aib__authz_load(aib__authz_t *a, const char *dir, aib_diag_t *diag)
{
    DIR *d = NULL;
    struct dirent *e;
    char *names[MAX_FILES], *schema_name = NULL, path[1024], *text = NULL;
    size_t n = 0, i, len, start_line[MAX_FILES];
    aib_buf_t all;
    aib_arena_t *arena = NULL;
    aib_cedar_validation_t val;
    int rc = 0;

    memset(a, 0, sizeof(*a));
    aib_buf_init(&all);
    d = opendir(dir);
    if (!d) {
        aib_diag_set(diag, dir, 0, 0, "cannot open the API policy directory");
        return AIB_EIO;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (ends_with(e->d_name, ".cedarschema")) {
            if (schema_name) {
                aib_diag_set(diag, dir, 0, 0, "more than one .cedarschema file");
                rc = AIB_EINVAL;
                goto done;
            }
            schema_name = strdup(e->d_name);
            if (!schema_name) {
                rc = AIB_ENOMEM;
                goto done;
            }
        } else if (ends_with(e->d_name, ".cedar")) {
            if (n == MAX_FILES) {
                aib_diag_set(diag, dir, 0, 0, "more than %d policy files", MAX_FILES);
                rc = AIB_ELIMIT;
                goto done;
            }
            names[n] = strdup(e->d_name);
            if (!names[n]) {
                rc = AIB_ENOMEM;
                goto done;
            }
            n++;
        }
    }
    if (n == 0 || !schema_name) {
        aib_diag_set(diag, dir, 0, 0, "expected *.cedar policies and one .cedarschema file");
        rc = AIB_EINVAL;
        goto done;
    }
    qsort(names, n, sizeof(names[0]), cmp_str);

    snprintf(path, sizeof(path), "%s/%s", dir, schema_name);
    if ((rc = aib_read_file(path, &text, &len, diag)) != 0)
        goto done;
    if ((rc = aib_cedar_schema_parse(text, len, false, path, &a->schema, diag)) != 0)
        goto done;
    free(text);
    text = NULL;

    /* Each file alone first (exact file:line:col on a syntax error), then all together: the
     * engine takes one text per policy set. */
    for (i = 0; i < n; i++) {
        aib_cedar_policyset_t *one = NULL;

        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        if ((rc = aib_read_file(path, &text, &len, diag)) != 0)
            goto done;
        if ((rc = aib_cedar_policyset_parse(text, len, path, &one, diag)) != 0)
            goto done;
        aib_cedar_policyset_free(one);
        start_line[i] = count_lines(all.data ? all.data : "", all.len) + 1;
        if (aib_buf_append(&all, text, len) != 0 || aib_buf_putc(&all, '\n') != 0) {
            rc = AIB_ENOMEM;
            goto done;
        }
        free(text);
        text = NULL;
    }
    if ((rc = aib_cedar_policyset_parse(all.data, all.len, dir, &a->ps, diag)) != 0)
        goto done;
    arena = aib_arena_new(0);
    if (!arena) {
        rc = AIB_ENOMEM;
        goto done;
    }
    if ((rc = aib_cedar_validate(a->ps, a->schema, arena, &val)) != 0)
        goto done;
    if (val.n_errors > 0) {
        const aib_cedar_validation_error_t *ve = &val.errors[0];
        size_t f = 0;

        for (i = 0; i < n; i++)
            if ((size_t)ve->line >= start_line[i])
                f = i;
        snprintf(path, sizeof(path), "%s/%s", dir, names[f]);
        aib_diag_set(diag, path, ve->line > 0 ? (int)(ve->line - (int)start_line[f] + 1) : 0,
                     ve->col, "policy %s does not validate against %s: %s", ve->policy_id,
                     schema_name, ve->message);
        rc = AIB_ESCHEMA;
        goto done;
    }
done:
    if (d)
        closedir(d);
    for (i = 0; i < n; i++)
        free(names[i]);
    free(schema_name);
    free(text);
    aib_buf_free(&all);
    aib_arena_free(arena);
    if (rc != 0)
        aib__authz_free(a);
    return rc;
}

void aib__authz_free(aib__authz_t *a)
{
    aib_cedar_policyset_free(a->ps);
    aib_cedar_schema_free(a->schema);
    a->ps = NULL;
    a->schema = NULL;
}

void aib__authz_case_resource(const aib_case_t *c, aib__resource_t *res)
{
    memset(res, 0, sizeof(*res));
    res->type = "Case";
    res->id = c->id;
    res->nation = c->nation;
    res->released_to = c->released_to;
    res->n_released_to = c->n_released_to;
    res->case_type = c->type;
    res->stage = c->stage;
    res->closed = c->closed;
}

static int put_str(aib_buf_t *b, const char *s)
{
    s = s ? s : "";
    return aib_buf_json_str(b, s, strlen(s));
}

/* uid object {"type":T,"id":I} */
static int put_uid(aib_buf_t *b, const char *type, const char *id)
{
    int rc = aib_buf_puts(b, "{\"type\":");

    rc = rc ? rc : put_str(b, type);
    rc = rc ? rc : aib_buf_puts(b, ",\"id\":");
    rc = rc ? rc : put_str(b, id);
    rc = rc ? rc : aib_buf_putc(b, '}');
    return rc;
}

int aib__authz_check(const aib__authz_t *a, const aib__principal_t *p, const char *action,
                     const aib__resource_t *res, aib_arena_t *arena, int *allowed,
                     aib_diag_t *diag)
{
    aib_buf_t ents, req;
    aib_cedar_entities_t *entities = NULL;
    aib_cedar_request_t *request = NULL;
    aib_cedar_response_t resp;
    const char *rid = res->id && res->id[0] ? res->id : "-";
    size_t i;
    int rc = 0;

    *allowed = 0;
    aib_buf_init(&ents);
    aib_buf_init(&req);
    rc = aib_buf_puts(&ents, "[{\"uid\":");
    rc = rc ? rc : put_uid(&ents, "Person", p->person);
    rc = rc ? rc : aib_buf_puts(&ents, ",\"attrs\":{\"nation\":");
    rc = rc ? rc : put_str(&ents, p->nation);
    rc = rc ? rc : aib_buf_puts(&ents, ",\"role\":");
    rc = rc ? rc : put_str(&ents, p->role);
    rc = rc ? rc : aib_buf_puts(&ents, "},\"parents\":[]},{\"uid\":");
    rc = rc ? rc : put_uid(&ents, res->type, rid);
    if (!rc && !strcmp(res->type, "Case")) {
        rc = aib_buf_puts(&ents, ",\"attrs\":{\"nation\":");
        rc = rc ? rc : put_str(&ents, res->nation);
        rc = rc ? rc : aib_buf_puts(&ents, ",\"released_to\":[");
        for (i = 0; !rc && i < res->n_released_to; i++) {
            rc = i ? aib_buf_putc(&ents, ',') : 0;
            rc = rc ? rc : put_str(&ents, res->released_to[i]);
        }
        rc = rc ? rc : aib_buf_puts(&ents, "],\"type\":");
        rc = rc ? rc : put_str(&ents, res->case_type);
        rc = rc ? rc : aib_buf_puts(&ents, ",\"stage\":");
        rc = rc ? rc : put_str(&ents, res->stage);
        rc = rc ? rc : aib_buf_puts(&ents, res->closed ? ",\"closed\":true}" : ",\"closed\":false}");
    } else if (!rc) {
        rc = aib_buf_puts(&ents, ",\"attrs\":{\"operator\":");
        rc = rc ? rc : put_str(&ents, res->operator_nation);
        rc = rc ? rc : aib_buf_putc(&ents, '}');
    }
    rc = rc ? rc : aib_buf_puts(&ents, ",\"parents\":[]}]");

    rc = rc ? rc : aib_buf_puts(&req, "{\"principal\":");
    rc = rc ? rc : put_uid(&req, "Person", p->person);
    rc = rc ? rc : aib_buf_puts(&req, ",\"action\":");
    rc = rc ? rc : put_uid(&req, "Action", action);
    rc = rc ? rc : aib_buf_puts(&req, ",\"resource\":");
    rc = rc ? rc : put_uid(&req, res->type, rid);
    rc = rc ? rc : aib_buf_puts(&req, ",\"context\":{}}");
    if (rc != 0)
        goto done;
    if ((rc = aib_cedar_entities_parse(ents.data, ents.len, "api-entities", a->schema, &entities,
                                       diag)) != 0)
        goto done;
    if ((rc = aib_cedar_request_parse(req.data, req.len, a->schema, true, arena, &request, diag))
        != 0)
        goto done;
    if ((rc = aib_cedar_authorize(a->ps, entities, request, arena, &resp)) != 0)
        goto done;
    *allowed = resp.decision == AIB_CEDAR_ALLOW;
done:
    aib_cedar_entities_free(entities);
    aib_buf_free(&ents);
    aib_buf_free(&req);
    return rc;
}
