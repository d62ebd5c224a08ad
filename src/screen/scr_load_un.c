/* scr_load_un.c — the UN Security Council Consolidated List XML (CONSOLIDATED_LIST with INDIVIDUALS
 * and ENTITIES): names from FIRST..FOURTH_NAME, aliases, the name in original script,
 * nationality and address countries, dates of birth and document numbers. Parsed with libxml2
 * without network access or entity expansion. */
#include "screen/screen_int.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <string.h>

static bool is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* Text of the first child element called name ("" when absent); caller frees with xmlFree. */
static xmlChar *child_text(const xmlNode *n, const char *name)
{
    const xmlNode *c;
    for (c = n->children; c; c = c->next)
        if (is(c, name))
            return xmlNodeGetContent(c);
    return NULL;
}

static int add_text(aib_screen_lists_t *ls, aib__scr_eb_t *b, const xmlNode *n, const char *name,
                    int (*fn)(aib_screen_lists_t *, aib__scr_eb_t *, const char *, size_t))
{
    xmlChar *t = child_text(n, name);
    int rc = 0;
    if (t) {
        rc = fn(ls, b, (const char *)t, strlen((const char *)t));
        xmlFree(t);
    }
    return rc;
}

static int load_party(aib_screen_lists_t *ls, size_t li, const xmlNode *p, bool person, aib__scr_eb_t *b)
{
    static const char *const parts[] = {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"};
    const xmlNode *c;
    aib_buf_t name;
    xmlChar *t;
    size_t i;
    int rc = 0;

    aib_buf_init(&name);
    b->schema = person ? AIB_SCREEN_PERSON : AIB_SCREEN_COMPANY;
    t = child_text(p, "REFERENCE_NUMBER");
    if (!t || !*t) {
        xmlFree(t);
        t = child_text(p, "DATAID");
    }
    b->src_id = aib__scr_str(ls, t ? (const char *)t : "?", t ? strlen((const char *)t) : 1);
    xmlFree(t);
    t = child_text(p, "UN_LIST_TYPE");
    if (t) {
        b->programs = aib__scr_str(ls, (const char *)t, strlen((const char *)t));
        xmlFree(t);
    }
    for (i = 0; i < 4 && rc == 0; i++) {
        t = child_text(p, parts[i]);
        if (t && *t) {
            if (name.len)
                rc |= aib_buf_putc(&name, ' ');
            rc |= aib_buf_puts(&name, (const char *)t);
        }
        xmlFree(t);
    }
    if (rc == 0 && name.len)
        rc = aib__scr_eb_name(ls, b, name.data, name.len);
    if (rc == 0)
        rc = add_text(ls, b, p, "NAME_ORIGINAL_SCRIPT", aib__scr_eb_name);
    for (c = p->children; c && rc == 0; c = c->next) {
        const xmlNode *v;
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is(c, "INDIVIDUAL_ALIAS") || is(c, "ENTITY_ALIAS")) {
            rc = add_text(ls, b, c, "ALIAS_NAME", aib__scr_eb_name);
        } else if (is(c, "NATIONALITY")) {
            for (v = c->children; v && rc == 0; v = v->next)
                if (is(v, "VALUE")) {
                    xmlChar *vt = xmlNodeGetContent(v);
                    if (vt)
                        rc = aib__scr_eb_country(ls, b, (const char *)vt, strlen((const char *)vt));
                    xmlFree(vt);
                }
        } else if (is(c, "INDIVIDUAL_ADDRESS") || is(c, "ENTITY_ADDRESS")) {
            rc = add_text(ls, b, c, "COUNTRY", aib__scr_eb_country);
        } else if (is(c, "INDIVIDUAL_DATE_OF_BIRTH")) {
            rc = add_text(ls, b, c, "DATE", aib__scr_eb_dob);
            if (rc == 0)
                rc = add_text(ls, b, c, "YEAR", aib__scr_eb_dob);
            if (rc == 0)
                rc = add_text(ls, b, c, "FROM_YEAR", aib__scr_eb_dob);
            if (rc == 0)
                rc = add_text(ls, b, c, "TO_YEAR", aib__scr_eb_dob);
        } else if (is(c, "INDIVIDUAL_DOCUMENT")) {
            rc = add_text(ls, b, c, "NUMBER", aib__scr_eb_idnum);
        } else if (is(c, "COMMENTS1")) {
            xmlChar *ct = xmlNodeGetContent(c);
            if (ct)
                rc = aib_buf_puts(&b->remarks, (const char *)ct);
            xmlFree(ct);
        }
    }
    aib_buf_free(&name);
    if (rc == 0)
        rc = aib__scr_eb_commit(ls, li, b);
    return rc;
}

int aib__scr_load_un(aib_screen_lists_t *ls, const aib__scr_file_t *f, aib_diag_t *diag)
{
    xmlDoc *doc = NULL;
    xmlNode *root, *sec, *p;
    aib__scr_eb_t b;
    char hex[65], name[128];
    int rc = 0, li;

    aib__scr_eb_init(&b);
    if (f->len > (size_t)1 << 30) {
        aib_diag_set(diag, f->name, 0, 0, "file too large");
        rc = AIB_ELIMIT;
        goto done;
    }
    doc = xmlReadMemory(f->data, (int)f->len, f->name, NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *e = xmlGetLastError();
        aib_diag_set(diag, f->name, e ? e->line : 0, e ? e->int2 : 0, "malformed XML: %s",
                     e && e->message ? e->message : "parse error");
        /* libxml2 messages end with a newline */
        if (diag) {
            size_t l = strlen(diag->msg);
            while (l && (diag->msg[l - 1] == '\n' || diag->msg[l - 1] == '\r'))
                diag->msg[--l] = '\0';
        }
        xmlResetLastError();
        rc = AIB_EPARSE;
        goto done;
    }
    root = xmlDocGetRootElement(doc);
    if (!root || !is(root, "CONSOLIDATED_LIST")) {
        aib_diag_set(diag, f->name, root ? (int)xmlGetLineNo(root) : 0, 0,
                     "not a UN consolidated list (root element is not CONSOLIDATED_LIST)");
        rc = AIB_EPARSE;
        goto done;
    }
    aib_screen_sha256_hex(f->data, f->len, hex);
    snprintf(name, sizeof(name), "un-sc");
    li = aib__scr_list_begin(ls, name, f->name, hex);
    if (li < 0) {
        aib_diag_set(diag, f->name, 0, 0, "list `%s` is loaded twice", name);
        rc = li;
        goto done;
    }
    for (sec = root->children; sec && rc == 0; sec = sec->next) {
        bool person = is(sec, "INDIVIDUALS");
        if (!person && !is(sec, "ENTITIES"))
            continue;
        for (p = sec->children; p && rc == 0; p = p->next) {
            if (p->type != XML_ELEMENT_NODE)
                continue;
            if (!is(p, person ? "INDIVIDUAL" : "ENTITY")) {
                aib_diag_set(diag, f->name, (int)xmlGetLineNo(p), 0, "unexpected element <%s> in <%s>",
                             (const char *)p->name, (const char *)sec->name);
                rc = AIB_EPARSE;
                break;
            }
            rc = load_party(ls, (size_t)li, p, person, &b);
        }
    }
done:
    aib__scr_eb_free(&b);
    if (doc)
        xmlFreeDoc(doc);
    return rc;
}
