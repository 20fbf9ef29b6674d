/* NAME
 *	stream_test 1
 * SUMMARY
 *	unit tests for stream(3)
 * DESCRIPTION
 *	Every table runs twice: over a socketpair and over a pipe.
 *
 *	Read rows: what the peer sends (fill bytes of "x", then data), how
 *	it sends it (all at once then close; all at once and stay open, so
 *	the last read times out; or one byte at a time from a forked
 *	child), and a script of reads: "L<n>" stream_read_line() with limit
 *	n, "X<n>" stream_read_exact() of n bytes, "C" stream_getc(), "B"
 *	stream_buffered(). The wanted output lists each result as
 *	"STATUS:data" (newline shown as "\n", NUL as "\0", a run of more
 *	than eight equal bytes as "<c*N>"). A read that times out must
 *	not return before 0.9 s (the timeout is 1 s); there is no upper
 *	bound, so a slow machine cannot fail the test.
 *
 *	Write rows: a forked child writes a script through a stream ("W<n>"
 *	stream_write() of n pattern bytes, "U<n>" stream_puts(), "P<n>"
 *	stream_printf() with n bytes of output, "F" stream_flush()) and
 *	exits with 0 only when every call returned STREAM_OK; the parent
 *	reads everything and compares it with the same script applied to
 *	a BUF. Then writes to a peer that has gone away must fail with
 *	STREAM_ERR (SIGPIPE is ignored, as daemons do).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "harness.h"
#include "stream.h"

typedef enum PEER_MODE {
    PEER_CLOSE,                         /* write all, then close */
    PEER_OPEN,                          /* write all, keep open */
    PEER_TRICKLE,                       /* child writes a byte at a time */
} PEER_MODE;

typedef struct READ_ROW {
    const char *label;
    size_t  fill;                       /* bytes of 'x' before data */
    const char *data;
    size_t  data_len;                   /* 0: strlen(data) */
    PEER_MODE peer;
    const char *script;
    const char *want;
    const char *want_log;
} READ_ROW;

static const READ_ROW read_rows[] = {
    {"one line", 0, "abc\n", 0, PEER_CLOSE, "L100 L100", "OK:abc\\n EOF", 0},
    {"two lines", 0, "a\nbb\n", 0, PEER_CLOSE, "L100 L100 L100",
    "OK:a\\n OK:bb\\n EOF", 0},
    {"empty lines", 0, "\n\n", 0, PEER_CLOSE, "L10 L10 L10", "OK:\\n OK:\\n EOF", 0},
    {"line of exactly the limit", 0, "abcd\nef\n", 0, PEER_CLOSE, "L5 L5",
    "OK:abcd\\n OK:ef\\n", 0},
    {"line one byte over the limit", 0, "abcde\nf\n", 0, PEER_CLOSE, "L5 L5 L5 L5",
    "TOOLONG:abcde OK:\\n OK:f\\n EOF", 0},
    {"long line, rest still readable", 0, "abcdefghij\nnext\n", 0, PEER_CLOSE,
    "L4 L4 L4 L100 L100", "TOOLONG:abcd TOOLONG:efgh OK:ij\\n OK:next\\n EOF", 0},
    {"partial last line at EOF", 0, "abc\ndef", 0, PEER_CLOSE, "L100 L100 L100",
    "OK:abc\\n OK:def EOF", 0},
    {"partial last line over the limit", 0, "abcdef", 0, PEER_CLOSE, "L4 L4 L4",
    "TOOLONG:abcd OK:ef EOF", 0},
    {"EOF on empty input, twice", 0, "", 0, PEER_CLOSE, "L10 L10 X1 C",
    "EOF EOF EOF EOF", 0},
    {"NUL inside a line", 0, "a\0b\n", 4, PEER_CLOSE, "L10 L10", "OK:a\\0b\\n EOF", 0},
    {"line longer than the buffer", 10000, "\n", 0, PEER_CLOSE, "L20000 L10",
    "OK:<x*10000>\\n EOF", 0},
    {"limit inside the second buffer", 9000, "\nz\n", 0, PEER_CLOSE, "L8500 L1000 L10",
    "TOOLONG:<x*8500> OK:<x*500>\\n OK:z\\n", 0},
    {"read_exact", 0, "hello world", 0, PEER_CLOSE, "X5 X1 X5 X1",
    "OK:hello OK:  OK:world EOF", 0},
    {"read_exact short at EOF", 0, "abc", 0, PEER_CLOSE, "X5", "EOF", 0},
    {"read_exact across the buffer", 9000, "yz", 0, PEER_CLOSE, "X8999 X3 X1",
    "OK:<x*8999> OK:xyz EOF", 0},
    {"lines, read_exact and getc mixed", 0, "ab\ncd\n", 0, PEER_CLOSE, "L10 X2 C C",
    "OK:ab\\n OK:cd OK:\\n EOF", 0},
    {"getc of a high byte", 0, "\xff", 0, PEER_CLOSE, "C C", "OK:255 EOF", 0},
    {"buffered after a line", 0, "a\nb\nc\n", 0, PEER_CLOSE, "B L10 B L10 B",
    "B=0 OK:a\\n B=4 OK:b\\n B=2", 0},
    {"timeout after a line", 0, "abc\n", 0, PEER_OPEN, "L10 L10",
    "OK:abc\\n TIMEOUT", 0},
    {"timeout inside read_exact", 0, "ab", 0, PEER_OPEN, "X3", "TIMEOUT", 0},
    {"trickled lines", 0, "hello\nworld\n", 0, PEER_TRICKLE, "L100 L100 L100",
    "OK:hello\\n OK:world\\n EOF", 0},
    {"trickled line over the limit", 0, "abcdef\ng", 0, PEER_TRICKLE, "L3 L10 L10 L10",
    "TOOLONG:abc OK:def\\n OK:g EOF", 0},
    {"trickled read_exact", 0, "0123456789", 0, PEER_TRICKLE, "X10 C",
    "OK:0123456789 EOF", 0},
};

typedef struct WRITE_ROW {
    const char *label;
    const char *script;
    const char *want_log;
} WRITE_ROW;

static const WRITE_ROW write_rows[] = {
    {"small write, flushed at close", "W10", 0},
    {"puts and flush", "U5 F U7", 0},
    {"exactly one buffer", "W8192", 0},
    {"one byte more than a buffer", "W8193", 0},
    {"write larger than the buffer", "W20000", 0},
    {"many writes across buffers", "W5000 W5000 W5000 F W1", 0},
    {"short printf", "P20", 0},
    {"printf just over its small buffer", "P512", 0},
    {"long printf", "W100 P30000 U3", 0},
    {"empty write", "W0 U0 F", 0},
};

typedef struct TRANSPORT {
    const char *name;
    int     (*open) (int fds[2]);
} TRANSPORT;

static int stream_test_socketpair(int fds[2])
{
    return (socketpair(AF_UNIX, SOCK_STREAM, 0, fds));
}

static int stream_test_pipe(int fds[2])
{
    return (pipe(fds));
}

static const TRANSPORT transports[] = {
    {"socketpair", stream_test_socketpair},
    {"pipe", stream_test_pipe},
};

static double stream_test_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (ts.tv_sec + ts.tv_nsec / 1e9);
}

static const char *stream_test_status(int status)
{
    switch (status) {
    case STREAM_OK:
        return ("OK");
    case STREAM_EOF:
        return ("EOF");
    case STREAM_ERR:
        return ("ERR");
    case STREAM_TIMEOUT:
        return ("TIMEOUT");
    case STREAM_TOOLONG:
        return ("TOOLONG");
    default:
        return ("UNKNOWN");
    }
}

/* stream_test_visible - append bytes as text: \n, \0, and <c*N> runs. */

static void stream_test_visible(const char *data, size_t len, BUF *out)
{
    size_t  i = 0, run;

    while (i < len) {
        for (run = 1; i + run < len && data[i + run] == data[i]; run++)
             /* void */ ;
        if (run > 8 && data[i] != '\n' && data[i] != 0) {
            buf_printf(out, "<%c*%zu>", data[i], run);
            i += run;
            continue;
        }
        if (data[i] == '\n')
            buf_puts(out, "\\n");
        else if (data[i] == 0)
            buf_puts(out, "\\0");
        else
            buf_putc(out, data[i]);
        i++;
    }
}

static void stream_test_write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            _exit(2);
        data += n;
        len -= (size_t) n;
    }
}

/* stream_test_peer_data - the bytes a row's peer sends. */

static void stream_test_peer_data(const READ_ROW *row, BUF *data)
{
    buf_reset(data);
    for (size_t i = 0; i < row->fill; i++)
        buf_putc(data, 'x');
    buf_append(data, row->data, row->data_len ? row->data_len : strlen(row->data));
}

/* stream_test_trickle - child: send one byte at a time, then exit. */

static pid_t stream_test_trickle(int fd, const BUF *data)
{
    pid_t   pid = fork();

    if (pid < 0) {
        perror("fork");
        exit(1);
    }
    if (pid == 0) {
        for (size_t i = 0; i < data->len; i++) {
            stream_test_write_all(fd, data->data + i, 1);
            usleep(2000);
        }
        _exit(0);
    }
    return (pid);
}

/* stream_test_script - run a read script, one result word per read. */

static void stream_test_script(const char *label, STREAM *s, const char *script,
                               BUF *out)
{
    BUF    *line = buf_new(64);
    char    what[512];

    buf_reset(out);
    while (*script) {
        char    op = *script++;
        long    n = strtol(script, (char **) &script, 10);
        double  start = stream_test_now();
        int     status;

        if (out->len)
            buf_putc(out, ' ');
        switch (op) {
        case 'L':
            status = stream_read_line(s, line, (size_t) n);
            buf_puts(out, stream_test_status(status));
            if (status == STREAM_OK || status == STREAM_TOOLONG) {
                buf_putc(out, ':');
                stream_test_visible(line->data, line->len, out);
            }
            break;
        case 'X':
            buf_reset(line);
            buf_reserve(line, (size_t) n);
            status = stream_read_exact(s, line->data, (size_t) n);
            buf_puts(out, stream_test_status(status));
            if (status == STREAM_OK) {
                buf_putc(out, ':');
                stream_test_visible(line->data, (size_t) n, out);
            }
            break;
        case 'C':
            status = stream_getc(s);
            if (status >= 0) {
                char    ch = (char) status;

                buf_puts(out, "OK:");
                if (status > 127)
                    buf_printf(out, "%d", status);
                else
                    stream_test_visible(&ch, 1, out);
                status = STREAM_OK;
            } else {
                buf_puts(out, stream_test_status(status));
            }
            break;
        case 'B':
            buf_printf(out, "B=%zu", stream_buffered(s));
            status = STREAM_OK;
            break;
        default:
            buf_printf(out, "(bad script op '%c')", op);
            status = STREAM_OK;
            break;
        }
        if (status == STREAM_TIMEOUT) {
            double  elapsed = stream_test_now() - start;

            snprintf(what, sizeof(what), "%s: timeout waited at least 0.9 s", label);
            harness_check(elapsed >= 0.9, what, "returned after %.3f s", elapsed);
        }
        while (*script == ' ')
            script++;
    }
    buf_free(&line);
}

static void stream_test_reads(const TRANSPORT *tp)
{
    BUF    *data = buf_new(256);
    BUF    *out = buf_new(256);
    char    label[256];

    for (size_t i = 0; i < sizeof(read_rows) / sizeof(read_rows[0]); i++) {
        const READ_ROW *row = read_rows + i;
        int     fds[2];
        pid_t   pid = -1;
        STREAM *s;
        int     status;

        snprintf(label, sizeof(label), "%s: %s", tp->name, row->label);
        if (tp->open(fds) < 0) {
            harness_check(0, label, "open: %s", strerror(errno));
            continue;
        }
        stream_test_peer_data(row, data);
        if (row->peer == PEER_TRICKLE) {
            pid = stream_test_trickle(fds[1], data);
            close(fds[1]);
            fds[1] = -1;
        } else {
            stream_test_write_all(fds[1], data->data, data->len);
            if (row->peer == PEER_CLOSE) {
                close(fds[1]);
                fds[1] = -1;
            }
        }
        s = stream_open(fds[0]);
        snprintf(label, sizeof(label), "%s: %s: fd", tp->name, row->label);
        harness_inteq(label, stream_fd(s), fds[0]);
        snprintf(label, sizeof(label), "%s: %s", tp->name, row->label);
        stream_set_timeout(s, row->peer == PEER_OPEN ? 1 : 10);
        stream_test_script(label, s, row->script, out);
        snprintf(label, sizeof(label), "%s: %s: results", tp->name, row->label);
        harness_streq(label, out->data, row->want);
        snprintf(label, sizeof(label), "%s: %s: close", tp->name, row->label);
        harness_inteq(label, stream_close(&s), STREAM_OK);
        if (fds[1] >= 0)
            close(fds[1]);
        if (pid > 0) {
            snprintf(label, sizeof(label), "%s: %s: peer exit", tp->name, row->label);
            harness_check(waitpid(pid, &status, 0) == pid && WIFEXITED(status)
                          && WEXITSTATUS(status) == 0, label, "status 0x%x", status);
        }
        snprintf(label, sizeof(label), "%s: %s: log", tp->name, row->label);
        harness_log_check(label, row->want_log);
    }
    buf_free(&data);
    buf_free(&out);
}

/*
 * stream_test_write_script - apply a write script to a stream (s != NULL)
 * or to the reference BUF; returns 0, or the 1-based index of the first
 * call that failed.
 */
static int stream_test_write_script(const char *script, STREAM *s, BUF *ref)
{
    BUF    *chunk = buf_new(64);
    size_t  offset = 0;
    int     index = 0, failed = 0;

    while (*script) {
        char    op = *script++;
        long    n = strtol(script, (char **) &script, 10);
        int     status = STREAM_OK;

        index++;
        buf_reset(chunk);
        for (long i = 0; i < n; i++)
            buf_putc(chunk, 'a' + (int) (offset++ % 26));
        switch (op) {
        case 'W':
            if (s)
                status = stream_write(s, chunk->data, chunk->len);
            else
                buf_append(ref, chunk->data, chunk->len);
            break;
        case 'U':
            if (s)
                status = stream_puts(s, chunk->data);
            else
                buf_puts(ref, chunk->data);
            break;
        case 'P':
            /* The output is n bytes: the chunk less 6, then "[1234]". */
            if (n < 6)
                n = 6;
            buf_truncate(chunk, (size_t) n - 6);
            if (s)
                status = stream_printf(s, "%s[%04d]", chunk->data, 1234);
            else
                buf_printf(ref, "%s[%04d]", chunk->data, 1234);
            break;
        case 'F':
            if (s)
                status = stream_flush(s);
            break;
        default:
            status = STREAM_ERR;
            break;
        }
        if (status != STREAM_OK && failed == 0)
            failed = index;
        while (*script == ' ')
            script++;
    }
    buf_free(&chunk);
    return (failed);
}

static void stream_test_writes(const TRANSPORT *tp)
{
    BUF    *ref = buf_new(256);
    BUF    *got = buf_new(256);
    char    label[256];
    char    block[4096];

    for (size_t i = 0; i < sizeof(write_rows) / sizeof(write_rows[0]); i++) {
        const WRITE_ROW *row = write_rows + i;
        int     fds[2], status = 0;
        pid_t   pid;
        ssize_t n;

        snprintf(label, sizeof(label), "%s: %s", tp->name, row->label);
        if (tp->open(fds) < 0) {
            harness_check(0, label, "open: %s", strerror(errno));
            continue;
        }
        buf_reset(ref);
        (void) stream_test_write_script(row->script, 0, ref);
        if ((pid = fork()) < 0) {
            perror("fork");
            exit(1);
        }
        if (pid == 0) {
            STREAM *s;
            int     failed;

            close(fds[0]);
            s = stream_open(fds[1]);
            stream_set_timeout(s, 10);
            failed = stream_test_write_script(row->script, s, 0);
            if (stream_close(&s) != STREAM_OK && failed == 0)
                failed = 99;
            _exit(failed);
        }
        close(fds[1]);
        buf_reset(got);
        while ((n = read(fds[0], block, sizeof(block))) != 0) {
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                break;
            buf_append(got, block, (size_t) n);
        }
        close(fds[0]);
        waitpid(pid, &status, 0);
        snprintf(label, sizeof(label), "%s: %s: every call returned OK", tp->name,
                 row->label);
        harness_check(WIFEXITED(status) && WEXITSTATUS(status) == 0, label,
                      "first failed call %d (99: close)",
                      WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        snprintf(label, sizeof(label), "%s: %s: length", tp->name, row->label);
        harness_inteq(label, (long) got->len, (long) ref->len);
        snprintf(label, sizeof(label), "%s: %s: bytes", tp->name, row->label);
        harness_check(got->len == ref->len
                      && memcmp(got->data, ref->data, ref->len) == 0, label,
                      "peer received different bytes");
        snprintf(label, sizeof(label), "%s: %s: log", tp->name, row->label);
        harness_log_check(label, row->want_log);
    }
    buf_free(&ref);
    buf_free(&got);
}

/* stream_test_closed_peer - writes fail with STREAM_ERR, and stay failed. */

static void stream_test_closed_peer(const TRANSPORT *tp)
{
    static char big[20000];
    char    label[256];
    int     fds[2];
    STREAM *s;

    /* Small write: buffered, so the failure shows at flush. */
    if (tp->open(fds) < 0) {
        harness_check(0, tp->name, "open: %s", strerror(errno));
        return;
    }
    close(fds[0]);
    s = stream_open(fds[1]);
    stream_set_timeout(s, 5);
    snprintf(label, sizeof(label), "%s: closed peer: small write is buffered", tp->name);
    harness_inteq(label, stream_write(s, "hello", 5), STREAM_OK);
    snprintf(label, sizeof(label), "%s: closed peer: flush fails", tp->name);
    harness_inteq(label, stream_flush(s), STREAM_ERR);
    snprintf(label, sizeof(label), "%s: closed peer: error is kept", tp->name);
    harness_inteq(label, stream_error(s), STREAM_ERR);
    snprintf(label, sizeof(label), "%s: closed peer: later write fails", tp->name);
    harness_inteq(label, stream_puts(s, "more"), STREAM_ERR);
    snprintf(label, sizeof(label), "%s: closed peer: later printf fails", tp->name);
    harness_inteq(label, stream_printf(s, "%d", 1), STREAM_ERR);
    snprintf(label, sizeof(label), "%s: closed peer: close reports it", tp->name);
    harness_inteq(label, stream_close(&s), STREAM_ERR);

    /* Large write: the buffer fills, so the write itself fails. */
    if (tp->open(fds) < 0) {
        harness_check(0, tp->name, "open: %s", strerror(errno));
        return;
    }
    close(fds[0]);
    s = stream_open(fds[1]);
    stream_set_timeout(s, 5);
    memset(big, 'b', sizeof(big));
    snprintf(label, sizeof(label), "%s: closed peer: large write fails", tp->name);
    harness_inteq(label, stream_write(s, big, sizeof(big)), STREAM_ERR);
    snprintf(label, sizeof(label), "%s: closed peer: flush fails too", tp->name);
    harness_inteq(label, stream_flush(s), STREAM_ERR);
    (void) stream_close(&s);
    snprintf(label, sizeof(label), "%s: closed peer: log", tp->name);
    harness_log_check(label, 0);
}

/* stream_test_release - release keeps the descriptor open. */

static void stream_test_release(void)
{
    int     fds[2];
    char    got[8];
    STREAM *s;

    if (stream_test_socketpair(fds) < 0) {
        harness_check(0, "release", "socketpair: %s", strerror(errno));
        return;
    }
    s = stream_open(fds[1]);
    stream_puts(s, "bye");
    harness_inteq("release flushes", stream_release(&s), STREAM_OK);
    harness_check(s == 0, "release clears the pointer", "s=%p", (void *) s);
    harness_inteq("descriptor still open after release", (long) write(fds[1], "!", 1), 1);
    harness_inteq("peer sees the flushed bytes", (long) read(fds[0], got, 4), 4);
    harness_check(memcmp(got, "bye!", 4) == 0, "flushed bytes in order", "got %.4s", got);
    harness_inteq("close of NULL stream", stream_close(&s), STREAM_OK);
    close(fds[0]);
    close(fds[1]);
    harness_log_check("release: log", 0);
}

static void stream_test_strerror(void)
{
    static const struct {
        int     status;
        const char *want;
    }       rows[] = {
        {STREAM_OK, "success"},
        {STREAM_EOF, "unexpected end of input"},
        {STREAM_TIMEOUT, "timeout"},
        {STREAM_TOOLONG, "line too long"},
    };
    char    label[64];

    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        snprintf(label, sizeof(label), "strerror %s", stream_test_status(rows[i].status));
        harness_streq(label, stream_strerror(rows[i].status), rows[i].want);
    }
}

int     main(void)
{
    harness_init("stream_test");
    signal(SIGPIPE, SIG_IGN);
    for (size_t t = 0; t < sizeof(transports) / sizeof(transports[0]); t++) {
        stream_test_reads(transports + t);
        stream_test_writes(transports + t);
        stream_test_closed_peer(transports + t);
    }
    stream_test_release();
    stream_test_strerror();
    return (harness_done());
}
