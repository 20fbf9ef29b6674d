/* NAME
 *	mail_flush 3h
 * SUMMARY
 *	ask the queue manager to retry deferred mail now
 * DESCRIPTION
 *	mail_flush() sends MASTER_TRIGGER_FLUSH to public/qmgr of the
 *	loaded instance. mail_flush_site() asks for the deferred mail with
 *	a pending recipient in one domain (postqueue -s, ETRN),
 *	mail_flush_id() for one deferred message (postqueue -i); the
 *	argument follows the request byte, ended by a NUL. It returns 0, or -1 with errno set when the
 *	queue manager cannot be reached (the mail system is down); it
 *	logs nothing, so that postern(1) and postqueue(1) can each say
 *	it their own way.
 */
#ifndef MAIL_FLUSH_H
#define MAIL_FLUSH_H

extern int mail_flush(void);
extern int mail_flush_site(const char *site);
extern int mail_flush_id(const char *queue_id);

#endif
