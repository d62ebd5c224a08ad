/* test_store.c — the store against each available backend (SQLite always, PostgreSQL when
 * AIB_TEST_PG is set): migrations, case records, paging, tokens, transactions, the audit chain
 * (including tampering from outside the store) and backup/restore. */
#include "test.h"
#include "test_store_util.h"

#include "aib/store.h"

#include <stdio.h>
#include <string.h>

static aib_actor_t admin = { "alice", "USA", "admin" };

/* Inserts a minimal case with id in stage "submitted". */
static int put_case(aib_store_t *s, const char *id, const char *nation, const char *const *rel,
                    size_t n_rel, int64_t at, aib_diag_t *d)
{
    aib_case_t c;
    aib_case_stage_t h = { "submitted", "intake", at, 0, "alice", "" };
    aib_case_tag_t tag = { "tag", "aukus", "tag-aukus", at };
    memset(&c, 0, sizeof(c));
    c.id = id; c.type = "export_licence"; c.subtype = "DSP-5"; c.title = "Radar parts";
    c.stage = "submitted"; c.owner = "intake"; c.nation = nation; c.fields = "{\"value_usd\":5}";
    c.released_to = rel; c.n_released_to = n_rel; c.created_by = "alice";
    c.created_at = c.updated_at = c.stage_since = at;
    c.history = &h; c.n_history = 1; c.tags = &tag; c.n_tags = 1;
    return aib_store_case_create(s, &admin, &c, d);
}

static int64_t audit_count(aib_store_t *s)
{
    aib_audit_report_t rep;
    aib_diag_t d;
    if (aib_store_audit_verify(s, &rep, &d))
        return -1;
    return rep.entries;
}

#define EACH_BACKEND(t, s)                                                        \
    for (int which_ = 0; which_ < tstore_backends(); which_++)                    \
        for (aib_store_t *s = tstore_open(&t, which_), *once_ = (aib_store_t *)1; \
             once_; tstore_done(&t, s), once_ = NULL)                             \
            if (!s) { CHECK(s != NULL); } else

TEST(store_migrate_idempotent)
{
    tstore_t t;
    EACH_BACKEND(t, s) {
        int from = -1, to = -1, v = 0;
        aib_diag_t d;
        CHECK_INT(aib_store_version(s, &v, &d), 0);
        CHECK_INT(v, AIB_STORE_SCHEMA_VERSION);
        CHECK_INT(aib_store_migrate(s, &from, &to, &d), 0);
        CHECK_INT(from, AIB_STORE_SCHEMA_VERSION);
        CHECK_INT(to, AIB_STORE_SCHEMA_VERSION);
        CHECK_INT(aib_store_ping(s, &d), 0);
    }
}

TEST(store_unmigrated_refused)
{
    char dir[] = "/tmp/aib-test-XXXXXX", path[128];
    aib_store_t *s = NULL;
    aib_case_list_t l;
    aib_arena_t *a = aib_arena_new(0);
    aib_diag_t d;
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/x.db", dir);
    CHECK_INT(aib_store_open_sqlite(path, &s, &d), 0);
    CHECK_INT(aib_store_case_list(s, NULL, a, &l, &d), AIB_EINVAL);
    CHECK(strstr(d.msg, "aib db migrate") != NULL);
    aib_store_close(s);
    unlink(path);
    rmdir(dir);
    aib_arena_free(a);
    CHECK_INT(aib_store_open(NULL, NULL, &s, &d), AIB_EINVAL);
    CHECK_INT(aib_store_open_sqlite("/nonexistent-dir/x/y.db", &s, &d), AIB_EIO);
}

TEST(store_case_roundtrip)
{
    tstore_t t;
    EACH_BACKEND(t, s) {
        aib_arena_t *a = aib_arena_new(0);
        aib_case_t c;
        aib_diag_t d;
        const char *rel[] = { "AUS", "GBR" };
        CHECK_INT(put_case(s, "C-1", "USA", rel, 2, 1000, &d), 0);
        CHECK_INT(aib_store_case_get(s, "C-1", a, &c, &d), 0);
        CHECK_STR(c.type, "export_licence");
        CHECK_STR(c.subtype, "DSP-5");
        CHECK_STR(c.fields, "{\"value_usd\":5}");
        CHECK_INT(c.n_released_to, 2);
        CHECK_STR(c.released_to[0], "AUS");
        CHECK_INT(c.n_history, 1);
        CHECK_INT(c.history[0].entered_at, 1000);
        CHECK_INT(c.n_tags, 1);
        CHECK_STR(c.tags[0].policy_id, "tag-aukus");
        CHECK_INT(c.version, 1);
        /* Duplicate id: refused, and the audit log has only the first create. */
        CHECK_INT(put_case(s, "C-1", "USA", NULL, 0, 2000, &d), AIB_EEXIST);
        CHECK_STR(d.file, "id");
        CHECK_INT(audit_count(s), 1);
        CHECK_INT(aib_store_case_get(s, "C-404", a, &c, &d), AIB_ENOTFOUND);
        aib_arena_free(a);
    }
}

TEST(store_case_nothing_partial)
{
    tstore_t t;
    EACH_BACKEND(t, s) {
        aib_arena_t *a = aib_arena_new(0);
        aib_case_t c;
        aib_case_stage_t h = { "submitted", "intake", 1, 0, "alice", "" };
        aib_case_tag_t bad = { "label", "x", "p", 1 }; /* kind must be tag or route */
        aib_diag_t d;
        memset(&c, 0, sizeof(c));
        c.id = "C-2"; c.type = "export_licence"; c.title = "t"; c.stage = "submitted";
        c.owner = "intake"; c.nation = "USA"; c.history = &h; c.n_history = 1;
        c.tags = &bad; c.n_tags = 1;
        /* The failure comes after the case row and history are inserted: all rolled back. */
        CHECK_INT(aib_store_case_create(s, &admin, &c, &d), AIB_EINVAL);
        CHECK(strstr(d.msg, "kind") != NULL);
        CHECK_INT(aib_store_case_get(s, "C-2", a, &c, &d), AIB_ENOTFOUND);
        CHECK_INT(audit_count(s), 0);
        /* An actor without a person cannot write (the audit entry would be anonymous). */
        {
            aib_actor_t anon = { "", "USA", "x" };
            CHECK_INT(aib_store_audit_append(s, &anon, "x", "y", NULL, 1, &d), AIB_EINVAL);
        }
        aib_arena_free(a);
    }
}

TEST(store_transition_comment_attach)
{
    tstore_t t;
    EACH_BACKEND(t, s) {
        aib_arena_t *a = aib_arena_new(0);
        aib_case_t c;
        aib_case_attachment_t att = { 0, "Spec", "s3://b/k", "", "application/pdf", NULL, 0 };
        aib_case_tag_t tg = { "tag", "excluded-technology", "tag-etl", 0 };
        int64_t cid = 0;
        aib_diag_t d;
        CHECK_INT(put_case(s, "C-3", "USA", NULL, 0, 1000, &d), 0);
        CHECK_INT(aib_store_case_transition(s, &admin, "C-3", "submitted", "ddtc-review", "officer", 0,
                                            "alice", "ok", 5000, &tg, 1, &d), 0);
        /* Stale "from": someone else moved the case. */
        CHECK_INT(aib_store_case_transition(s, &admin, "C-3", "submitted", "denied", "x", 1, "alice",
                                            "", 6000, NULL, 0, &d), AIB_EEXIST);
        CHECK_INT(aib_store_case_transition(s, &admin, "C-404", "a", "b", "x", 0, "alice", "", 6000,
                                            NULL, 0, &d), AIB_ENOTFOUND);
        CHECK_INT(aib_store_case_comment(s, &admin, "C-3", "Looks fine", 7000, &cid, &d), 0);
        CHECK(cid > 0);
        CHECK_INT(aib_store_case_attach(s, &admin, "C-3", &att, 8000, NULL, &d), 0);
        CHECK_INT(aib_store_case_comment(s, &admin, "C-404", "x", 7000, NULL, &d), AIB_ENOTFOUND);
        CHECK_INT(aib_store_case_get(s, "C-3", a, &c, &d), 0);
        CHECK_STR(c.stage, "ddtc-review");
        CHECK_INT(c.stage_since, 5000);
        CHECK_INT(c.n_history, 2);
        CHECK_INT(c.history[0].left_at, 5000);
        CHECK_INT(c.history[1].left_at, 0);
        CHECK_STR(c.history[1].note, "ok");
        CHECK_INT(c.n_tags, 2);
        CHECK_INT(c.n_comments, 1);
        CHECK_STR(c.comments[0].body, "Looks fine");
        CHECK_STR(c.comments[0].nation, "USA");
        CHECK_INT(c.n_attachments, 1);
        CHECK_STR(c.attachments[0].ref, "s3://b/k");
        CHECK_INT(c.version, 4);
        CHECK_INT(c.updated_at, 8000);
        CHECK_INT(audit_count(s), 4);
        aib_arena_free(a);
    }
}

TEST(store_list_filters_and_paging)
{
    tstore_t t;
    EACH_BACKEND(t, s) {
        aib_arena_t *a = aib_arena_new(0);
        aib_case_filter_t f;
        aib_case_list_t l;
        aib_diag_t d;
        char id[16], seen[64] = "";
        const char *gbr[] = { "GBR" };
        int i, pages = 0, total = 0;
        for (i = 0; i < 7; i++) {
            snprintf(id, sizeof(id), "C-%d", i);
            CHECK_INT(put_case(s, id, i % 2 ? "AUS" : "USA", i == 2 ? gbr : NULL, i == 2, 100 + i, &d), 0);
        }
        memset(&f, 0, sizeof(f));
        f.limit = 3;
        do {
            CHECK_INT(aib_store_case_list(s, &f, a, &l, &d), 0);
            for (i = 0; i < (int)l.n; i++) {
                strncat(seen, l.items[i].id + 2, sizeof(seen) - strlen(seen) - 1);
                CHECK(l.items[i].history == NULL);
            }
            total += (int)l.n;
            pages++;
            f.cursor = aib_arena_strndup(a, l.next_cursor, strlen(l.next_cursor));
        } while (l.next_cursor[0] && pages < 10);
        CHECK_INT(total, 7);
        CHECK_INT(pages, 3);
        CHECK_STR(seen, "6543210"); /* newest first, no repeats */
        memset(&f, 0, sizeof(f));
        f.visible_to = "GBR";
        CHECK_INT(aib_store_case_list(s, &f, a, &l, &d), 0);
        CHECK_INT(l.n, 1);
        CHECK_STR(l.items[0].id, "C-2");
        CHECK_INT(l.items[0].n_released_to, 1);
        f.visible_to = "AUS";
        CHECK_INT(aib_store_case_list(s, &f, a, &l, &d), 0);
        CHECK_INT(l.n, 3);
        memset(&f, 0, sizeof(f));
        f.nation = "USA";
        f.tag = "aukus";
        f.open_only = 1;
        CHECK_INT(aib_store_case_list(s, &f, a, &l, &d), 0);
        CHECK_INT(l.n, 4);
        f.tag = "nothing";
        CHECK_INT(aib_store_case_list(s, &f, a, &l, &d), 0);
        CHECK_INT(l.n, 0);
        memset(&f, 0, sizeof(f));
        f.cursor = "abc";
        CHECK_INT(aib_store_case_list(s, &f, a, &l, &d), AIB_EINVAL);
        CHECK_STR(d.file, "cursor");
        /* SQL metacharacters in a filter are data, never SQL. */
        memset(&f, 0, sizeof(f));
        f.type = "x' OR '1'='1";
        CHECK_INT(aib_store_case_list(s, &f, a, &l, &d), 0);
        CHECK_INT(l.n, 0);
        aib_arena_free(a);
    }
}

TEST(store_tokens)
{
    tstore_t t;
    EACH_BACKEND(t, s) {
        aib_arena_t *a = aib_arena_new(0);
        aib_token_rec_t tok = { "0123456789abcdef", "$argon2id$v=19$m=65536,t=2,p=1$x$y", "GBR",
                                "analyst", "bob", 42, 0 }, got;
        int64_t n = -1;
        aib_diag_t d;
        aib_audit_entry_t *e;
        size_t ne;
        CHECK_INT(aib_store_token_count(s, &n, &d), 0);
        CHECK_INT(n, 0);
        CHECK_INT(aib_store_token_insert(s, &admin, &tok, &d), 0);
        CHECK_INT(aib_store_token_insert(s, &admin, &tok, &d), AIB_EEXIST);
        CHECK_INT(aib_store_token_get(s, "0123456789abcdef", a, &got, &d), 0);
        CHECK_STR(got.hash, tok.hash);
        CHECK_STR(got.nation, "GBR");
        CHECK_STR(got.person, "bob");
        CHECK_INT(got.created_at, 42);
        CHECK_INT(aib_store_token_count(s, &n, &d), 0);
        CHECK_INT(n, 1);
        CHECK_INT(aib_store_token_revoke(s, &admin, "0123456789abcdef", 50, &d), 0);
        CHECK_INT(aib_store_token_revoke(s, &admin, "0123456789abcdef", 51, &d), AIB_ENOTFOUND);
        CHECK_INT(aib_store_token_get(s, "0123456789abcdef", a, &got, &d), 0);
        CHECK_INT(got.revoked_at, 50);
        CHECK_INT(aib_store_token_count(s, &n, &d), 0);
        CHECK_INT(n, 0);
        CHECK_INT(aib_store_token_get(s, "nope", a, &got, &d), AIB_ENOTFOUND);
        tok.nation = "";
        CHECK_INT(aib_store_token_insert(s, &admin, &tok, &d), AIB_EINVAL);
        CHECK_STR(d.file, "nation");
        /* The audit log records the token but never its hash. */
        CHECK_INT(aib_store_audit_list(s, 0, 0, "0123456789abcdef", a, &e, &ne, &d), 0);
        CHECK_INT(ne, 2);
        CHECK_STR(e[0].action, "token.create");
        CHECK(strstr(e[0].detail, "argon2") == NULL);
        CHECK_STR(e[1].action, "token.revoke");
        aib_arena_free(a);
    }
}

TEST(store_transactions)
{
    tstore_t t;
    EACH_BACKEND(t, s) {
        aib_arena_t *a = aib_arena_new(0);
        aib_case_t c;
        aib_diag_t d;
        CHECK_INT(aib_store_begin(s, &d), 0);
        CHECK_INT(aib_store_begin(s, &d), AIB_EINVAL);
        CHECK_INT(put_case(s, "C-a", "USA", NULL, 0, 1, &d), 0);
        CHECK_INT(put_case(s, "C-b", "USA", NULL, 0, 1, &d), 0);
        CHECK_INT(aib_store_rollback(s), 0);
        CHECK_INT(aib_store_case_get(s, "C-a", a, &c, &d), AIB_ENOTFOUND);
        CHECK_INT(audit_count(s), 0);
        CHECK_INT(aib_store_begin(s, &d), 0);
        CHECK_INT(put_case(s, "C-a", "USA", NULL, 0, 1, &d), 0);
        CHECK_INT(put_case(s, "C-b", "USA", NULL, 0, 1, &d), 0);
        CHECK_INT(aib_store_commit(s, &d), 0);
        CHECK_INT(aib_store_case_get(s, "C-b", a, &c, &d), 0);
        CHECK_INT(audit_count(s), 2);
        /* A failed write inside a transaction poisons it: commit refuses and rolls back. */
        CHECK_INT(aib_store_begin(s, &d), 0);
        CHECK_INT(put_case(s, "C-c", "USA", NULL, 0, 1, &d), 0);
        CHECK_INT(put_case(s, "C-a", "USA", NULL, 0, 1, &d), AIB_EEXIST);
        CHECK_INT(aib_store_commit(s, &d), AIB_EINVAL);
        CHECK_INT(aib_store_case_get(s, "C-c", a, &c, &d), AIB_ENOTFOUND);
        CHECK_INT(aib_store_commit(s, &d), AIB_EINVAL); /* none open */
        aib_arena_free(a);
    }
}

TEST(store_audit_chain_detects_tampering)
{
    tstore_t t;
    EACH_BACKEND(t, s) {
        aib_arena_t *a = aib_arena_new(0);
        aib_audit_report_t rep;
        aib_audit_entry_t *e;
        size_t n;
        aib_diag_t d;
        int i;
        char id[8];
        int pg = t.backend[0] == 'p';
        const char *unguard = pg ? "ALTER TABLE audit DISABLE TRIGGER USER"
                                 : "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete";
        for (i = 0; i < 5; i++) {
            snprintf(id, sizeof(id), "C-%d", i);
            CHECK_INT(put_case(s, id, "USA", NULL, 0, 10 + i, &d), 0);
        }
        CHECK_INT(aib_store_audit_verify(s, &rep, &d), 0);
        CHECK_INT(rep.ok, 1);
        CHECK_INT(rep.entries, 5);
        CHECK_INT(strlen(rep.head_hash), 64);
        CHECK_INT(aib_store_audit_list(s, 1, 2, NULL, a, &e, &n, &d), 0);
        CHECK_INT(n, 2);
        CHECK_INT(e[0].seq, 2);
        CHECK_STR(e[0].object, "C-1");
        CHECK_STR(e[1].prev_hash, e[0].hash);
        /* The guard refuses in-place edits, even from raw SQL. */
        CHECK(!raw_exec(&t, "UPDATE audit SET detail = '{}' WHERE seq = 2"));
        CHECK(!raw_exec(&t, "DELETE FROM audit WHERE seq = 2"));
        /* An intruder who removes the guard: alteration is found. */
        CHECK(raw_exec(&t, unguard));
        CHECK(raw_exec(&t, "UPDATE audit SET person = 'mallory' WHERE seq = 3"));
        CHECK_INT(aib_store_audit_verify(s, &rep, &d), 0);
        CHECK_INT(rep.ok, 0);
        CHECK_INT(rep.bad_seq, 3);
        CHECK(strstr(rep.problem, "altered") != NULL);
        CHECK(raw_exec(&t, "UPDATE audit SET person = 'alice' WHERE seq = 3"));
        CHECK_INT(aib_store_audit_verify(s, &rep, &d), 0);
        CHECK_INT(rep.ok, 1);
        /* Reordering two entries' contents. */
        CHECK(raw_exec(&t, "UPDATE audit SET object = CASE object WHEN 'C-1' THEN 'C-2' ELSE 'C-1' END"
                           " WHERE seq IN (2, 3)"));
        CHECK_INT(aib_store_audit_verify(s, &rep, &d), 0);
        CHECK_INT(rep.ok, 0);
        CHECK_INT(rep.bad_seq, 2);
        CHECK(raw_exec(&t, "UPDATE audit SET object = CASE object WHEN 'C-1' THEN 'C-2' ELSE 'C-1' END"
                           " WHERE seq IN (2, 3)"));
        /* A missing entry in the middle. */
        CHECK(raw_exec(&t, "CREATE TABLE saved AS SELECT * FROM audit WHERE seq = 4"));
        CHECK(raw_exec(&t, "DELETE FROM audit WHERE seq = 4"));
        CHECK_INT(aib_store_audit_verify(s, &rep, &d), 0);
        CHECK_INT(rep.ok, 0);
        CHECK_INT(rep.bad_seq, 4);
        CHECK(strstr(rep.problem, "missing") != NULL);
        CHECK(raw_exec(&t, "INSERT INTO audit SELECT * FROM saved; DROP TABLE saved"));
        CHECK_INT(aib_store_audit_verify(s, &rep, &d), 0);
        CHECK_INT(rep.ok, 1);
        /* The missing last entry: the head still records it. */
        CHECK(raw_exec(&t, "DELETE FROM audit WHERE seq = 5"));
        CHECK_INT(aib_store_audit_verify(s, &rep, &d), 0);
        CHECK_INT(rep.ok, 0);
        CHECK_INT(rep.bad_seq, 5);
        aib_arena_free(a);
    }
}

TEST(store_backup_restore)
{
    tstore_t t;
    EACH_BACKEND(t, s) {
        aib_arena_t *a = aib_arena_new(0);
        aib_case_t c;
        aib_case_list_t l;
        aib_audit_report_t rep;
        aib_diag_t d;
        char bk[200], bad[200];
        snprintf(bk, sizeof(bk), "%s/backup.db", t.dir);
        snprintf(bad, sizeof(bad), "%s/bad.db", t.dir);
        CHECK_INT(put_case(s, "C-1", "USA", NULL, 0, 1, &d), 0);
        CHECK_INT(aib_store_case_comment(s, &admin, "C-1", "note", 2, NULL, &d), 0);
        CHECK_INT(aib_store_backup(s, bk, &d), 0);
        CHECK(access(bk, R_OK) == 0);
        CHECK_INT(put_case(s, "C-2", "USA", NULL, 0, 3, &d), 0);
        CHECK_INT(aib_store_restore(s, bk, &d), 0);
        CHECK_INT(aib_store_case_get(s, "C-2", a, &c, &d), AIB_ENOTFOUND);
        CHECK_INT(aib_store_case_get(s, "C-1", a, &c, &d), 0);
        CHECK_INT(c.n_comments, 1);
        CHECK_INT(aib_store_audit_verify(s, &rep, &d), 0);
        CHECK_INT(rep.ok, 1);
        CHECK_INT(rep.entries, 2);
        /* Writes continue after a restore (ids and the chain carry on). */
        CHECK_INT(put_case(s, "C-3", "USA", NULL, 0, 4, &d), 0);
        CHECK_INT(aib_store_case_comment(s, &admin, "C-3", "again", 5, NULL, &d), 0);
        CHECK_INT(aib_store_case_list(s, NULL, a, &l, &d), 0);
        CHECK_INT(l.n, 2);
        CHECK_INT(audit_count(s), 4);
        /* A backup whose audit log was altered is refused and the store is unchanged. */
        {
            tstore_t bt;
            memset(&bt, 0, sizeof(bt));
            bt.backend = "sqlite";
            snprintf(bt.path, sizeof(bt.path), "%s", bad);
            CHECK_INT(aib_store_backup(s, bad, &d), 0);
            CHECK(raw_exec(&bt, "DROP TRIGGER audit_no_update; UPDATE audit SET detail = '{}' WHERE seq = 1"));
            CHECK_INT(aib_store_restore(s, bad, &d), AIB_EINVAL);
            CHECK(strstr(d.msg, "audit") != NULL);
            CHECK_INT(aib_store_case_get(s, "C-3", a, &c, &d), 0);
        }
        CHECK_INT(aib_store_restore(s, "/nonexistent/backup.db", &d), AIB_EIO);
        aib_arena_free(a);
    }
}
