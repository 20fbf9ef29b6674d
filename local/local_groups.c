/* NAME
 *	local_groups 3
 * SUMMARY
 *	a recipient's supplementary groups, looked up once a minute
 * DESCRIPTION
 *	A delivery runs with the recipient's uid, primary gid and
 *	supplementary groups, like a login of that user. Finding the
 *	supplementary groups means reading every group source that
 *	nsswitch.conf names (initgroups(3) and getgrouplist(3) cannot stop
 *	at the first match): on a systemd host that loads libnss_systemd
 *	and walks the userdb directories, dozens of system calls, and in a
 *	forked delivery child whatever was loaded is lost at exit, so it
 *	happens again for every message.
 *
 *	local_groups_get() answers from a per-process cache instead, and
 *	asks getgrouplist() again when the entry is older than
 *	LOCAL_GROUPS_TTL seconds or the primary group differs. Call it in
 *	the parent before fork(): the child inherits the answer. A change
 *	to /etc/group therefore reaches deliveries within a minute (a
 *	local process also ends after max_use requests or max_idle
 *	seconds); until then a user keeps the groups of a moment ago, as
 *	a logged-in user does until the next login.
 *
 *	The array holds the primary group too, as initgroups() sets it.
 *	Returns the number of groups (at least 1), or -1 with errno when
 *	the lookup fails; the array stays valid until the next call.
 */
#include <errno.h>
#include <grp.h>
#include <time.h>

#include "htable.h"
#include "local.h"
#include "mem.h"

#define LOCAL_GROUPS_TTL    60          /* seconds */

typedef struct LOCAL_GROUPS {
    gid_t   gid;                        /* primary group asked for */
    gid_t  *list;
    int     count;
    time_t  when;
} LOCAL_GROUPS;

static HTABLE *local_groups_cache;

/* local_groups_lookup - getgrouplist(), growing the array as needed. */

static int local_groups_lookup(const char *name, LOCAL_GROUPS *entry)
{
    int     size = 16;
    int     count;

    for (;;) {
        entry->list = mem_realloc(entry->list, (size_t) size * sizeof(gid_t));
        count = size;
        errno = 0;
        if (getgrouplist(name, entry->gid, entry->list, &count) >= 0)
            break;
        if (count <= size) {            /* not "too small": a failure */
            if (errno == 0)
                errno = ENOENT;
            return (-1);
        }
        size = count;
    }
    entry->count = count;
    return (count);
}

int     local_groups_get(const char *name, gid_t gid, const gid_t **list_r)
{
    LOCAL_GROUPS *entry;
    time_t  now = time((time_t *) 0);

    if (local_groups_cache == 0)
        local_groups_cache = htable_new(16);
    if ((entry = htable_find(local_groups_cache, name)) == 0) {
        entry = mem_calloc(1, sizeof(*entry));
        entry->gid = gid;
        htable_enter(local_groups_cache, name, entry);
    } else if (entry->gid == gid && entry->count > 0
               && now >= entry->when && now - entry->when < LOCAL_GROUPS_TTL) {
        *list_r = entry->list;
        return (entry->count);
    }
    entry->gid = gid;
    entry->count = 0;
    if (local_groups_lookup(name, entry) < 0)
        return (-1);
    entry->when = now;
    *list_r = entry->list;
    return (entry->count);
}
