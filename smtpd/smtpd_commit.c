/* NAME
 *	smtpd_commit 3
 * SUMMARY
 *	durable queue file commits off the event loop
 * DESCRIPTION
 *	queue_file_commit() waits for the disk (fsync of the file and of
 *	the directory). Done on the event loop, one slow disk would stall
 *	every session of the process; so a pool of threads does it
 *	(workq(3)), and many commits can wait for the disk at once, which
 *	lets the file system merge them into one journal commit. The
 *	session waits in SMTPD_STATE_COMMIT meanwhile and reads no input,
 *	so the client's next command is answered in order.
 */
#include <errno.h>

#include "daemon.h"
#include "mail_connect.h"
#include "master_proto.h"
#include "mem.h"
#include "smtpd.h"
#include "workq.h"

#define SMTPD_COMMIT_THREADS 16

typedef struct SMTPD_COMMIT_JOB {
    SMTPD_SESSION *session;
    QUEUE_FILE *qf;
    int     err;
    char    id[QUEUE_ID_SIZE];
} SMTPD_COMMIT_JOB;

static WORKQ *smtpd_commit_queue;
static int smtpd_commit_count;          /* committed in this batch */

/* smtpd_commit_work - in a worker thread: the one blocking call. */

static void smtpd_commit_work(void *context)
{
    SMTPD_COMMIT_JOB *job = context;

    job->err = queue_file_commit(job->qf, job->id) < 0 ? (errno ? errno : EIO) : 0;
}

static void smtpd_commit_finished(void *context)
{
    SMTPD_COMMIT_JOB *job = context;

    smtpd_commit_count += job->err == 0;
    smtpd_commit_done(job->session, job->err, job->id);
    mem_free(job);
}

/* smtpd_commit_batch - one qmgr wakeup per batch; no qmgr is fine (mail waits). */

static void smtpd_commit_batch(void)
{
    char    request = MASTER_TRIGGER_SCAN;

    if (smtpd_commit_count > 0)
        (void) mail_trigger("public", "qmgr", &request, 1);
    smtpd_commit_count = 0;
}

void    smtpd_commit_init(void)
{
    smtpd_commit_queue = workq_new(daemon_events(), SMTPD_COMMIT_THREADS,
                                   smtpd_commit_work, smtpd_commit_finished,
                                   smtpd_commit_batch);
}

/* smtpd_commit_start - the session gives up its queue file to a worker. */

void    smtpd_commit_start(SMTPD_SESSION *s)
{
    SMTPD_COMMIT_JOB *job = mem_calloc(1, sizeof(*job));

    job->session = s;
    job->qf = s->qf;
    s->qf = 0;
    events_cancel(daemon_events(), &s->timer);
    events_unwatch(daemon_events(), s->fd);
    workq_submit(smtpd_commit_queue, job);
}
