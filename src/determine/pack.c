/* pack.c — loads a determination policy pack: every .cedar file of policies/<pack> (after the
 * files of the pack its metadata names in @base), checks each rule's annotations, applies
 * @replaces, validates the whole set against determine.cedarschema and reads the pack
 * metadata (@precedence, @licence_order, @jurisdiction_order, defaults) so that the outcome
 * order is data, not code. */
#include "determine/determine_int.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILES 64

static const char *const OUTCOMES[] = {
    "prohibited", "licence_required", "exempt", "no_licence_required", "releasable",
    "not_releasable", "condition", "candidate"
};

bool aib__determine_list_has(const char *list, const char *word)
{
    size_t wl = strlen(word);
    const char *p = list;

    if (!list)
        return true;
    while (*p) {
        const char *end;
        while (*p == ' ' || *p == ',')
            p++;
        end = p;
        while (*end && *end != ',')
            end++;
        {
            const char *e2 = end;
            while (e2 > p && e2[-1] == ' ')
                e2--;
            if ((size_t)(e2 - p) == wl && memcmp(p, word, wl) == 0)
                return true;
        }
        p = end;
    }
    return false;
}

/* Splits a comma-separated annotation into trimmed strings in arena. */
static int split_list(aib_arena_t *a, const char *s, const char **out, size_t cap, size_t *n)
{
    const char *p = s;
    *n = 0;
    while (s && *p) {
        const char *end, *b, *e2;
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        end = p;
        while (*end && *end != ',')
            end++;
        b = p;
        e2 = end;
        while (e2 > b && e2[-1] == ' ')
            e2--;
        if (*n >= cap)
            return AIB_ELIMIT;
        out[*n] = aib_arena_strndup(a, b, (size_t)(e2 - b));
        if (!out[*n])
            return AIB_ENOMEM;
        (*n)++;
        p = end;
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Lists the .cedar files of dir sorted by name into names (malloc'd strings). */
static int list_files(const char *dir, char **names, size_t *n, aib_diag_t *diag)
{
    DIR *d = opendir(dir);
    struct dirent *ent;
    int rc = 0;

    *n = 0;
    if (!d) {
        aib_diag_set(diag, dir, 0, 0, "cannot open policy pack folder");
        return AIB_EIO;
    }
    while ((ent = readdir(d)) != NULL) {
        size_t l = strlen(ent->d_name);
        if (l < 7 || strcmp(ent->d_name + l - 6, ".cedar") != 0)
            continue;
        if (*n >= MAX_FILES) {
            aib_diag_set(diag, dir, 0, 0, "more than %d policy files", MAX_FILES);
            rc = AIB_ELIMIT;
            break;
        }
        names[*n] = strdup(ent->d_name);
        if (!names[*n]) {
            rc = AIB_ENOMEM;
            break;
        }
        (*n)++;
    }
    closedir(d);
    if (rc == 0)
        qsort(names, *n, sizeof *names, cmp_str);
    return rc;
}

/* Parses every file of dir/name into ps; records the file of each new policy in files[]. */
static int parse_folder(aib_determine_engine_t *e, const char *dir, const char *name,
                        aib_cedar_policyset_t *ps, const char **files, const char **packs,
                        aib_diag_t *diag)
{
    char folder[700], path[1024];
    char *names[MAX_FILES];
    size_t n = 0, i, k;
    int rc;

    snprintf(folder, sizeof folder, "%s/%s", dir, name);
    rc = list_files(folder, names, &n, diag);
    for (i = 0; rc == 0 && i < n; i++) {
        char *text = NULL;
        size_t len = 0, before = ps->n;
        const char *fname;
        snprintf(path, sizeof path, "%s/%s", folder, names[i]);
        rc = aib_read_file(path, &text, &len, diag);
        if (rc)
            break;
        fname = aib_arena_strndup(e->arena, path, strlen(path));
        rc = fname ? aib__parse_policies(ps, text, len, fname, diag) : AIB_ENOMEM;
        free(text);
        for (k = before; rc == 0 && k < ps->n && k < 4096; k++) {
            files[k] = fname;
            packs[k] = name;
        }
        if (rc == 0 && ps->n > 4096) {
            aib_diag_set(diag, path, 0, 0, "more than 4096 policies in one pack");
            rc = AIB_ELIMIT;
        }
    }
    for (i = 0; i < n; i++)
        free(names[i]);
    return rc;
}

static const char *ann(const aib_cedar_policyset_t *ps, const aib__policy_t *p, const char *key)
{
    return aib_cedar_policy_annotation(ps, p->id.ptr, key);
}

/* Reads the annotations of policy i and checks that a rule carries what the engine needs. */
static int read_rule(const aib_cedar_policyset_t *ps, size_t i, const char *file, const char *pack,
                     aib__det_rule_t *r, aib_diag_t *diag)
{
    const aib__policy_t *p = ps->policies[i];
    const char *kind;
    size_t k;
    bool ok = false;

    memset(r, 0, sizeof *r);
    r->p = p;
    r->pack = pack;
    r->id = ann(ps, p, "id");
    r->authority = ann(ps, p, "authority");
    r->outcome = ann(ps, p, "outcome");
    r->licence = ann(ps, p, "licence");
    r->condition = ann(ps, p, "condition");
    r->record_keeping = ann(ps, p, "record_keeping");
    r->with = ann(ps, p, "with");
    r->summary = ann(ps, p, "summary");
    r->status = ann(ps, p, "status");
    r->tier = ann(ps, p, "tier");
    r->criterion = ann(ps, p, "criterion");
    r->title = ann(ps, p, "title");
    kind = ann(ps, p, "kind");
    if (!r->id) {
        aib_diag_set(diag, file, (int)p->loc.line, (int)p->loc.col, "policy has no @id");
        return AIB_ESCHEMA;
    }
    if (!kind || !strcmp(kind, "rule"))
        r->kind = AIB__DET_RULE;
    else if (!strcmp(kind, "pack"))
        r->kind = AIB__DET_META;
    else if (!strcmp(kind, "tier"))
        r->kind = AIB__DET_TIER;
    else if (!strcmp(kind, "criterion"))
        r->kind = AIB__DET_CRITERION;
    else {
        aib_diag_set(diag, file, (int)p->loc.line, (int)p->loc.col,
                     "policy `%s`: @kind `%s` is not rule, pack, tier or criterion", r->id, kind);
        return AIB_ESCHEMA;
    }
    if (r->kind == AIB__DET_META)
        return 0;
    if (!r->authority || !r->authority[0]) {
        aib_diag_set(diag, file, (int)p->loc.line, (int)p->loc.col,
                     "policy `%s` has no @authority (every rule cites its source)", r->id);
        return AIB_ESCHEMA;
    }
    if (r->kind == AIB__DET_CRITERION && (!r->tier || !r->criterion)) {
        aib_diag_set(diag, file, (int)p->loc.line, (int)p->loc.col,
                     "criterion `%s` needs @tier and @criterion", r->id);
        return AIB_ESCHEMA;
    }
    if (r->kind == AIB__DET_TIER && (!r->tier || !r->title)) {
        aib_diag_set(diag, file, (int)p->loc.line, (int)p->loc.col,
                     "tier `%s` needs @tier and @title", r->id);
        return AIB_ESCHEMA;
    }
    if (r->kind != AIB__DET_RULE)
        return 0;
    for (k = 0; r->outcome && k < sizeof OUTCOMES / sizeof *OUTCOMES; k++)
        if (!strcmp(r->outcome, OUTCOMES[k]))
            ok = true;
    if (!ok) {
        aib_diag_set(diag, file, (int)p->loc.line, (int)p->loc.col,
                     "rule `%s`: @outcome `%s` is not one of prohibited, licence_required, exempt, "
                     "no_licence_required, releasable, not_releasable, condition, candidate",
                     r->id, r->outcome ? r->outcome : "(missing)");
        return AIB_ESCHEMA;
    }
    return 0;
}

static int read_meta(aib_determine_engine_t *e, aib__det_pack_t *pk, aib_diag_t *diag)
{
    const aib_cedar_policyset_t *ps = pk->ps;
    const aib__policy_t *p;
    int rc;

    if (!pk->meta) {
        aib_diag_set(diag, pk->name, 0, 0, "pack has no @kind(\"pack\") policy with its precedence");
        return AIB_ESCHEMA;
    }
    p = pk->meta->p;
    rc = split_list(e->arena, ann(ps, p, "precedence"), pk->precedence, AIB__DET_MAX_LIST,
                    &pk->n_precedence);
    if (!rc)
        rc = split_list(e->arena, ann(ps, p, "licence_order"), pk->licence_order,
                        AIB__DET_MAX_LIST, &pk->n_licence_order);
    if (!rc)
        rc = split_list(e->arena, ann(ps, p, "jurisdiction_order"), pk->jurisdiction_order, 4,
                        &pk->n_jurisdiction_order);
    if (rc)
        return rc;
    pk->default_transfer = ann(ps, p, "default_transfer");
    pk->default_transfer_authority = ann(ps, p, "default_transfer_authority");
    pk->default_disclosure = ann(ps, p, "default_disclosure");
    pk->default_disclosure_authority = ann(ps, p, "default_disclosure_authority");
    if (!pk->n_precedence || !pk->default_transfer || !pk->default_disclosure ||
        !pk->n_jurisdiction_order) {
        aib_diag_set(diag, pk->name, (int)p->loc.line, (int)p->loc.col,
                     "pack metadata `%s` needs @precedence, @jurisdiction_order, "
                     "@default_transfer and @default_disclosure", pk->meta->id);
        return AIB_ESCHEMA;
    }
    return 0;
}

static int validate(aib_determine_engine_t *e, aib__det_pack_t *pk, const char **files,
                    aib_diag_t *diag)
{
    aib_arena_t *a = aib_arena_new(0);
    aib_cedar_validation_t v;
    int rc;

    if (!a)
        return AIB_ENOMEM;
    rc = aib_cedar_validate(pk->ps, e->schema, a, &v);
    if (rc == 0 && v.n_errors) {
        const aib_cedar_validation_error_t *er = &v.errors[0];
        const char *file = pk->name, *rid = er->policy_id;
        size_t i;
        for (i = 0; i < pk->ps->n; i++)
            if (!strcmp(pk->ps->policies[i]->id.ptr, er->policy_id)) {
                file = i < 4096 ? files[i] : file;
                if (pk->rules && i < pk->n_rules && pk->rules[i].id)
                    rid = pk->rules[i].id;
            }
        aib_diag_set(diag, file, er->line, er->col,
                     "pack `%s` does not validate against determine.cedarschema (%zu error%s); "
                     "policy `%s`: %s", pk->name, v.n_errors, v.n_errors == 1 ? "" : "s", rid,
                     er->message);
        rc = AIB_ESCHEMA;
    }
    aib_arena_free(a);
    return rc;
}

int aib__determine_pack_load(aib_determine_engine_t *e, const char *dir, const char *name,
                             aib__det_pack_t *out, aib_diag_t *diag)
{
    static const char *files[4096], *packs[4096];
    aib_cedar_policyset_t *ps = NULL;
    const char *base = NULL;
    size_t i, j;
    int rc;

    memset(out, 0, sizeof *out);
    out->name = name;
    rc = aib_cedar_policyset_parse("", 0, NULL, &ps, diag);
    if (rc)
        return rc;
    /* First pass over the pack's own files to learn its base pack. */
    rc = parse_folder(e, dir, name, ps, files, packs, diag);
    for (i = 0; rc == 0 && i < ps->n; i++) {
        const char *k = ann(ps, ps->policies[i], "kind");
        const char *b = ann(ps, ps->policies[i], "base");
        /* copied: the first policy set is freed before the base pack is read */
        if (k && !strcmp(k, "pack") && b) {
            base = aib_arena_strndup(e->arena, b, strlen(b));
            if (!base)
                rc = AIB_ENOMEM;
        }
    }
    if (rc == 0 && base && base[0]) {
        if (!strcmp(base, name)) {
            aib_diag_set(diag, name, 0, 0, "pack `%s` names itself as @base", name);
            rc = AIB_ESCHEMA;
        } else {
            aib_cedar_policyset_free(ps);
            ps = NULL;
            rc = aib_cedar_policyset_parse("", 0, NULL, &ps, diag);
            if (!rc)
                rc = parse_folder(e, dir, base, ps, files, packs, diag);
            if (!rc)
                rc = parse_folder(e, dir, name, ps, files, packs, diag);
        }
    }
    if (rc)
        goto done;
    out->ps = ps;
    out->n_rules = ps->n;
    out->rules = aib_arena_calloc(e->arena, ps->n ? ps->n : 1, sizeof *out->rules);
    if (!out->rules) {
        rc = AIB_ENOMEM;
        goto done;
    }
    for (i = 0; rc == 0 && i < ps->n; i++)
        rc = read_rule(ps, i, files[i], packs[i], &out->rules[i], diag);
    /* @replaces in a later file retires rules of the base pack (and the base's metadata). */
    for (i = 0; rc == 0 && i < ps->n; i++) {
        const char *rep = ann(ps, ps->policies[i], "replaces");
        for (j = 0; rep && j < i; j++)
            if (aib__determine_list_has(rep, out->rules[j].id))
                out->rules[j].disabled = true;
        if (out->rules[i].kind == AIB__DET_META && strcmp(packs[i], name) == 0)
            for (j = 0; j < i; j++)
                if (out->rules[j].kind == AIB__DET_META)
                    out->rules[j].disabled = true;
    }
    for (i = 0; rc == 0 && i < ps->n; i++) {
        if (out->rules[i].disabled)
            continue;
        if (out->rules[i].kind == AIB__DET_META)
            out->meta = &out->rules[i];
        for (j = 0; j < i; j++)
            if (!out->rules[j].disabled && !strcmp(out->rules[i].id, out->rules[j].id)) {
                aib_diag_set(diag, files[i], (int)out->rules[i].p->loc.line,
                             (int)out->rules[i].p->loc.col,
                             "@id `%s` is used twice in pack `%s` (use @replaces to override)",
                             out->rules[i].id, name);
                rc = AIB_ESCHEMA;
                break;
            }
    }
    if (!rc)
        rc = validate(e, out, files, diag);
    if (!rc)
        rc = read_meta(e, out, diag);
done:
    if (rc) {
        aib_cedar_policyset_free(ps);
        out->ps = NULL;
    }
    return rc;
}

void aib__determine_pack_free(aib__det_pack_t *p)
{
    if (p && p->ps) {
        aib_cedar_policyset_free(p->ps);
        p->ps = NULL;
    }
}

const aib__det_pack_t *aib__determine_pack(const aib_determine_engine_t *e, const char *name)
{
    size_t i;
    for (i = 0; i < e->n_packs; i++)
        if (!strcmp(e->packs[i].name, name))
            return &e->packs[i];
    return NULL;
}
