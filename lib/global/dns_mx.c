/* NAME
 *	dns_mx 3
 * SUMMARY
 *	where mail for a domain goes: MX policy and host addresses
 * DESCRIPTION
 *	See dns_mx(3h). The DNS itself is dns(3) in the base layer; this
 *	file adds what mail makes of it.
 * PARAMETERS
 *	disable_dns_lookups, smtp_host_lookup, inet_protocols.
 * STANDARDS
 *	RFC 5321 5.1 (MX, implicit MX), RFC 7505 (null MX), RFC 3463
 *	(4.4.3, 5.4.4, 5.1.0).
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>

#include "config.h"
#include "dns.h"
#include "dns_mx.h"
#include "mem.h"
#include "strv.h"

#define DNS_MX_NOTFOUND "Host or domain name not found. "

void    dns_mx_free(DNS_MX *mx)
{
    for (size_t i = 0; i < mx->count; i++)
        mem_free(mx->addr[i].host);
    mem_free(mx->addr);
    mx->addr = 0;
    mx->count = 0;
}

static void dns_mx_add(DNS_MX *mx, const char *host, unsigned pref, int family,
                       const void *addr)
{
    DNS_MX_ADDR *a;

    mx->addr = mem_realloc(mx->addr, (mx->count + 1) * sizeof(*mx->addr));
    a = mx->addr + mx->count++;
    memset(a, 0, sizeof(*a));
    a->host = mem_strdup(host);
    a->pref = pref;
    a->family = family;
    memcpy(a->addr, addr, family == AF_INET ? 4 : 16);
    inet_ntop(family, addr, a->text, sizeof(a->text));
}

/* dns_mx_families - which of A (bit 0) and AAAA (bit 1) inet_protocols wants. */

static int dns_mx_families(void)
{
    STRV   *protos = config_list(P_INET_PROTOCOLS);
    int     bits = 0;

    for (size_t i = 0; i < protos->argc; i++) {
        if (strcmp(protos->argv[i], "all") == 0)
            bits |= 3;
        else if (strcmp(protos->argv[i], "ipv4") == 0)
            bits |= 1;
        else if (strcmp(protos->argv[i], "ipv6") == 0)
            bits |= 2;
    }
    strv_free(&protos);
    return (bits ? bits : 3);
}

/* dns_mx_set - a failure: its status, code and text. */

static int dns_mx_set(int status, char *dsn_r, BUF *why, const char *text)
{
    strcpy(dsn_r, status == DNS_MX_DEFER ? "4.4.3" : "5.4.4");
    buf_reset(why);
    buf_printf(why, DNS_MX_NOTFOUND "%s", text);
    return (status);
}

/* dns_mx_by_dns - A and/or AAAA records of a host. */

static int dns_mx_by_dns(const char *host, unsigned pref, int families,
                         DNS_MX *mx, char *dsn_r, BUF *why)
{
    static const int types[] = {DNS_TYPE_A, DNS_TYPE_AAAA};
    BUF    *text = buf_new(128);
    DNS_LIST list;
    size_t  found = 0;
    int     temporary = 0;

    for (int t = 0; t < 2; t++) {
        if ((families & (1 << t)) == 0)
            continue;
        buf_reset(text);
        switch (dns_lookup(host, types[t], &list, 0, text)) {
        case DNS_OK:
            for (size_t i = 0; i < list.count; i++)
                dns_mx_add(mx, host, pref, types[t] == DNS_TYPE_A ? AF_INET : AF_INET6,
                           list.rr[i].addr);
            found += list.count;
            dns_list_free(&list);
            break;
        case DNS_RETRY:
        case DNS_INVAL:
            temporary = 1;
            /* FALLTHROUGH */
        default:
            if (found == 0)
                dns_mx_set(temporary ? DNS_MX_DEFER : DNS_MX_BOUNCE, dsn_r, why,
                           text->data);
            break;
        }
    }
    buf_free(&text);
    if (found)
        return (DNS_MX_OK);
    return (temporary ? DNS_MX_DEFER : DNS_MX_BOUNCE);
}

/* dns_mx_by_native - the system's host lookup (getaddrinfo). */

static int dns_mx_by_native(const char *host, unsigned pref, int families,
                            DNS_MX *mx, char *dsn_r, BUF *why)
{
    struct addrinfo hints, *res, *ai;
    size_t  found = 0;
    int     err;

    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_family = families == 1 ? AF_INET : families == 2 ? AF_INET6 : AF_UNSPEC;
    if ((err = getaddrinfo(host, 0, &hints, &res)) != 0) {
        int     status = err == EAI_AGAIN || err == EAI_SYSTEM || err == EAI_MEMORY ?
            DNS_MX_DEFER : DNS_MX_BOUNCE;

        strcpy(dsn_r, status == DNS_MX_DEFER ? "4.4.3" : "5.4.4");
        buf_reset(why);
        buf_printf(why, "unable to look up host %s: %s", host, gai_strerror(err));
        return (status);
    }
    for (ai = res; ai; ai = ai->ai_next) {
        if (ai->ai_family == AF_INET)
            dns_mx_add(mx, host, pref, AF_INET,
                       &((struct sockaddr_in *) ai->ai_addr)->sin_addr);
        else if (ai->ai_family == AF_INET6)
            dns_mx_add(mx, host, pref, AF_INET6,
                       &((struct sockaddr_in6 *) ai->ai_addr)->sin6_addr);
        else
            continue;
        found++;
    }
    freeaddrinfo(res);
    if (found)
        return (DNS_MX_OK);
    return (dns_mx_set(DNS_MX_BOUNCE, dsn_r, why, "no address of a usable family"));
}

/* dns_mx_use_dns - DNS for host addresses (smtp_host_lookup, disable_dns_lookups). */

static int dns_mx_use_dns(void)
{
    return (!config_bool(P_DISABLE_DNS_LOOKUPS));
}

int     dns_mx_host(const char *host, unsigned pref, DNS_MX *mx, char *dsn_r,
                    BUF *why)
{
    int     families = dns_mx_families();
    unsigned char addr[16];
    STRV   *methods;
    int     status = DNS_MX_BOUNCE;

    if (inet_pton(AF_INET, host, addr) == 1 && (families & 1)) {
        dns_mx_add(mx, host, pref, AF_INET, addr);
        return (DNS_MX_OK);
    }
    if (inet_pton(AF_INET6, host, addr) == 1 && (families & 2)) {
        dns_mx_add(mx, host, pref, AF_INET6, addr);
        return (DNS_MX_OK);
    }
    dns_mx_set(DNS_MX_BOUNCE, dsn_r, why, "no usable lookup method");
    methods = config_list(P_SMTP_HOST_LOOKUP);
    for (size_t i = 0; i < methods->argc && status != DNS_MX_OK; i++) {
        if (strcmp(methods->argv[i], "dns") == 0 && dns_mx_use_dns())
            status = dns_mx_by_dns(host, pref, families, mx, dsn_r, why);
        else if (strcmp(methods->argv[i], "native") == 0 || !dns_mx_use_dns())
            status = dns_mx_by_native(host, pref, families, mx, dsn_r, why);
    }
    strv_free(&methods);
    return (status);
}

int     dns_mx_lookup(const char *domain, DNS_MX *mx, char *dsn_r, BUF *why)
{
    DNS_LIST list;
    BUF    *text;
    int     status, any_temp = 0;
    size_t  i;

    mx->addr = 0;
    mx->count = 0;
    if (!dns_mx_use_dns())
        return (dns_mx_host(domain, 0, mx, dsn_r, why));
    text = buf_new(128);
    switch (dns_lookup(domain, DNS_TYPE_MX, &list, 0, text)) {
    case DNS_OK:
        break;
    case DNS_NODATA:
        /* RFC 5321 5.1: no MX, the domain itself is the implicit MX. */
        buf_free(&text);
        return (dns_mx_host(domain, 0, mx, dsn_r, why));
    case DNS_NOTFOUND:
        status = dns_mx_set(DNS_MX_BOUNCE, dsn_r, why, text->data);
        buf_free(&text);
        return (status);
    default:
        status = dns_mx_set(DNS_MX_DEFER, dsn_r, why, text->data);
        buf_free(&text);
        return (status);
    }
    buf_free(&text);
    /* RFC 7505 2.2: a null MX means no mail at all for the domain. */
    for (i = 0; i < list.count; i++) {
        if (list.rr[i].host[0] == 0) {
            dns_list_free(&list);
            strcpy(dsn_r, "5.1.0");
            buf_reset(why);
            buf_printf(why, "Domain %s does not accept mail (nullMX)", domain);
            return (DNS_MX_BOUNCE);
        }
    }
    dns_mx_sort(&list);
    for (i = 0; i < list.count; i++)
        if (dns_mx_host(list.rr[i].host, list.rr[i].pref, mx, dsn_r, why) == DNS_MX_DEFER)
            any_temp = 1;
    dns_list_free(&list);
    if (mx->count > 0)
        return (DNS_MX_OK);
    if (any_temp)
        strcpy(dsn_r, "4.4.3");
    return (any_temp ? DNS_MX_DEFER : DNS_MX_BOUNCE);
}
