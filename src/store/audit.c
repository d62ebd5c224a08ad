/* audit.c — the append-only, hash-chained audit log. Each entry's hash is SHA-256 (libsodium)
 * over the previous entry's hash and the entry's own fields, each written with its length so no
 * two different entries serialise alike. audit_head keeps the last seq and hash, updated in the
 * same transaction as the append; it serialises writers (row lock on PostgreSQL, the single
 * writer on SQLite) and lets verify notice a missing last entry. */
#include "store_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char zero_hash[65] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static void put_field(crypto_hash_sha256_state *st, const char *v)
{
    char len[24];
    size_t n = v ? strlen(v) : 0;
    int k = snprintf(len, sizeof(len), "%zu:", n);
    crypto_hash_sha256_update(st, (const unsigned char *)len, (unsigned long long)k);
    if (n)
        crypto_hash_sha256_update(st, (const unsigned char *)v, n);
    crypto_hash_sha256_update(st, (const unsigned char *)",", 1);
}

void aib__audit_hash(const aib_audit_entry_t *e, char hex[65])
{
    crypto_hash_sha256_state st;
    unsigned char out[crypto_hash_sha256_BYTES];
    char num[32];

    crypto_hash_sha256_init(&st);
    put_field(&st, e->prev_hash);
    snprintf(num, sizeof(num), "%lld", (long long)e->seq);
    put_field(&st, num);
    snprintf(num, sizeof(num), "%lld", (long long)e->at);
    put_field(&st, num);
    put_field(&st, e->person);
    put_field(&st, e->nation);
    put_field(&st, e->role);
    put_field(&st, e->action);
    put_field(&st, e->object);
    put_field(&st, e->detail);
    crypto_hash_sha256_final(&st, out);
    sodium_bin2hex(hex, 65, out, sizeof(out));
}

static const char *nz(const char *s) { return s ? s : ""; }

int aib__audit_append_tx(aib_store_t *s, const aib_actor_t *who, const char *action,
                         const char *object, const char *detail, int64_t at, aib_diag_t *diag)
{
    static const char *const head_sql[2] = {
        "SELECT seq, hash FROM audit_head WHERE id = 1",
        "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE",
    };
    aib_audit_entry_t e;
    aib__rows_t r;
    const char *p[10];
    int rc;

    if (!who || !who->person || !*who->person) {
        aib_diag_set(diag, "actor", 0, 0, "actor: a person is required for the audit log");
        return AIB_EINVAL;
    }
    rc = aib__q(s, head_sql[*s->ops->for_update != '\0'], NULL, 0, &r, diag);
    if (rc)
        return rc;
    if (r.n_rows != 1) {
        aib_diag_set(diag, "audit", 0, 0, "audit head row is missing");
        return AIB_EINTERNAL;
    }
    memset(&e, 0, sizeof(e));
    e.seq = aib__cell_i64(AIB__CELL(&r, 0, 0)) + 1;
    snprintf(e.prev_hash, sizeof(e.prev_hash), "%s", e.seq == 1 ? zero_hash : nz(AIB__CELL(&r, 0, 1)));
    e.at = at;
    e.person = who->person;
    e.nation = nz(who->nation);
    e.role = nz(who->role);
    e.action = nz(action);
    e.object = nz(object);
    e.detail = detail ? detail : "{}";
    aib__audit_hash(&e, e.hash);
    p[0] = aib__i64s(s, e.seq);
    p[1] = aib__i64s(s, e.at);
    p[2] = e.person; p[3] = e.nation; p[4] = e.role; p[5] = e.action; p[6] = e.object;
    p[7] = e.detail; p[8] = e.prev_hash; p[9] = e.hash;
    rc = aib__q(s, "INSERT INTO audit (seq, at, person, nation, role, action, object, detail,"
                   " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", p, 10, NULL, diag);
    if (rc)
        return rc;
    p[0] = aib__i64s(s, e.seq);
    p[1] = e.hash;
    return aib__q(s, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", p, 2, NULL, diag);
}

int aib_store_audit_append(aib_store_t *s, const aib_actor_t *who, const char *action,
                           const char *object, const char *detail, int64_t at, aib_diag_t *diag)
{
    int rc, own = 0;
    aib_arena_reset(s->scratch);
    if (!action || !*action) {
        aib_diag_set(diag, "action", 0, 0, "action: required");
        return AIB_EINVAL;
    }
    rc = aib__require_current(s, diag);
    if (rc)
        return rc;
    rc = aib__tx_start(s, &own, diag);
    if (rc)
        return rc;
    rc = aib__audit_append_tx(s, who, action, object, detail, at, diag);
    return aib__tx_end(s, own, rc, diag);
}

static void fill_entry(const aib__rows_t *r, size_t i, aib_audit_entry_t *e)
{
    e->seq = aib__cell_i64(AIB__CELL(r, i, 0));
    e->at = aib__cell_i64(AIB__CELL(r, i, 1));
    e->person = nz(AIB__CELL(r, i, 2));
    e->nation = nz(AIB__CELL(r, i, 3));
    e->role = nz(AIB__CELL(r, i, 4));
    e->action = nz(AIB__CELL(r, i, 5));
    e->object = nz(AIB__CELL(r, i, 6));
    e->detail = nz(AIB__CELL(r, i, 7));
    snprintf(e->prev_hash, sizeof(e->prev_hash), "%s", nz(AIB__CELL(r, i, 8)));
    snprintf(e->hash, sizeof(e->hash), "%s", nz(AIB__CELL(r, i, 9)));
}

#define AUDIT_COLS "seq, at, person, nation, role, action, object, detail, prev_hash, hash"

int aib_store_audit_list(aib_store_t *s, int64_t after_seq, size_t limit, const char *object,
                         aib_arena_t *arena, aib_audit_entry_t **out, size_t *n, aib_diag_t *diag)
{
    aib__rows_t r;
    const char *p[3];
    aib_audit_entry_t *items;
    size_t i;
    int rc;

    *out = NULL;
    *n = 0;
    aib_arena_reset(s->scratch);
    if (limit == 0)
        limit = 100;
    if (limit > 1000)
        limit = 1000;
    p[0] = aib__i64s(s, after_seq);
    p[1] = aib__i64s(s, (int64_t)limit);
    if (object) {
        p[2] = object;
        rc = s->ops->query(s, "SELECT " AUDIT_COLS " FROM audit WHERE seq > ? AND object = ?"
                              " ORDER BY seq LIMIT ?", AIB__Q_STATIC,
                           (const char *const[]){ p[0], p[2], p[1] }, 3, arena, &r, NULL, diag);
    } else {
        rc = s->ops->query(s, "SELECT " AUDIT_COLS " FROM audit WHERE seq > ? ORDER BY seq LIMIT ?",
                           AIB__Q_STATIC, p, 2, arena, &r, NULL, diag);
    }
    if (rc)
        return rc;
    items = aib_arena_calloc(arena, r.n_rows + 1, sizeof(*items));
    if (!items)
        return AIB_ENOMEM;
    for (i = 0; i < r.n_rows; i++)
        fill_entry(&r, i, &items[i]);
    *out = items;
    *n = r.n_rows;
    return AIB_OK;
}

/* Walks the chain in pages inside one read snapshot so concurrent appends cannot make a
 * consistent log look broken. */
int aib_store_audit_verify(aib_store_t *s, aib_audit_report_t *rep, aib_diag_t *diag)
{
    aib_arena_t *page = aib_arena_new(0);
    aib__rows_t r, h;
    char prev[65], calc[65];
    int64_t last = 0, head_seq;
    int rc;
    size_t i;

    memset(rep, 0, sizeof(*rep));
    if (!page)
        return AIB_ENOMEM;
    aib_arena_reset(s->scratch);
    rc = aib__require_current(s, diag);
    if (rc)
        goto out;
    rc = s->ops->begin_snapshot(s, diag);
    if (rc)
        goto out;
    memcpy(prev, zero_hash, sizeof(prev));
    rep->ok = 1;
    for (;;) {
        const char *p[1];
        aib_arena_reset(page);
        p[0] = aib_arena_strndup(page, calc, (size_t)snprintf(calc, sizeof(calc), "%lld", (long long)last));
        rc = s->ops->query(s, "SELECT " AUDIT_COLS " FROM audit WHERE seq > ? ORDER BY seq LIMIT 2000",
                           AIB__Q_STATIC, p, 1, page, &r, NULL, diag);
        if (rc)
            goto done;
        if (r.n_rows == 0)
            break;
        for (i = 0; i < r.n_rows; i++) {
            aib_audit_entry_t e;
            fill_entry(&r, i, &e);
            if (e.seq != last + 1) {
                snprintf(rep->problem, sizeof(rep->problem),
                         "entry %lld is missing (next present entry is %lld)",
                         (long long)(last + 1), (long long)e.seq);
                rep->bad_seq = last + 1;
                goto bad;
            }
            if (strcmp(e.prev_hash, prev) != 0) {
                snprintf(rep->problem, sizeof(rep->problem),
                         "entry %lld does not link to entry %lld (removed, reordered or altered)",
                         (long long)e.seq, (long long)last);
                rep->bad_seq = e.seq;
                goto bad;
            }
            aib__audit_hash(&e, calc);
            if (strcmp(calc, e.hash) != 0) {
                snprintf(rep->problem, sizeof(rep->problem),
                         "entry %lld was altered (its hash does not match its content)",
                         (long long)e.seq);
                rep->bad_seq = e.seq;
                goto bad;
            }
            memcpy(prev, e.hash, sizeof(prev));
            last = e.seq;
            rep->entries++;
        }
    }
    rc = aib__q(s, "SELECT seq, hash FROM audit_head WHERE id = 1", NULL, 0, &h, diag);
    if (rc)
        goto done;
    head_seq = h.n_rows == 1 ? aib__cell_i64(AIB__CELL(&h, 0, 0)) : -1;
    if (head_seq != last || (last > 0 && strcmp(nz(AIB__CELL(&h, 0, 1)), prev) != 0)) {
        snprintf(rep->problem, sizeof(rep->problem),
                 "the log ends at entry %lld but its head records entry %lld: entries are missing"
                 " or the head was altered", (long long)last, (long long)head_seq);
        rep->bad_seq = last + 1;
        goto bad;
    }
    if (last > 0)
        memcpy(rep->head_hash, prev, sizeof(rep->head_hash));
    goto done;
bad:
    rep->ok = 0;
done:
    s->ops->rollback(s);
out:
    aib_arena_free(page);
    return rc;
}
