/* NAME
 *	sock 3
 * SUMMARY
 *	socket set-up: listen and connect, UNIX-domain and TCP
 * DESCRIPTION
 *	A UNIX-domain listener replaces a stale socket file of the same
 *	name (the caller holds the instance lock, so nobody else owns it)
 *	and gets its mode with fchmod-like chmod after bind, before listen,
 *	so there is no window where it accepts with the wrong mode.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "sock.h"

void    sock_nonblock(int fd, int on)
{
    int     flags = fcntl(fd, F_GETFL);

    if (flags >= 0)
        (void) fcntl(fd, F_SETFL, on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK);
}

void    sock_cloexec(int fd, int on)
{
    int     flags = fcntl(fd, F_GETFD);

    if (flags >= 0)
        (void) fcntl(fd, F_SETFD, on ? flags | FD_CLOEXEC : flags & ~FD_CLOEXEC);
}

static int sock_unix_addr(const char *path, struct sockaddr_un *sun)
{
    memset(sun, 0, sizeof(*sun));
    sun->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(sun->sun_path)) {
        errno = ENAMETOOLONG;
        return (-1);
    }
    strcpy(sun->sun_path, path);
    return (0);
}

int     sock_unix_listen(const char *path, int backlog, mode_t mode)
{
    struct sockaddr_un sun;
    int     fd, saved;

    if (sock_unix_addr(path, &sun) < 0)
        return (-1);
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
        return (-1);
    (void) unlink(path);
    if (bind(fd, (struct sockaddr *) &sun, sizeof(sun)) < 0
        || chmod(path, mode) < 0 || listen(fd, backlog) < 0) {
        saved = errno;
        close(fd);
        errno = saved;
        return (-1);
    }
    return (fd);
}

/* sock_connect_wait - complete a non-blocking connect within timeout. */

static int sock_connect_wait(int fd, const struct sockaddr *sa, socklen_t len,
                             int timeout)
{
    struct pollfd pfd;
    int     err = 0, n;
    socklen_t err_len = sizeof(err);

    sock_nonblock(fd, 1);
    if (connect(fd, sa, len) == 0) {
        sock_nonblock(fd, 0);
        return (0);
    }
    if (errno != EINPROGRESS && errno != EAGAIN)
        return (-1);
    pfd.fd = fd;
    pfd.events = POLLOUT;
    do {
        n = poll(&pfd, 1, timeout > 0 ? timeout * 1000 : -1);
    } while (n < 0 && errno == EINTR);
    if (n == 0) {
        errno = ETIMEDOUT;
        return (-1);
    }
    if (n < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &err_len) < 0)
        return (-1);
    if (err) {
        errno = err;
        return (-1);
    }
    sock_nonblock(fd, 0);
    return (0);
}

int     sock_unix_connect(const char *path, int timeout)
{
    struct sockaddr_un sun;
    int     fd, saved;

    if (sock_unix_addr(path, &sun) < 0)
        return (-1);
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
        return (-1);
    if (sock_connect_wait(fd, (struct sockaddr *) &sun, sizeof(sun), timeout) < 0) {
        saved = errno;
        close(fd);
        errno = saved;
        return (-1);
    }
    return (fd);
}

int     sock_inet_listen(const char *host, const char *port, int family,
                         int backlog, int *fds, int max_fds)
{
    struct addrinfo hints, *res, *ai;
    int     count = 0, on = 1, err, saved = 0;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = family == SOCK_FAMILY_INET ? AF_INET :
        family == SOCK_FAMILY_INET6 ? AF_INET6 : AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    if ((err = getaddrinfo(host, port, &hints, &res)) != 0) {
        errno = err == EAI_SYSTEM ? errno : EADDRNOTAVAIL;
        return (-1);
    }
    for (ai = res; ai && count < max_fds; ai = ai->ai_next) {
        int     fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                            ai->ai_protocol);

        if (fd < 0) {
            saved = errno;
            continue;
        }
        (void) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
        if (ai->ai_family == AF_INET6)
            (void) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, backlog) < 0) {
            saved = errno;
            close(fd);
            continue;
        }
        fds[count++] = fd;
    }
    freeaddrinfo(res);
    if (count == 0) {
        errno = saved ? saved : EADDRNOTAVAIL;
        return (-1);
    }
    return (count);
}

int     sock_inet_connect(const char *host, const char *port, int timeout)
{
    struct addrinfo hints, *res, *ai;
    int     fd = -1, saved = ECONNREFUSED;

    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    if (getaddrinfo(host, port, &hints, &res) != 0) {
        errno = EADDRNOTAVAIL;
        return (-1);
    }
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            saved = errno;
            continue;
        }
        if (sock_connect_wait(fd, ai->ai_addr, ai->ai_addrlen, timeout) == 0)
            break;
        saved = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0)
        errno = saved;
    return (fd);
}

int     sock_addr_connect(const struct sockaddr *sa, socklen_t len,
                          const struct sockaddr *bind_sa, socklen_t bind_len,
                          int timeout)
{
    int     fd, saved;

    if ((fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
        return (-1);
    if ((bind_sa && bind(fd, bind_sa, bind_len) < 0)
        || sock_connect_wait(fd, sa, len, timeout) < 0) {
        saved = errno;
        close(fd);
        errno = saved;
        return (-1);
    }
    return (fd);
}

/*
 * sock_fifo_listen - open a FIFO for reading. It is opened read-write so
 * that the reader never sees end-of-file when the last writer leaves.
 */
int     sock_fifo_listen(const char *path, mode_t mode)
{
    (void) unlink(path);
    if (mkfifo(path, mode) < 0 || chmod(path, mode) < 0)
        return (-1);
    return (open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC));
}

int     sock_peer_name(int fd, char *addr, size_t addr_len, char *port,
                       size_t port_len)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);

    if (getpeername(fd, (struct sockaddr *) &ss, &len) < 0)
        return (-1);
    if (ss.ss_family == AF_UNIX) {
        snprintf(addr, addr_len, "localhost");
        snprintf(port, port_len, "0");
        return (0);
    }
    return (getnameinfo((struct sockaddr *) &ss, len, addr, (socklen_t) addr_len,
                        port, (socklen_t) port_len,
                        NI_NUMERICHOST | NI_NUMERICSERV) == 0 ? 0 : -1);
}
