/* NAME
 *	smtp 8
 * SUMMARY
 *	Postern SMTP client: mail leaves the machine
 * SYNOPSIS
 *	smtp (started by master: "smtp unix - - n - - smtp",
 *	"relay unix - - n - - smtp")
 * DESCRIPTION
 *	The SMTP client takes delivery requests from the queue manager
 *	(deliver_request(3h)), one per connection, and delivers their
 *	recipients to the request's next hop: "domain" (MX lookup),
 *	"[host]" or "[host]:port" (no MX lookup), "host:port"; qmgr gives
 *	relayhost as next hop when it is set. The addresses of the next
 *	hop (smtp_addr(3)) are tried in order, at most
 *	smtp_mx_session_limit of them with a working connection, then the
 *	smtp_fallback_relay hosts; each session (smtp_proto(3)) settles
 *	the recipients it can, and what no session settled is deferred
 *	with the last trouble seen (smtp_trouble(3)).
 *
 *	For every recipient with a final result (sent, bounced) smtp marks
 *	it done in the queue file before it answers, logs the result in
 *	Postfix's shape
 *
 *	    QUEUEID: to=<u@example.com>, relay=mx.example.com[192.0.2.1]:25,
 *	    delay=0.41, delays=0.02/0.01/0.2/0.18, dsn=2.0.0,
 *	    status=sent (250 2.0.0 Ok: queued as 4XyZ)
 *
 *	and replies with all results; qmgr writes the bounces.
 *
 *	Privilege: none. smtp runs as mail_owner (master.cf unprivileged
 *	column "-"); it reads queue files and talks to the network.
 * PARAMETERS
 *	smtp_mx_session_limit, ipc_timeout, and those of smtp_addr(3),
 *	smtp_connect(3), smtp_proto(3).
 * STANDARDS
 *	RFC 5321, RFC 2920, RFC 1870, RFC 6152, RFC 3463, RFC 7505.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "daemon.h"
#include "deliver_result.h"
#include "dns_mx.h"
#include "mem.h"
#include "msg.h"
#include "smtp.h"

/* smtp_session - one connected target. */

static void smtp_session(SMTP_STATE *state, const SMTP_TARGET *target, int fd)
{
    SMTP_SESSION session;
    BUF    *name = buf_new(128);

    memset(&session, 0, sizeof(session));
    session.stream = stream_open(fd);
    session.target = target;
    buf_printf(name, "%s[%s]", target->host, target->text);
    session.namaddr = mem_strdup(name->data);
    buf_printf(name, ":%u", target->port);
    session.relay = buf_export(&name);
    session.reply = buf_new(256);
    smtp_proto_session(state, &session);
    (void) stream_close(&session.stream);
    buf_free(&session.reply);
    mem_free(session.namaddr);
    mem_free(session.relay);
}

/* smtp_deliver - try the targets until every recipient has a result. */

static void smtp_deliver(SMTP_STATE *state)
{
    SMTP_TARGETS targets;
    char    dsn[16];
    BUF    *why = buf_new(128);
    long    session_limit = config_int(P_SMTP_MX_SESSION_LIMIT);
    long    sessions = 0;
    int     fd;

    if (smtp_addr_targets(state->req->nexthop, &targets, dsn, why) != DNS_MX_OK) {
        smtp_trouble_pending(state, dsn[0] == '5' ? DELIVER_BOUNCE : DELIVER_DEFER,
                             dsn, 0, why->data);
        buf_free(&why);
        return;
    }
    for (size_t i = 0; i < targets.count && smtp_trouble_count_pending(state) > 0; i++) {
        if (session_limit > 0 && sessions >= session_limit)
            break;
        buf_reset(why);
        if ((fd = smtp_connect(targets.target + i, why)) < 0) {
            smtp_trouble_site(state, 0, "4.4.1", "%s", why->data);
            continue;
        }
        sessions++;
        smtp_session(state, targets.target + i, fd);
    }
    if (smtp_trouble_count_pending(state) > 0)
        smtp_trouble_pending(state, DELIVER_DEFER, state->dsn[0] == '4' ? state->dsn : "4.4.1",
                             state->relay, state->why->len ? state->why->data :
                             "no usable address");
    smtp_addr_free(&targets);
    buf_free(&why);
}

static void smtp_request(DELIVER_REQUEST *req, const struct timeval *received)
{
    SMTP_STATE state;
    BUF    *path = buf_new(64);
    BUF    *why = buf_new(64);

    memset(&state, 0, sizeof(state));
    state.req = req;
    state.received = *received;
    state.why = buf_new(128);
    buf_printf(path, "%s/%s", req->queue_name, req->queue_id);
    if (queue_file_open(path->data, QUEUE_FILE_UPDATE, &state.qf, why) < 0) {
        msg_warn("%s: cannot open queue file %s: %s", req->queue_id, path->data,
                 why->data);
        buf_printf(state.why, "cannot open queue file: %s", why->data);
        smtp_trouble_pending(&state, DELIVER_DEFER, "4.3.0", 0, state.why->data);
    } else {
        smtp_deliver(&state);
    }
    for (size_t i = 0; i < req->count; i++) {
        if (state.qf)
            (void) deliver_result_mark(req, state.qf, req->rcpts + i);
        deliver_result_log(req, req->rcpts + i, received, state.setup);
    }
    if (state.qf)
        queue_file_close(&state.qf);
    buf_free(&state.why);
    mem_free(state.relay);
    buf_free(&path);
    buf_free(&why);
}

static void smtp_serve(int fd)
{
    deliver_request_serve(fd, smtp_request);
}

static void smtp_post_init(void)
{
    /* Equal-preference MX hosts are shuffled (dns_mx_sort). */
    srandom((unsigned) time(0) ^ (unsigned) getpid());
}

int     main(int argc, char **argv)
{
    static DAEMON_SPEC spec;

    /* Privilege: none kept; master.cf runs smtp as mail_owner. */
    spec.kind = DAEMON_SINGLE;
    spec.post_init = smtp_post_init;
    spec.serve = smtp_serve;
    return (daemon_main(argc, argv, &spec));
}
