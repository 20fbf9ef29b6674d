/* NAME
 *	mail_log 3h
 * SUMMARY
 *	log line shapes: one function per shape
 * DESCRIPTION
 *	Log lines are an API: pflogsumm, fail2ban and every admin's grep
 *	parse them. Each function here writes exactly one Postfix line
 *	shape through msg_info(); nothing else in Postern builds these
 *	texts. t/unit/mail_log_test.c holds golden copies.
 *
 *	mail_log_connect:    connect from host[addr]
 *	mail_log_disconnect: disconnect from host[addr] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5
 *	                     (counts "ok/total" when some failed, e.g. rcpt=0/1)
 *	mail_log_client:     QUEUEID: client=host[addr]
 *	mail_log_reject:     NOQUEUE: reject: RCPT from host[addr]: 554 5.7.1 <x@y>: Relay access denied; from=<a@b> to=<x@y> proto=ESMTP helo=<h>
 *	                     (QUEUEID instead of NOQUEUE once a queue file exists;
 *	                     "to=" left out when there is no recipient; stage is
 *	                     CONNECT, EHLO, HELO, MAIL, RCPT, DATA, END-OF-MESSAGE, VRFY, ETRN)
 *	mail_log_lost:       lost connection after DATA (12345 bytes) from host[addr]
 *	mail_log_timeout:    timeout after DATA (12345 bytes) from host[addr]
 *	mail_log_from:       QUEUEID: from=<a@b>, size=N, nrcpt=N (queue active)
 *	mail_log_delivery:   QUEUEID: to=<x@y>, orig_to=<o@y>, relay=local, delay=0.1, delays=0.05/0.01/0/0.04, dsn=2.0.0, status=sent (delivered to maildir)
 *	mail_log_removed:    QUEUEID: removed
 *	mail_log_message_id: QUEUEID: message-id=<...>
 *
 *	Delays are printed like Postfix: under 1 second with two significant
 *	decimals at most ("0.05", "0.1", "0"), 1-10 s with one decimal
 *	("2.3"), above that whole seconds ("42").
 */
#ifndef MAIL_LOG_H
#define MAIL_LOG_H

#include "buf.h"

typedef struct MAIL_LOG_DELIVERY {
    const char *queue_id;
    const char *recipient;
    const char *orig_recipient;         /* NULL or same as recipient: left out */
    const char *relay;                  /* "local", "host[addr]:port", "none" */
    double  delay;                      /* total, seconds */
    double  delays[4];                  /* a/b/c/d: before qmgr, in qmgr, connection, transmission */
    const char *dsn;                    /* "2.0.0" */
    const char *status;                 /* sent, deferred, bounced, expired */
    const char *reason;                 /* the text in parentheses */
} MAIL_LOG_DELIVERY;

extern void mail_log_connect(const char *host, const char *addr);
extern void mail_log_disconnect(const char *host, const char *addr,
                                const char *counts);
extern void mail_log_client(const char *queue_id, const char *host,
                            const char *addr);
extern void mail_log_reject(const char *queue_id, const char *stage,
                            const char *host, const char *addr,
                            const char *reply, const char *from,
                            const char *to, const char *proto,
                            const char *helo);
extern void mail_log_lost(const char *what, const char *stage, long bytes,
                          const char *host, const char *addr);
extern void mail_log_from(const char *queue_id, const char *sender,
                          long size, int nrcpt);
extern void mail_log_delivery(const MAIL_LOG_DELIVERY *d);
extern void mail_log_removed(const char *queue_id);
extern void mail_log_message_id(const char *queue_id, const char *message_id);
extern void mail_log_format_delay(double seconds, BUF *out);

#endif
