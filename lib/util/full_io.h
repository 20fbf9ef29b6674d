/* NAME
 *	full_io 3h
 * SUMMARY
 *	read or write a whole buffer on a descriptor
 * DESCRIPTION
 *	full_io_write(), full_io_pwrite() and full_io_pread() loop over
 *	short transfers and EINTR and return 0 when every byte is moved, or
 *	-1 with errno set (a transfer that makes no progress, such as a
 *	read past the end of a file, is EIO). For blocking descriptors (files,
 *	pipes); sockets with deadlines use stream(3).
 */
#ifndef FULL_IO_H
#define FULL_IO_H

#include <stddef.h>
#include <sys/types.h>

extern int full_io_write(int fd, const void *data, size_t len);
extern int full_io_pwrite(int fd, const void *data, size_t len, off_t offset);
extern int full_io_pread(int fd, void *data, size_t len, off_t offset);

#endif
