/* label_int.h — private model of the label module: the compiled SPIF (classifications, tag sets,
 * tags, categories, their marking data, rules and equivalences), labels and clearances, the XML
 * helpers shared by the SPIF and label readers, and the US marking table. Everything of a policy
 * lives in the policy's arena; a label or clearance owns a small arena of its own. */
#ifndef AIB_LABEL_INT_H
#define AIB_LABEL_INT_H

#include <libxml/tree.h>

#include "aib/label.h"

/* Marking codes of Open XML SPIF markingData (bit masks). */
enum {
    AIB__LM_PAGE_TOP = 1,
    AIB__LM_PAGE_BOTTOM = 2,
    AIB__LM_DOC_END = 4,
    AIB__LM_NO_NAME = 8,
    AIB__LM_NO_MARKING = 16,
    AIB__LM_DOC_START = 32,
    AIB__LM_SUPPRESS_CLASS = 64,
    AIB__LM_REPLACE_POLICY = 128
};

typedef struct aib__label_phrase {
    unsigned mask;
    const char *text; /* NULL: the element has no phrase attribute */
} aib__label_phrase_t;

/* Marking data and qualifiers for one language ("" = default). */
typedef struct aib__label_marking {
    const char *lang;
    const char *prefix, *suffix, *sep; /* never NULL */
    aib__label_phrase_t *ph;
    size_t n_ph;
} aib__label_marking_t;

typedef struct aib__label_markings {
    aib__label_marking_t *v;
    size_t n;
} aib__label_markings_t;

typedef struct aib_label_cat aib__label_cat_t;
typedef struct aib_label_tag aib__label_tag_t;
typedef struct aib_label_tagset aib__label_tagset_t;
typedef struct aib_label_class aib__label_class_t;

/* A categoryGroup: a tag set by name, a tag type and one lacv or all categories of that type.
 * Resolved groups list their categories; groups of equivalences are resolved against the
 * target policy when a label is translated. */
typedef struct aib__label_group {
    const char *tagset;
    aib_label_tagtype_t type;
    bool has_lacv;
    uint64_t lacv;
    int line;
    const aib__label_cat_t **cats;
    size_t n_cats;
} aib__label_group_t;

enum { AIB__LOP_ONLY_ONE, AIB__LOP_ONE_OR_MORE, AIB__LOP_ALL };

typedef struct aib__label_req {
    int op;
    aib__label_group_t *g;
    size_t n;
} aib__label_req_t;

typedef struct aib__label_rules {
    const aib__label_class_t **excl_class;
    size_t n_excl_class;
    aib__label_group_t *excl;
    size_t n_excl;
    aib__label_req_t *req;
    size_t n_req;
} aib__label_rules_t;

enum { AIB__LAPPLY_ENCRYPT = 1, AIB__LAPPLY_DECRYPT = 2 };

typedef struct aib__label_equiv_class {
    const char *policy_id;
    uint64_t lacv;
    int applied;
    aib__label_req_t *req; /* unresolved: names refer to the target policy */
    size_t n_req;
} aib__label_equiv_class_t;

typedef struct aib__label_equiv_cat {
    const char *policy_id;
    bool discard;
    const char *tagset_id;
    aib_label_tagtype_t type;
    uint64_t lacv;
} aib__label_equiv_cat_t;

struct aib_label_class {
    uint64_t lacv;
    const char *name;
    int64_t hierarchy;
    aib__label_markings_t mk;
    aib__label_rules_t rules;
    aib__label_equiv_class_t *eq;
    size_t n_eq;
    int line;
    const xmlNode *src; /* only while the policy loads */
};

struct aib_label_cat {
    const aib__label_tag_t *tag;
    uint64_t lacv;
    const char *name;
    size_t ordinal; /* position in the policy: labels keep categories in this order */
    aib__label_markings_t mk;
    aib__label_rules_t rules;
    aib__label_equiv_cat_t *eq;
    size_t n_eq;
    int line;
    const xmlNode *src; /* only while the policy loads */
};

struct aib_label_tag {
    const aib__label_tagset_t *ts;
    const char *name;
    aib_label_tagtype_t type;
    aib__label_markings_t mk;
    aib__label_cat_t *cats;
    size_t n_cats;
};

struct aib_label_tagset {
    const aib_label_policy_t *policy;
    const char *name;
    const char *id;
    aib__label_tag_t *tags;
    size_t n_tags;
};

typedef struct aib__label_equiv_policy {
    const char *name;
    const char *id;
    aib__label_req_t *req; /* unresolved, target policy */
    size_t n_req;
} aib__label_equiv_policy_t;

struct aib_label_policy {
    aib_arena_t *arena;
    const char *file;
    const char *name;
    const char *id;
    const char *rbac_id;
    const char *privilege_id;
    aib__label_markings_t mk;
    aib__label_class_t *classes; /* in document order */
    size_t n_classes;
    aib__label_tagset_t *tagsets;
    size_t n_tagsets;
    aib__label_equiv_policy_t *equivs;
    size_t n_equivs;
    const aib__label_cat_t **by_ordinal;
    size_t n_cats;
};

struct aib_label_site {
    aib_label_policy_t **p;
    size_t n, cap;
};

struct aib_label {
    aib_arena_t *arena;
    const aib_label_policy_t *policy;
    const aib__label_class_t *cls;
    const aib__label_cat_t **cats; /* sorted by ordinal, unique */
    size_t n_cats;
};

struct aib_label_clearance {
    aib_arena_t *arena;
    const aib_label_policy_t *policy;
    const aib__label_class_t **classes; /* sorted by hierarchy then lacv, unique */
    size_t n_classes;
    const aib__label_cat_t **cats;
    size_t n_cats;
};

/* ---- label_xml.c ------------------------------------------------------------------------------------ */

/* Parses XML without network access, DTD loading or entity expansion. lenient: a misspelt end tag
 * that closes the open element is accepted (*recovered set); other errors fail with line:col. */
int aib__label_xml_parse(const char *name, const char *data, size_t len, bool lenient, xmlDocPtr *out,
                         bool *recovered, aib_diag_t *diag);
bool aib__label_xml_is(const xmlNode *n, const char *local);
xmlNodePtr aib__label_xml_child(const xmlNode *n, const char *local);
/* Next element sibling with that local name after n (n itself excluded); NULL at the end. */
xmlNodePtr aib__label_xml_next(const xmlNode *n, const char *local);
/* Attribute without namespace, copied into arena; NULL when absent. */
const char *aib__label_xml_attr(aib_arena_t *a, const xmlNode *n, const char *name);
/* xml:lang of the element ("" when absent), copied into arena. */
const char *aib__label_xml_lang(aib_arena_t *a, const xmlNode *n);
/* Text content, copied into arena (never NULL). trim strips surrounding white space. */
const char *aib__label_xml_text(aib_arena_t *a, const xmlNode *n, bool trim);
const char *aib__label_xml_ns(const xmlNode *n); /* namespace URI or NULL */
/* Appends s XML-escaped (attribute-safe). */
int aib__label_xml_escape(aib_buf_t *b, const char *s);

/* ---- label_spif.c ----------------------------------------------------------------------------------- */

int aib__label_parse_lacv(const char *s, uint64_t *out);
int aib__label_tagtype_parse_policy(const char *tag_type, const char *enum_type, aib_label_tagtype_t *out);
int aib__label_tagtype_parse_label(const char *s, aib_label_tagtype_t *out);
const char *aib__label_tagtype_name(aib_label_tagtype_t t);
aib_label_tagtype_t aib__label_tagtype_norm(aib_label_tagtype_t t);
bool aib__label_tagtype_restrictive(aib_label_tagtype_t t);
bool aib__label_tagtype_permissive(aib_label_tagtype_t t);
const aib__label_class_t *aib__label_class_by_lacv(const aib_label_policy_t *p, uint64_t lacv);
const aib__label_class_t *aib__label_class_by_name(const aib_label_policy_t *p, const char *name, bool fold);
const aib__label_tagset_t *aib__label_tagset_by_id(const aib_label_policy_t *p, const char *id);
const aib__label_tagset_t *aib__label_tagset_by_name(const aib_label_policy_t *p, const char *name, bool fold);
const aib__label_cat_t *aib__label_cat_by_lacv(const aib__label_tagset_t *ts, aib_label_tagtype_t t, uint64_t lacv);
/* By name under the normalised type (enumerated permissive matches permissive). */
const aib__label_cat_t *aib__label_cat_by_name(const aib__label_tagset_t *ts, aib_label_tagtype_t t,
                                               const char *name, bool fold);
/* Resolves g against p into g->cats (arena a). diag names the unknown tag set or category. */
int aib__label_group_resolve(const aib_label_policy_t *p, aib_arena_t *a, aib__label_group_t *g,
                             const char *file, aib_diag_t *diag);
/* Parses requiredCategory children of n into req (unresolved). */
int aib__label_parse_reqs(aib_arena_t *a, const char *file, const xmlNode *n, aib__label_req_t **req,
                          size_t *n_req, aib_diag_t *diag);

/* ---- label_markings.c ------------------------------------------------------------------------------- */

int aib__label_markings_parse(aib_arena_t *a, const char *file, const xmlNode *n, aib__label_markings_t *out,
                              aib_diag_t *diag);
const aib__label_marking_t *aib__label_markings_get(const aib__label_markings_t *m, const char *lang);

/* ---- label_4774.c ------------------------------------------------------------------------------ */

/* Sorts and de-duplicates a category array by ordinal (in place); returns the new count. */
size_t aib__label_cats_normalise(const aib__label_cat_t **cats, size_t n);
bool aib__label_has_cat(const aib__label_cat_t *const *cats, size_t n, const aib__label_cat_t *c);
int aib__label_new(const aib_label_policy_t *p, const aib__label_class_t *cls, aib_label_t **out);
/* Adds c to l (keeps order); AIB_EINVAL when c belongs to another policy. */
int aib__label_add_cat(aib_label_t *l, const aib__label_cat_t *c);

/* ---- label_us_data.c / label_banner.c --------------------------------------------------------------------- */

typedef struct aib__label_us_ctl {
    const char *id;       /* canonical banner spelling */
    const char *portion;  /* portion-mark abbreviation (may equal id) */
    const char **aliases;
    size_t n_aliases;
    int kind;             /* AIB__LUS_* */
    int order;            /* position within its category in the banner */
    int foreign;          /* AIB__LUS_FOREIGN_* */
    bool needs_caveat;    /* requester must hold it as a caveat */
    bool cui_only, unclassified_only;
    bool specified;       /* CUI category: Specified (written SP-ID) */
    const char *citation;
    bool unsure;
} aib__label_us_ctl_t;

enum { AIB__LUS_LEVEL, AIB__LUS_SCI, AIB__LUS_DISSEM, AIB__LUS_CUI_CAT };
enum {
    AIB__LUS_FOREIGN_NA,        /* says nothing about foreign release */
    AIB__LUS_FOREIGN_FORBIDDEN, /* NOFORN, FED ONLY ... */
    AIB__LUS_FOREIGN_LISTED,    /* REL TO, DISPLAY ONLY: the list decides */
    AIB__LUS_FOREIGN_OFFICIAL,  /* RELIDO: a disclosure official decides */
    AIB__LUS_FOREIGN_LICENCE    /* CUI export-controlled: needs an export authorisation */
};

typedef struct aib__label_us_level {
    const char *name, *portion;
    const char **aliases;
    size_t n_aliases;
    int rank;
    bool classified;
    const char *citation;
} aib__label_us_level_t;

typedef struct aib__label_us_tetra {
    const char *code, *name, *citation, *as_of;
    bool unsure;
    const char **members;
    size_t n_members;
} aib__label_us_tetra_t;

struct aib_label_us {
    aib_arena_t *arena;
    aib__label_us_level_t *levels;
    size_t n_levels;
    aib__label_us_level_t cui; /* the CUI banner word */
    aib__label_us_ctl_t *ctls;
    size_t n_ctls;
    aib__label_us_tetra_t *tetras;
    size_t n_tetras;
    const char **countries; /* alpha-3, sorted */
    size_t n_countries;
    const char **alpha2;    /* parallel to alpha2_to3 */
    const char **alpha2_to3;
    size_t n_alpha2;
    const char *rules_citation;
    const char *rel_order_citation, *noforn_conflict_citation, *cui_order_citation, *dissem_order_citation;
    const char *cui_classified_citation, *foreign_default_citation, *access_level_citation;
};

const aib__label_us_level_t *aib__label_us_level(const aib_label_us_t *us, const char *tok);
const aib__label_us_ctl_t *aib__label_us_ctl(const aib_label_us_t *us, const char *tok, int kind);
const aib__label_us_tetra_t *aib__label_us_tetra(const aib_label_us_t *us, const char *code);
/* Alpha-3 for an alpha-3 or alpha-2 code (NULL when unknown). */
const char *aib__label_us_country(const aib_label_us_t *us, const char *code);

#endif
