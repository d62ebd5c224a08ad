/* load.c — building an alliance registry: finds the data folder, the EAR snapshot and the ISO
 * 3166 file, reads every reference-data file (dispatching on its "kind"), then sorts and
 * cross-checks everything once (finish). Also the registry's lifetime and provenance. */
#include "alliance/alliance_int.h"

#include <dirent.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_ISO "/usr/share/iso-codes/json/iso_3166-1.json"
#define MAX_DATA_FILES 256

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

int aib_alliance_new_empty(aib_alliance_t **out)
{
    aib_alliance_t *a = calloc(1, sizeof(*a));

    *out = NULL;
    if (!a)
        return AIB_ENOMEM;
    if (!(a->arena = aib_arena_new(1 << 20))) {
        free(a);
        return AIB_ENOMEM;
    }
    *out = a;
    return AIB_OK;
}

void aib_alliance_free(aib_alliance_t *a)
{
    if (!a)
        return;
    aib__alliance_vec_free(&a->countries);
    aib__alliance_vec_free(&a->country_aliases);
    aib__alliance_index_free(&a->country_ix);
    aib__alliance_vec_free(&a->groups);
    aib__alliance_index_free(&a->group_ix);
    aib__alliance_vec_free(&a->agreements);
    aib__alliance_vec_free(&a->profiles);
    aib__alliance_vec_free(&a->eccns);
    aib__alliance_vec_free(&a->chart_rows);
    aib__alliance_index_free(&a->row_ix);
    aib__alliance_vec_free(&a->footnotes);
    aib__alliance_vec_free(&a->inherits);
    aib__alliance_vec_free(&a->exceptions);
    aib__alliance_vec_free(&a->usml);
    aib__alliance_vec_free(&a->exemptions);
    aib__alliance_vec_free(&a->licences);
    aib__alliance_vec_free(&a->thresholds);
    aib__alliance_vec_free(&a->levels);
    aib__alliance_vec_free(&a->markings);
    aib_arena_free(a->arena);
    free(a);
}

/* ---- Finishing ------------------------------------------------------------------------------ */

static int agreement_cmp(const void *x, const void *y)
{
    const aib_alliance_agreement_t *p = *(aib_alliance_agreement_t *const *)x;
    const aib_alliance_agreement_t *q = *(aib_alliance_agreement_t *const *)y;
    int c = strcmp(p->country, q->country);
    if (c)
        return c;
    if ((c = strcmp(p->type, q->type)))
        return c;
    return (p->signed_on > q->signed_on) - (p->signed_on < q->signed_on);
}

static int profile_cmp(const void *x, const void *y)
{
    const aib_alliance_profile_t *p = *(aib_alliance_profile_t *const *)x;
    const aib_alliance_profile_t *q = *(aib_alliance_profile_t *const *)y;
    return strcmp(p->country, q->country);
}

static int rows_finish(aib_alliance_t *a, aib_diag_t *diag)
{
    size_t i, j;
    int rc;

    aib__alliance_index_free(&a->row_ix);
    for (i = 0; i < a->countries.n; i++) {
        const aib_alliance_country_t *co = a->countries.v[i];
        char key[8];
        const char *k;
        if (!co->ear_row)
            continue;
        for (j = 0; j < a->chart_rows.n; j++) {
            aib_alliance_chart_row_t *r = a->chart_rows.v[j];
            if (strcmp(r->name, co->ear_row))
                continue;
            snprintf(key, sizeof(key), "#%s", co->alpha3);
            if (!(k = aib__alliance_strdup(a, key)))
                return AIB_ENOMEM;
            if ((rc = aib__alliance_index_add(&a->row_ix, k, r, 0, NULL)))
                return rc;
            break;
        }
    }
    return aib__alliance_index_finish(&a->row_ix, "chart row", diag);
}

int aib__alliance_finish(aib_alliance_t *a, aib_diag_t *diag)
{
    size_t i;
    int rc;

    if ((rc = aib__alliance_countries_finish(a, diag)) ||
        (rc = aib__alliance_groups_finish(a, diag)) || (rc = aib__alliance_itar_finish(a, diag)) ||
        (rc = rows_finish(a, diag)))
        return rc;
    if (a->agreements.n) {
        qsort(a->agreements.v, a->agreements.n, sizeof(void *), agreement_cmp);
        a->agreement_arr = aib_arena_calloc(a->arena, a->agreements.n, sizeof(*a->agreement_arr));
        if (!a->agreement_arr)
            return AIB_ENOMEM;
        for (i = 0; i < a->agreements.n; i++)
            a->agreement_arr[i] = *(aib_alliance_agreement_t *)a->agreements.v[i];
        a->n_agreement_arr = a->agreements.n;
    }
    if (a->profiles.n)
        qsort(a->profiles.v, a->profiles.n, sizeof(void *), profile_cmp);
    return AIB_OK;
}

/* ---- Dispatch ------------------------------------------------------------------------------- */

typedef int (*table_loader_t)(aib__alliance_ctx_t *c, json_t *root);

static const struct {
    const char *kind;
    table_loader_t fn;
} KINDS[] = {
    { "countries", aib__alliance_load_countries },
    { "groups", aib__alliance_load_groups },
    { "agreements", aib__alliance_load_agreements },
    { "profiles", aib__alliance_load_profiles },
    { "usml", aib__alliance_load_usml },
    { "itar_exemptions", aib__alliance_load_exemptions },
    { "itar_licences", aib__alliance_load_licences },
    { "itar_thresholds", aib__alliance_load_thresholds },
    { "classification", aib__alliance_load_classification },
};

/* pass: -1 loads any table; 0 only "countries" tables; 1 everything but them (countries come
 * first so every later table can resolve names). */
static int load_doc(aib_alliance_t *a, const char *name, const char *data, size_t len, int pass,
                    aib_diag_t *diag)
{
    aib__alliance_ctx_t c = { a, name, diag };
    json_t *root = NULL, *kind;
    size_t i;
    int rc;

    if ((rc = aib__alliance_parse_json(&c, data, len, &root)))
        return rc;
    if (!json_is_object(root)) {
        rc = aib__alliance_err(&c, "", NULL, "expected an object");
        goto done;
    }
    kind = json_object_get(root, "kind");
    if (pass >= 0 && (pass == 0) != (json_is_string(kind) &&
                                     !strcmp(json_string_value(kind), "countries")))
        goto done;
    a->n_files++;
    if (json_object_get(root, "3166-1")) {
        rc = aib__alliance_load_iso(&c, root);
        goto done;
    }
    if (!json_is_string(kind)) {
        rc = aib__alliance_err(&c, "", "kind", "every data file needs a \"kind\"");
        goto done;
    }
    for (i = 0; i < sizeof(KINDS) / sizeof(KINDS[0]); i++)
        if (!strcmp(KINDS[i].kind, json_string_value(kind))) {
            rc = KINDS[i].fn(&c, root);
            goto done;
        }
    rc = aib__alliance_err(&c, "", "kind", "unknown kind `%s`", json_string_value(kind));
done:
    json_decref(root);
    return rc;
}

int aib_alliance_load_mem(aib_alliance_t *a, const char *name, const char *data, size_t len,
                          aib_diag_t *diag)
{
    int rc;

    if (!a || !data)
        return AIB_EINVAL;
    if ((rc = load_doc(a, name ? name : "(memory)", data, len, -1, diag)))
        return rc;
    return aib__alliance_finish(a, diag);
}

int aib__alliance_load_ear_file(aib_alliance_t *a, const char *name, const char *base,
                                const char *data, size_t len, aib_diag_t *diag)
{
    aib__alliance_ctx_t c = { a, name, diag };
    json_t *root = NULL;
    int rc;

    if ((rc = aib__alliance_parse_json(&c, data, len, &root)))
        return rc;
    a->n_files++;
    if (!json_is_object(root))
        rc = aib__alliance_err(&c, "", NULL, "expected an object");
    else if (!strcmp(base, "country-chart.json"))
        rc = aib__alliance_load_chart(&c, root);
    else if (!strcmp(base, "country-groups.json"))
        rc = aib__alliance_load_ear_groups(&c, root);
    else if (!strcmp(base, "ccl.json"))
        rc = aib__alliance_load_ccl(&c, root);
    else if (!strcmp(base, "license-exception-catalog.json"))
        rc = aib__alliance_load_ear_exceptions(&c, root);
    else
        rc = aib__alliance_err(&c, "", NULL, "not an EAR table name: %s", base);
    json_decref(root);
    return rc;
}

int aib_alliance_load_ear_mem(aib_alliance_t *a, const char *base, const char *data, size_t len,
                              aib_diag_t *diag)
{
    int rc;

    if (!a || !data || !base)
        return AIB_EINVAL;
    if ((rc = aib__alliance_load_ear_file(a, base, base, data, len, diag)))
        return rc;
    return aib__alliance_finish(a, diag);
}

/* ---- Paths ---------------------------------------------------------------------------------- */

/* data dir: explicit, $AIB_DATA_DIR, ./data, or the source tree of the running binary. */
static int find_data_dir(const char *want, char *out, size_t cap, aib_diag_t *diag)
{
    char exe[PATH_MAX], probe[PATH_MAX + 32];
    const char *env = getenv("AIB_DATA_DIR");
    ssize_t n;

    if (want || (env && *env)) {
        snprintf(out, cap, "%s", want ? want : env);
        if (!is_dir(out)) {
            aib_diag_set(diag, out, 0, 0, "data folder not found");
            return AIB_ENOTFOUND;
        }
        return AIB_OK;
    }
    if (is_dir("data/alliance")) {
        snprintf(out, cap, "data");
        return AIB_OK;
    }
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        const char *ups[] = { "/../../data", "/../data", "/data" };
        size_t i;
        char *dir;
        exe[n] = '\0';
        dir = dirname(exe);
        for (i = 0; i < sizeof(ups) / sizeof(ups[0]); i++) {
            snprintf(probe, sizeof(probe), "%s%s/alliance", dir, ups[i]);
            if (is_dir(probe)) {
                snprintf(out, cap, "%s%s", dir, ups[i]);
                return AIB_OK;
            }
        }
    }
    aib_diag_set(diag, "data", 0, 0, "data folder not found (set AIB_DATA_DIR)");
    return AIB_ENOTFOUND;
}

static void find_ear(const char *want, const char *data_dir, char *out, size_t cap)
{
    const char *env = getenv("AIB_SHARED_DATA");
    char probe[PATH_MAX + 64];

    if (want) {
        snprintf(out, cap, "%s", want);
        return;
    }
    if (env && *env) {
        snprintf(out, cap, "%s/ear-data.tar.gz", env);
        return;
    }
    snprintf(probe, sizeof(probe), "%s/../../shared/data/ear-data.tar.gz", data_dir);
    if (exists(probe)) {
        snprintf(out, cap, "%s", probe);
        return;
    }
    snprintf(out, cap, "../shared/data/ear-data.tar.gz");
}

static int name_cmp(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Lists the *.json files of dir/sub (sorted, malloc'd paths appended to files). */
static int list_json(const char *dir, const char *sub, char **files, size_t *n, aib_diag_t *diag)
{
    char path[PATH_MAX];
    DIR *d;
    struct dirent *de;
    size_t start = *n;

    snprintf(path, sizeof(path), "%s/%s", dir, sub);
    if (!(d = opendir(path)))
        return AIB_OK; /* a missing folder just has no tables */
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        char full[PATH_MAX + 256];
        if (l < 6 || strcmp(de->d_name + l - 5, ".json") || de->d_name[0] == '.')
            continue;
        if (*n >= MAX_DATA_FILES) {
            closedir(d);
            aib_diag_set(diag, path, 0, 0, "more than %d data files", MAX_DATA_FILES);
            return AIB_ELIMIT;
        }
        snprintf(full, sizeof(full), "%s/%s", path, de->d_name);
        if (!(files[(*n)++] = strdup(full))) {
            closedir(d);
            return AIB_ENOMEM;
        }
    }
    closedir(d);
    qsort(files + start, *n - start, sizeof(char *), name_cmp);
    return AIB_OK;
}

/* Reads one data file; pass 0 takes only "countries" files, pass 1 everything else. */
static int load_file(aib_alliance_t *a, const char *path, int pass, aib_diag_t *diag)
{
    char *buf = NULL;
    size_t len;
    int rc;

    if ((rc = aib_read_file(path, &buf, &len, diag)))
        return rc;
    rc = load_doc(a, path, buf, len, pass, diag);
    free(buf);
    return rc;
}

int aib_alliance_load(const aib_alliance_opts_t *opts, aib_alliance_t **out, aib_diag_t *diag)
{
    static const aib_alliance_opts_t none = { 0 };
    char dir[PATH_MAX], ear[PATH_MAX + 64];
    char *files[MAX_DATA_FILES];
    size_t n_files = 0, i;
    const char *iso;
    char *buf = NULL;
    size_t len;
    aib_alliance_t *a = NULL;
    int rc, pass;

    *out = NULL;
    if (!opts)
        opts = &none;
    if ((rc = find_data_dir(opts->data_dir, dir, sizeof(dir), diag)))
        goto done;
    find_ear(opts->ear_path, dir, ear, sizeof(ear));
    iso = opts->iso_path ? opts->iso_path : DEFAULT_ISO;
    if ((rc = aib_alliance_new_empty(&a)))
        goto done;
    a->data_dir = aib__alliance_strdup(a, dir);
    a->iso_path = aib__alliance_strdup(a, iso);
    if ((rc = aib_read_file(iso, &buf, &len, NULL))) {
        aib_diag_set(diag, iso, 0, 0, "ISO 3166 data not readable (install Debian's iso-codes "
                     "package)");
        goto done;
    }
    if ((rc = load_doc(a, iso, buf, len, -1, diag)) || (rc = aib__alliance_countries_finish(a, diag)))
        goto done;
    if ((rc = list_json(dir, "alliance", files, &n_files, diag)) ||
        (rc = list_json(dir, "itar", files, &n_files, diag)) ||
        (rc = list_json(dir, "disclosure", files, &n_files, diag)))
        goto done;
    for (pass = 0; pass < 2; pass++)
        for (i = 0; i < n_files; i++)
            if ((rc = load_file(a, files[i], pass, diag)))
                goto done;
    if (exists(ear)) {
        a->ear_path = aib__alliance_strdup(a, ear);
        if ((rc = aib__alliance_read_ear(a, ear, diag)))
            goto done;
    } else if (!opts->ear_optional) {
        aib_diag_set(diag, ear, 0, 0, "EAR data not found (set AIB_SHARED_DATA)");
        rc = AIB_ENOTFOUND;
        goto done;
    }
    if ((rc = aib__alliance_finish(a, diag)))
        goto done;
    *out = a;
    a = NULL;
done:
    free(buf);
    for (i = 0; i < n_files; i++)
        free(files[i]);
    aib_alliance_free(a);
    return rc;
}

void aib_alliance_info(const aib_alliance_t *a, aib_alliance_info_t *out)
{
    memset(out, 0, sizeof(*out));
    if (!a)
        return;
    out->data_dir = a->data_dir;
    out->ear_path = a->ear_path;
    out->ear_issue_date = a->ear_issue_date;
    out->iso_path = a->iso_path;
    out->n_countries = a->countries.n;
    out->n_groups = a->groups.n;
    out->n_agreements = a->agreements.n;
    out->n_profiles = a->profiles.n;
    out->n_eccns = a->eccns.n;
    out->n_chart_rows = a->chart_rows.n;
    out->n_files = a->n_files;
}
