/* scr_ownership.c — the OFAC 50% rule over an ownership graph (JSON, docs/screening.md): an entity
 * is blocked when blocked persons together own 50% or more of it, directly or through entities
 * that are themselves blocked (which then count as blocked for the next tier). Control alone
 * does not block. Unknown percentages give a lower and an upper bound; an entity that only the
 * upper bound reaches is reported for review. Cycles are found and reported, and cannot loop. */
#include "screen/screen_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *id, *name;
    bool listed;
    bool definite, possible;
    int round; /* fixpoint round in which it became definitely blocked (listed: 0) */
} node_t;

typedef struct {
    size_t owner, asset;
    double pct; /* < 0 unknown */
    bool control;
    bool active;
    size_t idx; /* position in "edges" */
} edge_t;

typedef struct {
    node_t *n;
    size_t nn;
    edge_t *e;
    size_t ne;
} graph_t;

const char *aib_screen_own_status_name(aib_screen_own_status_t s)
{
    switch (s) {
    case AIB_SCREEN_OWN_LISTED: return "listed";
    case AIB_SCREEN_OWN_BLOCKED_50: return "blocked_50";
    case AIB_SCREEN_OWN_REVIEW: return "review";
    default: return "not_blocked";
    }
}

static long find_node(const graph_t *g, const char *id)
{
    size_t i;
    for (i = 0; i < g->nn; i++)
        if (!strcmp(g->n[i].id, id))
            return (long)i;
    return -1;
}

static aib_screen_own_status_t status_of(const node_t *n)
{
    return n->listed ? AIB_SCREEN_OWN_LISTED
           : n->definite ? AIB_SCREEN_OWN_BLOCKED_50
           : n->possible ? AIB_SCREEN_OWN_REVIEW
                         : AIB_SCREEN_OWN_NOT_BLOCKED;
}

static bool valid_date(const char *s)
{
    size_t i;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    return true;
}

static int parse(json_t *root, const char *as_of, graph_t *g, aib_diag_t *diag)
{
    json_t *ents = json_object_get(root, "entities"), *edges = json_object_get(root, "edges"), *x;
    size_t i;

    if (!json_is_object(root) || !json_is_array(ents)) {
        aib_diag_set(diag, NULL, 0, 0, "entities: expected an array of {\"id\", \"name\", \"listed\"}");
        return AIB_ESCHEMA;
    }
    if (edges && !json_is_array(edges)) {
        aib_diag_set(diag, NULL, 0, 0, "edges: expected an array");
        return AIB_ESCHEMA;
    }
    g->n = calloc(json_array_size(ents) + 1, sizeof(*g->n));
    g->e = calloc(json_array_size(edges) + 1, sizeof(*g->e));
    if (!g->n || !g->e)
        return AIB_ENOMEM;
    json_array_foreach(ents, i, x) {
        json_t *id = json_object_get(x, "id"), *listed = json_object_get(x, "listed");
        if (!json_is_string(id) || !json_string_length(id)) {
            aib_diag_set(diag, NULL, 0, 0, "entities[%zu].id: expected a non-empty string", i);
            return AIB_ESCHEMA;
        }
        if (listed && !json_is_boolean(listed)) {
            aib_diag_set(diag, NULL, 0, 0, "entities[%zu].listed: expected true or false", i);
            return AIB_ESCHEMA;
        }
        if (find_node(g, json_string_value(id)) >= 0) {
            aib_diag_set(diag, NULL, 0, 0, "entities[%zu].id: `%s` appears twice", i, json_string_value(id));
            return AIB_ESCHEMA;
        }
        g->n[g->nn].id = json_string_value(id);
        g->n[g->nn].name = json_string_value(json_object_get(x, "name"));
        g->n[g->nn].listed = json_is_true(listed);
        g->nn++;
    }
    json_array_foreach(edges, i, x) {
        json_t *o = json_object_get(x, "owner"), *a = json_object_get(x, "asset"),
               *p = json_object_get(x, "percent"), *t = json_object_get(x, "type"),
               *from = json_object_get(x, "from"), *to = json_object_get(x, "to");
        edge_t *e = &g->e[g->ne];
        long oi, ai;
        if (!json_is_object(x) || !json_is_string(o) || !json_is_string(a)) {
            aib_diag_set(diag, NULL, 0, 0, "edges[%zu]: expected {\"owner\": ID, \"asset\": ID, ...}", i);
            return AIB_ESCHEMA;
        }
        oi = find_node(g, json_string_value(o));
        ai = find_node(g, json_string_value(a));
        if (oi < 0 || ai < 0) {
            aib_diag_set(diag, NULL, 0, 0, "edges[%zu].%s: unknown entity `%s`", i, oi < 0 ? "owner" : "asset",
                         oi < 0 ? json_string_value(o) : json_string_value(a));
            return AIB_ESCHEMA;
        }
        if (t && (!json_is_string(t) || (strcmp(json_string_value(t), "ownership") != 0
                                         && strcmp(json_string_value(t), "control") != 0))) {
            aib_diag_set(diag, NULL, 0, 0, "edges[%zu].type: expected \"ownership\" or \"control\"", i);
            return AIB_ESCHEMA;
        }
        if (p && !json_is_null(p) && (!json_is_number(p) || json_number_value(p) < 0 || json_number_value(p) > 100)) {
            aib_diag_set(diag, NULL, 0, 0, "edges[%zu].percent: expected a number from 0 to 100 or null", i);
            return AIB_ESCHEMA;
        }
        if ((from && !json_is_null(from) && (!json_is_string(from) || !valid_date(json_string_value(from))))
            || (to && !json_is_null(to) && (!json_is_string(to) || !valid_date(json_string_value(to))))) {
            aib_diag_set(diag, NULL, 0, 0, "edges[%zu]: from/to must be dates YYYY-MM-DD or null", i);
            return AIB_ESCHEMA;
        }
        e->owner = (size_t)oi;
        e->asset = (size_t)ai;
        e->control = t && !strcmp(json_string_value(t), "control");
        e->pct = json_is_number(p) ? json_number_value(p) : -1;
        e->idx = i;
        if (as_of)
            e->active = (!json_is_string(from) || strcmp(json_string_value(from), as_of) <= 0)
                        && (!json_is_string(to) || strcmp(as_of, json_string_value(to)) <= 0);
        else
            e->active = !json_is_string(to);
        g->ne++;
    }
    /* known holdings into one asset cannot exceed 100% */
    for (i = 0; i < g->nn; i++) {
        double sum = 0;
        size_t k;
        for (k = 0; k < g->ne; k++)
            if (g->e[k].asset == i && g->e[k].active && !g->e[k].control && g->e[k].pct > 0)
                sum += g->e[k].pct;
        if (sum > 100.0 + 1e-6) {
            aib_diag_set(diag, NULL, 0, 0, "holdings in `%s` add up to %.2f%% (more than 100%%)", g->n[i].id, sum);
            return AIB_ESCHEMA;
        }
    }
    return 0;
}

/* lo: known shares held by definitely blocked owners; hi: the most possibly blocked owners
 * could hold, unknown shares filling what the known ones leave. */
static void shares(const graph_t *g, size_t a, double *lo, double *hi)
{
    double known_all = 0, l = 0, h = 0;
    bool unknown_possible = false;
    size_t k;
    for (k = 0; k < g->ne; k++) {
        const edge_t *e = &g->e[k];
        if (e->asset != a || !e->active || e->control)
            continue;
        if (e->pct >= 0)
            known_all += e->pct;
        if (e->pct >= 0 && g->n[e->owner].definite)
            l += e->pct;
        if (e->pct >= 0 && g->n[e->owner].possible)
            h += e->pct;
        if (e->pct < 0 && g->n[e->owner].possible)
            unknown_possible = true;
    }
    if (unknown_possible && known_all < 100)
        h += 100 - known_all;
    *lo = l;
    *hi = h;
}

static void fixpoint(graph_t *g)
{
    size_t i;
    int round = 0;
    bool changed = true;
    for (i = 0; i < g->nn; i++) {
        g->n[i].definite = g->n[i].possible = g->n[i].listed;
        g->n[i].round = g->n[i].listed ? 0 : -1;
    }
    while (changed) {
        changed = false; /* rounds are layered: each decides from the previous round's state */
        round++;
        {
            bool *newdef = calloc(g->nn + 1, sizeof(bool)), *newpos = calloc(g->nn + 1, sizeof(bool));
            if (!newdef || !newpos) {
                free(newdef);
                free(newpos);
                return;
            }
            for (i = 0; i < g->nn; i++) {
                double lo, hi;
                shares(g, i, &lo, &hi);
                newdef[i] = !g->n[i].definite && lo >= 50.0 - 1e-9;
                newpos[i] = !g->n[i].possible && hi >= 50.0 - 1e-9;
            }
            for (i = 0; i < g->nn; i++) {
                if (newdef[i]) {
                    g->n[i].definite = g->n[i].possible = true;
                    g->n[i].round = round;
                    changed = true;
                }
                if (newpos[i]) {
                    g->n[i].possible = true;
                    changed = true;
                }
            }
            free(newdef);
            free(newpos);
        }
    }
}

/* Most holdings one answer lists: the chain is a tree unfolded from a graph, and a graph with
 * shared owners unfolds into exponentially many paths; past this the answer says "truncated". */
#define CHAIN_MAX_ENTRIES 2000

static int chain_json(const graph_t *g, size_t a, int depth, size_t *budget, aib_buf_t *b)
{
    size_t k;
    bool first = true;
    int rc = aib_buf_putc(b, '[');
    for (k = 0; k < g->ne; k++) {
        const edge_t *e = &g->e[k];
        const node_t *o = &g->n[e->owner];
        if (e->asset != a || !e->active || e->control || !o->possible)
            continue;
        if (*budget == 0) {
            rc |= aib_buf_puts(b, first ? "{\"truncated\":true}" : ",{\"truncated\":true}");
            break;
        }
        (*budget)--;
        rc |= aib_buf_puts(b, first ? "{\"owner\":" : ",{\"owner\":");
        first = false;
        rc |= aib_buf_json_str(b, o->id, strlen(o->id));
        if (e->pct >= 0)
            rc |= aib_buf_printf(b, ",\"percent\":%.4g", e->pct);
        else
            rc |= aib_buf_puts(b, ",\"percent\":null");
        rc |= aib_buf_printf(b, ",\"edge\":%zu,\"status\":\"%s\"", e->idx, aib_screen_own_status_name(status_of(o)));
        /* follow only owners blocked in an earlier round (or merely possible ones, bounded by
         * depth), so the explanation is finite even on cycles */
        if (!o->listed && depth < 16
            && ((o->definite && g->n[a].definite && o->round < g->n[a].round) || (!o->definite && o->possible))) {
            rc |= aib_buf_puts(b, ",\"held_by\":");
            rc |= chain_json(g, e->owner, depth + 1, budget, b);
        }
        rc |= aib_buf_putc(b, '}');
    }
    rc |= aib_buf_putc(b, ']');
    return rc;
}

/* Tarjan's strongly connected components over active ownership edges; every component with
 * more than one member (or a self-holding) is a cycle reported to the caller. */
typedef struct {
    const graph_t *g;
    int *index, *low, *stack;
    bool *on;
    int counter, sp;
    aib_buf_t *out;
    bool first;
    int rc;
} tarjan_t;

static void strongconnect(tarjan_t *t, size_t v, int depth)
{
    size_t k;
    t->index[v] = t->low[v] = t->counter++;
    t->stack[t->sp++] = (int)v;
    t->on[v] = true;
    for (k = 0; k < t->g->ne; k++) {
        const edge_t *e = &t->g->e[k];
        if (e->owner != v || !e->active || e->control)
            continue;
        if (t->index[e->asset] < 0) {
            if (depth >= 10000)
                continue; /* deeper than any real holding structure */
            strongconnect(t, e->asset, depth + 1);
            if (t->low[e->asset] < t->low[v])
                t->low[v] = t->low[e->asset];
        } else if (t->on[e->asset] && t->index[e->asset] < t->low[v]) {
            t->low[v] = t->index[e->asset];
        }
    }
    if (t->low[v] == t->index[v]) {
        int start = t->sp, n = 0;
        bool self = false;
        do {
            start--;
            n++;
        } while (t->stack[start] != (int)v);
        for (k = 0; k < t->g->ne; k++)
            if (t->g->e[k].owner == v && t->g->e[k].asset == v && t->g->e[k].active && !t->g->e[k].control)
                self = true;
        if (n > 1 || self) {
            int i;
            t->rc |= aib_buf_puts(t->out, t->first ? "[" : ",[");
            t->first = false;
            for (i = start; i < t->sp; i++) {
                const char *id = t->g->n[t->stack[i]].id;
                if (i > start)
                    t->rc |= aib_buf_putc(t->out, ',');
                t->rc |= aib_buf_json_str(t->out, id, strlen(id));
            }
            t->rc |= aib_buf_putc(t->out, ']');
        }
        for (; t->sp > start;)
            t->on[t->stack[--t->sp]] = false;
    }
}

static int cycles_json(const graph_t *g, aib_buf_t *b)
{
    tarjan_t t;
    size_t i;
    memset(&t, 0, sizeof(t));
    t.g = g;
    t.out = b;
    t.first = true;
    t.index = malloc((g->nn + 1) * sizeof(int));
    t.low = malloc((g->nn + 1) * sizeof(int));
    t.stack = malloc((g->nn + 1) * sizeof(int));
    t.on = calloc(g->nn + 1, sizeof(bool));
    if (!t.index || !t.low || !t.stack || !t.on) {
        t.rc = AIB_ENOMEM;
        goto done;
    }
    for (i = 0; i < g->nn; i++)
        t.index[i] = -1;
    t.rc |= aib_buf_putc(b, '[');
    for (i = 0; i < g->nn; i++)
        if (t.index[i] < 0)
            strongconnect(&t, i, 0);
    t.rc |= aib_buf_putc(b, ']');
done:
    free(t.index);
    free(t.low);
    free(t.stack);
    free(t.on);
    return t.rc ? AIB_ENOMEM : 0;
}

int aib_screen_ownership(const char *json, size_t len, const char *entity, const char *as_of,
                         aib_screen_own_status_t *status, aib_buf_t *out, aib_diag_t *diag)
{
    json_error_t err;
    json_t *root = NULL;
    graph_t g;
    long t;
    double lo, hi;
    size_t k;
    int rc = 0;
    bool first = true;

    memset(&g, 0, sizeof(g));
    *status = AIB_SCREEN_OWN_NOT_BLOCKED;
    if (as_of && !valid_date(as_of)) {
        aib_diag_set(diag, NULL, 0, 0, "as-of date `%s` is not YYYY-MM-DD", as_of);
        return AIB_EINVAL;
    }
    root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        aib_diag_set(diag, NULL, err.line, err.column, "malformed JSON: %s", err.text);
        return AIB_EPARSE;
    }
    if ((rc = parse(root, as_of, &g, diag)) != 0)
        goto done;
    t = find_node(&g, entity);
    if (t < 0) {
        aib_diag_set(diag, NULL, 0, 0, "entity `%s` is not in the graph", entity);
        rc = AIB_ENOTFOUND;
        goto done;
    }
    fixpoint(&g);
    shares(&g, (size_t)t, &lo, &hi);
    *status = status_of(&g.n[t]);
    rc |= aib_buf_puts(out, "{\"entity\":");
    rc |= aib_buf_json_str(out, entity, strlen(entity));
    if (g.n[t].name) {
        rc |= aib_buf_puts(out, ",\"name\":");
        rc |= aib_buf_json_str(out, g.n[t].name, strlen(g.n[t].name));
    }
    rc |= aib_buf_puts(out, ",\"as_of\":");
    rc |= as_of ? aib_buf_json_str(out, as_of, strlen(as_of)) : aib_buf_puts(out, "null");
    rc |= aib_buf_printf(out, ",\"status\":\"%s\",\"blocked_percent\":%.4g,\"possible_percent\":%.4g,\"chain\":",
                         aib_screen_own_status_name(*status), lo, hi);
    {
        size_t budget = CHAIN_MAX_ENTRIES;
        rc |= chain_json(&g, (size_t)t, 0, &budget, out);
    }
    rc |= aib_buf_puts(out, ",\"unknown_holdings\":[");
    for (k = 0; k < g.ne; k++) {
        const edge_t *e = &g.e[k];
        if (e->asset != (size_t)t || !e->active || e->control || e->pct >= 0)
            continue;
        rc |= aib_buf_puts(out, first ? "" : ",");
        first = false;
        rc |= aib_buf_json_str(out, g.n[e->owner].id, strlen(g.n[e->owner].id));
    }
    rc |= aib_buf_puts(out, "],\"control\":[");
    first = true;
    for (k = 0; k < g.ne; k++) {
        const edge_t *e = &g.e[k];
        const node_t *o = &g.n[e->owner];
        if (e->asset != (size_t)t || !e->active || !e->control)
            continue;
        rc |= aib_buf_puts(out, first ? "{\"controller\":" : ",{\"controller\":");
        first = false;
        rc |= aib_buf_json_str(out, o->id, strlen(o->id));
        rc |= aib_buf_printf(out, ",\"status\":\"%s\",\"note\":\"control alone does not block under the 50%% "
                                  "rule\"}",
                             aib_screen_own_status_name(status_of(o)));
    }
    rc |= aib_buf_puts(out, "],\"cycles\":");
    rc |= cycles_json(&g, out);
    rc |= aib_buf_puts(out, ",\"rule\":\"OFAC 50% rule: blocked persons' direct and indirect holdings "
                            "(through blocked entities) are aggregated; 50% or more blocks\"}");
    if (rc)
        rc = AIB_ENOMEM;
done:
    free(g.n);
    free(g.e);
    json_decref(root);
    return rc;
}
