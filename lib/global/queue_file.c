/* NAME
 *	queue_file 3
 * SUMMARY
 *	the queue file: a validated record log
 * DESCRIPTION
 *	The format is documented in queue_file.h.
 *
 *	Writing: records go into an output buffer that is written out
 *	whenever it passes QUEUE_FILE_FLUSH bytes; content goes into a data
 *	buffer that becomes one 'D' record whenever it holds
 *	QUEUE_FILE_DATA_MAX bytes. So a writer holds about 200 KiB however
 *	large the message. The first failure closes and removes the
 *	temporary file at once (a full disk gets its space back now, not
 *	when the SMTP session ends) and is remembered in qf->error.
 *
 *	Reading: one walker, queue_file_scan(), checks every record
 *	against the section rules while it goes and hands good records to
 *	a function. queue_file_open() collects the envelope with it,
 *	postcat prints with it. It reads through a small window, and does
 *	not read 'D' payloads when the caller only checks the structure, so
 *	opening a large message costs about one page per 64 KiB of content.
 *	A length is checked against the file size before anything is
 *	allocated for it, so a hostile file cannot make us allocate more
 *	than its own size.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "htable.h"
#include "mem.h"
#include "msg.h"
#include "queue_file.h"
#include "queue_id.h"
#include "full_io.h"

#define QUEUE_FILE_FLUSH    (64 * 1024)  /* write out buffered records */
#define QUEUE_FILE_WINDOW   8192        /* reader's read-ahead */
#define QUEUE_FILE_SIZE_FMT "%15ld %15ld %15ld"
#define QUEUE_FILE_SIZE_LEN 47          /* strlen of the above, filled in */
#define QUEUE_FILE_WARN_FMT "%15ld"
#define QUEUE_FILE_WARN_LEN 15
#define QUEUE_FILE_TMP_PREFIX ".tmp."
#define QUEUE_FILE_ID_TRIES 5           /* new IDs on a name clash */

/* Sections, in file order; also the writer's state. */
#define QF_SEC_VERSION  0               /* before 'V' */
#define QF_SEC_SIZE     1               /* after 'V', before 'Z' */
#define QF_SEC_ENV      2
#define QF_SEC_CONTENT  3
#define QF_SEC_TRAILER  4
#define QF_SEC_DONE     5               /* after 'E' */

#define QF_MODE_WRITE   1
#define QF_MODE_READ    2

struct QUEUE_FILE {
    int     mode;                       /* QF_MODE_* */
    int     fd;                         /* -1 once closed */
    char    id[QUEUE_ID_SIZE];
    long    message_size;
    off_t   content_offset;
    /* Writer. */
    char   *dir;                        /* queue directory name */
    char   *tmp_path;                   /* dir/.tmp.ID */
    int     section;                    /* QF_SEC_ENV .. QF_SEC_TRAILER */
    int     error;                      /* first errno, sticky */
    int     have_time;
    int     have_sender;
    int     have_warn;
    BUF    *out;                        /* records not yet written */
    BUF    *data;                       /* content not yet in a record */
    off_t   offset;                     /* file offset after out's bytes */
    off_t   size_offset;                /* of the 'Z' payload */
    long    rcpt_count;
    /* Reader. */
    int     flags;                      /* QUEUE_FILE_UPDATE */
    struct timeval arrival;
    char   *sender;
    HTABLE *attrs;                      /* name -> char *value */
    QUEUE_FILE_RCPT *rcpts;
    size_t  rcpt_len;
    size_t  rcpt_cap;
    char   *pending_orig;               /* 'O' waiting for its 'R' */
    time_t  warn_time;
    off_t   warn_offset;                /* of the 'W' payload, or -1 */
    off_t   content_pos;                /* next content record */
    off_t   content_data;               /* next unread 'D' byte */
    size_t  content_left;               /* bytes left in that record */
    int     content_end;                /* 'X' reached */
};

 /*
  * What each record type is called in diagnostics, and where it may
  * appear. Anything not in this table is an unknown type.
  */
#define QF_IN(s)    (1 << (s))
#define QF_IN_ENV_TRAILER   (QF_IN(QF_SEC_ENV) | QF_IN(QF_SEC_TRAILER))

typedef struct QUEUE_FILE_TYPE {
    int     type;
    const char *name;
    int     sections;                   /* QF_IN() mask */
} QUEUE_FILE_TYPE;

static const QUEUE_FILE_TYPE queue_file_types[] = {
    {QUEUE_FILE_VERSION_REC, "version", QF_IN(QF_SEC_VERSION)},
    {QUEUE_FILE_SIZE_REC, "size", QF_IN(QF_SEC_SIZE)},
    {QUEUE_FILE_TIME_REC, "arrival time", QF_IN(QF_SEC_ENV)},
    {QUEUE_FILE_SENDER_REC, "sender", QF_IN(QF_SEC_ENV)},
    {QUEUE_FILE_ATTR_REC, "attribute", QF_IN_ENV_TRAILER},
    {QUEUE_FILE_ORCPT_REC, "original recipient", QF_IN_ENV_TRAILER},
    {QUEUE_FILE_RCPT_REC, "recipient", QF_IN_ENV_TRAILER},
    {QUEUE_FILE_DONE_REC, "done recipient", QF_IN_ENV_TRAILER},
    {QUEUE_FILE_WARN_REC, "warning time", QF_IN(QF_SEC_ENV)},
    {QUEUE_FILE_MESG_REC, "content start", QF_IN(QF_SEC_ENV)},
    {QUEUE_FILE_DATA_REC, "data", QF_IN(QF_SEC_CONTENT)},
    {QUEUE_FILE_XTRA_REC, "content end", QF_IN(QF_SEC_CONTENT)},
    {QUEUE_FILE_END_REC, "end", QF_IN(QF_SEC_TRAILER)},
    {0},
};

static const char *queue_file_section_names[] = {
    "version", "size", "envelope", "content", "trailer", "end",
};

static const QUEUE_FILE_TYPE *queue_file_type(int type)
{
    for (const QUEUE_FILE_TYPE *t = queue_file_types; t->type; t++)
        if (t->type == type)
            return (t);
    return (0);
}

/* queue_file_varint_size - bytes in the encoding of a length */

static size_t queue_file_varint_size(size_t len)
{
    size_t  n = 1;

    while (len >= 0x80) {
        len >>= 7;
        n++;
    }
    return (n);
}

int     queue_file_decode_header(const void *data, size_t len, int *type_r,
                                 size_t *payload_len_r)
{
    const unsigned char *p = data;
    unsigned long long value = 0;

    if (len < 1)
        return (0);
    for (size_t i = 1; i < QUEUE_FILE_HDR_MAX; i++) {
        if (i >= len)
            return (0);
        value |= (unsigned long long) (p[i] & 0x7f) << (7 * (i - 1));
        if ((p[i] & 0x80) == 0) {
            /* A zero last group after the first is a non-minimal encoding. */
            if (i > 1 && p[i] == 0)
                return (QUEUE_FILE_HDR_BAD);
            if (value > QUEUE_FILE_REC_MAX)
                return (QUEUE_FILE_HDR_TOOLONG);
            *type_r = p[0];
            *payload_len_r = (size_t) value;
            return ((int) i + 1);
        }
    }
    return (QUEUE_FILE_HDR_BAD);
}

/* queue_file_encode_header - append type and length to a BUF */

static void queue_file_encode_header(BUF *out, int type, size_t len)
{
    buf_putc(out, type);
    while (len >= 0x80) {
        buf_putc(out, (int) ((len & 0x7f) | 0x80));
        len >>= 7;
    }
    buf_putc(out, (int) len);
}

/* queue_file_new - an empty object */

static QUEUE_FILE *queue_file_new(int mode)
{
    QUEUE_FILE *qf = mem_calloc(1, sizeof(*qf));

    qf->mode = mode;
    qf->fd = -1;
    qf->warn_offset = -1;
    return (qf);
}

/* queue_file_free - release memory and descriptor, nothing on disk */

static void queue_file_free(QUEUE_FILE *qf)
{
    if (qf->fd >= 0)
        (void) close(qf->fd);
    mem_free(qf->dir);
    mem_free(qf->tmp_path);
    buf_free(&qf->out);
    buf_free(&qf->data);
    mem_free(qf->sender);
    if (qf->attrs)
        htable_free(&qf->attrs, mem_free);
    for (size_t i = 0; i < qf->rcpt_len; i++) {
        mem_free((void *) qf->rcpts[i].address);
        mem_free((void *) qf->rcpts[i].orig);
    }
    mem_free(qf->rcpts);
    mem_free(qf->pending_orig);
    mem_free(qf);
}

 /*
  * Writer.
  */

/* queue_file_fail - make an error sticky; remove the temporary file now */

static int queue_file_fail(QUEUE_FILE *qf, int err)
{
    if (qf->error == 0) {
        qf->error = err;
        if (qf->fd >= 0) {
            (void) close(qf->fd);
            qf->fd = -1;
        }
        if (qf->tmp_path)
            (void) unlink(qf->tmp_path);
        buf_reset(qf->out);
        buf_reset(qf->data);
    }
    errno = qf->error;
    return (-1);
}

/* queue_file_check_write - reject misuse (a bug) and sticky errors */

static int queue_file_check_write(QUEUE_FILE *qf, const char *func, int section)
{
    if (qf->mode != QF_MODE_WRITE)
        msg_panic("%s: queue file is not open for writing", func);
    if (qf->error) {
        errno = qf->error;
        return (-1);
    }
    if (section >= 0 && qf->section != section)
        msg_panic("%s: called in the %s section", func,
                  queue_file_section_names[qf->section]);
    return (0);
}

/* queue_file_flush - write out buffered records */

static int queue_file_flush(QUEUE_FILE *qf)
{
    if (qf->out->len > 0) {
        if (full_io_write(qf->fd, qf->out->data, qf->out->len) < 0)
            return (queue_file_fail(qf, errno));
        buf_reset(qf->out);
    }
    return (0);
}

/* queue_file_put - add one record */

static int queue_file_put(QUEUE_FILE *qf, int type, const char *payload,
                          size_t len)
{
    size_t  start = qf->out->len;

    /* A record the reader would reject must never be written. */
    if (len > QUEUE_FILE_REC_MAX)
        return (queue_file_fail(qf, EINVAL));
    queue_file_encode_header(qf->out, type, len);
    buf_append(qf->out, payload, len);
    qf->offset += (off_t) (qf->out->len - start);
    if (qf->out->len >= QUEUE_FILE_FLUSH)
        return (queue_file_flush(qf));
    return (0);
}

/* queue_file_put_text - add one record with a text payload */

static int queue_file_put_text(QUEUE_FILE *qf, int type, const char *text)
{
    return (queue_file_put(qf, type, text, strlen(text)));
}

QUEUE_FILE *queue_file_create(const char *queue_dir_name)
{
    QUEUE_FILE *qf = queue_file_new(QF_MODE_WRITE);
    BUF    *path = buf_new(64);
    char    zeros[3 * 20 + 3];
    int     saved_errno;

    qf->dir = mem_strdup(queue_dir_name);
    for (int tries = 0; qf->fd < 0 && tries < QUEUE_FILE_ID_TRIES; tries++) {
        queue_id_new(qf->id);
        buf_reset(path);
        buf_printf(path, "%s/" QUEUE_FILE_TMP_PREFIX "%s", queue_dir_name, qf->id);
        qf->fd = open(path->data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (qf->fd < 0 && errno != EEXIST)
            break;
    }
    if (qf->fd < 0) {
        saved_errno = errno;
        buf_free(&path);
        queue_file_free(qf);
        errno = saved_errno;
        return (0);
    }
    qf->tmp_path = buf_export(&path);
    qf->out = buf_new(QUEUE_FILE_FLUSH + QUEUE_FILE_DATA_MAX);
    qf->data = buf_new(QUEUE_FILE_DATA_MAX);
    qf->section = QF_SEC_ENV;
    queue_file_put_text(qf, QUEUE_FILE_VERSION_REC, QUEUE_FILE_VERSION);
    snprintf(zeros, sizeof(zeros), QUEUE_FILE_SIZE_FMT, 0L, 0L, 0L);
    qf->size_offset = qf->offset + 1
        + (off_t) queue_file_varint_size(QUEUE_FILE_SIZE_LEN);
    queue_file_put(qf, QUEUE_FILE_SIZE_REC, zeros, QUEUE_FILE_SIZE_LEN);
    return (qf);
}

int     queue_file_add_time(QUEUE_FILE *qf, const struct timeval *when)
{
    char    text[64];

    if (queue_file_check_write(qf, "queue_file_add_time", QF_SEC_ENV) < 0)
        return (-1);
    if (qf->have_time)
        msg_panic("queue_file_add_time: arrival time already set");
    if (when->tv_sec < 0 || when->tv_usec < 0 || when->tv_usec > 999999)
        msg_panic("queue_file_add_time: bad time %ld.%ld",
                  (long) when->tv_sec, (long) when->tv_usec);
    qf->have_time = 1;
    snprintf(text, sizeof(text), "%ld.%06ld", (long) when->tv_sec,
             (long) when->tv_usec);
    return (queue_file_put_text(qf, QUEUE_FILE_TIME_REC, text));
}

int     queue_file_add_sender(QUEUE_FILE *qf, const char *sender)
{
    if (queue_file_check_write(qf, "queue_file_add_sender", QF_SEC_ENV) < 0)
        return (-1);
    if (qf->have_sender)
        msg_panic("queue_file_add_sender: sender already set");
    qf->have_sender = 1;
    return (queue_file_put_text(qf, QUEUE_FILE_SENDER_REC, sender));
}

int     queue_file_add_attr(QUEUE_FILE *qf, const char *name, const char *value)
{
    BUF    *text;
    int     status;

    if (queue_file_check_write(qf, "queue_file_add_attr", -1) < 0)
        return (-1);
    if (qf->section == QF_SEC_CONTENT)
        msg_panic("queue_file_add_attr: called in the content section");
    if (*name == 0 || strchr(name, '=') != 0)
        msg_panic("queue_file_add_attr: bad attribute name \"%s\"", name);
    text = buf_new(strlen(name) + strlen(value) + 1);
    buf_printf(text, "%s=%s", name, value);
    status = queue_file_put(qf, QUEUE_FILE_ATTR_REC, text->data, text->len);
    buf_free(&text);
    return (status);
}

int     queue_file_add_rcpt(QUEUE_FILE *qf, const char *rcpt, const char *orig_rcpt)
{
    if (queue_file_check_write(qf, "queue_file_add_rcpt", -1) < 0)
        return (-1);
    if (qf->section == QF_SEC_CONTENT)
        msg_panic("queue_file_add_rcpt: called in the content section");
    if (*rcpt == 0)
        msg_panic("queue_file_add_rcpt: empty recipient");
    if (orig_rcpt && queue_file_put_text(qf, QUEUE_FILE_ORCPT_REC, orig_rcpt) < 0)
        return (-1);
    qf->rcpt_count++;
    return (queue_file_put_text(qf, QUEUE_FILE_RCPT_REC, rcpt));
}

int     queue_file_add_warn(QUEUE_FILE *qf, time_t when)
{
    char    text[32];

    if (queue_file_check_write(qf, "queue_file_add_warn", QF_SEC_ENV) < 0)
        return (-1);
    if (qf->have_warn)
        msg_panic("queue_file_add_warn: warning time already set");
    if (when < 0 || snprintf(text, sizeof(text), QUEUE_FILE_WARN_FMT,
                             (long) when) != QUEUE_FILE_WARN_LEN)
        msg_panic("queue_file_add_warn: bad time %ld", (long) when);
    qf->have_warn = 1;
    return (queue_file_put(qf, QUEUE_FILE_WARN_REC, text, QUEUE_FILE_WARN_LEN));
}

int     queue_file_begin_content(QUEUE_FILE *qf)
{
    if (queue_file_check_write(qf, "queue_file_begin_content", QF_SEC_ENV) < 0)
        return (-1);
    if (!qf->have_time || !qf->have_sender)
        msg_panic("queue_file_begin_content: no %s", qf->have_time ?
                  "sender" : "arrival time");
    qf->section = QF_SEC_CONTENT;
    if (queue_file_put(qf, QUEUE_FILE_MESG_REC, "", 0) < 0)
        return (-1);
    qf->content_offset = qf->offset;
    return (0);
}

/* queue_file_put_data - turn the buffered content into one 'D' record */

static int queue_file_put_data(QUEUE_FILE *qf)
{
    int     status = 0;

    if (qf->data->len > 0) {
        status = queue_file_put(qf, QUEUE_FILE_DATA_REC, qf->data->data,
                                qf->data->len);
        buf_reset(qf->data);
    }
    return (status);
}

int     queue_file_write_content(QUEUE_FILE *qf, const void *data, size_t len)
{
    const char *p = data;
    size_t  room;

    if (queue_file_check_write(qf, "queue_file_write_content", QF_SEC_CONTENT) < 0)
        return (-1);
    while (len > 0) {
        room = QUEUE_FILE_DATA_MAX - qf->data->len;
        if (room > len)
            room = len;
        buf_append(qf->data, p, room);
        qf->message_size += (long) room;
        p += room;
        len -= room;
        if (qf->data->len == QUEUE_FILE_DATA_MAX && queue_file_put_data(qf) < 0)
            return (-1);
    }
    return (0);
}

int     queue_file_end_content(QUEUE_FILE *qf)
{
    if (queue_file_check_write(qf, "queue_file_end_content", QF_SEC_CONTENT) < 0)
        return (-1);
    if (queue_file_put_data(qf) < 0)
        return (-1);
    qf->section = QF_SEC_TRAILER;
    return (queue_file_put(qf, QUEUE_FILE_XTRA_REC, "", 0));
}

/*
 * queue_file_rename - give the file its final name without replacing
 * anything: renameat2(RENAME_NOREPLACE), or link+unlink where the file
 * system lacks it. On a clash the file gets a new ID.
 */
static int queue_file_rename(QUEUE_FILE *qf, BUF *final)
{
    for (int tries = 0; tries < QUEUE_FILE_ID_TRIES; tries++) {
        if (tries > 0)
            queue_id_new(qf->id);
        buf_reset(final);
        buf_printf(final, "%s/%s", qf->dir, qf->id);
        if (renameat2(AT_FDCWD, qf->tmp_path, AT_FDCWD, final->data,
                      RENAME_NOREPLACE) == 0)
            return (0);
        if (errno == EINVAL || errno == ENOSYS) {
            if (link(qf->tmp_path, final->data) == 0) {
                (void) unlink(qf->tmp_path);
                return (0);
            }
        }
        if (errno != EEXIST)
            return (-1);
    }
    return (-1);
}

/*
 * queue_file_sync_dir - make a rename durable: group commit.
 *
 * Writers commit one file after another into the same few directories,
 * often from several threads at once. One fsync() of a directory makes
 * every rename done in it before that fsync started durable, so a writer
 * need not sync the directory itself if a sync that started after its
 * rename completes: each directory has a counter of renames and the
 * number of renames known to be synced. A writer takes a number after
 * its rename; if no sync is running it syncs and publishes the count it
 * started with; otherwise it waits for the running one and looks again.
 * Under load, many commits share one directory sync.
 *
 * The directory stays open (one descriptor per name, shared by all
 * threads): an open and a close less per message.
 */
#define QUEUE_FILE_DIR_CACHE 8

typedef struct QUEUE_FILE_DIR {
    char   *name;
    int     fd;
    unsigned long renamed;              /* renames counted so far */
    unsigned long synced;               /* renames known durable */
    int     syncing;                    /* a thread is in fsync() */
} QUEUE_FILE_DIR;

static pthread_mutex_t queue_file_dir_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queue_file_dir_synced = PTHREAD_COND_INITIALIZER;
static QUEUE_FILE_DIR queue_file_dirs[QUEUE_FILE_DIR_CACHE];

/* queue_file_dir_find - with the lock held: the cache entry, or NULL. */

static QUEUE_FILE_DIR *queue_file_dir_find(const char *dir)
{
    int     i;

    for (i = 0; i < QUEUE_FILE_DIR_CACHE && queue_file_dirs[i].name; i++)
        if (strcmp(queue_file_dirs[i].name, dir) == 0)
            return (queue_file_dirs + i);
    if (i == QUEUE_FILE_DIR_CACHE)
        return (0);
    if ((queue_file_dirs[i].fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        return (0);
    queue_file_dirs[i].name = mem_strdup(dir);
    return (queue_file_dirs + i);
}

/* queue_file_sync_uncached - the plain way, for a directory not cached. */

static int queue_file_sync_uncached(const char *dir)
{
    int     fd, status, saved_errno;

    /*
     * A writer that may add files to a directory but not read it (the
     * setgid postdrop in maildrop/, mode 1730, so that users cannot list
     * each other's mail) cannot open it to sync it. Its rename stands on
     * the file's own fsync, as in Postfix, which syncs no directory.
     */
    if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        return (errno == EACCES && faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) == 0 ?
                0 : -1);
    status = fsync(fd);
    saved_errno = errno;
    (void) close(fd);
    errno = saved_errno;
    return (status);
}

static int queue_file_sync_dir(const char *dir)
{
    QUEUE_FILE_DIR *d;
    unsigned long mine, start;
    int     status = 0, saved_errno = 0;

    pthread_mutex_lock(&queue_file_dir_lock);
    if ((d = queue_file_dir_find(dir)) == 0) {
        pthread_mutex_unlock(&queue_file_dir_lock);
        return (queue_file_sync_uncached(dir));
    }
    mine = ++d->renamed;
    while (d->synced < mine) {
        if (d->syncing) {
            pthread_cond_wait(&queue_file_dir_synced, &queue_file_dir_lock);
            continue;
        }
        d->syncing = 1;
        start = d->renamed;
        pthread_mutex_unlock(&queue_file_dir_lock);
        status = fsync(d->fd);
        saved_errno = errno;
        pthread_mutex_lock(&queue_file_dir_lock);
        d->syncing = 0;
        if (status == 0 && start > d->synced)
            d->synced = start;
        pthread_cond_broadcast(&queue_file_dir_synced);
        /* A failed sync proves nothing: report it, let others try again. */
        if (status < 0)
            break;
    }
    pthread_mutex_unlock(&queue_file_dir_lock);
    errno = saved_errno;
    return (status);
}

void    queue_file_set_queue(QUEUE_FILE *qf, const char *queue_dir_name)
{
    mem_free(qf->dir);
    qf->dir = mem_strdup(queue_dir_name);
}

int     queue_file_commit(QUEUE_FILE *qf, char id_r[QUEUE_ID_SIZE])
{
    char    sizes[3 * 20 + 3];
    BUF    *final;
    int     saved_errno;
    int     fd;

    if (queue_file_check_write(qf, "queue_file_commit", -1) < 0) {
        saved_errno = errno;
        queue_file_free(qf);
        errno = saved_errno;
        return (-1);
    }
    if (qf->section != QF_SEC_TRAILER)
        msg_panic("queue_file_commit: called in the %s section",
                  queue_file_section_names[qf->section]);
    /* Cannot be wider than 47 bytes below a petabyte of content. */
    if (snprintf(sizes, sizeof(sizes), QUEUE_FILE_SIZE_FMT, qf->message_size,
                 (long) qf->content_offset, qf->rcpt_count) != QUEUE_FILE_SIZE_LEN) {
        queue_file_fail(qf, EFBIG);
        goto fail;
    }
    if (queue_file_put(qf, QUEUE_FILE_END_REC, "", 0) < 0
        || queue_file_flush(qf) < 0)
        goto fail;
    fd = qf->fd;
    qf->fd = -1;
    if (full_io_pwrite(fd, sizes, QUEUE_FILE_SIZE_LEN, qf->size_offset) < 0) {
        saved_errno = errno;
        (void) close(fd);
        queue_file_fail(qf, saved_errno);
        goto fail;
    }

    /*
     * Rename first, then fsync the file and the directory. The file is
     * complete (end record written) when it gets its name, so a reader
     * may take it early, which is harmless; and the two fsyncs after the
     * rename make both the content and the name durable on any POSIX
     * file system. Done in this order, a journalling file system commits
     * the rename together with the file's data, and the directory fsync
     * finds little left to do: one journal commit per message, not two.
     */
    final = buf_new(64);
    if (queue_file_rename(qf, final) < 0) {
        saved_errno = errno;
        (void) close(fd);
        buf_free(&final);
        queue_file_fail(qf, saved_errno);
        goto fail;
    }
    if (fsync(fd) < 0 || queue_file_sync_dir(qf->dir) < 0) {
        /* Not durable: the client must retry, so the file must go. */
        saved_errno = errno;
        (void) close(fd);
        (void) unlink(final->data);
        buf_free(&final);
        queue_file_fail(qf, saved_errno);
        goto fail;
    }
    /* close() can report a deferred write error (NFS). */
    if (close(fd) < 0) {
        saved_errno = errno;
        (void) unlink(final->data);
        buf_free(&final);
        queue_file_fail(qf, saved_errno);
        goto fail;
    }
    buf_free(&final);
    memcpy(id_r, qf->id, QUEUE_ID_SIZE);
    queue_file_free(qf);
    return (0);

fail:
    saved_errno = errno;
    queue_file_free(qf);
    errno = saved_errno;
    return (-1);
}

void    queue_file_abort(QUEUE_FILE **qfp)
{
    QUEUE_FILE *qf = *qfp;
    int     saved_errno = errno;

    if (qf == 0)
        return;
    if (qf->mode == QF_MODE_WRITE)
        queue_file_fail(qf, ECANCELED);
    queue_file_free(qf);
    *qfp = 0;
    errno = saved_errno;
}

 /*
  * Reader: the walker.
  */

typedef struct QUEUE_FILE_SCAN {
    int     fd;
    off_t   size;                       /* file size at the start */
    off_t   win_offset;                 /* file offset of win[0] */
    size_t  win_len;
    char    win[QUEUE_FILE_WINDOW];
    BUF    *payload;
    BUF    *why;
    /* Section state. */
    int     section;
    int     have_time;
    int     have_sender;
    int     have_warn;
    off_t   orig_offset;                /* pending 'O', or -1 */
    long    z_values[3];                /* from 'Z' */
    long    data_size;                  /* sum of 'D' payloads */
    off_t   content_offset;             /* record after 'M' */
    long    rcpt_count;
} QUEUE_FILE_SCAN;

#define QF_WALK_SKIP_DATA   (1<<0)      /* do not read 'D' payloads */

/* queue_file_read_at - read through the window */

static int queue_file_read_at(QUEUE_FILE_SCAN *s, off_t offset, void *data,
                              size_t len)
{
    size_t  want;

    if (offset >= s->win_offset
        && offset + (off_t) len <= s->win_offset + (off_t) s->win_len) {
        memcpy(data, s->win + (offset - s->win_offset), len);
        return (0);
    }
    if (len >= sizeof(s->win))
        return (full_io_pread(s->fd, data, len, offset));
    want = sizeof(s->win);
    if ((off_t) want > s->size - offset)
        want = (size_t) (s->size - offset);
    if (want < len)
        want = len;
    s->win_len = 0;
    if (full_io_pread(s->fd, s->win, want, offset) < 0)
        return (-1);
    s->win_offset = offset;
    s->win_len = want;
    memcpy(data, s->win, len);
    return (0);
}

/* queue_file_show_type - a record type for a diagnostic */

static const char *queue_file_show_type(int type, char *buf, size_t size)
{
    if (isprint(type) && type != '\'')
        snprintf(buf, size, "'%c'", type);
    else
        snprintf(buf, size, "0x%02x", type);
    return (buf);
}

/* queue_file_digits - parse [blanks]digits filling exactly len bytes */

static int queue_file_digits(const char *p, size_t len, int blanks, long *value)
{
    size_t  i = 0;
    long    v = 0;

    if (blanks)
        while (i < len && p[i] == ' ')
            i++;
    if (i == len || len - i > 18)
        return (-1);
    for (; i < len; i++) {
        if (!isdigit((unsigned char) p[i]))
            return (-1);
        v = v * 10 + (p[i] - '0');
    }
    *value = v;
    return (0);
}

/* queue_file_parse_size - the 'Z' payload */

static int queue_file_parse_size(const char *p, size_t len, long values[3])
{
    if (len != QUEUE_FILE_SIZE_LEN || p[15] != ' ' || p[31] != ' ')
        return (-1);
    for (int i = 0; i < 3; i++)
        if (queue_file_digits(p + 16 * i, 15, 1, values + i) < 0)
            return (-1);
    return (0);
}

/* queue_file_parse_time - the 'T' payload, "sec.usec" */

static int queue_file_parse_time(const char *p, size_t len, struct timeval *tv)
{
    const char *dot = memchr(p, '.', len);
    long    sec;
    long    usec;

    if (dot == 0 || p + len - dot != 7
        || queue_file_digits(p, (size_t) (dot - p), 0, &sec) < 0
        || queue_file_digits(dot + 1, 6, 0, &usec) < 0)
        return (-1);
    tv->tv_sec = (time_t) sec;
    tv->tv_usec = (suseconds_t) usec;
    return (0);
}

/* queue_file_parse_warn - the 'W' payload */

static int queue_file_parse_warn(const char *p, size_t len, time_t *when)
{
    long    value;

    /* Fixed width, so that queue_file_set_warn() can rewrite it. */
    if (len != QUEUE_FILE_WARN_LEN || queue_file_digits(p, len, 1, &value) < 0)
        return (-1);
    *when = (time_t) value;
    return (0);
}

/* queue_file_check_section - may this type come here? */

static int queue_file_check_section(QUEUE_FILE_SCAN *s, const QUEUE_FILE_TYPE *t,
                                    off_t offset)
{
    char    tbuf[8];

    if (s->orig_offset >= 0 && t->type != QUEUE_FILE_RCPT_REC
        && t->type != QUEUE_FILE_DONE_REC) {
        buf_printf(s->why, "original recipient at offset %lld is not followed "
                   "by a recipient", (long long) s->orig_offset);
        return (-1);
    }
    if (t->sections & QF_IN(s->section))
        return (0);
    if (s->section == QF_SEC_VERSION)
        buf_puts(s->why, "missing version record at offset 0");
    else if (s->section == QF_SEC_SIZE)
        buf_printf(s->why, "missing size record at offset %lld", (long long) offset);
    else
        buf_printf(s->why, "unexpected record type %s in the %s section at "
                   "offset %lld", queue_file_show_type(t->type, tbuf, sizeof(tbuf)),
                   queue_file_section_names[s->section], (long long) offset);
    return (-1);
}

/* queue_file_check_payload - syntax of one record, and its effect on state */

static int queue_file_check_payload(QUEUE_FILE_SCAN *s, const QUEUE_FILE_TYPE *t,
                                    off_t offset, const char *p, size_t len)
{
    struct timeval tv;
    time_t  when;
    const char *eq;
    int     dup = 0;

    if (t->type != QUEUE_FILE_DATA_REC && len > 0 && memchr(p, 0, len) != 0)
        goto malformed;
    switch (t->type) {
    case QUEUE_FILE_VERSION_REC:
        if (len != strlen(QUEUE_FILE_VERSION) || memcmp(p, QUEUE_FILE_VERSION, len)) {
            buf_puts(s->why, "unsupported queue file version at offset 0");
            return (-1);
        }
        s->section = QF_SEC_SIZE;
        break;
    case QUEUE_FILE_SIZE_REC:
        if (queue_file_parse_size(p, len, s->z_values) < 0)
            goto malformed;
        s->section = QF_SEC_ENV;
        break;
    case QUEUE_FILE_TIME_REC:
        if (queue_file_parse_time(p, len, &tv) < 0)
            goto malformed;
        dup = s->have_time++;
        break;
    case QUEUE_FILE_SENDER_REC:
        dup = s->have_sender++;
        break;
    case QUEUE_FILE_WARN_REC:
        if (queue_file_parse_warn(p, len, &when) < 0)
            goto malformed;
        dup = s->have_warn++;
        break;
    case QUEUE_FILE_ATTR_REC:
        if ((eq = memchr(p, '=', len)) == 0 || eq == p)
            goto malformed;
        break;
    case QUEUE_FILE_ORCPT_REC:
        s->orig_offset = offset;
        break;
    case QUEUE_FILE_RCPT_REC:
    case QUEUE_FILE_DONE_REC:
        if (len == 0)
            goto malformed;
        s->orig_offset = -1;
        s->rcpt_count++;
        break;
    case QUEUE_FILE_MESG_REC:
        if (len != 0)
            goto malformed;
        if (!s->have_time || !s->have_sender) {
            buf_printf(s->why, "missing %s record before content at offset %lld",
                       s->have_time ? "sender" : "arrival time", (long long) offset);
            return (-1);
        }
        s->section = QF_SEC_CONTENT;
        s->content_offset = offset + 1 + 1;
        break;
    case QUEUE_FILE_DATA_REC:
        s->data_size += (long) len;
        break;
    case QUEUE_FILE_XTRA_REC:
        if (len != 0)
            goto malformed;
        s->section = QF_SEC_TRAILER;
        break;
    case QUEUE_FILE_END_REC:
        if (len != 0)
            goto malformed;
        if (s->z_values[0] != s->data_size) {
            buf_printf(s->why, "size record mismatch: message_size %ld, content "
                       "is %ld bytes", s->z_values[0], s->data_size);
            return (-1);
        }
        if (s->z_values[1] != (long) s->content_offset) {
            buf_printf(s->why, "size record mismatch: content_offset %ld, content "
                       "starts at %lld", s->z_values[1], (long long) s->content_offset);
            return (-1);
        }
        if (s->z_values[2] != s->rcpt_count) {
            buf_printf(s->why, "size record mismatch: recipient_count %ld, file "
                       "has %ld", s->z_values[2], s->rcpt_count);
            return (-1);
        }
        s->section = QF_SEC_DONE;
        break;
    }
    if (dup) {
        buf_printf(s->why, "duplicate %s record at offset %lld", t->name,
                   (long long) offset);
        return (-1);
    }
    return (0);

malformed:
    buf_printf(s->why, "malformed %s record at offset %lld", t->name,
               (long long) offset);
    return (-1);
}

/*
 * queue_file_scan - check every record in order and hand the good ones
 * to fn. Returns 0 when the whole file is good, fn's value when fn
 * stopped the walk, or -1 with the reason in why (errno EBADMSG for a
 * corrupt file, else the I/O error).
 */
static int queue_file_scan(int fd, int flags, QUEUE_FILE_WALK_FN fn,
                           void *context, BUF *why)
{
    QUEUE_FILE_SCAN *s = mem_calloc(1, sizeof(*s));
    unsigned char hdr[QUEUE_FILE_HDR_MAX];
    const QUEUE_FILE_TYPE *t;
    struct stat st;
    off_t   offset = 0;
    size_t  avail;
    size_t  len;
    int     type;
    int     hlen;
    int     status = -1;
    int     stop;
    int     err = EBADMSG;
    char    tbuf[8];
    char    ebuf[256];                  /* strerror_r(): thread-safe */

    s->fd = fd;
    s->why = why;
    s->payload = buf_new(256);
    s->orig_offset = -1;
    s->section = QF_SEC_VERSION;
    if (fstat(fd, &st) < 0) {
        err = errno;
        buf_printf(why, "fstat: %s", strerror_r(err, ebuf, sizeof(ebuf)));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        buf_puts(why, "not a regular file");
        goto out;
    }
    s->size = st.st_size;
    for (;;) {
        if (offset == s->size) {
            if (offset == 0)
                buf_puts(why, "empty file");
            else if (s->section != QF_SEC_DONE)
                buf_puts(why, "missing end record");
            else
                status = 0;
            goto out;
        }
        if (s->section == QF_SEC_DONE) {
            buf_printf(why, "data after end record at offset %lld", (long long) offset);
            goto out;
        }
        avail = s->size - offset < QUEUE_FILE_HDR_MAX ?
            (size_t) (s->size - offset) : QUEUE_FILE_HDR_MAX;
        if (queue_file_read_at(s, offset, hdr, avail) < 0)
            goto read_error;
        if ((t = queue_file_type(hdr[0])) == 0) {
            buf_printf(why, "unknown record type %s at offset %lld",
                       queue_file_show_type(hdr[0], tbuf, sizeof(tbuf)),
                       (long long) offset);
            goto out;
        }
        hlen = queue_file_decode_header(hdr, avail, &type, &len);
        if (hlen == 0) {
            buf_printf(why, "truncated record at offset %lld", (long long) offset);
            goto out;
        }
        if (hlen < 0 || (type == QUEUE_FILE_DATA_REC && len > QUEUE_FILE_DATA_MAX)) {
            buf_printf(why, "%s record length at offset %lld",
                       hlen == QUEUE_FILE_HDR_BAD ? "malformed" : "excessive",
                       (long long) offset);
            goto out;
        }
        if ((off_t) len > s->size - offset - hlen) {
            buf_printf(why, "truncated record at offset %lld", (long long) offset);
            goto out;
        }
        if (queue_file_check_section(s, t, offset) < 0)
            goto out;
        buf_reset(s->payload);
        if (type != QUEUE_FILE_DATA_REC || !(flags & QF_WALK_SKIP_DATA)) {
            buf_reserve(s->payload, len);
            if (len > 0 && queue_file_read_at(s, offset + hlen,
                                              s->payload->data, len) < 0)
                goto read_error;
            s->payload->len = len;
            s->payload->data[len] = 0;
        }
        if (queue_file_check_payload(s, t, offset, s->payload->data, len) < 0)
            goto out;
        if (fn && (stop = fn(type, offset, s->payload->data, len, context)) != 0) {
            status = stop;
            goto out;
        }
        offset += hlen + (off_t) len;
    }

read_error:
    err = errno;
    buf_printf(why, "read error at offset %lld: %s", (long long) offset,
               strerror_r(err, ebuf, sizeof(ebuf)));
out:
    buf_free(&s->payload);
    mem_free(s);
    if (status < 0)
        errno = err;
    return (status);
}

int     queue_file_walk_fd(int fd, QUEUE_FILE_WALK_FN fn, void *context, BUF *why)
{
    BUF    *reason = why ? why : buf_new(64);
    int     status;
    int     saved_errno;

    if (why)
        buf_reset(why);
    status = queue_file_scan(fd, 0, fn, context, reason);
    saved_errno = errno;
    if (why == 0)
        buf_free(&reason);
    errno = saved_errno;
    return (status);
}

 /*
  * Reader: open, collect, access.
  */

/* queue_file_collect - keep the envelope of a file being opened */

static int queue_file_collect(int type, off_t offset, const char *payload,
                              size_t len, void *context)
{
    QUEUE_FILE *qf = context;
    QUEUE_FILE_RCPT *r;
    long    sizes[3];
    const char *eq;
    char   *name;

    switch (type) {
    case QUEUE_FILE_SIZE_REC:
        (void) queue_file_parse_size(payload, len, sizes);
        qf->message_size = sizes[0];
        qf->content_offset = (off_t) sizes[1];
        break;
    case QUEUE_FILE_TIME_REC:
        (void) queue_file_parse_time(payload, len, &qf->arrival);
        break;
    case QUEUE_FILE_SENDER_REC:
        qf->sender = mem_strdup(payload);
        break;
    case QUEUE_FILE_ATTR_REC:
        /* A later value (the trailer) replaces an earlier one. */
        eq = strchr(payload, '=');
        name = mem_strndup(payload, (size_t) (eq - payload));
        mem_free(htable_enter(qf->attrs, name, mem_strdup(eq + 1)));
        mem_free(name);
        break;
    case QUEUE_FILE_ORCPT_REC:
        qf->pending_orig = mem_strdup(payload);
        break;
    case QUEUE_FILE_RCPT_REC:
    case QUEUE_FILE_DONE_REC:
        if (qf->rcpt_len == qf->rcpt_cap) {
            qf->rcpt_cap = qf->rcpt_cap ? 2 * qf->rcpt_cap : 8;
            qf->rcpts = mem_realloc(qf->rcpts, qf->rcpt_cap * sizeof(*qf->rcpts));
        }
        r = qf->rcpts + qf->rcpt_len++;
        r->address = mem_strdup(payload);
        r->orig = qf->pending_orig;
        r->done = (type == QUEUE_FILE_DONE_REC);
        r->offset = offset;
        qf->pending_orig = 0;
        break;
    case QUEUE_FILE_WARN_REC:
        (void) queue_file_parse_warn(payload, len, &qf->warn_time);
        qf->warn_offset = offset + 1 + (off_t) queue_file_varint_size(len);
        break;
    }
    return (0);
}

int     queue_file_open_fd(int fd, const char *name, int flags,
                           QUEUE_FILE **qf_r, BUF *why)
{
    QUEUE_FILE *qf = queue_file_new(QF_MODE_READ);
    BUF    *reason = why ? why : buf_new(64);
    const char *base = strrchr(name, '/');
    int     saved_errno;

    if (why)
        buf_reset(why);
    base = base ? base + 1 : name;
    if (queue_id_valid(base))
        memcpy(qf->id, base, QUEUE_ID_SIZE);
    qf->fd = fd;
    qf->flags = flags;
    qf->attrs = htable_new(16);
    if (queue_file_scan(fd, QF_WALK_SKIP_DATA, queue_file_collect, qf, reason) < 0) {
        saved_errno = errno;
        queue_file_free(qf);
        if (why == 0)
            buf_free(&reason);
        *qf_r = 0;
        errno = saved_errno;
        return (-1);
    }
    if (why == 0)
        buf_free(&reason);
    queue_file_content_rewind(qf);
    *qf_r = qf;
    return (0);
}

int     queue_file_open(const char *path, int flags, QUEUE_FILE **qf_r, BUF *why)
{
    int     fd;
    int     saved_errno;
    char    ebuf[256];

    if (why)
        buf_reset(why);
    fd = open(path, ((flags & QUEUE_FILE_UPDATE) ? O_RDWR : O_RDONLY) | O_CLOEXEC);
    if (fd < 0) {
        saved_errno = errno;
        if (why)
            buf_puts(why, strerror_r(saved_errno, ebuf, sizeof(ebuf)));
        *qf_r = 0;
        errno = saved_errno;
        return (-1);
    }
    return (queue_file_open_fd(fd, path, flags, qf_r, why));
}

void    queue_file_close(QUEUE_FILE **qfp)
{
    queue_file_abort(qfp);
}

/* queue_file_check_read - accessors on a reader only */

static void queue_file_check_read(const QUEUE_FILE *qf, const char *func)
{
    if (qf->mode != QF_MODE_READ)
        msg_panic("%s: queue file is not open for reading", func);
}

const char *queue_file_id(const QUEUE_FILE *qf)
{
    return (qf->id);
}

void    queue_file_arrival(const QUEUE_FILE *qf, struct timeval *when_r)
{
    queue_file_check_read(qf, "queue_file_arrival");
    *when_r = qf->arrival;
}

const char *queue_file_sender(const QUEUE_FILE *qf)
{
    queue_file_check_read(qf, "queue_file_sender");
    return (qf->sender);
}

const char *queue_file_attr(const QUEUE_FILE *qf, const char *name)
{
    queue_file_check_read(qf, "queue_file_attr");
    return (htable_find(qf->attrs, name));
}

size_t  queue_file_rcpt_count(const QUEUE_FILE *qf)
{
    queue_file_check_read(qf, "queue_file_rcpt_count");
    return (qf->rcpt_len);
}

const QUEUE_FILE_RCPT *queue_file_rcpt(const QUEUE_FILE *qf, size_t i)
{
    queue_file_check_read(qf, "queue_file_rcpt");
    if (i >= qf->rcpt_len)
        msg_panic("queue_file_rcpt: index %zu of %zu", i, qf->rcpt_len);
    return (qf->rcpts + i);
}

time_t  queue_file_warn_time(const QUEUE_FILE *qf)
{
    queue_file_check_read(qf, "queue_file_warn_time");
    return (qf->warn_time);
}

long    queue_file_message_size(const QUEUE_FILE *qf)
{
    return (qf->message_size);
}

off_t   queue_file_content_offset(const QUEUE_FILE *qf)
{
    return (qf->content_offset);
}

void    queue_file_content_rewind(QUEUE_FILE *qf)
{
    queue_file_check_read(qf, "queue_file_content_rewind");
    qf->content_pos = qf->content_offset;
    qf->content_left = 0;
    qf->content_end = 0;
}

/* queue_file_next_data - find the next 'D' payload; 0 at 'X' */

static int queue_file_next_data(QUEUE_FILE *qf)
{
    unsigned char hdr[QUEUE_FILE_HDR_MAX];
    ssize_t n;
    size_t  len;
    int     type;
    int     hlen;

    while (qf->content_left == 0) {
        if ((n = pread(qf->fd, hdr, sizeof(hdr), qf->content_pos)) < 0) {
            if (errno == EINTR)
                continue;
            return (-1);
        }
        hlen = queue_file_decode_header(hdr, (size_t) n, &type, &len);
        if (hlen > 0 && type == QUEUE_FILE_XTRA_REC) {
            qf->content_end = 1;
            return (0);
        }
        /* The file was valid when opened: it changed under us. */
        if (hlen <= 0 || type != QUEUE_FILE_DATA_REC) {
            errno = EIO;
            return (-1);
        }
        qf->content_data = qf->content_pos + hlen;
        qf->content_left = len;
        qf->content_pos = qf->content_data + (off_t) len;
    }
    return (1);
}

ssize_t queue_file_content_read(QUEUE_FILE *qf, void *buf, size_t len)
{
    char   *p = buf;
    size_t  done = 0;
    size_t  want;
    ssize_t n;

    queue_file_check_read(qf, "queue_file_content_read");
    if (len > SSIZE_MAX)
        len = SSIZE_MAX;
    while (done < len && !qf->content_end) {
        if (qf->content_left == 0) {
            if (queue_file_next_data(qf) < 0)
                return (-1);
            continue;
        }
        want = len - done < qf->content_left ? len - done : qf->content_left;
        if ((n = pread(qf->fd, p + done, want, qf->content_data)) < 0) {
            if (errno == EINTR)
                continue;
            return (-1);
        }
        if (n == 0) {
            errno = EIO;
            return (-1);
        }
        done += (size_t) n;
        qf->content_left -= (size_t) n;
        qf->content_data += n;
    }
    return ((ssize_t) done);
}

/* queue_file_check_update - in-place changes need QUEUE_FILE_UPDATE */

static int queue_file_check_update(const QUEUE_FILE *qf, const char *func)
{
    queue_file_check_read(qf, func);
    if (!(qf->flags & QUEUE_FILE_UPDATE)) {
        errno = EBADF;
        return (-1);
    }
    return (0);
}

int     queue_file_mark_done(QUEUE_FILE *qf, size_t i, int flags)
{
    QUEUE_FILE_RCPT *r;
    char    ch;

    if (queue_file_check_update(qf, "queue_file_mark_done") < 0)
        return (-1);
    if (i >= qf->rcpt_len)
        msg_panic("queue_file_mark_done: index %zu of %zu", i, qf->rcpt_len);
    r = qf->rcpts + i;
    if (r->done)
        return (0);
    if (full_io_pread(qf->fd, &ch, 1, r->offset) < 0)
        return (-1);
    if (ch != QUEUE_FILE_RCPT_REC) {
        errno = EIO;                    /* not the file we validated */
        return (-1);
    }
    ch = QUEUE_FILE_DONE_REC;
    if (full_io_pwrite(qf->fd, &ch, 1, r->offset) < 0
        || (!(flags & QUEUE_FILE_MARK_NOSYNC) && fdatasync(qf->fd) < 0))
        return (-1);
    r->done = 1;
    return (0);
}

int     queue_file_mark_tried(const char *path)
{
    struct stat st;

    if (stat(path, &st) < 0)
        return (-1);
    if (st.st_mode & S_IXUSR)
        return (1);
    if (chmod(path, (st.st_mode & 07777) | S_IXUSR) < 0)
        return (-1);
    return (0);
}

int     queue_file_set_warn(QUEUE_FILE *qf, time_t when)
{
    char    text[32];

    if (queue_file_check_update(qf, "queue_file_set_warn") < 0)
        return (-1);
    if (qf->warn_offset < 0) {
        errno = ENOENT;
        return (-1);
    }
    if (when < 0 || snprintf(text, sizeof(text), QUEUE_FILE_WARN_FMT,
                             (long) when) != QUEUE_FILE_WARN_LEN) {
        errno = EINVAL;
        return (-1);
    }
    if (full_io_pwrite(qf->fd, text, QUEUE_FILE_WARN_LEN, qf->warn_offset) < 0
        || fdatasync(qf->fd) < 0)
        return (-1);
    qf->warn_time = when;
    return (0);
}

int     queue_file_walk(QUEUE_FILE *qf, QUEUE_FILE_WALK_FN fn, void *context)
{
    BUF    *why = buf_new(64);
    int     status;

    queue_file_check_read(qf, "queue_file_walk");
    status = queue_file_scan(qf->fd, 0, fn, context, why);
    /* It was valid when opened; a problem now means it changed under us. */
    if (status < 0 && errno == EBADMSG)
        errno = EIO;
    buf_free(&why);
    return (status);
}
