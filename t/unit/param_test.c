/* NAME
 *	param_test 1
 * SUMMARY
 *	unit tests for param(3)
 * DESCRIPTION
 *	Rows for each value parser (booleans, integers, times with and
 *	without a unit), for param_find() and for the default time unit of
 *	real parameters. A last pass checks the whole parameter table:
 *	names unique, and every typed default without "$" parses as its
 *	type. None of this may log anything.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "param.h"

typedef struct BOOL_ROW {
    const char *label;
    const char *input;
    int     want_status;
    int     want;
} BOOL_ROW;

static const BOOL_ROW bool_rows[] = {
    {"yes", "yes", 0, 1},
    {"no", "no", 0, 0},
    {"true", "true", 0, 1},
    {"false", "false", 0, 0},
    {"upper case YES", "YES", 0, 1},
    {"mixed case No", "No", 0, 0},
    {"mixed case TrUe", "TrUe", 0, 1},
    {"mixed case fALSE", "fALSE", 0, 0},
    {"junk", "maybe", -1, 0},
    {"empty", "", -1, 0},
    {"y is not yes", "y", -1, 0},
    {"1 is not yes", "1", -1, 0},
    {"trailing blank", "yes ", -1, 0},
    {"prefix of yes", "ye", -1, 0},
    {"yes with junk", "yess", -1, 0},
};

typedef struct INT_ROW {
    const char *label;
    const char *input;
    int     want_status;
    long    want;
} INT_ROW;

static const INT_ROW int_rows[] = {
    {"zero", "0", 0, 0},
    {"positive", "42", 0, 42},
    {"negative", "-7", 0, -7},
    {"large", "10240000", 0, 10240000},
    {"largest long", "9223372036854775807", 0, LONG_MAX},
    {"smallest long", "-9223372036854775808", 0, LONG_MIN},
    {"overflow", "9223372036854775808", -1, 0},
    {"negative overflow", "-9223372036854775809", -1, 0},
    {"huge", "99999999999999999999999", -1, 0},
    {"empty", "", -1, 0},
    {"junk", "abc", -1, 0},
    {"trailing junk", "12abc", -1, 0},
    {"trailing blank", "12 ", -1, 0},
    {"hex is junk", "0x10", -1, 0},
    {"unit is junk", "10k", -1, 0},
    {"sign alone", "-", -1, 0},
};

typedef struct TIME_ROW {
    const char *label;
    const char *input;
    int     default_unit;
    int     want_status;
    long    want;
} TIME_ROW;

static const TIME_ROW time_rows[] = {
    {"bare number, unit s", "10", 's', 0, 10},
    {"seconds", "10s", 's', 0, 10},
    {"minutes", "5m", 's', 0, 300},
    {"hours", "2h", 's', 0, 7200},
    {"days", "3d", 's', 0, 259200},
    {"weeks", "1w", 's', 0, 604800},
    {"zero", "0", 's', 0, 0},
    {"zero hours", "0h", 's', 0, 0},
    {"explicit unit beats default", "30s", 'd', 0, 30},
    {"default unit m", "10", 'm', 0, 600},
    {"default unit h", "10", 'h', 0, 36000},
    {"default unit d", "10", 'd', 0, 864000},
    {"default unit w", "2", 'w', 0, 1209600},
    {"upper case unit", "2H", 's', 0, 7200},
    {"largest seconds", "9223372036854775807", 's', 0, LONG_MAX},
    {"bad unit 10x", "10x", 's', -1, 0},
    {"bad default unit", "10", 'x', -1, 0},
    {"two units", "10ss", 's', -1, 0},
    {"blank before unit", "10 s", 's', -1, 0},
    {"unit alone", "s", 's', -1, 0},
    {"empty", "", 's', -1, 0},
    {"negative", "-5", 's', -1, 0},
    {"negative with unit", "-1h", 's', -1, 0},
    {"number overflow", "99999999999999999999", 's', -1, 0},
    {"unit overflow, minutes", "9223372036854775807m", 's', -1, 0},
    {"unit overflow, weeks", "15250284452472w", 's', -1, 0},
    {"largest weeks", "15250284452471w", 's', 0, 15250284452471L * 604800},
    {"default unit overflow", "153722867280912931", 'm', -1, 0},
};

typedef struct FIND_ROW {
    const char *label;
    const char *name;
    int     want_found;
    PARAM_TYPE want_type;
    int     want_unit;                  /* param_time_unit(), for times */
} FIND_ROW;

static const FIND_ROW find_rows[] = {
    {"maximal_queue_lifetime", "maximal_queue_lifetime", 1, PARAM_TIME, 'd'},
    {"bounce_queue_lifetime", "bounce_queue_lifetime", 1, PARAM_TIME, 'd'},
    {"smtpd_timeout", "smtpd_timeout", 1, PARAM_TIME, 's'},
    {"delay_warning_time", "delay_warning_time", 1, PARAM_TIME, 'h'},
    {"minimal_backoff_time", "minimal_backoff_time", 1, PARAM_TIME, 's'},
    {"max_idle", "max_idle", 1, PARAM_TIME, 's'},
    {"myhostname", "myhostname", 1, PARAM_STR, 0},
    {"mydestination", "mydestination", 1, PARAM_LIST, 0},
    {"message_size_limit", "message_size_limit", 1, PARAM_SIZE, 0},
    {"default_process_limit", "default_process_limit", 1, PARAM_INT, 0},
    {"smtpd_delay_reject", "smtpd_delay_reject", 1, PARAM_BOOL, 0},
    {"unknown name", "no_such_parameter", 0, PARAM_STR, 0},
    {"empty name", "", 0, PARAM_STR, 0},
    {"names are case sensitive", "MYHOSTNAME", 0, PARAM_STR, 0},
    {"no prefix match", "myhost", 0, PARAM_STR, 0},
};

/* param_test_table - the table itself: unique names, parsable defaults. */

static void param_test_table(void)
{
    char    label[256];
    int     dups = 0;

    for (int i = 0; i < PARAM_COUNT; i++) {
        const PARAM_DEF *def = param_table + i;
        long    n;
        int     flag, status;

        for (int j = 0; j < i; j++)
            if (strcmp(param_table[j].name, def->name) == 0)
                dups++;
        if (param_find(def->name) != def) {
            snprintf(label, sizeof(label), "param_find finds %s", def->name);
            harness_check(0, label, "found another entry");
        }
        if (strchr(def->def, '$') != 0)
            continue;
        switch (def->type) {
        case PARAM_BOOL:
            status = param_parse_bool(def->def, &flag);
            break;
        case PARAM_INT:
        case PARAM_SIZE:
            status = param_parse_int(def->def, &n);
            break;
        case PARAM_TIME:
            status = param_parse_time(def->def, param_time_unit(def), &n);
            break;
        default:
            continue;
        }
        snprintf(label, sizeof(label), "default of %s parses as %s", def->name,
                 param_type_name(def->type));
        harness_inteq(label, status, 0);
    }
    harness_inteq("parameter names are unique", dups, 0);
    harness_streq("type name time", param_type_name(PARAM_TIME), "time");
    harness_streq("type name boolean", param_type_name(PARAM_BOOL), "boolean");
    harness_streq("plain default", param_default(param_find("mail_name")), "Postern");
    harness_log_check("table checks log nothing", 0);
}

int     main(void)
{
    char    label[256];

    harness_init("param_test");
    for (size_t i = 0; i < sizeof(bool_rows) / sizeof(bool_rows[0]); i++) {
        const BOOL_ROW *row = bool_rows + i;
        int     got = -99;
        int     status = param_parse_bool(row->input, &got);

        snprintf(label, sizeof(label), "bool %s: status", row->label);
        harness_inteq(label, status, row->want_status);
        snprintf(label, sizeof(label), "bool %s: value", row->label);
        harness_inteq(label, got, status == 0 ? row->want : -99);
        snprintf(label, sizeof(label), "bool %s: log", row->label);
        harness_log_check(label, 0);
    }
    for (size_t i = 0; i < sizeof(int_rows) / sizeof(int_rows[0]); i++) {
        const INT_ROW *row = int_rows + i;
        long    got = -99;
        int     status = param_parse_int(row->input, &got);

        snprintf(label, sizeof(label), "int %s: status", row->label);
        harness_inteq(label, status, row->want_status);
        snprintf(label, sizeof(label), "int %s: value", row->label);
        harness_inteq(label, got, status == 0 ? row->want : -99);
        snprintf(label, sizeof(label), "int %s: log", row->label);
        harness_log_check(label, 0);
    }
    for (size_t i = 0; i < sizeof(time_rows) / sizeof(time_rows[0]); i++) {
        const TIME_ROW *row = time_rows + i;
        long    got = -99;
        int     status = param_parse_time(row->input, row->default_unit, &got);

        snprintf(label, sizeof(label), "time %s: status", row->label);
        harness_inteq(label, status, row->want_status);
        snprintf(label, sizeof(label), "time %s: seconds", row->label);
        harness_inteq(label, got, status == 0 ? row->want : -99);
        snprintf(label, sizeof(label), "time %s: log", row->label);
        harness_log_check(label, 0);
    }
    for (size_t i = 0; i < sizeof(find_rows) / sizeof(find_rows[0]); i++) {
        const FIND_ROW *row = find_rows + i;
        const PARAM_DEF *def = param_find(row->name);

        snprintf(label, sizeof(label), "find %s: found", row->label);
        harness_inteq(label, def != 0, row->want_found);
        if (def == 0)
            continue;
        snprintf(label, sizeof(label), "find %s: name", row->label);
        harness_streq(label, def->name, row->name);
        snprintf(label, sizeof(label), "find %s: type", row->label);
        harness_streq(label, param_type_name(def->type), param_type_name(row->want_type));
        if (row->want_unit) {
            snprintf(label, sizeof(label), "find %s: time unit", row->label);
            harness_inteq(label, param_time_unit(def), row->want_unit);
        }
        snprintf(label, sizeof(label), "find %s: log", row->label);
        harness_log_check(label, 0);
    }
    param_test_table();
    return (harness_done());
}
