/* NAME
 *	dns 3
 * SUMMARY
 *	DNS queries through libresolv
 * DESCRIPTION
 *	See dns(3h). The resolver state lives on the caller's stack
 *	(res_ninit/res_nclose around each lookup), never in a global, so
 *	lookups are thread-safe. Replies are parsed with ns_initparse()
 *	and ns_parserr(); every length in the reply is checked by those and
 *	by the record-size checks here, so a hostile reply can only yield
 *	DNS_INVAL.
 * STANDARDS
 *	RFC 1035 (message format), RFC 2181 10.1 (CNAME chains),
 *	RFC 3596 (AAAA), RFC 5321 5.1 (MX preference, random order among
 *	equals), RFC 7505 (null MX: the caller's policy).
 */
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dns.h"
#include "mem.h"

#define DNS_REPLY_MAX   65536

const char *dns_type_name(int type)
{
    switch (type) {
    case DNS_TYPE_A:
        return ("A");
    case DNS_TYPE_AAAA:
        return ("AAAA");
    case DNS_TYPE_MX:
        return ("MX");
    case DNS_TYPE_CNAME:
        return ("CNAME");
    default:
        return ("unknown");
    }
}

void    dns_list_free(DNS_LIST *list)
{
    for (size_t i = 0; i < list->count; i++)
        mem_free(list->rr[i].host);
    mem_free(list->rr);
    list->rr = 0;
    list->count = 0;
}

/* dns_same_name - names equal ignoring case and one trailing dot. */

static int dns_same_name(const char *a, const char *b)
{
    size_t  la = strlen(a), lb = strlen(b);

    if (la && a[la - 1] == '.')
        la--;
    if (lb && b[lb - 1] == '.')
        lb--;
    return (la == lb && strncasecmp(a, b, la) == 0);
}

/* dns_add - one record of the wanted type; 0, or -1 when malformed. */

static int dns_add(const ns_msg *msg, const ns_rr *rr, int type, DNS_LIST *list)
{
    DNS_RR  out;
    const unsigned char *rdata = ns_rr_rdata(*rr);
    size_t  rdlen = ns_rr_rdlen(*rr);
    char    host[DNS_NAME_MAX];

    memset(&out, 0, sizeof(out));
    out.type = type;
    if (type == DNS_TYPE_A || type == DNS_TYPE_AAAA) {
        if (rdlen != (type == DNS_TYPE_A ? 4u : 16u))
            return (-1);
        memcpy(out.addr, rdata, rdlen);
        out.addr_len = rdlen;
    } else if (type == DNS_TYPE_MX) {
        if (rdlen < 3)
            return (-1);
        out.pref = ns_get16(rdata);
        if (ns_name_uncompress(ns_msg_base(*msg), ns_msg_end(*msg), rdata + 2,
                               host, sizeof(host)) < 0)
            return (-1);
        /* The root is "." from the resolver; a null MX has it as host. */
        out.host = mem_strdup(strcmp(host, ".") == 0 ? "" : host);
    } else {
        return (-1);
    }
    list->rr = mem_realloc(list->rr, (list->count + 1) * sizeof(*list->rr));
    list->rr[list->count++] = out;
    return (0);
}

int     dns_parse(const unsigned char *reply, int len, const char *qname,
                  int type, DNS_LIST *list, char *cname_r)
{
    ns_msg  msg;
    ns_rr   rr;
    char    cur[DNS_NAME_MAX];
    int     links, followed, count, i;

    list->rr = 0;
    list->count = 0;
    if (ns_initparse(reply, len, &msg) < 0)
        return (DNS_INVAL);
    switch (ns_msg_getflag(msg, ns_f_rcode)) {
    case ns_r_noerror:
        break;
    case ns_r_nxdomain:
        return (DNS_NOTFOUND);
    case ns_r_servfail:
        return (DNS_RETRY);
    default:
        return (DNS_INVAL);
    }
    if (strlen(qname) >= sizeof(cur))
        return (DNS_INVAL);
    strcpy(cur, qname);
    count = ns_msg_count(msg, ns_s_an);

    /* RFC 2181 10.1: follow the CNAME chain inside the answer. */
    for (links = 0, followed = 1; followed; links++) {
        followed = 0;
        if (links > DNS_CNAME_MAX)
            return (DNS_INVAL);
        for (i = 0; i < count; i++) {
            if (ns_parserr(&msg, ns_s_an, i, &rr) < 0)
                return (DNS_INVAL);
            if (ns_rr_type(rr) == ns_t_cname && ns_rr_class(rr) == ns_c_in
                && dns_same_name(ns_rr_name(rr), cur)) {
                if (ns_name_uncompress(ns_msg_base(msg), ns_msg_end(msg),
                                       ns_rr_rdata(rr), cur, sizeof(cur)) < 0)
                    return (DNS_INVAL);
                followed = 1;
                break;
            }
        }
    }
    for (i = 0; i < count; i++) {
        if (ns_parserr(&msg, ns_s_an, i, &rr) < 0)
            return (DNS_INVAL);
        if ((int) ns_rr_type(rr) != type || ns_rr_class(rr) != ns_c_in
            || !dns_same_name(ns_rr_name(rr), cur))
            continue;
        if (dns_add(&msg, &rr, type, list) < 0) {
            dns_list_free(list);
            return (DNS_INVAL);
        }
    }
    if (cname_r)
        strcpy(cname_r, cur);
    if (list->count > 0)
        return (DNS_OK);
    return (dns_same_name(cur, qname) ? DNS_NODATA : DNS_CNAME);
}

/* dns_h_errno - the resolver's failure as a result and Postfix's words. */

static int dns_h_errno(int err, const char **text)
{
    switch (err) {
    case HOST_NOT_FOUND:
        *text = "Host not found";
        return (DNS_NOTFOUND);
    case NO_DATA:
        *text = "Host found but no data record of requested type";
        return (DNS_NODATA);
    case NO_RECOVERY:
        *text = "Non-recoverable error";
        return (DNS_INVAL);
    default:
        *text = "Host not found, try again";
        return (DNS_RETRY);
    }
}

/* dns_status_text - Postfix's words for a result of dns_parse(). */

static const char *dns_status_text(int status)
{
    switch (status) {
    case DNS_NOTFOUND:
        return ("Host not found");
    case DNS_NODATA:
        return ("Host found but no data record of requested type");
    case DNS_RETRY:
        return ("Host not found, try again");
    default:
        return ("Malformed or unexpected name server reply");
    }
}

int     dns_lookup(const char *name, int type, DNS_LIST *list, char *cname_r,
                   BUF *why)
{
    struct __res_state res;
    unsigned char *reply;
    char    cur[DNS_NAME_MAX], next[DNS_NAME_MAX];
    const char *text = 0;
    int     status = DNS_INVAL, len, links;

    list->rr = 0;
    list->count = 0;
    if (strlen(name) >= sizeof(cur) || *name == 0) {
        buf_printf(why, "Name service error for name=%s type=%s: %s",
                   name, dns_type_name(type), "Invalid name");
        return (DNS_INVAL);
    }
    memset(&res, 0, sizeof(res));
    if (res_ninit(&res) < 0) {
        buf_printf(why, "Name service error for name=%s type=%s: %s",
                   name, dns_type_name(type), "cannot initialize resolver");
        return (DNS_RETRY);
    }
    /* Names are fully qualified: no default domain, no search list. */
    res.options &= ~(unsigned long) (RES_DEFNAMES | RES_DNSRCH);
    reply = mem_alloc(DNS_REPLY_MAX);
    strcpy(cur, name);
    for (links = 0; links <= DNS_CNAME_MAX; links++) {
        len = res_nquery(&res, cur, ns_c_in, type, reply, DNS_REPLY_MAX);
        if (len < 0) {
            status = dns_h_errno(res.res_h_errno, &text);
            break;
        }
        if (len > DNS_REPLY_MAX)
            len = DNS_REPLY_MAX;            /* truncated reply */
        status = dns_parse(reply, len, cur, type, list, next);
        if (status != DNS_CNAME)
            break;
        strcpy(cur, next);
        status = DNS_INVAL;
    }
    if (status != DNS_OK)
        buf_printf(why, "Name service error for name=%s type=%s: %s",
                   name, dns_type_name(type), text ? text : dns_status_text(status));
    else if (cname_r)
        strcpy(cname_r, cur);
    mem_free(reply);
    res_nclose(&res);
    return (status);
}

static int dns_mx_compare(const void *a, const void *b)
{
    unsigned pa = ((const DNS_RR *) a)->pref, pb = ((const DNS_RR *) b)->pref;

    return (pa < pb ? -1 : pa > pb);
}

void    dns_mx_sort(DNS_LIST *list)
{
    size_t  start, end, i, j;
    DNS_RR  tmp;

    qsort(list->rr, list->count, sizeof(*list->rr), dns_mx_compare);
    /* RFC 5321 5.1: hosts of equal preference in random order. */
    for (start = 0; start < list->count; start = end) {
        for (end = start + 1; end < list->count
             && list->rr[end].pref == list->rr[start].pref; end++)
             /* void */ ;
        for (i = end - 1; i > start; i--) {
            j = start + (size_t) random() % (i - start + 1);
            tmp = list->rr[i];
            list->rr[i] = list->rr[j];
            list->rr[j] = tmp;
        }
    }
}
