/* acdf.c — decisions on confidentiality labels: validity under the SPIF's rules, the access control
 * decision function between a label and a clearance, and translation of a label into an
 * equivalent policy (the SPIF equivalence mappings used when data crosses policy domains). */
#include "label/label_int.h"

#include <stdio.h>
#include <string.h>

static void say(char *buf, size_t cap, const char *fmt, const char *a, const char *b)
{
    if (buf && cap)
        snprintf(buf, cap, fmt, a, b);
}

static bool group_hit(const aib__label_group_t *g, const aib_label_t *l)
{
    size_t i;
    for (i = 0; i < g->n_cats; i++)
        if (aib__label_has_cat(l->cats, l->n_cats, g->cats[i]))
            return true;
    return false;
}

static bool rules_ok(const aib__label_rules_t *r, const char *owner, const aib_label_t *l, char *why, size_t cap)
{
    size_t i, j, hits;

    for (i = 0; i < r->n_excl_class; i++)
        if (r->excl_class[i] == l->cls) {
            say(why, cap, "%s excludes classification %s", owner, l->cls->name);
            return false;
        }
    for (i = 0; i < r->n_excl; i++)
        if (group_hit(&r->excl[i], l)) {
            say(why, cap, "%s excludes categories of tag set %s present in the label", owner, r->excl[i].tagset);
            return false;
        }
    for (i = 0; i < r->n_req; i++) {
        const aib__label_req_t *q = &r->req[i];
        bool pass;
        hits = 0;
        for (j = 0; j < q->n; j++)
            hits += group_hit(&q->g[j], l) ? 1 : 0;
        pass = q->op == AIB__LOP_ONLY_ONE ? hits == 1 : q->op == AIB__LOP_ONE_OR_MORE ? hits > 0 : hits > 0 && hits == q->n;
        if (!pass) {
            say(why, cap, "%s requires %s of its required category groups", owner,
                q->op == AIB__LOP_ONLY_ONE ? "exactly one" : q->op == AIB__LOP_ONE_OR_MORE ? "one or more" : "all");
            return false;
        }
    }
    return true;
}

bool aib_label_valid(const aib_label_t *l, char *why, size_t why_cap)
{
    char owner[300];
    size_t i;

    snprintf(owner, sizeof owner, "classification %s", l->cls->name);
    if (!rules_ok(&l->cls->rules, owner, l, why, why_cap))
        return false;
    for (i = 0; i < l->n_cats; i++) {
        snprintf(owner, sizeof owner, "category %s", l->cats[i]->name);
        if (!rules_ok(&l->cats[i]->rules, owner, l, why, why_cap))
            return false;
    }
    say(why, why_cap, "valid under policy %s%s", l->policy->name, "");
    return true;
}

bool aib_label_acdf(const aib_label_t *l, const aib_label_clearance_t *c, char *reason, size_t cap)
{
    size_t i, j;
    bool held = false;

    if (l->policy != c->policy) {
        say(reason, cap, "policy mismatch: label under %s, clearance under %s", l->policy->name, c->policy->name);
        return false;
    }
    for (i = 0; i < c->n_classes; i++)
        if (c->classes[i] == l->cls)
            held = true;
    if (!held) {
        say(reason, cap, "clearance does not hold classification %s%s", l->cls->name, "");
        return false;
    }
    for (i = 0; i < l->n_cats; i++)
        if (aib__label_tagtype_restrictive(l->cats[i]->tag->type) &&
            !aib__label_has_cat(c->cats, c->n_cats, l->cats[i])) {
            say(reason, cap, "restrictive category %s (%s) is not held", l->cats[i]->name, l->cats[i]->tag->name);
            return false;
        }
    /* Permissive categories are grouped by tag: one held category of each tag suffices. */
    for (i = 0; i < l->n_cats; i++) {
        const aib__label_tag_t *t = l->cats[i]->tag;
        bool seen = false, any = false;
        if (!aib__label_tagtype_permissive(t->type))
            continue;
        for (j = 0; j < i; j++)
            if (l->cats[j]->tag == t)
                seen = true;
        if (seen)
            continue;
        for (j = i; j < l->n_cats; j++)
            if (l->cats[j]->tag == t && aib__label_has_cat(c->cats, c->n_cats, l->cats[j]))
                any = true;
        if (!any) {
            say(reason, cap, "no permissive category of %s is held (label has %s)", t->name, l->cats[i]->name);
            return false;
        }
    }
    say(reason, cap, "clearance holds %s and the label's categories%s", l->cls->name, "");
    return true;
}

/* Adds every category of the required groups (resolved in the target policy) to the label. */
static int fixup(const aib__label_req_t *req, size_t n_req, aib_label_t *l, const char *what, aib_diag_t *diag)
{
    size_t i, j, k;
    int rc;

    for (i = 0; i < n_req; i++)
        for (j = 0; j < req[i].n; j++) {
            aib__label_group_t g = req[i].g[j];
            g.cats = NULL;
            g.n_cats = 0;
            if ((rc = aib__label_group_resolve(l->policy, l->arena, &g, what, diag)) != 0)
                return rc;
            for (k = 0; k < g.n_cats; k++)
                if ((rc = aib__label_add_cat(l, g.cats[k])) != 0)
                    return rc;
        }
    return 0;
}

int aib_label_translate(const aib_label_site_t *s, const aib_label_t *old, const char *target_id, aib_label_t **out,
                        aib_diag_t *diag)
{
    const aib_label_policy_t *src = old->policy, *dst;
    const aib__label_equiv_class_t *m = NULL;
    const aib__label_equiv_policy_t *ep = NULL;
    const aib__label_class_t *cls;
    aib_label_t *l = NULL;
    size_t i, j, n = 0;
    int rc = 0;

    *out = NULL;
    if (!(dst = aib_label_site_policy(s, target_id))) {
        aib_diag_set(diag, src->file, 0, 0, "Unknown policy id: %s", target_id);
        return AIB_ENOTFOUND;
    }
    for (i = 0; i < old->cls->n_eq; i++)
        if (!strcmp(old->cls->eq[i].policy_id, target_id) && (old->cls->eq[i].applied & AIB__LAPPLY_ENCRYPT)) {
            m = &old->cls->eq[i];
            n++;
        }
    if (n != 1) {
        aib_diag_set(diag, src->file, old->cls->line, 0, "No unique equivalent classification");
        return AIB_ENOTFOUND;
    }
    if (!(cls = aib__label_class_by_lacv(dst, m->lacv))) {
        aib_diag_set(diag, src->file, old->cls->line, 0, "Unknown classification: %llu", (unsigned long long)m->lacv);
        return AIB_ENOTFOUND;
    }
    if ((rc = aib__label_new(dst, cls, &l)) != 0)
        return rc;
    if ((rc = fixup(m->req, m->n_req, l, src->file, diag)) != 0)
        goto done;
    for (i = 0; i < old->n_cats; i++) {
        const aib__label_cat_t *c = old->cats[i];
        size_t found = 0;
        for (j = 0; j < c->n_eq; j++) {
            const aib__label_equiv_cat_t *e = &c->eq[j];
            const aib__label_tagset_t *ts;
            const aib__label_cat_t *tc;
            if (strcmp(e->policy_id, target_id) != 0)
                continue;
            found++;
            if (e->discard)
                continue;
            if (!(ts = aib__label_tagset_by_id(dst, e->tagset_id))) {
                aib_diag_set(diag, src->file, c->line, 0, "Unknown tagset id: %s", e->tagset_id);
                rc = AIB_ENOTFOUND;
                goto done;
            }
            if (!(tc = aib__label_cat_by_lacv(ts, e->type, e->lacv))) {
                aib_diag_set(diag, src->file, c->line, 0, "Unknown category: LACV %llu in tag set %s",
                             (unsigned long long)e->lacv, ts->name);
                rc = AIB_ENOTFOUND;
                goto done;
            }
            if ((rc = aib__label_add_cat(l, tc)) != 0)
                goto done;
        }
        if (!found) {
            aib_diag_set(diag, src->file, c->line, 0, "No equivalence to %s", c->name);
            rc = AIB_ENOTFOUND;
            goto done;
        }
    }
    for (i = 0; i < src->n_equivs; i++)
        if (!strcmp(src->equivs[i].id, target_id))
            ep = &src->equivs[i];
    if (ep && (rc = fixup(ep->req, ep->n_req, l, src->file, diag)) != 0)
        goto done;
    *out = l;
    l = NULL;
done:
    aib_label_free(l);
    return rc;
}
