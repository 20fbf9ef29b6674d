/* NAME
 *	error 8
 * SUMMARY
 *	Postern error delivery agent: every recipient bounces
 * SYNOPSIS
 *	error (started by master: "error unix - - n - - error")
 * DESCRIPTION
 *	The error agent takes delivery requests from the queue manager
 *	(deliver_request(3h)) and bounces every recipient, with the
 *	request's next hop as the reason: a transport_maps entry
 *	"example.com error:5.1.2 no mail here" makes mail for example.com
 *	bounce with dsn=5.1.2 and "no mail here". A next hop that does not
 *	start with a 5.x.x status code gets 5.0.0 and is the whole reason.
 *	Each recipient is marked done in the queue file and logged
 *
 *	    QUEUEID: to=<u@example.com>, relay=none, delay=0.01,
 *	    delays=0/0/0/0, dsn=5.0.0, status=bounced (no mail here)
 *
 *	before the reply; qmgr writes the bounce.
 *
 *	Privilege: none; runs as mail_owner.
 * PARAMETERS
 *	ipc_timeout.
 * STANDARDS
 *	RFC 3463.
 */
#include <ctype.h>
#include <string.h>
#include <sys/time.h>

#include "config.h"
#include "daemon.h"
#include "deliver_result.h"
#include "msg.h"

/* error_split - a leading "5.d.d " status code, or 5.0.0. */

static const char *error_split(const char *text, char *dsn_r)
{
    const char *cp = text;
    size_t  len;

    if (cp[0] == '5' && cp[1] == '.') {
        for (cp += 2; isdigit((unsigned char) *cp) || *cp == '.'; cp++)
             /* void */ ;
        len = (size_t) (cp - text);
        if (len >= 5 && len < 16 && (*cp == ' ' || *cp == 0)) {
            memcpy(dsn_r, text, len);
            dsn_r[len] = 0;
            return (cp + strspn(cp, " "));
        }
    }
    strcpy(dsn_r, "5.0.0");
    return (text);
}

static void error_request(DELIVER_REQUEST *req, const struct timeval *received)
{
    QUEUE_FILE *qf = 0;
    BUF    *path = buf_new(64);
    BUF    *why = buf_new(64);
    char    dsn[16];
    const char *reason = error_split(req->nexthop, dsn);
    int     status = DELIVER_BOUNCE;

    buf_printf(path, "%s/%s", req->queue_name, req->queue_id);
    if (queue_file_open(path->data, QUEUE_FILE_UPDATE, &qf, why) < 0) {
        msg_warn("%s: cannot open queue file %s: %s", req->queue_id, path->data,
                 why->data);
        buf_reset(path);
        buf_printf(path, "cannot open queue file: %s", why->data);
        reason = path->data;
        strcpy(dsn, "4.3.0");
        status = DELIVER_DEFER;
    }
    for (size_t i = 0; i < req->count; i++) {
        deliver_request_set_result(req->rcpts + i, status, dsn, "none",
                                   *reason ? reason : "delivery via error agent");
        if (qf)
            (void) deliver_result_mark(req, qf, req->rcpts + i);
        deliver_result_log(req, req->rcpts + i, received, 0);
    }
    if (qf)
        queue_file_close(&qf);
    buf_free(&path);
    buf_free(&why);
}

static void error_serve(int fd)
{
    deliver_request_serve(fd, error_request);
}

int     main(int argc, char **argv)
{
    static DAEMON_SPEC spec;

    /* Privilege: none kept; master.cf runs error as mail_owner. */
    spec.kind = DAEMON_SINGLE;
    spec.serve = error_serve;
    return (daemon_main(argc, argv, &spec));
}
