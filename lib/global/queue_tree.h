/* NAME
 *	queue_tree 3h
 * SUMMARY
 *	the queue directory tree: names, owners, modes
 * DESCRIPTION
 *	The directories under queue_directory with Postfix's ownership and
 *	permissions. queue_tree_check() creates what is missing and reports
 *	(msg_error) every directory whose owner or mode is wrong; it
 *	returns the number of problems. When the caller is not root,
 *	mail_owner is the caller and no ownership changes are made.
 */
#ifndef QUEUE_TREE_H
#define QUEUE_TREE_H

#include <sys/types.h>

typedef struct QUEUE_TREE_DIR {
    const char *name;
    mode_t  mode;
    int     owner_is_root;              /* else mail_owner */
    int     group_is_setgid;            /* else the owner's group */
} QUEUE_TREE_DIR;

extern const QUEUE_TREE_DIR queue_tree_dirs[];

extern int queue_tree_check(const char *queue_dir, uid_t owner, gid_t owner_gid,
                            gid_t setgid_gid, int create);

#endif
