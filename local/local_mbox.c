/* NAME
 *	local_mbox 3
 * SUMMARY
 *	delivery to an mbox file, locked, all or nothing
 * DESCRIPTION
 *	Runs in the delivery child. The message is appended in mbox format:
 *	a "From sender date" line, the envelope headers, body lines that
 *	start with "From " quoted as ">From ", and an empty line at the end.
 *
 *	Locking, as mailbox_delivery_lock says (default "fcntl, dotlock"):
 *	first the dot-lock FILE.lock, made with O_EXCL (one that is older
 *	than stale_lock_time is a leftover of a crash and is removed), then
 *	the file is opened and locked with fcntl(2) and/or flock(2). Each
 *	lock is tried deliver_lock_attempts times, deliver_lock_delay apart;
 *	a lock that stays busy defers the delivery (4.2.0).
 *
 *	The file is opened without following symlinks and must be a regular
 *	file with one link; with strict_mailbox_ownership it must belong to
 *	the recipient. A new file is made mode 0600 and owned by the
 *	recipient. If anything fails after writing began, the file is
 *	truncated back to its old size, so a mailbox never ends in half a
 *	message; success is reported only after fsync().
 *
 *	Rights. A file under the home directory is handled wholly as the
 *	user (the child has dropped privileges already). For the mail spool
 *	directory, when running as root, the rights used to create the file
 *	and its lock depend on the directory, as in Postfix: world-writable
 *	(sticky /var/mail): the user; group-writable (Debian's setgid
 *	"mail" /var/mail): the user with the directory's group; otherwise
 *	root, and the new file is given to the user. The message itself is
 *	always written as the user, so that disk quotas apply.
 *
 *	Reasons start with "cannot update mailbox FILE for user USER. ".
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "local.h"
#include "lock.h"
#include "mem.h"
#include "msg.h"

#define LOCAL_MBOX_FCNTL    (1<<0)
#define LOCAL_MBOX_FLOCK    (1<<1)
#define LOCAL_MBOX_DOTLOCK  (1<<2)

/* The rights for the spool phase and for writing. */
typedef struct LOCAL_MBOX {
    const char *path;
    BUF    *prefix;                     /* "cannot update mailbox ..." */
    uid_t   spool_uid;
    gid_t   spool_gid;
    int     give_away;                  /* chown a new file to the user */
    BUF    *dotlock;                    /* path of the dot-lock we hold */
    int     fd;
} LOCAL_MBOX;

static int local_mbox_lock_styles(void)
{
    STRV   *names = config_list(P_MAILBOX_DELIVERY_LOCK);
    int     styles = 0;

    for (size_t i = 0; i < names->argc; i++) {
        if (strcmp(names->argv[i], "fcntl") == 0)
            styles |= LOCAL_MBOX_FCNTL;
        else if (strcmp(names->argv[i], "flock") == 0)
            styles |= LOCAL_MBOX_FLOCK;
        else if (strcmp(names->argv[i], "dotlock") == 0)
            styles |= LOCAL_MBOX_DOTLOCK;
        else
            msg_fatal("mailbox_delivery_lock: unknown lock method \"%s\"",
                      names->argv[i]);
    }
    strv_free(&names);
    return (styles);
}

/* local_mbox_fail - result from errno, with the mailbox prefix. */

static void local_mbox_fail(LOCAL_MBOX *mb, LOCAL_RESULT *result, int err,
                            const char *def_dsn, const char *what)
{
    local_result_set(result, local_result_errno_dsn(err, def_dsn), "%s%s: %s",
                     mb->prefix->data, what, strerror(err));
}

/* local_mbox_dotlock - FILE.lock, waiting as configured; 0 or -1. */

static int local_mbox_dotlock(LOCAL_MBOX *mb, LOCAL_RESULT *result)
{
    long    attempts = config_int(P_DELIVER_LOCK_ATTEMPTS);
    long    delay = config_time(P_DELIVER_LOCK_DELAY);
    long    stale = config_time(P_STALE_LOCK_TIME);
    BUF    *lock = buf_new(128);
    struct stat st;
    int     fd, err = EEXIST;

    buf_printf(lock, "%s.lock", mb->path);
    /* Removing a stale lock costs no attempt; waiting does. */
    for (long i = 0; i < (attempts > 0 ? attempts : 1); /* below */ ) {
        if ((fd = open(lock->data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0)) >= 0) {
            close(fd);
            mb->dotlock = lock;
            return (0);
        }
        if ((err = errno) != EEXIST)
            break;
        if (lstat(lock->data, &st) == 0 && time((time_t *) 0) > st.st_ctime + stale) {
            msg_warn("removing stale lock file %s", lock->data);
            if (unlink(lock->data) == 0 || errno == ENOENT)
                continue;
        }
        if (++i < attempts)
            sleep((unsigned) delay);
    }
    /* Still there after every try: somebody holds it; try later. */
    local_result_set(result, err == EEXIST ? "4.2.0" :
                     local_result_errno_dsn(err, "5.2.0"),
                     "%sunable to create lock file %s: %s", mb->prefix->data,
                     lock->data, strerror(err));
    buf_free(&lock);
    return (-1);
}

static void local_mbox_undotlock(LOCAL_MBOX *mb)
{
    if (mb->dotlock) {
        if (unlink(mb->dotlock->data) < 0)
            msg_warn("remove %s: %m", mb->dotlock->data);
        buf_free(&mb->dotlock);
    }
}

/*
 * local_mbox_open - open or create the file safely; 0, or -1 with the
 * result set.
 */
static int local_mbox_open(LOCAL_MBOX *mb, const LOCAL_TARGET *target,
                           LOCAL_RESULT *result)
{
    int     flags = O_WRONLY | O_APPEND | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC;
    struct stat st;

    /* O_NONBLOCK: a FIFO planted as the mailbox must not hang us. */
    for (int tries = 0; (mb->fd = open(mb->path, flags)) < 0 && tries < 2; tries++) {
        if (errno != ENOENT)
            break;
        if ((mb->fd = open(mb->path, flags | O_CREAT | O_EXCL, 0600)) >= 0) {
            if (mb->give_away && fchown(mb->fd, target->user.uid, target->user.gid) < 0) {
                local_mbox_fail(mb, result, errno, "4.2.0", "cannot change owner");
                close(mb->fd);
                mb->fd = -1;
                (void) unlink(mb->path);
                return (-1);
            }
            break;
        }
        if (errno != EEXIST)
            break;
    }
    if (mb->fd < 0) {
        local_mbox_fail(mb, result, errno, "5.2.0", "cannot open file");
        return (-1);
    }
    if (fstat(mb->fd, &st) < 0) {
        local_mbox_fail(mb, result, errno, "4.2.0", "cannot stat file");
    } else if (!S_ISREG(st.st_mode)) {
        local_result_set(result, "5.2.0", "%sdestination %s is not a regular file",
                         mb->prefix->data, mb->path);
    } else if (st.st_nlink != 1) {
        local_result_set(result, "5.2.0", "%sdestination %s has %ld hard links",
                         mb->prefix->data, mb->path, (long) st.st_nlink);
    } else if (config_bool(P_STRICT_MAILBOX_OWNERSHIP) && st.st_uid != target->user.uid) {
        local_result_set(result, "4.2.0", "%sdestination %s is not owned by recipient",
                         mb->prefix->data, mb->path);
    } else {
        (void) fcntl(mb->fd, F_SETFL, O_WRONLY | O_APPEND);
        return (0);
    }
    close(mb->fd);
    mb->fd = -1;
    return (-1);
}

/* local_mbox_lock - fcntl and/or flock, waiting as configured. */

static int local_mbox_lock(LOCAL_MBOX *mb, int styles, LOCAL_RESULT *result)
{
    long    attempts = config_int(P_DELIVER_LOCK_ATTEMPTS);
    long    delay = config_time(P_DELIVER_LOCK_DELAY);
    int     status = 0;

    for (long i = 0; i < (attempts > 0 ? attempts : 1); i++) {
        status = 0;
        if ((styles & LOCAL_MBOX_FCNTL) && lock_exclusive(mb->fd, 0) < 0)
            status = -1;
        else if ((styles & LOCAL_MBOX_FLOCK) && flock(mb->fd, LOCK_EX | LOCK_NB) < 0)
            status = -1;
        if (status == 0)
            return (0);
        if (errno != EAGAIN && errno != EACCES && errno != EWOULDBLOCK)
            break;
        if (i + 1 < attempts)
            sleep((unsigned) delay);
    }
    /* A lock held by someone else is EAGAIN/EACCES: try later. */
    local_mbox_fail(mb, result, errno == EACCES ? EAGAIN : errno, "4.2.0",
                    "unable to lock for exclusive access");
    return (-1);
}

/* local_mbox_append - the message at the end; all or nothing. */

static void local_mbox_append(LOCAL_MBOX *mb, LOCAL_MESSAGE *msg,
                              const LOCAL_RCPT *rcpt, LOCAL_RESULT *result)
{
    struct stat st;
    int     status;

    if (fstat(mb->fd, &st) < 0) {
        local_mbox_fail(mb, result, errno, "4.2.0", "cannot stat file");
        return;
    }
    status = local_message_copy(msg, rcpt, LOCAL_COPY_FROM_LINE | LOCAL_COPY_QUOTE
                                | LOCAL_COPY_BLANK, local_message_write_fd, &mb->fd);
    if (status == LOCAL_COPY_OK && fsync(mb->fd) < 0)
        status = LOCAL_COPY_WRITE_ERR;
    if (status == LOCAL_COPY_OK) {
        local_result_set(result, "2.0.0", "delivered to mailbox");
        return;
    }
    local_result_copy_error(result, status, mb->prefix->data);
    if (ftruncate(mb->fd, st.st_size) < 0)
        msg_warn("truncate %s to %ld bytes: %m", mb->path, (long) st.st_size);
}

/*
 * local_mbox_rights - decide the rights for the file and its lock, and
 * take them.
 */
static void local_mbox_rights(LOCAL_MBOX *mb, const LOCAL_TARGET *target)
{
    BUF    *dir;
    struct stat st;
    char   *slash;

    mb->spool_uid = target->user.uid;
    mb->spool_gid = target->user.gid;
    if (!target->in_spool || getuid() != 0) {
        local_deliver_drop(&target->rights);
        return;
    }
    dir = buf_new(128);
    buf_set(dir, mb->path);
    if ((slash = strrchr(dir->data, '/')) != 0)
        buf_truncate(dir, slash == dir->data ? 1 : (size_t) (slash - dir->data));
    if (stat(dir->data, &st) == 0 && (st.st_mode & S_IWOTH) == 0) {
        if (st.st_mode & S_IWGRP) {
            mb->spool_gid = st.st_gid;
        } else {
            mb->spool_uid = 0;
            mb->spool_gid = 0;
            mb->give_away = 1;
        }
    }
    buf_free(&dir);
    if (initgroups(target->user.name, target->user.gid) < 0)
        msg_fatal("initgroups(%s): %m", target->user.name);
    local_deliver_switch(mb->spool_uid, mb->spool_gid);
}

void    local_mbox_deliver(LOCAL_MESSAGE *msg, const LOCAL_RCPT *rcpt,
                           const LOCAL_TARGET *target, LOCAL_RESULT *result)
{
    int     styles = local_mbox_lock_styles();
    LOCAL_MBOX mb;

    memset(&mb, 0, sizeof(mb));
    mb.path = target->path;
    mb.fd = -1;
    mb.prefix = buf_new(128);
    buf_printf(mb.prefix, "cannot update mailbox %s for user %s. ", mb.path,
               target->user.name);
    local_mbox_rights(&mb, target);
    if ((!(styles & LOCAL_MBOX_DOTLOCK) || local_mbox_dotlock(&mb, result) == 0)
        && local_mbox_open(&mb, target, result) == 0) {
        if (local_mbox_lock(&mb, styles, result) == 0) {
            local_deliver_switch(target->user.uid, target->user.gid);
            local_mbox_append(&mb, msg, rcpt, result);
            local_deliver_switch(mb.spool_uid, mb.spool_gid);
        }
        /* Write errors showed at fsync(), before success was declared. */
        (void) close(mb.fd);
    }
    local_mbox_undotlock(&mb);
    buf_free(&mb.prefix);
}
