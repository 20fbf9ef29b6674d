/* NAME
 *	local_maildir 3
 * SUMMARY
 *	delivery to a Maildir, exactly once
 * DESCRIPTION
 *	Runs as the recipient (local_deliver(3)). The Maildir and its tmp,
 *	new and cur subdirectories are made (mode 0700) when missing. The
 *	message is written to tmp/NAME, fsync()ed, renamed to new/NAME
 *	without replacing anything (renameat2 RENAME_NOREPLACE, or link(2)
 *	and unlink(2) where the file system lacks it), and new/ itself is
 *	fsync()ed before success is reported: once qmgr hears "sent", the
 *	mail survives a crash. On any error the file in tmp/ (and a new/
 *	entry whose directory could not be synced) is removed, so a
 *	half-written message never shows up in new/.
 *
 *	NAME is the same at every attempt to deliver one message to one
 *	recipient, and follows the Maildir convention time.unique.host:
 *
 *	    SEC.M<usec>_<QUEUEID>_<HASH>.HOST
 *
 *	where SEC and usec are the message's arrival time (queue file),
 *	QUEUEID is unique among all messages (it has the arrival time in
 *	microseconds and random bits), HASH is 16 hex digits of a 64-bit
 *	FNV-1a hash of the lower-case recipient, and '/' and ':' in HOST
 *	are written \057 and \072. The "_QUEUEID_HASH." part names the
 *	(message, recipient) pair.
 *
 *	Exactly once. When an earlier attempt delivered the message and
 *	died (kill -9, a crash) before the queue file recorded it, the
 *	repeat must not make a second copy (DESIGN.md). The earlier copy
 *	is found by its name, at no cost in the usual case:
 *
 *	- in new/: the rename into new/ fails with EEXIST. The copy is
 *	  complete (it was fsync()ed before it got that name), and new/ is
 *	  fsync()ed again before the recipient is reported delivered, in
 *	  case the earlier attempt died before it did so;
 *
 *	- in cur/, where a mail reader moves it and appends ":2,FLAGS":
 *	  that name cannot be guessed, so cur/ (and new/, for copies named
 *	  by older versions, "SEC.M<usec>P<pid>Q<n>_QUEUEID_HASH.HOST") is
 *	  read for the tag, but only when the request says retry=1 (qmgr
 *	  has activated the message before: deliver_request(3h)). A first
 *	  attempt cannot have an earlier copy, and costs no directory read,
 *	  however large the Maildir.
 *
 *	A leftover tmp/NAME of a killed attempt is replaced: no other
 *	attempt can be writing it (local_claim(3)).
 *
 *	Because a repeat is harmless, a successful delivery sets
 *	result->repeatable and local.c records the recipient done without
 *	an fdatasync of the queue file (queue_file_mark_done): should a
 *	system crash lose that mark, the next attempt finds the copy.
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
 * local_maildir_search - on a retry, an earlier copy anywhere in new/ or
 * cur/: 1 (its path in found), 0, or -1 with the result set. Leftovers
 * of earlier attempts in tmp/ go.
 */
static int local_maildir_search(const char *top, const char *tag, BUF *found,
                                LOCAL_RESULT *result)
{
    int     status = 0;

    for (const char *const *sub = (const char *const[]) {"new", "cur", 0}; *sub; sub++)
        if ((status = local_maildir_scan(top, *sub, tag, 0, found)) != 0)
            break;
    if (status < 0) {
        local_result_set(result, local_result_errno_dsn(errno, "4.3.0"),
                         LOCAL_MAILDIR_PREFIX "read maildir %s: %s", top,
                         strerror(errno));
        return (-1);
    }
    if (status == 0)
        (void) local_maildir_scan(top, "tmp", tag, 1, found);
    return (status);
}

/* local_maildir_open - create tmp/NAME, replacing a killed attempt's. */

static int local_maildir_open(const char *tmpfile)
{
    int     flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
    int     fd;

    if ((fd = open(tmpfile, flags, 0600)) < 0 && errno == EEXIST
        && unlink(tmpfile) == 0)
        fd = open(tmpfile, flags, 0600);
    return (fd);
}

/*
 * local_maildir_write - tmp/NAME with the message, synced; 0, or -1
 * with the result set and no file left.
 */
static int local_maildir_write(LOCAL_MESSAGE *msg, const LOCAL_RCPT *rcpt,
                               const char *tmpfile, LOCAL_RESULT *result)
{
    int     fd, status;

    if ((fd = local_maildir_open(tmpfile)) < 0) {
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

/*
 * local_maildir_move - tmp/NAME becomes new/NAME unless that exists: 0,
 * or -1 with errno (EEXIST: an earlier attempt's copy is there).
 */
static int local_maildir_move(const char *tmpfile, const char *newfile)
{
    if (renameat2(AT_FDCWD, tmpfile, AT_FDCWD, newfile, RENAME_NOREPLACE) == 0)
        return (0);
    if (errno != EINVAL && errno != ENOSYS)
        return (-1);
    if (link(tmpfile, newfile) < 0)
        return (-1);
    if (unlink(tmpfile) < 0)
        msg_warn("remove %s: %m", tmpfile);
    return (0);
}

/*
 * local_maildir_commit - tmp/NAME becomes new/NAME, durably: 0 (*found
 * set when new/NAME was there already), or -1 with the result set.
 */
static int local_maildir_commit(const char *top, const char *tmpfile,
                                const char *newfile, int *found,
                                LOCAL_RESULT *result)
{
    BUF    *newdir = buf_new(128);
    int     status = -1;

    buf_printf(newdir, "%snew", top);
    *found = 0;
    if (local_maildir_move(tmpfile, newfile) < 0) {
        if (errno == EEXIST) {
            *found = 1;
        } else {
            local_result_set(result, local_result_errno_dsn(errno, "5.2.0"),
                             LOCAL_MAILDIR_PREFIX "rename to %s: %s", newfile,
                             strerror(errno));
        }
        if (unlink(tmpfile) < 0)
            msg_warn("remove %s: %m", tmpfile);
        if (*found == 0)
            goto done;
    }
    /* Also for an earlier copy: its attempt may have died before this. */
    if (local_maildir_sync_dir(newdir->data) < 0) {
        local_result_set(result, local_result_errno_dsn(errno, "4.3.0"),
                         LOCAL_MAILDIR_PREFIX "sync %s: %s", newdir->data,
                         strerror(errno));
        if (*found == 0 && unlink(newfile) < 0)
            msg_warn("remove %s: %m", newfile);
    } else {
        status = 0;
    }
done:
    buf_free(&newdir);
    return (status);
}

static void local_maildir_found(const LOCAL_MESSAGE *msg, const LOCAL_RCPT *rcpt,
                                const char *path, LOCAL_RESULT *result)
{
    msg_info("%s: %s: found %s from an earlier attempt: not delivered again",
             msg->queue_id, rcpt->address, path);
    local_result_set(result, "2.0.0", "delivered to maildir");
    result->repeatable = 1;
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
    int     status, exists;

    local_maildir_tag(msg, rcpt, tag);
    if (local_maildir_setup(top, path, result) < 0)
        goto done;
    if (msg->retry
        && (status = local_maildir_search(top, tag->data, found, result)) != 0) {
        if (status > 0)
            local_maildir_found(msg, rcpt, found->data, result);
        goto done;
    }
    buf_printf(name, "%ld.M%06ld%s", (long) msg->arrival.tv_sec,
               (long) msg->arrival.tv_usec, tag->data);
    local_maildir_host(name);
    buf_reset(path);
    buf_printf(path, "%stmp/%s", top, name->data);
    buf_printf(newfile, "%snew/%s", top, name->data);
    if (local_maildir_write(msg, rcpt, path->data, result) == 0
        && local_maildir_commit(top, path->data, newfile->data, &exists,
                                result) == 0) {
        if (exists) {
            local_maildir_found(msg, rcpt, newfile->data, result);
        } else {
            local_result_set(result, "2.0.0", "delivered to maildir");
            result->repeatable = 1;
        }
    }

done:
    buf_free(&tag);
    buf_free(&name);
    buf_free(&path);
    buf_free(&newfile);
    buf_free(&found);
}
