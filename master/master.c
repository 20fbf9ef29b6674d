/* NAME
 *	master 8
 * SUMMARY
 *	Postern supervisor
 * SYNOPSIS
 *	master [-c config_dir] [-w] [-v]
 * DESCRIPTION
 *	Reads main.cf and master.cf, opens every listening socket, and
 *	forks each service's program on demand, up to its maxproc. Children
 *	that finish (max_use, max_idle) are reaped and replaced when there
 *	is demand again; a service whose program dies at start-up is
 *	throttled. Services with a wakeup time get a periodic wakeup.
 *
 *	One master per instance: master holds an exclusive lock on
 *	$queue_directory/pid/master.pid (which holds its pid) while it runs.
 *
 *	Signals: SIGHUP re-reads main.cf and master.cf (unchanged services
 *	keep their sockets; every child finishes its work and is replaced);
 *	SIGTERM stops: children get SIGTERM, then SIGKILL after a grace
 *	period, and the pid file is removed; SIGQUIT does the same at once.
 *
 *	-w: detach, and exit only once the detached master listens (0) or
 *	has failed (1). Without -w master stays in the foreground.
 * PARAMETERS
 *	queue_directory, daemon_directory, mail_owner, inet_interfaces,
 *	inet_protocols, default_process_limit, service_throttle_time,
 *	syslog_name, maillog_file.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "lock.h"
#include "master.h"
#include "mem.h"
#include "msg.h"
#include "param.h"
#include "priv.h"

#define MASTER_STOP_GRACE_MS 5000

EVENTS *master_loop;
int     master_lifeline[2] = {-1, -1};

static int master_signal_pipe[2] = {-1, -1};
static volatile sig_atomic_t master_got_hup;
static volatile sig_atomic_t master_got_term;
static volatile sig_atomic_t master_got_quit;
static volatile sig_atomic_t master_got_chld;
static char *master_pid_path;

static void master_signal(int sig)
{
    int     saved = errno;

    switch (sig) {
    case SIGHUP:
        master_got_hup = 1;
        break;
    case SIGTERM:
        master_got_term = 1;
        break;
    case SIGQUIT:
        master_got_quit = 1;
        break;
    case SIGCHLD:
        master_got_chld = 1;
        break;
    }
    if (write(master_signal_pipe[1], "", 1) < 0) {
        /* The pipe is full: a wakeup is pending anyway. */
    }
    errno = saved;
}

static void master_signal_drain(int fd, int ready, void *context)
{
    char    buf[64];

    (void) ready;
    (void) context;
    while (read(fd, buf, sizeof(buf)) > 0)
         /* void */ ;
}

/* master_stop - end every child, remove the pid file, and exit. */

static void master_stop(int sig)
{
    long    deadline = events_now_ms() + (sig == SIGQUIT ? 0 : MASTER_STOP_GRACE_MS);

    msg_info("terminating on signal %d", sig);
    master_signal_children(0, SIGTERM);
    while (master_children() > 0 && events_now_ms() < deadline) {
        usleep(20000);
        master_reap();
    }
    master_signal_children(0, SIGKILL);
    while (master_children() > 0) {
        usleep(10000);
        master_reap();
    }
    (void) unlink(master_pid_path);
    exit(0);
}

/*
 * master_lock - become the one master of this instance: lock the pid
 * file and write our pid into it.
 */
static int master_lock(void)
{
    BUF    *path = buf_new(256);
    char    pid[32];
    int     fd, len;
    pid_t   holder;

    buf_printf(path, "%s/pid/master.pid", config_str(P_QUEUE_DIRECTORY));
    master_pid_path = buf_export(&path);
    if ((fd = open(master_pid_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0)
        msg_fatal("open lock file %s: %m", master_pid_path);
    if (lock_exclusive(fd, 0) < 0) {
        holder = lock_holder(fd);
        msg_fatal("the Postern mail system is already running (pid %ld)",
                  (long) holder);
    }
    len = snprintf(pid, sizeof(pid), "%*lu\n", 10, (unsigned long) getpid());
    if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, (size_t) len, 0) != len)
        msg_fatal("write lock file %s: %m", master_pid_path);
    return (fd);
}

/* master_detach - -w: the parent waits until the child says it listens. */

static int master_detach(void)
{
    int     ready[2];
    char    byte;
    pid_t   pid;

    if (pipe2(ready, O_CLOEXEC) < 0)
        msg_fatal("pipe: %m");
    switch (pid = fork()) {
    case -1:
        msg_fatal("fork: %m");
    case 0:
        close(ready[0]);
        if (setsid() < 0)
            msg_warn("setsid: %m");
        return (ready[1]);
    default:
        close(ready[1]);
        /* EOF without a byte: the child died while starting. */
        exit(read(ready[0], &byte, 1) == 1 ? 0 : 1);
    }
}

static void master_check_owner(void)
{
    const char *owner = config_str(P_MAIL_OWNER);
    uid_t   uid;
    gid_t   gid;

    if (geteuid() != 0)
        return;
    if (priv_lookup_user(owner, &uid, &gid) < 0)
        msg_fatal("mail_owner account %s does not exist", owner);
    if (uid == 0)
        msg_fatal("mail_owner %s must not be root", owner);
}

int     main(int argc, char **argv)
{
    const char *dir = 0;
    int     ch, detach = 0, ready_fd = -1, null_fd;
    struct sigaction sa;

    msg_init(argv[0]);
    msg_to_stderr(1);
    while ((ch = getopt(argc, argv, "c:wv")) != -1) {
        switch (ch) {
        case 'c':
            dir = optarg;
            break;
        case 'w':
            detach = 1;
            break;
        case 'v':
            msg_verbose++;
            break;
        default:
            msg_fatal("usage: %s [-c config_dir] [-w] [-v]", argv[0]);
        }
    }
    config_load(dir, 0);
    config_setup_logging();
    master_check_owner();
    if (detach)
        ready_fd = master_detach();
    (void) master_lock();
    umask(022);

    if (pipe2(master_lifeline, O_CLOEXEC) < 0
        || pipe2(master_signal_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
        msg_fatal("pipe: %m");
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = master_signal;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGHUP, &sa, 0);
    sigaction(SIGTERM, &sa, 0);
    sigaction(SIGQUIT, &sa, 0);
    sigaction(SIGCHLD, &sa, 0);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, 0);

    master_loop = events_new();
    events_watch(master_loop, master_signal_pipe[0], EVENTS_READ,
                 master_signal_drain, 0);
    master_service_load(&master_services);
    /*
     * As Postfix's master: wakeup services (qmgr, pickup) get their first
     * wakeup right after start, so that mail left in the queue or in
     * maildrop/ while the system was down goes out at once.
     */
    for (MASTER_SERV *serv = master_services; serv; serv = serv->next) {
        master_service_watch(serv);
        master_wakeup_soon(serv);
    }
    if (chdir(config_str(P_QUEUE_DIRECTORY)) < 0)
        msg_fatal("chdir %s: %m", config_str(P_QUEUE_DIRECTORY));
    msg_info("daemon started -- version %s, configuration %s",
             config_str(P_MAIL_VERSION), config_dir());
    if (ready_fd >= 0) {
        /* Detached: nobody reads our stderr any more. */
        msg_to_stderr(0);
        if ((null_fd = open("/dev/null", O_RDWR)) >= 0) {
            dup2(null_fd, 0);
            dup2(null_fd, 1);
            dup2(null_fd, 2);
            if (null_fd > 2)
                close(null_fd);
        }
        if (write(ready_fd, "", 1) != 1)
            msg_warn("cannot tell the starting process we are ready: %m");
        close(ready_fd);
    }
    for (;;) {
        events_run(master_loop, -1);
        if (master_got_chld) {
            master_got_chld = 0;
            master_reap();
        }
        if (master_got_term)
            master_stop(SIGTERM);
        if (master_got_quit)
            master_stop(SIGQUIT);
        if (master_got_hup) {
            master_got_hup = 0;
            msg_info("reload -- version %s, configuration %s",
                     config_str(P_MAIL_VERSION), config_dir());
            master_service_reload();
        }
    }
}
