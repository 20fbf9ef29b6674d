/* NAME
 *	mail_log 3h
 * SUMMARY
 *	log line shapes: one function per shape
 * DESCRIPTION
 *	Log lines are an API: pflogsumm, fail2ban and every admin's grep
 *	parse them. Each function here writes exactly one Postfix line
 *	shape (as Postfix 3.7 writes it) through msg_info(); nothing else
 *	in Postern builds these texts. t/unit/mail_log_test.c holds golden
 *	copies.
 *
 *	mail_log_connect:    connect from host[addr]
 *	mail_log_disconnect: disconnect from host[addr] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5
 *	                     (counts from mail_log_counts_format(); "ok/total"
 *	                     when some failed, e.g. rcpt=0/1 commands=4/5)
 *	mail_log_client:     QUEUEID: client=host[addr]
 *	mail_log_reject:     NOQUEUE: reject: RCPT from host[addr]: 554 5.7.1 <x@y>: Relay access denied; from=<a@b> to=<x@y> proto=ESMTP helo=<h>
 *	mail_log_restriction: the same shape with another action word:
 *	                     NOQUEUE: reject_warning: RCPT from ...; QUEUEID: hold: RCPT from
 *	                     host[addr]: <x@y>: Recipient address triggers HOLD action; from=...;
 *	                     NOQUEUE: warn: RCPT from host[addr]: text; from=...
 *	                     (the queue ID instead of NOQUEUE once a queue file
 *	                     exists; NULL or "" queue_id means NOQUEUE; each of
 *	                     from=, to=, proto=, helo= is left out when its
 *	                     argument is NULL, so a line may end in ";"; stage
 *	                     is CONNECT, EHLO, HELO, MAIL, RCPT, DATA,
 *	                     END-OF-MESSAGE, VRFY, ETRN; a 4xx reply is logged as
 *	                     "reject:" too, as Postfix does)
 *	mail_log_lost:       lost connection after DATA (12345 bytes) from host[addr]
 *	                     timeout after RCPT from host[addr]
 *	                     (what is "lost connection" or "timeout"; the byte
 *	                     count appears only when stage is DATA or BDAT and
 *	                     bytes >= 0, i.e. once message content was being
 *	                     received; pass -1 otherwise. Postfix does not log a
 *	                     lost connection after END-OF-MESSAGE: that choice is
 *	                     the caller's)
 *	mail_log_from:       QUEUEID: from=<a@b>, size=N, nrcpt=N (queue active)
 *	mail_log_delivery:   QUEUEID: to=<x@y>, orig_to=<o@y>, relay=local, delay=0.11, delays=0.05/0.01/0/0.05, dsn=2.0.0, status=sent (delivered to maildir)
 *	                     (orig_to= left out when NULL, empty, or equal to the
 *	                     recipient ignoring case; relay NULL means "none")
 *	mail_log_removed:    QUEUEID: removed
 *	mail_log_queue_action: QUEUEID: placed on hold
 *	                     (postsuper's other lines: "released from hold",
 *	                     "requeued", "expired")
 *	mail_log_message_id: QUEUEID: message-id=<...>
 *	                     (message_id is the Message-ID header value as
 *	                     found, angle brackets included, and is logged as
 *	                     is, like Postfix's cleanup does)
 *
 *	A NULL host or addr is logged as "unknown". Control characters
 *	(below 0x20, and 0x7f) in any argument are logged as "?", so a
 *	client cannot forge or split log lines; 8-bit bytes are kept.
 *
 *	mail_log_format_delay() appends one delay as Postfix prints it
 *	(its format_tv() with two significant digits and
 *	delay_logging_resolution_limit = 2): below 1 second at most two
 *	decimals, rounded half up ("0.05", "0.1", "0.01"; below 0.005
 *	"0"), 1 to 10 seconds one decimal ("2.3"), 10 and above whole
 *	seconds ("42"); trailing zeros are dropped ("1", not "1.0");
 *	negative values (clock steps) print "0".
 *
 *	MAIL_LOG_COUNTS counts SMTP commands for the disconnect line; all
 *	zero (a static, mem_calloc() or memset() struct) means none yet.
 *	mail_log_counts_add() counts one command by its verb (any case;
 *	a verb not in the list counts as "unknown") and whether it
 *	succeeded. mail_log_counts_format() appends the counts of the
 *	commands that occurred, in Postfix's order (helo ehlo xclient
 *	xforward starttls auth mail rcpt data bdat rset noop vrfy etrn quit
 *	unknown), then "commands=N", or "commands=ok/total" when some
 *	failed or none came at all ("commands=0/0").
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

#define MAIL_LOG_CMDS   16              /* 15 verbs and "unknown" */

typedef struct MAIL_LOG_COUNTS {
    long    ok[MAIL_LOG_CMDS];          /* succeeded, in Postfix's order */
    long    total[MAIL_LOG_CMDS];       /* received */
} MAIL_LOG_COUNTS;

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
extern void mail_log_restriction(const char *queue_id, const char *action,
                                         const char *stage, const char *host,
                                         const char *addr, const char *reply,
                                         const char *from, const char *to,
                                         const char *proto, const char *helo);
extern void mail_log_lost(const char *what, const char *stage, long bytes,
                          const char *host, const char *addr);
extern void mail_log_from(const char *queue_id, const char *sender,
                          long size, int nrcpt);
extern void mail_log_delivery(const MAIL_LOG_DELIVERY *d);
extern void mail_log_removed(const char *queue_id);
extern void mail_log_queue_action(const char *queue_id, const char *action);
extern void mail_log_message_id(const char *queue_id, const char *message_id);
extern void mail_log_format_delay(double seconds, BUF *out);

extern void mail_log_counts_add(MAIL_LOG_COUNTS *counts, const char *verb, int ok);
extern void mail_log_counts_format(const MAIL_LOG_COUNTS *counts, BUF *out);

/*
 * mail_log_notification: QUEUEID: sender non-delivery notification: NEWID
 *                        (who: sender or postmaster; what: non-delivery
 *                        or delay; written by bounce(3))
 */
extern void mail_log_notification(const char *queue_id, const char *who,
                                  const char *what, const char *new_id);

#endif
