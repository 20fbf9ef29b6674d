/* NAME
 *	smtpd_check 3
 * SUMMARY
 *	the smtpd restriction lists
 * DESCRIPTION
 *	A restriction list (smtpd_client_restrictions, ..._helo_, ..._sender_,
 *	..._relay_, ..._recipient_, ..._data_) is evaluated left to right;
 *	each restriction answers DUNNO (go on), OK (this list permits: go
 *	on to the next list) or REJECT (with a reply: stop). The
 *	restrictions are a table of {name, handler, takes an argument}.
 *
 *	With smtpd_delay_reject = yes (the default) the client, helo and
 *	sender lists are evaluated at RCPT TO, before the relay and
 *	recipient lists, as Postfix does; with no, each at its own stage
 *	(connect, HELO/EHLO, MAIL FROM). smtpd_data_restrictions are
 *	evaluated at DATA.
 *
 *	A name listed in smtpd_restriction_classes is a restriction too: the
 *	list in the main.cf parameter of that name, evaluated in place (and
 *	an access table may answer with a class name). warn_if_reject makes
 *	the next restriction log "reject_warning: ..." instead of rejecting.
 *
 *	After the lists permit a recipient, smtpd_reject_unlisted_recipient
 *	(default yes) rejects local recipients that local_recipient_maps
 *	does not know and relay_domains recipients that a non-empty
 *	relay_recipient_maps does not know, as Postfix does.
 *
 *	A restriction name that is not known is a configuration error: it
 *	is logged, and the client gets "451 4.3.5 Server configuration
 *	error" rather than a permit it should not have had.
 * CONFIGURATION PARAMETERS
 *	smtpd_*_restrictions, smtpd_restriction_classes, mynetworks,
 *	local_recipient_maps, relay_recipient_maps,
 *	smtpd_reject_unlisted_recipient, smtpd_reject_unlisted_sender,
 *	unknown_local_recipient_reject_code, unknown_relay_recipient_reject_code,
 *	non_fqdn_reject_code, invalid_hostname_reject_code.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cidr.h"
#include "config.h"
#include "mail_addr_find.h"
#include "maps.h"
#include "mem.h"
#include "msg.h"
#include "resolve_local.h"
#include "rewrite_addr.h"
#include "smtp_path.h"
#include "smtpd.h"
#include "smtpd_check.h"

#define SMTPD_CHECK_MAX_DEPTH 100        /* restriction classes in classes */

typedef int (*SMTPD_CHECK_FN) (SMTPD_CHECK_CTX *ctx, const char *arg, BUF *reply);

typedef struct SMTPD_RESTRICTION {
    const char *name;
    SMTPD_CHECK_FN fn;
    int     takes_arg;                  /* the next list item is its argument */
} SMTPD_RESTRICTION;


static CIDR_LIST *smtpd_mynetworks;
static STRV *smtpd_lists[SMTPD_CHECK_LIST_COUNT];
static STRV *smtpd_classes;
static MAPS *smtpd_local_rcpt_maps;
static MAPS *smtpd_relay_rcpt_maps;

static const PARAM_ID smtpd_list_params[SMTPD_CHECK_LIST_COUNT] = {
    P_SMTPD_CLIENT_RESTRICTIONS, P_SMTPD_HELO_RESTRICTIONS,
    P_SMTPD_SENDER_RESTRICTIONS, P_SMTPD_RELAY_RESTRICTIONS,
    P_SMTPD_RECIPIENT_RESTRICTIONS, P_SMTPD_DATA_RESTRICTIONS,
};

/*
 * smtpd_check_reply - "code dsn text"; returns SMTPD_CHECK_REJECT. The
 * DSN class follows the reply code, as Postfix makes it (a 4xx reply
 * with a 5.x.x DSN from a table becomes 4.x.x).
 */
int     smtpd_check_reply(BUF *reply, int code, const char *dsn, const char *fmt,...)
{
    va_list ap;

    buf_reset(reply);
    buf_printf(reply, "%d %c%s ", code, code / 100 == 4 ? '4' : '5', dsn + 1);
    va_start(ap, fmt);
    buf_vprintf(reply, fmt, ap);
    va_end(ap);
    return (SMTPD_CHECK_REJECT);
}

int     smtpd_check_tempfail(BUF *reply, const char *what)
{
    return (smtpd_check_reply(reply, 451, "4.3.0", "<%s>: Temporary lookup failure", what));
}

/* smtpd_check_subject - what a plain reject names, and how. */

static int smtpd_check_reject_as(SMTPD_CHECK_CTX *ctx, BUF *reply, int code,
                                 const char *dsn, const char *text)
{
    SMTPD_SESSION *s = ctx->session;

    switch (ctx->list) {
    case SMTPD_CHECK_LIST_HELO:
        return (smtpd_check_reply(reply, code, dsn, "<%s>: Helo command rejected: %s",
                                  s->helo ? s->helo : "", text));
    case SMTPD_CHECK_LIST_SENDER:
        return (smtpd_check_reply(reply, code, dsn, "<%s>: Sender address rejected: %s",
                                  s->sender ? s->sender : "", text));
    case SMTPD_CHECK_LIST_RELAY:
    case SMTPD_CHECK_LIST_RECIPIENT:
        return (smtpd_check_reply(reply, code, dsn, "<%s>: Recipient address rejected: %s",
                                  ctx->rcpt ? ctx->rcpt : "", text));
    case SMTPD_CHECK_LIST_DATA:
        return (smtpd_check_reply(reply, code, dsn, "<DATA>: Data command rejected: %s", text));
    default:
        return (smtpd_check_reply(reply, code, dsn, "<%s[%s]>: Client host rejected: %s",
                                  s->name, s->addr, text));
    }
}

static int smtpd_check_permit(SMTPD_CHECK_CTX *ctx, const char *arg, BUF *reply)
{
    (void) ctx;
    (void) arg;
    (void) reply;
    return (SMTPD_CHECK_OK);
}

static int smtpd_check_reject(SMTPD_CHECK_CTX *ctx, const char *arg, BUF *reply)
{
    (void) arg;
    return (smtpd_check_reject_as(ctx, reply, (int) config_int(P_REJECT_CODE), "5.7.1",
                                  "Access denied"));
}

static int smtpd_check_defer(SMTPD_CHECK_CTX *ctx, const char *arg, BUF *reply)
{
    (void) arg;
    return (smtpd_check_reject_as(ctx, reply, (int) config_int(P_DEFER_CODE), "4.7.1",
                                  "Try again later"));
}

static int smtpd_check_mynetworks(SMTPD_CHECK_CTX *ctx, const char *arg, BUF *reply)
{
    (void) arg;
    (void) reply;
    return (cidr_list_match(smtpd_mynetworks, ctx->session->addr) == 1 ?
            SMTPD_CHECK_OK : SMTPD_CHECK_DUNNO);
}

/* No SASL yet: nobody is authenticated. */

static int smtpd_check_sasl(SMTPD_CHECK_CTX *ctx, const char *arg, BUF *reply)
{
    (void) ctx;
    (void) arg;
    (void) reply;
    return (SMTPD_CHECK_DUNNO);
}

/*
 * smtpd_check_routed_address - where an address of a local domain would
 * really go, as Postfix's address resolver sees it: a quoted
 * "user@host" local part (resolve_dequoted_address), "host!user"
 * (swap_bangpath) and "user%host" (allow_percent_hack) all become
 * user@host. The result is that address (allocated), or NULL when the
 * local part routes nowhere else.
 */
static char *smtpd_check_routed_address(const char *local, size_t len)
{
    const char *end = local + len;
    const char *cp;
    BUF    *addr;
    char   *result;

    if (len >= 2 && local[0] == '"' && end[-1] == '"') {
        local++;
        end--;
    }
    addr = buf_new(len + 2);
    for (cp = end; cp > local && cp[-1] != '@' && cp[-1] != '%'; cp--)
         /* void */ ;
    if (cp > local + 1 && cp < end) {
        buf_append(addr, local, (size_t) (cp - 1 - local));
        buf_putc(addr, '@');
        buf_append(addr, cp, (size_t) (end - cp));
    } else if ((cp = memchr(local, '!', (size_t) (end - local))) != 0
               && cp > local && cp + 1 < end) {
        buf_append(addr, cp + 1, (size_t) (end - cp - 1));
        buf_putc(addr, '@');
        buf_append(addr, local, (size_t) (cp - local));
    }
    result = addr->len ? mem_strdup(addr->data) : 0;
    buf_free(&addr);
    return (result);
}

/*
 * smtpd_check_auth_destination - 1 when the recipient's domain is ours
 * or one we relay to, 0 when not, -1 when that cannot be known now. An
 * address of a local domain whose local part routes elsewhere
 * (user%host@local, host!user@local, "user@host"@local) is judged by
 * where it routes, so that it cannot be used to relay.
 */
static int smtpd_check_auth_destination(const char *rcpt)
{
    const char *domain;
    char   *routed;
    int     local;

    /* Postfix treats an address without domain as local. */
    if (smtp_path_domain(rcpt, &domain) < 0 || domain == 0 || *domain == 0)
        return (1);
    if ((local = resolve_local_domain(domain)) == 0)
        local = resolve_virtual_alias_domain(domain);
    if (local < 0)
        return (-1);
    if (local) {
        if ((routed = smtpd_check_routed_address(rcpt, (size_t) (domain - 1 - rcpt))) != 0) {
            local = smtpd_check_auth_destination(routed);
            mem_free(routed);
        }
        return (local);
    }
    return (resolve_relay_domain(domain));
}

static int smtpd_check_unauth_destination(SMTPD_CHECK_CTX *ctx, BUF *reply,
                                          int code, const char *dsn)
{
    int     ok;

    if (ctx->rcpt == 0)
        return (SMTPD_CHECK_DUNNO);
    if ((ok = smtpd_check_auth_destination(ctx->rcpt)) < 0)
        return (smtpd_check_tempfail(reply, ctx->rcpt));
    if (ok)
        return (SMTPD_CHECK_DUNNO);
    return (smtpd_check_reply(reply, code, dsn, "<%s>: Relay access denied", ctx->rcpt));
}

static int smtpd_check_reject_unauth(SMTPD_CHECK_CTX *ctx, const char *arg, BUF *reply)
{
    (void) arg;
    return (smtpd_check_unauth_destination(ctx, reply,
                                  (int) config_int(P_RELAY_DOMAINS_REJECT_CODE), "5.7.1"));
}

static int smtpd_check_defer_unauth(SMTPD_CHECK_CTX *ctx, const char *arg, BUF *reply)
{
    (void) arg;
    return (smtpd_check_unauth_destination(ctx, reply, 454, "4.7.1"));
}

static int smtpd_check_permit_auth(SMTPD_CHECK_CTX *ctx, const char *arg, BUF *reply)
{
    (void) arg;
    (void) reply;
    return (ctx->rcpt && smtpd_check_auth_destination(ctx->rcpt) == 1 ?
            SMTPD_CHECK_OK : SMTPD_CHECK_DUNNO);
}

/*
 * smtpd_check_hostname_valid - RFC 1035 labels (letters, digits,
 * hyphens, underscores as Postfix tolerates; no leading or trailing
 * hyphen), at most 255 bytes, not all-numeric; or an address literal.
 */
static int smtpd_check_hostname_valid(const char *name)
{
    size_t  label = 0;
    int     alpha = 0;
    const char *cp;

    if (*name == '[')
        return (name[strlen(name) - 1] == ']');
    if (*name == 0 || strlen(name) > 255)
        return (0);
    for (cp = name; *cp; cp++) {
        if (*cp == '.') {
            if (label == 0 || cp[-1] == '-')
                return (0);
            label = 0;
        } else if (isalnum((unsigned char) *cp) || *cp == '_' || *cp == '-') {
            if (label == 0 && *cp == '-')
                return (0);
            if (++label > 63)
                return (0);
            alpha |= !isdigit((unsigned char) *cp);
        } else {
            return (0);
        }
    }
    return (alpha && cp[-1] != '-');
}

/* smtpd_check_fqdn - a hostname with a dot in it, or an address literal. */

static int smtpd_check_fqdn(const char *name)
{
    return (*name == '[' || (strchr(name, '.') != 0 && name[strlen(name) - 1] != '.'));
}

static int smtpd_check_invalid_helo(SMTPD_CHECK_CTX *ctx, const char *arg, BUF *reply)
{
    const char *helo = ctx->session->helo;

    (void) arg;
    if (helo == 0 || smtpd_check_hostname_valid(helo))
        return (SMTPD_CHECK_DUNNO);
    return (smtpd_check_reply(reply, (int) config_int(P_INVALID_HOSTNAME_REJECT_CODE), "5.5.2",
                              "<%s>: Helo command rejected: Invalid name", helo));
}

static int smtpd_check_non_fqdn_helo(SMTPD_CHECK_CTX *ctx, const char *arg, BUF *reply)
{
    const char *helo = ctx->session->helo;

    (void) arg;
    if (helo == 0 || smtpd_check_fqdn(helo))
        return (SMTPD_CHECK_DUNNO);
    return (smtpd_check_reply(reply, (int) config_int(P_NON_FQDN_REJECT_CODE), "5.5.2",
                              "<%s>: Helo command rejected: need fully-qualified hostname",
                              helo));
}

/* smtpd_check_non_fqdn_addr - user@host.domain, or the null sender. */

static int smtpd_check_non_fqdn_addr(const char *addr, const char *what, BUF *reply)
{
    const char *domain;

    if (addr == 0 || *addr == 0)
        return (SMTPD_CHECK_DUNNO);
    if (smtp_path_domain(addr, &domain) == 0 && domain && *domain
        && smtpd_check_fqdn(domain))
        return (SMTPD_CHECK_DUNNO);
    return (smtpd_check_reply(reply, (int) config_int(P_NON_FQDN_REJECT_CODE), "5.5.2",
                              "<%s>: %s rejected: need fully-qualified address", addr, what));
}

static int smtpd_check_non_fqdn_sender(SMTPD_CHECK_CTX *ctx, const char *arg, BUF *reply)
{
    (void) arg;
    return (smtpd_check_non_fqdn_addr(ctx->session->sender, "Sender address", reply));
}

static int smtpd_check_non_fqdn_rcpt(SMTPD_CHECK_CTX *ctx, const char *arg, BUF *reply)
{
    (void) arg;
    return (smtpd_check_non_fqdn_addr(ctx->rcpt, "Recipient address", reply));
}

/*
 * smtpd_check_unlisted - an address of a local domain that
 * local_recipient_maps does not know, or of a relay domain that a
 * non-empty relay_recipient_maps does not know, is rejected.
 */
static int smtpd_check_unlisted(const char *addr, const char *what, BUF *reply)
{
    const char *domain = 0;
    MAPS   *maps;
    const char *table;
    int     local, code;

    if (addr == 0 || *addr == 0)
        return (SMTPD_CHECK_DUNNO);
    if (smtp_path_domain(addr, &domain) < 0 || domain == 0 || *domain == 0)
        local = 1;
    else if ((local = resolve_local_domain(domain)) < 0)
        return (smtpd_check_tempfail(reply, addr));
    if (local) {
        maps = smtpd_local_rcpt_maps;
        table = "local recipient table";
        code = (int) config_int(P_UNKNOWN_LOCAL_RECIPIENT_REJECT_CODE);
    } else {
        int     relay = resolve_relay_domain(domain);

        if (relay < 0)
            return (smtpd_check_tempfail(reply, addr));
        if (!relay)
            return (SMTPD_CHECK_DUNNO);
        maps = smtpd_relay_rcpt_maps;
        table = "relay recipient table";
        code = (int) config_int(P_UNKNOWN_RELAY_RECIPIENT_REJECT_CODE);
    }
    if (maps == 0)                      /* an empty list: no check */
        return (SMTPD_CHECK_DUNNO);
    if (mail_addr_find(maps, addr, 0) != 0)
        return (SMTPD_CHECK_DUNNO);
    if (maps_error(maps))
        return (smtpd_check_tempfail(reply, addr));
    return (smtpd_check_reply(reply, code, "5.1.1", "<%s>: %s rejected: User unknown in %s",
                              addr, what, table));
}

static int smtpd_check_unlisted_rcpt(SMTPD_CHECK_CTX *ctx, const char *arg, BUF *reply)
{
    (void) arg;
    return (smtpd_check_unlisted(ctx->rcpt, "Recipient address", reply));
}

static int smtpd_check_unlisted_sender(SMTPD_CHECK_CTX *ctx, const char *arg, BUF *reply)
{
    (void) arg;
    return (smtpd_check_unlisted(ctx->session->sender, "Sender address", reply));
}

/*
 * reject_unauth_pipelining: commands sent ahead of our replies where
 * that is not allowed: after DATA always (RFC 2920 3.1: DATA ends a
 * group), elsewhere when the client did not say EHLO.
 */
static int smtpd_check_unauth_pipelining(SMTPD_CHECK_CTX *ctx, const char *arg, BUF *reply)
{
    SMTPD_SESSION *s = ctx->session;
    int     ahead = s->in->len > s->in_off;

    (void) arg;
    if (!ahead || (strcmp(ctx->stage, "DATA") != 0 && s->protocol
                   && strcmp(s->protocol, "ESMTP") == 0))
        return (SMTPD_CHECK_DUNNO);
    return (smtpd_check_reply(reply, 503, "5.5.0",
                              "<%s>: %s command rejected: Improper use of SMTP command pipelining",
                              strcmp(ctx->stage, "DATA") == 0 ? "DATA" : ctx->rcpt ? ctx->rcpt : "",
                              strcmp(ctx->stage, "DATA") == 0 ? "Data" : "Client host"));
}

static const SMTPD_RESTRICTION smtpd_restrictions[] = {
    {"permit", smtpd_check_permit, 0},
    {"reject", smtpd_check_reject, 0},
    {"defer", smtpd_check_defer, 0},
    {"permit_mynetworks", smtpd_check_mynetworks, 0},
    {"permit_sasl_authenticated", smtpd_check_sasl, 0},
    {"reject_unauth_destination", smtpd_check_reject_unauth, 0},
    {"defer_unauth_destination", smtpd_check_defer_unauth, 0},
    {"permit_auth_destination", smtpd_check_permit_auth, 0},
    {"reject_unauth_pipelining", smtpd_check_unauth_pipelining, 0},
    {"reject_invalid_helo_hostname", smtpd_check_invalid_helo, 0},
    {"reject_invalid_hostname", smtpd_check_invalid_helo, 0},
    {"reject_non_fqdn_helo_hostname", smtpd_check_non_fqdn_helo, 0},
    {"reject_non_fqdn_hostname", smtpd_check_non_fqdn_helo, 0},
    {"reject_non_fqdn_sender", smtpd_check_non_fqdn_sender, 0},
    {"reject_non_fqdn_recipient", smtpd_check_non_fqdn_rcpt, 0},
    {"reject_unlisted_recipient", smtpd_check_unlisted_rcpt, 0},
    {"check_recipient_maps", smtpd_check_unlisted_rcpt, 0},
    {"reject_unlisted_sender", smtpd_check_unlisted_sender, 0},
    {"reject_unknown_sender_domain", smtpd_check_unknown_sender_domain, 0},
    {"reject_unknown_recipient_domain", smtpd_check_unknown_rcpt_domain, 0},
    {"reject_rbl_client", smtpd_check_rbl_client, 1},
    {"reject_rhsbl_sender", smtpd_check_rhsbl_sender, 1},
    {"check_client_access", smtpd_check_client_access, 1},
    {"check_helo_access", smtpd_check_helo_access, 1},
    {"check_sender_access", smtpd_check_sender_access, 1},
    {"check_recipient_access", smtpd_check_recipient_access, 1},
    {0},
};

static const SMTPD_RESTRICTION *smtpd_check_find(const char *name)
{
    for (const SMTPD_RESTRICTION *r = smtpd_restrictions; r->name; r++)
        if (strcasecmp(r->name, name) == 0)
            return (r);
    return (0);
}

static int smtpd_check_config_error(BUF *reply)
{
    buf_set(reply, "451 4.3.5 Server configuration error");
    return (SMTPD_CHECK_REJECT);
}

static int smtpd_check_list(SMTPD_CHECK_CTX *ctx, const STRV *list, BUF *reply);

/* smtpd_check_class - a restriction class by name; not a class: error. */

int     smtpd_check_class(SMTPD_CHECK_CTX *ctx, const char *name, BUF *reply)
{
    STRV   *list;
    BUF    *expanded;
    const char *value;
    int     result;

    if (strv_find(smtpd_classes, name) < 0 || (value = config_value(name)) == 0) {
        msg_warn("unknown smtpd restriction: \"%s\"", name);
        return (smtpd_check_config_error(reply));
    }
    if (ctx->depth >= SMTPD_CHECK_MAX_DEPTH) {
        msg_warn("restriction class nesting too deep at \"%s\"", name);
        return (smtpd_check_config_error(reply));
    }
    expanded = buf_new(strlen(value) + 1);
    (void) config_expand(value, expanded);
    list = strv_split(expanded->data, ", \t\r\n");
    ctx->depth++;
    result = smtpd_check_list(ctx, list, reply);
    ctx->depth--;
    strv_free(&list);
    buf_free(&expanded);
    return (result);
}

/* smtpd_check_log - a reject_warning line for warn_if_reject. */

static void smtpd_check_log(SMTPD_CHECK_CTX *ctx, const char *action, const char *text)
{
    SMTPD_SESSION *s = ctx->session;

    mail_log_restriction(s->queue_id, action, ctx->stage, s->name, s->addr, text,
                         s->sender, ctx->rcpt, s->protocol ? s->protocol : "SMTP", s->helo);
}

/* smtpd_check_list - one list: OK, DUNNO (fell off the end) or REJECT. */

static int smtpd_check_list(SMTPD_CHECK_CTX *ctx, const STRV *list, BUF *reply)
{
    int     warn_only = 0;

    for (size_t i = 0; i < list->argc; i++) {
        const char *name = list->argv[i];
        const SMTPD_RESTRICTION *r;
        const char *arg = 0;
        int     result;

        if (strcasecmp(name, "warn_if_reject") == 0) {
            warn_only = 1;
            continue;
        }
        if ((r = smtpd_check_find(name)) != 0 && r->takes_arg) {
            if (i + 1 >= list->argc) {
                msg_warn("restriction \"%s\" needs an argument", name);
                return (smtpd_check_config_error(reply));
            }
            arg = list->argv[++i];
        }
        result = r ? r->fn(ctx, arg, reply) : smtpd_check_class(ctx, name, reply);
        if (warn_only && result == SMTPD_CHECK_REJECT) {
            smtpd_check_log(ctx, "reject_warning", reply->data);
            buf_reset(reply);
            result = SMTPD_CHECK_DUNNO;
        }
        warn_only = 0;
        if (result != SMTPD_CHECK_DUNNO)
            return (result);
    }
    return (SMTPD_CHECK_DUNNO);
}

/*
 * smtpd_check_stage - with smtpd_delay_reject = no, one list at its own
 * stage: client at CONNECT, helo at HELO, sender at MAIL. 0 or -1.
 */
static int smtpd_check_stage(SMTPD_SESSION *s, const char *stage, int list, BUF *reply)
{
    SMTPD_CHECK_CTX ctx;

    ctx.session = s;
    ctx.stage = stage;
    ctx.rcpt = 0;
    ctx.depth = 0;
    ctx.list = list;
    buf_reset(reply);
    if (config_bool(P_SMTPD_DELAY_REJECT))
        return (0);
    return (smtpd_check_list(&ctx, smtpd_lists[list], reply) == SMTPD_CHECK_REJECT ? -1 : 0);
}

int     smtpd_check_connect(SMTPD_SESSION *s, BUF *reply)
{
    return (smtpd_check_stage(s, "CONNECT", SMTPD_CHECK_LIST_CLIENT, reply));
}

int     smtpd_check_helo(SMTPD_SESSION *s, BUF *reply)
{
    return (smtpd_check_stage(s, "HELO", SMTPD_CHECK_LIST_HELO, reply));
}

int     smtpd_check_mail(SMTPD_SESSION *s, BUF *reply)
{
    return (smtpd_check_stage(s, "MAIL", SMTPD_CHECK_LIST_SENDER, reply));
}

/*
 * smtpd_check_rcpt - 0: accept the recipient; else reply says why not.
 * The client, helo and sender lists come first when smtpd_delay_reject
 * put them off until now.
 */
int     smtpd_check_rcpt(SMTPD_SESSION *s, const char *rcpt, BUF *reply)
{
    SMTPD_CHECK_CTX ctx;
    int     first = config_bool(P_SMTPD_DELAY_REJECT) ? SMTPD_CHECK_LIST_CLIENT : SMTPD_CHECK_LIST_RELAY;

    ctx.session = s;
    ctx.stage = "RCPT";
    ctx.rcpt = rcpt;
    ctx.depth = 0;
    buf_reset(reply);
    for (int i = first; i <= SMTPD_CHECK_LIST_RECIPIENT; i++) {
        ctx.list = i;
        if (smtpd_check_list(&ctx, smtpd_lists[i], reply) == SMTPD_CHECK_REJECT)
            return (-1);
    }
    if (config_bool(P_SMTPD_REJECT_UNLISTED_SENDER)
        && smtpd_check_unlisted(s->sender, "Sender address", reply) == SMTPD_CHECK_REJECT)
        return (-1);
    if (config_bool(P_SMTPD_REJECT_UNLISTED_RECIPIENT)
        && smtpd_check_unlisted(rcpt, "Recipient address", reply) == SMTPD_CHECK_REJECT)
        return (-1);
    switch (rewrite_addr_virtual_unknown(rcpt)) {
    case -1:
        smtpd_check_tempfail(reply, rcpt);
        return (-1);
    case 1:
        smtpd_check_reply(reply, (int) config_int(P_UNKNOWN_VIRTUAL_ALIAS_REJECT_CODE), "5.1.1",
                          "<%s>: Recipient address rejected: User unknown in virtual "
                          "alias table", rcpt);
        return (-1);
    }
    return (0);
}

/* smtpd_check_data - smtpd_data_restrictions at DATA. */

int     smtpd_check_data(SMTPD_SESSION *s, BUF *reply)
{
    SMTPD_CHECK_CTX ctx;

    ctx.session = s;
    ctx.stage = "DATA";
    ctx.rcpt = 0;
    ctx.depth = 0;
    ctx.list = SMTPD_CHECK_LIST_DATA;
    buf_reset(reply);
    return (smtpd_check_list(&ctx, smtpd_lists[SMTPD_CHECK_LIST_DATA], reply)
            == SMTPD_CHECK_REJECT ? -1 : 0);
}

/* smtpd_check_recipient_maps - a list, or NULL when it is empty. */

static MAPS *smtpd_check_recipient_maps(const char *title, PARAM_ID id)
{
    const char *tables = config_str(id);

    return (*tables ? smtpd_check_maps(title, tables) : 0);
}

/*
 * smtpd_check_init - parse the lists once. Like Postfix, refuse to run
 * as an open relay: one of the two RCPT lists must be able to say no.
 */
void    smtpd_check_init(void)
{
    static const char *stoppers[] = {"reject_unauth_destination",
        "defer_unauth_destination", "reject", "defer", 0};
    STRV   *networks = config_list(P_MYNETWORKS);
    BUF    *why = buf_new(64);
    int     safe = 0;

    smtpd_mynetworks = cidr_list_new();
    for (size_t i = 0; i < networks->argc; i++) {
        buf_reset(why);
        if (cidr_list_add(smtpd_mynetworks, networks->argv[i], why) < 0)
            msg_warn("mynetworks: ignoring \"%s\": %s", networks->argv[i], why->data);
    }
    strv_free(&networks);
    buf_free(&why);
    smtpd_classes = config_list(P_SMTPD_RESTRICTION_CLASSES);
    for (int i = 0; i < SMTPD_CHECK_LIST_COUNT; i++) {
        smtpd_lists[i] = config_list(smtpd_list_params[i]);
        for (size_t j = 0; (i == SMTPD_CHECK_LIST_RELAY || i == SMTPD_CHECK_LIST_RECIPIENT)
             && j < smtpd_lists[i]->argc; j++)
            for (const char **st = stoppers; *st; st++)
                if (strcasecmp(*st, smtpd_lists[i]->argv[j]) == 0)
                    safe = 1;
    }
    if (!safe)
        msg_fatal("in parameter smtpd_relay_restrictions or smtpd_recipient_restrictions, "
                  "specify at least one working instance of: reject_unauth_destination, "
                  "defer_unauth_destination, reject or defer");
    smtpd_local_rcpt_maps = smtpd_check_recipient_maps("local_recipient_maps",
                                                       P_LOCAL_RECIPIENT_MAPS);
    smtpd_relay_rcpt_maps = smtpd_check_recipient_maps("relay_recipient_maps",
                                                       P_RELAY_RECIPIENT_MAPS);
}
