/* NAME
 *	postqueue 1
 * SUMMARY
 *	Postern queue control, like Postfix's postqueue(1) and mailq(1)
 * SYNOPSIS
 *	postqueue [-c config_dir] [-v] -p | -j | -f | -s site | -i queue_id
 *	mailq [-c config_dir] [-v]
 * DESCRIPTION
 *	-p	print the queue in Postfix's mailq layout (what mailq does);
 *	-j	print the queue as one JSON object per message, with
 *		Postfix's field names;
 *	-f	ask the queue manager to retry deferred mail now;
 *	-s site	retry now the deferred mail with a recipient in that
 *		domain;
 *	-i queue_id
 *		retry that deferred message now.
 *
 *	The listing comes from the showq(8) service on public/showq,
 *	which runs as mail_owner. public/ is searchable by setgid_group
 *	only, so postqueue is installed setgid setgid_group like
 *	Postfix's; it keeps that group only for the default configuration
 *	(with -c or MAIL_CONFIG from an ordinary user it drops it first).
 *	Invoked as "mailq" it is "postqueue -p". When the mail system
 *	is down it says so the way Postfix does and exits with
 *	EX_UNAVAILABLE.
 * PARAMETERS
 *	authorized_mailq_users, authorized_flush_users: who may list and
 *	flush. "static:anyone" (the default) or a list of user names;
 *	anything else is warned about, and then only root and mail_owner
 *	are allowed. Root and mail_owner are always allowed.
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "attr.h"
#include "config.h"
#include "mail_connect.h"
#include "mail_drop.h"
#include "mail_flush.h"
#include "msg.h"
#include "stream.h"
#include "strv.h"

#define POSTQUEUE_TIMEOUT 60

/* postqueue_user_name - the invoking user's name, for lists and messages. */

static const char *postqueue_user_name(void)
{
    static char name[256];
    const struct passwd *pw;

    if (*name == 0) {
        if ((pw = getpwuid(getuid())) != 0)
            snprintf(name, sizeof(name), "%s", pw->pw_name);
        else
            snprintf(name, sizeof(name), "unknown");
    }
    return (name);
}

/* postqueue_user_ok - may the invoking user do what list id allows? */

static int postqueue_user_ok(PARAM_ID id, const char *param)
{
    const struct passwd *owner = getpwnam(config_str(P_MAIL_OWNER));
    STRV   *list;
    int     ok = 0, plain = 1;

    if (getuid() == 0 || (owner && owner->pw_uid == getuid()))
        return (1);
    list = config_list(id);
    for (size_t i = 0; i < list->argc; i++)
        if (strchr(list->argv[i], ':') != 0
            && strcmp(list->argv[i], "static:anyone") != 0)
            plain = 0;
    if (!plain)
        msg_warn("%s: only static:anyone and lists of user names are "
                 "supported; allowing only root and mail_owner", param);
    else
        ok = strv_find(list, "static:anyone") >= 0
            || strv_find(list, postqueue_user_name()) >= 0;
    strv_free(&list);
    return (ok);
}

/* postqueue_show - copy showq's listing (mode text or json) to stdout. */

static void postqueue_show(const char *mode)
{
    STREAM *s;
    ATTR   *request;
    int     fd, status, ch;

    if (!postqueue_user_ok(P_AUTHORIZED_MAILQ_USERS, "authorized_mailq_users"))
        msg_fatal_status(EX_NOPERM, "User %s(%ld) is not allowed to view "
                         "the mail queue", postqueue_user_name(),
                         (long) getuid());
    if ((fd = mail_connect("public", "showq", POSTQUEUE_TIMEOUT)) < 0)
        msg_fatal_status(EX_UNAVAILABLE, "Queue report unavailable - mail "
                         "system is down (Connect to the Postern showq "
                         "service: %m)");
    s = stream_open(fd);
    stream_set_timeout(s, POSTQUEUE_TIMEOUT);
    if ((status = attr_expect(s, "showq", 0)) != ATTR_OK)
        msg_fatal_status(EX_SOFTWARE, "malformed showq server response: %s",
                         attr_strerror(status));
    request = attr_new();
    attr_add_str(request, "mode", mode);
    if ((status = attr_write(s, request)) != STREAM_OK)
        msg_fatal_status(EX_UNAVAILABLE, "showq request: %s",
                         stream_strerror(status));
    attr_free(&request);
    while ((ch = stream_getc(s)) >= 0)
        if (putchar(ch) == EOF)
            msg_fatal_status(EX_IOERR, "output write error: %m");
    if (ch != STREAM_EOF)
        msg_fatal_status(EX_IOERR, "showq read: %s", stream_strerror(ch));
    if (fflush(stdout) == EOF)
        msg_fatal_status(EX_IOERR, "output write error: %m");
    stream_close(&s);
}

/* postqueue_flush - retry deferred mail now: all (-f), a site, one message. */

static void postqueue_flush(int action, const char *arg)
{
    int     status;

    if (!postqueue_user_ok(P_AUTHORIZED_FLUSH_USERS, "authorized_flush_users"))
        msg_fatal_status(EX_NOPERM, "User %s(%ld) is not allowed to flush "
                         "the mail queue", postqueue_user_name(),
                         (long) getuid());
    if (action == 'i' && (*arg == 0 || strspn(arg, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "abcdefghijklmnopqrstuvwxyz0123456789")
                          != strlen(arg)))
        msg_fatal_status(EX_USAGE, "bad queue ID: %s", arg);
    if (action == 's' && (*arg == 0 || strlen(arg) > 255 || strpbrk(arg, " \t\r\n")))
        msg_fatal_status(EX_USAGE, "bad site name: %s", arg);
    status = action == 's' ? mail_flush_site(arg) : action == 'i' ?
        mail_flush_id(arg) : mail_flush();
    if (status < 0)
        msg_fatal_status(EX_UNAVAILABLE,
                         "Cannot flush mail queue - mail system is down");
}

int     main(int argc, char **argv)
{
    const char *dir = 0;
    const char *slash = strrchr(argv[0], '/');
    int     action = 0;
    const char *arg = 0;
    int     ch;

    msg_init("postqueue");
    if (strcmp(slash ? slash + 1 : argv[0], "mailq") == 0)
        action = 'p';
    while ((ch = getopt(argc, argv, "c:fi:jps:v")) != -1) {
        switch (ch) {
        case 'c':
            dir = optarg;
            break;
        case 'v':
            msg_verbose++;
            break;
        case 'i':
        case 's':
            arg = optarg;
            /* FALLTHROUGH */
        case 'f':
        case 'j':
        case 'p':
            if (action != 0 && action != ch)
                msg_fatal_status(EX_USAGE,
                                 "specify only one of -f, -i, -j, -p, -s");
            action = ch;
            break;
        default:
            action = '?';
            break;
        }
        if (action == '?')
            break;
    }
    if (action == 0 || action == '?' || optind != argc)
        msg_fatal_status(EX_USAGE, "usage: postqueue [-c config_dir] [-v] "
                         "-f | -i queue_id | -j | -p | -s site");
    mail_drop_setgid(dir);     /* as Postfix: no privilege for a user's -c */
    config_load(dir, 0);
    switch (action) {
    case 'p':
        postqueue_show("text");
        break;
    case 'j':
        postqueue_show("json");
        break;
    default:
        postqueue_flush(action, arg);
        break;
    }
    return (0);
}
