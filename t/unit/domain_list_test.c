/* NAME
 *	domain_list_test 1
 * SUMMARY
 *	unit tests for domain_list(3)
 * DESCRIPTION
 *	Each row: a pattern list, flags, a domain, the wanted
 *	domain_list_match() result, the table lookups the callback saw
 *	("table key" joined with "|"), and the wanted log text. The fake
 *	tables: "hash:/t/dom" holds example.net, .sub.example.org and
 *	relay.example; "regexp:/t/re" holds every name that ends in
 *	".re.example"; any "fail:" table fails every lookup. "$D" in a
 *	pattern list is replaced by a temporary directory holding the
 *	files the /file/name rows read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "domain_list.h"
#include "harness.h"

typedef struct ROW {
    const char *label;
    const char *patterns;
    int     flags;
    const char *domain;
    long    want;
    const char *want_calls;             /* lookups made, "table key|..." */
    const char *want_log;
} ROW;

#define P DOMAIN_LIST_PARENT

static const ROW rows[] = {
    /* Names. */
    {"exact", "example.com", 0, "example.com", 1, "", 0},
    {"exact, other case", "Example.COM", 0, "EXAMPLE.com", 1, "", 0},
    {"trailing dot on domain", "example.com", 0, "example.com.", 1, "", 0},
    {"trailing dot on pattern", "example.com.", 0, "example.com", 1, "", 0},
    {"different domain", "example.com", 0, "example.org", 0, "", 0},
    {"subdomain without parent", "example.com", 0, "mail.example.com", 0, "", 0},
    {"subdomain with parent", "example.com", P, "mail.example.com", 1, "", 0},
    {"deep subdomain with parent", "example.com", P, "a.b.c.example.com", 1, "", 0},
    {"suffix is not a subdomain", "example.com", P, "badexample.com", 0, "", 0},
    {"parent of the pattern", "mail.example.com", P, "example.com", 0, "", 0},
    {"dot form: subdomain", ".example.com", 0, "mail.example.com", 1, "", 0},
    {"dot form: deep subdomain", ".example.com", 0, "a.b.example.com", 1, "", 0},
    {"dot form: not the domain", ".example.com", 0, "example.com", 0, "", 0},
    {"dot form: not the domain, parent", ".example.com", P, "example.com", 0, "", 0},
    {"dot form: subdomain, parent", ".example.com", P, "mail.example.com", 1, "", 0},
    {"dot form: suffix is not a subdomain", ".example.com", 0, "xexample.com", 0, "", 0},
    {"both forms", "example.com .example.com", 0, "mail.example.com", 1, "", 0},
    {"list separators", "a.example,b.example\tc.example\n d.example", 0,
    "d.example", 1, "", 0},
    {"commas and spaces only", " , ,, ", 0, "example.com", 0, "", 0},
    {"empty list", "", 0, "example.com", 0, "", 0},
    {"empty domain", "example.com", 0, "", 0, "", 0},
    {"dot as domain", "example.com", 0, ".", 0, "", 0},
    {"domain literal", "[192.0.2.1]", 0, "[192.0.2.1]", 1, "", 0},
    {"mydestination default", "mail.example.com, localhost.example.com, localhost", 0,
    "LOCALHOST", 1, "", 0},

    /* Negation: the first match decides. */
    {"negated name", "!example.com", 0, "example.com", 0, "", 0},
    {"exclude then include", "!mail.example.com, .example.com", 0,
    "mail.example.com", 0, "", 0},
    {"exclude does not hit, include does", "!mail.example.com, .example.com", 0,
    "www.example.com", 1, "", 0},
    {"include first wins over exclude", ".example.com, !mail.example.com", 0,
    "mail.example.com", 1, "", 0},
    {"exclude with parent", "!example.com, .com", P, "a.example.com", 0, "", 0},
    {"double negation", "!!example.com", 0, "example.com", 1, "", 0},
    {"lone !", "!, example.com", 0, "example.com", 1, "",
    "warning: domain list: ignoring \"!\" with no pattern after it"},

    /* Tables, through the callback. */
    {"table hit", "hash:/t/dom", 0, "example.net", 1, "hash:/t/dom example.net", 0},
    {"table key is normalised", "hash:/t/dom", 0, "Example.NET.", 1,
    "hash:/t/dom example.net", 0},
    {"table miss walks dot parents", "hash:/t/dom", 0, "a.b.example.com", 0,
    "hash:/t/dom a.b.example.com|hash:/t/dom .b.example.com"
    "|hash:/t/dom .example.com|hash:/t/dom .com", 0},
    {"table miss walks parents", "hash:/t/dom", P, "a.b.example.com", 0,
    "hash:/t/dom a.b.example.com|hash:/t/dom b.example.com"
    "|hash:/t/dom example.com|hash:/t/dom com", 0},
    {"table parent hit", "hash:/t/dom", P, "mx.example.net", 1,
    "hash:/t/dom mx.example.net|hash:/t/dom example.net", 0},
    {"table parent entry needs parent flag", "hash:/t/dom", 0, "mx.example.net", 0,
    "hash:/t/dom mx.example.net|hash:/t/dom .example.net|hash:/t/dom .net", 0},
    {"table dot entry", "hash:/t/dom", 0, "a.sub.example.org", 1,
    "hash:/t/dom a.sub.example.org|hash:/t/dom .sub.example.org", 0},
    {"regexp table: one lookup", "regexp:/t/re", P, "a.b.re.example", 1,
    "regexp:/t/re a.b.re.example", 0},
    {"regexp table miss: one lookup", "regexp:/t/re", P, "a.b.example", 0,
    "regexp:/t/re a.b.example", 0},
    {"proxied pattern table: one lookup", "proxy:pcre:/t/re", P, "a.b.example", 0,
    "proxy:pcre:/t/re a.b.example", 0},
    {"name before table", "example.net, hash:/t/dom", 0, "example.net", 1, "", 0},
    {"table before name", "hash:/t/dom, relay.example", 0, "relay.example", 1,
    "hash:/t/dom relay.example", 0},
    {"negated table", "!hash:/t/dom, .net", 0, "example.net", 0,
    "hash:/t/dom example.net", 0},
    {"negated table miss", "!hash:/t/dom, .net", 0, "other.net", 1,
    "hash:/t/dom other.net|hash:/t/dom .net", 0},
    {"failed lookup", "fail:x", 0, "example.com", -1, "fail:x example.com", 0},
    {"failed lookup in negated table", "!fail:x", 0, "example.com", -1,
    "fail:x example.com", 0},
    {"failed lookup after a match", "example.com, fail:x", 0, "example.com", 1, "", 0},
    {"failed lookup before a match", "fail:x, example.com", 0, "example.com", -1,
    "fail:x example.com", 0},
    {"failed lookup on a parent", "hash:/t/dom fail:x", P, "a.example", -1,
    "hash:/t/dom a.example|hash:/t/dom example|fail:x a.example", 0},
    {"braces keep a table whole", "inline:{a.example, b.example}", 0, "x.example", 0,
    "inline:{a.example, b.example} x.example|inline:{a.example, b.example} .example", 0},
    {"nested braces", "inline:{{a b}, c} d.example", 0, "d.example", 1,
    "inline:{{a b}, c} d.example|inline:{{a b}, c} .example", 0},

    /* Files. */
    {"file: name", "$D/domains", 0, "two.example", 1, "", 0},
    {"file: comment line is ignored", "$D/domains", 0, "commented.example", 0,
    "hash:/t/dom commented.example|hash:/t/dom .example", 0},
    {"file: last name, after the table", "$D/domains", 0, "four.example", 1,
    "hash:/t/dom four.example|hash:/t/dom .example", 0},
    {"file: table inside", "$D/domains", 0, "example.net", 1,
    "hash:/t/dom example.net", 0},
    {"file: negated", "!$D/domains, .example", 0, "two.example", 0, "", 0},
    {"file: negated, double negation inside", "!$D/domains, .example", 0,
    "not.example", 1, "hash:/t/dom not.example|hash:/t/dom .example", 0},
    {"file: nested file", "$D/outer", 0, "three.example", 1, "", 0},
    {"file: missing", "$D/missing, example.com", 0, "example.com", -1, "",
    "warning: domain list: $D/missing: open: No such file or directory"},
    {"file: missing after a match", "example.com, $D/missing", 0, "example.com", 1,
    "", 0},
    {"file: loop", "$D/loop", 0, "example.com", -1, "",
    "warning: domain list: $D/loop: too many nested /file/name patterns"},
};

 /* Files for the /file/name rows: name, then contents. */
static const char *files[][2] = {
    {"domains", "one.example, two.example\n# commented.example\nthree.example\t"
    "hash:/t/dom\n!not.example four.example"},
    {"outer", "$D/domains\n"},
    {"loop", "$D/loop\n"},
};

static BUF *calls;

/* fake_table - see the DESCRIPTION; records each lookup in calls */

static int fake_table(const char *table, const char *key, void *context)
{
    size_t  len = strlen(key);

    (void) context;
    if (calls->len > 0)
        buf_putc(calls, '|');
    buf_printf(calls, "%s %s", table, key);
    if (strncmp(table, "fail:", 5) == 0)
        return (-1);
    if (strcmp(table, "hash:/t/dom") == 0)
        return (strcmp(key, "example.net") == 0
                || strcmp(key, ".sub.example.org") == 0
                || strcmp(key, "relay.example") == 0);
    if (strcmp(table, "regexp:/t/re") == 0)
        return (len > 11 && strcmp(key + len - 11, ".re.example") == 0);
    return (0);
}

/* subst - text with every "$D" replaced by dir */

static void subst(BUF *out, const char *text, const char *dir)
{
    const char *cp;

    buf_reset(out);
    while ((cp = strstr(text, "$D")) != 0) {
        buf_append(out, text, (size_t) (cp - text));
        buf_puts(out, dir);
        text = cp + 2;
    }
    buf_puts(out, text);
}

static void make_files(const char *dir, BUF *tmp)
{
    BUF    *path = buf_new(64);
    FILE   *fp;

    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        buf_reset(path);
        buf_printf(path, "%s/%s", dir, files[i][0]);
        subst(tmp, files[i][1], dir);
        if ((fp = fopen(path->data, "w")) == 0 || fputs(tmp->data, fp) < 0
            || fclose(fp) != 0)
            harness_check(0, "write test file", "%s", path->data);
    }
    buf_free(&path);
}

static void remove_files(const char *dir)
{
    char    path[512];

    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, files[i][0]);
        unlink(path);
    }
    rmdir(dir);
}

/* test_null_callback - tables never match without a callback */

static void test_null_callback(void)
{
    DOMAIN_LIST *list = domain_list_new("fail:x, hash:/t/dom, example.com", P);

    harness_inteq("NULL callback: table skipped, name matches",
                  domain_list_match(list, "example.com", 0, 0), 1);
    harness_inteq("NULL callback: table never matches",
                  domain_list_match(list, "example.net", 0, 0), 0);
    domain_list_free(&list);
    harness_check(list == 0, "free clears the pointer", "list=%p", (void *) list);
    domain_list_free(&list);
    list = domain_list_new(0, 0);
    harness_inteq("NULL pattern text: empty list",
                  domain_list_match(list, "example.com", 0, 0), 0);
    domain_list_free(&list);
    harness_log_check("NULL callback: log", 0);
}

int     main(void)
{
    char    dir[] = "/tmp/domain_list_test.XXXXXX";
    char    label[256];
    BUF    *patterns = buf_new(128);
    BUF    *want_log = buf_new(128);

    harness_init("domain_list_test");
    calls = buf_new(256);
    if (mkdtemp(dir) == 0) {
        harness_check(0, "mkdtemp", "%s", dir);
        return (harness_done());
    }
    make_files(dir, patterns);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const ROW *row = rows + i;
        DOMAIN_LIST *list;

        subst(patterns, row->patterns, dir);
        list = domain_list_new(patterns->data, row->flags);
        buf_reset(calls);
        snprintf(label, sizeof(label), "%s", row->label);
        harness_inteq(label, domain_list_match(list, row->domain, fake_table, 0),
                      row->want);
        snprintf(label, sizeof(label), "%s: lookups", row->label);
        harness_streq(label, calls->data, row->want_calls);
        snprintf(label, sizeof(label), "%s: log", row->label);
        if (row->want_log)
            subst(want_log, row->want_log, dir);
        harness_log_check(label, row->want_log ? want_log->data : 0);
        domain_list_free(&list);
    }
    test_null_callback();
    remove_files(dir);
    buf_free(&calls);
    buf_free(&patterns);
    buf_free(&want_log);
    return (harness_done());
}
