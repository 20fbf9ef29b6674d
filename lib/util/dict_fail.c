/* NAME
 *	dict_fail 3
 * SUMMARY
 *	fail: tables whose every lookup is a temporary error
 * DESCRIPTION
 *	"fail:name" opens always and answers DICT_ERROR to every lookup,
 *	update, deletion and walk, without a warning of its own (as
 *	Postfix's fail table); the name is only a label. Useful to test
 *	error handling and to make a feature defer on purpose.
 */
#include "dict.h"

static int dict_fail_lookup(DICT *dict, const char *key, const char **value_r)
{
    (void) dict;
    (void) key;
    (void) value_r;
    return DICT_ERROR;
}

static int dict_fail_update(DICT *dict, const char *key, const char *value)
{
    (void) dict;
    (void) key;
    (void) value;
    return -1;
}

static int dict_fail_delete(DICT *dict, const char *key)
{
    (void) dict;
    (void) key;
    return -1;
}

static int dict_fail_sequence(DICT *dict, int first, const char **key_r,
                                      const char **value_r)
{
    (void) dict;
    (void) first;
    (void) key_r;
    (void) value_r;
    return -1;
}

DICT   *dict_fail_open(const char *name, int flags, BUF *why)
{
    DICT   *dict = dict_alloc(sizeof(*dict), "fail", name, flags);

    (void) why;
    dict->lookup = dict_fail_lookup;
    dict->update = dict_fail_update;
    dict->delete = dict_fail_delete;
    dict->sequence = dict_fail_sequence;
    return dict;
}
