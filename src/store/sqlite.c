/* sqlite.c — the embedded SQLite backend of the store: one file, WAL journal, synchronous=FULL so
 * a commit is on disk before it returns, write transactions taken with BEGIN IMMEDIATE so
 * concurrent writers queue on the busy timeout instead of failing mid-transaction. Prepared
 * statements for the store's fixed SQL are cached by the address of the SQL literal. */
#include "store_int.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CACHE_SLOTS 128

typedef struct lite {
    sqlite3 *db;
    struct { const char *sql; sqlite3_stmt *st; } cache[CACHE_SLOTS];
} lite_t;

static lite_t *L(aib_store_t *s) { return (lite_t *)s->impl; }

static int fail(aib_store_t *s, aib_diag_t *diag, int rc, const char *what)
{
    int code = (rc == SQLITE_CONSTRAINT || (rc & 0xff) == SQLITE_CONSTRAINT) ? AIB_EEXIST : AIB_EIO;
    aib_diag_set(diag, "sqlite", 0, 0, "%s: %s", what, sqlite3_errmsg(L(s)->db));
    return code;
}

static int lite_exec(aib_store_t *s, const char *sql, aib_diag_t *diag)
{
    char *err = NULL;
    int rc = sqlite3_exec(L(s)->db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK) {
        aib_diag_set(diag, "sqlite", 0, 0, "%s", err ? err : sqlite3_errstr(rc));
        sqlite3_free(err);
        return (rc & 0xff) == SQLITE_CONSTRAINT ? AIB_EEXIST : AIB_EIO;
    }
    return AIB_OK;
}

static sqlite3_stmt **cache_slot(lite_t *l, const char *sql)
{
    size_t h = ((uintptr_t)sql >> 3) % CACHE_SLOTS, i;
    for (i = 0; i < CACHE_SLOTS; i++) {
        size_t k = (h + i) % CACHE_SLOTS;
        if (l->cache[k].sql == sql || !l->cache[k].sql) {
            l->cache[k].sql = sql;
            return &l->cache[k].st;
        }
    }
    return NULL; /* full: the caller prepares without caching */
}

static int lite_query(aib_store_t *s, const char *sql, unsigned flags, const char *const *params,
                      size_t n_params, aib_arena_t *arena, aib__rows_t *rows, int64_t *changes,
                      aib_diag_t *diag)
{
    lite_t *l = L(s);
    sqlite3_stmt *st = NULL, **slot = NULL;
    int rc = AIB_OK, src, ncol = 0;
    size_t i, cap = 0, nr = 0;
    char **cells = NULL;

    if (flags & AIB__Q_STATIC)
        slot = cache_slot(l, sql);
    if (slot && *slot) {
        st = *slot;
    } else {
        src = sqlite3_prepare_v2(l->db, sql, -1, &st, NULL);
        if (src != SQLITE_OK) {
            rc = fail(s, diag, src, "prepare");
            st = NULL;
            goto done;
        }
        if (slot)
            *slot = st;
    }
    for (i = 0; i < n_params; i++) {
        src = params[i] ? sqlite3_bind_text(st, (int)i + 1, params[i], -1, SQLITE_TRANSIENT)
                        : sqlite3_bind_null(st, (int)i + 1);
        if (src != SQLITE_OK) {
            rc = fail(s, diag, src, "bind");
            goto done;
        }
    }
    ncol = sqlite3_column_count(st);
    for (;;) {
        src = sqlite3_step(st);
        if (src == SQLITE_DONE)
            break;
        if (src != SQLITE_ROW) {
            rc = fail(s, diag, src, "step");
            goto done;
        }
        if (!rows)
            continue;
        if (nr == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            char **nc = aib_arena_alloc(arena, ncap * (size_t)ncol * sizeof(char *) + 1);
            if (!nc) {
                rc = AIB_ENOMEM;
                goto done;
            }
            if (nr)
                memcpy(nc, cells, nr * (size_t)ncol * sizeof(char *));
            cells = nc;
            cap = ncap;
        }
        for (i = 0; i < (size_t)ncol; i++) {
            const unsigned char *t = sqlite3_column_text(st, (int)i);
            char **cell = &cells[nr * (size_t)ncol + i];
            if (!t) {
                *cell = NULL;
                continue;
            }
            *cell = aib_arena_strndup(arena, (const char *)t, (size_t)sqlite3_column_bytes(st, (int)i));
            if (!*cell) {
                rc = AIB_ENOMEM;
                goto done;
            }
        }
        nr++;
    }
    if (changes)
        *changes = sqlite3_changes64(l->db);
    if (rows) {
        rows->n_rows = nr;
        rows->n_cols = (size_t)ncol;
        rows->cells = cells;
    }
done:
    if (st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        if (!slot)
            sqlite3_finalize(st);
    }
    return rc;
}

static int lite_begin(aib_store_t *s, aib_diag_t *diag) { return lite_exec(s, "BEGIN IMMEDIATE", diag); }
static int lite_commit(aib_store_t *s, aib_diag_t *diag) { return lite_exec(s, "COMMIT", diag); }
static int lite_rollback(aib_store_t *s)
{
    if (sqlite3_get_autocommit(L(s)->db))
        return AIB_OK;
    return lite_exec(s, "ROLLBACK", NULL);
}
/* A deferred read transaction sees one WAL snapshot for its whole life. */
static int lite_snapshot(aib_store_t *s, aib_diag_t *diag) { return lite_exec(s, "BEGIN DEFERRED", diag); }

/* sqlite3_backup copies page by page while other connections keep writing; a step that meets a
 * lock retries after a short sleep. The copy goes to dest.tmp, is synced, then renamed. */
static int lite_backup(aib_store_t *s, const char *dest, aib_diag_t *diag)
{
    char tmp[4096];
    sqlite3 *out = NULL;
    sqlite3_backup *b = NULL;
    int rc = AIB_OK, src;

    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", dest) >= sizeof(tmp)) {
        aib_diag_set(diag, dest, 0, 0, "path too long");
        return AIB_EINVAL;
    }
    unlink(tmp);
    if (sqlite3_open(tmp, &out) != SQLITE_OK) {
        aib_diag_set(diag, tmp, 0, 0, "cannot create: %s", out ? sqlite3_errmsg(out) : "out of memory");
        rc = AIB_EIO;
        goto done;
    }
    b = sqlite3_backup_init(out, "main", L(s)->db, "main");
    if (!b) {
        aib_diag_set(diag, tmp, 0, 0, "backup: %s", sqlite3_errmsg(out));
        rc = AIB_EIO;
        goto done;
    }
    for (;;) {
        src = sqlite3_backup_step(b, 256);
        if (src == SQLITE_DONE)
            break;
        if (src == SQLITE_OK)
            continue;
        if (src == SQLITE_BUSY || src == SQLITE_LOCKED) {
            sqlite3_sleep(10);
            continue;
        }
        aib_diag_set(diag, tmp, 0, 0, "backup: %s", sqlite3_errstr(src));
        rc = AIB_EIO;
        goto done;
    }
    sqlite3_backup_finish(b);
    b = NULL;
    /* The backup copies the WAL setting; a backup file is a plain rollback-journal database. */
    if (sqlite3_exec(out, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
        aib_diag_set(diag, tmp, 0, 0, "backup: %s", sqlite3_errmsg(out));
        rc = AIB_EIO;
        goto done;
    }
    sqlite3_close(out);
    out = NULL;
    if (rename(tmp, dest) != 0) {
        aib_diag_set(diag, dest, 0, 0, "cannot rename backup into place");
        rc = AIB_EIO;
    }
done:
    if (b)
        sqlite3_backup_finish(b);
    if (out)
        sqlite3_close(out);
    if (rc)
        unlink(tmp);
    return rc;
}

static void lite_close(aib_store_t *s)
{
    lite_t *l = L(s);
    size_t i;
    if (!l)
        return;
    for (i = 0; i < CACHE_SLOTS; i++)
        if (l->cache[i].st)
            sqlite3_finalize(l->cache[i].st);
    sqlite3_close(l->db);
    free(l);
    s->impl = NULL;
}

static const aib__store_ops_t lite_ops = {
    .name = "sqlite",
    .exec = lite_exec,
    .query = lite_query,
    .begin = lite_begin,
    .commit = lite_commit,
    .rollback = lite_rollback,
    .begin_snapshot = lite_snapshot,
    .backup_native = lite_backup,
    .has_version_table_sql =
        "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='aib_schema_migrations'",
    .for_update = "",
    .close = lite_close,
};

int aib__store_sqlite_open(aib_store_t *s, const char *path, aib_diag_t *diag)
{
    lite_t *l = calloc(1, sizeof(*l));
    int rc = AIB_OK;

    if (!l)
        return AIB_ENOMEM;
    s->ops = &lite_ops;
    s->impl = l;
    if (sqlite3_open_v2(path, &l->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        aib_diag_set(diag, path, 0, 0, "cannot open database: %s",
                     l->db ? sqlite3_errmsg(l->db) : "out of memory");
        rc = AIB_EIO;
        goto done;
    }
    sqlite3_busy_timeout(l->db, 10000);
    /* WAL + FULL: each commit fsyncs the WAL, so an acknowledged write survives power loss. */
    rc = lite_exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
                   diag);
    if (rc) {
        char msg[sizeof(diag->msg)];
        if (diag) {
            memcpy(msg, diag->msg, sizeof(msg));
            aib_diag_set(diag, path, 0, 0, "%s", msg);
        }
    }
done:
    return rc;
}
