/* NAME
 *	events 3h
 * SUMMARY
 *	event loop: descriptor readiness and timers
 * DESCRIPTION
 *	One loop per process, on epoll(7). A descriptor has at most one
 *	callback, called with the ready mask (EVENTS_READ, EVENTS_WRITE,
 *	EVENTS_ERROR for hang-up or error). Timers fire once; a timer handle
 *	is valid until its callback runs or it is cancelled, whichever
 *	comes first. Callbacks may add and remove descriptors and timers,
 *	including their own. A descriptor must be unwatched before it is
 *	closed: the loop remembers its interest by descriptor number.
 */
#ifndef EVENTS_H
#define EVENTS_H

#define EVENTS_READ   (1<<0)
#define EVENTS_WRITE  (1<<1)
#define EVENTS_ERROR  (1<<2)

typedef struct EVENTS EVENTS;
typedef struct EVENTS_TIMER EVENTS_TIMER;
typedef void (*EVENTS_FD_FN) (int fd, int ready, void *context);
typedef void (*EVENTS_TIMER_FN) (void *context);

extern EVENTS *events_new(void);
extern void events_free(EVENTS **loopp);
extern void events_watch(EVENTS *loop, int fd, int mask, EVENTS_FD_FN fn,
                         void *context);
extern void events_unwatch(EVENTS *loop, int fd);
extern EVENTS_TIMER *events_timer(EVENTS *loop, long delay_ms,
                                  EVENTS_TIMER_FN fn, void *context);
extern void events_cancel(EVENTS *loop, EVENTS_TIMER **timerp);
extern int events_run(EVENTS *loop, long max_wait_ms);
extern long events_now_ms(void);
extern int events_watched(const EVENTS *loop);

#endif
