/* NAME
 *	rewrite_addr_test 1
 * SUMMARY
 *	table-driven tests of envelope address rewriting
 * DESCRIPTION
 *	One main.cf with inline: tables for every rule; each row gives an
 *	address, the context (local or not) and what rewriting makes of it:
 *	the sender, or the recipients joined with ",", or an error. (Table
 *	errors are tested end to end: t/e2e/test_rewrite.py.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "harness.h"
#include "mem.h"
#include "msg.h"
#include "rewrite_addr.h"
#include "strv.h"

#define SENDER  0
#define RCPT    1
#define LOCAL   REWRITE_ADDR_LOCAL

typedef struct ROW {
    const char *label;
    int     which;                      /* SENDER or RCPT */
    int     flags;
    const char *address;
    const char *want;                   /* NULL: an error (-1) */
} ROW;

static const ROW rows[] = {
    {"unqualified sender gets @myorigin, then canonical", SENDER, LOCAL, "joe",
    "joseph.smith@example.com"},
    {"not local: left alone", SENDER, 0, "joe", "joe"},
    {"sender_canonical before canonical", SENDER, LOCAL, "root", "admin@example.com"},
    {"masquerade a subdomain", SENDER, 0, "x@host.example.com", "x@example.com"},
    {"masquerade exception", SENDER, 0, "root@host.example.com", "root@host.example.com"},
    {"masquerade exclusion comes first", SENDER, 0, "x@a.secret.example.com",
    "x@a.secret.example.com"},
    {"append_dot_mydomain, then masquerade", SENDER, LOCAL, "x@host", "x@example.com"},
    {"null sender stays null", SENDER, LOCAL, "", ""},
    {"@domain result keeps the user", SENDER, 0, "u@old.example", "u@new.example"},
    {"recipient_canonical", RCPT, 0, "info@example.com", "sales@example.com"},
    {"recipient: canonical_maps too", RCPT, 0, "joe@example.com", "joseph.smith@example.com"},
    {"extension propagated", RCPT, 0, "joe+x@example.com", "joseph.smith+x@example.com"},
    {"virtual fan-out", RCPT, 0, "list@v.example", "a@example.com,b@example.com"},
    {"virtual self reference", RCPT, 0, "loop@v.example", "loop@v.example,c@example.com"},
    {"virtual loop ends", RCPT, 0, "a1@v.example", "a1@v.example"},
    {"virtual, nested and deduplicated", RCPT, 0, "team@v.example",
    "a@example.com,b@example.com,c@example.com"},
    {"virtual not found", RCPT, 0, "z@v.example", "z@v.example"},
    {"recipient not touched by masquerading", RCPT, 0, "x@host.example.com",
    "x@host.example.com"},
};

static char dir[] = "/tmp/rewrite_addr_test.XXXXXX";

static void write_main_cf(void)
{
    BUF    *path = buf_new(64);
    FILE   *fp;

    buf_printf(path, "%s/main.cf", dir);
    if ((fp = fopen(path->data, "w")) == NULL)
        msg_fatal("create %s: %m", path->data);
    fputs("myorigin = example.com\n"
          "mydomain = example.com\n"
          "mydestination = example.com, localhost\n"
          "append_dot_mydomain = yes\n"
          "recipient_delimiter = +\n"
          "canonical_maps = inline:{ joe@example.com=joseph.smith@example.com,"
          " @old.example=@new.example }\n"
          "sender_canonical_maps = inline:{ root@example.com=admin@example.com }\n"
          "recipient_canonical_maps = inline:{ info@example.com=sales@example.com }\n"
          "masquerade_domains = !secret.example.com, example.com\n"
          "masquerade_exceptions = root\n"
          "virtual_alias_maps = inline:{ {list@v.example = a@example.com, b@example.com},"
          " {loop@v.example = loop@v.example, c@example.com},"
          " a1@v.example=a2@v.example, a2@v.example=a1@v.example,"
          " {team@v.example = list@v.example, b@example.com, c@example.com},"
          " v.example=virtual }\n"
          "virtual_alias_domains = v.example\n", fp);
    if (fclose(fp) != 0)
        msg_fatal("write %s: %m", path->data);
    buf_free(&path);
}

int     main(void)
{
    BUF    *out = buf_new(64);
    STRV   *list;

    harness_init("rewrite_addr_test");
    if (mkdtemp(dir) == NULL)
        msg_fatal("mkdtemp: %m");
    write_main_cf();
    config_load(dir, 0);
    for (const ROW *row = rows; row < rows + sizeof(rows) / sizeof(*row); row++) {
        int     status;

        buf_reset(out);
        if (row->which == SENDER) {
            status = rewrite_addr_sender(row->address, row->flags, out);
        } else {
            list = strv_new();
            status = rewrite_addr_recipient(row->address, row->flags, list);
            for (size_t i = 0; i < list->argc; i++)
                buf_printf(out, "%s%s", i ? "," : "", list->argv[i]);
            strv_free(&list);
        }
        harness_streq(row->label, status < 0 ? NULL : out->data, row->want);
        harness_log_reset();
    }
    harness_inteq("virtual domain, unknown user", rewrite_addr_virtual_unknown("z@v.example"), 1);
    harness_inteq("virtual domain, known user", rewrite_addr_virtual_unknown("list@v.example"), 0);
    harness_inteq("not a virtual domain", rewrite_addr_virtual_unknown("z@example.com"), 0);
    harness_log_reset();
    buf_free(&out);
    {
        BUF    *cmd = buf_new(64);

        buf_printf(cmd, "rm -rf %s", dir);
        if (system(cmd->data) != 0)
            msg_warn("cannot remove %s", dir);
        buf_free(&cmd);
    }
    return (harness_done());
}
