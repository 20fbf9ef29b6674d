/* NAME
 *	master_wakeup 3
 * SUMMARY
 *	periodic wakeups for services with a wakeup time
 * DESCRIPTION
 *	Every "wakeup" seconds master connects to the service's own socket
 *	and sends one MASTER_TRIGGER_WAKEUP byte; if no child is running,
 *	that connection is the demand that starts one. With the "?" suffix
 *	the wakeup is only sent once the service has been used. A busy
 *	receiver never blocks master: the write is non-blocking and a
 *	wakeup that cannot be delivered at once is dropped (the next one
 *	comes soon).
 */
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "master.h"
#include "msg.h"
#include "sock.h"

static void master_wakeup_send(MASTER_SERV *serv)
{
    char    request = MASTER_TRIGGER_WAKEUP;
    int     fd;

    if (serv->socket_path == 0)
        return;
    if (strcmp(serv->type, "fifo") == 0)
        fd = open(serv->socket_path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    else
        fd = sock_unix_connect(serv->socket_path, 1);
    if (fd < 0) {
        if (msg_verbose)
            msg_info("wakeup %s: %m", serv->socket_path);
        return;
    }
    if ((strcmp(serv->type, "fifo") == 0 ? write(fd, &request, 1) :
         send(fd, &request, 1, MSG_NOSIGNAL | MSG_DONTWAIT)) != 1 && msg_verbose)
        msg_info("wakeup %s: %m", serv->socket_path);
    close(fd);
}

static void master_wakeup_event(void *context)
{
    MASTER_SERV *serv = context;

    serv->wakeup_timer = 0;
    if (serv->removed)
        return;
    if (!serv->wakeup_if_used || serv->used)
        master_wakeup_send(serv);
    master_wakeup_start(serv);
}

/*
 * master_wakeup_soon - a wakeup service (qmgr, pickup) lost its last
 * child: wake it again in a moment rather than at the next period, or
 * mail that is already queued would wait for up to a whole period.
 */
void    master_wakeup_soon(MASTER_SERV *serv)
{
    if (serv->wakeup <= 0 || serv->removed)
        return;
    events_cancel(master_loop, &serv->wakeup_timer);
    serv->wakeup_timer = events_timer(master_loop, 1000, master_wakeup_event, serv);
}

void    master_wakeup_start(MASTER_SERV *serv)
{
    if (serv->wakeup > 0 && serv->wakeup_timer == 0 && !serv->removed)
        serv->wakeup_timer = events_timer(master_loop, serv->wakeup * 1000L,
                                          master_wakeup_event, serv);
}
