/* NAME
 *	mem 3
 * SUMMARY
 *	memory allocation that never returns NULL
 * DESCRIPTION
 *	Thin wrappers around malloc(3) and friends. A failed allocation is
 *	fatal; a request of zero bytes still yields a unique pointer so that
 *	callers need no special case.
 */
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "msg.h"

void *mem_alloc(size_t size)
{
    void   *ptr = malloc(size ? size : 1);

    if (ptr == 0)
        msg_fatal("out of memory allocating %zu bytes", size);
    return (ptr);
}

void *mem_calloc(size_t count, size_t size)
{
    void   *ptr = calloc(count ? count : 1, size ? size : 1);

    if (ptr == 0)
        msg_fatal("out of memory allocating %zu x %zu bytes", count, size);
    return (ptr);
}

void *mem_realloc(void *ptr, size_t size)
{
    void   *result = realloc(ptr, size ? size : 1);

    if (result == 0)
        msg_fatal("out of memory reallocating %zu bytes", size);
    return (result);
}

void *mem_dup(const void *data, size_t size)
{
    void   *copy = mem_alloc(size);

    if (size)
        memcpy(copy, data, size);
    return (copy);
}

char *mem_strdup(const char *str)
{
    return (mem_dup(str, strlen(str) + 1));
}

char *mem_strndup(const char *str, size_t len)
{
    const char *nul = memchr(str, 0, len);
    char   *copy;

    if (nul)
        len = (size_t) (nul - str);
    copy = mem_alloc(len + 1);
    memcpy(copy, str, len);
    copy[len] = 0;
    return (copy);
}

void mem_free(void *ptr)
{
    free(ptr);
}
