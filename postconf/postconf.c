/* NAME
 *	postconf 1
 * SUMMARY
 *	Postern configuration utility
 * SYNOPSIS
 *	postconf [-c dir] [-dhnx] [name ...]
 *	postconf [-c dir] -e name=value ...
 *	postconf [-c dir] -X name ...
 *	postconf [-c dir] -# name ...
 *	postconf [-c dir] -M[f] [service[/type] ...]
 * DESCRIPTION
 *	Prints main.cf parameters (all of them, sorted, by default), edits
 *	main.cf in place, or prints master.cf entries, like Postfix's
 *	postconf(1):
 *	-d	print default values instead of main.cf settings;
 *	-n	print only parameters set in main.cf;
 *	-h	print values without "name = ";
 *	-x	expand $name references in values;
 *	-e	set parameters (every other line of main.cf is kept; the file
 *		is replaced atomically);
 *	-X	remove parameters;
 *	-#	comment out parameters;
 *	-M	print master.cf entries, normalised (-f: one -o per line);
 *	-c dir	use dir/main.cf and dir/master.cf ($MAIL_CONFIG otherwise).
 *
 *	An unknown name gets a warning; a parameter defined in main.cf that
 *	is neither known nor used by another value gets the warning
 *	"unused parameter".
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "expand.h"
#include "htable.h"
#include "main_cf.h"
#include "master_cf.h"
#include "mem.h"
#include "msg.h"
#include "param.h"
#include "strv.h"

#define PC_DEFAULTS (1<<0)              /* -d */
#define PC_NONDEF   (1<<1)              /* -n */
#define PC_HIDE     (1<<2)              /* -h */
#define PC_EXPAND   (1<<3)              /* -x */
#define PC_FOLD     (1<<4)              /* -f */

typedef enum { PC_SHOW, PC_EDIT, PC_REMOVE, PC_COMMENT, PC_MASTER } PC_MODE;

static HTABLE *postconf_used;           /* names referenced by any value */

static void usage(void)
{
    msg_fatal("usage: postconf [-c config_dir] [-dhnx] [-e | -X | -# | -M[f]] [name...]");
}

static void postconf_mark_used(const char *name, void *context)
{
    (void) context;
    if (!htable_has(postconf_used, name))
        htable_enter(postconf_used, name, 0);
}

/*
 * postconf_scan_used - a user-defined parameter is "used" when a main.cf
 * value, a default, or a master.cf -o option refers to it.
 */
static void postconf_scan_used(const MASTER_CF *master)
{
    const MAIN_CF *cf = config_main_cf();

    postconf_used = htable_new(64);
    for (size_t i = 0; i < cf->count; i++)
        expand_refs(cf->entries[i].value, postconf_mark_used, 0);
    for (int i = 0; i < PARAM_COUNT; i++)
        expand_refs(param_table[i].def, postconf_mark_used, 0);
    for (size_t i = 0; master && i < master->count; i++) {
        const STRV *cmd = master->entries[i].command;

        for (size_t a = 1; a + 1 < cmd->argc; a++)
            if (strcmp(cmd->argv[a], "-o") == 0)
                expand_refs(cmd->argv[a + 1], postconf_mark_used, 0);
    }
}

/* postconf_is_listed - known, or user-defined and used. */

static int postconf_is_listed(const char *name)
{
    const PARAM_DEF *def = param_find(name);

    if (def)
        return ((def->flags & PARAM_LEGACY) == 0);
    return (htable_has(postconf_used, name) && config_raw(name) != 0);
}

static void postconf_warn_unused(void)
{
    const MAIN_CF *cf = config_main_cf();
    HTABLE *seen = htable_new(16);

    for (size_t i = cf->count; i > 0; i--) {
        const MAIN_CF_ENTRY *e = cf->entries + i - 1;

        if (param_find(e->name) || htable_has(postconf_used, e->name)
            || htable_has(seen, e->name))
            continue;
        htable_enter(seen, e->name, 0);
        msg_warn("%s: unused parameter: %s=%s", cf->path, e->name, e->value);
    }
    htable_free(&seen, 0);
}

/* postconf_print - one "name = value" line, whitespace runs folded. */

static void postconf_print(const char *name, const char *value, int flags)
{
    BUF    *out = buf_new(256);
    const char *cp;

    if (!(flags & PC_HIDE))
        buf_printf(out, "%s =", name);
    for (cp = value; *cp;) {
        size_t  word = strcspn(cp, " \t\r\n");

        if (word) {
            if (out->len)
                buf_putc(out, ' ');
            buf_append(out, cp, word);
            cp += word;
        }
        cp += strspn(cp, " \t\r\n");
    }
    buf_putc(out, '\n');
    fwrite(out->data, 1, out->len, stdout);
    buf_free(&out);
}

static const char *postconf_lookup_default(const char *name, void *context)
{
    (void) context;
    return (config_default(name));
}

static void postconf_show_one(const char *name, int flags)
{
    const char *value;
    BUF    *expanded = 0;

    if (flags & PC_DEFAULTS) {
        if ((value = config_default(name)) == 0 || param_find(name) == 0) {
            msg_warn("%s: unknown parameter", name);
            return;
        }
        if (flags & PC_EXPAND) {
            expanded = buf_new(128);
            (void) expand_text(value, postconf_lookup_default, 0, 0, expanded, 0);
            value = expanded->data;
        }
    } else {
        if (!postconf_is_listed(name) || (value = config_raw(name)) == 0) {
            msg_warn("%s: unknown parameter", name);
            return;
        }
        if (flags & PC_EXPAND)
            value = config_value(name);
    }
    postconf_print(name, value, flags);
    buf_free(&expanded);
}

static void postconf_show(char **names, int flags, int explicit_dir)
{
    STRV   *all;

    if (*names) {
        for (; *names; names++)
            postconf_show_one(*names, flags);
        return;
    }
    all = strv_new();
    if (flags & PC_NONDEF) {
        const MAIN_CF *cf = config_main_cf();

        for (size_t i = 0; i < cf->count; i++)
            if (strv_find(all, cf->entries[i].name) < 0
                && postconf_is_listed(cf->entries[i].name))
                strv_add(all, cf->entries[i].name);
        if (explicit_dir && strv_find(all, "config_directory") < 0)
            strv_add(all, "config_directory");
    } else {
        for (int i = 0; i < PARAM_COUNT; i++)
            if ((param_table[i].flags & PARAM_LEGACY) == 0)
                strv_add(all, param_table[i].name);
        if (!(flags & PC_DEFAULTS)) {
            const MAIN_CF *cf = config_main_cf();

            for (size_t i = 0; i < cf->count; i++)
                if (strv_find(all, cf->entries[i].name) < 0
                    && postconf_is_listed(cf->entries[i].name))
                    strv_add(all, cf->entries[i].name);
        }
    }
    strv_sort(all);
    for (size_t i = 0; i < all->argc; i++)
        postconf_show_one(all->argv[i], flags);
    strv_free(&all);
}

/* postconf_edit - -e, -X and -#: rewrite main.cf and replace it. */

static int postconf_edit(PC_MODE mode, char **args)
{
    BUF    *path = buf_new(256);
    MAIN_CF *cf;
    int     missing, status;

    if (*args == 0)
        msg_fatal("%s requires %s argument", mode == PC_EDIT ? "-e" :
                  mode == PC_REMOVE ? "-X" : "-#",
                  mode == PC_EDIT ? "name=value" : "name");
    buf_printf(path, "%s/main.cf", config_dir());
    cf = main_cf_read(path->data, MAIN_CF_FATAL, &missing);
    if (missing)
        msg_fatal("open %s: No such file or directory", path->data);
    for (; *args; args++) {
        if (mode == PC_EDIT) {
            char   *name, *value;
            const char *why;

            if (main_cf_split(*args, &name, &value, &why) < 0)
                msg_fatal("%s: \"%s\"", why, *args);
            main_cf_set(cf, name, value);
            mem_free(name);
            mem_free(value);
        } else {
            if (strchr(*args, '='))
                msg_fatal("-%c option requires parameter name, not name=value: %s",
                          mode == PC_REMOVE ? 'X' : '#', *args);
            main_cf_remove(cf, *args, mode == PC_COMMENT);
        }
    }
    status = main_cf_write(cf);
    main_cf_free(&cf);
    buf_free(&path);
    return (status < 0 ? 1 : 0);
}

/* postconf_master - -M: print master.cf entries, all or those named. */

static int postconf_master(MASTER_CF *master, char **args, int flags)
{
    BUF    *out = buf_new(256);
    int     status = 0;

    for (size_t i = 0; i < master->count; i++) {
        const MASTER_CF_ENTRY *e = master->entries + i;
        int     wanted = *args == 0;

        for (char **ap = args; *ap && !wanted; ap++) {
            const char *slash = strchr(*ap, '/');
            size_t  len = slash ? (size_t) (slash - *ap) : strlen(*ap);

            wanted = strlen(e->service) == len
                && strncmp(e->service, *ap, len) == 0
                && (slash == 0 || strcmp(slash + 1, e->type) == 0);
        }
        if (wanted) {
            buf_reset(out);
            master_cf_format(e, flags & PC_FOLD, out);
            printf("%s\n", out->data);
        }
    }
    for (char **ap = args; *ap; ap++) {
        char   *service = mem_strdup(*ap);
        char   *slash = strchr(service, '/');

        if (slash)
            *slash++ = 0;
        if (master_cf_find(master, service, slash) == 0) {
            msg_warn("unmatched request: \"%s\"", *ap);
            status = 1;
        }
        mem_free(service);
    }
    buf_free(&out);
    return (status);
}

int     main(int argc, char **argv)
{
    const char *dir = 0;
    PC_MODE mode = PC_SHOW;
    MASTER_CF *master;
    BUF    *path;
    int     flags = 0, ch, status = 0, missing;

    msg_init(argv[0]);
    while ((ch = getopt(argc, argv, "c:dhnxeX#Mfv")) != -1) {
        switch (ch) {
        case 'c':
            dir = optarg;
            break;
        case 'd':
            flags |= PC_DEFAULTS;
            break;
        case 'h':
            flags |= PC_HIDE;
            break;
        case 'n':
            flags |= PC_NONDEF;
            break;
        case 'x':
            flags |= PC_EXPAND;
            break;
        case 'f':
            flags |= PC_FOLD;
            break;
        case 'e':
            mode = PC_EDIT;
            break;
        case 'X':
            mode = PC_REMOVE;
            break;
        case '#':
            mode = PC_COMMENT;
            break;
        case 'M':
            mode = PC_MASTER;
            break;
        case 'v':
            msg_verbose++;
            break;
        default:
            usage();
        }
    }
    if ((flags & PC_DEFAULTS) && (flags & PC_NONDEF))
        msg_fatal("specify one of -d and -n");
    config_load(dir, (flags & PC_DEFAULTS) && mode == PC_SHOW ?
                CONFIG_LOAD_DEFAULTS : 0);
    if (mode == PC_EDIT || mode == PC_REMOVE || mode == PC_COMMENT)
        return (postconf_edit(mode, argv + optind));

    path = buf_new(256);
    buf_printf(path, "%s/master.cf", config_dir());
    master = master_cf_read(path->data, MASTER_CF_FATAL, &missing);
    if (missing)
        msg_warn("open %s: No such file or directory", path->data);
    buf_free(&path);
    if (mode == PC_MASTER) {
        status = postconf_master(master, argv + optind, flags);
    } else {
        postconf_scan_used(master);
        postconf_show(argv + optind, flags,
                      dir != 0 || getenv("MAIL_CONFIG") != 0);
        fflush(stdout);                 /* output first, then complaints */
        postconf_warn_unused();
        htable_free(&postconf_used, 0);
    }
    master_cf_free(&master);
    if (fflush(stdout) != 0 || ferror(stdout))
        msg_fatal("write error on standard output: %m");
    return (status);
}
