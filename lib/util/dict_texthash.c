/* NAME
 *	dict_texthash 3
 * SUMMARY
 *	texthash: tables, the text source read into memory
 * DESCRIPTION
 *	"texthash:/etc/x" reads /etc/x (postmap syntax, dict_src(3h)) when
 *	opened and answers from memory, as Postfix's texthash does: no .db
 *	file is needed. Keys are folded to lower case with
 *	DICT_FLAG_FOLD_FIX. A duplicate key keeps the first value, with a
 *	warning naming file and line.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dict.h"
#include "dict_src.h"
#include "htable.h"
#include "mem.h"
#include "msg.h"

typedef struct DICT_TEXTHASH {
    DICT    dict;
    HTABLE *table;
    STRV   *keys;                       /* dict_sequence() */
    size_t  next;
    BUF    *fold;
} DICT_TEXTHASH;

static int dict_texthash_lookup(DICT *dict, const char *key, const char **value_r)
{
    DICT_TEXTHASH *dt = (DICT_TEXTHASH *) dict;

    return (*value_r = htable_find(dt->table, key)) ? DICT_FOUND : DICT_NOTFOUND;
}

static int dict_texthash_sequence(DICT *dict, int first, const char **key_r,
                                          const char **value_r)
{
    DICT_TEXTHASH *dt = (DICT_TEXTHASH *) dict;

    if (first) {
        strv_free(&dt->keys);
        dt->keys = htable_keys(dt->table);
        dt->next = 0;
    }
    if (dt->keys == NULL || dt->next >= dt->keys->argc)
        return 0;
    *key_r = dt->keys->argv[dt->next++];
    *value_r = htable_find(dt->table, *key_r);
    return 1;
}

static int dict_texthash_close(DICT *dict)
{
    DICT_TEXTHASH *dt = (DICT_TEXTHASH *) dict;

    htable_free(&dt->table, mem_free);
    strv_free(&dt->keys);
    buf_free(&dt->fold);
    return 0;
}

/* dict_texthash_entry - one source entry */

static void dict_texthash_entry(const char *key, const char *value, int lineno,
                                        void *context)
{
    DICT_TEXTHASH *dt = context;
    const char *cp;

    if (dt->dict.flags & DICT_FLAG_FOLD_FIX) {
        buf_reset(dt->fold);
        for (cp = key; *cp; cp++)
            buf_putc(dt->fold, (*cp >= 'A' && *cp <= 'Z') ? *cp + 'a' - 'A' : *cp);
        key = BUF_STR(dt->fold);
    }
    if (htable_has(dt->table, key)) {
        msg_warn("%s, line %d: duplicate entry: \"%s\"", dt->dict.name, lineno, key);
        return;
    }
    htable_enter(dt->table, key, mem_strdup(value));
}

DICT   *dict_texthash_open(const char *name, int flags, BUF *why)
{
    DICT_TEXTHASH *dt;
    FILE   *fp;

    if ((fp = fopen(name, "r")) == NULL) {
        buf_printf(why, "open %s: %s", name, strerror(errno));
        return NULL;
    }
    dt = (DICT_TEXTHASH *) dict_alloc(sizeof(*dt), "texthash", name,
                           flags & ~(DICT_FLAG_CREATE | DICT_FLAG_WRITE));
    dt->table = htable_new(64);
    dt->fold = buf_new(64);
    dt->dict.lookup = dict_texthash_lookup;
    dt->dict.sequence = dict_texthash_sequence;
    dt->dict.close = dict_texthash_close;
    if (dict_src_read(fp, name, 0, dict_texthash_entry, dt) < 0) {
        buf_printf(why, "read %s: %s", name, strerror(errno));
        fclose(fp);
        dict_close((DICT **) &dt);
        return NULL;
    }
    fclose(fp);
    return &dt->dict;
}
