/* NAME
 *	postcat 1
 * SUMMARY
 *	show Postern queue file contents
 * SYNOPSIS
 *	postcat [-bdehoqv] [-c config_dir] [files...]
 * DESCRIPTION
 *	Prints the named queue files (queue_file(3h)) in human-readable
 *	form, in the layout of Postfix's postcat(1). Without files, reads
 *	one queue file from standard input.
 *
 *	By default, shows the envelope and the content, as if -beh were
 *	given. Options:
 *	-b	show the body: from the first line that is neither a header
 *		nor a header continuation (usually the empty line) to the
 *		end of the message;
 *	-c dir	the main.cf file is in dir ($MAIL_CONFIG otherwise); read
 *		only with -q, for queue_directory;
 *	-d	print the decimal record type before each record;
 *	-e	show the envelope records (and the section markers);
 *	-h	show the header, up to but not including the first
 *		non-header line;
 *	-o	print the file offset of each record (content lines: the
 *		offset of the record where the line starts);
 *	-q	arguments are queue IDs, searched in incoming, active,
 *		deferred, hold, corrupt and maildrop under queue_directory;
 *	-v	verbose: also show the version record.
 *
 *	A corrupt file is shown up to its first bad record, followed by
 *	an error on standard error naming the file and the problem; the
 *	exit status is then 1. Unlike Postfix, main.cf is read only for -q,
 *	so that any queue file can be inspected without an instance.
 * DIAGNOSTICS
 *	Problems go to standard error. Exit status 0 when every file was
 *	shown completely, 1 otherwise.
 * ENVIRONMENT
 *	MAIL_CONFIG, TZ (arrival times are printed in local time).
 * CONFIGURATION PARAMETERS
 *	queue_directory (with -q).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "msg.h"
#include "queue_file.h"
#include "queue_id.h"

#define PC_FLAG_ENV     (1<<0)          /* -e */
#define PC_FLAG_HEADER  (1<<1)          /* -h */
#define PC_FLAG_BODY    (1<<2)          /* -b */
#define PC_FLAG_OFFSET  (1<<3)          /* -o */
#define PC_FLAG_DEC     (1<<4)          /* -d */
#define PC_FLAG_QUEUE   (1<<5)          /* -q */
#define PC_MASK_PRINT   (PC_FLAG_ENV | PC_FLAG_HEADER | PC_FLAG_BODY)

#define PC_STATE_ENV    0               /* envelope or trailer */
#define PC_STATE_HEADER 1
#define PC_STATE_BODY   2

 /*
  * Content lines are classified by their start; a line longer than this
  * is printed in pieces, so a file of one huge line needs no huge buffer.
  */
#define PC_LINE_CHUNK   8192

typedef struct POSTCAT {
    const char *path;                   /* as shown in the markers */
    int     flags;
    int     state;                      /* PC_STATE_* */
    int     do_print;                   /* current section is wanted */
    BUF    *line;                       /* unprinted part of a line */
    int     in_line;                    /* a line has started */
    int     line_shown;                 /* its prefix is out */
    off_t   line_offset;                /* record where it started */
} POSTCAT;

static const char *postcat_queues[] = {
    "incoming", "active", "deferred", "hold", "corrupt", "maildrop", 0,
};

static void usage(void)
{
    msg_fatal("usage: postcat [-b (body text)] [-c config_dir] [-d (decimal "
              "record type)] [-e (envelope records)] [-h (header text)] "
              "[-o (offsets)] [-q (access queue)] [-v] [file(s)...]");
}

/* postcat_prefix - "%9lu " offset and "%3d " type, as requested */

static void postcat_prefix(POSTCAT *pc, int type, off_t offset)
{
    if (pc->flags & PC_FLAG_OFFSET)
        printf("%9lu ", (unsigned long) offset);
    if (pc->flags & PC_FLAG_DEC)
        printf("%3d ", type);
}

static void postcat_marker(POSTCAT *pc, int type, off_t offset, const char *text)
{
    if (pc->flags & PC_FLAG_ENV) {
        postcat_prefix(pc, type, offset);
        printf("*** %s %s ***\n", text, pc->path);
    }
}

/* postcat_time - "name: " and asctime(3) layout, local time */

static void postcat_time(const char *name, time_t when)
{
    struct tm tm;
    char    text[64];

    if (localtime_r(&when, &tm) == 0
        || strftime(text, sizeof(text), "%a %b %e %H:%M:%S %Y", &tm) == 0)
        snprintf(text, sizeof(text), "%ld", (long) when);
    printf("%s: %s\n", name, text);
}

/* postcat_is_header - "name:" with optional blanks before the colon */

static int postcat_is_header(const char *s, size_t len)
{
    size_t  i = 0;

    while (i < len && s[i] > ' ' && s[i] < 0x7f && s[i] != ':')
        i++;
    if (i == 0)
        return (0);
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return (i < len && s[i] == ':');
}

/*
 * postcat_emit - print the buffered part of a content line. The first
 * piece of a line decides whether the header has ended.
 */
static void postcat_emit(POSTCAT *pc, int complete)
{
    BUF    *line = pc->line;

    if (!pc->line_shown) {
        if (pc->state == PC_STATE_HEADER
            && !postcat_is_header(line->data, line->len)
            && !(line->len > 0 && (line->data[0] == ' ' || line->data[0] == '\t'))) {
            pc->state = PC_STATE_BODY;
            pc->do_print = pc->flags & PC_FLAG_BODY;
        }
        if (pc->do_print)
            postcat_prefix(pc, QUEUE_FILE_DATA_REC, pc->line_offset);
        pc->line_shown = 1;
    }
    if (pc->do_print) {
        fwrite(line->data, 1, line->len, stdout);
        if (complete)
            putchar('\n');
    }
    buf_reset(line);
    if (complete)
        pc->in_line = 0;
}

/* postcat_text - split 'D' payloads into lines */

static void postcat_text(POSTCAT *pc, off_t offset, const char *data, size_t len)
{
    const char *nl;
    size_t  n;

    while (len > 0) {
        if (!pc->in_line) {
            pc->in_line = 1;
            pc->line_shown = 0;
            pc->line_offset = offset;
        }
        nl = memchr(data, '\n', len);
        n = nl ? (size_t) (nl - data) : len;
        buf_append(pc->line, data, n);
        if (nl) {
            postcat_emit(pc, 1);
            n++;
        } else if (pc->line->len >= PC_LINE_CHUNK) {
            postcat_emit(pc, 0);
        }
        data += n;
        len -= n;
    }
}

/* postcat_line_end - an unterminated last line still gets its newline */

static void postcat_line_end(POSTCAT *pc)
{
    if (pc->in_line)
        postcat_emit(pc, 1);
}

/* postcat_record - print one record that queue_file_walk_fd() checked */

static int postcat_record(int type, off_t offset, const char *payload,
                          size_t len, void *context)
{
    POSTCAT *pc = context;
    int     env = (pc->flags & PC_FLAG_ENV) && pc->state == PC_STATE_ENV;

    switch (type) {
    case QUEUE_FILE_MESG_REC:
        postcat_marker(pc, type, offset, "MESSAGE CONTENTS");
        pc->state = PC_STATE_HEADER;
        pc->do_print = pc->flags & PC_FLAG_HEADER;
        return (0);
    case QUEUE_FILE_DATA_REC:
        postcat_text(pc, offset, payload, len);
        return (0);
    case QUEUE_FILE_XTRA_REC:
        postcat_line_end(pc);
        pc->state = PC_STATE_ENV;
        postcat_marker(pc, type, offset, "HEADER EXTRACTED");
        return (0);
    case QUEUE_FILE_END_REC:
        postcat_marker(pc, type, offset, "MESSAGE FILE END");
        return (0);
    case QUEUE_FILE_VERSION_REC:
        if (!msg_verbose)
            return (0);
        break;
    }
    if (!env)
        return (0);
    postcat_prefix(pc, type, offset);
    switch (type) {
    case QUEUE_FILE_VERSION_REC:
        printf("queue_file_version: %s\n", payload);
        break;
    case QUEUE_FILE_SIZE_REC:
        printf("message_size: %s\n", payload);
        break;
    case QUEUE_FILE_TIME_REC:
        postcat_time("message_arrival_time", (time_t) strtol(payload, 0, 10));
        break;
    case QUEUE_FILE_WARN_REC:
        postcat_time("warning_message_time", (time_t) strtol(payload, 0, 10));
        break;
    case QUEUE_FILE_SENDER_REC:
        printf("sender: %s\n", payload);
        break;
    case QUEUE_FILE_ATTR_REC:
        printf("named_attribute: %s\n", payload);
        break;
    case QUEUE_FILE_ORCPT_REC:
        printf("original_recipient: %s\n", payload);
        break;
    case QUEUE_FILE_RCPT_REC:
        printf("recipient: %s\n", payload);
        break;
    case QUEUE_FILE_DONE_REC:
        printf("done_recipient: %s\n", payload);
        break;
    default:
        printf("record_type_%d: %s\n", type, payload);
        break;
    }
    return (0);
}

/* postcat_fd - show one file; 0 when it was good, else -1 */

static int postcat_fd(int fd, const char *path, int flags)
{
    POSTCAT pc;
    BUF    *why = buf_new(128);
    int     status;

    memset(&pc, 0, sizeof(pc));
    pc.path = path;
    pc.flags = flags;
    pc.state = PC_STATE_ENV;
    pc.line = buf_new(256);
    if (flags & PC_FLAG_ENV)
        printf("*** ENVELOPE RECORDS %s ***\n", path);
    status = queue_file_walk_fd(fd, postcat_record, &pc, why);
    if (status < 0) {
        /* Show what was good, then say why the rest is not. */
        postcat_line_end(&pc);
        fflush(stdout);
        if (errno == EBADMSG)
            msg_error("%s: corrupt queue file: %s", path, why->data);
        else
            msg_error("%s: %s", path, why->data);
    }
    fflush(stdout);
    buf_free(&pc.line);
    buf_free(&why);
    return (status < 0 ? -1 : 0);
}

/* postcat_stdin - a queue file on a pipe: copy it where we can seek */

static int postcat_stdin(int flags)
{
    char    buf[65536];
    ssize_t n;
    int     fd;
    int     status;

    if ((fd = memfd_create("postcat", MFD_CLOEXEC)) < 0)
        msg_fatal("memfd_create: %m");
    while ((n = read(0, buf, sizeof(buf))) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            msg_fatal("read stdin: %m");
        }
        if (write(fd, buf, (size_t) n) != n)
            msg_fatal("copy stdin: %m");
    }
    status = postcat_fd(fd, "stdin", flags);
    (void) close(fd);
    return (status);
}

/* postcat_queue - find a queue file by ID; it may move while we look */

static int postcat_queue(const char *id, BUF *path)
{
    int     fd;

    if (!queue_id_valid(id))
        msg_fatal("bad mail queue ID: %s", id);
    for (int tries = 0; tries < 2; tries++) {
        for (const char **q = postcat_queues; *q; q++) {
            buf_reset(path);
            buf_printf(path, "%s/%s", *q, id);
            if ((fd = open(path->data, O_RDONLY | O_CLOEXEC)) >= 0)
                return (fd);
            if (errno != ENOENT)
                msg_fatal("open %s: %m", path->data);
        }
    }
    msg_fatal("open queue file %s: No such file or directory", id);
}

int     main(int argc, char **argv)
{
    const char *dir = 0;
    BUF    *path = buf_new(64);
    int     flags = 0;
    int     failed = 0;
    int     ch;
    int     fd;

    msg_init(argv[0]);
    while ((ch = getopt(argc, argv, "bc:dehoqv")) != -1) {
        switch (ch) {
        case 'b':
            flags |= PC_FLAG_BODY;
            break;
        case 'c':
            dir = optarg;
            break;
        case 'd':
            flags |= PC_FLAG_DEC;
            break;
        case 'e':
            flags |= PC_FLAG_ENV;
            break;
        case 'h':
            flags |= PC_FLAG_HEADER;
            break;
        case 'o':
            flags |= PC_FLAG_OFFSET;
            break;
        case 'q':
            flags |= PC_FLAG_QUEUE;
            break;
        case 'v':
            msg_verbose++;
            break;
        default:
            usage();
        }
    }
    if ((flags & PC_MASK_PRINT) == 0)
        flags |= PC_MASK_PRINT;
    if (optind == argc) {
        failed = postcat_stdin(flags) < 0;
    } else if (flags & PC_FLAG_QUEUE) {
        config_load(dir, 0);
        if (chdir(config_str(P_QUEUE_DIRECTORY)) < 0)
            msg_fatal("chdir %s: %m", config_str(P_QUEUE_DIRECTORY));
        for (; optind < argc; optind++) {
            fd = postcat_queue(argv[optind], path);
            failed |= postcat_fd(fd, path->data, flags) < 0;
            (void) close(fd);
        }
    } else {
        for (; optind < argc; optind++) {
            if ((fd = open(argv[optind], O_RDONLY | O_CLOEXEC)) < 0)
                msg_fatal("open %s: %m", argv[optind]);
            failed |= postcat_fd(fd, argv[optind], flags) < 0;
            (void) close(fd);
        }
    }
    buf_free(&path);
    if (fflush(stdout) != 0 || ferror(stdout))
        msg_fatal("write error on standard output: %m");
    return (failed ? 1 : 0);
}
