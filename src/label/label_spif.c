/* spif.c — loads Open XML SPIF security policies into the compiled model (label_int.h) and keeps
 * them in a site: classifications, tag sets with tags and categories (type, LACV, name), marking
 * data, the excluded/required category rules and the equivalent-policy mappings. Structural errors
 * carry the same wording as the label-conformance expectations (e.g. "Duplicate excluded
 * classification in category") and the line of the offending element. */
#include "label/label_int.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NATO_RBAC_OID "2.16.840.1.101.2.1.8.3" /* ACP 145(A) role-based access control OID */
#define SPIF_NS "http://www.xmlspif.org/spif"

/* ---- small parsers ------------------------------------------------------------------------------ */

int aib__label_parse_lacv(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (!s || !*s)
        return AIB_EINVAL;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
            return AIB_EINVAL;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return 0;
}

static bool oid_ok(const char *s)
{
    int arcs = 0;
    const char *p = s;
    if (!s || !*s)
        return false;
    while (*p) {
        const char *st = p;
        while (*p >= '0' && *p <= '9')
            p++;
        if (p == st || p - st > 20 || (p - st > 1 && *st == '0'))
            return false;
        arcs++;
        if (*p == '.') {
            p++;
            if (!*p)
                return false;
        } else if (*p) {
            return false;
        }
    }
    return arcs >= 2 && (s[0] >= '0' && s[0] <= '2') && s[1] == '.';
}

int aib__label_tagtype_parse_policy(const char *tag_type, const char *enum_type, aib_label_tagtype_t *out)
{
    if (!tag_type)
        return AIB_EINVAL;
    if (!strcmp(tag_type, "restrictive"))
        *out = AIB_LABEL_RESTRICTIVE;
    else if (!strcmp(tag_type, "permissive"))
        *out = AIB_LABEL_PERMISSIVE;
    else if (!strcmp(tag_type, "tagType7") || !strcmp(tag_type, "informative"))
        *out = AIB_LABEL_INFORMATIVE;
    else if (!strcmp(tag_type, "enumerated") && enum_type && !strcmp(enum_type, "permissive"))
        *out = AIB_LABEL_ENUM_PERMISSIVE;
    else if (!strcmp(tag_type, "enumerated") && enum_type && !strcmp(enum_type, "restrictive"))
        *out = AIB_LABEL_ENUM_RESTRICTIVE;
    else
        return AIB_EINVAL;
    return 0;
}

static const char *const type_names[] = { "restrictive", "permissive", "enumeratedRestrictive",
                                          "enumeratedPermissive", "informative" };

int aib__label_tagtype_parse_label(const char *s, aib_label_tagtype_t *out)
{
    size_t i;
    for (i = 0; s && i < sizeof type_names / sizeof type_names[0]; i++)
        if (!strcmp(s, type_names[i])) {
            *out = (aib_label_tagtype_t)i;
            return 0;
        }
    return AIB_EINVAL;
}

const char *aib__label_tagtype_name(aib_label_tagtype_t t)
{
    return (unsigned)t < 5 ? type_names[t] : "?";
}

aib_label_tagtype_t aib__label_tagtype_norm(aib_label_tagtype_t t)
{
    if (t == AIB_LABEL_ENUM_PERMISSIVE)
        return AIB_LABEL_PERMISSIVE;
    if (t == AIB_LABEL_ENUM_RESTRICTIVE)
        return AIB_LABEL_RESTRICTIVE;
    return t;
}

bool aib__label_tagtype_restrictive(aib_label_tagtype_t t)
{
    return aib__label_tagtype_norm(t) == AIB_LABEL_RESTRICTIVE;
}

bool aib__label_tagtype_permissive(aib_label_tagtype_t t)
{
    return aib__label_tagtype_norm(t) == AIB_LABEL_PERMISSIVE;
}

/* ---- lookups ------------------------------------------------------------------------------------ */

const aib__label_class_t *aib__label_class_by_lacv(const aib_label_policy_t *p, uint64_t lacv)
{
    size_t i;
    for (i = 0; i < p->n_classes; i++)
        if (p->classes[i].lacv == lacv)
            return &p->classes[i];
    return NULL;
}

const aib__label_class_t *aib__label_class_by_name(const aib_label_policy_t *p, const char *name, bool fold)
{
    size_t i;
    for (i = 0; i < p->n_classes; i++)
        if (!strcmp(p->classes[i].name, name))
            return &p->classes[i];
    for (i = 0; fold && i < p->n_classes; i++)
        if (!strcasecmp(p->classes[i].name, name))
            return &p->classes[i];
    return NULL;
}

const aib__label_tagset_t *aib__label_tagset_by_id(const aib_label_policy_t *p, const char *id)
{
    size_t i;
    for (i = 0; i < p->n_tagsets; i++)
        if (!strcmp(p->tagsets[i].id, id))
            return &p->tagsets[i];
    return NULL;
}

const aib__label_tagset_t *aib__label_tagset_by_name(const aib_label_policy_t *p, const char *name, bool fold)
{
    size_t i;
    for (i = 0; i < p->n_tagsets; i++)
        if (!strcmp(p->tagsets[i].name, name))
            return &p->tagsets[i];
    for (i = 0; fold && i < p->n_tagsets; i++)
        if (!strcasecmp(p->tagsets[i].name, name))
            return &p->tagsets[i];
    return NULL;
}

const aib__label_cat_t *aib__label_cat_by_lacv(const aib__label_tagset_t *ts, aib_label_tagtype_t t, uint64_t lacv)
{
    size_t i, j;
    for (i = 0; i < ts->n_tags; i++) {
        if (ts->tags[i].type != t)
            continue;
        for (j = 0; j < ts->tags[i].n_cats; j++)
            if (ts->tags[i].cats[j].lacv == lacv)
                return &ts->tags[i].cats[j];
    }
    return NULL;
}

const aib__label_cat_t *aib__label_cat_by_name(const aib__label_tagset_t *ts, aib_label_tagtype_t t,
                                               const char *name, bool fold)
{
    size_t i, j;
    int pass;
    for (pass = 0; pass < (fold ? 2 : 1); pass++)
        for (i = 0; i < ts->n_tags; i++) {
            if (aib__label_tagtype_norm(ts->tags[i].type) != aib__label_tagtype_norm(t))
                continue;
            for (j = 0; j < ts->tags[i].n_cats; j++)
                if (pass == 0 ? !strcmp(ts->tags[i].cats[j].name, name) : !strcasecmp(ts->tags[i].cats[j].name, name))
                    return &ts->tags[i].cats[j];
        }
    return NULL;
}

/* ---- rules -------------------------------------------------------------------------------------- */

static const char *req_attr(aib_arena_t *a, const char *file, const xmlNode *n, const char *name, aib_diag_t *diag)
{
    const char *v = aib__label_xml_attr(a, n, name);
    if (!v)
        aib_diag_set(diag, file, n->line, 0, "Missing attribute %s on %s", name, (const char *)n->name);
    return v;
}

static size_t count_children(const xmlNode *n, const char *local)
{
    size_t k = 0;
    xmlNodePtr c;
    for (c = aib__label_xml_child(n, local); c; c = aib__label_xml_next(c, local))
        k++;
    return k;
}

static int parse_group(aib_arena_t *a, const char *file, const xmlNode *e, aib__label_group_t *g, aib_diag_t *diag)
{
    const char *lacv, *all;
    g->line = e->line;
    g->tagset = req_attr(a, file, e, "tagSetRef", diag);
    if (!g->tagset)
        return AIB_EINVAL;
    if (aib__label_tagtype_parse_policy(aib__label_xml_attr(a, e, "tagType"), aib__label_xml_attr(a, e, "enumType"),
                                        &g->type) != 0) {
        aib_diag_set(diag, file, e->line, 0, "Unknown tag type in category group");
        return AIB_EINVAL;
    }
    lacv = aib__label_xml_attr(a, e, "lacv");
    all = aib__label_xml_attr(a, e, "all");
    if (lacv && !(all && !strcmp(all, "true"))) {
        if (aib__label_parse_lacv(lacv, &g->lacv) != 0) {
            aib_diag_set(diag, file, e->line, 0, "Invalid LACV: %s", lacv);
            return AIB_EINVAL;
        }
        g->has_lacv = true;
    }
    return 0;
}

int aib__label_parse_reqs(aib_arena_t *a, const char *file, const xmlNode *n, aib__label_req_t **req,
                          size_t *n_req, aib_diag_t *diag)
{
    size_t k = count_children(n, "requiredCategory"), i = 0, j;
    xmlNodePtr r, g;
    int rc = 0;

    *req = NULL;
    *n_req = 0;
    if (!k)
        return 0;
    *req = aib_arena_calloc(a, k, sizeof **req);
    if (!*req)
        return AIB_ENOMEM;
    for (r = aib__label_xml_child(n, "requiredCategory"); r && rc == 0; r = aib__label_xml_next(r, "requiredCategory")) {
        aib__label_req_t *q = &(*req)[i++];
        const char *op = aib__label_xml_attr(a, r, "operation");
        /* Open XML SPIF makes operation mandatory; a group without one is read as "all". */
        if (!op || !strcmp(op, "all"))
            q->op = AIB__LOP_ALL;
        else if (!strcmp(op, "onlyOne"))
            q->op = AIB__LOP_ONLY_ONE;
        else if (!strcmp(op, "oneOrMore"))
            q->op = AIB__LOP_ONE_OR_MORE;
        else {
            aib_diag_set(diag, file, r->line, 0, "Unknown category operation: %s", op);
            return AIB_EINVAL;
        }
        q->n = count_children(r, "categoryGroup");
        if (q->n && !(q->g = aib_arena_calloc(a, q->n, sizeof *q->g)))
            return AIB_ENOMEM;
        j = 0;
        for (g = aib__label_xml_child(r, "categoryGroup"); g && rc == 0; g = aib__label_xml_next(g, "categoryGroup"))
            rc = parse_group(a, file, g, &q->g[j++], diag);
    }
    *n_req = i;
    return rc;
}

int aib__label_group_resolve(const aib_label_policy_t *p, aib_arena_t *a, aib__label_group_t *g,
                             const char *file, aib_diag_t *diag)
{
    const aib__label_tagset_t *ts = aib__label_tagset_by_name(p, g->tagset, false);
    size_t i, j, k = 0;

    if (!ts) {
        aib_diag_set(diag, file, g->line, 0, "Unknown tagset name: %s", g->tagset);
        return AIB_ENOTFOUND;
    }
    if (g->has_lacv) {
        const aib__label_cat_t *c = aib__label_cat_by_lacv(ts, g->type, g->lacv);
        if (!c) {
            aib_diag_set(diag, file, g->line, 0, "Unknown category: %s LACV %llu in tag set %s",
                         aib__label_tagtype_name(g->type), (unsigned long long)g->lacv, g->tagset);
            return AIB_ENOTFOUND;
        }
        g->cats = aib_arena_alloc(a, sizeof *g->cats);
        if (!g->cats)
            return AIB_ENOMEM;
        g->cats[0] = c;
        g->n_cats = 1;
        return 0;
    }
    for (i = 0; i < ts->n_tags; i++)
        if (ts->tags[i].type == g->type)
            k += ts->tags[i].n_cats;
    g->n_cats = 0;
    if (!k)
        return 0;
    g->cats = aib_arena_calloc(a, k, sizeof *g->cats);
    if (!g->cats)
        return AIB_ENOMEM;
    for (i = 0; i < ts->n_tags; i++)
        if (ts->tags[i].type == g->type)
            for (j = 0; j < ts->tags[i].n_cats; j++)
                g->cats[g->n_cats++] = &ts->tags[i].cats[j];
    return 0;
}

static int compile_rules(aib_label_policy_t *p, const xmlNode *n, aib__label_rules_t *r, bool category,
                         aib_diag_t *diag)
{
    aib_arena_t *a = p->arena;
    size_t k, i, j;
    xmlNodePtr e;
    int rc = 0;

    k = count_children(n, "excludedClass");
    if (k && !(r->excl_class = aib_arena_calloc(a, k, sizeof *r->excl_class)))
        return AIB_ENOMEM;
    for (e = aib__label_xml_child(n, "excludedClass"); e; e = aib__label_xml_next(e, "excludedClass")) {
        const char *name = aib__label_xml_text(a, e, true);
        const aib__label_class_t *c = aib__label_class_by_name(p, name, false);
        if (!c) {
            aib_diag_set(diag, p->file, e->line, 0, "Unknown classification: %s", name);
            return AIB_ENOTFOUND;
        }
        for (i = 0; i < r->n_excl_class; i++)
            if (r->excl_class[i] == c && category) {
                aib_diag_set(diag, p->file, e->line, 0, "Duplicate excluded classification in category");
                return AIB_EINVAL;
            }
        r->excl_class[r->n_excl_class++] = c;
    }
    k = count_children(n, "excludedCategory");
    if (k && !(r->excl = aib_arena_calloc(a, k, sizeof *r->excl)))
        return AIB_ENOMEM;
    for (e = aib__label_xml_child(n, "excludedCategory"); e && rc == 0; e = aib__label_xml_next(e, "excludedCategory")) {
        rc = parse_group(a, p->file, e, &r->excl[r->n_excl], diag);
        if (rc == 0)
            rc = aib__label_group_resolve(p, a, &r->excl[r->n_excl], p->file, diag);
        r->n_excl++;
    }
    if (rc == 0)
        rc = aib__label_parse_reqs(a, p->file, n, &r->req, &r->n_req, diag);
    for (i = 0; rc == 0 && i < r->n_req; i++)
        for (j = 0; rc == 0 && j < r->req[i].n; j++)
            rc = aib__label_group_resolve(p, a, &r->req[i].g[j], p->file, diag);
    return rc;
}

static const char *equiv_id(const aib_label_policy_t *p, const xmlNode *e, aib_diag_t *diag)
{
    const char *ref = req_attr(p->arena, p->file, e, "policyRef", diag);
    size_t i;
    if (!ref)
        return NULL;
    for (i = 0; i < p->n_equivs; i++)
        if (!strcmp(p->equivs[i].name, ref))
            return p->equivs[i].id;
    aib_diag_set(diag, p->file, e->line, 0, "PolicyRef not found: %s", ref);
    return NULL;
}

static int compile_class_equivs(aib_label_policy_t *p, aib__label_class_t *c, aib_diag_t *diag)
{
    size_t k = count_children(c->src, "equivalentClassification");
    xmlNodePtr e;
    int rc = 0;

    if (!k)
        return 0;
    if (!(c->eq = aib_arena_calloc(p->arena, k, sizeof *c->eq)))
        return AIB_ENOMEM;
    for (e = aib__label_xml_child(c->src, "equivalentClassification"); e && rc == 0;
         e = aib__label_xml_next(e, "equivalentClassification")) {
        aib__label_equiv_class_t *q = &c->eq[c->n_eq++];
        const char *lacv, *applied;
        if (!(q->policy_id = equiv_id(p, e, diag)))
            return AIB_EINVAL;
        lacv = req_attr(p->arena, p->file, e, "lacv", diag);
        if (!lacv)
            return AIB_EINVAL;
        if (aib__label_parse_lacv(lacv, &q->lacv) != 0) {
            aib_diag_set(diag, p->file, e->line, 0, "Invalid LACV: %s", lacv);
            return AIB_EINVAL;
        }
        applied = aib__label_xml_attr(p->arena, e, "applied");
        if (applied && !strcmp(applied, "encrypt"))
            q->applied = AIB__LAPPLY_ENCRYPT;
        else if (applied && !strcmp(applied, "decrypt"))
            q->applied = AIB__LAPPLY_DECRYPT;
        else if (applied && !strcmp(applied, "both"))
            q->applied = AIB__LAPPLY_ENCRYPT | AIB__LAPPLY_DECRYPT;
        else {
            aib_diag_set(diag, p->file, e->line, 0, "Unknown equivalence application");
            return AIB_EINVAL;
        }
        rc = aib__label_parse_reqs(p->arena, p->file, e, &q->req, &q->n_req, diag);
    }
    return rc;
}

static int compile_cat_equivs(aib_label_policy_t *p, aib__label_cat_t *c, aib_diag_t *diag)
{
    size_t k = count_children(c->src, "equivalentSecCategoryTag");
    xmlNodePtr e;

    if (!k)
        return 0;
    if (!(c->eq = aib_arena_calloc(p->arena, k, sizeof *c->eq)))
        return AIB_ENOMEM;
    for (e = aib__label_xml_child(c->src, "equivalentSecCategoryTag"); e;
         e = aib__label_xml_next(e, "equivalentSecCategoryTag")) {
        aib__label_equiv_cat_t *q = &c->eq[c->n_eq++];
        const char *action, *lacv;
        if (!(q->policy_id = equiv_id(p, e, diag)))
            return AIB_EINVAL;
        action = aib__label_xml_attr(p->arena, e, "action");
        if (action) {
            if (strcmp(action, "discard") != 0) {
                aib_diag_set(diag, p->file, e->line, 0, "Unknown equivalence action: %s", action);
                return AIB_EINVAL;
            }
            q->discard = true;
            continue;
        }
        if (!(q->tagset_id = req_attr(p->arena, p->file, e, "tagSetId", diag)))
            return AIB_EINVAL;
        if (aib__label_tagtype_parse_policy(aib__label_xml_attr(p->arena, e, "tagType"),
                                            aib__label_xml_attr(p->arena, e, "enumType"), &q->type) != 0) {
            aib_diag_set(diag, p->file, e->line, 0, "Unknown tag type in equivalence");
            return AIB_EINVAL;
        }
        lacv = req_attr(p->arena, p->file, e, "lacv", diag);
        if (!lacv)
            return AIB_EINVAL;
        if (aib__label_parse_lacv(lacv, &q->lacv) != 0) {
            aib_diag_set(diag, p->file, e->line, 0, "Invalid LACV: %s", lacv);
            return AIB_EINVAL;
        }
    }
    return 0;
}

/* ---- structure ---------------------------------------------------------------------------------- */

static int load_equivalents(aib_label_policy_t *p, const xmlNode *root, aib_diag_t *diag)
{
    const xmlNode *holder = aib__label_xml_child(root, "equivalentPolicies");
    size_t k = count_children(holder, "equivalentPolicy"), i;
    xmlNodePtr e;
    int rc;

    if (!k)
        return 0;
    if (!(p->equivs = aib_arena_calloc(p->arena, k, sizeof *p->equivs)))
        return AIB_ENOMEM;
    for (e = aib__label_xml_child(holder, "equivalentPolicy"); e; e = aib__label_xml_next(e, "equivalentPolicy")) {
        aib__label_equiv_policy_t *q = &p->equivs[p->n_equivs];
        if (!(q->id = req_attr(p->arena, p->file, e, "id", diag)) ||
            !(q->name = req_attr(p->arena, p->file, e, "name", diag)))
            return AIB_EINVAL;
        for (i = 0; i < p->n_equivs; i++) {
            if (!strcmp(p->equivs[i].name, q->name)) {
                aib_diag_set(diag, p->file, e->line, 0, "Duplicate equivalent policy %s", q->name);
                return AIB_EINVAL;
            }
            if (!strcmp(p->equivs[i].id, q->id)) {
                aib_diag_set(diag, p->file, e->line, 0, "Duplicate equivalent policy id %s", q->id);
                return AIB_EINVAL;
            }
        }
        if ((rc = aib__label_parse_reqs(p->arena, p->file, e, &q->req, &q->n_req, diag)) != 0)
            return rc;
        p->n_equivs++;
    }
    return 0;
}

static int load_classes(aib_label_policy_t *p, const xmlNode *root, aib_diag_t *diag)
{
    const xmlNode *holder = aib__label_xml_child(root, "securityClassifications");
    size_t k = count_children(holder, "securityClassification"), i;
    xmlNodePtr e;
    int rc;

    if (!k) {
        aib_diag_set(diag, p->file, holder ? holder->line : root->line, 0, "No classifications");
        return AIB_EINVAL;
    }
    if (!(p->classes = aib_arena_calloc(p->arena, k, sizeof *p->classes)))
        return AIB_ENOMEM;
    for (e = aib__label_xml_child(holder, "securityClassification"); e;
         e = aib__label_xml_next(e, "securityClassification")) {
        aib__label_class_t *c = &p->classes[p->n_classes];
        const char *lacv, *hier;
        c->src = e;
        c->line = e->line;
        if (!(lacv = req_attr(p->arena, p->file, e, "lacv", diag)) ||
            !(c->name = req_attr(p->arena, p->file, e, "name", diag)) ||
            !(hier = req_attr(p->arena, p->file, e, "hierarchy", diag)))
            return AIB_EINVAL;
        if (aib__label_parse_lacv(lacv, &c->lacv) != 0) {
            aib_diag_set(diag, p->file, e->line, 0, "Invalid LACV: %s", lacv);
            return AIB_EINVAL;
        }
        if (aib_parse_i64(hier, strlen(hier), &c->hierarchy) != 0) {
            aib_diag_set(diag, p->file, e->line, 0, "Invalid hierarchy: %s", hier);
            return AIB_EINVAL;
        }
        for (i = 0; i < p->n_classes; i++) {
            if (p->classes[i].lacv == c->lacv) {
                aib_diag_set(diag, p->file, e->line, 0, "Duplicate classification %llu", (unsigned long long)c->lacv);
                return AIB_EINVAL;
            }
            if (!strcmp(p->classes[i].name, c->name)) {
                aib_diag_set(diag, p->file, e->line, 0, "Duplicate classification name %s", c->name);
                return AIB_EINVAL;
            }
        }
        if ((rc = aib__label_markings_parse(p->arena, p->file, e, &c->mk, diag)) != 0)
            return rc;
        p->n_classes++;
    }
    return 0;
}

static int load_tags(aib_label_policy_t *p, aib__label_tagset_t *ts, const xmlNode *tse, size_t *ordinal,
                     aib_diag_t *diag)
{
    xmlNodePtr te, ce;
    size_t i, j, k;
    int rc;

    ts->n_tags = 0;
    k = count_children(tse, "securityCategoryTag");
    if (k && !(ts->tags = aib_arena_calloc(p->arena, k, sizeof *ts->tags)))
        return AIB_ENOMEM;
    for (te = aib__label_xml_child(tse, "securityCategoryTag"); te; te = aib__label_xml_next(te, "securityCategoryTag")) {
        aib__label_tag_t *t = &ts->tags[ts->n_tags];
        t->ts = ts;
        if (!(t->name = req_attr(p->arena, p->file, te, "name", diag)))
            return AIB_EINVAL;
        if (aib__label_tagtype_parse_policy(aib__label_xml_attr(p->arena, te, "tagType"),
                                            aib__label_xml_attr(p->arena, te, "enumType"), &t->type) != 0) {
            aib_diag_set(diag, p->file, te->line, 0, "Unknown tag type on tag %s", t->name);
            return AIB_EINVAL;
        }
        for (i = 0; i < ts->n_tags; i++)
            if (!strcmp(ts->tags[i].name, t->name)) {
                aib_diag_set(diag, p->file, te->line, 0, "Duplicate tag name");
                return AIB_EINVAL;
            }
        if ((rc = aib__label_markings_parse(p->arena, p->file, te, &t->mk, diag)) != 0)
            return rc;
        k = count_children(te, "tagCategory");
        if (k && !(t->cats = aib_arena_calloc(p->arena, k, sizeof *t->cats)))
            return AIB_ENOMEM;
        ts->n_tags++; /* visible to the duplicate checks below */
        for (ce = aib__label_xml_child(te, "tagCategory"); ce; ce = aib__label_xml_next(ce, "tagCategory")) {
            aib__label_cat_t *c = &t->cats[t->n_cats];
            const char *lacv;
            c->tag = t;
            c->src = ce;
            c->line = ce->line;
            c->ordinal = (*ordinal)++;
            if (!(lacv = req_attr(p->arena, p->file, ce, "lacv", diag)) ||
                !(c->name = req_attr(p->arena, p->file, ce, "name", diag)))
                return AIB_EINVAL;
            if (aib__label_parse_lacv(lacv, &c->lacv) != 0) {
                aib_diag_set(diag, p->file, ce->line, 0, "Invalid LACV: %s", lacv);
                return AIB_EINVAL;
            }
            /* Within a tag set, (type, LACV) and (normalised type, name) identify a category. */
            for (i = 0; i < ts->n_tags; i++)
                for (j = 0; j < ts->tags[i].n_cats; j++) {
                    const aib__label_cat_t *o = &ts->tags[i].cats[j];
                    if (ts->tags[i].type == t->type && o->lacv == c->lacv) {
                        aib_diag_set(diag, p->file, ce->line, 0, "Duplicate category LACV");
                        return AIB_EINVAL;
                    }
                    if (aib__label_tagtype_norm(ts->tags[i].type) == aib__label_tagtype_norm(t->type) &&
                        !strcmp(o->name, c->name)) {
                        aib_diag_set(diag, p->file, ce->line, 0, "Duplicate category name");
                        return AIB_EINVAL;
                    }
                }
            if ((rc = aib__label_markings_parse(p->arena, p->file, ce, &c->mk, diag)) != 0)
                return rc;
            t->n_cats++;
        }
    }
    return 0;
}

static int load_tagsets(aib_label_policy_t *p, const xmlNode *root, aib_diag_t *diag)
{
    const xmlNode *holder = aib__label_xml_child(root, "securityCategoryTagSets");
    size_t k = count_children(holder, "securityCategoryTagSet"), i, ordinal = 0;
    xmlNodePtr e;
    int rc;

    if (!k)
        return 0;
    if (!(p->tagsets = aib_arena_calloc(p->arena, k, sizeof *p->tagsets)))
        return AIB_ENOMEM;
    for (e = aib__label_xml_child(holder, "securityCategoryTagSet"); e; e = aib__label_xml_next(e, "securityCategoryTagSet")) {
        aib__label_tagset_t *ts = &p->tagsets[p->n_tagsets];
        ts->policy = p;
        if (!(ts->name = req_attr(p->arena, p->file, e, "name", diag)) ||
            !(ts->id = req_attr(p->arena, p->file, e, "id", diag)))
            return AIB_EINVAL;
        if (!oid_ok(ts->id)) {
            aib_diag_set(diag, p->file, e->line, 0, "Invalid OID: %s", ts->id);
            return AIB_EINVAL;
        }
        for (i = 0; i < p->n_tagsets; i++) {
            if (!strcmp(p->tagsets[i].id, ts->id)) {
                aib_diag_set(diag, p->file, e->line, 0, "Duplicate TagSet id %s", ts->id);
                return AIB_EINVAL;
            }
            if (!strcmp(p->tagsets[i].name, ts->name)) {
                aib_diag_set(diag, p->file, e->line, 0, "Duplicate TagSet name %s", ts->name);
                return AIB_EINVAL;
            }
        }
        if ((rc = load_tags(p, ts, e, &ordinal, diag)) != 0)
            return rc;
        p->n_tagsets++;
    }
    p->n_cats = ordinal;
    return 0;
}

static int compile(aib_label_policy_t *p, aib_diag_t *diag)
{
    size_t i, j, k;
    int rc = 0;

    for (i = 0; rc == 0 && i < p->n_classes; i++) {
        rc = compile_rules(p, p->classes[i].src, &p->classes[i].rules, false, diag);
        if (rc == 0)
            rc = compile_class_equivs(p, &p->classes[i], diag);
    }
    if (rc == 0 && p->n_cats && !(p->by_ordinal = aib_arena_calloc(p->arena, p->n_cats, sizeof *p->by_ordinal)))
        rc = AIB_ENOMEM;
    for (i = 0; rc == 0 && i < p->n_tagsets; i++)
        for (j = 0; rc == 0 && j < p->tagsets[i].n_tags; j++)
            for (k = 0; rc == 0 && k < p->tagsets[i].tags[j].n_cats; k++) {
                aib__label_cat_t *c = &p->tagsets[i].tags[j].cats[k];
                p->by_ordinal[c->ordinal] = c;
                rc = compile_rules(p, c->src, &c->rules, true, diag);
                if (rc == 0)
                    rc = compile_cat_equivs(p, c, diag);
            }
    /* The XML tree is freed after loading; no pointer into it may survive. */
    for (i = 0; i < p->n_classes; i++)
        p->classes[i].src = NULL;
    for (i = 0; i < p->n_tagsets; i++)
        for (j = 0; j < p->tagsets[i].n_tags; j++)
            for (k = 0; k < p->tagsets[i].tags[j].n_cats; k++)
                p->tagsets[i].tags[j].cats[k].src = NULL;
    return rc;
}

static int load_policy(const char *name, const char *xml, size_t len, aib_label_policy_t **out, bool *warned,
                       aib_diag_t *diag)
{
    xmlDocPtr doc = NULL;
    xmlNodePtr root, ident;
    aib_label_policy_t *p = NULL;
    aib_arena_t *a = NULL;
    const char *ns, *v;
    int rc;

    *out = NULL;
    if (len == 0) {
        aib_diag_set(diag, name, 0, 0, "No data to parse");
        return AIB_EINVAL;
    }
    if ((rc = aib__label_xml_parse(name, xml, len, true, &doc, warned, diag)) != 0)
        goto done;
    a = aib_arena_new(0);
    if (!a || !(p = aib_arena_calloc(a, 1, sizeof *p))) {
        rc = AIB_ENOMEM;
        goto done;
    }
    p->arena = a;
    p->file = aib_arena_strndup(a, name, strlen(name));
    root = xmlDocGetRootElement(doc);
    if (!aib__label_xml_is(root, "SPIF")) {
        aib_diag_set(diag, name, root->line, 0, "Not a spif");
        rc = AIB_EINVAL;
        goto done;
    }
    ns = aib__label_xml_ns(root);
    if (ns && strcmp(ns, SPIF_NS) != 0) {
        aib_diag_set(diag, name, root->line, 0, "Unknown SPIF namespace");
        rc = AIB_EINVAL;
        goto done;
    }
    ident = aib__label_xml_child(root, "securityPolicyId");
    if (!ident) {
        aib_diag_set(diag, name, root->line, 0, "Missing securityPolicyId");
        rc = AIB_EINVAL;
        goto done;
    }
    if (!(p->id = req_attr(a, name, ident, "id", diag)) || !(p->name = req_attr(a, name, ident, "name", diag))) {
        rc = AIB_EINVAL;
        goto done;
    }
    if (!oid_ok(p->id)) {
        aib_diag_set(diag, name, ident->line, 0, "Invalid OID: %s", p->id);
        rc = AIB_EINVAL;
        goto done;
    }
    v = aib__label_xml_attr(a, root, "rbacId");
    p->rbac_id = v ? v : NATO_RBAC_OID;
    v = aib__label_xml_attr(a, root, "privilegeId");
    p->privilege_id = v ? v : NATO_RBAC_OID;
    if ((rc = aib__label_markings_parse(a, name, root, &p->mk, diag)) != 0 ||
        (rc = load_equivalents(p, root, diag)) != 0 || (rc = load_classes(p, root, diag)) != 0 ||
        (rc = load_tagsets(p, root, diag)) != 0 || (rc = compile(p, diag)) != 0)
        goto done;
    *out = p;
    a = NULL;
done:
    if (doc)
        xmlFreeDoc(doc);
    aib_arena_free(a);
    return rc;
}

/* ---- site --------------------------------------------------------------------------------------- */

int aib_label_site_new(aib_label_site_t **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? 0 : AIB_ENOMEM;
}

void aib_label_site_free(aib_label_site_t *s)
{
    size_t i;
    if (!s)
        return;
    for (i = 0; i < s->n; i++)
        aib_arena_free(s->p[i]->arena);
    free(s->p);
    free(s);
}

int aib_label_site_load(aib_label_site_t *s, const char *name, const char *xml, size_t len, bool *warned,
                        aib_diag_t *diag)
{
    aib_label_policy_t *p = NULL;
    aib_diag_t w;
    bool warn = false;
    size_t i;
    int rc;

    aib_diag_clear(&w);
    if (warned)
        *warned = false;
    rc = load_policy(name ? name : "spif", xml, len, &p, &warn, &w);
    if (rc != 0) {
        if (diag)
            *diag = w;
        return rc;
    }
    for (i = 0; i < s->n; i++)
        if (!strcmp(s->p[i]->id, p->id) || !strcmp(s->p[i]->name, p->name)) {
            aib_diag_set(diag, name, 0, 0, "Duplicate policy: %s", p->id);
            aib_arena_free(p->arena);
            return AIB_EEXIST;
        }
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 8;
        aib_label_policy_t **np = realloc(s->p, nc * sizeof *np);
        if (!np) {
            aib_arena_free(p->arena);
            return AIB_ENOMEM;
        }
        s->p = np;
        s->cap = nc;
    }
    s->p[s->n++] = p;
    if (warn) {
        if (warned)
            *warned = true;
        if (diag)
            *diag = w;
    }
    return 0;
}

int aib_label_site_load_file(aib_label_site_t *s, const char *path, bool *warned, aib_diag_t *diag)
{
    char *buf = NULL;
    size_t len = 0;
    int rc = aib_read_file(path, &buf, &len, diag);
    if (rc == 0)
        rc = aib_label_site_load(s, path, buf, len, warned, diag);
    free(buf);
    return rc;
}

const aib_label_policy_t *aib_label_site_policy(const aib_label_site_t *s, const char *id)
{
    size_t i;
    for (i = 0; s && id && i < s->n; i++)
        if (!strcmp(s->p[i]->id, id))
            return s->p[i];
    return NULL;
}

const aib_label_policy_t *aib_label_site_policy_by_name(const aib_label_site_t *s, const char *name)
{
    size_t i;
    for (i = 0; s && name && i < s->n; i++)
        if (!strcmp(s->p[i]->name, name))
            return s->p[i];
    for (i = 0; s && name && i < s->n; i++)
        if (!strcasecmp(s->p[i]->name, name))
            return s->p[i];
    return NULL;
}

const char *aib_label_policy_id(const aib_label_policy_t *p)
{
    return p->id;
}

const char *aib_label_policy_name(const aib_label_policy_t *p)
{
    return p->name;
}
