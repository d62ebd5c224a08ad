/* reg_bundle.c — signed handoff between nations' nodes. A bundle is JSON lines: a header
 * {"format","from","to","regime","created_at","count"}, one canonical record per line, and a
 * final line {"signature","public_key"} holding an Ed25519 signature (libsodium) over every byte
 * before it. Export selects exactly the records releasable to the destination through the same
 * allowed-class join as search; import refuses the whole bundle on any alteration or any record
 * the importing node may not hold, and is idempotent. Also the node key files. */
#include "registry_int.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FORMAT "aib-registry-bundle/1"

void aib__registry_hex_encode(const uint8_t *in, size_t n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < n; i++) {
        out[2 * i] = hx[in[i] >> 4];
        out[2 * i + 1] = hx[in[i] & 15];
    }
    out[2 * n] = '\0';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int aib__registry_hex_decode(const char *hex, size_t hex_len, uint8_t *out, size_t n)
{
    size_t i;

    if (hex_len != 2 * n)
        return AIB_EINVAL;
    for (i = 0; i < n; i++) {
        int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return AIB_EINVAL;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

/* ---- Key files -------------------------------------------------------------------------------- */

static int write_new(const char *path, const char *text, mode_t mode, aib_diag_t *diag)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
    size_t len = strlen(text);

    if (fd < 0) {
        aib_diag_set(diag, path, 0, 0, "%s", errno == EEXIST ? "exists (key files are never overwritten)"
                                                                : strerror(errno));
        return errno == EEXIST ? AIB_EEXIST : AIB_EIO;
    }
    if (write(fd, text, len) != (ssize_t)len || fsync(fd) != 0) {
        aib_diag_set(diag, path, 0, 0, "write failed: %s", strerror(errno));
        close(fd);
        return AIB_EIO;
    }
    close(fd);
    return 0;
}

int aib_registry_keygen(const char *secret_path, const char *public_path, aib_diag_t *diag)
{
    uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    char line[300], hex[2 * crypto_sign_SECRETKEYBYTES + 1];
    int rc;

    if (sodium_init() < 0)
        return AIB_EINTERNAL;
    crypto_sign_keypair(pk, sk);
    aib__registry_hex_encode(sk, sizeof(sk), hex);
    snprintf(line, sizeof(line), "aib-ed25519-secret %s\n", hex);
    rc = write_new(secret_path, line, 0600, diag);
    sodium_memzero(line, sizeof(line));
    sodium_memzero(hex, sizeof(hex));
    sodium_memzero(sk, sizeof(sk));
    if (rc)
        return rc;
    aib__registry_hex_encode(pk, sizeof(pk), hex);
    snprintf(line, sizeof(line), "aib-ed25519-public %s\n", hex);
    return write_new(public_path, line, 0644, diag);
}

int aib_registry_key_load(const char *path, uint8_t pk[AIB_REGISTRY_PK_BYTES],
                          uint8_t sk[AIB_REGISTRY_SK_BYTES], bool *has_secret, aib_diag_t *diag)
{
    char *text = NULL;
    size_t len = 0;
    int rc = aib_read_file(path, &text, &len, diag);

    *has_secret = false;
    if (rc)
        return rc;
    while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        text[--len] = '\0';
    if (len == 19 + 128 && !strncmp(text, "aib-ed25519-secret ", 19)) {
        if (aib__registry_hex_decode(text + 19, 128, sk, AIB_REGISTRY_SK_BYTES)) {
            rc = AIB_EPARSE;
        } else {
            memcpy(pk, sk + 32, AIB_REGISTRY_PK_BYTES); /* libsodium keeps the public key there */
            *has_secret = true;
        }
    } else if (len == 19 + 64 && !strncmp(text, "aib-ed25519-public ", 19)) {
        if (aib__registry_hex_decode(text + 19, 64, pk, AIB_REGISTRY_PK_BYTES))
            rc = AIB_EPARSE;
    } else {
        rc = AIB_EPARSE;
    }
    if (rc)
        aib_diag_set(diag, path, 1, 1, "not an aib Ed25519 key file (\"aib-ed25519-secret|public <hex>\")");
    sodium_memzero(text, len);
    free(text);
    return rc;
}

/* ---- Export ------------------------------------------------------------------------------------ */

int aib_registry_export(aib_registry_t *r, const aib_actor_t *who, const char *to,
                        const char *regime, const uint8_t sk[AIB_REGISTRY_SK_BYTES],
                        aib_buf_t *out, size_t *count, aib_diag_t *diag)
{
    aib_registry_requester_t dest = { to, "government", "TOP SECRET", regime ? regime : "current" };
    sqlite3_stmt *st = NULL;
    aib_buf_t body;
    size_t n = 0;
    uint8_t sig[crypto_sign_BYTES];
    char sighex[2 * crypto_sign_BYTES + 1], pkhex[2 * AIB_REGISTRY_PK_BYTES + 1], detail[96];
    int rc;

    aib_buf_init(&body);
    if (count)
        *count = 0;
    if (sodium_init() < 0)
        return AIB_EINTERNAL;
    if (to && !strcmp(to, r->node)) {
        aib_diag_set(diag, "export", 0, 0, "to: a node does not export to its own nation");
        return AIB_EINVAL;
    }
    if ((rc = aib__registry_allow(r, &dest, diag)))
        goto done;
    /* Records owned by the destination are not sent back: they are its own. */
    rc = aib__registry_prepare(r,
        "SELECT json FROM registry_record WHERE cls IN (SELECT cls FROM temp.rg_allowed) AND nation <> ?1"
        " ORDER BY id", &st, diag);
    if (rc)
        goto done;
    sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((rc = aib_buf_append(&body, sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0)))
            || (rc = aib_buf_putc(&body, '\n')))
            goto done;
        n++;
    }
    if (rc != SQLITE_DONE) {
        rc = aib__registry_dberr(r, "export", diag);
        goto done;
    }
    rc = aib_buf_printf(out, "{\"format\":\"" FORMAT "\",\"from\":\"%s\",\"to\":\"%s\",\"regime\":\"%s\","
                             "\"created_at\":%lld,\"count\":%zu}\n",
                        r->node, to, dest.regime, (long long)aib__registry_now_ms(), n);
    if (!rc && body.len)
        rc = aib_buf_append(out, body.data, body.len);
    if (rc)
        goto done;
    crypto_sign_detached(sig, NULL, (const unsigned char *)out->data, out->len, sk);
    aib__registry_hex_encode(sig, sizeof(sig), sighex);
    aib__registry_hex_encode(sk + 32, AIB_REGISTRY_PK_BYTES, pkhex);
    if ((rc = aib_buf_printf(out, "{\"signature\":\"%s\",\"public_key\":\"%s\"}\n", sighex, pkhex)))
        goto done;
    if (count)
        *count = n;
    snprintf(detail, sizeof(detail), "{\"to\":\"%s\",\"records\":%zu}", to, n);
    rc = aib__registry_audit(r, who, "registry.export", to, detail, diag);
done:
    sqlite3_finalize(st);
    aib_buf_free(&body);
    return rc;
}

/* ---- Import ------------------------------------------------------------------------------------ */

typedef struct line {
    const char *p;
    size_t len;
} line_t;

static int refuse(aib_diag_t *diag, int line, int rc, const char *fmt, const char *what)
{
    aib_diag_set(diag, "bundle", line, 0, fmt, what);
    return rc;
}

int aib_registry_import(aib_registry_t *r, const aib_actor_t *who, const char *bundle, size_t len,
                        const uint8_t pk[AIB_REGISTRY_PK_BYTES],
                        aib_registry_import_report_t *rep, aib_diag_t *diag)
{
    line_t *lines = NULL;
    size_t n_lines = 0, cap = 0, i, signed_len;
    aib_arena_t *arena = aib_arena_new(0);
    aib_registry_record_t *recs = NULL;
    int64_t *classes = NULL;
    json_t *hdr = NULL, *sigj = NULL;
    json_error_t jerr;
    uint8_t sig[crypto_sign_BYTES], key[AIB_REGISTRY_PK_BYTES];
    const char *s;
    char regime[16] = "current", detail[160];
    aib_registry_requester_t me;
    sqlite3_stmt *st = NULL;
    int rc = 0, began = 0;
    int64_t count;

    memset(rep, 0, sizeof(*rep));
    if (!arena)
        return AIB_ENOMEM;
    if (sodium_init() < 0) {
        rc = AIB_EINTERNAL;
        goto done;
    }
    /* Split into lines; every line must end with '\n'. */
    for (s = bundle; s < bundle + len;) {
        const char *nl = memchr(s, '\n', (size_t)(bundle + len - s));
        if (!nl) {
            rc = refuse(diag, (int)n_lines + 1, AIB_EPARSE, "%s", "truncated: the last line has no newline");
            goto done;
        }
        if (n_lines == cap) {
            size_t nc = cap ? cap * 2 : 256;
            line_t *nlines = realloc(lines, nc * sizeof(*lines));
            if (!nlines) {
                rc = AIB_ENOMEM;
                goto done;
            }
            lines = nlines;
            cap = nc;
        }
        lines[n_lines].p = s;
        lines[n_lines].len = (size_t)(nl - s);
        n_lines++;
        s = nl + 1;
    }
    if (n_lines < 2) {
        rc = refuse(diag, 1, AIB_EPARSE, "%s", "not a bundle: needs a header and a signature line");
        goto done;
    }
    /* Signature first: nothing else in the bundle is trusted before it verifies. */
    sigj = json_loadb(lines[n_lines - 1].p, lines[n_lines - 1].len, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(sigj) || !json_is_string(json_object_get(sigj, "signature"))
        || !json_is_string(json_object_get(sigj, "public_key"))) {
        rc = refuse(diag, (int)n_lines, AIB_EPARSE, "%s", "signature line: expected {\"signature\",\"public_key\"}");
        goto done;
    }
    s = json_string_value(json_object_get(sigj, "signature"));
    if (aib__registry_hex_decode(s, strlen(s), sig, sizeof(sig))) {
        rc = refuse(diag, (int)n_lines, AIB_EPARSE, "%s", "signature: expected 128 hex digits");
        goto done;
    }
    s = json_string_value(json_object_get(sigj, "public_key"));
    if (aib__registry_hex_decode(s, strlen(s), key, sizeof(key)) || sodium_memcmp(key, pk, sizeof(key))) {
        rc = refuse(diag, (int)n_lines, AIB_EDENIED, "%s", "signed by a key this node does not trust");
        goto done;
    }
    signed_len = (size_t)(lines[n_lines - 1].p - bundle);
    if (crypto_sign_verify_detached(sig, (const unsigned char *)bundle, signed_len, pk) != 0) {
        rc = refuse(diag, 0, AIB_EDENIED, "%s", "signature does not verify: the bundle was altered");
        goto done;
    }
    hdr = json_loadb(lines[0].p, lines[0].len, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(hdr) || !json_is_string(json_object_get(hdr, "format"))
        || strcmp(json_string_value(json_object_get(hdr, "format")), FORMAT)
        || !json_is_string(json_object_get(hdr, "from")) || !json_is_string(json_object_get(hdr, "to"))
        || !json_is_integer(json_object_get(hdr, "count"))) {
        rc = refuse(diag, 1, AIB_EPARSE, "%s", "header: expected {\"format\":\"" FORMAT "\",\"from\",\"to\",\"count\"}");
        goto done;
    }
    snprintf(rep->from, sizeof(rep->from), "%s", json_string_value(json_object_get(hdr, "from")));
    if (strcmp(json_string_value(json_object_get(hdr, "to")), r->node)) {
        rc = refuse(diag, 1, AIB_EDENIED, "header: addressed to `%.8s`, not this node",
                    json_string_value(json_object_get(hdr, "to")));
        goto done;
    }
    count = json_integer_value(json_object_get(hdr, "count"));
    if (count != (int64_t)(n_lines - 2)) {
        rc = refuse(diag, 1, AIB_EPARSE, "%s", "header: count does not match the records");
        goto done;
    }
    recs = aib_arena_calloc(arena, n_lines, sizeof(*recs));
    classes = aib_arena_calloc(arena, n_lines, sizeof(*classes));
    if (!recs || !classes) {
        rc = AIB_ENOMEM;
        goto done;
    }
    if ((rc = aib__registry_exec(r, "BEGIN IMMEDIATE", diag)))
        goto done;
    began = 1;
    r->in_txn = 1;
    /* The importing node applies its own rules: a record is accepted only if its label allows it
     * here (government holder, any clearance; access inside the node is filtered again). */
    me.nation = r->node;
    me.role = "government";
    me.clearance = "TOP SECRET";
    me.regime = regime;
    for (i = 1; i + 1 < n_lines; i++) {
        aib_registry_record_t *rec = &recs[i];
        sqlite3_stmt *q = NULL;
        int ok = 0;

        rc = aib_registry_record_parse(r->tax, lines[i].p, lines[i].len, arena, rec, diag);
        if (rc) {
            diag->line = (int)i + 1;
            snprintf(diag->file, sizeof(diag->file), "bundle");
            goto done;
        }
        if (!strcmp(rec->nation, r->node)) {
            rc = refuse(diag, (int)i + 1, AIB_EDENIED, "record `%.80s` claims this node's own nation", rec->id);
            goto done;
        }
        if ((rc = aib__registry_class(r, rec->label, rec->nation, &classes[i], diag))) {
            diag->line = (int)i + 1;
            snprintf(diag->file, sizeof(diag->file), "bundle");
            goto done;
        }
        if ((rc = aib__registry_allow(r, &me, diag)))
            goto done;
        if ((rc = aib__registry_prepare(r, "SELECT 1 FROM temp.rg_allowed WHERE cls = ?1", &q, diag)))
            goto done;
        sqlite3_bind_int64(q, 1, classes[i]);
        ok = sqlite3_step(q) == SQLITE_ROW;
        sqlite3_finalize(q);
        if (!ok) {
            rc = refuse(diag, (int)i + 1, AIB_EDENIED, "record `%.80s`: its label is not releasable to this node",
                        rec->id);
            goto done;
        }
    }
    rc = aib__registry_prepare(r, "SELECT json, nation, updated_at FROM registry_record WHERE id = ?1", &st, diag);
    if (rc)
        goto done;
    for (i = 1; i + 1 < n_lines; i++) {
        aib_registry_record_t *rec = &recs[i];
        aib_buf_t canon;
        int exists, same = 0, newer = 0;

        aib_buf_init(&canon);
        if ((rc = aib_registry_record_json(rec, &canon))) {
            aib_buf_free(&canon);
            goto done;
        }
        sqlite3_bind_text(st, 1, rec->id, -1, SQLITE_STATIC);
        exists = sqlite3_step(st) == SQLITE_ROW;
        if (exists) {
            if (strcmp((const char *)sqlite3_column_text(st, 1), rec->nation)) {
                sqlite3_reset(st);
                aib_buf_free(&canon);
                rc = refuse(diag, (int)i + 1, AIB_EDENIED, "record `%.80s` exists here owned by another nation",
                            rec->id);
                goto done;
            }
            same = (size_t)sqlite3_column_bytes(st, 0) == canon.len
                   && !memcmp(sqlite3_column_text(st, 0), canon.data, canon.len);
            newer = rec->updated_at > sqlite3_column_int64(st, 2);
        }
        sqlite3_reset(st);
        aib_buf_free(&canon);
        if (exists && (same || !newer)) {
            rep->unchanged++;
            continue;
        }
        if ((rc = aib__registry_store_record(r, rec, classes[i], rep->from, exists, diag)))
            goto done;
        if (exists)
            rep->updated++;
        else
            rep->added++;
    }
    rc = 0;
done:
    sqlite3_finalize(st);
    if (began) {
        if (rc == 0)
            rc = aib__registry_exec(r, "COMMIT", diag);
        else
            aib__registry_exec(r, "ROLLBACK", NULL);
        r->in_txn = 0;
        r->allowed_key[0] = '\0'; /* classes may have been rolled back */
    }
    if (rc == 0) {
        snprintf(detail, sizeof(detail), "{\"from\":\"%s\",\"added\":%zu,\"updated\":%zu,\"unchanged\":%zu}",
                 rep->from, rep->added, rep->updated, rep->unchanged);
        rc = aib__registry_audit(r, who, "registry.import", rep->from, detail, diag);
    }
    json_decref(hdr);
    json_decref(sigj);
    free(lines);
    aib_arena_free(arena);
    return rc;
}
