/* NAME
 *	mynetworks 3
 * SUMMARY
 *	the default of mynetworks
 * DESCRIPTION
 *	The interfaces come from getifaddrs(3), IPv4 ones first, as Postfix
 *	lists them. A name in inet_interfaces is resolved with getaddrinfo(3)
 *	(which also reads old forms such as "1.2.3"), and each of its
 *	addresses must be one of an interface, whose netmask then gives the
 *	subnet.
 */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "mem.h"
#include "mynetworks.h"
#include "strv.h"

#define MYNETWORKS_SEP  ", \t\r\n"

typedef struct MYNETWORKS_ADDR {
    int     family;
    unsigned char addr[16];
    unsigned char mask[16];
} MYNETWORKS_ADDR;

typedef struct MYNETWORKS_LIST {
    MYNETWORKS_ADDR *items;
    size_t  count;
} MYNETWORKS_LIST;

static size_t mynetworks_len(int family)
{
    return (family == AF_INET ? 4 : 16);
}

static void mynetworks_add(MYNETWORKS_LIST *list, const MYNETWORKS_ADDR *item)
{
    list->items = mem_realloc(list->items, (list->count + 1) * sizeof(*item));
    list->items[list->count++] = *item;
}

/* mynetworks_bytes - the address bytes of a socket address */

static const unsigned char *mynetworks_bytes(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return ((const unsigned char *) &((const struct sockaddr_in *) sa)->sin_addr);
    return ((const unsigned char *) &((const struct sockaddr_in6 *) sa)->sin6_addr);
}

/* mynetworks_local - every interface address of a wanted family */

static void mynetworks_local(MYNETWORKS_LIST *list, int want_v4, int want_v6)
{
    static const int families[] = {AF_INET, AF_INET6};
    struct ifaddrs *ifs, *ifa;

    if (getifaddrs(&ifs) < 0)
        return;
    for (int f = 0; f < 2; f++) {
        if (!(families[f] == AF_INET ? want_v4 : want_v6))
            continue;
        for (ifa = ifs; ifa; ifa = ifa->ifa_next) {
            MYNETWORKS_ADDR item;
            size_t  len;

            if (ifa->ifa_addr == 0 || ifa->ifa_netmask == 0
                || ifa->ifa_addr->sa_family != families[f])
                continue;
            memset(&item, 0, sizeof(item));
            item.family = families[f];
            len = mynetworks_len(item.family);
            memcpy(item.addr, mynetworks_bytes(ifa->ifa_addr), len);
            memcpy(item.mask, mynetworks_bytes(ifa->ifa_netmask), len);
            mynetworks_add(list, &item);
        }
    }
    freeifaddrs(ifs);
}

/* mynetworks_protocols - which families inet_protocols allows */

static int mynetworks_protocols(const char *protocols, int *v4, int *v6, BUF *why)
{
    STRV   *words = strv_split(protocols, MYNETWORKS_SEP);
    int     status = 0;

    *v4 = *v6 = 0;
    for (size_t i = 0; i < words->argc && status == 0; i++) {
        if (strcasecmp(words->argv[i], "all") == 0) {
            *v4 = *v6 = 1;
        } else if (strcasecmp(words->argv[i], "ipv4") == 0) {
            *v4 = 1;
        } else if (strcasecmp(words->argv[i], "ipv6") == 0) {
            *v6 = 1;
        } else {
            buf_printf(why, "unknown inet_protocols value \"%s\" in \"%s\"",
                       words->argv[i], protocols);
            status = -1;
        }
    }
    strv_free(&words);
    return (status);
}

/*
 * mynetworks_named - the interfaces of the addresses that one word of
 * inet_interfaces names; -1 when one of them is not local.
 */
static int mynetworks_named(const MYNETWORKS_LIST *local, const char *name,
                            int v4, int v6, MYNETWORKS_LIST *out, BUF *why)
{
    struct addrinfo hints, *res, *ai;
    char    text[INET6_ADDRSTRLEN];
    int     status = 0;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = v4 && v6 ? AF_UNSPEC : v4 ? AF_INET : AF_INET6;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(name, 0, &hints, &res) != 0) {
        buf_printf(why, "config variable inet_interfaces: host not found: %s", name);
        return (-1);
    }
    for (ai = res; ai && status == 0; ai = ai->ai_next) {
        const unsigned char *bytes = mynetworks_bytes(ai->ai_addr);
        size_t  i, len = mynetworks_len(ai->ai_family);

        for (i = 0; i < local->count; i++)
            if (local->items[i].family == ai->ai_family
                && memcmp(local->items[i].addr, bytes, len) == 0)
                break;
        if (i < local->count) {
            mynetworks_add(out, local->items + i);
        } else {
            inet_ntop(ai->ai_family, bytes, text, sizeof(text));
            buf_printf(why, "parameter inet_interfaces: no local interface found for %s",
                       text);
            status = -1;
        }
    }
    freeaddrinfo(res);
    return (status);
}

/* mynetworks_format - one network in the given style */

static void mynetworks_format(const MYNETWORKS_ADDR *item, int style, BUF *out)
{
    unsigned char net[16];
    char    text[INET6_ADDRSTRLEN];
    size_t  len = mynetworks_len(item->family);
    int     bits = 0;

    for (size_t i = 0; i < len; i++) {
        net[i] = style == 'h' ? item->addr[i] : item->addr[i] & item->mask[i];
        for (int b = 0; b < 8; b++)
            bits += (item->mask[i] >> b) & 1;
    }
    if (style == 'h') {
        bits = (int) len * 8;
    } else if (style == 'c' && item->family == AF_INET) {
        bits = item->addr[0] < 128 ? 8 : item->addr[0] < 192 ? 16 : 24;
        memcpy(net, item->addr, 4);
        memset(net + bits / 8, 0, 4 - (size_t) bits / 8);
    }
    inet_ntop(item->family, net, text, sizeof(text));
    if (out->len)
        buf_putc(out, ' ');
    if (item->family == AF_INET)
        buf_printf(out, "%s/%d", text, bits);
    else
        buf_printf(out, "[%s]/%d", text, bits);
}

char   *mynetworks_default(const char *style, const char *interfaces,
                           const char *protocols, BUF *why)
{
    MYNETWORKS_LIST local = {0, 0}, chosen = {0, 0};
    STRV   *words = 0;
    BUF    *out = 0;
    int     v4, v6, status = 0, kind;

    if (strcasecmp(style, "host") == 0) {
        kind = 'h';
    } else if (strcasecmp(style, "subnet") == 0) {
        kind = 's';
    } else if (strcasecmp(style, "class") == 0) {
        kind = 'c';
    } else {
        buf_printf(why, "unknown mynetworks mask style value \"%s\" in \"%s\"",
                   style, style);
        return (0);
    }
    if (mynetworks_protocols(protocols, &v4, &v6, why) < 0)
        return (0);
    mynetworks_local(&local, v4, v6);
    words = strv_split(interfaces, MYNETWORKS_SEP);
    for (size_t i = 0; i < words->argc && status == 0; i++) {
        const char *word = words->argv[i];

        if (strcasecmp(word, "all") == 0) {
            mem_free(chosen.items);
            chosen.items = mem_dup(local.items, local.count * sizeof(*local.items));
            chosen.count = local.count;
            break;
        } else if (strcasecmp(word, "loopback-only") == 0) {
            if (v4)
                status = mynetworks_named(&local, "127.0.0.1", 1, 0, &chosen, why);
            if (v6 && status == 0)
                status = mynetworks_named(&local, "::1", 0, 1, &chosen, why);
        } else {
            status = mynetworks_named(&local, word, v4, v6, &chosen, why);
        }
    }
    if (status == 0) {
        out = buf_new(128);
        for (size_t i = 0; i < chosen.count; i++)
            mynetworks_format(chosen.items + i, kind, out);
        if (out->len == 0 && local.count == 0)
            buf_puts(out, "127.0.0.0/8 [::1]/128");
    }
    strv_free(&words);
    mem_free(local.items);
    mem_free(chosen.items);
    return (out ? buf_export(&out) : 0);
}
