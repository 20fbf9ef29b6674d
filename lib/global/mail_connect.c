/* NAME
 *	mail_connect 3
 * SUMMARY
 *	reach a service of this instance by its socket name
 */
#include <errno.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "mail_connect.h"
#include "sock.h"

int     mail_connect(const char *class, const char *name, int timeout)
{
    BUF    *path = buf_new(256);
    int     fd, saved;

    buf_printf(path, "%s/%s/%s", config_str(P_QUEUE_DIRECTORY), class, name);
    fd = sock_unix_connect(path->data, timeout);
    saved = errno;
    buf_free(&path);
    errno = saved;
    return (fd);
}

int     mail_trigger(const char *class, const char *name, const char *request,
                     size_t len)
{
    int     fd = mail_connect(class, name, 1);
    ssize_t n;

    if (fd < 0)
        return (-1);
    /* MSG_NOSIGNAL: a receiver that went away must not kill the sender. */
    n = send(fd, request, len, MSG_NOSIGNAL | MSG_DONTWAIT);
    close(fd);
    return (n == (ssize_t) len ? 0 : -1);
}
