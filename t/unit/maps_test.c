/* NAME
 *	maps_test 1
 * SUMMARY
 *	unit tests for maps(3) and mail_addr_find(3)
 * DESCRIPTION
 *	A scratch directory under /tmp holds main.cf (mydestination =
 *	local.example, localhost; recipient_delimiter = +) and a regexp
 *	file. Find rows: a table list, a key, maps_find() flags, the
 *	wanted value (NULL: none), the wanted maps_error() and log text.
 *	Address rows: a table list, an address, the wanted value, wanted
 *	extension and wanted maps_error(). The tables are inline: (fixed
 *	keys), regexp: (a pattern table) and fail: (every lookup fails).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "harness.h"
#include "mail_addr_find.h"
#include "maps.h"
#include "mem.h"
#include "msg.h"

static char maps_test_dir[] = "/tmp/maps_test.XXXXXX";

typedef struct FIND_ROW {
    const char *label;
    const char *maps;                   /* "%s": the scratch directory */
    const char *key;
    int     flags;
    const char *want;
    int     want_error;
    const char *want_log;
} FIND_ROW;

static const FIND_ROW find_rows[] = {
    {"first table wins", "inline:{k=one} inline:{k=two}", "k", 0, "one", 0, ""},
    {"second table", "inline:{a=one}, inline:{k=two}", "K", 0, "two", 0, ""},
    {"not found", "inline:{a=one}, inline:{b=two}", "c", 0, 0, 0, ""},
    {"empty list", "", "k", 0, 0, 0, ""},
    {"empty key", "static:x", "", 0, 0, 0, ""},
    {"error stops the search", "inline:{a=1} fail:x inline:{k=2}", "k", 0, 0, 1,
    "test_maps: fail:x: table lookup problem"},
    {"found before the error", "inline:{k=1} fail:x", "k", 0, "1", 0, ""},
    {"missing table is an error", "hash:%s/missing inline:{k=2}", "k", 0, 0, 1,
    "test_maps: hash:%s/missing: table lookup problem"},
    {"pattern table", "regexp:%s/re", "x@y", 0, "regexp", 0, ""},
    {"fixed only skips pattern tables", "regexp:%s/re inline:{x@y=fixed}", "x@y",
    MAPS_FIND_FIXED, "fixed", 0, ""},
    {"braces keep inline in one piece", "inline:{ {k = a b}, c=d }", "k", 0, "a b", 0, ""},
};

typedef struct ADDR_ROW {
    const char *label;
    const char *maps;
    const char *address;
    const char *want;
    const char *want_ext;
    int     want_error;
} ADDR_ROW;

#define TABLE "inline:{ joe+news@local.example=full, joe@local.example=plain, " \
                "joe+news=local-ext, joe=local, @local.example=catchall, " \
                "owner-list=owner, list-request=request }"

static const ADDR_ROW addr_rows[] = {
    {"full address first", TABLE, "joe+news@local.example", "full", 0, 0},
    {"full address, case folded", TABLE, "JOE+news@Local.Example", "full", 0, 0},
    {"user@domain without extension", TABLE, "joe+other@local.example", "plain", "+other", 0},
    {"user@domain", TABLE, "joe@local.example", "plain", 0, 0},
    {"local part with extension", "inline:{joe+news=local-ext, joe=local}",
    "joe+news@localhost", "local-ext", 0, 0},
    {"local part alone", "inline:{joe+news=local-ext, joe=local}",
    "joe+x@localhost", "local", "+x", 0},
    {"no local part for remote domains", "inline:{joe=local, @remote.example=catch}",
    "joe@remote.example", "catch", 0, 0},
    {"remote not found", "inline:{joe=local}", "joe@remote.example", 0, 0, 0},
    {"catch-all", TABLE, "ann@local.example", "catchall", 0, 0},
    {"address without domain", "inline:{joe=local}", "joe+x", "local", "+x", 0},
    {"delimiter at start does not split", "inline:{joe=local}", "+joe@localhost", 0, 0, 0},
    {"regexp gets the full address only", "regexp:%s/re", "joe@remote.example", "regexp", 0, 0},
    {"regexp not asked for partial keys", "regexp:%s/user", "joe@localhost", 0, 0, 0},
    {"error stops the search", "inline:{x=1} fail:x", "joe@local.example", 0, 0, 1},
    {"error after a partial key", "inline:{joe@local.example=plain} fail:x",
    "joe+x@local.example", 0, 0, 1},
};

/* maps_test_fmt - replace "%s" with the scratch directory */

static void maps_test_fmt(BUF *out, const char *fmt)
{
    const char *cp;

    buf_reset(out);
    for (cp = fmt; *cp; cp++) {
        if (cp[0] == '%' && cp[1] == 's') {
            buf_puts(out, maps_test_dir);
            cp++;
        } else {
            buf_putc(out, *cp);
        }
    }
}

static void maps_test_write(const char *name, const char *text)
{
    BUF    *path = buf_new(64);
    FILE   *fp;

    buf_printf(path, "%s/%s", maps_test_dir, name);
    if ((fp = fopen(BUF_STR(path), "w")) == NULL)
        msg_fatal("create %s: %m", BUF_STR(path));
    fputs(text, fp);
    if (fclose(fp) != 0)
        msg_fatal("write %s: %m", BUF_STR(path));
    buf_free(&path);
}

static void maps_test_find(void)
{
    const FIND_ROW *row;
    BUF    *names = buf_new(64);
    BUF    *want_log = buf_new(64);
    MAPS   *maps;
    const char *got;

    for (row = find_rows; row < find_rows + sizeof(find_rows) / sizeof(*row); row++) {
        maps_test_fmt(names, row->maps);
        maps = maps_create("test_maps", BUF_STR(names), DICT_FLAG_FOLD_FIX);
        harness_streq(row->label, maps_title(maps), "test_maps");
        got = maps_find(maps, row->key, row->flags);
        harness_streq(row->label, got, row->want);
        harness_inteq(row->label, maps_error(maps), row->want_error);
        maps_free(&maps);
        harness_check(maps == NULL, row->label, "maps_free clears the pointer");
        maps_test_fmt(want_log, row->want_log);
        if (*row->want_log)
            harness_log_check(row->label, BUF_STR(want_log));
        else
            harness_log_check(row->label, "");
    }
    buf_free(&names);
    buf_free(&want_log);
}

static void maps_test_addr(void)
{
    const ADDR_ROW *row;
    BUF    *names = buf_new(64);
    MAPS   *maps;
    const char *got;
    char   *ext;

    for (row = addr_rows; row < addr_rows + sizeof(addr_rows) / sizeof(*row); row++) {
        maps_test_fmt(names, row->maps);
        maps = maps_create("test_addr", BUF_STR(names), DICT_FLAG_FOLD_FIX);
        got = mail_addr_find(maps, row->address, &ext);
        harness_streq(row->label, got, row->want);
        harness_streq(row->label, ext, row->want_ext);
        harness_inteq(row->label, maps_error(maps), row->want_error);
        mem_free(ext);
        maps_free(&maps);
        harness_log_reset();
    }
    buf_free(&names);
}

/* maps_test_domain_list - mydestination may name a table */

static void maps_test_domain_list(void)
{
    harness_inteq("table in a domain list: found",
                  maps_table_match("inline:{a.example=x}", "A.example", 0), 1);
    harness_inteq("table in a domain list: not found",
                  maps_table_match("inline:{a.example=x}", "b.example", 0), 0);
    harness_inteq("table in a domain list: error",
                  maps_table_match("fail:x", "a.example", 0), -1);
    harness_log_check("domain list", "");
}

int     main(void)
{
    BUF    *cmd = buf_new(64);

    harness_init("maps_test");
    if (mkdtemp(maps_test_dir) == NULL)
        msg_fatal("mkdtemp: %m");
    maps_test_write("main.cf", "mydestination = local.example, localhost\n"
                    "recipient_delimiter = +\n");
    maps_test_write("re", "/@/ regexp\n");
    maps_test_write("user", "/^joe$/ regexp-user\n");
    config_load(maps_test_dir, 0);

    maps_test_find();
    maps_test_addr();
    maps_test_domain_list();

    buf_printf(cmd, "rm -rf %s", maps_test_dir);
    if (system(BUF_STR(cmd)) != 0)
        msg_warn("cannot remove %s", maps_test_dir);
    buf_free(&cmd);
    return harness_done();
}
