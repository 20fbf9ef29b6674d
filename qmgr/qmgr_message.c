/* NAME
 *	qmgr_message 3
 * SUMMARY
 *	one message in the active queue: resolve, account, finish
 * DESCRIPTION
 *	On activation every pending recipient is resolved to a transport
 *	and next hop, and recipients with the same ones are grouped into
 *	delivery requests of at most the transport's recipient limit.
 *	When the last request is back the message is finished: recipients
 *	that failed for good are reported to the sender in one bounce;
 *	if none is left pending the file is removed; otherwise it goes to
 *	deferred/ with its retry time as modification time, unless it has
 *	been queued longer than maximal_queue_lifetime
 *	(bounce_queue_lifetime for a bounce), in which case what is left
 *	is returned to the sender as well.
 *
 *	postsuper -e leaves defer/QUEUEID.expire: such a message is treated
 *	as past its lifetime at its next attempt. A file that postsuper -d
 *	removed from active/ meanwhile is simply gone when the message is
 *	finished (no warning).
 *
 *	The reasons for deferral are kept in defer/QUEUEID, one line
 *	"recipient TAB reason" per recipient, for postqueue -p.
 *
 *	Before its first request goes out, a message is marked tried
 *	(queue_file_mark_tried: the file's mode goes from 0600 to 0700).
 *	Requests for a message that was marked already, because it comes
 *	back from deferred/ or from a crashed qmgr's active/, say retry=1:
 *	an earlier attempt may have delivered a recipient and died before
 *	it was marked done, and local then searches the Maildir for that
 *	copy. A first attempt says retry=0, and local's check is a single
 *	rename that fails if the copy exists (local_maildir(3)).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bounce.h"
#include "config.h"
#include "mail_log.h"
#include "mem.h"
#include "msg.h"
#include "qmgr.h"
#include "resolve_local.h"
#include "smtp_path.h"
#include "transport_map.h"

/* qmgr_transport_limit - TRANSPORT_destination_X_limit, or the default. */

static long qmgr_transport_limit(const char *transport, const char *what,
                                 PARAM_ID fallback)
{
    BUF    *name = buf_new(64);
    const char *value;
    long    limit;

    buf_printf(name, "%s_destination_%s_limit", transport, what);
    value = config_value(name->data);
    if (value == 0 || param_parse_int(value, &limit) < 0 || limit < 0)
        limit = config_int(fallback);
    buf_free(&name);
    return (limit);
}

/*
 * qmgr_resolve - transport and next hop of a recipient: 1, or 0 when
 * that cannot be known now (a table lookup failed).
 */
static int qmgr_resolve(const char *rcpt, char **transport_r, char **nexthop_r)
{
    const char *domain = 0;
    const char *route;
    const char *relayhost = config_str(P_RELAYHOST);
    int     local;

    if (smtp_path_domain(rcpt, &domain) < 0 || domain == 0 || *domain == 0)
        local = 1;
    else if ((local = resolve_local_domain(domain)) < 0)
        return (0);
    if (local) {
        route = config_str(P_LOCAL_TRANSPORT);
    } else {
        int     relay = resolve_relay_domain(domain);

        if (relay < 0)
            return (0);
        route = config_str(relay ? P_RELAY_TRANSPORT : P_DEFAULT_TRANSPORT);
    }
    /* "transport:nexthop", either part may be empty. */
    const char *colon = strchr(route, ':');

    *transport_r = colon ? mem_strndup(route, (size_t) (colon - route)) : mem_strdup(route);
    if (colon && colon[1])
        *nexthop_r = mem_strdup(colon + 1);
    else if (local)
        *nexthop_r = mem_strdup(config_str(P_MYHOSTNAME));
    else
        *nexthop_r = mem_strdup(*relayhost ? relayhost : domain);
    if (transport_map_find(rcpt, domain, transport_r, nexthop_r) < 0) {
        mem_free(*transport_r);
        mem_free(*nexthop_r);
        return (0);
    }
    return (1);
}

static int qmgr_deferred_transport(const char *transport)
{
    STRV   *list = config_list(P_DEFER_TRANSPORTS);
    int     found = strv_find(list, transport) >= 0;

    strv_free(&list);
    return (found);
}

static double qmgr_since(const struct timeval *then)
{
    struct timeval now;

    gettimeofday(&now, 0);
    return ((double) (now.tv_sec - then->tv_sec) + (now.tv_usec - then->tv_usec) / 1e6);
}

/* qmgr_log_defer - a deferral decided here, not by an agent. */

static void qmgr_log_defer(QMGR_MESSAGE *m, const char *rcpt, const char *orig,
                           const char *reason)
{
    MAIL_LOG_DELIVERY d;

    memset(&d, 0, sizeof(d));
    d.queue_id = m->queue_id;
    d.recipient = rcpt;
    d.orig_recipient = orig;
    d.relay = "none";
    d.delay = qmgr_since(&m->arrival);
    d.delays[0] = (double) (m->active.tv_sec - m->arrival.tv_sec)
        + (m->active.tv_usec - m->arrival.tv_usec) / 1e6;
    d.delays[1] = qmgr_since(&m->active);
    d.dsn = "4.3.0";
    d.status = "deferred";
    d.reason = reason;
    mail_log_delivery(&d);
    buf_printf(m->defer_log, "%s\t%s\n", rcpt, reason);
}

/* qmgr_job_for - the open job for this route, or a new one. */

static QMGR_JOB *qmgr_job_for(QMGR_MESSAGE *m, const char *transport,
                              const char *nexthop, const char *rcpt)
{
    long    limit = qmgr_transport_limit(transport, "recipient",
                                         strcmp(transport, "local") == 0 ?
                                         P_LOCAL_DESTINATION_RECIPIENT_LIMIT :
                                         P_DEFAULT_DESTINATION_RECIPIENT_LIMIT);
    QMGR_JOB *job, **tail;
    BUF    *key;

    /* One request carries at most QMGR_REQUEST_MAX recipients. */
    if (limit == 0 || limit > QMGR_REQUEST_MAX)
        limit = QMGR_REQUEST_MAX;

    for (tail = &m->todo; (job = *tail) != 0; tail = &job->next)
        if (strcmp(job->transport, transport) == 0 && strcmp(job->nexthop, nexthop) == 0
            && (long) job->request->count < limit)
            return (job);
    job = mem_calloc(1, sizeof(*job));
    job->message = m;
    job->transport = mem_strdup(transport);
    job->nexthop = mem_strdup(nexthop);
    /* A recipient limit of 1 makes each recipient its own destination. */
    key = buf_new(64);
    buf_printf(key, "%s:%s", transport, limit == 1 ? rcpt : nexthop);
    job->dest_key = buf_export(&key);
    job->request = deliver_request_new("active", m->queue_id, nexthop, m->sender,
                                       &m->arrival, &m->active);
    job->request->retry = m->retry;
    *tail = job;
    return (job);
}

static void qmgr_message_free(QMGR_MESSAGE *m)
{
    queue_file_close(&m->qf);
    mem_free(m->sender);
    buf_free(&m->defer_log);
    buf_free(&m->bounce_list);
    mem_free(m);
}

/* qmgr_corrupt - an unreadable file goes to corrupt/ for a human to see. */

static void qmgr_corrupt(const char *queue_id, const char *why)
{
    BUF    *from = buf_new(64);
    BUF    *to = buf_new(64);

    buf_printf(from, "active/%s", queue_id);
    buf_printf(to, "corrupt/%s", queue_id);
    msg_warn("%s: corrupt queue file: %s; moved to corrupt queue", queue_id, why);
    if (rename(from->data, to->data) < 0)
        msg_warn("rename %s to %s: %m", from->data, to->data);
    buf_free(&from);
    buf_free(&to);
}

void    qmgr_message_activate(const char *queue_id)
{
    QMGR_MESSAGE *m = mem_calloc(1, sizeof(*m));
    BUF    *path = buf_new(64);
    BUF    *why = buf_new(64);
    size_t  count, pending = 0;

    snprintf(m->queue_id, sizeof(m->queue_id), "%s", queue_id);
    m->defer_log = buf_new(64);
    m->bounce_list = buf_new(64);
    gettimeofday(&m->active, 0);
    buf_printf(path, "active/%s", queue_id);
    if (queue_file_open(path->data, QUEUE_FILE_READ, &m->qf, why) < 0) {
        if (errno == EBADMSG)
            qmgr_corrupt(queue_id, why->data);
        else if (errno != ENOENT)
            msg_warn("%s: open queue file: %s", queue_id, why->data);
        buf_free(&path);
        buf_free(&why);
        qmgr_message_free(m);
        return;
    }
    /* Unknown (-1) counts as tried: the agent then looks harder. */
    m->retry = queue_file_mark_tried(path->data) != 0;
    buf_free(&path);
    buf_free(&why);
    qmgr_active_count++;
    m->sender = mem_strdup(queue_file_sender(m->qf));
    queue_file_arrival(m->qf, &m->arrival);
    m->size = queue_file_message_size(m->qf);
    count = queue_file_rcpt_count(m->qf);
    for (size_t i = 0; i < count; i++)
        if (!queue_file_rcpt(m->qf, i)->done)
            pending++;
    mail_log_from(m->queue_id, m->sender, m->size, (int) pending);

    for (size_t i = 0; i < count; i++) {
        const QUEUE_FILE_RCPT *r = queue_file_rcpt(m->qf, i);
        char   *transport, *nexthop;

        if (r->done)
            continue;
        if (!qmgr_resolve(r->address, &transport, &nexthop)) {
            qmgr_log_defer(m, r->address, r->orig, "address resolver failure");
            continue;
        }
        if (qmgr_deferred_transport(transport))
            qmgr_log_defer(m, r->address, r->orig, "deferred transport");
        else
            deliver_request_add(qmgr_job_for(m, transport, nexthop, r->address)->request,
                                r->address, r->orig ? r->orig : "", (long) i);
        mem_free(transport);
        mem_free(nexthop);
    }
    qmgr_sched_add(m);
}

static long qmgr_backoff(const QMGR_MESSAGE *m)
{
    long    age = (long) qmgr_since(&m->arrival);
    long    min = config_time(P_MINIMAL_BACKOFF_TIME);
    long    max = config_time(P_MAXIMAL_BACKOFF_TIME);

    /* The retry interval grows with the message's age, within limits. */
    if (age > max)
        age = max;
    if (age < min)
        age = min;
    return (age);
}

static void qmgr_write_defer_log(const QMGR_MESSAGE *m)
{
    BUF    *path = buf_new(64);
    BUF    *tmp = buf_new(64);
    int     fd;

    buf_printf(path, "defer/%s", m->queue_id);
    buf_printf(tmp, "defer/.%s", m->queue_id);
    if ((fd = open(tmp->data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0
        || write(fd, m->defer_log->data, m->defer_log->len) != (ssize_t) m->defer_log->len
        || close(fd) < 0 || rename(tmp->data, path->data) < 0)
        msg_warn("%s: update defer log %s: %m", m->queue_id, path->data);
    buf_free(&path);
    buf_free(&tmp);
}

/* qmgr_bounce_list - BOUNCE_RCPTs from "rcpt\torig\tdsn\trelay\treason" lines. */

static void qmgr_send_bounce(QMGR_MESSAGE *m, const BUF *list, int kind)
{
    STRV   *lines = strv_split(list->data, "\n");
    BOUNCE_RCPT *rcpts = mem_calloc(lines->argc, sizeof(BOUNCE_RCPT));
    STRV  **fields = mem_calloc(lines->argc, sizeof(STRV *));
    char    id[QUEUE_ID_SIZE];

    for (size_t i = 0; i < lines->argc; i++) {
        fields[i] = strv_new();
        for (char *cp = lines->argv[i], *tab; cp; cp = tab ? tab + 1 : 0) {
            tab = strchr(cp, '\t');
            strv_addn(fields[i], cp, tab ? (size_t) (tab - cp) : strlen(cp));
        }
        while (fields[i]->argc < 5)
            strv_add(fields[i], "");
        rcpts[i].address = fields[i]->argv[0];
        rcpts[i].orig = *fields[i]->argv[1] ? fields[i]->argv[1] : 0;
        rcpts[i].dsn = fields[i]->argv[2];
        rcpts[i].relay = *fields[i]->argv[3] ? fields[i]->argv[3] : 0;
        rcpts[i].reason = fields[i]->argv[4];
        rcpts[i].action = kind == BOUNCE_DELAYED ? "delayed" : "failed";
    }
    if (bounce_notify(m->qf, kind, rcpts, lines->argc, id) < 0)
        msg_warn("%s: cannot create notification: %m", m->queue_id);
    for (size_t i = 0; i < lines->argc; i++)
        strv_free(&fields[i]);
    mem_free(fields);
    mem_free(rcpts);
    strv_free(&lines);
}

/* qmgr_expire - return what is still pending to the sender, for good. */

static void qmgr_expire(QMGR_MESSAGE *m)
{
    STRV   *lines = strv_split(m->defer_log->data, "\n");
    BUF    *path = buf_new(64);
    QUEUE_FILE *update;
    BUF    *why = buf_new(64);
    MAIL_LOG_DELIVERY d;

    buf_printf(path, "active/%s", m->queue_id);
    if (queue_file_open(path->data, QUEUE_FILE_UPDATE, &update, why) < 0) {
        msg_warn("%s: open for update: %s", m->queue_id, why->data);
        update = 0;
    }
    for (size_t i = 0; i < lines->argc; i++) {
        char   *tab = strchr(lines->argv[i], '\t');
        const char *reason = tab ? tab + 1 : "";

        if (tab)
            *tab = 0;
        memset(&d, 0, sizeof(d));
        d.queue_id = m->queue_id;
        d.recipient = lines->argv[i];
        d.relay = "none";
        d.delay = qmgr_since(&m->arrival);
        d.dsn = "4.4.7";
        d.status = "expired, returned to sender";
        d.reason = reason;
        mail_log_delivery(&d);
        buf_printf(m->bounce_list, "%s\t\t4.4.7\t\tmessage expired: %s\n",
                   lines->argv[i], reason);
        for (size_t r = 0; update && r < queue_file_rcpt_count(update); r++) {
            const QUEUE_FILE_RCPT *rcpt = queue_file_rcpt(update, r);

            if (!rcpt->done && strcmp(rcpt->address, lines->argv[i]) == 0)
                (void) queue_file_mark_done(update, r, 0);
        }
    }
    queue_file_close(&update);
    buf_reset(m->defer_log);
    strv_free(&lines);
    buf_free(&path);
    buf_free(&why);
}

/*
 * qmgr_mark_warned - record in the queue file that the sender got the
 * delay notice: 1 when this call recorded it, 0 when it was recorded
 * before or cannot be (a file without a warning record gets none).
 */
static int qmgr_mark_warned(QMGR_MESSAGE *m)
{
    BUF    *path = buf_new(64);
    BUF    *why = buf_new(64);
    QUEUE_FILE *update;
    int     marked = 0;

    buf_printf(path, "active/%s", m->queue_id);
    if (queue_file_warn_time(m->qf) == 0
        && queue_file_open(path->data, QUEUE_FILE_UPDATE, &update, why) == 0) {
        marked = queue_file_set_warn(update, time((time_t *) 0)) == 0;
        queue_file_close(&update);
    }
    buf_free(&path);
    buf_free(&why);
    return (marked);
}

/* qmgr_expire_requested - did postsuper -e mark the message? */

static int qmgr_expire_requested(QMGR_MESSAGE *m)
{
    BUF    *path = buf_new(64);
    int     marked;

    buf_printf(path, "defer/%s.expire", m->queue_id);
    marked = access(path->data, F_OK) == 0;
    buf_free(&path);
    return (marked);
}

/* qmgr_message_finish - every request is back: decide where it goes. */

static void qmgr_message_finish(QMGR_MESSAGE *m)
{
    long    lifetime = config_time(*m->sender ? P_MAXIMAL_QUEUE_LIFETIME :
                                   P_BOUNCE_QUEUE_LIFETIME);
    BUF    *path = buf_new(64);

    if (m->defer_log->len && (qmgr_since(&m->arrival) > lifetime
                              || qmgr_expire_requested(m)))
        qmgr_expire(m);
    if (m->bounce_list->len) {
        qmgr_send_bounce(m, m->bounce_list, BOUNCE_FAILED);
        qmgr_scan_soon();               /* the notice waits in incoming/ */
    }
    buf_printf(path, "active/%s", m->queue_id);
    if (m->defer_log->len) {
        BUF    *to = buf_new(64);
        struct timespec times[2];
        long    warn = config_time(P_DELAY_WARNING_TIME);

        qmgr_write_defer_log(m);
        buf_printf(to, "deferred/%s", m->queue_id);
        clock_gettime(CLOCK_REALTIME, &times[0]);
        times[1] = times[0];
        times[1].tv_sec += qmgr_backoff(m);
        times[0].tv_sec = times[1].tv_sec;
        /* One delay notice, once the message is older than delay_warning_time. */
        if (warn > 0 && *m->sender && qmgr_since(&m->arrival) >= warn
            && qmgr_mark_warned(m)) {
            BUF    *list = buf_new(64);
            STRV   *lines = strv_split(m->defer_log->data, "\n");

            for (size_t i = 0; i < lines->argc; i++) {
                char   *tab = strchr(lines->argv[i], '\t');

                if (tab)
                    *tab = 0;
                buf_printf(list, "%s\t\t4.0.0\t\t%s\n", lines->argv[i], tab ? tab + 1 : "");
            }
            qmgr_send_bounce(m, list, BOUNCE_DELAYED);
            qmgr_scan_soon();
            strv_free(&lines);
            buf_free(&list);
        }
        queue_file_close(&m->qf);
        if (utimensat(AT_FDCWD, path->data, times, 0) < 0 && errno != ENOENT)
            msg_warn("%s: set retry time: %m", m->queue_id);
        if (rename(path->data, to->data) < 0 && errno != ENOENT)
            msg_warn("rename %s to %s: %m", path->data, to->data);
        buf_free(&to);
    } else {
        BUF    *defer = buf_new(64);

        queue_file_close(&m->qf);
        buf_printf(defer, "defer/%s", m->queue_id);
        (void) unlink(defer->data);
        buf_puts(defer, ".expire");
        (void) unlink(defer->data);
        if (unlink(path->data) == 0)
            mail_log_removed(m->queue_id);
        else if (errno != ENOENT)           /* ENOENT: postsuper -d did it */
            msg_warn("remove %s: %m", path->data);
        buf_free(&defer);
    }
    buf_free(&path);
    qmgr_active_count--;
    qmgr_message_free(m);
}

/* qmgr_message_job_done - one request is back, with per-recipient results. */

void    qmgr_message_job_done(QMGR_JOB *job)
{
    QMGR_MESSAGE *m = job->message;
    DELIVER_REQUEST *req = job->request;

    for (size_t i = 0; i < req->count; i++) {
        DELIVER_RCPT *r = req->rcpts + i;

        if (job->err) {
            qmgr_log_defer(m, r->address, *r->orig ? r->orig : 0,
                           job->err == ENOENT || job->err == ECONNREFUSED ?
                           "mail transport unavailable" : "delivery agent failure");
        } else if (r->status == DELIVER_DEFER) {
            buf_printf(m->defer_log, "%s\t%s\n", r->address, r->reason ? r->reason : "");
        } else if (r->status == DELIVER_BOUNCE) {
            buf_printf(m->bounce_list, "%s\t%s\t%s\t%s\t%s\n", r->address, r->orig,
                       r->dsn ? r->dsn : "5.0.0", r->relay ? r->relay : "",
                       r->reason ? r->reason : "");
        }
    }
    deliver_request_free(&job->request);
    mem_free(job->transport);
    mem_free(job->nexthop);
    mem_free(job->dest_key);
    mem_free(job);
    if (--m->in_flight == 0 && m->waiting == 0)
        qmgr_message_finish(m);
}

/* qmgr_message_idle - finish a message that has nothing (left) to deliver. */

void    qmgr_message_idle(QMGR_MESSAGE *m)
{
    if (m->in_flight == 0 && m->waiting == 0)
        qmgr_message_finish(m);
}
