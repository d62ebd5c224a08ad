/* h_reference.c — handlers of the reference routes: benefit-tier eligibility of one ally
 * (GET /v1/eligibility/{country}) from the determinations engine, and the look-ups the
 * determination wizard offers (countries, groups with their members on a date, USML categories,
 * ECCN search) read from the alliance registry the server's engine loaded. */
#include "http_int.h"

#include <ctype.h>
#include <string.h>

#include "aib/alliance.h"
#include "aib/determine.h"

static int ok_json(aib__req_t *r, int rc)
{
    if (rc != 0)
        return aib__http_error(r, 500, "internal", NULL, "out of memory");
    r->status = 200;
    r->ctype = "application/json";
    return 0;
}

static int key_str(aib_buf_t *b, const char *k, const char *v)
{
    if (aib_buf_printf(b, "\"%s\":", k) != 0)
        return AIB_ENOMEM;
    return v ? aib_buf_json_str(b, v, strlen(v)) : aib_buf_puts(b, "null");
}

/* The alliance data; NULL after a 503 when the engine did not load. */
static const aib_alliance_t *alliance_of(aib__req_t *r)
{
    if (!r->srv->determine) {
        aib__http_error(r, 503, "unavailable", NULL,
                        "reference data is not available on this server: %s",
                        r->srv->determine_problem);
        return NULL;
    }
    return aib_determine_engine_alliance(r->srv->determine);
}

/* Optional ?date=YYYY-MM-DD (0 = today). */
static int query_date(aib__req_t *r, aib_alliance_date_t *out)
{
    const char *v = aib__http_query_get(r->query, r->n_query, "date");

    *out = 0;
    if (v && aib_alliance_date_parse(v, out) != 0) {
        aib__http_error(r, 400, "invalid", "query.date", "expected a date YYYY-MM-DD");
        return AIB_EINVAL;
    }
    return 0;
}

static int check_query(aib__req_t *r, const char *const *allowed)
{
    aib_diag_t d;

    aib_diag_clear(&d);
    if (aib__http_query_check(r->query, r->n_query, allowed, &d) != 0) {
        aib__http_error(r, 400, "invalid", d.file, "%s", d.msg);
        return AIB_EINVAL;
    }
    return 0;
}

static const char *const date_params[] = { "date", NULL };

int aib__h_eligibility(aib__req_t *r)
{
    aib_determine_eligibility_t el;
    aib_alliance_date_t date;
    aib_diag_t d;
    int rc;

    if (check_query(r, date_params) != 0 || query_date(r, &date) != 0)
        return 0;
    if (!alliance_of(r))
        return 0;
    if (aib__req_allow_service(r, "eligibility.read", "eligibility") != 0)
        return 0;
    aib_diag_clear(&d);
    /* The engine caches entity stores per membership epoch: one request at a time. */
    pthread_mutex_lock(&r->srv->determine_mu);
    rc = aib_determine_eligibility(r->srv->determine, r->m.id, date, r->arena, &el, &d);
    pthread_mutex_unlock(&r->srv->determine_mu);
    if (rc == AIB_ENOTFOUND)
        return aib__http_error(r, 404, "not_found", "country", "unknown country `%s`", r->m.id);
    if (rc != 0)
        return aib__http_error_rc(r, rc, &d);
    aib_buf_clear(&r->out);
    return ok_json(r, aib_determine_eligibility_json(&el, &r->out));
}

int aib__h_lookup_countries(aib__req_t *r)
{
    const aib_alliance_t *a;
    size_t i, n;
    int rc;

    if (r->n_query)
        return aib__http_error(r, 400, "invalid", "query", "this route takes no query parameters");
    if (!(a = alliance_of(r)) || aib__req_allow_service(r, "lookup.read", "lookup") != 0)
        return 0;
    n = aib_alliance_country_count(a);
    aib_buf_clear(&r->out);
    rc = aib_buf_puts(&r->out, "{\"items\":[");
    for (i = 0; !rc && i < n; i++) {
        const aib_alliance_country_t *c = aib_alliance_country_at(a, i);

        rc = aib_buf_puts(&r->out, i ? ",{" : "{");
        rc = rc ? rc : key_str(&r->out, "alpha3", c->alpha3);
        rc = rc ? rc : aib_buf_putc(&r->out, ',');
        rc = rc ? rc : key_str(&r->out, "alpha2", c->alpha2);
        rc = rc ? rc : aib_buf_putc(&r->out, ',');
        rc = rc ? rc : key_str(&r->out, "name", c->common_name ? c->common_name : c->name);
        rc = rc ? rc : aib_buf_putc(&r->out, '}');
    }
    rc = rc ? rc : aib_buf_printf(&r->out, "],\"count\":%zu}", n);
    return ok_json(r, rc);
}

int aib__h_lookup_groups(aib__req_t *r)
{
    const aib_alliance_t *a;
    const aib_alliance_membership_t *m[256];
    aib_alliance_date_t date;
    char day[11];
    size_t i, k, n, nm;
    aib_diag_t d;
    int rc;

    if (check_query(r, date_params) != 0 || query_date(r, &date) != 0)
        return 0;
    if (!(a = alliance_of(r)) || aib__req_allow_service(r, "lookup.read", "lookup") != 0)
        return 0;
    if (!date)
        date = aib_alliance_date_today();
    aib_alliance_date_format(date, day, sizeof(day));
    n = aib_alliance_group_count(a);
    aib_buf_clear(&r->out);
    rc = aib_buf_puts(&r->out, "{");
    rc = rc ? rc : key_str(&r->out, "date", day);
    rc = rc ? rc : aib_buf_puts(&r->out, ",\"items\":[");
    for (i = 0; !rc && i < n; i++) {
        const aib_alliance_group_t *g = aib_alliance_group_at(a, i);

        rc = aib_buf_puts(&r->out, i ? ",{" : "{");
        rc = rc ? rc : key_str(&r->out, "id", g->id);
        rc = rc ? rc : aib_buf_putc(&r->out, ',');
        rc = rc ? rc : key_str(&r->out, "name", g->name);
        rc = rc ? rc : aib_buf_putc(&r->out, ',');
        rc = rc ? rc : key_str(&r->out, "kind", g->kind);
        rc = rc ? rc : aib_buf_putc(&r->out, ',');
        rc = rc ? rc : key_str(&r->out, "citation", g->cite.citation);
        rc = rc ? rc : aib_buf_puts(&r->out, ",\"members\":[");
        aib_diag_clear(&d);
        nm = 0;
        if (!rc && aib_alliance_group_members(a, g->id, date, m, 256, &nm, &d) == 0)
            for (k = 0; !rc && k < nm; k++) {
                rc = k ? aib_buf_putc(&r->out, ',') : 0;
                rc = rc ? rc : aib_buf_json_str(&r->out, m[k]->country, strlen(m[k]->country));
            }
        rc = rc ? rc : aib_buf_puts(&r->out, "]}");
    }
    rc = rc ? rc : aib_buf_printf(&r->out, "],\"count\":%zu}", n);
    return ok_json(r, rc);
}

int aib__h_lookup_usml(aib__req_t *r)
{
    const aib_alliance_t *a;
    size_t i, k, n;
    int rc;

    if (r->n_query)
        return aib__http_error(r, 400, "invalid", "query", "this route takes no query parameters");
    if (!(a = alliance_of(r)) || aib__req_allow_service(r, "lookup.read", "lookup") != 0)
        return 0;
    n = aib_alliance_usml_count(a);
    aib_buf_clear(&r->out);
    rc = aib_buf_puts(&r->out, "{\"items\":[");
    for (i = 0; !rc && i < n; i++) {
        const aib_alliance_usml_cat_t *c = aib_alliance_usml_at(a, i);

        rc = aib_buf_printf(&r->out, "%s{\"number\":%d,", i ? "," : "", c->number);
        rc = rc ? rc : key_str(&r->out, "roman", c->roman);
        rc = rc ? rc : aib_buf_putc(&r->out, ',');
        rc = rc ? rc : key_str(&r->out, "title", c->title);
        rc = rc ? rc : aib_buf_putc(&r->out, ',');
        rc = rc ? rc : key_str(&r->out, "citation", c->cite.citation);
        rc = rc ? rc : aib_buf_puts(&r->out, ",\"paragraphs\":[");
        for (k = 0; !rc && k < c->n_paras; k++) {
            rc = aib_buf_puts(&r->out, k ? ",{" : "{");
            rc = rc ? rc : key_str(&r->out, "id", c->paras[k].id);
            rc = rc ? rc : aib_buf_putc(&r->out, ',');
            rc = rc ? rc : key_str(&r->out, "text", c->paras[k].text);
            rc = rc ? rc : aib_buf_printf(&r->out, ",\"sme\":%s}", c->paras[k].sme ? "true" : "false");
        }
        rc = rc ? rc : aib_buf_puts(&r->out, "]}");
    }
    rc = rc ? rc : aib_buf_printf(&r->out, "],\"count\":%zu}", n);
    return ok_json(r, rc);
}

/* Case-insensitive: does hay start with (prefix) or contain needle? */
static int ci_find(const char *hay, const char *needle, int prefix_only)
{
    size_t n = strlen(needle), i, k;

    if (!hay)
        return 0;
    for (i = 0; hay[i]; i++) {
        for (k = 0; k < n && hay[i + k]
                    && tolower((unsigned char)hay[i + k]) == tolower((unsigned char)needle[k]);
             k++)
            ;
        if (k == n)
            return 1;
        if (prefix_only)
            return 0;
    }
    return n == 0;
}

static const char *const eccn_params[] = { "q", "limit", NULL };

int aib__h_lookup_eccn(aib__req_t *r)
{
    const aib_alliance_t *a;
    const char *q, *v;
    int64_t limit = 50;
    size_t i, n, hits = 0, total = 0;
    aib_diag_t d;
    int rc;

    if (check_query(r, eccn_params) != 0)
        return 0;
    aib_diag_clear(&d);
    q = aib__http_query_get(r->query, r->n_query, "q");
    q = q ? q : "";
    if (strlen(q) > 200)
        return aib__http_error(r, 400, "invalid", "query.q", "at most 200 characters");
    if ((v = aib__http_query_get(r->query, r->n_query, "limit"))
        && aib__http_query_int("limit", v, 1, 500, &limit, &d) != 0)
        return aib__http_error(r, 400, "invalid", d.file, "%s", d.msg);
    if (!(a = alliance_of(r)) || aib__req_allow_service(r, "lookup.read", "lookup") != 0)
        return 0;
    n = aib_alliance_eccn_count(a);
    aib_buf_clear(&r->out);
    rc = aib_buf_puts(&r->out, "{\"items\":[");
    /* Code prefixes first ("3A0" -> 3A001, 3A002...), then headings containing the words. */
    for (int pass = 0; pass < 2 && !rc; pass++)
        for (i = 0; !rc && i < n; i++) {
            const aib_alliance_eccn_t *e = aib_alliance_eccn_at(a, i);
            int code = ci_find(e->eccn, q, 1);

            if (pass == 0 ? !code : (code || !q[0] || !ci_find(e->heading, q, 0)))
                continue;
            total++;
            if (hits == (size_t)limit)
                continue;
            rc = aib_buf_puts(&r->out, hits ? ",{" : "{");
            rc = rc ? rc : key_str(&r->out, "eccn", e->eccn);
            rc = rc ? rc : aib_buf_putc(&r->out, ',');
            rc = rc ? rc : key_str(&r->out, "heading", e->heading);
            rc = rc ? rc : aib_buf_putc(&r->out, ',');
            rc = rc ? rc : key_str(&r->out, "reasons", e->reasons);
            rc = rc ? rc : aib_buf_putc(&r->out, '}');
            hits++;
        }
    rc = rc ? rc : aib_buf_printf(&r->out, "],\"count\":%zu,\"total\":%zu}", hits, total);
    return ok_json(r, rc);
}
