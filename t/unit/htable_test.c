/* NAME
 *	htable_test 1
 * SUMMARY
 *	unit tests for htable(3)
 * DESCRIPTION
 *	Each row runs a script of operations on a fresh table and records
 *	what each returned, as "op key=result" words joined with spaces;
 *	the row also names the sorted keys left at the end (htable_keys).
 *	A value is a string; NULL shows as "-". The "many" operation enters
 *	N keys, enough to make the table grow several times, and checks
 *	that every one is still found afterwards.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "harness.h"
#include "htable.h"
#include "strv.h"

typedef enum HT_OP_CODE {
    OP_END,
    OP_ENTER,                           /* result: old value */
    OP_FIND,                            /* result: value */
    OP_HAS,                             /* result: 0 or 1 */
    OP_REMOVE,                          /* result: removed value */
    OP_COUNT,                           /* result: htable_count() */
    OP_MANY,                            /* enter key0..keyN-1; result: count */
} HT_OP_CODE;

typedef struct HT_OP {
    HT_OP_CODE code;
    const char *key;
    const char *value;
    long    num;
} HT_OP;

#define END             {OP_END, 0, 0, 0}
#define ENTER(k, v)     {OP_ENTER, (k), (v), 0}
#define FIND(k)         {OP_FIND, (k), 0, 0}
#define HAS(k)          {OP_HAS, (k), 0, 0}
#define REMOVE(k)       {OP_REMOVE, (k), 0, 0}
#define COUNT           {OP_COUNT, 0, 0, 0}
#define MANY(n)         {OP_MANY, 0, 0, (n)}

typedef struct HT_ROW {
    const char *label;
    size_t  hint;
    HT_OP   ops[10];
    const char *want;                   /* results */
    const char *want_keys;              /* sorted, joined with "," */
    const char *want_log;
} HT_ROW;

static const HT_ROW ht_rows[] = {
    {"empty table", 0, {COUNT, FIND("a"), HAS("a"), REMOVE("a")},
    "count=0 find a=- has a=0 remove a=-", "", 0},
    {"enter and find", 0, {ENTER("a", "1"), ENTER("b", "2"), FIND("a"), FIND("b"), COUNT},
    "enter a=- enter b=- find a=1 find b=2 count=2", "a,b", 0},
    {"replace returns old value", 0,
    {ENTER("k", "old"), ENTER("k", "new"), FIND("k"), COUNT},
    "enter k=- enter k=old find k=new count=1", "k", 0},
    {"NULL value is present", 0, {ENTER("n", 0), HAS("n"), FIND("n"), HAS("m")},
    "enter n=- has n=1 find n=- has m=0", "n", 0},
    {"remove", 0, {ENTER("a", "1"), ENTER("b", "2"), REMOVE("a"), FIND("a"), HAS("a"),
    REMOVE("a"), COUNT},
    "enter a=- enter b=- remove a=1 find a=- has a=0 remove a=- count=1", "b", 0},
    {"remove then enter again", 0,
    {ENTER("a", "1"), REMOVE("a"), ENTER("a", "2"), FIND("a")},
    "enter a=- remove a=1 enter a=- find a=2", "a", 0},
    {"empty key", 0, {ENTER("", "e"), FIND(""), HAS("x"), COUNT},
    "enter =- find =e has x=0 count=1", "", 0},
    {"keys differ by case", 0, {ENTER("Key", "1"), ENTER("key", "2"), FIND("KEY"), COUNT},
    "enter Key=- enter key=- find KEY=- count=2", "Key,key", 0},
    {"keys sorted", 0, {ENTER("pear", "1"), ENTER("apple", "2"), ENTER("fig", "3"),
    ENTER("banana", "4")},
    "enter pear=- enter apple=- enter fig=- enter banana=-", "apple,banana,fig,pear", 0},
    {"many keys from small hint", 0, {MANY(1000), FIND("key999"), REMOVE("key0"), COUNT},
    "many=1000 find key999=key999 remove key0=key0 count=999", 0, 0},
    {"many keys from large hint", 5000, {MANY(300), HAS("key299"), HAS("key300")},
    "many=300 has key299=1 has key300=0", 0, 0},
};

/* ht_test_many - enter N keys, then check each one is still there. */

static long ht_test_many(HTABLE *table, long n, STRV *store)
{
    char    key[32];
    long    missing = 0;

    for (long i = 0; i < n; i++) {
        snprintf(key, sizeof(key), "key%ld", i);
        strv_add(store, key);
        htable_enter(table, key, store->argv[store->argc - 1]);
    }
    for (long i = 0; i < n; i++) {
        const char *value;

        snprintf(key, sizeof(key), "key%ld", i);
        if ((value = htable_find(table, key)) == 0 || strcmp(value, key) != 0)
            missing++;
    }
    harness_inteq("many: every key found after growth", missing, 0);
    return ((long) htable_count(table));
}

static void ht_test_run(HTABLE *table, const HT_OP *op, BUF *out, STRV *store)
{
    const char *value;

    for (; op->code != OP_END; op++) {
        if (out->len)
            buf_putc(out, ' ');
        switch (op->code) {
        case OP_ENTER:
            value = htable_enter(table, op->key, (void *) op->value);
            buf_printf(out, "enter %s=%s", op->key, value ? value : "-");
            break;
        case OP_FIND:
            value = htable_find(table, op->key);
            buf_printf(out, "find %s=%s", op->key, value ? value : "-");
            break;
        case OP_HAS:
            buf_printf(out, "has %s=%d", op->key, htable_has(table, op->key));
            break;
        case OP_REMOVE:
            value = htable_remove(table, op->key);
            buf_printf(out, "remove %s=%s", op->key, value ? value : "-");
            break;
        case OP_COUNT:
            buf_printf(out, "count=%zu", htable_count(table));
            break;
        case OP_MANY:
            buf_printf(out, "many=%ld", ht_test_many(table, op->num, store));
            break;
        case OP_END:
            break;
        }
    }
}

/* ht_test_walk_visit - count visits; a key seen twice counts as an error. */

static void ht_test_walk_visit(const char *key, void *value, void *context)
{
    HTABLE *seen = context;

    (void) value;
    if (htable_has(seen, key))
        htable_enter(seen, "(duplicate)", 0);
    htable_enter(seen, key, 0);
}

static int ht_test_freed;

static void ht_test_free_value(void *value)
{
    (void) value;
    ht_test_freed++;
}

/* ht_test_walk_free - walk visits every key once; free calls free_fn once each. */

static void ht_test_walk_free(void)
{
    HTABLE *table = htable_new(0);
    HTABLE *seen = htable_new(0);
    STRV   *store = strv_new();

    (void) ht_test_many(table, 200, store);
    htable_walk(table, ht_test_walk_visit, seen);
    harness_inteq("walk visits every key", (long) htable_count(seen), 200);
    harness_check(!htable_has(seen, "(duplicate)"), "walk visits each key once",
                  "a key was visited twice");
    htable_free(&seen, 0);
    htable_free(&table, ht_test_free_value);
    harness_inteq("free calls free_fn for each value", ht_test_freed, 200);
    harness_check(table == 0, "free clears the pointer", "table=%p", (void *) table);
    htable_free(&table, ht_test_free_value);
    harness_inteq("free of NULL table does nothing", ht_test_freed, 200);
    strv_free(&store);
    harness_log_check("walk and free log nothing", 0);
}

int     main(void)
{
    BUF    *out, *keys_out;
    char    label[256];

    harness_init("htable_test");
    out = buf_new(256);
    keys_out = buf_new(256);
    for (size_t i = 0; i < sizeof(ht_rows) / sizeof(ht_rows[0]); i++) {
        const HT_ROW *row = ht_rows + i;
        HTABLE *table = htable_new(row->hint);
        STRV   *store = strv_new();
        STRV   *keys;

        buf_reset(out);
        ht_test_run(table, row->ops, out, store);
        snprintf(label, sizeof(label), "%s: results", row->label);
        harness_streq(label, out->data, row->want);
        keys = htable_keys(table);
        snprintf(label, sizeof(label), "%s: one key per entry", row->label);
        harness_inteq(label, (long) keys->argc, (long) htable_count(table));
        if (row->want_keys) {
            buf_reset(keys_out);
            for (size_t k = 0; k < keys->argc; k++)
                buf_printf(keys_out, "%s%s", k ? "," : "", keys->argv[k]);
            snprintf(label, sizeof(label), "%s: sorted keys", row->label);
            harness_streq(label, keys_out->data, row->want_keys);
        } else {
            int     sorted = 1;

            for (size_t k = 1; k < keys->argc; k++)
                if (strcmp(keys->argv[k - 1], keys->argv[k]) >= 0)
                    sorted = 0;
            snprintf(label, sizeof(label), "%s: keys sorted and unique", row->label);
            harness_check(sorted, label, "keys out of order");
        }
        snprintf(label, sizeof(label), "%s: log", row->label);
        harness_log_check(label, row->want_log);
        strv_free(&keys);
        htable_free(&table, 0);
        strv_free(&store);
    }
    ht_test_walk_free();
    buf_free(&out);
    buf_free(&keys_out);
    return (harness_done());
}
