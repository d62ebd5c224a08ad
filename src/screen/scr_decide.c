/* scr_decide.c — the decisions log: a reviewer records that a screening result was cleared or
 * escalated, with a note. One JSON object per line, appended, so the log is an audit trail
 * that other programs can read line by line. */
#include "screen/screen_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int aib_screen_decide(const char *path, const char *result_id, const char *decision,
                      const char *entry, const char *note, aib_diag_t *diag)
{
    aib_buf_t b;
    FILE *f = NULL;
    char ts[32];
    time_t now = time(NULL);
    struct tm tm;
    size_t i;
    int rc = 0;

    aib_buf_init(&b);
    if (!result_id || strlen(result_id) != 16) {
        aib_diag_set(diag, NULL, 0, 0, "result id must be the 16 hex digits a screening result carries");
        return AIB_EINVAL;
    }
    for (i = 0; i < 16; i++)
        if (!((result_id[i] >= '0' && result_id[i] <= '9') || (result_id[i] >= 'a' && result_id[i] <= 'f'))) {
            aib_diag_set(diag, NULL, 0, 0, "result id `%s` is not 16 lower-case hex digits", result_id);
            return AIB_EINVAL;
        }
    if (!decision || (strcmp(decision, "cleared") != 0 && strcmp(decision, "escalated") != 0)) {
        aib_diag_set(diag, NULL, 0, 0, "decision must be `cleared` or `escalated`");
        return AIB_EINVAL;
    }
    gmtime_r(&now, &tm);
    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
    rc |= aib_buf_printf(&b, "{\"time\":\"%s\",\"result_id\":\"%s\",\"decision\":\"%s\",\"entry\":", ts, result_id,
                         decision);
    rc |= entry ? aib_buf_json_str(&b, entry, strlen(entry)) : aib_buf_puts(&b, "null");
    rc |= aib_buf_puts(&b, ",\"note\":");
    rc |= aib_buf_json_str(&b, note ? note : "", note ? strlen(note) : 0);
    rc |= aib_buf_puts(&b, "}\n");
    if (rc) {
        rc = AIB_ENOMEM;
        goto done;
    }
    f = fopen(path, "a");
    if (!f) {
        aib_diag_set(diag, path, 0, 0, "cannot open decisions log: %s", strerror(errno));
        rc = AIB_EIO;
        goto done;
    }
    if (fwrite(b.data, 1, b.len, f) != b.len || fflush(f) != 0) {
        aib_diag_set(diag, path, 0, 0, "cannot write decisions log: %s", strerror(errno));
        rc = AIB_EIO;
    }
done:
    if (f && fclose(f) != 0 && rc == 0) {
        aib_diag_set(diag, path, 0, 0, "cannot close decisions log: %s", strerror(errno));
        rc = AIB_EIO;
    }
    aib_buf_free(&b);
    return rc;
}
