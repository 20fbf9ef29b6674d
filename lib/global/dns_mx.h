/* NAME
 *	dns_mx 3h
 * SUMMARY
 *	where mail for a domain goes: MX policy and host addresses
 * DESCRIPTION
 *	dns_mx_lookup() turns a destination domain into the list of
 *	addresses to try, in order: MX hosts by preference (equal ones
 *	shuffled), each host's addresses; with no MX record the domain's
 *	own addresses (the implicit MX, RFC 5321 5.1). A null MX (RFC
 *	7505: one MX record "0 .") fails for good (5.1.0 "Domain X does
 *	not accept mail (nullMX)"); a domain that does not exist fails for
 *	good (5.4.4); a name server that cannot answer now is temporary
 *	(4.4.3). Mail policy from main.cf: disable_dns_lookups (no MX, host
 *	addresses as in smtp_host_lookup = native), smtp_host_lookup (dns,
 *	native, or both in order), inet_protocols (A and/or AAAA, A
 *	first).
 *
 *	dns_mx_host() gives the addresses of one host, no MX lookup (for
 *	[host] next hops and each MX host); a numeric address is taken as
 *	is. Both return DNS_MX_OK, DNS_MX_DEFER or DNS_MX_BOUNCE, and
 *	otherwise set the RFC 3463 code in dsn_r and Postfix's text in why
 *	("Host or domain name not found. Name service error for name=x
 *	type=MX: Host not found").
 */
#ifndef DNS_MX_H
#define DNS_MX_H

#include <netinet/in.h>
#include <stddef.h>

#include "buf.h"

#define DNS_MX_OK       0
#define DNS_MX_DEFER    4
#define DNS_MX_BOUNCE   5

typedef struct DNS_MX_ADDR {
    char   *host;                       /* MX host, or the host itself */
    unsigned pref;                      /* MX preference; 0 without MX */
    int     family;                     /* AF_INET, AF_INET6 */
    unsigned char addr[16];
    char    text[INET6_ADDRSTRLEN];     /* printable address */
} DNS_MX_ADDR;

typedef struct DNS_MX {
    DNS_MX_ADDR *addr;
    size_t  count;
} DNS_MX;

extern int dns_mx_lookup(const char *domain, DNS_MX *mx, char *dsn_r, BUF *why);
extern int dns_mx_host(const char *host, unsigned pref, DNS_MX *mx,
                       char *dsn_r, BUF *why);
extern void dns_mx_free(DNS_MX *mx);

#endif
