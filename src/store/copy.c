/* copy.c — backup and restore. A backup is always an SQLite database file with the store's
 * schema: SQLite stores use the online sqlite3_backup API, PostgreSQL stores copy every table in
 * one repeatable-read snapshot. Restore reads such a file, verifies its audit chain, and replaces
 * the target's content in one transaction, so a failed restore changes nothing. */
#include "store_int.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Tables in dependency order, with their columns in schema order (same on both backends). */
static const struct { const char *name; const char *cols; size_t n; } tables[] = {
    { "cases", "seq, id, type, subtype, title, stage, owner, nation, fields, created_by,"
               " created_at, updated_at, stage_since, version, closed", 15 },
    { "case_release", "case_id, nation", 2 },
    { "case_stages", "id, case_id, stage, owner, entered_at, left_at, by_whom, note", 8 },
    { "case_tags", "id, case_id, kind, value, policy_id, at", 6 },
    { "case_comments", "id, case_id, author, nation, body, at", 6 },
    { "case_attachments", "id, case_id, name, ref, sha256, media_type, added_by, at", 8 },
    { "tokens", "id, hash, nation, role, person, created_at, revoked_at", 7 },
    { "audit", "seq, at, person, nation, role, action, object, detail, prev_hash, hash", 10 },
    { "audit_head", "id, seq, hash", 3 },
};

int aib__store_copy_all(aib_store_t *src, aib_store_t *dst, aib_diag_t *diag)
{
    aib_arena_t *a = aib_arena_new(0);
    aib_buf_t sel, ins;
    aib__rows_t r;
    size_t t, i, k;
    int rc = AIB_OK;
    const char *first = tables[0].cols;

    (void)first;
    aib_buf_init(&sel);
    aib_buf_init(&ins);
    if (!a)
        return AIB_ENOMEM;
    for (t = 0; t < sizeof(tables) / sizeof(tables[0]) && !rc; t++) {
        int64_t after = -1;
        aib_buf_clear(&ins);
        rc = aib_buf_printf(&ins, "INSERT INTO %s (%s) VALUES (", tables[t].name, tables[t].cols)
                 ? AIB_ENOMEM : AIB_OK;
        for (k = 0; k < tables[t].n && !rc; k++)
            rc = aib_buf_puts(&ins, k ? ", ?" : "?") ? AIB_ENOMEM : AIB_OK;
        if (!rc)
            rc = aib_buf_putc(&ins, ')') ? AIB_ENOMEM : AIB_OK;
        /* Page through tables with an integer first column; the rest are small or keyed by text
         * (tokens, releases) and are read whole. */
        for (;;) {
            int paged = strncmp(tables[t].cols, "seq", 3) == 0 || strncmp(tables[t].cols, "id,", 3) == 0;
            const char *key = strncmp(tables[t].cols, "seq", 3) == 0 ? "seq" : "id";
            char num[32];
            const char *p[1];
            if (rc)
                break;
            paged = paged && strcmp(tables[t].name, "tokens") != 0;
            aib_arena_reset(a);
            aib_buf_clear(&sel);
            if (paged) {
                snprintf(num, sizeof(num), "%lld", (long long)after);
                p[0] = num;
                rc = aib_buf_printf(&sel, "SELECT %s FROM %s WHERE %s > ? ORDER BY %s LIMIT 5000",
                                    tables[t].cols, tables[t].name, key, key) ? AIB_ENOMEM : AIB_OK;
                if (!rc)
                    rc = src->ops->query(src, sel.data, 0, p, 1, a, &r, NULL, diag);
            } else {
                rc = aib_buf_printf(&sel, "SELECT %s FROM %s", tables[t].cols, tables[t].name)
                         ? AIB_ENOMEM : AIB_OK;
                if (!rc)
                    rc = src->ops->query(src, sel.data, 0, NULL, 0, a, &r, NULL, diag);
            }
            if (rc)
                break;
            for (i = 0; i < r.n_rows && !rc; i++)
                rc = dst->ops->query(dst, ins.data, 0, (const char *const *)&r.cells[i * r.n_cols],
                                     r.n_cols, a, NULL, NULL, diag);
            if (!paged || r.n_rows == 0)
                break;
            after = aib__cell_i64(AIB__CELL(&r, r.n_rows - 1, 0));
        }
    }
    aib_buf_free(&sel);
    aib_buf_free(&ins);
    aib_arena_free(a);
    return rc;
}

int aib_store_backup(aib_store_t *s, const char *dest_path, aib_diag_t *diag)
{
    char tmp[4096];
    aib_store_t *out = NULL;
    int rc, snap = 0;

    aib_arena_reset(s->scratch);
    if (!dest_path || !*dest_path) {
        aib_diag_set(diag, "backup", 0, 0, "backup: a destination path is required");
        return AIB_EINVAL;
    }
    if (s->in_tx) {
        aib_diag_set(diag, "backup", 0, 0, "backup cannot run inside a transaction");
        return AIB_EINVAL;
    }
    rc = aib__require_current(s, diag);
    if (rc)
        return rc;
    if (s->ops->backup_native)
        return s->ops->backup_native(s, dest_path, diag);
    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", dest_path) >= sizeof(tmp)) {
        aib_diag_set(diag, dest_path, 0, 0, "path too long");
        return AIB_EINVAL;
    }
    unlink(tmp);
    rc = aib_store_open_sqlite(tmp, &out, diag);
    if (!rc)
        rc = aib_store_migrate(out, NULL, NULL, diag);
    if (!rc)
        rc = out->ops->exec(out, "PRAGMA journal_mode=DELETE", diag);
    if (!rc)
        rc = out->ops->begin(out, diag);
    /* The fresh schema has its own audit head row and guard triggers; the copy brings the
     * source's rows in their place. */
    if (!rc)
        rc = out->ops->exec(out, aib__schema_for("sqlite")->restore_clear_sql, diag);
    if (!rc) {
        rc = s->ops->begin_snapshot(s, diag);
        snap = rc == 0;
    }
    if (!rc)
        rc = aib__store_copy_all(s, out, diag);
    if (snap)
        s->ops->rollback(s);
    if (!rc)
        rc = out->ops->exec(out, aib__schema_for("sqlite")->restore_done_sql, diag);
    if (!rc)
        rc = out->ops->commit(out, diag);
    aib_store_close(out);
    if (!rc && rename(tmp, dest_path) != 0) {
        aib_diag_set(diag, dest_path, 0, 0, "cannot rename backup into place");
        rc = AIB_EIO;
    }
    if (rc)
        unlink(tmp);
    return rc;
}

int aib_store_restore(aib_store_t *s, const char *src_path, aib_diag_t *diag)
{
    aib_store_t *in = NULL;
    aib_audit_report_t rep;
    const aib__schema_t *sch = aib__schema_for(s->ops->name);
    int rc;

    aib_arena_reset(s->scratch);
    if (!src_path || !*src_path || access(src_path, R_OK) != 0) {
        aib_diag_set(diag, src_path ? src_path : "restore", 0, 0, "cannot read backup file");
        return AIB_EIO;
    }
    if (s->in_tx) {
        aib_diag_set(diag, "restore", 0, 0, "restore cannot run inside a transaction");
        return AIB_EINVAL;
    }
    rc = aib__require_current(s, diag);
    if (!rc)
        rc = aib_store_open_sqlite(src_path, &in, diag);
    if (!rc)
        rc = aib__require_current(in, diag);
    if (!rc)
        rc = aib_store_audit_verify(in, &rep, diag);
    if (!rc && !rep.ok) {
        aib_diag_set(diag, src_path, 0, 0, "backup's audit log does not verify: %s", rep.problem);
        rc = AIB_EINVAL;
    }
    if (rc)
        goto done;
    rc = s->ops->begin(s, diag);
    if (rc)
        goto done;
    rc = s->ops->exec(s, sch->restore_clear_sql, diag);
    if (!rc)
        rc = aib__store_copy_all(in, s, diag);
    if (!rc)
        rc = s->ops->exec(s, sch->restore_done_sql, diag);
    if (!rc)
        rc = s->ops->commit(s, diag);
    if (rc)
        s->ops->rollback(s);
done:
    aib_store_close(in);
    return rc;
}
