/* scr_load_dpl.c — the BIS Denied Persons List (dpl.txt): tab-separated, quoted, with a header row
 * naming the columns (Name, Street_Address, City, State, Country, ...). Columns are found by
 * header name so reordered files still load. */
#include "screen/screen_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

int aib__scr_load_dpl(aib_screen_lists_t *ls, const aib__scr_file_t *f, aib_diag_t *diag)
{
    aib__scr_csv_t c;
    aib__scr_eb_t b;
    char hex[65], idbuf[32];
    long col_name = -1, col_country = -1;
    size_t i, row = 0;
    int rc = 0, r, li;

    aib__scr_csv_init(&c, f->data, f->len, '\t');
    aib__scr_eb_init(&b);
    r = aib__scr_csv_next(&c, f->name, diag);
    if (r <= 0) {
        if (r == 0)
            aib_diag_set(diag, f->name, 1, 0, "empty file: expected a header row");
        rc = r < 0 ? r : AIB_EPARSE;
        goto done;
    }
    for (i = 0; i < c.n; i++) {
        if (!strcasecmp(aib__scr_csv_field(&c, i), "Name"))
            col_name = (long)i;
        else if (!strcasecmp(aib__scr_csv_field(&c, i), "Country"))
            col_country = (long)i;
    }
    if (col_name < 0) {
        aib_diag_set(diag, f->name, 1, 0, "header row has no `Name` column");
        rc = AIB_EPARSE;
        goto done;
    }
    aib_screen_sha256_hex(f->data, f->len, hex);
    li = aib__scr_list_begin(ls, "bis-dpl", f->name, hex);
    if (li < 0) {
        aib_diag_set(diag, f->name, 0, 0, "list `bis-dpl` is loaded twice");
        rc = li;
        goto done;
    }
    while ((r = aib__scr_csv_next(&c, f->name, diag)) > 0) {
        row++;
        if (c.n <= (size_t)col_name) {
            aib_diag_set(diag, f->name, c.line, 0, "expected a Name in column %ld, the row has %zu fields",
                         col_name + 1, c.n);
            rc = AIB_EPARSE;
            goto done;
        }
        if (c.len[col_name] == 0) {
            aib_diag_set(diag, f->name, c.line, 0, "empty Name");
            rc = AIB_EPARSE;
            goto done;
        }
        snprintf(idbuf, sizeof(idbuf), "%zu", row);
        b.src_id = aib__scr_str(ls, idbuf, strlen(idbuf));
        rc = aib__scr_eb_name(ls, &b, aib__scr_csv_field(&c, (size_t)col_name), c.len[col_name]);
        if (rc == 0 && col_country >= 0 && c.n > (size_t)col_country)
            rc = aib__scr_eb_country(ls, &b, aib__scr_csv_field(&c, (size_t)col_country), c.len[col_country]);
        if (rc == 0)
            rc = aib__scr_eb_commit(ls, (size_t)li, &b);
        if (rc != 0)
            goto done;
    }
    if (r < 0)
        rc = r;
done:
    aib__scr_eb_free(&b);
    aib__scr_csv_free(&c);
    return rc;
}
