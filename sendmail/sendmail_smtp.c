/* NAME
 *	sendmail_smtp 3
 * SUMMARY
 *	sendmail -bs: SMTP on standard input and output
 * DESCRIPTION
 *	sendmail_smtp() speaks SMTP (RFC 5321) to a client on standard
 *	input and output, as "sendmail -bs" does for programs that submit
 *	mail that way: HELO, EHLO, MAIL, RCPT, DATA, RSET, NOOP, VRFY (252),
 *	QUIT. Each message goes into maildrop/ through the same path as
 *	"sendmail user ..." (sendmail_drop(): directly, or through the
 *	setgid postdrop), so an ordinary user gets no more access to the
 *	queue than with plain submission, and pickup records the real user.
 *	As with Postfix's sendmail -bs there are no relay restrictions:
 *	the caller is a local user, who may send anywhere anyway.
 *
 *	Command lines are limited to 2048 bytes (RFC 5321 4.5.3.1.4 asks
 *	for at least 512); a longer one gets 500 and is skipped. The DATA
 *	content goes through the same dot reader as smtpd's (smtp_data(3)):
 *	only CRLF.CRLF (or LF.LF from a Unix pipe, as a local client may
 *	send) ends it; message_size_limit applies (552 5.3.4). Every wait
 *	for input is bounded by smtpd_timeout (421 4.4.2 and exit).
 * PARAMETERS
 *	myhostname, smtpd_banner, message_size_limit, smtpd_timeout,
 *	smtpd_recipient_limit.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "full_io.h"
#include "mem.h"
#include "msg.h"
#include "sendmail.h"
#include "smtp_data.h"
#include "smtp_path.h"
#include "strv.h"

#define SENDMAIL_SMTP_LINE_MAX  2048
#define SENDMAIL_SMTP_READ      8192

typedef struct SENDMAIL_SMTP {
    const char *full_name;
    BUF    *in;                         /* unprocessed input */
    size_t  in_off;
    int     eof;
    BUF    *out;                        /* replies not yet written */
    char   *sender;                     /* NULL before MAIL */
    STRV   *rcpts;
    BUF    *msg;                        /* message content */
    int     quit;
} SENDMAIL_SMTP;

static void __attribute__((format(printf, 2, 3)))
sendmail_smtp_reply(SENDMAIL_SMTP *st, const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    buf_vprintf(st->out, fmt, ap);
    va_end(ap);
    buf_puts(st->out, "\r\n");
}

static void sendmail_smtp_flush(SENDMAIL_SMTP *st)
{
    if (st->out->len > 0 && full_io_write(1, st->out->data, st->out->len) < 0)
        msg_fatal_status(EX_IOERR, "write to standard output: %m");
    buf_reset(st->out);
}

static void sendmail_smtp_timeout(int sig)
{
    static const char text[] = "421 4.4.2 Error: timeout exceeded\r\n";

    (void) sig;
    (void) full_io_write(1, text, sizeof(text) - 1);
    _exit(EX_TEMPFAIL);
}

/* sendmail_smtp_fill - more input, replies written first; 0 at EOF. */

static int sendmail_smtp_fill(SENDMAIL_SMTP *st)
{
    char    chunk[SENDMAIL_SMTP_READ];
    ssize_t n;

    sendmail_smtp_flush(st);
    if (st->in_off > 0) {
        memmove(st->in->data, st->in->data + st->in_off, st->in->len - st->in_off);
        buf_truncate(st->in, st->in->len - st->in_off);
        st->in_off = 0;
    }
    alarm((unsigned) config_time(P_SMTPD_TIMEOUT));
    while ((n = read(0, chunk, sizeof(chunk))) < 0 && errno == EINTR)
         /* void */ ;
    alarm(0);
    if (n < 0)
        msg_fatal_status(EX_IOERR, "read standard input: %m");
    if (n == 0) {
        st->eof = 1;
        return (0);
    }
    buf_append(st->in, chunk, (size_t) n);
    return (1);
}

/*
 * sendmail_smtp_line - the next command line (CR LF or LF stripped), or
 * NULL at end of input. A line over the limit gets 500 and is skipped.
 */
static char *sendmail_smtp_line(SENDMAIL_SMTP *st)
{
    for (;;) {
        char   *start = st->in->data + st->in_off;
        size_t  avail = st->in->len - st->in_off;
        char   *nl = memchr(start, '\n', avail);

        if (nl) {
            size_t  len = (size_t) (nl - start);

            st->in_off += len + 1;
            if (len > SENDMAIL_SMTP_LINE_MAX) {
                sendmail_smtp_reply(st, "500 5.5.0 Error: line too long");
                continue;
            }
            if (len > 0 && start[len - 1] == '\r')
                len--;
            start[len] = 0;
            return (start);
        }
        if (avail > SENDMAIL_SMTP_LINE_MAX) {
            /* Keep the last byte: it may be the CR of the CR LF. */
            st->in_off += avail - 1;
            sendmail_smtp_reply(st, "500 5.5.0 Error: line too long");
            while (sendmail_smtp_fill(st)) {
                start = st->in->data + st->in_off;
                if ((nl = memchr(start, '\n', st->in->len - st->in_off)) != 0) {
                    st->in_off += (size_t) (nl - start) + 1;
                    break;
                }
                st->in_off = st->in->len;
            }
            continue;
        }
        if (st->eof || !sendmail_smtp_fill(st))
            return (0);
    }
}

static void sendmail_smtp_reset(SENDMAIL_SMTP *st)
{
    mem_free(st->sender);
    st->sender = 0;
    strv_free(&st->rcpts);
    buf_reset(st->msg);
}

static void sendmail_smtp_helo(SENDMAIL_SMTP *st, char *args, int esmtp)
{
    if (*args == 0) {
        sendmail_smtp_reply(st, "501 Syntax: %s hostname", esmtp ? "EHLO" : "HELO");
        return;
    }
    sendmail_smtp_reset(st);
    if (!esmtp) {
        sendmail_smtp_reply(st, "250 %s", config_str(P_MYHOSTNAME));
        return;
    }
    sendmail_smtp_reply(st, "250-%s", config_str(P_MYHOSTNAME));
    sendmail_smtp_reply(st, "250-PIPELINING");
    sendmail_smtp_reply(st, "250-SIZE %ld", config_int(P_MESSAGE_SIZE_LIMIT));
    sendmail_smtp_reply(st, "250-ENHANCEDSTATUSCODES");
    sendmail_smtp_reply(st, "250 8BITMIME");
}

/* sendmail_smtp_path - the address of "FROM:<...>" / "TO:<...>", or NULL. */

static char *sendmail_smtp_path(SENDMAIL_SMTP *st, char *args, const char *keyword,
                                int flags, const char *dsn)
{
    BUF    *addr = buf_new(64);
    STRV   *params = strv_new();
    const char *why;
    char   *result = 0;

    if (strncasecmp(args, keyword, strlen(keyword)) != 0)
        sendmail_smtp_reply(st, "501 5.5.4 Syntax: %s<address>",
                            *keyword == 'F' ? "MAIL FROM:" : "RCPT TO:");
    else if (smtp_path_parse(args + strlen(keyword), flags, addr, params, &why) < 0)
        sendmail_smtp_reply(st, "501 %s %s", dsn, why);
    else
        result = mem_strdup(addr->data);
    buf_free(&addr);
    strv_free(&params);
    return (result);
}

static void sendmail_smtp_mail(SENDMAIL_SMTP *st, char *args)
{
    if (st->sender) {
        sendmail_smtp_reply(st, "503 5.5.1 Error: nested MAIL command");
        return;
    }
    if ((st->sender = sendmail_smtp_path(st, args, "FROM:", SMTP_PATH_NULL_OK, "5.1.7")) != 0) {
        st->rcpts = strv_new();
        sendmail_smtp_reply(st, "250 2.1.0 Ok");
    }
}

static void sendmail_smtp_rcpt(SENDMAIL_SMTP *st, char *args)
{
    char   *rcpt;
    long    limit = config_int(P_SMTPD_RECIPIENT_LIMIT);

    if (st->sender == 0) {
        sendmail_smtp_reply(st, "503 5.5.1 Error: need MAIL command");
    } else if (limit > 0 && (long) st->rcpts->argc >= limit) {
        sendmail_smtp_reply(st, "452 4.5.3 Error: too many recipients");
    } else if ((rcpt = sendmail_smtp_path(st, args, "TO:", 0, "5.1.3")) != 0) {
        strv_add(st->rcpts, rcpt);
        mem_free(rcpt);
        sendmail_smtp_reply(st, "250 2.1.5 Ok");
    }
}

static int sendmail_smtp_content(const char *data, size_t len, int partial, void *context)
{
    SENDMAIL_SMTP *st = context;

    buf_append(st->msg, data, len);
    if (!partial)
        buf_putc(st->msg, '\n');
    return (0);
}

static void sendmail_smtp_data(SENDMAIL_SMTP *st, char *args)
{
    SMTP_DATA *reader;
    size_t  used;
    int     status = SMTP_DATA_MORE;

    if (*args) {
        sendmail_smtp_reply(st, "501 5.5.4 Syntax: DATA");
        return;
    }
    if (st->sender == 0 || st->rcpts->argc == 0) {
        sendmail_smtp_reply(st, "503 5.5.1 Error: need %s command",
                            st->sender ? "RCPT" : "MAIL");
        return;
    }
    sendmail_smtp_reply(st, "354 End data with <CR><LF>.<CR><LF>");
    reader = smtp_data_new(SENDMAIL_SMTP_LINE_MAX, (size_t) config_int(P_MESSAGE_SIZE_LIMIT),
                           SMTP_DATA_BARE_LF_ALLOW, sendmail_smtp_content, st);
    for (;;) {
        used = 0;
        status = smtp_data_feed(reader, st->in->data + st->in_off,
                                st->in->len - st->in_off, &used);
        st->in_off += used;
        if (status != SMTP_DATA_MORE)
            break;
        if (!sendmail_smtp_fill(st)) {
            msg_warn("end of input in the middle of DATA: nothing queued");
            st->quit = 1;
            smtp_data_free(&reader);
            sendmail_smtp_reset(st);
            return;
        }
    }
    smtp_data_free(&reader);
    if (status == SMTP_DATA_TOO_BIG)
        sendmail_smtp_reply(st, "552 5.3.4 Message size exceeds fixed limit");
    else if ((status = sendmail_drop(st->sender, st->full_name, st->rcpts, st->msg)) != 0)
        sendmail_smtp_reply(st, "451 4.3.0 Error: queue file write error");
    else
        sendmail_smtp_reply(st, "250 2.0.0 Ok: queued");
    sendmail_smtp_reset(st);
}

int     sendmail_smtp(const char *full_name)
{
    static const char *noargs[] = {"RSET", "NOOP", "QUIT", 0};
    SENDMAIL_SMTP st;
    char   *line;

    memset(&st, 0, sizeof(st));
    st.full_name = full_name;
    st.in = buf_new(SENDMAIL_SMTP_READ);
    st.out = buf_new(512);
    st.msg = buf_new(8192);
    signal(SIGALRM, sendmail_smtp_timeout);
    signal(SIGPIPE, SIG_IGN);
    sendmail_smtp_reply(&st, "220 %s", config_str(P_SMTPD_BANNER));
    while (!st.quit && (line = sendmail_smtp_line(&st)) != 0) {
        char   *args = line + strcspn(line, " ");

        if (*args)
            *args++ = 0;
        args += strspn(args, " ");
        for (const char **verb = noargs; *verb; verb++)
            if (strcasecmp(line, *verb) == 0 && *args) {
                sendmail_smtp_reply(&st, "501 5.5.4 Syntax: %s", *verb);
                line = 0;
                break;
            }
        if (line == 0)
            continue;
        if (strcasecmp(line, "HELO") == 0 || strcasecmp(line, "EHLO") == 0) {
            sendmail_smtp_helo(&st, args, (line[0] == 'E' || line[0] == 'e'));
        } else if (strcasecmp(line, "MAIL") == 0) {
            sendmail_smtp_mail(&st, args);
        } else if (strcasecmp(line, "RCPT") == 0) {
            sendmail_smtp_rcpt(&st, args);
        } else if (strcasecmp(line, "DATA") == 0) {
            sendmail_smtp_data(&st, args);
        } else if (strcasecmp(line, "RSET") == 0) {
            sendmail_smtp_reset(&st);
            sendmail_smtp_reply(&st, "250 2.0.0 Ok");
        } else if (strcasecmp(line, "NOOP") == 0) {
            sendmail_smtp_reply(&st, "250 2.0.0 Ok");
        } else if (strcasecmp(line, "VRFY") == 0) {
            sendmail_smtp_reply(&st, "252 2.0.0 %s", args);
        } else if (strcasecmp(line, "QUIT") == 0) {
            sendmail_smtp_reply(&st, "221 2.0.0 Bye");
            st.quit = 1;
        } else {
            sendmail_smtp_reply(&st, "502 5.5.2 Error: command not recognized");
        }
    }
    sendmail_smtp_flush(&st);
    sendmail_smtp_reset(&st);
    buf_free(&st.in);
    buf_free(&st.out);
    buf_free(&st.msg);
    return (0);
}
