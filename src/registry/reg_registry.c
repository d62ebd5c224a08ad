/* reg_registry.c — opening the registry (SQLite connection, taxonomy, release rules), transactions,
 * adding records and the release-filtered get. Search, dupes, match and handoff build on these
 * in their own files. */
#include "registry_int.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int find_taxonomy(const char *opt, char *out, size_t cap)
{
    const char *env = getenv("AIB_DATA_DIR");
    char exe[400];
    ssize_t n;
    int up;

    if (opt) {
        snprintf(out, cap, "%s", opt);
        return 0;
    }
    if (env && env[0]) {
        snprintf(out, cap, "%s/registry/taxonomy.json", env);
        if (access(out, R_OK) == 0)
            return 0;
    }
    snprintf(out, cap, "data/registry/taxonomy.json");
    if (access(out, R_OK) == 0)
        return 0;
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        for (up = 0; up < 4; up++) {
            char *slash = strrchr(exe, '/');
            if (!slash)
                break;
            *slash = '\0';
            snprintf(out, cap, "%s/data/registry/taxonomy.json", exe);
            if (access(out, R_OK) == 0)
                return 0;
        }
    }
    return AIB_ENOTFOUND;
}

int aib_registry_open(const aib_registry_opts_t *opts, aib_registry_t **out, aib_diag_t *diag)
{
    aib_registry_t *r = NULL;
    char path[1024];
    int rc;

    *out = NULL;
    if (!opts || !opts->db_path || !opts->node_nation || strlen(opts->node_nation) != 3) {
        aib_diag_set(diag, "registry", 0, 0, "a database path and the node's nation (alpha-3) are required");
        return AIB_EINVAL;
    }
    if (!(r = calloc(1, sizeof(*r))))
        return AIB_ENOMEM;
    memcpy(r->node, opts->node_nation, 3);
    aib_alliance_date_format(aib_alliance_date_today(), r->today, sizeof(r->today));
    r->audit = opts->audit;
    if (find_taxonomy(opts->taxonomy_path, path, sizeof(path))) {
        aib_diag_set(diag, "registry", 0, 0,
                     "taxonomy not found (set AIB_DATA_DIR or run from the source tree)");
        rc = AIB_ENOTFOUND;
        goto done;
    }
    if ((rc = aib_registry_taxonomy_load(path, &r->tax, diag)))
        goto done;
    if (opts->engine) {
        r->engine = opts->engine;
    } else {
        aib_determine_opts_t dopts;
        memset(&dopts, 0, sizeof(dopts));
        if ((rc = aib_determine_engine_open(&dopts, &r->engine, diag)))
            goto done;
        r->own_engine = true;
    }
    if (!aib_alliance_country(aib_determine_engine_alliance(r->engine), r->node)) {
        aib_diag_set(diag, "registry", 0, 0, "node nation `%s` is not a known country", r->node);
        rc = AIB_EINVAL;
        goto done;
    }
    if (sqlite3_open_v2(opts->db_path, &r->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        aib_diag_set(diag, opts->db_path, 0, 0, "cannot open: %s",
                     r->db ? sqlite3_errmsg(r->db) : "out of memory");
        rc = AIB_EIO;
        goto done;
    }
    sqlite3_busy_timeout(r->db, 10000);
    if ((rc = aib__registry_db_init(r, diag)))
        goto done;
    *out = r;
    r = NULL;
done:
    aib_registry_close(r);
    return rc;
}

void aib_registry_close(aib_registry_t *r)
{
    if (!r)
        return;
    if (r->db) {
        if (r->in_txn)
            sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close_v2(r->db);
    }
    if (r->own_engine)
        aib_determine_engine_free(r->engine);
    aib_registry_taxonomy_free(r->tax);
    free(r);
}

const aib_registry_taxonomy_t *aib_registry_taxonomy(const aib_registry_t *r)
{
    return r->tax;
}

int aib_registry_begin(aib_registry_t *r, aib_diag_t *diag)
{
    int rc;

    if (r->in_txn) {
        aib_diag_set(diag, "registry", 0, 0, "a transaction is already open");
        return AIB_EINVAL;
    }
    rc = aib__registry_exec(r, "BEGIN IMMEDIATE", diag);
    if (rc == 0)
        r->in_txn = 1;
    return rc;
}

int aib_registry_commit(aib_registry_t *r, aib_diag_t *diag)
{
    int rc;

    if (!r->in_txn) {
        aib_diag_set(diag, "registry", 0, 0, "no transaction is open");
        return AIB_EINVAL;
    }
    rc = aib__registry_exec(r, "COMMIT", diag);
    if (rc)
        aib__registry_exec(r, "ROLLBACK", NULL);
    r->in_txn = 0;
    /* The store's audit log is another connection to the same file: it can only be written once
     * this transaction has released the write lock, so a batch is audited as one entry. */
    if (rc == 0 && r->pending_adds) {
        char detail[64];
        snprintf(detail, sizeof(detail), "{\"records\":%zu}", r->pending_adds);
        rc = aib__registry_audit(r, &r->pending_who, "registry.add", "batch", detail, diag);
    }
    r->pending_adds = 0;
    return rc;
}

int aib_registry_reindex(aib_registry_t *r, aib_diag_t *diag)
{
    r->allowed_key[0] = '\0';
    return aib__registry_exec(r, "DELETE FROM registry_grant", diag);
}

int aib_registry_add(aib_registry_t *r, const aib_actor_t *who, const aib_registry_record_t *rec,
                     aib_diag_t *diag)
{
    aib_registry_record_t copy = *rec;
    int64_t cls = 0;
    size_t i;
    int rc, began = 0;
    char detail[160];

    if (!who || !who->person || !who->person[0]) {
        aib_diag_set(diag, "registry", 0, 0, "who: a person is required for the audit log");
        return AIB_EINVAL;
    }
    for (i = 0; i < rec->n_areas; i++)
        if (!aib_registry_taxonomy_has(r->tax, rec->areas[i])) {
            aib_diag_set(diag, "record", 0, 0, "areas[%zu]: unknown area `%s`", i, rec->areas[i]);
            return AIB_EINVAL;
        }
    if (!rec->n_areas) {
        aib_diag_set(diag, "record", 0, 0, "areas: at least one taxonomy area is required");
        return AIB_EINVAL;
    }
    copy.updated_at = rec->updated_at ? rec->updated_at : aib__registry_now_ms();
    copy.origin = rec->origin && rec->origin[0] ? rec->origin : r->node;
    copy.details = rec->details && rec->details[0] ? rec->details : "{}";
    if (!r->in_txn) {
        if ((rc = aib__registry_exec(r, "BEGIN IMMEDIATE", diag)))
            return rc;
        began = 1;
    }
    if ((rc = aib__registry_class(r, copy.label, copy.nation, &cls, diag)))
        goto done;
    rc = aib__registry_store_record(r, &copy, cls, "", false, diag);
done:
    if (began) {
        if (rc == 0)
            rc = aib__registry_exec(r, "COMMIT", diag);
        else
            aib__registry_exec(r, "ROLLBACK", NULL);
    }
    if (rc == 0 && !began) {
        if (r->pending_adds++ == 0) {
            snprintf(r->pending_person, sizeof(r->pending_person), "%s", who->person);
            snprintf(r->pending_nation, sizeof(r->pending_nation), "%s", who->nation ? who->nation : "");
            snprintf(r->pending_role, sizeof(r->pending_role), "%s", who->role ? who->role : "");
            r->pending_who.person = r->pending_person;
            r->pending_who.nation = r->pending_nation;
            r->pending_who.role = r->pending_role;
        }
    } else if (rc == 0) {
        snprintf(detail, sizeof(detail), "{\"type\":\"%s\",\"nation\":\"%s\"}", aib_registry_type_name(copy.type),
                 copy.nation);
        rc = aib__registry_audit(r, who, "registry.add", copy.id, detail, diag);
    }
    return rc;
}

int aib_registry_get(aib_registry_t *r, const aib_registry_requester_t *who, const char *id,
                     aib_arena_t *arena, aib_registry_record_t *out, aib_diag_t *diag)
{
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = aib__registry_allow(r, who, diag)))
        return rc;
    rc = aib__registry_prepare(r,
        "SELECT json FROM registry_record WHERE id = ?1 AND cls IN (SELECT cls FROM temp.rg_allowed)",
        &st, diag);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        rc = aib__registry_decode((const char *)sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0),
                                  arena, out, diag);
    } else {
        /* Absent and not releasable look the same: existence is itself information. */
        aib_diag_set(diag, "registry", 0, 0, "no record `%.80s`", id);
        rc = AIB_ENOTFOUND;
    }
    sqlite3_finalize(st);
    return rc;
}
