/* NAME
 *	sendmail 3h
 * SUMMARY
 *	what sendmail's files share
 * DESCRIPTION
 *	sendmail_drop() leaves one message in maildrop/ (itself or through
 *	postdrop); it returns 0, or a sysexits code after a warning.
 *	sendmail_default_sender() is the caller's login name.
 *	sendmail_smtp() is "sendmail -bs"; it returns the exit status.
 */
#ifndef SENDMAIL_H
#define SENDMAIL_H

#include "buf.h"
#include "strv.h"

/* sendmail.c */
extern int sendmail_drop(const char *sender, const char *full_name, STRV *rcpts, BUF *msg);
extern const char *sendmail_default_sender(void);

/* sendmail_smtp.c */
extern int sendmail_smtp(const char *full_name);

#endif
