/* NAME
 *	resolve_local 3
 * SUMMARY
 *	is this domain delivered on this host?
 * DESCRIPTION
 *	The lists are built on first use from the loaded configuration and
 *	kept; resolve_local_reset() drops them after a reload. The local
 *	addresses come from getifaddrs(3) once.
 */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>

#include "cidr.h"
#include "config.h"
#include "domain_list.h"
#include "maps.h"
#include "mem.h"
#include "resolve_local.h"

static DOMAIN_LIST *resolve_mydestination;
static DOMAIN_LIST *resolve_relay_domains;
static CIDR_LIST *resolve_my_addrs;

void    resolve_local_reset(void)
{
    domain_list_free(&resolve_mydestination);
    domain_list_free(&resolve_relay_domains);
    cidr_list_free(&resolve_my_addrs);
}

/* resolve_local_addrs - every address of this host, as host prefixes. */

static CIDR_LIST *resolve_local_addrs(void)
{
    CIDR_LIST *list = cidr_list_new();
    struct ifaddrs *ifs, *ifa;
    char    addr[INET6_ADDRSTRLEN];

    if (getifaddrs(&ifs) == 0) {
        for (ifa = ifs; ifa; ifa = ifa->ifa_next) {
            const void *raw;

            if (ifa->ifa_addr == 0)
                continue;
            if (ifa->ifa_addr->sa_family == AF_INET)
                raw = &((struct sockaddr_in *) ifa->ifa_addr)->sin_addr;
            else if (ifa->ifa_addr->sa_family == AF_INET6)
                raw = &((struct sockaddr_in6 *) ifa->ifa_addr)->sin6_addr;
            else
                continue;
            if (inet_ntop(ifa->ifa_addr->sa_family, raw, addr, sizeof(addr)))
                (void) cidr_list_add(list, addr, 0);
        }
        freeifaddrs(ifs);
    }
    return (list);
}

/* resolve_literal - "[1.2.3.4]" or "[IPv6:...]" naming this host. */

static int resolve_literal(const char *domain)
{
    char    addr[INET6_ADDRSTRLEN + 8];
    size_t  len = strlen(domain);

    if (len < 3 || domain[0] != '[' || domain[len - 1] != ']' || len - 2 >= sizeof(addr))
        return (-1);
    memcpy(addr, domain + 1, len - 2);
    addr[len - 2] = 0;
    if (resolve_my_addrs == 0)
        resolve_my_addrs = resolve_local_addrs();
    if (strncasecmp(addr, "IPv6:", 5) == 0)
        return (cidr_list_match(resolve_my_addrs, addr + 5) == 1);
    return (cidr_list_match(resolve_my_addrs, addr) == 1);
}

int     resolve_local_domain(const char *domain)
{
    int     literal;

    if ((literal = resolve_literal(domain)) >= 0)
        return (literal);
    if (resolve_mydestination == 0)
        resolve_mydestination = domain_list_new(config_str(P_MYDESTINATION), 0);
    return (domain_list_match(resolve_mydestination, domain, maps_table_match, 0));
}

int     resolve_local_address(const char *addr)
{
    if (resolve_my_addrs == 0)
        resolve_my_addrs = resolve_local_addrs();
    return (cidr_list_match(resolve_my_addrs, addr) == 1);
}

int     resolve_virtual_alias_domain(const char *domain)
{
    static DOMAIN_LIST *virtual_alias_domains;

    if (virtual_alias_domains == 0)
        virtual_alias_domains = domain_list_new(config_str(P_VIRTUAL_ALIAS_DOMAINS), 0);
    return (domain_list_match(virtual_alias_domains, domain, maps_table_match, 0));
}

int     resolve_relay_domain(const char *domain)
{
    if (resolve_relay_domains == 0)
        resolve_relay_domains = domain_list_new(config_str(P_RELAY_DOMAINS),
                                                DOMAIN_LIST_PARENT);
    return (domain_list_match(resolve_relay_domains, domain, maps_table_match, 0));
}
