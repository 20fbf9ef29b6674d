/* NAME
 *	buf 3
 * SUMMARY
 *	growable byte string
 * DESCRIPTION
 *	Storage doubles when it runs out, so a sequence of appends costs
 *	amortised linear time.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "mem.h"
#include "msg.h"

BUF    *buf_new(size_t hint)
{
    BUF    *b = mem_alloc(sizeof(*b));

    b->cap = hint < 16 ? 16 : hint + 1;
    b->data = mem_alloc(b->cap);
    b->data[0] = 0;
    b->len = 0;
    return (b);
}

void    buf_free(BUF **bp)
{
    if (*bp) {
        mem_free((*bp)->data);
        mem_free(*bp);
        *bp = 0;
    }
}

void    buf_reset(BUF *b)
{
    b->len = 0;
    b->data[0] = 0;
}

void    buf_reserve(BUF *b, size_t extra)
{
    size_t  need;

    if (extra > ((size_t) -1) / 2 - b->len)
        msg_panic("buf_reserve: unreasonable size %zu", extra);
    need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    while (b->cap < need)
        b->cap *= 2;
    b->data = mem_realloc(b->data, b->cap);
}

void    buf_append(BUF *b, const void *data, size_t len)
{
    buf_reserve(b, len);
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = 0;
}

void    buf_puts(BUF *b, const char *str)
{
    buf_append(b, str, strlen(str));
}

void    buf_putc(BUF *b, int ch)
{
    buf_reserve(b, 1);
    b->data[b->len++] = (char) ch;
    b->data[b->len] = 0;
}

void    buf_vprintf(BUF *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int     n;

    va_copy(ap2, ap);
    n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        msg_panic("buf_vprintf: bad format \"%s\"", fmt);
    if ((size_t) n >= b->cap - b->len) {
        buf_reserve(b, (size_t) n);
        n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
    }
    b->len += (size_t) n;
}

void    buf_printf(BUF *b, const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void    buf_truncate(BUF *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->data[len] = 0;
    }
}

void    buf_set(BUF *b, const char *str)
{
    buf_reset(b);
    buf_puts(b, str);
}

char   *buf_export(BUF **bp)
{
    char   *data = (*bp)->data;

    mem_free(*bp);
    *bp = 0;
    return (data);
}
