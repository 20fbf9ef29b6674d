/* NAME
 *	bounce_test 1
 * SUMMARY
 *	unit tests for bounce(3)
 * DESCRIPTION
 *	The test runs in a scratch queue directory, as qmgr does. Each row
 *	writes an original message into active/ with the queue_file(3)
 *	writer, opens it, applies the row's configuration, and calls
 *	bounce_notify(). Then every file in incoming/ is read back with
 *	queue_file_open() and checked: the envelope (null sender, the
 *	wanted recipient, the notice attribute), every line's length, the
 *	message headers, and the MIME structure parsed here from scratch:
 *	exactly three parts, text/plain naming each recipient, message/
 *	delivery-status with one per-message group and one group per
 *	recipient (each field compared), and text/rfc822-headers equal to
 *	the original's header section. The log must be exactly the
 *	notification lines, or what the row expects. Two generated rows
 *	have large header sections (one ending exactly at a read chunk,
 *	one cut by bounce_size_limit). A last check makes incoming/
 *	disappear and wants -1 with ENOENT.
 *
 *	"bounce_test --emit FILE [failed|delayed]" writes the content of
 *	one three-recipient notification to FILE and exits, so that
 *	t/e2e/test_bounce_format.py can parse it with Python's email
 *	package.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "bounce.h"
#include "buf.h"
#include "config.h"
#include "harness.h"
#include "mem.h"
#include "msg.h"
#include "queue_file.h"
#include "queue_id.h"
#include "strv.h"

#define ORIG_DIR    "active"
#define NEW_DIR     "incoming"
#define MAX_RCPT    3
#define MAX_FILES   2

#define HOST        "mail.example.com"
#define ORIGIN      "example.com"

#define LONG_WORDS \
    "the remote server rambled on and on about its policies and about the " \
    "weather and about many other things that have nothing to do with the " \
    "delivery of this message but which it felt the need to explain in " \
    "great detail before it finally said no to this recipient once and " \
    "for all and then it went on some more about the same things again"

typedef struct ROW {
    const char *label;
    /* The original. */
    const char *sender;
    const char *notice;                 /* its BOUNCE_ATTR_NOTICE, or NULL */
    const char *content;
    /* The call. */
    int     kind;
    BOUNCE_RCPT rcpts[MAX_RCPT];
    size_t  count;
    const char *conf[6];                /* name, value, ... on top of the base */
    /* Wanted. */
    int     want_files;
    const char *want_to[MAX_FILES];     /* envelope recipient */
    const char *want_header_to[MAX_FILES];  /* To: header; NULL: want_to */
    const char *want_subject[MAX_FILES];
    const char *want_diag[MAX_RCPT];    /* Diagnostic-Code; NULL: absent */
    const char *want_remote[MAX_RCPT];  /* Remote-MTA; NULL: absent */
    const char *want_status[MAX_RCPT];  /* Status */
    const char *want_headers;           /* part 3; NULL: up to the blank line */
    const char *want_log;               /* when no file: the log, %s: ORIGID */
    const char *want_encoding;          /* NULL: 7bit */
} ROW;

#define FAILED_SUBJECT  "Undelivered Mail Returned to Sender"
#define DELAYED_SUBJECT "Delayed Mail (still being retried)"
#define PM_FAILED       "Postmaster Copy: Undelivered Mail"
#define PM_DELAYED      "Postmaster Warning: Delayed Mail"

#define SIMPLE  "Received: from client.example.com\nFrom: Alice <alice@example.com>\n" \
                "To: bob@example.com\nSubject: lunch\nMessage-Id: <1@example.com>\n" \
                "\nAre you free on Friday?\n\n-- \nAlice\n"
#define BOUNCED "From: MAILER-DAEMON@elsewhere.example\nSubject: Undelivered Mail\n" \
                "To: someone@example.com\n\nthe bounce text\n"

#define SMTP_550 "host mx.remote.example[192.0.2.1] said: 550 5.1.1 " \
                 "<carol@remote.example>: Recipient address rejected: User unknown " \
                 "in virtual mailbox table (in reply to RCPT TO command)"
#define DIAG_550 "smtp; 550 5.1.1 <carol@remote.example>: Recipient address " \
                 "rejected: User unknown in virtual mailbox table"

static const ROW rows[] = {
    {"failed, one local recipient", "alice@example.com", 0, SIMPLE,
        BOUNCE_FAILED, {{"bob@example.com", 0, "5.1.1", "unknown user: \"bob\"",
        "local", "failed"}}, 1, {0},
        1, {"alice@example.com"}, {0}, {FAILED_SUBJECT},
        {"X-Postern; unknown user: \"bob\""}, {0}, {"5.1.1"}, 0, 0, 0},
    {"failed, three recipients, remote SMTP reply", "alice@example.com", 0, SIMPLE,
        BOUNCE_FAILED, {
            {"carol@remote.example", "Carol@Remote.Example", "5.1.1", SMTP_550,
            "mx.remote.example[192.0.2.1]:25", "failed"},
            {"dave@example.com", "list@example.com", "5.2.2",
                "cannot update mailbox /var/mail/dave for user dave. error "
            "writing message: File too large", "local", 0},
            {"erin@remote.example", 0, 0,
                "connect to 192.0.2.7[192.0.2.7]:25: Connection refused",
        "[192.0.2.7]:25", "failed"}}, 3, {0},
        1, {"alice@example.com"}, {0}, {FAILED_SUBJECT},
        {DIAG_550, "X-Postern; cannot update mailbox /var/mail/dave for user "
            "dave. error writing message: File too large",
        "X-Postern; connect to 192.0.2.7[192.0.2.7]:25: Connection refused"},
        {"dns; mx.remote.example", 0, "dns; 192.0.2.7"},
    {"5.1.1", "5.2.2", "5.0.0"}, 0, 0, 0},
    {"delayed, one recipient", "alice@example.com", 0, SIMPLE,
        BOUNCE_DELAYED, {{"bob@example.net", 0, "4.4.1",
            "connect to mx.example.net[192.0.2.2]:25: Connection timed out",
        "mx.example.net[192.0.2.2]:25", 0}}, 1, {0},
        1, {"alice@example.com"}, {0}, {DELAYED_SUBJECT},
        {"X-Postern; connect to mx.example.net[192.0.2.2]:25: Connection timed out"},
    {"dns; mx.example.net"}, {"4.4.1"}, 0, 0, 0},
    {"delayed, three recipients", "alice@example.com", 0, SIMPLE,
        BOUNCE_DELAYED, {
            {"r1@example.net", 0, "4.4.1", "connection timed out", 0, "delayed"},
            {"r2@example.net", "orig2@example.net", "4.2.2", "host "
                "mx.example.net[192.0.2.2] said: 452 4.2.2 mailbox full (in "
            "reply to RCPT TO command)", "mx.example.net[192.0.2.2]:25", 0},
        {"r3@example.net", 0, "4.3.0", "", "mx.example.net[192.0.2.2]:25", 0}},
        3, {0},
        1, {"alice@example.com"}, {0}, {DELAYED_SUBJECT},
        {"X-Postern; connection timed out", "smtp; 452 4.2.2 mailbox full", 0},
    {0, "dns; mx.example.net", "dns; mx.example.net"}, {"4.4.1", "4.2.2", "4.3.0"}, 0, 0, 0},
    {"null sender: goes to postmaster@myorigin", "", 0, BOUNCED,
        BOUNCE_FAILED, {{"someone@example.com", 0, "5.1.1", "unknown user: "
        "\"someone\"", "local", 0}}, 1, {0},
        1, {"postmaster@" ORIGIN}, {0}, {PM_FAILED},
    {"X-Postern; unknown user: \"someone\""}, {0}, {"5.1.1"}, 0, 0, 0},
    {"null sender, sender notice failed: goes to postmaster", "",
        BOUNCE_NOTICE_SENDER, BOUNCED,
        BOUNCE_FAILED, {{"someone@example.com", 0, "5.1.1", "unknown user",
        "local", 0}}, 1, {0},
        1, {"postmaster@" ORIGIN}, {0}, {PM_FAILED},
    {"X-Postern; unknown user"}, {0}, {"5.1.1"}, 0, 0, 0},
    {"null sender, 2bounce_notice_recipient with a domain", "", 0, BOUNCED,
        BOUNCE_FAILED, {{"someone@example.com", 0, "5.1.1", "unknown user",
        "local", 0}}, 1, {"2bounce_notice_recipient", "hostmaster@ops.example.org"},
        1, {"hostmaster@ops.example.org"}, {0}, {PM_FAILED},
    {"X-Postern; unknown user"}, {0}, {"5.1.1"}, 0, 0, 0},
    {"null sender, empty 2bounce_notice_recipient: dropped", "", 0, BOUNCED,
        BOUNCE_FAILED, {{"someone@example.com", 0, "5.1.1", "unknown user",
        "local", 0}}, 1, {"2bounce_notice_recipient", ""},
        0, {0}, {0}, {0}, {0}, {0}, {0}, 0,
    "%s: non-delivery notification discarded: 2bounce_notice_recipient is empty\n", 0},
    {"failed postmaster notice: discarded", "", BOUNCE_NOTICE_POSTMASTER, BOUNCED,
        BOUNCE_FAILED, {{"postmaster@example.com", 0, "5.1.1", "unknown user",
        "local", 0}}, 1, {0},
        0, {0}, {0}, {0}, {0}, {0}, {0}, 0,
    "warning: %s: undeliverable postmaster notification discarded\n", 0},
    {"null sender, delayed: nobody by default", "", 0, BOUNCED,
        BOUNCE_DELAYED, {{"someone@example.net", 0, "4.4.1", "timed out", 0, 0}},
        1, {0}, 0, {0}, {0}, {0}, {0}, {0}, {0}, 0, "", 0},
    {"null sender, delayed, notify_classes=delay", "", 0, BOUNCED,
        BOUNCE_DELAYED, {{"someone@example.net", 0, "4.4.1", "timed out", 0, 0}},
        1, {"notify_classes", "delay", "delay_notice_recipient", "ops"},
        1, {"ops@" ORIGIN}, {0}, {PM_DELAYED},
    {"X-Postern; timed out"}, {0}, {"4.4.1"}, 0, 0, 0},
    {"unqualified sender gets @myorigin", "alice", 0, SIMPLE,
        BOUNCE_FAILED, {{"bob@example.com", 0, "5.1.1", "unknown user", "local", 0}},
        1, {0}, 1, {"alice@" ORIGIN}, {0}, {FAILED_SUBJECT},
    {"X-Postern; unknown user"}, {0}, {"5.1.1"}, 0, 0, 0},
    {"notify_classes=bounce: postmaster copy", "alice@example.com", 0, SIMPLE,
        BOUNCE_FAILED, {{"bob@example.com", 0, "5.1.1", "unknown user", "local", 0}},
        1, {"notify_classes", "resource, bounce"},
        2, {"alice@example.com", "postmaster@" ORIGIN}, {0},
        {FAILED_SUBJECT, PM_FAILED},
    {"X-Postern; unknown user"}, {0}, {"5.1.1"}, 0, 0, 0},
    {"notify_classes=delay: postmaster delay copy", "alice@example.com", 0, SIMPLE,
        BOUNCE_DELAYED, {{"bob@example.net", 0, "4.4.1", "timed out", 0, 0}},
        1, {"notify_classes", "delay"},
        2, {"alice@example.com", "postmaster@" ORIGIN}, {0},
        {DELAYED_SUBJECT, PM_DELAYED},
    {"X-Postern; timed out"}, {0}, {"4.4.1"}, 0, 0, 0},
    {"no recipients: nothing", "alice@example.com", 0, SIMPLE,
        BOUNCE_FAILED, {{0}}, 0, {0},
    0, {0}, {0}, {0}, {0}, {0}, {0}, 0, "", 0},
    {"expired: failed with 4.4.7", "alice@example.com", 0, SIMPLE,
        BOUNCE_FAILED, {{"bob@example.net", 0, "4.4.7",
            "message expired: connection timed out", 0, "failed"}}, 1, {0},
        1, {"alice@example.com"}, {0}, {FAILED_SUBJECT},
    {"X-Postern; message expired: connection timed out"}, {0}, {"4.4.7"}, 0, 0, 0},
    {"malformed status: generic code", "alice@example.com", 0, SIMPLE,
        BOUNCE_FAILED, {{"bob@example.com", 0, "5.1", "no", 0, 0}}, 1, {0},
        1, {"alice@example.com"}, {0}, {FAILED_SUBJECT},
    {"X-Postern; no"}, {0}, {"5.0.0"}, 0, 0, 0},
    {"bounce_size_limit cuts after a whole line", "alice@example.com", 0,
        "Received: from a.example by b.example; Mon, 1 Jan 2024 00:00:00 +0000\n"
        "Received: from c.example by d.example; Mon, 1 Jan 2024 00:00:00 +0000\n"
        "Subject: x\n\nbody\n",
        BOUNCE_FAILED, {{"bob@example.com", 0, "5.1.1", "unknown user", "local", 0}},
        1, {"bounce_size_limit", "100"},
        1, {"alice@example.com"}, {0}, {FAILED_SUBJECT},
        {"X-Postern; unknown user"}, {0}, {"5.1.1"},
    "Received: from a.example by b.example; Mon, 1 Jan 2024 00:00:00 +0000\n", 0, 0},
    {"header section exactly bounce_size_limit", "alice@example.com", 0,
        "Subject: aaaa\nX: b\n\nbody\n",
        BOUNCE_FAILED, {{"bob@example.com", 0, "5.1.1", "unknown user", "local", 0}},
        1, {"bounce_size_limit", "19"},
        1, {"alice@example.com"}, {0}, {FAILED_SUBJECT},
    {"X-Postern; unknown user"}, {0}, {"5.1.1"}, "Subject: aaaa\nX: b\n", 0, 0},
    {"header section one byte over bounce_size_limit", "alice@example.com", 0,
        "Subject: aaaa\nX: b\n\nbody\n",
        BOUNCE_FAILED, {{"bob@example.com", 0, "5.1.1", "unknown user", "local", 0}},
        1, {"bounce_size_limit", "18"},
        1, {"alice@example.com"}, {0}, {FAILED_SUBJECT},
    {"X-Postern; unknown user"}, {0}, {"5.1.1"}, "Subject: aaaa\n", 0, 0},
    {"headers only, no final newline", "alice@example.com", 0, "Subject: x",
        BOUNCE_FAILED, {{"bob@example.com", 0, "5.1.1", "unknown user", "local", 0}},
        1, {0}, 1, {"alice@example.com"}, {0}, {FAILED_SUBJECT},
    {"X-Postern; unknown user"}, {0}, {"5.1.1"}, "Subject: x\n", 0, 0},
    {"no headers at all", "alice@example.com", 0, "\nbody only\n",
        BOUNCE_FAILED, {{"bob@example.com", 0, "5.1.1", "unknown user", "local", 0}},
        1, {0}, 1, {"alice@example.com"}, {0}, {FAILED_SUBJECT},
    {"X-Postern; unknown user"}, {0}, {"5.1.1"}, "", 0, 0},
    {"empty content", "alice@example.com", 0, "",
        BOUNCE_FAILED, {{"bob@example.com", 0, "5.1.1", "unknown user", "local", 0}},
        1, {0}, 1, {"alice@example.com"}, {0}, {FAILED_SUBJECT},
    {"X-Postern; unknown user"}, {0}, {"5.1.1"}, "", 0, 0},
    {"long reason is folded", "alice@example.com", 0, SIMPLE,
        BOUNCE_FAILED, {{"bob@example.com", 0, "5.7.1", LONG_WORDS, 0, 0}},
        1, {0}, 1, {"alice@example.com"}, {0}, {FAILED_SUBJECT},
    {"X-Postern; " LONG_WORDS}, {0}, {"5.7.1"}, 0, 0, 0},
    {"control characters in a reason", "alice@example.com", 0, SIMPLE,
        BOUNCE_FAILED, {{"bob@example.com", 0, "5.1.1",
        "bad\r\nSubject: injected\n--boundary", 0, 0}},
        1, {0}, 1, {"alice@example.com"}, {0}, {FAILED_SUBJECT},
    {"X-Postern; bad  Subject: injected --boundary"}, {0}, {"5.1.1"}, 0, 0, 0},
    {"quoted local part in To:", "john doe@example.com", 0, SIMPLE,
        BOUNCE_FAILED, {{"bob@example.com", 0, "5.1.1", "unknown user", "local", 0}},
        1, {0}, 1, {"john doe@example.com"}, {"\"john doe\"@example.com"},
    {FAILED_SUBJECT}, {"X-Postern; unknown user"}, {0}, {"5.1.1"}, 0, 0, 0},
    {"8-bit header in the original", "alice@example.com", 0,
        "Subject: caf\xc3\xa9\n\nx\n",
        BOUNCE_FAILED, {{"bob@example.com", 0, "5.1.1", "unknown user", "local", 0}},
        1, {0}, 1, {"alice@example.com"}, {0}, {FAILED_SUBJECT},
    {"X-Postern; unknown user"}, {0}, {"5.1.1"}, 0, 0, "8bit"},
};

 /*
  * A parsed entity: unfolded fields "Name: value" and a body.
  */

/* parse_fields - fields up to the first empty line; returns body offset */

static size_t parse_fields(const char *data, size_t len, STRV *fields)
{
    size_t  pos = 0;
    const char *nl;
    size_t  line_len;
    BUF    *field = buf_new(128);

    while (pos < len) {
        nl = memchr(data + pos, '\n', len - pos);
        line_len = nl ? (size_t) (nl - (data + pos)) : len - pos;
        if (line_len == 0) {
            pos++;
            break;
        }
        if ((data[pos] == ' ' || data[pos] == '\t') && field->len) {
            buf_append(field, data + pos, line_len);
        } else {
            if (field->len)
                strv_add(fields, field->data);
            buf_set(field, "");
            buf_append(field, data + pos, line_len);
        }
        pos += line_len + (nl ? 1 : 0);
    }
    if (field->len)
        strv_add(fields, field->data);
    buf_free(&field);
    return (pos);
}

/* field_get - the value of the first field called name, or NULL */

static const char *field_get(const STRV *fields, const char *name)
{
    size_t  n = strlen(name);

    for (size_t i = 0; i < fields->argc; i++)
        if (strncasecmp(fields->argv[i], name, n) == 0
            && fields->argv[i][n] == ':')
            return (fields->argv[i] + n + (fields->argv[i][n + 1] == ' ' ? 2 : 1));
    return (0);
}

/* check_field - a field has the wanted value (NULL: is absent) */

static void check_field(const char *label, const STRV *fields, const char *name,
                        const char *want)
{
    char    what[512];

    snprintf(what, sizeof(what), "%s: %s", label, name);
    harness_streq(what, field_get(fields, name), want);
}

/* squeeze - append text with runs of white space made one space */

static void squeeze(const char *in, BUF *out)
{
    for (const char *p = in; *p; p++) {
        if (isspace((unsigned char) *p)) {
            if (out->len && out->data[out->len - 1] != ' ')
                buf_putc(out, ' ');
        } else {
            buf_putc(out, *p);
        }
    }
}

 /*
  * Scratch queue and originals.
  */

/* remove_all - empty a directory */

static void remove_all(const char *dir)
{
    DIR    *dp = opendir(dir);
    struct dirent *de;
    BUF    *path = buf_new(64);

    while (dp && (de = readdir(dp)) != 0) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        buf_reset(path);
        buf_printf(path, "%s/%s", dir, de->d_name);
        (void) unlink(path->data);
    }
    if (dp)
        closedir(dp);
    buf_free(&path);
}

/* list_ids - the names in a directory, sorted; dot files too */

static STRV *list_ids(const char *dir)
{
    STRV   *ids = strv_new();
    DIR    *dp = opendir(dir);
    struct dirent *de;

    while (dp && (de = readdir(dp)) != 0)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            strv_add(ids, de->d_name);
    if (dp)
        closedir(dp);
    strv_sort(ids);
    return (ids);
}

/* write_orig - queue an original message, open it for reading */

static QUEUE_FILE *write_orig(const ROW *row)
{
    QUEUE_FILE *qf = queue_file_create(ORIG_DIR);
    struct timeval when;
    char    id[QUEUE_ID_SIZE];
    BUF    *path = buf_new(64);
    BUF    *why = buf_new(64);
    int     status = 0;

    if (qf == 0)
        msg_fatal("create %s: %m", ORIG_DIR);
    gettimeofday(&when, 0);
    when.tv_sec -= 3 * 3600;            /* three hours in the queue */
    status |= queue_file_add_time(qf, &when);
    status |= queue_file_add_sender(qf, row->sender);
    if (row->notice)
        status |= queue_file_add_attr(qf, BOUNCE_ATTR_NOTICE, row->notice);
    for (size_t i = 0; i < row->count; i++)
        status |= queue_file_add_rcpt(qf, row->rcpts[i].address, row->rcpts[i].orig);
    if (row->count == 0)
        status |= queue_file_add_rcpt(qf, "nobody@example.com", 0);
    status |= queue_file_begin_content(qf);
    status |= queue_file_write_content(qf, row->content, strlen(row->content));
    status |= queue_file_end_content(qf);
    if (queue_file_commit(qf, id) < 0 || status < 0)
        msg_fatal("write original: %m");
    buf_printf(path, ORIG_DIR "/%s", id);
    if (queue_file_open(path->data, QUEUE_FILE_READ, &qf, why) < 0)
        msg_fatal("open %s: %s", path->data, why->data);
    buf_free(&path);
    buf_free(&why);
    return (qf);
}

/* configure - the base configuration, then a row's changes */

static void configure(const char *const *conf, size_t n)
{
    config_override("myhostname", HOST);
    config_override("myorigin", ORIGIN);
    config_override("2bounce_notice_recipient", "postmaster");
    config_override("bounce_notice_recipient", "postmaster");
    config_override("delay_notice_recipient", "postmaster");
    config_override("notify_classes", "resource, software");
    config_override("bounce_size_limit", "50000");
    for (size_t i = 0; i + 1 < n && conf[i]; i += 2)
        config_override(conf[i], conf[i + 1]);
}

/* read_content - a queue file's whole content */

static void read_content(QUEUE_FILE *qf, BUF *out)
{
    char    chunk[1000];
    ssize_t n;

    buf_reset(out);
    queue_file_content_rewind(qf);
    while ((n = queue_file_content_read(qf, chunk, sizeof(chunk))) > 0)
        buf_append(out, chunk, (size_t) n);
}

 /*
  * Checking one notification.
  */

/* check_lines - no line longer than RFC 5322 allows, no CR */

static void check_lines(const char *label, const BUF *content)
{
    size_t  longest = 0;
    size_t  cur = 0;

    for (size_t i = 0; i < content->len; i++) {
        if (content->data[i] == '\n') {
            cur = 0;
        } else if (++cur > longest) {
            longest = cur;
        }
    }
    harness_check(longest <= 998, label, "longest line %zu bytes", longest);
    harness_check(memchr(content->data, '\r', content->len) == 0, label,
                  "content has a CR");
}

/* split_parts - the bodies of a multipart entity; -1 if malformed */

static int split_parts(const char *body, const char *boundary, STRV *parts)
{
    BUF    *text = buf_new(strlen(body) + 2);
    BUF    *delim = buf_new(128);
    char   *p, *next, *start;
    int     status = -1;

    /* The newline before a delimiter belongs to it (RFC 2046 5.1.1). */
    buf_putc(text, '\n');
    buf_puts(text, body);
    buf_printf(delim, "\n--%s", boundary);
    if ((p = strstr(text->data, delim->data)) == 0)
        goto done;
    for (;;) {
        p += delim->len;
        if (strcmp(p, "--\n") == 0) {
            status = 0;
            break;
        }
        if (*p != '\n')
            break;
        start = p + 1;
        if ((next = strstr(start, delim->data)) == 0)
            break;
        strv_addn(parts, start, (size_t) (next - start));
        p = next;
    }
done:
    buf_free(&text);
    buf_free(&delim);
    return (status);
}

static void check_report(const ROW *row, const char *label, const char *orig_id,
                         const char *body)
{
    STRV   *groups[MAX_RCPT + 2];
    size_t  ngroups = 0;
    size_t  len = strlen(body);
    size_t  pos = 0;
    char    what[512];
    BUF    *want = buf_new(128);

    while (pos < len && ngroups < MAX_RCPT + 2) {
        if (body[pos] == '\n') {        /* trailing empty lines */
            pos++;
            continue;
        }
        groups[ngroups] = strv_new();
        pos += parse_fields(body + pos, len - pos, groups[ngroups]);
        ngroups++;
    }
    snprintf(what, sizeof(what), "%s: delivery-status groups", label);
    if (!harness_inteq(what, (long) ngroups, (long) row->count + 1))
        goto done;
    check_field(label, groups[0], "Reporting-MTA", "dns; " HOST);
    check_field(label, groups[0], "X-Postern-Queue-ID", orig_id);
    buf_printf(want, "rfc822; %s", row->sender);
    check_field(label, groups[0], "X-Postern-Sender", want->data);
    harness_check(field_get(groups[0], "Arrival-Date") != 0, label,
                  "no Arrival-Date");
    for (size_t i = 0; i < row->count; i++) {
        const BOUNCE_RCPT *r = row->rcpts + i;
        const STRV *g = groups[i + 1];
        const char *action = r->action ? r->action :
            row->kind == BOUNCE_FAILED ? "failed" : "delayed";

        buf_reset(want);
        buf_printf(want, "rfc822; %s", r->address);
        check_field(label, g, "Final-Recipient", want->data);
        buf_reset(want);
        if (r->orig && strcasecmp(r->orig, r->address) != 0)
            buf_printf(want, "rfc822; %s", r->orig);
        check_field(label, g, "Original-Recipient", want->len ? want->data : 0);
        check_field(label, g, "Action", action);
        check_field(label, g, "Status", row->want_status[i]);
        check_field(label, g, "Remote-MTA", row->want_remote[i]);
        check_field(label, g, "Diagnostic-Code", row->want_diag[i]);
        snprintf(what, sizeof(what), "%s: Will-Retry-Until iff delayed", label);
        harness_check((field_get(g, "Will-Retry-Until") != 0)
                      == (strcmp(action, "delayed") == 0), what, "%s",
                      field_get(g, "Will-Retry-Until") ? "present" : "absent");
    }
done:
    for (size_t i = 0; i < ngroups; i++)
        strv_free(&groups[i]);
    buf_free(&want);
}

/* check_text - part 1 names every recipient and reason */

static void check_text(const ROW *row, const char *label, const char *body)
{
    BUF    *flat = buf_new(1024);
    BUF    *want = buf_new(256);
    char    what[512];

    squeeze(body, flat);
    snprintf(what, sizeof(what), "%s: text names the host", label);
    harness_check(strstr(flat->data, "This is the mail system at host " HOST ".") != 0,
                  what, "%s", flat->data);
    for (size_t i = 0; i < row->count; i++) {
        const BOUNCE_RCPT *r = row->rcpts + i;

        buf_reset(want);
        buf_printf(want, "<%s>", r->address);
        if (r->orig && strcasecmp(r->orig, r->address) != 0)
            buf_printf(want, " (expanded from <%s>)", r->orig);
        buf_puts(want, ": ");
        /* A reason with control characters is checked in part 2. */
        if (r->reason && *r->reason && strpbrk(r->reason, "\r\n") == 0)
            squeeze(r->reason, want);
        snprintf(what, sizeof(what), "%s: text names <%s>", label, r->address);
        harness_check(strstr(flat->data, want->data) != 0, what, "want \"%s\" in %s",
                      want->data, flat->data);
    }
    buf_free(&flat);
    buf_free(&want);
}

/* want_headers - the original's header section */

static void want_headers(const ROW *row, BUF *out)
{
    const char *end = strstr(row->content, "\n\n");

    if (row->want_headers)
        buf_set(out, row->want_headers);
    else if (end)
        buf_set(out, ""), buf_append(out, row->content,
                                     (size_t) (end + 1 - row->content));
    else
        buf_set(out, row->content);
}

static void check_notification(const ROW *row, int n, const char *orig_id,
                               const char *new_id)
{
    BUF    *path = buf_new(64);
    BUF    *why = buf_new(64);
    BUF    *content = buf_new(8192);
    BUF    *want = buf_new(256);
    STRV   *fields = strv_new();
    STRV   *parts = strv_new();
    STRV   *part_fields[3] = {0, 0, 0};
    QUEUE_FILE *qf;
    const char *value;
    const char *to = row->want_to[n];
    int     to_pm = n == 1 || *row->sender == 0;
    char    label[256];
    char    boundary[256];
    size_t  body;

    snprintf(label, sizeof(label), "%s [%d]", row->label, n);
    buf_printf(path, NEW_DIR "/%s", new_id);
    if (queue_file_open(path->data, QUEUE_FILE_READ, &qf, why) < 0) {
        harness_check(0, label, "open %s: %s", path->data, why->data);
        goto done;
    }
    harness_streq(label, queue_file_id(qf), new_id);
    harness_streq(label, queue_file_sender(qf), "");
    harness_inteq(label, (long) queue_file_rcpt_count(qf), 1);
    harness_streq(label, queue_file_rcpt(qf, 0)->address, to);
    harness_streq(label, queue_file_attr(qf, BOUNCE_ATTR_NOTICE), to_pm ?
                  BOUNCE_NOTICE_POSTMASTER : BOUNCE_NOTICE_SENDER);
    harness_streq(label, queue_file_attr(qf, "encoding"), row->want_encoding ?
                  row->want_encoding : "7bit");
    read_content(qf, content);
    queue_file_close(&qf);
    check_lines(label, content);

    /* Message headers. */
    body = parse_fields(content->data, content->len, fields);
    harness_check(field_get(fields, "Date") != 0, label, "no Date:");
    check_field(label, fields, "From", "MAILER-DAEMON@" HOST " (Mail Delivery System)");
    check_field(label, fields, "Subject", row->want_subject[n]);
    check_field(label, fields, "To", row->want_header_to[n] ?
                row->want_header_to[n] : to);
    check_field(label, fields, "Auto-Submitted", "auto-replied");
    check_field(label, fields, "MIME-Version", "1.0");
    check_field(label, fields, "Content-Transfer-Encoding", "8bit");
    value = field_get(fields, "Message-Id");
    buf_printf(want, ".%s@" HOST ">", new_id);
    harness_check(value && value[0] == '<' && strspn(value + 1, "0123456789") == 14
                  && strcmp(value + 15, want->data) == 0, label,
                  "Message-Id: %s", value ? value : "(none)");
    value = field_get(fields, "Content-Type");
    boundary[0] = 0;
    if (value && sscanf(value, "multipart/report; report-type=delivery-status; "
                        "boundary=\"%255[^\"]\"", boundary) == 1) {
        buf_reset(want);
        buf_printf(want, "%s.", new_id);
        harness_check(strncmp(boundary, want->data, want->len) == 0
                   && strlen(boundary) > strlen("/" HOST)
                   && strcmp(boundary + strlen(boundary) - strlen("/" HOST),
                             "/" HOST) == 0, label, "boundary %s", boundary);
    } else {
        harness_check(0, label, "Content-Type: %s", value ? value : "(none)");
        goto done;
    }

    /* The three parts. */
    harness_check(split_parts(content->data + body, boundary, parts) == 0,
                  label, "malformed multipart body");
    if (!harness_inteq(label, (long) parts->argc, 3))
        goto done;
    for (int i = 0; i < 3; i++) {
        part_fields[i] = strv_new();
        body = parse_fields(parts->argv[i], strlen(parts->argv[i]), part_fields[i]);
        memmove(parts->argv[i], parts->argv[i] + body, strlen(parts->argv[i] + body) + 1);
    }
    value = field_get(part_fields[0], "Content-Type");
    harness_check(value && strncmp(value, "text/plain; charset=", 20) == 0, label,
                  "part 1 Content-Type: %s", value ? value : "(none)");
    check_text(row, label, parts->argv[0]);
    check_field(label, part_fields[1], "Content-Type", "message/delivery-status");
    check_report(row, label, orig_id, parts->argv[1]);
    check_field(label, part_fields[2], "Content-Type", "text/rfc822-headers");
    want_headers(row, want);
    snprintf(label, sizeof(label), "%s [%d]: returned headers", row->label, n);
    harness_streq(label, parts->argv[2], want->data);

done:
    for (int i = 0; i < 3; i++)
        if (part_fields[i])
            strv_free(&part_fields[i]);
    strv_free(&fields);
    strv_free(&parts);
    buf_free(&path);
    buf_free(&why);
    buf_free(&content);
    buf_free(&want);
}

static void run_row(const ROW *row)
{
    QUEUE_FILE *orig;
    char    id[QUEUE_ID_SIZE];
    char    orig_id[QUEUE_ID_SIZE];
    STRV   *ids;
    BUF    *want_log = buf_new(256);
    int     status;
    char    label[256];

    configure(row->conf, sizeof(row->conf) / sizeof(row->conf[0]));
    orig = write_orig(row);
    snprintf(orig_id, sizeof(orig_id), "%s", queue_file_id(orig));
    harness_log_reset();
    memset(id, 'x', sizeof(id));
    status = bounce_notify(orig, row->kind, row->rcpts, row->count, id);
    harness_inteq(row->label, status, 0);
    ids = list_ids(NEW_DIR);
    snprintf(label, sizeof(label), "%s: files in incoming/", row->label);
    harness_inteq(label, (long) ids->argc, row->want_files);
    if (ids->argc == (size_t) row->want_files) {
        snprintf(label, sizeof(label), "%s: returned ID", row->label);
        harness_streq(label, id, row->want_files ? ids->argv[0] : "");
        for (size_t n = 0; n < ids->argc; n++) {
            int     to_pm = n == 1 || *row->sender == 0;

            buf_printf(want_log, "%s: %s %s notification: %s\n", orig_id,
                       to_pm ? "postmaster" : "sender",
                       row->kind == BOUNCE_FAILED ? "non-delivery" : "delay",
                       ids->argv[n]);
            check_notification(row, (int) n, orig_id, ids->argv[n]);
        }
    }
    snprintf(label, sizeof(label), "%s: log", row->label);
    if (row->want_files)
        harness_streq(label, harness_log(), want_log->data);
    else {
        buf_printf(want_log, row->want_log ? row->want_log : "", orig_id);
        harness_streq(label, harness_log(), want_log->data);
    }
    harness_log_reset();
    queue_file_close(&orig);
    remove_all(NEW_DIR);
    remove_all(ORIG_DIR);
    strv_free(&ids);
    buf_free(&want_log);
}

/* run_missing_queue - no incoming/: -1 with errno, nothing logged */

static void run_missing_queue(void)
{
    const ROW *row = rows;
    QUEUE_FILE *orig;
    char    id[QUEUE_ID_SIZE] = "x";
    int     status;

    configure(row->conf, 0);
    orig = write_orig(row);
    harness_log_reset();
    if (rename(NEW_DIR, "elsewhere") < 0)
        msg_fatal("rename %s: %m", NEW_DIR);
    errno = 0;
    status = bounce_notify(orig, BOUNCE_FAILED, row->rcpts, row->count, id);
    harness_check(status == -1 && errno == ENOENT, "missing incoming/: -1, ENOENT",
                  "status %d, %m", status);
    harness_streq("missing incoming/: no ID", id, "");
    harness_log_check("missing incoming/: nothing logged", "");
    if (rename("elsewhere", NEW_DIR) < 0)
        msg_fatal("rename back: %m");
    queue_file_close(&orig);
    remove_all(ORIG_DIR);
}

/*
 * run_big_headers - a header section of exactly one read chunk (4096
 * bytes), so that its closing empty line is only seen with the next
 * chunk; and one of 60000 bytes, cut to bounce_size_limit.
 */
static void run_big_headers(void)
{
    static char big[70000];
    ROW     row = rows[0];
    BUF    *want = buf_new(4096);
    size_t  len = 0;

    for (int i = 0; len < 4096; i++)
        len += (size_t) snprintf(big + len, sizeof(big) - len,
                                 "X-Pad-%02d: %053d\n", i % 100, 0);
    snprintf(big + len, sizeof(big) - len, "\nbody\n");
    row.label = "header section ends at a read chunk boundary";
    row.content = big;
    run_row(&row);

    for (len = 0; len < 60000;)
        len += (size_t) snprintf(big + len, sizeof(big) - len,
                                 "X-Pad: %056d\n", 0);
    snprintf(big + len, sizeof(big) - len, "\nbody\n");
    /* 50000 bytes hold 781 whole 64-byte lines. */
    buf_append(want, big, 781 * 64);
    row.label = "60000 bytes of headers, default bounce_size_limit";
    row.want_headers = want->data;
    run_row(&row);
    buf_free(&want);
}

/* setup - a scratch queue directory; returns its path (static) */

static const char *setup(void)
{
    static char top[] = "/tmp/bounce_test.XXXXXX";

    if (mkdtemp(top) == 0 || chdir(top) < 0 || mkdir(NEW_DIR, 0700) < 0
        || mkdir(ORIG_DIR, 0700) < 0)
        msg_fatal("scratch directory %s: %m", top);
    config_load(top, CONFIG_LOAD_DEFAULTS);
    return (top);
}

static void teardown(const char *top)
{
    remove_all(NEW_DIR);
    remove_all(ORIG_DIR);
    (void) rmdir(NEW_DIR);
    (void) rmdir(ORIG_DIR);
    if (chdir("/") < 0 || rmdir(top) < 0)
        printf("# cannot remove %s: %s\n", top, strerror(errno));
}

/* emit - write one notification's content to a file, for Python */

static int emit(const char *file, const char *kind_name)
{
    const ROW *row = rows + 1;          /* three recipients */
    ROW     delayed;
    const char *top;
    QUEUE_FILE *orig, *qf;
    char    id[QUEUE_ID_SIZE];
    BUF    *path = buf_new(64);
    BUF    *content = buf_new(8192);
    FILE   *fp;

    msg_init("bounce_test");
    msg_to_stderr(0);
    if (kind_name && strcmp(kind_name, "delayed") == 0) {
        delayed = rows[3];
        row = &delayed;
    } else if (kind_name && strcmp(kind_name, "failed") != 0) {
        fprintf(stderr, "usage: bounce_test --emit FILE [failed|delayed]\n");
        return (2);
    }
    top = setup();
    configure(row->conf, 0);
    orig = write_orig(row);
    if (bounce_notify(orig, row->kind, row->rcpts, row->count, id) < 0 || !*id)
        msg_fatal("bounce_notify: %m");
    buf_printf(path, NEW_DIR "/%s", id);
    if (queue_file_open(path->data, QUEUE_FILE_READ, &qf, 0) < 0)
        msg_fatal("open %s: %m", path->data);
    read_content(qf, content);
    queue_file_close(&qf);
    queue_file_close(&orig);
    teardown(top);
    if ((fp = fopen(file, "w")) == 0
        || fwrite(content->data, 1, content->len, fp) != content->len
        || fclose(fp) != 0) {
        fprintf(stderr, "bounce_test: write %s: %s\n", file, strerror(errno));
        return (1);
    }
    buf_free(&path);
    buf_free(&content);
    return (0);
}

int     main(int argc, char **argv)
{
    const char *top;

    if (argc >= 3 && strcmp(argv[1], "--emit") == 0)
        return (emit(argv[2], argc > 3 ? argv[3] : 0));
    harness_init("bounce_test");
    top = setup();
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        run_row(rows + i);
    run_big_headers();
    run_missing_queue();
    teardown(top);
    return (harness_done());
}
