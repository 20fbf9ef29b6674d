/* NAME
 *	smtp_chat 3
 * SUMMARY
 *	SMTP commands out, bounded replies in
 * DESCRIPTION
 *	smtp_chat_cmd() queues one command line (CRLF added); nothing is
 *	sent until smtp_chat_reply() needs an answer, so that commands
 *	can be pipelined (RFC 2920). smtp_chat_reply() flushes, then
 *	reads one whole reply within timeout seconds per read: lines of
 *	at most SMTP_CHAT_LINE_MAX bytes (a longer line is cut, the rest
 *	skipped), at most SMTP_CHAT_LINES_MAX lines, each "ddd-text" but
 *	the last "ddd text" (RFC 5321 4.2). It returns the code (also in
 *	session->code, the text in session->reply, lines joined by
 *	"\n"), or a STREAM_* code (STREAM_TIMEOUT, STREAM_EOF,
 *	STREAM_ERR; a malformed reply is STREAM_ERR with errno EPROTO).
 *
 *	smtp_chat_dsn() is the reply's RFC 3463 code (RFC 2034: after the
 *	reply code), or class.0.0 when the server gave none.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "smtp.h"

#define SMTP_CHAT_LINE_MAX  2048
#define SMTP_CHAT_LINES_MAX 100

int     smtp_chat_cmd(SMTP_SESSION *session, const char *fmt,...)
{
    va_list ap;
    BUF    *line = buf_new(256);

    va_start(ap, fmt);
    buf_vprintf(line, fmt, ap);
    va_end(ap);
    buf_puts(line, "\r\n");
    (void) stream_write(session->stream, line->data, line->len);
    buf_free(&line);
    return (stream_error(session->stream));
}

/* smtp_chat_line - one reply line, CRLF stripped; a longer one is cut. */

static int smtp_chat_line(STREAM *s, BUF *line)
{
    BUF    *rest;
    int     status = stream_read_line(s, line, SMTP_CHAT_LINE_MAX);

    if (status == STREAM_TOOLONG) {
        rest = buf_new(SMTP_CHAT_LINE_MAX);
        while ((status = stream_read_line(s, rest, SMTP_CHAT_LINE_MAX)) == STREAM_TOOLONG)
             /* void */ ;
        buf_free(&rest);
    }
    if (status != STREAM_OK)
        return (status);
    while (line->len > 0 && (line->data[line->len - 1] == '\n'
                             || line->data[line->len - 1] == '\r'))
        buf_truncate(line, line->len - 1);
    return (STREAM_OK);
}

int     smtp_chat_reply(SMTP_SESSION *session, int timeout)
{
    BUF    *line = buf_new(256);
    int     status, lines = 0, code = -1;

    stream_set_timeout(session->stream, timeout);
    if ((status = stream_flush(session->stream)) != STREAM_OK) {
        buf_free(&line);
        return (status);
    }
    buf_reset(session->reply);
    for (;;) {
        if ((status = smtp_chat_line(session->stream, line)) != STREAM_OK)
            break;
        if (line->len < 3 || !isdigit((unsigned char) line->data[0])
            || !isdigit((unsigned char) line->data[1])
            || !isdigit((unsigned char) line->data[2])
            || (line->len > 3 && line->data[3] != ' ' && line->data[3] != '-')
            || (code >= 0 && (line->data[0] - '0') * 100 + (line->data[1] - '0') * 10
                + (line->data[2] - '0') != code)
            || ++lines > SMTP_CHAT_LINES_MAX) {
            errno = EPROTO;
            status = STREAM_ERR;
            break;
        }
        code = (line->data[0] - '0') * 100 + (line->data[1] - '0') * 10 + (line->data[2] - '0');
        if (session->reply->len > 0)
            buf_putc(session->reply, '\n');
        buf_append(session->reply, line->data, line->len);
        if (line->len == 3 || line->data[3] == ' ')
            break;
    }
    buf_free(&line);
    if (status != STREAM_OK)
        return (status);
    session->code = code;
    return (code);
}

/* smtp_chat_is_dsn - "c.ddd.ddd" followed by a space or the end. */

static size_t smtp_chat_is_dsn(const char *cp, int cls)
{
    const char *start = cp;
    int     n;

    if (*cp != '0' + cls || cp[1] != '.')
        return (0);
    cp += 2;
    for (int part = 0; part < 2; part++) {
        for (n = 0; isdigit((unsigned char) *cp) && n < 4; n++)
            cp++;
        if (n == 0 || n > 3)
            return (0);
        if (part == 0 && *cp++ != '.')
            return (0);
    }
    if (*cp != ' ' && *cp != 0 && *cp != '\n')
        return (0);
    return ((size_t) (cp - start));
}

void    smtp_chat_dsn(const SMTP_SESSION *session, char *dsn_r)
{
    const char *text = session->reply->data;
    int     cls = session->code / 100;
    size_t  len;

    if (session->reply->len > 4 && (len = smtp_chat_is_dsn(text + 4, cls)) > 0
        && len < 16) {
        memcpy(dsn_r, text + 4, len);
        dsn_r[len] = 0;
    } else {
        snprintf(dsn_r, 16, "%d.0.0", cls >= 2 && cls <= 5 ? cls : 4);
    }
}
