/* NAME
 *	local_deliver 3
 * SUMMARY
 *	one delivery, with the recipient's rights
 * DESCRIPTION
 *	PRIVILEGE. local keeps root (when the instance runs as root) only
 *	to act as each recipient in turn.
 *
 *	Maildir delivery runs in the local process itself, with the
 *	recipient's file system identity for its duration
 *	(local_fsid(3), which explains why that is safe): it creates and
 *	renames files and runs nothing of the user's, and a fork, a pipe
 *	and a wait per message would cost more than the delivery.
 *
 *	mbox and command deliveries run in a child forked for each: the
 *	child changes identity for good and can never hand root back to
 *	the long-lived parent by mistake, and whatever the delivery does
 *	(a command, a full disk, a crash) ends with the child. The parent
 *	keeps root and the queue file, marks the recipient done and logs
 *	the result.
 *
 *	The child drops to the rights of the target (local_deliver_drop():
 *	setgroups with the user's supplementary groups, which the parent
 *	looked up before fork (local_groups(3)), setresgid, setresuid,
 *	then a check that root cannot be regained) before it touches
 *	anything, except for an mbox file in the mail spool directory,
 *	where it may need root to create the file and its dot-lock in a
 *	directory that users cannot write: local_mbox.c switches only its
 *	effective ids there (local_deliver_switch()), writes the mail as
 *	the user so that quotas apply, and takes root back just to remove
 *	the lock.
 *
 *	The child answers with one attr(3) message on a pipe: status, dsn,
 *	reason. A child that dies without answering, or takes longer than
 *	ipc_timeout, leaves the recipient deferred.
 *
 *	The child dies with its parent (PR_SET_PDEATHSIG, set again after
 *	every change of identity, which clears it): when local is killed,
 *	no orphan goes on writing a mailbox while qmgr already retries the
 *	recipient.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attr.h"
#include "config.h"
#include "deliver_request.h"
#include "local.h"
#include "msg.h"
#include "stream.h"

static pid_t local_deliver_parent;

/* local_deliver_tie - die with the parent; identity changes undo this. */

static void local_deliver_tie(void)
{
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
        msg_fatal("prctl(PR_SET_PDEATHSIG): %m");
    if (getppid() != local_deliver_parent)
        _exit(1);                       /* it died before we asked */
}

void    local_deliver_drop(const LOCAL_USER *rights)
{
    uid_t   ruid, euid, suid;
    gid_t   rgid, egid, sgid;
    const gid_t *groups;
    int     ngroups;

    if (getuid() != 0)
        return;                         /* not privileged: we are the user */
    if (geteuid() != 0 && seteuid(0) < 0)
        msg_fatal("seteuid(0): %m");
    /* Cached, and looked up by the parent before fork: local_groups(3). */
    if ((ngroups = local_groups_get(rights->name, rights->gid, &groups)) < 0)
        msg_fatal("groups of %s: %m", rights->name);
    if (setgroups((size_t) ngroups, groups) < 0)
        msg_fatal("setgroups(%s): %m", rights->name);
    if (setresgid(rights->gid, rights->gid, rights->gid) < 0)
        msg_fatal("setresgid(%ld): %m", (long) rights->gid);
    if (setresuid(rights->uid, rights->uid, rights->uid) < 0)
        msg_fatal("setresuid(%ld): %m", (long) rights->uid);
    if (getresuid(&ruid, &euid, &suid) < 0 || getresgid(&rgid, &egid, &sgid) < 0)
        msg_fatal("getresuid: %m");
    if (ruid != rights->uid || euid != rights->uid || suid != rights->uid
        || rgid != rights->gid || egid != rights->gid || sgid != rights->gid)
        msg_fatal("privilege drop to %s did not take effect", rights->name);
    if (rights->uid != 0 && setuid(0) == 0)
        msg_fatal("privilege drop to %s is reversible", rights->name);
    local_deliver_tie();
}

void    local_deliver_switch(uid_t uid, gid_t gid)
{
    if (getuid() != 0)
        return;
    if ((geteuid() != 0 && seteuid(0) < 0) || setegid(gid) < 0 || seteuid(uid) < 0)
        msg_fatal("switch to uid %ld gid %ld: %m", (long) uid, (long) gid);
    local_deliver_tie();
}

/* local_deliver_child - deliver, answer, exit. */

static void local_deliver_child(LOCAL_MESSAGE *msg, const LOCAL_RCPT *rcpt,
                                const LOCAL_TARGET *target, int fd)
{
    LOCAL_RESULT result;
    STREAM *s;
    ATTR   *a;
    int     status;

    local_result_init(&result);
    local_deliver_tie();
    if (!(target->kind == LOCAL_TARGET_MBOX && target->in_spool))
        local_deliver_drop(&target->rights);
    switch (target->kind) {
    case LOCAL_TARGET_MBOX:
        local_mbox_deliver(msg, rcpt, target, &result);
        break;
    case LOCAL_TARGET_COMMAND:
        local_command_deliver(msg, rcpt, target, &result);
        break;
    default:
        msg_panic("local_deliver: unknown target kind %d", target->kind);
    }
    if (result.status == 0)
        msg_panic("local_deliver: no result for %s", rcpt->address);
    a = attr_new();
    attr_add_int(a, "status", result.status);
    attr_add_str(a, "dsn", result.dsn);
    attr_add_str(a, "reason", result.reason->data);
    s = stream_open(fd);
    status = attr_write(s, a);
    /* _exit: no atexit handlers or buffers of the parent run twice. */
    _exit(status == STREAM_OK && stream_close(&s) == STREAM_OK ? 0 : 1);
}

/* local_deliver_collect - the child's answer, or why there is none. */

static void local_deliver_collect(pid_t pid, int fd, LOCAL_RESULT *result)
{
    STREAM *s = stream_open(fd);
    ATTR   *a = attr_new();
    const char *dsn, *reason;
    long    status;
    int     read_status, wait_status;

    stream_set_timeout(s, (int) config_time(P_IPC_TIMEOUT));
    read_status = attr_read(s, a, 0);
    stream_close(&s);
    if (read_status != ATTR_OK)
        (void) kill(pid, SIGKILL);
    while (waitpid(pid, &wait_status, 0) < 0) {
        if (errno != EINTR) {
            wait_status = 0;
            break;
        }
    }
    if (read_status == ATTR_OK && attr_get_int(a, "status", &status) == 0
        && (dsn = attr_get_str(a, "dsn")) != 0 && dsn[0] == '0' + status
        && (reason = attr_get_str(a, "reason")) != 0) {
        local_result_set(result, dsn, "%s", reason);
    } else if (read_status == ATTR_TIMEOUT) {
        local_result_set(result, "4.3.0", "local delivery process timed out");
    } else if (WIFSIGNALED(wait_status)) {
        local_result_set(result, "4.3.0", "local delivery process was killed "
                         "by signal %d", WTERMSIG(wait_status));
    } else {
        local_result_set(result, "4.3.0", "local delivery process failed "
                         "(exit status %d)", WEXITSTATUS(wait_status));
    }
    if (result->status != DELIVER_SENT && read_status != ATTR_OK)
        msg_warn("%s", result->reason->data);
    attr_free(&a);
}

/* local_deliver_inline - Maildir: in this process, as the user's files. */

static void local_deliver_inline(LOCAL_MESSAGE *msg, const LOCAL_RCPT *rcpt,
                                 const LOCAL_TARGET *target, LOCAL_RESULT *result)
{
    if (local_fsid_become(&target->rights) < 0) {
        local_result_set(result, "4.3.0", "cannot look up the groups of user "
                         "\"%s\": %s", target->rights.name, strerror(errno));
        return;
    }
    local_maildir_deliver(msg, rcpt, target, result);
    local_fsid_restore();
}

void    local_deliver(LOCAL_MESSAGE *msg, const LOCAL_RCPT *rcpt,
                      const LOCAL_TARGET *target, LOCAL_RESULT *result)
{
    int     pipefd[2];
    pid_t   pid;
    const gid_t *groups;

    if (target->kind == LOCAL_TARGET_MAILDIR) {
        local_deliver_inline(msg, rcpt, target, result);
        return;
    }
    local_deliver_parent = getpid();
    if (getuid() == 0 && local_groups_get(target->rights.name, target->rights.gid,
                                          &groups) < 0) {
        local_result_set(result, "4.3.0", "cannot look up the groups of user "
                         "\"%s\": %s", target->rights.name, strerror(errno));
        return;
    }
    if (pipe2(pipefd, O_CLOEXEC) < 0) {
        local_result_set(result, "4.3.0", "cannot create pipe: %s", strerror(errno));
        return;
    }
    if ((pid = fork()) < 0) {
        local_result_set(result, "4.3.0", "cannot fork: %s", strerror(errno));
        close(pipefd[0]);
        close(pipefd[1]);
        return;
    }
    if (pid == 0) {
        close(pipefd[0]);
        local_deliver_child(msg, rcpt, target, pipefd[1]);
    }
    close(pipefd[1]);
    local_deliver_collect(pid, pipefd[0], result);
}
