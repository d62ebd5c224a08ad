/* scr_csv.c — a small CSV/TSV record reader for the list loaders and the batch/pairs commands:
 * quoted fields with "" escapes and embedded newlines, CRLF or LF, blank lines and a trailing
 * DOS end-of-file mark skipped. Errors carry the file name and the record's line. */
#include "screen/screen_int.h"

#include <string.h>

void aib__scr_csv_init(aib__scr_csv_t *c, const char *data, size_t len, char sep)
{
    memset(c, 0, sizeof(*c));
    c->p = data;
    c->end = data + len;
    c->sep = sep;
    c->next_line = 1;
    aib_buf_init(&c->storage);
}

void aib__scr_csv_free(aib__scr_csv_t *c)
{
    aib_buf_free(&c->storage);
}

static int end_field(aib__scr_csv_t *c, size_t start, const char *file, aib_diag_t *diag)
{
    if (c->n >= AIB__SCR_CSV_MAX_FIELDS) {
        aib_diag_set(diag, file, c->line, 0, "more than %d fields", AIB__SCR_CSV_MAX_FIELDS);
        return AIB_EPARSE;
    }
    c->off[c->n] = start;
    c->len[c->n] = c->storage.len - start;
    c->n++;
    return aib_buf_putc(&c->storage, '\0') == 0 ? 0 : AIB_ENOMEM;
}

int aib__scr_csv_next(aib__scr_csv_t *c, const char *file, aib_diag_t *diag)
{
    const char *p = c->p, *end = c->end;
    int line = c->next_line;

    /* skip blank lines and a DOS EOF mark */
    while (p < end && (*p == '\n' || *p == '\r' || *p == 0x1a)) {
        if (*p == '\n')
            line++;
        p++;
    }
    if (p >= end) {
        c->p = p;
        c->next_line = line;
        return 0;
    }
    aib_buf_clear(&c->storage);
    c->n = 0;
    c->line = line;
    for (;;) {
        size_t start = c->storage.len;
        if (p < end && *p == '"') {
            int qline = line;
            p++;
            for (;;) {
                if (p >= end) {
                    aib_diag_set(diag, file, qline, 0, "unterminated quoted field");
                    return AIB_EPARSE;
                }
                if (*p == '"') {
                    if (p + 1 < end && p[1] == '"') {
                        if (aib_buf_putc(&c->storage, '"') != 0)
                            return AIB_ENOMEM;
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                if (*p == '\n')
                    line++;
                if (aib_buf_putc(&c->storage, *p) != 0)
                    return AIB_ENOMEM;
                p++;
            }
            while (p < end && (*p == ' ' || (*p == '\t' && c->sep != '\t')))
                p++;
            if (p < end && *p != c->sep && *p != '\n' && *p != '\r') {
                aib_diag_set(diag, file, line, 0, "unexpected character after a quoted field");
                return AIB_EPARSE;
            }
        } else {
            const char *st = p;
            while (p < end && *p != c->sep && *p != '\n' && *p != '\r')
                p++;
            if (aib_buf_append(&c->storage, st, (size_t)(p - st)) != 0)
                return AIB_ENOMEM;
        }
        if (end_field(c, start, file, diag) != 0)
            return c->n >= AIB__SCR_CSV_MAX_FIELDS ? AIB_EPARSE : AIB_ENOMEM;
        if (p < end && *p == c->sep) {
            p++;
            continue;
        }
        if (p < end && *p == '\r')
            p++;
        if (p < end && *p == '\n') {
            p++;
            line++;
        }
        break;
    }
    c->p = p;
    c->next_line = line;
    return 1;
}
