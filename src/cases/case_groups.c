/* case_groups.c — group membership over time for case routing from the alliance registry
 * (include/aib/alliance.h): a group's direct dated memberships become [from, to) intervals in
 * milliseconds, the form aib_cases_groups_fn answers in. */
#include "cases_int.h"

#include "aib/alliance.h"

/* YYYYMMDD -> ms at 00:00 UTC. */
static int64_t date_ms(aib_alliance_date_t d)
{
    char buf[16];
    int64_t ms = 0;
    aib_alliance_date_format(d, buf, sizeof(buf));
    aib__cases_parse_date(buf, &ms);
    return ms;
}

static int alliance_groups(void *ctx, const char *group, aib_arena_t *arena,
                           aib_membership_t **out, size_t *n)
{
    const aib_alliance_group_t *g = aib_alliance_group((const aib_alliance_t *)ctx, group);
    aib_membership_t *m;
    size_t i;

    *out = NULL;
    *n = 0;
    if (!g)
        return AIB_ENOTFOUND;
    m = aib_arena_calloc(arena, g->n_members + 1, sizeof(*m));
    if (!m)
        return AIB_ENOMEM;
    for (i = 0; i < g->n_members; i++) {
        const aib_alliance_membership_t *src = &g->members[i];
        m[i].nation = src->country;
        /* from 0 means "since the group began": earlier than any agreement term. */
        m[i].from = src->from ? date_ms(src->from) : INT64_MIN / 2;
        /* until is the last day of membership, inclusive. */
        m[i].to = src->until ? date_ms(src->until) + 86400000LL : 0;
    }
    *out = m;
    *n = g->n_members;
    return AIB_OK;
}

void aib_cases_use_alliance(aib_cases_t *cs, const aib_alliance_t *a)
{
    aib_cases_set_groups(cs, a ? alliance_groups : NULL, (void *)a);
}
