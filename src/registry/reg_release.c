/* reg_release.c — release classes and the allowed-class table. A record's releasability depends only
 * on its label and owning nation, so decisions are taken per distinct (label, nation) class by
 * the determinations engine's disclosure rules (policies/current or proposed) and cached in
 * registry_grant. For a requester the classes it may see are written to temp.rg_allowed, which
 * every read joins: the filter is part of the index lookup, never a pass over fetched rows. */
#include "registry_int.h"

#include <stdlib.h>
#include <string.h>

static int alpha3(const char *s)
{
    return s && strlen(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
           && s[2] >= 'A' && s[2] <= 'Z';
}

/* A disclosure request in the determinations engine's input format. */
static int request_json(aib_buf_t *b, const char *date, const char *regime, const char *cls,
                        const char *markings, const char *from, const char *to, const char *role)
{
    int rc = aib_buf_printf(b, "{\"date\":\"%s\",\"regime\":\"%s\",\"item\":{", date, regime);

    if (!rc && cls) {
        rc = aib_buf_puts(b, "\"classification\":");
        if (!rc)
            rc = aib_buf_json_str(b, cls, strlen(cls));
    }
    if (!rc && markings) {
        rc = aib_buf_puts(b, "\"markings\":");
        if (!rc)
            rc = aib_buf_json_str(b, markings, strlen(markings));
    }
    if (!rc)
        rc = aib_buf_printf(b, "},\"transfer\":{\"kind\":\"disclosure\",\"from\":\"%s\",\"to\":\"%s\"", from, to);
    if (!rc && role)
        rc = aib_buf_printf(b, ",\"end_user\":{\"kind\":\"%s\"}", role);
    if (!rc)
        rc = aib_buf_puts(b, "}}");
    return rc;
}

/* The engine's message without its "request: " framing, under our field name. */
static int field_error(aib_diag_t *diag, const char *field, const aib_diag_t *d)
{
    const char *m = d->msg, *colon = strstr(m, "markings: ");

    if (colon)
        m = colon + strlen("markings: ");
    aib_diag_set(diag, "record", 0, 0, "%s: %s", field, m);
    return AIB_EINVAL;
}

int aib__registry_level_rank(aib_registry_t *r, const char *level, int *rank, aib_diag_t *diag)
{
    aib_arena_t *arena = aib_arena_new(0);
    aib_determine_request_t *req = NULL;
    aib_buf_t b;
    aib_diag_t d;
    int rc;

    aib_buf_init(&b);
    aib_diag_clear(&d);
    if (!arena) {
        rc = AIB_ENOMEM;
        goto done;
    }
    if ((rc = request_json(&b, r->today, "current", level, NULL, r->node, r->node, NULL)))
        goto done;
    rc = aib_determine_request_parse(r->engine, b.data, b.len, arena, &req, &d);
    if (rc) {
        aib_diag_set(diag, "requester", 0, 0,
                     "clearance: `%.60s` is not a classification level the rules know", level);
        rc = AIB_EINVAL;
        goto done;
    }
    *rank = req->level;
done:
    aib_buf_free(&b);
    aib_arena_free(arena);
    return rc;
}

int aib__registry_class(aib_registry_t *r, const char *label, const char *nation, int64_t *cls,
                        aib_diag_t *diag)
{
    sqlite3_stmt *st = NULL;
    aib_arena_t *arena = NULL;
    aib_determine_request_t *req = NULL;
    aib_buf_t b;
    aib_diag_t d;
    int rc;

    aib_buf_init(&b);
    rc = aib__registry_prepare(r, "SELECT cls FROM registry_class WHERE label = ?1 AND nation = ?2", &st, diag);
    if (rc)
        goto done;
    sqlite3_bind_text(st, 1, label, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, nation, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *cls = sqlite3_column_int64(st, 0);
        goto done;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (!aib_alliance_country(aib_determine_engine_alliance(r->engine), nation)) {
        aib_diag_set(diag, "record", 0, 0, "nation: `%s` is not a country the alliance registry knows", nation);
        rc = AIB_EINVAL;
        goto done;
    }
    /* The rules' own marking parser judges the label: what it cannot read, it cannot release. */
    if (!(arena = aib_arena_new(0))) {
        rc = AIB_ENOMEM;
        goto done;
    }
    if ((rc = request_json(&b, r->today, "current", NULL, label, nation, nation, NULL)))
        goto done;
    aib_diag_clear(&d);
    if (aib_determine_request_parse(r->engine, b.data, b.len, arena, &req, &d)) {
        rc = field_error(diag, "label", &d);
        goto done;
    }
    rc = aib__registry_prepare(r, "INSERT INTO registry_class(label, nation, rank) VALUES (?1, ?2, ?3)", &st, diag);
    if (rc)
        goto done;
    sqlite3_bind_text(st, 1, label, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, nation, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, req->level);
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = aib__registry_dberr(r, "insert class", diag);
        goto done;
    }
    *cls = sqlite3_last_insert_rowid(r->db);
done:
    sqlite3_finalize(st);
    aib_buf_free(&b);
    aib_arena_free(arena);
    return rc;
}

typedef struct pending {
    int64_t cls;
    char *label;
    char nation[4];
} pending_t;

/* Decides every class that has no cached decision for (regime, nation, role). */
static int fill_grants(aib_registry_t *r, const char *regime, const char *nation, const char *role,
                       aib_diag_t *diag)
{
    sqlite3_stmt *st = NULL;
    pending_t *p = NULL;
    size_t n = 0, cap = 0, i;
    aib_arena_t *arena = NULL;
    aib_buf_t b;
    int rc, began = 0;

    aib_buf_init(&b);
    rc = aib__registry_prepare(r,
        "SELECT c.cls, c.label, c.nation FROM registry_class c WHERE c.nation <> ?2 AND NOT EXISTS"
        " (SELECT 1 FROM registry_grant g WHERE g.regime = ?1 AND g.nation = ?2 AND g.role = ?3"
        "  AND g.cls = c.cls)", &st, diag);
    if (rc)
        goto done;
    sqlite3_bind_text(st, 1, regime, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, nation, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, role, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 32;
            pending_t *np = realloc(p, nc * sizeof(*p));
            if (!np) {
                rc = AIB_ENOMEM;
                goto done;
            }
            p = np;
            cap = nc;
        }
        p[n].cls = sqlite3_column_int64(st, 0);
        p[n].label = strdup((const char *)sqlite3_column_text(st, 1));
        snprintf(p[n].nation, sizeof(p[n].nation), "%s", (const char *)sqlite3_column_text(st, 2));
        if (!p[n].label) {
            rc = AIB_ENOMEM;
            goto done;
        }
        n++;
    }
    if (rc != SQLITE_DONE) {
        rc = aib__registry_dberr(r, "classes", diag);
        goto done;
    }
    sqlite3_finalize(st);
    st = NULL;
    rc = 0;
    if (n == 0)
        goto done;
    if (!(arena = aib_arena_new(0))) {
        rc = AIB_ENOMEM;
        goto done;
    }
    if (!r->in_txn) {
        if ((rc = aib__registry_exec(r, "BEGIN IMMEDIATE", diag)))
            goto done;
        began = 1;
    }
    rc = aib__registry_prepare(r,
        "INSERT OR REPLACE INTO registry_grant(regime, nation, role, cls, allowed, rule) VALUES (?1,?2,?3,?4,?5,?6)",
        &st, diag);
    if (rc)
        goto done;
    for (i = 0; i < n; i++) {
        aib_determine_request_t *req = NULL;
        aib_determine_result_t res;
        aib_diag_t d;
        int allowed = 0;
        const char *rule = "unreadable-label";

        aib_buf_clear(&b);
        aib_arena_reset(arena);
        aib_diag_clear(&d);
        if ((rc = request_json(&b, r->today, regime, NULL, p[i].label, p[i].nation, nation, role)))
            goto done;
        /* A label the rules can no longer read (data changed) is simply not releasable. */
        if (aib_determine_request_parse(r->engine, b.data, b.len, arena, &req, &d) == 0) {
            memset(&res, 0, sizeof(res));
            if ((rc = aib_determine_run(r->engine, req, regime, arena, &res, diag)))
                goto done;
            allowed = res.outcome && !strcmp(res.outcome, "releasable");
            rule = res.n_rules ? res.rules[0] : "default";
        }
        sqlite3_bind_text(st, 1, regime, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, nation, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, role, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, p[i].cls);
        sqlite3_bind_int(st, 5, allowed);
        sqlite3_bind_text(st, 6, rule, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = aib__registry_dberr(r, "insert grant", diag);
            goto done;
        }
        sqlite3_reset(st);
    }
    rc = 0;
done:
    sqlite3_finalize(st);
    if (began) {
        if (rc == 0)
            rc = aib__registry_exec(r, "COMMIT", diag);
        else
            aib__registry_exec(r, "ROLLBACK", NULL);
    }
    for (i = 0; i < n; i++)
        free(p[i].label);
    free(p);
    aib_buf_free(&b);
    aib_arena_free(arena);
    return rc;
}

static int count_classes(aib_registry_t *r, int64_t *out, aib_diag_t *diag)
{
    sqlite3_stmt *st = NULL;
    int rc = aib__registry_prepare(r, "SELECT count(*) FROM registry_class", &st, diag);

    if (rc == 0) {
        if (sqlite3_step(st) == SQLITE_ROW)
            *out = sqlite3_column_int64(st, 0);
        else
            rc = aib__registry_dberr(r, "count classes", diag);
    }
    sqlite3_finalize(st);
    return rc;
}

int aib__registry_allow(aib_registry_t *r, const aib_registry_requester_t *who, aib_diag_t *diag)
{
    const char *role = who && who->role && who->role[0] ? who->role : "government";
    const char *regime = who && who->regime && who->regime[0] ? who->regime : "current";
    const char *clearance = who && who->clearance && who->clearance[0] ? who->clearance : "UNCLASSIFIED";
    char key[96];
    int64_t n_classes = 0;
    sqlite3_stmt *st = NULL;
    int rank = 0, rc;

    if (!who || !alpha3(who->nation)
        || !aib_alliance_country(aib_determine_engine_alliance(r->engine), who->nation)) {
        aib_diag_set(diag, "requester", 0, 0, "nation: expected a known alpha-3 country code");
        return AIB_EINVAL;
    }
    if (strcmp(role, "government") && strcmp(role, "company") && strcmp(role, "person")) {
        aib_diag_set(diag, "requester", 0, 0, "role: expected government, company or person");
        return AIB_EINVAL;
    }
    if (strcmp(regime, "current") && strcmp(regime, "proposed")) {
        aib_diag_set(diag, "requester", 0, 0, "regime: expected current or proposed");
        return AIB_EINVAL;
    }
    if ((rc = aib__registry_level_rank(r, clearance, &rank, diag)))
        return rc;
    if ((rc = count_classes(r, &n_classes, diag)))
        return rc;
    snprintf(key, sizeof(key), "%s|%s|%s|%d", regime, who->nation, role, rank);
    if (!strcmp(key, r->allowed_key) && n_classes == r->allowed_classes)
        return 0;
    r->allowed_key[0] = '\0';
    if ((rc = fill_grants(r, regime, who->nation, role, diag)))
        return rc;
    if ((rc = aib__registry_exec(r, "DELETE FROM temp.rg_allowed", diag)))
        return rc;
    /* The owning nation always sees its own records; others need a releasable decision. Both
     * need the clearance to reach the label's level. */
    rc = aib__registry_prepare(r,
        "INSERT INTO temp.rg_allowed(cls) SELECT c.cls FROM registry_class c WHERE c.rank <= ?4 AND"
        " (c.nation = ?2 OR EXISTS (SELECT 1 FROM registry_grant g WHERE g.regime = ?1 AND"
        "  g.nation = ?2 AND g.role = ?3 AND g.cls = c.cls AND g.allowed = 1))", &st, diag);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, regime, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, who->nation, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, role, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, rank);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = aib__registry_dberr(r, "allowed classes", diag);
    r->n_allowed = sqlite3_changes(r->db);
    sqlite3_finalize(st);
    if (rc == 0) {
        snprintf(r->allowed_key, sizeof(r->allowed_key), "%s", key);
        r->allowed_classes = n_classes;
    }
    return rc;
}
