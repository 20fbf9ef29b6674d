/* NAME
 *	mkmap 3
 * SUMMARY
 *	build, query, update and dump lookup tables (postmap, postalias)
 * DESCRIPTION
 *	See mkmap(3h), postmap(1) and postalias(1). Options are Postfix's;
 *	a table is "[type:]file", type default_database_type.
 *
 *	A build runs as the owner of the source file when started by root
 *	(unless -o), and the new table gets the source file's permissions
 *	(at most 0644; -p: 0644), as Postfix does.
 * CONFIGURATION PARAMETERS
 *	default_database_type.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "dict.h"
#include "dict_src.h"
#include "mkmap.h"
#include "msg.h"
#include "strv.h"

#define MKMAP_DUP_WARN      0           /* keep the first, with a warning */
#define MKMAP_DUP_REPLACE   1           /* -r */
#define MKMAP_DUP_IGNORE    2           /* -w */

typedef struct MKMAP {
    int     flags;                      /* MKMAP_ALIAS */
    int     dict_flags;                 /* fold, NUL convention */
    int     dup_mode;
    int     keep_privs;                 /* -o */
    int     default_perms;              /* -p */
    const char *sep;                    /* between key and value in output */
    DICT   *dict;                       /* being built */
    int     errors;
} MKMAP;

/* mkmap_spec - "[type:]file" as "type:file" */

static void mkmap_spec(BUF *out, const char *arg)
{
    const char *colon = strchr(arg, ':');
    const char *slash = strchr(arg, '/');

    buf_reset(out);
    if (colon == NULL || (slash != NULL && slash < colon))
        buf_printf(out, "%s:%s", config_str(P_DEFAULT_DATABASE_TYPE), arg);
    else
        buf_puts(out, arg);
}

/* mkmap_open - open a table for reading or updating, or die */

static DICT *mkmap_open(MKMAP *mk, const char *arg, int open_flags)
{
    BUF    *spec = buf_new(64);
    BUF    *why = buf_new(64);
    DICT   *dict;

    mkmap_spec(spec, arg);
    if ((dict = dict_open_r(BUF_STR(spec), mk->dict_flags | open_flags, why)) == NULL)
        msg_fatal("%s", BUF_STR(why));
    buf_free(&spec);
    buf_free(&why);
    return dict;
}

/* mkmap_entry - dict_src callback: store one entry */

static void mkmap_entry(const char *key, const char *value, int lineno, void *context)
{
    MKMAP  *mk = context;
    int     status;

    if ((status = dict_update(mk->dict, key, value)) < 0)
        msg_fatal("%s: cannot store \"%s\"", dict_name(mk->dict), key);
    if (status == 1 && mk->dup_mode == MKMAP_DUP_WARN)
        msg_warn("%s, line %d: duplicate entry: \"%s\"",
                 mk->dict->name, lineno, key);
}

/* mkmap_run_as_owner - a build started by root runs as the file owner */

static void mkmap_run_as_owner(const struct stat *st)
{
    if (geteuid() != 0 || st->st_uid == 0)
        return;
    if (setgid(st->st_gid) < 0 || setuid(st->st_uid) < 0)
        msg_fatal("cannot drop privileges to uid %ld: %m", (long) st->st_uid);
}

/* mkmap_alias_extras - what postalias adds to every alias database */

static void mkmap_alias_extras(MKMAP *mk)
{
    char    host[256];
    char    now[32];

    (void) dict_update(mk->dict, "@", "@");
    snprintf(now, sizeof(now), "%ld", (long) time(NULL));
    /* Postfix stores these two in upper case. */
    mk->dict->flags |= DICT_FLAG_DUP_REPLACE;
    mk->dict->flags &= ~DICT_FLAG_FOLD_FIX;
    (void) dict_update(mk->dict, "YP_LAST_MODIFIED", now);
    if (gethostname(host, sizeof(host)) < 0)
        msg_fatal("gethostname: %m");
    host[sizeof(host) - 1] = 0;
    (void) dict_update(mk->dict, "YP_MASTER_NAME", host);
}

/* mkmap_build - make type:file.db from file, or add stdin to it (-i) */

static void mkmap_build(MKMAP *mk, const char *arg, int incremental)
{
    BUF    *spec = buf_new(64);
    BUF    *why = buf_new(64);
    const char *file;
    FILE   *fp = stdin;
    struct stat st;
    mode_t  old_mask = 0;
    int     open_flags = incremental ? (DICT_FLAG_WRITE | DICT_FLAG_CREATE_MISSING)
        : DICT_FLAG_CREATE;
    int     srcflags = (mk->flags & MKMAP_ALIAS) ? DICT_SRC_ALIAS : 0;

    mkmap_spec(spec, arg);
    file = strchr(BUF_STR(spec), ':') + 1;
    if (strncmp(BUF_STR(spec), "hash:", 5) != 0 && strncmp(BUF_STR(spec), "btree:", 6) != 0) {
        *strchr(BUF_STR(spec), ':') = 0;
        msg_fatal("unsupported dictionary type: %s does not support bulk-mode "
                  "creation.", BUF_STR(spec));
    }
    if (!incremental) {
        if ((fp = fopen(file, "r")) == NULL)
            msg_fatal("open %s: %m", file);
        if (fstat(fileno(fp), &st) < 0)
            msg_fatal("fstat %s: %m", file);
        if (!mk->keep_privs)
            mkmap_run_as_owner(&st);
        if (!mk->default_perms)
        {
            old_mask = umask(0);
            (void) umask(old_mask | (~st.st_mode & 0777));
        }
    }
    mk->dict = dict_open_r(BUF_STR(spec), mk->dict_flags | open_flags
                           | (mk->dup_mode == MKMAP_DUP_REPLACE ?
                              DICT_FLAG_DUP_REPLACE : 0), why);
    if (!incremental && !mk->default_perms)
        (void) umask(old_mask);
    if (mk->dict == NULL)
        msg_fatal("%s", BUF_STR(why));
    if (dict_src_read(fp, incremental ? "(stdin)" : file, srcflags,
                      mkmap_entry, mk) < 0)
        msg_fatal("read %s: %m", incremental ? "standard input" : file);
    if (mk->flags & MKMAP_ALIAS)
        mkmap_alias_extras(mk);
    if (fp != stdin)
        fclose(fp);
    if (dict_close(&mk->dict) < 0)
        msg_fatal("cannot complete %s", BUF_STR(spec));
    buf_free(&spec);
    buf_free(&why);
}

/* mkmap_keys - the key argument, or each line of stdin for "-" */

static STRV *mkmap_keys(const char *key)
{
    STRV   *keys = strv_new();
    char   *line = NULL;
    size_t  cap = 0;
    ssize_t len;

    if (strcmp(key, "-") != 0) {
        strv_add(keys, key);
        return keys;
    }
    while ((len = getline(&line, &cap, stdin)) >= 0) {
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = 0;
        strv_add(keys, line);
    }
    free(line);
    return keys;
}

/* mkmap_query - -q: the first table with the key answers */

static int mkmap_query(MKMAP *mk, const char *key, char **tables, int count)
{
    STRV   *keys = mkmap_keys(key);
    DICT  **dicts = calloc((size_t) count, sizeof(*dicts));
    const char *value;
    int     found = 0;
    int     status;
    size_t  k;
    int     i;

    if (dicts == NULL)
        msg_fatal("out of memory");
    for (i = 0; i < count; i++)
        dicts[i] = mkmap_open(mk, tables[i], 0);
    for (k = 0; k < keys->argc; k++) {
        for (i = 0; i < count; i++) {
            status = dict_lookup(dicts[i], keys->argv[k], &value);
            if (status == DICT_ERROR)
                msg_fatal("table %s: query error", dict_name(dicts[i]));
            if (status == DICT_FOUND) {
                if (strcmp(key, "-") == 0)
                    printf("%s%s\t%s\n", keys->argv[k], mk->sep, value);
                else
                    printf("%s\n", value);
                found = 1;
                break;
            }
        }
    }
    for (i = 0; i < count; i++)
        (void) dict_close(&dicts[i]);
    free(dicts);
    strv_free(&keys);
    if (fflush(stdout) != 0)
        msg_fatal("write error: %m");
    return found ? 0 : 1;
}

/* mkmap_delete - -d: remove the key from every table */

static int mkmap_delete(MKMAP *mk, const char *key, char **tables, int count)
{
    STRV   *keys = mkmap_keys(key);
    DICT   *dict;
    int     found = 0;
    int     status;
    size_t  k;
    int     i;

    for (i = 0; i < count; i++) {
        dict = mkmap_open(mk, tables[i], DICT_FLAG_WRITE);
        for (k = 0; k < keys->argc; k++) {
            if ((status = dict_delete(dict, keys->argv[k])) < 0)
                msg_fatal("table %s: delete error", dict_name(dict));
            found |= status;
        }
        if (dict_close(&dict) < 0)
            msg_fatal("table %s: close error", tables[i]);
    }
    strv_free(&keys);
    return found ? 0 : 1;
}

/* mkmap_dump - -s: every entry of every table */

static void mkmap_dump(MKMAP *mk, char **tables, int count)
{
    const char *key;
    const char *value;
    DICT   *dict;
    int     status;
    int     i;

    for (i = 0; i < count; i++) {
        dict = mkmap_open(mk, tables[i], 0);
        for (status = dict_sequence(dict, DICT_SEQ_FIRST, &key, &value); status > 0;
             status = dict_sequence(dict, DICT_SEQ_NEXT, &key, &value))
            printf("%s%s\t%s\n", key, mk->sep, value);
        if (status < 0)
            msg_fatal("table %s: sequence error", dict_name(dict));
        (void) dict_close(&dict);
    }
    if (fflush(stdout) != 0)
        msg_fatal("write error: %m");
}

/* mkmap_usage - the usage line, Postfix's */

static void mkmap_usage(const char *program)
{
    msg_fatal("usage: %s [-Nfinoprsvw] [-c config_dir] [-d key] [-q key] "
              "[map_type:]file...", program);
}

int     mkmap_main(int argc, char **argv, int flags)
{
    MKMAP   mk;
    const char *dir = NULL;
    const char *query = NULL;
    const char *delete = NULL;
    const char *program = msg_program();
    int     dump = 0;
    int     incremental = 0;
    int     nul = 0;
    int     ch;
    int     i;

    memset(&mk, 0, sizeof(mk));
    mk.flags = flags;
    mk.dict_flags = DICT_FLAG_FOLD_FIX;
    mk.sep = (flags & MKMAP_ALIAS) ? ":" : "";
    while ((ch = getopt(argc, argv, "Nc:d:finopq:rsvw")) != -1) {
        switch (ch) {
        case 'N':
            nul = DICT_FLAG_TRY1NULL;
            break;
        case 'n':
            nul = DICT_FLAG_TRY0NULL;
            break;
        case 'c':
            dir = optarg;
            break;
        case 'd':
            if (query || dump)
                msg_fatal("specify only one of -s -q or -d");
            delete = optarg;
            break;
        case 'f':
            mk.dict_flags &= ~DICT_FLAG_FOLD_FIX;
            break;
        case 'i':
            incremental = 1;
            break;
        case 'o':
            mk.keep_privs = 1;
            break;
        case 'p':
            mk.default_perms = 1;
            break;
        case 'q':
            if (delete || dump)
                msg_fatal("specify only one of -s -q or -d");
            query = optarg;
            break;
        case 'r':
            mk.dup_mode = MKMAP_DUP_REPLACE;
            break;
        case 's':
            if (query || delete)
                msg_fatal("specify only one of -s -q or -d");
            dump = 1;
            break;
        case 'v':
            msg_verbose++;
            break;
        case 'w':
            mk.dup_mode = MKMAP_DUP_IGNORE;
            break;
        default:
            mkmap_usage(program);
        }
    }
    if (optind >= argc)
        mkmap_usage(program);
    config_load(dir, 0);
    mk.dict_flags |= nul;
    if (query)
        return mkmap_query(&mk, query, argv + optind, argc - optind);
    if (delete)
        return mkmap_delete(&mk, delete, argv + optind, argc - optind);
    if (dump) {
        mkmap_dump(&mk, argv + optind, argc - optind);
        return 0;
    }
    for (i = optind; i < argc; i++)
        mkmap_build(&mk, argv[i], incremental);
    return 0;
}
