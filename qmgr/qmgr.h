/* NAME
 *	qmgr 3h
 * SUMMARY
 *	the queue manager's own types
 * DESCRIPTION
 *	A QMGR_MESSAGE is one file in active/ with its pending recipients
 *	grouped into QMGR_JOBs, one per delivery request (transport, next
 *	hop, and up to the transport's recipient limit). A QMGR_DEST counts
 *	the requests in flight to one destination, for the concurrency
 *	limit.
 */
#ifndef QMGR_H
#define QMGR_H

#include <sys/time.h>

#include "buf.h"
#include "deliver_request.h"
#include "queue_file.h"

typedef struct QMGR_MESSAGE QMGR_MESSAGE;

typedef struct QMGR_JOB {
    QMGR_MESSAGE *message;
    char   *transport;
    char   *nexthop;
    char   *dest_key;                   /* concurrency accounting key */
    DELIVER_REQUEST *request;
    int     err;                        /* the call itself failed */
    struct QMGR_JOB *next;              /* in the message's list */
} QMGR_JOB;

struct QMGR_MESSAGE {
    char    queue_id[QUEUE_ID_SIZE];
    char   *sender;
    struct timeval arrival;
    struct timeval active;
    long    size;
    int     retry;                      /* activated before: see qmgr_message */
    QMGR_JOB *todo;                     /* jobs being built (activation) */
    int     waiting;                    /* jobs queued, not started */
    int     in_flight;
    BUF    *defer_log;                  /* "rcpt\treason\n" lines */
    QUEUE_FILE *qf;                     /* read-only view, for bounces */
    int     bounced;                    /* recipients to notify about */
    BUF    *bounce_list;                /* "rcpt\torig\tdsn\trelay\treason\n" */
    struct QMGR_MESSAGE *next;          /* round-robin list */
};

/* The most recipients in one delivery request. */
#define QMGR_REQUEST_MAX 1000

/* qmgr.c */
extern void qmgr_scan_soon(void);

/* qmgr_scan.c */
extern void qmgr_scan_incoming(void);
extern void qmgr_scan_deferred(int all);
extern void qmgr_scan_deferred_match(const char *site, const char *queue_id);
extern void qmgr_recover_active(void);
extern int qmgr_active_count;

/* qmgr_message.c */
extern void qmgr_message_activate(const char *queue_id);
extern void qmgr_message_job_done(QMGR_JOB *job);
extern void qmgr_message_idle(QMGR_MESSAGE *m);

/* qmgr_sched.c */
extern void qmgr_sched_add(QMGR_MESSAGE *message);
extern void qmgr_sched_run(void);
extern void qmgr_sched_job_finished(QMGR_JOB *job);

/* qmgr_deliver.c */
extern void qmgr_deliver_init(void);
extern void qmgr_deliver_start(QMGR_JOB *job);

#endif
