/* arena.h — region allocator for per-parse and per-request data, and a growable byte buffer.
 * An arena owns every block it hands out; nothing is freed individually. aib_arena_reset keeps the
 * first chunk so a request loop allocates from warm memory without touching malloc. */
#ifndef AIB_ARENA_H
#define AIB_ARENA_H

#include <stddef.h>
#include <stdarg.h>
#include "aib/common.h"

typedef struct aib_arena aib_arena_t;

/* chunk: preferred chunk size in bytes (0 = 64 KiB). NULL on allocation failure. */
aib_arena_t *aib_arena_new(size_t chunk);
void aib_arena_free(aib_arena_t *a);
/* Frees all but the first chunk and rewinds it. Pointers handed out before become invalid. */
void aib_arena_reset(aib_arena_t *a);
/* 16-byte aligned; NULL on allocation failure or size overflow. */
void *aib_arena_alloc(aib_arena_t *a, size_t size);
void *aib_arena_calloc(aib_arena_t *a, size_t n, size_t size);
/* Like aib_arena_alloc but with no alignment (1 byte): for strings and other byte data, so
 * short ones do not each take 16 bytes. NULL on allocation failure or size overflow. */
void *aib_arena_alloc_bytes(aib_arena_t *a, size_t size);
/* Copies len bytes and adds a NUL terminator (not counted in len). */
char *aib_arena_strndup(aib_arena_t *a, const char *s, size_t len);
aib_str_t aib_arena_str(aib_arena_t *a, const char *s, size_t len);
/* Bytes handed out since creation or the last reset. */
size_t aib_arena_used(const aib_arena_t *a);

/* Growable buffer, malloc-backed; owner calls aib_buf_free. Append functions return 0 or
 * AIB_ENOMEM; after a failure the buffer keeps its previous content. data is NUL-terminated. */
typedef struct aib_buf {
    char *data;
    size_t len;
    size_t cap;
} aib_buf_t;

void aib_buf_init(aib_buf_t *b);
void aib_buf_free(aib_buf_t *b);
void aib_buf_clear(aib_buf_t *b);
int aib_buf_reserve(aib_buf_t *b, size_t extra);
int aib_buf_append(aib_buf_t *b, const void *p, size_t n);
int aib_buf_putc(aib_buf_t *b, char c);
int aib_buf_puts(aib_buf_t *b, const char *s);
int aib_buf_printf(aib_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string literal (quotes and escapes included). */
int aib_buf_json_str(aib_buf_t *b, const char *s, size_t len);

#endif
