/* common.h — error codes, diagnostics and small string views shared by every aib module.
 * Every public aib function returns 0 or a negative AIB_E* code; details for people go into an
 * aib_diag_t the caller owns (file:line:col plus a plain message). */
#ifndef AIB_COMMON_H
#define AIB_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

enum {
    AIB_OK = 0,
    AIB_ENOMEM = -1,    /* allocation failed */
    AIB_EINVAL = -2,    /* invalid argument or malformed input */
    AIB_EPARSE = -3,    /* syntax error in a text the caller supplied */
    AIB_EIO = -4,       /* file or stream error */
    AIB_ENOTFOUND = -5, /* named thing does not exist */
    AIB_ELIMIT = -6,    /* a size or nesting limit was exceeded */
    AIB_ETYPE = -7,     /* value of the wrong type */
    AIB_EEVAL = -8,     /* evaluation error */
    AIB_ESCHEMA = -9,   /* input does not conform to a schema */
    AIB_EEXIST = -10,   /* already exists */
    AIB_EDENIED = -11,  /* not permitted */
    AIB_EINTERNAL = -12 /* a bug: an invariant did not hold */
};

/* Static, never NULL. */
const char *aib_strerror(int err);

/* A length-counted byte string. Cedar strings may contain NUL, so aib never relies on
 * terminators inside engine data. The bytes are owned by whoever owns the containing object. */
typedef struct aib_str {
    const char *ptr;
    size_t len;
} aib_str_t;

#define AIB_STR_LIT(s) ((aib_str_t){ (s), sizeof(s) - 1 })

bool aib_str_eq(aib_str_t a, aib_str_t b);
bool aib_str_eq_cstr(aib_str_t a, const char *b);
int aib_str_cmp(aib_str_t a, aib_str_t b); /* bytewise, shorter first on common prefix */

/* Diagnostic for people: where (file, 1-based line and column; 0 when unknown), and what.
 * Owned by the caller, usually on the stack; functions fill it on error only. */
typedef struct aib_diag {
    char file[256];
    int line;
    int col;
    char msg[768];
} aib_diag_t;

void aib_diag_clear(aib_diag_t *d);
/* Sets the location and formats the message (vsnprintf, truncated safely). d may be NULL. */
void aib_diag_set(aib_diag_t *d, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Writes "file:line:col: msg" (parts omitted when unknown) into buf, always terminated. */
void aib_diag_format(const aib_diag_t *d, char *buf, size_t cap);

/* Reads a whole file into a malloc'd, NUL-terminated buffer (caller frees). */
int aib_read_file(const char *path, char **out, size_t *out_len, aib_diag_t *diag);

/* Strict decimal integer parse of the whole string: 0 on success, AIB_EINVAL otherwise. */
int aib_parse_i64(const char *s, size_t len, int64_t *out);

#endif
