/* NAME
 *	smtpd_cmd 3
 * SUMMARY
 *	SMTP commands: a table of verbs and their handlers
 * DESCRIPTION
 *	Each handler checks its arguments and the session state, answers,
 *	and changes the state. Reply texts and codes are Postfix's, with
 *	RFC 3463 enhanced status codes (RFC 2034).
 *
 *	The queue file is created when the first recipient is accepted
 *	(until then rejects are logged as NOQUEUE, as Postfix does), the
 *	envelope is written as it arrives, and the content is streamed into
 *	the file while DATA is read, so no message is ever held whole in
 *	memory.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "config.h"
#include "mail_connect.h"
#include "mail_date.h"
#include "master_proto.h"
#include "mem.h"
#include "msg.h"
#include "smtp_path.h"
#include "domain_list.h"
#include "mail_flush.h"
#include "maps.h"
#include "resolve_local.h"
#include "rewrite_addr.h"
#include "rewrite_header.h"
#include "smtpd.h"

typedef struct SMTPD_CMD {
    const char *verb;
    void    (*handler) (SMTPD_SESSION *s, char *args);
    int     flags;
} SMTPD_CMD;

#define SMTPD_CMD_ARGS_OK   (1<<0)      /* takes arguments */
#define SMTPD_CMD_COUNTED   (1<<1)      /* shows in the disconnect counts */

/* smtpd_count - count a command for the disconnect log line. */

static void smtpd_count(SMTPD_SESSION *s, const char *verb, int ok)
{
    mail_log_counts_add(&s->counts, verb, ok);
}

static void smtpd_error(SMTPD_SESSION *s)
{
    s->errors++;
}

static void smtpd_cmd_helo_common(SMTPD_SESSION *s, char *args, int esmtp)
{
    const char *verb = esmtp ? "ehlo" : "helo";

    if (*args == 0) {
        smtpd_reply(s, "501 Syntax: %s hostname", esmtp ? "EHLO" : "HELO");
        smtpd_count(s, verb, 0);
        smtpd_error(s);
        return;
    }
    {
        /* smtpd_delay_reject = no: the HELO restrictions decide now. */
        BUF    *reply = buf_new(128);
        char   *old = s->helo;
        int     rejected;

        s->helo = args;
        rejected = smtpd_check_helo(s, reply) != 0;
        s->helo = old;
        if (rejected) {
            mail_log_reject(0, "HELO", s->name, s->addr, reply->data, 0, 0,
                            esmtp ? "ESMTP" : "SMTP", args);
            smtpd_reply(s, "%s", reply->data);
            buf_free(&reply);
            smtpd_count(s, verb, 0);
            smtpd_error(s);
            return;
        }
        buf_free(&reply);
    }
    mem_free(s->helo);
    s->helo = mem_strdup(args);
    s->protocol = esmtp ? "ESMTP" : "SMTP";
    smtpd_transaction_reset(s);
    smtpd_count(s, verb, 1);
    if (!esmtp) {
        smtpd_reply(s, "250 %s", smtpd_hostname);
        return;
    }
    smtpd_reply(s, "250-%s", smtpd_hostname);
    smtpd_reply(s, "250-PIPELINING");
    if (smtpd_message_size_limit > 0)
        smtpd_reply(s, "250-SIZE %ld", smtpd_message_size_limit);
    else
        smtpd_reply(s, "250-SIZE");
    if (!smtpd_vrfy_disabled)
        smtpd_reply(s, "250-VRFY");
    smtpd_reply(s, "250-ETRN");
    smtpd_reply(s, "250-ENHANCEDSTATUSCODES");
    smtpd_reply(s, "250 8BITMIME");
}

static void smtpd_cmd_helo(SMTPD_SESSION *s, char *args)
{
    smtpd_cmd_helo_common(s, args, 0);
}

static void smtpd_cmd_ehlo(SMTPD_SESSION *s, char *args)
{
    smtpd_cmd_helo_common(s, args, 1);
}

/* smtpd_path_args - the text after "FROM:" or "TO:", or NULL. */

static char *smtpd_path_args(char *args, const char *keyword)
{
    size_t  len = strlen(keyword);

    if (strncasecmp(args, keyword, len) != 0)
        return (0);
    return (args + len);
}

static void smtpd_cmd_mail(SMTPD_SESSION *s, char *args)
{
    BUF    *addr = buf_new(64);
    STRV   *params = strv_new();
    const char *why;
    char   *text;
    int     ok = 0, status;

    if (smtpd_helo_required && s->helo == 0) {
        smtpd_reply(s, "503 5.5.1 Error: send HELO/EHLO first");
    } else if (s->sender) {
        smtpd_reply(s, "503 5.5.1 Error: nested MAIL command");
    } else if ((text = smtpd_path_args(args, "FROM:")) == 0) {
        smtpd_reply(s, "501 5.5.4 Syntax: MAIL FROM:<address>");
    } else if ((status = smtp_path_parse(text, SMTP_PATH_NULL_OK, addr, params, &why)) < 0) {
        smtpd_reply(s, "501 %s %s", status == SMTP_PATH_ERR_ADDRESS ? "5.1.7" : "5.5.4", why);
    } else {
        long    size = 0;
        size_t  i;

        ok = 1;
        for (i = 0; ok && i < params->argc; i++) {
            const char *p = params->argv[i];

            if (strncasecmp(p, "SIZE=", 5) == 0) {
                char   *end;

                /* RFC 1870 6: size-value ::= 1*20DIGIT */
                errno = 0;
                size = strtol(p + 5, &end, 10);
                if (!isdigit((unsigned char) p[5]) || *end || errno || size < 0) {
                    smtpd_reply(s, "501 5.5.4 Bad message size syntax");
                    ok = 0;
                } else if (smtpd_message_size_limit > 0 && size > smtpd_message_size_limit) {
                    smtpd_reply(s, "552 5.3.4 Message size exceeds fixed limit");
                    ok = 0;
                }
            } else if (strncasecmp(p, "BODY=", 5) == 0) {
                /* RFC 6152: 7BIT or 8BITMIME. */
                if (strcasecmp(p + 5, "7BIT") != 0 && strcasecmp(p + 5, "8BITMIME") != 0) {
                    smtpd_reply(s, "501 5.5.4 Unsupported BODY parameter");
                    ok = 0;
                }
            } else {
                smtpd_reply(s, "555 5.5.4 Unsupported option: %s", p);
                ok = 0;
            }
        }
        if (ok) {
            BUF    *reply = buf_new(128);

            /* smtpd_delay_reject = no: the sender restrictions decide now. */
            s->sender = addr->data;
            if (smtpd_check_mail(s, reply) != 0) {
                mail_log_reject(0, "MAIL", s->name, s->addr, reply->data, s->sender, 0,
                                s->protocol ? s->protocol : "SMTP", s->helo);
                smtpd_reply(s, "%s", reply->data);
                ok = 0;
            }
            s->sender = 0;
            buf_free(&reply);
        }
        if (ok) {
            s->sender = mem_strdup(addr->data);
            s->declared_size = size;
            s->rcpts = strv_new();
            gettimeofday(&s->arrival, 0);
            smtpd_reply(s, "250 2.1.0 Ok");
        }
    }
    if (!ok)
        smtpd_error(s);
    smtpd_count(s, "mail", ok);
    buf_free(&addr);
    strv_free(&params);
}

/* smtpd_rewrite_flags - clients on this host's addresses are local. */

static int smtpd_rewrite_flags(const SMTPD_SESSION *s)
{
    return (resolve_local_address(s->addr) ? REWRITE_ADDR_LOCAL : 0);
}

/*
 * smtpd_open_queue_file - at the first accepted recipient: 0, -1 (a
 * write error) or -2 (sender rewriting hit a table error).
 */
static int smtpd_open_queue_file(SMTPD_SESSION *s)
{
    BUF    *sender;
    int     status;

    if ((s->qf = queue_file_create("incoming")) == 0) {
        msg_warn("create queue file in incoming: %m");
        return (-1);
    }
    snprintf(s->queue_id, sizeof(s->queue_id), "%s", queue_file_id(s->qf));
    mail_log_client(s->queue_id, s->name, s->addr);
    sender = buf_new(64);
    if (rewrite_addr_sender(s->sender, smtpd_rewrite_flags(s), sender) < 0) {
        msg_warn("%s: sender address rewriting failed: table lookup error", s->queue_id);
        queue_file_abort(&s->qf);
        buf_free(&sender);
        return (-2);
    }
    status = queue_file_add_sender(s->qf, sender->data);
    buf_free(&sender);
    if (queue_file_add_time(s->qf, &s->arrival) < 0
        || status < 0
        || queue_file_add_warn(s->qf, 0) < 0    /* qmgr: delay notice sent */
        || queue_file_add_attr(s->qf, "client_name", s->name) < 0
        || queue_file_add_attr(s->qf, "client_address", s->addr) < 0
        || queue_file_add_attr(s->qf, "client_port", s->port) < 0
        || (s->helo && queue_file_add_attr(s->qf, "helo_name", s->helo) < 0)
        || queue_file_add_attr(s->qf, "protocol", s->protocol ? s->protocol : "SMTP") < 0) {
        msg_warn("%s: write queue file: %m", s->queue_id);
        queue_file_abort(&s->qf);
        return (-1);
    }
    return (0);
}

static void smtpd_cmd_rcpt(SMTPD_SESSION *s, char *args)
{
    BUF    *addr = buf_new(64);
    BUF    *reply = buf_new(128);
    STRV   *params = strv_new();
    const char *why;
    char   *text;
    int     ok = 0, status;

    if (s->sender == 0) {
        smtpd_reply(s, "503 5.5.1 Error: need MAIL command");
    } else if ((text = smtpd_path_args(args, "TO:")) == 0) {
        smtpd_reply(s, "501 5.5.4 Syntax: RCPT TO:<address>");
    } else if ((status = smtp_path_parse(text, 0, addr, params, &why)) < 0) {
        smtpd_reply(s, "501 %s %s", status == SMTP_PATH_ERR_ADDRESS ? "5.1.3" : "5.5.4", why);
    } else if (params->argc > 0) {
        smtpd_reply(s, "555 5.5.4 Unsupported option: %s", params->argv[0]);
    } else if (smtpd_recipient_limit > 0 && (long) s->rcpts->argc >= smtpd_recipient_limit) {
        smtpd_reply(s, "452 4.5.3 Error: too many recipients");
    } else if (smtpd_check_rcpt(s, addr->data, reply) != 0) {
        mail_log_reject(s->queue_id[0] ? s->queue_id : "NOQUEUE", "RCPT", s->name,
                        s->addr, reply->data, s->sender, addr->data,
                        s->protocol ? s->protocol : "SMTP", s->helo);
        smtpd_reply(s, "%s", reply->data);
    } else if (s->qf == 0 && (status = smtpd_open_queue_file(s)) < 0) {
        if (status == -2)
            smtpd_reply(s, "451 4.3.0 <%s>: Temporary lookup failure", addr->data);
        else
            smtpd_reply(s, "451 4.3.0 Error: queue file write error");
    } else {
        /* Recipients go into the queue file's trailer at the end of DATA. */
        strv_add(s->rcpts, addr->data);
        smtpd_reply(s, "250 2.1.5 Ok");
        ok = 1;
    }
    if (!ok)
        smtpd_error(s);
    smtpd_count(s, "rcpt", ok);
    buf_free(&addr);
    buf_free(&reply);
    strv_free(&params);
}

/* smtpd_received - our Received: header, Postfix's shape. */

static void smtpd_received(SMTPD_SESSION *s, BUF *out)
{
    buf_printf(out, "Received: from %s (%s [%s])\n", s->helo ? s->helo : s->name,
               s->name, s->addr);
    buf_printf(out, "\tby %s (%s) with %s id %s", smtpd_hostname,
               config_str(P_MAIL_NAME), s->protocol ? s->protocol : "SMTP",
               s->queue_id);
    if (s->rcpts->argc == 1)
        buf_printf(out, "\n\tfor <%s>", s->rcpts->argv[0]);
    buf_puts(out, "; ");
    mail_date(s->arrival.tv_sec, out);
    buf_putc(out, '\n');
}

/* smtpd_content_write - REWRITE_HEADER_FN into the queue file. */

static int smtpd_content_write(void *context, const char *data, size_t len)
{
    SMTPD_SESSION *s = context;

    return (queue_file_write_content(s->qf, data, len));
}

/* smtpd_content - one line (or piece) of message content from the reader. */

static int smtpd_content(const char *data, size_t len, int partial, void *context)
{
    SMTPD_SESSION *s = context;

    if (s->headers) {
        if (rewrite_header_line(s->headers, data, len, partial) < 0) {
            s->data_error = errno ? errno : EIO;
            return (-1);
        }
        return (0);
    }
    if (queue_file_write_content(s->qf, data, len) < 0
        || (!partial && queue_file_write_content(s->qf, "\n", 1) < 0)) {
        s->data_error = errno ? errno : EIO;
        return (-1);
    }
    return (0);
}

static void smtpd_cmd_data(SMTPD_SESSION *s, char *args)
{
    BUF    *received;
    BUF    *reply = buf_new(128);

    if (*args) {
        smtpd_reply(s, "501 5.5.4 Syntax: DATA");
    } else if (s->sender == 0) {
        smtpd_reply(s, "503 5.5.1 Error: need MAIL command");
    } else if (s->rcpts->argc == 0) {
        smtpd_reply(s, "503 5.5.1 Error: need RCPT command");
    } else if (smtpd_check_data(s, reply) != 0) {
        mail_log_reject(s->queue_id, "DATA", s->name, s->addr, reply->data, s->sender,
                        s->rcpts->argc == 1 ? s->rcpts->argv[0] : 0,
                        s->protocol ? s->protocol : "SMTP", s->helo);
        smtpd_reply(s, "%s", reply->data);
    } else {
        received = buf_new(256);
        /* Access-table PREPEND headers come first, as in Postfix. */
        for (size_t i = 0; s->prepend && i < s->prepend->argc; i++)
            buf_printf(received, "%s\n", s->prepend->argv[i]);
        smtpd_received(s, received);
        if (queue_file_begin_content(s->qf) < 0
            || queue_file_write_content(s->qf, received->data, received->len) < 0)
            s->data_error = errno ? errno : EIO;
        buf_free(&received);
        s->data = smtp_data_new((size_t) smtpd_line_limit, (size_t) smtpd_message_size_limit,
                                smtpd_bare_lf, smtpd_content, s);
        /* Header addresses are rewritten for local clients only, as Postfix. */
        if (smtpd_rewrite_flags(s) & REWRITE_ADDR_LOCAL)
            s->headers = rewrite_header_new(REWRITE_ADDR_LOCAL, smtpd_content_write, s);
        s->state = SMTPD_STATE_DATA;
        smtpd_reply(s, "354 End data with <CR><LF>.<CR><LF>");
        buf_free(&reply);
        return;
    }
    buf_free(&reply);
    smtpd_error(s);
    smtpd_count(s, "data", 0);
}

/* smtpd_add_rcpt - one recipient, rewritten (canonical, virtual aliases). */

static int smtpd_add_rcpt(SMTPD_SESSION *s, const char *rcpt)
{
    STRV   *list = strv_new();
    int     status = 0;

    if (rewrite_addr_recipient(rcpt, smtpd_rewrite_flags(s), list) < 0) {
        msg_warn("%s: recipient address rewriting failed: table lookup error", s->queue_id);
        errno = EAGAIN;
        status = -1;
    }
    for (size_t i = 0; status == 0 && i < list->argc; i++)
        status = queue_file_add_rcpt(s->qf, list->argv[i],
                                     strcmp(list->argv[i], rcpt) ? rcpt : 0);
    strv_free(&list);
    return (status);
}

/*
 * smtpd_finish_queue_file - the recipients (or the one an access table
 * REDIRECTed to) into the trailer, and the queue of a HOLD; 0 or -1.
 */
static int smtpd_finish_queue_file(SMTPD_SESSION *s)
{
    if (s->headers) {
        if (rewrite_header_end(s->headers) < 0)
            return (-1);
        if (rewrite_header_error(s->headers)) {
            errno = EAGAIN;                     /* a table failed: try again */
            return (-1);
        }
    }
    if (queue_file_end_content(s->qf) < 0)
        return (-1);
    if (s->redirect) {
        if (queue_file_add_rcpt(s->qf, s->redirect, 0) < 0)
            return (-1);
    } else {
        for (size_t i = 0; i < s->rcpts->argc; i++)
            if (smtpd_add_rcpt(s, s->rcpts->argv[i]) < 0)
                return (-1);
    }
    if (s->action_hold)
        queue_file_set_queue(s->qf, "hold");
    return (0);
}

/* smtpd_data_input - feed buffered input to the DATA reader. */

void    smtpd_data_input(SMTPD_SESSION *s)
{
    BUF    *reply;
    size_t  used = 0;
    int     status;

    status = smtp_data_feed(s->data, s->in->data + s->in_off, s->in->len - s->in_off, &used);
    s->in_off += used;
    if (status == SMTP_DATA_MORE)
        return;
    s->where = "END-OF-MESSAGE";
    if (status == SMTP_DATA_DONE && s->data_error == 0
        && smtpd_finish_queue_file(s) < 0)
        s->data_error = errno ? errno : EIO;
    if (status == SMTP_DATA_DONE && s->data_error == 0 && s->action_discard) {
        /* DISCARD: the client hears success; nothing is kept. */
        queue_file_abort(&s->qf);
        smtpd_reply(s, "250 2.0.0 Ok: queued as %s", s->queue_id);
        smtpd_count(s, "data", 1);
        smtpd_transaction_reset(s);
        s->state = SMTPD_STATE_COMMAND;
        return;
    }
    if (status == SMTP_DATA_DONE && s->data_error == 0) {
        s->state = SMTPD_STATE_COMMIT;
        smtpd_commit_start(s);
        return;
    }
    reply = buf_new(64);
    if (status == SMTP_DATA_TOO_BIG)
        buf_puts(reply, "552 5.3.4 Message size exceeds fixed limit");
    else if (status == SMTP_DATA_BARE_LF)
        buf_printf(reply, "%ld 5.5.2 Error: bare <LF> received",
                   config_int(P_SMTPD_FORBID_BARE_NEWLINE_REJECT_CODE));
    else
        buf_puts(reply, s->data_error == ENOSPC ? "452 4.3.1 Insufficient system storage" :
                 "451 4.3.0 Error: queue file write error");
    if (status != SMTP_DATA_DONE)
        mail_log_reject(s->queue_id, "END-OF-MESSAGE", s->name, s->addr, reply->data,
                        s->sender, 0, s->protocol ? s->protocol : "SMTP", s->helo);
    smtpd_reply(s, "%s", reply->data);
    buf_free(&reply);
    smtpd_count(s, "data", 0);
    smtpd_transaction_reset(s);
    s->state = SMTPD_STATE_COMMAND;
}

/* smtpd_commit_done - called on the loop thread when the commit is over. */

void    smtpd_commit_done(SMTPD_SESSION *s, int err, const char *queue_id)
{
    s->qf = 0;                          /* committed or removed either way */
    if (err == 0) {
        /* The ID changes only in the rare case of a name clash. */
        snprintf(s->queue_id, sizeof(s->queue_id), "%s", queue_id);
        smtpd_reply(s, "250 2.0.0 Ok: queued as %s", s->queue_id);
        smtpd_count(s, "data", 1);
    } else {
        msg_warn("%s: commit queue file: %s", s->queue_id, strerror(err));
        smtpd_reply(s, err == ENOSPC ? "452 4.3.1 Insufficient system storage" :
                    "451 4.3.0 Error: queue file write error");
        smtpd_count(s, "data", 0);
    }
    smtpd_transaction_reset(s);
    s->state = s->peer_closed && s->in_off >= s->in->len ?
        SMTPD_STATE_CLOSING : SMTPD_STATE_COMMAND;
    smtpd_session_resume(s);
}

static void smtpd_cmd_rset(SMTPD_SESSION *s, char *args)
{
    (void) args;
    smtpd_transaction_reset(s);
    smtpd_reply(s, "250 2.0.0 Ok");
    smtpd_count(s, "rset", 1);
}

static void smtpd_cmd_noop(SMTPD_SESSION *s, char *args)
{
    (void) args;
    smtpd_reply(s, "250 2.0.0 Ok");
    smtpd_count(s, "noop", 1);
}

static void smtpd_cmd_quit(SMTPD_SESSION *s, char *args)
{
    (void) args;
    smtpd_reply(s, "221 2.0.0 Bye");
    smtpd_count(s, "quit", 1);
    s->state = SMTPD_STATE_CLOSING;
}

static void smtpd_cmd_vrfy(SMTPD_SESSION *s, char *args)
{
    if (smtpd_vrfy_disabled) {
        smtpd_reply(s, "502 5.5.1 VRFY command is disabled");
        smtpd_count(s, "vrfy", 0);
        smtpd_error(s);
    } else if (*args == 0) {
        smtpd_reply(s, "501 5.5.4 Syntax: VRFY address");
        smtpd_count(s, "vrfy", 0);
        smtpd_error(s);
    } else {
        /* RFC 5321 3.5.3: 252 when we cannot verify but will accept. */
        smtpd_reply(s, "252 2.0.0 %s", args);
        smtpd_count(s, "vrfy", 1);
    }
}

/*
 * ETRN (RFC 1985) for a domain of fast_flush_domains: its deferred mail
 * is retried now. Like Postfix, other domains get 459.
 */
static void smtpd_cmd_etrn(SMTPD_SESSION *s, char *args)
{
    static DOMAIN_LIST *flush_domains;
    const char *site = args + (*args == '@');
    int     allowed;

    if (flush_domains == 0)
        flush_domains = domain_list_new(config_str(P_FAST_FLUSH_DOMAINS), DOMAIN_LIST_PARENT);
    if (*args == 0) {
        smtpd_reply(s, "500 Syntax: ETRN domain");
    } else if (s->sender) {
        smtpd_reply(s, "503 Error: MAIL transaction in progress");
    } else if (*site == 0 || *site == '#' || strlen(site) > 255) {
        smtpd_reply(s, "501 Error: invalid parameter syntax");
    } else if ((allowed = domain_list_match(flush_domains, site, maps_table_match, 0)) <= 0) {
        smtpd_reply(s, allowed < 0 ? "458 Unable to queue messages" :
                    "459 <%s>: service unavailable", site);
    } else if (mail_flush_site(site) < 0) {
        smtpd_reply(s, "458 Unable to queue messages");
    } else {
        smtpd_reply(s, "250 Queuing started");
        smtpd_count(s, "etrn", 1);
        return;
    }
    smtpd_count(s, "etrn", 0);
    smtpd_error(s);
}

/* Requests from web browsers and proxies: not SMTP, hang up at once. */

static void smtpd_cmd_forbidden(SMTPD_SESSION *s, char *args)
{
    (void) args;
    msg_warn("non-SMTP command from %s[%s]: %.100s", s->name, s->addr, s->where);
    smtpd_reply(s, "221 2.7.0 Error: I can break rules, too. Goodbye.");
    s->state = SMTPD_STATE_CLOSING;
}

static const SMTPD_CMD smtpd_commands[] = {
    {"HELO", smtpd_cmd_helo, SMTPD_CMD_ARGS_OK},
    {"EHLO", smtpd_cmd_ehlo, SMTPD_CMD_ARGS_OK},
    {"MAIL", smtpd_cmd_mail, SMTPD_CMD_ARGS_OK},
    {"RCPT", smtpd_cmd_rcpt, SMTPD_CMD_ARGS_OK},
    {"DATA", smtpd_cmd_data, SMTPD_CMD_ARGS_OK},
    {"RSET", smtpd_cmd_rset, 0},
    {"NOOP", smtpd_cmd_noop, SMTPD_CMD_ARGS_OK},
    {"QUIT", smtpd_cmd_quit, 0},
    {"VRFY", smtpd_cmd_vrfy, SMTPD_CMD_ARGS_OK},
    {"ETRN", smtpd_cmd_etrn, SMTPD_CMD_ARGS_OK},
    {"CONNECT", smtpd_cmd_forbidden, SMTPD_CMD_ARGS_OK},
    {"GET", smtpd_cmd_forbidden, SMTPD_CMD_ARGS_OK},
    {"POST", smtpd_cmd_forbidden, SMTPD_CMD_ARGS_OK},
    {0},
};

/* smtpd_command - one command line (CRLF removed). */

void    smtpd_command(SMTPD_SESSION *s, char *line, size_t len)
{
    const SMTPD_CMD *cmd;
    char   *args;
    size_t  verb_len;

    if (memchr(line, 0, len)) {
        smtpd_reply(s, "500 5.5.2 Error: bad syntax");
        smtpd_count(s, "unknown", 0);
        smtpd_error(s);
    } else {
        verb_len = strcspn(line, " \t");
        args = line + verb_len;
        if (*args)
            *args++ = 0;
        while (*args == ' ' || *args == '\t')
            args++;
        for (size_t n = strlen(args); n > 0 && (args[n - 1] == ' ' || args[n - 1] == '\t'); n--)
            args[n - 1] = 0;
        for (cmd = smtpd_commands; cmd->verb; cmd++)
            if (strcasecmp(cmd->verb, line) == 0)
                break;
        if (cmd->verb == 0) {
            s->where = "UNKNOWN";
            smtpd_reply(s, "502 5.5.2 Error: command not recognized");
            smtpd_count(s, "unknown", 0);
            smtpd_error(s);
        } else if (*args && !(cmd->flags & SMTPD_CMD_ARGS_OK)) {
            s->where = cmd->verb;
            smtpd_reply(s, "501 5.5.4 Syntax: %s", cmd->verb);
            smtpd_count(s, cmd->verb, 0);
            smtpd_error(s);
        } else if (s->access_denied && strcasecmp(cmd->verb, "QUIT") != 0) {
            /* Rejected at connect (smtpd_delay_reject = no): only QUIT. */
            s->where = cmd->verb;
            smtpd_reply(s, "503 5.7.0 Error: access denied for %s[%s]", s->name, s->addr);
            smtpd_count(s, cmd->verb, 0);
            smtpd_error(s);
        } else {
            s->where = cmd->verb;
            cmd->handler(s, args);
        }
    }
    /* Error limits: first slow the client down, then hang up. */
    if (s->state == SMTPD_STATE_COMMAND && s->errors >= smtpd_hard_error_limit) {
        smtpd_reply(s, "421 4.7.0 %s Error: too many errors", smtpd_hostname);
        msg_info("too many errors after %s from %s[%s]", s->where, s->name, s->addr);
        s->state = SMTPD_STATE_CLOSING;
    } else if (s->state == SMTPD_STATE_COMMAND && s->errors >= smtpd_soft_error_limit
               && smtpd_error_sleep > 0 && s->errors > 0) {
        smtpd_session_sleep(s, smtpd_error_sleep);
    }
}
