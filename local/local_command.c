/* NAME
 *	local_command 3
 * SUMMARY
 *	delivery to mailbox_command
 * DESCRIPTION
 *	Runs in the delivery child, which already has the rights of the
 *	recipient (default_privs for root). The command runs under
 *	local_command_shell ("/bin/sh -c" when empty) in a process group
 *	of its own, with the message on standard input: a From_ line and
 *	the envelope headers first, no quoting, no blank line at the end,
 *	as Postfix does. Its standard output and standard error are
 *	captured (the first LOCAL_COMMAND_OUTPUT_MAX bytes) while the
 *	message is fed, so a talkative command cannot deadlock us. The
 *	whole run is limited to command_time_limit; then the process group
 *	is killed.
 *
 *	Environment: PATH=/usr/bin:/bin, the variables named in
 *	export_environment, and Postfix's HOME, USER, LOGNAME, SHELL,
 *	SENDER, RECIPIENT, LOCAL, DOMAIN, EXTENSION, ORIGINAL_RECIPIENT,
 *	CLIENT_ADDRESS, CLIENT_HELO, CLIENT_HOSTNAME, CLIENT_PROTOCOL,
 *	SASL_METHOD, SASL_SENDER, SASL_USERNAME (when known), each value
 *	censored by command_expansion_filter: characters outside it become
 *	'_', since these values come from the network and may reach a shell.
 *	Descriptors other than 0, 1 and 2 are closed.
 *
 *	Results, as Postfix's pipe_command: exit status 0 is "delivered to
 *	command: CMD". A non-zero status whose output begins with an RFC
 *	3463 code ("4.2.2 over quota") uses that code and text. A
 *	<sysexits.h> status takes its code and text from the table below
 *	(EX_TEMPFAIL 75 and EX_OSERR 71 defer with 4.3.0, the others
 *	bounce), any other status bounces with 5.3.0 'Command died with
 *	status N: "CMD"'; a signal defers (4.3.0), the time limit bounces
 *	(5.3.0); output, when there is some, follows as ". Command output:
 *	TEXT". A command that exits without reading all its input is judged
 *	by its exit status alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "local.h"
#include "mem.h"
#include "msg.h"

#define LOCAL_COMMAND_OUTPUT_MAX    1024
#define LOCAL_COMMAND_PATH          "/usr/bin:/bin"

typedef struct LOCAL_COMMAND {
    pid_t   pid;
    int     in;                         /* its standard input */
    int     out;                        /* its output; -1 after EOF */
    BUF    *output;                     /* what we keep of it */
    long    deadline;                   /* ms, CLOCK_MONOTONIC */
    int     timed_out;
} LOCAL_COMMAND;

typedef struct LOCAL_COMMAND_EXIT {
    int     status;
    const char *dsn;
    const char *text;
} LOCAL_COMMAND_EXIT;

static const LOCAL_COMMAND_EXIT local_command_exits[] = {
    {EX_USAGE, "5.3.0", "command line usage error"},
    {EX_DATAERR, "5.6.0", "data format error"},
    {EX_NOINPUT, "5.3.0", "cannot open input"},
    {EX_NOUSER, "5.1.1", "user unknown"},
    {EX_NOHOST, "5.1.2", "host name unknown"},
    {EX_UNAVAILABLE, "5.3.0", "service unavailable"},
    {EX_SOFTWARE, "5.3.0", "internal software error"},
    {EX_OSERR, "4.3.0", "system resource problem"},
    {EX_OSFILE, "5.3.0", "critical OS file missing"},
    {EX_CANTCREAT, "5.2.0", "can't create user output file"},
    {EX_IOERR, "5.3.0", "input/output error"},
    {EX_TEMPFAIL, "4.3.0", "temporary failure"},
    {EX_PROTOCOL, "5.5.0", "remote error in protocol"},
    {EX_NOPERM, "5.7.0", "permission denied"},
    {EX_CONFIG, "5.3.5", "local configuration error"},
};

static long local_command_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ((long) ts.tv_sec * 1000L + ts.tv_nsec / 1000000L);
}

/* local_command_setenv - one variable, censored with the filter. */

static void local_command_setenv(const char *name, const char *value)
{
    const char *filter = config_str(P_COMMAND_EXPANSION_FILTER);
    char   *copy;

    if (value == 0)
        return;
    copy = mem_strdup(value);
    for (char *cp = copy; *(cp += strspn(cp, filter)) != 0; cp++)
        *cp = '_';
    if (setenv(name, copy, 1) < 0)
        msg_fatal("setenv %s: %m", name);
    mem_free(copy);
}

/* local_command_environ - in the command's process, before exec. */

static void local_command_environ(LOCAL_MESSAGE *msg, const LOCAL_RCPT *rcpt,
                                  const LOCAL_TARGET *target)
{
    static const char *client[][2] = {
        {"CLIENT_ADDRESS", "client_address"}, {"CLIENT_HELO", "helo_name"},
        {"CLIENT_HOSTNAME", "client_name"}, {"CLIENT_PROTOCOL", "protocol"},
        {"SASL_METHOD", "sasl_method"}, {"SASL_SENDER", "sasl_sender"},
        {"SASL_USERNAME", "sasl_username"},
    };
    STRV   *export = config_list(P_EXPORT_ENVIRONMENT);
    STRV   *keep = strv_new();
    const char *value;

    for (size_t i = 0; i < export->argc; i++) {
        if ((value = getenv(export->argv[i])) != 0) {
            strv_add(keep, export->argv[i]);
            strv_add(keep, value);
        }
    }
    if (clearenv() != 0)
        msg_fatal("clearenv failed");
    for (size_t i = 0; i + 1 < keep->argc; i += 2)
        if (setenv(keep->argv[i], keep->argv[i + 1], 1) < 0)
            msg_fatal("setenv: %m");
    if (setenv("PATH", LOCAL_COMMAND_PATH, 1) < 0)
        msg_fatal("setenv: %m");
    local_command_setenv("HOME", target->user.home);
    local_command_setenv("USER", rcpt->user);
    local_command_setenv("LOGNAME", rcpt->user);
    local_command_setenv("SHELL", target->user.shell);
    local_command_setenv("SENDER", msg->sender);
    local_command_setenv("RECIPIENT", rcpt->address);
    local_command_setenv("LOCAL", rcpt->local);
    local_command_setenv("ORIGINAL_RECIPIENT", rcpt->orig);
    if (*rcpt->domain)
        local_command_setenv("DOMAIN", rcpt->domain);
    local_command_setenv("EXTENSION", rcpt->extension);
    for (size_t i = 0; i < sizeof(client) / sizeof(client[0]); i++)
        local_command_setenv(client[i][0], queue_file_attr(msg->qf, client[i][1]));
    strv_free(&export);
    strv_free(&keep);
}

/* local_command_exec - the command's process: never returns. */

static void local_command_exec(LOCAL_MESSAGE *msg, const LOCAL_RCPT *rcpt,
                               const LOCAL_TARGET *target, int in, int out)
{
    const char *shell = config_str(P_LOCAL_COMMAND_SHELL);
    STRV   *argv = *shell ? strv_split(shell, " \t") : strv_split("/bin/sh -c", " ");
    sigset_t none;

    (void) setsid();                    /* a group of its own, to kill */
    if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
        _exit(EX_OSERR);
    /* master's status pipe and sockets, the queue file: none of its business. */
    if (close_range(3, ~0U, 0) < 0)
        for (int fd = 3; fd < 1024; fd++)
            (void) close(fd);
    signal(SIGPIPE, SIG_DFL);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, 0);
    local_command_environ(msg, rcpt, target);
    strv_add(argv, target->path);
    execv(argv->argv[0], argv->argv);
    dprintf(2, "cannot execute %s: %s", argv->argv[0], strerror(errno));
    _exit(EX_OSERR);
}

/* local_command_drain - read what output is there; keep the first part. */

static void local_command_drain(LOCAL_COMMAND *cmd)
{
    char    buf[4096];
    ssize_t n;

    while ((n = read(cmd->out, buf, sizeof(buf))) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                return;
            break;
        }
        if (cmd->output->len < LOCAL_COMMAND_OUTPUT_MAX)
            buf_append(cmd->output, buf, cmd->output->len + (size_t) n
                       > LOCAL_COMMAND_OUTPUT_MAX ?
                       LOCAL_COMMAND_OUTPUT_MAX - cmd->output->len : (size_t) n);
    }
    close(cmd->out);
    cmd->out = -1;
}

/*
 * local_command_wait_io - wait for output (and, with want_write, for
 * room in the input pipe) until the deadline; 0 or -1 on time-out.
 */
static int local_command_wait_io(LOCAL_COMMAND *cmd, int want_write)
{
    struct pollfd pfd[2];
    nfds_t  n = 0;
    long    left;

    if ((left = cmd->deadline - local_command_now()) <= 0) {
        cmd->timed_out = 1;
        errno = ETIMEDOUT;
        return (-1);
    }
    if (want_write) {
        pfd[n].fd = cmd->in;
        pfd[n++].events = POLLOUT;
    }
    if (cmd->out >= 0) {
        pfd[n].fd = cmd->out;
        pfd[n++].events = POLLIN;
    }
    if (n == 0)
        return (0);
    if (poll(pfd, n, (int) (left > 60000 ? 60000 : left)) > 0
        && cmd->out >= 0 && pfd[n - 1].revents)
        local_command_drain(cmd);
    return (0);
}

/* local_command_write - a LOCAL_WRITE_FN that keeps reading output. */

static int local_command_write(void *context, const char *data, size_t len)
{
    LOCAL_COMMAND *cmd = context;
    ssize_t n;

    while (len > 0) {
        if ((n = write(cmd->in, data, len)) > 0) {
            data += n;
            len -= (size_t) n;
        } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
            return (-1);
        } else if (local_command_wait_io(cmd, 1) < 0) {
            return (-1);
        }
    }
    return (0);
}

/* local_command_finish - EOF on output and the exit status, in time. */

static int local_command_finish(LOCAL_COMMAND *cmd)
{
    int     status;
    pid_t   pid;

    while (cmd->out >= 0 && local_command_wait_io(cmd, 0) == 0)
         /* void */ ;
    while ((pid = waitpid(cmd->pid, &status, WNOHANG)) == 0
           && local_command_now() < cmd->deadline)
        (void) poll(0, 0, 20);
    if (pid == cmd->pid)
        return (status);
    cmd->timed_out = 1;
    (void) kill(-cmd->pid, SIGKILL);
    (void) kill(cmd->pid, SIGKILL);
    while (waitpid(cmd->pid, &status, 0) < 0 && errno == EINTR)
         /* void */ ;
    return (status);
}

/* local_command_output - ". Command output: TEXT", printable, or "". */

static void local_command_output(const BUF *output, BUF *out)
{
    size_t  len = output->len;

    while (len > 0 && strchr(" \t\r\n", output->data[len - 1]))
        len--;
    if (len == 0)
        return;
    buf_puts(out, ". Command output: ");
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char) output->data[i];

        buf_putc(out, ch == '\n' || ch == '\t' || ch == '\r' ? ' ' :
                 ch < ' ' || ch == 127 ? '?' : ch);
    }
}

/* local_command_dsn_text - output that starts with "4.x.y " or "5.x.y ". */

static int local_command_dsn_text(const BUF *output, char *dsn, size_t size,
                                  const char **text_r)
{
    const char *cp = output->data;
    size_t  n1, n2;

    if ((cp[0] != '4' && cp[0] != '5') || cp[1] != '.')
        return (0);
    if ((n1 = strspn(cp + 2, "0123456789")) < 1 || n1 > 3 || cp[2 + n1] != '.')
        return (0);
    if ((n2 = strspn(cp + 3 + n1, "0123456789")) < 1 || n2 > 3
        || (cp[3 + n1 + n2] != ' ' && cp[3 + n1 + n2] != 0))
        return (0);
    snprintf(dsn, size, "%.*s", (int) (3 + n1 + n2), cp);
    *text_r = cp + 3 + n1 + n2 + strspn(cp + 3 + n1 + n2, " ");
    return (1);
}

static void local_command_result(const LOCAL_COMMAND *cmd, const char *command,
                                 int status, LOCAL_RESULT *result)
{
    BUF    *output = buf_new(LOCAL_COMMAND_OUTPUT_MAX + 32);
    char    dsn[16];
    const char *text;

    local_command_output(cmd->output, output);
    if (cmd->timed_out) {
        local_result_set(result, "5.3.0", "Command time limit exceeded: \"%s\"%s",
                         command, output->data);
    } else if (WIFSIGNALED(status)) {
        local_result_set(result, "4.3.0", "Command died with signal %d: \"%s\"%s",
                         WTERMSIG(status), command, output->data);
    } else if (WEXITSTATUS(status) == 0) {
        local_result_set(result, "2.0.0", "delivered to command: %s", command);
    } else if (local_command_dsn_text(cmd->output, dsn, sizeof(dsn), &text)) {
        buf_reset(output);
        buf_append(output, text, strcspn(text, "\r\n"));
        local_result_set(result, dsn, "%s", output->data);
    } else {
        for (size_t i = 0; i < sizeof(local_command_exits) / sizeof(local_command_exits[0]); i++) {
            if (local_command_exits[i].status == WEXITSTATUS(status)) {
                local_result_set(result, local_command_exits[i].dsn, "%s%s",
                                 local_command_exits[i].text, output->data);
                break;
            }
        }
        if (result->status == 0)
            local_result_set(result, "5.3.0", "Command died with status %d: \"%s\"%s",
                             WEXITSTATUS(status), command, output->data);
    }
    buf_free(&output);
}

void    local_command_deliver(LOCAL_MESSAGE *msg, const LOCAL_RCPT *rcpt,
                              const LOCAL_TARGET *target, LOCAL_RESULT *result)
{
    LOCAL_COMMAND cmd;
    int     in[2], out[2];
    int     copy_status, status;

    if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0) {
        local_result_set(result, "4.3.0", "cannot create pipe: %s", strerror(errno));
        return;
    }
    memset(&cmd, 0, sizeof(cmd));
    cmd.deadline = local_command_now() + config_time(P_COMMAND_TIME_LIMIT) * 1000L;
    if ((cmd.pid = fork()) < 0) {
        local_result_set(result, "4.3.0", "cannot fork: %s", strerror(errno));
        return;
    }
    if (cmd.pid == 0)
        local_command_exec(msg, rcpt, target, in[0], out[1]);
    close(in[0]);
    close(out[1]);
    cmd.in = in[1];
    cmd.out = out[0];
    cmd.output = buf_new(256);
    (void) fcntl(cmd.in, F_SETFL, O_NONBLOCK);
    (void) fcntl(cmd.out, F_SETFL, O_NONBLOCK);

    copy_status = local_message_copy(msg, rcpt, LOCAL_COPY_FROM_LINE,
                                     local_command_write, &cmd);
    close(cmd.in);
    if (copy_status == LOCAL_COPY_READ_ERR) {
        /* Half a message must not count as delivered. */
        local_result_copy_error(result, copy_status, "");
        (void) kill(-cmd.pid, SIGKILL);
        (void) kill(cmd.pid, SIGKILL);
    }
    status = local_command_finish(&cmd);
    if (result->status == 0)
        local_command_result(&cmd, target->path, status, result);
    if (cmd.out >= 0)
        close(cmd.out);
    buf_free(&cmd.output);
}
