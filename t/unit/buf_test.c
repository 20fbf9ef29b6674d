/* NAME
 *	buf_test 1
 * SUMMARY
 *	unit tests for buf(3)
 * DESCRIPTION
 *	Each row runs a short script of operations on a fresh BUF and
 *	compares the result: the bytes (shown with NUL as "\0" and a run of
 *	more than eight equal bytes as "<c*N>"), the length, and the
 *	invariants (a NUL after the data, capacity above length). The last
 *	rows export the storage and check it outlives the BUF.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "harness.h"
#include "mem.h"

typedef enum BUF_OP_CODE {
    OP_END,                             /* end of script */
    OP_PUTS,                            /* buf_puts(b, str) */
    OP_APPEND,                          /* buf_append(b, str, num) */
    OP_PUTC,                            /* buf_putc(b, num) */
    OP_REPEAT,                          /* buf_putc(b, *str), num times */
    OP_PRINTF_S,                        /* buf_printf(b, str, arg) */
    OP_PRINTF_PAD,                      /* buf_printf(b, "%*s", num, arg) */
    OP_PRINTF_D,                        /* buf_printf(b, str, num) */
    OP_TRUNCATE,                        /* buf_truncate(b, num) */
    OP_RESET,                           /* buf_reset(b) */
    OP_SET,                             /* buf_set(b, str) */
    OP_RESERVE,                         /* buf_reserve(b, num) */
} BUF_OP_CODE;

typedef struct BUF_OP {
    BUF_OP_CODE code;
    const char *str;
    const char *arg;
    long    num;
} BUF_OP;

typedef struct BUF_ROW {
    const char *label;
    size_t  hint;                       /* buf_new() argument */
    BUF_OP  ops[8];                     /* input */
    const char *want;                   /* visible form of the bytes */
    long    want_len;
    const char *want_log;
} BUF_ROW;

#define END             {OP_END, 0, 0, 0}
#define PUTS(s)         {OP_PUTS, (s), 0, 0}
#define APPEND(s, n)    {OP_APPEND, (s), 0, (n)}
#define PUTC(c)         {OP_PUTC, 0, 0, (c)}
#define REPEAT(s, n)    {OP_REPEAT, (s), 0, (n)}
#define PRINTF_S(f, a)  {OP_PRINTF_S, (f), (a), 0}
#define PRINTF_PAD(w, a) {OP_PRINTF_PAD, 0, (a), (w)}
#define PRINTF_D(f, n)  {OP_PRINTF_D, (f), 0, (n)}
#define TRUNCATE(n)     {OP_TRUNCATE, 0, 0, (n)}
#define RESET           {OP_RESET, 0, 0, 0}
#define SET(s)          {OP_SET, (s), 0, 0}
#define RESERVE(n)      {OP_RESERVE, 0, 0, (n)}

static const BUF_ROW buf_rows[] = {
    {"empty", 0, {END}, "", 0, 0},
    {"puts", 0, {PUTS("hello"), PUTS(", world")}, "hello, world", 12, 0},
    {"puts empty string", 0, {PUTS("a"), PUTS("")}, "a", 1, 0},
    {"append with NULs", 0, {APPEND("a\0b", 3), APPEND("\0\0", 2)}, "a\\0b\\0\\0", 5, 0},
    {"append zero bytes", 0, {APPEND("xyz", 0)}, "", 0, 0},
    {"putc NUL", 0, {PUTC('x'), PUTC(0), PUTC('y')}, "x\\0y", 3, 0},
    {"putc high byte", 0, {PUTC(0xff)}, "\xff", 1, 0},
    {"growth by putc from tiny hint", 1, {REPEAT("x", 1000)}, "<x*1000>", 1000, 0},
    {"growth by append", 16,
        {PUTS("0123456789abcdef"), PUTS("0123456789abcdef"), PUTS("0123456789abcdef")},
    "0123456789abcdef0123456789abcdef0123456789abcdef", 48, 0},
    {"printf fits", 0, {PRINTF_S("<%s>", "abc")}, "<abc>", 5, 0},
    {"printf int", 0, {PUTS("n="), PRINTF_D("%ld", -42)}, "n=-42", 5, 0},
    {"printf grows", 0, {PUTS("ab"), PRINTF_PAD(5000, "z")}, "ab<\\x20*4999>z", 5002, 0},
    {"printf exactly fills", 16, {PRINTF_PAD(16, "q")}, "<\\x20*15>q", 16, 0},
    {"printf one byte too many", 0, {PRINTF_PAD(16, "q")}, "<\\x20*15>q", 16, 0},
    {"printf after NUL", 0, {APPEND("a\0", 2), PRINTF_S("%s!", "b")}, "a\\0b!", 4, 0},
    {"printf empty result", 0, {PUTS("x"), PRINTF_S("%s", "")}, "x", 1, 0},
    {"truncate shorter", 0, {PUTS("abcdef"), TRUNCATE(3)}, "abc", 3, 0},
    {"truncate to zero", 0, {PUTS("abcdef"), TRUNCATE(0)}, "", 0, 0},
    {"truncate longer is a no-op", 0, {PUTS("abc"), TRUNCATE(10)}, "abc", 3, 0},
    {"truncate then append", 0, {PUTS("abcdef"), TRUNCATE(2), PUTS("XY")}, "abXY", 4, 0},
    {"reset", 0, {PUTS("abc"), RESET, PUTS("d")}, "d", 1, 0},
    {"set", 0, {PUTS("abc"), SET("xy")}, "xy", 2, 0},
    {"reserve keeps data", 0, {PUTS("abc"), RESERVE(100000)}, "abc", 3, 0},
};

/* buf_test_visible - show bytes as text: NUL as "\0", long runs as <c*N>. */

static void buf_test_visible(const char *data, size_t len, BUF *out)
{
    size_t  i = 0, run;

    buf_reset(out);
    while (i < len) {
        for (run = 1; i + run < len && data[i + run] == data[i]; run++)
             /* void */ ;
        if (run > 8) {
            if (data[i] == ' ')
                buf_printf(out, "<\\x20*%zu>", run);
            else if (data[i] == 0)
                buf_printf(out, "<\\0*%zu>", run);
            else
                buf_printf(out, "<%c*%zu>", data[i], run);
            i += run;
            continue;
        }
        if (data[i] == 0)
            buf_puts(out, "\\0");
        else
            buf_putc(out, data[i]);
        i++;
    }
}

static void buf_test_run(BUF *b, const BUF_OP *op)
{
    for (; op->code != OP_END; op++) {
        switch (op->code) {
        case OP_PUTS:
            buf_puts(b, op->str);
            break;
        case OP_APPEND:
            buf_append(b, op->str, (size_t) op->num);
            break;
        case OP_PUTC:
            buf_putc(b, (int) op->num);
            break;
        case OP_REPEAT:
            for (long n = 0; n < op->num; n++)
                buf_putc(b, *op->str);
            break;
        case OP_PRINTF_S:
            buf_printf(b, op->str, op->arg);
            break;
        case OP_PRINTF_PAD:
            buf_printf(b, "%*s", (int) op->num, op->arg);
            break;
        case OP_PRINTF_D:
            buf_printf(b, op->str, op->num);
            break;
        case OP_TRUNCATE:
            buf_truncate(b, (size_t) op->num);
            break;
        case OP_RESET:
            buf_reset(b);
            break;
        case OP_SET:
            buf_set(b, op->str);
            break;
        case OP_RESERVE:
            buf_reserve(b, (size_t) op->num);
            break;
        case OP_END:
            break;
        }
    }
}

/* buf_test_export - buf_export() hands over the data and clears the BUF. */

static void buf_test_export(void)
{
    BUF    *b = buf_new(4);
    char   *data;

    buf_puts(b, "exported ");
    buf_printf(b, "%d", 123);
    data = buf_export(&b);
    harness_check(b == 0, "export clears the pointer", "b=%p", (void *) b);
    harness_streq("export keeps the data", data, "exported 123");
    mem_free(data);

    b = buf_new(0);
    data = buf_export(&b);
    harness_streq("export of an empty BUF", data, "");
    mem_free(data);
    buf_free(&b);
    harness_check(b == 0, "free of a NULL BUF is harmless", "b=%p", (void *) b);
    harness_log_check("export logs nothing", 0);
}

int     main(void)
{
    BUF    *shown;
    char    label[256];

    harness_init("buf_test");
    shown = buf_new(64);
    for (size_t i = 0; i < sizeof(buf_rows) / sizeof(buf_rows[0]); i++) {
        const BUF_ROW *row = buf_rows + i;
        BUF    *b = buf_new(row->hint);

        buf_test_run(b, row->ops);
        buf_test_visible(b->data, b->len, shown);
        snprintf(label, sizeof(label), "%s: data", row->label);
        harness_streq(label, shown->data, row->want);
        snprintf(label, sizeof(label), "%s: length", row->label);
        harness_inteq(label, (long) BUF_LEN(b), row->want_len);
        snprintf(label, sizeof(label), "%s: invariants", row->label);
        harness_check(b->cap > b->len && b->data[b->len] == 0, label,
                      "len %zu cap %zu", b->len, b->cap);
        snprintf(label, sizeof(label), "%s: log", row->label);
        harness_log_check(label, row->want_log);
        buf_free(&b);
    }
    buf_test_export();
    buf_free(&shown);
    return (harness_done());
}
