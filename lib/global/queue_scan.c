/* NAME
 *	queue_scan 3
 * SUMMARY
 *	the queue IDs in one queue directory
 * DESCRIPTION
 *	See queue_scan.h.
 */
#include <dirent.h>
#include <errno.h>

#include "msg.h"
#include "queue_id.h"
#include "queue_scan.h"

/* queue_scan_ids - the queue IDs in a directory, oldest first. */

STRV   *queue_scan_ids(const char *dir, int missing_ok)
{
    STRV   *ids = strv_new();
    DIR    *dp;
    struct dirent *de;

    if ((dp = opendir(dir)) == 0) {
        if (!missing_ok || errno != ENOENT)
            msg_warn("open directory %s: %m", dir);
        return (ids);
    }
    while ((de = readdir(dp)) != 0)
        if (queue_id_valid(de->d_name))
            strv_add(ids, de->d_name);
    closedir(dp);
    strv_sort(ids);                     /* IDs sort by arrival time */
    return (ids);
}
