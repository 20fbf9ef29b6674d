/* NAME
 *	deliver_request 3
 * SUMMARY
 *	qmgr <-> delivery agent protocol (local, smtp, ...)
 * DESCRIPTION
 *	The wire protocol is documented in deliver_request.h; this file
 *	encodes and checks it on top of attr(3).
 *
 *	deliver_request_read() does the agent's whole half of the opening:
 *	it announces DELIVER_PROTOCOL, then reads and checks one request, so
 *	that no agent can forget the announcement. deliver_request_call()
 *	is qmgr's half: connect to private/TRANSPORT, expect the
 *	announcement, send, read the results.
 *
 *	Checks. Every attribute the contract names must be there with a
 *	well-formed value: a queue name that is a plain directory name and a
 *	valid queue ID (the agent opens queue_name/queue_id, as root in the
 *	case of local, so neither may climb out of the queue), times as
 *	"sec.usec", retry 0 or 1 when present (absent: 1, the safe
 *	assumption), 1..DELIVER_REQUEST_RCPT_MAX recipients with non-empty
 *	addresses and non-negative queue file indexes; in a reply, a status
 *	of 2, 4 or 5 for every recipient and an RFC 3463 code of the same
 *	class. Unknown attributes are ignored, so the protocol can grow.
 *	Anything else is malformed: logged with msg_warn() and returned as
 *	-1, and the conversation is over.
 *
 *	Limits. A request or reply carries a few attributes per recipient,
 *	so the attribute count limit follows DELIVER_REQUEST_RCPT_MAX (1000
 *	recipients per request: attr(3) looks attributes up by name, one by
 *	one, which is fine for thousands of attributes, not for tens of
 *	thousands; qmgr's per-transport recipient limits are far lower); a
 *	single value (an address, a reason with command output) stays under
 *	DELIVER_REQUEST_VALUE_MAX.
 *
 *	Deadlines. deliver_request_call() uses the given timeout, or
 *	ipc_timeout when it is 0, both to connect and for every read and
 *	write: the reply comes only after the deliveries, which may take as
 *	long as command_time_limit.
 *
 *	When deliver_request_call() fails (agent down, died, malformed
 *	reply), it also sets every recipient's result to "deferred, 4.3.0,
 *	delivery agent failure: ...", so that the caller may simply use the
 *	results; it returns -1 either way.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attr.h"
#include "buf.h"
#include "config.h"
#include "deliver_request.h"
#include "mail_connect.h"
#include "mem.h"
#include "msg.h"
#include "queue_id.h"

#define DELIVER_REQUEST_RCPT_MAX    1000
#define DELIVER_REQUEST_VALUE_MAX   (64 * 1024)
#define DELIVER_REQUEST_NAME_MAX    64  /* queue_name */

static const ATTR_LIMITS deliver_request_limits = {
    DELIVER_REQUEST_VALUE_MAX,
    ATTR_DEF_TOTAL_MAX,
    16 + 4 * DELIVER_REQUEST_RCPT_MAX,
};

DELIVER_REQUEST *deliver_request_new(const char *queue_name,
                                     const char *queue_id,
                                     const char *nexthop,
                                     const char *sender,
                                     const struct timeval *arrival,
                                     const struct timeval *active)
{
    DELIVER_REQUEST *req = mem_calloc(1, sizeof(*req));

    req->queue_name = mem_strdup(queue_name);
    req->queue_id = mem_strdup(queue_id);
    req->nexthop = mem_strdup(nexthop);
    req->sender = mem_strdup(sender);
    req->arrival_time = *arrival;
    req->active_time = *active;
    req->retry = 1;                     /* the safe assumption */
    return (req);
}

void    deliver_request_add(DELIVER_REQUEST *req, const char *address,
                            const char *orig, long offset)
{
    DELIVER_RCPT *rcpt;

    /* Grow by doubling: count is a power of two when the array is full. */
    if ((req->count & (req->count - 1)) == 0)
        req->rcpts = mem_realloc(req->rcpts, (req->count ? req->count * 2 : 1)
                                 * sizeof(*req->rcpts));
    rcpt = req->rcpts + req->count++;
    memset(rcpt, 0, sizeof(*rcpt));
    rcpt->address = mem_strdup(address);
    rcpt->orig = mem_strdup(orig ? orig : "");
    rcpt->offset = offset;
}

static void deliver_request_clear_result(DELIVER_RCPT *rcpt)
{
    mem_free(rcpt->dsn);
    mem_free(rcpt->reason);
    mem_free(rcpt->relay);
    rcpt->dsn = rcpt->reason = rcpt->relay = 0;
    rcpt->status = 0;
}

void    deliver_request_set_result(DELIVER_RCPT *rcpt, int status,
                                   const char *dsn, const char *relay,
                                   const char *reason)
{
    if (status != DELIVER_SENT && status != DELIVER_DEFER
        && status != DELIVER_BOUNCE)
        msg_panic("deliver_request_set_result: bad status %d", status);
    deliver_request_clear_result(rcpt);
    rcpt->status = status;
    rcpt->dsn = mem_strdup(dsn);
    rcpt->relay = mem_strdup(relay);
    rcpt->reason = mem_strdup(reason);
}

void    deliver_request_free(DELIVER_REQUEST **reqp)
{
    DELIVER_REQUEST *req = *reqp;

    if (req == 0)
        return;
    for (size_t i = 0; i < req->count; i++) {
        mem_free(req->rcpts[i].address);
        mem_free(req->rcpts[i].orig);
        deliver_request_clear_result(req->rcpts + i);
    }
    mem_free(req->rcpts);
    mem_free(req->queue_name);
    mem_free(req->queue_id);
    mem_free(req->nexthop);
    mem_free(req->sender);
    mem_free(req);
    *reqp = 0;
}

/* deliver_request_name - "prefix_I" for recipient attribute I. */

static const char *deliver_request_name(char *buf, size_t size,
                                        const char *prefix, size_t i)
{
    snprintf(buf, size, "%s_%zu", prefix, i);
    return (buf);
}

static void deliver_request_add_time(ATTR *a, const char *name,
                                     const struct timeval *tv)
{
    char    text[64];

    snprintf(text, sizeof(text), "%ld.%06ld", (long) tv->tv_sec,
             (long) tv->tv_usec);
    attr_add_str(a, name, text);
}

/* deliver_request_parse_time - strict "sec.usec", six digits of usec. */

static int deliver_request_parse_time(const char *text, struct timeval *tv)
{
    const char *dot;
    char   *end;
    long    sec, usec;

    if (text == 0 || (dot = strchr(text, '.')) == 0 || dot == text
        || strlen(dot + 1) != 6 || strspn(text, "0123456789") != (size_t) (dot - text)
        || strspn(dot + 1, "0123456789") != 6)
        return (-1);
    errno = 0;
    sec = strtol(text, &end, 10);
    if (errno == ERANGE || end != dot)
        return (-1);
    usec = strtol(dot + 1, &end, 10);
    tv->tv_sec = sec;
    tv->tv_usec = usec;
    return (0);
}

/* deliver_request_name_ok - a queue directory name: no '/', no dots. */

static int deliver_request_name_ok(const char *name)
{
    size_t  len = strlen(name);

    if (len == 0 || len > DELIVER_REQUEST_NAME_MAX)
        return (0);
    for (const char *cp = name; *cp; cp++)
        if (!((*cp >= 'a' && *cp <= 'z') || (*cp >= 'A' && *cp <= 'Z')
              || (*cp >= '0' && *cp <= '9') || *cp == '_' || *cp == '-'))
            return (0);
    return (1);
}

/* deliver_request_dsn_ok - RFC 3463 "class.subject.detail", of this class. */

static int deliver_request_dsn_ok(const char *dsn, int status)
{
    size_t  n;

    if (dsn[0] != '0' + status || dsn[1] != '.')
        return (0);
    dsn += 2;
    if ((n = strspn(dsn, "0123456789")) < 1 || n > 3 || dsn[n] != '.')
        return (0);
    dsn += n + 1;
    if ((n = strspn(dsn, "0123456789")) < 1 || n > 3 || dsn[n] != 0)
        return (0);
    return (1);
}

static ATTR *deliver_request_encode(const DELIVER_REQUEST *req)
{
    ATTR   *a = attr_new();
    char    name[ATTR_NAME_MAX + 1];

    attr_add_str(a, "queue_name", req->queue_name);
    attr_add_str(a, "queue_id", req->queue_id);
    attr_add_str(a, "nexthop", req->nexthop);
    attr_add_str(a, "sender", req->sender);
    deliver_request_add_time(a, "arrival_time", &req->arrival_time);
    deliver_request_add_time(a, "active_time", &req->active_time);
    attr_add_int(a, "retry", req->retry);
    attr_add_int(a, "rcpt_count", (long) req->count);
    for (size_t i = 0; i < req->count; i++) {
        attr_add_str(a, deliver_request_name(name, sizeof(name), "rcpt", i),
                     req->rcpts[i].address);
        attr_add_str(a, deliver_request_name(name, sizeof(name), "orig_rcpt", i),
                     req->rcpts[i].orig);
        attr_add_int(a, deliver_request_name(name, sizeof(name), "rcpt_offset", i),
                     req->rcpts[i].offset);
    }
    return (a);
}

/*
 * deliver_request_decode - a checked request from a message, or NULL
 * with the problem in why.
 */
static DELIVER_REQUEST *deliver_request_decode(const ATTR *a, BUF *why)
{
    const char *queue_name = attr_get_str(a, "queue_name");
    const char *queue_id = attr_get_str(a, "queue_id");
    const char *nexthop = attr_get_str(a, "nexthop");
    const char *sender = attr_get_str(a, "sender");
    struct timeval arrival, active;
    DELIVER_REQUEST *req;
    char    name[ATTR_NAME_MAX + 1];
    const char *address, *orig;
    long    count, offset, retry = 1;

    if (queue_name == 0 || !deliver_request_name_ok(queue_name)) {
        buf_set(why, "missing or bad queue_name");
    } else if (queue_id == 0 || !queue_id_valid(queue_id)) {
        buf_set(why, "missing or bad queue_id");
    } else if (nexthop == 0) {
        buf_set(why, "missing nexthop");
    } else if (sender == 0) {
        buf_set(why, "missing sender");
    } else if (deliver_request_parse_time(attr_get_str(a, "arrival_time"), &arrival) < 0) {
        buf_set(why, "missing or bad arrival_time");
    } else if (deliver_request_parse_time(attr_get_str(a, "active_time"), &active) < 0) {
        buf_set(why, "missing or bad active_time");
    } else if (attr_get_str(a, "retry") != 0
               && (attr_get_int(a, "retry", &retry) < 0
                   || (retry != 0 && retry != 1))) {
        buf_set(why, "bad retry");
    } else if (attr_get_int(a, "rcpt_count", &count) < 0
               || count < 1 || count > DELIVER_REQUEST_RCPT_MAX) {
        buf_set(why, "missing or bad rcpt_count");
    } else {
        req = deliver_request_new(queue_name, queue_id, nexthop, sender,
                                  &arrival, &active);
        req->retry = (int) retry;
        for (long i = 0; i < count; i++) {
            address = attr_get_str(a, deliver_request_name(name, sizeof(name),
                                                           "rcpt", (size_t) i));
            orig = attr_get_str(a, deliver_request_name(name, sizeof(name),
                                                        "orig_rcpt", (size_t) i));
            if (address == 0 || *address == 0 || orig == 0
                || attr_get_int(a, deliver_request_name(name, sizeof(name),
                                                        "rcpt_offset", (size_t) i),
                                &offset) < 0 || offset < 0) {
                buf_printf(why, "missing or bad recipient %ld", i);
                deliver_request_free(&req);
                return (0);
            }
            deliver_request_add(req, address, orig, offset);
        }
        return (req);
    }
    return (0);
}

static ATTR *deliver_request_encode_results(const DELIVER_REQUEST *req)
{
    ATTR   *a;
    char    name[ATTR_NAME_MAX + 1];
    const DELIVER_RCPT *rcpt;

    for (size_t i = 0; i < req->count; i++)
        if (req->rcpts[i].status == 0)
            msg_panic("deliver_request_reply: no result for recipient %zu", i);
    a = attr_new();
    for (size_t i = 0; i < req->count; i++) {
        rcpt = req->rcpts + i;
        attr_add_int(a, deliver_request_name(name, sizeof(name), "status", i),
                     rcpt->status);
        attr_add_str(a, deliver_request_name(name, sizeof(name), "dsn", i),
                     rcpt->dsn);
        attr_add_str(a, deliver_request_name(name, sizeof(name), "reason", i),
                     rcpt->reason);
        attr_add_str(a, deliver_request_name(name, sizeof(name), "relay", i),
                     rcpt->relay);
    }
    return (a);
}

/*
 * deliver_request_decode_results - check every result first, then store
 * them all: a bad reply leaves no recipient half-updated.
 */
static int deliver_request_decode_results(const ATTR *a, DELIVER_REQUEST *req,
                                          BUF *why)
{
    char    name[ATTR_NAME_MAX + 1];
    const char *dsn, *reason, *relay;
    long    status;

    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < req->count; i++) {
            dsn = attr_get_str(a, deliver_request_name(name, sizeof(name), "dsn", i));
            reason = attr_get_str(a, deliver_request_name(name, sizeof(name), "reason", i));
            relay = attr_get_str(a, deliver_request_name(name, sizeof(name), "relay", i));
            if (attr_get_int(a, deliver_request_name(name, sizeof(name), "status", i),
                             &status) < 0
                || (status != DELIVER_SENT && status != DELIVER_DEFER
                    && status != DELIVER_BOUNCE)
                || dsn == 0 || !deliver_request_dsn_ok(dsn, (int) status)
                || reason == 0 || relay == 0) {
                buf_printf(why, "missing or bad result for recipient %zu", i);
                return (-1);
            }
            if (pass == 1)
                deliver_request_set_result(req->rcpts + i, (int) status, dsn,
                                           relay, reason);
        }
    }
    return (0);
}

/* deliver_request_io_error - describe a failed attr(3) operation. */

static void deliver_request_io_error(BUF *why, const char *what, int status)
{
    if (status == ATTR_IOERR)
        buf_printf(why, "%s: %s", what, strerror(errno));
    else
        buf_printf(why, "%s: %s", what, attr_strerror(status));
}

int     deliver_request_read(STREAM *stream, DELIVER_REQUEST **req_r)
{
    ATTR   *a;
    BUF    *why = buf_new(64);
    int     status;

    *req_r = 0;
    if ((status = attr_announce(stream, DELIVER_PROTOCOL)) != STREAM_OK) {
        deliver_request_io_error(why, "announce protocol", status);
    } else {
        a = attr_new();
        if ((status = attr_read(stream, a, &deliver_request_limits)) != ATTR_OK)
            deliver_request_io_error(why, "read request", status);
        else
            *req_r = deliver_request_decode(a, why);
        attr_free(&a);
    }
    if (*req_r == 0)
        msg_warn("delivery request: %s", why->data);
    buf_free(&why);
    return (*req_r ? 0 : -1);
}

int     deliver_request_reply(STREAM *stream, const DELIVER_REQUEST *req)
{
    ATTR   *a = deliver_request_encode_results(req);
    int     status;

    if ((status = attr_write(stream, a)) != STREAM_OK)
        msg_warn("delivery reply for %s: %s", req->queue_id,
                 status == STREAM_ERR ? strerror(errno) : stream_strerror(status));
    attr_free(&a);
    return (status == STREAM_OK ? 0 : -1);
}

/* deliver_request_talk - one conversation over a connected stream. */

static int deliver_request_talk(STREAM *s, DELIVER_REQUEST *req, BUF *why)
{
    ATTR   *a;
    int     status;

    if ((status = attr_expect(s, DELIVER_PROTOCOL, &deliver_request_limits)) != ATTR_OK) {
        deliver_request_io_error(why, "read protocol announcement", status);
        return (-1);
    }
    a = deliver_request_encode(req);
    status = attr_write(s, a);
    attr_reset(a);
    if (status != STREAM_OK) {
        deliver_request_io_error(why, "send request", status);
    } else if ((status = attr_read(s, a, &deliver_request_limits)) != ATTR_OK) {
        deliver_request_io_error(why, "read reply", status);
    } else if (deliver_request_decode_results(a, req, why) == 0) {
        attr_free(&a);
        return (0);
    }
    attr_free(&a);
    return (-1);
}

int     deliver_request_call(const char *transport, DELIVER_REQUEST *req,
                             int timeout)
{
    BUF    *why = buf_new(64);
    BUF    *reason;
    STREAM *s;
    int     fd, status = -1;

    if (timeout <= 0)
        timeout = (int) config_time(P_IPC_TIMEOUT);
    if (req->count == 0 || req->count > DELIVER_REQUEST_RCPT_MAX) {
        buf_printf(why, "request with %zu recipients", req->count);
    } else if ((fd = mail_connect("private", transport, timeout)) < 0) {
        buf_printf(why, "connect to private/%s: %s", transport, strerror(errno));
    } else {
        s = stream_open(fd);
        stream_set_timeout(s, timeout);
        status = deliver_request_talk(s, req, why);
        stream_close(&s);
    }
    if (status < 0) {
        msg_warn("%s: delivery agent %s: %s", req->queue_id, transport, why->data);
        reason = buf_new(64);
        buf_printf(reason, "delivery agent failure: %s", why->data);
        for (size_t i = 0; i < req->count; i++)
            deliver_request_set_result(req->rcpts + i, DELIVER_DEFER, "4.3.0",
                                       "none", reason->data);
        buf_free(&reason);
    }
    buf_free(&why);
    return (status);
}

/* deliver_request_serve - one request of a delivery agent, start to end. */

void    deliver_request_serve(int fd, DELIVER_REQUEST_FN fn)
{
    STREAM *s = stream_open(fd);
    DELIVER_REQUEST *req;
    struct timeval received;

    stream_set_timeout(s, (int) config_time(P_IPC_TIMEOUT));
    if (deliver_request_read(s, &req) == 0) {
        gettimeofday(&received, 0);
        fn(req, &received);
        (void) deliver_request_reply(s, req);
        deliver_request_free(&req);
    }
    /* The daemon skeleton closes the connection. */
    stream_release(&s);
}
