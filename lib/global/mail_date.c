/* NAME
 *	mail_date 3
 * SUMMARY
 *	RFC 5322 date for headers and envelopes
 * DESCRIPTION
 *	Day and month names are spelled out here rather than taken from
 *	strftime(%a, %b), which follow the locale; RFC 5322 wants English.
 */
#include <stdio.h>
#include <stdlib.h>

#include "mail_date.h"

void    mail_date(time_t when, BUF *out)
{
    static const char *days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    long    off;
    char    zone[16];

    localtime_r(&when, &tm);
    off = tm.tm_gmtoff / 60;
    strftime(zone, sizeof(zone), "%Z", &tm);
    buf_printf(out, "%s, %d %s %d %02d:%02d:%02d %c%02ld%02ld (%s)",
               days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
               tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
               off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60, zone);
}
