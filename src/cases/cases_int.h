/* cases_int.h — internals of the case workflow module: the loaded configuration (case types from
 * data/cases, routing policies and schema from policies/routing), body parsing, routing
 * evaluation and time helpers shared by types.c, routing.c, input.c, ops.c, json_out.c and
 * metrics.c. */
#ifndef AIB_CASES_INT_H
#define AIB_CASES_INT_H

#include "aib/cases.h"
#include "aib/cedar.h"

#include <jansson.h>

struct aib_cases {
    aib_arena_t *arena; /* owns type definitions and strings */
    aib_case_type_def_t *types;
    size_t n_types;
    const char **groups; /* groups whose membership routing sees (config.json "groups") */
    size_t n_groups;
    int64_t default_term_years; /* agreement term when a case gives none (config.json) */
    aib_case_field_def_t *all_fields; /* union of every type's fields: routing's Case attributes */
    size_t n_all_fields;
    aib_cedar_policyset_t *policies;
    aib_cedar_schema_t *schema;
    aib_cases_groups_fn groups_fn;
    void *groups_ctx;
    int64_t (*now_fn)(void *ctx);
    void *now_ctx;
};

int64_t aib__cases_now(const aib_cases_t *cs);

/* Loads every <type>.json in dir (not config.json) and config.json. */
int aib__cases_load_types(aib_cases_t *cs, const char *dir, aib_diag_t *diag);
/* Loads policies/routing: every *.cedar file, routing.cedarschema; validates. */
int aib__cases_load_routing(aib_cases_t *cs, const char *dir, aib_diag_t *diag);

const aib_case_stage_def_t *aib__cases_stage(const aib_case_type_def_t *t, const char *id);
int aib__cases_can_move(const aib_case_stage_def_t *from, const char *to);

/* Routing result: tags and routes (policy order), routing errors as tags "routing-error". */
typedef struct aib__route_out {
    aib_case_tag_t *tags;
    size_t n_tags;
    const char *route_stage;  /* first route whose target is a next stage of the current one */
    const char *route_policy; /* its policy id */
} aib__route_out_t;

/* Evaluates the routing policies for case c (its fields JSON included) on event ("create",
 * "update", "transition"). Allocations in arena. */
int aib__cases_route(aib_cases_t *cs, const aib_case_type_def_t *t, const aib_case_t *c,
                     const char *event, int64_t now, aib_arena_t *arena, aib__route_out_t *out,
                     aib_diag_t *diag);

/* Parses a body: a JSON object (else AIB_EINVAL, field ""). Unknown members: AIB_EINVAL naming
 * them, when allowed (NULL-terminated) is given. *out is a new reference (json_decref). */
int aib__cases_parse_body(const char *json, size_t len, const char *const *allowed, json_t **out,
                          aib_diag_t *diag);
/* Checks and normalises a type's "fields" object: known names only, kinds, required ones; dates
 * "YYYY-MM-DD"; nations upper-case alpha-3. Adds derived members (coverage) and returns compact
 * JSON text in arena. */
int aib__cases_check_fields(aib_cases_t *cs, const aib_case_type_def_t *t, json_t *fields,
                            aib_arena_t *arena, const char **out_json, aib_diag_t *diag);
/* 1 when s is three upper-case ASCII letters. */
int aib__cases_is_nation(const char *s);
/* "YYYY-MM-DD" -> ms at 00:00 UTC; AIB_EINVAL when malformed or not a real date. */
int aib__cases_parse_date(const char *s, int64_t *ms);
/* ms -> "YYYY-MM-DDTHH:MM:SS.mmmZ" (cap >= 32). */
void aib__cases_fmt_time(int64_t ms, char *buf, size_t cap);

#endif
