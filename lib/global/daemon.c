/* NAME
 *	daemon 3
 * SUMMARY
 *	the one skeleton every Postern daemon runs on
 * DESCRIPTION
 *	Signals only set a flag and write a byte to a self-pipe that the
 *	event loop watches, so all real work happens in ordinary context.
 *	Listening sockets are non-blocking: several children of one service
 *	wake up for the same connection and all but one get EAGAIN.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "config.h"
#include "daemon.h"
#include "master_proto.h"
#include "mem.h"
#include "msg.h"
#include "priv.h"
#include "sock.h"
#include "strv.h"

#define DAEMON_TRIGGER_MAX  1024        /* bytes read from one trigger */
#define DAEMON_TRIGGER_WAIT 1000        /* ms to wait for them */

static const DAEMON_SPEC *daemon_spec;
static EVENTS *daemon_loop;
static char *daemon_service_name;
static STRV *daemon_args;               /* arguments after the options */
static int daemon_listen_count;
static int daemon_use_count;
static int daemon_session_count;
static int daemon_accepting;
static int daemon_reported = -1;
static volatile sig_atomic_t daemon_stop_flag;
static int daemon_signal_pipe[2] = {-1, -1};
static EVENTS_TIMER *daemon_idle_timer;
static long daemon_max_use;
static long daemon_max_idle;

EVENTS *daemon_events(void)
{
    return (daemon_loop);
}

const char *daemon_service(void)
{
    return (daemon_service_name);
}

/* daemon_argv - the program's own master.cf arguments (not -o). */

const char *daemon_argv(int index)
{
    return (index >= 0 && (size_t) index < daemon_args->argc ?
            daemon_args->argv[index] : 0);
}

int     daemon_sessions(void)
{
    return (daemon_session_count);
}

int     daemon_stopping(void)
{
    return (daemon_stop_flag != 0);
}

static void daemon_report(int status)
{
    MASTER_STATUS msg;

    if (status == daemon_reported)
        return;
    daemon_reported = status;
    memset(&msg, 0, sizeof(msg));
    msg.pid = getpid();
    msg.status = status;
    /* Not started by master: there is nobody to tell. */
    if (write(MASTER_STATUS_FD, &msg, sizeof(msg)) != sizeof(msg) && errno != EBADF)
        msg_warn("status update to master: %m");
}

static void daemon_signal(int sig)
{
    int     saved = errno;

    (void) sig;
    daemon_stop_flag = 1;
    if (daemon_signal_pipe[1] >= 0 && write(daemon_signal_pipe[1], "", 1) < 0) {
        /* The pipe is full: a wakeup is pending anyway. */
    }
    errno = saved;
}

static void daemon_listen_watch(int on);

/* daemon_maybe_exit - leave when asked to and nothing is in progress. */

static void daemon_maybe_exit(void)
{
    if (daemon_stop_flag && daemon_session_count == 0)
        exit(0);
}

static void daemon_idle_expired(void *context)
{
    (void) context;
    daemon_idle_timer = 0;
    if (daemon_session_count == 0) {
        if (msg_verbose)
            msg_info("idle timeout -- exiting");
        exit(0);
    }
}

static void daemon_idle_restart(void)
{
    events_cancel(daemon_loop, &daemon_idle_timer);
    if (daemon_spec->kind == DAEMON_TRIGGER || daemon_session_count > 0)
        return;
    if (daemon_max_idle > 0)
        daemon_idle_timer = events_timer(daemon_loop, daemon_max_idle * 1000,
                                         daemon_idle_expired, 0);
}

/*
 * daemon_update - after any change in the number of sessions: tell
 * master whether we take more, keep accepting or not, and exit when
 * max_use is reached and the last session is gone.
 */
static void daemon_update(void)
{
    long    max_use = daemon_max_use;
    int     used_up;

    /*
     * max_use counts connections per process in Postfix, where a process
     * holds one session. A process that holds many sessions gets
     * max_use per session slot, so it is not replaced every max_use
     * clients while it serves hundreds at once.
     */
    if (daemon_spec->kind == DAEMON_MULTI && daemon_spec->session_limit > 0)
        max_use *= daemon_spec->session_limit;
    used_up = daemon_spec->kind != DAEMON_TRIGGER
        && max_use > 0 && daemon_use_count >= max_use;
    int     full = daemon_spec->kind == DAEMON_SINGLE ? daemon_session_count > 0 :
    daemon_spec->session_limit > 0
    && daemon_session_count >= daemon_spec->session_limit;

    if (used_up || daemon_stop_flag) {
        daemon_listen_watch(0);
        daemon_report(MASTER_STATUS_BUSY);
        if (daemon_session_count == 0)
            exit(0);
        return;
    }
    daemon_listen_watch(!full);
    daemon_report(full ? MASTER_STATUS_BUSY : MASTER_STATUS_AVAIL);
    daemon_idle_restart();
}

void    daemon_session_done(void)
{
    if (daemon_session_count <= 0)
        msg_panic("daemon_session_done: no session open");
    daemon_session_count--;
    daemon_update();
}

/* daemon_trigger_read - read a short trigger request, briefly. */

static void daemon_trigger_read(int fd)
{
    char    buf[DAEMON_TRIGGER_MAX];
    struct pollfd pfd = {fd, POLLIN, 0};
    ssize_t n;

    if (poll(&pfd, 1, DAEMON_TRIGGER_WAIT) <= 0)
        return;
    if ((n = read(fd, buf, sizeof(buf))) > 0)
        daemon_spec->trigger(buf, (size_t) n);
}

static void daemon_listen_ready(int listen_fd, int ready, void *context)
{
    int     fd;

    (void) ready;
    (void) context;
    if (daemon_spec->kind == DAEMON_TRIGGER && !daemon_accepting)
        return;
    /* A FIFO carries the request itself. */
    if (daemon_spec->kind == DAEMON_TRIGGER
        && (fd = accept4(listen_fd, 0, 0, SOCK_CLOEXEC)) < 0 && errno == ENOTSOCK) {
        daemon_trigger_read(listen_fd);
        return;
    }
    if (daemon_spec->kind != DAEMON_TRIGGER)
        fd = accept4(listen_fd, 0, 0, SOCK_CLOEXEC |
                     (daemon_spec->kind == DAEMON_MULTI ? SOCK_NONBLOCK : 0));
    if (fd < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR
            && errno != ECONNABORTED)
            msg_warn("accept: %m");
        return;
    }
    daemon_use_count++;
    switch (daemon_spec->kind) {
    case DAEMON_TRIGGER:
        daemon_trigger_read(fd);
        close(fd);
        break;
    case DAEMON_SINGLE:
        daemon_session_count++;
        daemon_report(MASTER_STATUS_BUSY);
        events_cancel(daemon_loop, &daemon_idle_timer);
        daemon_spec->serve(fd);
        close(fd);
        daemon_session_count--;
        break;
    case DAEMON_MULTI:
        daemon_session_count++;
        daemon_spec->accept(fd);
        break;
    }
    daemon_update();
}

static void daemon_listen_watch(int on)
{
    if (on == daemon_accepting)
        return;
    daemon_accepting = on;
    for (int i = 0; i < daemon_listen_count; i++) {
        if (on)
            events_watch(daemon_loop, MASTER_LISTEN_FD + i, EVENTS_READ,
                         daemon_listen_ready, 0);
        else
            events_unwatch(daemon_loop, MASTER_LISTEN_FD + i);
    }
}

static void daemon_lifeline(int fd, int ready, void *context)
{
    char    buf[64];

    (void) ready;
    (void) context;
    if (read(fd, buf, sizeof(buf)) <= 0) {
        /* master is gone: finish what is in progress, then leave. */
        events_unwatch(daemon_loop, fd);
        daemon_stop_flag = 1;
        daemon_update();
    }
}

static void daemon_signal_ready(int fd, int ready, void *context)
{
    char    buf[64];

    (void) ready;
    (void) context;
    while (read(fd, buf, sizeof(buf)) > 0)
         /* void */ ;
    if (daemon_stop_flag)
        daemon_update();
}

/* daemon_drop - give up privileges as master asked (-u, -z). */

static void daemon_drop(int unpriv, int do_chroot)
{
    const char *queue_dir = config_str(P_QUEUE_DIRECTORY);
    uid_t   uid;
    gid_t   gid;

    if (geteuid() == 0 && unpriv) {
        const char *owner = config_str(P_MAIL_OWNER);

        if (priv_lookup_user(owner, &uid, &gid) < 0)
            msg_fatal("mail_owner account %s does not exist", owner);
        if (uid == 0)
            msg_fatal("mail_owner %s must not be root", owner);
        if (chdir(queue_dir) < 0)
            msg_fatal("chdir %s: %m", queue_dir);
        priv_drop(uid, gid, do_chroot ? queue_dir : 0);
    } else if (chdir(queue_dir) < 0) {
        msg_fatal("chdir %s: %m", queue_dir);
    }
}

int     daemon_main(int argc, char **argv, const DAEMON_SPEC *spec)
{
    const char *dir = 0;
    int     ch, unpriv = 0, do_chroot = 0;
    struct sigaction sa;

    daemon_spec = spec;
    msg_init(argv[0]);
    msg_to_stderr(isatty(2));
    daemon_service_name = mem_strdup(msg_program());
    while ((ch = getopt(argc, argv, "+c:n:t:s:uzo:v")) != -1) {
        switch (ch) {
        case 'c':
            dir = optarg;
            break;
        case 'n':
            mem_free(daemon_service_name);
            daemon_service_name = mem_strdup(optarg);
            break;
        case 't':
            break;
        case 's':
            daemon_listen_count = atoi(optarg);
            if (daemon_listen_count < 0 || daemon_listen_count > MASTER_LISTEN_MAX)
                msg_fatal("bad listener count: %s", optarg);
            break;
        case 'u':
            unpriv = 1;
            break;
        case 'z':
            do_chroot = 1;
            break;
        case 'o':
            break;                      /* applied after config_load */
        case 'v':
            msg_verbose++;
            break;
        default:
            msg_fatal("usage: %s -c dir -n service -t type -s count [-u] [-z] "
                      "[-o name=value] [-v]", argv[0]);
        }
    }
    daemon_args = strv_new();
    for (int i = optind; i < argc; i++)
        strv_add(daemon_args, argv[i]);
    config_load(dir, 0);
    optind = 1;
    while ((ch = getopt(argc, argv, "+c:n:t:s:uzo:v")) != -1)
        if (ch == 'o' && config_override_arg(optarg) < 0)
            msg_fatal("bad -o option: %s", optarg);
    config_setup_logging();
    msg_to_stderr(0);
    daemon_max_use = config_int(P_MAX_USE);
    daemon_max_idle = config_time(P_MAX_IDLE);

    daemon_loop = events_new();
    if (spec->pre_init)
        spec->pre_init();
    daemon_drop(unpriv, do_chroot);
    if (spec->post_init)
        spec->post_init();

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, 0);
    if (pipe2(daemon_signal_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
        msg_fatal("pipe: %m");
    sa.sa_handler = daemon_signal;
    sigaction(SIGHUP, &sa, 0);
    sigaction(SIGTERM, &sa, 0);
    {
        sigset_t stop;                  /* master blocked them until now */

        sigemptyset(&stop);
        sigaddset(&stop, SIGHUP);
        sigaddset(&stop, SIGTERM);
        sigprocmask(SIG_UNBLOCK, &stop, 0);
    }

    events_watch(daemon_loop, daemon_signal_pipe[0], EVENTS_READ,
                 daemon_signal_ready, 0);
    if (fcntl(MASTER_LIFELINE_FD, F_GETFD) >= 0)
        events_watch(daemon_loop, MASTER_LIFELINE_FD, EVENTS_READ,
                     daemon_lifeline, 0);
    for (int i = 0; i < daemon_listen_count; i++)
        sock_nonblock(MASTER_LISTEN_FD + i, 1);
    daemon_update();
    for (;;) {
        events_run(daemon_loop, -1);
        daemon_maybe_exit();
    }
}
