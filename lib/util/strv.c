/* NAME
 *	strv 3
 * SUMMARY
 *	NULL-terminated vector of strings
 * DESCRIPTION
 *	strv_split() breaks a string at any run of delimiter characters and
 *	drops empty fields, which is how Postfix reads its list parameters
 *	("a, b c" is three elements).
 */
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "strv.h"

STRV   *strv_new(void)
{
    STRV   *v = mem_alloc(sizeof(*v));

    v->cap = 8;
    v->argc = 0;
    v->argv = mem_alloc(v->cap * sizeof(char *));
    v->argv[0] = 0;
    return (v);
}

void    strv_addn(STRV *v, const char *str, size_t len)
{
    if (v->argc + 1 >= v->cap) {
        v->cap *= 2;
        v->argv = mem_realloc(v->argv, v->cap * sizeof(char *));
    }
    v->argv[v->argc++] = mem_strndup(str, len);
    v->argv[v->argc] = 0;
}

void    strv_add(STRV *v, const char *str)
{
    strv_addn(v, str, strlen(str));
}

STRV   *strv_split(const char *str, const char *delims)
{
    STRV   *v = strv_new();
    size_t  len;

    for (;;) {
        str += strspn(str, delims);
        if (*str == 0)
            break;
        len = strcspn(str, delims);
        strv_addn(v, str, len);
        str += len;
    }
    return (v);
}

int     strv_find(const STRV *v, const char *str)
{
    for (size_t i = 0; i < v->argc; i++)
        if (strcmp(v->argv[i], str) == 0)
            return ((int) i);
    return (-1);
}

static int strv_compare(const void *a, const void *b)
{
    return (strcmp(*(char *const *) a, *(char *const *) b));
}

void    strv_sort(STRV *v)
{
    qsort(v->argv, v->argc, sizeof(char *), strv_compare);
}

void    strv_free(STRV **vp)
{
    if (*vp) {
        for (size_t i = 0; i < (*vp)->argc; i++)
            mem_free((*vp)->argv[i]);
        mem_free((*vp)->argv);
        mem_free(*vp);
        *vp = 0;
    }
}
