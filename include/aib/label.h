/* label.h — security labels: US-style banner markings (parse, emit, validate, access check),
 * NATO ADatP-4774 confidentiality labels and clearances under Open XML SPIF policies (display
 * markings, validity, access control decision, equivalent-policy translation), and Ed25519
 * label-to-data bindings in the spirit of ADatP-4778. Every record in the registry carries a label;
 * search, handoff and the API decide releasability through this interface.
 *
 * Ownership: each object type owns every string and array it hands out, until its *_free.
 * A SPIF site owns its policies; labels and clearances point into them, so a site must outlive the
 * labels parsed against it. Loaded sites and marking tables are read-only and may be shared by
 * threads. Errors: functions return 0 or a negative AIB_E* code and fill the caller's aib_diag_t
 * with the place (file:line, or a field/segment) and a plain message. No function aborts on bad
 * input. */
#ifndef AIB_LABEL_H
#define AIB_LABEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aib/arena.h"
#include "aib/common.h"

/* =========================== US banner markings ============================================== */

/* Reference data for banner markings: classification levels, CUI categories, dissemination
 * controls, SCI/SAP control systems and REL TO tetragraphs, with citations (data/label/
 * us-markings.json). Countries come from ISO 3166-1 alpha-3 (Debian iso-codes). */
typedef struct aib_label_us aib_label_us_t;

/* path: the markings JSON; NULL: $AIB_DATA_DIR/label/us-markings.json, else ./data/label/..., else
 * the source tree's data/ (found from /proc/self/exe). iso_path: ISO 3166-1 JSON; NULL: Debian
 * iso-codes. */
int aib_label_us_load(const char *path, const char *iso_path, aib_label_us_t **out, aib_diag_t *diag);
/* From memory (tests, fuzzers). iso may be NULL: then every alpha-3 code of the table's
 * "extra_trigraphs" plus the tetragraph members are the known countries. */
int aib_label_us_load_mem(const char *name, const char *json, size_t len, const char *iso_json,
                          size_t iso_len, aib_label_us_t **out, aib_diag_t *diag);
void aib_label_us_free(aib_label_us_t *us);
/* Members of a tetragraph (alpha-3, sorted) or NULL when code is not a known tetragraph. */
const char *const *aib_label_us_tetragraph(const aib_label_us_t *us, const char *code, size_t *n);

/* One problem found in a banner: the segment it is in (1-based "//"-separated part; 0 = whole)
 * and what the rule says, with the rule's citation. */
typedef struct aib_label_issue {
    int segment;
    const char *msg;
    const char *citation;
} aib_label_issue_t;

/* A parsed banner. Strings are canonical spellings from the table (or the trigraphs as written,
 * upper-cased). Owned by the arena given to the parser. */
typedef struct aib_label_banner {
    const char *level;      /* "UNCLASSIFIED", "CONFIDENTIAL", "SECRET", "TOP SECRET", or "CUI" */
    int rank;               /* from the table: U 0, CUI 1, C 2, S 3, TS 4 */
    bool cui;
    bool portion;           /* written as a portion mark "(S//NF)" */
    const char **sci;       /* SCI control systems, e.g. "SI", "TK" */
    size_t n_sci;
    const char **sap;       /* SAP markings after "SAR-" */
    size_t n_sap;
    const char **cui_cats;  /* "SP-EXPT", "PRVCY" ... */
    size_t n_cui_cats;
    const char **dissem;    /* dissemination controls as written ("REL TO" and "DISPLAY ONLY" appear
                             * here once; their entries are in rel_to / display_only) */
    size_t n_dissem;
    const char **rel_to;    /* REL TO tokens as listed (trigraphs and tetragraphs) */
    size_t n_rel_to;
    const char **display_only; /* DISPLAY ONLY tokens */
    size_t n_display_only;
    const char **rel_countries; /* REL TO expanded to alpha-3 countries, sorted, unique */
    size_t n_rel_countries;
    bool noforn;            /* any control that forbids foreign release (NOFORN, FED ONLY...) */
    /* Register-rule problems found while parsing (ordering, conflicts). A banner with issues
     * is parsed but invalid; aib_label_banner_parse with strict=true fails on the first. */
    aib_label_issue_t *issues;
    size_t n_issues;
} aib_label_banner_t;

/* Parses a banner ("SECRET//REL TO USA, AUS, GBR", "CUI//SP-EXPT//NOFORN", "TOP SECRET//NOFORN")
 * or portion mark ("(S//REL TO USA, GBR)", "(U)"), abbreviations accepted. Unknown tokens and
 * malformed structure are errors (AIB_EPARSE, diag names the segment and column); rule violations
 * are recorded in issues (strict: AIB_EINVAL on the first). */
int aib_label_banner_parse(const aib_label_us_t *us, const char *text, bool strict, aib_arena_t *arena,
                           aib_label_banner_t **out, aib_diag_t *diag);
/* Emits the canonical banner (portion=false) or portion mark (portion=true) into out: full
 * names, categories in register order, REL TO as USA, trigraphs A-Z, tetragraphs A-Z. */
int aib_label_banner_format(const aib_label_us_t *us, const aib_label_banner_t *b, bool portion,
                            aib_buf_t *out);

/* Who asks: nation (alpha-3 or alpha-2), the highest level held (a level name or abbreviation,
 * "CUI" for CUI-only access), and caveats (SCI systems, SAPs, approvals such as ORCON) held. */
typedef struct aib_label_requester {
    const char *nation;
    const char *clearance;
    const char *const *caveats;
    size_t n_caveats;
} aib_label_requester_t;

typedef struct aib_label_decision {
    bool allowed;
    char reason[512];   /* why (denial: the first rule that failed; allow: what made it so) */
    const char *citation; /* the rule's source, static or owned by the table */
} aib_label_decision_t;

/* The access check: level dominance, caveats (SCI, SAP, approval controls), foreign release
 * (NOFORN-class controls, REL TO / DISPLAY ONLY lists with tetragraphs expanded; classified
 * information without a release marking is not releasable to foreign nationals). A banner with
 * issues is denied (invalid label). Returns 0 (decision filled) or AIB_EINVAL for a bad
 * requester (unknown nation or level; diag says which field). */
int aib_label_banner_access(const aib_label_us_t *us, const aib_label_banner_t *b,
                            const aib_label_requester_t *who, aib_label_decision_t *out, aib_diag_t *diag);

/* =========================== ADatP-4774 labels under SPIF policies ========================== */

typedef struct aib_label_site aib_label_site_t;     /* a set of loaded SPIF policies */
typedef struct aib_label_policy aib_label_policy_t; /* one SPIF */
typedef struct aib_label aib_label_t;               /* a confidentiality label */
typedef struct aib_label_clearance aib_label_clearance_t;

typedef enum aib_label_tagtype {
    AIB_LABEL_RESTRICTIVE,
    AIB_LABEL_PERMISSIVE,
    AIB_LABEL_ENUM_RESTRICTIVE,
    AIB_LABEL_ENUM_PERMISSIVE,
    AIB_LABEL_INFORMATIVE
} aib_label_tagtype_t;

typedef enum aib_label_format {
    AIB_LABEL_FMT_ANY,  /* input only: detected from the XML namespace */
    AIB_LABEL_FMT_XML,  /* the compact XML form: <label><policy id/><classification lacv/><tag/> */
    AIB_LABEL_FMT_NATO  /* ADatP-4774 XML: originatorConfidentialityLabel / ConfidentialityClearance */
} aib_label_format_t;

int aib_label_site_new(aib_label_site_t **out);
void aib_label_site_free(aib_label_site_t *s);
/* Parses an Open XML SPIF and adds it. name is used in diagnostics. A closing tag whose name is
 * misspelt but which closes the open element is tolerated (diag->msg then holds a warning and
 * *warned is set, may be NULL); any other XML error fails. Policy errors fail with the message
 * naming the rule ("Duplicate excluded classification in category") and the line. Duplicate
 * policy id or name fails with AIB_EEXIST. */
int aib_label_site_load(aib_label_site_t *s, const char *name, const char *xml, size_t len,
                        bool *warned, aib_diag_t *diag);
int aib_label_site_load_file(aib_label_site_t *s, const char *path, bool *warned, aib_diag_t *diag);
const aib_label_policy_t *aib_label_site_policy(const aib_label_site_t *s, const char *id);
const aib_label_policy_t *aib_label_site_policy_by_name(const aib_label_site_t *s, const char *name);

const char *aib_label_policy_id(const aib_label_policy_t *p);
const char *aib_label_policy_name(const aib_label_policy_t *p);

/* Parses a label (exactly one classification) or a clearance (any number of classifications;
 * no informative categories). Empty input fails with "No data to parse"; BER is not supported. */
int aib_label_parse(const aib_label_site_t *s, const char *name, const char *data, size_t len,
                    aib_label_format_t fmt, aib_label_t **out, aib_diag_t *diag);
int aib_label_clearance_parse(const aib_label_site_t *s, const char *name, const char *data, size_t len,
                              aib_label_format_t fmt, aib_label_clearance_t **out, aib_diag_t *diag);
void aib_label_free(aib_label_t *l);
void aib_label_clearance_free(aib_label_clearance_t *c);

/* Builds a clearance that holds the classification named level (name, or lacv in decimal) and
 * every classification of lower hierarchy (dominance), plus every non-informative category of
 * the policy when all_categories is set. */
int aib_label_clearance_from_level(const aib_label_policy_t *p, const char *level, bool all_categories,
                                   aib_label_clearance_t **out, aib_diag_t *diag);

const aib_label_policy_t *aib_label_policy(const aib_label_t *l);
const char *aib_label_classification(const aib_label_t *l);
size_t aib_label_category_count(const aib_label_t *l);
/* Category i (in policy order): name, tag set name and type. */
const char *aib_label_category(const aib_label_t *l, size_t i, const char **tagset, aib_label_tagtype_t *type);

/* Serialises in fmt (XML or NATO). Parsing the output gives an equal label. */
int aib_label_write(const aib_label_t *l, aib_label_format_t fmt, aib_buf_t *out);
int aib_label_clearance_write(const aib_label_clearance_t *c, aib_label_format_t fmt, aib_buf_t *out);
/* True when l and m have the same policy, classification and categories. */
bool aib_label_equal(const aib_label_t *l, const aib_label_t *m);

/* Display marking from the SPIF's marking data for language lang ("" or NULL: default; "fr-CA"
 * falls back to "fr", then default). */
int aib_label_marking(const aib_label_t *l, const char *lang, aib_buf_t *out);
int aib_label_clearance_marking(const aib_label_clearance_t *c, const char *lang, aib_buf_t *out);

/* Label validity under the policy's rules: excluded classifications, excluded categories and
 * required category groups (onlyOne, oneOrMore, all) of the classification and of each category.
 * why (may be NULL) receives the first violated rule. */
bool aib_label_valid(const aib_label_t *l, char *why, size_t why_cap);

/* Access control decision: the clearance must hold the label's classification; every restrictive
 * category of the label must be held; for each permissive tag, at least one of the label's
 * categories of that tag must be held; informative categories are ignored. Label and clearance
 * must be under the same policy. reason (may be NULL) says why. */
bool aib_label_acdf(const aib_label_t *l, const aib_label_clearance_t *c, char *reason, size_t reason_cap);

/* Translates l into the equivalent policy target_id (which must be loaded in s) using the SPIF's
 * equivalentClassification / equivalentSecCategoryTag / equivalentPolicy rules. */
int aib_label_translate(const aib_label_site_t *s, const aib_label_t *l, const char *target_id,
                        aib_label_t **out, aib_diag_t *diag);

/* =========================== Binding (ADatP-4778 spirit) ===================================== */

#define AIB_LABEL_PK_BYTES 32
#define AIB_LABEL_SK_BYTES 64
#define AIB_LABEL_SIG_BYTES 64

/* Fresh Ed25519 key pair (libsodium). */
int aib_label_keygen(uint8_t pk[AIB_LABEL_PK_BYTES], uint8_t sk[AIB_LABEL_SK_BYTES]);
/* Key files are one line of lowercase hex: "aib-ed25519-secret <128 hex>" or
 * "aib-ed25519-public <64 hex>". A secret key file also yields its public key. Writing a secret
 * key creates the file with mode 0600 and refuses to overwrite. */
int aib_label_key_save(const char *path, const uint8_t *key, bool secret, aib_diag_t *diag);
int aib_label_key_load(const char *path, uint8_t pk[AIB_LABEL_PK_BYTES], uint8_t sk[AIB_LABEL_SK_BYTES],
                       bool *has_secret, aib_diag_t *diag);

/* The bytes that are signed: "aib-label-binding/1\n", the label's kind ("banner", "xml", "nato"),
 * "\n", the label length in decimal, "\n", the label bytes, "\n", and the SHA-256 of the data in
 * lowercase hex, "\n". Written to out (cleared first). */
int aib_label_binding_canonical(const char *kind, const char *label, size_t label_len,
                                const uint8_t *data, size_t data_len, aib_buf_t *out);
/* Signs the canonical encoding and writes the binding document (JSON: version, kind, label,
 * data_sha256, public_key, signature) to out. */
int aib_label_bind(const char *kind, const char *label, size_t label_len, const uint8_t *data, size_t data_len,
                   const uint8_t sk[AIB_LABEL_SK_BYTES], aib_buf_t *out, aib_diag_t *diag);
/* Verifies a binding document against the data and the trusted public key pk (never the key
 * inside the document). 0 when valid; AIB_EDENIED when the label, data or signature was changed
 * or the key differs (diag says which); AIB_EPARSE for a malformed document. On success the
 * label is copied to label_out (may be NULL) and its kind to kind_out (cap >= 16, may be NULL). */
int aib_label_binding_verify(const char *doc, size_t doc_len, const uint8_t *data, size_t data_len,
                             const uint8_t pk[AIB_LABEL_PK_BYTES], aib_buf_t *label_out, char *kind_out,
                             aib_diag_t *diag);

/* =========================== Conformance ===================================================== */

/* Runs the expectations of a label-conformance tests.xml (display markings, validity, access
 * results, expected exceptions, plus write/parse round trips). path: a folder holding tests.xml
 * (or a label-conformance/ subfolder) or a .tar.gz of it. Each <policy> and each <test> is one
 * check. A test whose fixture file is absent from the data while it expects an outcome other than
 * the missing-file one cannot run: it is counted as skipped and reported. log (may be NULL)
 * receives one line per check. */
typedef struct aib_label_conf_result {
    int passed, failed, skipped;
} aib_label_conf_result_t;

int aib_label_conformance(const char *path, aib_buf_t *log, bool verbose, aib_label_conf_result_t *res,
                          aib_diag_t *diag);

#endif
