/* NAME
 *	testd 8
 * SUMMARY
 *	a daemon for testing master and the daemon skeleton
 * DESCRIPTION
 *	Behaviour comes from "-o testd_mode=MODE" in master.cf:
 *	echo	(one connection per process) for each line received,
 *		answers "PID: line"; the line "id" gets "PID UID GID CWD";
 *		"sleep N" waits N seconds before answering; "quit" ends the
 *		session;
 *	event	the same, many sessions in one process on the event loop;
 *	trigger	appends "PID REQUEST" to the file testd_log for every
 *		trigger or wakeup received;
 *	crash	exits with status 1 during start-up.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "daemon.h"
#include "mem.h"
#include "msg.h"
#include "stream.h"

#define TESTD_LINE_MAX 1024

static const char *testd_mode(void)
{
    const char *mode = config_value("testd_mode");

    return (mode ? mode : "echo");
}

/* testd_answer - the reply to one line; 0 when the session should end. */

static int testd_answer(const char *line, BUF *reply)
{
    char    cwd[256];

    buf_reset(reply);
    if (strcmp(line, "quit") == 0)
        return (0);
    if (strcmp(line, "id") == 0) {
        if (getcwd(cwd, sizeof(cwd)) == 0)
            snprintf(cwd, sizeof(cwd), "?");
        buf_printf(reply, "%ld %ld %ld %s\n", (long) getpid(), (long) geteuid(),
                   (long) getegid(), cwd);
        return (1);
    }
    if (strncmp(line, "sleep ", 6) == 0)
        sleep((unsigned) atoi(line + 6));
    buf_printf(reply, "%ld: %s\n", (long) getpid(), line);
    return (1);
}

static void testd_serve(int fd)
{
    STREAM *s = stream_open(fd);
    BUF    *line = buf_new(128);
    BUF    *reply = buf_new(128);

    stream_set_timeout(s, 60);
    while (stream_read_line(s, line, TESTD_LINE_MAX) == STREAM_OK) {
        buf_truncate(line, strcspn(line->data, "\r\n"));
        if (!testd_answer(line->data, reply))
            break;
        stream_write(s, reply->data, reply->len);
        if (stream_flush(s) != STREAM_OK)
            break;
    }
    stream_release(&s);
    buf_free(&line);
    buf_free(&reply);
}

/* Event mode: one small state per session. */

typedef struct TESTD_SESSION {
    int     fd;
    BUF    *in;
} TESTD_SESSION;

static void testd_session_end(TESTD_SESSION *session)
{
    events_unwatch(daemon_events(), session->fd);
    close(session->fd);
    buf_free(&session->in);
    mem_free(session);
    daemon_session_done();
}

static void testd_session_input(int fd, int ready, void *context)
{
    TESTD_SESSION *session = context;
    BUF    *reply = buf_new(128);
    char    data[512];
    ssize_t n;
    char   *nl;

    (void) ready;
    n = read(fd, data, sizeof(data));
    if (n == 0 || (n < 0 && errno != EAGAIN)) {
        buf_free(&reply);
        testd_session_end(session);
        return;
    }
    if (n > 0)
        buf_append(session->in, data, (size_t) n);
    while ((nl = memchr(session->in->data, '\n', session->in->len)) != 0) {
        size_t  len = (size_t) (nl - session->in->data);
        char   *line = mem_strndup(session->in->data, len);

        line[strcspn(line, "\r")] = 0;
        memmove(session->in->data, nl + 1, session->in->len - len - 1);
        buf_truncate(session->in, session->in->len - len - 1);
        if (!testd_answer(line, reply)
            || write(fd, reply->data, reply->len) != (ssize_t) reply->len) {
            mem_free(line);
            buf_free(&reply);
            testd_session_end(session);
            return;
        }
        mem_free(line);
    }
    if (session->in->len > TESTD_LINE_MAX)
        testd_session_end(session);
    buf_free(&reply);
}

static void testd_accept(int fd)
{
    TESTD_SESSION *session = mem_calloc(1, sizeof(*session));

    session->fd = fd;
    session->in = buf_new(128);
    events_watch(daemon_events(), fd, EVENTS_READ, testd_session_input, session);
}

static void testd_trigger(const char *request, size_t len)
{
    const char *path = config_value("testd_log");
    char    line[128];
    int     fd, n;

    if (path == 0)
        return;
    n = snprintf(line, sizeof(line), "%ld %.*s\n", (long) getpid(),
                 (int) (len > 64 ? 64 : len), request);
    if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644)) < 0)
        msg_fatal("open %s: %m", path);
    if (write(fd, line, (size_t) n) != n)
        msg_warn("write %s: %m", path);
    close(fd);
}

static void testd_post_init(void)
{
    if (strcmp(testd_mode(), "crash") == 0)
        msg_fatal("crashing at start-up as asked");
}

int     main(int argc, char **argv)
{
    DAEMON_SPEC spec;
    const char *mode;

    /* The mode decides the kind, so peek at -o testd_mode=... */
    mode = "echo";
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "-o") == 0 && strncmp(argv[i + 1], "testd_mode=", 11) == 0)
            mode = argv[i + 1] + 11;
    memset(&spec, 0, sizeof(spec));
    spec.post_init = testd_post_init;
    if (strcmp(mode, "event") == 0) {
        spec.kind = DAEMON_MULTI;
        spec.accept = testd_accept;
        spec.session_limit = 100;
    } else if (strcmp(mode, "trigger") == 0) {
        spec.kind = DAEMON_TRIGGER;
        spec.trigger = testd_trigger;
    } else {
        spec.kind = DAEMON_SINGLE;
        spec.serve = testd_serve;
    }
    return (daemon_main(argc, argv, &spec));
}
