/* NAME
 *	dns_test 1
 * SUMMARY
 *	unit tests for dns(3): reply parsing and MX ordering
 * DESCRIPTION
 *	Parse rows: a canned wire-format reply (rcode and answer records,
 *	built here with uncompressed names), the query name and type, and
 *	the wanted dns_parse() result, record count, the records (MX
 *	"pref host" or the address) joined by ", ", and the canonical name.
 *	A row may cut the reply short to make it malformed. Sort rows: MX
 *	preferences in; each run of dns_mx_sort() must give them in
 *	increasing order, and over many runs every host of an equal
 *	preference must come first sometimes.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dns.h"
#include "harness.h"
#include "mem.h"

typedef struct RR_SPEC {
    const char *owner;
    int     type;
    const char *data;                   /* A/AAAA address, CNAME target, MX "pref host" */
    int     bad_len;                    /* nonzero: this rdata length instead */
} RR_SPEC;

typedef struct PARSE_ROW {
    const char *label;
    int     rcode;
    RR_SPEC rr[4];
    const char *qname;
    int     qtype;
    int     cut;                        /* bytes cut off the end */
    int     want;
    const char *want_records;
    const char *want_cname;             /* NULL: not checked */
} PARSE_ROW;

static const PARSE_ROW parse_rows[] = {
    {"two MX records", 0, {{"example.test", DNS_TYPE_MX, "20 mx2.example.test", 0},
        {"example.test", DNS_TYPE_MX, "10 mx1.example.test", 0}},
    "example.test", DNS_TYPE_MX, 0, DNS_OK, "20 mx2.example.test, 10 mx1.example.test",
    "example.test"},
    {"null MX", 0, {{"nullmx.test", DNS_TYPE_MX, "0 .", 0}},
    "nullmx.test", DNS_TYPE_MX, 0, DNS_OK, "0 ", 0},
    {"A record", 0, {{"host.test", DNS_TYPE_A, "192.0.2.1", 0}},
    "host.test", DNS_TYPE_A, 0, DNS_OK, "192.0.2.1", "host.test"},
    {"AAAA record", 0, {{"host.test", DNS_TYPE_AAAA, "2001:db8::1", 0}},
    "host.test", DNS_TYPE_AAAA, 0, DNS_OK, "2001:db8::1", 0},
    {"owner differs in case and trailing dot", 0, {{"HOST.test.", DNS_TYPE_A, "192.0.2.1", 0}},
    "host.test", DNS_TYPE_A, 0, DNS_OK, "192.0.2.1", 0},
    {"NXDOMAIN", 3, {{0, 0, 0, 0}}, "nx.test", DNS_TYPE_MX, 0, DNS_NOTFOUND, "", 0},
    {"SERVFAIL", 2, {{0, 0, 0, 0}}, "broken.test", DNS_TYPE_MX, 0, DNS_RETRY, "", 0},
    {"REFUSED", 5, {{0, 0, 0, 0}}, "refused.test", DNS_TYPE_MX, 0, DNS_INVAL, "", 0},
    {"no answer: NODATA", 0, {{0, 0, 0, 0}}, "host.test", DNS_TYPE_MX, 0, DNS_NODATA, "", 0},
    {"records of another name only", 0, {{"other.test", DNS_TYPE_A, "192.0.2.1", 0}},
    "host.test", DNS_TYPE_A, 0, DNS_NODATA, "", 0},
    {"CNAME chain in the reply", 0, {{"alias.test", DNS_TYPE_CNAME, "mid.test", 0},
        {"mid.test", DNS_TYPE_CNAME, "real.test", 0}, {"real.test", DNS_TYPE_A, "192.0.2.7", 0}},
    "alias.test", DNS_TYPE_A, 0, DNS_OK, "192.0.2.7", "real.test"},
    {"CNAME without its target's records", 0, {{"alias.test", DNS_TYPE_CNAME, "real.test", 0}},
    "alias.test", DNS_TYPE_A, 0, DNS_CNAME, "", "real.test"},
    {"CNAME loop", 0, {{"a.test", DNS_TYPE_CNAME, "b.test", 0}, {"b.test", DNS_TYPE_CNAME, "a.test", 0}},
    "a.test", DNS_TYPE_A, 0, DNS_INVAL, "", 0},
    {"A record of the wrong length", 0, {{"host.test", DNS_TYPE_A, "192.0.2.1", 3}},
    "host.test", DNS_TYPE_A, 0, DNS_INVAL, "", 0},
    {"MX record too short", 0, {{"host.test", DNS_TYPE_MX, "10 mx.test", 2}},
    "host.test", DNS_TYPE_MX, 0, DNS_INVAL, "", 0},
    {"reply cut short", 0, {{"host.test", DNS_TYPE_A, "192.0.2.1", 0}},
    "host.test", DNS_TYPE_A, 3, DNS_INVAL, "", 0},
    {"header only, cut", 0, {{0, 0, 0, 0}}, "host.test", DNS_TYPE_A, 1000, DNS_INVAL, "", 0},
};

/* put_name - a domain name, uncompressed. */

static size_t put_name(unsigned char *out, const char *name)
{
    size_t  n = 0;
    const char *cp = name, *dot;

    while (*cp) {
        size_t  len = (dot = strchr(cp, '.')) ? (size_t) (dot - cp) : strlen(cp);

        out[n++] = (unsigned char) len;
        memcpy(out + n, cp, len);
        n += len;
        cp += len;
        if (*cp == '.')
            cp++;
    }
    out[n++] = 0;
    return (n);
}

static size_t put16(unsigned char *out, unsigned v)
{
    out[0] = (unsigned char) (v >> 8);
    out[1] = (unsigned char) v;
    return (2);
}

/* build_reply - header, one question, the answers. */

static size_t build_reply(const PARSE_ROW *row, unsigned char *buf)
{
    size_t  n = 0, count = 0, rdstart;

    while (count < 4 && row->rr[count].owner)
        count++;
    n += put16(buf + n, 0x1234);
    n += put16(buf + n, 0x8180 | (unsigned) row->rcode);
    n += put16(buf + n, 1);
    n += put16(buf + n, (unsigned) count);
    n += put16(buf + n, 0);
    n += put16(buf + n, 0);
    n += put_name(buf + n, row->qname);
    n += put16(buf + n, (unsigned) row->qtype);
    n += put16(buf + n, 1);
    for (size_t i = 0; i < count; i++) {
        const RR_SPEC *rr = row->rr + i;

        n += put_name(buf + n, rr->owner);
        n += put16(buf + n, (unsigned) rr->type);
        n += put16(buf + n, 1);
        memcpy(buf + n, "\0\0\1\0", 4);         /* TTL 256 */
        n += 4;
        rdstart = n + 2;
        n = rdstart;
        if (rr->type == DNS_TYPE_A) {
            inet_pton(AF_INET, rr->data, buf + n);
            n += 4;
        } else if (rr->type == DNS_TYPE_AAAA) {
            inet_pton(AF_INET6, rr->data, buf + n);
            n += 16;
        } else if (rr->type == DNS_TYPE_MX) {
            const char *host = strchr(rr->data, ' ') + 1;

            n += put16(buf + n, (unsigned) atoi(rr->data));
            n += strcmp(host, ".") == 0 ? (buf[n] = 0, 1) : put_name(buf + n, host);
        } else {
            n += put_name(buf + n, rr->data);
        }
        put16(buf + rdstart - 2, (unsigned) (rr->bad_len ? (size_t) rr->bad_len : n - rdstart));
        if (rr->bad_len)
            n = rdstart + (size_t) rr->bad_len;
    }
    return (n);
}

static void format_records(const DNS_LIST *list, BUF *out)
{
    char    addr[INET6_ADDRSTRLEN];

    for (size_t i = 0; i < list->count; i++) {
        const DNS_RR *rr = list->rr + i;

        if (i)
            buf_puts(out, ", ");
        if (rr->type == DNS_TYPE_MX) {
            buf_printf(out, "%u %s", rr->pref, rr->host);
        } else {
            inet_ntop(rr->addr_len == 4 ? AF_INET : AF_INET6, rr->addr, addr, sizeof(addr));
            buf_puts(out, addr);
        }
    }
}

static void test_parse(void)
{
    for (size_t i = 0; i < sizeof(parse_rows) / sizeof(parse_rows[0]); i++) {
        const PARSE_ROW *row = parse_rows + i;
        unsigned char reply[1024];
        size_t  len = build_reply(row, reply);
        DNS_LIST list;
        char    cname[DNS_NAME_MAX] = "";
        BUF    *got = buf_new(64);
        int     status;

        len = (size_t) row->cut >= len ? 5 : len - (size_t) row->cut;
        status = dns_parse(reply, (int) len, row->qname, row->qtype, &list, cname);
        harness_inteq(row->label, status, row->want);
        format_records(&list, got);
        harness_streq(row->label, got->data, row->want_records);
        if (row->want_cname)
            harness_streq(row->label, cname, row->want_cname);
        dns_list_free(&list);
        buf_free(&got);
    }
}

typedef struct SORT_ROW {
    const char *label;
    unsigned prefs[6];
    size_t  count;
} SORT_ROW;

static const SORT_ROW sort_rows[] = {
    {"already in order", {10, 20, 30}, 3},
    {"reversed", {30, 20, 10}, 3},
    {"equal preferences shuffled", {20, 10, 10, 30, 10}, 5},
    {"one record", {0}, 1},
};

static void test_sort(void)
{
    for (size_t r = 0; r < sizeof(sort_rows) / sizeof(sort_rows[0]); r++) {
        const SORT_ROW *row = sort_rows + r;
        int     first_seen[6] = {0};
        int     ordered = 1, all_first = 1;
        unsigned best = ~0u;

        for (size_t i = 0; i < row->count; i++)
            if (row->prefs[i] < best)
                best = row->prefs[i];
        for (int run = 0; run < 300; run++) {
            DNS_LIST list;
            char    name[24];

            list.count = row->count;
            list.rr = mem_calloc(row->count, sizeof(DNS_RR));
            for (size_t i = 0; i < row->count; i++) {
                snprintf(name, sizeof(name), "%zu", i);
                list.rr[i].type = DNS_TYPE_MX;
                list.rr[i].pref = row->prefs[i];
                list.rr[i].host = mem_strdup(name);
            }
            dns_mx_sort(&list);
            for (size_t i = 1; i < list.count; i++)
                if (list.rr[i - 1].pref > list.rr[i].pref)
                    ordered = 0;
            first_seen[atoi(list.rr[0].host)] = 1;
            dns_list_free(&list);
        }
        for (size_t i = 0; i < row->count; i++)
            if (row->prefs[i] == best && !first_seen[i])
                all_first = 0;
        harness_check(ordered, row->label, "not in preference order");
        harness_check(all_first, row->label, "an equal best MX never came first");
    }
}

int     main(void)
{
    harness_init("dns_test");
    srandom(1);
    test_parse();
    test_sort();
    return (harness_done());
}
