/* NAME
 *	smtp_path_test 1
 * SUMMARY
 *	unit tests for smtp_path(3)
 * DESCRIPTION
 *	Each row is the text after "MAIL FROM:" or "RCPT TO:", the flags,
 *	and what must come out: the address, the parameters joined with
 *	"|", the result and the error text (NULL on success). The outputs
 *	are filled with junk before each call, so a row also checks that
 *	an error leaves the address empty and the parameters alone.
 *
 *	Then smtp_path_param() and smtp_path_domain() have tables of their
 *	own, and the limits are tried with generated texts just inside and
 *	just outside them.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "harness.h"
#include "smtp_path.h"
#include "strv.h"

#define N       SMTP_PATH_NULL_OK
#define L       SMTP_PATH_LAX
#define U       SMTP_PATH_UTF8

#define BAD_ADDR    SMTP_PATH_ERR_ADDRESS
#define BAD_SYNTAX  SMTP_PATH_ERR_SYNTAX

#define SENDER  "Bad sender address syntax"
#define RCPT    "Bad recipient address syntax"
#define PARAM   "Bad parameter syntax"

typedef struct PATH_ROW {
    const char *label;
    const char *input;
    int     flags;
    const char *want_address;
    const char *want_params;            /* "|" separated */
    int     want_result;
    const char *want_why;
} PATH_ROW;

static const PATH_ROW path_rows[] = {
    /* Valid. */
    {"simple", "<a@example.com>", 0, "a@example.com", "", 0, 0},
    {"simple sender", "<a@example.com>", N, "a@example.com", "", 0, 0},
    {"leading space (Outlook)", " <a@example.com>", N, "a@example.com", "", 0, 0},
    {"leading spaces and tabs", " \t <a@example.com>", 0, "a@example.com", "", 0, 0},
    {"trailing space", "<a@example.com>  ", 0, "a@example.com", "", 0, 0},
    {"null sender", "<>", N, "", "", 0, 0},
    {"null sender with params", "<> SIZE=100 BODY=7BIT", N, "", "SIZE=100|BODY=7BIT", 0, 0},
    {"keywords upper-cased, values kept", "<a@b.example> size=1000 body=8bitmime", N,
    "a@b.example", "SIZE=1000|BODY=8bitmime", 0, 0},
    {"param without value", "<a@b.example> SMTPUTF8", N | U, "a@b.example", "SMTPUTF8", 0, 0},
    {"AUTH=<>", "<a@b.example> AUTH=<>", N, "a@b.example", "AUTH=<>", 0, 0},
    {"several spaces between params", "<a@b.example>   SIZE=1  \t BODY=7BIT ", N,
    "a@b.example", "SIZE=1|BODY=7BIT", 0, 0},
    {"keyword with dash and digit", "<a@b.example> X-FOO2=bar 1X", 0, "a@b.example",
    "X-FOO2=bar|1X", 0, 0},
    {"value with = in it", "<a@b.example> ENVID=a=b+3D", N, "a@b.example", "ENVID=a=b+3D", 0, 0},
    {"RCPT params", "<a@b.example> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a@b.example", 0,
    "a@b.example", "NOTIFY=SUCCESS,FAILURE|ORCPT=rfc822;a@b.example", 0, 0},
    {"source route dropped", "<@relay.example,@hop.example:user@dest.example>", 0,
    "user@dest.example", "", 0, 0},
    {"source route of one hop", "<@relay.example:user@dest.example>", N,
    "user@dest.example", "", 0, 0},
    {"quoted local part kept", "<\"a b\"@example.com>", 0, "\"a b\"@example.com", "", 0, 0},
    {"quotes not needed: unquoted", "<\"john.doe\"@example.com>", 0,
    "john.doe@example.com", "", 0, 0},
    {"quoted pair kept where needed", "<\"a\\\"b\"@example.com>", 0,
    "\"a\\\"b\"@example.com", "", 0, 0},
    {"quoted pair not needed: unquoted", "<\"a\\bc\"@example.com>", 0,
    "abc@example.com", "", 0, 0},
    {"quoted @ stays quoted", "<\"a@b\"@example.com>", 0, "\"a@b\"@example.com", "", 0, 0},
    {"empty quoted local part", "<\"\"@example.com>", 0, "\"\"@example.com", "", 0, 0},
    {"quoted double dot stays quoted", "<\"a..b\"@example.com>", 0,
    "\"a..b\"@example.com", "", 0, 0},
    {"quoted leading dot stays quoted", "<\".a\"@example.com>", 0,
    "\".a\"@example.com", "", 0, 0},
    {"all atext specials", "<!#$%&'*+-/=?^_`{|}~@example.com>", 0,
    "!#$%&'*+-/=?^_`{|}~@example.com", "", 0, 0},
    {"plus address", "<user+tag@example.com>", 0, "user+tag@example.com", "", 0, 0},
    {"odd dots in local part (mobile carriers)", "<a..b.@docomo.ne.jp>", 0,
    "a..b.@docomo.ne.jp", "", 0, 0},
    {"leading dot in local part", "<.a@example.com>", 0, ".a@example.com", "", 0, 0},
    {"IPv4 literal", "<a@[192.0.2.1]>", 0, "a@[192.0.2.1]", "", 0, 0},
    {"IPv6 literal", "<a@[IPv6:2001:db8::1]>", 0, "a@[IPv6:2001:db8::1]", "", 0, 0},
    {"IPv6 tag in any case", "<a@[ipv6:::1]>", 0, "a@[ipv6:::1]", "", 0, 0},
    {"IPv6 with IPv4 tail", "<a@[IPv6:::ffff:192.0.2.1]>", 0,
    "a@[IPv6:::ffff:192.0.2.1]", "", 0, 0},
    {"local part alone (Postfix: local user)", "<postmaster>", N, "postmaster", "", 0, 0},
    {"RCPT TO:<Postmaster>", "<Postmaster>", 0, "Postmaster", "", 0, 0},
    {"quoted local part alone", "<\"a b\">", 0, "\"a b\"", "", 0, 0},
    {"underscore in domain", "<a@my_host.example>", 0, "a@my_host.example", "", 0, 0},
    {"digits-only label", "<a@123.example>", 0, "a@123.example", "", 0, 0},
    {"hyphens inside a label", "<a@my--host.example>", 0, "a@my--host.example", "", 0, 0},
    {"one-label domain", "<a@localhost>", 0, "a@localhost", "", 0, 0},
    {"case preserved", "<User@Example.COM>", 0, "User@Example.COM", "", 0, 0},
    {"63-octet label", "<a@123456789012345678901234567890123456789012345678901234567890123"
        ".example>", 0, "a@123456789012345678901234567890123456789012345678901234567890123"
        ".example", "", 0, 0},
    {"LAX: no brackets", "a@example.com", L | N, "a@example.com", "", 0, 0},
    {"LAX: no brackets, params", "a@example.com SIZE=10", L | N, "a@example.com",
    "SIZE=10", 0, 0},
    {"LAX: brackets still fine", "<a@example.com>", L, "a@example.com", "", 0, 0},
    {"LAX: null sender", "<>", L | N, "", "", 0, 0},
    {"UTF8: local part and domain",
        "<\xce\xb4\xce\xbf\xce\xba@\xcf\x80\xce\xb1\xcf\x81.example>", U,
        "\xce\xb4\xce\xbf\xce\xba@\xcf\x80\xce\xb1\xcf\x81.example", "", 0, 0},
    {"UTF8: 4-byte character", "<\xf0\x9f\x98\x80@example.com>", U,
    "\xf0\x9f\x98\x80@example.com", "", 0, 0},
    {"UTF8: in quoted string", "<\"\xc3\xa9 x\"@example.com>", U,
    "\"\xc3\xa9 x\"@example.com", "", 0, 0},
    {"UTF8: unquoted when not needed", "<\"\xc3\xa9\"@example.com>", U,
    "\xc3\xa9@example.com", "", 0, 0},
    {"UTF8: in param value", "<a@b.example> X=\xc3\xa9", U, "a@b.example",
    "X=\xc3\xa9", 0, 0},

    /* Invalid: the command. */
    {"empty MAIL", "", N, "", "", BAD_SYNTAX, "Syntax: MAIL FROM:<address>"},
    {"blank RCPT", "   ", 0, "", "", BAD_SYNTAX, "Syntax: RCPT TO:<address>"},
    {"param starting with =", "<a@b.example> =x", N, "", "", BAD_SYNTAX, PARAM},
    {"param with empty value", "<a@b.example> SIZE=", N, "", "", BAD_SYNTAX, PARAM},
    {"param keyword with _", "<a@b.example> SI_ZE=1", N, "", "", BAD_SYNTAX, PARAM},
    {"param keyword starting with -", "<a@b.example> -X", N, "", "", BAD_SYNTAX, PARAM},
    {"param value with control", "<a@b.example> X=a\x01", 0, "", "", BAD_SYNTAX, PARAM},
    {"param value with DEL", "<a@b.example> X=a\x7f", 0, "", "", BAD_SYNTAX, PARAM},
    {"param value 8-bit without UTF8", "<a@b.example> X=\xc3\xa9", 0, "", "",
    BAD_SYNTAX, PARAM},
    {"param value bad UTF-8", "<a@b.example> X=\xc3(", U, "", "", BAD_SYNTAX, PARAM},
    {"param junk after good ones", "<a@b.example> SIZE=1 junk!", N, "", "",
    BAD_SYNTAX, PARAM},
    {"duplicate param", "<a@b.example> SIZE=1 size=2", N, "", "", BAD_SYNTAX,
    "Duplicate parameter"},
    {"duplicate param without value", "<a@b.example> SMTPUTF8 smtputf8", N | U, "", "",
    BAD_SYNTAX, "Duplicate parameter"},

    /* Invalid: the address. */
    {"no brackets, strict", "a@example.com", N, "", "", BAD_ADDR, SENDER},
    {"no brackets, strict RCPT", "a@example.com", 0, "", "", BAD_ADDR, RCPT},
    {"null recipient", "<>", 0, "", "", BAD_ADDR, RCPT},
    {"null recipient with params", "<> SIZE=1", 0, "", "", BAD_ADDR, RCPT},
    {"missing >", "<a@example.com", N, "", "", BAD_ADDR, SENDER},
    {"missing <", "a@example.com>", L, "", "", BAD_ADDR, RCPT},
    {"junk after path", "<a@b.example>junk", N, "", "", BAD_ADDR, SENDER},
    {"param without space", "<a@b.example>SIZE=1", N, "", "", BAD_ADDR, SENDER},
    {"two paths", "<a@b.example><c@d.example>", 0, "", "", BAD_ADDR, RCPT},
    {"double brackets", "<<a@b.example>>", 0, "", "", BAD_ADDR, RCPT},
    {"space after <", "< a@b.example>", 0, "", "", BAD_ADDR, RCPT},
    {"space before >", "<a@b.example >", 0, "", "", BAD_ADDR, RCPT},
    {"space in local part", "<a b@example.com>", 0, "", "", BAD_ADDR, RCPT},
    {"empty local part", "<@example.com>", 0, "", "", BAD_ADDR, RCPT},
    {"only dots in local part", "<..@example.com>", 0, "", "", BAD_ADDR, RCPT},
    {"empty domain", "<a@>", 0, "", "", BAD_ADDR, RCPT},
    {"two @", "<a@b@c.example>", 0, "", "", BAD_ADDR, RCPT},
    {"trailing dot in domain", "<a@example.com.>", 0, "", "", BAD_ADDR, RCPT},
    {"leading dot in domain", "<a@.example.com>", 0, "", "", BAD_ADDR, RCPT},
    {"empty label", "<a@example..com>", 0, "", "", BAD_ADDR, RCPT},
    {"label starting with -", "<a@-x.example>", 0, "", "", BAD_ADDR, RCPT},
    {"label ending with -", "<a@x-.example>", 0, "", "", BAD_ADDR, RCPT},
    {"64-octet label", "<a@1234567890123456789012345678901234567890123456789012345678901234"
        ".example>", 0, "", "", BAD_ADDR, RCPT},
    {"special in domain", "<a@exa!mple.com>", 0, "", "", BAD_ADDR, RCPT},
    {"unterminated quote", "<\"abc@example.com>", 0, "", "", BAD_ADDR, RCPT},
    {"quote in the middle", "<a\"b\"@example.com>", 0, "", "", BAD_ADDR, RCPT},
    {"text after quoted part", "<\"a\"b@example.com>", 0, "", "", BAD_ADDR, RCPT},
    {"backslash outside quotes", "<a\\b@example.com>", 0, "", "", BAD_ADDR, RCPT},
    {"control character", "<a\x01" "b@example.com>", N, "", "", BAD_ADDR, SENDER},
    {"tab inside brackets", "<a\tb@example.com>", 0, "", "", BAD_ADDR, RCPT},
    {"CR inside brackets", "<a\rb@example.com>", 0, "", "", BAD_ADDR, RCPT},
    {"DEL", "<a\x7f@example.com>", 0, "", "", BAD_ADDR, RCPT},
    {"control in quoted string", "<\"a\x01\"@example.com>", 0, "", "", BAD_ADDR, RCPT},
    {"control in quoted pair", "<\"a\\\x01\"@example.com>", 0, "", "", BAD_ADDR, RCPT},
    {"8-bit without UTF8", "<\xc3\xa9@example.com>", N, "", "", BAD_ADDR, SENDER},
    {"8-bit domain without UTF8", "<a@\xc3\xa9.example>", 0, "", "", BAD_ADDR, RCPT},
    {"8-bit quoted without UTF8", "<\"\xc3\xa9\"@example.com>", 0, "", "", BAD_ADDR, RCPT},
    {"UTF8: truncated sequence", "<\xc3@example.com>", U, "", "", BAD_ADDR, RCPT},
    {"UTF8: overlong", "<\xc0\xaf@example.com>", U, "", "", BAD_ADDR, RCPT},
    {"UTF8: overlong 3-byte", "<\xe0\x80\xaf@example.com>", U, "", "", BAD_ADDR, RCPT},
    {"UTF8: surrogate", "<\xed\xa0\x80@example.com>", U, "", "", BAD_ADDR, RCPT},
    {"UTF8: above U+10FFFF", "<\xf4\x90\x80\x80@example.com>", U, "", "", BAD_ADDR, RCPT},
    {"UTF8: stray continuation byte", "<\x80@example.com>", U, "", "", BAD_ADDR, RCPT},
    {"IPv4 literal over 255", "<a@[192.0.2.256]>", 0, "", "", BAD_ADDR, RCPT},
    {"IPv4 literal of 3 parts", "<a@[192.0.2]>", 0, "", "", BAD_ADDR, RCPT},
    {"IPv4 literal of 5 parts", "<a@[192.0.2.1.5]>", 0, "", "", BAD_ADDR, RCPT},
    {"IPv4 literal with 4 digits", "<a@[0192.0.2.1]>", 0, "", "", BAD_ADDR, RCPT},
    {"IPv4 literal with space", "<a@[ 192.0.2.1]>", 0, "", "", BAD_ADDR, RCPT},
    {"unbalanced [", "<a@[192.0.2.1>", 0, "", "", BAD_ADDR, RCPT},
    {"bad IPv6 literal", "<a@[IPv6:1:::2]>", 0, "", "", BAD_ADDR, RCPT},
    {"IPv6 literal without tag", "<a@[2001:db8::1]>", 0, "", "", BAD_ADDR, RCPT},
    {"empty IPv6 literal", "<a@[IPv6:]>", 0, "", "", BAD_ADDR, RCPT},
    {"general address literal", "<a@[x-tag:foo]>", 0, "", "", BAD_ADDR, RCPT},
    {"text after literal", "<a@[192.0.2.1]x>", 0, "", "", BAD_ADDR, RCPT},
    {"route without colon", "<@a.example,b@c.example>", 0, "", "", BAD_ADDR, RCPT},
    {"route with empty domain", "<@:a@b.example>", 0, "", "", BAD_ADDR, RCPT},
    {"route with empty hop", "<@a.example,:b@c.example>", 0, "", "", BAD_ADDR, RCPT},
    {"route to nothing", "<@a.example:>", N, "", "", BAD_ADDR, SENDER},
    {"route with a literal", "<@[192.0.2.1]:a@b.example>", 0, "", "", BAD_ADDR, RCPT},
    {"LAX: source route", "@a.example:b@c.example", L, "", "", BAD_ADDR, RCPT},
    {"LAX: junk after address", "a@b.example;x", L, "", "", BAD_ADDR, RCPT},
};

/* path_join - params added after the first (preset) entry, "|" joined. */

static const char *path_join(const STRV *params, BUF *out)
{
    buf_reset(out);
    for (size_t i = 1; i < params->argc; i++) {
        if (i > 1)
            buf_putc(out, '|');
        buf_puts(out, params->argv[i]);
    }
    return (out->data);
}

static void path_test_row(const PATH_ROW *row, BUF *joined)
{
    BUF    *address = buf_new(16);
    STRV   *params = strv_new();
    const char *why = "junk";
    char    label[256];
    int     result;

    buf_set(address, "junk");
    strv_add(params, "PRESET");
    result = smtp_path_parse(row->input, row->flags, address, params, &why);
    snprintf(label, sizeof(label), "%s: result", row->label);
    harness_inteq(label, result, row->want_result);
    snprintf(label, sizeof(label), "%s: address", row->label);
    harness_streq(label, address->data, row->want_address);
    snprintf(label, sizeof(label), "%s: params", row->label);
    harness_streq(label, path_join(params, joined), row->want_params);
    snprintf(label, sizeof(label), "%s: why", row->label);
    harness_streq(label, why, row->want_why);
    harness_log_check(row->label, 0);
    buf_free(&address);
    strv_free(&params);
}

typedef struct PARAM_ROW {
    const char *keyword;
    int     want_found;
    const char *want_value;
} PARAM_ROW;

static const PARAM_ROW param_rows[] = {
    {"SIZE", 1, "100"},
    {"size", 1, "100"},
    {"Body", 1, "8BITMIME"},
    {"SMTPUTF8", 1, 0},
    {"AUTH", 1, "<>"},
    {"SIZ", 0, 0},
    {"SIZE=", 0, 0},
    {"ENVID", 0, 0},
    {"", 0, 0},
};

static void path_test_param(void)
{
    STRV   *params = strv_new();
    const char *why;
    BUF    *address = buf_new(16);
    char    label[256];

    smtp_path_parse("<a@b.example> SIZE=100 body=8BITMIME SMTPUTF8 AUTH=<>",
                    N | U, address, params, &why);
    for (size_t i = 0; i < sizeof(param_rows) / sizeof(param_rows[0]); i++) {
        const PARAM_ROW *row = param_rows + i;
        const char *value = "junk";
        int     found = smtp_path_param(params, row->keyword, &value);

        snprintf(label, sizeof(label), "param \"%s\": found", row->keyword);
        harness_inteq(label, found, row->want_found);
        snprintf(label, sizeof(label), "param \"%s\": value", row->keyword);
        harness_streq(label, value, row->want_value);
    }
    harness_inteq("param: value_r may be NULL", smtp_path_param(params, "SIZE", 0), 1);
    buf_free(&address);
    strv_free(&params);
}

typedef struct DOMAIN_ROW {
    const char *address;
    int     want_result;
    const char *want_domain;
} DOMAIN_ROW;

static const DOMAIN_ROW domain_rows[] = {
    {"a@example.com", 0, "example.com"},
    {"a@[192.0.2.1]", 0, "[192.0.2.1]"},
    {"\"a@b\"@example.com", 0, "example.com"},
    {"\"a\\\"@b\"@example.com", 0, "example.com"},
    {"\"a@b\"", -1, 0},
    {"postmaster", -1, 0},
    {"", -1, 0},
    {"a@", 0, ""},
    {"a@b@c", 0, "c"},
};

static void path_test_domain(void)
{
    char    label[256];

    for (size_t i = 0; i < sizeof(domain_rows) / sizeof(domain_rows[0]); i++) {
        const DOMAIN_ROW *row = domain_rows + i;
        const char *domain = "junk";
        int     result = smtp_path_domain(row->address, &domain);

        snprintf(label, sizeof(label), "domain of \"%s\": result", row->address);
        harness_inteq(label, result, row->want_result);
        snprintf(label, sizeof(label), "domain of \"%s\": domain", row->address);
        harness_streq(label, domain, row->want_domain);
    }
}

/* path_test_one - parse a generated text; want the address or an error. */

static void path_test_one(const char *label, const char *text, int flags,
                          int want_result, const char *want_why)
{
    BUF    *address = buf_new(16);
    STRV   *params = strv_new();
    const char *why = 0;
    int     result = smtp_path_parse(text, flags, address, params, &why);
    char    buf[256];

    snprintf(buf, sizeof(buf), "%s: result", label);
    harness_inteq(buf, result, want_result);
    snprintf(buf, sizeof(buf), "%s: why", label);
    harness_streq(buf, why, want_why);
    buf_free(&address);
    strv_free(&params);
}

/* path_test_limits - SMTP_PATH_MAX, 255-octet domains, parameter count. */

static void path_test_limits(void)
{
    BUF    *text = buf_new(1024);
    BUF    *domain = buf_new(300);

    /* A path of SMTP_PATH_MAX bytes between the brackets, then one more. */
    buf_set(text, "<");
    while (text->len < 1 + SMTP_PATH_MAX - 12)
        buf_putc(text, 'x');
    buf_puts(text, "@example.com>");
    path_test_one("path of SMTP_PATH_MAX", text->data, 0, 0, 0);
    buf_set(text, "<");
    while (text->len < 1 + SMTP_PATH_MAX + 1 - 12)
        buf_putc(text, 'x');
    buf_puts(text, "@example.com>");
    path_test_one("path over SMTP_PATH_MAX", text->data, 0, BAD_ADDR, "Address too long");
    buf_set(text, "<@relay.example:");
    while (text->len < 1 + SMTP_PATH_MAX + 1 - 12)
        buf_putc(text, 'x');
    buf_puts(text, "@example.com>");
    path_test_one("route counts in the path", text->data, 0, BAD_ADDR, "Address too long");
    buf_set(text, "x");
    while (text->len < SMTP_PATH_MAX - 12)
        buf_putc(text, 'x');
    buf_puts(text, "@example.com");
    path_test_one("LAX: address of SMTP_PATH_MAX", text->data, L, 0, 0);
    buf_set(text, "x");
    while (text->len < SMTP_PATH_MAX + 1 - 12)
        buf_putc(text, 'x');
    buf_puts(text, "@example.com");
    path_test_one("LAX: address over SMTP_PATH_MAX", text->data, L, BAD_ADDR,
                  "Address too long");

    /* RFC 5321 4.5.3.1.2: 255 octets of domain. */
    buf_reset(domain);
    while (domain->len < 255 - 64)
        buf_puts(domain, "abcdefghi.");
    while (domain->len < 255)
        buf_putc(domain, 'z');
    buf_set(text, "<a@");
    buf_puts(text, domain->data);
    buf_puts(text, ">");
    path_test_one("domain of 255 octets", text->data, 0, 0, 0);
    buf_set(text, "<a@z");
    buf_puts(text, domain->data);
    buf_puts(text, ">");
    path_test_one("domain of 256 octets", text->data, 0, BAD_ADDR, "Address too long");

    /* Parameters: SMTP_PATH_PARAMS_MAX, then one more. */
    buf_set(text, "<a@b.example>");
    for (int i = 0; i < SMTP_PATH_PARAMS_MAX; i++)
        buf_printf(text, " X%d=%d", i, i);
    path_test_one("SMTP_PATH_PARAMS_MAX params", text->data, 0, 0, 0);
    buf_puts(text, " LAST");
    path_test_one("one param too many", text->data, 0, BAD_SYNTAX, "Too many parameters");
    buf_free(&text);
    buf_free(&domain);
}

/*
 * path_test_reparse - what a parse returns parses again to itself:
 * "<" address ">" and the parameters give the same address and
 * parameters (a canonical form, as the queue file stores it).
 */
static void path_test_reparse(void)
{
    BUF    *address = buf_new(64);
    BUF    *again = buf_new(64);
    BUF    *text = buf_new(128);
    BUF    *joined = buf_new(128);
    BUF    *joined_again = buf_new(128);
    const char *why;
    int     ok = 1;
    char    label[256];

    for (size_t i = 0; i < sizeof(path_rows) / sizeof(path_rows[0]); i++) {
        const PATH_ROW *row = path_rows + i;
        STRV   *params = strv_new();
        STRV   *params_again = strv_new();

        strv_add(params, "PRESET");
        strv_add(params_again, "PRESET");
        if (smtp_path_parse(row->input, row->flags, address, params, &why) == 0) {
            buf_printf(text, "<%s>", address->data);
            for (size_t j = 1; j < params->argc; j++)
                buf_printf(text, " %s", params->argv[j]);
            ok = smtp_path_parse(text->data, row->flags & ~L, again, params_again, &why) == 0
                && strcmp(again->data, address->data) == 0
                && strcmp(path_join(params, joined),
                          path_join(params_again, joined_again)) == 0;
            snprintf(label, sizeof(label), "%s: parses again to itself", row->label);
            harness_check(ok, label, "\"%s\" gave \"%s\"", text->data, again->data);
            buf_reset(text);
        }
        strv_free(&params);
        strv_free(&params_again);
    }
    buf_free(&address);
    buf_free(&again);
    buf_free(&text);
    buf_free(&joined);
    buf_free(&joined_again);
}

int     main(void)
{
    BUF    *joined = buf_new(128);

    harness_init("smtp_path_test");
    for (size_t i = 0; i < sizeof(path_rows) / sizeof(path_rows[0]); i++)
        path_test_row(path_rows + i, joined);
    path_test_param();
    path_test_domain();
    path_test_limits();
    path_test_reparse();
    buf_free(&joined);
    return (harness_done());
}
