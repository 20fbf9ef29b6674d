/* NAME
 *	events 3
 * SUMMARY
 *	event loop: descriptor readiness and timers
 * DESCRIPTION
 *	Descriptor state lives in an array indexed by descriptor number,
 *	timers in a binary min-heap ordered by deadline, each timer
 *	remembering its heap slot so that cancelling costs O(log n). That
 *	keeps one timer per session cheap for tens of thousands of
 *	sessions.
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "events.h"
#include "mem.h"
#include "msg.h"

typedef struct EVENTS_FD {
    EVENTS_FD_FN fn;
    void   *context;
    int     mask;
} EVENTS_FD;

struct EVENTS_TIMER {
    long    deadline;
    unsigned long seq;                  /* ties fire in creation order */
    size_t  slot;
    EVENTS_TIMER_FN fn;
    void   *context;
};

struct EVENTS {
    int     epfd;
    EVENTS_FD *fds;
    int     fd_cap;
    int     watched;
    EVENTS_TIMER **heap;
    size_t  heap_len;
    size_t  heap_cap;
    unsigned long seq;
};

long    events_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ((long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

EVENTS *events_new(void)
{
    EVENTS *loop = mem_calloc(1, sizeof(*loop));

    if ((loop->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0)
        msg_fatal("epoll_create1: %m");
    return (loop);
}

void    events_free(EVENTS **loopp)
{
    EVENTS *loop = *loopp;

    if (loop == 0)
        return;
    close(loop->epfd);
    for (size_t i = 0; i < loop->heap_len; i++)
        mem_free(loop->heap[i]);
    mem_free(loop->heap);
    mem_free(loop->fds);
    mem_free(loop);
    *loopp = 0;
}

void    events_watch(EVENTS *loop, int fd, int mask, EVENTS_FD_FN fn, void *context)
{
    struct epoll_event ev;
    int     op;

    if (fd < 0)
        msg_panic("events_watch: bad descriptor %d", fd);
    if (mask == 0) {
        events_unwatch(loop, fd);
        return;
    }
    if (fd >= loop->fd_cap) {
        int     cap = loop->fd_cap ? loop->fd_cap : 64;

        while (cap <= fd)
            cap *= 2;
        loop->fds = mem_realloc(loop->fds, (size_t) cap * sizeof(EVENTS_FD));
        memset(loop->fds + loop->fd_cap, 0,
               (size_t) (cap - loop->fd_cap) * sizeof(EVENTS_FD));
        loop->fd_cap = cap;
    }
    /* Same interest as before: no system call, just the new callback. */
    if (loop->fds[fd].mask == mask) {
        loop->fds[fd].fn = fn;
        loop->fds[fd].context = context;
        return;
    }
    op = loop->fds[fd].mask ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    memset(&ev, 0, sizeof(ev));
    ev.events = ((mask & EVENTS_READ) ? EPOLLIN : 0)
        | ((mask & EVENTS_WRITE) ? EPOLLOUT : 0);
    ev.data.fd = fd;
    if (epoll_ctl(loop->epfd, op, fd, &ev) < 0)
        msg_panic("epoll_ctl fd %d: %m", fd);
    if (op == EPOLL_CTL_ADD)
        loop->watched++;
    loop->fds[fd].fn = fn;
    loop->fds[fd].context = context;
    loop->fds[fd].mask = mask;
}

void    events_unwatch(EVENTS *loop, int fd)
{
    if (fd < 0 || fd >= loop->fd_cap || loop->fds[fd].mask == 0)
        return;
    /* A descriptor that was already closed left the epoll set by itself. */
    (void) epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, 0);
    memset(loop->fds + fd, 0, sizeof(EVENTS_FD));
    loop->watched--;
}

int     events_watched(const EVENTS *loop)
{
    return (loop->watched);
}

static int events_before(const EVENTS_TIMER *a, const EVENTS_TIMER *b)
{
    return (a->deadline < b->deadline
            || (a->deadline == b->deadline && a->seq < b->seq));
}

static void events_heap_set(EVENTS *loop, size_t slot, EVENTS_TIMER *t)
{
    loop->heap[slot] = t;
    t->slot = slot;
}

static void events_sift_up(EVENTS *loop, size_t slot)
{
    EVENTS_TIMER *t = loop->heap[slot];

    while (slot > 0 && events_before(t, loop->heap[(slot - 1) / 2])) {
        events_heap_set(loop, slot, loop->heap[(slot - 1) / 2]);
        slot = (slot - 1) / 2;
    }
    events_heap_set(loop, slot, t);
}

static void events_sift_down(EVENTS *loop, size_t slot)
{
    EVENTS_TIMER *t = loop->heap[slot];

    for (;;) {
        size_t  child = 2 * slot + 1;

        if (child >= loop->heap_len)
            break;
        if (child + 1 < loop->heap_len
            && events_before(loop->heap[child + 1], loop->heap[child]))
            child++;
        if (!events_before(loop->heap[child], t))
            break;
        events_heap_set(loop, slot, loop->heap[child]);
        slot = child;
    }
    events_heap_set(loop, slot, t);
}

EVENTS_TIMER *events_timer(EVENTS *loop, long delay_ms, EVENTS_TIMER_FN fn,
                           void *context)
{
    EVENTS_TIMER *t = mem_alloc(sizeof(*t));

    t->deadline = events_now_ms() + (delay_ms > 0 ? delay_ms : 0);
    t->seq = loop->seq++;
    t->fn = fn;
    t->context = context;
    if (loop->heap_len == loop->heap_cap) {
        loop->heap_cap = loop->heap_cap ? loop->heap_cap * 2 : 64;
        loop->heap = mem_realloc(loop->heap, loop->heap_cap * sizeof(*loop->heap));
    }
    events_heap_set(loop, loop->heap_len++, t);
    events_sift_up(loop, t->slot);
    return (t);
}

static void events_heap_remove(EVENTS *loop, EVENTS_TIMER *t)
{
    size_t  slot = t->slot;
    EVENTS_TIMER *last = loop->heap[--loop->heap_len];

    if (last != t) {
        events_heap_set(loop, slot, last);
        events_sift_up(loop, slot);
        events_sift_down(loop, last->slot);
    }
}

void    events_cancel(EVENTS *loop, EVENTS_TIMER **timerp)
{
    if (*timerp) {
        events_heap_remove(loop, *timerp);
        mem_free(*timerp);
        *timerp = 0;
    }
}

/*
 * events_run - wait at most max_wait_ms (-1: until something happens)
 * and dispatch what is ready. Returns the number of callbacks run.
 */
int     events_run(EVENTS *loop, long max_wait_ms)
{
    struct epoll_event ready[128];
    long    now = events_now_ms();
    long    wait = max_wait_ms;
    int     n, count = 0;

    if (loop->heap_len > 0) {
        long    until = loop->heap[0]->deadline - now;

        if (until < 0)
            until = 0;
        if (wait < 0 || until < wait)
            wait = until;
    }
    n = epoll_wait(loop->epfd, ready, (int) (sizeof(ready) / sizeof(ready[0])),
                   wait > (long) 0x7fffffff ? 0x7fffffff : (int) wait);
    if (n < 0 && errno != EINTR)
        msg_fatal("epoll_wait: %m");
    for (int i = 0; i < n; i++) {
        int     fd = ready[i].data.fd;
        int     mask = 0;

        /* An earlier callback in this batch may have removed it. */
        if (fd >= loop->fd_cap || loop->fds[fd].mask == 0)
            continue;
        if (ready[i].events & EPOLLIN)
            mask |= EVENTS_READ;
        if (ready[i].events & EPOLLOUT)
            mask |= EVENTS_WRITE;
        if (ready[i].events & (EPOLLERR | EPOLLHUP))
            mask |= EVENTS_ERROR | (loop->fds[fd].mask & EVENTS_READ);
        loop->fds[fd].fn(fd, mask, loop->fds[fd].context);
        count++;
    }
    now = events_now_ms();
    while (loop->heap_len > 0 && loop->heap[0]->deadline <= now) {
        EVENTS_TIMER *t = loop->heap[0];
        EVENTS_TIMER_FN fn = t->fn;
        void   *context = t->context;

        events_heap_remove(loop, t);
        mem_free(t);
        fn(context);
        count++;
    }
    return (count);
}
