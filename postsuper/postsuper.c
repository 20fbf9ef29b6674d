/* NAME
 *	postsuper 1
 * SUMMARY
 *	Postern superintendent, like Postfix's postsuper(1)
 * SYNOPSIS
 *	postsuper [-c config_dir] [-v] [-ps] [-d queue_id] [-h queue_id]
 *		[-H queue_id] [-r queue_id] [-e queue_id] [queue...]
 * DESCRIPTION
 *	-d id	delete the message (from hold, incoming, active and
 *		deferred, or from the queues named after the options);
 *	-h id	put the message on hold (incoming or deferred to hold/);
 *	-H id	release it: hold/ to deferred/ with modification time now,
 *		so that the queue manager retries it at once;
 *	-r id	requeue it: hold/ or deferred/ to incoming/. Postfix sends
 *		the message through pickup and cleanup again; Postern has
 *		no pickup yet, so the file moves as it is (README);
 *	-e id	expire it: it is returned to the sender at its next
 *		delivery attempt (defer/ID.expire, which qmgr honours; a
 *		deferred message is retried at once, a held one waits);
 *	-s	structure check: remove temporary files older than a day,
 *		move a queue file found outside the queue directories
 *		(the top of queue_directory, defer/) to incoming/, and
 *		unreadable queue files to corrupt/;
 *	-p	purge temporary files: all of them when the mail system is
 *		down, those older than a day while it runs.
 *
 *	The id "ALL" means every message in those queues; "-" reads IDs
 *	from standard input, one per line. Every option may be given more
 *	than once. Each action is logged ("QUEUEID: removed", "QUEUEID:
 *	placed on hold", ...) and counted on standard error the way
 *	Postfix does ("postsuper: Deleted: 2 messages").
 *
 *	Safe while the mail system runs: runs of postsuper exclude each
 *	other with a lock on $data_directory/postsuper.lock, every move is
 *	one rename(2), and a message in active/ (qmgr is delivering it) is
 *	never moved: it can be deleted (qmgr finds it gone and says
 *	nothing), expired, but not held or requeued.
 *
 *	After -H, -r or -e postsuper wakes qmgr (public/qmgr), so that
 *	what is due now is not left until the next periodic wakeup.
 *
 *	Only root and mail_owner may run it.
 * PARAMETERS
 *	queue_directory, data_directory, mail_owner, syslog_name,
 *	maillog_file.
 */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "lock.h"
#include "mail_connect.h"
#include "mail_log.h"
#include "master_proto.h"
#include "msg.h"
#include "queue_file.h"
#include "queue_id.h"
#include "queue_scan.h"
#include "strv.h"

#define POSTSUPER_TMP_AGE   (24 * 3600)  /* -s and -p while running */
#define POSTSUPER_TMP       ".tmp."

/* An action on one message in one queue: 1 done, 0 not there, -1 refused. */

typedef int (*POSTSUPER_FN) (const char *queue, const char *id);

typedef struct POSTSUPER_OP {
    int     flag;                       /* the option letter */
    POSTSUPER_FN fn;
    const char *done;                   /* "Deleted", for the count line */
    const char *queues;                 /* default queues, in order */
    STRV   *ids;                        /* given on the command line */
    int     count;
} POSTSUPER_OP;

static int postsuper_delete(const char *, const char *);
static int postsuper_hold(const char *, const char *);
static int postsuper_release(const char *, const char *);
static int postsuper_requeue(const char *, const char *);
static int postsuper_expire(const char *, const char *);

static POSTSUPER_OP postsuper_ops[] = {
    {'d', postsuper_delete, "Deleted", "hold incoming active deferred", 0, 0},
    {'h', postsuper_hold, "Placed on hold", "incoming active deferred", 0, 0},
    {'H', postsuper_release, "Released from hold", "hold", 0, 0},
    {'r', postsuper_requeue, "Requeued", "hold incoming active deferred", 0, 0},
    {'e', postsuper_expire, "Expired", "hold incoming active deferred", 0, 0},
    {0, 0, 0, 0, 0, 0},
};

/* postsuper_path - DIR/NAME[SUFFIX] in the buffer given; returns its text. */

static const char *postsuper_path(BUF *buf, const char *dir, const char *name,
                                          const char *suffix)
{
    buf_reset(buf);
    buf_printf(buf, "%s/%s%s", dir, name, suffix);
    return (buf->data);
}

/* postsuper_move - rename without replacing; 1 moved, 0 gone. */

static int postsuper_move(const char *from, const char *to, const char *id)
{
    BUF    *src = buf_new(64);
    BUF    *dst = buf_new(64);
    int     moved = 0;

    postsuper_path(src, from, id, "");
    postsuper_path(dst, to, id, "");
    if (renameat2(AT_FDCWD, src->data, AT_FDCWD, dst->data, RENAME_NOREPLACE) == 0)
        moved = 1;
    else if (errno != ENOENT)
        msg_warn("rename %s to %s: %m", src->data, dst->data);
    buf_free(&src);
    buf_free(&dst);
    return (moved);
}

/* postsuper_forget - remove what qmgr and postsuper keep beside a message. */

static void postsuper_forget(const char *id, int all)
{
    BUF    *path = buf_new(64);

    (void) unlink(postsuper_path(path, "defer", id, ""));
    if (all)
        (void) unlink(postsuper_path(path, "defer", id, ".expire"));
    buf_free(&path);
}

static int postsuper_delete(const char *queue, const char *id)
{
    BUF    *path = buf_new(64);
    int     status = 0;

    if (unlink(postsuper_path(path, queue, id, "")) == 0) {
        postsuper_forget(id, 1);
        mail_log_removed(id);
        status = 1;
    } else if (errno != ENOENT) {
        msg_warn("remove %s: %m", path->data);
    }
    buf_free(&path);
    return (status);
}

static int postsuper_hold(const char *queue, const char *id)
{
    BUF    *path = buf_new(64);
    int     status = 0;

    if (strcmp(queue, "active") == 0) {
        if (access(postsuper_path(path, queue, id, ""), F_OK) == 0) {
            msg_warn("%s: message is being delivered; not placed on hold", id);
            status = -1;
        }
    } else if (postsuper_move(queue, "hold", id)) {
        mail_log_queue_action(id, "placed on hold");
        status = 1;
    }
    buf_free(&path);
    return (status);
}

static int postsuper_release(const char *queue, const char *id)
{
    BUF    *path = buf_new(64);
    int     status = 0;

    /* The retry time first: qmgr may take the file once it is moved. */
    if (utimensat(AT_FDCWD, postsuper_path(path, queue, id, ""), 0, 0) < 0) {
        if (errno != ENOENT)
            msg_warn("set time of %s: %m", path->data);
    } else if (postsuper_move(queue, "deferred", id)) {
        mail_log_queue_action(id, "released from hold");
        status = 1;
    }
    buf_free(&path);
    return (status);
}

static int postsuper_requeue(const char *queue, const char *id)
{
    BUF    *path = buf_new(64);
    int     status = 0;

    if (strcmp(queue, "incoming") == 0) {
        status = access(postsuper_path(path, queue, id, ""), F_OK) == 0;
    } else if (strcmp(queue, "active") == 0) {
        if (access(postsuper_path(path, queue, id, ""), F_OK) == 0) {
            msg_warn("%s: message is being delivered; not requeued", id);
            status = -1;
        }
    } else if (postsuper_move(queue, "incoming", id)) {
        postsuper_forget(id, 0);
        status = 1;
    }
    if (status == 1)
        mail_log_queue_action(id, "requeued");
    buf_free(&path);
    return (status);
}

static int postsuper_expire(const char *queue, const char *id)
{
    BUF    *path = buf_new(64);
    BUF    *mark = buf_new(64);
    int     status = 0, fd;

    if (access(postsuper_path(path, queue, id, ""), F_OK) == 0) {
        postsuper_path(mark, "defer", id, ".expire");
        if ((fd = open(mark->data, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) < 0) {
            msg_warn("create %s: %m", mark->data);
            status = -1;
        } else {
            (void) close(fd);
            /* A deferred message is due now; ENOENT: qmgr just took it. */
            if (strcmp(queue, "deferred") == 0
                && utimensat(AT_FDCWD, path->data, 0, 0) < 0 && errno != ENOENT)
                msg_warn("set time of %s: %m", path->data);
            mail_log_queue_action(id, "expired");
            status = 1;
        }
    }
    buf_free(&path);
    buf_free(&mark);
    return (status);
}

/* postsuper_one - apply an operation to one ID in the first queue holding it. */

static void postsuper_one(POSTSUPER_OP *op, STRV *queues, const char *id)
{
    int     status;

    if (!queue_id_valid(id)) {
        msg_warn("invalid mail queue id: %s", id);
        return;
    }
    for (size_t i = 0; i < queues->argc; i++) {
        if ((status = op->fn(queues->argv[i], id)) != 0) {
            if (status > 0)
                op->count++;
            return;
        }
    }
}

/* postsuper_all - apply an operation to every message in the queues. */

static void postsuper_all(POSTSUPER_OP *op, STRV *queues)
{
    for (size_t i = 0; i < queues->argc; i++) {
        STRV   *ids = queue_scan_ids(queues->argv[i], 1);

        for (size_t j = 0; j < ids->argc; j++)
            if (op->fn(queues->argv[i], ids->argv[j]) > 0)
                op->count++;
        strv_free(&ids);
    }
}

/* postsuper_stdin - apply an operation to the IDs on standard input. */

static void postsuper_stdin(POSTSUPER_OP *op, STRV *queues)
{
    char    line[1024];

    while (fgets(line, sizeof(line), stdin) != 0) {
        line[strcspn(line, " \t\r\n")] = 0;
        if (*line)
            postsuper_one(op, queues, line);
    }
}

/* postsuper_run - every ID given for one operation. */

static void postsuper_run(POSTSUPER_OP *op, STRV *queues)
{
    for (size_t i = 0; i < op->ids->argc; i++) {
        const char *id = op->ids->argv[i];

        if (strcmp(id, "ALL") == 0)
            postsuper_all(op, queues);
        else if (strcmp(id, "-") == 0)
            postsuper_stdin(op, queues);
        else
            postsuper_one(op, queues, id);
    }
    if (op->count > 0)
        msg_info("%s: %d message%s", op->done, op->count,
                 op->count == 1 ? "" : "s");
}

/* postsuper_tmp_old - is a temporary file to go (age 0: any)? */

static int postsuper_tmp_old(const char *path, time_t min_age)
{
    struct stat st;

    return (lstat(path, &st) == 0 && S_ISREG(st.st_mode)
            && time((time_t *) 0) - st.st_mtime >= min_age);
}

/* postsuper_purge - remove temporary files at least min_age old. */

static int postsuper_purge(time_t min_age)
{
    static const char *dirs[] = {"incoming", "active", "deferred", "hold",
    "corrupt", "maildrop", "defer", 0};
    BUF    *path = buf_new(64);
    DIR    *dp;
    struct dirent *de;
    int     count = 0;

    for (const char **dir = dirs; *dir; dir++) {
        if ((dp = opendir(*dir)) == 0)
            continue;
        while ((de = readdir(dp)) != 0) {
            if (strncmp(de->d_name, POSTSUPER_TMP, strlen(POSTSUPER_TMP)) != 0
                && !(strcmp(*dir, "defer") == 0 && de->d_name[0] == '.'
                     && queue_id_valid(de->d_name + 1)))
                continue;
            postsuper_path(path, *dir, de->d_name, "");
            if (!postsuper_tmp_old(path->data, min_age))
                continue;
            if (unlink(path->data) == 0) {
                msg_warn("removed temporary file %s", path->data);
                count++;
            } else if (errno != ENOENT) {
                msg_warn("remove %s: %m", path->data);
            }
        }
        closedir(dp);
    }
    buf_free(&path);
    return (count);
}

/* postsuper_check_corrupt - move unreadable queue files to corrupt/. */

static int postsuper_check_corrupt(const char *queue)
{
    STRV   *ids = queue_scan_ids(queue, 1);
    BUF    *path = buf_new(64);
    BUF    *why = buf_new(64);
    QUEUE_FILE *qf;
    int     count = 0;

    for (size_t i = 0; i < ids->argc; i++) {
        postsuper_path(path, queue, ids->argv[i], "");
        buf_reset(why);
        if (queue_file_open(path->data, QUEUE_FILE_READ, &qf, why) == 0) {
            queue_file_close(&qf);
        } else if (errno == EBADMSG && postsuper_move(queue, "corrupt", ids->argv[i])) {
            msg_warn("%s: corrupt queue file %s: %s; moved to corrupt queue",
                     ids->argv[i], path->data, why->data);
            count++;
        }
    }
    buf_free(&why);
    buf_free(&path);
    strv_free(&ids);
    return (count);
}

/* postsuper_check_misplaced - queue files outside the queues go to incoming/. */

static int postsuper_check_misplaced(const char *dir)
{
    STRV   *ids = queue_scan_ids(dir, 1);
    BUF    *path = buf_new(64);
    BUF    *why = buf_new(64);
    QUEUE_FILE *qf;
    struct stat st;
    int     count = 0;

    for (size_t i = 0; i < ids->argc; i++) {
        postsuper_path(path, dir, ids->argv[i], "");
        if (lstat(path->data, &st) < 0 || !S_ISREG(st.st_mode))
            continue;
        if (queue_file_open(path->data, QUEUE_FILE_READ, &qf, why) < 0)
            continue;                   /* defer/ID: a log, not a message */
        queue_file_close(&qf);
        if (postsuper_move(dir, "incoming", ids->argv[i])) {
            msg_warn("%s: misplaced queue file %s; moved to incoming queue",
                     ids->argv[i], path->data);
            count++;
        }
    }
    buf_free(&why);
    buf_free(&path);
    strv_free(&ids);
    return (count);
}

/* postsuper_structure - the -s check. */

static void postsuper_structure(void)
{
    static const char *queues[] = {"incoming", "active", "deferred", "hold", 0};
    int     count = 0;

    count += postsuper_purge(POSTSUPER_TMP_AGE);
    count += postsuper_check_misplaced(".");
    count += postsuper_check_misplaced("defer");
    for (const char **q = queues; *q; q++)
        count += postsuper_check_corrupt(*q);
    if (count > 0)
        msg_info("Repaired: %d problem%s", count, count == 1 ? "" : "s");
}

/* postsuper_master_running - does a master hold this instance's pid lock? */

static int postsuper_master_running(void)
{
    int     fd, running = 0;

    if ((fd = open("pid/master.pid", O_RDWR | O_CLOEXEC)) >= 0) {
        running = lock_holder(fd) > 0;
        (void) close(fd);
    }
    return (running);
}

/* postsuper_lock - one postsuper at a time per instance. */

static int postsuper_lock(void)
{
    BUF    *path = buf_new(256);
    int     fd;

    buf_printf(path, "%s/postsuper.lock", config_str(P_DATA_DIRECTORY));
    if ((fd = open(path->data, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
        msg_fatal("open %s: %m", path->data);
    if (lock_exclusive(fd, 1) < 0)
        msg_fatal("lock %s: %m", path->data);
    buf_free(&path);
    return (fd);
}

/* postsuper_allowed - root or mail_owner only. */

static void postsuper_allowed(void)
{
    const struct passwd *owner = getpwnam(config_str(P_MAIL_OWNER));

    if (getuid() != 0 && (owner == 0 || owner->pw_uid != getuid()))
        msg_fatal("use of this command is reserved for the superuser");
}

static void postsuper_usage(void)
{
    msg_fatal("usage: postsuper [-c config_dir] [-d queue_id (delete)] "
              "[-e queue_id (expire)] [-h queue_id (hold)] "
              "[-H queue_id (un-hold)] [-p (purge temporary files)] "
              "[-r queue_id (requeue)] [-s (structure fix)] [-v (verbose)] "
              "[queue...]");
}

int     main(int argc, char **argv)
{
    const char *dir = 0;
    int     ch, structure = 0, purge = 0, any = 0, lock_fd, count, wake = 0;
    char    scan = MASTER_TRIGGER_SCAN;
    STRV   *queues;
    POSTSUPER_OP *op;

    msg_init("postsuper");
    for (op = postsuper_ops; op->flag; op++)
        op->ids = strv_new();
    while ((ch = getopt(argc, argv, "c:d:e:h:H:r:psv")) > 0) {
        switch (ch) {
        case 'c':
            dir = optarg;
            break;
        case 'p':
            purge = any = 1;
            break;
        case 's':
            structure = any = 1;
            break;
        case 'v':
            msg_verbose++;
            break;
        default:
            for (op = postsuper_ops; op->flag && op->flag != ch; op++)
                 /* void */ ;
            if (op->flag == 0)
                postsuper_usage();
            strv_add(op->ids, optarg);
            any = 1;
            break;
        }
    }
    if (!any)
        postsuper_usage();
    config_load(dir, 0);
    postsuper_allowed();
    config_setup_logging();
    msg_to_stderr(1);
    if (chdir(config_str(P_QUEUE_DIRECTORY)) < 0)
        msg_fatal("chdir %s: %m", config_str(P_QUEUE_DIRECTORY));
    for (int i = optind; i < argc; i++)
        if (strcmp(argv[i], "incoming") && strcmp(argv[i], "active")
            && strcmp(argv[i], "deferred") && strcmp(argv[i], "hold"))
            msg_fatal("invalid directory name: %s", argv[i]);
    lock_fd = postsuper_lock();

    if (structure)
        postsuper_structure();
    if (purge && (count = postsuper_purge(postsuper_master_running() ?
                                          POSTSUPER_TMP_AGE : 0)) > 0)
        msg_info("Purged: %d temporary file%s", count, count == 1 ? "" : "s");
    for (op = postsuper_ops; op->flag; op++) {
        if (op->ids->argc == 0)
            continue;
        if (optind < argc) {
            queues = strv_new();
            for (int i = optind; i < argc; i++)
                strv_add(queues, argv[i]);
        } else {
            queues = strv_split(op->queues, " ");
        }
        postsuper_run(op, queues);
        strv_free(&queues);
    }
    /* Start or wake qmgr for what is due now; if the mail system is down, it is done at start. */
    for (op = postsuper_ops; op->flag; op++) {
        if (op->count > 0 && op->fn != postsuper_delete && op->fn != postsuper_hold)
            wake = 1;
        strv_free(&op->ids);
    }
    if (wake)
        (void) mail_trigger("public", "qmgr", &scan, 1);
    (void) close(lock_fd);
    return (0);
}
