/* functions.c — the table of Cedar's built-in methods and extension functions (name, call
 * style, arity) indexed by aib__fn_t. The parser resolves call names through aib__fn_lookup;
 * the evaluator and validator dispatch on the id. */
#include "cedar/cedar_int.h"

#include <string.h>

const aib__fninfo_t aib__fn_table[AIB__FN__COUNT] = {
    [AIB__FN_CONTAINS] = { "contains", 1, 2 },
    [AIB__FN_CONTAINS_ALL] = { "containsAll", 1, 2 },
    [AIB__FN_CONTAINS_ANY] = { "containsAny", 1, 2 },
    [AIB__FN_IS_EMPTY] = { "isEmpty", 1, 1 },
    [AIB__FN_GET_TAG] = { "getTag", 1, 2 },
    [AIB__FN_HAS_TAG] = { "hasTag", 1, 2 },
    [AIB__FN_DECIMAL] = { "decimal", 0, 1 },
    [AIB__FN_LESS_THAN] = { "lessThan", 1, 2 },
    [AIB__FN_LESS_THAN_OR_EQUAL] = { "lessThanOrEqual", 1, 2 },
    [AIB__FN_GREATER_THAN] = { "greaterThan", 1, 2 },
    [AIB__FN_GREATER_THAN_OR_EQUAL] = { "greaterThanOrEqual", 1, 2 },
    [AIB__FN_IP] = { "ip", 0, 1 },
    [AIB__FN_IS_IPV4] = { "isIpv4", 1, 1 },
    [AIB__FN_IS_IPV6] = { "isIpv6", 1, 1 },
    [AIB__FN_IS_LOOPBACK] = { "isLoopback", 1, 1 },
    [AIB__FN_IS_MULTICAST] = { "isMulticast", 1, 1 },
    [AIB__FN_IS_IN_RANGE] = { "isInRange", 1, 2 },
    [AIB__FN_DATETIME] = { "datetime", 0, 1 },
    [AIB__FN_DURATION] = { "duration", 0, 1 },
    [AIB__FN_OFFSET] = { "offset", 1, 2 },
    [AIB__FN_DURATION_SINCE] = { "durationSince", 1, 2 },
    [AIB__FN_TO_DATE] = { "toDate", 1, 1 },
    [AIB__FN_TO_TIME] = { "toTime", 1, 1 },
    [AIB__FN_TO_MILLISECONDS] = { "toMilliseconds", 1, 1 },
    [AIB__FN_TO_SECONDS] = { "toSeconds", 1, 1 },
    [AIB__FN_TO_MINUTES] = { "toMinutes", 1, 1 },
    [AIB__FN_TO_HOURS] = { "toHours", 1, 1 },
    [AIB__FN_TO_DAYS] = { "toDays", 1, 1 },
};

int aib__fn_lookup(aib_str_t name, bool is_method)
{
    static const char prefix[] = "__cedar::";
    const size_t plen = sizeof(prefix) - 1;
    bool prefixed = false;
    int i;

    /* the `__cedar::` form names extension functions only (as in __extn JSON escapes) */
    if (name.len > plen && memcmp(name.ptr, prefix, plen) == 0) {
        name.ptr += plen;
        name.len -= plen;
        prefixed = true;
    }
    for (i = 0; i < AIB__FN__COUNT; i++) {
        const aib__fninfo_t *f = &aib__fn_table[i];
        if ((bool)f->is_method != is_method || !aib_str_eq_cstr(name, f->name))
            continue;
        if (prefixed && i < AIB__FN_FIRST_EXT)
            return -1;
        return i;
    }
    return -1;
}
