/* NAME
 *	dict_test 1
 * SUMMARY
 *	unit tests for dict(3) and its table types
 * DESCRIPTION
 *	Fixture files are written into a directory under /tmp (removed at
 *	the end): a text source (built into hash: and btree: tables with
 *	dict_update(), and read as texthash:), regexp and pcre files with
 *	if/endif, negation and $n, a cidr file with IPv4 and IPv6 prefixes,
 *	and files with bad lines.
 *
 *	Source rows: text fed to dict_src_read() (table or alias syntax),
 *	the wanted "key=value|" list and log text.
 *
 *	Lookup rows: a table ("%s" stands for the fixture directory), open
 *	flags, a key, the wanted status (DICT_FOUND, DICT_NOTFOUND,
 *	DICT_ERROR), the wanted value and the wanted log text (a substring;
 *	"" for none) of the open and the lookup together.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "dict.h"
#include "dict_src.h"
#include "harness.h"
#include "msg.h"

static char dict_test_dir[] = "/tmp/dict_test.XXXXXX";

#define FOLD    DICT_FLAG_FOLD_FIX

typedef struct FILE_ROW {
    const char *name;
    const char *text;
} FILE_ROW;

static const FILE_ROW file_rows[] = {
    {"map",
        "# comment\n"
        "Example.COM  OK\n"
        "\n"
        "user@example.com   REJECT no  thanks\n"
        "   continued here\n"
        "dup first\n"
        "dup second\n"
        "lonely\n"},
    {"re",
        "/^(.*)@example\\.com$/   local $1\n"
        "/^Case@/i               sensitive\n"
        "!/@/                    no-at x$$\n"
        "if /\\.org$/\n"
        "/^admin@/               org-admin\n"
        "if !/^admin/\n"
        "/^(b)(o)(b)@/           bob $3$2$1\n"
        "endif\n"
        "endif\n"
        "/^admin@/               not-org-admin\n"
        "/(/                     broken\n"
        "/x/q                    bad-flag\n"
        "/(y)/                   $2\n"
        "junk\n"
        "endif\n"},
    {"unclosed",
        "if /a/\n"
        "/b/ inner\n"},
    {"neg", "!/@/ x$1\n"},
    {"cidr",
        "192.0.2.0/24        first\n"
        "192.0.2.7           second\n"
        "2001:db8::/32       six\n"
        "[2001:db8:1::]/48   six-later\n"
        "0.0.0.0/0           any4\n"
        "192.0.2.1/24        bad\n"
        "10.0.0.1\n"},
    {NULL, NULL},
};

typedef struct LOOKUP_ROW {
    const char *label;
    const char *table;
    int     flags;
    const char *key;
    int     want;
    const char *want_value;
    const char *want_log;
} LOOKUP_ROW;

static const LOOKUP_ROW lookup_rows[] = {
    /* texthash: the text source in memory. */
    {"texthash found, folded", "texthash:%s/map", FOLD, "EXAMPLE.com", DICT_FOUND, "OK",
    "%s/map, line 7: duplicate entry: \"dup\""},
    {"texthash value with continuation", "texthash:%s/map", FOLD, "user@example.com",
        DICT_FOUND, "REJECT no  thanks   continued here",
    "duplicate entry"},
    {"texthash first duplicate wins", "texthash:%s/map", FOLD, "dup", DICT_FOUND, "first",
    "duplicate entry"},
    {"texthash key without value", "texthash:%s/map", FOLD, "lonely", DICT_NOTFOUND, 0,
    "%s/map, line 8: expected format: key whitespace value"},
    {"texthash not found", "texthash:%s/map", FOLD, "nope", DICT_NOTFOUND, 0, "duplicate"},
    {"texthash without folding", "texthash:%s/map", 0, "example.com", DICT_NOTFOUND, 0,
    "duplicate"},
    {"texthash without folding, exact", "texthash:%s/map", 0, "Example.COM", DICT_FOUND, "OK",
    "duplicate"},
    {"texthash missing file", "texthash:%s/none", FOLD, "a", DICT_ERROR, 0,
    "texthash:%s/none is unavailable. open %s/none: No such file or directory"},

    /* hash: and btree: built by the test from the same source. */
    {"hash found, folded", "hash:%s/map", FOLD, "Example.Com", DICT_FOUND, "OK", ""},
    {"hash value", "hash:%s/map", FOLD, "user@example.com", DICT_FOUND,
    "REJECT no  thanks   continued here", ""},
    {"hash not found", "hash:%s/map", FOLD, "example.net", DICT_NOTFOUND, 0, ""},
    {"hash no-NUL keys", "hash:%s/nonul", FOLD, "example.com", DICT_FOUND, "OK", ""},
    {"btree found", "btree:%s/bmap", FOLD, "EXAMPLE.COM", DICT_FOUND, "OK", ""},
    {"btree not found", "btree:%s/bmap", FOLD, "x", DICT_NOTFOUND, 0, ""},
    {"hash missing .db", "hash:%s/none", FOLD, "a", DICT_ERROR, 0,
    "hash:%s/none is unavailable. open database %s/none.db: No such file or directory"},
    {"hash broken .db", "hash:%s/broken", FOLD, "a", DICT_ERROR, 0,
    "hash:%s/broken is unavailable. open database %s/broken.db"},
    {"proxy: is the plain table", "proxy:hash:%s/map", FOLD, "example.com", DICT_FOUND, "OK", ""},

    /* inline: and static: */
    {"inline simple", "inline:{ a=1, B=2 }", FOLD, "b", DICT_FOUND, "2", ""},
    {"inline braced with spaces", "inline:{ a=1, { key = text with spaces } }", FOLD,
    "KEY", DICT_FOUND, "text with spaces", ""},
    {"inline not found", "inline:{a=1}", FOLD, "c", DICT_NOTFOUND, 0, ""},
    {"inline without braces", "inline:a=1", FOLD, "a", DICT_ERROR, 0,
    "need \"inline:{name=value...}\""},
    {"inline item without =", "inline:{a=1, b}", FOLD, "a", DICT_ERROR, 0,
    "expected name=value, not \"b\""},
    {"inline unclosed inner brace", "inline:{a=1, {b=2}", FOLD, "a", DICT_ERROR, 0,
    "missing '}'"},
    {"static", "static:OK", FOLD, "anything", DICT_FOUND, "OK", ""},
    {"static braced", "static:{ text with spaces }", FOLD, "x", DICT_FOUND,
    "text with spaces", ""},

    /* regexp: and pcre: share the file syntax. */
    {"regexp $1", "regexp:%s/re", FOLD, "joe@example.com", DICT_FOUND, "local joe",
    "regexp:%s/re, line 11: regexp \"(\""},
    {"regexp case-insensitive by default", "regexp:%s/re", 0, "JOE@EXAMPLE.COM",
    DICT_FOUND, "local JOE", "line 11"},
    {"regexp i flag: case-sensitive", "regexp:%s/re", 0, "case@x", DICT_NOTFOUND, 0,
    "line 11"},
    {"regexp i flag: exact case", "regexp:%s/re", 0, "Case@x", DICT_FOUND, "sensitive",
    "line 11"},
    {"regexp negated", "regexp:%s/re", 0, "plain", DICT_FOUND, "no-at x$", "line 11"},
    {"regexp inside if", "regexp:%s/re", 0, "admin@x.org", DICT_FOUND, "org-admin", "line 11"},
    {"regexp nested if with groups", "regexp:%s/re", 0, "bob@x.org", DICT_FOUND,
    "bob bob", "line 11"},
    {"regexp if false skips block", "regexp:%s/re", 0, "admin@x.net", DICT_FOUND,
    "not-org-admin", "line 11"},
    {"regexp nothing matches", "regexp:%s/re", 0, "carl@x.net", DICT_NOTFOUND, 0, "line 11"},
    {"regexp bad flag", "regexp:%s/re", 0, "x@y", DICT_NOTFOUND, 0,
    "regexp:%s/re, line 12: unknown regexp option \"q\""},
    {"regexp out of range $2", "regexp:%s/re", 0, "y@y", DICT_NOTFOUND, 0,
    "regexp:%s/re, line 13: out of range replacement index \"2\""},
    {"regexp junk line", "regexp:%s/re", 0, "z@z", DICT_NOTFOUND, 0,
    "regexp:%s/re, line 14: ignoring unrecognized request"},
    {"regexp stray endif", "regexp:%s/re", 0, "z@z", DICT_NOTFOUND, 0,
    "regexp:%s/re, line 15: ignoring ENDIF without matching IF"},
    {"regexp unclosed if", "regexp:%s/unclosed", 0, "b", DICT_NOTFOUND, 0,
    "regexp:%s/unclosed, line 1: IF has no matching ENDIF"},
    {"regexp unclosed if, inside", "regexp:%s/unclosed", 0, "ab", DICT_FOUND, "inner",
    "IF has no matching ENDIF"},
    {"regexp $n out of range in a negated rule", "regexp:%s/neg", 0, "a", DICT_NOTFOUND, 0,
    "regexp:%s/neg, line 1: out of range replacement index \"1\""},
    {"regexp missing file", "regexp:%s/none", 0, "a", DICT_ERROR, 0,
    "regexp:%s/none is unavailable. open %s/none: No such file"},
    {"pcre $1", "pcre:%s/re", 0, "Joe@Example.com", DICT_FOUND, "local Joe",
    "pcre:%s/re, line 11: pcre \"(\""},
    {"pcre nested if with groups", "pcre:%s/re", 0, "bob@x.org", DICT_FOUND, "bob bob",
    "line 11"},
    {"pcre if false skips block", "pcre:%s/re", 0, "admin@x.net", DICT_FOUND,
    "not-org-admin", "line 11"},
    {"pcre negated with $$", "pcre:%s/re", 0, "plain", DICT_FOUND, "no-at x$", "line 11"},
    {"pcre bad flag", "pcre:%s/re", 0, "q", DICT_FOUND, "no-at x$",
    "pcre:%s/re, line 12: unknown pcre option \"q\""},

    /* cidr: first match, IPv4 and IPv6. */
    {"cidr first match", "cidr:%s/cidr", 0, "192.0.2.7", DICT_FOUND, "first",
    "cidr:%s/cidr, line 6: non-null host address bits"},
    {"cidr later prefix", "cidr:%s/cidr", 0, "198.51.100.1", DICT_FOUND, "any4",
    "cidr:%s/cidr, line 7: expected format: network/mask result"},
    {"cidr IPv6", "cidr:%s/cidr", 0, "2001:db8:1::5", DICT_FOUND, "six", "line 6"},
    {"cidr IPv6 outside", "cidr:%s/cidr", 0, "2001:db9::1", DICT_NOTFOUND, 0, "line 6"},
    {"cidr not an address", "cidr:%s/cidr", 0, "example.com", DICT_NOTFOUND, 0, "line 6"},

    /* unix:, fail:, bad names. */
    {"unix root", "unix:passwd.byname", FOLD, "root", DICT_FOUND, "root:x:0:0:root:/root:/bin/bash",
    ""},
    {"unix no such user", "unix:passwd.byname", FOLD, "no-such-user-xyz", DICT_NOTFOUND, 0, ""},
    {"unix unknown table", "unix:shadow", FOLD, "root", DICT_ERROR, 0,
    "unknown table: unix:shadow"},
    {"fail", "fail:test", FOLD, "a", DICT_ERROR, 0, ""},
    {"unknown type", "nosuch:x", FOLD, "a", DICT_ERROR, 0,
    "nosuch:x is unavailable. unsupported dictionary type: nosuch"},
    {"no type", "justaname", FOLD, "a", DICT_ERROR, 0, "need dictionary type:name"},
};

typedef struct SRC_ROW {
    const char *label;
    int     flags;                      /* DICT_SRC_ALIAS or 0 */
    const char *text;
    const char *want;                   /* "key=value|" per entry */
    const char *want_log;
} SRC_ROW;

static const SRC_ROW src_rows[] = {
    {"table entry", 0, "k v\n", "k=v|", ""},
    {"whitespace kept inside the value", 0, "k  a  b  \n", "k=a  b|", ""},
    {"continuation kept as is", 0, "k a\n  b\n\tc\n", "k=a  b\tc|", ""},
    {"comments and blank lines inside a continued entry", 0,
    "k a\n# note\n\n  b\nx y\n", "k=a  b|x=y|", ""},
    {"no newline at the end", 0, "k v", "k=v|", ""},
    {"key without value", 0, "k\nx y\n", "x=y|",
    "src, line 1: expected format: key whitespace value"},
    {"leading whitespace first", 0, " k v\nx y\n", "x=y|",
    "src, line 1: logical line must not start with whitespace: \" k v\""},
    {"alias entry", DICT_SRC_ALIAS, "Root: a, b\n", "Root=a, b|", ""},
    {"alias value normalised", DICT_SRC_ALIAS, "n :  a  ,  \"b c\"   d\n  \t e,\n",
    "n=a, \"b c\" d e|", ""},
    {"alias quoted name", DICT_SRC_ALIAS, "\"a b\": x\n", "a b=x|", ""},
    {"alias without colon", DICT_SRC_ALIAS, "nocolon x\nok: y\n", "ok=y|",
    "src, line 1: need name:value pair"},
    {"alias without value", DICT_SRC_ALIAS, "empty:\n", "", "src, line 1: need name:value pair"},
    {"alias line number of a continued entry", DICT_SRC_ALIAS, "a: b\n\nbad\n  more\n", "a=b|",
    "src, line 3: need name:value pair"},
};

/* dict_test_src_entry - dict_src callback: append "key=value|" */

static void dict_test_src_entry(const char *key, const char *value, int lineno,
                                        void *context)
{
    (void) lineno;
    buf_printf((BUF *) context, "%s=%s|", key, value);
}

static void dict_test_src(void)
{
    const SRC_ROW *row;
    BUF    *got = buf_new(64);
    FILE   *fp;

    for (row = src_rows; row < src_rows + sizeof(src_rows) / sizeof(*row); row++) {
        buf_reset(got);
        if ((fp = fmemopen((void *) row->text, strlen(row->text), "r")) == NULL)
            msg_fatal("fmemopen: %m");
        harness_inteq(row->label, dict_src_read(fp, "src", row->flags,
                                                dict_test_src_entry, got), 0);
        fclose(fp);
        harness_streq(row->label, BUF_STR(got), row->want);
        harness_log_check(row->label, row->want_log);
    }
    buf_free(&got);
}

/* dict_test_fmt - replace every %s in fmt with the fixture directory */

static void dict_test_fmt(BUF *out, const char *fmt)
{
    const char *cp;

    buf_reset(out);
    for (cp = fmt; *cp; cp++) {
        if (cp[0] == '%' && cp[1] == 's') {
            buf_puts(out, dict_test_dir);
            cp++;
        } else {
            buf_putc(out, *cp);
        }
    }
}

/* dict_test_write - write one fixture file */

static void dict_test_write(const char *name, const char *text)
{
    BUF    *path = buf_new(64);
    FILE   *fp;

    buf_printf(path, "%s/%s", dict_test_dir, name);
    if ((fp = fopen(BUF_STR(path), "w")) == NULL)
        msg_fatal("create %s: %m", BUF_STR(path));
    fputs(text, fp);
    if (fclose(fp) != 0)
        msg_fatal("write %s: %m", BUF_STR(path));
    buf_free(&path);
}

/* dict_test_entry - dict_src callback: store into the dict */

static void dict_test_entry(const char *key, const char *value, int lineno,
                                    void *context)
{
    (void) lineno;
    (void) dict_update((DICT *) context, key, value);
}

/* dict_test_build - build type:dir/name.db from the source dir/map */

static void dict_test_build(const char *type, const char *name, int flags)
{
    BUF    *spec = buf_new(64);
    BUF    *src = buf_new(64);
    BUF    *why = buf_new(64);
    DICT   *dict;
    FILE   *fp;

    buf_printf(spec, "%s:%s/%s", type, dict_test_dir, name);
    buf_printf(src, "%s/map", dict_test_dir);
    dict = dict_open_r(BUF_STR(spec), flags | DICT_FLAG_CREATE | FOLD, why);
    harness_check(dict != NULL, BUF_STR(spec), "build: %s", BUF_STR(why));
    if (dict != NULL && (fp = fopen(BUF_STR(src), "r")) != NULL) {
        (void) dict_src_read(fp, BUF_STR(src), 0, dict_test_entry, dict);
        fclose(fp);
        harness_inteq("close after build", dict_close(&dict), 0);
    }
    harness_log_reset();
    buf_free(&spec);
    buf_free(&src);
    buf_free(&why);
}

static void dict_test_lookups(void)
{
    const LOOKUP_ROW *row;
    BUF    *spec = buf_new(64);
    BUF    *want_log = buf_new(64);
    const char *value;
    DICT   *dict;
    int     got;

    for (row = lookup_rows; row < lookup_rows + sizeof(lookup_rows) / sizeof(*row); row++) {
        dict_test_fmt(spec, row->table);
        dict = dict_open(BUF_STR(spec), row->flags);
        got = dict_lookup(dict, row->key, &value);
        harness_inteq(row->label, got, row->want);
        if (row->want == DICT_FOUND && got == DICT_FOUND)
            harness_streq(row->label, value, row->want_value);
        dict_close(&dict);
        harness_check(dict == NULL, row->label, "close clears the pointer");
        dict_test_fmt(want_log, row->want_log);
        harness_log_check(row->label, BUF_STR(want_log));
    }
    buf_free(&spec);
    buf_free(&want_log);
}

/* dict_test_updates - update, duplicate, delete and sequence on a db */

static void dict_test_updates(void)
{
    BUF    *spec = buf_new(64);
    BUF    *why = buf_new(64);
    DICT   *dict;
    const char *key;
    const char *value;
    int     count = 0;
    int     status;

    buf_printf(spec, "hash:%s/upd", dict_test_dir);
    dict = dict_open_r(BUF_STR(spec), DICT_FLAG_CREATE | FOLD, why);
    harness_check(dict != NULL, "create upd", "%s", BUF_STR(why));
    if (dict == NULL)
        return;
    harness_inteq("update new", dict_update(dict, "A", "1"), 0);
    harness_inteq("update duplicate", dict_update(dict, "a", "2"), 1);
    harness_inteq("update other", dict_update(dict, "b", "3"), 0);
    harness_inteq("close", dict_close(&dict), 0);

    dict = dict_open_r(BUF_STR(spec), DICT_FLAG_WRITE | DICT_FLAG_DUP_REPLACE | FOLD, why);
    harness_check(dict != NULL, "open upd for write", "%s", BUF_STR(why));
    if (dict == NULL)
        return;
    harness_inteq("duplicate kept the first", dict_lookup(dict, "a", &value), DICT_FOUND);
    harness_streq("duplicate kept the first", value, "1");
    harness_inteq("replace", dict_update(dict, "a", "4"), 1);
    harness_inteq("replaced", dict_lookup(dict, "A", &value), DICT_FOUND);
    harness_streq("replaced", value, "4");
    harness_inteq("delete", dict_delete(dict, "B"), 1);
    harness_inteq("delete again", dict_delete(dict, "b"), 0);
    for (status = dict_sequence(dict, DICT_SEQ_FIRST, &key, &value); status == 1;
         status = dict_sequence(dict, DICT_SEQ_NEXT, &key, &value)) {
        harness_streq("sequence key", key, "a");
        harness_streq("sequence value", value, "4");
        count++;
    }
    harness_inteq("sequence end", status, 0);
    harness_inteq("sequence count", count, 1);
    harness_inteq("close", dict_close(&dict), 0);

    /* Updating a missing table fails unless asked to create it. */
    buf_reset(spec);
    buf_printf(spec, "hash:%s/absent", dict_test_dir);
    buf_reset(why);
    harness_check(dict_open_r(BUF_STR(spec), DICT_FLAG_WRITE, why) == NULL,
                  "write missing", "opened");
    harness_check(strstr(BUF_STR(why), "absent.db: No such file or directory") != NULL,
                  "write missing", "why: %s", BUF_STR(why));
    dict = dict_open_r(BUF_STR(spec), DICT_FLAG_WRITE | DICT_FLAG_CREATE_MISSING, why);
    harness_check(dict != NULL, "write missing, create", "%s", BUF_STR(why));
    if (dict != NULL) {
        harness_inteq("write missing, create: update", dict_update(dict, "k", "v"), 0);
        harness_inteq("write missing, create: close", dict_close(&dict), 0);
    }

    /* A table that cannot be updated says so. */
    dict = dict_open("static:x", 0);
    harness_inteq("static update", dict_update(dict, "a", "b"), -1);
    harness_log_check("static update", "static:x: table does not support updates");
    dict_close(&dict);
    harness_log_check("updates", "");
    buf_free(&spec);
    buf_free(&why);
}

/* dict_test_reopen - a reader sees a rebuilt table, and a late table */

static void dict_test_reopen(void)
{
    BUF    *spec = buf_new(64);
    BUF    *why = buf_new(64);
    DICT   *reader;
    DICT   *writer;
    const char *value;

    buf_printf(spec, "hash:%s/late", dict_test_dir);
    reader = dict_open(BUF_STR(spec), FOLD);
    harness_inteq("late: missing", dict_lookup(reader, "k", &value), DICT_ERROR);
    harness_log_reset();
    writer = dict_open_r(BUF_STR(spec), DICT_FLAG_CREATE, why);
    harness_check(writer != NULL, "late: build", "%s", BUF_STR(why));
    if (writer == NULL)
        return;
    (void) dict_update(writer, "k", "v1");
    (void) dict_close(&writer);
    sleep(1);
    harness_inteq("late: appears", dict_lookup(reader, "k", &value), DICT_FOUND);
    harness_streq("late: value", value, "v1");

    writer = dict_open_r(BUF_STR(spec), DICT_FLAG_CREATE, why);
    (void) dict_update(writer, "k", "v2");
    (void) dict_close(&writer);
    sleep(1);
    harness_inteq("rebuilt: found", dict_lookup(reader, "k", &value), DICT_FOUND);
    harness_streq("rebuilt: new value", value, "v2");
    dict_close(&reader);
    harness_log_check("reopen", "");
    buf_free(&spec);
    buf_free(&why);
}

int     main(void)
{
    const FILE_ROW *f;
    BUF    *cmd = buf_new(64);

    harness_init("dict_test");
    if (mkdtemp(dict_test_dir) == NULL)
        msg_fatal("mkdtemp: %m");
    for (f = file_rows; f->name; f++)
        dict_test_write(f->name, f->text);
    dict_test_write("broken.db", "this is not a Berkeley DB file\n");
    dict_test_build("hash", "map", 0);
    dict_test_build("btree", "bmap", 0);
    dict_test_build("hash", "nonul", DICT_FLAG_TRY0NULL);

    dict_test_src();
    dict_test_lookups();
    dict_test_updates();
    dict_test_reopen();

    buf_printf(cmd, "rm -rf %s", dict_test_dir);
    if (system(BUF_STR(cmd)) != 0)
        msg_warn("cannot remove %s", dict_test_dir);
    buf_free(&cmd);
    return harness_done();
}
