/* NAME
 *	workq 3
 * SUMMARY
 *	blocking work off the event loop: a thread pool with completions
 * DESCRIPTION
 *	Two lists under one mutex: jobs to do (FIFO) and jobs done. A
 *	worker writes to the eventfd after each job; the loop drains the
 *	done list whole, so many completions cost one wakeup.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "mem.h"
#include "msg.h"
#include "workq.h"

typedef struct WORKQ_NODE {
    void   *job;
    struct WORKQ_NODE *next;
} WORKQ_NODE;

struct WORKQ {
    pthread_mutex_t lock;
    pthread_cond_t wanted;
    WORKQ_NODE *todo;
    WORKQ_NODE **todo_tail;
    WORKQ_NODE *done;                   /* LIFO; reversed when drained */
    int     event_fd;
    WORKQ_FN work;
    WORKQ_FN done_fn;
    WORKQ_BATCH_FN batch_done;
};

static void *workq_thread(void *arg)
{
    WORKQ  *q = arg;

    for (;;) {
        WORKQ_NODE *node;
        uint64_t one = 1;

        pthread_mutex_lock(&q->lock);
        while (q->todo == 0)
            pthread_cond_wait(&q->wanted, &q->lock);
        node = q->todo;
        if ((q->todo = node->next) == 0)
            q->todo_tail = &q->todo;
        pthread_mutex_unlock(&q->lock);

        q->work(node->job);

        pthread_mutex_lock(&q->lock);
        node->next = q->done;
        q->done = node;
        pthread_mutex_unlock(&q->lock);
        if (write(q->event_fd, &one, sizeof(one)) != sizeof(one))
            msg_warn("workq completion: %m");
    }
    return (0);
}

static void workq_drain(int fd, int ready, void *context)
{
    WORKQ  *q = context;
    WORKQ_NODE *done, *ordered = 0, *next;
    uint64_t count;

    (void) ready;
    if (read(fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
        msg_warn("workq completion: %m");
    pthread_mutex_lock(&q->lock);
    done = q->done;
    q->done = 0;
    pthread_mutex_unlock(&q->lock);
    for (; done; done = next) {
        next = done->next;
        done->next = ordered;
        ordered = done;
    }
    for (; ordered; ordered = next) {
        next = ordered->next;
        q->done_fn(ordered->job);
        mem_free(ordered);
    }
    if (q->batch_done)
        q->batch_done();
}

WORKQ  *workq_new(EVENTS *loop, int threads, WORKQ_FN work, WORKQ_FN done,
                  WORKQ_BATCH_FN batch_done)
{
    WORKQ  *q = mem_calloc(1, sizeof(*q));
    pthread_attr_t attr;
    pthread_t tid;

    pthread_mutex_init(&q->lock, 0);
    pthread_cond_init(&q->wanted, 0);
    q->todo_tail = &q->todo;
    q->work = work;
    q->done_fn = done;
    q->batch_done = batch_done;
    if ((q->event_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0)
        msg_fatal("eventfd: %m");
    events_watch(loop, q->event_fd, EVENTS_READ, workq_drain, q);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    for (int i = 0; i < threads; i++)
        if ((errno = pthread_create(&tid, &attr, workq_thread, q)) != 0)
            msg_fatal("pthread_create: %m");
    pthread_attr_destroy(&attr);
    return (q);
}

void    workq_submit(WORKQ *q, void *job)
{
    WORKQ_NODE *node = mem_alloc(sizeof(*node));

    node->job = job;
    node->next = 0;
    pthread_mutex_lock(&q->lock);
    *q->todo_tail = node;
    q->todo_tail = &node->next;
    pthread_cond_signal(&q->wanted);
    pthread_mutex_unlock(&q->lock);
}
