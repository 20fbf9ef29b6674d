/* NAME
 *	mail_drop 3h
 * SUMMARY
 *	leave a locally submitted message in maildrop/
 * DESCRIPTION
 *	mail_drop_write() writes one message into maildrop/ of the loaded
 *	instance with the queue-file writer (queue_file(3h)): arrival time,
 *	sender, an optional "full_name" attribute, the recipients, then
 *	the content. The finished file is made readable (0644) for pickup,
 *	which runs as mail_owner; maildrop/ is 0730, so nobody else can
 *	list it. It then wakes pickup (public/pickup); when pickup is down
 *	the file waits. It returns 0 with the queue ID in id_r, or -1 with
 *	errno set (EACCES: the caller may not write maildrop/), and logs
 *	nothing. sendmail(1) and postdrop(1) share it.
 *
 *	mail_drop_setgid() gives up a setgid privilege when an ordinary
 *	user chose the configuration (dir from -c, or MAIL_CONFIG), so that
 *	a setgid program never writes into a queue the user picked, unless
 *	it is the default configuration directory or one that the default
 *	main.cf lists in alternate_config_directories, as Postfix allows.
 */
#ifndef MAIL_DROP_H
#define MAIL_DROP_H
#include <stddef.h>
#include "queue_id.h"
#include "strv.h"

extern int mail_drop_write(const char *sender, const char *full_name,
                           const STRV *rcpts, const char *data, size_t len,
                           char id_r[QUEUE_ID_SIZE]);
extern void mail_drop_setgid(const char *dir);
#endif
