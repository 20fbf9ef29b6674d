/* NAME
 *	rewrite_header 3h
 * SUMMARY
 *	address rewriting in message headers
 * SYNOPSIS
 *	rewrite_header_field("From: Joe <joe>\n", 16, REWRITE_ADDR_LOCAL, out);
 *
 *	REWRITE_HEADER *rh = rewrite_header_new(REWRITE_ADDR_LOCAL, write_fn, ctx);
 *	rewrite_header_line(rh, line, len, partial);	each content line
 *	rewrite_header_end(rh);				at the end of the message
 *	rewrite_header_free(&rh);
 * DESCRIPTION
 *	rewrite_header_field() takes one logical header field (its name,
 *	its value with any folded continuation lines, and the final
 *	newline) and appends it to out, with the addresses of sender
 *	fields (From, Sender, Reply-To, Resent-From, Resent-Sender,
 *	Resent-Reply-To, Return-Receipt-To, Errors-To) and recipient
 *	fields (To, Cc, Bcc, Resent-To, Resent-Cc, Resent-Bcc) rewritten
 *	as rewrite_addr(3h) does for the header_sender and
 *	header_recipient classes (qualifying with REWRITE_ADDR_LOCAL,
 *	canonical maps, masquerading); virtual aliases never apply to
 *	headers. Everything that is not an address (display names,
 *	comments, quoted strings, group names, folding whitespace) is
 *	copied byte for byte; an address is an <angle-addr>, or a bare
 *	addr-spec between the list's commas. A field it cannot parse
 *	(unbalanced quotes, comments or brackets) is copied unchanged.
 *	Other fields are copied unchanged.
 *
 *	It returns 0, or -1 when a table lookup failed (the field is then
 *	copied unchanged, and the caller treats it as a temporary failure).
 *
 *	Postfix rewrites headers of mail from local_header_rewrite_clients
 *	(default: this host's own addresses) and of local submissions;
 *	with remote_header_rewrite_domain empty (the default) it leaves
 *	the headers of other mail alone. Callers decide which mail.
 *
 *	rewrite_header_new() and its companions apply that to a message
 *	streamed line by line (without line ends; partial: a piece of a
 *	longer line, more to come): header fields are collected with their
 *	folded continuation lines, rewritten and handed to fn(context,
 *	data, len) with their newlines; from the first line that is not a
 *	header line (the empty line, or anything without "name:") on,
 *	lines go to fn as they come. A field longer than header_size_limit
 *	stops the rewriting and goes out as it is, as does everything
 *	after it. rewrite_header_line() and rewrite_header_end() return 0,
 *	or -1 when fn failed; rewrite_header_error() is 1 when a table
 *	lookup failed (the message should not be accepted now).
 */
#ifndef REWRITE_HEADER_H
#define REWRITE_HEADER_H

#include <stddef.h>

#include "buf.h"

typedef int (*REWRITE_HEADER_FN) (void *context, const char *data, size_t len);
typedef struct REWRITE_HEADER REWRITE_HEADER;

extern int rewrite_header_field(const char *field, size_t len, int flags, BUF *out);
extern REWRITE_HEADER *rewrite_header_new(int flags, REWRITE_HEADER_FN fn, void *context);
extern int rewrite_header_line(REWRITE_HEADER *rh, const char *data, size_t len, int partial);
extern int rewrite_header_end(REWRITE_HEADER *rh);
extern int rewrite_header_error(const REWRITE_HEADER *rh);
extern void rewrite_header_free(REWRITE_HEADER **rhp);

#endif
