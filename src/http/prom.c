/* prom.c — request counters and latency histograms per route and status code, rendered in the
 * Prometheus text exposition format at GET /metrics. Lock-free: workers bump atomics. The labels
 * are route names and status codes only (no nations, no case ids), so the page reveals no case
 * data and can be scraped without a token. */
#include "http_int.h"

#include <string.h>

static const int codes[AIB__PROM_CODES] = { 200, 201, 204, 400, 401, 403, 404, 405,
                                            409, 413, 415, 500, 503, 0 /* other */ };
static const double bounds[AIB__PROM_BUCKETS - 1] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5 };

void aib__prom_init(aib__prom_t *p)
{
    size_t n, i;
    const aib__route_t *rt = aib__http_routes(&n);

    memset(p, 0, sizeof(*p));
    for (i = 0; i < n && i + 2 < AIB__PROM_MAX_ROUTES; i++)
        p->names[i] = rt[i].name;
    p->names[i] = "unmatched";
    p->names[i + 1] = "static";
    p->n_routes = i + 2;
}

static size_t code_index(int status)
{
    size_t i;

    for (i = 0; i < AIB__PROM_CODES && codes[i]; i++)
        if (codes[i] == status)
            return i;
    return i < AIB__PROM_CODES ? i : AIB__PROM_CODES - 1;
}

void aib__prom_observe(aib__prom_t *p, size_t route, int status, int64_t us)
{
    size_t b;
    double s = (double)us / 1e6;

    if (route >= p->n_routes)
        route = p->n_routes - 2;
    atomic_fetch_add(&p->count[route][code_index(status)], 1);
    for (b = 0; b < AIB__PROM_BUCKETS - 1 && s > bounds[b]; b++)
        ;
    atomic_fetch_add(&p->bucket[route][b], 1);
    atomic_fetch_add(&p->sum_us[route], us > 0 ? (unsigned long long)us : 0);
}

int aib__prom_render(aib__prom_t *p, aib_buf_t *out)
{
    size_t r, c, b;
    int rc = 0;

    rc = aib_buf_puts(out, "# HELP aib_http_requests_total HTTP requests by route and status.\n"
                           "# TYPE aib_http_requests_total counter\n");
    for (r = 0; !rc && r < p->n_routes; r++)
        for (c = 0; !rc && c < AIB__PROM_CODES; c++) {
            unsigned long long v = atomic_load(&p->count[r][c]);
            int code = c < AIB__PROM_CODES && codes[c] ? codes[c] : 0;

            if (!v)
                continue;
            if (code)
                rc = aib_buf_printf(out, "aib_http_requests_total{route=\"%s\",code=\"%d\"} %llu\n",
                                    p->names[r], code, v);
            else
                rc = aib_buf_printf(out,
                                    "aib_http_requests_total{route=\"%s\",code=\"other\"} %llu\n",
                                    p->names[r], v);
        }
    rc = rc ? rc
            : aib_buf_puts(out, "# HELP aib_http_request_duration_seconds Time from the request "
                                "line to the response, by route.\n"
                                "# TYPE aib_http_request_duration_seconds histogram\n");
    for (r = 0; !rc && r < p->n_routes; r++) {
        unsigned long long cum = 0;

        for (b = 0; b < AIB__PROM_BUCKETS; b++)
            cum += atomic_load(&p->bucket[r][b]);
        if (!cum)
            continue;
        cum = 0;
        for (b = 0; !rc && b < AIB__PROM_BUCKETS; b++) {
            cum += atomic_load(&p->bucket[r][b]);
            if (b < AIB__PROM_BUCKETS - 1)
                rc = aib_buf_printf(out,
                                    "aib_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                                    p->names[r], bounds[b], cum);
            else
                rc = aib_buf_printf(out,
                                    "aib_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n"
                                    "aib_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                                    "aib_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                                    p->names[r], cum, p->names[r],
                                    (double)atomic_load(&p->sum_us[r]) / 1e6, p->names[r], cum);
        }
    }
    rc = rc ? rc
            : aib_buf_printf(out, "# HELP aib_http_requests_in_flight Requests being handled.\n"
                                  "# TYPE aib_http_requests_in_flight gauge\n"
                                  "aib_http_requests_in_flight %llu\n",
                             atomic_load(&p->in_flight));
    return rc;
}
