/* NAME
 *	mail_flush 3
 * SUMMARY
 *	ask the queue manager to retry deferred mail now
 * DESCRIPTION
 *	See mail_flush.h. Shared by "postern flush" and "postqueue -f".
 */
#include "mail_connect.h"
#include "mail_flush.h"
#include "master_proto.h"

int     mail_flush(void)
{
    char    request = MASTER_TRIGGER_FLUSH;

    return (mail_trigger("public", "qmgr", &request, 1));
}
