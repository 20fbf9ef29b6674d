/* NAME
 *	local_alias 3
 * SUMMARY
 *	aliases, ~/.forward, :include:, |command and /file deliveries
 * DESCRIPTION
 *	local_alias_deliver() delivers one recipient of a request, in
 *	Postfix's order:
 *
 *	- alias_maps, looked up by the local part, then by the user without
 *	  its extension: the value is a list of destinations (comma
 *	  separated, "quoted" items keep their commas);
 *	- else the user's ~/.forward (forward_path, with $home, $user,
 *	  $extension, $recipient_delimiter), read as the user; "\user"
 *	  there means that user's mailbox, not expanded again;
 *	- else the user's mailbox (local_recipient_resolve()).
 *
 *	Destinations: "|command" (allow_mail_to_commands must list the
 *	class: alias, forward or include), "/file/name" (an mbox file, or a
 *	Maildir when it ends in "/"; allow_mail_to_files), ":include:/file"
 *	(more destinations, class include), a local name or address (expanded
 *	again, up to 100 levels; an alias that names itself, or a name
 *	already expanded, goes to the mailbox: that is the loop protection),
 *	and addresses of other domains, which are forwarded: written, with a
 *	Delivered-To: header for this recipient, into a new queue file with
 *	the same sender, or owner-NAME when the alias NAME has an owner-NAME
 *	alias ("QUEUEID: to=<...>, ... status=sent (forwarded as NEWID)").
 *
 *	Commands and files from aliases run with the rights of
 *	default_privs (Postfix uses the alias database owner, which is root
 *	in practice, and then default_privs); from ~/.forward and its
 *	:include: files with the user's. Each mailbox, file and command
 *	gets the message once per recipient however often the expansion
 *	names it (duplicate elimination).
 *
 *	The recipient's result is the worst of its destinations' (deferred
 *	over bounced over sent), with that destination's reason.
 * CONFIGURATION PARAMETERS
 *	alias_maps, forward_path, allow_mail_to_commands,
 *	allow_mail_to_files, default_privs, mail_owner, myorigin.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "deliver_request.h"
#include "expand.h"
#include "local.h"
#include "mail_connect.h"
#include "maps.h"
#include "master_proto.h"
#include "mem.h"
#include "msg.h"
#include "queue_file.h"
#include "resolve_local.h"
#include "strv.h"

#define LOCAL_ALIAS_DEPTH   100         /* expansion levels */
#define LOCAL_ALIAS_INCLUDE_MAX (1024 * 1024)   /* bytes of one file */

#define CLASS_ALIAS     "alias"
#define CLASS_FORWARD   "forward"
#define CLASS_INCLUDE   "include"

typedef struct LOCAL_EXPAND {
    LOCAL_MESSAGE *msg;
    const LOCAL_RCPT *top;              /* the request's recipient */
    LOCAL_RESULT *result;               /* the worst so far */
    int     count;                      /* destinations delivered to */
    int     repeatable;                 /* all of them repeatable */
    STRV   *seen;                       /* expanded names, destinations */
    STRV   *forward;                    /* addresses elsewhere */
    char   *owner;                      /* owner-NAME of the first alias that has one */
} LOCAL_EXPAND;

static MAPS *local_alias_maps;

static int local_alias_rank(int status)
{
    return (status == DELIVER_DEFER ? 2 : status == DELIVER_BOUNCE ? 1 : 0);
}

/* local_alias_merge - keep the worst result, and the latest reason of that rank. */

static void local_alias_merge(LOCAL_EXPAND *x, const LOCAL_RESULT *r)
{
    if (x->count++ == 0 || local_alias_rank(r->status) >= local_alias_rank(x->result->status)) {
        x->result->status = r->status;
        snprintf(x->result->dsn, sizeof(x->result->dsn), "%s", r->dsn);
        buf_set(x->result->reason, r->reason->data);
    }
    x->repeatable &= r->repeatable;
}

/* local_alias_fail - a destination that fails before delivery. */

static void __attribute__((format(printf, 3, 4)))
local_alias_fail(LOCAL_EXPAND *x, const char *dsn, const char *fmt,...)
{
    LOCAL_RESULT r;
    va_list ap;

    local_result_init(&r);
    va_start(ap, fmt);
    local_result_vset(&r, dsn, fmt, ap);
    va_end(ap);
    local_alias_merge(x, &r);
    local_result_free(&r);
}

/* local_alias_once - 1 the first time key is seen for this recipient. */

static int local_alias_once(LOCAL_EXPAND *x, const char *kind, const char *what)
{
    BUF    *key = buf_new(64);
    int     first;

    buf_printf(key, "%s:%s", kind, what);
    if ((first = strv_find(x->seen, key->data) < 0) != 0)
        strv_add(x->seen, key->data);
    buf_free(&key);
    return (first);
}

/* local_alias_target - deliver to a file or command with rights. */

static void local_alias_target(LOCAL_EXPAND *x, const LOCAL_RCPT *rcpt, int kind,
                               const char *path, const LOCAL_USER *rights)
{
    LOCAL_TARGET target;
    LOCAL_RESULT r;

    memset(&target, 0, sizeof(target));
    target.kind = kind;
    target.path = mem_strdup(path);
    target.user.name = mem_strdup(rights->name);
    target.user.uid = rights->uid;
    target.user.gid = rights->gid;
    target.user.home = mem_strdup(rights->home);
    target.user.shell = mem_strdup(rights->shell);
    target.rights.name = mem_strdup(rights->name);
    target.rights.uid = rights->uid;
    target.rights.gid = rights->gid;
    target.rights.home = mem_strdup(rights->home);
    target.rights.shell = mem_strdup(rights->shell);
    local_result_init(&r);
    local_deliver(x->msg, rcpt, &target, &r);
    local_alias_merge(x, &r);
    local_result_free(&r);
    local_recipient_target_free(&target);
}

/* local_alias_mailbox - a user's own mailbox (or mailbox_command). */

static void local_alias_mailbox(LOCAL_EXPAND *x, const LOCAL_RCPT *rcpt)
{
    LOCAL_TARGET target;
    LOCAL_RESULT r;

    if (!local_alias_once(x, "mailbox", rcpt->user))
        return;
    local_result_init(&r);
    if (local_recipient_resolve(x->msg, rcpt, &target, &r)) {
        local_deliver(x->msg, rcpt, &target, &r);
        local_recipient_target_free(&target);
    }
    local_alias_merge(x, &r);
    local_result_free(&r);
}

static void local_alias_address(LOCAL_EXPAND *x, const char *address,
                                const LOCAL_RCPT *parent, int depth, int plain);

/* local_alias_allowed - may class deliver to commands (files)? */

static int local_alias_allowed(PARAM_ID param, const char *class)
{
    STRV   *list = config_list(param);
    int     ok = strv_find(list, class) >= 0;

    strv_free(&list);
    return (ok);
}

/* local_alias_include - :include:/file or ~/.forward, read with rights. */

static void local_alias_value(LOCAL_EXPAND *x, const char *value, const char *class,
                              const LOCAL_USER *rights, const LOCAL_RCPT *parent,
                              int depth);

static void local_alias_include(LOCAL_EXPAND *x, const char *path, const char *class,
                                const LOCAL_USER *rights, const LOCAL_RCPT *parent,
                                int depth)
{
    char   *text;
    ssize_t n;
    size_t  len = 0;
    int     fd;

    if (*path != '/') {
        local_alias_fail(x, "5.3.5", "mail system configuration error: "
                         ":include:%s is not an absolute path", path);
        return;
    }
    if (local_fsid_become(rights) < 0) {
        local_alias_fail(x, "4.3.0", "cannot take the rights of %s", rights->name);
        return;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    local_fsid_restore();
    if (fd < 0) {
        local_alias_fail(x, errno == ENOENT ? "5.3.5" : "4.3.0",
                         "cannot open include file %s", path);
        return;
    }
    text = mem_alloc(LOCAL_ALIAS_INCLUDE_MAX + 1);
    while (len < LOCAL_ALIAS_INCLUDE_MAX
           && (n = read(fd, text + len, LOCAL_ALIAS_INCLUDE_MAX - len)) > 0)
        len += (size_t) n;
    close(fd);
    text[len] = 0;
    /* Lines are list items too; comments go. */
    for (char *line = text, *next; line && *line; line = next) {
        if ((next = strchr(line, '\n')) != 0)
            *next++ = 0;
        if (*line != '#')
            local_alias_value(x, line, class, rights, parent, depth + 1);
    }
    mem_free(text);
}

/* local_alias_item - one destination of an expansion. */

static void local_alias_item(LOCAL_EXPAND *x, const char *item, const char *class,
                             const LOCAL_USER *rights, const LOCAL_RCPT *parent, int depth)
{
    if (*item == '|') {
        if (!local_alias_allowed(P_ALLOW_MAIL_TO_COMMANDS, class))
            local_alias_fail(x, "5.7.1", "mail to command is restricted");
        else if (local_alias_once(x, "command", item + 1))
            local_alias_target(x, parent, LOCAL_TARGET_COMMAND, item + 1, rights);
    } else if (*item == '/') {
        if (!local_alias_allowed(P_ALLOW_MAIL_TO_FILES, class))
            local_alias_fail(x, "5.7.1", "mail to file is restricted");
        else if (local_alias_once(x, "file", item))
            local_alias_target(x, parent, item[strlen(item) - 1] == '/' ?
                               LOCAL_TARGET_MAILDIR : LOCAL_TARGET_MBOX, item, rights);
    } else if (strncasecmp(item, ":include:", 9) == 0) {
        local_alias_include(x, item + 9, CLASS_INCLUDE, rights, parent, depth);
    } else if (*item == '\\') {
        local_alias_address(x, item + 1, parent, depth, 1);
    } else {
        local_alias_address(x, item, parent, depth, 0);
    }
}

/*
 * local_alias_value - a comma-separated list of destinations; commas in
 * "quotes" do not separate, and the quotes go.
 */
static void local_alias_value(LOCAL_EXPAND *x, const char *value, const char *class,
                              const LOCAL_USER *rights, const LOCAL_RCPT *parent,
                              int depth)
{
    BUF    *item = buf_new(64);
    int     quoted = 0;

    if (depth > LOCAL_ALIAS_DEPTH) {
        local_alias_fail(x, "5.4.6", "alias expansion loop for %s", parent->address);
        buf_free(&item);
        return;
    }
    for (const char *cp = value;; cp++) {
        if (*cp == '"') {
            quoted = !quoted;
            continue;
        }
        if (*cp == 0 || (*cp == ',' && !quoted)) {
            char   *start = item->data;
            size_t  len = item->len;

            while (len > 0 && (start[len - 1] == ' ' || start[len - 1] == '\t'))
                start[--len] = 0;
            start += strspn(start, " \t");
            if (*start)
                local_alias_item(x, start, class, rights, parent, depth);
            buf_reset(item);
            if (*cp == 0)
                break;
            continue;
        }
        buf_putc(item, *cp);
    }
    buf_free(&item);
}

/* local_alias_forward_file - ~/.forward per forward_path: 1 used, 0 none. */

static const char *local_alias_forward_var(const char *name, void *context)
{
    const char *const *vars = context;

    for (; vars[0]; vars += 2)
        if (strcmp(vars[0], name) == 0)
            return (vars[1]);
    return (config_value(name));
}

static int local_alias_forward_file(LOCAL_EXPAND *x, const LOCAL_RCPT *rcpt, int depth)
{
    LOCAL_USER user;
    LOCAL_RESULT r;
    STRV   *paths;
    BUF    *path;
    int     used = 0;

    memset(&user, 0, sizeof(user));
    local_result_init(&r);
    if (getpwnam(rcpt->user) == 0 || local_recipient_account(rcpt->user, &user, &r) < 0) {
        local_result_free(&r);
        return (0);
    }
    local_result_free(&r);
    paths = strv_split(config_raw("forward_path") ? config_raw("forward_path") : "", ", \t");
    path = buf_new(128);
    for (size_t i = 0; i < paths->argc && !used; i++) {
        const char *vars[] = {"home", user.home, "user", user.name,
            "extension", rcpt->extension ? rcpt->extension : "",
            "recipient_delimiter", rcpt->extension ? config_str(P_RECIPIENT_DELIMITER) : "",
            "domain", rcpt->domain, "local", rcpt->local, 0};
        struct stat st;

        buf_reset(path);
        if (expand_text(paths->argv[i], local_alias_forward_var, 0, (void *) vars, path, 0) < 0
            || *path->data != '/')
            continue;
        if (local_fsid_become(&user) < 0)
            break;
        if (stat(path->data, &st) == 0 && S_ISREG(st.st_mode)) {
            used = 1;
            local_fsid_restore();
            local_alias_include(x, path->data, CLASS_FORWARD, &user, rcpt, depth);
        } else {
            local_fsid_restore();
        }
    }
    buf_free(&path);
    strv_free(&paths);
    local_recipient_user_free(&user);
    return (used);
}

/*
 * local_alias_owner - an alias NAME with an owner-NAME alias: copies that
 * its expansion forwards get owner-NAME@domain as sender, so that their
 * bounces go to the list owner (not for the null sender). The first
 * (outermost) owner found counts.
 */
static void local_alias_owner(LOCAL_EXPAND *x, const LOCAL_RCPT *rcpt)
{
    BUF    *name;

    if (x->owner || *x->msg->sender == 0 || strncmp(rcpt->user, "owner-", 6) == 0)
        return;
    name = buf_new(64);
    buf_printf(name, "owner-%s", rcpt->user);
    if (maps_find(local_alias_maps, name->data, 0) != 0) {
        buf_printf(name, "@%s", *rcpt->domain ? rcpt->domain : config_str(P_MYORIGIN));
        x->owner = mem_strdup(name->data);
    }
    buf_free(&name);
}

/*
 * local_alias_address - a local name or an address: forward it, expand
 * it as an alias or ~/.forward, or deliver to its mailbox. plain: the
 * mailbox only ("\user").
 */
static void local_alias_address(LOCAL_EXPAND *x, const char *address,
                                const LOCAL_RCPT *parent, int depth, int plain)
{
    LOCAL_RCPT rcpt;
    BUF    *full = buf_new(64);
    const char *value = 0;
    int     local;

    if (strchr(address, '@') == 0)
        buf_printf(full, "%s@%s", address, *parent->domain ? parent->domain :
                   config_str(P_MYORIGIN));
    else
        buf_set(full, address);
    local_recipient_parse(&rcpt, full->data, parent->orig);
    /* The request's own recipient is local whatever its domain (transport_maps). */
    if (depth > 0 && *rcpt.domain && (local = resolve_local_domain(rcpt.domain)) <= 0) {
        if (local < 0)
            local_alias_fail(x, "4.3.0", "cannot resolve domain of %s", full->data);
        else if (local_alias_once(x, "forward", full->data))
            strv_add(x->forward, full->data);
        goto done;
    }
    if (!plain && local_alias_once(x, "alias", rcpt.local)) {
        if ((value = maps_find(local_alias_maps, rcpt.local, 0)) == 0
            && !maps_error(local_alias_maps) && rcpt.extension
            && local_alias_once(x, "alias", rcpt.user))
            value = maps_find(local_alias_maps, rcpt.user, 0);
        if (value == 0 && maps_error(local_alias_maps)) {
            local_alias_fail(x, "4.3.0", "alias database unavailable");
            goto done;
        }
        if (value) {
            LOCAL_USER privs;
            LOCAL_RESULT r;
            char   *copy = mem_strdup(value);

            local_alias_owner(x, &rcpt);

            memset(&privs, 0, sizeof(privs));
            local_result_init(&r);
            if (local_recipient_account(config_str(P_DEFAULT_PRIVS), &privs, &r) < 0)
                local_alias_merge(x, &r);
            else
                local_alias_value(x, copy, CLASS_ALIAS, &privs, &rcpt, depth + 1);
            local_result_free(&r);
            local_recipient_user_free(&privs);
            mem_free(copy);
            goto done;
        }
        if (local_alias_forward_file(x, &rcpt, depth + 1))
            goto done;
    }
    local_alias_mailbox(x, &rcpt);
done:
    local_recipient_free(&rcpt);
    buf_free(&full);
}

/* local_alias_write - LOCAL_WRITE_FN into a new queue file. */

static int local_alias_write(void *context, const char *data, size_t len)
{
    return (queue_file_write_content((QUEUE_FILE *) context, data, len));
}

/* local_alias_queue - forward addresses elsewhere in a new message. */

static void local_alias_queue(LOCAL_EXPAND *x)
{
    LOCAL_USER owner;
    LOCAL_RESULT r;
    QUEUE_FILE *qf;
    struct timeval now;
    char    id[QUEUE_ID_SIZE];
    char    request = MASTER_TRIGGER_SCAN;
    int     ok = 0;

    memset(&owner, 0, sizeof(owner));
    local_result_init(&r);
    if (local_recipient_account(config_str(P_MAIL_OWNER), &owner, &r) < 0) {
        local_alias_merge(x, &r);
        local_result_free(&r);
        return;
    }
    gettimeofday(&now, 0);
    /* The new file belongs to mail_owner, like every queue file. */
    if (local_fsid_become(&owner) == 0) {
        if ((qf = queue_file_create("incoming")) != 0) {
            if (queue_file_add_time(qf, &now) == 0
                && queue_file_add_sender(qf, x->owner ? x->owner : x->msg->sender) == 0
                && queue_file_add_warn(qf, 0) == 0
                && queue_file_begin_content(qf) == 0
                && local_message_copy(x->msg, x->top, LOCAL_COPY_FORWARD,
                                      local_alias_write, qf) == LOCAL_COPY_OK
                && queue_file_end_content(qf) == 0) {
                size_t  i;

                for (i = 0; i < x->forward->argc; i++)
                    if (queue_file_add_rcpt(qf, x->forward->argv[i], 0) < 0)
                        break;
                ok = i == x->forward->argc && queue_file_commit(qf, id) == 0;
                if (i != x->forward->argc)
                    queue_file_abort(&qf);
            } else {
                queue_file_abort(&qf);
            }
        }
        local_fsid_restore();
    }
    local_recipient_user_free(&owner);
    if (ok) {
        (void) mail_trigger("public", "qmgr", &request, 1);
        local_result_set(&r, "2.0.0", "forwarded as %s", id);
    } else {
        local_result_set(&r, "4.3.0", "cannot forward: %s",
                         errno ? strerror(errno) : "queue file write error");
    }
    local_alias_merge(x, &r);
    local_result_free(&r);
}

void    local_alias_deliver(LOCAL_MESSAGE *msg, const LOCAL_RCPT *rcpt, LOCAL_RESULT *result)
{
    LOCAL_EXPAND x;

    if (local_alias_maps == 0)
        local_alias_maps = maps_create("alias_maps", config_str(P_ALIAS_MAPS),
                                       DICT_FLAG_FOLD_FIX);
    memset(&x, 0, sizeof(x));
    x.msg = msg;
    x.top = rcpt;
    x.result = result;
    x.repeatable = 1;
    x.seen = strv_new();
    x.forward = strv_new();
    if (local_message_looping(msg, rcpt->address)) {
        local_result_set(result, "5.4.6", "mail forwarding loop for %s", rcpt->address);
    } else {
        local_alias_address(&x, rcpt->address, rcpt, 0, 0);
        if (x.forward->argc > 0)
            local_alias_queue(&x);
        if (x.count == 0)
            local_result_set(result, "2.0.0", "alias expands to nothing");
        result->repeatable = x.repeatable && x.count > 0;
    }
    strv_free(&x.seen);
    strv_free(&x.forward);
    mem_free(x.owner);
}
