/* NAME
 *	smtpd_check 3
 * SUMMARY
 *	the smtpd restriction lists
 * DESCRIPTION
 *	A restriction list (smtpd_client_restrictions, ..._helo_, ..._sender_,
 *	..._relay_, ..._recipient_) is evaluated left to right; each
 *	restriction answers DUNNO (go on), OK (this list permits: go on to
 *	the next list) or REJECT (with a reply: stop). The restrictions are
 *	a table of {name, handler}, so the later access-map restrictions
 *	are new rows, not new control flow.
 *
 *	With smtpd_delay_reject = yes (the default) the client, helo and
 *	sender lists are evaluated at RCPT TO, before the relay and
 *	recipient lists, as Postfix does. (smtpd_delay_reject = no is
 *	treated the same for now.)
 *
 *	A restriction name that is not known is a configuration error: it
 *	is logged, and the client gets "451 4.3.5 Server configuration
 *	error" rather than a permit it should not have had.
 */
#include <string.h>
#include <strings.h>

#include "cidr.h"
#include "config.h"
#include "mem.h"
#include "msg.h"
#include "resolve_local.h"
#include "smtp_path.h"
#include "smtpd.h"

#define SMTPD_CHECK_DUNNO   0
#define SMTPD_CHECK_OK      1
#define SMTPD_CHECK_REJECT  2

typedef struct SMTPD_CHECK_CTX {
    SMTPD_SESSION *session;
    const char *rcpt;                   /* NULL before RCPT */
} SMTPD_CHECK_CTX;

typedef int (*SMTPD_CHECK_FN) (SMTPD_CHECK_CTX *ctx, BUF *reply);

typedef struct SMTPD_RESTRICTION {
    const char *name;
    SMTPD_CHECK_FN fn;
} SMTPD_RESTRICTION;

static CIDR_LIST *smtpd_mynetworks;
static STRV *smtpd_lists[5];

static const PARAM_ID smtpd_list_params[5] = {
    P_SMTPD_CLIENT_RESTRICTIONS, P_SMTPD_HELO_RESTRICTIONS,
    P_SMTPD_SENDER_RESTRICTIONS, P_SMTPD_RELAY_RESTRICTIONS,
    P_SMTPD_RECIPIENT_RESTRICTIONS,
};

static int smtpd_check_permit(SMTPD_CHECK_CTX *ctx, BUF *reply)
{
    (void) ctx;
    (void) reply;
    return (SMTPD_CHECK_OK);
}

static int smtpd_check_reject(SMTPD_CHECK_CTX *ctx, BUF *reply)
{
    buf_printf(reply, "554 5.7.1 <%s>: %s rejected: Access denied",
               ctx->rcpt ? ctx->rcpt : ctx->session->addr,
               ctx->rcpt ? "Recipient address" : "Client host");
    return (SMTPD_CHECK_REJECT);
}

static int smtpd_check_defer(SMTPD_CHECK_CTX *ctx, BUF *reply)
{
    buf_printf(reply, "450 4.7.1 <%s>: %s rejected: Try again later",
               ctx->rcpt ? ctx->rcpt : ctx->session->addr,
               ctx->rcpt ? "Recipient address" : "Client host");
    return (SMTPD_CHECK_REJECT);
}

static int smtpd_check_mynetworks(SMTPD_CHECK_CTX *ctx, BUF *reply)
{
    (void) reply;
    return (cidr_list_match(smtpd_mynetworks, ctx->session->addr) == 1 ?
            SMTPD_CHECK_OK : SMTPD_CHECK_DUNNO);
}

/* No SASL yet: nobody is authenticated. */

static int smtpd_check_sasl(SMTPD_CHECK_CTX *ctx, BUF *reply)
{
    (void) ctx;
    (void) reply;
    return (SMTPD_CHECK_DUNNO);
}

/*
 * smtpd_check_auth_destination - 1 when the recipient's domain is ours
 * or one we relay to, 0 when not, -1 when that cannot be known now.
 */
static int smtpd_check_auth_destination(const char *rcpt)
{
    const char *domain;
    int     local;

    /* Postfix treats an address without domain as local. */
    if (smtp_path_domain(rcpt, &domain) < 0 || domain == 0 || *domain == 0)
        return (1);
    if ((local = resolve_local_domain(domain)) != 0)
        return (local);
    return (resolve_relay_domain(domain));
}

static int smtpd_check_unauth_destination(SMTPD_CHECK_CTX *ctx, BUF *reply,
                                          int code, const char *dsn)
{
    int     ok;

    if (ctx->rcpt == 0)
        return (SMTPD_CHECK_DUNNO);
    if ((ok = smtpd_check_auth_destination(ctx->rcpt)) < 0) {
        buf_printf(reply, "451 4.3.0 <%s>: Temporary lookup failure", ctx->rcpt);
        return (SMTPD_CHECK_REJECT);
    }
    if (ok)
        return (SMTPD_CHECK_DUNNO);
    buf_printf(reply, "%d %s <%s>: Relay access denied", code, dsn, ctx->rcpt);
    return (SMTPD_CHECK_REJECT);
}

static int smtpd_check_reject_unauth(SMTPD_CHECK_CTX *ctx, BUF *reply)
{
    return (smtpd_check_unauth_destination(ctx, reply, 554, "5.7.1"));
}

static int smtpd_check_defer_unauth(SMTPD_CHECK_CTX *ctx, BUF *reply)
{
    return (smtpd_check_unauth_destination(ctx, reply, 454, "4.7.1"));
}

static int smtpd_check_permit_auth(SMTPD_CHECK_CTX *ctx, BUF *reply)
{
    (void) reply;
    return (ctx->rcpt && smtpd_check_auth_destination(ctx->rcpt) == 1 ?
            SMTPD_CHECK_OK : SMTPD_CHECK_DUNNO);
}

static const SMTPD_RESTRICTION smtpd_restrictions[] = {
    {"permit", smtpd_check_permit},
    {"reject", smtpd_check_reject},
    {"defer", smtpd_check_defer},
    {"permit_mynetworks", smtpd_check_mynetworks},
    {"permit_sasl_authenticated", smtpd_check_sasl},
    {"reject_unauth_destination", smtpd_check_reject_unauth},
    {"defer_unauth_destination", smtpd_check_defer_unauth},
    {"permit_auth_destination", smtpd_check_permit_auth},
    {0},
};

static const SMTPD_RESTRICTION *smtpd_check_find(const char *name)
{
    for (const SMTPD_RESTRICTION *r = smtpd_restrictions; r->name; r++)
        if (strcasecmp(r->name, name) == 0)
            return (r);
    return (0);
}

/* smtpd_check_list - one list: OK, DUNNO (fell off the end) or REJECT. */

static int smtpd_check_list(SMTPD_CHECK_CTX *ctx, const STRV *list, BUF *reply)
{
    for (size_t i = 0; i < list->argc; i++) {
        const SMTPD_RESTRICTION *r = smtpd_check_find(list->argv[i]);
        int     result;

        if (r == 0) {
            msg_warn("unknown smtpd restriction: \"%s\"", list->argv[i]);
            buf_set(reply, "451 4.3.5 Server configuration error");
            return (SMTPD_CHECK_REJECT);
        }
        if ((result = r->fn(ctx, reply)) != SMTPD_CHECK_DUNNO)
            return (result);
    }
    return (SMTPD_CHECK_DUNNO);
}

/* smtpd_check_rcpt - 0: accept the recipient; else reply says why not. */

int     smtpd_check_rcpt(SMTPD_SESSION *s, const char *rcpt, BUF *reply)
{
    SMTPD_CHECK_CTX ctx;

    ctx.session = s;
    ctx.rcpt = rcpt;
    buf_reset(reply);
    for (int i = 0; i < 5; i++)
        if (smtpd_check_list(&ctx, smtpd_lists[i], reply) == SMTPD_CHECK_REJECT)
            return (-1);
    return (0);
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
    for (int i = 0; i < 5; i++) {
        smtpd_lists[i] = config_list(smtpd_list_params[i]);
        for (size_t j = 0; i >= 3 && j < smtpd_lists[i]->argc; j++)
            for (const char **st = stoppers; *st; st++)
                if (strcasecmp(*st, smtpd_lists[i]->argv[j]) == 0)
                    safe = 1;
    }
    if (!safe)
        msg_fatal("in parameter smtpd_relay_restrictions or smtpd_recipient_restrictions, "
                  "specify at least one working instance of: reject_unauth_destination, "
                  "defer_unauth_destination, reject or defer");
}
