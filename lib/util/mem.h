/* NAME
 *	mem 3h
 * SUMMARY
 *	memory allocation that never returns NULL
 * DESCRIPTION
 *	Every allocation in Postern goes through these wrappers. Running out
 *	of memory is an environment failure: the process logs a fatal error
 *	and exits, so callers never test for NULL.
 */
#ifndef MEM_H
#define MEM_H

#include <stddef.h>

extern void *mem_alloc(size_t size);
extern void *mem_calloc(size_t count, size_t size);
extern void *mem_realloc(void *ptr, size_t size);
extern void *mem_dup(const void *data, size_t size);
extern char *mem_strdup(const char *str);
extern char *mem_strndup(const char *str, size_t len);
extern void mem_free(void *ptr);

#endif
