/* json_out.c — JSON renderings of cases and case lists for the API and the CLI. The stored
 * "fields" text is already compact JSON (written by input.c) and is embedded as is; times are
 * RFC 3339 UTC strings. */
#include "cases_int.h"

#include <string.h>

static int kv_str(aib_buf_t *b, const char *k, const char *v)
{
    v = v ? v : "";
    return aib_buf_putc(b, '"') || aib_buf_puts(b, k) || aib_buf_puts(b, "\":") ||
           aib_buf_json_str(b, v, strlen(v));
}

static int kv_time(aib_buf_t *b, const char *k, int64_t ms)
{
    char t[40];
    if (ms == 0)
        return aib_buf_printf(b, "\"%s\":null", k);
    aib__cases_fmt_time(ms, t, sizeof(t));
    return aib_buf_printf(b, "\"%s\":\"%s\"", k, t);
}

int aib_case_to_json(const aib_case_t *c, aib_buf_t *out)
{
    size_t i;
    int rc = aib_buf_putc(out, '{') || kv_str(out, "id", c->id) || aib_buf_putc(out, ',') ||
             kv_str(out, "type", c->type) || aib_buf_putc(out, ',') ||
             kv_str(out, "subtype", c->subtype) || aib_buf_putc(out, ',') ||
             kv_str(out, "title", c->title) || aib_buf_putc(out, ',') ||
             kv_str(out, "stage", c->stage) || aib_buf_putc(out, ',') ||
             kv_str(out, "owner", c->owner) || aib_buf_putc(out, ',') ||
             kv_str(out, "nation", c->nation) || aib_buf_puts(out, ",\"released_to\":[");
    for (i = 0; i < c->n_released_to && !rc; i++)
        rc = (i && aib_buf_putc(out, ',')) ||
             aib_buf_json_str(out, c->released_to[i], strlen(c->released_to[i]));
    rc = rc || aib_buf_puts(out, "],\"fields\":") ||
         aib_buf_puts(out, c->fields && *c->fields ? c->fields : "{}") || aib_buf_putc(out, ',') ||
         kv_str(out, "created_by", c->created_by) || aib_buf_putc(out, ',') ||
         kv_time(out, "created_at", c->created_at) || aib_buf_putc(out, ',') ||
         kv_time(out, "updated_at", c->updated_at) || aib_buf_putc(out, ',') ||
         kv_time(out, "stage_since", c->stage_since) ||
         aib_buf_printf(out, ",\"version\":%lld,\"closed\":%s", (long long)c->version,
                        c->closed ? "true" : "false");
    if (!rc && c->history) {
        rc = aib_buf_puts(out, ",\"history\":[");
        for (i = 0; i < c->n_history && !rc; i++) {
            const aib_case_stage_t *h = &c->history[i];
            rc = (i && aib_buf_putc(out, ',')) || aib_buf_putc(out, '{') ||
                 kv_str(out, "stage", h->stage) || aib_buf_putc(out, ',') ||
                 kv_str(out, "owner", h->owner) || aib_buf_putc(out, ',') ||
                 kv_time(out, "entered_at", h->entered_at) || aib_buf_putc(out, ',') ||
                 kv_time(out, "left_at", h->left_at) || aib_buf_putc(out, ',') ||
                 kv_str(out, "by", h->by) || aib_buf_putc(out, ',') || kv_str(out, "note", h->note) ||
                 aib_buf_putc(out, '}');
        }
        rc = rc || aib_buf_putc(out, ']');
    }
    if (!rc && c->tags) {
        rc = aib_buf_puts(out, ",\"tags\":[");
        for (i = 0; i < c->n_tags && !rc; i++) {
            const aib_case_tag_t *t = &c->tags[i];
            rc = (i && aib_buf_putc(out, ',')) || aib_buf_putc(out, '{') ||
                 kv_str(out, "kind", t->kind) || aib_buf_putc(out, ',') ||
                 kv_str(out, "value", t->value) || aib_buf_putc(out, ',') ||
                 kv_str(out, "policy", t->policy_id) || aib_buf_putc(out, ',') ||
                 kv_time(out, "at", t->at) || aib_buf_putc(out, '}');
        }
        rc = rc || aib_buf_putc(out, ']');
    }
    if (!rc && c->comments) {
        rc = aib_buf_puts(out, ",\"comments\":[");
        for (i = 0; i < c->n_comments && !rc; i++) {
            const aib_case_comment_t *m = &c->comments[i];
            rc = (i && aib_buf_putc(out, ',')) ||
                 aib_buf_printf(out, "{\"id\":%lld,", (long long)m->id) ||
                 kv_str(out, "author", m->author) || aib_buf_putc(out, ',') ||
                 kv_str(out, "nation", m->nation) || aib_buf_putc(out, ',') ||
                 kv_str(out, "body", m->body) || aib_buf_putc(out, ',') || kv_time(out, "at", m->at) ||
                 aib_buf_putc(out, '}');
        }
        rc = rc || aib_buf_putc(out, ']');
    }
    if (!rc && c->attachments) {
        rc = aib_buf_puts(out, ",\"attachments\":[");
        for (i = 0; i < c->n_attachments && !rc; i++) {
            const aib_case_attachment_t *a = &c->attachments[i];
            rc = (i && aib_buf_putc(out, ',')) ||
                 aib_buf_printf(out, "{\"id\":%lld,", (long long)a->id) ||
                 kv_str(out, "name", a->name) || aib_buf_putc(out, ',') ||
                 kv_str(out, "ref", a->ref) || aib_buf_putc(out, ',') ||
                 kv_str(out, "sha256", a->sha256) || aib_buf_putc(out, ',') ||
                 kv_str(out, "media_type", a->media_type) || aib_buf_putc(out, ',') ||
                 kv_str(out, "added_by", a->added_by) || aib_buf_putc(out, ',') ||
                 kv_time(out, "at", a->at) || aib_buf_putc(out, '}');
        }
        rc = rc || aib_buf_putc(out, ']');
    }
    rc = rc || aib_buf_putc(out, '}');
    return rc ? AIB_ENOMEM : AIB_OK;
}

int aib_case_list_to_json(const aib_case_list_t *l, aib_buf_t *out)
{
    size_t i;
    int rc = aib_buf_puts(out, "{\"items\":[") ? AIB_ENOMEM : AIB_OK;
    for (i = 0; i < l->n && !rc; i++) {
        if (i && aib_buf_putc(out, ','))
            return AIB_ENOMEM;
        rc = aib_case_to_json(&l->items[i], out);
    }
    if (rc)
        return rc;
    if (l->next_cursor[0])
        rc = aib_buf_printf(out, "],\"next_cursor\":\"%s\"}", l->next_cursor);
    else
        rc = aib_buf_puts(out, "],\"next_cursor\":null}");
    return rc ? AIB_ENOMEM : AIB_OK;
}
