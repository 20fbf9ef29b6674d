/* NAME
 *	harness 3
 * SUMMARY
 *	table-driven unit test support
 * DESCRIPTION
 *	Each check prints "ok N - label" or "not ok N - label: detail"
 *	(TAP style), and the last line is "name: N passed, N failed".
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "harness.h"
#include "msg.h"

jmp_buf *harness_jmp;

static const char *harness_name;
static int harness_passed;
static int harness_failed;
static BUF *harness_captured;

static void harness_capture(int level, const char *text)
{
    (void) level;
    buf_puts(harness_captured, text);
    buf_putc(harness_captured, '\n');
}

static void harness_fatal(int level)
{
    (void) level;
    if (harness_jmp)
        longjmp(*harness_jmp, 1);
    harness_check(0, "unexpected fatal error", "%s", harness_captured->data);
    harness_done();
}

void    harness_init(const char *name)
{
    harness_name = name;
    harness_captured = buf_new(1024);
    msg_init(name);
    msg_to_stderr(0);
    msg_set_capture(harness_capture);
    msg_set_fatal_hook(harness_fatal);
    setvbuf(stdout, 0, _IOLBF, 0);
}

void    harness_check(int ok, const char *label, const char *fmt,...)
{
    va_list ap;

    if (ok) {
        printf("ok %d - %s\n", harness_passed + harness_failed + 1, label);
        harness_passed++;
        return;
    }
    printf("not ok %d - %s: ", harness_passed + harness_failed + 1, label);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    harness_failed++;
}

int     harness_streq(const char *label, const char *got, const char *want)
{
    int     ok = (got == 0 && want == 0)
    || (got != 0 && want != 0 && strcmp(got, want) == 0);

    harness_check(ok, label, "got \"%s\", want \"%s\"", got ? got : "(null)",
                  want ? want : "(null)");
    return (ok);
}

int     harness_inteq(const char *label, long got, long want)
{
    harness_check(got == want, label, "got %ld, want %ld", got, want);
    return (got == want);
}

const char *harness_log(void)
{
    return (harness_captured->data);
}

void    harness_log_reset(void)
{
    buf_reset(harness_captured);
}

/*
 * harness_log_check - every captured line must be expected: want is a
 * substring that the log must contain, or NULL/"" for "nothing logged".
 */
int     harness_log_check(const char *label, const char *want)
{
    int     ok;

    if (want == 0 || *want == 0)
        ok = harness_captured->len == 0;
    else
        ok = strstr(harness_captured->data, want) != 0;
    harness_check(ok, label, "log \"%s\", want \"%s\"", harness_captured->data,
                  want ? want : "");
    harness_log_reset();
    return (ok);
}

int     harness_done(void)
{
    printf("%s: %d passed, %d failed\n", harness_name, harness_passed,
           harness_failed);
    fflush(stdout);
    buf_free(&harness_captured);
    return (harness_failed ? 1 : 0);
}
