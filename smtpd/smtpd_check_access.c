/* NAME
 *	smtpd_check_access 3
 * SUMMARY
 *	check_client_access, check_helo_access, check_sender_access,
 *	check_recipient_access
 * DESCRIPTION
 *	Each looks its subject up in the access table given as argument,
 *	in Postfix's order (access(5)):
 *
 *	- an address: the whole address, the address without its
 *	  extension, the domain and its parent domains, then "localpart@";
 *	  the null sender as smtpd_null_access_lookup_key;
 *	- a host name (client, HELO): the name, then its parent domains;
 *	- a client address: the address, then its network prefixes
 *	  (1.2.3.4, 1.2.3, 1.2, 1; for IPv6 the address less one group at
 *	  a time).
 *
 *	Parent domains are "example.com" when parent_domain_matches_subdomains
 *	lists smtpd_access_maps (the default), else ".example.com". Pattern
 *	tables (regexp, pcre, cidr) are asked for whole strings only.
 *
 *	The first key found decides, by its value: OK (or a number: OK),
 *	REJECT [text], DEFER [text], 4NN/5NN text, DUNNO (stop looking, go
 *	on with the next restriction), WARN text (log and go on), HOLD
 *	[text] and DISCARD [text] (accept, then hold or discard the
 *	message), PREPEND header (add the header), REDIRECT address (the
 *	message goes to that address instead), FILTER (not supported:
 *	logged, ignored), or the name of a restriction class. A table that
 *	cannot be read answers 451 4.3.0.
 * CONFIGURATION PARAMETERS
 *	access_map_reject_code, access_map_defer_code,
 *	smtpd_null_access_lookup_key, parent_domain_matches_subdomains.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "htable.h"
#include "mail_addr_find.h"
#include "mem.h"
#include "msg.h"
#include "smtp_path.h"
#include "smtpd_check.h"
#include "strv.h"

#define ACCESS_FOUND     1
#define ACCESS_NOTFOUND  0
#define ACCESS_ERROR    (-1)

static HTABLE *smtpd_check_access_tables;       /* "type:name" -> MAPS */

/* smtpd_check_maps - a table list, opened once per process. */

MAPS   *smtpd_check_maps(const char *title, const char *tables)
{
    MAPS   *maps;

    if (smtpd_check_access_tables == 0)
        smtpd_check_access_tables = htable_new(8);
    if ((maps = htable_find(smtpd_check_access_tables, tables)) == 0) {
        maps = maps_create(title, tables, DICT_FLAG_FOLD_FIX);
        htable_enter(smtpd_check_access_tables, tables, maps);
    }
    return (maps);
}

static int smtpd_check_access_parent_plain(void)
{
    static int known, plain;

    if (!known) {
        STRV   *list = config_list(P_PARENT_DOMAIN_MATCHES_SUBDOMAINS);

        plain = strv_find(list, "smtpd_access_maps") >= 0;
        strv_free(&list);
        known = 1;
    }
    return (plain);
}

/* smtpd_check_access_key - one lookup: ACCESS_FOUND, _NOTFOUND, _ERROR. */

static int smtpd_check_access_key(MAPS *maps, const char *key, int flags,
                                  const char **value_r)
{
    if ((*value_r = maps_find(maps, key, flags)) != 0)
        return (ACCESS_FOUND);
    return (maps_error(maps) ? ACCESS_ERROR : ACCESS_NOTFOUND);
}

/* smtpd_check_access_domain - a domain, then its parents. */

static int smtpd_check_access_domain(MAPS *maps, const char *domain, int whole_ok,
                                     const char **value_r)
{
    const char *parent;
    int     status;

    if ((status = smtpd_check_access_key(maps, domain, whole_ok ? 0 : MAPS_FIND_FIXED,
                                         value_r)) != ACCESS_NOTFOUND)
        return (status);
    for (parent = domain; (parent = strchr(parent + (*parent == '.'), '.')) != 0;) {
        if (parent[1] == 0)
            break;
        status = smtpd_check_access_key(maps, smtpd_check_access_parent_plain() ?
                                        parent + 1 : parent, MAPS_FIND_FIXED, value_r);
        if (status != ACCESS_NOTFOUND)
            return (status);
    }
    return (ACCESS_NOTFOUND);
}

/* smtpd_check_access_addr - an address in access(5)'s order. */

static int smtpd_check_access_addr(MAPS *maps, const char *addr, const char **value_r)
{
    const char *at = strrchr(addr, '@');
    const char *ext;
    BUF    *key = buf_new(strlen(addr) + 2);
    int     status;

    if (*addr == 0) {
        status = smtpd_check_access_key(maps, config_str(P_SMTPD_NULL_ACCESS_LOOKUP_KEY),
                                        0, value_r);
        goto done;
    }
    if ((status = smtpd_check_access_key(maps, addr, 0, value_r)) != ACCESS_NOTFOUND)
        goto done;
    ext = mail_addr_find_extension(addr, at ? (size_t) (at - addr) : strlen(addr));
    if (ext && at) {
        buf_append(key, addr, (size_t) (ext - addr));
        buf_puts(key, at);
        if ((status = smtpd_check_access_key(maps, key->data, MAPS_FIND_FIXED,
                                             value_r)) != ACCESS_NOTFOUND)
            goto done;
    }
    if (at && at[1]
        && (status = smtpd_check_access_domain(maps, at + 1, 0, value_r)) != ACCESS_NOTFOUND)
        goto done;
    if (at) {
        buf_reset(key);
        buf_append(key, addr, (size_t) (at - addr) + 1);
        if ((status = smtpd_check_access_key(maps, key->data, MAPS_FIND_FIXED,
                                             value_r)) != ACCESS_NOTFOUND)
            goto done;
        if (ext) {
            buf_reset(key);
            buf_append(key, addr, (size_t) (ext - addr));
            buf_putc(key, '@');
            status = smtpd_check_access_key(maps, key->data, MAPS_FIND_FIXED, value_r);
        }
    }
done:
    buf_free(&key);
    return (status);
}

/* smtpd_check_access_net - a client address, then its prefixes. */

static int smtpd_check_access_net(MAPS *maps, const char *addr, const char **value_r)
{
    char    prefix[64];
    char   *cut;
    int     sep = strchr(addr, ':') ? ':' : '.';
    int     status;

    if ((status = smtpd_check_access_key(maps, addr, 0, value_r)) != ACCESS_NOTFOUND)
        return (status);
    snprintf(prefix, sizeof(prefix), "%s", addr);
    while ((cut = strrchr(prefix, sep)) != 0) {
        *cut = 0;
        /* "2001:db8::" less a group leaves "2001:db8:"; skip empty tails. */
        while (cut > prefix && cut[-1] == sep)
            *--cut = 0;
        if (*prefix == 0)
            break;
        status = smtpd_check_access_key(maps, prefix, MAPS_FIND_FIXED, value_r);
        if (status != ACCESS_NOTFOUND)
            return (status);
    }
    return (ACCESS_NOTFOUND);
}

/* smtpd_check_access_log - warn:, hold:, discard:, redirect ... lines. */

static void smtpd_check_access_log(SMTPD_CHECK_CTX *ctx, const char *action,
                                   const char *text)
{
    SMTPD_SESSION *s = ctx->session;

    mail_log_restriction(s->queue_id, action, ctx->stage, s->name, s->addr, text,
                         s->sender, ctx->rcpt, s->protocol ? s->protocol : "SMTP", s->helo);
}

/* smtpd_check_access_dsn - a "d.d.d " DSN at the start of text, or NULL. */

static int smtpd_check_access_dsn(const char *text, char dsn[16], const char **rest_r)
{
    const char *cp = text;
    size_t  len;

    if (!isdigit((unsigned char) cp[0]) || cp[1] != '.')
        return (0);
    len = strspn(cp, "0123456789.");
    if (len < 5 || len >= 16 || (cp[len] != ' ' && cp[len] != 0))
        return (0);
    memcpy(dsn, cp, len);
    dsn[len] = 0;
    *rest_r = cp + len + (cp[len] == ' ');
    return (1);
}

/*
 * smtpd_check_access_result - act on a table's value for subject (shown
 * as "<who>: what rejected: ...").
 */
static int smtpd_check_access_result(SMTPD_CHECK_CTX *ctx, const char *value,
                                     const char *who, const char *what, BUF *reply)
{
    SMTPD_SESSION *s = ctx->session;
    size_t  wlen = strcspn(value, " \t");
    const char *text = value + wlen + strspn(value + wlen, " \t");
    char    word[32];
    char    dsn[16];
    const char *rest;
    BUF    *line;

    snprintf(word, sizeof(word), "%.*s", (int) (wlen < sizeof(word) ? wlen : sizeof(word) - 1),
             value);
    if (strspn(value, "0123456789") == strlen(value) && *value)
        return (SMTPD_CHECK_OK);
    if (strcasecmp(word, "OK") == 0)
        return (SMTPD_CHECK_OK);
    if (strcasecmp(word, "DUNNO") == 0)
        return (SMTPD_CHECK_DUNNO);
    if (strcasecmp(word, "REJECT") == 0 || strcasecmp(word, "DEFER") == 0) {
        int     reject = toupper((unsigned char) word[0]) == 'R';

        rest = text;
        if (!smtpd_check_access_dsn(text, dsn, &rest))
            snprintf(dsn, sizeof(dsn), "%s", reject ? "5.7.1" : "4.7.1");
        return (smtpd_check_reply(reply, (int) config_int(reject ? P_ACCESS_MAP_REJECT_CODE :
                                                          P_ACCESS_MAP_DEFER_CODE),
                                  dsn, "<%s>: %s rejected: %s", who, what,
                                  *rest ? rest : "Access denied"));
    }
    if (wlen == 3 && (value[0] == '4' || value[0] == '5')
        && isdigit((unsigned char) value[1]) && isdigit((unsigned char) value[2])) {
        rest = text;
        if (!smtpd_check_access_dsn(text, dsn, &rest))
            snprintf(dsn, sizeof(dsn), "%c.7.1", value[0]);
        return (smtpd_check_reply(reply, (int) strtol(value, 0, 10), dsn,
                                  "<%s>: %s rejected: %s", who, what,
                                  *rest ? rest : "Access denied"));
    }
    line = buf_new(128);
    if (strcasecmp(word, "WARN") == 0) {
        smtpd_check_access_log(ctx, "warn", text);
    } else if (strcasecmp(word, "HOLD") == 0 || strcasecmp(word, "DISCARD") == 0) {
        int     hold = toupper((unsigned char) word[0]) == 'H';

        buf_printf(line, "<%s>: %s %s", who, what, *text ? text :
                   hold ? "triggers HOLD action" : "triggers DISCARD action");
        smtpd_check_access_log(ctx, hold ? "hold" : "discard", line->data);
        if (hold)
            s->action_hold = 1;
        else
            s->action_discard = 1;
        buf_free(&line);
        return (hold ? SMTPD_CHECK_DUNNO : SMTPD_CHECK_OK);
    } else if (strcasecmp(word, "PREPEND") == 0) {
        if (*text == 0 || strchr(text, ':') == 0) {
            msg_warn("access table result \"%s\": PREPEND needs a header", value);
        } else {
            if (s->prepend == 0)
                s->prepend = strv_new();
            strv_add(s->prepend, text);
        }
    } else if (strcasecmp(word, "REDIRECT") == 0) {
        if (*text == 0) {
            msg_warn("access table result \"%s\": REDIRECT needs an address", value);
        } else {
            buf_printf(line, "<%s>: %s triggers REDIRECT %s", who, what, text);
            smtpd_check_access_log(ctx, "redirect", line->data);
            mem_free(s->redirect);
            s->redirect = mem_strdup(text);
        }
    } else if (strcasecmp(word, "FILTER") == 0) {
        msg_warn("access table result \"%s\": content filters are not supported; ignored",
                 value);
    } else {
        /* A restriction class; anything else is a configuration error. */
        buf_free(&line);
        return (smtpd_check_class(ctx, word, reply));
    }
    buf_free(&line);
    return (SMTPD_CHECK_DUNNO);
}

/* smtpd_check_access_done - common tail of the four restrictions. */

static int smtpd_check_access_done(SMTPD_CHECK_CTX *ctx, int status, const char *value,
                                   const char *who, const char *what, BUF *reply)
{
    if (status == ACCESS_ERROR)
        return (smtpd_check_tempfail(reply, who));
    if (status == ACCESS_NOTFOUND)
        return (SMTPD_CHECK_DUNNO);
    return (smtpd_check_access_result(ctx, value, who, what, reply));
}

int     smtpd_check_client_access(SMTPD_CHECK_CTX *ctx, const char *table, BUF *reply)
{
    SMTPD_SESSION *s = ctx->session;
    MAPS   *maps = smtpd_check_maps("check_client_access", table);
    const char *value = 0;
    int     status = ACCESS_NOTFOUND;
    char    who[300];

    if (strcmp(s->name, "unknown") != 0)
        status = smtpd_check_access_domain(maps, s->name, 1, &value);
    if (status == ACCESS_NOTFOUND)
        status = smtpd_check_access_net(maps, s->addr, &value);
    snprintf(who, sizeof(who), "%s[%s]", s->name, s->addr);
    return (smtpd_check_access_done(ctx, status, value, who, "Client host", reply));
}

int     smtpd_check_helo_access(SMTPD_CHECK_CTX *ctx, const char *table, BUF *reply)
{
    SMTPD_SESSION *s = ctx->session;
    MAPS   *maps = smtpd_check_maps("check_helo_access", table);
    const char *value = 0;
    int     status;

    if (s->helo == 0 || *s->helo == 0)
        return (SMTPD_CHECK_DUNNO);
    status = smtpd_check_access_domain(maps, s->helo, 1, &value);
    return (smtpd_check_access_done(ctx, status, value, s->helo, "Helo command", reply));
}

int     smtpd_check_sender_access(SMTPD_CHECK_CTX *ctx, const char *table, BUF *reply)
{
    SMTPD_SESSION *s = ctx->session;
    MAPS   *maps = smtpd_check_maps("check_sender_access", table);
    const char *value = 0;
    int     status;

    if (s->sender == 0)
        return (SMTPD_CHECK_DUNNO);
    status = smtpd_check_access_addr(maps, s->sender, &value);
    return (smtpd_check_access_done(ctx, status, value, s->sender, "Sender address", reply));
}

int     smtpd_check_recipient_access(SMTPD_CHECK_CTX *ctx, const char *table, BUF *reply)
{
    MAPS   *maps = smtpd_check_maps("check_recipient_access", table);
    const char *value = 0;
    int     status;

    if (ctx->rcpt == 0)
        return (SMTPD_CHECK_DUNNO);
    status = smtpd_check_access_addr(maps, ctx->rcpt, &value);
    return (smtpd_check_access_done(ctx, status, value, ctx->rcpt, "Recipient address", reply));
}
