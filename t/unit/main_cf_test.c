/* NAME
 *	main_cf_test 1
 * SUMMARY
 *	unit tests for main_cf(3)
 * DESCRIPTION
 *	Parse rows: a main.cf text fed one physical line at a time, with or
 *	without MAIN_CF_FATAL, and the wanted entries as "first-last
 *	name=value" lines, error count, whether the parse ended in a fatal
 *	error, and the wanted log text (a substring of what was logged).
 *	Errors name the file and line, as Postfix does.
 *
 *	Edit rows: a text, one edit (set, remove, comment out), and the
 *	physical lines afterwards joined with "\n", plus the entries parsed
 *	from them. Expected results follow Postfix's postconf -e, -X and -#
 *	(t/fixtures/postconf): comment and blank lines inside a multi-line
 *	entry stay as they are.
 *
 *	Then main_cf_write() and main_cf_read() round trips in a scratch
 *	directory under /tmp, removed at the end.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "harness.h"
#include "main_cf.h"
#include "mem.h"
#include "msg.h"

#define PATH    "/etc/postern/main.cf"

extern void __lsan_disable(void) __attribute__((weak));
extern void __lsan_enable(void) __attribute__((weak));

typedef struct PARSE_ROW {
    const char *label;
    int     flags;
    const char *input;                  /* physical lines, '\n' separated */
    const char *want;                   /* "first-last name=value\n"... */
    int     want_errors;
    int     want_fatal;
    const char *find;                   /* main_cf_find() this name */
    const char *want_find;              /* its value, NULL: not found */
    const char *want_log;
} PARSE_ROW;

static const PARSE_ROW parse_rows[] = {
    {"empty file", 0, "", "", 0, 0, "a", 0, 0},
    {"one entry", 0, "myhostname = mx.example.com",
    "1-1 myhostname=mx.example.com\n", 0, 0, "myhostname", "mx.example.com", 0},
    {"no blanks around =", 0, "a=b", "1-1 a=b\n", 0, 0, "a", "b", 0},
    {"blank before =", 0, "a =b", "1-1 a=b\n", 0, 0, 0, 0, 0},
    {"tabs around =", 0, "a\t=\tb\t", "1-1 a=b\n", 0, 0, 0, 0, 0},
    {"empty value", 0, "relayhost =   ", "1-1 relayhost=\n", 0, 0, "relayhost", "", 0},
    {"inner blanks kept", 0, "smtpd_banner = a   b\tc", "1-1 smtpd_banner=a   b\tc\n",
    0, 0, 0, 0, 0},
    {"= in value", 0, "a = b=c", "1-1 a=b=c\n", 0, 0, "a", "b=c", 0},
    {"# in value is not a comment", 0, "home_mailbox = Maildir/ # x",
    "1-1 home_mailbox=Maildir/ # x\n", 0, 0, 0, 0, 0},
    {"references kept raw", 0, "myorigin = $mydomain ${a?{b}}",
    "1-1 myorigin=$mydomain ${a?{b}}\n", 0, 0, 0, 0, 0},
    {"several entries", 0, "a = 1\nb = 2\nc = 3", "1-1 a=1\n2-2 b=2\n3-3 c=3\n",
    0, 0, "b", "2", 0},
    {"continuation lines", 0, "mynetworks = 127.0.0.0/8\n    10.0.0.0/8\n\t192.168.0.0/16",
    "1-3 mynetworks=127.0.0.0/8 10.0.0.0/8 192.168.0.0/16\n", 0, 0, 0, 0, 0},
    {"comments and blanks in between", 0,
    "# head\n\na = 1\n# inside\n  2\n\n  3\nb = 4\n# tail\n",
    "3-7 a=1 2 3\n8-8 b=4\n", 0, 0, "a", "1 2 3", 0},
    {"CR LF line ends", 0, "a = 1\r\nb = 2\r\n", "1-1 a=1\n2-2 b=2\n", 0, 0, "b", "2", 0},
    {"unknown names are fine", 0, "my_own_thing = 1", "1-1 my_own_thing=1\n", 0, 0,
    0, 0, 0},
    {"duplicate: last one wins", 0,
    "relayhost = [first]\nmydomain = example.com\nrelayhost = [second]",
    "1-1 relayhost=[first]\n2-2 mydomain=example.com\n3-3 relayhost=[second]\n", 0, 0,
    "relayhost", "[second]",
    "warning: " PATH ", line 3: overriding earlier entry: relayhost=[first]"},
    {"leading continuation skipped", 0, "  relayhost = x\nmyhostname = y",
    "2-2 myhostname=y\n", 0, 0, "relayhost", 0,
    "warning: " PATH ": logical line must not start with whitespace"},
    {"missing =", 0, "myhostname = a\nthis line has no equals sign\nmydomain = b",
    "1-1 myhostname=a\n3-3 mydomain=b\n", 1, 0, "mydomain", "b",
    "error: " PATH ", line 2: missing '=' after attribute name: "
    "\"this line has no equals sign\""},
    {"missing name", 0, "=value\na = 1", "2-2 a=1\n", 1, 0, 0, 0,
    "error: " PATH ", line 1: missing attribute name: \"=value\""},
    {"name with a blank", 0, "my name = x", "", 1, 0, 0, 0,
    "line 1: missing '=' after attribute name: \"my name = x\""},
    {"error names the first line", 0, "a = 1\n\nbad\n  continued\nb = 2",
    "1-1 a=1\n5-5 b=2\n", 1, 0, 0, 0,
    "error: " PATH ", line 3: missing '=' after attribute name: \"bad continued\""},
    {"every error reported", 0, "x\ny = 1\n= z\n",
    "2-2 y=1\n", 2, 0, 0, 0,
    "error: " PATH ", line 1: missing '=' after attribute name: \"x\"\n"
    "error: " PATH ", line 3: missing attribute name: \"= z\""},
    {"fatal: missing =", MAIN_CF_FATAL, "myhostname = a\nthis line has no equals sign",
    "1-1 myhostname=a\n", 0, 1, 0, 0,
    "fatal: " PATH ", line 2: missing '=' after attribute name: "
    "\"this line has no equals sign\""},
    {"fatal: missing name", MAIN_CF_FATAL, "myhostname = a\n=value",
    "1-1 myhostname=a\n", 0, 1, 0, 0,
    "fatal: " PATH ", line 2: missing attribute name: \"=value\""},
    {"fatal: first error ends it", MAIN_CF_FATAL, "x\ny",
    "", 0, 1, 0, 0, "fatal: " PATH ", line 1: missing '='"},
    {"fatal flag, valid file", MAIN_CF_FATAL, "a = 1\n  2", "1-2 a=1 2\n", 0, 0,
    "a", "1 2", 0},
};

typedef enum EDIT_OP {
    EDIT_SET,                           /* main_cf_set(name, value) */
    EDIT_REMOVE,                        /* main_cf_remove(name, 0) */
    EDIT_COMMENT,                       /* main_cf_remove(name, 1) */
} EDIT_OP;

typedef struct EDIT_ROW {
    const char *label;
    const char *input;
    EDIT_OP op;
    const char *name;
    const char *value;
    const char *want_lines;             /* physical lines, '\n' separated */
    const char *want;                   /* entries afterwards */
    const char *want_log;
} EDIT_ROW;

#define MULTILINE "myhostname = mx.example.com\n" \
    "mynetworks = 127.0.0.0/8\n" \
    "    10.0.0.0/8\n" \
    "# comment inside the value\n" \
    "\t192.168.0.0/16\n" \
    "\n" \
    "    172.16.0.0/12\n" \
    "relayhost = [smtp.example.com]"

static const EDIT_ROW edit_rows[] = {
    {"set existing", "a = 1\nb = 2\nc = 3", EDIT_SET, "b", "9",
    "a = 1\nb = 9\nc = 3", "1-1 a=1\n2-2 b=9\n3-3 c=3\n", 0},
    {"set new appends", "# top\na = 1", EDIT_SET, "b", "2",
    "# top\na = 1\nb = 2", "2-2 a=1\n3-3 b=2\n", 0},
    {"set in empty file", "", EDIT_SET, "a", "1", "a = 1", "1-1 a=1\n", 0},
    {"set to empty value", "a = 1", EDIT_SET, "a", "", "a = ", "1-1 a=\n", 0},
    {"set keeps other lines", "# c1\n\na = 1\n  # c2\nb = 2\n", EDIT_SET, "a", "x",
    "# c1\n\na = x\n  # c2\nb = 2", "3-3 a=x\n5-5 b=2\n", 0},
    {"set multi-line entry", MULTILINE, EDIT_SET, "mynetworks", "10.1.0.0/16",
    "myhostname = mx.example.com\n"
    "mynetworks = 10.1.0.0/16\n"
    "# comment inside the value\n"
    "\n"
    "relayhost = [smtp.example.com]",
    "1-1 myhostname=mx.example.com\n2-2 mynetworks=10.1.0.0/16\n"
    "5-5 relayhost=[smtp.example.com]\n", 0},
    {"set every duplicate", "relayhost = [a]\nmydomain = d\nrelayhost = [b]",
    EDIT_SET, "relayhost", "[c]",
    "relayhost = [c]\nmydomain = d\nrelayhost = [c]",
    "1-1 relayhost=[c]\n2-2 mydomain=d\n3-3 relayhost=[c]\n",
    "overriding earlier entry: relayhost="},
    {"set needs an exact name", "ab = 1\nabc = 2", EDIT_SET, "a", "3",
    "ab = 1\nabc = 2\na = 3", "1-1 ab=1\n2-2 abc=2\n3-3 a=3\n", 0},
    {"remove", "a = 1\nb = 2\nc = 3", EDIT_REMOVE, "b", 0,
    "a = 1\nc = 3", "1-1 a=1\n2-2 c=3\n", 0},
    {"remove missing name", "a = 1\n# b = 2", EDIT_REMOVE, "b", 0,
    "a = 1\n# b = 2", "1-1 a=1\n", 0},
    {"remove multi-line entry", MULTILINE, EDIT_REMOVE, "mynetworks", 0,
    "myhostname = mx.example.com\n"
    "# comment inside the value\n"
    "\n"
    "relayhost = [smtp.example.com]",
    "1-1 myhostname=mx.example.com\n4-4 relayhost=[smtp.example.com]\n", 0},
    {"remove every duplicate", "x = 1\ny = 2\nx = 3", EDIT_REMOVE, "x", 0,
    "y = 2", "1-1 y=2\n", "overriding earlier entry: x=1"},
    {"remove last entry", "a = 1\nb = 2\n  3", EDIT_REMOVE, "b", 0,
    "a = 1", "1-1 a=1\n", 0},
    {"comment out", "a = 1\nb = 2", EDIT_COMMENT, "a", 0,
    "#a = 1\nb = 2", "2-2 b=2\n", 0},
    {"comment out multi-line entry", MULTILINE, EDIT_COMMENT, "mynetworks", 0,
    "myhostname = mx.example.com\n"
    "#mynetworks = 127.0.0.0/8\n"
    "#    10.0.0.0/8\n"
    "# comment inside the value\n"
    "#\t192.168.0.0/16\n"
    "\n"
    "#    172.16.0.0/12\n"
    "relayhost = [smtp.example.com]",
    "1-1 myhostname=mx.example.com\n8-8 relayhost=[smtp.example.com]\n", 0},
    {"comment out missing name", "a = 1", EDIT_COMMENT, "b", 0,
    "a = 1", "1-1 a=1\n", 0},
    {"set after comment out appends", "#a = 1\nb = 2", EDIT_SET, "a", "5",
    "#a = 1\nb = 2\na = 5", "2-2 b=2\n3-3 a=5\n", 0},
    /* As Postfix: a line belongs to the word before its first blank or "=". */
    {"remove a line that is not an entry", "a = 1\nthis line has no equals\n  more\nb = 2",
    EDIT_REMOVE, "this", 0, "a = 1\nb = 2", "1-1 a=1\n2-2 b=2\n",
    "missing '=' after attribute name"},
    {"stray continuation line stays", "  x = 0\na = 1", EDIT_SET, "x", "9",
    "  x = 0\na = 1\nx = 9", "2-2 a=1\n3-3 x=9\n",
    "logical line must not start with whitespace"},
};

typedef struct SPLIT_ROW {
    const char *label;
    const char *input;
    int     want_status;
    const char *want;                   /* "name|value", or the reason */
} SPLIT_ROW;

static const SPLIT_ROW split_rows[] = {
    {"plain", "a=b", 0, "a|b"},
    {"blanks", "  a  =  b c  ", 0, "a|b c"},
    {"empty value", "a=", 0, "a|"},
    {"no =", "abc", -1, "missing '=' after attribute name"},
    {"no name", "=b", -1, "missing attribute name"},
    {"empty", "", -1, "missing attribute name"},
    {"blank in name", "a b=c", -1, "missing '=' after attribute name"},
};

static void main_cf_test_feed_text(MAIN_CF *cf, const char *text)
{
    while (*text) {
        size_t  len = strcspn(text, "\n");
        char   *line = mem_strndup(text, len);

        main_cf_feed(cf, line);
        mem_free(line);
        text += len + (text[len] == '\n');
    }
}

/*
 * main_cf_test_parse_text - feed and finish; 1 when that ended in
 * msg_fatal(). What a caught fatal error strands is not a leak: the real
 * process would have exited, so LeakSanitizer looks away meanwhile.
 */
static int main_cf_test_parse_text(MAIN_CF *cf, const char *text)
{
    int     caught;

    if (__lsan_disable)
        __lsan_disable();
    caught = HARNESS_CATCH(main_cf_test_feed_text(cf, text); main_cf_finish(cf));
    if (__lsan_enable)
        __lsan_enable();
    return (caught);
}

/* main_cf_test_read_fatal - main_cf_read(), 1 when it ended in msg_fatal(). */

static int main_cf_test_read_fatal(const char *path)
{
    MAIN_CF *cf = 0;
    int     missing, caught;

    if (__lsan_disable)
        __lsan_disable();
    caught = HARNESS_CATCH(cf = main_cf_read(path, MAIN_CF_FATAL, &missing));
    if (__lsan_enable)
        __lsan_enable();
    if (!caught)
        main_cf_free(&cf);
    return (caught);
}

static void main_cf_test_entries(const MAIN_CF *cf, BUF *out)
{
    buf_reset(out);
    for (size_t i = 0; i < cf->count; i++)
        buf_printf(out, "%d-%d %s=%s\n", cf->entries[i].first_line,
                   cf->entries[i].last_line, cf->entries[i].name,
                   cf->entries[i].value);
}

static void main_cf_test_lines(const MAIN_CF *cf, BUF *out)
{
    buf_reset(out);
    for (size_t i = 0; i < cf->lines->argc; i++)
        buf_printf(out, "%s%s", i ? "\n" : "", cf->lines->argv[i]);
}

static void main_cf_test_parse(void)
{
    BUF    *out = buf_new(256);
    char    label[256];

    for (size_t i = 0; i < sizeof(parse_rows) / sizeof(parse_rows[0]); i++) {
        const PARSE_ROW *row = parse_rows + i;
        MAIN_CF *cf = main_cf_new(PATH, row->flags);
        int     errors_before = msg_error_count();
        int     fatal;

        fatal = main_cf_test_parse_text(cf, row->input);
        snprintf(label, sizeof(label), "parse %s: fatal", row->label);
        harness_inteq(label, fatal, row->want_fatal);
        main_cf_test_entries(cf, out);
        snprintf(label, sizeof(label), "parse %s: entries", row->label);
        harness_streq(label, out->data, row->want);
        snprintf(label, sizeof(label), "parse %s: error count", row->label);
        harness_inteq(label, cf->errors, row->want_errors);
        snprintf(label, sizeof(label), "parse %s: errors counted by msg", row->label);
        harness_inteq(label, msg_error_count() - errors_before, row->want_errors);
        if (row->find) {
            const MAIN_CF_ENTRY *entry = main_cf_find(cf, row->find);

            snprintf(label, sizeof(label), "parse %s: find %s", row->label, row->find);
            harness_streq(label, entry ? entry->value : 0, row->want_find);
        }
        snprintf(label, sizeof(label), "parse %s: log", row->label);
        harness_log_check(label, row->want_log);
        main_cf_free(&cf);
    }
    buf_free(&out);
}

static void main_cf_test_edit(void)
{
    BUF    *out = buf_new(256);
    char    label[256];

    for (size_t i = 0; i < sizeof(edit_rows) / sizeof(edit_rows[0]); i++) {
        const EDIT_ROW *row = edit_rows + i;
        MAIN_CF *cf = main_cf_new(PATH, 0);

        main_cf_test_feed_text(cf, row->input);
        main_cf_finish(cf);
        switch (row->op) {
        case EDIT_SET:
            main_cf_set(cf, row->name, row->value);
            break;
        case EDIT_REMOVE:
            main_cf_remove(cf, row->name, 0);
            break;
        case EDIT_COMMENT:
            main_cf_remove(cf, row->name, 1);
            break;
        }
        main_cf_test_lines(cf, out);
        snprintf(label, sizeof(label), "edit %s: lines", row->label);
        harness_streq(label, out->data, row->want_lines);
        main_cf_test_entries(cf, out);
        snprintf(label, sizeof(label), "edit %s: entries", row->label);
        harness_streq(label, out->data, row->want);
        snprintf(label, sizeof(label), "edit %s: log", row->label);
        harness_log_check(label, row->want_log);
        main_cf_free(&cf);
    }
    buf_free(&out);
}

static void main_cf_test_split(void)
{
    char    label[256];
    BUF    *out = buf_new(64);

    for (size_t i = 0; i < sizeof(split_rows) / sizeof(split_rows[0]); i++) {
        const SPLIT_ROW *row = split_rows + i;
        char   *name, *value;
        const char *why = 0;
        int     status = main_cf_split(row->input, &name, &value, &why);

        buf_reset(out);
        if (status == 0) {
            buf_printf(out, "%s|%s", name, value);
            mem_free(name);
            mem_free(value);
        } else {
            buf_puts(out, why ? why : "(no reason)");
        }
        snprintf(label, sizeof(label), "split %s: status", row->label);
        harness_inteq(label, status, row->want_status);
        snprintf(label, sizeof(label), "split %s: result", row->label);
        harness_streq(label, out->data, row->want);
        snprintf(label, sizeof(label), "split %s: log", row->label);
        harness_log_check(label, 0);
    }
    buf_free(&out);
}

/* main_cf_test_slurp - a whole file, or "(missing)". */

static void main_cf_test_slurp(const char *path, BUF *out)
{
    char    block[1024];
    ssize_t n;
    int     fd;

    buf_reset(out);
    if ((fd = open(path, O_RDONLY)) < 0) {
        buf_puts(out, "(missing)");
        return;
    }
    while ((n = read(fd, block, sizeof(block))) > 0)
        buf_append(out, block, (size_t) n);
    close(fd);
}

static void main_cf_test_spew(const char *path, const char *data, size_t len)
{
    int     fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

    if (fd < 0 || write(fd, data, len) != (ssize_t) len)
        harness_check(0, "write test file", "%s: %s", path, strerror(errno));
    if (fd >= 0)
        close(fd);
}

/* main_cf_test_count_files - entries in dir, "." and ".." excluded. */

static int main_cf_test_count_files(const char *dir)
{
    DIR    *dp = opendir(dir);
    struct dirent *de;
    int     count = 0;

    if (dp == 0)
        return (-1);
    while ((de = readdir(dp)) != 0)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            count++;
    closedir(dp);
    return (count);
}

static void main_cf_test_files(void)
{
    char    dir[] = "/tmp/main_cf_test.XXXXXX";
    BUF    *path = buf_new(64);
    BUF    *got = buf_new(256);
    MAIN_CF *cf, *back;
    struct stat st;
    int     missing = -1;

    if (mkdtemp(dir) == 0) {
        harness_check(0, "mkdtemp", "%s", strerror(errno));
        return;
    }
    buf_printf(path, "%s/main.cf", dir);

    /* Missing file. */
    cf = main_cf_read(path->data, MAIN_CF_FATAL, &missing);
    harness_inteq("read missing file: missing_r", missing, 1);
    harness_inteq("read missing file: no entries", (long) cf->count, 0);
    main_cf_free(&cf);

    /* Write a new file, then read it back. */
    cf = main_cf_new(path->data, 0);
    main_cf_test_feed_text(cf, "# comment\nmyhostname = mx.example.com\n"
                           "mynetworks = 127.0.0.0/8\n  10.0.0.0/8\n\nrelayhost =");
    main_cf_finish(cf);
    harness_inteq("write new file", main_cf_write(cf), 0);
    main_cf_test_slurp(path->data, got);
    harness_streq("written bytes", got->data,
                  "# comment\nmyhostname = mx.example.com\n"
                  "mynetworks = 127.0.0.0/8\n  10.0.0.0/8\n\nrelayhost =\n");
    harness_check(stat(path->data, &st) == 0 && (st.st_mode & 07777) == 0644,
                  "new file mode 0644", "mode %o", (unsigned) (st.st_mode & 07777));
    back = main_cf_read(path->data, MAIN_CF_FATAL, &missing);
    harness_inteq("read back: missing_r", missing, 0);
    main_cf_test_entries(back, got);
    harness_streq("read back: entries", got->data,
                  "2-2 myhostname=mx.example.com\n3-4 mynetworks=127.0.0.0/8 10.0.0.0/8\n"
                  "6-6 relayhost=\n");
    main_cf_free(&back);

    /* Edit, write over the old file; the mode is kept, no temp file left. */
    chmod(path->data, 0640);
    main_cf_set(cf, "relayhost", "[smtp.example.com]");
    main_cf_remove(cf, "mynetworks", 1);
    harness_inteq("rewrite file", main_cf_write(cf), 0);
    main_cf_test_slurp(path->data, got);
    harness_streq("rewritten bytes", got->data,
                  "# comment\nmyhostname = mx.example.com\n"
                  "#mynetworks = 127.0.0.0/8\n#  10.0.0.0/8\n\n"
                  "relayhost = [smtp.example.com]\n");
    harness_check(stat(path->data, &st) == 0 && (st.st_mode & 07777) == 0640,
                  "rewrite keeps mode 0640", "mode %o", (unsigned) (st.st_mode & 07777));
    harness_inteq("no temporary file left", main_cf_test_count_files(dir), 1);
    back = main_cf_read(path->data, 0, &missing);
    main_cf_test_entries(back, got);
    harness_streq("read back after edit", got->data,
                  "2-2 myhostname=mx.example.com\n6-6 relayhost=[smtp.example.com]\n");
    main_cf_free(&back);
    main_cf_free(&cf);

    /* A file without a final newline, with CR LF, and an empty file. */
    main_cf_test_spew(path->data, "a = 1\r\n  2\r\nb = 3", 17);
    back = main_cf_read(path->data, MAIN_CF_FATAL, &missing);
    main_cf_test_entries(back, got);
    harness_streq("read CR LF, no final newline", got->data, "1-2 a=1 2\n3-3 b=3\n");
    main_cf_free(&back);
    main_cf_test_spew(path->data, "", 0);
    back = main_cf_read(path->data, MAIN_CF_FATAL, &missing);
    harness_inteq("read empty file: missing_r", missing, 0);
    harness_inteq("read empty file: entries", (long) back->count, 0);
    main_cf_free(&back);

    /* A NUL byte is an error on its line; the lines after it still count. */
    main_cf_test_spew(path->data, "a = 1\nb\0 = 2\nc = 3\n", 19);
    back = main_cf_read(path->data, 0, &missing);
    main_cf_test_entries(back, got);
    harness_streq("NUL line skipped", got->data, "1-1 a=1\n3-3 c=3\n");
    harness_inteq("NUL line counted as an error", back->errors, 1);
    main_cf_free(&back);
    harness_log_check("NUL line error names file and line",
                      "main.cf, line 2: NUL character in line");

    /* Fatal syntax error while reading a file. */
    main_cf_test_spew(path->data, "a = 1\nbad\n", 10);
    harness_inteq("read with syntax error is fatal",
                  main_cf_test_read_fatal(path->data), 1);
    harness_log_check("fatal read names file and line",
                      "main.cf, line 2: missing '=' after attribute name: \"bad\"");

    /* Write into a directory that does not exist. */
    cf = main_cf_new("/nonexistent/dir/main.cf", 0);
    main_cf_set(cf, "a", "1");
    harness_inteq("write to missing directory fails", main_cf_write(cf), -1);
    harness_log_check("write failure is reported",
                      "error: open /nonexistent/dir/main.cf.tmp.");
    main_cf_free(&cf);

    unlink(path->data);
    harness_inteq("scratch directory removed", rmdir(dir), 0);
    harness_log_check("file tests: log", 0);
    buf_free(&path);
    buf_free(&got);
}

int     main(void)
{
    harness_init("main_cf_test");
    main_cf_test_parse();
    main_cf_test_edit();
    main_cf_test_split();
    main_cf_test_files();
    return (harness_done());
}
