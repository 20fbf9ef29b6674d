/* NAME
 *	smtp_data_test 1
 * SUMMARY
 *	unit tests for smtp_data(3)
 * DESCRIPTION
 *	Each row is the input after "354", the reader's settings, and what
 *	must come out: the content as the callback saw it (each call's
 *	bytes, then "\n" for a whole line or "\\\n" for a piece of a long
 *	line), the result, how many input bytes were used (-1: all) and
 *	the size (-1: the content's bytes without the "\\\n" markers).
 *
 *	Every row is fed three ways: all at once, one byte at a time, and
 *	split in two at every position; each way must give exactly what
 *	the row wants, so how the input arrives cannot matter.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "harness.h"
#include "smtp_data.h"

#define NORM    SMTP_DATA_BARE_LF_NORMALIZE
#define REJECT  SMTP_DATA_BARE_LF_REJECT
#define ALLOW   SMTP_DATA_BARE_LF_ALLOW

#define MORE    SMTP_DATA_MORE
#define DONE    SMTP_DATA_DONE
#define TOO_BIG SMTP_DATA_TOO_BIG
#define BARE_LF SMTP_DATA_BARE_LF

typedef struct DATA_ROW {
    const char *label;
    const char *input;
    size_t  input_len;                  /* 0: strlen(input) */
    size_t  line_limit;                 /* 0: 1000 */
    size_t  size_limit;                 /* 0: none */
    int     bare_lf;                    /* SMTP_DATA_BARE_LF_* */
    int     stop_at;                    /* callback returns -1 at call N */
    const char *want;
    size_t  want_len;                   /* 0: strlen(want) */
    int     want_result;
    long    want_used;                  /* -1: all input */
    long    want_size;                  /* -1: from want */
    int     want_bare_lf;               /* smtp_data_saw_bare_lf() */
} DATA_ROW;

static const DATA_ROW data_rows[] = {
    /* label, input, len, line, size, mode, stop, want, len, result, used, size, bare */
    {"simple message", "Subject: hi\r\n\r\nbody\r\n.\r\n", 0, 0, 0, NORM, 0,
    "Subject: hi\n\nbody\n", 0, DONE, -1, 18, 0},
    {"CRLF at end of last line normalised", "line1\r\nline2\r\n.\r\n", 0, 0, 0, NORM, 0,
    "line1\nline2\n", 0, DONE, -1, -1, 0},
    {"empty message", ".\r\n", 0, 0, 0, NORM, 0, "", 0, DONE, -1, 0, 0},
    {"empty lines", "\r\n\r\n.\r\n", 0, 0, 0, NORM, 0, "\n\n", 0, DONE, -1, 2, 0},
    {"dot-stuffed lines", "..\r\n..x\r\n.x\r\n...\r\nx.\r\n.\r\n", 0, 0, 0, NORM, 0,
    ".\n.x\nx\n..\nx.\n", 0, DONE, -1, -1, 0},
    {"dot-stuffed line alone", "..\r\n.\r\n", 0, 0, 0, NORM, 0, ".\n", 0, DONE, -1, 2, 0},
    {"lone dot after bare LF is content", "a\n.\nb\r\n.\r\n", 0, 0, 0, NORM, 0,
    "a\n.\nb\n", 0, DONE, -1, -1, 1},
    {"CRLF dot LF is not an end", "a\r\n.\nb\r\n.\r\n", 0, 0, 0, NORM, 0,
    "a\n.\nb\n", 0, DONE, -1, -1, 1},
    {"LF dot CRLF is not an end", "a\n.\r\nb\r\n.\r\n", 0, 0, 0, NORM, 0,
    "a\n.\nb\n", 0, DONE, -1, -1, 1},
    {"smuggled second message stays content",
        "a\r\n.\nMAIL FROM:<x@y>\r\n.\r\n", 0, 0, 0, NORM, 0,
    "a\n.\nMAIL FROM:<x@y>\n", 0, DONE, -1, -1, 1},
    {"dot LF at start is content", ".\n.\r\n.\r\n", 0, 0, 0, NORM, 0,
    ".\n.\n", 0, DONE, -1, 4, 1},
    {"bare LF line at start, then dot CRLF", "\n.\r\n", 0, 0, 0, NORM, 0,
    "\n.\n", 0, MORE, -1, 3, 1},
    {"dot lines after bare LFs never end", "a\n.\n.\r\n", 0, 0, 0, NORM, 0,
    "a\n.\n.\n", 0, MORE, -1, -1, 1},
    {"pipelined QUIT is not used", "a\r\n.\r\nQUIT\r\n", 0, 0, 0, NORM, 0,
    "a\n", 0, DONE, 6, 2, 0},
    {"pipelined commands after empty message", ".\r\nRSET\r\nQUIT\r\n", 0, 0, 0, NORM, 0,
    "", 0, DONE, 3, 0, 0},
    {"bare CR is content", "a\rb\r\n\r\r\n.\r\n", 0, 0, 0, NORM, 0,
    "a\rb\n\r\n", 0, DONE, -1, -1, 0},
    {"CR dot is not a line start", "x\r\n\r.\r\n.\r\n", 0, 0, 0, NORM, 0,
    "x\n\r.\n", 0, DONE, -1, -1, 0},
    {"dot CR x: dot removed, CR kept", ".\rx\r\n.\r\n", 0, 0, 0, NORM, 0,
    "\rx\n", 0, DONE, -1, -1, 0},
    {"dot CR CR LF", ".\r\r\n.\r\n", 0, 0, 0, NORM, 0, "\r\n", 0, DONE, -1, 2, 0},
    {"CR CR LF", "a\r\r\n.\r\n", 0, 0, 0, NORM, 0, "a\r\n", 0, DONE, -1, 3, 0},
    {"NUL bytes are content", "a\0b\r\n\0\r\n.\r\n", 11, 0, 0, NORM, 0,
    "a\0b\n\0\n", 6, DONE, -1, 6, 0},
    {"8-bit bytes are content", "\xc3\xa9\xff\r\n.\r\n", 0, 0, 0, NORM, 0,
    "\xc3\xa9\xff\n", 0, DONE, -1, -1, 0},
    {"long line split at line_limit", "abcdefghij\r\n.\r\n", 0, 4, 0, NORM, 0,
    "abcd\\\nefgh\\\nij\n", 0, DONE, -1, 11, 0},
    {"line of exactly line_limit", "abcd\r\nabcdefgh\r\n.\r\n", 0, 4, 0, NORM, 0,
    "abcd\nabcd\\\nefgh\n", 0, DONE, -1, 14, 0},
    {"line of line_limit plus one", "abcde\r\n.\r\n", 0, 4, 0, NORM, 0,
    "abcd\\\ne\n", 0, DONE, -1, 6, 0},
    {"bare CR right after line_limit", "abcd\rx\r\n.\r\n", 0, 4, 0, NORM, 0,
    "abcd\\\n\rx\n", 0, DONE, -1, 7, 0},
    {"bare LF right after line_limit", "abcd\nx\r\n.\r\n", 0, 4, 0, NORM, 0,
    "abcd\nx\n", 0, DONE, -1, -1, 1},
    {"line_limit counts after unstuffing", "..abcd\r\n.\r\n", 0, 4, 0, NORM, 0,
    ".abc\\\nd\n", 0, DONE, -1, 6, 0},
    {"piece starting with dot is not unstuffed", "ab.c\r\n.\r\n", 0, 2, 0, NORM, 0,
    "ab\\\n.c\n", 0, DONE, -1, 5, 0},
    {"line_limit 1", "ab\r\n\r\n.\r\n", 0, 1, 0, NORM, 0,
    "a\\\nb\n\n", 0, DONE, -1, 4, 0},
    {"size limit exceeded", "12345\r\n67890\r\n.\r\n", 0, 0, 10, NORM, 0,
    "12345\n", 0, TOO_BIG, -1, 12, 0},
    {"size limit exactly reached", "12345\r\n67890\r\n.\r\n", 0, 0, 12, NORM, 0,
    "12345\n67890\n", 0, DONE, -1, 12, 0},
    {"size limit: line end is counted", "12345\r\n67890\r\n.\r\n", 0, 0, 11, NORM, 0,
    "12345\n", 0, TOO_BIG, -1, 12, 0},
    {"size limit: flushed pieces stay", "abcdefghij\r\n.\r\n", 0, 4, 9, NORM, 0,
    "abcd\\\nefgh\\\n", 0, TOO_BIG, -1, 11, 0},
    {"size limit: read to the end, keep pipelining",
        "abcdef\r\n.\r\nQUIT\r\n", 0, 0, 3, NORM, 0, "", 0, TOO_BIG, 11, 7, 0},
    {"REJECT: bare LF", "a\r\nb\nc\r\n.\r\n", 0, 0, 0, REJECT, 0,
    "a\n", 0, BARE_LF, -1, 6, 1},
    {"REJECT: dot after bare LF is not the end",
        "a\n.\r\nb\r\n.\r\nQUIT\r\n", 0, 0, 0, REJECT, 0, "", 0, BARE_LF, 11, 6, 1},
    {"REJECT: pieces sent before the bare LF stay", "abcde\nx\r\n.\r\n", 0, 2, 0, REJECT, 0,
    "ab\\\ncd\\\n", 0, BARE_LF, -1, 8, 1},
    {"REJECT: no bare LF, no problem", "a\r\n.\r\n", 0, 0, 0, REJECT, 0,
    "a\n", 0, DONE, -1, 2, 0},
    {"REJECT: bare CR is fine", "a\rb\r\n.\r\n", 0, 0, 0, REJECT, 0,
    "a\rb\n", 0, DONE, -1, 4, 0},
    {"REJECT: size limit came first", "abcdef\r\nx\ny\r\n.\r\n", 0, 0, 3, REJECT, 0,
    "", 0, TOO_BIG, -1, 11, 1},
    {"REJECT: bare LF came first", "a\nbcdef\r\n.\r\n", 0, 0, 3, REJECT, 0,
    "", 0, BARE_LF, -1, 8, 1},
    {"NORMALIZE: bare LF ends lines", "a\nb\r\n.\r\n", 0, 0, 0, NORM, 0,
    "a\nb\n", 0, DONE, -1, -1, 1},
    {"ALLOW: bare LF ends lines", "a\nb\r\n.\r\n", 0, 0, 0, ALLOW, 0,
    "a\nb\n", 0, DONE, -1, -1, 1},
    {"ALLOW: dot after bare LF is not the end", "a\n.\r\n.\r\n", 0, 0, 0, ALLOW, 0,
    "a\n.\n", 0, DONE, -1, -1, 1},
    {"incomplete: need more", "abc\r\n.\r", 0, 0, 0, NORM, 0,
    "abc\n", 0, MORE, -1, 4, 0},
    {"incomplete: pieces of a long line", "abcde", 0, 2, 0, NORM, 0,
    "ab\\\ncd\\\n", 0, MORE, -1, 5, 0},
    {"incomplete: nothing yet", "", 0, 0, 0, NORM, 0, "", 0, MORE, -1, 0, 0},
    {"callback stop: no more calls, still DONE", "a\r\nb\r\nc\r\n.\r\nQUIT\r\n",
        0, 0, 0, NORM, 1, "a\n", 0, DONE, 12, 6, 0},
    {"callback stop on a piece", "abcdef\r\nb\r\n.\r\n", 0, 2, 0, NORM, 2,
    "ab\\\ncd\\\n", 0, DONE, -1, 9, 0},
    {"callback stop, then too big", "a\r\nbcdef\r\n.\r\n", 0, 0, 4, NORM, 1,
    "a\n", 0, TOO_BIG, -1, 8, 0},
    {"callback stop, then bare LF", "a\r\nb\nc\r\n.\r\n", 0, 0, 0, REJECT, 1,
    "a\n", 0, BARE_LF, -1, 6, 1},
};

#define DATA_WAY_WHOLE  0
#define DATA_WAY_BYTES  1
#define DATA_WAY_SPLIT  2

typedef struct DATA_OUT {
    BUF    *content;
    int     calls;
    int     stop_at;
} DATA_OUT;

typedef struct DATA_GOT {
    int     result;
    size_t  used;
    size_t  size;
    int     bare_lf;
    int     used_ok;                    /* every MORE used all it got */
} DATA_GOT;

static int data_collect(const char *data, size_t len, int partial, void *context)
{
    DATA_OUT *out = context;

    buf_append(out->content, data, len);
    buf_puts(out->content, partial ? "\\\n" : "\n");
    return (++out->calls == out->stop_at ? -1 : 0);
}

/* data_run - feed a row one way; cut is the split position. */

static void data_run(const DATA_ROW *row, int way, size_t cut, BUF *content,
                     DATA_GOT *got)
{
    size_t  len = row->input_len ? row->input_len : strlen(row->input);
    DATA_OUT out = {content, 0, row->stop_at};
    SMTP_DATA *r = smtp_data_new(row->line_limit ? row->line_limit : 1000,
                                 row->size_limit, row->bare_lf,
                                 data_collect, &out);
    size_t  pos = 0;
    size_t  piece;
    size_t  used;

    buf_reset(content);
    got->result = MORE;
    got->used = 0;
    got->used_ok = 1;
    while (pos < len && got->result == MORE) {
        if (way == DATA_WAY_BYTES)
            piece = 1;
        else if (way == DATA_WAY_SPLIT && pos < cut)
            piece = cut - pos;
        else
            piece = len - pos;
        got->result = smtp_data_feed(r, row->input + pos, piece, &used);
        if (used > piece || (got->result == MORE && used != piece))
            got->used_ok = 0;
        got->used += used;
        pos += piece;
    }
    got->size = smtp_data_size(r);
    got->bare_lf = smtp_data_saw_bare_lf(r);
    smtp_data_free(&r);
}

/* data_show - a printable form of content, for failure messages. */

static const char *data_show(const char *data, size_t len, BUF *out)
{
    buf_reset(out);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char) data[i];

        if (c == '\n')
            buf_puts(out, "\\n");
        else if (c == '\r')
            buf_puts(out, "\\r");
        else if (c == '\\')
            buf_puts(out, "\\\\");
        else if (c < 32 || c > 126)
            buf_printf(out, "\\x%02x", c);
        else
            buf_putc(out, c);
    }
    return (out->data);
}

static size_t data_want_size(const char *want, size_t len)
{
    size_t  size = 0;

    for (size_t i = 0; i < len; i++) {
        if (want[i] == '\\' && i + 1 < len && want[i + 1] == '\n')
            i++;
        else
            size++;
    }
    return (size);
}

/* data_diff - what differs from the row's wants, or NULL. */

static const char *data_diff(const DATA_ROW *row, const BUF *content,
                             const DATA_GOT *got, BUF *why)
{
    size_t  in_len = row->input_len ? row->input_len : strlen(row->input);
    size_t  want_len = row->want_len ? row->want_len : strlen(row->want);
    size_t  want_used = row->want_used < 0 ? in_len : (size_t) row->want_used;
    size_t  want_size = row->want_size < 0 ? data_want_size(row->want, want_len)
    : (size_t) row->want_size;
    BUF    *a = buf_new(64);
    BUF    *b = buf_new(64);

    buf_reset(why);
    if (content->len != want_len || memcmp(content->data, row->want, want_len) != 0)
        buf_printf(why, "content \"%s\", want \"%s\"; ",
                   data_show(content->data, content->len, a),
                   data_show(row->want, want_len, b));
    if (got->result != row->want_result)
        buf_printf(why, "result %d, want %d; ", got->result, row->want_result);
    if (got->used != want_used)
        buf_printf(why, "used %zu, want %zu; ", got->used, want_used);
    if (!got->used_ok)
        buf_puts(why, "a MORE result did not use all input; ");
    if (got->size != want_size)
        buf_printf(why, "size %zu, want %zu; ", got->size, want_size);
    if (got->bare_lf != row->want_bare_lf)
        buf_printf(why, "saw_bare_lf %d, want %d; ", got->bare_lf, row->want_bare_lf);
    buf_free(&a);
    buf_free(&b);
    return (why->len ? why->data : 0);
}

static void data_test_row(const DATA_ROW *row, BUF *content, BUF *why)
{
    size_t  len = row->input_len ? row->input_len : strlen(row->input);
    char    label[256];
    const char *diff;
    DATA_GOT got;

    data_run(row, DATA_WAY_WHOLE, 0, content, &got);
    diff = data_diff(row, content, &got, why);
    snprintf(label, sizeof(label), "%s: whole", row->label);
    harness_check(diff == 0, label, "%s", diff ? diff : "");

    data_run(row, DATA_WAY_BYTES, 0, content, &got);
    diff = data_diff(row, content, &got, why);
    snprintf(label, sizeof(label), "%s: byte by byte", row->label);
    harness_check(diff == 0, label, "%s", diff ? diff : "");

    diff = 0;
    for (size_t cut = 0; cut <= len && diff == 0; cut++) {
        data_run(row, DATA_WAY_SPLIT, cut, content, &got);
        if ((diff = data_diff(row, content, &got, why)) != 0)
            buf_printf(why, "(split at %zu)", cut);
    }
    snprintf(label, sizeof(label), "%s: every split in two", row->label);
    harness_check(diff == 0, label, "%s", diff ? diff : "");
    harness_log_check(row->label, 0);
}

/* data_test_after_end - the end is sticky; free clears the pointer. */

static void data_test_after_end(void)
{
    BUF    *content = buf_new(64);
    DATA_OUT out = {content, 0, 0};
    SMTP_DATA *r = smtp_data_new(100, 0, NORM, data_collect, &out);
    size_t  used = 99;
    int     status;

    status = smtp_data_feed(r, "", 0, &used);
    harness_check(status == MORE && used == 0, "empty feed: need more, used 0",
                  "status %d used %zu", status, used);
    status = smtp_data_feed(r, "x\r\n.\r\nQUIT\r\n", 12, &used);
    harness_check(status == DONE && used == 6, "end found",
                  "status %d used %zu", status, used);
    status = smtp_data_feed(r, "QUIT\r\n", 6, &used);
    harness_check(status == DONE && used == 0, "after the end: same result, nothing used",
                  "status %d used %zu", status, used);
    harness_streq("after the end: no more content", content->data, "x\n");
    smtp_data_free(&r);
    harness_check(r == 0, "free clears the pointer", "r=%p", (void *) r);
    smtp_data_free(&r);
    harness_log_check("after end: nothing logged", 0);
    buf_free(&content);
}

/* data_test_bad_args - a zero line_limit or unknown mode is a bug. */

static void data_test_bad_args(void)
{
    static SMTP_DATA *r;

    harness_check(HARNESS_CATCH(r = smtp_data_new(0, 0, NORM, data_collect, 0)),
                  "line_limit 0 panics", "r=%p", (void *) r);
    harness_log_check("line_limit 0 logs", "line_limit must be positive");
    harness_check(HARNESS_CATCH(r = smtp_data_new(10, 0, 7, data_collect, 0)),
                  "bad mode panics", "r=%p", (void *) r);
    harness_log_check("bad mode logs", "bad bare_lf mode 7");
}

int     main(void)
{
    BUF    *content = buf_new(256);
    BUF    *why = buf_new(256);

    harness_init("smtp_data_test");
    for (size_t i = 0; i < sizeof(data_rows) / sizeof(data_rows[0]); i++)
        data_test_row(data_rows + i, content, why);
    data_test_after_end();
    data_test_bad_args();
    buf_free(&content);
    buf_free(&why);
    return (harness_done());
}
