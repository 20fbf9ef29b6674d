/* NAME
 *	mail_flush 3
 * SUMMARY
 *	ask the queue manager to retry deferred mail now
 * DESCRIPTION
 *	See mail_flush.h. Shared by "postern flush" and "postqueue -f".
 */
#include <string.h>

#include "mail_connect.h"
#include "mail_flush.h"
#include "master_proto.h"
#include "mem.h"

int     mail_flush(void)
{
    char    request = MASTER_TRIGGER_FLUSH;

    return (mail_trigger("public", "qmgr", &request, 1));
}

/* mail_flush_arg - a request byte, an argument and its NUL. */

static int mail_flush_arg(int request, const char *arg)
{
    size_t  len = strlen(arg);
    char   *buf = mem_alloc(len + 2);
    int     status;

    buf[0] = (char) request;
    memcpy(buf + 1, arg, len + 1);
    status = mail_trigger("public", "qmgr", buf, len + 2);
    mem_free(buf);
    return (status);
}

int     mail_flush_site(const char *site)
{
    return (mail_flush_arg(MASTER_TRIGGER_FLUSH_SITE, site));
}

int     mail_flush_id(const char *queue_id)
{
    return (mail_flush_arg(MASTER_TRIGGER_FLUSH_ID, queue_id));
}
