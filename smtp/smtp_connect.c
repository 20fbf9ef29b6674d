/* NAME
 *	smtp_connect 3
 * SUMMARY
 *	open a TCP connection to one SMTP server address
 * DESCRIPTION
 *	smtp_connect() connects to a target within smtp_connect_timeout,
 *	from smtp_bind_address when set (IPv4 connections only), and
 *	returns the descriptor, or -1 with Postfix's text in why:
 *	"connect to host[addr]:port: Connection refused".
 * PARAMETERS
 *	smtp_connect_timeout, smtp_bind_address.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "config.h"
#include "smtp.h"
#include "sock.h"

int     smtp_connect(const SMTP_TARGET *target, BUF *why)
{
    struct sockaddr_storage ss, bind_ss;
    struct sockaddr_in *sin = (struct sockaddr_in *) &ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &ss;
    const char *bind_addr = config_str(P_SMTP_BIND_ADDRESS);
    struct sockaddr_in *bind_sin = (struct sockaddr_in *) &bind_ss;
    int     use_bind = 0, fd;

    memset(&ss, 0, sizeof(ss));
    memset(&bind_ss, 0, sizeof(bind_ss));
    if (target->family == AF_INET) {
        sin->sin_family = AF_INET;
        sin->sin_port = htons((unsigned short) target->port);
        memcpy(&sin->sin_addr, target->addr, 4);
        if (*bind_addr) {
            bind_sin->sin_family = AF_INET;
            if (inet_pton(AF_INET, bind_addr, &bind_sin->sin_addr) != 1) {
                buf_printf(why, "bad smtp_bind_address: %s", bind_addr);
                return (-1);
            }
            use_bind = 1;
        }
    } else {
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons((unsigned short) target->port);
        memcpy(&sin6->sin6_addr, target->addr, 16);
    }
    fd = sock_addr_connect((struct sockaddr *) &ss,
                           target->family == AF_INET ? sizeof(*sin) : sizeof(*sin6),
                           use_bind ? (struct sockaddr *) &bind_ss : 0,
                           sizeof(*bind_sin), (int) config_time(P_SMTP_CONNECT_TIMEOUT));
    if (fd < 0)
        buf_printf(why, "connect to %s[%s]:%u: %s", target->host, target->text,
                   target->port, errno == ETIMEDOUT ? "Connection timed out" :
                   strerror(errno));
    return (fd);
}
