/* alliance_int.h — internals of the alliance registry: the registry object, growable pointer
 * vectors, sorted key indexes and the JSON field readers every table loader shares. The loaders
 * (countries.c, groups.c, agreements.c, ear.c, itar.c, disclosure.c) parse into the registry's
 * arena; finish.c sorts and indexes once everything is in. */
#ifndef AIB_ALLIANCE_INT_H
#define AIB_ALLIANCE_INT_H

#include <jansson.h>

#include "aib/alliance.h"
#include "aib/arena.h"

/* Malloc-backed vector of pointers to arena objects (the objects never move). */
typedef struct aib__alliance_vec {
    void **v;
    size_t n, cap;
} aib__alliance_vec_t;

int aib__alliance_vec_push(aib__alliance_vec_t *vec, void *p);
void aib__alliance_vec_free(aib__alliance_vec_t *vec);

/* Sorted (key -> value) index. Keys are normalised by the caller and owned by the arena. prio
 * orders competing entries for one key: the lowest wins; two entries with the same key and
 * prio but different values are a conflict reported by finish. */
typedef struct aib__alliance_key {
    const char *key;
    void *val;
    int prio;
    const char *origin; /* file that added it, for conflict messages */
} aib__alliance_key_t;

typedef struct aib__alliance_index {
    aib__alliance_key_t *e;
    size_t n, cap;
    bool sorted;
} aib__alliance_index_t;

int aib__alliance_index_add(aib__alliance_index_t *ix, const char *key, void *val, int prio,
                            const char *origin);
/* Sorts, drops shadowed duplicates; AIB_EINVAL with diag on a same-priority conflict. */
int aib__alliance_index_finish(aib__alliance_index_t *ix, const char *what, aib_diag_t *diag);
void *aib__alliance_index_get(const aib__alliance_index_t *ix, const char *key);
void aib__alliance_index_free(aib__alliance_index_t *ix);

/* Priorities for country keys. */
enum { AIB__PRIO_CODE = 0, AIB__PRIO_ISO = 1, AIB__PRIO_DATA = 2, AIB__PRIO_EAR = 3 };

/* One Country Chart footnote. */
typedef struct aib__alliance_footnote {
    int number;
    const char *text;
} aib__alliance_footnote_t;

/* EAR territory inheritance (738.3(b)): destination name -> row name and basis. */
typedef struct aib__alliance_inherit {
    const char *name;
    const char *row;
    const char *basis;
} aib__alliance_inherit_t;

struct aib_alliance {
    aib_arena_t *arena;
    const char *data_dir, *ear_path, *iso_path, *ear_issue_date;
    size_t n_files;

    aib__alliance_vec_t countries;  /* aib_alliance_country_t*, sorted by alpha3 when finished */
    aib__alliance_vec_t country_aliases; /* per country: pending alias lists, see countries.c */
    aib__alliance_index_t country_ix;    /* "#POL"/"#PL"/"#616" and normalised names */
    bool countries_dirty;

    aib__alliance_vec_t groups;     /* aib_alliance_group_t*, in load order */
    aib__alliance_index_t group_ix; /* upper-cased ids and aliases */

    aib__alliance_vec_t agreements; /* aib_alliance_agreement_t* */
    aib_alliance_agreement_t *agreement_arr; /* contiguous, sorted by country then type */
    size_t n_agreement_arr;
    aib__alliance_vec_t profiles;   /* aib_alliance_profile_t*, sorted by country */

    /* EAR */
    aib__alliance_vec_t eccns;      /* aib_alliance_eccn_t*, sorted by eccn */
    aib__alliance_vec_t chart_rows; /* aib_alliance_chart_row_t* */
    aib__alliance_index_t row_ix;   /* "#ALPHA3" -> governing row (own or inherited) */
    const char **columns;
    size_t n_columns;
    aib__alliance_vec_t footnotes;  /* aib__alliance_footnote_t* */
    aib__alliance_vec_t inherits;   /* aib__alliance_inherit_t* */
    aib__alliance_vec_t exceptions; /* aib_alliance_ear_exception_t* */

    /* ITAR */
    aib__alliance_vec_t usml;       /* aib_alliance_usml_cat_t*, sorted by number */
    aib__alliance_vec_t exemptions; /* aib_alliance_itar_exemption_t* */
    aib__alliance_vec_t licences;   /* aib_alliance_itar_licence_t* */
    aib__alliance_vec_t thresholds; /* aib_alliance_itar_threshold_t* */

    /* Disclosure */
    aib__alliance_vec_t levels;     /* aib_alliance_class_level_t*, sorted by rank */
    aib__alliance_vec_t markings;   /* aib_alliance_marking_t* */
};

/* ---- JSON field readers ---------------------------------------------------------------------
 * A parse context names the file; path arguments are the JSON path of the object being read
 * ("groups[2]"), so every error reads "file: groups[2].members[5].from: ...". Strings are
 * copied into the registry arena. */
typedef struct aib__alliance_ctx {
    aib_alliance_t *a;
    const char *file;
    aib_diag_t *diag;
} aib__alliance_ctx_t;

/* Reports "path.key: msg" (key may be NULL) and returns AIB_ESCHEMA. */
int aib__alliance_err(aib__alliance_ctx_t *c, const char *path, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Parses text as JSON (duplicate keys rejected); syntax errors carry line:col. */
int aib__alliance_parse_json(aib__alliance_ctx_t *c, const char *data, size_t len, json_t **out);
/* Every key of obj must be in allowed (NULL-terminated) — unknown fields are errors. */
int aib__alliance_keys(aib__alliance_ctx_t *c, json_t *obj, const char *path,
                       const char *const *allowed);
int aib__alliance_obj(aib__alliance_ctx_t *c, json_t *v, const char *path);
int aib__alliance_str(aib__alliance_ctx_t *c, json_t *obj, const char *path, const char *key,
                      bool required, const char **out);
int aib__alliance_strs(aib__alliance_ctx_t *c, json_t *obj, const char *path, const char *key,
                       const char *const **out, size_t *n);
int aib__alliance_date(aib__alliance_ctx_t *c, json_t *obj, const char *path, const char *key,
                       bool required, aib_alliance_date_t *out);
int aib__alliance_bool(aib__alliance_ctx_t *c, json_t *obj, const char *path, const char *key,
                       bool *out);
int aib__alliance_num(aib__alliance_ctx_t *c, json_t *obj, const char *path, const char *key,
                      bool required, double *out, bool *present);
/* Array member key of obj (required); *arr borrowed from obj. */
int aib__alliance_arr(aib__alliance_ctx_t *c, json_t *obj, const char *path, const char *key,
                      json_t **arr);
/* Reads citation/source/as_of/unsure/note from obj; missing parts inherit from parent (may be
 * NULL). A citation and an as_of date are required once inherited. */
int aib__alliance_cite(aib__alliance_ctx_t *c, json_t *obj, const char *path,
                       const aib_alliance_cite_t *parent, aib_alliance_cite_t *out);
/* The cite keys, for aib__alliance_keys lists. */
#define AIB__CITE_KEYS "citation", "source", "as_of", "unsure", "note"

char *aib__alliance_strdup(aib_alliance_t *a, const char *s);

/* ---- Table loaders (called by load.c on a parsed document) ------------------------------- */
int aib__alliance_load_iso(aib__alliance_ctx_t *c, json_t *root);
int aib__alliance_load_countries(aib__alliance_ctx_t *c, json_t *root);
int aib__alliance_load_groups(aib__alliance_ctx_t *c, json_t *root);
int aib__alliance_load_agreements(aib__alliance_ctx_t *c, json_t *root);
int aib__alliance_load_profiles(aib__alliance_ctx_t *c, json_t *root);
int aib__alliance_load_usml(aib__alliance_ctx_t *c, json_t *root);
int aib__alliance_load_exemptions(aib__alliance_ctx_t *c, json_t *root);
int aib__alliance_load_licences(aib__alliance_ctx_t *c, json_t *root);
int aib__alliance_load_thresholds(aib__alliance_ctx_t *c, json_t *root);
int aib__alliance_load_classification(aib__alliance_ctx_t *c, json_t *root);
int aib__alliance_load_ccl(aib__alliance_ctx_t *c, json_t *root);
int aib__alliance_load_chart(aib__alliance_ctx_t *c, json_t *root);
int aib__alliance_load_ear_groups(aib__alliance_ctx_t *c, json_t *root);
int aib__alliance_load_ear_exceptions(aib__alliance_ctx_t *c, json_t *root);
/* Parses one EAR file (base selects the table); name is used in diagnostics. */
int aib__alliance_load_ear_file(aib_alliance_t *a, const char *name, const char *base,
                                const char *data, size_t len, aib_diag_t *diag);
/* Reads the EAR snapshot from a .tar.gz archive or a folder of its JSON files. */
int aib__alliance_read_ear(aib_alliance_t *a, const char *path, aib_diag_t *diag);

/* ---- Countries ----------------------------------------------------------------------------- */
/* Normalises a country name for lookup: lower case ASCII (common Latin accents folded), "&" ->
 * "and", "saint" -> "st", punctuation to spaces, "the"/"of" dropped, words sorted. */
void aib__alliance_name_key(const char *name, char *out, size_t cap);
/* Rebuilds the country index if countries or aliases were added (before resolving names). */
int aib__alliance_countries_finish(aib_alliance_t *a, aib_diag_t *diag);
/* Adds alias -> country at prio (the alias string is also listed on the country) and re-sorts
 * the index so the next lookup sees it. */
int aib__alliance_country_alias(aib_alliance_t *a, aib_alliance_country_t *co, const char *alias,
                                int prio, const char *origin, aib_diag_t *diag);
/* Resolves a country key (as aib_alliance_country, but mutable for loaders). */
aib_alliance_country_t *aib__alliance_country_find(const aib_alliance_t *a, const char *key);

/* ---- Finishing ------------------------------------------------------------------------------ */
/* Sorts tables, builds indexes, checks cross references (group includes, exemption groups,
 * threshold groups). Called after every load. */
int aib__alliance_finish(aib_alliance_t *a, aib_diag_t *diag);
int aib__alliance_groups_finish(aib_alliance_t *a, aib_diag_t *diag);
int aib__alliance_itar_finish(aib_alliance_t *a, aib_diag_t *diag);
/* Registers a built group (sorts and checks its members, indexes id and aliases). */
int aib__alliance_add_group(aib__alliance_ctx_t *c, const char *path, aib_alliance_group_t *g);

#endif
