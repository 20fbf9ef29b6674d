/* NAME
 *	msg 3h
 * SUMMARY
 *	diagnostics and logging
 * DESCRIPTION
 *	One call per severity. Each means one thing:
 *	msg_info: a normal event worth a log line;
 *	msg_warn: something is wrong but work goes on;
 *	msg_error: like msg_warn, counted (a check that reports every error
 *	before giving up reads msg_error_count());
 *	msg_fatal: the environment is wrong (bad configuration, missing
 *	file, out of memory): the process exits with status 1;
 *	msg_panic: a bug: the process aborts.
 *
 *	Lines go to any combination of outputs:
 *	stderr, as "program: warning: text" (commands, and daemons run by
 *	hand); the file named by msg_logfile(), as
 *	"Mon DD HH:MM:SS host syslog_name/program[pid]: warning: text", one
 *	write(2) per line on an O_APPEND descriptor so concurrent writers
 *	never interleave; or syslog(3), facility mail, ident
 *	"syslog_name/program".
 *
 *	Tests install a capture function that sees every line and a fatal
 *	hook that may longjmp instead of exiting.
 */
#ifndef MSG_H
#define MSG_H

#include <stdarg.h>

#define MSG_INFO    0
#define MSG_WARN    1
#define MSG_ERROR   2
#define MSG_FATAL   3
#define MSG_PANIC   4

typedef void (*MSG_CAPTURE_FN) (int level, const char *text);
typedef void (*MSG_FATAL_HOOK) (int level);

extern int msg_verbose;

extern void msg_init(const char *program);
extern const char *msg_program(void);
extern void msg_syslog_name(const char *name);
extern void msg_to_stderr(int on);
extern void msg_to_syslog(int on);
extern int msg_logfile(const char *path);
extern void msg_set_capture(MSG_CAPTURE_FN fn);
extern void msg_set_fatal_hook(MSG_FATAL_HOOK hook);
extern int msg_error_count(void);

extern void msg_info(const char *fmt,...) __attribute__((format(printf, 1, 2)));
extern void msg_warn(const char *fmt,...) __attribute__((format(printf, 1, 2)));
extern void msg_error(const char *fmt,...) __attribute__((format(printf, 1, 2)));
extern void msg_fatal(const char *fmt,...)
            __attribute__((format(printf, 1, 2), noreturn));
extern void msg_fatal_status(int status, const char *fmt,...)
            __attribute__((format(printf, 2, 3), noreturn));
extern void msg_panic(const char *fmt,...)
            __attribute__((format(printf, 1, 2), noreturn));
extern void msg_vprintf(int level, const char *fmt, va_list ap);

#endif
