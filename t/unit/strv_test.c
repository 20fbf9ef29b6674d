/* NAME
 *	strv_test 1
 * SUMMARY
 *	unit tests for strv(3)
 * DESCRIPTION
 *	strv_split() rows: a string and a delimiter set, and the wanted
 *	elements joined with "|" ("" for none). Then rows that build a
 *	vector with strv_add()/strv_addn() (past the initial capacity),
 *	look elements up with strv_find() and sort it. Every vector must
 *	keep argv[argc] == NULL.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "harness.h"
#include "strv.h"

typedef struct SPLIT_ROW {
    const char *label;
    const char *input;
    const char *delims;
    const char *want;                   /* elements joined with "|" */
    long    want_argc;
    const char *want_log;
} SPLIT_ROW;

static const SPLIT_ROW split_rows[] = {
    {"empty string", "", ", ", "", 0, 0},
    {"only delimiters", " ,, ,", ", ", "", 0, 0},
    {"one word", "abc", ", ", "abc", 1, 0},
    {"comma and space", "a, b c", ", \t", "a|b|c", 3, 0},
    {"empty fields dropped", ",,a,,b,,", ",", "a|b", 2, 0},
    {"leading and trailing blanks", "  x  y  ", " ", "x|y", 2, 0},
    {"tabs and newlines", "a\tb\nc\r\nd", " \t\r\n", "a|b|c|d", 4, 0},
    {"no delimiters at all", "a b", "", "a b", 1, 0},
    {"delimiter not present", "a-b", ",", "a-b", 1, 0},
    {"list parameter", "permit_mynetworks, reject_unauth_destination",
    ", \t\r\n", "permit_mynetworks|reject_unauth_destination", 2, 0},
    {"many fields", "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17", " ",
    "1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|16|17", 17, 0},
};

typedef struct FIND_ROW {
    const char *label;
    const char *input;                  /* split at spaces */
    const char *key;
    long    want;                       /* strv_find() result */
    const char *want_sorted;            /* after strv_sort() */
    const char *want_log;
} FIND_ROW;

static const FIND_ROW find_rows[] = {
    {"find first", "b a c", "b", 0, "a|b|c", 0},
    {"find last", "b a c", "c", 2, "a|b|c", 0},
    {"find missing", "b a c", "d", -1, "a|b|c", 0},
    {"find in empty", "", "a", -1, "", 0},
    {"find is exact", "abc ab", "ab", 1, "ab|abc", 0},
    {"first of duplicates", "x y x", "x", 0, "x|x|y", 0},
    {"sort is bytewise", "b B a A _", "_", 4, "A|B|_|a|b", 0},
};

/* strv_test_join - elements joined with "|". */

static void strv_test_join(const STRV *v, BUF *out)
{
    buf_reset(out);
    for (size_t i = 0; i < v->argc; i++) {
        if (i > 0)
            buf_putc(out, '|');
        buf_puts(out, v->argv[i]);
    }
}

static void strv_test_terminated(const char *label, const STRV *v)
{
    char    what[256];

    snprintf(what, sizeof(what), "%s: argv[argc] is NULL", label);
    harness_check(v->argv[v->argc] == 0 && v->argc < v->cap, what,
                  "argc %zu cap %zu", v->argc, v->cap);
}

/* strv_test_add - strv_add() and strv_addn() past the initial capacity. */

static void strv_test_add(BUF *joined)
{
    STRV   *v = strv_new();
    char    word[32];
    int     ok = 1;

    harness_inteq("new vector is empty", (long) v->argc, 0);
    strv_test_terminated("new vector", v);
    strv_addn(v, "abcdef", 3);
    strv_addn(v, "xyz", 0);
    strv_add(v, "");
    strv_addn(v, "a\0b", 3);
    strv_test_join(v, joined);
    harness_streq("addn copies a prefix, stops at NUL", joined->data, "abc|||a");
    strv_free(&v);

    v = strv_new();
    for (int i = 0; i < 100; i++) {
        snprintf(word, sizeof(word), "w%d", i);
        strv_add(v, word);
        if (v->argv[v->argc] != 0)
            ok = 0;
    }
    harness_inteq("100 adds: argc", (long) v->argc, 100);
    harness_check(ok, "100 adds: argv[argc] NULL after each", "not terminated");
    harness_streq("100 adds: first", v->argv[0], "w0");
    harness_streq("100 adds: last", v->argv[99], "w99");
    harness_inteq("100 adds: find w57", strv_find(v, "w57"), 57);
    strv_test_terminated("100 adds", v);
    strv_free(&v);
    harness_check(v == 0, "free clears the pointer", "v=%p", (void *) v);
    strv_free(&v);
    harness_log_check("add logs nothing", 0);
}

int     main(void)
{
    BUF    *joined;
    char    label[256];

    harness_init("strv_test");
    joined = buf_new(64);
    for (size_t i = 0; i < sizeof(split_rows) / sizeof(split_rows[0]); i++) {
        const SPLIT_ROW *row = split_rows + i;
        STRV   *v = strv_split(row->input, row->delims);

        strv_test_join(v, joined);
        snprintf(label, sizeof(label), "split %s: elements", row->label);
        harness_streq(label, joined->data, row->want);
        snprintf(label, sizeof(label), "split %s: argc", row->label);
        harness_inteq(label, (long) v->argc, row->want_argc);
        snprintf(label, sizeof(label), "split %s", row->label);
        strv_test_terminated(label, v);
        snprintf(label, sizeof(label), "split %s: log", row->label);
        harness_log_check(label, row->want_log);
        strv_free(&v);
    }
    for (size_t i = 0; i < sizeof(find_rows) / sizeof(find_rows[0]); i++) {
        const FIND_ROW *row = find_rows + i;
        STRV   *v = strv_split(row->input, " ");

        snprintf(label, sizeof(label), "%s: index", row->label);
        harness_inteq(label, strv_find(v, row->key), row->want);
        strv_sort(v);
        strv_test_join(v, joined);
        snprintf(label, sizeof(label), "%s: sorted", row->label);
        harness_streq(label, joined->data, row->want_sorted);
        snprintf(label, sizeof(label), "%s: sorted", row->label);
        strv_test_terminated(label, v);
        snprintf(label, sizeof(label), "%s: log", row->label);
        harness_log_check(label, row->want_log);
        strv_free(&v);
    }
    strv_test_add(joined);
    buf_free(&joined);
    return (harness_done());
}
