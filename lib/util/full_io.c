/* NAME
 *	full_io 3
 * SUMMARY
 *	read or write a whole buffer on a descriptor
 * DESCRIPTION
 *	One loop serves all three calls: the transfer function is the only
 *	difference between them.
 */
#include <errno.h>
#include <unistd.h>

#include "full_io.h"

typedef ssize_t (*FULL_IO_FN) (int fd, void *data, size_t len, off_t offset);

static ssize_t full_io_do_write(int fd, void *data, size_t len, off_t offset)
{
    (void) offset;
    return (write(fd, data, len));
}

static ssize_t full_io_do_pwrite(int fd, void *data, size_t len, off_t offset)
{
    return (pwrite(fd, data, len, offset));
}

static ssize_t full_io_do_pread(int fd, void *data, size_t len, off_t offset)
{
    return (pread(fd, data, len, offset));
}

static int full_io_loop(FULL_IO_FN fn, int fd, char *cp, size_t len, off_t offset)
{
    ssize_t n;

    while (len > 0) {
        if ((n = fn(fd, cp, len, offset)) < 0) {
            if (errno == EINTR)
                continue;
            return (-1);
        }
        if (n == 0) {
            errno = EIO;
            return (-1);
        }
        cp += n;
        len -= (size_t) n;
        offset += n;
    }
    return (0);
}

int     full_io_write(int fd, const void *data, size_t len)
{
    return (full_io_loop(full_io_do_write, fd, (char *) data, len, 0));
}

int     full_io_pwrite(int fd, const void *data, size_t len, off_t offset)
{
    return (full_io_loop(full_io_do_pwrite, fd, (char *) data, len, offset));
}

int     full_io_pread(int fd, void *data, size_t len, off_t offset)
{
    return (full_io_loop(full_io_do_pread, fd, data, len, offset));
}
