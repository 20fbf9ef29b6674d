/* NAME
 *	cidr 3h
 * SUMMARY
 *	IPv4 and IPv6 address prefixes: parse and match
 * DESCRIPTION
 *	A CIDR_LIST holds prefixes written as in Postfix's mynetworks:
 *	"192.0.2.0/24", "192.0.2.1" (a host), "[2001:db8::]/32",
 *	"2001:db8::/32", "[2001:db8::/32]", "[::1]", "::1". Whether a
 *	pattern is IPv6 is decided by the presence of a colon.
 *
 *	cidr_list_add() appends one prefix. Bad input returns -1 and
 *	appends a reason to why (when why is not NULL): a malformed address
 *	("bad address pattern"), a missing or non-numeric length after "/",
 *	a length out of range (over 32 for IPv4, 128 for IPv6), or an
 *	address with bits set past its length, such as 192.0.2.1/24
 *	("non-null host address bits", as Postfix says, with the prefix
 *	that was probably meant). It returns 0 on success.
 *
 *	cidr_list_match() returns 1 when the numeric address addr falls in
 *	one of the prefixes, 0 when it does not or when addr is not a
 *	numeric address. An IPv4 address is compared with the IPv4
 *	prefixes, an IPv6 address with the IPv6 prefixes; an IPv4-mapped
 *	IPv6 address (::ffff:192.0.2.1) is also compared, as the IPv4
 *	address it carries, with the IPv4 prefixes.
 *
 *	cidr_parse_addr() parses one numeric address, bare or in brackets,
 *	into addr (4 bytes for IPv4, the rest zeroed; 16 for IPv6) and
 *	sets *family_r to AF_INET or AF_INET6 (<sys/socket.h>). It returns
 *	0, or -1 when text is not an address.
 *
 *	cidr_list_free() frees the list and clears the caller's pointer.
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
