/* NAME
 *	dict_unix 3
 * SUMMARY
 *	unix: tables, the system's user and group databases
 * DESCRIPTION
 *	"unix:passwd.byname" looks a user name up with getpwnam(3); the
 *	value is the passwd line (name:passwd:uid:gid:gecos:dir:shell).
 *	"unix:group.byname" looks a group up with getgrnam(3); the value
 *	is name:passwd:gid:member,member. A failure of the name service
 *	itself (errno other than "no such entry") is DICT_ERROR.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>

#include "dict.h"
#include "mem.h"
#include "msg.h"

typedef struct DICT_UNIX {
    DICT    dict;
    BUF    *value;
} DICT_UNIX;

/* dict_unix_missing - errno after a NULL result means "no entry" */

static int dict_unix_missing(int err)
{
    return err == 0 || err == ENOENT || err == ESRCH || err == EBADF
        || err == EPERM;
}

static int dict_unix_passwd(DICT *dict, const char *key, const char **value_r)
{
    DICT_UNIX *du = (DICT_UNIX *) dict;
    struct passwd *pw;

    errno = 0;
    if ((pw = getpwnam(key)) == NULL) {
        if (dict_unix_missing(errno))
            return DICT_NOTFOUND;
        msg_warn("%s: lookup of \"%s\": %m", dict->title, key);
        return DICT_ERROR;
    }
    buf_reset(du->value);
    buf_printf(du->value, "%s:%s:%ld:%ld:%s:%s:%s", pw->pw_name, pw->pw_passwd,
               (long) pw->pw_uid, (long) pw->pw_gid, pw->pw_gecos,
               pw->pw_dir, pw->pw_shell);
    *value_r = BUF_STR(du->value);
    return DICT_FOUND;
}

static int dict_unix_group(DICT *dict, const char *key, const char **value_r)
{
    DICT_UNIX *du = (DICT_UNIX *) dict;
    struct group *gr;
    char  **mp;

    errno = 0;
    if ((gr = getgrnam(key)) == NULL) {
        if (dict_unix_missing(errno))
            return DICT_NOTFOUND;
        msg_warn("%s: lookup of \"%s\": %m", dict->title, key);
        return DICT_ERROR;
    }
    buf_reset(du->value);
    buf_printf(du->value, "%s:%s:%ld:", gr->gr_name, gr->gr_passwd,
               (long) gr->gr_gid);
    for (mp = gr->gr_mem; *mp; mp++)
        buf_printf(du->value, "%s%s", mp == gr->gr_mem ? "" : ",", *mp);
    *value_r = BUF_STR(du->value);
    return DICT_FOUND;
}

static int dict_unix_close(DICT *dict)
{
    buf_free(&((DICT_UNIX *) dict)->value);
    return 0;
}

DICT   *dict_unix_open(const char *name, int flags, BUF *why)
{
    DICT_UNIX *du;
    int     (*lookup) (DICT *, const char *, const char **);

    if (strcmp(name, "passwd.byname") == 0) {
        lookup = dict_unix_passwd;
    } else if (strcmp(name, "group.byname") == 0) {
        lookup = dict_unix_group;
    } else {
        buf_printf(why, "unknown table: unix:%s", name);
        return NULL;
    }
    du = (DICT_UNIX *) dict_alloc(sizeof(*du), "unix", name,
                             flags & ~(DICT_FLAG_CREATE | DICT_FLAG_WRITE));
    du->value = buf_new(128);
    du->dict.lookup = lookup;
    du->dict.close = dict_unix_close;
    return &du->dict;
}
