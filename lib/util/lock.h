/* NAME
 *	lock 3h
 * SUMMARY
 *	whole-file locks that say who holds them
 * DESCRIPTION
 *	Exclusive POSIX record locks (fcntl F_SETLK) on a whole file. They
 *	vanish when the holder dies, however it dies, so a stale lock file
 *	never blocks a restart. lock_holder() asks the kernel which process
 *	holds the lock (F_GETLK): no pid file can go stale.
 */
#ifndef LOCK_H
#define LOCK_H

#include <sys/types.h>

extern int lock_exclusive(int fd, int wait);
extern pid_t lock_holder(int fd);

#endif
