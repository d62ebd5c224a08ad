/* ext_int.h — private interface between the extension files: parsers that also explain why a
 * literal was rejected (for evaluation error messages), and the ipaddr / datetime operations
 * ext.c dispatches to. Not used outside ext*.c and their unit tests. */
#ifndef AIB_EXT_INT_H
#define AIB_EXT_INT_H

#include "cedar/cedar_int.h"

/* Like the aib__*_parse functions; on AIB_EINVAL writes the reason (the reference's wording,
 * without the "error while evaluating" prefix) into msg (cap bytes, always terminated). */
int aib__decimal_parse_msg(const char *s, size_t len, int64_t *out, char *msg, size_t cap);
int aib__ip_parse_msg(const char *s, size_t len, aib__ipaddr_t *out, char *msg, size_t cap);
int aib__datetime_parse_msg(const char *s, size_t len, int64_t *out_ms, char *msg, size_t cap);
int aib__duration_parse_msg(const char *s, size_t len, int64_t *out_ms, char *msg, size_t cap);

/* ipaddr predicates with the reference's prefix rules. */
bool aib__ip_is_loopback(const aib__ipaddr_t *ip);
bool aib__ip_is_multicast(const aib__ipaddr_t *ip);
/* a.isInRange(b): a's whole range lies inside b's; false across IPv4 / IPv6. */
bool aib__ip_in_range(const aib__ipaddr_t *a, const aib__ipaddr_t *b);

/* datetime.toDate(): midnight (UTC) of the day, rounding toward negative infinity; AIB_ELIMIT
 * on overflow. datetime.toTime(): milliseconds since that midnight (0 .. 86399999). */
int aib__datetime_to_date(int64_t ms, int64_t *out);
int64_t aib__datetime_to_time(int64_t ms);

#endif
