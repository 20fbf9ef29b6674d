/* NAME
 *	smtp_trouble 3
 * SUMMARY
 *	what went wrong, in Postfix's words
 * DESCRIPTION
 *	Session-level trouble (no connection, a greeting or MAIL FROM
 *	refused, a lost connection) concerns every recipient whose
 *	result is still unknown. smtp_trouble_site() records it: a
 *	temporary one (4.x.x) is remembered so that the next address can
 *	be tried, and the recipients are deferred with it only when none
 *	is left; a permanent one (5.x.x) bounces them at once.
 *	smtp_trouble_reply() words a refusing reply
 *
 *	    host mx.example.com[192.0.2.1] said: 550 5.1.1 <u@example.com>:
 *	    Recipient address rejected (in reply to RCPT TO command)
 *
 *	(the reply's lines joined by spaces), smtp_trouble_stream() a
 *	broken conversation ("conversation with host[addr] timed out while
 *	sending message body", "lost connection with host[addr] while
 *	receiving the initial server greeting"; 4.4.2), and
 *	smtp_trouble_rcpt() a refused recipient (its own result).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "smtp.h"

size_t  smtp_trouble_count_pending(const SMTP_STATE *state)
{
    size_t  n = 0;

    for (size_t i = 0; i < state->req->count; i++)
        if (state->req->rcpts[i].status == 0)
            n++;
    return (n);
}

void    smtp_trouble_pending(SMTP_STATE *state, int status, const char *dsn,
                             const char *relay, const char *reason)
{
    for (size_t i = 0; i < state->req->count; i++)
        if (state->req->rcpts[i].status == 0)
            deliver_request_set_result(state->req->rcpts + i, status, dsn,
                                       relay ? relay : "none", reason);
}

void    smtp_trouble_site(SMTP_STATE *state, const char *relay, const char *dsn,
                          const char *fmt,...)
{
    va_list ap;

    buf_reset(state->why);
    va_start(ap, fmt);
    buf_vprintf(state->why, fmt, ap);
    va_end(ap);
    snprintf(state->dsn, sizeof(state->dsn), "%s", dsn);
    state->status = dsn[0] == '5' ? DELIVER_BOUNCE : DELIVER_DEFER;
    mem_free(state->relay);
    state->relay = relay ? mem_strdup(relay) : 0;
    if (state->status == DELIVER_BOUNCE)
        smtp_trouble_pending(state, DELIVER_BOUNCE, dsn, relay, state->why->data);
}

/* smtp_trouble_said - "host x[a] said: text (in reply to CMD command)". */

static void smtp_trouble_said(const SMTP_SESSION *session, const char *command,
                              BUF *out)
{
    buf_printf(out, "host %s said: ", session->namaddr);
    for (const char *cp = session->reply->data; *cp; cp++)
        buf_putc(out, *cp == '\n' ? ' ' : *cp);
    buf_printf(out, " (in reply to %s)", command);
}

void    smtp_trouble_reply(SMTP_STATE *state, SMTP_SESSION *session,
                           const char *command)
{
    BUF    *text = buf_new(256);
    char    dsn[16];

    smtp_chat_dsn(session, dsn);
    smtp_trouble_said(session, command, text);
    smtp_trouble_site(state, session->relay, dsn, "%s", text->data);
    buf_free(&text);
}

void    smtp_trouble_stream(SMTP_STATE *state, SMTP_SESSION *session, int status,
                            const char *doing)
{
    if (status == STREAM_TIMEOUT)
        smtp_trouble_site(state, session->relay, "4.4.2",
                          "conversation with %s timed out while %s",
                          session->namaddr, doing);
    else
        smtp_trouble_site(state, session->relay, "4.4.2",
                          "lost connection with %s while %s",
                          session->namaddr, doing);
}

void    smtp_trouble_rcpt(SMTP_STATE *state, SMTP_SESSION *session,
                          DELIVER_RCPT *rcpt, const char *command)
{
    BUF    *text = buf_new(256);
    char    dsn[16];

    (void) state;
    smtp_chat_dsn(session, dsn);
    smtp_trouble_said(session, command, text);
    deliver_request_set_result(rcpt, dsn[0] == '5' ? DELIVER_BOUNCE : DELIVER_DEFER,
                               dsn, session->relay, text->data);
    buf_free(&text);
}
