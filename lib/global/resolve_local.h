/* NAME
 *	resolve_local 3h
 * SUMMARY
 *	is this domain delivered on this host?
 * DESCRIPTION
 *	A domain is local when it matches mydestination (with $name
 *	references expanded) or is an address literal ([192.0.2.1],
 *	[IPv6:2001:db8::1]) of one of this host's interfaces or of
 *	inet_interfaces. "localhost" is local only through mydestination,
 *	as in Postfix. A "type:name" entry of mydestination (or
 *	relay_domains) is looked up with maps_table_match() (maps(3h)).
 *	The result is 1 (local), 0 (not) or -1 (a table lookup failed: try
 *	again later).
 *
 *	resolve_relay_domain() says whether a domain is in relay_domains
 *	(which matches subdomains, as parent_domain_matches_subdomains
 *	lists it by default).
 *
 *	resolve_virtual_alias_domain() says whether a domain is in
 *	virtual_alias_domains (its addresses exist only as virtual aliases).
 *
 *	resolve_local_address() says whether a numeric address is one of
 *	this host's interface addresses (1) or not (0), e.g. an MX host
 *	that would make mail loop back here.
 */
#ifndef RESOLVE_LOCAL_H
#define RESOLVE_LOCAL_H

extern int resolve_local_domain(const char *domain);
extern int resolve_relay_domain(const char *domain);
extern int resolve_virtual_alias_domain(const char *domain);
extern int resolve_local_address(const char *addr);
extern void resolve_local_reset(void);

#endif
