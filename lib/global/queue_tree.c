/* NAME
 *	queue_tree 3
 * SUMMARY
 *	the queue directory tree: names, owners, modes
 * DESCRIPTION
 *	maildrop/ is writable by the setgid group (postdrop) but not
 *	readable; public/ is searchable by that group only; pid/ belongs
 *	to root. Everything else is private to mail_owner.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "msg.h"
#include "queue_tree.h"

const QUEUE_TREE_DIR queue_tree_dirs[] = {
    {"incoming", 0700, 0, 0},
    {"active", 0700, 0, 0},
    {"deferred", 0700, 0, 0},
    {"hold", 0700, 0, 0},
    {"corrupt", 0700, 0, 0},
    {"maildrop", 0730, 0, 1},
    {"bounce", 0700, 0, 0},
    {"defer", 0700, 0, 0},
    {"trace", 0700, 0, 0},
    {"pid", 0755, 1, 0},
    {"public", 0710, 0, 1},
    {"private", 0700, 0, 0},
    {0},
};

static int queue_tree_one(const char *path, mode_t mode, uid_t uid, gid_t gid,
                          int create)
{
    struct stat st;
    int     problems = 0;
    int     am_root = geteuid() == 0;

    if (stat(path, &st) < 0) {
        if (errno != ENOENT || !create) {
            msg_error("%s: %m", path);
            return (1);
        }
        if (mkdir(path, mode) < 0 && errno != EEXIST) {
            msg_error("create directory %s: %m", path);
            return (1);
        }
        if (chmod(path, mode) < 0 || (am_root && chown(path, uid, gid) < 0)) {
            msg_error("set owner and mode of %s: %m", path);
            return (1);
        }
        return (0);
    }
    if (!S_ISDIR(st.st_mode)) {
        msg_error("%s: not a directory", path);
        return (1);
    }
    if (am_root && (st.st_uid != uid || st.st_gid != gid)) {
        msg_error("%s: owner %ld:%ld, should be %ld:%ld", path, (long) st.st_uid,
                  (long) st.st_gid, (long) uid, (long) gid);
        problems++;
    }
    if ((st.st_mode & 07777) != mode) {
        msg_error("%s: mode %04o, should be %04o", path,
                  (unsigned) (st.st_mode & 07777), (unsigned) mode);
        problems++;
    }
    return (problems);
}

int     queue_tree_check(const char *queue_dir, uid_t owner, gid_t owner_gid,
                         gid_t setgid_gid, int create)
{
    BUF    *path = buf_new(256);
    int     problems;
    struct stat st;

    /* The top belongs to root (or the caller); it must not be writable by others. */
    if (stat(queue_dir, &st) < 0 && create && mkdir(queue_dir, 0755) < 0) {
        msg_error("create directory %s: %m", queue_dir);
        buf_free(&path);
        return (1);
    }
    problems = 0;
    for (const QUEUE_TREE_DIR *d = queue_tree_dirs; d->name; d++) {
        buf_reset(path);
        buf_printf(path, "%s/%s", queue_dir, d->name);
        problems += queue_tree_one(path->data, d->mode,
                                   d->owner_is_root ? 0 : owner,
                                   d->owner_is_root ? 0 :
                                   d->group_is_setgid ? setgid_gid : owner_gid,
                                   create);
    }
    buf_free(&path);
    return (problems);
}
