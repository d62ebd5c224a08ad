/* file.c — whole-file reading for loaders (policies, schemas, entities, reference data). */
#include "aib/common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int aib_read_file(const char *path, char **out, size_t *out_len, aib_diag_t *diag)
{
    FILE *f = NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int rc = AIB_OK;

    *out = NULL;
    if (out_len)
        *out_len = 0;
    f = fopen(path, "rb");
    if (!f) {
        aib_diag_set(diag, path, 0, 0, "cannot open: %s", strerror(errno));
        rc = AIB_EIO;
        goto done;
    }
    for (;;) {
        size_t n;
        if (cap - len < 65536) {
            size_t ncap = cap ? cap * 2 : 65536;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                rc = AIB_ENOMEM;
                goto done;
            }
            buf = nb;
            cap = ncap;
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            if (ferror(f)) {
                aib_diag_set(diag, path, 0, 0, "read error: %s", strerror(errno));
                rc = AIB_EIO;
                goto done;
            }
            break;
        }
    }
    if (!buf) {
        buf = malloc(1);
        if (!buf) {
            rc = AIB_ENOMEM;
            goto done;
        }
    }
    buf[len] = '\0';
    *out = buf;
    if (out_len)
        *out_len = len;
    buf = NULL;
done:
    if (f)
        fclose(f);
    free(buf);
    return rc;
}
