/* store_int.h — the storage interface behind include/aib/store.h: a table of function pointers
 * each backend (sqlite.c, pg.c) fills with SQL primitives (exec, parameterised query returning
 * text cells, transactions, backup hooks). Everything else — cases, tokens, the audit chain,
 * migrations, backup copy — is written once in generic code (store.c, audit.c, copy.c) against it.
 * SQL is written with `?` placeholders; the PostgreSQL backend renumbers them to $1, $2, .... */
#ifndef AIB_STORE_INT_H
#define AIB_STORE_INT_H

#include "aib/store.h"

/* Query results: n_rows x n_cols text cells, row-major; NULL for SQL NULL. Cells live in the
 * arena passed to the query. */
typedef struct aib__rows {
    size_t n_rows;
    size_t n_cols;
    char **cells;
} aib__rows_t;

#define AIB__CELL(r, row, col) ((r)->cells[(row) * (r)->n_cols + (col)])

/* Flag for query: sql is a string literal that lives forever, so the backend may cache its
 * prepared form keyed by the pointer. */
#define AIB__Q_STATIC 1u

typedef struct aib__store_ops {
    const char *name; /* "sqlite" | "postgres" */
    /* Runs one or more statements without parameters or results. */
    int (*exec)(aib_store_t *s, const char *sql, aib_diag_t *diag);
    /* Runs one statement with text parameters (NULL = SQL NULL). rows may be NULL to discard
     * results; *changes (may be NULL) receives the number of rows modified. */
    int (*query)(aib_store_t *s, const char *sql, unsigned flags, const char *const *params,
                 size_t n_params, aib_arena_t *arena, aib__rows_t *rows, int64_t *changes,
                 aib_diag_t *diag);
    int (*begin)(aib_store_t *s, aib_diag_t *diag); /* a write transaction */
    int (*commit)(aib_store_t *s, aib_diag_t *diag);
    int (*rollback)(aib_store_t *s);
    /* Consistent snapshot for a multi-statement read (backup); ended by rollback. */
    int (*begin_snapshot)(aib_store_t *s, aib_diag_t *diag);
    /* Native online backup to a file path, or NULL when the backend has none (generic copy). */
    int (*backup_native)(aib_store_t *s, const char *dest, aib_diag_t *diag);
    /* One row, one cell: 1 when the aib_schema_migrations table exists, else 0. */
    const char *has_version_table_sql;
    /* Suffix that locks selected rows for the transaction (" FOR UPDATE" or ""). */
    const char *for_update;
    void (*close)(aib_store_t *s);
} aib__store_ops_t;

struct aib_store {
    const aib__store_ops_t *ops;
    void *impl;           /* backend state */
    int in_tx;            /* an explicit aib_store_begin is open */
    int tx_failed;        /* a write inside the explicit transaction failed */
    int version_ok;       /* schema seen at AIB_STORE_SCHEMA_VERSION */
    aib_arena_t *scratch; /* per-call temporary data, reset at the start of each public call */
};

/* The versioned schema of one backend (migrations.c). */
typedef struct aib__schema {
    const char *const *migrations; /* migrations[v-1] brings version v-1 to v */
    size_t n_migrations;
    /* Inside the restore transaction: empties every table (bypassing the audit log's
     * append-only guard); after the copy, restores the guard and id sequences. */
    const char *restore_clear_sql;
    const char *restore_done_sql;
} aib__schema_t;

/* NULL for an unknown backend name. */
const aib__schema_t *aib__schema_for(const char *backend);

/* Backend constructors (fill s->ops and s->impl). */
int aib__store_sqlite_open(aib_store_t *s, const char *path, aib_diag_t *diag);
int aib__store_pg_open(aib_store_t *s, const char *conninfo, aib_diag_t *diag);

/* Transactions for one write: joins an explicit transaction or starts its own. */
int aib__tx_start(aib_store_t *s, int *own, aib_diag_t *diag);
int aib__tx_end(aib_store_t *s, int own, int rc, aib_diag_t *diag);

/* Shorthand for ops->query with the store's scratch arena. */
int aib__q(aib_store_t *s, const char *sql, const char *const *params, size_t n,
           aib__rows_t *rows, aib_diag_t *diag);
int aib__q_changes(aib_store_t *s, const char *sql, const char *const *params, size_t n,
                   int64_t *changes, aib_diag_t *diag);
/* Requires the schema at AIB_STORE_SCHEMA_VERSION. */
int aib__require_current(aib_store_t *s, aib_diag_t *diag);
/* Decimal text of v in the scratch arena. */
const char *aib__i64s(aib_store_t *s, int64_t v);
/* Parses a cell as an integer (NULL or malformed -> 0). */
int64_t aib__cell_i64(const char *cell);

/* Appends an audit entry inside the current transaction (audit.c). */
int aib__audit_append_tx(aib_store_t *s, const aib_actor_t *who, const char *action,
                         const char *object, const char *detail, int64_t at, aib_diag_t *diag);
/* Computes the entry's hash from its fields and prev_hash into hex[65]. */
void aib__audit_hash(const aib_audit_entry_t *e, char hex[65]);

/* Copies every table's rows from src to dst (dst inside a transaction, tables empty). */
int aib__store_copy_all(aib_store_t *src, aib_store_t *dst, aib_diag_t *diag);

#endif
