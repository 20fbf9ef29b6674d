/* NAME
 *	domain_list 3h
 * SUMMARY
 *	match a domain against a list of domain patterns
 * DESCRIPTION
 *	A list as in mydestination or relay_domains: patterns separated by
 *	commas or whitespace ("{...}" keeps a pattern such as
 *	inline:{a.example, b.example} in one piece), matched against the
 *	domain case-insensitively, with one trailing dot of the domain or
 *	a pattern ignored:
 *
 *	"example.com" matches that domain, and with DOMAIN_LIST_PARENT
 *	(Postfix's parent_domain_matches_subdomains) its subdomains too;
 *	".example.com" matches subdomains only;
 *	"!pattern" excludes: a domain it matches is not in the list;
 *	"/file/name" stands for the patterns in that file (whitespace or
 *	comma separated, lines starting with "#" ignored); "!/file/name"
 *	negates each of them. A file that cannot be read makes every match
 *	that reaches it a lookup failure (-1, with a warning), as in Postfix;
 *	"type:name" is a lookup table, left to the maps module: the list
 *	keeps it, and domain_list_match() asks the callback about it.
 *
 *	Patterns are tried in order and the first match decides.
 *
 *	domain_list_new() never fails; a "!" with nothing after it is
 *	ignored with a warning.
 *
 *	domain_list_match() returns 1 when the domain is in the list, 0
 *	when it is not (no pattern matched, or a "!" pattern matched first),
 *	and -1 when a table lookup failed (callback result -1) before any
 *	pattern decided: a temporary failure that the caller must turn into
 *	a 4xx reply or a deferral, never into "not in the list". An empty
 *	domain is in no list.
 *
 *	The callback, fn(table, key, context), looks key up in the table
 *	"type:name" and returns 1 when found, 0 when not found and -1 when
 *	the lookup failed. For a table it is called first with the whole
 *	domain (lower case, trailing dot removed), then, like Postfix, with
 *	each parent domain down to the top level: "example.com", "com"
 *	with DOMAIN_LIST_PARENT, else ".example.com", ".com" (Postfix's
 *	table entries for subdomains). Pattern tables (regexp:, pcre:,
 *	cidr:) get the whole domain only. With a NULL callback, tables
 *	never match.
 *
 *	domain_list_free() frees the list and clears the caller's pointer.
 */
#ifndef DOMAIN_LIST_H
#define DOMAIN_LIST_H

#define DOMAIN_LIST_PARENT  (1<<0)

typedef struct DOMAIN_LIST DOMAIN_LIST;
typedef int (*DOMAIN_LIST_TABLE_FN) (const char *table, const char *key,
                                     void *context);

extern DOMAIN_LIST *domain_list_new(const char *patterns, int flags);
extern int domain_list_match(const DOMAIN_LIST *list, const char *domain,
                             DOMAIN_LIST_TABLE_FN fn, void *context);
extern void domain_list_free(DOMAIN_LIST **listp);

#endif
