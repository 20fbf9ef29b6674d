/* NAME
 *	dict_static 3
 * SUMMARY
 *	static: tables that answer every key with one value
 * DESCRIPTION
 *	"static:value" finds value for every key; "static:{text with
 *	spaces}" finds the text between the braces, without the whitespace
 *	just inside them.
 */
#include <ctype.h>
#include <string.h>

#include "dict.h"
#include "mem.h"

typedef struct DICT_STATIC {
    DICT    dict;
    char   *value;
} DICT_STATIC;

static int dict_static_lookup(DICT *dict, const char *key, const char **value_r)
{
    (void) key;
    *value_r = ((DICT_STATIC *) dict)->value;
    return DICT_FOUND;
}

static int dict_static_close(DICT *dict)
{
    mem_free(((DICT_STATIC *) dict)->value);
    return 0;
}

DICT   *dict_static_open(const char *name, int flags, BUF *why)
{
    DICT_STATIC *ds;
    size_t  len = strlen(name);
    const char *start = name;
    const char *end = name + len;

    if (*name == '{') {
        if (len < 2 || name[len - 1] != '}') {
            buf_printf(why, "static:%s: missing '}'", name);
            return NULL;
        }
        for (start++, end--; start < end && isspace((unsigned char) *start); start++)
             /* void */ ;
        while (end > start && isspace((unsigned char) end[-1]))
            end--;
    }
    ds = (DICT_STATIC *) dict_alloc(sizeof(*ds), "static", name,
                             flags & ~(DICT_FLAG_CREATE | DICT_FLAG_WRITE));
    ds->value = mem_strndup(start, (size_t) (end - start));
    ds->dict.lookup = dict_static_lookup;
    ds->dict.close = dict_static_close;
    return &ds->dict;
}
