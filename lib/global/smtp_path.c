/* NAME
 *	smtp_path 3
 * SUMMARY
 *	parse MAIL FROM / RCPT TO arguments (RFC 5321 4.1.2, RFC 1870, 6152)
 * DESCRIPTION
 *	A recursive-descent scanner over the grammar of RFC 5321 4.1.2,
 *	one function per rule: each takes a pointer to where its rule
 *	starts and returns where it ends, or NULL when the text does not
 *	match. Nothing is copied until the whole argument has been
 *	checked, so an error leaves the outputs as the contract says.
 *
 *	Only ASCII classes are used (no <ctype.h>), so the locale cannot
 *	change what is accepted.
 */
#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "mem.h"
#include "smtp_path.h"
#include "strv.h"

#define SMTP_PATH_ALPHA(c)  (((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z'))
#define SMTP_PATH_DIGIT(c)  ((c) >= '0' && (c) <= '9')
#define SMTP_PATH_ALNUM(c)  (SMTP_PATH_ALPHA(c) || SMTP_PATH_DIGIT(c))
#define SMTP_PATH_SPACE(c)  ((c) == ' ' || (c) == '\t')

/*
 * smtp_path_utf8 - the length of one well-formed UTF-8 character of two
 * or more bytes at p (RFC 3629 4: no overlong forms, no surrogates,
 * nothing above U+10FFFF), or 0. RFC 6531 3.3: UTF8-non-ascii.
 */
static size_t smtp_path_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *) s;
    unsigned char lo = 0x80;
    unsigned char hi = 0xbf;
    size_t  len;

    if (p[0] >= 0xc2 && p[0] <= 0xdf)
        len = 2;
    else if (p[0] >= 0xe0 && p[0] <= 0xef)
        len = 3;
    else if (p[0] >= 0xf0 && p[0] <= 0xf4)
        len = 4;
    else
        return (0);
    if (p[0] == 0xe0)
        lo = 0xa0;
    else if (p[0] == 0xed)
        hi = 0x9f;
    else if (p[0] == 0xf0)
        lo = 0x90;
    else if (p[0] == 0xf4)
        hi = 0x8f;
    if (p[1] < lo || p[1] > hi)
        return (0);
    for (size_t i = 2; i < len; i++)
        if (p[i] < 0x80 || p[i] > 0xbf)
            return (0);
    return (len);
}

/* smtp_path_8bit - the length of an allowed 8-bit character at p, or 0. */

static size_t smtp_path_8bit(const char *p, int flags)
{
    if ((flags & SMTP_PATH_UTF8) == 0)
        return (0);
    return (smtp_path_utf8(p));
}

/* smtp_path_atext - RFC 5321 4.1.2 atext (RFC 5322 3.2.3). */

static int smtp_path_atext(int c)
{
    return (SMTP_PATH_ALNUM(c) || (c != 0 && strchr("!#$%&'*+-/=?^_`{|}~", c)));
}

/*
 * smtp_path_dot_string - atext and dots; at least one atext. RFC 5321
 * wants dots only between atoms; Postfix takes "a..b" and "a.", which
 * some (Japanese mobile) addresses are.
 */
static const char *smtp_path_dot_string(const char *p, int flags)
{
    int     atoms = 0;
    size_t  n;

    for (;;) {
        if (*p == '.') {
            p++;
        } else if (smtp_path_atext((unsigned char) *p)) {
            p++;
            atoms = 1;
        } else if ((n = smtp_path_8bit(p, flags)) > 0) {
            p += n;
            atoms = 1;
        } else {
            break;
        }
    }
    return (atoms ? p : 0);
}

/*
 * smtp_path_quoted - RFC 5321 4.1.2 Quoted-string: qtextSMTP is
 * %d32-33 / %d35-91 / %d93-126, quoted-pairSMTP is "\" %d32-126;
 * RFC 6531 3.3 adds UTF8-non-ascii to qtextSMTP.
 */
static const char *smtp_path_quoted(const char *p, int flags)
{
    int     c;
    size_t  n;

    for (p++; (c = (unsigned char) *p) != '"'; p++) {
        if (c == '\\') {
            c = (unsigned char) *++p;
            if (c < 32 || c > 126)
                return (0);
        } else if (c >= 32 && c <= 126) {
            /* qtextSMTP */ ;
        } else if ((n = smtp_path_8bit(p, flags)) > 0) {
            p += n - 1;
        } else {
            return (0);                 /* control, 8-bit or end of text */
        }
    }
    return (p + 1);
}

/*
 * smtp_path_label - one label of a Domain: RFC 5321 4.1.2 sub-domain
 * (Let-dig [Ldh-str]), plus "_", plus U-label characters with
 * SMTP_PATH_UTF8 (RFC 6531 3.3). RFC 1035 2.3.4: 63 octets (ASCII).
 */
static const char *smtp_path_label(const char *p, int flags, int *ascii_r)
{
    const char *start = p;
    int     ascii = 1;
    size_t  n;

    for (;;) {
        if (SMTP_PATH_ALNUM(*p) || *p == '-' || *p == '_') {
            p++;
        } else if ((n = smtp_path_8bit(p, flags)) > 0) {
            p += n;
            ascii = 0;
        } else {
            break;
        }
    }
    if (p == start || *start == '-' || p[-1] == '-')
        return (0);
    if (ascii && p - start > 63)
        return (0);
    if (!ascii)
        *ascii_r = 0;
    return (p);
}

/* smtp_path_domain_name - RFC 5321 4.1.2 Domain. */

static const char *smtp_path_domain_name(const char *p, int flags,
                                         int *ascii_r)
{
    *ascii_r = 1;
    for (;;) {
        if ((p = smtp_path_label(p, flags, ascii_r)) == 0)
            return (0);
        if (*p != '.')
            return (p);
        p++;
    }
}

/* smtp_path_ipv4 - RFC 5321 4.1.3 IPv4-address-literal (without "["). */

static const char *smtp_path_ipv4(const char *p)
{
    for (int i = 0; i < 4; i++) {
        int     val = 0;
        int     digits = 0;

        if (i > 0 && *p++ != '.')
            return (0);
        while (SMTP_PATH_DIGIT(*p) && digits < 3) {
            val = val * 10 + (*p++ - '0');
            digits++;
        }
        if (digits == 0 || val > 255 || SMTP_PATH_DIGIT(*p))
            return (0);
    }
    return (p);
}

/*
 * smtp_path_literal - RFC 5321 4.1.3 address-literal: "[" IPv4 "]" or
 * "[IPv6:" IPv6 "]". A General-address-literal needs a tag registered
 * with IANA (4.1.3); none but IPv6 is, so no other is accepted.
 */
static const char *smtp_path_literal(const char *p)
{
    char    addr[INET6_ADDRSTRLEN];
    struct in6_addr in6;
    const char *start;
    size_t  len;

    p++;
    if (strncasecmp(p, "IPv6:", 5) != 0) {
        if ((p = smtp_path_ipv4(p)) == 0 || *p != ']')
            return (0);
        return (p + 1);
    }
    start = p += 5;
    p += strspn(p, "0123456789abcdefABCDEF:.");
    len = (size_t) (p - start);
    if (*p != ']' || len == 0 || len >= sizeof(addr))
        return (0);
    memcpy(addr, start, len);
    addr[len] = 0;
    if (inet_pton(AF_INET6, addr, &in6) != 1)
        return (0);
    return (p + 1);
}

/* smtp_path_route - RFC 5321 4.1.2 A-d-l ":" (At-domain *("," At-domain)). */

static const char *smtp_path_route(const char *p, int flags)
{
    int     ascii;

    for (;;) {
        if (*p++ != '@' || (p = smtp_path_domain_name(p, flags, &ascii)) == 0)
            return (0);
        if (*p == ':')
            return (p + 1);
        if (*p++ != ',')
            return (0);
    }
}

/* What smtp_path_mailbox() found. */
typedef struct SMTP_PATH_MAILBOX {
    const char *local_end;              /* end of the local part */
    int     quoted;                     /* local part is a Quoted-string */
    int     too_long;                   /* domain over 255 octets */
} SMTP_PATH_MAILBOX;

/*
 * smtp_path_mailbox - RFC 5321 4.1.2 Mailbox (Local-part "@" (Domain /
 * address-literal)), or a Local-part alone.
 */
static const char *smtp_path_mailbox(const char *p, int flags,
                                     SMTP_PATH_MAILBOX *mb)
{
    const char *domain;
    int     ascii;

    mb->quoted = (*p == '"');
    mb->too_long = 0;
    if (mb->quoted)
        p = smtp_path_quoted(p, flags);
    else
        p = smtp_path_dot_string(p, flags);
    if (p == 0)
        return (0);
    mb->local_end = p;
    if (*p != '@')
        return (p);
    domain = ++p;
    if (*p == '[')
        return (smtp_path_literal(p));
    if ((p = smtp_path_domain_name(p, flags, &ascii)) == 0)
        return (0);
    /* RFC 5321 4.5.3.1.2: 255 octets. */
    if (ascii && p - domain > 255)
        mb->too_long = 1;
    return (p);
}

/*
 * smtp_path_unquote - the content of a Quoted-string when it is a
 * Dot-string (atoms and single dots, RFC 5321 4.1.2), so that quoting
 * was not needed; else 0. RFC 5321 4.1.2 asks senders to quote only
 * when needed, so "john.doe" and john.doe are one mailbox.
 */
static int smtp_path_unquote(const char *p, const char *end, int flags,
                             BUF *out)
{
    int     prev_dot = 1;
    size_t  n;

    buf_reset(out);
    for (p++, end--; p < end; p++) {
        if (*p == '\\')
            p++;
        if (*p == '.') {
            if (prev_dot)
                return (0);
            prev_dot = 1;
            buf_putc(out, '.');
        } else if (smtp_path_atext((unsigned char) *p)) {
            prev_dot = 0;
            buf_putc(out, *p);
        } else if ((n = smtp_path_8bit(p, flags)) > 0) {
            prev_dot = 0;
            buf_append(out, p, n);
            p += n - 1;
        } else {
            return (0);
        }
    }
    return (!prev_dot);
}

/*
 * smtp_path_params - RFC 5321 4.1.2 Mail-parameters / Rcpt-parameters:
 * esmtp-param *(SP esmtp-param); esmtp-keyword is (ALPHA / DIGIT)
 * *(ALPHA / DIGIT / "-"); esmtp-value is 1*(%d33-126), UTF-8 too with
 * SMTPUTF8 (RFC 6531 3.3). The RFC leaves "=" out of values; nobody
 * needs that, and nothing breaks when it is let in. Adds to params.
 */
static const char *smtp_path_params(const char *p, int flags, STRV *params)
{
    const char *start;
    size_t  n;

    for (;;) {
        while (SMTP_PATH_SPACE(*p))
            p++;
        if (*p == 0)
            return (0);
        start = p;
        if (!SMTP_PATH_ALNUM(*p))
            return ("Bad parameter syntax");
        while (SMTP_PATH_ALNUM(*p) || *p == '-')
            p++;
        n = (size_t) (p - start);
        for (size_t i = 0; i < params->argc; i++)
            if (strncasecmp(params->argv[i], start, n) == 0
                && (params->argv[i][n] == 0 || params->argv[i][n] == '='))
                return ("Duplicate parameter");
        if (*p == '=') {
            const char *value = ++p;

            for (;;) {
                if (*p > 32 && *p < 127)
                    p++;
                else if ((n = smtp_path_8bit(p, flags)) > 0)
                    p += n;
                else
                    break;
            }
            if (p == value)
                return ("Bad parameter syntax");
        }
        if (*p != 0 && !SMTP_PATH_SPACE(*p))
            return ("Bad parameter syntax");
        if (params->argc >= SMTP_PATH_PARAMS_MAX)
            return ("Too many parameters");
        strv_addn(params, start, (size_t) (p - start));
        /* Upper-case the keyword, up to "=" or the end. */
        for (char *k = params->argv[params->argc - 1]; *k && *k != '='; k++)
            if (*k >= 'a' && *k <= 'z')
                *k += 'A' - 'a';
    }
}

int     smtp_path_parse(const char *text, int flags, BUF *address,
                        STRV *params, const char **why_r)
{
    int     sender = (flags & SMTP_PATH_NULL_OK) != 0;
    const char *bad_address = sender ? "Bad sender address syntax" :
        "Bad recipient address syntax";
    const char *p = text;
    const char *path;                   /* after "<" */
    const char *mailbox;                /* what is returned */
    const char *end;                    /* after the mailbox */
    SMTP_PATH_MAILBOX mb = {0, 0, 0};
    STRV   *found;
    const char *why;
    BUF    *unquoted;

    buf_reset(address);
    *why_r = 0;
    while (SMTP_PATH_SPACE(*p))
        p++;
    if (*p == 0) {
        *why_r = sender ? "Syntax: MAIL FROM:<address>" :
            "Syntax: RCPT TO:<address>";
        return (SMTP_PATH_ERR_SYNTAX);
    }

    /*
     * RFC 5321 4.1.2: Path = "<" [ A-d-l ":" ] Mailbox ">"; "<>" only
     * in MAIL FROM. Without brackets (LAX), a Mailbox up to a space.
     */
    if (*p == '<') {
        path = ++p;
        if (*p == '>') {
            if (!sender) {
                *why_r = bad_address;
                return (SMTP_PATH_ERR_ADDRESS);
            }
            mailbox = end = p++;
            mb.too_long = 0;
        } else {
            if (*p == '@' && (p = smtp_path_route(p, flags)) == 0) {
                *why_r = bad_address;
                return (SMTP_PATH_ERR_ADDRESS);
            }
            mailbox = p;
            if ((p = smtp_path_mailbox(p, flags, &mb)) == 0 || *p != '>') {
                *why_r = bad_address;
                return (SMTP_PATH_ERR_ADDRESS);
            }
            end = p++;
            if (end - path > SMTP_PATH_MAX)
                mb.too_long = 1;
        }
    } else if (flags & SMTP_PATH_LAX) {
        mailbox = p;
        if ((p = smtp_path_mailbox(p, flags, &mb)) == 0) {
            *why_r = bad_address;
            return (SMTP_PATH_ERR_ADDRESS);
        }
        end = p;
        if (end - mailbox > SMTP_PATH_MAX)
            mb.too_long = 1;
    } else {
        *why_r = bad_address;
        return (SMTP_PATH_ERR_ADDRESS);
    }
    if (*p != 0 && !SMTP_PATH_SPACE(*p)) {
        *why_r = bad_address;
        return (SMTP_PATH_ERR_ADDRESS);
    }
    if (mb.too_long) {
        *why_r = "Address too long";
        return (SMTP_PATH_ERR_ADDRESS);
    }
    found = strv_new();
    if ((why = smtp_path_params(p, flags, found)) != 0) {
        strv_free(&found);
        *why_r = why;
        return (SMTP_PATH_ERR_SYNTAX);
    }
    for (size_t i = 0; i < found->argc; i++)
        strv_add(params, found->argv[i]);
    strv_free(&found);

    if (mailbox < end && mb.quoted) {
        unquoted = buf_new(64);
        if (smtp_path_unquote(mailbox, mb.local_end, flags, unquoted)) {
            buf_append(address, unquoted->data, unquoted->len);
            mailbox = mb.local_end;
        }
        buf_free(&unquoted);
    }
    buf_append(address, mailbox, (size_t) (end - mailbox));
    return (0);
}

int     smtp_path_param(const STRV *params, const char *keyword,
                        const char **value_r)
{
    size_t  len = strlen(keyword);
    const char *param;

    for (size_t i = 0; i < params->argc; i++) {
        param = params->argv[i];
        if (strncasecmp(param, keyword, len) == 0
            && (param[len] == 0 || param[len] == '=')) {
            if (value_r)
                *value_r = param[len] ? param + len + 1 : 0;
            return (1);
        }
    }
    if (value_r)
        *value_r = 0;
    return (0);
}

int     smtp_path_domain(const char *address, const char **domain_r)
{
    const char *at = 0;
    int     quoted = 0;

    for (const char *p = address; *p; p++) {
        if (quoted && *p == '\\' && p[1])
            p++;
        else if (*p == '"')
            quoted = !quoted;
        else if (!quoted && *p == '@')
            at = p;
    }
    *domain_r = at ? at + 1 : 0;
    return (at ? 0 : -1);
}
