/* scr_lists.c — the list set: entries of every loaded list in one arena, per-list info (name, source,
 * SHA-256), the entry builder loaders use (names, countries, dates of birth, identifiers, and the
 * evidence hidden in OFAC-style remarks), and loading from a directory, an archive or memory. */
#include "screen/screen_int.h"

#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

int aib_screen_lists_new(aib_screen_lists_t **out)
{
    aib_screen_lists_t *ls = calloc(1, sizeof(*ls));
    *out = NULL;
    if (!ls)
        return AIB_ENOMEM;
    ls->arena = aib_arena_new(0);
    if (!ls->arena) {
        free(ls);
        return AIB_ENOMEM;
    }
    *out = ls;
    return 0;
}

void aib_screen_lists_free(aib_screen_lists_t *ls)
{
    if (!ls)
        return;
    aib__scr_index_free(ls->index);
    free(ls->entries);
    aib_arena_free(ls->arena);
    free(ls);
}

size_t aib_screen_lists_count(const aib_screen_lists_t *ls) { return ls->n_lists; }
const aib_screen_list_info_t *aib_screen_lists_info(const aib_screen_lists_t *ls, size_t i)
{
    return i < ls->n_lists ? &ls->lists[i] : NULL;
}
size_t aib_screen_lists_entries(const aib_screen_lists_t *ls) { return ls->n_entries; }
const aib_screen_entry_t *aib_screen_lists_entry(const aib_screen_lists_t *ls, size_t i)
{
    return i < ls->n_entries ? &ls->entries[i] : NULL;
}

size_t aib_screen_lists_memory(const aib_screen_lists_t *ls)
{
    return aib_arena_used(ls->arena) + ls->cap_entries * sizeof(aib_screen_entry_t)
           + (ls->index ? ls->index->bytes : 0);
}

int aib_screen_lists_build_index(aib_screen_lists_t *ls)
{
    if (ls->index)
        return 0;
    return aib__scr_index_build(ls, &ls->index);
}

const char *aib__scr_str(aib_screen_lists_t *ls, const char *s, size_t len)
{
    return aib_arena_strndup(ls->arena, s, len);
}

int aib__scr_list_begin(aib_screen_lists_t *ls, const char *name, const char *source, const char *sha_hex)
{
    aib_screen_list_info_t *li;
    size_t i;
    for (i = 0; i < ls->n_lists; i++)
        if (!strcmp(ls->lists[i].name, name))
            return AIB_EEXIST;
    if (ls->n_lists >= AIB__SCR_SCREEN_MAX_LISTS)
        return AIB_ELIMIT;
    li = &ls->lists[ls->n_lists];
    li->name = aib__scr_str(ls, name, strlen(name));
    li->source = aib__scr_str(ls, source, strlen(source));
    li->sha256 = aib__scr_str(ls, sha_hex, strlen(sha_hex));
    li->n_entries = 0;
    if (!li->name || !li->source || !li->sha256)
        return AIB_ENOMEM;
    return (int)ls->n_lists++;
}

/* ---- entry builder ---- */

void aib__scr_eb_init(aib__scr_eb_t *b)
{
    memset(b, 0, sizeof(*b));
    aib_buf_init(&b->remarks);
}

static void vec_free(aib__scr_strvec_t *v)
{
    free(v->v);
    v->v = NULL;
    v->n = v->cap = 0;
}

void aib__scr_eb_free(aib__scr_eb_t *b)
{
    vec_free(&b->names);
    vec_free(&b->countries);
    vec_free(&b->dobs);
    vec_free(&b->ids);
    aib_buf_free(&b->remarks);
}

static int vec_add(aib_screen_lists_t *ls, aib__scr_strvec_t *v, const char *s, size_t len)
{
    size_t i;
    const char *copy;

    for (i = 0; i < v->n; i++)
        if (strlen(v->v[i]) == len && memcmp(v->v[i], s, len) == 0)
            return 0;
    if (v->n == v->cap) {
        size_t nc = v->cap ? v->cap * 2 : 4;
        const char **nv = realloc(v->v, nc * sizeof(*nv));
        if (!nv)
            return AIB_ENOMEM;
        v->v = nv;
        v->cap = nc;
    }
    copy = aib__scr_str(ls, s, len);
    if (!copy)
        return AIB_ENOMEM;
    v->v[v->n++] = copy;
    return 0;
}

static void trim(const char **s, size_t *len)
{
    while (*len && isspace((unsigned char)**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len && isspace((unsigned char)(*s)[*len - 1]))
        (*len)--;
}

static bool is_null(const char *s, size_t len)
{
    return len == 0 || (len == 3 && memcmp(s, "-0-", 3) == 0);
}

int aib__scr_eb_name(aib_screen_lists_t *ls, aib__scr_eb_t *b, const char *s, size_t len)
{
    trim(&s, &len);
    if (is_null(s, len))
        return 0;
    if (len > 1000)
        len = 1000;
    return vec_add(ls, &b->names, s, len);
}

int aib__scr_eb_country(aib_screen_lists_t *ls, aib__scr_eb_t *b, const char *s, size_t len)
{
    char code[3];
    trim(&s, &len);
    if (is_null(s, len) || !aib_screen_country_code(s, len, code))
        return 0;
    return vec_add(ls, &b->countries, code, 2);
}

static int month_of(const char *w, size_t len)
{
    static const char *const M[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                    "jul", "aug", "sep", "oct", "nov", "dec"};
    int i;
    if (len < 3)
        return 0;
    for (i = 0; i < 12; i++)
        if (strncasecmp(w, M[i], 3) == 0)
            return i + 1;
    return 0;
}

int aib__scr_eb_dob(aib_screen_lists_t *ls, aib__scr_eb_t *b, const char *s, size_t len)
{
    const char *w[32];
    size_t wl[32], nw = 0, i;
    int rc = 0;

    trim(&s, &len);
    if (len >= 10 && isdigit((unsigned char)s[0]) && s[4] == '-' && s[7] == '-') {
        size_t k;
        for (k = 0; k < 10; k++)
            if (k != 4 && k != 7 && !isdigit((unsigned char)s[k]))
                break;
        if (k == 10)
            return vec_add(ls, &b->dobs, s, 10);
    }
    for (i = 0; i < len && nw < 32;) {
        size_t st;
        while (i < len && !isalnum((unsigned char)s[i]))
            i++;
        st = i;
        while (i < len && isalnum((unsigned char)s[i]))
            i++;
        if (i > st) {
            w[nw] = s + st;
            wl[nw++] = i - st;
        }
    }
    for (i = 0; i < nw && rc == 0; i++) {
        char out[16];
        int64_t year, day = 0;
        int mon;
        if (wl[i] != 4 || aib_parse_i64(w[i], 4, &year) != 0 || year < 1850 || year > 2100)
            continue;
        mon = i >= 1 ? month_of(w[i - 1], wl[i - 1]) : 0;
        if (mon && i >= 2 && wl[i - 2] <= 2 && aib_parse_i64(w[i - 2], wl[i - 2], &day) == 0 && day >= 1
            && day <= 31)
            snprintf(out, sizeof(out), "%04d-%02d-%02d", (int)year, mon, (int)day);
        else if (mon)
            snprintf(out, sizeof(out), "%04d-%02d", (int)year, mon);
        else
            snprintf(out, sizeof(out), "%04d", (int)year);
        rc = vec_add(ls, &b->dobs, out, strlen(out));
    }
    return rc;
}

int aib__scr_eb_idnum(aib_screen_lists_t *ls, aib__scr_eb_t *b, const char *s, size_t len)
{
    char out[64];
    size_t i, n = 0, digits = 0;
    for (i = 0; i < len && n < sizeof(out) - 1; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c)) {
            out[n++] = (char)toupper(c);
            digits += isdigit(c) != 0;
        }
    }
    if (n < 5 || digits < 2)
        return 0; /* too short to decide a match on */
    return vec_add(ls, &b->ids, out, n);
}

static bool starts(const char *s, size_t len, const char *p)
{
    size_t pl = strlen(p);
    return len >= pl && strncasecmp(s, p, pl) == 0;
}

/* Identifier labels in OFAC remarks; the value is the next word containing a digit. */
static const char *const ID_LABELS[] = {
    "Passport", "National ID No.", "Identification Number", "Cedula No.", "Tax ID No.",
    "Registration ID", "Registration Number", "C.U.R.P.", "R.F.C.", "NIT #", "D.N.I.", "SSN",
    "Vessel Registration Identification", "IMO", "MMSI", "SWIFT/BIC", "Business Registration Number",
    "Company Number", "Unified Social Credit Code", "Personal ID Card", "Residency Number",
    "Government Gazette Number", "Legal Entity Number", "Trade License No.", "Aircraft Manufacturer's Serial Number",
};

int aib__scr_eb_remarks(aib_screen_lists_t *ls, aib__scr_eb_t *b, const char *s, size_t len)
{
    size_t i = 0;
    int rc = 0;

    trim(&s, &len);
    if (is_null(s, len))
        return 0;
    if (b->remarks.len)
        rc = aib_buf_putc(&b->remarks, ' ');
    if (rc == 0)
        rc = aib_buf_append(&b->remarks, s, len);
    while (i < len && rc == 0) {
        const char *seg = s + i;
        size_t sl = 0, k;
        while (i + sl < len && seg[sl] != ';')
            sl++;
        i += sl + 1;
        trim(&seg, &sl);
        if (starts(seg, sl, "alt. ")) {
            seg += 5;
            sl -= 5;
        }
        if (starts(seg, sl, "DOB ")) {
            rc = aib__scr_eb_dob(ls, b, seg + 4, sl - 4);
        } else if (starts(seg, sl, "nationality ") || starts(seg, sl, "citizen ")) {
            size_t skip = seg[0] == 'n' || seg[0] == 'N' ? 12 : 8;
            rc = aib__scr_eb_country(ls, b, seg + skip, sl - skip);
        } else if (starts(seg, sl, "a.k.a. '") || starts(seg, sl, "f.k.a. '")) {
            const char *nm = seg + 8;
            size_t nl = sl - 8;
            while (nl && (nm[nl - 1] == '.' || nm[nl - 1] == '\''))
                nl--;
            rc = aib__scr_eb_name(ls, b, nm, nl);
        } else {
            for (k = 0; k < sizeof(ID_LABELS) / sizeof(ID_LABELS[0]); k++) {
                if (starts(seg, sl, ID_LABELS[k])) {
                    const char *p = seg + strlen(ID_LABELS[k]);
                    const char *e = seg + sl;
                    while (p < e) {
                        const char *ws;
                        bool digit = false;
                        while (p < e && isspace((unsigned char)*p))
                            p++;
                        ws = p;
                        while (p < e && !isspace((unsigned char)*p) && *p != '(') {
                            digit |= isdigit((unsigned char)*p) != 0;
                            p++;
                        }
                        if (digit) {
                            rc = aib__scr_eb_idnum(ls, b, ws, (size_t)(p - ws));
                            break;
                        }
                        if (p < e && *p == '(')
                            break;
                    }
                    break;
                }
            }
        }
    }
    return rc;
}

static int vec_commit(aib_screen_lists_t *ls, aib__scr_strvec_t *v, const char ***out, size_t *n)
{
    *out = NULL;
    *n = v->n;
    if (v->n == 0)
        return 0;
    *out = aib_arena_alloc(ls->arena, v->n * sizeof(char *));
    if (!*out)
        return AIB_ENOMEM;
    memcpy(*out, v->v, v->n * sizeof(char *));
    v->n = 0;
    return 0;
}

int aib__scr_eb_commit(aib_screen_lists_t *ls, size_t list_idx, aib__scr_eb_t *b)
{
    aib_screen_entry_t *e;
    char idbuf[256];
    int rc = 0;

    if (b->names.n == 0)
        goto reset; /* nothing to match on */
    if (ls->n_entries == ls->cap_entries) {
        size_t nc = ls->cap_entries ? ls->cap_entries * 2 : 1024;
        aib_screen_entry_t *ne = realloc(ls->entries, nc * sizeof(*ne));
        if (!ne)
            return AIB_ENOMEM;
        ls->entries = ne;
        ls->cap_entries = nc;
    }
    e = &ls->entries[ls->n_entries];
    memset(e, 0, sizeof(*e));
    snprintf(idbuf, sizeof(idbuf), "%s:%s", ls->lists[list_idx].name, b->src_id ? b->src_id : "?");
    e->id = aib__scr_str(ls, idbuf, strlen(idbuf));
    e->list = ls->lists[list_idx].name;
    e->schema = b->schema;
    e->programs = b->programs;
    if (b->remarks.len)
        e->remarks = aib__scr_str(ls, b->remarks.data, b->remarks.len);
    rc |= vec_commit(ls, &b->names, &e->names, &e->n_names);
    rc |= vec_commit(ls, &b->countries, &e->countries, &e->n_countries);
    rc |= vec_commit(ls, &b->dobs, &e->dobs, &e->n_dobs);
    rc |= vec_commit(ls, &b->ids, &e->ids, &e->n_ids);
    if (rc || !e->id)
        return AIB_ENOMEM;
    ls->n_entries++;
    ls->lists[list_idx].n_entries++;
reset:
    b->names.n = b->countries.n = b->dobs.n = b->ids.n = 0;
    aib_buf_clear(&b->remarks);
    b->src_id = NULL;
    b->programs = NULL;
    b->schema = AIB_SCREEN_ANY;
    return rc;
}

/* ---- loading ---- */

const aib__scr_file_t *aib__scr_files_find(const aib__scr_file_t *f, size_t n, const char *name)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (!strcasecmp(f[i].name, name))
            return &f[i];
    return NULL;
}

static bool ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcasecmp(s + a - b, suf) == 0;
}

static int load_files(aib_screen_lists_t *ls, const aib__scr_file_t *f, size_t n, const char *where,
                      aib_diag_t *diag)
{
    size_t i, n0 = ls->n_entries, l0 = ls->n_lists, found = 0;
    const aib__scr_file_t *p;
    int rc = 0;

    if ((p = aib__scr_files_find(f, n, "sdn.csv")) != NULL) {
        found++;
        rc = aib__scr_load_ofac(ls, "ofac-sdn", p, aib__scr_files_find(f, n, "alt.csv"), aib__scr_files_find(f, n, "add.csv"),
                            aib__scr_files_find(f, n, "sdn_comments.csv"), diag);
    }
    if (rc == 0 && (p = aib__scr_files_find(f, n, "cons_prim.csv")) != NULL) {
        found++;
        rc = aib__scr_load_ofac(ls, "ofac-cons", p, aib__scr_files_find(f, n, "cons_alt.csv"),
                            aib__scr_files_find(f, n, "cons_add.csv"), aib__scr_files_find(f, n, "cons_comments.csv"), diag);
    }
    for (i = 0; i < n && rc == 0; i++) {
        const char *nm = f[i].name;
        if (!strcasecmp(nm, "dpl.txt")) {
            found++;
            rc = aib__scr_load_dpl(ls, &f[i], diag);
        } else if (ends_with(nm, ".xml")) {
            found++;
            rc = aib__scr_load_un(ls, &f[i], diag);
        } else if (ends_with(nm, ".jsonl")) {
            found++;
            rc = aib__scr_load_jsonl(ls, &f[i], diag);
        } else if (ends_with(nm, ".json")) {
            found++;
            rc = aib__scr_load_csl(ls, &f[i], diag);
        }
    }
    if (rc == 0 && found == 0) {
        aib_diag_set(diag, where, 0, 0, "no recognised list file (sdn.csv, cons_prim.csv, dpl.txt, *.xml, "
                                        "*.json, *.jsonl)");
        rc = AIB_ENOTFOUND;
    }
    if (rc != 0) {
        /* roll back what this call added; the arena keeps the bytes until the set is freed */
        ls->n_entries = n0;
        ls->n_lists = l0;
    } else if (ls->index) {
        aib__scr_index_free(ls->index);
        ls->index = NULL;
    }
    return rc;
}

int aib_screen_lists_load_mem(aib_screen_lists_t *ls, size_t n, const char *const *names,
                              const char *const *data, const size_t *lens, aib_diag_t *diag)
{
    aib__scr_file_t *f = calloc(n ? n : 1, sizeof(*f));
    size_t i;
    int rc;
    if (!f)
        return AIB_ENOMEM;
    for (i = 0; i < n; i++) {
        f[i].name = names[i];
        f[i].data = data[i];
        f[i].len = lens[i];
    }
    rc = load_files(ls, f, n, "(memory)", diag);
    free(f);
    return rc;
}

typedef struct {
    aib__scr_file_t *f;
    size_t n, cap;
} files_t;

static void files_free(files_t *fs)
{
    size_t i;
    for (i = 0; i < fs->n; i++) {
        free((char *)fs->f[i].name);
        free((char *)fs->f[i].data);
    }
    free(fs->f);
}

static bool wanted(const char *base)
{
    return base[0] != '.' && (!strcasecmp(base, "sdn.csv") || !strcasecmp(base, "alt.csv")
                              || !strcasecmp(base, "add.csv") || !strcasecmp(base, "sdn_comments.csv")
                              || !strncasecmp(base, "cons_", 5) || !strcasecmp(base, "dpl.txt")
                              || ends_with(base, ".xml") || ends_with(base, ".json") || ends_with(base, ".jsonl"));
}

static int files_push(files_t *fs, const char *base, char *data, size_t len)
{
    char *nm;
    if (fs->n == fs->cap) {
        size_t nc = fs->cap ? fs->cap * 2 : 16;
        aib__scr_file_t *nf = realloc(fs->f, nc * sizeof(*nf));
        if (!nf)
            return AIB_ENOMEM;
        fs->f = nf;
        fs->cap = nc;
    }
    nm = strdup(base);
    if (!nm)
        return AIB_ENOMEM;
    fs->f[fs->n].name = nm;
    fs->f[fs->n].data = data;
    fs->f[fs->n].len = len;
    fs->n++;
    return 0;
}

static int read_archive(const char *path, files_t *fs, aib_diag_t *diag)
{
    struct archive *a = archive_read_new();
    struct archive_entry *ent;
    int rc = 0, r;

    if (!a)
        return AIB_ENOMEM;
    archive_read_support_filter_all(a);
    archive_read_support_format_all(a);
    if (archive_read_open_filename(a, path, 1 << 16) != ARCHIVE_OK) {
        aib_diag_set(diag, path, 0, 0, "cannot open archive: %s", archive_error_string(a));
        rc = AIB_EIO;
        goto done;
    }
    while ((r = archive_read_next_header(a, &ent)) == ARCHIVE_OK) {
        const char *p = archive_entry_pathname(ent), *base;
        int64_t size = archive_entry_size(ent);
        char *buf;
        la_ssize_t got;
        if (!p || archive_entry_filetype(ent) != AE_IFREG)
            continue;
        base = strrchr(p, '/') ? strrchr(p, '/') + 1 : p;
        if (!wanted(base) || size < 0 || size > (int64_t)1 << 30)
            continue;
        buf = malloc((size_t)size + 1);
        if (!buf) {
            rc = AIB_ENOMEM;
            goto done;
        }
        got = archive_read_data(a, buf, (size_t)size);
        if (got != (la_ssize_t)size) {
            free(buf);
            aib_diag_set(diag, path, 0, 0, "%s: truncated archive member", p);
            rc = AIB_EIO;
            goto done;
        }
        buf[size] = '\0';
        if (files_push(fs, base, buf, (size_t)size) != 0) {
            free(buf);
            rc = AIB_ENOMEM;
            goto done;
        }
    }
    if (r != ARCHIVE_EOF) {
        aib_diag_set(diag, path, 0, 0, "archive error: %s", archive_error_string(a));
        rc = AIB_EIO;
    }
done:
    archive_read_free(a);
    return rc;
}

int aib_screen_lists_load_path(aib_screen_lists_t *ls, const char *path, aib_diag_t *diag)
{
    files_t fs = {0};
    struct stat st;
    int rc = 0;

    if (stat(path, &st) != 0) {
        aib_diag_set(diag, path, 0, 0, "cannot open: no such file or directory");
        return AIB_EIO;
    }
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *de;
        if (!d) {
            aib_diag_set(diag, path, 0, 0, "cannot open directory");
            return AIB_EIO;
        }
        while (rc == 0 && (de = readdir(d)) != NULL) {
            char full[4096];
            char *data;
            size_t len;
            if (!wanted(de->d_name))
                continue;
            snprintf(full, sizeof(full), "%s/%s", path, de->d_name);
            if (stat(full, &st) != 0 || !S_ISREG(st.st_mode))
                continue;
            rc = aib_read_file(full, &data, &len, diag);
            if (rc == 0 && (rc = files_push(&fs, de->d_name, data, len)) != 0)
                free(data);
        }
        closedir(d);
    } else if (ends_with(path, ".tar") || ends_with(path, ".tar.gz") || ends_with(path, ".tgz")
               || ends_with(path, ".tar.xz") || ends_with(path, ".zip")) {
        rc = read_archive(path, &fs, diag);
    } else {
        char *data;
        size_t len;
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        rc = aib_read_file(path, &data, &len, diag);
        if (rc == 0 && (rc = files_push(&fs, base, data, len)) != 0)
            free(data);
    }
    if (rc == 0)
        rc = load_files(ls, fs.f, fs.n, path, diag);
    files_free(&fs);
    return rc;
}

bool aib_screen_schema_parse(const char *s, aib_screen_schema_t *out)
{
    static const struct {
        const char *n;
        aib_screen_schema_t v;
    } T[] = {{"person", AIB_SCREEN_PERSON}, {"individual", AIB_SCREEN_PERSON},
             {"company", AIB_SCREEN_COMPANY}, {"organization", AIB_SCREEN_COMPANY},
             {"organisation", AIB_SCREEN_COMPANY}, {"entity", AIB_SCREEN_COMPANY},
             {"legalentity", AIB_SCREEN_COMPANY}, {"vessel", AIB_SCREEN_VESSEL},
             {"aircraft", AIB_SCREEN_AIRCRAFT}, {"any", AIB_SCREEN_ANY}, {"thing", AIB_SCREEN_ANY}, {"", AIB_SCREEN_ANY}};
    size_t i;
    for (i = 0; i < sizeof(T) / sizeof(T[0]); i++)
        if (!strcasecmp(s, T[i].n)) {
            *out = T[i].v;
            return true;
        }
    return false;
}

const char *aib_screen_schema_name(aib_screen_schema_t s)
{
    switch (s) {
    case AIB_SCREEN_PERSON: return "Person";
    case AIB_SCREEN_COMPANY: return "Company";
    case AIB_SCREEN_VESSEL: return "Vessel";
    case AIB_SCREEN_AIRCRAFT: return "Aircraft";
    default: return "Any";
    }
}
