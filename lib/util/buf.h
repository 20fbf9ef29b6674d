/* NAME
 *	buf 3h
 * SUMMARY
 *	growable byte string
 * DESCRIPTION
 *	A BUF holds arbitrary bytes (NULs included) and keeps a terminating
 *	NUL after them, so its data can also be used as a C string when it
 *	holds text. Appends grow the storage; nothing is ever truncated
 *	silently.
 */
#ifndef BUF_H
#define BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct BUF {
    char   *data;                       /* always NUL-terminated */
    size_t  len;                        /* bytes used, excluding the NUL */
    size_t  cap;                        /* bytes allocated, including the NUL */
} BUF;

#define BUF_STR(b)  ((b)->data)
#define BUF_LEN(b)  ((b)->len)

extern BUF *buf_new(size_t hint);
extern void buf_free(BUF **bp);
extern void buf_reset(BUF *b);
extern void buf_reserve(BUF *b, size_t extra);
extern void buf_append(BUF *b, const void *data, size_t len);
extern void buf_puts(BUF *b, const char *str);
extern void buf_putc(BUF *b, int ch);
extern void buf_printf(BUF *b, const char *fmt,...)
            __attribute__((format(printf, 2, 3)));
extern void buf_vprintf(BUF *b, const char *fmt, va_list ap);
extern void buf_truncate(BUF *b, size_t len);
extern void buf_set(BUF *b, const char *str);
extern char *buf_export(BUF **bp);

#endif
