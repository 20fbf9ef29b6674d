/* NAME
 *	qmgr_sched 3
 * SUMMARY
 *	which delivery request runs next
 * DESCRIPTION
 *	Each destination (a transport's next hop, or for transports that
 *	deliver one recipient per request, the recipient) has its own queue
 *	of waiting requests, kept per message and served round-robin among
 *	messages, so one large mailing to a destination never starves a
 *	single message to the same destination. Destinations with waiting
 *	requests and room under their concurrency limit
 *	(TRANSPORT_destination_concurrency_limit, else local_ or
 *	default_destination_concurrency_limit) are served round-robin too,
 *	while fewer than QMGR_SCHED_MAX requests run in all.
 *
 *	Every step is O(1) in the size of the queue: a finished request
 *	looks only at its own destination, which is what keeps a backlog of
 *	thousands of messages cheap.
 */
#include <string.h>

#include "config.h"
#include "htable.h"
#include "mem.h"
#include "msg.h"
#include "qmgr.h"

#define QMGR_SCHED_MAX  64              /* the delivery threads */

typedef struct QMGR_DEST_MSG {          /* one message's jobs for a destination */
    QMGR_JOB *jobs;
    QMGR_JOB **jobs_tail;
    QMGR_MESSAGE *message;
    struct QMGR_DEST_MSG *next;
} QMGR_DEST_MSG;

typedef struct QMGR_DEST {
    char   *key;
    long    limit;                      /* 0: no limit */
    int     running;
    QMGR_DEST_MSG *head;                /* round-robin over messages */
    QMGR_DEST_MSG **tail;
    QMGR_DEST_MSG *last;                /* the entry *tail belongs to */
    int     ready;                      /* on the ready list */
    struct QMGR_DEST *ready_next;
} QMGR_DEST;

static HTABLE *qmgr_sched_dests;        /* key -> QMGR_DEST */
static HTABLE *qmgr_sched_limits;       /* transport -> (long) limit + 1 */
static QMGR_DEST *qmgr_sched_ready;     /* destinations that can start a job */
static QMGR_DEST **qmgr_sched_ready_tail = &qmgr_sched_ready;
static int qmgr_sched_running;

/* qmgr_sched_dest_limit - a transport's concurrency limit, looked up once. */

static long qmgr_sched_dest_limit(const char *transport)
{
    BUF    *name;
    const char *value;
    long    limit;
    void   *cached;

    if (qmgr_sched_limits == 0)
        qmgr_sched_limits = htable_new(8);
    if ((cached = htable_find(qmgr_sched_limits, transport)) != 0)
        return ((long) (size_t) cached - 1);
    name = buf_new(64);
    buf_printf(name, "%s_destination_concurrency_limit", transport);
    value = config_value(name->data);
    if (value == 0 || param_parse_int(value, &limit) < 0 || limit < 0)
        limit = config_int(strcmp(transport, "local") == 0 ?
                           P_LOCAL_DESTINATION_CONCURRENCY_LIMIT :
                           P_DEFAULT_DESTINATION_CONCURRENCY_LIMIT);
    buf_free(&name);
    htable_enter(qmgr_sched_limits, transport, (void *) (size_t) (limit + 1));
    return (limit);
}

static QMGR_DEST *qmgr_sched_dest(const QMGR_JOB *job)
{
    QMGR_DEST *dest;

    if (qmgr_sched_dests == 0)
        qmgr_sched_dests = htable_new(64);
    if ((dest = htable_find(qmgr_sched_dests, job->dest_key)) == 0) {
        dest = mem_calloc(1, sizeof(*dest));
        dest->key = mem_strdup(job->dest_key);
        dest->limit = qmgr_sched_dest_limit(job->transport);
        dest->tail = &dest->head;
        htable_enter(qmgr_sched_dests, dest->key, dest);
    }
    return (dest);
}

static int qmgr_sched_can_start(const QMGR_DEST *dest)
{
    return (dest->head != 0 && (dest->limit == 0 || dest->running < dest->limit));
}

static void qmgr_sched_make_ready(QMGR_DEST *dest)
{
    if (dest->ready || !qmgr_sched_can_start(dest))
        return;
    dest->ready = 1;
    dest->ready_next = 0;
    *qmgr_sched_ready_tail = dest;
    qmgr_sched_ready_tail = &dest->ready_next;
}

/* qmgr_sched_forget - a destination with nothing waiting or running goes. */

static void qmgr_sched_forget(QMGR_DEST *dest)
{
    if (dest->head == 0 && dest->running == 0 && !dest->ready) {
        htable_remove(qmgr_sched_dests, dest->key);
        mem_free(dest->key);
        mem_free(dest);
    }
}

/* qmgr_sched_add - queue every job of a newly activated message. */

void    qmgr_sched_add(QMGR_MESSAGE *m)
{
    QMGR_JOB *job, *next;

    if (m->todo == 0) {
        qmgr_message_idle(m);           /* nothing to deliver: finish now */
        return;
    }
    for (job = m->todo; job; job = next) {
        QMGR_DEST *dest = qmgr_sched_dest(job);
        QMGR_DEST_MSG *entry;

        next = job->next;
        job->next = 0;
        /* This message's jobs are added together: its entry, if any, is last. */
        if ((entry = dest->head ? dest->last : 0) == 0 || entry->message != m) {
            entry = mem_calloc(1, sizeof(*entry));
            entry->message = m;
            entry->jobs_tail = &entry->jobs;
            *dest->tail = entry;
            dest->tail = &entry->next;
            dest->last = entry;
        }
        *entry->jobs_tail = job;
        entry->jobs_tail = &job->next;
        m->waiting++;
        qmgr_sched_make_ready(dest);
    }
    m->todo = 0;
}

/* qmgr_sched_start_one - the next job of a destination, round-robin by message. */

static void qmgr_sched_start_one(QMGR_DEST *dest)
{
    QMGR_DEST_MSG *entry = dest->head;
    QMGR_JOB *job = entry->jobs;

    if ((entry->jobs = job->next) == 0)
        entry->jobs_tail = &entry->jobs;
    dest->head = entry->next;
    if (dest->head == 0)
        dest->tail = &dest->head;
    if (entry->jobs) {                  /* more to do: go to the back */
        entry->next = 0;
        *dest->tail = entry;
        dest->tail = &entry->next;
        dest->last = entry;
    } else {
        mem_free(entry);
    }
    job->next = 0;
    dest->running++;
    job->message->waiting--;
    job->message->in_flight++;
    qmgr_sched_running++;
    qmgr_deliver_start(job);
}

void    qmgr_sched_run(void)
{
    while (qmgr_sched_ready && qmgr_sched_running < QMGR_SCHED_MAX) {
        QMGR_DEST *dest = qmgr_sched_ready;

        if ((qmgr_sched_ready = dest->ready_next) == 0)
            qmgr_sched_ready_tail = &qmgr_sched_ready;
        dest->ready = 0;
        qmgr_sched_start_one(dest);
        qmgr_sched_make_ready(dest);    /* round-robin among destinations */
    }
}

void    qmgr_sched_job_finished(QMGR_JOB *job)
{
    QMGR_DEST *dest = htable_find(qmgr_sched_dests, job->dest_key);

    qmgr_sched_running--;
    if (dest == 0)
        msg_panic("qmgr_sched_job_finished: no destination %s", job->dest_key);
    dest->running--;
    qmgr_message_job_done(job);
    qmgr_sched_make_ready(dest);
    qmgr_sched_forget(dest);
    qmgr_sched_run();
}
