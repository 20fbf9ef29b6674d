/* NAME
 *	local_maildir 3
 * SUMMARY
 *	delivery to a Maildir, exactly once
 * DESCRIPTION
 *	Runs in the delivery child, as the recipient. The Maildir and its
 *	tmp, new and cur subdirectories are made (mode 0700) when missing.
 *	The message is written to tmp/NAME, fsync()ed, linked to new/NAME
 *	(link(2) never replaces a file), removed from tmp/, and new/ itself
 *	is fsync()ed before success is reported: once qmgr hears "sent",
 *	the mail survives a crash. On any error the file in tmp/ (and a
 *	new/ entry whose directory could not be synced) is removed, so a
 *	half-written message never shows up in new/.
 *
 *	NAME follows the Maildir convention time.unique.host:
 *
 *	    SEC.M<usec>P<pid>Q<n>_<QUEUEID>_<HASH>.HOST
 *
 *	where n counts this process's deliveries, HASH is 16 hex digits of
 *	a 64-bit FNV-1a hash of the lower-case recipient, and '/' and ':'
 *	in HOST are written \057 and \072. The "_QUEUEID_HASH." part
 *	names the (message, recipient) pair: before it delivers, this code
 *	looks for a file with that part in new/ and cur/ (where a reader
 *	may have moved it, adding ":2,flags"). If one is there, an earlier
 *	attempt delivered the message and crashed (or was killed) before
 *	the queue file recorded it, and the recipient is reported delivered
 *	without a second copy: each local recipient gets a message exactly
 *	once, even across kill -9 (DESIGN.md). Leftovers of such an attempt
 *	in tmp/ are removed. The look-up reads both directories, which
 *	costs a moment for a very large Maildir; it buys the guarantee.
 *
 *	Errors: a full disk or an I/O error defers (4.3.0); other problems,
 *	such as a home directory that the user cannot write, bounce (5.2.0)
 *	as in Postfix; reasons start with "maildir delivery failed: ".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "local.h"
#include "mem.h"
#include "msg.h"

#define LOCAL_MAILDIR_PREFIX    "maildir delivery failed: "

/* local_maildir_tag - "_QUEUEID_HASH.": the (message, recipient) pair. */

static void local_maildir_tag(const LOCAL_MESSAGE *msg, const LOCAL_RCPT *rcpt,
                              BUF *tag)
{
    uint64_t hash = 0xcbf29ce484222325ULL;
    BUF    *lower = buf_new(64);

    buf_printf(lower, "%s@%s", rcpt->local, rcpt->domain);
    for (size_t i = 0; i < lower->len; i++) {
        hash ^= (unsigned char) lower->data[i];
        hash *= 0x100000001b3ULL;
    }
    buf_printf(tag, "_%s_%016llx.", msg->queue_id, (unsigned long long) hash);
    buf_free(&lower);
}

/* local_maildir_host - gethostname() with '/' and ':' escaped. */

static void local_maildir_host(BUF *out)
{
    char    host[256];

    if (gethostname(host, sizeof(host)) < 0)
        snprintf(host, sizeof(host), "localhost");
    host[sizeof(host) - 1] = 0;
    for (const char *cp = host; *cp; cp++) {
        if (*cp == '/')
            buf_puts(out, "\\057");
        else if (*cp == ':')
            buf_puts(out, "\\072");
        else
            buf_putc(out, *cp);
    }
}

/* local_maildir_mkdirs - make path and missing parents; -1 with errno. */

static int local_maildir_mkdirs(const char *path, int *made)
{
    struct stat st;
    char   *parent;
    char   *slash;
    int     status;

    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return (0);
        errno = ENOTDIR;
        return (-1);
    }
    if (errno != ENOENT)
        return (-1);
    parent = mem_strdup(path);
    if ((slash = strrchr(parent, '/')) != 0 && slash != parent) {
        *slash = 0;
        status = local_maildir_mkdirs(parent, made);
    } else {
        status = 0;
    }
    mem_free(parent);
    if (status < 0)
        return (-1);
    if (mkdir(path, 0700) < 0 && errno != EEXIST)
        return (-1);
    (*made)++;
    return (0);
}

static int local_maildir_sync_dir(const char *path)
{
    int     fd, status, saved;

    if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        return (-1);
    status = fsync(fd);
    saved = errno;
    close(fd);
    errno = saved;
    return (status);
}

/*
 * local_maildir_setup - the Maildir and its subdirectories; 0, or -1
 * with the result set.
 */
static int local_maildir_setup(const char *top, BUF *path, LOCAL_RESULT *result)
{
    static const char *subdirs[] = {"tmp", "new", "cur"};
    int     made = 0;

    for (size_t i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
        buf_reset(path);
        buf_printf(path, "%s%s", top, subdirs[i]);
        if (local_maildir_mkdirs(path->data, &made) < 0) {
            local_result_set(result, local_result_errno_dsn(errno, "5.2.0"),
                             LOCAL_MAILDIR_PREFIX "create maildir directory %s: %s",
                             path->data, strerror(errno));
            return (-1);
        }
    }
    /* New directories must survive a crash like the file in them. */
    if (made > 0 && local_maildir_sync_dir(top) < 0) {
        local_result_set(result, local_result_errno_dsn(errno, "4.3.0"),
                         LOCAL_MAILDIR_PREFIX "sync maildir %s: %s", top,
                         strerror(errno));
        return (-1);
    }
    return (0);
}

/*
 * local_maildir_scan - look for tag in one subdirectory: with remove,
 * delete such files (tmp/ leftovers); else put the first name found in
 * found and return 1. 0: none; -1: error, errno set.
 */
static int local_maildir_scan(const char *top, const char *sub, const char *tag,
                              int remove, BUF *found)
{
    BUF    *dir = buf_new(128);
    BUF    *file = buf_new(128);
    struct dirent *dp;
    DIR    *dirp;
    int     status = 0;

    buf_printf(dir, "%s%s", top, sub);
    if ((dirp = opendir(dir->data)) == 0) {
        status = -1;
    } else {
        errno = 0;
        while (status == 0 && (dp = readdir(dirp)) != 0) {
            if (strstr(dp->d_name, tag) == 0)
                continue;
            buf_reset(file);
            buf_printf(file, "%s/%s", dir->data, dp->d_name);
            if (!remove) {
                buf_set(found, file->data);
                status = 1;
            } else if (unlink(file->data) < 0 && errno != ENOENT) {
                msg_warn("remove %s: %m", file->data);
            }
            errno = 0;
        }
        if (status == 0 && errno != 0)
            status = -1;
        closedir(dirp);
    }
    buf_free(&dir);
    buf_free(&file);
    return (status);
}

/*
 * local_maildir_write - tmp/NAME with the message, synced; 0, or -1
 * with the result set and no file left.
 */
static int local_maildir_write(LOCAL_MESSAGE *msg, const LOCAL_RCPT *rcpt,
                               const char *tmpfile, LOCAL_RESULT *result)
{
    int     fd, status;

    if ((fd = open(tmpfile, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                   0600)) < 0) {
        local_result_set(result, local_result_errno_dsn(errno, "5.2.0"),
                         LOCAL_MAILDIR_PREFIX "create maildir file %s: %s",
                         tmpfile, strerror(errno));
        return (-1);
    }
    status = local_message_copy(msg, rcpt, 0, local_message_write_fd, &fd);
    if (status == LOCAL_COPY_OK && (fsync(fd) < 0 || close(fd) < 0)) {
        status = LOCAL_COPY_WRITE_ERR;
        fd = -1;
    }
    if (status != LOCAL_COPY_OK) {
        local_result_copy_error(result, status, LOCAL_MAILDIR_PREFIX);
        if (fd >= 0)
            close(fd);
        if (unlink(tmpfile) < 0)
            msg_warn("remove %s: %m", tmpfile);
        return (-1);
    }
    return (0);
}

/* local_maildir_commit - tmp/NAME becomes new/NAME, durably. */

static int local_maildir_commit(const char *top, const char *tmpfile,
                                const char *newfile, LOCAL_RESULT *result)
{
    BUF    *newdir = buf_new(128);
    int     status = -1;

    buf_printf(newdir, "%snew", top);
    if (link(tmpfile, newfile) < 0) {
        local_result_set(result, local_result_errno_dsn(errno, "5.2.0"),
                         LOCAL_MAILDIR_PREFIX "link to %s: %s", newfile,
                         strerror(errno));
    } else if (local_maildir_sync_dir(newdir->data) < 0) {
        local_result_set(result, local_result_errno_dsn(errno, "4.3.0"),
                         LOCAL_MAILDIR_PREFIX "sync %s: %s", newdir->data,
                         strerror(errno));
        if (unlink(newfile) < 0)
            msg_warn("remove %s: %m", newfile);
    } else {
        status = 0;
    }
    if (unlink(tmpfile) < 0)
        msg_warn("remove %s: %m", tmpfile);
    buf_free(&newdir);
    return (status);
}

void    local_maildir_deliver(LOCAL_MESSAGE *msg, const LOCAL_RCPT *rcpt,
                              const LOCAL_TARGET *target, LOCAL_RESULT *result)
{
    const char *top = target->path;
    BUF    *tag = buf_new(64);
    BUF    *name = buf_new(128);
    BUF    *path = buf_new(128);
    BUF    *newfile = buf_new(128);
    BUF    *found = buf_new(128);
    struct timeval now;
    int     status = 0;

    local_maildir_tag(msg, rcpt, tag);
    if (local_maildir_setup(top, path, result) < 0)
        goto done;
    for (const char *const *sub = (const char *const[]) {"new", "cur", 0}; *sub; sub++)
        if ((status = local_maildir_scan(top, *sub, tag->data, 0, found)) != 0)
            break;
    if (status < 0) {
        local_result_set(result, local_result_errno_dsn(errno, "4.3.0"),
                         LOCAL_MAILDIR_PREFIX "read maildir %s: %s", top,
                         strerror(errno));
        goto done;
    }
    if (status > 0) {
        msg_info("%s: %s: found %s from an earlier attempt: not delivered again",
                 msg->queue_id, rcpt->address, found->data);
        local_result_set(result, "2.0.0", "delivered to maildir");
        goto done;
    }
    (void) local_maildir_scan(top, "tmp", tag->data, 1, found);

    gettimeofday(&now, 0);
    buf_printf(name, "%ld.M%06ldP%ldQ%u%s", (long) now.tv_sec, (long) now.tv_usec,
               (long) getpid(), msg->serial, tag->data);
    local_maildir_host(name);
    buf_reset(path);
    buf_printf(path, "%stmp/%s", top, name->data);
    buf_printf(newfile, "%snew/%s", top, name->data);
    if (local_maildir_write(msg, rcpt, path->data, result) == 0
        && local_maildir_commit(top, path->data, newfile->data, result) == 0)
        local_result_set(result, "2.0.0", "delivered to maildir");

done:
    buf_free(&tag);
    buf_free(&name);
    buf_free(&path);
    buf_free(&newfile);
    buf_free(&found);
}
