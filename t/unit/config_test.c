/* NAME
 *	config_test 1
 * SUMMARY
 *	unit tests for config(3)
 * DESCRIPTION
 *	The configuration is process-wide state, so the tables run in
 *	phases, each on a main.cf written into a scratch directory under
 *	/tmp (removed at the end):
 *
 *	value rows: config_raw() and config_value() of names set in
 *	main.cf, left at their defaults, or unknown; typed rows:
 *	config_str/int/bool/time of parameters; list rows: config_list();
 *	override rows: config_override() beats main.cf beats the default,
 *	also after a reload; bad value rows: a value that does not parse is
 *	fatal, naming "DIR/main.cf, line N", and config_check_types()
 *	reports each of them; then CONFIG_LOAD_CHECK against the fatal first
 *	syntax error, a missing main.cf, CONFIG_LOAD_DEFAULTS and
 *	$MAIL_CONFIG.
 *
 *	In a wanted log text, "%s" stands for the scratch directory.
 *	Memory that a caught msg_fatal() strands is not reported as a leak
 *	under LeakSanitizer: a real process would have exited.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "harness.h"
#include "msg.h"
#include "param.h"
#include "strv.h"

extern void __lsan_disable(void) __attribute__((weak));
extern void __lsan_enable(void) __attribute__((weak));

static const char main_cf_good[] =
"# test main.cf\n"
"myhostname = mx.example.com\n"
"mydomain = example.com\n"
"myorigin = $mydomain\n"
"relayhost = [smtp.$mydomain]:587\n"
"mydestination = $myhostname, localhost.$mydomain,\n"
"    localhost\n"
"smtpd_recipient_limit = 500\n"
"smtpd_helo_required = yes\n"
"disable_vrfy_command = NO\n"
"maximal_queue_lifetime = 2\n"
"bounce_queue_lifetime = 3h\n"
"smtpd_timeout = 60\n"
"my_own = hello ${undefined_thing}\n"
"smtpd_banner = $myhostname ESMTP $mail_name ($my_own)\n"
"notify_classes =\n";

static const char main_cf_bad[] =
"myhostname = mx.example.com\n"
"# values that do not parse as their type\n"
"line_length_limit = 12x\n"
"smtpd_helo_required = maybe\n"
"smtpd_error_sleep_time = 10x\n"
"max_idle = -3s\n"
"message_size_limit = 10k\n";

static const char main_cf_syntax[] =
"myhostname = mx.example.com\n"
"this line has no equals sign\n"
"mydomain = example.com\n"
"= no name\n";

typedef struct VALUE_ROW {
    const char *label;
    const char *name;
    const char *want_raw;               /* NULL: unknown */
    const char *want_value;
    const char *want_log;
} VALUE_ROW;

static const VALUE_ROW value_rows[] = {
    {"plain value", "myhostname", "mx.example.com", "mx.example.com", 0},
    {"reference", "myorigin", "$mydomain", "example.com", 0},
    {"reference inside text", "relayhost", "[smtp.$mydomain]:587",
    "[smtp.example.com]:587", 0},
    {"continued value", "mydestination", "$myhostname, localhost.$mydomain, localhost",
    "mx.example.com, localhost.example.com, localhost", 0},
    {"empty value", "notify_classes", "", "", 0},
    {"default", "mail_name", "Postern", "Postern", 0},
    {"default with a condition", "syslog_name",
    "${multi_instance_name?{$multi_instance_name}:{postern}}", "postern", 0},
    {"default refers to main.cf", "local_transport", "local:$myhostname",
    "local:mx.example.com", 0},
    {"compatibility level default 0", "mynetworks_style",
    "${{$compatibility_level} <level {2} ? {subnet} : {host}}", "subnet", 0},
    {"level default refers to main.cf", "relay_domains",
    "${{$compatibility_level} <level {2} ? {$mydestination} : {}}",
    "mx.example.com, localhost.example.com, localhost", 0},
    {"undefined name warns once", "my_own", "hello ${undefined_thing}", "hello ",
    "warning: %s/main.cf: undefined parameter: undefined_thing"},
    {"undefined name, second use", "smtpd_banner",
    "$myhostname ESMTP $mail_name ($my_own)", "mx.example.com ESMTP Postern (hello )", 0},
    {"unknown name", "no_such_parameter", 0, 0, 0},
};

typedef enum TYPED_KIND {
    KIND_STR, KIND_INT, KIND_BOOL, KIND_TIME,
} TYPED_KIND;

typedef struct TYPED_ROW {
    const char *label;
    PARAM_ID id;
    TYPED_KIND kind;
    long    want;                       /* KIND_STR: unused */
    const char *want_str;               /* KIND_STR only */
} TYPED_ROW;

static const TYPED_ROW typed_rows[] = {
    {"string from main.cf", P_MYORIGIN, KIND_STR, 0, "example.com"},
    {"string default", P_DEFAULT_TRANSPORT, KIND_STR, 0, "smtp"},
    {"integer from main.cf", P_SMTPD_RECIPIENT_LIMIT, KIND_INT, 500, 0},
    {"integer default", P_LINE_LENGTH_LIMIT, KIND_INT, 2048, 0},
    {"integer default with condition", P_SMTPD_HARD_ERROR_LIMIT, KIND_INT, 20, 0},
    {"size default", P_MESSAGE_SIZE_LIMIT, KIND_INT, 10240000, 0},
    {"boolean yes", P_SMTPD_HELO_REQUIRED, KIND_BOOL, 1, 0},
    {"boolean NO", P_DISABLE_VRFY_COMMAND, KIND_BOOL, 0, 0},
    {"boolean default", P_SMTPD_DELAY_REJECT, KIND_BOOL, 1, 0},
    {"boolean default by level", P_APPEND_DOT_MYDOMAIN, KIND_BOOL, 1, 0},
    {"time, default unit d", P_MAXIMAL_QUEUE_LIFETIME, KIND_TIME, 2 * 86400, 0},
    {"time with unit", P_BOUNCE_QUEUE_LIFETIME, KIND_TIME, 3 * 3600, 0},
    {"time, default unit s", P_SMTPD_TIMEOUT, KIND_TIME, 60, 0},
    {"time default 0h", P_DELAY_WARNING_TIME, KIND_TIME, 0, 0},
    {"time default 300s", P_MINIMAL_BACKOFF_TIME, KIND_TIME, 300, 0},
};

typedef struct LIST_ROW {
    const char *label;
    PARAM_ID id;
    const char *want;                   /* elements joined with "|" */
} LIST_ROW;

static const LIST_ROW list_rows[] = {
    {"list from main.cf", P_MYDESTINATION,
    "mx.example.com|localhost.example.com|localhost"},
    {"list default", P_ALIAS_MAPS, "hash:/etc/aliases|nis:mail.aliases"},
    {"empty list from main.cf", P_NOTIFY_CLASSES, ""},
    {"empty list default", P_TRANSPORT_MAPS, ""},
    {"list through a reference", P_RELAY_DOMAINS,
    "mx.example.com|localhost.example.com|localhost"},
};

typedef struct OVERRIDE_ROW {
    const char *label;
    const char *arg;                    /* config_override_arg() */
    int     want_status;
    const char *name;                   /* then check this name */
    const char *want_raw;
    const char *want_value;
} OVERRIDE_ROW;

static const OVERRIDE_ROW override_rows[] = {
    {"override beats main.cf", "relayhost=[override.example]", 0,
    "relayhost", "[override.example]", "[override.example]"},
    {"override beats the default", "mail_name = Custom", 0,
    "mail_name", "Custom", "Custom"},
    {"values that refer to it change", "mail_name=Other", 0,
    "smtpd_banner", "$myhostname ESMTP $mail_name ($my_own)",
    "mx.example.com ESMTP Other (hello )"},
    {"override with a reference", "myorigin=$myhostname", 0,
    "myorigin", "$myhostname", "mx.example.com"},
    {"override of a referenced name", "mydomain=example.net", 0,
    "relayhost", "[override.example]", "[override.example]"},
    {"override of a user name", "my_own=mine", 0,
    "smtpd_banner", "$myhostname ESMTP $mail_name ($my_own)",
    "mx.example.com ESMTP Other (mine)"},
    {"override to empty", "notify_classes=", 0, "notify_classes", "", ""},
    {"not name=value", "no equals sign", -1, "mail_name", "Other", "Other"},
    {"no name", "=value", -1, "mail_name", "Other", "Other"},
};

typedef struct BAD_ROW {
    const char *label;
    PARAM_ID id;
    TYPED_KIND kind;
    const char *want_log;               /* "%s": the directory */
} BAD_ROW;

static const BAD_ROW bad_rows[] = {
    {"bad integer", P_LINE_LENGTH_LIMIT, KIND_INT,
    "fatal: %s/main.cf, line 3: bad integer configuration: line_length_limit = 12x\n"},
    {"bad boolean", P_SMTPD_HELO_REQUIRED, KIND_BOOL,
    "fatal: %s/main.cf, line 4: bad boolean configuration: smtpd_helo_required = maybe\n"},
    {"bad time unit", P_SMTPD_ERROR_SLEEP_TIME, KIND_TIME,
    "fatal: %s/main.cf, line 5: bad time configuration: smtpd_error_sleep_time = 10x\n"},
    {"negative time", P_MAX_IDLE, KIND_TIME,
    "fatal: %s/main.cf, line 6: bad time configuration: max_idle = -3s\n"},
    {"bad size", P_MESSAGE_SIZE_LIMIT, KIND_INT,
    "fatal: %s/main.cf, line 7: bad size configuration: message_size_limit = 10k\n"},
};

/* config_test_typed - one typed getter; fatal errors caught. */

static int config_test_typed(PARAM_ID id, TYPED_KIND kind, long *result)
{
    int     caught;

    if (__lsan_disable)
        __lsan_disable();
    switch (kind) {
    case KIND_INT:
        caught = HARNESS_CATCH(*result = config_int(id));
        break;
    case KIND_BOOL:
        caught = HARNESS_CATCH(*result = config_bool(id));
        break;
    case KIND_TIME:
        caught = HARNESS_CATCH(*result = config_time(id));
        break;
    default:
        caught = 0;
        *result = 0;
        break;
    }
    if (__lsan_enable)
        __lsan_enable();
    return (caught);
}

/* config_test_load_fatal - config_load(), with a fatal error caught. */

static int config_test_load_fatal(const char *dir, int flags)
{
    int     caught;

    if (__lsan_disable)
        __lsan_disable();
    caught = HARNESS_CATCH(config_load(dir, flags));
    if (__lsan_enable)
        __lsan_enable();
    return (caught);
}

static void config_test_expected(const char *fmt, const char *dir, BUF *out)
{
    buf_reset(out);
    if (fmt)
        buf_printf(out, fmt, dir);
}

static void config_test_write(const char *dir, const char *text)
{
    char    path[256];
    size_t  len = strlen(text);
    int     fd;

    snprintf(path, sizeof(path), "%s/main.cf", dir);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, text, len) != (ssize_t) len)
        harness_check(0, "write main.cf", "%s: %s", path, strerror(errno));
    if (fd >= 0)
        close(fd);
}

static void config_test_values(const char *dir)
{
    BUF    *want = buf_new(128);
    char    label[256];

    for (size_t i = 0; i < sizeof(value_rows) / sizeof(value_rows[0]); i++) {
        const VALUE_ROW *row = value_rows + i;

        snprintf(label, sizeof(label), "%s: raw", row->label);
        harness_streq(label, config_raw(row->name), row->want_raw);
        snprintf(label, sizeof(label), "%s: value", row->label);
        harness_streq(label, config_value(row->name), row->want_value);
        snprintf(label, sizeof(label), "%s: known", row->label);
        harness_inteq(label, config_is_known(row->name), row->want_raw != 0);
        snprintf(label, sizeof(label), "%s: log", row->label);
        config_test_expected(row->want_log, dir, want);
        harness_log_check(label, want->data);
    }
    buf_free(&want);
}

static void config_test_typed_rows(void)
{
    char    label[256];

    for (size_t i = 0; i < sizeof(typed_rows) / sizeof(typed_rows[0]); i++) {
        const TYPED_ROW *row = typed_rows + i;
        long    got;

        snprintf(label, sizeof(label), "%s: %s", row->label, param_table[row->id].name);
        if (row->kind == KIND_STR) {
            harness_streq(label, config_str(row->id), row->want_str);
        } else {
            harness_inteq(label, config_test_typed(row->id, row->kind, &got), 0);
            harness_inteq(label, got, row->want);
        }
        snprintf(label, sizeof(label), "%s: log", row->label);
        harness_log_check(label, 0);
    }
}

static void config_test_lists(void)
{
    BUF    *joined = buf_new(128);
    char    label[256];

    for (size_t i = 0; i < sizeof(list_rows) / sizeof(list_rows[0]); i++) {
        const LIST_ROW *row = list_rows + i;
        STRV   *list = config_list(row->id);

        buf_reset(joined);
        for (size_t n = 0; n < list->argc; n++)
            buf_printf(joined, "%s%s", n ? "|" : "", list->argv[n]);
        snprintf(label, sizeof(label), "%s: %s", row->label, param_table[row->id].name);
        harness_streq(label, joined->data, row->want);
        snprintf(label, sizeof(label), "%s: log", row->label);
        harness_log_check(label, 0);
        strv_free(&list);
    }
    buf_free(&joined);
}

static void config_test_overrides(const char *dir)
{
    char    label[256];
    long    got;

    for (size_t i = 0; i < sizeof(override_rows) / sizeof(override_rows[0]); i++) {
        const OVERRIDE_ROW *row = override_rows + i;

        snprintf(label, sizeof(label), "%s: status", row->label);
        harness_inteq(label, config_override_arg(row->arg), row->want_status);
        snprintf(label, sizeof(label), "%s: raw %s", row->label, row->name);
        harness_streq(label, config_raw(row->name), row->want_raw);
        snprintf(label, sizeof(label), "%s: value %s", row->label, row->name);
        harness_streq(label, config_value(row->name), row->want_value);
        snprintf(label, sizeof(label), "%s: log", row->label);
        harness_log_check(label, 0);
    }

    /* Typed values see overrides too. */
    config_override("smtpd_recipient_limit", "77");
    harness_inteq("override of a typed value", config_test_typed(
                          P_SMTPD_RECIPIENT_LIMIT, KIND_INT, &got), 0);
    harness_inteq("override of a typed value: result", got, 77);

    /* Overrides survive a reload of main.cf. */
    harness_inteq("reload", config_load(dir, 0), 0);
    harness_streq("after reload: override still wins", config_value("relayhost"),
                  "[override.example]");
    harness_streq("after reload: main.cf still read", config_value("mydestination"),
                  "mx.example.com, localhost.example.net, localhost");
    harness_log_check("overrides: log", 0);
}

static void config_test_bad_values(const char *dir)
{
    BUF    *want = buf_new(128);
    char    label[256];
    long    got;
    int     errors_before;

    harness_inteq("load main.cf with bad values", config_load(dir, 0), 0);
    for (size_t i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
        const BAD_ROW *row = bad_rows + i;

        snprintf(label, sizeof(label), "%s: fatal", row->label);
        harness_inteq(label, config_test_typed(row->id, row->kind, &got), 1);
        snprintf(label, sizeof(label), "%s: log", row->label);
        config_test_expected(row->want_log, dir, want);
        harness_streq(label, harness_log(), want->data);
        harness_log_reset();
    }

    /* A bad override names no file. */
    config_override("default_process_limit", "lots");
    harness_inteq("bad override: fatal",
                  config_test_typed(P_DEFAULT_PROCESS_LIMIT, KIND_INT, &got), 1);
    harness_streq("bad override: log", harness_log(),
                  "fatal: bad integer configuration: default_process_limit = lots\n");
    harness_log_reset();
    config_override("default_process_limit", "100");

    /* config_check_types() reports every bad value and counts it. */
    errors_before = msg_error_count();
    harness_inteq("check_types counts the bad values", config_check_types(),
                  (long) (sizeof(bad_rows) / sizeof(bad_rows[0])));
    harness_inteq("check_types: one msg_error each", msg_error_count() - errors_before,
                  (long) (sizeof(bad_rows) / sizeof(bad_rows[0])));
    for (size_t i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
        const char *text = strstr(bad_rows[i].want_log, "main.cf, line");

        snprintf(label, sizeof(label), "check_types reports: %s", bad_rows[i].label);
        buf_set(want, "");
        buf_printf(want, "error: %s/%.*s", dir, (int) strcspn(text, "\n"), text);
        harness_check(strstr(harness_log(), want->data) != 0, label,
                      "log \"%s\", want \"%s\"", harness_log(), want->data);
    }
    harness_log_reset();
    buf_free(&want);
}

static void config_test_syntax(const char *dir, const char *empty_dir)
{
    BUF    *want = buf_new(128);
    int     errors;

    /* CONFIG_LOAD_CHECK reports every syntax error, and goes on. */
    errors = config_load(dir, CONFIG_LOAD_CHECK);
    harness_inteq("check: every syntax error counted", errors, 2);
    buf_printf(want, "error: %s/main.cf, line 2: missing '=' after attribute name: "
               "\"this line has no equals sign\"\n"
               "error: %s/main.cf, line 4: missing attribute name: \"= no name\"\n",
               dir, dir);
    harness_streq("check: every syntax error reported", harness_log(), want->data);
    harness_log_reset();
    harness_streq("check: the good entries are read", config_raw("myhostname"),
                  "mx.example.com");

    /* Without it, the first syntax error is fatal. */
    harness_inteq("no check: syntax error is fatal", config_test_load_fatal(dir, 0), 1);
    buf_reset(want);
    buf_printf(want, "fatal: %s/main.cf, line 2: missing '=' after attribute name: "
               "\"this line has no equals sign\"\n", dir);
    harness_streq("no check: only the first error", harness_log(), want->data);
    harness_log_reset();

    /* A missing main.cf. */
    harness_inteq("check: missing main.cf is one error",
                  config_load(empty_dir, CONFIG_LOAD_CHECK), 1);
    buf_reset(want);
    buf_printf(want, "error: open %s/main.cf: No such file or directory", empty_dir);
    harness_log_check("check: missing main.cf reported", want->data);
    harness_inteq("no check: missing main.cf is fatal",
                  config_test_load_fatal(empty_dir, 0), 1);
    buf_reset(want);
    buf_printf(want, "fatal: open %s/main.cf: No such file or directory", empty_dir);
    harness_log_check("no check: missing main.cf reported", want->data);

    /* CONFIG_LOAD_DEFAULTS ignores main.cf, even a missing one. */
    harness_inteq("defaults: no errors", config_load(empty_dir, CONFIG_LOAD_DEFAULTS), 0);
    harness_streq("defaults: config_dir", config_dir(), empty_dir);
    harness_streq("defaults: config_directory", config_value("config_directory"),
                  empty_dir);
    harness_streq("defaults: myhostname is the default", config_raw("myhostname"),
                  param_default(param_find("myhostname")));
    harness_streq("defaults: smtpd_timeout is the default", config_value("smtpd_timeout"),
                  "300s");
    harness_log_check("defaults: log", 0);
    buf_free(&want);
}

/* config_test_mail_config - dir NULL means $MAIL_CONFIG. */

static void config_test_mail_config(const char *dir)
{
    setenv("MAIL_CONFIG", dir, 1);
    harness_inteq("MAIL_CONFIG: load", config_load(0, 0), 0);
    harness_streq("MAIL_CONFIG: config_dir", config_dir(), dir);
    harness_streq("MAIL_CONFIG: config_directory", config_value("config_directory"), dir);
    harness_streq("MAIL_CONFIG: main.cf read", config_raw("smtpd_timeout"), "60");
    harness_check(config_main_cf() != 0 && strstr(config_main_cf()->path, dir) != 0,
                  "MAIL_CONFIG: main.cf path", "path %s",
                  config_main_cf() ? config_main_cf()->path : "(none)");
    unsetenv("MAIL_CONFIG");
    harness_log_check("MAIL_CONFIG: log", 0);
}

/* config_test_expand - config_expand() in this configuration. */

static void config_test_expand(void)
{
    BUF    *out = buf_new(64);

    harness_inteq("expand: status", config_expand("<$myhostname>", out), 0);
    harness_streq("expand: output", out->data, "<mx.example.com>");
    buf_reset(out);
    harness_inteq("expand error: status", config_expand("${myhostname", out), -1);
    harness_log_check("expand error: warning", "warning: truncated macro reference");
    buf_free(&out);
}

int     main(void)
{
    char    good[] = "/tmp/config_test.XXXXXX";
    char    bad[] = "/tmp/config_test.XXXXXX";
    char    syntax[] = "/tmp/config_test.XXXXXX";
    char    empty[] = "/tmp/config_test.XXXXXX";
    char   *dirs[] = {good, bad, syntax, empty};
    char    path[256];

    harness_init("config_test");
    unsetenv("MAIL_CONFIG");
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
        if (mkdtemp(dirs[i]) == 0) {
            harness_check(0, "mkdtemp", "%s", strerror(errno));
            return (harness_done());
        }
    config_test_write(good, main_cf_good);
    config_test_write(bad, main_cf_bad);
    config_test_write(syntax, main_cf_syntax);

    harness_inteq("load", config_load(good, 0), 0);
    harness_streq("config_dir", config_dir(), good);
    harness_streq("config_directory is the directory", config_value("config_directory"),
                  good);
    harness_log_check("load: log", 0);
    config_test_values(good);
    config_test_typed_rows();
    config_test_lists();
    config_test_expand();
    config_test_mail_config(good);
    config_test_overrides(good);
    config_test_bad_values(bad);
    config_test_syntax(syntax, empty);

    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        snprintf(path, sizeof(path), "%s/main.cf", dirs[i]);
        unlink(path);
        harness_inteq("scratch directory removed", rmdir(dirs[i]), 0);
    }
    return (harness_done());
}
