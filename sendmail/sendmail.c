/* NAME
 *	sendmail 1
 * SUMMARY
 *	Postern to Sendmail compatibility interface
 * SYNOPSIS
 *	sendmail [options] [recipient ...]
 *	mailq, newaliases (the same program under another name)
 * DESCRIPTION
 *	Reads a message from standard input and leaves it in maildrop/ of
 *	the instance (queue_file(3h) writer), then wakes pickup(8), which
 *	moves it into incoming/. When the instance is down the message
 *	waits in maildrop/ and goes out after the next start.
 *
 *	sendmail writes maildrop/ itself (mail_drop(3h)) when the caller
 *	may (root, or the owner of an instance run as an ordinary user);
 *	anyone else goes through the setgid postdrop(1).
 *
 *	Options as Postfix's sendmail(1): -t (recipients from To, Cc and
 *	Bcc; Bcc headers removed), -f sender, -F full_name, -i and -oi (a
 *	lone "." does not end the message), -oem/-oee/-N/-R/-V/-B/-o*
 *	accepted and ignored, -bm (default), -bp (runs postqueue -p), -q
 *	(flush, mail_flush(3)), -bi/-I (newaliases: runs postalias on each
 *	table of alias_database), -bs (SMTP on standard input and output,
 *	sendmail_smtp(3)), -C/-c config directory.
 * PARAMETERS
 *	queue_directory, command_directory, alias_database.
 */
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "mail_drop.h"
#include "mail_flush.h"
#include "msg.h"
#include "sendmail.h"
#include "strv.h"
#include "full_io.h"

/* sendmail_exec_command - run a sibling command from command_directory */

__attribute__((noreturn))
static void sendmail_exec_command(const char *name, char **args)
{
    BUF    *path = buf_new(100);

    buf_printf(path, "%s/%s", config_str(P_COMMAND_DIRECTORY), name);
    if (access(BUF_STR(path), X_OK) != 0)
        msg_fatal_status(EX_UNAVAILABLE, "%s is not available: %s: %m",
                         name, BUF_STR(path));
    args[0] = BUF_STR(path);
    execv(BUF_STR(path), args);
    msg_fatal_status(EX_OSERR, "exec %s: %m", BUF_STR(path));
}

/* sendmail_newaliases - sendmail -bi, -I, newaliases: postalias $alias_database */

__attribute__((noreturn))
static void sendmail_newaliases(void)
{
    STRV   *tables = config_list(P_ALIAS_DATABASE);
    STRV   *args = strv_new();
    size_t  i;

    if (tables->argc == 0)
        exit(0);
    strv_add(args, "postalias");
    strv_add(args, "-c");
    strv_add(args, config_dir());
    if (msg_verbose)
        strv_add(args, "-v");
    for (i = 0; i < tables->argc; i++)
        strv_add(args, tables->argv[i]);
    strv_free(&tables);
    sendmail_exec_command("postalias", args->argv);
}

/* sendmail_header_addrs - add the addresses of one header value to rcpts */

static void sendmail_header_addrs(const char *value, STRV *rcpts)
{
    STRV   *parts = strv_split(value, ",");

    for (size_t i = 0; i < parts->argc; i++) {
        const char *p = parts->argv[i];
        const char *lt = strchr(p, '<');
        const char *gt = lt ? strchr(lt, '>') : 0;

        if (lt && gt && gt > lt + 1) {
            strv_addn(rcpts, lt + 1, gt - lt - 1);
        } else if (!lt) {
            while (*p == ' ' || *p == '\t' || *p == '\n')
                p++;
            size_t  n = strcspn(p, " \t\n(");

            if (n > 0)
                strv_addn(rcpts, p, n);
        }
    }
    strv_free(&parts);
}

/*
 * sendmail_extract - with -t: take recipients from To, Cc and Bcc of the
 * header block of msg, and remove Bcc (with its continuation lines).
 */
static void sendmail_extract(BUF *msg, STRV *rcpts)
{
    BUF    *out = buf_new(BUF_LEN(msg));
    BUF    *value = buf_new(100);
    const char *p = BUF_STR(msg);
    const char *end = p + BUF_LEN(msg);
    int     in_header = 1;

    while (p < end) {
        const char *nl = memchr(p, '\n', end - p);
        const char *next = nl ? nl + 1 : end;
        int     is_rcpt = 0, is_bcc = 0;

        if (!in_header || next - p <= 1) {
            in_header = 0;
            buf_append(out, p, next - p);
            p = next;
            continue;
        }
        if (strncasecmp(p, "to:", 3) == 0 || strncasecmp(p, "cc:", 3) == 0)
            is_rcpt = 3;
        else if (strncasecmp(p, "bcc:", 4) == 0)
            is_rcpt = is_bcc = 4;
        /* The header with its continuation lines. */
        while (next < end && (*next == ' ' || *next == '\t')) {
            nl = memchr(next, '\n', end - next);
            next = nl ? nl + 1 : end;
        }
        if (is_rcpt) {
            buf_reset(value);
            buf_append(value, p + is_rcpt, next - p - is_rcpt);
            sendmail_header_addrs(BUF_STR(value), rcpts);
        }
        if (!is_bcc)
            buf_append(out, p, next - p);
        p = next;
    }
    buf_reset(msg);
    buf_append(msg, BUF_STR(out), BUF_LEN(out));
    buf_free(&out);
    buf_free(&value);
}

/*
 * sendmail_read_piece - one line, or a piece of a long one, into msg;
 * 1 when it is the lone "." that ends the message.
 */
static int sendmail_read_piece(BUF *msg, BUF *piece, int at_start, int dot_ends)
{
    size_t  len = BUF_LEN(piece);
    char   *p = BUF_STR(piece);

    if (len >= 2 && p[len - 2] == '\r' && p[len - 1] == '\n') {
        p[len - 2] = '\n';
        len--;
    }
    if (dot_ends && at_start && ((len == 2 && memcmp(p, ".\n", 2) == 0)
                                 || (len == 1 && *p == '.')))
        return (1);
    buf_append(msg, p, len);
    return (0);
}

/*
 * sendmail_read - read the message; without -i a lone "." ends it. The
 * message is held in memory: at most message_size_limit bytes, read in
 * bounded pieces (a line longer than a piece is read piece by piece).
 */
static void sendmail_read(BUF *msg, int dot_ends)
{
    long    limit = config_int(P_MESSAGE_SIZE_LIMIT);
    BUF    *piece = buf_new(256);
    char    chunk[8192];
    size_t  n;
    int     at_start = 1;
    int     done = 0;

    while (!done && (n = fread(chunk, 1, sizeof(chunk), stdin)) > 0) {
        for (size_t i = 0; i < n && !done; i++) {
            buf_putc(piece, chunk[i]);
            if (chunk[i] == '\n' || BUF_LEN(piece) >= sizeof(chunk)) {
                done = sendmail_read_piece(msg, piece, at_start, dot_ends);
                at_start = chunk[i] == '\n';
                buf_reset(piece);
            }
        }
        if (limit > 0 && BUF_LEN(msg) > (size_t) limit)
            msg_fatal_status(EX_DATAERR, "message too large: more than "
                             "message_size_limit (%ld bytes); nothing queued", limit);
    }
    if (ferror(stdin))
        msg_fatal_status(EX_IOERR, "error reading standard input: %m");
    if (!done && BUF_LEN(piece) > 0 && !sendmail_read_piece(msg, piece, at_start, dot_ends))
        buf_putc(msg, '\n');
    if (BUF_LEN(msg) > 0 && BUF_STR(msg)[BUF_LEN(msg) - 1] != '\n')
        buf_putc(msg, '\n');
    buf_free(&piece);
}

/* sendmail_postdrop - hand the message to the setgid postdrop(1) */

static int sendmail_postdrop(const char *sender, const char *full_name,
                             STRV *rcpts, BUF *msg)
{
    BUF    *path = buf_new(100);
    BUF    *env = buf_new(1000);
    int     fds[2];
    int     status;
    pid_t   pid;

    buf_printf(path, "%s/postdrop", config_str(P_COMMAND_DIRECTORY));
    if (strpbrk(sender, "\n\r") || (full_name && strpbrk(full_name, "\n\r")))
        msg_fatal_status(EX_USAGE, "sender or full name with a line break");
    buf_printf(env, "S%s\n", sender);
    if (full_name)
        buf_printf(env, "F%s\n", full_name);
    for (size_t i = 0; i < rcpts->argc; i++) {
        if (strpbrk(rcpts->argv[i], "\n\r"))
            msg_fatal_status(EX_USAGE, "recipient with a line break");
        buf_printf(env, "R%s\n", rcpts->argv[i]);
    }
    buf_putc(env, '\n');
    if (pipe(fds) != 0)
        msg_fatal_status(EX_OSERR, "pipe: %m");
    if ((pid = fork()) < 0)
        msg_fatal_status(EX_OSERR, "fork: %m");
    if (pid == 0) {
        if (dup2(fds[0], 0) < 0)
            _exit(EX_OSERR);
        close(fds[0]);
        close(fds[1]);
        execl(BUF_STR(path), "postdrop", "-c", config_dir(), (char *) 0);
        msg_fatal_status(EX_UNAVAILABLE, "exec %s: %m", BUF_STR(path));
    }
    close(fds[0]);
    signal(SIGPIPE, SIG_IGN);
    (void) (full_io_write(fds[1], BUF_STR(env), BUF_LEN(env)) == 0
            && full_io_write(fds[1], BUF_STR(msg), BUF_LEN(msg)) == 0);
    close(fds[1]);
    buf_free(&path);
    buf_free(&env);
    if (waitpid(pid, &status, 0) < 0)
        msg_fatal_status(EX_OSERR, "waitpid: %m");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        msg_warn("postdrop failed: the message was not queued");
        return (WIFEXITED(status) ? WEXITSTATUS(status) : EX_SOFTWARE);
    }
    return (0);
}

/*
 * sendmail_drop - write the message into maildrop/ ourselves when we may
 * (root, the owner of an instance run as an ordinary user), else through
 * postdrop.
 */
int     sendmail_drop(const char *sender, const char *full_name, STRV *rcpts, BUF *msg)
{
    char    id[QUEUE_ID_SIZE];

    if (mail_drop_write(sender, full_name, rcpts, BUF_STR(msg), BUF_LEN(msg),
                        id) == 0)
        return (0);
    if (errno == EACCES || errno == EPERM)
        return (sendmail_postdrop(sender, full_name, rcpts, msg));
    msg_warn("cannot write the message to %s/maildrop: %m", config_str(P_QUEUE_DIRECTORY));
    return (EX_TEMPFAIL);
}

/* sendmail_default_sender - the login name of the caller */

const char *sendmail_default_sender(void)
{
    struct passwd *pw = getpwuid(getuid());

    if (pw == 0)
        msg_fatal_status(EX_NOUSER, "no login name for uid %ld", (long) getuid());
    return (pw->pw_name);
}

int     main(int argc, char **argv)
{
    const char *slash = strrchr(argv[0], '/');
    const char *name = slash ? slash + 1 : argv[0];
    const char *dir = 0;
    const char *sender = 0;
    const char *full_name = 0;
    int     mode = 'm';
    int     extract = 0;
    int     dot_ends = 1;
    int     ch;
    STRV   *rcpts;
    BUF    *msg;

    msg_init("sendmail");
    msg_to_stderr(1);
    if (strcmp(name, "mailq") == 0)
        mode = 'p';
    else if (strcmp(name, "newaliases") == 0)
        mode = 'i';
    opterr = 0;
    while ((ch = getopt(argc, argv, "+B:C:c:F:f:IiN:no:q::R:r:tvV:b:")) != -1) {
        switch (ch) {
        case 'B':
        case 'N':
        case 'R':
        case 'V':
        case 'n':
            break;
        case 'C':
        case 'c':
            dir = optarg;
            break;
        case 'F':
            full_name = optarg;
            break;
        case 'f':
        case 'r':
            /* "-f <>" is the null sender; "<addr>" is addr. */
            if (optarg[0] == '<' && optarg[strlen(optarg) - 1] == '>') {
                optarg[strlen(optarg) - 1] = 0;
                optarg++;
            }
            sender = optarg;
            break;
        case 'I':
            mode = 'i';
            break;
        case 'i':
            dot_ends = 0;
            break;
        case 'o':
            if (strcmp(optarg, "i") == 0)
                dot_ends = 0;
            /* -oem, -oee and other -o options: accepted, ignored. */
            break;
        case 'q':
            mode = 'q';
            break;
        case 't':
            extract = 1;
            break;
        case 'v':
            msg_verbose++;
            break;
        case 'b':
            if (strchr("dimps", optarg[0]) == 0 || optarg[1] != 0)
                msg_fatal_status(EX_USAGE, "unsupported: -b%s", optarg);
            mode = optarg[0] == 'd' ? 'm' : optarg[0];
            break;
        default:
            msg_fatal_status(EX_USAGE, "unknown option -%c; usage: sendmail "
                             "[-t] [-i] [-f sender] [-F name] [-C dir] "
                             "[-bm|-bp|-bi|-q] [recipient ...]",
                             optopt ? optopt : '?');
        }
    }
    config_load(dir, 0);
    switch (mode) {
    case 'p':
        sendmail_exec_command("postqueue",
                              (char *[]) {0, "-c", (char *) config_dir(), "-p", 0});
        break;
    case 'i':
        sendmail_newaliases();
    case 's':
        return (sendmail_smtp(full_name));
    case 'q':
        if (mail_flush() < 0)
            msg_fatal_status(EX_UNAVAILABLE, "cannot flush the mail queue: "
                             "the mail system is down");
        return (0);
    }
    rcpts = strv_new();
    for (int i = optind; i < argc; i++)
        strv_add(rcpts, argv[i]);
    msg = buf_new(8192);
    sendmail_read(msg, dot_ends);
    if (extract)
        sendmail_extract(msg, rcpts);
    if (rcpts->argc == 0)
        msg_fatal_status(EX_USAGE, "no recipient addresses found");
    for (size_t i = 0; i < rcpts->argc; i++)
        if (rcpts->argv[i][0] == 0)
            msg_fatal_status(EX_USAGE, "empty recipient address");
    if ((ch = sendmail_drop(sender ? sender : sendmail_default_sender(), full_name,
                            rcpts, msg)) != 0)
        msg_fatal_status(ch, "the message was not queued");
    buf_free(&msg);
    strv_free(&rcpts);
    return (0);
}
