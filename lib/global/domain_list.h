/* NAME
 *	domain_list 3h
 * SUMMARY
 *	match a domain against a list of domain patterns
 * DESCRIPTION
 *	A list as in mydestination or relay_domains: names separated by
 *	commas or whitespace, matched case-insensitively. "example.com"
 *	matches that domain, and (with DOMAIN_LIST_PARENT, Postfix's
 *	parent_domain_matches_subdomains) its subdomains too;
 *	".example.com" matches subdomains only. "!pattern" excludes; the
 *	first match decides. Table lookups (type:name) are left to the maps
 *	module: domain_list_new() keeps such entries aside and
 *	domain_list_match() reports them through its callback so the
 *	caller can consult them (NULL callback: they never match).
 */
#ifndef DOMAIN_LIST_H
#define DOMAIN_LIST_H

#define DOMAIN_LIST_PARENT  (1<<0)

typedef struct DOMAIN_LIST DOMAIN_LIST;
typedef int (*DOMAIN_LIST_TABLE_FN) (const char *table, const char *domain,
                                     void *context);

extern DOMAIN_LIST *domain_list_new(const char *patterns, int flags);
extern int domain_list_match(const DOMAIN_LIST *list, const char *domain,
                             DOMAIN_LIST_TABLE_FN fn, void *context);
extern void domain_list_free(DOMAIN_LIST **listp);

#endif
