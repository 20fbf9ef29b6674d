/* NAME
 *	mail_log_test 1
 * SUMMARY
 *	golden tests for mail_log(3): the log line API
 * DESCRIPTION
 *	Shape rows: which function, its arguments, and the exact line it
 *	must log (captured from msg_info()). These strings are the
 *	contract with pflogsumm, fail2ban and admins' scripts: change one
 *	only to follow Postfix. Delay rows: seconds and the text
 *	mail_log_format_delay() must append. Count rows: SMTP commands,
 *	each "verb+" (succeeded) or "verb-" (failed), and the text
 *	mail_log_counts_format() must append.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "harness.h"
#include "mail_log.h"
#include "strv.h"

#define SHAPE_CONNECT       0
#define SHAPE_DISCONNECT    1
#define SHAPE_CLIENT        2
#define SHAPE_REJECT        3
#define SHAPE_LOST          4
#define SHAPE_FROM          5
#define SHAPE_DELIVERY      6
#define SHAPE_REMOVED       7
#define SHAPE_MESSAGE_ID    8
#define SHAPE_QUEUE_ACTION  9
#define SHAPE_RESTRICTION   10

typedef struct SHAPE_ROW {
    const char *label;
    int     shape;
    const char *arg[10];                /* string arguments, in order */
    long    num;                        /* bytes, size */
    int     nrcpt;
    MAIL_LOG_DELIVERY delivery;
    const char *want;                   /* the exact line */
} SHAPE_ROW;

#define QID "1K0XXP9AK5GEX4BJ0"
#define NO_D {0}

static const SHAPE_ROW shape_rows[] = {
    /* smtpd: connect, disconnect, client. */
    {"connect", SHAPE_CONNECT, {"localhost", "127.0.0.1"}, 0, 0, NO_D,
    "connect from localhost[127.0.0.1]"},
    {"connect IPv6", SHAPE_CONNECT, {"localhost", "::1"}, 0, 0, NO_D,
    "connect from localhost[::1]"},
    {"connect unknown name", SHAPE_CONNECT, {"unknown", "192.0.2.1"}, 0, 0, NO_D,
    "connect from unknown[192.0.2.1]"},
    {"connect NULL name", SHAPE_CONNECT, {0, "192.0.2.1"}, 0, 0, NO_D,
    "connect from unknown[192.0.2.1]"},
    {"connect control characters", SHAPE_CONNECT, {"a\033b\177c\nd", "192.0.2.1"},
        0, 0, NO_D, "connect from a?b?c?d[192.0.2.1]"},
    {"connect 8-bit kept", SHAPE_CONNECT, {"m\303\274ller.example", "192.0.2.1"},
        0, 0, NO_D, "connect from m\303\274ller.example[192.0.2.1]"},
    {"disconnect", SHAPE_DISCONNECT,
        {"localhost", "127.0.0.1", "ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5"},
        0, 0, NO_D,
    "disconnect from localhost[127.0.0.1] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5"},
    {"disconnect with failures", SHAPE_DISCONNECT,
        {"unknown", "192.0.2.1", "ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4"},
        0, 0, NO_D,
    "disconnect from unknown[192.0.2.1] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4"},
    {"disconnect, no commands", SHAPE_DISCONNECT,
        {"unknown", "192.0.2.1", "commands=0/0"}, 0, 0, NO_D,
    "disconnect from unknown[192.0.2.1] commands=0/0"},
    {"disconnect, empty counts", SHAPE_DISCONNECT, {"unknown", "192.0.2.1", ""},
        0, 0, NO_D, "disconnect from unknown[192.0.2.1]"},
    {"disconnect, NULL counts", SHAPE_DISCONNECT, {"unknown", "192.0.2.1", 0},
        0, 0, NO_D, "disconnect from unknown[192.0.2.1]"},
    {"client", SHAPE_CLIENT, {QID, "localhost", "127.0.0.1"}, 0, 0, NO_D,
    QID ": client=localhost[127.0.0.1]"},
    {"client IPv6", SHAPE_CLIENT, {QID, "mail.example.com", "2001:db8::25"},
        0, 0, NO_D, QID ": client=mail.example.com[2001:db8::25]"},

    /* smtpd: reject (queue_id, stage, host, addr, reply, from, to, proto, helo). */
    {"reject relay", SHAPE_REJECT,
        {"NOQUEUE", "RCPT", "host.example", "192.0.2.9",
            "554 5.7.1 <x@y.example>: Relay access denied", "a@b.example",
        "x@y.example", "ESMTP", "h.example"}, 0, 0, NO_D,
        "NOQUEUE: reject: RCPT from host.example[192.0.2.9]: 554 5.7.1 "
        "<x@y.example>: Relay access denied; from=<a@b.example> to=<x@y.example> "
    "proto=ESMTP helo=<h.example>"},
    {"reject, NULL queue ID", SHAPE_REJECT,
        {0, "RCPT", "unknown", "192.0.2.9",
            "450 4.1.1 <x@y.example>: Recipient address rejected: unverified address",
        "", "x@y.example", "SMTP", "h"}, 0, 0, NO_D,
        "NOQUEUE: reject: RCPT from unknown[192.0.2.9]: 450 4.1.1 <x@y.example>: "
        "Recipient address rejected: unverified address; from=<> to=<x@y.example> "
    "proto=SMTP helo=<h>"},
    {"reject, empty queue ID", SHAPE_REJECT,
        {"", "MAIL", "unknown", "192.0.2.9",
            "553 5.7.1 <a@b.example>: Sender address rejected: not logged in",
        "a@b.example", 0, "ESMTP", "h"}, 0, 0, NO_D,
        "NOQUEUE: reject: MAIL from unknown[192.0.2.9]: 553 5.7.1 <a@b.example>: "
    "Sender address rejected: not logged in; from=<a@b.example> proto=ESMTP helo=<h>"},
    {"reject at CONNECT", SHAPE_REJECT,
        {0, "CONNECT", "unknown", "192.0.2.66",
            "554 5.7.1 Service unavailable; Client host [192.0.2.66] blocked",
        0, 0, "SMTP", 0}, 0, 0, NO_D,
        "NOQUEUE: reject: CONNECT from unknown[192.0.2.66]: 554 5.7.1 Service "
    "unavailable; Client host [192.0.2.66] blocked; proto=SMTP"},
    {"reject at HELO, no sender yet", SHAPE_REJECT,
        {0, "HELO", "unknown", "192.0.2.66",
            "504 5.5.2 <x>: Helo command rejected: need fully-qualified hostname",
        0, 0, "SMTP", "x"}, 0, 0, NO_D,
        "NOQUEUE: reject: HELO from unknown[192.0.2.66]: 504 5.5.2 <x>: Helo command "
    "rejected: need fully-qualified hostname; proto=SMTP helo=<x>"},
    {"reject, nothing optional", SHAPE_REJECT,
        {0, "CONNECT", "unknown", "192.0.2.66", "421 4.3.2 Service shutting down",
        0, 0, 0, 0}, 0, 0, NO_D,
    "NOQUEUE: reject: CONNECT from unknown[192.0.2.66]: 421 4.3.2 Service shutting down;"},
    {"reject with queue ID", SHAPE_REJECT,
        {QID, "END-OF-MESSAGE", "localhost", "127.0.0.1",
            "552 5.3.4 Message size exceeds fixed limit", "a@b.example", 0, "ESMTP",
        "localhost"}, 0, 0, NO_D,
        QID ": reject: END-OF-MESSAGE from localhost[127.0.0.1]: 552 5.3.4 Message "
    "size exceeds fixed limit; from=<a@b.example> proto=ESMTP helo=<localhost>"},
    {"reject, hostile helo", SHAPE_REJECT,
        {0, "RCPT", "unknown", "192.0.2.9", "554 5.7.1 <x@y>: Relay access denied",
        "a@b", "x@y", "ESMTP", "evil\r\nJan 1 00:00:00 forged"}, 0, 0, NO_D,
        "NOQUEUE: reject: RCPT from unknown[192.0.2.9]: 554 5.7.1 <x@y>: Relay access "
    "denied; from=<a@b> to=<x@y> proto=ESMTP helo=<evil??Jan 1 00:00:00 forged>"},

    /* smtpd: other restriction actions (queue_id, action, then as reject). */
    {"reject_warning", SHAPE_RESTRICTION,
        {0, "reject_warning", "RCPT", "unknown", "192.0.2.9",
            "554 5.7.1 <x@y>: Sender address rejected: Access denied", "x@y", "a@b",
        "ESMTP", "h"}, 0, 0, NO_D,
        "NOQUEUE: reject_warning: RCPT from unknown[192.0.2.9]: 554 5.7.1 <x@y>: Sender "
    "address rejected: Access denied; from=<x@y> to=<a@b> proto=ESMTP helo=<h>"},
    {"hold", SHAPE_RESTRICTION,
        {QID, "hold", "RCPT", "localhost", "127.0.0.1",
            "<a@b>: Recipient address triggers HOLD action", "x@y", "a@b", "SMTP", "h"},
        0, 0, NO_D,
        QID ": hold: RCPT from localhost[127.0.0.1]: <a@b>: Recipient address triggers "
    "HOLD action; from=<x@y> to=<a@b> proto=SMTP helo=<h>"},

    /* smtpd: lost connection and timeout (what, stage, bytes, host, addr). */
    {"lost after DATA, 0 bytes", SHAPE_LOST,
        {"lost connection", "DATA", "unknown", "192.0.2.1"}, 0, 0, NO_D,
    "lost connection after DATA (0 bytes) from unknown[192.0.2.1]"},
    {"lost after DATA, bytes", SHAPE_LOST,
        {"lost connection", "DATA", "host.example", "192.0.2.1"}, 12345, 0, NO_D,
    "lost connection after DATA (12345 bytes) from host.example[192.0.2.1]"},
    {"lost after DATA command, no content yet", SHAPE_LOST,
        {"lost connection", "DATA", "unknown", "192.0.2.1"}, -1, 0, NO_D,
    "lost connection after DATA from unknown[192.0.2.1]"},
    {"lost after BDAT", SHAPE_LOST,
        {"lost connection", "BDAT", "unknown", "192.0.2.1"}, 4096, 0, NO_D,
    "lost connection after BDAT (4096 bytes) from unknown[192.0.2.1]"},
    {"lost after CONNECT", SHAPE_LOST,
        {"lost connection", "CONNECT", "unknown", "192.0.2.1"}, -1, 0, NO_D,
    "lost connection after CONNECT from unknown[192.0.2.1]"},
    {"lost after AUTH", SHAPE_LOST,
        {"lost connection", "AUTH", "unknown", "192.0.2.1"}, -1, 0, NO_D,
    "lost connection after AUTH from unknown[192.0.2.1]"},
    {"lost after RCPT: bytes ignored", SHAPE_LOST,
        {"lost connection", "RCPT", "unknown", "192.0.2.1"}, 77, 0, NO_D,
    "lost connection after RCPT from unknown[192.0.2.1]"},
    {"timeout after RCPT", SHAPE_LOST,
        {"timeout", "RCPT", "host.example", "192.0.2.1"}, -1, 0, NO_D,
    "timeout after RCPT from host.example[192.0.2.1]"},
    {"timeout after DATA", SHAPE_LOST,
        {"timeout", "DATA", "host.example", "192.0.2.1"}, 1024, 0, NO_D,
    "timeout after DATA (1024 bytes) from host.example[192.0.2.1]"},
    {"timeout after END-OF-MESSAGE", SHAPE_LOST,
        {"timeout", "END-OF-MESSAGE", "localhost", "127.0.0.1"}, 500, 0, NO_D,
    "timeout after END-OF-MESSAGE from localhost[127.0.0.1]"},
    {"timeout after UNKNOWN", SHAPE_LOST,
        {"timeout", "UNKNOWN", "unknown", "2001:db8::1"}, -1, 0, NO_D,
    "timeout after UNKNOWN from unknown[2001:db8::1]"},

    /* qmgr: from, removed. */
    {"from", SHAPE_FROM, {QID, "a@b.example"}, 123, 1, NO_D,
    QID ": from=<a@b.example>, size=123, nrcpt=1 (queue active)"},
    {"from null sender", SHAPE_FROM, {QID, ""}, 2345, 2, NO_D,
    QID ": from=<>, size=2345, nrcpt=2 (queue active)"},
    {"from large", SHAPE_FROM, {QID, "list-bounces@lists.example"}, 10485760, 1000,
        NO_D, QID ": from=<list-bounces@lists.example>, size=10485760, nrcpt=1000 "
    "(queue active)"},
    {"removed", SHAPE_REMOVED, {QID}, 0, 0, NO_D, QID ": removed"},
    /* postsuper -h/-H/-r/-e. */
    {"placed on hold", SHAPE_QUEUE_ACTION, {QID, "placed on hold"}, 0, 0, NO_D,
    QID ": placed on hold"},
    {"released from hold", SHAPE_QUEUE_ACTION, {QID, "released from hold"}, 0, 0,
    NO_D, QID ": released from hold"},

    /* cleanup: message-id, verbatim. */
    {"message-id", SHAPE_MESSAGE_ID, {QID, "<20260101120000.1234@mail.example>"},
    0, 0, NO_D, QID ": message-id=<20260101120000.1234@mail.example>"},
    {"message-id without brackets", SHAPE_MESSAGE_ID, {QID, "abc@def"}, 0, 0, NO_D,
    QID ": message-id=abc@def"},
    {"message-id empty", SHAPE_MESSAGE_ID, {QID, "<>"}, 0, 0, NO_D,
    QID ": message-id=<>"},

    /* Delivery agents: the status line. */
    {"delivery local", SHAPE_DELIVERY, {0}, 0, 0,
        {QID, "x@y.example", "o@y.example", "local", 0.11, {0.05, 0.01, 0, 0.05},
        "2.0.0", "sent", "delivered to maildir"},
        QID ": to=<x@y.example>, orig_to=<o@y.example>, relay=local, delay=0.11, "
    "delays=0.05/0.01/0/0.05, dsn=2.0.0, status=sent (delivered to maildir)"},
    {"delivery, orig_to NULL", SHAPE_DELIVERY, {0}, 0, 0,
        {QID, "user@example.com", 0, "local", 0.2, {0.1, 0.01, 0, 0.09},
        "2.0.0", "sent", "delivered to mailbox"},
        QID ": to=<user@example.com>, relay=local, delay=0.2, "
    "delays=0.1/0.01/0/0.09, dsn=2.0.0, status=sent (delivered to mailbox)"},
    {"delivery, orig_to same but case", SHAPE_DELIVERY, {0}, 0, 0,
        {QID, "user@example.com", "User@Example.COM", "local", 0.2,
            {0.1, 0.01, 0, 0.09}, "2.0.0", "sent", "delivered to mailbox"},
        QID ": to=<user@example.com>, relay=local, delay=0.2, "
    "delays=0.1/0.01/0/0.09, dsn=2.0.0, status=sent (delivered to mailbox)"},
    {"delivery, orig_to empty", SHAPE_DELIVERY, {0}, 0, 0,
        {QID, "user@example.com", "", "local", 0, {0, 0, 0, 0},
        "2.0.0", "sent", "delivered to mailbox"},
        QID ": to=<user@example.com>, relay=local, delay=0, "
    "delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to mailbox)"},
    {"delivery smtp sent", SHAPE_DELIVERY, {0}, 0, 0,
        {QID, "bob@remote.example", 0, "mx.remote.example[198.51.100.25]:25", 1.25,
            {0.02, 0.004, 0.3, 0.93}, "2.0.0", "sent",
        "250 2.0.0 Ok: queued as 4F9D195432"},
        QID ": to=<bob@remote.example>, relay=mx.remote.example[198.51.100.25]:25, "
        "delay=1.3, delays=0.02/0/0.3/0.93, dsn=2.0.0, status=sent (250 2.0.0 Ok: "
    "queued as 4F9D195432)"},
    {"delivery deferred, no relay", SHAPE_DELIVERY, {0}, 0, 0,
        {QID, "bob@remote.example", 0, 0, 12345.6, {12345, 0.5, 0, 0}, "4.4.1",
        "deferred", "connect to mx.remote.example[198.51.100.25]:25: Connection refused"},
        QID ": to=<bob@remote.example>, relay=none, delay=12346, "
        "delays=12345/0.5/0/0, dsn=4.4.1, status=deferred (connect to "
    "mx.remote.example[198.51.100.25]:25: Connection refused)"},
    {"delivery bounced", SHAPE_DELIVERY, {0}, 0, 0,
        {QID, "nobody@example.com", 0, "local", 0.03, {0.02, 0, 0, 0.01}, "5.1.1",
        "bounced", "unknown user: \"nobody\""},
        QID ": to=<nobody@example.com>, relay=local, delay=0.03, "
    "delays=0.02/0/0/0.01, dsn=5.1.1, status=bounced (unknown user: \"nobody\")"},
    {"delivery, negative delays", SHAPE_DELIVERY, {0}, 0, 0,
        {QID, "x@y", 0, "local", -3, {-1, -0.5, 0, 42.7}, "2.0.0", "sent", "ok"},
        QID ": to=<x@y>, relay=local, delay=0, delays=0/0/0/43, dsn=2.0.0, "
    "status=sent (ok)"},
};

typedef struct DELAY_ROW {
    double  seconds;
    const char *want;
} DELAY_ROW;

static const DELAY_ROW delay_rows[] = {
    {0, "0"},
    {0.004, "0"},
    {0.005, "0.01"},
    {0.01, "0.01"},
    {0.05, "0.05"},
    {0.1, "0.1"},
    {0.123, "0.12"},
    {0.125, "0.13"},
    {0.5, "0.5"},
    {0.99, "0.99"},
    {0.994, "0.99"},
    {0.995, "1"},
    {1, "1"},
    {1.04, "1"},
    {1.05, "1.1"},
    {1.25, "1.3"},
    {2.3, "2.3"},
    {9.94, "9.9"},
    {9.95, "10"},
    {9.99, "10"},
    {10, "10"},
    {10.49, "10"},
    {10.5, "11"},
    {42.7, "43"},
    {100, "100"},
    {12345.6, "12346"},
    {-1, "0"},
    {-0.001, "0"},
};

typedef struct COUNT_ROW {
    const char *label;
    const char *commands;               /* "verb+" or "verb-", space separated */
    const char *want;
} COUNT_ROW;

static const COUNT_ROW count_rows[] = {
    {"no commands", "", "commands=0/0"},
    {"one message", "ehlo+ mail+ rcpt+ data+ quit+",
    "ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5"},
    {"rejected recipient", "ehlo+ mail+ rcpt- rset+ quit+",
    "ehlo=1 mail=1 rcpt=0/1 rset=1 quit=1 commands=4/5"},
    {"submission with TLS and AUTH", "ehlo+ starttls+ ehlo+ auth+ mail+ rcpt+ data+ quit+",
    "ehlo=2 starttls=1 auth=1 mail=1 rcpt=1 data=1 quit=1 commands=8"},
    {"failed AUTH", "ehlo+ auth- quit+", "ehlo=1 auth=0/1 quit=1 commands=2/3"},
    {"HELO client", "helo+ mail+ rcpt+ rcpt+ data+ quit+",
    "helo=1 mail=1 rcpt=2 data=1 quit=1 commands=6"},
    {"helo before ehlo", "ehlo+ helo+", "helo=1 ehlo=1 commands=2"},
    {"upper case verbs", "EHLO+ Mail+ QUIT+", "ehlo=1 mail=1 quit=1 commands=3"},
    {"unknown commands", "GET- ehlo+ POST- quit+",
    "ehlo=1 quit=1 unknown=0/2 commands=2/4"},
    {"only unknown", "xyzzy-", "unknown=0/1 commands=0/1"},
    {"unknown that succeeded", "xyzzy+", "unknown=1 commands=1"},
    {"every verb in order",
        "quit+ etrn+ vrfy+ noop+ rset+ bdat+ data+ rcpt+ mail+ auth+ starttls+ "
        "xforward+ xclient+ ehlo+ helo+ bogus-",
        "helo=1 ehlo=1 xclient=1 xforward=1 starttls=1 auth=1 mail=1 rcpt=1 data=1 "
    "bdat=1 rset=1 noop=1 vrfy=1 etrn=1 quit=1 unknown=0/1 commands=15/16"},
    {"all failed", "ehlo- mail- quit-", "ehlo=0/1 mail=0/1 quit=0/1 commands=0/3"},
    {"partly failed", "rcpt+ rcpt- rcpt+", "rcpt=2/3 commands=2/3"},
};

static void test_shape(const SHAPE_ROW *row)
{
    const char *const *a = row->arg;

    switch (row->shape) {
    case SHAPE_CONNECT:
        mail_log_connect(a[0], a[1]);
        break;
    case SHAPE_DISCONNECT:
        mail_log_disconnect(a[0], a[1], a[2]);
        break;
    case SHAPE_CLIENT:
        mail_log_client(a[0], a[1], a[2]);
        break;
    case SHAPE_REJECT:
        mail_log_reject(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
        break;
    case SHAPE_RESTRICTION:
        mail_log_restriction(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9]);
        break;
    case SHAPE_LOST:
        mail_log_lost(a[0], a[1], row->num, a[2], a[3]);
        break;
    case SHAPE_FROM:
        mail_log_from(a[0], a[1], row->num, row->nrcpt);
        break;
    case SHAPE_DELIVERY:
        mail_log_delivery(&row->delivery);
        break;
    case SHAPE_REMOVED:
        mail_log_removed(a[0]);
        break;
    case SHAPE_QUEUE_ACTION:
        mail_log_queue_action(a[0], a[1]);
        break;
    case SHAPE_MESSAGE_ID:
        mail_log_message_id(a[0], a[1]);
        break;
    }
}

static void test_shapes(BUF *want)
{
    char    label[256];

    for (size_t i = 0; i < sizeof(shape_rows) / sizeof(shape_rows[0]); i++) {
        const SHAPE_ROW *row = shape_rows + i;

        harness_log_reset();
        test_shape(row);
        buf_set(want, row->want);
        buf_putc(want, '\n');                   /* one line, exactly */
        snprintf(label, sizeof(label), "line: %s", row->label);
        harness_streq(label, harness_log(), want->data);
        harness_log_reset();
    }
}

static void test_delays(BUF *got)
{
    char    label[256];

    for (size_t i = 0; i < sizeof(delay_rows) / sizeof(delay_rows[0]); i++) {
        const DELAY_ROW *row = delay_rows + i;

        buf_set(got, "delay=");
        mail_log_format_delay(row->seconds, got);
        snprintf(label, sizeof(label), "delay %g", row->seconds);
        harness_check(strncmp(got->data, "delay=", 6) == 0, label,
                      "prefix lost: \"%s\"", got->data);
        harness_streq(label, got->data + 6, row->want);
    }
    harness_log_check("delays log nothing", 0);
}

static void test_counts(BUF *got)
{
    char    label[256];

    for (size_t i = 0; i < sizeof(count_rows) / sizeof(count_rows[0]); i++) {
        const COUNT_ROW *row = count_rows + i;
        MAIL_LOG_COUNTS counts;
        STRV   *cmds = strv_split(row->commands, " ");
        BUF    *verb = buf_new(16);

        memset(&counts, 0, sizeof(counts));
        for (size_t j = 0; j < cmds->argc; j++) {
            size_t  len = strlen(cmds->argv[j]);

            buf_reset(verb);
            buf_append(verb, cmds->argv[j], len - 1);
            mail_log_counts_add(&counts, verb->data, cmds->argv[j][len - 1] == '+');
        }
        buf_set(got, "x ");
        mail_log_counts_format(&counts, got);
        snprintf(label, sizeof(label), "counts: %s", row->label);
        harness_check(strncmp(got->data, "x ", 2) == 0, label,
                      "appended text lost: \"%s\"", got->data);
        harness_streq(label, got->data + 2, row->want);
        strv_free(&cmds);
        buf_free(&verb);
    }

    /* The disconnect line as smtpd builds it. */
    {
        MAIL_LOG_COUNTS counts = {{0}, {0}};

        mail_log_counts_add(&counts, "ehlo", 1);
        mail_log_counts_add(&counts, "mail", 1);
        mail_log_counts_add(&counts, "rcpt", 0);
        mail_log_counts_add(&counts, 0, 0);
        mail_log_counts_add(&counts, "quit", 1);
        buf_reset(got);
        mail_log_counts_format(&counts, got);
        harness_log_reset();
        mail_log_disconnect("unknown", "192.0.2.1", got->data);
        harness_streq("counts: disconnect line", harness_log(),
                      "disconnect from unknown[192.0.2.1] ehlo=1 mail=1 rcpt=0/1 "
                      "quit=1 unknown=0/1 commands=3/5\n");
        harness_log_reset();
    }
}

int     main(void)
{
    BUF    *buf = buf_new(256);

    harness_init("mail_log_test");
    test_shapes(buf);
    test_delays(buf);
    test_counts(buf);
    buf_free(&buf);
    return (harness_done());
}
