/* NAME
 *	dict_inline 3
 * SUMMARY
 *	inline: tables written in the table name
 * DESCRIPTION
 *	"inline:{ key=value, { key = text with spaces } }": the entries are
 *	separated by commas or whitespace; an entry in braces may have
 *	spaces in its value (whitespace around "=" is dropped). Keys are
 *	folded to lower case with DICT_FLAG_FOLD_FIX. A duplicate key
 *	keeps the first value. Bad syntax makes the open fail.
 */
#include <ctype.h>
#include <string.h>

#include "dict.h"
#include "htable.h"
#include "mem.h"
#include "msg.h"

typedef struct DICT_INLINE {
    DICT    dict;
    HTABLE *table;
    STRV   *keys;
    size_t  next;
} DICT_INLINE;

static int dict_inline_lookup(DICT *dict, const char *key, const char **value_r)
{
    DICT_INLINE *di = (DICT_INLINE *) dict;

    return (*value_r = htable_find(di->table, key)) ? DICT_FOUND : DICT_NOTFOUND;
}

static int dict_inline_sequence(DICT *dict, int first, const char **key_r,
                                        const char **value_r)
{
    DICT_INLINE *di = (DICT_INLINE *) dict;

    if (first) {
        strv_free(&di->keys);
        di->keys = htable_keys(di->table);
        di->next = 0;
    }
    if (di->keys == NULL || di->next >= di->keys->argc)
        return 0;
    *key_r = di->keys->argv[di->next++];
    *value_r = htable_find(di->table, *key_r);
    return 1;
}

static int dict_inline_close(DICT *dict)
{
    DICT_INLINE *di = (DICT_INLINE *) dict;

    htable_free(&di->table, mem_free);
    strv_free(&di->keys);
    return 0;
}

/* dict_inline_trim - the text between start and end without outer space */

static char *dict_inline_trim(const char *start, const char *end)
{
    while (start < end && isspace((unsigned char) *start))
        start++;
    while (end > start && isspace((unsigned char) end[-1]))
        end--;
    return mem_strndup(start, (size_t) (end - start));
}

/* dict_inline_item - add "key=value" */

static int dict_inline_item(DICT_INLINE *di, const char *start, const char *end,
                                    BUF *why)
{
    const char *eq = memchr(start, '=', (size_t) (end - start));
    char   *key;
    char   *cp;

    if (eq == NULL) {
        buf_printf(why, "inline:%s: expected name=value, not \"%.*s\"",
                   di->dict.name, (int) (end - start), start);
        return -1;
    }
    key = dict_inline_trim(start, eq);
    if (*key == 0) {
        buf_printf(why, "inline:%s: empty key in \"%.*s\"",
                   di->dict.name, (int) (end - start), start);
        mem_free(key);
        return -1;
    }
    if (di->dict.flags & DICT_FLAG_FOLD_FIX)
        for (cp = key; *cp; cp++)
            *cp = (char) tolower((unsigned char) *cp);
    if (!htable_has(di->table, key))
        htable_enter(di->table, key, dict_inline_trim(eq + 1, end));
    mem_free(key);
    return 0;
}

/* dict_inline_parse - the entries between the outer braces */

static int dict_inline_parse(DICT_INLINE *di, const char *cp, const char *end,
                                     BUF *why)
{
    const char *start;
    int     depth;

    while (cp < end) {
        if (isspace((unsigned char) *cp) || *cp == ',') {
            cp++;
        } else if (*cp == '{') {
            start = ++cp;
            for (depth = 1; cp < end; cp++) {
                if (*cp == '{')
                    depth++;
                else if (*cp == '}' && --depth == 0)
                    break;
            }
            if (cp >= end) {
                buf_printf(why, "inline:%s: missing '}'", di->dict.name);
                return -1;
            }
            if (dict_inline_item(di, start, cp, why) < 0)
                return -1;
            cp++;
        } else {
            for (start = cp; cp < end && !isspace((unsigned char) *cp)
                 && *cp != ','; cp++)
                 /* void */ ;
            if (dict_inline_item(di, start, cp, why) < 0)
                return -1;
        }
    }
    return 0;
}

DICT   *dict_inline_open(const char *name, int flags, BUF *why)
{
    DICT_INLINE *di;
    size_t  len = strlen(name);

    if (len < 2 || name[0] != '{' || name[len - 1] != '}') {
        buf_printf(why, "inline:%s: need \"inline:{name=value...}\"", name);
        return NULL;
    }
    di = (DICT_INLINE *) dict_alloc(sizeof(*di), "inline", name,
                             flags & ~(DICT_FLAG_CREATE | DICT_FLAG_WRITE));
    di->table = htable_new(16);
    di->dict.lookup = dict_inline_lookup;
    di->dict.sequence = dict_inline_sequence;
    di->dict.close = dict_inline_close;
    if (dict_inline_parse(di, name + 1, name + len - 1, why) < 0) {
        dict_close((DICT **) &di);
        return NULL;
    }
    return &di->dict;
}
