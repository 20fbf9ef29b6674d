/* NAME
 *	deliver_request_test 1
 * SUMMARY
 *	unit tests for deliver_request(3), the qmgr <-> agent protocol
 * DESCRIPTION
 *	Round-trip rows: deliver_request_call() against a forked agent
 *	listening on $queue_directory/private/agent (a scratch directory),
 *	which reads the request with deliver_request_read() and answers each
 *	recipient with a result that echoes what it received, so the
 *	parent sees every field arrive intact; from one recipient up to the
 *	limit of 1000, with awkward address bytes.
 *
 *	Request rows: a request message built from "name=value" lines (or a
 *	raw wire) is fed to deliver_request_read() over a socketpair; the
 *	row says whether it is accepted and which warning it logs. They
 *	cover every required attribute missing or malformed.
 *
 *	Reply rows: a forked fake agent sends a crafted announcement and
 *	reply; deliver_request_call() must fail, log why, and leave every
 *	recipient deferred with "delivery agent failure".
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attr.h"
#include "buf.h"
#include "config.h"
#include "deliver_request.h"
#include "harness.h"
#include "mem.h"
#include "msg.h"
#include "sock.h"
#include "stream.h"

#define QID     "0P2V9C1ABCDE0FGH1"     /* a valid queue ID */
#define WIRE(s) s, sizeof(s) - 1        /* a wire and its length */

static char top[] = "/tmp/deliver_request_test.XXXXXX";
static BUF *agent_path;

/* A valid request, one attribute per line; rows edit it. */
static const char *valid_request =
"queue_name=active\n"
"queue_id=" QID "\n"
"nexthop=postern.test\n"
"sender=a@b\n"
"arrival_time=1700000000.000001\n"
"active_time=1700000001.500000\n"
"rcpt_count=2\n"
"rcpt_0=x@y\n"
"orig_rcpt_0=\n"
"rcpt_offset_0=0\n"
"rcpt_1=z@y\n"
"orig_rcpt_1=alias@y\n"
"rcpt_offset_1=1\n";

typedef struct REQUEST_ROW {
    const char *label;
    const char *drop;                   /* attribute left out, or NULL */
    const char *set;                    /* "name=value" replacing/added */
    const char *wire;                   /* raw wire instead, or NULL */
    size_t  wire_len;                   /* its length (NUL bytes inside) */
    int     want_ok;
    const char *want_log;               /* substring of the warning */
} REQUEST_ROW;

static const REQUEST_ROW request_rows[] = {
    {"valid request", 0, 0, 0, 0, 1, 0},
    {"extra attribute ignored", 0, "future_thing=1", 0, 0, 1, 0},
    {"missing queue_name", "queue_name", 0, 0, 0, 0, "missing or bad queue_name"},
    {"queue_name with slash", 0, "queue_name=../etc", 0, 0, 0, "missing or bad queue_name"},
    {"queue_name empty", 0, "queue_name=", 0, 0, 0, "missing or bad queue_name"},
    {"missing queue_id", "queue_id", 0, 0, 0, 0, "missing or bad queue_id"},
    {"queue_id not an ID", 0, "queue_id=../../x", 0, 0, 0, "missing or bad queue_id"},
    {"missing nexthop", "nexthop", 0, 0, 0, 0, "missing nexthop"},
    {"missing sender", "sender", 0, 0, 0, 0, "missing sender"},
    {"null sender is fine", 0, "sender=", 0, 0, 1, 0},
    {"missing arrival_time", "arrival_time", 0, 0, 0, 0, "missing or bad arrival_time"},
    {"arrival_time short usec", 0, "arrival_time=1700000000.5", 0, 0, 0,
    "missing or bad arrival_time"},
    {"arrival_time no dot", 0, "arrival_time=1700000000", 0, 0, 0,
    "missing or bad arrival_time"},
    {"arrival_time sign", 0, "arrival_time=-1.000000", 0, 0, 0,
    "missing or bad arrival_time"},
    {"missing active_time", "active_time", 0, 0, 0, 0, "missing or bad active_time"},
    {"retry 0", 0, "retry=0", 0, 0, 1, 0},
    {"retry 1", 0, "retry=1", 0, 0, 1, 0},
    {"retry 2", 0, "retry=2", 0, 0, 0, "bad retry"},
    {"retry empty", 0, "retry=", 0, 0, 0, "bad retry"},
    {"retry junk", 0, "retry=yes", 0, 0, 0, "bad retry"},
    {"missing rcpt_count", "rcpt_count", 0, 0, 0, 0, "missing or bad rcpt_count"},
    {"rcpt_count zero", 0, "rcpt_count=0", 0, 0, 0, "missing or bad rcpt_count"},
    {"rcpt_count junk", 0, "rcpt_count=2x", 0, 0, 0, "missing or bad rcpt_count"},
    {"rcpt_count over limit", 0, "rcpt_count=1001", 0, 0, 0, "missing or bad rcpt_count"},
    {"rcpt_count more than sent", 0, "rcpt_count=3", 0, 0, 0, "missing or bad recipient 2"},
    {"missing rcpt_1", "rcpt_1", 0, 0, 0, 0, "missing or bad recipient 1"},
    {"empty rcpt_0", 0, "rcpt_0=", 0, 0, 0, "missing or bad recipient 0"},
    {"missing orig_rcpt_0", "orig_rcpt_0", 0, 0, 0, 0, "missing or bad recipient 0"},
    {"missing rcpt_offset_1", "rcpt_offset_1", 0, 0, 0, 0, "missing or bad recipient 1"},
    {"negative rcpt_offset_0", 0, "rcpt_offset_0=-1", 0, 0, 0, "missing or bad recipient 0"},
    {"NUL in sender", 0, 0,
        WIRE("10:queue_name,6:active,8:queue_id,17:" QID ",7:nexthop,1:h,6:sender,3:a\0b,"
             "12:arrival_time,8:1.000000,11:active_time,8:1.000000,10:rcpt_count,1:1,"
             "6:rcpt_0,1:x,11:orig_rcpt_0,0:,13:rcpt_offset_0,1:0,0:,"),
    0, "missing sender"},
    {"not an attribute message", 0, 0, WIRE("hello world\n"), 0,
    "read request: malformed message"},
    {"truncated message", 0, 0, WIRE("10:queue_name,6:active,"), 0,
    "read request: malformed message"},
    {"nothing at all", 0, 0, WIRE(""), 0, "read request: end of input"},
};

/* build_request - the valid request with one row's edit applied. */

static ATTR *build_request(const REQUEST_ROW *row)
{
    ATTR   *a = attr_new();
    STRV   *lines = strv_split(valid_request, "\n");
    const char *set_name_end = row->set ? strchr(row->set, '=') : 0;
    size_t  set_len = set_name_end ? (size_t) (set_name_end - row->set) : 0;
    int     set_done = 0;

    for (size_t i = 0; i < lines->argc; i++) {
        char   *line = lines->argv[i];
        char   *eq = strchr(line, '=');

        *eq = 0;
        if (row->drop && strcmp(line, row->drop) == 0)
            continue;
        if (set_name_end && strlen(line) == set_len
            && strncmp(line, row->set, set_len) == 0) {
            attr_add_str(a, line, set_name_end + 1);
            set_done = 1;
            continue;
        }
        attr_add_str(a, line, eq + 1);
    }
    if (set_name_end && !set_done) {
        char   *name = mem_strndup(row->set, set_len);

        attr_add_str(a, name, set_name_end + 1);
        mem_free(name);
    }
    strv_free(&lines);
    return (a);
}

static void run_request_row(const REQUEST_ROW *row)
{
    int     sv[2];
    STREAM *peer, *agent;
    DELIVER_REQUEST *req = 0;
    ATTR   *a;
    int     status;
    char    label[256];

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        msg_fatal("socketpair: %m");
    peer = stream_open(sv[0]);
    agent = stream_open(sv[1]);
    stream_set_timeout(agent, 5);
    if (row->wire) {
        stream_write(peer, row->wire, row->wire_len);
        stream_flush(peer);
    } else {
        a = build_request(row);
        attr_write(peer, a);
        attr_free(&a);
    }
    shutdown(sv[0], SHUT_WR);
    status = deliver_request_read(agent, &req);
    snprintf(label, sizeof(label), "request: %s: result", row->label);
    harness_inteq(label, status, row->want_ok ? 0 : -1);
    snprintf(label, sizeof(label), "request: %s: req_r", row->label);
    harness_check((req != 0) == row->want_ok, label, "req %p", (void *) req);
    if (req && row->set && strncmp(row->set, "retry=", 6) == 0) {
        snprintf(label, sizeof(label), "request: %s: retry", row->label);
        harness_inteq(label, req->retry, atoi(row->set + 6));
    }
    if (req && !row->wire && row->set == 0) {
        snprintf(label, sizeof(label), "request: %s: fields", row->label);
        harness_check(strcmp(req->queue_name, "active") == 0
                      && strcmp(req->queue_id, QID) == 0
                      && strcmp(req->nexthop, "postern.test") == 0
                      && strcmp(req->sender, "a@b") == 0
                      && req->arrival_time.tv_sec == 1700000000
                      && req->arrival_time.tv_usec == 1
                      && req->active_time.tv_sec == 1700000001
                      && req->active_time.tv_usec == 500000
                      && req->retry == 1  /* absent: the safe value */
                      && req->count == 2
                      && strcmp(req->rcpts[0].address, "x@y") == 0
                      && strcmp(req->rcpts[0].orig, "") == 0
                      && req->rcpts[0].offset == 0
                      && strcmp(req->rcpts[1].address, "z@y") == 0
                      && strcmp(req->rcpts[1].orig, "alias@y") == 0
                      && req->rcpts[1].offset == 1
                      && req->rcpts[0].status == 0, label, "fields differ");
    }
    /* The agent always announced its protocol first. */
    a = attr_new();
    stream_set_timeout(peer, 5);
    snprintf(label, sizeof(label), "request: %s: announcement", row->label);
    harness_check(attr_read(peer, a, 0) == ATTR_OK
                  && attr_get_str(a, ATTR_PROTOCOL)
                  && strcmp(attr_get_str(a, ATTR_PROTOCOL), DELIVER_PROTOCOL) == 0,
                  label, "no announcement");
    attr_free(&a);
    snprintf(label, sizeof(label), "request: %s: log", row->label);
    harness_log_check(label, row->want_log);
    deliver_request_free(&req);
    stream_close(&peer);
    stream_close(&agent);
}

/*
 * Fake agents. Each is a function run in a forked child on one accepted
 * connection; it exits when done.
 */
typedef void (*AGENT_FN) (STREAM *s);

static pid_t start_agent(AGENT_FN fn)
{
    int     listen_fd, fd;
    pid_t   pid;
    STREAM *s;

    if ((listen_fd = sock_unix_listen(agent_path->data, 10, 0600)) < 0)
        msg_fatal("listen %s: %m", agent_path->data);
    if ((pid = fork()) < 0)
        msg_fatal("fork: %m");
    if (pid == 0) {
        if ((fd = accept(listen_fd, 0, 0)) < 0)
            _exit(1);
        s = stream_open(fd);
        stream_set_timeout(s, 10);
        fn(s);
        stream_close(&s);
        _exit(0);
    }
    close(listen_fd);
    return (pid);
}

static int wait_agent(pid_t pid)
{
    int     status;

    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            msg_fatal("waitpid: %m");
    return (WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

/* echo_agent - a real agent: every field comes back in the reason. */

static void echo_agent(STREAM *s)
{
    DELIVER_REQUEST *req;
    BUF    *reason = buf_new(256);
    static const int statuses[] = {DELIVER_SENT, DELIVER_DEFER, DELIVER_BOUNCE};
    static const char *dsns[] = {"2.0.0", "4.2.1", "5.1.1"};

    if (deliver_request_read(s, &req) < 0)
        _exit(2);
    for (size_t i = 0; i < req->count; i++) {
        DELIVER_RCPT *r = req->rcpts + i;

        buf_reset(reason);
        buf_printf(reason, "%s|%s|%s|%s|%d|%ld.%06ld|%ld.%06ld|%s|%s|%ld",
                   req->queue_name, req->queue_id, req->nexthop, req->sender,
                   req->retry,
                   (long) req->arrival_time.tv_sec, (long) req->arrival_time.tv_usec,
                   (long) req->active_time.tv_sec, (long) req->active_time.tv_usec,
                   r->address, r->orig, r->offset);
        deliver_request_set_result(r, statuses[i % 3], dsns[i % 3], "local",
                                   reason->data);
    }
    if (deliver_request_reply(s, req) < 0)
        _exit(3);
    deliver_request_free(&req);
    buf_free(&reason);
}

typedef struct ROUND_ROW {
    const char *label;
    size_t  count;
    const char *sender;
    const char *address_fmt;            /* with %zu */
} ROUND_ROW;

static const ROUND_ROW round_rows[] = {
    {"one recipient", 1, "sender@example.com", "user%zu@example.com"},
    {"null sender", 3, "", "user%zu@example.com"},
    {"fifty recipients", 50, "s@x", "u%zu@x"},
    {"awkward bytes", 5, "\"a b\"@x", "\"q,u:o%zu,\"@[1.2.3.4] \t\xc3\xa9"},
    {"1000 recipients (the limit)", 1000, "s@x",
    "some.long.local.part.%zu@a.rather.long.domain.example"},
};

static void run_round_row(const ROUND_ROW *row)
{
    struct timeval arrival = {1700000000, 123456};
    struct timeval active = {1700000002, 7};
    DELIVER_REQUEST *req;
    BUF    *addr = buf_new(64);
    BUF    *want = buf_new(256);
    static const int statuses[] = {DELIVER_SENT, DELIVER_DEFER, DELIVER_BOUNCE};
    size_t  bad = row->count;
    pid_t   pid;
    int     status;
    char    label[256];

    req = deliver_request_new("active", QID, "nexthop.example", row->sender,
                              &arrival, &active);
    req->retry = (int) (row->count % 2);
    for (size_t i = 0; i < row->count; i++) {
        buf_reset(addr);
        buf_printf(addr, row->address_fmt, i);
        deliver_request_add(req, addr->data, i % 2 ? "orig@x" : "", (long) i * 3);
    }
    pid = start_agent(echo_agent);
    status = deliver_request_call("agent", req, 10);
    snprintf(label, sizeof(label), "round trip: %s: call", row->label);
    harness_inteq(label, status, 0);
    for (size_t i = 0; i < row->count && bad == row->count; i++) {
        DELIVER_RCPT *r = req->rcpts + i;

        buf_reset(want);
        buf_printf(want, "active|" QID "|nexthop.example|%s|%d|1700000000.123456|"
                   "1700000002.000007|%s|%s|%ld", row->sender, req->retry, r->address,
                   r->orig, r->offset);
        if (r->status != statuses[i % 3] || r->reason == 0
            || strcmp(r->reason, want->data) != 0 || strcmp(r->relay, "local") != 0
            || r->dsn[0] != '0' + statuses[i % 3])
            bad = i;
    }
    snprintf(label, sizeof(label), "round trip: %s: results", row->label);
    harness_check(bad == row->count, label, "recipient %zu: status %d reason %s",
                  bad, bad < row->count ? req->rcpts[bad].status : 0,
                  bad < row->count && req->rcpts[bad].reason ?
                  req->rcpts[bad].reason : "(none)");
    snprintf(label, sizeof(label), "round trip: %s: agent exit", row->label);
    harness_inteq(label, wait_agent(pid), 0);
    snprintf(label, sizeof(label), "round trip: %s: log", row->label);
    harness_log_check(label, 0);
    deliver_request_free(&req);
    buf_free(&addr);
    buf_free(&want);
}

/* Crafted replies: the announcement and the reply, as "name=value" lines. */

typedef struct REPLY_ROW {
    const char *label;
    const char *announce;               /* protocol name, NULL: none */
    const char *reply;                  /* NULL: close without reply */
    const char *want_log;
} REPLY_ROW;

static const REPLY_ROW reply_rows[] = {
    {"good reply (control)", DELIVER_PROTOCOL,
        "status_0=2\ndsn_0=2.0.0\nreason_0=ok\nrelay_0=local\n"
        "status_1=5\ndsn_1=5.1.1\nreason_1=no\nrelay_1=local\n", 0},
    {"wrong protocol", "qmgr_protocol", 0, "protocol mismatch"},
    {"no announcement, closed", 0, 0, "read protocol announcement: end of input"},
    {"closed before reply", DELIVER_PROTOCOL, 0, "read reply: end of input"},
    {"status 3", DELIVER_PROTOCOL,
        "status_0=3\ndsn_0=3.0.0\nreason_0=ok\nrelay_0=local\n"
        "status_1=5\ndsn_1=5.1.1\nreason_1=no\nrelay_1=local\n",
    "missing or bad result for recipient 0"},
    {"dsn of another class", DELIVER_PROTOCOL,
        "status_0=2\ndsn_0=5.0.0\nreason_0=ok\nrelay_0=local\n"
        "status_1=5\ndsn_1=5.1.1\nreason_1=no\nrelay_1=local\n",
    "missing or bad result for recipient 0"},
    {"dsn too short", DELIVER_PROTOCOL,
        "status_0=2\ndsn_0=2.0\nreason_0=ok\nrelay_0=local\n"
        "status_1=5\ndsn_1=5.1.1\nreason_1=no\nrelay_1=local\n",
    "missing or bad result for recipient 0"},
    {"dsn with junk", DELIVER_PROTOCOL,
        "status_0=2\ndsn_0=2.0.0 \nreason_0=ok\nrelay_0=local\n"
        "status_1=5\ndsn_1=5.1.1\nreason_1=no\nrelay_1=local\n",
    "missing or bad result for recipient 0"},
    {"missing reason", DELIVER_PROTOCOL,
        "status_0=2\ndsn_0=2.0.0\nrelay_0=local\n"
        "status_1=5\ndsn_1=5.1.1\nreason_1=no\nrelay_1=local\n",
    "missing or bad result for recipient 0"},
    {"missing relay", DELIVER_PROTOCOL,
        "status_0=2\ndsn_0=2.0.0\nreason_0=ok\n"
        "status_1=5\ndsn_1=5.1.1\nreason_1=no\nrelay_1=local\n",
    "missing or bad result for recipient 0"},
    {"second result missing", DELIVER_PROTOCOL,
        "status_0=2\ndsn_0=2.0.0\nreason_0=ok\nrelay_0=local\n",
    "missing or bad result for recipient 1"},
};

static const REPLY_ROW *current_reply;

static void crafted_agent(STREAM *s)
{
    ATTR   *a = attr_new();
    STRV   *lines;

    if (current_reply->announce)
        attr_announce(s, current_reply->announce);
    if (current_reply->announce == 0)
        return;
    /* The request has arrived before any reply (or close) of ours. */
    if (attr_read(s, a, 0) != ATTR_OK)
        _exit(2);
    if (current_reply->reply == 0)
        return;
    attr_reset(a);
    lines = strv_split(current_reply->reply, "\n");
    for (size_t i = 0; i < lines->argc; i++) {
        char   *eq = strchr(lines->argv[i], '=');

        *eq = 0;
        attr_add_str(a, lines->argv[i], eq + 1);
    }
    attr_write(s, a);
    strv_free(&lines);
    attr_free(&a);
}

static void run_reply_row(const REPLY_ROW *row)
{
    struct timeval tv = {1700000000, 0};
    DELIVER_REQUEST *req;
    pid_t   pid;
    int     status;
    char    label[256];
    int     want_ok = row->want_log == 0;

    req = deliver_request_new("active", QID, "h", "s@x", &tv, &tv);
    deliver_request_add(req, "a@x", "", 0);
    deliver_request_add(req, "b@x", "", 1);
    current_reply = row;
    pid = start_agent(crafted_agent);
    status = deliver_request_call("agent", req, 5);
    snprintf(label, sizeof(label), "reply: %s: call", row->label);
    harness_inteq(label, status, want_ok ? 0 : -1);
    snprintf(label, sizeof(label), "reply: %s: results", row->label);
    if (want_ok)
        harness_check(req->rcpts[0].status == DELIVER_SENT
                      && req->rcpts[1].status == DELIVER_BOUNCE
                      && strcmp(req->rcpts[1].dsn, "5.1.1") == 0, label,
                      "statuses %d %d", req->rcpts[0].status, req->rcpts[1].status);
    else
        harness_check(req->rcpts[0].status == DELIVER_DEFER
                      && req->rcpts[1].status == DELIVER_DEFER
                      && strcmp(req->rcpts[0].dsn, "4.3.0") == 0
                      && strncmp(req->rcpts[1].reason, "delivery agent failure: ",
                                 24) == 0, label, "statuses %d %d reason %s",
                      req->rcpts[0].status, req->rcpts[1].status,
                      req->rcpts[1].reason ? req->rcpts[1].reason : "(none)");
    wait_agent(pid);
    snprintf(label, sizeof(label), "reply: %s: log", row->label);
    harness_log_check(label, row->want_log);
    deliver_request_free(&req);
}

/* run_no_agent - nobody listens: deferred, with the connect error. */

static void run_no_agent(void)
{
    struct timeval tv = {1700000000, 0};
    DELIVER_REQUEST *req = deliver_request_new("active", QID, "h", "", &tv, &tv);

    deliver_request_add(req, "a@x", "", 0);
    (void) unlink(agent_path->data);
    harness_inteq("no agent: call", deliver_request_call("agent", req, 2), -1);
    harness_check(req->rcpts[0].status == DELIVER_DEFER
                  && strstr(req->rcpts[0].reason, "connect to private/agent") != 0,
                  "no agent: deferred", "reason %s", req->rcpts[0].reason);
    harness_log_check("no agent: log", "connect to private/agent");
    deliver_request_free(&req);
}

/* run_too_many - over the limit of 1000: refused before connecting. */

static void run_too_many(void)
{
    struct timeval tv = {1700000000, 0};
    DELIVER_REQUEST *req = deliver_request_new("active", QID, "h", "", &tv, &tv);

    for (long i = 0; i < 1001; i++)
        deliver_request_add(req, "a@x", "", i);
    harness_inteq("1001 recipients: call", deliver_request_call("agent", req, 2), -1);
    harness_check(req->rcpts[1000].status == DELIVER_DEFER, "1001 recipients: deferred",
                  "status %d", req->rcpts[1000].status);
    harness_log_check("1001 recipients: log", "request with 1001 recipients");
    deliver_request_free(&req);
}

/* run_result_misuse - a result without a status is a bug. */

static void run_result_misuse(void)
{
    struct timeval tv = {1, 0};
    DELIVER_REQUEST *req = deliver_request_new("active", QID, "h", "", &tv, &tv);

    deliver_request_add(req, "a@x", "", 0);
    harness_check(HARNESS_CATCH(deliver_request_set_result(req->rcpts, 3, "3.0.0",
                                                           "x", "y")),
                  "set_result status 3 panics", "no panic");
    harness_log_check("set_result status 3: log", "bad status 3");
    harness_check(HARNESS_CATCH(deliver_request_reply((STREAM *) 0, req)),
                  "reply without results panics", "no panic");
    harness_log_check("reply without results: log", "no result for recipient 0");
    deliver_request_free(&req);
    harness_check(req == 0, "free clears the pointer", "not cleared");
}

int     main(void)
{
    BUF    *dir = buf_new(64);

    harness_init("deliver_request_test");
    signal(SIGPIPE, SIG_IGN);
    if (mkdtemp(top) == 0)
        msg_fatal("mkdtemp: %m");
    buf_printf(dir, "%s/private", top);
    if (mkdir(dir->data, 0700) < 0)
        msg_fatal("mkdir %s: %m", dir->data);
    config_load(top, CONFIG_LOAD_DEFAULTS);
    config_override("queue_directory", top);
    agent_path = buf_new(64);
    buf_printf(agent_path, "%s/private/agent", top);

    for (size_t i = 0; i < sizeof(request_rows) / sizeof(request_rows[0]); i++)
        run_request_row(request_rows + i);
    for (size_t i = 0; i < sizeof(round_rows) / sizeof(round_rows[0]); i++)
        run_round_row(round_rows + i);
    for (size_t i = 0; i < sizeof(reply_rows) / sizeof(reply_rows[0]); i++)
        run_reply_row(reply_rows + i);
    run_no_agent();
    run_too_many();
    run_result_misuse();

    (void) unlink(agent_path->data);
    (void) rmdir(dir->data);
    (void) rmdir(top);
    buf_free(&dir);
    buf_free(&agent_path);
    return (harness_done());
}
