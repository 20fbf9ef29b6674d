/* NAME
 *	mail_addr_find 3h
 * SUMMARY
 *	look an address up in address-keyed tables, Postfix's order
 * SYNOPSIS
 *	char   *ext;
 *	const char *value = mail_addr_find(maps, "joe+news@example.com", &ext);
 *
 *	if (value == NULL && maps_error(maps))
 *		defer
 * DESCRIPTION
 *	mail_addr_find() looks address up in maps (maps(3h)) the way
 *	Postfix does for virtual_alias_maps, canonical_maps and the like,
 *	and returns the first value found, or NULL. The keys tried, in
 *	order, for "user+ext@domain" (recipient_delimiter "+"):
 *
 *	1. "user+ext@domain", the address as given (every table);
 *	2. "user@domain", without the extension (fixed-key tables only);
 *	3. only when domain is local (resolve_local(3h): mydestination,
 *	   local address literals) or the address has no domain:
 *	   "user+ext", then "user" (fixed-key tables only);
 *	4. "@domain" (fixed-key tables only).
 *
 *	Steps that would repeat an earlier key are skipped. The address is
 *	split at its last "@"; the extension starts at the first character
 *	of the local part that is one of recipient_delimiter's characters
 *	(not at the very start, and, with owner_request_special and a "-"
 *	delimiter, never in "owner-..." or "...-request").
 *
 *	When extension_r is not NULL it receives, for a value found without
 *	the extension (steps 2 and 3's "user"), a newly allocated copy of
 *	the extension including its delimiter ("+news"), which the caller
 *	frees; otherwise NULL.
 *
 *	mail_addr_find_extension() returns where the extension starts in
 *	the local part local (len bytes), by the rules above, or NULL; for
 *	other lookups with the same extension rules (transport_map(3h)).
 *
 *	A table error (or a failure to decide whether the domain is local)
 *	stops the search: the result is NULL and maps_error(maps) is 1.
 */
#ifndef MAIL_ADDR_FIND_H
#define MAIL_ADDR_FIND_H

#include <stddef.h>

#include "maps.h"

extern const char *mail_addr_find(MAPS *maps, const char *address,
                                          char **extension_r);
extern const char *mail_addr_find_extension(const char *local, size_t len);

#endif
