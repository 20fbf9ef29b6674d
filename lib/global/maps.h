/* NAME
 *	maps 3h
 * SUMMARY
 *	a list of lookup tables named by a parameter (alias_maps, ...)
 * SYNOPSIS
 *	MAPS   *maps = maps_create("virtual_alias_maps",
 *				   config_str(P_VIRTUAL_ALIAS_MAPS),
 *				   DICT_FLAG_FOLD_FIX);
 *	const char *value = maps_find(maps, "info@example.com", 0);
 *
 *	if (value != NULL)
 *		found: use value (valid until the next maps_find(maps))
 *	else if (maps_error(maps))
 *		a table failed: defer, or answer 4xx
 *	else
 *		not found in any table
 *	maps_free(&maps);
 * DESCRIPTION
 *	maps_create() opens each "type:name" of map_names (separated by
 *	commas and/or whitespace; "{...}" keeps inline:{a=b, c=d} in one
 *	piece) with dict_open(3h) and dict_flags (normally
 *	DICT_FLAG_FOLD_FIX). $name references must already be expanded:
 *	config_str() does it. A table that cannot be opened is not fatal:
 *	its lookups report an error (see dict_open()). title names the
 *	list in warnings (the parameter name, by convention).
 *
 *	maps_find() asks the tables in order; the first that finds the key
 *	gives the value. A table that reports an error stops the search:
 *	the result is NULL, maps_error() returns 1 and a warning names the
 *	list and the table. With MAPS_FIND_FIXED, pattern tables (regexp,
 *	pcre, cidr) are skipped: that is for partial keys such as "user"
 *	or "@domain", which Postfix asks only of fixed-key tables. An empty
 *	list finds nothing.
 *
 *	maps_error() is 1 when the last maps_find() (or mail_addr_find(3h))
 *	stopped on a table error, else 0.
 *
 *	maps_set_error() sets what maps_error() reports, for lookups built
 *	on maps_find() that also fail for other reasons (mail_addr_find(3h)
 *	when it cannot tell whether a domain is local).
 *
 *	maps_title() returns the title given to maps_create().
 *
 *	maps_table_match() is a DOMAIN_LIST_TABLE_FN (domain_list(3h)):
 *	it looks key up in the one table named table (opened once and kept)
 *	and returns 1 (found), 0 (not) or -1 (error).
 *
 *	maps_free() closes every table, frees the list and clears the
 *	pointer.
 */
#ifndef MAPS_H
#define MAPS_H

#include "dict.h"

#define MAPS_FIND_FIXED (1<<0)          /* partial key: fixed tables only */

typedef struct MAPS MAPS;

extern MAPS *maps_create(const char *title, const char *map_names, int dict_flags);
extern const char *maps_find(MAPS *maps, const char *key, int flags);
extern int maps_error(const MAPS *maps);
extern void maps_set_error(MAPS *maps, int error);
extern const char *maps_title(const MAPS *maps);
extern int maps_table_match(const char *table, const char *key, void *context);
extern void maps_free(MAPS **mapsp);

#endif
