/* NAME
 *	mail_log 3
 * SUMMARY
 *	log line shapes: one function per shape
 * DESCRIPTION
 *	Each function builds its line in a BUF, replaces control
 *	characters, and hands the line to msg_info() as one "%s" argument,
 *	so nothing from a client is ever read as a format.
 *
 *	The delay format follows Postfix's format_tv() as log_adhoc()
 *	calls it (two significant digits, resolution at most 10 ms):
 *	the resolution is 10 ms below 1 second, 100 ms from 1 to 10
 *	seconds, and 1 second from 10 seconds up; half a resolution step
 *	is added before the value is cut to that resolution, and trailing
 *	zero decimals are dropped.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "mail_log.h"
#include "msg.h"

#define MAIL_LOG_STR(s)     ((s) ? (s) : "")
#define MAIL_LOG_PEER(s)    ((s) ? (s) : "unknown")

 /* Postfix 3.7's smtpd command table order; "unknown" comes last. */
static const char *mail_log_cmd_names[] = {
    "helo", "ehlo", "xclient", "xforward", "starttls", "auth", "mail",
    "rcpt", "data", "bdat", "rset", "noop", "vrfy", "etrn", "quit",
    "unknown",
};

_Static_assert(sizeof(mail_log_cmd_names) / sizeof(mail_log_cmd_names[0])
               == MAIL_LOG_CMDS, "MAIL_LOG_CMDS must match the name table");

/* mail_log_emit - sanitise and log one line, then free the buffer */

static void mail_log_emit(BUF **bp)
{
    BUF    *b = *bp;

    for (size_t i = 0; i < b->len; i++) {
        unsigned char ch = (unsigned char) b->data[i];

        if (ch < 0x20 || ch == 0x7f)
            b->data[i] = '?';
    }
    msg_info("%s", b->data);
    buf_free(bp);
}

void    mail_log_connect(const char *host, const char *addr)
{
    BUF    *b = buf_new(128);

    buf_printf(b, "connect from %s[%s]", MAIL_LOG_PEER(host),
               MAIL_LOG_PEER(addr));
    mail_log_emit(&b);
}

void    mail_log_disconnect(const char *host, const char *addr,
                            const char *counts)
{
    BUF    *b = buf_new(256);

    buf_printf(b, "disconnect from %s[%s]", MAIL_LOG_PEER(host),
               MAIL_LOG_PEER(addr));
    if (counts && *counts)
        buf_printf(b, " %s", counts);
    mail_log_emit(&b);
}

void    mail_log_client(const char *queue_id, const char *host,
                        const char *addr)
{
    BUF    *b = buf_new(128);

    buf_printf(b, "%s: client=%s[%s]", MAIL_LOG_STR(queue_id),
               MAIL_LOG_PEER(host), MAIL_LOG_PEER(addr));
    mail_log_emit(&b);
}

void    mail_log_reject(const char *queue_id, const char *stage,
                        const char *host, const char *addr,
                        const char *reply, const char *from,
                        const char *to, const char *proto,
                        const char *helo)
{
    mail_log_restriction(queue_id, "reject", stage, host, addr, reply, from,
                         to, proto, helo);
}

void    mail_log_restriction(const char *queue_id, const char *action,
                             const char *stage, const char *host,
                             const char *addr, const char *reply,
                             const char *from, const char *to,
                             const char *proto, const char *helo)
{
    BUF    *b = buf_new(256);

    buf_printf(b, "%s: %s: %s from %s[%s]: %s;",
               queue_id && *queue_id ? queue_id : "NOQUEUE",
               MAIL_LOG_STR(action), MAIL_LOG_STR(stage), MAIL_LOG_PEER(host), MAIL_LOG_PEER(addr),
               MAIL_LOG_STR(reply));
    if (from)
        buf_printf(b, " from=<%s>", from);
    if (to)
        buf_printf(b, " to=<%s>", to);
    if (proto)
        buf_printf(b, " proto=%s", proto);
    if (helo)
        buf_printf(b, " helo=<%s>", helo);
    mail_log_emit(&b);
}

void    mail_log_lost(const char *what, const char *stage, long bytes,
                      const char *host, const char *addr)
{
    BUF    *b = buf_new(128);

    stage = MAIL_LOG_STR(stage);
    buf_printf(b, "%s after %s", MAIL_LOG_STR(what), stage);
    if (bytes >= 0 && (strcmp(stage, "DATA") == 0 || strcmp(stage, "BDAT") == 0))
        buf_printf(b, " (%ld bytes)", bytes);
    buf_printf(b, " from %s[%s]", MAIL_LOG_PEER(host), MAIL_LOG_PEER(addr));
    mail_log_emit(&b);
}

void    mail_log_from(const char *queue_id, const char *sender,
                      long size, int nrcpt)
{
    BUF    *b = buf_new(128);

    buf_printf(b, "%s: from=<%s>, size=%ld, nrcpt=%d (queue active)",
               MAIL_LOG_STR(queue_id), MAIL_LOG_STR(sender), size, nrcpt);
    mail_log_emit(&b);
}

void    mail_log_format_delay(double seconds, BUF *out)
{
    long long usec_total;
    long    sec;
    long    usec;
    long    res;                        /* resolution, microseconds */
    long    units;
    int     decimals;
    char    digits[8];
    int     n;

    if (!(seconds > 0))                 /* negative, zero, NaN */
        seconds = 0;
    if (seconds > 1e12)
        seconds = 1e12;
    usec_total = (long long) (seconds * 1e6 + 0.5);
    sec = (long) (usec_total / 1000000);
    usec = (long) (usec_total % 1000000);

    res = sec >= 10 ? 1000000 : sec >= 1 ? 100000 : 10000;
    usec += res / 2;
    if (usec >= 1000000) {
        sec += 1;
        usec -= 1000000;
    }
    buf_printf(out, "%ld", sec);
    if ((units = usec / res) == 0)
        return;
    decimals = res == 100000 ? 1 : 2;
    n = snprintf(digits, sizeof(digits), "%0*ld", decimals, units);
    while (n > 0 && digits[n - 1] == '0')
        digits[--n] = 0;
    buf_printf(out, ".%s", digits);
}

void    mail_log_delivery(const MAIL_LOG_DELIVERY *d)
{
    BUF    *b = buf_new(256);

    buf_printf(b, "%s: to=<%s>", MAIL_LOG_STR(d->queue_id),
               MAIL_LOG_STR(d->recipient));
    if (d->orig_recipient && *d->orig_recipient
        && strcasecmp(d->orig_recipient, MAIL_LOG_STR(d->recipient)) != 0)
        buf_printf(b, ", orig_to=<%s>", d->orig_recipient);
    buf_printf(b, ", relay=%s, delay=", d->relay ? d->relay : "none");
    mail_log_format_delay(d->delay, b);
    for (int i = 0; i < 4; i++) {
        buf_puts(b, i == 0 ? ", delays=" : "/");
        mail_log_format_delay(d->delays[i], b);
    }
    buf_printf(b, ", dsn=%s, status=%s (%s)", MAIL_LOG_STR(d->dsn),
               MAIL_LOG_STR(d->status), MAIL_LOG_STR(d->reason));
    mail_log_emit(&b);
}

void    mail_log_removed(const char *queue_id)
{
    BUF    *b = buf_new(64);

    buf_printf(b, "%s: removed", MAIL_LOG_STR(queue_id));
    mail_log_emit(&b);
}

void    mail_log_queue_action(const char *queue_id, const char *action)
{
    BUF    *b = buf_new(64);

    buf_printf(b, "%s: %s", MAIL_LOG_STR(queue_id), MAIL_LOG_STR(action));
    mail_log_emit(&b);
}

void    mail_log_message_id(const char *queue_id, const char *message_id)
{
    BUF    *b = buf_new(128);

    buf_printf(b, "%s: message-id=%s", MAIL_LOG_STR(queue_id),
               MAIL_LOG_STR(message_id));
    mail_log_emit(&b);
}

void    mail_log_counts_add(MAIL_LOG_COUNTS *counts, const char *verb, int ok)
{
    int     i;

    for (i = 0; i < MAIL_LOG_CMDS - 1; i++)
        if (verb && strcasecmp(verb, mail_log_cmd_names[i]) == 0)
            break;
    counts->total[i] += 1;
    if (ok)
        counts->ok[i] += 1;
}

void    mail_log_counts_format(const MAIL_LOG_COUNTS *counts, BUF *out)
{
    long    all_ok = 0;
    long    all_total = 0;

    for (int i = 0; i < MAIL_LOG_CMDS; i++) {
        if (counts->total[i] == 0)
            continue;
        buf_printf(out, "%s=%ld", mail_log_cmd_names[i], counts->ok[i]);
        if (counts->ok[i] != counts->total[i])
            buf_printf(out, "/%ld", counts->total[i]);
        buf_putc(out, ' ');
        all_ok += counts->ok[i];
        all_total += counts->total[i];
    }
    buf_printf(out, "commands=%ld", all_ok);
    if (all_ok != all_total || all_total == 0)
        buf_printf(out, "/%ld", all_total);
}

void    mail_log_notification(const char *queue_id, const char *who,
                              const char *what, const char *new_id)
{
    BUF    *b = buf_new(128);

    buf_printf(b, "%s: %s %s notification: %s", MAIL_LOG_STR(queue_id),
               MAIL_LOG_STR(who), MAIL_LOG_STR(what), MAIL_LOG_STR(new_id));
    mail_log_emit(&b);
}
