/* NAME
 *	deliver_request 3h
 * SUMMARY
 *	qmgr <-> delivery agent protocol (local, smtp, ...)
 * DESCRIPTION
 *	qmgr connects to private/TRANSPORT (the master.cf service name of
 *	the transport, e.g. "local"). The agent speaks first: one attribute
 *	message "protocol=delivery_protocol" (attr_announce). qmgr sends one
 *	request; the agent delivers, and answers with one result message;
 *	then the connection is closed (one request per connection).
 *
 *	Request attributes (attr(3) messages):
 *	    queue_name   "active" (the queue file is queue_name/queue_id,
 *	                 relative to queue_directory)
 *	    queue_id     the message
 *	    nexthop      the transport's next hop (local: $myhostname;
 *	                 smtp: a domain, [host], [host]:port)
 *	    sender       envelope sender, "" for <>
 *	    arrival_time "sec.usec": when the message arrived
 *	    active_time  "sec.usec": when qmgr took it into the active
 *	                 queue (delays=a/b/c/d: a = active - arrival, b =
 *	                 request - active, c = connection set-up, d = the
 *	                 delivery itself)
 *	    retry        "0": qmgr knows that no earlier attempt can have
 *	                 delivered any recipient of this request (the
 *	                 message's first time in the active queue); "1"
 *	                 (also when absent): one may have, crashing before
 *	                 it recorded the result, so an agent that can look
 *	                 for an earlier copy (local: the Maildir) must look
 *	                 harder (qmgr_message(3), local_maildir(3))
 *	    rcpt_count   N
 *	    rcpt_I, orig_rcpt_I, rcpt_offset_I   for I in 0..N-1: the
 *	                 recipient, its original address ("" when the same),
 *	                 and the recipient's index in the queue file (for
 *	                 queue_file_mark_done)
 *
 *	Result attributes:
 *	    status_I     2 delivered, 4 try again later, 5 failed for good
 *	    dsn_I        RFC 3463 status, e.g. "2.0.0", "4.2.2", "5.1.1"
 *	    reason_I     text for the log's parentheses and the bounce,
 *	                 e.g. "delivered to maildir"
 *	    relay_I      what the log shows as relay= ("local", "host[addr]:port")
 *
 *	The agent marks each recipient whose result is final (2 or 5) done
 *	in the queue file (queue_file_mark_done) before it answers, so that
 *	a crash of qmgr or the agent after a delivery never delivers that
 *	recipient twice. The mark is forced to disk (fdatasync) unless a
 *	repeat of the delivery is harmless (local's Maildir delivery finds
 *	its earlier copy by name). The agent also writes the delivery
 *	log line (mail_log_delivery), as in Postfix.
 *
 *	A malformed request or result is fatal to that conversation: the
 *	agent logs a warning and closes; qmgr treats every recipient of the
 *	request as deferred ("delivery agent failure").
 */
#ifndef DELIVER_REQUEST_H
#define DELIVER_REQUEST_H

#include <stddef.h>
#include <sys/time.h>

#include "stream.h"

#define DELIVER_PROTOCOL    "delivery_protocol"

#define DELIVER_SENT        2
#define DELIVER_DEFER       4
#define DELIVER_BOUNCE      5

typedef struct DELIVER_RCPT {
    char   *address;
    char   *orig;                       /* "" when same as address */
    long    offset;                     /* index in the queue file */
    /* Result, filled in by the agent. */
    int     status;
    char   *dsn;
    char   *reason;
    char   *relay;
} DELIVER_RCPT;

typedef struct DELIVER_REQUEST {
    char   *queue_name;
    char   *queue_id;
    char   *nexthop;
    char   *sender;
    struct timeval arrival_time;
    struct timeval active_time;
    int     retry;                      /* 1 unless a first attempt */
    DELIVER_RCPT *rcpts;
    size_t  count;
} DELIVER_REQUEST;

extern DELIVER_REQUEST *deliver_request_new(const char *queue_name,
                                            const char *queue_id,
                                            const char *nexthop,
                                            const char *sender,
                                            const struct timeval *arrival,
                                            const struct timeval *active);
extern void deliver_request_add(DELIVER_REQUEST *req, const char *address,
                                const char *orig, long offset);
extern void deliver_request_set_result(DELIVER_RCPT *rcpt, int status,
                                       const char *dsn, const char *relay,
                                       const char *reason);
extern void deliver_request_free(DELIVER_REQUEST **reqp);

/* qmgr side: connect, send, read results into req->rcpts[]. */
extern int deliver_request_call(const char *transport, DELIVER_REQUEST *req,
                                int timeout);

/* Agent side. */
extern int deliver_request_read(STREAM *stream, DELIVER_REQUEST **req_r);
extern int deliver_request_reply(STREAM *stream, const DELIVER_REQUEST *req);

 /*
  * The agent side in one call: read a request from fd (ipc_timeout),
  * have fn deliver it (received: when it came), answer, free it.
  */
typedef void (*DELIVER_REQUEST_FN) (DELIVER_REQUEST *req, const struct timeval *received);
extern void deliver_request_serve(int fd, DELIVER_REQUEST_FN fn);

#endif
