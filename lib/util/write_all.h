/* NAME
 *	write_all 3h
 * SUMMARY
 *	write a whole buffer to a descriptor
 * DESCRIPTION
 *	write_all() and pwrite_all() loop over short writes and EINTR and
 *	return 0 when every byte is written, or -1 with errno set (a write
 *	that makes no progress is EIO). For blocking descriptors (files,
 *	pipes); sockets with deadlines use stream(3).
 */
#ifndef WRITE_ALL_H
#define WRITE_ALL_H

#include <stddef.h>
#include <sys/types.h>

extern int write_all(int fd, const void *data, size_t len);
extern int pwrite_all(int fd, const void *data, size_t len, off_t offset);

#endif
