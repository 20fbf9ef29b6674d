/* NAME
 *	dict 3h
 * SUMMARY
 *	lookup tables: one interface for every "type:name"
 * SYNOPSIS
 *	DICT *d = dict_open("hash:/etc/postern/access", DICT_FLAG_FOLD_FIX);
 *	const char *value;
 *
 *	switch (dict_lookup(d, "example.com", &value)) {
 *	case DICT_FOUND:	use value (valid until the next call on d)
 *	case DICT_NOTFOUND:	no such key
 *	case DICT_ERROR:	the table is unusable now: defer, answer 4xx
 *	}
 *	dict_close(&d);
 * DESCRIPTION
 *	A table is named "type:name". Types: hash and btree (Berkeley DB
 *	file name.db), texthash (the text file name, read into memory),
 *	inline:{ key=value, { key = text } }, static:value (static:{text}),
 *	cidr, regexp and pcre (pattern files), nis (finds nothing, see
 *	dict_nis(3)), unix:passwd.byname (value:
 *	the passwd line), fail:name (every lookup is an error). proxy:type:name
 *	is type:name.
 *
 *	dict_lookup() returns DICT_FOUND (and sets *value_r), DICT_NOTFOUND,
 *	or DICT_ERROR (a temporary failure: a missing or broken file, a
 *	read error; a warning names the table). Keys are strings; tables
 *	with fixed keys (hash, btree, texthash, inline) fold the key to
 *	lower case when the dict has DICT_FLAG_FOLD_FIX. Pattern tables
 *	(regexp, pcre, cidr) carry DICT_FLAG_PATTERN.
 *
 *	dict_open() never fails: when a table cannot be opened it logs a
 *	warning naming the table and the reason and returns a dict whose
 *	every lookup reports DICT_ERROR (and which tries to open the table
 *	again, at most once per second, so a table created later starts to
 *	work). dict_open_r() is for commands that must stop instead: it
 *	returns NULL and puts the reason in why.
 *
 *	Berkeley DB keys follow Postfix: whether a key includes its trailing
 *	NUL is decided at build time (DICT_FLAG_TRY1NULL: with, the default
 *	on Linux; DICT_FLAG_TRY0NULL: without); a lookup tries both until
 *	one form has worked, then sticks to it. A db table is re-opened when
 *	its file changes (checked at most once per second).
 *
 *	For writable tables (hash, btree): DICT_FLAG_CREATE builds a new
 *	table into a temporary file that dict_close() renames over name.db,
 *	so readers see the old table or the new one, never half of one;
 *	DICT_FLAG_WRITE changes the existing table the same way (a copy,
 *	renamed into place; with DICT_FLAG_CREATE_MISSING a missing table
 *	starts empty). Writers of tables in one directory take turns (an
 *	exclusive flock(2) on the directory, held until dict_close()), so
 *	no update is lost. dict_update() returns 0 when the key was stored, 1
 *	when it was already there (then the old value is kept unless the
 *	dict has DICT_FLAG_DUP_REPLACE), -1 on error. dict_delete() returns
 *	1 (deleted), 0 (not there) or -1. dict_sequence() walks the table:
 *	first is DICT_SEQ_FIRST or DICT_SEQ_NEXT; it returns 1 with a key
 *	and value, 0 at the end, -1 on error. Tables that cannot do an
 *	operation return -1 with a warning.
 *
 *	dict_close() frees the dict, clears the pointer and returns 0, or
 *	-1 when finishing a DICT_FLAG_CREATE build failed (the old table is
 *	then left unchanged).
 *
 *	dict_name() is "type:name" as opened (proxy: stripped).
 *
 *	The DICT structure is for drivers (dict_TYPE.c): users call the
 *	functions only.
 */
#ifndef DICT_H
#define DICT_H

#include <stddef.h>

#include "buf.h"

#define DICT_FOUND      1
#define DICT_NOTFOUND   0
#define DICT_ERROR      (-1)

#define DICT_SEQ_FIRST  1
#define DICT_SEQ_NEXT   0

#define DICT_FLAG_FOLD_FIX    (1<<0)    /* fold fixed-key lookups to lower case */
#define DICT_FLAG_TRY0NULL    (1<<1)    /* db keys without trailing NUL */
#define DICT_FLAG_TRY1NULL    (1<<2)    /* db keys with trailing NUL */
#define DICT_FLAG_DUP_REPLACE (1<<3)    /* update replaces an existing key */
#define DICT_FLAG_CREATE      (1<<4)    /* build a new table (temp + rename) */
#define DICT_FLAG_WRITE       (1<<5)    /* update the existing table in place */
#define DICT_FLAG_PATTERN     (1<<6)    /* set by pattern tables */
#define DICT_FLAG_CREATE_MISSING (1<<7) /* DICT_FLAG_WRITE: create when absent */

typedef struct DICT DICT;

struct DICT {
    char   *type;                       /* "hash", "regexp", ... */
    char   *name;                       /* what follows "type:" */
    char   *title;                      /* "type:name" */
    int     flags;                      /* DICT_FLAG_* */
    int     (*lookup) (DICT *dict, const char *key, const char **value_r);
    int     (*update) (DICT *dict, const char *key, const char *value);
    int     (*delete) (DICT *dict, const char *key);
    int     (*sequence) (DICT *dict, int first, const char **key_r,
                                 const char **value_r);
    int     (*close) (DICT *dict);      /* frees driver data; 0 or -1 */
    BUF    *fold;                       /* dict.c: folded key */
};

 /*
  * A driver allocates its own structure with DICT as the first member,
  * through dict_alloc(), and fills in the methods it has.
  */
typedef DICT *(*DICT_OPEN_FN) (const char *name, int flags, BUF *why);

extern DICT *dict_open(const char *spec, int flags);
extern DICT *dict_open_r(const char *spec, int flags, BUF *why);
extern int dict_lookup(DICT *dict, const char *key, const char **value_r);
extern int dict_update(DICT *dict, const char *key, const char *value);
extern int dict_delete(DICT *dict, const char *key);
extern int dict_sequence(DICT *dict, int first, const char **key_r,
                                 const char **value_r);
extern int dict_close(DICT **dictp);
extern const char *dict_name(const DICT *dict);
extern int dict_flags(const DICT *dict);

 /*
  * For drivers.
  */
extern DICT *dict_alloc(size_t size, const char *type, const char *name,
                                int flags);
extern void dict_free(DICT *dict);

 /*
  * The drivers' open functions.
  */
extern DICT *dict_db_open_hash(const char *name, int flags, BUF *why);
extern DICT *dict_db_open_btree(const char *name, int flags, BUF *why);
extern DICT *dict_texthash_open(const char *name, int flags, BUF *why);
extern DICT *dict_inline_open(const char *name, int flags, BUF *why);
extern DICT *dict_static_open(const char *name, int flags, BUF *why);
extern DICT *dict_cidr_open(const char *name, int flags, BUF *why);
extern DICT *dict_regexp_open(const char *name, int flags, BUF *why);
extern DICT *dict_pcre_open(const char *name, int flags, BUF *why);
extern DICT *dict_unix_open(const char *name, int flags, BUF *why);
extern DICT *dict_fail_open(const char *name, int flags, BUF *why);
extern DICT *dict_nis_open(const char *name, int flags, BUF *why);

#endif
