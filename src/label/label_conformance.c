/* conformance.c — runs a label-conformance suite: tests.xml lists sequences of SPIF policies and
 * tests (label file, expected validity, display marking per language, equivalent-policy
 * translation and its marking, clearance marking, access decision, expected error message). Reads
 * the suite from a folder or a .tar.gz (libarchive). Every label and clearance is also written in
 * both XML forms and read back, which must give the same label, marking and bytes. */
#include "label/label_int.h"

#include <archive.h>
#include <archive_entry.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_FILES 4096
#define MAX_TOTAL (64u << 20)

typedef struct file {
    char *name;
    char *data;
    size_t len;
} file_t;

typedef struct suite {
    char dir[4096]; /* folder form; empty for an archive */
    file_t *files;  /* archive form */
    size_t n;
} suite_t;

static void suite_free(suite_t *s)
{
    size_t i;
    for (i = 0; i < s->n; i++) {
        free(s->files[i].name);
        free(s->files[i].data);
    }
    free(s->files);
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int load_archive(suite_t *s, const char *path, aib_diag_t *diag)
{
    struct archive *a = archive_read_new();
    struct archive_entry *ent;
    size_t total = 0;
    int r, rc = 0;

    if (!a)
        return AIB_ENOMEM;
    archive_read_support_filter_all(a);
    archive_read_support_format_all(a);
    if (archive_read_open_filename(a, path, 1 << 16) != ARCHIVE_OK) {
        aib_diag_set(diag, path, 0, 0, "cannot open archive: %s", archive_error_string(a));
        rc = AIB_EIO;
        goto done;
    }
    if (!(s->files = calloc(MAX_FILES, sizeof *s->files))) {
        rc = AIB_ENOMEM;
        goto done;
    }
    while ((r = archive_read_next_header(a, &ent)) == ARCHIVE_OK) {
        const char *name = archive_entry_pathname(ent), *base;
        la_int64_t size = archive_entry_size(ent);
        file_t *f;
        if (archive_entry_filetype(ent) != AE_IFREG || !name)
            continue;
        base = strrchr(name, '/');
        base = base ? base + 1 : name;
        if (s->n >= MAX_FILES || size < 0 || total + (size_t)size > MAX_TOTAL) {
            aib_diag_set(diag, path, 0, 0, "archive too large (limit %u files, %u bytes)", MAX_FILES, MAX_TOTAL);
            rc = AIB_ELIMIT;
            goto done;
        }
        f = &s->files[s->n];
        f->name = strdup(base);
        f->data = malloc((size_t)size + 1);
        if (!f->name || !f->data) {
            free(f->name);
            free(f->data);
            rc = AIB_ENOMEM;
            goto done;
        }
        if (archive_read_data(a, f->data, (size_t)size) != size) {
            aib_diag_set(diag, path, 0, 0, "%s: %s", name, archive_error_string(a));
            free(f->name);
            free(f->data);
            rc = AIB_EIO;
            goto done;
        }
        f->data[size] = '\0';
        f->len = (size_t)size;
        total += (size_t)size;
        s->n++;
    }
    if (r != ARCHIVE_EOF) {
        aib_diag_set(diag, path, 0, 0, "archive read error: %s", archive_error_string(a));
        rc = AIB_EIO;
    }
done:
    archive_read_free(a);
    return rc;
}

/* Fixture by base name: data is malloc'd (caller frees); *found false when absent. */
static int get(const suite_t *s, const char *name, char **data, size_t *len, bool *found)
{
    char path[8192];
    size_t i;
    aib_diag_t d;

    *data = NULL;
    *len = 0;
    *found = false;
    if (!name[0] || strchr(name, '/') || strstr(name, ".."))
        return 0;
    if (s->dir[0]) {
        snprintf(path, sizeof path, "%s/%s", s->dir, name);
        if (!is_file(path))
            return 0;
        *found = true;
        return aib_read_file(path, data, len, &d);
    }
    for (i = 0; i < s->n; i++)
        if (!strcmp(s->files[i].name, name)) {
            *found = true;
            *data = malloc(s->files[i].len + 1);
            if (!*data)
                return AIB_ENOMEM;
            memcpy(*data, s->files[i].data, s->files[i].len + 1);
            *len = s->files[i].len;
            return 0;
        }
    return 0;
}

/* ---- one test ----------------------------------------------------------------------------------- */

typedef struct ctx {
    const suite_t *suite;
    aib_buf_t *log;
    bool verbose;
    char err[4096];
    aib_label_conf_result_t *res;
} ctx_t;

static const char *attr(const xmlNode *n, const char *name, char *buf, size_t cap)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    snprintf(buf, cap, "%s", (const char *)v);
    xmlFree(v);
    return buf;
}

static int load_site(ctx_t *c, const xmlNode *seq, aib_label_site_t **out)
{
    xmlNodePtr p;
    int rc = aib_label_site_new(out);
    for (p = aib__label_xml_child(seq, "policy"); p && rc == 0; p = aib__label_xml_next(p, "policy")) {
        char spif[512], exc[512], *data = NULL;
        size_t len;
        bool found;
        aib_diag_t d;
        if (!attr(p, "spif", spif, sizeof spif) || attr(p, "exception", exc, sizeof exc))
            continue;
        rc = get(c->suite, spif, &data, &len, &found);
        /* A policy that fails to load is reported by its own check; the tests run without it. */
        if (rc == 0 && found)
            (void)aib_label_site_load(*out, spif, data, len, NULL, &d);
        free(data);
    }
    return rc;
}

static bool fail(ctx_t *c, const char *fmt, const char *a, const char *b)
{
    snprintf(c->err, sizeof c->err, fmt, a, b);
    return false;
}

/* Writes l in both forms, reads it back: same label, same marking, same bytes. */
static bool round_trip(ctx_t *c, const aib_label_site_t *site, const aib_label_t *l)
{
    static const aib_label_format_t fmts[] = { AIB_LABEL_FMT_XML, AIB_LABEL_FMT_NATO };
    size_t i;
    bool ok = true;

    for (i = 0; ok && i < 2; i++) {
        aib_buf_t w1, w2, m1, m2;
        aib_label_t *copy = NULL;
        aib_diag_t d;
        aib_buf_init(&w1);
        aib_buf_init(&w2);
        aib_buf_init(&m1);
        aib_buf_init(&m2);
        if (aib_label_write(l, fmts[i], &w1) != 0 ||
            aib_label_parse(site, "round-trip", w1.data, w1.len, fmts[i], &copy, &d) != 0)
            ok = fail(c, "round trip (%s): %s", i ? "nato" : "xml", d.msg);
        else if (!aib_label_equal(l, copy))
            ok = fail(c, "round trip (%s): label differs%s", i ? "nato" : "xml", "");
        else if (aib_label_marking(l, "", &m1) != 0 || aib_label_marking(copy, "", &m2) != 0 ||
                 strcmp(m1.data ? m1.data : "", m2.data ? m2.data : "") != 0)
            ok = fail(c, "round trip (%s): marking differs%s", i ? "nato" : "xml", "");
        else if (aib_label_write(copy, fmts[i], &w2) != 0 || w1.len != w2.len || memcmp(w1.data, w2.data, w1.len) != 0)
            ok = fail(c, "round trip (%s): bytes differ%s", i ? "nato" : "xml", "");
        aib_label_free(copy);
        aib_buf_free(&w1);
        aib_buf_free(&w2);
        aib_buf_free(&m1);
        aib_buf_free(&m2);
    }
    return ok;
}

static bool clearance_round_trip(ctx_t *c, const aib_label_site_t *site, const aib_label_clearance_t *cl)
{
    static const aib_label_format_t fmts[] = { AIB_LABEL_FMT_XML, AIB_LABEL_FMT_NATO };
    size_t i;
    bool ok = true;

    for (i = 0; ok && i < 2; i++) {
        aib_buf_t w1, w2;
        aib_label_clearance_t *copy = NULL;
        aib_diag_t d;
        aib_buf_init(&w1);
        aib_buf_init(&w2);
        if (aib_label_clearance_write(cl, fmts[i], &w1) != 0 ||
            aib_label_clearance_parse(site, "round-trip", w1.data, w1.len, fmts[i], &copy, &d) != 0)
            ok = fail(c, "clearance round trip (%s): %s", i ? "nato" : "xml", d.msg);
        else if (aib_label_clearance_write(copy, fmts[i], &w2) != 0 || w1.len != w2.len ||
                 memcmp(w1.data, w2.data, w1.len) != 0)
            ok = fail(c, "clearance round trip (%s): differs%s", i ? "nato" : "xml", "");
        aib_label_clearance_free(copy);
        aib_buf_free(&w1);
        aib_buf_free(&w2);
    }
    return ok;
}

static bool check_marking(ctx_t *c, const char *what, int rc, const aib_buf_t *got, const char *want)
{
    if (rc != 0)
        return fail(c, "%s: %s", what, aib_strerror(rc));
    if (strcmp(got->data ? got->data : "", want) != 0) {
        snprintf(c->err, sizeof c->err, "%s: got \"%s\", expected \"%s\"", what, got->data ? got->data : "", want);
        return false;
    }
    return true;
}

/* 1 pass, 0 fail, -1 skipped. */
static int run_test(ctx_t *c, const aib_label_site_t *site, const xmlNode *t)
{
    char lf[512], exc[512], valid[32], lm[1024], enc[256], em[1024], cf[512], cm[1024], acdf[16], lang[64];
    char *data = NULL, *cdata = NULL;
    size_t len = 0, clen = 0;
    bool found = false, cfound = false, ok = true;
    aib_label_t *l = NULL, *tl = NULL;
    aib_label_clearance_t *cl = NULL;
    aib_buf_t b;
    aib_diag_t d;
    xmlChar *lv;
    int rc, result;

    aib_buf_init(&b);
    c->err[0] = '\0';
    lv = xmlGetNsProp(t, (const xmlChar *)"lang", XML_XML_NAMESPACE);
    snprintf(lang, sizeof lang, "%s", lv ? (const char *)lv : "");
    xmlFree(lv);
    if (!attr(t, "label", lf, sizeof lf)) {
        ok = fail(c, "test has no label attribute%s%s", "", "");
        goto done;
    }
    if (get(c->suite, lf, &data, &len, &found) != 0) {
        ok = fail(c, "cannot read %s%s", lf, "");
        goto done;
    }
    attr(t, "exception", exc, sizeof exc) || (exc[0] = '\0');
    if (!found && exc[0] && strcmp(exc, "No data to parse") != 0) {
        /* The expectation needs the fixture's content; an absent file cannot show it. */
        snprintf(c->err, sizeof c->err, "fixture %s is not in the suite (expects \"%s\")", lf, exc);
        result = -1;
        goto out;
    }
    rc = aib_label_parse(site, lf, data, len, AIB_LABEL_FMT_ANY, &l, &d);
    if (exc[0]) {
        if (rc == 0)
            ok = fail(c, "expected exception \"%s\", label parsed%s", exc, "");
        else if (strcmp(d.msg, exc) != 0) {
            snprintf(c->err, sizeof c->err, "exception \"%s\", expected \"%s\"", d.msg, exc);
            ok = false;
        }
        goto done;
    }
    if (rc != 0) {
        ok = fail(c, "label: %s%s", d.msg, "");
        goto done;
    }
    if (attr(t, "valid", valid, sizeof valid)) {
        char why[512];
        bool v = aib_label_valid(l, why, sizeof why);
        if (v != !strcmp(valid, "true")) {
            ok = fail(c, "valid: got %s (%s)", v ? "true" : "false", why);
            goto done;
        }
    }
    if (attr(t, "label-marking", lm, sizeof lm)) {
        aib_buf_clear(&b);
        if (!(ok = check_marking(c, "label-marking", aib_label_marking(l, lang, &b), &b, lm)))
            goto done;
    }
    if (!(ok = round_trip(c, site, l)))
        goto done;
    if (attr(t, "encrypt", enc, sizeof enc)) {
        if (aib_label_translate(site, l, enc, &tl, &d) != 0) {
            ok = fail(c, "encrypt: %s%s", d.msg, "");
            goto done;
        }
        if (!(ok = round_trip(c, site, tl)))
            goto done;
        aib_label_free(l);
        l = tl;
        tl = NULL;
    }
    if (attr(t, "encrypt-marking", em, sizeof em)) {
        aib_buf_clear(&b);
        if (!(ok = check_marking(c, "encrypt-marking", aib_label_marking(l, lang, &b), &b, em)))
            goto done;
    }
    if (attr(t, "clearance", cf, sizeof cf)) {
        char why[512];
        bool allowed;
        if (get(c->suite, cf, &cdata, &clen, &cfound) != 0 ||
            aib_label_clearance_parse(site, cf, cdata, clen, AIB_LABEL_FMT_ANY, &cl, &d) != 0) {
            ok = fail(c, "clearance: %s%s", cfound ? d.msg : "file not found", "");
            goto done;
        }
        if (attr(t, "clearance-marking", cm, sizeof cm)) {
            aib_buf_clear(&b);
            if (!(ok = check_marking(c, "clearance-marking", aib_label_clearance_marking(cl, "", &b), &b, cm)))
                goto done;
        }
        allowed = aib_label_acdf(l, cl, why, sizeof why);
        if (attr(t, "acdf-result", acdf, sizeof acdf) && allowed != !strcmp(acdf, "1")) {
            ok = fail(c, "acdf-result: got %s (%s)", allowed ? "1" : "0", why);
            goto done;
        }
        if (!(ok = clearance_round_trip(c, site, cl)))
            goto done;
    }
done:
    result = ok ? 1 : 0;
out:
    aib_label_free(l);
    aib_label_free(tl);
    aib_label_clearance_free(cl);
    free(data);
    free(cdata);
    aib_buf_free(&b);
    return result;
}

static void record(ctx_t *c, int result, int n, const char *what)
{
    if (result > 0)
        c->res->passed++;
    else if (result == 0)
        c->res->failed++;
    else
        c->res->skipped++;
    if (!c->log)
        return;
    if (result > 0 && c->verbose)
        aib_buf_printf(c->log, "ok   %d %s\n", n, what);
    else if (result == 0)
        aib_buf_printf(c->log, "FAIL %d %s: %s\n", n, what, c->err);
    else if (result < 0)
        aib_buf_printf(c->log, "SKIP %d %s: %s\n", n, what, c->err);
}

static int check_policy(ctx_t *c, const xmlNode *p)
{
    char spif[512], exc[512], *data = NULL;
    size_t len = 0;
    bool found;
    aib_label_site_t *s = NULL;
    aib_diag_t d;
    int rc, result = 0;

    c->err[0] = '\0';
    if (!attr(p, "spif", spif, sizeof spif)) {
        fail(c, "policy without spif attribute%s%s", "", "");
        return 0;
    }
    attr(p, "exception", exc, sizeof exc) || (exc[0] = '\0');
    if (get(c->suite, spif, &data, &len, &found) != 0 || aib_label_site_new(&s) != 0) {
        fail(c, "cannot read %s%s", spif, "");
        goto done;
    }
    if (!found && exc[0] && strcmp(exc, "No data to parse") != 0) {
        snprintf(c->err, sizeof c->err, "fixture %s is not in the suite", spif);
        result = -1;
        goto done;
    }
    rc = aib_label_site_load(s, spif, data, len, NULL, &d);
    if (exc[0]) {
        if (rc == 0)
            fail(c, "expected exception \"%s\", policy loaded%s", exc, "");
        else if (strcmp(d.msg, exc) != 0)
            snprintf(c->err, sizeof c->err, "exception \"%s\", expected \"%s\"", d.msg, exc);
        else
            result = 1;
    } else if (rc != 0) {
        char where[1100];
        aib_diag_format(&d, where, sizeof where);
        fail(c, "%s%s", where, "");
    } else {
        result = 1;
    }
done:
    aib_label_site_free(s);
    free(data);
    return result;
}

int aib_label_conformance(const char *path, aib_buf_t *log, bool verbose, aib_label_conf_result_t *res,
                          aib_diag_t *diag)
{
    suite_t s;
    ctx_t c;
    char *tx = NULL;
    size_t tlen = 0;
    bool found = false;
    xmlDocPtr doc = NULL;
    xmlNodePtr root, seq, e;
    int rc = 0, n = 0;

    memset(&s, 0, sizeof s);
    memset(res, 0, sizeof *res);
    memset(&c, 0, sizeof c);
    c.suite = &s;
    c.log = log;
    c.verbose = verbose;
    c.res = res;
    if (is_dir(path)) {
        char probe[8192];
        snprintf(probe, sizeof probe, "%s/tests.xml", path);
        if (is_file(probe))
            snprintf(s.dir, sizeof s.dir, "%s", path);
        else
            snprintf(s.dir, sizeof s.dir, "%s/label-conformance", path);
    } else if (is_file(path)) {
        if ((rc = load_archive(&s, path, diag)) != 0)
            goto done;
    } else {
        aib_diag_set(diag, path, 0, 0, "no such file or folder");
        rc = AIB_ENOTFOUND;
        goto done;
    }
    if ((rc = get(&s, "tests.xml", &tx, &tlen, &found)) != 0 || !found) {
        aib_diag_set(diag, path, 0, 0, "tests.xml not found");
        rc = rc ? rc : AIB_ENOTFOUND;
        goto done;
    }
    if ((rc = aib__label_xml_parse("tests.xml", tx, tlen, false, &doc, NULL, diag)) != 0)
        goto done;
    root = xmlDocGetRootElement(doc);
    for (seq = aib__label_xml_child(root, "sequence"); seq; seq = aib__label_xml_next(seq, "sequence")) {
        aib_label_site_t *site = NULL;
        for (e = aib__label_xml_child(seq, "policy"); e; e = aib__label_xml_next(e, "policy")) {
            char what[1024], spif[512];
            snprintf(what, sizeof what, "policy %s", attr(e, "spif", spif, sizeof spif) ? spif : "?");
            record(&c, check_policy(&c, e), ++n, what);
        }
        if ((rc = load_site(&c, seq, &site)) != 0) {
            aib_label_site_free(site);
            goto done;
        }
        for (e = aib__label_xml_child(seq, "test"); e; e = aib__label_xml_next(e, "test")) {
            char what[2048], lf[512], enc[256];
            xmlChar *lv = xmlGetNsProp(e, (const xmlChar *)"lang", XML_XML_NAMESPACE);
            snprintf(what, sizeof what, "test %s%s%s%s%s", attr(e, "label", lf, sizeof lf) ? lf : "?",
                     lv ? " lang=" : "", lv ? (const char *)lv : "", attr(e, "encrypt", enc, sizeof enc) ? " encrypt=" : "",
                     attr(e, "encrypt", enc, sizeof enc) ? enc : "");
            xmlFree(lv);
            record(&c, run_test(&c, site, e), ++n, what);
        }
        aib_label_site_free(site);
    }
done:
    if (doc)
        xmlFreeDoc(doc);
    free(tx);
    suite_free(&s);
    return rc;
}
