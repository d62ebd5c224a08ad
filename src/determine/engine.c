/* engine.c — the determinations engine: finds the policy folder, loads the alliance registry
 * (unless the caller lends one), the schema and the packs "current" and "proposed", and
 * prepares the epoch table. Everything here happens once per process. */
#include "determine/determine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const PACKS[AIB__DET_PACKS] = { "current", "proposed" };

static bool has_schema(const char *dir)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/determine.cedarschema", dir);
    return access(path, R_OK) == 0;
}

/* The policies/ folder: option, $AIB_POLICY_DIR, ./policies, or next to the binary's tree
 * (<tree>/build/<x>/aib -> <tree>/policies). */
static int find_dir(const char *opt, char *out, size_t cap, aib_diag_t *diag)
{
    const char *env = getenv("AIB_POLICY_DIR");
    char exe[400], cand[480];
    ssize_t n;
    int up;

    if (opt) {
        snprintf(out, cap, "%s", opt);
        return 0;
    }
    if (env && env[0]) {
        snprintf(out, cap, "%s", env);
        return 0;
    }
    if (has_schema("policies")) {
        snprintf(out, cap, "policies");
        return 0;
    }
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        for (up = 0; up < 4; up++) {
            char *slash = strrchr(exe, '/');
            if (!slash)
                break;
            *slash = '\0';
            snprintf(cand, sizeof cand, "%s/policies", exe);
            if (has_schema(cand)) {
                snprintf(out, cap, "%s", cand);
                return 0;
            }
        }
    }
    aib_diag_set(diag, "policies", 0, 0,
                 "policy folder not found (set AIB_POLICY_DIR or run from the source tree)");
    return AIB_ENOTFOUND;
}

int aib_determine_engine_open(const aib_determine_opts_t *opts, aib_determine_engine_t **out,
                              aib_diag_t *diag)
{
    aib_determine_engine_t *e = calloc(1, sizeof *e);
    char path[1200];
    char *text = NULL;
    size_t len = 0, i;
    int rc;

    *out = NULL;
    if (!e)
        return AIB_ENOMEM;
    e->arena = aib_arena_new(0);
    if (!e->arena) {
        rc = AIB_ENOMEM;
        goto done;
    }
    rc = find_dir(opts ? opts->policy_dir : NULL, e->policy_dir, sizeof e->policy_dir, diag);
    if (rc)
        goto done;
    if (opts && opts->alliance) {
        e->al = opts->alliance;
    } else {
        rc = aib_alliance_load(opts ? opts->alliance_opts : NULL, &e->owned, diag);
        if (rc)
            goto done;
        e->al = e->owned;
    }
    snprintf(path, sizeof path, "%s/determine.cedarschema", e->policy_dir);
    rc = aib_read_file(path, &text, &len, diag);
    if (!rc)
        rc = aib_cedar_schema_parse(text, len, false, path, &e->schema, diag);
    free(text);
    if (rc)
        goto done;
    for (i = 0; i < AIB__DET_PACKS; i++) {
        rc = aib__determine_pack_load(e, e->policy_dir, PACKS[i], &e->packs[i], diag);
        if (rc)
            goto done;
        e->n_packs++;
    }
    rc = aib__determine_epochs_init(e, diag);
done:
    if (rc) {
        aib_determine_engine_free(e);
        return rc;
    }
    *out = e;
    return 0;
}

void aib_determine_engine_free(aib_determine_engine_t *e)
{
    size_t i;

    if (!e)
        return;
    for (i = 0; i < e->n_packs; i++)
        aib__determine_pack_free(&e->packs[i]);
    if (e->epochs)
        for (i = 0; i <= e->n_changes; i++)
            aib_cedar_entities_free(e->epochs[i].es);
    free(e->epochs);
    free(e->changes);
    aib_cedar_schema_free(e->schema);
    aib_alliance_free(e->owned);
    aib_arena_free(e->arena);
    free(e);
}

const aib_alliance_t *aib_determine_engine_alliance(const aib_determine_engine_t *e)
{
    return e->al;
}

size_t aib_determine_pack_rules(const aib_determine_engine_t *e, const char *pack)
{
    const aib__det_pack_t *p = aib__determine_pack(e, pack);
    size_t i, n = 0;
    for (i = 0; p && i < p->n_rules; i++)
        if (!p->rules[i].disabled && p->rules[i].kind == AIB__DET_RULE)
            n++;
    return n;
}
