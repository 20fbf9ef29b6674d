/* NAME
 *	postconf 1
 * SUMMARY
 *	Postern configuration utility
 * SYNOPSIS
 *	postconf [-dfhHnx] [-c config_dir] [-C class] [-o name=value] [name ...]
 *	postconf [-c config_dir] -e name=value ...
 *	postconf [-c config_dir] -X name ...
 *	postconf [-c config_dir] -# name ...
 *	postconf [-fhHx] [-c config_dir] [-o name=value] -M [service[/type] ...]
 *	postconf [-fhHx] [-c config_dir] [-o name=value] -F [service[/type[/field]] ...]
 *	postconf [-fhHx] [-c config_dir] [-o name=value] -P [service[/type[/name]] ...]
 * DESCRIPTION
 *	Prints main.cf parameters (every known one, sorted, by default),
 *	edits main.cf, or prints master.cf entries, like Postfix's
 *	postconf(1), with the same output, messages and exit status:
 *	-c dir	use dir/main.cf and dir/master.cf ($MAIL_CONFIG otherwise);
 *	-C class	list only built-in, service or user parameters;
 *	-d	print default values instead of main.cf settings;
 *	-n	print only parameters set in main.cf;
 *	-h	print values without "name = "; -H names without values;
 *	-x	expand $name references in values;
 *	-f	fold long lines;
 *	-o name=value	override a main.cf setting for this run;
 *	-e	set parameters (a bare name=value argument implies -e);
 *	-X	remove parameters; -#	comment them out;
 *	-M	print master.cf entries; -F their fields; -P their -o options;
 *	-v	more logging.
 *	The options that Postfix has for SASL, lock, map and TLS types and
 *	bounce templates (-a -A -b -l -m -t -T), and editing master.cf
 *	(-M, -F or -P with -e, -X or -#), are not available.
 *
 *	An unknown name gets a warning; so does a parameter set in main.cf
 *	or master.cf that is neither known nor used by another value
 *	("unused parameter"), and a reference to a name that has no value
 *	("undefined parameter"). A value that does not expand is fatal.
 *	Unlike Postfix, -e keeps the file's mode and ends a last line that
 *	has no newline before it appends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "mem.h"
#include "msg.h"
#include "postconf.h"
#include "strv.h"

int     postconf_mode;

 /*
  * The options in the order that Postfix names them in messages.
  */
static const struct {
    const char *name;
    int     mode;
}       postconf_names[] = {
    {"-a", POSTCONF_SASL_SERVER}, {"-A", POSTCONF_SASL_CLIENT},
    {"-b", POSTCONF_EXP_TEMPLATES}, {"-C", POSTCONF_PARAM_CLASS},
    {"-d", POSTCONF_SHOW_DEFS}, {"-e", POSTCONF_EDIT_CONF},
    {"-f", POSTCONF_FOLD_LINE}, {"-F", POSTCONF_MASTER_FIELD},
    {"-h", POSTCONF_HIDE_NAME}, {"-H", POSTCONF_HIDE_VALUE},
    {"-l", POSTCONF_SHOW_LOCKS}, {"-m", POSTCONF_SHOW_MAPS},
    {"-M", POSTCONF_MASTER_ENTRY}, {"-n", POSTCONF_SHOW_NONDEF},
    {"-o", POSTCONF_MAIN_OVERRIDE}, {"-p", POSTCONF_MAIN_PARAM},
    {"-P", POSTCONF_MASTER_PARAM}, {"-t", POSTCONF_DUMP_TEMPLATES},
    {"-T", POSTCONF_SHOW_TLS}, {"-x", POSTCONF_SHOW_EVAL},
    {"-X", POSTCONF_EDIT_EXCL}, {"-#", POSTCONF_COMMENT_OUT},
};

#define POSTCONF_COUNT(array) (sizeof(array) / sizeof((array)[0]))
#define POSTCONF_NAMES POSTCONF_COUNT(postconf_names)

 /*
  * Options of which at most one may be given: the major modes first, then
  * modifiers that contradict each other.
  */
#define POSTCONF_MAJOR \
    (POSTCONF_SASL_SERVER | POSTCONF_SASL_CLIENT | POSTCONF_EXP_TEMPLATES \
     | POSTCONF_SHOW_LOCKS | POSTCONF_SHOW_MAPS | POSTCONF_DUMP_TEMPLATES \
     | POSTCONF_MAIN_PARAM | POSTCONF_MASTER_ANY | POSTCONF_SHOW_TLS)
#define POSTCONF_UNAVAILABLE \
    (POSTCONF_SASL_SERVER | POSTCONF_SASL_CLIENT | POSTCONF_EXP_TEMPLATES \
     | POSTCONF_SHOW_LOCKS | POSTCONF_SHOW_MAPS | POSTCONF_DUMP_TEMPLATES \
     | POSTCONF_SHOW_TLS)

static const int postconf_exclusive[] = {
    POSTCONF_MAJOR,
    POSTCONF_SHOW_DEFS | POSTCONF_SHOW_NONDEF | POSTCONF_EDIT_ANY,
    POSTCONF_FOLD_LINE | POSTCONF_EDIT_ANY,
    POSTCONF_SHOW_EVAL | POSTCONF_EDIT_ANY,
    POSTCONF_MAIN_OVERRIDE | POSTCONF_SHOW_DEFS | POSTCONF_EDIT_ANY,
    POSTCONF_HIDE_NAME | POSTCONF_EDIT_ANY | POSTCONF_HIDE_VALUE,
};

 /*
  * Each major mode, and the only options that go with it.
  */
static const int postconf_compatible[][2] = {
    {POSTCONF_SASL_SERVER, 0},
    {POSTCONF_SASL_CLIENT, 0},
    {POSTCONF_EXP_TEMPLATES, 0},
    {POSTCONF_SHOW_LOCKS, 0},
    {POSTCONF_SHOW_MAPS, 0},
    {POSTCONF_SHOW_TLS, 0},
    {POSTCONF_DUMP_TEMPLATES, 0},
    {POSTCONF_MAIN_PARAM, POSTCONF_EDIT_ANY | POSTCONF_FOLD_LINE | POSTCONF_HIDE_NAME
        | POSTCONF_PARAM_CLASS | POSTCONF_SHOW_EVAL | POSTCONF_SHOW_DEFS
    | POSTCONF_SHOW_NONDEF | POSTCONF_MAIN_OVERRIDE | POSTCONF_HIDE_VALUE},
    {POSTCONF_MASTER_ENTRY, POSTCONF_EDIT_ANY | POSTCONF_FOLD_LINE
    | POSTCONF_MAIN_OVERRIDE | POSTCONF_SHOW_EVAL},
    {POSTCONF_MASTER_FIELD, POSTCONF_EDIT_CONF | POSTCONF_FOLD_LINE | POSTCONF_HIDE_NAME
    | POSTCONF_MAIN_OVERRIDE | POSTCONF_SHOW_EVAL | POSTCONF_HIDE_VALUE},
    {POSTCONF_MASTER_PARAM, POSTCONF_EDIT_CONF | POSTCONF_EDIT_EXCL | POSTCONF_FOLD_LINE
        | POSTCONF_HIDE_NAME | POSTCONF_MAIN_OVERRIDE | POSTCONF_SHOW_EVAL
    | POSTCONF_HIDE_VALUE},
    {POSTCONF_PARAM_CLASS, POSTCONF_MAIN_PARAM | POSTCONF_SHOW_DEFS
    | POSTCONF_SHOW_NONDEF},
};

/* usage - Postfix's words, options that Postern lacks included */

static void usage(const char *progname)
{
    msg_fatal("usage: %s"
              " [-a (server SASL types)]"
              " [-A (client SASL types)]"
              " [-b (bounce templates)]"
              " [-c config_dir]"
              " [-c param_class]"
              " [-d (parameter defaults)]"
              " [-e (edit configuration)]"
              " [-f (fold lines)]"
              " [-F (master.cf fields)]"
              " [-h (no names)]"
              " [-H (no values)]"
              " [-l (lock types)]"
              " [-m (map types)]"
              " [-M (master.cf)]"
              " [-n (non-default parameters)]"
              " [-o name=value (override parameter value)]"
              " [-p (main.cf, default)]"
              " [-P (master.cf parameters)]"
              " [-t (bounce templates)]"
              " [-T compile-version|run-version|public-key-algorithms]"
              " [-v (verbose)]"
              " [-x (expand parameter values)]"
              " [-X (exclude)]"
              " [-# (comment-out)]"
              " [name...]", progname);
}

/* postconf_option_names - "-d -n" for a set of modes */

static const char *postconf_option_names(int modes, BUF *out)
{
    buf_reset(out);
    for (size_t i = 0; i < POSTCONF_NAMES; i++) {
        if (modes & postconf_names[i].mode) {
            if (out->len)
                buf_putc(out, ' ');
            buf_puts(out, postconf_names[i].name);
        }
    }
    return (out->data);
}

/* postconf_check_options - the option combinations that make no sense */

static void postconf_check_options(int mode)
{
    BUF    *names = buf_new(64), *excess_names = buf_new(64);

    for (size_t i = 0; i < POSTCONF_COUNT(postconf_exclusive); i++) {
        int     set = postconf_exclusive[i] & mode;

        if (set & (set - 1))
            msg_fatal("specify one of %s", postconf_option_names(set, names));
    }
    for (size_t i = 0; i < POSTCONF_COUNT(postconf_compatible); i++) {
        int     option = postconf_compatible[i][0];
        int     excess = mode & ~(option | postconf_compatible[i][1]);

        if ((mode & option) && excess)
            msg_fatal("with option %s, do not specify %s",
                      postconf_option_names(option, names),
                      postconf_option_names(excess, excess_names));
    }
    buf_free(&names);
    buf_free(&excess_names);
}

/* postconf_classes - the -C argument: builtin, service, user, all */

static int postconf_classes(const char *arg)
{
    STRV   *words = strv_split(arg, ", \t\r\n|");
    int     classes = 0;

    for (size_t i = 0; i < words->argc; i++) {
        if (strcasecmp(words->argv[i], "builtin") == 0)
            classes |= POSTCONF_BUILTIN;
        else if (strcasecmp(words->argv[i], "service") == 0)
            classes |= POSTCONF_SERVICE;
        else if (strcasecmp(words->argv[i], "user") == 0)
            classes |= POSTCONF_USER;
        else if (strcasecmp(words->argv[i], "all") == 0)
            classes |= POSTCONF_CLASSES;
        else
            msg_fatal("unknown -C option value \"%s\" in \"%s\"", words->argv[i], arg);
    }
    strv_free(&words);
    return (classes);
}

int     main(int argc, char **argv)
{
    const char *dir = 0;
    STRV   *overrides = strv_new();
    BUF    *names = buf_new(64);
    int     ch, classes = POSTCONF_CLASSES, dir_given;
    char  **args;

    msg_init(argv[0]);

    /* As Postfix: the options end at the first name. */
    while ((ch = getopt(argc, argv, "+aAbc:C:deEfFhHlmMno:pPtT:vxX#")) != -1) {
        if (ch == 'c') {
            dir = optarg;
        } else if (ch == 'v') {
            msg_verbose++;
        } else if (ch == 'C') {
            /* As Postfix: -C is checked against no other option. */
            classes = postconf_classes(optarg);
        } else if (ch == '?' || ch == 'E') {
            /* As Postfix: -E is in the option string, yet no option. */
            usage(argv[0]);
        } else {
            for (size_t i = 0; i < POSTCONF_NAMES; i++)
                if (postconf_names[i].name[1] == ch)
                    postconf_mode |= postconf_names[i].mode;
            if (ch == 'o')
                strv_add(overrides, optarg);
        }
    }
    args = argv + optind;

    /* Make the implied options explicit, then check the combination. */
    if ((postconf_mode & POSTCONF_MAJOR) == 0)
        postconf_mode |= POSTCONF_MAIN_PARAM;
    if ((postconf_mode & (POSTCONF_MAIN_PARAM | POSTCONF_MASTER_ANY))
        && *args && strchr(*args, '='))
        postconf_mode |= POSTCONF_EDIT_CONF;
    postconf_check_options(postconf_mode);
    if ((postconf_mode & POSTCONF_EDIT_CONF) && *args == 0)
        msg_fatal("-e requires name=value argument");
    if (postconf_mode & POSTCONF_UNAVAILABLE)
        msg_fatal("option %s is not available in Postern",
                  postconf_option_names(postconf_mode & POSTCONF_UNAVAILABLE, names));

    dir_given = dir != 0 || (getenv("MAIL_CONFIG") && *getenv("MAIL_CONFIG"));
    if (dir == 0)
        dir = config_dir();
    dir = mem_strdup(dir);
    postconf_param_init();
    if ((postconf_mode & POSTCONF_MASTER_ANY) && !(postconf_mode & POSTCONF_EDIT_ANY)) {
        postconf_param_read_master(dir, 1);
        postconf_param_read_main(dir, dir_given, overrides);
        postconf_user_register();
        postconf_master_show(args);
        postconf_user_flag_unused(0);
    } else if (postconf_mode & POSTCONF_EDIT_ANY) {
        if (postconf_mode & POSTCONF_MASTER_ANY)
            msg_fatal("editing master.cf with postconf is not available in Postern;"
                      " edit %s/master.cf instead", dir);
        if (*args == 0)
            msg_fatal("missing service argument");
        postconf_edit_main(dir, args);
    } else {
        postconf_param_read_main(dir, dir_given, overrides);
        postconf_param_read_master(dir, 0);
        if (!(postconf_mode & POSTCONF_SHOW_DEFS))
            postconf_user_register();
        postconf_main_show(args, classes);
        if (!(postconf_mode & POSTCONF_SHOW_DEFS))
            postconf_user_flag_unused(1);
    }
    if (fflush(stdout) != 0 || ferror(stdout))
        msg_fatal("write error on standard output: %m");
    postconf_param_free();
    strv_free(&overrides);
    buf_free(&names);
    mem_free((char *) dir);
    return (0);
}
