/* label_banner.c — US banner lines and portion marks: parsing ("SECRET//REL TO USA, AUS, GBR",
 * "(S//NF)", "CUI//SP-EXPT//NOFORN"), the register checks (category order, REL TO order, NOFORN
 * conflicts, CUI category order, level/control compatibility) recorded as issues with their
 * citations, and canonical emission. Vocabulary and citations come from the US marking table. */
#include "label/label_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_TEXT 4096
#define MAX_TOK 64
#define MAX_ISSUES 32

typedef struct tok {
    char *s;
    int col; /* 1-based column in the original text */
} tok_t;

typedef struct pctx {
    const aib_label_us_t *us;
    aib_arena_t *arena;
    aib_label_banner_t *b;
    aib_diag_t *diag;
    const char *text;
    const aib__label_us_ctl_t *dissem[MAX_TOK];
    size_t n_dissem;
    const aib__label_us_ctl_t *cui[MAX_TOK];
    size_t n_cui;
    int rel_seg;
} pctx_t;

static int perr(pctx_t *p, int seg, int col, const char *fmt, const char *a)
{
    char msg[600];
    snprintf(msg, sizeof msg, fmt, a);
    aib_diag_set(p->diag, "marking", 1, col, "segment %d: %s", seg, msg);
    return AIB_EPARSE;
}

static void issue(pctx_t *p, int seg, const char *msg, const char *citation)
{
    aib_label_banner_t *b = p->b;
    size_t i;
    for (i = 0; i < b->n_issues; i++)
        if (!strcmp(b->issues[i].msg, msg))
            return;
    if (b->n_issues >= MAX_ISSUES)
        return;
    b->issues[b->n_issues].segment = seg;
    b->issues[b->n_issues].msg = aib_arena_strndup(p->arena, msg, strlen(msg));
    b->issues[b->n_issues].citation = citation;
    if (b->issues[b->n_issues].msg)
        b->n_issues++;
}

static char *trim(char *s)
{
    char *e;
    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

static const char *keep(pctx_t *p, const char *s)
{
    return aib_arena_strndup(p->arena, s, strlen(s));
}

static int push(pctx_t *p, const char ***arr, size_t *n, const char *s)
{
    if (*n >= MAX_TOK)
        return AIB_ELIMIT;
    if (!*arr && !(*arr = aib_arena_calloc(p->arena, MAX_TOK, sizeof **arr)))
        return AIB_ENOMEM;
    if (!((*arr)[(*n)++] = keep(p, s)))
        return AIB_ENOMEM;
    return 0;
}

/* USA first, trigraphs A-Z, tetragraphs A-Z. */
static int rel_cmp(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    int kx = !strcmp(x, "USA") ? 0 : strlen(x) == 3 ? 1 : 2, ky = !strcmp(y, "USA") ? 0 : strlen(y) == 3 ? 1 : 2;
    return kx != ky ? kx - ky : strcmp(x, y);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "USA, AUS, FVEY" after the control word. */
static int parse_list(pctx_t *p, int seg, char *list, int col, const char *what, const char ***out, size_t *n)
{
    aib_label_banner_t *b = p->b;
    char *save = NULL, *e;
    const char *written[MAX_TOK];
    size_t k = 0, i;
    bool sorted = true, usa = false;
    char msg[300];
    int rc;

    if (!*trim(list))
        return perr(p, seg, col, "%s needs a list of trigraphs or tetragraphs", what);
    for (e = list; e; e = save) {
        /* Entries are split by hand: an empty entry between two commas is an error, not skipped. */
        save = strchr(e, ',');
        if (save)
            *save++ = '\0';
        char *t = trim(e);
        size_t len = strlen(t);
        int ecol = col + (int)(t - list);
        if (!len)
            return perr(p, seg, ecol, "empty entry in %s list", what);
        if (len == 3 && !aib__label_us_country(p->us, t))
            return perr(p, seg, ecol, "unknown country trigraph `%s`", t);
        if (len == 4 && !aib__label_us_tetra(p->us, t))
            return perr(p, seg, ecol, "unknown tetragraph `%s`", t);
        if (len != 3 && len != 4)
            return perr(p, seg, ecol, "`%s` is neither a trigraph nor a tetragraph", t);
        for (i = 0; i < *n; i++)
            if (!strcmp((*out)[i], t)) {
                snprintf(msg, sizeof msg, "%s lists %s twice", what, t);
                issue(p, seg, msg, p->us->rel_order_citation);
            }
        if (!strcmp(t, "USA"))
            usa = true;
        if ((rc = push(p, out, n, t)) != 0)
            return rc;
        written[k++] = (*out)[*n - 1];
    }
    for (i = 1; i < k; i++)
        if (rel_cmp(&written[i - 1], &written[i]) > 0)
            sorted = false;
    if (!usa) {
        snprintf(msg, sizeof msg, "%s must begin with USA", what);
        issue(p, seg, msg, p->us->rel_order_citation);
    } else if (!sorted) {
        snprintf(msg, sizeof msg, "%s order is USA, then trigraphs A-Z, then tetragraphs A-Z", what);
        issue(p, seg, msg, p->us->rel_order_citation);
    }
    (void)b;
    return 0;
}

static int split(char *s, const char *sep, tok_t *out, size_t max, size_t *n, int base_col, const char *text)
{
    size_t sl = strlen(sep);
    char *cur = s;
    *n = 0;
    for (;;) {
        char *hit = strstr(cur, sep);
        if (*n >= max)
            return AIB_ELIMIT;
        out[*n].s = cur;
        out[*n].col = base_col + (int)(cur - s);
        (*n)++;
        if (!hit)
            break;
        *hit = '\0';
        cur = hit + sl;
    }
    (void)text;
    return 0;
}

enum { CAT_SCI = 1, CAT_SAP, CAT_CUI, CAT_DISSEM };

/* The category of a segment, from its tokens. PROPIN is both a CUI category and a dissemination
 * control: a segment of CUI category names is the category segment in a CUI banner until one has
 * been seen; a segment holding any non-category token is dissemination. */
static int classify(pctx_t *p, tok_t *t, size_t n, int last)
{
    const char *f = trim(t[0].s);
    bool all_cats = true, all_dissem = true;
    size_t i;

    if (aib__label_us_ctl(p->us, f, AIB__LUS_SCI))
        return CAT_SCI;
    if (!strncmp(f, "SAR-", 4) || !strncmp(f, "SPECIAL ACCESS REQUIRED-", 24))
        return CAT_SAP;
    for (i = 0; i < n; i++) {
        const char *x = trim(t[i].s);
        if (!strncmp(x, "SP-", 3))
            return CAT_CUI;
        if (!aib__label_us_ctl(p->us, x, AIB__LUS_CUI_CAT))
            all_cats = false;
        if (!aib__label_us_ctl(p->us, x, AIB__LUS_DISSEM))
            all_dissem = false;
    }
    if (all_cats && (!all_dissem || (p->b->cui && last < CAT_CUI)))
        return CAT_CUI;
    return CAT_DISSEM;
}

static int seg_sci(pctx_t *p, int seg, tok_t *t, size_t n)
{
    size_t i;
    int rc;
    for (i = 0; i < n; i++) {
        const aib__label_us_ctl_t *c = aib__label_us_ctl(p->us, trim(t[i].s), AIB__LUS_SCI);
        if (!c)
            return perr(p, seg, t[i].col, "unknown SCI control system `%s`", trim(t[i].s));
        if ((rc = push(p, &p->b->sci, &p->b->n_sci, c->id)) != 0)
            return rc;
        if (i > 0 && strcmp(p->b->sci[p->b->n_sci - 2], c->id) >= 0)
            issue(p, seg, "SCI control systems are listed once each, in alphabetical order", p->us->rules_citation);
    }
    return 0;
}

static int seg_sap(pctx_t *p, int seg, tok_t *t, size_t n)
{
    size_t i;
    int rc;
    for (i = 0; i < n; i++) {
        char *s = trim(t[i].s);
        const char *name = !strncmp(s, "SAR-", 4) ? s + 4 : !strncmp(s, "SPECIAL ACCESS REQUIRED-", 24) ? s + 24 : NULL;
        if (!name || !*name)
            return perr(p, seg, t[i].col, "malformed SAP marking `%s` (SAR-NAME)", s);
        if ((rc = push(p, &p->b->sap, &p->b->n_sap, name)) != 0)
            return rc;
    }
    return 0;
}

static int seg_cui(pctx_t *p, int seg, tok_t *t, size_t n)
{
    char buf[200];
    size_t i;
    int rc;
    for (i = 0; i < n; i++) {
        char *s = trim(t[i].s);
        bool sp = !strncmp(s, "SP-", 3);
        const aib__label_us_ctl_t *c = aib__label_us_ctl(p->us, sp ? s + 3 : s, AIB__LUS_CUI_CAT);
        if (!c)
            return perr(p, seg, t[i].col, "unknown CUI category `%s`", s);
        if (sp && !c->specified)
            return perr(p, seg, t[i].col, "`%s` is a CUI Basic category; it takes no SP- prefix", s);
        if (!sp && c->specified) {
            snprintf(buf, sizeof buf, "%s is a CUI Specified category and is written SP-%s", c->id, c->id);
            issue(p, seg, buf, p->us->cui_order_citation);
        }
        if (p->n_cui >= MAX_TOK)
            return AIB_ELIMIT;
        p->cui[p->n_cui++] = c;
        snprintf(buf, sizeof buf, "%s%s", c->specified ? "SP-" : "", c->id);
        if ((rc = push(p, &p->b->cui_cats, &p->b->n_cui_cats, buf)) != 0)
            return rc;
    }
    return 0;
}

static int seg_dissem(pctx_t *p, int seg, tok_t *t, size_t n)
{
    size_t i;
    int rc;
    for (i = 0; i < n; i++) {
        char *s = trim(t[i].s);
        const aib__label_us_ctl_t *c;
        if (!strncmp(s, "REL TO", 6) && (s[6] == ' ' || s[6] == '\0')) {
            c = aib__label_us_ctl(p->us, "REL TO", AIB__LUS_DISSEM);
            if (p->b->n_rel_to)
                issue(p, seg, "only one REL TO list per marking", p->us->rules_citation);
            if (c && (rc = parse_list(p, seg, s + 6, t[i].col + 6, "REL TO", &p->b->rel_to, &p->b->n_rel_to)) != 0)
                return rc;
        } else if (!strncmp(s, "DISPLAY ONLY", 12) && (s[12] == ' ' || s[12] == '\0')) {
            c = aib__label_us_ctl(p->us, "DISPLAY ONLY", AIB__LUS_DISSEM);
            if (c && (rc = parse_list(p, seg, s + 12, t[i].col + 12, "DISPLAY ONLY", &p->b->display_only,
                                      &p->b->n_display_only)) != 0)
                return rc;
        } else {
            c = aib__label_us_ctl(p->us, s, AIB__LUS_DISSEM);
        }
        if (!c)
            return perr(p, seg, t[i].col, "unknown control marking `%s`", s);
        if (p->n_dissem >= MAX_TOK)
            return AIB_ELIMIT;
        p->dissem[p->n_dissem++] = c;
        if ((rc = push(p, &p->b->dissem, &p->b->n_dissem, c->id)) != 0)
            return rc;
    }
    return 0;
}

static void post_checks(pctx_t *p)
{
    aib_label_banner_t *b = p->b;
    const aib_label_us_t *us = p->us;
    bool forbid = false, release = false, sorted = true;
    char msg[300];
    size_t i;

    for (i = 0; i < p->n_dissem; i++) {
        const aib__label_us_ctl_t *c = p->dissem[i];
        if (i > 0 && p->dissem[i - 1]->order > c->order)
            sorted = false;
        if (i > 0 && p->dissem[i - 1] == c) {
            snprintf(msg, sizeof msg, "%s appears twice", c->id);
            issue(p, 0, msg, us->rules_citation);
        }
        if (c->foreign == AIB__LUS_FOREIGN_FORBIDDEN)
            forbid = true;
        if (c->foreign == AIB__LUS_FOREIGN_LISTED || c->foreign == AIB__LUS_FOREIGN_OFFICIAL)
            release = true;
        if (c->cui_only && !b->cui) {
            snprintf(msg, sizeof msg, "%s is a CUI limited dissemination control and needs the CUI banner", c->id);
            issue(p, 0, msg, c->citation);
        }
        if (c->unclassified_only && b->rank >= 2) {
            snprintf(msg, sizeof msg, "%s applies to unclassified information only", c->id);
            issue(p, 0, msg, c->citation);
        }
    }
    if (!sorted)
        issue(p, 0, "dissemination controls are not in register order", us->dissem_order_citation);
    for (i = 0; i < p->n_cui; i++)
        if (p->cui[i]->foreign == AIB__LUS_FOREIGN_FORBIDDEN)
            forbid = true;
    if (forbid && release)
        issue(p, 0, "NOFORN conflicts with REL TO, RELIDO and DISPLAY ONLY", us->noforn_conflict_citation);
    b->noforn = forbid;
    if (p->n_cui && !b->cui)
        issue(p, 0, "CUI categories need the CUI banner, not a classification", us->cui_classified_citation);
    for (i = 1; i < p->n_cui; i++) {
        const aib__label_us_ctl_t *x = p->cui[i - 1], *y = p->cui[i];
        if ((!x->specified && y->specified) || (x->specified == y->specified && strcmp(x->id, y->id) >= 0)) {
            issue(p, 0, "CUI categories: Specified (SP-) first, then Basic, each A-Z, each once", us->cui_order_citation);
            break;
        }
    }
    if ((b->n_sci || b->n_sap) && b->rank < 2)
        issue(p, 0, "SCI and SAP controls need a classified level", us->rules_citation);
    if (b->n_rel_to && b->rank == 0 && !b->cui)
        issue(p, 0, "REL TO marks classified or controlled information; UNCLASSIFIED needs no release list",
              us->rules_citation);
}

static int expand(pctx_t *p)
{
    aib_label_banner_t *b = p->b;
    size_t cap = 0, i, j, k = 0;
    for (i = 0; i < b->n_rel_to; i++) {
        const aib__label_us_tetra_t *t = strlen(b->rel_to[i]) == 4 ? aib__label_us_tetra(p->us, b->rel_to[i]) : NULL;
        cap += t ? t->n_members : 1;
    }
    if (!cap)
        return 0;
    if (!(b->rel_countries = aib_arena_calloc(p->arena, cap, sizeof *b->rel_countries)))
        return AIB_ENOMEM;
    for (i = 0; i < b->n_rel_to; i++) {
        const aib__label_us_tetra_t *t = strlen(b->rel_to[i]) == 4 ? aib__label_us_tetra(p->us, b->rel_to[i]) : NULL;
        if (!t)
            b->rel_countries[k++] = aib__label_us_country(p->us, b->rel_to[i]);
        else
            for (j = 0; j < t->n_members; j++)
                b->rel_countries[k++] = t->members[j];
    }
    qsort(b->rel_countries, k, sizeof *b->rel_countries, cmp_str);
    b->n_rel_countries = 0;
    for (i = 0; i < k; i++)
        if (!b->n_rel_countries || strcmp(b->rel_countries[b->n_rel_countries - 1], b->rel_countries[i]))
            b->rel_countries[b->n_rel_countries++] = b->rel_countries[i];
    return 0;
}

int aib_label_banner_parse(const aib_label_us_t *us, const char *text, bool strict, aib_arena_t *arena,
                           aib_label_banner_t **out, aib_diag_t *diag)
{
    pctx_t p;
    char *buf = NULL, *s;
    tok_t segs[MAX_TOK], toks[MAX_TOK];
    size_t n_segs = 0, n_toks, i, len;
    const aib__label_us_level_t *lv;
    int rc = 0, last = 0, base;

    *out = NULL;
    memset(&p, 0, sizeof p);
    p.us = us;
    p.arena = arena;
    p.diag = diag;
    p.text = text;
    len = text ? strlen(text) : 0;
    if (len > MAX_TEXT) {
        aib_diag_set(diag, "marking", 1, 0, "marking longer than %d characters", MAX_TEXT);
        return AIB_ELIMIT;
    }
    if (!(p.b = aib_arena_calloc(arena, 1, sizeof *p.b)) ||
        !(p.b->issues = aib_arena_calloc(arena, MAX_ISSUES, sizeof *p.b->issues)) || !(buf = malloc(len + 1))) {
        rc = AIB_ENOMEM;
        goto done;
    }
    for (i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch < 0x20 && ch != '\t') {
            aib_diag_set(diag, "marking", 1, (int)i + 1, "control character in marking");
            rc = AIB_EPARSE;
            goto done;
        }
        buf[i] = (char)(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
    }
    buf[len] = '\0';
    s = trim(buf);
    base = (int)(s - buf) + 1;
    if (*s == '(') {
        size_t sl = strlen(s);
        if (sl < 2 || s[sl - 1] != ')') {
            aib_diag_set(diag, "marking", 1, base, "portion mark opens with ( but does not end with )");
            rc = AIB_EPARSE;
            goto done;
        }
        s[sl - 1] = '\0';
        s++;
        base++;
        p.b->portion = true;
    }
    if (!*s) {
        aib_diag_set(diag, "marking", 1, base, "empty marking");
        rc = AIB_EPARSE;
        goto done;
    }
    if (!strncmp(s, "//", 2)) {
        rc = perr(&p, 1, base, "foreign and joint classification markings (%s) are not supported", "//...");
        goto done;
    }
    if ((rc = split(s, "//", segs, MAX_TOK, &n_segs, base, text)) != 0) {
        aib_diag_set(diag, "marking", 1, 0, "too many segments");
        goto done;
    }
    lv = aib__label_us_level(us, trim(segs[0].s));
    if (!lv) {
        rc = perr(&p, 1, segs[0].col, "unknown classification `%s`", trim(segs[0].s));
        goto done;
    }
    p.b->level = lv->name;
    p.b->rank = lv->rank;
    p.b->cui = lv == &us->cui;
    for (i = 1; i < n_segs; i++) {
        int seg = (int)i + 1, cat;
        char msg[200];
        if (!*trim(segs[i].s)) {
            rc = perr(&p, seg, segs[i].col, "empty category%s", "");
            goto done;
        }
        if ((rc = split(segs[i].s, "/", toks, MAX_TOK, &n_toks, segs[i].col, text)) != 0) {
            aib_diag_set(diag, "marking", 1, segs[i].col, "segment %d: too many controls", seg);
            goto done;
        }
        cat = classify(&p, toks, n_toks, last);
        if (cat < last) {
            snprintf(msg, sizeof msg, "categories are ordered SCI, SAP, CUI categories, dissemination controls");
            issue(&p, seg, msg, us->rules_citation);
        } else if (cat == last) {
            issue(&p, seg, "controls of one category go in one segment, separated by a single slash", us->rules_citation);
        }
        last = cat;
        switch (cat) {
        case CAT_SCI: rc = seg_sci(&p, seg, toks, n_toks); break;
        case CAT_SAP: rc = seg_sap(&p, seg, toks, n_toks); break;
        case CAT_CUI: rc = seg_cui(&p, seg, toks, n_toks); break;
        default: rc = seg_dissem(&p, seg, toks, n_toks); break;
        }
        if (rc != 0) {
            if (rc == AIB_ELIMIT)
                aib_diag_set(diag, "marking", 1, segs[i].col, "segment %d: too many entries", seg);
            goto done;
        }
    }
    post_checks(&p);
    if ((rc = expand(&p)) != 0)
        goto done;
    if (strict && p.b->n_issues) {
        aib_diag_set(diag, "marking", 1, 0, "segment %d: %s (%s)", p.b->issues[0].segment, p.b->issues[0].msg,
                     p.b->issues[0].citation ? p.b->issues[0].citation : "");
        rc = AIB_EINVAL;
        goto done;
    }
    *out = p.b;
done:
    free(buf);
    return rc;
}

/* ---- emission ----------------------------------------------------------------------------------- */

static int put_list(aib_buf_t *out, const char *word, const char *const *l, size_t n)
{
    const char **sorted;
    size_t i;
    int rc = 0;
    if (!(sorted = malloc((n ? n : 1) * sizeof *sorted)))
        return AIB_ENOMEM;
    memcpy(sorted, l, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, rel_cmp);
    rc |= aib_buf_puts(out, word);
    for (i = 0; i < n; i++) {
        if (i && !strcmp(sorted[i], sorted[i - 1]))
            continue;
        rc |= aib_buf_puts(out, i ? ", " : " ");
        rc |= aib_buf_puts(out, sorted[i]);
    }
    free(sorted);
    return rc;
}

typedef struct dent {
    const aib__label_us_ctl_t *c;
} dent_t;

static int dent_cmp(const void *a, const void *b)
{
    const dent_t *x = a, *y = b;
    return x->c->order != y->c->order ? (x->c->order < y->c->order ? -1 : 1) : strcmp(x->c->id, y->c->id);
}

static int cui_cmp(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    int sx = !strncmp(x, "SP-", 3), sy = !strncmp(y, "SP-", 3);
    return sx != sy ? sy - sx : strcmp(x, y);
}

static int put_sorted(aib_buf_t *out, const char *const *v, size_t n, int (*cmp)(const void *, const void *),
                      const char *prefix)
{
    const char **s;
    size_t i;
    int rc = 0;
    if (!n)
        return 0;
    if (!(s = malloc(n * sizeof *s)))
        return AIB_ENOMEM;
    memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp);
    rc |= aib_buf_puts(out, "//");
    for (i = 0; i < n; i++) {
        if (i && !strcmp(s[i], s[i - 1]))
            continue;
        if (i)
            rc |= aib_buf_putc(out, '/');
        rc |= aib_buf_puts(out, prefix);
        rc |= aib_buf_puts(out, s[i]);
    }
    free(s);
    return rc;
}

int aib_label_banner_format(const aib_label_us_t *us, const aib_label_banner_t *b, bool portion, aib_buf_t *out)
{
    const aib__label_us_level_t *lv = aib__label_us_level(us, b->level);
    dent_t d[MAX_TOK];
    size_t i, n = 0;
    int rc = 0;

    if (!lv)
        return AIB_EINVAL;
    if (portion)
        rc |= aib_buf_putc(out, '(');
    rc |= aib_buf_puts(out, portion ? lv->portion : lv->name);
    rc |= put_sorted(out, b->sci, b->n_sci, cmp_str, "");
    rc |= put_sorted(out, b->sap, b->n_sap, cmp_str, "SAR-");
    rc |= put_sorted(out, b->cui_cats, b->n_cui_cats, cui_cmp, "");
    for (i = 0; i < b->n_dissem && n < MAX_TOK; i++) {
        const aib__label_us_ctl_t *c = aib__label_us_ctl(us, b->dissem[i], AIB__LUS_DISSEM);
        size_t j;
        bool seen = false;
        if (!c)
            return AIB_EINVAL;
        for (j = 0; j < n; j++)
            seen = seen || d[j].c == c;
        if (!seen)
            d[n++].c = c;
    }
    qsort(d, n, sizeof *d, dent_cmp);
    for (i = 0; i < n; i++) {
        rc |= aib_buf_puts(out, i ? "/" : "//");
        if (!strcmp(d[i].c->id, "REL TO"))
            rc |= put_list(out, "REL TO", b->rel_to, b->n_rel_to);
        else if (!strcmp(d[i].c->id, "DISPLAY ONLY"))
            rc |= put_list(out, "DISPLAY ONLY", b->display_only, b->n_display_only);
        else
            rc |= aib_buf_puts(out, portion ? d[i].c->portion : d[i].c->id);
    }
    if (portion)
        rc |= aib_buf_putc(out, ')');
    return rc ? AIB_ENOMEM : 0;
}
