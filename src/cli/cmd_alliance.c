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

static void jcite(aib_buf_t *b, const aib_alliance_cite_t *c)
{
    bool f = true;
    aib_buf_putc(b, '{');
    jkey(b, &f, "citation");
    jstr(b, c->citation);
    jkey(b, &f, "source");
    jstr(b, c->source);
    jkey(b, &f, "as_of");
    jstr(b, c->as_of);
    jkey(b, &f, "unsure");
    aib_buf_puts(b, c->unsure ? "true" : "false");
    jkey(b, &f, "note");
    jstr(b, c->note);
    aib_buf_putc(b, '}');
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
    jkey(b, &f, "country");
    jstr(b, m->country);
    jkey(b, &f, "from");
    jdate(b, m->from);
    jkey(b, &f, "until");
    jdate(b, m->until);
    jkey(b, &f, "status");
    jstr(b, m->status);
    jkey(b, &f, "cite");
    jcite(b, &m->cite);
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
        jkey(b, &f, "alpha2");
        jstr(b, co->alpha2);
        jkey(b, &f, "alpha3");
        jstr(b, co->alpha3);
        jkey(b, &f, "numeric");
        jstr(b, co->numeric);
        jkey(b, &f, "name");
        jstr(b, co->name);
        jkey(b, &f, "official_name");
        jstr(b, co->official_name);
        jkey(b, &f, "ear_row");
        jstr(b, co->ear_row);
        jkey(b, &f, "ear_row_basis");
        jstr(b, co->ear_row_basis);
        jkey(b, &f, "aliases");
        aib_buf_putc(b, '[');
        for (i = 0; i < co->n_aliases; i++) {
            if (i)
                aib_buf_putc(b, ',');
            jstr(b, co->aliases[i]);
        }
        aib_buf_puts(b, "]");
        jkey(b, &f, "date");
        jdate(b, c->date);
        jkey(b, &f, "groups");
        aib_buf_putc(b, '[');
        for (i = 0; i < n; i++) {
            bool g = true;
            if (i)
                aib_buf_putc(b, ',');
            aib_buf_putc(b, '{');
            jkey(b, &g, "group");
            jstr(b, hits[i].group->id);
            jkey(b, &g, "kind");
            jstr(b, hits[i].group->kind);
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
            jkey(b, &g, "type");
            jstr(b, ags[i].type);
            jkey(b, &g, "status");
            jstr(b, ags[i].status);
            jkey(b, &g, "signed");
            jdate(b, ags[i].signed_on);
            jkey(b, &g, "in_force");
            jdate(b, ags[i].in_force);
            jkey(b, &g, "in_force_on_date");
            aib_buf_puts(b, aib_alliance_agreement_in_force(c->a, co->alpha3, ags[i].type, c->date)
                                == &ags[i] ? "true" : "false");
            jkey(b, &g, "cite");
            jcite(b, &ags[i].cite);
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
                jkey(b, &h, "value");
                jstr(b, facts[i].v->value);
                jkey(b, &h, "number");
                if (facts[i].v->has_number)
                    aib_buf_printf(b, "%g", facts[i].v->number);
                else
                    aib_buf_puts(b, "null");
                jkey(b, &h, "cite");
                jcite(b, &facts[i].v->cite);
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
        jkey(b, &f, "id");
        jstr(b, g->id);
        jkey(b, &f, "name");
        jstr(b, g->name);
        jkey(b, &f, "kind");
        jstr(b, g->kind);
        jkey(b, &f, "snapshot");
        aib_buf_puts(b, g->snapshot ? "true" : "false");
        jkey(b, &f, "date");
        jdate(b, c->date);
        jkey(b, &f, "cite");
        jcite(b, &g->cite);
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
            jkey(b, &f, "id");
            jstr(b, g->id);
            jkey(b, &f, "name");
            jstr(b, g->name);
            jkey(b, &f, "kind");
            jstr(b, g->kind);
            jkey(b, &f, "cite");
            jcite(b, &g->cite);
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
        jkey(b, &f, "eccn");
        jstr(b, x->eccn);
        jkey(b, &f, "heading");
        jstr(b, x->heading);
        jkey(b, &f, "reasons");
        jstr(b, x->reasons);
        jkey(b, &f, "paragraph");
        if (para) {
            bool g = true;
            aib_buf_putc(b, '{');
            jkey(b, &g, "id");
            jstr(b, para->id);
            jkey(b, &g, "text");
            jstr(b, para->text);
            aib_buf_putc(b, '}');
        } else {
            aib_buf_puts(b, "null");
        }
        jkey(b, &f, "paragraph_known");
        aib_buf_puts(b, known ? "true" : "false");
        jkey(b, &f, "controls");
        aib_buf_putc(b, '[');
        for (i = 0; i < x->n_controls; i++) {
            bool g = true;
            if (i)
                aib_buf_putc(b, ',');
            aib_buf_putc(b, '{');
            jkey(b, &g, "reason");
            jstr(b, x->controls[i].reason);
            jkey(b, &g, "column");
            jstr(b, x->controls[i].column);
            jkey(b, &g, "applies");
            jstr(b, x->controls[i].applies);
            jkey(b, &g, "chart");
            jstr(b, x->controls[i].chart);
            aib_buf_putc(b, '}');
        }
        aib_buf_puts(b, "]");
        jkey(b, &f, "licence_exceptions");
        aib_buf_putc(b, '{');
        for (i = 0; i < x->n_exceptions; i++) {
            bool g = i == 0;
            jkey(b, &g, x->exceptions[i].symbol);
            jstr(b, x->exceptions[i].text);
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
        jkey(&c->out, &f, "mark");
        jstr(&c->out, marks[cell.mark]);
        jkey(&c->out, &f, "row");
        jstr(&c->out, cell.row ? cell.row->name : NULL);
        jkey(&c->out, &f, "inherited_basis");
        jstr(&c->out, cell.inherited_basis);
        jkey(&c->out, &f, "pointer");
        jstr(&c->out, cell.row ? cell.row->pointer : NULL);
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
        jkey(&c->out, &f, "symbol");
        jstr(&c->out, x->symbols[0]);
        jkey(&c->out, &f, "section");
        jstr(&c->out, x->section);
        jkey(&c->out, &f, "title");
        jstr(&c->out, x->title);
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
        jkey(&c->out, &f, "category");
        jstr(&c->out, cat->roman);
        jkey(&c->out, &f, "title");
        jstr(&c->out, cat->title);
        jkey(&c->out, &f, "paragraph");
        jstr(&c->out, p ? p->id : NULL);
        jkey(&c->out, &f, "paragraph_text");
        jstr(&c->out, p ? p->text : NULL);
        jkey(&c->out, &f, "sme");
        aib_buf_puts(&c->out, p && p->sme ? "true" : "false");
        jkey(&c->out, &f, "cite");
        jcite(&c->out, &cat->cite);
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
        jkey(&c->out, &f, "id");
        jstr(&c->out, x->id);
        jkey(&c->out, &f, "name");
        jstr(&c->out, x->name);
        jkey(&c->out, &f, "group");
        jstr(&c->out, x->group);
        jkey(&c->out, &f, "conditions");
        jstr(&c->out, x->conditions);
        jkey(&c->out, &f, "cite");
        jcite(&c->out, &x->cite);
        jkey(&c->out, &f, ref ? "exclusions_covering" : "exclusions");
        aib_buf_putc(&c->out, '[');
        for (i = 0; i < (ref ? n : x->n_exclusions); i++) {
            const aib_alliance_itar_exclusion_t *e = ref ? hits[i] : &x->exclusions[i];
            bool g = true;
            if (i)
                aib_buf_putc(&c->out, ',');
            aib_buf_putc(&c->out, '{');
            jkey(&c->out, &g, "id");
            jstr(&c->out, e->id);
            jkey(&c->out, &g, "usml");
            jstr(&c->out, e->usml);
            jkey(&c->out, &g, "text");
            jstr(&c->out, e->text);
            jkey(&c->out, &g, "scope");
            jstr(&c->out, e->scope);
            jkey(&c->out, &g, "cite");
            jcite(&c->out, &e->cite);
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
        jkey(&c->out, &f, "id");
        jstr(&c->out, l->id);
        jkey(&c->out, &f, "name");
        jstr(&c->out, l->name);
        jkey(&c->out, &f, "purpose");
        jstr(&c->out, l->purpose);
        jkey(&c->out, &f, "transfer");
        jstr(&c->out, l->transfer);
        jkey(&c->out, &f, "classified");
        aib_buf_puts(&c->out, l->classified ? "true" : "false");
        jkey(&c->out, &f, "cite");
        jcite(&c->out, &l->cite);
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
        jkey(&c->out, &f, "id");
        jstr(&c->out, t->id);
        jkey(&c->out, &f, "group");
        jstr(&c->out, t->group);
        jkey(&c->out, &f, "what");
        jstr(&c->out, t->what);
        jkey(&c->out, &f, "usd");
        aib_buf_printf(&c->out, "%.0f", t->usd);
        jkey(&c->out, &f, "cite");
        jcite(&c->out, &t->cite);
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
        jkey(&c->out, &f, "kind");
        jstr(&c->out, l ? "level" : m->kind);
        jkey(&c->out, &f, "id");
        jstr(&c->out, l ? l->name : m->id);
        if (l) {
            jkey(&c->out, &f, "rank");
            aib_buf_printf(&c->out, "%d", l->rank);
            jkey(&c->out, &f, "classified");
            aib_buf_puts(&c->out, l->classified ? "true" : "false");
        } else {
            jkey(&c->out, &f, "meaning");
            jstr(&c->out, m->meaning);
            jkey(&c->out, &f, "forbids_foreign");
            aib_buf_puts(&c->out, m->forbids_foreign ? "true" : "false");
        }
        jkey(&c->out, &f, "cite");
        jcite(&c->out, l ? &l->cite : &m->cite);
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
        jkey(b, &f, "data_dir");
        jstr(b, i.data_dir);
        jkey(b, &f, "ear_path");
        jstr(b, i.ear_path);
        jkey(b, &f, "ear_issue_date");
        jstr(b, i.ear_issue_date);
        jkey(b, &f, "iso_path");
        jstr(b, i.iso_path);
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
