/* NAME
 *	transport_map 3
 * SUMMARY
 *	transport_maps lookups
 * DESCRIPTION
 *	See transport_map(3h).
 */
#include <string.h>

#include "buf.h"
#include "config.h"
#include "mail_addr_find.h"
#include "maps.h"
#include "mem.h"
#include "strv.h"
#include "transport_map.h"

static MAPS *transport_map_maps;
static int transport_map_parent_plain;  /* "parent" matches, not ".parent" */

/* transport_map_lookup - one key; 1 found, 0 not, -1 error */

static int transport_map_lookup(const char *key, int flags, const char **value_r)
{
    *value_r = maps_find(transport_map_maps, key, flags);
    if (*value_r != NULL)
        return (1);
    return (maps_error(transport_map_maps) ? -1 : 0);
}

/* transport_map_search - transport(5)'s order; 1, 0 or -1 */

static int transport_map_search(const char *rcpt, const char *domain,
                                const char **value_r)
{
    const char *at = strrchr(rcpt, '@');
    const char *ext;
    const char *parent;
    BUF    *key = buf_new(strlen(rcpt) + 2);
    int     status;

    /* The whole address, then without its extension. */
    if ((status = transport_map_lookup(rcpt, 0, value_r)) != 0)
        goto done;
    if (at && (ext = mail_addr_find_extension(rcpt, (size_t) (at - rcpt))) != 0) {
        buf_append(key, rcpt, (size_t) (ext - rcpt));
        buf_puts(key, at);
        if ((status = transport_map_lookup(BUF_STR(key), MAPS_FIND_FIXED, value_r)) != 0)
            goto done;
    }
    /* The domain and its parents. */
    if (domain && *domain) {
        if ((status = transport_map_lookup(domain, MAPS_FIND_FIXED, value_r)) != 0)
            goto done;
        for (parent = domain; (parent = strchr(parent + (*parent == '.'), '.')) != 0;) {
            if (transport_map_parent_plain && parent[1] != 0) {
                if ((status = transport_map_lookup(parent + 1, MAPS_FIND_FIXED, value_r)) != 0)
                    goto done;
            } else if ((status = transport_map_lookup(parent, MAPS_FIND_FIXED, value_r)) != 0)
                goto done;
        }
    }
    status = transport_map_lookup("*", MAPS_FIND_FIXED, value_r);
done:
    buf_free(&key);
    return (status);
}

int     transport_map_find(const char *rcpt, const char *domain,
                           char **transport_r, char **nexthop_r)
{
    const char *value;
    const char *colon;
    int     status;

    if (transport_map_maps == 0) {
        STRV   *parents = config_list(P_PARENT_DOMAIN_MATCHES_SUBDOMAINS);

        transport_map_parent_plain = strv_find(parents, "transport_maps") >= 0;
        strv_free(&parents);
        transport_map_maps = maps_create("transport_maps", config_str(P_TRANSPORT_MAPS),
                                         DICT_FLAG_FOLD_FIX);
    }
    if ((status = transport_map_search(rcpt, domain, &value)) <= 0)
        return (status);

    /* "transport:nexthop"; a value without a colon is a transport. */
    colon = strchr(value, ':');
    if (colon == 0)
        colon = value + strlen(value);
    if (colon > value) {
        mem_free(*transport_r);
        *transport_r = mem_strndup(value, (size_t) (colon - value));
        mem_free(*nexthop_r);
        *nexthop_r = mem_strdup(*colon && colon[1] ? colon + 1 : (domain ? domain : ""));
    } else if (colon[1]) {
        mem_free(*nexthop_r);
        *nexthop_r = mem_strdup(colon + 1);
    }
    return (1);
}

void    transport_map_reset(void)
{
    maps_free(&transport_map_maps);
}
