/* NAME
 *	harness 3h
 * SUMMARY
 *	table-driven unit test support
 * DESCRIPTION
 *	A test program is a set of tables and a loop over their rows. The
 *	harness captures every log line (nothing reaches stderr), turns
 *	msg_fatal() and msg_panic() into a recoverable failure inside
 *	HARNESS_CATCH, and counts results. harness_log_check() compares the
 *	lines a row logged with what the row expected, so an unexpected
 *	warning fails the row. harness_done() prints "N passed, N failed"
 *	and returns the exit status.
 */
#ifndef HARNESS_H
#define HARNESS_H

#include <setjmp.h>

extern jmp_buf *harness_jmp;

/* Evaluates to 1 when stmt ended in msg_fatal()/msg_panic(), else 0. */
#define HARNESS_CATCH(stmt) __extension__ ({ \
        jmp_buf _jb; volatile int _caught = 0; \
        harness_jmp = &_jb; \
        if (setjmp(_jb) == 0) { stmt; } else { _caught = 1; } \
        harness_jmp = 0; _caught; })

extern void harness_init(const char *name);
extern void harness_check(int ok, const char *label, const char *fmt,...)
            __attribute__((format(printf, 3, 4)));
extern int harness_streq(const char *label, const char *got, const char *want);
extern int harness_inteq(const char *label, long got, long want);
extern const char *harness_log(void);
extern void harness_log_reset(void);
extern int harness_log_check(const char *label, const char *want);
extern int harness_done(void);

#endif
