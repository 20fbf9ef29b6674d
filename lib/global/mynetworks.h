/* NAME
 *	mynetworks 3h
 * SUMMARY
 *	the default of mynetworks
 * DESCRIPTION
 *	mynetworks_default() works out what Postfix's mynetworks defaults
 *	to: the networks of the addresses that inet_interfaces names
 *	("all", "loopback-only", or a list of addresses and host names),
 *	of the families that inet_protocols allows, one by one in the
 *	given mynetworks_style: "host" (the address alone), "subnet" (its
 *	interface's network) or "class" (the old class A/B/C network of an
 *	IPv4 address). IPv4 networks are written a.b.c.d/n, IPv6 ones
 *	[addr]/n, separated by a space.
 *
 *	It returns a new string, or NULL with the reason in why, in
 *	Postfix's words: an unknown style or protocol, a name that does not
 *	resolve, or an address that is on no interface of this host
 *	("parameter inet_interfaces: no local interface found for ADDR").
 */
#ifndef MYNETWORKS_H
#define MYNETWORKS_H

#include "buf.h"

extern char *mynetworks_default(const char *style, const char *interfaces,
                                const char *protocols, BUF *why);

#endif
