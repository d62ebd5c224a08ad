/* label_banner_access.c — the access check between a US-marked label and a requester (nation,
 * highest level held, caveats): level dominance, SCI/SAP and approval caveats, then foreign
 * release from the dissemination controls, REL TO / DISPLAY ONLY lists (tetragraphs expanded from
 * the table) and the default that classified information is not releasable abroad without a
 * release marking. The first failing rule is the reason; citations come from the table. */
#include "label/label_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool has_caveat(const aib_label_requester_t *w, const char *a, const char *b)
{
    size_t i;
    for (i = 0; i < w->n_caveats; i++)
        if (w->caveats[i] && (!strcasecmp(w->caveats[i], a) || (b && !strcasecmp(w->caveats[i], b))))
            return true;
    return false;
}

static bool in_list(const char *const *l, size_t n, const char *s)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (!strcmp(l[i], s))
            return true;
    return false;
}

static int decide(aib_label_decision_t *out, bool allowed, const char *citation, const char *fmt, const char *a,
                  const char *b)
{
    out->allowed = allowed;
    out->citation = citation;
    snprintf(out->reason, sizeof out->reason, fmt, a, b);
    return 0;
}

/* True (and *via set) when nation is in the list directly or through a tetragraph. */
static bool listed(const aib_label_us_t *us, const char *const *l, size_t n, const char *nation, const char **via)
{
    size_t i;
    *via = NULL;
    for (i = 0; i < n; i++) {
        const aib__label_us_tetra_t *t;
        if (!strcmp(l[i], nation))
            return true;
        t = strlen(l[i]) == 4 ? aib__label_us_tetra(us, l[i]) : NULL;
        if (t && in_list(t->members, t->n_members, nation)) {
            *via = t->code;
            return true;
        }
    }
    return false;
}

int aib_label_banner_access(const aib_label_us_t *us, const aib_label_banner_t *b, const aib_label_requester_t *who,
                            aib_label_decision_t *out, aib_diag_t *diag)
{
    const aib__label_us_level_t *lv;
    const char *nation, *via = NULL;
    char sap[200];
    size_t i;

    memset(out, 0, sizeof *out);
    nation = who && who->nation ? aib__label_us_country(us, who->nation) : NULL;
    if (!nation) {
        aib_diag_set(diag, "requester", 0, 0, "nation: unknown country code `%s`", who && who->nation ? who->nation : "");
        return AIB_EINVAL;
    }
    lv = who->clearance ? aib__label_us_level(us, who->clearance) : NULL;
    if (!lv) {
        aib_diag_set(diag, "requester", 0, 0, "clearance: unknown level `%s`", who->clearance ? who->clearance : "");
        return AIB_EINVAL;
    }
    if (b->n_issues)
        return decide(out, false, b->issues[0].citation, "invalid marking: %s%s", b->issues[0].msg, "");
    if (lv->rank < b->rank)
        return decide(out, false, us->access_level_citation, "clearance %s does not reach %s", lv->name, b->level);
    for (i = 0; i < b->n_sci; i++)
        if (!has_caveat(who, b->sci[i], NULL))
            return decide(out, false, us->rules_citation, "SCI control system %s is not held%s", b->sci[i], "");
    for (i = 0; i < b->n_sap; i++) {
        snprintf(sap, sizeof sap, "SAR-%s", b->sap[i]);
        if (!has_caveat(who, b->sap[i], sap))
            return decide(out, false, us->rules_citation, "special access program %s is not held%s", b->sap[i], "");
    }
    for (i = 0; i < b->n_dissem; i++) {
        const aib__label_us_ctl_t *c = aib__label_us_ctl(us, b->dissem[i], AIB__LUS_DISSEM);
        if (c && c->needs_caveat && !has_caveat(who, c->id, c->portion))
            return decide(out, false, c->citation, "%s: the requester holds no %s approval", c->id, c->id);
    }
    if (!strcmp(nation, "USA"))
        return decide(out, true, NULL, "US requester with %s access to a %s marking", lv->name, b->level);
    /* Foreign requester. */
    for (i = 0; i < b->n_dissem; i++) {
        const aib__label_us_ctl_t *c = aib__label_us_ctl(us, b->dissem[i], AIB__LUS_DISSEM);
        if (c && c->foreign == AIB__LUS_FOREIGN_FORBIDDEN)
            return decide(out, false, c->citation, "%s: not releasable to foreign nationals (%s)", c->id, nation);
    }
    for (i = 0; i < b->n_cui_cats; i++) {
        const char *id = !strncmp(b->cui_cats[i], "SP-", 3) ? b->cui_cats[i] + 3 : b->cui_cats[i];
        const aib__label_us_ctl_t *c = aib__label_us_ctl(us, id, AIB__LUS_CUI_CAT);
        if (c && c->foreign == AIB__LUS_FOREIGN_FORBIDDEN)
            return decide(out, false, c->citation, "%s: not releasable to foreign nationals (%s)", b->cui_cats[i], nation);
        if (c && c->foreign == AIB__LUS_FOREIGN_LICENCE && !b->n_rel_to)
            return decide(out, false, c->citation, "%s: release to %s needs an export authorization or a REL TO decision",
                          b->cui_cats[i], nation);
    }
    if (b->n_rel_to) {
        if (listed(us, b->rel_to, b->n_rel_to, nation, &via)) {
            if (via)
                return decide(out, true, us->rel_order_citation, "%s is in REL TO through %s", nation, via);
            return decide(out, true, us->rel_order_citation, "%s is in REL TO%s", nation, "");
        }
        if (listed(us, b->display_only, b->n_display_only, nation, &via))
            return decide(out, true, us->rel_order_citation, "%s may view only (DISPLAY ONLY)%s", nation, "");
        return decide(out, false, us->rel_order_citation, "%s is not in the REL TO list%s", nation, "");
    }
    if (b->n_display_only) {
        if (listed(us, b->display_only, b->n_display_only, nation, &via))
            return decide(out, true, us->rel_order_citation, "%s may view only (DISPLAY ONLY)%s", nation, "");
        return decide(out, false, us->rel_order_citation, "%s is not in the DISPLAY ONLY list%s", nation, "");
    }
    for (i = 0; i < b->n_dissem; i++) {
        const aib__label_us_ctl_t *c = aib__label_us_ctl(us, b->dissem[i], AIB__LUS_DISSEM);
        if (c && c->foreign == AIB__LUS_FOREIGN_OFFICIAL)
            return decide(out, false, c->citation, "%s: release to %s needs a disclosure official's decision", c->id, nation);
    }
    if (b->rank >= 2)
        return decide(out, false, us->foreign_default_citation,
                      "%s information without a foreign release marking is not releasable to %s", b->level, nation);
    return decide(out, true, NULL, "%s marking carries no foreign dissemination control (%s)", b->level, nation);
}
