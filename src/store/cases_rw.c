/* cases_rw.c — case records in the store: create, transition, update, comment, attach, get,
 * list with filters and keyset paging, and the stage visits metrics are computed from. Each write
 * is one transaction with its audit entry; the workflow rules (which transitions are valid,
 * routing) live in src/cases/, this file only keeps the records consistent. */
#include "store_int.h"

#include <stdio.h>
#include <string.h>

static const char *nz(const char *s) { return s ? s : ""; }

static int need(const char *v, const char *field, aib_diag_t *diag)
{
    if (!v || !*v) {
        aib_diag_set(diag, field, 0, 0, "%s: required", field);
        return AIB_EINVAL;
    }
    return AIB_OK;
}

/* Starts a write: fresh scratch, schema check, transaction. */
static int write_begin(aib_store_t *s, int *own, aib_diag_t *diag)
{
    int rc;
    aib_arena_reset(s->scratch);
    rc = aib__require_current(s, diag);
    if (rc)
        return rc;
    return aib__tx_start(s, own, diag);
}

static int json_kv(aib_buf_t *b, const char *key, const char *val, int first)
{
    if (!first && aib_buf_putc(b, ','))
        return AIB_ENOMEM;
    if (aib_buf_json_str(b, key, strlen(key)) || aib_buf_putc(b, ':'))
        return AIB_ENOMEM;
    return aib_buf_json_str(b, nz(val), strlen(nz(val)));
}

static int json_tags(aib_buf_t *b, const aib_case_tag_t *t, size_t n)
{
    size_t i;
    int rc = aib_buf_puts(b, ",\"tags\":[");
    for (i = 0; i < n && !rc; i++) {
        rc = (i && aib_buf_putc(b, ',')) || aib_buf_putc(b, '{') ||
             json_kv(b, "kind", t[i].kind, 1) || json_kv(b, "value", t[i].value, 0) ||
             json_kv(b, "policy", t[i].policy_id, 0) || aib_buf_putc(b, '}');
    }
    return rc || aib_buf_putc(b, ']') ? AIB_ENOMEM : AIB_OK;
}

static int insert_tags(aib_store_t *s, const char *id, const aib_case_tag_t *t, size_t n,
                       int64_t at, aib_diag_t *diag)
{
    size_t i;
    int rc = AIB_OK;
    for (i = 0; i < n && !rc; i++) {
        const char *p[5] = { id, nz(t[i].kind), nz(t[i].value), nz(t[i].policy_id),
                             aib__i64s(s, t[i].at ? t[i].at : at) };
        if (strcmp(p[1], "tag") != 0 && strcmp(p[1], "route") != 0) {
            aib_diag_set(diag, "tags", 0, 0, "tags[%zu].kind: must be \"tag\" or \"route\"", i);
            return AIB_EINVAL;
        }
        if ((rc = need(t[i].value, "tags.value", diag)) || (rc = need(t[i].policy_id, "tags.policy_id", diag)))
            return rc;
        rc = aib__q(s, "INSERT INTO case_tags (case_id, kind, value, policy_id, at) VALUES (?, ?, ?, ?, ?)",
                    p, 5, NULL, diag);
    }
    return rc;
}

static int insert_releases(aib_store_t *s, const char *id, const char *const *nations, size_t n,
                           aib_diag_t *diag)
{
    size_t i;
    int rc = AIB_OK;
    for (i = 0; i < n && !rc; i++) {
        const char *p[2] = { id, nations[i] };
        if ((rc = need(nations[i], "released_to", diag)))
            return rc;
        rc = aib__q(s, "INSERT INTO case_release (case_id, nation) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    p, 2, NULL, diag);
    }
    return rc;
}

int aib_store_case_create(aib_store_t *s, const aib_actor_t *who, const aib_case_t *c,
                          aib_diag_t *diag)
{
    aib_buf_t d;
    int rc, own = 0, started = 0;
    size_t i;
    const aib_case_stage_t *last;

    aib_buf_init(&d);
    if ((rc = need(c->id, "id", diag)) || (rc = need(c->type, "type", diag)) ||
        (rc = need(c->title, "title", diag)) || (rc = need(c->stage, "stage", diag)) ||
        (rc = need(c->owner, "owner", diag)) || (rc = need(c->nation, "nation", diag)))
        goto done;
    if (c->n_history == 0) {
        aib_diag_set(diag, "history", 0, 0, "history: at least the initial stage is required");
        rc = AIB_EINVAL;
        goto done;
    }
    last = &c->history[c->n_history - 1];
    if (last->left_at != 0 || strcmp(nz(last->stage), c->stage) != 0) {
        aib_diag_set(diag, "history", 0, 0, "history: the last visit must be the current stage, open");
        rc = AIB_EINVAL;
        goto done;
    }
    /* Audit detail: the case as created, without history (it is in the same entry's timing). */
    rc = (aib_buf_putc(&d, '{') || json_kv(&d, "type", c->type, 1) ||
          json_kv(&d, "subtype", c->subtype, 0) || json_kv(&d, "title", c->title, 0) ||
          json_kv(&d, "stage", c->stage, 0) || json_kv(&d, "owner", c->owner, 0) ||
          json_kv(&d, "nation", c->nation, 0) || aib_buf_puts(&d, ",\"released_to\":["))
             ? AIB_ENOMEM : AIB_OK;
    for (i = 0; i < c->n_released_to && !rc; i++)
        rc = (i && aib_buf_putc(&d, ',')) ||
             aib_buf_json_str(&d, nz(c->released_to[i]), strlen(nz(c->released_to[i])))
                 ? AIB_ENOMEM : AIB_OK;
    if (!rc)
        rc = (aib_buf_puts(&d, "],\"fields\":") || aib_buf_puts(&d, c->fields ? c->fields : "{}") ||
              json_tags(&d, c->tags, c->n_tags) || aib_buf_putc(&d, '}')) ? AIB_ENOMEM : AIB_OK;
    if (rc)
        goto done;

    rc = write_begin(s, &own, diag);
    if (rc)
        goto done;
    started = 1;
    {
        const char *p[14] = { c->id, c->type, nz(c->subtype), c->title, c->stage, c->owner,
                              c->nation, c->fields ? c->fields : "{}", nz(c->created_by),
                              aib__i64s(s, c->created_at), aib__i64s(s, c->updated_at),
                              aib__i64s(s, c->stage_since), aib__i64s(s, c->version ? c->version : 1),
                              c->closed ? "1" : "0" };
        rc = aib__q(s, "INSERT INTO cases (id, type, subtype, title, stage, owner, nation, fields,"
                       " created_by, created_at, updated_at, stage_since, version, closed)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", p, 14, NULL, diag);
        if (rc == AIB_EEXIST)
            aib_diag_set(diag, "id", 0, 0, "id: case `%s` already exists", c->id);
    }
    if (!rc)
        rc = insert_releases(s, c->id, c->released_to, c->n_released_to, diag);
    for (i = 0; i < c->n_history && !rc; i++) {
        const aib_case_stage_t *h = &c->history[i];
        const char *p[7] = { c->id, nz(h->stage), nz(h->owner), aib__i64s(s, h->entered_at),
                             aib__i64s(s, h->left_at), nz(h->by), nz(h->note) };
        rc = aib__q(s, "INSERT INTO case_stages (case_id, stage, owner, entered_at, left_at, by_whom,"
                       " note) VALUES (?, ?, ?, ?, ?, ?, ?)", p, 7, NULL, diag);
    }
    if (!rc)
        rc = insert_tags(s, c->id, c->tags, c->n_tags, c->created_at, diag);
    if (!rc)
        rc = aib__audit_append_tx(s, who, "case.create", c->id, d.data, c->created_at, diag);
done:
    if (started)
        rc = aib__tx_end(s, own, rc, diag);
    aib_buf_free(&d);
    return rc;
}

/* After an UPDATE matched nothing: is the case missing, or did its state move on? */
static int explain_miss(aib_store_t *s, const char *id, aib_diag_t *diag)
{
    aib__rows_t r;
    const char *p[1] = { id };
    int rc = aib__q(s, "SELECT stage FROM cases WHERE id = ?", p, 1, &r, diag);
    if (rc)
        return rc;
    if (r.n_rows == 0) {
        aib_diag_set(diag, "id", 0, 0, "no case with id `%s`", id);
        return AIB_ENOTFOUND;
    }
    aib_diag_set(diag, "stage", 0, 0, "case `%s` is now in stage `%s` (changed concurrently)", id,
                 nz(AIB__CELL(&r, 0, 0)));
    return AIB_EEXIST;
}

int aib_store_case_transition(aib_store_t *s, const aib_actor_t *who, const char *id,
                              const char *from, const char *to, const char *owner, int closed,
                              const char *by, const char *note, int64_t at,
                              const aib_case_tag_t *tags, size_t n_tags, aib_diag_t *diag)
{
    aib_buf_t d;
    int rc, own = 0, started = 0;
    int64_t changed = 0;

    aib_buf_init(&d);
    if ((rc = need(id, "id", diag)) || (rc = need(from, "from", diag)) || (rc = need(to, "to", diag)) ||
        (rc = need(owner, "owner", diag)))
        goto done;
    rc = (aib_buf_putc(&d, '{') || json_kv(&d, "from", from, 1) || json_kv(&d, "to", to, 0) ||
          json_kv(&d, "owner", owner, 0) || json_kv(&d, "by", by, 0) || json_kv(&d, "note", note, 0) ||
          json_tags(&d, tags, n_tags) || aib_buf_putc(&d, '}')) ? AIB_ENOMEM : AIB_OK;
    if (rc)
        goto done;
    rc = write_begin(s, &own, diag);
    if (rc)
        goto done;
    started = 1;
    {
        const char *p[7] = { to, owner, aib__i64s(s, at), closed ? "1" : "0", id, from };
        p[6] = NULL;
        rc = aib__q_changes(s, "UPDATE cases SET stage = ?, owner = ?, stage_since = ?,"
                               " updated_at = stage_since, version = version + 1, closed = ?"
                               " WHERE id = ? AND stage = ?", p, 6, &changed, diag);
    }
    if (!rc && changed != 1)
        rc = explain_miss(s, id, diag);
    if (!rc) {
        const char *p[2] = { aib__i64s(s, at), id };
        rc = aib__q(s, "UPDATE case_stages SET left_at = ? WHERE case_id = ? AND left_at = 0", p, 2,
                    NULL, diag);
    }
    if (!rc) {
        const char *p[7] = { id, to, owner, aib__i64s(s, at), "0", nz(by), nz(note) };
        rc = aib__q(s, "INSERT INTO case_stages (case_id, stage, owner, entered_at, left_at, by_whom,"
                       " note) VALUES (?, ?, ?, ?, ?, ?, ?)", p, 7, NULL, diag);
    }
    if (!rc)
        rc = insert_tags(s, id, tags, n_tags, at, diag);
    if (!rc)
        rc = aib__audit_append_tx(s, who, "case.transition", id, d.data, at, diag);
done:
    if (started)
        rc = aib__tx_end(s, own, rc, diag);
    aib_buf_free(&d);
    return rc;
}

/* Bumps version/updated_at; AIB_ENOTFOUND when the case does not exist. */
static int touch(aib_store_t *s, const char *id, int64_t at, aib_diag_t *diag)
{
    int64_t changed = 0;
    const char *p[2] = { aib__i64s(s, at), id };
    int rc = aib__q_changes(s, "UPDATE cases SET updated_at = ?, version = version + 1 WHERE id = ?",
                            p, 2, &changed, diag);
    if (!rc && changed != 1)
        rc = explain_miss(s, id, diag);
    return rc;
}

/* Starts a write a person makes on existing case id: the actor check, write_begin and touch.
 * *started is set once the transaction is open; the caller ends it with aib__tx_end. */
static int person_write_begin(aib_store_t *s, const aib_actor_t *who, const char *id, int64_t at,
                              int *own, int *started, aib_diag_t *diag)
{
    int rc;
    if (!who || !who->person) {
        aib_diag_set(diag, "actor", 0, 0, "actor: a person is required");
        return AIB_EINVAL;
    }
    rc = write_begin(s, own, diag);
    if (rc)
        return rc;
    *started = 1;
    return touch(s, id, at, diag);
}

int aib_store_case_update(aib_store_t *s, const aib_actor_t *who, const char *id,
                          const char *title, const char *fields, const char *const *released_to,
                          size_t n_released_to, const aib_case_tag_t *tags, size_t n_tags,
                          int64_t at, aib_diag_t *diag)
{
    aib_buf_t d;
    int rc, own = 0, started = 0;
    size_t i;

    aib_buf_init(&d);
    if ((rc = need(id, "id", diag)))
        goto done;
    if (title && !*title) {
        aib_diag_set(diag, "title", 0, 0, "title: must not be empty");
        rc = AIB_EINVAL;
        goto done;
    }
    /* Detail: only the parts that change; "changed" first so every later member has a comma. */
    rc = aib_buf_printf(&d, "{\"changed\":\"%s%s%s\"", title ? "title " : "", fields ? "fields " : "",
                        released_to ? "released_to" : "") ? AIB_ENOMEM : AIB_OK;
    if (!rc && title)
        rc = json_kv(&d, "title", title, 0);
    if (!rc && fields)
        rc = (aib_buf_puts(&d, ",\"fields\":") || aib_buf_puts(&d, fields)) ? AIB_ENOMEM : AIB_OK;
    if (!rc && released_to) {
        rc = aib_buf_puts(&d, ",\"released_to\":[") ? AIB_ENOMEM : AIB_OK;
        for (i = 0; i < n_released_to && !rc; i++)
            rc = (i && aib_buf_putc(&d, ',')) ||
                 aib_buf_json_str(&d, nz(released_to[i]), strlen(nz(released_to[i])))
                     ? AIB_ENOMEM : AIB_OK;
        if (!rc)
            rc = aib_buf_putc(&d, ']') ? AIB_ENOMEM : AIB_OK;
    }
    if (!rc)
        rc = json_tags(&d, tags, n_tags);
    if (!rc)
        rc = aib_buf_putc(&d, '}') ? AIB_ENOMEM : AIB_OK;
    if (rc)
        goto done;
    rc = write_begin(s, &own, diag);
    if (rc)
        goto done;
    started = 1;
    rc = touch(s, id, at, diag);
    if (!rc && (title || fields)) {
        const char *p[3] = { title, fields, id };
        rc = aib__q(s, "UPDATE cases SET title = COALESCE(?, title), fields = COALESCE(?, fields)"
                       " WHERE id = ?", p, 3, NULL, diag);
    }
    if (!rc && released_to) {
        const char *p[1] = { id };
        rc = aib__q(s, "DELETE FROM case_release WHERE case_id = ?", p, 1, NULL, diag);
        if (!rc)
            rc = insert_releases(s, id, released_to, n_released_to, diag);
    }
    if (!rc)
        rc = insert_tags(s, id, tags, n_tags, at, diag);
    if (!rc)
        rc = aib__audit_append_tx(s, who, "case.update", id, d.data, at, diag);
done:
    if (started)
        rc = aib__tx_end(s, own, rc, diag);
    aib_buf_free(&d);
    return rc;
}

int aib_store_case_comment(aib_store_t *s, const aib_actor_t *who, const char *id,
                           const char *body, int64_t at, int64_t *out_id, aib_diag_t *diag)
{
    aib_buf_t d;
    aib__rows_t r;
    int rc, own = 0, started = 0;

    aib_buf_init(&d);
    if ((rc = need(id, "id", diag)) || (rc = need(body, "body", diag)))
        goto done;
    rc = person_write_begin(s, who, id, at, &own, &started, diag);
    if (!rc) {
        const char *p[5] = { id, who->person, nz(who->nation), body, aib__i64s(s, at) };
        rc = aib__q(s, "INSERT INTO case_comments (case_id, author, nation, body, at)"
                       " VALUES (?, ?, ?, ?, ?) RETURNING id", p, 5, &r, diag);
    }
    if (!rc) {
        int64_t cid = r.n_rows ? aib__cell_i64(AIB__CELL(&r, 0, 0)) : 0;
        if (out_id)
            *out_id = cid;
        rc = (aib_buf_printf(&d, "{\"comment\":%lld,\"body\":", (long long)cid) ||
              aib_buf_json_str(&d, body, strlen(body)) || aib_buf_putc(&d, '}')) ? AIB_ENOMEM : AIB_OK;
    }
    if (!rc)
        rc = aib__audit_append_tx(s, who, "case.comment", id, d.data, at, diag);
done:
    if (started)
        rc = aib__tx_end(s, own, rc, diag);
    aib_buf_free(&d);
    return rc;
}

int aib_store_case_attach(aib_store_t *s, const aib_actor_t *who, const char *id,
                          const aib_case_attachment_t *a, int64_t at, int64_t *out_id,
                          aib_diag_t *diag)
{
    aib_buf_t d;
    aib__rows_t r;
    int rc, own = 0, started = 0;

    aib_buf_init(&d);
    if ((rc = need(id, "id", diag)) || (rc = need(a->name, "name", diag)) ||
        (rc = need(a->ref, "ref", diag)))
        goto done;
    rc = person_write_begin(s, who, id, at, &own, &started, diag);
    if (!rc) {
        const char *p[7] = { id, a->name, a->ref, nz(a->sha256), nz(a->media_type), who->person,
                             aib__i64s(s, at) };
        rc = aib__q(s, "INSERT INTO case_attachments (case_id, name, ref, sha256, media_type, added_by,"
                       " at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id", p, 7, &r, diag);
    }
    if (!rc) {
        int64_t aid = r.n_rows ? aib__cell_i64(AIB__CELL(&r, 0, 0)) : 0;
        if (out_id)
            *out_id = aid;
        rc = (aib_buf_printf(&d, "{\"attachment\":%lld,", (long long)aid) ||
              json_kv(&d, "name", a->name, 1) || json_kv(&d, "ref", a->ref, 0) ||
              json_kv(&d, "sha256", a->sha256, 0) || json_kv(&d, "media_type", a->media_type, 0) ||
              aib_buf_putc(&d, '}')) ? AIB_ENOMEM : AIB_OK;
    }
    if (!rc)
        rc = aib__audit_append_tx(s, who, "case.attach", id, d.data, at, diag);
done:
    if (started)
        rc = aib__tx_end(s, own, rc, diag);
    aib_buf_free(&d);
    return rc;
}

/* ---- Reading ------------------------------------------------------------------------------- */

#define CASE_COLS "c.id, c.type, c.subtype, c.title, c.stage, c.owner, c.nation, c.fields," \
                  " c.created_by, c.created_at, c.updated_at, c.stage_since, c.version, c.closed, c.seq"

static void fill_case(const aib__rows_t *r, size_t i, aib_case_t *c)
{
    memset(c, 0, sizeof(*c));
    c->id = nz(AIB__CELL(r, i, 0));
    c->type = nz(AIB__CELL(r, i, 1));
    c->subtype = nz(AIB__CELL(r, i, 2));
    c->title = nz(AIB__CELL(r, i, 3));
    c->stage = nz(AIB__CELL(r, i, 4));
    c->owner = nz(AIB__CELL(r, i, 5));
    c->nation = nz(AIB__CELL(r, i, 6));
    c->fields = nz(AIB__CELL(r, i, 7));
    c->created_by = nz(AIB__CELL(r, i, 8));
    c->created_at = aib__cell_i64(AIB__CELL(r, i, 9));
    c->updated_at = aib__cell_i64(AIB__CELL(r, i, 10));
    c->stage_since = aib__cell_i64(AIB__CELL(r, i, 11));
    c->version = aib__cell_i64(AIB__CELL(r, i, 12));
    c->closed = (int)aib__cell_i64(AIB__CELL(r, i, 13));
}

/* Runs sql, whose one parameter p[0] is the case id, into *r and returns a zeroed arena array of
 * r->n_rows + 1 elements of elem bytes for the caller to fill; NULL with *rc set on failure. */
static void *child_rows(aib_store_t *s, const char *sql, const char **p, aib_arena_t *arena,
                        size_t elem, aib__rows_t *r, int *rc, aib_diag_t *diag)
{
    void *v;
    *rc = s->ops->query(s, sql, AIB__Q_STATIC, p, 1, arena, r, NULL, diag);
    if (*rc)
        return NULL;
    v = aib_arena_calloc(arena, r->n_rows + 1, elem);
    if (!v)
        *rc = AIB_ENOMEM;
    return v;
}

static int load_releases(aib_store_t *s, aib_case_t *c, aib_arena_t *arena, aib_diag_t *diag)
{
    aib__rows_t r;
    const char *p[1] = { c->id };
    size_t i;
    int rc;
    const char **l = child_rows(s, "SELECT nation FROM case_release WHERE case_id = ? ORDER BY nation",
                                p, arena, sizeof(char *), &r, &rc, diag);
    if (!l)
        return rc;
    for (i = 0; i < r.n_rows; i++)
        l[i] = nz(AIB__CELL(&r, i, 0));
    c->released_to = l;
    c->n_released_to = r.n_rows;
    return AIB_OK;
}

int aib_store_case_get(aib_store_t *s, const char *id, aib_arena_t *arena, aib_case_t *out,
                       aib_diag_t *diag)
{
    aib__rows_t r;
    const char *p[1] = { id };
    size_t i;
    int rc;

    memset(out, 0, sizeof(*out));
    aib_arena_reset(s->scratch);
    if ((rc = need(id, "id", diag)))
        return rc;
    rc = aib__require_current(s, diag);
    if (rc)
        return rc;
    rc = s->ops->query(s, "SELECT " CASE_COLS " FROM cases c WHERE c.id = ?", AIB__Q_STATIC, p, 1,
                       arena, &r, NULL, diag);
    if (rc)
        return rc;
    if (r.n_rows == 0) {
        aib_diag_set(diag, "id", 0, 0, "no case with id `%s`", id);
        return AIB_ENOTFOUND;
    }
    fill_case(&r, 0, out);
    rc = load_releases(s, out, arena, diag);
    if (rc)
        return rc;

    out->history = child_rows(s, "SELECT stage, owner, entered_at, left_at, by_whom, note"
                                 " FROM case_stages WHERE case_id = ? ORDER BY id",
                              p, arena, sizeof(*out->history), &r, &rc, diag);
    if (!out->history)
        return rc;
    for (i = 0; i < r.n_rows; i++) {
        aib_case_stage_t *h = &out->history[i];
        h->stage = nz(AIB__CELL(&r, i, 0));
        h->owner = nz(AIB__CELL(&r, i, 1));
        h->entered_at = aib__cell_i64(AIB__CELL(&r, i, 2));
        h->left_at = aib__cell_i64(AIB__CELL(&r, i, 3));
        h->by = nz(AIB__CELL(&r, i, 4));
        h->note = nz(AIB__CELL(&r, i, 5));
    }
    out->n_history = r.n_rows;

    out->tags = child_rows(s, "SELECT kind, value, policy_id, at FROM case_tags WHERE case_id = ?"
                              " ORDER BY id",
                           p, arena, sizeof(*out->tags), &r, &rc, diag);
    if (!out->tags)
        return rc;
    for (i = 0; i < r.n_rows; i++) {
        out->tags[i].kind = nz(AIB__CELL(&r, i, 0));
        out->tags[i].value = nz(AIB__CELL(&r, i, 1));
        out->tags[i].policy_id = nz(AIB__CELL(&r, i, 2));
        out->tags[i].at = aib__cell_i64(AIB__CELL(&r, i, 3));
    }
    out->n_tags = r.n_rows;

    out->comments = child_rows(s, "SELECT id, author, nation, body, at FROM case_comments"
                                  " WHERE case_id = ? ORDER BY id",
                               p, arena, sizeof(*out->comments), &r, &rc, diag);
    if (!out->comments)
        return rc;
    for (i = 0; i < r.n_rows; i++) {
        out->comments[i].id = aib__cell_i64(AIB__CELL(&r, i, 0));
        out->comments[i].author = nz(AIB__CELL(&r, i, 1));
        out->comments[i].nation = nz(AIB__CELL(&r, i, 2));
        out->comments[i].body = nz(AIB__CELL(&r, i, 3));
        out->comments[i].at = aib__cell_i64(AIB__CELL(&r, i, 4));
    }
    out->n_comments = r.n_rows;

    out->attachments = child_rows(s, "SELECT id, name, ref, sha256, media_type, added_by, at"
                                     " FROM case_attachments WHERE case_id = ? ORDER BY id",
                                  p, arena, sizeof(*out->attachments), &r, &rc, diag);
    if (!out->attachments)
        return rc;
    for (i = 0; i < r.n_rows; i++) {
        aib_case_attachment_t *a = &out->attachments[i];
        a->id = aib__cell_i64(AIB__CELL(&r, i, 0));
        a->name = nz(AIB__CELL(&r, i, 1));
        a->ref = nz(AIB__CELL(&r, i, 2));
        a->sha256 = nz(AIB__CELL(&r, i, 3));
        a->media_type = nz(AIB__CELL(&r, i, 4));
        a->added_by = nz(AIB__CELL(&r, i, 5));
        a->at = aib__cell_i64(AIB__CELL(&r, i, 6));
    }
    out->n_attachments = r.n_rows;
    return AIB_OK;
}

/* Appends the WHERE conditions of f (on cases alias c) and their parameters. */
static int build_filter(aib_buf_t *sql, const aib_case_filter_t *f, const char **p, size_t *n)
{
    int rc = aib_buf_puts(sql, " WHERE 1 = 1");
    if (!f)
        return rc;
#define EQ(field, col)                                                   \
    if (!rc && f->field && *f->field) {                                  \
        rc = aib_buf_puts(sql, " AND " col " = ?");                      \
        p[(*n)++] = f->field;                                            \
    }
    EQ(type, "c.type")
    EQ(subtype, "c.subtype")
    EQ(stage, "c.stage")
    EQ(owner, "c.owner")
    EQ(nation, "c.nation")
#undef EQ
    if (!rc && f->visible_to && *f->visible_to) {
        rc = aib_buf_puts(sql, " AND (c.nation = ? OR EXISTS (SELECT 1 FROM case_release r"
                               " WHERE r.case_id = c.id AND r.nation = ?))");
        p[(*n)++] = f->visible_to;
        p[(*n)++] = f->visible_to;
    }
    if (!rc && f->tag && *f->tag) {
        rc = aib_buf_puts(sql, " AND EXISTS (SELECT 1 FROM case_tags t WHERE t.case_id = c.id"
                               " AND t.value = ?)");
        p[(*n)++] = f->tag;
    }
    if (!rc && f->open_only)
        rc = aib_buf_puts(sql, " AND c.closed = 0");
    return rc;
}

int aib_store_case_list(aib_store_t *s, const aib_case_filter_t *f, aib_arena_t *arena,
                        aib_case_list_t *out, aib_diag_t *diag)
{
    aib_buf_t sql;
    aib__rows_t r;
    const char *p[16];
    size_t n = 0, limit = f && f->limit ? f->limit : 50, i;
    int64_t cursor = 0;
    int rc;

    memset(out, 0, sizeof(*out));
    aib_buf_init(&sql);
    aib_arena_reset(s->scratch);
    if (limit > 1000)
        limit = 1000;
    if (f && f->cursor && *f->cursor) {
        if (aib_parse_i64(f->cursor, strlen(f->cursor), &cursor) != 0 || cursor <= 0) {
            aib_diag_set(diag, "cursor", 0, 0, "cursor: not a cursor this server returned");
            return AIB_EINVAL;
        }
    }
    rc = aib__require_current(s, diag);
    if (rc)
        goto done;
    rc = (aib_buf_puts(&sql, "SELECT " CASE_COLS " FROM cases c") || build_filter(&sql, f, p, &n))
             ? AIB_ENOMEM : AIB_OK;
    if (!rc && cursor) {
        rc = aib_buf_puts(&sql, " AND c.seq < ?") ? AIB_ENOMEM : AIB_OK;
        p[n++] = aib__i64s(s, cursor);
    }
    if (!rc) {
        rc = aib_buf_puts(&sql, " ORDER BY c.seq DESC LIMIT ?") ? AIB_ENOMEM : AIB_OK;
        p[n++] = aib__i64s(s, (int64_t)limit + 1); /* one extra row says whether a next page exists */
    }
    if (rc)
        goto done;
    rc = s->ops->query(s, sql.data, 0, p, n, arena, &r, NULL, diag);
    if (rc)
        goto done;
    out->n = r.n_rows > limit ? limit : r.n_rows;
    out->items = aib_arena_calloc(arena, out->n + 1, sizeof(*out->items));
    if (!out->items) {
        rc = AIB_ENOMEM;
        goto done;
    }
    for (i = 0; i < out->n && !rc; i++) {
        fill_case(&r, i, &out->items[i]);
        rc = load_releases(s, &out->items[i], arena, diag);
    }
    if (!rc && r.n_rows > limit)
        snprintf(out->next_cursor, sizeof(out->next_cursor), "%s", nz(AIB__CELL(&r, limit - 1, 14)));
done:
    aib_buf_free(&sql);
    return rc;
}

int aib_store_stage_visits(aib_store_t *s, const aib_case_filter_t *f, aib_arena_t *arena,
                           aib_stage_visit_t **out, size_t *n_out, aib_diag_t *diag)
{
    aib_buf_t sql;
    aib__rows_t r;
    const char *p[16];
    size_t n = 0, i;
    aib_stage_visit_t *v;
    int rc;

    *out = NULL;
    *n_out = 0;
    aib_buf_init(&sql);
    aib_arena_reset(s->scratch);
    rc = aib__require_current(s, diag);
    if (rc)
        goto done;
    rc = (aib_buf_puts(&sql, "SELECT v.case_id, c.type, c.subtype, c.nation, v.stage, v.owner,"
                             " v.entered_at, v.left_at FROM case_stages v JOIN cases c ON c.id = v.case_id") ||
          build_filter(&sql, f, p, &n) || aib_buf_puts(&sql, " ORDER BY v.id"))
             ? AIB_ENOMEM : AIB_OK;
    if (rc)
        goto done;
    rc = s->ops->query(s, sql.data, 0, p, n, arena, &r, NULL, diag);
    if (rc)
        goto done;
    v = aib_arena_calloc(arena, r.n_rows + 1, sizeof(*v));
    if (!v) {
        rc = AIB_ENOMEM;
        goto done;
    }
    for (i = 0; i < r.n_rows; i++) {
        v[i].case_id = nz(AIB__CELL(&r, i, 0));
        v[i].type = nz(AIB__CELL(&r, i, 1));
        v[i].subtype = nz(AIB__CELL(&r, i, 2));
        v[i].nation = nz(AIB__CELL(&r, i, 3));
        v[i].stage = nz(AIB__CELL(&r, i, 4));
        v[i].owner = nz(AIB__CELL(&r, i, 5));
        v[i].entered_at = aib__cell_i64(AIB__CELL(&r, i, 6));
        v[i].left_at = aib__cell_i64(AIB__CELL(&r, i, 7));
    }
    *out = v;
    *n_out = r.n_rows;
done:
    aib_buf_free(&sql);
    return rc;
}
