/* NAME
 *	dict 3
 * SUMMARY
 *	lookup tables: open by "type:name", lookup, update, close
 * DESCRIPTION
 *	The type registry, the common key handling (case folding) and the
 *	stand-in dict for a table that could not be opened. See dict(3h).
 */
#include <ctype.h>
#include <string.h>
#include <time.h>

#include "dict.h"
#include "mem.h"
#include "msg.h"

typedef struct DICT_TYPE {
    const char *type;
    DICT_OPEN_FN open;
} DICT_TYPE;

static const DICT_TYPE dict_types[] = {
    {"hash", dict_db_open_hash},
    {"btree", dict_db_open_btree},
    {"texthash", dict_texthash_open},
    {"inline", dict_inline_open},
    {"static", dict_static_open},
    {"cidr", dict_cidr_open},
    {"regexp", dict_regexp_open},
    {"pcre", dict_pcre_open},
    {"unix", dict_unix_open},
    {"fail", dict_fail_open},
    {"nis", dict_nis_open},
};

 /*
  * The stand-in for a table that could not be opened: every lookup is an
  * error with a warning, and the open is tried again now and then.
  */
typedef struct DICT_UNAVAIL {
    DICT    dict;
    char   *spec;
    char   *reason;
    DICT   *real;                       /* once the open has worked */
    int     open_flags;                 /* for the next try */
    time_t  last_try;
} DICT_UNAVAIL;

#define DICT_RETRY_SECONDS 1

/* dict_alloc - allocate a driver's dict with DICT as its first member */

DICT   *dict_alloc(size_t size, const char *type, const char *name, int flags)
{
    DICT   *dict = mem_calloc(1, size);

    dict->type = mem_strdup(type);
    dict->name = mem_strdup(name);
    dict->title = mem_alloc(strlen(type) + strlen(name) + 2);
    strcpy(dict->title, type);
    strcat(dict->title, ":");
    strcat(dict->title, name);
    dict->flags = flags;
    return dict;
}

/* dict_free - release what dict_alloc() set up */

void    dict_free(DICT *dict)
{
    mem_free(dict->type);
    mem_free(dict->name);
    mem_free(dict->title);
    buf_free(&dict->fold);
    mem_free(dict);
}

/* dict_split - split "type:name", dropping any "proxy:" prefixes */

static const char *dict_split(const char *spec, BUF *type)
{
    const char *colon;

    while (strncmp(spec, "proxy:", 6) == 0)
        spec += 6;
    if ((colon = strchr(spec, ':')) == NULL || colon == spec)
        return NULL;
    buf_reset(type);
    buf_append(type, spec, (size_t) (colon - spec));
    return colon + 1;
}

/* dict_open_r - open a table, or return NULL and the reason */

DICT   *dict_open_r(const char *spec, int flags, BUF *why)
{
    BUF    *type = buf_new(16);
    const char *name;
    DICT   *dict = NULL;
    size_t  i;

    if ((name = dict_split(spec, type)) == NULL) {
        buf_printf(why, "need dictionary type:name, not \"%s\"", spec);
    } else {
        for (i = 0; i < sizeof(dict_types) / sizeof(dict_types[0]); i++)
            if (strcmp(dict_types[i].type, BUF_STR(type)) == 0)
                break;
        if (i == sizeof(dict_types) / sizeof(dict_types[0]))
            buf_printf(why, "unsupported dictionary type: %s", BUF_STR(type));
        else
            dict = dict_types[i].open(name, flags, why);
    }
    buf_free(&type);
    return dict;
}

/* dict_unavail_retry - try to open the real table again */

static DICT *dict_unavail_retry(DICT_UNAVAIL *ud)
{
    time_t  now = time(NULL);
    BUF    *why;

    if (ud->real == NULL && now - ud->last_try >= DICT_RETRY_SECONDS) {
        ud->last_try = now;
        why = buf_new(64);
        ud->real = dict_open_r(ud->spec, ud->open_flags, why);
        if (ud->real == NULL) {
            mem_free(ud->reason);
            ud->reason = buf_export(&why);
        } else {
            buf_free(&why);
        }
    }
    return ud->real;
}

static int dict_unavail_lookup(DICT *dict, const char *key, const char **value_r)
{
    DICT_UNAVAIL *ud = (DICT_UNAVAIL *) dict;
    DICT   *real;

    if ((real = dict_unavail_retry(ud)) != NULL)
        return dict_lookup(real, key, value_r);
    msg_warn("%s is unavailable. %s", ud->spec, ud->reason);
    return DICT_ERROR;
}

static int dict_unavail_update(DICT *dict, const char *key, const char *value)
{
    DICT_UNAVAIL *ud = (DICT_UNAVAIL *) dict;
    DICT   *real;

    if ((real = dict_unavail_retry(ud)) != NULL)
        return dict_update(real, key, value);
    msg_warn("%s is unavailable. %s", ud->spec, ud->reason);
    return -1;
}

static int dict_unavail_delete(DICT *dict, const char *key)
{
    DICT_UNAVAIL *ud = (DICT_UNAVAIL *) dict;
    DICT   *real;

    if ((real = dict_unavail_retry(ud)) != NULL)
        return dict_delete(real, key);
    msg_warn("%s is unavailable. %s", ud->spec, ud->reason);
    return -1;
}

static int dict_unavail_sequence(DICT *dict, int first, const char **key_r,
                                 const char **value_r)
{
    DICT_UNAVAIL *ud = (DICT_UNAVAIL *) dict;
    DICT   *real;

    if ((real = dict_unavail_retry(ud)) != NULL)
        return dict_sequence(real, first, key_r, value_r);
    msg_warn("%s is unavailable. %s", ud->spec, ud->reason);
    return -1;
}

static int dict_unavail_close(DICT *dict)
{
    DICT_UNAVAIL *ud = (DICT_UNAVAIL *) dict;
    int     ret = 0;

    if (ud->real)
        ret = dict_close(&ud->real);
    mem_free(ud->spec);
    mem_free(ud->reason);
    return ret;
}

/* dict_open - open a table; on failure a dict whose lookups fail */

DICT   *dict_open(const char *spec, int flags)
{
    BUF    *why = buf_new(64);
    BUF    *type = buf_new(16);
    const char *name;
    DICT_UNAVAIL *ud;
    DICT   *dict;

    if ((dict = dict_open_r(spec, flags, why)) != NULL) {
        buf_free(&why);
        buf_free(&type);
        return dict;
    }
    msg_warn("%s is unavailable. %s", spec, BUF_STR(why));
    if ((name = dict_split(spec, type)) == NULL) {
        buf_set(type, "unknown");
        name = spec;
    }
    /* The real table folds keys itself, once it opens. */
    ud = (DICT_UNAVAIL *) dict_alloc(sizeof(*ud), BUF_STR(type), name,
                                     flags & ~DICT_FLAG_FOLD_FIX);
    ud->open_flags = flags;
    ud->spec = mem_strdup(spec);
    ud->reason = buf_export(&why);
    ud->last_try = time(NULL);
    ud->dict.lookup = dict_unavail_lookup;
    ud->dict.update = dict_unavail_update;
    ud->dict.delete = dict_unavail_delete;
    ud->dict.sequence = dict_unavail_sequence;
    ud->dict.close = dict_unavail_close;
    buf_free(&type);
    return &ud->dict;
}

/* dict_key - the key as the driver sees it */

static const char *dict_key(DICT *dict, const char *key)
{
    const char *cp;

    if ((dict->flags & DICT_FLAG_FOLD_FIX) == 0
        || (dict->flags & DICT_FLAG_PATTERN) != 0)
        return key;
    if (dict->fold == NULL)
        dict->fold = buf_new(64);
    buf_reset(dict->fold);
    for (cp = key; *cp; cp++)
        buf_putc(dict->fold, tolower((unsigned char) *cp));
    return BUF_STR(dict->fold);
}

/* dict_lookup - look up a key */

int     dict_lookup(DICT *dict, const char *key, const char **value_r)
{
    *value_r = NULL;
    return dict->lookup(dict, dict_key(dict, key), value_r);
}

/* dict_update - add or replace an entry */

int     dict_update(DICT *dict, const char *key, const char *value)
{
    if (dict->update == NULL) {
        msg_warn("%s: table does not support updates", dict->title);
        return -1;
    }
    return dict->update(dict, dict_key(dict, key), value);
}

/* dict_delete - remove an entry */

int     dict_delete(DICT *dict, const char *key)
{
    if (dict->delete == NULL) {
        msg_warn("%s: table does not support deletions", dict->title);
        return -1;
    }
    return dict->delete(dict, dict_key(dict, key));
}

/* dict_sequence - walk the table */

int     dict_sequence(DICT *dict, int first, const char **key_r,
                              const char **value_r)
{
    if (dict->sequence == NULL) {
        msg_warn("%s: table does not support sequential access",
                 dict->title);
        return -1;
    }
    return dict->sequence(dict, first, key_r, value_r);
}

/* dict_close - close the table and clear the pointer */

int     dict_close(DICT **dictp)
{
    DICT   *dict = *dictp;
    int     ret;

    if (dict == NULL)
        return 0;
    *dictp = NULL;
    ret = dict->close ? dict->close(dict) : 0;
    dict_free(dict);
    return ret;
}

/* dict_name - the table's type:name */

const char *dict_name(const DICT *dict)
{
    return dict->title;
}

/* dict_flags - the table's flags */

int     dict_flags(const DICT *dict)
{
    return dict->flags;
}
