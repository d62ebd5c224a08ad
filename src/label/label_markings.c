/* markings.c — Open XML SPIF marking data (markingData phrases with marking codes, markingQualifier
 * prefix/suffix/separator, per xml:lang) and the display markings computed from them for labels
 * and clearances. The policy, classification, tag and category each carry their own marking data;
 * a category without its own falls back to its tag's. */
#include "label/label_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define LOC AIB__LM_PAGE_BOTTOM

static aib__label_marking_t *lang_slot(aib__label_markings_t *m, size_t cap, const char *lang)
{
    size_t i;
    for (i = 0; i < m->n; i++)
        if (strcmp(m->v[i].lang, lang) == 0)
            return &m->v[i];
    if (m->n >= cap)
        return NULL;
    m->v[m->n].lang = lang;
    m->v[m->n].prefix = m->v[m->n].suffix = m->v[m->n].sep = "";
    return &m->v[m->n++];
}

static int code_mask(const char *c, unsigned *mask, bool *location)
{
    static const struct { const char *name; unsigned mask; bool loc; } codes[] = {
        { "pageTop", AIB__LM_PAGE_TOP, true },
        { "pageBottom", AIB__LM_PAGE_BOTTOM, true },
        { "pageTopBottom", AIB__LM_PAGE_TOP | AIB__LM_PAGE_BOTTOM, true },
        { "documentStart", AIB__LM_DOC_START, true },
        { "documentEnd", AIB__LM_DOC_END, true },
        { "noNameDisplay", AIB__LM_NO_NAME, false },
        { "noMarkingDisplay", AIB__LM_NO_MARKING, false },
        { "suppressClassName", AIB__LM_SUPPRESS_CLASS, false },
        { "replacePolicy", AIB__LM_REPLACE_POLICY, false },
    };
    size_t i;
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (strcmp(codes[i].name, c) == 0) {
            *mask |= codes[i].mask;
            *location = *location || codes[i].loc;
            return 0;
        }
    return AIB_EINVAL;
}

int aib__label_markings_parse(aib_arena_t *a, const char *file, const xmlNode *n, aib__label_markings_t *out,
                              aib_diag_t *diag)
{
    xmlNodePtr q, e, c;
    size_t cap = 0, i, j;
    aib__label_marking_t *def;
    int rc = AIB_OK;

    memset(out, 0, sizeof *out);
    for (q = aib__label_xml_child(n, "markingQualifier"); q; q = aib__label_xml_next(q, "markingQualifier"))
        for (e = aib__label_xml_child(q, "qualifier"); e; e = aib__label_xml_next(e, "qualifier"))
            cap++;
    for (e = aib__label_xml_child(n, "markingData"); e; e = aib__label_xml_next(e, "markingData"))
        cap++;
    if (cap == 0)
        goto done;
    out->v = aib_arena_calloc(a, cap, sizeof *out->v);
    if (!out->v) {
        rc = AIB_ENOMEM;
        goto done;
    }
    for (q = aib__label_xml_child(n, "markingQualifier"); q; q = aib__label_xml_next(q, "markingQualifier"))
        for (e = aib__label_xml_child(q, "qualifier"); e; e = aib__label_xml_next(e, "qualifier")) {
            aib__label_marking_t *m = lang_slot(out, cap, aib__label_xml_lang(a, e));
            const char *text = aib__label_xml_attr(a, e, "markingQualifier");
            const char *code = aib__label_xml_attr(a, e, "qualifierCode");
            if (!m) {
                rc = AIB_ENOMEM;
                goto done;
            }
            if (!text)
                text = "";
            if (code && strcmp(code, "prefix") == 0)
                m->prefix = text;
            else if (code && strcmp(code, "suffix") == 0)
                m->suffix = text;
            else if (code && strcmp(code, "separator") == 0)
                m->sep = text;
            else {
                aib_diag_set(diag, file, e->line, 0, "Unknown qualifierCode");
                rc = AIB_EINVAL;
                goto done;
            }
        }
    /* Phrases: count per language first so each language's array is allocated once. */
    for (e = aib__label_xml_child(n, "markingData"); e; e = aib__label_xml_next(e, "markingData")) {
        aib__label_marking_t *m = lang_slot(out, cap, aib__label_xml_lang(a, e));
        if (!m) {
            rc = AIB_ENOMEM;
            goto done;
        }
        m->n_ph++;
    }
    for (i = 0; i < out->n; i++) {
        if (out->v[i].n_ph) {
            out->v[i].ph = aib_arena_calloc(a, out->v[i].n_ph, sizeof *out->v[i].ph);
            if (!out->v[i].ph) {
                rc = AIB_ENOMEM;
                goto done;
            }
        }
        out->v[i].n_ph = 0;
    }
    for (e = aib__label_xml_child(n, "markingData"); e; e = aib__label_xml_next(e, "markingData")) {
        aib__label_marking_t *m = lang_slot(out, cap, aib__label_xml_lang(a, e));
        unsigned mask = 0;
        bool loc = false;
        for (c = aib__label_xml_child(e, "code"); c; c = aib__label_xml_next(c, "code")) {
            const char *t = aib__label_xml_text(a, c, true);
            if (code_mask(t, &mask, &loc) != 0) {
                aib_diag_set(diag, file, c->line, 0, "Unknown marking code: %s", t);
                rc = AIB_EINVAL;
                goto done;
            }
        }
        /* Marking data that names no place applies wherever the label is displayed. */
        if (!loc)
            mask |= AIB__LM_PAGE_TOP | AIB__LM_PAGE_BOTTOM;
        m->ph[m->n_ph].mask = mask;
        m->ph[m->n_ph].text = aib__label_xml_attr(a, e, "phrase");
        m->n_ph++;
    }
    /* Qualifiers without a language are the defaults of every language that leaves them unset. */
    def = NULL;
    for (i = 0; i < out->n; i++)
        if (out->v[i].lang[0] == '\0')
            def = &out->v[i];
    if (def)
        for (j = 0; j < out->n; j++) {
            aib__label_marking_t *m = &out->v[j];
            if (m == def)
                continue;
            if (!m->prefix[0])
                m->prefix = def->prefix;
            if (!m->suffix[0])
                m->suffix = def->suffix;
            if (!m->sep[0])
                m->sep = def->sep;
        }
done:
    return rc;
}

const aib__label_marking_t *aib__label_markings_get(const aib__label_markings_t *m, const char *lang)
{
    size_t i, pl;
    const char *dash;

    if (!lang)
        lang = "";
    for (i = 0; i < m->n; i++)
        if (strcasecmp(m->v[i].lang, lang) == 0)
            return &m->v[i];
    dash = strpbrk(lang, "-_");
    if (dash) {
        pl = (size_t)(dash - lang);
        for (i = 0; i < m->n; i++)
            if (strlen(m->v[i].lang) == pl && strncasecmp(m->v[i].lang, lang, pl) == 0)
                return &m->v[i];
    }
    for (i = 0; i < m->n; i++)
        if (m->v[i].lang[0] == '\0')
            return &m->v[i];
    return NULL;
}

/* The first marking entry displayed at loc decides. */
static const aib__label_phrase_t *at(const aib__label_marking_t *m, unsigned loc)
{
    size_t i;
    for (i = 0; m && i < m->n_ph; i++)
        if (m->ph[i].mask & loc)
            return &m->ph[i];
    return NULL;
}

static const char *phrase(const aib__label_marking_t *m, const char *fallback)
{
    const aib__label_phrase_t *p = at(m, LOC);
    if (!p)
        return fallback;
    if (p->mask & (AIB__LM_NO_NAME | AIB__LM_NO_MARKING))
        return "";
    if ((p->mask & AIB__LM_REPLACE_POLICY) || !p->text)
        return fallback; /* that phrase stands in for the policy name, not for this name */
    return p->text;
}

static bool flag(const aib__label_marking_t *m, unsigned f)
{
    const aib__label_phrase_t *p = at(m, LOC);
    return p && (p->mask & f);
}

static const char *policy_phrase(const aib__label_marking_t *m, const char *fallback)
{
    const aib__label_phrase_t *p = at(m, LOC | AIB__LM_REPLACE_POLICY);
    return p && p->text ? p->text : fallback;
}

static int cat_markings(aib_buf_t *out, const aib__label_cat_t *const *cats, size_t n, const char *lang,
                        const char *sep)
{
    const aib__label_tag_t *cur = NULL;
    const char *suffix = "", *tsep = "/";
    size_t i;
    int rc = 0;

    for (i = 0; i < n && rc == 0; i++) {
        const aib__label_cat_t *c = cats[i];
        const aib__label_marking_t *m = aib__label_markings_get(&c->mk, lang);
        const char *ph;
        if (!m)
            m = aib__label_markings_get(&c->tag->mk, lang);
        ph = m ? phrase(m, c->name) : c->name;
        if (!ph[0])
            continue;
        if (c->tag != cur) {
            const aib__label_marking_t *tm;
            cur = c->tag;
            rc |= aib_buf_puts(out, suffix);
            if (out->len)
                rc |= aib_buf_puts(out, sep);
            tm = aib__label_markings_get(&cur->mk, lang);
            suffix = tm ? tm->suffix : "";
            tsep = tm && tm->sep[0] ? tm->sep : "/";
            if (tm)
                rc |= aib_buf_puts(out, tm->prefix);
        } else {
            rc |= aib_buf_puts(out, tsep);
        }
        rc |= aib_buf_puts(out, ph);
    }
    rc |= aib_buf_puts(out, suffix);
    return rc ? AIB_ENOMEM : 0;
}

int aib_label_marking(const aib_label_t *l, const char *lang, aib_buf_t *out)
{
    const aib_label_policy_t *p = l->policy;
    const aib__label_marking_t *pm = aib__label_markings_get(&p->mk, lang);
    const aib__label_marking_t *cm = aib__label_markings_get(&l->cls->mk, lang);
    const char *sep = pm && pm->sep[0] ? pm->sep : " ";
    const char *pname = p->name;
    aib_buf_t body;
    bool suppress = false;
    size_t i;
    int rc = 0;

    aib_buf_init(&body);
    if (pm && flag(pm, AIB__LM_REPLACE_POLICY))
        pname = policy_phrase(pm, p->name);
    else if (cm && flag(cm, AIB__LM_REPLACE_POLICY))
        pname = policy_phrase(cm, l->cls->name);
    else
        for (i = 0; i < l->n_cats; i++) {
            const aib__label_marking_t *m = aib__label_markings_get(&l->cats[i]->mk, lang);
            if (m && flag(m, AIB__LM_REPLACE_POLICY)) {
                pname = policy_phrase(m, l->cats[i]->name);
                break;
            }
        }
    rc |= aib_buf_puts(&body, pname);
    for (i = 0; i < l->n_cats; i++) {
        const aib__label_marking_t *m = aib__label_markings_get(&l->cats[i]->mk, lang);
        if (m && flag(m, AIB__LM_SUPPRESS_CLASS))
            suppress = true;
    }
    if (!suppress) {
        const aib__label_marking_t *m = cm ? cm : pm;
        if (body.len)
            rc |= aib_buf_puts(&body, sep);
        rc |= aib_buf_puts(&body, m ? phrase(m, l->cls->name) : l->cls->name);
    }
    if (rc == 0)
        rc = cat_markings(&body, l->cats, l->n_cats, lang, sep);
    if (rc == 0 && pm)
        rc |= aib_buf_puts(out, pm->prefix);
    if (rc == 0)
        rc |= aib_buf_append(out, body.data ? body.data : "", body.len);
    if (rc == 0 && pm)
        rc |= aib_buf_puts(out, pm->suffix);
    aib_buf_free(&body);
    return rc ? AIB_ENOMEM : 0;
}

int aib_label_clearance_marking(const aib_label_clearance_t *c, const char *lang, aib_buf_t *out)
{
    const aib__label_marking_t *pm = aib__label_markings_get(&c->policy->mk, lang);
    const char *sep = pm && pm->sep[0] ? pm->sep : " ";
    aib_buf_t body;
    size_t i;
    int rc = 0;

    aib_buf_init(&body);
    if (pm)
        rc |= aib_buf_puts(&body, pm->prefix);
    rc |= aib_buf_putc(&body, '{');
    for (i = 0; i < c->n_classes; i++) {
        if (i)
            rc |= aib_buf_putc(&body, '|');
        rc |= aib_buf_puts(&body, c->classes[i]->name);
    }
    rc |= aib_buf_putc(&body, '}');
    if (rc == 0)
        rc = cat_markings(&body, c->cats, c->n_cats, lang, sep);
    if (rc == 0 && pm)
        rc |= aib_buf_puts(&body, pm->suffix);
    if (rc == 0)
        rc = aib_buf_append(out, body.data ? body.data : "", body.len);
    aib_buf_free(&body);
    return rc ? AIB_ENOMEM : 0;
}
