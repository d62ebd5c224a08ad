/* label_binding.c — binds a label to its data, in the spirit of ADatP-4778 metadata binding: an
 * Ed25519 signature (libsodium) over a canonical encoding of the label and the SHA-256 of the
 * data, carried in a small JSON document. Verification uses a key the verifier trusts, never the
 * key inside the document, and says whether the data, the label or the signature changed. */
#include "label/label_int.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAGIC "aib-label-binding/1\n"
#define SK_WORD "aib-ed25519-secret "
#define PK_WORD "aib-ed25519-public "

static int init(void)
{
    return sodium_init() < 0 ? AIB_EINTERNAL : 0;
}

static bool kind_ok(const char *k)
{
    size_t n = 0;
    if (!k)
        return false;
    for (; k[n]; n++)
        if (!((k[n] >= 'a' && k[n] <= 'z') || (k[n] >= '0' && k[n] <= '9') || k[n] == '-'))
            return false;
    return n > 0 && n < 16;
}

int aib_label_keygen(uint8_t pk[AIB_LABEL_PK_BYTES], uint8_t sk[AIB_LABEL_SK_BYTES])
{
    if (init() != 0)
        return AIB_EINTERNAL;
    return crypto_sign_keypair(pk, sk) == 0 ? 0 : AIB_EINTERNAL;
}

int aib_label_key_save(const char *path, const uint8_t *key, bool secret, aib_diag_t *diag)
{
    char hex[2 * AIB_LABEL_SK_BYTES + 1], line[sizeof hex + 32];
    size_t klen = secret ? AIB_LABEL_SK_BYTES : AIB_LABEL_PK_BYTES;
    int fd, n, rc = 0;

    sodium_bin2hex(hex, sizeof hex, key, klen);
    n = snprintf(line, sizeof line, "%s%s\n", secret ? SK_WORD : PK_WORD, hex);
    sodium_memzero(hex, sizeof hex);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL, secret ? 0600 : 0644);
    if (fd < 0) {
        aib_diag_set(diag, path, 0, 0, "cannot create key file: %s", strerror(errno));
        rc = errno == EEXIST ? AIB_EEXIST : AIB_EIO;
        goto done;
    }
    if (write(fd, line, (size_t)n) != n) {
        aib_diag_set(diag, path, 0, 0, "write failed: %s", strerror(errno));
        rc = AIB_EIO;
    }
    if (close(fd) != 0 && rc == 0) {
        aib_diag_set(diag, path, 0, 0, "close failed: %s", strerror(errno));
        rc = AIB_EIO;
    }
done:
    sodium_memzero(line, sizeof line);
    return rc;
}

int aib_label_key_load(const char *path, uint8_t pk[AIB_LABEL_PK_BYTES], uint8_t sk[AIB_LABEL_SK_BYTES],
                       bool *has_secret, aib_diag_t *diag)
{
    char *buf = NULL, *hex;
    size_t len = 0, got = 0, want;
    bool secret;
    int rc;

    if (has_secret)
        *has_secret = false;
    if ((rc = init()) != 0 || (rc = aib_read_file(path, &buf, &len, diag)) != 0)
        goto done;
    secret = !strncmp(buf, SK_WORD, strlen(SK_WORD));
    if (!secret && strncmp(buf, PK_WORD, strlen(PK_WORD)) != 0) {
        aib_diag_set(diag, path, 1, 1, "not an aib Ed25519 key file (expected \"%s\" or \"%s\")", "aib-ed25519-secret",
                     "aib-ed25519-public");
        rc = AIB_EPARSE;
        goto done;
    }
    hex = buf + strlen(secret ? SK_WORD : PK_WORD);
    want = secret ? AIB_LABEL_SK_BYTES : AIB_LABEL_PK_BYTES;
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
        buf[--len] = '\0';
    if (strlen(hex) != 2 * want ||
        sodium_hex2bin(secret ? sk : pk, want, hex, strlen(hex), NULL, &got, NULL) != 0 || got != want) {
        aib_diag_set(diag, path, 1, (int)(hex - buf) + 1, "key must be %zu hex digits", 2 * want);
        rc = AIB_EPARSE;
        goto done;
    }
    if (secret) {
        crypto_sign_ed25519_sk_to_pk(pk, sk);
        if (has_secret)
            *has_secret = true;
    }
done:
    if (buf) {
        sodium_memzero(buf, len);
        free(buf);
    }
    return rc;
}

static void sha_hex(const uint8_t *data, size_t len, char hex[65])
{
    uint8_t h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data ? data : (const uint8_t *)"", data ? len : 0);
    sodium_bin2hex(hex, 65, h, sizeof h);
}

static int canonical(const char *kind, const char *label, size_t label_len, const char *sha, aib_buf_t *out)
{
    int rc = 0;
    aib_buf_clear(out);
    rc |= aib_buf_puts(out, MAGIC);
    rc |= aib_buf_printf(out, "%s\n%zu\n", kind, label_len);
    rc |= aib_buf_append(out, label, label_len);
    rc |= aib_buf_printf(out, "\n%s\n", sha);
    return rc ? AIB_ENOMEM : 0;
}

int aib_label_binding_canonical(const char *kind, const char *label, size_t label_len, const uint8_t *data,
                                size_t data_len, aib_buf_t *out)
{
    char sha[65];
    if (init() != 0)
        return AIB_EINTERNAL;
    if (!kind_ok(kind))
        return AIB_EINVAL;
    sha_hex(data, data_len, sha);
    return canonical(kind, label, label_len, sha, out);
}

int aib_label_bind(const char *kind, const char *label, size_t label_len, const uint8_t *data, size_t data_len,
                   const uint8_t sk[AIB_LABEL_SK_BYTES], aib_buf_t *out, aib_diag_t *diag)
{
    uint8_t sig[AIB_LABEL_SIG_BYTES], pk[AIB_LABEL_PK_BYTES];
    char sha[65], sighex[2 * AIB_LABEL_SIG_BYTES + 1], pkhex[2 * AIB_LABEL_PK_BYTES + 1];
    aib_buf_t c;
    int rc;

    aib_buf_init(&c);
    if ((rc = init()) != 0)
        goto done;
    if (!kind_ok(kind)) {
        aib_diag_set(diag, "binding", 0, 0, "kind: `%s` is not a label kind (a-z, 0-9, -)", kind ? kind : "");
        rc = AIB_EINVAL;
        goto done;
    }
    sha_hex(data, data_len, sha);
    if ((rc = canonical(kind, label, label_len, sha, &c)) != 0)
        goto done;
    crypto_sign_detached(sig, NULL, (const uint8_t *)c.data, c.len, sk);
    crypto_sign_ed25519_sk_to_pk(pk, sk);
    sodium_bin2hex(sighex, sizeof sighex, sig, sizeof sig);
    sodium_bin2hex(pkhex, sizeof pkhex, pk, sizeof pk);
    rc |= aib_buf_printf(out, "{\"version\":1,\"alg\":\"Ed25519\",\"kind\":\"%s\",\"label\":", kind);
    rc |= aib_buf_json_str(out, label, label_len);
    rc |= aib_buf_printf(out, ",\"data_sha256\":\"%s\",\"public_key\":\"%s\",\"signature\":\"%s\"}\n", sha, pkhex, sighex);
    rc = rc ? AIB_ENOMEM : 0;
done:
    aib_buf_free(&c);
    return rc;
}

static const char *field(json_t *o, const char *k, size_t *len)
{
    json_t *v = json_object_get(o, k);
    if (!json_is_string(v))
        return NULL;
    if (len)
        *len = json_string_length(v);
    return json_string_value(v);
}

int aib_label_binding_verify(const char *doc, size_t doc_len, const uint8_t *data, size_t data_len,
                             const uint8_t pk[AIB_LABEL_PK_BYTES], aib_buf_t *label_out, char *kind_out,
                             aib_diag_t *diag)
{
    json_error_t je;
    json_t *o = NULL;
    const char *kind, *label, *sha, *pkh, *sigh;
    uint8_t sig[AIB_LABEL_SIG_BYTES], dpk[AIB_LABEL_PK_BYTES];
    char want[65];
    size_t label_len = 0, got;
    aib_buf_t c;
    int rc = 0;

    aib_buf_init(&c);
    if ((rc = init()) != 0)
        goto done;
    o = json_loadb(doc, doc_len, JSON_REJECT_DUPLICATES, &je);
    if (!o || !json_is_object(o)) {
        aib_diag_set(diag, "binding", o ? 1 : je.line, o ? 1 : je.column, "%s", o ? "not a JSON object" : je.text);
        rc = AIB_EPARSE;
        goto done;
    }
    kind = field(o, "kind", NULL);
    label = field(o, "label", &label_len);
    sha = field(o, "data_sha256", NULL);
    pkh = field(o, "public_key", NULL);
    sigh = field(o, "signature", NULL);
    if (json_integer_value(json_object_get(o, "version")) != 1 || !field(o, "alg", NULL) ||
        strcmp(field(o, "alg", NULL), "Ed25519") != 0) {
        aib_diag_set(diag, "binding", 0, 0, "version/alg: expected version 1 and Ed25519");
        rc = AIB_EPARSE;
        goto done;
    }
    if (!kind_ok(kind) || !label || !sha || strlen(sha) != 64 || !pkh || !sigh) {
        aib_diag_set(diag, "binding", 0, 0, "%s: missing or malformed",
                     !kind_ok(kind) ? "kind" : !label ? "label" : !sha || strlen(sha) != 64 ? "data_sha256"
                                                                    : !pkh ? "public_key" : "signature");
        rc = AIB_EPARSE;
        goto done;
    }
    if (sodium_hex2bin(sig, sizeof sig, sigh, strlen(sigh), NULL, &got, NULL) != 0 || got != sizeof sig ||
        strlen(sigh) != 2 * sizeof sig) {
        aib_diag_set(diag, "binding", 0, 0, "signature: expected %zu hex digits", 2 * sizeof sig);
        rc = AIB_EPARSE;
        goto done;
    }
    if (sodium_hex2bin(dpk, sizeof dpk, pkh, strlen(pkh), NULL, &got, NULL) != 0 || got != sizeof dpk ||
        strlen(pkh) != 2 * sizeof dpk) {
        aib_diag_set(diag, "binding", 0, 0, "public_key: expected %zu hex digits", 2 * sizeof dpk);
        rc = AIB_EPARSE;
        goto done;
    }
    if (sodium_memcmp(dpk, pk, sizeof dpk) != 0) {
        aib_diag_set(diag, "binding", 0, 0, "public_key: signed by a different key than the trusted one");
        rc = AIB_EDENIED;
        goto done;
    }
    sha_hex(data, data_len, want);
    if (strcmp(want, sha) != 0) {
        aib_diag_set(diag, "binding", 0, 0, "data_sha256: the data does not match the bound hash (data changed)");
        rc = AIB_EDENIED;
        goto done;
    }
    if ((rc = canonical(kind, label, label_len, sha, &c)) != 0)
        goto done;
    if (crypto_sign_verify_detached(sig, (const uint8_t *)c.data, c.len, pk) != 0) {
        aib_diag_set(diag, "binding", 0, 0, "signature: does not verify (label, hash or signature changed)");
        rc = AIB_EDENIED;
        goto done;
    }
    if (label_out && aib_buf_append(label_out, label, label_len) != 0)
        rc = AIB_ENOMEM;
    if (kind_out)
        snprintf(kind_out, 16, "%s", kind);
done:
    json_decref(o);
    aib_buf_free(&c);
    return rc;
}
