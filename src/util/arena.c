/* arena.c — region allocator and growable buffer (see include/aib/arena.h for the contract).
 * Chunks are a singly linked list; the first chunk survives resets so steady-state request
 * loops never call malloc. */
#include "aib/arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct chunk {
    struct chunk *next;
    size_t cap;
    size_t used;
    _Alignas(16) unsigned char data[];
} chunk_t;

struct aib_arena {
    chunk_t *head;  /* current chunk (most recent) */
    chunk_t *first; /* oldest chunk, kept on reset */
    size_t chunk;
    size_t total;
};

static chunk_t *chunk_new(size_t cap)
{
    chunk_t *c = malloc(sizeof(chunk_t) + cap);
    if (!c)
        return NULL;
    c->next = NULL;
    c->cap = cap;
    c->used = 0;
    return c;
}

aib_arena_t *aib_arena_new(size_t chunk)
{
    aib_arena_t *a = calloc(1, sizeof(*a));
    if (!a)
        return NULL;
    a->chunk = chunk ? chunk : 65536;
    a->first = a->head = chunk_new(a->chunk);
    if (!a->first) {
        free(a);
        return NULL;
    }
    return a;
}

void aib_arena_free(aib_arena_t *a)
{
    chunk_t *c, *n;
    if (!a)
        return;
    for (c = a->head; c; c = n) {
        n = c->next;
        free(c);
    }
    free(a);
}

void aib_arena_reset(aib_arena_t *a)
{
    chunk_t *c, *n;
    for (c = a->head; c && c != a->first; c = n) {
        n = c->next;
        free(c);
    }
    a->head = a->first;
    a->first->next = NULL;
    a->first->used = 0;
    a->total = 0;
}

void *aib_arena_alloc(aib_arena_t *a, size_t size)
{
    chunk_t *c = a->head;
    size_t need;
    void *p;

    if (size > SIZE_MAX - 32)
        return NULL;
    need = (size + 15u) & ~(size_t)15u;
    if (need == 0)
        need = 16;
    /* aib_arena_alloc_bytes may have left the chunk unaligned */
    c->used = (c->used + 15u) & ~(size_t)15u;
    if (c->used > c->cap)
        c->used = c->cap;
    if (c->cap - c->used < need) {
        /* Large requests get a chunk of their own so the next small ones keep using
         * a normal chunk; the list order does not matter for correctness. */
        size_t cap = need > a->chunk ? need : a->chunk;
        chunk_t *nc = chunk_new(cap);
        if (!nc)
            return NULL;
        nc->next = a->head;
        a->head = nc;
        c = nc;
    }
    p = c->data + c->used;
    c->used += need;
    a->total += need;
    return p;
}

void *aib_arena_alloc_bytes(aib_arena_t *a, size_t size)
{
    chunk_t *c = a->head;
    void *p;

    if (size > SIZE_MAX - 32)
        return NULL;
    if (size == 0)
        size = 1;
    if (c->cap - c->used < size) {
        /* as aib_arena_alloc: a chunk of its own for a large request */
        size_t cap = size > a->chunk ? size : a->chunk;
        chunk_t *nc = chunk_new(cap);
        if (!nc)
            return NULL;
        nc->next = a->head;
        a->head = nc;
        c = nc;
    }
    p = c->data + c->used;
    c->used += size;
    a->total += size;
    return p;
}

void *aib_arena_calloc(aib_arena_t *a, size_t n, size_t size)
{
    void *p;
    if (size && n > SIZE_MAX / size)
        return NULL;
    p = aib_arena_alloc(a, n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

char *aib_arena_strndup(aib_arena_t *a, const char *s, size_t len)
{
    char *p = aib_arena_alloc(a, len + 1);
    if (!p)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

aib_str_t aib_arena_str(aib_arena_t *a, const char *s, size_t len)
{
    aib_str_t r = { aib_arena_strndup(a, s, len), len };
    if (!r.ptr)
        r.len = 0;
    return r;
}

size_t aib_arena_used(const aib_arena_t *a)
{
    return a->total;
}

void aib_buf_init(aib_buf_t *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void aib_buf_free(aib_buf_t *b)
{
    free(b->data);
    aib_buf_init(b);
}

void aib_buf_clear(aib_buf_t *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

int aib_buf_reserve(aib_buf_t *b, size_t extra)
{
    size_t need, ncap;
    char *nd;

    if (extra > SIZE_MAX - b->len - 1)
        return AIB_ENOMEM;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return AIB_OK;
    ncap = b->cap ? b->cap : 256;
    while (ncap < need)
        ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
    nd = realloc(b->data, ncap);
    if (!nd)
        return AIB_ENOMEM;
    b->data = nd;
    b->cap = ncap;
    return AIB_OK;
}

int aib_buf_append(aib_buf_t *b, const void *p, size_t n)
{
    if (aib_buf_reserve(b, n) != AIB_OK)
        return AIB_ENOMEM;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return AIB_OK;
}

int aib_buf_putc(aib_buf_t *b, char c)
{
    return aib_buf_append(b, &c, 1);
}

int aib_buf_puts(aib_buf_t *b, const char *s)
{
    return aib_buf_append(b, s, strlen(s));
}

int aib_buf_printf(aib_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return AIB_EINVAL;
    if (aib_buf_reserve(b, (size_t)n) != AIB_OK)
        return AIB_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return AIB_OK;
}

int aib_buf_json_str(aib_buf_t *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, start = 0;

    if (aib_buf_reserve(b, len + 2) != AIB_OK || aib_buf_putc(b, '"') != AIB_OK)
        return AIB_ENOMEM;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[6];
        size_t en = 0;
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            en = 2;
        } else if (c < 0x20) {
            esc[0] = '\\';
            switch (c) {
            case '\n': esc[1] = 'n'; en = 2; break;
            case '\r': esc[1] = 'r'; en = 2; break;
            case '\t': esc[1] = 't'; en = 2; break;
            default:
                esc[1] = 'u'; esc[2] = '0'; esc[3] = '0';
                esc[4] = hex[c >> 4]; esc[5] = hex[c & 15];
                en = 6;
            }
        } else {
            continue;
        }
        if (aib_buf_append(b, s + start, i - start) != AIB_OK || aib_buf_append(b, esc, en) != AIB_OK)
            return AIB_ENOMEM;
        start = i + 1;
    }
    if (aib_buf_append(b, s + start, len - start) != AIB_OK)
        return AIB_ENOMEM;
    return aib_buf_putc(b, '"');
}
