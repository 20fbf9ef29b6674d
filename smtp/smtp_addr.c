/* NAME
 *	smtp_addr 3
 * SUMMARY
 *	the addresses to try for a next hop
 * DESCRIPTION
 *	smtp_addr_targets() reads a next hop the way Postfix does:
 *	"domain" and "domain:port" look up MX records (dns_mx(3)),
 *	"[host]" and "[host]:port" do not (a name's addresses, or an
 *	address literal, "[IPv6:...]" too). The port defaults to 25.
 *	smtp_fallback_relay hosts (same syntax) come after the
 *	destination's own addresses, unless the destination failed for
 *	good. At most smtp_mx_address_limit addresses are kept (0: no
 *	limit).
 *
 *	Mail must not loop back here: when an MX host of the destination
 *	is this host (an address of one of our interfaces), that MX and
 *	every one of equal or worse preference is dropped (RFC 5321 5.1);
 *	if nothing is left, the mail bounces ("mail for X loops back to
 *	myself", 5.4.6).
 * PARAMETERS
 *	smtp_fallback_relay, smtp_mx_address_limit, and those of dns_mx(3).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "dns_mx.h"
#include "mem.h"
#include "resolve_local.h"
#include "smtp.h"
#include "strv.h"

#define SMTP_PORT   25

void    smtp_addr_free(SMTP_TARGETS *targets)
{
    for (size_t i = 0; i < targets->count; i++)
        mem_free(targets->target[i].host);
    mem_free(targets->target);
    targets->target = 0;
    targets->count = 0;
}

/*
 * smtp_addr_split - "[host]:port", "host:port", "[host]", "host" into
 * host (brackets and IPv6: tag gone), port, and whether MX applies.
 */
static int smtp_addr_split(const char *nexthop, char **host_r, unsigned *port_r,
                           int *use_mx_r)
{
    const char *end, *port = 0;
    char   *host;
    char   *cp;
    unsigned long n;

    if (nexthop[0] == '[') {
        if ((end = strchr(nexthop, ']')) == 0)
            return (-1);
        host = mem_strndup(nexthop + 1, (size_t) (end - nexthop - 1));
        if (end[1] == ':')
            port = end + 2;
        else if (end[1] != 0) {
            mem_free(host);
            return (-1);
        }
        *use_mx_r = 0;
    } else {
        if ((end = strrchr(nexthop, ':')) != 0) {
            host = mem_strndup(nexthop, (size_t) (end - nexthop));
            port = end + 1;
        } else {
            host = mem_strdup(nexthop);
        }
        *use_mx_r = 1;
    }
    *port_r = SMTP_PORT;
    if (port) {
        n = strtoul(port, &cp, 10);
        if (*port == 0 || *cp != 0 || n == 0 || n > 65535) {
            mem_free(host);
            return (-1);
        }
        *port_r = (unsigned) n;
    }
    if (strncasecmp(host, "IPv6:", 5) == 0)
        memmove(host, host + 5, strlen(host + 5) + 1);
    if (*host == 0) {
        mem_free(host);
        return (-1);
    }
    *host_r = host;
    return (0);
}

/* smtp_addr_is_self - is this address one of this host's interfaces? */

static int smtp_addr_is_self(const DNS_MX_ADDR *a)
{
    return (resolve_local_address(a->text) == 1);
}

/*
 * smtp_addr_trim_self - RFC 5321 5.1: drop our own MX and all that are
 * not better. 0, or -1 when the best MX is this host.
 */
static int smtp_addr_trim_self(DNS_MX *mx)
{
    size_t  i, keep = mx->count;

    for (i = 0; i < mx->count; i++) {
        if (smtp_addr_is_self(mx->addr + i)) {
            unsigned pref = mx->addr[i].pref;

            for (keep = 0; keep < mx->count && mx->addr[keep].pref < pref; keep++)
                 /* void */ ;
            break;
        }
    }
    if (keep == 0)
        return (-1);
    for (i = keep; i < mx->count; i++)
        mem_free(mx->addr[i].host);
    mx->count = keep;
    return (0);
}

/* smtp_addr_append - add a lookup's addresses, with the port. */

static void smtp_addr_append(SMTP_TARGETS *targets, const DNS_MX *mx, unsigned port)
{
    targets->target = mem_realloc(targets->target,
                                  (targets->count + mx->count) * sizeof(SMTP_TARGET));
    for (size_t i = 0; i < mx->count; i++) {
        SMTP_TARGET *t = targets->target + targets->count++;

        t->host = mem_strdup(mx->addr[i].host);
        t->family = mx->addr[i].family;
        memcpy(t->addr, mx->addr[i].addr, sizeof(t->addr));
        memcpy(t->text, mx->addr[i].text, sizeof(t->text));
        t->port = port;
    }
}

/* smtp_addr_one - the addresses of one next hop. */

static int smtp_addr_one(const char *nexthop, SMTP_TARGETS *targets, char *dsn_r,
                         BUF *why)
{
    DNS_MX  mx;
    char   *host;
    unsigned port;
    int     use_mx, status;

    memset(&mx, 0, sizeof(mx));
    if (smtp_addr_split(nexthop, &host, &port, &use_mx) < 0) {
        strcpy(dsn_r, "5.3.5");
        buf_reset(why);
        buf_printf(why, "bad next-hop destination: %s", nexthop);
        return (DNS_MX_BOUNCE);
    }
    if (use_mx) {
        status = dns_mx_lookup(host, &mx, dsn_r, why);
        if (status == DNS_MX_OK && smtp_addr_trim_self(&mx) < 0) {
            strcpy(dsn_r, "5.4.6");
            buf_reset(why);
            buf_printf(why, "mail for %s loops back to myself", nexthop);
            status = DNS_MX_BOUNCE;
        }
    } else {
        status = dns_mx_host(host, 0, &mx, dsn_r, why);
    }
    if (status == DNS_MX_OK)
        smtp_addr_append(targets, &mx, port);
    dns_mx_free(&mx);
    mem_free(host);
    return (status);
}

int     smtp_addr_targets(const char *nexthop, SMTP_TARGETS *targets,
                          char *dsn_r, BUF *why)
{
    STRV   *fallback;
    long    limit = config_int(P_SMTP_MX_ADDRESS_LIMIT);
    int     status;

    targets->target = 0;
    targets->count = 0;
    status = smtp_addr_one(nexthop, targets, dsn_r, why);
    if (status != DNS_MX_BOUNCE) {
        fallback = config_list(P_SMTP_FALLBACK_RELAY);
        for (size_t i = 0; i < fallback->argc; i++) {
            char    dsn[16];
            BUF    *ignored = buf_new(64);

            if (strcasecmp(fallback->argv[i], nexthop) != 0)
                (void) smtp_addr_one(fallback->argv[i], targets, dsn, ignored);
            buf_free(&ignored);
        }
        strv_free(&fallback);
    }
    if (limit > 0 && targets->count > (size_t) limit) {
        for (size_t i = (size_t) limit; i < targets->count; i++)
            mem_free(targets->target[i].host);
        targets->count = (size_t) limit;
    }
    if (targets->count > 0)
        return (DNS_MX_OK);
    return (status == DNS_MX_OK ? DNS_MX_DEFER : status);
}
