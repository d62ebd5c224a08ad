/* markings.c — reads a classification / CUI banner ("SECRET//REL TO USA, GBR, FVEY",
 * "CUI//SP-EXPT//NOFORN") into the request: the level (checked against item.classification),
 * NOFORN and other controls by their registry ids, and the REL TO list expanded on the request
 * date (tetragraphs such as FVEY or NATO resolve to their members on that date). */
#include "determine/determine_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_SEG 16
#define MAX_CONTROLS 16

static int bad(aib_diag_t *d, const char *msg, const char *tok)
{
    if (d) {
        aib_diag_clear(d);
        snprintf(d->file, sizeof d->file, "request");
        snprintf(d->msg, sizeof d->msg, "item.markings: %s `%.100s`", msg, tok);
    }
    return AIB_EINVAL;
}

static char *trim(char *s)
{
    char *e;
    while (*s == ' ')
        s++;
    e = s + strlen(s);
    while (e > s && e[-1] == ' ')
        *--e = '\0';
    return s;
}

static int add_control(aib_determine_request_t *r, const aib_alliance_marking_t *m,
                       const char **controls)
{
    size_t i;
    for (i = 0; i < r->n_controls; i++)
        if (!strcmp(controls[i], m->id))
            return 0;
    if (r->n_controls >= MAX_CONTROLS)
        return AIB_ELIMIT;
    controls[r->n_controls++] = m->id;
    return 0;
}

int aib__determine_markings(const aib_alliance_t *al, aib_determine_request_t *r,
                            aib_arena_t *arena, aib_diag_t *diag)
{
    char *copy, *seg[MAX_SEG], *p;
    const char **controls;
    size_t n = 0, i;
    const aib_alliance_class_level_t *lv;
    int rc = 0;

    copy = aib_arena_strndup(arena, r->markings, strlen(r->markings));
    controls = aib_arena_calloc(arena, MAX_CONTROLS, sizeof *controls);
    if (!copy || !controls)
        return AIB_ENOMEM;
    /* "//" separates the banner's segments. */
    p = copy;
    while (p) {
        char *next = strstr(p, "//");
        if (next) {
            *next = '\0';
            next += 2;
        }
        if (n >= MAX_SEG)
            return bad(diag, "more than 16 segments in", r->markings);
        seg[n++] = trim(p);
        p = next;
    }
    lv = aib_alliance_class_level(al, seg[0]);
    if (!lv)
        return bad(diag, "the banner must start with a classification level or CUI, not", seg[0]);
    if (r->classification_given && strcmp(lv->name, r->classification) != 0) {
        if (diag) {
            aib_diag_clear(diag);
            snprintf(diag->file, sizeof diag->file, "request");
            snprintf(diag->msg, sizeof diag->msg,
                     "item.markings: banner level `%s` does not match item.classification `%s`",
                     lv->name, r->classification);
        }
        return AIB_EINVAL;
    }
    r->classification = lv->name;
    r->level = lv->rank;
    r->classified = lv->classified;
    for (i = 1; i < n; i++) {
        char *s = seg[i];
        if (!s[0])
            return bad(diag, "empty segment in", r->markings);
        if (!strncasecmp(s, "REL TO ", 7) || !strncasecmp(s, "REL TO:", 7)) {
            const char *list[AIB__DET_GROUPS_CAP];
            size_t k, m = 0;
            aib_diag_t d2;
            if (r->has_rel_to)
                return bad(diag, "REL TO appears twice in", r->markings);
            aib_diag_clear(&d2);
            rc = aib_alliance_expand(al, s + 7, r->date, list, AIB__DET_GROUPS_CAP, &m, &d2);
            if (rc == AIB_ENOTFOUND || rc == AIB_EINVAL) {
                if (diag) {
                    aib_diag_clear(diag);
                    snprintf(diag->file, sizeof diag->file, "request");
                    snprintf(diag->msg, sizeof diag->msg,
                             "item.markings: REL TO: %.600s (use trigraphs such as GBR or "
                             "tetragraphs such as FVEY, NATO)", d2.msg);
                }
                return AIB_EINVAL;
            }
            if (rc)
                return rc;
            r->rel_to = aib_arena_calloc(arena, m ? m : 1, sizeof *r->rel_to);
            if (!r->rel_to)
                return AIB_ENOMEM;
            for (k = 0; k < m; k++)
                r->rel_to[k] = list[k];
            r->n_rel_to = m;
            r->has_rel_to = true;
            continue;
        }
        /* Other segments: one control, or CUI categories joined by "/". */
        {
            char *q = s;
            while (q) {
                char *slash = strchr(q, '/');
                const aib_alliance_marking_t *mk;
                if (slash)
                    *slash = '\0';
                q = trim(q);
                mk = aib_alliance_marking(al, q);
                if (!mk)
                    return bad(diag, "unknown control marking", q);
                if (mk->forbids_foreign)
                    r->noforn = true;
                rc = add_control(r, mk, controls);
                if (rc)
                    return bad(diag, "more than 16 controls in", r->markings);
                q = slash ? slash + 1 : NULL;
            }
        }
    }
    r->controls = controls;
    return 0;
}
