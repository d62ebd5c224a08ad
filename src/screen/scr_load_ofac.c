/* scr_load_ofac.c — OFAC's legacy CSV list format (SDN: sdn.csv, alt.csv, add.csv, sdn_comments.csv;
 * non-SDN consolidated: cons_prim.csv, cons_alt.csv, cons_add.csv): primary records joined by
 * ent_num with their aliases, addresses (countries) and overflow remarks, which hold DOB,
 * nationality and identifiers. The list hash covers the files in that order. */
#include "screen/screen_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    int64_t ent;
    size_t idx;
} entmap_t;

static int ent_cmp(const void *a, const void *b)
{
    const entmap_t *x = a, *y = b;
    return x->ent < y->ent ? -1 : x->ent > y->ent;
}

static int parse_ent(const aib__scr_csv_t *c, const char *file, int64_t *ent, aib_diag_t *diag)
{
    const char *s = aib__scr_csv_field(c, 0);
    size_t len = c->len[0];
    while (len && s[len - 1] == ' ')
        len--;
    while (len && *s == ' ') {
        s++;
        len--;
    }
    if (aib_parse_i64(s, len, ent) != 0) {
        aib_diag_set(diag, file, c->line, 1, "ent_num `%.40s` is not a number", aib__scr_csv_field(c, 0));
        return AIB_EPARSE;
    }
    return 0;
}

static aib__scr_eb_t *lookup(entmap_t *map, size_t n, aib__scr_eb_t *ebs, int64_t ent)
{
    entmap_t key = {ent, 0}, *hit = bsearch(&key, map, n, sizeof(*map), ent_cmp);
    return hit ? &ebs[hit->idx] : NULL;
}

int aib__scr_load_ofac(aib_screen_lists_t *ls, const char *list, const aib__scr_file_t *prim, const aib__scr_file_t *alt,
                   const aib__scr_file_t *add, const aib__scr_file_t *comments, aib_diag_t *diag)
{
    aib__scr_eb_t *ebs = NULL;
    entmap_t *map = NULL;
    size_t n = 0, cap = 0, i;
    aib__scr_csv_t c;
    aib__scr_sha256_t sha;
    char hex[65], source[512];
    int rc = 0, r, li = -1;
    const aib__scr_file_t *extra[3] = {alt, add, comments};

    aib__scr_csv_init(&c, prim->data, prim->len, ',');
    aib__scr_sha256_init(&sha);
    aib__scr_sha256_update(&sha, prim->data, prim->len);
    snprintf(source, sizeof(source), "%s", prim->name);
    for (i = 0; i < 3; i++)
        if (extra[i]) {
            size_t l = strlen(source);
            aib__scr_sha256_update(&sha, "\0", 1);
            aib__scr_sha256_update(&sha, extra[i]->data, extra[i]->len);
            snprintf(source + l, sizeof(source) - l, "+%s", extra[i]->name);
        }
    aib__scr_sha256_hex(&sha, hex);

    while ((r = aib__scr_csv_next(&c, prim->name, diag)) > 0) {
        aib__scr_eb_t *b;
        const char *type;
        int64_t ent;
        if (c.n < 4) {
            aib_diag_set(diag, prim->name, c.line, 0, "expected 12 fields (ent_num, name, type, program, ...), got %zu",
                         c.n);
            rc = AIB_EPARSE;
            goto done;
        }
        if ((rc = parse_ent(&c, prim->name, &ent, diag)) != 0)
            goto done;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 1024;
            aib__scr_eb_t *ne = realloc(ebs, nc * sizeof(*ne));
            entmap_t *nm = realloc(map, nc * sizeof(*nm));
            if (ne)
                ebs = ne;
            if (nm)
                map = nm;
            if (!ne || !nm) {
                rc = AIB_ENOMEM;
                goto done;
            }
            cap = nc;
        }
        b = &ebs[n];
        aib__scr_eb_init(b);
        map[n].ent = ent;
        map[n].idx = n;
        n++;
        b->src_id = aib__scr_str(ls, aib__scr_csv_field(&c, 0), c.len[0]);
        type = aib__scr_csv_field(&c, 2);
        b->schema = !strncasecmp(type, "individual", 10) ? AIB_SCREEN_PERSON
                    : !strncasecmp(type, "vessel", 6)   ? AIB_SCREEN_VESSEL
                    : !strncasecmp(type, "aircraft", 8) ? AIB_SCREEN_AIRCRAFT
                                                        : AIB_SCREEN_COMPANY;
        b->programs = aib__scr_str(ls, aib__scr_csv_field(&c, 3), c.len[3]);
        if (!b->src_id || !b->programs) {
            rc = AIB_ENOMEM;
            goto done;
        }
        rc = aib__scr_eb_name(ls, b, aib__scr_csv_field(&c, 1), c.len[1]);
        if (rc == 0 && c.n > 9)
            rc = aib__scr_eb_country(ls, b, aib__scr_csv_field(&c, 9), c.len[9]); /* vessel flag */
        if (rc == 0 && c.n > 11)
            rc = aib__scr_eb_remarks(ls, b, aib__scr_csv_field(&c, 11), c.len[11]);
        if (rc != 0)
            goto done;
        if (c.len[1] == 0 || !strcmp(aib__scr_csv_field(&c, 1), "-0-")) {
            aib_diag_set(diag, prim->name, c.line, 0, "record %lld has no name", (long long)ent);
            rc = AIB_EPARSE;
            goto done;
        }
    }
    if (r < 0) {
        rc = r;
        goto done;
    }
    qsort(map, n, sizeof(*map), ent_cmp);
    for (i = 1; i < n; i++)
        if (map[i].ent == map[i - 1].ent) {
            aib_diag_set(diag, prim->name, 0, 0, "ent_num %lld appears twice", (long long)map[i].ent);
            rc = AIB_EPARSE;
            goto done;
        }
    for (i = 0; i < 3; i++) {
        const aib__scr_file_t *f = extra[i];
        size_t need = i == 0 ? 4 : i == 1 ? 5 : 2;
        if (!f)
            continue;
        aib__scr_csv_free(&c);
        aib__scr_csv_init(&c, f->data, f->len, ',');
        while ((r = aib__scr_csv_next(&c, f->name, diag)) > 0) {
            int64_t ent;
            aib__scr_eb_t *b;
            if (c.n < need) {
                aib_diag_set(diag, f->name, c.line, 0, "expected at least %zu fields, got %zu", need, c.n);
                rc = AIB_EPARSE;
                goto done;
            }
            if ((rc = parse_ent(&c, f->name, &ent, diag)) != 0)
                goto done;
            b = lookup(map, n, ebs, ent);
            if (!b)
                continue; /* an alias or address of a record this snapshot does not carry */
            if (i == 0)
                rc = aib__scr_eb_name(ls, b, aib__scr_csv_field(&c, 3), c.len[3]);
            else if (i == 1)
                rc = aib__scr_eb_country(ls, b, aib__scr_csv_field(&c, 4), c.len[4]);
            else
                rc = aib__scr_eb_remarks(ls, b, aib__scr_csv_field(&c, 1), c.len[1]);
            if (rc != 0)
                goto done;
        }
        if (r < 0) {
            rc = r;
            goto done;
        }
    }
    li = aib__scr_list_begin(ls, list, source, hex);
    if (li < 0) {
        aib_diag_set(diag, prim->name, 0, 0, "list `%s` is loaded twice", list);
        rc = li;
        goto done;
    }
    for (i = 0; i < n && rc == 0; i++)
        rc = aib__scr_eb_commit(ls, (size_t)li, &ebs[i]);
done:
    for (i = 0; i < n; i++)
        aib__scr_eb_free(&ebs[i]);
    free(ebs);
    free(map);
    aib__scr_csv_free(&c);
    return rc;
}
