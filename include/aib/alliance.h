/* alliance.h — the alliance registry and regulatory reference data: countries (ISO 3166 plus EAR
 * names), groupings with dated memberships (NATO, FVEY, NTIB, EU, regimes, EAR country groups,
 * ITAR §126.1, REL TO tetragraphs...), bilateral agreements, protection profiles, the EAR tables
 * (CCL, Country Chart, country groups, licence exceptions), ITAR tables (USML, §126.5, §126.7,
 * licence types, §123.15 thresholds) and foreign-disclosure markings. Used by determinations,
 * eligibility and `aib alliance`. Every fact is data (data/alliance, data/itar, data/disclosure,
 * the EAR archive, Debian iso-codes); see docs/data-sources.md.
 *
 * Ownership: an aib_alliance_t owns every struct and string it hands out; they live until
 * aib_alliance_free. After loading it is read-only and may be shared by threads. All strings
 * are NUL-terminated UTF-8. Lookups of names and codes are case-insensitive. Country codes in
 * results are ISO 3166-1 alpha-3 ("trigraphs", as used in REL TO), e.g. "POL". */
#ifndef AIB_ALLIANCE_H
#define AIB_ALLIANCE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "aib/common.h"

/* ---- Dates ----------------------------------------------------------------------------------- */

/* A calendar date as the integer YYYYMMDD (e.g. 20230404), so dates compare with < and ==.
 * 0 means "unknown / unbounded" where a field says so. */
typedef int32_t aib_alliance_date_t;

/* Parses exactly "YYYY-MM-DD" (a real calendar date). 0 or AIB_EINVAL. */
int aib_alliance_date_parse(const char *s, aib_alliance_date_t *out);
/* Writes "YYYY-MM-DD" (or "" for 0) into buf (cap >= 11), always terminated. */
void aib_alliance_date_format(aib_alliance_date_t d, char *buf, size_t cap);
/* Today's date (UTC). */
aib_alliance_date_t aib_alliance_date_today(void);

/* ---- Loading --------------------------------------------------------------------------------- */

typedef struct aib_alliance aib_alliance_t;

typedef struct aib_alliance_opts {
    /* Folder holding alliance/, itar/ and disclosure/. NULL: $AIB_DATA_DIR, else ./data, else
     * the data/ folder of the source tree the binary was built in (found from /proc/self/exe). */
    const char *data_dir;
    /* EAR tables: ear-data.tar.gz (read with libarchive) or a folder with its extracted JSON
     * files. NULL: $AIB_SHARED_DATA/ear-data.tar.gz, else ../shared/data/ear-data.tar.gz. */
    const char *ear_path;
    /* ISO 3166-1 JSON. NULL: /usr/share/iso-codes/json/iso_3166-1.json (Debian iso-codes). */
    const char *iso_path;
    /* When true, a missing EAR archive is not an error and the EAR tables stay empty (the EAR
     * country groups then have no members). Default false: everything must load. */
    bool ear_optional;
} aib_alliance_opts_t;

/* Loads everything. opts may be NULL (all defaults). On error *out is NULL, the return value is
 * negative and diag names the file and the place (line:col for JSON syntax, otherwise a field
 * path such as "groups[2].members[5].from"). */
int aib_alliance_load(const aib_alliance_opts_t *opts, aib_alliance_t **out, aib_diag_t *diag);
void aib_alliance_free(aib_alliance_t *a);

/* Loads a single reference-data file from memory into a (a data file as in data/alliance,
 * data/itar or data/disclosure; its "kind" field selects the table). name is used in
 * diagnostics. For tests and the fuzzers: a must come from aib_alliance_new_empty. */
int aib_alliance_new_empty(aib_alliance_t **out);
int aib_alliance_load_mem(aib_alliance_t *a, const char *name, const char *data, size_t len,
                          aib_diag_t *diag);
/* Same for the EAR tables: base is the archive member's base name ("ccl.json",
 * "country-chart.json", "country-groups.json", "license-exception-catalog.json"). */
int aib_alliance_load_ear_mem(aib_alliance_t *a, const char *base, const char *data, size_t len,
                              aib_diag_t *diag);

/* Provenance of what was loaded (strings owned by a; NULL when not loaded). */
typedef struct aib_alliance_info {
    const char *data_dir;
    const char *ear_path;
    const char *ear_issue_date; /* eCFR issue date of the EAR snapshot, "YYYY-MM-DD" */
    const char *iso_path;
    size_t n_countries, n_groups, n_agreements, n_profiles, n_eccns, n_chart_rows;
    size_t n_files;             /* data files read */
} aib_alliance_info_t;
void aib_alliance_info(const aib_alliance_t *a, aib_alliance_info_t *out);

/* A citation for one fact. as_of is the date the fact was last checked against its source
 * ("YYYY-MM-DD"); unsure marks facts the data could not confirm (treat with care). */
typedef struct aib_alliance_cite {
    const char *citation; /* e.g. "10 U.S.C. 4801(1)"; never NULL for data-file facts */
    const char *source;   /* URL or document, may be NULL */
    const char *as_of;
    bool unsure;
    const char *note;     /* may be NULL */
} aib_alliance_cite_t;

/* ---- Countries ------------------------------------------------------------------------------- */

typedef struct aib_alliance_country {
    const char *alpha2;        /* "PL" */
    const char *alpha3;        /* "POL" */
    const char *numeric;       /* "616"; NULL for codes outside ISO 3166 (Kosovo) */
    const char *name;          /* ISO short name, "Poland" */
    const char *official_name; /* may be NULL */
    const char *common_name;   /* may be NULL ("Taiwan", "Bolivia") */
    /* EAR: the Country Chart row that governs this country (NULL when none) and, when that row
     * is another country's (Hong Kong -> "China"), the basis for the inheritance. */
    const char *ear_row;
    const char *ear_row_basis;
    const char *const *aliases; /* every other accepted name (EAR spellings, data aliases) */
    size_t n_aliases;
} aib_alliance_country_t;

/* Resolves alpha-2, alpha-3, numeric, any name or alias (EAR chart and group spellings
 * included). NULL when unknown. */
const aib_alliance_country_t *aib_alliance_country(const aib_alliance_t *a, const char *key);
size_t aib_alliance_country_count(const aib_alliance_t *a);
/* Sorted by alpha3. */
const aib_alliance_country_t *aib_alliance_country_at(const aib_alliance_t *a, size_t i);

/* ---- Groupings ------------------------------------------------------------------------------- */

/* One membership period of one country. A country may have several (left and rejoined). */
typedef struct aib_alliance_membership {
    const char *country;       /* alpha-3 */
    aib_alliance_date_t from;  /* first day of membership; 0 = unknown/since the group's start */
    aib_alliance_date_t until; /* last day of membership (inclusive); 0 = still a member */
    /* Group-specific status, NULL if none. ITAR §126.1: "denial" (policy of denial) or
     * "case_by_case"; MNNA: "statutory" or "designated". */
    const char *status;
    aib_alliance_cite_t cite;
} aib_alliance_membership_t;

typedef struct aib_alliance_group {
    const char *id;   /* canonical token: "NATO", "FVEY", "NTIB", "EU", "EAR:A:1", "ITAR:126.1" ... */
    const char *name;
    /* "alliance", "partnership", "statutory", "regime", "union", "ear_country_group",
     * "itar_proscribed", "tetragraph", "derived" */
    const char *kind;
    const char *const *aliases; /* other tokens accepted: "A:1", "Five Eyes", ... */
    size_t n_aliases;
    /* True when the memberships have no dates and reflect a snapshot (EAR country groups as of
     * the eCFR issue date): membership is then reported for every date. */
    bool snapshot;
    const char *description; /* may be NULL */
    aib_alliance_cite_t cite;
    /* Direct memberships (sorted by country, then from). Composite groups also include other
     * groups (resolved by date in the queries below, which then return the included group's
     * membership; a direct membership wins over an included one). */
    const aib_alliance_membership_t *members;
    size_t n_members;
    const char *const *includes; /* group ids */
    size_t n_includes;
} aib_alliance_group_t;

/* Finds a group by id or alias ("NATO", "A:5", "EAR:A:5", "Five Eyes"). NULL when unknown. */
const aib_alliance_group_t *aib_alliance_group(const aib_alliance_t *a, const char *token);
size_t aib_alliance_group_count(const aib_alliance_t *a);
const aib_alliance_group_t *aib_alliance_group_at(const aib_alliance_t *a, size_t i);

/* The members of group on date (0 = today): writes up to cap pointers to the membership that
 * applies, sorted by country, and sets *n to the number of members. Returns AIB_ENOTFOUND for
 * an unknown group (diag says which), AIB_ELIMIT when cap is too small (*n is then the number
 * needed). 256 is always enough for a country list. */
int aib_alliance_group_members(const aib_alliance_t *a, const char *group, aib_alliance_date_t date,
                               const aib_alliance_membership_t **out, size_t cap, size_t *n,
                               aib_diag_t *diag);

/* Whether country (any key accepted by aib_alliance_country) is a member of group on date.
 * *m (optional) receives the membership. false for unknown groups or countries. */
bool aib_alliance_is_member(const aib_alliance_t *a, const char *group, const char *country,
                            aib_alliance_date_t date, const aib_alliance_membership_t **m);

/* One group a country belongs to on a date. */
typedef struct aib_alliance_group_hit {
    const aib_alliance_group_t *group;
    const aib_alliance_membership_t *membership;
} aib_alliance_group_hit_t;

/* Every group country belongs to on date (0 = today), in group order. Same cap/ELIMIT contract;
 * AIB_ENOTFOUND for an unknown country. */
int aib_alliance_country_groups(const aib_alliance_t *a, const char *country,
                                aib_alliance_date_t date, aib_alliance_group_hit_t *out,
                                size_t cap, size_t *n, aib_diag_t *diag);

/* Expands a REL TO list ("USA, GBR, FVEY" or "USA GBR NATO"): trigraphs, alpha-2 codes and group
 * tokens (tetragraphs) resolved on date into distinct alpha-3 codes, sorted. Unknown tokens give
 * AIB_ENOTFOUND with the token in diag. Same cap/ELIMIT contract. */
int aib_alliance_expand(const aib_alliance_t *a, const char *list, aib_alliance_date_t date,
                        const char **out, size_t cap, size_t *n, aib_diag_t *diag);

/* ---- Agreements and protection profiles ------------------------------------------------------ */

/* One bilateral agreement between the United States and a country. type: "GSOMIA", "ACSA",
 * "RDP_MOU", "CISMOA", "COMCASA", "BECA", "LSA", "SOSA", "DTCT" (defence trade cooperation
 * treaty) ... status: "in_force", "signed", "negotiating", "expired", "none". */
typedef struct aib_alliance_agreement {
    const char *country; /* alpha-3 */
    const char *type;
    const char *name;    /* full title, may be NULL */
    const char *status;
    aib_alliance_date_t signed_on;    /* 0 = unknown */
    aib_alliance_date_t in_force;     /* 0 = unknown */
    aib_alliance_date_t ended;        /* 0 = not ended */
    aib_alliance_cite_t cite;
} aib_alliance_agreement_t;

/* The agreements recorded for country (contiguous, sorted by type); *n = count (0: none known). */
const aib_alliance_agreement_t *aib_alliance_agreements(const aib_alliance_t *a,
                                                        const char *country, size_t *n);
/* The agreement of type with country if it is in force on date (status "in_force" and date
 * within [in_force or signed_on, ended)); NULL otherwise. */
const aib_alliance_agreement_t *aib_alliance_agreement_in_force(const aib_alliance_t *a,
                                                                const char *country,
                                                                const char *type,
                                                                aib_alliance_date_t date);

/* One fact of a profile: a text value, optionally a number (percent, USD), and its citation.
 * value NULL = no data recorded. */
typedef struct aib_alliance_fact {
    const char *value;
    double number;
    bool has_number;
    aib_alliance_cite_t cite;
} aib_alliance_fact_t;

/* Protection profile of a country. Export-control regime memberships are not stored here: they
 * are derived from the groups (aib_alliance_country_groups with kind "regime"). */
typedef struct aib_alliance_profile {
    const char *country; /* alpha-3 */
    aib_alliance_fact_t investment_screening;    /* regime name and law */
    aib_alliance_fact_t screening_threshold;     /* number = lowest notifiable stake in percent */
    aib_alliance_fact_t screening_mandatory;     /* "mandatory", "voluntary", "mixed" */
    aib_alliance_fact_t industrial_security;     /* programme and authority */
    aib_alliance_fact_t information_sharing;     /* readiness: "fvey", "nato", "bilateral", "limited", "none" */
    aib_alliance_fact_t export_control_law;      /* national export-control statute */
} aib_alliance_profile_t;

/* NULL when no profile is recorded. */
const aib_alliance_profile_t *aib_alliance_profile(const aib_alliance_t *a, const char *country);
size_t aib_alliance_profile_count(const aib_alliance_t *a);
const aib_alliance_profile_t *aib_alliance_profile_at(const aib_alliance_t *a, size_t i);

/* ---- EAR: Commerce Control List ------------------------------------------------------------- */

/* One licence requirement row of an ECCN ("NS applies to entire entry" -> "NS Column 2."). */
typedef struct aib_alliance_ear_control {
    const char *reason;  /* first reason token of the row: "NS", "RS", "MT", "NP", "CB", "CC",
                          * "FC", "AT", "UN", "SL", "SI", "EI", "CW", ... ; may be NULL */
    const char *applies; /* the "control" text */
    const char *chart;   /* the "Country chart" text */
    const char *column;  /* the Country Chart column it names ("NS 2"), NULL if it names none
                          * (requirement stated in full or pointer elsewhere in the EAR) */
} aib_alliance_ear_control_t;

typedef struct aib_alliance_ear_flag { /* licence exception line: "LVS" -> "$5000" */
    const char *symbol;
    const char *text;
} aib_alliance_ear_flag_t;

typedef struct aib_alliance_ear_para { /* one item paragraph: "a.1.a" at depth 3 */
    const char *id;
    int depth;
    const char *text;
} aib_alliance_ear_para_t;

typedef struct aib_alliance_eccn {
    const char *eccn;          /* "3A001" */
    const char *category;      /* "3" */
    const char *product_group; /* "A" */
    const char *heading;
    const char *reasons;       /* reason-for-control line as published ("NS, RS, MT, NP, AT"); may be NULL */
    const aib_alliance_ear_control_t *controls;
    size_t n_controls;
    const aib_alliance_ear_flag_t *exceptions; /* licence exception flags, in source order */
    size_t n_exceptions;
    const char *sta_conditions;   /* may be NULL */
    const char *related_controls; /* may be NULL */
    const aib_alliance_ear_para_t *paragraphs; /* item paragraphs with ids (deep categories only) */
    size_t n_paragraphs;
} aib_alliance_eccn_t;

/* Looks up "3A001", "3a001", or a paragraph reference "3A001.a.1" / "3A001.A.1". Returns the
 * entry; *para (optional) receives the matching paragraph, or NULL when the reference has no
 * paragraph or the entry's paragraphs are not in the data (check *para_known). *para_known
 * (optional) is false when the entry has paragraph data and the referenced paragraph is not in
 * it. NULL when the ECCN is unknown or the text is not an ECCN ("EAR99" is not an ECCN). */
const aib_alliance_eccn_t *aib_alliance_eccn(const aib_alliance_t *a, const char *ref,
                                             const aib_alliance_ear_para_t **para,
                                             bool *para_known);
size_t aib_alliance_eccn_count(const aib_alliance_t *a);
const aib_alliance_eccn_t *aib_alliance_eccn_at(const aib_alliance_t *a, size_t i); /* sorted */

/* ---- EAR: Commerce Country Chart -------------------------------------------------------------- */

typedef enum aib_alliance_chart_mark {
    AIB_ALLIANCE_CHART_BLANK = 0,  /* no X: no licence for this reason (738.4(a)(2)(ii)(B)) */
    AIB_ALLIANCE_CHART_X = 1,      /* X: licence required unless an exception applies */
    AIB_ALLIANCE_CHART_EMBARGOED,  /* row without marks that points to Part 746 */
    AIB_ALLIANCE_CHART_NO_ROW      /* destination has no row and inherits none: indeterminate */
} aib_alliance_chart_mark_t;

typedef struct aib_alliance_chart_row {
    const char *name;        /* row name as published ("Korea, South") */
    const char *alpha3;      /* resolved country */
    bool embargoed;
    const char *pointer;     /* embargoed rows: where to look instead; NULL otherwise */
    uint32_t marks;          /* bit i set = X in column i (aib_alliance_chart_columns order) */
    const int *footnotes;
    size_t n_footnotes;
} aib_alliance_chart_row_t;

typedef struct aib_alliance_chart_cell {
    aib_alliance_chart_mark_t mark;
    const aib_alliance_chart_row_t *row; /* NULL for NO_ROW */
    const char *inherited_basis;         /* set when the row is another country's (HKG -> China) */
} aib_alliance_chart_cell_t;

/* Column names in source order ("CB 1" ... "AT 2"); *n = count. */
const char *const *aib_alliance_chart_columns(const aib_alliance_t *a, size_t *n);
/* Cell for (column, country). column: "NS 1", "NS1" or "ns 1". Returns AIB_ENOTFOUND (diag set)
 * for an unknown column or country; a known country without a row gives 0 and mark NO_ROW. */
int aib_alliance_chart_cell(const aib_alliance_t *a, const char *column, const char *country,
                            aib_alliance_chart_cell_t *out, aib_diag_t *diag);
/* Footnote text by number; NULL when none. */
const char *aib_alliance_chart_footnote(const aib_alliance_t *a, int number);
size_t aib_alliance_chart_row_count(const aib_alliance_t *a);
const aib_alliance_chart_row_t *aib_alliance_chart_row_at(const aib_alliance_t *a, size_t i);

/* ---- EAR: licence exceptions ------------------------------------------------------------------- */

typedef struct aib_alliance_ear_exception {
    const char *section;        /* "15 C.F.R. § 740.20" */
    const char *section_number; /* "740.20" */
    const char *const *symbols; /* "STA" */
    size_t n_symbols;
    const char *title;
} aib_alliance_ear_exception_t;

const aib_alliance_ear_exception_t *aib_alliance_ear_exception(const aib_alliance_t *a,
                                                               const char *symbol);
size_t aib_alliance_ear_exception_count(const aib_alliance_t *a);
const aib_alliance_ear_exception_t *aib_alliance_ear_exception_at(const aib_alliance_t *a, size_t i);

/* ---- ITAR -------------------------------------------------------------------------------------- */

typedef struct aib_alliance_usml_para {
    const char *id;    /* "(a)", "(a)(3)" ... as in the CFR */
    const char *text;  /* short description */
    bool sme;          /* designated Significant Military Equipment (asterisk in §121.1) */
} aib_alliance_usml_para_t;

typedef struct aib_alliance_usml_cat {
    int number;          /* 1..21 */
    const char *roman;   /* "XI" */
    const char *title;
    aib_alliance_cite_t cite;
    const aib_alliance_usml_para_t *paras;
    size_t n_paras;
} aib_alliance_usml_cat_t;

/* "XI", "11", "XI(a)(3)", "Cat. XI(a)(3)" -> category (and *para, optional, the longest
 * recorded paragraph prefix of the reference, or NULL). NULL when not a USML reference. */
const aib_alliance_usml_cat_t *aib_alliance_usml(const aib_alliance_t *a, const char *ref,
                                                 const aib_alliance_usml_para_t **para);
size_t aib_alliance_usml_count(const aib_alliance_t *a);
const aib_alliance_usml_cat_t *aib_alliance_usml_at(const aib_alliance_t *a, size_t i);

/* One excluded item of an ITAR exemption list: Supplement No. 1 to Part 126 (Canada, §126.5)
 * or Supplement No. 2 (AUKUS Excluded Technology List, §126.7). */
typedef struct aib_alliance_itar_exclusion {
    const char *list;   /* "126.5" or "126.7" */
    const char *id;     /* "(1)" ... row number in the supplement */
    const char *usml;   /* USML reference it covers ("XI(a)(3)"; "*" = all categories) */
    const char *text;
    const char *scope;  /* what is excluded: "articles", "technical_data", "services", "all" */
    aib_alliance_cite_t cite;
} aib_alliance_itar_exclusion_t;

/* An ITAR exemption described as data: §126.5 (Canada), §126.7 (AUKUS), §126.4 (US Government)
 * ... with its eligible destinations (a group id) and its exclusion list. */
typedef struct aib_alliance_itar_exemption {
    const char *id;        /* "126.5", "126.7" */
    const char *name;
    const char *group;     /* group id of eligible destinations ("ITAR:126.5", "AUKUS_ITAR") */
    const char *conditions;/* plain-language conditions */
    aib_alliance_cite_t cite;
    const aib_alliance_itar_exclusion_t *exclusions;
    size_t n_exclusions;
} aib_alliance_itar_exemption_t;

const aib_alliance_itar_exemption_t *aib_alliance_itar_exemption(const aib_alliance_t *a,
                                                                 const char *id);
size_t aib_alliance_itar_exemption_count(const aib_alliance_t *a);
const aib_alliance_itar_exemption_t *aib_alliance_itar_exemption_at(const aib_alliance_t *a,
                                                                    size_t i);
/* The exclusions of exemption id that cover usml reference ref (prefix match on category and
 * paragraphs; "*" matches all). Same cap/ELIMIT contract. */
int aib_alliance_itar_excluded(const aib_alliance_t *a, const char *id, const char *ref,
                               const aib_alliance_itar_exclusion_t **out, size_t cap, size_t *n);

/* Licence and agreement types: "DSP-5", "DSP-73", "DSP-61", "DSP-85", "DSP-83", "TAA", "MLA",
 * "WDA". */
typedef struct aib_alliance_itar_licence {
    const char *id;
    const char *name;
    const char *purpose;   /* what it authorises */
    const char *transfer;  /* "permanent_export", "temporary_export", "temporary_import",
                            * "classified", "end_use_statement", "agreement" */
    bool classified;       /* for classified articles/data */
    aib_alliance_cite_t cite;
} aib_alliance_itar_licence_t;

const aib_alliance_itar_licence_t *aib_alliance_itar_licence(const aib_alliance_t *a,
                                                             const char *id);
size_t aib_alliance_itar_licence_count(const aib_alliance_t *a);
const aib_alliance_itar_licence_t *aib_alliance_itar_licence_at(const aib_alliance_t *a, size_t i);

/* §123.15 / AECA §36(c)-(d) congressional notification thresholds. */
typedef struct aib_alliance_itar_threshold {
    const char *id;          /* "mde_preferred", ... */
    const char *group;       /* destination group id the row applies to ("ITAR:123.15-PREFERRED")
                              * or "*" for all others */
    const char *what;        /* "major_defense_equipment", "defense_articles_services",
                              * "firearms_cat_i", "agreement_mde", "agreement" */
    double usd;              /* notification when the value is >= usd */
    aib_alliance_cite_t cite;
} aib_alliance_itar_threshold_t;

size_t aib_alliance_itar_threshold_count(const aib_alliance_t *a);
const aib_alliance_itar_threshold_t *aib_alliance_itar_threshold_at(const aib_alliance_t *a,
                                                                    size_t i);
/* The threshold row for (country on date, what): the specific group's row when the country is
 * in it, else the "*" row. NULL when none. */
const aib_alliance_itar_threshold_t *aib_alliance_itar_threshold(const aib_alliance_t *a,
                                                                 const char *country,
                                                                 const char *what,
                                                                 aib_alliance_date_t date);

/* ---- Foreign disclosure ------------------------------------------------------------------------ */

typedef struct aib_alliance_class_level {
    const char *name;   /* "UNCLASSIFIED", "CUI", "CONFIDENTIAL", "SECRET", "TOP SECRET" */
    const char *abbrev; /* "U", "CUI", "C", "S", "TS" */
    int rank;           /* order: higher is more restricted (U=0) */
    bool classified;    /* national security information under E.O. 13526 */
    aib_alliance_cite_t cite;
} aib_alliance_class_level_t;

/* By name or abbreviation. */
const aib_alliance_class_level_t *aib_alliance_class_level(const aib_alliance_t *a,
                                                           const char *name);
size_t aib_alliance_class_level_count(const aib_alliance_t *a);
const aib_alliance_class_level_t *aib_alliance_class_level_at(const aib_alliance_t *a, size_t i);

/* Dissemination and control markings: "NOFORN", "REL TO", "FVEY"-style tetragraphs are groups.
 * kind: "dissemination" (NOFORN, REL TO, ORCON...), "cui_category" (SP-EXPT...), "cui". */
typedef struct aib_alliance_marking {
    const char *id;       /* banner token: "NOFORN", "REL TO", "SP-EXPT" */
    const char *name;
    const char *kind;
    const char *meaning;
    const char *const *aliases; /* "NF" */
    size_t n_aliases;
    bool forbids_foreign; /* no release to any foreign national without other authority */
    aib_alliance_cite_t cite;
} aib_alliance_marking_t;

const aib_alliance_marking_t *aib_alliance_marking(const aib_alliance_t *a, const char *token);
size_t aib_alliance_marking_count(const aib_alliance_t *a);
const aib_alliance_marking_t *aib_alliance_marking_at(const aib_alliance_t *a, size_t i);

#endif
