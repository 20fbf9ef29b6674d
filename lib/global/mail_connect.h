/* NAME
 *	mail_connect 3h
 * SUMMARY
 *	reach a service of this instance by its socket name
 * DESCRIPTION
 *	mail_connect() connects to $queue_directory/CLASS/NAME (CLASS is
 *	"private" or "public") within a timeout; when the service is down
 *	it fails with errno set and logs nothing, so the caller decides how
 *	loud to be. mail_trigger() sends a one-shot request (a few bytes,
 *	such as MASTER_TRIGGER_SCAN) without waiting for an answer: a wakeup
 *	must never make the sender wait for a busy receiver.
 */
#ifndef MAIL_CONNECT_H
#define MAIL_CONNECT_H

#include <stddef.h>

extern int mail_connect(const char *class, const char *name, int timeout);
extern int mail_trigger(const char *class, const char *name,
                        const char *request, size_t len);

#endif
