/* pg.c — the PostgreSQL backend of the store (libpq), for deployments with several aib servers
 * and replicas. synchronous_commit is forced on for the session so COMMIT returns only after the
 * WAL record is flushed. The store's `?` placeholders are renumbered to $1, $2, ...; parameters
 * and results travel as text. A broken connection is reset before the next transaction. */
#include "store_int.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

typedef struct pg {
    PGconn *conn;
    aib_buf_t sql; /* renumbered statement */
} pg_t;

static pg_t *P(aib_store_t *s) { return (pg_t *)s->impl; }

static int fail_res(aib_store_t *s, PGresult *r, aib_diag_t *diag, const char *what)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(P(s)->conn);
    size_t n = msg ? strlen(msg) : 0;
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        n--;
    aib_diag_set(diag, "postgres", 0, 0, "%s: %.*s", what, (int)n, msg ? msg : "");
    /* 23xxx: integrity constraint violation (unique key, foreign key). */
    if (state && !strncmp(state, "23", 2))
        return AIB_EEXIST;
    return AIB_EIO;
}

static int pg_exec(aib_store_t *s, const char *sql, aib_diag_t *diag)
{
    PGresult *r = PQexec(P(s)->conn, sql);
    int rc = AIB_OK;
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        rc = fail_res(s, r, diag, "exec");
    PQclear(r);
    return rc;
}

/* `?` outside string literals becomes $n. */
static int renumber(aib_buf_t *b, const char *sql)
{
    int n = 0, rc = AIB_OK;
    int quoted = 0;
    const char *p;
    aib_buf_clear(b);
    for (p = sql; *p && !rc; p++) {
        if (*p == '\'')
            quoted = !quoted;
        if (*p == '?' && !quoted)
            rc = aib_buf_printf(b, "$%d", ++n);
        else
            rc = aib_buf_putc(b, *p);
    }
    return rc;
}

static int pg_query(aib_store_t *s, const char *sql, unsigned flags, const char *const *params,
                    size_t n_params, aib_arena_t *arena, aib__rows_t *rows, int64_t *changes,
                    aib_diag_t *diag)
{
    pg_t *p = P(s);
    PGresult *r = NULL;
    int rc, nr, nc, i, j;
    char **cells = NULL;
    ExecStatusType st;

    (void)flags;
    rc = renumber(&p->sql, sql);
    if (rc)
        goto done;
    r = PQexecParams(p->conn, p->sql.data, (int)n_params, NULL, params, NULL, NULL, 0);
    st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        rc = fail_res(s, r, diag, "query");
        goto done;
    }
    if (changes) {
        const char *t = PQcmdTuples(r);
        int64_t v = 0;
        *changes = (t && *t && aib_parse_i64(t, strlen(t), &v) == 0) ? v : 0;
    }
    if (rows) {
        nr = PQntuples(r);
        nc = PQnfields(r);
        cells = aib_arena_alloc(arena, (size_t)nr * (size_t)nc * sizeof(char *) + 1);
        if (!cells) {
            rc = AIB_ENOMEM;
            goto done;
        }
        for (i = 0; i < nr; i++)
            for (j = 0; j < nc; j++) {
                char **cell = &cells[(size_t)i * (size_t)nc + (size_t)j];
                if (PQgetisnull(r, i, j)) {
                    *cell = NULL;
                    continue;
                }
                *cell = aib_arena_strndup(arena, PQgetvalue(r, i, j), (size_t)PQgetlength(r, i, j));
                if (!*cell) {
                    rc = AIB_ENOMEM;
                    goto done;
                }
            }
        rows->n_rows = (size_t)nr;
        rows->n_cols = (size_t)nc;
        rows->cells = cells;
    }
done:
    PQclear(r);
    return rc;
}

static int pg_begin(aib_store_t *s, aib_diag_t *diag)
{
    /* A connection dropped since the last call (server restart, failover) is re-established
     * here, where no transaction state can be lost. */
    if (PQstatus(P(s)->conn) != CONNECTION_OK) {
        PQreset(P(s)->conn);
        if (PQstatus(P(s)->conn) != CONNECTION_OK) {
            aib_diag_set(diag, "postgres", 0, 0, "connection lost: %s", PQerrorMessage(P(s)->conn));
            return AIB_EIO;
        }
        if (pg_exec(s, "SET synchronous_commit = on", diag))
            return AIB_EIO;
    }
    return pg_exec(s, "BEGIN ISOLATION LEVEL READ COMMITTED", diag);
}
static int pg_commit(aib_store_t *s, aib_diag_t *diag) { return pg_exec(s, "COMMIT", diag); }
static int pg_rollback(aib_store_t *s)
{
    if (PQtransactionStatus(P(s)->conn) == PQTRANS_IDLE)
        return AIB_OK;
    return pg_exec(s, "ROLLBACK", NULL);
}
static int pg_snapshot(aib_store_t *s, aib_diag_t *diag)
{
    return pg_exec(s, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", diag);
}

static void pg_close(aib_store_t *s)
{
    pg_t *p = P(s);
    if (!p)
        return;
    PQfinish(p->conn);
    aib_buf_free(&p->sql);
    free(p);
    s->impl = NULL;
}

static const aib__store_ops_t pg_ops = {
    .name = "postgres",
    .exec = pg_exec,
    .query = pg_query,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .begin_snapshot = pg_snapshot,
    .backup_native = NULL,
    .has_version_table_sql = "SELECT count(*) FROM information_schema.tables"
                             " WHERE table_schema = current_schema()"
                             " AND table_name = 'aib_schema_migrations'",
    .for_update = " FOR UPDATE",
    .close = pg_close,
};

static void quiet(void *arg, const char *msg) { (void)arg; (void)msg; }

int aib__store_pg_open(aib_store_t *s, const char *conninfo, aib_diag_t *diag)
{
    pg_t *p = calloc(1, sizeof(*p));
    int rc = AIB_OK;

    if (!p)
        return AIB_ENOMEM;
    aib_buf_init(&p->sql);
    s->ops = &pg_ops;
    s->impl = p;
    p->conn = PQconnectdb(conninfo);
    if (!p->conn || PQstatus(p->conn) != CONNECTION_OK) {
        const char *m = p->conn ? PQerrorMessage(p->conn) : "out of memory";
        size_t n = strlen(m);
        while (n && m[n - 1] == '\n')
            n--;
        aib_diag_set(diag, "postgres", 0, 0, "cannot connect: %.*s", (int)n, m);
        rc = AIB_EIO;
        goto done;
    }
    PQsetNoticeProcessor(p->conn, quiet, NULL);
    rc = pg_exec(s, "SET synchronous_commit = on; SET client_min_messages = warning", diag);
done:
    return rc;
}
