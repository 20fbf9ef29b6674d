/* NAME
 *	priv 3h
 * SUMMARY
 *	privilege changes: look up an account, drop to it, chroot
 * DESCRIPTION
 *	priv_drop() changes root directory (when asked), then groups, gid
 *	and uid, and verifies with getres[ug]id() that every id changed
 *	and that root cannot be regained. Any failure is fatal: a daemon
 *	must never run with more privilege than it was meant to have.
 */
#ifndef PRIV_H
#define PRIV_H

#include <sys/types.h>

extern int priv_lookup_user(const char *name, uid_t *uid_r, gid_t *gid_r);
extern int priv_lookup_group(const char *name, gid_t *gid_r);
extern void priv_drop(uid_t uid, gid_t gid, const char *root_dir);

#endif
