/* evaluate.c — one determination: every rule of the pack whose actions admit the request is
 * evaluated on its own (so the trace can say which applied and why), then the satisfied rules
 * become the result by the pack's declared precedence of outcomes and order of licences.
 * Rules of outcome "condition" add provisos and "candidate" rules name licence exceptions to
 * consider; both only for the outcomes their @with lists. Nothing here knows a regulation. */
#include "determine/determine_int.h"

#include <stdio.h>
#include <string.h>

#define ERR_CAP 256

typedef struct strlist {
    const char **v;
    size_t n, cap;
} strlist_t;

static int sl_init(strlist_t *l, size_t cap, aib_arena_t *a)
{
    l->v = aib_arena_calloc(a, cap ? cap : 1, sizeof *l->v);
    l->n = 0;
    l->cap = cap;
    return l->v ? 0 : AIB_ENOMEM;
}

static void sl_add(strlist_t *l, const char *s)
{
    size_t i;
    if (!s || !s[0])
        return;
    for (i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], s))
            return;
    if (l->n < l->cap)
        l->v[l->n++] = s;
}

static size_t licence_rank(const aib__det_pack_t *pk, const char *lic)
{
    size_t i;
    for (i = 0; i < pk->n_licence_order; i++)
        if (!strcmp(pk->licence_order[i], lic))
            return i;
    return pk->n_licence_order;
}

int aib_determine_run(aib_determine_engine_t *e, const aib_determine_request_t *req,
                      const char *pack, aib_arena_t *arena, aib_determine_result_t *out,
                      aib_diag_t *diag)
{
    const aib__det_pack_t *pk = aib__determine_pack(e, pack);
    const aib_cedar_entities_t *es = NULL;
    aib__request_t cr;
    bool *applied;
    const char *win = NULL, *best_lic = NULL;
    bool disclosure;
    strlist_t rules, auth, cond, cand;
    char err[ERR_CAP];
    size_t i, k, best_rank = (size_t)-1;
    int rc;

    memset(out, 0, sizeof *out);
    if (!pk) {
        aib_diag_set(diag, "determine", 0, 0, "unknown pack `%s` (current or proposed)", pack);
        return AIB_EINVAL;
    }
    out->pack = pk->name;
    rc = aib__determine_entities(e, req->date, &es, diag);
    if (rc)
        return rc;
    rc = aib__determine_cedar_request(e, pk, es, req, arena, &cr, &out->item_ref,
                                      &out->jurisdiction);
    if (rc)
        return rc;
    disclosure = !strcmp(req->kind, "disclosure");
    applied = aib_arena_calloc(arena, pk->n_rules ? pk->n_rules : 1, sizeof *applied);
    out->trace = aib_arena_calloc(arena, pk->n_rules ? pk->n_rules : 1, sizeof *out->trace);
    if (!applied || !out->trace || sl_init(&rules, pk->n_rules, arena) ||
        sl_init(&auth, pk->n_rules + 1, arena) || sl_init(&cond, 2 * pk->n_rules + 1, arena) ||
        sl_init(&cand, pk->n_rules, arena))
        return AIB_ENOMEM;

    for (i = 0; i < pk->n_rules; i++) {
        const aib__det_rule_t *r = &pk->rules[i];
        aib_determine_trace_t *t;
        int v;
        if (r->disabled || r->kind != AIB__DET_RULE || !aib__determine_action_matches(r->p, es, cr.action, cr.resource))
            continue;
        v = aib__eval_policy(r->p, es, &cr, arena, err, sizeof err);
        if (v == AIB_ENOMEM)
            return v;
        t = &out->trace[out->n_trace++];
        t->rule = r->id;
        t->authority = r->authority;
        t->outcome = r->outcome;
        t->applied = v == 1;
        applied[i] = v == 1;
        if (v < 0) {
            t->error = true;
            t->why = aib_arena_strndup(arena, err, strlen(err));
        } else if (v == 1 && r->summary) {
            t->why = r->summary;
        } else {
            t->why = aib__determine_explain(r->p, es, &cr, v == 1, arena);
        }
        if (!t->why)
            return AIB_ENOMEM;
    }
    /* The outcome: the first outcome of the pack's precedence that some rule reached. */
    for (k = 0; k < pk->n_precedence && !win; k++)
        for (i = 0; i < pk->n_rules; i++)
            if (applied[i] && !strcmp(pk->rules[i].outcome, pk->precedence[k])) {
                win = pk->precedence[k];
                break;
            }
    if (!win) {
        out->by_default = true;
        win = disclosure ? pk->default_disclosure : pk->default_transfer;
        sl_add(&auth, disclosure ? pk->default_disclosure_authority : pk->default_transfer_authority);
    }
    out->outcome = win;
    for (i = 0; i < pk->n_rules; i++) {
        const aib__det_rule_t *r = &pk->rules[i];
        if (!applied[i])
            continue;
        if (!strcmp(r->outcome, win)) {
            sl_add(&rules, r->id);
            sl_add(&auth, r->authority);
            sl_add(&cond, r->condition);
            sl_add(&cond, r->record_keeping);
            if (r->licence && licence_rank(pk, r->licence) < best_rank) {
                best_rank = licence_rank(pk, r->licence);
                best_lic = r->licence;
            }
        } else if (!strcmp(r->outcome, "condition") && aib__determine_list_has(r->with, win)) {
            sl_add(&rules, r->id);
            sl_add(&auth, r->authority);
            sl_add(&cond, r->condition);
            sl_add(&cond, r->record_keeping);
        } else if (!strcmp(r->outcome, "candidate") && aib__determine_list_has(r->with, win)) {
            char buf[1024];
            snprintf(buf, sizeof buf, "%s: %s%s%s", r->licence ? r->licence : r->id, r->authority,
                     r->condition ? " — " : "", r->condition ? r->condition : "");
            sl_add(&cand, aib_arena_strndup(arena, buf, strlen(buf)));
        }
    }
    out->licence = best_lic;
    out->rules = rules.v;
    out->n_rules = rules.n;
    out->authorities = auth.v;
    out->n_authorities = auth.n;
    out->conditions = cond.v;
    out->n_conditions = cond.n;
    out->candidates = cand.v;
    out->n_candidates = cand.n;
    return 0;
}
