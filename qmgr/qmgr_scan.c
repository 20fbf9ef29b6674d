/* NAME
 *	qmgr_scan 3
 * SUMMARY
 *	move queue files into the active queue
 * DESCRIPTION
 *	Names that are not queue IDs (temporary files of writers, which
 *	start with a dot, and strays) are left alone. A file's move into
 *	active/ is a rename(2) in one file system, so a crash leaves it in
 *	one place or the other, never both and never neither.
 *
 *	In deferred/ a file's modification time is the time of its next
 *	retry (as in Postfix), so a scan needs no other state.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "msg.h"
#include "qmgr.h"
#include "queue_scan.h"
#include "strv.h"

int     qmgr_active_count;

static int qmgr_move(const char *from, const char *to, const char *id)
{
    BUF    *src = buf_new(64);
    BUF    *dst = buf_new(64);
    int     status;

    buf_printf(src, "%s/%s", from, id);
    buf_printf(dst, "%s/%s", to, id);
    if ((status = rename(src->data, dst->data)) < 0 && errno != ENOENT)
        msg_warn("rename %s to %s: %m", src->data, dst->data);
    buf_free(&src);
    buf_free(&dst);
    return (status);
}

void    qmgr_scan_incoming(void)
{
    STRV   *ids = queue_scan_ids("incoming", 0);
    long    limit = config_int(P_QMGR_MESSAGE_ACTIVE_LIMIT);

    for (size_t i = 0; i < ids->argc && qmgr_active_count < limit; i++)
        if (qmgr_move("incoming", "active", ids->argv[i]) == 0)
            qmgr_message_activate(ids->argv[i]);
    strv_free(&ids);
}

void    qmgr_scan_deferred(int all)
{
    STRV   *ids = queue_scan_ids("deferred", 0);
    long    limit = config_int(P_QMGR_MESSAGE_ACTIVE_LIMIT);
    time_t  now = time((time_t *) 0);
    BUF    *path = buf_new(64);
    struct stat st;

    for (size_t i = 0; i < ids->argc && qmgr_active_count < limit; i++) {
        buf_reset(path);
        buf_printf(path, "deferred/%s", ids->argv[i]);
        if (stat(path->data, &st) < 0 || (!all && st.st_mtime > now))
            continue;
        if (qmgr_move("deferred", "active", ids->argv[i]) == 0)
            qmgr_message_activate(ids->argv[i]);
    }
    buf_free(&path);
    strv_free(&ids);
}

/* qmgr_scan_has_site - a pending recipient in site (any case)? */

static int qmgr_scan_has_site(const char *path, const char *site)
{
    QUEUE_FILE *qf;
    BUF    *why = buf_new(64);
    int     found = 0;

    if (queue_file_open(path, 0, &qf, why) == 0) {
        for (size_t r = 0; r < queue_file_rcpt_count(qf) && !found; r++) {
            const QUEUE_FILE_RCPT *rcpt = queue_file_rcpt(qf, r);
            const char *at = strrchr(rcpt->address, '@');

            found = !rcpt->done && at && strcasecmp(at + 1, site) == 0;
        }
        queue_file_close(&qf);
    }
    buf_free(&why);
    return (found);
}

/*
 * qmgr_scan_deferred_match - deliver now the deferred messages with a
 * pending recipient in site (postqueue -s, ETRN), or the one message
 * queue_id (postqueue -i), whatever their retry time. Postfix keeps
 * per-site logs for this (the flush service); a scan of deferred/ that
 * reads the envelopes needs no extra state and is what a site flush
 * costs only when someone asks for one.
 */
void    qmgr_scan_deferred_match(const char *site, const char *queue_id)
{
    STRV   *ids = queue_scan_ids("deferred", 0);
    long    limit = config_int(P_QMGR_MESSAGE_ACTIVE_LIMIT);
    BUF    *path = buf_new(64);

    for (size_t i = 0; i < ids->argc && qmgr_active_count < limit; i++) {
        if (queue_id && strcmp(ids->argv[i], queue_id) != 0)
            continue;
        buf_reset(path);
        buf_printf(path, "deferred/%s", ids->argv[i]);
        if (site && !qmgr_scan_has_site(path->data, site))
            continue;
        if (qmgr_move("deferred", "active", ids->argv[i]) == 0)
            qmgr_message_activate(ids->argv[i]);
    }
    buf_free(&path);
    strv_free(&ids);
}

/*
 * qmgr_recover_active - at start-up every file in active/ is left over
 * from a previous qmgr (we are the only one): put it back in play.
 * Recipients already marked done stay done. Each file is marked tried
 * (it may have been delivered; after a system crash the mark qmgr set
 * on activation may not have reached the disk).
 */
void    qmgr_recover_active(void)
{
    STRV   *ids = queue_scan_ids("active", 0);
    BUF    *path = buf_new(64);

    for (size_t i = 0; i < ids->argc; i++) {
        buf_reset(path);
        buf_printf(path, "active/%s", ids->argv[i]);
        (void) queue_file_mark_tried(path->data);
        if (qmgr_move("active", "incoming", ids->argv[i]) == 0)
            msg_info("%s: recovered from active queue", ids->argv[i]);
    }
    buf_free(&path);
    strv_free(&ids);
}
