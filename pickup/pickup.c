/* NAME
 *	pickup 8
 * SUMMARY
 *	Postern local mail pickup
 * SYNOPSIS
 *	pickup (started by master: "pickup unix n - n 60 1 pickup")
 * DESCRIPTION
 *	On a wakeup (from sendmail(1) after each message, and from master
 *	every wakeup period) pickup scans maildrop/, validates each file
 *	(queue_file_open()) and copies envelope and content into a new
 *	queue file in incoming/, then removes the maildrop file and wakes
 *	qmgr. It adds what locally submitted mail needs when missing:
 *	"Received: by HOST (Postern, from userid N)" first, Date:,
 *	Message-ID: <YYYYMMDDHHMMSS.QUEUEID@myhostname> and From: (the
 *	sender with the full name of -F or the passwd GECOS). Envelope
 *	addresses are rewritten in the local context (rewrite_addr(3h):
 *	@$myorigin, canonical maps, masquerading, virtual aliases), and
 *	so are the addresses in its headers (rewrite_header(3h)). The
 *	submitter is the owner of
 *	the maildrop file, never what the file says.
 *
 *	A maildrop file that is not a valid queue file, or not a regular
 *	file, is removed with a warning; pickup goes on with the next.
 * PARAMETERS
 *	myhostname, myorigin, and those of rewrite_addr(3h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "daemon.h"
#include "mail_connect.h"
#include "mail_date.h"
#include "master_proto.h"
#include "msg.h"
#include "queue_file.h"
#include "rewrite_addr.h"
#include "rewrite_header.h"
#include "strv.h"

/* pickup_has_header - does the header block have this header? */

static int pickup_has_header(const char *head, size_t len, const char *name)
{
    size_t  n = strlen(name);
    const char *p = head;
    const char *end = head + len;

    while (p < end) {
        const char *nl = memchr(p, '\n', end - p);

        if ((size_t) (end - p) > n && strncasecmp(p, name, n) == 0
            && p[n] == ':')
            return (1);
        p = nl ? nl + 1 : end;
    }
    return (0);
}

/* pickup_write - REWRITE_HEADER_FN into the new queue file. */

static int pickup_write(void *context, const char *data, size_t len)
{
    return (queue_file_write_content((QUEUE_FILE *) context, data, len));
}

/*
 * pickup_content - the message, its header addresses rewritten in the
 * local context (rewrite_header(3h)); 0, or -1 (errno EAGAIN when a
 * table failed: the maildrop file stays for the next run).
 */
static int pickup_content(QUEUE_FILE *out, BUF *content)
{
    REWRITE_HEADER *rh = rewrite_header_new(REWRITE_ADDR_LOCAL, pickup_write, out);
    const char *cp = BUF_STR(content);
    const char *end = cp + BUF_LEN(content);
    int     status = 0;

    while (status == 0 && cp < end) {
        const char *nl = memchr(cp, '\n', (size_t) (end - cp));
        size_t  len = nl ? (size_t) (nl - cp) : (size_t) (end - cp);

        status = rewrite_header_line(rh, cp, len, nl == 0);
        cp += len + (nl != 0);
    }
    if (status == 0)
        status = rewrite_header_end(rh);
    if (status == 0 && rewrite_header_error(rh)) {
        errno = EAGAIN;
        status = -1;
    }
    rewrite_header_free(&rh);
    return (status);
}

/* pickup_headers - the headers to put in front of the content */

static void pickup_headers(QUEUE_FILE *in, const char *id, uid_t uid,
                           const char *sender, BUF *content, BUF *out)
{
    const char *c = BUF_STR(content);
    const char *blank = strstr(c, "\n\n");
    size_t  head_len = blank ? (size_t) (blank - c) + 1 : BUF_LEN(content);
    time_t  now = time(0);
    BUF    *date = buf_new(64);

    /* A body with no header block at all: everything is body. */
    if (*c != 0 && memchr(c, ':', strcspn(c, "\n")) == 0)
        head_len = 0;
    mail_date(now, date);
    buf_printf(out, "Received: by %s (Postern, from userid %ld)\n\tid %s; %s\n",
               config_str(P_MYHOSTNAME), (long) uid, id, BUF_STR(date));
    if (!pickup_has_header(c, head_len, "Date"))
        buf_printf(out, "Date: %s\n", BUF_STR(date));
    if (!pickup_has_header(c, head_len, "Message-ID")) {
        char    stamp[32];

        strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", gmtime(&now));
        buf_printf(out, "Message-ID: <%s.%s@%s>\n", stamp, id,
                   config_str(P_MYHOSTNAME));
    }
    if (!pickup_has_header(c, head_len, "From")) {
        const char *full = queue_file_attr(in, "full_name");
        struct passwd *pw = full ? 0 : getpwuid(uid);

        if (!full && pw && pw->pw_gecos)
            full = strsep(&pw->pw_gecos, ",");
        if (full && *full && strpbrk(full, "\"\\\n") == 0)
            buf_printf(out, "From: \"%s\" <%s>\n", full, sender);
        else
            buf_printf(out, "From: %s\n", sender);
    }
    if (head_len == 0)
        buf_putc(out, '\n');
    buf_free(&date);
}

/* pickup_copy - copy one maildrop file into incoming/; 0 or -1 */

static int pickup_copy(QUEUE_FILE *in, uid_t uid)
{
    QUEUE_FILE *out = queue_file_create("incoming");
    BUF    *addr = buf_new(100);
    BUF    *content = buf_new(8192);
    BUF    *head = buf_new(512);
    struct timeval when;
    char    chunk[8192];
    char    id[QUEUE_ID_SIZE];
    ssize_t n;
    int     ret = -1;

    if (out == 0) {
        msg_warn("cannot create a file in incoming: %m");
        goto done;
    }
    queue_file_arrival(in, &when);
    if (rewrite_addr_sender(queue_file_sender(in), REWRITE_ADDR_LOCAL, addr) < 0) {
        msg_warn("%s: address rewriting failed: table lookup error; will retry",
                 queue_file_id(out));
        goto fail;
    }
    if (queue_file_add_time(out, &when) < 0
        || queue_file_add_sender(out, BUF_STR(addr)) < 0
        || queue_file_add_attr(out, "rewrite_context", "local") < 0)
        goto fail;
    msg_info("%s: uid=%ld from=<%s>", queue_file_id(out), (long) uid,
             BUF_STR(addr));
    for (size_t i = 0; i < queue_file_rcpt_count(in); i++) {
        const QUEUE_FILE_RCPT *r = queue_file_rcpt(in, i);

        STRV   *list = strv_new();
        int     status = rewrite_addr_recipient(r->address, REWRITE_ADDR_LOCAL, list);

        for (size_t j = 0; status == 0 && j < list->argc; j++)
            status = queue_file_add_rcpt(out, list->argv[j], r->address);
        strv_free(&list);
        if (status < 0)
            goto fail;
    }
    queue_file_content_rewind(in);
    while ((n = queue_file_content_read(in, chunk, sizeof(chunk))) > 0)
        buf_append(content, chunk, n);
    if (n < 0) {
        msg_warn("read maildrop/%s: %m", queue_file_id(in));
        goto fail;
    }
    pickup_headers(in, queue_file_id(out), uid, BUF_STR(addr), content, head);
    if (queue_file_begin_content(out) < 0
        || queue_file_write_content(out, BUF_STR(head), BUF_LEN(head)) < 0
        || pickup_content(out, content) < 0
        || queue_file_end_content(out) < 0)
        goto fail;
    if (queue_file_commit(out, id) < 0) {
        msg_warn("cannot write to incoming: %m");
        goto done;
    }
    ret = 0;
    goto done;

fail:
    msg_warn("cannot write to incoming: %m");
    queue_file_abort(&out);
done:
    buf_free(&addr);
    buf_free(&content);
    buf_free(&head);
    return (ret);
}

/* pickup_one - take one file out of maildrop/; 1 when mail was queued */

static int pickup_one(const char *name)
{
    BUF    *path = buf_new(64);
    BUF    *why = buf_new(100);
    QUEUE_FILE *in = 0;
    struct stat st;
    int     fd;
    int     queued = 0;

    buf_printf(path, "maildrop/%s", name);
    if ((fd = open(BUF_STR(path), O_RDONLY | O_NOFOLLOW | O_NONBLOCK)) < 0) {
        if (errno == ELOOP) {
            msg_warn("%s: not a regular file -- removed", BUF_STR(path));
            unlink(BUF_STR(path));
        } else if (errno != ENOENT && errno != EACCES) {
            msg_warn("open %s: %m", BUF_STR(path));
        }
        goto done;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        msg_warn("%s: not a regular file -- removed", BUF_STR(path));
        if (rmdir(BUF_STR(path)) != 0)
            unlink(BUF_STR(path));
        goto done;
    }
    if (queue_file_open_fd(fd, BUF_STR(path), QUEUE_FILE_READ, &in, why) < 0) {
        if (errno == EBADMSG) {
            msg_warn("%s: %s -- removed", BUF_STR(path), BUF_STR(why));
            unlink(BUF_STR(path));
        } else {
            msg_warn("%s: %s", BUF_STR(path), BUF_STR(why));
        }
        goto done;
    }
    if (queue_file_rcpt_count(in) == 0) {
        msg_warn("%s: no recipients -- removed", BUF_STR(path));
        unlink(BUF_STR(path));
    } else if (pickup_copy(in, st.st_uid) == 0) {
        if (unlink(BUF_STR(path)) != 0)
            msg_warn("remove %s: %m", BUF_STR(path));
        queued = 1;
    }
    queue_file_close(&in);
done:
    buf_free(&path);
    buf_free(&why);
    return (queued);
}

/* pickup_scan - move everything in maildrop/ along */

static void pickup_scan(void)
{
    DIR    *dir = opendir("maildrop");
    struct dirent *de;
    STRV   *names = strv_new();
    char    request = MASTER_TRIGGER_SCAN;
    int     queued = 0;

    if (dir == 0) {
        msg_warn("open maildrop: %m");
    } else {
        /* Every name but ".tmp.ID" files that sendmail is still writing. */
        while ((de = readdir(dir)) != 0)
            if (de->d_name[0] != '.')
                strv_add(names, de->d_name);
        closedir(dir);
    }
    strv_sort(names);
    for (size_t i = 0; i < names->argc; i++)
        queued += pickup_one(names->argv[i]);
    strv_free(&names);
    if (queued && mail_trigger("public", "qmgr", &request, 1) < 0)
        msg_warn("cannot wake the queue manager: %m");
}

static void pickup_trigger(const char *request, size_t len)
{
    (void) request;
    (void) len;
    pickup_scan();
}

int     main(int argc, char **argv)
{
    static DAEMON_SPEC spec;

    spec.kind = DAEMON_TRIGGER;
    spec.post_init = pickup_scan;
    spec.trigger = pickup_trigger;
    return (daemon_main(argc, argv, &spec));
}
