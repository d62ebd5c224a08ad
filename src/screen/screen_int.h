/* screen_int.h — internals shared by the screening module's files: SHA-256, the entry builder the
 * loaders use, CSV reading, folded-name tokens and the pairwise name scorer, and the candidate
 * index. Public contract in include/aib/screen.h. */
#ifndef AIB_SCREEN_INT_H
#define AIB_SCREEN_INT_H

#include <stdint.h>

#include "aib/arena.h"
#include "aib/screen.h"

/* ---- SHA-256 (scr_sha256.c) ---- */
typedef struct aib__scr_sha256 {
    uint32_t h[8];
    uint8_t buf[64];
    size_t n;
    uint64_t total;
} aib__scr_sha256_t;
void aib__scr_sha256_init(aib__scr_sha256_t *s);
void aib__scr_sha256_update(aib__scr_sha256_t *s, const void *data, size_t len);
void aib__scr_sha256_hex(aib__scr_sha256_t *s, char hex[65]);

/* ---- list set (scr_lists.c) ---- */
#define AIB__SCR_SCREEN_MAX_LISTS 64

typedef struct aib__scr_index aib__scr_index_t;

struct aib_screen_lists {
    aib_arena_t *arena; /* entries, strings */
    aib_screen_entry_t *entries;
    size_t n_entries, cap_entries;
    aib_screen_list_info_t lists[AIB__SCR_SCREEN_MAX_LISTS];
    size_t n_lists;
    aib__scr_index_t *index; /* NULL until built; dropped when lists change */
};

/* A malloc'd vector of arena strings, used while an entry is being built. */
typedef struct aib__scr_strvec {
    const char **v;
    size_t n, cap;
} aib__scr_strvec_t;

/* An entry under construction. Strings added are arena copies; vectors are malloc'd. */
typedef struct aib__scr_eb {
    const char *src_id;
    aib_screen_schema_t schema;
    aib__scr_strvec_t names, countries, dobs, ids;
    const char *programs;
    aib_buf_t remarks;
} aib__scr_eb_t;

void aib__scr_eb_init(aib__scr_eb_t *b);
void aib__scr_eb_free(aib__scr_eb_t *b);
/* Adds trimmed text (empty and OFAC's "-0-" are skipped, duplicates too). */
int aib__scr_eb_name(aib_screen_lists_t *ls, aib__scr_eb_t *b, const char *s, size_t len);
int aib__scr_eb_country(aib_screen_lists_t *ls, aib__scr_eb_t *b, const char *s, size_t len); /* name or code */
int aib__scr_eb_dob(aib_screen_lists_t *ls, aib__scr_eb_t *b, const char *s, size_t len);     /* free text */
int aib__scr_eb_idnum(aib_screen_lists_t *ls, aib__scr_eb_t *b, const char *s, size_t len);
/* Scans OFAC-style remarks ("DOB ...; POB ...; nationality ...; Passport ...") for evidence. */
int aib__scr_eb_remarks(aib_screen_lists_t *ls, aib__scr_eb_t *b, const char *s, size_t len);
/* Moves b into list list_idx as a new entry (needs at least one name) and resets b. */
int aib__scr_eb_commit(aib_screen_lists_t *ls, size_t list_idx, aib__scr_eb_t *b);

/* Registers a list (name, source, content hash); returns its index or a negative error. */
int aib__scr_list_begin(aib_screen_lists_t *ls, const char *name, const char *source, const char *sha_hex);
const char *aib__scr_str(aib_screen_lists_t *ls, const char *s, size_t len);

/* ---- CSV (scr_csv.c): one record at a time; quoted fields; sep ',' or '\t' ---- */
#define AIB__SCR_CSV_MAX_FIELDS 64
typedef struct aib__scr_csv {
    const char *p, *end;
    char sep;
    int line;      /* line where the current record started (1-based) */
    int next_line; /* line after it */
    aib_buf_t storage;
    size_t off[AIB__SCR_CSV_MAX_FIELDS];
    size_t len[AIB__SCR_CSV_MAX_FIELDS];
    size_t n;
} aib__scr_csv_t;
void aib__scr_csv_init(aib__scr_csv_t *c, const char *data, size_t len, char sep);
void aib__scr_csv_free(aib__scr_csv_t *c);
/* 1 record read, 0 end, negative on error (message in diag with file and line). */
int aib__scr_csv_next(aib__scr_csv_t *c, const char *file, aib_diag_t *diag);
static inline const char *aib__scr_csv_field(const aib__scr_csv_t *c, size_t i) { return c->storage.data + c->off[i]; }

/* ---- loaders (scr_load_*.c) ---- */
typedef struct aib__scr_file {
    const char *name; /* base name */
    const char *data;
    size_t len;
} aib__scr_file_t;
const aib__scr_file_t *aib__scr_files_find(const aib__scr_file_t *f, size_t n, const char *name);
int aib__scr_load_ofac(aib_screen_lists_t *ls, const char *list, const aib__scr_file_t *prim, const aib__scr_file_t *alt,
                   const aib__scr_file_t *add, const aib__scr_file_t *comments, aib_diag_t *diag);
int aib__scr_load_un(aib_screen_lists_t *ls, const aib__scr_file_t *f, aib_diag_t *diag);
int aib__scr_load_dpl(aib_screen_lists_t *ls, const aib__scr_file_t *f, aib_diag_t *diag);
int aib__scr_load_csl(aib_screen_lists_t *ls, const aib__scr_file_t *f, aib_diag_t *diag);
int aib__scr_load_jsonl(aib_screen_lists_t *ls, const aib__scr_file_t *f, aib_diag_t *diag);

/* ---- tokens and pairwise name scoring (scr_normalize.c, scr_score.c) ---- */
enum {
    AIB__SCR_TOK_LEGAL = 1,    /* company legal form (weak) */
    AIB__SCR_TOK_PARTICLE = 2, /* al, bin, de, van, the... (weak) */
    AIB__SCR_TOK_INITIAL = 4,  /* one letter */
    AIB__SCR_TOK_GENERIC = 8   /* generic business word: bank, trading, group... */
};
#define AIB__SCR_MAX_TOKS 24
#define AIB__SCR_KEY_CAP 10

typedef struct aib__scr_tok {
    const char *s;
    uint16_t len;
    uint8_t flags;
    char key[AIB__SCR_KEY_CAP];
    float w;
} aib__scr_tok_t;

/* Splits folded text into tokens (pointing into text) with flags, keys and default weights. */
size_t aib__scr_tokenize(const char *text, aib__scr_tok_t *toks, size_t cap);
/* True when the folded token is a canonical legal form / particle / generic word. */
unsigned aib__scr_tok_class(const char *s, size_t len);

typedef struct aib__scr_nfeat {
    double cov_q, cov_c; /* weighted share of each side's tokens matched */
    double joined;       /* similarity of the names with spaces removed (best of orders);
                          * computed only when want_joined is set before the call */
    bool want_joined;
    bool conflict; /* each name has a strong word the other lacks */
    double name;         /* name similarity 0..1: 0.6 x smaller + 0.4 x larger coverage */
    double logit;        /* name part of the calibrated log-odds */
    size_t n_align;
    aib_screen_align_t align[2 * AIB__SCR_MAX_TOKS];
} aib__scr_nfeat_t;

/* Scores folded token lists (weights already set). */
void aib__scr_name_score(const aib__scr_tok_t *q, size_t nq, const aib__scr_tok_t *c, size_t nc, aib__scr_nfeat_t *f);
double aib__scr_sigmoid(double x);
/* The name features' log-odds terms (bias, coverage min, coverage max, joined, conflict). */
void aib__scr_name_contrib(const aib__scr_nfeat_t *f, double out[5]);
/* Appends the name explanation members (no braces) to b. In f->align, qtok/ctok point at the
 * aib__scr_tok_t they came from (cast), not at strings. */
int aib__scr_explain_name(const aib__scr_nfeat_t *f, aib_buf_t *b);

/* ---- candidate index (scr_cand_index.c) ---- */
typedef struct aib__scr_rec {
    uint32_t entry;
    uint32_t name;
    const char *folded;
    uint32_t tok0;
    uint16_t ntok;
} aib__scr_rec_t;

struct aib__scr_index {
    aib_arena_t *arena;
    aib__scr_rec_t *recs;
    size_t n_recs;
    aib__scr_tok_t *toks;
    size_t n_toks;
    /* open-addressing table of keys ("t:token", "p:key", "g:trigram") -> postings (CSR) */
    const char **keys;
    uint32_t *key_df;    /* distinct records per key */
    uint32_t *post_off;  /* n_keys + 1 */
    uint32_t *postings;  /* record indices */
    size_t n_keys;
    uint32_t *slots;     /* hash slots: key index + 1, 0 empty */
    size_t n_slots;
    size_t bytes;
};

int aib__scr_index_build(aib_screen_lists_t *ls, aib__scr_index_t **out);
void aib__scr_index_free(aib__scr_index_t *ix);
/* Key index or -1. */
long aib__scr_index_find(const aib__scr_index_t *ix, const char *key, size_t len);
/* IDF-style weight of a token against the index (1 for tokens the lists do not contain). */
float aib__scr_index_weight(const aib__scr_index_t *ix, const aib__scr_tok_t *t);
/* The rarity factor both use: clamp(1.2 ln((n+1)/(df+1)) / ln(n+1), 0.3, 1). */
double aib__scr_idf_factor(double df, double n);

/* ---- token prior (scr_token_prior.c, generated by bench/screen/token_prior.c) ---- */
/* Names the prior was counted over, and how many of them contain the folded token (0 when the
 * token is rarer than the table's cut-off). Used by pairwise scoring without loaded lists. */
extern const size_t aib__scr_prior_names;
unsigned aib__scr_prior_df(const char *tok, size_t len);
/* Sets each token's weight from its class and the prior. */
void aib__scr_prior_weights(aib__scr_tok_t *t, size_t n);

#endif
