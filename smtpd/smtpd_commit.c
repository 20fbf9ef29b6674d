/* NAME
 *	smtpd_commit 3
 * SUMMARY
 *	durable queue file commits off the event loop
 * DESCRIPTION
 *	queue_file_commit() waits for the disk (fsync of the file, rename,
 *	fsync of the directory). Done on the event loop, one slow disk
 *	would stall every session of the process; so a few worker threads
 *	do it, and report back through an eventfd that the loop watches.
 *	The session waits in SMTPD_STATE_COMMIT meanwhile and reads no
 *	input, so the client's next command is answered in order.
 *
 *	The threads touch nothing but the QUEUE_FILE they were handed and
 *	the two job lists, which a mutex guards.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "daemon.h"
#include "mail_connect.h"
#include "master_proto.h"
#include "mem.h"
#include "msg.h"
#include "smtpd.h"

#define SMTPD_COMMIT_THREADS 16

typedef struct SMTPD_COMMIT_JOB {
    SMTPD_SESSION *session;
    QUEUE_FILE *qf;
    int     err;
    char    id[QUEUE_ID_SIZE];
    struct SMTPD_COMMIT_JOB *next;
} SMTPD_COMMIT_JOB;

static pthread_mutex_t smtpd_commit_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t smtpd_commit_wanted = PTHREAD_COND_INITIALIZER;
static SMTPD_COMMIT_JOB *smtpd_commit_todo;     /* FIFO */
static SMTPD_COMMIT_JOB **smtpd_commit_todo_tail = &smtpd_commit_todo;
static SMTPD_COMMIT_JOB *smtpd_commit_finished;
static int smtpd_commit_event = -1;

static void *smtpd_commit_worker(void *arg)
{
    (void) arg;
    for (;;) {
        SMTPD_COMMIT_JOB *job;
        uint64_t one = 1;

        pthread_mutex_lock(&smtpd_commit_lock);
        while (smtpd_commit_todo == 0)
            pthread_cond_wait(&smtpd_commit_wanted, &smtpd_commit_lock);
        job = smtpd_commit_todo;
        if ((smtpd_commit_todo = job->next) == 0)
            smtpd_commit_todo_tail = &smtpd_commit_todo;
        pthread_mutex_unlock(&smtpd_commit_lock);

        job->err = queue_file_commit(job->qf, job->id) < 0 ? (errno ? errno : EIO) : 0;

        pthread_mutex_lock(&smtpd_commit_lock);
        job->next = smtpd_commit_finished;
        smtpd_commit_finished = job;
        pthread_mutex_unlock(&smtpd_commit_lock);
        if (write(smtpd_commit_event, &one, sizeof(one)) != sizeof(one))
            msg_warn("commit notification: %m");
    }
    return (0);
}

/* smtpd_commit_reap - on the loop: hand finished commits to their sessions. */

static void smtpd_commit_reap(int fd, int ready, void *context)
{
    SMTPD_COMMIT_JOB *done, *next;
    uint64_t count;
    char    request = MASTER_TRIGGER_SCAN;
    int     committed = 0;

    (void) ready;
    (void) context;
    if (read(fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
        msg_warn("commit notification: %m");
    pthread_mutex_lock(&smtpd_commit_lock);
    done = smtpd_commit_finished;
    smtpd_commit_finished = 0;
    pthread_mutex_unlock(&smtpd_commit_lock);
    for (; done; done = next) {
        next = done->next;
        committed |= done->err == 0;
        smtpd_commit_done(done->session, done->err, done->id);
        mem_free(done);
    }
    /* One wakeup for the whole batch; no qmgr yet is fine (mail waits). */
    if (committed)
        (void) mail_trigger("public", "qmgr", &request, 1);
}

void    smtpd_commit_init(void)
{
    pthread_t tid;
    pthread_attr_t attr;

    if ((smtpd_commit_event = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0)
        msg_fatal("eventfd: %m");
    events_watch(daemon_events(), smtpd_commit_event, EVENTS_READ, smtpd_commit_reap, 0);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    for (int i = 0; i < SMTPD_COMMIT_THREADS; i++)
        if ((errno = pthread_create(&tid, &attr, smtpd_commit_worker, 0)) != 0)
            msg_fatal("pthread_create: %m");
    pthread_attr_destroy(&attr);
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
    pthread_mutex_lock(&smtpd_commit_lock);
    *smtpd_commit_todo_tail = job;
    smtpd_commit_todo_tail = &job->next;
    pthread_cond_signal(&smtpd_commit_wanted);
    pthread_mutex_unlock(&smtpd_commit_lock);
}
