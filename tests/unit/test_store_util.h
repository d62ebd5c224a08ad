/* test_store_util.h — fresh stores for the store and case tests: an SQLite file in a new temp
 * directory always, and a PostgreSQL database when AIB_TEST_PG names one (tests/integration/
 * store.sh starts a throw-away cluster and sets it); the PostgreSQL schema is emptied first.
 * raw_exec runs SQL around the store (to tamper with the audit log as an intruder would). */
#ifndef AIB_TEST_STORE_UTIL_H
#define AIB_TEST_STORE_UTIL_H

#include "aib/store.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct tstore {
    const char *backend; /* "sqlite" | "postgres" */
    char path[256];      /* SQLite file, or conninfo */
    char dir[128];
} tstore_t;

/* Number of backends to run: 1 (SQLite) or 2 (SQLite, PostgreSQL). */
static inline int tstore_backends(void) { return getenv("AIB_TEST_PG") && *getenv("AIB_TEST_PG") ? 2 : 1; }

static inline int raw_exec(const tstore_t *t, const char *sql)
{
    int ok = 0;
    if (t->backend[0] == 's') {
        sqlite3 *db = NULL;
        if (sqlite3_open(t->path, &db) == SQLITE_OK)
            ok = sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
        sqlite3_close(db);
    } else {
        PGconn *c = PQconnectdb(t->path);
        PGresult *r;
        PQclear(PQexec(c, "SET client_min_messages = warning"));
        r = PQexec(c, sql);
        ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
        PQclear(r);
        PQfinish(c);
    }
    return ok;
}

/* Opens a fresh, migrated store of backend index which (0 SQLite, 1 PostgreSQL). */
static inline aib_store_t *tstore_open(tstore_t *t, int which)
{
    aib_store_t *s = NULL;
    aib_diag_t d;
    memset(t, 0, sizeof(*t));
    if (which == 0) {
        t->backend = "sqlite";
        snprintf(t->dir, sizeof(t->dir), "/tmp/aib-test-XXXXXX");
        if (!mkdtemp(t->dir))
            return NULL;
        snprintf(t->path, sizeof(t->path), "%s/store.db", t->dir);
        if (aib_store_open_sqlite(t->path, &s, &d))
            return NULL;
    } else {
        t->backend = "postgres";
        snprintf(t->path, sizeof(t->path), "%s", getenv("AIB_TEST_PG"));
        snprintf(t->dir, sizeof(t->dir), "/tmp/aib-test-XXXXXX");
        if (!mkdtemp(t->dir))
            return NULL;
        if (!raw_exec(t, "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"))
            return NULL;
        if (aib_store_open_pg(t->path, &s, &d))
            return NULL;
    }
    if (aib_store_migrate(s, NULL, NULL, &d)) {
        fprintf(stderr, "migrate: %s\n", d.msg);
        aib_store_close(s);
        return NULL;
    }
    return s;
}

static inline void tstore_done(tstore_t *t, aib_store_t *s)
{
    char cmd[300];
    aib_store_close(s);
    if (t->dir[0]) {
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", t->dir);
    }
}

#endif
