/* NAME
 *	qmgr 8
 * SUMMARY
 *	Postern queue manager
 * SYNOPSIS
 *	qmgr (started by master: "qmgr unix n - n 300 1 qmgr")
 * DESCRIPTION
 *	The only process that moves files between queue directories. On
 *	a wakeup (from smtpd and pickup after each new message, and from
 *	master every wakeup period) it moves new mail from incoming/ to
 *	active/; every queue_run_delay it brings deferred mail whose retry
 *	time has come back into active/ (all of it on a flush request:
 *	"postern flush", "postqueue -f", ETRN). On start-up it puts back
 *	into play whatever a crash left in active/.
 *
 *	Each recipient is resolved to a transport and next hop and handed
 *	to that transport's delivery agent (deliver_request(3)) within the
 *	concurrency limits; what is left undelivered goes to deferred/ with
 *	its retry time as the file's modification time; what failed for
 *	good, or stayed too long, is bounced to the sender (bounce(3)).
 * PARAMETERS
 *	mydestination, relay_domains, local_transport, relay_transport,
 *	default_transport, relayhost, defer_transports,
 *	qmgr_message_active_limit, default_destination_concurrency_limit,
 *	local_destination_concurrency_limit,
 *	default_destination_recipient_limit, local_destination_recipient_limit,
 *	TRANSPORT_destination_concurrency_limit,
 *	TRANSPORT_destination_recipient_limit, minimal_backoff_time,
 *	maximal_backoff_time, queue_run_delay, maximal_queue_lifetime,
 *	bounce_queue_lifetime, delay_warning_time.
 */
#include <string.h>

#include "config.h"
#include "daemon.h"
#include "master_proto.h"
#include "msg.h"
#include "qmgr.h"

static EVENTS_TIMER *qmgr_deferred_timer;
static EVENTS_TIMER *qmgr_scan_timer;

static void qmgr_scan_event(void *context)
{
    (void) context;
    qmgr_scan_timer = 0;
    qmgr_scan_incoming();
    qmgr_sched_run();
}

/*
 * qmgr_scan_soon - look at incoming/ again once the current work is done:
 * qmgr itself queued something there (a bounce), and nobody else will
 * wake us for it.
 */
void    qmgr_scan_soon(void)
{
    if (qmgr_scan_timer == 0)
        qmgr_scan_timer = events_timer(daemon_events(), 0, qmgr_scan_event, 0);
}

static void qmgr_deferred_event(void *context)
{
    (void) context;
    qmgr_deferred_timer = 0;
    qmgr_scan_deferred(0);
    qmgr_sched_run();
    qmgr_deferred_timer = events_timer(daemon_events(),
                                       config_time(P_QUEUE_RUN_DELAY) * 1000,
                                       qmgr_deferred_event, 0);
}

/*
 * qmgr_trigger - one-byte requests, except that a per-site or per-message
 * flush carries its argument up to a NUL.
 */
static void qmgr_trigger(const char *request, size_t len)
{
    int     flush = 0;

    for (size_t i = 0; i < len; i++) {
        if (request[i] == MASTER_TRIGGER_FLUSH) {
            flush = 1;
        } else if (request[i] == MASTER_TRIGGER_FLUSH_SITE
                   || request[i] == MASTER_TRIGGER_FLUSH_ID) {
            const char *arg = request + i + 1;
            const char *end = memchr(arg, 0, len - i - 1);

            if (end == 0) {
                msg_warn("trigger request without its terminator: ignored");
                break;
            }
            qmgr_scan_deferred_match(request[i] == MASTER_TRIGGER_FLUSH_SITE ?
                                     arg : 0, request[i] == MASTER_TRIGGER_FLUSH_ID ?
                                     arg : 0);
            i = (size_t) (end - request);
        }
    }
    if (flush)
        qmgr_scan_deferred(1);
    qmgr_scan_incoming();
    qmgr_sched_run();
}

static void qmgr_post_init(void)
{
    qmgr_deliver_init();
    qmgr_recover_active();
    qmgr_scan_incoming();
    qmgr_sched_run();
    /* The first deferred scan comes soon after start-up, then regularly. */
    qmgr_deferred_timer = events_timer(daemon_events(), 1000, qmgr_deferred_event, 0);
}

int     main(int argc, char **argv)
{
    static DAEMON_SPEC spec;

    spec.kind = DAEMON_TRIGGER;
    spec.post_init = qmgr_post_init;
    spec.trigger = qmgr_trigger;
    return (daemon_main(argc, argv, &spec));
}
