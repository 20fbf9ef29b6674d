/* NAME
 *	write_all 3
 * SUMMARY
 *	write a whole buffer to a descriptor
 */
#include <errno.h>
#include <unistd.h>

#include "write_all.h"

int     write_all(int fd, const void *data, size_t len)
{
    const char *cp = data;
    ssize_t n;

    while (len > 0) {
        if ((n = write(fd, cp, len)) < 0) {
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
    }
    return (0);
}

int     pwrite_all(int fd, const void *data, size_t len, off_t offset)
{
    const char *cp = data;
    ssize_t n;

    while (len > 0) {
        if ((n = pwrite(fd, cp, len, offset)) < 0) {
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
