/* label4774.c — confidentiality labels and clearances: reading and writing the compact XML form
 * (<label><policy id/><classification lacv/><tag type id lacv/></label>) and the ADatP-4774 XML
 * form (originatorConfidentialityLabel / ConfidentialityInformation with PolicyIdentifier,
 * Classification and Category/GenericValue by name), resolved against the policies of a site. */
#include "label/label_int.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define XML_NS "http://surevine.com/xmlns/spiffy"
#define NATO_NS "urn:nato:stanag:4774:confidentialitymetadatalabel:1:0"
/* The clearance element aib writes in the 4774 style; read back by the same rules. */
#define CLEARANCE_NS "urn:nato:stanag:4774:confidentialityclearance:1:0"
#define MAX_CLASSES 256
#define MAX_CATS 4096

/* ---- category sets ------------------------------------------------------------------------------ */

static int by_ordinal(const void *a, const void *b)
{
    const aib__label_cat_t *x = *(const aib__label_cat_t *const *)a, *y = *(const aib__label_cat_t *const *)b;
    return x->ordinal < y->ordinal ? -1 : x->ordinal > y->ordinal;
}

size_t aib__label_cats_normalise(const aib__label_cat_t **cats, size_t n)
{
    size_t i, k = 0;
    if (n < 2)
        return n;
    qsort(cats, n, sizeof *cats, by_ordinal);
    for (i = 0; i < n; i++)
        if (k == 0 || cats[k - 1] != cats[i])
            cats[k++] = cats[i];
    return k;
}

bool aib__label_has_cat(const aib__label_cat_t *const *cats, size_t n, const aib__label_cat_t *c)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cats[mid]->ordinal == c->ordinal)
            return cats[mid] == c;
        if (cats[mid]->ordinal < c->ordinal)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

int aib__label_new(const aib_label_policy_t *p, const aib__label_class_t *cls, aib_label_t **out)
{
    aib_arena_t *a = aib_arena_new(4096);
    aib_label_t *l;
    *out = NULL;
    if (!a || !(l = aib_arena_calloc(a, 1, sizeof *l)) ||
        (p->n_cats && !(l->cats = aib_arena_calloc(a, p->n_cats, sizeof *l->cats)))) {
        aib_arena_free(a);
        return AIB_ENOMEM;
    }
    l->arena = a;
    l->policy = p;
    l->cls = cls;
    *out = l;
    return 0;
}

int aib__label_add_cat(aib_label_t *l, const aib__label_cat_t *c)
{
    if (c->tag->ts->policy != l->policy || l->n_cats >= l->policy->n_cats)
        return AIB_EINVAL;
    if (aib__label_has_cat(l->cats, l->n_cats, c))
        return 0;
    l->cats[l->n_cats++] = c;
    l->n_cats = aib__label_cats_normalise(l->cats, l->n_cats);
    return 0;
}

void aib_label_free(aib_label_t *l)
{
    if (l)
        aib_arena_free(l->arena);
}

void aib_label_clearance_free(aib_label_clearance_t *c)
{
    if (c)
        aib_arena_free(c->arena);
}

/* ---- reading ------------------------------------------------------------------------------------ */

typedef struct value {
    const aib_label_policy_t *policy;
    const aib__label_class_t *classes[MAX_CLASSES];
    size_t n_classes;
    const aib__label_cat_t **cats;
    size_t n_cats;
} value_t;

static int add_class(value_t *v, const aib__label_class_t *c, const char *name, int line, aib_diag_t *diag)
{
    if (v->n_classes >= MAX_CLASSES) {
        aib_diag_set(diag, name, line, 0, "too many classifications");
        return AIB_ELIMIT;
    }
    v->classes[v->n_classes++] = c;
    return 0;
}

static int add_cat(value_t *v, const aib__label_cat_t *c, const char *name, int line, aib_diag_t *diag)
{
    if (v->n_cats >= MAX_CATS) {
        aib_diag_set(diag, name, line, 0, "too many categories");
        return AIB_ELIMIT;
    }
    v->cats[v->n_cats++] = c;
    return 0;
}

static int read_compact(const aib_label_site_t *s, aib_arena_t *a, const char *name, xmlNodePtr root, bool clearance,
                        value_t *v, aib_diag_t *diag)
{
    xmlNodePtr pe, e;
    const char *id;
    int rc = 0;

    if (!aib__label_xml_is(root, clearance ? "clearance" : "label")) {
        aib_diag_set(diag, name, root->line, 0, "Incorrect XML root");
        return AIB_EINVAL;
    }
    pe = aib__label_xml_child(root, "policy");
    id = pe ? aib__label_xml_attr(a, pe, "id") : NULL;
    if (!id) {
        aib_diag_set(diag, name, pe ? pe->line : root->line, 0, "Missing policy id");
        return AIB_EINVAL;
    }
    if (!(v->policy = aib_label_site_policy(s, id))) {
        aib_diag_set(diag, name, pe->line, 0, "Unknown policy id: %s", id);
        return AIB_ENOTFOUND;
    }
    for (e = aib__label_xml_child(root, "classification"); e && rc == 0; e = aib__label_xml_next(e, "classification")) {
        const char *lacv = aib__label_xml_attr(a, e, "lacv");
        const aib__label_class_t *c;
        uint64_t n;
        if (!lacv || aib__label_parse_lacv(lacv, &n) != 0) {
            aib_diag_set(diag, name, e->line, 0, "Invalid LACV: %s", lacv ? lacv : "(missing)");
            return AIB_EINVAL;
        }
        if (!(c = aib__label_class_by_lacv(v->policy, n))) {
            aib_diag_set(diag, name, e->line, 0, "Unknown classification: %s", lacv);
            return AIB_ENOTFOUND;
        }
        rc = add_class(v, c, name, e->line, diag);
    }
    for (e = aib__label_xml_child(root, "tag"); e && rc == 0; e = aib__label_xml_next(e, "tag")) {
        const char *type = aib__label_xml_attr(a, e, "type"), *tsid = aib__label_xml_attr(a, e, "id");
        const char *lacv = aib__label_xml_attr(a, e, "lacv");
        const aib__label_tagset_t *ts;
        const aib__label_cat_t *c;
        aib_label_tagtype_t t;
        uint64_t n;
        if (aib__label_tagtype_parse_label(type, &t) != 0) {
            aib_diag_set(diag, name, e->line, 0, "Unknown tag type: %s", type ? type : "(missing)");
            return AIB_EINVAL;
        }
        if (!tsid || !(ts = aib__label_tagset_by_id(v->policy, tsid))) {
            aib_diag_set(diag, name, e->line, 0, "Unknown tagset id: %s", tsid ? tsid : "(missing)");
            return AIB_ENOTFOUND;
        }
        if (!lacv || aib__label_parse_lacv(lacv, &n) != 0) {
            aib_diag_set(diag, name, e->line, 0, "Invalid LACV: %s", lacv ? lacv : "(missing)");
            return AIB_EINVAL;
        }
        if (!(c = aib__label_cat_by_lacv(ts, t, n))) {
            aib_diag_set(diag, name, e->line, 0, "Unknown category: %s LACV %s in tag set %s", type, lacv, ts->name);
            return AIB_ENOTFOUND;
        }
        rc = add_cat(v, c, name, e->line, diag);
    }
    return rc;
}

static bool root_is(const xmlNode *root, const char *name)
{
    return root && root->type == XML_ELEMENT_NODE && root->name && !strcasecmp((const char *)root->name, name);
}

static int read_nato(const aib_label_site_t *s, aib_arena_t *a, const char *name, xmlNodePtr root, bool clearance,
                     value_t *v, aib_diag_t *diag)
{
    xmlNodePtr info, ident, holder, e, g;
    const char *pname, *uri;
    int rc = 0, n_ident = 0;

    if (clearance ? !root_is(root, "ConfidentialityClearance")
                  : !(root_is(root, "originatorConfidentialityLabel") || root_is(root, "alternativeConfidentialityLabel") ||
                      root_is(root, "ConfidentialityLabel"))) {
        aib_diag_set(diag, name, root->line, 0, "Incorrect NATO XML root");
        return AIB_EINVAL;
    }
    info = clearance ? root : aib__label_xml_child(root, "ConfidentialityInformation");
    if (!info) {
        aib_diag_set(diag, name, root->line, 0, "Missing ConfidentialityInformation");
        return AIB_EINVAL;
    }
    ident = NULL;
    for (e = aib__label_xml_child(info, "PolicyIdentifier"); e; e = aib__label_xml_next(e, "PolicyIdentifier")) {
        ident = ident ? ident : e;
        n_ident++;
    }
    if (n_ident != 1) {
        aib_diag_set(diag, name, info->line, 0, "Expected one PolicyIdentifier");
        return AIB_EINVAL;
    }
    pname = aib__label_xml_text(a, ident, true);
    if (!(v->policy = aib_label_site_policy_by_name(s, pname))) {
        aib_diag_set(diag, name, ident->line, 0, "Unknown policy name: %s", pname);
        return AIB_ENOTFOUND;
    }
    uri = aib__label_xml_attr(a, ident, "URI");
    if (!uri)
        uri = aib__label_xml_attr(a, ident, "URL");
    if (uri && !strncmp(uri, "urn:oid:", 8) && strcmp(uri + 8, v->policy->id) != 0) {
        aib_diag_set(diag, name, ident->line, 0, "Policy mismatch: %s", uri);
        return AIB_EINVAL;
    }
    holder = clearance ? aib__label_xml_child(root, "ClassificationList") : info;
    for (e = aib__label_xml_child(holder, "Classification"); e && rc == 0; e = aib__label_xml_next(e, "Classification")) {
        const char *cn = aib__label_xml_text(a, e, true);
        const aib__label_class_t *c = aib__label_class_by_name(v->policy, cn, true);
        if (!c) {
            aib_diag_set(diag, name, e->line, 0, "Unknown classification: %s", cn);
            return AIB_ENOTFOUND;
        }
        rc = add_class(v, c, name, e->line, diag);
    }
    for (e = aib__label_xml_child(info, "Category"); e && rc == 0; e = aib__label_xml_next(e, "Category")) {
        const char *type = aib__label_xml_attr(a, e, "Type"), *tn = aib__label_xml_attr(a, e, "TagName");
        const aib__label_tagset_t *ts;
        aib_label_tagtype_t t;
        if (type && !strcmp(type, "RESTRICTIVE"))
            t = AIB_LABEL_RESTRICTIVE;
        else if (type && !strcmp(type, "PERMISSIVE"))
            t = AIB_LABEL_PERMISSIVE;
        else if (type && !strcmp(type, "INFORMATIVE"))
            t = AIB_LABEL_INFORMATIVE;
        else {
            aib_diag_set(diag, name, e->line, 0, "Unknown NATO category type");
            return AIB_EINVAL;
        }
        if (!tn || !(ts = aib__label_tagset_by_name(v->policy, tn, true))) {
            aib_diag_set(diag, name, e->line, 0, "Unknown tagset name: %s", tn ? tn : "(missing)");
            return AIB_ENOTFOUND;
        }
        for (g = aib__label_xml_child(e, "GenericValue"); g && rc == 0; g = aib__label_xml_next(g, "GenericValue")) {
            const char *cn = aib__label_xml_text(a, g, true);
            const aib__label_cat_t *c = aib__label_cat_by_name(ts, t, cn, true);
            if (!c) {
                aib_diag_set(diag, name, g->line, 0, "Unknown category: %s in tag set %s", cn, ts->name);
                return AIB_ENOTFOUND;
            }
            rc = add_cat(v, c, name, g->line, diag);
        }
    }
    return rc;
}

static int read_value(const aib_label_site_t *s, aib_arena_t *a, const char *name, const char *data, size_t len,
                      aib_label_format_t fmt, bool clearance, value_t *v, aib_diag_t *diag)
{
    xmlDocPtr doc = NULL;
    xmlNodePtr root;
    const char *ns;
    int rc;

    if (!name)
        name = clearance ? "clearance" : "label";
    if (!data || len == 0) {
        aib_diag_set(diag, name, 0, 0, "No data to parse");
        return AIB_EINVAL;
    }
    if ((unsigned char)data[0] == 0x30 || (unsigned char)data[0] == 0x31) {
        aib_diag_set(diag, name, 0, 0, "BER-encoded labels are not supported (use the XML forms)");
        return AIB_EINVAL;
    }
    if (!(v->cats = aib_arena_calloc(a, MAX_CATS, sizeof *v->cats)))
        return AIB_ENOMEM;
    if ((rc = aib__label_xml_parse(name, data, len, false, &doc, NULL, diag)) != 0)
        return rc;
    root = xmlDocGetRootElement(doc);
    ns = aib__label_xml_ns(root);
    if (ns && !strcmp(ns, XML_NS) && fmt != AIB_LABEL_FMT_NATO)
        rc = read_compact(s, a, name, root, clearance, v, diag);
    else if (ns && !strcmp(ns, clearance ? CLEARANCE_NS : NATO_NS) && fmt != AIB_LABEL_FMT_XML)
        rc = read_nato(s, a, name, root, clearance, v, diag);
    else {
        aib_diag_set(diag, name, root->line, 0, "Unknown XML namespace: %s", ns ? ns : "(none)");
        rc = AIB_EINVAL;
    }
    xmlFreeDoc(doc);
    return rc;
}

int aib_label_parse(const aib_label_site_t *s, const char *name, const char *data, size_t len, aib_label_format_t fmt,
                    aib_label_t **out, aib_diag_t *diag)
{
    aib_arena_t *tmp = aib_arena_new(0);
    value_t *v = NULL;
    aib_label_t *l = NULL;
    size_t i;
    int rc;

    *out = NULL;
    if (!tmp || !(v = aib_arena_calloc(tmp, 1, sizeof *v))) {
        rc = AIB_ENOMEM;
        goto done;
    }
    if ((rc = read_value(s, tmp, name, data, len, fmt, false, v, diag)) != 0)
        goto done;
    if (v->n_classes != 1) {
        aib_diag_set(diag, name ? name : "label", 0, 0, "Label requires one classification");
        rc = AIB_EINVAL;
        goto done;
    }
    if ((rc = aib__label_new(v->policy, v->classes[0], &l)) != 0)
        goto done;
    v->n_cats = aib__label_cats_normalise(v->cats, v->n_cats); /* now at most the policy's count */
    for (i = 0; i < v->n_cats; i++)
        l->cats[i] = v->cats[i];
    l->n_cats = v->n_cats;
    *out = l;
done:
    aib_arena_free(tmp);
    return rc;
}

static int by_hierarchy(const void *a, const void *b)
{
    const aib__label_class_t *x = *(const aib__label_class_t *const *)a, *y = *(const aib__label_class_t *const *)b;
    if (x->hierarchy != y->hierarchy)
        return x->hierarchy < y->hierarchy ? -1 : 1;
    return x->lacv < y->lacv ? -1 : x->lacv > y->lacv;
}

static int clearance_new(const aib_label_policy_t *p, const aib__label_class_t *const *classes, size_t n_classes,
                         const aib__label_cat_t *const *cats, size_t n_cats, aib_label_clearance_t **out)
{
    aib_arena_t *a = aib_arena_new(4096);
    aib_label_clearance_t *c;
    size_t i, k = 0;

    *out = NULL;
    if (!a || !(c = aib_arena_calloc(a, 1, sizeof *c)) ||
        (n_classes && !(c->classes = aib_arena_calloc(a, n_classes, sizeof *c->classes))) ||
        (n_cats && !(c->cats = aib_arena_calloc(a, n_cats, sizeof *c->cats)))) {
        aib_arena_free(a);
        return AIB_ENOMEM;
    }
    c->arena = a;
    c->policy = p;
    memcpy(c->classes, classes, n_classes * sizeof *classes);
    qsort(c->classes, n_classes, sizeof *c->classes, by_hierarchy);
    for (i = 0; i < n_classes; i++)
        if (k == 0 || c->classes[k - 1] != c->classes[i])
            c->classes[k++] = c->classes[i];
    c->n_classes = k;
    if (n_cats)
        memcpy(c->cats, cats, n_cats * sizeof *cats);
    c->n_cats = aib__label_cats_normalise(c->cats, n_cats);
    *out = c;
    return 0;
}

int aib_label_clearance_parse(const aib_label_site_t *s, const char *name, const char *data, size_t len,
                              aib_label_format_t fmt, aib_label_clearance_t **out, aib_diag_t *diag)
{
    aib_arena_t *tmp = aib_arena_new(0);
    value_t *v = NULL;
    size_t i;
    int rc;

    *out = NULL;
    if (!tmp || !(v = aib_arena_calloc(tmp, 1, sizeof *v))) {
        rc = AIB_ENOMEM;
        goto done;
    }
    if ((rc = read_value(s, tmp, name, data, len, fmt, true, v, diag)) != 0)
        goto done;
    for (i = 0; i < v->n_cats; i++)
        if (v->cats[i]->tag->type == AIB_LABEL_INFORMATIVE) {
            aib_diag_set(diag, name ? name : "clearance", 0, 0, "Informative categories are not clearance privileges");
            rc = AIB_EINVAL;
            goto done;
        }
    rc = clearance_new(v->policy, v->classes, v->n_classes, v->cats, v->n_cats, out);
done:
    aib_arena_free(tmp);
    return rc;
}

int aib_label_clearance_from_level(const aib_label_policy_t *p, const char *level, bool all_categories,
                                   aib_label_clearance_t **out, aib_diag_t *diag)
{
    const aib__label_class_t *top = aib__label_class_by_name(p, level, true);
    const aib__label_class_t **cls = NULL;
    const aib__label_cat_t **cats = NULL;
    size_t n = 0, k = 0, i;
    uint64_t lacv;
    int rc;

    *out = NULL;
    if (!top && aib__label_parse_lacv(level, &lacv) == 0)
        top = aib__label_class_by_lacv(p, lacv);
    if (!top) {
        aib_diag_set(diag, "clearance", 0, 0, "Unknown classification: %s", level);
        return AIB_ENOTFOUND;
    }
    cls = calloc(p->n_classes, sizeof *cls);
    cats = calloc(p->n_cats ? p->n_cats : 1, sizeof *cats);
    if (!cls || !cats) {
        rc = AIB_ENOMEM;
        goto done;
    }
    for (i = 0; i < p->n_classes; i++)
        if (p->classes[i].hierarchy <= top->hierarchy)
            cls[n++] = &p->classes[i];
    for (i = 0; all_categories && i < p->n_cats; i++)
        if (p->by_ordinal[i]->tag->type != AIB_LABEL_INFORMATIVE)
            cats[k++] = p->by_ordinal[i];
    rc = clearance_new(p, cls, n, cats, k, out);
done:
    free(cls);
    free(cats);
    return rc;
}

/* ---- accessors ---------------------------------------------------------------------------------- */

const aib_label_policy_t *aib_label_policy(const aib_label_t *l)
{
    return l->policy;
}

const char *aib_label_classification(const aib_label_t *l)
{
    return l->cls->name;
}

size_t aib_label_category_count(const aib_label_t *l)
{
    return l->n_cats;
}

const char *aib_label_category(const aib_label_t *l, size_t i, const char **tagset, aib_label_tagtype_t *type)
{
    if (i >= l->n_cats)
        return NULL;
    if (tagset)
        *tagset = l->cats[i]->tag->ts->name;
    if (type)
        *type = l->cats[i]->tag->type;
    return l->cats[i]->name;
}

bool aib_label_equal(const aib_label_t *l, const aib_label_t *m)
{
    size_t i;
    if (l->policy != m->policy || l->cls != m->cls || l->n_cats != m->n_cats)
        return false;
    for (i = 0; i < l->n_cats; i++)
        if (l->cats[i] != m->cats[i])
            return false;
    return true;
}

/* ---- writing ------------------------------------------------------------------------------------ */

static int write_compact(const aib_label_policy_t *p, const aib__label_class_t *const *cls, size_t n_cls,
                         const aib__label_cat_t *const *cats, size_t n_cats, bool clearance, aib_buf_t *out)
{
    size_t i;
    int rc = 0;

    rc |= aib_buf_printf(out, "<%s xmlns=\"%s\">\n  <policy id=\"", clearance ? "clearance" : "label", XML_NS);
    rc |= aib__label_xml_escape(out, p->id);
    rc |= aib_buf_puts(out, "\"/>\n");
    for (i = 0; i < n_cls; i++)
        rc |= aib_buf_printf(out, "  <classification lacv=\"%llu\"/>\n", (unsigned long long)cls[i]->lacv);
    for (i = 0; i < n_cats; i++) {
        rc |= aib_buf_printf(out, "  <tag type=\"%s\" id=\"", aib__label_tagtype_name(cats[i]->tag->type));
        rc |= aib__label_xml_escape(out, cats[i]->tag->ts->id);
        rc |= aib_buf_printf(out, "\" lacv=\"%llu\"/>\n", (unsigned long long)cats[i]->lacv);
    }
    rc |= aib_buf_printf(out, "</%s>\n", clearance ? "clearance" : "label");
    return rc ? AIB_ENOMEM : 0;
}

static int write_nato(const aib_label_policy_t *p, const aib__label_class_t *const *cls, size_t n_cls,
                      const aib__label_cat_t *const *cats, size_t n_cats, bool clearance, aib_buf_t *out)
{
    bool *done = NULL;
    size_t i, j;
    int rc = 0;

    if (n_cats && !(done = calloc(n_cats, sizeof *done)))
        return AIB_ENOMEM;
    if (clearance)
        rc |= aib_buf_printf(out, "<ConfidentialityClearance xmlns=\"%s\">\n", CLEARANCE_NS);
    else
        rc |= aib_buf_printf(out, "<originatorConfidentialityLabel xmlns=\"%s\">\n<ConfidentialityInformation>\n", NATO_NS);
    rc |= aib_buf_puts(out, "<PolicyIdentifier URI=\"urn:oid:");
    rc |= aib__label_xml_escape(out, p->id);
    rc |= aib_buf_puts(out, "\">");
    rc |= aib__label_xml_escape(out, p->name);
    rc |= aib_buf_puts(out, "</PolicyIdentifier>\n");
    if (clearance)
        rc |= aib_buf_puts(out, "<ClassificationList>\n");
    for (i = 0; i < n_cls; i++) {
        rc |= aib_buf_puts(out, "<Classification>");
        rc |= aib__label_xml_escape(out, cls[i]->name);
        rc |= aib_buf_puts(out, "</Classification>\n");
    }
    if (clearance)
        rc |= aib_buf_puts(out, "</ClassificationList>\n");
    /* One Category element per (tag set, normalised type), in order of first appearance. */
    for (i = 0; i < n_cats; i++) {
        aib_label_tagtype_t t = aib__label_tagtype_norm(cats[i]->tag->type);
        const aib__label_tagset_t *ts = cats[i]->tag->ts;
        if (done[i])
            continue;
        rc |= aib_buf_puts(out, "<Category TagName=\"");
        rc |= aib__label_xml_escape(out, ts->name);
        rc |= aib_buf_printf(out, "\" Type=\"%s\">\n", t == AIB_LABEL_RESTRICTIVE ? "RESTRICTIVE"
                                                     : t == AIB_LABEL_PERMISSIVE ? "PERMISSIVE" : "INFORMATIVE");
        for (j = i; j < n_cats; j++) {
            if (done[j] || cats[j]->tag->ts != ts || aib__label_tagtype_norm(cats[j]->tag->type) != t)
                continue;
            done[j] = true;
            rc |= aib_buf_puts(out, "<GenericValue>");
            rc |= aib__label_xml_escape(out, cats[j]->name);
            rc |= aib_buf_puts(out, "</GenericValue>\n");
        }
        rc |= aib_buf_puts(out, "</Category>\n");
    }
    if (clearance)
        rc |= aib_buf_puts(out, "</ConfidentialityClearance>\n");
    else
        rc |= aib_buf_puts(out, "</ConfidentialityInformation>\n</originatorConfidentialityLabel>\n");
    free(done);
    return rc ? AIB_ENOMEM : 0;
}

int aib_label_write(const aib_label_t *l, aib_label_format_t fmt, aib_buf_t *out)
{
    const aib__label_class_t *cls[1] = { l->cls };
    if (fmt == AIB_LABEL_FMT_NATO)
        return write_nato(l->policy, cls, 1, l->cats, l->n_cats, false, out);
    if (fmt == AIB_LABEL_FMT_XML)
        return write_compact(l->policy, cls, 1, l->cats, l->n_cats, false, out);
    return AIB_EINVAL;
}

int aib_label_clearance_write(const aib_label_clearance_t *c, aib_label_format_t fmt, aib_buf_t *out)
{
    if (fmt == AIB_LABEL_FMT_NATO)
        return write_nato(c->policy, c->classes, c->n_classes, c->cats, c->n_cats, true, out);
    if (fmt == AIB_LABEL_FMT_XML)
        return write_compact(c->policy, c->classes, c->n_classes, c->cats, c->n_cats, true, out);
    return AIB_EINVAL;
}
