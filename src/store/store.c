/* store.c — the backend-independent half of the store: opening a backend, schema migrations,
 * transactions (explicit or one per write), API tokens, and the small helpers the other store
 * files share. Case records are in cases_rw.c, the audit chain in audit.c, backup in copy.c. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- Helpers ------------------------------------------------------------------------------- */

int aib__q(aib_store_t *s, const char *sql, const char *const *params, size_t n,
           aib__rows_t *rows, aib_diag_t *diag)
{
    return s->ops->query(s, sql, AIB__Q_STATIC, params, n, s->scratch, rows, NULL, diag);
}

int aib__q_changes(aib_store_t *s, const char *sql, const char *const *params, size_t n,
                   int64_t *changes, aib_diag_t *diag)
{
    return s->ops->query(s, sql, AIB__Q_STATIC, params, n, s->scratch, NULL, changes, diag);
}

const char *aib__i64s(aib_store_t *s, int64_t v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
    return aib_arena_strndup(s->scratch, tmp, (size_t)n);
}

int64_t aib__cell_i64(const char *cell)
{
    int64_t v = 0;
    if (!cell || aib_parse_i64(cell, strlen(cell), &v) != 0)
        return 0;
    return v;
}

int aib__tx_start(aib_store_t *s, int *own, aib_diag_t *diag)
{
    if (s->in_tx) {
        *own = 0;
        if (s->tx_failed) {
            aib_diag_set(diag, "store", 0, 0, "transaction already failed; roll it back");
            return AIB_EINVAL;
        }
        return AIB_OK;
    }
    *own = 1;
    return s->ops->begin(s, diag);
}

int aib__tx_end(aib_store_t *s, int own, int rc, aib_diag_t *diag)
{
    if (!own) {
        if (rc)
            s->tx_failed = 1;
        return rc;
    }
    if (rc == AIB_OK) {
        rc = s->ops->commit(s, diag);
        if (rc)
            s->ops->rollback(s); /* a failed COMMIT may leave the transaction open */
    } else {
        s->ops->rollback(s);
    }
    return rc;
}

/* ---- Open, close, migrate ------------------------------------------------------------------ */

int aib_store_open(const char *sqlite_path, const char *pg_conninfo, aib_store_t **out,
                   aib_diag_t *diag)
{
    aib_store_t *s = NULL;
    int rc;

    *out = NULL;
    if ((sqlite_path == NULL) == (pg_conninfo == NULL)) {
        aib_diag_set(diag, "store", 0, 0, "give exactly one of an SQLite path and a PostgreSQL conninfo");
        return AIB_EINVAL;
    }
    if ((sqlite_path && !*sqlite_path) || (pg_conninfo && !*pg_conninfo)) {
        aib_diag_set(diag, "store", 0, 0, "empty database path or conninfo");
        return AIB_EINVAL;
    }
    s = calloc(1, sizeof(*s));
    if (!s)
        return AIB_ENOMEM;
    s->scratch = aib_arena_new(0);
    if (!s->scratch) {
        free(s);
        return AIB_ENOMEM;
    }
    rc = sqlite_path ? aib__store_sqlite_open(s, sqlite_path, diag)
                     : aib__store_pg_open(s, pg_conninfo, diag);
    if (rc) {
        aib_store_close(s);
        return rc;
    }
    *out = s;
    return AIB_OK;
}

int aib_store_open_sqlite(const char *path, aib_store_t **out, aib_diag_t *diag)
{
    return aib_store_open(path ? path : "", NULL, out, diag);
}

int aib_store_open_pg(const char *conninfo, aib_store_t **out, aib_diag_t *diag)
{
    return aib_store_open(NULL, conninfo ? conninfo : "", out, diag);
}

void aib_store_close(aib_store_t *s)
{
    if (!s)
        return;
    if (s->ops) {
        if (s->impl)
            s->ops->rollback(s);
        s->ops->close(s);
    }
    aib_arena_free(s->scratch);
    free(s);
}

const char *aib_store_backend(const aib_store_t *s) { return s->ops->name; }

static int version_q(aib_store_t *s, int *out, aib_diag_t *diag)
{
    aib__rows_t r;
    int rc;

    *out = 0;
    rc = aib__q(s, s->ops->has_version_table_sql, NULL, 0, &r, diag);
    if (rc || r.n_rows != 1 || aib__cell_i64(AIB__CELL(&r, 0, 0)) == 0)
        return rc;
    rc = aib__q(s, "SELECT COALESCE(max(version), 0) FROM aib_schema_migrations", NULL, 0, &r, diag);
    if (rc == 0 && r.n_rows == 1)
        *out = (int)aib__cell_i64(AIB__CELL(&r, 0, 0));
    return rc;
}

int aib_store_version(aib_store_t *s, int *out, aib_diag_t *diag)
{
    aib_arena_reset(s->scratch);
    return version_q(s, out, diag);
}

int aib__require_current(aib_store_t *s, aib_diag_t *diag)
{
    int v = 0, rc;
    /* Checked once per handle: schemas only move forward, through aib_store_migrate. */
    if (s->version_ok)
        return AIB_OK;
    rc = version_q(s, &v, diag);
    if (rc)
        return rc;
    if (v != AIB_STORE_SCHEMA_VERSION) {
        aib_diag_set(diag, "store", 0, 0,
                     "database schema is at version %d, this build needs %d: run `aib db migrate`",
                     v, AIB_STORE_SCHEMA_VERSION);
        return AIB_EINVAL;
    }
    s->version_ok = 1;
    return AIB_OK;
}

int aib_store_migrate(aib_store_t *s, int *from, int *to, aib_diag_t *diag)
{
    const aib__schema_t *sch = aib__schema_for(s->ops->name);
    int v = 0, rc, own = 0;
    aib__rows_t r;

    if (s->in_tx) {
        aib_diag_set(diag, "store", 0, 0, "migrate cannot run inside a transaction");
        return AIB_EINVAL;
    }
    rc = aib_store_version(s, &v, diag);
    if (rc)
        return rc;
    if (from)
        *from = v;
    if (v > (int)sch->n_migrations) {
        aib_diag_set(diag, "store", 0, 0,
                     "database schema version %d is newer than this build (%d)", v,
                     (int)sch->n_migrations);
        return AIB_EINVAL;
    }
    while (v < (int)sch->n_migrations) {
        const char *p[2];
        rc = aib__tx_start(s, &own, diag);
        if (rc)
            return rc;
        rc = s->ops->exec(s, "CREATE TABLE IF NOT EXISTS aib_schema_migrations"
                             " (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)", diag);
        /* Re-read inside the transaction: another process may have migrated meanwhile, and the
         * version row's primary key stops two migrators applying the same step. */
        if (!rc)
            rc = aib__q(s, "SELECT COALESCE(max(version), 0) FROM aib_schema_migrations", NULL, 0,
                        &r, diag);
        if (!rc)
            v = (int)aib__cell_i64(AIB__CELL(&r, 0, 0));
        if (!rc && v < (int)sch->n_migrations) {
            rc = s->ops->exec(s, sch->migrations[v], diag);
            if (!rc) {
                p[0] = aib__i64s(s, v + 1);
                p[1] = aib__i64s(s, (int64_t)time(NULL) * 1000);
                rc = aib__q(s, "INSERT INTO aib_schema_migrations (version, applied_at) VALUES (?, ?)",
                            p, 2, NULL, diag);
            }
        }
        rc = aib__tx_end(s, own, rc, diag);
        if (rc)
            return rc;
        rc = aib_store_version(s, &v, diag);
        if (rc)
            return rc;
    }
    if (to)
        *to = v;
    return AIB_OK;
}

int aib_store_ping(aib_store_t *s, aib_diag_t *diag)
{
    aib__rows_t r;
    aib_arena_reset(s->scratch);
    return aib__q(s, "SELECT 1", NULL, 0, &r, diag);
}

int aib_store_begin(aib_store_t *s, aib_diag_t *diag)
{
    int rc;
    if (s->in_tx) {
        aib_diag_set(diag, "store", 0, 0, "a transaction is already open");
        return AIB_EINVAL;
    }
    rc = s->ops->begin(s, diag);
    if (rc == 0) {
        s->in_tx = 1;
        s->tx_failed = 0;
    }
    return rc;
}

int aib_store_commit(aib_store_t *s, aib_diag_t *diag)
{
    int rc;
    if (!s->in_tx) {
        aib_diag_set(diag, "store", 0, 0, "no transaction is open");
        return AIB_EINVAL;
    }
    s->in_tx = 0;
    if (s->tx_failed) {
        s->ops->rollback(s);
        aib_diag_set(diag, "store", 0, 0, "a write in the transaction failed; rolled back");
        return AIB_EINVAL;
    }
    rc = s->ops->commit(s, diag);
    if (rc)
        s->ops->rollback(s);
    return rc;
}

int aib_store_rollback(aib_store_t *s)
{
    s->in_tx = 0;
    s->tx_failed = 0;
    return s->ops->rollback(s);
}

/* ---- Tokens -------------------------------------------------------------------------------- */

static int need(const char *v, const char *field, aib_diag_t *diag)
{
    if (!v || !*v) {
        aib_diag_set(diag, field, 0, 0, "%s: required", field);
        return AIB_EINVAL;
    }
    return AIB_OK;
}

int aib_store_token_insert(aib_store_t *s, const aib_actor_t *who, const aib_token_rec_t *t,
                           aib_diag_t *diag)
{
    int rc, own = 0;
    aib_buf_t detail;
    const char *p[7];

    aib_buf_init(&detail);
    aib_arena_reset(s->scratch);
    if ((rc = need(t->id, "id", diag)) || (rc = need(t->hash, "hash", diag)) ||
        (rc = need(t->nation, "nation", diag)) || (rc = need(t->role, "role", diag)) ||
        (rc = need(t->person, "person", diag)))
        return rc;
    rc = aib__require_current(s, diag);
    if (rc)
        return rc;
    /* The audit entry names the token and its holder, never the hash. */
    if (aib_buf_puts(&detail, "{\"nation\":") || aib_buf_json_str(&detail, t->nation, strlen(t->nation)) ||
        aib_buf_puts(&detail, ",\"role\":") || aib_buf_json_str(&detail, t->role, strlen(t->role)) ||
        aib_buf_puts(&detail, ",\"person\":") || aib_buf_json_str(&detail, t->person, strlen(t->person)) ||
        aib_buf_putc(&detail, '}')) {
        rc = AIB_ENOMEM;
        goto done;
    }
    rc = aib__tx_start(s, &own, diag);
    if (rc)
        goto done;
    p[0] = t->id; p[1] = t->hash; p[2] = t->nation; p[3] = t->role; p[4] = t->person;
    p[5] = aib__i64s(s, t->created_at); p[6] = aib__i64s(s, t->revoked_at);
    rc = aib__q(s, "INSERT INTO tokens (id, hash, nation, role, person, created_at, revoked_at)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?)", p, 7, NULL, diag);
    if (rc == AIB_EEXIST)
        aib_diag_set(diag, "id", 0, 0, "id: token `%s` already exists", t->id);
    if (!rc)
        rc = aib__audit_append_tx(s, who, "token.create", t->id, detail.data, t->created_at, diag);
    rc = aib__tx_end(s, own, rc, diag);
done:
    aib_buf_free(&detail);
    return rc;
}

int aib_store_token_get(aib_store_t *s, const char *id, aib_arena_t *arena, aib_token_rec_t *out,
                        aib_diag_t *diag)
{
    aib__rows_t r;
    const char *p[1] = { id };
    int rc;

    memset(out, 0, sizeof(*out));
    if ((rc = need(id, "id", diag)))
        return rc;
    rc = s->ops->query(s, "SELECT id, hash, nation, role, person, created_at, revoked_at FROM tokens"
                          " WHERE id = ?", AIB__Q_STATIC, p, 1, arena, &r, NULL, diag);
    if (rc)
        return rc;
    if (r.n_rows == 0) {
        aib_diag_set(diag, "id", 0, 0, "no token with id `%s`", id);
        return AIB_ENOTFOUND;
    }
    out->id = AIB__CELL(&r, 0, 0);
    out->hash = AIB__CELL(&r, 0, 1);
    out->nation = AIB__CELL(&r, 0, 2);
    out->role = AIB__CELL(&r, 0, 3);
    out->person = AIB__CELL(&r, 0, 4);
    out->created_at = aib__cell_i64(AIB__CELL(&r, 0, 5));
    out->revoked_at = aib__cell_i64(AIB__CELL(&r, 0, 6));
    return AIB_OK;
}

int aib_store_token_count(aib_store_t *s, int64_t *out, aib_diag_t *diag)
{
    aib__rows_t r;
    int rc;
    aib_arena_reset(s->scratch);
    *out = 0;
    rc = aib__q(s, "SELECT count(*) FROM tokens WHERE revoked_at = 0", NULL, 0, &r, diag);
    if (!rc && r.n_rows == 1)
        *out = aib__cell_i64(AIB__CELL(&r, 0, 0));
    return rc;
}

int aib_store_token_revoke(aib_store_t *s, const aib_actor_t *who, const char *id, int64_t at,
                           aib_diag_t *diag)
{
    const char *p[2];
    int64_t changed = 0;
    int rc, own = 0;

    aib_arena_reset(s->scratch);
    if ((rc = need(id, "id", diag)))
        return rc;
    rc = aib__tx_start(s, &own, diag);
    if (rc)
        return rc;
    p[0] = aib__i64s(s, at);
    p[1] = id;
    rc = aib__q_changes(s, "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at = 0", p, 2,
                        &changed, diag);
    if (!rc && changed == 0) {
        aib_diag_set(diag, "id", 0, 0, "no valid token with id `%s`", id);
        rc = AIB_ENOTFOUND;
    }
    if (!rc)
        rc = aib__audit_append_tx(s, who, "token.revoke", id, NULL, at, diag);
    return aib__tx_end(s, own, rc, diag);
}
