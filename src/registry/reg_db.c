/* reg_db.c — the registry's SQLite side: schema creation and migration (registry_* tables next to
 * the store's own in the same file), writing a record with its derived columns (class, search
 * text, area and nation rows, MinHash signature) and decoding stored rows. The FTS5 index uses
 * the record table as external content and is kept in step by triggers. */
#include "registry_int.h"

#include <string.h>
#include <time.h>

static const char *const schema_v1 =
    "CREATE TABLE IF NOT EXISTS registry_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    /* one row per distinct (label, owning nation): what release decisions are cached for */
    "CREATE TABLE registry_class(cls INTEGER PRIMARY KEY, label TEXT NOT NULL,"
    " nation TEXT NOT NULL, rank INTEGER NOT NULL, UNIQUE(label, nation));"
    /* cached rule decisions: may class cls go to (nation, role) under regime? */
    "CREATE TABLE registry_grant(regime TEXT NOT NULL, nation TEXT NOT NULL, role TEXT NOT NULL,"
    " cls INTEGER NOT NULL, allowed INTEGER NOT NULL, rule TEXT NOT NULL,"
    " PRIMARY KEY(regime, nation, role, cls)) WITHOUT ROWID;"
    "CREATE TABLE registry_record(rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " type INTEGER NOT NULL, nation TEXT NOT NULL, cls INTEGER NOT NULL, label TEXT NOT NULL,"
    " title TEXT NOT NULL, summary TEXT NOT NULL, body TEXT NOT NULL, start TEXT NOT NULL,"
    " end_ TEXT NOT NULL, updated_at INTEGER NOT NULL, origin TEXT NOT NULL,"
    " received_from TEXT NOT NULL, json TEXT NOT NULL, sig BLOB NOT NULL);"
    /* the narrow row every search reads: filter columns only, ~100 rows per page */
    "CREATE TABLE registry_doc(rid INTEGER PRIMARY KEY, cls INTEGER NOT NULL, type INTEGER NOT NULL,"
    " start TEXT NOT NULL, end_ TEXT NOT NULL, updated_at INTEGER NOT NULL);"
    "CREATE INDEX registry_doc_cls ON registry_doc(cls, type, updated_at);"
    "CREATE TABLE registry_record_area(area TEXT NOT NULL, rid INTEGER NOT NULL,"
    " PRIMARY KEY(area, rid)) WITHOUT ROWID;"
    "CREATE TABLE registry_record_nation(nation TEXT NOT NULL, rid INTEGER NOT NULL,"
    " PRIMARY KEY(nation, rid)) WITHOUT ROWID;"
    "CREATE VIRTUAL TABLE registry_fts USING fts5(title, summary, body,"
    " content='registry_record', content_rowid='rid', tokenize='porter unicode61');"
    "CREATE TRIGGER registry_record_ai AFTER INSERT ON registry_record BEGIN"
    " INSERT INTO registry_fts(rowid, title, summary, body) VALUES (new.rid, new.title, new.summary, new.body);"
    " INSERT INTO registry_doc(rid, cls, type, start, end_, updated_at)"
    " VALUES (new.rid, new.cls, new.type, new.start, new.end_, new.updated_at);"
    " END;"
    "CREATE TRIGGER registry_record_ad AFTER DELETE ON registry_record BEGIN"
    " INSERT INTO registry_fts(registry_fts, rowid, title, summary, body)"
    " VALUES ('delete', old.rid, old.title, old.summary, old.body);"
    " DELETE FROM registry_doc WHERE rid = old.rid;"
    " DELETE FROM registry_record_area WHERE rid = old.rid;"
    " DELETE FROM registry_record_nation WHERE rid = old.rid;"
    " END;"
    "INSERT INTO registry_meta(key, value) VALUES ('schema', '1');";

int aib__registry_dberr(aib_registry_t *r, const char *what, aib_diag_t *diag)
{
    aib_diag_set(diag, "registry", 0, 0, "%s: %s", what, sqlite3_errmsg(r->db));
    return AIB_EIO;
}

int aib__registry_exec(aib_registry_t *r, const char *sql, aib_diag_t *diag)
{
    char *err = NULL;

    if (sqlite3_exec(r->db, sql, NULL, NULL, &err) != SQLITE_OK) {
        aib_diag_set(diag, "registry", 0, 0, "%s", err ? err : "database error");
        sqlite3_free(err);
        return AIB_EIO;
    }
    return 0;
}

int aib__registry_prepare(aib_registry_t *r, const char *sql, sqlite3_stmt **st, aib_diag_t *diag)
{
    if (sqlite3_prepare_v2(r->db, sql, -1, st, NULL) != SQLITE_OK) {
        aib_diag_set(diag, "registry", 0, 0, "prepare: %s", sqlite3_errmsg(r->db));
        *st = NULL;
        return AIB_EINTERNAL;
    }
    return 0;
}

int64_t aib__registry_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int aib__registry_db_init(aib_registry_t *r, aib_diag_t *diag)
{
    sqlite3_stmt *st = NULL;
    int rc, have = 0;

    if ((rc = aib__registry_exec(r, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                                    " PRAGMA foreign_keys=ON;", diag)))
        return rc;
    if ((rc = aib__registry_exec(r, "BEGIN IMMEDIATE", diag)))
        return rc;
    rc = aib__registry_prepare(r, "SELECT 1 FROM sqlite_master WHERE name = 'registry_meta'", &st, diag);
    if (rc)
        goto done;
    have = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    st = NULL;
    if (have) {
        rc = aib__registry_prepare(r, "SELECT value FROM registry_meta WHERE key = 'schema'", &st, diag);
        if (rc)
            goto done;
        if (sqlite3_step(st) != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(st, 0), "1")) {
            aib_diag_set(diag, "registry", 0, 0,
                         "registry tables have an unknown schema version (newer than this build?)");
            rc = AIB_EINVAL;
            goto done;
        }
    } else if ((rc = aib__registry_exec(r, schema_v1, diag))) {
        goto done;
    }
    /* Release decisions are taken on a date (memberships change): a new day starts afresh. */
    sqlite3_finalize(st);
    st = NULL;
    rc = aib__registry_prepare(r, "SELECT value FROM registry_meta WHERE key = 'grants_date'", &st, diag);
    if (rc)
        goto done;
    if (sqlite3_step(st) != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(st, 0), r->today)) {
        sqlite3_finalize(st);
        st = NULL;
        if ((rc = aib__registry_exec(r, "DELETE FROM registry_grant", diag)))
            goto done;
        rc = aib__registry_prepare(r, "INSERT OR REPLACE INTO registry_meta(key, value) VALUES ('grants_date', ?1)",
                                   &st, diag);
        if (rc)
            goto done;
        sqlite3_bind_text(st, 1, r->today, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = aib__registry_dberr(r, "grants date", diag);
            goto done;
        }
    }
    rc = 0;
done:
    sqlite3_finalize(st);
    if (rc == 0)
        rc = aib__registry_exec(r, "COMMIT", diag);
    else
        aib__registry_exec(r, "ROLLBACK", NULL);
    if (rc == 0)
        rc = aib__registry_exec(r, "CREATE TEMP TABLE IF NOT EXISTS rg_allowed(cls INTEGER PRIMARY KEY)", diag);
    return rc;
}

/* The text searched besides title and summary: areas (with their names), performer, participating
 * nations and the string values of details. */
static int body_text(const aib_registry_t *r, const aib_registry_record_t *rec, aib_buf_t *b)
{
    size_t i, k;
    int rc = 0;
    const char *p;

    for (i = 0; !rc && i < rec->n_areas; i++) {
        rc = aib_buf_printf(b, "%s ", rec->areas[i]);
        for (k = 0; !rc && k < aib_registry_taxonomy_count(r->tax); k++) {
            const char *name, *id = aib_registry_taxonomy_area(r->tax, k, &name, NULL);
            if (!strcmp(id, rec->areas[i]))
                rc = aib_buf_printf(b, "%s ", name);
        }
    }
    for (i = 0; !rc && i < rec->n_nations; i++)
        rc = aib_buf_printf(b, "%s ", rec->nations[i]);
    if (!rc)
        rc = aib_buf_printf(b, "%s %s ", rec->nation, rec->performer);
    /* details JSON: keep the letters and digits, the punctuation is noise for the tokenizer */
    for (p = rec->details; !rc && p && *p; p++)
        rc = aib_buf_putc(b, (*p == '"' || *p == '{' || *p == '}' || *p == '[' || *p == ']' || *p == ':'
                              || *p == ',') ? ' ' : *p);
    return rc;
}

int aib__registry_store_record(aib_registry_t *r, const aib_registry_record_t *rec, int64_t cls,
                               const char *received_from, bool replace, aib_diag_t *diag)
{
    sqlite3_stmt *st = NULL;
    aib_buf_t json, body, sigtext;
    aib_arena_t *arena = aib_arena_new(0);
    const char **terms;
    size_t n_terms, i;
    uint32_t sig[AIB__REG_MINHASH];
    int64_t rid = 0;
    int rc;

    aib_buf_init(&json);
    aib_buf_init(&body);
    aib_buf_init(&sigtext);
    if (!arena) {
        rc = AIB_ENOMEM;
        goto done;
    }
    if ((rc = aib_registry_record_json(rec, &json)) || (rc = body_text(r, rec, &body))
        || (rc = aib_buf_printf(&sigtext, "%s\n%s", rec->title, rec->summary)))
        goto done;
    if ((rc = aib__registry_terms(sigtext.data, sigtext.len, arena, &terms, &n_terms)))
        goto done;
    aib__registry_minhash(terms, n_terms, sig);
    if (replace) {
        rc = aib__registry_prepare(r, "DELETE FROM registry_record WHERE id = ?1", &st, diag);
        if (rc)
            goto done;
        sqlite3_bind_text(st, 1, rec->id, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = aib__registry_dberr(r, "replace record", diag);
            goto done;
        }
        sqlite3_finalize(st);
        st = NULL;
    }
    rc = aib__registry_prepare(r,
        "INSERT INTO registry_record(id, type, nation, cls, label, title, summary, body, start, end_,"
        " updated_at, origin, received_from, json, sig) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)",
        &st, diag);
    if (rc)
        goto done;
    sqlite3_bind_text(st, 1, rec->id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, (int)rec->type);
    sqlite3_bind_text(st, 3, rec->nation, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, cls);
    sqlite3_bind_text(st, 5, rec->label, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, rec->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, rec->summary, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, body.data ? body.data : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, rec->start ? rec->start : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, rec->end ? rec->end : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 11, rec->updated_at);
    sqlite3_bind_text(st, 12, rec->origin ? rec->origin : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 13, received_from ? received_from : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 14, json.data, (int)json.len, SQLITE_STATIC);
    sqlite3_bind_blob(st, 15, sig, (int)sizeof(sig), SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        if (sqlite3_extended_errcode(r->db) == SQLITE_CONSTRAINT_UNIQUE) {
            aib_diag_set(diag, "record", 0, 0, "id: `%s` already exists", rec->id);
            rc = AIB_EEXIST;
        } else {
            rc = aib__registry_dberr(r, "insert record", diag);
        }
        goto done;
    }
    rid = sqlite3_last_insert_rowid(r->db);
    sqlite3_finalize(st);
    st = NULL;
    rc = aib__registry_prepare(r, "INSERT OR IGNORE INTO registry_record_area(area, rid) VALUES (?1, ?2)", &st, diag);
    if (rc)
        goto done;
    for (i = 0; i < rec->n_areas; i++) {
        const char *a = rec->areas[i];
        /* a record in "quantum.pnt" is also found under "quantum" */
        const char *dot = strchr(a, '.');
        sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, rid);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = aib__registry_dberr(r, "insert area", diag);
            goto done;
        }
        sqlite3_reset(st);
        if (dot) {
            sqlite3_bind_text(st, 1, a, (int)(dot - a), SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_DONE) {
                rc = aib__registry_dberr(r, "insert area", diag);
                goto done;
            }
            sqlite3_reset(st);
        }
    }
    sqlite3_finalize(st);
    st = NULL;
    rc = aib__registry_prepare(r, "INSERT OR IGNORE INTO registry_record_nation(nation, rid) VALUES (?1, ?2)", &st, diag);
    if (rc)
        goto done;
    for (i = 0; i <= rec->n_nations; i++) {
        sqlite3_bind_text(st, 1, i < rec->n_nations ? rec->nations[i] : rec->nation, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, rid);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = aib__registry_dberr(r, "insert nation", diag);
            goto done;
        }
        sqlite3_reset(st);
    }
    rc = 0;
done:
    sqlite3_finalize(st);
    aib_buf_free(&json);
    aib_buf_free(&body);
    aib_buf_free(&sigtext);
    aib_arena_free(arena);
    return rc;
}

int aib__registry_decode(const char *json, size_t len, aib_arena_t *arena,
                         aib_registry_record_t *out, aib_diag_t *diag)
{
    /* Stored rows were checked when written; the taxonomy is not needed to read them back. */
    return aib_registry_record_parse(NULL, json, len, arena, out, diag);
}

int aib__registry_audit(aib_registry_t *r, const aib_actor_t *who, const char *action,
                        const char *object, const char *detail, aib_diag_t *diag)
{
    aib_actor_t sys = { "registry", r->node, "" };

    if (!r->audit)
        return 0;
    return aib_store_audit_append(r->audit, who && who->person && who->person[0] ? who : &sys, action,
                                  object, detail, aib__registry_now_ms(), diag);
}
