/* cmd_alliance.c — `aib alliance`: read-only lookups in the alliance registry and reference data
 * (countries, dated groups, agreements, profiles, EAR tables, ITAR tables, disclosure markings),
 * as text or --json. Every answer carries its citation and as-of date; unsure facts say so. */
#include "cli_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aib/alliance.h"
#include "aib/arena.h"

static const char usage_text[] =
    "usage: aib alliance COMMAND ARGS [--date YYYY-MM-DD] [--json] [--data DIR] [--ear PATH]\n"
    "\n"
    "Read-only lookups in the alliance registry and regulatory reference data.\n"
    "\n"
    "commands:\n"
    "  country KEY              a country by alpha-2/alpha-3/numeric code or name: codes, EAR row,\n"
    "                           groups it belongs to on --date, agreements, protection profile\n"
    "  group TOKEN              members of a group on --date (NATO, FVEY, EU, A:5, ITAR:126.1...)\n"
    "  groups                   every group with its kind and citation\n"
    "  expand LIST              expand a REL TO list (\"USA, GBR, FVEY\") on --date to trigraphs\n"
    "  ear eccn REF             a CCL entry (3A001, or paragraph 3A001.a.1)\n"
    "  ear chart COLUMN COUNTRY the Country Chart cell (\"NS 1\" GBR)\n"
    "  ear exception SYMBOL     a Part 740 licence exception (STA, GBS, LVS...)\n"
    "  itar usml REF            a USML category or paragraph (XI, XI(a)(3))\n"
    "  itar exemption ID [REF]  an ITAR exemption (126.5, 126.7) and the exclusions covering REF\n"
    "  itar licence ID          a licence or agreement type (DSP-5, TAA...)\n"
    "  itar threshold COUNTRY WHAT  the 123.15 notification threshold (major_defense_equipment,\n"
    "                           defense_articles_services, firearms_cat_i, agreement, ...)\n"
    "  marking TOKEN            a classification level or marking (SECRET, NOFORN, SP-EXPT)\n"
    "  info                     what was loaded, from where\n"
    "\n"
    "--date defaults to today. Data: --data or $AIB_DATA_DIR (default ./data); EAR tables: --ear or\n"
    "$AIB_SHARED_DATA/ear-data.tar.gz. See docs/data-sources.md.\n"
    "Exit status: 0 found, 1 not found, 2 usage or data error.\n";

typedef struct {
    const aib_alliance_t *a;
    aib_alliance_date_t date;
    bool json;
    aib_buf_t out;
} ctx_t;

/* ---- Output helpers ---------------------------------------------------------------------- */

static void jstr(aib_buf_t *b, const char *s)
{
    if (s)
        aib_buf_json_str(b, s, strlen(s));
    else
        aib_buf_puts(b, "null");
}

static void jkey(aib_buf_t *b, bool *first, const char *k)
{
    if (!*first)
        aib_buf_putc(b, ',');
    *first = false;
    jstr(b, k);
    aib_buf_putc(b, ':');
}

/* One "key":"string" (or null) member of an object. */
static void jkv(aib_buf_t *b, bool *first, const char *k, const char *v)
{
    jkey(b, first, k);
    jstr(b, v);
}

/* One "key":true|false member of an object. */
static void jkb(aib_buf_t *b, bool *first, const char *k, bool v)
{
    jkey(b, first, k);
    aib_buf_puts(b, v ? "true" : "false");
}

static void jdate(aib_buf_t *b, aib_alliance_date_t d)
{
    char s[16];
    if (!d) {
        aib_buf_puts(b, "null");
        return;
    }
    aib_alliance_date_format(d, s, sizeof(s));
    jstr(b, s);
}

/* One "key":date (YYYY-MM-DD or null) member of an object. */
static void jkdate(aib_buf_t *b, bool *first, const char *k, aib_alliance_date_t d)
{
    jkey(b, first, k);
    jdate(b, d);
}

static void jcite(aib_buf_t *b, const aib_alliance_cite_t *c)
{
    bool f = true;
    aib_buf_putc(b, '{');
    jkv(b, &f, "citation", c->citation);
    jkv(b, &f, "source", c->source);
    jkv(b, &f, "as_of", c->as_of);
    jkb(b, &f, "unsure", c->unsure);
    jkv(b, &f, "note", c->note);
    aib_buf_putc(b, '}');
}

/* The "cite" member of an object. */
static void jkcite(aib_buf_t *b, bool *first, const aib_alliance_cite_t *c)
{
    jkey(b, first, "cite");
    jcite(b, c);
}

static void tcite(aib_buf_t *b, const char *indent, const aib_alliance_cite_t *c)
{
    aib_buf_printf(b, "%s[%s; as of %s%s]%s%s\n", indent, c->citation ? c->citation : "?",
                   c->as_of ? c->as_of : "?", c->unsure ? "; UNSURE" : "",
                   c->note ? " " : "", c->note ? c->note : "");
}

static void jmembership(aib_buf_t *b, const aib_alliance_membership_t *m)
{
    bool f = true;
    aib_buf_putc(b, '{');
    jkv(b, &f, "country", m->country);
    jkdate(b, &f, "from", m->from);
    jkdate(b, &f, "until", m->until);
    jkv(b, &f, "status", m->status);
    jkcite(b, &f, &m->cite);
    aib_buf_putc(b, '}');
}

static void tmembership(aib_buf_t *b, const aib_alliance_membership_t *m)
{
    char f[16], u[16];
    aib_alliance_date_format(m->from, f, sizeof(f));
    aib_alliance_date_format(m->until, u, sizeof(u));
    aib_buf_printf(b, "  %s  from %s%s%s%s%s%s\n", m->country, f[0] ? f : "(undated)",
                   u[0] ? " until " : "", u, m->status ? "  " : "", m->status ? m->status : "",
                   m->cite.unsure ? "  (unsure)" : "");
}

/* ---- Commands ---------------------------------------------------------------------------- */

static int cmd_country(ctx_t *c, const char *key)
{
    const aib_alliance_country_t *co = aib_alliance_country(c->a, key);
    aib_alliance_group_hit_t hits[128];
    const aib_alliance_agreement_t *ags;
    const aib_alliance_profile_t *p;
    size_t n = 0, nag, i;
    aib_buf_t *b = &c->out;

    if (!co) {
        fprintf(stderr, "aib alliance: unknown country `%s`\n", key);
        return AIB_CLI_NEGATIVE;
    }
    aib_alliance_country_groups(c->a, co->alpha3, c->date, hits, 128, &n, NULL);
    if (n > 128)
        n = 128;
    ags = aib_alliance_agreements(c->a, co->alpha3, &nag);
    p = aib_alliance_profile(c->a, co->alpha3);
    if (c->json) {
        bool f = true;
        aib_buf_putc(b, '{');
        jkv(b, &f, "alpha2", co->alpha2);
        jkv(b, &f, "alpha3", co->alpha3);
        jkv(b, &f, "numeric", co->numeric);
        jkv(b, &f, "name", co->name);
        jkv(b, &f, "official_name", co->official_name);
        jkv(b, &f, "ear_row", co->ear_row);
        jkv(b, &f, "ear_row_basis", co->ear_row_basis);
        jkey(b, &f, "aliases");
        aib_buf_putc(b, '[');
        for (i = 0; i < co->n_aliases; i++) {
            if (i)
                aib_buf_putc(b, ',');
            jstr(b, co->aliases[i]);
        }
        aib_buf_puts(b, "]");
        jkdate(b, &f, "date", c->date);
        jkey(b, &f, "groups");
        aib_buf_putc(b, '[');
        for (i = 0; i < n; i++) {
            bool g = true;
            if (i)
                aib_buf_putc(b, ',');
            aib_buf_putc(b, '{');
            jkv(b, &g, "group", hits[i].group->id);
            jkv(b, &g, "kind", hits[i].group->kind);
            jkey(b, &g, "membership");
            jmembership(b, hits[i].membership);
            aib_buf_putc(b, '}');
        }
        aib_buf_puts(b, "]");
        jkey(b, &f, "agreements");
        aib_buf_putc(b, '[');
        for (i = 0; i < nag; i++) {
            bool g = true;
            if (i)
                aib_buf_putc(b, ',');
            aib_buf_putc(b, '{');
            jkv(b, &g, "type", ags[i].type);
            jkv(b, &g, "status", ags[i].status);
            jkdate(b, &g, "signed", ags[i].signed_on);
            jkdate(b, &g, "in_force", ags[i].in_force);
            jkb(b, &g, "in_force_on_date",
                aib_alliance_agreement_in_force(c->a, co->alpha3, ags[i].type, c->date) == &ags[i]);
            jkcite(b, &g, &ags[i].cite);
            aib_buf_putc(b, '}');
        }
        aib_buf_puts(b, "]");
        jkey(b, &f, "profile");
        if (!p) {
            aib_buf_puts(b, "null");
        } else {
            const struct { const char *k; const aib_alliance_fact_t *v; } facts[] = {
                { "investment_screening", &p->investment_screening },
                { "screening_threshold", &p->screening_threshold },
                { "screening_mandatory", &p->screening_mandatory },
                { "industrial_security", &p->industrial_security },
                { "information_sharing", &p->information_sharing },
                { "export_control_law", &p->export_control_law },
            };
            bool g = true;
            aib_buf_putc(b, '{');
            for (i = 0; i < sizeof(facts) / sizeof(facts[0]); i++) {
                bool h = true;
                jkey(b, &g, facts[i].k);
                if (!facts[i].v->value) {
                    aib_buf_puts(b, "null");
                    continue;
                }
                aib_buf_putc(b, '{');
                jkv(b, &h, "value", facts[i].v->value);
                jkey(b, &h, "number");
                if (facts[i].v->has_number)
                    aib_buf_printf(b, "%g", facts[i].v->number);
                else
                    aib_buf_puts(b, "null");
                jkcite(b, &h, &facts[i].v->cite);
                aib_buf_putc(b, '}');
            }
            aib_buf_putc(b, '}');
        }
        aib_buf_puts(b, "}\n");
        return AIB_CLI_OK;
    }
    aib_buf_printf(b, "%s %s %s  %s\n", co->alpha2, co->alpha3, co->numeric ? co->numeric : "-",
                   co->name);
    if (co->official_name)
        aib_buf_printf(b, "official name: %s\n", co->official_name);
    aib_buf_printf(b, "EAR Country Chart row: %s%s%s\n", co->ear_row ? co->ear_row : "(none)",
                   co->ear_row_basis ? " — " : "", co->ear_row_basis ? co->ear_row_basis : "");
    {
        char d[16];
        aib_alliance_date_format(c->date, d, sizeof(d));
        aib_buf_printf(b, "groups on %s:\n", d);
    }
    for (i = 0; i < n; i++)
        aib_buf_printf(b, "  %-24s %s%s%s\n", hits[i].group->id, hits[i].group->kind,
                       hits[i].membership->status ? " " : "",
                       hits[i].membership->status ? hits[i].membership->status : "");
    aib_buf_printf(b, "agreements with the United States:%s\n", nag ? "" : " (none recorded)");
    for (i = 0; i < nag; i++) {
        char s[16];
        aib_alliance_date_format(ags[i].in_force ? ags[i].in_force : ags[i].signed_on, s, sizeof(s));
        aib_buf_printf(b, "  %-8s %-12s %s\n", ags[i].type, ags[i].status, s);
        tcite(b, "    ", &ags[i].cite);
    }
    if (p) {
        aib_buf_puts(b, "protection profile:\n");
        if (p->investment_screening.value)
            aib_buf_printf(b, "  investment screening: %s\n", p->investment_screening.value);
        if (p->screening_threshold.value)
            aib_buf_printf(b, "  threshold: %s\n", p->screening_threshold.value);
        if (p->industrial_security.value)
            aib_buf_printf(b, "  industrial security: %s\n", p->industrial_security.value);
        if (p->information_sharing.value)
            aib_buf_printf(b, "  information sharing: %s\n", p->information_sharing.value);
        if (p->export_control_law.value)
            aib_buf_printf(b, "  export control law: %s\n", p->export_control_law.value);
    }
    return AIB_CLI_OK;
}

static int cmd_group(ctx_t *c, const char *token)
{
    const aib_alliance_group_t *g = aib_alliance_group(c->a, token);
    const aib_alliance_membership_t *ms[512];
    aib_diag_t d = { 0 };
    size_t n = 0, i;
    aib_buf_t *b = &c->out;

    if (!g || aib_alliance_group_members(c->a, token, c->date, ms, 512, &n, &d) != 0) {
        fprintf(stderr, "aib alliance: unknown group `%s`\n", token);
        return AIB_CLI_NEGATIVE;
    }
    if (c->json) {
        bool f = true;
        aib_buf_putc(b, '{');
        jkv(b, &f, "id", g->id);
        jkv(b, &f, "name", g->name);
        jkv(b, &f, "kind", g->kind);
        jkb(b, &f, "snapshot", g->snapshot);
        jkdate(b, &f, "date", c->date);
        jkcite(b, &f, &g->cite);
        jkey(b, &f, "count");
        aib_buf_printf(b, "%zu", n);
        jkey(b, &f, "members");
        aib_buf_putc(b, '[');
        for (i = 0; i < n; i++) {
            if (i)
                aib_buf_putc(b, ',');
            jmembership(b, ms[i]);
        }
        aib_buf_puts(b, "]}\n");
        return AIB_CLI_OK;
    }
    {
        char ds[16];
        aib_alliance_date_format(c->date, ds, sizeof(ds));
        aib_buf_printf(b, "%s — %s (%s): %zu members on %s%s\n", g->id, g->name, g->kind, n, ds,
                       g->snapshot ? " (undated snapshot)" : "");
    }
    tcite(b, "", &g->cite);
    for (i = 0; i < n; i++)
        tmembership(b, ms[i]);
    return AIB_CLI_OK;
}

static int cmd_groups(ctx_t *c)
{
    size_t i;
    aib_buf_t *b = &c->out;

    if (c->json)
        aib_buf_putc(b, '[');
    for (i = 0; i < aib_alliance_group_count(c->a); i++) {
        const aib_alliance_group_t *g = aib_alliance_group_at(c->a, i);
        if (c->json) {
            bool f = true;
            if (i)
                aib_buf_putc(b, ',');
            aib_buf_putc(b, '{');
            jkv(b, &f, "id", g->id);
            jkv(b, &f, "name", g->name);
            jkv(b, &f, "kind", g->kind);
            jkcite(b, &f, &g->cite);
            aib_buf_putc(b, '}');
        } else {
            aib_buf_printf(b, "%-24s %-18s %s\n", g->id, g->kind, g->name);
        }
    }
    if (c->json)
        aib_buf_puts(b, "]\n");
    return AIB_CLI_OK;
}

static int cmd_expand(ctx_t *c, const char *list)
{
    const char *out[512];
    aib_diag_t d = { 0 };
    size_t n = 0, i;
    int rc = aib_alliance_expand(c->a, list, c->date, out, 512, &n, &d);

    if (rc) {
        fprintf(stderr, "aib alliance: %s\n", d.msg);
        return rc == AIB_ENOTFOUND ? AIB_CLI_NEGATIVE : AIB_CLI_USAGE;
    }
    if (c->json)
        aib_buf_putc(&c->out, '[');
    for (i = 0; i < n; i++) {
        if (c->json) {
            if (i)
                aib_buf_putc(&c->out, ',');
            jstr(&c->out, out[i]);
        } else {
            aib_buf_printf(&c->out, "%s%s", i ? " " : "", out[i]);
        }
    }
    aib_buf_puts(&c->out, c->json ? "]\n" : "\n");
    return AIB_CLI_OK;
}

static int cmd_eccn(ctx_t *c, const char *ref)
{
    const aib_alliance_ear_para_t *para = NULL;
    bool known = true;
    const aib_alliance_eccn_t *x = aib_alliance_eccn(c->a, ref, &para, &known);
    aib_buf_t *b = &c->out;
    size_t i;

    if (!x) {
        fprintf(stderr, "aib alliance: `%s` is not an ECCN on the Commerce Control List\n", ref);
        return AIB_CLI_NEGATIVE;
    }
    if (c->json) {
        bool f = true;
        aib_buf_putc(b, '{');
        jkv(b, &f, "eccn", x->eccn);
        jkv(b, &f, "heading", x->heading);
        jkv(b, &f, "reasons", x->reasons);
        jkey(b, &f, "paragraph");
        if (para) {
            bool g = true;
            aib_buf_putc(b, '{');
            jkv(b, &g, "id", para->id);
            jkv(b, &g, "text", para->text);
            aib_buf_putc(b, '}');
        } else {
            aib_buf_puts(b, "null");
        }
        jkb(b, &f, "paragraph_known", known);
        jkey(b, &f, "controls");
        aib_buf_putc(b, '[');
        for (i = 0; i < x->n_controls; i++) {
            bool g = true;
            if (i)
                aib_buf_putc(b, ',');
            aib_buf_putc(b, '{');
            jkv(b, &g, "reason", x->controls[i].reason);
            jkv(b, &g, "column", x->controls[i].column);
            jkv(b, &g, "applies", x->controls[i].applies);
            jkv(b, &g, "chart", x->controls[i].chart);
            aib_buf_putc(b, '}');
        }
        aib_buf_puts(b, "]");
        jkey(b, &f, "licence_exceptions");
        aib_buf_putc(b, '{');
        for (i = 0; i < x->n_exceptions; i++) {
            bool g = i == 0;
            jkv(b, &g, x->exceptions[i].symbol, x->exceptions[i].text);
        }
        aib_buf_puts(b, "}}\n");
        return AIB_CLI_OK;
    }
    aib_buf_printf(b, "%s: %s\nreasons for control: %s\n", x->eccn, x->heading ? x->heading : "",
                   x->reasons ? x->reasons : "(none stated)");
    if (para)
        aib_buf_printf(b, "paragraph %s: %s\n", para->id, para->text ? para->text : "");
    else if (!known)
        aib_buf_printf(b, "paragraph not found in %s\n", x->eccn);
    for (i = 0; i < x->n_controls; i++)
        aib_buf_printf(b, "  %-4s %-6s %s\n", x->controls[i].reason ? x->controls[i].reason : "-",
                       x->controls[i].column ? x->controls[i].column : "-", x->controls[i].applies);
    for (i = 0; i < x->n_exceptions; i++)
        aib_buf_printf(b, "  licence exception %s: %s\n", x->exceptions[i].symbol,
                       x->exceptions[i].text);
    if (!known)
        return AIB_CLI_NEGATIVE;
    return AIB_CLI_OK;
}

static int cmd_chart(ctx_t *c, const char *col, const char *country)
{
    aib_alliance_chart_cell_t cell;
    aib_diag_t d = { 0 };
    static const char *const marks[] = { "blank", "X", "embargoed", "no_row" };
    size_t i;

    if (aib_alliance_chart_cell(c->a, col, country, &cell, &d) != 0) {
        fprintf(stderr, "aib alliance: %s\n", d.msg);
        return AIB_CLI_NEGATIVE;
    }
    if (c->json) {
        bool f = true;
        aib_buf_putc(&c->out, '{');
        jkv(&c->out, &f, "mark", marks[cell.mark]);
        jkv(&c->out, &f, "row", cell.row ? cell.row->name : NULL);
        jkv(&c->out, &f, "inherited_basis", cell.inherited_basis);
        jkv(&c->out, &f, "pointer", cell.row ? cell.row->pointer : NULL);
        jkey(&c->out, &f, "footnotes");
        aib_buf_putc(&c->out, '[');
        for (i = 0; cell.row && i < cell.row->n_footnotes; i++)
            aib_buf_printf(&c->out, "%s%d", i ? "," : "", cell.row->footnotes[i]);
        aib_buf_puts(&c->out, "]}\n");
        return AIB_CLI_OK;
    }
    aib_buf_printf(&c->out, "%s / %s: %s\n", col, cell.row ? cell.row->name : country,
                   marks[cell.mark]);
    if (cell.inherited_basis)
        aib_buf_printf(&c->out, "  row inherited: %s\n", cell.inherited_basis);
    if (cell.row && cell.row->pointer)
        aib_buf_printf(&c->out, "  %s\n", cell.row->pointer);
    for (i = 0; cell.row && i < cell.row->n_footnotes; i++)
        aib_buf_printf(&c->out, "  footnote %d: %s\n", cell.row->footnotes[i],
                       aib_alliance_chart_footnote(c->a, cell.row->footnotes[i]));
    return AIB_CLI_OK;
}

static int cmd_exception(ctx_t *c, const char *sym)
{
    const aib_alliance_ear_exception_t *x = aib_alliance_ear_exception(c->a, sym);

    if (!x) {
        fprintf(stderr, "aib alliance: unknown licence exception `%s`\n", sym);
        return AIB_CLI_NEGATIVE;
    }
    if (c->json) {
        bool f = true;
        aib_buf_putc(&c->out, '{');
        jkv(&c->out, &f, "symbol", x->symbols[0]);
        jkv(&c->out, &f, "section", x->section);
        jkv(&c->out, &f, "title", x->title);
        aib_buf_puts(&c->out, "}\n");
    } else {
        aib_buf_printf(&c->out, "%s: %s (%s)\n", x->symbols[0], x->title, x->section);
    }
    return AIB_CLI_OK;
}

static int cmd_usml(ctx_t *c, const char *ref)
{
    const aib_alliance_usml_para_t *p = NULL;
    const aib_alliance_usml_cat_t *cat = aib_alliance_usml(c->a, ref, &p);

    if (!cat) {
        fprintf(stderr, "aib alliance: `%s` is not a USML category reference\n", ref);
        return AIB_CLI_NEGATIVE;
    }
    if (c->json) {
        bool f = true;
        aib_buf_putc(&c->out, '{');
        jkv(&c->out, &f, "category", cat->roman);
        jkv(&c->out, &f, "title", cat->title);
        jkv(&c->out, &f, "paragraph", p ? p->id : NULL);
        jkv(&c->out, &f, "paragraph_text", p ? p->text : NULL);
        jkb(&c->out, &f, "sme", p && p->sme);
        jkcite(&c->out, &f, &cat->cite);
        aib_buf_puts(&c->out, "}\n");
    } else {
        aib_buf_printf(&c->out, "USML Category %s: %s\n", cat->roman, cat->title);
        if (p)
            aib_buf_printf(&c->out, "  %s%s %s\n", p->id, p->sme ? "*" : "", p->text);
        tcite(&c->out, "  ", &cat->cite);
    }
    return AIB_CLI_OK;
}

static int cmd_exemption(ctx_t *c, const char *id, const char *ref)
{
    const aib_alliance_itar_exemption_t *x = aib_alliance_itar_exemption(c->a, id);
    const aib_alliance_itar_exclusion_t *hits[64];
    size_t n = 0, i;

    if (!x) {
        fprintf(stderr, "aib alliance: unknown ITAR exemption `%s`\n", id);
        return AIB_CLI_NEGATIVE;
    }
    if (ref && aib_alliance_itar_excluded(c->a, id, ref, hits, 64, &n) == AIB_EINVAL) {
        fprintf(stderr, "aib alliance: `%s` is not a USML reference\n", ref);
        return AIB_CLI_USAGE;
    }
    if (n > 64)
        n = 64;
    if (c->json) {
        bool f = true;
        aib_buf_putc(&c->out, '{');
        jkv(&c->out, &f, "id", x->id);
        jkv(&c->out, &f, "name", x->name);
        jkv(&c->out, &f, "group", x->group);
        jkv(&c->out, &f, "conditions", x->conditions);
        jkcite(&c->out, &f, &x->cite);
        jkey(&c->out, &f, ref ? "exclusions_covering" : "exclusions");
        aib_buf_putc(&c->out, '[');
        for (i = 0; i < (ref ? n : x->n_exclusions); i++) {
            const aib_alliance_itar_exclusion_t *e = ref ? hits[i] : &x->exclusions[i];
            bool g = true;
            if (i)
                aib_buf_putc(&c->out, ',');
            aib_buf_putc(&c->out, '{');
            jkv(&c->out, &g, "id", e->id);
            jkv(&c->out, &g, "usml", e->usml);
            jkv(&c->out, &g, "text", e->text);
            jkv(&c->out, &g, "scope", e->scope);
            jkcite(&c->out, &g, &e->cite);
            aib_buf_putc(&c->out, '}');
        }
        aib_buf_puts(&c->out, "]}\n");
        return AIB_CLI_OK;
    }
    aib_buf_printf(&c->out, "§%s %s (destinations: %s)\n  %s\n", x->id, x->name, x->group,
                   x->conditions);
    tcite(&c->out, "  ", &x->cite);
    for (i = 0; i < (ref ? n : x->n_exclusions); i++) {
        const aib_alliance_itar_exclusion_t *e = ref ? hits[i] : &x->exclusions[i];
        aib_buf_printf(&c->out, "  excluded %s %s: %s%s\n", e->id, e->usml, e->text,
                       e->cite.unsure ? " (unsure)" : "");
    }
    if (ref && !n)
        aib_buf_printf(&c->out, "  no exclusion covers %s\n", ref);
    return AIB_CLI_OK;
}

static int cmd_licence(ctx_t *c, const char *id)
{
    const aib_alliance_itar_licence_t *l = aib_alliance_itar_licence(c->a, id);

    if (!l) {
        fprintf(stderr, "aib alliance: unknown licence type `%s`\n", id);
        return AIB_CLI_NEGATIVE;
    }
    if (c->json) {
        bool f = true;
        aib_buf_putc(&c->out, '{');
        jkv(&c->out, &f, "id", l->id);
        jkv(&c->out, &f, "name", l->name);
        jkv(&c->out, &f, "purpose", l->purpose);
        jkv(&c->out, &f, "transfer", l->transfer);
        jkb(&c->out, &f, "classified", l->classified);
        jkcite(&c->out, &f, &l->cite);
        aib_buf_puts(&c->out, "}\n");
    } else {
        aib_buf_printf(&c->out, "%s: %s\n  %s\n", l->id, l->name, l->purpose);
        tcite(&c->out, "  ", &l->cite);
    }
    return AIB_CLI_OK;
}

static int cmd_threshold(ctx_t *c, const char *country, const char *what)
{
    const aib_alliance_itar_threshold_t *t;

    if (!aib_alliance_country(c->a, country)) {
        fprintf(stderr, "aib alliance: unknown country `%s`\n", country);
        return AIB_CLI_NEGATIVE;
    }
    if (!(t = aib_alliance_itar_threshold(c->a, country, what, c->date))) {
        fprintf(stderr, "aib alliance: no threshold for `%s`\n", what);
        return AIB_CLI_NEGATIVE;
    }
    if (c->json) {
        bool f = true;
        aib_buf_putc(&c->out, '{');
        jkv(&c->out, &f, "id", t->id);
        jkv(&c->out, &f, "group", t->group);
        jkv(&c->out, &f, "what", t->what);
        jkey(&c->out, &f, "usd");
        aib_buf_printf(&c->out, "%.0f", t->usd);
        jkcite(&c->out, &f, &t->cite);
        aib_buf_puts(&c->out, "}\n");
    } else {
        aib_buf_printf(&c->out, "%s to %s: congressional notification at $%.0f or more (%s)\n",
                       t->what, country, t->usd, t->id);
        tcite(&c->out, "  ", &t->cite);
    }
    return AIB_CLI_OK;
}

static int cmd_marking(ctx_t *c, const char *tok)
{
    const aib_alliance_class_level_t *l = aib_alliance_class_level(c->a, tok);
    const aib_alliance_marking_t *m = l ? NULL : aib_alliance_marking(c->a, tok);

    if (!l && !m) {
        fprintf(stderr, "aib alliance: unknown level or marking `%s`\n", tok);
        return AIB_CLI_NEGATIVE;
    }
    if (c->json) {
        bool f = true;
        aib_buf_putc(&c->out, '{');
        jkv(&c->out, &f, "kind", l ? "level" : m->kind);
        jkv(&c->out, &f, "id", l ? l->name : m->id);
        if (l) {
            jkey(&c->out, &f, "rank");
            aib_buf_printf(&c->out, "%d", l->rank);
            jkb(&c->out, &f, "classified", l->classified);
        } else {
            jkv(&c->out, &f, "meaning", m->meaning);
            jkb(&c->out, &f, "forbids_foreign", m->forbids_foreign);
        }
        jkcite(&c->out, &f, l ? &l->cite : &m->cite);
        aib_buf_puts(&c->out, "}\n");
    } else if (l) {
        aib_buf_printf(&c->out, "%s (%s): rank %d%s\n", l->name, l->abbrev, l->rank,
                       l->classified ? ", classified" : "");
        tcite(&c->out, "  ", &l->cite);
    } else {
        aib_buf_printf(&c->out, "%s — %s (%s)\n  %s\n", m->id, m->name, m->kind, m->meaning);
        tcite(&c->out, "  ", &m->cite);
    }
    return AIB_CLI_OK;
}

static int cmd_info(ctx_t *c)
{
    aib_alliance_info_t i;

    aib_alliance_info(c->a, &i);
    if (c->json) {
        aib_buf_t *b = &c->out;
        bool f = true;
        aib_buf_putc(b, '{');
        jkv(b, &f, "data_dir", i.data_dir);
        jkv(b, &f, "ear_path", i.ear_path);
        jkv(b, &f, "ear_issue_date", i.ear_issue_date);
        jkv(b, &f, "iso_path", i.iso_path);
        aib_buf_printf(b, ",\"countries\":%zu,\"groups\":%zu,\"agreements\":%zu,\"profiles\":%zu,"
                          "\"eccns\":%zu,\"chart_rows\":%zu,\"files\":%zu}\n",
                       i.n_countries, i.n_groups, i.n_agreements, i.n_profiles, i.n_eccns,
                       i.n_chart_rows, i.n_files);
    } else {
        aib_buf_printf(&c->out,
                       "data: %s\nEAR: %s (eCFR %s)\nISO 3166: %s\n%zu countries, %zu groups, "
                       "%zu agreements, %zu profiles, %zu ECCNs, %zu chart rows, %zu files\n",
                       i.data_dir, i.ear_path ? i.ear_path : "(not loaded)",
                       i.ear_issue_date ? i.ear_issue_date : "-", i.iso_path, i.n_countries,
                       i.n_groups, i.n_agreements, i.n_profiles, i.n_eccns, i.n_chart_rows,
                       i.n_files);
    }
    return AIB_CLI_OK;
}

/* ---- Entry ------------------------------------------------------------------------------- */

int aib_cli_alliance(int argc, char **argv)
{
    const char *pos[8], *date = NULL, *data = NULL, *ear = NULL;
    size_t np = 0;
    bool json = false;
    ctx_t c;
    aib_alliance_opts_t opts = { 0 };
    aib_alliance_t *a = NULL;
    aib_diag_t d = { 0 };
    int i, rc = AIB_CLI_USAGE;

    memset(&c, 0, sizeof(c));
    aib_buf_init(&c.out);
    for (i = 1; i < argc; i++) {
        const char *s = argv[i];
        const char **slot = NULL;
        if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
            fputs(usage_text, stdout);
            rc = AIB_CLI_OK;
            goto done;
        }
        if (!strcmp(s, "--json")) {
            json = true;
            continue;
        }
        if (!strcmp(s, "--date"))
            slot = &date;
        else if (!strcmp(s, "--data"))
            slot = &data;
        else if (!strcmp(s, "--ear"))
            slot = &ear;
        if (slot) {
            if (i + 1 >= argc) {
                fprintf(stderr, "aib alliance: option `%s` needs a value\n", s);
                goto done;
            }
            *slot = argv[++i];
            continue;
        }
        if (s[0] == '-' && s[1] == '-') {
            fprintf(stderr, "aib alliance: unknown option `%s`\n", s);
            goto done;
        }
        if (np >= sizeof(pos) / sizeof(pos[0])) {
            fprintf(stderr, "aib alliance: too many arguments\n");
            goto done;
        }
        pos[np++] = s;
    }
    if (np == 0) {
        fputs(usage_text, stderr);
        goto done;
    }
    c.json = json;
    c.date = aib_alliance_date_today();
    if (date && aib_alliance_date_parse(date, &c.date) != 0) {
        fprintf(stderr, "aib alliance: --date: expected YYYY-MM-DD, got `%s`\n", date);
        goto done;
    }
    opts.data_dir = data;
    opts.ear_path = ear;
    if (aib_alliance_load(&opts, &a, &d) != 0) {
        char msg[1200];
        aib_diag_format(&d, msg, sizeof(msg));
        fprintf(stderr, "aib alliance: %s\n", msg);
        goto done;
    }
    c.a = a;
#define NEED(k)                                                                            \
    do {                                                                                   \
        if (np != (k)) {                                                                   \
            fprintf(stderr, "aib alliance %s: expected %d argument(s); see --help\n", pos[0], \
                    (int)(k) - 1);                                                         \
            goto done;                                                                     \
        }                                                                                  \
    } while (0)
    if (!strcmp(pos[0], "country")) {
        NEED(2);
        rc = cmd_country(&c, pos[1]);
    } else if (!strcmp(pos[0], "group")) {
        NEED(2);
        rc = cmd_group(&c, pos[1]);
    } else if (!strcmp(pos[0], "groups")) {
        NEED(1);
        rc = cmd_groups(&c);
    } else if (!strcmp(pos[0], "expand")) {
        NEED(2);
        rc = cmd_expand(&c, pos[1]);
    } else if (!strcmp(pos[0], "marking")) {
        NEED(2);
        rc = cmd_marking(&c, pos[1]);
    } else if (!strcmp(pos[0], "info")) {
        NEED(1);
        rc = cmd_info(&c);
    } else if (!strcmp(pos[0], "ear") && np >= 2) {
        if (!strcmp(pos[1], "eccn")) {
            NEED(3);
            rc = cmd_eccn(&c, pos[2]);
        } else if (!strcmp(pos[1], "chart")) {
            NEED(4);
            rc = cmd_chart(&c, pos[2], pos[3]);
        } else if (!strcmp(pos[1], "exception")) {
            NEED(3);
            rc = cmd_exception(&c, pos[2]);
        } else {
            fprintf(stderr, "aib alliance ear: unknown lookup `%s` (eccn, chart, exception)\n",
                    pos[1]);
        }
    } else if (!strcmp(pos[0], "itar") && np >= 2) {
        if (!strcmp(pos[1], "usml")) {
            NEED(3);
            rc = cmd_usml(&c, pos[2]);
        } else if (!strcmp(pos[1], "exemption")) {
            if (np != 3 && np != 4) {
                fprintf(stderr, "aib alliance itar exemption: expected ID [USML-REF]\n");
                goto done;
            }
            rc = cmd_exemption(&c, pos[2], np == 4 ? pos[3] : NULL);
        } else if (!strcmp(pos[1], "licence") || !strcmp(pos[1], "license")) {
            NEED(3);
            rc = cmd_licence(&c, pos[2]);
        } else if (!strcmp(pos[1], "threshold")) {
            NEED(4);
            rc = cmd_threshold(&c, pos[2], pos[3]);
        } else {
            fprintf(stderr, "aib alliance itar: unknown lookup `%s`\n", pos[1]);
        }
    } else {
        fprintf(stderr, "aib alliance: unknown command `%s`; see --help\n", pos[0]);
    }
#undef NEED
    if (c.out.len)
        fwrite(c.out.data, 1, c.out.len, stdout);
done:
    aib_buf_free(&c.out);
    aib_alliance_free(a);
    return rc;
}
