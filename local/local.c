/* NAME
 *	local 8
 * SUMMARY
 *	Postern local mail delivery
 * SYNOPSIS
 *	local (started by master: "local unix - n n - - local")
 * DESCRIPTION
 *	The local delivery agent takes delivery requests from the queue
 *	manager (deliver_request(3h)), one per connection, and delivers
 *	each recipient to the mailbox of a local account: a Maildir, an
 *	mbox file, or mailbox_command. For every recipient whose result is
 *	final (delivered or bounced) it marks the recipient done in the
 *	queue file before it answers, logs the result in Postfix's shape
 *
 *	    QUEUEID: to=<user@domain>, orig_to=<alias@domain>, relay=local,
 *	    delay=0.12, delays=0.05/0.01/0/0.06, dsn=2.0.0,
 *	    status=sent (delivered to maildir)
 *
 *	and then replies with all results. Each recipient is claimed first
 *	(local_claim(3)), so that two attempts at it never run at once.
 *
 *	Where the mail goes: see local_recipient(3) (address parsing,
 *	recipient_delimiter, unknown users, mail loops), local_maildir(3),
 *	local_mbox(3) and local_command(3). Every message gets
 *	Return-Path: and Delivered-To: headers in front, as with Postfix;
 *	a message that already carries a Delivered-To: for
 *	the recipient bounces as a mail forwarding loop (5.4.6).
 *
 *	Privilege: local runs as root when the instance does (master.cf
 *	unprivileged column "n") and keeps root only to deliver each
 *	recipient with that user's rights: a Maildir with the user's file
 *	system identity for the moment (local_fsid(3)), anything else in a
 *	forked child (local_deliver(3)). An instance run by an ordinary
 *	user delivers only to that user's mailbox; mail for other existing
 *	users is deferred (4.3.5), mail for unknown ones bounces.
 *
 *	Later: aliases, .forward, :include:, |command and /file.
 * PARAMETERS
 *	home_mailbox, mail_spool_directory, mailbox_command,
 *	recipient_delimiter, owner_request_special, command_time_limit,
 *	local_command_shell, export_environment, command_expansion_filter,
 *	default_privs, mailbox_delivery_lock, deliver_lock_attempts,
 *	deliver_lock_delay, stale_lock_time, strict_mailbox_ownership,
 *	ipc_timeout, queue_directory, max_use, max_idle.
 * STANDARDS
 *	RFC 3463 (enhanced status codes), RFC 5322 3.4.1 (quoted local
 *	parts in the headers written).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "config.h"
#include "daemon.h"
#include "deliver_request.h"
#include "deliver_result.h"
#include "local.h"
#include "mem.h"
#include "msg.h"

/*
 * local_mark_done - record a final result in the queue file before qmgr
 * hears of it. When that fails the delivery has still happened: qmgr
 * is told so (a retry after a crash would find a Maildir copy anyway).
 * The mark is forced to disk unless a repeat of the delivery would find
 * its copy (Maildir): then only a system crash can lose it, and the
 * retry that follows is harmless (local_maildir(3)).
 */
static void local_mark_done(LOCAL_MESSAGE *msg, size_t index,
                            const LOCAL_RESULT *result, const char *address)
{
    if (result->status == DELIVER_DEFER)
        return;
    if (queue_file_mark_done(msg->qf, index, result->repeatable ?
                             QUEUE_FILE_MARK_NOSYNC : 0) < 0)
        msg_warn("%s: cannot mark recipient %s done: %m", msg->queue_id, address);
}

/* local_attempt - a claimed recipient: resolve, deliver, mark. */

static void local_attempt(LOCAL_MESSAGE *msg, const DELIVER_RCPT *drcpt,
                          LOCAL_RESULT *result)
{
    LOCAL_RCPT rcpt;

    local_recipient_parse(&rcpt, drcpt->address, drcpt->orig);
    local_alias_deliver(msg, &rcpt, result);
    local_recipient_free(&rcpt);
    local_mark_done(msg, (size_t) drcpt->offset, result, drcpt->address);
}

/* local_one - deliver one recipient of the request. */

static void local_one(LOCAL_MESSAGE *msg, DELIVER_RCPT *drcpt)
{
    LOCAL_RESULT result;
    const QUEUE_FILE_RCPT *qrcpt = 0;

    local_result_init(&result);
    if (drcpt->offset >= 0 && (size_t) drcpt->offset < queue_file_rcpt_count(msg->qf))
        qrcpt = queue_file_rcpt(msg->qf, (size_t) drcpt->offset);
    if (qrcpt == 0 || strcmp(qrcpt->address, drcpt->address) != 0) {
        msg_warn("%s: recipient %s is not number %ld of the queue file",
                 msg->queue_id, drcpt->address, drcpt->offset);
        local_result_set(&result, "4.3.0", "queue file does not match the request");
    } else if (local_claim(msg->claim_fd, qrcpt->offset, &result) == LOCAL_CLAIM_OK) {
        local_attempt(msg, drcpt, &result);
        local_claim_release(msg->claim_fd, qrcpt->offset);
    }
    deliver_request_set_result(drcpt, result.status, result.dsn, "local",
                               result.reason->data);
    local_result_free(&result);
}

/* local_fail_all - the message cannot be read: defer every recipient. */

static void local_fail_all(DELIVER_REQUEST *req, const struct timeval *received,
                           const char *fmt, const char *why)
{
    BUF    *reason = buf_new(128);

    buf_printf(reason, fmt, why);
    for (size_t i = 0; i < req->count; i++) {
        deliver_request_set_result(req->rcpts + i, DELIVER_DEFER, "4.3.0", "local",
                                   reason->data);
        deliver_result_log(req, req->rcpts + i, received, 0);
    }
    buf_free(&reason);
}

static void local_request(DELIVER_REQUEST *req, const struct timeval *received)
{
    LOCAL_MESSAGE msg;
    BUF    *path = buf_new(64);
    BUF    *why = buf_new(64);

    memset(&msg, 0, sizeof(msg));
    buf_printf(path, "%s/%s", req->queue_name, req->queue_id);
    if ((msg.claim_fd = open(path->data, O_RDWR | O_CLOEXEC)) < 0
        || queue_file_open(path->data, QUEUE_FILE_UPDATE, &msg.qf, why) < 0) {
        if (msg.claim_fd < 0)
            buf_set(why, strerror(errno));
        msg_warn("%s: cannot open queue file %s: %s", req->queue_id, path->data,
                 why->data);
        local_fail_all(req, received, "cannot open queue file: %s", why->data);
    } else {
        msg.queue_id = req->queue_id;
        msg.sender = req->sender;
        msg.arrival = req->arrival_time;
        msg.retry = req->retry;
        msg.delivered = strv_new();
        if (local_message_scan(&msg) < 0) {
            msg_warn("%s: read queue file: %m", req->queue_id);
            local_fail_all(req, received, "error reading queue file: %s",
                           strerror(errno));
        } else {
            for (size_t i = 0; i < req->count; i++) {
                local_one(&msg, req->rcpts + i);
                deliver_result_log(req, req->rcpts + i, received, 0);
            }
        }
        strv_free(&msg.delivered);
        queue_file_close(&msg.qf);
    }
    if (msg.claim_fd >= 0)
        close(msg.claim_fd);
    buf_free(&path);
    buf_free(&why);
}

static void local_serve(int fd)
{
    deliver_request_serve(fd, local_request);
}

int     main(int argc, char **argv)
{
    static DAEMON_SPEC spec;

    /* Privilege: kept (as root) only to deliver as each user (local_deliver). */
    spec.kind = DAEMON_SINGLE;
    spec.serve = local_serve;
    return (daemon_main(argc, argv, &spec));
}
