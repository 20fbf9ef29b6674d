/* NAME
 *	smtp_proto 3
 * SUMMARY
 *	one SMTP session: greeting, EHLO, MAIL, RCPT, DATA, QUIT
 * DESCRIPTION
 *	smtp_proto_session() delivers the request's recipients whose
 *	result is still unknown over one connection. EHLO first, HELO
 *	when EHLO is refused (RFC 5321 4.1.1.1); with PIPELINING (RFC
 *	2920) MAIL, every RCPT and DATA go out in one write and the
 *	replies are read in order. SIZE (RFC 1870): the message size is
 *	declared, and a message larger than the server's limit bounces
 *	(5.3.4) without being sent. BODY=8BITMIME (RFC 6152) goes with a
 *	message whose queue file says encoding=8bit when the server
 *	offers it. The content goes out with CRLF line ends and a dot in
 *	front of every line that starts with one (RFC 5321 4.5.2).
 *
 *	Results: a 2xx reply to the end of DATA: sent, for every
 *	recipient the server took; a 4xx or 5xx to a RCPT: that
 *	recipient alone, deferred or bounced; a 4xx greeting, EHLO/HELO
 *	or MAIL reply, a timeout or a lost connection: session trouble,
 *	the next address is tried (smtp_trouble(3)); a 5xx to HELO or
 *	MAIL: every remaining recipient bounces. A 5xx greeting counts as
 *	4xx (Postfix's smtp_skip_5xx_greeting = yes).
 *
 *	Loops: a server that greets us or answers EHLO with our own
 *	myhostname is logged ("host x[a]:25 greeted me with my own
 *	hostname H", "... replied to HELO/EHLO with my own hostname H"),
 *	and the second makes the mail bounce ("mail for NEXTHOP loops back
 *	to myself", 5.4.6).
 * PARAMETERS
 *	smtp_helo_name, smtp_helo_timeout, smtp_mail_timeout,
 *	smtp_rcpt_timeout, smtp_data_init_timeout, smtp_data_xfer_timeout,
 *	smtp_data_done_timeout, smtp_quit_timeout, myhostname.
 * STANDARDS
 *	RFC 5321, RFC 1869/5321 (EHLO), RFC 2920, RFC 1870, RFC 6152,
 *	RFC 2034/3463 (enhanced status codes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>

#include "config.h"
#include "mem.h"
#include "msg.h"
#include "smtp.h"

#define SMTP_PROTO_CHUNK    (64 * 1024)

static int smtp_proto_timeout(PARAM_ID id)
{
    return ((int) config_time(id));
}

/* smtp_proto_first_word - does the reply's first word (after the code) equal name? */

static int smtp_proto_names(const SMTP_SESSION *session, const char *name)
{
    const char *cp = session->reply->data;
    size_t  len;

    if (session->reply->len < 4)
        return (0);
    cp += 4;
    len = strcspn(cp, " \t\n");
    return (len == strlen(name) && strncasecmp(cp, name, len) == 0);
}

/* smtp_proto_features - ESMTP keywords from the EHLO reply (RFC 5321 4.1.1.1). */

static void smtp_proto_features(SMTP_SESSION *session)
{
    const char *line = strchr(session->reply->data, '\n');

    session->features = SMTP_FEATURE_ESMTP;
    while (line) {
        const char *kw = line + 1 + 4;
        size_t  len;

        line = strchr(line + 1, '\n');
        if (kw > session->reply->data + session->reply->len)
            break;
        len = strcspn(kw, " \n");
        if (len == 10 && strncasecmp(kw, "PIPELINING", len) == 0) {
            session->features |= SMTP_FEATURE_PIPELINING;
        } else if (len == 8 && strncasecmp(kw, "8BITMIME", len) == 0) {
            session->features |= SMTP_FEATURE_8BITMIME;
        } else if (len == 4 && strncasecmp(kw, "SIZE", len) == 0) {
            session->features |= SMTP_FEATURE_SIZE;
            if (kw[4] == ' ')
                session->size_limit = strtol(kw + 5, 0, 10);
            if (session->size_limit < 0)
                session->size_limit = 0;
        }
    }
}

/* smtp_proto_helo - greeting and EHLO/HELO: 0, or -1 after trouble. */

static int smtp_proto_helo(SMTP_STATE *state, SMTP_SESSION *session)
{
    const char *me = config_str(P_MYHOSTNAME);
    const char *helo = config_str(P_SMTP_HELO_NAME);
    int     timeout = smtp_proto_timeout(P_SMTP_HELO_TIMEOUT);
    int     code;

    if ((code = smtp_chat_reply(session, timeout)) < 0) {
        smtp_trouble_stream(state, session, code, "receiving the initial server greeting");
        return (-1);
    }
    if (code / 100 != 2) {
        BUF    *text = buf_new(256);
        char    dsn[16];

        for (const char *cp = session->reply->data; *cp; cp++)
            buf_putc(text, *cp == '\n' ? ' ' : *cp);
        smtp_chat_dsn(session, dsn);
        dsn[0] = '4';                   /* smtp_skip_5xx_greeting */
        smtp_trouble_site(state, session->relay, dsn,
                          "host %s refused to talk to me: %s",
                          session->namaddr, text->data);
        buf_free(&text);
        return (-1);
    }
    if (smtp_proto_names(session, me))
        msg_warn("host %s greeted me with my own hostname %s", session->relay, me);
    smtp_chat_cmd(session, "EHLO %s", helo);
    if ((code = smtp_chat_reply(session, timeout)) < 0) {
        smtp_trouble_stream(state, session, code, "performing the EHLO handshake");
        return (-1);
    }
    if (code / 100 == 2) {
        smtp_proto_features(session);
    } else {
        smtp_chat_cmd(session, "HELO %s", helo);
        if ((code = smtp_chat_reply(session, timeout)) < 0) {
            smtp_trouble_stream(state, session, code, "performing the HELO handshake");
            return (-1);
        }
        if (code / 100 != 2) {
            smtp_trouble_reply(state, session, "HELO command");
            return (-1);
        }
    }
    if (smtp_proto_names(session, me)) {
        msg_warn("host %s replied to HELO/EHLO with my own hostname %s",
                 session->relay, me);
        smtp_trouble_site(state, session->relay, "5.4.6",
                          "mail for %s loops back to myself", state->req->nexthop);
        return (-1);
    }
    return (0);
}

/* smtp_proto_body - the content, CRLF and dot-stuffed: 0, -1 read error. */

static int smtp_proto_body(SMTP_STATE *state, SMTP_SESSION *session)
{
    char   *in = mem_alloc(SMTP_PROTO_CHUNK);
    BUF    *out = buf_new(SMTP_PROTO_CHUNK + 1024);
    ssize_t n;
    int     bol = 1;

    stream_set_timeout(session->stream, smtp_proto_timeout(P_SMTP_DATA_XFER_TIMEOUT));
    queue_file_content_rewind(state->qf);
    while ((n = queue_file_content_read(state->qf, in, SMTP_PROTO_CHUNK)) > 0) {
        buf_reset(out);
        for (ssize_t i = 0; i < n; i++) {
            if (bol && in[i] == '.')
                buf_putc(out, '.');     /* RFC 5321 4.5.2 */
            if (in[i] == '\n') {
                buf_append(out, "\r\n", 2);
                bol = 1;
            } else {
                buf_putc(out, in[i]);
                bol = 0;
            }
        }
        if (stream_write(session->stream, out->data, out->len) != STREAM_OK)
            break;
    }
    if (!bol && n == 0)
        (void) stream_write(session->stream, "\r\n", 2);
    mem_free(in);
    buf_free(&out);
    return (n < 0 ? -1 : 0);
}

/* smtp_proto_sent - 2xx after the dot: the accepted recipients are delivered. */

static void smtp_proto_sent(SMTP_STATE *state, SMTP_SESSION *session,
                            const char *accepted)
{
    BUF    *text = buf_new(256);
    char    dsn[16];

    for (const char *cp = session->reply->data; *cp; cp++)
        buf_putc(text, *cp == '\n' ? ' ' : *cp);
    smtp_chat_dsn(session, dsn);
    for (size_t i = 0; i < state->req->count; i++)
        if (accepted[i])
            deliver_request_set_result(state->req->rcpts + i, DELIVER_SENT, dsn,
                                       session->relay, text->data);
    buf_free(&text);
}

/* smtp_proto_mail - the MAIL FROM command with its ESMTP parameters. */

static void smtp_proto_mail(SMTP_STATE *state, SMTP_SESSION *session)
{
    BUF    *cmd = buf_new(256);
    const char *encoding = queue_file_attr(state->qf, "encoding");

    buf_printf(cmd, "MAIL FROM:<%s>", state->req->sender);
    if (session->features & SMTP_FEATURE_SIZE)
        buf_printf(cmd, " SIZE=%ld", queue_file_message_size(state->qf));
    if ((session->features & SMTP_FEATURE_8BITMIME) && encoding
        && strcasecmp(encoding, "8bit") == 0)
        buf_puts(cmd, " BODY=8BITMIME");
    smtp_chat_cmd(session, "%s", cmd->data);
    buf_free(&cmd);
}

/*
 * smtp_proto_transaction - MAIL, RCPT..., DATA, content, dot. Returns 0
 * when QUIT may follow, -1 when the connection is no good.
 */
static int smtp_proto_transaction(SMTP_STATE *state, SMTP_SESSION *session)
{
    DELIVER_REQUEST *req = state->req;
    int     pipe = (session->features & SMTP_FEATURE_PIPELINING) != 0;
    char   *sent = mem_calloc(req->count + 1, 1);
    char   *accepted = mem_calloc(req->count + 1, 1);
    size_t  naccepted = 0, i;
    int     code = 0, mail_ok = 1, result = -1;

    smtp_proto_mail(state, session);
    if (!pipe) {
        if ((code = smtp_chat_reply(session, smtp_proto_timeout(P_SMTP_MAIL_TIMEOUT))) < 0) {
            smtp_trouble_stream(state, session, code, "sending MAIL FROM");
            goto done;
        }
        if (code / 100 != 2) {
            smtp_trouble_reply(state, session, "MAIL FROM command");
            result = 0;
            goto done;
        }
    }
    for (i = 0; i < req->count; i++) {
        if (req->rcpts[i].status != 0)
            continue;
        smtp_chat_cmd(session, "RCPT TO:<%s>", req->rcpts[i].address);
        sent[i] = 1;
        if (pipe)
            continue;
        if ((code = smtp_chat_reply(session, smtp_proto_timeout(P_SMTP_RCPT_TIMEOUT))) < 0) {
            smtp_trouble_stream(state, session, code, "sending RCPT TO");
            goto done;
        }
        if (code / 100 == 2)
            accepted[i] = 1, naccepted++;
        else
            smtp_trouble_rcpt(state, session, req->rcpts + i, "RCPT TO command");
    }
    if (pipe || naccepted > 0)
        smtp_chat_cmd(session, "DATA");
    if (pipe) {
        /* RFC 2920 3.1: the replies come in the order of the commands. */
        if ((code = smtp_chat_reply(session, smtp_proto_timeout(P_SMTP_MAIL_TIMEOUT))) < 0) {
            smtp_trouble_stream(state, session, code, "sending MAIL FROM");
            goto done;
        }
        if (code / 100 != 2) {
            smtp_trouble_reply(state, session, "MAIL FROM command");
            mail_ok = 0;
        }
        for (i = 0; i < req->count; i++) {
            if (!sent[i])
                continue;
            if ((code = smtp_chat_reply(session, smtp_proto_timeout(P_SMTP_RCPT_TIMEOUT))) < 0) {
                smtp_trouble_stream(state, session, code, "sending RCPT TO");
                goto done;
            }
            if (!mail_ok)
                continue;
            if (code / 100 == 2)
                accepted[i] = 1, naccepted++;
            else
                smtp_trouble_rcpt(state, session, req->rcpts + i, "RCPT TO command");
        }
    }
    if (pipe || naccepted > 0) {
        if ((code = smtp_chat_reply(session, smtp_proto_timeout(P_SMTP_DATA_INIT_TIMEOUT))) < 0) {
            smtp_trouble_stream(state, session, code, "sending DATA command");
            goto done;
        }
    }
    if (naccepted == 0 || !mail_ok) {
        /* Pipelined DATA was taken though nobody is left: send nothing. */
        if (code == 354) {
            smtp_chat_cmd(session, ".");
            if (smtp_chat_reply(session, smtp_proto_timeout(P_SMTP_DATA_DONE_TIMEOUT)) < 0)
                goto done;
        }
        result = 0;
        goto done;
    }
    if (code != 354) {
        for (i = 0; i < req->count; i++)
            if (accepted[i])
                smtp_trouble_rcpt(state, session, req->rcpts + i, "DATA command");
        result = 0;
        goto done;
    }
    if (smtp_proto_body(state, session) < 0) {
        msg_warn("%s: error reading queue file: %m", req->queue_id);
        smtp_trouble_site(state, session->relay, "4.3.0", "error reading queue file");
        goto done;
    }
    if (stream_error(session->stream) != STREAM_OK) {
        smtp_trouble_stream(state, session, stream_error(session->stream),
                            "sending message body");
        goto done;
    }
    smtp_chat_cmd(session, ".");
    if ((code = smtp_chat_reply(session, smtp_proto_timeout(P_SMTP_DATA_DONE_TIMEOUT))) < 0) {
        smtp_trouble_stream(state, session, code,
                       "sending end of data -- message may be sent more than once");
        goto done;
    }
    if (code / 100 == 2) {
        smtp_proto_sent(state, session, accepted);
    } else {
        for (i = 0; i < req->count; i++)
            if (accepted[i])
                smtp_trouble_rcpt(state, session, req->rcpts + i, "end of DATA command");
    }
    result = 0;
done:
    mem_free(sent);
    mem_free(accepted);
    return (result);
}

void    smtp_proto_session(SMTP_STATE *state, SMTP_SESSION *session)
{
    long    size = queue_file_message_size(state->qf);
    struct timeval now;

    if (smtp_proto_helo(state, session) < 0)
        return;
    gettimeofday(&now, 0);
    state->setup = (double) (now.tv_sec - state->received.tv_sec)
        + (double) (now.tv_usec - state->received.tv_usec) / 1e6;
    if ((session->features & SMTP_FEATURE_SIZE) && session->size_limit > 0
        && size > session->size_limit) {
        /* RFC 1870 6: do not send what the server said it will refuse. */
        smtp_trouble_site(state, session->relay, "5.3.4",
                          "message size %ld exceeds size limit %ld of server %s",
                          size, session->size_limit, session->namaddr);
    } else if (smtp_proto_transaction(state, session) < 0) {
        return;
    }
    smtp_chat_cmd(session, "QUIT");
    (void) smtp_chat_reply(session, smtp_proto_timeout(P_SMTP_QUIT_TIMEOUT));
}
