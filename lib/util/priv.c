/* NAME
 *	priv 3
 * SUMMARY
 *	privilege changes: look up an account, drop to it, chroot
 */
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include "msg.h"
#include "priv.h"

int     priv_lookup_user(const char *name, uid_t *uid_r, gid_t *gid_r)
{
    struct passwd *pw = getpwnam(name);

    if (pw == 0)
        return (-1);
    *uid_r = pw->pw_uid;
    *gid_r = pw->pw_gid;
    return (0);
}

int     priv_lookup_group(const char *name, gid_t *gid_r)
{
    struct group *gr = getgrnam(name);

    if (gr == 0)
        return (-1);
    *gid_r = gr->gr_gid;
    return (0);
}

void    priv_drop(uid_t uid, gid_t gid, const char *root_dir)
{
    uid_t   ruid, euid, suid;
    gid_t   rgid, egid, sgid;

    if (root_dir) {
        if (chroot(root_dir) < 0)
            msg_fatal("chroot(%s): %m", root_dir);
        if (chdir("/") < 0)
            msg_fatal("chdir(/) after chroot: %m");
    }
    if (setgroups(1, &gid) < 0)
        msg_fatal("setgroups(%ld): %m", (long) gid);
    if (setresgid(gid, gid, gid) < 0)
        msg_fatal("setresgid(%ld): %m", (long) gid);
    if (setresuid(uid, uid, uid) < 0)
        msg_fatal("setresuid(%ld): %m", (long) uid);
    if (getresuid(&ruid, &euid, &suid) < 0 || getresgid(&rgid, &egid, &sgid) < 0)
        msg_fatal("getresuid: %m");
    if (ruid != uid || euid != uid || suid != uid
        || rgid != gid || egid != gid || sgid != gid)
        msg_fatal("privilege drop to uid %ld gid %ld did not take effect",
                  (long) uid, (long) gid);
    if (uid != 0 && setuid(0) == 0)
        msg_fatal("privilege drop to uid %ld is reversible", (long) uid);
}
