/* ext.c — dispatch of Cedar's extension functions and methods (decimal, ipaddr, datetime,
 * duration) for the evaluator, and construction of extension values from JSON __extn escapes.
 * Argument counts and types are checked the way the reference checks them (count first, then
 * each argument left to right) so the same calls fail with the same kind of error. */
#include "cedar/ext_int.h"

#include <stdio.h>
#include <string.h>

/* Names and arities as the reference registers them (receiver counted for methods). */
static const struct { const char *name; uint8_t arity; } ext_fns[AIB__FN__COUNT] = {
    [AIB__FN_DECIMAL] = { "decimal", 1 },
    [AIB__FN_LESS_THAN] = { "lessThan", 2 },
    [AIB__FN_LESS_THAN_OR_EQUAL] = { "lessThanOrEqual", 2 },
    [AIB__FN_GREATER_THAN] = { "greaterThan", 2 },
    [AIB__FN_GREATER_THAN_OR_EQUAL] = { "greaterThanOrEqual", 2 },
    [AIB__FN_IP] = { "ip", 1 },
    [AIB__FN_IS_IPV4] = { "isIpv4", 1 },
    [AIB__FN_IS_IPV6] = { "isIpv6", 1 },
    [AIB__FN_IS_LOOPBACK] = { "isLoopback", 1 },
    [AIB__FN_IS_MULTICAST] = { "isMulticast", 1 },
    [AIB__FN_IS_IN_RANGE] = { "isInRange", 2 },
    [AIB__FN_DATETIME] = { "datetime", 1 },
    [AIB__FN_DURATION] = { "duration", 1 },
    [AIB__FN_OFFSET] = { "offset", 2 },
    [AIB__FN_DURATION_SINCE] = { "durationSince", 2 },
    [AIB__FN_TO_DATE] = { "toDate", 1 },
    [AIB__FN_TO_TIME] = { "toTime", 1 },
    [AIB__FN_TO_MILLISECONDS] = { "toMilliseconds", 1 },
    [AIB__FN_TO_SECONDS] = { "toSeconds", 1 },
    [AIB__FN_TO_MINUTES] = { "toMinutes", 1 },
    [AIB__FN_TO_HOURS] = { "toHours", 1 },
    [AIB__FN_TO_DAYS] = { "toDays", 1 },
};

static void set_err(char *err, size_t cap, const char *fmt, const char *a, const char *b)
{
    if (err && cap)
        snprintf(err, cap, fmt, a, b);
}

/* "type error: expected decimal, got long"; entities are named with their type, as the
 * reference does ("got (entity of type `User`)"). */
static int type_error(const char *expected, const aib__value_t *got, char *err, size_t cap)
{
    if (!err || !cap)
        return AIB_EEVAL;
    if (got->kind == AIB__V_ENTITY)
        snprintf(err, cap, "type error: expected %s, got (entity of type `%.*s`)", expected,
                 (int)(got->u.uid->type.len > 200 ? 200 : got->u.uid->type.len), got->u.uid->type.ptr);
    else
        snprintf(err, cap, "type error: expected %s, got %s", expected, aib__vkind_name(got->kind));
    return AIB_EEVAL;
}

static int want(const aib__value_t *v, int kind, char *err, size_t cap)
{
    return v->kind == kind ? 0 : type_error(aib__vkind_name(kind), v, err, cap);
}

/* Builds the value of constructor fn from string text; the failure message is prefixed the
 * way the reference reports extension failures. */
static int construct(int fn, const char *s, size_t len, aib_arena_t *arena, aib__value_t *out, char *err,
                     size_t cap)
{
    char why[320];
    const char *ext = "";
    int rc;

    why[0] = '\0';
    switch (fn) {
    case AIB__FN_DECIMAL:
        ext = "decimal";
        rc = aib__decimal_parse_msg(s, len, &out->u.i, why, sizeof(why));
        out->kind = AIB__V_DECIMAL;
        break;
    case AIB__FN_IP: {
        aib__ipaddr_t ip, *p;
        ext = "ipaddr";
        rc = aib__ip_parse_msg(s, len, &ip, why, sizeof(why));
        if (rc == 0) {
            p = aib_arena_alloc(arena, sizeof(*p));
            if (!p)
                return AIB_ENOMEM;
            *p = ip;
            out->kind = AIB__V_IP;
            out->u.ip = p;
        }
        break;
    }
    case AIB__FN_DATETIME:
        ext = "datetime";
        rc = aib__datetime_parse_msg(s, len, &out->u.i, why, sizeof(why));
        out->kind = AIB__V_DATETIME;
        break;
    case AIB__FN_DURATION:
        ext = "duration";
        rc = aib__duration_parse_msg(s, len, &out->u.i, why, sizeof(why));
        out->kind = AIB__V_DURATION;
        break;
    default:
        return AIB_EINTERNAL;
    }
    if (rc != 0) {
        set_err(err, cap, "error while evaluating `%s` extension function: %s", ext, why);
        return AIB_EEVAL;
    }
    return 0;
}

static int overflow(const char *fn, const char *what, char *err, size_t cap)
{
    set_err(err, cap, "error while evaluating `%s` extension function: %s", fn, what);
    return AIB_EEVAL;
}

int aib__ext_call(int fn, const aib__value_t *args, size_t n, aib_arena_t *arena, aib__value_t *out,
                  char *err, size_t cap)
{
    int rc;

    if (fn < AIB__FN_FIRST_EXT || fn >= AIB__FN__COUNT) {
        if (err && cap)
            snprintf(err, cap, "unknown extension function");
        return AIB_EEVAL;
    }
    if (n != ext_fns[fn].arity) {
        if (err && cap)
            snprintf(err, cap, "wrong number of arguments provided to extension function `%s`: expected %u, got %zu",
                     ext_fns[fn].name, (unsigned)ext_fns[fn].arity, n);
        return AIB_EEVAL;
    }
    switch (fn) {
    case AIB__FN_DECIMAL:
    case AIB__FN_IP:
    case AIB__FN_DATETIME:
    case AIB__FN_DURATION:
        if ((rc = want(&args[0], AIB__V_STRING, err, cap)) != 0)
            return rc;
        return construct(fn, args[0].u.s.ptr, args[0].u.s.len, arena, out, err, cap);

    case AIB__FN_LESS_THAN:
    case AIB__FN_LESS_THAN_OR_EQUAL:
    case AIB__FN_GREATER_THAN:
    case AIB__FN_GREATER_THAN_OR_EQUAL: {
        int64_t a, b;
        if ((rc = want(&args[0], AIB__V_DECIMAL, err, cap)) != 0 ||
            (rc = want(&args[1], AIB__V_DECIMAL, err, cap)) != 0)
            return rc;
        a = args[0].u.i;
        b = args[1].u.i;
        *out = aib__v_bool(fn == AIB__FN_LESS_THAN ? a < b
                           : fn == AIB__FN_LESS_THAN_OR_EQUAL ? a <= b
                           : fn == AIB__FN_GREATER_THAN ? a > b
                                                        : a >= b);
        return 0;
    }

    case AIB__FN_IS_IPV4:
    case AIB__FN_IS_IPV6:
    case AIB__FN_IS_LOOPBACK:
    case AIB__FN_IS_MULTICAST: {
        const aib__ipaddr_t *ip;
        if ((rc = want(&args[0], AIB__V_IP, err, cap)) != 0)
            return rc;
        ip = args[0].u.ip;
        *out = aib__v_bool(fn == AIB__FN_IS_IPV4 ? !ip->v6
                           : fn == AIB__FN_IS_IPV6 ? ip->v6
                           : fn == AIB__FN_IS_LOOPBACK ? aib__ip_is_loopback(ip)
                                                       : aib__ip_is_multicast(ip));
        return 0;
    }
    case AIB__FN_IS_IN_RANGE:
        if ((rc = want(&args[0], AIB__V_IP, err, cap)) != 0 || (rc = want(&args[1], AIB__V_IP, err, cap)) != 0)
            return rc;
        *out = aib__v_bool(aib__ip_in_range(args[0].u.ip, args[1].u.ip));
        return 0;

    case AIB__FN_OFFSET: {
        int64_t a, b;
        if ((rc = want(&args[0], AIB__V_DATETIME, err, cap)) != 0 ||
            (rc = want(&args[1], AIB__V_DURATION, err, cap)) != 0)
            return rc;
        a = args[0].u.i;
        b = args[1].u.i;
        if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b))
            return overflow("offset", "overflows when adding an offset", err, cap);
        out->kind = AIB__V_DATETIME;
        out->u.i = a + b;
        return 0;
    }
    case AIB__FN_DURATION_SINCE: {
        int64_t a, b;
        if ((rc = want(&args[0], AIB__V_DATETIME, err, cap)) != 0 ||
            (rc = want(&args[1], AIB__V_DATETIME, err, cap)) != 0)
            return rc;
        a = args[0].u.i;
        b = args[1].u.i;
        if ((b < 0 && a > INT64_MAX + b) || (b > 0 && a < INT64_MIN + b))
            return overflow("durationSince", "overflows when computing the duration", err, cap);
        out->kind = AIB__V_DURATION;
        out->u.i = a - b;
        return 0;
    }
    case AIB__FN_TO_DATE:
        if ((rc = want(&args[0], AIB__V_DATETIME, err, cap)) != 0)
            return rc;
        if (aib__datetime_to_date(args[0].u.i, &out->u.i) != 0)
            return overflow("toDate", "overflows when computing the date", err, cap);
        out->kind = AIB__V_DATETIME;
        return 0;
    case AIB__FN_TO_TIME:
        if ((rc = want(&args[0], AIB__V_DATETIME, err, cap)) != 0)
            return rc;
        out->u.i = aib__datetime_to_time(args[0].u.i);
        out->kind = AIB__V_DURATION;
        return 0;

    /* Each step truncates toward zero, as the reference divides unit by unit. */
    case AIB__FN_TO_MILLISECONDS:
    case AIB__FN_TO_SECONDS:
    case AIB__FN_TO_MINUTES:
    case AIB__FN_TO_HOURS:
    case AIB__FN_TO_DAYS: {
        int64_t v;
        if ((rc = want(&args[0], AIB__V_DURATION, err, cap)) != 0)
            return rc;
        v = args[0].u.i;
        if (fn >= AIB__FN_TO_SECONDS)
            v /= 1000;
        if (fn >= AIB__FN_TO_MINUTES)
            v /= 60;
        if (fn >= AIB__FN_TO_HOURS)
            v /= 60;
        if (fn >= AIB__FN_TO_DAYS)
            v /= 24;
        *out = aib__v_long(v);
        return 0;
    }
    default:
        if (err && cap)
            snprintf(err, cap, "unknown extension function");
        return AIB_EEVAL;
    }
}

/* The reference looks the escape's function name up among all extension functions: the four
 * constructors work with a string argument, any other function fails on its argument count,
 * and names in the reserved `__cedar` namespace are refused. */
int aib__ext_construct(aib_str_t fn_name, aib_str_t arg, aib_arena_t *arena, aib__value_t *out, char *err,
                       size_t cap)
{
    int fn;
    int show = (int)(fn_name.len > 100 ? 100 : fn_name.len);

    for (fn = AIB__FN_FIRST_EXT; fn < AIB__FN__COUNT; fn++)
        if (aib_str_eq_cstr(fn_name, ext_fns[fn].name))
            break;
    if (fn == AIB__FN__COUNT) {
        if (err && cap) {
            if (fn_name.len >= 9 && memcmp(fn_name.ptr, "__cedar::", 9) == 0)
                snprintf(err, cap, "the name `%.*s` contains `__cedar`, which is reserved", show, fn_name.ptr);
            else
                snprintf(err, cap, "extension function `%.*s` does not exist", show, fn_name.ptr);
        }
        return AIB_EEVAL;
    }
    if (ext_fns[fn].arity != 1 ||
        (fn != AIB__FN_DECIMAL && fn != AIB__FN_IP && fn != AIB__FN_DATETIME && fn != AIB__FN_DURATION)) {
        aib__value_t s;
        s.kind = AIB__V_STRING;
        s.u.s = arg;
        return aib__ext_call(fn, &s, 1, arena, out, err, cap);
    }
    return construct(fn, arg.ptr ? arg.ptr : "", arg.len, arena, out, err, cap);
}
