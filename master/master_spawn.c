/* NAME
 *	master_spawn 3
 * SUMMARY
 *	fork, track and reap the children of master
 * DESCRIPTION
 *	A new child counts as available from the moment it is forked, so
 *	the connection that caused it does not cause a second one. The
 *	child then says busy/available over its service's status pipe.
 *
 *	A child that exits abnormally is logged; one that does so before it
 *	ever reported is broken (bad program, bad configuration), and its
 *	service is throttled for service_throttle_time instead of being
 *	forked again in a tight loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "master.h"
#include "mem.h"
#include "msg.h"

static MASTER_PROC *master_procs;

int     master_children(void)
{
    int     count = 0;

    for (MASTER_PROC *proc = master_procs; proc; proc = proc->next)
        count++;
    return (count);
}

static MASTER_PROC *master_proc_find(pid_t pid, MASTER_PROC ***prev_r)
{
    MASTER_PROC **pp;

    for (pp = &master_procs; *pp; pp = &(*pp)->next) {
        if ((*pp)->pid == pid) {
            if (prev_r)
                *prev_r = pp;
            return (*pp);
        }
    }
    return (0);
}

static void master_proc_avail(MASTER_PROC *proc, int avail)
{
    if (proc->avail != avail) {
        proc->avail = avail;
        proc->serv->avail += avail ? 1 : -1;
    }
}

/* master_status_ready - children report busy/available. */

static void master_status_ready(int fd, int ready, void *context)
{
    MASTER_SERV *serv = context;
    MASTER_STATUS msg;

    (void) ready;
    while (read(fd, &msg, sizeof(msg)) == (ssize_t) sizeof(msg)) {
        MASTER_PROC *proc = master_proc_find(msg.pid, 0);

        /* A late report from a child already reaped: nothing to update. */
        if (proc == 0 || proc->serv != serv)
            continue;
        proc->reported = 1;
        master_proc_avail(proc, msg.status == MASTER_STATUS_AVAIL);
    }
    master_service_watch(serv);
}

/* master_child_fds - put the inherited descriptors in their places. */

static void master_child_fds(const MASTER_SERV *serv)
{
    int     want[2 + MASTER_LISTEN_MAX];
    int     count = 0, high[2 + MASTER_LISTEN_MAX];
    int     null_fd;

    want[count++] = serv->status_pipe[1];
    want[count++] = master_lifeline[0];
    for (int i = 0; i < serv->listen_count; i++)
        want[count++] = serv->listen_fds[i];
    /* Move everything out of the way first, so no dup2 clobbers a source. */
    for (int i = 0; i < count; i++)
        if ((high[i] = fcntl(want[i], F_DUPFD_CLOEXEC, 64)) < 0)
            msg_fatal("dup: %m");
    for (int i = 0; i < count; i++)
        if (dup2(high[i], MASTER_STATUS_FD + i) < 0)
            msg_fatal("dup2: %m");
    if ((null_fd = open("/dev/null", O_RDWR)) >= 0) {
        dup2(null_fd, 0);
        dup2(null_fd, 1);
        if (null_fd > 2)
            close(null_fd);
    }
}

static void master_exec(const MASTER_SERV *serv) __attribute__((noreturn));

static void master_exec(const MASTER_SERV *serv)
{
    STRV   *argv = strv_new();
    char    count[16];
    sigset_t stop;

    snprintf(count, sizeof(count), "%d", serv->listen_count);
    strv_add(argv, serv->path);
    strv_add(argv, "-c");
    strv_add(argv, config_dir());
    strv_add(argv, "-n");
    strv_add(argv, serv->name);
    strv_add(argv, "-t");
    strv_add(argv, serv->type);
    strv_add(argv, "-s");
    strv_add(argv, count);
    if (serv->unpriv)
        strv_add(argv, "-u");
    if (serv->chroot)
        strv_add(argv, "-z");
    for (size_t i = 0; i < serv->args->argc; i++)
        strv_add(argv, serv->args->argv[i]);
    master_child_fds(serv);

    /*
     * SIGHUP and SIGTERM stay blocked across exec until the skeleton has
     * its handlers: a reload that comes while a child starts must make it
     * finish its work, not kill it (which would look like a bad start-up
     * and throttle the service).
     */
    sigemptyset(&stop);
    sigaddset(&stop, SIGHUP);
    sigaddset(&stop, SIGTERM);
    sigprocmask(SIG_SETMASK, &stop, 0);
    execv(serv->path, argv->argv);
    msg_fatal("exec %s: %m", serv->path);
}

void    master_spawn(MASTER_SERV *serv)
{
    MASTER_PROC *proc;
    pid_t   pid;

    if (serv->status_pipe[0] >= 0 && !serv->used)
        events_watch(master_loop, serv->status_pipe[0], EVENTS_READ,
                     master_status_ready, serv);
    serv->used = 1;
    switch (pid = fork()) {
    case -1:
        msg_warn("fork: %m");
        return;
    case 0:
        {
            struct sigaction sa;

            memset(&sa, 0, sizeof(sa));
            sa.sa_handler = SIG_DFL;
            for (int sig = 1; sig < NSIG; sig++)
                (void) sigaction(sig, &sa, 0);
        }
        master_exec(serv);
    default:
        if (msg_verbose)
            msg_info("spawn %s pid %ld", serv->path, (long) pid);
        proc = mem_calloc(1, sizeof(*proc));
        proc->pid = pid;
        proc->serv = serv;
        proc->next = master_procs;
        master_procs = proc;
        serv->total++;
        master_proc_avail(proc, 1);
    }
}

void    master_signal_children(MASTER_SERV *serv, int sig)
{
    for (MASTER_PROC *proc = master_procs; proc; proc = proc->next)
        if (serv == 0 || proc->serv == serv)
            (void) kill(proc->pid, sig);
}

/* master_reap - collect every child that exited. */

void    master_reap(void)
{
    int     status;
    pid_t   pid;

    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        MASTER_PROC **prev;
        MASTER_PROC *proc = master_proc_find(pid, &prev);
        MASTER_SERV *serv;
        int     abnormal;

        if (proc == 0)
            continue;
        serv = proc->serv;
        abnormal = !WIFEXITED(status) || WEXITSTATUS(status) != 0;
        if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
            msg_warn("process %s pid %ld exit status %d", serv->path,
                     (long) pid, WEXITSTATUS(status));
        if (WIFSIGNALED(status))
            msg_warn("process %s pid %ld killed by signal %d", serv->path,
                     (long) pid, WTERMSIG(status));
        if (abnormal && !proc->reported && !serv->removed) {
            msg_warn("%s: bad command startup -- throttling", serv->path);
            serv->throttled_until = events_now_ms()
                + config_time(P_SERVICE_THROTTLE_TIME) * 1000;
        }
        master_proc_avail(proc, 0);
        serv->total--;
        *prev = proc->next;
        mem_free(proc);
        if (serv->removed && serv->total == 0) {
            for (MASTER_SERV **pp = &master_services; *pp; pp = &(*pp)->next) {
                if (*pp == serv) {
                    *pp = serv->next;
                    break;
                }
            }
            master_service_free(serv);
        } else {
            master_service_watch(serv);
            if (serv->total == 0 && abnormal)
                master_wakeup_soon(serv);
        }
    }
}
