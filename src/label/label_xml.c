/* xml.c — the libxml2 wrapper behind the SPIF, label and conformance readers: safe parse settings
 * (no network, no DTD, no entity expansion), errors collected into a diag instead of stderr, and
 * small helpers for namespace-agnostic child lookup, attributes and text. */
#include "label/label_int.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <stdio.h>
#include <string.h>

#define MAX_XML_BYTES (32u << 20)

typedef struct errs {
    int n;
    int n_mismatch;
    int first_code, first_line, first_col;
    char first_msg[300];
} errs_t;

static void on_error(void *ctx, xmlErrorPtr e)
{
    errs_t *er = ctx;
    size_t l;

    if (!e || e->level == XML_ERR_WARNING)
        return;
    if (er->n == 0) {
        er->first_code = e->code;
        er->first_line = e->line;
        er->first_col = e->int2;
        snprintf(er->first_msg, sizeof er->first_msg, "%s", e->message ? e->message : "XML error");
        l = strlen(er->first_msg);
        while (l > 0 && (er->first_msg[l - 1] == '\n' || er->first_msg[l - 1] == ' '))
            er->first_msg[--l] = '\0';
    }
    er->n++;
    if (e->code == XML_ERR_TAG_NAME_MISMATCH)
        er->n_mismatch++;
}

static xmlDocPtr parse_once(const char *name, const char *data, size_t len, int opts, errs_t *er)
{
    xmlParserCtxtPtr ctxt;
    xmlDocPtr doc;

    memset(er, 0, sizeof *er);
    ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return NULL;
    xmlSetStructuredErrorFunc(er, on_error);
    doc = xmlCtxtReadMemory(ctxt, data, (int)len, name, NULL, opts);
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (doc && !ctxt->wellFormed && !(opts & XML_PARSE_RECOVER)) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    xmlFreeParserCtxt(ctxt);
    return doc;
}

int aib__label_xml_parse(const char *name, const char *data, size_t len, bool lenient, xmlDocPtr *out,
                         bool *recovered, aib_diag_t *diag)
{
    const int base = XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR;
    errs_t er;
    xmlDocPtr doc = NULL;
    int rc = AIB_OK;

    *out = NULL;
    if (recovered)
        *recovered = false;
    if (len > MAX_XML_BYTES) {
        aib_diag_set(diag, name, 0, 0, "XML document larger than %u bytes", MAX_XML_BYTES);
        rc = AIB_ELIMIT;
        goto done;
    }
    doc = parse_once(name, data, len, base, &er);
    if (!doc && lenient && er.n > 0 && er.first_code == XML_ERR_TAG_NAME_MISMATCH) {
        /* Misspelt end tags are tolerated in policy files only, and only when they are the sole
         * problem: the reparse in recovery mode must report nothing else. */
        errs_t er2;
        doc = parse_once(name, data, len, base | XML_PARSE_RECOVER, &er2);
        if (doc && er2.n == er2.n_mismatch && er2.n > 0 && xmlDocGetRootElement(doc)) {
            if (recovered)
                *recovered = true;
            aib_diag_set(diag, name, er.first_line, er.first_col, "warning: %s (accepted)", er.first_msg);
        } else {
            if (doc)
                xmlFreeDoc(doc);
            doc = NULL;
        }
    }
    if (!doc) {
        if (er.n > 0)
            aib_diag_set(diag, name, er.first_line, er.first_col, "%s", er.first_msg);
        else
            aib_diag_set(diag, name, 0, 0, "XML parse failed");
        rc = AIB_EPARSE;
        goto done;
    }
    if (doc->intSubset || doc->extSubset) {
        /* Labels and policies never need a DTD; refusing them rules out entity expansion tricks. */
        aib_diag_set(diag, name, 0, 0, "DOCTYPE is not allowed");
        rc = AIB_EPARSE;
        goto done;
    }
    if (!xmlDocGetRootElement(doc)) {
        aib_diag_set(diag, name, 0, 0, "XML document has no root element");
        rc = AIB_EPARSE;
        goto done;
    }
    *out = doc;
    doc = NULL;
done:
    if (doc)
        xmlFreeDoc(doc);
    return rc;
}

bool aib__label_xml_is(const xmlNode *n, const char *local)
{
    return n && n->type == XML_ELEMENT_NODE && n->name && strcmp((const char *)n->name, local) == 0;
}

xmlNodePtr aib__label_xml_child(const xmlNode *n, const char *local)
{
    xmlNodePtr c;
    if (!n)
        return NULL;
    for (c = n->children; c; c = c->next)
        if (aib__label_xml_is(c, local))
            return c;
    return NULL;
}

xmlNodePtr aib__label_xml_next(const xmlNode *n, const char *local)
{
    xmlNodePtr c;
    for (c = n ? n->next : NULL; c; c = c->next)
        if (aib__label_xml_is(c, local))
            return c;
    return NULL;
}

const char *aib__label_xml_attr(aib_arena_t *a, const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    const char *r;
    if (!v)
        return NULL;
    r = aib_arena_strndup(a, (const char *)v, strlen((const char *)v));
    xmlFree(v);
    return r;
}

const char *aib__label_xml_lang(aib_arena_t *a, const xmlNode *n)
{
    xmlChar *v = xmlGetNsProp(n, (const xmlChar *)"lang", XML_XML_NAMESPACE);
    const char *r;
    if (!v)
        return "";
    r = aib_arena_strndup(a, (const char *)v, strlen((const char *)v));
    xmlFree(v);
    return r ? r : "";
}

const char *aib__label_xml_text(aib_arena_t *a, const xmlNode *n, bool trim)
{
    xmlChar *v = xmlNodeGetContent(n);
    const char *s, *e;
    const char *r;
    if (!v)
        return "";
    s = (const char *)v;
    e = s + strlen(s);
    if (trim) {
        while (s < e && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
            s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
            e--;
    }
    r = aib_arena_strndup(a, s, (size_t)(e - s));
    xmlFree(v);
    return r ? r : "";
}

const char *aib__label_xml_ns(const xmlNode *n)
{
    return n && n->ns && n->ns->href ? (const char *)n->ns->href : NULL;
}

int aib__label_xml_escape(aib_buf_t *b, const char *s)
{
    int rc = 0;
    for (; *s && rc == 0; s++) {
        switch (*s) {
        case '&': rc = aib_buf_puts(b, "&amp;"); break;
        case '<': rc = aib_buf_puts(b, "&lt;"); break;
        case '>': rc = aib_buf_puts(b, "&gt;"); break;
        case '"': rc = aib_buf_puts(b, "&quot;"); break;
        case '\'': rc = aib_buf_puts(b, "&apos;"); break;
        default: rc = aib_buf_putc(b, *s); break;
        }
    }
    return rc;
}
