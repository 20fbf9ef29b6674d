/* NAME
 *	dict_nis 3
 * SUMMARY
 *	nis: tables, for the nis:mail.aliases in Postfix's default alias_maps
 * DESCRIPTION
 *	Postern has no NIS client. A "nis:map" table behaves as Postfix's
 *	does on a host without a NIS domain: one warning per process
 *	("NIS domain name not set - NIS lookups disabled"), then every
 *	lookup finds nothing. An error instead would make the default
 *	alias_maps (and so local_recipient_maps) fail every lookup of an
 *	unknown user.
 */
#include "dict.h"
#include "msg.h"

static int dict_nis_lookup(DICT *dict, const char *key, const char **value_r)
{
    static int warned;

    (void) dict;
    (void) key;
    (void) value_r;
    if (!warned) {
        msg_warn("dict_nis_init: NIS domain name not set - NIS lookups disabled");
        warned = 1;
    }
    return DICT_NOTFOUND;
}

DICT   *dict_nis_open(const char *name, int flags, BUF *why)
{
    DICT   *dict = dict_alloc(sizeof(*dict), "nis", name, flags);

    (void) why;
    dict->lookup = dict_nis_lookup;
    return dict;
}
