/* token.c — API tokens: creation ("aib_<id>_<secret>", only an Argon2id hash stored) and the
 * server-side check of a bearer token with a small verified-token cache, so the deliberately slow
 * Argon2id verification runs once per token per cache lifetime rather than on every request. */
#include "http_int.h"

#include <sodium.h>
#include <string.h>
#include <strings.h>
#include <time.h>

int64_t aib__http_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int valid_nation(const char *s)
{
    size_t i;

    if (!s || strlen(s) != 3)
        return 0;
    for (i = 0; i < 3; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return 0;
    return 1;
}

static int valid_role(const char *s)
{
    size_t i, n = s ? strlen(s) : 0;

    if (n == 0 || n > 32)
        return 0;
    for (i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'))
            return 0;
    return 1;
}

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

int aib_http_token_split(const char *tok, size_t len, char *id, size_t cap)
{
    size_t i;

    if (cap < AIB_HTTP_TOKEN_ID_LEN + 1 || len < 4 + AIB_HTTP_TOKEN_ID_LEN + 2
        || len > AIB_HTTP_TOKEN_MAX || memcmp(tok, "aib_", 4) != 0
        || tok[4 + AIB_HTTP_TOKEN_ID_LEN] != '_')
        return AIB_EINVAL;
    for (i = 0; i < AIB_HTTP_TOKEN_ID_LEN; i++)
        if (!is_hex(tok[4 + i]))
            return AIB_EINVAL;
    for (i = 4 + AIB_HTTP_TOKEN_ID_LEN + 1; i < len; i++) {
        char c = tok[i];

        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
              || c == '_'))
            return AIB_EINVAL;
    }
    memcpy(id, tok + 4, AIB_HTTP_TOKEN_ID_LEN);
    id[AIB_HTTP_TOKEN_ID_LEN] = '\0';
    return 0;
}

int aib_http_token_create(aib_store_t *st, const aib_actor_t *who, const char *nation,
                          const char *role, const char *person, char *out, size_t cap,
                          aib_diag_t *diag)
{
    unsigned char idb[AIB_HTTP_TOKEN_ID_LEN / 2], secret[32];
    char id[AIB_HTTP_TOKEN_ID_LEN + 1], sec64[64], hash[crypto_pwhash_STRBYTES], pname[160];
    char tok[AIB_HTTP_TOKEN_MAX + 1];
    aib_token_rec_t rec;
    int rc = 0;

    if (cap < AIB_HTTP_TOKEN_MAX || sodium_init() < 0) {
        aib_diag_set(diag, "", 0, 0, "token buffer too small or libsodium unavailable");
        return AIB_EINVAL;
    }
    if (!valid_nation(nation)) {
        aib_diag_set(diag, "nation", 0, 0, "expected an ISO 3166-1 alpha-3 code such as USA");
        return AIB_EINVAL;
    }
    if (!valid_role(role)) {
        aib_diag_set(diag, "role", 0, 0, "expected 1-32 characters of a-z and _ (e.g. officer)");
        return AIB_EINVAL;
    }
    if (person && strlen(person) >= 128) {
        aib_diag_set(diag, "person", 0, 0, "at most 127 bytes");
        return AIB_EINVAL;
    }
    randombytes_buf(idb, sizeof(idb));
    randombytes_buf(secret, sizeof(secret));
    sodium_bin2hex(id, sizeof(id), idb, sizeof(idb));
    sodium_bin2base64(sec64, sizeof(sec64), secret, sizeof(secret),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    snprintf(tok, sizeof(tok), "aib_%s_%s", id, sec64);
    if (crypto_pwhash_str(hash, tok, strlen(tok), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        aib_diag_set(diag, "", 0, 0, "out of memory hashing the token");
        rc = AIB_ENOMEM;
        goto done;
    }
    if (person && person[0])
        snprintf(pname, sizeof(pname), "%s", person);
    else
        snprintf(pname, sizeof(pname), "token-%s", id);
    memset(&rec, 0, sizeof(rec));
    rec.id = id;
    rec.hash = hash;
    rec.nation = nation;
    rec.role = role;
    rec.person = pname;
    rec.created_at = aib__http_now_ms();
    rc = aib_store_token_insert(st, who, &rec, diag);
    if (rc == 0)
        snprintf(out, cap, "%s", tok);
done:
    sodium_memzero(secret, sizeof(secret));
    sodium_memzero(sec64, sizeof(sec64));
    sodium_memzero(tok, sizeof(tok));
    return rc;
}

int aib__token_cache_init(aib__token_cache_t *c, int64_t ttl_ms)
{
    memset(c->slots, 0, sizeof(c->slots));
    if (sodium_init() < 0)
        return AIB_EINTERNAL;
    randombytes_buf(c->key, sizeof(c->key));
    c->ttl_ms = ttl_ms;
    if (pthread_mutex_init(&c->mu, NULL) != 0)
        return AIB_ENOMEM;
    return 0;
}

void aib__token_cache_free(aib__token_cache_t *c)
{
    sodium_memzero(c->slots, sizeof(c->slots));
    pthread_mutex_destroy(&c->mu);
}

static size_t slot_of(const char *id)
{
    size_t h = 1469598103934665603ull, i;

    for (i = 0; id[i]; i++)
        h = (h ^ (unsigned char)id[i]) * 1099511628211ull;
    return h % AIB__TOKEN_CACHE_SLOTS;
}

static void copy_str(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

int aib__token_verify(aib__token_cache_t *c, aib_store_t *st, const char *header,
                      aib_arena_t *arena, aib__principal_t *out, aib_diag_t *diag)
{
    const char *tok;
    size_t len;
    char id[AIB_HTTP_TOKEN_ID_LEN + 1];
    unsigned char digest[32];
    aib__token_slot_t *slot;
    aib_token_rec_t rec;
    int64_t now = aib__http_now_ms();
    int rc;

    if (!header || strncasecmp(header, "Bearer ", 7) != 0) {
        aib_diag_set(diag, "Authorization", 0, 0, "missing bearer token");
        return AIB_EDENIED;
    }
    tok = header + 7;
    while (*tok == ' ')
        tok++;
    len = strlen(tok);
    while (len && tok[len - 1] == ' ')
        len--;
    if (aib_http_token_split(tok, len, id, sizeof(id)) != 0) {
        aib_diag_set(diag, "Authorization", 0, 0, "malformed token");
        return AIB_EDENIED;
    }
    crypto_generichash(digest, sizeof(digest), (const unsigned char *)tok, len, c->key,
                       sizeof(c->key));
    slot = &c->slots[slot_of(id)];
    pthread_mutex_lock(&c->mu);
    if (!strcmp(slot->id, id) && now - slot->verified_ms < c->ttl_ms
        && sodium_memcmp(slot->digest, digest, sizeof(digest)) == 0) {
        *out = slot->who;
        pthread_mutex_unlock(&c->mu);
        return 0;
    }
    pthread_mutex_unlock(&c->mu);

    rc = aib_store_token_get(st, id, arena, &rec, diag);
    if (rc == AIB_ENOTFOUND) {
        aib_diag_set(diag, "Authorization", 0, 0, "unknown token");
        return AIB_EDENIED;
    }
    if (rc != 0)
        return rc;
    if (rec.revoked_at != 0) {
        aib_diag_set(diag, "Authorization", 0, 0, "revoked token");
        return AIB_EDENIED;
    }
    /* Argon2id: tens of milliseconds and 64 MiB by design; the cache above amortises it. */
    if (!rec.hash || crypto_pwhash_str_verify(rec.hash, tok, len) != 0) {
        aib_diag_set(diag, "Authorization", 0, 0, "wrong token secret");
        return AIB_EDENIED;
    }
    memset(out, 0, sizeof(*out));
    copy_str(out->token_id, sizeof(out->token_id), id);
    copy_str(out->person, sizeof(out->person), rec.person);
    copy_str(out->nation, sizeof(out->nation), rec.nation);
    copy_str(out->role, sizeof(out->role), rec.role);
    pthread_mutex_lock(&c->mu);
    copy_str(slot->id, sizeof(slot->id), id);
    memcpy(slot->digest, digest, sizeof(digest));
    slot->verified_ms = now;
    slot->who = *out;
    pthread_mutex_unlock(&c->mu);
    return 0;
}
