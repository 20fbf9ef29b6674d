/* NAME
 *	mail_date 3h
 * SUMMARY
 *	RFC 5322 date for headers and envelopes
 * DESCRIPTION
 *	mail_date() appends "Mon, 23 Nov 2026 20:40:03 +0000 (UTC)" (RFC
 *	5322 3.3 date-time with the zone name as a comment, as Postfix
 *	writes it in Received: and Date: headers).
 */
#ifndef MAIL_DATE_H
#define MAIL_DATE_H

#include <time.h>

#include "buf.h"

extern void mail_date(time_t when, BUF *out);

#endif
