/* NAME
 *	local_claim 3
 * SUMMARY
 *	one delivery attempt per recipient at a time, across processes
 * DESCRIPTION
 *	When qmgr is killed while local delivers, the next qmgr finds the
 *	message in active/ and asks again, possibly while the first attempt
 *	is still running in another local process. Two attempts at the
 *	same recipient at once could both miss each other's Maildir file
 *	and deliver twice.
 *
 *	So before it delivers a recipient, local takes an exclusive fcntl(2)
 *	lock on the one byte of the queue file that marks the recipient
 *	done (the type byte of its 'R' record), and then reads that byte
 *	again: 'r' means that another attempt finished the recipient since
 *	this request was made, and there is nothing left to do. The lock
 *	goes when the attempt ends (or when its process dies, however it
 *	dies); the delivery child dies with its parent, so an attempt never
 *	outlives its lock. A lock held longer than LOCAL_CLAIM_WAIT defers
 *	the recipient: the retry will see how the other attempt ended.
 *
 *	The lock is taken through a descriptor of its own (fcntl locks
 *	belong to the process and the file, so it is the same lock as one
 *	on the queue file's own descriptor, which is closed only at the end
 *	of the request).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "local.h"
#include "msg.h"

#define LOCAL_CLAIM_WAIT    30          /* seconds */
#define LOCAL_CLAIM_POLL    100         /* ms between tries */

static int local_claim_lock(int fd, off_t offset, short type)
{
    struct flock fl;

    memset(&fl, 0, sizeof(fl));
    fl.l_type = type;
    fl.l_whence = SEEK_SET;
    fl.l_start = offset;
    fl.l_len = 1;
    return (fcntl(fd, F_SETLK, &fl));
}

int     local_claim(int fd, off_t offset, LOCAL_RESULT *result)
{
    time_t  deadline = time((time_t *) 0) + LOCAL_CLAIM_WAIT;
    char    type;
    ssize_t n;

    while (local_claim_lock(fd, offset, F_WRLCK) < 0) {
        if (errno != EAGAIN && errno != EACCES && errno != EINTR) {
            local_result_set(result, "4.3.0", "cannot lock queue file: %s",
                             strerror(errno));
            return (LOCAL_CLAIM_FAIL);
        }
        if (time((time_t *) 0) >= deadline) {
            local_result_set(result, "4.3.0", "another delivery attempt for "
                             "this recipient is still in progress");
            return (LOCAL_CLAIM_FAIL);
        }
        (void) poll(0, 0, LOCAL_CLAIM_POLL);
    }
    while ((n = pread(fd, &type, 1, offset)) < 0 && errno == EINTR)
         /* void */ ;
    if (n != 1) {
        local_result_set(result, "4.3.0", "error reading queue file: %s",
                         n < 0 ? strerror(errno) : "unexpected end of file");
        local_claim_release(fd, offset);
        return (LOCAL_CLAIM_FAIL);
    }
    if (type == QUEUE_FILE_DONE_REC) {
        local_result_set(result, "2.0.0", "already handled by an earlier "
                         "delivery attempt");
        local_claim_release(fd, offset);
        return (LOCAL_CLAIM_DONE);
    }
    return (LOCAL_CLAIM_OK);
}

void    local_claim_release(int fd, off_t offset)
{
    if (local_claim_lock(fd, offset, F_UNLCK) < 0)
        msg_warn("unlock queue file: %m");
}
