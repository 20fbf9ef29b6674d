/* NAME
 *	maps 3
 * SUMMARY
 *	a list of lookup tables
 * DESCRIPTION
 *	See maps(3h).
 */
#include <ctype.h>
#include <string.h>

#include "dict.h"
#include "htable.h"
#include "maps.h"
#include "mem.h"
#include "msg.h"
#include "strv.h"

struct MAPS {
    char   *title;
    DICT  **dicts;
    size_t  count;
    int     error;
};

/* maps_split - table names: commas and whitespace outside braces */

static STRV *maps_split(const char *names)
{
    STRV   *list = strv_new();
    const char *cp = names;
    const char *start;
    int     depth;

    while (*cp) {
        if (*cp == ',' || isspace((unsigned char) *cp)) {
            cp++;
            continue;
        }
        for (start = cp, depth = 0; *cp; cp++) {
            if (*cp == '{')
                depth++;
            else if (*cp == '}' && depth > 0)
                depth--;
            else if (depth == 0 && (*cp == ',' || isspace((unsigned char) *cp)))
                break;
        }
        strv_addn(list, start, (size_t) (cp - start));
    }
    return list;
}

MAPS   *maps_create(const char *title, const char *map_names, int dict_flags)
{
    MAPS   *maps = mem_calloc(1, sizeof(*maps));
    STRV   *names = maps_split(map_names ? map_names : "");
    size_t  i;

    maps->title = mem_strdup(title);
    maps->dicts = mem_calloc(names->argc + 1, sizeof(*maps->dicts));
    for (i = 0; i < names->argc; i++)
        maps->dicts[maps->count++] = dict_open(names->argv[i], dict_flags);
    strv_free(&names);
    return maps;
}

const char *maps_find(MAPS *maps, const char *key, int flags)
{
    const char *value;
    size_t  i;
    int     status;

    maps->error = 0;
    if (*key == 0)
        return NULL;
    for (i = 0; i < maps->count; i++) {
        if ((flags & MAPS_FIND_FIXED)
            && (dict_flags(maps->dicts[i]) & DICT_FLAG_PATTERN))
            continue;
        status = dict_lookup(maps->dicts[i], key, &value);
        if (status == DICT_FOUND)
            return value;
        if (status == DICT_ERROR) {
            msg_warn("%s: %s: table lookup problem", maps->title,
                     dict_name(maps->dicts[i]));
            maps->error = 1;
            return NULL;
        }
    }
    return NULL;
}

int     maps_error(const MAPS *maps)
{
    return maps->error;
}

void    maps_set_error(MAPS *maps, int error)
{
    maps->error = error;
}

const char *maps_title(const MAPS *maps)
{
    return maps->title;
}

void    maps_free(MAPS **mapsp)
{
    MAPS   *maps = *mapsp;
    size_t  i;

    if (maps == NULL)
        return;
    *mapsp = NULL;
    for (i = 0; i < maps->count; i++)
        (void) dict_close(&maps->dicts[i]);
    mem_free(maps->dicts);
    mem_free(maps->title);
    mem_free(maps);
}

 /*
  * Tables named in domain lists (mydestination = hash:/etc/x) stay open
  * for the life of the process, like Postfix's shared dictionaries.
  */
static HTABLE *maps_tables;

int     maps_table_match(const char *table, const char *key, void *context)
{
    DICT   *dict;
    const char *value;

    (void) context;
    if (maps_tables == NULL)
        maps_tables = htable_new(8);
    if ((dict = htable_find(maps_tables, table)) == NULL) {
        dict = dict_open(table, DICT_FLAG_FOLD_FIX);
        htable_enter(maps_tables, table, dict);
    }
    switch (dict_lookup(dict, key, &value)) {
    case DICT_FOUND:
        return 1;
    case DICT_NOTFOUND:
        return 0;
    default:
        return -1;
    }
}
