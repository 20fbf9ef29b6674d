/* NAME
 *	showq 8
 * SUMMARY
 *	list the mail queue for postqueue(1) and mailq(1)
 * SYNOPSIS
 *	showq unix n - n - - showq      (master.cf)
 * DESCRIPTION
 *	A DAEMON_SINGLE service on public/showq, so that ordinary users
 *	reach it through postqueue(1) while only mail_owner reads the
 *	queue. Per connection it announces protocol "showq", reads one
 *	request (mode=text or mode=json) and streams back the listing,
 *	already formatted, then closes the connection:
 *
 *	text	Postfix's mailq layout. Postern's queue IDs are 17
 *		characters, so it is the layout Postfix uses with
 *		enable_long_queue_ids = yes (ID column 17 wide, size 8,
 *		arrival time 19), with '*' after the ID of an active
 *		message and '!' after a held one, "(reason)" lines
 *		right-aligned to column 78 before the recipients they
 *		apply to, and "-- N Kbytes in M Requests." or "Mail queue
 *		is empty" at the end;
 *	json	one object per message and line, with Postfix's field
 *		names: queue_name, queue_id, arrival_time, message_size,
 *		forced_expire, sender, recipients [address, delay_reason].
 *
 *	Queues, in Postfix's order: active, incoming, deferred, hold,
 *	maildrop; within one queue by queue ID (that is, by age). Only
 *	recipients not yet done are listed; a deferral reason comes from
 *	defer/QUEUEID ("recipient TAB reason" lines, qmgr(8)). A file
 *	that vanishes or cannot be read while we look (qmgr moves files
 *	all the time) is skipped.
 * PARAMETERS
 *	queue_directory, mail_owner (the skeleton's).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "attr.h"
#include "buf.h"
#include "daemon.h"
#include "mem.h"
#include "msg.h"
#include "queue_file.h"
#include "queue_id.h"
#include "stream.h"
#include "strv.h"

#define SHOWQ_TIMEOUT     60
#define SHOWQ_DEFER_MAX   (1024 * 1024)

static const char *showq_queues[] = {
    "active", "incoming", "deferred", "hold", "maildrop",
};

typedef struct SHOWQ_STATE {
    STREAM *out;
    int     json;
    unsigned long count;                /* messages listed */
    unsigned long bytes;                /* their total size */
} SHOWQ_STATE;

/*
 * Postfix's long-queue-ID layout (showq_compat). Postern's IDs always fill
 * the 17 columns, so the '*' or '!' takes the blank after the ID instead of
 * pushing the other columns right.
 */
#define SHOWQ_STRING_FORMAT "%-17s %8s %-19s %s\n"
#define SHOWQ_SENDER_FORMAT "%-17s%c%8ld %19.19s %s\n"

/* showq_defer_log - the contents of defer/ID, or an empty buffer. */

static BUF *showq_defer_log(const char *id)
{
    BUF    *path = buf_new(64);
    BUF    *log = buf_new(256);
    FILE   *fp;
    char    chunk[4096];
    size_t  n;

    buf_printf(path, "defer/%s", id);
    if ((fp = fopen(path->data, "re")) != 0) {
        while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0
               && log->len < SHOWQ_DEFER_MAX)
            buf_append(log, chunk, n);
        fclose(fp);
    }
    buf_free(&path);
    return (log);
}

/* showq_reason - the last deferral reason of rcpt in a defer log, or "". */

static const char *showq_reason(const STRV *lines, const char *rcpt)
{
    const char *reason = "";
    size_t  len = strlen(rcpt);

    for (size_t i = 0; i < lines->argc; i++)
        if (strncmp(lines->argv[i], rcpt, len) == 0 && lines->argv[i][len] == '\t')
            reason = lines->argv[i] + len + 1;
    return (reason);
}

/* showq_sender - the sender as postqueue shows it (text and JSON alike). */

static const char *showq_sender(const QUEUE_FILE *qf)
{
    const char *sender = queue_file_sender(qf);

    return (*sender ? sender : "MAILER-DAEMON");
}

/* showq_json_str - one JSON string, quoted as Postfix's postqueue -j does. */

static void showq_json_str(STREAM *out, const char *text)
{
    stream_puts(out, "\"");
    for (const unsigned char *cp = (const unsigned char *) text; *cp; cp++) {
        switch (*cp) {
        case '\b':
            stream_puts(out, "\\b");
            break;
        case '\f':
            stream_puts(out, "\\f");
            break;
        case '\n':
            stream_puts(out, "\\n");
            break;
        case '\r':
            stream_puts(out, "\\r");
            break;
        case '\t':
            stream_puts(out, "\\t");
            break;
        case '"':
        case '\\':
            stream_printf(out, "\\%c", *cp);
            break;
        default:
            if (*cp < 0x20 || *cp == 0x7f)
                stream_printf(out, "\\u%04X", *cp);
            else
                stream_printf(out, "%c", *cp);
            break;
        }
    }
    stream_puts(out, "\"");
}

/* showq_json_message - one message as one JSON line. */

static void showq_json_message(SHOWQ_STATE *st, const char *queue,
                               QUEUE_FILE *qf, const STRV *reasons)
{
    struct timeval arrival;
    int     n = 0;

    queue_file_arrival(qf, &arrival);
    stream_puts(st->out, "{\"queue_name\": ");
    showq_json_str(st->out, queue);
    stream_puts(st->out, ", \"queue_id\": ");
    showq_json_str(st->out, queue_file_id(qf));
    stream_printf(st->out, ", \"arrival_time\": %ld, \"message_size\": %ld, "
                  "\"forced_expire\": false, \"sender\": ",
                  (long) arrival.tv_sec, queue_file_message_size(qf));
    showq_json_str(st->out, showq_sender(qf));
    stream_puts(st->out, ", \"recipients\": [");
    for (size_t i = 0; i < queue_file_rcpt_count(qf); i++) {
        const QUEUE_FILE_RCPT *r = queue_file_rcpt(qf, i);
        const char *why;

        if (r->done)
            continue;
        why = showq_reason(reasons, r->address);
        stream_puts(st->out, n++ ? ", {\"address\": " : "{\"address\": ");
        showq_json_str(st->out, r->address);
        if (*why) {
            stream_puts(st->out, ", \"delay_reason\": ");
            showq_json_str(st->out, why);
        }
        stream_puts(st->out, "}");
    }
    stream_puts(st->out, "]}\n");
}

/* showq_text_message - one message in the mailq layout. */

static void showq_text_message(SHOWQ_STATE *st, const char *queue,
                               QUEUE_FILE *qf, const STRV *reasons)
{
    struct timeval arrival;
    time_t  when;
    struct tm tm;
    char    date[64];
    int     flag = ' ';
    const char *saved = "";

    if (st->count > 0)
        stream_puts(st->out, "\n");
    else
        stream_printf(st->out, SHOWQ_STRING_FORMAT, "----Queue ID-----",
                      "--Size--", "---Arrival Time----",
                      "--Sender/Recipient------");
    if (strcmp(queue, "active") == 0)
        flag = '*';
    else if (strcmp(queue, "hold") == 0)
        flag = '!';
    queue_file_arrival(qf, &arrival);
    when = arrival.tv_sec;
    if (localtime_r(&when, &tm) == 0 || asctime_r(&tm, date) == 0)
        snprintf(date, sizeof(date), "?");
    stream_printf(st->out, SHOWQ_SENDER_FORMAT, queue_file_id(qf), flag,
                  queue_file_message_size(qf), date,
                  showq_sender(qf));
    for (size_t i = 0; i < queue_file_rcpt_count(qf); i++) {
        const QUEUE_FILE_RCPT *r = queue_file_rcpt(qf, i);
        const char *why;
        int     pad;

        if (r->done)
            continue;
        why = showq_reason(reasons, r->address);
        /* Postfix: a "(reason)" line only where the reason changes. */
        if (strcmp(why, saved) != 0) {
            const char *show = *why ? why : "reason unavailable";

            saved = why;
            if ((pad = 76 - (int) strlen(show)) < 0)
                pad = 0;
            stream_printf(st->out, "%*s(%s)\n", pad, "", show);
        }
        stream_printf(st->out, SHOWQ_STRING_FORMAT, "", "", "", r->address);
    }
}

/* showq_message - list one queue file; skip what cannot be read. */

static void showq_message(SHOWQ_STATE *st, const char *queue, const char *id)
{
    BUF    *path = buf_new(64);
    BUF    *why = buf_new(64);
    QUEUE_FILE *qf;

    buf_printf(path, "%s/%s", queue, id);
    if (queue_file_open(path->data, QUEUE_FILE_READ, &qf, why) < 0) {
        if (errno != ENOENT)
            msg_warn("%s: %s", path->data, why->data);
    } else {
        BUF    *log = showq_defer_log(id);
        STRV   *reasons = strv_split(log->data, "\n");

        if (st->json)
            showq_json_message(st, queue, qf, reasons);
        else
            showq_text_message(st, queue, qf, reasons);
        st->count++;
        st->bytes += (unsigned long) queue_file_message_size(qf);
        strv_free(&reasons);
        buf_free(&log);
        queue_file_close(&qf);
    }
    buf_free(&path);
    buf_free(&why);
}

/* showq_queue - list one queue directory, oldest first. */

static void showq_queue(SHOWQ_STATE *st, const char *queue)
{
    DIR    *dir;
    struct dirent *de;
    STRV   *ids = strv_new();

    if ((dir = opendir(queue)) == 0) {
        if (errno != ENOENT)
            msg_warn("open queue directory %s: %m", queue);
        strv_free(&ids);
        return;
    }
    while ((de = readdir(dir)) != 0)
        if (queue_id_valid(de->d_name))
            strv_add(ids, de->d_name);
    closedir(dir);
    strv_sort(ids);
    for (size_t i = 0; i < ids->argc && stream_error(st->out) == STREAM_OK; i++)
        showq_message(st, queue, ids->argv[i]);
    strv_free(&ids);
}

static void showq_serve(int fd)
{
    STREAM *s = stream_open(fd);
    ATTR   *request = attr_new();
    SHOWQ_STATE st;
    const char *mode;
    int     status;

    stream_set_timeout(s, SHOWQ_TIMEOUT);
    if ((status = attr_announce(s, "showq")) != STREAM_OK
        || (status = attr_read(s, request, 0)) != ATTR_OK) {
        if (status != ATTR_EOF)
            msg_warn("showq request: %s", attr_strerror(status));
    } else if ((mode = attr_get_str(request, "mode")) == 0
               || (strcmp(mode, "text") != 0 && strcmp(mode, "json") != 0)) {
        msg_warn("showq request: bad or missing mode");
    } else {
        memset(&st, 0, sizeof(st));
        st.out = s;
        st.json = strcmp(mode, "json") == 0;
        for (size_t i = 0; i < sizeof(showq_queues) / sizeof(*showq_queues); i++)
            showq_queue(&st, showq_queues[i]);
        if (!st.json && st.count == 0)
            stream_puts(s, "Mail queue is empty\n");
        else if (!st.json)
            stream_printf(s, "\n-- %lu Kbytes in %lu Request%s.\n",
                          st.bytes / 1024, st.count, st.count == 1 ? "" : "s");
        if ((status = stream_flush(s)) != STREAM_OK)
            msg_warn("showq reply: %s", stream_strerror(status));
    }
    attr_free(&request);
    stream_release(&s);     /* the skeleton closes fd */
}

int     main(int argc, char **argv)
{
    DAEMON_SPEC spec;

    /* Privilege: none kept; showq runs as mail_owner in queue_directory. */
    memset(&spec, 0, sizeof(spec));
    spec.kind = DAEMON_SINGLE;
    spec.serve = showq_serve;
    return (daemon_main(argc, argv, &spec));
}
