/* NAME
 *	postern 1
 * SUMMARY
 *	Postern control program
 * SYNOPSIS
 *	postern [-c config_dir] [-v] command
 * DESCRIPTION
 *	Starts, stops and inspects one instance, like postfix(1):
 *	check	verify main.cf and master.cf (every error, not only the
 *		first), the queue tree (created when missing, with the right
 *		owners and modes), and the mail_owner and setgid_group
 *		accounts; exit 1 on any problem;
 *	start	check, then start master in the background; returns once
 *		master listens;
 *	start-fg  check, then run master in the foreground;
 *	stop	stop master and its children, and wait until they are gone;
 *	abort	the same, without the grace period for children;
 *	reload	re-read the configuration (SIGHUP to master);
 *	status	say whether the instance runs (exit 0) or not (exit 1);
 *	flush	ask the queue manager to retry deferred mail now.
 *
 *	Run by root, the queue tree belongs to mail_owner; run by anyone
 *	else, everything belongs to and runs as that user.
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
#include "mail_connect.h"
#include "mail_flush.h"
#include "master_cf.h"
#include "master_proto.h"
#include "mem.h"
#include "msg.h"
#include "priv.h"
#include "queue_tree.h"

#define POSTERN_STOP_WAIT_MS 30000

/* postern_master_pid - the pid of the running master, or 0. */

static pid_t postern_master_pid(void)
{
    BUF    *path = buf_new(256);
    pid_t   pid = 0;
    int     fd;

    buf_printf(path, "%s/pid/master.pid", config_str(P_QUEUE_DIRECTORY));
    if ((fd = open(path->data, O_RDWR | O_CLOEXEC)) >= 0) {
        pid = lock_holder(fd);
        close(fd);
    }
    buf_free(&path);
    return (pid > 0 ? pid : 0);
}

/* postern_check - report every problem; return how many there were. */

static int postern_check(void)
{
    int     problems = 0, missing;
    uid_t   owner = geteuid();
    gid_t   owner_gid = getegid(), setgid_gid = getegid();
    BUF    *path = buf_new(256);
    MASTER_CF *master;

    problems += config_check_types();
    buf_printf(path, "%s/master.cf", config_dir());
    master = master_cf_read(path->data, 0, &missing);
    if (missing) {
        msg_error("open %s: No such file or directory", path->data);
        problems++;
    }
    problems += master->errors;
    master_cf_free(&master);
    if (geteuid() == 0) {
        const char *user = config_str(P_MAIL_OWNER);
        const char *group = config_str(P_SETGID_GROUP);

        if (priv_lookup_user(user, &owner, &owner_gid) < 0) {
            msg_error("mail_owner account %s does not exist", user);
            problems++;
        } else if (owner == 0) {
            msg_error("mail_owner %s must not be root", user);
            problems++;
        }
        if (priv_lookup_group(group, &setgid_gid) < 0) {
            msg_error("setgid_group %s does not exist", group);
            problems++;
        }
    }
    if (problems == 0)
        problems += queue_tree_check(config_str(P_QUEUE_DIRECTORY), owner,
                                     owner_gid, setgid_gid, 1);
    if (problems == 0 && access(config_str(P_DATA_DIRECTORY), F_OK) < 0
        && mkdir(config_str(P_DATA_DIRECTORY), 0700) < 0) {
        msg_error("create directory %s: %m", config_str(P_DATA_DIRECTORY));
        problems++;
    }
    buf_free(&path);
    return (problems);
}

static char *postern_master_path(void)
{
    BUF    *path = buf_new(256);

    buf_printf(path, "%s/master", config_str(P_DAEMON_DIRECTORY));
    return (buf_export(&path));
}

static int postern_start(int foreground)
{
    char   *master = postern_master_path();
    pid_t   pid;
    int     status;

    if ((pid = postern_master_pid()) != 0)
        msg_fatal("the Postern mail system is already running (pid %ld)", (long) pid);
    if (postern_check() > 0)
        msg_fatal("configuration or queue problems: not starting");
    if (foreground) {
        msg_info("starting the Postern mail system in the foreground");
        execl(master, master, "-c", config_dir(), (char *) 0);
        msg_fatal("exec %s: %m", master);
    }
    msg_info("starting the Postern mail system");
    switch (pid = fork()) {
    case -1:
        msg_fatal("fork: %m");
    case 0:
        execl(master, master, "-c", config_dir(), "-w", (char *) 0);
        msg_fatal("exec %s: %m", master);
    default:
        /* master -w exits once the detached copy listens, or has failed. */
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
             /* void */ ;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            msg_fatal("mail system startup failed");
    }
    mem_free(master);
    return (0);
}

static int postern_signal_master(int sig, int wait)
{
    pid_t   pid = postern_master_pid();
    long    waited = 0;

    if (pid == 0)
        msg_fatal("the Postern mail system is not running");
    if (kill(pid, sig) < 0)
        msg_fatal("signal master pid %ld: %m", (long) pid);
    if (!wait)
        return (0);
    while (postern_master_pid() != 0) {
        if (waited >= POSTERN_STOP_WAIT_MS)
            msg_fatal("master pid %ld did not stop within %d seconds",
                      (long) pid, POSTERN_STOP_WAIT_MS / 1000);
        usleep(20000);
        waited += 20;
    }
    return (0);
}

static int postern_status(void)
{
    pid_t   pid = postern_master_pid();

    if (pid == 0) {
        msg_info("the Postern mail system is not running");
        return (1);
    }
    msg_info("the Postern mail system is running: PID: %ld", (long) pid);
    return (0);
}

static int postern_flush(void)
{
    if (postern_master_pid() == 0)
        msg_fatal("the Postern mail system is not running");
    if (mail_flush() < 0)
        msg_fatal("cannot reach the queue manager (public/qmgr): %m");
    return (0);
}

int     main(int argc, char **argv)
{
    const char *dir = 0;
    const char *command;
    int     ch;

    msg_init(argv[0]);
    while ((ch = getopt(argc, argv, "c:v")) != -1) {
        switch (ch) {
        case 'c':
            dir = optarg;
            break;
        case 'v':
            msg_verbose++;
            break;
        default:
            msg_fatal("usage: postern [-c config_dir] [-v] "
                      "start|start-fg|stop|abort|reload|status|check|flush");
        }
    }
    if (optind + 1 != argc)
        msg_fatal("usage: postern [-c config_dir] [-v] "
                  "start|start-fg|stop|abort|reload|status|check|flush");
    command = argv[optind];
    if (strcmp(command, "check") == 0) {
        int     errors = config_load(dir, CONFIG_LOAD_CHECK);

        return (errors + postern_check() > 0 ? 1 : 0);
    }
    config_load(dir, 0);
    if (strcmp(command, "start") == 0)
        return (postern_start(0));
    if (strcmp(command, "start-fg") == 0)
        return (postern_start(1));
    if (strcmp(command, "stop") == 0) {
        msg_info("stopping the Postern mail system");
        return (postern_signal_master(SIGTERM, 1));
    }
    if (strcmp(command, "abort") == 0) {
        msg_info("aborting the Postern mail system");
        return (postern_signal_master(SIGQUIT, 1));
    }
    if (strcmp(command, "reload") == 0) {
        msg_info("refreshing the Postern mail system");
        return (postern_signal_master(SIGHUP, 0));
    }
    if (strcmp(command, "status") == 0)
        return (postern_status());
    if (strcmp(command, "flush") == 0)
        return (postern_flush());
    msg_fatal("unknown command: '%s'", command);
}
