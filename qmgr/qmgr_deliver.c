/* NAME
 *	qmgr_deliver 3
 * SUMMARY
 *	run delivery requests off the event loop
 * DESCRIPTION
 *	A delivery request waits for its agent to finish (seconds for a
 *	remote host), so each runs in a worker thread (workq(3)): the thread
 *	makes the IPC call (deliver_request_call) and nothing else, and the
 *	job comes back to the loop, where everything that touches queue
 *	state happens.
 */
#include <errno.h>

#include "config.h"
#include "daemon.h"
#include "qmgr.h"
#include "workq.h"

#define QMGR_DELIVER_THREADS 64

static WORKQ *qmgr_deliver_queue;
static int qmgr_deliver_timeout;

static void qmgr_deliver_work(void *context)
{
    QMGR_JOB *job = context;

    errno = 0;
    job->err = deliver_request_call(job->transport, job->request,
                                    qmgr_deliver_timeout) < 0 ?
        (errno ? errno : EPROTO) : 0;
}

static void qmgr_deliver_finished(void *context)
{
    qmgr_sched_job_finished((QMGR_JOB *) context);
}

void    qmgr_deliver_init(void)
{
    qmgr_deliver_timeout = (int) config_time(P_IPC_TIMEOUT);
    qmgr_deliver_queue = workq_new(daemon_events(), QMGR_DELIVER_THREADS,
                                   qmgr_deliver_work, qmgr_deliver_finished, 0);
}

void    qmgr_deliver_start(QMGR_JOB *job)
{
    workq_submit(qmgr_deliver_queue, job);
}
