/* parser_policy.c — parses Cedar policy text into aib__policy_t records: annotations, effect,
 * the principal/action/resource scope (with ?principal / ?resource template slots) and
 * when/unless conditions, checked as the reference's CST-to-AST conversion checks them.
 * Entry points aib__parse_policies (used by policyset.c) and aib__parse_uid. */
#include "cedar/parser_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const var_names[3] = { "principal", "action", "resource" };

static int ann_cmp(const void *a, const void *b)
{
    const aib__annotation_t *x = a, *y = b;
    return aib_str_cmp(x->key, y->key);
}

static int parse_annotations(aib__parser_t *p, aib__policy_t *pol)
{
    size_t n = 0, cap = 0, i;
    aib__annotation_t *v = NULL, *sorted;

    while (p->tok.kind == AIB__T_AT) {
        aib__annotation_t a;
        aib__p_advance(p);
        if (p->tok.kind != AIB__T_IDENT)
            return aib__p_expected(p, "an annotation name after `@`");
        a.key = aib_arena_str(p->arena, p->src + p->tok.loc.off, p->tok.loc.end - p->tok.loc.off);
        if (!a.key.ptr)
            return aib__p_oom(p);
        aib__p_advance(p);
        if (p->tok.kind == AIB__T_LPAREN) {
            aib__p_advance(p);
            if (aib__parse_str_tok(p, &a.value) || aib__p_expect(p, AIB__T_RPAREN, "`)` after annotation value"))
                return p->err;
        } else {
            a.value = aib_arena_str(p->arena, "", 0);
            if (!a.value.ptr)
                return aib__p_oom(p);
        }
        v = aib__p_grow(p, v, n, &cap, sizeof(*v));
        if (!v)
            return p->err;
        v[n++] = a;
    }
    if (n > 1) {
        sorted = malloc(n * sizeof(*sorted));
        if (!sorted)
            return aib__p_oom(p);
        memcpy(sorted, v, n * sizeof(*sorted));
        qsort(sorted, n, sizeof(*sorted), ann_cmp);
        for (i = 1; i < n; i++) {
            if (aib_str_eq(sorted[i - 1].key, sorted[i].key)) {
                aib__p_error(p, &pol->loc, "duplicate annotation: @%.*s", (int)sorted[i].key.len,
                             sorted[i].key.ptr);
                break;
            }
        }
        free(sorted);
        if (p->err)
            return p->err;
    }
    pol->n_annotations = n;
    pol->annotations = v;
    return 0;
}

static void expr_what(const aib__expr_t *e, char *buf, size_t cap)
{
    switch (e->kind) {
    case AIB__E_LIT:
        snprintf(buf, cap, "a literal");
        break;
    case AIB__E_VAR:
        snprintf(buf, cap, "the variable `%s`",
                 e->op == AIB__VAR_CONTEXT ? "context" : var_names[e->op < 3 ? e->op : 0]);
        break;
    case AIB__E_SLOT:
        snprintf(buf, cap, "template slot ?%s", e->op == AIB__SLOT_PRINCIPAL ? "principal" : "resource");
        break;
    case AIB__E_SET:
        snprintf(buf, cap, "set of entity uids");
        break;
    case AIB__E_BINOP: case AIB__E_AND: case AIB__E_OR:
        snprintf(buf, cap, "a binary operator");
        break;
    default:
        snprintf(buf, cap, "an expression");
        break;
    }
}

static int action_uid(aib__parser_t *p, const aib__expr_t *e, const aib__uid_t **out)
{
    char what[64];
    if (e->kind == AIB__E_LIT && e->u.lit.kind == AIB__V_ENTITY) {
        const aib__uid_t *u = e->u.lit.u.uid;
        if (!aib__is_action_type(u->type)) {
            aib_buf_t b;
            aib_buf_init(&b);
            if (aib__uid_format(u, &b) != 0) {
                aib_buf_free(&b);
                return aib__p_oom(p);
            }
            aib__p_error(p, &e->loc, "expected an entity uid with type `Action` but got `%.200s`", b.data);
            aib_buf_free(&b);
            return p->err;
        }
        *out = u;
        return 0;
    }
    if (e->kind == AIB__E_SLOT)
        return aib__p_error(p, &e->loc, "expected single entity uid, found template slot");
    expr_what(e, what, sizeof(what));
    return aib__p_error(p, &e->loc, "expected an entity uid, found %s", what);
}

/* One scope element; idx 0 principal, 1 action, 2 resource. */
static int parse_scope(aib__parser_t *p, int idx, aib__scope_t *sc)
{
    aib__tok_t var = p->tok;
    bool has_is = false;
    int op;
    aib__expr_t *e;
    char what[64];

    memset(sc, 0, sizeof(*sc));
    sc->loc = var.loc;
    if (var.kind != AIB__T_IDENT)
        return aib__p_expected(p, idx == 0 ? "`principal`" : idx == 1 ? "`action`" : "`resource`");
    if (var.kw != AIB__KW_PRINCIPAL + idx) {
        if (var.kw >= AIB__KW_PRINCIPAL && var.kw <= AIB__KW_RESOURCE)
            return aib__p_error(p, &var.loc, "found the variable `%s` where the variable `%s` must be used",
                                var_names[var.kw - AIB__KW_PRINCIPAL], var_names[idx]);
        return aib__p_expected(p, idx == 0 ? "`principal`" : idx == 1 ? "`action`" : "`resource`");
    }
    aib__p_advance(p);
    if (p->tok.kind == AIB__T_COLON)
        return aib__p_error(p, &p->tok.loc, "type constraints using `:` are not supported");
    if (p->tok.kind == AIB__T_IDENT && p->tok.kw == AIB__KW_IS) {
        aib__loc_t tl;
        if (idx == 1)
            return aib__p_error(p, &p->tok.loc, "`is` cannot appear in the action scope");
        aib__p_advance(p);
        if (aib__parse_name(p, &sc->type, &tl))
            return p->err;
        has_is = true;
        sc->op = AIB__SC_IS;
    }
    switch (p->tok.kind) {
    case AIB__T_EQ:
        op = AIB__SC_EQ;
        break;
    case AIB__T_IDENT:
        if (p->tok.kw == AIB__KW_IN) {
            op = AIB__SC_IN;
            break;
        }
        /* fall through */
    default:
        if (p->tok.kind == AIB__T_ASSIGN)
            return aib__p_error(p, &p->tok.loc, "'=' is not a valid operator in Cedar (use `==`)");
        if (p->tok.kind == AIB__T_NE || p->tok.kind == AIB__T_LT || p->tok.kind == AIB__T_LE ||
            p->tok.kind == AIB__T_GT || p->tok.kind == AIB__T_GE) {
            aib__p_describe(p, &p->tok, what, sizeof(what));
            return aib__p_error(p, &p->tok.loc, "invalid operator in the policy scope: %s", what);
        }
        sc->loc.end = p->prev_end;
        return 0;
    }
    if (has_is && op == AIB__SC_EQ)
        return aib__p_error(p, &p->tok.loc, "`is` cannot be used together with `==`");
    aib__p_advance(p);
    e = aib__parse_expr(p);
    if (!e)
        return p->err;
    sc->loc.end = p->prev_end;
    if (idx == 1) {
        if (op == AIB__SC_IN && e->kind == AIB__E_SET) {
            uint32_t i;
            sc->op = AIB__SC_IN_SET;
            sc->n_uids = e->n;
            sc->uids = aib_arena_calloc(p->arena, e->n ? e->n : 1, sizeof(*sc->uids));
            if (!sc->uids)
                return aib__p_oom(p);
            for (i = 0; i < e->n; i++)
                if (action_uid(p, e->u.list.items[i], &sc->uids[i]))
                    return p->err;
            return 0;
        }
        sc->op = (uint8_t)op;
        return action_uid(p, e, &sc->uid);
    }
    sc->op = (uint8_t)(has_is ? AIB__SC_IS_IN : op);
    if (e->kind == AIB__E_LIT && e->u.lit.kind == AIB__V_ENTITY) {
        sc->uid = e->u.lit.u.uid;
        return 0;
    }
    if (e->kind == AIB__E_SLOT) {
        int want = idx == 0 ? AIB__SLOT_PRINCIPAL : AIB__SLOT_RESOURCE;
        if (e->op != want)
            return aib__p_error(p, &e->loc, "expected an entity uid or matching template slot, found ?%s "
                                "instead of ?%s", e->op == AIB__SLOT_PRINCIPAL ? "principal" : "resource",
                                var_names[idx]);
        sc->slot = 1;
        return 0;
    }
    if (e->kind == AIB__E_SET)
        return aib__p_error(p, &e->loc, "expected single entity uid or template slot, found set of "
                            "entity uids");
    expr_what(e, what, sizeof(what));
    return aib__p_error(p, &e->loc, "expected an entity uid or matching template slot, found %s", what);
}

static int parse_conds(aib__parser_t *p, aib__policy_t *pol)
{
    size_t n = 0, cap = 0;
    aib__cond_t *v = NULL;

    while (p->tok.kind == AIB__T_IDENT) {
        aib__cond_t c;
        aib__tok_t kw = p->tok;
        const aib__expr_t *slot;
        size_t text_start;

        memset(&c, 0, sizeof(c));
        c.loc = kw.loc;
        if (kw.kw != AIB__KW_WHEN && kw.kw != AIB__KW_UNLESS) {
            char what[96];
            aib__p_describe(p, &kw, what, sizeof(what));
            return aib__p_error(p, &kw.loc, "invalid policy condition: %s (expected `when` or `unless`)", what);
        }
        c.is_when = kw.kw == AIB__KW_WHEN;
        aib__p_advance(p);
        if (aib__p_expect(p, AIB__T_LBRACE, c.is_when ? "`{` after `when`" : "`{` after `unless`"))
            return p->err;
        if (p->tok.kind == AIB__T_RBRACE)
            return aib__p_error(p, &kw.loc, "`%s` condition clause cannot be empty", c.is_when ? "when" : "unless");
        text_start = p->tok.loc.off;
        c.expr = aib__parse_expr(p);
        if (!c.expr)
            return p->err;
        /* desugared `has a.b` / `is T in x` share operands; the budget (linear in the
         * condition's text) bounds the tree every later walk will see */
        if (aib__expr_check_size(p, c.expr, 64 * (size_t)(p->tok.loc.off - text_start) + 65536))
            return p->err;
        slot = aib__expr_find_slot(c.expr);
        if (slot)
            return aib__p_error(p, &slot->loc, "found template slot ?%s in a `%s` clause",
                                slot->op == AIB__SLOT_PRINCIPAL ? "principal" : "resource",
                                c.is_when ? "when" : "unless");
        if (aib__p_expect(p, AIB__T_RBRACE, "`}` after condition"))
            return p->err;
        c.loc.end = p->prev_end;
        v = aib__p_grow(p, v, n, &cap, sizeof(*v));
        if (!v)
            return p->err;
        v[n++] = c;
    }
    pol->n_conds = n;
    pol->conds = v;
    return 0;
}

static int parse_policy(aib__parser_t *p, aib__policy_t *pol)
{
    int i = 0;

    memset(pol, 0, sizeof(*pol));
    pol->loc = p->tok.loc;
    if (parse_annotations(p, pol))
        return p->err;
    if (p->tok.kind != AIB__T_IDENT)
        return aib__p_expected(p, "`permit` or `forbid`");
    if (p->tok.kw != AIB__KW_PERMIT && p->tok.kw != AIB__KW_FORBID) {
        char what[96];
        aib__p_describe(p, &p->tok, what, sizeof(what));
        return aib__p_error(p, &p->tok.loc, "invalid policy effect: %s (expected `permit` or `forbid`)", what);
    }
    pol->permit = p->tok.kw == AIB__KW_PERMIT;
    aib__p_advance(p);
    if (aib__p_expect(p, AIB__T_LPAREN, pol->permit ? "`(` after `permit`" : "`(` after `forbid`"))
        return p->err;
    while (p->tok.kind != AIB__T_RPAREN) {
        aib__scope_t *sc;
        if (i >= 3) {
            char what[96];
            aib__p_describe(p, &p->tok, what, sizeof(what));
            return aib__p_error(p, &p->tok.loc, "this policy has an extra element in the scope: %s", what);
        }
        sc = i == 0 ? &pol->principal : i == 1 ? &pol->action : &pol->resource;
        if (parse_scope(p, i, sc))
            return p->err;
        i++;
        if (p->tok.kind == AIB__T_COMMA) {
            aib__p_advance(p);
            continue;
        }
        if (p->tok.kind != AIB__T_RPAREN)
            return aib__p_expected(p, "`,` or `)` in the policy scope");
    }
    if (i < 3)
        return aib__p_error(p, &p->tok.loc, "this policy is missing the `%s` variable in the scope",
                            var_names[i]);
    aib__p_advance(p);
    if (parse_conds(p, pol))
        return p->err;
    if (aib__p_expect(p, AIB__T_SEMI, "`;` after policy"))
        return p->err;
    pol->loc.end = p->prev_end;
    pol->is_template = pol->principal.slot || pol->resource.slot;
    return 0;
}

static void off_to_linecol(const char *s, size_t off, int *line, int *col)
{
    size_t i;
    *line = 1;
    *col = 1;
    for (i = 0; i < off; i++) {
        if (s[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

static bool id_taken(const aib_cedar_policyset_t *ps, size_t upto, const char *id, size_t len)
{
    size_t i;
    aib_str_t s = { id, len };
    for (i = 0; i < upto; i++)
        if (aib_str_eq(ps->policies[i]->id, s))
            return true;
    return false;
}

int aib__parse_policies(aib_cedar_policyset_t *ps, const char *text, size_t len, const char *filename,
                        aib_diag_t *diag)
{
    aib__parser_t p;
    size_t n0 = ps->n, bad;
    int rc = 0;

    if (!text && len)
        return AIB_EINVAL;
    if (len > AIB_CEDAR_MAX_TEXT) {
        aib_diag_set(diag, filename, 0, 0, "policy text is %zu bytes, more than the limit of %u", len,
                     AIB_CEDAR_MAX_TEXT);
        return AIB_ELIMIT;
    }
    bad = aib__utf8_check(text, len);
    if (bad < len) {
        int line, col;
        off_to_linecol(text, bad, &line, &col);
        aib_diag_set(diag, filename, line, col, "policy text is not valid UTF-8 (byte 0x%02X)",
                     (unsigned char)text[bad]);
        return AIB_EPARSE;
    }
    aib__p_init(&p, ps->arena, text ? text : "", len, filename, diag);
    while (p.tok.kind != AIB__T_EOF) {
        aib__policy_t *pol = aib_arena_alloc(ps->arena, sizeof(*pol));
        char idbuf[32];
        int idn;

        if (!pol) {
            rc = aib__p_oom(&p);
            goto done;
        }
        if (parse_policy(&p, pol)) {
            rc = p.err;
            goto done;
        }
        idn = snprintf(idbuf, sizeof(idbuf), "policy%zu", ps->n);
        if (n0 && id_taken(ps, n0, idbuf, (size_t)idn)) {
            rc = aib__p_error(&p, &pol->loc, "a policy with id `%s` already exists in the policy set", idbuf);
            goto done;
        }
        pol->id = aib_arena_str(ps->arena, idbuf, (size_t)idn);
        if (!pol->id.ptr) {
            rc = aib__p_oom(&p);
            goto done;
        }
        if (ps->n == ps->cap) {
            size_t nc = ps->cap ? ps->cap * 2 : 16;
            aib__policy_t **nv = realloc(ps->policies, nc * sizeof(*nv));
            if (!nv) {
                rc = aib__p_oom(&p);
                goto done;
            }
            ps->policies = nv;
            ps->cap = nc;
        }
        pol->index = (uint32_t)ps->n;
        ps->policies[ps->n++] = pol;
    }
done:
    if (rc)
        ps->n = n0; /* all or nothing; the arena keeps the partial work until freed */
    else if (ps->n != n0)
        ps->index_dirty = true;
    return rc;
}

int aib__parse_uid(const char *text, size_t len, aib_arena_t *arena, aib__uid_t **out, aib_diag_t *diag)
{
    aib__parser_t p;
    aib__expr_t *e;
    int rc = AIB_EPARSE;

    *out = NULL;
    if (!text || len > AIB_CEDAR_MAX_TEXT || aib__utf8_check(text, len) < len) {
        aib_diag_set(diag, NULL, 0, 0, "invalid entity uid text");
        return AIB_EPARSE;
    }
    aib__p_init(&p, arena, text, len, NULL, diag);
    if (p.tok.kind != AIB__T_IDENT) {
        aib__p_expected(&p, "an entity uid like `Type::\"id\"`");
        goto done;
    }
    e = aib__parse_expr(&p);
    if (!e)
        goto done;
    if (e->kind != AIB__E_LIT || e->u.lit.kind != AIB__V_ENTITY) {
        aib__p_error(&p, &e->loc, "expected an entity uid like `Type::\"id\"`");
        goto done;
    }
    if (p.tok.kind != AIB__T_EOF) {
        aib__p_expected(&p, "end of input after the entity uid");
        goto done;
    }
    *out = (aib__uid_t *)e->u.lit.u.uid;
    rc = 0;
done:
    if (rc && p.err)
        rc = p.err;
    return rc;
}
