/* NAME
 *	dict_db 3
 * SUMMARY
 *	hash: and btree: tables on Berkeley DB
 * DESCRIPTION
 *	The table "hash:/etc/x" is the file /etc/x.db, in the Berkeley DB
 *	format that Postfix uses (DB 5.3, no environment), so that tables
 *	built by Postern and by Postfix are interchangeable. Keys are stored
 *	with or without their trailing NUL as dict(3h) describes.
 *
 *	A reader stats the file at most once per second and re-opens it
 *	when its inode, size or modification time changed. A writer never
 *	changes the file a reader has open: it builds (or copies and
 *	changes) a temporary file in the same directory and renames it over
 *	name.db when the dict is closed; the copy keeps the old file's mode
 *	and, for root, its owner.
 */
#include <db.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "dict.h"
#include "mem.h"
#include "msg.h"

typedef struct DICT_DB {
    DICT    dict;
    DB     *db;
    DBC    *cursor;                     /* dict_sequence() */
    DBTYPE  dbtype;
    char   *path;                       /* name.db */
    char   *tmp_path;                   /* DICT_FLAG_CREATE: built here */
    struct stat st;                     /* of path, when opened */
    time_t  checked;                    /* last stat() */
    BUF    *key;                        /* sequence output */
    BUF    *value;                      /* lookup and sequence output */
    int     failed;                     /* a build step failed */
    int     lock_fd;                    /* writers: the directory lock */
} DICT_DB;

#define DICT_DB_CHECK_SECONDS 1

/* dict_db_errcall - keep Berkeley DB's own messages off stderr */

static void dict_db_errcall(const DB_ENV *env, const char *prefix, const char *text)
{
    (void) env;
    (void) prefix;
    if (msg_verbose)
        msg_info("Berkeley DB: %s", text);
}

/* dict_db_handle - open one DB handle on path */

static DB *dict_db_handle(const char *path, DBTYPE type, int flags, BUF *why)
{
    DB     *db;
    int     err;
    u_int32_t oflags;

    if ((err = db_create(&db, NULL, 0)) != 0) {
        buf_printf(why, "db_create: %s", db_strerror(err));
        return NULL;
    }
    db->set_errcall(db, dict_db_errcall);
    oflags = (flags & DICT_FLAG_CREATE) ? (DB_CREATE | DB_EXCL) : DB_RDONLY;
    if ((err = db->open(db, NULL, path, NULL, type, oflags, 0644)) != 0) {
        buf_printf(why, "open database %s: %s", path,
                   err > 0 ? strerror(err) : db_strerror(err));
        db->close(db, 0);
        return NULL;
    }
    return db;
}

/* dict_db_stat - remember the file's identity */

static void dict_db_stat(DICT_DB *dd)
{
    if (stat(dd->path, &dd->st) < 0)
        memset(&dd->st, 0, sizeof(dd->st));
    dd->checked = time(NULL);
}

/* dict_db_fresh - re-open a read-only table that changed on disk */

static int dict_db_fresh(DICT_DB *dd)
{
    struct stat st;
    time_t  now = time(NULL);
    BUF    *why;
    DB     *db;

    if (dd->dict.flags & (DICT_FLAG_CREATE | DICT_FLAG_WRITE))
        return 0;
    if (dd->db != NULL && now - dd->checked < DICT_DB_CHECK_SECONDS)
        return 0;
    dd->checked = now;
    if (dd->db != NULL && stat(dd->path, &st) == 0
        && st.st_ino == dd->st.st_ino && st.st_dev == dd->st.st_dev
        && st.st_size == dd->st.st_size
        && st.st_mtim.tv_sec == dd->st.st_mtim.tv_sec
        && st.st_mtim.tv_nsec == dd->st.st_mtim.tv_nsec)
        return 0;
    why = buf_new(64);
    if ((db = dict_db_handle(dd->path, dd->dbtype, dd->dict.flags, why)) == NULL) {
        msg_warn("%s: %s", dd->dict.title, BUF_STR(why));
        buf_free(&why);
        return -1;
    }
    buf_free(&why);
    if (dd->db != NULL) {
        if (dd->cursor)
            dd->cursor->close(dd->cursor);
        dd->cursor = NULL;
        dd->db->close(dd->db, 0);
    }
    dd->db = db;
    dict_db_stat(dd);
    return 0;
}

/* dict_db_get - one get with the key in one NUL form */

static int dict_db_get(DICT_DB *dd, const char *key, int with_nul)
{
    DBT     k;
    DBT     v;
    int     err;

    memset(&k, 0, sizeof(k));
    memset(&v, 0, sizeof(v));
    k.data = (void *) key;
    k.size = (u_int32_t) strlen(key) + (with_nul ? 1 : 0);
    if ((err = dd->db->get(dd->db, NULL, &k, &v, 0)) == DB_NOTFOUND)
        return DICT_NOTFOUND;
    if (err != 0) {
        msg_warn("%s: lookup of \"%s\": %s", dd->dict.title, key,
                 db_strerror(err));
        return DICT_ERROR;
    }
    buf_reset(dd->value);
    buf_append(dd->value, v.data, v.size);
    if (BUF_LEN(dd->value) > 0 && BUF_STR(dd->value)[BUF_LEN(dd->value) - 1] == 0)
        buf_truncate(dd->value, BUF_LEN(dd->value) - 1);
    return DICT_FOUND;
}

static int dict_db_lookup(DICT *dict, const char *key, const char **value_r)
{
    DICT_DB *dd = (DICT_DB *) dict;
    int     ret = DICT_NOTFOUND;

    if (dict_db_fresh(dd) < 0)
        return DICT_ERROR;
    if (dict->flags & DICT_FLAG_TRY1NULL) {
        if ((ret = dict_db_get(dd, key, 1)) == DICT_FOUND)
            dict->flags &= ~DICT_FLAG_TRY0NULL;
    }
    if (ret == DICT_NOTFOUND && (dict->flags & DICT_FLAG_TRY0NULL)) {
        if ((ret = dict_db_get(dd, key, 0)) == DICT_FOUND)
            dict->flags &= ~DICT_FLAG_TRY1NULL;
    }
    if (ret == DICT_FOUND)
        *value_r = BUF_STR(dd->value);
    return ret;
}

/* dict_db_key - the key as stored by an update */

static void dict_db_key(DICT_DB *dd, DBT *k, const char *key)
{
    memset(k, 0, sizeof(*k));
    k->data = (void *) key;
    k->size = (u_int32_t) strlen(key);
    if (dd->dict.flags & DICT_FLAG_TRY1NULL) {
        k->size += 1;
        dd->dict.flags &= ~DICT_FLAG_TRY0NULL;
    }
}

static int dict_db_update(DICT *dict, const char *key, const char *value)
{
    DICT_DB *dd = (DICT_DB *) dict;
    DBT     k;
    DBT     v;
    int     err;
    int     ret = 0;

    dict_db_key(dd, &k, key);
    memset(&v, 0, sizeof(v));
    v.data = (void *) value;
    v.size = (u_int32_t) strlen(value) + ((dict->flags & DICT_FLAG_TRY1NULL) ? 1 : 0);
    err = dd->db->put(dd->db, NULL, &k, &v, DB_NOOVERWRITE);
    if (err == DB_KEYEXIST) {
        ret = 1;
        err = (dict->flags & DICT_FLAG_DUP_REPLACE) ?
            dd->db->put(dd->db, NULL, &k, &v, 0) : 0;
    }
    if (err != 0) {
        msg_warn("%s: update of \"%s\": %s", dict->title, key, db_strerror(err));
        dd->failed = 1;
        return -1;
    }
    return ret;
}

static int dict_db_delete(DICT *dict, const char *key)
{
    DICT_DB *dd = (DICT_DB *) dict;
    DBT     k;
    int     err = DB_NOTFOUND;
    int     pass;

    for (pass = 1; pass >= 0 && err == DB_NOTFOUND; pass--) {
        if ((dict->flags & (pass ? DICT_FLAG_TRY1NULL : DICT_FLAG_TRY0NULL)) == 0)
            continue;
        memset(&k, 0, sizeof(k));
        k.data = (void *) key;
        k.size = (u_int32_t) strlen(key) + (u_int32_t) pass;
        err = dd->db->del(dd->db, NULL, &k, 0);
    }
    if (err == DB_NOTFOUND)
        return 0;
    if (err != 0) {
        msg_warn("%s: delete of \"%s\": %s", dict->title, key, db_strerror(err));
        return -1;
    }
    return 1;
}

/* dict_db_text - a stored key or value as a string */

static void dict_db_text(BUF *out, const DBT *d)
{
    buf_reset(out);
    buf_append(out, d->data, d->size);
    if (BUF_LEN(out) > 0 && BUF_STR(out)[BUF_LEN(out) - 1] == 0)
        buf_truncate(out, BUF_LEN(out) - 1);
}

static int dict_db_sequence(DICT *dict, int first, const char **key_r,
                                    const char **value_r)
{
    DICT_DB *dd = (DICT_DB *) dict;
    DBT     k;
    DBT     v;
    int     err;

    if (first) {
        if (dict_db_fresh(dd) < 0)
            return -1;
        if (dd->cursor)
            dd->cursor->close(dd->cursor);
        dd->cursor = NULL;
        if ((err = dd->db->cursor(dd->db, NULL, &dd->cursor, 0)) != 0) {
            msg_warn("%s: cursor: %s", dict->title, db_strerror(err));
            return -1;
        }
    } else if (dd->cursor == NULL) {
        return 0;
    }
    memset(&k, 0, sizeof(k));
    memset(&v, 0, sizeof(v));
    err = dd->cursor->get(dd->cursor, &k, &v, first ? DB_FIRST : DB_NEXT);
    if (err == DB_NOTFOUND) {
        dd->cursor->close(dd->cursor);
        dd->cursor = NULL;
        return 0;
    }
    if (err != 0) {
        msg_warn("%s: sequence: %s", dict->title, db_strerror(err));
        return -1;
    }
    dict_db_text(dd->key, &k);
    dict_db_text(dd->value, &v);
    *key_r = BUF_STR(dd->key);
    *value_r = BUF_STR(dd->value);
    return 1;
}

static int dict_db_close(DICT *dict)
{
    DICT_DB *dd = (DICT_DB *) dict;
    int     ret = 0;
    int     err;

    if (dd->cursor)
        dd->cursor->close(dd->cursor);
    if (dd->db && (err = dd->db->close(dd->db, 0)) != 0) {
        msg_warn("%s: close: %s", dict->title, db_strerror(err));
        ret = -1;
    }
    if (dd->tmp_path) {
        if (ret == 0 && !dd->failed && rename(dd->tmp_path, dd->path) < 0) {
            msg_warn("rename %s to %s: %m", dd->tmp_path, dd->path);
            ret = -1;
        }
        if (ret < 0 || dd->failed)
            (void) unlink(dd->tmp_path);
        if (dd->failed)
            ret = -1;
        mem_free(dd->tmp_path);
    }
    if (dd->lock_fd >= 0)
        (void) close(dd->lock_fd);
    mem_free(dd->path);
    buf_free(&dd->key);
    buf_free(&dd->value);
    return ret;
}

/* dict_db_lock - serialise writers: an exclusive flock on the directory */

static int dict_db_lock(const char *path, BUF *why)
{
    const char *slash = strrchr(path, '/');
    char   *dir = slash ? mem_strndup(path, slash == path ? 1 : (size_t) (slash - path))
        : mem_strdup(".");
    int     fd;

    if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0
        || flock(fd, LOCK_EX) < 0) {
        buf_printf(why, "lock directory %s: %s", dir, strerror(errno));
        if (fd >= 0)
            (void) close(fd);
        fd = -1;
    }
    mem_free(dir);
    return fd;
}

/* dict_db_copy - copy every entry of path into db; 0, or -1 and why */

static int dict_db_copy(const char *path, DBTYPE type, DB *db, int *flags, BUF *why)
{
    DB     *old;
    DBC    *cursor;
    DBT     k;
    DBT     v;
    int     err;
    int     nul = -1;                   /* the old table's key form */

    if ((old = dict_db_handle(path, type, 0, why)) == NULL)
        return -1;
    if ((err = old->cursor(old, NULL, &cursor, 0)) != 0) {
        buf_printf(why, "read database %s: %s", path, db_strerror(err));
        old->close(old, 0);
        return -1;
    }
    memset(&k, 0, sizeof(k));
    memset(&v, 0, sizeof(v));
    while ((err = cursor->get(cursor, &k, &v, DB_NEXT)) == 0) {
        if (nul < 0)
            nul = k.size > 0 && ((char *) k.data)[k.size - 1] == 0;
        if ((err = db->put(db, NULL, &k, &v, 0)) != 0)
            break;
    }
    cursor->close(cursor);
    old->close(old, 0);
    if (err != DB_NOTFOUND) {
        buf_printf(why, "copy database %s: %s", path, db_strerror(err));
        return -1;
    }
    if (nul >= 0 && (*flags & (DICT_FLAG_TRY0NULL | DICT_FLAG_TRY1NULL)) == 0)
        *flags |= nul ? DICT_FLAG_TRY1NULL : DICT_FLAG_TRY0NULL;
    return 0;
}

/* dict_db_open - open name.db, or start a new version of it */

static DICT *dict_db_open(const char *type, DBTYPE dbtype, const char *name,
                                  int flags, BUF *why)
{
    DICT_DB *dd;
    BUF    *path = buf_new(strlen(name) + 32);
    BUF    *tmp = NULL;
    DB     *db;
    struct stat st;
    int     lock_fd = -1;
    int     writing = flags & (DICT_FLAG_CREATE | DICT_FLAG_WRITE);

    buf_printf(path, "%s.db", name);

    /*
     * Every change is made to a copy that dict_close() renames into
     * place: readers keep the file they opened, and see the new one as a
     * whole. Writers take turns, so no update is lost.
     */
    if (writing) {
        if ((lock_fd = dict_db_lock(BUF_STR(path), why)) < 0) {
            buf_free(&path);
            return NULL;
        }
        if ((flags & DICT_FLAG_CREATE) == 0 && stat(BUF_STR(path), &st) < 0
            && (errno != ENOENT || (flags & DICT_FLAG_CREATE_MISSING) == 0)) {
            buf_printf(why, "open database %s: %s", BUF_STR(path), strerror(errno));
            (void) close(lock_fd);
            buf_free(&path);
            return NULL;
        }
        tmp = buf_new(BUF_LEN(path) + 32);
        buf_printf(tmp, "%s.tmp.%ld", BUF_STR(path), (long) getpid());
        (void) unlink(BUF_STR(tmp));
    }
    if ((db = dict_db_handle(tmp ? BUF_STR(tmp) : BUF_STR(path), dbtype,
                             writing ? DICT_FLAG_CREATE : 0, why)) == NULL) {
        if (lock_fd >= 0)
            (void) close(lock_fd);
        buf_free(&path);
        buf_free(&tmp);
        return NULL;
    }
    if (writing && (flags & DICT_FLAG_CREATE) == 0 && access(BUF_STR(path), F_OK) == 0) {
        if (dict_db_copy(BUF_STR(path), dbtype, db, &flags, why) < 0
            || (stat(BUF_STR(path), &st) == 0
                && (chmod(BUF_STR(tmp), st.st_mode & 07777) < 0
                    || (geteuid() == 0
                        && chown(BUF_STR(tmp), st.st_uid, st.st_gid) < 0)))) {
            if (BUF_LEN(why) == 0)
                buf_printf(why, "set owner or mode of %s: %s", BUF_STR(tmp),
                           strerror(errno));
            db->close(db, 0);
            (void) unlink(BUF_STR(tmp));
            (void) close(lock_fd);
            buf_free(&path);
            buf_free(&tmp);
            return NULL;
        }
    }
    if ((flags & (DICT_FLAG_TRY0NULL | DICT_FLAG_TRY1NULL)) == 0)
        flags |= writing ? DICT_FLAG_TRY1NULL
            : (DICT_FLAG_TRY0NULL | DICT_FLAG_TRY1NULL);
    dd = (DICT_DB *) dict_alloc(sizeof(*dd), type, name, flags);
    dd->db = db;
    dd->dbtype = dbtype;
    dd->lock_fd = lock_fd;
    dd->path = buf_export(&path);
    dd->tmp_path = tmp ? buf_export(&tmp) : NULL;
    dd->key = buf_new(64);
    dd->value = buf_new(256);
    dict_db_stat(dd);
    dd->dict.lookup = dict_db_lookup;
    dd->dict.update = dict_db_update;
    dd->dict.delete = dict_db_delete;
    dd->dict.sequence = dict_db_sequence;
    dd->dict.close = dict_db_close;
    return &dd->dict;
}

DICT   *dict_db_open_hash(const char *name, int flags, BUF *why)
{
    return dict_db_open("hash", DB_HASH, name, flags, why);
}

DICT   *dict_db_open_btree(const char *name, int flags, BUF *why)
{
    return dict_db_open("btree", DB_BTREE, name, flags, why);
}
