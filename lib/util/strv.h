/* NAME
 *	strv 3h
 * SUMMARY
 *	NULL-terminated vector of strings
 * DESCRIPTION
 *	A STRV owns copies of its strings. argv[argc] is always NULL, so
 *	the vector can be passed to execv(2) as is.
 */
#ifndef STRV_H
#define STRV_H

#include <stddef.h>

typedef struct STRV {
    char  **argv;
    size_t  argc;
    size_t  cap;
} STRV;

extern STRV *strv_new(void);
extern void strv_add(STRV *v, const char *str);
extern void strv_addn(STRV *v, const char *str, size_t len);
extern STRV *strv_split(const char *str, const char *delims);
extern int strv_find(const STRV *v, const char *str);
extern void strv_sort(STRV *v);
extern void strv_free(STRV **vp);

#endif
