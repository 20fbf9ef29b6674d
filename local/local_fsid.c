/* NAME
 *	local_fsid 3
 * SUMMARY
 *	file system identity of a recipient, without a child process
 * DESCRIPTION
 *	PRIVILEGE. Maildir delivery only creates, writes, renames and
 *	syncs files and directories: it runs no program and reads nothing
 *	that the user controls besides names in the user's own Maildir.
 *	For that, local need not fork a child that becomes the user for
 *	good (local_deliver(3)); it borrows the user's file system
 *	identity for the duration of the delivery, the way Linux NFS
 *	servers act for a client:
 *
 *	local_fsid_become() sets the user's supplementary groups
 *	(setgroups, from the local_groups(3) cache), then the file system
 *	gid and uid (setfsgid, setfsuid), and checks that both took. From
 *	then on every path lookup and permission check of the process is
 *	made as the user, and files and directories it creates belong to
 *	the user: the kernel clears the file capabilities (CAP_CHOWN,
 *	CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_FSETID,
 *	CAP_MKNOD, CAP_LINUX_IMMUTABLE) from the effective set when the
 *	file system uid leaves 0. One more capability matters to file
 *	writes: CAP_SYS_RESOURCE lets root exceed disk quotas and use the
 *	blocks ext4 reserves for root, so it is dropped from the effective
 *	set too (it stays permitted, to be raised again). Mail for root
 *	(uid 0) is delivered as root, as the forked path does.
 *
 *	local_fsid_restore() undoes all of it: fsuid and fsgid 0 (the
 *	kernel raises the file capabilities again), CAP_SYS_RESOURCE back,
 *	and the groups local had before.
 *
 *	Why this is safe. The real, effective and saved uids stay 0, so
 *	the user cannot signal or ptrace the process (those checks use
 *	them), and the process is marked not dumpable by the kernel on
 *	the change. Everything the delivery touches by name is checked as
 *	the user, so symbolic links or odd files the user left in the
 *	Maildir can only send the mail where the user could write anyway.
 *	The open queue file descriptor stays readable: it was opened
 *	before, and no code of the user's runs to abuse it. The one danger
 *	is a later delivery running with a previous recipient's identity;
 *	so become() insists on starting from fsuid and fsgid 0, and any
 *	failure to switch or to switch back is fatal: the process exits
 *	(master starts another), qmgr defers the recipient, and the retry
 *	finds a copy that was already made (local_maildir(3)).
 *
 *	A local that does not run as root has nothing to switch: it
 *	delivers as itself (local_recipient(3) accepts only its own
 *	account then).
 */
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "local.h"
#include "mem.h"
#include "msg.h"

static gid_t *local_fsid_groups;        /* local's own groups */
static int local_fsid_ngroups = -1;
static int local_fsid_capped;           /* CAP_SYS_RESOURCE lowered */

/* local_fsid_resource - raise or lower CAP_SYS_RESOURCE in the effective set. */

static void local_fsid_resource(int raise)
{
    struct __user_cap_header_struct head;
    struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
    int     idx = CAP_TO_INDEX(CAP_SYS_RESOURCE);
    __u32   bit = CAP_TO_MASK(CAP_SYS_RESOURCE);

    memset(&head, 0, sizeof(head));
    memset(data, 0, sizeof(data));
    head.version = _LINUX_CAPABILITY_VERSION_3;
    if (syscall(SYS_capget, &head, data) < 0)
        msg_fatal("capget: %m");
    if (raise)
        data[idx].effective |= data[idx].permitted & bit;
    else
        data[idx].effective &= ~bit;
    if (syscall(SYS_capset, &head, data) < 0)
        msg_fatal("capset: %m");
}

/* local_fsid_now - the current fsuid and fsgid (an invalid id changes nothing). */

static void local_fsid_now(uid_t *uid, gid_t *gid)
{
    *uid = (uid_t) setfsuid((uid_t) -1);
    *gid = (gid_t) setfsgid((gid_t) -1);
}

int     local_fsid_become(const LOCAL_USER *rights)
{
    const gid_t *groups;
    int     ngroups;
    uid_t   uid;
    gid_t   gid;

    if (getuid() != 0)
        return (0);
    local_fsid_now(&uid, &gid);
    if (uid != 0 || gid != 0 || local_fsid_capped)
        msg_panic("local_fsid_become: still fsuid %ld fsgid %ld", (long) uid,
                  (long) gid);
    if ((ngroups = local_groups_get(rights->name, rights->gid, &groups)) < 0)
        return (-1);
    if (local_fsid_ngroups < 0) {
        if ((local_fsid_ngroups = getgroups(0, (gid_t *) 0)) < 0)
            msg_fatal("getgroups: %m");
        local_fsid_groups = mem_alloc((size_t) (local_fsid_ngroups + 1) * sizeof(gid_t));
        if (getgroups(local_fsid_ngroups, local_fsid_groups) != local_fsid_ngroups)
            msg_fatal("getgroups: %m");
    }
    if (setgroups((size_t) ngroups, groups) < 0)
        msg_fatal("setgroups(%s): %m", rights->name);
    if (rights->uid != 0) {
        local_fsid_resource(0);
        local_fsid_capped = 1;
    }
    (void) setfsgid(rights->gid);
    (void) setfsuid(rights->uid);
    local_fsid_now(&uid, &gid);
    if (uid != rights->uid || gid != rights->gid)
        msg_fatal("cannot take the file system identity of %s", rights->name);
    return (0);
}

void    local_fsid_restore(void)
{
    uid_t   uid;
    gid_t   gid;

    if (getuid() != 0)
        return;
    (void) setfsuid(0);
    (void) setfsgid(0);
    local_fsid_now(&uid, &gid);
    if (uid != 0 || gid != 0)
        msg_fatal("cannot return to file system identity root");
    if (local_fsid_capped) {
        local_fsid_resource(1);
        local_fsid_capped = 0;
    }
    if (setgroups((size_t) local_fsid_ngroups, local_fsid_groups) < 0)
        msg_fatal("setgroups: %m");
}
