/* migrations.c — versioned schema of the store for both backends. Entry v-1 of each array
 * brings a database from version v-1 to v; a migration is never edited once released, a new
 * version is appended instead. Both backends keep the same tables with the same column order so
 * backups (an SQLite file) restore into either. The audit table is append-only by trigger. */
#include "store_int.h"

#include <string.h>

static const char *const sqlite_migrations[] = {
    /* v1: cases, stage history, tags/routes, comments, attachments, tokens, audit chain */
    "CREATE TABLE cases ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, subtype TEXT NOT NULL, title TEXT NOT NULL,"
    " stage TEXT NOT NULL, owner TEXT NOT NULL, nation TEXT NOT NULL, fields TEXT NOT NULL,"
    " created_by TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
    " stage_since INTEGER NOT NULL, version INTEGER NOT NULL, closed INTEGER NOT NULL);"
    "CREATE INDEX cases_type ON cases(type, stage);"
    "CREATE INDEX cases_nation ON cases(nation);"
    "CREATE TABLE case_release ("
    " case_id TEXT NOT NULL REFERENCES cases(id), nation TEXT NOT NULL,"
    " PRIMARY KEY (case_id, nation));"
    "CREATE INDEX case_release_nation ON case_release(nation, case_id);"
    "CREATE TABLE case_stages ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, case_id TEXT NOT NULL REFERENCES cases(id),"
    " stage TEXT NOT NULL, owner TEXT NOT NULL, entered_at INTEGER NOT NULL,"
    " left_at INTEGER NOT NULL, by_whom TEXT NOT NULL, note TEXT NOT NULL);"
    "CREATE INDEX case_stages_case ON case_stages(case_id);"
    "CREATE TABLE case_tags ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, case_id TEXT NOT NULL REFERENCES cases(id),"
    " kind TEXT NOT NULL, value TEXT NOT NULL, policy_id TEXT NOT NULL, at INTEGER NOT NULL);"
    "CREATE INDEX case_tags_case ON case_tags(case_id);"
    "CREATE INDEX case_tags_value ON case_tags(value);"
    "CREATE TABLE case_comments ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, case_id TEXT NOT NULL REFERENCES cases(id),"
    " author TEXT NOT NULL, nation TEXT NOT NULL, body TEXT NOT NULL, at INTEGER NOT NULL);"
    "CREATE INDEX case_comments_case ON case_comments(case_id);"
    "CREATE TABLE case_attachments ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, case_id TEXT NOT NULL REFERENCES cases(id),"
    " name TEXT NOT NULL, ref TEXT NOT NULL, sha256 TEXT NOT NULL, media_type TEXT NOT NULL,"
    " added_by TEXT NOT NULL, at INTEGER NOT NULL);"
    "CREATE INDEX case_attachments_case ON case_attachments(case_id);"
    "CREATE TABLE tokens ("
    " id TEXT PRIMARY KEY, hash TEXT NOT NULL, nation TEXT NOT NULL, role TEXT NOT NULL,"
    " person TEXT NOT NULL, created_at INTEGER NOT NULL, revoked_at INTEGER NOT NULL);"
    "CREATE TABLE audit ("
    " seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, person TEXT NOT NULL, nation TEXT NOT NULL,"
    " role TEXT NOT NULL, action TEXT NOT NULL, object TEXT NOT NULL, detail TEXT NOT NULL,"
    " prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE INDEX audit_object ON audit(object, seq);"
    "CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL,"
    " hash TEXT NOT NULL);"
    "INSERT INTO audit_head VALUES (1, 0, '');"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;",
};

static const char *const pg_migrations[] = {
    "CREATE TABLE cases ("
    " seq BIGSERIAL PRIMARY KEY,"
    " id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, subtype TEXT NOT NULL, title TEXT NOT NULL,"
    " stage TEXT NOT NULL, owner TEXT NOT NULL, nation TEXT NOT NULL, fields TEXT NOT NULL,"
    " created_by TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " stage_since BIGINT NOT NULL, version BIGINT NOT NULL, closed INTEGER NOT NULL);"
    "CREATE INDEX cases_type ON cases(type, stage);"
    "CREATE INDEX cases_nation ON cases(nation);"
    "CREATE TABLE case_release ("
    " case_id TEXT NOT NULL REFERENCES cases(id), nation TEXT NOT NULL,"
    " PRIMARY KEY (case_id, nation));"
    "CREATE INDEX case_release_nation ON case_release(nation, case_id);"
    "CREATE TABLE case_stages ("
    " id BIGSERIAL PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id),"
    " stage TEXT NOT NULL, owner TEXT NOT NULL, entered_at BIGINT NOT NULL,"
    " left_at BIGINT NOT NULL, by_whom TEXT NOT NULL, note TEXT NOT NULL);"
    "CREATE INDEX case_stages_case ON case_stages(case_id);"
    "CREATE TABLE case_tags ("
    " id BIGSERIAL PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id),"
    " kind TEXT NOT NULL, value TEXT NOT NULL, policy_id TEXT NOT NULL, at BIGINT NOT NULL);"
    "CREATE INDEX case_tags_case ON case_tags(case_id);"
    "CREATE INDEX case_tags_value ON case_tags(value);"
    "CREATE TABLE case_comments ("
    " id BIGSERIAL PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id),"
    " author TEXT NOT NULL, nation TEXT NOT NULL, body TEXT NOT NULL, at BIGINT NOT NULL);"
    "CREATE INDEX case_comments_case ON case_comments(case_id);"
    "CREATE TABLE case_attachments ("
    " id BIGSERIAL PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id),"
    " name TEXT NOT NULL, ref TEXT NOT NULL, sha256 TEXT NOT NULL, media_type TEXT NOT NULL,"
    " added_by TEXT NOT NULL, at BIGINT NOT NULL);"
    "CREATE INDEX case_attachments_case ON case_attachments(case_id);"
    "CREATE TABLE tokens ("
    " id TEXT PRIMARY KEY, hash TEXT NOT NULL, nation TEXT NOT NULL, role TEXT NOT NULL,"
    " person TEXT NOT NULL, created_at BIGINT NOT NULL, revoked_at BIGINT NOT NULL);"
    "CREATE TABLE audit ("
    " seq BIGINT PRIMARY KEY, at BIGINT NOT NULL, person TEXT NOT NULL, nation TEXT NOT NULL,"
    " role TEXT NOT NULL, action TEXT NOT NULL, object TEXT NOT NULL, detail TEXT NOT NULL,"
    " prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE INDEX audit_object ON audit(object, seq);"
    "CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL,"
    " hash TEXT NOT NULL);"
    "INSERT INTO audit_head VALUES (1, 0, '');"
    "CREATE FUNCTION aib_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS"
    " $$BEGIN RAISE EXCEPTION 'audit log is append-only'; END$$;"
    "CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit"
    " FOR EACH ROW EXECUTE FUNCTION aib_audit_append_only();",
};

/* Restore empties the tables inside its transaction. SQLite: the guard triggers are dropped
 * and re-created in the same transaction; PostgreSQL: TRUNCATE does not fire row triggers. */
static const char sqlite_restore_clear[] =
    "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;"
    "DELETE FROM case_release; DELETE FROM case_stages; DELETE FROM case_tags;"
    "DELETE FROM case_comments; DELETE FROM case_attachments; DELETE FROM cases;"
    "DELETE FROM tokens; DELETE FROM audit; DELETE FROM audit_head;"
    "DELETE FROM sqlite_sequence;";
static const char sqlite_restore_done[] =
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;";
static const char pg_restore_clear[] =
    "TRUNCATE case_release, case_stages, case_tags, case_comments, case_attachments, cases,"
    " tokens, audit, audit_head;";
static const char pg_restore_done[] =
    "SELECT setval(pg_get_serial_sequence('cases','seq'), COALESCE((SELECT max(seq) FROM cases), 0) + 1, false);"
    "SELECT setval(pg_get_serial_sequence('case_stages','id'), COALESCE((SELECT max(id) FROM case_stages), 0) + 1, false);"
    "SELECT setval(pg_get_serial_sequence('case_tags','id'), COALESCE((SELECT max(id) FROM case_tags), 0) + 1, false);"
    "SELECT setval(pg_get_serial_sequence('case_comments','id'), COALESCE((SELECT max(id) FROM case_comments), 0) + 1, false);"
    "SELECT setval(pg_get_serial_sequence('case_attachments','id'), COALESCE((SELECT max(id) FROM case_attachments), 0) + 1, false);";

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const aib__schema_t sqlite_schema = {
    sqlite_migrations, N_OF(sqlite_migrations), sqlite_restore_clear, sqlite_restore_done,
};
static const aib__schema_t pg_schema = {
    pg_migrations, N_OF(pg_migrations), pg_restore_clear, pg_restore_done,
};

const aib__schema_t *aib__schema_for(const char *backend)
{
    if (!strcmp(backend, "sqlite"))
        return &sqlite_schema;
    if (!strcmp(backend, "postgres"))
        return &pg_schema;
    return NULL;
}
