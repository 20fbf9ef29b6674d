/* NAME
 *	queue_id_test 1
 * SUMMARY
 *	unit tests for queue_id(3)
 * DESCRIPTION
 *	Tables of times (the IDs must sort like them and give them back)
 *	and of strings that are not queue IDs; then 100000 fresh IDs,
 *	which must be valid, distinct, and in time order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "mem.h"
#include "queue_id.h"

typedef struct TIME_ROW {
    const char *label;
    long    sec;
    long    usec;
    const char *want_time_part;         /* the first QUEUE_ID_TIME_LEN chars */
} TIME_ROW;

 /* In increasing order: each ID must sort after the one before. */
static const TIME_ROW time_rows[] = {
    {"the epoch", 0, 0, "00000000000"},
    {"one microsecond", 0, 1, "00000000001"},
    {"31 microseconds", 0, 31, "0000000000Y"},
    {"32 microseconds", 0, 32, "00000000010"},
    {"one second", 1, 0, "0000000XGJ0"},
    {"2005, when ten characters ran out", 1125899906, 842624, "10000000000"},
    {"2026", 1795000000, 123456, 0},
    {"2026 plus one microsecond", 1795000000, 123457, 0},
    {"2026 plus one second", 1795000001, 123456, 0},
    {"year 3000", 32503680000L, 0, 0},
};

typedef struct BAD_ROW {
    const char *label;
    const char *id;
} BAD_ROW;

static const BAD_ROW bad_rows[] = {
    {"empty", ""},
    {"short", "1K0XXP9AK5GEX4BJ"},
    {"long", "1K0XXP9AK5GEX4BJ00"},
    {"lower case", "1k0XXP9AK5GEX4BJ0"},
    {"letter I", "1K0XXP9AK5GEX4BI0"},
    {"letter O", "1K0XXP9AK5GEX4BO0"},
    {"letter U", "1K0XXP9AK5GEX4BU0"},
    {"letter Z", "1K0XXP9AK5GEX4BZ0"},
    {"temporary file name", ".tmp.1K0XXP9AK5GEX4BJ0"},
    {"leading dot", ".K0XXP9AK5GEX4BJ0"},
    {"slash", "1K0XXP9AK5GEX4B/0"},
    {"space", "1K0XXP9AK5GEX4B 0"},
    {"8-bit", "1K0XXP9AK5GEX4B\3300"},
    {"Postfix short ID", "4F9D195432"},
};

#define COUNT   100000

static int queue_id_test_cmp(const void *a, const void *b)
{
    return (strcmp(*(char *const *) a, *(char *const *) b));
}

static void queue_id_test_times(void)
{
    char    prev[QUEUE_ID_SIZE] = "";
    char    id[QUEUE_ID_SIZE];
    char    label[256];
    struct timeval tv;
    struct timeval back;

    for (size_t i = 0; i < sizeof(time_rows) / sizeof(time_rows[0]); i++) {
        const TIME_ROW *row = time_rows + i;

        tv.tv_sec = row->sec;
        tv.tv_usec = row->usec;
        queue_id_at(id, &tv);
        snprintf(label, sizeof(label), "%s: valid", row->label);
        harness_check(queue_id_valid(id), label, "id \"%s\"", id);
        snprintf(label, sizeof(label), "%s: length", row->label);
        harness_inteq(label, (long) strlen(id), QUEUE_ID_LEN);
        if (row->want_time_part) {
            snprintf(label, sizeof(label), "%s: time part", row->label);
            harness_check(strncmp(id, row->want_time_part, QUEUE_ID_TIME_LEN) == 0,
                          label, "id \"%s\", want prefix \"%s\"", id,
                          row->want_time_part);
        }
        snprintf(label, sizeof(label), "%s: sorts after the previous row",
                 row->label);
        harness_check(strcmp(prev, id) < 0, label, "\"%s\" vs \"%s\"", prev, id);
        snprintf(label, sizeof(label), "%s: time comes back", row->label);
        harness_check(queue_id_time(id, &back) == 0 && back.tv_sec == tv.tv_sec
                      && back.tv_usec == tv.tv_usec, label, "got %ld.%06ld",
                      (long) back.tv_sec, (long) back.tv_usec);
        memcpy(prev, id, sizeof(prev));
    }
}

static void queue_id_test_bad(void)
{
    char    label[256];
    struct timeval tv;

    for (size_t i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
        snprintf(label, sizeof(label), "rejects %s", bad_rows[i].label);
        harness_check(!queue_id_valid(bad_rows[i].id), label, "\"%s\"",
                      bad_rows[i].id);
        snprintf(label, sizeof(label), "no time from %s", bad_rows[i].label);
        harness_check(queue_id_time(bad_rows[i].id, &tv) < 0, label, "\"%s\"",
                      bad_rows[i].id);
    }
}

/* queue_id_test_many - 100000 fresh IDs: valid, distinct, time-ordered */

static void queue_id_test_many(void)
{
    char  **ids = mem_alloc(COUNT * sizeof(char *));
    const char *alphabet = "0123456789ABCDEFGHJKLMNPQRSTVWXY";
    int     invalid = 0;
    int     bad_char = 0;
    int     time_back = 0;
    int     dups = 0;

    for (int i = 0; i < COUNT; i++) {
        ids[i] = mem_alloc(QUEUE_ID_SIZE);
        queue_id_new(ids[i]);
        if (!queue_id_valid(ids[i]))
            invalid++;
        if (strspn(ids[i], alphabet) != QUEUE_ID_LEN)
            bad_char++;
        /* Made one after the other: the time part never goes back. */
        if (i > 0 && strncmp(ids[i - 1], ids[i], QUEUE_ID_TIME_LEN) > 0)
            time_back++;
    }
    harness_inteq("100000 IDs: all valid", invalid, 0);
    harness_inteq("100000 IDs: only the alphabet", bad_char, 0);
    harness_inteq("100000 IDs: time part in creation order", time_back, 0);
    qsort(ids, COUNT, sizeof(char *), queue_id_test_cmp);
    for (int i = 1; i < COUNT; i++)
        if (strcmp(ids[i - 1], ids[i]) == 0)
            dups++;
    harness_inteq("100000 IDs: all distinct", dups, 0);
    for (int i = 0; i < COUNT; i++)
        mem_free(ids[i]);
    mem_free(ids);
    harness_log_check("IDs log nothing", 0);
}

int     main(void)
{
    harness_init("queue_id_test");
    queue_id_test_times();
    queue_id_test_bad();
    queue_id_test_many();
    return (harness_done());
}
