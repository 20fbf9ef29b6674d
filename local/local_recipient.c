/* NAME
 *	local_recipient 3
 * SUMMARY
 *	from a recipient address to a delivery target
 * DESCRIPTION
 *	local_recipient_parse() splits an address as Postfix does: the
 *	local part is folded to lower case, and split at the first
 *	character of recipient_delimiter into user and extension, except
 *	for postmaster and MAILER-DAEMON, for owner-NAME and NAME-request
 *	when the delimiter includes '-' and owner_request_special is set,
 *	and when either half would be empty. An extension with a '/' in it
 *	is dropped with a warning (it would end up in file names).
 *
 *	local_recipient_resolve() decides where the mail goes, in Postfix's
 *	order (the parts marked later arrive with aliases):
 *
 *	- a message that already has a Delivered-To: header for this
 *	  recipient bounces, 5.4.6 "mail forwarding loop for ADDRESS";
 *	- (later: aliases, then ~/.forward);
 *	- a user that getpwnam() does not know bounces, 5.1.1 'unknown
 *	  user: "local part"'; postmaster and MAILER-DAEMON, which must be
 *	  aliases, are discarded with a warning instead, as Postfix does;
 *	- mailbox_command, run with the user's rights (a command for root
 *	  runs with the rights of default_privs, never as root);
 *	- home_mailbox, relative to the home directory: Maildir when it ends
 *	  in '/', else an mbox file;
 *	- mail_spool_directory/USER: an mbox file, or a Maildir when the
 *	  spool directory name ends in '/'.
 *
 *	Mailbox and Maildir delivery for root happen as root, as in Postfix
 *	(mail for root usually has an alias; without one it must not be
 *	lost).
 *
 *	An instance that does not run as root can deliver only as itself:
 *	mail for its own account is delivered; mail for any other existing
 *	user is deferred with 4.3.5 (a configuration problem that the
 *	administrator can fix by running the instance as root, after which
 *	the queued mail goes out) rather than bounced.
 */
#include <errno.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "local.h"
#include "mem.h"
#include "msg.h"

#define STREQ(a, b)     (strcmp((a), (b)) == 0)

/*
 * local_recipient_split - cut the extension off a lower-case local part;
 * returns it (pointing into local) or NULL.
 */
static char *local_recipient_split(char *local, const char *delimiters)
{
    size_t  len = strlen(local);
    size_t  cut;

    if (*delimiters == 0 || STREQ(local, "postmaster") || STREQ(local, "mailer-daemon"))
        return (0);
    if (strchr(delimiters, '-') && config_bool(P_OWNER_REQUEST_SPECIAL)
        && (strncmp(local, "owner-", 6) == 0
            || (len > 8 && STREQ(local + len - 8, "-request"))))
        return (0);
    cut = strcspn(local, delimiters);
    if (cut == 0 || local[cut] == 0)
        return (0);
    local[cut] = 0;
    return (local + cut + 1);
}

void    local_recipient_parse(LOCAL_RCPT *rcpt, const char *address, const char *orig)
{
    char   *lower = mem_strdup(address);
    char   *at, *extension;

    for (char *cp = lower; *cp; cp++)
        if (*cp >= 'A' && *cp <= 'Z')
            *cp = (char) (*cp - 'A' + 'a');
    rcpt->address = address;
    rcpt->orig = (orig && *orig) ? orig : address;
    if ((at = strrchr(lower, '@')) != 0) {
        *at = 0;
        rcpt->domain = mem_strdup(at + 1);
    } else {
        rcpt->domain = mem_strdup("");
    }
    rcpt->local = lower;
    rcpt->user = mem_strdup(lower);
    rcpt->extension = 0;
    extension = local_recipient_split(rcpt->user, config_str(P_RECIPIENT_DELIMITER));
    if (extension && strchr(extension, '/')) {
        msg_warn("address with illegal extension: %s", address);
    } else if (extension) {
        rcpt->extension = mem_strdup(extension);
    }
}

void    local_recipient_free(LOCAL_RCPT *rcpt)
{
    mem_free(rcpt->local);
    mem_free(rcpt->domain);
    mem_free(rcpt->user);
    mem_free(rcpt->extension);
    memset(rcpt, 0, sizeof(*rcpt));
}

static void local_recipient_user(LOCAL_USER *user, const struct passwd *pw)
{
    user->name = mem_strdup(pw->pw_name);
    user->uid = pw->pw_uid;
    user->gid = pw->pw_gid;
    user->home = mem_strdup(pw->pw_dir ? pw->pw_dir : "/");
    user->shell = mem_strdup(pw->pw_shell && *pw->pw_shell ? pw->pw_shell : "/bin/sh");
}

void    local_recipient_user_free(LOCAL_USER *user)
{
    mem_free(user->name);
    mem_free(user->home);
    mem_free(user->shell);
    memset(user, 0, sizeof(*user));
}

void    local_recipient_target_free(LOCAL_TARGET *target)
{
    mem_free(target->path);
    local_recipient_user_free(&target->user);
    local_recipient_user_free(&target->rights);
    memset(target, 0, sizeof(*target));
}

/*
 * local_recipient_account - the account of name for rights: 0, or -1
 * with the result set (deferred: a name that must exist does not).
 */
int     local_recipient_account(const char *name, LOCAL_USER *user, LOCAL_RESULT *result)
{
    struct passwd *pw;

    if ((pw = getpwnam(name)) == 0) {
        local_result_set(result, "4.3.5", "local configuration error: account \"%s\" "
                         "does not exist", name);
        return (-1);
    }
    local_recipient_user(user, pw);
    return (0);
}

/* local_recipient_lookup_failed - getpwnam() failed, not "no such user". */

static int local_recipient_lookup_failed(int err)
{
    return (err != 0 && err != ENOENT && err != ESRCH && err != EBADF
            && err != EPERM);
}

/* local_recipient_unknown - no account: bounce, or discard a required alias. */

static void local_recipient_unknown(const LOCAL_RCPT *rcpt, LOCAL_RESULT *result)
{
    if (STREQ(rcpt->local, "postmaster") || STREQ(rcpt->local, "mailer-daemon")) {
        msg_warn("required alias not found: %s", rcpt->local);
        local_result_set(result, "2.0.0", "discarded");
        return;
    }
    local_result_set(result, "5.1.1", "unknown user: \"%s\"", rcpt->local);
}

/*
 * local_recipient_rights - whose rights the delivery uses: the user's,
 * except that a command for root runs as default_privs. 0 or -1.
 */
static int local_recipient_rights(LOCAL_TARGET *target, LOCAL_RESULT *result)
{
    const char *name = config_str(P_DEFAULT_PRIVS);
    const LOCAL_USER *user = &target->user;
    struct passwd *pw;

    if (target->kind != LOCAL_TARGET_COMMAND || user->uid != 0 || geteuid() != 0) {
        target->rights.name = mem_strdup(user->name);
        target->rights.uid = user->uid;
        target->rights.gid = user->gid;
        target->rights.home = mem_strdup(user->home);
        target->rights.shell = mem_strdup(user->shell);
        return (0);
    }
    if ((pw = getpwnam(name)) == 0 || pw->pw_uid == 0 || pw->pw_gid == 0) {
        msg_warn("default_privs account \"%s\" %s", name,
                 pw ? "has root privileges" : "does not exist");
        local_result_set(result, "4.3.5", "local configuration error: "
                         "default_privs account \"%s\" unusable", name);
        return (-1);
    }
    local_recipient_user(&target->rights, pw);
    return (0);
}

/* local_recipient_place - the mailbox of an account. */

static void local_recipient_place(LOCAL_TARGET *target)
{
    const char *home_mailbox = config_str(P_HOME_MAILBOX);
    const char *spool = config_str(P_MAIL_SPOOL_DIRECTORY);
    BUF    *path = buf_new(128);
    size_t  len;

    if (*home_mailbox) {
        buf_printf(path, "%s/%s", target->user.home, home_mailbox);
    } else if ((len = strlen(spool)) > 0 && spool[len - 1] == '/') {
        buf_printf(path, "%s%s/", spool, target->user.name);
    } else {
        buf_printf(path, "%s/%s", spool, target->user.name);
        target->in_spool = 1;
    }
    target->kind = path->data[path->len - 1] == '/' ?
        LOCAL_TARGET_MAILDIR : LOCAL_TARGET_MBOX;
    target->path = buf_export(&path);
}

int     local_recipient_resolve(const LOCAL_MESSAGE *msg, const LOCAL_RCPT *rcpt,
                                LOCAL_TARGET *target, LOCAL_RESULT *result)
{
    const char *command = config_str(P_MAILBOX_COMMAND);
    struct passwd *pw;

    memset(target, 0, sizeof(*target));
    if (local_message_looping(msg, rcpt->address)) {
        local_result_set(result, "5.4.6", "mail forwarding loop for %s",
                         rcpt->address);
        return (0);
    }
    if (*rcpt->user == 0) {
        local_result_set(result, "5.1.3", "null username in %s", rcpt->address);
        return (0);
    }
    errno = 0;
    if ((pw = getpwnam(rcpt->user)) == 0) {
        if (local_recipient_lookup_failed(errno))
            local_result_set(result, "4.3.0", "cannot look up user \"%s\": %s",
                             rcpt->user, strerror(errno));
        else
            local_recipient_unknown(rcpt, result);
        return (0);
    }
    if (geteuid() != 0 && pw->pw_uid != geteuid()) {
        struct passwd *self = getpwuid(geteuid());

        local_result_set(result, "4.3.5", "cannot deliver as user \"%s\": the "
                         "local delivery agent runs as \"%s\", not as root",
                         pw->pw_name, self ? self->pw_name : "?");
        return (0);
    }
    local_recipient_user(&target->user, pw);
    if (*command) {
        target->kind = LOCAL_TARGET_COMMAND;
        target->path = mem_strdup(command);
    } else {
        local_recipient_place(target);
    }
    if (local_recipient_rights(target, result) < 0) {
        local_recipient_target_free(target);
        return (0);
    }
    return (1);
}
