/* NAME
 *	bounce 3h
 * SUMMARY
 *	delivery status notifications (RFC 3464) as new queue files
 * DESCRIPTION
 *	bounce_notify() tells someone that some recipients of a message
 *	failed for good (BOUNCE_FAILED) or are still being retried
 *	(BOUNCE_DELAYED). It writes the notification into incoming/
 *	(relative to the current directory, queue_directory) with the
 *	queue_file(3) writer and commits it, so the notification is
 *	delivered like any other message. Who gets it, as Postfix decides:
 *
 *	- the original envelope sender, normally ("sender non-delivery
 *	  notification", "sender delay notification");
 *	- when the original sender is the null sender <> (the message was
 *	  itself a notification): a failure goes to
 *	  $2bounce_notice_recipient ("postmaster non-delivery
 *	  notification"; nothing when that parameter is empty); a delay
 *	  goes to $delay_notice_recipient only when $notify_classes has
 *	  "delay" (else nothing, as in Postfix);
 *	- when the original is itself a postmaster notification (its
 *	  BOUNCE_ATTR_NOTICE attribute is BOUNCE_NOTICE_POSTMASTER):
 *	  nobody. It is discarded with a warning, so a notice can never
 *	  loop: every notification has the null sender, and a failed
 *	  postmaster notification is the end of the line.
 *	- in addition to a sender notification, a copy goes to
 *	  $bounce_notice_recipient (failures) or $delay_notice_recipient
 *	  (delays) when $notify_classes has "bounce" or "delay". A failure
 *	  to write the copy is only logged: the sender's notice stands.
 *
 *	A recipient without a domain (postmaster) gets @$myorigin.
 *
 * FORMAT
 *	Envelope: null sender, one recipient, the attribute
 *	BOUNCE_ATTR_NOTICE ("sender" or "postmaster"), and "encoding"
 *	(7bit or 8bit, from the content). Content: Date, From:
 *	MAILER-DAEMON@$myhostname (Mail Delivery System), Subject, To,
 *	Auto-Submitted: auto-replied (RFC 3834), MIME-Version,
 *	Content-Type: multipart/report; report-type=delivery-status
 *	(RFC 6522) with boundary "NEWID.time/$myhostname", Message-Id
 *	<YYYYMMDDhhmmss.NEWID@$myhostname>, and three parts:
 *
 *	1. text/plain: what happened, one "<rcpt>: reason" per recipient;
 *	2. message/delivery-status (RFC 3464 2.2 and 2.3): Reporting-MTA,
 *	   X-$mail_name-Queue-ID, X-$mail_name-Sender, Arrival-Date; per
 *	   recipient Final-Recipient, Original-Recipient (when known and
 *	   different), Action, Status, Remote-MTA (when relay names a
 *	   remote host), Diagnostic-Code ("smtp; 550 ..." when the reason
 *	   is a remote SMTP reply "host H[A] said: 550 ... (in reply to
 *	   ...)", else "X-Postern; reason"), and Will-Retry-Until for a
 *	   delayed recipient;
 *	3. text/rfc822-headers: the original header section, at most
 *	   $bounce_size_limit bytes, cut at a line end.
 *
 * RESULT
 *	0 when the job is done: id_r holds the new queue ID, or "" when
 *	nothing had to be written (count 0, nobody to tell, a discarded
 *	postmaster notice). -1 with errno when the notification could not
 *	be written (ENOSPC, ...): nothing was left behind and the caller
 *	should try again later.
 *
 * LOGGING
 *	On success, as Postfix: "ORIGID: sender non-delivery notification:
 *	NEWID", "ORIGID: sender delay notification: NEWID", "ORIGID:
 *	postmaster non-delivery notification: NEWID", "ORIGID: postmaster
 *	delay notification: NEWID" (mail_log_notification()); a discarded
 *	notice logs the warning "ORIGID: undeliverable postmaster
 *	notification discarded", and an empty 2bounce_notice_recipient
 *	"ORIGID: non-delivery notification discarded:
 *	2bounce_notice_recipient is empty".
 */
#ifndef BOUNCE_H
#define BOUNCE_H

#include <stddef.h>

#include "queue_file.h"
#include "queue_id.h"

#define BOUNCE_FAILED   1               /* permanent failure */
#define BOUNCE_DELAYED  2               /* still being retried */

/* Envelope attribute on every notification, and its values. */
#define BOUNCE_ATTR_NOTICE          "notice"
#define BOUNCE_NOTICE_SENDER        "sender"
#define BOUNCE_NOTICE_POSTMASTER    "postmaster"

typedef struct BOUNCE_RCPT {
    const char *address;                /* final recipient, non-empty */
    const char *orig;                   /* original recipient, or NULL */
    const char *dsn;                    /* "5.1.1"; NULL: 5.0.0 or 4.0.0 */
    const char *reason;                 /* text; NULL: none */
    const char *relay;                  /* "local", "mx.example.com[192.0.2.1]:25", NULL */
    const char *action;                 /* "failed", "delayed"; NULL: from kind */
} BOUNCE_RCPT;

extern int bounce_notify(QUEUE_FILE *orig, int kind, const BOUNCE_RCPT *rcpts,
                         size_t count, char id_r[QUEUE_ID_SIZE]);

#endif
