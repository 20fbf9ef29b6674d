/* NAME
 *	logical_line_test 1
 * SUMMARY
 *	unit tests for logical_line(3)
 * DESCRIPTION
 *	Each row is a text of physical lines, fed one line at a time with
 *	1-based line numbers, then finished. The wanted output lists the
 *	logical lines as "first-last:text", one per line, with "--" where
 *	logical_line_finish() was called: a line before "--" was delivered
 *	as soon as the next logical line started. The wanted log text is a
 *	substring of what the joiner logged, or NULL for nothing.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "harness.h"
#include "logical_line.h"
#include "mem.h"

typedef struct LL_ROW {
    const char *label;
    const char *input;                  /* physical lines, '\n' separated */
    const char *want;
    const char *want_log;
} LL_ROW;

static const LL_ROW ll_rows[] = {
    {"empty input", "", "--\n", 0},
    {"one line", "a = b", "--\n1-1:a = b\n", 0},
    {"two lines", "a = b\nc = d", "1-1:a = b\n--\n2-2:c = d\n", 0},
    {"continuation joined with one space", "a = b\n    c\n\td",
    "--\n1-3:a = b c d\n", 0},
    {"continuation keeps inner blanks", "a = b\n  c   d  ", "--\n1-2:a = b c   d  \n", 0},
    {"comment skipped", "# comment\na = b", "--\n2-2:a = b\n", 0},
    {"indented comment skipped", "a = b\n   # indented comment\nc = d",
    "1-1:a = b\n--\n3-3:c = d\n", 0},
    {"comment does not end a logical line", "a = b\n# note\n  c",
    "--\n1-3:a = b c\n", 0},
    {"indented comment inside continuation", "a = b\n  # note\n  c\nd = e",
    "1-3:a = b c\n--\n4-4:d = e\n", 0},
    {"blank lines skipped", "\n\na = b\n\n\nc = d\n\n",
    "3-3:a = b\n--\n6-6:c = d\n", 0},
    {"whitespace-only line is blank", "a = b\n   \t \n  c", "--\n1-3:a = b c\n", 0},
    {"blank line between a line and its continuation", "a = b\n\n  c",
    "--\n1-3:a = b c\n", 0},
    {"hash after text is not a comment", "a = b # c\n  # d\n  e",
    "--\n1-3:a = b # c e\n", 0},
    {"continuation at start of input", "  x = y\na = b", "--\n2-2:a = b\n",
    "test.cf: logical line must not start with whitespace: \"  x = y\""},
    {"continuation after leading comment", "# c\n\tx\na = b", "--\n3-3:a = b\n",
    "logical line must not start with whitespace: \"\tx\""},
    {"warning shows 30 characters", "  a = 345678901234567890123456\nb = 1",
    "--\n2-2:b = 1\n",
    "test.cf: logical line must not start with whitespace: "
    "\"  a = 345678901234567890123456\"\n"},
    {"warning cuts a longer line", "  relayhost = [smtp.example.com]\nb = 1",
    "--\n2-2:b = 1\n",
    "test.cf: logical line must not start with whitespace: "
    "\"  relayhost = [smtp.example.co...\"\n"},
    {"only comments and blanks", "# a\n\n  # b\n", "--\n", 0},
    {"first and last line numbers", "\n# c\nname =\n  one\n\n  two\n# c\nnext = 1",
    "3-6:name = one two\n--\n8-8:next = 1\n", 0},
    {"CR is whitespace", "a = b\n\r\n \rc", "--\n1-3:a = b c\n", 0},
};

static void ll_test_collect(const char *text, int first, int last, void *context)
{
    buf_printf((BUF *) context, "%d-%d:%s\n", first, last, text);
}

static void ll_test_feed_text(LOGICAL_LINE *ll, const char *text)
{
    int     lineno = 0;

    while (*text) {
        size_t  len = strcspn(text, "\n");
        char   *line = mem_strndup(text, len);

        logical_line_feed(ll, line, ++lineno);
        mem_free(line);
        text += len + (text[len] == '\n');
    }
}

/* ll_test_reuse - after finish, the joiner starts afresh. */

static void ll_test_reuse(void)
{
    BUF    *out = buf_new(64);
    LOGICAL_LINE *ll = logical_line_new("reuse.cf", ll_test_collect, out);

    logical_line_feed(ll, "a", 1);
    logical_line_feed(ll, " b", 2);
    logical_line_finish(ll);
    logical_line_finish(ll);
    logical_line_feed(ll, "c", 1);
    logical_line_feed(ll, " d", 2);
    logical_line_finish(ll);
    harness_streq("reuse after finish", out->data, "1-2:a b\n1-2:c d\n");
    harness_log_check("reuse logs nothing", 0);
    logical_line_free(&ll);
    harness_check(ll == 0, "free clears the pointer", "ll=%p", (void *) ll);
    logical_line_free(&ll);
    buf_free(&out);
}

int     main(void)
{
    BUF    *out = buf_new(256);
    char    label[256];

    harness_init("logical_line_test");
    for (size_t i = 0; i < sizeof(ll_rows) / sizeof(ll_rows[0]); i++) {
        const LL_ROW *row = ll_rows + i;
        LOGICAL_LINE *ll = logical_line_new("test.cf", ll_test_collect, out);

        buf_reset(out);
        ll_test_feed_text(ll, row->input);
        buf_puts(out, "--\n");
        logical_line_finish(ll);
        snprintf(label, sizeof(label), "%s: logical lines", row->label);
        harness_streq(label, out->data, row->want);
        snprintf(label, sizeof(label), "%s: log", row->label);
        harness_log_check(label, row->want_log);
        logical_line_free(&ll);
    }
    ll_test_reuse();
    buf_free(&out);
    return (harness_done());
}
