/* NAME
 *	smtpd_check_dns 3
 * SUMMARY
 *	restrictions that ask the DNS
 * DESCRIPTION
 *	reject_rbl_client DOMAIN[=FILTER]: the client's IPv4 address,
 *	octets reversed (IPv6: nibbles reversed), under DOMAIN has an A
 *	record (one equal to FILTER, when given: one IPv4 address such as
 *	127.0.0.2; Postfix's [2;3] pattern lists are not supported). The reply
 *	is default_rbl_reply with $rbl_code (maps_rbl_reject_code),
 *	$rbl_class ("Client host"), $rbl_what (the address), $rbl_domain
 *	and $rbl_reason (empty: TXT records are not read):
 *	"554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked
 *	using zen.example". A lookup that fails is ignored, as in Postfix.
 *
 *	reject_rhsbl_sender DOMAIN[=FILTER]: the same for the sender's
 *	domain ("Sender address [example.com] blocked using ...").
 *
 *	reject_unknown_sender_domain, reject_unknown_recipient_domain: the
 *	domain has no MX, A or AAAA record: unknown_address_reject_code
 *	(450) "4.1.8 <a@b>: Sender address rejected: Domain not found"
 *	(4.1.2 and "Recipient address" for recipients); a null MX (RFC 7505)
 *	gets 550 5.7.27 "Domain X does not accept mail (nullMX)"; a DNS
 *	failure gets 450 with the same text, so the client retries.
 *
 *	The lookups run on smtpd's event loop, one at a time: a slow name
 *	server delays every session of the process for as long as the
 *	resolver's timeout (resolv.conf "options timeout:N attempts:N").
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "dns.h"
#include "expand.h"
#include "mem.h"
#include "smtp_path.h"
#include "smtpd_check.h"

typedef struct SMTPD_RBL_VARS {
    char    code[8];
    const char *class;
    const char *what;
    const char *domain;
} SMTPD_RBL_VARS;

static const char *smtpd_check_rbl_var(const char *name, void *context)
{
    SMTPD_RBL_VARS *v = context;

    if (strcmp(name, "rbl_code") == 0)
        return (v->code);
    if (strcmp(name, "rbl_class") == 0)
        return (v->class);
    if (strcmp(name, "rbl_what") == 0)
        return (v->what);
    if (strcmp(name, "rbl_domain") == 0)
        return (v->domain);
    if (strcmp(name, "rbl_reason") == 0 || strcmp(name, "rbl_txt") == 0)
        return ("");
    return (config_value(name));
}

/*
 * smtpd_check_rbl_listed - 1 when name has an A record (equal to filter,
 * when not NULL), else 0 (not listed, or the lookup failed).
 */
static int smtpd_check_rbl_listed(const char *name, const char *filter)
{
    DNS_LIST list = {0};
    BUF    *why = buf_new(64);
    int     listed = 0;
    struct in_addr want;

    if (filter && inet_pton(AF_INET, filter, &want) != 1)
        filter = 0;
    if (dns_lookup(name, DNS_TYPE_A, &list, 0, why) == DNS_OK)
        for (size_t i = 0; i < list.count && !listed; i++)
            listed = filter == 0 || (list.rr[i].addr_len == 4
                                     && memcmp(list.rr[i].addr, &want, 4) == 0);
    dns_list_free(&list);
    buf_free(&why);
    return (listed);
}

/* smtpd_check_rbl_reply - default_rbl_reply, expanded, with a DSN. */

static int smtpd_check_rbl_reply(BUF *reply, const char *class, const char *what,
                                 const char *domain)
{
    SMTPD_RBL_VARS v;
    const char *template = config_raw("default_rbl_reply");
    BUF    *text = buf_new(128);
    int     code = (int) config_int(P_MAPS_RBL_REJECT_CODE);
    const char *rest;

    if (template == 0)
        template = config_default("default_rbl_reply");
    snprintf(v.code, sizeof(v.code), "%d", code);
    v.class = class;
    v.what = what;
    v.domain = domain;
    (void) expand_text(template, smtpd_check_rbl_var, 0, &v, text, 0);
    /* The template starts with the code; the DSN goes after it. */
    rest = text->data + strspn(text->data, "0123456789");
    rest += strspn(rest, " ");
    smtpd_check_reply(reply, code, "5.7.1", "%s", rest);
    buf_free(&text);
    return (SMTPD_CHECK_REJECT);
}

/* smtpd_check_rbl_split - "domain=filter" into domain and filter. */

static char *smtpd_check_rbl_split(const char *arg, const char **filter_r)
{
    char   *domain = mem_strdup(arg);
    char   *eq = strchr(domain, '=');

    *filter_r = 0;
    if (eq) {
        *eq = 0;
        *filter_r = eq + 1;
    }
    return (domain);
}

int     smtpd_check_rbl_client(SMTPD_CHECK_CTX *ctx, const char *arg, BUF *reply)
{
    const char *addr = ctx->session->addr;
    const char *filter;
    char   *domain = smtpd_check_rbl_split(arg, &filter);
    unsigned char bytes[16];
    BUF    *name = buf_new(128);
    int     result = SMTPD_CHECK_DUNNO;

    if (inet_pton(AF_INET, addr, bytes) == 1) {
        buf_printf(name, "%u.%u.%u.%u.%s", bytes[3], bytes[2], bytes[1], bytes[0], domain);
    } else if (inet_pton(AF_INET6, addr, bytes) == 1) {
        for (int i = 15; i >= 0; i--)
            buf_printf(name, "%x.%x.", bytes[i] & 0xf, bytes[i] >> 4);
        buf_puts(name, domain);
    }
    if (name->len > 0 && smtpd_check_rbl_listed(name->data, filter))
        result = smtpd_check_rbl_reply(reply, "Client host", addr, domain);
    buf_free(&name);
    mem_free(domain);
    return (result);
}

int     smtpd_check_rhsbl_sender(SMTPD_CHECK_CTX *ctx, const char *arg, BUF *reply)
{
    const char *sender_domain;
    const char *filter;
    char   *domain;
    BUF    *name;
    int     result = SMTPD_CHECK_DUNNO;

    if (ctx->session->sender == 0
        || smtp_path_domain(ctx->session->sender, &sender_domain) < 0
        || sender_domain == 0 || *sender_domain == 0 || *sender_domain == '[')
        return (SMTPD_CHECK_DUNNO);
    domain = smtpd_check_rbl_split(arg, &filter);
    name = buf_new(128);
    buf_printf(name, "%s.%s", sender_domain, domain);
    if (smtpd_check_rbl_listed(name->data, filter))
        result = smtpd_check_rbl_reply(reply, "Sender address", sender_domain, domain);
    buf_free(&name);
    mem_free(domain);
    return (result);
}

/* smtpd_check_domain_known - DNS_OK: has MX/A/AAAA; else why not. */

static int smtpd_check_domain_known(const char *domain, int *null_mx)
{
    static const int types[] = {DNS_TYPE_MX, DNS_TYPE_A, DNS_TYPE_AAAA};
    DNS_LIST list = {0};
    BUF    *why = buf_new(64);
    int     status = DNS_NOTFOUND;

    *null_mx = 0;
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        status = dns_lookup(domain, types[i], &list, 0, why);
        if (status == DNS_OK && types[i] == DNS_TYPE_MX && list.count == 1
            && *list.rr[0].host == 0)
            *null_mx = 1;
        dns_list_free(&list);
        if (status == DNS_OK || status == DNS_RETRY || status == DNS_NOTFOUND)
            break;                      /* NXDOMAIN: no other type either */
    }
    buf_free(&why);
    return (status);
}

static int smtpd_check_unknown_domain(const char *addr, const char *what,
                                      const char *dsn, BUF *reply)
{
    const char *domain;
    int     null_mx;
    int     status;

    if (addr == 0 || *addr == 0 || smtp_path_domain(addr, &domain) < 0
        || domain == 0 || *domain == 0 || *domain == '[')
        return (SMTPD_CHECK_DUNNO);
    status = smtpd_check_domain_known(domain, &null_mx);
    if (status == DNS_OK && !null_mx)
        return (SMTPD_CHECK_DUNNO);
    if (null_mx)
        return (smtpd_check_reply(reply, 550, "5.7.27", "<%s>: %s rejected: "
                                  "Domain %s does not accept mail (nullMX)",
                                  addr, what, domain));
    return (smtpd_check_reply(reply, status == DNS_RETRY ? 450 :
                              (int) config_int(P_UNKNOWN_ADDRESS_REJECT_CODE), dsn,
                              "<%s>: %s rejected: Domain not found", addr, what));
}

int     smtpd_check_unknown_sender_domain(SMTPD_CHECK_CTX *ctx, const char *arg, BUF *reply)
{
    (void) arg;
    return (smtpd_check_unknown_domain(ctx->session->sender, "Sender address", "4.1.8",
                                       reply));
}

int     smtpd_check_unknown_rcpt_domain(SMTPD_CHECK_CTX *ctx, const char *arg, BUF *reply)
{
    (void) arg;
    return (smtpd_check_unknown_domain(ctx->rcpt, "Recipient address", "4.1.2", reply));
}
