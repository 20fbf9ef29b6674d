/* NAME
 *	qmgr_sched 3
 * SUMMARY
 *	which delivery request runs next
 * DESCRIPTION
 *	Messages with work to do are served round-robin, one request each
 *	per turn, so that one large mailing never starves a single
 *	message. A request starts only while its destination is below the
 *	transport's concurrency limit (TRANSPORT_destination_concurrency_limit,
 *	else local_ or default_destination_concurrency_limit) and fewer
 *	than QMGR_SCHED_MAX requests run in all.
 */
#include <string.h>

#include "config.h"
#include "htable.h"
#include "mem.h"
#include "msg.h"
#include "qmgr.h"

#define QMGR_SCHED_MAX  64              /* the delivery threads */

static QMGR_MESSAGE *qmgr_sched_head;   /* messages with jobs not started */
static QMGR_MESSAGE **qmgr_sched_tail = &qmgr_sched_head;
static HTABLE *qmgr_sched_dests;        /* dest_key -> (long) in flight */
static int qmgr_sched_running;

static long qmgr_sched_dest_limit(const char *transport)
{
    BUF    *name = buf_new(64);
    const char *value;
    long    limit;

    buf_printf(name, "%s_destination_concurrency_limit", transport);
    value = config_value(name->data);
    if (value == 0 || param_parse_int(value, &limit) < 0 || limit < 0)
        limit = config_int(strcmp(transport, "local") == 0 ?
                           P_LOCAL_DESTINATION_CONCURRENCY_LIMIT :
                           P_DEFAULT_DESTINATION_CONCURRENCY_LIMIT);
    buf_free(&name);
    return (limit);
}

static long qmgr_sched_dest_count(const char *key)
{
    return ((long) (size_t) htable_find(qmgr_sched_dests, key));
}

static void qmgr_sched_dest_add(const char *key, long delta)
{
    long    count = qmgr_sched_dest_count(key) + delta;

    if (count > 0)
        htable_enter(qmgr_sched_dests, key, (void *) (size_t) count);
    else
        htable_remove(qmgr_sched_dests, key);
}

void    qmgr_sched_add(QMGR_MESSAGE *m)
{
    if (qmgr_sched_dests == 0)
        qmgr_sched_dests = htable_new(64);
    if (m->todo == 0) {
        qmgr_message_idle(m);           /* nothing to deliver: finish now */
        return;
    }
    m->next = 0;
    *qmgr_sched_tail = m;
    qmgr_sched_tail = &m->next;
}

static void qmgr_sched_unlink(QMGR_MESSAGE *m)
{
    QMGR_MESSAGE **pp;

    for (pp = &qmgr_sched_head; *pp; pp = &(*pp)->next) {
        if (*pp == m) {
            *pp = m->next;
            break;
        }
    }
    qmgr_sched_tail = &qmgr_sched_head;
    while (*qmgr_sched_tail)
        qmgr_sched_tail = &(*qmgr_sched_tail)->next;
}

/* qmgr_sched_take - start the first job of m whose destination has room. */

static int qmgr_sched_take(QMGR_MESSAGE *m)
{
    for (QMGR_JOB **pp = &m->todo; *pp; pp = &(*pp)->next) {
        QMGR_JOB *job = *pp;
        long    limit = qmgr_sched_dest_limit(job->transport);

        if (limit > 0 && qmgr_sched_dest_count(job->dest_key) >= limit)
            continue;
        *pp = job->next;
        job->next = 0;
        m->in_flight++;
        qmgr_sched_running++;
        qmgr_sched_dest_add(job->dest_key, 1);
        qmgr_deliver_start(job);
        return (1);
    }
    return (0);
}

void    qmgr_sched_run(void)
{
    int     started;

    do {
        started = 0;
        for (QMGR_MESSAGE *m = qmgr_sched_head, *next; m; m = next) {
            next = m->next;
            if (qmgr_sched_running >= QMGR_SCHED_MAX)
                return;
            started += qmgr_sched_take(m);
            if (m->todo == 0)
                qmgr_sched_unlink(m);
        }
    } while (started);
}

void    qmgr_sched_job_finished(QMGR_JOB *job)
{
    qmgr_sched_running--;
    qmgr_sched_dest_add(job->dest_key, -1);
    qmgr_message_job_done(job);
    qmgr_sched_run();
}
