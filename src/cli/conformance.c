/* conformance.c — `aib cedar conformance`: runs Cedar's integration-test corpus (a directory laid
 * out like the reference's integration-test repository, or a .tar.gz of one read in memory) and
 * compares every request's decision, reasons and erroring policies with the expected ones; with
 * --validate also the validator's verdict per test file. The reference counts as ground truth. */
#include "cli_int.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* ---- The corpus: files by path, relative to the test root -------------------------------- */

typedef struct cfile {
    char *path; /* relative to the root, '/' separated */
    char *data; /* archive: whole content, NUL-terminated; directory: NULL (read on demand) */
    size_t len;
} cfile_t;

typedef struct corpus {
    char *dir;      /* root directory, NULL when the corpus came from an archive */
    cfile_t *files; /* archive: every regular file; directory: test candidates; sorted by path */
    size_t n, cap;
} corpus_t;

static void corpus_free(corpus_t *c)
{
    size_t i;
    for (i = 0; i < c->n; i++) {
        free(c->files[i].path);
        free(c->files[i].data);
    }
    free(c->files);
    free(c->dir);
    memset(c, 0, sizeof(*c));
}

static int corpus_add(corpus_t *c, const char *path, char *data, size_t len)
{
    size_t n = strlen(path);
    char *p;

    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 1024;
        cfile_t *nf = realloc(c->files, ncap * sizeof(*nf));
        if (!nf)
            return AIB_ENOMEM;
        c->files = nf;
        c->cap = ncap;
    }
    p = malloc(n + 1);
    if (!p)
        return AIB_ENOMEM;
    memcpy(p, path, n + 1);
    c->files[c->n].path = p;
    c->files[c->n].data = data;
    c->files[c->n].len = len;
    c->n++;
    return AIB_OK;
}

static int cfile_cmp(const void *a, const void *b)
{
    return strcmp(((const cfile_t *)a)->path, ((const cfile_t *)b)->path);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !memcmp(s + n - m, suffix, m);
}

/* Reads every regular file of the archive into memory. When all paths share one top folder
 * (the usual packaging), it is dropped so paths match what the test files name. */
static int corpus_load_archive(corpus_t *c, const char *path, aib_diag_t *d)
{
    struct archive *a = archive_read_new();
    struct archive_entry *e;
    const char *top = NULL;
    size_t top_len = 0, i;
    bool one_top = true;
    int r, rc = AIB_OK;

    if (!a)
        return AIB_ENOMEM;
    archive_read_support_filter_all(a);
    archive_read_support_format_all(a);
    if (archive_read_open_filename(a, path, 1u << 16) != ARCHIVE_OK) {
        aib_diag_set(d, path, 0, 0, "cannot read archive: %s", archive_error_string(a));
        rc = AIB_EIO;
        goto done;
    }
    while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
        const char *name = archive_entry_pathname(e);
        la_int64_t size = archive_entry_size(e);
        char *buf;
        size_t got = 0;

        if (archive_entry_filetype(e) != AE_IFREG || !name)
            continue;
        while (name[0] == '.' && name[1] == '/')
            name += 2;
        if (size < 0 || (uint64_t)size > AIB_CEDAR_MAX_TEXT) {
            aib_diag_set(d, path, 0, 0, "%s: entry too large", name);
            rc = AIB_ELIMIT;
            goto done;
        }
        buf = malloc((size_t)size + 1);
        if (!buf) {
            rc = AIB_ENOMEM;
            goto done;
        }
        while (got < (size_t)size) {
            la_ssize_t n = archive_read_data(a, buf + got, (size_t)size - got);
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        if (got != (size_t)size) {
            aib_diag_set(d, path, 0, 0, "%s: truncated entry: %s", name, archive_error_string(a));
            free(buf);
            rc = AIB_EIO;
            goto done;
        }
        buf[got] = '\0';
        if (corpus_add(c, name, buf, got) != 0) {
            free(buf);
            rc = AIB_ENOMEM;
            goto done;
        }
    }
    if (r != ARCHIVE_EOF) {
        aib_diag_set(d, path, 0, 0, "cannot read archive: %s", archive_error_string(a));
        rc = AIB_EIO;
        goto done;
    }
    for (i = 0; i < c->n && one_top; i++) {
        const char *slash = strchr(c->files[i].path, '/');
        if (!slash)
            one_top = false;
        else if (!top) {
            top = c->files[i].path;
            top_len = (size_t)(slash - top) + 1;
        } else if (strncmp(c->files[i].path, top, top_len) != 0) {
            one_top = false;
        }
    }
    if (one_top && top) {
        for (i = 0; i < c->n; i++) {
            char *p = c->files[i].path;
            memmove(p, p + top_len, strlen(p + top_len) + 1);
        }
    }
    if (c->n)
        qsort(c->files, c->n, sizeof(cfile_t), cfile_cmp);
done:
    archive_read_free(a);
    return rc;
}

/* Collects the candidate test files (*.json except *.entities.json) under dir/rel. */
static int corpus_walk(corpus_t *c, const char *rel, int depth, aib_diag_t *d)
{
    char full[4096];
    DIR *dh;
    struct dirent *de;
    int rc = AIB_OK;

    if (depth > 32)
        return AIB_OK;
    snprintf(full, sizeof(full), "%s%s%s", c->dir, rel[0] ? "/" : "", rel);
    dh = opendir(full);
    if (!dh) {
        aib_diag_set(d, full, 0, 0, "cannot open directory: %s", strerror(errno));
        return AIB_EIO;
    }
    while (rc == 0 && (de = readdir(dh)) != NULL) {
        char sub[4096], abs_path[4096];
        struct stat st;
        int n;

        if (de->d_name[0] == '.')
            continue;
        n = snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] ? "/" : "", de->d_name);
        if (n < 0 || (size_t)n >= sizeof(sub))
            continue;
        n = snprintf(abs_path, sizeof(abs_path), "%s/%s", c->dir, sub);
        if (n < 0 || (size_t)n >= sizeof(abs_path) || stat(abs_path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            rc = corpus_walk(c, sub, depth + 1, d);
        else if (S_ISREG(st.st_mode) && ends_with(sub, ".json") && !ends_with(sub, ".entities.json"))
            rc = corpus_add(c, sub, NULL, 0);
    }
    closedir(dh);
    return rc;
}

/* The content of a corpus file. *owned is set when the caller must free it (directory). */
static int corpus_get(const corpus_t *c, const char *rel, const char **data, size_t *len,
                      char **owned, aib_diag_t *d)
{
    *owned = NULL;
    if (c->dir) {
        char full[4096];
        int n = rel[0] == '/' ? snprintf(full, sizeof(full), "%s", rel)
                              : snprintf(full, sizeof(full), "%s/%s", c->dir, rel);
        int rc;
        if (n < 0 || (size_t)n >= sizeof(full)) {
            aib_diag_set(d, rel, 0, 0, "path too long");
            return AIB_EINVAL;
        }
        rc = aib_read_file(full, owned, len, d);
        if (rc == 0)
            *data = *owned;
        return rc;
    }
    {
        cfile_t key, *f;
        key.path = (char *)rel;
        while (key.path[0] == '.' && key.path[1] == '/')
            key.path += 2;
        f = c->n ? bsearch(&key, c->files, c->n, sizeof(cfile_t), cfile_cmp) : NULL;
        if (!f) {
            aib_diag_set(d, rel, 0, 0, "no such file in the archive");
            return AIB_ENOTFOUND;
        }
        *data = f->data;
        *len = f->len;
        return AIB_OK;
    }
}

/* ---- Test files ---------------------------------------------------------------------------
 * A small scanner instead of a JSON library: test files hold strings with NUL, even in object
 * keys, which tree-building libraries reject. Each request's raw text goes to the engine as is;
 * only the fields the comparison needs are decoded. */

typedef struct treq {
    const char *raw; /* the request object's text inside the test file */
    size_t raw_len;
    const char *desc, *decision;
    const char **reason, **errors; /* in the file arena */
    size_t n_reason, n_errors;
    bool validate; /* "validateRequest", true when absent as in the reference */
} treq_t;

typedef struct tfile {
    const char *policies, *entities, *schema; /* NULL when absent */
    int should_validate;                      /* 1, 0, or -1 when absent */
    bool has_requests;
    size_t n_req, cap_req;
    treq_t *req;
} tfile_t;

typedef struct scan {
    const char *p, *end;
    aib_arena_t *arena; /* decoded strings */
    const char *err;    /* first problem */
} scan_t;

static void sk_ws(scan_t *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

static bool sk_fail(scan_t *s, const char *why)
{
    if (!s->err)
        s->err = why;
    return false;
}

static int hex4(const char *p)
{
    int i, v = 0;
    for (i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= c - '0';
        else if (c >= 'a' && c <= 'f')
            v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v |= c - 'A' + 10;
        else
            return -1;
    }
    return v;
}

/* Scans a string literal; with out, appends its decoded bytes (UTF-8). */
static bool sk_string(scan_t *s, aib_buf_t *out)
{
    if (s->p >= s->end || *s->p != '"')
        return sk_fail(s, "expected a string");
    s->p++;
    while (s->p < s->end) {
        char c = *s->p++;
        unsigned long cp;
        char u[4];
        size_t n;

        if (c == '"')
            return true;
        if (c != '\\') {
            if (out && aib_buf_putc(out, c) != 0)
                return sk_fail(s, "out of memory");
            continue;
        }
        if (s->p >= s->end)
            break;
        c = *s->p++;
        switch (c) {
        case 'n': c = '\n'; break;
        case 't': c = '\t'; break;
        case 'r': c = '\r'; break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'u':
            if (s->end - s->p < 4 || hex4(s->p) < 0)
                return sk_fail(s, "bad \\u escape");
            cp = (unsigned long)hex4(s->p);
            s->p += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && s->end - s->p >= 6 && s->p[0] == '\\' && s->p[1] == 'u'
                && hex4(s->p + 2) >= 0xDC00 && hex4(s->p + 2) < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + ((unsigned long)hex4(s->p + 2) - 0xDC00);
                s->p += 6;
            }
            if (cp < 0x80) {
                u[0] = (char)cp;
                n = 1;
            } else if (cp < 0x800) {
                u[0] = (char)(0xC0 | (cp >> 6));
                u[1] = (char)(0x80 | (cp & 0x3F));
                n = 2;
            } else if (cp < 0x10000) {
                u[0] = (char)(0xE0 | (cp >> 12));
                u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
                u[2] = (char)(0x80 | (cp & 0x3F));
                n = 3;
            } else {
                u[0] = (char)(0xF0 | (cp >> 18));
                u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
                u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
                u[3] = (char)(0x80 | (cp & 0x3F));
                n = 4;
            }
            if (out && aib_buf_append(out, u, n) != 0)
                return sk_fail(s, "out of memory");
            continue;
        default: break; /* \" \\ \/ */
        }
        if (out && aib_buf_putc(out, c) != 0)
            return sk_fail(s, "out of memory");
    }
    return sk_fail(s, "unterminated string");
}

/* A decoded string copied into the arena (NUL-terminated; inner NULs kept). */
static const char *sk_string_dup(scan_t *s, aib_buf_t *tmp)
{
    const char *r;
    aib_buf_clear(tmp);
    if (!sk_string(s, tmp))
        return NULL;
    r = aib_arena_strndup(s->arena, tmp->data ? tmp->data : "", tmp->len);
    if (!r)
        sk_fail(s, "out of memory");
    return r;
}

static bool sk_value(scan_t *s, int depth);

/* Walks an object or array, calling on_member for each member (key decoded in tmp for
 * objects, NULL for arrays); on_member must consume the value. */
typedef bool (*member_fn)(scan_t *s, const char *key, void *ctx);

static bool sk_container(scan_t *s, int depth, member_fn on_member, void *ctx)
{
    char open, close;
    aib_buf_t key;
    bool ok = false, first = true;

    aib_buf_init(&key);
    if (depth > AIB_CEDAR_MAX_DEPTH) {
        sk_fail(s, "nesting too deep");
        goto done;
    }
    open = *s->p++;
    close = open == '{' ? '}' : ']';
    for (;;) {
        sk_ws(s);
        if (s->p >= s->end) {
            sk_fail(s, "unexpected end of file");
            goto done;
        }
        if (*s->p == close && first) {
            s->p++;
            break;
        }
        if (open == '{') {
            aib_buf_clear(&key);
            if (!sk_string(s, &key))
                goto done;
            sk_ws(s);
            if (s->p >= s->end || *s->p != ':') {
                sk_fail(s, "expected ':'");
                goto done;
            }
            s->p++;
            if (aib_buf_putc(&key, '\0') != 0) {
                sk_fail(s, "out of memory");
                goto done;
            }
        }
        sk_ws(s);
        if (!(on_member ? on_member(s, open == '{' ? key.data : NULL, ctx) : sk_value(s, depth + 1)))
            goto done;
        sk_ws(s);
        first = false;
        if (s->p < s->end && *s->p == ',') {
            s->p++;
            continue;
        }
        if (s->p < s->end && *s->p == close) {
            s->p++;
            break;
        }
        sk_fail(s, "expected ',' or a closing bracket");
        goto done;
    }
    ok = true;
done:
    aib_buf_free(&key);
    return ok;
}

static bool sk_value(scan_t *s, int depth)
{
    const char *start;

    sk_ws(s);
    if (s->p >= s->end)
        return sk_fail(s, "unexpected end of file");
    if (*s->p == '"')
        return sk_string(s, NULL);
    if (*s->p == '{' || *s->p == '[')
        return sk_container(s, depth, NULL, NULL);
    start = s->p;
    while (s->p < s->end && ((*s->p >= 'a' && *s->p <= 'z') || (*s->p >= '0' && *s->p <= '9')
                             || *s->p == '-' || *s->p == '+' || *s->p == '.' || *s->p == 'E'))
        s->p++;
    return s->p > start ? true : sk_fail(s, "unexpected character");
}

/* true / false literal: 1 / 0, or -1. */
static int sk_bool(scan_t *s)
{
    if (s->end - s->p >= 4 && !memcmp(s->p, "true", 4)) {
        s->p += 4;
        return 1;
    }
    if (s->end - s->p >= 5 && !memcmp(s->p, "false", 5)) {
        s->p += 5;
        return 0;
    }
    sk_fail(s, "expected true or false");
    return -1;
}

typedef struct ids_ctx {
    const char **ids;
    size_t n, cap;
    aib_buf_t *tmp;
} ids_ctx_t;

static bool on_id(scan_t *s, const char *key, void *vctx)
{
    ids_ctx_t *c = vctx;
    (void)key; /* every element of the array is an id */
    const char *id = sk_string_dup(s, c->tmp);

    if (!id)
        return false;
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 8;
        const char **nids = aib_arena_alloc(s->arena, ncap * sizeof(*nids));
        if (!nids)
            return sk_fail(s, "out of memory");
        if (c->n)
            memcpy(nids, c->ids, c->n * sizeof(*nids));
        c->ids = nids;
        c->cap = ncap;
    }
    c->ids[c->n++] = id;
    return true;
}

static bool sk_ids(scan_t *s, const char ***ids, size_t *n, aib_buf_t *tmp)
{
    ids_ctx_t c = { NULL, 0, 0, tmp };
    if (s->p >= s->end || *s->p != '[')
        return sk_fail(s, "expected an array of policy ids");
    if (!sk_container(s, 1, on_id, &c))
        return false;
    *ids = c.ids;
    *n = c.n;
    return true;
}

/* Callback context: the test file, the request being read, and a scratch buffer. */
typedef struct req_ctx {
    tfile_t *t;
    treq_t *r;
    aib_buf_t *tmp;
} req_ctx_t;

static bool on_req_member(scan_t *s, const char *key, void *vctx)
{
    req_ctx_t *c = vctx;
    int b;

    if (!strcmp(key, "description"))
        return (c->r->desc = sk_string_dup(s, c->tmp)) != NULL;
    if (!strcmp(key, "decision"))
        return (c->r->decision = sk_string_dup(s, c->tmp)) != NULL;
    if (!strcmp(key, "reason"))
        return sk_ids(s, &c->r->reason, &c->r->n_reason, c->tmp);
    if (!strcmp(key, "errors"))
        return sk_ids(s, &c->r->errors, &c->r->n_errors, c->tmp);
    if (!strcmp(key, "validateRequest")) {
        if ((b = sk_bool(s)) < 0)
            return false;
        c->r->validate = b == 1;
        return true;
    }
    return sk_value(s, 2);
}

static bool on_request(scan_t *s, const char *key, void *vctx)
{
    req_ctx_t *c = vctx;
    (void)key; /* array elements have no key */
    tfile_t *t = c->t;
    treq_t *r;
    req_ctx_t rc;

    if (t->n_req == t->cap_req) {
        size_t ncap = t->cap_req ? t->cap_req * 2 : 16;
        treq_t *nr = aib_arena_alloc(s->arena, ncap * sizeof(*nr));
        if (!nr)
            return sk_fail(s, "out of memory");
        if (t->n_req)
            memcpy(nr, t->req, t->n_req * sizeof(*nr));
        t->req = nr;
        t->cap_req = ncap;
    }
    r = &t->req[t->n_req];
    memset(r, 0, sizeof(*r));
    r->validate = true;
    if (s->p >= s->end || *s->p != '{')
        return sk_fail(s, "a request must be an object");
    r->raw = s->p;
    rc.t = t;
    rc.r = r;
    rc.tmp = c->tmp;
    if (!sk_container(s, 1, on_req_member, &rc))
        return false;
    r->raw_len = (size_t)(s->p - r->raw);
    t->n_req++;
    return true;
}

static bool on_test_member(scan_t *s, const char *key, void *vctx)
{
    req_ctx_t *c = vctx;
    tfile_t *t = c->t;
    int b;

    if (!strcmp(key, "policies"))
        return (t->policies = sk_string_dup(s, c->tmp)) != NULL;
    if (!strcmp(key, "entities"))
        return (t->entities = sk_string_dup(s, c->tmp)) != NULL;
    if (!strcmp(key, "schema"))
        return (t->schema = sk_string_dup(s, c->tmp)) != NULL;
    if (!strcmp(key, "shouldValidate")) {
        if ((b = sk_bool(s)) < 0)
            return false;
        t->should_validate = b;
        return true;
    }
    if (!strcmp(key, "requests")) {
        if (s->p >= s->end || *s->p != '[')
            return sk_fail(s, "\"requests\" must be an array");
        t->has_requests = true;
        return sk_container(s, 0, on_request, c);
    }
    return sk_value(s, 1);
}

/* Scans a test file. Returns 1 for a test, 0 for another JSON file, -1 for a malformed one
 * (message in *err). */
static int scan_test(const char *data, size_t len, aib_arena_t *arena, tfile_t *t, const char **err)
{
    scan_t s = { data, data + len, arena, NULL };
    aib_buf_t tmp;
    req_ctx_t c;
    bool ok;

    memset(t, 0, sizeof(*t));
    t->should_validate = -1;
    sk_ws(&s);
    if (s.p >= s.end || *s.p != '{')
        return 0;
    aib_buf_init(&tmp);
    c.t = t;
    c.r = NULL;
    c.tmp = &tmp;
    ok = sk_container(&s, 0, on_test_member, &c);
    aib_buf_free(&tmp);
    if (!ok) {
        *err = s.err ? s.err : "malformed JSON";
        return -1;
    }
    return (t->policies && t->has_requests) ? 1 : 0;
}

/* ---- Running ----------------------------------------------------------------------------- */

#define DETAIL_MAX 20 /* failures printed in full */
#define BRIEF_MAX 200 /* further failures printed on one line each, unless --verbose */

typedef struct run {
    const corpus_t *corpus;
    bool validate, verbose;
    json_t *report;          /* array of per-file objects, NULL without --json */
    aib_arena_t *arena;      /* per request */
    aib_arena_t *file_arena; /* per test file: its decoded fields */
    long files, req_pass, req_fail, val_pass, val_fail, detailed, brief, suppressed;
    bool file_failed; /* the current test file already showed a failure */
} run_t;

/* Decides how much of the next failure to print: 2 full, 1 one line, 0 nothing. Only a file's
 * first failure is shown in full, so the detailed ones cover DETAIL_MAX different files. */
static int print_level(run_t *r, bool first_in_file)
{
    if (first_in_file && r->detailed < DETAIL_MAX) {
        r->detailed++;
        return 2;
    }
    r->brief++;
    if (r->verbose || r->brief <= BRIEF_MAX)
        return 1;
    r->suppressed++;
    return 0;
}

static int str_cmp_p(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorts and de-duplicates ids in place; returns the new count. */
static size_t set_norm(const char **ids, size_t n)
{
    size_t i, k = 0;
    if (n < 2)
        return n;
    qsort(ids, n, sizeof(*ids), str_cmp_p);
    for (i = 0; i < n; i++)
        if (k == 0 || strcmp(ids[k - 1], ids[i]) != 0)
            ids[k++] = ids[i];
    return k;
}

static bool set_eq(const char **a, size_t na, const char **b, size_t nb)
{
    size_t i;
    if (na != nb)
        return false;
    for (i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return false;
    return true;
}

static void fmt_set(aib_buf_t *b, const char **ids, size_t n)
{
    size_t i;
    aib_buf_putc(b, '[');
    for (i = 0; i < n; i++) {
        if (i)
            aib_buf_putc(b, ',');
        aib_buf_puts(b, ids[i]);
    }
    aib_buf_putc(b, ']');
}

static json_t *json_ids(const char **ids, size_t n)
{
    json_t *a = json_array();
    size_t i;
    for (i = 0; a && i < n; i++)
        json_array_append_new(a, json_string(ids[i]));
    return a;
}

/* Compares one request; returns true when it passed. Failures are printed and reported. */
static bool run_request(run_t *r, const char *path, size_t idx, treq_t *tr,
                        const aib_cedar_policyset_t *ps, const aib_cedar_entities_t *es,
                        const aib_cedar_schema_t *schema, json_t *jfails)
{
    enum { MAXIDS = 512 };
    const char *got_reason[MAXIDS], *got_errors[MAXIDS];
    const char *desc = tr->desc ? tr->desc : "(no description)";
    const char *exp_dec = tr->decision ? tr->decision : "?";
    size_t n_er, n_ee, n_gr = 0, n_ge = 0, i;
    aib_cedar_request_t *req = NULL;
    aib_cedar_response_t resp;
    aib_diag_t d;
    int rc, level;
    bool ok;
    char errmsg[1200] = "";

    n_er = set_norm(tr->reason, tr->n_reason);
    n_ee = set_norm(tr->errors, tr->n_errors);
    aib_arena_reset(r->arena);
    aib_diag_clear(&d);
    rc = aib_cedar_request_parse(tr->raw, tr->raw_len, schema, tr->validate, r->arena, &req, &d);
    if (rc != 0)
        aib_diag_format(&d, errmsg, sizeof(errmsg));
    if (rc == 0) {
        rc = aib_cedar_authorize(ps, es, req, r->arena, &resp);
        if (rc != 0)
            snprintf(errmsg, sizeof(errmsg), "authorize: %s", aib_strerror(rc));
    }
    if (rc == 0) {
        for (i = 0; i < resp.n_reason && n_gr < MAXIDS; i++)
            got_reason[n_gr++] = resp.reason[i];
        for (i = 0; i < resp.n_errors && n_ge < MAXIDS; i++)
            got_errors[n_ge++] = resp.errors[i].policy_id;
        n_gr = set_norm(got_reason, n_gr);
        n_ge = set_norm(got_errors, n_ge);
        ok = !strcmp(exp_dec, resp.decision == AIB_CEDAR_ALLOW ? "allow" : "deny")
             && set_eq(tr->reason, n_er, got_reason, n_gr) && set_eq(tr->errors, n_ee, got_errors, n_ge);
    } else {
        ok = false;
        if (!errmsg[0])
            snprintf(errmsg, sizeof(errmsg), "%s", aib_strerror(rc));
    }
    if (ok)
        return true;

    level = print_level(r, !r->file_failed);
    r->file_failed = true;
    if (level) {
        aib_buf_t b;
        aib_buf_init(&b);
        aib_buf_printf(&b, "FAIL %s: request %zu \"%s\": expected %s reason=", path, idx, desc, exp_dec);
        fmt_set(&b, tr->reason, n_er);
        aib_buf_puts(&b, " errors=");
        fmt_set(&b, tr->errors, n_ee);
        if (rc != 0) {
            aib_buf_printf(&b, "; got request error: %s", errmsg);
        } else {
            aib_buf_printf(&b, "; got %s reason=", resp.decision == AIB_CEDAR_ALLOW ? "allow" : "deny");
            fmt_set(&b, got_reason, n_gr);
            aib_buf_puts(&b, " errors=");
            fmt_set(&b, got_errors, n_ge);
            if (level == 2)
                for (i = 0; i < resp.n_errors; i++)
                    aib_buf_printf(&b, "\n    %s: %s", resp.errors[i].policy_id,
                                   resp.errors[i].message ? resp.errors[i].message : "");
        }
        if (level == 2) {
            /* The request on one line: JSON strings hold no raw newline, so dropping each
             * newline with the indentation after it keeps the text intact. */
            aib_buf_puts(&b, "\n    request: ");
            for (i = 0; i < tr->raw_len && b.len < 2000; i++) {
                if (tr->raw[i] == '\n' || tr->raw[i] == '\r') {
                    while (i + 1 < tr->raw_len && (tr->raw[i + 1] == ' ' || tr->raw[i + 1] == '\n'))
                        i++;
                    continue;
                }
                aib_buf_putc(&b, tr->raw[i]);
            }
            if (i < tr->raw_len)
                aib_buf_puts(&b, " ...");
        }
        printf("%s\n", b.data ? b.data : "");
        aib_buf_free(&b);
    }
    if (jfails) {
        json_t *f = json_object();
        json_object_set_new(f, "index", json_integer((json_int_t)idx));
        json_object_set_new(f, "description", json_string(desc));
        json_object_set_new(f, "expected", json_pack("{s:s, s:o, s:o}", "decision", exp_dec, "reason",
                                                     json_ids(tr->reason, n_er), "errors",
                                                     json_ids(tr->errors, n_ee)));
        if (rc != 0) {
            json_object_set_new(f, "error", json_string(errmsg));
        } else {
            json_t *msgs = json_array();
            for (i = 0; i < resp.n_errors; i++)
                json_array_append_new(msgs, json_pack("{s:s, s:s}", "policy", resp.errors[i].policy_id,
                                                      "message", resp.errors[i].message ? resp.errors[i].message : ""));
            json_object_set_new(f, "got", json_pack("{s:s, s:o, s:o, s:o}", "decision",
                                                    resp.decision == AIB_CEDAR_ALLOW ? "allow" : "deny",
                                                    "reason", json_ids(got_reason, n_gr), "errors",
                                                    json_ids(got_errors, n_ge), "messages", msgs));
        }
        json_array_append_new(jfails, f);
    }
    return false;
}

/* Loads one corpus file with parse(); on failure leaves a message in d. */
typedef enum { LOAD_POLICIES, LOAD_SCHEMA, LOAD_ENTITIES } load_kind_t;

static int load_part(run_t *r, load_kind_t kind, const char *rel, const aib_cedar_schema_t *schema,
                     void **out, aib_diag_t *d)
{
    const char *data = NULL;
    size_t len = 0;
    char *owned = NULL;
    int rc = corpus_get(r->corpus, rel, &data, &len, &owned, d);

    if (rc == 0) {
        switch (kind) {
        case LOAD_POLICIES:
            rc = aib_cedar_policyset_parse(data, len, rel, (aib_cedar_policyset_t **)out, d);
            break;
        case LOAD_SCHEMA:
            rc = aib_cedar_schema_parse(data, len, aib__cli_schema_is_json(rel), rel,
                                        (aib_cedar_schema_t **)out, d);
            break;
        case LOAD_ENTITIES:
            rc = aib_cedar_entities_parse(data, len, rel, schema, (aib_cedar_entities_t **)out, d);
            break;
        }
        if (rc != 0 && !d->file[0])
            snprintf(d->file, sizeof(d->file), "%s", rel);
    }
    free(owned);
    return rc;
}

/* Checks the validator's verdict against shouldValidate. */
static void run_validation(run_t *r, const char *path, int should_validate, const aib_cedar_policyset_t *ps,
                           const aib_cedar_schema_t *schema, const char *load_err, json_t *jfile)
{
    bool expect = should_validate == 1, got = false, ok;
    aib_cedar_validation_t v = { 0, NULL };
    int rc = AIB_EINVAL, level;
    size_t i;

    if (should_validate < 0)
        return;
    if (ps && schema) {
        aib_arena_reset(r->arena);
        rc = aib_cedar_validate(ps, schema, r->arena, &v);
        got = rc == 0 && v.n_errors == 0;
    }
    ok = rc == 0 && got == expect;
    if (ok)
        r->val_pass++;
    else
        r->val_fail++;
    level = ok ? 0 : print_level(r, !r->file_failed);
    if (!ok)
        r->file_failed = true;
    if (level) {
        if (rc != 0)
            printf("VALIDATION %s: expected %s; could not validate: %s\n", path,
                   expect ? "valid" : "invalid", load_err ? load_err : aib_strerror(rc));
        else
            printf("VALIDATION %s: expected %s, got %s (%zu errors)\n", path, expect ? "valid" : "invalid",
                   got ? "valid" : "invalid", v.n_errors);
        for (i = 0; level == 2 && rc == 0 && i < v.n_errors && i < 5; i++)
            printf("    %s:%d:%d: %s\n", v.errors[i].policy_id, v.errors[i].line, v.errors[i].col,
                   v.errors[i].message ? v.errors[i].message : "");
    }
    if (jfile) {
        json_t *jv = json_object(), *errs = json_array();
        for (i = 0; rc == 0 && i < v.n_errors; i++)
            json_array_append_new(errs, json_pack("{s:s, s:i, s:i, s:s}", "policy", v.errors[i].policy_id,
                                                  "line", v.errors[i].line, "col", v.errors[i].col,
                                                  "message", v.errors[i].message ? v.errors[i].message : ""));
        json_object_set_new(jv, "expected", json_boolean(expect));
        if (rc == 0)
            json_object_set_new(jv, "got", json_boolean(got));
        json_object_set_new(jv, "agree", json_boolean(ok));
        json_object_set_new(jv, "errors", errs);
        json_object_set_new(jfile, "validation", jv);
    }
}

/* Runs one test file. Files that are not tests (no "policies" and "requests") are skipped. */
static int run_file(run_t *r, const char *path)
{
    const char *data = NULL, *scan_err = NULL;
    size_t len = 0, i;
    char *owned = NULL;
    json_t *jfile = NULL, *jfails = NULL;
    tfile_t t;
    aib_cedar_policyset_t *ps = NULL;
    aib_cedar_schema_t *schema = NULL;
    aib_cedar_entities_t *es = NULL;
    char load_err[1200] = "";
    long pass = 0, fail = 0;
    aib_diag_t d;
    int rc = AIB_OK, kind;
    bool loaded = false;

    aib_diag_clear(&d);
    aib_arena_reset(r->file_arena);
    r->file_failed = false;
    if (corpus_get(r->corpus, path, &data, &len, &owned, &d) != 0)
        goto done; /* listed a moment ago: a vanished file is simply not a test */
    kind = scan_test(data, len, r->file_arena, &t, &scan_err);
    if (kind == 0)
        goto done;
    r->files++;
    if (r->report) {
        jfile = json_object();
        jfails = json_array();
        json_object_set_new(jfile, "path", json_string(path));
    }
    if (r->verbose)
        printf("test %s (%zu requests)\n", path, t.n_req);

    if (kind < 0) {
        /* The requests cannot be counted: the file counts as one failed request. */
        snprintf(load_err, sizeof(load_err), "%s: malformed test file: %s", path, scan_err);
        t.n_req = 1;
    } else if ((!t.schema || load_part(r, LOAD_SCHEMA, t.schema, NULL, (void **)&schema, &d) == 0)
               && load_part(r, LOAD_POLICIES, t.policies, NULL, (void **)&ps, &d) == 0
               && (!t.entities || load_part(r, LOAD_ENTITIES, t.entities, schema, (void **)&es, &d) == 0)) {
        loaded = true;
    } else {
        aib_diag_format(&d, load_err, sizeof(load_err));
        if (!load_err[0])
            snprintf(load_err, sizeof(load_err), "%s: cannot load", path);
    }

    if (r->validate && kind > 0)
        run_validation(r, path, t.should_validate, ps, schema, load_err[0] ? load_err : NULL, jfile);

    if (!loaded) {
        int level = print_level(r, true);
        fail = (long)t.n_req;
        if (level)
            printf("FAIL %s: %zu requests not run: %s\n", path, t.n_req, load_err);
        if (jfile)
            json_object_set_new(jfile, "load_error", json_string(load_err));
    } else {
        for (i = 0; i < t.n_req; i++) {
            if (run_request(r, path, i, &t.req[i], ps, es, schema, jfails))
                pass++;
            else
                fail++;
        }
    }
    r->req_pass += pass;
    r->req_fail += fail;
    if (jfile) {
        json_object_set_new(jfile, "requests", json_integer((json_int_t)t.n_req));
        json_object_set_new(jfile, "passed", json_integer(pass));
        json_object_set_new(jfile, "failed", json_integer(fail));
        json_object_set_new(jfile, "failures", jfails);
        jfails = NULL;
        if (json_array_append_new(r->report, jfile) != 0)
            rc = AIB_ENOMEM;
        jfile = NULL;
    }
done:
    json_decref(jfails);
    json_decref(jfile);
    aib_cedar_entities_free(es);
    aib_cedar_policyset_free(ps);
    aib_cedar_schema_free(schema);
    free(owned);
    return rc;
}

static const char conformance_usage[] =
    "usage: aib cedar conformance PATH [--json REPORT] [--validate] [--limit N] [--verbose]\n"
    "\n"
    "Runs Cedar's integration tests. PATH is a directory laid out like the reference's\n"
    "integration-test repository (test files name their files relative to it: tests/...,\n"
    "sample-data/..., corpus-tests/...) or a .tar.gz / .tar holding one such directory, read in\n"
    "memory. Every test file (a JSON object with \"policies\" and \"requests\") is loaded with its\n"
    "schema, policies and entities; each request is decided and its decision, reasons and\n"
    "erroring policies (as sets) compared with the expected ones.\n"
    "\n"
    "options:\n"
    "  --validate       also validate the policies against the schema and compare with the\n"
    "                   file's \"shouldValidate\" (line `validation: N passed, N failed`)\n"
    "  --json REPORT    write a machine-readable report (per test file: path, requests passed\n"
    "                   and failed, failures with details, validation verdict)\n"
    "  --limit N        run an evenly spread, deterministic sample of N test files\n"
    "  --verbose        name every test file and print every failure\n"
    "\n"
    "The output ends with `N passed, N failed` counting requests; a test whose files do not load\n"
    "counts all its requests as failed. exit status: 0 all passed, 1 failures, 2 usage or I/O error\n";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int aib_cli_cedar_conformance(int argc, char **argv)
{
    const char *json_path = NULL, *validate = NULL, *limit_s = NULL, *verbose = NULL, *pos[1];
    aib__cli_opt_t opts[] = {
        { "json", true, &json_path },
        { "validate", false, &validate },
        { "limit", true, &limit_s },
        { "verbose", false, &verbose },
    };
    corpus_t c;
    run_t r;
    struct stat st;
    aib_diag_t d;
    size_t n_pos = 0, i, n_cand = 0, *cand = NULL, limit = 0;
    bool help;
    int status;
    double t0 = now_s();

    memset(&c, 0, sizeof(c));
    memset(&r, 0, sizeof(r));
    aib_diag_clear(&d);
    status = aib__cli_parse_opts("cedar conformance", argc, argv, opts, sizeof(opts) / sizeof(opts[0]), pos, 1,
                                 &n_pos, &help);
    if (status != 0 || help || n_pos != 1) {
        if (!help && status == 0)
            fputs("aib cedar conformance: give one PATH (directory or archive)\n", stderr);
        fputs(conformance_usage, help ? stdout : stderr);
        return help ? AIB_CLI_OK : AIB_CLI_USAGE;
    }
    if (limit_s) {
        int64_t v;
        if (aib_parse_i64(limit_s, strlen(limit_s), &v) != 0 || v <= 0) {
            fprintf(stderr, "aib cedar conformance: --limit needs a positive number, not `%s`\n", limit_s);
            return AIB_CLI_USAGE;
        }
        limit = (size_t)v;
    }
    status = AIB_CLI_USAGE;
    if (stat(pos[0], &st) != 0) {
        fprintf(stderr, "aib cedar conformance: %s: %s\n", pos[0], strerror(errno));
        goto done;
    }
    if (S_ISDIR(st.st_mode)) {
        size_t n = strlen(pos[0]);
        while (n > 1 && pos[0][n - 1] == '/')
            n--;
        c.dir = malloc(n + 1);
        if (!c.dir)
            goto oom;
        memcpy(c.dir, pos[0], n);
        c.dir[n] = '\0';
        if (corpus_walk(&c, "", 0, &d) != 0) {
            aib__cli_print_diag(stderr, &d);
            goto done;
        }
        if (c.n)
            qsort(c.files, c.n, sizeof(cfile_t), cfile_cmp);
    } else if (corpus_load_archive(&c, pos[0], &d) != 0) {
        aib__cli_print_diag(stderr, &d);
        goto done;
    }

    /* Candidates: JSON files that can be tests. In an archive the content is at hand, so files
     * without a "requests" key are dropped before sampling. */
    cand = malloc((c.n ? c.n : 1) * sizeof(*cand));
    if (!cand)
        goto oom;
    for (i = 0; i < c.n; i++) {
        const cfile_t *f = &c.files[i];
        if (!ends_with(f->path, ".json") || ends_with(f->path, ".entities.json"))
            continue;
        if (f->data && !strstr(f->data, "\"requests\""))
            continue;
        cand[n_cand++] = i;
    }
    if (limit && limit < n_cand) {
        /* An evenly spread sample keeps every part of the corpus represented. */
        for (i = 0; i < limit; i++)
            cand[i] = cand[(size_t)((double)i * (double)n_cand / (double)limit)];
        n_cand = limit;
    }

    r.corpus = &c;
    r.validate = validate != NULL;
    r.verbose = verbose != NULL;
    r.arena = aib_arena_new(256u << 10);
    r.file_arena = aib_arena_new(256u << 10);
    if (!r.arena || !r.file_arena)
        goto oom;
    if (json_path && !(r.report = json_array()))
        goto oom;
    for (i = 0; i < n_cand; i++)
        if (run_file(&r, c.files[cand[i]].path) != 0)
            goto oom;

    if (r.suppressed)
        printf("(%ld more failures not shown; --verbose shows all, --json reports all)\n", r.suppressed);
    printf("conformance: %ld test files, %ld requests, %.2fs\n", r.files, r.req_pass + r.req_fail,
           now_s() - t0);
    if (r.report) {
        json_t *top = json_pack("{s:s, s:i, s:{s:i, s:i}, s:o}", "source", pos[0], "test_files", (json_int_t)r.files,
                                "requests", "passed", (json_int_t)r.req_pass, "failed", (json_int_t)r.req_fail,
                                "files", r.report);
        r.report = NULL;
        if (top && r.validate)
            json_object_set_new(top, "validation", json_pack("{s:i, s:i}", "passed", (json_int_t)r.val_pass,
                                                              "failed", (json_int_t)r.val_fail));
        if (!top || json_dump_file(top, json_path, JSON_INDENT(1)) != 0) {
            fprintf(stderr, "aib cedar conformance: %s: cannot write report\n", json_path);
            json_decref(top);
            goto done;
        }
        json_decref(top);
    }
    if (r.validate)
        printf("validation: %ld passed, %ld failed\n", r.val_pass, r.val_fail);
    printf("%ld passed, %ld failed\n", r.req_pass, r.req_fail);
    fflush(stdout);
    status = (r.req_fail || r.val_fail) ? AIB_CLI_NEGATIVE : AIB_CLI_OK;
    if (r.files == 0) {
        /* A run that checked nothing must not look like a pass. */
        fprintf(stderr, "aib cedar conformance: %s: no test files found\n", pos[0]);
        status = AIB_CLI_USAGE;
    }
    goto done;
oom:
    fputs("aib cedar conformance: out of memory\n", stderr);
done:
    json_decref(r.report);
    aib_arena_free(r.arena);
    aib_arena_free(r.file_arena);
    free(cand);
    corpus_free(&c);
    return status;
}
