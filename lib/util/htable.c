/* NAME
 *	htable 3
 * SUMMARY
 *	string-keyed hash table
 * DESCRIPTION
 *	Separate chaining with FNV-1a hashing; the bucket array doubles
 *	when the load factor passes one.
 */
#include <string.h>

#include "htable.h"
#include "mem.h"

typedef struct HTABLE_ENTRY {
    char   *key;
    void   *value;
    struct HTABLE_ENTRY *next;
} HTABLE_ENTRY;

struct HTABLE {
    HTABLE_ENTRY **buckets;
    size_t  size;                       /* number of buckets, a power of 2 */
    size_t  count;
};

static size_t htable_hash(const char *key)
{
    size_t  h = 2166136261u;

    while (*key)
        h = (h ^ (unsigned char) *key++) * 16777619u;
    return (h);
}

HTABLE *htable_new(size_t hint)
{
    HTABLE *table = mem_alloc(sizeof(*table));

    table->size = 16;
    while (table->size < hint)
        table->size *= 2;
    table->buckets = mem_calloc(table->size, sizeof(HTABLE_ENTRY *));
    table->count = 0;
    return (table);
}

static HTABLE_ENTRY **htable_slot(const HTABLE *table, const char *key)
{
    HTABLE_ENTRY **slot = table->buckets + (htable_hash(key) & (table->size - 1));

    while (*slot && strcmp((*slot)->key, key) != 0)
        slot = &(*slot)->next;
    return (slot);
}

void   *htable_find(const HTABLE *table, const char *key)
{
    HTABLE_ENTRY *entry = *htable_slot(table, key);

    return (entry ? entry->value : 0);
}

int     htable_has(const HTABLE *table, const char *key)
{
    return (*htable_slot(table, key) != 0);
}

static void htable_grow(HTABLE *table)
{
    HTABLE_ENTRY **old = table->buckets;
    size_t  old_size = table->size;

    table->size *= 2;
    table->buckets = mem_calloc(table->size, sizeof(HTABLE_ENTRY *));
    for (size_t i = 0; i < old_size; i++) {
        HTABLE_ENTRY *entry = old[i];

        while (entry) {
            HTABLE_ENTRY *next = entry->next;
            HTABLE_ENTRY **head = table->buckets
                + (htable_hash(entry->key) & (table->size - 1));

            entry->next = *head;
            *head = entry;
            entry = next;
        }
    }
    mem_free(old);
}

void   *htable_enter(HTABLE *table, const char *key, void *value)
{
    HTABLE_ENTRY **slot = htable_slot(table, key);
    void   *old;

    if (*slot) {
        old = (*slot)->value;
        (*slot)->value = value;
        return (old);
    }
    *slot = mem_alloc(sizeof(HTABLE_ENTRY));
    (*slot)->key = mem_strdup(key);
    (*slot)->value = value;
    (*slot)->next = 0;
    if (++table->count > table->size)
        htable_grow(table);
    return (0);
}

void   *htable_remove(HTABLE *table, const char *key)
{
    HTABLE_ENTRY **slot = htable_slot(table, key);
    HTABLE_ENTRY *entry = *slot;
    void   *value;

    if (entry == 0)
        return (0);
    *slot = entry->next;
    value = entry->value;
    mem_free(entry->key);
    mem_free(entry);
    table->count--;
    return (value);
}

size_t  htable_count(const HTABLE *table)
{
    return (table->count);
}

void    htable_walk(const HTABLE *table, HTABLE_WALK_FN fn, void *context)
{
    for (size_t i = 0; i < table->size; i++)
        for (HTABLE_ENTRY *entry = table->buckets[i]; entry; entry = entry->next)
            fn(entry->key, entry->value, context);
}

static void htable_collect_key(const char *key, void *value, void *context)
{
    (void) value;
    strv_add((STRV *) context, key);
}

STRV   *htable_keys(const HTABLE *table)
{
    STRV   *keys = strv_new();

    htable_walk(table, htable_collect_key, keys);
    strv_sort(keys);
    return (keys);
}

void    htable_free(HTABLE **tablep, HTABLE_FREE_FN free_fn)
{
    HTABLE *table = *tablep;

    if (table == 0)
        return;
    for (size_t i = 0; i < table->size; i++) {
        HTABLE_ENTRY *entry = table->buckets[i];

        while (entry) {
            HTABLE_ENTRY *next = entry->next;

            if (free_fn)
                free_fn(entry->value);
            mem_free(entry->key);
            mem_free(entry);
            entry = next;
        }
    }
    mem_free(table->buckets);
    mem_free(table);
    *tablep = 0;
}
