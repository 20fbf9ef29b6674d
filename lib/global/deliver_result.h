/* NAME
 *	deliver_result 3h
 * SUMMARY
 *	what every delivery agent does with a recipient's result
 * DESCRIPTION
 *	deliver_result_log() writes the delivery log line
 *	(mail_log_delivery) of one recipient of a request:
 *
 *	    QUEUEID: to=<x@y>, relay=mx.y[192.0.2.1]:25, delay=1.2,
 *	    delays=0.05/0.01/0.6/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok)
 *
 *	with delays a = active - arrival, b = received - active (the
 *	request waiting in qmgr and for the agent), c = setup (connection
 *	set-up, 0 for local delivery), d = the rest until now.
 *
 *	deliver_result_mark() marks a recipient with a final result
 *	(sent or bounced) done in the queue file (queue_file_mark_done),
 *	after checking that the request's recipient index names that
 *	address in the file; it warns and returns -1 when it cannot.
 */
#ifndef DELIVER_RESULT_H
#define DELIVER_RESULT_H

#include <sys/time.h>

#include "deliver_request.h"
#include "queue_file.h"

extern void deliver_result_log(const DELIVER_REQUEST *req, const DELIVER_RCPT *rcpt,
                               const struct timeval *received, double setup);
extern int deliver_result_mark(const DELIVER_REQUEST *req, QUEUE_FILE *qf,
                               const DELIVER_RCPT *rcpt);

#endif
