/* NAME
 *	bounce 3
 * SUMMARY
 *	delivery status notifications (RFC 3464) as new queue files
 * DESCRIPTION
 *	Who gets a notification and what it looks like are documented in
 *	bounce.h. The whole content is built in memory before the queue
 *	file is written: it is small (the original's headers are capped at
 *	bounce_size_limit), and the boundary and Message-Id need the new
 *	queue ID, which exists once queue_file_create() has made the file.
 *
 *	Every line is at most 998 bytes (RFC 5322 2.1.1): header fields and
 *	delivery-status fields are folded at white space near 78 columns,
 *	recipient paragraphs wrapped the same way, and text that comes from
 *	elsewhere (reasons, addresses) has its control characters turned
 *	into spaces, so that a reason can never start a header or a MIME
 *	boundary of its own.
 *
 *	Notifications are written with the null sender, so they can never
 *	cause a notification to their own sender. What stops a loop
 *	between notifications and the postmaster is the BOUNCE_ATTR_NOTICE
 *	attribute: a postmaster notification that fails is discarded. (Postfix
 *	uses the double-bounce sender address for that.)
 * CONFIGURATION PARAMETERS
 *	myhostname, myorigin, mail_name, bounce_size_limit,
 *	2bounce_notice_recipient, bounce_notice_recipient,
 *	delay_notice_recipient, notify_classes, maximal_queue_lifetime,
 *	bounce_queue_lifetime.
 * STANDARDS
 *	RFC 3464 (delivery status notifications), RFC 6522 (multipart/
 *	report), RFC 3834 (Auto-Submitted), RFC 5322 (message format),
 *	RFC 2045/2046 (MIME).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>

#include "bounce.h"
#include "buf.h"
#include "config.h"
#include "mail_date.h"
#include "mail_log.h"
#include "msg.h"
#include "strv.h"

#define BOUNCE_QUEUE        "incoming"  /* where new mail enters */
#define BOUNCE_FOLD_WIDTH   78          /* RFC 5322 2.1.1 SHOULD */
#define BOUNCE_LINE_MAX     998         /* RFC 5322 2.1.1 MUST */
#define BOUNCE_READ_CHUNK   4096
#define BOUNCE_DIAG_TYPE    "X-Postern" /* RFC 3464 2.3.6 diagnostic-type */

#define BOUNCE_TO_SENDER        0
#define BOUNCE_TO_POSTMASTER    1

 /*
  * One notification being made: the original, what to say about it,
  * and to whom.
  */
typedef struct BOUNCE_JOB {
    QUEUE_FILE *orig;
    int     kind;                       /* BOUNCE_FAILED, BOUNCE_DELAYED */
    const BOUNCE_RCPT *rcpts;
    size_t  count;
    const char *orig_id;                /* for logging; NOQUEUE without one */
    const char *sender;                 /* original envelope sender */
    struct timeval arrival;             /* of the original */
} BOUNCE_JOB;

/* bounce_clean - copy text with control characters made spaces */

static void bounce_clean(BUF *out, const char *text)
{
    for (const unsigned char *p = (const unsigned char *) text; *p; p++)
        buf_putc(out, (*p < 0x20 || *p == 0x7f) ? ' ' : *p);
}

/* bounce_clean_trim - bounce_clean() without leading and trailing blanks */

static void bounce_clean_trim(BUF *out, const char *text)
{
    size_t  start = out->len;
    size_t  skip = 0;

    bounce_clean(out, text);
    while (out->len > start && out->data[out->len - 1] == ' ')
        buf_truncate(out, out->len - 1);
    while (start + skip < out->len && out->data[start + skip] == ' ')
        skip++;
    if (skip) {
        memmove(out->data + start, out->data + start + skip,
                out->len - start - skip);
        buf_truncate(out, out->len - skip);
    }
}

/*
 * bounce_wrap - append text (no newlines) that starts at column col,
 * breaking lines at spaces before width. A break replaces one space
 * with cont, which starts with a newline; for a header field cont is
 * "\n " so that unfolding (RFC 5322 2.2.3) gives the text back. A word
 * too long for any line is cut, so no line passes BOUNCE_LINE_MAX.
 */
static void bounce_wrap(BUF *out, size_t col, const char *text, size_t width,
                        const char *cont)
{
    size_t  cont_col = strlen(cont) - 1;
    const char *p = text;
    const char *sp;
    size_t  len;
    size_t  room;

    for (;;) {
        sp = strchr(p, ' ');
        len = sp ? (size_t) (sp - p) : strlen(p);
        if (p != text) {
            if (col + 1 + len > width && col > cont_col) {
                buf_puts(out, cont);
                col = cont_col;
            } else {
                buf_putc(out, ' ');
                col++;
            }
        }
        while (col + len > BOUNCE_LINE_MAX) {
            room = BOUNCE_LINE_MAX - col;
            buf_append(out, p, room);
            buf_puts(out, cont);
            col = cont_col;
            p += room;
            len -= room;
        }
        buf_append(out, p, len);
        col += len;
        if (sp == 0)
            break;
        p = sp + 1;
    }
}

/* bounce_field - append "Name: value\n", folded, value cleaned */

static void bounce_field(BUF *out, const char *name, const char *value)
{
    BUF    *clean = buf_new(strlen(value) + 1);

    bounce_clean(clean, value);
    buf_printf(out, "%s: ", name);
    bounce_wrap(out, strlen(name) + 2, clean->data, BOUNCE_FOLD_WIDTH, "\n ");
    buf_putc(out, '\n');
    buf_free(&clean);
}

/* bounce_fieldf - bounce_field() with a formatted value */

static void bounce_fieldf(BUF *out, const char *name, const char *fmt,...)
            __attribute__((format(printf, 3, 4)));

static void bounce_fieldf(BUF *out, const char *name, const char *fmt,...)
{
    BUF    *value = buf_new(128);
    va_list ap;

    va_start(ap, fmt);
    buf_vprintf(value, fmt, ap);
    va_end(ap);
    bounce_field(out, name, value->data);
    buf_free(&value);
}

/* bounce_qualify - an address without a domain gets @$myorigin */

static void bounce_qualify(BUF *out, const char *addr)
{
    buf_set(out, addr);
    if (strchr(addr, '@') == 0)
        buf_printf(out, "@%s", config_str(P_MYORIGIN));
}

/*
 * bounce_quote_addr - an address as RFC 5322 3.4.1 writes it: the local
 * part as a dot-atom when it is one, else as a quoted string. Queue
 * files hold addresses unquoted (as Postfix's internal form).
 */
static void bounce_quote_addr(BUF *out, const char *addr)
{
    static const char atext[] = "!#$%&'*+-/=?^_`{|}~";
    const char *at = strrchr(addr, '@');
    size_t  local_len = at ? (size_t) (at - addr) : strlen(addr);
    int     atom = local_len > 0 && addr[0] != '.' && addr[local_len - 1] != '.';

    for (size_t i = 0; atom && i < local_len; i++) {
        unsigned char ch = (unsigned char) addr[i];

        if (ch == '.')
            atom = addr[i + 1] != '.';
        else
            atom = isalnum(ch) || ch >= 0x80 || strchr(atext, ch) != 0;
    }
    if (atom) {
        buf_append(out, addr, local_len);
    } else {
        buf_putc(out, '"');
        for (size_t i = 0; i < local_len; i++) {
            if (addr[i] == '"' || addr[i] == '\\')
                buf_putc(out, '\\');
            buf_putc(out, addr[i]);
        }
        buf_putc(out, '"');
    }
    if (at)
        buf_puts(out, at);
}

/* bounce_mail_name - $mail_name when it can be part of a field name */

static const char *bounce_mail_name(void)
{
    const char *name = config_str(P_MAIL_NAME);

    /* RFC 5322 3.6.8 field names; keep it to letters, digits, '-'. */
    if (*name == 0 || strspn(name, "abcdefghijklmnopqrstuvwxyz"
                             "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
        != strlen(name))
        return ("Postern");
    return (name);
}

/* bounce_duration - "N minutes", "N.N hours" or "N.N days", for people */

static void bounce_duration(BUF *out, long seconds)
{
    if (seconds < 0)
        seconds = 0;
    if (seconds < 3600)
        buf_printf(out, "%ld minute%s", seconds / 60, seconds / 60 == 1 ? "" : "s");
    else if (seconds < 2 * 86400)
        buf_printf(out, "%.1f hours", seconds / 3600.0);
    else
        buf_printf(out, "%.1f days", seconds / 86400.0);
}

/* bounce_lifetime - how long the original may stay queued */

static long bounce_lifetime(const BOUNCE_JOB *job)
{
    /* qmgr gives notifications (null sender) the shorter lifetime. */
    return (config_time(*job->sender ? P_MAXIMAL_QUEUE_LIFETIME :
                        P_BOUNCE_QUEUE_LIFETIME));
}

/* bounce_action - the RFC 3464 2.3.3 action of a recipient */

static const char *bounce_action(const BOUNCE_JOB *job, const BOUNCE_RCPT *r)
{
    static const char *const actions[] = {
        "failed", "delayed", "delivered", "relayed", "expanded", 0,
    };

    if (r->action == 0)
        return (job->kind == BOUNCE_FAILED ? "failed" : "delayed");
    for (const char *const *a = actions; *a; a++)
        if (strcmp(*a, r->action) == 0)
            return (*a);
    msg_panic("bounce_notify: bad action \"%s\" for %s", r->action, r->address);
}

/*
 * bounce_status - the RFC 3464 2.3.4 status (RFC 3463 class.subject.
 * detail) of a recipient; a missing or malformed one becomes the
 * generic code of its action, since a report must carry one.
 */
static const char *bounce_status(const BOUNCE_RCPT *r, const char *action)
{
    const char *p = r->dsn;
    size_t  n;

    if (p && (p[0] == '2' || p[0] == '4' || p[0] == '5') && p[1] == '.') {
        p += 2;
        n = strspn(p, "0123456789");
        if (n >= 1 && n <= 3 && p[n] == '.') {
            p += n + 1;
            n = strspn(p, "0123456789");
            if (n >= 1 && n <= 3 && p[n] == 0)
                return (r->dsn);
        }
    }
    return (strcmp(action, "failed") == 0 ? "5.0.0" :
            strcmp(action, "delayed") == 0 ? "4.0.0" : "2.0.0");
}

/*
 * bounce_remote_mta - the host name of a relay "host[addr]:port", or
 * the address when the name is empty; 0 when the relay is not a remote
 * host (local, virtual, pipe, none).
 */
static int bounce_remote_mta(const char *relay, BUF *out)
{
    const char *open = relay ? strchr(relay, '[') : 0;
    const char *close;

    if (open == 0)
        return (0);
    buf_reset(out);
    if (open > relay) {
        buf_append(out, relay, (size_t) (open - relay));
    } else if ((close = strchr(open, ']')) != 0 && close > open + 1) {
        buf_append(out, open + 1, (size_t) (close - open - 1));
    } else {
        return (0);
    }
    return (1);
}

/*
 * bounce_diagnostic - RFC 3464 2.3.6 Diagnostic-Code: the reply itself
 * when the reason quotes a remote SMTP server (Postfix's smtp client
 * writes "host H[A] said: 550 text (in reply to RCPT TO command)"),
 * else our own text.
 */
static void bounce_diagnostic(BUF *out, const char *reason)
{
    const char *said = strstr(reason, " said: ");
    const char *reply;
    const char *tail = 0;
    size_t  len;

    if (strncmp(reason, "host ", 5) == 0 && said != 0) {
        reply = said + 7;
        if (isdigit((unsigned char) reply[0]) && isdigit((unsigned char) reply[1])
            && isdigit((unsigned char) reply[2])
            && (reply[3] == ' ' || reply[3] == '-' || reply[3] == 0)) {
            for (const char *p = reply; (p = strstr(p, " (in reply to ")) != 0; p++)
                tail = p;
            len = strlen(reply);
            if (tail == 0 || reply[len - 1] != ')')
                tail = reply + len;
            buf_puts(out, "smtp; ");
            buf_append(out, reply, (size_t) (tail - reply));
            return;
        }
    }
    buf_printf(out, BOUNCE_DIAG_TYPE "; %s", reason);
}

/* bounce_text - part 1: what happened, for people */

static void bounce_text(const BOUNCE_JOB *job, int to, BUF *out)
{
    BUF    *age = buf_new(32);
    BUF    *life = buf_new(32);
    BUF    *line = buf_new(256);
    struct timeval now;

    gettimeofday(&now, 0);
    bounce_duration(age, (long) (now.tv_sec - job->arrival.tv_sec));
    bounce_duration(life, bounce_lifetime(job));
    buf_printf(out, "This is the mail system at host %s.\n\n",
               config_str(P_MYHOSTNAME));
    if (to == BOUNCE_TO_SENDER && job->kind == BOUNCE_FAILED) {
        buf_puts(out,
                 "Your message could not be delivered to one or more of its\n"
                 "recipients, and the mail system has given up on them. The\n"
                 "reasons are listed below; the headers of your message are\n"
                 "attached.\n"
                 "\n"
                 "If you need help, write to the postmaster of this system and\n"
                 "include this report. You may remove your own text from the\n"
                 "attached headers.\n");
    } else if (to == BOUNCE_TO_SENDER) {
        buf_printf(out,
                   "This is only a warning: you do not need to send your\n"
                   "message again.\n"
                   "\n"
                   "Your message has not yet reached the recipients listed below;\n"
                   "it has been waiting for %s. The mail system will keep\n"
                   "trying until the message is %s old, and will tell you\n"
                   "if it gives up.\n", age->data, life->data);
    } else {
        buf_puts(line, "A message from <");
        bounce_clean(line, job->sender);
        buf_printf(line, "> %s. Its headers are attached.",
                   job->kind == BOUNCE_FAILED ?
                   "could not be delivered to the recipients listed below" :
                   "has not yet reached the recipients listed below");
        bounce_wrap(out, 0, line->data, BOUNCE_FOLD_WIDTH - 2, "\n");
        buf_putc(out, '\n');
    }
    buf_puts(out, "\n                   The mail system\n");
    for (size_t i = 0; i < job->count; i++) {
        const BOUNCE_RCPT *r = job->rcpts + i;

        buf_reset(line);
        buf_putc(line, '<');
        bounce_clean(line, r->address);
        buf_putc(line, '>');
        if (r->orig && *r->orig && strcasecmp(r->orig, r->address) != 0) {
            buf_puts(line, " (expanded from <");
            bounce_clean(line, r->orig);
            buf_puts(line, ">)");
        }
        buf_puts(line, ": ");
        if (r->reason && *r->reason)
            bounce_clean_trim(line, r->reason);
        else
            buf_puts(line, job->kind == BOUNCE_FAILED ? "delivery failed" :
                     "delivery delayed");
        buf_putc(out, '\n');
        bounce_wrap(out, 0, line->data, BOUNCE_FOLD_WIDTH - 2, "\n    ");
        buf_putc(out, '\n');
    }
    buf_free(&age);
    buf_free(&life);
    buf_free(&line);
}

/* bounce_report - part 2: the message/delivery-status fields */

static void bounce_report(const BOUNCE_JOB *job, BUF *out)
{
    const char *mail_name = bounce_mail_name();
    BUF    *name = buf_new(64);
    BUF    *value = buf_new(256);

    /* RFC 3464 2.2: per-message fields. */
    bounce_fieldf(out, "Reporting-MTA", "dns; %s", config_str(P_MYHOSTNAME));
    if (*queue_file_id(job->orig)) {
        buf_printf(name, "X-%s-Queue-ID", mail_name);
        bounce_field(out, name->data, job->orig_id);
    }
    buf_reset(name);
    buf_printf(name, "X-%s-Sender", mail_name);
    bounce_fieldf(out, name->data, "rfc822; %s", job->sender);
    mail_date(job->arrival.tv_sec, value);
    bounce_field(out, "Arrival-Date", value->data);

    /* RFC 3464 2.3: per-recipient fields, a blank line before each. */
    for (size_t i = 0; i < job->count; i++) {
        const BOUNCE_RCPT *r = job->rcpts + i;
        const char *action = bounce_action(job, r);

        buf_putc(out, '\n');
        bounce_fieldf(out, "Final-Recipient", "rfc822; %s", r->address);
        if (r->orig && *r->orig && strcasecmp(r->orig, r->address) != 0)
            bounce_fieldf(out, "Original-Recipient", "rfc822; %s", r->orig);
        bounce_field(out, "Action", action);
        bounce_field(out, "Status", bounce_status(r, action));
        if (bounce_remote_mta(r->relay, value))
            bounce_fieldf(out, "Remote-MTA", "dns; %s", value->data);
        if (r->reason && *r->reason) {
            buf_reset(name);
            bounce_clean_trim(name, r->reason);
            buf_reset(value);
            bounce_diagnostic(value, name->data);
            bounce_field(out, "Diagnostic-Code", value->data);
        }
        if (strcmp(action, "delayed") == 0) {
            buf_reset(value);
            mail_date(job->arrival.tv_sec + bounce_lifetime(job), value);
            bounce_field(out, "Will-Retry-Until", value->data);
        }
    }
    buf_free(&name);
    buf_free(&value);
}

/*
 * bounce_headers - part 3: the original header section, up to the
 * first empty line, at most bounce_size_limit bytes and then cut after
 * the last whole line. A read error leaves the part empty: the
 * notification matters more than the copy (as Postfix: best effort).
 */
static void bounce_headers(const BOUNCE_JOB *job, BUF *out)
{
    long    limit = config_int(P_BOUNCE_SIZE_LIMIT);
    char    chunk[BOUNCE_READ_CHUNK];
    const char *end = 0;
    const char *nl;
    size_t  from;
    size_t  want;
    ssize_t n;

    if (limit < 0)
        limit = 0;
    queue_file_content_rewind(job->orig);
    while (out->len <= (size_t) limit) {
        want = (size_t) limit + 1 - out->len;
        if (want > sizeof(chunk))
            want = sizeof(chunk);
        if ((n = queue_file_content_read(job->orig, chunk, want)) < 0) {
            msg_warn("%s: read message content: %m", job->orig_id);
            buf_reset(out);
            return;
        }
        if (n == 0)
            break;
        /* Look for the end where the new bytes can complete "\n\n". */
        from = out->len ? out->len - 1 : 0;
        buf_append(out, chunk, (size_t) n);
        if (out->data[0] == '\n') {
            end = out->data;
            break;
        }
        if ((end = memmem(out->data + from, out->len - from, "\n\n", 2)) != 0) {
            end++;
            break;
        }
    }
    if (end != 0) {
        buf_truncate(out, (size_t) (end - out->data));
    } else if (out->len > (size_t) limit) {
        nl = memrchr(out->data, '\n', (size_t) limit);
        buf_truncate(out, nl ? (size_t) (nl + 1 - out->data) : 0);
    } else if (out->len > 0 && out->data[out->len - 1] != '\n') {
        buf_putc(out, '\n');
    }
}

/* bounce_8bit - does a part need more than us-ascii */

static int bounce_8bit(const BUF *b)
{
    for (size_t i = 0; i < b->len; i++)
        if ((unsigned char) b->data[i] >= 0x80)
            return (1);
    return (0);
}

/* bounce_build - the whole notification content */

static void bounce_build(const BOUNCE_JOB *job, int to, const char *rcpt,
                         const char *new_id, time_t now, BUF *out)
{
    const char *myhostname = config_str(P_MYHOSTNAME);
    BUF    *boundary = buf_new(64);
    BUF    *text = buf_new(1024);
    BUF    *report = buf_new(1024);
    BUF    *headers = buf_new(4096);
    BUF    *value = buf_new(128);
    char    stamp[32];
    struct tm tm;

    bounce_text(job, to, text);
    bounce_report(job, report);
    bounce_headers(job, headers);
    /* RFC 2046 5.1.1: must not occur in the parts; the ID is random. */
    buf_printf(boundary, "%s.%ld/%s", new_id, (long) now, myhostname);
    /* RFC 2046 5.1.1: at most 70 characters; a long host name is cut. */
    if (boundary->len > 70)
        buf_truncate(boundary, 70);
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", &tm);

    mail_date(now, value);
    bounce_field(out, "Date", value->data);
    bounce_fieldf(out, "From", "MAILER-DAEMON@%s (Mail Delivery System)",
                  myhostname);
    bounce_field(out, "Subject", job->kind == BOUNCE_FAILED ?
                 (to == BOUNCE_TO_SENDER ? "Undelivered Mail Returned to Sender" :
                  "Postmaster Copy: Undelivered Mail") :
                 (to == BOUNCE_TO_SENDER ? "Delayed Mail (still being retried)" :
                  "Postmaster Warning: Delayed Mail"));
    buf_reset(value);
    bounce_quote_addr(value, rcpt);
    bounce_field(out, "To", value->data);
    bounce_field(out, "Auto-Submitted", "auto-replied");
    bounce_field(out, "MIME-Version", "1.0");
    bounce_fieldf(out, "Content-Type", "multipart/report; "
                  "report-type=delivery-status; boundary=\"%s\"",
                  boundary->data);
    bounce_field(out, "Content-Transfer-Encoding", "8bit");
    bounce_fieldf(out, "Message-Id", "<%s.%s@%s>", stamp, new_id, myhostname);
    buf_puts(out, "\nThis is a MIME-encapsulated delivery status notification.\n");

    buf_printf(out, "\n--%s\n", boundary->data);
    bounce_field(out, "Content-Description", "Notification");
    bounce_fieldf(out, "Content-Type", "text/plain; charset=%s",
                  bounce_8bit(text) ? "utf-8" : "us-ascii");
    buf_putc(out, '\n');
    buf_append(out, text->data, text->len);

    buf_printf(out, "\n--%s\n", boundary->data);
    bounce_field(out, "Content-Description", "Delivery report");
    bounce_field(out, "Content-Type", "message/delivery-status");
    buf_putc(out, '\n');
    buf_append(out, report->data, report->len);

    buf_printf(out, "\n--%s\n", boundary->data);
    bounce_field(out, "Content-Description", job->kind == BOUNCE_FAILED ?
                 "Undelivered Message Headers" : "Delayed Message Headers");
    bounce_field(out, "Content-Type", "text/rfc822-headers");
    bounce_field(out, "Content-Transfer-Encoding", "8bit");
    buf_putc(out, '\n');
    buf_append(out, headers->data, headers->len);

    buf_printf(out, "\n--%s--\n", boundary->data);

    buf_free(&boundary);
    buf_free(&text);
    buf_free(&report);
    buf_free(&headers);
    buf_free(&value);
}

/* bounce_post - write and commit one notification to one recipient */

static int bounce_post(const BOUNCE_JOB *job, int to, const char *recipient,
                       char id_r[QUEUE_ID_SIZE])
{
    BUF    *rcpt = buf_new(64);
    BUF    *content;
    QUEUE_FILE *qf;
    struct timeval now;
    int     status = 0;

    if ((qf = queue_file_create(BOUNCE_QUEUE)) == 0) {
        buf_free(&rcpt);
        return (-1);
    }
    bounce_qualify(rcpt, recipient);
    gettimeofday(&now, 0);
    content = buf_new(8192);
    bounce_build(job, to, rcpt->data, queue_file_id(qf), now.tv_sec, content);

    /* Errors are sticky: the first one makes every later call fail. */
    status |= queue_file_add_time(qf, &now);
    status |= queue_file_add_sender(qf, "");
    status |= queue_file_add_attr(qf, BOUNCE_ATTR_NOTICE, to == BOUNCE_TO_SENDER ?
                                  BOUNCE_NOTICE_SENDER : BOUNCE_NOTICE_POSTMASTER);
    status |= queue_file_add_attr(qf, "encoding", bounce_8bit(content) ?
                                  "8bit" : "7bit");
    status |= queue_file_add_rcpt(qf, rcpt->data, 0);
    status |= queue_file_begin_content(qf);
    status |= queue_file_write_content(qf, content->data, content->len);
    status |= queue_file_end_content(qf);
    buf_free(&content);
    buf_free(&rcpt);
    if (queue_file_commit(qf, id_r) < 0 || status < 0) {
        id_r[0] = 0;
        return (-1);
    }
    mail_log_notification(job->orig_id, to == BOUNCE_TO_SENDER ? "sender" :
                          "postmaster", job->kind == BOUNCE_FAILED ?
                          "non-delivery" : "delay", id_r);
    return (0);
}

/* bounce_notify_class - is a class named in notify_classes */

static int bounce_notify_class(const char *name)
{
    STRV   *classes = config_list(P_NOTIFY_CLASSES);
    int     found = strv_find(classes, name) >= 0;

    strv_free(&classes);
    return (found);
}

int     bounce_notify(QUEUE_FILE *orig, int kind, const BOUNCE_RCPT *rcpts,
                      size_t count, char id_r[QUEUE_ID_SIZE])
{
    const char *notice = queue_file_attr(orig, BOUNCE_ATTR_NOTICE);
    const char *recipient;
    char    copy_id[QUEUE_ID_SIZE];
    BOUNCE_JOB job;

    id_r[0] = 0;
    if (kind != BOUNCE_FAILED && kind != BOUNCE_DELAYED)
        msg_panic("bounce_notify: bad kind %d", kind);
    memset(&job, 0, sizeof(job));
    job.orig = orig;
    job.kind = kind;
    for (size_t i = 0; i < count; i++) {
        if (rcpts[i].address == 0 || *rcpts[i].address == 0)
            msg_panic("bounce_notify: recipient %zu has no address", i);
        (void) bounce_action(&job, rcpts + i);
    }
    job.rcpts = rcpts;
    job.count = count;
    job.orig_id = *queue_file_id(orig) ? queue_file_id(orig) : "NOQUEUE";
    job.sender = queue_file_sender(orig);
    queue_file_arrival(orig, &job.arrival);
    if (count == 0)
        return (0);

    /* A failed postmaster notice is the end of the line. */
    if (notice && strcmp(notice, BOUNCE_NOTICE_POSTMASTER) == 0) {
        msg_warn("%s: undeliverable postmaster notification discarded",
                 job.orig_id);
        return (0);
    }

    /* A notification about a notification goes to the postmaster. */
    if (*job.sender == 0) {
        if (kind == BOUNCE_DELAYED) {
            recipient = config_str(P_DELAY_NOTICE_RECIPIENT);
            if (!bounce_notify_class("delay") || *recipient == 0)
                return (0);
        } else if (*(recipient = config_str(P_VAR_2BOUNCE_NOTICE_RECIPIENT)) == 0) {
            msg_info("%s: non-delivery notification discarded: "
                     "2bounce_notice_recipient is empty", job.orig_id);
            return (0);
        }
        return (bounce_post(&job, BOUNCE_TO_POSTMASTER, recipient, id_r));
    }

    if (bounce_post(&job, BOUNCE_TO_SENDER, job.sender, id_r) < 0)
        return (-1);

    /* The optional postmaster copy; the sender's notice stands anyway. */
    if (bounce_notify_class(kind == BOUNCE_FAILED ? "bounce" : "delay")) {
        recipient = config_str(kind == BOUNCE_FAILED ? P_BOUNCE_NOTICE_RECIPIENT :
                               P_DELAY_NOTICE_RECIPIENT);
        if (*recipient && bounce_post(&job, BOUNCE_TO_POSTMASTER, recipient,
                                      copy_id) < 0)
            msg_warn("%s: postmaster notice failed while %s %s: %m",
                     job.orig_id, kind == BOUNCE_FAILED ? "bouncing to" :
                     "warning", job.sender);
    }
    return (0);
}
