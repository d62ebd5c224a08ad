/* fuzz_registry_bundle.c — libFuzzer target for bundle import (src/registry/reg_bundle.c) into
 * an in-memory registry of node GBR. Odd first byte: the rest is a bundle as received (almost
 * always refused at the signature). Even first byte: the rest is signed here with the trusted
 * key first, so the header and record parsing, release checks and storing are exercised. Must
 * never crash or leak; an import that succeeds must be idempotent. Run from the repository root. */
#include "aib/registry.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static aib_registry_t *reg;
static uint8_t pk[32], sk[64];

static void hex(const uint8_t *in, size_t n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    size_t i;
    for (i = 0; i < n; i++) {
        out[2 * i] = hx[in[i] >> 4];
        out[2 * i + 1] = hx[in[i] & 15];
    }
    out[2 * n] = '\0';
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    aib_registry_import_report_t rep, rep2;
    aib_actor_t who = { "fuzz", "GBR", "admin" };
    aib_diag_t d;
    aib_buf_t b;

    if (!reg) {
        aib_registry_opts_t o;
        memset(&o, 0, sizeof(o));
        o.db_path = ":memory:";
        o.node_nation = "GBR";
        if (sodium_init() < 0 || aib_registry_open(&o, &reg, &d))
            abort();
        crypto_sign_seed_keypair(pk, sk, (const unsigned char *)"aib-fuzz-registry-bundle-seed-32");
    }
    if (size == 0)
        return 0;
    aib_buf_init(&b);
    aib_buf_append(&b, data + 1, size - 1);
    if (!(data[0] & 1)) {
        uint8_t sig[64];
        char sh[129], ph[65];
        if (b.len && b.data[b.len - 1] != '\n')
            aib_buf_putc(&b, '\n');
        crypto_sign_detached(sig, NULL, (const unsigned char *)b.data, b.len, sk);
        hex(sig, 64, sh);
        hex(pk, 32, ph);
        aib_buf_printf(&b, "{\"signature\":\"%s\",\"public_key\":\"%s\"}\n", sh, ph);
    }
    if (aib_registry_import(reg, &who, b.data ? b.data : "", b.len, pk, &rep, &d) == 0) {
        if (aib_registry_import(reg, &who, b.data, b.len, pk, &rep2, &d) || rep2.added || rep2.updated)
            abort();
    }
    aib_buf_free(&b);
    return 0;
}
