/* NAME
 *	rewrite_header_test 1
 * SUMMARY
 *	table-driven tests of header address rewriting
 * DESCRIPTION
 *	Each row: a header field, the flags, and the field wanted back
 *	(comments, quotes, groups and folding kept byte for byte).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "harness.h"
#include "msg.h"
#include "rewrite_addr.h"
#include "rewrite_header.h"

#define LOCAL REWRITE_ADDR_LOCAL

typedef struct ROW {
    const char *label;
    int     flags;
    const char *in;
    const char *want;
} ROW;

static const ROW rows[] = {
    {"bare unqualified sender", LOCAL, "From: joe\n", "From: joseph@example.com\n"},
    {"display name and angle address", LOCAL, "From: Joe Bloggs <joe>\n",
    "From: Joe Bloggs <joseph@example.com>\n"},
    {"quoted display name with comma", LOCAL, "From: \"Bloggs, Joe\" <joe@example.com>\n",
    "From: \"Bloggs, Joe\" <joseph@example.com>\n"},
    {"comment after a bare address", LOCAL, "From: joe@host.example.com (Joe, here)\n",
    "From: joe@example.com (Joe, here)\n"},
    {"recipient list, folded", LOCAL, "To: a@host.example.com,\n\tb <b@x.example.com>, c\n",
    "To: a@example.com,\n\tb <b@example.com>, c@example.com\n"},
    {"group syntax", LOCAL, "To: Friends: a@host.example.com, b@other.test;\n",
    "To: Friends: a@example.com, b@other.test;\n"},
    {"empty group", LOCAL, "Cc: undisclosed-recipients:;\n", "Cc: undisclosed-recipients:;\n"},
    {"null angle address", LOCAL, "Reply-To: <>\n", "Reply-To: <>\n"},
    {"quoted local part left alone", LOCAL, "From: \"a b\"@host.example.com\n",
    "From: \"a b\"@host.example.com\n"},
    {"not an address header", LOCAL, "Subject: joe, a@host.example.com\n",
    "Subject: joe, a@host.example.com\n"},
    {"unbalanced comment: unchanged", LOCAL, "From: joe (oops\n", "From: joe (oops\n"},
    {"unbalanced angle: unchanged", LOCAL, "From: <joe\n", "From: <joe\n"},
    {"not local: no qualifying", 0, "From: joe\n", "From: joe\n"},
    {"case-insensitive field name", LOCAL, "FROM: joe\n", "FROM: joseph@example.com\n"},
    {"no colon at all", LOCAL, "garbage\n", "garbage\n"},
};

static char dir[] = "/tmp/rewrite_header_test.XXXXXX";

int     main(void)
{
    BUF    *out = buf_new(128);
    BUF    *path = buf_new(64);
    FILE   *fp;

    harness_init("rewrite_header_test");
    if (mkdtemp(dir) == NULL)
        msg_fatal("mkdtemp: %m");
    buf_printf(path, "%s/main.cf", dir);
    if ((fp = fopen(path->data, "w")) == NULL)
        msg_fatal("create %s: %m", path->data);
    fputs("myorigin = example.com\nmydestination = example.com\n"
          "canonical_maps = inline:{ joe@example.com=joseph@example.com }\n"
          "masquerade_domains = example.com\n", fp);
    if (fclose(fp) != 0)
        msg_fatal("write %s: %m", path->data);
    config_load(dir, 0);
    for (const ROW *row = rows; row < rows + sizeof(rows) / sizeof(*row); row++) {
        buf_reset(out);
        harness_inteq(row->label, rewrite_header_field(row->in, strlen(row->in), row->flags,
                                                       out), 0);
        harness_streq(row->label, out->data, row->want);
        harness_log_reset();
    }
    (void) unlink(path->data);
    (void) rmdir(dir);
    buf_free(&out);
    buf_free(&path);
    return (harness_done());
}
