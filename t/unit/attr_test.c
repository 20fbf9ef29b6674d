/* NAME
 *	attr_test 1
 * SUMMARY
 *	unit tests for attr(3), the IPC codec
 * DESCRIPTION
 *	Decoding rows: a wire string, the limits, the result of feeding it
 *	to an ATTR_DECODER (whole, then one byte at a time: both must agree)
 *	and of attr_read() on a socket whose peer wrote it and closed, and
 *	the decoded attributes as "name=value|..." with bytes outside
 *	printable ASCII as \xNN. A truncated message is ATTR_NEED_MORE to
 *	the decoder and ATTR_MALFORMED to attr_read().
 *
 *	Round-trip rows: one attribute built with attr_add_str/int/data,
 *	its exact wire form, and the value read back over a socketpair with
 *	the typed getters. Then: attr_get_int() parsing, builder misuse
 *	(panics), messages back to back (decoder and attr_read), many
 *	messages across stream buffer boundaries, a 1 MiB value at and over
 *	the default limit, deadlines (a stalled peer and a trickling peer
 *	against one deadline for the whole message), write errors, and
 *	protocol announcement rows.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "attr.h"
#include "buf.h"
#include "harness.h"
#include "stream.h"

#define LEN(s)  (sizeof(s) - 1)                 /* for wires with NULs */

#define NAME64  "0123456789abcdef0123456789abcdef" \
                "0123456789abcdef0123456789ABCDEF"

static const ATTR_LIMITS tiny_value = {8, 4096, 100};
static const ATTR_LIMITS tiny_count = {1024, 4096, 3};
static const ATTR_LIMITS tiny_total = {1024, 24, 100};

typedef struct DECODE_ROW {
    const char *label;
    const char *wire;
    size_t  len;                        /* 0: strlen(wire) */
    const ATTR_LIMITS *limits;          /* 0: attr_limits_default */
    int     want_feed;                  /* decoder fed the whole wire */
    int     want_read;                  /* attr_read() then EOF */
    const char *want;                   /* attributes when ATTR_OK */
} DECODE_ROW;

static const DECODE_ROW decode_rows[] = {
    /* Valid messages. */
    {"empty message", "0:,", 0, 0, ATTR_OK, ATTR_OK, ""},
    {"one attribute", "4:name,5:value,0:,", 0, 0, ATTR_OK, ATTR_OK,
    "name=value"},
    {"order is kept", "1:b,1:2,1:a,1:1,0:,", 0, 0, ATTR_OK, ATTR_OK,
    "b=2|a=1"},
    {"empty value", "1:a,0:,0:,", 0, 0, ATTR_OK, ATTR_OK, "a="},
    {"NUL bytes in value", "3:bin,5:\0a\0b\0,0:,", LEN("3:bin,5:\0a\0b\0,0:,"),
    0, ATTR_OK, ATTR_OK, "bin=\\x00a\\x00b\\x00"},
    {"8-bit value", "1:h,3:\xff\x80\x01,0:,", 0, 0, ATTR_OK, ATTR_OK,
    "h=\\xff\\x80\\x01"},
    {"separators in value", "1:s,7:0:,1:a,,0:,", 0, 0, ATTR_OK, ATTR_OK,
    "s=0:,1:a,"},
    {"every name character", "6:aZ09_-,1:x,0:,", 0, 0, ATTR_OK, ATTR_OK,
    "aZ09_-=x"},
    {"64-byte name", "64:" NAME64 ",1:x,0:,", 0, 0, ATTR_OK, ATTR_OK,
    NAME64 "=x"},
    {"names differ in case", "1:a,1:x,1:A,1:y,0:,", 0, 0, ATTR_OK, ATTR_OK,
    "a=x|A=y"},
    {"two-digit lengths", "10:abcdefghij,12:0123456789ab,0:,", 0, 0,
    ATTR_OK, ATTR_OK, "abcdefghij=0123456789ab"},
    /* Length syntax. */
    {"leading zero in name length", "01:a,1:x,0:,", 0, 0,
    ATTR_MALFORMED, ATTR_MALFORMED, 0},
    {"leading zero in value length", "1:a,01:x,0:,", 0, 0,
    ATTR_MALFORMED, ATTR_MALFORMED, 0},
    {"end marker with two zeros", "00:,", 0, 0,
    ATTR_MALFORMED, ATTR_MALFORMED, 0},
    {"non-digit length", "a:b,1:x,0:,", 0, 0,
    ATTR_MALFORMED, ATTR_MALFORMED, 0},
    {"negative length", "1:a,-1:x,0:,", 0, 0,
    ATTR_MALFORMED, ATTR_MALFORMED, 0},
    {"plus sign in length", "+1:a,1:x,0:,", 0, 0,
    ATTR_MALFORMED, ATTR_MALFORMED, 0},
    {"blank before length", " 1:a,1:x,0:,", 0, 0,
    ATTR_MALFORMED, ATTR_MALFORMED, 0},
    {"empty length", ":a,1:x,0:,", 0, 0, ATTR_MALFORMED, ATTR_MALFORMED, 0},
    {"missing colon", "1a,1:x,0:,", 0, 0, ATTR_MALFORMED, ATTR_MALFORMED, 0},
    {"eleven-digit length", "1:v,12345678901:x,0:,", 0, 0,
    ATTR_MALFORMED, ATTR_MALFORMED, 0},
    /* Netstring ends. */
    {"missing comma after name", "1:a1:x,0:,", 0, 0,
    ATTR_MALFORMED, ATTR_MALFORMED, 0},
    {"missing comma after value", "1:a,1:x0:,", 0, 0,
    ATTR_MALFORMED, ATTR_MALFORMED, 0},
    {"value shorter than length", "1:a,3:xy,0:,", 0, 0,
    ATTR_MALFORMED, ATTR_MALFORMED, 0},
    {"missing comma in end marker", "0:x", 0, 0,
    ATTR_MALFORMED, ATTR_MALFORMED, 0},
    {"line end instead of comma", "1:a\r\n", 0, 0,
    ATTR_MALFORMED, ATTR_MALFORMED, 0},
    /* Names. */
    {"name too long", "65:" NAME64 "x,1:x,0:,", 0, 0,
    ATTR_MALFORMED, ATTR_MALFORMED, 0},
    {"dot in name", "1:.,1:x,0:,", 0, 0, ATTR_MALFORMED, ATTR_MALFORMED, 0},
    {"blank in name", "3:a b,1:x,0:,", 0, 0, ATTR_MALFORMED, ATTR_MALFORMED, 0},
    {"NUL in name", "3:a\0b,1:x,0:,", LEN("3:a\0b,1:x,0:,"), 0,
    ATTR_MALFORMED, ATTR_MALFORMED, 0},
    {"8-bit name", "2:\xc3\xa9,1:x,0:,", 0, 0,
    ATTR_MALFORMED, ATTR_MALFORMED, 0},
    {"name=value in name", "3:a=b,1:x,0:,", 0, 0,
    ATTR_MALFORMED, ATTR_MALFORMED, 0},
    {"duplicate name", "1:a,1:x,1:a,1:y,0:,", 0, 0,
    ATTR_MALFORMED, ATTR_MALFORMED, 0},
    /* Limits. */
    {"value at limit", "1:a,8:12345678,0:,", 0, &tiny_value,
    ATTR_OK, ATTR_OK, "a=12345678"},
    {"value over limit", "1:a,9:123456789,0:,", 0, &tiny_value,
    ATTR_TOOBIG, ATTR_TOOBIG, 0},
    {"value over default limit", "1:v,1048577:", 0, 0,
    ATTR_TOOBIG, ATTR_TOOBIG, 0},
    {"ten-digit length", "1:v,9999999999:", 0, 0,
    ATTR_TOOBIG, ATTR_TOOBIG, 0},
    {"attribute count at limit", "1:a,0:,1:b,0:,1:c,0:,0:,", 0, &tiny_count,
    ATTR_OK, ATTR_OK, "a=|b=|c="},
    {"too many attributes", "1:a,0:,1:b,0:,1:c,0:,1:d,0:,0:,", 0, &tiny_count,
    ATTR_TOOBIG, ATTR_TOOBIG, 0},
    {"total at limit", "1:a,13:0123456789abc,0:,", 0, &tiny_total,
    ATTR_OK, ATTR_OK, "a=0123456789abc"},
    {"total over limit at end marker", "1:a,14:0123456789abcd,0:,", 0,
    &tiny_total, ATTR_TOOBIG, ATTR_TOOBIG, 0},
    {"value length over total", "1:a,20:", 0, &tiny_total,
    ATTR_TOOBIG, ATTR_TOOBIG, 0},
    {"name length over total", "1:a,0:,1:b,0:,1:c,0:,12:", 0, &tiny_total,
    ATTR_TOOBIG, ATTR_TOOBIG, 0},
    /* Truncated: the decoder waits; attr_read() sees EOF inside. */
    {"no input", "", 0, 0, ATTR_NEED_MORE, ATTR_EOF, 0},
    {"cut in a length", "1", 0, 0, ATTR_NEED_MORE, ATTR_MALFORMED, 0},
    {"cut in a name", "4:na", 0, 0, ATTR_NEED_MORE, ATTR_MALFORMED, 0},
    {"cut in a value", "4:name,5:va", 0, 0, ATTR_NEED_MORE, ATTR_MALFORMED, 0},
    {"cut before end marker", "1:a,1:x,", 0, 0,
    ATTR_NEED_MORE, ATTR_MALFORMED, 0},
    {"cut in end marker", "1:a,1:x,0:", 0, 0,
    ATTR_NEED_MORE, ATTR_MALFORMED, 0},
    {"cut in value at default limit", "1:v,1048576:abc", 0, 0,
    ATTR_NEED_MORE, ATTR_MALFORMED, 0},
};

#define RT_STR  0
#define RT_INT  1
#define RT_DATA 2

typedef struct ROUND_ROW {
    const char *label;
    int     type;
    const char *name;
    const char *value;                  /* RT_STR, RT_DATA */
    size_t  len;                        /* RT_DATA */
    long    ival;                       /* RT_INT */
    const char *want_wire;
    size_t  want_len;                   /* 0: strlen(want_wire) */
} ROUND_ROW;

static const ROUND_ROW round_rows[] = {
    {"string", RT_STR, "name", "value", 0, 0, "4:name,5:value,0:,", 0},
    {"empty string", RT_STR, "e", "", 0, 0, "1:e,0:,0:,", 0},
    {"separators in string", RT_STR, "s", "0:,1:a,", 0, 0,
    "1:s,7:0:,1:a,,0:,", 0},
    {"64-byte name", RT_STR, NAME64, "x", 0, 0, "64:" NAME64 ",1:x,0:,", 0},
    {"int zero", RT_INT, "n", 0, 0, 0, "1:n,1:0,0:,", 0},
    {"int negative", RT_INT, "n", 0, 0, -42, "1:n,3:-42,0:,", 0},
    {"LONG_MAX", RT_INT, "max", 0, 0, LONG_MAX,
    "3:max,19:9223372036854775807,0:,", 0},
    {"LONG_MIN", RT_INT, "min", 0, 0, LONG_MIN,
    "3:min,20:-9223372036854775808,0:,", 0},
    {"NUL bytes", RT_DATA, "bin", "\0a\0", 3, 0, "3:bin,3:\0a\0,0:,",
    LEN("3:bin,3:\0a\0,0:,")},
    {"empty data", RT_DATA, "d", "", 0, 0, "1:d,0:,0:,", 0},
    {"8-bit data", RT_DATA, "d", "\xff\r\n", 3, 0, "1:d,3:\xff\r\n,0:,", 0},
};

typedef struct INT_ROW {
    const char *label;
    const char *value;
    int     want_rc;
    long    want;
} INT_ROW;

static const INT_ROW int_rows[] = {
    {"positive", "123", 0, 123},
    {"negative", "-42", 0, -42},
    {"zero", "0", 0, 0},
    {"leading zeros", "007", 0, 7},
    {"LONG_MAX", "9223372036854775807", 0, LONG_MAX},
    {"LONG_MIN", "-9223372036854775808", 0, LONG_MIN},
    {"overflow", "9223372036854775808", -1, 0},
    {"underflow", "-9223372036854775809", -1, 0},
    {"empty", "", -1, 0},
    {"minus only", "-", -1, 0},
    {"plus sign", "+1", -1, 0},
    {"leading blank", " 1", -1, 0},
    {"trailing blank", "1 ", -1, 0},
    {"hex", "0x10", -1, 0},
    {"trailing junk", "12a", -1, 0},
    {"double minus", "--1", -1, 0},
};

typedef struct EXPECT_ROW {
    const char *label;
    const char *announce;               /* sent with attr_announce() */
    const char *wire;                   /* else sent raw */
    const char *expect;
    int     want;
    const char *want_log;
} EXPECT_ROW;

static const EXPECT_ROW expect_rows[] = {
    {"protocol matches", "qmgr", 0, "qmgr", ATTR_OK, 0},
    {"protocol mismatch", "qmgr", 0, "smtpd", ATTR_MALFORMED,
    "protocol mismatch: expected \"smtpd\", got \"qmgr\""},
    {"prefix is a mismatch", "qmgr", 0, "qmg", ATTR_MALFORMED,
    "protocol mismatch: expected \"qmg\", got \"qmgr\""},
    {"extra attributes allowed", 0, "8:protocol,4:qmgr,7:version,1:2,0:,",
    "qmgr", ATTR_OK, 0},
    {"no protocol attribute", 0, "4:name,1:x,0:,", "qmgr", ATTR_MALFORMED,
    "protocol mismatch: expected \"qmgr\", got no protocol"},
    {"control bytes are not logged", 0, "8:protocol,5:qm\nXr,0:,", "qmgr",
    ATTR_MALFORMED, "got \"qm?Xr\""},
    {"malformed announcement", 0, "8:protocol,4:qmgr", "qmgr",
    ATTR_MALFORMED, 0},
    {"no announcement", 0, "", "qmgr", ATTR_EOF, 0},
};

/* attr_test_render - "name=value|..." with unprintable bytes as \xNN. */

static void attr_test_render(const ATTR *a, BUF *out)
{
    buf_reset(out);
    for (size_t i = 0; i < attr_count(a); i++) {
        const char *name = attr_name(a, i);
        size_t  len;
        const unsigned char *value = attr_get_data(a, name, &len);

        if (i > 0)
            buf_putc(out, '|');
        buf_printf(out, "%s=", name);
        for (size_t j = 0; j < len; j++) {
            if (value[j] >= 0x20 && value[j] < 0x7f && value[j] != '\\')
                buf_putc(out, value[j]);
            else
                buf_printf(out, "\\x%02x", value[j]);
        }
    }
}

/* attr_test_pair - a connected socketpair; fd[0] writes, fd[1] reads. */

static void attr_test_pair(int fd[2])
{
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fd) < 0) {
        perror("socketpair");
        exit(1);
    }
}

static void attr_test_write_all(int fd, const char *data, size_t len)
{
    ssize_t n;

    while (len > 0) {
        if ((n = write(fd, data, len)) < 0) {
            if (errno == EINTR)
                continue;
            perror("write");
            exit(1);
        }
        data += n;
        len -= (size_t) n;
    }
}

static long attr_test_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ((long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void attr_test_decode_row(const DECODE_ROW *row, ATTR *a, BUF *got)
{
    size_t  len = row->len ? row->len : strlen(row->wire);
    ATTR_DECODER *d;
    char    label[256];
    size_t  used;
    size_t  whole_used;
    size_t  pos;
    int     status;
    int     fd[2];
    STREAM *s;

    /* The whole wire in one feed. */
    d = attr_decoder_new(row->limits);
    status = attr_decoder_feed(d, row->wire, len, &used, a);
    whole_used = used;
    snprintf(label, sizeof(label), "%s: feed whole", row->label);
    harness_streq(label, attr_strerror(status), attr_strerror(row->want_feed));
    if (status == ATTR_OK) {
        snprintf(label, sizeof(label), "%s: feed whole used", row->label);
        harness_inteq(label, (long) used, (long) len);
        attr_test_render(a, got);
        snprintf(label, sizeof(label), "%s: feed whole attributes", row->label);
        harness_streq(label, got->data, row->want);
    }
    attr_decoder_free(&d);

    /* One byte at a time: same result, at the same byte. */
    d = attr_decoder_new(row->limits);
    attr_reset(a);
    status = ATTR_NEED_MORE;
    for (pos = 0; pos < len && status == ATTR_NEED_MORE; pos++) {
        status = attr_decoder_feed(d, row->wire + pos, 1, &used, a);
        if (used != 1)
            break;
    }
    snprintf(label, sizeof(label), "%s: bytewise", row->label);
    harness_streq(label, attr_strerror(status), attr_strerror(row->want_feed));
    snprintf(label, sizeof(label), "%s: bytewise stops where whole did",
             row->label);
    harness_inteq(label, (long) pos, (long) whole_used);
    snprintf(label, sizeof(label), "%s: bytewise pending", row->label);
    harness_inteq(label, attr_decoder_pending(d),
                  status == ATTR_OK || len == 0 ? 0 : 1);
    if (status == ATTR_OK) {
        attr_test_render(a, got);
        snprintf(label, sizeof(label), "%s: bytewise attributes", row->label);
        harness_streq(label, got->data, row->want);
    }
    attr_decoder_free(&d);

    /* attr_read() from a peer that wrote the wire and closed. */
    attr_test_pair(fd);
    attr_test_write_all(fd[0], row->wire, len);
    close(fd[0]);
    s = stream_open(fd[1]);
    stream_set_timeout(s, 5);
    attr_reset(a);
    status = attr_read(s, a, row->limits);
    snprintf(label, sizeof(label), "%s: attr_read", row->label);
    harness_streq(label, attr_strerror(status), attr_strerror(row->want_read));
    if (status == ATTR_OK) {
        attr_test_render(a, got);
        snprintf(label, sizeof(label), "%s: attr_read attributes", row->label);
        harness_streq(label, got->data, row->want);
        snprintf(label, sizeof(label), "%s: attr_read then EOF", row->label);
        harness_streq(label, attr_strerror(attr_read(s, a, row->limits)),
                      attr_strerror(ATTR_EOF));
    }
    stream_close(&s);
    snprintf(label, sizeof(label), "%s: log", row->label);
    harness_log_check(label, 0);
}

static void attr_test_build(const ROUND_ROW *row, ATTR *a)
{
    switch (row->type) {
    case RT_STR:
        attr_add_str(a, row->name, row->value);
        break;
    case RT_INT:
        attr_add_int(a, row->name, row->ival);
        break;
    default:
        attr_add_data(a, row->name, row->value, row->len);
        break;
    }
}

static void attr_test_round_row(const ROUND_ROW *row)
{
    size_t  want_len = row->want_len ? row->want_len : strlen(row->want_wire);
    ATTR   *out = attr_new();
    ATTR   *in = attr_new();
    char    label[256];
    char    raw[256];
    STREAM *w;
    STREAM *r;
    int     fd[2];
    long    ival;
    size_t  len;
    const char *data;

    attr_test_pair(fd);
    w = stream_open(fd[0]);
    r = stream_open(fd[1]);
    stream_set_timeout(w, 5);
    stream_set_timeout(r, 5);
    attr_test_build(row, out);

    /* The exact bytes on the wire. */
    snprintf(label, sizeof(label), "%s: write", row->label);
    harness_inteq(label, attr_write(w, out), STREAM_OK);
    snprintf(label, sizeof(label), "%s: wire", row->label);
    harness_check(want_len <= sizeof(raw)
                  && stream_read_exact(r, raw, want_len) == STREAM_OK
                  && memcmp(raw, row->want_wire, want_len) == 0
                  && stream_buffered(r) == 0, label, "wire differs");

    /* And back through attr_read(). */
    snprintf(label, sizeof(label), "%s: write again", row->label);
    harness_inteq(label, attr_write(w, out), STREAM_OK);
    snprintf(label, sizeof(label), "%s: read", row->label);
    harness_streq(label, attr_strerror(attr_read(r, in, 0)),
                  attr_strerror(ATTR_OK));
    snprintf(label, sizeof(label), "%s: count", row->label);
    harness_inteq(label, (long) attr_count(in), 1);
    snprintf(label, sizeof(label), "%s: name", row->label);
    harness_streq(label, attr_count(in) ? attr_name(in, 0) : 0, row->name);
    switch (row->type) {
    case RT_STR:
        snprintf(label, sizeof(label), "%s: attr_get_str", row->label);
        harness_streq(label, attr_get_str(in, row->name), row->value);
        break;
    case RT_INT:
        snprintf(label, sizeof(label), "%s: attr_get_int", row->label);
        harness_check(attr_get_int(in, row->name, &ival) == 0
                      && ival == row->ival, label, "not %ld", row->ival);
        break;
    default:
        data = attr_get_data(in, row->name, &len);
        snprintf(label, sizeof(label), "%s: attr_get_data", row->label);
        harness_check(data != 0 && len == row->len
                      && memcmp(data, row->value, len) == 0, label,
                      "data differs");
        snprintf(label, sizeof(label), "%s: NUL-terminated", row->label);
        harness_check(data != 0 && data[len] == 0, label, "no NUL");
        snprintf(label, sizeof(label), "%s: attr_get_str", row->label);
        harness_check((attr_get_str(in, row->name) != 0)
                      == (memchr(row->value, 0, row->len) == 0), label,
                      "a value with NUL bytes is not a string");
        break;
    }
    snprintf(label, sizeof(label), "%s: absent name", row->label);
    harness_check(attr_get_data(in, "absent", &len) == 0
                  && attr_get_str(in, "absent") == 0
                  && attr_get_int(in, "absent", &ival) == -1, label,
                  "found an absent name");
    stream_close(&w);
    stream_close(&r);
    attr_free(&out);
    attr_free(&in);
    snprintf(label, sizeof(label), "%s: log", row->label);
    harness_log_check(label, 0);
}

static void attr_test_ints(void)
{
    ATTR   *a = attr_new();
    char    label[256];
    long    value;
    int     rc;

    for (size_t i = 0; i < sizeof(int_rows) / sizeof(int_rows[0]); i++) {
        const INT_ROW *row = int_rows + i;

        attr_reset(a);
        attr_add_str(a, "n", row->value);
        value = 12345;
        rc = attr_get_int(a, "n", &value);
        snprintf(label, sizeof(label), "attr_get_int %s: result", row->label);
        harness_inteq(label, rc, row->want_rc);
        snprintf(label, sizeof(label), "attr_get_int %s: value", row->label);
        harness_inteq(label, value, rc == 0 ? row->want : 12345);
    }
    attr_reset(a);
    attr_add_data(a, "n", "1\0", 2);
    harness_inteq("attr_get_int with NUL byte",
                  attr_get_int(a, "n", &value), -1);
    attr_free(&a);
    harness_check(a == 0, "attr_free clears the pointer", "not cleared");
    attr_free(&a);
    harness_log_check("attr_get_int: log", 0);
}

/* Builder misuse: a message the reader would refuse is a bug. */

static void misuse_empty_name(ATTR *a)
{
    attr_add_str(a, "", "x");
}

static void misuse_blank_name(ATTR *a)
{
    attr_add_str(a, "a b", "x");
}

static void misuse_long_name(ATTR *a)
{
    attr_add_int(a, NAME64 "x", 1);
}

static void misuse_duplicate(ATTR *a)
{
    attr_add_str(a, "dup", "2");
}

static void misuse_index(ATTR *a)
{
    (void) attr_name(a, 1);
}

typedef struct MISUSE_ROW {
    const char *label;
    void    (*fn) (ATTR *);
    const char *want_log;
} MISUSE_ROW;

static const MISUSE_ROW misuse_rows[] = {
    {"empty name", misuse_empty_name, "invalid attribute name \"\""},
    {"blank in name", misuse_blank_name, "invalid attribute name \"a b\""},
    {"65-byte name", misuse_long_name, "invalid attribute name"},
    {"duplicate name", misuse_duplicate, "duplicate attribute \"dup\""},
    {"attr_name out of range", misuse_index, "attr_name: index 1 of 1"},
};

static int attr_test_catch(void (*fn) (ATTR *), ATTR *a)
{
    return (HARNESS_CATCH(fn(a)));
}

static void attr_test_misuse(void)
{
    ATTR   *a = attr_new();
    char    label[256];

    attr_add_str(a, "dup", "1");
    for (size_t i = 0; i < sizeof(misuse_rows) / sizeof(misuse_rows[0]); i++) {
        const MISUSE_ROW *row = misuse_rows + i;

        snprintf(label, sizeof(label), "%s panics", row->label);
        harness_check(attr_test_catch(row->fn, a), label, "no panic");
        snprintf(label, sizeof(label), "%s: log", row->label);
        harness_log_check(label, row->want_log);
    }
    harness_inteq("count after misuse", (long) attr_count(a), 1);
    attr_reset(a);
    harness_inteq("count after reset", (long) attr_count(a), 0);
    attr_add_str(a, "dup", "3");
    harness_streq("name reusable after reset", attr_get_str(a, "dup"), "3");
    attr_free(&a);
    harness_log_check("misuse: log", 0);
}

/* attr_test_sequence - messages back to back, in one buffer. */

static void attr_test_sequence(BUF *got)
{
    static const char wire[] = "1:a,1:x,0:,0:,1:b,2:yz,0:,";
    static const char *want[] = {"a=x", "", "b=yz"};
    ATTR_DECODER *d = attr_decoder_new(0);
    ATTR   *a = attr_new();
    size_t  pos = 0;
    size_t  used;
    size_t  n = 0;
    char    label[256];
    int     status;
    int     fd[2];
    STREAM *s;

    while (pos < LEN(wire) && n < 3) {
        status = attr_decoder_feed(d, wire + pos, LEN(wire) - pos, &used, a);
        snprintf(label, sizeof(label), "sequence message %zu", n + 1);
        harness_streq(label, attr_strerror(status), attr_strerror(ATTR_OK));
        attr_test_render(a, got);
        harness_streq(label, got->data, want[n]);
        pos += used;
        n++;
    }
    harness_inteq("sequence: all bytes used", (long) pos, (long) LEN(wire));
    harness_inteq("sequence: nothing pending", attr_decoder_pending(d), 0);

    /* The same, one byte at a time, with one decoder. */
    n = 0;
    for (pos = 0; pos < LEN(wire); pos++) {
        status = attr_decoder_feed(d, wire + pos, 1, &used, a);
        if (status == ATTR_OK && n < 3) {
            attr_test_render(a, got);
            snprintf(label, sizeof(label), "bytewise sequence message %zu",
                     n + 1);
            harness_streq(label, got->data, want[n]);
        }
        if (status == ATTR_OK)
            n++;
        else if (status != ATTR_NEED_MORE) {
            break;
        }
    }
    harness_inteq("bytewise sequence: messages", (long) n, 3);

    /* A failed decoder stays failed. */
    status = attr_decoder_feed(d, "1:", 2, &used, a);
    harness_inteq("partial feed needs more", status, ATTR_NEED_MORE);
    harness_inteq("partial feed is pending", attr_decoder_pending(d), 1);
    status = attr_decoder_feed(d, ".,", 2, &used, a);
    harness_inteq("bad name byte", status, ATTR_MALFORMED);
    harness_inteq("bad name byte used", (long) used, 1);
    status = attr_decoder_feed(d, "0:,", 3, &used, a);
    harness_inteq("error is sticky", status, ATTR_MALFORMED);
    harness_inteq("error is sticky: nothing used", (long) used, 0);
    attr_test_render(a, got);
    harness_streq("out keeps the last good message", got->data, "b=yz");
    attr_decoder_free(&d);
    harness_check(d == 0, "attr_decoder_free clears the pointer",
                  "not cleared");
    attr_decoder_free(&d);

    /* attr_read() takes one message and leaves the next in the stream. */
    attr_test_pair(fd);
    attr_test_write_all(fd[0], wire, LEN(wire));
    close(fd[0]);
    s = stream_open(fd[1]);
    stream_set_timeout(s, 5);
    for (n = 0; n < 3; n++) {
        snprintf(label, sizeof(label), "attr_read sequence message %zu", n + 1);
        harness_streq(label, attr_strerror(attr_read(s, a, 0)),
                      attr_strerror(ATTR_OK));
        attr_test_render(a, got);
        harness_streq(label, got->data, want[n]);
    }
    harness_streq("attr_read sequence then EOF",
                  attr_strerror(attr_read(s, a, 0)), attr_strerror(ATTR_EOF));
    stream_close(&s);
    attr_free(&a);
    harness_log_check("sequence: log", 0);
}

#define COUNT 300

/*
 * attr_test_many - a child writes messages of growing size, so they
 * straddle the stream's buffer; the parent reads each one back.
 */
static void attr_test_many(void)
{
    ATTR   *a = attr_new();
    char   *value = malloc(COUNT * 37 + 1);
    int     fd[2];
    pid_t   pid;
    STREAM *s;
    int     bad = 0;
    long    n;
    size_t  len;
    const char *data;

    for (size_t i = 0; i < COUNT * 37; i++)
        value[i] = (char) (i * 7 + 3);
    attr_test_pair(fd);
    if ((pid = fork()) == 0) {
        close(fd[1]);
        s = stream_open(fd[0]);
        for (int i = 0; i < COUNT; i++) {
            attr_reset(a);
            attr_add_int(a, "seq", i);
            attr_add_data(a, "data", value, (size_t) i * 37);
            if (attr_write(s, a) != STREAM_OK)
                _exit(1);
        }
        _exit(0);
    }
    close(fd[0]);
    s = stream_open(fd[1]);
    stream_set_timeout(s, 10);
    for (int i = 0; i < COUNT && !bad; i++) {
        if (attr_read(s, a, 0) != ATTR_OK
            || attr_get_int(a, "seq", &n) != 0 || n != i
            || (data = attr_get_data(a, "data", &len)) == 0
            || len != (size_t) i * 37 || memcmp(data, value, len) != 0)
            bad = i + 1;
    }
    harness_check(bad == 0, "300 messages across buffer boundaries",
                  "message %d wrong", bad - 1);
    harness_inteq("300 messages then EOF", attr_read(s, a, 0), ATTR_EOF);
    stream_close(&s);
    waitpid(pid, 0, 0);
    free(value);
    attr_free(&a);
    harness_log_check("many: log", 0);
}

/* attr_test_big - a value of exactly the default limit, and one more. */

static void attr_test_big(void)
{
    size_t  max = attr_limits_default.value_max;
    char   *value = malloc(max + 1);
    ATTR   *a = attr_new();
    int     fd[2];
    pid_t   pid;
    STREAM *s;
    size_t  len;
    const char *data;

    memset(value, 'v', max + 1);
    attr_test_pair(fd);
    if ((pid = fork()) == 0) {
        close(fd[1]);
        s = stream_open(fd[0]);
        attr_add_data(a, "v", value, max);
        if (attr_write(s, a) != STREAM_OK)
            _exit(1);
        attr_reset(a);
        attr_add_data(a, "v", value, max + 1);
        (void) attr_write(s, a);
        _exit(0);
    }
    close(fd[0]);
    s = stream_open(fd[1]);
    stream_set_timeout(s, 10);
    harness_inteq("1 MiB value: read", attr_read(s, a, 0), ATTR_OK);
    data = attr_get_data(a, "v", &len);
    harness_check(data && len == max && memcmp(data, value, max) == 0,
                  "1 MiB value: data", "differs");
    harness_inteq("1 MiB + 1 value: read", attr_read(s, a, 0), ATTR_TOOBIG);
    stream_close(&s);
    kill(pid, SIGKILL);
    waitpid(pid, 0, 0);
    free(value);
    attr_free(&a);
    harness_log_check("big: log", 0);
}

/*
 * attr_test_deadline - half a message and silence; then a peer that
 * sends a byte every 200ms, which would keep a per-call deadline alive
 * forever but must not outlast one deadline for the whole message.
 */
static void attr_test_deadline(void)
{
    static const char wire[] = "4:name,5:value,0:,";
    ATTR   *a = attr_new();
    int     fd[2];
    pid_t   pid;
    STREAM *s;
    long    start;
    long    took;

    attr_test_pair(fd);
    attr_test_write_all(fd[0], wire, 11);
    s = stream_open(fd[1]);
    stream_set_timeout(s, 1);
    start = attr_test_ms();
    harness_streq("stalled peer: timeout", attr_strerror(attr_read(s, a, 0)),
                  attr_strerror(ATTR_TIMEOUT));
    took = attr_test_ms() - start;
    harness_check(took >= 900 && took < 2500, "stalled peer: about 1s",
                  "took %ldms", took);
    stream_close(&s);
    close(fd[0]);

    attr_test_pair(fd);
    if ((pid = fork()) == 0) {
        close(fd[1]);
        for (size_t i = 0; i < LEN(wire); i++) {
            attr_test_write_all(fd[0], wire + i, 1);
            usleep(200000);
        }
        _exit(0);
    }
    close(fd[0]);
    s = stream_open(fd[1]);
    stream_set_timeout(s, 1);
    start = attr_test_ms();
    harness_streq("trickling peer: timeout", attr_strerror(attr_read(s, a, 0)),
                  attr_strerror(ATTR_TIMEOUT));
    took = attr_test_ms() - start;
    harness_check(took >= 900 && took < 2000,
                  "trickling peer: one deadline for the message",
                  "took %ldms", took);
    stream_close(&s);
    kill(pid, SIGKILL);
    waitpid(pid, 0, 0);
    attr_free(&a);
    harness_log_check("deadline: log", 0);
}

static void attr_test_write_error(void)
{
    ATTR   *a = attr_new();
    int     fd[2];
    STREAM *s;

    attr_test_pair(fd);
    close(fd[1]);
    s = stream_open(fd[0]);
    stream_set_timeout(s, 1);
    attr_add_str(a, "x", "y");
    harness_streq("write to closed peer", attr_strerror(attr_write(s, a)),
                  attr_strerror(ATTR_IOERR));
    harness_inteq("announce to closed peer", attr_announce(s, "qmgr"),
                  STREAM_ERR);
    stream_close(&s);
    attr_free(&a);
    harness_streq("strerror TOOBIG", attr_strerror(ATTR_TOOBIG),
                  "message exceeds limits");
    harness_streq("strerror NEED_MORE", attr_strerror(ATTR_NEED_MORE),
                  "incomplete message");
    harness_streq("strerror unknown", attr_strerror(42), "unknown error");
    harness_log_check("write error: log", 0);
}

static void attr_test_expect(void)
{
    char    label[256];
    int     fd[2];
    STREAM *w;
    STREAM *r;

    for (size_t i = 0; i < sizeof(expect_rows) / sizeof(expect_rows[0]); i++) {
        const EXPECT_ROW *row = expect_rows + i;

        attr_test_pair(fd);
        w = stream_open(fd[0]);
        stream_set_timeout(w, 5);
        if (row->announce) {
            snprintf(label, sizeof(label), "%s: announce", row->label);
            harness_inteq(label, attr_announce(w, row->announce), STREAM_OK);
        } else {
            attr_test_write_all(fd[0], row->wire, strlen(row->wire));
        }
        stream_close(&w);
        r = stream_open(fd[1]);
        stream_set_timeout(r, 5);
        snprintf(label, sizeof(label), "%s: expect", row->label);
        harness_streq(label, attr_strerror(attr_expect(r, row->expect, 0)),
                      attr_strerror(row->want));
        stream_close(&r);
        snprintf(label, sizeof(label), "%s: log", row->label);
        harness_log_check(label, row->want_log);
    }
}

int     main(void)
{
    BUF    *got = buf_new(256);
    ATTR   *a = attr_new();

    harness_init("attr_test");
    signal(SIGPIPE, SIG_IGN);
    for (size_t i = 0; i < sizeof(decode_rows) / sizeof(decode_rows[0]); i++)
        attr_test_decode_row(decode_rows + i, a, got);
    for (size_t i = 0; i < sizeof(round_rows) / sizeof(round_rows[0]); i++)
        attr_test_round_row(round_rows + i);
    attr_test_ints();
    attr_test_misuse();
    attr_test_sequence(got);
    attr_test_many();
    attr_test_big();
    attr_test_deadline();
    attr_test_write_error();
    attr_test_expect();
    attr_free(&a);
    buf_free(&got);
    return (harness_done());
}
