/* NAME
 *	sock 3h
 * SUMMARY
 *	socket set-up: listen and connect, UNIX-domain and TCP
 * DESCRIPTION
 *	Every descriptor made here is close-on-exec. Connects take a
 *	timeout in seconds and fail with errno ETIMEDOUT when it passes.
 *	sock_inet_listen() binds one address; "host" may be NULL (all
 *	addresses of the family), a numeric address, or a name resolved
 *	with getaddrinfo(3), which may yield several sockets.
 *	sock_addr_connect() connects a TCP socket to one address, first
 *	binding it to bind_sa when that is not NULL.
 */
#ifndef SOCK_H
#define SOCK_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

#define SOCK_FAMILY_ANY   0
#define SOCK_FAMILY_INET  1
#define SOCK_FAMILY_INET6 2

extern int sock_unix_listen(const char *path, int backlog, mode_t mode);
extern int sock_unix_connect(const char *path, int timeout);
extern int sock_inet_listen(const char *host, const char *port, int family,
                            int backlog, int *fds, int max_fds);
extern int sock_inet_connect(const char *host, const char *port, int timeout);
extern int sock_addr_connect(const struct sockaddr *sa, socklen_t len,
                             const struct sockaddr *bind_sa, socklen_t bind_len,
                             int timeout);
extern int sock_fifo_listen(const char *path, mode_t mode);
extern void sock_nonblock(int fd, int on);
extern void sock_cloexec(int fd, int on);
extern int sock_peer_name(int fd, char *addr, size_t addr_len, char *port,
                          size_t port_len);

#endif
