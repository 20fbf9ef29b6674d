/* NAME
 *	local_result 3
 * SUMMARY
 *	delivery results of the local delivery agent
 * DESCRIPTION
 *	A LOCAL_RESULT is an RFC 3463 status code and a reason; its
 *	delivery status (sent, deferred, bounced) follows from the code's
 *	class, so the two can never disagree. Setting a result clears its
 *	repeatable flag; a delivery method that a repeat would find (the
 *	Maildir) sets it afterwards.
 *
 *	local_result_errno_dsn() classifies a system error the way an
 *	administrator expects, as Postfix does for mailboxes: a full disk or
 *	an I/O error (ENOSPC, EIO) and other resource trouble are temporary
 *	(4.3.0), a lock that is busy or a stale NFS handle is temporary
 *	(4.2.0), a full mailbox (EDQUOT, EFBIG) is permanent (5.2.2), and
 *	anything else (permissions, a symlink where a mailbox should be)
 *	gets the caller's default.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "deliver_request.h"
#include "local.h"
#include "msg.h"

void    local_result_init(LOCAL_RESULT *result)
{
    result->status = 0;
    result->dsn[0] = 0;
    result->reason = buf_new(128);
    result->repeatable = 0;
}

void    local_result_free(LOCAL_RESULT *result)
{
    buf_free(&result->reason);
}

void    local_result_vset(LOCAL_RESULT *result, const char *dsn,
                          const char *fmt, va_list ap)
{
    switch (dsn[0]) {
    case '2':
        result->status = DELIVER_SENT;
        break;
    case '4':
        result->status = DELIVER_DEFER;
        break;
    case '5':
        result->status = DELIVER_BOUNCE;
        break;
    default:
        msg_panic("local_result_set: bad status code \"%s\"", dsn);
    }
    snprintf(result->dsn, sizeof(result->dsn), "%s", dsn);
    result->repeatable = 0;
    buf_reset(result->reason);
    buf_vprintf(result->reason, fmt, ap);
}

void    local_result_set(LOCAL_RESULT *result, const char *dsn, const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    local_result_vset(result, dsn, fmt, ap);
    va_end(ap);
}

const char *local_result_errno_dsn(int err, const char *def_dsn)
{
    switch (err) {
    case ENOSPC:
    case EIO:
    case ENFILE:
    case EMFILE:
    case ENOMEM:
    case EINTR:
    case ETIMEDOUT:
    case EROFS:
        return ("4.3.0");
    case EAGAIN:
    case ESTALE:
    case EBUSY:
    case ENOLCK:
        return ("4.2.0");
    case EDQUOT:
    case EFBIG:
        return ("5.2.2");
    default:
        return (def_dsn);
    }
}

/*
 * local_result_copy_error - after local_message_copy() failed: a queue
 * file that cannot be read is our problem, always temporary; a
 * destination that cannot be written is classified by its errno.
 */
void    local_result_copy_error(LOCAL_RESULT *result, int status,
                                const char *prefix)
{
    int     err = errno;

    if (status == LOCAL_COPY_READ_ERR)
        local_result_set(result, "4.3.0", "error reading queue file: %s",
                         strerror(err));
    else
        local_result_set(result, local_result_errno_dsn(err, "5.2.0"),
                         "%serror writing message: %s", prefix, strerror(err));
}
