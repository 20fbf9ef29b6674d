/* NAME
 *	transport_map 3h
 * SUMMARY
 *	transport_maps: per-address and per-domain delivery routes
 * SYNOPSIS
 *	char   *transport = ..., *nexthop = ...;	(the defaults)
 *
 *	switch (transport_map_find(rcpt, domain, &transport, &nexthop)) {
 *	case 1:  transport and nexthop now hold the table's route
 *	case 0:  not in the table: the defaults stand
 *	case -1: a table failed: defer the recipient
 *	}
 * DESCRIPTION
 *	transport_map_find() looks the recipient up in transport_maps in
 *	transport(5)'s order: "user+ext@domain", "user@domain" (fixed-key
 *	tables only), "domain", then each parent as ".parent" (or as
 *	"parent" when parent_domain_matches_subdomains lists
 *	transport_maps), then "*". Keys are folded to lower case.
 *
 *	The value is "transport:nexthop" and is applied as transport(5)
 *	says: an empty transport keeps *transport_r; a non-empty transport
 *	with an empty nexthop sets the nexthop to the recipient domain; an
 *	empty transport and nexthop change nothing. A value without a
 *	colon is a transport name. On a change the old strings are freed
 *	and new ones allocated.
 *
 *	The table list is opened at the first lookup and kept for the life
 *	of the process; transport_map_reset() closes it (after a reload).
 * CONFIGURATION PARAMETERS
 *	transport_maps, parent_domain_matches_subdomains,
 *	recipient_delimiter.
 */
#ifndef TRANSPORT_MAP_H
#define TRANSPORT_MAP_H

extern int transport_map_find(const char *rcpt, const char *domain,
                                      char **transport_r, char **nexthop_r);
extern void transport_map_reset(void);

#endif
