/* NAME
 *	deliver_result 3
 * SUMMARY
 *	what every delivery agent does with a recipient's result
 * DESCRIPTION
 *	See deliver_result(3h). Shared by local, smtp and error.
 */
#include <string.h>

#include "deliver_result.h"
#include "mail_log.h"
#include "msg.h"

static const char *deliver_result_status(int status)
{
    switch (status) {
    case DELIVER_SENT:
        return ("sent");
    case DELIVER_DEFER:
        return ("deferred");
    default:
        return ("bounced");
    }
}

static double deliver_result_seconds(const struct timeval *from,
                                     const struct timeval *to)
{
    double  secs = (double) (to->tv_sec - from->tv_sec)
    + (double) (to->tv_usec - from->tv_usec) / 1e6;

    return (secs > 0 ? secs : 0);
}

void    deliver_result_log(const DELIVER_REQUEST *req, const DELIVER_RCPT *rcpt,
                           const struct timeval *received, double setup)
{
    MAIL_LOG_DELIVERY d;
    struct timeval now;
    double  rest;

    gettimeofday(&now, 0);
    rest = deliver_result_seconds(received, &now) - setup;
    memset(&d, 0, sizeof(d));
    d.queue_id = req->queue_id;
    d.recipient = rcpt->address;
    d.orig_recipient = rcpt->orig && *rcpt->orig ? rcpt->orig : 0;
    d.relay = rcpt->relay;
    d.delay = deliver_result_seconds(&req->arrival_time, &now);
    d.delays[0] = deliver_result_seconds(&req->arrival_time, &req->active_time);
    d.delays[1] = deliver_result_seconds(&req->active_time, received);
    d.delays[2] = setup > 0 ? setup : 0;
    d.delays[3] = rest > 0 ? rest : 0;
    d.dsn = rcpt->dsn;
    d.status = deliver_result_status(rcpt->status);
    d.reason = rcpt->reason;
    mail_log_delivery(&d);
}

int     deliver_result_mark(const DELIVER_REQUEST *req, QUEUE_FILE *qf,
                            const DELIVER_RCPT *rcpt)
{
    const QUEUE_FILE_RCPT *qrcpt;

    if (rcpt->status != DELIVER_SENT && rcpt->status != DELIVER_BOUNCE)
        return (0);
    if (rcpt->offset < 0 || (size_t) rcpt->offset >= queue_file_rcpt_count(qf)
        || strcmp((qrcpt = queue_file_rcpt(qf, (size_t) rcpt->offset))->address,
                  rcpt->address) != 0) {
        msg_warn("%s: recipient %s is not number %ld of the queue file",
                 req->queue_id, rcpt->address, rcpt->offset);
        return (-1);
    }
    if (queue_file_mark_done(qf, (size_t) rcpt->offset, 0) < 0) {
        msg_warn("%s: cannot mark recipient %s done: %m", req->queue_id,
                 rcpt->address);
        return (-1);
    }
    return (0);
}
