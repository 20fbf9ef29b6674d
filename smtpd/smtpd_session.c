/* NAME
 *	smtpd_session 3
 * SUMMARY
 *	SMTP session I/O on the event loop
 * DESCRIPTION
 *	Input is read into a per-session buffer and cut into command lines
 *	here; every complete command in the buffer is executed before the
 *	replies are written, in one write, which is exactly RFC 2920
 *	reply batching for pipelining clients. While replies cannot be
 *	written (the client does not read), input is not read either, so a
 *	client cannot make us buffer without bound.
 *
 *	Every wait for the client is bounded by smtpd_timeout (RFC 5321
 *	4.5.3.2 asks for at least 5 minutes; Postfix's default is 300s).
 *	Command lines are limited to line_length_limit bytes (RFC 5321
 *	4.5.3.1.4 requires at least 512); a longer one is answered with
 *	500 and skipped to its end.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "daemon.h"
#include "mem.h"
#include "msg.h"
#include "sock.h"
#include "rewrite_header.h"
#include "smtpd.h"

#define SMTPD_READ_SIZE 8192

static void smtpd_session_event(int fd, int ready, void *context);

void    smtpd_reply(SMTPD_SESSION *s, const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    buf_vprintf(s->out, fmt, ap);
    va_end(ap);
    buf_puts(s->out, "\r\n");
}

static void smtpd_timeout_event(void *context)
{
    SMTPD_SESSION *s = context;

    s->timer = 0;
    if (s->state == SMTPD_STATE_SLEEP) {
        s->state = SMTPD_STATE_COMMAND;
        smtpd_session_resume(s);
        return;
    }
    mail_log_lost("timeout", s->where, s->data ? (long) smtp_data_size(s->data) : -1,
                  s->name, s->addr);
    smtpd_reply(s, "421 4.4.2 %s Error: timeout exceeded", smtpd_hostname);
    s->state = SMTPD_STATE_CLOSING;
    smtpd_session_resume(s);
}

static void smtpd_timer_restart(SMTPD_SESSION *s, long seconds)
{
    events_cancel(daemon_events(), &s->timer);
    s->timer = events_timer(daemon_events(), seconds * 1000, smtpd_timeout_event, s);
}

/* smtpd_session_sleep - pause the session (error tarpit); replies go out now. */

void    smtpd_session_sleep(SMTPD_SESSION *s, long seconds)
{
    s->state = SMTPD_STATE_SLEEP;
    smtpd_timer_restart(s, seconds);
}

void    smtpd_transaction_reset(SMTPD_SESSION *s)
{
    mem_free(s->sender);
    s->sender = 0;
    strv_free(&s->rcpts);
    if (s->qf)
        queue_file_abort(&s->qf);
    smtp_data_free(&s->data);
    rewrite_header_free(&s->headers);
    s->queue_id[0] = 0;
    s->data_error = 0;
    s->declared_size = 0;
    s->action_hold = s->action_discard = 0;
    strv_free(&s->prepend);
    mem_free(s->redirect);
    s->redirect = 0;
}

void    smtpd_session_close(SMTPD_SESSION *s)
{
    BUF    *counts = buf_new(128);

    mail_log_counts_format(&s->counts, counts);
    mail_log_disconnect(s->name, s->addr, counts->data);
    buf_free(&counts);
    smtpd_transaction_reset(s);
    events_cancel(daemon_events(), &s->timer);
    events_unwatch(daemon_events(), s->fd);
    close(s->fd);
    buf_free(&s->in);
    buf_free(&s->out);
    mem_free(s->name);
    mem_free(s->helo);
    mem_free(s->access_denied);
    mem_free(s);
    daemon_session_done();
}

/*
 * smtpd_flush - write what replies we can. Returns 0 when all is
 * written, 1 when some remain (wait for the socket), -1 when the client
 * is gone.
 */
static int smtpd_flush(SMTPD_SESSION *s)
{
    while (s->out->len > 0) {
        ssize_t n = write(s->fd, s->out->data, s->out->len);

        if (n > 0) {
            memmove(s->out->data, s->out->data + n, s->out->len - (size_t) n);
            buf_truncate(s->out, s->out->len - (size_t) n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return (1);
        return (-1);
    }
    return (0);
}

/* smtpd_next_line - the next complete command line, or NULL. */

static char *smtpd_next_line(SMTPD_SESSION *s, size_t *len_r)
{
    char   *start = s->in->data + s->in_off;
    size_t  avail = s->in->len - s->in_off;
    char   *nl = memchr(start, '\n', avail);
    size_t  len;

    if (nl == 0)
        return (0);
    len = (size_t) (nl - start);
    s->in_off += len + 1;
    if (len > 0 && start[len - 1] == '\r')
        len--;
    start[len] = 0;
    *len_r = len;
    return (start);
}

/* smtpd_compact - drop consumed input, keeping the buffer small. */

static void smtpd_compact(SMTPD_SESSION *s)
{
    if (s->in_off == 0)
        return;
    memmove(s->in->data, s->in->data + s->in_off, s->in->len - s->in_off);
    buf_truncate(s->in, s->in->len - s->in_off);
    s->in_off = 0;
    if (s->in->len == 0 && s->in->cap > 4 * SMTPD_READ_SIZE) {
        buf_free(&s->in);
        s->in = buf_new(256);
    }
}

/* smtpd_process - act on buffered input for as long as the state allows. */

static void smtpd_process(SMTPD_SESSION *s)
{
    char   *line;
    size_t  len;

    for (;;) {
        if (s->state == SMTPD_STATE_DATA) {
            smtpd_data_input(s);
            if (s->state == SMTPD_STATE_DATA)
                break;                  /* the reader wants more input */
            continue;
        }
        if (s->state != SMTPD_STATE_COMMAND)
            break;
        if ((line = smtpd_next_line(s, &len)) == 0) {
            size_t  pending = s->in->len - s->in_off;

            if (pending > (size_t) smtpd_line_limit || (s->discard_line && pending)) {
                /* RFC 5321 4.5.3.1.4: refuse, then skip to the end of line. */
                if (!s->discard_line) {
                    smtpd_reply(s, "500 5.5.0 Error: line too long");
                    s->errors++;
                }
                s->discard_line = 1;
                s->in_off = s->in->len;
            }
            break;
        }
        if (s->discard_line) {
            s->discard_line = 0;
            continue;
        }
        if (len > (size_t) smtpd_line_limit) {
            smtpd_reply(s, "500 5.5.0 Error: line too long");
            s->errors++;
            continue;
        }
        smtpd_command(s, line, len);
    }
    smtpd_compact(s);
}

/*
 * smtpd_session_resume - after any change: process input, write
 * replies, and wait for whatever comes next.
 */
void    smtpd_session_resume(SMTPD_SESSION *s)
{
    int     flushed;
    int     mask = 0;

    smtpd_process(s);
    if ((flushed = smtpd_flush(s)) < 0) {
        if (s->state != SMTPD_STATE_CLOSING)
            mail_log_lost("lost connection", s->where, s->data ?
                          (long) smtp_data_size(s->data) : -1, s->name, s->addr);
        s->state = SMTPD_STATE_CLOSING;
        flushed = 0;
    }
    if (s->state == SMTPD_STATE_COMMIT)
        return;                         /* the commit calls us back */
    if (s->state == SMTPD_STATE_CLOSING && flushed == 0) {
        smtpd_session_close(s);
        return;
    }
    if (flushed > 0)
        mask = EVENTS_WRITE;            /* no reading until the client reads */
    else if (s->state != SMTPD_STATE_SLEEP && s->state != SMTPD_STATE_CLOSING)
        mask = EVENTS_READ;
    if (s->peer_closed && mask == EVENTS_READ) {
        if (s->state == SMTPD_STATE_DATA || s->sender)
            mail_log_lost("lost connection", s->where, s->data ?
                          (long) smtp_data_size(s->data) : -1, s->name, s->addr);
        if (s->state == SMTPD_STATE_DATA)
            mail_log_counts_add(&s->counts, "data", 0);
        smtpd_session_close(s);
        return;
    }
    events_watch(daemon_events(), s->fd, mask, smtpd_session_event, s);
    if (s->state != SMTPD_STATE_SLEEP)
        smtpd_timer_restart(s, smtpd_timeout);
}

static void smtpd_session_event(int fd, int ready, void *context)
{
    SMTPD_SESSION *s = context;

    if (ready & EVENTS_READ) {
        buf_reserve(s->in, SMTPD_READ_SIZE);
        ssize_t n = read(fd, s->in->data + s->in->len, SMTPD_READ_SIZE);

        if (n > 0) {
            s->in->len += (size_t) n;
            s->in->data[s->in->len] = 0;
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            s->peer_closed = 1;
        }
    }
    smtpd_session_resume(s);
}

/* smtpd_client_name - no DNS lookups here yet: loopback is "localhost". */

static char *smtpd_client_name(const char *addr)
{
    if (strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0)
        return (mem_strdup("localhost"));
    return (mem_strdup("unknown"));
}

void    smtpd_session_accept(int fd)
{
    SMTPD_SESSION *s = mem_calloc(1, sizeof(*s));
    BUF    *reply;

    s->fd = fd;
    if (sock_peer_name(fd, s->addr, sizeof(s->addr), s->port, sizeof(s->port)) < 0) {
        snprintf(s->addr, sizeof(s->addr), "unknown");
        snprintf(s->port, sizeof(s->port), "0");
    }
    /* IPv4 clients of an IPv6 socket look like ::ffff:a.b.c.d. */
    if (strncmp(s->addr, "::ffff:", 7) == 0 && strchr(s->addr + 7, '.'))
        memmove(s->addr, s->addr + 7, strlen(s->addr + 7) + 1);
    s->name = smtpd_client_name(s->addr);
    s->in = buf_new(256);
    s->out = buf_new(256);
    s->state = SMTPD_STATE_COMMAND;
    s->where = "CONNECT";
    mail_log_connect(s->name, s->addr);
    /* smtpd_delay_reject = no: a rejected client hears why instead of 220. */
    reply = buf_new(128);
    if (smtpd_check_connect(s, reply) != 0) {
        mail_log_reject(0, "CONNECT", s->name, s->addr, reply->data, 0, 0, "SMTP", 0);
        smtpd_reply(s, "%s", reply->data);
        s->access_denied = buf_export(&reply);
        s->errors++;
    } else {
        smtpd_reply(s, "220 %s", config_str(P_SMTPD_BANNER));
        buf_free(&reply);
    }
    smtpd_session_resume(s);
}
