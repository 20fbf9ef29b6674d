/* NAME
 *	msg 3
 * SUMMARY
 *	diagnostics and logging
 * DESCRIPTION
 *	The text of a line is formatted once, into a fixed buffer on the
 *	stack (no allocation, so logging works when memory is gone), and
 *	then handed to each enabled output. Over-long text is cut.
 *	Errors while writing a log line are ignored: there is nowhere left
 *	to report them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "full_io.h"

#define MSG_LINE_MAX 4096

int     msg_verbose;

static char msg_program_name[64] = "postern";
static char msg_syslog_ident[128] = "postern";
static int msg_stderr_on = 1;
static int msg_syslog_on;
static int msg_syslog_open;
static int msg_file_fd = -1;
static int msg_errors;
static MSG_CAPTURE_FN msg_capture;
static MSG_FATAL_HOOK msg_fatal_hook;

static const char *msg_level_prefix[] = {
    "", "warning: ", "error: ", "fatal: ", "panic: ",
};

static const int msg_syslog_priority[] = {
    LOG_INFO, LOG_WARNING, LOG_ERR, LOG_CRIT, LOG_CRIT,
};

void    msg_init(const char *program)
{
    const char *slash = strrchr(program, '/');

    snprintf(msg_program_name, sizeof(msg_program_name), "%s",
             slash ? slash + 1 : program);
}

const char *msg_program(void)
{
    return (msg_program_name);
}

void    msg_syslog_name(const char *name)
{
    snprintf(msg_syslog_ident, sizeof(msg_syslog_ident), "%s", name);
    if (msg_syslog_open) {
        closelog();
        msg_syslog_open = 0;
    }
}

void    msg_to_stderr(int on)
{
    msg_stderr_on = on;
}

void    msg_to_syslog(int on)
{
    msg_syslog_on = on;
}

int     msg_logfile(const char *path)
{
    int     fd = -1;

    if (path && *path) {
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0)
            return (-1);
    }
    if (msg_file_fd >= 0)
        close(msg_file_fd);
    msg_file_fd = fd;
    return (0);
}

void    msg_set_capture(MSG_CAPTURE_FN fn)
{
    msg_capture = fn;
}

void    msg_set_fatal_hook(MSG_FATAL_HOOK hook)
{
    msg_fatal_hook = hook;
}

int     msg_error_count(void)
{
    return (msg_errors);
}

static void msg_output_file(const char *text)
{
    static char host[256];
    char    line[MSG_LINE_MAX + 256];
    char    stamp[32];
    time_t  now = time((time_t *) 0);
    struct tm tm;
    int     len;
    char   *dot;

    /* The host name does not change under us; one uname per process. */
    if (host[0] == 0) {
        if (gethostname(host, sizeof(host)) < 0)
            snprintf(host, sizeof(host), "localhost");
        host[sizeof(host) - 1] = 0;
        if ((dot = strchr(host, '.')) != 0)
            *dot = 0;
    }
    localtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm);
    len = snprintf(line, sizeof(line), "%s %s %s/%s[%ld]: %s\n", stamp, host,
                   msg_syslog_ident, msg_program_name, (long) getpid(), text);
    if (len < 0)
        return;
    if ((size_t) len >= sizeof(line)) {
        len = sizeof(line) - 1;
        line[len - 1] = '\n';
    }
    (void) full_io_write(msg_file_fd, line, (size_t) len);
}

static void msg_output_syslog(int level, const char *text)
{
    static char ident[sizeof(msg_syslog_ident) + sizeof(msg_program_name) + 1];

    if (!msg_syslog_open) {
        snprintf(ident, sizeof(ident), "%s/%s", msg_syslog_ident,
                 msg_program_name);
        openlog(ident, LOG_PID | LOG_NDELAY, LOG_MAIL);
        msg_syslog_open = 1;
    }
    syslog(msg_syslog_priority[level], "%s", text);
}

void    msg_vprintf(int level, const char *fmt, va_list ap)
{
    char    text[MSG_LINE_MAX];
    char    line[MSG_LINE_MAX + 80];
    size_t  prefix_len;
    int     saved_errno = errno;
    int     len;

    prefix_len = strlen(msg_level_prefix[level]);
    memcpy(text, msg_level_prefix[level], prefix_len);
    errno = saved_errno;                /* keep %m working */
    vsnprintf(text + prefix_len, sizeof(text) - prefix_len, fmt, ap);

    if (msg_capture)
        msg_capture(level, text);
    if (msg_stderr_on) {
        len = snprintf(line, sizeof(line), "%s: %s\n", msg_program_name, text);
        if (len > 0)
            (void) full_io_write(2, line, (size_t) len < sizeof(line) ?
                             (size_t) len : sizeof(line) - 1);
    }
    if (msg_file_fd >= 0)
        msg_output_file(text);
    else if (msg_syslog_on)
        msg_output_syslog(level, text);
    errno = saved_errno;
}

#define MSG_EMIT(level) do { \
        va_list ap; \
        va_start(ap, fmt); \
        msg_vprintf((level), fmt, ap); \
        va_end(ap); \
    } while (0)

void    msg_info(const char *fmt,...)
{
    MSG_EMIT(MSG_INFO);
}

void    msg_warn(const char *fmt,...)
{
    MSG_EMIT(MSG_WARN);
}

void    msg_error(const char *fmt,...)
{
    msg_errors++;
    MSG_EMIT(MSG_ERROR);
}

static void msg_vfatal(int status, const char *fmt, va_list ap)
            __attribute__((noreturn));

static void msg_vfatal(int status, const char *fmt, va_list ap)
{
    static int reentered;

    /* A fatal error while logging a fatal error must not recurse. */
    if (reentered++ == 0)
        msg_vprintf(MSG_FATAL, fmt, ap);
    reentered = 0;
    if (msg_fatal_hook)
        msg_fatal_hook(MSG_FATAL);
    exit(status);
}

void    msg_fatal_status(int status, const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    msg_vfatal(status, fmt, ap);
    va_end(ap);
}

void    msg_fatal(const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    msg_vfatal(1, fmt, ap);
    va_end(ap);
}

void    msg_panic(const char *fmt,...)
{
    MSG_EMIT(MSG_PANIC);
    if (msg_fatal_hook)
        msg_fatal_hook(MSG_PANIC);
    abort();
}
