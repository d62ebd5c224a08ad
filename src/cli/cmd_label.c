/* cmd_label.c — `aib label`: security labels from the command line. US banner markings (parse,
 * validate, access check), ADatP-4774 labels under SPIF policies (display marking, validity,
 * access decision, translation), Ed25519 label bindings (keygen, sign, verify) and the
 * label-conformance runner (`aib label test`). */
#include "cli_int.h"

#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aib/label.h"

#define MAX_MULTI 32

static const char label_usage[] =
    "usage: aib label COMMAND [OPTIONS]\n"
    "\n"
    "Security labels: US banner markings, NATO ADatP-4774 labels under Open XML SPIF policies,\n"
    "and Ed25519 bindings of a label to its data.\n"
    "\n"
    "commands:\n"
    "  parse MARKING     parse and validate a banner or portion mark; print the canonical form\n"
    "  check             access check: --label L --clearance C [--nation N] [--caveat X]...\n"
    "                    (banner markings), or with --spif FILE: 4774 label and clearance files\n"
    "  marking           display marking and validity of a 4774 label: --spif FILE --label FILE\n"
    "  keygen            new Ed25519 key pair: --out PREFIX (PREFIX.sec, PREFIX.pub)\n"
    "  sign              bind a label to data: --key SEC --data FILE (--label TEXT | --label-file F)\n"
    "  verify            check a binding: --key PUB --data FILE --binding FILE\n"
    "  test [DIR|TAR]    run the label-conformance suite (default\n"
    "                    $AIB_SHARED_DATA/label-conformance.tar.gz)\n"
    "\n"
    "Run `aib label COMMAND --help` for options. Exit status: 0 success / allowed / valid,\n"
    "1 denied, invalid or failed, 2 usage or input error.\n";

typedef struct opts {
    const char *label, *label_file, *clearance, *nation, *data, *key, *binding, *out, *kind, *lang, *translate;
    const char *markings, *iso;
    const char *caveats[MAX_MULTI];
    size_t n_caveats;
    const char *spifs[MAX_MULTI];
    size_t n_spifs;
    bool json, strict, portion, verbose, help;
    const char *pos[4];
    size_t n_pos;
} opts_t;

static int parse_args(const char *cmd, int argc, char **argv, opts_t *o)
{
    static const struct { const char *name; size_t off; } vals[] = {
        { "label", offsetof(opts_t, label) },       { "label-file", offsetof(opts_t, label_file) },
        { "clearance", offsetof(opts_t, clearance) }, { "nation", offsetof(opts_t, nation) },
        { "data", offsetof(opts_t, data) },         { "key", offsetof(opts_t, key) },
        { "binding", offsetof(opts_t, binding) },   { "out", offsetof(opts_t, out) },
        { "kind", offsetof(opts_t, kind) },         { "lang", offsetof(opts_t, lang) },
        { "translate", offsetof(opts_t, translate) }, { "markings", offsetof(opts_t, markings) },
        { "iso", offsetof(opts_t, iso) },
    };
    int i;
    size_t k;

    memset(o, 0, sizeof *o);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool found = false;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            o->help = true;
            return 0;
        }
        if (strncmp(a, "--", 2) != 0) {
            if (o->n_pos >= 4) {
                fprintf(stderr, "aib label %s: unexpected argument `%s`\n", cmd, a);
                return AIB_CLI_USAGE;
            }
            o->pos[o->n_pos++] = a;
            continue;
        }
        a += 2;
        if (!strcmp(a, "json") || !strcmp(a, "strict") || !strcmp(a, "portion") || !strcmp(a, "verbose")) {
            bool *f = !strcmp(a, "json") ? &o->json : !strcmp(a, "strict") ? &o->strict
                    : !strcmp(a, "portion") ? &o->portion : &o->verbose;
            *f = true;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "aib label %s: option `--%s` needs a value\n", cmd, a);
            return AIB_CLI_USAGE;
        }
        if (!strcmp(a, "caveat") || !strcmp(a, "spif")) {
            bool cav = !strcmp(a, "caveat");
            size_t *n = cav ? &o->n_caveats : &o->n_spifs;
            if (*n >= MAX_MULTI) {
                fprintf(stderr, "aib label %s: too many --%s options\n", cmd, a);
                return AIB_CLI_USAGE;
            }
            (cav ? o->caveats : o->spifs)[(*n)++] = argv[++i];
            continue;
        }
        for (k = 0; k < sizeof vals / sizeof vals[0]; k++)
            if (!strcmp(a, vals[k].name)) {
                *(const char **)((char *)o + vals[k].off) = argv[++i];
                found = true;
                break;
            }
        if (!found) {
            fprintf(stderr, "aib label %s: unknown option `--%s`\n", cmd, a);
            return AIB_CLI_USAGE;
        }
    }
    return 0;
}

static void print_diag(const char *cmd, const aib_diag_t *d)
{
    char msg[1200];
    aib_diag_format(d, msg, sizeof msg);
    fprintf(stderr, "aib label %s: %s\n", cmd, msg[0] ? msg : "error");
}

static int load_us(const opts_t *o, aib_label_us_t **us)
{
    aib_diag_t d;
    aib_diag_clear(&d);
    if (aib_label_us_load(o->markings, o->iso, us, &d) != 0) {
        print_diag("markings", &d);
        return AIB_CLI_USAGE;
    }
    return 0;
}

static int load_site(const char *cmd, const opts_t *o, aib_label_site_t **site)
{
    aib_diag_t d;
    size_t i;
    bool warned;
    if (aib_label_site_new(site) != 0)
        return AIB_CLI_USAGE;
    for (i = 0; i < o->n_spifs; i++) {
        aib_diag_clear(&d);
        if (aib_label_site_load_file(*site, o->spifs[i], &warned, &d) != 0) {
            print_diag(cmd, &d);
            return AIB_CLI_USAGE;
        }
        if (warned)
            print_diag(cmd, &d);
    }
    return 0;
}

/* ---- parse ------------------------------------------------------------------------------------ */

static const char parse_usage[] =
    "usage: aib label parse MARKING [--portion] [--strict] [--json] [--markings FILE] [--iso FILE]\n"
    "\n"
    "Parses a US banner line or portion mark, e.g. \"SECRET//REL TO USA, AUS, GBR\",\n"
    "\"CUI//SP-EXPT//NOFORN\", \"(S//NF)\"; prints the canonical banner (or portion mark with\n"
    "--portion), the REL TO countries with tetragraphs expanded, and every register rule the\n"
    "marking breaks, with its citation. Exit 1 when the marking breaks a rule, 2 when it cannot\n"
    "be read (the message names the segment and column).\n"
    "  --strict          fail on the first rule broken\n"
    "  --markings FILE   marking table (default data/label/us-markings.json)\n"
    "  --iso FILE        ISO 3166-1 JSON (default Debian iso-codes)\n";

static void json_list(aib_buf_t *b, const char *key, const char *const *v, size_t n)
{
    size_t i;
    aib_buf_printf(b, ",\"%s\":[", key);
    for (i = 0; i < n; i++) {
        if (i)
            aib_buf_putc(b, ',');
        aib_buf_json_str(b, v[i], strlen(v[i]));
    }
    aib_buf_putc(b, ']');
}

static int cmd_parse(int argc, char **argv)
{
    opts_t o;
    aib_label_us_t *us = NULL;
    aib_arena_t *a = aib_arena_new(0);
    aib_label_banner_t *b = NULL;
    aib_buf_t out, canon;
    aib_diag_t d;
    size_t i;
    int st, rc;

    aib_buf_init(&out);
    aib_buf_init(&canon);
    if ((st = parse_args("parse", argc, argv, &o)) != 0 || o.help || o.n_pos != 1) {
        fputs(parse_usage, o.help ? stdout : stderr);
        st = o.help ? AIB_CLI_OK : AIB_CLI_USAGE;
        goto done;
    }
    if ((st = load_us(&o, &us)) != 0)
        goto done;
    aib_diag_clear(&d);
    if ((rc = aib_label_banner_parse(us, o.pos[0], o.strict, a, &b, &d)) != 0) {
        print_diag("parse", &d);
        st = rc == AIB_EINVAL ? AIB_CLI_NEGATIVE : AIB_CLI_USAGE; /* EINVAL: a rule broken (--strict) */
        goto done;
    }
    aib_label_banner_format(us, b, o.portion, &canon);
    if (o.json) {
        aib_buf_puts(&out, "{\"canonical\":");
        aib_buf_json_str(&out, canon.data, canon.len);
        aib_buf_puts(&out, ",\"level\":");
        aib_buf_json_str(&out, b->level, strlen(b->level));
        aib_buf_printf(&out, ",\"valid\":%s,\"noforn\":%s", b->n_issues ? "false" : "true", b->noforn ? "true" : "false");
        json_list(&out, "sci", b->sci, b->n_sci);
        json_list(&out, "sap", b->sap, b->n_sap);
        json_list(&out, "cui_categories", b->cui_cats, b->n_cui_cats);
        json_list(&out, "dissemination", b->dissem, b->n_dissem);
        json_list(&out, "rel_to", b->rel_to, b->n_rel_to);
        json_list(&out, "rel_countries", b->rel_countries, b->n_rel_countries);
        json_list(&out, "display_only", b->display_only, b->n_display_only);
        aib_buf_puts(&out, ",\"issues\":[");
        for (i = 0; i < b->n_issues; i++) {
            aib_buf_printf(&out, "%s{\"segment\":%d,\"message\":", i ? "," : "", b->issues[i].segment);
            aib_buf_json_str(&out, b->issues[i].msg, strlen(b->issues[i].msg));
            aib_buf_puts(&out, ",\"citation\":");
            aib_buf_json_str(&out, b->issues[i].citation ? b->issues[i].citation : "",
                             b->issues[i].citation ? strlen(b->issues[i].citation) : 0);
            aib_buf_putc(&out, '}');
        }
        aib_buf_puts(&out, "]}\n");
        fputs(out.data, stdout);
    } else {
        printf("%s\n", canon.data);
        if (b->n_rel_countries) {
            printf("releasable to:");
            for (i = 0; i < b->n_rel_countries; i++)
                printf(" %s", b->rel_countries[i]);
            printf("\n");
        }
        for (i = 0; i < b->n_issues; i++) {
            if (b->issues[i].segment)
                printf("invalid: segment %d: ", b->issues[i].segment);
            else
                printf("invalid: ");
            printf("%s [%s]\n", b->issues[i].msg, b->issues[i].citation ? b->issues[i].citation : "");
        }
        if (!b->n_issues)
            printf("valid\n");
    }
    st = b->n_issues ? AIB_CLI_NEGATIVE : AIB_CLI_OK;
done:
    aib_buf_free(&out);
    aib_buf_free(&canon);
    aib_arena_free(a);
    aib_label_us_free(us);
    return st;
}

/* ---- check ------------------------------------------------------------------------------------ */

static const char check_usage[] =
    "usage: aib label check --label MARKING --clearance LEVEL --nation CODE [--caveat X]... [--json]\n"
    "       aib label check --spif FILE... --label FILE --clearance FILE [--json]\n"
    "\n"
    "Access check between a label and a requester; prints ALLOW or DENY with the reason.\n"
    "Banner form: the requester's nation (alpha-3 or alpha-2), highest level held (name or\n"
    "abbreviation, CUI for CUI access only) and caveats (SCI systems, SAR-NAME, ORCON...).\n"
    "The level dominates lower levels; REL TO tetragraphs (FVEY, NATO...) are expanded from the\n"
    "marking table. SPIF form: a 4774 label and clearance file (compact XML or ADatP-4774 XML)\n"
    "decided by the access control decision function (classification held; every restrictive\n"
    "category held; one category of each permissive tag held; informative ignored).\n"
    "Exit 0 allow, 1 deny, 2 input error.\n";

static int print_decision(const opts_t *o, bool allowed, const char *reason, const char *citation)
{
    if (o->json) {
        aib_buf_t b;
        aib_buf_init(&b);
        aib_buf_printf(&b, "{\"decision\":\"%s\",\"reason\":", allowed ? "allow" : "deny");
        aib_buf_json_str(&b, reason, strlen(reason));
        aib_buf_puts(&b, ",\"citation\":");
        if (citation)
            aib_buf_json_str(&b, citation, strlen(citation));
        else
            aib_buf_puts(&b, "null");
        aib_buf_puts(&b, "}\n");
        fputs(b.data, stdout);
        aib_buf_free(&b);
    } else {
        printf("%s: %s%s%s%s\n", allowed ? "ALLOW" : "DENY", reason, citation ? " [" : "", citation ? citation : "",
               citation ? "]" : "");
    }
    return allowed ? AIB_CLI_OK : AIB_CLI_NEGATIVE;
}

static int check_spif(const opts_t *o)
{
    aib_label_site_t *site = NULL;
    aib_label_t *l = NULL;
    aib_label_clearance_t *c = NULL;
    char *ld = NULL, *cd = NULL, reason[700], why[600];
    size_t ll = 0, cl = 0;
    aib_diag_t d;
    int st;

    aib_diag_clear(&d);
    if ((st = load_site("check", o, &site)) != 0)
        goto done;
    if (aib_read_file(o->label, &ld, &ll, &d) != 0 || aib_label_parse(site, o->label, ld, ll, AIB_LABEL_FMT_ANY, &l, &d) != 0 ||
        aib_read_file(o->clearance, &cd, &cl, &d) != 0 ||
        aib_label_clearance_parse(site, o->clearance, cd, cl, AIB_LABEL_FMT_ANY, &c, &d) != 0) {
        print_diag("check", &d);
        st = AIB_CLI_USAGE;
        goto done;
    }
    if (!aib_label_valid(l, why, sizeof why)) {
        snprintf(reason, sizeof reason, "invalid label: %s", why);
        st = print_decision(o, false, reason, NULL);
        goto done;
    }
    st = print_decision(o, aib_label_acdf(l, c, reason, sizeof reason), reason, NULL);
done:
    aib_label_free(l);
    aib_label_clearance_free(c);
    aib_label_site_free(site);
    free(ld);
    free(cd);
    return st;
}

static int cmd_check(int argc, char **argv)
{
    opts_t o;
    aib_label_us_t *us = NULL;
    aib_arena_t *a = NULL;
    aib_label_banner_t *b = NULL;
    aib_label_requester_t who;
    aib_label_decision_t dec;
    aib_diag_t d;
    int st;

    if ((st = parse_args("check", argc, argv, &o)) != 0 || o.help || !o.label || !o.clearance ||
        (!o.n_spifs && !o.nation) || o.n_pos) {
        fputs(check_usage, o.help ? stdout : stderr);
        return o.help ? AIB_CLI_OK : AIB_CLI_USAGE;
    }
    if (o.n_spifs)
        return check_spif(&o);
    if ((st = load_us(&o, &us)) != 0)
        goto done;
    a = aib_arena_new(0);
    aib_diag_clear(&d);
    if (aib_label_banner_parse(us, o.label, false, a, &b, &d) != 0) {
        print_diag("check", &d);
        st = AIB_CLI_USAGE;
        goto done;
    }
    who.nation = o.nation;
    who.clearance = o.clearance;
    who.caveats = o.caveats;
    who.n_caveats = o.n_caveats;
    if (aib_label_banner_access(us, b, &who, &dec, &d) != 0) {
        print_diag("check", &d);
        st = AIB_CLI_USAGE;
        goto done;
    }
    st = print_decision(&o, dec.allowed, dec.reason, dec.citation);
done:
    aib_arena_free(a);
    aib_label_us_free(us);
    return st;
}

/* ---- marking ---------------------------------------------------------------------------------- */

static const char marking_usage[] =
    "usage: aib label marking --spif FILE... --label FILE [--lang TAG] [--translate POLICY-ID]\n"
    "                         [--clearance FILE]\n"
    "\n"
    "Reads a 4774 label (compact XML or ADatP-4774 XML) under the given SPIF policies and prints\n"
    "its display marking (for language TAG, falling back to the base language and the default),\n"
    "its validity under the policy's rules, and with --translate the equivalent label under\n"
    "another loaded policy. --clearance prints the clearance's marking too. Exit 1 when invalid.\n";

static int cmd_marking(int argc, char **argv)
{
    opts_t o;
    aib_label_site_t *site = NULL;
    aib_label_t *l = NULL, *t = NULL;
    aib_label_clearance_t *c = NULL;
    char *ld = NULL, *cd = NULL, why[600];
    size_t ll = 0, cl = 0;
    aib_buf_t m;
    aib_diag_t d;
    bool valid;
    int st;

    aib_buf_init(&m);
    if ((st = parse_args("marking", argc, argv, &o)) != 0 || o.help || !o.label || !o.n_spifs) {
        fputs(marking_usage, o.help ? stdout : stderr);
        return o.help ? AIB_CLI_OK : AIB_CLI_USAGE;
    }
    aib_diag_clear(&d);
    if ((st = load_site("marking", &o, &site)) != 0)
        goto done;
    if (aib_read_file(o.label, &ld, &ll, &d) != 0 || aib_label_parse(site, o.label, ld, ll, AIB_LABEL_FMT_ANY, &l, &d) != 0) {
        print_diag("marking", &d);
        st = AIB_CLI_USAGE;
        goto done;
    }
    valid = aib_label_valid(l, why, sizeof why);
    aib_label_marking(l, o.lang, &m);
    printf("marking: %s\n%s: %s\n", m.data ? m.data : "", valid ? "valid" : "invalid", why);
    if (o.translate) {
        if (aib_label_translate(site, l, o.translate, &t, &d) != 0) {
            print_diag("marking", &d);
            st = AIB_CLI_USAGE;
            goto done;
        }
        aib_buf_clear(&m);
        aib_label_marking(t, o.lang, &m);
        printf("translated (%s): %s\n", aib_label_policy_name(aib_label_policy(t)), m.data ? m.data : "");
        aib_buf_clear(&m);
        aib_label_write(t, AIB_LABEL_FMT_NATO, &m);
        fputs(m.data ? m.data : "", stdout);
    }
    if (o.clearance) {
        if (aib_read_file(o.clearance, &cd, &cl, &d) != 0 ||
            aib_label_clearance_parse(site, o.clearance, cd, cl, AIB_LABEL_FMT_ANY, &c, &d) != 0) {
            print_diag("marking", &d);
            st = AIB_CLI_USAGE;
            goto done;
        }
        aib_buf_clear(&m);
        aib_label_clearance_marking(c, o.lang, &m);
        printf("clearance: %s\n", m.data ? m.data : "");
    }
    st = valid ? AIB_CLI_OK : AIB_CLI_NEGATIVE;
done:
    aib_buf_free(&m);
    aib_label_free(l);
    aib_label_free(t);
    aib_label_clearance_free(c);
    aib_label_site_free(site);
    free(ld);
    free(cd);
    return st;
}

/* ---- keygen / sign / verify ------------------------------------------------------------------- */

static const char keygen_usage[] =
    "usage: aib label keygen --out PREFIX\n"
    "\n"
    "Creates an Ed25519 key pair: PREFIX.sec (mode 0600) and PREFIX.pub, one line of hex each.\n"
    "Existing files are never overwritten.\n";

static int cmd_keygen(int argc, char **argv)
{
    opts_t o;
    uint8_t pk[AIB_LABEL_PK_BYTES], sk[AIB_LABEL_SK_BYTES];
    char path[4096];
    aib_diag_t d;
    int st;

    if ((st = parse_args("keygen", argc, argv, &o)) != 0 || o.help || !o.out) {
        fputs(keygen_usage, o.help ? stdout : stderr);
        return o.help ? AIB_CLI_OK : AIB_CLI_USAGE;
    }
    aib_diag_clear(&d);
    if (aib_label_keygen(pk, sk) != 0) {
        fprintf(stderr, "aib label keygen: key generation failed\n");
        return AIB_CLI_USAGE;
    }
    snprintf(path, sizeof path, "%s.sec", o.out);
    if (aib_label_key_save(path, sk, true, &d) != 0) {
        print_diag("keygen", &d);
        return AIB_CLI_USAGE;
    }
    snprintf(path, sizeof path, "%s.pub", o.out);
    if (aib_label_key_save(path, pk, false, &d) != 0) {
        print_diag("keygen", &d);
        return AIB_CLI_USAGE;
    }
    printf("%s.sec\n%s.pub\n", o.out, o.out);
    return AIB_CLI_OK;
}

static const char sign_usage[] =
    "usage: aib label sign --key SECRET-KEY --data FILE (--label TEXT | --label-file FILE)\n"
    "                      [--kind banner|xml|nato] [--out FILE]\n"
    "\n"
    "Binds the label to the data: signs (Ed25519) the canonical encoding of the label and the\n"
    "SHA-256 of the data and writes the binding document (JSON) to --out or standard output.\n"
    "--kind names the label form (default banner for --label, xml for --label-file).\n";

static int cmd_sign(int argc, char **argv)
{
    opts_t o;
    uint8_t pk[AIB_LABEL_PK_BYTES], sk[AIB_LABEL_SK_BYTES];
    char *data = NULL, *lf = NULL;
    size_t dl = 0, ll = 0;
    bool secret = false;
    aib_buf_t out;
    aib_diag_t d;
    FILE *f;
    int st = AIB_CLI_USAGE;

    aib_buf_init(&out);
    if (parse_args("sign", argc, argv, &o) != 0 || o.help || !o.key || !o.data || (!o.label == !o.label_file)) {
        fputs(sign_usage, o.help ? stdout : stderr);
        return o.help ? AIB_CLI_OK : AIB_CLI_USAGE;
    }
    aib_diag_clear(&d);
    if (aib_label_key_load(o.key, pk, sk, &secret, &d) != 0 || aib_read_file(o.data, &data, &dl, &d) != 0 ||
        (o.label_file && aib_read_file(o.label_file, &lf, &ll, &d) != 0)) {
        print_diag("sign", &d);
        goto done;
    }
    if (!secret) {
        fprintf(stderr, "aib label sign: %s: a secret key is needed to sign\n", o.key);
        goto done;
    }
    if (aib_label_bind(o.kind ? o.kind : o.label ? "banner" : "xml", o.label ? o.label : lf,
                       o.label ? strlen(o.label) : ll, (const uint8_t *)data, dl, sk, &out, &d) != 0) {
        print_diag("sign", &d);
        goto done;
    }
    if (o.out) {
        if (!(f = fopen(o.out, "wb")) || fwrite(out.data, 1, out.len, f) != out.len || fclose(f) != 0) {
            fprintf(stderr, "aib label sign: cannot write %s\n", o.out);
            goto done;
        }
    } else {
        fputs(out.data, stdout);
    }
    st = AIB_CLI_OK;
done:
    sodium_memzero(sk, sizeof sk);
    aib_buf_free(&out);
    free(data);
    free(lf);
    return st;
}

static const char verify_usage[] =
    "usage: aib label verify --key PUBLIC-KEY --data FILE --binding FILE [--json]\n"
    "\n"
    "Verifies a binding against the data and a trusted public (or secret) key file. Prints\n"
    "VALID and the bound label, or INVALID with what changed (data, label or signature, or a\n"
    "different signer). Exit 0 valid, 1 invalid, 2 input error.\n";

static int cmd_verify(int argc, char **argv)
{
    opts_t o;
    uint8_t pk[AIB_LABEL_PK_BYTES], sk[AIB_LABEL_SK_BYTES];
    char *data = NULL, *doc = NULL, kind[16];
    size_t dl = 0, bl = 0;
    aib_buf_t label;
    aib_diag_t d;
    int st = AIB_CLI_USAGE, rc;

    aib_buf_init(&label);
    if (parse_args("verify", argc, argv, &o) != 0 || o.help || !o.key || !o.data || !o.binding) {
        fputs(verify_usage, o.help ? stdout : stderr);
        return o.help ? AIB_CLI_OK : AIB_CLI_USAGE;
    }
    aib_diag_clear(&d);
    if (aib_label_key_load(o.key, pk, sk, NULL, &d) != 0 || aib_read_file(o.data, &data, &dl, &d) != 0 ||
        aib_read_file(o.binding, &doc, &bl, &d) != 0) {
        print_diag("verify", &d);
        goto done;
    }
    rc = aib_label_binding_verify(doc, bl, (const uint8_t *)data, dl, pk, &label, kind, &d);
    if (rc == AIB_EDENIED) {
        printf("INVALID: %s\n", d.msg);
        st = AIB_CLI_NEGATIVE;
    } else if (rc != 0) {
        print_diag("verify", &d);
    } else {
        printf("VALID %s: %s\n", kind, label.data ? label.data : "");
        st = AIB_CLI_OK;
    }
done:
    sodium_memzero(sk, sizeof sk);
    aib_buf_free(&label);
    free(data);
    free(doc);
    return st;
}

/* ---- test ------------------------------------------------------------------------------------- */

static const char test_usage[] =
    "usage: aib label test [DIR|TAR] [--verbose]\n"
    "\n"
    "Runs the expectations of a label-conformance suite's tests.xml: SPIF policy loading (and\n"
    "expected load errors), label validity, display markings per language, equivalent-policy\n"
    "translation and its marking, clearance markings, access decisions and expected errors; every\n"
    "label and clearance is also written in both XML forms and read back. DIR holds tests.xml (or\n"
    "a label-conformance/ folder); TAR is the .tar.gz. Default:\n"
    "$AIB_SHARED_DATA/label-conformance.tar.gz. A test whose fixture file is missing from the suite\n"
    "is reported as skipped. Ends with \"N passed, N failed\"; exit 1 on any failure.\n";

static int cmd_test(int argc, char **argv)
{
    opts_t o;
    char def[4096];
    const char *path;
    aib_label_conf_result_t r;
    aib_buf_t log;
    aib_diag_t d;
    int st;

    if ((st = parse_args("test", argc, argv, &o)) != 0 || o.help || o.n_pos > 1) {
        fputs(test_usage, o.help ? stdout : stderr);
        return o.help ? AIB_CLI_OK : AIB_CLI_USAGE;
    }
    if (o.n_pos) {
        path = o.pos[0];
    } else {
        const char *env = getenv("AIB_SHARED_DATA");
        snprintf(def, sizeof def, "%s/label-conformance.tar.gz", env && *env ? env : "../shared/data");
        path = def;
    }
    aib_buf_init(&log);
    aib_diag_clear(&d);
    if (aib_label_conformance(path, &log, o.verbose, &r, &d) != 0) {
        print_diag("test", &d);
        aib_buf_free(&log);
        return AIB_CLI_USAGE;
    }
    fputs(log.data ? log.data : "", stdout);
    if (r.skipped)
        printf("%d passed, %d failed (%d skipped: fixture not in the suite)\n", r.passed, r.failed, r.skipped);
    else
        printf("%d passed, %d failed\n", r.passed, r.failed);
    aib_buf_free(&log);
    return r.failed ? AIB_CLI_NEGATIVE : AIB_CLI_OK;
}

int aib_cli_label(int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : NULL;
    if (!sub || !strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")) {
        fputs(label_usage, sub ? stdout : stderr);
        return sub ? AIB_CLI_OK : AIB_CLI_USAGE;
    }
    if (!strcmp(sub, "parse"))
        return cmd_parse(argc - 1, argv + 1);
    if (!strcmp(sub, "check"))
        return cmd_check(argc - 1, argv + 1);
    if (!strcmp(sub, "marking"))
        return cmd_marking(argc - 1, argv + 1);
    if (!strcmp(sub, "keygen"))
        return cmd_keygen(argc - 1, argv + 1);
    if (!strcmp(sub, "sign"))
        return cmd_sign(argc - 1, argv + 1);
    if (!strcmp(sub, "verify"))
        return cmd_verify(argc - 1, argv + 1);
    if (!strcmp(sub, "test"))
        return cmd_test(argc - 1, argv + 1);
    fprintf(stderr, "aib label: unknown command `%s`\n", sub);
    fputs(label_usage, stderr);
    return AIB_CLI_USAGE;
}
