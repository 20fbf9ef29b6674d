/* NAME
 *	postdrop 1
 * SUMMARY
 *	Postern mail posting utility
 * SYNOPSIS
 *	postdrop [-c config_dir] [-v]
 * DESCRIPTION
 *	Installed setgid setgid_group (mode 2755) by "make install", so that
 *	ordinary users can leave mail in maildrop/ (mode 0730, group
 *	setgid_group) without being able to list or read it. sendmail(1)
 *	runs it when it cannot write maildrop/ itself.
 *
 *	The input is not a queue file: postdrop trusts nothing from the
 *	user and writes the queue file itself (mail_drop(3h)) from this
 *	format, read from standard input:
 *
 *	    S<sender>          exactly one; empty for the null sender
 *	    F<full name>       at most one
 *	    R<recipient>       one or more, not empty
 *	    <empty line>       end of the envelope
 *	    content            the message, to end of file, lines ending in LF
 *
 *	Envelope lines end in LF, are at most POSTDROP_LINE_MAX bytes and
 *	contain no NUL or CR. Anything else is refused (exit 65) and nothing
 *	is queued.
 * PARAMETERS
 *	queue_directory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "mail_drop.h"
#include "msg.h"
#include "strv.h"

#define POSTDROP_LINE_MAX   1000

/* postdrop_envelope - read and check the envelope lines */

static void postdrop_envelope(char **sender_r, char **full_name_r, STRV *rcpts)
{
    char   *line = 0;
    size_t  cap = 0;
    ssize_t len;

    while ((len = getline(&line, &cap, stdin)) > 0) {
        if (line[len - 1] != '\n' || len > POSTDROP_LINE_MAX
            || strlen(line) != (size_t) len || strchr(line, '\r'))
            msg_fatal_status(EX_DATAERR, "malformed envelope line");
        line[len - 1] = 0;
        if (line[0] == 0)
            break;
        if (line[0] == 'S' && *sender_r == 0)
            *sender_r = strdup(line + 1);
        else if (line[0] == 'F' && *full_name_r == 0)
            *full_name_r = strdup(line + 1);
        else if (line[0] == 'R' && line[1] != 0)
            strv_add(rcpts, line + 1);
        else
            msg_fatal_status(EX_DATAERR, "unexpected envelope line type '%c'",
                             line[0]);
    }
    if (len <= 0)
        msg_fatal_status(EX_DATAERR, "no end of the envelope");
    if (*sender_r == 0 || rcpts->argc == 0)
        msg_fatal_status(EX_DATAERR, "envelope without %s",
                         *sender_r == 0 ? "sender" : "recipients");
    free(line);
}

int     main(int argc, char **argv)
{
    const char *dir = 0;
    char   *sender = 0;
    char   *full_name = 0;
    STRV   *rcpts = strv_new();
    BUF    *content = buf_new(8192);
    char    chunk[8192];
    char    id[QUEUE_ID_SIZE];
    size_t  n;
    int     ch;

    msg_init("postdrop");
    msg_to_stderr(1);
    while ((ch = getopt(argc, argv, "c:v")) != -1) {
        switch (ch) {
        case 'c':
            dir = optarg;
            break;
        case 'v':
            msg_verbose++;
            break;
        default:
            msg_fatal_status(EX_USAGE, "usage: postdrop [-c config_dir] [-v]");
        }
    }
    if (optind != argc)
        msg_fatal_status(EX_USAGE, "usage: postdrop [-c config_dir] [-v]");
    mail_drop_setgid(dir);
    config_load(dir, 0);
    postdrop_envelope(&sender, &full_name, rcpts);
    while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0) {
        buf_append(content, chunk, n);
        if (config_int(P_MESSAGE_SIZE_LIMIT) > 0
            && BUF_LEN(content) > (size_t) config_int(P_MESSAGE_SIZE_LIMIT))
            msg_fatal_status(EX_DATAERR, "message too large: more than "
                             "message_size_limit (%ld bytes); nothing queued",
                             config_int(P_MESSAGE_SIZE_LIMIT));
    }
    if (ferror(stdin))
        msg_fatal_status(EX_IOERR, "error reading standard input: %m");
    if (mail_drop_write(sender, full_name, rcpts, BUF_STR(content),
                        BUF_LEN(content), id) < 0)
        msg_fatal_status(EX_TEMPFAIL, "cannot write the message to %s/maildrop: %m",
                         config_str(P_QUEUE_DIRECTORY));
    buf_free(&content);
    strv_free(&rcpts);
    free(sender);
    free(full_name);
    return (0);
}
