/* format.c — prints policies and expressions back as Cedar text that parses to the same AST
 * (parentheses only where precedence needs them; desugared forms print as what they mean).
 * Used for debugging, messages and the parser's round-trip tests. */
#include "cedar/parser_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

enum { L_IF = 0, L_OR, L_AND, L_REL, L_ADD, L_MUL, L_UNARY, L_MEMBER };

static int level(const aib__expr_t *e)
{
    switch (e->kind) {
    case AIB__E_IF: return L_IF;
    case AIB__E_OR: return L_OR;
    case AIB__E_AND: return L_AND;
    case AIB__E_HAS: case AIB__E_LIKE: case AIB__E_IS: return L_REL;
    case AIB__E_BINOP:
        if (e->op == AIB__OP_ADD || e->op == AIB__OP_SUB)
            return L_ADD;
        if (e->op == AIB__OP_MUL)
            return L_MUL;
        return L_REL;
    case AIB__E_NOT: case AIB__E_NEG: return L_UNARY;
    case AIB__E_LIT:
        /* a negative literal is written `-N`, which parses at unary level */
        return (e->u.lit.kind == AIB__V_LONG && e->u.lit.u.i < 0) ? L_UNARY : L_MEMBER;
    default: return L_MEMBER;
    }
}

static int put_escaped(aib_buf_t *out, aib_str_t s, bool pattern)
{
    size_t i, run = 0;
    int rc = 0;
    for (i = 0; i < s.len && rc == 0; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        const char *esc = NULL;
        char ubuf[16];
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\0': esc = "\\0"; break;
        case '*':
            if (pattern)
                esc = "\\*";
            break;
        default:
            if (c < 0x20 || c == 0x7F) {
                snprintf(ubuf, sizeof(ubuf), "\\u{%x}", (unsigned)c);
                esc = ubuf;
            }
            break;
        }
        if (esc) {
            if (run)
                rc = aib_buf_append(out, s.ptr + i - run, run);
            run = 0;
            if (rc == 0)
                rc = aib_buf_puts(out, esc);
        } else {
            run++;
        }
    }
    if (rc == 0 && run)
        rc = aib_buf_append(out, s.ptr + s.len - run, run);
    return rc;
}

int aib__format_str(aib_buf_t *out, aib_str_t s)
{
    int rc = aib_buf_putc(out, '"');
    if (rc == 0)
        rc = put_escaped(out, s, false);
    if (rc == 0)
        rc = aib_buf_putc(out, '"');
    return rc;
}

int aib__format_pattern(aib_buf_t *out, const aib__pattern_t *pat)
{
    size_t i;
    int rc = aib_buf_putc(out, '"');
    for (i = 0; rc == 0 && i < pat->n; i++)
        rc = pat->elems[i].star ? aib_buf_putc(out, '*') : put_escaped(out, pat->elems[i].lit, true);
    if (rc == 0)
        rc = aib_buf_putc(out, '"');
    return rc;
}

static int put_uid(aib_buf_t *out, const aib__uid_t *u)
{
    int rc = aib_buf_append(out, u->type.ptr, u->type.len);
    if (rc == 0)
        rc = aib_buf_puts(out, "::");
    if (rc == 0)
        rc = aib__format_str(out, u->id);
    return rc;
}

/* `.name` when name is a plain attribute identifier, else `["name"]`. */
static int put_access(aib_buf_t *out, aib_str_t name)
{
    int rc;
    if (aib__is_attr_ident(name.ptr, name.len)) {
        rc = aib_buf_putc(out, '.');
        return rc ? rc : aib_buf_append(out, name.ptr, name.len);
    }
    rc = aib_buf_putc(out, '[');
    if (rc == 0)
        rc = aib__format_str(out, name);
    return rc ? rc : aib_buf_putc(out, ']');
}

static int put_attr_name(aib_buf_t *out, aib_str_t name)
{
    if (aib__is_attr_ident(name.ptr, name.len))
        return aib_buf_append(out, name.ptr, name.len);
    return aib__format_str(out, name);
}

static int fmt(const aib__expr_t *e, int min, aib_buf_t *out);

static int fmt_list(aib__expr_t *const *items, size_t n, aib_buf_t *out)
{
    size_t i;
    int rc = 0;
    for (i = 0; rc == 0 && i < n; i++) {
        if (i)
            rc = aib_buf_puts(out, ", ");
        if (rc == 0)
            rc = fmt(items[i], L_IF, out);
    }
    return rc;
}

static const char *binop_text(int op)
{
    switch (op) {
    case AIB__OP_EQ: return " == ";
    case AIB__OP_NE: return " != ";
    case AIB__OP_LT: return " < ";
    case AIB__OP_LE: return " <= ";
    case AIB__OP_GT: return " > ";
    case AIB__OP_GE: return " >= ";
    case AIB__OP_ADD: return " + ";
    case AIB__OP_SUB: return " - ";
    case AIB__OP_MUL: return " * ";
    case AIB__OP_IN: return " in ";
    default: return " ?? ";
    }
}

static int fmt_body(const aib__expr_t *e, aib_buf_t *out)
{
    static const char *const vars[] = { "principal", "action", "resource", "context" };
    int rc = 0, lv = level(e);
    uint32_t i;

    switch (e->kind) {
    case AIB__E_LIT:
        switch (e->u.lit.kind) {
        case AIB__V_BOOL:
            return aib_buf_puts(out, e->u.lit.u.b ? "true" : "false");
        case AIB__V_LONG:
            return aib_buf_printf(out, "%" PRId64, e->u.lit.u.i);
        case AIB__V_STRING:
            return aib__format_str(out, e->u.lit.u.s);
        case AIB__V_ENTITY:
            return put_uid(out, e->u.lit.u.uid);
        default:
            return aib__value_format(&e->u.lit, out);
        }
    case AIB__E_VAR:
        return aib_buf_puts(out, vars[e->op & 3]);
    case AIB__E_SLOT:
        return aib_buf_puts(out, e->op == AIB__SLOT_PRINCIPAL ? "?principal" : "?resource");
    case AIB__E_IF:
        rc = aib_buf_puts(out, "if ");
        if (rc == 0)
            rc = fmt(e->u.k.a, L_IF, out);
        if (rc == 0)
            rc = aib_buf_puts(out, " then ");
        if (rc == 0)
            rc = fmt(e->u.k.b, L_IF, out);
        if (rc == 0)
            rc = aib_buf_puts(out, " else ");
        if (rc == 0)
            rc = fmt(e->u.k.c, L_IF, out);
        return rc;
    case AIB__E_AND:
    case AIB__E_OR:
        rc = fmt(e->u.k.a, lv, out);
        if (rc == 0)
            rc = aib_buf_puts(out, e->kind == AIB__E_AND ? " && " : " || ");
        return rc ? rc : fmt(e->u.k.b, lv + 1, out);
    case AIB__E_NOT:
    case AIB__E_NEG:
        rc = aib_buf_putc(out, e->kind == AIB__E_NOT ? '!' : '-');
        if (rc)
            return rc;
        /* `-5` would read back as a literal and `--x` as a chain; parenthesize those */
        if (e->u.k.a->kind == AIB__E_LIT && e->u.k.a->u.lit.kind == AIB__V_LONG) {
            rc = aib_buf_putc(out, '(');
            if (rc == 0)
                rc = fmt_body(e->u.k.a, out);
            return rc ? rc : aib_buf_putc(out, ')');
        }
        return fmt(e->u.k.a, L_MEMBER, out);
    case AIB__E_BINOP:
        if (lv == L_REL) {
            rc = fmt(e->u.k.a, L_ADD, out);
            if (rc == 0)
                rc = aib_buf_puts(out, binop_text(e->op));
            return rc ? rc : fmt(e->u.k.b, L_ADD, out);
        }
        rc = fmt(e->u.k.a, lv, out);
        if (rc == 0)
            rc = aib_buf_puts(out, binop_text(e->op));
        return rc ? rc : fmt(e->u.k.b, lv + 1, out);
    case AIB__E_GETATTR:
        rc = fmt(e->u.attr.obj, L_MEMBER, out);
        return rc ? rc : put_access(out, e->u.attr.name);
    case AIB__E_HAS:
        rc = fmt(e->u.attr.obj, L_ADD, out);
        if (rc == 0)
            rc = aib_buf_puts(out, " has ");
        return rc ? rc : put_attr_name(out, e->u.attr.name);
    case AIB__E_LIKE:
        rc = fmt(e->u.like.obj, L_ADD, out);
        if (rc == 0)
            rc = aib_buf_puts(out, " like ");
        return rc ? rc : aib__format_pattern(out, &e->u.like.pat);
    case AIB__E_IS:
        rc = fmt(e->u.is.obj, L_ADD, out);
        if (rc == 0)
            rc = aib_buf_puts(out, " is ");
        return rc ? rc : aib_buf_append(out, e->u.is.type.ptr, e->u.is.type.len);
    case AIB__E_SET:
        rc = aib_buf_putc(out, '[');
        if (rc == 0)
            rc = fmt_list(e->u.list.items, e->n, out);
        return rc ? rc : aib_buf_putc(out, ']');
    case AIB__E_RECORD:
        rc = aib_buf_putc(out, '{');
        for (i = 0; rc == 0 && i < e->n; i++) {
            if (i)
                rc = aib_buf_puts(out, ", ");
            if (rc == 0)
                rc = put_attr_name(out, e->u.rec.keys[i]);
            if (rc == 0)
                rc = aib_buf_puts(out, ": ");
            if (rc == 0)
                rc = fmt(e->u.rec.vals[i], L_IF, out);
        }
        return rc ? rc : aib_buf_putc(out, '}');
    case AIB__E_CALL: {
        const char *name = e->op < AIB__FN__COUNT ? aib__fn_table[e->op].name : "unknown";
        bool method = e->op < AIB__FN__COUNT && aib__fn_table[e->op].is_method && e->n > 0;
        if (method) {
            rc = fmt(e->u.list.items[0], L_MEMBER, out);
            if (rc == 0)
                rc = aib_buf_putc(out, '.');
        }
        if (rc == 0)
            rc = aib_buf_puts(out, name);
        if (rc == 0)
            rc = aib_buf_putc(out, '(');
        if (rc == 0)
            rc = method ? fmt_list(e->u.list.items + 1, e->n - 1, out) : fmt_list(e->u.list.items, e->n, out);
        return rc ? rc : aib_buf_putc(out, ')');
    }
    default:
        return aib_buf_puts(out, "<?>");
    }
}

static int fmt(const aib__expr_t *e, int min, aib_buf_t *out)
{
    int rc;
    if (!e)
        return aib_buf_puts(out, "<null>");
    if (level(e) >= min)
        return fmt_body(e, out);
    rc = aib_buf_putc(out, '(');
    if (rc == 0)
        rc = fmt_body(e, out);
    return rc ? rc : aib_buf_putc(out, ')');
}

int aib__expr_format(const aib__expr_t *e, aib_buf_t *out)
{
    return fmt(e, L_IF, out);
}

static int fmt_target(const aib__scope_t *sc, const aib__uid_t *slot_val, const char *slot_name,
                      aib_buf_t *out)
{
    if (sc->slot)
        return slot_val ? put_uid(out, slot_val) : aib_buf_puts(out, slot_name);
    return sc->uid ? put_uid(out, sc->uid) : aib_buf_puts(out, "<?>");
}

static int fmt_scope(const char *var, const aib__scope_t *sc, const aib__uid_t *slot_val,
                     const char *slot_name, aib_buf_t *out)
{
    size_t i;
    int rc = aib_buf_puts(out, var);
    if (rc)
        return rc;
    switch (sc->op) {
    case AIB__SC_ANY:
        return 0;
    case AIB__SC_EQ:
        rc = aib_buf_puts(out, " == ");
        return rc ? rc : fmt_target(sc, slot_val, slot_name, out);
    case AIB__SC_IN:
        rc = aib_buf_puts(out, " in ");
        return rc ? rc : fmt_target(sc, slot_val, slot_name, out);
    case AIB__SC_IS:
    case AIB__SC_IS_IN:
        rc = aib_buf_puts(out, " is ");
        if (rc == 0)
            rc = aib_buf_append(out, sc->type.ptr, sc->type.len);
        if (rc || sc->op == AIB__SC_IS)
            return rc;
        rc = aib_buf_puts(out, " in ");
        return rc ? rc : fmt_target(sc, slot_val, slot_name, out);
    case AIB__SC_IN_SET:
        rc = aib_buf_puts(out, " in [");
        for (i = 0; rc == 0 && i < sc->n_uids; i++) {
            if (i)
                rc = aib_buf_puts(out, ", ");
            if (rc == 0)
                rc = put_uid(out, sc->uids[i]);
        }
        return rc ? rc : aib_buf_putc(out, ']');
    default:
        return aib_buf_puts(out, " <?>");
    }
}

int aib__policy_format(const aib__policy_t *p, aib_buf_t *out)
{
    size_t i;
    int rc = 0;

    for (i = 0; rc == 0 && i < p->n_annotations; i++) {
        rc = aib_buf_putc(out, '@');
        if (rc == 0)
            rc = aib_buf_append(out, p->annotations[i].key.ptr, p->annotations[i].key.len);
        if (rc == 0)
            rc = aib_buf_putc(out, '(');
        if (rc == 0)
            rc = aib__format_str(out, p->annotations[i].value);
        if (rc == 0)
            rc = aib_buf_puts(out, ")\n");
    }
    if (rc == 0)
        rc = aib_buf_puts(out, p->permit ? "permit (\n  " : "forbid (\n  ");
    if (rc == 0)
        rc = fmt_scope("principal", &p->principal, p->slot_principal, "?principal", out);
    if (rc == 0)
        rc = aib_buf_puts(out, ",\n  ");
    if (rc == 0)
        rc = fmt_scope("action", &p->action, NULL, "", out);
    if (rc == 0)
        rc = aib_buf_puts(out, ",\n  ");
    if (rc == 0)
        rc = fmt_scope("resource", &p->resource, p->slot_resource, "?resource", out);
    if (rc == 0)
        rc = aib_buf_puts(out, "\n)");
    for (i = 0; rc == 0 && i < p->n_conds; i++) {
        rc = aib_buf_puts(out, p->conds[i].is_when ? "\nwhen { " : "\nunless { ");
        if (rc == 0)
            rc = aib__expr_format(p->conds[i].expr, out);
        if (rc == 0)
            rc = aib_buf_puts(out, " }");
    }
    if (rc == 0)
        rc = aib_buf_puts(out, ";\n");
    return rc;
}
