/* NAME
 *	cidr_test 1
 * SUMMARY
 *	unit tests for cidr(3)
 * DESCRIPTION
 *	Pattern rows: one cidr_list_add() pattern, the wanted result and
 *	the wanted reason (a substring; "" for none). Match rows: a list
 *	of patterns (space separated, all valid), an address and the
 *	wanted cidr_list_match() result. Address rows: cidr_parse_addr()
 *	input, wanted family and the address printed back by inet_ntop().
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "buf.h"
#include "cidr.h"
#include "harness.h"
#include "strv.h"

typedef struct ADD_ROW {
    const char *label;
    const char *pattern;
    long    want;                       /* cidr_list_add() result */
    const char *want_why;               /* substring of the reason */
} ADD_ROW;

static const ADD_ROW add_rows[] = {
    {"IPv4 network", "192.0.2.0/24", 0, ""},
    {"IPv4 host", "192.0.2.1", 0, ""},
    {"IPv4 host /32", "192.0.2.1/32", 0, ""},
    {"IPv4 /0", "0.0.0.0/0", 0, ""},
    {"IPv4 loopback /8", "127.0.0.0/8", 0, ""},
    {"IPv4 odd length", "10.64.0.0/10", 0, ""},
    {"IPv4 in brackets", "[192.0.2.1]", 0, ""},
    {"IPv4 brackets then length", "[192.0.2.0]/24", 0, ""},
    {"IPv6 host in brackets /128", "[::1]/128", 0, ""},
    {"IPv6 host bare /128", "::1/128", 0, ""},
    {"IPv6 host in brackets", "[::1]", 0, ""},
    {"IPv6 host bare", "::1", 0, ""},
    {"IPv6 link local /10", "[fe80::]/10", 0, ""},
    {"IPv6 length inside brackets", "[2001:db8::/32]", 0, ""},
    {"IPv6 documentation /32", "2001:db8::/32", 0, ""},
    {"IPv6 /0", "::/0", 0, ""},
    {"IPv4-mapped prefix", "::ffff:192.0.2.0/120", 0, ""},
    {"leading zeros in length", "192.0.2.0/024", 0, ""},
    {"host bits set IPv4", "192.0.2.1/24", -1,
    "non-null host address bits in \"192.0.2.1/24\", perhaps you mean \"192.0.2.0/24\""},
    {"host bits set odd length", "10.65.0.0/10", -1,
    "non-null host address bits in \"10.65.0.0/10\", perhaps you mean \"10.64.0.0/10\""},
    {"host bits set IPv6", "[fe80::1]/10", -1,
    "non-null host address bits in \"[fe80::1]/10\", perhaps you mean \"[fe80::]/10\""},
    {"host bits set IPv6 bare", "2001:db8::1/64", -1,
    "perhaps you mean \"2001:db8::/64\""},
    {"slash without length", "192.0.2.0/", -1, "bad prefix length in \"192.0.2.0/\""},
    {"IPv6 slash without length", "[::1]/", -1, "bad prefix length"},
    {"length not a number", "192.0.2.0/x", -1, "bad prefix length"},
    {"negative length", "192.0.2.0/-1", -1, "bad prefix length"},
    {"two slashes", "192.0.2.0/24/8", -1, "bad prefix length"},
    {"IPv4 length too long", "192.0.2.0/33", -1,
    "prefix length out of range in \"192.0.2.0/33\""},
    {"IPv6 length too long", "::/129", -1, "prefix length out of range"},
    {"huge length", "192.0.2.0/99999999999999999999", -1, "prefix length out of range"},
    {"empty", "", -1, "bad address pattern: \"\""},
    {"name", "localhost", -1, "bad address pattern: \"localhost\""},
    {"short IPv4", "10.1", -1, "bad address pattern"},
    {"octet over 255", "192.0.2.256", -1, "bad address pattern"},
    {"IPv4 network with length missing address", "/24", -1, "bad address pattern"},
    {"unclosed bracket", "[::1", -1, "bad address pattern"},
    {"garbage after bracket", "[::1]x", -1, "bad address pattern"},
    {"empty brackets", "[]", -1, "bad address pattern"},
    {"two colons twice", "1::2::3", -1, "bad address pattern"},
    {"IPv6 zone", "fe80::1%eth0", -1, "bad address pattern"},
    {"slash in and after brackets", "[::/8]/8", -1, "bad address pattern"},
    {"too long", "1111111111111111111111111111111111111111111111111111111111111111"
        "1111111111111111111111111111111111111111111111111111111111111111", -1,
    "bad address pattern"},
    {"type:table is not a prefix", "hash:/etc/postern/networks", -1,
    "bad address pattern"},
};

typedef struct MATCH_ROW {
    const char *label;
    const char *patterns;               /* space separated, all valid */
    const char *addr;
    long    want;
} MATCH_ROW;

#define NETS "127.0.0.0/8 192.0.2.0/24 10.64.0.0/10 [::1]/128 [fe80::]/10 2001:db8::/32"

static const MATCH_ROW match_rows[] = {
    {"loopback", NETS, "127.0.0.1", 1},
    {"loopback top", NETS, "127.255.255.255", 1},
    {"just below loopback", NETS, "126.255.255.255", 0},
    {"network first", NETS, "192.0.2.0", 1},
    {"network last", NETS, "192.0.2.255", 1},
    {"next network", NETS, "192.0.3.0", 0},
    {"odd length inside", NETS, "10.127.255.255", 1},
    {"odd length below", NETS, "10.63.255.255", 0},
    {"odd length above", NETS, "10.128.0.0", 0},
    {"IPv6 loopback", NETS, "::1", 1},
    {"IPv6 loopback in brackets", NETS, "[::1]", 1},
    {"IPv6 not loopback", NETS, "::2", 0},
    {"IPv6 link local", NETS, "fe80::1234:5678", 1},
    {"IPv6 link local top of /10", NETS, "febf:ffff::1", 1},
    {"IPv6 past /10", NETS, "fec0::1", 0},
    {"IPv6 documentation", NETS, "2001:db8:1::25", 1},
    {"IPv6 other", NETS, "2001:db9::1", 0},
    {"IPv6 written long", NETS, "2001:0db8:0000:0000:0000:0000:0000:0001", 1},
    {"IPv6 upper case", "2001:db8::/32", "2001:DB8::1", 1},
    {"IPv4-mapped in IPv4 prefix", NETS, "::ffff:192.0.2.10", 1},
    {"IPv4-mapped loopback", NETS, "::ffff:127.0.0.1", 1},
    {"IPv4-mapped outside", NETS, "::ffff:198.51.100.1", 0},
    {"IPv4-mapped hex form", NETS, "::ffff:c000:20a", 1},
    {"IPv4-compatible is not mapped", NETS, "::192.0.2.10", 0},
    {"IPv4 never matches IPv6 /0", "::/0", "192.0.2.1", 0},
    {"IPv6 never matches IPv4 /0", "0.0.0.0/0", "2001:db8::1", 0},
    {"IPv4-mapped matches IPv4 /0", "0.0.0.0/0", "::ffff:192.0.2.1", 1},
    {"IPv4-mapped matches IPv6 prefix", "::ffff:192.0.2.0/120", "::ffff:192.0.2.1", 1},
    {"IPv4 against mapped IPv6 prefix", "::ffff:192.0.2.0/120", "192.0.2.1", 0},
    {"host entry", "192.0.2.7", "192.0.2.7", 1},
    {"host entry other", "192.0.2.7", "192.0.2.8", 0},
    {"/0 matches everything v4", "0.0.0.0/0", "203.0.113.9", 1},
    {"/31", "192.0.2.6/31", "192.0.2.7", 1},
    {"/31 outside", "192.0.2.6/31", "192.0.2.8", 0},
    {"empty list", "", "127.0.0.1", 0},
    {"not an address", NETS, "localhost", 0},
    {"empty address", NETS, "", 0},
    {"address with port", NETS, "127.0.0.1:25", 0},
    {"address with length", NETS, "127.0.0.1/32", 0},
};

typedef struct ADDR_ROW {
    const char *label;
    const char *text;
    long    want;                       /* cidr_parse_addr() result */
    int     want_family;
    const char *want_ntop;
} ADDR_ROW;

static const ADDR_ROW addr_rows[] = {
    {"IPv4", "192.0.2.1", 0, AF_INET, "192.0.2.1"},
    {"IPv4 in brackets", "[192.0.2.1]", 0, AF_INET, "192.0.2.1"},
    {"IPv6", "2001:DB8::1", 0, AF_INET6, "2001:db8::1"},
    {"IPv6 in brackets", "[::1]", 0, AF_INET6, "::1"},
    {"IPv4-mapped stays IPv6", "::ffff:192.0.2.1", 0, AF_INET6, "::ffff:192.0.2.1"},
    {"empty", "", -1, 0, 0},
    {"brackets only", "[]", -1, 0, 0},
    {"open bracket", "[", -1, 0, 0},
    {"unclosed", "[::1", -1, 0, 0},
    {"with length", "192.0.2.0/24", -1, 0, 0},
    {"name", "mail.example.com", -1, 0, 0},
    {"leading space", " 192.0.2.1", -1, 0, 0},
};

static void cidr_test_add(void)
{
    char    label[256];
    BUF    *why = buf_new(64);

    for (size_t i = 0; i < sizeof(add_rows) / sizeof(add_rows[0]); i++) {
        const ADD_ROW *row = add_rows + i;
        CIDR_LIST *list = cidr_list_new();

        buf_reset(why);
        snprintf(label, sizeof(label), "add %s: result", row->label);
        harness_inteq(label, cidr_list_add(list, row->pattern, why), row->want);
        snprintf(label, sizeof(label), "add %s: reason", row->label);
        if (*row->want_why == 0)
            harness_streq(label, why->data, "");
        else
            harness_check(strstr(why->data, row->want_why) != 0, label,
                          "got \"%s\", want \"%s\"", why->data, row->want_why);
        /* The same pattern with a NULL why must not crash. */
        harness_inteq(label, cidr_list_add(list, row->pattern, 0), row->want);
        snprintf(label, sizeof(label), "add %s: log", row->label);
        harness_log_check(label, 0);
        cidr_list_free(&list);
    }
    buf_free(&why);
}

static void cidr_test_match(void)
{
    char    label[256];

    for (size_t i = 0; i < sizeof(match_rows) / sizeof(match_rows[0]); i++) {
        const MATCH_ROW *row = match_rows + i;
        CIDR_LIST *list = cidr_list_new();
        STRV   *pats = strv_split(row->patterns, " ");
        int     added = 1;

        for (size_t j = 0; j < pats->argc; j++)
            if (cidr_list_add(list, pats->argv[j], 0) != 0)
                added = 0;
        snprintf(label, sizeof(label), "match %s: patterns valid", row->label);
        harness_check(added, label, "a pattern in \"%s\" was rejected", row->patterns);
        snprintf(label, sizeof(label), "match %s", row->label);
        harness_inteq(label, cidr_list_match(list, row->addr), row->want);
        snprintf(label, sizeof(label), "match %s: log", row->label);
        harness_log_check(label, 0);
        strv_free(&pats);
        cidr_list_free(&list);
        harness_check(list == 0, "free clears the pointer", "list=%p", (void *) list);
    }
}

static void cidr_test_addr(void)
{
    char    label[256];
    char    text[INET6_ADDRSTRLEN];
    unsigned char addr[16];
    int     family;
    int     status;

    for (size_t i = 0; i < sizeof(addr_rows) / sizeof(addr_rows[0]); i++) {
        const ADDR_ROW *row = addr_rows + i;

        family = -1;
        memset(addr, 0xaa, sizeof(addr));
        status = cidr_parse_addr(row->text, addr, &family);
        snprintf(label, sizeof(label), "parse %s: result", row->label);
        harness_inteq(label, status, row->want);
        if (status != 0)
            continue;
        snprintf(label, sizeof(label), "parse %s: family", row->label);
        harness_inteq(label, family, row->want_family);
        snprintf(label, sizeof(label), "parse %s: address", row->label);
        harness_streq(label, inet_ntop(family, addr, text, sizeof(text)),
                      row->want_ntop);
        if (family == AF_INET) {
            static const unsigned char zero[12];

            snprintf(label, sizeof(label), "parse %s: bytes 4-15 zero", row->label);
            harness_check(memcmp(addr + 4, zero, sizeof(zero)) == 0, label,
                          "not zeroed");
        }
    }
}

/* cidr_test_many - a list past its initial capacity keeps every entry. */

static void cidr_test_many(void)
{
    CIDR_LIST *list = cidr_list_new();
    char    pattern[64];
    char    addr[64];
    int     ok = 1;

    for (int i = 0; i < 200; i++) {
        snprintf(pattern, sizeof(pattern), "10.%d.0.0/16", i);
        if (cidr_list_add(list, pattern, 0) != 0)
            ok = 0;
    }
    harness_check(ok, "200 prefixes added", "an add failed");
    for (int i = 0; i < 256; i++) {
        snprintf(addr, sizeof(addr), "10.%d.1.2", i);
        if (cidr_list_match(list, addr) != (i < 200))
            ok = 0;
    }
    harness_check(ok, "200 prefixes all match, others do not", "mismatch");
    cidr_list_free(&list);
    cidr_list_free(&list);
    harness_log_check("many: log", 0);
}

int     main(void)
{
    harness_init("cidr_test");
    cidr_test_add();
    cidr_test_match();
    cidr_test_addr();
    cidr_test_many();
    return (harness_done());
}
