/* NAME
 *	htable 3h
 * SUMMARY
 *	string-keyed hash table
 * DESCRIPTION
 *	Keys are copied; values are the caller's. The table grows to keep
 *	chains short. htable_keys() returns the keys sorted, for output that
 *	must not depend on hash order.
 */
#ifndef HTABLE_H
#define HTABLE_H

#include <stddef.h>

#include "strv.h"

typedef struct HTABLE HTABLE;
typedef void (*HTABLE_FREE_FN) (void *value);
typedef void (*HTABLE_WALK_FN) (const char *key, void *value, void *context);

extern HTABLE *htable_new(size_t hint);
extern void *htable_find(const HTABLE *table, const char *key);
extern int htable_has(const HTABLE *table, const char *key);
extern void *htable_enter(HTABLE *table, const char *key, void *value);
extern void *htable_remove(HTABLE *table, const char *key);
extern size_t htable_count(const HTABLE *table);
extern void htable_walk(const HTABLE *table, HTABLE_WALK_FN fn, void *context);
extern STRV *htable_keys(const HTABLE *table);
extern void htable_free(HTABLE **tablep, HTABLE_FREE_FN free_fn);

#endif
