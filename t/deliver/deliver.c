/* NAME
 *	deliver 1
 * SUMMARY
 *	test tool: write a queue file, send a delivery request
 * SYNOPSIS
 *	deliver -c dir -w queue_name -f sender [-a name=value]...
 *		[[-O orig] -r rcpt]... < message
 *	deliver -c dir -q queue_name -i queue_id -t transport [-n nexthop]
 *		[-T timeout] [-1] rcpt...
 * DESCRIPTION
 *	With -w, writes a queue file into queue_name (relative to the
 *	instance's queue_directory) with the queue_file(3) API: arrival
 *	time now, the sender ("" for <>), attributes from -a, the
 *	recipients from -r (each with the original recipient given by the
 *	-O before it, if any), and standard input as the content (LF line
 *	ends, as smtpd stores it). Prints the queue ID.
 *
 *	With -q/-i, sends one delivery request (deliver_request(3)) to
 *	private/transport for the named recipients, which must be in the
 *	queue file (done or not: the tool does what it is told, so that a
 *	repeated request can be tested). Prints one line per recipient:
 *
 *	    status dsn relay reason
 *
 *	status being sent, deferred or bounced. The request says retry=1
 *	(an earlier attempt may have delivered), or with -1 retry=0 (the
 *	first attempt, as qmgr sends for a message new to the active
 *	queue). Exit status 0 when the
 *	agent answered, 1 otherwise (the lines then show the deferral).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "deliver_request.h"
#include "mem.h"
#include "msg.h"
#include "queue_file.h"
#include "strv.h"

static void deliver_usage(void)
{
    msg_fatal("usage: deliver -c dir -w queue -f sender [-a name=value]... "
              "[[-O orig] -r rcpt]... < message\n"
              "       deliver -c dir -q queue -i id -t transport [-n nexthop] "
              "[-T timeout] [-1] rcpt...");
}

static void deliver_check(int status, const char *what)
{
    if (status < 0)
        msg_fatal("%s: %m", what);
}

static int deliver_write(const char *queue, const char *sender, STRV *attrs,
                         STRV *rcpts)
{
    QUEUE_FILE *qf = queue_file_create(queue);
    struct timeval now;
    char    id[QUEUE_ID_SIZE];
    char    data[8192];
    size_t  n;

    if (qf == 0)
        msg_fatal("create queue file in %s: %m", queue);
    gettimeofday(&now, 0);
    deliver_check(queue_file_add_time(qf, &now), "add time");
    deliver_check(queue_file_add_sender(qf, sender), "add sender");
    for (size_t i = 0; i < attrs->argc; i++) {
        char   *eq = strchr(attrs->argv[i], '=');

        if (eq == 0)
            deliver_usage();
        *eq = 0;
        deliver_check(queue_file_add_attr(qf, attrs->argv[i], eq + 1), "add attribute");
    }
    /* rcpts holds pairs: recipient, original recipient ("" for none). */
    for (size_t i = 0; i + 1 < rcpts->argc; i += 2)
        deliver_check(queue_file_add_rcpt(qf, rcpts->argv[i],
                                          *rcpts->argv[i + 1] ? rcpts->argv[i + 1] : 0),
                      "add recipient");
    deliver_check(queue_file_begin_content(qf), "begin content");
    while ((n = fread(data, 1, sizeof(data), stdin)) > 0)
        deliver_check(queue_file_write_content(qf, data, n), "write content");
    if (ferror(stdin))
        msg_fatal("read standard input: %m");
    deliver_check(queue_file_end_content(qf), "end content");
    deliver_check(queue_file_commit(qf, id), "commit");
    printf("%s\n", id);
    return (0);
}

static const char *deliver_status_name(int status)
{
    return (status == DELIVER_SENT ? "sent" : status == DELIVER_DEFER ?
            "deferred" : status == DELIVER_BOUNCE ? "bounced" : "none");
}

static int deliver_send(const char *queue, const char *id, const char *transport,
                        const char *nexthop, int timeout, int first,
                        char **rcpts, int count)
{
    BUF    *path = buf_new(64);
    BUF    *why = buf_new(64);
    QUEUE_FILE *qf;
    DELIVER_REQUEST *req;
    struct timeval arrival, now;
    const QUEUE_FILE_RCPT *r = 0;
    size_t  j;
    int     status;

    buf_printf(path, "%s/%s", queue, id);
    if (queue_file_open(path->data, QUEUE_FILE_READ, &qf, why) < 0)
        msg_fatal("open %s: %s", path->data, why->data);
    queue_file_arrival(qf, &arrival);
    gettimeofday(&now, 0);
    req = deliver_request_new(queue, id, nexthop ? nexthop : config_str(P_MYHOSTNAME),
                              queue_file_sender(qf), &arrival, &now);
    req->retry = !first;
    for (int i = 0; i < count; i++) {
        for (j = 0; j < queue_file_rcpt_count(qf); j++)
            if (strcmp((r = queue_file_rcpt(qf, j))->address, rcpts[i]) == 0)
                break;
        if (j == queue_file_rcpt_count(qf))
            msg_fatal("%s: no recipient %s", path->data, rcpts[i]);
        deliver_request_add(req, r->address, r->orig ? r->orig : "", (long) j);
    }
    queue_file_close(&qf);
    status = deliver_request_call(transport, req, timeout);
    for (size_t i = 0; i < req->count; i++)
        printf("%s %s %s %s\n", deliver_status_name(req->rcpts[i].status),
               req->rcpts[i].dsn ? req->rcpts[i].dsn : "-",
               req->rcpts[i].relay ? req->rcpts[i].relay : "-",
               req->rcpts[i].reason ? req->rcpts[i].reason : "-");
    deliver_request_free(&req);
    buf_free(&path);
    buf_free(&why);
    return (status < 0 ? 1 : 0);
}

int     main(int argc, char **argv)
{
    const char *dir = 0, *write_queue = 0, *queue = 0, *id = 0, *transport = 0;
    const char *nexthop = 0, *sender = 0, *orig = "";
    STRV   *attrs = strv_new();
    STRV   *rcpts = strv_new();
    int     ch, timeout = 0, first = 0;
    int     status;

    msg_init(argv[0]);
    msg_to_stderr(1);
    while ((ch = getopt(argc, argv, "1a:c:f:i:n:O:q:r:t:T:w:")) != -1) {
        switch (ch) {
        case '1':
            first = 1;
            break;
        case 'a':
            strv_add(attrs, optarg);
            break;
        case 'c':
            dir = optarg;
            break;
        case 'f':
            sender = optarg;
            break;
        case 'i':
            id = optarg;
            break;
        case 'n':
            nexthop = optarg;
            break;
        case 'O':
            orig = optarg;
            break;
        case 'q':
            queue = optarg;
            break;
        case 'r':
            strv_add(rcpts, optarg);
            strv_add(rcpts, orig);
            orig = "";
            break;
        case 't':
            transport = optarg;
            break;
        case 'T':
            timeout = atoi(optarg);
            break;
        case 'w':
            write_queue = optarg;
            break;
        default:
            deliver_usage();
        }
    }
    config_load(dir, 0);
    if (chdir(config_str(P_QUEUE_DIRECTORY)) < 0)
        msg_fatal("chdir %s: %m", config_str(P_QUEUE_DIRECTORY));
    if (write_queue && sender && optind == argc)
        status = deliver_write(write_queue, sender, attrs, rcpts);
    else if (queue && id && transport && optind < argc)
        status = deliver_send(queue, id, transport, nexthop, timeout, first,
                              argv + optind, argc - optind);
    else
        deliver_usage();
    strv_free(&attrs);
    strv_free(&rcpts);
    return (status);
}
