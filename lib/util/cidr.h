/* NAME
 *	cidr 3h
 * SUMMARY
 *	IPv4 and IPv6 address prefixes: parse and match
 * DESCRIPTION
 *	A CIDR_LIST holds prefixes written as "192.0.2.0/24", "192.0.2.1"
 *	(a host), "[2001:db8::]/32", "2001:db8::/32", "[::1]", "::1";
 *	IPv4-mapped IPv6 client addresses (::ffff:192.0.2.1) match IPv4
 *	prefixes. A prefix whose address has bits set past its length
 *	(192.0.2.1/24) is an error, as in Postfix ("non-null host address
 *	bits"). cidr_list_add() returns -1 with a reason for bad input.
 */
#ifndef CIDR_H
#define CIDR_H

#include "buf.h"

typedef struct CIDR_LIST CIDR_LIST;

extern CIDR_LIST *cidr_list_new(void);
extern int cidr_list_add(CIDR_LIST *list, const char *pattern, BUF *why);
extern int cidr_list_match(const CIDR_LIST *list, const char *addr);
extern int cidr_parse_addr(const char *text, unsigned char addr[16], int *family_r);
extern void cidr_list_free(CIDR_LIST **listp);

#endif
