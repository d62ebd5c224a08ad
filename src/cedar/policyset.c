/* policyset.c — the public policy-set API: parse Cedar text into a set (positional ids), link
 * templates into static policies, and look policies up by id. The set owns an arena holding
 * every policy, expression and string; the policy pointer array is malloc'd; the scope index
 * (index.c) is built lazily elsewhere and only released here. */
#include "cedar/parser_int.h"

#include <stdlib.h>
#include <string.h>

/* Ids are unique in a set (link refuses a taken one) and usually positional: "policyN" sits at
 * position N, so that slot is tried first; linked policies and other ids need the scan. */
static const aib__policy_t *find_policy(const aib_cedar_policyset_t *ps, const char *id)
{
    size_t i, k = 0;
    const char *d;
    if (!ps || !id)
        return NULL;
    if (strncmp(id, "policy", 6) == 0 && id[6] >= '0' && id[6] <= '9') {
        for (d = id + 6; *d >= '0' && *d <= '9' && k <= ps->n; d++)
            k = k * 10 + (size_t)(*d - '0');
        if (*d == '\0' && k < ps->n && aib_str_eq_cstr(ps->policies[k]->id, id))
            return ps->policies[k];
    }
    for (i = 0; i < ps->n; i++)
        if (aib_str_eq_cstr(ps->policies[i]->id, id))
            return ps->policies[i];
    return NULL;
}

int aib_cedar_policyset_parse(const char *text, size_t len, const char *filename,
                              aib_cedar_policyset_t **out, aib_diag_t *diag)
{
    aib_cedar_policyset_t *ps;
    int rc = AIB_ENOMEM;

    if (!out)
        return AIB_EINVAL;
    *out = NULL;
    ps = calloc(1, sizeof(*ps));
    if (!ps || !(ps->arena = aib_arena_new(0)))
        goto done;
    ps->index_dirty = true;
    rc = aib__parse_policies(ps, text, len, filename, diag);
    if (rc == 0) {
        *out = ps;
        ps = NULL;
    }
done:
    aib_cedar_policyset_free(ps);
    return rc;
}

void aib_cedar_policyset_free(aib_cedar_policyset_t *ps)
{
    if (!ps)
        return;
    if (ps->index)
        aib__index_free(ps->index);
    free(ps->policies);
    aib_arena_free(ps->arena);
    free(ps);
}

static int parse_slot(aib_cedar_policyset_t *ps, const char *text, const char *which,
                      const aib__uid_t **out, aib_diag_t *diag)
{
    aib__uid_t *u;
    int rc = aib__parse_uid(text, strlen(text), ps->arena, &u, diag);
    if (rc) {
        char inner[sizeof(diag->msg)];
        if (diag) {
            memcpy(inner, diag->msg, sizeof(inner));
            aib_diag_set(diag, NULL, 0, 0, "value for %s: %s", which, inner);
        }
        return rc;
    }
    *out = u;
    return 0;
}

int aib_cedar_policyset_link(aib_cedar_policyset_t *ps, const char *template_id, const char *new_id,
                             const char *principal_slot, const char *resource_slot, aib_diag_t *diag)
{
    const aib__policy_t *t;
    aib__policy_t *p;
    int rc = 0;

    if (!ps || !template_id || !new_id)
        return AIB_EINVAL;
    t = find_policy(ps, template_id);
    if (!t || !t->is_template) {
        aib_diag_set(diag, NULL, 0, 0, "no template with id `%s`", template_id);
        return AIB_ENOTFOUND;
    }
    if (find_policy(ps, new_id)) {
        aib_diag_set(diag, NULL, 0, 0, "a policy or template with id `%s` already exists", new_id);
        return AIB_EEXIST;
    }
    if (!t->principal.slot != !principal_slot) {
        aib_diag_set(diag, NULL, 0, 0, t->principal.slot ? "template `%s` needs a value for ?principal"
                                                       : "template `%s` has no ?principal slot", template_id);
        return AIB_EINVAL;
    }
    if (!t->resource.slot != !resource_slot) {
        aib_diag_set(diag, NULL, 0, 0, t->resource.slot ? "template `%s` needs a value for ?resource"
                                                      : "template `%s` has no ?resource slot", template_id);
        return AIB_EINVAL;
    }
    p = aib_arena_alloc(ps->arena, sizeof(*p));
    if (!p)
        return AIB_ENOMEM;
    *p = *t;
    p->tmpl = t;
    p->is_template = 0;
    p->slot_principal = NULL;
    p->slot_resource = NULL;
    if (principal_slot && (rc = parse_slot(ps, principal_slot, "?principal", &p->slot_principal, diag)))
        return rc;
    if (resource_slot && (rc = parse_slot(ps, resource_slot, "?resource", &p->slot_resource, diag)))
        return rc;
    p->id = aib_arena_str(ps->arena, new_id, strlen(new_id));
    if (!p->id.ptr)
        return AIB_ENOMEM;
    if (ps->n == ps->cap) {
        size_t nc = ps->cap ? ps->cap * 2 : 16;
        aib__policy_t **nv = realloc(ps->policies, nc * sizeof(*nv));
        if (!nv)
            return AIB_ENOMEM;
        ps->policies = nv;
        ps->cap = nc;
    }
    p->index = (uint32_t)ps->n;
    ps->policies[ps->n++] = p;
    ps->index_dirty = true;
    return 0;
}

size_t aib_cedar_policyset_size(const aib_cedar_policyset_t *ps)
{
    return ps ? ps->n : 0;
}

const char *aib_cedar_policyset_id(const aib_cedar_policyset_t *ps, size_t i)
{
    if (!ps || i >= ps->n)
        return NULL;
    return ps->policies[i]->id.ptr;
}

const char *aib_cedar_policy_annotation(const aib_cedar_policyset_t *ps, const char *policy_id,
                                        const char *key)
{
    const aib__policy_t *p = find_policy(ps, policy_id);
    size_t i;
    if (!p || !key)
        return NULL;
    /* a linked policy holds a copy of its template's annotation list */
    for (i = 0; i < p->n_annotations; i++)
        if (aib_str_eq_cstr(p->annotations[i].key, key))
            return p->annotations[i].value.ptr;
    return NULL;
}

size_t aib_cedar_policy_annotation_count(const aib_cedar_policyset_t *ps, const char *policy_id)
{
    const aib__policy_t *p = find_policy(ps, policy_id);
    return p ? p->n_annotations : 0;
}

int aib_cedar_policy_annotation_at(const aib_cedar_policyset_t *ps, const char *policy_id, size_t i,
                                   aib_str_t *key, aib_str_t *value)
{
    const aib__policy_t *p = find_policy(ps, policy_id);
    if (!p)
        return AIB_ENOTFOUND;
    if (i >= p->n_annotations || !key || !value)
        return AIB_EINVAL;
    *key = p->annotations[i].key;
    *value = p->annotations[i].value;
    return 0;
}

int aib_cedar_policy_is_permit(const aib_cedar_policyset_t *ps, const char *policy_id)
{
    const aib__policy_t *p = find_policy(ps, policy_id);
    if (!p)
        return AIB_ENOTFOUND;
    return p->permit ? 1 : 0;
}
