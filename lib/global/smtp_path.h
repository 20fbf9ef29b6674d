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
 *	as RFC 5321 4.1.1.3 allows), quoted local parts ("a b"@example.com).
 *	The address is returned without angle brackets and source route,
 *	as given, except that a quoted local part that needs no quotes
 *	("john.doe"@example.com) is returned unquoted. Without angle
 *	brackets the address is accepted only when SMTP_PATH_LAX is given
 *	(Postfix's strict_rfc821_envelopes = no accepts it).
 *
 *	Syntax (RFC 5321 4.1.2), strict where it matters and practical
 *	where real mail needs it: a local part is a Quoted-string or atext
 *	and dots (dots anywhere, as some mobile carriers' addresses have
 *	them, and as Postfix accepts); a local part without "@domain" is
 *	accepted (Postfix's local user; <Postmaster> is the RFC's case);
 *	a domain is dot-separated labels of letters, digits, "-" (not at a
 *	label's ends) and "_" (seen in the wild; Postfix allows it), or an
 *	address literal [1.2.3.4] or [IPv6:...] (RFC 5321 4.1.3; no other
 *	tag is registered). Control characters are refused everywhere;
 *	8-bit characters only with SMTP_PATH_UTF8 (RFC 6531 3.3), and then
 *	only as well-formed UTF-8. The path is at most SMTP_PATH_MAX bytes,
 *	a domain 255 and a label 63 (RFC 5321 4.5.3.1.2; for ASCII names);
 *	the 64-octet local part of 4.5.3.1.1 is not enforced (VERP and SRS
 *	senders go past it, and Postfix takes them).
 *	The text is a C string: the command reader refuses a line with NUL.
 *
 *	Parameters are "KEYWORD[=VALUE]" separated by spaces (RFC 5321
 *	4.1.2 esmtp-param: the keyword is letters, digits and "-", starting
 *	with a letter or digit; the value is one or more printable
 *	characters, UTF-8 with SMTP_PATH_UTF8); keywords are returned
 *	upper-cased, values as given, as "KEYWORD" or "KEYWORD=VALUE". A
 *	keyword may appear once; at most SMTP_PATH_PARAMS_MAX of them. The
 *	null path "<>" is only allowed when SMTP_PATH_NULL_OK is given.
 *	SMTP_PATH_NULL_OK also says that the text is MAIL FROM's (only
 *	there is "<>" allowed, RFC 5321 4.5.5), for the error texts.
 *
 *	On success the result is 0 and params gets the parameters added.
 *	On error address is empty, params unchanged, and why_r points to a
 *	fixed text for the reply. The result says which enhanced code fits
 *	(RFC 3463): SMTP_PATH_ERR_ADDRESS (-1): the address ("Bad sender
 *	address syntax", "Bad recipient address syntax", "Address too
 *	long"; 501 5.1.7 or 501 5.1.3); SMTP_PATH_ERR_SYNTAX (-2): the
 *	command ("Syntax: MAIL FROM:<address>", "Bad parameter syntax",
 *	...; 501 5.5.4).
 *
 *	smtp_path_param() finds a keyword (any case) in params: 1 and
 *	*value_r the value, or NULL for a keyword without one; 0 and NULL
 *	when absent. value_r may be NULL.
 *
 *	smtp_path_domain() points *domain_r to what follows the last "@"
 *	outside quotes, and returns 0; or sets NULL and returns -1 when
 *	there is no such "@".
 */
#ifndef SMTP_PATH_H
#define SMTP_PATH_H

#include "buf.h"
#include "strv.h"

#define SMTP_PATH_NULL_OK   (1<<0)
#define SMTP_PATH_LAX       (1<<1)
#define SMTP_PATH_UTF8      (1<<2)      /* SMTPUTF8 (RFC 6531) */

#define SMTP_PATH_ERR_ADDRESS   (-1)    /* bad address */
#define SMTP_PATH_ERR_SYNTAX    (-2)    /* no address, bad parameters */

#define SMTP_PATH_MAX       512         /* RFC 5321 4.5.3.1.3: 256 octets; be lenient */
#define SMTP_PATH_PARAMS_MAX 32         /* real clients send a handful */

extern int smtp_path_parse(const char *text, int flags, BUF *address,
                           STRV *params, const char **why_r);
extern int smtp_path_param(const STRV *params, const char *keyword,
                           const char **value_r);
extern int smtp_path_domain(const char *address, const char **domain_r);

#endif
