/* NAME
 *	dns 3h
 * SUMMARY
 *	DNS queries through libresolv
 * DESCRIPTION
 *	dns_lookup() asks the name servers of /etc/resolv.conf for the
 *	records of one type (DNS_TYPE_A, DNS_TYPE_AAAA, DNS_TYPE_MX) of a
 *	fully qualified name (no search list, no default domain). Each call
 *	has its own resolver state (res_ninit), so threads may query at
 *	once. CNAME chains are followed, in the reply and by new queries,
 *	up to DNS_CNAME_MAX links; records come back for the canonical
 *	name, which cname_r receives when it is not NULL.
 *
 *	Results:
 *	    DNS_OK        records found (count > 0)
 *	    DNS_NOTFOUND  the name does not exist (NXDOMAIN): permanent
 *	    DNS_NODATA    the name exists but has no record of the type
 *	    DNS_RETRY     SERVFAIL, a timeout, no name server: try later
 *	    DNS_INVAL     a malformed or unexpected reply, a bad name
 *	with a reason in why in Postfix's words ("Name service error for
 *	name=x type=MX: Host not found, try again").
 *
 *	dns_parse() is the reply parser underneath (ns_initparse,
 *	ns_parserr): it takes a wire-format reply and collects the records
 *	of the type owned by qname or by the end of its CNAME chain in the
 *	answer section. DNS_CNAME means the chain ended in a CNAME whose
 *	target has no records in this reply (cname_r names it: query it).
 *	Unit tests feed it canned replies.
 *
 *	An MX record's host is "" for the root (a null MX, RFC 7505).
 *	dns_mx_sort() orders MX records by preference, equal preferences
 *	in random order (RFC 5321 5.1).
 */
#ifndef DNS_H
#define DNS_H

#include <stddef.h>

#include "buf.h"

#define DNS_TYPE_A      1
#define DNS_TYPE_CNAME  5
#define DNS_TYPE_MX     15
#define DNS_TYPE_AAAA   28

#define DNS_OK          0
#define DNS_NOTFOUND    1
#define DNS_NODATA      2
#define DNS_CNAME       3
#define DNS_RETRY       (-1)
#define DNS_INVAL       (-2)

#define DNS_NAME_MAX    1025            /* NS_MAXDNAME */
#define DNS_CNAME_MAX   8

typedef struct DNS_RR {
    int     type;
    unsigned pref;                      /* MX */
    char   *host;                       /* MX: target ("" = root) */
    unsigned char addr[16];             /* A: 4 bytes, AAAA: 16 */
    size_t  addr_len;
} DNS_RR;

typedef struct DNS_LIST {
    DNS_RR *rr;
    size_t  count;
} DNS_LIST;

extern int dns_lookup(const char *name, int type, DNS_LIST *list,
                      char *cname_r, BUF *why);
extern int dns_parse(const unsigned char *reply, int len, const char *qname,
                     int type, DNS_LIST *list, char *cname_r);
extern void dns_list_free(DNS_LIST *list);
extern void dns_mx_sort(DNS_LIST *list);
extern const char *dns_type_name(int type);

#endif
