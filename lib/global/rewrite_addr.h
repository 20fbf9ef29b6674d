/* NAME
 *	rewrite_addr 3h
 * SUMMARY
 *	envelope address rewriting before a message is queued
 * SYNOPSIS
 *	BUF *sender = buf_new(64);
 *	STRV *rcpts = strv_new();
 *
 *	if (rewrite_addr_sender("joe", REWRITE_ADDR_LOCAL, sender) < 0
 *	    || rewrite_addr_recipient("info@example.com", REWRITE_ADDR_LOCAL, rcpts) < 0)
 *		a table failed: 451 / try again later
 * DESCRIPTION
 *	What Postfix's cleanup and trivial-rewrite do to envelope addresses,
 *	for smtpd and pickup, which write queue files themselves:
 *
 *	1. Qualifying, in the local context only (pickup; SMTP clients on
 *	   this host's own addresses, local_header_rewrite_clients'
 *	   default): an address without a domain gets "@$myorigin"
 *	   (append_at_myorigin), a domain without a dot ".$mydomain"
 *	   (append_dot_mydomain).
 *	2. Canonical mapping (canonical_classes): sender_canonical_maps
 *	   then canonical_maps for the sender, recipient_canonical_maps then
 *	   canonical_maps for recipients, looked up in mail_addr_find(3h)'s
 *	   order; a result "@otherdomain" means the same user there; an
 *	   extension that the matching key lacked is put back into the
 *	   result (propagate_unmatched_extensions lists canonical).
 *	3. Masquerading of the sender (masquerade_classes lists
 *	   envelope_sender): a domain that is a subdomain of one of
 *	   masquerade_domains becomes that domain ("!domain" entries exempt
 *	   a domain; the first entry that matches decides), unless the local
 *	   part is in masquerade_exceptions.
 *	4. Virtual aliasing of recipients: virtual_alias_maps, again in
 *	   mail_addr_find(3h)'s order, each result a list of addresses
 *	   (comma or space separated) expanded again, up to
 *	   virtual_alias_recursion_limit levels and
 *	   virtual_alias_expansion_limit addresses; an address that names
 *	   itself, or one already expanded, stays as it is. Duplicates go.
 *
 *	rewrite_addr_sender() puts the result in out; the null sender stays
 *	null. rewrite_addr_recipient() adds the resulting addresses to out.
 *	Both return 0, or -1 when a table lookup failed (a temporary
 *	failure: the message must not be queued half-rewritten).
 *
 *	rewrite_addr_virtual_unknown() is 1 when the address's domain is in
 *	virtual_alias_domains and virtual_alias_maps has no entry for it
 *	(smtpd rejects it: "User unknown in virtual alias table"), 0 when
 *	not, -1 on a lookup failure.
 *
 *	rewrite_addr_header() is steps 1 to 3 for an address in a header
 *	(rewrite_header(3h)): the header_sender class when sender is
 *	non-zero, else header_recipient; virtual aliases do not apply.
 */
#ifndef REWRITE_ADDR_H
#define REWRITE_ADDR_H

#include "buf.h"
#include "strv.h"

#define REWRITE_ADDR_LOCAL  (1<<0)      /* local context: qualify */

extern int rewrite_addr_sender(const char *addr, int flags, BUF *out);
extern int rewrite_addr_recipient(const char *addr, int flags, STRV *out);
extern int rewrite_addr_virtual_unknown(const char *addr);
extern int rewrite_addr_header(const char *addr, int flags, int sender, BUF *out);

#endif
