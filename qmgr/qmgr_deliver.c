/* NAME
 *	qmgr_deliver 3
 * SUMMARY
 *	run delivery requests off the event loop
 * DESCRIPTION
 *	A delivery request waits for its agent to finish (seconds for a
 *	remote host), so each runs in a worker thread: the thread makes the
 *	IPC call (deliver_request_call) and nothing else, then hands the job
 *	back to the loop through an eventfd. Everything that touches queue
 *	state stays on the loop thread.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "config.h"
#include "daemon.h"
#include "mem.h"
#include "msg.h"
#include "qmgr.h"

#define QMGR_DELIVER_THREADS 64

static pthread_mutex_t qmgr_deliver_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t qmgr_deliver_wanted = PTHREAD_COND_INITIALIZER;
static QMGR_JOB *qmgr_deliver_todo;
static QMGR_JOB **qmgr_deliver_todo_tail = &qmgr_deliver_todo;
static QMGR_JOB *qmgr_deliver_done;
static int qmgr_deliver_event = -1;
static int qmgr_deliver_timeout;

static void *qmgr_deliver_worker(void *arg)
{
    (void) arg;
    for (;;) {
        QMGR_JOB *job;
        uint64_t one = 1;

        pthread_mutex_lock(&qmgr_deliver_lock);
        while (qmgr_deliver_todo == 0)
            pthread_cond_wait(&qmgr_deliver_wanted, &qmgr_deliver_lock);
        job = qmgr_deliver_todo;
        if ((qmgr_deliver_todo = job->next) == 0)
            qmgr_deliver_todo_tail = &qmgr_deliver_todo;
        pthread_mutex_unlock(&qmgr_deliver_lock);

        errno = 0;
        job->err = deliver_request_call(job->transport, job->request,
                                        qmgr_deliver_timeout) < 0 ?
            (errno ? errno : EPROTO) : 0;

        pthread_mutex_lock(&qmgr_deliver_lock);
        job->done_next = qmgr_deliver_done;
        qmgr_deliver_done = job;
        pthread_mutex_unlock(&qmgr_deliver_lock);
        if (write(qmgr_deliver_event, &one, sizeof(one)) != sizeof(one))
            msg_warn("delivery notification: %m");
    }
    return (0);
}

static void qmgr_deliver_reap(int fd, int ready, void *context)
{
    QMGR_JOB *done, *next;
    uint64_t count;

    (void) ready;
    (void) context;
    if (read(fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
        msg_warn("delivery notification: %m");
    pthread_mutex_lock(&qmgr_deliver_lock);
    done = qmgr_deliver_done;
    qmgr_deliver_done = 0;
    pthread_mutex_unlock(&qmgr_deliver_lock);
    for (; done; done = next) {
        next = done->done_next;
        qmgr_sched_job_finished(done);
    }
}

void    qmgr_deliver_init(void)
{
    pthread_attr_t attr;
    pthread_t tid;

    qmgr_deliver_timeout = (int) config_time(P_IPC_TIMEOUT);
    if ((qmgr_deliver_event = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0)
        msg_fatal("eventfd: %m");
    events_watch(daemon_events(), qmgr_deliver_event, EVENTS_READ, qmgr_deliver_reap, 0);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    for (int i = 0; i < QMGR_DELIVER_THREADS; i++)
        if ((errno = pthread_create(&tid, &attr, qmgr_deliver_worker, 0)) != 0)
            msg_fatal("pthread_create: %m");
    pthread_attr_destroy(&attr);
}

void    qmgr_deliver_start(QMGR_JOB *job)
{
    pthread_mutex_lock(&qmgr_deliver_lock);
    job->next = 0;
    *qmgr_deliver_todo_tail = job;
    qmgr_deliver_todo_tail = &job->next;
    pthread_cond_signal(&qmgr_deliver_wanted);
    pthread_mutex_unlock(&qmgr_deliver_lock);
}
