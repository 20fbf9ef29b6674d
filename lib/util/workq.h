/* NAME
 *	workq 3h
 * SUMMARY
 *	blocking work off the event loop: a thread pool with completions
 * DESCRIPTION
 *	Some work must wait for the kernel or a peer (fsync of a queue
 *	file, a delivery agent's answer) and would stall every other
 *	session if done on the event loop. workq_submit() hands such a job
 *	to one of a fixed number of threads, which runs work(job) and
 *	nothing else; the loop then gets done(job) on its own thread, in
 *	batches, through an eventfd it watches, followed by batch_done()
 *	once per batch (for things worth doing once, not per job).
 *
 *	work() must touch only its job: everything else stays on the loop
 *	thread. Jobs are started in submission order.
 */
#ifndef WORKQ_H
#define WORKQ_H

#include "events.h"

typedef void (*WORKQ_FN) (void *job);
typedef void (*WORKQ_BATCH_FN) (void);

typedef struct WORKQ WORKQ;

extern WORKQ *workq_new(EVENTS *loop, int threads, WORKQ_FN work,
                        WORKQ_FN done, WORKQ_BATCH_FN batch_done);
extern void workq_submit(WORKQ *q, void *job);

#endif
