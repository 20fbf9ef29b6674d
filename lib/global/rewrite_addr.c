/* NAME
 *	rewrite_addr 3
 * SUMMARY
 *	envelope address rewriting
 * DESCRIPTION
 *	See rewrite_addr(3h).
 * CONFIGURATION PARAMETERS
 *	append_at_myorigin, append_dot_mydomain, myorigin, mydomain,
 *	canonical_maps, sender_canonical_maps, recipient_canonical_maps,
 *	canonical_classes, propagate_unmatched_extensions,
 *	masquerade_domains, masquerade_exceptions, masquerade_classes,
 *	virtual_alias_maps, virtual_alias_domains,
 *	virtual_alias_recursion_limit, virtual_alias_expansion_limit.
 */
#include <string.h>
#include <strings.h>

#include "config.h"
#include "mail_addr_find.h"
#include "maps.h"
#include "mem.h"
#include "msg.h"
#include "resolve_local.h"
#include "rewrite_addr.h"

static MAPS *rewrite_addr_maps[4];

enum {
    REWRITE_CANONICAL, REWRITE_SENDER_CANONICAL, REWRITE_RECIPIENT_CANONICAL,
    REWRITE_VIRTUAL,
};

static MAPS *rewrite_addr_table(int which)
{
    static const PARAM_ID params[] = {P_CANONICAL_MAPS, P_SENDER_CANONICAL_MAPS,
        P_RECIPIENT_CANONICAL_MAPS, P_VIRTUAL_ALIAS_MAPS};
    static const char *titles[] = {"canonical_maps", "sender_canonical_maps",
        "recipient_canonical_maps", "virtual_alias_maps"};

    if (rewrite_addr_maps[which] == 0)
        rewrite_addr_maps[which] = maps_create(titles[which], config_str(params[which]),
                                               DICT_FLAG_FOLD_FIX);
    return (rewrite_addr_maps[which]);
}

/*
 * rewrite_addr_list - a list parameter, split once per process (every
 * address of every message asks).
 */
static const STRV *rewrite_addr_list(PARAM_ID id)
{
    static struct {
        PARAM_ID id;
        STRV   *list;
    } cache[8];
    size_t  i;

    for (i = 0; i < sizeof(cache) / sizeof(cache[0]) && cache[i].list; i++)
        if (cache[i].id == id)
            return (cache[i].list);
    if (i == sizeof(cache) / sizeof(cache[0]))
        msg_panic("rewrite_addr_list: cache too small");
    cache[i].id = id;
    cache[i].list = config_list(id);
    return (cache[i].list);
}

static int rewrite_addr_listed(PARAM_ID id, const char *name)
{
    return (strv_find(rewrite_addr_list(id), name) >= 0);
}

/* rewrite_addr_qualify - @myorigin and .mydomain, in the local context. */

static void rewrite_addr_qualify(const char *addr, int flags, BUF *out)
{
    const char *at = strrchr(addr, '@');

    buf_set(out, addr);
    if (!(flags & REWRITE_ADDR_LOCAL) || *addr == 0)
        return;
    if (at == 0) {
        if (config_bool(P_APPEND_AT_MYORIGIN))
            buf_printf(out, "@%s", config_str(P_MYORIGIN));
    } else if (at[1] && at[1] != '[' && strchr(at + 1, '.') == 0
               && config_bool(P_APPEND_DOT_MYDOMAIN)) {
        buf_printf(out, ".%s", config_str(P_MYDOMAIN));
    }
}

/*
 * rewrite_addr_find - a table's value for addr, with an extension the
 * key lacked put back when propagate_unmatched_extensions lists what;
 * 1 found (value in out), 0 not, -1 error.
 */
static int rewrite_addr_find(MAPS *maps, const char *addr, const char *what, BUF *out)
{
    char   *ext = 0;
    const char *value = mail_addr_find(maps, addr, &ext);
    const char *at;

    if (value == 0) {
        mem_free(ext);
        return (maps_error(maps) ? -1 : 0);
    }
    /* "@otherdomain": the same user in the other domain. */
    if (*value == '@' && (at = strrchr(addr, '@')) != 0) {
        buf_reset(out);
        buf_append(out, addr, (size_t) (at - addr));
        buf_puts(out, value);
        mem_free(ext);
        return (1);
    }
    buf_set(out, value);
    if (ext && rewrite_addr_listed(P_PROPAGATE_UNMATCHED_EXTENSIONS, what)
        && strchr(value, ',') == 0 && strchr(value, ' ') == 0) {
        at = strrchr(value, '@');
        buf_reset(out);
        buf_append(out, value, at ? (size_t) (at - value) : strlen(value));
        buf_puts(out, ext);
        if (at)
            buf_puts(out, at);
    }
    mem_free(ext);
    return (1);
}

/* rewrite_addr_canonical - one canonical table, then canonical_maps. */

static int rewrite_addr_canonical(BUF *addr, int which, const char *class)
{
    BUF    *value = buf_new(64);
    int     status = 0;

    if (rewrite_addr_listed(P_CANONICAL_CLASSES, class)) {
        if ((status = rewrite_addr_find(rewrite_addr_table(which), addr->data,
                                        "canonical", value)) == 0)
            status = rewrite_addr_find(rewrite_addr_table(REWRITE_CANONICAL), addr->data,
                                       "canonical", value);
        if (status > 0)
            buf_set(addr, value->data);
    }
    buf_free(&value);
    return (status < 0 ? -1 : 0);
}

/* rewrite_addr_masquerade - strip subdomains of masquerade_domains. */

static void rewrite_addr_masquerade(BUF *addr, const char *class)
{
    const STRV *domains = rewrite_addr_list(P_MASQUERADE_DOMAINS);
    char   *at = strrchr(addr->data, '@');
    size_t  len;
    int     excepted;

    if (at == 0 || domains->argc == 0 || !rewrite_addr_listed(P_MASQUERADE_CLASSES, class))
        return;
    *at = 0;
    excepted = rewrite_addr_listed(P_MASQUERADE_EXCEPTIONS, addr->data);
    *at = '@';
    if (excepted)
        return;
    for (size_t i = 0; i < domains->argc; i++) {
        const char *d = domains->argv[i];
        int     exempt = *d == '!';
        size_t  dlen;

        d += exempt;
        dlen = strlen(d);
        len = strlen(at + 1);
        if (strcasecmp(at + 1, d) == 0)
            break;                      /* already masqueraded */
        if (len > dlen && at[len - dlen] == '.' && strcasecmp(at + 1 + len - dlen, d) == 0) {
            if (!exempt) {
                char   *domain = mem_strdup(d);

                buf_truncate(addr, (size_t) (at - addr->data) + 1);
                buf_puts(addr, domain);
                mem_free(domain);
            }
            break;
        }
    }
}

int     rewrite_addr_sender(const char *addr, int flags, BUF *out)
{
    rewrite_addr_qualify(addr, flags, out);
    if (*addr == 0)
        return (0);
    if (rewrite_addr_canonical(out, REWRITE_SENDER_CANONICAL, "envelope_sender") < 0)
        return (-1);
    rewrite_addr_masquerade(out, "envelope_sender");
    return (0);
}

int     rewrite_addr_header(const char *addr, int flags, int sender, BUF *out)
{
    const char *class = sender ? "header_sender" : "header_recipient";

    rewrite_addr_qualify(addr, flags, out);
    if (*addr == 0)
        return (0);
    if (rewrite_addr_canonical(out, sender ? REWRITE_SENDER_CANONICAL :
                               REWRITE_RECIPIENT_CANONICAL, class) < 0)
        return (-1);
    rewrite_addr_masquerade(out, class);
    return (0);
}

/* rewrite_addr_virtual - expand addr into out; 0 or -1. */

static int rewrite_addr_virtual(const char *addr, int depth, STRV *seen, STRV *out)
{
    BUF    *value = buf_new(64);
    STRV   *list;
    int     status;

    if (depth > config_int(P_VIRTUAL_ALIAS_RECURSION_LIMIT)
        || (long) out->argc >= config_int(P_VIRTUAL_ALIAS_EXPANSION_LIMIT)
        || strv_find(seen, addr) >= 0
        || (status = rewrite_addr_find(rewrite_addr_table(REWRITE_VIRTUAL), addr,
                                       "virtual", value)) == 0) {
        if (strv_find(out, addr) < 0)
            strv_add(out, addr);
        buf_free(&value);
        return (0);
    }
    if (status < 0) {
        buf_free(&value);
        return (-1);
    }
    strv_add(seen, addr);
    list = strv_split(value->data, ", \t\r\n");
    buf_free(&value);
    status = 0;
    for (size_t i = 0; i < list->argc && status == 0; i++)
        status = rewrite_addr_virtual(list->argv[i], depth + 1, seen, out);
    strv_free(&list);
    return (status);
}

int     rewrite_addr_recipient(const char *addr, int flags, STRV *out)
{
    BUF    *buf = buf_new(64);
    STRV   *seen = strv_new();
    int     status;

    rewrite_addr_qualify(addr, flags, buf);
    status = rewrite_addr_canonical(buf, REWRITE_RECIPIENT_CANONICAL, "envelope_recipient");
    if (status == 0)
        status = rewrite_addr_virtual(buf->data, 0, seen, out);
    strv_free(&seen);
    buf_free(&buf);
    return (status);
}

int     rewrite_addr_virtual_unknown(const char *addr)
{
    const char *at = strrchr(addr, '@');
    int     virtual;

    if (at == 0 || at[1] == 0)
        return (0);
    if ((virtual = resolve_virtual_alias_domain(at + 1)) <= 0)
        return (virtual);
    if (mail_addr_find(rewrite_addr_table(REWRITE_VIRTUAL), addr, 0) != 0)
        return (0);
    return (maps_error(rewrite_addr_table(REWRITE_VIRTUAL)) ? -1 : 1);
}
