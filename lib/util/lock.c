/* NAME
 *	lock 3
 * SUMMARY
 *	whole-file locks that say who holds them
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "lock.h"

int     lock_exclusive(int fd, int wait)
{
    struct flock fl;
    int     status;

    memset(&fl, 0, sizeof(fl));
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    do {
        status = fcntl(fd, wait ? F_SETLKW : F_SETLK, &fl);
    } while (status < 0 && errno == EINTR);
    return (status);
}

/* lock_holder - pid of the process holding a conflicting lock, else 0. */

pid_t   lock_holder(int fd)
{
    struct flock fl;

    memset(&fl, 0, sizeof(fl));
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    if (fcntl(fd, F_GETLK, &fl) < 0)
        return (-1);
    return (fl.l_type == F_UNLCK ? 0 : fl.l_pid);
}
