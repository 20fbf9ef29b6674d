/* NAME
 *	master_cf_test 1
 * SUMMARY
 *	unit tests for master_cf(3)
 * DESCRIPTION
 *	Parse rows: a master.cf text and the wanted entries, one per line
 *	as "line service/type private unpriv chroot wakeup[?] maxproc
 *	[command args]" (decoded fields, -1 for "-"), the wanted error count
 *	and the wanted log text; each error names file, line and field.
 *
 *	Format rows: one master.cf entry and the wanted master_cf_format()
 *	output, unfolded and folded, taken from Postfix 3.7's postconf -M
 *	and postconf -Mf for the same entry.
 *
 *	Split rows: master_cf_split_inet() on the service forms of inet
 *	entries. Last, master_cf_read() on a file in a scratch directory.
 *
 *	Postconf rows: with MASTER_CF_POSTCONF, the errors in the words of
 *	Postfix 3.7's postconf, and the checks that are master(8)'s only
 *	(service name, -o options) left out.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "harness.h"
#include "master_cf.h"
#include "mem.h"
#include "msg.h"

#define PATH    "/etc/postern/master.cf"
#define FILE_LINE(n) "error: file " PATH ": line " #n ": "

typedef struct PARSE_ROW {
    const char *label;
    const char *input;
    const char *want;                   /* decoded entries */
    int     want_errors;
    const char *want_log;
} PARSE_ROW;

static const PARSE_ROW parse_rows[] = {
    {"empty file", "", "", 0, 0},
    {"comments only", "#\n# service type ...\n\n", "", 0, 0},
    {"eight columns", "smtp      inet  n       -       y       -       -       smtpd",
    "1 smtp/inet 0 -1 1 0 -1 [smtpd]\n", 0, 0},
    {"all flags given", "x unix y y n 0 0 x", "1 x/unix 1 1 0 0 0 [x]\n", 0, 0},
    {"every type", "a inet - - - - - a\nb unix - - - - - b\nc unix-dgram - - - - - c\n"
    "d fifo - - - - - d\ne pass - - - - - e",
    "1 a/inet -1 -1 -1 0 -1 [a]\n2 b/unix -1 -1 -1 0 -1 [b]\n"
    "3 c/unix-dgram -1 -1 -1 0 -1 [c]\n4 d/fifo -1 -1 -1 0 -1 [d]\n"
    "5 e/pass -1 -1 -1 0 -1 [e]\n", 0, 0},
    {"wakeup", "pickup    unix  n       -       y       60      1       pickup",
    "1 pickup/unix 0 -1 1 60 1 [pickup]\n", 0, 0},
    {"wakeup only if used", "qmgr unix n - n 300? 1 qmgr",
    "1 qmgr/unix 0 -1 0 300? 1 [qmgr]\n", 0, 0},
    {"wakeup 0 is none", "x unix - - - 0 - x", "1 x/unix -1 -1 -1 0 -1 [x]\n", 0, 0},
    {"maxproc 0 is no limit", "cleanup unix n - y - 0 cleanup",
    "1 cleanup/unix 0 -1 1 0 0 [cleanup]\n", 0, 0},
    {"tabs between columns", "smtp\tinet\tn\t-\ty\t-\t-\tsmtpd",
    "1 smtp/inet 0 -1 1 0 -1 [smtpd]\n", 0, 0},
    {"arguments on the first line", "smtp inet n - y - - smtpd -v -o a=b",
    "1 smtp/inet 0 -1 1 0 -1 [smtpd -v -o a=b]\n", 0, 0},
    {"-o options on continuation lines",
    "submission inet n       -       y       -       -       smtpd\n"
    "  -o syslog_name=postfix/submission\n"
    "  -o smtpd_tls_security_level=encrypt",
    "1 submission/inet 0 -1 1 0 -1 [smtpd -o syslog_name=postfix/submission "
    "-o smtpd_tls_security_level=encrypt]\n", 0, 0},
    {"comments and blanks in between",
    "# head\nsmtp inet n - y - - smtpd\n# between\n  -o a=b\n\n\t-o c=d\n"
    "# next\npickup unix n - y 60 1 pickup",
    "2 smtp/inet 0 -1 1 0 -1 [smtpd -o a=b -o c=d]\n8 pickup/unix 0 -1 1 60 1 [pickup]\n",
    0, 0},
    {"command arguments continue",
    "maildrop  unix  -       n       n       -       -       pipe\n"
    "  flags=DRXhu user=vmail argv=/usr/bin/maildrop -d ${recipient}",
    "1 maildrop/unix -1 0 0 0 -1 [pipe flags=DRXhu user=vmail "
    "argv=/usr/bin/maildrop -d ${recipient}]\n", 0, 0},
    {"inet port", "2525 inet n - n - - smtpd", "1 2525/inet 0 -1 0 0 -1 [smtpd]\n", 0, 0},
    {"inet host:port", "127.0.0.1:2525 inet n - n - - smtpd",
    "1 127.0.0.1:2525/inet 0 -1 0 0 -1 [smtpd]\n", 0, 0},
    {"inet [addr]:port", "[::1]:25 inet n - n - - smtpd",
    "1 [::1]:25/inet 0 -1 0 0 -1 [smtpd]\n", 0, 0},
    {"inet name:service", "localhost:smtp inet n - n - - smtpd",
    "1 localhost:smtp/inet 0 -1 0 0 -1 [smtpd]\n", 0, 0},

    /* Errors: the entry is dropped, the rest is still read. */
    {"bad field count",
    "smtp      inet  n       -       y       -       -       smtpd\n"
    "pickup    unix  n       -       y       60\n"
    "cleanup   unix  n       -       y       -       0       cleanup",
    "1 smtp/inet 0 -1 1 0 -1 [smtpd]\n3 cleanup/unix 0 -1 1 0 0 [cleanup]\n", 1,
    FILE_LINE(2) "bad field count\n"},
    {"bad transport type", "foo       bogus n       -       y       -       -       foo",
    "", 1, FILE_LINE(1) "bad transport type: bogus\n"},
    {"type is case sensitive", "x INET n - n - - x", "", 1,
    FILE_LINE(1) "bad transport type: INET\n"},
    {"bad private", "x unix yes - n - - x", "", 1,
    FILE_LINE(1) "bad private field: yes\n"},
    {"bad unpriv", "x unix - maybe n - - x", "", 1,
    FILE_LINE(1) "bad unpriv field: maybe\n"},
    {"bad chroot", "x unix - - Y - - x", "", 1,
    FILE_LINE(1) "bad chroot field: Y\n"},
    {"bad wakeup: text", "x unix - - n abc - x", "", 1,
    FILE_LINE(1) "bad wakeup field: abc\n"},
    {"bad wakeup: negative", "x unix - - n -5 - x", "", 1,
    FILE_LINE(1) "bad wakeup field: -5\n"},
    {"bad wakeup: two ?", "x unix - - n 60?? - x", "", 1,
    FILE_LINE(1) "bad wakeup field: 60??\n"},
    {"bad wakeup: ? alone", "x unix - - n ? - x", "", 1,
    FILE_LINE(1) "bad wakeup field: ?\n"},
    {"bad maxproc: text", "x unix - - n - many x", "", 1,
    FILE_LINE(1) "bad maxproc field: many\n"},
    {"bad maxproc: negative", "x unix - - n - -1 x", "", 1,
    FILE_LINE(1) "bad maxproc field: -1\n"},
    {"bad maxproc: ? suffix", "x unix - - n - 10? x", "", 1,
    FILE_LINE(1) "bad maxproc field: 10?\n"},
    {"bad -o: no value", "x unix - - n - - x -o", "", 1,
    FILE_LINE(1) "bad -o option: (missing)\n"},
    {"bad -o: no =", "x unix - - n - - x\n  -o name", "", 1,
    FILE_LINE(1) "bad -o option: name\n"},
    {"bad inet service: host:", "host: inet n - n - - smtpd", "", 1,
    FILE_LINE(1) "bad inet service: host:\n"},
    {"bad inet service: two colons", "::1:25 inet n - n - - smtpd", "", 1,
    FILE_LINE(1) "bad inet service: ::1:25\n"},
    {"bad service name", "../x unix - - n - - x", "", 1,
    FILE_LINE(1) "bad service name: ../x\n"},
    {"error after comments names its line",
    "# one\n# two\n\nsmtp inet n - y\n  # inner\n  -\nx bogus - - - - - x", "", 2,
    FILE_LINE(4) "bad field count\n" FILE_LINE(7) "bad transport type: bogus\n"},
    {"several errors in one entry", "x unix a b c d e x", "", 5,
    FILE_LINE(1) "bad private field: a\n" FILE_LINE(1) "bad unpriv field: b\n"
    FILE_LINE(1) "bad chroot field: c\n" FILE_LINE(1) "bad wakeup field: d\n"
    FILE_LINE(1) "bad maxproc field: e\n"},
};

typedef struct FORMAT_ROW {
    const char *label;
    const char *input;                  /* one master.cf entry */
    const char *want;                   /* postconf -M */
    const char *want_fold;              /* postconf -Mf */
} FORMAT_ROW;

static const FORMAT_ROW format_rows[] = {
    {"smtp inet",
    "smtp      inet  n       -       y       -       -       smtpd",
    "smtp       inet  n       -       y       -       -       smtpd",
    "smtp       inet  n       -       y       -       -       smtpd"},
    {"long service pushes the next column",
    "127.0.0.1:2525 inet n - n - - smtpd",
    "127.0.0.1:2525 inet n    -       n       -       -       smtpd",
    "127.0.0.1:2525 inet n    -       n       -       -       smtpd"},
    {"very long service",
    "verylongservicename unix - - n - - x",
    "verylongservicename unix - -     n       -       -       x",
    "verylongservicename unix - -     n       -       -       x"},
    {"wakeup and maxproc",
    "pickup unix n - y 60 1 pickup",
    "pickup     unix  n       -       y       60      1       pickup",
    "pickup     unix  n       -       y       60      1       pickup"},
    {"-o options",
    "submission inet n - y - - smtpd -o syslog_name=postfix/submission "
    "-o smtpd_tls_security_level=encrypt",
    "submission inet  n       -       y       -       -       smtpd "
    "-o syslog_name=postfix/submission -o smtpd_tls_security_level=encrypt",
    "submission inet  n       -       y       -       -       smtpd\n"
    "    -o syslog_name=postfix/submission\n"
    "    -o smtpd_tls_security_level=encrypt"},
    {"long command line",
    "maildrop  unix  -       n       n       -       -       pipe flags=DRXhu "
    "user=vmail argv=/usr/bin/maildrop -d ${recipient}",
    "maildrop   unix  -       n       n       -       -       pipe flags=DRXhu "
    "user=vmail argv=/usr/bin/maildrop -d ${recipient}",
    "maildrop   unix  -       n       n       -       -       pipe flags=DRXhu\n"
    "    user=vmail argv=/usr/bin/maildrop -d ${recipient}"},
    {"options, then arguments",
    "[::1]:25 inet n - n 60? 100 smtpd -v -o a=b extra -o c=d",
    "[::1]:25   inet  n       -       n       60?     100     smtpd -v -o a=b "
    "extra -o c=d",
    "[::1]:25   inet  n       -       n       60?     100     smtpd -v\n"
    "    -o a=b\n"
    "    extra -o c=d"},
    {"many -o options",
    "relay unix - - n - - smtp -v -D -o smtp_helo_timeout=5 -o smtp_connect_timeout=5",
    "relay      unix  -       -       n       -       -       smtp -v -D "
    "-o smtp_helo_timeout=5 -o smtp_connect_timeout=5",
    "relay      unix  -       -       n       -       -       smtp -v -D\n"
    "    -o smtp_helo_timeout=5\n"
    "    -o smtp_connect_timeout=5"},
    {"many arguments",
    "x unix - - n - - cmd arg1 arg2 arg3 arg4 arg5 arg6 arg7 arg8 arg9 arg10 arg11 "
    "arg12 arg13 arg14 arg15 arg16 arg17 arg18 arg19 arg20 arg21",
    "x          unix  -       -       n       -       -       cmd arg1 arg2 arg3 arg4 "
    "arg5 arg6 arg7 arg8 arg9 arg10 arg11 arg12 arg13 arg14 arg15 arg16 arg17 arg18 "
    "arg19 arg20 arg21",
    "x          unix  -       -       n       -       -       cmd arg1 arg2 arg3\n"
    "    arg4 arg5 arg6 arg7 arg8 arg9 arg10 arg11 arg12 arg13 arg14 arg15 arg16\n"
    "    arg17 arg18 arg19 arg20 arg21"},
    {"long command is not broken",
    "y unix - - n - - cmd0123456789012345678901234567890",
    "y          unix  -       -       n       -       -       "
    "cmd0123456789012345678901234567890",
    "y          unix  -       -       n       -       -       "
    "cmd0123456789012345678901234567890"},
    {"argument that goes past column 80",
    "z unix - - n - - c 1234567890123456789012 x",
    "z          unix  -       -       n       -       -       c 1234567890123456789012 x",
    "z          unix  -       -       n       -       -       c\n"
    "    1234567890123456789012 x"},
    {"argument that ends at column 80",
    "z unix - - n - - c 123456789012345678901 x",
    "z          unix  -       -       n       -       -       c 123456789012345678901 x",
    "z          unix  -       -       n       -       -       c\n"
    "    123456789012345678901 x"},
    {"argument that ends at column 79",
    "z unix - - n - - c 12345678901234567890 x",
    "z          unix  -       -       n       -       -       c 12345678901234567890 x",
    "z          unix  -       -       n       -       -       c 12345678901234567890\n"
    "    x"},
    {"-o without a value",
    "x unix - - n - - x -o",
    0, 0},
};

typedef struct SPLIT_ROW {
    const char *label;
    const char *service;
    int     want_status;
    const char *want_host;              /* NULL: no host */
    const char *want_port;
} SPLIT_ROW;

static const SPLIT_ROW split_rows[] = {
    {"port", "25", 0, 0, "25"},
    {"service name", "smtp", 0, 0, "smtp"},
    {"host:port", "127.0.0.1:2525", 0, "127.0.0.1", "2525"},
    {"name:service", "localhost:smtp", 0, "localhost", "smtp"},
    {"[addr]:port", "[::1]:25", 0, "::1", "25"},
    {"[v6 addr]:port", "[2001:db8::1]:587", 0, "2001:db8::1", "587"},
    {"[v4 addr]:port", "[127.0.0.1]:10025", 0, "127.0.0.1", "10025"},
    {"empty port after host", "host:", -1, 0, 0},
    {"empty host", ":25", -1, 0, 0},
    {"two colons", "a:b:c", -1, 0, 0},
    {"bare v6 address", "::1", -1, 0, 0},
    {"[addr] without port", "[::1]", -1, 0, 0},
    {"[addr] with empty port", "[::1]:", -1, 0, 0},
    {"empty brackets", "[]:25", -1, 0, 0},
    {"junk after bracket", "[::1]x25", -1, 0, 0},
    {"unclosed bracket", "[::1:25", -1, 0, 0},
};

static void master_cf_test_entries(const MASTER_CF *cf, BUF *out)
{
    buf_reset(out);
    for (size_t i = 0; i < cf->count; i++) {
        const MASTER_CF_ENTRY *e = cf->entries + i;

        buf_printf(out, "%d %s/%s %d %d %d %d%s %d [", e->line, e->service, e->type,
                   e->private_flag, e->unpriv_flag, e->chroot_flag, e->wakeup,
                   e->wakeup_if_used ? "?" : "", e->maxproc);
        for (size_t a = 0; a < e->command->argc; a++)
            buf_printf(out, "%s%s", a ? " " : "", e->command->argv[a]);
        buf_puts(out, "]\n");
    }
}

static void master_cf_test_parse(void)
{
    BUF    *out = buf_new(256);
    char    label[256];

    for (size_t i = 0; i < sizeof(parse_rows) / sizeof(parse_rows[0]); i++) {
        const PARSE_ROW *row = parse_rows + i;
        int     errors_before = msg_error_count();
        MASTER_CF *cf = master_cf_parse_text(PATH, row->input, 0);

        master_cf_test_entries(cf, out);
        snprintf(label, sizeof(label), "parse %s: entries", row->label);
        harness_streq(label, out->data, row->want);
        snprintf(label, sizeof(label), "parse %s: error count", row->label);
        harness_inteq(label, cf->errors, row->want_errors);
        snprintf(label, sizeof(label), "parse %s: errors counted by msg", row->label);
        harness_inteq(label, msg_error_count() - errors_before, row->want_errors);
        snprintf(label, sizeof(label), "parse %s: log", row->label);
        if (row->want_log)
            harness_streq(label, harness_log(), row->want_log);
        harness_log_check(label, row->want_log);
        master_cf_free(&cf);
    }
    buf_free(&out);
}

typedef struct POSTCONF_ROW {
    const char *label;
    const char *input;
    int     want_errors;
    const char *want_log;
} POSTCONF_ROW;

static const POSTCONF_ROW postconf_rows[] = {
    {"bad type", "foo       bogus n       -       y       -       -       foo", 1,
    "error: invalid type field \"bogus\" in "
    "\"foo       bogus n       -       y       -       -       foo\"\n"},
    {"bad unpriv", "x unix - maybe n - - x", 1,
    "error: invalid unprivileged field \"maybe\" in \"x unix - maybe n - - x\"\n"},
    {"bad maxproc", "x unix - - n - many x", 1,
    "error: invalid process_limit field \"many\" in \"x unix - - n - many x\"\n"},
    {"bad field count", "x unix - - n", 1,
    "error: file " PATH ": line 1: bad field count\n"},
    {"options and names are master's concern", "../x unix - - n - - x -o name", 0, 0},
};

static void master_cf_test_postconf(void)
{
    char    label[256];

    for (size_t i = 0; i < sizeof(postconf_rows) / sizeof(postconf_rows[0]); i++) {
        const POSTCONF_ROW *row = postconf_rows + i;
        MASTER_CF *cf = master_cf_parse_text(PATH, row->input, MASTER_CF_POSTCONF);

        snprintf(label, sizeof(label), "postconf %s: error count", row->label);
        harness_inteq(label, cf->errors, row->want_errors);
        snprintf(label, sizeof(label), "postconf %s: log", row->label);
        if (row->want_log)
            harness_streq(label, harness_log(), row->want_log);
        harness_log_check(label, row->want_log);
        master_cf_free(&cf);
    }
}

static void master_cf_test_format(void)
{
    BUF    *out = buf_new(256);
    char    label[256];

    for (size_t i = 0; i < sizeof(format_rows) / sizeof(format_rows[0]); i++) {
        const FORMAT_ROW *row = format_rows + i;
        MASTER_CF *cf = master_cf_parse_text(PATH, row->input, 0);

        snprintf(label, sizeof(label), "format %s: entry count", row->label);
        harness_inteq(label, (long) cf->count, row->want ? 1 : 0);
        if (cf->count == 1) {
            buf_set(out, "");
            master_cf_format(cf->entries, 0, out);
            snprintf(label, sizeof(label), "format %s: -M", row->label);
            harness_streq(label, out->data, row->want);
            buf_set(out, "");
            master_cf_format(cf->entries, 1, out);
            snprintf(label, sizeof(label), "format %s: -Mf", row->label);
            harness_streq(label, out->data, row->want_fold);
            buf_set(out, "prefix> ");
            master_cf_format(cf->entries, 1, out);
            snprintf(label, sizeof(label), "format %s: appends to output", row->label);
            harness_check(strncmp(out->data, "prefix> ", 8) == 0
                          && strcmp(out->data + 8, row->want_fold) == 0, label,
                          "got \"%s\"", out->data);
        }
        snprintf(label, sizeof(label), "format %s: log", row->label);
        harness_log_check(label, row->want ? 0 : "bad -o option: (missing)");
        master_cf_free(&cf);
    }
    buf_free(&out);
}

static void master_cf_test_split(void)
{
    char    label[256];

    for (size_t i = 0; i < sizeof(split_rows) / sizeof(split_rows[0]); i++) {
        const SPLIT_ROW *row = split_rows + i;
        char   *host = 0, *port = 0;
        int     status = master_cf_split_inet(row->service, &host, &port);

        snprintf(label, sizeof(label), "split %s: status", row->label);
        harness_inteq(label, status, row->want_status);
        if (status == 0) {
            snprintf(label, sizeof(label), "split %s: host", row->label);
            harness_streq(label, host, row->want_host);
            snprintf(label, sizeof(label), "split %s: port", row->label);
            harness_streq(label, port, row->want_port);
            mem_free(host);
            mem_free(port);
        }
        snprintf(label, sizeof(label), "split %s: log", row->label);
        harness_log_check(label, 0);
    }
}

/* master_cf_test_find - look entries up by service and type. */

static void master_cf_test_find(void)
{
    MASTER_CF *cf = master_cf_parse_text(PATH,
                                         "smtp inet n - y - - smtpd\n"
                                         "smtp unix - - y - - smtp\n"
                                         "relay unix - - y - - smtp", 0);
    const MASTER_CF_ENTRY *e;

    e = master_cf_find(cf, "smtp", "unix");
    harness_streq("find smtp/unix", e ? e->command->argv[0] : 0, "smtp");
    e = master_cf_find(cf, "smtp", "inet");
    harness_streq("find smtp/inet", e ? e->command->argv[0] : 0, "smtpd");
    e = master_cf_find(cf, "smtp", 0);
    harness_streq("find smtp, any type: first", e ? e->type : 0, "inet");
    harness_check(master_cf_find(cf, "relay", "inet") == 0, "find relay/inet: none",
                  "found one");
    harness_check(master_cf_find(cf, "nosuch", 0) == 0, "find nosuch: none",
                  "found one");
    master_cf_free(&cf);
    harness_check(cf == 0, "free clears the pointer", "cf=%p", (void *) cf);
    master_cf_free(&cf);
    harness_log_check("find: log", 0);
}

/* master_cf_test_read - master_cf_read() on a scratch file. */

static void master_cf_test_read(void)
{
    static const char text[] = "# master.cf\r\n"
    "smtp inet n - y - - smtpd\r\n"
    "  -o a=b\r\n"
    "\r\n"
    "pickup unix n - y 60 1 pickup";
    char    dir[] = "/tmp/master_cf_test.XXXXXX";
    BUF    *path = buf_new(64);
    BUF    *out = buf_new(256);
    MASTER_CF *cf;
    int     missing = -1, fd;

    if (mkdtemp(dir) == 0) {
        harness_check(0, "mkdtemp", "%s", strerror(errno));
        return;
    }
    buf_printf(path, "%s/master.cf", dir);
    cf = master_cf_read(path->data, 0, &missing);
    harness_inteq("read missing file: missing_r", missing, 1);
    harness_inteq("read missing file: no entries", (long) cf->count, 0);
    master_cf_free(&cf);

    fd = open(path->data, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, text, sizeof(text) - 1) != (ssize_t) sizeof(text) - 1)
        harness_check(0, "write master.cf", "%s", strerror(errno));
    if (fd >= 0)
        close(fd);
    cf = master_cf_read(path->data, MASTER_CF_FATAL, &missing);
    harness_inteq("read file: missing_r", missing, 0);
    master_cf_test_entries(cf, out);
    harness_streq("read file: entries", out->data,
                  "2 smtp/inet 0 -1 1 0 -1 [smtpd -o a=b]\n"
                  "5 pickup/unix 0 -1 1 60 1 [pickup]\n");
    harness_streq("read file: path", cf->path, path->data);
    master_cf_free(&cf);
    harness_log_check("read file: log", 0);

    unlink(path->data);
    harness_inteq("scratch directory removed", rmdir(dir), 0);
    buf_free(&path);
    buf_free(&out);
}

int     main(void)
{
    harness_init("master_cf_test");
    master_cf_test_parse();
    master_cf_test_postconf();
    master_cf_test_format();
    master_cf_test_split();
    master_cf_test_find();
    master_cf_test_read();
    return (harness_done());
}
