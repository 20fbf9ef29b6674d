/* NAME
 *	smtp_path 3h
 * SUMMARY
 *	parse MAIL FROM / RCPT TO arguments (RFC 5321 4.1.2, RFC 1870, 6152)
 * DESCRIPTION
 *	smtp_path_parse() takes what follows "MAIL FROM:" or "RCPT TO:"
 *	(leading spaces allowed, as many clients send them) and splits it
 *	into the address and its ESMTP parameters:
 *
 *	<local@domain>, <>, <@a,@b:local@domain> (source route: ignored,
 *	as RFC 5321 4.1.1.3 allows), quoted local parts ("a b"@example.com,
 *	returned unquoted only where quoting was not needed: the address is
 *	returned in its external (quoted) form exactly as given, minus the
 *	angle brackets and source route). Without angle brackets the
 *	address is accepted only when SMTP_PATH_LAX is given (Postfix's
 *	strict_rfc821_envelopes = no accepts it).
 *
 *	Parameters are "KEYWORD[=VALUE]" separated by spaces; keywords are
 *	returned upper-cased, values as given. The null path "<>" is only
 *	allowed when SMTP_PATH_NULL_OK is given (MAIL FROM).
 *
 *	On error the result is -1 and why_r points to a fixed text suitable
 *	for a 501/553 reply ("Bad sender address syntax", ...).
 */
#ifndef SMTP_PATH_H
#define SMTP_PATH_H

#include "buf.h"
#include "strv.h"

#define SMTP_PATH_NULL_OK   (1<<0)
#define SMTP_PATH_LAX       (1<<1)

#define SMTP_PATH_MAX       512         /* RFC 5321 4.5.3.1.3: 256 octets; be lenient */

extern int smtp_path_parse(const char *text, int flags, BUF *address,
                           STRV *params, const char **why_r);
extern int smtp_path_param(const STRV *params, const char *keyword,
                           const char **value_r);
extern int smtp_path_domain(const char *address, const char **domain_r);

#endif
